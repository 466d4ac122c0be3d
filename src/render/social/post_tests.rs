//! Unit tests for the social channel's posts on a small in-memory site:
//! headers, scopes, threads and ids.

use super::*;
use crate::config::{Component, Config, Group, Region, Sla, Social, UptimeWeights};
use crate::derive::fixtures::t;
use crate::model::*;
use chrono::Duration;

fn config(hashtags: Vec<String>) -> Config {
    let region = |id: &str, name: &str| Region { id: id.into(), name: name.into(), geography: None, since: None };
    let component = |id: &str, name: &str, group: Option<&str>| Component {
        id: id.into(),
        name: name.into(),
        group: group.map(str::to_owned),
        regions: vec!["us".into(), "eu".into(), "ap".into()],
        description: None,
        since: None,
    };
    Config {
        title: "Example Status".into(),
        base_url: "https://status.example.com".into(),
        description: None,
        timezone: chrono_tz::UTC,
        update_interval: Duration::minutes(60),
        stale_after: 3,
        uptime_days: 90,
        recent_days: 14,
        groups: vec![Group { id: "compute".into(), name: "Compute".into(), description: None }],
        regions: vec![region("us", "US East"), region("eu", "EU West"), region("ap", "Asia Pacific")],
        components: vec![
            component("vm", "Virtual Machines", Some("compute")),
            component("k8s", "Kubernetes", Some("compute")),
            component("db", "PostgreSQL", None),
            component("dns", "DNS", None),
            component("cdn", "CDN", None),
            component("queue", "Queue", None),
        ],
        uptime: UptimeWeights { major_outage: 1.0, partial_outage: 0.3, degraded_performance: 0.0 },
        sla: Sla { billing_timezone: chrono_tz::UTC, tiers: vec![] },
        social: Social { site_name: Some("Example".into()), hashtags, days: 90 },
        replicas: Vec::new(),
    }
}

fn window(components: &[&str], regions: Option<&[&str]>, status: ComponentStatus, from: &str, to: &str) -> Affected {
    Affected {
        components: components.iter().map(|c| c.to_string()).collect(),
        regions: regions.map(|r| r.iter().map(|x| x.to_string()).collect()),
        status,
        from: t(from),
        to: Some(t(to)),
    }
}

fn update(at: &str, status: UpdateStatus, body: &str) -> Update {
    Update { at: t(at), status, body: body.into() }
}

fn incident(affected: Vec<Affected>, updates: Vec<Update>) -> Incident {
    Incident {
        id: "2026-01-02-db".into(),
        source: "content/incidents/2026-01-02-db.md".into(),
        title: "Database <errors> & \"timeouts\"".into(),
        impact: Impact::Major,
        started: t("2026-01-02T10:00:00Z"),
        detected: None,
        resolved: Some(t("2026-01-02T12:00:00Z")),
        affected,
        updates,
        postmortem: None,
        credits: vec![],
        body: "".into(),
    }
}

fn site(incident: Incident) -> Site {
    Site::new(
        config(vec!["#ExampleStatus".into(), "Cloud".into()]),
        vec![incident],
        vec![],
        vec![],
        t("2026-02-01T00:00:00Z"),
    )
}

fn sample() -> Incident {
    incident(
        vec![
            window(
                &["db"],
                Some(&["eu"]),
                ComponentStatus::MajorOutage,
                "2026-01-02T10:00:00Z",
                "2026-01-02T11:00:00Z",
            ),
            window(
                &["db"],
                Some(&["eu"]),
                ComponentStatus::DegradedPerformance,
                "2026-01-02T11:00:00Z",
                "2026-01-02T12:00:00Z",
            ),
        ],
        vec![
            update("2026-01-02T10:10:00Z", UpdateStatus::Investigating, "Connections *fail*."),
            update("2026-01-02T11:30:00Z", UpdateStatus::Monitoring, "Recovering."),
            update("2026-01-02T12:00:00Z", UpdateStatus::Resolved, "Fixed."),
        ],
    )
}

#[test]
fn posts_name_status_services_regions_and_end_with_url_and_hashtags() {
    let posts = posts(&site(sample()));
    assert_eq!(posts.len(), 9, "three updates on three networks");
    let x: Vec<&Post> = posts.iter().filter(|p| p.network == "x").collect();
    let url = "https://status.example.com/incidents/2026-01-02-db/";
    assert_eq!(
        x[0].text,
        format!("[Major outage] PostgreSQL in EU West\nInvestigating: Connections fail.\n{url} #ExampleStatus #Cloud")
    );
    assert!(x[1].text.starts_with("[Degraded performance] PostgreSQL in EU West\nMonitoring: Recovering."));
    // After the last window closed: resolved, and what recovered.
    assert!(x[2].text.starts_with("[Resolved] PostgreSQL in EU West\nResolved: Fixed."), "{}", x[2].text);
    assert_eq!(x[0].id, "2026-01-02-db/20260102T101000Z/x/1");
    assert_eq!(x[0].url, url);
    assert_eq!(x[0].reply_to, None);
}

#[test]
fn headers_collapse_groups_abbreviate_services_and_count_regions() {
    let all = ["vm", "k8s", "db", "dns", "cdn", "queue"];
    let wide = incident(
        vec![window(&all, None, ComponentStatus::PartialOutage, "2026-01-02T10:00:00Z", "2026-01-02T12:00:00Z")],
        vec![update("2026-01-02T10:10:00Z", UpdateStatus::Identified, "Found it.")],
    );
    let text = &posts(&site(wide.clone()))[0].text;
    assert!(
        text.starts_with(
            "[Partial outage] Virtual Machines, Kubernetes, PostgreSQL, DNS, CDN and Queue in all 3 regions\n"
        ),
        "{text}"
    );
    // The shorter forms, for when that leaves too little room.
    let s = site(wide);
    let scope = Scope::of_incident_at(&s.incidents[0], &s, s.incidents[0].updates[0].at);
    let forms = Header::new(&s, &scope, &group_sizes(&s)).headers("Partial outage", &scope.words(&s));
    assert_eq!(
        forms[1..],
        [
            "[Partial outage] Compute, PostgreSQL, DNS +2 more · all regions",
            "[Partial outage] Compute +4 more · all regions",
            "[Partial outage] 5 services · all regions",
            "[Partial outage]",
        ]
    );

    let some = incident(
        vec![window(
            &["vm", "dns"],
            Some(&["us", "eu"]),
            ComponentStatus::MajorOutage,
            "2026-01-02T10:00:00Z",
            "2026-01-02T12:00:00Z",
        )],
        vec![update("2026-01-02T10:10:00Z", UpdateStatus::Identified, "Found it.")],
    );
    let text = &posts(&site(some))[0].text;
    assert!(text.starts_with("[Major outage] Virtual Machines and DNS in US East and EU West\n"), "{text}");

    let none = incident(vec![], vec![update("2026-01-02T10:10:00Z", UpdateStatus::Resolved, "False alarm.")]);
    assert!(posts(&site(none))[0].text.starts_with("[Major impact]\nResolved: False alarm."));
}

#[test]
fn threads_reply_to_the_previous_part() {
    let long = "This sentence is here to make the update long enough to need a thread on X. ".repeat(8);
    let inc = incident(vec![], vec![update("2026-01-02T10:10:00Z", UpdateStatus::Investigating, &long)]);
    let x: Vec<Post> = posts(&site(inc)).into_iter().filter(|p| p.network == "x").collect();
    assert!(x.len() > 2);
    for (i, p) in x.iter().enumerate() {
        assert_eq!(p.id, format!("2026-01-02-db/20260102T101000Z/x/{}", i + 1));
        assert_eq!((p.part, p.parts), (i + 1, x.len()));
        assert_eq!(p.reply_to, (i > 0).then(|| format!("2026-01-02-db/20260102T101000Z/x/{i}")));
    }
}

#[test]
fn ids_do_not_change_when_the_text_does() {
    let ids = |body: &str| -> Vec<String> {
        let inc = incident(vec![], vec![update("2026-01-02T10:10:00Z", UpdateStatus::Investigating, body)]);
        posts(&site(inc)).into_iter().map(|p| p.id).collect()
    };
    assert_eq!(ids("First wording."), ids("A completely different, rewritten wording."));
}

#[test]
fn same_second_updates_get_distinct_ids_and_future_updates_wait() {
    let inc = incident(
        vec![],
        vec![
            update("2026-01-02T10:10:00Z", UpdateStatus::Investigating, "One."),
            update("2026-01-02T10:10:00Z", UpdateStatus::Identified, "Two."),
            update("2027-01-01T00:00:00Z", UpdateStatus::Resolved, "Not yet said."),
        ],
    );
    let ids: Vec<String> = posts(&site(inc)).into_iter().filter(|p| p.network == "x").map(|p| p.id).collect();
    assert_eq!(ids, ["2026-01-02-db/20260102T101000Z/x/1", "2026-01-02-db/20260102T101000Z-2/x/1"]);
}

#[test]
fn hostile_text_is_cleaned_and_fits_everywhere() {
    let body = "Tags <b>&amp;</b> ]]> \"quotes\" 'single' \u{0}\u{1B}[31m bell\u{7} e\u{301} 日本 ".repeat(20);
    let inc = incident(vec![], vec![update("2026-01-02T10:10:00Z", UpdateStatus::Investigating, &body)]);
    for p in posts(&site(inc)) {
        let network = Network::ALL.into_iter().find(|n| n.key() == p.network).unwrap();
        assert!(network.fits(&p.text), "{}", p.text);
        assert!(!p.text.chars().any(|c| c.is_control() && c != '\n'), "{:?}", p.text);
        assert!(!p.text.contains("e\u{301}"), "not NFC");
    }
}

/// An `@` one ASCII letter after a wider character made twitter-text's
/// Rust port panic, and the build with it; such posts are counted by an
/// upper bound and still fit.
#[test]
fn text_that_made_the_counting_panic_is_posted() {
    let body = "Write to サポートa@example.com or ü1@x. ".repeat(12);
    let inc = incident(vec![], vec![update("2026-01-02T10:10:00Z", UpdateStatus::Investigating, &body)]);
    let posts = posts(&site(inc));
    assert!(posts.iter().any(|p| p.network == "x" && p.text.contains("サポートa@example.com")));
    for p in posts {
        let network = Network::ALL.into_iter().find(|n| n.key() == p.network).unwrap();
        assert!(network.fits(&p.text), "{}", p.text);
    }
}

/// Each post says where things stood at its own update: not a service
/// affected only later, not one recovered already.
#[test]
fn each_post_says_the_scope_at_its_own_update() {
    let inc = incident(
        vec![
            window(
                &["db"],
                Some(&["eu"]),
                ComponentStatus::MajorOutage,
                "2026-01-02T10:00:00Z",
                "2026-01-02T11:00:00Z",
            ),
            window(&["dns"], None, ComponentStatus::PartialOutage, "2026-01-02T10:30:00Z", "2026-01-02T12:00:00Z"),
        ],
        vec![
            update("2026-01-02T10:10:00Z", UpdateStatus::Investigating, "Connections fail."),
            update("2026-01-02T10:40:00Z", UpdateStatus::Identified, "DNS too."),
            update("2026-01-02T11:30:00Z", UpdateStatus::Monitoring, "PostgreSQL is back."),
        ],
    );
    let x: Vec<String> = posts(&site(inc)).into_iter().filter(|p| p.network == "x").map(|p| p.text).collect();
    assert!(x[0].starts_with("[Major outage] PostgreSQL in EU West\n"), "{}", x[0]);
    assert!(x[1].starts_with("[Major outage] PostgreSQL in EU West; DNS in all 3 regions\n"), "{}", x[1]);
    assert!(x[2].starts_with("[Partial outage] DNS in all 3 regions\n"), "{}", x[2]);
}
