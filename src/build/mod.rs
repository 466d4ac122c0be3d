//! The one build orchestrator, below the commands and the preview server:
//! [`prepare`] loads, validates and lints the site, compiles its theme and
//! derives what many outputs share, once; [`render`] renders a prepared
//! site into any [`Sink`]. `candor build` renders into its staging folder
//! (and `publish` takes that folder); `candor serve` keeps a [`Prepared`]
//! and renders its pages on request through the same page renderer.

mod kept;
mod steps;

pub use steps::Steps;

use crate::content::{self, Loaded};
use crate::derive::Derived;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::model::Site;
use crate::progress::Progress;
use crate::render::html::{PageData, Pages};
use crate::render::keys::Keys;
use crate::render::{templates, Sink, CHANNELS};
use crate::time::Instant;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;
use tera::Tera;

/// A site that loaded, validated and linted without failing.
pub struct Checked {
    /// The site as published at the clock ([`crate::model::Site::published`]).
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
    /// Content files read.
    pub files: usize,
    /// Incidents validated, those not published yet included.
    pub incidents: usize,
}

/// What a long-running process (the preview server) keeps between builds
/// so that a rebuild after an edit re-reads and re-lints only what changed;
/// a one-off build keeps nothing ([`Cache::disabled`]).
pub struct Cache {
    pub load: content::LoadCache,
    pub lints: crate::lint::Memory,
    /// The texts of social posts ([`crate::render::social::memory`]).
    pub posts: Arc<crate::render::social::memory::Memory>,
    /// The site's state folder whose kept lints and posts this cache
    /// reads and writes ([`Cache::kept_in`]); `None`: it keeps nothing.
    kept: Option<std::path::PathBuf>,
}

impl Cache {
    /// Remembers between builds (what the preview server wants).
    pub fn remembering() -> Cache {
        Cache {
            load: content::LoadCache::new(),
            lints: crate::lint::Memory::new(),
            posts: Arc::new(crate::render::social::memory::Memory::new()),
            kept: None,
        }
    }

    /// Remembers nothing (what a one-off build wants).
    pub fn disabled() -> Cache {
        Cache {
            load: content::LoadCache::disabled(),
            lints: crate::lint::Memory::disabled(),
            posts: Arc::new(crate::render::social::memory::Memory::disabled()),
            kept: None,
        }
    }

    /// Counts the files parsed on `progress`.
    pub fn with_progress(self, progress: std::sync::Arc<Progress>) -> Cache {
        Cache { load: self.load.with_progress(progress), ..self }
    }
}

/// Loads, validates and lints (re-reading and re-linting only what changed
/// since the last load with `cache`); an error if anything (or, when strict, any
/// warning) is wrong. Everything is checked; what is returned is what is
/// published at `now`, so every output leaves out the same things.
pub fn load_checked(root: &Path, now: Instant, strict: bool, cache: &mut Cache) -> Result<Checked, Error> {
    let Loaded { site, mut diagnostics, files, places } = content::load_with(root, now, &mut cache.load)?;
    if let Some(site) = &site {
        crate::lint::run(site, &places, now, &mut cache.lints).into_iter().for_each(|d| diagnostics.add(d));
    }
    let fails = diagnostics.has_errors() || (strict && diagnostics.count(Severity::Warning) > 0);
    let diagnostics = diagnostics.into_sorted();
    match site {
        Some(site) if !fails => {
            let incidents = site.incidents.len();
            Ok(Checked { site: site.published(), warnings: diagnostics, files, incidents })
        }
        _ => Err(Error::Content(diagnostics)),
    }
}

/// A site ready to render: checked, its theme compiled, and what its
/// outputs share derived once (statuses, uptime timelines, the pages'
/// common data).
pub struct Prepared {
    pub checked: Checked,
    pub tera: Tera,
    pub derived: Derived,
    pub pages: PageData,
    /// What each reusable file is rendered from ([`crate::render::keys`]).
    pub keys: Keys,
}

impl Prepared {
    pub fn site(&self) -> &Site {
        &self.checked.site
    }

    /// The page renderer of this site.
    pub fn page_renderer(&self) -> Pages<'_> {
        Pages::new(&self.checked.site, &self.tera, &self.pages, &self.derived, &self.keys)
    }
}

/// Everything before rendering, each step timed in `steps`.
pub fn prepare(root: &Path, now: Instant, strict: bool, cache: &mut Cache, steps: &Steps) -> Result<Prepared, Error> {
    let checked = steps.time("load and validate", || load_checked(root, now, strict, cache))?;
    let (tera, theme) = steps.time("compile templates", || templates::load_with_fingerprint(root))?;
    // The uptime timelines take longest; the pages' data is independent.
    let (derived, pages) = steps.time("derive and prepare pages", || {
        rayon::join(|| Derived::new(&checked.site), || PageData::new(&checked.site))
    });
    cache.posts.next_build();
    let keys = Keys::new(&checked.site, theme, cache.posts.clone());
    Ok(Prepared { checked, tera, derived, pages, keys })
}

/// Renders the pages and every other channel of `prepared` into `sink`,
/// side by side; each file goes to the sink as soon as it is rendered, so
/// no channel is ever whole in memory. Returns how many pages.
pub fn render(prepared: &Prepared, sink: &dyn Sink, progress: &Progress, steps: &Steps) -> Result<usize, Error> {
    let site = prepared.site();
    progress.stage("render pages, feeds and API", CHANNELS.len());
    let (pages, channels) = rayon::join(
        || steps.time("render and write pages", || prepared.page_renderer().render_into(sink, progress)),
        || {
            CHANNELS.par_iter().try_for_each(|(name, render)| {
                steps.time(name, || render(site, &prepared.derived, &prepared.keys, sink))?;
                progress.tick();
                Ok::<(), Error>(())
            })
        },
    );
    channels?;
    pages
}
