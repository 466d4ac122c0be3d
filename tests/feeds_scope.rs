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

/// A site with one incident (its last update dated after the clock) and one
/// maintenance that completed early by an update.
fn site_with_future_and_maintenance(dir: &std::path::Path) -> std::path::PathBuf {
    let root = dir.join("src");
    std::fs::create_dir_all(root.join("content/incidents")).unwrap();
    std::fs::create_dir_all(root.join("content/maintenance")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/commands-site/status.toml"), root.join("status.toml")).unwrap();
    std::fs::write(
        root.join("content/incidents/2026-11-22-api-errors.md"),
        "+++\ntitle = \"API errors\"\nimpact = \"minor\"\nstarted = 2026-11-22T05:00:00Z\nallow = [\"future-time\"]\n\
         [[affected]]\ncomponents = [\"api\"]\nstatus = \"partial_outage\"\n\
         [[updates]]\nat = 2026-11-22T05:10:00Z\nstatus = \"investigating\"\nbody = \"Calls to the API fail for one in ten requests.\"\n\
         [[updates]]\nat = 2026-11-22T07:00:00Z\nstatus = \"monitoring\"\nbody = \"NOT SAID YET: a fix is rolling out.\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/maintenance/2026-11-21-db-upgrade.md"),
        "+++\ntitle = \"Database upgrade\"\nscheduled_start = 2026-11-21T02:00:00Z\nscheduled_end = 2026-11-21T05:00:00Z\n\
         components = [\"api\"]\n\
         [[updates]]\nat = 2026-11-14T09:00:00Z\nstatus = \"scheduled\"\nbody = \"We will upgrade the API's database.\"\n\
         [[updates]]\nat = 2026-11-21T02:00:00Z\nstatus = \"in_progress\"\nbody = \"The upgrade has started.\"\n\
         [[updates]]\nat = 2026-11-21T03:41:00Z\nstatus = \"completed\"\nbody = \"The upgrade finished early; all checks pass.\"\n\
         +++\nThe database behind the API moves to a new major version.\n",
    )
    .unwrap();
    let site = dir.join("site");
    build(&root, &site);
    site
}

#[test]
fn maintenance_entries_tell_their_state_and_latest_update() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_future_and_maintenance(dir.path());
    let feed = feed_rs::parser::parse(read(&site, "components/api/feed.atom").as_bytes()).unwrap();
    let entry = feed.entries.iter().find(|e| e.id.ends_with("/maintenance/2026-11-21-db-upgrade/")).expect("listed");
    let html = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(html.starts_with("<p><strong>Completed</strong> · scheduled maintenance from"), "{html}");
    assert!(html.contains("The upgrade finished early; all checks pass."), "{html}");
    assert!(html.contains("moves to a new major version"), "{html}");
    assert_eq!(entry.updated.unwrap().to_rfc3339(), "2026-11-21T03:41:00+00:00");
}

#[test]
fn the_updates_feed_carries_maintenance_updates_and_nothing_after_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_future_and_maintenance(dir.path());
    for name in ["updates.atom", "updates.rss"] {
        let text = read(&site, name);
        let feed = feed_rs::parser::parse(text.as_bytes()).unwrap();
        let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "https://status.example.com/incidents/2026-11-22-api-errors/#update-20261122T051000Z",
                "https://status.example.com/maintenance/2026-11-21-db-upgrade/#update-20261121T034100Z",
                "https://status.example.com/maintenance/2026-11-21-db-upgrade/#update-20261121T020000Z",
                "https://status.example.com/maintenance/2026-11-21-db-upgrade/#update-20261114T090000Z",
            ],
            "{name}"
        );
        assert!(!text.contains("NOT SAID YET"), "{name} announces an update dated after the clock");
    }
    // The maintenance page carries the anchors the feed links to.
    let page = read(&site, "maintenance/2026-11-21-db-upgrade/index.html");
    assert!(page.contains(r#"id="update-20261121T034100Z""#), "{page}");
    // Nor does the incident's own feed or page say it yet.
    for file in ["incidents/2026-11-22-api-errors/updates.atom", "incidents/2026-11-22-api-errors/index.html"] {
        assert!(!read(&site, file).contains("NOT SAID YET"), "{file}");
    }
}

#[test]
fn an_open_incident_is_never_resolved_in_the_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    std::fs::create_dir_all(root.join("content/incidents")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/commands-site/status.toml"), root.join("status.toml")).unwrap();
    std::fs::write(
        root.join("content/incidents/2026-11-22-api-errors.md"),
        "+++\ntitle = \"API errors\"\nimpact = \"minor\"\nstarted = 2026-11-22T05:00:00Z\n\
         [[updates]]\nat = 2026-11-22T05:10:00Z\nstatus = \"identified\"\nbody = \"A bad deploy; we are rolling it back now.\"\n\
         [[updates]]\nat = 2026-11-22T05:40:00Z\nstatus = \"resolved\"\nbody = \"Error rates are back to normal for every caller.\"\n+++\n",
    )
    .unwrap();
    let site = dir.path().join("site");
    build(&root, &site);
    let feed = feed_rs::parser::parse(read(&site, "history.atom").as_bytes()).unwrap();
    let html = feed.entries[0].content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(html.starts_with("<p><strong>Identified</strong> · Minor impact</p>"), "{html}");
}
