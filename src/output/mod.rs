//! The one place files are written: into a fresh staging folder beside the
//! output, swapped into place only once everything rendered.
//!
//! A failed build removes its staging folder and leaves the published site
//! byte-for-byte as it was; a killed one leaves it too, and the next build
//! sweeps up what the killed one left ([`swap::leftovers`]). The output
//! folder exists at every moment ([`swap::exchange`]). Every file is
//! created once (`create_new`), so two outputs claiming one path is an
//! error, not a silent overwrite. Only a folder Candor wrote is ever
//! replaced ([`target::check`]).

pub mod manifest;
pub mod mime;
pub mod reuse;
pub mod swap;
pub mod target;

use crate::error::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// A build's output in progress.
pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// Every file of the site written so far, for the manifest.
    entries: Mutex<Vec<Entry>>,
    /// The files the build in `target` rendered, by key ([`reuse`]).
    previous: reuse::Previous,
    /// Files taken from it.
    reused: AtomicUsize,
    /// The permissions a file created now gets (the umask applied): a file
    /// of the previous build with others is not taken.
    fresh_mode: u32,
    /// Held until the new output is in place ([`BuildLock`]).
    _lock: BuildLock,
    committed: bool,
}

/// One written file, as hashed when written (the version blanked).
struct Entry {
    path: String,
    size: u64,
    sha256: [u8; 32],
    /// Where [`manifest::PLACEHOLDER`] is in the file, to be replaced by the version.
    marks: Vec<usize>,
    /// What it was rendered from, when it may be reused ([`reuse`]), and
    /// the file as written.
    key: Option<(u64, reuse::Stat)>,
}

/// What a build wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// Of `files`, those taken from the previous build ([`reuse`]).
    pub reused: usize,
}

impl Staging {
    /// Prepares `<parent>/.<name>.candor-new-<pid>` for a build of `target`.
    /// Refuses targets that would destroy the site's sources, or anything
    /// not written by Candor unless `force` ([`target::check`]). With
    /// `reuse`, files of the build already in `target` whose keys are
    /// unchanged are taken from it ([`Staging::reuse`]).
    pub fn new(target: &Path, root: &Path, force: bool, reuse: bool, lock: BuildLock) -> Result<Staging, Error> {
        target::check(target, root, force)?;
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let tmp = parent.join(format!(".{}.candor-new-{}", file_name(target), std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut staging = Staging {
            target: target.to_path_buf(),
            tmp,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            entries: Mutex::new(Vec::new()),
            previous: if reuse && target.join(target::MARKER).is_file() {
                reuse::Previous::read(target)
            } else {
                reuse::Previous::default()
            },
            reused: AtomicUsize::new(0),
            fresh_mode: 0,
            _lock: lock,
            committed: false,
        };
        staging.write(target::MARKER, target::MARKER_TEXT.as_bytes())?;
        let marker = staging.tmp.join(target::MARKER);
        staging.fresh_mode = mode(&fs::metadata(&marker).map_err(|e| Error::io(&marker, e))?);
        Ok(staging)
    }

    /// Writes one output file at `rel` (a `/`-separated path). Safe to call
    /// from many threads at once.
    pub fn write(&self, rel: &str, data: &[u8]) -> Result<(), Error> {
        self.write_keyed(rel, data, None)
    }

    /// Takes the file at `rel` from the build already in the target, when
    /// that build rendered it from `key` too: a hard link into the staging
    /// folder, so nothing is copied and the old output stays as it was
    /// (linked files are never written to: every file here is created
    /// once). `false` when it must be rendered: not there, another key,
    /// its size changed, or the link failed.
    pub fn reuse(&self, rel: &str, key: u64) -> Result<bool, Error> {
        // A file carrying the version changes with every version.
        let Some(kept) = self.previous.get(rel, key).filter(|_| !manifest::carries_version(rel)) else {
            return Ok(false);
        };
        let from = self.target.join(rel);
        let Ok(meta) = fs::symlink_metadata(&from) else { return Ok(false) };
        let same = meta.is_file() && meta.len() == kept.size && reuse::Stat::of(&meta) == kept.stat;
        if !same || mode(&meta) != self.fresh_mode {
            return Ok(false);
        }
        let to = self.tmp.join(rel);
        match with_folders(&to, || fs::hard_link(&from, &to))? {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(collision(rel)),
            Err(_) => return Ok(false),
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(kept.size, Ordering::Relaxed);
        self.reused.fetch_add(1, Ordering::Relaxed);
        let entry = Entry {
            path: rel.to_owned(),
            size: kept.size,
            sha256: kept.sha256,
            marks: Vec::new(),
            key: Some((key, kept.stat)),
        };
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
        Ok(true)
    }

    /// [`Staging::write`] of a file rendered from `key` (`None`: not
    /// reusable), remembered in the output's keys for the next build.
    pub fn write_keyed(&self, rel: &str, data: &[u8], key: Option<u64>) -> Result<(), Error> {
        let path = self.tmp.join(rel);
        let file = with_folders(&path, || fs::OpenOptions::new().write(true).create_new(true).open(&path))?;
        let mut file = file.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                collision(rel)
            } else {
                Error::io(&path, e)
            }
        })?;
        file.write_all(data).map_err(|e| Error::io(&path, e))?;
        let key = match key {
            Some(key) => Some((key, reuse::Stat::of(&file.metadata().map_err(|e| Error::io(&path, e))?))),
            None => None,
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        if rel != target::MARKER && rel != manifest::FILE && rel != reuse::FILE {
            let marks = if manifest::carries_version(rel) {
                memchr::memmem::find_iter(data, manifest::PLACEHOLDER.as_bytes()).collect()
            } else {
                Vec::new()
            };
            let entry =
                Entry { path: rel.to_owned(), size: data.len() as u64, sha256: manifest::sha256(data), marks, key };
            self.entries.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
        }
        Ok(())
    }

    /// Once every file is written: computes the version
    /// ([`manifest`]), puts it where the files hold [`manifest::PLACEHOLDER`],
    /// and writes `manifest.json` and the keys of the reusable files
    /// ([`reuse`]). `built` is the build's clock.
    pub fn stamp(&self, built: crate::time::Instant) -> Result<manifest::Manifest, Error> {
        use rayon::prelude::*;
        let mut entries = std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()));
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        let version = manifest::version(entries.iter().map(|e| (e.path.as_str(), e.size, &e.sha256)));
        let files = entries
            .par_iter()
            .map(|e| {
                let sha256 = if e.marks.is_empty() { e.sha256 } else { self.put_version(e, &version)? };
                Ok(manifest::FileEntry { path: e.path.clone(), size: e.size, sha256: manifest::hex(&sha256) })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let manifest = manifest::Manifest { version, built: crate::time::rfc3339(built), files };
        self.write(manifest::FILE, &manifest.to_json())?;
        let kept: Vec<(&str, reuse::Kept)> = entries
            .iter()
            .filter(|e| e.marks.is_empty())
            .filter_map(|e| {
                let (key, stat) = e.key?;
                Some((e.path.as_str(), reuse::Kept { key, size: e.size, sha256: e.sha256, stat }))
            })
            .collect();
        self.write(reuse::FILE, reuse::format(kept.iter().map(|(p, k)| (*p, k))).as_bytes())?;
        Ok(manifest)
    }

    /// Writes the version over a file's placeholders; the SHA-256 of the result.
    fn put_version(&self, entry: &Entry, version: &str) -> Result<[u8; 32], Error> {
        use std::os::unix::fs::FileExt;
        let path = self.tmp.join(&entry.path);
        let file = fs::OpenOptions::new().read(true).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
        let mut data = Vec::with_capacity(entry.size as usize);
        std::io::Read::read_to_end(&mut &file, &mut data).map_err(|e| Error::io(&path, e))?;
        for &at in &entry.marks {
            data[at..at + version.len()].copy_from_slice(version.as_bytes());
            file.write_all_at(version.as_bytes(), at as u64).map_err(|e| Error::io(&path, e))?;
        }
        Ok(manifest::sha256(&data))
    }

    /// Copies a folder of the site at `root` (its `static/`) into the
    /// output as it is: regular files only, none reached through a link
    /// out of the site ([`crate::input`]).
    pub fn copy_tree(&self, root: &Path, from: &Path, rel: &str) -> Result<(), Error> {
        crate::input::inside(root, from).map_err(|r| r.at(from))?;
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
                self.copy_tree(root, &path, &child)?;
            } else {
                let data = crate::input::read(root, &path).map_err(|r| r.at(&path))?;
                self.write(&child, &data)?;
            }
        }
        Ok(())
    }

    pub fn written(&self) -> Written {
        Written {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
        }
    }

    /// Swaps the new output into place ([`swap::exchange`]), then deletes
    /// the old output and whatever builds killed before they finished left
    /// beside it ([`swap::leftovers`]).
    pub fn commit(mut self) -> Result<Written, Error> {
        let parent = self.tmp.parent().unwrap_or(Path::new(".")).to_path_buf();
        let aside = parent.join(format!(".{}.candor-old-{}", file_name(&self.target), std::process::id()));
        if self.target.exists() {
            swap::exchange(&self.tmp, &self.target, &aside).map_err(|e| Error::io(&self.target, e))?;
        } else {
            fs::rename(&self.tmp, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        self.committed = true;
        // The new site is live; failing to delete old copies is not fatal.
        for old in swap::leftovers(&self.target, std::process::id()) {
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

/// The site's build lock, `.candor/build.lock` under the site (on its
/// `status.toml` where the site folder is read-only): a build holds it from
/// before it reads the sources until its output is in place, so two builds
/// of a site run one after the other. The later one reads the sources as
/// the earlier left them and never links files the earlier is swapping
/// away. An advisory lock, dropped by the system however the process ends.
pub struct BuildLock {
    _file: fs::File,
}

impl BuildLock {
    /// Takes the lock of the site at `root`, waiting (and saying so on
    /// standard error) while another build of the site holds it.
    pub fn acquire(root: &Path) -> Result<BuildLock, Error> {
        let (file, path) = crate::edit::lock::lock_file(root, "build.lock")?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                eprintln!("waiting for another build of this site to finish (it holds {})", path.display());
                file.lock().map_err(|e| Error::io(&path, e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        Ok(BuildLock { _file: file })
    }
}

/// Runs `create`, which makes the file at `path`, creating the folders it
/// goes in first only if it fails for want of them: most folders exist by
/// the time their second file is made. An error if a folder cannot be made.
fn with_folders<T>(path: &Path, create: impl Fn() -> std::io::Result<T>) -> Result<std::io::Result<T>, Error> {
    match create() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            Ok(create())
        }
        other => Ok(other),
    }
}

/// A file's permission bits.
fn mode(meta: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

/// Two outputs claimed the file at `rel`.
fn collision(rel: &str) -> Error {
    Error::Usage(format!(
        "two outputs want the same file {rel}: rename the file in static/ that collides with a generated one"
    ))
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
    // Deepest first, so each folder is empty when it is removed (without
    // reading it again); whatever could not be removed is tried once more.
    for folder in dirs.iter().rev() {
        let _ = fs::remove_dir(folder);
    }
    if fs::symlink_metadata(dir).is_ok() {
        let _ = fs::remove_dir_all(dir);
    }
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build lock of the site `src` in `dir`.
    fn lock(dir: &Path) -> BuildLock {
        BuildLock::acquire(&dir.join("src")).unwrap()
    }

    /// What is in `dir` (the site, `src`, holds the build lock).
    fn beside(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_dropped_staging_leaves_the_old_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("index.html"), "old").unwrap();
        {
            let s = Staging::new(&target, dir.path().join("src").as_path(), true, false, lock(dir.path())).unwrap();
            s.write("index.html", b"new").unwrap();
        }
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "old");
        assert_eq!(beside(dir.path()), ["site", "src"], "staging removed");
    }

    #[test]
    fn commit_swaps_and_removes_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("stale.html"), "old").unwrap();
        let s = Staging::new(&target, &dir.path().join("src"), true, false, lock(dir.path())).unwrap();
        s.write("a/b/index.html", b"new").unwrap();
        let written = s.commit().unwrap();
        assert_eq!(written.files, 2, "the file and the marker");
        assert!(target.join(target::MARKER).is_file());
        assert_eq!(fs::read_to_string(target.join("a/b/index.html")).unwrap(), "new");
        assert!(!target.join("stale.html").exists());
        assert_eq!(beside(dir.path()), ["site", "src"]);
    }

    /// Two builds of a site run one after the other: the second takes the
    /// lock only once the first let go of it.
    #[test]
    fn a_second_build_of_a_site_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        let first = Staging::new(&target, &dir.path().join("src"), false, true, lock(dir.path())).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let second = {
            let (target, site) = (target.clone(), dir.path().to_path_buf());
            std::thread::spawn(move || {
                let s = Staging::new(&target, &site.join("src"), false, true, lock(&site)).unwrap();
                tx.send(()).unwrap();
                s
            })
        };
        assert!(rx.recv_timeout(std::time::Duration::from_millis(300)).is_err(), "the second did not wait");
        first.write("a.html", b"1").unwrap();
        first.commit().unwrap();
        rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the second goes on once the first is done");
        second.join().unwrap().commit().unwrap();
    }

    #[test]
    fn writing_a_path_twice_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let s =
            Staging::new(&dir.path().join("site"), &dir.path().join("src"), false, false, lock(dir.path())).unwrap();
        s.write("x.html", b"1").unwrap();
        assert!(s.write("x.html", b"2").is_err());
    }
}
