//! Status at an instant: per (component, region) cell, per component, for
//! the whole site. A cell's status is the worst among the `[[affected]]`
//! windows covering the instant and any maintenance under way.

use crate::config::Config;
use crate::model::{ComponentStatus, Site};
use crate::time::Instant;

/// The status of every cell at one instant, indexed like the config:
/// `cells[component][region]`, `None` where the component does not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusGrid {
    pub cells: Vec<Vec<Option<ComponentStatus>>>,
}

impl StatusGrid {
    /// Every offered cell operational.
    pub fn operational(config: &Config) -> StatusGrid {
        let cells = config
            .components
            .iter()
            .map(|c| {
                config
                    .regions
                    .iter()
                    .map(|r| c.regions.contains(&r.id).then_some(ComponentStatus::Operational))
                    .collect()
            })
            .collect();
        StatusGrid { cells }
    }

    /// The worst status of a component across its regions.
    pub fn component(&self, index: usize) -> ComponentStatus {
        self.cells[index].iter().flatten().copied().max().unwrap_or(ComponentStatus::Operational)
    }

    /// The worst status of any component in a region.
    pub fn region(&self, index: usize) -> ComponentStatus {
        self.cells.iter().filter_map(|row| row[index]).max().unwrap_or(ComponentStatus::Operational)
    }

    /// The worst status anywhere: the site's status.
    pub fn overall(&self) -> ComponentStatus {
        self.cells.iter().flatten().flatten().copied().max().unwrap_or(ComponentStatus::Operational)
    }

    fn raise(&mut self, component: usize, region: usize, status: ComponentStatus) {
        if let Some(cell) = self.cells[component][region].as_mut() {
            *cell = (*cell).max(status);
        }
    }
}

/// Status of every cell at `at`, from incidents and maintenance.
pub fn grid_at(site: &Site, at: Instant) -> StatusGrid {
    let mut grid = StatusGrid::operational(&site.config);
    for incident in site.incidents.iter().filter(|i| i.is_open_at(at)) {
        incident.each_cell_at(&site.lookup, at, |c, r, status| grid.raise(c, r, status));
    }
    for m in site.maintenance.iter().filter(|m| m.in_progress_at(at)) {
        site.lookup.cells(&m.components, &m.regions, m.scheduled_start, |c, r| {
            grid.raise(c, r, ComponentStatus::UnderMaintenance)
        });
    }
    grid
}

#[cfg(test)]
mod tests;
