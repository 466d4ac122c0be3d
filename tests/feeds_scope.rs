//! What the component and region feeds hold: the newest incidents and
//! maintenance that touch that service or region, and nothing else.

mod common;

use common::*;

fn entry_ids(feed: &str) -> Vec<String> {
    let feed = feed_rs::parser::parse(feed.as_bytes()).expect("feed parses");
    feed.entries.into_iter().map(|e| e.id).collect()
}

#[test]
fn component_and_region_feeds_carry_the_maintenance_that_touches_them() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&repo(), &site);
    let maintenance = "https://status.northwind.example/maintenance/2025-11-18-postgres-engine-upgrade-europe/";

    // The Postgres upgrade touches managed-postgres in three European regions.
    for feed in ["components/managed-postgres/feed.atom", "regions/eu-west/feed.atom", "regions/uk-south/feed.atom"] {
        let ids = entry_ids(&read(&site, feed));
        assert!(ids.iter().any(|id| id == maintenance), "{feed} lacks the maintenance: {ids:?}");
        let rss = read(&site, &feed.replace(".atom", ".rss"));
        assert!(rss.contains(&format!("<guid>{maintenance}</guid>")), "{feed} (RSS)");
    }
    // ... and not other services or regions.
    for feed in ["components/cloud-dns/feed.atom", "regions/us-east/feed.atom"] {
        let ids = entry_ids(&read(&site, feed));
        assert!(!ids.iter().any(|id| id == maintenance), "{feed} holds a maintenance it is not touched by");
    }
}

#[test]
fn component_feeds_list_newest_activity_first_and_share_the_site_order() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&repo(), &site);
    for feed in ["components/managed-postgres/feed.atom", "regions/eu-west/feed.atom", "history.atom"] {
        let parsed = feed_rs::parser::parse(read(&site, feed).as_bytes()).unwrap();
        let updated: Vec<_> = parsed.entries.iter().map(|e| e.updated.expect("updated")).collect();
        assert!(!updated.is_empty(), "{feed} is empty");
        assert!(updated.windows(2).all(|w| w[0] >= w[1]), "{feed} is not newest first: {updated:?}");
    }
}
