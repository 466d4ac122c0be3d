//! What the build's clock keeps out: an incident that has not started yet,
//! maintenance updates not said yet (in the feeds and the calendar), and
//! the clock itself as a date when a site has said nothing yet. Also the
//! characters no output may carry.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// A site with the commands fixture's config and the given content files.
fn site_with(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let root = dir.join("src");
    std::fs::create_dir_all(root.join("content/incidents")).unwrap();
    std::fs::create_dir_all(root.join("content/maintenance")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/commands-site/status.toml"), root.join("status.toml")).unwrap();
    for (name, text) in files {
        std::fs::write(root.join("content").join(name), text).unwrap();
    }
    root
}

const PAST: (&str, &str) = (
    "incidents/2026-11-22-api-errors.md",
    "+++\ntitle = \"API errors\"\nimpact = \"minor\"\nstarted = 2026-11-22T05:00:00Z\nresolved = 2026-11-22T05:40:00Z\n\
     [[affected]]\ncomponents = [\"api\"]\nstatus = \"partial_outage\"\n\
     [[updates]]\nat = 2026-11-22T05:10:00Z\nstatus = \"identified\"\nbody = \"A bad deploy; we are rolling it back now.\"\n\
     [[updates]]\nat = 2026-11-22T05:40:00Z\nstatus = \"resolved\"\nbody = \"Error rates are back to normal for every caller.\"\n+++\n",
);

/// Starts a day after the test clock (2026-11-22T06:00Z).
const NOT_YET: (&str, &str) = (
    "incidents/2026-11-23-dns-outage.md",
    "+++\ntitle = \"DNS outage\"\nimpact = \"major\"\nstarted = 2026-11-23T06:00:00Z\n\
     [[affected]]\ncomponents = [\"api\"]\nstatus = \"major_outage\"\n\
     [[updates]]\nat = 2026-11-23T06:05:00Z\nstatus = \"investigating\"\nbody = \"Name lookups fail in every region we serve.\"\n+++\n",
);

#[test]
fn an_incident_that_starts_after_the_clock_is_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_with(dir.path(), &[PAST, NOT_YET]);
    let site = dir.path().join("site");
    let out = candor(&["build", "--root", path(&root), "--output", path(&site), "--now", NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("future-time"), "check still warns: {}", stderr(&out));
    assert!(stdout(&out).contains("from 1 incident and"), "{}", stdout(&out));
    // `check` validates both and says so.
    let out = candor(&["check", "--root", path(&root), "--now", NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("2 incidents"), "{}", stdout(&out));

    assert!(site.join("incidents/2026-11-22-api-errors/index.html").is_file());
    assert!(!site.join("incidents/2026-11-23-dns-outage").exists(), "its page is written ahead of time");
    for file in [
        "index.html",
        "history/index.html",
        "history.atom",
        "history.rss",
        "updates.atom",
        "components/api/feed.atom",
        "sitemap.xml",
        "api/v2/summary.json",
        "api/v2/incidents.json",
        "api/v2/incidents/unresolved.json",
        "social/posts.json",
    ] {
        let text = read(&site, file);
        assert!(!text.contains("2026-11-23-dns-outage") && !text.contains("DNS outage"), "{file} announces it");
    }
    // The status agrees with what is listed: nothing open, all operational.
    let status: serde_json::Value = serde_json::from_str(&read(&site, "api/v2/status.json")).unwrap();
    assert_eq!(status["status"]["indicator"], "none");

    // Once the clock reaches it, it is there.
    let later = dir.path().join("later");
    let out = candor(&["build", "--root", path(&root), "--output", path(&later), "--now", "2026-11-23T07:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(later.join("incidents/2026-11-23-dns-outage/index.html").is_file());
    let unresolved = read(&later, "api/v2/incidents/unresolved.json");
    assert!(unresolved.contains("2026-11-23-dns-outage"), "{unresolved}");
}

/// Scheduled for December, announced by an update dated after the clock.
const ANNOUNCED_LATER: (&str, &str) = (
    "maintenance/2026-12-08-db-move.md",
    "+++\ntitle = \"Database move\"\nscheduled_start = 2026-12-08T02:00:00Z\nscheduled_end = 2026-12-08T04:00:00Z\n\
     components = [\"api\"]\nallow = [\"future-time\"]\n\
     [[updates]]\nat = 2026-11-25T09:00:00Z\nstatus = \"scheduled\"\nbody = \"NOT SAID YET: we will move the database.\"\n\
     +++\nThe API's database moves to new hosts.\n",
);

#[test]
fn maintenance_not_announced_by_the_clock_is_nowhere_until_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_with(dir.path(), &[PAST, ANNOUNCED_LATER]);
    let site = dir.path().join("site");
    build(&root, &site);
    // Its only update is dated after the clock: nobody has been told yet.
    for name in [
        "maintenance.ics",
        "history.atom",
        "components/api/feed.atom",
        "api/v2/scheduled-maintenances.json",
        "maintenance/index.html",
        "index.html",
    ] {
        let text = read(&site, name).replace("\r\n ", "");
        assert!(!text.contains("NOT SAID YET") && !text.contains("Database move"), "{name} announces it");
    }
    assert!(!site.join("maintenance/2026-12-08-db-move").exists());

    // Built once it was announced, it is everywhere, dated by that update.
    let later = dir.path().join("later");
    let out = candor(&["build", "--root", path(&root), "--output", path(&later), "--now", "2026-11-25T10:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ics = read(&later, "maintenance.ics").replace("\r\n ", "");
    assert!(ics.contains("NOT SAID YET") && ics.contains("DTSTAMP:20261125T090000Z\r\n"), "{ics}");
    let feed = feed_rs::parser::parse(read(&later, "history.atom").as_bytes()).unwrap();
    let entry = feed.entries.iter().find(|e| e.id.ends_with("/maintenance/2026-12-08-db-move/")).expect("listed");
    assert_eq!(entry.updated.unwrap().to_rfc3339(), "2026-11-25T09:00:00+00:00");
}

#[test]
fn a_site_that_has_said_nothing_is_dated_at_the_epoch_not_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_with(dir.path(), &[NOT_YET]);
    let mut built = Vec::new();
    for now in [NOW, "2026-11-22T09:00:00Z"] {
        let site = dir.path().join(format!("site-{}", built.len()));
        let out = candor(&["build", "--root", path(&root), "--output", path(&site), "--now", now]);
        assert!(out.status.success(), "{}", stderr(&out));
        built.push(site);
    }
    for site in &built {
        for name in ["history.atom", "updates.atom"] {
            let feed = feed_rs::parser::parse(read(site, name).as_bytes()).unwrap();
            assert!(feed.entries.is_empty(), "{name}");
            assert_eq!(feed.updated.unwrap().to_rfc3339(), "1970-01-01T00:00:00+00:00", "{name}");
        }
        let api: serde_json::Value = serde_json::from_str(&read(site, "api/v2/status.json")).unwrap();
        // In the site's zone, as every API time.
        assert_eq!(api["page"]["updated_at"], "1969-12-31T19:00:00.000-05:00");
    }
    for name in ["history.atom", "history.rss", "updates.atom", "api/v2/status.json", "api/v2/incidents.json"] {
        assert_eq!(read(&built[0], name), read(&built[1], name), "{name} moved with the clock");
    }
}

#[test]
fn noncharacters_are_removed_with_a_warning_and_every_xml_output_parses() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_with(dir.path(), &[PAST]);
    let config = std::fs::read_to_string(root.join("status.toml")).unwrap();
    std::fs::write(
        root.join("status.toml"),
        config.replace("title = \"Commands Test Status\"", "title = \"Commands \\uFFFF Test \\uFFFE Status\""),
    )
    .unwrap();
    let incident = root.join("content").join(PAST.0);
    let text = std::fs::read_to_string(&incident).unwrap();
    std::fs::write(&incident, text.replace("title = \"API errors\"", "title = \"API \\uFFFE errors\"")).unwrap();

    let site = dir.path().join("site");
    let out = candor(&["build", "--root", path(&root), "--output", path(&site), "--now", NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("status.toml:3:") && err.contains("noncharacter U+FFFF"), "{err}");
    assert!(err.contains("2026-11-22-api-errors.md:2:") && err.contains("noncharacter U+FFFE"), "{err}");

    for (name, bytes) in snapshot(&site) {
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains(['\u{FFFE}', '\u{FFFF}']), "{name} carries a noncharacter");
        if name.ends_with(".atom") || name.ends_with(".rss") {
            feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    assert!(read(&site, "index.html").contains("Commands  Test  Status"));
}

/// A clock outside 1900-01-01..2100-01-01 would make a history page for
/// every month up to it: `build`, `check` and `serve` refuse it as a usage
/// error (exit 2) naming the range.
#[test]
fn a_clock_outside_the_supported_years_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example(&root);
    let out_dir = dir.path().join("public");
    for args in [
        vec!["check", "--root", path(&root), "--now", "9999-12-31T23:59:59Z"],
        vec!["build", "--root", path(&root), "--output", path(&out_dir), "--now", "1899-12-31T23:59:59Z"],
        vec!["serve", "--root", path(&root), "--now", "2100-01-01T00:00:00Z"],
    ] {
        let out = candor(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("from 1900-01-01 up to, not including, 2100-01-01"), "{}", stderr(&out));
    }
    assert!(!out_dir.exists(), "nothing is built");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["check", "--root", path(&root)])
        .env("SOURCE_DATE_EPOCH", "7258118400")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("SOURCE_DATE_EPOCH"), "{}", stderr(&out));
}
