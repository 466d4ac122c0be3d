//! What publish, verify and rollback ask of a replica, whatever it is: a
//! folder ([`super::file`]) or an object store ([`super::store`]).

use super::plan::Plan;
use crate::error::Error;
use crate::output::manifest::Manifest;
use crate::progress::Progress;
use std::path::Path;

/// One replica, opened.
pub trait Origin {
    /// The version it serves; `None` before the first publish.
    fn current(&self) -> Result<Option<String>, Error>;

    /// The manifest of a release it keeps.
    fn manifest(&self, version: &str) -> Result<Manifest, Error>;

    /// The releases it keeps, by version.
    fn releases(&self) -> Result<Vec<String>, Error>;

    /// Versions in the order they were published, each once (its last time).
    fn published_order(&self) -> Result<Vec<String>, Error>;

    /// Puts the build in `local` (whose manifest is `next`) on the replica,
    /// reads every file written back, and makes it what the replica serves.
    /// `progress` counts the files written.
    fn publish(&self, local: &Path, next: &Manifest, progress: &Progress) -> Result<Published, Error>;

    /// The replica serves `next` already: puts back from `local` what is
    /// missing or differs, removes what is extra. How many files it fixed.
    fn repair(&self, local: &Path, next: &Manifest) -> Result<usize, Error>;

    /// Every file the replica serves that is not as `manifest` (the one of
    /// the release it serves) says; none when it is whole.
    fn problems(&self, manifest: &Manifest) -> Result<Vec<Problem>, Error>;

    /// Makes a release it keeps current again, after checking the release
    /// is whole; also the one it serves, after a publish or rollback that
    /// did not finish ([`Origin::unfinished`]).
    fn restore(&self, version: &str) -> Result<(), Error>;

    /// Whether a publish or rollback stopped before it finished, so files
    /// of other releases than the one it serves may be served. Never for a
    /// folder, which switches at once.
    fn unfinished(&self) -> Result<bool, Error> {
        Ok(false)
    }
}

/// What a publish did on a replica.
pub enum Published {
    /// Wrote a new release, as planned.
    Written(Plan),
    /// Made current again a release it still had, whole (published before,
    /// rolled back since): nothing uploaded.
    Kept(Plan),
    /// Wrote a new release, and put right what a publish or rollback that
    /// did not finish had left ([`Origin::unfinished`]), copying more files
    /// than the plan says.
    Finished(Plan),
}

/// A file of a release that is not as its manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    /// "differs from its manifest entry", "is missing", "is not in the manifest", or the I/O error.
    pub what: String,
    /// The manifest does not list it.
    pub extra: bool,
}

impl Problem {
    pub fn new(path: &str, what: impl Into<String>, extra: bool) -> Problem {
        Problem { path: path.to_owned(), what: what.into(), extra }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.path, self.what)
    }
}

/// "release 3f2a9c01bd7e is not whole (2 problems, e.g. ...)" when a
/// release has problems.
pub fn whole(version: &str, problems: &[Problem]) -> Result<(), Error> {
    match problems.first() {
        None => Ok(()),
        Some(first) => Err(Error::Publish(format!(
            "release {} is not whole ({} problem{}, e.g. {first}); it was not made current",
            super::plan::short(version),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        ))),
    }
}
