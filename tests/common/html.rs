//! Reading built pages as a reader sees them: the example site built at
//! the pinned clock, CSS selectors, and text with whitespace collapsed.

use super::{build, read, repo};
use scraper::{ElementRef, Html, Selector};

/// The example site built with the pinned clock, in `site/` of a temporary folder.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    build(&repo(), &dir.path().join("site"));
    dir
}

/// A page of a site built by [`example_site`].
pub fn page(dir: &tempfile::TempDir, rel: &str) -> Html {
    Html::parse_document(&read(&dir.path().join("site"), rel))
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// An element's text with whitespace collapsed, as a reader sees it.
pub fn text(el: ElementRef) -> String {
    el.text().collect::<Vec<_>>().join("").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The one element `css` matches; fails when there are none or several.
pub fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    let mut found = doc.select(&sel(css)).collect::<Vec<_>>();
    assert_eq!(found.len(), 1, "exactly one {css}");
    found.remove(0)
}

pub fn all_text(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text).collect()
}
