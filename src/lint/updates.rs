//! Lints about an incident's updates: `stale-update` (the promised next
//! update is overdue), `repeated-update` (it says again what an earlier one
//! said) and `vague-update` (it says nothing specific).

use super::similarity::Shingles;
use super::wording::{vague, Vague, MIN_WORDS};
use super::{Found, REPEATED_UPDATE, STALE_UPDATE, VAGUE_UPDATE};
use crate::config::Config;
use crate::content::places::FilePlaces;
use crate::model::{Incident, UpdateStatus};
use crate::time::{display, human_duration, Instant};
use chrono::Duration;

/// `repeated-update` fires when at least this share of an update's word
/// 3-shingles were already in one earlier update.
pub const REPEAT_THRESHOLD: f64 = 0.8;

/// `repeated-update` compares an update with this many updates before it,
/// not with all of them: comparing every pair made an incident of 10,000
/// updates take seconds, and a repeat is of a recent update.
pub const REPEAT_WINDOW: usize = 50;

/// The first update may be vague ("we are investigating") if it is posted
/// within this long of `started`.
pub const FIRST_UPDATE_GRACE: Duration = Duration::hours(1);

/// `repeated-update` and `vague-update`: what the updates say. They read
/// only the updates (texts, times, places) and `started`, never the clock
/// or the configuration, so a long-running process can keep their result
/// while the incident's file is unchanged ([`super::memory`]); they are
/// also the costly lints.
pub fn wording(inc: &Incident, file: &FilePlaces, found: &mut Found) {
    let shingles: Vec<Shingles> = inc.updates.iter().map(|u| Shingles::of(&u.body)).collect();
    for (i, (update, places)) in inc.updates.iter().zip(&file.updates).enumerate() {
        let number = i + 1;
        let from = i.saturating_sub(REPEAT_WINDOW);
        let repeat = shingles[from..i]
            .iter()
            .enumerate()
            .filter_map(|(j, earlier)| Some((shingles[i].contained_in(earlier)?, from + j + 1)))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((share, earlier)) = repeat.filter(|(share, _)| *share >= REPEAT_THRESHOLD) {
            found.warn(
                REPEATED_UPDATE,
                places.body,
                format!(
                    "update {number} says little that update {earlier} did not: {:.0}% of its three-word phrases \
                     are in update {earlier} (containment of word 3-shingles; the limit is {:.0}%)",
                    share * 100.0,
                    REPEAT_THRESHOLD * 100.0
                ),
                &format!("say what changed since update {earlier}: what was found or done, what customers should do, and when the next update comes"),
            );
            continue;
        }
        let exempt = i == 0 && update.at - inc.started <= FIRST_UPDATE_GRACE;
        let why = match vague(&update.body) {
            _ if exempt => continue,
            None => continue,
            Some(Vague::Short(words)) => format!(
                "update {number} has only {words} word{} (fewer than {MIN_WORDS}), so it cannot say anything specific",
                if words == 1 { "" } else { "s" }
            ),
            Some(Vague::Boilerplate(phrase)) => {
                format!("update {number} says only what any update says (\"{phrase}\" and the like)")
            }
        };
        found.warn(
            VAGUE_UPDATE,
            places.body,
            why,
            "say what is affected, what was found or done since the last update, and when the next update comes",
        );
    }
}

/// `stale-update`: an open incident whose latest update (at or before
/// `now`) is older than `update_interval`, unless that update already said
/// "resolved".
pub fn stale(inc: &Incident, file: &FilePlaces, config: &Config, now: Instant, found: &mut Found) {
    if inc.resolved.is_some() || inc.started > now {
        return;
    }
    let latest = inc.updates.iter().zip(&file.updates).rfind(|(u, _)| u.at <= now);
    // A last update that says "resolved" ended the promise (validation
    // warns that `resolved` is missing).
    let Some((update, places)) = latest.filter(|(u, _)| u.status != UpdateStatus::Resolved) else { return };
    let age = now - update.at;
    if age <= config.update_interval {
        return;
    }
    found.warn(
        STALE_UPDATE,
        places.at,
        format!(
            "customers were promised an update every {}; the last one was {} ago ({})",
            interval(config.update_interval),
            human_duration(age),
            display(update.at, config.timezone)
        ),
        "post an update that says what changed and when the next one comes, or resolve the incident",
    );
}

/// "60 minutes", "90 minutes", "2 hours", "1 d 6 h".
fn interval(d: Duration) -> String {
    let minutes = d.num_minutes();
    match minutes {
        0 => format!("{} seconds", d.num_seconds()),
        1 => "minute".into(),
        m if m <= 120 || (m % 60 != 0 && m < 1440) => format!("{m} minutes"),
        m if m % 60 == 0 && m < 1440 => format!("{} hours", m / 60),
        _ => human_duration(d),
    }
}

#[cfg(test)]
mod tests {
    use super::interval;
    use chrono::Duration;

    #[test]
    fn intervals_read_as_people_say_them() {
        assert_eq!(interval(Duration::minutes(60)), "60 minutes");
        assert_eq!(interval(Duration::minutes(90)), "90 minutes");
        assert_eq!(interval(Duration::hours(4)), "4 hours");
        assert_eq!(interval(Duration::minutes(150)), "150 minutes");
        assert_eq!(interval(Duration::days(1)), "1 d");
        assert_eq!(interval(Duration::seconds(45)), "45 seconds");
    }
}
