//! Reads an incident's `[postmortem]` table and its action items; a draft
//! (no `published`) is checked but left out of the model.

use crate::content::reader::{FileReader, Key, Table};
use crate::model::{ActionItem, ActionStatus, Postmortem};
use std::ops::Range;
use toml::de::DeTable;

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

/// Where a postmortem's parts were written.
pub(super) struct PostmortemSpans {
    pub(super) table: Range<usize>,
    pub(super) published: Range<usize>,
    pub(super) dues: Vec<Option<Range<usize>>>,
}

pub(super) fn parse_postmortem(
    r: &mut FileReader,
    table: &DeTable,
    span: Range<usize>,
) -> Option<(Postmortem, PostmortemSpans)> {
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
