//! `sitemap.xml` (the sitemaps.org 0.9 protocol) and `robots.txt`, so that
//! search engines find every incident and postmortem.
//!
//! - **Which pages**: every HTML page the site has (the front page, history
//!   and its year and month pages, credits, postmortems, and each incident,
//!   component, region, maintenance and free page); not the 404 page. The
//!   list mirrors the page jobs of [`super::html`]; an integration test
//!   compares it with the built site.
//! - **URLs** are absolute ([`absolute_url`]) in directory form,
//!   `https://host/incidents/<id>/`: the canonical address of a page. The
//!   site's own links name `.../index.html` so that it also works from disk;
//!   any static host serves both. Sorted, each once.
//! - **`<lastmod>`** only where a content time says when a page last changed:
//!   an incident's [`last_activity`](crate::model::Incident::last_activity)
//!   and a maintenance's, when at or before the build's clock. Other pages
//!   change with the clock (status, uptime) and carry none: never the build
//!   time.
//! - **Size**: the protocol allows 50,000 URLs per file. A larger site gets
//!   `sitemap-1.xml`, `sitemap-2.xml`, ... at the site root (a sitemap may
//!   only list URLs under its own folder) and `sitemap.xml` becomes their
//!   sitemap index.
//! - **robots.txt** allows everything and names the sitemap. Crawlers read
//!   it only at the root of a host, so with a `base_url` that has a path it
//!   is inert, and the sitemap has to be submitted by hand.

use super::escape_markup;
use super::views::{component_href, incident_href, maintenance_href, page_href, region_href};
use super::{absolute_url, Kind, OutputFile};
use crate::derive::summary::months;
use crate::model::Site;
use crate::time::{self, Instant};

/// The sitemap (or sitemap index), relative to the site root.
pub const PATH: &str = "sitemap.xml";
/// URLs per sitemap file (the protocol's limit).
pub const MAX_URLS: usize = 50_000;

const XML_HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One page of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    /// Absolute, directory form.
    pub url: String,
    pub lastmod: Option<Instant>,
}

pub fn render(site: &Site) -> Vec<OutputFile> {
    let entries = entries(site);
    let mut files = Vec::new();
    if entries.len() <= MAX_URLS {
        files.push(OutputFile::new(PATH, urlset(&entries), Kind::Other));
    } else {
        let mut parts = Vec::new();
        for (n, chunk) in entries.chunks(MAX_URLS).enumerate() {
            let path = format!("sitemap-{}.xml", n + 1);
            parts.push(absolute_url(site, &path));
            files.push(OutputFile::new(path, urlset(chunk), Kind::Other));
        }
        files.push(OutputFile::new(PATH, index(&parts), Kind::Other));
    }
    files.push(OutputFile::new("robots.txt", robots(site), Kind::Other));
    files
}

/// `robots.txt`: everything allowed, the sitemap named.
pub fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {}\n", absolute_url(site, PATH))
}

/// Every HTML page but the 404 page, sorted by URL.
pub fn entries(site: &Site) -> Vec<Entry> {
    let config = &site.config;
    let known = |t: Instant| (t <= site.now).then_some(t);
    let mut pages: Vec<(String, Option<Instant>)> =
        ["index.html", "history/index.html", "credits/index.html", "postmortems/index.html", "maintenance/index.html"]
            .into_iter()
            .map(|p| (p.to_string(), None))
            .collect();
    let mut last_year = None;
    for m in months(site) {
        pages.push((format!("history/{:04}/{:02}/index.html", m.year, m.month), None));
        if last_year != Some(m.year) {
            pages.push((format!("history/{:04}/index.html", m.year), None));
            last_year = Some(m.year);
        }
    }
    pages.extend(site.incidents.iter().map(|i| (incident_href(&i.id), known(i.last_activity_at(site.now)))));
    pages.extend(site.maintenance.iter().map(|m| (maintenance_href(&m.id), known(m.last_activity_at(site.now)))));
    pages.extend(config.components.iter().map(|c| (component_href(&c.id), None)));
    pages.extend(config.regions.iter().map(|r| (region_href(&r.id), None)));
    pages.extend(site.pages.iter().map(|p| (page_href(&p.id), None)));
    let mut entries: Vec<Entry> =
        pages.into_iter().map(|(href, lastmod)| Entry { url: absolute_url(site, directory(&href)), lastmod }).collect();
    entries.sort();
    entries.dedup_by(|a, b| a.url == b.url);
    entries
}

/// "incidents/x/index.html" -> "incidents/x/"; "index.html" -> "".
fn directory(href: &str) -> &str {
    href.strip_suffix("index.html").unwrap_or(href)
}

/// A `<urlset>` of `entries`.
fn urlset(entries: &[Entry]) -> String {
    let mut out = format!("{XML_HEADER}<urlset xmlns=\"{NAMESPACE}\">\n");
    for e in entries {
        out.push_str("  <url><loc>");
        out.push_str(&escape_markup(&e.url));
        out.push_str("</loc>");
        if let Some(t) = e.lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", time::rfc3339(t)));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// A `<sitemapindex>` naming the sitemap files at `urls`.
fn index(urls: &[String]) -> String {
    let mut out = format!("{XML_HEADER}<sitemapindex xmlns=\"{NAMESPACE}\">\n");
    for url in urls {
        out.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", escape_markup(url)));
    }
    out.push_str("</sitemapindex>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::fixtures::{incident, site, t};
    use crate::model::{Maintenance, MaintenanceStatus, MaintenanceUpdate};

    fn maintenance(id: &str, update_at: &str) -> Maintenance {
        Maintenance {
            id: id.into(),
            source: format!("{id}.md").into(),
            title: id.into(),
            scheduled_start: t("2026-02-01T00:00:00Z"),
            scheduled_end: t("2026-02-01T02:00:00Z"),
            components: vec!["api".into()],
            regions: None,
            updates: vec![MaintenanceUpdate {
                at: t(update_at),
                status: MaintenanceStatus::Scheduled,
                body: String::new(),
            }],
            body: String::new(),
        }
    }

    #[test]
    fn lists_every_page_sorted_in_directory_form() {
        let mut i = incident(vec![], "2025-12-01T10:00:00Z", Some("2025-12-01T12:00:00Z"));
        i.id = "outage".into();
        let s = site(
            vec![i],
            vec![maintenance("later", "2025-12-20T00:00:00Z"), maintenance("future", "2026-06-01T00:00:00Z")],
        );
        let e = entries(&s);
        let urls: Vec<&str> = e.iter().map(|e| e.url.strip_prefix("https://s.example/").unwrap()).collect();
        assert_eq!(
            urls,
            [
                "",
                "components/api/",
                "components/db/",
                "credits/",
                "history/",
                "history/2025/",
                "history/2025/12/",
                "history/2026/",
                "history/2026/01/",
                "incidents/outage/",
                "maintenance/",
                "maintenance/future/",
                "maintenance/later/",
                "postmortems/",
                "regions/east/",
                "regions/west/",
            ]
        );
        let lastmod = |suffix: &str| e.iter().find(|e| e.url.ends_with(suffix)).unwrap().lastmod;
        assert_eq!(lastmod("incidents/outage/"), Some(t("2025-12-01T12:00:00Z")));
        assert_eq!(lastmod("maintenance/later/"), Some(t("2025-12-20T00:00:00Z")));
        assert_eq!(lastmod("maintenance/future/"), None, "a time after the clock is not a last change");
        assert_eq!(lastmod("credits/"), None);
    }

    #[test]
    fn writes_a_urlset_and_robots() {
        let s = site(vec![], vec![]);
        let files = render(&s);
        assert_eq!(files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["sitemap.xml", "robots.txt"]);
        let xml = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"));
        assert!(xml.contains("  <url><loc>https://s.example/</loc></url>\n"), "{xml}");
        assert!(xml.ends_with("</urlset>\n"));
        assert_eq!(files[1].bytes, b"User-agent: *\nAllow: /\nSitemap: https://s.example/sitemap.xml\n");
    }

    #[test]
    fn escapes_urls_and_splits_large_sites() {
        let entries =
            vec![Entry { url: "https://s.example/?a=1&b=<2>".into(), lastmod: Some(t("2025-01-02T03:04:05Z")) }];
        assert_eq!(
            urlset(&entries).lines().nth(2),
            Some(
                "  <url><loc>https://s.example/?a=1&amp;b=&lt;2&gt;</loc><lastmod>2025-01-02T03:04:05Z</lastmod></url>"
            )
        );
        let index = index(&["https://s.example/sitemap-1.xml".into(), "https://s.example/sitemap-2.xml".into()]);
        assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        assert_eq!(index.matches("<sitemap><loc>").count(), 2);
        let mut s = site(vec![], vec![]);
        let template = incident(vec![], "2025-12-01T10:00:00Z", Some("2025-12-01T12:00:00Z"));
        s.incidents =
            (0..MAX_URLS).map(|n| crate::model::Incident { id: format!("i{n}"), ..template.clone() }).collect();
        let files = render(&s);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml", "robots.txt"]);
        let first = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert_eq!(first.matches("<url>").count(), MAX_URLS);
    }
}
