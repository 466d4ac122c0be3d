//! What silences or tunes the lints: `allow = [...]` in a file's front
//! matter, and the `[lints]` table of status.toml. Both are read while
//! loading, with the same spanned reader as everything else, so an unknown
//! code is an error at its line with a "did you mean".

use super::CODES;
use crate::content::reader::{FileReader, Key, Table};
use crate::diagnostic::did_you_mean;

/// `[lints]` in status.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintSettings {
    /// Days after `resolved` by which a major or critical incident needs a postmortem.
    pub postmortem_days: u32,
    /// Codes silenced everywhere.
    pub allow: Vec<String>,
}

impl Default for LintSettings {
    fn default() -> Self {
        LintSettings { postmortem_days: 7, allow: Vec::new() }
    }
}

const LINTS: &[Key] =
    &[Key::opt("postmortem_days", "postmortem_days = 7"), Key::opt("allow", "allow = [\"overdue-action\"]")];

/// Reads `[lints]` from status.toml's top table (defaults when absent).
pub fn read(r: &mut FileReader, top: &Table) -> LintSettings {
    let mut settings = LintSettings::default();
    let Some((table, span)) = r.sub_table(top, "lints") else { return settings };
    let t = r.table(table, span, "[lints]", LINTS);
    if let Some(days) = r.integer(&t, "postmortem_days") {
        match u32::try_from(days.value) {
            Ok(n) if (1..=3660).contains(&n) => settings.postmortem_days = n,
            _ => r.error(
                days.span,
                "`postmortem_days` must be between 1 and 3660",
                "the default is 7: a postmortem within a week of the resolution",
            ),
        }
    }
    settings.allow = allow_list(r, &t);
    settings
}

/// The `allow` list of a table: known lint codes only, each reported with
/// a suggestion when it is not one.
pub fn allow_list(r: &mut FileReader, t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for code in r.strings(t, "allow").unwrap_or_default() {
        if CODES.contains(&code.value.as_str()) {
            if !out.contains(&code.value) {
                out.push(code.value);
            }
            continue;
        }
        let hint = match did_you_mean(&code.value, CODES.iter().copied()) {
            Some(near) => format!("did you mean \"{near}\"?"),
            None => format!("the lint codes are: {}", CODES.join(", ")),
        };
        r.error(code.span, format!("`allow` names an unknown lint \"{}\"", code.value), hint);
    }
    out
}
