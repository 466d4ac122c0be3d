//! The HTML pages: one job per output file, rendered in parallel from data
//! prepared once ([`Prepared`]), so no page walks every incident unless it
//! lists every incident (the history page).

use super::templates::describe;
use super::views::*;
use crate::derive::status::{grid_at, headline, StatusGrid};
use crate::error::Error;
use crate::model::{ComponentStatus, Site};
use crate::output::Staging;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

/// What many pages share, computed once per build.
pub struct Prepared<'a> {
    site: &'a Site,
    tera: &'a Tera,
    summaries: Vec<IncidentSummary>,
    /// Current status of every cell.
    grid: StatusGrid,
    /// Incident indices per component / per region, newest first.
    by_component: Vec<Vec<usize>>,
    by_region: Vec<Vec<usize>>,
    nav: Vec<Link>,
    generated: TimeView,
}

/// One output file to produce.
#[derive(Clone, Copy)]
enum Job {
    Index,
    History,
    Incident(usize),
    Component(usize),
    Region(usize),
    Maintenance(usize),
    Page(usize),
    NotFound,
}

impl<'a> Prepared<'a> {
    pub fn new(site: &'a Site, tera: &'a Tera) -> Prepared<'a> {
        let config = &site.config;
        let summaries: Vec<IncidentSummary> =
            site.incidents.par_iter().map(|i| IncidentSummary::new(i, site)).collect();
        let mut by_component = vec![Vec::new(); config.components.len()];
        let mut by_region = vec![Vec::new(); config.regions.len()];
        for (index, incident) in site.incidents.iter().enumerate() {
            let (components, regions) = touched(incident, site);
            components.iter().enumerate().filter(|(_, t)| **t).for_each(|(c, _)| by_component[c].push(index));
            regions.iter().enumerate().filter(|(_, t)| **t).for_each(|(r, _)| by_region[r].push(index));
        }
        let nav = site.pages.iter().map(|p| Link { name: p.title.clone(), href: page_href(&p.id) }).collect();
        Prepared {
            site,
            tera,
            summaries,
            grid: grid_at(site, site.now),
            by_component,
            by_region,
            nav,
            generated: TimeView::new(site.now, site),
        }
    }

    fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let mut jobs = vec![Job::Index, Job::History, Job::NotFound];
        jobs.extend((0..s.incidents.len()).map(Job::Incident));
        jobs.extend((0..s.config.components.len()).map(Job::Component));
        jobs.extend((0..s.config.regions.len()).map(Job::Region));
        jobs.extend((0..s.maintenance.len()).map(Job::Maintenance));
        jobs.extend((0..s.pages.len()).map(Job::Page));
        jobs
    }

    /// Renders and writes every HTML page; returns how many.
    pub fn write_pages(&self, out: &Staging) -> Result<usize, Error> {
        let jobs = self.jobs();
        jobs.par_iter().try_for_each(|job| {
            let (path, html) = self.render(*job)?;
            out.write(&path, html.as_bytes())
        })?;
        let css = self.tera.render("style.css", &Context::new()).map_err(|e| Error::Template(describe(&e)))?;
        out.write("style.css", css.as_bytes())?;
        Ok(jobs.len())
    }

    fn render(&self, job: Job) -> Result<(String, String), Error> {
        let s = self.site;
        let (path, template, ctx) = match job {
            Job::Index => ("index.html".to_string(), "index.html", self.index()),
            Job::History => ("history/index.html".into(), "history.html", self.history()),
            Job::NotFound => ("404.html".into(), "404.html", self.base("Page not found", None)),
            Job::Incident(i) => {
                let inc = &s.incidents[i];
                let mut ctx = self.base(&inc.title, Some(&incident_href(&inc.id)));
                ctx.insert("incident", &IncidentDetail::new(inc, self.summaries[i].clone(), s));
                (incident_href(&inc.id), "incident.html", ctx)
            }
            Job::Component(c) => (component_href(&s.config.components[c].id), "component.html", self.component(c)),
            Job::Region(r) => (region_href(&s.config.regions[r].id), "region.html", self.region(r)),
            Job::Maintenance(m) => {
                let item = &s.maintenance[m];
                let mut ctx = self.base(&item.title, Some(&maintenance_href(&item.id)));
                ctx.insert("maintenance", &MaintenanceView::new(item, s, true));
                (maintenance_href(&item.id), "maintenance.html", ctx)
            }
            Job::Page(p) => {
                let page = &s.pages[p];
                let mut ctx = self.base(&page.title, Some(&page_href(&page.id)));
                ctx.insert(
                    "page",
                    &PageView {
                        title: &page.title,
                        description: page.description.as_deref(),
                        body_html: super::markdown::to_html(&page.body),
                    },
                );
                (page_href(&page.id), "page.html", ctx)
            }
        };
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| Error::Template(format!("{template} for {path}: {}", describe(&e))))?;
        Ok((path, html))
    }

    /// What every page's layout needs. `path` is the page's own path; it
    /// sets `root`, the relative way back to the site root. `None` is the
    /// 404 page, which is served at any depth and so links absolutely.
    fn base(&self, title: &str, path: Option<&str>) -> Context {
        let s = self.site;
        let root = match path {
            Some(p) => "../".repeat(p.matches('/').count()),
            None => format!("{}/", s.config.base_url),
        };
        let overall = self.grid.overall();
        let mut ctx = Context::new();
        ctx.insert("site", &SiteView { title: &s.config.title, description: s.config.description.as_deref() });
        ctx.insert("page_title", title);
        ctx.insert("root", &root);
        ctx.insert("standalone", &path.is_none());
        ctx.insert("nav", &self.nav);
        ctx.insert("generated", &self.generated);
        ctx.insert("overall", &status_badge(overall));
        ctx.insert("alternates", &page_feeds(path));
        ctx.insert("headline", headline(overall));
        ctx
    }

    fn index(&self) -> Context {
        let s = self.site;
        let mut ctx = self.base(&s.config.title, Some("index.html"));
        let open: Vec<OpenIncident> = s
            .incidents
            .iter()
            .zip(&self.summaries)
            .filter(|(i, _)| i.is_open_at(s.now))
            .map(|(i, summary)| OpenIncident { summary, latest: i.updates.last().map(|u| update_view(u, s)) })
            .collect();
        let maintenance: Vec<MaintenanceView> = s
            .maintenance
            .iter()
            .filter(|m| m.scheduled_end > s.now || m.in_progress_at(s.now))
            .filter(|m| m.status_at(s.now) != crate::model::MaintenanceStatus::Completed)
            .map(|m| MaintenanceView::new(m, s, false))
            .collect();
        let since = s.now - chrono::Duration::days(s.config.recent_days.into());
        let recent: Vec<&IncidentSummary> = s
            .incidents
            .iter()
            .zip(&self.summaries)
            .take_while(|(i, _)| i.started >= since)
            .filter(|(i, _)| !i.is_open_at(s.now) && i.started <= s.now)
            .map(|(_, summary)| summary)
            .collect();
        ctx.insert("open_incidents", &open);
        ctx.insert("maintenance", &maintenance);
        ctx.insert("recent", &recent);
        ctx.insert("recent_days", &s.config.recent_days);
        ctx.insert("groups", &self.component_groups());
        ctx
    }

    /// Components by group, in config order, with current status; the
    /// components without a group come last under "Other services".
    fn component_groups(&self) -> Vec<GroupView> {
        let config = &self.site.config;
        let row = |ci: usize| {
            let c = &config.components[ci];
            let status = self.grid.component(ci);
            let troubled: Vec<String> = config
                .regions
                .iter()
                .enumerate()
                .filter(|(ri, _)| self.grid.cells[ci][*ri].is_some_and(|st| st > ComponentStatus::Operational))
                .map(|(_, r)| r.name.clone())
                .collect();
            ComponentRow {
                name: c.name.clone(),
                href: component_href(&c.id),
                status: status_badge(status),
                where_: crate::derive::credits::join_words(&troubled),
            }
        };
        let mut groups: Vec<GroupView> = config
            .groups
            .iter()
            .map(|g| GroupView {
                name: g.name.clone(),
                components: (0..config.components.len())
                    .filter(|ci| config.components[*ci].group.as_deref() == Some(&g.id))
                    .map(row)
                    .collect(),
                status: status_badge(ComponentStatus::Operational),
            })
            .collect();
        let loose: Vec<ComponentRow> =
            (0..config.components.len()).filter(|ci| config.components[*ci].group.is_none()).map(row).collect();
        if !loose.is_empty() {
            groups.push(GroupView {
                name: "Other services".into(),
                components: loose,
                status: status_badge(ComponentStatus::Operational),
            });
        }
        groups.retain(|g| !g.components.is_empty());
        for g in &mut groups {
            let worst = g.components.iter().map(|c| c.status.key).filter_map(ComponentStatus::from_name).max();
            g.status = status_badge(worst.unwrap_or(ComponentStatus::Operational));
        }
        groups
    }

    fn history(&self) -> Context {
        let s = self.site;
        let mut ctx = self.base("Incident history", Some("history/index.html"));
        let mut months: Vec<MonthView> = Vec::new();
        for (incident, summary) in s.incidents.iter().zip(&self.summaries) {
            let (y, m) = crate::time::local_month(incident.started, s.config.timezone);
            match months.last_mut() {
                Some(last) if last.key == (y, m) => last.incidents.push(summary),
                _ => months.push(MonthView {
                    key: (y, m),
                    label: crate::derive::credits::month_label(y, m),
                    incidents: vec![summary],
                }),
            }
        }
        ctx.insert("months", &months);
        ctx.insert("total", &s.incidents.len());
        ctx
    }

    fn component(&self, ci: usize) -> Context {
        let s = self.site;
        let c = &s.config.components[ci];
        let mut ctx = self.base(&c.name, Some(&component_href(&c.id)));
        let regions: Vec<CellView> = s
            .config
            .regions
            .iter()
            .enumerate()
            .map(|(ri, r)| CellView {
                name: r.name.clone(),
                href: region_href(&r.id),
                status: self.grid.cells[ci][ri].map(status_badge),
            })
            .collect();
        let incidents: Vec<&IncidentSummary> = self.by_component[ci].iter().map(|i| &self.summaries[*i]).collect();
        ctx.insert(
            "component",
            &ComponentView {
                name: &c.name,
                description: c.description.as_deref(),
                group: c.group.as_deref().and_then(|g| s.config.group(g)).map(|g| g.name.as_str()),
                status: status_badge(self.grid.component(ci)),
            },
        );
        ctx.insert("regions", &regions);
        ctx.insert("incidents", &incidents);
        ctx
    }

    fn region(&self, ri: usize) -> Context {
        let s = self.site;
        let r = &s.config.regions[ri];
        let mut ctx = self.base(&r.name, Some(&region_href(&r.id)));
        let components: Vec<CellView> = s
            .config
            .components
            .iter()
            .enumerate()
            .filter(|(ci, _)| self.grid.cells[*ci][ri].is_some())
            .map(|(ci, c)| CellView {
                name: c.name.clone(),
                href: component_href(&c.id),
                status: self.grid.cells[ci][ri].map(status_badge),
            })
            .collect();
        let incidents: Vec<&IncidentSummary> = self.by_region[ri].iter().map(|i| &self.summaries[*i]).collect();
        ctx.insert(
            "region",
            &RegionView {
                name: &r.name,
                geography: r.geography.as_deref(),
                status: status_badge(self.grid.region(ri)),
            },
        );
        ctx.insert("components", &components);
        ctx.insert("incidents", &incidents);
        ctx
    }
}

/// A feed a page advertises with `<link rel="alternate">`.
#[derive(Serialize)]
struct Alternate {
    title: &'static str,
    href: String,
    mime: &'static str,
}

/// The site's feeds, plus the page's own where it has one (components,
/// regions and incidents keep theirs beside their `index.html`).
fn page_feeds(path: Option<&str>) -> Vec<Alternate> {
    let atom = "application/atom+xml";
    let rss = "application/rss+xml";
    let mut feeds = Vec::new();
    if let Some(dir) = path.and_then(|p| p.strip_suffix("index.html")) {
        if dir.starts_with("incidents/") {
            feeds.push(Alternate {
                title: "This incident's updates (Atom)",
                href: format!("{dir}updates.atom"),
                mime: atom,
            });
            feeds.push(Alternate {
                title: "This incident's updates (RSS)",
                href: format!("{dir}updates.rss"),
                mime: rss,
            });
        } else if dir.starts_with("components/") || dir.starts_with("regions/") {
            feeds.push(Alternate { title: "Incidents here (Atom)", href: format!("{dir}feed.atom"), mime: atom });
            feeds.push(Alternate { title: "Incidents here (RSS)", href: format!("{dir}feed.rss"), mime: rss });
        }
    }
    feeds.push(Alternate { title: "Incidents and maintenance (Atom)", href: "history.atom".into(), mime: atom });
    feeds.push(Alternate { title: "Incidents and maintenance (RSS)", href: "history.rss".into(), mime: rss });
    feeds.push(Alternate { title: "Every update (Atom)", href: "updates.atom".into(), mime: atom });
    feeds.push(Alternate { title: "Every update (RSS)", href: "updates.rss".into(), mime: rss });
    feeds
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct OpenIncident<'a> {
    summary: &'a IncidentSummary,
    latest: Option<UpdateView>,
}

#[derive(Serialize)]
struct ComponentRow {
    name: String,
    href: String,
    status: Badge,
    /// The regions where it is not operational, in words.
    #[serde(rename = "where")]
    where_: String,
}

#[derive(Serialize)]
struct GroupView {
    name: String,
    status: Badge,
    components: Vec<ComponentRow>,
}

#[derive(Serialize)]
struct MonthView<'a> {
    #[serde(skip)]
    key: (i32, u32),
    label: String,
    incidents: Vec<&'a IncidentSummary>,
}

#[derive(Serialize)]
struct CellView {
    name: String,
    href: String,
    /// `None`: not offered there.
    status: Option<Badge>,
}

#[derive(Serialize)]
struct ComponentView<'a> {
    name: &'a str,
    description: Option<&'a str>,
    group: Option<&'a str>,
    status: Badge,
}

#[derive(Serialize)]
struct RegionView<'a> {
    name: &'a str,
    geography: Option<&'a str>,
    status: Badge,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    body_html: String,
}
