//! The validated site: what every renderer reads. Built once by
//! [`crate::content::load`], never changed afterwards.
//!
//! Everything here is checked: ids exist, times are instants in order,
//! windows lie inside their incident. Renderers may rely on it.

use crate::config::Config;
use crate::derive::lookup::Lookup;
use crate::time::Instant;
use chrono::NaiveDate;
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
}

/// How bad an incident is overall (Statuspage's `impact`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    None,
    Minor,
    Major,
    Critical,
}

impl Impact {
    pub const NAMES: &'static [&'static str] = &["none", "minor", "major", "critical"];

    pub fn from_name(name: &str) -> Option<Impact> {
        Some(match name {
            "none" => Impact::None,
            "minor" => Impact::Minor,
            "major" => Impact::Major,
            "critical" => Impact::Critical,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        Impact::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            Impact::None => "No impact",
            Impact::Minor => "Minor",
            Impact::Major => "Major",
            Impact::Critical => "Critical",
        }
    }
}

/// The state of one component in one region at one instant, mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComponentStatus {
    Operational,
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

impl ComponentStatus {
    /// The statuses an `[[affected]]` block may give.
    pub const AFFECTED_NAMES: &'static [&'static str] =
        &["degraded_performance", "partial_outage", "major_outage", "under_maintenance"];

    pub fn from_name(name: &str) -> Option<ComponentStatus> {
        Some(match name {
            "operational" => ComponentStatus::Operational,
            "under_maintenance" => ComponentStatus::UnderMaintenance,
            "degraded_performance" => ComponentStatus::DegradedPerformance,
            "partial_outage" => ComponentStatus::PartialOutage,
            "major_outage" => ComponentStatus::MajorOutage,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "operational",
            ComponentStatus::UnderMaintenance => "under_maintenance",
            ComponentStatus::DegradedPerformance => "degraded_performance",
            ComponentStatus::PartialOutage => "partial_outage",
            ComponentStatus::MajorOutage => "major_outage",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ComponentStatus::Operational => "Operational",
            ComponentStatus::UnderMaintenance => "Under maintenance",
            ComponentStatus::DegradedPerformance => "Degraded performance",
            ComponentStatus::PartialOutage => "Partial outage",
            ComponentStatus::MajorOutage => "Major outage",
        }
    }
}

/// Where an incident stands (Statuspage's incident `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl UpdateStatus {
    pub const NAMES: &'static [&'static str] = &["investigating", "identified", "monitoring", "resolved"];

    pub fn from_name(name: &str) -> Option<UpdateStatus> {
        Some(match name {
            "investigating" => UpdateStatus::Investigating,
            "identified" => UpdateStatus::Identified,
            "monitoring" => UpdateStatus::Monitoring,
            "resolved" => UpdateStatus::Resolved,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        UpdateStatus::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            UpdateStatus::Investigating => "Investigating",
            UpdateStatus::Identified => "Identified",
            UpdateStatus::Monitoring => "Monitoring",
            UpdateStatus::Resolved => "Resolved",
        }
    }
}

/// Where a maintenance stands, as its updates say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaintenanceStatus {
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

impl MaintenanceStatus {
    pub const NAMES: &'static [&'static str] = &["scheduled", "in_progress", "verifying", "completed"];

    pub fn from_name(name: &str) -> Option<MaintenanceStatus> {
        Some(match name {
            "scheduled" => MaintenanceStatus::Scheduled,
            "in_progress" => MaintenanceStatus::InProgress,
            "verifying" => MaintenanceStatus::Verifying,
            "completed" => MaintenanceStatus::Completed,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        MaintenanceStatus::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            MaintenanceStatus::Scheduled => "Scheduled",
            MaintenanceStatus::InProgress => "In progress",
            MaintenanceStatus::Verifying => "Verifying",
            MaintenanceStatus::Completed => "Completed",
        }
    }
}

/// Progress of a postmortem action item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    Planned,
    InProgress,
    Done,
}

impl ActionStatus {
    pub const NAMES: &'static [&'static str] = &["planned", "in_progress", "done"];

    pub fn from_name(name: &str) -> Option<ActionStatus> {
        Some(match name {
            "planned" => ActionStatus::Planned,
            "in_progress" => ActionStatus::InProgress,
            "done" => ActionStatus::Done,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        ActionStatus::NAMES[self as usize]
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Planned => "Planned",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Incident {
    /// The file stem.
    pub id: String,
    /// The file, relative to the site root.
    pub source: PathBuf,
    pub title: String,
    pub impact: Impact,
    pub started: Instant,
    pub detected: Option<Instant>,
    /// `None` while the incident is open.
    pub resolved: Option<Instant>,
    pub affected: Vec<Affected>,
    /// Chronological.
    pub updates: Vec<Update>,
    pub postmortem: Option<Postmortem>,
    pub credits: Vec<Credit>,
    /// The narrative Markdown after the front matter.
    pub body: String,
}

impl Incident {
    pub fn is_open(&self) -> bool {
        self.resolved.is_none()
    }

    /// Open at `now`: started and not yet resolved by then.
    pub fn is_open_at(&self, now: Instant) -> bool {
        self.started <= now && self.resolved.is_none_or(|r| r > now)
    }

    /// When the incident last changed, from content times only: its newest
    /// update, its resolution or its postmortem, whichever is latest. Feeds
    /// and the API use it as "updated", so a rebuild never bumps it.
    pub fn last_activity(&self) -> Instant {
        let mut latest = self.started;
        latest = latest.max(self.updates.last().map_or(latest, |u| u.at));
        latest = latest.max(self.resolved.unwrap_or(latest));
        latest.max(self.postmortem.as_ref().map_or(latest, |p| p.published))
    }

    /// [`Incident::last_activity`] as of `now`: what is dated after the
    /// clock has not been said yet (the `future-time` lint flags it).
    pub fn last_activity_at(&self, now: Instant) -> Instant {
        let said = |t: &Instant| *t <= now;
        let update = self.updates_at(now).last().map(|u| u.at);
        let resolved = self.resolved.filter(said);
        let published = self.postmortem.as_ref().map(|p| p.published).filter(said);
        [update, resolved, published].into_iter().flatten().fold(self.started, Instant::max)
    }

    /// The postmortem, once published by `now` (a draft, without
    /// `published`, is never in the model).
    pub fn postmortem_at(&self, now: Instant) -> Option<&Postmortem> {
        self.postmortem.as_ref().filter(|p| p.published <= now)
    }

    /// The updates said by `now`, oldest first (updates are in order).
    pub fn updates_at(&self, now: Instant) -> &[Update] {
        &self.updates[..self.updates.partition_point(|u| u.at <= now)]
    }

    /// The incident as it had been said by `now`, or `None` when nothing
    /// of it had been (it starts later, or none of its updates is posted
    /// yet). What is dated after `now` is left out: updates, `detected`,
    /// `resolved`, windows that start later and the ends of those that end
    /// later (they are open), the postmortem until it is `published`, and
    /// the credits until they are declared: with the published postmortem,
    /// or, without a postmortem, with the resolution. The title, impact
    /// and narrative are as written now: they carry no time.
    pub fn as_of(mut self, now: Instant) -> Option<Incident> {
        let said = |t: &Instant| *t <= now;
        if self.started > now || (!self.updates.is_empty() && self.updates_at(now).is_empty()) {
            return None;
        }
        self.updates.truncate(self.updates_at(now).len());
        self.detected = self.detected.filter(said);
        self.resolved = self.resolved.filter(said);
        self.affected.retain(|a| a.from <= now);
        for a in &mut self.affected {
            a.to = a.to.filter(said);
        }
        let credits_said = match &self.postmortem {
            Some(p) => p.published <= now,
            None => self.resolved.is_some(),
        };
        self.postmortem = self.postmortem.filter(|p| p.published <= now);
        if !credits_said {
            self.credits.clear();
        }
        Some(self)
    }
}

/// A set of (component, region) cells in one status for one window.
#[derive(Debug, Clone)]
pub struct Affected {
    /// Component ids, groups already expanded, each once, in config order.
    pub components: Vec<String>,
    /// Region ids; `None` = every region each component runs in. Listed
    /// regions cover, for each component, those it runs in (a sparse grid).
    pub regions: Option<Vec<String>>,
    pub status: ComponentStatus,
    pub from: Instant,
    /// `None` = until the incident resolves (open).
    pub to: Option<Instant>,
}

impl Affected {
    /// Where the window ends as of `now`, the one rule every figure uses:
    /// its `to` (a window written without one ends with the incident:
    /// loading gives it `resolved`), else, while it is open, `now`; never
    /// after `now`, nor before `from` (a window not begun is empty).
    pub fn end_at(&self, now: Instant) -> Instant {
        self.to.unwrap_or(now).min(now).max(self.from)
    }

    /// Does this window cover `at`? Windows are half-open: [from, to).
    pub fn covers(&self, at: Instant) -> bool {
        self.from <= at && self.to.is_none_or(|to| at < to)
    }
}

#[derive(Debug, Clone)]
pub struct Update {
    pub at: Instant,
    pub status: UpdateStatus,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Postmortem {
    pub published: Instant,
    pub summary: String,
    pub root_cause: String,
    pub trigger: Option<String>,
    pub went_well: Vec<String>,
    pub went_wrong: Vec<String>,
    pub lucky: Vec<String>,
    pub prevention: Vec<ActionItem>,
    pub detection: Vec<ActionItem>,
    pub response: Vec<ActionItem>,
    pub recovery: Vec<ActionItem>,
}

impl Postmortem {
    /// The four action-item sections, named, in the order readers expect.
    pub fn sections(&self) -> [(&'static str, &[ActionItem]); 4] {
        [
            ("prevention", &self.prevention),
            ("detection", &self.detection),
            ("response", &self.response),
            ("recovery", &self.recovery),
        ]
    }
}

#[derive(Debug, Clone)]
pub struct ActionItem {
    pub title: String,
    pub body: Option<String>,
    pub status: ActionStatus,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
}

impl ActionItem {
    /// Overdue on `today` (the site zone's date at the build's clock): due
    /// before that day and not done.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status != ActionStatus::Done && self.due.is_some_and(|d| d < today)
    }
}

#[derive(Debug, Clone)]
pub struct Credit {
    pub percent: u32,
    /// Component ids, groups expanded.
    pub components: Vec<String>,
    pub months: CreditMonths,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditMonths {
    /// Every billing month an impact window touches.
    Affected,
    /// Explicit (year, month) pairs.
    Listed(Vec<(i32, u32)>),
}

#[derive(Debug, Clone)]
pub struct Maintenance {
    pub id: String,
    pub source: PathBuf,
    pub title: String,
    pub scheduled_start: Instant,
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

#[derive(Debug, Clone)]
pub struct MaintenanceUpdate {
    pub at: Instant,
    pub status: MaintenanceStatus,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub source: PathBuf,
    pub title: String,
    pub description: Option<String>,
    pub order: i64,
    pub body: String,
}
