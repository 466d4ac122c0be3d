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

use super::plan::Plan;
use crate::error::Error;
use crate::output::manifest::{self, Manifest};
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

    /// The version `current` points at; `None` before the first publish.
    pub fn current(&self) -> Result<Option<String>, Error> {
        let link = self.current_link();
        match fs::read_link(&link) {
            Ok(target) => Ok(target.file_name().map(|n| n.to_string_lossy().into_owned())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&link, e)),
        }
    }

    /// The manifest of a release.
    pub fn manifest(&self, version: &str) -> Result<Manifest, Error> {
        Manifest::read(&self.release(version))
    }

    /// The releases on the replica, by version.
    pub fn releases(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(self.root.join("releases")) else { return Vec::new() };
        let mut out: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        out.sort();
        out
    }

    /// Versions in the order they were published, each once (its last time).
    pub fn published_order(&self) -> Vec<String> {
        let text = fs::read_to_string(self.root.join("history")).unwrap_or_default();
        let mut order: Vec<String> = Vec::new();
        for version in text.lines().filter_map(|l| l.strip_prefix("publish ")) {
            order.retain(|v| v != version);
            order.push(version.to_owned());
        }
        order
    }

    /// Writes the build in `local` (whose manifest is `next`) as a new
    /// release, reads every file back, and makes it current. Returns the
    /// plan that was carried out.
    pub fn publish(&self, local: &Path, next: &Manifest) -> Result<Plan, Error> {
        let previous = self.current()?;
        let previous_manifest = previous.as_deref().and_then(|v| self.manifest(v).ok());
        let plan = Plan::new(previous_manifest.as_ref(), next);
        let releases = self.root.join("releases");
        fs::create_dir_all(&releases).map_err(|e| Error::io(&releases, e))?;
        let dest = self.release(&next.version);
        if dest.is_dir() && verify(&dest, next).is_ok_and(|problems| problems.is_empty()) {
            // Published before (and rolled back since): whole as it was.
            self.switch(&next.version, "publish")?;
            return Ok(plan);
        }
        let incoming = releases.join(format!(".incoming-{}-{}", next.version, std::process::id()));
        let result = self.write_release(local, next, previous.as_deref(), &incoming).and_then(|()| {
            if dest.exists() {
                fs::remove_dir_all(&dest).map_err(|e| Error::io(&dest, e))?;
            }
            fs::rename(&incoming, &dest).map_err(|e| Error::io(&dest, e))
        });
        if let Err(e) = result {
            let _ = fs::remove_dir_all(&incoming);
            return Err(e);
        }
        self.switch(&next.version, "publish")?;
        self.prune();
        Ok(plan)
    }

    fn write_release(&self, local: &Path, next: &Manifest, previous: Option<&str>, into: &Path) -> Result<(), Error> {
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
            let linked = unchanged
                && previous.is_some_and(|v| fs::hard_link(self.release(v).join(&file.path), &to).is_ok());
            if !linked {
                let from = local.join(&file.path);
                fs::copy(&from, &to).map_err(|e| Error::io(&to, e))?;
            }
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
        if self.current()?.as_deref() != Some(version) || !link.join(manifest::FILE).is_file() {
            return Err(Error::Publish(format!("{} does not lead to release {version} after switching it", link.display())));
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
        let order = self.published_order();
        let keep: Vec<&String> = order.iter().rev().take(KEEP).chain(current.as_ref()).collect();
        for version in self.releases() {
            if !keep.contains(&&version) {
                let _ = fs::remove_dir_all(self.release(&version));
            }
        }
    }
}

/// Re-hashes every file a manifest lists under `dir`, and looks for files
/// it does not list: one line per problem, none when the folder is whole.
pub fn verify(dir: &Path, manifest: &Manifest) -> Result<Vec<String>, Error> {
    use rayon::prelude::*;
    let mut problems: Vec<String> = manifest
        .files
        .par_iter()
        .filter_map(|f| match manifest::hash_file(&dir.join(&f.path)) {
            Ok((size, sha)) if size == f.size && sha == f.sha256 => None,
            Ok(_) => Some(format!("{} differs from its manifest entry", f.path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(format!("{} is missing", f.path)),
            Err(e) => Some(format!("{}: {e}", f.path)),
        })
        .collect();
    let mut found = Vec::new();
    walk(dir, "", &mut found).map_err(|e| Error::io(dir, e))?;
    for path in found {
        if path != manifest::FILE && manifest.get(&path).is_none() {
            problems.push(format!("{path} is not in the manifest"));
        }
    }
    problems.sort();
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
