//! Lints about maintenance: `unannounced-maintenance` (no update at all).
//!
//! A maintenance's updates are the only record of when customers were told
//! about it. Without one, the feeds, the calendar and the API have no
//! announcement time and date it by its scheduled start, which for an
//! upcoming window lies in the future: it sorts above current incidents and
//! the calendar's DTSTAMP is a time that has not happened yet.

use super::{Found, UNANNOUNCED_MAINTENANCE};
use crate::content::places::FilePlaces;
use crate::model::Maintenance;

pub fn check(m: &Maintenance, file: &FilePlaces, found: &mut Found) {
    let start = file.times.iter().find(|t| t.key == "scheduled_start");
    if let (true, Some(start)) = (m.updates.is_empty(), start) {
        found.warn(
            UNANNOUNCED_MAINTENANCE,
            start.at,
            "this maintenance has no update, so nothing says when it was announced: feeds, the calendar and \
             the API date it by its scheduled start"
                .into(),
            "add an [[updates]] with status = \"scheduled\", `at` when customers were told, and what will happen \
             (candor new maintenance writes one)",
        );
    }
}
