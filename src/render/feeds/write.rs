//! Atom and RSS serialisation of a [`FeedSpec`], by the `atom_syndication`
//! and `rss` crates (which escape the XML).

use super::FeedSpec;
use crate::model::Site;
use crate::render::{absolute_url, Kind, OutputFile};
use crate::time::Instant;
use chrono::{DateTime, FixedOffset};

/// A feed's `updated`: its newest entry, else the site's newest content time.
fn feed_updated(site: &Site, spec: &FeedSpec) -> Instant {
    spec.entries.iter().map(|e| e.updated).max().unwrap_or_else(|| site.updated_at())
}

/// The feed in Atom and RSS: the site's, each service's and each region's.
pub(super) fn write_both(site: &Site, spec: &FeedSpec) -> [OutputFile; 2] {
    let updated = feed_updated(site, spec);
    [
        OutputFile::new(format!("{}.atom", spec.stem), atom(site, spec, updated), Kind::Feed),
        OutputFile::new(format!("{}.rss", spec.stem), rss(site, spec, updated), Kind::Feed),
    ]
}

/// The feed in Atom only: each incident's (one file per incident instead of
/// two; feed readers all read Atom).
pub(super) fn write_atom(site: &Site, spec: &FeedSpec) -> OutputFile {
    OutputFile::new(format!("{}.atom", spec.stem), atom(site, spec, feed_updated(site, spec)), Kind::Feed)
}

fn fixed(t: Instant) -> DateTime<FixedOffset> {
    t.fixed_offset()
}

fn atom(site: &Site, spec: &FeedSpec, updated: Instant) -> Vec<u8> {
    use atom_syndication::{Content, Entry, Feed, Link, Person};
    let self_url = absolute_url(site, &format!("{}.atom", spec.stem));
    let link = |href: String, rel: &str, mime: Option<&str>| {
        let mut l = Link::default();
        l.set_href(href);
        l.set_rel(rel);
        l.set_mime_type(mime.map(str::to_owned));
        l
    };
    let mut feed = Feed::default();
    feed.set_id(self_url.clone());
    feed.set_title(spec.title.as_str());
    feed.set_updated(fixed(updated));
    feed.set_links(vec![
        link(self_url, "self", Some("application/atom+xml")),
        link(absolute_url(site, &spec.page), "alternate", Some("text/html")),
    ]);
    let mut author = Person::default();
    author.set_name(site.config.title.as_str());
    author.set_uri(Some(absolute_url(site, "")));
    feed.set_authors(vec![author]);
    let entries = spec
        .entries
        .iter()
        .map(|e| {
            let mut entry = Entry::default();
            entry.set_id(e.id.as_str());
            entry.set_title(e.title.as_str());
            entry.set_updated(fixed(e.updated));
            entry.set_published(Some(fixed(e.published)));
            entry.set_links(vec![link(e.link.clone(), "alternate", Some("text/html"))]);
            let mut content = Content::default();
            content.set_content_type(Some("html".to_owned()));
            content.set_value(Some(e.html.clone()));
            entry.set_content(Some(content));
            entry
        })
        .collect::<Vec<_>>();
    feed.set_entries(entries);
    feed.to_string().into_bytes()
}

fn rss(site: &Site, spec: &FeedSpec, updated: Instant) -> Vec<u8> {
    use rss::extension::atom::{AtomExtension, Link};
    use rss::{Channel, Guid, Item};
    let mut channel = Channel::default();
    channel.set_title(spec.title.as_str());
    channel.set_link(absolute_url(site, &spec.page));
    channel.set_description(format!("Status updates from {}", site.config.title));
    channel.set_last_build_date(Some(updated.to_rfc2822()));
    let mut self_link = Link::default();
    self_link.set_href(absolute_url(site, &format!("{}.rss", spec.stem)));
    self_link.set_rel("self");
    self_link.set_mime_type(Some("application/rss+xml".to_owned()));
    let mut atom = AtomExtension::default();
    atom.set_links(vec![self_link]);
    channel.set_atom_ext(Some(atom));
    let items = spec
        .entries
        .iter()
        .map(|e| {
            let mut item = Item::default();
            item.set_title(Some(e.title.clone()));
            item.set_link(Some(e.link.clone()));
            item.set_description(Some(e.html.clone()));
            item.set_pub_date(Some(e.published.to_rfc2822()));
            let mut guid = Guid::default();
            guid.set_value(e.id.as_str());
            guid.set_permalink(true);
            item.set_guid(Some(guid));
            item
        })
        .collect::<Vec<_>>();
    channel.set_items(items);
    channel.to_string().into_bytes()
}
