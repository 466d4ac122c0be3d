//! `candor rollback`: the previous release (the one published before the
//! current one), or a named one, made current again on every replica,
//! phase by phase, each checked file by file before its link is switched.

use super::origin::Origin;
use super::plan::short;
use super::{label, replicas, Rollout};
use crate::error::Error;
use std::path::Path;

/// `candor rollback [--to VERSION]`: one line per replica through `progress`.
pub fn rollback(root: &Path, to: Option<&str>, progress: &mut dyn FnMut(String)) -> Result<(), Error> {
    let replicas = replicas(root)?;
    let origins = super::all_reachable(&replicas)?;
    let _lock = super::lock::PublishLock::acquire(root, "rollback")?;
    let mut rollout = Rollout::new(&replicas, "rollback");
    for (i, replica) in replicas.iter().enumerate() {
        let dir = origins[i].as_ref();
        let label = label(replica);
        // The release made current, and whether it was current already
        // (what a stopped publish left put right).
        let step = || -> Result<Option<(String, bool)>, Error> {
            let current = dir.current()?;
            let target = match to {
                Some(wanted) => named(dir, wanted)?,
                None => previous(dir, current.as_deref())?,
            };
            // Already there, unless a stopped publish left other files.
            if current.as_deref() == Some(target.as_str()) && !dir.unfinished()? {
                return Ok(None);
            }
            dir.restore(&target)?;
            let finished = current.as_deref() == Some(target.as_str());
            Ok(Some((target, finished)))
        };
        match step() {
            Ok(Some((target, false))) => {
                progress(format!("{label}: now at {} again; every file checked", short(&target)));
                rollout.done(i, &target);
            }
            Ok(Some((target, true))) => {
                progress(format!(
                    "{label}: still at {}, and what a publish that did not finish left is put right; every file checked",
                    short(&target)
                ));
                rollout.done(i, &target);
            }
            Ok(None) => progress(format!("{label}: already at the release asked for, nothing changed")),
            Err(e) => {
                // Run again plainly, those already rolled back would go one
                // release further back: name the release they now serve.
                let again = match (to, rollout.first_version()) {
                    (None, Some(version)) => format!("candor rollback --to {}", short(version)),
                    (Some(wanted), _) => format!("candor rollback --to {wanted}"),
                    (None, None) => "candor rollback".to_owned(),
                };
                return Err(rollout.stopped(i, e, &again));
            }
        }
    }
    Ok(())
}

/// The release a version (or a unique beginning of one) names.
fn named(dir: &dyn Origin, wanted: &str) -> Result<String, Error> {
    let kept = dir.releases()?;
    let found: Vec<&String> = kept.iter().filter(|v| v.starts_with(wanted)).collect();
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::Publish(format!(
            "it has no release {wanted}; it keeps {}",
            kept.iter().map(|v| short(v)).collect::<Vec<_>>().join(", ")
        ))),
        _ => Err(Error::Publish(format!("{wanted} names {} releases: give more of the version", found.len()))),
    }
}

/// The release published before the current one, still on the replica.
fn previous(dir: &dyn Origin, current: Option<&str>) -> Result<String, Error> {
    let order = dir.published_order()?;
    let kept = dir.releases()?;
    let before = match current.and_then(|c| order.iter().position(|v| v == c)) {
        Some(at) => &order[..at],
        None => &order[..],
    };
    before
        .iter()
        .rev()
        .find(|v| kept.contains(v) && Some(v.as_str()) != current)
        .cloned()
        .ok_or_else(|| Error::Publish("it has no release published before the current one to go back to".into()))
}
