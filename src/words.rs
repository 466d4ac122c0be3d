//! English for people, shared by every stage that writes to them (pages,
//! feeds, posts, the editing commands' messages, lint notes): counts, lists,
//! month names, the headline for an overall status, "... ago".

use crate::model::ComponentStatus;
use chrono::Duration;

/// The banner's words for the site's overall status.
pub fn headline(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::Operational => "All systems operational",
        ComponentStatus::UnderMaintenance => "Maintenance in progress",
        ComponentStatus::DegradedPerformance => "Degraded performance",
        ComponentStatus::PartialOutage => "Partial outage",
        ComponentStatus::MajorOutage => "Major outage",
    }
}

/// "February 2012".
pub fn month_label(year: i32, month: u32) -> String {
    chrono::NaiveDate::from_ymd_opt(year, month, 1).map(|d| d.format("%B %Y").to_string()).unwrap_or_default()
}

/// "a, b and c".
pub fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "1 service", "3 services".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "14 min ago", "1 h 5 min ago", "less than a minute ago".
pub fn ago(d: Duration) -> String {
    format!("{} ago", crate::time::human_duration(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_people() {
        assert_eq!(month_label(2012, 2), "February 2012");
        assert_eq!(join_words(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(join_words(&["a".into()]), "a");
        assert_eq!(
            (count(1, "service", "services"), count(3, "service", "services")),
            ("1 service".into(), "3 services".into())
        );
        assert_eq!(headline(ComponentStatus::UnderMaintenance), "Maintenance in progress");
        assert_eq!(headline(ComponentStatus::PartialOutage), "Partial outage");
        assert_eq!(ago(Duration::minutes(14)), "14 min ago");
    }
}
