//! Interval arithmetic for uptime and availability: half-open windows
//! `[start, end)` with a status, clipped to a day or a month, overlapping
//! windows merged so that no instant is ever counted twice.
//!
//! An instant covered by several windows counts once, with the heaviest
//! weight (the worst status) among them.

use crate::model::ComponentStatus;
use crate::time::Instant;

/// A span of one status, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
    pub status: ComponentStatus,
}

impl Window {
    /// The part of the window inside `[from, to)`, if any.
    pub fn clip(&self, from: Instant, to: Instant) -> Option<Window> {
        let (start, end) = (self.start.max(from), self.end.min(to));
        (start < end).then_some(Window { start, end, status: self.status })
    }
}

/// Seconds in `[from, to)` covered by at least one window.
pub fn covered_seconds(windows: &[Window], from: Instant, to: Instant) -> i64 {
    let mut spans: Vec<(Instant, Instant)> =
        windows.iter().filter_map(|w| w.clip(from, to)).map(|w| (w.start, w.end)).collect();
    spans.sort();
    let mut total = 0;
    let mut current: Option<(Instant, Instant)> = None;
    for (s, e) in spans {
        match current {
            Some((cs, ce)) if s <= ce => current = Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += (ce - cs).num_seconds();
                current = Some((s, e));
            }
            None => current = Some((s, e)),
        }
    }
    total + current.map_or(0, |(s, e)| (e - s).num_seconds())
}

/// Weighted downtime in seconds within `[from, to)`: every instant counts
/// with the weight of the worst status covering it (`weight(status)`), once.
pub fn weighted_seconds(
    windows: &[Window],
    from: Instant,
    to: Instant,
    weight: impl Fn(ComponentStatus) -> f64,
) -> f64 {
    // A sweep: each clipped window opens at its start and closes at its
    // end. Between two instants where any opens or closes, the windows open
    // cover every instant alike, and the heaviest of them counts.
    let mut edges: Vec<(Instant, bool, ComponentStatus)> = windows
        .iter()
        .filter_map(|w| w.clip(from, to))
        .flat_map(|w| [(w.start, true, w.status), (w.end, false, w.status)])
        .collect();
    edges.sort_unstable_by_key(|e| e.0);
    // Windows open, and the weight, per status.
    let mut open = [(0u32, 0.0f64); STATUSES];
    let mut total = 0.0;
    let mut i = 0;
    while i < edges.len() {
        let at = edges[i].0;
        while let Some(&(_, opens, status)) = edges.get(i).filter(|e| e.0 == at) {
            let slot = &mut open[status as usize];
            slot.0 = if opens { slot.0 + 1 } else { slot.0 - 1 };
            slot.1 = weight(status);
            i += 1;
        }
        if let Some(next) = edges.get(i) {
            let heaviest = open.iter().filter(|(n, _)| *n > 0).map(|(_, w)| *w).fold(0.0, f64::max);
            total += heaviest * (next.0 - at).num_seconds() as f64;
        }
    }
    total
}

/// How many statuses there are, for tables indexed by `status as usize`.
const STATUSES: usize = ComponentStatus::MajorOutage as usize + 1;

/// The worst status of any window overlapping `[from, to)`.
pub fn worst(windows: &[Window], from: Instant, to: Instant) -> ComponentStatus {
    windows
        .iter()
        .filter(|w| w.clip(from, to).is_some())
        .map(|w| w.status)
        .max()
        .unwrap_or(ComponentStatus::Operational)
}

/// Availability in percent of `[from, to)` given weighted downtime seconds,
/// always within 0..=100 (100 for an empty span).
pub fn availability(downtime_seconds: f64, from: Instant, to: Instant) -> f64 {
    let total = (to - from).num_seconds() as f64;
    if total <= 0.0 {
        return 100.0;
    }
    (100.0 * (1.0 - downtime_seconds / total)).clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests;
