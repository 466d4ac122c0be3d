//! Reads a maintenance file's front matter into a [`model::Maintenance`].

use super::reader::{FileReader, Key};
use super::refs::{component_selection, named_existed, region_selection};
use crate::config::Config;
use crate::model::{Maintenance, MaintenanceStatus, MaintenanceUpdate};
use std::ops::Range;
use toml::de::DeTable;

const MAINTENANCE: &[Key] = &[
    Key::req("title", "title = \"Database engine upgrade\""),
    Key::req("scheduled_start", "scheduled_start = 2026-12-01T02:00:00Z"),
    Key::req("scheduled_end", "scheduled_end = 2026-12-01T04:00:00Z"),
    Key::opt("components", "components = [\"sql\"]"),
    Key::opt("groups", "groups = [\"databases\"]"),
    Key::opt("regions", "regions = [\"eu-west\"]"),
    Key::opt("timezone", "timezone = \"Europe/Berlin\""),
    Key::opt("updates", "[[updates]]"),
    Key::opt("allow", "allow = [\"future-time\"]"),
];
const UPDATE: &[Key] = &[
    Key::req("at", "at = 2026-11-20T09:00:00Z"),
    Key::req("status", "status = \"scheduled\""),
    Key::req("body", "body = \"...\""),
];

/// Spans for [`crate::validate::maintenance`]: start, end, and each update's `at`.
#[derive(Debug, Default)]
pub struct MaintenanceSpans {
    pub start: Range<usize>,
    pub end: Range<usize>,
    pub updates: Vec<Range<usize>>,
    /// The lint codes the front matter's `allow` silences.
    pub allow: Vec<String>,
}

pub fn parse(
    r: &mut FileReader,
    root: &DeTable,
    id: &str,
    body: &str,
    config: &Config,
) -> Option<(Maintenance, MaintenanceSpans)> {
    let (top, allow) = super::front::open(r, root, "a maintenance's front matter", MAINTENANCE);
    let title = r.text(&top, "title");
    let start = r.instant(&top, "scheduled_start");
    let end = r.instant(&top, "scheduled_end");
    let components = component_selection(r, &top, config, "the maintenance");
    let regions = match &components {
        Some(c) => region_selection(r, &top, config, c),
        None => None,
    };
    let mut updates = Vec::new();
    let mut spans = MaintenanceSpans { allow, ..Default::default() };
    let mut ok = true;
    for (table, span) in r.tables(&top, "updates") {
        let t = r.table(table, span, "[[updates]]", UPDATE);
        let at = r.instant(&t, "at");
        let status = r.choice(&t, "status", MaintenanceStatus::NAMES);
        let text = r.text(&t, "body");
        match (at, status, text) {
            (Some(at), Some(status), Some(text)) => {
                spans.updates.push(at.span);
                updates.push(MaintenanceUpdate {
                    at: at.value,
                    status: MaintenanceStatus::from_name(status.value)?,
                    body: text.value,
                });
            }
            _ => ok = false,
        }
    }
    let (start, end) = (start?, end?);
    if components.is_some() && !named_existed(r, &top, config, start.value, "maintenance") {
        return None;
    }
    spans.start = start.span;
    spans.end = end.span;
    if !ok {
        return None;
    }
    Some((
        Maintenance {
            id: id.to_owned(),
            source: r.map.path.clone(),
            title: title?.value,
            scheduled_start: start.value,
            scheduled_end: end.value,
            components: components?.0,
            regions: regions?,
            updates,
            body: body.to_owned(),
        },
        spans,
    ))
}
