//! Times on the editing commands' command lines: `--now` (the time an
//! update is stamped with), `--started`, `--from`, a maintenance's
//! `--start` and `--end`. Each is RFC 3339 or a local date and time read in
//! the site's zone, refused in a DST gap or overlap with both readings
//! offered, as in content files.

use crate::edit::document::{local_datetime, to_second};
use crate::error::Error;
use crate::time::{display, human_duration, resolve, rfc3339, Instant};
use chrono::{Duration, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use toml_edit::Datetime;

/// How far ahead of the wall clock `--now` may stamp without `--force`.
pub const MAX_AHEAD: Duration = Duration::minutes(5);

/// A time argument: what to write in the file, and the instant it names.
/// One with an offset is written as given; a local one is read in `zone`
/// and written with the offset in force then.
pub fn time_arg(flag: &str, text: &str, zone: Tz) -> Result<(Datetime, Instant), Error> {
    let written: Datetime = text.trim().parse().map_err(|e| {
        Error::Usage(format!(
            "{flag} {text:?} is not a date and time ({e}): write e.g. 2026-12-05T02:00:00 (in the site's zone) or 2026-12-05T07:00:00Z"
        ))
    })?;
    let instant = resolve(&written, zone).map_err(|e| Error::Usage(format!("{flag} {text}: {e}; {}", e.hint())))?;
    if written.offset.is_some() {
        Ok((written, instant))
    } else {
        Ok((local_datetime(instant, zone), instant))
    }
}

/// `--now` of an editing command, as given: read once the site's zone is
/// known ([`Stamp::in_zone`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `--now`; `None` stamps the wall clock.
    pub text: Option<String>,
    /// Allow a `--now` more than [`MAX_AHEAD`] ahead of the wall clock.
    pub force: bool,
}

impl Stamp {
    /// Reads `--now` in `zone`. A time more than [`MAX_AHEAD`] ahead of
    /// the wall clock is refused unless `force`: once written, every later
    /// update stamped now would be out of order.
    pub fn in_zone(&self, zone: Tz) -> Result<Clock, Error> {
        let Some(text) = &self.text else { return Ok(Clock { pinned: None, note: None }) };
        let (written, at) = time_arg("--now", text, zone)?;
        let wall = Utc::now();
        if at > wall + MAX_AHEAD && !self.force {
            return Err(Error::Usage(format!(
                "--now {text} is {} ahead of this machine's clock ({}): an update stamped in the future makes every update posted before then out of order; leave --now out to stamp the time now, or add --force if the time is right and the clock is wrong",
                human_duration(at - wall),
                rfc3339(to_second(wall))
            )));
        }
        Ok(Clock { pinned: Some(to_second(at)), note: offset_note(&written, at, zone) })
    }
}

/// The clock of one editing command, in the site's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// `--now`; `None` for the wall clock.
    pinned: Option<Instant>,
    /// A warning about how `--now` was written, if any.
    pub note: Option<String>,
}

impl Clock {
    /// The instant to stamp, to the second. On the wall clock, a stamp that
    /// would not come after `last` (the file's latest update, written by a
    /// command that ran at the same moment) comes a second after it, as
    /// long as that is at most a minute away; a pinned stamp is as given.
    pub fn now_after(&self, last: Option<Instant>) -> Instant {
        if let Some(at) = self.pinned {
            return at;
        }
        let now = to_second(Utc::now());
        match last {
            Some(last) if now <= last && last - now <= Duration::minutes(1) => last + Duration::seconds(1),
            _ => now,
        }
    }

    pub fn now(&self) -> Instant {
        self.now_after(None)
    }
}

/// A warning when `written` carries a UTC offset that is not the one
/// `zone` has at that instant: the time is stamped as the instant it
/// names, which may not be the local time the author meant. `Z` is UTC on
/// purpose, never a slip.
fn offset_note(written: &Datetime, at: Instant, zone: Tz) -> Option<String> {
    let offset = match written.offset? {
        toml_edit::Offset::Z => return None,
        toml_edit::Offset::Custom { minutes } => i32::from(minutes) * 60,
    };
    let expected = zone.from_utc_datetime(&at.naive_utc()).offset().fix().local_minus_utc();
    (expected != offset).then(|| {
        format!(
            "--now was written with the offset {}, but {zone} is at {} then; stamped as {} ({}): if you meant that local time, write it with the offset {} or without one",
            offset_text(offset),
            offset_text(expected),
            display(at, zone),
            rfc3339(at),
            offset_text(expected)
        )
    })
}

/// `-08:00`, `+05:30`.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    #[test]
    fn local_times_get_the_offset_in_force_and_dst_is_refused() {
        let (written, instant) = time_arg("--start", "2026-07-01T02:00", ny()).unwrap();
        assert_eq!(written.to_string(), "2026-07-01T02:00:00-04:00");
        assert_eq!(rfc3339(instant), "2026-07-01T06:00:00Z");
        let (written, _) = time_arg("--start", "2026-12-05 02:00:00", ny()).unwrap();
        assert_eq!(written.to_string(), "2026-12-05T02:00:00-05:00");
        let (written, instant) = time_arg("--end", "2026-12-05T07:00:00Z", ny()).unwrap();
        assert_eq!(
            (written.to_string(), rfc3339(instant)),
            ("2026-12-05T07:00:00Z".into(), "2026-12-05T07:00:00Z".into())
        );

        let gap = time_arg("--start", "2026-03-08T02:30:00", ny()).unwrap_err().to_string();
        assert!(
            gap.starts_with("--start 2026-03-08T02:30:00: 2026-03-08T02:30:00 does not exist in America/New_York"),
            "{gap}"
        );
        assert!(
            gap.contains("2026-03-08T02:30:00-05:00 (07:30 UTC) or 2026-03-08T02:30:00-04:00 (06:30 UTC)"),
            "{gap}"
        );
        let overlap = time_arg("--end", "2026-11-01T01:30:00", ny()).unwrap_err().to_string();
        assert!(overlap.contains("happens twice in America/New_York"), "{overlap}");
        assert!(time_arg("--start", "2026-12-05", ny())
            .unwrap_err()
            .to_string()
            .contains("a date alone is not a point in time"));
        assert!(time_arg("--start", "tomorrow", ny()).unwrap_err().to_string().contains("is not a date and time"));
    }

    #[test]
    fn now_may_be_local_is_bounded_ahead_and_warns_of_foreign_offsets() {
        let stamp = |text: &str, force| Stamp { text: Some(text.into()), force };
        let clock = stamp("2026-02-29T04:25", false).in_zone(ny()).unwrap_err().to_string();
        assert!(clock.contains("does not exist") || clock.contains("not a date"), "2026 has no 29 February: {clock}");
        let clock = stamp("2024-02-29T04:25", false).in_zone(ny()).unwrap();
        assert_eq!(rfc3339(clock.now()), "2024-02-29T09:25:00Z");
        assert_eq!(clock.note, None);

        let ahead = (Utc::now() + Duration::hours(1)).to_rfc3339();
        let err = stamp(&ahead, false).in_zone(ny()).unwrap_err().to_string();
        assert!(err.contains("ahead of this machine's clock") && err.contains("--force"), "{err}");
        assert!(stamp(&ahead, true).in_zone(ny()).is_ok());

        let note = stamp("2026-12-02T10:00:00-07:00", false).in_zone(ny()).unwrap().note.unwrap();
        assert!(
            note.starts_with("--now was written with the offset -07:00, but America/New_York is at -05:00 then"),
            "{note}"
        );
        assert!(stamp("2026-12-02T10:00:00Z", false).in_zone(ny()).unwrap().note.is_none());
        assert!(stamp("2026-07-02T10:00:00-04:00", false).in_zone(ny()).unwrap().note.is_none());
    }

    #[test]
    fn wall_clock_stamps_follow_the_last_update() {
        let clock = Stamp { text: None, force: false }.in_zone(ny()).unwrap();
        let now = clock.now();
        assert_eq!(clock.now_after(Some(now)), now + Duration::seconds(1));
        assert_eq!(clock.now_after(Some(now + Duration::seconds(30))), now + Duration::seconds(31));
        let far = now + Duration::hours(2);
        assert!(clock.now_after(Some(far)) < far, "a stamp an hour ahead is not followed");
        assert!(clock.now_after(Some(now - Duration::hours(1))) >= now);
    }
}
