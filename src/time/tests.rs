//! Date and time cases that have hurt real systems: leap days, century
//! years, DST gaps and overlaps, zones far from UTC.

use super::*;
use chrono_tz::America::{Los_Angeles, St_Johns};
use chrono_tz::Australia::Lord_Howe;
use chrono_tz::Europe::Berlin;
use chrono_tz::Pacific::Kiritimati;

fn toml_dt(text: &str) -> toml::value::Datetime {
    text.parse().expect("test datetime parses")
}

fn utc(text: &str) -> Instant {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

#[test]
fn leap_days_exist_only_in_leap_years() {
    assert!(calendar_date(2012, 2, 29).is_ok());
    assert!(calendar_date(2000, 2, 29).is_ok(), "2000 is divisible by 400");
    let e = calendar_date(2100, 2, 29).unwrap_err();
    assert_eq!(e.to_string(), "2100-02-29 is not a date: February 2100 has 28 days (2100 is not a leap year)");
    let e = calendar_date(2013, 2, 29).unwrap_err();
    assert!(e.to_string().contains("2013 is not a leap year"), "{e}");
    let e = calendar_date(2012, 4, 31).unwrap_err();
    assert_eq!(e.to_string(), "2012-04-31 is not a date: April 2012 has 30 days");
    assert_eq!(days_in_month(2012, 2), Some(29));
    assert_eq!(days_in_month(2100, 2), Some(28));
    assert_eq!(days_in_month(2024, 12), Some(31));
}

#[test]
fn offset_datetimes_are_taken_as_written() {
    let t = resolve(&toml_dt("2012-02-28T16:00:00-08:00"), Berlin).unwrap();
    assert_eq!(t, utc("2012-02-29T00:00:00Z"));
    let t = resolve(&toml_dt("2012-02-29T23:30:00Z"), Los_Angeles).unwrap();
    assert_eq!(t, utc("2012-02-29T23:30:00Z"));
}

#[test]
fn local_datetimes_are_read_in_the_zone() {
    let t = resolve(&toml_dt("2012-02-28T16:00:00"), Los_Angeles).unwrap();
    assert_eq!(t, utc("2012-02-29T00:00:00Z"));
    // Summer time in Berlin is UTC+2.
    let t = resolve(&toml_dt("2025-07-01T12:00:00"), Berlin).unwrap();
    assert_eq!(t, utc("2025-07-01T10:00:00Z"));
}

#[test]
fn dates_and_bare_times_are_not_instants() {
    assert_eq!(resolve(&toml_dt("2012-02-28"), Berlin), Err(TimeError::DateOnly));
    assert_eq!(resolve(&toml_dt("16:00:00"), Berlin), Err(TimeError::TimeOnly));
}

#[test]
fn spring_forward_gap_in_los_angeles_names_both_readings() {
    // 2026-03-08 02:00 PST -> 03:00 PDT.
    let e = resolve(&toml_dt("2026-03-08T02:30:00"), Los_Angeles).unwrap_err();
    let TimeError::Nonexistent { candidates: [a, b], .. } = &e else { panic!("{e:?}") };
    assert_eq!(a.instant, utc("2026-03-08T10:30:00Z"), "read as PST (-08:00)");
    assert_eq!(b.instant, utc("2026-03-08T09:30:00Z"), "read as PDT (-07:00)");
    assert_eq!(
        e.to_string(),
        "2026-03-08T02:30:00 does not exist in America/Los_Angeles: the clocks skip it \
         (the zone's UTC offset changes from -08:00 to -07:00 then)"
    );
    assert_eq!(
        e.hint(),
        "write the offset of the instant you mean: 2026-03-08T02:30:00-08:00 (10:30 UTC) or 2026-03-08T02:30:00-07:00 (09:30 UTC)"
    );
}

#[test]
fn fall_back_overlap_in_los_angeles_is_ambiguous() {
    // 2026-11-01 02:00 PDT -> 01:00 PST: 01:30 happens twice.
    let e = resolve(&toml_dt("2026-11-01T01:30:00"), Los_Angeles).unwrap_err();
    let TimeError::Ambiguous { candidates: [a, b], .. } = &e else { panic!("{e:?}") };
    assert_eq!(a.instant, utc("2026-11-01T08:30:00Z"));
    assert_eq!(b.instant, utc("2026-11-01T09:30:00Z"));
    assert!(e.hint().contains("2026-11-01T01:30:00-07:00 (08:30 UTC) or 2026-11-01T01:30:00-08:00 (09:30 UTC)"));
    // Just outside the overlap is fine.
    assert!(resolve(&toml_dt("2026-11-01T02:00:00"), Los_Angeles).is_ok());
    assert!(resolve(&toml_dt("2026-11-01T00:59:59"), Los_Angeles).is_ok());
}

#[test]
fn berlin_gap_and_overlap() {
    // 2025-03-30 02:00 CET -> 03:00 CEST; 2025-10-26 03:00 CEST -> 02:00 CET.
    assert!(matches!(resolve(&toml_dt("2025-03-30T02:15:00"), Berlin), Err(TimeError::Nonexistent { .. })));
    assert!(matches!(resolve(&toml_dt("2025-10-26T02:15:00"), Berlin), Err(TimeError::Ambiguous { .. })));
    assert_eq!(resolve(&toml_dt("2025-03-30T03:00:00"), Berlin).unwrap(), utc("2025-03-30T01:00:00Z"));
}

#[test]
fn lord_howe_half_hour_shift() {
    // Lord Howe moves its clocks by 30 minutes: 2025-10-05 02:00 -> 02:30.
    assert!(matches!(resolve(&toml_dt("2025-10-05T02:10:00"), Lord_Howe), Err(TimeError::Nonexistent { .. })));
    assert!(resolve(&toml_dt("2025-10-05T02:40:00"), Lord_Howe).is_ok());
}

#[test]
fn dst_days_are_23_and_25_hours_long() {
    let spring = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
    let (s, e) = day_bounds(spring, Los_Angeles);
    assert_eq!((e - s).num_hours(), 23);
    let fall = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let (s, e) = day_bounds(fall, Los_Angeles);
    assert_eq!((e - s).num_hours(), 25);
    let ordinary = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let (s, e) = day_bounds(ordinary, Los_Angeles);
    assert_eq!((e - s).num_hours(), 24);
}

#[test]
fn a_day_whose_midnight_does_not_exist_starts_when_the_clock_resumes() {
    // America/Havana springs forward at midnight: 2025-03-09 00:00 -> 01:00.
    let date = NaiveDate::from_ymd_opt(2025, 3, 9).unwrap();
    let start = day_start(date, chrono_tz::America::Havana);
    assert_eq!(start, utc("2025-03-09T05:00:00Z"));
    assert_eq!(local_date(start, chrono_tz::America::Havana), date);
}

#[test]
fn day_boundaries_far_from_utc() {
    // Kiritimati is UTC+14: 10:30 UTC on the 28th is already the 29th there.
    let t = utc("2012-02-28T10:30:00Z");
    assert_eq!(local_date(t, Kiritimati), NaiveDate::from_ymd_opt(2012, 2, 29).unwrap());
    assert_eq!(local_date(t, Los_Angeles), NaiveDate::from_ymd_opt(2012, 2, 28).unwrap());
    let (s, _) = day_bounds(NaiveDate::from_ymd_opt(2012, 2, 29).unwrap(), Kiritimati);
    assert_eq!(s, utc("2012-02-28T10:00:00Z"));
    // St John's is UTC-3:30 in winter: 02:29 UTC on Mar 1 is still Feb 29.
    let t = utc("2012-03-01T03:29:00Z");
    assert_eq!(local_date(t, St_Johns), NaiveDate::from_ymd_opt(2012, 2, 29).unwrap());
    let t = utc("2012-03-01T03:30:00Z");
    assert_eq!(local_date(t, St_Johns), NaiveDate::from_ymd_opt(2012, 3, 1).unwrap());
}

#[test]
fn months_are_cut_in_their_zone() {
    // The 2012 outage, Feb 28 16:00 PST to Mar 1 02:15 PST, touches two UTC months.
    let start = utc("2012-02-29T00:00:00Z");
    let end = utc("2012-03-01T10:15:00Z");
    assert_eq!(local_month(start, chrono_tz::UTC), (2012, 2));
    assert_eq!(local_month(end, chrono_tz::UTC), (2012, 3));
    let (s, e) = month_bounds(2012, 2, chrono_tz::UTC).unwrap();
    assert_eq!((e - s).num_days(), 29);
    let (s, e) = month_bounds(2100, 2, chrono_tz::UTC).unwrap();
    assert_eq!((e - s).num_days(), 28);
    // March in Los Angeles loses an hour to DST.
    let (s, e) = month_bounds(2026, 3, Los_Angeles).unwrap();
    assert_eq!((e - s).num_hours(), 31 * 24 - 1);
    // A window from 2100-02-28 to 2100-03-01 crosses straight into March.
    assert_eq!(local_date(utc("2100-02-28T23:59:59Z"), chrono_tz::UTC).succ_opt().unwrap().to_string(), "2100-03-01");
}

#[test]
fn abbreviations_follow_dst() {
    assert_eq!(display(utc("2012-02-29T00:00:00Z"), Los_Angeles), "2012-02-28 16:00 PST");
    assert_eq!(display(utc("2012-07-01T00:00:00Z"), Los_Angeles), "2012-06-30 17:00 PDT");
    assert_eq!(abbreviation(utc("2012-07-01T00:00:00Z"), Berlin), "CEST");
    assert_eq!(abbreviation(utc("2012-07-01T00:00:00Z"), Kiritimati), "+14");
}

#[test]
fn durations_and_intervals() {
    assert_eq!(human_duration(Duration::minutes(2055)), "1 d 10 h 15 min");
    assert_eq!(human_duration(Duration::minutes(45)), "45 min");
    assert_eq!(human_duration(Duration::seconds(20)), "less than a minute");
    // Outages are never shown shorter than they were: 446.4 min.
    assert_eq!(outage_duration(Duration::seconds(26_784)), "7 h 27 min");
    assert_eq!(outage_duration(Duration::minutes(45)), "45 min");
    assert_eq!(outage_duration(Duration::seconds(20)), "1 min");
    assert_eq!(outage_duration(Duration::zero()), "less than a minute");
    assert_eq!(parse_interval("60m"), Some(Duration::minutes(60)));
    assert_eq!(parse_interval("1h30m"), Some(Duration::minutes(90)));
    assert_eq!(parse_interval("2d"), Some(Duration::days(2)));
    assert_eq!(parse_interval("60"), None);
    assert_eq!(parse_interval("0m"), None);
    assert_eq!(parse_interval("1x"), None);
}

#[test]
fn the_clock_is_an_input() {
    let t = build_now(Some("2026-11-22T09:00:00+01:00"), Some("0")).unwrap();
    assert_eq!(t, utc("2026-11-22T08:00:00Z"));
    let t = build_now(None, Some("1330473600")).unwrap();
    assert_eq!(t, utc("2012-02-29T00:00:00Z"));
    assert!(build_now(Some("yesterday"), None).unwrap_err().contains("--now"));
    assert!(build_now(None, Some("soon")).unwrap_err().contains("SOURCE_DATE_EPOCH"));
}

/// A clock outside the supported years would make every month page up to
/// it: refused, naming the range.
#[test]
fn the_clock_must_be_within_the_supported_years() {
    for (flag, epoch) in [
        (Some("9999-12-31T23:59:59Z"), None),
        (Some("1899-12-31T23:59:59Z"), None),
        (Some("2100-01-01T00:00:00Z"), None),
        (Some("2200-01-01T00:00:00Z"), None),
        (None, Some("-2208988801")), // 1899-12-31T23:59:59Z
        (None, Some("4102444800")),  // 2100-01-01T00:00:00Z
    ] {
        let e = build_now(flag, epoch).unwrap_err();
        assert!(e.contains("1900-01-01") && e.contains("2100-01-01"), "{e}");
        assert!(e.contains(flag.map_or("SOURCE_DATE_EPOCH", |_| "--now")), "{e}");
    }
    assert!(build_now(Some("1900-01-01T00:00:00Z"), None).is_ok());
    assert!(build_now(Some("2099-12-31T23:59:59Z"), None).is_ok());
    assert!(build_now(None, Some("0")).is_ok());
}

#[test]
fn content_dates_must_be_within_the_supported_years() {
    for written in ["0001-12-09T10:00:00Z", "1899-12-31T23:59:59", "2200-01-01T00:00:00+05:00", "9999-12-31T00:00:00Z"]
    {
        let e = resolve(&toml_dt(written), Berlin).unwrap_err();
        assert_eq!(e, TimeError::OutOfRange(written.to_owned()));
        assert!(e.to_string().contains(written) && e.to_string().contains("2100-01-01"), "{e}");
    }
    assert!(resolve(&toml_dt("1900-01-01T00:00:00"), Berlin).is_ok());
    assert!(resolve(&toml_dt("2099-12-31T23:59:59Z"), Berlin).is_ok());
    assert!(matches!(resolve_date(&toml_dt("0026-06-30")), Err(TimeError::OutOfRange(_))));
    assert!(resolve_date(&toml_dt("2099-12-31")).is_ok());
    assert!(matches!(resolve_date(&toml_dt("2100-01-01")), Err(TimeError::OutOfRange(_))));
}

/// The zone database lists clock changes through 2099 only: from 2100 on,
/// Los Angeles would have no daylight saving time and Dublin would be an
/// hour off. Such times are refused, saying why, never read wrongly.
#[test]
fn times_the_zone_database_cannot_read_are_refused() {
    for written in ["2100-03-14T02:30:00", "2100-07-01T12:00:00", "2150-01-01T00:00:00Z", "2199-12-31T23:59:59Z"] {
        let e = resolve(&toml_dt(written), Los_Angeles).unwrap_err();
        assert_eq!(e, TimeError::OutOfRange(written.to_owned()));
        assert!(e.hint().contains("from 2100 on, the zone database knows no clock changes"), "{}", e.hint());
    }
    // The last supported days are exact: Dublin's summer of 2099 is IST.
    let t = resolve(&toml_dt("2099-07-01T12:00:00"), chrono_tz::Europe::Dublin).unwrap();
    assert_eq!(t, utc("2099-07-01T11:00:00Z"));
    assert!(matches!(resolve(&toml_dt("2099-03-08T02:30:00"), Los_Angeles), Err(TimeError::Nonexistent { .. })));
    let (s, e) = month_bounds(2099, 12, Los_Angeles).unwrap();
    assert_eq!((s, e), (utc("2099-12-01T08:00:00Z"), utc("2100-01-01T08:00:00Z")));
}

/// The field-by-field formats agree with chrono's strftime in every zone,
/// across DST changes, leap days and years.
#[test]
fn display_and_rfc3339_formats_match_strftime_in_every_zone() {
    let instants = [
        "2012-02-29T00:00:00Z",
        "2012-03-11T09:59:59Z",
        "2012-03-11T10:00:00Z",
        "2021-10-31T01:30:00Z",
        "2024-12-31T23:59:59Z",
        "2100-03-01T12:00:00Z",
        "1970-01-01T00:00:00Z",
    ]
    .map(utc);
    for zone in chrono_tz::TZ_VARIANTS {
        for t in instants {
            let expected = t.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z").to_string();
            assert_eq!(display(t, zone), expected, "{zone:?} at {t}");
        }
    }
    for zone in chrono_tz::TZ_VARIANTS {
        for t in instants.iter().map(|t| *t + Duration::milliseconds(7)) {
            let expected = t.with_timezone(&zone).format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string();
            assert_eq!(rfc3339_millis(t, zone), expected, "{zone:?} at {t}");
        }
    }
    for t in instants {
        assert_eq!(rfc3339(t), t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        assert_eq!(compact(t), t.format("%Y%m%dT%H%M%SZ").to_string());
    }
    let far = utc("9999-12-31T23:59:59Z") + Duration::days(2);
    assert_eq!(rfc3339(far), "+10000-01-02T23:59:59Z");
}

/// Pacific/Apia skipped 2011-12-30 (UTC-10 to UTC+14 at midnight): the date
/// is an empty day, and the day before ends at the jump.
#[test]
fn a_skipped_date_is_an_empty_day() {
    let apia = chrono_tz::Pacific::Apia;
    let date = |d| NaiveDate::from_ymd_opt(2011, 12, d).unwrap();
    let jump = utc("2011-12-30T10:00:00Z");
    assert_eq!(day_bounds(date(29), apia), (utc("2011-12-29T10:00:00Z"), jump));
    assert_eq!(day_bounds(date(30), apia), (jump, jump));
    assert_eq!(day_start(date(31), apia), jump);
    // An outage in the last hour of Dec 29 is on Dec 29, as its day says.
    let t = utc("2011-12-30T09:30:00Z");
    assert_eq!(local_date(t, apia), date(29));
    assert_eq!(local_date(jump, apia), date(31));
    // Kiritimati skipped 1994-12-31 (UTC-10 to UTC+14).
    let dec31 = NaiveDate::from_ymd_opt(1994, 12, 31).unwrap();
    let (s, e) = day_bounds(dec31, Kiritimati);
    assert_eq!((s, e), (utc("1994-12-31T10:00:00Z"), utc("1994-12-31T10:00:00Z")));
    let (_, dec_end) = month_bounds(1994, 12, Kiritimati).unwrap();
    assert_eq!(dec_end, s);
    assert_eq!(local_month(utc("1994-12-31T09:59:59Z"), Kiritimati), (1994, 12));
    assert_eq!(local_month(s, Kiritimati), (1995, 1));
}

/// St John's set its clocks back from 00:01 to 23:01 (1987–2010). The
/// repeated minutes of Oct 31 belong to Nov 1, which had already begun, in
/// every figure: the day, the month, the month's bounds.
#[test]
fn clocks_set_back_across_midnight_keep_days_contiguous() {
    let nov1 = NaiveDate::from_ymd_opt(2009, 11, 1).unwrap();
    let start = day_start(nov1, St_Johns);
    assert_eq!(start, utc("2009-11-01T02:30:00Z"), "00:00 NDT, the first midnight");
    let (oct_from, oct_to) = month_bounds(2009, 10, St_Johns).unwrap();
    assert_eq!(oct_to, start);
    assert_eq!(month_bounds(2009, 11, St_Johns).unwrap().0, start);
    // 23:10-23:40 NST on Oct 31, after the clocks went back.
    for t in ["2009-11-01T02:40:00Z", "2009-11-01T03:10:00Z"].map(utc) {
        assert_eq!(t.with_timezone(&St_Johns).date_naive().day(), 31, "the wall clock says Oct 31");
        assert_eq!(local_date(t, St_Johns), nov1);
        assert_eq!(local_month(t, St_Johns), (2009, 11));
        assert!(t >= oct_to);
    }
    // The first Oct 31 23:10 (NDT) is October, inside October's bounds.
    let t = utc("2009-11-01T01:40:00Z");
    assert_eq!(local_month(t, St_Johns), (2009, 10));
    assert!(oct_from <= t && t < oct_to);
    // Every instant's day holds it, across the change, minute by minute.
    let mut t = utc("2009-10-31T23:00:00Z");
    while t < utc("2009-11-01T06:00:00Z") {
        let (from, to) = day_bounds(local_date(t, St_Johns), St_Johns);
        assert!(from <= t && t < to, "{t}");
        t += Duration::minutes(1);
    }
}

/// Local mean time changes had offsets in seconds: days start to the second.
#[test]
fn day_starts_keep_their_seconds() {
    // Asia/Kolkata: +05:21:10 (MMT) to +05:30 at 1906-01-01 00:00.
    let date = NaiveDate::from_ymd_opt(1906, 1, 1).unwrap();
    assert_eq!(day_start(date, chrono_tz::Asia::Kolkata), utc("1905-12-31T18:38:50Z"));
    // Pacific/Pago_Pago: -11:22:48 (LMT) to -11:00 at 1911-01-01 00:00.
    let date = NaiveDate::from_ymd_opt(1911, 1, 1).unwrap();
    assert_eq!(day_start(date, chrono_tz::Pacific::Pago_Pago), utc("1911-01-01T11:22:48Z"));
}

/// Hints say what the clocks did, and never offer an offset TOML cannot write.
#[test]
fn gaps_that_are_not_daylight_saving_are_worded_by_what_happened() {
    let e = resolve(&toml_dt("2011-12-30T12:00:00"), chrono_tz::Pacific::Apia).unwrap_err();
    assert_eq!(
        e.to_string(),
        "2011-12-30T12:00:00 does not exist in Pacific/Apia: the clocks skip it \
         (the zone's UTC offset changes from -10:00 to +14:00 then)"
    );
    let e = resolve(&toml_dt("1906-01-01T00:05:00"), chrono_tz::Asia::Kolkata).unwrap_err();
    assert!(e.to_string().contains("changes from +05:21:10 to +05:30 then"), "{e}");
    assert!(!e.to_string().contains("daylight"), "{e}");
    assert_eq!(e.hint(), "write the instant you mean: 1905-12-31T18:43:50Z or 1906-01-01T00:05:00+05:30 (18:35 UTC)");
}

/// In every zone, every 97th day from 1900 to 2099: a day starts at the
/// first instant the clock reaches its midnight, and each instant's day
/// holds it (the same rule for days, months and dates).
#[test]
fn day_starts_and_local_dates_agree_in_every_zone() {
    let mut date = NaiveDate::from_ymd_opt(1900, 1, 2).unwrap();
    let end = NaiveDate::from_ymd_opt(2099, 12, 30).unwrap();
    while date < end {
        for zone in chrono_tz::TZ_VARIANTS {
            let (from, to) = day_bounds(date, zone);
            let wall = |t: Instant| t.with_timezone(&zone).naive_local();
            let midnight = date.and_time(NaiveTime::MIN);
            assert!(wall(from) >= midnight && wall(from - Duration::seconds(1)) < midnight, "{zone:?} {date}");
            assert!(local_date(from - Duration::seconds(1), zone) < date, "{zone:?} {date}");
            if from < to {
                assert_eq!(local_date(from, zone), date, "{zone:?} {date}");
                assert_eq!(local_date(to - Duration::seconds(1), zone), date, "{zone:?} {date}");
            }
        }
        date += Duration::days(97);
    }
}
