//! The Statuspage v2 objects and how Candor's model maps onto them.

use super::shortlink;
use crate::derive::status::StatusGrid;
use crate::model::{ComponentStatus, Incident, Maintenance, MaintenanceStatus, Site, UpdateStatus};
use crate::time::Instant;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct ApiPage {
    pub id: String,
    pub name: String,
    pub url: String,
    pub time_zone: String,
    pub updated_at: String,
}

#[derive(Serialize)]
pub struct ApiStatus {
    pub indicator: &'static str,
    pub description: &'static str,
}

#[derive(Serialize, Clone)]
pub struct ApiComponent {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub created_at: String,
    pub updated_at: String,
    pub position: usize,
    pub description: Option<String>,
    pub showcase: bool,
    pub start_date: Option<String>,
    pub group_id: Option<String>,
    pub page_id: String,
    pub group: bool,
    pub only_show_if_degraded: bool,
    /// Present on groups only, as on Statuspage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<String>>,
}

#[derive(Serialize)]
pub struct ApiAffectedComponent {
    pub code: String,
    pub name: String,
    pub old_status: &'static str,
    pub new_status: &'static str,
}

#[derive(Serialize)]
pub struct ApiIncidentUpdate {
    pub id: String,
    pub status: &'static str,
    pub body: String,
    pub incident_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub display_at: String,
    pub affected_components: Option<Vec<ApiAffectedComponent>>,
    pub deliver_notifications: bool,
    pub custom_tweet: Option<String>,
    pub tweet_id: Option<String>,
}

#[derive(Serialize)]
pub struct ApiIncident {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub created_at: String,
    pub updated_at: String,
    pub monitoring_at: Option<String>,
    pub resolved_at: Option<String>,
    pub impact: &'static str,
    pub shortlink: String,
    pub started_at: String,
    pub page_id: String,
    pub incident_updates: Vec<ApiIncidentUpdate>,
    pub components: Vec<ApiComponent>,
}

#[derive(Serialize)]
pub struct ApiMaintenance {
    #[serde(flatten)]
    pub incident: ApiIncident,
    pub scheduled_for: String,
    pub scheduled_until: String,
}

/// Candor's extension: regions with their status and their cells.
#[derive(Serialize)]
pub struct ApiRegion {
    pub id: String,
    pub name: String,
    pub geography: Option<String>,
    pub status: &'static str,
    /// Ids of the components (service in this region) listed in `components`.
    pub components: Vec<String>,
}

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
                let end = w.to.or(incident.resolved);
                for t in std::iter::once(w.from).chain(end).filter(|t| *t <= site.now) {
                    site.lookup.cells(&w.components, &w.regions, |c, r| note(c, r, t));
                }
            }
        }
        for m in &site.maintenance {
            for t in [m.scheduled_start, m.scheduled_end].into_iter().filter(|t| *t <= site.now) {
                site.lookup.cells(&m.components, &m.regions, |c, r| note(c, r, t));
            }
        }
        let host = config.base_url.split("://").nth(1).unwrap_or(&config.base_url);
        Api {
            site,
            page_id: host.replace(['.', ':', '/'], "-"),
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

    pub fn status(&self) -> ApiStatus {
        let (indicator, description) = match self.grid.overall() {
            ComponentStatus::Operational => ("none", "All Systems Operational"),
            ComponentStatus::UnderMaintenance => ("maintenance", "Service Under Maintenance"),
            ComponentStatus::DegradedPerformance => ("minor", "Minor Service Outage"),
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
        let (component, region) = (&c.components[ci], &c.regions[ri]);
        let created = self.created;
        let status = self.grid.cells[ci][ri].unwrap_or(ComponentStatus::Operational);
        ApiComponent {
            id: self.cell_id(ci, ri),
            name: if self.grouped { format!("{} - {}", component.name, region.name) } else { component.name.clone() },
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

    /// This incident's own status for each cell it touches at `at`.
    fn incident_cells(&self, i: &Incident, at: Option<Instant>) -> BTreeMap<(usize, usize), ComponentStatus> {
        let mut out = BTreeMap::new();
        let Some(at) = at else { return out };
        for w in i.affected.iter().filter(|w| w.covers(at) && i.resolved.is_none_or(|r| at < r)) {
            self.site.lookup.cells(&w.components, &w.regions, |c, r| {
                let slot = out.entry((c, r)).or_insert(w.status);
                *slot = (*slot).max(w.status);
            });
        }
        out
    }

    fn incident(&self, i: &Incident) -> ApiIncident {
        let now = self.site.now;
        let status = match (&i.postmortem, i.resolved, i.updates.last()) {
            (Some(p), Some(_), _) if p.published <= now => "postmortem",
            (_, Some(_), _) => "resolved",
            (_, None, Some(u)) => u.status.as_str(),
            (_, None, None) => "investigating",
        };
        let mut updates = Vec::new();
        let mut before: Option<Instant> = None;
        for u in &i.updates {
            let (old, new) = (self.incident_cells(i, before), self.incident_cells(i, Some(u.at)));
            let mut keys: Vec<(usize, usize)> = old.keys().chain(new.keys()).copied().collect();
            keys.sort();
            keys.dedup();
            let affected: Vec<ApiAffectedComponent> = keys
                .into_iter()
                .map(|(ci, ri)| ApiAffectedComponent {
                    code: self.cell_id(ci, ri),
                    name: self.cell(ci, ri).name,
                    old_status: old.get(&(ci, ri)).copied().unwrap_or(ComponentStatus::Operational).as_str(),
                    new_status: new.get(&(ci, ri)).copied().unwrap_or(ComponentStatus::Operational).as_str(),
                })
                .collect();
            updates.push(ApiIncidentUpdate {
                id: format!("{}.{}", i.id, crate::time::compact(u.at)),
                status: u.status.as_str(),
                body: u.body.trim_end().to_owned(),
                incident_id: i.id.clone(),
                created_at: self.ts(u.at),
                updated_at: self.ts(u.at),
                display_at: self.ts(u.at),
                affected_components: (!affected.is_empty()).then_some(affected),
                deliver_notifications: true,
                custom_tweet: None,
                tweet_id: None,
            });
            before = Some(u.at);
        }
        updates.reverse();
        let mut touched: Vec<(usize, usize)> = Vec::new();
        for w in &i.affected {
            self.site.lookup.cells(&w.components, &w.regions, |c, r| touched.push((c, r)));
        }
        touched.sort();
        touched.dedup();
        let monitoring = i.updates.iter().find(|u| u.status == UpdateStatus::Monitoring).map(|u| self.ts(u.at));
        ApiIncident {
            id: i.id.clone(),
            name: i.title.clone(),
            status,
            created_at: self.ts(i.updates.first().map_or(i.started, |u| u.at)),
            updated_at: self.ts(i.last_activity()),
            monitoring_at: monitoring,
            resolved_at: i.resolved.map(|r| self.ts(r)),
            impact: i.impact.as_str(),
            shortlink: shortlink(self.site, &i.id),
            started_at: self.ts(i.started),
            page_id: self.page_id.clone(),
            incident_updates: updates,
            components: touched.into_iter().map(|(ci, ri)| self.cell(ci, ri)).collect(),
        }
    }

    /// The newest `limit` incidents plus every unresolved one, newest first
    /// (building all of a large history to publish 50 would be waste).
    pub fn incidents(&self, limit: usize) -> Vec<ApiIncident> {
        let site = self.site;
        site.incidents
            .iter()
            .enumerate()
            .filter(|(n, i)| *n < limit || i.is_open())
            .map(|(_, i)| self.incident(i))
            .collect()
    }

    fn maintenance(&self, m: &Maintenance) -> ApiMaintenance {
        let now = self.site.now;
        let status = m.status_at(now);
        let resolved = (status == MaintenanceStatus::Completed).then(|| {
            m.updates.iter().find(|u| u.status == MaintenanceStatus::Completed).map_or(m.scheduled_end, |u| u.at)
        });
        let mut cells: Vec<(usize, usize)> = Vec::new();
        self.site.lookup.cells(&m.components, &m.regions, |c, r| cells.push((c, r)));
        let updates = m
            .updates
            .iter()
            .rev()
            .map(|u| ApiIncidentUpdate {
                id: format!("{}.{}", m.id, crate::time::compact(u.at)),
                status: u.status.as_str(),
                body: u.body.trim_end().to_owned(),
                incident_id: m.id.clone(),
                created_at: self.ts(u.at),
                updated_at: self.ts(u.at),
                display_at: self.ts(u.at),
                affected_components: None,
                deliver_notifications: true,
                custom_tweet: None,
                tweet_id: None,
            })
            .collect();
        ApiMaintenance {
            incident: ApiIncident {
                id: m.id.clone(),
                name: m.title.clone(),
                status: status.as_str(),
                created_at: self.ts(m.updates.first().map_or(m.scheduled_start, |u| u.at)),
                updated_at: self.ts(m.changed_at(self.site.now)),
                monitoring_at: None,
                resolved_at: resolved.map(|r| self.ts(r)),
                impact: "maintenance",
                shortlink: super::absolute_url(self.site, &format!("maintenance/{}/", m.id)),
                started_at: self.ts(m.scheduled_start),
                page_id: self.page_id.clone(),
                incident_updates: updates,
                components: cells.into_iter().map(|(ci, ri)| self.cell(ci, ri)).collect(),
            },
            scheduled_for: self.ts(m.scheduled_start),
            scheduled_until: self.ts(m.scheduled_end),
        }
    }

    /// Maintenance, soonest first.
    pub fn maintenances(&self) -> Vec<ApiMaintenance> {
        self.site.maintenance.iter().map(|m| self.maintenance(m)).collect()
    }
}
