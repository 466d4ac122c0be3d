//! Regions and components added later (`since` in status.toml): an older
//! incident that names no regions, or a group, does not cover them; naming
//! one before its `since` is an error.

mod common;

use common::{candor, commands_site, path, read, stderr, stdout};
use std::path::Path;

const NOW: &str = "2026-12-05T12:00:00Z";

const ADDED: &str = "
[[regions]]
id = \"ap-south\"
name = \"AP South\"
since = 2026-12-01

[[components]]
id = \"cdn\"
name = \"CDN\"
group = \"compute\"
since = 2026-12-01T00:00:00-05:00
";

fn incident(title: &str, started: &str, block: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nimpact = \"major\"\nstarted = {started}\nresolved = {started}\n\n\
         [[affected]]\n{block}\nstatus = \"major_outage\"\nto = {started}\n\n\
         [[updates]]\nat = {started}\nstatus = \"resolved\"\nbody = \"It was fixed within the hour, for every customer.\"\n+++\n"
    )
    .replace(&format!("resolved = {started}"), &format!("resolved = {}", later(started)))
    .replace(&format!("to = {started}"), &format!("to = {}", later(started)))
    .replace(&format!("at = {started}"), &format!("at = {}", later(started)))
}

/// An hour after a `...T10:00:00-05:00` time.
fn later(t: &str) -> String {
    t.replace("T10:", "T11:")
}

fn site(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = commands_site();
    let toml = dir.path().join("status.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{config}{ADDED}")).unwrap();
    std::fs::create_dir_all(dir.path().join("content/incidents")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("content/incidents").join(name), text).unwrap();
    }
    dir
}

fn build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let run = candor(&["build", "--root", path(root), "--output", path(&out.path().join("site")), "--now", NOW]);
    assert!(run.status.success(), "{}{}", stdout(&run), stderr(&run));
    out
}

/// The API's incident `id`, as component cell ids.
fn api_cells(site: &Path, id: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&read(site, "api/v2/incidents.json")).unwrap();
    let incident = json["incidents"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap();
    incident["components"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn an_older_incident_without_regions_stays_off_a_region_added_later() {
    let every = "components = [\"service-management\"]";
    let dir = site(&[
        ("old.md", incident("Old console outage", "2026-11-10T10:00:00-05:00", every)),
        ("new.md", incident("New console outage", "2026-12-03T10:00:00-05:00", every)),
        ("group.md", incident("Old compute outage", "2026-11-12T10:00:00-05:00", "groups = [\"compute\"]")),
    ]);
    let out = build(dir.path());
    let site = out.path().join("site");

    let added = read(&site, "regions/ap-south/index.html");
    assert!(added.contains("New console outage"), "an incident after `since` covers it");
    assert!(!added.contains("Old console outage"), "an older one without regions does not");
    assert!(!added.contains("Old compute outage"));
    let older = read(&site, "regions/us-north/index.html");
    assert!(older.contains("Old console outage") && older.contains("New console outage"));

    let old = api_cells(&site, "old");
    assert!(old.iter().any(|c| c == "service-management.us-north"), "{old:?}");
    assert!(!old.iter().any(|c| c.ends_with(".ap-south")), "{old:?}");
    assert!(api_cells(&site, "new").iter().any(|c| c == "service-management.ap-south"));
    // A group named before a component was added does not cover it.
    let group = api_cells(&site, "group");
    assert!(group.iter().any(|c| c.starts_with("api.")), "{group:?}");
    assert!(!group.iter().any(|c| c.starts_with("cdn.") || c.ends_with(".ap-south")), "{group:?}");
    let cdn = read(&site, "components/cdn/index.html");
    assert!(!cdn.contains("Old compute outage"));
}

#[test]
fn naming_a_region_or_component_before_its_since_is_an_error() {
    let dir = site(&[(
        "named.md",
        incident(
            "Named too early",
            "2026-11-10T10:00:00-05:00",
            "components = [\"service-management\", \"cdn\"]\nregions = [\"us-north\", \"ap-south\"]",
        ),
    )]);
    let out = candor(&["check", "--root", path(dir.path()), "--now", NOW]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "content/incidents/named.md:9:24: error: region \"ap-south\" was added 2026-12-01 00:00 EST (its `since` in status.toml), after this [[affected]] window starts (2026-11-10 10:00 EST)"
        ),
        "{err}"
    );
    assert!(err.contains("hint: remove it"), "{err}");
    assert!(err.contains("error: component \"cdn\" was added 2026-12-01 00:00 EST"), "{err}");
}
