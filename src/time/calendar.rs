//! Cutting time into the local days and months of a zone.
//!
//! A day is the set of instants whose wall-clock date is that day, and a
//! month the days of its dates. Clock changes make three cases:
//! - clocks that jump forward over midnight: the day starts at the jump,
//!   to the second (local mean time changes had offsets in seconds);
//! - a date the clocks skip entirely (Pacific/Apia 2011-12-30): an empty
//!   day, starting and ending at the instant of the jump;
//! - clocks set back across midnight (America/St_Johns 1987–2010 turned
//!   00:01 back to 23:01): the wall-clock date goes back for a while, and a
//!   day would be two pieces. Days stay contiguous instead: **a day starts
//!   at the first instant the clock shows its date (or a later one) and
//!   ends when the next day starts**, so the repeated minutes of the earlier
//!   date count in the later day, the one the clock had already reached.
//!   That is the only exception to the rule above.
//!
//! [`local_date`] and [`day_start`] follow the same rule, so a window's day
//! or billing month never depends on which of them a figure used.

use super::Instant;
use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The wall-clock time in `zone` at `t`, to the nanosecond.
fn wall(t: Instant, zone: Tz) -> NaiveDateTime {
    t.naive_utc() + Duration::seconds(zone.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc().into())
}

/// The first instant at which the wall clock in `zone` reads `local` or
/// later: the start of a day when `local` is its midnight.
fn first_reaching(local: NaiveDateTime, zone: Tz) -> Instant {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        // In a gap: the clock jumps over `local`, at a transition. Offsets
        // stay within a day of UTC, so the jump lies within two days of
        // `local` read as UTC, and wall >= local is monotone around it (the
        // time is not repeated). Bisect over whole seconds: transitions
        // fall on whole seconds.
        LocalResult::None => {
            let base = Utc.from_utc_datetime(&local);
            let (mut lo, mut hi) = (-2 * 86_400_i64, 2 * 86_400_i64);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if wall(base + Duration::seconds(mid), zone) >= local {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            base + Duration::seconds(hi)
        }
    }
}

/// The instant a local calendar day starts: local midnight; the instant the
/// clock jumps past it when midnight is skipped; for a date skipped entirely,
/// the instant of the jump (the day is empty). See the module docs.
pub fn day_start(date: NaiveDate, zone: Tz) -> Instant {
    first_reaching(date.and_time(NaiveTime::MIN), zone)
}

/// The half-open span [start, end) of a local day (empty for a skipped date).
pub fn day_bounds(date: NaiveDate, zone: Tz) -> (Instant, Instant) {
    let next = date.succ_opt().unwrap_or(date);
    (day_start(date, zone), day_start(next, zone))
}

/// The half-open span [start, end) of a calendar month in a zone: from the
/// start of its first day to the start of the next month's.
pub fn month_bounds(year: i32, month: u32, zone: Tz) -> Option<(Instant, Instant)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((day_start(first, zone), day_start(next, zone)))
}

/// The local day an instant belongs to: the day whose [`day_bounds`] hold
/// it. That is its wall-clock date, except in the repeated minutes after
/// clocks are set back across midnight (see the module docs).
pub fn local_date(instant: Instant, zone: Tz) -> NaiveDate {
    let date = wall(instant, zone).date();
    match date.succ_opt() {
        Some(next) if day_start(next, zone) <= instant => next,
        _ => date,
    }
}

/// (year, month) of the local day of an instant ([`local_date`]).
pub fn local_month(instant: Instant, zone: Tz) -> (i32, u32) {
    let d = local_date(instant, zone);
    (d.year(), d.month())
}
