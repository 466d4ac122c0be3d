//! The validated site: what every renderer reads. Built once by
//! [`crate::content::load`], never changed afterwards.
//!
//! Everything here is checked: ids exist, times are instants in order,
//! windows lie inside their incident. Renderers may rely on it.

pub mod config;
mod incident;
pub mod lookup;
mod maintenance;
mod status;

pub use incident::{ActionItem, Affected, Credit, CreditMonths, Incident, Postmortem, Update};
pub use maintenance::{Maintenance, MaintenanceUpdate};
pub use status::{ActionStatus, ComponentStatus, Impact, MaintenanceStatus, UpdateStatus};

use crate::time::Instant;
use config::Config;
use lookup::Lookup;
use std::path::PathBuf;

/// The whole site as read from disk, plus the build's clock.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Newest first (by `started`, then id).
    pub incidents: Vec<Incident>,
    /// Soonest first (by `scheduled_start`, then id).
    pub maintenance: Vec<Maintenance>,
    /// By `order`, then id.
    pub pages: Vec<Page>,
    /// The instant the build describes: "current" status is status at `now`.
    pub now: Instant,
    /// Ids to config positions, built once.
    pub lookup: Lookup,
}

impl Site {
    /// The newest content time at or before `now`: when the site last
    /// changed. Feeds and the API use it instead of the build's clock; a
    /// site with nothing said yet has never changed (the Unix epoch).
    pub fn updated_at(&self) -> Instant {
        let incidents = self.incidents.iter().map(|i| i.last_activity_at(self.now));
        let maintenance = self.maintenance.iter().map(|m| m.last_activity_at(self.now));
        incidents.chain(maintenance).filter(|t| *t <= self.now).max().unwrap_or(Instant::UNIX_EPOCH)
    }

    /// The site as published at its clock: only what had been said by
    /// then ([`Incident::as_of`], [`Maintenance::as_of`]), so that a build
    /// at an instant shows what the page said at that instant and nothing
    /// it learned later. Everything is still validated and linted first
    /// (see `build::load_checked`).
    pub fn published(mut self) -> Site {
        let now = self.now;
        self.incidents = std::mem::take(&mut self.incidents).into_iter().filter_map(|i| i.as_of(now)).collect();
        self.maintenance = std::mem::take(&mut self.maintenance).into_iter().filter_map(|m| m.as_of(now)).collect();
        self
    }

    /// The oldest content time: when the site's record begins.
    pub fn created_at(&self) -> Instant {
        let incidents = self.incidents.iter().map(|i| i.started);
        let maintenance = self.maintenance.iter().map(|m| m.announced_at(self.now));
        incidents.chain(maintenance).min().unwrap_or(self.now)
    }

    pub fn new(
        config: Config,
        incidents: Vec<Incident>,
        maintenance: Vec<Maintenance>,
        pages: Vec<Page>,
        now: Instant,
    ) -> Site {
        let lookup = Lookup::new(&config);
        Site { config, incidents, maintenance, pages, now, lookup }
    }

    /// Whether what an incident's page says is settled at the clock: it
    /// changes only when more is said about it, never with the clock alone.
    /// So: resolved, no credits (their figures read the uptime of billing
    /// months) and no open action item still to fall overdue. Decided on
    /// what has been said by the clock only, like everything a build shows.
    /// A settled page carries no build clock, so a rebuild at a later clock
    /// leaves it byte for byte as it was.
    pub fn incident_settled(&self, incident: &Incident) -> bool {
        let today = crate::time::local_date(self.now, self.config.timezone);
        let items = incident.postmortem.iter().flat_map(|p| p.sections()).flat_map(|(_, items)| items);
        incident.resolved.is_some_and(|r| r <= self.now)
            && incident.credits.is_empty()
            && items.into_iter().all(|a| a.status == ActionStatus::Done || a.due.is_none_or(|d| d < today))
    }

    /// Whether what a maintenance's page says is settled (see
    /// [`Site::incident_settled`]): completed, and its scheduled window
    /// over, after which its status no longer moves by itself. One still in
    /// progress past its window follows the clock.
    pub fn maintenance_settled(&self, maintenance: &Maintenance) -> bool {
        maintenance.scheduled_end <= self.now && maintenance.status_at(self.now) == MaintenanceStatus::Completed
    }
}

#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub id: String,
    pub source: PathBuf,
    pub title: String,
    pub description: Option<String>,
    pub order: i64,
    pub body: String,
}
