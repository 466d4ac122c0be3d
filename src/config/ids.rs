//! Ids in `status.toml`: their shape, their uniqueness, a valid id to
//! suggest for one that is not, and the hint for an id nothing defines.

use crate::content::reader::{FileReader, Located};
use crate::diagnostic::did_you_mean;
use std::collections::BTreeSet;

/// Is `id` a valid id: `[a-z0-9-]+`?
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks an id's shape and uniqueness among `seen`.
pub(super) fn check_id(r: &mut FileReader, id: &Located<String>, kind: &str, seen: &mut BTreeSet<String>) -> bool {
    if !is_valid_id(&id.value) {
        r.error(
            id.span.clone(),
            format!("{kind} id \"{}\" may only hold a-z, 0-9 and -", id.value),
            format!("write e.g. \"{}\"", suggest_id(&id.value)),
        );
        return false;
    }
    if !seen.insert(id.value.clone()) {
        r.error(
            id.span.clone(),
            format!("duplicate {kind} id \"{}\"", id.value),
            format!("each {kind} needs its own id"),
        );
        return false;
    }
    true
}

/// A valid id close to what the author wrote ("US West_2" -> "us-west-2").
pub fn suggest_id(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "my-id".into()
    } else {
        trimmed.into()
    }
}

/// "did you mean" among known ids, else the list of known ids.
pub fn unknown_hint<'a>(word: &str, known: impl Iterator<Item = &'a str> + Clone, defined_in: &str) -> String {
    let all: Vec<&str> = known.collect();
    if all.is_empty() {
        return format!("status.toml defines no {defined_in}: add one with id = \"{word}\"");
    }
    match did_you_mean(word, all.iter().copied()) {
        Some(near) => format!("did you mean \"{near}\"?"),
        None if all.len() <= 12 => format!("known ids: {} (defined by {defined_in} in status.toml)", all.join(", ")),
        None => format!("add it to status.toml as {defined_in}, or use one of the {} defined there", all.len()),
    }
}
