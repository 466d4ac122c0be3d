//! One Atom 1.0 feed per network, for bridges that post a feed's entries
//! to an account (`social/x.atom`, `social/mastodon.atom`, `social/bluesky.atom`).
//!
//! - Each entry is one post: `content type="text"` is exactly the post's
//!   text, `title` is the incident's title with the update's status word
//!   (and "(i/n)" in a thread), `link rel="alternate"` is the incident page.
//! - `updated` and `published` are the update's instant, never the build's
//!   clock; the feed's `updated` is its newest entry's (1970-01-01T00:00:00Z
//!   for a feed with no entries), so an unchanged site gives the same bytes.
//! - Entry ids are tag URIs (RFC 4151) built from the post id, which does not
//!   change when a text is edited: `tag:<host>,<update date>:<path>social/<post id>`,
//!   e.g. `tag:status.example.com,2025-09-29:social/2025-09-29-storage-metadata-outage/20250929T211900Z/x/1`.
//! - A reply carries `<thr:in-reply-to ref="...">` (RFC 4685) naming the
//!   previous part's entry id.
//! - Size: at most [`FEED_POSTS`] entries per network: whole threads, newest
//!   update first, stopping before the first thread that would pass the cap.
//!   Within a thread the later parts come first, so that a bridge that posts
//!   a feed's new entries oldest-first posts a thread in reading order.

use super::{Network, Post};
use crate::model::Site;
use crate::render::{absolute_url, Kind, OutputFile};
use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};
use chrono::DateTime;
use std::collections::BTreeMap;

/// The most entries a feed holds (see the module doc).
pub const FEED_POSTS: usize = 200;

const THREAD_NS: &str = "http://purl.org/syndication/thread/1.0";

pub fn feed(site: &Site, network: Network, posts: &[Post]) -> OutputFile {
    let path = format!("social/{}.atom", network.key());
    let entries: Vec<Entry> = selected(network, posts).into_iter().map(|p| entry(site, p)).collect();
    let name = site.config.social.site_name.as_deref().unwrap_or(&site.config.title);
    let name = super::plain::clean_line(name);
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_else(|| DateTime::UNIX_EPOCH.fixed_offset());
    let feed = Feed {
        title: Text::plain(format!("{name}: posts for {}", network.name())),
        id: absolute_url(site, &path),
        updated,
        authors: vec![Person { name, ..Default::default() }],
        generator: Some(Generator { value: "Candor".into(), ..Default::default() }),
        links: vec![link(absolute_url(site, &path), "self"), link(absolute_url(site, ""), "alternate")],
        entries,
        namespaces: BTreeMap::from([("thr".to_owned(), THREAD_NS.to_owned())]),
        ..Default::default()
    };
    let mut bytes = feed.write_to(Vec::new()).expect("writing XML into memory cannot fail");
    bytes.push(b'\n');
    OutputFile::new(path, bytes, Kind::Feed)
}

/// The network's posts in feed order, capped by whole threads.
fn selected(network: Network, posts: &[Post]) -> Vec<&Post> {
    let mut threads: Vec<Vec<&Post>> = Vec::new();
    for post in posts.iter().filter(|p| p.network == network.key()) {
        match threads.last_mut() {
            Some(thread) if post.part > 1 => thread.push(post),
            _ => threads.push(vec![post]),
        }
    }
    // Newest update first; a tie keeps the site's incident order.
    threads.sort_by_key(|t| std::cmp::Reverse(t[0].instant));
    let mut out = Vec::new();
    for thread in threads {
        if out.len() + thread.len() > FEED_POSTS {
            break;
        }
        out.extend(thread.into_iter().rev());
    }
    out
}

fn entry(site: &Site, post: &Post) -> Entry {
    let at: FixedDateTime = post.instant.fixed_offset();
    let mut title = format!("{} — {}", post.title, post.status_label);
    if post.parts > 1 {
        title.push_str(&format!(" ({}/{})", post.part, post.parts));
    }
    let mut extensions = ExtensionMap::new();
    if let Some(previous) = &post.reply_to {
        let reply = Extension {
            name: "thr:in-reply-to".into(),
            attrs: BTreeMap::from([("ref".to_owned(), tag_uri(site, post, previous))]),
            ..Default::default()
        };
        extensions.insert("thr".into(), BTreeMap::from([("in-reply-to".to_owned(), vec![reply])]));
    }
    Entry {
        title: Text::plain(title),
        id: tag_uri(site, post, &post.id),
        updated: at,
        published: Some(at),
        links: vec![link(post.url.clone(), "alternate")],
        content: Some(Content {
            value: Some(post.text.clone()),
            content_type: Some("text".into()),
            ..Default::default()
        }),
        extensions,
        ..Default::default()
    }
}

fn link(href: String, rel: &str) -> Link {
    Link { href, rel: rel.into(), ..Default::default() }
}

/// `tag:<host>,<YYYY-MM-DD>:<path/>social/<id>` for a post of `post`'s update.
/// Only URI-safe characters survive (the attribute writer does not escape).
pub fn tag_uri(site: &Site, post: &Post, id: &str) -> String {
    let rest = site.config.base_url.split_once("://").map_or(site.config.base_url.as_str(), |(_, r)| r);
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let path = path.trim_matches('/');
    let path = if path.is_empty() { String::new() } else { format!("{path}/") };
    let date = post.instant.format("%Y-%m-%d");
    let safe =
        |s: &str| -> String { s.chars().filter(|c| c.is_ascii_alphanumeric() || "-._~/".contains(*c)).collect() };
    format!("tag:{},{date}:{}social/{}", safe(&host), safe(&path), safe(id))
}
