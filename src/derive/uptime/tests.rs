//! Worked examples, checked by hand, for uptime days and billing months.

use super::*;
use crate::config::SlaTier;
use crate::derive::fixtures::*;
use crate::model::ComponentStatus::*;

fn with_zones(mut s: Site, site_zone: Tz, billing: Tz, now: &str) -> Site {
    s.config.timezone = site_zone;
    s.config.sla.billing_timezone = billing;
    s.config.sla.tiers = vec![SlaTier { below: 99.95, credit: 10 }, SlaTier { below: 99.0, credit: 25 }];
    s.now = t(now);
    s
}

#[test]
fn an_outage_across_a_dst_change_counts_the_real_local_days() {
    // Major outage on all of Sunday 2026-03-08 in Los Angeles: a 23-hour day.
    let i = incident(
        vec![window(&["api"], None, MajorOutage, "2026-03-08T08:00:00Z", None)],
        "2026-03-08T08:00:00Z",
        Some("2026-03-09T07:00:00Z"),
    );
    let s = with_zones(site(vec![i], vec![]), chrono_tz::America::Los_Angeles, chrono_tz::UTC, "2026-03-10T20:00:00Z");
    let tl = Timelines::new(&s);
    let days = days(&s, &tl.components[0]);
    assert_eq!(days.len(), 90);
    let day = days.iter().find(|d| d.date.to_string() == "2026-03-08").unwrap();
    assert_eq!(day.status, MajorOutage);
    assert_eq!(day.downtime_minutes, 23.0 * 60.0);
    assert_eq!(day.impact_minutes, 23.0 * 60.0);
    assert_eq!(day.incidents, vec![0]);
    let before = days.iter().find(|d| d.date.to_string() == "2026-03-07").unwrap();
    assert_eq!((before.status, before.downtime_minutes), (Operational, 0.0));
    // "db" was not affected at all.
    assert!(super::days(&s, &tl.components[1]).iter().all(|d| d.status == Operational));
}

#[test]
fn a_month_end_in_the_billing_zone_but_not_the_site_zone() {
    // 20:00-23:00 PDT on Sep 30 2025 is 03:00-06:00 UTC on Oct 1.
    let i = incident(
        vec![window(&["api"], Some(&["east"]), PartialOutage, "2025-10-01T03:00:00Z", None)],
        "2025-10-01T03:00:00Z",
        Some("2025-10-01T06:00:00Z"),
    );
    let s = with_zones(site(vec![i], vec![]), chrono_tz::America::Los_Angeles, chrono_tz::UTC, "2025-10-15T00:00:00Z");
    let tl = Timelines::new(&s);
    let months = months(&s, &tl.cells[0][0]);
    // The record starts with this incident, in October in the billing zone.
    assert_eq!(months.iter().map(|m| (m.year, m.month)).collect::<Vec<_>>(), [(2025, 10)]);
    let oct = &months[0];
    // 3 h at partial weight 0.3 = 54 minutes, all in October.
    assert!((oct.downtime_minutes - 54.0).abs() < 1e-9, "{}", oct.downtime_minutes);
    // October counts up to the clock: 14 days.
    assert_eq!(oct.minutes, 14.0 * 24.0 * 60.0);
    // The site-zone day is still September 30.
    let days = impacted_days(&s, &tl.cells[0][0]);
    assert_eq!(days.iter().map(|d| d.date.to_string()).collect::<Vec<_>>(), ["2025-09-30"]);
    // West was not affected.
    assert!(impacted_days(&s, &tl.cells[0][1]).is_empty());
}

#[test]
fn a_leap_day_outage_and_the_sla_tiers() {
    // 24 h of major outage on 2024-02-29: 1 - 24/(29*24) = 96.55% in February.
    let i = incident(
        vec![window(&["db"], None, MajorOutage, "2024-02-29T00:00:00Z", None)],
        "2024-02-29T00:00:00Z",
        Some("2024-03-01T00:00:00Z"),
    );
    let s = with_zones(site(vec![i], vec![]), chrono_tz::UTC, chrono_tz::UTC, "2024-04-01T00:00:00Z");
    let tl = Timelines::new(&s);
    let months = months(&s, &tl.components[1]);
    assert_eq!(months.iter().map(|m| (m.year, m.month)).collect::<Vec<_>>(), [(2024, 2), (2024, 3)]);
    let feb = &months[0];
    assert!((feb.availability - (1.0 - 1.0 / 29.0) * 100.0).abs() < 1e-9);
    assert_eq!(feb.tier, Some(SlaTier { below: 99.0, credit: 25 }), "below both tiers: the most severe applies");
    assert_eq!(months[1].availability, 100.0);
    assert_eq!(months[1].tier, None);
    assert_eq!(sla_tier(99.5, &s.config.sla.tiers), Some(SlaTier { below: 99.95, credit: 10 }));
    assert_eq!(sla_tier(99.95, &s.config.sla.tiers), None, "exactly at the threshold is not below it");
}

#[test]
fn open_windows_run_to_the_clock_and_overlaps_count_once() {
    let open =
        incident(vec![window(&["api"], None, MajorOutage, "2026-01-10T10:00:00Z", None)], "2026-01-10T10:00:00Z", None);
    // A second incident overlapping the first on the same service.
    let mut other = incident(
        vec![window(&["api"], Some(&["west"]), MajorOutage, "2026-01-10T11:00:00Z", None)],
        "2026-01-10T11:00:00Z",
        Some("2026-01-10T11:30:00Z"),
    );
    other.id = "other".into();
    let s = with_zones(site(vec![open, other], vec![]), chrono_tz::UTC, chrono_tz::UTC, "2026-01-10T12:00:00Z");
    let tl = Timelines::new(&s);
    let today = days(&s, &tl.components[0]).pop().unwrap();
    assert_eq!(today.date.to_string(), "2026-01-10");
    assert_eq!(today.downtime_minutes, 120.0, "10:00 to the clock at 12:00, the overlap once");
    assert_eq!(today.incidents, vec![0, 1]);
    // The current day counts up to the clock: 12 h so far, 2 h down.
    let a = recent_availability(&s, &tl.components[0], 1);
    assert!((a - 100.0 * (1.0 - 2.0 / 12.0)).abs() < 1e-9, "{a}");
}

#[test]
fn maintenance_shows_in_the_day_but_is_not_downtime() {
    let m = crate::model::Maintenance {
        id: "m".into(),
        source: "m.md".into(),
        title: "M".into(),
        scheduled_start: t("2026-01-05T01:00:00Z"),
        scheduled_end: t("2026-01-05T03:00:00Z"),
        components: vec!["db".into()],
        regions: None,
        updates: vec![],
        body: String::new(),
    };
    let s = with_zones(site(vec![], vec![m]), chrono_tz::UTC, chrono_tz::UTC, "2026-01-06T00:00:00Z");
    let tl = Timelines::new(&s);
    let day = days(&s, &tl.components[1]).into_iter().find(|d| d.date.to_string() == "2026-01-05").unwrap();
    assert_eq!((day.status, day.downtime_minutes, day.impact_minutes), (UnderMaintenance, 0.0, 0.0));
    assert!(day.incidents.is_empty());
}

#[test]
fn an_outage_before_a_skipped_date_stays_on_its_day() {
    // Pacific/Apia skipped 2011-12-30: 23:00-23:30 on Dec 29 (UTC-10) is
    // 09:00-09:30 UTC on Dec 30, just before the jump to UTC+14.
    let i = incident(
        vec![window(&["api"], Some(&["east"]), MajorOutage, "2011-12-30T09:00:00Z", None)],
        "2011-12-30T09:00:00Z",
        Some("2011-12-30T09:30:00Z"),
    );
    let apia = chrono_tz::Pacific::Apia;
    let s = with_zones(site(vec![i], vec![]), apia, apia, "2012-01-02T00:00:00Z");
    let tl = Timelines::new(&s);
    let cell = impacted_days(&s, &tl.cells[0][0]);
    assert_eq!(
        cell.iter().map(|d| (d.date.to_string(), d.downtime_minutes)).collect::<Vec<_>>(),
        [("2011-12-29".into(), 30.0)]
    );
    let days = days(&s, &tl.components[0]);
    let on = |date: &str| days.iter().find(|d| d.date.to_string() == date).unwrap().clone();
    assert_eq!((on("2011-12-29").downtime_minutes, on("2011-12-29").incidents.clone()), (30.0, vec![0]));
    // The skipped date is an empty day: nothing happened on it.
    assert_eq!((on("2011-12-30").status, on("2011-12-30").downtime_minutes), (Operational, 0.0));
    assert!(on("2011-12-30").incidents.is_empty());
}

#[test]
fn clocks_set_back_across_midnight_bill_one_month_everywhere() {
    // St John's, 2009-11-01: 00:01 NDT became 23:01 NST on Oct 31. The
    // repeated 23:10-23:40 NST is 02:40-03:10 UTC, after November began.
    let i = incident(
        vec![window(&["api"], None, MajorOutage, "2009-11-01T02:40:00Z", None)],
        "2009-11-01T02:40:00Z",
        Some("2009-11-01T03:10:00Z"),
    );
    let zone = chrono_tz::America::St_Johns;
    let s = with_zones(site(vec![i], vec![]), zone, zone, "2009-11-15T00:00:00Z");
    let tl = Timelines::new(&s);
    let months = months(&s, &tl.components[0]);
    let billed: Vec<_> = months.iter().filter(|m| m.downtime_minutes > 0.0).map(|m| (m.year, m.month)).collect();
    let touched = crate::derive::credits::touched_months(&s.incidents[0], zone, s.now);
    assert_eq!(billed, [(2009, 11)]);
    assert_eq!(touched, billed, "availability and incidents bill the same month");
    let days = impacted_days(&s, &tl.components[0]);
    assert_eq!(
        days.iter().map(|d| (d.date.to_string(), d.downtime_minutes)).collect::<Vec<_>>(),
        [("2009-11-01".into(), 30.0)]
    );
}
