//! Summary figures for the front page, the history archive and the
//! postmortem index: plain functions of `&Site`, no HTML, unit-tested here
//! so that the pages only arrange words around numbers already checked.
//!
//! - [`situation`]: what the incidents open at `site.now` affect, in counts;
//! - [`months`]: incidents per local month with impact minutes;
//! - [`action_counts`]: postmortem action items by state, overdue included.
//!
//! "Impact minutes" of an incident are the minutes covered by at least one
//! of its `[[affected]]` windows (overlaps counted once; an open window runs
//! to `site.now`; nothing counts after `site.now`). An incident without
//! windows has none. A month's impact minutes are the sum over the incidents
//! that *started* in it (cut in the site zone), each counted whole.

use super::intervals::{covered_seconds, Window};
use super::status::grid_at;
use crate::model::{ActionStatus, ComponentStatus, Impact, Incident, Site};
use crate::time::{self, Instant};
use chrono::Duration;
use std::collections::BTreeMap;

/// What is wrong at `site.now`, from the incidents open then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Situation {
    /// The site's overall status (maintenance included), whose words lead
    /// the sentence: "Degraded performance", "All systems operational".
    pub overall: ComponentStatus,
    /// The incidents open at `now`, newest first.
    pub open: Vec<OpenFigures>,
    /// Components with a cell in a window of an open incident covering
    /// `now`, in config order, each once.
    pub components: Vec<usize>,
    /// Regions among those cells, in config order, each once.
    pub regions: Vec<usize>,
    /// How many regions the site has.
    pub region_total: usize,
    /// The worst status among those cells.
    pub worst: Option<ComponentStatus>,
    /// Each of those cells, `(component, region)`, with the open incident
    /// whose window gives it its status (the newest one on a tie).
    pub cells: BTreeMap<(usize, usize), usize>,
    /// The newest update of an open incident at or before `now`:
    /// `(incident, when)`. An open incident without one counts its start.
    pub last_update: Option<(usize, Instant)>,
    /// The latest resolution at or before `now`: `(incident, when)`.
    pub last_resolved: Option<(usize, Instant)>,
    pub now: Instant,
}

/// One open incident's share of the situation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFigures {
    /// Index into `site.incidents`.
    pub incident: usize,
    /// Components and regions its windows cover at `now`.
    pub components: usize,
    pub regions: usize,
    pub worst: Option<ComponentStatus>,
    /// Its newest update at or before `now` (its start if none).
    pub last_update: Instant,
}

/// The shape of the summary sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SituationKind {
    /// Open incidents affect services now.
    Impact,
    /// Incidents are open but none of their windows covers `now`.
    OpenNoImpact,
    /// Nothing open; an incident ended before.
    Calm,
    /// Nothing open and nothing ever resolved.
    Quiet,
}

impl Situation {
    pub fn kind(&self) -> SituationKind {
        match (self.open.is_empty(), self.components.is_empty(), self.last_resolved.is_some()) {
            (false, false, _) => SituationKind::Impact,
            (false, true, _) => SituationKind::OpenNoImpact,
            (true, _, true) => SituationKind::Calm,
            (true, _, false) => SituationKind::Quiet,
        }
    }

    /// Time since the newest update of an open incident.
    pub fn since_update(&self) -> Option<Duration> {
        self.last_update.map(|(_, at)| self.now - at)
    }

    /// Time since the latest resolution.
    pub fn since_resolved(&self) -> Option<Duration> {
        self.last_resolved.map(|(_, at)| self.now - at)
    }
}

/// The (component, region) cells an incident covers at `now`
/// ([`Incident::each_cell_at`]), each with the worst status it gives it there.
pub fn cells_at(incident: &Incident, site: &Site, now: Instant) -> BTreeMap<(usize, usize), ComponentStatus> {
    let mut cells: BTreeMap<(usize, usize), ComponentStatus> = BTreeMap::new();
    incident.each_cell_at(&site.lookup, now, |c, r, status| {
        let slot = cells.entry((c, r)).or_insert(status);
        *slot = (*slot).max(status);
    });
    cells
}

/// The situation at `site.now`. Work is proportional to the open incidents'
/// windows and their cells, plus one pass over the incidents for the last
/// resolution, and one status grid for the lead words.
pub fn situation(site: &Site) -> Situation {
    let now = site.now;
    let config = &site.config;
    // Worst status per cell and the incident giving it.
    let mut cells: BTreeMap<(usize, usize), (ComponentStatus, usize)> = BTreeMap::new();
    let mut open = Vec::new();
    for (index, incident) in site.incidents.iter().enumerate().filter(|(_, i)| i.is_open_at(now)) {
        let mine = cells_at(incident, site, now);
        for (&cell, &status) in &mine {
            // Incidents come newest first: an older one takes a cell only if worse.
            let slot = cells.entry(cell).or_insert((status, index));
            if status > slot.0 {
                *slot = (status, index);
            }
        }
        let mut regions: Vec<usize> = mine.keys().map(|&(_, r)| r).collect();
        regions.sort_unstable();
        regions.dedup();
        let mut components: Vec<usize> = mine.keys().map(|&(c, _)| c).collect();
        components.dedup(); // keys are sorted by component first
        open.push(OpenFigures {
            incident: index,
            components: components.len(),
            regions: regions.len(),
            worst: mine.values().copied().max(),
            last_update: latest_update(incident, now),
        });
    }
    let mut components: Vec<usize> = cells.keys().map(|&(c, _)| c).collect();
    components.dedup();
    let mut regions: Vec<usize> = cells.keys().map(|&(_, r)| r).collect();
    regions.sort_unstable();
    regions.dedup();
    // The first (newest) incident wins ties on both.
    let last_update = open.iter().fold(None, |best: Option<(usize, Instant)>, o| match best {
        Some((_, at)) if at >= o.last_update => best,
        _ => Some((o.incident, o.last_update)),
    });
    let last_resolved = site
        .incidents
        .iter()
        .enumerate()
        .filter_map(|(i, inc)| inc.resolved.filter(|r| *r <= now).map(|r| (i, r)))
        .fold(None, |best: Option<(usize, Instant)>, (i, r)| match best {
            Some((_, at)) if at >= r => best,
            _ => Some((i, r)),
        });
    Situation {
        overall: grid_at(site, now).overall(),
        worst: cells.values().map(|(s, _)| *s).max(),
        cells: cells.into_iter().map(|(cell, (_, i))| (cell, i)).collect(),
        open,
        components,
        regions,
        region_total: config.regions.len(),
        last_update,
        last_resolved,
        now,
    }
}

/// An incident's newest update at or before `now`, else its start.
fn latest_update(incident: &Incident, now: Instant) -> Instant {
    incident.updates.iter().rev().map(|u| u.at).find(|at| *at <= now).unwrap_or(incident.started)
}

/// Whole minutes covered by the incident's windows up to `now`, rounded up
/// (an outage never looks shorter): see [`impact_seconds`].
pub fn impact_minutes(incident: &Incident, now: Instant) -> i64 {
    (impact_seconds(incident, now) + 59) / 60
}

/// Seconds covered by the incident's windows up to `now` (see the module
/// docs): overlapping windows once, open ones up to the resolution or `now`.
pub fn impact_seconds(incident: &Incident, now: Instant) -> i64 {
    let cap = incident.resolved.unwrap_or(now).min(now);
    let windows: Vec<Window> = incident
        .affected
        .iter()
        .filter_map(|a| {
            let end = a.end_at(cap);
            (a.from < end).then_some(Window { start: a.from, end, status: a.status })
        })
        .collect();
    let Some(start) = windows.iter().map(|w| w.start).min() else { return 0 };
    covered_seconds(&windows, start, cap)
}

/// One local month of the incident history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthFigures {
    pub year: i32,
    pub month: u32,
    /// Incidents that started in it (indices into `site.incidents`), newest first.
    pub incidents: Vec<usize>,
    /// Sum of their [`impact_minutes`].
    pub impact_minutes: i64,
    /// The worst impact among them.
    pub worst: Option<Impact>,
}

/// Every month, newest first, from the month of the first incident (or of
/// `now` if earlier) to the month of `now` (or of the last incident if
/// later), each with its incidents, cut in the site zone. Quiet months are
/// included, so the archive has no holes.
pub fn months(site: &Site) -> Vec<MonthFigures> {
    let zone = site.config.timezone;
    let now_month = time::local_month(site.now, zone);
    let mut by_month: BTreeMap<(i32, u32), MonthFigures> = BTreeMap::new();
    for (index, incident) in site.incidents.iter().enumerate() {
        let (year, month) = time::local_month(incident.started, zone);
        let entry = by_month.entry((year, month)).or_insert_with(|| empty_month(year, month));
        entry.incidents.push(index);
        entry.impact_minutes += impact_minutes(incident, site.now);
        entry.worst = entry.worst.max(Some(incident.impact));
    }
    let first = by_month.keys().next().copied().unwrap_or(now_month).min(now_month);
    let last = by_month.keys().next_back().copied().unwrap_or(now_month).max(now_month);
    let mut out = Vec::new();
    let (mut y, mut m) = last;
    while (y, m) >= first {
        out.push(by_month.remove(&(y, m)).unwrap_or_else(|| empty_month(y, m)));
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    out
}

fn empty_month(year: i32, month: u32) -> MonthFigures {
    MonthFigures { year, month, incidents: Vec::new(), impact_minutes: 0, worst: None }
}

/// Postmortem action items by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActionCounts {
    pub postmortems: usize,
    pub total: usize,
    pub done: usize,
    pub in_progress: usize,
    pub planned: usize,
    /// Not done and due before today in the site zone.
    pub overdue: usize,
}

impl ActionCounts {
    /// "12 action items, 4 done, 3 overdue".
    pub fn sentence(&self) -> String {
        format!(
            "{}, {} done, {} overdue",
            crate::words::count(self.total, "action item", "action items"),
            self.done,
            self.overdue
        )
    }
}

/// Counts every action item of every postmortem.
pub fn action_counts(site: &Site) -> ActionCounts {
    let today = time::local_date(site.now, site.config.timezone);
    let mut counts = ActionCounts::default();
    for pm in site.incidents.iter().filter_map(|i| i.postmortem.as_ref()) {
        counts.postmortems += 1;
        for item in pm.sections().into_iter().flat_map(|(_, items)| items) {
            counts.total += 1;
            match item.status {
                ActionStatus::Done => counts.done += 1,
                ActionStatus::InProgress => counts.in_progress += 1,
                ActionStatus::Planned => counts.planned += 1,
            }
            counts.overdue += usize::from(item.is_overdue(today));
        }
    }
    counts
}

#[cfg(test)]
mod tests;
