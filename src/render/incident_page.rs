//! What an incident's own page shows: the summary box at the top, the
//! updates (the older ones folded away when there are many), the timeline
//! picture, the narrative, the postmortem and the credits with the figure
//! that applies.
//!
//! The page adds a heading of its own ("What happened", "Service credits")
//! only where the narrative does not already have one: a narrative that
//! opens with a heading structures itself, and one with a credits heading
//! keeps it, the declared credits following the narrative without a second.

use super::markdown::to_html;
use super::scope::Scope;
use super::timeline::{incident_picture, TimelinePicture};
use super::views::*;
use crate::derive::credits::credit_months;
use crate::derive::uptime::Timelines;
use crate::model::*;
use crate::time;
use crate::words::{join_words, month_label};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// How many of the newest updates show unfolded; the rest are one tap away
/// in a `<details>`.
pub const UPDATES_SHOWN: usize = 5;

/// The box at the top: what, how long, where, the latest word and links to
/// the page's sections.
#[derive(Serialize)]
pub struct Glance {
    /// "Lasted 1 d 19 h 35 min" or "Ongoing for 2 h 48 min so far".
    pub duration: String,
    pub places: Vec<Place>,
    pub latest: Option<UpdateView>,
    /// Links to this page's sections, "#postmortem" and so on.
    pub jumps: Vec<Link>,
}

/// A service the incident affected at any time, and where.
#[derive(Serialize)]
pub struct Place {
    pub service: Link,
    /// "US West and US East", "all 10 regions it runs in", "7 of its 9 regions".
    pub regions: String,
}

#[derive(Serialize)]
pub struct CreditView {
    pub percent: u32,
    /// "33% credit on Compute and Service Bus for the February 2012 and March 2012 billing months"
    pub sentence: String,
    /// Which figure applies, the declared one or the SLA's where it is more.
    pub applies: String,
    /// Per service and month: the availability and the least the SLA gives.
    pub minimum: Vec<String>,
    pub note: Option<String>,
}

/// Everything an incident's own page shows.
#[derive(Serialize)]
pub struct IncidentDetail<'a> {
    pub summary: &'a IncidentSummary,
    pub glance: Glance,
    pub detected: Option<TimeView>,
    /// The newest [`UPDATES_SHOWN`] updates, newest first.
    pub updates: Vec<UpdateView>,
    /// The older ones, newest first, shown folded.
    pub earlier_updates: Vec<UpdateView>,
    pub picture: Option<TimelinePicture>,
    pub affected: Vec<AffectedView>,
    pub body_html: String,
    /// Whether the page heads the narrative with "What happened".
    pub narrative_heading: bool,
    /// Whether the page heads the credits with "Service credits".
    pub credits_heading: bool,
    pub postmortem: Option<PostmortemView>,
    pub credits: Vec<CreditView>,
}

impl<'a> IncidentDetail<'a> {
    pub fn new(i: &Incident, summary: &'a IncidentSummary, site: &Site, timelines: &Timelines) -> IncidentDetail<'a> {
        let mut updates: Vec<UpdateView> = i.updates_at(site.now).iter().rev().map(|u| update_view(u, site)).collect();
        let earlier_updates =
            if updates.len() > UPDATES_SHOWN + 1 { updates.split_off(UPDATES_SHOWN) } else { Vec::new() };
        let (opens_with_heading, headings) = headings(&i.body);
        let has = |name: &str| headings.iter().any(|h| h.eq_ignore_ascii_case(name));
        let mut jumps = Vec::new();
        if i.postmortem.is_some() {
            jumps.push(Link { name: "Postmortem".into(), href: "#postmortem".into() });
        }
        jumps.push(Link { name: "Timeline".into(), href: "#timeline".into() });
        if !i.credits.is_empty() {
            jumps.push(Link { name: "Credits".into(), href: "#credits".into() });
        }
        let glance = Glance {
            duration: if summary.open {
                format!("Ongoing for {} so far", summary.duration)
            } else {
                format!("Lasted {}", summary.duration)
            },
            places: places(i, site),
            latest: updates.first().map(|u| UpdateView { body_html: String::new(), ..u.clone() }),
            jumps,
        };
        IncidentDetail {
            summary,
            glance,
            detected: i.detected.map(|d| TimeView::new(d, site)),
            updates,
            earlier_updates,
            picture: incident_picture(i, site),
            affected: i.affected.iter().map(|a| affected_view(a, site)).collect(),
            body_html: to_html(&i.body),
            narrative_heading: !opens_with_heading && !has("What happened"),
            credits_heading: !has("Service credits") && !has("Credits"),
            postmortem: i.postmortem.as_ref().map(|p| postmortem_view(p, site)),
            credits: i.credits.iter().map(|c| credit_view(site, timelines, i, c)).collect(),
        }
    }
}

fn affected_view(a: &Affected, site: &Site) -> AffectedView {
    let config = &site.config;
    let name_of = |id: &String| {
        site.lookup.component(id).map(|c| config.components[c].name.clone()).unwrap_or_else(|| id.clone())
    };
    AffectedView {
        status: status_badge(a.status),
        components: a.components.iter().map(|c| Link { name: name_of(c), href: component_href(c) }).collect(),
        regions: a
            .regions
            .iter()
            .flatten()
            .filter_map(|r| config.region(r))
            .map(|r| Link { name: r.name.clone(), href: region_href(&r.id) })
            .collect(),
        all_regions: a.regions.is_none(),
        from: TimeView::new(a.from, site),
        to: a.to.map(|t| TimeView::new(t, site)),
        duration: time::outage_duration(a.end_at(site.now) - a.from),
    }
}

/// Every service any window of the incident touches, in config order, with
/// where it touches it ([`Scope::where_`], the wording every page uses).
fn places(i: &Incident, site: &Site) -> Vec<Place> {
    let scope = Scope::of_incident(i, site);
    scope
        .components()
        .into_iter()
        .map(|c| {
            let component = &site.config.components[c];
            let service = Link { name: component.name.clone(), href: component_href(&component.id) };
            Place { service, regions: scope.where_(c, site) }
        })
        .collect()
}

/// Whether the Markdown opens with a heading, and the text of every heading.
pub fn headings(markdown: &str) -> (bool, Vec<String>) {
    let mut first = true;
    let mut opens = false;
    let mut open: Option<String> = None;
    let mut found = Vec::new();
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_FOOTNOTES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                opens |= first;
                open = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => found.extend(open.take().map(|h| h.trim().to_owned())),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = open.as_mut() {
                    h.push_str(&t);
                }
            }
            _ => {}
        }
        first = false;
    }
    (opens, found)
}

/// A declared credit with the figure that applies: the declared percentage,
/// or for a service and month where the SLA gives more, the SLA's, which is
/// the least the contract gives whatever was declared.
pub fn credit_view(site: &Site, timelines: &Timelines, incident: &Incident, credit: &Credit) -> CreditView {
    let config = &site.config;
    let wanted = credit_months(&credit.months, incident, config.sla.billing_timezone, site.now);
    let mut minimum = Vec::new();
    let mut raised = Vec::new();
    for ci in credit.components.iter().filter_map(|id| site.lookup.component(id)) {
        let name = &config.components[ci].name;
        for m in timelines.component_months(site, ci).iter().filter(|m| wanted.contains(&(m.year, m.month))) {
            let month = month_label(m.year, m.month);
            let available = super::uptime_views::percent(m.availability);
            minimum.push(match m.tier {
                Some(t) => format!("{name}, {month}: {available} available, so the SLA gives at least {}%", t.credit),
                None => format!("{name}, {month}: {available} available, within the SLA, which gives no credit"),
            });
            if let Some(t) = m.tier.filter(|t| t.credit > credit.percent) {
                raised.push(format!("{}% for {name} in {month}", t.credit));
            }
        }
    }
    let applies = if raised.is_empty() {
        format!(
            "The declared {}% applies: it is at least what the SLA gives for every month it covers.",
            credit.percent
        )
    } else {
        format!(
            "The declared {}% applies, except where the SLA gives more, which you receive instead: {}.",
            credit.percent,
            join_words(&raised)
        )
    };
    CreditView {
        percent: credit.percent,
        sentence: credit_sentence(site, incident, credit),
        applies,
        minimum,
        note: credit.note.clone(),
    }
}

/// A credit in plain words: "33% credit on Compute and Service Bus for the
/// February 2012 and March 2012 billing months".
pub fn credit_sentence(site: &Site, incident: &Incident, credit: &Credit) -> String {
    let config = &site.config;
    let names: Vec<String> = credit
        .components
        .iter()
        .map(|id| site.lookup.component(id).map_or_else(|| id.clone(), |c| config.components[c].name.clone()))
        .collect();
    let months: Vec<String> = credit_months(&credit.months, incident, config.sla.billing_timezone, site.now)
        .into_iter()
        .map(|(y, m)| month_label(y, m))
        .collect();
    let noun = if months.len() == 1 { "billing month" } else { "billing months" };
    format!("{}% credit on {} for the {} {noun}", credit.percent, join_words(&names), join_words(&months))
}

#[cfg(test)]
mod tests {
    use super::headings;

    #[test]
    fn headings_are_found_with_whether_the_text_opens_with_one() {
        let (opens, found) = headings("## What happened\n\nText.\n\n## Service `credits`\n");
        assert!(opens);
        assert_eq!(found, ["What happened", "Service credits"]);
        let (opens, found) = headings("Text first.\n\n# Later\n");
        assert!(!opens);
        assert_eq!(found, ["Later"]);
    }
}
