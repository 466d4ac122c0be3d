//! Parsing the TOML text itself: syntax errors reported where the author
//! made them, and impossible dates reported once and then skipped.

use crate::diagnostic::{Diagnostics, SourceMap};
use crate::time;
use std::ops::Range;
use toml::de::DeTable;
use toml::Spanned;

/// Parses TOML text, reporting syntax errors. Returns the table when it is
/// usable (only impossible dates, which are reported and then skipped).
pub fn parse_toml<'i>(
    text: &'i str,
    map: &SourceMap,
    diags: &mut Diagnostics,
) -> Option<(Spanned<DeTable<'i>>, Vec<Range<usize>>)> {
    let (table, errors) = DeTable::parse_recoverable(text);
    let mut bad_dates = Vec::new();
    let mut syntax = None;
    for error in &errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim().to_owned();
        if message.starts_with("invalid date") {
            let written = map.snippet(&span).get(..10).unwrap_or("").to_owned();
            let detail = parse_written_date(&written)
                .and_then(|(y, m, d)| time::calendar_date(y, m, d).err())
                .map(|e| e.to_string())
                .unwrap_or_else(|| format!("`{}` is not a date ({message})", map.snippet(&span)));
            diags.error(map, span.clone(), detail).hint("dates are never corrected: write the date you mean");
            bad_dates.push(span);
        } else if syntax.is_none() {
            syntax = Some(match message.as_str() {
                // The parser's span is the second occurrence of the key.
                "duplicate key" => (
                    format!("duplicate key `{}`: it is already set in this table", map.snippet(&span).trim()),
                    "keep one of the two; a key is set once per table (a new [[updates]] entry starts with its own [[updates]] line)",
                    span,
                ),
                _ => {
                    let (span, message) = unclosed_array(text, span, message);
                    (message, "fix this line first; other problems in this file are checked once it parses", span)
                }
            });
        }
    }
    // Later syntax errors are mostly echoes of the first: report that one.
    if let Some((message, hint, span)) = syntax {
        diags.error(map, span, format!("TOML syntax error: {message}")).hint(hint);
        return None;
    }
    Some((table, bad_dates))
}

/// The TOML parser reads a key after an array left open as one more
/// element, and reports a missing comma on the next line. The author's
/// mistake is the missing `]` at the end of the line before: point there.
fn unclosed_array(text: &str, span: Range<usize>, message: String) -> (Range<usize>, String) {
    if !message.starts_with("missing comma between array elements") {
        return (span, message);
    }
    let before = &text[..span.start.min(text.len())];
    let end = before.trim_end().len();
    if before[end..].contains('\n') {
        return (end..end, "unclosed array, expected `]`".to_owned());
    }
    (span, message)
}

fn parse_written_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.splitn(3, '-');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}
