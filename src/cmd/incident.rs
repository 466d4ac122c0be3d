//! `candor new incident`, `candor update` and `candor resolve`: the
//! incident commander's commands. Each edits one file in
//! `content/incidents/` (`update` also a maintenance's, see
//! [`super::maintenance::update`]), checks the result as `candor check`
//! would and writes it only when it has no errors (see [`crate::edit`]).

use super::edited::{new_file, shown, Edited};
use super::message;
use super::opened::{edit_with_message, Opened, INCIDENT, MAINTENANCE};
use super::stamp::Stamp;
use crate::config::Config;
use crate::content::read_config_and_lints;
use crate::diagnostic::suggestion;
use crate::edit::affects::{self, Affects};
use crate::edit::document::{local_datetime, Document};
use crate::edit::lock::EditLock;
use crate::edit::tables::{append_update, close_windows, set_resolved};
use crate::edit::windows::Set;
use crate::edit::{save, Mode, Rules};
use crate::error::Error;
use crate::model::{ComponentStatus, Impact};
use crate::time::{display, human_duration};
use std::path::PathBuf;
use toml_edit::{value, ArrayOfTables, DocumentMut, Item};

mod update;
use update::{retitle, update_incident};

/// Where incidents live, under the site root.
pub const FOLDER: &str = "content/incidents";

/// `candor new incident TITLE ...`
pub struct NewIncident {
    pub root: PathBuf,
    pub now: Stamp,
    pub title: String,
    /// none | minor | major | critical; default: from `status`, as Statuspage computes it.
    pub impact: Option<String>,
    /// `--affects` values: `COMPONENT[:REGION,...]`.
    pub affects: Vec<String>,
    /// The affected components' status (required with `affects`).
    pub status: Option<String>,
    /// The first update's text; default: a sentence naming what is affected.
    pub message: Option<String>,
}

/// `candor update ID ...`
pub struct UpdateIncident {
    pub root: PathBuf,
    pub now: Stamp,
    /// The incident's id, or a path to its file.
    pub id: String,
    /// Default: standard input or an editor (see [`message::obtain`]);
    /// none when the command only changes the title, impact or start.
    pub message: Option<String>,
    pub change: Change,
}

/// What `candor update` changes besides posting its message.
#[derive(Debug, Default, Clone)]
pub struct Change {
    /// Default: the last update's status.
    pub status: Option<String>,
    /// Allow updating a resolved incident: its `resolved` time is removed.
    pub reopen: bool,
    /// `--set COMPONENT[:REGION,...]=STATUS` values: those cells' status
    /// from `from` on (see [`crate::edit::windows`]).
    pub sets: Vec<String>,
    /// `--from`: when the `sets` take effect, between `started` and now
    /// [default: now].
    pub from: Option<String>,
    /// `--title`, `--impact`, `--started`: corrections of the incident
    /// itself, which post no update unless a message is given.
    pub title: Option<String>,
    pub impact: Option<String>,
    pub started: Option<String>,
}

impl Change {
    /// Whether the command posts an update (and so needs a message): it
    /// does unless it only corrects the title, impact or start.
    fn posts(&self) -> bool {
        self.status.is_some()
            || self.reopen
            || !self.sets.is_empty()
            || (self.title.is_none() && self.impact.is_none() && self.started.is_none())
    }
}

/// `candor resolve ID ...`
pub struct ResolveIncident {
    pub root: PathBuf,
    pub now: Stamp,
    pub id: String,
    pub message: Option<String>,
}

/// Creates `content/incidents/<date>-<slug>.md`, started now, with its
/// affected windows and a first `investigating` update.
pub fn new_incident(opts: NewIncident) -> Result<Edited, Error> {
    let (config, lints) = read_config_and_lints(&opts.root)?;
    let zone = config.timezone;
    let affects = Affects::parse_all(&opts.affects).map_err(Error::Usage)?;
    affects::check_all(&affects, &config).map_err(Error::Unknown)?;
    if let Some(impact) = opts.impact.as_deref().filter(|i| Impact::from_name(i).is_none()) {
        return Err(Error::Unknown(format!(
            "--impact {impact:?} is not an impact: write none, minor, major or critical{}",
            suggestion(impact, Impact::NAMES.iter().copied())
        )));
    }
    let outage = ["degraded_performance", "partial_outage", "major_outage"];
    if let Some(status) = opts.status.as_deref().filter(|s| !outage.contains(s)) {
        return Err(Error::Unknown(format!(
            "--status {status:?} is not how components are affected: write degraded_performance, partial_outage or major_outage{}",
            suggestion(status, outage.iter().copied())
        )));
    }
    let status = match (opts.status.as_deref(), affects.is_empty()) {
        (None, true) => None,
        (Some(status), false) => Some(status),
        (None, false) => {
            return Err(Error::Usage(
                "--affects needs --status: how the components are affected (degraded_performance, partial_outage or major_outage)"
                    .into(),
            ))
        }
        (Some(status), true) => {
            return Err(Error::Usage(format!(
                "--status {status} is the status of the affected components: name them with --affects COMPONENT[:REGION,...]"
            )))
        }
    };
    let title = opts.title.trim();
    if title.is_empty() {
        return Err(Error::Usage("the title is empty: say what customers notice, e.g. \"Elevated API errors\"".into()));
    }
    let message = match opts.message {
        Some(text) => message::obtain(Some(text))?,
        None => default_message(&affects, status, &config),
    };
    let impact = opts.impact.unwrap_or_else(|| default_impact(status).to_owned());

    // Held until the file is written, so that two commands never pick one id.
    let _lock = EditLock::acquire(&opts.root)?;
    let clock = opts.now.in_zone(zone)?;
    let now = clock.now();
    let (rel, id) = new_file(&opts.root, FOLDER, now, zone, title, "incident");
    let started = local_datetime(now, zone);
    let mut front = DocumentMut::new();
    front["title"] = value(title);
    front["impact"] = value(impact);
    front["started"] = value(started);
    if let Some(status) = status {
        let mut windows = ArrayOfTables::new();
        for a in &affects {
            windows.push(a.affected_table(&config, status));
        }
        front["affected"] = Item::ArrayOfTables(windows);
    }
    append_update(&mut front, started, "investigating", &message).map_err(Error::Usage)?;
    let text = Document::new(front, "").render();
    let warnings = save(&opts.root, &rel, &text, &Rules { config: &config, lints: &lints, now }, Mode::Create)?;
    Ok(Edited {
        verb: "created",
        path: shown(&opts.root, &rel),
        summary: format!("incident {id}, started {}", display(now, zone)),
        warnings,
        older_warnings: 0,
        notes: clock.note.into_iter().collect(),
    })
}

/// Appends an update stamped now, to an incident or (see
/// [`super::maintenance::update`]) a maintenance, and makes the other
/// changes asked for ([`Change`]). On an incident, `sets` change the
/// affected cells from now (or `from`) on ([`crate::edit::windows`]); a
/// resolved one takes no update unless `reopen`, which removes its
/// `resolved` time. Safe to run at the same time as other editing commands
/// ([`edit_with_message`]).
pub fn update(opts: UpdateIncident) -> Result<Edited, Error> {
    let UpdateIncident { root, now, id, message, change } = opts;
    let sets = change.sets.iter().map(|s| Set::parse(s)).collect::<Result<Vec<_>, _>>().map_err(Error::Usage)?;
    if change.from.is_some() && sets.is_empty() {
        return Err(Error::Usage(
            "--from says when a --set takes effect: give the cells with --set COMPONENT[:REGION,...]=STATUS".into(),
        ));
    }
    let posts = change.posts() || message.is_some();
    edit_with_message(&root, &id, &[INCIDENT, MAINTENANCE], &now, (message, change.posts()), |file, now, message| {
        if file.kind == MAINTENANCE {
            let only_incidents = [
                (
                    !sets.is_empty(),
                    "--set: its components are under maintenance for its schedule, which --set does not change",
                ),
                (change.impact.is_some(), "--impact: a maintenance has no impact level"),
                (change.started.is_some(), "--started: its schedule is scheduled_start and scheduled_end in its file"),
            ];
            if let Some((_, why)) = only_incidents.iter().find(|(given, _)| *given) {
                return Err(Error::Usage(format!("{} is a maintenance, so it takes no {why}", file.id)));
            }
            let titled = retitle(file, change.title.as_deref())?;
            if !posts {
                return Ok(("updated", format!("maintenance {}: {}", file.id, titled.unwrap_or_default())));
            }
            return super::maintenance::update(file, now, change.status.as_deref(), message, change.reopen);
        }
        update_incident(file, now, (&change, &sets), message, posts)
    })
}

/// Sets `resolved` to now, ends the affected windows still open then, and
/// appends the final `resolved` update.
pub fn resolve_incident(opts: ResolveIncident) -> Result<Edited, Error> {
    let message = (opts.message, true);
    edit_with_message(&opts.root, &opts.id, &[INCIDENT, MAINTENANCE], &opts.now, message, |file, now, message| {
        let id = file.id.clone();
        if file.kind == MAINTENANCE {
            return Err(Error::Usage(format!(
                "{id} is a maintenance, which ends by its schedule: to say the work is done, run `candor update {id} --status completed`"
            )));
        }
        if file.doc.front.contains_key("resolved") {
            return Err(Error::Usage(format!(
                "incident {id} is already resolved{}: to correct the time, edit `resolved` in {}; to post another update, use `candor update {id} --reopen`",
                resolved_at(file),
                shown(&opts.root, &file.rel).display()
            )));
        }
        let Some(message) = message else { return Ok(("resolved", String::new())) };
        let at = local_datetime(now, file.zone);
        set_resolved(&mut file.doc.front, at);
        let closed = close_windows(&mut file.doc.front, now, at, file.zone);
        append_update(&mut file.doc.front, at, "resolved", message).map_err(Error::Usage)?;
        let site_zone = file.config.timezone;
        let lasted =
            file.instant("started").filter(|s| *s <= now).map(|s| format!(" after {}", human_duration(now - s)));
        let windows = match closed {
            0 => "no window was open".to_owned(),
            1 => "1 window ended".to_owned(),
            n => format!("{n} windows ended"),
        };
        Ok((
            "resolved",
            format!("incident {id}, resolved {}{}; {windows}", display(now, site_zone), lasted.unwrap_or_default()),
        ))
    })
}

/// Statuspage's rule: the worst component status sets the impact.
fn default_impact(status: Option<&str>) -> &'static str {
    match status.and_then(ComponentStatus::from_name) {
        Some(ComponentStatus::MajorOutage) => "critical",
        Some(ComponentStatus::PartialOutage) => "major",
        Some(ComponentStatus::DegradedPerformance) => "minor",
        _ => "none",
    }
}

/// "We are investigating reports of a major outage affecting API in EU West."
fn default_message(affects: &[Affects], status: Option<&str>, config: &Config) -> String {
    let what = match status.and_then(ComponentStatus::from_name) {
        Some(ComponentStatus::MajorOutage) => "a major outage",
        Some(ComponentStatus::PartialOutage) => "a partial outage",
        Some(ComponentStatus::DegradedPerformance) => "degraded performance",
        _ => "a problem",
    };
    if affects.is_empty() {
        format!("We are investigating reports of {what}.")
    } else {
        format!("We are investigating reports of {what} affecting {}.", affects::describe(affects, config))
    }
}

/// " at 2026-12-02 13:00 EST" for a resolved incident, or nothing when it
/// cannot be read.
fn resolved_at(file: &Opened) -> String {
    file.instant("resolved").map(|t| format!(" at {}", display(t, file.config.timezone))).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_follows_the_status() {
        assert_eq!(default_impact(Some("major_outage")), "critical");
        assert_eq!(default_impact(Some("partial_outage")), "major");
        assert_eq!(default_impact(Some("degraded_performance")), "minor");
        assert_eq!(default_impact(Some("major-outage")), "none");
        assert_eq!(default_impact(None), "none");
    }
}
