//! The front page's summary: the situation sentence over the banner and the
//! service × region matrix. Both are built from data computed once
//! ([`situation`] and the status grid), so the page costs
//! O(components × regions), whatever the number of incidents.

use super::Pages;
use crate::derive::summary::{situation, Situation};
use crate::model::ComponentStatus;
use crate::render::scope::Scope;
use crate::render::situation::Points;
use crate::render::views::*;
use crate::words::count;
use serde::Serialize;
use tera::Context;

/// Above this many regions the matrix starts in compact mode.
const COMPACT_ABOVE: usize = 12;

/// The sentence and its figures, each ready to link.
#[derive(Serialize)]
struct SituationView {
    lead: &'static str,
    /// After the lead: ":" before figures, ";" else.
    joiner: &'static str,
    /// The rest of the sentence, piece by piece, each linked where it
    /// points ([`crate::derive::summary::Situation::phrases`]).
    parts: Vec<Part>,
    /// The whole sentence in plain words, exactly as the page shows it.
    sentence: String,
    /// The incident that ended last.
    resolved: Option<Link>,
    open: Vec<OpenLine>,
}

/// A piece of the situation sentence and its link: `#...` on the front
/// page, else a path of the site.
#[derive(Serialize)]
struct Part {
    text: String,
    href: Option<String>,
    /// For a time ago: the instant it counts from (RFC 3339).
    since: Option<String>,
}

/// One open incident in the summary: named, linked, with its own figures.
#[derive(Serialize)]
struct OpenLine {
    title: String,
    href: String,
    /// Its card on the front page.
    anchor: String,
    impact: Badge,
    /// Its worst status now; `None` when no window covers `now`.
    status: Option<Badge>,
    services: String,
    regions: String,
    since_update: String,
    /// The instant `since_update` counts from (RFC 3339).
    update_at: String,
    update_href: String,
}

/// The matrix: one table per group, one column per region.
#[derive(Serialize)]
struct Matrix {
    regions: Vec<Link>,
    groups: Vec<MatrixGroup>,
    /// Start in compact mode (many regions); readers can switch.
    compact: bool,
}

#[derive(Serialize)]
struct MatrixGroup {
    /// Anchor of its `<details>`.
    id: String,
    name: String,
    /// Its worst component status.
    status: Badge,
    /// Open by default: something in it is not operational.
    open: bool,
    /// "1 of 4 services affected", empty when none is.
    affected: String,
    rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
struct MatrixRow {
    name: String,
    href: String,
    /// Its worst status across regions.
    status: Badge,
    troubled: bool,
    /// Where it is not operational, in words: "EU West (Dublin)", "12 of 60 regions".
    #[serde(rename = "where")]
    where_: String,
    cells: Vec<MatrixCell>,
}

#[derive(Serialize)]
struct MatrixCell {
    /// `None`: the component does not run in the region.
    status: Option<Badge>,
    /// The open incident that gives the cell its status, if one does.
    href: Option<String>,
}

/// The visible icon and words of a cell the component is not offered in.
#[derive(Serialize)]
struct NotOffered {
    key: &'static str,
    icon: &'static str,
    label: &'static str,
}

impl Pages<'_> {
    /// Adds the situation summary and the matrix to the front page's context.
    pub(super) fn insert_front(&self, ctx: &mut Context) {
        let situation = situation(self.site);
        ctx.insert("situation", &self.situation_view(&situation));
        ctx.insert("matrix", &self.matrix(&situation));
        ctx.insert("not_offered", &NotOffered { key: "none", icon: "–", label: "Not offered" });
        let legend: Vec<Badge> = [
            ComponentStatus::Operational,
            ComponentStatus::UnderMaintenance,
            ComponentStatus::DegradedPerformance,
            ComponentStatus::PartialOutage,
            ComponentStatus::MajorOutage,
        ]
        .into_iter()
        .map(status_badge)
        .collect();
        ctx.insert("legend", &legend);
    }

    fn situation_view(&self, sit: &Situation) -> SituationView {
        let s = self.site;
        // The update on its incident's page; the page itself when the
        // figure is the incident's start (no update yet at the clock).
        let update_href = |incident: usize, at| {
            let inc = &s.incidents[incident];
            match inc.updates.iter().any(|u| u.at == at) {
                true => format!("{}#{}", incident_href(&inc.id), update_anchor(at)),
                false => incident_href(&inc.id),
            }
        };
        let open: Vec<OpenLine> = sit
            .open
            .iter()
            .map(|o| {
                let inc = &s.incidents[o.incident];
                OpenLine {
                    title: inc.title.clone(),
                    href: incident_href(&inc.id),
                    anchor: open_anchor(&inc.id),
                    impact: impact_badge(inc.impact),
                    status: o.worst.map(status_badge),
                    services: count(o.components, "service", "services"),
                    regions: count(o.regions, "region", "regions"),
                    since_update: format!("{} ago", crate::time::human_duration(sit.now - o.last_update)),
                    update_at: crate::time::rfc3339(o.last_update),
                    update_href: update_href(o.incident, o.last_update),
                }
            })
            .collect();
        let incidents_href = match open.as_slice() {
            [one] => format!("#{}", one.anchor),
            _ => "#open-h".into(),
        };
        let last_update = sit.last_update.map(|(i, at)| update_href(i, at));
        let resolved = sit
            .last_resolved
            .map(|(i, _)| Link { name: s.incidents[i].title.clone(), href: incident_href(&s.incidents[i].id) });
        let (joiner, phrases) = sit.phrases();
        let parts = phrases
            .into_iter()
            .map(|(text, points)| {
                let href = match points {
                    Points::Nothing => None,
                    Points::Matrix => Some("#comp-h".to_owned()),
                    Points::OpenIncidents => Some(incidents_href.clone()),
                    Points::LastUpdate => last_update.clone(),
                    Points::LastResolved => resolved.as_ref().map(|r| r.href.clone()),
                };
                // "14 min ago" is marked with its instant, which the pages'
                // script keeps true as the page ages.
                let since = match points {
                    Points::LastUpdate => sit.last_update.map(|(_, at)| crate::time::rfc3339(at)),
                    Points::LastResolved => sit.last_resolved.map(|(_, at)| crate::time::rfc3339(at)),
                    _ => None,
                };
                Part { text, href, since }
            })
            .collect();
        SituationView { lead: sit.lead(), joiner, parts, sentence: sit.sentence(), resolved, open }
    }

    /// Components by group, in config order, then those without a group
    /// under "Other services"; one cell per (component, region).
    fn matrix(&self, sit: &Situation) -> Matrix {
        let config = &self.site.config;
        let grid = &self.derived.grid;
        // Where each service is troubled, in the words every page uses.
        let troubled = Scope::from_cells(
            (grid.cells.iter().enumerate())
                .flat_map(|(ci, row)| row.iter().enumerate().map(move |(ri, st)| ((ci, ri), *st)))
                .filter_map(|(cell, st)| st.filter(|&st| st > ComponentStatus::Operational).map(|st| (cell, st)))
                .collect(),
        );
        let row = |ci: usize| {
            let c = &config.components[ci];
            let status = grid.component(ci);
            let where_ = troubled.where_(ci, self.site);
            let cells = self.derived.grid.cells[ci]
                .iter()
                .enumerate()
                .map(|(ri, st)| MatrixCell {
                    status: st.map(status_badge),
                    href: sit.cells.get(&(ci, ri)).map(|&i| incident_href(&self.site.incidents[i].id)),
                })
                .collect();
            MatrixRow {
                name: c.name.clone(),
                href: component_href(&c.id),
                status: status_badge(status),
                troubled: status > ComponentStatus::Operational,
                where_,
                cells,
            }
        };
        let group = |id: String, name: String, members: Vec<usize>| {
            let rows: Vec<MatrixRow> = members.into_iter().map(row).collect();
            let worst = (rows.iter().map(|r| r.status.key))
                .filter_map(ComponentStatus::from_name)
                .max()
                .unwrap_or(ComponentStatus::Operational);
            let affected = rows.iter().filter(|r| r.troubled).count();
            MatrixGroup {
                id,
                name,
                status: status_badge(worst),
                open: worst > ComponentStatus::Operational,
                affected: if affected == 0 {
                    String::new()
                } else {
                    format!("{affected} of {} affected", count(rows.len(), "service", "services"))
                },
                rows,
            }
        };
        let members = |g: Option<&str>| -> Vec<usize> {
            (0..config.components.len()).filter(|ci| config.components[*ci].group.as_deref() == g).collect()
        };
        let mut groups: Vec<MatrixGroup> = config
            .groups
            .iter()
            .map(|g| group(format!("group-{}", g.id), g.name.clone(), members(Some(&g.id))))
            .collect();
        groups.push(group("ungrouped-services".into(), "Other services".into(), members(None)));
        groups.retain(|g| !g.rows.is_empty());
        Matrix {
            regions: config.regions.iter().map(|r| Link { name: r.name.clone(), href: region_href(&r.id) }).collect(),
            groups,
            compact: config.regions.len() > COMPACT_ABOVE,
        }
    }
}

/// The id of an open incident's card on the front page.
pub(super) fn open_anchor(id: &str) -> String {
    format!("open-{id}")
}
