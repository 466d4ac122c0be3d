//! `candor new maintenance`: a scheduled maintenance file in
//! `content/maintenance/`, checked as `candor check` would before it is
//! written; and `candor update` on a maintenance, through its window.

use super::edited::{new_file, shown, Edited, Stamp};
use super::message;
use super::opened::{Done, Opened};
use crate::content::read_config_and_lints;
use crate::diagnostic::suggestion;
use crate::edit::affects::{self, Affects};
use crate::edit::document::{local_datetime, Document};
use crate::edit::lock::EditLock;
use crate::edit::tables::append_update;
use crate::edit::{save, Mode, Rules};
use crate::error::Error;
use crate::model::MaintenanceStatus;
use crate::time::{display, resolve, Instant};
use chrono_tz::Tz;
use std::path::PathBuf;
use toml_edit::{value, Datetime, DocumentMut, Item};

/// Where maintenance lives, under the site root.
pub const FOLDER: &str = "content/maintenance";

/// `candor new maintenance TITLE ...`
pub struct NewMaintenance {
    pub root: PathBuf,
    pub now: Stamp,
    pub title: String,
    /// `--affects` values: `COMPONENT[:REGION,...]`, all with the same regions.
    pub affects: Vec<String>,
    /// RFC 3339, or a local datetime read in the site's zone.
    pub start: String,
    pub end: String,
    /// The first (`scheduled`) update's text; default: what and when.
    pub message: Option<String>,
}

/// Creates `content/maintenance/<start date>-<slug>.md` with its schedule,
/// what it touches, and a first `scheduled` update posted now.
pub fn new_maintenance(opts: NewMaintenance) -> Result<Edited, Error> {
    let (config, lints) = read_config_and_lints(&opts.root)?;
    let zone = config.timezone;
    let affects = Affects::parse_all(&opts.affects).map_err(Error::Usage)?;
    let keys = affects::maintenance_keys(&affects, &config).map_err(Error::Usage)?;
    let (start_written, start) = when("--start", &opts.start, zone)?;
    let (end_written, end) = when("--end", &opts.end, zone)?;
    let title = opts.title.trim();
    if title.is_empty() {
        return Err(Error::Usage("the title is empty: say what is done, e.g. \"Database engine upgrade\"".into()));
    }
    let message = match opts.message {
        Some(text) => message::obtain(Some(text))?,
        None => format!(
            "We will carry out maintenance on {} from {} to {}.",
            affects::describe_shared(&affects, &config),
            display(start, zone),
            display(end, zone)
        ),
    };

    // Held until the file is written, so that two commands never pick one id.
    let _lock = EditLock::acquire(&opts.root)?;
    let now = opts.now.now();
    let (rel, id) = new_file(&opts.root, FOLDER, start, zone, title, "maintenance");
    let mut front = DocumentMut::new();
    front["title"] = value(title);
    front["scheduled_start"] = value(start_written);
    front["scheduled_end"] = value(end_written);
    for (key, ids) in keys {
        front[key] = Item::Value(ids.into());
    }
    append_update(&mut front, local_datetime(now, zone), "scheduled", &message).map_err(Error::Usage)?;
    let text = Document::new(front, "").render();
    let warnings = save(&opts.root, &rel, &text, &Rules { config: &config, lints: &lints, now }, Mode::Create)?;
    Ok(Edited {
        verb: "created",
        path: shown(&opts.root, &rel),
        summary: format!("maintenance {id}, scheduled {} to {}", display(start, zone), display(end, zone)),
        warnings,
        notes: opts.now.offset_note(zone).into_iter().collect(),
    })
}

/// A `--start`/`--end` value: what to write and the instant it names. A
/// time with an offset is written as given; a local time is read in the
/// site's zone (refused in a DST gap or overlap, as in content) and written
/// with its offset.
fn when(flag: &str, text: &str, zone: Tz) -> Result<(Datetime, Instant), Error> {
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

/// Appends an update stamped `now` to a maintenance, once there is a
/// `message` (see [`super::opened::edit_with_message`]): `status` is one of
/// scheduled, in_progress, verifying and completed (default: the last
/// update's, else scheduled). A maintenance has nothing to reopen.
pub fn update(
    file: &mut Opened,
    now: Instant,
    status: Option<&str>,
    message: Option<&str>,
    reopen: bool,
) -> Result<Done, Error> {
    let id = file.id.clone();
    if reopen {
        return Err(Error::Usage(format!(
            "maintenance {id} has nothing to reopen: leave out --reopen (to say work goes on, post --status in_progress)"
        )));
    }
    let status = match status {
        Some(status) => status.to_owned(),
        None => file.last_status().unwrap_or_else(|| "scheduled".into()),
    };
    if MaintenanceStatus::from_name(&status).is_none() {
        return Err(Error::Usage(format!(
            "--status {status:?} is not a status of a maintenance's update: write scheduled, in_progress, verifying or completed{}",
            suggestion(&status, MaintenanceStatus::NAMES.iter().copied())
        )));
    }
    let Some(message) = message else { return Ok(("updated", String::new())) };
    let number =
        append_update(&mut file.doc.front, local_datetime(now, file.zone), &status, message).map_err(Error::Usage)?;
    Ok(("updated", format!("maintenance {id}: update {number}, {status}, at {}", display(now, file.config.timezone))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_get_the_offset_in_force_and_dst_is_refused() {
        let ny: Tz = "America/New_York".parse().unwrap();
        let (written, instant) = when("--start", "2026-07-01T02:00", ny).unwrap();
        assert_eq!(written.to_string(), "2026-07-01T02:00:00-04:00");
        assert_eq!(crate::time::rfc3339(instant), "2026-07-01T06:00:00Z");
        let (written, _) = when("--start", "2026-12-05 02:00:00", ny).unwrap();
        assert_eq!(written.to_string(), "2026-12-05T02:00:00-05:00");
        let (written, instant) = when("--end", "2026-12-05T07:00:00Z", ny).unwrap();
        assert_eq!(
            (written.to_string(), crate::time::rfc3339(instant)),
            ("2026-12-05T07:00:00Z".into(), "2026-12-05T07:00:00Z".into())
        );

        let gap = when("--start", "2026-03-08T02:30:00", ny).unwrap_err().to_string();
        assert!(
            gap.starts_with("--start 2026-03-08T02:30:00: 2026-03-08T02:30:00 does not exist in America/New_York"),
            "{gap}"
        );
        assert!(
            gap.contains("2026-03-08T02:30:00-05:00 (07:30 UTC) or 2026-03-08T02:30:00-04:00 (06:30 UTC)"),
            "{gap}"
        );
        let overlap = when("--end", "2026-11-01T01:30:00", ny).unwrap_err().to_string();
        assert!(overlap.contains("happens twice in America/New_York"), "{overlap}");
        assert!(when("--start", "2026-12-05", ny)
            .unwrap_err()
            .to_string()
            .contains("a date alone is not a point in time"));
        assert!(when("--start", "tomorrow", ny).unwrap_err().to_string().contains("is not a date and time"));
    }
}
