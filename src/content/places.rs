//! Where things were written, in lines and columns, kept for the checks
//! that run after loading (the lints in [`crate::lint`]).
//!
//! The model holds values only; a lint that points at update 3's body needs
//! its line. Rather than keep every file's text or parse it again, loading
//! turns the few spans the lints need into places and keeps them here.

use super::incident::IncidentSpans;
use super::maintenance::MaintenanceSpans;
use super::reader::ReadTime;
use crate::diagnostic::SourceMap;
use crate::lint::settings::LintSettings;
use crate::time::Instant;
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A 1-based line and column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Place {
    pub line: usize,
    pub column: usize,
}

/// A datetime as written, and where.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TimePlace {
    pub key: String,
    /// The table it sits in (`[[updates]]`, `an incident's front matter`).
    pub table: String,
    pub at: Place,
    #[serde(with = "chrono::serde::ts_nanoseconds")]
    pub instant: Instant,
    /// Minutes east of UTC as written; `Some(0)` for `Z`; `None` when local.
    pub offset: Option<i16>,
    /// The zone the file's local datetimes are read in.
    pub zone: Tz,
}

/// Where an incident update's `at` and `body` were written.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct UpdatePlaces {
    pub at: Place,
    pub body: Place,
}

/// The places of one content file (incident or maintenance).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FilePlaces {
    pub maintenance: bool,
    /// Every datetime read, in file order.
    pub times: Vec<TimePlace>,
    /// Per update of an incident, in order.
    pub updates: Vec<UpdatePlaces>,
    pub resolved: Option<Place>,
    pub postmortem: Option<Place>,
    /// Per postmortem action item, in `Postmortem::sections` order: its `due`.
    pub action_dues: Vec<Option<Place>>,
    /// Codes the file's `allow` silences.
    pub allow: Vec<String>,
}

impl FilePlaces {
    /// Is `code` silenced in this file, by its `allow` or by `[lints]
    /// allow` in status.toml (`settings`)?
    pub fn allows(&self, settings: &LintSettings, code: &str) -> bool {
        settings.allow.iter().any(|c| c == code) || self.allow.iter().any(|c| c == code)
    }

    pub fn incident(map: &SourceMap, spans: &IncidentSpans, times: Vec<ReadTime>) -> FilePlaces {
        let place = |span: &Range<usize>| place(map, span);
        FilePlaces {
            maintenance: false,
            times: time_places(map, times),
            updates: spans.updates.iter().map(|u| UpdatePlaces { at: place(&u.at), body: place(&u.body) }).collect(),
            resolved: spans.resolved.as_ref().map(place),
            postmortem: spans.postmortem.as_ref().map(place),
            action_dues: spans.action_dues.iter().map(|d| d.as_ref().map(place)).collect(),
            allow: spans.allow.clone(),
        }
    }

    pub fn maintenance(map: &SourceMap, spans: &MaintenanceSpans, times: Vec<ReadTime>) -> FilePlaces {
        FilePlaces {
            maintenance: true,
            times: time_places(map, times),
            updates: Vec::new(),
            resolved: None,
            postmortem: None,
            action_dues: Vec::new(),
            allow: spans.allow.clone(),
        }
    }
}

fn place(map: &SourceMap, span: &Range<usize>) -> Place {
    let (line, column) = map.line_col(span.start);
    Place { line, column }
}

fn time_places(map: &SourceMap, times: Vec<ReadTime>) -> Vec<TimePlace> {
    times
        .into_iter()
        .map(|t| TimePlace {
            at: place(map, &t.span),
            key: t.key,
            table: t.table,
            instant: t.instant,
            offset: t.offset,
            zone: t.zone,
        })
        .collect()
}

/// The places of every content file, and the site's lint settings.
#[derive(Debug, Clone, Default)]
pub struct Places {
    pub settings: LintSettings,
    files: BTreeMap<PathBuf, FilePlaces>,
}

impl Places {
    pub fn new(settings: LintSettings) -> Places {
        Places { settings, files: BTreeMap::new() }
    }

    pub fn insert(&mut self, path: PathBuf, places: FilePlaces) {
        self.files.insert(path, places);
    }

    /// The places of the file at `path` (relative to the site root).
    pub fn file(&self, path: &Path) -> Option<&FilePlaces> {
        self.files.get(path)
    }

    /// Is `code` silenced in the file at `path`, by its `allow` or by
    /// `[lints] allow` in status.toml?
    pub fn allows(&self, path: &Path, code: &str) -> bool {
        match self.files.get(path) {
            Some(file) => file.allows(&self.settings, code),
            None => self.settings.allow.iter().any(|c| c == code),
        }
    }
}
