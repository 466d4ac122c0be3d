//! `candor new maintenance`: a scheduled maintenance file in
//! `content/maintenance/`, checked as `candor check` would before it is
//! written; and `candor update` on a maintenance, through its window.

use super::edited::{new_file, shown, Edited};
use super::message;
use super::opened::{Done, Opened};
use super::stamp::{time_arg, Stamp};
use crate::content::read_config_and_lints;
use crate::diagnostic::suggestion;
use crate::edit::affects::{self, Affects};
use crate::edit::document::{local_datetime, Document};
use crate::edit::lock::EditLock;
use crate::edit::tables::append_update;
use crate::edit::{save, Mode, Rules};
use crate::error::Error;
use crate::model::MaintenanceStatus;
use crate::time::{display, Instant};
use std::path::PathBuf;
use toml_edit::{value, DocumentMut, Item};

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
    affects::check_shared(&affects, &config).map_err(Error::Unknown)?;
    let keys = affects::maintenance_keys(&affects, &config).map_err(Error::Usage)?;
    let clock = opts.now.in_zone(zone)?;
    let (start_written, start) = time_arg("--start", &opts.start, zone)?;
    let (end_written, end) = time_arg("--end", &opts.end, zone)?;
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
    let now = clock.now();
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
        older_warnings: 0,
        notes: clock.note.into_iter().collect(),
    })
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
        return Err(Error::Unknown(format!(
            "--status {status:?} is not a status of a maintenance's update: write scheduled, in_progress, verifying or completed{}",
            suggestion(&status, MaintenanceStatus::NAMES.iter().copied())
        )));
    }
    let Some(message) = message else { return Ok(("updated", String::new())) };
    let number =
        append_update(&mut file.doc.front, local_datetime(now, file.zone), &status, message).map_err(Error::Usage)?;
    Ok(("updated", format!("maintenance {id}: update {number}, {status}, at {}", display(now, file.config.timezone))))
}
