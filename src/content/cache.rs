//! What the preview server remembers between loads: every content file's
//! parse result, keyed by path and stamped with the file's size, inode and
//! modification time. A file whose stamp is unchanged is not read again; a
//! change to `status.toml` (ids, zone, windows) forgets everything, since
//! every file is checked against it.

use super::places::FilePlaces;
use super::{Kind, Parsed};
use crate::diagnostic::Diagnostics;
use crate::progress::Progress;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// One file's parse result, where things are written in it (for the
/// lints) and what reading it reported.
pub(super) type Outcome = (Option<Parsed>, Option<FilePlaces>, Diagnostics);

/// A file's result in one load: from the cache, or read now (with the
/// stamp it had before it was read, if it could be taken).
enum Looked {
    Cached(Outcome),
    Read(Option<Stamp>, Outcome),
}

/// Parse results of the last load, by file.
#[derive(Default)]
pub struct LoadCache {
    enabled: bool,
    config: Option<String>,
    files: HashMap<PathBuf, Entry>,
    /// How many files the last load read and parsed.
    parsed: usize,
    progress: Option<Arc<Progress>>,
}

struct Entry {
    stamp: Stamp,
    kind: Kind,
    outcome: Outcome,
}

/// What tells a file changed without reading it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp { len: meta.len(), modified: meta.modified().ok(), inode })
    }
}

impl LoadCache {
    /// A cache that remembers files between loads.
    pub fn new() -> LoadCache {
        LoadCache { enabled: true, ..LoadCache::default() }
    }

    /// No memory: every load reads everything (what a one-off build wants).
    pub fn disabled() -> LoadCache {
        LoadCache::default()
    }

    /// Counts the files parsed on `progress` (stage "parse files").
    pub fn with_progress(mut self, progress: Arc<Progress>) -> LoadCache {
        self.progress = Some(progress);
        self
    }

    /// How many content files the last load read and parsed (the rest came
    /// from the cache).
    pub fn parsed(&self) -> usize {
        self.parsed
    }

    /// Forgets every file if `status.toml` is not the text it was.
    pub(super) fn config_is(&mut self, text: &str) {
        if self.config.as_deref() != Some(text) {
            self.files.clear();
            if self.enabled {
                self.config = Some(text.to_owned());
            }
        }
    }

    /// The parse result of every file in `files` (in that order): from the
    /// cache where the stamp is unchanged, else from `parse`, in parallel.
    /// The stamp is taken before the file is read, so an edit racing with
    /// the load is seen again by the next one.
    pub(super) fn files(
        &mut self,
        root: &Path,
        files: &[(Kind, PathBuf)],
        parse: impl Fn(Kind, &Path) -> Outcome + Sync,
    ) -> Vec<Outcome> {
        let progress = self.progress.clone();
        if let Some(p) = &progress {
            p.stage("parse files", files.len());
        }
        let parse = |kind: Kind, rel: &Path| {
            let outcome = parse(kind, rel);
            if let Some(p) = &progress {
                p.tick();
            }
            outcome
        };
        if !self.enabled {
            self.parsed = files.len();
            return files.par_iter().map(|(kind, rel)| parse(*kind, rel)).collect();
        }
        let known = &self.files;
        let looked: Vec<Looked> = files
            .par_iter()
            .map(|(kind, rel)| {
                let stamp = Stamp::of(&root.join(rel));
                match known.get(rel) {
                    Some(e) if stamp == Some(e.stamp) && e.kind == *kind => Looked::Cached(e.outcome.clone()),
                    _ => Looked::Read(stamp, parse(*kind, rel)),
                }
            })
            .collect();
        let mut next = HashMap::with_capacity(files.len());
        let mut out = Vec::with_capacity(files.len());
        self.parsed = 0;
        for ((kind, rel), result) in files.iter().zip(looked) {
            match result {
                Looked::Cached(hit) => {
                    if let Some(entry) = self.files.remove(rel) {
                        next.insert(rel.clone(), entry);
                    }
                    out.push(hit);
                }
                Looked::Read(stamp, fresh) => {
                    self.parsed += 1;
                    if let Some(stamp) = stamp {
                        let entry = Entry { stamp, kind: *kind, outcome: fresh.clone() };
                        next.insert(rel.clone(), entry);
                    }
                    out.push(fresh);
                }
            }
        }
        // Files gone from the folders are forgotten.
        self.files = next;
        out
    }
}
