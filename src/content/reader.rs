//! Reads typed fields out of a spanned TOML table, turning every problem
//! into a diagnostic at the right place instead of stopping at the first.
//!
//! serde's derive stops at the first unknown key or wrong type; an incident
//! commander fixing a file during an outage wants every mistake at once, so
//! front matter is read field by field from `toml::de::DeTable`, which keeps
//! the span of every key and value.
mod syntax;
mod values;

pub use syntax::parse_toml;

use crate::diagnostic::{did_you_mean, Diagnostics, SourceMap};
use crate::time::Instant;
use chrono_tz::Tz;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::de::DeTable;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// A key a table accepts, with an example line for hints.
pub struct Key {
    pub name: &'static str,
    pub required: bool,
    pub example: &'static str,
}

impl Key {
    pub const fn req(name: &'static str, example: &'static str) -> Key {
        Key { name, required: true, example }
    }
    pub const fn opt(name: &'static str, example: &'static str) -> Key {
        Key { name, required: false, example }
    }
}

/// One file being read: where to report, and the file's zone for local datetimes.
pub struct FileReader<'a> {
    pub map: &'a SourceMap,
    pub diags: &'a mut Diagnostics,
    pub zone: Tz,
    /// Every datetime read so far, as written (for the lints).
    pub times: Vec<ReadTime>,
    /// Values the TOML parser already reported as impossible dates.
    reported: Vec<Range<usize>>,
}

/// A datetime as it was written, kept for checks that run after loading
/// (the lints compare it with the clock and with its zone).
#[derive(Debug, Clone)]
pub struct ReadTime {
    pub key: String,
    /// The table it sits in, as messages name it (`[[updates]]`).
    pub table: String,
    pub span: Range<usize>,
    pub instant: Instant,
    /// Minutes east of UTC as written; `Some(0)` for `Z`; `None` for a
    /// local datetime, read in `zone`.
    pub offset: Option<i16>,
    /// The zone local datetimes of this file are read in.
    pub zone: Tz,
}

impl<'a> FileReader<'a> {
    pub fn new(map: &'a SourceMap, diags: &'a mut Diagnostics, zone: Tz, reported: Vec<Range<usize>>) -> Self {
        FileReader { map, diags, zone, times: Vec::new(), reported }
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.error(self.map, span, message).hint(hint);
    }

    pub fn warning(&mut self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.warning(self.map, span, message).hint(hint);
    }

    /// Opens a table: reports unknown keys (with a near-miss suggestion) and
    /// missing required keys, then lets the caller read fields.
    pub fn table<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        span: Range<usize>,
        what: &str,
        keys: &'static [Key],
    ) -> Table<'t, 'i> {
        let names: Vec<&str> = keys.iter().map(|k| k.name).collect();
        // A misspelt required key is one mistake, not two.
        let mut suggested = BTreeSet::new();
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if names.contains(&name) {
                continue;
            }
            let hint = match did_you_mean(name, names.iter().copied()) {
                Some(near) => {
                    suggested.insert(near);
                    format!("did you mean `{near}`?")
                }
                None => format!("{what} accepts: {}", names.join(", ")),
            };
            self.error(key.span(), format!("unknown key `{name}` in {what}"), hint);
        }
        let present: BTreeSet<&str> = table.iter().map(|(k, _)| k.get_ref().as_ref()).collect();
        for key in keys.iter().filter(|k| k.required && !present.contains(k.name) && !suggested.contains(k.name)) {
            self.error(
                span.clone(),
                format!("missing required key `{}` in {what}", key.name),
                format!("add it, e.g. {}", key.example),
            );
        }
        Table { table, span, what: what.to_owned(), keys }
    }
}

/// A table opened by [`FileReader::table`].
pub struct Table<'t, 'i> {
    table: &'t DeTable<'i>,
    pub span: Range<usize>,
    what: String,
    keys: &'static [Key],
}

impl Table<'_, '_> {
    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// The example line of a key, for hints.
    fn example(&self, key: &str) -> Option<&'static str> {
        self.keys.iter().find(|k| k.name == key).map(|k| k.example)
    }

    /// The span of a key's value, to point at it later.
    pub fn span_of(&self, key: &str) -> Option<Range<usize>> {
        self.table.get(key).map(|v| v.span())
    }
}
