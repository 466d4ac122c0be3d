//! What `candor build` keeps between processes, in the site's `.candor/`
//! folder beside its lock: each content file's parse result
//! (`parsed.bin`, kept by [`crate::content::cache`] in a format of its
//! own), each incident's wording lints (`lints.json`) and the texts of its
//! social posts (`posts.json`), the costliest things a build redoes for
//! content that did not change. Each is a copy of what computing it again
//! gives, kept under what it was computed from (a fingerprint or a key),
//! and written by one Candor binary for the same one, with a checksum of
//! what it holds: another binary, a damaged or hand-edited file, or a site
//! folder Candor cannot write to costs time, never a different output.
//! Read and written while the build holds the site's build lock.

use super::Cache;
use crate::edit::lock::STATE_FOLDER;
use crate::lint::memory::{Memory as Lints, Saved as SavedLints};
use crate::render::keys::{binary, hash};
use crate::render::social::memory::{Memory as Posts, Saved as SavedPosts};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

const LINTS: &str = "lints.json";
const POSTS: &str = "posts.json";

/// One kept file: the binary that wrote it, a checksum of what it holds
/// (the JSON text of `kept`), and that.
#[derive(Serialize, Deserialize)]
struct Kept<'a> {
    candor: u64,
    check: u64,
    #[serde(borrow)]
    kept: &'a RawValue,
}

impl Cache {
    /// A cache for builds of the site at `root` that starts from what the
    /// last build there kept ([`Cache::read_kept`]) and keeps what this one
    /// parsed, linted and posted.
    pub fn kept_in(root: &Path) -> Cache {
        let state = root.join(STATE_FOLDER);
        let load = crate::content::LoadCache::kept_in(&state);
        let cache = Cache { load, lints: Lints::new(), posts: Arc::new(Posts::new()), ..Cache::disabled() };
        Cache { kept: Some(state), ..cache }
    }

    /// Takes what the last build kept, for a cache made by
    /// [`Cache::kept_in`] (others keep nothing).
    pub fn read_kept(&mut self) {
        let Some(dir) = &self.kept else { return };
        self.load.read_kept();
        if let Some(saved) = read::<SavedLints>(&dir.join(LINTS)) {
            self.lints = Lints::from_saved(saved);
        }
        if let Some(saved) = read::<SavedPosts>(&dir.join(POSTS)) {
            self.posts = Arc::new(Posts::from_saved(saved));
        }
    }

    /// Keeps the lints and posts of this build for the next one, each only
    /// when this build changed it (else the file holds it already). Best
    /// effort: a file that cannot be written is left as it was.
    pub fn write_kept(&self) {
        let Some(dir) = &self.kept else { return };
        if std::fs::create_dir_all(dir).is_ok() {
            if self.lints.changed() {
                write(dir, LINTS, self.lints.saved());
            }
            if self.posts.changed() {
                write(dir, POSTS, self.posts.saved());
            }
        }
    }
}

fn read<T: DeserializeOwned>(path: &Path) -> Option<T> {
    let candor = binary()?;
    let text = std::fs::read_to_string(path).ok()?;
    let kept: Kept = serde_json::from_str(&text).ok()?;
    if kept.candor != candor || kept.check != hash(kept.kept.get()) {
        return None;
    }
    serde_json::from_str(kept.kept.get()).ok()
}

/// Writes `value` into a new file in `dir` and renames it to `name`, so a
/// reader never meets half a file.
fn write<T: Serialize>(dir: &Path, name: &str, value: T) {
    let Some(candor) = binary() else { return };
    let Ok(kept) = serde_json::value::to_raw_value(&value) else { return };
    let Ok(text) = serde_json::to_vec(&Kept { candor, check: hash(kept.get()), kept: &kept }) else { return };
    let Ok(mut file) = tempfile::NamedTempFile::with_prefix_in(format!(".{name}."), dir) else { return };
    if file.write_all(&text).is_ok() {
        // Dropped unpersisted on failure, which deletes it.
        let _ = file.persist(dir.join(name));
    }
}
