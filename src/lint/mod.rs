//! Lints: warnings about content that is valid but lets customers down —
//! what the 2012 postmortem regretted. Updates that stop coming or say
//! nothing, postmortems that never appear or promise nothing, action items
//! forgotten, times that cannot be right.
//!
//! Each lint has a stable code, shown as `warning[code]` and accepted by
//! `allow = [...]` in a file's front matter or in `[lints]` of status.toml
//! ([`settings`]). Lints run over the validated [`Site`] and the clock, and
//! point at places kept while loading ([`Places`]); they never fail a build
//! unless `--strict` is given.

pub mod maintenance;
pub mod memory;
pub mod older;
pub mod postmortems;
pub mod settings;
pub mod similarity;
pub mod times;
pub mod updates;
pub mod wording;

use crate::config::Config;
use crate::content::places::{FilePlaces, Place, Places};
use crate::content::Parsed;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::model::{Incident, Maintenance, Site};
use crate::time::Instant;
pub use memory::Memory;
use rayon::prelude::*;
use settings::LintSettings;
use std::path::Path;

pub const STALE_UPDATE: &str = "stale-update";
pub const REPEATED_UPDATE: &str = "repeated-update";
pub const VAGUE_UPDATE: &str = "vague-update";
pub const MISSING_POSTMORTEM: &str = "missing-postmortem";
pub const EMPTY_POSTMORTEM: &str = "empty-postmortem";
pub const OVERDUE_ACTION: &str = "overdue-action";
pub const FUTURE_TIME: &str = "future-time";
pub const DETECTED_BEFORE_STARTED: &str = "detected-before-started";
pub const ZONE_MISMATCH: &str = "zone-mismatch";
pub const UNANNOUNCED_MAINTENANCE: &str = "unannounced-maintenance";

/// Every lint code, as `allow` accepts them.
pub const CODES: &[&str] = &[
    STALE_UPDATE,
    REPEATED_UPDATE,
    VAGUE_UPDATE,
    MISSING_POSTMORTEM,
    EMPTY_POSTMORTEM,
    OVERDUE_ACTION,
    FUTURE_TIME,
    DETECTED_BEFORE_STARTED,
    ZONE_MISMATCH,
    UNANNOUNCED_MAINTENANCE,
];

/// The lint code named `name`, as the one in [`CODES`] (for a code read
/// back from what a build kept); `None` for a name Candor does not know.
pub fn code(name: &str) -> Option<&'static str> {
    CODES.iter().copied().find(|code| *code == name)
}

/// Every lint over every incident and maintenance at `now`, without those
/// `allow` silences, sorted by file and place. `memory` keeps what does not
/// depend on the clock between calls ([`Memory`]).
pub fn run(site: &Site, places: &Places, now: Instant, memory: &mut Memory) -> Vec<Diagnostic> {
    let config = &site.config;
    let wording = memory.wording(site, places);
    // What `allow` silences, said by the file at hand.
    let allowed = |file: &FilePlaces, d: &Diagnostic| d.code.is_some_and(|code| file.allows(&places.settings, code));
    let mut out: Vec<Diagnostic> = (site.incidents.par_iter().zip(wording))
        .flat_map_iter(|(i, mut found)| {
            if let Some(file) = places.file(&i.source) {
                found.extend(clocked(i, file, config, &places.settings, now));
                found.retain(|d| !allowed(file, d));
            }
            found
        })
        .collect();
    for m in &site.maintenance {
        if let Some(file) = places.file(&m.source) {
            out.extend(maintenance(m, file, config, now).into_iter().filter(|d| !allowed(file, d)));
        }
    }
    out.sort_by(|a, b| (&a.path, a.line, a.column, a.code).cmp(&(&b.path, b.line, b.column, b.code)));
    out
}

/// The lints of one incident at `now` (`file`: where things are written in
/// its file), `allow` not applied.
pub fn incident(
    incident: &Incident,
    file: &FilePlaces,
    config: &Config,
    settings: &LintSettings,
    now: Instant,
) -> Vec<Diagnostic> {
    let mut out = memory::wording(incident, file);
    out.extend(clocked(incident, file, config, settings, now));
    out
}

/// The lints of one incident that read the clock or the configuration:
/// every one but the wording lints ([`updates::wording`]).
fn clocked(
    incident: &Incident,
    file: &FilePlaces,
    config: &Config,
    settings: &LintSettings,
    now: Instant,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut found = Found { path: &incident.source, out: &mut out };
    updates::stale(incident, file, config, now, &mut found);
    postmortems::check(incident, file, config, settings, now, &mut found);
    times::check(file, now, config.timezone, &mut found);
    out
}

/// The lints of one maintenance at `now`, `allow` not applied.
pub fn maintenance(m: &Maintenance, file: &FilePlaces, config: &Config, now: Instant) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut found = Found { path: &m.source, out: &mut out };
    times::check(file, now, config.timezone, &mut found);
    maintenance::check(m, file, &mut found);
    out
}

/// [`crate::content::check_file`], and when the file has no errors the
/// lints of the incident or maintenance it holds at `now`, less those
/// `allow` silences: all that `candor check` would say of this file.
pub fn check_file_at(rel: &Path, text: &str, config: &Config, lints: &LintSettings, now: Instant) -> Diagnostics {
    let (mut diags, parsed, places) = crate::content::check_file_parsed(rel, text, config);
    let found = match (parsed, &places) {
        (Some(Parsed::Incident(i)), Some(file)) => incident(&i, file, config, lints, now),
        (Some(Parsed::Maintenance(m)), Some(file)) => maintenance(&m, file, config, now),
        _ => Vec::new(),
    };
    for d in found {
        if places.as_ref().is_none_or(|file| !d.code.is_some_and(|code| file.allows(lints, code))) {
            diags.add(d);
        }
    }
    diags
}

/// Where the lints of one file go.
pub struct Found<'a> {
    path: &'a Path,
    out: &'a mut Vec<Diagnostic>,
}

impl Found<'_> {
    /// A warning with `code` at `at`; the hint says what to do, then how to
    /// silence the lint for this file.
    pub fn warn(&mut self, code: &'static str, at: Place, message: String, hint: &str) {
        self.out.push(Diagnostic {
            severity: Severity::Warning,
            path: self.path.to_path_buf(),
            line: at.line,
            column: at.column,
            message,
            hint: Some(with_allow(hint, code)),
            code: Some(code),
        });
    }
}

/// A hint that ends by saying how to silence `code` for the file.
pub fn with_allow(hint: &str, code: &str) -> String {
    format!("{hint} (or add allow = [\"{code}\"] to the front matter)")
}
