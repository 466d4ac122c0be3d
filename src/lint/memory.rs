//! What a long-running process (the preview server) remembers of the lints
//! between loads: each incident's wording lints
//! ([`super::updates::wording`], most of what linting costs), kept while
//! what they read is unchanged. The other lints read the clock or the
//! configuration, cost little, and run every time, so a rebuild at a later
//! clock says exactly what a fresh `candor check` would.

use super::{updates, Found};
use crate::content::places::{FilePlaces, Places};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Incident, Site};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::path::PathBuf;

/// The wording lints of the last load, by incident file.
#[derive(Default)]
pub struct Memory {
    enabled: bool,
    by_file: HashMap<PathBuf, (u64, Vec<Diagnostic>)>,
    /// How many incidents the last load linted again.
    linted: usize,
    /// Whether the last load changed what is remembered (linted an
    /// incident again, or forgot one no longer loaded).
    changed: bool,
}

impl Memory {
    /// Remembers between loads.
    pub fn new() -> Memory {
        Memory { enabled: true, ..Memory::default() }
    }

    /// No memory: every load lints everything (what a one-off build wants).
    pub fn disabled() -> Memory {
        Memory::default()
    }

    /// How many incidents the last load linted again (the rest were
    /// remembered).
    pub fn linted(&self) -> usize {
        self.linted
    }

    /// The wording lints of every incident of `site`, in order: remembered
    /// where what they read is unchanged, else run now, in parallel.
    /// Incidents no longer loaded are forgotten.
    pub(super) fn wording(&mut self, site: &Site, places: &Places) -> Vec<Vec<Diagnostic>> {
        if !self.enabled {
            self.linted = site.incidents.len();
            return (site.incidents.par_iter())
                .map(|i| places.file(&i.source).map(|file| wording(i, file)).unwrap_or_default())
                .collect();
        }
        let known = &self.by_file;
        // The fingerprint of each incident, and its lints when not remembered.
        let looked: Vec<(u64, Option<Vec<Diagnostic>>)> = (site.incidents.par_iter())
            .map(|i| {
                let Some(file) = places.file(&i.source) else { return (0, Some(Vec::new())) };
                let key = fingerprint(i, file);
                match known.get(&i.source) {
                    Some((k, _)) if *k == key => (key, None),
                    _ => (key, Some(wording(i, file))),
                }
            })
            .collect();
        self.linted = looked.iter().filter(|(_, fresh)| fresh.is_some()).count();
        let mut next = HashMap::with_capacity(looked.len());
        let mut out = Vec::with_capacity(looked.len());
        for (i, (key, fresh)) in site.incidents.iter().zip(looked) {
            // Remembered lints move from the old memory to the new one.
            let found = match fresh {
                Some(found) => found,
                None => self.by_file.remove(&i.source).map(|(_, found)| found).unwrap_or_default(),
            };
            out.push(found.clone());
            next.insert(i.source.clone(), (key, found));
        }
        // What is left of the old memory was linted again or is gone.
        self.changed = self.linted > 0 || !self.by_file.is_empty();
        self.by_file = next;
        out
    }
}

/// What a memory keeps on disk (`candor build` keeps it in the site's
/// `.candor/` folder, see [`crate::build::Cache`]): each incident file's
/// fingerprint and wording lints.
#[derive(Serialize, Deserialize, Default)]
pub struct Saved(Vec<(PathBuf, u64, Vec<SavedLint>)>);

/// One wording lint as kept on disk (its file is the entry's; a lint is
/// always a warning).
#[derive(Serialize, Deserialize)]
pub struct SavedLint {
    line: usize,
    column: usize,
    message: String,
    hint: Option<String>,
    code: Option<String>,
}

impl SavedLint {
    fn of(d: &Diagnostic) -> SavedLint {
        SavedLint {
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
            code: d.code.map(str::to_owned),
        }
    }

    /// The lint again; `None` if it has no code Candor knows.
    fn diagnostic(self, path: &std::path::Path) -> Option<Diagnostic> {
        let code = super::code(&self.code?)?;
        Some(Diagnostic {
            severity: Severity::Warning,
            path: path.to_path_buf(),
            line: self.line,
            column: self.column,
            message: self.message,
            hint: self.hint,
            code: Some(code),
        })
    }
}

impl Memory {
    /// A memory holding what a build saved.
    pub fn from_saved(saved: Saved) -> Memory {
        let by_file = (saved.0.into_iter())
            .filter_map(|(path, key, lints)| {
                let found: Option<Vec<Diagnostic>> = lints.into_iter().map(|l| l.diagnostic(&path)).collect();
                Some((path, (key, found?)))
            })
            .collect();
        Memory { enabled: true, by_file, ..Memory::default() }
    }

    /// Whether the last load changed what is remembered, so that what
    /// [`Memory::saved`] gives differs from what it was made from.
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// What the last load linted and remembered, for the next process.
    pub fn saved(&self) -> Saved {
        let mut all: Vec<_> = (self.by_file.iter())
            .map(|(path, (key, found))| (path.clone(), *key, found.iter().map(SavedLint::of).collect()))
            .collect();
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Saved(all)
    }
}

/// The wording lints of one incident, `allow` not applied.
pub(super) fn wording(incident: &Incident, file: &FilePlaces) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    updates::wording(incident, file, &mut Found { path: &incident.source, out: &mut out });
    out
}

/// Everything [`updates::wording`] reads: `started`, and each update's
/// time, text and place in the file.
fn fingerprint(incident: &Incident, file: &FilePlaces) -> u64 {
    let mut h = foldhash::quality::FixedState::default().build_hasher();
    incident.started.hash(&mut h);
    incident.updates.len().hash(&mut h);
    for (u, at) in incident.updates.iter().zip(&file.updates) {
        (u.at, &u.body, at.body.line, at.body.column).hash(&mut h);
    }
    h.finish()
}
