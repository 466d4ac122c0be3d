//! Social posts: for every update of the last `[social] days` local days
//! (default 90: posts are news, a bridge never posts a two-year-old update,
//! and a long history stays bounded), the text of a post for
//! X, Mastodon and Bluesky, as `social/posts.json` and as one Atom feed per
//! network (`social/x.atom`, `social/mastodon.atom`, `social/bluesky.atom`)
//! whose entries are exactly those texts, for RSS-to-social bridges.
//!
//! **A post.** The first post of an update opens with a compact header
//! line, then the update's status word and its body as plain text (Markdown
//! stripped by [`plain`]); the last post ends with a line holding the
//! incident's URL and the configured `[social] hashtags`:
//!
//! ```text
//! [Major outage] Object Storage, Functions +2 more · 2 regions
//! Investigating: We are investigating elevated error rates ...
//! https://status.example.com/incidents/2025-09-29-storage-metadata-outage/ #ExampleStatus
//! ```
//!
//! The header says what the update speaks to, as of its own instant, never
//! what was learned later. In brackets, the state: the worst component
//! status among the cells the incident's `[[affected]]` windows cover at
//! the update; after every window has closed, "Resolved" on a resolved
//! update and "Recovered" on another; before any window opened, the
//! incident's impact ("[Major impact]", "[No impact]"). Then where, per
//! service, as every page says it ([`super::scope`]): "Compute in 3 regions
//! (A, B and C); Service Management in all 8 regions" (after the windows
//! closed, the cells that were affected just before the last one closed:
//! what recovered). When that leaves too little room on a network, shorter
//! forms follow: the services in config order (a group's name standing for
//! the group when every one of its components is touched, at most
//! [`SERVICE_NAMES`] names and "+N more"), " · " and the regions (their
//! names when one or two, "all regions", or "N regions"; nothing on a
//! single-region site); one name and "+N more"; "N services · N regions";
//! the bracket alone. The incident's title is not in the text (it would
//! crowd out the update); it is each Atom entry's title.
//!
//! **Threads.** An update too long for one post becomes a thread ([`thread`]):
//! cut at sentence boundaries, a sentence longer than a post at word
//! boundaries, never inside a word; each post of a thread ends its body line
//! with "(i/n)", which counts toward the limit; `reply_to` is the previous
//! post's id. When even the URL and hashtags do not fit with the number,
//! the hashtags and then the URL are left out.
//!
//! **Counting** follows each network's rule ([`count`]): X's weighted length
//! (twitter-text v3: URLs 23, CJK and emoji 2, NFC), Mastodon's 500 graphemes
//! with URLs as 23, Bluesky's 300 graphemes with URLs at full length. Every
//! text is cleaned ([`plain::clean`]): no control characters but newlines,
//! NFC. Note that twitter-text (and so X and Mastodon) only shortens a URL
//! whose domain ends in a real top-level domain; a `base_url` such as
//! `https://status.example` counts at full length, as it would there.
//!
//! **Ids** are `<incident>/<update time, UTC, %Y%m%dT%H%M%SZ>/<network>/<part>`,
//! e.g. `2025-09-29-storage-metadata-outage/20250929T211900Z/x/1`: editing an
//! update's text never changes them (a second update at the same second gets
//! `-2` after the time). Only updates at or before the build's `now` are
//! posted: a bridge must not announce what has not been said yet.
//!
//! **posts.json** is a pretty-printed array, sorted as the site lists
//! incidents (newest first), then by update time, network name and part;
//! every field is always present (`reply_to` is `null` on a thread's first
//! post). The feeds are described in [`atom`].

pub mod atom;
pub mod count;
pub mod measure;
pub mod memory;
pub mod plain;
#[cfg(test)]
mod post_tests;
#[cfg(test)]
mod text_tests;
pub mod thread;

pub use count::Network;

use super::keys::Keys;
use super::scope::Scope;
use super::{absolute_url, Kind, OutputFile};
use crate::model::{Incident, Site, Update};
use crate::time::{rfc3339, Instant};
use measure::Size;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use thread::Layout;

/// At most this many service names in a header before "+N more".
pub const SERVICE_NAMES: usize = 3;
/// At most this many region names in a header before "N regions".
pub const REGION_NAMES: usize = 2;

/// One post, as `posts.json` carries it.
#[derive(Debug, Clone, Serialize)]
pub struct Post {
    /// Stable: incident, update time, network, part (see the module doc).
    pub id: String,
    /// The incident's id.
    pub incident: String,
    /// The update's instant, RFC 3339 UTC.
    pub at: String,
    /// The update's status key ("investigating", ...).
    pub status: &'static str,
    /// "x", "mastodon" or "bluesky".
    pub network: &'static str,
    /// 1-based position in the thread, and the thread's length.
    pub part: usize,
    pub parts: usize,
    /// The text to post, exactly.
    pub text: String,
    /// The incident's page.
    pub url: String,
    /// The id of the post this one replies to (the previous part).
    pub reply_to: Option<String>,
    /// The update's instant (the Atom entry's `updated`).
    #[serde(skip)]
    pub instant: Instant,
    /// The incident's title, cleaned to one line (the Atom entry title).
    #[serde(skip)]
    pub title: String,
    /// The update's status word ("Investigating").
    #[serde(skip)]
    pub status_label: &'static str,
}

pub fn render(site: &Site, keys: &Keys) -> Vec<OutputFile> {
    let posts = posts_remembered(site, keys);
    // Sized up front: grown by doubling, tens of megabytes are copied again
    // and again (each post's fields and their names, about 400 bytes
    // besides its text and ids).
    let size: usize = posts.iter().map(|p| 2 * p.text.len() + p.id.len() + p.url.len() + 400).sum();
    let mut json = Vec::with_capacity(size);
    serde_json::to_writer(&mut json, &posts).expect("posts hold only strings and numbers");
    json.push(b'\n');
    let mut files = vec![OutputFile::new("social/posts.json", json, Kind::Api)];
    for network in Network::ALL {
        files.push(atom::feed(site, network, &posts));
    }
    files
}

/// The first instant whose updates are posted: the start of the local day
/// `[social] days - 1` days before the build's clock.
pub fn posted_since(site: &Site) -> crate::time::Instant {
    let zone = site.config.timezone;
    let today = crate::time::local_date(site.now, zone);
    let back = chrono::Duration::days(i64::from(site.config.social.days) - 1);
    today.checked_sub_signed(back).map_or(site.now, |d| crate::time::day_start(d, zone))
}

/// Every post of the site, in `posts.json` order.
pub fn posts(site: &Site) -> Vec<Post> {
    posts_remembered(site, &Keys::none())
}

/// [`posts`], taking each incident's texts from `keys`' memory where its
/// key is unchanged ([`memory`]).
fn posts_remembered(site: &Site, keys: &Keys) -> Vec<Post> {
    let groups = group_sizes(site);
    let since = posted_since(site);
    let recent: Vec<&Incident> = site.incidents.iter().filter(|i| i.last_activity_at(site.now) >= since).collect();
    let per_incident: Vec<Vec<Post>> = recent
        .par_iter()
        .map(|i| {
            let updates = posted(site, i, since);
            let key = keys.incident_posts(i, since);
            let texts = keys.posts.texts(key, updates.len(), || texts(site, i, &updates, &groups));
            incident_posts(site, i, &updates, texts)
        })
        .collect();
    per_incident.into_iter().flatten().collect()
}

/// An incident's updates that are posted: said by the clock, since `since`.
fn posted<'a>(site: &Site, incident: &'a Incident, since: crate::time::Instant) -> Vec<&'a Update> {
    incident.updates.iter().filter(|u| u.at <= site.now && u.at >= since).collect()
}

/// The texts of the posts of `updates` (an incident's), on every network:
/// cut and counted, the costly part.
fn texts(site: &Site, incident: &Incident, updates: &[&Update], groups: &BTreeMap<String, usize>) -> memory::Texts {
    let url = incident_url(site, incident);
    let tails: [String; 3] = Network::ALL.map(|n| tail(n, &tails(site, &url)));
    let mut out = Vec::with_capacity(updates.len());
    for update in updates {
        let body = plain::markdown_to_plain(&update.body);
        let (label, moment) = Scope::at_update(incident, site, update);
        let headers = Header::new(site, &moment, groups).headers(&label, &moment.words(site));
        let lead = format!("{}:", update.status.label());
        out.push(std::array::from_fn(|n| {
            let network = Network::ALL[n];
            let layout =
                Layout { header: header(network, &headers, &lead), lead: lead.clone(), tail: tails[n].clone() };
            // Every piece is clean already; cleaning the joined text is a
            // last check, and a text it changes is measured again.
            thread::split(&layout, &body, network)
                .into_iter()
                .map(|text| {
                    let cleaned = plain::clean(&text);
                    if cleaned == text {
                        text
                    } else {
                        thread::guard(&cleaned, network)
                    }
                })
                .collect()
        }));
    }
    out
}

fn incident_url(site: &Site, incident: &Incident) -> String {
    absolute_url(site, &format!("incidents/{}/", incident.id))
}

/// The posts of one incident's posted `updates`, from their `texts`.
fn incident_posts(site: &Site, incident: &Incident, updates: &[&Update], texts: memory::Texts) -> Vec<Post> {
    let url = incident_url(site, incident);
    let title = plain::clean_line(&incident.title);
    let mut stamps: BTreeMap<String, usize> = BTreeMap::new();
    let mut posts = Vec::new();
    for (update, threads) in updates.iter().zip(texts) {
        let stamp = crate::time::compact(update.at);
        let seen = stamps.entry(stamp.clone()).or_insert(0);
        *seen += 1;
        let stamp = if *seen > 1 { format!("{stamp}-{seen}") } else { stamp };
        for (network, texts) in Network::ALL.into_iter().zip(threads) {
            let parts = texts.len();
            let base = format!("{}/{stamp}/{}", incident.id, network.key());
            for (i, text) in texts.into_iter().enumerate() {
                posts.push(Post {
                    id: format!("{base}/{}", i + 1),
                    incident: incident.id.clone(),
                    at: rfc3339(update.at),
                    status: update.status.as_str(),
                    network: network.key(),
                    part: i + 1,
                    parts,
                    text,
                    url: url.clone(),
                    reply_to: (i > 0).then(|| format!("{base}/{i}")),
                    instant: update.at,
                    title: title.clone(),
                    status_label: update.status.label(),
                });
            }
        }
    }
    posts
}

/// The first header that leaves room on `network` for the lead, some 40
/// characters of body and a thread number (see the module doc).
fn header(network: Network, headers: &[String], lead: &str) -> String {
    let rest = Size::of(network, lead) + Size::ascii(1 + 40 + 1 + "(99/99)".len());
    let room = |h: &String| Size::joined(&[Some(Size::of(network, h)), Some(rest)]).fits(network);
    headers.iter().find(|h| room(h)).or(headers.last()).cloned().unwrap_or_default()
}

/// The first tail that fits on `network` below a thread number.
fn tail(network: Network, tails: &[String]) -> String {
    let room =
        |t: &String| Size::joined(&[Some(Size::ascii("(99/99)".len())), Some(Size::of(network, t))]).fits(network);
    tails.iter().find(|t| room(t)).cloned().unwrap_or_default()
}

/// URL with hashtags, URL alone, nothing: the tails to try, in order.
fn tails(site: &Site, url: &str) -> Vec<String> {
    let tags: Vec<String> = site
        .config
        .social
        .hashtags
        .iter()
        .map(|t| plain::clean_line(t).replace(' ', ""))
        .filter(|t| !t.trim_start_matches('#').is_empty())
        .map(|t| if t.starts_with('#') { t } else { format!("#{t}") })
        .collect();
    let mut tails = Vec::new();
    if !tags.is_empty() {
        tails.push(format!("{url} {}", tags.join(" ")));
    }
    tails.push(url.to_owned());
    tails.push(String::new());
    tails
}

/// How many components each group has, once per build.
fn group_sizes(site: &Site) -> BTreeMap<String, usize> {
    let mut sizes = BTreeMap::new();
    for group in site.config.components.iter().filter_map(|c| c.group.clone()) {
        *sizes.entry(group).or_insert(0) += 1;
    }
    sizes
}

/// What an update's post says the incident touched, in words.
struct Header {
    /// Service names in config order (a fully touched group by its name).
    services: Vec<String>,
    /// "EU West, US East" / "all regions" / "5 regions" / none.
    region_names: Option<String>,
    /// "all regions" / "1 region" / "5 regions" / none.
    region_count: Option<String>,
}

impl Header {
    fn new(site: &Site, scope: &Scope, groups: &BTreeMap<String, usize>) -> Header {
        let mut component_flags = vec![false; site.config.components.len()];
        for c in scope.components() {
            component_flags[c] = true;
        }
        let region_flags = scope.region_flags(site.config.regions.len());
        let regions: Vec<String> = site
            .config
            .regions
            .iter()
            .zip(&region_flags)
            .filter(|(_, t)| **t)
            .map(|(r, _)| plain::clean_line(&r.name))
            .collect();
        let total = site.config.regions.len();
        let region_count = match regions.len() {
            // A single-region site has nothing to say about regions.
            _ if total <= 1 => None,
            0 => None,
            n if n == total => Some("all regions".to_owned()),
            1 => Some("1 region".to_owned()),
            n => Some(format!("{n} regions")),
        };
        let region_names = match regions.len() {
            1..=REGION_NAMES if total > 1 && regions.len() < total => Some(regions.join(", ")),
            _ => region_count.clone(),
        };
        Header { services: service_names(site, &component_flags, groups), region_names, region_count }
    }

    /// The header's forms for `label`, most detailed first (see the module
    /// doc); `words` says where per service.
    fn headers(&self, label: &str, words: &str) -> Vec<String> {
        let label = format!("[{label}]");
        if self.services.is_empty() {
            return vec![label];
        }
        let words = plain::clean_line(words);
        let with = |services: String, regions: &Option<String>| match regions {
            Some(r) => format!("{label} {services} · {r}"),
            None => format!("{label} {services}"),
        };
        let count = match self.services.len() {
            1 => "1 service".to_owned(),
            n => format!("{n} services"),
        };
        vec![
            format!("{label} {words}"),
            with(name_list(&self.services, SERVICE_NAMES), &self.region_names),
            with(name_list(&self.services, 1), &self.region_names),
            with(count, &self.region_count),
            label,
        ]
    }
}

/// Touched services in config order, a fully touched group by its name.
fn service_names(site: &Site, flags: &[bool], groups: &BTreeMap<String, usize>) -> Vec<String> {
    let mut touched_per_group: BTreeMap<&str, usize> = BTreeMap::new();
    for (c, _) in site.config.components.iter().zip(flags).filter(|(_, t)| **t) {
        if let Some(g) = &c.group {
            *touched_per_group.entry(g.as_str()).or_insert(0) += 1;
        }
    }
    let whole = |g: &str| {
        let size = groups.get(g).copied().unwrap_or(0);
        size > 1 && touched_per_group.get(g).copied() == Some(size)
    };
    let mut names = Vec::new();
    let mut named_groups: Vec<&str> = Vec::new();
    for (c, _) in site.config.components.iter().zip(flags).filter(|(_, t)| **t) {
        match c.group.as_deref() {
            Some(g) if whole(g) => {
                if !named_groups.contains(&g) {
                    named_groups.push(g);
                    let name = site.config.group(g).map(|g| g.name.as_str()).unwrap_or(g);
                    names.push(plain::clean_line(name));
                }
            }
            _ => names.push(plain::clean_line(&c.name)),
        }
    }
    names
}

/// "A, B, C +2 more" with at most `max` names.
fn name_list(names: &[String], max: usize) -> String {
    if names.len() <= max {
        return names.join(", ");
    }
    format!("{} +{} more", names[..max].join(", "), names.len() - max)
}
