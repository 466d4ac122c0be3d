//! Rendering: every output is a pure function of the validated [`Site`].
//!
//! HTML pages go through Tera ([`html`]); every other channel (feeds, the
//! JSON API, social posts, calendar, badges, sitemap) is a function
//! `render(&Site) -> Vec<OutputFile>` that builds its files in memory, to be
//! written once by [`crate::output`].

pub mod api;
pub mod audit;
pub mod badges;
pub mod feeds;
pub mod html;
pub mod ics;
pub mod markdown;
pub mod sitemap;
pub mod social;
pub mod templates;
pub mod uptime_views;
pub mod views;

use crate::model::Site;

/// What an output file is, for the build's summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    Feed,
    Api,
    Other,
}

/// One file of the site, rendered in memory.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    pub kind: Kind,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>, kind: Kind) -> OutputFile {
        OutputFile { path: path.into(), bytes: bytes.into(), kind }
    }
}

/// Escapes text for HTML and XML content and quoted attributes, the one
/// escaping every markup output uses, and drops what XML 1.0 cannot carry
/// (C0 controls other than tab and line breaks, U+FFFE, U+FFFF; the loader
/// already removes controls with a warning, this is the last line).
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The absolute URL of a path of the site, for formats that need one.
/// `rel` is relative to the site root ("incidents/x/"; "" for the root).
pub fn absolute_url(site: &Site, rel: &str) -> String {
    format!("{}/{}", site.config.base_url, rel)
}

/// A channel: renders its files from the site.
pub type Renderer = fn(&Site) -> Vec<OutputFile>;

/// Every non-HTML channel, by name, in a fixed order.
pub const CHANNELS: &[(&str, Renderer)] = &[
    ("feeds", feeds::render),
    ("api", api::render),
    ("audit", audit::render),
    ("social", social::render),
    ("calendar", ics::render),
    ("badges", badges::render),
    ("sitemap", sitemap::render),
];
