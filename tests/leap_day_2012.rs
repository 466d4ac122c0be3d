//! The outage this project was built around, replayed: the 2012 leap-day
//! outage written the natural way (blocks naming services and regions
//! together over a sparse grid), built at 06:00 PST on February 29, in the
//! middle of it. The page must say what was true then and only that.

mod common;

use common::{candor, path, read, repo, stderr};

const AT: &str = "2012-02-29T06:00:00-08:00";
const ID: &str = "2012-02-28-leap-day";

fn built_at(now: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = repo().join("tests/fixtures/leap-2012");
    let out = candor(&["build", "--root", path(&root), "--output", path(&dir.path().join("site")), "--now", now]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

/// The text of an HTML page, tags removed and spaces collapsed.
fn text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    doc.root_element().text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn during_the_outage_the_page_says_what_was_true_then() {
    let dir = built_at(AT);
    let site = dir.path().join("site");
    let page = text(&read(&site, &format!("incidents/{ID}/index.html")));
    // Ongoing, for 14 hours so far: no resolution, postmortem or credits yet.
    assert!(page.contains("Ongoing for 14 h so far") && page.contains("Not yet resolved"), "{page}");
    for later in ["2012-03-01", "Root cause", "leap-day bug", "33%", "Service credits"] {
        assert!(!page.contains(later), "the page at {AT} says {later:?}, which was not known yet");
    }
    assert!(!page.contains("Running applications have recovered"), "an update from 13:30 shows at 06:00");

    // Where, per service and exact: "all" only for Service Management.
    let front = text(&read(&site, "index.html"));
    for said in [
        "Service Management in all 8 regions",
        "Compute in 3 regions (North Central US, South Central US and North Europe)",
        "Caching in North Central US and North Europe",
    ] {
        assert!(front.contains(said), "front page lacks {said:?}: {front}");
    }
    // The matrix says where each troubled service is in the same words.
    let doc = scraper::Html::parse_document(&read(&site, "index.html"));
    let rows = scraper::Selector::parse("table.matrix tbody tr.troubled th[scope=row] .meta").unwrap();
    let wheres: Vec<String> = doc.select(&rows).map(|m| m.text().collect::<String>()).collect();
    let three = "in 3 regions (North Central US, South Central US and North Europe)";
    assert_eq!(
        wheres,
        [three, "in all 8 regions", three, three, "in North Central US and North Europe"],
        "Compute, Service Management, Access Control, Service Bus, Caching"
    );
    let history = text(&read(&site, "history/index.html"));
    assert!(
        history.contains(
            "Compute, Access Control and Service Bus in 3 regions (North Central US, South Central US and North Europe); \
             Service Management in all 8 regions; Caching in North Central US and North Europe"
        ),
        "{history}"
    );
    assert!(!history.contains("Service Bus in all"), "{history}");

    // The 17:15 post spoke of service management only; Compute came at 02:47.
    let posts: serde_json::Value = serde_json::from_str(&read(&site, "social/posts.json")).unwrap();
    let first = posts
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["at"] == "2012-02-29T01:15:00Z" && p["network"] == "mastodon")
        .expect("the 17:15 post");
    let first = first["text"].as_str().unwrap();
    assert!(first.starts_with("[Major outage] Service Management in all 8 regions\n"), "{first}");

    // The figures behind the page say it is ongoing.
    let audit: serde_json::Value = serde_json::from_str(&read(&site, "api/candor/incidents.json")).unwrap();
    let incident = &audit["incidents"][0];
    assert_eq!(incident["ongoing"], true, "{incident}");
    assert_eq!(incident["credits"].as_array().map(Vec::len), Some(0), "{incident}");
}

#[test]
fn after_the_postmortem_everything_is_there() {
    let dir = built_at("2012-03-10T00:00:00Z");
    let site = dir.path().join("site");
    let page = text(&read(&site, &format!("incidents/{ID}/index.html")));
    for known in ["Resolved", "Root cause", "33%"] {
        assert!(page.contains(known), "the page after the postmortem lacks {known:?}: {page}");
    }
}
