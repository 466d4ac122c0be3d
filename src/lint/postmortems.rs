//! Lints about what follows an incident: `missing-postmortem` (a major or
//! critical incident with none, `postmortem_days` after it was resolved),
//! `empty-postmortem` (no action item at all) and `overdue-action` (an item
//! past its due date and not done).

use super::settings::LintSettings;
use super::{Found, EMPTY_POSTMORTEM, MISSING_POSTMORTEM, OVERDUE_ACTION};
use crate::config::Config;
use crate::content::places::FilePlaces;
use crate::model::{Impact, Incident};
use crate::time::{display, human_duration, local_date, Instant};
use chrono::Duration;

pub fn check(
    inc: &Incident,
    file: &FilePlaces,
    config: &Config,
    settings: &LintSettings,
    now: Instant,
    found: &mut Found,
) {
    let Some(pm) = &inc.postmortem else {
        let (Some(resolved), Some(at)) = (inc.resolved, file.resolved) else { return };
        let age = now - resolved;
        let days = settings.postmortem_days;
        if inc.impact >= Impact::Major && age > Duration::days(days.into()) {
            found.warn(
                MISSING_POSTMORTEM,
                at,
                format!(
                    "this {} incident was resolved {} ago ({}) and has no postmortem (expected within {days} day{})",
                    inc.impact.as_str(),
                    human_duration(age),
                    display(resolved, config.timezone),
                    if days == 1 { "" } else { "s" }
                ),
                &format!(
                    "publish a [postmortem] with summary, root_cause and action items (`candor postmortem {}` adds a draft, \
                     which counts once it has `published`); [lints] postmortem_days in status.toml sets the delay",
                    inc.id
                ),
            );
        }
        return;
    };
    let sections = pm.sections();
    if sections.iter().all(|(_, items)| items.is_empty()) {
        if let Some(at) = file.postmortem {
            found.warn(
                EMPTY_POSTMORTEM,
                at,
                "the postmortem has no action items: none under prevention, detection, response or recovery".into(),
                "add what will change, e.g. [[postmortem.prevention]] with title and status",
            );
        }
    }
    let today = local_date(now, config.timezone);
    let items = sections.into_iter().flat_map(|(name, items)| items.iter().map(move |item| (name, item)));
    for ((section, item), due_at) in items.zip(&file.action_dues) {
        let (Some(due), Some(at)) = (item.due, due_at) else { continue };
        if item.is_overdue(today) {
            found.warn(
                OVERDUE_ACTION,
                *at,
                format!(
                    "action item \"{}\" ({section}) was due {due} and is still {} on {today}",
                    item.title,
                    item.status.label().to_lowercase()
                ),
                "set status = \"done\" if it is, or move `due` to the new date and say why in its body",
            );
        }
    }
}
