//! What the editing commands (`new`, `update`, `resolve`) report, and the
//! steps they share: where files are shown and how new ones are named.

use crate::diagnostic::Diagnostic;
use crate::edit::slug;
use crate::error::Error;
use crate::time::{local_date, Instant};
use chrono::{Duration, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};

/// What an editing command did.
#[derive(Debug)]
pub struct Edited {
    /// "created", "updated", "resolved".
    pub verb: &'static str,
    /// The file, as the user would name it (under `--root` when given).
    pub path: PathBuf,
    /// What happened, in words: "incident 2026-12-02-api-errors, started 2026-12-02 11:42 EST".
    pub summary: String,
    /// Warnings `candor check` reports for the written file.
    pub warnings: Vec<Diagnostic>,
    /// Warnings about the command itself, e.g. a `--now` offset that is
    /// not the site zone's.
    pub notes: Vec<String>,
}

/// How far ahead of the wall clock `--now` may stamp without `--force`.
pub const MAX_AHEAD: Duration = Duration::minutes(5);

/// The time an editing command stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// `--now`, as written: the instant, and the UTC offset written with it
    /// (`None` for `Z`).
    Pinned { at: Instant, offset: Option<i32> },
    /// The wall clock, read when the edit is made: under the site's edit
    /// lock, so stamps follow the order in which updates are written.
    WallClock,
}

impl Stamp {
    /// `--now` (RFC 3339), else the wall clock. A time more than
    /// [`MAX_AHEAD`] ahead of the wall clock is refused unless `force`:
    /// once written, every later update stamped now would be refused as
    /// out of order.
    pub fn from_flag(flag: Option<&str>, force: bool) -> Result<Stamp, Error> {
        let Some(text) = flag else { return Ok(Stamp::WallClock) };
        let at = crate::time::build_now(Some(text), None).map_err(Error::Usage)?;
        let wall = Utc::now();
        if at > wall + MAX_AHEAD && !force {
            return Err(Error::Usage(format!(
                "--now {text} is {} ahead of this machine's clock ({}): an update stamped in the future makes every update posted before then out of order; leave --now out to stamp the time now, or add --force if the time is right and the clock is wrong",
                crate::time::human_duration(at - wall),
                crate::time::rfc3339(to_second(wall))
            )));
        }
        let offset = chrono::DateTime::parse_from_rfc3339(text.trim())
            .ok()
            .filter(|_| !text.trim().ends_with(['Z', 'z']))
            .map(|t| t.offset().local_minus_utc());
        Ok(Stamp::Pinned { at, offset })
    }

    /// The instant to stamp, to the second. On the wall clock, a stamp that
    /// would not come after `last` (the file's latest update, written by a
    /// command that ran at the same moment) comes a second after it, as
    /// long as that is only a few seconds away; a pinned stamp is as given.
    pub fn now_after(self, last: Option<Instant>) -> Instant {
        match self {
            Stamp::Pinned { at, .. } => to_second(at),
            Stamp::WallClock => {
                let now = to_second(Utc::now());
                match last {
                    Some(last) if now <= last && last - now <= Duration::minutes(1) => last + Duration::seconds(1),
                    _ => now,
                }
            }
        }
    }

    pub fn now(self) -> Instant {
        self.now_after(None)
    }

    /// A warning when `--now` was written with a UTC offset that is not
    /// the one `zone` has at that instant: the time is stamped as the
    /// instant it names, which may not be the local time the author meant.
    pub fn offset_note(self, zone: Tz) -> Option<String> {
        let Stamp::Pinned { at, offset: Some(offset) } = self else { return None };
        let local = zone.from_utc_datetime(&at.naive_utc());
        let expected = local.offset().fix().local_minus_utc();
        (expected != offset).then(|| {
            format!(
                "--now was written with the offset {}, but {zone} is at {} then; stamped as {} ({}): if you meant that local time, write it with the offset {}",
                offset_text(offset),
                offset_text(expected),
                local.format("%Y-%m-%d %H:%M:%S %Z"),
                crate::time::rfc3339(at),
                offset_text(expected)
            )
        })
    }
}

fn to_second(instant: Instant) -> Instant {
    crate::edit::document::to_second(instant)
}

/// `-08:00`, `+05:30`.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `rel` under `root`, without a leading `./` for the current folder.
pub fn shown(root: &Path, rel: &Path) -> PathBuf {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        rel.to_path_buf()
    } else {
        root.join(rel)
    }
}

/// `<folder>/<date>-<slug>.md` for a new file dated `when` (in `zone`):
/// the first such name not taken, counting up `-2`, `-3`, ... An id taken
/// by an incident is not given to a maintenance, or the reverse, so that
/// `candor update ID` names one file.
pub fn new_file(root: &Path, folder: &str, when: Instant, zone: Tz, title: &str, fallback: &str) -> (PathBuf, String) {
    let stem = format!("{}-{}", local_date(when, zone).format("%Y-%m-%d"), slug::slug(title, fallback));
    let (incidents, maintenance) = (root.join(super::incident::FOLDER), root.join(super::maintenance::FOLDER));
    let id = slug::unique(&stem, |id| slug::exists_in(&incidents)(id) || slug::exists_in(&maintenance)(id));
    (Path::new(folder).join(format!("{id}.md")), id)
}
