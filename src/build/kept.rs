//! What `candor build` keeps between processes, in the site's `.candor/`
//! folder beside its lock: each incident's wording lints (`lints.json`)
//! and the texts of its social posts (`posts.json`), the two costliest
//! things a build redoes for content that did not change. Each is a copy
//! of what computing it again gives, kept under what it was computed from
//! (a fingerprint or a key), and written by one Candor binary for the same
//! one: another binary, a damaged or missing file, or a site folder Candor
//! cannot write to costs time, never a different output.

use super::Cache;
use crate::edit::lock::STATE_FOLDER;
use crate::lint::memory::{Memory as Lints, Saved as SavedLints};
use crate::render::keys::binary;
use crate::render::social::memory::{Memory as Posts, Saved as SavedPosts};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const LINTS: &str = "lints.json";
const POSTS: &str = "posts.json";

/// One kept file: the binary that wrote it, and what it holds.
#[derive(Serialize, Deserialize)]
struct Kept<T> {
    candor: u64,
    kept: T,
}

impl Cache {
    /// A cache for one build of the site at `root`: remembering lints and
    /// posts (not parsed files: one process reads each once), holding what
    /// the last build there kept.
    pub fn kept(root: &Path) -> Cache {
        let dir = root.join(STATE_FOLDER);
        let lints = read_kept::<SavedLints>(&dir.join(LINTS)).map_or_else(Lints::new, Lints::from_saved);
        let posts = read_kept::<SavedPosts>(&dir.join(POSTS)).map_or_else(Posts::new, Posts::from_saved);
        Cache { lints, posts: Arc::new(posts), ..Cache::disabled() }
    }

    /// Keeps the lints and posts of the last build for the next one.
    /// Best effort: a file that cannot be written is left as it was.
    pub fn keep(&self, root: &Path) {
        let dir = root.join(STATE_FOLDER);
        if std::fs::create_dir_all(&dir).is_ok() {
            write_kept(&dir.join(LINTS), self.lints.saved());
            write_kept(&dir.join(POSTS), self.posts.saved());
        }
    }
}

fn read_kept<T: DeserializeOwned>(path: &Path) -> Option<T> {
    let candor = binary()?;
    let bytes = std::fs::read(path).ok()?;
    let kept: Kept<T> = serde_json::from_slice(&bytes).ok()?;
    (kept.candor == candor).then_some(kept.kept)
}

/// Writes `value` beside `path` and renames it there, so a reader never
/// meets half a file.
fn write_kept<T: Serialize>(path: &Path, value: T) {
    let Some(candor) = binary() else { return };
    let Ok(bytes) = serde_json::to_vec(&Kept { candor, kept: value }) else { return };
    let mut temp = PathBuf::from(path);
    temp.set_extension(format!("json.{}.tmp", std::process::id()));
    if std::fs::write(&temp, bytes).and_then(|()| std::fs::rename(&temp, path)).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
}
