//! Hand-built sites for the derive tests: two regions ("east", "west"),
//! "api" in both and "db" in "east" only.

use crate::config::{Component, Config, Region, Sla, Social, UptimeWeights};
use crate::model::*;
use crate::time::Instant;
use chrono::{DateTime, Duration, Utc};

pub fn t(s: &str) -> Instant {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub fn config() -> Config {
    let region = |id: &str| Region { id: id.into(), name: id.to_uppercase(), geography: None, since: None };
    let component = |id: &str, regions: &[&str]| Component {
        id: id.into(),
        name: id.into(),
        group: None,
        regions: regions.iter().map(|r| r.to_string()).collect(),
        description: None,
        since: None,
    };
    Config {
        title: "T".into(),
        base_url: "https://s.example".into(),
        description: None,
        timezone: chrono_tz::UTC,
        update_interval: Duration::minutes(60),
        stale_after: 3,
        uptime_days: 90,
        recent_days: 14,
        groups: vec![],
        regions: vec![region("east"), region("west")],
        components: vec![component("api", &["east", "west"]), component("db", &["east"])],
        uptime: UptimeWeights { major_outage: 1.0, partial_outage: 0.3, degraded_performance: 0.0 },
        sla: Sla { billing_timezone: chrono_tz::UTC, tiers: vec![] },
        social: Social::default(),
        replicas: Vec::new(),
    }
}

/// An incident as loading makes it: a window without `to` ends with the
/// incident, so it is given `resolved`.
pub fn incident(mut windows: Vec<Affected>, started: &str, resolved: Option<&str>) -> Incident {
    for w in windows.iter_mut().filter(|w| w.to.is_none()) {
        w.to = resolved.map(t);
    }
    Incident {
        id: "i".into(),
        source: "i.md".into(),
        title: "I".into(),
        impact: Impact::Major,
        started: t(started),
        detected: None,
        resolved: resolved.map(t),
        affected: windows,
        updates: vec![],
        postmortem: None,
        credits: vec![],
        body: "".into(),
    }
}

pub fn window(
    components: &[&str],
    regions: Option<&[&str]>,
    status: ComponentStatus,
    from: &str,
    to: Option<&str>,
) -> Affected {
    Affected {
        components: components.iter().map(|c| c.to_string()).collect(),
        regions: regions.map(|r| r.iter().map(|x| x.to_string()).collect()),
        status,
        from: t(from),
        to: to.map(t),
    }
}

pub fn site(incidents: Vec<Incident>, maintenance: Vec<Maintenance>) -> Site {
    Site::new(config(), incidents, maintenance, vec![], t("2026-01-01T00:00:00Z"))
}
