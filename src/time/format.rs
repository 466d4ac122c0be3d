//! Writing instants and durations: for readers ("2012-02-28 16:00 PST",
//! "1 d 10 h 15 min"), for machines (RFC 3339, Statuspage's milliseconds)
//! and for ids and anchors.

use super::Instant;
use chrono::{Datelike, Duration, Offset};
use chrono_tz::Tz;

/// The zone's abbreviation at an instant ("PST", "CEST"; "+14" where the
/// zone has no letters).
pub fn abbreviation(instant: Instant, zone: Tz) -> String {
    instant.with_timezone(&zone).format("%Z").to_string()
}

/// "2012-02-28 16:00 PST": how times are shown to readers.
pub fn display(instant: Instant, zone: Tz) -> String {
    use chrono::Timelike;
    let local = instant.with_timezone(&zone);
    if !(0..=9999).contains(&local.year()) {
        return local.format("%Y-%m-%d %H:%M %Z").to_string();
    }
    // Written field by field: a page shows thousands of times, and
    // interpreting a strftime pattern for each was a visible cost.
    let (date, time) = (local.date_naive(), local.time());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} {}",
        date.year(),
        date.month(),
        date.day(),
        time.hour(),
        time.minute(),
        local.offset()
    )
}

/// RFC 3339 in UTC with a `Z`, for `<time datetime>` and machine formats.
pub fn rfc3339(instant: Instant) -> String {
    use chrono::Timelike;
    if !(0..=9999).contains(&instant.year()) {
        return instant.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    let (date, time) = (instant.date_naive(), instant.time());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        date.month(),
        date.day(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// "20250929T211900Z": UTC, basic format, for ids and anchors.
pub fn compact(instant: Instant) -> String {
    rfc3339(instant).replace(['-', ':'], "")
}

/// "2025-09-29T14:19:00.000-07:00": local time in `zone` with
/// milliseconds and the offset, as Statuspage's API writes timestamps.
pub fn rfc3339_millis(instant: Instant, zone: Tz) -> String {
    use chrono::Timelike;
    let local = instant.with_timezone(&zone);
    let offset = local.offset().fix().local_minus_utc();
    // Old local mean times have offsets in seconds, which RFC 3339 cannot
    // write: chrono rounds them to the minute, as before.
    if !(0..=9999).contains(&local.year()) || offset % 60 != 0 {
        return local.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string();
    }
    let (date, time) = (local.date_naive(), local.time());
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{sign}{:02}:{:02}",
        date.year(),
        date.month(),
        date.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.nanosecond() % 1_000_000_000 / 1_000_000,
        offset / 3600,
        offset % 3600 / 60
    )
}

/// "1 d 10 h 15 min", "45 min", "less than a minute".
pub fn human_duration(d: Duration) -> String {
    let minutes = d.num_minutes();
    if minutes < 1 {
        return "less than a minute".into();
    }
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days} d"));
    }
    if hours > 0 {
        parts.push(format!("{hours} h"));
    }
    if mins > 0 {
        parts.push(format!("{mins} min"));
    }
    parts.join(" ")
}

/// How long an outage lasted, in [`human_duration`]'s words, rounded up to
/// the whole minute: 7 h 26 min 24 s is "7 h 27 min", never shorter than it
/// was (a clock's age, by contrast, is rounded down).
pub fn outage_duration(d: Duration) -> String {
    let up = Duration::seconds((d.num_seconds() + 59).div_euclid(60) * 60);
    human_duration(if d > Duration::zero() && up.is_zero() { Duration::minutes(1) } else { up })
}
