//! What the editing commands (`new`, `update`, `resolve`) report, and the
//! steps they share: where files are shown and how new ones are named.

use crate::diagnostic::Diagnostic;
use crate::edit::slug;
use crate::time::{local_date, Instant};
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
    /// Warnings `candor check` reports for the written file that it did
    /// not have before the command.
    pub warnings: Vec<Diagnostic>,
    /// How many warnings the file had before the command (and still has).
    pub older_warnings: usize,
    /// Warnings about the command itself, e.g. a `--now` offset that is
    /// not the site zone's.
    pub notes: Vec<String>,
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
