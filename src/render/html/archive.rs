//! The incident archive: `history/index.html` (every incident by month,
//! with an index of years and months), one page per year
//! (`history/YYYY/index.html`) and one per month (`history/YYYY/MM/index.html`).
//!
//! Months are cut in the site zone and come from [`crate::derive::summary::months`],
//! computed once per build; each page only reads its own month or year.

use super::{Job, Pages};
use crate::derive::summary::MonthFigures;
use crate::model::Impact;
use crate::render::views::*;
use crate::time::human_duration;
use crate::words::month_label;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use tera::Context;

/// A month as the archive lists it.
#[derive(Serialize)]
struct MonthRow {
    /// "November 2026"
    label: String,
    /// "Nov"
    short: String,
    href: String,
    count: usize,
    impact_minutes: i64,
    /// "2 h 48 min"; empty when there were none.
    impact_human: String,
    worst: Option<Badge>,
}

/// A year with its months, in calendar order, and their totals.
#[derive(Serialize)]
struct YearView {
    year: i32,
    href: String,
    count: usize,
    impact_minutes: i64,
    impact_human: String,
    worst: Option<Badge>,
    #[serde(skip)]
    worst_impact: Option<Impact>,
    months: Vec<MonthRow>,
}

/// A month of the full history list, with its incidents.
#[derive(Serialize)]
struct MonthSection<'a> {
    label: String,
    href: String,
    anchor: String,
    incidents: Vec<&'a IncidentSummary>,
}

pub(super) fn year_href(year: i32) -> String {
    format!("history/{year:04}/index.html")
}

pub(super) fn month_href(year: i32, month: u32) -> String {
    format!("history/{year:04}/{month:02}/index.html")
}

fn minutes_words(minutes: i64) -> String {
    if minutes == 0 {
        String::new()
    } else {
        human_duration(Duration::minutes(minutes))
    }
}

fn month_row(m: &MonthFigures) -> MonthRow {
    MonthRow {
        label: month_label(m.year, m.month),
        short: NaiveDate::from_ymd_opt(m.year, m.month, 1).map(|d| d.format("%b").to_string()).unwrap_or_default(),
        href: month_href(m.year, m.month),
        count: m.incidents.len(),
        impact_minutes: m.impact_minutes,
        impact_human: minutes_words(m.impact_minutes),
        worst: m.worst.map(impact_badge),
    }
}

/// The months of `self.months` (newest first) grouped by year, newest year
/// first, each year's months in calendar order.
fn years(months: &[MonthFigures]) -> Vec<YearView> {
    let mut years: Vec<YearView> = Vec::new();
    for m in months {
        if years.last().is_none_or(|y| y.year != m.year) {
            years.push(YearView {
                year: m.year,
                href: year_href(m.year),
                count: 0,
                impact_minutes: 0,
                impact_human: String::new(),
                worst: None,
                worst_impact: None,
                months: Vec::new(),
            });
        }
        let year = years.last_mut().expect("pushed above");
        year.count += m.incidents.len();
        year.impact_minutes += m.impact_minutes;
        year.worst_impact = year.worst_impact.max(m.worst);
        year.months.insert(0, month_row(m));
    }
    for year in &mut years {
        year.impact_human = minutes_words(year.impact_minutes);
        year.worst = year.worst_impact.map(impact_badge);
    }
    years
}

impl Pages<'_> {
    /// One page per year and per month of the archive.
    pub(super) fn archive_jobs(&self) -> Vec<Job> {
        let mut jobs: Vec<Job> = (0..self.months.len()).map(Job::HistoryMonth).collect();
        let mut last = None;
        for m in &self.months {
            if last != Some(m.year) {
                jobs.push(Job::HistoryYear(m.year));
                last = Some(m.year);
            }
        }
        jobs
    }

    /// Every incident, newest first, by month; and the year/month index.
    pub(super) fn history(&self) -> Context {
        let s = self.site;
        let mut ctx = self.base("Incident history", Some("history/index.html"));
        let months: Vec<MonthSection> = self
            .months
            .iter()
            .filter(|m| !m.incidents.is_empty())
            .map(|m| MonthSection {
                label: month_label(m.year, m.month),
                href: month_href(m.year, m.month),
                anchor: format!("m-{:04}-{:02}", m.year, m.month),
                incidents: m.incidents.iter().map(|&i| &self.summaries[i]).collect(),
            })
            .collect();
        ctx.insert("months", &months);
        ctx.insert("years", &years(&self.months));
        ctx.insert("total", &s.incidents.len());
        ctx
    }

    pub(super) fn year_page(&self, year: i32) -> Context {
        let path = year_href(year);
        let mut ctx = self.base(&format!("Incidents in {year}"), Some(&path));
        let all = years(&self.months);
        let at = all.iter().position(|y| y.year == year).expect("a job per listed year");
        // Newest first: the next year is the one before in the list.
        let link = |i: usize| all.get(i).map(|y| Link { name: y.year.to_string(), href: y.href.clone() });
        ctx.insert("newer", &at.checked_sub(1).and_then(link));
        ctx.insert("older", &link(at + 1));
        ctx.insert("year", &all[at]);
        ctx
    }

    pub(super) fn month_page(&self, index: usize) -> Context {
        let m = &self.months[index];
        let path = month_href(m.year, m.month);
        let label = month_label(m.year, m.month);
        let mut ctx = self.base(&format!("Incidents in {label}"), Some(&path));
        let link = |i: usize| {
            self.months.get(i).map(|m| Link { name: month_label(m.year, m.month), href: month_href(m.year, m.month) })
        };
        ctx.insert("newer", &index.checked_sub(1).and_then(link));
        ctx.insert("older", &link(index + 1));
        ctx.insert("month", &month_row(m));
        ctx.insert("year", &Link { name: m.year.to_string(), href: year_href(m.year) });
        let incidents: Vec<&IncidentSummary> = m.incidents.iter().map(|&i| &self.summaries[i]).collect();
        ctx.insert("incidents", &incidents);
        ctx
    }
}
