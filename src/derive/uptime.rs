//! Uptime history and availability: per service, per (service, region)
//! cell, per local day of the site zone and per billing month of the SLA
//! zone. Plain functions over the model, shared by pages and the audit JSON.
//!
//! - A service's status at an instant is the worst of its regions, so its
//!   timeline is every window touching any of its cells.
//! - Open windows run to the build's clock; nothing counts after it.
//! - Maintenance counts as "under maintenance" (weight 0: not downtime).
//! - Days are the real local days: 23 or 25 hours across DST changes.
//! - The current day and month count up to the build's clock only.

use super::intervals::{availability, covered_seconds, weighted_seconds, worst, Window};
use crate::config::SlaTier;
use crate::model::{ComponentStatus, Site};
use crate::time::{self, Instant};
use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A window and the incident it comes from (`None`: maintenance).
#[derive(Debug, Clone, Copy)]
pub struct Tagged {
    pub window: Window,
    /// An index into `site.incidents`; 32 bits, as a large site holds over
    /// a million of these (36 bytes each instead of 48).
    pub incident: Option<u32>,
}

/// A window with the components and regions it applies to, as written.
type Placed<'a> = (&'a [String], &'a Option<Vec<String>>, Tagged);

/// Every window, per service and per (service, region) cell, up to now.
pub struct Timelines {
    /// Indexed like `config.components`.
    pub components: Vec<Vec<Tagged>>,
    /// Indexed like `config.components`, then `config.regions`.
    pub cells: Vec<Vec<Vec<Tagged>>>,
    /// The site's [`billing_months`].
    billing: Vec<(i32, u32)>,
    /// Each component's [`months`], computed the first time asked for:
    /// its page, the credits page, the API and every declared credit read
    /// them.
    component_months: Vec<OnceLock<Vec<Month>>>,
}

impl Timelines {
    pub fn new(site: &Site) -> Timelines {
        let config = &site.config;
        // Every window with where it applies, in content order.
        let mut windows: Vec<Placed> = Vec::new();
        for (index, incident) in site.incidents.iter().enumerate() {
            for a in &incident.affected {
                let end = a.end_at(site.now);
                if a.from < end {
                    let window = Window { start: a.from, end, status: a.status };
                    let incident = u32::try_from(index).ok();
                    windows.push((&a.components, &a.regions, Tagged { window, incident }));
                }
            }
        }
        for m in &site.maintenance {
            let end = m.scheduled_end.min(site.now);
            if m.scheduled_start < end {
                let window = Window { start: m.scheduled_start, end, status: ComponentStatus::UnderMaintenance };
                windows.push((&m.components, &m.regions, Tagged { window, incident: None }));
            }
        }
        // Two passes: count what each list will hold, then fill lists made
        // that size (a 10k-incident site has over a million windows; pushed
        // one by one into growing lists, they cost more to move than to find).
        let (n_components, n_regions) = (config.components.len(), config.regions.len());
        let mut seen = vec![usize::MAX; n_components];
        let mut per_component = vec![0usize; n_components];
        let mut per_cell = vec![vec![0usize; n_regions]; n_components];
        for (w, (ids, regions, tagged)) in windows.iter().enumerate() {
            site.lookup.cells(ids, regions, tagged.window.start, |c, r| {
                per_cell[c][r] += 1;
                if seen[c] != w {
                    seen[c] = w;
                    per_component[c] += 1;
                }
            });
        }
        let mut components: Vec<Vec<Tagged>> = per_component.iter().map(|&n| Vec::with_capacity(n)).collect();
        let mut cells: Vec<Vec<Vec<Tagged>>> =
            per_cell.iter().map(|row| row.iter().map(|&n| Vec::with_capacity(n)).collect()).collect();
        seen.fill(usize::MAX);
        for (w, (ids, regions, tagged)) in windows.iter().enumerate() {
            site.lookup.cells(ids, regions, tagged.window.start, |c, r| {
                cells[c][r].push(*tagged);
                if seen[c] != w {
                    seen[c] = w;
                    components[c].push(*tagged);
                }
            });
        }
        let component_months = components.iter().map(|_| OnceLock::new()).collect();
        Timelines { components, cells, billing: billing_months(site), component_months }
    }

    /// [`months`] of component `ci`'s timeline (`site` is the one the
    /// timelines were made of).
    pub fn component_months(&self, site: &Site, ci: usize) -> &[Month] {
        self.component_months[ci].get_or_init(|| months_in(site, &self.billing, &self.components[ci]))
    }
}

fn plain(tagged: &[Tagged]) -> Vec<Window> {
    tagged.iter().map(|t| t.window).collect()
}

/// One local day of the uptime history.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    pub status: ComponentStatus,
    /// Weighted by `[uptime]`; what availability is computed from.
    pub downtime_minutes: f64,
    /// Minutes with any non-operational status, unweighted, exact (to the
    /// second: 446.4, not 446).
    pub impact_minutes: f64,
    /// Indices into `site.incidents`, newest first, each once.
    pub incidents: Vec<usize>,
}

/// The local dates of the uptime history: `uptime_days` days ending today.
pub fn history_dates(site: &Site) -> Vec<NaiveDate> {
    let today = time::local_date(site.now, site.config.timezone);
    let n = site.config.uptime_days as i64;
    (0..n).rev().filter_map(|back| today.checked_sub_signed(Duration::days(back))).collect()
}

/// A day's span in the site zone, cut at the build's clock.
fn day_span(site: &Site, date: NaiveDate) -> (Instant, Instant) {
    let (from, to) = time::day_bounds(date, site.config.timezone);
    (from, to.min(site.now))
}

/// The uptime history of one timeline: one [`Day`] per date of
/// [`history_dates`]. Only windows reaching into the history are looked at.
pub fn days(site: &Site, tagged: &[Tagged]) -> Vec<Day> {
    let dates = history_dates(site);
    let Some(first) = dates.first() else { return Vec::new() };
    let start = time::day_start(*first, site.config.timezone);
    let recent: Vec<Tagged> = tagged.iter().filter(|t| t.window.end > start).copied().collect();
    dates.iter().map(|date| day(site, &recent, *date)).collect()
}

/// Only the days of the history with any impact (for sparse outputs).
pub fn impacted_days(site: &Site, tagged: &[Tagged]) -> Vec<Day> {
    let zone = site.config.timezone;
    let dates = history_dates(site);
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else { return Vec::new() };
    // A cell's timeline spans all its history; only windows reaching into
    // the uptime history can touch one of its days.
    let start = time::day_start(*first, zone);
    let recent: Vec<Tagged> = tagged.iter().filter(|t| t.window.end > start).copied().collect();
    let mut touched: BTreeMap<NaiveDate, ()> = BTreeMap::new();
    for t in &recent {
        let from = time::local_date(t.window.start, zone).max(*first);
        let to = time::local_date(t.window.end - Duration::nanoseconds(1), zone).min(*last);
        let mut d = from;
        while d <= to {
            touched.insert(d, ());
            d = d.succ_opt().unwrap_or(to + Duration::days(1));
        }
    }
    touched.keys().map(|d| day(site, &recent, *d)).collect()
}

fn day(site: &Site, tagged: &[Tagged], date: NaiveDate) -> Day {
    let (from, to) = day_span(site, date);
    let here: Vec<Tagged> = tagged.iter().filter(|t| t.window.clip(from, to).is_some()).copied().collect();
    let windows = plain(&here);
    let impact: Vec<Window> =
        windows.iter().filter(|w| w.status != ComponentStatus::UnderMaintenance).copied().collect();
    let mut incidents: Vec<usize> = here.iter().filter_map(|t| t.incident).map(|i| i as usize).collect();
    incidents.sort();
    incidents.dedup();
    Day {
        date,
        status: worst(&windows, from, to),
        downtime_minutes: weighted_seconds(&windows, from, to, |s| site.config.uptime.weight(s)) / 60.0,
        impact_minutes: covered_seconds(&impact, from, to) as f64 / 60.0,
        incidents,
    }
}

/// Availability in percent over the last `days` local days, today included
/// up to the build's clock.
pub fn recent_availability(site: &Site, tagged: &[Tagged], days: u32) -> f64 {
    let today = time::local_date(site.now, site.config.timezone);
    let first = today.checked_sub_signed(Duration::days(i64::from(days) - 1)).unwrap_or(today);
    let from = time::day_start(first, site.config.timezone);
    let reaching: Vec<Window> = tagged.iter().map(|t| t.window).filter(|w| w.end > from).collect();
    let downtime = weighted_seconds(&reaching, from, site.now, |s| site.config.uptime.weight(s));
    availability(downtime, from, site.now)
}

/// One billing month of one timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    pub availability: f64,
    pub downtime_minutes: f64,
    /// Minutes in the month (up to the build's clock for the current one),
    /// exact to the second.
    pub minutes: f64,
    /// The SLA tier the month fell into, if below any.
    pub tier: Option<SlaTier>,
}

/// The billing months from the site's first content time to the build's
/// clock, cut in `sla.billing_timezone`.
pub fn billing_months(site: &Site) -> Vec<(i32, u32)> {
    let zone = site.config.sla.billing_timezone;
    let first = site.created_at().min(site.now);
    let (mut y, mut m) = time::local_month(first, zone);
    // A clock exactly at a month's first instant has seen none of it yet.
    let last = time::local_month((site.now - Duration::nanoseconds(1)).max(first), zone);
    let mut out = Vec::new();
    while (y, m) <= last {
        out.push((y, m));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Availability of every billing month of a timeline.
pub fn months(site: &Site, tagged: &[Tagged]) -> Vec<Month> {
    months_in(site, &billing_months(site), tagged)
}

/// [`months`], of the site's `billing` months.
fn months_in(site: &Site, billing: &[(i32, u32)], tagged: &[Tagged]) -> Vec<Month> {
    let zone: Tz = site.config.sla.billing_timezone;
    let windows = plain(tagged);
    billing
        .iter()
        .filter_map(|&(year, month)| {
            let (from, to) = time::month_bounds(year, month, zone)?;
            let to = to.min(site.now);
            let downtime = weighted_seconds(&windows, from, to, |s| site.config.uptime.weight(s));
            let availability = availability(downtime, from, to);
            Some(Month {
                year,
                month,
                availability,
                downtime_minutes: downtime / 60.0,
                minutes: (to - from).num_seconds() as f64 / 60.0,
                tier: sla_tier(availability, &site.config.sla.tiers),
            })
        })
        .collect()
}

/// The most severe tier a figure falls under (tiers sorted mildest first).
pub fn sla_tier(availability: f64, tiers: &[SlaTier]) -> Option<SlaTier> {
    tiers.iter().rfind(|t| availability < t.below).copied()
}

/// Availability as published, on pages and in JSON alike: three decimals,
/// rounded down, so a figure is never shown better than it was.
pub fn published(availability: f64) -> f64 {
    (availability * 1000.0).floor() / 1000.0
}

/// "2025-09" for a (year, month).
pub fn month_key(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// The date's day of the month, for compact labels.
pub fn day_label(date: NaiveDate) -> String {
    format!("{} {}", date.format("%b"), date.day())
}

#[cfg(test)]
mod tests;
