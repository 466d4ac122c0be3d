//! The page of each service (component) and each region: its status in
//! every region or of every service, its latest incidents (at most
//! [`LISTED`]), and its uptime or availability.

use super::{Pages, LISTED};
use crate::render::uptime_views::{region_rows, uptime_view};
use crate::render::views::*;
use serde::Serialize;
use tera::Context;

impl Pages<'_> {
    pub(super) fn component(&self, ci: usize) -> Context {
        let s = self.site;
        let c = &s.config.components[ci];
        let mut ctx = self.base(&c.name, Some(&component_href(&c.id)));
        let regions: Vec<CellView> = s
            .config
            .regions
            .iter()
            .enumerate()
            .map(|(ri, r)| CellView {
                name: r.name.clone(),
                href: region_href(&r.id),
                status: self.derived.grid.cells[ci][ri].map(status_badge),
            })
            .collect();
        let incidents: Vec<&IncidentSummary> =
            self.by_component[ci].iter().take(LISTED).map(|i| &self.summaries[*i]).collect();
        ctx.insert("incident_total", &self.by_component[ci].len());
        ctx.insert(
            "component",
            &ComponentView {
                name: &c.name,
                description: c.description.as_deref(),
                group: c.group.as_deref().and_then(|g| s.config.group(g)).map(|g| g.name.as_str()),
                status: status_badge(self.derived.grid.component(ci)),
            },
        );
        ctx.insert("regions", &regions);
        ctx.insert("incidents", &incidents);
        ctx.insert(
            "uptime",
            &uptime_view(s, &self.derived.timelines.components[ci], self.derived.timelines.component_months(s, ci)),
        );
        ctx
    }

    pub(super) fn region(&self, ri: usize) -> Context {
        let s = self.site;
        let r = &s.config.regions[ri];
        let mut ctx = self.base(&r.name, Some(&region_href(&r.id)));
        let components: Vec<CellView> = s
            .config
            .components
            .iter()
            .enumerate()
            .filter(|(ci, _)| self.derived.grid.cells[*ci][ri].is_some())
            .map(|(ci, c)| CellView {
                name: c.name.clone(),
                href: component_href(&c.id),
                status: self.derived.grid.cells[ci][ri].map(status_badge),
            })
            .collect();
        let incidents: Vec<&IncidentSummary> =
            self.by_region[ri].iter().take(LISTED).map(|i| &self.summaries[*i]).collect();
        ctx.insert("incident_total", &self.by_region[ri].len());
        ctx.insert(
            "region",
            &RegionView {
                name: &r.name,
                geography: r.geography.as_deref(),
                status: status_badge(self.derived.grid.region(ri)),
            },
        );
        ctx.insert("components", &components);
        ctx.insert("incidents", &incidents);
        ctx.insert("availability", &region_rows(s, &self.derived.timelines, &self.derived.grid, ri));
        ctx
    }
}

#[derive(Serialize)]
struct CellView {
    name: String,
    href: String,
    /// `None`: not offered there.
    status: Option<Badge>,
}

#[derive(Serialize)]
struct ComponentView<'a> {
    name: &'a str,
    description: Option<&'a str>,
    group: Option<&'a str>,
    status: Badge,
}

#[derive(Serialize)]
struct RegionView<'a> {
    name: &'a str,
    geography: Option<&'a str>,
    status: Badge,
}
