//! The HTML pages: one job per output file, rendered in parallel from data
//! prepared once ([`PageData`], rendered by [`Pages`]), so no page walks every incident unless it
//! lists every incident (the history page).
//!
//! The summary views live in child modules: [`front`] (the situation
//! sentence and the service × region matrix), [`archive`] (history by year
//! and month), [`postmortems`] (every postmortem and its action items) and
//! [`schedule`] (every maintenance); [`places`] holds the service and
//! region pages, and [`head`] what every page's `<head>` carries.

mod archive;
mod front;
mod head;
mod places;
mod postmortems;
mod schedule;

use super::incident_page::IncidentDetail;
use super::keys::Keys;
use super::templates::describe;
use super::uptime_views::credits_view;
use super::views::*;
use super::{Kind, OutputFile, Sink};
use crate::derive::Derived;
use crate::error::Error;
use crate::model::{ComponentStatus, Site};
use head::{clock_meta, page_feeds, version_meta, with_head_meta};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

/// What many pages share, computed once per site and owned, so the
/// preview server can keep it beside the site it describes.
pub struct PageData {
    summaries: Vec<IncidentSummary>,
    /// Incident indices per component / per region, newest first.
    by_component: Vec<Vec<usize>>,
    by_region: Vec<Vec<usize>>,
    nav: Vec<Link>,
    generated: TimeView,
    /// What the `<head>` of every page whose words follow the clock begins
    /// with ([`clock_meta`]).
    clock_meta: String,
    /// Every month of the archive, newest first.
    months: Vec<crate::derive::summary::MonthFigures>,
}

/// Renders the pages of one site: the site, its compiled theme, what was
/// derived from it and the data its pages share.
pub struct Pages<'a> {
    site: &'a Site,
    tera: &'a Tera,
    data: &'a PageData,
    /// Current statuses and uptime timelines, which other channels read too.
    derived: &'a Derived,
    /// What each page is rendered from, to take unchanged ones from the
    /// previous build.
    keys: &'a Keys,
    /// The site's status now, which the front page's banner shows.
    overall: ComponentStatus,
}

impl std::ops::Deref for Pages<'_> {
    type Target = PageData;
    fn deref(&self) -> &PageData {
        self.data
    }
}

/// How many incidents a service or region page lists (newest first); the
/// rest are in the history and the page's feed. Without a cap every region
/// page would list nearly every incident: output growing with incidents x
/// regions.
pub const LISTED: usize = 50;

/// One output file to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    Index,
    History,
    Incident(usize),
    Component(usize),
    Region(usize),
    Maintenance(usize),
    Page(usize),
    Credits,
    Postmortems,
    /// Every maintenance, under way, upcoming and done.
    MaintenanceIndex,
    /// A year of the archive.
    HistoryYear(i32),
    /// An index into `PageData::months`.
    HistoryMonth(usize),
    NotFound,
    /// `style.css`, rendered from the theme like the pages.
    Stylesheet,
    /// `age.js`, the pages' script that keeps their relative times true
    /// and says when the copy a reader sees is old.
    Script,
}

impl Job {
    /// An HTML page (not the stylesheet or the script).
    pub fn is_page(self) -> bool {
        !matches!(self, Job::Stylesheet | Job::Script)
    }
}

impl PageData {
    /// What the pages of `site` share; the parts are independent.
    pub fn new(site: &Site) -> PageData {
        let ((summaries, (by_component, by_region)), months) = rayon::join(
            || {
                rayon::join(
                    || site.incidents.par_iter().map(|i| IncidentSummary::new(i, site)).collect(),
                    || incidents_by_place(site),
                )
            },
            || crate::derive::summary::months(site),
        );
        let nav = site.pages.iter().map(|p| Link { name: p.title.clone(), href: page_href(&p.id) }).collect();
        PageData {
            summaries,
            by_component,
            by_region,
            nav,
            generated: TimeView::new(site.now, site),
            clock_meta: clock_meta(site),
            months,
        }
    }
}

/// Incident indices per component and per region, in site order (newest first).
fn incidents_by_place(site: &Site) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let config = &site.config;
    let mut by_component = vec![Vec::new(); config.components.len()];
    let mut by_region = vec![Vec::new(); config.regions.len()];
    for (index, incident) in site.incidents.iter().enumerate() {
        let (components, regions) = touched(incident, site);
        components.iter().enumerate().filter(|(_, t)| **t).for_each(|(c, _)| by_component[c].push(index));
        regions.iter().enumerate().filter(|(_, t)| **t).for_each(|(r, _)| by_region[r].push(index));
    }
    (by_component, by_region)
}

impl<'a> Pages<'a> {
    /// `data` and `derived` must have been made from `site`.
    pub fn new(site: &'a Site, tera: &'a Tera, data: &'a PageData, derived: &'a Derived, keys: &'a Keys) -> Pages<'a> {
        Pages { site, tera, data, derived, keys, overall: derived.grid.overall() }
    }

    /// Every file this module produces: the pages, then the stylesheet.
    pub fn jobs(&self) -> Vec<Job> {
        let s = self.site;
        let mut jobs = vec![Job::Index, Job::History, Job::Credits, Job::NotFound];
        jobs.extend((0..s.incidents.len()).map(Job::Incident));
        jobs.extend((0..s.config.components.len()).map(Job::Component));
        jobs.extend((0..s.config.regions.len()).map(Job::Region));
        jobs.extend((0..s.maintenance.len()).map(Job::Maintenance));
        jobs.extend((0..s.pages.len()).map(Job::Page));
        jobs.push(Job::Postmortems);
        jobs.push(Job::MaintenanceIndex);
        jobs.extend(self.archive_jobs());
        jobs.push(Job::Stylesheet);
        jobs.push(Job::Script);
        jobs
    }

    /// Renders every page and the stylesheet into `sink`, each file as
    /// soon as it is rendered; returns how many pages.
    pub fn render_into(&self, sink: &dyn Sink, progress: &crate::progress::Progress) -> Result<usize, Error> {
        let jobs = self.jobs();
        progress.more(jobs.len());
        jobs.par_iter().try_for_each(|&job| {
            let kind = if job == Job::Stylesheet { Kind::Other } else { Kind::Page };
            let path = self.path(job);
            let file = |page: String| OutputFile::new(path.clone(), page, kind);
            match self.key(job) {
                Some(key) => super::put_reusing(sink, &path, kind, Some(key), || Ok(file(self.render(job)?)))?,
                None => {
                    let page = self.prepare(job);
                    let key = self.keys.page_context(&path, page.template, page.meta.as_deref(), &page.ctx);
                    super::put_reusing(sink, &path, kind, key, || Ok(file(self.finish(job, page)?)))?
                }
            }
            progress.tick();
            Ok::<(), Error>(())
        })?;
        Ok(jobs.iter().filter(|j| j.is_page()).count())
    }

    /// Where a job's file goes, relative to the site root.
    pub fn path(&self, job: Job) -> String {
        let s = self.site;
        match job {
            Job::Index => "index.html".into(),
            Job::History => "history/index.html".into(),
            Job::NotFound => "404.html".into(),
            Job::Stylesheet => "style.css".into(),
            Job::Script => "age.js".into(),
            Job::Postmortems => postmortems::PATH.into(),
            Job::MaintenanceIndex => schedule::PATH.into(),
            Job::HistoryYear(year) => archive::year_href(year),
            Job::HistoryMonth(index) => archive::month_href(self.months[index].year, self.months[index].month),
            Job::Credits => "credits/index.html".into(),
            Job::Incident(i) => incident_href(&s.incidents[i].id),
            Job::Component(c) => component_href(&s.config.components[c].id),
            Job::Region(r) => region_href(&s.config.regions[r].id),
            Job::Maintenance(m) => maintenance_href(&s.maintenance[m].id),
            Job::Page(p) => page_href(&s.pages[p].id),
        }
    }

    /// For a page whose words are settled (they change when more is said,
    /// never with the clock alone: a resolved incident, a completed
    /// maintenance past its window; see [`Site::incident_settled`]), the
    /// instant they date from, its last update, shown instead of the
    /// build's clock. Such a page carries no build clock, so a rebuild
    /// later leaves it byte for byte as it was. `None`: the page follows
    /// the clock (every list and summary, open incidents, own pages).
    pub fn settled_at(&self, job: Job) -> Option<crate::time::Instant> {
        let s = self.site;
        match job {
            Job::Incident(i) => {
                let incident = &s.incidents[i];
                s.incident_settled(incident).then(|| incident.last_activity_at(s.now))
            }
            Job::Maintenance(m) => {
                let maintenance = &s.maintenance[m];
                s.maintenance_settled(maintenance).then(|| maintenance.changed_at(s.now))
            }
            _ => None,
        }
    }

    /// What a job's file is rendered from ([`Keys`]), known without
    /// making its context (an incident's or a maintenance's page); `None`:
    /// keyed by its whole context ([`Keys::page_context`]) if at all.
    pub fn key(&self, job: Job) -> Option<u64> {
        let s = self.site;
        match job {
            Job::Incident(i) => self.keys.incident_page(s, &s.incidents[i]),
            Job::Maintenance(m) => self.keys.maintenance_page(s, &s.maintenance[m]),
            _ => None,
        }
    }

    /// Renders one job's file.
    pub fn render(&self, job: Job) -> Result<String, Error> {
        self.finish(job, self.prepare(job))
    }

    /// All one job's page is made from: its template and context, and
    /// what goes into its `<head>` after rendering.
    fn prepare(&self, job: Job) -> PageInput {
        let (template, mut ctx) = match job {
            Job::Stylesheet => ("style.css", Context::new()),
            Job::Script => ("age.js", Context::new()),
            Job::Index => ("index.html", self.index()),
            Job::History => ("history.html", self.history()),
            Job::NotFound => ("404.html", self.base("Page not found", None)),
            Job::Postmortems => ("postmortems.html", self.postmortems_page()),
            Job::MaintenanceIndex => ("maintenance_index.html", self.maintenance_index()),
            Job::HistoryYear(year) => ("history_year.html", self.year_page(year)),
            Job::HistoryMonth(index) => ("history_month.html", self.month_page(index)),
            Job::Credits => ("credits.html", self.credits()),
            Job::Incident(i) => ("incident.html", self.incident(i)),
            Job::Component(c) => ("component.html", self.component(c)),
            Job::Region(r) => ("region.html", self.region(r)),
            Job::Maintenance(m) => ("maintenance.html", self.maintenance(m)),
            Job::Page(p) => ("page.html", self.page(p)),
        };
        let settled_at = self.settled_at(job);
        if job.is_page() {
            let generated = settled_at.map(|t| TimeView::new(t, self.site));
            ctx.insert("generated", generated.as_ref().unwrap_or(&self.generated));
            ctx.insert("settled", &settled_at.is_some());
        }
        let meta = match job {
            Job::Index => Some(format!("{}\n{}", version_meta(), self.clock_meta)),
            _ if job.is_page() && settled_at.is_none() => Some(self.clock_meta.clone()),
            _ => None,
        };
        PageInput { template, ctx: ctx.into_json(), meta }
    }

    /// Renders a prepared page.
    fn finish(&self, job: Job, page: PageInput) -> Result<String, Error> {
        let template = page.template;
        let failed = |e: tera::Error| Error::Template(format!("{template} for {}: {}", self.path(job), describe(&e)));
        let ctx = Context::from_value(page.ctx).map_err(failed)?;
        let out = self.tera.render(template, &ctx).map_err(failed)?;
        Ok(match page.meta {
            Some(meta) => with_head_meta(out, &meta),
            None => out,
        })
    }

    fn credits(&self) -> Context {
        let mut ctx = self.base("Availability and service credits", Some("credits/index.html"));
        ctx.insert("credits", &credits_view(self.site, &self.derived.timelines));
        ctx
    }

    fn incident(&self, i: usize) -> Context {
        let inc = &self.site.incidents[i];
        let mut ctx = self.base(&inc.title, Some(&incident_href(&inc.id)));
        ctx.insert("incident", &IncidentDetail::new(inc, &self.summaries[i], self.site, &self.derived.timelines));
        ctx
    }

    fn maintenance(&self, m: usize) -> Context {
        let item = &self.site.maintenance[m];
        let mut ctx = self.base(&item.title, Some(&maintenance_href(&item.id)));
        ctx.insert("maintenance", &MaintenanceView::new(item, self.site, true));
        ctx.insert("picture", &super::timeline::maintenance_picture(item, self.site));
        ctx
    }

    fn page(&self, p: usize) -> Context {
        let page = &self.site.pages[p];
        let mut ctx = self.base(&page.title, Some(&page_href(&page.id)));
        let view = PageView {
            title: &page.title,
            description: page.description.as_deref(),
            body_html: super::markdown::to_html(&page.body),
        };
        ctx.insert("page", &view);
        ctx
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
        let mut ctx = Context::new();
        ctx.insert("site", &SiteView { title: &s.config.title, description: s.config.description.as_deref() });
        ctx.insert("page_title", title);
        ctx.insert("root", &root);
        ctx.insert("standalone", &path.is_none());
        ctx.insert("nav", &self.nav);
        let alternates = page_feeds(path);
        let own = alternates.iter().take_while(|f| f.own).collect::<Vec<_>>();
        ctx.insert("own_feeds", &own);
        ctx.insert("alternates", &alternates);
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
            .map(|(i, summary)| OpenIncident {
                summary,
                affected: affected_now(i, s),
                latest: i.updates_at(s.now).last().map(|u| update_view(u, s)),
            })
            .collect();
        let maintenance: Vec<MaintenanceView> = s
            .maintenance
            .iter()
            .filter(|m| m.scheduled_end > s.now || m.in_progress_at(s.now))
            .filter(|m| m.status_at(s.now) != crate::model::MaintenanceStatus::Completed)
            .map(|m| MaintenanceView::new(m, s, false))
            .collect();
        // Every incident of the last `recent_days`, those still open
        // included, however long ago they started.
        let since = s.now - chrono::Duration::days(s.config.recent_days.into());
        let recent: Vec<&IncidentSummary> = s
            .incidents
            .iter()
            .zip(&self.summaries)
            .filter(|(i, _)| i.started <= s.now && (i.started >= since || i.is_open_at(s.now)))
            .map(|(_, summary)| summary)
            .collect();
        ctx.insert("open_incidents", &open);
        ctx.insert("maintenance", &maintenance);
        ctx.insert("recent", &recent);
        ctx.insert("recent_days", &s.config.recent_days);
        // The site's status now: the front page's banner alone shows it.
        ctx.insert("overall", &status_badge(self.overall));
        self.insert_front(&mut ctx);
        ctx
    }
}

/// One page ready to render ([`Pages::prepare`]).
struct PageInput {
    template: &'static str,
    /// The template's context, as JSON.
    ctx: serde_json::Value,
    /// What goes right after the page's `<head>` tag once rendered.
    meta: Option<String>,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct OpenIncident<'a> {
    summary: &'a IncidentSummary,
    /// The services it affects now, and where.
    affected: Vec<AffectedNow>,
    latest: Option<UpdateView>,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    body_html: String,
}
