use super::*;
use crate::derive::fixtures::*;
use crate::model::*;
use chrono::NaiveDate;

fn update(at: &str) -> Update {
    Update { at: t(at), status: UpdateStatus::Identified, body: "x".into() }
}

fn named(mut i: Incident, id: &str, impact: Impact) -> Incident {
    i.id = id.into();
    i.title = id.to_uppercase();
    i.impact = impact;
    i
}

fn site_at(mut incidents: Vec<Incident>, now: &str) -> Site {
    // The model keeps incidents newest first.
    incidents.sort_by(|a, b| b.started.cmp(&a.started).then(a.id.cmp(&b.id)));
    Site::new(config(), incidents, vec![], vec![], t(now))
}

#[test]
fn counts_distinct_services_and_regions_of_open_incidents_only() {
    let mut newer = named(
        incident(
            vec![window(&["db"], None, ComponentStatus::PartialOutage, "2026-01-01T10:00:00Z", None)],
            "2026-01-01T10:00:00Z",
            None,
        ),
        "newer",
        Impact::Major,
    );
    newer.updates = vec![update("2026-01-01T10:05:00Z"), update("2026-01-01T11:46:00Z")];
    let mut older = named(
        incident(
            vec![
                window(&["api"], Some(&["east"]), ComponentStatus::MajorOutage, "2026-01-01T09:00:00Z", None),
                // Ended: no longer counts.
                window(
                    &["api"],
                    Some(&["west"]),
                    ComponentStatus::MajorOutage,
                    "2026-01-01T09:00:00Z",
                    Some("2026-01-01T09:30:00Z"),
                ),
                window(&["db"], None, ComponentStatus::DegradedPerformance, "2026-01-01T09:00:00Z", None),
            ],
            "2026-01-01T09:00:00Z",
            None,
        ),
        "older",
        Impact::Critical,
    );
    // An update after the build's clock is not news yet.
    older.updates = vec![update("2026-01-01T09:10:00Z"), update("2026-01-01T13:00:00Z")];
    let resolved = named(
        incident(
            vec![window(&["api"], Some(&["west"]), ComponentStatus::MajorOutage, "2026-01-01T08:00:00Z", None)],
            "2026-01-01T08:00:00Z",
            Some("2026-01-01T08:30:00Z"),
        ),
        "resolved",
        Impact::Minor,
    );
    let s = site_at(vec![resolved, older, newer], "2026-01-01T12:00:00Z");
    let sit = situation(&s);
    assert_eq!(sit.open.iter().map(|o| s.incidents[o.incident].id.as_str()).collect::<Vec<_>>(), ["newer", "older"]);
    assert_eq!(sit.components, [0, 1], "api and db, each once");
    assert_eq!(sit.regions, [0], "east only: west's window ended");
    assert_eq!(sit.region_total, 2);
    assert_eq!(sit.worst, Some(ComponentStatus::MajorOutage));
    assert_eq!(sit.lead(), "Major outage");
    // db/east is in both: the newer incident's partial outage is worse.
    assert_eq!(sit.cells[&(1, 0)], 0);
    assert_eq!(sit.cells[&(0, 0)], 1);
    assert_eq!(sit.last_update, Some((0, t("2026-01-01T11:46:00Z"))));
    assert_eq!(sit.open[1].last_update, t("2026-01-01T09:10:00Z"));
    assert_eq!((sit.open[1].components, sit.open[1].regions), (2, 1));
    assert_eq!(sit.kind(), SituationKind::Impact);
    assert_eq!(
        sit.sentence(),
        "Major outage: 2 services in 1 of 2 regions affected by 2 incidents; last update 14 min ago"
    );
}

#[test]
fn an_open_incident_whose_windows_ended_affects_nothing_now() {
    let mut i = named(
        incident(
            vec![window(
                &["api"],
                None,
                ComponentStatus::MajorOutage,
                "2026-01-01T09:00:00Z",
                Some("2026-01-01T09:30:00Z"),
            )],
            "2026-01-01T09:00:00Z",
            None,
        ),
        "monitoring",
        Impact::Major,
    );
    i.updates = vec![update("2026-01-01T09:40:00Z")];
    let sit = situation(&site_at(vec![i], "2026-01-01T11:00:30Z"));
    assert_eq!(sit.kind(), SituationKind::OpenNoImpact);
    assert_eq!(
        sit.sentence(),
        "All systems operational: 1 open incident, no service affected now; last update 1 h 20 min ago"
    );
}

#[test]
fn with_nothing_open_it_says_when_the_last_incident_ended() {
    let a = named(incident(vec![], "2025-12-30T00:00:00Z", Some("2025-12-30T05:00:00Z")), "a", Impact::Minor);
    let b = named(incident(vec![], "2025-12-29T00:00:00Z", Some("2025-12-31T10:00:00Z")), "b", Impact::Minor);
    // Resolved after the clock: still open at the clock.
    let s = site_at(vec![a, b.clone()], "2026-01-01T12:00:00Z");
    let sit = situation(&s);
    assert_eq!(sit.kind(), SituationKind::Calm);
    assert_eq!(sit.last_resolved.map(|(i, _)| s.incidents[i].id.as_str()), Some("b"), "latest end, not latest start");
    assert_eq!(sit.sentence(), "All systems operational; last incident ended 1 d 2 h ago");
    assert_eq!(
        situation(&site_at(vec![], "2026-01-01T12:00:00Z")).sentence(),
        "All systems operational; no incidents recorded"
    );
    let sit = situation(&site_at(vec![b], "2025-12-31T09:59:00Z"));
    assert_eq!(sit.kind(), SituationKind::OpenNoImpact, "resolution in the future");
}

#[test]
fn one_of_one_region_and_singular_words() {
    let mut c = config();
    c.regions.truncate(1);
    c.components.truncate(1);
    c.components[0].regions = vec!["east".into()];
    let mut i = named(
        incident(
            vec![window(&["api"], None, ComponentStatus::DegradedPerformance, "2026-01-01T00:00:00Z", None)],
            "2026-01-01T00:00:00Z",
            None,
        ),
        "x",
        Impact::Minor,
    );
    i.updates = vec![update("2026-01-01T00:00:00Z")];
    let s = Site::new(c, vec![i], vec![], vec![], t("2026-01-01T00:00:20Z"));
    assert_eq!(
        situation(&s).sentence(),
        "Degraded performance: 1 service in 1 of 1 region affected by 1 incident; last update less than a minute ago"
    );
}

#[test]
fn impact_minutes_merge_overlaps_and_stop_at_resolution_or_now() {
    let i = incident(
        vec![
            window(&["api"], None, ComponentStatus::MajorOutage, "2026-01-01T00:00:00Z", Some("2026-01-01T01:00:00Z")),
            // Overlaps the first by 30 minutes.
            window(&["db"], None, ComponentStatus::PartialOutage, "2026-01-01T00:30:00Z", Some("2026-01-01T01:30:00Z")),
            // A separate stretch, open: runs to the resolution.
            window(&["api"], None, ComponentStatus::DegradedPerformance, "2026-01-01T02:00:00Z", None),
        ],
        "2026-01-01T00:00:00Z",
        Some("2026-01-01T02:45:00Z"),
    );
    assert_eq!(impact_minutes(&i, t("2026-02-01T00:00:00Z")), 90 + 45);
    // Before the resolution, only up to now.
    assert_eq!(impact_minutes(&i, t("2026-01-01T02:10:30Z")), 90 + 11, "10.5 minutes, rounded up");
    assert_eq!(impact_seconds(&i, t("2026-01-01T02:10:30Z")), (90 + 10) * 60 + 30);
    assert_eq!(impact_minutes(&i, t("2025-12-31T00:00:00Z")), 0);
    let open = incident(
        vec![window(&["api"], None, ComponentStatus::MajorOutage, "2026-01-01T00:00:00Z", None)],
        "2026-01-01T00:00:00Z",
        None,
    );
    assert_eq!(impact_minutes(&open, t("2026-01-01T03:00:00Z")), 180);
    assert_eq!(impact_minutes(&incident(vec![], "2026-01-01T00:00:00Z", None), t("2026-01-02T00:00:00Z")), 0);
}

#[test]
fn months_run_from_the_first_incident_to_now_cut_in_the_site_zone() {
    let mut c = config();
    c.timezone = chrono_tz::America::Los_Angeles;
    let w = |from: &str, to: &str| window(&["api"], None, ComponentStatus::MajorOutage, from, Some(to));
    let incidents = vec![
        // 2025-11-01 02:00 UTC is still October 31 in Los Angeles.
        named(
            incident(
                vec![w("2025-11-01T02:00:00Z", "2025-11-01T03:00:00Z")],
                "2025-11-01T02:00:00Z",
                Some("2025-11-01T03:00:00Z"),
            ),
            "oct",
            Impact::Minor,
        ),
        named(
            incident(
                vec![w("2026-01-05T00:00:00Z", "2026-01-05T00:20:00Z")],
                "2026-01-05T00:00:00Z",
                Some("2026-01-05T01:00:00Z"),
            ),
            "jan-a",
            Impact::Critical,
        ),
        named(incident(vec![], "2026-01-20T00:00:00Z", Some("2026-01-20T01:00:00Z")), "jan-b", Impact::None),
    ];
    let mut incidents = incidents;
    incidents.sort_by_key(|i| std::cmp::Reverse(i.started));
    let s = Site::new(c, incidents, vec![], vec![], t("2026-03-10T00:00:00Z"));
    let months = months(&s);
    let keys: Vec<(i32, u32)> = months.iter().map(|m| (m.year, m.month)).collect();
    assert_eq!(keys, [(2026, 3), (2026, 2), (2026, 1), (2025, 12), (2025, 11), (2025, 10)]);
    let jan = &months[2];
    assert_eq!(jan.incidents.iter().map(|&i| s.incidents[i].id.as_str()).collect::<Vec<_>>(), ["jan-b", "jan-a"]);
    assert_eq!((jan.impact_minutes, jan.worst), (20, Some(Impact::Critical)));
    assert_eq!((months[5].incidents.len(), months[5].impact_minutes), (1, 60));
    assert_eq!((months[0].incidents.len(), months[0].worst), (0, None));
}

#[test]
fn action_items_are_overdue_only_before_today_and_when_not_done() {
    let item = |status, due: Option<(i32, u32, u32)>| ActionItem {
        title: "a".into(),
        body: None,
        status,
        owner: None,
        due: due.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
    };
    let mut i = incident(vec![], "2025-12-01T00:00:00Z", Some("2025-12-01T01:00:00Z"));
    i.postmortem = Some(Postmortem {
        published: t("2025-12-02T00:00:00Z"),
        summary: String::new(),
        root_cause: String::new(),
        trigger: None,
        went_well: vec![],
        went_wrong: vec![],
        lucky: vec![],
        prevention: vec![
            item(ActionStatus::Planned, Some((2025, 12, 31))), // overdue
            item(ActionStatus::Done, Some((2025, 12, 1))),     // done: never overdue
        ],
        detection: vec![item(ActionStatus::InProgress, Some((2026, 1, 1)))], // due today: not yet
        response: vec![item(ActionStatus::InProgress, None)],
        recovery: vec![],
    });
    let s = Site::new(config(), vec![i], vec![], vec![], t("2026-01-01T12:00:00Z"));
    let counts = action_counts(&s);
    assert_eq!(counts, ActionCounts { postmortems: 1, total: 4, done: 1, in_progress: 2, planned: 1, overdue: 1 });
    assert_eq!(counts.sentence(), "4 action items, 1 done, 1 overdue");
}
