//! What tells a content file changed without reading it: its stamp, as
//! `lstat` gives it. One rule for both memories of earlier loads
//! ([`super::cache`] in the preview server, [`super::kept`] between
//! builds). Only a regular file has a stamp: a link's own stamp does not
//! change when what it leads to does, so a link is always read.

use std::path::Path;

/// A file's size, inode, device, and modification and change times (in
/// nanoseconds since the epoch). Any write, `touch`, `chmod` or rename
/// over it changes at least one of them.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(super) struct Stamp {
    pub size: u64,
    pub inode: u64,
    pub device: u64,
    pub modified: i64,
    pub changed: i64,
}

/// How long before the moment its stamp was taken a file must have last
/// changed for that stamp to say the file is the one read then: more
/// than any file system's timestamp granularity, so an edit in the same
/// tick as the read, which could leave the stamp as it was, is seen.
const RACY_NANOS: i64 = 2_000_000_000;

impl Stamp {
    /// The stamp of the regular file at `path`; `None` for anything else
    /// or when it cannot be taken.
    pub fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(path).ok()?;
        let nanos = |s: i64, ns: i64| s.checked_mul(1_000_000_000)?.checked_add(ns);
        let stamp = Stamp {
            size: meta.len(),
            inode: meta.ino(),
            device: meta.dev(),
            modified: nanos(meta.mtime(), meta.mtime_nsec())?,
            changed: nanos(meta.ctime(), meta.ctime_nsec())?,
        };
        meta.file_type().is_file().then_some(stamp)
    }

    /// [`Stamp::of`], with the moment it was taken (just before).
    pub fn taken(path: &Path) -> Option<(Stamp, i64)> {
        let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?;
        let taken = i64::try_from(since.as_nanos()).ok()?;
        Some((Stamp::of(path)?, taken))
    }

    /// Whether the file, stamped so at `taken`, had last changed well
    /// before (see [`RACY_NANOS`]).
    pub fn settled(&self, taken: i64) -> bool {
        self.modified < taken - RACY_NANOS && self.changed < taken - RACY_NANOS
    }
}
