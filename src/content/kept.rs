//! Parse results kept between `candor build` processes, in the site's
//! `.candor/parsed.bin`: for each content file, what reading it gave (the
//! parsed item, its places and its diagnostics, in postcard), under a hash
//! of its bytes and the file's stamp (size, inode, device, modification
//! and change times) as it was before it was read. A later build takes a
//! file's kept result without reading it when its stamp is the same and
//! had settled (see [`Record::trusted`]); else it reads the file and
//! takes the kept result when its bytes hash the same, and parses only the
//! rest.
//!
//! The file is a header naming the Candor binary that wrote it and the
//! `status.toml` every file was checked against, then records, each with a
//! checksum. A build appends the records it changed (a later record of a
//! path stands for it), and writes the file anew, into a new file renamed
//! into place, when it was another binary's or another configuration's,
//! is damaged, or holds more than twice what is current. Another binary,
//! another configuration, a damaged, cut or hand-edited file costs
//! parses, never a different result. Read and written while the build
//! holds the site's build lock.

use super::cache::Outcome;
use super::stamp::Stamp;
use crate::render::keys::{binary, hash};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 16] = b"candor-parsed-3\n";
/// Magic, binary, configuration.
const HEADER: usize = 16 + 8 + 8;

/// The kept parses of a site, as read from its `.candor/parsed.bin`.
pub(super) struct Kept {
    file: PathBuf,
    /// The whole file as read (empty when there was none).
    data: Vec<u8>,
}

/// One file's record: the hash of its bytes, its stamp and when that was
/// taken (`None`: no stamp), and its outcome in postcard.
#[derive(Clone, Copy)]
pub(super) struct Record<'a> {
    pub text: u64,
    pub stamp: Option<(Stamp, i64)>,
    pub outcome: &'a [u8],
}

impl Record<'_> {
    /// Whether `stamp` says the file is the one this record was made from:
    /// the same stamp, taken when the file had last changed well before
    /// (else an edit in the same tick as that read could look the same).
    fn trusted(&self, stamp: &Stamp) -> bool {
        self.stamp.is_some_and(|(kept, taken)| kept == *stamp && stamp.settled(taken))
    }
}

/// What the kept file holds for this load.
pub(super) struct Found<'a> {
    entries: HashMap<&'a str, Record<'a>, foldhash::fast::RandomState>,
    /// Whether new records may be appended: the header is this binary's
    /// and this configuration's, and every record is whole.
    appendable: bool,
}

/// What a load keeps of one file: the hash of its bytes, its stamp as
/// this load took it, its outcome encoded, and whether the kept file must
/// get this record ([`Keep::changed`]).
pub(super) struct Keep<'a> {
    pub text: u64,
    pub stamp: Option<(Stamp, i64)>,
    pub blob: Blob<'a>,
    pub changed: bool,
}

impl Keep<'_> {
    /// Whether a file read now (stamped `stamp`) needs a new record, given
    /// the `old` one: none, another stamp, or one that was racy where the
    /// new one is not (so the next build can trust it).
    pub fn changed(old: Option<&Record<'_>>, stamp: Option<(Stamp, i64)>) -> bool {
        old.is_none_or(|old| {
            old.stamp.map(|(s, _)| s) != stamp.map(|(s, _)| s) || stamp.is_some_and(|(s, taken)| s.settled(taken))
        })
    }
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

    /// The kept records, when the file was written by this binary under
    /// the configuration `config` (the text of status.toml): those up to
    /// the first that is not whole.
    pub fn found(&self, config: &str) -> Found<'_> {
        let mut found = Found { entries: HashMap::default(), appendable: false };
        let Some(header) = header(config) else { return found };
        let Some(mut body) = self.data.strip_prefix(&header[..]) else { return found };
        while !body.is_empty() {
            let Some((path, record)) = take_record(&mut body) else { return found };
            found.entries.insert(path, record);
        }
        found.appendable = true;
        found
    }

    /// Keeps what this load found (per file in load order: its path and
    /// what to keep of it): the changed records appended to the kept file,
    /// or every record written anew (see the module). Best effort: a
    /// folder Candor cannot write to costs the next build its parses.
    pub fn write(&self, config: &str, found: &Found<'_>, keep: &[(&str, &Keep<'_>)]) {
        let Some(header) = header(config) else { return };
        let live: usize = keep.iter().map(|(path, k)| RECORD + path.len() + k.blob.bytes().len()).sum();
        let bloated = self.data.len() > 2 * (HEADER + live);
        if found.appendable && !bloated {
            let mut tail = Vec::new();
            for (path, k) in keep.iter().filter(|(_, k)| k.changed) {
                put_record(&mut tail, path, k);
            }
            if !tail.is_empty() {
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
            keep.iter().try_for_each(|(path, k)| {
                record.clear();
                put_record(&mut record, path, k);
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
    /// The kept outcome of the file at `path`, without reading it, when
    /// its `stamp` is trusted ([`Record::trusted`]), with its record.
    pub fn by_stamp(&self, path: &str, stamp: &Stamp) -> Option<(Outcome, Record<'a>)> {
        let record = self.entries.get(path).filter(|r| r.trusted(stamp))?;
        Some((postcard::from_bytes(record.outcome).ok()?, *record))
    }

    /// The kept outcome of the file at `path` whose bytes hash to `text`,
    /// with its record, if there is one and it reads back.
    pub fn by_text(&self, path: &str, text: u64) -> Option<(Outcome, Record<'a>)> {
        let record = self.entries.get(path).filter(|r| r.text == text)?;
        Some((postcard::from_bytes(record.outcome).ok()?, *record))
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

/// What a record adds to its path and outcome: its length and checksum,
/// the hash of the file's bytes, the stamp (five words) and when it was
/// taken, and the path's length.
const RECORD: usize = 4 + 8 + 8 + 6 * 8 + 4;

/// Appends the record of the file at `path` to `out`: the length of what
/// follows its checksum, the checksum of that, the hash of the file's
/// bytes, its stamp and when it was taken (zeros: none), the path's
/// length, the path, and the outcome.
fn put_record(out: &mut Vec<u8>, path: &str, keep: &Keep<'_>) {
    let (stamp, taken) = keep.stamp.unwrap_or_default();
    let outcome = keep.blob.bytes();
    let mut rest = Vec::with_capacity(RECORD + path.len() + outcome.len());
    rest.extend_from_slice(&keep.text.to_le_bytes());
    for word in [stamp.size, stamp.inode, stamp.device] {
        rest.extend_from_slice(&word.to_le_bytes());
    }
    for word in [stamp.modified, stamp.changed, taken] {
        rest.extend_from_slice(&word.to_le_bytes());
    }
    rest.extend_from_slice(&(path.len() as u32).to_le_bytes());
    rest.extend_from_slice(path.as_bytes());
    rest.extend_from_slice(outcome);
    out.extend_from_slice(&(rest.len() as u32).to_le_bytes());
    out.extend_from_slice(&hash(&rest[..]).to_le_bytes());
    out.extend_from_slice(&rest);
}

/// The record at the start of `body`, which moves past it, with its path;
/// `None` if it is not whole.
fn take_record<'a>(body: &mut &'a [u8]) -> Option<(&'a str, Record<'a>)> {
    let len = u32::from_le_bytes(body.get(..4)?.try_into().ok()?) as usize;
    let check = u64::from_le_bytes(body.get(4..12)?.try_into().ok()?);
    let rest = body.get(12..12 + len)?;
    if hash(rest) != check {
        return None;
    }
    *body = &body[12 + len..];
    let word = |i: usize| Some(u64::from_le_bytes(rest.get(8 * i..8 * i + 8)?.try_into().ok()?));
    let signed = |i: usize| word(i).map(|w| w as i64);
    let stamp = Stamp { size: word(1)?, inode: word(2)?, device: word(3)?, modified: signed(4)?, changed: signed(5)? };
    let taken = signed(6)?;
    let path_len = u32::from_le_bytes(rest.get(56..60)?.try_into().ok()?) as usize;
    let path = std::str::from_utf8(rest.get(60..60 + path_len)?).ok()?;
    let record =
        Record { text: word(0)?, stamp: (taken != 0).then_some((stamp, taken)), outcome: &rest[60 + path_len..] };
    Some((path, record))
}

/// The hash a file's bytes are kept under.
pub(super) fn text_hash(bytes: &[u8]) -> u64 {
    hash(bytes)
}
