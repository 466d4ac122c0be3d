//! `candor new incident`, `candor update` and `candor resolve`: the
//! incident commander's commands. Each edits one file in
//! `content/incidents/`, checks the result as `candor check` would and
//! writes it only when it has no errors (see [`crate::edit`]).

use super::edited::{new_file, shown, Edited};
use super::message;
use crate::config::Config;
use crate::content::{check_file, read_config_and_lints};
use crate::diagnostic::did_you_mean;
use crate::edit::affects::{self, Affects};
use crate::edit::document::{local_datetime, to_second, Document};
use crate::edit::tables::{append_update, close_windows, set_resolved, tables_mut};
use crate::edit::{save, Mode, Rules};
use crate::error::Error;
use crate::lint::settings::LintSettings;
use crate::model::ComponentStatus;
use crate::time::{display, human_duration, resolve, Instant};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};
use toml_edit::{value, ArrayOfTables, DocumentMut, Item};

/// Where incidents live, under the site root.
pub const FOLDER: &str = "content/incidents";

/// `candor new incident TITLE ...`
pub struct NewIncident {
    pub root: PathBuf,
    pub now: Instant,
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
    pub now: Instant,
    /// The incident's id, or a path to its file.
    pub id: String,
    /// Default: the last update's status.
    pub status: Option<String>,
    /// Default: standard input or an editor (see [`message::obtain`]).
    pub message: Option<String>,
    /// Allow updating a resolved incident: its `resolved` time is removed.
    pub reopen: bool,
}

/// `candor resolve ID ...`
pub struct ResolveIncident {
    pub root: PathBuf,
    pub now: Instant,
    pub id: String,
    pub message: Option<String>,
}

/// Creates `content/incidents/<date>-<slug>.md`, started now, with its
/// affected windows and a first `investigating` update.
pub fn new_incident(opts: NewIncident) -> Result<Edited, Error> {
    let (config, lints) = read_config_and_lints(&opts.root)?;
    let zone = config.timezone;
    let now = to_second(opts.now);
    let affects = Affects::parse_all(&opts.affects).map_err(Error::Usage)?;
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
    })
}

/// Appends an update stamped now. A resolved incident is refused unless
/// `reopen`, which removes its `resolved` time.
pub fn update(opts: UpdateIncident) -> Result<Edited, Error> {
    let mut file = Opened::open(&opts.root, &opts.id)?;
    let id = file.id.clone();
    let now = to_second(opts.now);
    match (file.doc.front.contains_key("resolved"), opts.reopen) {
        (true, false) => {
            return Err(Error::Usage(format!(
                "incident {id} is resolved{}: to post an update, reopen it with --reopen (its `resolved` time is removed and it shows as open again); for a new problem, create a new incident",
                file.resolved_at()
            )))
        }
        (false, true) => return Err(Error::Usage(format!("incident {id} is open, so there is nothing to reopen: leave out --reopen"))),
        _ => {}
    }
    let status = match opts.status {
        Some(status) => status,
        None => file.last_status().filter(|s| s != "resolved").unwrap_or_else(|| "investigating".into()),
    };
    if status == "resolved" {
        return Err(Error::Usage(format!(
            "to resolve incident {id}, run `candor resolve {id}`: it also sets `resolved` and ends the affected windows"
        )));
    }
    let message = message::obtain(opts.message)?;
    if opts.reopen {
        file.doc.front.remove("resolved");
    }
    let number =
        append_update(&mut file.doc.front, local_datetime(now, file.zone), &status, &message).map_err(Error::Usage)?;
    let reopened = if opts.reopen { "; reopened" } else { "" };
    let summary =
        format!("incident {id}: update {number}, {status}, at {}{reopened}", display(now, file.config.timezone));
    file.save(&opts.root, now, "updated", summary)
}

/// Sets `resolved` to now, ends the affected windows still open then, and
/// appends the final `resolved` update.
pub fn resolve_incident(opts: ResolveIncident) -> Result<Edited, Error> {
    let mut file = Opened::open(&opts.root, &opts.id)?;
    let id = file.id.clone();
    let now = to_second(opts.now);
    if file.doc.front.contains_key("resolved") {
        return Err(Error::Usage(format!(
            "incident {id} is already resolved{}: to correct the time, edit `resolved` in {}; to post another update, use `candor update {id} --reopen`",
            file.resolved_at(),
            shown(&opts.root, &file.rel).display()
        )));
    }
    let message = message::obtain(opts.message)?;
    let at = local_datetime(now, file.zone);
    set_resolved(&mut file.doc.front, at);
    let closed = close_windows(&mut file.doc.front, now, at, file.zone);
    append_update(&mut file.doc.front, at, "resolved", &message).map_err(Error::Usage)?;
    let site_zone = file.config.timezone;
    let lasted = file.instant("started").filter(|s| *s <= now).map(|s| format!(" after {}", human_duration(now - s)));
    let windows = match closed {
        0 => "no window was open".to_owned(),
        1 => "1 window ended".to_owned(),
        n => format!("{n} windows ended"),
    };
    let summary =
        format!("incident {id}, resolved {}{}; {windows}", display(now, site_zone), lasted.unwrap_or_default());
    file.save(&opts.root, now, "resolved", summary)
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

/// An incident file read for editing.
struct Opened {
    config: Config,
    lints: LintSettings,
    rel: PathBuf,
    id: String,
    original: String,
    doc: Document,
    /// The zone the file's local times are read in (its own, else the site's).
    zone: Tz,
}

impl Opened {
    fn open(root: &Path, id: &str) -> Result<Opened, Error> {
        let (config, lints) = read_config_and_lints(root)?;
        let (rel, id) = locate(root, id)?;
        let path = root.join(&rel);
        let original = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let doc = Document::parse(&original).map_err(|reason| {
            // `check` explains a broken file best, with its line and a hint.
            let found = check_file(&rel, &original, &config);
            if found.has_errors() {
                Error::Content(found.into_sorted())
            } else {
                Error::Usage(format!("{}: {reason}", rel.display()))
            }
        })?;
        let zone = doc.zone(config.timezone);
        Ok(Opened { config, lints, rel, id, original, doc, zone })
    }

    fn instant(&self, key: &str) -> Option<Instant> {
        resolve(self.doc.front.get(key)?.as_datetime()?, self.zone).ok()
    }

    /// " at 2026-12-02 13:00 EST", or nothing when it cannot be read.
    fn resolved_at(&self) -> String {
        self.instant("resolved").map(|t| format!(" at {}", display(t, self.config.timezone))).unwrap_or_default()
    }

    fn last_status(&mut self) -> Option<String> {
        let updates = self.doc.front.get_mut("updates")?;
        let last = tables_mut(updates).pop()?;
        last.get("status")?.as_str().map(str::to_owned)
    }

    fn save(self, root: &Path, now: Instant, verb: &'static str, summary: String) -> Result<Edited, Error> {
        let text = self.doc.render();
        let rules = Rules { config: &self.config, lints: &self.lints, now };
        let warnings = save(root, &self.rel, &text, &rules, Mode::Replace { original: &self.original })?;
        Ok(Edited { verb, path: shown(root, &self.rel), summary, warnings })
    }
}

/// The file of incident `id` (or of the path given): (path under the root, id).
fn locate(root: &Path, id: &str) -> Result<(PathBuf, String), Error> {
    let folder = root.join(FOLDER);
    // Ids hold no dots or slashes, so anything with one is a path.
    let is_path = id.contains(['.', '/', std::path::MAIN_SEPARATOR]);
    let stem = if is_path {
        let path = Path::new(id);
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let inside = match (parent.canonicalize(), folder.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !inside || path.extension().is_none_or(|e| e != "md") {
            return Err(Error::Usage(format!(
                "{id} is not an incident file of the site: give the incident's id (its file name without .md) or the path of a .md file in {}",
                shown(root, Path::new(FOLDER)).display()
            )));
        }
        path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    } else {
        id.to_owned()
    };
    let rel = Path::new(FOLDER).join(format!("{stem}.md"));
    if root.join(&rel).is_file() {
        return Ok((rel, stem));
    }
    let known: Vec<String> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries.filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".md").map(str::to_owned)).collect()
        })
        .unwrap_or_default();
    let hint = match did_you_mean(&stem, known.iter().map(String::as_str)) {
        Some(near) => format!("did you mean {near}?"),
        None => format!("the incidents are the .md files in {}", shown(root, Path::new(FOLDER)).display()),
    };
    Err(Error::Usage(format!("no incident {stem}: {hint}")))
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
