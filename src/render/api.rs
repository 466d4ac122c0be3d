//! A JSON API under `api/v2/` that clients written for Atlassian
//! Statuspage's public v2 API read unchanged. The mapping is documented in
//! `docs/api.md`; in short:
//!
//! - every service becomes a component *group* whose children are its
//!   regions, named "<service> - <region>" (a site with one region maps
//!   services to plain components instead);
//! - every key of the published objects is present, `null` when empty; the
//!   one exception is the same as Statuspage's: only groups carry a
//!   `components` list;
//! - timestamps carry milliseconds and the site zone's `+HH:MM` offset;
//! - `regions` is a Candor extension at the top of `summary.json` and
//!   `components.json`;
//! - everything is as it stands at the build's clock: an update dated after
//!   it is not published and moves no time or status, and an incident is
//!   open (never `resolved`) until its `resolved` time has passed.
//!
//! This file holds the published shapes and writes the files; [`model`]
//! maps the site onto them.

mod model;

use super::{absolute_url, views::incident_href, Kind, OutputFile, Sink};
use crate::derive::Derived;
use crate::error::Error;
use crate::model::Site;
use model::Api;
use serde::Serialize;

/// How many incidents and maintenances the list endpoints hold, as on Statuspage.
pub const LIST_SIZE: usize = 50;

pub fn render(site: &Site, derived: &Derived, sink: &dyn Sink) -> Result<(), Error> {
    let api = Api::new(site, &derived.grid);
    let page = api.page();
    let status = api.status();
    let components = api.components();
    let incidents = api.incidents(LIST_SIZE);
    let unresolved: Vec<&ApiIncident> = incidents.iter().filter(|i| i.resolved_at.is_none()).collect();
    let maintenances = api.maintenances(LIST_SIZE);
    let upcoming: Vec<&ApiMaintenance> = maintenances.iter().filter(|m| m.incident.status == "scheduled").collect();
    let active: Vec<&ApiMaintenance> =
        maintenances.iter().filter(|m| matches!(m.incident.status, "in_progress" | "verifying")).collect();
    let regions = api.regions();

    let put = |path: &str, body: &dyn erased::Json| {
        sink.put(OutputFile::new(format!("api/v2/{path}"), body.to_json(), Kind::Api))
    };
    put(
        "summary.json",
        &Summary {
            page: &page,
            components: &components,
            incidents: &unresolved,
            scheduled_maintenances: &upcoming.iter().chain(&active).copied().collect::<Vec<_>>(),
            status: &status,
            regions: &regions,
            candor: CandorExtension { version: crate::output::manifest::PLACEHOLDER },
        },
    )?;
    put("status.json", &StatusFile { page: &page, status: &status })?;
    put("components.json", &ComponentsFile { page: &page, components: &components, regions: &regions })?;
    // The newest 50 and every unresolved one, as Statuspage's contract says.
    put("incidents.json", &IncidentsFile { page: &page, incidents: &incidents.iter().collect::<Vec<_>>() })?;
    put("incidents/unresolved.json", &IncidentsFile { page: &page, incidents: &unresolved })?;
    let newest_maintenance: Vec<&ApiMaintenance> = maintenances.iter().rev().take(LIST_SIZE).collect();
    put("scheduled-maintenances.json", &MaintenancesFile { page: &page, scheduled_maintenances: &newest_maintenance })?;
    put("scheduled-maintenances/upcoming.json", &MaintenancesFile { page: &page, scheduled_maintenances: &upcoming })?;
    put("scheduled-maintenances/active.json", &MaintenancesFile { page: &page, scheduled_maintenances: &active })
}

/// Serialises any of the file shapes without naming each type.
mod erased {
    pub trait Json {
        fn to_json(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Vec<u8> {
            let mut out = serde_json::to_vec(self).unwrap_or_default();
            out.push(b'\n');
            out
        }
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    page: &'a ApiPage,
    components: &'a [ApiComponent],
    incidents: &'a [&'a ApiIncident],
    scheduled_maintenances: &'a [&'a ApiMaintenance],
    status: &'a ApiStatus,
    regions: &'a [ApiRegion],
    candor: CandorExtension,
}

/// Candor's own field of `summary.json`: the site's version, written over
/// the placeholder by the build ([`crate::output::manifest`]).
#[derive(Serialize)]
struct CandorExtension {
    version: &'static str,
}

#[derive(Serialize)]
struct StatusFile<'a> {
    page: &'a ApiPage,
    status: &'a ApiStatus,
}

#[derive(Serialize)]
struct ComponentsFile<'a> {
    page: &'a ApiPage,
    components: &'a [ApiComponent],
    regions: &'a [ApiRegion],
}

#[derive(Serialize)]
struct IncidentsFile<'a> {
    page: &'a ApiPage,
    incidents: &'a [&'a ApiIncident],
}

#[derive(Serialize)]
struct MaintenancesFile<'a> {
    page: &'a ApiPage,
    scheduled_maintenances: &'a [&'a ApiMaintenance],
}

// ------------------------------------------------------------------ the objects inside the files

#[derive(Serialize)]
pub struct ApiPage {
    pub id: String,
    pub name: String,
    pub url: String,
    pub time_zone: String,
    pub updated_at: String,
}

#[derive(Serialize)]
pub struct ApiStatus {
    pub indicator: &'static str,
    pub description: &'static str,
}

#[derive(Serialize, Clone)]
pub struct ApiComponent {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub created_at: String,
    pub updated_at: String,
    pub position: usize,
    pub description: Option<String>,
    pub showcase: bool,
    pub start_date: Option<String>,
    pub group_id: Option<String>,
    pub page_id: String,
    pub group: bool,
    pub only_show_if_degraded: bool,
    /// Present on groups only, as on Statuspage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<String>>,
}

#[derive(Serialize)]
pub struct ApiAffectedComponent {
    pub code: String,
    pub name: String,
    pub old_status: &'static str,
    pub new_status: &'static str,
}

#[derive(Serialize)]
pub struct ApiIncidentUpdate {
    pub id: String,
    pub status: &'static str,
    pub body: String,
    pub incident_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub display_at: String,
    pub affected_components: Option<Vec<ApiAffectedComponent>>,
    pub deliver_notifications: bool,
    pub custom_tweet: Option<String>,
    pub tweet_id: Option<String>,
}

#[derive(Serialize)]
pub struct ApiIncident {
    pub id: String,
    pub name: String,
    pub status: &'static str,
    pub created_at: String,
    pub updated_at: String,
    pub monitoring_at: Option<String>,
    pub resolved_at: Option<String>,
    pub impact: &'static str,
    pub shortlink: String,
    pub started_at: String,
    pub page_id: String,
    pub incident_updates: Vec<ApiIncidentUpdate>,
    pub components: Vec<ApiComponent>,
}

#[derive(Serialize)]
pub struct ApiMaintenance {
    #[serde(flatten)]
    pub incident: ApiIncident,
    pub scheduled_for: String,
    pub scheduled_until: String,
}

/// Candor's extension: regions with their status and their cells.
#[derive(Serialize)]
pub struct ApiRegion {
    pub id: String,
    pub name: String,
    pub geography: Option<String>,
    pub status: &'static str,
    /// Ids of the components (service in this region) listed in `components`.
    pub components: Vec<String>,
}

/// The incident's shortlink: its page's canonical URL.
fn shortlink(site: &Site, id: &str) -> String {
    let href = incident_href(id);
    absolute_url(site, href.strip_suffix("index.html").unwrap_or(&href))
}
