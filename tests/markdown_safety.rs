//! Links and images that could run code never become links or images in any
//! output: a small site whose incident narrative, update bodies and
//! maintenance text hold every known way of writing a `javascript:` (or
//! `vbscript:`, `data:`) link is built with the real binary, and every file
//! it writes (pages, Atom and RSS feeds, JSON) is read back: by an HTML
//! parser for pages and feed contents, and as text, with the markup
//! unescaped as many times as a feed or JSON file escapes it.

mod common;

use common::*;
use scraper::{Html, Selector};
use std::path::Path;

/// Every dangerous form, one per line where Markdown allows, with a safe
/// link and image to show the text is really rendered.
const HOSTILE: &str = r#"Links: [inline](javascript:alert(1)), [upper](JavaScript:alert(2)),
[spaced]( javascript:alert(3) ), [pointy](<javascript:alert(4)>),
[entity](jav&#x61;script:alert(5)), [named entity](javascript&colon;alert(6)),
[tab](java&#x09;script:alert(7)), [control](&#1;javascript:alert(8)),
[vb](vbscript:msgbox(9)), [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=),
autolink <javascript:alert(11)>, ![image alt](javascript:alert(12)),
![svg alt](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTMpPg==),
[reference][evil] and [safe link](https://example.com/ok) ![safe image](https://example.com/ok.png).

[evil]: JAVASCRIPT:alert(14)"#;

const ID: &str = "2026-11-21-hostile-links";

fn hostile_site(root: &Path) {
    copy_dir(&repo().join("tests/fixtures/api-site"), root);
    let incident = format!(
        "+++\ntitle = \"Hostile links\"\nimpact = \"minor\"\nstarted = 2026-11-21T10:00:00Z\n\
         resolved = 2026-11-21T11:00:00Z\n\n[[affected]]\ncomponents = [\"api\"]\nregions = [\"north\"]\n\
         status = \"degraded_performance\"\n\n[[updates]]\nat = 2026-11-21T10:10:00Z\nstatus = \"investigating\"\n\
         body = '''\n{HOSTILE}\n'''\n\n[[updates]]\nat = 2026-11-21T11:00:00Z\nstatus = \"resolved\"\n\
         body = '''\nOver. {HOSTILE}\n'''\n+++\nNarrative. {HOSTILE}\n"
    );
    std::fs::write(root.join(format!("content/incidents/{ID}.md")), incident).unwrap();
    let maintenance = format!(
        "+++\ntitle = \"Hostile maintenance\"\nscheduled_start = 2026-11-22T05:00:00Z\n\
         scheduled_end = 2026-11-22T07:00:00Z\ncomponents = [\"api\"]\n\n[[updates]]\n\
         at = 2026-11-22T05:00:00Z\nstatus = \"in_progress\"\nbody = '''\n{HOSTILE}\n'''\n+++\n{HOSTILE}\n"
    );
    std::fs::write(root.join("content/maintenance/2026-11-22-hostile.md"), maintenance).unwrap();
}

/// Would a browser run or open `url` as something other than a web page?
fn dangerous(url: &str) -> bool {
    let url: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let url = url.to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"].iter().any(|scheme| url.starts_with(scheme))
}

/// The `href` and `src` of every element of an HTML document or fragment.
fn parsed_urls(html: &Html) -> Vec<String> {
    let selector = Selector::parse("[href], [src]").unwrap();
    html.select(&selector)
        .flat_map(|e| [e.value().attr("href"), e.value().attr("src")])
        .flatten()
        .map(str::to_owned)
        .collect()
}

/// The start of every value given to an `href` or `src` in `text`, read as
/// text: quotes and markup unescaped (JSON, then XML, up to three levels).
fn textual_urls(text: &str) -> Vec<String> {
    let mut text = text.to_owned();
    for _ in 0..3 {
        for (from, to) in [
            ("\\\"", "\""),
            ("\\u0022", "\""),
            ("\\u003c", "<"),
            ("&quot;", "\""),
            ("&#34;", "\""),
            ("&#x22;", "\""),
            ("&#39;", "'"),
            ("&apos;", "'"),
            ("&lt;", "<"),
            ("&gt;", ">"),
            ("&amp;", "&"),
        ] {
            text = text.replace(from, to);
        }
    }
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for name in ["href", "src"] {
        for (at, _) in lower.match_indices(name) {
            let rest = lower[at + name.len()..].trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                out.push(value.chars().take(40).collect());
            }
        }
    }
    out
}

#[test]
fn no_output_holds_a_dangerous_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    hostile_site(&root);
    let site = dir.path().join("site");
    build(&root, &site);

    let files = snapshot(&site);
    let mut checked = (0, 0, 0);
    for (name, bytes) in &files {
        let Ok(text) = std::str::from_utf8(bytes) else { continue };
        for url in textual_urls(text) {
            assert!(!dangerous(&url), "{name}: a link or image to {url:?}");
        }
        if name.ends_with(".html") {
            for url in parsed_urls(&Html::parse_document(text)) {
                assert!(!dangerous(&url), "{name}: a link or image to {url:?}");
            }
            checked.0 += 1;
        } else if name.ends_with(".atom") || name.ends_with(".rss") {
            let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{name}: {e}"));
            for entry in &feed.entries {
                let bodies = entry.content.iter().filter_map(|c| c.body.as_deref());
                for body in bodies.chain(entry.summary.iter().map(|s| s.content.as_str())) {
                    for url in parsed_urls(&Html::parse_fragment(body)) {
                        assert!(!dangerous(&url), "{name}: {}: a link or image to {url:?}", entry.id);
                    }
                }
                assert!(entry.links.iter().all(|l| !dangerous(&l.href)), "{name}: {}", entry.id);
            }
            checked.1 += 1;
        } else if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            checked.2 += 1;
        }
    }
    assert!(checked.0 > 10 && checked.1 > 10 && checked.2 > 5, "pages, feeds, JSON checked: {checked:?}");

    // The text was rendered, not dropped: the safe link and image are there,
    // the refused ones left their words behind.
    let page = read(&site, &format!("incidents/{ID}/index.html"));
    for piece in [
        r#"<a href="https://example.com/ok">safe link</a>"#,
        r#"<img src="https://example.com/ok.png" alt="safe image" />"#,
        "Links: inline, upper,",
        "autolink javascript:alert(11), image alt,",
        "reference and",
    ] {
        assert!(page.contains(piece), "{piece:?} not on the incident page");
    }
    assert!(read(&site, "maintenance/2026-11-22-hostile/index.html").contains(r#"<a href="https://example.com/ok">"#));
    for feed in [format!("incidents/{ID}/updates.atom"), "updates.rss".into(), "updates.atom".into()] {
        let feed_text = read(&site, &feed);
        assert!(feed_text.contains("https://example.com/ok"), "{feed}: the update body is in the feed");
    }
    // The Statuspage API carries the body as written, Markdown source, which
    // is text there, not markup.
    let api = read(&site, "api/v2/incidents.json");
    assert!(api.contains("[inline](javascript:alert(1))"), "the API body is the source text");
}
