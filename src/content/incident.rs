//! Reads an incident file's front matter into a [`model::Incident`], keeping
//! the spans that the cross-field checks in [`crate::validate`] point at.

use super::reader::{FileReader, Key, Located, Table};
use super::refs::{component_ids, component_selection, named_existed, region_selection};
use crate::config::Config;
use crate::model::*;
use crate::time::Instant;
use std::ops::Range;
use toml::de::DeTable;

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
const POSTMORTEM: &[Key] = &[
    Key::opt("published", "published = 2026-03-08T12:00:00Z"),
    Key::req("summary", "summary = \"...\""),
    Key::req("root_cause", "root_cause = \"...\""),
    Key::opt("trigger", "trigger = \"...\""),
    Key::opt("went_well", "went_well = [\"...\"]"),
    Key::opt("went_wrong", "went_wrong = [\"...\"]"),
    Key::opt("lucky", "lucky = [\"...\"]"),
    Key::opt("prevention", "[[postmortem.prevention]]"),
    Key::opt("detection", "[[postmortem.detection]]"),
    Key::opt("response", "[[postmortem.response]]"),
    Key::opt("recovery", "[[postmortem.recovery]]"),
];
const ACTION: &[Key] = &[
    Key::req("title", "title = \"Add leap-day tests\""),
    Key::req("status", "status = \"planned\""),
    Key::opt("body", "body = \"...\""),
    Key::opt("owner", "owner = \"Platform team\""),
    Key::opt("due", "due = 2026-06-30"),
];
const CREDIT: &[Key] = &[
    Key::req("percent", "percent = 10"),
    Key::opt("components", "components = [\"api\"]"),
    Key::opt("groups", "groups = [\"compute\"]"),
    Key::req("months", "months = \"affected\""),
    Key::opt("note", "note = \"...\""),
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
                updates.push(Update { at: at.value, status, body: body.value });
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
            body: body.to_owned(),
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

/// Where a postmortem's parts were written.
struct PostmortemSpans {
    table: Range<usize>,
    published: Range<usize>,
    dues: Vec<Option<Range<usize>>>,
}

fn parse_postmortem(r: &mut FileReader, table: &DeTable, span: Range<usize>) -> Option<(Postmortem, PostmortemSpans)> {
    let t = r.table(table, span.clone(), "[postmortem]", POSTMORTEM);
    let mut dues = Vec::new();
    // Without `published` it is a draft: its parts may still be empty,
    // and it is left out of the model, so it is shown nowhere.
    let draft = !t.has("published");
    let text = |r: &mut FileReader, t: &Table, key: &str| if draft { r.string(t, key) } else { r.text(t, key) };
    let published = r.instant(&t, "published");
    let summary = text(r, &t, "summary");
    let root_cause = text(r, &t, "root_cause");
    let trigger = text(r, &t, "trigger").map(|x| x.value);
    let mut lists = [Vec::new(), Vec::new(), Vec::new()];
    for (key, out) in ["went_well", "went_wrong", "lucky"].into_iter().zip(&mut lists) {
        *out = r.strings(&t, key).unwrap_or_default().into_iter().map(|s| s.value).collect();
    }
    let mut sections: [Vec<ActionItem>; 4] = Default::default();
    let mut ok = true;
    for (key, out) in ["prevention", "detection", "response", "recovery"].into_iter().zip(&mut sections) {
        let what = format!("[[postmortem.{key}]]");
        for (table, span) in r.tables(&t, key) {
            let a = r.table(table, span, &what, ACTION);
            let title = text(r, &a, "title");
            let status = r.choice(&a, "status", ActionStatus::NAMES);
            let body = text(r, &a, "body").map(|x| x.value);
            let owner = text(r, &a, "owner").map(|x| x.value);
            let due = r.date(&a, "due");
            match (title, status) {
                (Some(title), Some(status)) if !(a.has("due") && due.is_none()) => {
                    dues.push(due.as_ref().map(|d| d.span.clone()));
                    out.push(ActionItem {
                        title: title.value,
                        body,
                        status: ActionStatus::from_name(status.value)?,
                        owner,
                        due: due.map(|d| d.value),
                    })
                }
                _ => ok = false,
            }
        }
    }
    if draft {
        return None;
    }
    let published = published?;
    if !ok {
        return None;
    }
    let [went_well, went_wrong, lucky] = lists;
    let [prevention, detection, response, recovery] = sections;
    Some((
        Postmortem {
            published: published.value,
            summary: summary?.value,
            root_cause: root_cause?.value,
            trigger,
            went_well,
            went_wrong,
            lucky,
            prevention,
            detection,
            response,
            recovery,
        },
        PostmortemSpans { table: span, published: published.span, dues },
    ))
}

/// A credit and the span of its `months`.
fn parse_credit(
    r: &mut FileReader,
    table: &DeTable,
    span: Range<usize>,
    config: &Config,
) -> Option<(Credit, Range<usize>)> {
    let t = r.table(table, span, "[[credits]]", CREDIT);
    let percent = r.integer(&t, "percent");
    let components = component_ids(r, &t, config, "[[credits]]");
    let note = r.text(&t, "note").map(|x| x.value);
    let months = parse_months(r, &t);
    let percent = percent?;
    if !(1..=100).contains(&percent.value) {
        r.error(
            percent.span,
            format!("credit percent {} is not between 1 and 100", percent.value),
            "write e.g. percent = 10",
        );
        return None;
    }
    let months_span = t.span_of("months")?;
    Some((Credit { percent: percent.value as u32, components: components?, months: months?, note }, months_span))
}

fn parse_months(r: &mut FileReader, t: &Table) -> Option<CreditMonths> {
    match r.string_or_strings(t, "months")? {
        Ok(word) if word.value == "affected" => Some(CreditMonths::Affected),
        Ok(word) => {
            r.error(
                word.span,
                format!("months = \"{}\" is not understood", word.value),
                "write months = \"affected\" or a list like [\"2026-02\", \"2026-03\"]",
            );
            None
        }
        Err(list) => {
            let mut months = Vec::new();
            for m in list {
                match parse_month(&m.value) {
                    Some(ym) if !months.contains(&ym) => months.push(ym),
                    Some(_) => r.warning(m.span, format!("month {} is listed twice", m.value), "remove the repeat"),
                    None => {
                        let hint = match m.value.split_once('-') {
                            Some((y, mm)) if y.len() == 4 && mm.len() == 2 && y.parse::<u32>().is_ok() => {
                                "months run from 01 to 12"
                            }
                            _ => "write months as \"YYYY-MM\", e.g. \"2026-02\"",
                        };
                        r.error(m.span, format!("\"{}\" is not a billing month", m.value), hint);
                        return None;
                    }
                }
            }
            if months.is_empty() {
                r.error(
                    t.span_of("months").unwrap_or(0..0),
                    "no billing months listed",
                    "list months like [\"2026-02\"], or write months = \"affected\"",
                );
                return None;
            }
            months.sort();
            Some(CreditMonths::Listed(months))
        }
    }
}

/// "2026-02" -> (2026, 2).
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (y, m) = text.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}
