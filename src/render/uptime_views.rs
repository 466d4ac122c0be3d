//! Uptime bars, availability figures and the credits page, shaped for
//! templates from [`crate::derive::uptime`].

use super::incident_page::{credit_view, CreditView};
use super::views::{component_href, incident_href, status_badge, Badge, Link};
use crate::derive::uptime::{self, Day, Timelines};
use crate::model::{ComponentStatus, Site};
use crate::words::month_label;
use serde::Serialize;

/// "99.938%": availability as published (see [`uptime::published`]).
pub fn percent(x: f64) -> String {
    format!("{:.3}%", uptime::published(x))
}

#[derive(Serialize)]
pub struct DayCell {
    pub date: String,
    pub status: Badge,
    /// Tooltip: date, status, minutes of impact, incidents.
    pub title: String,
    /// Before the last [`NARROW_DAYS`]: narrow screens show it on request.
    pub older: bool,
}

/// How many of the newest days a narrow screen shows at first.
pub const NARROW_DAYS: usize = 30;

#[derive(Serialize)]
pub struct MonthRow {
    pub label: String,
    pub availability: String,
    pub downtime_minutes: String,
    /// "10% credit (below 99.95%)" when the SLA was missed.
    pub sla: Option<String>,
}

#[derive(Serialize)]
pub struct UptimeView {
    pub days: Vec<DayCell>,
    /// The titles of the days that were not all operational, newest first.
    pub impacted: Vec<String>,
    pub first_day: String,
    /// The first of the last [`NARROW_DAYS`] days.
    pub first_day_30: String,
    pub availability_30d: String,
    pub availability_90d: String,
    pub months: Vec<MonthRow>,
}

fn day_cell(site: &Site, d: &Day) -> DayCell {
    let mut title = format!("{}: {}", d.date.format("%a %Y-%m-%d"), d.status.label());
    if d.impact_minutes > 0.0 {
        // Whole minutes, rounded up: an outage never looks shorter.
        title.push_str(&format!(", {} min of impact", d.impact_minutes.ceil()));
    }
    let names: Vec<&str> = d.incidents.iter().rev().map(|&i| site.incidents[i].title.as_str()).collect();
    if !names.is_empty() {
        title.push_str(&format!(" ({})", names.join("; ")));
    }
    DayCell { date: d.date.to_string(), status: status_badge(d.status), title, older: false }
}

/// Days, rolling availability and billing months of one timeline.
pub fn uptime_view(site: &Site, tagged: &[uptime::Tagged], months: &[uptime::Month]) -> UptimeView {
    let days = uptime::days(site, tagged);
    let mut cells: Vec<DayCell> = days.iter().map(|d| day_cell(site, d)).collect();
    let older = cells.len().saturating_sub(NARROW_DAYS);
    cells[..older].iter_mut().for_each(|c| c.older = true);
    UptimeView {
        first_day: days.first().map(|d| d.date.to_string()).unwrap_or_default(),
        first_day_30: days.get(older).map(|d| d.date.to_string()).unwrap_or_default(),
        impacted: cells.iter().rev().filter(|c| c.status.key != "operational").map(|c| c.title.clone()).collect(),
        days: cells,
        availability_30d: percent(uptime::recent_availability(site, tagged, 30)),
        availability_90d: percent(uptime::recent_availability(site, tagged, 90)),
        months: months
            .iter()
            .rev()
            .map(|m| MonthRow {
                label: month_label(m.year, m.month),
                availability: percent(m.availability),
                downtime_minutes: format!("{:.1}", m.downtime_minutes),
                sla: m.tier.map(|t| format!("{}% credit (below {}%)", t.credit, t.below)),
            })
            .collect(),
    }
}

/// A service's availability in one region, for the region page.
#[derive(Serialize)]
pub struct RegionRow {
    pub service: Link,
    pub status: Badge,
    pub availability_30d: String,
    pub availability_90d: String,
}

pub fn region_rows(
    site: &Site,
    timelines: &Timelines,
    grid: &crate::derive::status::StatusGrid,
    ri: usize,
) -> Vec<RegionRow> {
    site.config
        .components
        .iter()
        .enumerate()
        .filter(|(ci, _)| site.lookup.offered(*ci, ri))
        .map(|(ci, c)| {
            let cell = &timelines.cells[ci][ri];
            RegionRow {
                service: Link { name: c.name.clone(), href: component_href(&c.id) },
                status: status_badge(grid.cells[ci][ri].unwrap_or(ComponentStatus::Operational)),
                availability_30d: percent(uptime::recent_availability(site, cell, 30)),
                availability_90d: percent(uptime::recent_availability(site, cell, 90)),
            }
        })
        .collect()
}

/// The credits page: months below the SLA, and credits incidents declared.
#[derive(Serialize)]
pub struct CreditsView {
    pub billing_timezone: String,
    pub tiers: Vec<String>,
    pub shortfalls: Vec<Shortfall>,
    pub declared: Vec<Declared>,
}

#[derive(Serialize)]
pub struct Shortfall {
    pub month: String,
    pub service: Link,
    pub availability: String,
    pub credit: String,
}

#[derive(Serialize)]
pub struct Declared {
    pub incident: Link,
    pub credit: CreditView,
}

pub fn credits_view(site: &Site, timelines: &Timelines) -> CreditsView {
    let config = &site.config;
    let mut shortfalls = Vec::new();
    for (ci, c) in config.components.iter().enumerate() {
        for m in timelines.component_months(site, ci) {
            if let Some(tier) = m.tier {
                shortfalls.push((
                    (m.year, m.month),
                    Shortfall {
                        month: month_label(m.year, m.month),
                        service: Link { name: c.name.clone(), href: component_href(&c.id) },
                        availability: percent(m.availability),
                        credit: format!("{}% (below {}%)", tier.credit, tier.below),
                    },
                ));
            }
        }
    }
    // Newest month first, then services in config order.
    shortfalls.sort_by_key(|s| std::cmp::Reverse(s.0));
    let declared = site
        .incidents
        .iter()
        .flat_map(|i| {
            i.credits.iter().map(move |c| Declared {
                incident: Link { name: i.title.clone(), href: incident_href(&i.id) },
                credit: credit_view(site, timelines, i, c),
            })
        })
        .collect();
    CreditsView {
        billing_timezone: config.sla.billing_timezone.name().to_owned(),
        tiers: config.sla.tiers.iter().map(|t| format!("below {}%: {}% credit", t.below, t.credit)).collect(),
        shortfalls: shortfalls.into_iter().map(|(_, s)| s).collect(),
        declared,
    }
}
