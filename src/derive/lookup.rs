//! Ids to positions in the config, and which cells exist, built once per
//! site so that per-incident work never scans the component list.

use crate::config::Config;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Lookup {
    components: BTreeMap<String, usize>,
    regions: BTreeMap<String, usize>,
    /// `offered[component][region]`: does the component run there?
    offered: Vec<Vec<bool>>,
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
    /// covers (`None` regions = every region each component runs in).
    pub fn cells(&self, components: &[String], regions: &Option<Vec<String>>, mut f: impl FnMut(usize, usize)) {
        for c in components.iter().filter_map(|c| self.component(c)) {
            match regions {
                None => (0..self.offered[c].len()).filter(|&r| self.offered[c][r]).for_each(|r| f(c, r)),
                Some(list) => {
                    list.iter().filter_map(|r| self.region(r)).filter(|&r| self.offered[c][r]).for_each(|r| f(c, r))
                }
            }
        }
    }
}
