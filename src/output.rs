//! The one place files are written: into a fresh staging folder beside the
//! output, swapped into place only once everything rendered.
//!
//! A failed build removes its staging folder and leaves the published site
//! byte-for-byte as it was. Every file is created once (`create_new`), so two
//! outputs claiming one path is an error, not a silent overwrite.

use crate::error::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// A build's output in progress.
pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
}

/// What a build wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

impl Staging {
    /// Prepares `<parent>/.<name>.candor-new-<pid>` for a build of `target`.
    /// Refuses targets that would destroy the site's sources when swapped.
    pub fn new(target: &Path, root: &Path) -> Result<Staging, Error> {
        check_target(target, root)?;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let tmp = parent.join(format!(".{}.candor-new-{}", file_name(target), std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            tmp,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            committed: false,
        })
    }

    /// Writes one output file at `rel` (a `/`-separated path). Safe to call
    /// from many threads at once.
    pub fn write(&self, rel: &str, data: &[u8]) -> Result<(), Error> {
        let path = self.tmp.join(rel);
        let open = || fs::OpenOptions::new().write(true).create_new(true).open(&path);
        // Most folders exist by the time their second file is written, so
        // create folders only when the file cannot be created without them.
        let file = match open() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                }
                open()
            }
            other => other,
        };
        let mut file = file.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Usage(format!("two outputs want the same file {rel}: rename the file in static/ that collides with a generated one"))
            } else {
                Error::io(&path, e)
            }
        })?;
        file.write_all(data).map_err(|e| Error::io(&path, e))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Copies a folder (the site's `static/`) into the output as it is.
    pub fn copy_tree(&self, from: &Path, rel: &str) -> Result<(), Error> {
        let mut names: Vec<_> = fs::read_dir(from)
            .map_err(|e| Error::io(from, e))?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()
            .map_err(|e| Error::io(from, e))?;
        names.sort();
        for name in names {
            let path = from.join(&name);
            let child = if rel.is_empty() {
                name.to_string_lossy().into_owned()
            } else {
                format!("{rel}/{}", name.to_string_lossy())
            };
            if path.is_dir() {
                self.copy_tree(&path, &child)?;
            } else {
                let data = fs::read(&path).map_err(|e| Error::io(&path, e))?;
                self.write(&child, &data)?;
            }
        }
        Ok(())
    }

    pub fn written(&self) -> Written {
        Written { files: self.files.load(Ordering::Relaxed), bytes: self.bytes.load(Ordering::Relaxed) }
    }

    /// Swaps the new output into place: old -> aside, new -> target, old
    /// removed. If the second rename fails the old output is put back.
    pub fn commit(mut self) -> Result<Written, Error> {
        let parent = self.tmp.parent().unwrap_or(Path::new(".")).to_path_buf();
        let old = parent.join(format!(".{}.candor-old-{}", file_name(&self.target), std::process::id()));
        let had_old = self.target.exists();
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
            }
            fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.tmp, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        self.committed = true;
        if had_old {
            // The new site is live; failing to delete the old copy is not fatal.
            remove_tree(&old);
        }
        Ok(self.written())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Deletes a folder, its files in parallel (a large old site has tens of
/// thousands), then the folders. Best effort.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    let mut i = 0;
    while i < dirs.len() {
        if let Ok(entries) = fs::read_dir(&dirs[i]) {
            for entry in entries.flatten() {
                match entry.file_type() {
                    Ok(t) if t.is_dir() => dirs.push(entry.path()),
                    _ => files.push(entry.path()),
                }
            }
        }
        i += 1;
    }
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    let _ = fs::remove_dir_all(dir);
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into())
}

/// The output is replaced wholesale, so it must not be, or hold, the sources.
fn check_target(target: &Path, root: &Path) -> Result<(), Error> {
    if target.file_name().is_none() {
        return Err(Error::Usage(format!("--output {} names no folder: give a folder such as site", target.display())));
    }
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (target_abs, root_abs) = (abs(target), abs(root));
    if root_abs.starts_with(&target_abs) {
        return Err(Error::Usage(format!(
            "--output {} is the site folder or holds it, and the output folder is replaced on every build: choose a folder of its own, such as site",
            target.display()
        )));
    }
    for source in ["status.toml", "content", ".git"] {
        if target.join(source).exists() {
            return Err(Error::Usage(format!(
                "--output {} holds {source}, so it is not a build output; candor replaces its output folder on every build: choose another",
                target.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_staging_leaves_the_old_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("index.html"), "old").unwrap();
        {
            let s = Staging::new(&target, dir.path().join("src").as_path()).unwrap();
            s.write("index.html", b"new").unwrap();
        }
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "staging removed");
    }

    #[test]
    fn commit_swaps_and_removes_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("stale.html"), "old").unwrap();
        let s = Staging::new(&target, &dir.path().join("src")).unwrap();
        s.write("a/b/index.html", b"new").unwrap();
        let written = s.commit().unwrap();
        assert_eq!(written.files, 1);
        assert_eq!(fs::read_to_string(target.join("a/b/index.html")).unwrap(), "new");
        assert!(!target.join("stale.html").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn writing_a_path_twice_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let s = Staging::new(&dir.path().join("site"), &dir.path().join("src")).unwrap();
        s.write("x.html", b"1").unwrap();
        assert!(s.write("x.html", b"2").is_err());
    }

    #[test]
    fn refuses_to_replace_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("mysite");
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(Staging::new(&root, &root).is_err(), "the root itself");
        assert!(Staging::new(dir.path(), &root).is_err(), "a parent of the root");
        assert!(Staging::new(&root.join("site"), &root).is_ok());
        let other = dir.path().join("other");
        fs::create_dir_all(other.join(".git")).unwrap();
        assert!(Staging::new(&other, &root).is_err(), "a git checkout");
    }
}
