//! How far a long build is, for a progress line: the stage, and how many of
//! its items are done. The library only counts (atomics, no locks on the
//! hot path); the command line decides whether and how to draw it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// A new stage of `total` items, none done yet.
    pub fn stage(&self, name: &'static str, total: usize) {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner()) = name;
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// `items` more to do in this stage (for work that learns its size late).
    pub fn more(&self, items: usize) {
        self.total.fetch_add(items, Ordering::Relaxed);
    }

    /// One more item of the stage done.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// (stage, done, total) now.
    pub fn read(&self) -> (&'static str, usize, usize) {
        let stage = *self.stage.lock().unwrap_or_else(|e| e.into_inner());
        (
            stage,
            self.done.load(Ordering::Relaxed).min(self.total.load(Ordering::Relaxed)),
            self.total.load(Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_within_a_stage_and_starts_over_for_the_next() {
        let p = Progress::default();
        assert_eq!(p.read(), ("", 0, 0));
        p.stage("parse files", 3);
        p.tick();
        p.tick();
        assert_eq!(p.read(), ("parse files", 2, 3));
        p.stage("render pages", 10);
        assert_eq!(p.read(), ("render pages", 0, 10));
        (0..12).for_each(|_| p.tick());
        assert_eq!(p.read(), ("render pages", 10, 10), "never more than the total");
        p.more(5);
        assert_eq!(p.read(), ("render pages", 12, 15), "a stage can grow");
    }
}
