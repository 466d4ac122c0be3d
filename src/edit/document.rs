//! A content file opened for editing: its TOML front matter as a
//! `toml_edit` document (comments, key order and formatting kept), and the
//! text around it kept byte-for-byte.

use crate::content::frontmatter;
use crate::time::Instant;
use chrono::{Datelike, Offset as _, Timelike};
use chrono_tz::Tz;
use toml_edit::{Date, Datetime, DocumentMut, Item, Offset, Time, Value};

/// A content file split for editing.
#[derive(Debug, Clone)]
pub struct Document {
    /// Everything up to the front matter: the BOM, if any, and the first `+++` line.
    head: String,
    pub front: DocumentMut,
    /// The closing `+++` line and the Markdown body, as they were.
    tail: String,
    /// Whether the front matter's lines end in CRLF (`toml_edit` writes LF).
    crlf: bool,
}

impl Document {
    /// Splits `text` at its `+++` fences and parses the front matter.
    /// The error says what is wrong, for a file `candor check` would refuse anyway.
    pub fn parse(text: &str) -> Result<Document, String> {
        let split = frontmatter::split(text).map_err(|(message, hint)| format!("{message} ({hint})"))?;
        let end = split.front_matter_start + split.front_matter.len();
        let front = split.front_matter.parse::<DocumentMut>().map_err(|e| {
            format!("its front matter is not valid TOML ({}); run `candor check` to see where", e.message())
        })?;
        Ok(Document {
            head: text[..split.front_matter_start].to_owned(),
            front,
            tail: text[end..].to_owned(),
            crlf: split.front_matter.contains("\r\n"),
        })
    }

    /// A new file with this front matter and Markdown body.
    pub fn new(front: DocumentMut, body: &str) -> Document {
        Document { head: "+++\n".into(), front, tail: format!("+++\n{body}"), crlf: false }
    }

    /// The whole file's text again.
    pub fn render(&self) -> String {
        let mut front = self.front.to_string();
        if !front.is_empty() && !front.ends_with('\n') {
            front.push('\n');
        }
        if self.crlf {
            front = front.replace("\r\n", "\n").replace('\n', "\r\n");
        }
        format!("{}{front}{}", self.head, self.tail)
    }

    /// A top-level string value, if the file has one.
    pub fn string(&self, key: &str) -> Option<&str> {
        self.front.get(key).and_then(Item::as_str)
    }

    /// The zone this file's times are written in: its own `timezone`, else `site`.
    pub fn zone(&self, site: Tz) -> Tz {
        self.string("timezone").and_then(|z| z.parse().ok()).unwrap_or(site)
    }
}

/// `instant` as a TOML datetime in `zone`: the local wall time with the
/// zone's UTC offset at that instant (so it never depends on how a reader
/// resolves local times), to the second.
pub fn local_datetime(instant: Instant, zone: Tz) -> Datetime {
    let local = instant.with_timezone(&zone);
    // The fields fit: chrono's years in content are four digits, the rest are clock fields.
    let date = Date { year: local.year() as u16, month: local.month() as u8, day: local.day() as u8 };
    let time = Time {
        hour: local.hour() as u8,
        minute: local.minute() as u8,
        second: Some(local.second() as u8),
        nanosecond: None,
    };
    let minutes = (local.offset().fix().local_minus_utc() / 60) as i16;
    Datetime { date: Some(date), time: Some(time), offset: Some(Offset::Custom { minutes }) }
}

/// Drops the sub-second part: content times are written to the second.
pub fn to_second(instant: Instant) -> Instant {
    instant.with_nanosecond(0).unwrap_or(instant)
}

/// A string value for free text. Lines of the text that hold only `+++`
/// would end the front matter inside a multi-line string, so such text is
/// written on one line with `\n` escapes.
pub fn text_value(text: &str) -> Value {
    let fence = text.lines().any(|l| l.trim_end() == "+++");
    if !fence {
        return Value::from(text);
    }
    use toml_writer::ToTomlValue;
    let written = toml_writer::TomlStringBuilder::new(text).as_basic().to_toml_value();
    written.parse().unwrap_or_else(|_| Value::from(text))
}

/// Replaces the value of `item` with `value`, keeping the comments and
/// spacing around the old one.
pub fn replace_value(item: &mut Item, mut value: Value) {
    if let Some(old) = item.as_value() {
        *value.decor_mut() = old.decor().clone();
    }
    *item = Item::Value(value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn keeps_everything_around_the_front_matter() {
        let text = "\u{feff}+++\r\ntitle = \"x\" # the title\r\n+++\r\nBody *as is*\r\n\r\n";
        let doc = Document::parse(text).unwrap();
        assert_eq!(doc.render(), text);
        assert_eq!(doc.string("title"), Some("x"));
        let mut doc = doc;
        doc.front["impact"] = toml_edit::value("minor");
        assert_eq!(doc.render(), text.replace("title\r\n", "title\r\nimpact = \"minor\"\r\n"));
    }

    #[test]
    fn refuses_broken_files_with_a_reason() {
        assert!(Document::parse("title = 1\n").unwrap_err().contains("does not start with +++"));
        assert!(Document::parse("+++\ntitle = \n+++\n").unwrap_err().contains("not valid TOML"));
    }

    #[test]
    fn local_datetimes_carry_the_offset_in_force() {
        let ny: Tz = "America/New_York".parse().unwrap();
        // 05:30 and 06:30 UTC are both 01:30 on the wall on 2026-11-01.
        let before = Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 11, 1, 6, 30, 0).unwrap();
        assert_eq!(local_datetime(before, ny).to_string(), "2026-11-01T01:30:00-04:00");
        assert_eq!(local_datetime(after, ny).to_string(), "2026-11-01T01:30:00-05:00");
        let kiritimati: Tz = "Pacific/Kiritimati".parse().unwrap();
        assert_eq!(local_datetime(after, kiritimati).to_string(), "2026-11-01T20:30:00+14:00");
        let india: Tz = "Asia/Kolkata".parse().unwrap();
        assert_eq!(local_datetime(after, india).to_string(), "2026-11-01T12:00:00+05:30");
        let utc = local_datetime(after, chrono_tz::UTC);
        assert_eq!(crate::time::resolve(&utc, ny).unwrap(), after);
    }

    #[test]
    fn text_with_a_fence_line_stays_on_one_line() {
        assert_eq!(text_value("one\ntwo").to_string(), "\"\"\"\none\ntwo\"\"\"");
        let fenced = text_value("diff:\n+++\nend");
        assert_eq!(fenced.to_string(), "\"diff:\\n+++\\nend\"");
        assert_eq!(fenced.as_str(), Some("diff:\n+++\nend"));
    }

    #[test]
    fn replacing_a_value_keeps_its_comment() {
        let mut doc: DocumentMut = "to = 2026-01-01T00:00:00Z   # planned\n".parse().unwrap();
        replace_value(&mut doc["to"], Value::from(local_datetime(Utc.timestamp_opt(0, 0).unwrap(), chrono_tz::UTC)));
        assert_eq!(doc.to_string(), "to = 1970-01-01T00:00:00+00:00   # planned\n");
    }
}
