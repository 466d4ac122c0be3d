//! Feeds and the Statuspage-compatible API, read back by independent
//! parsers: feed-rs for Atom and RSS, strict serde structs that mirror the
//! published Statuspage v2 schema (unknown *and* missing keys rejected).

mod common;

use common::*;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

const BASE: &str = "https://status.northwind.example/";

fn parse_feed(bytes: &[u8], name: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(bytes).unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
}

#[test]
fn every_feed_parses_with_stable_ids_content_dates_and_absolute_links() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&repo(), &site);
    let files = snapshot(&site);
    // Social-network feeds are checked in tests/social.rs.
    let feeds: Vec<_> = files
        .iter()
        .filter(|(k, _)| (k.ends_with(".atom") || k.ends_with(".rss")) && !k.starts_with("social/"))
        .collect();
    // history, updates, per component (23), per region (10) as Atom and RSS; per incident (26) as Atom.
    assert_eq!(feeds.len(), 2 * (2 + 23 + 10) + 26, "feeds: {}", feeds.len());
    for (name, bytes) in feeds {
        let feed = parse_feed(bytes, name);
        assert!(!feed.title.as_ref().unwrap().content.is_empty(), "{name}: no title");
        let ids: BTreeSet<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), feed.entries.len(), "{name}: duplicate entry ids");
        for e in &feed.entries {
            assert!(e.id.starts_with(BASE), "{name}: entry id {} is not a permanent URL", e.id);
            assert!(e.links.iter().all(|l| l.href.starts_with(BASE)), "{name}: relative entry link");
            assert!(e.published.is_some() || e.updated.is_some(), "{name}: entry without a date");
        }
        if name.ends_with(".atom") {
            let newest = feed.entries.iter().filter_map(|e| e.updated).max();
            if let Some(newest) = newest {
                assert_eq!(feed.updated, Some(newest), "{name}: feed updated is not its newest entry");
            }
        }
    }
    // One outage's own feed has exactly its updates, newest first, in Atom only.
    assert!(
        !files.keys().any(|k| k.starts_with("incidents/") && k.ends_with(".rss")),
        "per-incident feeds are Atom only"
    );
    let feed = parse_feed(&files["incidents/2025-09-29-storage-metadata-outage/updates.atom"], "outage");
    let text = std::fs::read_to_string(repo().join("content/incidents/2025-09-29-storage-metadata-outage.md")).unwrap();
    // Its updates and its postmortem (published long before the clock).
    assert_eq!(feed.entries.len(), text.matches("[[updates]]").count() + 1);
    assert!(feed.entries.iter().any(|e| e.id.ends_with("/incidents/2025-09-29-storage-metadata-outage/#pm-h")));
    let times: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "not newest first");
    // The history feed is capped and newest first.
    let history = parse_feed(&files["history.atom"], "history");
    assert_eq!(history.entries.len(), 26 + 5 + 5, "all incidents, maintenance and postmortems fit under the cap of 50");
    // Pages advertise their feeds.
    let page = String::from_utf8(files["incidents/2025-09-29-storage-metadata-outage/index.html"].clone()).unwrap();
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml" title="This incident&#39;s updates (Atom)" href="../../incidents/2025-09-29-storage-metadata-outage/updates.atom">"#));
}

#[test]
fn feed_ids_survive_text_edits_and_dates_never_come_from_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    let feed_path = "incidents/2025-09-29-storage-metadata-outage/updates.atom";
    build(&root, &dir.path().join("a"));
    let before = parse_feed(&std::fs::read(dir.path().join("a").join(feed_path)).unwrap(), "before");

    // Edit every update body of the incident.
    let file = root.join("content/incidents/2025-09-29-storage-metadata-outage.md");
    let text = std::fs::read_to_string(&file).unwrap().replace("body = \"\"\"\n", "body = \"\"\"\nEdited. ");
    std::fs::write(&file, text).unwrap();
    // A later clock must not change any date in a resolved incident's feed.
    let out = candor(&[
        "build",
        "--root",
        path(&root),
        "--output",
        path(&dir.path().join("b")),
        "--now",
        "2027-06-01T00:00:00Z",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = parse_feed(&std::fs::read(dir.path().join("b").join(feed_path)).unwrap(), "after");

    let ids = |f: &feed_rs::model::Feed| f.entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&before), ids(&after), "entry ids changed with the text");
    assert_eq!(before.updated, after.updated, "feed updated moved with the clock");
    let bodies = |f: &feed_rs::model::Feed| {
        f.entries.iter().map(|e| e.content.as_ref().unwrap().body.clone().unwrap()).collect::<Vec<_>>()
    };
    assert_ne!(bodies(&before), bodies(&after), "the edit did not reach the feed");
    let updates = |f: &feed_rs::model::Feed| {
        f.entries
            .iter()
            .filter(|e| !e.id.ends_with("#pm-h"))
            .map(|e| e.content.as_ref().unwrap().body.clone().unwrap())
            .collect::<Vec<_>>()
    };
    assert!(updates(&after).iter().all(|b| b.contains("Edited.")), "every update entry shows the edit");
}

#[test]
fn awkward_text_is_escaped_in_feeds_and_api() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    let title = r#"Errors <b>& "quotes" ]]> 'x'"#;
    std::fs::write(
        root.join("content/incidents/2026-11-21-escaping.md"),
        format!(
            "+++\ntitle = '''{title}'''\nimpact = \"minor\"\nstarted = 2026-11-21T01:00:00Z\nresolved = 2026-11-21T02:00:00Z\n[[updates]]\nat = 2026-11-21T02:00:00Z\nstatus = \"resolved\"\nbody = \"Fixed <script>x</script> & ]]> done\\u0007.\"\n+++\n"
        ),
    )
    .unwrap();
    let out = candor(&["build", "--root", path(&root), "--output", path(&dir.path().join("s")), "--now", NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("control character U+0007"), "the control character is reported: {}", stderr(&out));
    let site = dir.path().join("s");
    let updates_feeds = ["incidents/2026-11-21-escaping/updates.atom", "updates.rss", "updates.atom"];
    for name in updates_feeds.iter().chain(&["history.atom", "history.rss"]) {
        let feed = parse_feed(&std::fs::read(site.join(name)).unwrap(), name);
        let entry = feed.entries.iter().find(|e| e.id.contains("2026-11-21-escaping")).expect("entry present");
        assert!(entry.title.as_ref().unwrap().content.contains(title), "{name}: title {:?}", entry.title);
        if !updates_feeds.contains(name) {
            continue;
        }
        // The update's body, as HTML that an independent parser reads back
        // whole: the `]]>` did not end a CDATA section early, the markup in
        // the text is text, the control character is gone.
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| entry.summary.as_ref().map(|t| t.content.clone()))
            .unwrap_or_else(|| panic!("{name}: the entry has no body"));
        assert!(html.contains("Fixed &lt;script&gt;x&lt;/script&gt; &amp; ]]&gt; done."), "{name}: body {html:?}");
        assert!(!html.contains("<script>") && !html.contains('\u{7}'), "{name}: body {html:?}");
    }
    let api: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("api/v2/incidents.json")).unwrap()).unwrap();
    let incident = api["incidents"].as_array().unwrap().iter().find(|i| i["id"] == "2026-11-21-escaping").unwrap();
    assert_eq!(incident["name"], title);
    assert_eq!(incident["incident_updates"][0]["body"], "Fixed <script>x</script> & ]]> done.");
}

// The published Statuspage v2 objects. `required` makes an Option field
// mandatory (present, possibly null), so missing keys fail like unknown ones.
fn required<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::deserialize(d)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    id: String,
    name: String,
    url: String,
    time_zone: String,
    updated_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Status {
    indicator: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Component {
    id: String,
    name: String,
    status: String,
    created_at: String,
    updated_at: String,
    position: u32,
    #[serde(deserialize_with = "required")]
    description: Option<String>,
    showcase: bool,
    #[serde(deserialize_with = "required")]
    start_date: Option<String>,
    #[serde(deserialize_with = "required")]
    group_id: Option<String>,
    page_id: String,
    group: bool,
    only_show_if_degraded: bool,
    /// Groups only, as on Statuspage.
    #[serde(default)]
    components: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AffectedComponent {
    code: String,
    name: String,
    old_status: String,
    new_status: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentUpdate {
    id: String,
    status: String,
    body: String,
    incident_id: String,
    created_at: String,
    updated_at: String,
    display_at: String,
    #[serde(deserialize_with = "required")]
    affected_components: Option<Vec<AffectedComponent>>,
    deliver_notifications: bool,
    #[serde(deserialize_with = "required")]
    custom_tweet: Option<String>,
    #[serde(deserialize_with = "required")]
    tweet_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Incident {
    id: String,
    name: String,
    status: String,
    created_at: String,
    updated_at: String,
    #[serde(deserialize_with = "required")]
    monitoring_at: Option<String>,
    #[serde(deserialize_with = "required")]
    resolved_at: Option<String>,
    impact: String,
    shortlink: String,
    started_at: String,
    page_id: String,
    incident_updates: Vec<IncidentUpdate>,
    components: Vec<Component>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Maintenance {
    id: String,
    name: String,
    status: String,
    created_at: String,
    updated_at: String,
    #[serde(deserialize_with = "required")]
    monitoring_at: Option<String>,
    #[serde(deserialize_with = "required")]
    resolved_at: Option<String>,
    impact: String,
    shortlink: String,
    started_at: String,
    page_id: String,
    incident_updates: Vec<IncidentUpdate>,
    components: Vec<Component>,
    scheduled_for: String,
    scheduled_until: String,
}

/// Candor's documented extension.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Region {
    id: String,
    name: String,
    #[serde(deserialize_with = "required")]
    geography: Option<String>,
    status: String,
    components: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    page: Page,
    components: Vec<Component>,
    incidents: Vec<Incident>,
    scheduled_maintenances: Vec<Maintenance>,
    status: Status,
    regions: Vec<Region>,
    /// Candor's extension: the site's version.
    candor: CandorExtension,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CandorExtension {
    version: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusFile {
    page: Page,
    status: Status,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentsFile {
    page: Page,
    components: Vec<Component>,
    regions: Vec<Region>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentsFile {
    page: Page,
    incidents: Vec<Incident>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MaintenancesFile {
    page: Page,
    scheduled_maintenances: Vec<Maintenance>,
}

fn read<T: for<'de> Deserialize<'de>>(site: &Path, rel: &str) -> T {
    let bytes = std::fs::read(site.join("api/v2").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{rel} does not match the Statuspage schema: {e}"))
}

/// Statuspage timestamps: milliseconds and a +HH:MM offset, never Z.
fn assert_timestamp(t: &str, what: &str) {
    let ok = chrono::DateTime::parse_from_rfc3339(t).is_ok()
        && t.len() == 29
        && t.as_bytes()[19] == b'.'
        && matches!(t.as_bytes()[23], b'+' | b'-')
        && t.as_bytes()[26] == b':';
    assert!(ok, "{what}: {t} is not YYYY-MM-DDTHH:MM:SS.mmm+HH:MM");
}

const STATUSES: [&str; 5] =
    ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"];

fn check_component(c: &Component, page_id: &str) {
    assert!(STATUSES.contains(&c.status.as_str()), "component status {}", c.status);
    assert_timestamp(&c.created_at, "component created_at");
    assert_timestamp(&c.updated_at, "component updated_at");
    assert_eq!(c.page_id, page_id);
    assert_eq!(c.group, c.components.is_some(), "{}: only groups list components", c.id);
    let _ =
        (&c.id, &c.name, c.position, &c.description, c.showcase, &c.start_date, &c.group_id, c.only_show_if_degraded);
}

fn check_incident(i: &Incident, page_id: &str) {
    assert!(
        ["investigating", "identified", "monitoring", "resolved", "postmortem"].contains(&i.status.as_str()),
        "{}",
        i.status
    );
    assert!(["none", "minor", "major", "critical"].contains(&i.impact.as_str()), "{}", i.impact);
    for t in [&i.created_at, &i.updated_at, &i.started_at].into_iter().chain(&i.monitoring_at).chain(&i.resolved_at) {
        assert_timestamp(t, &i.id);
    }
    assert_eq!(
        i.resolved_at.is_none(),
        !matches!(i.status.as_str(), "resolved" | "postmortem"),
        "{}: resolved_at vs status",
        i.id
    );
    assert!(i.shortlink.starts_with("https://"), "{}", i.shortlink);
    assert_eq!(i.page_id, page_id);
    for u in &i.incident_updates {
        assert_eq!(u.incident_id, i.id);
        for t in [&u.created_at, &u.updated_at, &u.display_at] {
            assert_timestamp(t, &u.id);
        }
        for a in u.affected_components.iter().flatten() {
            assert!(STATUSES.contains(&a.old_status.as_str()) && STATUSES.contains(&a.new_status.as_str()));
            let _ = (&a.code, &a.name);
        }
        let _ = (&u.status, &u.body, u.deliver_notifications, &u.custom_tweet, &u.tweet_id);
    }
    i.components.iter().for_each(|c| check_component(c, page_id));
    let _ = &i.name;
}

fn check_maintenance(m: &Maintenance, page_id: &str) {
    assert_eq!(m.impact, "maintenance");
    assert!(["scheduled", "in_progress", "verifying", "completed"].contains(&m.status.as_str()), "{}", m.status);
    assert_timestamp(&m.scheduled_for, "scheduled_for");
    assert_timestamp(&m.scheduled_until, "scheduled_until");
    for t in [&m.created_at, &m.updated_at, &m.started_at].into_iter().chain(&m.resolved_at) {
        assert_timestamp(t, &m.id);
    }
    assert_eq!(m.started_at, m.scheduled_for, "{}", m.id);
    assert_eq!(m.resolved_at.is_some(), m.status == "completed", "{}", m.id);
    assert!(m.monitoring_at.is_none(), "{}", m.id);
    assert_eq!(m.page_id, page_id);
    m.components.iter().for_each(|c| check_component(c, page_id));
    let _ = (&m.name, &m.shortlink, &m.incident_updates);
}

#[test]
fn the_api_reads_with_strict_statuspage_structs() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&repo(), &site);
    let summary: Summary = read(&site, "summary.json");
    assert_eq!(summary.candor.version.len(), 64, "the site's version, stamped by the build");
    let page_id = summary.page.id.clone();
    assert_timestamp(&summary.page.updated_at, "page updated_at");
    assert_eq!(summary.page.time_zone, "America/Los_Angeles");
    assert_eq!(
        (summary.status.indicator.as_str(), summary.status.description.as_str()),
        ("minor", "Partially Degraded Service")
    );
    let _ = (&summary.page.name, &summary.page.url);
    summary.components.iter().for_each(|c| check_component(c, &page_id));
    summary.incidents.iter().for_each(|i| check_incident(i, &page_id));
    assert_eq!(summary.incidents.len(), 1, "summary lists the unresolved incidents");
    assert!(summary.incidents.iter().all(|i| i.resolved_at.is_none()));
    // Upcoming and active maintenance: the two scheduled ones.
    let upcoming: Vec<&str> = summary.scheduled_maintenances.iter().map(|m| m.status.as_str()).collect();
    assert_eq!(upcoming, ["scheduled", "scheduled"]);
    // Regions as "<service> - <region>" components grouped per service.
    let pg = summary.components.iter().find(|c| c.id == "managed-postgres").unwrap();
    assert!(pg.group && pg.group_id.is_none());
    let cell = summary.components.iter().find(|c| c.id == "managed-postgres.eu-west").unwrap();
    assert_eq!(cell.name, "Managed PostgreSQL - EU West (Dublin)");
    assert_eq!(cell.group_id.as_deref(), Some("managed-postgres"));
    assert_eq!(cell.status, "degraded_performance");
    assert!(pg.components.as_ref().unwrap().contains(&cell.id));
    let eu_west = summary.regions.iter().find(|r| r.id == "eu-west").unwrap();
    assert_eq!(eu_west.status, "degraded_performance");
    assert!(eu_west.components.contains(&cell.id));
    let _ = (&eu_west.name, &eu_west.geography);

    let status: StatusFile = read(&site, "status.json");
    assert_eq!(status.status.indicator, "minor");
    let _ = status.page;
    let components: ComponentsFile = read(&site, "components.json");
    assert_eq!(components.components.len(), summary.components.len());
    assert_eq!(components.regions.len(), 10);
    let _ = components.page;

    let all: IncidentsFile = read(&site, "incidents.json");
    assert_eq!(all.incidents.len(), 26);
    all.incidents.iter().for_each(|i| check_incident(i, &page_id));
    let outage = all.incidents.iter().find(|i| i.id == "2025-09-29-storage-metadata-outage").unwrap();
    assert_eq!(outage.status, "postmortem");
    assert_eq!(outage.impact, "critical");
    let _ = all.page;
    let unresolved: IncidentsFile = read(&site, "incidents/unresolved.json");
    let open: Vec<&str> = unresolved.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(open, ["2026-11-22-postgres-connection-errors-eu-west"]);

    for (rel, expect) in [
        ("scheduled-maintenances.json", 5),
        ("scheduled-maintenances/upcoming.json", 2),
        ("scheduled-maintenances/active.json", 0),
    ] {
        let file: MaintenancesFile = read(&site, rel);
        assert_eq!(file.scheduled_maintenances.len(), expect, "{rel}");
        file.scheduled_maintenances.iter().for_each(|m| check_maintenance(m, &page_id));
        let _ = file.page;
    }
}

/// The API of a small fixture, byte for byte. `CANDOR_BLESS=1` rewrites
/// the expected files; read their diff before committing.
#[test]
fn api_golden_files() {
    let fixture = repo().join("tests/fixtures/api-site");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    build(&fixture, &site);
    let expected_dir = repo().join("tests/fixtures/api-expected");
    let bless = std::env::var_os("CANDOR_BLESS").is_some();
    let mut mismatches = Vec::new();
    // The site's version (in summary.json) changes with every page of the
    // fixture: compared blanked, as the version itself is defined.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("manifest.json")).unwrap()).unwrap();
    let version = manifest["version"].as_str().unwrap();
    for (rel, bytes) in snapshot(&site.join("api/v2")) {
        let bytes =
            String::from_utf8(bytes).unwrap().replace(version, candor::output::manifest::PLACEHOLDER).into_bytes();
        let expected = expected_dir.join(&rel);
        if bless {
            std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
            std::fs::write(&expected, &bytes).unwrap();
        } else if std::fs::read(&expected).ok().as_deref() != Some(&bytes[..]) {
            mismatches.push(rel);
        }
    }
    assert!(mismatches.is_empty(), "API output differs from tests/fixtures/api-expected for {mismatches:?}");
}

// ------------------------------------------------------------------ maintenance at the build's clock

/// The API fixture with one more maintenance window on API in North (a cell
/// nothing else touches), built at `NOW`: 2026-11-22T06:00Z, 07:00 in the
/// fixture's Europe/Berlin.
fn site_with_maintenance(dir: &Path, id: &str, start: &str, end: &str) -> std::path::PathBuf {
    let root = dir.join("src");
    copy_dir(&repo().join("tests/fixtures/api-site"), &root);
    std::fs::write(
        root.join(format!("content/maintenance/{id}.md")),
        format!(
            "+++\ntitle = \"Switch replacement in North\"\nscheduled_start = {start}\nscheduled_end = {end}\n\
             components = [\"api\"]\nregions = [\"north\"]\n\n[[updates]]\nat = 2026-11-20T09:00:00Z\n\
             status = \"scheduled\"\nbody = \"We will replace a network switch.\"\n+++\n"
        ),
    )
    .unwrap();
    let site = dir.join("site");
    build(&root, &site);
    site
}

fn statuses(list: &[Maintenance]) -> Vec<(&str, &str)> {
    list.iter().map(|m| (m.id.as_str(), m.status.as_str())).collect()
}

fn component<'a>(list: &'a [Component], id: &str) -> &'a Component {
    list.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no component {id}"))
}

/// What the API says of API in North, which only the added window touches.
fn north_api(site: &Path) -> (String, String, String) {
    let summary: Summary = read(site, "summary.json");
    let components: ComponentsFile = read(site, "components.json");
    let cell = component(&summary.components, "api.north");
    assert_eq!(component(&components.components, "api.north").status, cell.status, "summary and components agree");
    let north = summary.regions.iter().find(|r| r.id == "north").unwrap();
    (cell.status.clone(), cell.updated_at.clone(), north.status.clone())
}

#[test]
fn maintenance_under_way_at_the_clock_is_active_not_upcoming() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_maintenance(dir.path(), "2026-11-22-switch", "2026-11-22T05:00:00Z", "2026-11-22T07:00:00Z");

    let active: MaintenancesFile = read(&site, "scheduled-maintenances/active.json");
    let page_id = active.page.id.clone();
    assert_eq!(statuses(&active.scheduled_maintenances), [("2026-11-22-switch", "in_progress")]);
    let m = &active.scheduled_maintenances[0];
    check_maintenance(m, &page_id);
    assert_eq!(m.impact, "maintenance");
    assert_eq!(m.scheduled_for, "2026-11-22T06:00:00.000+01:00");
    assert_eq!(m.scheduled_until, "2026-11-22T08:00:00.000+01:00");
    assert_eq!(m.resolved_at, None);
    assert_eq!(m.updated_at, "2026-11-22T06:00:00.000+01:00", "the schedule started it");
    assert_eq!(m.shortlink, "https://status.fixture.example/maintenance/2026-11-22-switch/");
    let cells: Vec<(&str, &str)> = m.components.iter().map(|c| (c.id.as_str(), c.status.as_str())).collect();
    assert_eq!(cells, [("api.north", "under_maintenance")]);
    assert_eq!(m.incident_updates.len(), 1);
    assert_eq!(m.incident_updates[0].status, "scheduled");

    let upcoming: MaintenancesFile = read(&site, "scheduled-maintenances/upcoming.json");
    assert_eq!(statuses(&upcoming.scheduled_maintenances), [("2026-12-01-db-upgrade", "scheduled")]);
    let all: MaintenancesFile = read(&site, "scheduled-maintenances.json");
    assert_eq!(
        statuses(&all.scheduled_maintenances),
        [("2026-12-01-db-upgrade", "scheduled"), ("2026-11-22-switch", "in_progress")],
        "latest scheduled first"
    );

    // summary.json: upcoming, then active; the cell and its region are under
    // maintenance since the window opened, while the outage in South still
    // sets the page's indicator.
    let summary: Summary = read(&site, "summary.json");
    summary.scheduled_maintenances.iter().for_each(|m| check_maintenance(m, &page_id));
    assert_eq!(
        statuses(&summary.scheduled_maintenances),
        [("2026-12-01-db-upgrade", "scheduled"), ("2026-11-22-switch", "in_progress")]
    );
    assert_eq!(
        north_api(&site),
        ("under_maintenance".into(), "2026-11-22T06:00:00.000+01:00".into(), "under_maintenance".into())
    );
    assert_eq!(component(&summary.components, "api").status, "major_outage", "the group's worst cell");
    assert_eq!(summary.status.indicator, "critical");
}

/// Windows are half-open, `[scheduled_for, scheduled_until)`, as Statuspage
/// moves a maintenance to in progress at its start and to completed at its
/// end: one that ends at the build's clock is over.
#[test]
fn maintenance_ending_at_the_clock_is_completed() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_maintenance(dir.path(), "2026-11-22-ended", "2026-11-22T04:00:00Z", "2026-11-22T06:00:00Z");
    let active: MaintenancesFile = read(&site, "scheduled-maintenances/active.json");
    assert!(active.scheduled_maintenances.is_empty(), "{:?}", statuses(&active.scheduled_maintenances));
    let upcoming: MaintenancesFile = read(&site, "scheduled-maintenances/upcoming.json");
    assert_eq!(statuses(&upcoming.scheduled_maintenances), [("2026-12-01-db-upgrade", "scheduled")]);
    let summary: Summary = read(&site, "summary.json");
    assert_eq!(statuses(&summary.scheduled_maintenances), [("2026-12-01-db-upgrade", "scheduled")]);

    let all: MaintenancesFile = read(&site, "scheduled-maintenances.json");
    let ended = all.scheduled_maintenances.iter().find(|m| m.id == "2026-11-22-ended").unwrap();
    check_maintenance(ended, &all.page.id);
    assert_eq!(ended.status, "completed");
    assert_eq!(ended.resolved_at.as_deref(), Some("2026-11-22T07:00:00.000+01:00"), "its scheduled end");
    assert_eq!(ended.updated_at, "2026-11-22T07:00:00.000+01:00", "the schedule completed it: a change to poll for");
    assert_eq!(ended.scheduled_until, "2026-11-22T07:00:00.000+01:00");
    assert_eq!(
        north_api(&site),
        ("operational".into(), "2026-11-22T07:00:00.000+01:00".into(), "operational".into()),
        "back to operational when the window closed"
    );
}

/// ... and one that starts at the build's clock is under way.
#[test]
fn maintenance_starting_at_the_clock_is_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_maintenance(dir.path(), "2026-11-22-starts", "2026-11-22T06:00:00Z", "2026-11-22T08:00:00Z");
    let active: MaintenancesFile = read(&site, "scheduled-maintenances/active.json");
    assert_eq!(statuses(&active.scheduled_maintenances), [("2026-11-22-starts", "in_progress")]);
    let m = &active.scheduled_maintenances[0];
    check_maintenance(m, &active.page.id);
    assert_eq!(m.scheduled_for, "2026-11-22T07:00:00.000+01:00");
    let upcoming: MaintenancesFile = read(&site, "scheduled-maintenances/upcoming.json");
    assert!(upcoming.scheduled_maintenances.iter().all(|m| m.id != "2026-11-22-starts"));
    let summary: Summary = read(&site, "summary.json");
    assert_eq!(
        statuses(&summary.scheduled_maintenances),
        [("2026-12-01-db-upgrade", "scheduled"), ("2026-11-22-starts", "in_progress")]
    );
    assert_eq!(
        north_api(&site),
        ("under_maintenance".into(), "2026-11-22T07:00:00.000+01:00".into(), "under_maintenance".into())
    );
}

// ------------------------------------------------------------------ what the API says at the build's clock

/// The API fixture plus `files` (paths under `content/`, with their text),
/// built at `now` into `dir/site`.
fn fixture_with(dir: &Path, files: &[(&str, &str)], now: &str) -> std::path::PathBuf {
    let root = dir.join("src");
    copy_dir(&repo().join("tests/fixtures/api-site"), &root);
    for (rel, text) in files {
        std::fs::write(root.join("content").join(rel), text).unwrap();
    }
    let site = dir.join("site");
    let out = candor(&["build", "--root", path(&root), "--output", path(&site), "--now", now]);
    assert!(out.status.success(), "build failed:\n{}{}", stdout(&out), stderr(&out));
    site
}

fn incident<'a>(list: &'a [Incident], id: &str) -> &'a Incident {
    list.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("no incident {id}"))
}

fn maintenance<'a>(list: &'a [Maintenance], id: &str) -> &'a Maintenance {
    list.iter().find(|m| m.id == id).unwrap_or_else(|| panic!("no maintenance {id}"))
}

/// (status, old_status -> new_status per component) of each update, newest first.
fn update_changes(updates: &[IncidentUpdate]) -> Vec<(String, Option<Vec<String>>)> {
    updates
        .iter()
        .map(|u| {
            let changes = u
                .affected_components
                .as_ref()
                .map(|list| list.iter().map(|a| format!("{} {}->{}", a.code, a.old_status, a.new_status)).collect());
            (u.status.clone(), changes)
        })
        .collect()
}

/// An open incident is never `resolved`, whatever its last update says: its
/// status is the newest update that is not `resolved`, else `investigating`.
#[test]
fn an_open_incident_is_never_resolved_in_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let open = |title: &str, updates: &[(&str, &str)]| {
        let mut text = format!(
            "+++\ntitle = \"{title}\"\nimpact = \"minor\"\nstarted = 2026-11-22T04:00:00Z\n\n[[affected]]\n\
             components = [\"api\"]\nregions = [\"north\"]\nstatus = \"degraded_performance\"\n"
        );
        for (at, status) in updates {
            text.push_str(&format!("\n[[updates]]\nat = {at}\nstatus = \"{status}\"\nbody = \"Said at {at}.\"\n"));
        }
        text + "+++\n"
    };
    let site = fixture_with(
        dir.path(),
        &[
            (
                "incidents/2026-11-22-said-resolved.md",
                &open(
                    "Said resolved, still open",
                    &[
                        ("2026-11-22T04:10:00Z", "investigating"),
                        ("2026-11-22T04:40:00Z", "monitoring"),
                        ("2026-11-22T05:00:00Z", "resolved"),
                    ],
                ),
            ),
            (
                "incidents/2026-11-22-only-resolved.md",
                &open("Only a resolved update", &[("2026-11-22T04:20:00Z", "resolved")]),
            ),
        ],
        NOW,
    );
    let all: IncidentsFile = read(&site, "incidents.json");
    let unresolved: IncidentsFile = read(&site, "incidents/unresolved.json");
    let summary: Summary = read(&site, "summary.json");
    for (id, expected) in [("2026-11-22-said-resolved", "monitoring"), ("2026-11-22-only-resolved", "investigating")] {
        for (file, list) in [
            ("incidents.json", &all.incidents),
            ("unresolved.json", &unresolved.incidents),
            ("summary.json", &summary.incidents),
        ] {
            let i = incident(list, id);
            check_incident(i, &all.page.id);
            assert_eq!((i.status.as_str(), i.resolved_at.as_deref()), (expected, None), "{file}: {id}");
        }
    }
    // The updates themselves say what was written, newest first.
    let said = incident(&all.incidents, "2026-11-22-said-resolved");
    let statuses: Vec<&str> = said.incident_updates.iter().map(|u| u.status.as_str()).collect();
    assert_eq!(statuses, ["resolved", "monitoring", "investigating"]);
    assert!(unresolved.incidents.iter().all(|i| !matches!(i.status.as_str(), "resolved" | "postmortem")));
}

/// `status.description` is the text Statuspage shows for a page whose worst
/// component is in that status (Atlassian's "Top-level status and incident
/// impact calculations"; e.g. a real Snowflake status.json said
/// `critical` / "Major System Outage").
#[test]
fn status_descriptions_are_statuspages_own_words() {
    let maintenance = "+++\ntitle = \"Switch replacement in North\"\nscheduled_start = 2026-11-21T01:00:00Z\n\
                       scheduled_end = 2026-11-21T03:00:00Z\ncomponents = [\"api\"]\nregions = [\"north\"]\n\n\
                       [[updates]]\nat = 2026-11-20T12:00:00Z\nstatus = \"scheduled\"\nbody = \"A switch.\"\n+++\n";
    for (now, indicator, description) in [
        ("2026-11-20T12:00:00Z", "none", "All Systems Operational"),
        ("2026-11-21T02:00:00Z", "maintenance", "Service Under Maintenance"),
        ("2026-11-22T05:10:00Z", "minor", "Partially Degraded Service"),
        ("2026-11-20T08:30:00Z", "major", "Partial System Outage"),
        ("2026-11-22T06:00:00Z", "critical", "Major System Outage"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let site = fixture_with(dir.path(), &[("maintenance/2026-11-21-switch.md", maintenance)], now);
        let status: StatusFile = read(&site, "status.json");
        let summary: Summary = read(&site, "summary.json");
        for s in [&status.status, &summary.status] {
            assert_eq!((s.indicator.as_str(), s.description.as_str()), (indicator, description), "at {now}");
        }
    }
}

/// A maintenance that an update completes before its scheduled end gives
/// its components back when the update says so, not at the scheduled end;
/// one started early by an update takes them when the update says so.
#[test]
fn maintenance_moved_by_updates_dates_its_components_by_the_updates() {
    let text = "+++\ntitle = \"Switch replacement in North\"\nscheduled_start = 2026-11-22T03:00:00Z\n\
                scheduled_end = 2026-11-22T05:00:00Z\ncomponents = [\"api\"]\nregions = [\"north\"]\n\n\
                [[updates]]\nat = 2026-11-20T09:00:00Z\nstatus = \"scheduled\"\nbody = \"We will replace a switch.\"\n\n\
                [[updates]]\nat = 2026-11-22T02:50:00Z\nstatus = \"in_progress\"\nbody = \"We started early.\"\n\n\
                [[updates]]\nat = 2026-11-22T04:35:00Z\nstatus = \"completed\"\nbody = \"Done early.\"\n+++\n";
    let files = [("maintenance/2026-11-22-switch.md", text)];

    // Under way at 04:00 UTC: since the update at 02:50, not the scheduled 03:00.
    let dir = tempfile::tempdir().unwrap();
    let site = fixture_with(dir.path(), &files, "2026-11-22T04:00:00Z");
    let summary: Summary = read(&site, "summary.json");
    let cell = component(&summary.components, "api.north");
    assert_eq!(
        (cell.status.as_str(), cell.updated_at.as_str()),
        ("under_maintenance", "2026-11-22T03:50:00.000+01:00")
    );

    // Done at the build's clock (06:00 UTC): since 04:35, not the scheduled 05:00.
    let dir = tempfile::tempdir().unwrap();
    let site = fixture_with(dir.path(), &files, NOW);
    assert_eq!(
        north_api(&site),
        ("operational".into(), "2026-11-22T05:35:00.000+01:00".into(), "operational".into()),
        "the update that completed it is the cell's last change"
    );
    let components: ComponentsFile = read(&site, "components.json");
    assert_eq!(component(&components.components, "api.north").updated_at, "2026-11-22T05:35:00.000+01:00");
    let all: MaintenancesFile = read(&site, "scheduled-maintenances.json");
    let m = maintenance(&all.scheduled_maintenances, "2026-11-22-switch");
    check_maintenance(m, &all.page.id);
    assert_eq!(m.status, "completed");
    assert_eq!(m.resolved_at.as_deref(), Some("2026-11-22T05:35:00.000+01:00"));
    assert_eq!(m.updated_at, "2026-11-22T05:35:00.000+01:00");
}

/// Like an incident's, a maintenance update that moves components says how:
/// under maintenance when it starts, back when it completes.
#[test]
fn maintenance_updates_list_the_components_they_move() {
    let text = "+++\ntitle = \"Switch replacement in North\"\nscheduled_start = 2026-11-22T03:00:00Z\n\
                scheduled_end = 2026-11-22T05:00:00Z\ncomponents = [\"api\"]\nregions = [\"north\"]\n\n\
                [[updates]]\nat = 2026-11-20T09:00:00Z\nstatus = \"scheduled\"\nbody = \"We will replace a switch.\"\n\n\
                [[updates]]\nat = 2026-11-22T03:00:00Z\nstatus = \"in_progress\"\nbody = \"Started.\"\n\n\
                [[updates]]\nat = 2026-11-22T04:00:00Z\nstatus = \"verifying\"\nbody = \"Checking.\"\n\n\
                [[updates]]\nat = 2026-11-22T04:35:00Z\nstatus = \"completed\"\nbody = \"Done.\"\n+++\n";
    let dir = tempfile::tempdir().unwrap();
    let site = fixture_with(dir.path(), &[("maintenance/2026-11-22-switch.md", text)], NOW);
    let all: MaintenancesFile = read(&site, "scheduled-maintenances.json");
    let m = maintenance(&all.scheduled_maintenances, "2026-11-22-switch");
    let change = |s: &str| Some(vec![s.to_owned()]);
    assert_eq!(
        update_changes(&m.incident_updates),
        [
            ("completed".into(), change("api.north under_maintenance->operational")),
            // Verifying changes no component, so, as on Statuspage, it lists none.
            ("verifying".into(), None),
            ("in_progress".into(), change("api.north operational->under_maintenance")),
            ("scheduled".into(), None),
        ]
    );
    for u in &m.incident_updates {
        for a in u.affected_components.iter().flatten() {
            assert_eq!(a.name, "API - North");
        }
    }
}

/// An update dated after the build's clock has not been said yet: no API
/// object shows it or takes a time or a status from it, for incidents and
/// maintenance alike; a resolution after the clock has not happened either.
#[test]
fn updates_after_the_clock_are_not_published_yet() {
    let incident_text = "+++\ntitle = \"API slow in North\"\nimpact = \"minor\"\nstarted = 2026-11-22T05:35:00Z\n\
                         resolved = 2026-11-22T06:30:00Z\n\n[[affected]]\ncomponents = [\"api\"]\nregions = [\"north\"]\n\
                         status = \"degraded_performance\"\n\n\
                         [[updates]]\nat = 2026-11-22T05:40:00Z\nstatus = \"identified\"\nbody = \"A bad deploy.\"\n\n\
                         [[updates]]\nat = 2026-11-22T06:10:00Z\nstatus = \"monitoring\"\nbody = \"Rolled back.\"\n\n\
                         [[updates]]\nat = 2026-11-22T06:30:00Z\nstatus = \"resolved\"\nbody = \"All good.\"\n+++\n";
    let maintenance_text = "+++\ntitle = \"Switch replacement in North\"\nscheduled_start = 2026-11-22T03:00:00Z\n\
                            scheduled_end = 2026-11-22T09:00:00Z\ncomponents = [\"api\"]\nregions = [\"north\"]\n\n\
                            [[updates]]\nat = 2026-11-20T09:00:00Z\nstatus = \"scheduled\"\nbody = \"A switch.\"\n\n\
                            [[updates]]\nat = 2026-11-22T07:00:00Z\nstatus = \"completed\"\nbody = \"Done.\"\n+++\n";
    let upcoming_text = "+++\ntitle = \"Router swap\"\nscheduled_start = 2026-11-25T03:00:00Z\n\
                         scheduled_end = 2026-11-25T04:00:00Z\ncomponents = [\"api\"]\nregions = [\"south\"]\n\n\
                         [[updates]]\nat = 2026-11-21T09:00:00Z\nstatus = \"scheduled\"\nbody = \"A router.\"\n\n\
                         [[updates]]\nat = 2026-11-23T09:00:00Z\nstatus = \"scheduled\"\nbody = \"Moved.\"\n+++\n";
    let dir = tempfile::tempdir().unwrap();
    let site = fixture_with(
        dir.path(),
        &[
            ("incidents/2026-11-22-api-slow.md", incident_text),
            ("maintenance/2026-11-22-switch.md", maintenance_text),
            ("maintenance/2026-11-25-router.md", upcoming_text),
        ],
        NOW,
    );
    let page_id = read::<StatusFile>(&site, "status.json").page.id;

    // The incident: one update said, open, updated when that update was said.
    let unresolved: IncidentsFile = read(&site, "incidents/unresolved.json");
    let i = incident(&unresolved.incidents, "2026-11-22-api-slow");
    check_incident(i, &page_id);
    assert_eq!((i.status.as_str(), i.resolved_at.as_deref()), ("identified", None));
    assert_eq!(i.updated_at, "2026-11-22T06:40:00.000+01:00");
    assert_eq!(i.monitoring_at, None);
    let said: Vec<&str> = i.incident_updates.iter().map(|u| u.created_at.as_str()).collect();
    assert_eq!(said, ["2026-11-22T06:40:00.000+01:00"]);
    let all: IncidentsFile = read(&site, "incidents.json");
    assert_eq!(incident(&all.incidents, "2026-11-22-api-slow").updated_at, i.updated_at);
    // The page changed when that update was said, the newest content time by then.
    assert_eq!(all.page.updated_at, "2026-11-22T06:40:00.000+01:00");

    // The maintenance under way: its completion is not said yet.
    let active: MaintenancesFile = read(&site, "scheduled-maintenances/active.json");
    let m = maintenance(&active.scheduled_maintenances, "2026-11-22-switch");
    check_maintenance(m, &page_id);
    assert_eq!((m.status.as_str(), m.resolved_at.as_deref()), ("in_progress", None));
    assert_eq!(m.updated_at, "2026-11-22T04:00:00.000+01:00", "the schedule started it");
    assert_eq!(m.incident_updates.len(), 1);
    // The upcoming one: its second update is not said yet.
    let upcoming: MaintenancesFile = read(&site, "scheduled-maintenances/upcoming.json");
    let m = maintenance(&upcoming.scheduled_maintenances, "2026-11-25-router");
    assert_eq!(m.updated_at, "2026-11-21T10:00:00.000+01:00");
    assert_eq!(update_changes(&m.incident_updates), [("scheduled".into(), None)]);

    // Nothing the API publishes for either is dated after the clock.
    let summary: Summary = read(&site, "summary.json");
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    let after = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap() > now;
    for i in summary.incidents.iter().chain(&unresolved.incidents) {
        assert!(!after(&i.updated_at), "{}: updated_at {}", i.id, i.updated_at);
        assert!(i.incident_updates.iter().all(|u| !after(&u.created_at)), "{}", i.id);
    }
    for m in summary.scheduled_maintenances.iter() {
        assert!(!after(&m.updated_at), "{}: updated_at {}", m.id, m.updated_at);
        assert!(m.incident_updates.iter().all(|u| !after(&u.created_at)), "{}", m.id);
    }
    for c in &summary.components {
        assert!(!after(&c.updated_at), "{}: updated_at {}", c.id, c.updated_at);
    }
}

/// Statuspage's incidents.json holds the 50 newest incidents and every
/// unresolved one, however old.
#[test]
fn incidents_json_keeps_an_old_open_incident_beyond_the_newest_fifty() {
    let dir = common::commands_site();
    let root = dir.path();
    let folder = root.join("content/incidents");
    std::fs::create_dir_all(&folder).unwrap();
    let incident = |id: &str, day: u32, resolved: bool| {
        let end = if resolved { format!("resolved = 2026-03-{day:02}T11:00:00Z\n") } else { String::new() };
        let status = if resolved { "resolved" } else { "investigating" };
        let at = if resolved { "11:00" } else { "10:05" };
        std::fs::write(
            folder.join(format!("{id}.md")),
            format!(
                "+++\ntitle = \"Incident {id}\"\nimpact = \"minor\"\nstarted = 2026-03-{day:02}T10:00:00Z\n{end}allow = [\"stale-update\", \"missing-postmortem\"]\n[[updates]]\nat = 2026-03-{day:02}T{at}:00Z\nstatus = \"{status}\"\nbody = \"Requests to the API fail for some customers in US North.\"\n+++\n"
            ),
        )
        .unwrap();
    };
    incident("old-open", 1, false);
    for n in 0..55 {
        incident(&format!("later-{n:02}"), 2 + n % 27, true);
    }
    let site = root.join("site");
    let out = candor(&["build", "--root", path(root), "--output", path(&site), "--now", "2026-04-01T00:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let api: serde_json::Value = serde_json::from_str(&common::read(&site, "api/v2/incidents.json")).unwrap();
    let ids: Vec<&str> = api["incidents"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 51, "{ids:?}");
    assert!(ids.contains(&"old-open"), "{ids:?}");
}
