//! `candor postmortem ID`: a draft skeleton added in place, shown nowhere
//! until it is published; a published postmortem in the feeds (read back by
//! feed-rs) from the instant it is published.

mod common;

use common::{candor, commands_site_with, path, read, run_in, snapshot, stderr, stdout};
use std::path::Path;

const ID: &str = "2026-12-02-console-errors";
const PAGE: &str = "https://status.example.com/incidents/2026-12-02-console-errors/";

const FILE: &str = "+++
title = \"Console errors\" # what customers see
impact = \"major\"
started = 2026-12-02T10:00:00-05:00
resolved = 2026-12-02T11:00:00-05:00

[[updates]]
at = 2026-12-02T10:05:00-05:00
status = \"investigating\"
body = \"We are investigating errors in the console.\"

# the last word
[[updates]]
at = 2026-12-02T11:00:00-05:00
status = \"resolved\"
body = \"The console works again for every customer.\"
+++
What happened, in full.
";

fn file(root: &Path) -> String {
    read(root, &format!("content/incidents/{ID}.md"))
}

fn build_at(root: &Path, now: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let run = candor(&["build", "--root", path(root), "--output", path(&site), "--now", now]);
    assert!(run.status.success(), "{}{}", stdout(&run), stderr(&run));
    out
}

fn feed(out: &Path, rel: &str) -> feed_rs::model::Feed {
    let bytes = std::fs::read(out.join("site").join(rel)).unwrap();
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn ids(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.id.clone()).collect()
}

#[test]
fn a_draft_skeleton_is_added_in_place_and_shown_nowhere() {
    let dir = commands_site_with(ID, FILE);
    let root = dir.path();
    let out = run_in(root, &["postmortem", ID, "--now", "2026-12-03T10:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("draft postmortem added"), "{}", stdout(&out));
    assert!(stdout(&out).contains("published = 2026-12-03T10:00:00-05:00"), "{}", stdout(&out));
    let text = file(root);
    assert!(text.starts_with(&FILE[..FILE.find("+++\nWhat").unwrap()]), "the file is kept as it was: {text}");
    assert!(text.ends_with("+++\nWhat happened, in full.\n"), "{text}");
    assert!(text.contains("\n[postmortem]\n"), "{text}");
    assert!(text.contains("# published = 2026-12-03T10:00:00-05:00\n"), "{text}");
    assert!(!text.contains("\npublished ="), "a skeleton is a draft: {text}");
    for key in ["summary", "root_cause", "trigger", "went_well", "went_wrong"] {
        assert!(text.contains(&format!("\n{key} = ")), "{key}: {text}");
    }
    for section in ["prevention", "detection", "response", "recovery"] {
        assert!(text.contains(&format!("[[postmortem.{section}]]\ntitle = \"\"\nstatus = \"planned\"")), "{text}");
    }

    // The draft is shown nowhere.
    let built = build_at(root, "2026-12-05T12:00:00Z");
    let page = read(&built.path().join("site"), &format!("incidents/{ID}/index.html"));
    assert!(!page.contains("pm-h"), "a draft is not on the incident's page");
    let index = read(&built.path().join("site"), "postmortems/index.html");
    assert!(index.contains("No postmortems published yet."), "{index}");
    assert!(!ids(&feed(built.path(), "updates.atom")).iter().any(|id| id.ends_with("#pm-h")));

    // A second run, or a maintenance, is refused (usage: exit 2); an unknown id is exit 1.
    let again = run_in(root, &["postmortem", ID]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains(&format!("incident {ID} already has a draft postmortem")), "{}", stderr(&again));
    let unknown = run_in(root, &["postmortem", "2026-12-02-console-eror"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains(&format!("did you mean {ID}?")), "{}", stderr(&unknown));
    std::fs::create_dir_all(root.join("content/maintenance")).unwrap();
    std::fs::write(
        root.join("content/maintenance/upgrade.md"),
        "+++\ntitle = \"Upgrade\"\nscheduled_start = 2026-12-01T02:00:00Z\nscheduled_end = 2026-12-01T04:00:00Z\ncomponents = [\"api\"]\n+++\n",
    )
    .unwrap();
    let maintenance = run_in(root, &["postmortem", "upgrade"]);
    assert_eq!(maintenance.status.code(), Some(2));
    assert!(stderr(&maintenance).contains("upgrade is a maintenance"), "{}", stderr(&maintenance));

    // Publishing an unfilled skeleton is refused by check, at the empty parts.
    std::fs::write(root.join(format!("content/incidents/{ID}.md")), text.replace("# published = ", "published = "))
        .unwrap();
    let check = run_in(root, &["check", "--now", "2026-12-05T12:00:00Z"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("error: `summary` in [postmortem] is empty"), "{}", stderr(&check));
}

#[test]
fn a_published_postmortem_is_a_feed_entry_from_its_instant_on() {
    let dir = commands_site_with(ID, FILE);
    let root = dir.path();
    let published = FILE.replace(
        "+++\nWhat",
        "[postmortem]\npublished = 2026-12-04T12:00:00-05:00\nsummary = \"The console failed.\"\n\
         root_cause = \"A bad certificate.\"\n[[postmortem.prevention]]\ntitle = \"Alert on expiry\"\n\
         status = \"planned\"\n+++\nWhat",
    );
    std::fs::write(root.join(format!("content/incidents/{ID}.md")), published).unwrap();
    let entry = format!("{PAGE}#pm-h");

    let before = build_at(root, "2026-12-04T16:59:59Z");
    for rel in ["updates.atom", "history.atom", &format!("incidents/{ID}/updates.atom")] {
        assert!(!ids(&feed(before.path(), rel)).contains(&entry), "{rel}: not yet published");
    }
    let page = read(&before.path().join("site"), &format!("incidents/{ID}/index.html"));
    assert!(!page.contains("id=\"pm-h\""), "not on the page before it is published");

    let after = build_at(root, "2026-12-04T17:00:00Z");
    for rel in [
        "updates.atom".to_owned(),
        "updates.rss".to_owned(),
        "history.atom".to_owned(),
        "history.rss".to_owned(),
        format!("incidents/{ID}/updates.atom"),
    ] {
        let f = feed(after.path(), &rel);
        // In the history feed its incident's entry is as new (its last activity).
        let first = f.entries.iter().find(|e| e.id == entry).unwrap_or_else(|| panic!("{rel}: no postmortem"));
        assert!(f.entries.iter().all(|e| e.updated <= first.updated), "{rel}: the postmortem is the newest entry");
        assert_eq!(first.links[0].href, entry, "{rel}");
        assert_eq!(first.published.unwrap().to_rfc3339(), "2026-12-04T17:00:00+00:00", "{rel}");
        assert!(first.title.as_ref().unwrap().content.contains("Postmortem: Console errors"), "{rel}");
        let body =
            first.content.as_ref().and_then(|c| c.body.clone()).or(first.summary.as_ref().map(|s| s.content.clone()));
        assert!(body.unwrap_or_default().contains("A bad certificate."), "{rel}");
        if rel.ends_with(".atom") {
            assert_eq!(f.updated.unwrap().to_rfc3339(), "2026-12-04T17:00:00+00:00", "{rel}");
        }
    }
    let incident = feed(after.path(), &format!("incidents/{ID}/updates.atom"));
    assert_eq!(incident.entries.len(), 3, "two updates and the postmortem");

    // Same content and clock: byte-identical feeds.
    let again = build_at(root, "2026-12-04T17:00:00Z");
    let feeds = |d: &Path| {
        snapshot(&d.join("site"))
            .into_iter()
            .filter(|(k, _)| k.ends_with(".atom") || k.ends_with(".rss"))
            .collect::<Vec<_>>()
    };
    assert_eq!(feeds(after.path()), feeds(again.path()));
}
