//! `manifest.json`: every file of a build with its size and SHA-256, and
//! the site's version.
//!
//! The version names the site's content. It is carried by the site itself
//! (a `<meta name="candor-version">` in the front page, `index.html`, and
//! `candor.version` in `api/v2/summary.json`; no other file, so a new
//! version rewrites only the files that changed), so it cannot be a hash of the files as
//! published: those hold it. It is defined on the files as rendered with
//! [`PLACEHOLDER`] where the version goes:
//!
//! > The version is the SHA-256 (lowercase hex) of the text made of one line
//! > `<sha256> <size> <path>\n` per file of the site, sorted by path (bytes),
//! > where `sha256` and `size` are those of the file with every occurrence of
//! > the version replaced by [`PLACEHOLDER`] (64 bytes, as long as a version).
//! > `manifest.json`, `.candor-output` and `.candor-keys` are not files of the site.
//!
//! So equal content gives an equal version, any byte that differs gives
//! another, and anyone can recompute it from the published files. The
//! manifest itself lists each file's SHA-256 as published (version
//! included), which `sha256sum` checks.

use crate::error::Error;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The file name of the manifest, at the top of every output and release.
pub const FILE: &str = "manifest.json";

/// What the version is replaced by while it is not known: in the files as
/// they are hashed for the version, and in what `serve` shows.
pub const PLACEHOLDER: &str = "unversioned00000000000000000000000000000000000000000000000000000";
const _: () = assert!(PLACEHOLDER.len() == 64);

/// Whether a file carries the version (and is searched for [`PLACEHOLDER`]).
pub fn carries_version(path: &str) -> bool {
    path == "index.html" || path == "api/v2/summary.json"
}

/// The manifest of one build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// See the module doc.
    pub version: String,
    /// The build's clock, RFC 3339.
    pub built: String,
    /// Sorted by path.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// `/`-separated, relative to the top of the output.
    pub path: String,
    pub size: u64,
    /// Lowercase hex SHA-256 of the file as published.
    pub sha256: String,
}

impl Manifest {
    /// A manifest of `files` as `(path, sha256)`, each one byte long.
    #[cfg(test)]
    pub(crate) fn sample(version: &str, files: &[(&str, &str)]) -> Manifest {
        Manifest {
            version: version.into(),
            built: String::new(),
            files: files.iter().map(|(p, h)| FileEntry { path: (*p).into(), size: 1, sha256: (*h).into() }).collect(),
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Reads `dir/manifest.json`.
    pub fn read(dir: &Path) -> Result<Manifest, Error> {
        let path = dir.join(FILE);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| Error::Usage(format!("{}: not a Candor manifest ({e})", path.display())))
    }

    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        self.files.binary_search_by(|f| f.path.as_str().cmp(path)).ok().map(|i| &self.files[i])
    }

    /// The total size of the files.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// The version of a site whose files, with the version blanked, are
/// `(path, size, sha256)`, sorted by path.
pub fn version<'a>(blanked: impl IntoIterator<Item = (&'a str, u64, &'a [u8; 32])>) -> String {
    let mut h = Sha256::new();
    for (path, size, sha) in blanked {
        h.update(format!("{} {size} {path}\n", hex(sha)).as_bytes());
    }
    hex(&h.finalize().into())
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

pub fn hex(bytes: &[u8; 32]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The size and hex SHA-256 of a file on disk.
pub fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok((size, hex(&h.finalize().into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_changes_with_any_byte_and_not_otherwise() {
        let (a, b) = (sha256(b"one"), sha256(b"onf"));
        let v1 = version([("a.html", 3, &a)]);
        assert_eq!(v1, version([("a.html", 3, &a)]));
        assert_ne!(v1, version([("a.html", 3, &b)]));
        assert_ne!(v1, version([("b.html", 3, &a)]));
        assert_eq!(v1.len(), 64);
    }
}
