//! The summary views, checked on the example site built with the real
//! binary at the pinned clock: the situation sentence on the front page, the
//! service × region matrix, the postmortem index, and the history by year
//! and month. Every expected figure is worked out by hand from the content
//! files, in the comments next to it.

mod common;

use common::html::*;
use common::*;
use scraper::{ElementRef, Html};

#[test]
fn front_page_summary_gives_exact_figures_and_links() {
    let dir = example_site();
    let doc = page(&dir, "index.html");
    // At NOW (2026-11-22 06:00 UTC) one incident is open:
    // 2026-11-22-postgres-connection-errors-eu-west. Its partial-outage window
    // ended at 04:41; the open degraded-performance window covers NOW, on
    // managed-postgres in eu-west only: 1 service, 1 of the 10 regions in
    // status.toml. Its newest update is at 2026-11-21T21:18:00-08:00 =
    // 05:18 UTC, 42 minutes before NOW.
    let sentence = one(&doc, ".banner .situation");
    assert_eq!(
        text(sentence),
        "Degraded performance: 1 service in 1 of 10 regions affected by 1 incident; last update 42 min ago"
    );
    let links: Vec<(String, String)> =
        sentence.select(&sel("a")).map(|a| (text(a), a.value().attr("href").unwrap().to_string())).collect();
    let id = "2026-11-22-postgres-connection-errors-eu-west";
    assert_eq!(
        links,
        [
            ("1 service".to_string(), "#comp-h".to_string()),
            ("1 of 10 regions".into(), "#comp-h".into()),
            ("1 incident".into(), format!("#open-{id}")),
            ("42 min ago".into(), format!("incidents/{id}/index.html#update-20261122T051800Z")),
        ]
    );
    // Every fragment the summary links to exists on its page.
    one(&doc, &format!("article#open-{id}"));
    let incident = page(&dir, &format!("incidents/{id}/index.html"));
    one(&incident, "#update-20261122T051800Z");
    one(&doc, "#comp-h");
    // Each open incident is named and linked, with its own figures.
    let open = one(&doc, ".banner .situation-list li");
    assert_eq!(one_link(open), format!("incidents/{id}/index.html"));
    assert_eq!(
        text(open),
        "▲ Major Connection errors for Managed PostgreSQL in EU West · Degraded performance: 1 service in 1 region · updated 42 min ago"
    );
}

fn one_link(el: ElementRef) -> String {
    el.select(&sel("a")).next().unwrap().value().attr("href").unwrap().to_string()
}

#[test]
fn nothing_open_says_all_systems_operational_and_when_the_last_incident_ended() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    std::fs::remove_file(root.join("content/incidents/2026-11-22-postgres-connection-errors-eu-west.md")).unwrap();
    let out = dir.path().join("site");
    build(&root, &out);
    let doc = Html::parse_document(&read(&out, "index.html"));
    // The newest resolution is then 2026-10-14-kubernetes-autoscaling-stalled:
    // 2026-10-14T12:48 in America/Los_Angeles (PDT, UTC-7) = 19:48 UTC.
    // To NOW: 38 days to 2026-11-21 19:48 UTC, then 10 h 12 min.
    assert_eq!(
        text(one(&doc, ".banner .situation")),
        "All systems operational; last incident ended 38 d 10 h 12 min ago"
    );
    assert_eq!(
        one_link(one(&doc, ".banner .situation")),
        "incidents/2026-10-14-kubernetes-autoscaling-stalled/index.html"
    );
    assert!(doc.select(&sel(".banner ul.situation-list")).next().is_none(), "no open incident listed");
    // Every group is healthy, so every group is collapsed.
    assert_eq!(doc.select(&sel("details.group[open]")).count(), 0);
    assert!(doc.select(&sel("details.group")).count() >= 6);
}

#[test]
fn matrix_shows_every_cell_in_words_with_table_semantics() {
    let dir = example_site();
    let doc = page(&dir, "index.html");
    let regions = 10;
    let components = 23;
    // One table per group; each has a caption, a corner header and one
    // column header per region, and one row header per component.
    let tables: Vec<ElementRef> = doc.select(&sel("details.group table.matrix")).collect();
    assert_eq!(tables.len(), 6, "six groups in status.toml, no ungrouped component");
    for t in &tables {
        assert!(t.select(&sel("caption")).next().is_some());
        assert_eq!(t.select(&sel("thead th[scope=col]")).count(), regions + 1);
        for row in t.select(&sel("tbody tr")) {
            assert_eq!(row.select(&sel("th[scope=row]")).count(), 1);
            assert_eq!(row.select(&sel("td")).count(), regions, "a cell per region");
        }
    }
    assert_eq!(doc.select(&sel("table.matrix tbody th[scope=row]")).count(), components);
    let heads = all_text(&doc, "table.matrix thead th[scope=col]");
    assert_eq!(heads[1], "US West (Oregon)");
    assert_eq!(heads[4], "EU West (Dublin)");

    // The label of the cell of `component` in the column `region` (1-based
    // among the regions).
    let cell = |component: &str, region: usize| -> (String, String) {
        let row = doc
            .select(&sel("table.matrix tbody tr"))
            .find(|r| text(r.select(&sel("th[scope=row] a")).next().unwrap()) == component)
            .unwrap_or_else(|| panic!("no row {component}"));
        let td = row.select(&sel("td")).nth(region - 1).unwrap();
        let label = text(td.select(&sel(".vh")).next().unwrap());
        (label, td.value().attr("class").unwrap().to_string())
    };
    // managed-postgres x eu-west (the 4th region): degraded, linked to the incident.
    assert_eq!(cell("Managed PostgreSQL", 4), ("Degraded performance".into(), "st-degraded_performance".into()));
    assert_eq!(cell("Managed PostgreSQL", 1), ("Operational".into(), "st-operational".into()));
    // gpu-instances runs in us-west, us-east, eu-west, ap-northeast only:
    // not in ca-central (3rd).
    assert_eq!(cell("GPU Instances", 3), ("Not offered".into(), "st-none".into()));
    assert_eq!(cell("GPU Instances", 4).0, "Operational");
    // billing runs in us-east and eu-central only.
    let billing: Vec<String> = (1..=regions).map(|r| cell("Billing & Usage", r).0).collect();
    assert_eq!(billing.iter().filter(|l| *l == "Not offered").count(), 8);
    let troubled =
        doc.select(&sel("table.matrix td a")).map(|a| a.value().attr("href").unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(troubled, ["incidents/2026-11-22-postgres-connection-errors-eu-west/index.html"]);
    // The icon is decoration; the words carry the status.
    for icon in doc.select(&sel("table.matrix td span:not(.vh)")) {
        assert_eq!(icon.value().attr("aria-hidden"), Some("true"));
    }

    // Databases (with the degraded cell) is open, every other group closed.
    let groups: Vec<(String, bool)> = doc
        .select(&sel("details.group"))
        .map(|d| (text(d.select(&sel("summary .gname")).next().unwrap()), d.value().attr("open").is_some()))
        .collect();
    assert_eq!(
        groups,
        [
            ("Compute".to_string(), false),
            ("Storage".into(), false),
            ("Databases".into(), true),
            ("Networking".into(), false),
            ("Identity & Management".into(), false),
            ("Messaging".into(), false),
        ]
    );
    assert_eq!(text(one(&doc, "details.group[open] summary .gcount")), "1 of 4 services affected");
    // The compact toggle is a real, labelled checkbox (no JavaScript), off
    // for ten regions.
    let toggle = one(&doc, "input#matrix-compact[type=checkbox]");
    assert!(toggle.value().attr("checked").is_none());
    one(&doc, "label[for=matrix-compact]");
    // No script for the matrix: the only one is age.js (relative times).
    let scripts = doc.select(&sel("script")).map(|s| s.value().attr("src").unwrap_or("inline")).collect::<Vec<_>>();
    assert_eq!(scripts, ["age.js"]);
}

#[test]
fn postmortem_index_lists_every_action_item_and_flags_overdue_ones() {
    let dir = example_site();
    let doc = page(&dir, "postmortems/index.html");
    // Five incidents have a [postmortem] with 3 + 2 + 12 + 3 + 3 = 23 action
    // items. Done: 3 (block storage) + 1 (postgres failover) + 6 (storage
    // metadata) + 1 (identity) + 1 (VM launches) = 12. The site's "today"
    // at NOW is 2026-11-21 in America/Los_Angeles; not done and due before
    // it: postgres failover response (2026-01-31); storage metadata
    // prevention (2026-06-30), detection (2026-02-28), response (2026-09-30)
    // and recovery (2026-03-31); identity prevention (2026-05-31); VM
    // launches prevention (2026-09-30): 7 overdue.
    let headers: usize = std::fs::read_dir(repo().join("content/incidents"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|s| s.lines().filter(|l| l.starts_with("[[postmortem.")).count())
        .sum();
    assert_eq!(headers, 23, "the content changed: recount the figures below");
    assert_eq!(text(one(&doc, ".action-counts")), "23 action items, 12 done, 7 overdue");
    assert_eq!(doc.select(&sel("article.pm-entry")).count(), 5);
    assert_eq!(doc.select(&sel("tr.action-row")).count(), 23);
    assert_eq!(doc.select(&sel("tr.action-row.is-overdue")).count(), 7);
    assert_eq!(doc.select(&sel("ul.overdue-list li")).count(), 7);
    // Newest published first; each names and links its incident.
    let first = doc.select(&sel("article.pm-entry")).next().unwrap();
    assert_eq!(first.value().attr("id"), Some("pm-2026-06-09-vm-launch-failures-us-east"));
    assert_eq!(one_link(first), "../incidents/2026-06-09-vm-launch-failures-us-east/index.html#pm-h");
    // One overdue item in full: status, owner, due date and the flag.
    let row = doc
        .select(&sel("tr.action-row"))
        .find(|r| text(*r).starts_with("Gate agent rollouts on a failover drill"))
        .unwrap();
    assert_eq!(
        text(row),
        "Gate agent rollouts on a failover drill Response In progress Database Platform 2026-01-31 Overdue"
    );
    // A done item past its date is not overdue.
    let done = doc.select(&sel("tr.action-row")).find(|r| text(*r).contains("2025-05-09")).unwrap();
    assert!(done.value().attr("class").unwrap() == "action-row" && !text(done).contains("Overdue"));
    // The nav links to the page from everywhere.
    let index = page(&dir, "index.html");
    assert!(index.select(&sel("nav a")).any(|a| a.value().attr("href") == Some("postmortems/index.html")));
}

#[test]
fn history_has_year_and_month_pages_with_counts_and_impact_minutes() {
    let dir = example_site();
    let site = dir.path().join("site");
    // From the first incident (December 2024) to NOW's month (November 2026),
    // every month has a page, quiet ones included.
    for (y, m) in [(2024, 12), (2025, 1), (2025, 7), (2026, 5), (2026, 11)] {
        assert!(site.join(format!("history/{y}/{m:02}/index.html")).is_file(), "{y}-{m}");
    }
    assert!(!site.join("history/2024/11/index.html").exists());
    assert!(!site.join("history/2026/12/index.html").exists());
    for y in [2024, 2025, 2026] {
        assert!(site.join(format!("history/{y}/index.html")).is_file());
    }

    // July 2025 by hand: 2025-07-08-postgres-failover-delays-us-west (minor,
    // one window from started 16:20 to resolved 19:05 PDT = 165 min) and
    // 2025-07-30-sms-delivery-ap-southeast (minor, started 02:05 UTC =
    // July 29 in Los Angeles, resolved 07:48 UTC = 343 min): 2 incidents,
    // 508 impact minutes, worst impact Minor.
    let july = page(&dir, "history/2025/07/index.html");
    assert_eq!(text(one(&july, "h1")), "Incidents in July 2025");
    assert_eq!(text(one(&july, ".month-facts .count")), "2");
    assert_eq!(text(one(&july, ".month-facts .impact-minutes")), "508 (8 h 28 min)");
    assert_eq!(text(one(&july, ".month-facts .worst")), "◐ Minor");
    // Newest first.
    assert_eq!(
        all_text(&july, "li.incident-row a.title"),
        [
            "Delayed SMS delivery to some carriers in Asia Pacific Southeast",
            "Managed PostgreSQL failovers slower than usual in US West"
        ]
    );

    // September 2025: the storage metadata outage alone; its windows run from
    // 14:05 PDT on the 29th to the resolution at 09:40 PDT on October 1st
    // (file storage's window stays open until then): 1 d 19 h 35 min.
    let sept = page(&dir, "history/2025/09/index.html");
    assert_eq!(text(one(&sept, ".month-facts .impact-minutes")), "2615 (1 d 19 h 35 min)");
    assert_eq!(text(one(&sept, ".month-facts .worst")), "✕ Critical");

    // A quiet month says so.
    let may = page(&dir, "history/2026/05/index.html");
    assert_eq!(text(one(&may, ".month-facts .count")), "0");
    assert!(text(one(&may, "main")).contains("No incidents in May 2026."));

    // The year: a row per month in calendar order with its figures; 15
    // incidents started in 2025 (Los Angeles time), 4935 impact minutes
    // (2025-03-25-gpu-and-file-storage-throughput adds 45: 09:10 to 09:55).
    let year = page(&dir, "history/2025/index.html");
    let rows: Vec<String> = all_text(&year, "table.months-table tbody tr");
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[6], "July 2025 2 508 (8 h 28 min) ◐ Minor");
    assert!(rows[0].starts_with("January 2025 1 "));
    assert_eq!(text(one(&year, "table.months-table tfoot tr")), "2025 15 4935 (3 d 10 h 15 min) ✕ Critical");
    let july_link = year.select(&sel("tbody a")).nth(6).unwrap().value().attr("href").unwrap().to_string();
    assert_eq!(july_link, "../../history/2025/07/index.html");

    // The history index links every year and month and still lists every
    // incident by month.
    let history = page(&dir, "history/index.html");
    let hrefs: Vec<&str> = history.select(&sel("nav.archive a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(hrefs.contains(&"../history/2025/index.html"));
    assert!(hrefs.contains(&"../history/2025/07/index.html"));
    assert!(hrefs.contains(&"../history/2026/05/index.html"));
    assert_eq!(hrefs.iter().filter(|h| h.matches('/').count() == 4).count(), 24, "Dec 2024 .. Nov 2026");
    assert_eq!(all_text(&history, "section.month h2").first().map(String::as_str), Some("November 2026"));
}

#[test]
fn past_days_list_the_incident_still_open() {
    // At the pinned clock the Postgres incident is a few hours old and open:
    // "Past 14 days" lists it rather than saying there were none.
    let dir = example_site();
    let doc = page(&dir, "index.html");
    let recent = text(one(&doc, "section[aria-labelledby=recent-h]"));
    assert!(recent.contains("Connection errors for Managed PostgreSQL in EU West"), "{recent}");
    assert!(!recent.contains("No incidents in the past"), "{recent}");
}

/// The example's 2025-03-25 incident has one block over a sparse grid:
/// `components = ["gpu-instances", "file-storage"]`, `regions = ["us-west",
/// "eu-central"]`. GPU Instances do not run in EU Central, so the block
/// means three cells: both services in US West, File Storage in EU Central.
#[test]
fn a_block_over_a_sparse_grid_means_the_cells_offered() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    // 16:30 UTC is 09:30 PDT: the incident ran from 09:10 to 09:55.
    let out = candor(&["build", "--root", path(&repo()), "--output", path(&site), "--now", "2025-03-25T16:30:00Z"]);
    assert!(out.status.success(), "build failed:\n{}{}", stdout(&out), stderr(&out));
    let doc = Html::parse_document(&read(&site, "index.html"));
    // The label of each cell of `component`'s row, region by region.
    let row = |component: &str| -> Vec<String> {
        let row = doc
            .select(&sel("table.matrix tbody tr"))
            .find(|r| text(r.select(&sel("th[scope=row] a")).next().unwrap()) == component)
            .unwrap_or_else(|| panic!("no row {component}"));
        row.select(&sel("td")).map(|td| text(td.select(&sel(".vh")).next().unwrap())).collect()
    };
    let (degraded, fine, none) = ("Degraded performance", "Operational", "Not offered");
    // Regions: us-west, us-east, ca-central, eu-west, eu-central, uk-south,
    // ap-southeast, ap-northeast, sa-east, au-east.
    assert_eq!(row("GPU Instances"), [degraded, fine, none, fine, none, none, none, fine, none, none]);
    assert_eq!(row("File Storage"), [degraded, fine, none, fine, degraded, none, fine, none, none, none]);
    // Where each troubled row is troubled, in the words of the open
    // incident's "Affects now" line (one wording for every page).
    let where_ = |component: &str| -> String {
        let row = doc
            .select(&sel("table.matrix tbody tr.troubled"))
            .find(|r| text(r.select(&sel("th[scope=row] a")).next().unwrap()) == component)
            .unwrap_or_else(|| panic!("no troubled row {component}"));
        text(row.select(&sel("th .meta")).next().unwrap())
    };
    assert_eq!(where_("GPU Instances"), "in US West (Oregon)");
    assert_eq!(where_("File Storage"), "in US West (Oregon) and EU Central (Frankfurt)");
    let affects = all_text(&doc, "p.meta").into_iter().find(|p| p.starts_with("Affects now:")).unwrap();
    assert_eq!(
        affects,
        "Affects now: GPU Instances in US West (Oregon); File Storage in US West (Oregon) and EU Central (Frankfurt)"
    );

    // The API says the same: the incident's components are the three cells.
    let incidents: serde_json::Value = serde_json::from_str(&read(&site, "api/v2/incidents/unresolved.json")).unwrap();
    let cells: Vec<&str> =
        incidents["incidents"][0]["components"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(cells, ["gpu-instances.us-west", "file-storage.us-west", "file-storage.eu-central"]);
    let summary: serde_json::Value = serde_json::from_str(&read(&site, "api/v2/summary.json")).unwrap();
    let degraded: Vec<&str> = summary["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "degraded_performance" && c["group"] == false)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(degraded, ["gpu-instances.us-west", "file-storage.us-west", "file-storage.eu-central"]);
    assert!(summary["components"].as_array().unwrap().iter().all(|c| c["id"] != "gpu-instances.eu-central"));
}
