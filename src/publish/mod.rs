//! `candor publish`, `verify` and `rollback`: a built output copied to
//! every replica of `status.toml`, phase by phase.
//!
//! - [`replicas`]: the `[[replicas]]` config;
//! - [`plan`]: what a publish changes on a replica;
//! - [`origin`]: what every kind of replica does;
//! - [`file`]: `file://` replicas (releases, the `current` link, read-back);
//! - [`store`]: object-store replicas (`s3://`, `az://`, `gs://`), opened by [`connect`];
//! - [`verify`]: every replica's current release against the local build;
//! - [`served`], [`https`], [`http`]: what each `public_url` serves, its
//!   certificates, and the rules `verify` judges them by;
//! - [`rollback`]: the previous (or a named) release put back;
//! - [`lock`]: one publish or rollback at a time per site;
//! - [`every`]: `publish --every`, a rebuild and a publish each interval.
//!
//! Publishing never rebuilds (but `--every` builds before each round): it takes the output folder and its
//! `manifest.json` ([`crate::output::manifest`]) as they are. Each phase is
//! finished and verified before the next starts; the first failure stops
//! the rollout there, leaving later phases untouched.

pub mod connect;
pub mod every;
pub mod file;
pub mod http;
pub mod https;
pub mod lock;
pub mod origin;
pub mod plan;
pub mod replicas;
pub mod rollback;
pub mod served;
pub mod store;
pub mod verify;

use crate::error::Error;
use crate::output::manifest::Manifest;
use file::FileReplica;
use origin::{Origin, Published};
use plan::{short, Plan};
use replicas::{Replica, Target};
use std::path::{Path, PathBuf};

/// The site, its built output, and whether to only say what would change.
pub struct Options {
    pub root: PathBuf,
    pub output: PathBuf,
    pub dry_run: bool,
    /// Files uploaded (or copied) of the replica being published, for a
    /// progress line.
    pub progress: std::sync::Arc<crate::progress::Progress>,
}

/// The replicas of the site at `root`, by phase then as listed; an error if
/// it has none.
pub fn replicas(root: &Path) -> Result<Vec<Replica>, Error> {
    let mut replicas = crate::content::read_config(root)?.replicas;
    if replicas.is_empty() {
        return Err(Error::Usage(
            "status.toml has no [[replicas]]: add one, e.g.\n[[replicas]]\nname = \"west\"\nurl = \"file:///srv/status-west\""
                .into(),
        ));
    }
    replicas.sort_by_key(|r| r.phase);
    Ok(replicas)
}

/// The replica, opened (nothing is read yet).
pub fn open(replica: &Replica) -> Result<Box<dyn Origin>, Error> {
    match &replica.target {
        Target::File(path) => Ok(Box::new(FileReplica::new(path))),
        Target::ObjectStore { .. } => Ok(Box::new(store::StoreReplica::open(&replica.url)?)),
    }
}

/// Refuses, before anything is written, a rollout that would reach a
/// replica that cannot be opened (an object store without credentials).
fn all_reachable(replicas: &[Replica]) -> Result<Vec<Box<dyn Origin>>, Error> {
    replicas.iter().map(open).collect()
}

/// The built output's manifest.
pub fn local_manifest(output: &Path) -> Result<Manifest, Error> {
    if !output.join(crate::output::manifest::FILE).is_file() {
        return Err(Error::Usage(format!(
            "{} holds no {}: run `candor build` first (publish takes the built site as it is)",
            output.display(),
            crate::output::manifest::FILE
        )));
    }
    Manifest::read(output)
}

/// What a publish did, for `--every`'s one line per round.
#[derive(Debug)]
pub struct Outcome {
    pub version: String,
    pub replicas: usize,
    /// Replicas brought to the version (the others were at it already).
    pub updated: usize,
    /// Stopped (Ctrl-C) before a replica: what each replica serves then.
    pub stopped: Option<String>,
}

/// `candor publish`: one line per replica through `progress` as it goes,
/// holding the site's publish lock ([`lock`]).
pub fn publish(opts: &Options, progress: &mut dyn FnMut(String)) -> Result<(), Error> {
    let _lock = lock::PublishLock::acquire(&opts.root, "publish")?;
    publish_locked(opts, progress, &|| false).map(|_| ())
}

/// [`publish`], the lock held by the caller; `stop` is asked before each
/// replica (a replica's publish is atomic, so stopping between two leaves
/// each serving a whole release).
pub(crate) fn publish_locked(
    opts: &Options,
    progress: &mut dyn FnMut(String),
    stop: &dyn Fn() -> bool,
) -> Result<Outcome, Error> {
    let replicas = replicas(&opts.root)?;
    let origins = all_reachable(&replicas)?;
    let next = local_manifest(&opts.output)?;
    progress(format!(
        "publishing {} ({} files, {}, built {}) to {} replica{}",
        short(&next.version),
        next.files.len(),
        plan::human_bytes(next.bytes()),
        next.built,
        replicas.len(),
        if replicas.len() == 1 { "" } else { "s" }
    ));
    let mut rollout = Rollout::new(&replicas, "publish");
    let mut outcome = Outcome { version: next.version.clone(), replicas: replicas.len(), updated: 0, stopped: None };
    for (i, replica) in replicas.iter().enumerate() {
        if stop() {
            let left = rollout.left_at(i);
            progress(format!("stopped before {}:\n{left}", label(replica)));
            outcome.stopped = Some(left);
            return Ok(outcome);
        }
        let dir = &origins[i];
        let label = label(replica);
        let current = dir.current().ok().flatten();
        if current.as_deref() == Some(next.version.as_str()) && !opts.dry_run {
            // Already there: every file is re-hashed, and any that rotted put back.
            match dir.repair(&opts.output, &next) {
                Ok(0) => progress(format!(
                    "{label}: already at {}, nothing uploaded ({} files checked)",
                    short(&next.version),
                    next.files.len()
                )),
                Ok(n) => progress(format!(
                    "{label}: already at {}, but {n} file{} differed from the manifest and {} put back; every file checked",
                    short(&next.version),
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "was" } else { "were" }
                )),
                Err(e) => return Err(rollout.stopped(i, e, "candor publish")),
            }
            rollout.done(i, &next.version);
            continue;
        }
        if current.as_deref() == Some(next.version.as_str()) {
            progress(format!("{label}: already at {}, nothing to upload", short(&next.version)));
            continue;
        }
        if opts.dry_run {
            let previous = current.as_deref().and_then(|v| dir.manifest(v).ok());
            let plan = Plan::new(previous.as_ref(), &next);
            let from = current.as_deref().map(short).unwrap_or("nothing");
            progress(format!("{label}: would replace {from} with {}: {}", short(&next.version), plan.describe()));
            continue;
        }
        match dir.publish(&opts.output, &next, &opts.progress) {
            Ok(published) => {
                progress(match &published {
                    Published::Written(plan) => format!(
                        "{label}: now at {}: {}; every file read back and checked",
                        short(&next.version),
                        plan.describe()
                    ),
                    Published::Finished(plan) => format!(
                        "{label}: now at {}: {}, and every file a publish that did not finish had touched put right; every file read back and checked",
                        short(&next.version),
                        plan.describe()
                    ),
                    Published::Kept(_) => format!(
                        "{label}: now at {} again, from the release it kept (every file checked); nothing uploaded",
                        short(&next.version)
                    ),
                });
                rollout.done(i, &next.version);
                outcome.updated += 1;
            }
            Err(e) => return Err(rollout.stopped(i, e, "candor publish")),
        }
    }
    if opts.dry_run {
        progress("dry run: nothing was written".into());
    }
    Ok(outcome)
}

/// "west (phase 1, file:///srv/status-west)"
pub fn label(replica: &Replica) -> String {
    format!("{} (phase {}, {})", replica.name, replica.phase, replica.url)
}

/// Which replicas a rollout has updated, to say what happened when it stops.
pub(crate) struct Rollout<'a> {
    replicas: &'a [Replica],
    updated: Vec<(usize, String)>,
    verb: &'static str,
}

impl<'a> Rollout<'a> {
    pub(crate) fn new(replicas: &'a [Replica], verb: &'static str) -> Rollout<'a> {
        Rollout { replicas, updated: Vec::new(), verb }
    }

    pub(crate) fn done(&mut self, i: usize, version: &str) {
        self.updated.push((i, version.to_owned()));
    }

    /// The version the first replica done was brought to.
    pub(crate) fn first_version(&self) -> Option<&str> {
        self.updated.first().map(|(_, v)| v.as_str())
    }

    /// What every replica serves when the rollout stops before replica `i`,
    /// one line each.
    pub(crate) fn left_at(&self, i: usize) -> String {
        let mut text = String::new();
        for (j, version) in &self.updated {
            let r = &self.replicas[*j];
            text.push_str(&format!("  {} (phase {}): done, serving {}\n", r.name, r.phase, short(version)));
        }
        for r in &self.replicas[i..] {
            text.push_str(&format!("  {} (phase {}): untouched, serving {}\n", r.name, r.phase, serving(r)));
        }
        text.trim_end().to_owned()
    }

    /// The error that stops the rollout at replica `i`: what failed, which
    /// replicas are at the new release, which were left as they were, and
    /// what to run next.
    pub(crate) fn stopped(&self, i: usize, e: Error, again: &str) -> Error {
        let failed = &self.replicas[i];
        let mut text = format!(
            "{} stopped at phase {}: replica {} ({}) failed: {e}\n",
            self.verb, failed.phase, failed.name, failed.url
        );
        let current = serving;
        text.push_str(&format!("  {}: left as it was, serving {}\n", failed.name, current(failed)));
        for (j, version) in &self.updated {
            let r = &self.replicas[*j];
            text.push_str(&format!("  {} (phase {}): done, serving {}\n", r.name, r.phase, short(version)));
        }
        for r in &self.replicas[i + 1..] {
            text.push_str(&format!("  {} (phase {}): untouched, serving {}\n", r.name, r.phase, current(r)));
        }
        text.push_str(&format!(
            "next: fix the problem with {} and run `{again}` again (replicas already done change nothing)",
            failed.name
        ));
        // A plain `candor rollback` would also move the replicas not done
        // one release back: name the release the failed one still serves.
        let serving = open(failed).ok().and_then(|d| d.current().ok().flatten());
        if let (false, "publish", Some(version)) = (self.updated.is_empty(), self.verb, serving) {
            text.push_str(&format!(
                ", or `candor rollback --to {}` to put every replica back on what {} serves",
                short(&version),
                failed.name
            ));
        }
        Error::Publish(text)
    }
}

/// What a replica serves now, short; "nothing" if it cannot be read; and
/// whether a publish that did not finish may have left files of others.
fn serving(r: &Replica) -> String {
    let Ok(dir) = open(r) else { return "nothing".into() };
    let current = dir.current().ok().flatten().map(|v| short(&v).to_owned()).unwrap_or("nothing".into());
    match dir.unfinished() {
        Ok(true) => format!("{current}, with files of a publish that did not finish (`candor verify` tells which)"),
        _ => current,
    }
}
