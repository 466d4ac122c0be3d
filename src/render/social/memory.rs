//! The texts of posts remembered between builds: cutting and counting every
//! update of the `[social] days` window by each network's rules is most of
//! what the social channel costs, and an incident's texts change only when
//! the incident, the configuration, the window's start or Candor itself
//! does. Each incident's texts are kept under its key
//! ([`crate::render::keys::Keys::incident_posts`], which hashes all of
//! that); a build takes those whose key is unchanged and cuts the rest.
//! `candor build` keeps them in the site's `.candor/` folder
//! ([`crate::build::Cache`]); what is kept is only ever a copy of what the
//! cutting would give, so a lost or stale file costs time, never bytes.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;

/// One incident's posted updates, in order: for each, the texts of its
/// thread on each network, in [`super::Network::ALL`] order.
pub type Texts = Vec<[Vec<String>; 3]>;

/// Texts by key: those of earlier builds, and those this build used.
#[derive(Default)]
pub struct Memory {
    enabled: bool,
    earlier: Mutex<HashMap<u64, Texts>>,
    used: Mutex<HashMap<u64, Texts>>,
    /// Whether this build cut texts (rather than taking them all).
    cut_any: std::sync::atomic::AtomicBool,
}

/// What a memory keeps on disk: the texts a build used.
#[derive(Serialize, Deserialize, Default)]
pub struct Saved(Vec<(u64, Texts)>);

impl Memory {
    /// Remembers between builds.
    pub fn new() -> Memory {
        Memory { enabled: true, ..Memory::default() }
    }

    /// Remembers nothing: every text is cut.
    pub fn disabled() -> Memory {
        Memory::default()
    }

    /// A memory holding what a build saved, as if that build had just
    /// used it.
    pub fn from_saved(saved: Saved) -> Memory {
        Memory { enabled: true, used: Mutex::new(saved.0.into_iter().collect()), ..Memory::default() }
    }

    /// The texts the last build used, for the next one; a fresh memory
    /// starts from them.
    pub fn saved(&self) -> Saved {
        let used = lock(&self.used);
        let mut all: Vec<(u64, Texts)> = used.iter().map(|(k, t)| (*k, t.clone())).collect();
        all.sort_unstable_by_key(|(k, _)| *k);
        Saved(all)
    }

    /// Starts a new build: what the last one used is what it remembers.
    pub fn next_build(&self) {
        let used = std::mem::take(&mut *lock(&self.used));
        *lock(&self.earlier) = used;
        self.cut_any.store(false, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether this build changed what is remembered: it cut texts, or
    /// left some of the last build's unused (their incidents changed or
    /// left the window), so that [`Memory::saved`] differs from what the
    /// last build saved.
    pub fn changed(&self) -> bool {
        self.cut_any.load(std::sync::atomic::Ordering::Relaxed) || !lock(&self.earlier).is_empty()
    }

    /// The texts of `updates` posted updates under `key`: remembered, or
    /// made now by `cut` (and remembered). Without a key or memory, `cut`
    /// every time. Remembered texts of another shape (not one thread of at
    /// least one post per update and network) are cut again.
    pub fn texts(&self, key: Option<u64>, updates: usize, cut: impl FnOnce() -> Texts) -> Texts {
        let Some(key) = key.filter(|_| self.enabled) else {
            return cut();
        };
        let whole = |t: &Texts| t.len() == updates && t.iter().flatten().all(|thread| !thread.is_empty());
        let earlier = lock(&self.earlier).remove(&key);
        let known = earlier.or_else(|| lock(&self.used).get(&key).cloned()).filter(whole);
        let texts = known.unwrap_or_else(|| {
            self.cut_any.store(true, std::sync::atomic::Ordering::Relaxed);
            cut()
        });
        lock(&self.used).insert(key, texts.clone());
        texts
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
