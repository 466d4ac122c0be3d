//! Reading one typed value out of an opened [`Table`]: strings, numbers,
//! choices, datetimes, dates, arrays and sub-tables, each problem reported
//! at the value's span, and text cleaned of what no page can show.

use super::{FileReader, Located, ReadTime, Table};
use crate::diagnostic::did_you_mean;
use crate::time::{self, Instant};
use chrono::NaiveDate;
use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

impl FileReader<'_> {
    fn value_of<'t, 'i>(&mut self, t: &Table<'t, 'i>, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        t.table.get(key)
    }

    fn wrong_type(&mut self, t: &Table, key: &str, value: &Spanned<DeValue>, expected: &str) {
        self.error(
            value.span(),
            format!("`{key}` in {} must be {expected}, not {}", t.what, article(value.get_ref().type_str())),
            format!("write e.g. {}", t.example(key).map(str::to_owned).unwrap_or_else(|| example_for(expected, key))),
        );
    }

    pub fn string(&mut self, t: &Table, key: &str) -> Option<Located<String>> {
        let value = self.value_of(t, key)?;
        match value.get_ref() {
            DeValue::String(s) => {
                Some(Located { value: self.without_controls(s, key, value.span()), span: value.span() })
            }
            _ => {
                self.wrong_type(t, key, value, "a string");
                None
            }
        }
    }

    /// The Markdown body after the front matter, cleaned like every string.
    /// `offset` is where the body starts, relative to the front matter.
    pub fn body(&mut self, body: &str, offset: usize) -> String {
        match first_unshowable(body) {
            None => body.to_owned(),
            Some((at, bad)) => self.removed(body, bad, "the Markdown body", offset + at..offset + at + 1),
        }
    }

    /// Control characters (other than tab and line breaks) and the
    /// noncharacters U+FFFE and U+FFFF cannot be shown and are not allowed
    /// in XML (feeds, badges): they are removed, with a warning.
    fn without_controls(&mut self, text: &str, key: &str, span: Range<usize>) -> String {
        match first_unshowable(text) {
            None => text.to_owned(),
            Some((_, bad)) => self.removed(text, bad, key, span),
        }
    }

    /// `text` without what [`unshowable`] says, `bad` the first of it,
    /// and a warning saying so at `span`.
    fn removed(&mut self, text: &str, bad: char, key: &str, span: Range<usize>) -> String {
        let kind = if bad.is_control() { "control character" } else { "noncharacter" };
        self.warning(
            span,
            format!("{} contains the invisible {kind} U+{:04X}; it is left out of the site", quoted(key), bad as u32),
            "remove it from the text (it often comes from copying out of a terminal)",
        );
        text.chars().filter(|c| !unshowable(*c)).collect()
    }

    /// A string that must be non-empty once trimmed.
    pub fn text(&mut self, t: &Table, key: &str) -> Option<Located<String>> {
        let s = self.string(t, key)?;
        if s.value.trim().is_empty() {
            self.error(s.span.clone(), format!("`{key}` in {} is empty", t.what), "write the text, or remove the key");
            return None;
        }
        Some(s)
    }

    pub fn integer(&mut self, t: &Table, key: &str) -> Option<Located<i64>> {
        let value = self.value_of(t, key)?;
        match value.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                Ok(n) => Some(Located { value: n, span: value.span() }),
                Err(_) => {
                    self.error(value.span(), format!("`{key}` is out of range"), "write a smaller number");
                    None
                }
            },
            _ => {
                self.wrong_type(t, key, value, "an integer");
                None
            }
        }
    }

    pub fn float(&mut self, t: &Table, key: &str) -> Option<Located<f64>> {
        let value = self.value_of(t, key)?;
        let parsed = match value.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
            DeValue::Integer(i) => i.as_str().replace('_', "").parse().ok(),
            _ => None,
        };
        match parsed {
            Some(n) => Some(Located { value: n, span: value.span() }),
            None => {
                self.wrong_type(t, key, value, "a number");
                None
            }
        }
    }

    /// A string that must be one of `allowed`.
    pub fn choice(&mut self, t: &Table, key: &str, allowed: &[&'static str]) -> Option<Located<&'static str>> {
        let s = self.string(t, key)?;
        if let Some(found) = allowed.iter().find(|a| **a == s.value) {
            return Some(Located { value: found, span: s.span });
        }
        let hint = match did_you_mean(&s.value, allowed.iter().copied()) {
            Some(near) => format!("did you mean \"{near}\"? ({} is one of: {})", key, allowed.join(", ")),
            None => format!("`{key}` is one of: {}", allowed.join(", ")),
        };
        self.error(s.span, format!("`{key}` in {} cannot be \"{}\"", t.what, s.value), hint);
        None
    }

    /// A datetime as an instant: offset datetimes as written, local ones in the file's zone.
    pub fn instant(&mut self, t: &Table, key: &str) -> Option<Located<Instant>> {
        let value = self.value_of(t, key)?;
        let span = value.span();
        let DeValue::Datetime(dt) = value.get_ref() else {
            self.wrong_type(t, key, value, "a datetime");
            return None;
        };
        if self.already_reported(&span) {
            return None;
        }
        match time::resolve(dt, self.zone) {
            Ok(instant) => {
                let offset = dt.offset.map(|o| match o {
                    toml::value::Offset::Z => 0,
                    toml::value::Offset::Custom { minutes } => minutes,
                });
                self.times.push(ReadTime {
                    key: key.to_owned(),
                    table: t.what.clone(),
                    span: span.clone(),
                    instant,
                    offset,
                    zone: self.zone,
                });
                Some(Located { value: instant, span })
            }
            Err(e) => {
                self.error(span, format!("`{key}`: {e}"), e.hint());
                None
            }
        }
    }

    /// A date, meaning the start of that day in the reader's zone, or a
    /// datetime (as [`FileReader::instant`]).
    pub fn day_or_instant(&mut self, t: &Table, key: &str) -> Option<Located<Instant>> {
        if let Some(DeValue::Datetime(dt)) = self.value_of(t, key).map(|v| v.get_ref()) {
            if dt.time.is_none() {
                let date = self.date(t, key)?;
                return Some(Located { value: time::day_start(date.value, self.zone), span: date.span });
            }
        }
        self.instant(t, key)
    }

    /// A plain calendar date (no time).
    pub fn date(&mut self, t: &Table, key: &str) -> Option<Located<NaiveDate>> {
        let value = self.value_of(t, key)?;
        let span = value.span();
        let DeValue::Datetime(dt) = value.get_ref() else {
            self.wrong_type(t, key, value, "a date");
            return None;
        };
        if self.already_reported(&span) {
            return None;
        }
        match time::resolve_date(dt) {
            Ok(date) => Some(Located { value: date, span }),
            Err(e) => {
                let hint = match e {
                    time::TimeError::OutOfRange(_) => "check the year for a typo, e.g. 2026-06-30",
                    _ => "write a date without a time, e.g. 2026-06-30",
                };
                self.error(span, format!("`{key}`: {e}"), hint);
                None
            }
        }
    }

    fn already_reported(&self, span: &Range<usize>) -> bool {
        self.reported.iter().any(|r| r.start < span.end && span.start < r.end)
    }

    /// An array of strings.
    pub fn strings(&mut self, t: &Table, key: &str) -> Option<Vec<Located<String>>> {
        let value = self.value_of(t, key)?;
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(t, key, value, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    let value = self.without_controls(s, key, item.span());
                    out.push(Located { value, span: item.span() })
                }
                other => self.error(
                    item.span(),
                    format!("`{key}` in {} must hold strings, not {}", t.what, article(other.type_str())),
                    "quote each entry, e.g. [\"us-west\", \"eu-west\"]",
                ),
            }
        }
        Some(out)
    }

    /// Either a string or an array of strings (`months = "affected"` or a list).
    pub fn string_or_strings(&mut self, t: &Table, key: &str) -> Option<Result<Located<String>, Vec<Located<String>>>> {
        let value = self.value_of(t, key)?;
        match value.get_ref() {
            DeValue::String(_) => self.string(t, key).map(Ok),
            DeValue::Array(_) => self.strings(t, key).map(Err),
            _ => {
                self.wrong_type(t, key, value, "a string or an array of strings");
                None
            }
        }
    }

    /// An array of tables (`[[updates]]`), each with its span.
    pub fn tables<'t, 'i>(&mut self, t: &Table<'t, 'i>, key: &str) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some(value) = t.table.get(key) else { return Vec::new() };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(t, key, value, &format!("an array of tables ([[{key}]])"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(table) => out.push((table, item.span())),
                other => self.error(
                    item.span(),
                    format!("each entry of `{key}` must be a table, not {}", article(other.type_str())),
                    format!("write each one as a [[{key}]] section"),
                ),
            }
        }
        out
    }

    /// A sub-table (`[postmortem]`).
    pub fn sub_table<'t, 'i>(&mut self, t: &Table<'t, 'i>, key: &str) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let value = t.table.get(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some((table, value.span())),
            _ => {
                self.wrong_type(t, key, value, &format!("a table ([{key}])"));
                None
            }
        }
    }
}

/// `key` in backquotes, or a description ("the Markdown body") as it is.
fn quoted(key: &str) -> String {
    if key.contains(' ') {
        key.to_owned()
    } else {
        format!("`{key}`")
    }
}

fn article(type_name: &str) -> String {
    match type_name.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {type_name}"),
        _ => format!("a {type_name}"),
    }
}

fn example_for(expected: &str, key: &str) -> String {
    match expected {
        "a string" => format!("{key} = \"...\""),
        "an integer" | "a number" => format!("{key} = 10"),
        "a datetime" => format!("{key} = 2026-03-01T09:30:00Z"),
        "a date" => format!("{key} = 2026-06-30"),
        "an array of strings" | "a string or an array of strings" => format!("{key} = [\"...\"]"),
        other => format!("{key} as {other}"),
    }
}

/// A character no text of a site may hold: a control character other than
/// tab and line breaks, or U+FFFE / U+FFFF, which XML 1.0 forbids.
fn unshowable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Where the first [`unshowable`] character of `text` is, and which. Most
/// text has none, and is checked by its bytes first: printable ASCII, tab
/// and line breaks, and every byte of a longer character except the lead
/// bytes of U+0080 to U+00BF (C2, which holds the C1 controls) and of
/// U+F000 to U+FFFF (EF, which holds U+FFFE and U+FFFF).
fn first_unshowable(text: &str) -> Option<(usize, char)> {
    let plain = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E) || (*b >= 0x80 && !matches!(b, 0xC2 | 0xEF));
    if text.as_bytes().iter().all(plain) {
        return None;
    }
    text.char_indices().find(|(_, c)| unshowable(*c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Characters at the edges of what the byte check passes: controls,
    /// DEL, the C1 controls and their neighbours under the C2 lead byte,
    /// the noncharacters and their neighbours under EF, and others.
    fn edgy() -> impl Strategy<Value = char> {
        prop_oneof![
            (0u32..0x21).prop_map(|c| char::from_u32(c).unwrap()),
            (0x7Du32..0xC1).prop_map(|c| char::from_u32(c).unwrap()),
            (0xFFF0u32..=0xFFFF).prop_map(|c| char::from_u32(c).unwrap()),
            Just('\u{F000}'),
            Just('é'),
            Just('€'),
            Just('😀'),
            Just('a'),
        ]
    }

    proptest! {
        #[test]
        fn the_byte_check_finds_what_the_character_rule_finds(text in proptest::collection::vec(edgy(), 0..12).prop_map(String::from_iter), any in any::<String>()) {
            for t in [&text, &any] {
                prop_assert_eq!(first_unshowable(t), t.char_indices().find(|(_, c)| unshowable(*c)), "{:?}", t);
            }
        }
    }
}
