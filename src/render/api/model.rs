//! How Candor's model maps onto the Statuspage v2 objects (declared in the
//! parent module), as things stand at the site's clock: what is dated after
//! it has not been said or has not happened yet.
mod incidents;

use super::{ApiComponent, ApiPage, ApiRegion, ApiStatus};
use crate::derive::status::StatusGrid;
use crate::model::{ComponentStatus, Site};
use crate::time::Instant;
use incidents::handed_over;

/// The mapping, with what every object needs computed once.
pub struct Api<'a> {
    site: &'a Site,
    page_id: String,
    grid: &'a StatusGrid,
    /// Per region-level component, in config order: (component index, region index).
    cells: Vec<(usize, usize)>,
    /// Last status change per cell at or before now, `changed[c][r]`.
    changed: Vec<Vec<Option<Instant>>>,
    /// Services become groups of regional components when there are several regions.
    grouped: bool,
    /// The site's oldest content time, every component's `created_at`.
    created: Instant,
}

impl<'a> Api<'a> {
    /// `grid` is every cell's status at the site's clock.
    pub fn new(site: &'a Site, grid: &'a StatusGrid) -> Api<'a> {
        let config = &site.config;
        let mut cells = Vec::new();
        for ci in 0..config.components.len() {
            for ri in 0..config.regions.len() {
                if site.lookup.offered(ci, ri) {
                    cells.push((ci, ri));
                }
            }
        }
        let mut changed = vec![vec![None; config.regions.len()]; config.components.len()];
        let mut note = |c: usize, r: usize, t: Instant| {
            let slot: &mut Option<Instant> = &mut changed[c][r];
            *slot = (*slot).max(Some(t));
        };
        for incident in &site.incidents {
            for w in &incident.affected {
                // A window's end is a change once it has come.
                for t in std::iter::once(w.from).chain(w.to).filter(|t| *t <= site.now) {
                    site.lookup.cells(&w.components, &w.regions, w.from, |c, r| note(c, r, t));
                }
            }
        }
        for m in &site.maintenance {
            if let Some(t) = handed_over(m, site.now) {
                site.lookup.cells(&m.components, &m.regions, m.scheduled_start, |c, r| note(c, r, t));
            }
        }
        let host = config.base_url.split("://").nth(1).unwrap_or(&config.base_url);
        Api {
            site,
            page_id: host.to_lowercase().replace(['.', ':', '/'], "-"),
            grid,
            cells,
            changed,
            grouped: config.regions.len() > 1,
            created: site.created_at(),
        }
    }

    fn ts(&self, t: Instant) -> String {
        crate::time::rfc3339_millis(t, self.site.config.timezone)
    }

    pub fn page(&self) -> ApiPage {
        let c = &self.site.config;
        ApiPage {
            id: self.page_id.clone(),
            name: c.title.clone(),
            url: c.base_url.clone(),
            time_zone: c.timezone.name().to_owned(),
            updated_at: self.ts(self.site.updated_at()),
        }
    }

    /// Statuspage's own words for a page whose worst component is in each
    /// status (docs/api.md names the source).
    pub fn status(&self) -> ApiStatus {
        let (indicator, description) = match self.grid.overall() {
            ComponentStatus::Operational => ("none", "All Systems Operational"),
            ComponentStatus::UnderMaintenance => ("maintenance", "Service Under Maintenance"),
            ComponentStatus::DegradedPerformance => ("minor", "Partially Degraded Service"),
            ComponentStatus::PartialOutage => ("major", "Partial System Outage"),
            ComponentStatus::MajorOutage => ("critical", "Major System Outage"),
        };
        ApiStatus { indicator, description }
    }

    /// The id of the API component for a cell.
    fn cell_id(&self, ci: usize, ri: usize) -> String {
        let c = &self.site.config;
        if self.grouped {
            format!("{}.{}", c.components[ci].id, c.regions[ri].id)
        } else {
            c.components[ci].id.clone()
        }
    }

    /// A cell's position: among its service's regions when grouped, else
    /// the service's own.
    fn cell_position(&self, ci: usize, ri: usize) -> usize {
        if !self.grouped {
            return ci + 1;
        }
        (0..ri).filter(|&r| self.site.lookup.offered(ci, r)).count() + 1
    }

    fn cell(&self, ci: usize, ri: usize) -> ApiComponent {
        let c = &self.site.config;
        let component = &c.components[ci];
        let created = self.created;
        let status = self.grid.cells[ci][ri].unwrap_or(ComponentStatus::Operational);
        ApiComponent {
            id: self.cell_id(ci, ri),
            name: self.cell_name(ci, ri),
            status: status.as_str(),
            created_at: self.ts(created),
            updated_at: self.ts(self.changed[ci][ri].unwrap_or(created)),
            position: self.cell_position(ci, ri),
            description: component.description.clone(),
            showcase: false,
            start_date: None,
            group_id: self.grouped.then(|| component.id.clone()),
            page_id: self.page_id.clone(),
            group: false,
            only_show_if_degraded: false,
            components: None,
        }
    }

    /// Every component: per service its group, then its regional children.
    pub fn components(&self) -> Vec<ApiComponent> {
        let c = &self.site.config;
        let mut out = Vec::new();
        for (ci, component) in c.components.iter().enumerate() {
            let cells: Vec<usize> = self.cells.iter().filter(|(x, _)| *x == ci).map(|(_, r)| *r).collect();
            if !self.grouped {
                out.extend(cells.iter().map(|&ri| self.cell(ci, ri)));
                continue;
            }
            let created = self.created;
            let updated = cells.iter().filter_map(|&ri| self.changed[ci][ri]).max().unwrap_or(created);
            out.push(ApiComponent {
                id: component.id.clone(),
                name: component.name.clone(),
                status: self.grid.component(ci).as_str(),
                created_at: self.ts(created),
                updated_at: self.ts(updated),
                position: ci + 1,
                description: component.description.clone(),
                showcase: false,
                start_date: None,
                group_id: None,
                page_id: self.page_id.clone(),
                group: true,
                only_show_if_degraded: false,
                components: Some(cells.iter().map(|&ri| self.cell_id(ci, ri)).collect()),
            });
            out.extend(cells.iter().map(|&ri| self.cell(ci, ri)));
        }
        out
    }

    pub fn regions(&self) -> Vec<ApiRegion> {
        let c = &self.site.config;
        c.regions
            .iter()
            .enumerate()
            .map(|(ri, r)| ApiRegion {
                id: r.id.clone(),
                name: r.name.clone(),
                geography: r.geography.clone(),
                status: self.grid.region(ri).as_str(),
                components: self.cells.iter().filter(|(_, x)| *x == ri).map(|&(ci, ri)| self.cell_id(ci, ri)).collect(),
            })
            .collect()
    }

    fn cell_name(&self, ci: usize, ri: usize) -> String {
        let c = &self.site.config;
        if self.grouped {
            format!("{} - {}", c.components[ci].name, c.regions[ri].name)
        } else {
            c.components[ci].name.clone()
        }
    }
}
