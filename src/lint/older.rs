//! Quiet builds. A site with years of history carries thousands of lint
//! warnings about incidents long closed; printed in full on every build
//! they bury the one that matters now. `build` and `serve` print in full
//! the warnings of what is current (open incidents, those resolved within
//! `recent_days`, maintenance not over for longer than that, every other
//! file) and count the rest by code; `check` lists everything.

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Warnings split into those shown in full and those counted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Quiet {
    /// In the order given.
    pub shown: Vec<Diagnostic>,
    /// Warnings about older incidents and maintenance, counted by code
    /// (`None` for those without one), most first, then by code.
    pub older: Vec<(Option<&'static str>, usize)>,
}

/// Splits `warnings` at the site's clock: those about incidents resolved,
/// or maintenance ended, more than `recent_days` ago are counted.
pub fn quiet(site: &Site, warnings: Vec<Diagnostic>) -> Quiet {
    let since = site.now - chrono::Duration::days(site.config.recent_days.into());
    let old: BTreeSet<&PathBuf> = site
        .incidents
        .iter()
        .filter(|i| i.resolved.is_some_and(|r| r <= site.now && r < since))
        .map(|i| &i.source)
        .chain(site.maintenance.iter().filter(|m| m.scheduled_end < since).map(|m| &m.source))
        .collect();
    let mut counts: BTreeMap<Option<&'static str>, usize> = BTreeMap::new();
    let mut shown = Vec::new();
    for w in warnings {
        if old.contains(&w.path) {
            *counts.entry(w.code).or_default() += 1;
        } else {
            shown.push(w);
        }
    }
    let mut older: Vec<_> = counts.into_iter().collect();
    older.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Quiet { shown, older }
}

/// "26,820 repeated-update warnings and 12 missing-postmortem warnings on
/// older incidents and maintenance: `candor check` lists them", or `None`.
pub fn older_line(older: &[(Option<&'static str>, usize)]) -> Option<String> {
    if older.is_empty() {
        return None;
    }
    let parts: Vec<String> = older
        .iter()
        .map(|(code, n)| {
            let s = if *n == 1 { "" } else { "s" };
            match code {
                Some(code) => format!("{} {code} warning{s}", thousands(*n)),
                None => format!("{} other warning{s}", thousands(*n)),
            }
        })
        .collect();
    let total: usize = older.iter().map(|(_, n)| n).sum();
    let them = if total == 1 { "it" } else { "them" };
    Some(format!(
        "{} on incidents and maintenance over for more than recent_days: `candor check` lists {them}",
        crate::words::join_words(&parts)
    ))
}

/// 26820 -> "26,820".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_a_sentence() {
        assert_eq!(older_line(&[]), None);
        assert_eq!(
            older_line(&[(Some("repeated-update"), 26_820), (Some("missing-postmortem"), 1), (None, 2)]).unwrap(),
            "26,820 repeated-update warnings, 1 missing-postmortem warning and 2 other warnings on incidents and maintenance over for more than recent_days: `candor check` lists them"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
