//! Content types and cache lifetimes for every kind of file Candor writes:
//! what `serve` answers with and what `publish` sets on object stores.

/// The `Content-Type` for a file name.
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "atom" => "application/atom+xml",
        "rss" => "application/rss+xml",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The `Cache-Control` for a file of the site: a short lifetime for every
/// file, since every page (which holds the version), feed, API file, badge
/// and the theme's own files change with each build; none for the manifest,
/// which says what the replica serves.
pub fn cache_control(path: &str) -> &'static str {
    if path == super::manifest::FILE {
        "no-cache"
    } else {
        "public, max-age=60"
    }
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn every_output_kind_has_its_type() {
        for (name, t) in [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("summary.json", "application/json"),
            ("history.atom", "application/atom+xml"),
            ("history.rss", "application/rss+xml"),
            ("sitemap.xml", "application/xml"),
            ("maintenance.ics", "text/calendar; charset=utf-8"),
            ("status.svg", "image/svg+xml"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("LOGO.PNG", "image/png"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(name), t, "{name}");
        }
    }
}
