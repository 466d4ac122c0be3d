//! Maps a request target to a file under the served folder, refusing
//! anything that could reach outside it. Pure functions, table-tested.

use std::path::{Component, Path, PathBuf};

/// Why a request target names no servable path.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// `..`, a backslash, a NUL, a drive letter or an encoded form of them.
    Traversal,
    /// Not valid percent-encoding or not UTF-8.
    Malformed,
}

/// The relative path a request target names, decoded and checked: query
/// and fragment dropped, percent-decoding applied once, then every segment
/// must be a plain name. The result never climbs out of the served folder.
pub fn relative_path(target: &str) -> Result<PathBuf, Refused> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| Refused::Malformed)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return Err(Refused::Traversal);
    }
    let mut out = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => continue,
            // `..;x` is `..` to servers that strip path parameters.
            s if s.split(';').next() == Some("..") => return Err(Refused::Traversal),
            s if s.contains(':') => return Err(Refused::Traversal),
            s => {
                // A segment that still decodes to something (double
                // encoding such as %252e) is refused rather than guessed.
                if s.contains('%') {
                    return Err(Refused::Malformed);
                }
                out.push(s)
            }
        }
    }
    if out.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(Refused::Traversal);
    }
    Ok(out)
}

/// The file to send for `rel` under `root`: a directory's `index.html`, and
/// only if the real path (symlinks followed) stays inside `root`.
pub fn file_under(root: &Path, rel: &Path) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let mut path = root.join(rel);
    if path.is_dir() {
        path.push("index.html");
    }
    let real = path.canonicalize().ok()?;
    (real.starts_with(&root) && real.is_file()).then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_decode() {
        assert_eq!(relative_path("/").unwrap(), PathBuf::new());
        assert_eq!(
            relative_path("/incidents/a-b/index.html?x=1#top").unwrap(),
            PathBuf::from("incidents/a-b/index.html")
        );
        assert_eq!(relative_path("/a%20b/").unwrap(), PathBuf::from("a b"));
        assert_eq!(relative_path("//api//v2/./summary.json").unwrap(), PathBuf::from("api/v2/summary.json"));
    }

    #[test]
    fn traversal_in_every_spelling_is_refused() {
        let attempts = [
            "/../etc/passwd",
            "/..",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/.%2e/etc/passwd",
            "/%2e./etc/passwd",
            "/a/%2e%2e/%2e%2e/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/%2e%2e%2fetc%2fpasswd",
            "/..%5cetc%5cpasswd",
            "/..\\etc\\passwd",
            "/a\\..\\..\\etc",
            "/%5c..%5c..%5cetc",
            "/%252e%252e/etc/passwd",
            "/..%252fetc",
            "/C:/Windows/win.ini",
            "/c:%5cwindows",
            "/a%00.html",
            "/%c0%ae%c0%ae/etc/passwd",
            "/..;/etc/passwd",
            "/%2e%2e;/etc",
        ];
        for a in attempts {
            assert!(relative_path(a).is_err(), "{a} was accepted as {:?}", relative_path(a));
        }
    }

    #[test]
    fn symlinks_out_of_the_root_are_not_served() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/index.html"), "in").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "out").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(file_under(&root, Path::new("sub")), Some(root.canonicalize().unwrap().join("sub/index.html")));
        #[cfg(unix)]
        assert_eq!(file_under(&root, Path::new("link.txt")), None);
        assert_eq!(file_under(&root, Path::new("missing.html")), None);
    }
}
