//! Ids to positions in the config, and which cells exist, built once per
//! site so that per-incident work never scans the component list.

use super::config::Config;
use crate::time::Instant;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Lookup {
    components: BTreeMap<String, usize>,
    regions: BTreeMap<String, usize>,
    /// `offered[component][region]`: does the component run there?
    offered: Vec<Vec<bool>>,
    /// Per component, then per region: its `since`, if any.
    component_since: Vec<Option<Instant>>,
    region_since: Vec<Option<Instant>>,
}

impl Lookup {
    pub fn new(config: &Config) -> Lookup {
        let regions: BTreeMap<String, usize> =
            config.regions.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        let offered = config
            .components
            .iter()
            .map(|c| {
                let mut row = vec![false; config.regions.len()];
                for r in &c.regions {
                    if let Some(&i) = regions.get(r) {
                        row[i] = true;
                    }
                }
                row
            })
            .collect();
        Lookup {
            components: config.components.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect(),
            regions,
            offered,
            component_since: config.components.iter().map(|c| c.since).collect(),
            region_since: config.regions.iter().map(|r| r.since).collect(),
        }
    }

    pub fn component(&self, id: &str) -> Option<usize> {
        self.components.get(id).copied()
    }

    pub fn region(&self, id: &str) -> Option<usize> {
        self.regions.get(id).copied()
    }

    pub fn offered(&self, component: usize, region: usize) -> bool {
        self.offered[component][region]
    }

    /// Calls `f(component, region)` for every offered cell a selection
    /// made at `at` covers (`None` regions = every region each component
    /// runs in).
    ///
    /// The one place "every region" and "every component of a group" are
    /// read: they mean those that existed at `at` (a window's start, a
    /// maintenance's scheduled start), so a region or component added
    /// later, with its `since`, never takes on older incidents. Content
    /// that names one explicitly before its `since` is refused by `check`,
    /// so leaving out every cell not yet there changes nothing else.
    pub fn cells(
        &self,
        components: &[String],
        regions: &Option<Vec<String>>,
        at: Instant,
        mut f: impl FnMut(usize, usize),
    ) {
        let existed = |since: &Option<Instant>| since.is_none_or(|s| s <= at);
        let in_region = |r: usize| existed(&self.region_since[r]);
        // A listed region's id is looked up once, not once per component.
        let listed: Option<Vec<usize>> =
            regions.as_ref().map(|list| list.iter().filter_map(|r| self.region(r)).collect());
        for c in components.iter().filter_map(|c| self.component(c)).filter(|&c| existed(&self.component_since[c])) {
            let offered = |r: &usize| self.offered[c][*r] && in_region(*r);
            match &listed {
                None => (0..self.offered[c].len()).filter(offered).for_each(|r| f(c, r)),
                Some(list) => list.iter().copied().filter(offered).for_each(|r| f(c, r)),
            }
        }
    }
}
