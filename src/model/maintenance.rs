//! A scheduled maintenance and its updates, and where it stands at an
//! instant.

use super::MaintenanceStatus;
use crate::time::Instant;
use std::path::PathBuf;

#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct Maintenance {
    pub id: String,
    pub source: PathBuf,
    pub title: String,
    #[serde(with = "chrono::serde::ts_nanoseconds")]
    pub scheduled_start: Instant,
    #[serde(with = "chrono::serde::ts_nanoseconds")]
    pub scheduled_end: Instant,
    pub components: Vec<String>,
    pub regions: Option<Vec<String>>,
    pub updates: Vec<MaintenanceUpdate>,
    pub body: String,
}

impl Maintenance {
    /// Where it stands at `now`. An update that says it started, is being
    /// verified or completed is taken at its word; otherwise (no update yet,
    /// or only "scheduled") the schedule decides.
    pub fn status_at(&self, now: Instant) -> MaintenanceStatus {
        match self.updates.iter().rev().find(|u| u.at <= now).map(|u| u.status) {
            Some(status) if status != MaintenanceStatus::Scheduled => status,
            _ if now < self.scheduled_start => MaintenanceStatus::Scheduled,
            _ if now < self.scheduled_end => MaintenanceStatus::InProgress,
            _ => MaintenanceStatus::Completed,
        }
    }

    /// When it last changed, from content times: its newest update, else
    /// its scheduled start.
    pub fn last_activity(&self) -> Instant {
        self.updates.iter().map(|u| u.at).max().unwrap_or(self.scheduled_start)
    }

    /// [`Maintenance::last_activity`] as of `now`: its newest update said
    /// by then, else (none said yet) its scheduled start.
    pub fn last_activity_at(&self, now: Instant) -> Instant {
        self.updates_at(now).last().map_or(self.scheduled_start, |u| u.at)
    }

    /// When it was first announced as of `now`: its first update said by
    /// then, else its scheduled start.
    pub fn announced_at(&self, now: Instant) -> Instant {
        self.updates_at(now).first().map_or(self.scheduled_start, |u| u.at)
    }

    /// The updates said by `now`, oldest first (updates are in order).
    pub fn updates_at(&self, now: Instant) -> &[MaintenanceUpdate] {
        &self.updates[..self.updates.partition_point(|u| u.at <= now)]
    }

    /// The maintenance as it had been announced by `now`: its updates said
    /// by then, or `None` when it has updates and none is posted yet. One
    /// without updates is known from its schedule alone.
    pub fn as_of(mut self, now: Instant) -> Option<Maintenance> {
        let said = self.updates_at(now).len();
        if !self.updates.is_empty() && said == 0 {
            return None;
        }
        self.updates.truncate(said);
        Some(self)
    }

    /// When its status last changed as of `now`: its newest update by then,
    /// or the scheduled start or end that moved it on by itself when no
    /// update set its status, whichever is later. Before either, its last
    /// activity.
    pub fn changed_at(&self, now: Instant) -> Instant {
        let latest = self.updates.iter().rev().find(|u| u.at <= now);
        let by_schedule = match latest {
            Some(u) if u.status != MaintenanceStatus::Scheduled => None,
            _ if now >= self.scheduled_end => Some(self.scheduled_end),
            _ if now >= self.scheduled_start => Some(self.scheduled_start),
            _ => None,
        };
        latest.map(|u| u.at).max(by_schedule).unwrap_or_else(|| self.last_activity())
    }

    /// Is it under way at `now` (its components shown under maintenance)?
    pub fn in_progress_at(&self, now: Instant) -> bool {
        matches!(self.status_at(now), MaintenanceStatus::InProgress | MaintenanceStatus::Verifying)
    }
}

#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct MaintenanceUpdate {
    #[serde(with = "chrono::serde::ts_nanoseconds")]
    pub at: Instant,
    pub status: MaintenanceStatus,
    pub body: String,
}
