use super::*;
use crate::config::{Component, Region};
use crate::derive::fixtures::{config, t};
use crate::model::ComponentStatus::{DegradedPerformance, MajorOutage};

/// Regions A..D; "compute" and "sm" run in all four, "cache" in A, B, C,
/// "dns" in A only.
fn site() -> Site {
    let mut config = config();
    config.regions = ["a", "b", "c", "d"]
        .iter()
        .map(|id| Region {
            id: (*id).into(),
            name: format!("Region {}", id.to_uppercase()),
            geography: None,
            since: None,
        })
        .collect();
    let component = |id: &str, name: &str, regions: &[&str]| Component {
        id: id.into(),
        name: name.into(),
        group: None,
        regions: regions.iter().map(|r| r.to_string()).collect(),
        description: None,
        since: None,
    };
    config.components = vec![
        component("compute", "Compute", &["a", "b", "c", "d"]),
        component("cache", "Caching", &["a", "b", "c"]),
        component("sm", "Service Management", &["a", "b", "c", "d"]),
        component("dns", "DNS", &["a"]),
    ];
    Site::new(config, vec![], vec![], vec![], t("2026-01-01T00:00:00Z"))
}

fn scope(cells: &[(usize, usize)]) -> Scope {
    Scope::from_cells(cells.iter().map(|&cell| (cell, MajorOutage)).collect())
}

#[test]
fn each_service_is_said_with_its_own_regions_and_all_only_when_true() {
    let site = site();
    let s = scope(&[(0, 0), (0, 1), (0, 2), (2, 0), (2, 1), (2, 2), (2, 3)]);
    assert_eq!(
        s.words(&site),
        "Compute in 3 regions (Region A, Region B and Region C); Service Management in all 4 regions"
    );
    // Caching runs in three regions: all three is "all 3 of its regions".
    assert_eq!(scope(&[(1, 0), (1, 1), (1, 2)]).words(&site), "Caching in all 3 of its regions");
    assert_eq!(scope(&[(1, 0), (1, 2)]).words(&site), "Caching in Region A and Region C");
    // DNS runs in one region: named, never "all".
    assert_eq!(scope(&[(3, 0)]).words(&site), "DNS in Region A");
    assert_eq!(scope(&[]).words(&site), "");
}

#[test]
fn services_touched_alike_are_said_together_and_long_lists_are_counted() {
    let site = site();
    let s = scope(&[(0, 0), (1, 0), (2, 0), (2, 1)]);
    assert_eq!(s.words(&site), "Compute and Caching in Region A; Service Management in Region A and Region B");
    assert_eq!(s.where_(2, &site), "Region A and Region B");
    assert_eq!(s.where_(3, &site), "");
}

#[test]
fn the_worst_status_and_the_regions_touched() {
    let mut cells = BTreeMap::new();
    cells.insert((0, 0), MajorOutage);
    cells.insert((1, 1), DegradedPerformance);
    cells.insert((1, 2), DegradedPerformance);
    let s = Scope::from_cells(cells);
    assert_eq!(s.worst(), Some(MajorOutage));
    assert_eq!(s.region_flags(4), [true, true, true, false]);
}
