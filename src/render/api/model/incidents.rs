//! Incidents and maintenance as Statuspage incidents: each with its
//! updates as a timeline that names the cells every update changed, and
//! the times a maintenance changed its status and its cells'.

use super::super::{absolute_url, shortlink, ApiAffectedComponent, ApiIncident, ApiIncidentUpdate, ApiMaintenance};
use super::Api;
use crate::model::{ComponentStatus, Incident, Maintenance, MaintenanceStatus, UpdateStatus};
use crate::time::Instant;
use std::collections::BTreeMap;

impl Api<'_> {
    /// This incident's own status for each cell it touches at `at`.
    fn incident_cells(&self, i: &Incident, at: Instant) -> Cells {
        crate::derive::summary::cells_at(i, self.site, at)
    }

    /// This maintenance's own status for its cells at `at`: under
    /// maintenance while it is under way, nothing otherwise.
    fn maintenance_cells(&self, m: &Maintenance, at: Instant) -> Cells {
        let mut out = Cells::new();
        if m.in_progress_at(at) {
            self.site.lookup.cells(&m.components, &m.regions, m.scheduled_start, |c, r| {
                out.insert((c, r), ComponentStatus::UnderMaintenance);
            });
        }
        out
    }

    /// The published updates, newest first, from the ones said by the clock
    /// (chronological). Each lists as `affected_components`, as Statuspage
    /// does, the cells whose status changed since the previous update, with
    /// the status before and after (operational where it set nothing); an
    /// update that changed none lists none.
    fn timeline(
        &self,
        parent: &str,
        said: &[(Instant, &'static str, &str)],
        cells_at: impl Fn(Instant) -> Cells,
    ) -> Vec<ApiIncidentUpdate> {
        let mut out = Vec::with_capacity(said.len());
        let mut before = Cells::new();
        for &(at, status, body) in said {
            let after = cells_at(at);
            let mut keys: Vec<(usize, usize)> = before.keys().chain(after.keys()).copied().collect();
            keys.sort();
            keys.dedup();
            let set = |cells: &Cells, key| cells.get(&key).copied().unwrap_or(ComponentStatus::Operational).as_str();
            let affected: Vec<ApiAffectedComponent> = keys
                .into_iter()
                .filter(|&key| set(&before, key) != set(&after, key))
                .map(|(ci, ri)| ApiAffectedComponent {
                    code: self.cell_id(ci, ri),
                    name: self.cell_name(ci, ri),
                    old_status: set(&before, (ci, ri)),
                    new_status: set(&after, (ci, ri)),
                })
                .collect();
            out.push(ApiIncidentUpdate {
                id: format!("{parent}.{}", crate::time::compact(at)),
                status,
                body: body.trim_end().to_owned(),
                incident_id: parent.to_owned(),
                created_at: self.ts(at),
                updated_at: self.ts(at),
                display_at: self.ts(at),
                affected_components: (!affected.is_empty()).then_some(affected),
                deliver_notifications: true,
                custom_tweet: None,
                tweet_id: None,
            });
            before = after;
        }
        out.reverse();
        out
    }

    /// An incident as it stands at the site's clock: updates dated after it
    /// are not said yet, and a resolution or postmortem after it has not
    /// happened, so none of them shows or moves a time or the status.
    fn incident(&self, i: &Incident) -> ApiIncident {
        let now = self.site.now;
        let said = i.updates_at(now);
        let resolved = i.resolved.filter(|r| *r <= now);
        let postmortem = i.postmortem.as_ref().is_some_and(|p| p.published <= now);
        let status = match (resolved, postmortem) {
            (Some(_), true) => "postmortem",
            (Some(_), false) => "resolved",
            // Open is never `resolved`, whatever the last update says (check
            // warns about that): the newest status said that is not.
            (None, _) => said
                .iter()
                .rev()
                .map(|u| u.status)
                .find(|s| *s != UpdateStatus::Resolved)
                .map_or("investigating", UpdateStatus::as_str),
        };
        let timeline: Vec<_> = said.iter().map(|u| (u.at, u.status.as_str(), &*u.body)).collect();
        let mut touched: Vec<(usize, usize)> = Vec::new();
        for w in &i.affected {
            self.site.lookup.cells(&w.components, &w.regions, w.from, |c, r| touched.push((c, r)));
        }
        touched.sort();
        touched.dedup();
        let monitoring = said.iter().find(|u| u.status == UpdateStatus::Monitoring).map(|u| self.ts(u.at));
        ApiIncident {
            id: i.id.clone(),
            name: i.title.clone(),
            status,
            created_at: self.ts(said.first().map_or(i.started, |u| u.at)),
            updated_at: self.ts(i.last_activity_at(now)),
            monitoring_at: monitoring,
            resolved_at: resolved.map(|r| self.ts(r)),
            impact: i.impact.as_str(),
            shortlink: shortlink(self.site, &i.id),
            started_at: self.ts(i.started),
            page_id: self.page_id.clone(),
            incident_updates: self.timeline(&i.id, &timeline, |at| self.incident_cells(i, at)),
            components: touched.into_iter().map(|(ci, ri)| self.cell(ci, ri)).collect(),
        }
    }

    /// The newest `limit` incidents plus every one still open at the clock,
    /// newest first (building all of a large history to publish 50 would be
    /// waste).
    pub fn incidents(&self, limit: usize) -> Vec<ApiIncident> {
        let now = self.site.now;
        self.site
            .incidents
            .iter()
            .enumerate()
            .filter(|(n, i)| *n < limit || i.resolved.is_none_or(|r| r > now))
            .map(|(_, i)| self.incident(i))
            .collect()
    }

    /// A maintenance as it stands at the site's clock; like an incident's,
    /// its updates dated after the clock are not said yet.
    fn maintenance(&self, m: &Maintenance) -> ApiMaintenance {
        let now = self.site.now;
        let status = m.status_at(now);
        let said = m.updates_at(now);
        let created = said.first().map_or(m.scheduled_start, |u| u.at);
        // Completed since the change that completed it: an update, or the
        // scheduled end when no update had.
        let resolved =
            (status == MaintenanceStatus::Completed).then(|| changes(m, now).last().map(|&(t, _)| t)).flatten();
        // Nothing said and nothing started by the clock: as old as it is.
        let updated = Some(m.changed_at(now)).filter(|t| *t <= now).unwrap_or(created);
        let mut cells: Vec<(usize, usize)> = Vec::new();
        self.site.lookup.cells(&m.components, &m.regions, m.scheduled_start, |c, r| cells.push((c, r)));
        let timeline: Vec<_> = said.iter().map(|u| (u.at, u.status.as_str(), u.body.as_str())).collect();
        ApiMaintenance {
            incident: ApiIncident {
                id: m.id.clone(),
                name: m.title.clone(),
                status: status.as_str(),
                created_at: self.ts(created),
                updated_at: self.ts(updated),
                monitoring_at: None,
                resolved_at: resolved.map(|r| self.ts(r)),
                impact: "maintenance",
                shortlink: absolute_url(self.site, &format!("maintenance/{}/", m.id)),
                started_at: self.ts(m.scheduled_start),
                page_id: self.page_id.clone(),
                incident_updates: self.timeline(&m.id, &timeline, |at| self.maintenance_cells(m, at)),
                components: cells.into_iter().map(|(ci, ri)| self.cell(ci, ri)).collect(),
            },
            scheduled_for: self.ts(m.scheduled_start),
            scheduled_until: self.ts(m.scheduled_end),
        }
    }

    /// The maintenance the files publish, soonest first: the last `limit`
    /// and every one scheduled or under way at the clock. Each lists every
    /// cell it covers, so building all of a long history to publish a few
    /// would cost memory in proportion to all its cells.
    pub fn maintenances(&self, limit: usize) -> Vec<ApiMaintenance> {
        let now = self.site.now;
        let newest = self.site.maintenance.len().saturating_sub(limit);
        self.site
            .maintenance
            .iter()
            .enumerate()
            .filter(|(n, m)| {
                *n >= newest
                    || matches!(
                        m.status_at(now),
                        MaintenanceStatus::Scheduled | MaintenanceStatus::InProgress | MaintenanceStatus::Verifying
                    )
            })
            .map(|(_, m)| self.maintenance(m))
            .collect()
    }
}

/// What one incident or maintenance sets its cells to at an instant.
type Cells = BTreeMap<(usize, usize), ComponentStatus>;

/// Every change of a maintenance's status at or before `now`, oldest first,
/// with the status it took: an update that moved it on, or its scheduled
/// start or end when no update had decided it. It begins `scheduled`.
fn changes(m: &Maintenance, now: Instant) -> Vec<(Instant, MaintenanceStatus)> {
    // Its status can only change at an update or at a schedule boundary.
    let mut times: Vec<Instant> =
        m.updates.iter().map(|u| u.at).chain([m.scheduled_start, m.scheduled_end]).filter(|t| *t <= now).collect();
    times.sort();
    times.dedup();
    let mut current = MaintenanceStatus::Scheduled;
    let mut out = Vec::new();
    for t in times {
        let status = m.status_at(t);
        if status != current {
            out.push((t, status));
            current = status;
        }
    }
    out
}

/// The last time at or before `now` that a maintenance put its cells under
/// maintenance or gave them back: its cells' last change of its making.
pub(super) fn handed_over(m: &Maintenance, now: Instant) -> Option<Instant> {
    let mut under = false;
    let mut last = None;
    for (t, status) in changes(m, now) {
        let now_under = matches!(status, MaintenanceStatus::InProgress | MaintenanceStatus::Verifying);
        if now_under != under {
            (under, last) = (now_under, Some(t));
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::{changes, handed_over};
    use crate::model::{Maintenance, MaintenanceStatus, MaintenanceUpdate};
    use crate::time::Instant;
    use MaintenanceStatus::*;

    fn t(hhmm: &str) -> Instant {
        format!("2026-11-22T{hhmm}:00Z").parse().unwrap()
    }

    /// Scheduled 03:00-05:00 UTC, announced the day before, then `updates`.
    fn window(updates: &[(&str, MaintenanceStatus)]) -> Maintenance {
        let announced =
            MaintenanceUpdate { at: t("00:00") - chrono::Duration::days(1), status: Scheduled, body: String::new() };
        let said = updates.iter().map(|&(at, status)| MaintenanceUpdate { at: t(at), status, body: String::new() });
        Maintenance {
            id: "m".into(),
            source: "content/maintenance/m.md".into(),
            title: "M".into(),
            scheduled_start: t("03:00"),
            scheduled_end: t("05:00"),
            components: vec!["api".into()],
            regions: None,
            updates: std::iter::once(announced).chain(said).collect(),
            body: String::new(),
        }
    }

    #[test]
    fn the_schedule_moves_a_maintenance_no_update_moved() {
        let m = window(&[]);
        assert_eq!(changes(&m, t("02:59")), []);
        assert_eq!(changes(&m, t("03:00")), [(t("03:00"), InProgress)]);
        assert_eq!(changes(&m, t("06:00")), [(t("03:00"), InProgress), (t("05:00"), Completed)]);
        assert_eq!(handed_over(&m, t("06:00")), Some(t("05:00")));
    }

    #[test]
    fn updates_move_it_when_they_say_and_only_once_said() {
        let m = window(&[("02:50", InProgress), ("04:00", Verifying), ("04:35", Completed)]);
        let all = [(t("02:50"), InProgress), (t("04:00"), Verifying), (t("04:35"), Completed)];
        assert_eq!(changes(&m, t("06:00")), all);
        assert_eq!(handed_over(&m, t("06:00")), Some(t("04:35")), "completed early by its update");
        // Verifying keeps the components under maintenance.
        assert_eq!(handed_over(&m, t("04:10")), Some(t("02:50")));
        // Before 04:35 the completion is not said: nothing after the clock counts.
        assert_eq!(changes(&m, t("04:30")), all[..2]);
    }

    #[test]
    fn one_completed_before_it_started_never_took_its_components() {
        let m = window(&[("01:00", Completed)]);
        assert_eq!(changes(&m, t("06:00")), [(t("01:00"), Completed)]);
        assert_eq!(handed_over(&m, t("06:00")), None);
    }
}
