//! Lints about how times are written: `future-time` (a time after the
//! build's clock, where only a schedule may be) and `zone-mismatch` (an
//! offset that is the file's zone's offset for the *other* half of the
//! year: `-05:00` in New York in July, usually EST typed for EDT).

use super::{Found, FUTURE_TIME, ZONE_MISMATCH};
use crate::content::places::{FilePlaces, TimePlace};
use crate::time::{display, human_duration, Instant};
use chrono::{Datelike, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// Keys that are meant to lie ahead: a maintenance's schedule.
const SCHEDULE: &[&str] = &["scheduled_start", "scheduled_end"];

pub fn check(file: &FilePlaces, now: Instant, site_zone: Tz, found: &mut Found) {
    for t in &file.times {
        if t.instant > now && !(file.maintenance && SCHEDULE.contains(&t.key.as_str())) {
            found.warn(
                FUTURE_TIME,
                t.at,
                format!(
                    "{} is in the future: {} is {} after the build's clock ({})",
                    name(t),
                    display(t.instant, site_zone),
                    human_duration(t.instant - now),
                    display(now, site_zone)
                ),
                "check the date and its offset; if the build's clock is wrong, pass --now",
            );
        }
        if let Some((written, expected)) = mismatch(t) {
            let local = t.instant.with_timezone(&t.zone);
            let wall = t.instant.with_timezone(&written).naive_local();
            let meant = crate::time::resolve_local(wall, t.zone).ok();
            let hint = match meant {
                Some(_) => format!(
                    "if you meant {} in {}, write {}{expected} or leave the offset out; if {} is right, write {}{expected}",
                    wall.format("%H:%M"),
                    t.zone,
                    wall.format("%Y-%m-%dT%H:%M:%S"),
                    local.format("%H:%M %Z"),
                    local.format("%Y-%m-%dT%H:%M:%S")
                ),
                None => format!("{} is at {expected} then: write the time with that offset", t.zone),
            };
            found.warn(
                ZONE_MISMATCH,
                t.at,
                format!(
                    "{} is written with offset {written}, but {} is at {expected} ({}) on that day; \
                     {written} is its offset at other times of the year ({}), so this names {}",
                    name(t),
                    t.zone,
                    local.format("%Z"),
                    abbreviation_for(t.zone, local.year(), written).unwrap_or_else(|| written.to_string()),
                    local.format("%H:%M %Z")
                ),
                &hint,
            );
        }
    }
}

/// "`at` in [[updates]]", or "`started`" for a top-level key.
fn name(t: &TimePlace) -> String {
    if t.table.starts_with('[') {
        format!("`{}` in {}", t.key, t.table)
    } else {
        format!("`{}`", t.key)
    }
}

/// (written, expected) offsets when a time's non-UTC offset differs from
/// its zone's at that instant but is one the zone uses in that year.
/// `Z` and `+00:00` mean UTC on purpose; an offset the zone never uses
/// names another zone on purpose (a responder writing their own time).
fn mismatch(t: &TimePlace) -> Option<(FixedOffset, FixedOffset)> {
    let minutes = t.offset.filter(|m| *m != 0)?;
    let written = FixedOffset::east_opt(i32::from(minutes) * 60)?;
    let expected = t.zone.offset_from_utc_datetime(&t.instant.naive_utc()).fix();
    if written == expected {
        return None;
    }
    abbreviation_for(t.zone, t.instant.with_timezone(&t.zone).year(), written)?;
    Some((written, expected))
}

/// The zone's abbreviation when it is at `offset` some time in `year`
/// (sampled on the 1st and 15th of each month), if it ever is.
fn abbreviation_for(zone: Tz, year: i32, offset: FixedOffset) -> Option<String> {
    (1..=12).flat_map(|m| [1, 15].map(|d| (m, d))).find_map(|(month, day)| {
        let at = Utc.with_ymd_and_hms(year, month, day, 12, 0, 0).single()?.with_timezone(&zone);
        (at.offset().fix() == offset).then(|| at.format("%Z").to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::places::Place;

    fn written(text: &str, zone: Tz) -> TimePlace {
        let t = chrono::DateTime::parse_from_rfc3339(text).unwrap();
        TimePlace {
            key: "started".into(),
            table: "an incident's front matter".into(),
            at: Place { line: 1, column: 1 },
            instant: t.to_utc(),
            offset: Some((t.offset().local_minus_utc() / 60) as i16),
            zone,
        }
    }

    fn slip(text: &str, zone: Tz) -> Option<(String, String)> {
        mismatch(&written(text, zone)).map(|(w, e)| (w.to_string(), e.to_string()))
    }

    #[test]
    fn the_other_half_of_the_year_is_a_slip_in_both_hemispheres() {
        use chrono_tz::{America::New_York, Australia::Sydney, Europe::London};
        // BST written in a London winter; EDT in a New York winter.
        assert_eq!(slip("2026-01-15T10:00:00+01:00", London), Some(("+01:00".into(), "+00:00".into())));
        assert_eq!(slip("2026-01-15T10:00:00-04:00", New_York), Some(("-04:00".into(), "-05:00".into())));
        // January is summer in Sydney: AEDT (+11:00), so AEST (+10:00) slipped.
        assert_eq!(slip("2026-01-15T10:00:00+10:00", Sydney), Some(("+10:00".into(), "+11:00".into())));
        assert_eq!(slip("2026-01-15T10:00:00+11:00", Sydney), None);
    }

    #[test]
    fn utc_and_offsets_the_zone_never_uses_are_deliberate() {
        use chrono_tz::{America::New_York, Europe::London};
        assert_eq!(slip("2026-07-01T10:00:00+00:00", London), None);
        assert_eq!(slip("2026-07-01T10:00:00+05:30", New_York), None);
        assert_eq!(slip("2026-07-01T10:00:00+05:00", chrono_tz::UTC), None);
        // A local time (no offset) cannot slip.
        let mut local = written("2026-07-01T10:00:00-05:00", New_York);
        local.offset = None;
        assert_eq!(mismatch(&local), None);
    }

    #[test]
    fn the_day_of_the_change_uses_the_offset_at_that_instant() {
        use chrono_tz::America::New_York;
        // 2026-03-08: EST until 07:00 UTC, EDT after.
        assert_eq!(slip("2026-03-08T01:30:00-05:00", New_York), None);
        assert_eq!(slip("2026-03-08T03:30:00-04:00", New_York), None);
        assert_eq!(slip("2026-03-08T03:30:00-05:00", New_York), Some(("-05:00".into(), "-04:00".into())));
    }
}
