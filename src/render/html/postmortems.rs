//! `postmortems/index.html`: every postmortem, newest published first, with
//! all its action items, overdue ones flagged and counted at the top.
//! Overdue follows the incident pages' rule ([`ActionItem::is_overdue`](crate::model::ActionItem::is_overdue)).

use super::Pages;
use crate::derive::summary::action_counts;
use crate::render::views::*;
use crate::time;
use serde::Serialize;
use tera::Context;

pub(super) const PATH: &str = "postmortems/index.html";

#[derive(Serialize)]
struct PostmortemEntry {
    /// Its anchor on this page.
    anchor: String,
    title: String,
    href: String,
    impact: Badge,
    published: TimeView,
    started: TimeView,
    items: Vec<ItemRow>,
    overdue: usize,
}

#[derive(Serialize)]
struct ItemRow {
    /// "Prevention", "Detection", "Response", "Recovery".
    section: &'static str,
    action: ActionView,
}

/// An overdue item in the list at the top, pointing at its postmortem.
#[derive(Serialize)]
struct OverdueRow {
    title: String,
    owner: Option<String>,
    due: Option<String>,
    incident: String,
    anchor: String,
}

#[derive(Serialize)]
struct Counts {
    /// "12 action items, 4 done, 3 overdue"
    sentence: String,
    postmortems: usize,
    total: usize,
    done: usize,
    in_progress: usize,
    planned: usize,
    overdue: usize,
}

impl Pages<'_> {
    pub(super) fn postmortems_page(&self) -> Context {
        let s = self.site;
        let today = time::local_date(s.now, s.config.timezone);
        let mut ctx = self.base("Postmortems", Some(PATH));
        let mut with_pm: Vec<_> = s.incidents.iter().filter_map(|i| i.postmortem_at(s.now).map(|pm| (i, pm))).collect();
        // Newest published first; the sort is stable, so ties keep incident order.
        with_pm.sort_by_key(|(_, pm)| std::cmp::Reverse(pm.published));
        let entries: Vec<PostmortemEntry> = with_pm
            .iter()
            .map(|(i, pm)| {
                let items: Vec<ItemRow> = pm
                    .sections()
                    .into_iter()
                    .flat_map(|(key, items)| {
                        items
                            .iter()
                            .map(move |a| ItemRow { section: section_title(key), action: action_view(a, today) })
                    })
                    .collect();
                PostmortemEntry {
                    anchor: format!("pm-{}", i.id),
                    title: i.title.clone(),
                    href: incident_href(&i.id),
                    impact: impact_badge(i.impact),
                    published: TimeView::new(pm.published, s),
                    started: TimeView::new(i.started, s),
                    overdue: items.iter().filter(|r| r.action.overdue).count(),
                    items,
                }
            })
            .collect();
        let overdue: Vec<OverdueRow> = entries
            .iter()
            .flat_map(|e| {
                e.items.iter().filter(|r| r.action.overdue).map(|r| OverdueRow {
                    title: r.action.title.clone(),
                    owner: r.action.owner.clone(),
                    due: r.action.due.clone(),
                    incident: e.title.clone(),
                    anchor: e.anchor.clone(),
                })
            })
            .collect();
        let c = action_counts(s);
        ctx.insert(
            "counts",
            &Counts {
                sentence: c.sentence(),
                postmortems: c.postmortems,
                total: c.total,
                done: c.done,
                in_progress: c.in_progress,
                planned: c.planned,
                overdue: c.overdue,
            },
        );
        ctx.insert("postmortems", &entries);
        ctx.insert("overdue", &overdue);
        ctx
    }
}
