use super::*;
use crate::derive::fixtures::*;
use crate::model::*;

#[test]
fn worst_covering_window_wins_and_windows_are_half_open() {
    let s = site(
        vec![incident(
            vec![
                window(&["api"], None, ComponentStatus::DegradedPerformance, "2026-01-01T00:00:00Z", None),
                window(
                    &["api"],
                    Some(&["west"]),
                    ComponentStatus::MajorOutage,
                    "2026-01-01T01:00:00Z",
                    Some("2026-01-01T02:00:00Z"),
                ),
            ],
            "2026-01-01T00:00:00Z",
            Some("2026-01-01T03:00:00Z"),
        )],
        vec![],
    );
    let g = grid_at(&s, t("2026-01-01T01:30:00Z"));
    assert_eq!(g.cells[0], vec![Some(ComponentStatus::DegradedPerformance), Some(ComponentStatus::MajorOutage)]);
    assert_eq!(g.cells[1], vec![Some(ComponentStatus::Operational), None], "db does not run in west");
    assert_eq!(g.component(0), ComponentStatus::MajorOutage);
    assert_eq!(g.region(0), ComponentStatus::DegradedPerformance);
    assert_eq!(g.overall(), ComponentStatus::MajorOutage);
    // At the window's end instant it no longer applies.
    let g = grid_at(&s, t("2026-01-01T02:00:00Z"));
    assert_eq!(g.cells[0][1], Some(ComponentStatus::DegradedPerformance));
    // After resolution everything is operational again.
    let g = grid_at(&s, t("2026-01-01T03:00:00Z"));
    assert_eq!(g.overall(), ComponentStatus::Operational);
}

#[test]
fn open_windows_last_until_resolved_and_star_means_offered_regions_only() {
    let s = site(
        vec![incident(
            vec![window(&["db"], None, ComponentStatus::PartialOutage, "2025-12-31T00:00:00Z", None)],
            "2025-12-31T00:00:00Z",
            None,
        )],
        vec![],
    );
    let g = grid_at(&s, t("2026-06-01T00:00:00Z"));
    assert_eq!(g.cells[1], vec![Some(ComponentStatus::PartialOutage), None]);
    assert_eq!(g.overall(), ComponentStatus::PartialOutage);
    // Before the incident started nothing was affected.
    assert_eq!(grid_at(&s, t("2025-12-30T00:00:00Z")).overall(), ComponentStatus::Operational);
}

#[test]
fn maintenance_under_way_shows_but_never_hides_an_outage() {
    let m = Maintenance {
        id: "m".into(),
        source: "m.md".into(),
        title: "M".into(),
        scheduled_start: t("2026-01-01T00:00:00Z"),
        scheduled_end: t("2026-01-01T02:00:00Z"),
        components: vec!["api".into()],
        regions: Some(vec!["east".into()]),
        updates: vec![],
        body: String::new(),
    };
    let s = site(
        vec![incident(
            vec![window(&["api"], Some(&["east"]), ComponentStatus::MajorOutage, "2026-01-01T01:00:00Z", None)],
            "2026-01-01T01:00:00Z",
            Some("2026-01-01T01:30:00Z"),
        )],
        vec![m],
    );
    assert_eq!(grid_at(&s, t("2026-01-01T00:30:00Z")).cells[0][0], Some(ComponentStatus::UnderMaintenance));
    assert_eq!(grid_at(&s, t("2026-01-01T01:10:00Z")).cells[0][0], Some(ComponentStatus::MajorOutage));
    assert_eq!(grid_at(&s, t("2026-01-01T03:00:00Z")).cells[0][0], Some(ComponentStatus::Operational));
}
