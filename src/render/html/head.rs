//! What every page's `<head>` carries besides its template's own: the
//! feeds it advertises, and the `<meta>` tags the pages' script reads.

use crate::model::Site;
use serde::Serialize;

/// A feed a page advertises with `<link rel="alternate">`.
#[derive(Serialize)]
pub(super) struct Alternate {
    title: &'static str,
    href: String,
    mime: &'static str,
    /// The page's own feed (its footer links it too), not a site-wide one.
    pub(super) own: bool,
}

/// The page's own feeds where it has them (components, regions and
/// incidents keep theirs beside their `index.html`), then the site's.
pub(super) fn page_feeds(path: Option<&str>) -> Vec<Alternate> {
    let feed = |title, href: String, own| {
        let mime = if href.ends_with(".atom") { "application/atom+xml" } else { "application/rss+xml" };
        Alternate { title, href, mime, own }
    };
    let mut feeds = Vec::new();
    if let Some(dir) = path.and_then(|p| p.strip_suffix("index.html")) {
        if dir.starts_with("incidents/") {
            feeds.push(feed("This incident's updates (Atom)", format!("{dir}updates.atom"), true));
        } else if dir.starts_with("components/") || dir.starts_with("regions/") {
            feeds.push(feed("Incidents and maintenance here (Atom)", format!("{dir}feed.atom"), true));
            feeds.push(feed("Incidents and maintenance here (RSS)", format!("{dir}feed.rss"), true));
        }
    }
    feeds.push(feed("Incidents and maintenance (Atom)", "history.atom".into(), false));
    feeds.push(feed("Incidents and maintenance (RSS)", "history.rss".into(), false));
    feeds.push(feed("Every update (Atom)", "updates.atom".into(), false));
    feeds.push(feed("Every update (RSS)", "updates.rss".into(), false));
    feeds
}

/// The `<meta>` tags a page whose words follow the clock begins its
/// `<head>` with: the build's clock, and after how many seconds
/// (`stale_after` x `update_interval`) the pages' script says the page may
/// be out of date. The script, `age.js`, reads them; without it a page
/// reads as built. A settled page ([`crate::model::Site::incident_settled`])
/// has neither: nothing on it ages.
pub(super) fn clock_meta(site: &Site) -> String {
    let stale = site.config.update_interval.num_seconds() * i64::from(site.config.stale_after);
    format!(
        "<meta name=\"candor-built\" content=\"{}\">\n<meta name=\"candor-stale-after\" content=\"{stale}\">",
        crate::time::rfc3339(site.now)
    )
}

/// What the front page alone carries besides: the placeholder the build
/// replaces with the site's version ([`crate::output::manifest`]). Only the
/// entry page holds it (and `api/v2/summary.json`), so a new version
/// rewrites the pages that changed, not every page of the site.
pub(super) fn version_meta() -> String {
    format!("<meta name=\"candor-version\" content=\"{}\">", crate::output::manifest::PLACEHOLDER)
}

/// `page` with `meta` right after its `<head>` tag (or at the start, if it
/// has none). Added here rather than in `base.html`, so a site's own
/// templates carry it too.
pub(super) fn with_head_meta(page: String, meta: &str) -> String {
    let at = page.find("<head").and_then(|start| page[start..].find('>').map(|end| start + end + 1)).unwrap_or(0);
    let mut out = String::with_capacity(page.len() + meta.len() + 1);
    out.push_str(&page[..at]);
    if at > 0 {
        out.push('\n');
    }
    out.push_str(meta);
    if at == 0 {
        out.push('\n');
    }
    out.push_str(&page[at..]);
    out
}
