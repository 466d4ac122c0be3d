//! Edits to an incident's front matter: appending an update, setting
//! `resolved`, ending the affected windows. Each keeps what is around it
//! (comments, order, spacing) as the author wrote it.

use super::document::{replace_value, text_value};
use crate::time::{resolve, Instant};
use chrono_tz::Tz;
use toml_edit::{value, ArrayOfTables, Datetime, DocumentMut, Item, Table, TableLike, Value};

/// The tables of an array of tables, or of an inline array of tables.
pub fn tables_mut(item: &mut Item) -> Vec<&mut dyn TableLike> {
    match item {
        Item::ArrayOfTables(a) => a.iter_mut().map(|t| t as &mut dyn TableLike).collect(),
        Item::Value(Value::Array(a)) => {
            a.iter_mut().filter_map(|v| v.as_inline_table_mut()).map(|t| t as &mut dyn TableLike).collect()
        }
        _ => Vec::new(),
    }
}

/// Appends `[[updates]]` with `at`, `status` and `body`; returns how many
/// updates there are now.
pub fn append_update(front: &mut DocumentMut, at: Datetime, status: &str, body: &str) -> Result<usize, String> {
    let mut t = Table::new();
    t.insert("at", value(at));
    t.insert("status", value(status));
    t.insert("body", Item::Value(text_value(body)));
    push_table(front, "updates", t)
}

/// Appends a table to the array of tables `key` (or to its inline array of
/// tables), made when missing; returns how many tables it holds now.
pub fn push_table(front: &mut DocumentMut, key: &str, t: Table) -> Result<usize, String> {
    match front.get_mut(key) {
        None => {
            let mut list = ArrayOfTables::new();
            list.push(t);
            front.insert(key, Item::ArrayOfTables(list));
            Ok(1)
        }
        Some(Item::ArrayOfTables(list)) => {
            list.push(t);
            Ok(list.len())
        }
        Some(Item::Value(Value::Array(list))) => {
            // An array written one table per line gets the new one on a
            // line of its own too.
            let prefix = list.iter().last().and_then(|v| v.decor().prefix()).and_then(|p| p.as_str()).map(str::to_owned);
            list.push(t.into_inline_table());
            if let (Some(prefix), Some(new)) = (prefix.filter(|p| p.contains('\n')), list.iter_mut().last()) {
                new.decor_mut().set_prefix(prefix);
            }
            Ok(list.len())
        }
        Some(_) => Err(format!(
            "`{key}` is not a list of [[{key}]] tables, so nothing can be added to it: `candor check` says how to fix it"
        )),
    }
}

/// Sets `resolved`, placed after `started` (or `detected`, if later in the file).
pub fn set_resolved(front: &mut DocumentMut, at: Datetime) {
    front.insert("resolved", value(at));
    let keys: Vec<String> = front.iter().map(|(k, _)| k.to_owned()).collect();
    let place = |k: &str| keys.iter().position(|x| x == k);
    let Some(after) = ["started", "detected"].into_iter().filter_map(&place).max() else { return };
    let rank = |k: &str| if k == "resolved" { (after, 1) } else { (place(k).unwrap_or(usize::MAX), 0) };
    front.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
}

/// Before `resolved` is removed (`--reopen`): the windows that ended with
/// it (those without `to`) are given it as their `to`, so the time the
/// incident was over stays as the site showed it.
pub fn end_at_resolved(front: &mut DocumentMut) {
    let Some(resolved) = front.get("resolved").and_then(Item::as_datetime).copied() else { return };
    match front.get_mut("affected") {
        Some(Item::ArrayOfTables(list)) => {
            for t in list.iter_mut().filter(|t| !t.contains_key("to")) {
                t.insert("to", value(resolved));
            }
        }
        Some(Item::Value(Value::Array(list))) => {
            for t in list.iter_mut().filter_map(Value::as_inline_table_mut).filter(|t| !t.contains_key("to")) {
                t.insert("to", resolved.into());
                t.fmt();
            }
        }
        _ => {}
    }
}

/// Ends the `[[affected]]` windows still open at `now`: one without `to`
/// ends with `resolved` as the format says (so it is left as written); a
/// `to` later than now is moved to `at`. Returns how many were open.
pub fn close_windows(front: &mut DocumentMut, now: Instant, at: Datetime, zone: Tz) -> usize {
    let Some(affected) = front.get_mut("affected") else { return 0 };
    let mut open = 0;
    for window in tables_mut(affected) {
        let Some(to) = window.get_mut("to") else {
            open += 1;
            continue;
        };
        if to.as_datetime().and_then(|d| resolve(d, zone).ok()).is_some_and(|t| t > now) {
            replace_value(to, Value::from(at));
            open += 1;
        }
    }
    open
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::document::local_datetime;
    use chrono::{TimeZone, Utc};

    const FILE: &str = r#"# Opened by the on-call engineer.
title = "API errors"   # keep it short
impact    =    "major"
started = 2026-12-02T11:00:00-05:00
detected = 2026-12-02T11:05:00-05:00
# comment before the windows
[[affected]]
components = [ "api" ]   # only the API
status = "major_outage"

[[affected]]
components = ["db"]
status = "partial_outage"
to = 2026-12-02T13:00:00-05:00 # planned

[[affected]]
components = ["db"]
status = "degraded_performance"
to = 2026-12-02T11:30:00-05:00

[[updates]]
at = 2026-12-02T11:10:00-05:00
status = "investigating"
body = """
Looking into it."""
# trailing comment
"#;

    fn doc() -> DocumentMut {
        FILE.parse().unwrap()
    }

    fn ny() -> Tz {
        "America/New_York".parse().unwrap()
    }

    #[test]
    fn updates_are_appended_after_the_last_one() {
        let mut front = doc();
        let at = local_datetime(Utc.with_ymd_and_hms(2026, 12, 2, 16, 20, 0).unwrap(), ny());
        assert_eq!(append_update(&mut front, at, "identified", "Found it.").unwrap(), 2);
        let text = front.to_string();
        let expected = "body = \"\"\"\nLooking into it.\"\"\"\n\n[[updates]]\nat = 2026-12-02T11:20:00-05:00\nstatus = \"identified\"\nbody = \"Found it.\"\n# trailing comment\n";
        assert!(text.ends_with(expected), "{text}");
        assert!(text.starts_with(&FILE[..FILE.find("body = ").unwrap()]), "{text}");
    }

    #[test]
    fn inline_update_lists_get_an_inline_update() {
        let mut front: DocumentMut =
            "title = \"x\"\nupdates = [{ at = 2026-01-01T00:00:00Z, status = \"investigating\", body = \"a\" }]\n"
                .parse()
                .unwrap();
        let at = local_datetime(Utc.with_ymd_and_hms(2026, 1, 1, 1, 0, 0).unwrap(), chrono_tz::UTC);
        assert_eq!(append_update(&mut front, at, "monitoring", "b").unwrap(), 2);
        assert!(front
            .to_string()
            .contains("body = \"a\" }, { at = 2026-01-01T01:00:00+00:00, status = \"monitoring\", body = \"b\" }]"));
    }

    #[test]
    fn resolved_goes_after_the_last_of_started_and_detected() {
        let mut front = doc();
        let at = local_datetime(Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap(), ny());
        set_resolved(&mut front, at);
        let text = front.to_string();
        assert!(
            text.contains("detected = 2026-12-02T11:05:00-05:00\nresolved = 2026-12-02T12:00:00-05:00\n# comment before the windows\n[[affected]]"),
            "{text}"
        );
        let mut bare: DocumentMut = "started = 2026-01-01T00:00:00Z\ntitle = \"x\"\n".parse().unwrap();
        set_resolved(&mut bare, at);
        assert_eq!(
            bare.to_string(),
            "started = 2026-01-01T00:00:00Z\nresolved = 2026-12-02T12:00:00-05:00\ntitle = \"x\"\n"
        );
    }

    #[test]
    fn resolving_ends_open_windows_only() {
        let mut front = doc();
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap();
        let at = local_datetime(now, ny());
        assert_eq!(close_windows(&mut front, now, at, ny()), 2);
        let text = front.to_string();
        // The window without `to` ends with `resolved`; the planned end is moved
        // to now, its comment kept; the window already over is left alone.
        assert!(text.contains("components = [ \"api\" ]   # only the API\nstatus = \"major_outage\"\n\n"), "{text}");
        assert!(text.contains("to = 2026-12-02T12:00:00-05:00 # planned\n"), "{text}");
        assert!(text.contains("to = 2026-12-02T11:30:00-05:00\n"), "{text}");
    }

    #[test]
    fn a_table_added_to_an_array_written_one_per_line_gets_a_line_of_its_own() {
        let mut front: DocumentMut =
            "updates = [\n  { at = 2026-01-01T00:00:00Z, status = \"investigating\", body = \"a\" },\n]\n"
                .parse()
                .unwrap();
        let mut t = Table::new();
        t.insert("status", value("monitoring"));
        assert_eq!(push_table(&mut front, "updates", t), Ok(2));
        assert_eq!(
            front.to_string(),
            "updates = [\n  { at = 2026-01-01T00:00:00Z, status = \"investigating\", body = \"a\" },\n  { status = \"monitoring\" },\n]\n"
        );
    }

    #[test]
    fn reopening_ends_the_windows_that_ended_with_resolved_there_inline_ones_too() {
        let mut front: DocumentMut = "resolved = 2026-01-01T05:00:00Z\naffected = [{ components = [\"api\"], status = \"major_outage\" }, { components = [\"db\"], status = \"major_outage\", to = 2026-01-01T01:00:00Z }]\n"
            .parse()
            .unwrap();
        end_at_resolved(&mut front);
        assert_eq!(
            front.to_string(),
            "resolved = 2026-01-01T05:00:00Z\naffected = [{ components = [\"api\"], status = \"major_outage\", to = 2026-01-01T05:00:00Z }, { components = [\"db\"], status = \"major_outage\", to = 2026-01-01T01:00:00Z }]\n"
        );
    }
}
