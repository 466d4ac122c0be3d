//! Data shaped for templates: strings ready to show, links relative to the
//! site root, times in the site zone with the machine-readable UTC beside.
//!
//! The domain model stays free of display concerns; templates stay free of
//! logic. Views are built once per build (summaries) or once per page
//! (details), never once per page per incident.

use super::markdown::to_html;
use super::scope::Scope;
use crate::model::*;
use crate::time::{self, Instant};
use serde::Serialize;

mod postmortem;
pub use postmortem::{action_view, postmortem_view, section_title, ActionView, PostmortemView, SectionView};

#[derive(Serialize, Clone)]
pub struct TimeView {
    /// "2012-02-28 16:00 PST"
    pub display: String,
    /// "2012-02-29T00:00:00Z"
    pub iso: String,
}

impl TimeView {
    pub fn new(instant: Instant, site: &Site) -> TimeView {
        TimeView { display: time::display(instant, site.config.timezone), iso: time::rfc3339(instant) }
    }
}

/// A status or impact with its key (for CSS), words and icon (never colour alone).
#[derive(Serialize, Clone)]
pub struct Badge {
    pub key: &'static str,
    pub label: &'static str,
    pub icon: &'static str,
}

pub fn status_badge(s: ComponentStatus) -> Badge {
    let icon = match s {
        ComponentStatus::Operational => "✓",
        ComponentStatus::UnderMaintenance => "⚙",
        ComponentStatus::DegradedPerformance => "◐",
        ComponentStatus::PartialOutage => "▲",
        ComponentStatus::MajorOutage => "✕",
    };
    Badge { key: s.as_str(), label: s.label(), icon }
}

pub fn impact_badge(i: Impact) -> Badge {
    let icon = match i {
        Impact::None => "○",
        Impact::Minor => "◐",
        Impact::Major => "▲",
        Impact::Critical => "✕",
    };
    Badge { key: i.as_str(), label: i.label(), icon }
}

/// A link to another page of the site, relative to the site root.
#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub href: String,
}

pub fn component_href(id: &str) -> String {
    format!("components/{id}/index.html")
}
pub fn region_href(id: &str) -> String {
    format!("regions/{id}/index.html")
}
pub fn incident_href(id: &str) -> String {
    format!("incidents/{id}/index.html")
}
pub fn maintenance_href(id: &str) -> String {
    format!("maintenance/{id}/index.html")
}
pub fn page_href(id: &str) -> String {
    format!("pages/{id}/index.html")
}

/// What lists of incidents show: enough to scan, no rendered prose.
#[derive(Serialize, Clone)]
pub struct IncidentSummary {
    pub id: String,
    pub href: String,
    pub title: String,
    pub impact: Badge,
    /// The latest update's status word ("Resolved" once resolved).
    pub state: &'static str,
    pub open: bool,
    pub started: TimeView,
    pub resolved: Option<TimeView>,
    /// "1 d 10 h 15 min"; for an open incident, how long so far.
    pub duration: String,
    /// Where it touched services over its whole span, per service
    /// ([`Scope::words`]): "Compute in 3 regions (...); Service Management
    /// in all 8 regions"; empty without windows.
    pub scope: String,
    pub has_postmortem: bool,
}

impl IncidentSummary {
    pub fn new(i: &Incident, site: &Site) -> IncidentSummary {
        let end = i.resolved.unwrap_or(site.now.max(i.started));
        let state = match (i.resolved, i.updates_at(site.now).last()) {
            (Some(_), _) => "Resolved",
            (None, Some(u)) => u.status.label(),
            (None, None) => "Investigating",
        };
        IncidentSummary {
            scope: Scope::of_incident(i, site).words(site),
            id: i.id.clone(),
            href: incident_href(&i.id),
            title: i.title.clone(),
            impact: impact_badge(i.impact),
            state,
            open: i.is_open(),
            started: TimeView::new(i.started, site),
            resolved: i.resolved.map(|r| TimeView::new(r, site)),
            duration: time::outage_duration(end - i.started),
            has_postmortem: i.postmortem_at(site.now).is_some(),
        }
    }
}

/// Which components and which regions an incident touches, as flags in
/// config order.
pub fn touched(i: &Incident, site: &Site) -> (Vec<bool>, Vec<bool>) {
    let mut components = vec![false; site.config.components.len()];
    let mut regions = vec![false; site.config.regions.len()];
    for a in &i.affected {
        site.lookup.cells(&a.components, &a.regions, a.from, |c, r| {
            components[c] = true;
            regions[r] = true;
        });
    }
    (components, regions)
}

/// Which components and which regions a maintenance touches, as flags in
/// config order.
pub fn touched_by_maintenance(m: &Maintenance, site: &Site) -> (Vec<bool>, Vec<bool>) {
    let mut components = vec![false; site.config.components.len()];
    let mut regions = vec![false; site.config.regions.len()];
    site.lookup.cells(&m.components, &m.regions, m.scheduled_start, |c, r| {
        components[c] = true;
        regions[r] = true;
    });
    (components, regions)
}

/// A service an open incident affects at the clock, and where.
#[derive(Serialize)]
pub struct AffectedNow {
    pub name: String,
    pub href: String,
    /// Where ([`Scope::where_`]): "EU West", "3 regions (...)", "7 of its
    /// 9 regions", "all 8 regions".
    pub regions: String,
}

/// Where an incident's windows affect services at the clock, per component
/// in config order: what has recovered or not begun yet is left out.
pub fn affected_now(i: &Incident, site: &Site) -> Vec<AffectedNow> {
    let scope = Scope::of_incident_at(i, site, site.now);
    scope
        .components()
        .into_iter()
        .map(|c| {
            let component = &site.config.components[c];
            AffectedNow {
                name: component.name.clone(),
                href: component_href(&component.id),
                regions: scope.where_(c, site),
            }
        })
        .collect()
}

/// The anchor of an update on its incident's page: "update-20250929T211900Z".
/// Feeds link to it, so it depends on the update's time only.
pub fn update_anchor(at: Instant) -> String {
    format!("update-{}", time::compact(at))
}

#[derive(Serialize, Clone)]
pub struct UpdateView {
    pub anchor: String,
    pub at: TimeView,
    pub status: &'static str,
    pub status_key: &'static str,
    pub body_html: String,
}

#[derive(Serialize)]
pub struct AffectedView {
    pub status: Badge,
    pub components: Vec<Link>,
    pub regions: Vec<Link>,
    /// True for `regions = ["*"]`.
    pub all_regions: bool,
    pub from: TimeView,
    pub to: Option<TimeView>,
    pub duration: String,
}

pub fn update_view(u: &Update, site: &Site) -> UpdateView {
    UpdateView {
        anchor: update_anchor(u.at),
        at: TimeView::new(u.at, site),
        status: u.status.label(),
        status_key: u.status.as_str(),
        body_html: to_html(&u.body),
    }
}

/// A maintenance as lists and its own page show it.
#[derive(Serialize)]
pub struct MaintenanceView {
    pub id: String,
    pub href: String,
    pub title: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub start: TimeView,
    pub end: TimeView,
    pub duration: String,
    pub components: Vec<Link>,
    /// Where, per service ([`Scope::words`]).
    pub scope: String,
    pub updates: Vec<UpdateView>,
    pub body_html: String,
}

impl MaintenanceView {
    pub fn new(m: &Maintenance, site: &Site, with_prose: bool) -> MaintenanceView {
        let status = m.status_at(site.now);
        let components = m
            .components
            .iter()
            .filter_map(|c| site.config.component(c))
            .map(|c| Link { name: c.name.clone(), href: component_href(&c.id) })
            .collect();
        MaintenanceView {
            id: m.id.clone(),
            href: maintenance_href(&m.id),
            title: m.title.clone(),
            status: status.label(),
            status_key: status.as_str(),
            start: TimeView::new(m.scheduled_start, site),
            end: TimeView::new(m.scheduled_end, site),
            duration: time::human_duration(m.scheduled_end - m.scheduled_start),
            components,
            scope: Scope::of_maintenance(m, site).words(site),
            updates: if with_prose {
                m.updates_at(site.now)
                    .iter()
                    .rev()
                    .map(|u| UpdateView {
                        anchor: update_anchor(u.at),
                        at: TimeView::new(u.at, site),
                        status: u.status.label(),
                        status_key: u.status.as_str(),
                        body_html: to_html(&u.body),
                    })
                    .collect()
            } else {
                Vec::new()
            },
            body_html: if with_prose { to_html(&m.body) } else { String::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::fixtures::{config, incident, t, window};
    use crate::model::ComponentStatus::*;

    #[test]
    fn affected_now_names_the_regions_still_affected_per_service() {
        // api runs in east and west, db in east; "web" here runs in five regions.
        let mut config = config();
        for id in ["north", "south", "central"] {
            config.regions.push(crate::config::Region {
                id: id.into(),
                name: id.to_uppercase(),
                geography: None,
                since: None,
            });
        }
        let mut web = config.components[0].clone();
        (web.id, web.name, web.regions) =
            ("web".into(), "web".into(), config.regions.iter().map(|r| r.id.clone()).collect());
        config.components.push(web);
        let windows = vec![
            window(&["api"], None, MajorOutage, "2025-12-31T00:00:00Z", None),
            window(&["api"], Some(&["west"]), MajorOutage, "2025-12-31T00:00:00Z", None),
            window(&["db"], None, PartialOutage, "2025-12-31T00:00:00Z", Some("2025-12-31T12:00:00Z")),
            window(
                &["web"],
                Some(&["east", "west", "north", "south"]),
                DegradedPerformance,
                "2025-12-31T00:00:00Z",
                None,
            ),
            window(&["web"], None, MajorOutage, "2026-01-02T00:00:00Z", None),
        ];
        let site = Site::new(
            config,
            vec![incident(windows, "2025-12-31T00:00:00Z", None)],
            vec![],
            vec![],
            t("2026-01-01T00:00:00Z"),
        );
        let said: Vec<(String, String)> =
            affected_now(&site.incidents[0], &site).into_iter().map(|a| (a.name, a.regions)).collect();
        // api: both regions it runs in; db: recovered; web: 4 of the site's
        // 5 (the window over all five has not begun).
        assert_eq!(
            said,
            [("api".to_owned(), "both its regions".to_owned()), ("web".to_owned(), "4 of 5 regions".to_owned())]
        );

        let one = vec![window(&["api"], Some(&["west"]), MajorOutage, "2025-12-31T00:00:00Z", None)];
        let site =
            Site::new(site.config.clone(), vec![incident(one, "2025-12-31T00:00:00Z", None)], vec![], vec![], site.now);
        let said: Vec<String> = affected_now(&site.incidents[0], &site).into_iter().map(|a| a.regions).collect();
        assert_eq!(said, ["WEST"]);
    }
}
