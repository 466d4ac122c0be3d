//! The figures behind the pages, as JSON under `api/candor/`, so customers
//! and their tools can check every number (documented in docs/api.md):
//!
//! - `uptime.json`: per service, each local day of the uptime history with
//!   its worst status, weighted downtime and impact minutes and incidents,
//!   30- and 90-day availability; per (service, region) the same figures,
//!   listing only days with any impact (absent days are operational, 0 min).
//! - `availability.json`: per service and billing month, availability, the
//!   SLA tier it fell into and the credit owed.
//! - `incidents.json`: per incident, its duration and impact in minutes and
//!   the billing months it touched, with its declared credits; an open
//!   incident says it is `ongoing` (its figures run to the build's clock).
//!
//! Minutes are exact (to the second: 446.4, not 446), published to three
//! decimals rounded so that an outage never looks shorter and a month never
//! longer: downtime, impact and durations up, a month's minutes down.

use super::{Kind, OutputFile, Sink};
use crate::derive::credits::{credit_months, touched_months};
use crate::derive::summary::impact_seconds;
use crate::derive::uptime::{self, month_key, Day, Timelines};
use crate::derive::Derived;
use crate::error::Error;
use crate::model::Site;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

/// Minutes of outage to three decimals, rounded up (availability: see
/// `uptime::published`). The tolerance keeps float noise (446.4 * 1000 =
/// 446400.00000000006) from adding a thousandth.
fn up(minutes: f64) -> f64 {
    (minutes * 1000.0 - 1e-6).ceil() / 1000.0
}

/// Minutes of a month to three decimals, rounded down.
fn down(minutes: f64) -> f64 {
    (minutes * 1000.0 + 1e-6).floor() / 1000.0
}

#[derive(Serialize)]
struct DayJson {
    date: String,
    status: &'static str,
    downtime_minutes: f64,
    impact_minutes: f64,
    incidents: Vec<String>,
}

#[derive(Serialize)]
struct CellJson {
    region: String,
    availability_30d: f64,
    availability_90d: f64,
    days: Vec<DayJson>,
}

#[derive(Serialize)]
struct ServiceUptime {
    id: String,
    name: String,
    availability_30d: f64,
    availability_90d: f64,
    days: Vec<DayJson>,
    regions: Vec<CellJson>,
}

#[derive(Serialize)]
struct UptimeFile {
    timezone: String,
    days: u32,
    weights: Weights,
    /// Each a [`ServiceUptime`], serialised as soon as it is worked out:
    /// the file is tens of megabytes on a large site, and its structs would
    /// take several times that.
    services: Vec<Box<RawValue>>,
}

#[derive(Serialize)]
struct Weights {
    major_outage: f64,
    partial_outage: f64,
    degraded_performance: f64,
}

#[derive(Serialize)]
struct MonthJson {
    month: String,
    availability: f64,
    downtime_minutes: f64,
    minutes: f64,
    /// The SLA tier the month fell below, and its credit; null when met.
    sla_below: Option<f64>,
    sla_credit_percent: Option<u32>,
}

#[derive(Serialize)]
struct ServiceMonths {
    id: String,
    name: String,
    months: Vec<MonthJson>,
}

#[derive(Serialize)]
struct AvailabilityFile {
    billing_timezone: String,
    tiers: Vec<TierJson>,
    services: Vec<ServiceMonths>,
}

#[derive(Serialize)]
struct TierJson {
    below: f64,
    credit_percent: u32,
}

#[derive(Serialize)]
struct CreditJson {
    percent: u32,
    services: Vec<String>,
    months: Vec<String>,
}

#[derive(Serialize)]
struct IncidentJson {
    id: String,
    /// Unresolved: the duration and impact run to the build's clock and
    /// will grow.
    ongoing: bool,
    duration_minutes: f64,
    impact_minutes: f64,
    billing_months: Vec<String>,
    credits: Vec<CreditJson>,
}

#[derive(Serialize)]
struct IncidentsFile {
    billing_timezone: String,
    incidents: Vec<IncidentJson>,
}

pub fn render(site: &Site, derived: &Derived, sink: &dyn Sink) -> Result<(), Error> {
    let timelines = &derived.timelines;
    let json = |path: &str, bytes: Vec<u8>| sink.put(OutputFile::new(format!("api/candor/{path}"), bytes, Kind::Api));
    json("uptime.json", to_json(&uptime_file(site, timelines)))?;
    json("availability.json", to_json(&availability_file(site, timelines)))?;
    json("incidents.json", to_json(&incidents_file(site)))
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec(value).unwrap_or_default();
    out.push(b'\n');
    out
}

fn day_json(site: &Site, d: &Day) -> DayJson {
    DayJson {
        date: d.date.to_string(),
        status: d.status.as_str(),
        downtime_minutes: up(d.downtime_minutes),
        impact_minutes: up(d.impact_minutes),
        incidents: d.incidents.iter().map(|&i| site.incidents[i].id.clone()).collect(),
    }
}

fn uptime_file(site: &Site, timelines: &Timelines) -> UptimeFile {
    let config = &site.config;
    let services = config
        .components
        .par_iter()
        .enumerate()
        .map(|(ci, c)| {
            let tagged = &timelines.components[ci];
            let regions = config
                .regions
                .iter()
                .enumerate()
                .filter(|(ri, _)| site.lookup.offered(ci, *ri))
                .map(|(ri, r)| {
                    let cell = &timelines.cells[ci][ri];
                    CellJson {
                        region: r.id.clone(),
                        availability_30d: uptime::published(uptime::recent_availability(site, cell, 30)),
                        availability_90d: uptime::published(uptime::recent_availability(site, cell, 90)),
                        days: uptime::impacted_days(site, cell).iter().map(|d| day_json(site, d)).collect(),
                    }
                })
                .collect();
            let service = ServiceUptime {
                id: c.id.clone(),
                name: c.name.clone(),
                availability_30d: uptime::published(uptime::recent_availability(site, tagged, 30)),
                availability_90d: uptime::published(uptime::recent_availability(site, tagged, 90)),
                days: uptime::days(site, tagged).iter().map(|d| day_json(site, d)).collect(),
                regions,
            };
            serde_json::value::to_raw_value(&service).expect("uptime figures hold only strings and numbers")
        })
        .collect();
    let w = &config.uptime;
    UptimeFile {
        timezone: config.timezone.name().to_owned(),
        days: config.uptime_days,
        weights: Weights {
            major_outage: w.major_outage,
            partial_outage: w.partial_outage,
            degraded_performance: w.degraded_performance,
        },
        services,
    }
}

fn availability_file(site: &Site, timelines: &Timelines) -> AvailabilityFile {
    let config = &site.config;
    let services = config
        .components
        .par_iter()
        .enumerate()
        .map(|(ci, c)| ServiceMonths {
            id: c.id.clone(),
            name: c.name.clone(),
            months: timelines
                .component_months(site, ci)
                .iter()
                .map(|m| MonthJson {
                    month: month_key(m.year, m.month),
                    availability: uptime::published(m.availability),
                    downtime_minutes: up(m.downtime_minutes),
                    minutes: down(m.minutes),
                    sla_below: m.tier.map(|t| t.below),
                    sla_credit_percent: m.tier.map(|t| t.credit),
                })
                .collect(),
        })
        .collect();
    AvailabilityFile {
        billing_timezone: config.sla.billing_timezone.name().to_owned(),
        tiers: config.sla.tiers.iter().map(|t| TierJson { below: t.below, credit_percent: t.credit }).collect(),
        services,
    }
}

fn incidents_file(site: &Site) -> IncidentsFile {
    let zone = site.config.sla.billing_timezone;
    let incidents = site
        .incidents
        .par_iter()
        .map(|i| IncidentJson {
            id: i.id.clone(),
            ongoing: i.resolved.is_none_or(|r| r > site.now),
            duration_minutes: up(
                (i.resolved.unwrap_or(site.now).min(site.now).max(i.started) - i.started).num_seconds() as f64 / 60.0,
            ),
            impact_minutes: up(impact_seconds(i, site.now) as f64 / 60.0),
            billing_months: touched_months(i, zone, site.now).into_iter().map(|(y, m)| month_key(y, m)).collect(),
            credits: i
                .credits
                .iter()
                .map(|c| CreditJson {
                    percent: c.percent,
                    services: c.components.clone(),
                    months: credit_months(&c.months, i, zone, site.now)
                        .into_iter()
                        .map(|(y, m)| month_key(y, m))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    IncidentsFile { billing_timezone: zone.name().to_owned(), incidents }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::fixtures::*;
    use crate::model::ComponentStatus::MajorOutage;

    #[test]
    fn minutes_are_exact_and_never_shorter() {
        assert_eq!(up(446.4), 446.4);
        assert_eq!(up(1.0 / 60.0), 0.017, "one second");
        assert_eq!(down(44640.0), 44640.0);
        assert_eq!(down(2.0 / 3.0), 0.666);
    }

    #[test]
    fn an_open_incident_says_it_is_ongoing() {
        // 446.4 minutes (7 h 26 min 24 s), resolved; and one still open.
        let done = incident(
            vec![window(&["api"], None, MajorOutage, "2026-01-01T00:00:00Z", None)],
            "2026-01-01T00:00:00Z",
            Some("2026-01-01T07:26:24Z"),
        );
        let open = incident(
            vec![window(&["api"], None, MajorOutage, "2026-01-02T00:00:00Z", None)],
            "2026-01-02T00:00:00Z",
            None,
        );
        let mut s = site(vec![done, open], vec![]);
        s.now = t("2026-01-02T00:10:30Z");
        let file = incidents_file(&s);
        let figures: Vec<_> =
            file.incidents.iter().map(|i| (i.ongoing, i.duration_minutes, i.impact_minutes)).collect();
        assert_eq!(figures, [(false, 446.4, 446.4), (true, 10.5, 10.5)]);
    }
}
