//! Files a build takes from the previous build instead of rendering them
//! again: every output keeps, beside its files, `.candor-keys`, the key
//! ([`crate::render::keys`]) each reusable file was rendered from, with its
//! size and SHA-256. The next build into the same folder links a file whose
//! key is unchanged into its staging folder (a hard link: no copy, and the
//! staging folder still swaps into place whole) and renders the rest.
//!
//! The keys file is swapped in with the files it describes, so it never
//! speaks of files another build wrote. A file is taken only while it is
//! the very file the build wrote: the same inode, size and modification
//! time (a file edited or replaced by hand is rendered again), and the
//! permissions a new file gets now (so a change of umask is followed).
//! `.candor-keys`, like `.candor-output`, is not a file of the site: not in
//! the manifest, never published.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// The keys file's name, at the top of every output.
pub const FILE: &str = ".candor-keys";

const HEADER: &str = "candor-keys 2\n";

/// One reusable file as a build wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub key: u64,
    pub size: u64,
    pub sha256: [u8; 32],
    /// The file as the system knows it, to tell it from a file put there
    /// since.
    pub stat: Stat,
}

/// What tells one written file from another at the same path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stat {
    pub inode: u64,
    /// Modification time, in nanoseconds since the Unix epoch.
    pub modified: i128,
}

impl Stat {
    pub fn of(meta: &std::fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat { inode: meta.ino(), modified: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()) }
    }
}

/// The previous build's reusable files, by path.
#[derive(Debug, Default)]
pub struct Previous(HashMap<String, Kept>);

impl Previous {
    /// The keys of the output at `target`; empty when it has none or they
    /// cannot be read (then everything is rendered).
    pub fn read(target: &Path) -> Previous {
        let Ok(text) = std::fs::read_to_string(target.join(FILE)) else { return Previous::default() };
        Previous(parse(&text).unwrap_or_default())
    }

    /// The file at `path`, if it was rendered from `key`.
    pub fn get(&self, path: &str, key: u64) -> Option<&Kept> {
        self.0.get(path).filter(|k| k.key == key)
    }
}

/// `.candor-keys`: a header line, then `key size inode mtime sha256 path`
/// per file (key and hash in hex, mtime in nanoseconds), sorted by path.
pub fn format<'a>(files: impl Iterator<Item = (&'a str, &'a Kept)>) -> String {
    let mut out = String::from(HEADER);
    for (path, kept) in files {
        let (key, size, hash) = (kept.key, kept.size, super::manifest::hex(&kept.sha256));
        let _ = writeln!(out, "{key:016x} {size} {} {} {hash} {path}", kept.stat.inode, kept.stat.modified);
    }
    out
}

fn parse(text: &str) -> Option<HashMap<String, Kept>> {
    let rest = text.strip_prefix(HEADER)?;
    rest.lines()
        .map(|line| {
            let mut parts = line.splitn(6, ' ');
            let key = u64::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            let stat = Stat { inode: parts.next()?.parse().ok()?, modified: parts.next()?.parse().ok()? };
            let hex = parts.next()?;
            let path = parts.next()?;
            let mut sha256 = [0u8; 32];
            if hex.len() != 64 {
                return None;
            }
            for (i, byte) in sha256.iter_mut().enumerate() {
                *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
            }
            Some((path.to_owned(), Kept { key, size, sha256, stat }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_as_written_and_a_damaged_file_reuses_nothing() {
        let a = Kept { key: 0xdead_beef, size: 12, sha256: [7; 32], stat: Stat { inode: 9, modified: -5 } };
        let b = Kept { key: u64::MAX, size: 0, sha256: [0xab; 32], stat: Stat { inode: u64::MAX, modified: 1 << 70 } };
        let text = format([("incidents/x/index.html", &a), ("pages/a b/index.html", &b)].into_iter());
        let read = parse(&text).unwrap();
        assert_eq!(read["incidents/x/index.html"], a);
        assert_eq!(read["pages/a b/index.html"], b, "a path with a space");
        assert!(parse(&text.replace("candor-keys 2", "candor-keys 1")).is_none(), "another format");
        assert!(parse(&text[..text.len() - 40]).is_none(), "a cut line");
        assert!(parse(&format!("{text}zz 1 2 3 {} p\n", "0".repeat(64))).is_none(), "a bad key");
    }
}
