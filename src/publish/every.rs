//! `candor publish --every 1h`: in a loop, a build at the wall clock into
//! the output folder (the same build as `candor build`, incremental, and
//! remembering the sources it parsed and linted between rounds) and a
//! publish of what changed, so "Status as of", feeds and the pages' age
//! stay fresh with nobody editing.
//!
//! Rounds never overlap: one runs at a time, in this thread. A round that
//! takes longer than the interval is followed at once by the next, with a
//! warning. A failed round (content that does not build, a replica that
//! cannot be written) is reported and the loop goes on: the replicas keep
//! serving what they served, and the next round tries again. The whole
//! loop holds the site's publish lock ([`super::lock`]).
//!
//! Stopping (Ctrl-C): between rounds at once; during a round, before the
//! next replica. Each replica's publish is atomic, so every replica then
//! serves a whole release, and the last line says which.

use super::{lock::PublishLock, plan::short, publish_locked, Options};
use crate::cmd::build::{build_remembering, BuildOptions};
use crate::error::Error;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The site, its output folder and how often to rebuild and publish.
pub struct EveryOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub interval: Duration,
}

/// How to stop the loop: `stop` is raised and a message sent on `wake`
/// (Ctrl-C's handler does both), or `wake`'s sender is dropped.
pub struct Stop {
    pub stop: Arc<AtomicBool>,
    pub wake: Receiver<()>,
}

/// Runs rounds until stopped; one line per round through `say`, failures
/// and overruns through `warn`. An error only when no round can work (no
/// replicas, one this build cannot reach, the lock held elsewhere).
pub fn every(
    opts: &EveryOptions,
    stop: &Stop,
    say: &mut dyn FnMut(String),
    warn: &mut dyn FnMut(String),
) -> Result<(), Error> {
    let replicas = super::replicas(&opts.root)?;
    super::all_reachable(&replicas)?;
    let _lock = PublishLock::acquire(&opts.root, "publish")?;
    let stopped = || stop.stop.load(Ordering::SeqCst);
    // Sources unchanged since the last round are not parsed or linted again.
    let mut cache = crate::build::Cache::remembering();
    let mut round = 0;
    while !stopped() {
        round += 1;
        let started = Instant::now();
        one_round(opts, round, &mut cache, &stopped, say, warn);
        let took = started.elapsed();
        let wait = match opts.interval.checked_sub(took) {
            Some(wait) => wait,
            None => {
                if !stopped() {
                    warn(format!(
                        "warning: round {round} took {:.1} s, longer than the interval ({} s): the next starts now",
                        took.as_secs_f64(),
                        opts.interval.as_secs()
                    ));
                }
                Duration::ZERO
            }
        };
        match stop.wake.recv_timeout(wait) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let serving: Vec<String> = replicas.iter().map(|r| format!("{} serves {}", r.name, super::serving(r))).collect();
    say(format!(
        "stopped after {round} round{}; every replica serves a whole release: {}",
        if round == 1 { "" } else { "s" },
        serving.join(", ")
    ));
    Ok(())
}

/// A build at the wall clock, then a publish; one line.
fn one_round(
    opts: &EveryOptions,
    round: usize,
    cache: &mut crate::build::Cache,
    stopped: &dyn Fn() -> bool,
    say: &mut dyn FnMut(String),
    warn: &mut dyn FnMut(String),
) {
    // The wall clock, as `candor build` without --now or SOURCE_DATE_EPOCH.
    let now = crate::time::build_now(None, None).unwrap_or_else(|_| chrono::Utc::now());
    let at = crate::time::rfc3339(now);
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: opts.output.clone(),
        now,
        strict: false,
        force: false,
        full: false,
        progress: Arc::default(),
    };
    let report = match build_remembering(&build_opts, cache) {
        Ok(report) => report,
        Err(e) => {
            warn(format!(
                "round {round} at {at}: the build failed, nothing published (replicas keep what they serve; `candor check` lists the problems): {e}"
            ));
            return;
        }
    };
    let warnings = report.warnings.len() + report.older_warnings.iter().map(|(_, n)| n).sum::<usize>();
    let built = format!(
        "built {} ({} pages{}) in {:.1} s",
        short(&report.version),
        report.pages,
        match warnings {
            0 => String::new(),
            1 => ", 1 warning".into(),
            n => format!(", {n} warnings"),
        },
        report.elapsed.as_secs_f64()
    );
    let publish =
        Options { root: opts.root.clone(), output: opts.output.clone(), dry_run: false, progress: Default::default() };
    let mut lines = Vec::new();
    match publish_locked(&publish, &mut |line| lines.push(line), stopped) {
        Ok(outcome) => match outcome.stopped {
            Some(left) => {
                say(format!("round {round} at {at}: {built}; stopped (Ctrl-C) before every replica had it:\n{left}"))
            }
            None => say(format!(
                "round {round} at {at}: {built}; {} of {} replica{} updated{}",
                outcome.updated,
                outcome.replicas,
                if outcome.replicas == 1 { "" } else { "s" },
                match outcome.replicas - outcome.updated {
                    0 => String::new(),
                    n => format!(", {n} already at it"),
                }
            )),
        },
        Err(e) => warn(format!("round {round} at {at}: {built}; the publish failed (the next round tries again): {e}")),
    }
}
