//! What loading remembers of earlier loads. The preview server keeps
//! every content file's parse result in memory, keyed by path and stamped
//! ([`super::stamp`]): a file whose stamp is unchanged is not read again
//! (a link, which has no stamp, is read every load). `candor build` keeps them on disk
//! between processes ([`super::kept`]): every file is read, and parsed
//! only when its bytes changed. Either way, a change to `status.toml`
//! (ids, zone, windows) forgets everything, since every file is checked
//! against it.

use super::kept::{text_hash, Blob, Keep, Kept};
use super::places::FilePlaces;
use super::stamp::Stamp;
use super::{Kind, Parsed};
use crate::diagnostic::Diagnostics;
use crate::progress::Progress;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file's parse result, where things are written in it (for the
/// lints) and what reading it reported.
pub(super) type Outcome = (Option<Parsed>, Option<FilePlaces>, Diagnostics);

/// A file's result in one load: from the cache, or read now (with the
/// stamp it had before it was read, if it could be taken).
enum Looked {
    Cached(Outcome),
    Read(Option<Stamp>, Outcome),
}

/// A file's result in a load from parse results kept on disk: its
/// outcome, what to keep of it (when it could be read), and how it was
/// found.
type KeptOrParsed<'a> = (Outcome, Option<Keep<'a>>, FoundBy);

/// How a load from parse results kept on disk found a file's outcome.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FoundBy {
    /// Kept, under the file's stamp: the file was not read.
    Stamp,
    /// Kept, under the hash of the file's bytes, read now.
    Bytes,
    /// Read (or found unreadable) and parsed now.
    Parsing,
}

/// Parse results of the last load, by file.
#[derive(Default)]
pub struct LoadCache {
    enabled: bool,
    config: Option<String>,
    files: HashMap<PathBuf, Entry>,
    /// How many files the last load read and parsed.
    parsed: usize,
    /// How many files the last load read.
    read: usize,
    progress: Option<Arc<Progress>>,
    /// Parse results kept on disk by the last build, when this cache
    /// reads and writes them ([`LoadCache::kept_in`]).
    kept: Option<Kept>,
}

struct Entry {
    stamp: Stamp,
    kind: Kind,
    outcome: Outcome,
}

impl LoadCache {
    /// A cache that remembers files between loads.
    pub fn new() -> LoadCache {
        LoadCache { enabled: true, ..LoadCache::default() }
    }

    /// No memory: every load reads everything (what `candor check` wants).
    pub fn disabled() -> LoadCache {
        LoadCache::default()
    }

    /// Takes parse results from what the last build kept in `state` (the
    /// site's `.candor/`) and keeps this load's there for the next
    /// ([`super::kept`]): what a one-off build wants. Nothing is read
    /// before [`LoadCache::read_kept`].
    pub fn kept_in(state: &Path) -> LoadCache {
        LoadCache { kept: Some(Kept::in_folder(state)), ..LoadCache::default() }
    }

    /// Reads the parse results the last build kept, for a cache made by
    /// [`LoadCache::kept_in`] (under the site's build lock).
    pub fn read_kept(&mut self) {
        if let Some(kept) = &mut self.kept {
            kept.read();
        }
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

    /// How many content files the last load read (parsed or not).
    pub fn read(&self) -> usize {
        self.read
    }

    /// Forgets every file if `status.toml` is not the text it was.
    pub(super) fn config_is(&mut self, text: &str) {
        if self.config.as_deref() != Some(text) {
            self.files.clear();
            if self.enabled || self.kept.is_some() {
                self.config = Some(text.to_owned());
            }
        }
    }

    /// The parse result of every file in `files` (in that order): from the
    /// cache where the stamp (or, kept on disk, the bytes) is unchanged,
    /// else read by `read` and parsed by `parse`, in parallel. The stamp
    /// is taken before the file is read, so an edit racing with the load
    /// is seen again by the next one.
    pub(super) fn files(
        &mut self,
        root: &Path,
        files: &[(Kind, PathBuf)],
        read: impl Fn(&Path) -> Result<Vec<u8>, Diagnostics> + Sync,
        parse: impl Fn(Kind, &Path, Vec<u8>) -> Outcome + Sync,
    ) -> Vec<Outcome> {
        let progress = self.progress.clone();
        if let Some(p) = &progress {
            p.stage("parse files", files.len());
        }
        let tick = || {
            if let Some(p) = &progress {
                p.tick();
            }
        };
        if let Some(mut kept) = self.kept.take() {
            let out = self.kept_files(&kept, root, files, &read, &parse, &tick);
            kept.forget();
            self.kept = Some(kept);
            return out;
        }
        let parse = |kind: Kind, rel: &Path| {
            let outcome = match read(rel) {
                Ok(bytes) => parse(kind, rel, bytes),
                Err(diags) => (None, None, diags),
            };
            tick();
            outcome
        };
        if !self.enabled {
            self.parsed = files.len();
            self.read = files.len();
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
        self.read = 0;
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
                    self.read += 1;
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

    /// [`LoadCache::files`] from parse results `kept` on disk: a file
    /// whose stamp the kept record trusts is not read; the others are read
    /// and hashed, and parsed only when no kept record has their hash.
    /// What this load found is kept for the next.
    fn kept_files(
        &mut self,
        kept: &Kept,
        root: &Path,
        files: &[(Kind, PathBuf)],
        read: &(impl Fn(&Path) -> Result<Vec<u8>, Diagnostics> + Sync),
        parse: &(impl Fn(Kind, &Path, Vec<u8>) -> Outcome + Sync),
        tick: &(impl Fn() + Sync),
    ) -> Vec<Outcome> {
        let config = self.config.clone().unwrap_or_default();
        let found = kept.found(&config);
        let look = |kind: Kind, rel: &Path| -> KeptOrParsed {
            let path = rel.to_str();
            let stamp = Stamp::taken(&root.join(rel));
            if let (Some(path), Some((now, _))) = (path, stamp) {
                if let Some((outcome, record)) = found.by_stamp(path, &now) {
                    let keep = Keep {
                        text: record.text,
                        stamp: record.stamp,
                        blob: Blob::Kept(record.outcome),
                        changed: false,
                    };
                    return (outcome, Some(keep), FoundBy::Stamp);
                }
            }
            let bytes = match read(rel) {
                Ok(bytes) => bytes,
                Err(diags) => return ((None, None, diags), None, FoundBy::Parsing),
            };
            let text = text_hash(&bytes);
            match path.and_then(|path| found.by_text(path, text)) {
                Some((outcome, old)) => {
                    let changed = Keep::changed(Some(&old), stamp);
                    (outcome, Some(Keep { text, stamp, blob: Blob::Kept(old.outcome), changed }), FoundBy::Bytes)
                }
                None => {
                    let outcome = parse(kind, rel, bytes);
                    let keep = Blob::encode(&outcome).map(|blob| Keep { text, stamp, blob, changed: true });
                    (outcome, keep, FoundBy::Parsing)
                }
            }
        };
        let looked: Vec<KeptOrParsed> = files
            .par_iter()
            .map(|(kind, rel)| {
                let looked = look(*kind, rel);
                tick();
                looked
            })
            .collect();
        self.parsed = looked.iter().filter(|(.., how)| *how == FoundBy::Parsing).count();
        self.read = looked.iter().filter(|(.., how)| *how != FoundBy::Stamp).count();
        let keep: Vec<(&str, &Keep)> = files
            .iter()
            .zip(&looked)
            .filter_map(|((_, rel), (_, keep, _))| Some((rel.to_str()?, keep.as_ref()?)))
            .collect();
        kept.write(&config, &found, &keep);
        looked.into_iter().map(|(outcome, ..)| outcome).collect()
    }
}
