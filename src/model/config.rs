//! The site's configuration, as `status.toml` describes it: title, zone,
//! services, regions, policies and replicas. Read by [`crate::config`].

use super::ComponentStatus;
use chrono::Duration;
use chrono_tz::Tz;
use std::path::PathBuf;

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Canonical origin, without a trailing slash; used only where a format
    /// needs absolute URLs.
    pub base_url: String,
    pub description: Option<String>,
    pub timezone: Tz,
    pub update_interval: Duration,
    /// After how many `update_interval`s a page in a reader's browser says
    /// it may be out of date (the pages' script, `age.js`).
    pub stale_after: u32,
    pub uptime_days: u32,
    pub recent_days: u32,
    pub groups: Vec<Group>,
    pub regions: Vec<Region>,
    pub components: Vec<Component>,
    pub uptime: UptimeWeights,
    pub sla: Sla,
    pub social: Social,
    /// Where `candor publish` puts the site ([`crate::publish::replicas`]).
    pub replicas: Vec<Replica>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub geography: Option<String>,
    /// When it was added: incidents and maintenance before then that name
    /// no regions do not cover it (see [`super::lookup::Lookup::cells`]).
    pub since: Option<crate::time::Instant>,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    /// The regions it runs in (every region when the config names none).
    pub regions: Vec<String>,
    pub description: Option<String>,
    /// When it was added: a group named before then does not cover it.
    pub since: Option<crate::time::Instant>,
}

/// Fraction of an interval counted as downtime, per status.
#[derive(Debug, Clone, Copy)]
pub struct UptimeWeights {
    pub major_outage: f64,
    pub partial_outage: f64,
    pub degraded_performance: f64,
}

impl UptimeWeights {
    pub fn weight(&self, status: ComponentStatus) -> f64 {
        match status {
            ComponentStatus::MajorOutage => self.major_outage,
            ComponentStatus::PartialOutage => self.partial_outage,
            ComponentStatus::DegradedPerformance => self.degraded_performance,
            ComponentStatus::UnderMaintenance | ComponentStatus::Operational => 0.0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Sla {
    pub billing_timezone: Tz,
    /// Sorted by `below`, descending: the first tier a figure falls under
    /// is the mildest, the last the most severe.
    pub tiers: Vec<SlaTier>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlaTier {
    pub below: f64,
    pub credit: u32,
}

#[derive(Debug, Clone)]
pub struct Social {
    pub site_name: Option<String>,
    pub hashtags: Vec<String>,
    /// How many local days back updates get social posts (default 90).
    pub days: u32,
}

impl Default for Social {
    fn default() -> Self {
        Social { site_name: None, hashtags: Vec::new(), days: 90 }
    }
}

impl Config {
    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id == id)
    }
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}

/// One place the site is published to.
#[derive(Debug, Clone, PartialEq)]
pub struct Replica {
    pub name: String,
    /// As written in the config.
    pub url: String,
    pub target: Target,
    /// Replicas are published phase by phase, lowest first.
    pub phase: u32,
    pub public_url: Option<String>,
}

/// Where a replica is.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A folder on this machine (or a mount): `file:///srv/status`.
    File(PathBuf),
    /// An object store (`s3://`, `az://`, `gs://`), opened by
    /// [`crate::publish::connect`].
    ObjectStore { scheme: &'static str },
}
