//! `candor init DIR`: a new site from the embedded starter, ready to build.

use crate::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

/// The starter site, by path.
const STARTER: &[(&str, &str)] = &[
    ("status.toml", include_str!("../../starter/status.toml")),
    (
        "content/incidents/2026-01-15-api-errors.md",
        include_str!("../../starter/content/incidents/2026-01-15-api-errors.md"),
    ),
    (
        "content/maintenance/2026-02-03-database-upgrade.md",
        include_str!("../../starter/content/maintenance/2026-02-03-database-upgrade.md"),
    ),
    ("content/pages/about.md", include_str!("../../starter/content/pages/about.md")),
    (".gitignore", "/site\n/.site.candor-*\n/.candor\n"),
];

/// Writes the starter into `dir` (created if missing; must be empty).
/// Returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty: candor init only writes into a new or empty folder, so nothing of yours is overwritten",
                dir.display()
            )));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
