//! The timeline picture on an incident's or a maintenance's page: one row
//! per affected service (split by region where the regions differ), bars
//! per status over the span, a tick per update and the key moments marked.
//!
//! Everything is computed here, coordinates included, as numbers formatted
//! with one decimal so the same content and clock give the same bytes; the
//! template only lays the SVG out. Each status is a colour, a pattern and
//! words (in the bar when they fit, in a tooltip and in the text equivalent
//! always), never colour alone.

use super::views::{status_badge, Badge};
use crate::model::{ComponentStatus, Incident, Maintenance, Site};
use crate::time::{self, Instant};
use crate::words::join_words;
use serde::Serialize;
use std::collections::BTreeMap;

/// The picture's width in SVG units; the page lets it scroll sideways
/// rather than shrink below a readable size.
const WIDTH: f64 = 720.0;
/// Left and right margins inside the picture.
const PAD: f64 = 10.0;
/// Room above the rows for two lanes of moment labels.
const TOP: f64 = 40.0;
/// One row: its label line, then its bar.
const ROW: f64 = 40.0;
const LABEL_DROP: f64 = 13.0;
const BAR_TOP: f64 = 18.0;
const BAR: f64 = 16.0;
/// Room below the rows for update ticks and the time axis labels.
const AXIS: f64 = 34.0;
/// Roughly how wide a character of the 11-unit bar text is.
const CHAR: f64 = 6.4;

#[derive(Serialize)]
pub struct TimelinePicture {
    pub width: String,
    pub height: String,
    /// "Timeline of this incident from … to …, 6 rows": the picture's name.
    pub caption: String,
    pub rows: Vec<Row>,
    pub ticks: Vec<Tick>,
    pub marks: Vec<Mark>,
    /// Top and bottom of the area marks cross.
    pub rows_top: String,
    pub rows_bottom: String,
    pub axis_label_y: String,
    /// The right end of the axis.
    pub axis_end: String,
    pub start_label: String,
    pub end_label: String,
    /// "6 updates, the first at …, the latest at …".
    pub updates_text: String,
    /// The statuses the picture uses, for its legend.
    pub legend: Vec<Badge>,
}

#[derive(Serialize)]
pub struct Row {
    /// "Object Storage · US West".
    pub label: String,
    pub label_y: String,
    pub bar_y: String,
    pub bar_height: String,
    pub segments: Vec<Segment>,
    /// The row in words, for the text equivalent.
    pub text: String,
}

#[derive(Serialize)]
pub struct Segment {
    pub x: String,
    pub width: String,
    pub status: Badge,
    /// The status words drawn inside the bar; empty when they do not fit.
    pub text: String,
    pub text_x: String,
    pub text_y: String,
    /// Tooltip: status and times.
    pub title: String,
}

#[derive(Serialize)]
pub struct Tick {
    pub x: String,
    pub title: String,
}

#[derive(Serialize)]
pub struct Mark {
    pub x: String,
    pub label: String,
    pub label_y: String,
    /// Where its line starts, just below the label.
    pub line_y: String,
    /// SVG `text-anchor`: "start", "middle" or "end".
    pub anchor: &'static str,
    /// "Detected: 2025-09-29 14:19 PDT".
    pub text: String,
}

/// One cell's statuses over time: (from, to, status), in order, disjoint.
type Segments = Vec<(Instant, Instant, ComponentStatus)>;

/// The picture of an incident, from its affected windows, updates and
/// times at the clock.
pub fn incident_picture(i: &Incident, site: &Site) -> Option<TimelinePicture> {
    let now = site.now;
    let start = i.affected.iter().map(|a| a.from).fold(i.started, Instant::min);
    let end = match i.resolved.filter(|r| *r <= now) {
        Some(r) => i.affected.iter().filter_map(|a| a.to).filter(|t| *t <= now).fold(r, Instant::max),
        None => now,
    };
    let mut cells: BTreeMap<(usize, usize), Segments> = BTreeMap::new();
    for a in i.affected.iter().filter(|a| a.from < end) {
        let to = a.to.unwrap_or(end).min(end);
        site.lookup.cells(&a.components, &a.regions, a.from, |c, r| {
            cells.entry((c, r)).or_default().push((a.from, to, a.status))
        });
    }
    let mut marks = vec![("Started", i.started)];
    marks.extend(i.detected.map(|d| ("Detected", d)));
    marks.push(match i.resolved.filter(|r| *r <= now) {
        Some(r) => ("Resolved", r),
        None => ("Now", now),
    });
    let updates: Vec<Instant> = i.updates_at(now).iter().map(|u| u.at).collect();
    picture(site, "incident", cells, (start, end), &marks, &updates)
}

/// The picture of a maintenance: its scheduled window for every cell it
/// touches, with its updates.
pub fn maintenance_picture(m: &Maintenance, site: &Site) -> Option<TimelinePicture> {
    let (start, end) = (m.scheduled_start, m.scheduled_end);
    let mut cells: BTreeMap<(usize, usize), Segments> = BTreeMap::new();
    site.lookup.cells(&m.components, &m.regions, m.scheduled_start, |c, r| {
        cells.entry((c, r)).or_default().push((start, end, ComponentStatus::UnderMaintenance))
    });
    let mut marks = vec![("Scheduled start", start), ("Scheduled end", end)];
    if start < site.now && site.now < end {
        marks.insert(1, ("Now", site.now));
    }
    let updates: Vec<Instant> = m.updates_at(site.now).iter().map(|u| u.at).collect();
    picture(site, "maintenance", cells, (start, end), &marks, &updates)
}

fn picture(
    site: &Site,
    what: &str,
    cells: BTreeMap<(usize, usize), Segments>,
    (start, end): (Instant, Instant),
    marks: &[(&str, Instant)],
    updates: &[Instant],
) -> Option<TimelinePicture> {
    if cells.is_empty() {
        return None;
    }
    let end = end.max(start + chrono::Duration::minutes(1));
    let span = (end - start).num_seconds() as f64;
    let x = |t: Instant| PAD + (t.clamp(start, end) - start).num_seconds() as f64 / span * (WIDTH - 2.0 * PAD);
    let show = |t: Instant| time::display(t, site.config.timezone);
    let mut legend: Vec<ComponentStatus> = Vec::new();
    let rows: Vec<Row> = rows_of(site, cells)
        .into_iter()
        .enumerate()
        .map(|(n, (label, segments))| {
            let y = TOP + n as f64 * ROW;
            let mut words = Vec::new();
            let segments = segments
                .iter()
                .map(|&(from, to, status)| {
                    if !legend.contains(&status) {
                        legend.push(status);
                    }
                    let badge = status_badge(status);
                    let to_words =
                        if to >= end && marks.iter().any(|m| m.0 == "Now") { "now".into() } else { show(to) };
                    words.push(format!("{} from {} to {to_words}", badge.label, show(from)));
                    let (x0, x1) = (x(from), x(to));
                    let label = format!("{} {}", badge.icon, badge.label);
                    let fits = x1 - x0 >= label.chars().count() as f64 * CHAR + 8.0;
                    Segment {
                        x: num(x0),
                        width: num((x1 - x0).max(1.0)),
                        title: format!("{}: {} to {to_words}", badge.label, show(from)),
                        text: if fits { label } else { String::new() },
                        text_x: num(x0 + 4.0),
                        text_y: num(y + BAR_TOP + BAR - 4.5),
                        status: badge,
                    }
                })
                .collect();
            Row {
                text: format!("{label}: {}.", words.join("; then ")),
                label,
                label_y: num(y + LABEL_DROP),
                bar_y: num(y + BAR_TOP),
                bar_height: num(BAR),
                segments,
            }
        })
        .collect();
    let bottom = TOP + rows.len() as f64 * ROW;
    legend.sort();
    Some(TimelinePicture {
        width: num(WIDTH),
        height: num(bottom + AXIS),
        caption: format!("Timeline of this {what} from {} to {}, one row per service affected", show(start), show(end)),
        ticks: updates
            .iter()
            .filter(|t| (start..=end).contains(*t))
            .map(|&t| Tick { x: num(x(t)), title: format!("Update at {}", show(t)) })
            .collect(),
        marks: place_marks(marks, &x, &show, (start, end)),
        rows_top: num(TOP - 4.0),
        rows_bottom: num(bottom),
        axis_label_y: num(bottom + 26.0),
        axis_end: num(WIDTH - PAD),
        start_label: show(start),
        end_label: show(end),
        updates_text: match updates {
            [] => "No updates yet.".into(),
            [one] => format!("1 update, at {}.", show(*one)),
            [first, .., last] => {
                format!("{} updates, the first at {}, the latest at {}.", updates.len(), show(*first), show(*last))
            }
        },
        legend: legend.into_iter().map(status_badge).collect(),
        rows,
    })
}

/// The moments inside the span, labels in two lanes so near ones do not
/// overlap.
fn place_marks(
    marks: &[(&str, Instant)],
    x: &dyn Fn(Instant) -> f64,
    show: &dyn Fn(Instant) -> String,
    (start, end): (Instant, Instant),
) -> Vec<Mark> {
    let mut last_in_lane = [f64::MIN; 2];
    marks
        .iter()
        .filter(|(_, t)| (start..=end).contains(t))
        .map(|&(label, t)| {
            let at = x(t);
            let lane = if at - last_in_lane[0] > 110.0 { 0 } else { 1 };
            last_in_lane[lane] = at;
            let anchor = if at < 60.0 {
                "start"
            } else if at > WIDTH - 60.0 {
                "end"
            } else {
                "middle"
            };
            Mark {
                x: num(at),
                label: label.to_owned(),
                label_y: num(14.0 + 14.0 * lane as f64),
                line_y: num(18.0 + 14.0 * lane as f64),
                anchor,
                text: format!("{label}: {}", show(t)),
            }
        })
        .collect()
}

/// Rows per component in config order: one row when all its regions went
/// through the same statuses, else one row per group of regions that did.
fn rows_of(site: &Site, cells: BTreeMap<(usize, usize), Segments>) -> Vec<(String, Segments)> {
    let config = &site.config;
    let mut per_component: BTreeMap<usize, Vec<(Vec<usize>, Segments)>> = BTreeMap::new();
    for ((c, r), windows) in cells {
        let segments = worst_over_time(windows);
        let groups = per_component.entry(c).or_default();
        match groups.iter_mut().find(|(_, s)| *s == segments) {
            Some((regions, _)) => regions.push(r),
            None => groups.push((vec![r], segments)),
        }
    }
    let mut rows = Vec::new();
    for (c, groups) in per_component {
        let runs = (0..config.regions.len()).filter(|&r| site.lookup.offered(c, r)).count();
        for (regions, segments) in groups {
            let names: Vec<String> = regions.iter().map(|&r| config.regions[r].name.clone()).collect();
            let place = match names.len() {
                n if n == runs && n > 1 => format!("all {n} regions"),
                1..=3 => join_words(&names),
                n => format!("{n} of its {runs} regions"),
            };
            rows.push((format!("{} · {place}", config.components[c].name), segments));
        }
    }
    rows
}

/// Overlapping windows of one cell as disjoint segments, each the worst
/// status in force, neighbours with the same status merged.
fn worst_over_time(windows: Segments) -> Segments {
    let mut cuts: Vec<Instant> = windows.iter().flat_map(|w| [w.0, w.1]).collect();
    cuts.sort();
    cuts.dedup();
    let mut out: Segments = Vec::new();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let Some(status) = windows.iter().filter(|w| w.0 <= a && b <= w.1).map(|w| w.2).max() else { continue };
        match out.last_mut() {
            Some(last) if last.1 == a && last.2 == status => last.1 = b,
            _ => out.push((a, b, status)),
        }
    }
    out
}

fn num(x: f64) -> String {
    format!("{x:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::fixtures::t;
    use ComponentStatus::*;

    #[test]
    fn overlapping_windows_become_the_worst_status_in_force() {
        let (a, b, c, d) = (
            t("2026-01-01T00:00:00Z"),
            t("2026-01-01T01:00:00Z"),
            t("2026-01-01T02:00:00Z"),
            t("2026-01-01T03:00:00Z"),
        );
        let got = worst_over_time(vec![(a, d, DegradedPerformance), (b, c, MajorOutage), (c, d, DegradedPerformance)]);
        assert_eq!(got, vec![(a, b, DegradedPerformance), (b, c, MajorOutage), (c, d, DegradedPerformance)]);
        assert_eq!(num(1.0 / 3.0), "0.3");
    }
}
