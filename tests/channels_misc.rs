//! The calendar, the badges, the sitemap and robots.txt, built by the real
//! binary from the example site and from a copy with hostile text, and read
//! back independently: the `ical` crate for the calendar, a small strict
//! well-formedness check for the SVG and XML (no XML parser is a dependency).

mod common;

use candor::model::Site;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const BASE: &str = "https://status.northwind.example/";
const HOST: &str = "status.northwind.example";

type Files = BTreeMap<String, Vec<u8>>;

fn built(root: &Path, now: &str) -> (tempfile::TempDir, Files) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = candor(&["build", "--root", path(root), "--output", path(&site), "--now", now]);
    assert!(out.status.success(), "build failed:\n{}{}", stdout(&out), stderr(&out));
    let files = snapshot(&site);
    (dir, files)
}

fn text(files: &Files, name: &str) -> String {
    String::from_utf8(files.get(name).unwrap_or_else(|| panic!("no {name}")).clone()).expect("utf-8")
}

/// The site as the library reads it, for content times and ids.
fn model(root: &Path) -> Site {
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap().with_timezone(&chrono::Utc);
    candor::content::load(root, now).unwrap().site.expect("valid example")
}

fn parse_calendar(ics: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut parser = ical::IcalParser::new(ics.as_bytes());
    let calendar = parser.next().expect("a calendar").expect("maintenance.ics parses");
    assert!(parser.next().is_none(), "one calendar");
    calendar
}

fn property<'a>(props: &'a [ical::property::Property], name: &str) -> &'a str {
    props.iter().find(|p| p.name == name).and_then(|p| p.value.as_deref()).unwrap_or_else(|| panic!("no {name}"))
}

/// Reverses RFC 5545 TEXT escaping.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("dangling backslash in {value:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Every physical line ends with CRLF and holds at most 75 octets.
fn assert_lines(ics: &str) {
    assert!(ics.ends_with("\r\n"), "last line without CRLF");
    for (n, line) in ics.split("\r\n").enumerate() {
        assert!(!line.contains('\n') && !line.contains('\r'), "line {n}: bare LF or CR");
        assert!(line.len() <= 75, "line {n} has {} octets: {line:?}", line.len());
        assert!(line.chars().all(|c| c == '\t' || !c.is_control()), "line {n}: control character");
    }
}

#[test]
fn calendar_has_one_stable_event_per_maintenance() {
    let (_dir, files) = built(&repo(), NOW);
    let ics = text(&files, "maintenance.ics");
    assert_lines(&ics);
    let calendar = parse_calendar(&ics);
    assert_eq!(property(&calendar.properties, "PRODID"), "-//Candor//Status Calendar//EN");
    assert_eq!(property(&calendar.properties, "VERSION"), "2.0");
    assert_eq!(property(&calendar.properties, "METHOD"), "PUBLISH");
    assert_eq!(property(&calendar.properties, "X-WR-CALNAME"), "Northwind Cloud Status maintenance");
    let site = model(&repo());
    let on_disk = std::fs::read_dir(repo().join("content/maintenance")).unwrap().count();
    assert_eq!(calendar.events.len(), on_disk, "one VEVENT per maintenance file");
    for (event, m) in calendar.events.iter().zip(&site.maintenance) {
        let p = &event.properties;
        assert_eq!(property(p, "UID"), format!("{}@{HOST}", m.id));
        let content_times: BTreeSet<String> = m
            .updates
            .iter()
            .map(|u| u.at)
            .chain([m.scheduled_start])
            .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
            .collect();
        let stamp = property(p, "DTSTAMP");
        assert!(content_times.contains(stamp), "{}: DTSTAMP {stamp} is not a content time", m.id);
        let newest = m.updates.iter().map(|u| u.at).max().unwrap_or(m.scheduled_start);
        assert_eq!(stamp, newest.format("%Y%m%dT%H%M%SZ").to_string(), "{}: the newest update, else the start", m.id);
        assert_eq!(property(p, "DTSTART"), m.scheduled_start.format("%Y%m%dT%H%M%SZ").to_string());
        assert_eq!(property(p, "DTEND"), m.scheduled_end.format("%Y%m%dT%H%M%SZ").to_string());
        assert_eq!(property(p, "SEQUENCE"), m.updates.len().to_string());
        assert_eq!(unescape(property(p, "SUMMARY")), m.title);
        let url = property(p, "URL");
        let page = url.strip_prefix(BASE).expect("absolute URL").to_string() + "index.html";
        assert!(files.contains_key(&page), "{url} is not a page of the site");
        // The maintenance page links to the calendar.
        assert!(text(&files, &page).contains(r#"<a href="../../maintenance.ics">"#), "{page}: no calendar link");
        assert!(unescape(property(p, "DESCRIPTION")).starts_with("Where: "));
    }
    // So does the front page, which lists the upcoming ones.
    assert!(text(&files, "index.html").contains(r#"<a href="maintenance.ics">"#), "front page: no calendar link");
    // Another clock: the same calendar, byte for byte (UIDs and stamps included).
    let (_later, again) = built(&repo(), "2027-06-01T00:00:00Z");
    assert_eq!(text(&again, "maintenance.ics"), ics);
}

#[test]
fn badges_say_the_status_in_words() {
    let (_dir, files) = built(&repo(), NOW);
    let site = model(&repo());
    let status = text(&files, "badges/status.svg");
    assert!(status.contains("<title>Northwind Cloud Status: degraded performance</title>"), "{status}");
    assert!(status.contains(r#"role="img" aria-label="Northwind Cloud Status: degraded performance""#));
    assert!(status.contains(">status</text>") && status.contains(">degraded performance</text>"));
    for c in &site.config.components {
        let name = format!("badges/{}.svg", c.id);
        let svg = text(&files, &name);
        assert_well_formed(&svg, &name);
        assert!(svg.contains(&format!("<title>{}: ", c.name.replace('&', "&amp;"))), "{name}: title");
    }
    assert_well_formed(&status, "status.svg");
    let postgres = text(&files, "badges/managed-postgres.svg");
    assert!(postgres.contains("<title>Managed PostgreSQL: degraded performance</title>"), "{postgres}");
    let identity = text(&files, "badges/identity.svg");
    assert!(identity.contains("<title>Identity &amp; Sign-in: operational</title>"), "{identity}");
    assert_eq!(files.keys().filter(|k| k.starts_with("badges/")).count(), site.config.components.len() + 1);
}

#[test]
fn sitemap_lists_every_page_and_robots_points_at_it() {
    let (_dir, files) = built(&repo(), NOW);
    let xml = text(&files, "sitemap.xml");
    assert_well_formed(&xml, "sitemap.xml");
    assert!(xml.contains(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#));
    let locs: Vec<&str> = xml.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    assert!(locs.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
    assert!(locs.iter().all(|l| l.starts_with(BASE) && l.ends_with('/')), "absolute directory URLs");
    // Exactly the built HTML pages but 404.html.
    let pages: BTreeSet<String> =
        files.keys().filter_map(|k| k.strip_suffix("index.html")).map(|dir| format!("{BASE}{dir}")).collect();
    let listed: BTreeSet<String> = locs.iter().map(|s| s.to_string()).collect();
    assert_eq!(listed, pages);
    // Incident pages carry their last activity, a content time.
    let site = model(&repo());
    for i in &site.incidents {
        let entry = format!("<loc>{BASE}incidents/{}/</loc>", i.id);
        let at = xml.find(&entry).unwrap_or_else(|| panic!("{} not listed", i.id));
        let line = xml[at..].lines().next().unwrap();
        let lastmod = i.last_activity().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        assert!(line.contains(&format!("<lastmod>{lastmod}</lastmod>")), "{line}");
    }
    assert!(xml.contains(&format!("<url><loc>{BASE}credits/</loc></url>")), "no lastmod without a content time");
    assert_eq!(text(&files, "robots.txt"), format!("User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"));
}

#[test]
fn hostile_text_is_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    let maintenance = concat!(
        "+++\n",
        "title = \"Fix <db> & \\\"cache\\\" ]]> a;b,c \\\\ back\\nslash \\u0007bell\"\n",
        "scheduled_start = 2026-12-20T02:00:00Z\n",
        "scheduled_end = 2026-12-20T03:00:00Z\n",
        "components = [\"managed-postgres\"]\n",
        "[[updates]]\n",
        "at = 2026-11-21T10:00:00Z\n",
        "status = \"scheduled\"\n",
        "body = \"Update <b>bold</b> & ]]> 'x';y,z \\\\ \\u0007 done\"\n",
        "+++\n",
        "Body <script>alert(1)</script> & \"q\" ]]> x;y,z \\ end\u{7}.\n",
    );
    std::fs::write(root.join("content/maintenance/2026-12-20-hostile.md"), maintenance).unwrap();
    let config = std::fs::read_to_string(root.join("status.toml")).unwrap();
    let config = config.replace(r#"name = "Managed PostgreSQL""#, r#"name = "Postgres <&> \"q\" ]]> \u0007x""#);
    std::fs::write(root.join("status.toml"), config).unwrap();
    let (_out, files) = built(&root, NOW);

    // Calendar: escaped per RFC 5545, read back exactly by an independent parser.
    let ics = text(&files, "maintenance.ics");
    assert_lines(&ics);
    let calendar = parse_calendar(&ics);
    assert_eq!(calendar.events.len(), 6);
    let event = calendar
        .events
        .iter()
        .find(|e| property(&e.properties, "UID") == format!("2026-12-20-hostile@{HOST}"))
        .expect("the hostile maintenance");
    let summary = property(&event.properties, "SUMMARY");
    assert_eq!(summary, r#"Fix <db> & "cache" ]]> a\;b\,c \\ back slash bell"#);
    assert_eq!(unescape(summary), "Fix <db> & \"cache\" ]]> a;b,c \\ back slash bell");
    let description = unescape(property(&event.properties, "DESCRIPTION"));
    assert!(description.starts_with("Where: Postgres <&> \"q\" ]]> x in all "), "{description}");
    assert!(description.contains("Body <script>alert(1)</script> & \"q\" ]]> x;y,z \\ end."), "{description}");
    assert!(description.contains("Update <b>bold</b> & ]]> 'x';y,z \\ done"), "{description}");
    assert!(!description.contains('\u{7}'));

    // Badges: escaped, no control character, still well-formed.
    let svg = text(&files, "badges/managed-postgres.svg");
    assert_well_formed(&svg, "managed-postgres.svg");
    assert!(
        svg.contains("<title>Postgres &lt;&amp;&gt; &quot;q&quot; ]]&gt; x: degraded performance</title>"),
        "{svg}"
    );
    assert!(svg.contains(">Postgres &lt;&amp;&gt; &quot;q&quot; ]]&gt; x</text>"), "{svg}");
    assert!(!svg.contains('\u{7}'));

    // The other formats carrying the title read it back whole.
    let plain_title = "Fix <db> & \"cache\" ]]> a;b,c \\ back";
    for feed in ["history.atom", "history.rss"] {
        let parsed = feed_rs::parser::parse(files[feed].as_slice()).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let titles: Vec<String> =
            parsed.entries.iter().filter_map(|e| e.title.as_ref()).map(|t| t.content.clone()).collect();
        assert!(titles.iter().any(|t| t.contains(plain_title) && !t.contains('\u{7}')), "{feed}: {titles:?}");
    }
    let page = scraper::Html::parse_document(&text(&files, "maintenance/2026-12-20-hostile/index.html"));
    let h1: String = page.select(&scraper::Selector::parse("h1").unwrap()).next().unwrap().text().collect();
    assert!(h1.starts_with(plain_title), "{h1:?}");

    // Sitemap: the new page is listed, and the file is still well-formed.
    let xml = text(&files, "sitemap.xml");
    assert_well_formed(&xml, "sitemap.xml");
    assert!(xml.contains(&format!("<loc>{BASE}maintenance/2026-12-20-hostile/</loc>")));
}

/// A strict check of the XML our writers produce: one root element, tags
/// balanced, attributes quoted and unique, every `&` an entity, no `<` in
/// text or attributes, no `]]>` in text, no character XML 1.0 forbids.
fn assert_well_formed(xml: &str, name: &str) {
    let mut rest = match xml.strip_prefix("<?xml") {
        Some(prolog) => &prolog[prolog.find("?>").unwrap_or_else(|| panic!("{name}: open prolog")) + 2..],
        None => xml,
    };
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    loop {
        let Some(open) = rest.find('<') else {
            check_text(rest, name);
            assert!(rest.trim().is_empty() || !stack.is_empty(), "{name}: text after the root");
            break;
        };
        check_text(&rest[..open], name);
        assert!(!stack.is_empty() || rest[..open].trim().is_empty(), "{name}: text outside the root");
        let close = open + rest[open..].find('>').unwrap_or_else(|| panic!("{name}: unclosed tag"));
        let tag = &rest[open + 1..close];
        if let Some(end) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(end.trim()), "{name}: mismatched </{end}>");
        } else {
            let empty = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (element, attributes) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
            assert!(
                !element.is_empty() && element.chars().all(|c| c.is_alphanumeric() || ":-_.".contains(c)),
                "{name}: <{element}>"
            );
            check_attributes(attributes, name);
            if stack.is_empty() {
                roots += 1;
            }
            if !empty {
                stack.push(element);
            }
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
    assert_eq!(roots, 1, "{name}: one root element");
}

fn check_attributes(mut attributes: &str, name: &str) {
    let mut seen = BTreeSet::new();
    loop {
        attributes = attributes.trim_start();
        if attributes.is_empty() {
            return;
        }
        let (key, after) = attributes.split_once("=\"").unwrap_or_else(|| panic!("{name}: unquoted {attributes:?}"));
        let end = after.find('"').unwrap_or_else(|| panic!("{name}: open attribute {key}"));
        assert!(seen.insert(key), "{name}: duplicate attribute {key}");
        check_text(&after[..end], name);
        attributes = &after[end + 1..];
    }
}

fn check_text(text: &str, name: &str) {
    assert!(!text.contains('<') && !text.contains("]]>"), "{name}: raw markup in {text:?}");
    assert!(
        text.chars().all(
            |c| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
        ),
        "{name}: forbidden character in {text:?}"
    );
    for (i, _) in text.match_indices('&') {
        let entity = &text[i + 1..text[i..].find(';').map_or(text.len(), |e| i + e)];
        let ok = matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos")
            || entity.strip_prefix("#x").is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || entity.strip_prefix('#').is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        assert!(ok, "{name}: bare & in {text:?}");
    }
}
