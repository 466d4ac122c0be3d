//! An incident's own page as a reader finds it, on the example site built
//! with the real binary at the pinned clock: the summary box, the timeline
//! picture and its text, folded older updates, headings said once, and
//! credits that say which figure applies.

mod common;

use common::html::*;
use common::*;
use scraper::Html;

const OUTAGE: &str = "incidents/2025-09-29-storage-metadata-outage/index.html";
const OPEN: &str = "incidents/2026-11-22-postgres-connection-errors-eu-west/index.html";

/// The (dt, dd) pairs of the summary box.
fn facts(doc: &Html) -> Vec<(String, String)> {
    let dts = all_text(doc, ".glance dl > dt");
    dts.into_iter().zip(all_text(doc, ".glance dl > dd")).collect()
}

#[test]
fn summary_box_says_what_how_long_where_and_the_latest_with_links_to_the_sections() {
    let dir = example_site();
    let doc = page(&dir, OUTAGE);
    let facts = facts(&doc);
    let fact = |name: &str| facts.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    assert_eq!(fact("Impact"), "✕ Critical");
    // 14:05 PDT on Sep 29 to 09:40 PDT on Oct 1.
    assert_eq!(fact("Duration"), "Lasted 1 d 19 h 35 min");
    assert_eq!(fact("Latest"), "Resolved · 2025-10-01 09:40 PDT");
    // Every service any window touched, in config order, with its regions.
    let places = all_text(&doc, ".glance .places li");
    assert_eq!(
        places,
        [
            "Serverless Functions in US West (Oregon)",
            "Object Storage in US West (Oregon) and US East (Virginia)",
            "File Storage in US West (Oregon) and US East (Virginia)",
            "Archive Storage in US East (Virginia)",
            "Control Plane API in all 10 regions",
        ]
    );
    // The latest status links to its update; every jump lands on the page.
    let latest = one(&doc, ".glance dd a[href^='#update-']").value().attr("href").unwrap();
    assert!(doc.select(&sel(latest)).next().is_some(), "{latest} exists");
    let jumps: Vec<(String, String)> =
        doc.select(&sel(".glance .jumps a")).map(|a| (text(a), a.value().attr("href").unwrap().to_owned())).collect();
    let names: Vec<&str> = jumps.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Postmortem", "Timeline", "Credits"]);
    for (_, href) in &jumps {
        assert_eq!(doc.select(&sel(href)).count(), 1, "one target for {href}");
    }

    // The open incident: how long so far, and no links to sections it lacks.
    let open = page(&dir, OPEN);
    let facts = self::facts(&open);
    assert!(facts.contains(&("Duration".into(), "Ongoing for 2 h 48 min so far".into())), "{facts:?}");
    assert_eq!(all_text(&open, ".glance .jumps a"), ["Timeline"]);
}

#[test]
fn no_heading_is_said_twice_and_the_narrative_keeps_its_own() {
    let dir = example_site();
    let site = dir.path().join("site");
    for entry in std::fs::read_dir(site.join("incidents")).unwrap() {
        let rel = format!("incidents/{}/index.html", entry.unwrap().file_name().to_string_lossy());
        let doc = page(&dir, &rel);
        let mut seen: Vec<String> = Vec::new();
        for h in all_text(&doc, "h1, h2, h3") {
            assert!(!seen.contains(&h.to_lowercase()), "{rel}: heading {h:?} twice");
            seen.push(h.to_lowercase());
        }
    }
    // The outage's narrative opens with "## What happened" and has "## Service
    // credits": the page adds neither, and the declared credits follow the
    // narrative under a heading of their own level below.
    let doc = page(&dir, OUTAGE);
    assert_eq!(all_text(&doc, "h2").iter().filter(|h| *h == "What happened").count(), 1);
    assert!(doc.select(&sel("#narr-h")).next().is_none(), "no page heading over the narrative");
    assert_eq!(text(one(&doc, "#credits > h3")), "Credits declared");
    // A narrative without headings gets the page's "What happened".
    let open = page(&dir, OPEN);
    let narrative = open.select(&sel(".narrative")).next();
    if let Some(n) = narrative {
        let own = n.select(&sel("h2, h3")).filter(|h| h.value().attr("id") != Some("narr-h")).count();
        assert!(own > 0 || n.select(&sel("#narr-h")).next().is_some(), "a narrative is headed");
    }
}

#[test]
fn timeline_picture_has_a_row_per_service_and_region_and_a_text_equivalent() {
    let dir = example_site();
    let doc = page(&dir, OUTAGE);
    let svg = one(&doc, "#timeline svg.tl");
    assert_eq!(svg.value().attr("role"), Some("img"));
    // Object Storage went through different statuses in its two regions:
    // two rows; File Storage the same in both: one.
    let rows = all_text(&doc, "svg.tl .tl-label");
    assert_eq!(
        rows,
        [
            "Serverless Functions · US West (Oregon)",
            "Object Storage · US West (Oregon)",
            "Object Storage · US East (Virginia)",
            "File Storage · US West (Oregon) and US East (Virginia)",
            "Archive Storage · US East (Virginia)",
            "Control Plane API · all 10 regions",
        ]
    );
    // Status in words, not colour alone: every bar has a tooltip naming it,
    // and the widest ones say it inside.
    for seg in doc.select(&sel("svg.tl .tl-seg")) {
        let title = text(seg.select(&sel("title")).next().expect("a tooltip"));
        assert!(["Major outage", "Partial outage", "Degraded performance"].iter().any(|s| title.starts_with(s)));
    }
    assert!(all_text(&doc, "svg.tl .tl-seg-text").contains(&"✕ Major outage".to_owned()));
    // A tick per update, and the key moments marked.
    assert_eq!(doc.select(&sel("svg.tl .tl-tick")).count(), 11);
    assert_eq!(all_text(&doc, "svg.tl .tl-mark-label"), ["Started", "Detected", "Resolved"]);
    // The text equivalent: named and described by elements on the page.
    let label = svg.value().attr("aria-labelledby").unwrap();
    assert!(text(one(&doc, &format!("#{label}"))).starts_with("Timeline of this incident from 2025-09-29 14:05 PDT"));
    let described = one(&doc, &format!("#{}", svg.value().attr("aria-describedby").unwrap()));
    let lines = described.select(&sel("li")).map(text).collect::<Vec<_>>();
    assert_eq!(lines.len(), rows.len());
    assert_eq!(
        lines[1],
        "Object Storage · US West (Oregon): Major outage from 2025-09-29 14:05 PDT to 2025-09-30 11:30 PDT; \
         then Partial outage from 2025-09-30 11:30 PDT to 2025-10-01 07:15 PDT."
    );
    assert!(text(described).contains("Detected: 2025-09-29 14:19 PDT. Resolved: 2025-10-01 09:40 PDT. 11 updates"));
    // The picture needs no script: the only one is age.js, which keeps
    // relative times current and touches nothing else.
    let scripts = doc.select(&sel("script")).map(|s| s.value().attr("src").unwrap_or("inline")).collect::<Vec<_>>();
    assert_eq!(scripts, ["../../age.js"], "no script but age.js");

    // The open incident's bars run to the clock, marked "Now".
    let open = page(&dir, OPEN);
    assert_eq!(all_text(&open, "svg.tl .tl-mark-label").last().map(String::as_str), Some("Now"));
    // A maintenance page has the same picture.
    let mt = page(&dir, "maintenance/2026-03-04-cloud-dns-anycast-migration/index.html");
    assert_eq!(all_text(&mt, "svg.tl .tl-label"), ["Cloud DNS · all 10 regions"]);
    assert!(all_text(&mt, "svg.tl .tl-seg title").iter().all(|t| t.starts_with("Under maintenance")));
}

#[test]
fn long_timelines_fold_the_older_updates_newest_first() {
    let dir = example_site();
    let doc = page(&dir, OUTAGE);
    // 11 updates: the newest 5 shown, 6 a tap away, without script.
    assert_eq!(doc.select(&sel("#timeline > ol.timeline > li.update")).count(), 5);
    assert_eq!(text(one(&doc, "#timeline details.earlier > summary")), "6 earlier updates");
    assert_eq!(doc.select(&sel("#timeline details.earlier li.update")).count(), 6);
    let first = doc.select(&sel("#timeline li.update .meta")).next().map(text).unwrap();
    assert_eq!(first, "Resolved · 2025-10-01 09:40 PDT");
}

#[test]
fn credits_say_which_figure_applies_on_the_incident_and_credits_pages() {
    let dir = example_site();
    for rel in [OUTAGE, "credits/index.html"] {
        let doc = page(&dir, rel);
        let applies = all_text(&doc, ".credits .applies, .list .applies");
        // September 2025 is 25% by the SLA for every storage service that
        // missed it; the declared 25% on Object Storage meets it, the
        // declared 10% on File Storage does not.
        assert!(
            applies.contains(
                &"The declared 25% applies: it is at least what the SLA gives for every month it covers.".into()
            ),
            "{rel}: {applies:?}"
        );
        assert!(
            applies.contains(
                &"The declared 10% applies, except where the SLA gives more, which you receive instead: 25% for File Storage in September 2025."
                    .into()
            ),
            "{rel}: {applies:?}"
        );
        let minimum = all_text(&doc, ".sla-min li");
        assert!(
            minimum
                .contains(&"Object Storage, September 2025: 96.796% available, so the SLA gives at least 25%".into()),
            "{rel}: {minimum:?}"
        );
    }
}

#[test]
fn action_statuses_are_words_not_links() {
    let dir = example_site();
    let doc = page(&dir, OUTAGE);
    let statuses = all_text(&doc, ".actions .astatus");
    assert!(statuses.contains(&"In progress".to_owned()), "{statuses:?}");
    assert!(doc.select(&sel(".astatus a, a .astatus")).next().is_none());
    let css = read(&dir.path().join("site"), "style.css");
    assert!(!css.contains(".ac-in_progress { color: var(--maint)"), "in progress is not link-blue");
}
