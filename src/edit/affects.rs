//! `--affects COMPONENT[:REGION,REGION...]`: what an incident or a
//! maintenance touches, as the command line says it, turned into the
//! front matter's `components`/`groups` and `regions` keys.
//!
//! Ids are checked before anything is written ([`Affects::cells`]), with
//! the same words and "did you mean" for `--affects` and `--set`.

use crate::config::Config;
use crate::diagnostic::suggestion;
use crate::words::join_words;
use std::collections::BTreeSet;
use toml_edit::{Array, Item, Table};

mod maintenance;
pub use maintenance::{check_shared, describe_shared, maintenance_keys};

/// One `--affects` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affects {
    /// A component id, or a group id standing for all its components.
    pub id: String,
    /// The regions named; empty means every region the component runs in.
    pub regions: Vec<String>,
}

impl Affects {
    /// Every `--affects` value, in order; the first bad one is the error.
    pub fn parse_all(specs: &[String]) -> Result<Vec<Affects>, String> {
        specs.iter().map(|s| Affects::parse(s)).collect()
    }

    /// Parses `api`, `api:eu-west` or `api:us-east,eu-west` (`api:*` is `api`).
    pub fn parse(spec: &str) -> Result<Affects, String> {
        let (id, regions) = match spec.split_once(':') {
            Some((id, regions)) => (id.trim(), Some(regions)),
            None => (spec.trim(), None),
        };
        if id.is_empty() {
            return Err(format!(
                "--affects {spec:?} names no component: write COMPONENT or COMPONENT:REGION,REGION, e.g. api:eu-west"
            ));
        }
        let mut list = Vec::new();
        for region in regions.into_iter().flat_map(|r| r.split(',')).map(str::trim) {
            if region.is_empty() {
                return Err(format!(
                    "--affects {spec:?} has an empty region: list regions after the colon, separated by commas, e.g. {id}:us-east,eu-west"
                ));
            }
            if region != "*" && !list.iter().any(|r| r == region) {
                list.push(region.to_owned());
            }
        }
        Ok(Affects { id: id.to_owned(), regions: list })
    }

    /// The service x region cells (component and region indexes) this
    /// names: a group stands for its components, no regions for every
    /// region each runs in, and listed regions mean those of them each
    /// component runs in (the rule of a block, see
    /// [`crate::content::refs::region_selection`]). An unknown id or region
    /// (with "did you mean"), or a region none of the components runs in,
    /// is the error (one value names one component, so that is the
    /// component not running there); `flag` is the option that named it.
    pub fn cells(&self, config: &Config, flag: &str) -> Result<BTreeSet<(usize, usize)>, String> {
        let components = self.components(config, flag)?;
        let regions = self.region_indexes(config, flag)?;
        let cells = grid(config, &components, regions.as_deref());
        if let Some(&r) = regions.iter().flatten().find(|&&r| !cells.iter().any(|&(_, cr)| cr == r)) {
            return Err(format!(
                "{} does not run in {}, so {flag} cannot name it there",
                self.id, config.regions[r].id
            ));
        }
        Ok(cells)
    }

    /// The component indexes the id stands for (a group: its components).
    fn components(&self, config: &Config, flag: &str) -> Result<Vec<usize>, String> {
        let id = self.id.as_str();
        match config.components.iter().position(|c| c.id == id) {
            Some(c) => Ok(vec![c]),
            None if config.group(id).is_some() => Ok(config
                .components
                .iter()
                .enumerate()
                .filter(|(_, c)| c.group.as_deref() == Some(id))
                .map(|(i, _)| i)
                .collect()),
            None => {
                let ids =
                    config.components.iter().map(|c| c.id.as_str()).chain(config.groups.iter().map(|g| g.id.as_str()));
                Err(format!(
                    "{flag} names {id:?}, which is no component or group of status.toml{}",
                    suggestion(id, ids)
                ))
            }
        }
    }

    /// The region indexes named; `None` for every region.
    fn region_indexes(&self, config: &Config, flag: &str) -> Result<Option<Vec<usize>>, String> {
        if self.regions.is_empty() {
            return Ok(None);
        }
        let index = |region: &String| {
            config.regions.iter().position(|x| x.id == *region).ok_or_else(|| {
                let hint = suggestion(region, config.regions.iter().map(|r| r.id.as_str()));
                format!("{flag} names region {region:?}, which is not in status.toml{hint}")
            })
        };
        self.regions.iter().map(index).collect::<Result<Vec<_>, _>>().map(Some)
    }

    /// "groups" for an id that is a group (and not a component), else "components".
    fn key(&self, config: &Config) -> &'static str {
        if config.component(&self.id).is_none() && config.group(&self.id).is_some() {
            "groups"
        } else {
            "components"
        }
    }

    /// An `[[affected]]` table for an incident.
    pub fn affected_table(&self, config: &Config, status: &str) -> Table {
        let mut t = Table::new();
        t.insert(self.key(config), Item::Value(Array::from_iter([self.id.as_str()]).into()));
        if !self.regions.is_empty() {
            t.insert("regions", Item::Value(Array::from_iter(&self.regions).into()));
        }
        t.insert("status", toml_edit::value(status));
        t
    }

    /// The component's (or group's) name, and the names of the regions.
    fn names(&self, config: &Config) -> (String, Vec<String>) {
        let name = config
            .component(&self.id)
            .map(|c| c.name.clone())
            .or_else(|| config.group(&self.id).map(|g| g.name.clone()))
            .unwrap_or_else(|| self.id.clone());
        let regions =
            self.regions.iter().map(|r| config.region(r).map_or_else(|| r.clone(), |x| x.name.clone())).collect();
        (name, regions)
    }
}

/// Checks every `--affects` value of an incident against the config (each
/// becomes a block of its own): all the problems, a line each.
pub fn check_all(list: &[Affects], config: &Config) -> Result<(), String> {
    let problems: Vec<String> = list.iter().filter_map(|a| a.cells(config, "--affects").err()).collect();
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("\n")),
    }
}

/// The offered cells of `components` x `regions` (`None`: every region).
fn grid(config: &Config, components: &[usize], regions: Option<&[usize]>) -> BTreeSet<(usize, usize)> {
    let named = |r: usize| regions.is_none_or(|list| list.contains(&r));
    let mut cells = BTreeSet::new();
    for &c in components {
        let runs = &config.components[c].regions;
        cells.extend(
            (0..config.regions.len()).filter(|&r| runs.contains(&config.regions[r].id) && named(r)).map(|r| (c, r)),
        );
    }
    cells
}

/// What a list of `--affects` touches, in words, with the config's names:
/// "Service Management in US North and EU West; Billing" (region names may
/// hold commas and parentheses of their own, hence the semicolons).
pub fn describe(list: &[Affects], config: &Config) -> String {
    let parts: Vec<(String, Vec<String>)> = list.iter().map(|a| a.names(config)).collect();
    if parts.iter().all(|(_, regions)| regions.is_empty()) {
        return join_words(&parts.into_iter().map(|(name, _)| name).collect::<Vec<_>>());
    }
    let parts: Vec<String> = parts.into_iter().map(|(name, regions)| in_regions(name, &regions)).collect();
    parts.join("; ")
}

fn in_regions(name: String, regions: &[String]) -> String {
    if regions.is_empty() {
        name
    } else {
        format!("{name} in {}", join_words(regions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostics, SourceMap};

    const STATUS: &str = r#"
title = "T"
base_url = "https://s.example"
timezone = "UTC"
[[groups]]
id = "compute"
name = "Compute"
[[regions]]
id = "us-east"
name = "US East"
[[regions]]
id = "eu-west"
name = "EU West"
[[components]]
id = "api"
name = "Public API"
group = "compute"
[[components]]
id = "db"
name = "Database"
[[components]]
id = "cache"
name = "Cache"
group = "compute"
regions = ["us-east"]
"#;

    fn config() -> Config {
        let map = SourceMap::new("status.toml", STATUS, 0);
        crate::config::parse(&map, STATUS, &mut Diagnostics::new()).expect("test config parses")
    }

    fn parse(spec: &str) -> Affects {
        Affects::parse(spec).unwrap()
    }

    #[test]
    fn parses_components_and_regions() {
        assert_eq!(parse("api"), Affects { id: "api".into(), regions: vec![] });
        assert_eq!(parse("api:*"), Affects { id: "api".into(), regions: vec![] });
        assert_eq!(
            parse(" service-management : us-north, eu-west,us-north"),
            Affects { id: "service-management".into(), regions: vec!["us-north".into(), "eu-west".into()] }
        );
    }

    #[test]
    fn refuses_empty_parts() {
        assert!(Affects::parse("").unwrap_err().contains("names no component"));
        assert!(Affects::parse(":eu-west").unwrap_err().contains("names no component"));
        assert!(Affects::parse("api:").unwrap_err().contains("empty region"));
        assert!(Affects::parse("api:us-east,,eu-west").unwrap_err().contains("e.g. api:us-east,eu-west"));
    }

    #[test]
    fn tables_name_components_or_groups() {
        let config = config();
        let t = parse("api:us-east,eu-west").affected_table(&config, "major_outage");
        assert_eq!(
            t.to_string(),
            "components = [\"api\"]\nregions = [\"us-east\", \"eu-west\"]\nstatus = \"major_outage\"\n"
        );
        let g = parse("compute").affected_table(&config, "partial_outage");
        assert_eq!(g.to_string(), "groups = [\"compute\"]\nstatus = \"partial_outage\"\n");
    }

    #[test]
    fn maintenance_has_one_region_list() {
        let config = config();
        let keys = maintenance_keys(&[parse("api:eu-west"), parse("compute:eu-west")], &config).unwrap();
        let text: Vec<String> = keys.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        assert_eq!(text, ["components = [\"api\"]", "groups = [\"compute\"]", "regions = [\"eu-west\"]"]);
        let err = maintenance_keys(&[parse("api:eu-west"), parse("db")], &config).unwrap_err();
        assert!(err.contains("--affects api:eu-west and --affects db name different regions"), "{err}");
        assert!(maintenance_keys(&[], &config).unwrap_err().contains("needs --affects"));
    }

    #[test]
    fn a_value_means_the_cells_offered() {
        let config = config();
        let cells = |spec: &str| parse(spec).cells(&config, "--affects");
        // compute = api (everywhere) and cache (us-east only): a sparse grid.
        assert_eq!(cells("compute:us-east,eu-west").unwrap(), BTreeSet::from([(0, 0), (0, 1), (2, 0)]));
        assert_eq!(cells("cache").unwrap(), BTreeSet::from([(2, 0)]));
        assert_eq!(
            cells("cache:eu-west").unwrap_err(),
            "cache does not run in eu-west, so --affects cannot name it there"
        );
        assert_eq!(
            cells("cache:us-east,eu-west").unwrap_err(),
            "cache does not run in eu-west, so --affects cannot name it there"
        );
        assert!(cells("cache:eu-wst").unwrap_err().contains("did you mean eu-west?"));
    }

    #[test]
    fn a_maintenance_is_one_sparse_block() {
        let config = config();
        let list = |specs: &[&str]| specs.iter().map(|s| parse(s)).collect::<Vec<_>>();
        // cache runs in us-east only, api in both: the grid holds the three cells.
        assert_eq!(check_shared(&list(&["api:us-east,eu-west", "cache:us-east,eu-west"]), &config), Ok(()));
        assert_eq!(
            check_shared(&list(&["api:eu-west", "cache:eu-west"]), &config).unwrap_err(),
            "cache does not run in any of the regions named, so --affects cannot name it there"
        );
        assert_eq!(
            check_shared(&list(&["cache:us-east,eu-west"]), &config).unwrap_err(),
            "none of the services named runs in eu-west, so --affects cannot name it"
        );
        // A group need not run everywhere named; unknown ids still come first.
        assert_eq!(check_shared(&list(&["compute:eu-west", "db:eu-west"]), &config), Ok(()));
        assert!(check_shared(&list(&["cach:eu-west"]), &config).unwrap_err().contains("did you mean cache?"));
        // Different region lists: each value alone, then maintenance_keys refuses.
        assert!(check_shared(&list(&["cache:eu-west", "api"]), &config)
            .unwrap_err()
            .contains("cache does not run in eu-west"));
    }

    #[test]
    fn describes_with_names() {
        let config = config();
        let list = [parse("api:us-east,eu-west"), parse("unknown-thing")];
        assert_eq!(describe(&list, &config), "Public API in US East and EU West; unknown-thing");
        assert_eq!(describe(&list[..1], &config), "Public API in US East and EU West");
        assert_eq!(describe(&[parse("compute"), parse("db")], &config), "Compute and Database");
        let shared = [parse("api:eu-west"), parse("db:eu-west"), parse("compute:eu-west")];
        assert_eq!(describe_shared(&shared, &config), "Public API, Database and Compute in EU West");
        assert_eq!(describe_shared(&shared[1..2], &config), "Database in EU West");
    }
}
