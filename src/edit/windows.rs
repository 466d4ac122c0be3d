//! `candor update --set COMPONENT[:REGION,...]=STATUS`: from now on, those
//! cells have that status.
//!
//! A cell's status is the worst of the windows covering it, so a new window
//! alone could raise a status but never lower it. Instead every open
//! `[[affected]]` window ends, for the cells named, now: a window covering
//! only those cells gets `to`; one covering more keeps its other cells open
//! and the named ones move to a block of their own that ends now. Then,
//! unless the status is `operational`, a new window from now gives it.
//!
//! Cells are worked out per (component, region) and packed back into
//! blocks ([`pack`]): a block without `regions` covers every region each of
//! its components runs in; a block with `regions` covers those of them each
//! component runs in (a sparse grid is read so), and [`pack`] writes such a
//! block only for components that all run in every region it lists.

use super::affects::Affects;
use super::tables::push_table;
use crate::config::Config;
use crate::diagnostic::suggestion;
use crate::model::ComponentStatus;
use crate::time::{resolve, Instant};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};
use toml_edit::{value, Array, Datetime, DocumentMut, Item, Table, TableLike, Value};

mod rewrite;
use rewrite::{cover, each_window, set_value, with, Change};

/// (component, region), as indices into the config's lists.
type Cell = (usize, usize);

/// One `--set` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    pub cells: Affects,
    /// `None`: operational.
    pub status: Option<ComponentStatus>,
}

impl Set {
    /// Parses `api:eu-west=operational`, `compute=major_outage`.
    pub fn parse(spec: &str) -> Result<Set, String> {
        const USAGE: &str = "write COMPONENT[:REGION,...]=STATUS, e.g. api:eu-west=operational";
        const STATUSES: [&str; 4] = ["operational", "degraded_performance", "partial_outage", "major_outage"];
        const LIST: &str = "operational, degraded_performance, partial_outage or major_outage";
        let Some((cells, status)) = spec.rsplit_once('=') else {
            return Err(format!("--set {spec:?} has no status: {USAGE}"));
        };
        let status = match status.trim() {
            "operational" => None,
            "under_maintenance" => {
                return Err(format!(
                    "--set {spec:?}: under_maintenance comes from a maintenance's schedule; write {LIST}"
                ))
            }
            name => match ComponentStatus::from_name(name) {
                Some(status) => Some(status),
                None => {
                    return Err(format!(
                        "--set {spec:?}: {name:?} is not a status; write {LIST}{}",
                        suggestion(name, STATUSES)
                    ))
                }
            },
        };
        let cells = Affects::parse(cells)
            .map_err(|_| format!("--set {spec:?} names no component, or an empty region: {USAGE}"))?;
        Ok(Set { cells, status })
    }

    /// The offered cells named, checked against the config.
    fn cells(&self, config: &Config) -> Result<BTreeSet<Cell>, String> {
        self.cells.cells(config, "--set")
    }
}

/// The regions component `c` runs in.
fn offered(config: &Config, c: usize) -> impl Iterator<Item = usize> + '_ {
    let runs = &config.components[c].regions;
    (0..config.regions.len()).filter(move |&r| runs.contains(&config.regions[r].id))
}

/// Applies every `--set` at `now` (written as `at`): returns how many open
/// windows ended, wholly or for some of their cells. A cell already in the
/// status it is set to (covered by open windows of that status only, or by
/// none for `operational`) is left as it is.
pub fn apply(
    front: &mut DocumentMut,
    sets: &[Set],
    config: &Config,
    (now, at): (Instant, Datetime),
    zone: Tz,
) -> Result<usize, String> {
    let started = front.get("started").and_then(Item::as_datetime).and_then(|d| resolve(d, zone).ok());
    let span = |window: &dyn TableLike| {
        let time = |key| window.get(key).and_then(Item::as_datetime).and_then(|d| resolve(d, zone).ok());
        (time("from").or(started), time("to"))
    };
    let is_open =
        |(from, to): (Option<Instant>, Option<Instant>)| from.is_some_and(|f| f <= now) && to.is_none_or(|t| t > now);
    // What each cell is now: the statuses of the open windows covering it.
    let mut now_status: BTreeMap<Cell, BTreeSet<ComponentStatus>> = BTreeMap::new();
    if let Some(affected) = front.get_mut("affected") {
        each_window(affected, |window| {
            let status = window.get("status").and_then(Item::as_str).and_then(ComponentStatus::from_name);
            if let (true, Some(status)) = (is_open(span(window)), status) {
                window_cells(window, config).into_iter().for_each(|cell| {
                    now_status.entry(cell).or_default().insert(status);
                });
            }
            Change::None
        });
    }
    let mut named: Vec<(BTreeSet<Cell>, Option<ComponentStatus>)> = Vec::new();
    let mut seen = BTreeSet::new();
    for set in sets {
        let cells = set.cells(config)?;
        if let Some(&(c, r)) = cells.iter().find(|cell| seen.contains(*cell)) {
            return Err(format!(
                "{} in {} is named by two --set values: give each component and region one status",
                config.components[c].id, config.regions[r].id
            ));
        }
        seen.extend(cells.iter().copied());
        let unchanged = |cell: &Cell| {
            let statuses = now_status.get(cell).map(|s| s.iter().copied().collect::<Vec<_>>()).unwrap_or_default();
            statuses == set.status.into_iter().collect::<Vec<_>>()
        };
        named.push((cells.into_iter().filter(|cell| !unchanged(cell)).collect(), set.status));
    }
    let all: BTreeSet<Cell> = named.iter().flat_map(|(cells, _)| cells.iter().copied()).collect();
    let mut ended = 0;
    let mut added = Vec::new();
    if let Some(affected) = front.get_mut("affected") {
        each_window(affected, |window| {
            let (from, to) = span(window);
            let covered = window_cells(window, config);
            let stop: BTreeSet<Cell> = covered.intersection(&all).copied().collect();
            if !is_open((from, to)) || stop.is_empty() {
                return Change::None;
            }
            ended += 1;
            // A window that began this very second never showed: the named
            // cells leave it rather than end in a window of no length.
            let began_now = from == Some(now);
            let keep: Vec<Table> = pack(&covered.difference(&stop).copied().collect(), config);
            let Some((first, rest)) = keep.split_first() else {
                if began_now {
                    return Change::Remove;
                }
                set_value(window, "to", Value::from(at));
                return Change::Ended;
            };
            // The window keeps the cells not named (its first block of
            // them, the others in blocks like it, planned end and all); the
            // named ones end now in a block of their own.
            let [status, from, to] = ["status", "from", "to"].map(|key| window.get(key).cloned());
            cover(window, first);
            for block in rest {
                added.push(with(block.clone(), [&status, &from, &to]));
            }
            if !began_now {
                for block in pack(&stop, config) {
                    added.push(with(block, [&status, &from, &Some(value(at))]));
                }
            }
            Change::Reshaped
        });
    }
    for (cells, status) in &named {
        if let Some(status) = status {
            for block in pack(cells, config) {
                added.push(with(block, [&Some(value(status.as_str())), &Some(value(at)), &None]));
            }
        }
    }
    for block in added {
        push_table(front, "affected", block)?;
    }
    Ok(ended)
}

/// The offered cells a window's `components`, `groups` and `regions` cover.
fn window_cells(window: &dyn TableLike, config: &Config) -> BTreeSet<Cell> {
    let strings = |key: &str| -> Vec<String> {
        window
            .get(key)
            .and_then(Item::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let (ids, groups, regions) = (strings("components"), strings("groups"), strings("regions"));
    let all_regions = regions.is_empty() || regions.iter().any(|r| r == "*");
    let mut cells = BTreeSet::new();
    for (c, component) in config.components.iter().enumerate() {
        let named = ids.contains(&component.id) || component.group.as_ref().is_some_and(|g| groups.contains(g));
        if named {
            cells.extend(
                offered(config, c).filter(|&r| all_regions || regions.contains(&config.regions[r].id)).map(|r| (c, r)),
            );
        }
    }
    cells
}

/// Cells as `components` (+ `regions`) tables: components with the same
/// regions share a block listing them, and the components affected in
/// every region they run in share one block without `regions`.
fn pack(cells: &BTreeSet<Cell>, config: &Config) -> Vec<Table> {
    let mut by_regions: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for c in 0..config.components.len() {
        let regions: Vec<usize> = cells.iter().filter(|(cc, _)| *cc == c).map(|(_, r)| *r).collect();
        match by_regions.iter_mut().find(|(rs, _)| *rs == regions) {
            _ if regions.is_empty() => {}
            Some((_, components)) => components.push(c),
            None => by_regions.push((regions, vec![c])),
        }
    }
    let everywhere =
        |(rs, cs): &(Vec<usize>, Vec<usize>)| cs.iter().all(|&c| rs.iter().copied().eq(offered(config, c)));
    let (whole, listed): (Vec<_>, Vec<_>) = by_regions.into_iter().partition(everywhere);
    let ids = |list: &[usize], id: &dyn Fn(usize) -> String| -> Item {
        Item::Value(Value::Array(list.iter().map(|&i| id(i)).collect::<Array>()))
    };
    let component = |c: usize| config.components[c].id.clone();
    let region = |r: usize| config.regions[r].id.clone();
    let mut out = Vec::new();
    let mut whole: Vec<usize> = whole.into_iter().flat_map(|(_, cs)| cs).collect();
    whole.sort();
    if !whole.is_empty() {
        let mut t = Table::new();
        t.insert("components", ids(&whole, &component));
        out.push(t);
    }
    for (regions, components) in listed {
        let mut t = Table::new();
        t.insert("components", ids(&components, &component));
        t.insert("regions", ids(&regions, &region));
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::fixtures::{config, t};

    fn set(front: &str, sets: &[&str], now: &str) -> Result<(usize, String), String> {
        let mut doc: DocumentMut = front.parse().unwrap();
        let sets: Vec<Set> = sets.iter().map(|s| Set::parse(s).unwrap()).collect();
        let now = t(now);
        let at = crate::edit::document::local_datetime(now, chrono_tz::UTC);
        let ended = apply(&mut doc, &sets, &config(), (now, at), chrono_tz::UTC)?;
        Ok((ended, doc.to_string()))
    }

    const STARTED: &str = "started = 2026-01-01T00:00:00Z\n";

    #[test]
    fn a_window_wholly_named_just_ends() {
        let front =
            format!("{STARTED}\n[[affected]]\ncomponents = [\"db\"] # the primary\nstatus = \"major_outage\"\n");
        let (ended, out) = set(&front, &["db=operational"], "2026-01-01T01:00:00Z").unwrap();
        assert_eq!(ended, 1);
        assert_eq!(
            out,
            format!("{STARTED}\n[[affected]]\ncomponents = [\"db\"] # the primary\nstatus = \"major_outage\"\nto = 2026-01-01T01:00:00+00:00\n")
        );
    }

    #[test]
    fn inline_windows_split_by_region_and_regions_only_ones_each_component_runs_in() {
        // api runs in east and west, db in east only.
        let front =
            format!("{STARTED}affected = [{{ components = [\"api\", \"db\"], status = \"partial_outage\" }}]\n");
        let (ended, out) = set(&front, &["api:east=degraded_performance"], "2026-01-01T02:00:00Z").unwrap();
        assert_eq!(ended, 1);
        assert_eq!(
            out,
            format!(
                "{STARTED}affected = [{{ components = [\"db\"], status = \"partial_outage\" }}, \
                 {{ components = [\"api\"], regions = [\"west\"], status = \"partial_outage\" }}, \
                 {{ components = [\"api\"], regions = [\"east\"], status = \"partial_outage\", to = 2026-01-01T02:00:00+00:00 }}, \
                 {{ components = [\"api\"], regions = [\"east\"], status = \"degraded_performance\", from = 2026-01-01T02:00:00+00:00 }}]\n"
            )
        );
    }

    #[test]
    fn windows_already_ended_or_not_yet_begun_are_left_alone() {
        let front = format!(
            "{STARTED}\n[[affected]]\ncomponents = [\"api\"]\nstatus = \"major_outage\"\nto = 2026-01-01T00:30:00Z\n\n\
             [[affected]]\ncomponents = [\"api\"]\nstatus = \"partial_outage\"\nfrom = 2026-01-01T05:00:00Z\n"
        );
        let (ended, out) = set(&front, &["api=operational"], "2026-01-01T01:00:00Z").unwrap();
        assert_eq!((ended, out), (0, front));
    }

    #[test]
    fn a_window_planned_to_end_later_ends_now_comment_and_all() {
        let front = format!(
            "{STARTED}\n[[affected]]\ncomponents = [\"db\"]\nstatus = \"major_outage\"\nto = 2026-01-02T00:00:00Z # planned\n"
        );
        let (_, out) = set(&front, &["db=operational"], "2026-01-01T01:00:00Z").unwrap();
        assert!(out.ends_with("to = 2026-01-01T01:00:00+00:00 # planned\n"), "{out}");
    }

    #[test]
    fn cells_kept_in_a_split_window_keep_its_planned_end() {
        let front = format!(
            "{STARTED}\n[[affected]]\ncomponents = [\"api\", \"db\"]\nstatus = \"major_outage\"\nto = 2026-01-01T05:00:00Z\n"
        );
        let (ended, out) = set(&front, &["api:east=operational"], "2026-01-01T01:00:00Z").unwrap();
        assert_eq!(ended, 1);
        let block = |components: &str, regions: &str, to: &str| {
            format!("[[affected]]\ncomponents = [{components}]\n{regions}status = \"major_outage\"\nto = {to}\n")
        };
        let expected = [
            block("\"db\"", "", "2026-01-01T05:00:00Z"),
            block("\"api\"", "regions = [\"west\"]\n", "2026-01-01T05:00:00Z"),
            block("\"api\"", "regions = [\"east\"]\n", "2026-01-01T01:00:00+00:00"),
        ];
        assert_eq!(out, format!("{STARTED}\n{}", expected.join("\n")));
    }

    #[test]
    fn a_cell_already_in_the_status_set_is_left_alone() {
        let front = format!("{STARTED}\n[[affected]]\ncomponents = [\"api\"]\nstatus = \"major_outage\"\n");
        let (ended, out) = set(&front, &["api=major_outage", "db=operational"], "2026-01-01T01:00:00Z").unwrap();
        assert_eq!((ended, out), (0, front));
    }

    #[test]
    fn a_cell_named_twice_is_refused() {
        let front = format!("{STARTED}\n[[affected]]\ncomponents = [\"api\"]\nstatus = \"major_outage\"\n");
        let err = set(&front, &["api=partial_outage", "api:west=operational"], "2026-01-01T01:00:00Z").unwrap_err();
        assert_eq!(err, "api in west is named by two --set values: give each component and region one status");
    }
}
