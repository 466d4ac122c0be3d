//! One built site, held in memory by the preview server: the validated
//! site, its compiled theme and the data its pages share. Nothing is
//! written to disk. A page is rendered the first time it is asked for and
//! kept; a channel (feeds, API, social posts, ...) renders all its files
//! the first time one of them is asked for. So a rebuild after an edit
//! costs loading and preparing, and only the outputs someone looks at are
//! rendered again: the rest of a 10k-incident site is never touched.
//!
//! The bytes are those `candor build` writes (tests compare them); the
//! live-reload script is added on the way out, by [`super::live`].

use crate::build::Prepared;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::model::Site;
use crate::render::html::Job;
use crate::render::CHANNELS;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A file's bytes, shared between the cache and the responses.
pub type Bytes = Arc<Vec<u8>>;

pub struct Snapshot {
    /// The site, checked, its theme, and what was derived from it: made by
    /// the same orchestrator as `candor build` ([`crate::build::prepare`]).
    prepared: Prepared,
    jobs: Vec<Job>,
    /// Output path of every page, to its job.
    by_path: HashMap<String, usize>,
    pages: Vec<OnceLock<Result<Bytes, String>>>,
    channels: Vec<OnceLock<HashMap<String, Bytes>>>,
    statics: PathBuf,
}

/// What a path names in a snapshot.
pub enum Found {
    File(Bytes),
    /// A folder asked for without its trailing slash: redirect so its
    /// relative links resolve.
    Folder,
    Missing,
}

impl Snapshot {
    /// Prepares `site` for serving. With `smoke`, one page of every kind
    /// is rendered now, so a broken template is found at once and the last
    /// good site stays up; that is worth its cost (the history page of a
    /// 10k-incident site takes a third of a second) only when the theme
    /// changed, since content cannot break a template that rendered it.
    pub fn new(prepared: Prepared, root: &Path, smoke: bool) -> Result<Snapshot, Error> {
        let pages = prepared.page_renderer();
        let jobs = pages.jobs();
        let by_path = jobs.iter().enumerate().map(|(i, job)| (pages.path(*job), i)).collect();
        let snapshot = Snapshot {
            pages: jobs.iter().map(|_| OnceLock::new()).collect(),
            channels: CHANNELS.iter().map(|_| OnceLock::new()).collect(),
            statics: root.join("static"),
            jobs,
            by_path,
            prepared,
        };
        let mut seen = Vec::new();
        for (i, job) in snapshot.jobs.iter().enumerate().filter(|_| smoke) {
            let kind = std::mem::discriminant(job);
            if !seen.contains(&kind) {
                seen.push(kind);
                snapshot.page(i).map_err(Error::Template)?;
            }
        }
        Ok(snapshot)
    }

    pub fn site(&self) -> &Site {
        self.prepared.site()
    }

    /// Warnings of the load that made it.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.prepared.checked.warnings
    }

    /// How many pages (not counting the stylesheet and the script) the site has.
    pub fn page_count(&self) -> usize {
        self.jobs.iter().filter(|j| j.is_page()).count()
    }

    fn page(&self, index: usize) -> Result<Bytes, String> {
        self.pages[index]
            .get_or_init(|| {
                let pages = self.prepared.page_renderer();
                pages.render(self.jobs[index]).map(|s| Arc::new(s.into_bytes())).map_err(|e| e.to_string())
            })
            .clone()
    }

    fn channel(&self, index: usize) -> &HashMap<String, Bytes> {
        self.channels[index].get_or_init(|| {
            // Rendering into memory cannot fail: only writing can.
            let files =
                crate::render::collect(self.site(), &self.prepared.derived, CHANNELS[index].1).unwrap_or_default();
            files.into_iter().map(|f| (f.path, Arc::new(f.bytes))).collect()
        })
    }

    /// The file at `rel` (a `/`-separated path, already checked by
    /// [`super::path::relative_path`]); `""` is the front page. Generated
    /// files come first, then `static/`. A render error is the error text.
    pub fn find(&self, rel: &str) -> Result<Found, String> {
        if rel.is_empty() {
            return self.find("index.html");
        }
        if let Some(bytes) = self.generated(rel)? {
            return Ok(Found::File(bytes));
        }
        if let Some(file) = super::path::file_under(&self.statics, Path::new(rel)) {
            let is_index = file.file_name().is_some_and(|n| n == "index.html");
            if is_index && !file.ends_with(Path::new(rel)) {
                return Ok(Found::Folder);
            }
            return std::fs::read(&file).map(|b| Found::File(Arc::new(b))).map_err(|e| e.to_string());
        }
        let index = format!("{rel}/index.html");
        if self.by_path.contains_key(&index) || self.statics.join(&index).is_file() {
            return Ok(Found::Folder);
        }
        Ok(Found::Missing)
    }

    /// A generated file: a page, or a channel's file (the channel most
    /// likely to hold the path is rendered first).
    fn generated(&self, rel: &str) -> Result<Option<Bytes>, String> {
        if let Some(&index) = self.by_path.get(rel) {
            return self.page(index).map(Some);
        }
        let likely = likely_channel(rel);
        let order = likely.into_iter().chain((0..CHANNELS.len()).filter(|i| Some(*i) != likely));
        for index in order {
            if let Some(bytes) = self.channel(index).get(rel) {
                return Ok(Some(bytes.clone()));
            }
        }
        Ok(None)
    }

    /// The site's own 404 page.
    pub fn not_found(&self) -> Result<Bytes, String> {
        let index = self.jobs.iter().position(|j| *j == Job::NotFound).expect("every site has a 404 page");
        self.page(index)
    }
}

/// Which channel (index into [`CHANNELS`]) most likely made `rel`, by the
/// names the channels write; a guess only saves rendering the others.
fn likely_channel(rel: &str) -> Option<usize> {
    let name = if rel.starts_with("api/candor/") {
        "audit"
    } else if rel.starts_with("api/") {
        "api"
    } else if rel.starts_with("social/") {
        "social"
    } else if rel.starts_with("badges/") {
        "badges"
    } else if rel.ends_with(".ics") {
        "calendar"
    } else if rel == "sitemap.xml" || rel == "robots.txt" {
        "sitemap"
    } else if rel.ends_with(".atom") || rel.ends_with(".rss") {
        "feeds"
    } else {
        return None;
    };
    CHANNELS.iter().position(|(n, _)| *n == name)
}
