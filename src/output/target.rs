//! Which folders a build may replace. The output is replaced wholesale on
//! every build, so a mistyped `--output` must never name the site's
//! sources, a file, or a folder Candor did not write.

use crate::error::Error;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Written at the top of every output: a folder holding it was written by
/// `candor build` and may be replaced by the next build.
pub const MARKER: &str = ".candor-output";

/// The marker's text: what the folder is, for whoever opens it.
pub const MARKER_TEXT: &str =
    "This folder was written by `candor build`, which replaces it on every build. Do not keep files here.\n";

/// What the site is made from, under its root: never an output, nor inside one.
const SOURCES: [&str; 6] = ["status.toml", "content", "templates", "static", ".git", ".candor"];

/// Refuses a `target` that is, holds or is inside the site's sources, an
/// existing file, or (unless `force`) a non-empty folder without
/// [`MARKER`].
pub fn check(target: &Path, root: &Path, force: bool) -> Result<(), Error> {
    let shown = target.display();
    if target.file_name().is_none() {
        return Err(Error::Usage(format!("--output {shown} names no folder: give a folder such as site")));
    }
    let (target_abs, root_abs) = (resolved(target), resolved(root));
    if root_abs.starts_with(&target_abs) {
        return Err(Error::Usage(format!(
            "--output {shown} is the site folder or holds it, and the output folder is replaced on every build: choose a folder of its own, such as site"
        )));
    }
    for source in SOURCES {
        if target_abs.starts_with(root_abs.join(source)) {
            return Err(Error::Usage(format!(
                "--output {shown} is the site's {source} or inside it, and the output folder is replaced on every build: choose a folder of its own, such as {}",
                root.join("site").display()
            )));
        }
    }
    let meta = match fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(target, e)),
    };
    if !meta.is_dir() {
        return Err(Error::Usage(format!(
            "--output {shown} is a file, not a folder, and a build replaces its output with a folder: choose a folder, such as site"
        )));
    }
    for source in SOURCES {
        if target.join(source).exists() {
            return Err(Error::Usage(format!(
                "--output {shown} holds {source}, so it is not a build output; candor replaces its output folder on every build: choose another"
            )));
        }
    }
    let empty = fs::read_dir(target).map_err(|e| Error::io(target, e))?.next().is_none();
    if !force && !empty && !target.join(MARKER).is_file() {
        return Err(Error::Usage(format!(
            "--output {shown} is a folder candor did not write (it has no {MARKER} file), and a build replaces everything in it: choose another folder, or add --force to replace it"
        )));
    }
    Ok(())
}

/// `path` made absolute with symlinks and `..` resolved, as far as it
/// exists; the rest, which does not exist yet, appended as written.
fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(name) => out.push(name),
                    _ => {}
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return abs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("mysite");
        for folder in ["content/incidents", "templates", "static"] {
            fs::create_dir_all(root.join(folder)).unwrap();
        }
        fs::write(root.join("status.toml"), "title = \"x\"").unwrap();
        (dir, root)
    }

    #[test]
    fn refuses_the_sources_and_what_is_inside_them() {
        let (dir, root) = site();
        for bad in ["content", "content/incidents", "content/new", "templates", "static/x", "status.toml", ".git/x"] {
            let err = check(&root.join(bad), &root, true).unwrap_err().to_string();
            assert!(err.contains("or inside it"), "{bad}: {err}");
        }
        assert!(check(&root, &root, true).is_err(), "the root itself");
        assert!(check(dir.path(), &root, true).is_err(), "a parent of the root");
        assert!(check(&root.join("content/../site"), &root, false).is_ok(), "`..` is resolved");
        let err = check(&root.join("site/../content"), &root, true).unwrap_err().to_string();
        assert!(err.contains("inside it"), "{err}");
        assert!(check(&root.join("site"), &root, false).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_the_sources_is_the_sources() {
        let (dir, root) = site();
        std::os::unix::fs::symlink(root.join("content"), dir.path().join("out")).unwrap();
        assert!(check(&dir.path().join("out"), &root, true).is_err());
    }

    #[test]
    fn refuses_files_and_folders_candor_did_not_write_unless_forced() {
        let (dir, root) = site();
        let file = dir.path().join("notes.txt");
        fs::write(&file, "mine").unwrap();
        let err = check(&file, &root, true).unwrap_err().to_string();
        assert!(err.contains("is a file"), "{err}");

        let other = dir.path().join("photos");
        fs::create_dir(&other).unwrap();
        assert!(check(&other, &root, false).is_ok(), "an empty folder");
        fs::write(other.join("cat.jpg"), "meow").unwrap();
        let err = check(&other, &root, false).unwrap_err().to_string();
        assert!(err.contains("did not write") && err.contains("--force"), "{err}");
        assert!(check(&other, &root, true).is_ok());
        fs::write(other.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check(&other, &root, false).is_ok(), "a previous output");
    }
}
