//! Where an incident or a maintenance touches services, in words, per
//! service and exact: "Compute in 3 regions (North Central US, South
//! Central US and North Europe); Service Management in all 8 regions".
//! "All" is said only when it is true of that service: every region it
//! runs in. One wording for every place that says where: history and list
//! rows (an incident's whole span), the front page's "affects now", feed
//! entries and social posts (the moment of each update).

use crate::model::{ComponentStatus, Impact, Incident, Maintenance, Site, Update, UpdateStatus};
use crate::time::Instant;
use crate::words::join_words;
use std::collections::BTreeMap;

/// At most this many phrases; the rest is counted ("and 12 more services").
const PHRASES: usize = 4;

/// A set of service x region cells (component and region indexes in
/// config order), each with its worst status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    cells: BTreeMap<(usize, usize), ComponentStatus>,
}

impl Scope {
    pub fn from_cells(cells: BTreeMap<(usize, usize), ComponentStatus>) -> Scope {
        Scope { cells }
    }

    /// Every cell any of the incident's windows covered, over its whole span.
    pub fn of_incident(i: &Incident, site: &Site) -> Scope {
        let mut cells = BTreeMap::new();
        for w in &i.affected {
            site.lookup.cells(&w.components, &w.regions, w.from, |c, r| {
                let slot = cells.entry((c, r)).or_insert(w.status);
                *slot = (*slot).max(w.status);
            });
        }
        Scope { cells }
    }

    /// The cells the incident's windows cover at `at`.
    pub fn of_incident_at(i: &Incident, site: &Site, at: Instant) -> Scope {
        Scope { cells: crate::derive::summary::cells_at(i, site, at) }
    }

    /// The state an update speaks to and the cells it speaks of, as of
    /// its instant, never what was learned later: the cells covered then,
    /// under their worst status; after every window closed, those affected
    /// just before the last one closed (what recovered), as "Resolved" on
    /// a resolved update and "Recovered" on another; before any window
    /// opened, the incident's impact ("Major impact") and no cells.
    pub fn at_update(incident: &Incident, site: &Site, update: &Update) -> (String, Scope) {
        let now = Scope::of_incident_at(incident, site, update.at);
        if let Some(worst) = now.worst() {
            return (worst.label().to_owned(), now);
        }
        let ends = incident.affected.iter().filter_map(|a| a.to);
        if let Some(end) = ends.filter(|&to| to <= update.at).max() {
            let before = Scope::of_incident_at(incident, site, end - chrono::Duration::seconds(1));
            let word = if update.status == UpdateStatus::Resolved { "Resolved" } else { "Recovered" };
            return (word.to_owned(), before);
        }
        let label = match incident.impact {
            Impact::None => "No impact".to_owned(),
            impact => format!("{} impact", impact.label()),
        };
        (label, Scope::default())
    }

    /// The cells a maintenance puts under maintenance.
    pub fn of_maintenance(m: &Maintenance, site: &Site) -> Scope {
        let mut cells = BTreeMap::new();
        site.lookup.cells(&m.components, &m.regions, m.scheduled_start, |c, r| {
            cells.insert((c, r), ComponentStatus::UnderMaintenance);
        });
        Scope { cells }
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The worst status of any cell.
    pub fn worst(&self) -> Option<ComponentStatus> {
        self.cells.values().copied().max()
    }

    /// The components touched, in config order.
    pub fn components(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self.cells.keys().map(|(c, _)| *c).collect();
        out.dedup();
        out
    }

    /// The regions touched, as flags in config order.
    pub fn region_flags(&self, regions: usize) -> Vec<bool> {
        let mut flags = vec![false; regions];
        for (_, r) in self.cells.keys() {
            flags[*r] = true;
        }
        flags
    }

    /// Where component `c` is touched, without "in": "EU West", "EU West
    /// and US East", "3 regions (A, B and C)", "7 of its 9 regions", "all 9
    /// of its regions", "both its regions", "all 10 regions" (it runs in
    /// every region of the site). Empty when it is not touched.
    pub fn where_(&self, c: usize, site: &Site) -> String {
        let regions: Vec<usize> = self.cells.range((c, 0)..(c + 1, 0)).map(|((_, r), _)| *r).collect();
        if regions.is_empty() {
            return String::new();
        }
        let total = site.config.regions.len();
        let runs = (0..total).filter(|&r| site.lookup.offered(c, r)).count();
        let names = || regions.iter().map(|&r| site.config.regions[r].name.clone()).collect::<Vec<_>>();
        match regions.len() {
            2 if runs == 2 && total == 2 => "both regions".to_owned(),
            2 if runs == 2 => "both its regions".to_owned(),
            k if k == runs && k > 1 && runs == total => format!("all {k} regions"),
            k if k == runs && k > 1 => format!("all {k} of its regions"),
            1 | 2 => join_words(&names()),
            3 => format!("3 regions ({})", join_words(&names())),
            k if runs == total => format!("{k} of {total} regions"),
            k => format!("{k} of its {runs} regions"),
        }
    }

    /// Every touched service with where, services touched alike said
    /// together: "Compute and Caching in 3 regions (...); Service
    /// Management in all 8 regions". At most four phrases, then "and N
    /// more services". Empty when nothing is touched.
    pub fn words(&self, site: &Site) -> String {
        let components = self.components();
        phrases(site, components.iter().map(|&c| (c, self.where_(c, site))))
    }
}

/// "A and B in X; C in Y", from (component, where) in config order.
fn phrases(site: &Site, wheres: impl Iterator<Item = (usize, String)>) -> String {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (c, place) in wheres {
        let name = site.config.components[c].name.clone();
        match groups.iter_mut().find(|(p, _)| *p == place) {
            Some((_, names)) => names.push(name),
            None => groups.push((place, vec![name])),
        }
    }
    let shown: Vec<String> =
        groups.iter().take(PHRASES).map(|(place, names)| format!("{} in {place}", join_words(names))).collect();
    let more: usize = groups.iter().skip(PHRASES).map(|(_, names)| names.len()).sum();
    match more {
        0 => shown.join("; "),
        1 => format!("{}; and 1 more service", shown.join("; ")),
        n => format!("{}; and {n} more services", shown.join("; ")),
    }
}

#[cfg(test)]
mod tests;
