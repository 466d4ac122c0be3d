//! Uptime, availability and credits on the example site: the audit JSON
//! agrees with itself and with hand-computed figures, and the pages show
//! the same numbers.

mod common;

use common::*;
use serde_json::Value;

fn example() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&repo(), &site);
    (dir, site)
}

fn json(site: &std::path::Path, rel: &str) -> Value {
    serde_json::from_str(&read(site, rel)).unwrap()
}

fn service<'a>(file: &'a Value, id: &str) -> &'a Value {
    file["services"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()
}

#[test]
fn uptime_days_are_real_local_days_and_add_up_to_the_availability() {
    let (_dir, site) = example();
    let uptime = json(&site, "api/candor/uptime.json");
    assert_eq!(uptime["timezone"], "America/Los_Angeles");
    // NOW is 2026-11-22T06:00Z = 22:00 PST on the 21st: that is "today".
    for s in uptime["services"].as_array().unwrap() {
        let days = s["days"].as_array().unwrap();
        assert_eq!(days.len(), 90, "{}", s["id"]);
        assert_eq!(days.last().unwrap()["date"], "2026-11-21");
        assert_eq!(days.first().unwrap()["date"], "2026-08-24");
        // 90 local days up to the clock: 89 whole days, the November 1st
        // DST change gives one of them 25 hours, and 22 hours of today.
        let minutes = (89.0 * 24.0 + 1.0 + 22.0) * 60.0;
        let down: f64 = days.iter().map(|d| d["downtime_minutes"].as_f64().unwrap()).sum();
        let expected = 100.0 * (1.0 - down / minutes);
        let published = s["availability_90d"].as_f64().unwrap();
        assert!((published - expected).abs() < 0.002, "{}: {published} vs {expected}", s["id"]);
        // A service is the worst of its regions: no region day has more downtime.
        for r in s["regions"].as_array().unwrap() {
            for d in r["days"].as_array().unwrap() {
                let day = days.iter().find(|x| x["date"] == d["date"]).expect("cell day within the service's days");
                assert!(day["downtime_minutes"].as_f64().unwrap() + 1e-9 >= d["downtime_minutes"].as_f64().unwrap());
            }
        }
    }
    // The open incident: 03:12Z to the clock at 06:00Z is 168 minutes on
    // the local 21st, partial (0.3) then degraded (0.0) in EU West.
    let pg = service(&uptime, "managed-postgres");
    let day = pg["days"].as_array().unwrap().last().unwrap();
    assert_eq!(day["impact_minutes"].as_f64(), Some(168.0));
    assert_eq!(day["incidents"][0], "2026-11-22-postgres-connection-errors-eu-west");
    let eu = pg["regions"].as_array().unwrap().iter().find(|r| r["region"] == "eu-west").unwrap();
    assert_eq!(eu["days"].as_array().unwrap().len(), 1);
}

#[test]
fn billing_months_sla_tiers_and_credits_agree_across_outputs() {
    let (_dir, site) = example();
    let availability = json(&site, "api/candor/availability.json");
    assert_eq!(availability["billing_timezone"], "UTC");
    let storage = service(&availability, "object-storage");
    let month = |key: &str| storage["months"].as_array().unwrap().iter().find(|m| m["month"] == key).unwrap().clone();
    let (sep, oct) = (month("2025-09"), month("2025-10"));
    assert_eq!((sep["minutes"].as_f64(), oct["minutes"].as_f64()), (Some(30.0 * 1440.0), Some(31.0 * 1440.0)));
    assert_eq!(sep["sla_credit_percent"], 25);
    assert_eq!(oct["sla_credit_percent"], 10);
    for m in [&sep, &oct] {
        let a = 100.0 * (1.0 - m["downtime_minutes"].as_f64().unwrap() / m["minutes"].as_f64().unwrap());
        assert!((a - m["availability"].as_f64().unwrap()).abs() < 0.002);
    }
    let incidents = json(&site, "api/candor/incidents.json");
    let outage = incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "2025-09-29-storage-metadata-outage")
        .unwrap();
    assert_eq!(outage["billing_months"], serde_json::json!(["2025-09", "2025-10"]));
    assert_eq!(outage["ongoing"], false);
    // The open incident's figures run to the clock, and say so.
    let open = incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "2026-11-22-postgres-connection-errors-eu-west")
        .unwrap();
    assert_eq!(open["ongoing"], true);
    assert_eq!(open["impact_minutes"].as_f64(), Some(168.0));
    assert_eq!(outage["credits"][0]["months"], serde_json::json!(["2025-09", "2025-10"]));

    let credits = read(&site, "credits/index.html");
    assert!(credits.contains("September 2025") && credits.contains("25% (below 99%)"), "shortfall row");
    assert!(credits.contains("credit on Object Storage for the September 2025 and October 2025 billing months"));
    let component = read(&site, "components/object-storage/index.html");
    assert!(component.contains("<td>September 2025</td><td>96.796%</td>"), "monthly table");
    assert!(component.contains("25% credit (below 99%)"));
    assert!(component.contains(r#"class="day st-"#), "uptime bar");
    assert_eq!(component.matches(r#"<span class="day st-"#).count(), 90);
}

#[test]
fn region_pages_show_each_services_availability_there() {
    let (_dir, site) = example();
    let uptime = json(&site, "api/candor/uptime.json");
    let pg = service(&uptime, "managed-postgres");
    let eu = pg["regions"].as_array().unwrap().iter().find(|r| r["region"] == "eu-west").unwrap();
    let figure = format!("{:.3}%", eu["availability_30d"].as_f64().unwrap());
    let page = read(&site, "regions/eu-west/index.html");
    assert!(page.contains("Managed PostgreSQL</a></th>"), "row per service");
    assert!(page.contains(&figure), "30-day figure {figure} on the region page");
    assert!(!figure.starts_with("100"), "the open incident lowers it");
}

/// Narrow screens show the last 30 days; the full 90 are one tap away on a
/// label for a checkbox, which works without script.
#[test]
fn uptime_bar_marks_the_older_60_days_for_narrow_screens_with_a_toggle() {
    let (_dir, site) = example();
    let page = scraper::Html::parse_document(&read(&site, "components/object-storage/index.html"));
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let days: Vec<bool> = page
        .select(&sel(".uptime .bar .day"))
        .map(|d| d.value().attr("class").unwrap().split(' ').any(|c| c == "older"))
        .collect();
    assert_eq!(days.len(), 90);
    assert!(days[..60].iter().all(|o| *o) && days[60..].iter().all(|o| !*o), "the newest 30 are not older");
    let toggle = page.select(&sel(".uptime input.days-toggle[type=checkbox]")).next().expect("a toggle");
    let id = toggle.value().attr("id").unwrap();
    let label = page.select(&sel(&format!(".uptime label[for={id}]"))).next().expect("its label");
    let words: String = label.text().collect();
    assert!(words.contains("Show all 90 days") && words.contains("Show the last 30 days"));
    // The axis starts at the first of the 90 days, or of the last 30.
    let axis: Vec<String> = page.select(&sel(".uptime .axis span span")).map(|s| s.text().collect()).collect();
    assert_eq!(axis, ["2026-08-24", "2026-10-23"]);
    let css = read(&site, "style.css");
    assert!(css.contains(".days-toggle:checked ~ .bar .day.older { display: block; }"));
    // No script for the toggle: the only one is age.js (relative times).
    let scripts = page.select(&sel("script")).map(|s| s.value().attr("src").unwrap_or("inline")).collect::<Vec<_>>();
    assert!(scripts.len() == 1 && scripts[0].ends_with("age.js"), "no script but age.js: {scripts:?}");
}
