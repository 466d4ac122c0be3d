//! Parse results kept between `candor build` processes, in the site's
//! `.candor/parsed.bin`: for each content file, a hash of its bytes and
//! what reading them gave (the parsed item, its places and its
//! diagnostics, in postcard). A later build reads every file again but
//! parses only those whose bytes hash differently.
//!
//! The file is a header naming the Candor binary that wrote it and the
//! `status.toml` every file was checked against, then records, each with a
//! checksum. A build appends the records of the files it parsed (a later
//! record of a path stands for it), and writes the file anew, into a new
//! file renamed into place, when it was another binary's or another
//! configuration's, is damaged, or holds more than twice what is current.
//! Another binary, another configuration, a damaged, cut or hand-edited
//! file costs parses, never a different result. Read and written while the
//! build holds the site's build lock.

use super::cache::Outcome;
use crate::render::keys::{binary, hash};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 16] = b"candor-parsed-2\n";
/// Magic, binary, configuration.
const HEADER: usize = 16 + 8 + 8;

/// The kept parses of a site, as read from its `.candor/parsed.bin`.
pub(super) struct Kept {
    file: PathBuf,
    /// The whole file as read (empty when there was none).
    data: Vec<u8>,
}

/// What the kept file holds for this load.
pub(super) struct Found<'a> {
    /// By path: the hash of the file's bytes and its outcome in postcard.
    entries: HashMap<&'a str, (u64, &'a [u8])>,
    /// Whether new records may be appended: the header is this binary's
    /// and this configuration's, and every record is whole.
    appendable: bool,
}

impl Kept {
    /// The kept parses in `state` (the site's `.candor/`), not read yet.
    pub fn in_folder(state: &Path) -> Kept {
        Kept { file: state.join("parsed.bin"), data: Vec::new() }
    }

    /// Reads what the last build kept (nothing if it cannot be read).
    pub fn read(&mut self) {
        self.data = std::fs::read(&self.file).unwrap_or_default();
    }

    /// Forgets what was read, once it has been used.
    pub fn forget(&mut self) {
        self.data = Vec::new();
    }

    /// The kept outcomes, when the file was written by this binary under
    /// the configuration `config` (the text of status.toml): those of its
    /// records up to the first that is not whole.
    pub fn found(&self, config: &str) -> Found<'_> {
        let mut found = Found { entries: HashMap::new(), appendable: false };
        let Some(header) = header(config) else { return found };
        let Some(mut body) = self.data.strip_prefix(&header[..]) else { return found };
        while !body.is_empty() {
            let Some((path, text, outcome)) = record(&mut body) else { return found };
            found.entries.insert(path, (text, outcome));
        }
        found.appendable = true;
        found
    }

    /// Keeps the outcomes of this load (per file in load order: its path,
    /// the hash of its bytes, its outcome encoded), `fresh` those parsed
    /// now: appended to the kept file, or written anew (see the module).
    /// Best effort: a folder Candor cannot write to costs the next build
    /// its parses.
    pub fn write(&self, config: &str, found: &Found<'_>, outcomes: &[(&str, u64, &Blob<'_>)]) {
        let Some(header) = header(config) else { return };
        let fresh: Vec<&(&str, u64, &Blob<'_>)> = outcomes.iter().filter(|(.., b)| matches!(b, Blob::New(_))).collect();
        let live: usize = outcomes.iter().map(|(path, _, blob)| RECORD + path.len() + blob.bytes().len()).sum();
        let bloated = self.data.len() > 2 * (HEADER + live);
        if found.appendable && !bloated {
            if !fresh.is_empty() {
                let mut tail = Vec::new();
                fresh.iter().for_each(|(path, text, blob)| put_record(&mut tail, path, *text, blob.bytes()));
                let appended = std::fs::OpenOptions::new().append(true).open(&self.file);
                // A cut write is a record that is not whole: the next
                // build stops reading there and writes the file anew.
                let _ = appended.and_then(|mut file| file.write_all(&tail));
            }
            return;
        }
        let Some(dir) = self.file.parent() else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let Ok(file) = tempfile::NamedTempFile::with_prefix_in(".parsed.bin.", dir) else { return };
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut record = Vec::new();
        let written = out.write_all(&header).and_then(|()| {
            outcomes.iter().try_for_each(|(path, text, blob)| {
                record.clear();
                put_record(&mut record, path, *text, blob.bytes());
                out.write_all(&record)
            })
        });
        if let (Ok(()), Ok(file)) = (written, out.into_inner()) {
            // Dropped unpersisted on failure, which deletes it.
            let _ = file.persist(&self.file);
        }
    }
}

impl<'a> Found<'a> {
    /// The kept outcome of the file at `path` whose bytes hash to `text`,
    /// with its encoding, if there is one and it reads back.
    pub fn get(&self, path: &str, text: u64) -> Option<(Outcome, &'a [u8])> {
        let (kept, bytes) = self.entries.get(path)?;
        (*kept == text).then(|| postcard::from_bytes(bytes).ok().map(|outcome| (outcome, *bytes))).flatten()
    }
}

/// A file's outcome in postcard: taken from the kept file, or encoded now.
pub(super) enum Blob<'a> {
    Kept(&'a [u8]),
    New(Vec<u8>),
}

impl Blob<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Blob::Kept(bytes) => bytes,
            Blob::New(bytes) => bytes,
        }
    }

    /// `outcome` encoded, `None` if it cannot be (then it is not kept).
    pub fn encode(outcome: &Outcome) -> Option<Blob<'static>> {
        postcard::to_stdvec(outcome).ok().map(Blob::New)
    }
}

/// The header of a file kept by this binary under `config`.
fn header(config: &str) -> Option<[u8; HEADER]> {
    let mut header = [0; HEADER];
    header[..16].copy_from_slice(MAGIC);
    header[16..24].copy_from_slice(&binary()?.to_le_bytes());
    header[24..].copy_from_slice(&hash(config).to_le_bytes());
    Some(header)
}

/// What a record adds to its path and outcome: its length, its checksum,
/// the hash of the file's bytes and the path's length.
const RECORD: usize = 4 + 8 + 8 + 4;

/// Appends the record of one file to `out`: the length of what follows its
/// checksum, the checksum of that, the hash of the file's bytes, the
/// path's length, the path, and the outcome.
fn put_record(out: &mut Vec<u8>, path: &str, text: u64, outcome: &[u8]) {
    let mut rest = Vec::with_capacity(12 + path.len() + outcome.len());
    rest.extend_from_slice(&text.to_le_bytes());
    rest.extend_from_slice(&(path.len() as u32).to_le_bytes());
    rest.extend_from_slice(path.as_bytes());
    rest.extend_from_slice(outcome);
    out.extend_from_slice(&(rest.len() as u32).to_le_bytes());
    out.extend_from_slice(&hash(&rest[..]).to_le_bytes());
    out.extend_from_slice(&rest);
}

/// The record at the start of `body`, which moves past it: a file's path,
/// the hash of its bytes and its outcome; `None` if it is not whole.
fn record<'a>(body: &mut &'a [u8]) -> Option<(&'a str, u64, &'a [u8])> {
    let len = u32::from_le_bytes(body.get(..4)?.try_into().ok()?) as usize;
    let check = u64::from_le_bytes(body.get(4..12)?.try_into().ok()?);
    let rest = body.get(12..12 + len)?;
    if hash(rest) != check {
        return None;
    }
    *body = &body[12 + len..];
    let text = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
    let path_len = u32::from_le_bytes(rest.get(8..12)?.try_into().ok()?) as usize;
    let path = std::str::from_utf8(rest.get(12..12 + path_len)?).ok()?;
    Some((path, text, &rest[12 + path_len..]))
}

/// The hash a file's bytes are kept under.
pub(super) fn text_hash(bytes: &[u8]) -> u64 {
    hash(bytes)
}
