//! Builds the bundled example site and fixtures with the real binary and
//! checks what a reader would: pages exist, links resolve, the right words
//! are on them, and builds are deterministic and atomic.

mod common;

use common::*;
use scraper::{Html, Selector};
use std::path::Path;

fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    build(&repo(), &dir.path().join("site"));
    dir
}

#[test]
fn every_kind_of_page_is_written() {
    let dir = example_site();
    let site = dir.path().join("site");
    for rel in [
        "index.html",
        "history/index.html",
        "404.html",
        "style.css",
        "incidents/2025-09-29-storage-metadata-outage/index.html",
        "incidents/2026-11-22-postgres-connection-errors-eu-west/index.html",
        "components/object-storage/index.html",
        "regions/eu-west/index.html",
        "maintenance/2026-12-08-object-storage-index-hardware-us-west/index.html",
        "pages/about/index.html",
        "pages/sla/index.html",
    ] {
        assert!(site.join(rel).is_file(), "missing {rel}");
    }
    // One page per incident file.
    let incidents = std::fs::read_dir(repo().join("content/incidents")).unwrap().count();
    assert_eq!(std::fs::read_dir(site.join("incidents")).unwrap().count(), incidents);
}

/// The maintenance index sorts by state at the clock: upcoming soonest
/// first, completed latest first, and every maintenance page links back.
#[test]
fn maintenance_index_lists_every_window_by_state() {
    let dir = example_site();
    let site = dir.path().join("site");
    let page = read(&site, "maintenance/index.html");
    let at = |id: &str| page.find(&format!("maintenance/{id}/index.html")).unwrap_or_else(|| panic!("{id} not listed"));
    let (upcoming, completed) = (page.find("id=\"next-h\"").unwrap(), page.find("id=\"done-h\"").unwrap());
    let (soon, later) =
        (at("2026-12-08-object-storage-index-hardware-us-west"), at("2027-01-12-gpu-host-firmware-upgrade"));
    assert!(upcoming < soon && soon < later && later < completed, "upcoming, soonest first");
    let (newer, older) =
        (at("2026-05-19-uk-south-network-maintenance"), at("2025-11-18-postgres-engine-upgrade-europe"));
    assert!(completed < newer && newer < older, "completed, latest first");
    assert!(page.contains("No maintenance is under way."));
    let listed = page.matches("<li><a class=\"title\"").count();
    assert_eq!(listed, std::fs::read_dir(repo().join("content/maintenance")).unwrap().count());
    let one = read(&site, "maintenance/2026-03-04-cloud-dns-anycast-migration/index.html");
    assert!(one.contains(r#"<p class="crumbs"><a href="../../maintenance/index.html">Maintenance</a></p>"#));
}

/// Every href and src in every page points at a file that exists, and no
/// link is root-absolute (the site must work under any path prefix).
#[test]
fn all_internal_links_resolve_and_are_relative() {
    let dir = example_site();
    let site = dir.path().join("site");
    let links = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let mut checked = 0;
    for (rel, bytes) in snapshot(&site) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(std::str::from_utf8(&bytes).unwrap());
        let page_dir = Path::new(&rel).parent().unwrap().to_path_buf();
        for el in doc.select(&links) {
            let target = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            if let Some(rest) = target.strip_prefix("https://status.northwind.example/") {
                assert_eq!(rel, "404.html", "absolute site link outside 404.html in {rel}: {target}");
                assert!(site.join(rest).is_file(), "{rel}: {target} does not exist");
                continue;
            }
            if target.starts_with("http://") || target.starts_with("https://") {
                continue; // links to the world, written by authors
            }
            assert!(!target.starts_with('/'), "{rel}: root-absolute link {target}");
            let path = target.split(['#', '?']).next().unwrap();
            let resolved = normalize(&page_dir.join(path));
            assert!(site.join(&resolved).is_file(), "{rel}: link {target} -> {} does not exist", resolved.display());
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

fn normalize(p: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => assert!(out.pop(), "link climbs above the site root: {}", p.display()),
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn text_of(html: &str) -> String {
    Html::parse_document(html)
        .root_element()
        .text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn front_page_says_what_is_broken_in_words() {
    let dir = example_site();
    let html = read(&dir.path().join("site"), "index.html");
    let text = text_of(&html);
    // The open incident degrades Managed PostgreSQL in EU West at NOW.
    assert!(html.contains(r#"class="banner st-degraded_performance""#), "banner class");
    assert!(text.contains("Degraded performance"), "banner words");
    assert!(text.contains("Connection errors for Managed PostgreSQL in EU West"), "open incident listed");
    assert!(text.contains("Managed PostgreSQL ◐ Degraded performance in EU West (Dublin)"), "component row: {text}");
    assert!(text.contains("Object Storage metadata index hardware refresh"), "upcoming maintenance");
    // The group with trouble is open, the healthy ones collapsed.
    assert!(html.contains(r#"<details class="group" open>"#));
    assert!(html.matches(r#"<details class="group" >"#).count() >= 4);
}

#[test]
fn incident_page_has_timeline_postmortem_and_credits() {
    let dir = example_site();
    let html = read(&dir.path().join("site"), "incidents/2025-09-29-storage-metadata-outage/index.html");
    let text = text_of(&html);
    for heading in [
        "Affected services",
        "Updates",
        "Postmortem",
        "Summary",
        "Root cause",
        "Trigger",
        "Prevention",
        "Detection",
        "Response",
        "Recovery",
        "Service credits",
    ] {
        assert!(text.contains(heading), "missing {heading}");
    }
    // Times in the site zone with its abbreviation, machine-readable in UTC.
    assert!(html.contains("PDT</time>"), "zone abbreviation");
    let doc = Html::parse_document(&html);
    let times = Selector::parse("time[datetime]").unwrap();
    let mut n = 0;
    for t in doc.select(&times) {
        let iso = t.value().attr("datetime").unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(iso).is_ok() && iso.ends_with('Z'), "bad datetime {iso}");
        n += 1;
    }
    assert!(n > 10);
    assert!(text.contains("credit on Object Storage for the September 2025 and October 2025 billing months"), "{text}");
    assert!(text.contains("Overdue"), "an overdue action item is flagged");
}

#[test]
fn history_lists_every_incident_newest_first_by_month() {
    let dir = example_site();
    let html = read(&dir.path().join("site"), "history/index.html");
    let doc = Html::parse_document(&html);
    let months: Vec<String> =
        doc.select(&Selector::parse("section.month h2").unwrap()).map(|h| h.text().collect()).collect();
    assert_eq!(months.first().map(String::as_str), Some("November 2026"));
    assert_eq!(months.last().map(String::as_str), Some("December 2024"));
    let rows = doc.select(&Selector::parse("li.incident-row").unwrap()).count();
    assert_eq!(rows, std::fs::read_dir(repo().join("content/incidents")).unwrap().count());
}

#[test]
fn markdown_pages_render_tables_footnotes_and_strikethrough() {
    let dir = example_site();
    let html = read(&dir.path().join("site"), "pages/about/index.html");
    assert!(html.contains("<table>"));
    assert!(html.contains("<del>"));
    assert!(html.contains("footnote-definition"));
}

#[test]
fn same_inputs_give_byte_identical_sites() {
    let dir = tempfile::tempdir().unwrap();
    build(&repo(), &dir.path().join("a"));
    build(&repo(), &dir.path().join("b"));
    let (a, b) = (snapshot(&dir.path().join("a")), snapshot(&dir.path().join("b")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between two builds");
    }
    // SOURCE_DATE_EPOCH pins the clock the same way --now does.
    let epoch = chrono::DateTime::parse_from_rfc3339(NOW).unwrap().timestamp().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["build", "--root", path(&repo()), "--output", path(&dir.path().join("c"))])
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(snapshot(&dir.path().join("c")) == a, "SOURCE_DATE_EPOCH build differs from --now build");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    let out_dir = dir.path().join("public");
    build(&root, &out_dir);
    let before = snapshot(&out_dir);
    std::fs::write(
        root.join("content/incidents/2026-11-22-broken.md"),
        "+++\ntitle = \"Broken\"\nimpact = \"major\"\nstarted = 2026-11-22T01:00:00Z\nresolved = 2026-11-21T01:00:00Z\n[[updates]]\nat = 2026-11-22T01:00:00Z\nstatus = \"resolved\"\nbody = \"x\"\n+++\n",
    )
    .unwrap();
    let out = candor(&["build", "--root", path(&root), "--output", path(&out_dir), "--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/incidents/2026-11-22-broken.md:5:12: error: `resolved`"), "{err}");
    assert!(err.contains("nothing was written: the output folder is as it was"), "{err}");
    assert!(snapshot(&out_dir) == before, "the old site changed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "staging folders left behind: {leftovers:?}");
}

#[test]
fn a_template_error_also_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    let out_dir = dir.path().join("public");
    build(&root, &out_dir);
    let before = snapshot(&out_dir);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/incident.html"),
        "{% extends \"base.html\" %}{% block content %}{{ incident.nope.deeper }}{% endblock content %}",
    )
    .unwrap();
    let out = candor(&["build", "--root", path(&root), "--output", path(&out_dir), "--now", NOW]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("incident.html"), "{}", stderr(&out));
    assert!(snapshot(&out_dir) == before);
}

/// A template saved with a byte-order mark builds (the mark is dropped);
/// a broken template fails `check` as it fails `build`, naming the
/// template's path, line and column.
#[test]
fn templates_are_checked_by_check_and_a_byte_order_mark_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "\u{feff}{% extends \"base.html\" %}{% block content %}<p>Custom lost page</p>{% endblock content %}",
    )
    .unwrap();
    let out_dir = dir.path().join("public");
    let out = candor(&["check", "--root", path(&root), "--now", NOW]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    build(&root, &out_dir);
    assert!(read(&out_dir, "404.html").contains("Custom lost page"));

    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ 1 + }}</p>\n{% endblock content %}",
    )
    .unwrap();
    for command in ["check", "build"] {
        let mut args = vec![command, "--root", path(&root), "--now", NOW];
        if command == "build" {
            args.extend(["--output", path(&out_dir)]);
        }
        let out = candor(&args);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert!(stderr(&out).contains("templates/404.html:3:"), "{command}: {}", stderr(&out));
    }
}

#[test]
fn site_templates_override_built_ins_and_static_files_are_copied() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Custom lost page</p>{% endblock content %}",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("static/img")).unwrap();
    std::fs::write(root.join("static/img/logo.svg"), "<svg/>").unwrap();
    let out_dir = dir.path().join("public");
    build(&root, &out_dir);
    assert!(read(&out_dir, "404.html").contains("Custom lost page"));
    assert_eq!(read(&out_dir, "img/logo.svg"), "<svg/>");
    // Built-ins not overridden still render.
    assert!(read(&out_dir, "index.html").contains("Northwind Cloud Status"));
}

#[test]
fn html_in_titles_and_bodies_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    std::fs::write(
        root.join("content/incidents/2026-11-01-escaping.md"),
        "+++\ntitle = \"<script>alert('t')</script> & \\\"quotes\\\"\"\nimpact = \"minor\"\nstarted = 2026-11-01T01:00:00Z\nresolved = 2026-11-01T02:00:00Z\n[[updates]]\nat = 2026-11-01T02:00:00Z\nstatus = \"resolved\"\nbody = \"Fixed <img src=x onerror=alert(1)> & done\"\n+++\nBody with <b>raw</b> HTML.\n",
    )
    .unwrap();
    let out_dir = dir.path().join("public");
    build(&root, &out_dir);
    let html = read(&out_dir, "incidents/2026-11-01-escaping/index.html");
    assert!(!html.contains("<script>alert"), "title not escaped");
    assert!(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"), "title");
    assert!(!html.contains("<img src=x"), "update body raw HTML passed through");
    assert!(!html.contains("<b>raw</b>"), "narrative raw HTML passed through");
}

#[test]
fn init_creates_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    let out = candor(&["init", path(&site)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("status.toml"));
    let out = candor(&["check", "--root", path(&site), "--strict", "--now", NOW]);
    assert!(out.status.success(), "starter has problems: {}", stderr(&out));
    build(&site, &site.join("site"));
    assert!(site.join("site/incidents/2026-01-15-api-errors/index.html").is_file());
    // A second init into the now non-empty folder is refused.
    let out = candor(&["init", path(&site)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
}

#[test]
fn exit_codes_and_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    // Not a site: usage error, exit 2, says what to do.
    let out = candor(&["build", "--root", path(dir.path()), "--now", NOW]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no status.toml") && stderr(&out).contains("candor init"), "{}", stderr(&out));
    // A bad clock is a usage error too.
    let out = candor(&["build", "--root", path(&repo()), "--now", "tomorrow"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--now"), "{}", stderr(&out));
    // The output may not be the sources.
    let out = candor(&["build", "--root", path(&repo()), "--output", path(&repo()), "--now", NOW]);
    assert_eq!(out.status.code(), Some(2));
    assert!(repo().join("status.toml").is_file());
    // Success: a one-line summary with pages, feeds and time.
    let out = candor(&["build", "--root", path(&repo()), "--output", path(&dir.path().join("s")), "--now", NOW]);
    assert_eq!(out.status.code(), Some(0));
    let line = stdout(&out);
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.starts_with("built ")
            && line.contains(" pages and ")
            && line.contains(" feeds ")
            && line.contains(" s -> "),
        "{line}"
    );
    // check: ok line, exit 0.
    let out = candor(&["check", "--root", path(&repo()), "--now", NOW]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("ok: "));
}

/// Every page whose words follow the clock carries the build's clock and
/// the staleness threshold for age.js, and says "Status as of" in its
/// footer; a settled page (a resolved incident, completed maintenance)
/// carries neither and says when it was last updated, so a rebuild later
/// leaves it alone.
/// Every page links the script (which the build writes), and marks up its
/// relative times with the instants they count from, so a reader's browser
/// can keep them true; without the script the words are the build's.
#[test]
fn pages_carry_the_build_clock_and_the_age_script() {
    let dir = example_site();
    let site = dir.path().join("site");
    let script = read(&site, "age.js");
    assert!(script.contains("candor-built") && script.contains("role"), "age.js is the theme's script");
    let (mut clocked, mut settled) = (Vec::new(), Vec::new());
    for (rel, bytes) in snapshot(&site) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(html.contains("age.js\" defer></script>"), "{rel}: no age.js");
        if html.contains(&format!("<meta name=\"candor-built\" content=\"{NOW}\">")) {
            assert!(html.contains("<meta name=\"candor-stale-after\" content=\"10800\">"), "{rel}: 3 x 60 min");
            assert!(html.contains("<p>Status as of <time"), "{rel}: no \"Status as of\"");
            clocked.push(rel);
        } else {
            assert!(!html.contains("candor-stale-after") && !html.contains("Status as of"), "{rel}");
            assert!(html.contains("<p>Last updated <time"), "{rel}: no \"Last updated\"");
            settled.push(rel);
        }
    }
    for page in ["index.html", "history/index.html", "404.html", "components/object-storage/index.html"] {
        assert!(clocked.iter().any(|p| p == page), "{page} follows the clock: {clocked:?}");
    }
    // Resolved incidents and maintenance done are settled; the open
    // Postgres incident, upcoming maintenance and own pages are not.
    assert!(settled.iter().any(|p| p.starts_with("incidents/")), "{settled:?}");
    assert!(settled.iter().any(|p| p.starts_with("maintenance/2025-11-18")), "{settled:?}");
    assert!(clocked.iter().any(|p| p.starts_with("pages/")), "{clocked:?}");
    assert!(clocked.iter().any(|p| p.starts_with("maintenance/2027-01-12")), "{clocked:?}");
    assert!(!settled.iter().any(|p| p.contains("postgres") && p.contains("2026-11-22")), "{settled:?}");
    let front = read(&site, "index.html");
    // The example's Postgres incident is open at NOW.
    assert!(front.contains("data-ago>") && front.contains(" ago</time>"), "\"... ago\" as <time datetime data-ago>");
    assert!(front.contains("ongoing for <span data-since=\"2026-11-22T"), "\"ongoing for\" with its start");
}

/// A maintenance still in progress after its scheduled end is not settled:
/// its page keeps the build's clock ("Status as of", age.js's notice),
/// since "In progress" there is true only as of the build.
#[test]
fn a_maintenance_overrunning_its_window_follows_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example(&root);
    let id = "2026-12-08-object-storage-index-hardware-us-west";
    let started = run_in(
        &root,
        &[
            "update",
            id,
            "--status",
            "in_progress",
            "--message",
            "The refresh has started.",
            "--now",
            "2026-12-08T22:05:00-08:00",
            "--force",
        ],
    );
    assert!(started.status.success(), "{}", stderr(&started));
    let out = dir.path().join("out");
    // Two hours after its scheduled end, still in progress.
    let built = candor(&["build", "--root", path(&root), "--output", path(&out), "--now", "2026-12-09T12:00:00Z"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = read(&out, &format!("maintenance/{id}/index.html"));
    assert!(page.contains("In progress"), "{page}");
    assert!(page.contains("<meta name=\"candor-built\" content=\"2026-12-09T12:00:00Z\">"), "no build clock");
    assert!(page.contains("<p>Status as of <time"), "no \"Status as of\"");
}
