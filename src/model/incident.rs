//! An incident and what it holds: its impact windows ([`Affected`]), its
//! updates, its postmortem with action items, and its service credits.

use super::{ActionStatus, ComponentStatus, Impact, UpdateStatus};
use crate::time::Instant;
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct Incident {
    /// The file stem.
    pub id: String,
    /// The file, relative to the site root.
    pub source: PathBuf,
    pub title: String,
    pub impact: Impact,
    #[serde(with = "chrono::serde::ts_nanoseconds")]
    pub started: Instant,
    #[serde(with = "chrono::serde::ts_nanoseconds_option")]
    pub detected: Option<Instant>,
    /// `None` while the incident is open.
    #[serde(with = "chrono::serde::ts_nanoseconds_option")]
    pub resolved: Option<Instant>,
    pub affected: Vec<Affected>,
    /// Chronological.
    pub updates: Vec<Update>,
    pub postmortem: Option<Postmortem>,
    pub credits: Vec<Credit>,
    /// The narrative Markdown after the front matter (shared, not copied,
    /// when the preview server's load cache hands the incident out again).
    pub body: std::sync::Arc<str>,
}

impl Incident {
    pub fn is_open(&self) -> bool {
        self.resolved.is_none()
    }

    /// Open at `now`: started and not yet resolved by then.
    pub fn is_open_at(&self, now: Instant) -> bool {
        self.started <= now && self.resolved.is_none_or(|r| r > now)
    }

    /// Each (component, region) cell a window of this incident covers at
    /// `at`, with that window's status: the one rule for "what does an
    /// incident touch at an instant". Windows are half-open and never
    /// outlast the incident: nothing once it is resolved. A cell comes once
    /// per window covering it (overlapping windows: take the worst).
    pub fn each_cell_at(
        &self,
        lookup: &super::lookup::Lookup,
        at: Instant,
        mut f: impl FnMut(usize, usize, ComponentStatus),
    ) {
        if !self.is_open_at(at) {
            return;
        }
        for w in self.affected.iter().filter(|w| w.covers(at)) {
            lookup.cells(&w.components, &w.regions, w.from, |c, r| f(c, r, w.status));
        }
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
#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct Affected {
    /// Component ids, groups already expanded, each once, in config order.
    pub components: Vec<String>,
    /// Region ids; `None` = every region each component runs in. Listed
    /// regions cover, for each component, those it runs in (a sparse grid).
    pub regions: Option<Vec<String>>,
    pub status: ComponentStatus,
    #[serde(with = "chrono::serde::ts_nanoseconds")]
    pub from: Instant,
    /// `None` = until the incident resolves (open).
    #[serde(with = "chrono::serde::ts_nanoseconds_option")]
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

#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct Update {
    #[serde(with = "chrono::serde::ts_nanoseconds")]
    pub at: Instant,
    pub status: UpdateStatus,
    pub body: std::sync::Arc<str>,
}

#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct Postmortem {
    #[serde(with = "chrono::serde::ts_nanoseconds")]
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

#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
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

#[derive(Debug, Clone, Hash, serde::Serialize, serde::Deserialize)]
pub struct Credit {
    pub percent: u32,
    /// Component ids, groups expanded.
    pub components: Vec<String>,
    pub months: CreditMonths,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CreditMonths {
    /// Every billing month an impact window touches.
    Affected,
    /// Explicit (year, month) pairs.
    Listed(Vec<(i32, u32)>),
}
