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
pub mod incident_page;
pub mod keys;
pub mod markdown;
pub mod scope;
pub mod sitemap;
pub mod situation;
pub mod social;
pub mod templates;
pub mod timeline;
pub mod uptime_views;
pub mod views;

use crate::derive::Derived;
use crate::error::Error;
use crate::model::Site;
use keys::Keys;
use std::sync::Mutex;

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
    // Most text needs nothing escaped or dropped: copy it whole. (The
    // noncharacters U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.)
    let plain = |b: &u8| !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0xEF);
    if text.as_bytes().iter().all(plain) {
        return text.to_owned();
    }
    escape_each(text)
}

fn escape_each(text: &str) -> String {
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

/// Where a channel puts each file as soon as it is rendered, so that a
/// channel of 20,000 feeds is never held in memory whole: the build writes
/// each file into its staging folder, the preview server keeps them.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Error>;

    /// Takes the file at `path` from the previous build, when that build
    /// rendered it from inputs with the same `key` ([`keys`]); `false` when
    /// it must be rendered. Only a build into a folder a build wrote before
    /// has a previous build.
    fn reuse(&self, _path: &str, _key: u64, _kind: Kind) -> Result<bool, Error> {
        Ok(false)
    }

    /// [`Sink::put`] of a file rendered from inputs with `key`, which the
    /// build remembers for the next one.
    fn put_keyed(&self, file: OutputFile, _key: u64) -> Result<(), Error> {
        self.put(file)
    }
}

/// Puts the file at `path`: taken from the previous build when `key` (see
/// [`keys`]) says its inputs are unchanged, else rendered. A file without
/// a key is rendered every time.
pub fn put_reusing(
    sink: &dyn Sink,
    path: &str,
    kind: Kind,
    key: Option<u64>,
    render: impl FnOnce() -> Result<OutputFile, Error>,
) -> Result<(), Error> {
    match key {
        Some(key) if sink.reuse(path, key, kind)? => Ok(()),
        Some(key) => sink.put_keyed(render()?, key),
        None => sink.put(render()?),
    }
}

/// A sink that keeps every file in memory.
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

impl Collect {
    /// The files, by path (channels render in parallel, in no fixed order).
    pub fn into_sorted(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

/// Puts every file of a channel that renders its few files at once.
fn put_all(sink: &dyn Sink, files: impl IntoIterator<Item = OutputFile>) -> Result<(), Error> {
    files.into_iter().try_for_each(|file| sink.put(file))
}

/// A channel: renders its files from the site and what was derived from
/// it, into a sink, taking from the previous build what its keys say is
/// unchanged.
pub type Renderer = fn(&Site, &Derived, &Keys, &dyn Sink) -> Result<(), Error>;

/// Every non-HTML channel, by name, in a fixed order.
pub const CHANNELS: &[(&str, Renderer)] = &[
    ("feeds", |site, _, keys, sink| feeds::render(site, keys, sink)),
    ("api", |site, derived, _, sink| api::render(site, derived, sink)),
    ("audit", |site, derived, _, sink| audit::render(site, derived, sink)),
    ("social", |site, _, keys, sink| put_all(sink, social::render(site, keys))),
    ("calendar", |site, _, _, sink| put_all(sink, ics::render(site))),
    ("badges", |site, _, _, sink| put_all(sink, badges::render(site))),
    ("sitemap", |site, _, _, sink| put_all(sink, sitemap::render(site))),
];

/// Every file one channel renders, in memory, by path.
pub fn collect(site: &Site, derived: &Derived, render: Renderer) -> Result<Vec<OutputFile>, Error> {
    let sink = Collect::default();
    render(site, derived, &Keys::none(), &sink)?;
    Ok(sink.into_sorted())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn markup_is_escaped_and_what_xml_cannot_carry_dropped() {
        assert_eq!(escape_markup("Tom & \"Jerry\" <b>'s</b>"), "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt;");
        assert_eq!(escape_markup("a\u{0}b\u{1B}c\td\ne\u{FFFE}f\u{FFFF}g"), "abc\td\nefg");
        assert_eq!(escape_markup("Zürich · 東京 ✓ \u{FFFD}"), "Zürich · 東京 ✓ \u{FFFD}");
    }

    proptest! {
        /// The copy-whole shortcut gives what escaping char by char gives.
        #[test]
        fn the_shortcut_agrees_with_escaping_each_char(text in "(\\PC|[&<>\"'\u{0}-\u{1F}\u{FFFE}\u{FFFF}\u{EFFF}])*") {
            prop_assert_eq!(escape_markup(&text), escape_each(&text));
        }
    }
}
