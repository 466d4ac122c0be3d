//! A postmortem shaped for templates: its prose as HTML, its action items
//! by section, each marked overdue against the site's today.

use super::TimeView;
use crate::model::{ActionItem, Postmortem, Site};
use crate::render::markdown::to_html;
use crate::time;
use serde::Serialize;

#[derive(Serialize)]
pub struct ActionView {
    pub title: String,
    pub body_html: Option<String>,
    pub status: &'static str,
    pub status_key: &'static str,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// Past its due date and not done.
    pub overdue: bool,
}

#[derive(Serialize)]
pub struct SectionView {
    pub key: &'static str,
    pub title: &'static str,
    pub items: Vec<ActionView>,
}

#[derive(Serialize)]
pub struct PostmortemView {
    pub published: TimeView,
    pub summary_html: String,
    pub root_cause_html: String,
    pub trigger_html: Option<String>,
    pub went_well: Vec<String>,
    pub went_wrong: Vec<String>,
    pub lucky: Vec<String>,
    pub sections: Vec<SectionView>,
}

/// An action item as pages show it; `today` decides whether it is overdue.
pub fn action_view(a: &ActionItem, today: chrono::NaiveDate) -> ActionView {
    ActionView {
        title: a.title.clone(),
        body_html: a.body.as_deref().map(to_html),
        status: a.status.label(),
        status_key: a.status.as_str(),
        owner: a.owner.clone(),
        due: a.due.map(|d| d.format("%Y-%m-%d").to_string()),
        overdue: a.is_overdue(today),
    }
}

/// The heading of an action-item section ("prevention" -> "Prevention").
pub fn section_title(key: &str) -> &'static str {
    match key {
        "prevention" => "Prevention",
        "detection" => "Detection",
        "response" => "Response",
        _ => "Recovery",
    }
}

pub fn postmortem_view(p: &Postmortem, site: &Site) -> PostmortemView {
    let today = time::local_date(site.now, site.config.timezone);
    let sections = p
        .sections()
        .into_iter()
        .map(|(key, items)| SectionView {
            key,
            title: section_title(key),
            items: items.iter().map(|a| action_view(a, today)).collect(),
        })
        .collect();
    PostmortemView {
        published: TimeView::new(p.published, site),
        summary_html: to_html(&p.summary),
        root_cause_html: to_html(&p.root_cause),
        trigger_html: p.trigger.as_deref().map(to_html),
        went_well: p.went_well.clone(),
        went_wrong: p.went_wrong.clone(),
        lucky: p.lucky.clone(),
        sections,
    }
}
