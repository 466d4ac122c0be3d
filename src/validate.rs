//! Checks across the fields of one file: times in order, windows inside
//! their incident, statuses that agree with each other.
//!
//! Field-level problems (types, unknown keys and ids, impossible dates) are
//! reported while reading; what is here needs several fields at once.

use crate::content::incident::{IncidentSpans, UpdateSpans};
use crate::content::maintenance::MaintenanceSpans;
use crate::content::reader::FileReader;
use crate::model::{CreditMonths, Incident, Maintenance, UpdateStatus};
use crate::time::{display, Instant};
use chrono_tz::Tz;

/// Each update's time is its identity: its anchor on the page, its entry id
/// in the feeds and its id in the API. Two at one instant would collide.
const SAME_TIME_HINT: &str =
    "each update needs its own time (its link and feed entry are named after it): write the second it was posted, e.g. 14:31:30";

/// Every cross-field check of an incident; problems go to the reader's list.
pub fn incident(r: &mut FileReader, inc: &Incident, spans: &IncidentSpans, site_zone: Tz) -> bool {
    let before = r.diags.count(crate::diagnostic::Severity::Error);
    let show = |t: Instant| display(t, site_zone);

    if let (Some(resolved), Some(span)) = (inc.resolved, &spans.resolved) {
        if resolved < inc.started {
            r.error(
                span.clone(),
                format!("`resolved` ({}) is before `started` ({})", show(resolved), show(inc.started)),
                "check both times and their offsets; an incident ends after it starts",
            );
        }
    }
    if let (Some(detected), Some(span)) = (inc.detected, &spans.detected) {
        if detected < inc.started {
            r.diags
                .warning(
                    r.map,
                    span.clone(),
                    format!("`detected` ({}) is before `started` ({})", show(detected), show(inc.started)),
                )
                .code(crate::lint::DETECTED_BEFORE_STARTED)
                .hint(crate::lint::with_allow(
                    "impact starts no later than its detection: move `started` back to when impact began",
                    crate::lint::DETECTED_BEFORE_STARTED,
                ));
        }
    }

    // An update tells of an incident already under way.
    for (update, here) in inc.updates.iter().zip(&spans.updates).filter(|(u, _)| u.at < inc.started) {
        r.error(
            here.at.clone(),
            format!(
                "update {} ({}) is before the incident started ({})",
                here.number,
                show(update.at),
                show(inc.started)
            ),
            "fix the update's time, or move `started` back to when impact began",
        );
    }
    for (pair, here) in inc.updates.windows(2).zip(spans.updates.iter().skip(1)) {
        if pair[1].at == pair[0].at {
            r.error(
                here.at.clone(),
                format!("update {} has the same time as the update before it ({})", here.number, show(pair[1].at)),
                SAME_TIME_HINT,
            );
        }
        if pair[1].at < pair[0].at {
            r.error(
                here.at.clone(),
                format!(
                    "update {} ({}) is earlier than the update before it ({})",
                    here.number,
                    show(pair[1].at),
                    show(pair[0].at)
                ),
                "list updates oldest first: move this one up, or fix its time",
            );
        }
    }
    let last = inc.updates.last().zip(spans.updates.last()).filter(|_| spans.updates_complete);
    if let Some((last, UpdateSpans { status: status_span, .. })) = last {
        match (inc.resolved, last.status) {
            (Some(_), s) if s != UpdateStatus::Resolved => r.warning(
                status_span.clone(),
                format!("the incident is resolved but its last update says \"{}\"", s.as_str()),
                "add a final [[updates]] with status = \"resolved\" telling customers it is over",
            ),
            (None, UpdateStatus::Resolved) => r.warning(
                status_span.clone(),
                "the last update says \"resolved\" but the incident has no `resolved` time, so it is shown as open",
                format!("add resolved = {}", crate::time::rfc3339(last.at)),
            ),
            _ => {}
        }
    }

    for (a, (from_span, to_span)) in inc.affected.iter().zip(&spans.affected) {
        if let Some(resolved) = inc.resolved.filter(|r| a.from > *r) {
            // Its end, given or defaulted, is then wrong too: one error says it.
            r.error(
                from_span.clone(),
                format!("this window starts ({}) after the incident was resolved ({})", show(a.from), show(resolved)),
                "windows lie between `started` and `resolved`",
            );
            continue;
        }
        if a.from < inc.started {
            r.error(
                from_span.clone(),
                format!("this window starts ({}) before the incident started ({})", show(a.from), show(inc.started)),
                "move `from` to or after `started`, or move `started` back",
            );
        }
        if let Some(to) = a.to {
            if to == a.from {
                r.error(
                    to_span.clone(),
                    format!("this window has no length: it ends when it starts ({})", show(to)),
                    "give `to` the time the status ended, later than `from`, or remove the window",
                );
            } else if to < a.from {
                r.error(
                    to_span.clone(),
                    format!("this window ends ({}) before it starts ({})", show(to), show(a.from)),
                    "`to` must be later than `from`",
                );
            } else if let Some(resolved) = inc.resolved.filter(|r| to > *r) {
                r.error(
                    to_span.clone(),
                    format!("this window ends ({}) after the incident was resolved ({})", show(to), show(resolved)),
                    "end the window at or before `resolved`, or leave `to` out to end it with the incident",
                );
            }
        }
    }

    if inc.affected.is_empty() && spans.affected_complete {
        for (credit, months_span) in inc.credits.iter().zip(&spans.credit_months) {
            if credit.months == CreditMonths::Affected {
                r.error(
                    months_span.clone(),
                    "months = \"affected\" but the incident has no [[affected]] window, so no month is affected",
                    "add the [[affected]] windows, or list the billing months: months = [\"2026-02\"]",
                );
            }
        }
    }
    if let (Some(pm), Some(span)) = (&inc.postmortem, &spans.postmortem_published) {
        if pm.published < inc.started {
            r.error(
                span.clone(),
                format!(
                    "the postmortem is published ({}) before the incident started ({})",
                    show(pm.published),
                    show(inc.started)
                ),
                "check `published`",
            );
        }
    }
    r.diags.count(crate::diagnostic::Severity::Error) == before
}

/// Cross-field checks of a maintenance.
pub fn maintenance(r: &mut FileReader, m: &Maintenance, spans: &MaintenanceSpans, site_zone: Tz) -> bool {
    let before = r.diags.count(crate::diagnostic::Severity::Error);
    let show = |t: Instant| display(t, site_zone);
    if m.scheduled_end <= m.scheduled_start {
        r.error(
            spans.end.clone(),
            format!(
                "`scheduled_end` ({}) is not after `scheduled_start` ({})",
                show(m.scheduled_end),
                show(m.scheduled_start)
            ),
            "a maintenance ends after it starts: check both times and their offsets",
        );
    }
    for (i, pair) in m.updates.windows(2).enumerate() {
        if pair[1].at == pair[0].at {
            r.error(
                spans.updates[i + 1].clone(),
                format!("update {} has the same time as the update before it ({})", i + 2, show(pair[1].at)),
                SAME_TIME_HINT,
            );
        }
        if pair[1].at < pair[0].at {
            r.error(
                spans.updates[i + 1].clone(),
                format!(
                    "update {} ({}) is earlier than the update before it ({})",
                    i + 2,
                    show(pair[1].at),
                    show(pair[0].at)
                ),
                "list updates oldest first: move this one up, or fix its time",
            );
        }
    }
    r.diags.count(crate::diagnostic::Severity::Error) == before
}
