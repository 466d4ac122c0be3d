//! What `candor update` does to an incident (see [`super::update`]): a new
//! title, impact or start, a `--set` from now or `--from`, reopening, and
//! the update appended, each checked before anything is written.

use super::{resolved_at, Change};
use crate::cmd::opened::{Done, Opened};
use crate::cmd::stamp::time_arg;
use crate::diagnostic::suggestion;
use crate::edit::document::{local_datetime, replace_value};
use crate::edit::tables::{append_update, end_at_resolved};
use crate::edit::windows::{apply, Set};
use crate::error::Error;
use crate::model::{Impact, UpdateStatus};
use crate::time::{display, Instant};
use toml_edit::value;

/// [`update`](super::update) on an incident: the checks and edits, and the update itself
/// once there is a `message` (when `posts`).
pub(super) fn update_incident(
    file: &mut Opened,
    now: Instant,
    (change, sets): (&Change, &[Set]),
    message: Option<&str>,
    posts: bool,
) -> Result<Done, Error> {
    let id = file.id.clone();
    let mut done: Vec<String> = Vec::new();
    done.extend(retitle(file, change.title.as_deref())?);
    if let Some(impact) = change.impact.as_deref() {
        if Impact::from_name(impact).is_none() {
            return Err(Error::Unknown(format!(
                "--impact {impact:?} is not an impact: write none, minor, major or critical{}",
                suggestion(impact, Impact::NAMES.iter().copied())
            )));
        }
        match file.doc.front.get_mut("impact") {
            Some(item) => replace_value(item, impact.into()),
            None => file.doc.front["impact"] = value(impact),
        }
        done.push(format!("impact {impact}"));
    }
    if let Some(text) = change.started.as_deref() {
        let (written, started) = time_arg("--started", text, file.zone)?;
        if started > now {
            return Err(Error::Usage(format!(
                "--started {text} is after now ({}): an incident starts when customers were first affected, which has happened",
                display(now, file.zone)
            )));
        }
        match file.doc.front.get_mut("started") {
            Some(item) => replace_value(item, written.into()),
            None => file.doc.front["started"] = value(written),
        }
        done.push(format!("started {}", display(started, file.config.timezone)));
    }
    if !posts {
        return Ok(("updated", format!("incident {id}: {}", done.join("; "))));
    }
    match (file.doc.front.contains_key("resolved"), change.reopen) {
        (true, false) => {
            return Err(Error::Usage(format!(
                "incident {id} is resolved{}: to post an update, reopen it with --reopen (its `resolved` time is removed and it shows as open again); for a new problem, create a new incident",
                resolved_at(file)
            )))
        }
        (false, true) => return Err(Error::Usage(format!("incident {id} is open, so there is nothing to reopen: leave out --reopen"))),
        _ => {}
    }
    let status = match change.status.as_deref() {
        Some(status) => status.to_owned(),
        None => file.last_status().filter(|s| s != "resolved").unwrap_or_else(|| "investigating".into()),
    };
    if status == "resolved" {
        return Err(Error::Usage(format!(
            "to resolve incident {id}, run `candor resolve {id}`: it also sets `resolved` and ends the affected windows"
        )));
    }
    if UpdateStatus::from_name(&status).is_none() {
        return Err(Error::Unknown(format!(
            "--status {status:?} is not a status of an incident's update: write investigating, identified or monitoring{}",
            suggestion(&status, UpdateStatus::NAMES.iter().copied().filter(|n| *n != "resolved"))
        )));
    }
    if change.reopen {
        end_at_resolved(&mut file.doc.front);
        file.doc.front.remove("resolved");
    }
    let at = local_datetime(now, file.zone);
    let from = match change.from.as_deref() {
        Some(text) => effective_from(file, text, now)?,
        None => (now, at),
    };
    let ended = apply(&mut file.doc.front, sets, &file.config, from, file.zone).map_err(Error::Unknown)?;
    let Some(message) = message else { return Ok(("updated", String::new())) };
    let number = append_update(&mut file.doc.front, at, &status, message).map_err(Error::Usage)?;
    if change.reopen {
        done.push("reopened".into());
    }
    if !sets.is_empty() {
        let since = match change.from {
            Some(_) => format!(" from {}", display(from.0, file.config.timezone)),
            None => String::new(),
        };
        let s = if ended == 1 { "" } else { "s" };
        done.push(format!("set {}{since} ({ended} open window{s} ended)", change.sets.join(", ")));
    }
    let rest: String = done.iter().map(|d| format!("; {d}")).collect();
    Ok((
        "updated",
        format!("incident {id}: update {number}, {status}, at {}{rest}", display(now, file.config.timezone)),
    ))
}

/// `--title`: the new title written in place of the old; what was done.
pub(super) fn retitle(file: &mut Opened, title: Option<&str>) -> Result<Option<String>, Error> {
    let Some(title) = title.map(str::trim) else { return Ok(None) };
    if title.is_empty() {
        return Err(Error::Usage("--title is empty: say what customers notice, e.g. \"Elevated API errors\"".into()));
    }
    match file.doc.front.get_mut("title") {
        Some(item) => replace_value(item, title.into()),
        None => file.doc.front["title"] = value(title),
    }
    Ok(Some(format!("title {title:?}")))
}

/// `--from TIME`: when a `--set` takes effect, at or after the incident's
/// start and not after now.
fn effective_from(file: &Opened, text: &str, now: Instant) -> Result<(Instant, toml_edit::Datetime), Error> {
    let (_, from) = time_arg("--from", text, file.zone)?;
    let zone = file.config.timezone;
    if from > now {
        return Err(Error::Usage(format!(
            "--from {text} is after now ({}): a change is posted when it has happened",
            display(now, zone)
        )));
    }
    if let Some(started) = file.instant("started").filter(|s| from < *s) {
        return Err(Error::Usage(format!(
            "--from {text} is before the incident started ({}): move the start first with --started",
            display(started, zone)
        )));
    }
    Ok((from, local_datetime(from, file.zone)))
}
