//! A `file://` replica: a folder holding one folder per release and a
//! `current` symbolic link to the live one.
//!
//! ```text
//! /srv/status-west/
//!   current -> releases/<version>     what the web server serves
//!   releases/<version>/               a whole site, with its manifest.json
//!   history                           "publish <version>" / "rollback <version>", one a line
//! ```
//!
//! A release is written under a hidden name, read back and checked against
//! its manifest, and only then renamed into `releases/`; `current` is
//! switched by renaming a new link over it, so a reader sees the old
//! release or the new one, whole, at every moment. Files equal to the
//! previous release's are hard-linked from it (copied where links fail).

use super::origin::{whole, Origin, Problem, Published};
use super::plan::Plan;
use crate::error::Error;
use crate::output::manifest::{self, Manifest};
use crate::progress::Progress;
use std::fs;
use std::path::{Path, PathBuf};

/// How many releases a replica keeps (the current one among them).
pub const KEEP: usize = 5;

pub struct FileReplica {
    pub root: PathBuf,
}

impl FileReplica {
    pub fn new(root: &Path) -> FileReplica {
        FileReplica { root: root.to_path_buf() }
    }

    fn current_link(&self) -> PathBuf {
        self.root.join("current")
    }

    pub fn release(&self, version: &str) -> PathBuf {
        self.root.join("releases").join(version)
    }

    fn write_release(
        &self,
        local: &Path,
        next: &Manifest,
        previous: Option<&str>,
        into: &Path,
        progress: &Progress,
    ) -> Result<(), Error> {
        if into.exists() {
            fs::remove_dir_all(into).map_err(|e| Error::io(into, e))?;
        }
        fs::create_dir(into).map_err(|e| Error::io(into, e))?;
        let previous_manifest = previous.and_then(|v| self.manifest(v).ok());
        for file in &next.files {
            let to = into.join(&file.path);
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            let unchanged = previous_manifest.as_ref().and_then(|m| m.get(&file.path)).is_some_and(|old| old == file);
            let linked =
                unchanged && previous.is_some_and(|v| fs::hard_link(self.release(v).join(&file.path), &to).is_ok());
            if !linked {
                let from = local.join(&file.path);
                fs::copy(&from, &to).map_err(|e| Error::io(&to, e))?;
            }
            progress.tick();
        }
        let from = local.join(manifest::FILE);
        let to = into.join(manifest::FILE);
        fs::copy(&from, &to).map_err(|e| Error::io(&to, e))?;
        // Read every file back: what is there is what was built.
        let problems = verify(into, next)?;
        if let Some(first) = problems.first() {
            return Err(Error::Publish(format!(
                "{} files differ from the build after writing them to {}, e.g. {first}",
                problems.len(),
                into.display()
            )));
        }
        match Manifest::read(into) {
            Ok(m) if m == *next => Ok(()),
            _ => Err(Error::Publish(format!("{} does not read back as written", to.display()))),
        }
    }

    /// Points `current` at a release, atomically: a new link under a
    /// temporary name renamed over the old one. Then checks it.
    pub fn switch(&self, version: &str, why: &str) -> Result<(), Error> {
        let link = self.current_link();
        let tmp = self.root.join(format!(".current-{}", std::process::id()));
        let _ = fs::remove_file(&tmp);
        std::os::unix::fs::symlink(Path::new("releases").join(version), &tmp).map_err(|e| Error::io(&tmp, e))?;
        if let Err(e) = fs::rename(&tmp, &link) {
            let _ = fs::remove_file(&tmp);
            return Err(Error::io(&link, e));
        }
        sync(&self.root)?;
        if self.current()?.as_deref() != Some(version) || !link.join(manifest::FILE).is_file() {
            return Err(Error::Publish(format!(
                "{} does not lead to release {version} after switching it",
                link.display()
            )));
        }
        use std::io::Write;
        let history = self.root.join("history");
        let mut file =
            fs::OpenOptions::new().create(true).append(true).open(&history).map_err(|e| Error::io(&history, e))?;
        writeln!(file, "{why} {version}").map_err(|e| Error::io(&history, e))
    }

    /// Deletes releases beyond the [`KEEP`] most recently published (never
    /// the current one). Best effort: the new release is live already.
    fn prune(&self) {
        let current = self.current().ok().flatten();
        let order = self.published_order().unwrap_or_default();
        let keep: Vec<&String> = order.iter().rev().take(KEEP).chain(current.as_ref()).collect();
        for version in self.releases().unwrap_or_default() {
            if !keep.contains(&&version) {
                let _ = fs::remove_dir_all(self.release(&version));
            }
        }
    }
}

impl Origin for FileReplica {
    /// The version `current` points at; `None` before the first publish.
    fn current(&self) -> Result<Option<String>, Error> {
        let link = self.current_link();
        match fs::read_link(&link) {
            Ok(target) => Ok(target.file_name().map(|n| n.to_string_lossy().into_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&link, e)),
        }
    }

    /// The manifest of a release.
    fn manifest(&self, version: &str) -> Result<Manifest, Error> {
        Manifest::read(&self.release(version))
    }

    /// The releases on the replica, by version.
    fn releases(&self) -> Result<Vec<String>, Error> {
        let Ok(entries) = fs::read_dir(self.root.join("releases")) else { return Ok(Vec::new()) };
        let mut out: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        out.sort();
        Ok(out)
    }

    /// Versions in the order they were published, each once (its last time).
    fn published_order(&self) -> Result<Vec<String>, Error> {
        let text = fs::read_to_string(self.root.join("history")).unwrap_or_default();
        let mut order: Vec<String> = Vec::new();
        for version in text.lines().filter_map(|l| l.strip_prefix("publish ")) {
            order.retain(|v| v != version);
            order.push(version.to_owned());
        }
        Ok(order)
    }

    /// Re-hashes the current release, which holds the version of `next`,
    /// and puts back from `local` each file that differs or is missing
    /// (each replaced atomically: a temporary file renamed over it) and
    /// removes those the manifest does not list. Returns how many files
    /// were repaired; 0 when the release is whole.
    fn repair(&self, local: &Path, next: &Manifest) -> Result<usize, Error> {
        let release = self.release(&next.version);
        let problems = verify(&release, next)?;
        for p in &problems {
            let to = release.join(&p.path);
            if p.extra {
                fs::remove_file(&to).map_err(|e| Error::io(&to, e))?;
                continue;
            }
            if let Some(dir) = to.parent() {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            let tmp = to.with_file_name(format!(".repair-{}", std::process::id()));
            fs::copy(local.join(&p.path), &tmp).map_err(|e| Error::io(&tmp, e))?;
            fs::rename(&tmp, &to).map_err(|e| Error::io(&to, e))?;
        }
        if let Some(first) = verify(&release, next)?.first() {
            return Err(Error::Publish(format!(
                "{} is still not whole after repairing it: {first}",
                release.display()
            )));
        }
        Ok(problems.len())
    }

    /// Writes the build in `local` (whose manifest is `next`) as a new
    /// release, reads every file back, and makes it current.
    fn publish(&self, local: &Path, next: &Manifest, progress: &Progress) -> Result<Published, Error> {
        let previous = self.current()?;
        let previous_manifest = previous.as_deref().and_then(|v| self.manifest(v).ok());
        let plan = Plan::new(previous_manifest.as_ref(), next);
        let releases = self.root.join("releases");
        fs::create_dir_all(&releases).map_err(|e| Error::io(&releases, e))?;
        let dest = self.release(&next.version);
        if dest.is_dir() && verify(&dest, next).is_ok_and(|problems| problems.is_empty()) {
            // Published before (and rolled back since): whole as it was.
            self.switch(&next.version, "publish")?;
            return Ok(Published::Kept(plan));
        }
        let incoming = releases.join(format!(".incoming-{}-{}", next.version, std::process::id()));
        progress.stage("writing files", next.files.len());
        let result = self.write_release(local, next, previous.as_deref(), &incoming, progress).and_then(|()| {
            if dest.exists() {
                fs::remove_dir_all(&dest).map_err(|e| Error::io(&dest, e))?;
            }
            fs::rename(&incoming, &dest).map_err(|e| Error::io(&dest, e))
        });
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&incoming);
            return Err(e);
        }
        // On disk before `current` leads to it, so a power cut cannot
        // leave the live link pointing at files not yet written.
        sync(&releases)?;
        self.switch(&next.version, "publish")?;
        self.prune();
        Ok(Published::Written(plan))
    }

    fn problems(&self, manifest: &Manifest) -> Result<Vec<Problem>, Error> {
        verify(&self.release(&manifest.version), manifest)
    }

    fn restore(&self, version: &str) -> Result<(), Error> {
        let manifest = self.manifest(version)?;
        whole(version, &verify(&self.release(version), &manifest)?)?;
        self.switch(version, "rollback")
    }
}

/// Flushes the file system holding `dir` to disk (`syncfs`).
fn sync(dir: &Path) -> Result<(), Error> {
    let handle = fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is open for the duration of the call.
        if unsafe { libc::syncfs(handle.as_raw_fd()) } != 0 {
            return Err(Error::io(dir, std::io::Error::last_os_error()));
        }
    }
    #[cfg(not(target_os = "linux"))]
    handle.sync_all().map_err(|e| Error::io(dir, e))?;
    Ok(())
}

/// Re-hashes every file a manifest lists under `dir`, and looks for files
/// it does not list: the problems, none when the folder is whole.
pub fn verify(dir: &Path, manifest: &Manifest) -> Result<Vec<Problem>, Error> {
    use rayon::prelude::*;
    let problem = |path: &str, what: String, extra: bool| Problem::new(path, what, extra);
    let mut problems: Vec<Problem> = manifest
        .files
        .par_iter()
        .filter_map(|f| match manifest::hash_file(&dir.join(&f.path)) {
            Ok((size, sha)) if size == f.size && sha == f.sha256 => None,
            Ok(_) => Some(problem(&f.path, "differs from its manifest entry".into(), false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(problem(&f.path, "is missing".into(), false)),
            Err(e) => Some(problem(&f.path, format!("cannot be read: {e}"), false)),
        })
        .collect();
    let mut found = Vec::new();
    walk(dir, "", &mut found).map_err(|e| Error::io(dir, e))?;
    for path in found {
        if path != manifest::FILE && manifest.get(&path).is_none() {
            problems.push(problem(&path, "is not in the manifest".into(), true));
        }
    }
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(problems)
}

/// Every file under `dir`, as `/`-separated paths.
pub fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), &child, out)?;
        } else {
            out.push(child);
        }
    }
    Ok(())
}
