//! Reads an incident file's front matter into a [`model::Incident`], keeping
//! the spans that the cross-field checks in [`crate::validate`] point at.

use super::reader::{FileReader, Key, Located};
use super::refs::{component_selection, named_existed, region_selection};
use crate::config::Config;
use crate::model::*;
use crate::time::Instant;
use std::ops::Range;
use toml::de::DeTable;

mod credits;
mod postmortem;
use credits::parse_credit;
pub use credits::parse_month;
use postmortem::parse_postmortem;

const INCIDENT: &[Key] = &[
    Key::req("title", "title = \"Storage unavailable in eu-west\""),
    Key::req("impact", "impact = \"major\""),
    Key::req("started", "started = 2026-03-01T09:30:00Z"),
    Key::opt("detected", "detected = 2026-03-01T09:40:00Z"),
    Key::opt("resolved", "resolved = 2026-03-01T11:00:00Z"),
    Key::opt("timezone", "timezone = \"Europe/Berlin\""),
    Key::opt("affected", "[[affected]]"),
    Key::req("updates", "[[updates]] with at, status and body"),
    Key::opt("postmortem", "[postmortem]"),
    Key::opt("credits", "[[credits]]"),
    Key::opt("allow", "allow = [\"stale-update\"]"),
];
const AFFECTED: &[Key] = &[
    Key::opt("components", "components = [\"api\"]"),
    Key::opt("groups", "groups = [\"compute\"]"),
    Key::opt("regions", "regions = [\"*\"]"),
    Key::req("status", "status = \"major_outage\""),
    Key::opt("from", "from = 2026-03-01T09:30:00Z"),
    Key::opt("to", "to = 2026-03-01T10:30:00Z"),
];
const UPDATE: &[Key] = &[
    Key::req("at", "at = 2026-03-01T09:45:00Z"),
    Key::req("status", "status = \"investigating\""),
    Key::req("body", "body = \"We are investigating ...\""),
];

/// Where an `[[affected]]` window's bounds were written: (`from`, else
/// `started`; `to`, else the block).
pub type WindowSpans = (Range<usize>, Range<usize>);

/// Where an update was written, and its 1-based number in the file.
#[derive(Debug, Clone)]
pub struct UpdateSpans {
    pub number: usize,
    pub at: Range<usize>,
    pub status: Range<usize>,
    pub body: Range<usize>,
}

/// Where the checked values were written, for [`crate::validate::incident`].
#[derive(Debug, Default)]
pub struct IncidentSpans {
    pub started: Range<usize>,
    pub detected: Option<Range<usize>>,
    pub resolved: Option<Range<usize>>,
    /// Per update that was read.
    pub updates: Vec<UpdateSpans>,
    pub affected: Vec<WindowSpans>,
    /// False when an `[[affected]]` block failed to read (so checks about
    /// the windows as a whole are skipped).
    pub affected_complete: bool,
    /// False when an `[[updates]]` block, or `resolved`, failed to read
    /// (so the last update cannot be compared with the resolution).
    pub updates_complete: bool,
    /// Per credit that was read: its `months` value.
    pub credit_months: Vec<Range<usize>>,
    pub postmortem_published: Option<Range<usize>>,
    /// The `[postmortem]` table.
    pub postmortem: Option<Range<usize>>,
    /// Per action item, in [`Postmortem::sections`] order: its `due`.
    pub action_dues: Vec<Option<Range<usize>>>,
    /// The lint codes the front matter's `allow` silences.
    pub allow: Vec<String>,
}

/// Reads the incident as far as it can be read, reporting every problem.
/// Parts that failed are left out so the cross-field checks can still run
/// on the rest; the caller rejects a file with any error. `None` only when
/// there is no usable `started`.
pub fn parse(
    r: &mut FileReader,
    root: &DeTable,
    id: &str,
    body: &str,
    config: &Config,
) -> Option<(Incident, IncidentSpans)> {
    let (top, allow) = super::front::open(r, root, "an incident's front matter", INCIDENT);
    let title = r.text(&top, "title");
    let impact = r.choice(&top, "impact", Impact::NAMES);
    let started = r.instant(&top, "started");
    let detected = r.instant(&top, "detected");
    let resolved = r.instant(&top, "resolved");
    let mut spans = IncidentSpans {
        detected: detected.as_ref().map(|d| d.span.clone()),
        resolved: resolved.as_ref().map(|d| d.span.clone()),
        allow,
        ..Default::default()
    };

    let mut affected = Vec::new();
    spans.affected_complete = true;
    for (table, span) in r.tables(&top, "affected") {
        match parse_affected(r, table, span, config, started.as_ref()) {
            Some((a, from_to)) => {
                affected.push(a);
                spans.affected.push(from_to);
            }
            None => spans.affected_complete = false,
        }
    }

    let mut updates = Vec::new();
    spans.updates_complete = true;
    let update_tables = r.tables(&top, "updates");
    if top.has("updates") && update_tables.is_empty() {
        r.error(
            top.span_of("updates").unwrap_or(0..0),
            "an incident needs at least one update",
            "add an [[updates]] section with at, status and body",
        );
    }
    for (number, (table, span)) in update_tables.into_iter().enumerate() {
        let t = r.table(table, span, "[[updates]]", UPDATE);
        let at = r.instant(&t, "at");
        let status = r.choice(&t, "status", UpdateStatus::NAMES);
        let body = r.text(&t, "body");
        match (at, status.and_then(|s| Some((UpdateStatus::from_name(s.value)?, s.span))), body) {
            (Some(at), Some((status, status_span)), Some(body)) => {
                let number = number + 1;
                spans.updates.push(UpdateSpans { number, at: at.span, status: status_span, body: body.span });
                updates.push(Update { at: at.value, status, body: body.value.into() });
            }
            _ => spans.updates_complete = false,
        }
    }

    let postmortem = r.sub_table(&top, "postmortem").and_then(|(table, span)| parse_postmortem(r, table, span));
    let postmortem = postmortem.map(|(p, pm_spans)| {
        spans.postmortem_published = Some(pm_spans.published);
        spans.postmortem = Some(pm_spans.table);
        spans.action_dues = pm_spans.dues;
        p
    });

    let mut credits = Vec::new();
    for (table, span) in r.tables(&top, "credits") {
        if let Some((credit, months_span)) = parse_credit(r, table, span, config) {
            credits.push(credit);
            spans.credit_months.push(months_span);
        }
    }

    if top.has("resolved") && spans.resolved.is_none() {
        spans.updates_complete = false;
    }
    // Without a start nothing can be checked against it; everything else
    // that failed was reported and the caller rejects the file.
    let started = started?;
    spans.started = started.span;
    let resolved = resolved.map(|x| x.value);
    // Windows default to the incident's own span.
    for a in &mut affected {
        if a.to.is_none() {
            a.to = resolved;
        }
    }
    Some((
        Incident {
            id: id.to_owned(),
            source: r.map.path.clone(),
            title: title.map(|t| t.value).unwrap_or_default(),
            impact: impact.and_then(|i| Impact::from_name(i.value)).unwrap_or(Impact::None),
            started: started.value,
            detected: detected.map(|x| x.value),
            resolved,
            affected,
            updates,
            postmortem,
            credits,
            body: body.into(),
        },
        spans,
    ))
}

/// An `[[affected]]` block; `from` defaults to the incident's start (`to`
/// to its resolution, filled in by the caller).
fn parse_affected(
    r: &mut FileReader,
    table: &DeTable,
    span: Range<usize>,
    config: &Config,
    started: Option<&Located<Instant>>,
) -> Option<(Affected, WindowSpans)> {
    let t = r.table(table, span.clone(), "[[affected]]", AFFECTED);
    let components = component_selection(r, &t, config, "[[affected]]");
    let status = r.choice(&t, "status", ComponentStatus::AFFECTED_NAMES);
    let from = r.instant(&t, "from");
    let to = r.instant(&t, "to");
    let components = components?;
    let regions = region_selection(r, &t, config, &components)?;
    let components = components.0;
    if (t.has("from") && from.is_none()) || (t.has("to") && to.is_none()) {
        return None;
    }
    let from = from.or_else(|| started.cloned())?;
    if !named_existed(r, &t, config, from.value, "[[affected]] window") {
        return None;
    }
    let to_span = to.as_ref().map(|f| f.span.clone()).unwrap_or(span);
    Some((
        Affected {
            components,
            regions,
            status: ComponentStatus::from_name(status?.value)?,
            from: from.value,
            to: to.map(|f| f.value),
        },
        (from.span, to_span),
    ))
}
