//! `candor build` and `candor check`: load, validate, render, swap.

use crate::content::{self, Loaded};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::output::{Staging, Written};
use crate::render::{html::Prepared, templates, Kind, OutputFile, CHANNELS};
use crate::time::Instant;
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Duration;

pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub now: Instant,
    /// Warnings fail the build too.
    pub strict: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub incidents: usize,
    pub maintenance: usize,
    pub pages: usize,
    pub feeds: usize,
    pub written: Written,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

/// What `check` found in content that has no errors.
#[derive(Debug)]
pub struct CheckReport {
    pub files: usize,
    pub incidents: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates; an error if anything (or, when strict, any warning) is wrong.
fn load_checked(
    root: &std::path::Path,
    now: Instant,
    strict: bool,
) -> Result<(crate::model::Site, Vec<Diagnostic>, usize), Error> {
    let Loaded { site, diagnostics, files } = content::load(root, now)?;
    let fails = diagnostics.has_errors() || (strict && diagnostics.count(Severity::Warning) > 0);
    let diagnostics = diagnostics.into_sorted();
    match site {
        Some(site) if !fails => Ok((site, diagnostics, files)),
        _ => Err(Error::Content(diagnostics)),
    }
}

pub fn check(root: &std::path::Path, now: Instant, strict: bool) -> Result<CheckReport, Error> {
    let (site, warnings, files) = load_checked(root, now, strict)?;
    Ok(CheckReport { files, incidents: site.incidents.len(), warnings })
}

pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let started = std::time::Instant::now();
    let (site, warnings, _) = load_checked(&opts.root, opts.now, opts.strict)?;
    let tera = templates::load(&opts.root)?;
    let staging = Staging::new(&opts.output, &opts.root)?;
    let statics = opts.root.join("static");
    if statics.is_dir() {
        staging.copy_tree(&statics, "")?;
    }
    let prepared = Prepared::new(&site, &tera);
    let pages = prepared.write_pages(&staging)?;
    let files: Vec<OutputFile> = CHANNELS.par_iter().flat_map_iter(|render| render(&site)).collect();
    files.par_iter().try_for_each(|f| staging.write(&f.path, &f.bytes))?;
    let feeds = files.iter().filter(|f| f.kind == Kind::Feed).count();
    let written = staging.commit()?;
    Ok(BuildReport {
        incidents: site.incidents.len(),
        maintenance: site.maintenance.len(),
        pages,
        feeds,
        written,
        elapsed: started.elapsed(),
        warnings,
    })
}
