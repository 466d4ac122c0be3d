//! `maintenance.ics`: every scheduled maintenance as an iCalendar (RFC 5545)
//! event, for people who want maintenance windows in their own calendar.
//! The maintenance pages link to it.
//!
//! Written by hand rather than with the `icalendar` crate's writer (which
//! needs no extra feature): its folding measures in bytes but checks for
//! whitespace by character index, and it fills a missing `DTSTAMP` with the
//! wall clock and a missing `UID` with a random one. Here every line is
//! built from content, and the rules fit in this file.
//!
//! **The calendar**: `PRODID:-//Candor//Status Calendar//EN`, `VERSION:2.0`,
//! `CALSCALE:GREGORIAN`, `METHOD:PUBLISH`, `NAME` and `X-WR-CALNAME` = the
//! site title + " maintenance", and `REFRESH-INTERVAL` / `X-PUBLISHED-TTL`
//! = the site's `update_interval`. A site without maintenance gets a
//! calendar without events (RFC 5545's grammar wants one component, every
//! client accepts none), so a subscription made early keeps working.
//!
//! **One `VEVENT` per maintenance**, in the site's order (soonest first):
//! - `UID` = `<maintenance id>@<host of base_url>`: stable across builds;
//! - `DTSTAMP` and `LAST-MODIFIED` = the maintenance's newest update said by
//!   the build's clock, else its scheduled start
//!   ([`Maintenance::last_activity_at`]): a content time, never the clock;
//! - `SEQUENCE` = the number of updates said: it grows as updates are added;
//! - `DTSTART` / `DTEND` = the scheduled window, in UTC (`...Z`);
//! - `SUMMARY` = the title; `DESCRIPTION` = plain text: the services and
//!   regions, the body (Markdown as plain text), every update said by the
//!   clock with its status and time in the site zone, and the page's address;
//! - `URL` = the maintenance page, absolute, in directory form;
//! - `STATUS:CONFIRMED` (maintenance cannot be cancelled in the format);
//! - `TRANSP:TRANSPARENT`: a provider's maintenance must not mark the
//!   subscriber busy.
//!
//! The clock only decides which updates have been said (an update dated
//! after it is left out, as everywhere); the maintenance's current state is
//! not written, so the file changes only when content is said.
//!
//! **Text** (RFC 5545 3.3.11): backslash, semicolon, comma and newline are
//! escaped (`\\ \; \, \n`); a carriage return becomes a newline; other
//! control characters (C0 but tab, DEL, C1) are dropped. **Lines** end with
//! CRLF and are folded at 75 octets (CRLF excluded), never inside a UTF-8
//! sequence. A fold is placed, when one is within 16 characters, where
//! neither side is whitespace nor a backslash ends the line: some readers
//! (the `ical` crate among them) trim whitespace at line ends, and naive
//! ones read a backslash at a line end wrongly.

use super::social::plain::{clean, clean_line, markdown_to_plain};
use super::views::MaintenanceView;
use super::{absolute_url, Kind, OutputFile};
use crate::model::{Maintenance, Site};
use crate::time::{self, Instant};
use chrono::Duration;

/// Where the calendar is written, relative to the site root.
pub const PATH: &str = "maintenance.ics";
pub const PRODID: &str = "-//Candor//Status Calendar//EN";
/// Longest content line in octets, CRLF excluded (RFC 5545 3.1).
const LINE_LIMIT: usize = 75;
/// How many character boundaries a fold may move back to avoid whitespace.
const FOLD_SEARCH: usize = 16;

pub fn render(site: &Site) -> Vec<OutputFile> {
    vec![OutputFile::new(PATH, calendar(site), Kind::Feed)]
}

/// The whole calendar, CRLF line ends.
pub fn calendar(site: &Site) -> String {
    let mut out = Lines::default();
    let name = format!("{} maintenance", site.config.title);
    let refresh = duration(site.config.update_interval);
    out.raw("BEGIN", "VCALENDAR");
    out.raw("PRODID", PRODID);
    out.raw("VERSION", "2.0");
    out.raw("CALSCALE", "GREGORIAN");
    out.raw("METHOD", "PUBLISH");
    out.text("NAME", &name);
    out.text("X-WR-CALNAME", &name);
    out.raw("REFRESH-INTERVAL;VALUE=DURATION", &refresh);
    out.raw("X-PUBLISHED-TTL", &refresh);
    let host = host(&site.config.base_url);
    for m in &site.maintenance {
        event(&mut out, site, m, &host);
    }
    out.raw("END", "VCALENDAR");
    out.0
}

fn event(out: &mut Lines, site: &Site, m: &Maintenance, host: &str) {
    let stamp = utc(m.last_activity_at(site.now));
    out.raw("BEGIN", "VEVENT");
    out.raw("UID", &format!("{}@{host}", m.id));
    out.raw("DTSTAMP", &stamp);
    out.raw("LAST-MODIFIED", &stamp);
    out.raw("SEQUENCE", &m.updates_at(site.now).len().to_string());
    out.raw("DTSTART", &utc(m.scheduled_start));
    out.raw("DTEND", &utc(m.scheduled_end));
    out.text("SUMMARY", &clean_line(&m.title));
    out.text("DESCRIPTION", &description(site, m));
    out.raw("URL", &absolute_url(site, &format!("maintenance/{}/", m.id)));
    out.raw("STATUS", "CONFIRMED");
    out.raw("TRANSP", "TRANSPARENT");
    out.raw("END", "VEVENT");
}

/// The event's plain-text description (see the module doc).
pub fn description(site: &Site, m: &Maintenance) -> String {
    let view = MaintenanceView::new(m, site, false);
    let mut blocks = vec![format!("Where: {}", view.scope)];
    let body = markdown_to_plain(&m.body);
    if !body.is_empty() {
        blocks.push(body);
    }
    for u in m.updates_at(site.now) {
        let when = time::display(u.at, site.config.timezone);
        blocks.push(format!("{} ({when}): {}", u.status.label(), markdown_to_plain(&u.body)));
    }
    blocks.push(format!("Details: {}", absolute_url(site, &format!("maintenance/{}/", m.id))));
    clean(&blocks.join("\n\n"))
}

/// Content lines being written, each folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// A property whose value is written as it is (dates, numbers, URIs),
    /// control characters dropped.
    fn raw(&mut self, name: &str, value: &str) {
        let value: String = value.chars().filter(|c| !is_control(*c)).collect();
        self.0.push_str(&fold(&format!("{name}:{value}")));
        self.0.push_str("\r\n");
    }

    /// A TEXT property, escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }
}

/// Control characters a content line may not hold (tab is allowed).
fn is_control(c: char) -> bool {
    c != '\t' && c.is_control()
}

/// Escapes a TEXT value (RFC 5545 3.3.11); see the module doc.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line (without its CRLF) into lines of at most 75
/// octets, continuation lines starting with a space.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 24);
    let mut rest = line;
    // The continuation's leading space counts toward its 75 octets.
    let mut limit = LINE_LIMIT;
    while rest.len() > limit {
        let cut = fold_point(rest, limit);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = LINE_LIMIT - 1;
    }
    out.push_str(rest);
    out
}

/// Where to cut `s` (longer than `limit` octets): the last character
/// boundary at or before `limit` with no whitespace on either side and no
/// backslash before it, looking back [`FOLD_SEARCH`] boundaries; else the
/// last boundary. Always at least one character in.
fn fold_point(s: &str, limit: usize) -> usize {
    let good = |i: usize| {
        let before = s[..i].chars().next_back();
        let after = s[i..].chars().next();
        !matches!(before, Some(' ' | '\t' | '\\')) && !matches!(after, Some(' ' | '\t'))
    };
    let mut boundaries = (1..=limit).rev().filter(|&i| s.is_char_boundary(i)).take(FOLD_SEARCH).peekable();
    let last = boundaries.peek().copied();
    boundaries.find(|&i| good(i)).or(last).unwrap_or_else(|| s.chars().next().map_or(s.len(), char::len_utf8))
}

/// "20261201T020000Z".
fn utc(t: Instant) -> String {
    crate::time::compact(t)
}

/// An RFC 5545 duration: "PT1H", "PT90M", "PT45S".
fn duration(d: Duration) -> String {
    let seconds = d.num_seconds().max(1);
    match seconds {
        s if s % 3600 == 0 => format!("PT{}H", s / 3600),
        s if s % 60 == 0 => format!("PT{}M", s / 60),
        s => format!("PT{s}S"),
    }
}

/// The host of an absolute URL, lowercase, without user info or port:
/// "https://Status.Example.com:8443/x" -> "status.example.com".
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = match host.rsplit_once(':') {
        Some((name, port))
            if !port.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && (!name.contains(':') || name.ends_with(']')) =>
        {
            name
        }
        _ => host,
    };
    host.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::fixtures::{site, t};
    use crate::model::{MaintenanceStatus, MaintenanceUpdate};

    fn maintenance(title: &str, body: &str) -> Maintenance {
        Maintenance {
            id: "db-upgrade".into(),
            source: "content/maintenance/db-upgrade.md".into(),
            title: title.into(),
            scheduled_start: t("2026-01-10T02:00:00Z"),
            scheduled_end: t("2026-01-10T04:00:00Z"),
            components: vec!["api".into(), "db".into()],
            regions: Some(vec!["east".into()]),
            updates: vec![
                MaintenanceUpdate {
                    at: t("2025-12-20T09:00:00Z"),
                    status: MaintenanceStatus::Scheduled,
                    body: "Planned.".into(),
                },
                MaintenanceUpdate {
                    at: t("2026-01-10T02:01:00Z"),
                    status: MaintenanceStatus::InProgress,
                    body: "Started.".into(),
                },
            ],
            body: body.into(),
        }
    }

    /// Unfolds and splits a calendar into (name, raw value) lines.
    fn properties(ics: &str) -> Vec<(String, String)> {
        let unfolded = ics.replace("\r\n ", "");
        unfolded
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, value) = l.split_once(':').unwrap();
                (name.to_string(), value.to_string())
            })
            .collect()
    }

    fn value<'a>(props: &'a [(String, String)], name: &str) -> &'a str {
        &props.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no {name}")).1
    }

    #[test]
    fn escapes_text_per_rfc_5545() {
        assert_eq!(escape_text(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape_text("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(escape_text("bell\u{7}\u{0}\u{7f}\u{85} tab\t<&]]>\"'"), "bell tab\t<&]]>\"'");
        assert_eq!(escape_text("colon: ok"), "colon: ok");
    }

    #[test]
    fn folds_at_75_octets_on_character_boundaries() {
        let line = format!("DESCRIPTION:{}", "ü€😀x".repeat(40));
        let folded = fold(&line);
        for (n, physical) in folded.split("\r\n").enumerate() {
            assert!(physical.len() <= LINE_LIMIT, "line {n} has {} octets", physical.len());
            assert!(n == 0 || physical.starts_with(' '));
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
        assert_eq!(fold("SHORT:x"), "SHORT:x");
        let exact = format!("X:{}", "a".repeat(73));
        assert_eq!(fold(&exact), exact, "75 octets fit");
    }

    #[test]
    fn folds_away_from_whitespace_and_backslashes() {
        let words = format!("DESCRIPTION:{}", "word ".repeat(60));
        for physical in fold(words.trim_end()).split("\r\n") {
            let content = physical.strip_prefix(' ').unwrap_or(physical);
            assert!(!content.ends_with(' ') && !content.starts_with(' '), "{physical:?}");
        }
        let escaped = format!("X:{}", r"ab\;".repeat(60));
        assert!(fold(&escaped).split("\r\n").all(|l| !l.ends_with('\\')), "an escape split across lines");
        // Only spaces: folding still makes progress and keeps every octet.
        let spaces = format!("X:{}", " ".repeat(200));
        assert_eq!(fold(&spaces).replace("\r\n ", ""), spaces);
    }

    #[test]
    fn host_drops_scheme_user_port_and_path() {
        assert_eq!(host("https://Status.Example.com:8443/status/"), "status.example.com");
        assert_eq!(host("http://user@s.example"), "s.example");
        assert_eq!(host("https://[::1]:8080"), "[::1]");
        assert_eq!(host("https://s.example?x=1"), "s.example");
    }

    #[test]
    fn one_event_from_content_times_only() {
        let mut s =
            site(vec![], vec![maintenance("DB upgrade; phase 1, \"part\" <A&B>", "Body with `code`.\n\nSecond.")]);
        // Before its second update is said, the event is as the first left it.
        let early = properties(&calendar(&s));
        assert_eq!((value(&early, "DTSTAMP"), value(&early, "SEQUENCE")), ("20251220T090000Z", "1"));
        s.now = t("2026-02-01T00:00:00Z");
        let first = calendar(&s);
        s.now = t("2030-01-01T00:00:00Z");
        assert_eq!(calendar(&s), first, "once everything is said, the build's clock changes nothing");
        assert!(first.starts_with("BEGIN:VCALENDAR\r\nPRODID:-//Candor//Status Calendar//EN\r\nVERSION:2.0\r\n"));
        assert!(first.ends_with("END:VCALENDAR\r\n"));
        assert!(!first.replace("\r\n", "").contains('\n'), "bare LF");
        let props = properties(&first);
        assert_eq!(value(&props, "X-WR-CALNAME"), "T maintenance");
        assert_eq!(value(&props, "REFRESH-INTERVAL;VALUE=DURATION"), "PT1H");
        assert_eq!(value(&props, "UID"), "db-upgrade@s.example");
        assert_eq!(value(&props, "DTSTAMP"), "20260110T020100Z");
        assert_eq!(value(&props, "SEQUENCE"), "2");
        assert_eq!(value(&props, "DTSTART"), "20260110T020000Z");
        assert_eq!(value(&props, "DTEND"), "20260110T040000Z");
        assert_eq!(value(&props, "SUMMARY"), r#"DB upgrade\; phase 1\, "part" <A&B>"#);
        assert_eq!(value(&props, "URL"), "https://s.example/maintenance/db-upgrade/");
        let description = value(&props, "DESCRIPTION");
        assert!(description.starts_with(r"Where: api and db in EAST\n\nBody with code.\n\nSecond."), "{description}");
        assert!(description.contains(r"In progress (2026-01-10 02:01 UTC): Started."), "{description}");
        assert_eq!(props.iter().filter(|(n, _)| n == "BEGIN").count(), 2);
    }

    #[test]
    fn without_updates_the_stamp_is_the_scheduled_start() {
        let mut m = maintenance("M", "");
        m.updates.clear();
        let ics = calendar(&site(vec![], vec![m]));
        let props = properties(&ics);
        assert_eq!(value(&props, "DTSTAMP"), "20260110T020000Z");
        assert_eq!(value(&props, "SEQUENCE"), "0");
    }

    #[test]
    fn parses_with_the_ical_crate() {
        let title = "Tricky \\ title; with, commas \"quoted\" <b>&amp;</b> ]]> \u{7}bell é ".repeat(3);
        let ics = calendar(&site(vec![], vec![maintenance(&title, "Line one\nline two; three, four \\ five")]));
        let mut parser = ical::IcalParser::new(ics.as_bytes());
        let cal = parser.next().expect("a calendar").expect("parses");
        assert!(parser.next().is_none());
        assert_eq!(cal.events.len(), 1);
        let summary = cal.events[0].properties.iter().find(|p| p.name == "SUMMARY").unwrap();
        assert_eq!(summary.value.as_deref(), Some(escape_text(&clean_line(&title)).as_str()));
    }
}
