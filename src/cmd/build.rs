//! `candor build` and `candor check`: load, validate, render, swap.

use crate::content::{self, Loaded};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::output::{Staging, Written};
use crate::render::{
    html::{PageData, Prepared},
    templates, Kind, OutputFile, Sink, CHANNELS,
};
use crate::time::Instant;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub now: Instant,
    /// Warnings fail the build too.
    pub strict: bool,
    /// Replace an output folder Candor did not write.
    pub force: bool,
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

/// A site that loaded, validated and linted without failing.
pub struct Checked {
    /// The site as published at the clock ([`crate::model::Site::published`]).
    pub site: crate::model::Site,
    pub warnings: Vec<Diagnostic>,
    /// Content files read.
    pub files: usize,
    /// Incidents validated, those not published yet included.
    pub incidents: usize,
}

/// Loads, validates and lints (re-reading only what changed since the
/// last load with `cache`); an error if anything (or, when strict, any
/// warning) is wrong. Everything is checked; what is returned is what is
/// published at `now`, so every output leaves out the same things.
pub fn load_checked(
    root: &std::path::Path,
    now: Instant,
    strict: bool,
    cache: &mut content::LoadCache,
) -> Result<Checked, Error> {
    let Loaded { site, mut diagnostics, files, places } = content::load_with(root, now, cache)?;
    if let Some(site) = &site {
        crate::lint::run(site, &places, now).into_iter().for_each(|d| diagnostics.add(d));
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

pub fn check(root: &std::path::Path, now: Instant, strict: bool) -> Result<CheckReport, Error> {
    let Checked { files, incidents, warnings, .. } =
        load_checked(root, now, strict, &mut content::LoadCache::disabled())?;
    // The theme as `build` compiles it, so a broken template fails here too.
    templates::load(root)?;
    Ok(CheckReport { files, incidents, warnings })
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let started = std::time::Instant::now();
    let steps = Steps::default();
    let Checked { site, warnings, .. } = steps.time("load and validate", || {
        let mut cache = content::LoadCache::disabled().with_progress(opts.progress.clone());
        load_checked(&opts.root, opts.now, opts.strict, &mut cache)
    })?;
    let tera = steps.time("compile templates", || templates::load(&opts.root))?;
    let staging = Staging::new(&opts.output, &opts.root, opts.force)?;
    let statics = opts.root.join("static");
    if statics.is_dir() {
        steps.time("copy static/", || staging.copy_tree(&opts.root, &statics, ""))?;
    }
    // Pages and the other channels render side by side, from data derived
    // once. Each channel renders, writes and drops its files, so they are
    // never all in memory at once.
    let feeds = AtomicUsize::new(0);
    let data = steps.time("prepare pages", || PageData::new(&site));
    opts.progress.stage("render pages, feeds and API", CHANNELS.len());
    let sink = ToStaging { staging: &staging, feeds: &feeds };
    let (pages, channels) = rayon::join(
        || {
            let prepared = Prepared::new(&site, &tera, &data);
            steps.time("render and write pages", || prepared.write_pages(&staging, &opts.progress))
        },
        || {
            CHANNELS.par_iter().try_for_each(|(name, render)| {
                steps.time(name, || render(&site, data.derived(), &sink))?;
                opts.progress.tick();
                Ok::<(), Error>(())
            })
        },
    );
    let pages = pages?;
    channels?;
    let manifest = steps.time("manifest and version", || staging.stamp(opts.now))?;
    let written = steps.time("swap into place", || staging.commit())?;
    let quiet = crate::lint::older::quiet(&site, warnings);
    if std::env::var_os("CANDOR_TIMINGS").is_some() {
        steps.print();
    }
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

/// Wall time per named step, and the process's peak memory when it ended,
/// printed with `CANDOR_TIMINGS=1` (steps that run in parallel overlap).
#[derive(Default)]
struct Steps(Mutex<Vec<(String, Duration, Option<u64>)>>);

impl Steps {
    fn time<T>(&self, name: &str, step: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = step();
        let peak = peak_memory_kib();
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push((name.to_owned(), start.elapsed(), peak));
        out
    }

    fn print(&self) {
        for (name, took, peak) in self.0.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            let peak = peak.map(|kib| format!("  (peak {} MiB so far)", kib / 1024)).unwrap_or_default();
            eprintln!("{:>8.3} s  {name}{peak}", took.as_secs_f64());
        }
    }
}

/// The process's peak resident memory, where the system tells it (Linux).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The build's sink: each channel's file is written as soon as it is
/// rendered, and feeds are counted for the summary line.
struct ToStaging<'a> {
    staging: &'a Staging,
    feeds: &'a AtomicUsize,
}

impl Sink for ToStaging<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        if file.kind == Kind::Feed {
            self.feeds.fetch_add(1, Ordering::Relaxed);
        }
        self.staging.write(&file.path, &file.bytes)
    }
}
