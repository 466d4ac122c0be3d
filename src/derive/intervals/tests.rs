//! Worked examples and properties of the interval arithmetic.

use super::*;
use crate::model::ComponentStatus::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

fn t(s: &str) -> Instant {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn w(start: &str, end: &str, status: ComponentStatus) -> Window {
    Window { start: t(start), end: t(end), status }
}

fn weights(s: ComponentStatus) -> f64 {
    match s {
        MajorOutage => 1.0,
        PartialOutage => 0.3,
        _ => 0.0,
    }
}

#[test]
fn overlapping_windows_count_once_with_the_worst_weight() {
    let windows = [
        w("2026-01-01T00:00:00Z", "2026-01-01T02:00:00Z", PartialOutage),
        w("2026-01-01T01:00:00Z", "2026-01-01T03:00:00Z", MajorOutage),
        w("2026-01-01T01:30:00Z", "2026-01-01T01:45:00Z", MajorOutage),
    ];
    let (from, to) = (t("2026-01-01T00:00:00Z"), t("2026-01-02T00:00:00Z"));
    // 1 h partial (0.3) + 2 h major (1.0) = 0.3 h + 2 h.
    assert_eq!(weighted_seconds(&windows, from, to, weights), 0.3 * 3600.0 + 2.0 * 3600.0);
    assert_eq!(covered_seconds(&windows, from, to), 3 * 3600);
    assert_eq!(worst(&windows, from, to), MajorOutage);
    let a = availability(weighted_seconds(&windows, from, to, weights), from, to);
    assert!((a - 100.0 * (1.0 - 2.3 / 24.0)).abs() < 1e-9, "{a}");
}

#[test]
fn clipping_to_a_dst_day_uses_its_real_length() {
    // 2026-03-08 in Los Angeles is 23 hours long.
    let zone = chrono_tz::America::Los_Angeles;
    let (from, to) = crate::time::day_bounds(chrono::NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(), zone);
    let all_day = [Window { start: from - Duration::hours(5), end: to + Duration::hours(5), status: MajorOutage }];
    assert_eq!(weighted_seconds(&all_day, from, to, weights), 23.0 * 3600.0);
    assert_eq!(availability(23.0 * 3600.0, from, to), 0.0);
}

#[test]
fn an_outage_across_feb_29_splits_between_the_days() {
    let zone = chrono_tz::UTC;
    let windows = [w("2012-02-28T22:00:00Z", "2012-03-01T01:00:00Z", MajorOutage)];
    let day = |d: u32, m: u32| crate::time::day_bounds(chrono::NaiveDate::from_ymd_opt(2012, m, d).unwrap(), zone);
    let hours = |(f, to): (Instant, Instant)| weighted_seconds(&windows, f, to, weights) / 3600.0;
    assert_eq!(hours(day(28, 2)), 2.0);
    assert_eq!(hours(day(29, 2)), 24.0);
    assert_eq!(hours(day(1, 3)), 1.0);
    let (feb_from, feb_to) = crate::time::month_bounds(2012, 2, zone).unwrap();
    assert_eq!(weighted_seconds(&windows, feb_from, feb_to, weights) / 3600.0, 26.0);
}

#[test]
fn a_window_from_2100_02_28_to_03_01_has_no_leap_day() {
    let windows = [w("2100-02-28T00:00:00Z", "2100-03-01T00:00:00Z", MajorOutage)];
    let (from, to) = crate::time::month_bounds(2100, 2, chrono_tz::UTC).unwrap();
    assert_eq!(weighted_seconds(&windows, from, to, weights), 24.0 * 3600.0);
    let (mfrom, mto) = crate::time::month_bounds(2100, 3, chrono_tz::UTC).unwrap();
    assert_eq!(weighted_seconds(&windows, mfrom, mto, weights), 0.0, "ends exactly at March 1st 00:00");
}

fn instant(secs: i64) -> Instant {
    Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
}

fn arb_windows() -> impl Strategy<Value = Vec<Window>> {
    prop::collection::vec((0i64..200_000, 1i64..50_000, 0usize..4), 0..12).prop_map(|v| {
        v.into_iter()
            .map(|(s, len, k)| Window {
                start: instant(s),
                end: instant(s + len),
                status: [DegradedPerformance, PartialOutage, MajorOutage, UnderMaintenance][k],
            })
            .collect()
    })
}

/// Weighted downtime by its definition: each span between two consecutive
/// window edges, at the heaviest weight of the windows covering all of it.
fn weighted_by_definition(windows: &[Window], from: Instant, to: Instant, weight: fn(ComponentStatus) -> f64) -> f64 {
    let clipped: Vec<Window> = windows.iter().filter_map(|w| w.clip(from, to)).collect();
    let mut points: Vec<Instant> = clipped.iter().flat_map(|w| [w.start, w.end]).collect();
    points.sort();
    points.dedup();
    let mut total = 0.0;
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let heaviest =
            clipped.iter().filter(|w| w.start <= a && b <= w.end).map(|w| weight(w.status)).fold(0.0, f64::max);
        total += heaviest * (b - a).num_seconds() as f64;
    }
    total
}

proptest! {
    #[test]
    fn the_sweep_adds_up_exactly_what_the_definition_does(
        windows in prop::collection::vec(arb_windows(), 1..4).prop_map(|v| v.concat()),
        a in 0i64..250_000,
        len in 0i64..250_000,
    ) {
        // Weights whose sums round, so the order of the additions shows.
        fn graded(s: ComponentStatus) -> f64 {
            match s {
                MajorOutage => 1.0,
                PartialOutage => 0.35,
                DegradedPerformance => 0.1,
                _ => 0.0,
            }
        }
        let (from, to) = (instant(a), instant(a + len));
        for weight in [graded as fn(ComponentStatus) -> f64, weights] {
            let swept = weighted_seconds(&windows, from, to, weight);
            prop_assert_eq!(swept.to_bits(), weighted_by_definition(&windows, from, to, weight).to_bits());
        }
    }

    #[test]
    fn availability_stays_within_0_and_100(windows in arb_windows(), a in 0i64..250_000, len in 0i64..250_000) {
        let (from, to) = (instant(a), instant(a + len));
        let av = availability(weighted_seconds(&windows, from, to, weights), from, to);
        prop_assert!((0.0..=100.0).contains(&av), "{}", av);
    }

    #[test]
    fn weighted_never_exceeds_covered_and_covered_never_exceeds_the_span(windows in arb_windows(), a in 0i64..250_000, len in 0i64..250_000) {
        let (from, to) = (instant(a), instant(a + len));
        let weighted = weighted_seconds(&windows, from, to, weights);
        let covered = covered_seconds(&windows, from, to);
        prop_assert!(weighted <= covered as f64 + 1e-6);
        prop_assert!(covered <= len);
        // A window inside another of the same status adds nothing.
        let mut doubled = windows.clone();
        doubled.extend(windows.iter().copied());
        prop_assert_eq!(weighted_seconds(&doubled, from, to, weights), weighted);
        prop_assert_eq!(covered_seconds(&doubled, from, to), covered);
    }

    #[test]
    fn days_of_a_span_add_up_to_the_span(windows in arb_windows(), cuts in prop::collection::vec(1i64..249_999, 0..8)) {
        let (from, to) = (instant(0), instant(250_000));
        let mut points = vec![0i64, 250_000];
        points.extend(cuts);
        points.sort();
        points.dedup();
        let parts: f64 = points.windows(2).map(|p| weighted_seconds(&windows, instant(p[0]), instant(p[1]), weights)).sum();
        prop_assert!((parts - weighted_seconds(&windows, from, to, weights)).abs() < 1e-6);
        let covered: i64 = points.windows(2).map(|p| covered_seconds(&windows, instant(p[0]), instant(p[1]))).sum();
        prop_assert_eq!(covered, covered_seconds(&windows, from, to));
    }

    #[test]
    fn the_days_of_a_month_add_up_to_the_month(windows in arb_windows(), zone_index in 0usize..4, month in 1u32..=12) {
        let zone = [chrono_tz::UTC, chrono_tz::America::Los_Angeles, chrono_tz::Pacific::Kiritimati, chrono_tz::America::St_Johns][zone_index];
        // Move the windows into the month being cut.
        let (mfrom, mto) = crate::time::month_bounds(2024, month, zone).unwrap();
        let shift = mfrom - instant(0) + Duration::hours(3);
        let moved: Vec<Window> = windows.iter().map(|w| Window { start: w.start + shift, end: w.end + shift, status: w.status }).collect();
        let mut total = 0.0;
        let mut day = crate::time::local_date(mfrom, zone);
        let mut seconds = 0;
        while crate::time::day_start(day, zone) < mto {
            let (f, t) = crate::time::day_bounds(day, zone);
            total += weighted_seconds(&moved, f, t, weights);
            seconds += (t - f).num_seconds();
            day = day.succ_opt().unwrap();
        }
        prop_assert_eq!(seconds, (mto - mfrom).num_seconds(), "days tile the month");
        prop_assert!((total - weighted_seconds(&moved, mfrom, mto, weights)).abs() < 1e-6);
    }
}
