//! Which billing months an incident touches, and its credits in words.

use crate::model::{CreditMonths, Incident};
use crate::time::{local_month, Instant};
use chrono::Duration;
use chrono_tz::Tz;

/// Every (year, month) in `zone` that an impact window of the incident
/// touches; open windows count up to `now`. Sorted, each once.
pub fn touched_months(incident: &Incident, zone: Tz, now: Instant) -> Vec<(i32, u32)> {
    let mut months = Vec::new();
    for w in &incident.affected {
        let end = w.end_at(now);
        // Windows are half-open: the month of the last instant inside.
        let last = if end > w.from { end - Duration::nanoseconds(1) } else { w.from };
        let (mut y, mut m) = local_month(w.from, zone);
        let stop = local_month(last, zone);
        loop {
            if !months.contains(&(y, m)) {
                months.push((y, m));
            }
            if (y, m) >= stop {
                break;
            }
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
    months.sort();
    months
}

/// The months a credit applies to.
pub fn credit_months(months: &CreditMonths, incident: &Incident, zone: Tz, now: Instant) -> Vec<(i32, u32)> {
    match months {
        CreditMonths::Affected => touched_months(incident, zone, now),
        CreditMonths::Listed(list) => list.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Affected, ComponentStatus, Impact};
    use chrono::{DateTime, Utc};

    fn t(s: &str) -> Instant {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn incident(windows: &[(&str, Option<&str>)]) -> Incident {
        Incident {
            id: "i".into(),
            source: "i.md".into(),
            title: "t".into(),
            impact: Impact::Critical,
            started: t(windows[0].0),
            detected: None,
            resolved: None,
            affected: windows
                .iter()
                .map(|(from, to)| Affected {
                    components: vec!["c".into()],
                    regions: None,
                    status: ComponentStatus::MajorOutage,
                    from: t(from),
                    to: to.map(t),
                })
                .collect(),
            updates: vec![],
            postmortem: None,
            credits: vec![],
            body: "".into(),
        }
    }

    #[test]
    fn the_2012_outage_touches_two_months_in_utc_and_in_pacific_time() {
        // Feb 28 16:00 PST .. Mar 1 02:15 PST
        let i = incident(&[("2012-02-29T00:00:00Z", Some("2012-03-01T10:15:00Z"))]);
        let now = t("2013-01-01T00:00:00Z");
        assert_eq!(touched_months(&i, chrono_tz::UTC, now), vec![(2012, 2), (2012, 3)]);
        // In Los Angeles it ends at 02:15 on March 1st too: still two months.
        assert_eq!(touched_months(&i, chrono_tz::America::Los_Angeles, now), vec![(2012, 2), (2012, 3)]);
        let short = incident(&[("2012-02-29T00:00:00Z", Some("2012-02-29T10:00:00Z"))]);
        // 16:00-02:00 PST on Feb 28/29 is February in both zones.
        assert_eq!(touched_months(&short, chrono_tz::America::Los_Angeles, now), vec![(2012, 2)]);
        assert_eq!(touched_months(&short, chrono_tz::UTC, now), vec![(2012, 2)]);
    }

    #[test]
    fn an_outage_into_march_in_utc_is_february_only_in_pacific_time() {
        // Feb 29 00:00 UTC .. Mar 1 05:00 UTC is Feb 28 16:00 .. Feb 29 21:00 PST.
        let i = incident(&[("2012-02-29T00:00:00Z", Some("2012-03-01T05:00:00Z"))]);
        let now = t("2013-01-01T00:00:00Z");
        assert_eq!(touched_months(&i, chrono_tz::UTC, now), vec![(2012, 2), (2012, 3)]);
        assert_eq!(touched_months(&i, chrono_tz::America::Los_Angeles, now), vec![(2012, 2)]);
    }

    #[test]
    fn a_window_ending_exactly_at_midnight_does_not_touch_the_next_month() {
        let i = incident(&[("2100-02-28T12:00:00Z", Some("2100-03-01T00:00:00Z"))]);
        assert_eq!(touched_months(&i, chrono_tz::UTC, t("2101-01-01T00:00:00Z")), vec![(2100, 2)]);
        let i = incident(&[("2100-02-28T12:00:00Z", Some("2100-03-01T00:00:01Z"))]);
        assert_eq!(touched_months(&i, chrono_tz::UTC, t("2101-01-01T00:00:00Z")), vec![(2100, 2), (2100, 3)]);
    }

    #[test]
    fn month_end_in_billing_zone_but_not_in_site_zone() {
        // 2025-09-30 20:00 .. 23:30 Pacific is already October in UTC.
        let i = incident(&[("2025-10-01T03:00:00Z", Some("2025-10-01T06:30:00Z"))]);
        let now = t("2026-01-01T00:00:00Z");
        assert_eq!(touched_months(&i, chrono_tz::America::Los_Angeles, now), vec![(2025, 9)]);
        assert_eq!(touched_months(&i, chrono_tz::UTC, now), vec![(2025, 10)]);
    }

    #[test]
    fn open_windows_run_to_now_across_a_year_end() {
        let i = incident(&[("2025-12-31T23:00:00Z", None)]);
        assert_eq!(touched_months(&i, chrono_tz::UTC, t("2026-01-01T01:00:00Z")), vec![(2025, 12), (2026, 1)]);
    }
}
