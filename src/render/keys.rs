//! What a file rendered from the site depends on, as one number, so that a
//! build can take a file from the previous build instead of rendering it
//! again ([`crate::output::reuse`]) and still write what a full build
//! would, byte for byte.
//!
//! A key hashes everything its file is a function of: this Candor binary,
//! the theme (for pages), the whole configuration, the item itself as
//! published at the clock, and the clock itself unless the item is settled
//! ([`Site::incident_settled`]): a settled item's file does not change with
//! the clock alone. Pages that read many items or the site's status (lists,
//! service and region pages, the archive), the site's own pages and
//! incidents with credits (their figures read every incident's uptime) are
//! keyed by their whole template context instead
//! ([`Keys::page_context`]): the context is made every build, the page
//! rendered only when it changed. Site feeds, the API and posts have no
//! key and are rendered every build, and so is the front page, which holds
//! the site's version. `tests/incremental.rs`
//! checks, after random edits, that a build reusing files equals a full
//! build.
//!
//! Keys also name what is kept between builds short of a file: the texts
//! of an incident's social posts ([`Keys::incident_posts`],
//! [`super::social::memory`]), from which the posts files are assembled
//! every build.

use crate::model::{Incident, Maintenance, Site};
use crate::render::social::memory::Memory as PostsMemory;
use crate::time::Instant;
use std::hash::{BuildHasher, Hash, Hasher};

/// The hash every key uses: fixed-seeded, so equal inputs give equal keys
/// in every process.
pub fn hash(value: impl Hash) -> u64 {
    SEED.hash_one(value)
}

const SEED: foldhash::quality::FixedState = foldhash::quality::FixedState::with_seed(0x6361_6e64_6f72);

/// This binary: the sources it was built from (`CANDOR_SOURCES`, see
/// build.rs), its size and modification time, so that another build of
/// Candor (which may render differently) reuses nothing. `None` when the
/// system does not say, and then nothing is reused.
pub fn binary() -> Option<u64> {
    static BINARY: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    *BINARY.get_or_init(|| {
        let meta = std::env::current_exe().ok()?.metadata().ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(hash((env!("CARGO_PKG_VERSION"), env!("CANDOR_SOURCES"), meta.len(), modified.as_nanos())))
    })
}

/// The keys of one build's files.
pub struct Keys {
    /// What every page reads besides its item: this binary, the theme, the
    /// configuration and the site's own pages (the navigation). `None`:
    /// nothing is reused.
    pages: Option<u64>,
    /// What every per-incident feed, and every incident's social posts,
    /// read besides the incident: this binary and the configuration.
    feeds: Option<u64>,
    /// The texts of social posts, by [`Keys::incident_posts`], remembered
    /// from earlier builds.
    pub posts: std::sync::Arc<PostsMemory>,
}

impl Keys {
    /// `theme` is [`super::templates::load_with_fingerprint`]'s.
    pub fn new(site: &Site, theme: u64, posts: std::sync::Arc<PostsMemory>) -> Keys {
        let config = format!("{:?}", site.config);
        let nav: Vec<(&str, &str)> = site.pages.iter().map(|p| (p.id.as_str(), p.title.as_str())).collect();
        let binary = binary();
        Keys {
            pages: binary.map(|b| hash(("pages", b, theme, &config, nav))),
            feeds: binary.map(|b| hash(("feeds", b, &config))),
            posts,
        }
    }

    /// Keys nothing: every file is rendered.
    pub fn none() -> Keys {
        Keys { pages: None, feeds: None, posts: Default::default() }
    }

    /// An incident's page; none with credits.
    pub fn incident_page(&self, site: &Site, incident: &Incident) -> Option<u64> {
        let clock = (!site.incident_settled(incident)).then_some(site.now);
        let seed = self.pages.filter(|_| incident.credits.is_empty())?;
        Some(hash((seed, "incident", incident, clock)))
    }

    /// A maintenance's page.
    pub fn maintenance_page(&self, site: &Site, maintenance: &Maintenance) -> Option<u64> {
        let clock = (!site.maintenance_settled(maintenance)).then_some(site.now);
        Some(hash((self.pages?, "maintenance", maintenance, clock)))
    }

    /// An incident's own feed; none for an incident with nothing to list
    /// (its feed's time is then the site's last change).
    pub fn incident_feed(&self, site: &Site, incident: &Incident) -> Option<u64> {
        if incident.updates.is_empty() && incident.postmortem.is_none() {
            return None;
        }
        let clock = (!site.incident_settled(incident)).then_some(site.now);
        Some(hash((self.feeds?, "incident feed", incident, clock)))
    }

    /// A page without a key of its own (every list and summary, the
    /// site's own pages, incidents with credits): everything it is
    /// rendered from, that is its path, template and whole context, and
    /// what goes into its `<head>` after rendering. Its context is made
    /// every build, its template rendered only when that changed. (The
    /// front page holds the site's version, and the output keeps no file
    /// that does, so it is rendered every build all the same.)
    pub fn page_context(
        &self,
        path: &str,
        template: &str,
        meta: Option<&str>,
        context: &serde_json::Value,
    ) -> Option<u64> {
        let seed = self.pages?;
        let mut hasher = Hashing(SEED.build_hasher());
        serde_json::to_writer(&mut hasher, context).ok()?;
        Some(hash((seed, "page", path, template, meta, hasher.0.finish())))
    }

    /// The texts of an incident's social posts: the incident, the
    /// configuration and `since`, the first instant posted
    /// ([`crate::render::social::posted_since`]); the clock only through
    /// the incident as published at it.
    pub fn incident_posts(&self, incident: &Incident, since: Instant) -> Option<u64> {
        Some(hash((self.feeds?, "incident posts", incident, since)))
    }
}

/// Feeds what is written to it to a hasher.
struct Hashing<H>(H);

impl<H: Hasher> std::io::Write for Hashing<H> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
