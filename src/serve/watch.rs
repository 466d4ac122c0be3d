//! Watching the site's sources: `status.toml`, `content/`, `templates/` and
//! `static/`, with notify, debounced so that an editor's save (a temporary
//! file written and renamed over the original, a backup made and removed)
//! arrives as one batch. The output folder and everything else under the
//! root are not watched, and reads are not changes (the server's own reads
//! of the sources would otherwise trigger rebuilds for ever).

use crate::error::Error;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// How long the sources must be quiet before a batch of changes is sent.
pub const DEBOUNCE: Duration = Duration::from_millis(40);

/// The folders under the root whose changes matter.
pub const FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// Whether a changed path (relative to the root) can change the site:
/// the config or a source folder's file, but not an editor's temporary,
/// backup or lock file.
pub fn matters(rel: &Path) -> bool {
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let top = rel.components().next().and_then(|c| c.as_os_str().to_str()).unwrap_or("");
    let in_sources = rel == Path::new("status.toml") || FOLDERS.contains(&top);
    in_sources && !crate::content::is_scratch(name)
}

/// The watch on one site.
pub struct Watch {
    watcher: RecommendedWatcher,
    root: PathBuf,
    /// Source folders being watched (a folder created later is added).
    watching: Vec<&'static str>,
    /// Changed paths, relative to the root, one event's worth at a time.
    events: Receiver<Vec<PathBuf>>,
}

impl Watch {
    pub fn start(root: &Path) -> Result<Watch, Error> {
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let (tx, events) = std::sync::mpsc::channel();
        let base = root.clone();
        let handler = move |result: notify::Result<notify::Event>| {
            if let Ok(event) = result {
                if !matches!(event.kind, EventKind::Access(_)) {
                    let paths =
                        event.paths.iter().filter_map(|p| p.strip_prefix(&base).ok().map(Path::to_path_buf)).collect();
                    let _ = tx.send(paths);
                }
            }
        };
        let watcher =
            notify::recommended_watcher(handler).map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
        let mut watch = Watch { watcher, root, watching: Vec::new(), events };
        watch
            .watcher
            .watch(&watch.root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", watch.root.display())))?;
        watch.add_folders();
        Ok(watch)
    }

    /// Waits for the next change that [`matters`], then for the sources to
    /// be quiet for [`DEBOUNCE`]; returns the changed paths of the batch, or
    /// `None` when the watch has ended.
    pub fn next_batch(&mut self) -> Option<Vec<PathBuf>> {
        loop {
            let mut batch: Vec<PathBuf> = self.events.recv().ok()?;
            loop {
                match self.events.recv_timeout(DEBOUNCE) {
                    Ok(more) => batch.extend(more),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            self.add_folders();
            batch.retain(|p| matters(p));
            if !batch.is_empty() {
                batch.sort();
                batch.dedup();
                return Some(batch);
            }
        }
    }

    /// Starts watching source folders that exist now and were not watched
    /// (`content/` made after the server started, say).
    pub fn add_folders(&mut self) {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if !self.watching.contains(&folder)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watching.push(folder);
            }
        }
        // A folder removed and made again needs watching again.
        let root = self.root.clone();
        self.watching.retain(|f| root.join(f).is_dir());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_matter_and_editor_scratch_files_do_not() {
        for rel in [
            "status.toml",
            "content/incidents/2026-01-05-api.md",
            "content/incidents",
            "templates/base.html",
            "static/logo.svg",
            "static/css/extra.css",
        ] {
            assert!(matters(Path::new(rel)), "{rel} should matter");
        }
        for rel in [
            "site/index.html",
            "target/debug/candor",
            "README.md",
            "status.toml~",
            "content/incidents/.2026-01-05-api.md.swp",
            "content/incidents/2026-01-05-api.md.swx",
            "content/incidents/#2026-01-05-api.md#",
            "content/incidents/.#2026-01-05-api.md",
            "content/incidents/4913",
            "content/incidents/.candor-tmp-123",
            "content/incidents/x.md.tmp",
            "templates/base.html.orig",
            ".git/index",
        ] {
            assert!(!matters(Path::new(rel)), "{rel} should not matter");
        }
    }
}
