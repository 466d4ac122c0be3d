//! `candor build` and `candor check`: the orchestrator's steps
//! ([`crate::build`]) into a staging folder, swapped into place.

use crate::build::{self, load_checked, Checked, Steps};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::output::{Staging, Written};
use crate::render::{templates, Kind, OutputFile, Sink};
use crate::time::Instant;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub now: Instant,
    /// Warnings fail the build too.
    pub strict: bool,
    /// Replace an output folder Candor did not write.
    pub force: bool,
    /// Render every file: take none from the build already in `output`
    /// ([`crate::output::reuse`]).
    pub full: bool,
    /// Counted as the build goes, for a progress line.
    pub progress: std::sync::Arc<crate::progress::Progress>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub incidents: usize,
    pub maintenance: usize,
    pub pages: usize,
    pub feeds: usize,
    pub written: Written,
    /// The site's version ([`crate::output::manifest`]).
    pub version: String,
    pub elapsed: Duration,
    /// Warnings shown in full: those about what is current.
    pub warnings: Vec<Diagnostic>,
    /// The others, counted by code ([`crate::lint::older`]).
    pub older_warnings: Vec<(Option<&'static str>, usize)>,
}

/// What `check` found in content that has no errors.
#[derive(Debug)]
pub struct CheckReport {
    pub files: usize,
    pub incidents: usize,
    pub warnings: Vec<Diagnostic>,
}

pub fn check(root: &std::path::Path, now: Instant, strict: bool) -> Result<CheckReport, Error> {
    let Checked { files, incidents, warnings, .. } = load_checked(root, now, strict, &mut build::Cache::disabled())?;
    // The theme as `build` compiles it, so a broken template fails here too.
    templates::load(root)?;
    Ok(CheckReport { files, incidents, warnings })
}

/// One build. Unless `--full`, it starts from what the last build of the
/// site kept in its `.candor/` folder and keeps what it computed for the
/// next ([`build::Cache::kept_in`]); a full build computes everything and
/// leaves that folder as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let cache = if opts.full { build::Cache::disabled() } else { build::Cache::kept_in(&opts.root) };
    build_remembering(opts, &mut cache.with_progress(opts.progress.clone()))
}

/// [`build`] with what `cache` remembers of earlier builds in this process
/// (sources parsed and linted; see [`build::Cache`]), for a process that
/// builds again and again (`publish --every`).
pub fn build_remembering(opts: &BuildOptions, cache: &mut build::Cache) -> Result<BuildReport, Error> {
    let started = std::time::Instant::now();
    let steps = Steps::default();
    // A mistyped --output is refused before any work.
    crate::output::target::check(&opts.output, &opts.root, opts.force)?;
    let lock = crate::output::BuildLock::acquire(&opts.root)?;
    cache.read_kept();
    let prepared = build::prepare(&opts.root, opts.now, opts.strict, cache, &steps)?;
    let staging = Staging::new(&opts.output, &opts.root, opts.force, !opts.full, lock)?;
    let statics = opts.root.join("static");
    if statics.is_dir() {
        steps.time("copy static/", || staging.copy_tree(&opts.root, &statics, ""))?;
    }
    let feeds = AtomicUsize::new(0);
    let sink = ToStaging { staging: &staging, feeds: &feeds };
    let pages = build::render(&prepared, &sink, &opts.progress, &steps)?;
    steps.time("keep lints and posts", || cache.write_kept());
    let manifest = steps.time("manifest and version", || staging.stamp(opts.now))?;
    let written = steps.time("swap into place", || staging.commit())?;
    steps.print_if_asked();
    let build::Prepared { checked: Checked { site, warnings, .. }, .. } = prepared;
    let quiet = crate::lint::older::quiet(&site, warnings);
    Ok(BuildReport {
        incidents: site.incidents.len(),
        maintenance: site.maintenance.len(),
        pages,
        feeds: feeds.into_inner(),
        written,
        version: manifest.version,
        elapsed: started.elapsed(),
        warnings: quiet.shown,
        older_warnings: quiet.older,
    })
}

/// The build's sink: each channel's file is written as soon as it is
/// rendered, and feeds are counted for the summary line.
struct ToStaging<'a> {
    staging: &'a Staging,
    feeds: &'a AtomicUsize,
}

impl ToStaging<'_> {
    fn count(&self, kind: Kind) {
        if kind == Kind::Feed {
            self.feeds.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Sink for ToStaging<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.count(file.kind);
        self.staging.write(&file.path, &file.bytes)
    }

    fn reuse(&self, path: &str, key: u64, kind: Kind) -> Result<bool, Error> {
        let reused = self.staging.reuse(path, key)?;
        if reused {
            self.count(kind);
        }
        Ok(reused)
    }

    fn put_keyed(&self, file: OutputFile, key: u64) -> Result<(), Error> {
        self.count(file.kind);
        self.staging.write_keyed(&file.path, &file.bytes, Some(key))
    }
}
