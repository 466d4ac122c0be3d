//! Atom 1.0 and RSS 2.0 feeds: the site's history, every update (of
//! incidents and maintenance), one per component, one per region, and one
//! per incident for its updates.
//!
//! Each feed is described once ([`FeedSpec`]) and written in both formats by
//! the `atom_syndication` and `rss` crates, which do the XML escaping.
//!
//! - Entry ids are permanent URLs built from ids and content times
//!   (`…/incidents/<id>/` for an incident, `…/incidents/<id>/#update-<UTC>`
//!   for one update), so editing a text never changes them.
//! - `updated` comes from content times (an incident's last activity, an
//!   update's time), never from the build's clock; an empty feed takes the
//!   newest content time of the site. What is dated after the clock has not
//!   been said yet and is left out.
//! - Sizes: the history feed holds the newest [`HISTORY_SIZE`] incidents and
//!   maintenance, the updates feed the newest [`UPDATES_SIZE`] updates, the
//!   component and region feeds the newest [`HISTORY_SIZE`] incidents and
//!   maintenance that touch them, and an incident's own feed every one of
//!   its updates.
//! - A published postmortem is an entry of its own in the history feed,
//!   the updates feed and its incident's feed, dated when it was published
//!   (once the clock has reached it) and linked to its place on the
//!   incident's page (`…/incidents/<id>/#pm-h`).

use super::markdown::to_html;
use super::scope::Scope;
use super::views::{incident_href, maintenance_href, touched, touched_by_maintenance, update_anchor};
use super::{absolute_url, escape_markup, put_all, Kind, Sink};
use crate::error::Error;
use crate::model::{Incident, Maintenance, MaintenanceUpdate, Postmortem, Site, Update};
use crate::time::{self, Instant};
use rayon::prelude::*;
use write::{write_atom, write_both};

mod write;

/// Entries in the history, component and region feeds.
pub const HISTORY_SIZE: usize = 50;
/// Entries in the site-wide updates feed.
pub const UPDATES_SIZE: usize = 100;

/// One feed, before it is written as Atom and RSS.
struct FeedSpec {
    /// Output path without extension, e.g. "components/api/feed".
    stem: String,
    title: String,
    /// The HTML page the feed mirrors, relative to the site root.
    page: String,
    entries: Vec<EntrySpec>,
}

#[derive(Clone)]
struct EntrySpec {
    id: String,
    title: String,
    link: String,
    published: Instant,
    updated: Instant,
    html: String,
}

pub fn render(site: &Site, keys: &super::keys::Keys, sink: &dyn Sink) -> Result<(), Error> {
    let order = by_activity(site);
    let mut specs = vec![history(site, &order), updates(site)];
    specs.extend(component_and_region_feeds(site, &order));
    specs.par_iter().try_for_each(|s| put_all(sink, write_both(site, s)))?;
    // One feed per incident, so a customer can follow one outage: Atom only.
    site.incidents.par_iter().try_for_each(|i| {
        let path = format!("{}.atom", incident_feed_stem(i));
        super::put_reusing(sink, &path, Kind::Feed, keys.incident_feed(site, i), || {
            Ok(write_atom(site, &incident_feed(site, i)))
        })
    })
}

fn incident_entry(site: &Site, i: &Incident) -> EntrySpec {
    let said = i.updates_at(site.now);
    let latest = said.last();
    // An open incident is never "Resolved", whatever its last update says
    // (check warns about that); the API reads it the same way.
    let state = match i.resolved.filter(|r| *r <= site.now) {
        Some(_) => "Resolved",
        None => said
            .iter()
            .rev()
            .map(|u| u.status)
            .find(|s| *s != crate::model::UpdateStatus::Resolved)
            .map_or("Investigating", |s| s.label()),
    };
    let mut html = format!("<p><strong>{}</strong> · {} impact</p>", state, i.impact.label());
    let scope = Scope::of_incident(i, site).words(site);
    if !scope.is_empty() {
        html.push_str(&format!("<p>Affected: {}</p>", escape_markup(&scope)));
    }
    if let Some(u) = latest {
        html.push_str(&format!("<p>{} ({})</p>", u.status.label(), time::display(u.at, site.config.timezone)));
        html.push_str(&to_html(&u.body));
    }
    let url = absolute_url(site, &directory(&incident_href(&i.id)));
    EntrySpec {
        id: url.clone(),
        title: format!("[{}] {}", i.impact.label(), i.title),
        link: url,
        published: i.started,
        updated: i.last_activity_at(site.now),
        html,
    }
}

/// A maintenance as the history, component and region feeds list it: its
/// state and schedule, its latest update, then what the work is.
fn maintenance_entry(site: &Site, m: &Maintenance) -> EntrySpec {
    let zone = site.config.timezone;
    let mut html = format!(
        "<p><strong>{}</strong> · scheduled maintenance from {} to {}</p>",
        m.status_at(site.now).label(),
        time::display(m.scheduled_start, zone),
        time::display(m.scheduled_end, zone)
    );
    if let Some(u) = m.updates_at(site.now).last() {
        html.push_str(&format!("<p>{} ({})</p>", u.status.label(), time::display(u.at, zone)));
        html.push_str(&to_html(&u.body));
    }
    html.push_str(&to_html(&m.body));
    let url = absolute_url(site, &directory(&maintenance_href(&m.id)));
    EntrySpec {
        id: url.clone(),
        title: format!("[Maintenance] {}", m.title),
        link: url,
        published: m.announced_at(site.now),
        updated: m.last_activity_at(site.now),
        html,
    }
}

/// One update of an incident or a maintenance, linked to its place on the
/// page (`page` is the page's absolute URL).
fn update_entry(page: &str, title: &str, status: &str, at: Instant, body: &str) -> EntrySpec {
    let link = format!("{page}#{}", update_anchor(at));
    EntrySpec {
        id: link.clone(),
        title: format!("{status}: {title}"),
        link,
        published: at,
        updated: at,
        html: to_html(body),
    }
}

/// An incident's update, opening with where things stood at its instant
/// ([`Scope::at_update`]): "Major outage · Compute in 3 regions (...)".
fn incident_update_entry(site: &Site, i: &Incident, u: &Update) -> EntrySpec {
    let page = absolute_url(site, &directory(&incident_href(&i.id)));
    let mut entry = update_entry(&page, &i.title, u.status.label(), u.at, &u.body);
    let (label, scope) = Scope::at_update(i, site, u);
    let words = scope.words(site);
    let head = match words.is_empty() {
        true => format!("<p><strong>{}</strong></p>", escape_markup(&label)),
        false => format!("<p><strong>{}</strong> · {}</p>", escape_markup(&label), escape_markup(&words)),
    };
    entry.html = head + &entry.html;
    entry
}

/// The anchor of the postmortem on an incident's page.
const POSTMORTEM_ANCHOR: &str = "pm-h";

/// A published postmortem, dated when it was published and linked to its
/// place on the incident's page: its summary and root cause.
fn postmortem_entry(site: &Site, i: &Incident, pm: &Postmortem) -> EntrySpec {
    let page = absolute_url(site, &directory(&incident_href(&i.id)));
    let link = format!("{page}#{POSTMORTEM_ANCHOR}");
    let html = format!("<h3>Summary</h3>{}<h3>Root cause</h3>{}", to_html(&pm.summary), to_html(&pm.root_cause));
    EntrySpec {
        id: link.clone(),
        title: format!("Postmortem: {}", i.title),
        link,
        published: pm.published,
        updated: pm.published,
        html,
    }
}

/// The postmortems published by the build's clock, as feed entries.
fn postmortem_entries<'a>(site: &'a Site, incidents: impl IntoIterator<Item = &'a Incident>) -> Vec<EntrySpec> {
    incidents.into_iter().filter_map(|i| Some(postmortem_entry(site, i, i.postmortem_at(site.now)?))).collect()
}

/// "incidents/x/index.html" -> "incidents/x/": the canonical directory URL.
fn directory(href: &str) -> String {
    href.strip_suffix("index.html").unwrap_or(href).to_owned()
}

fn newest_first(mut entries: Vec<EntrySpec>, size: usize) -> Vec<EntrySpec> {
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(size);
    entries
}

/// What the history, component and region feeds list.
#[derive(Clone, Copy)]
enum Item<'a> {
    Incident(&'a Incident),
    Maintenance(&'a Maintenance),
}

impl Item<'_> {
    fn entry(self, site: &Site) -> EntrySpec {
        match self {
            Item::Incident(i) => incident_entry(site, i),
            Item::Maintenance(m) => maintenance_entry(site, m),
        }
    }

    /// Which components and regions it touches, as flags in config order.
    fn touched(self, site: &Site) -> (Vec<bool>, Vec<bool>) {
        match self {
            Item::Incident(i) => touched(i, site),
            Item::Maintenance(m) => touched_by_maintenance(m, site),
        }
    }
}

/// Every incident and maintenance, most recently active first (the entry's
/// `updated`), ties by page path (so by entry id). Sorted once; each feed
/// takes its entries from the front.
fn by_activity(site: &Site) -> Vec<Item<'_>> {
    let now = site.now;
    let incidents = site.incidents.iter().map(|i| (i.last_activity_at(now), incident_href(&i.id), Item::Incident(i)));
    let maintenance =
        site.maintenance.iter().map(|m| (m.last_activity_at(now), maintenance_href(&m.id), Item::Maintenance(m)));
    let mut keyed: Vec<(Instant, String, Item)> = incidents.chain(maintenance).collect();
    keyed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, _, item)| item).collect()
}

/// The newest incidents and maintenance, and the postmortems published
/// among them, newest first.
fn history(site: &Site, order: &[Item]) -> FeedSpec {
    let mut entries: Vec<EntrySpec> = order.iter().take(HISTORY_SIZE).map(|item| item.entry(site)).collect();
    entries.extend(postmortem_entries(site, &site.incidents));
    FeedSpec {
        stem: "history".into(),
        title: format!("{}: incidents and maintenance", site.config.title),
        page: "history/".into(),
        entries: newest_first(entries, HISTORY_SIZE),
    }
}

/// An update of an incident or of a maintenance, for the updates feed.
#[derive(Clone, Copy)]
enum AnyUpdate<'a> {
    Incident(&'a Incident, &'a Update),
    Maintenance(&'a Maintenance, &'a MaintenanceUpdate),
}

impl AnyUpdate<'_> {
    fn at(self) -> Instant {
        match self {
            AnyUpdate::Incident(_, u) => u.at,
            AnyUpdate::Maintenance(_, u) => u.at,
        }
    }

    /// The page it is on, relative to the site root (ties in time sort by it).
    fn page(self) -> String {
        match self {
            AnyUpdate::Incident(i, _) => directory(&incident_href(&i.id)),
            AnyUpdate::Maintenance(m, _) => directory(&maintenance_href(&m.id)),
        }
    }

    fn entry(self, site: &Site) -> EntrySpec {
        let page = absolute_url(site, &self.page());
        match self {
            AnyUpdate::Incident(i, u) => incident_update_entry(site, i, u),
            AnyUpdate::Maintenance(m, u) => update_entry(&page, &m.title, u.status.label(), u.at, &u.body),
        }
    }
}

fn updates(site: &Site) -> FeedSpec {
    // Every update said by now, of incidents and maintenance; pick the
    // newest first (same order as `newest_first`), then render only those.
    let incidents =
        site.incidents.iter().flat_map(|i| i.updates_at(site.now).iter().map(move |u| AnyUpdate::Incident(i, u)));
    let maintenance =
        site.maintenance.iter().flat_map(|m| m.updates_at(site.now).iter().map(move |u| AnyUpdate::Maintenance(m, u)));
    let mut all: Vec<(Instant, String, AnyUpdate)> =
        incidents.chain(maintenance).map(|u| (u.at(), u.page(), u)).collect();
    all.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    all.truncate(UPDATES_SIZE);
    let mut entries: Vec<EntrySpec> = all.into_iter().map(|(_, _, u)| u.entry(site)).collect();
    entries.extend(postmortem_entries(site, &site.incidents));
    FeedSpec {
        stem: "updates".into(),
        title: format!("{}: every update", site.config.title),
        page: String::new(),
        entries: newest_first(entries, UPDATES_SIZE),
    }
}

/// A feed per component and per region: the newest [`HISTORY_SIZE`]
/// incidents and maintenance that touch it.
fn component_and_region_feeds(site: &Site, order: &[Item]) -> Vec<FeedSpec> {
    let config = &site.config;
    // Positions in `order`, per feed.
    let mut by_component: Vec<Vec<usize>> = vec![Vec::new(); config.components.len()];
    let mut by_region: Vec<Vec<usize>> = vec![Vec::new(); config.regions.len()];
    let mut filling = by_component.len() + by_region.len();
    let mut listed = Vec::new();
    for (n, item) in order.iter().enumerate() {
        if filling == 0 {
            break;
        }
        let (components, regions) = item.touched(site);
        let lists = components.iter().zip(&mut by_component).chain(regions.iter().zip(&mut by_region));
        let mut any = false;
        for (_, list) in lists.filter(|(t, list)| **t && list.len() < HISTORY_SIZE) {
            list.push(n);
            any = true;
            if list.len() == HISTORY_SIZE {
                filling -= 1;
            }
        }
        if any {
            listed.push(n);
        }
    }
    // An item that touches many components and regions is in many feeds:
    // its entry is made once (side by side), then copied into each.
    let mut entries: Vec<Option<EntrySpec>> = Vec::new();
    entries.resize_with(listed.last().map_or(0, |n| n + 1), || None);
    let made: Vec<(usize, EntrySpec)> = listed.par_iter().map(|&n| (n, order[n].entry(site))).collect();
    for (n, entry) in made {
        entries[n] = Some(entry);
    }
    let feed = |kind: &str, id: &str, name: &str, items: &[usize]| FeedSpec {
        stem: format!("{kind}/{id}/feed"),
        title: format!("{}: {name}", config.title),
        page: format!("{kind}/{id}/"),
        entries: items.iter().filter_map(|&n| entries[n].clone()).collect(),
    };
    let components = config.components.iter().zip(&by_component).map(|(c, l)| feed("components", &c.id, &c.name, l));
    let regions = config.regions.iter().zip(&by_region).map(|(r, l)| feed("regions", &r.id, &r.name, l));
    components.chain(regions).collect()
}

/// Where an incident's feed goes, without `.atom`: `updates` beside its page.
fn incident_feed_stem(i: &Incident) -> String {
    format!("{}updates", directory(&incident_href(&i.id)))
}

fn incident_feed(site: &Site, i: &Incident) -> FeedSpec {
    let page = directory(&incident_href(&i.id));
    FeedSpec {
        stem: incident_feed_stem(i),
        title: format!("{}: {}", site.config.title, i.title),
        page,
        entries: newest_first(
            i.updates_at(site.now)
                .iter()
                .map(|u| incident_update_entry(site, i, u))
                .chain(postmortem_entries(site, [i]))
                .collect(),
            usize::MAX,
        ),
    }
}
