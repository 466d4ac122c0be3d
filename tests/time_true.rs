//! Time-true builds, as one invariant: for any content and any instant T,
//! `candor build --now T` is byte-identical to the build at T of the same
//! content with everything not yet said at T removed. What "said at T"
//! means per field is in docs/format.md ("What a build at an instant
//! shows"); this file removes it independently of Candor's own code,
//! editing the files' TOML, and compares whole output trees.
//!
//! CI checks a few dozen random instants; for more:
//! `CANDOR_TIME_TRUE_INSTANTS=200 cargo test --release --test time_true`.

mod common;

use candor::time::{resolve, Instant};
use chrono_tz::Tz;
use common::{copy_dir, copy_example, snapshot, Rng};
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item};

/// One content file: its front matter (edited) and its body (kept).
struct File {
    front: DocumentMut,
    body: String,
    zone: Tz,
}

fn read_file(path: &Path, site_zone: Tz) -> File {
    let text = std::fs::read_to_string(path).unwrap();
    let rest = text.strip_prefix("+++\n").unwrap_or_else(|| panic!("{}: no front matter", path.display()));
    let end = rest.find("\n+++\n").unwrap();
    let front: DocumentMut = rest[..end + 1].parse().unwrap();
    let zone = front.get("timezone").and_then(Item::as_str).map(|z| z.parse().unwrap()).unwrap_or(site_zone);
    File { front, body: rest[end + 5..].to_owned(), zone }
}

fn time(item: Option<&Item>, zone: Tz) -> Option<Instant> {
    item.and_then(Item::as_datetime).map(|d| resolve(d, zone).unwrap())
}

/// The tables of an array of tables (`[[x]]`) or an inline array of tables.
fn tables(front: &mut DocumentMut, key: &str) -> Vec<toml_edit::Table> {
    match front.get(key) {
        Some(Item::ArrayOfTables(list)) => list.iter().cloned().collect(),
        Some(Item::Value(toml_edit::Value::Array(list))) => {
            list.iter().filter_map(|v| v.as_inline_table()).map(|t| t.clone().into_table()).collect()
        }
        _ => Vec::new(),
    }
}

fn set_tables(front: &mut DocumentMut, key: &str, list: Vec<toml_edit::Table>) {
    if list.is_empty() {
        front.remove(key);
    } else {
        front[key] = Item::ArrayOfTables(list.into_iter().collect());
    }
}

/// Every time the content names, for instants near them.
fn content_times(files: &[File]) -> Vec<Instant> {
    let mut out = Vec::new();
    for f in files {
        let z = f.zone;
        for key in ["started", "detected", "resolved", "scheduled_start", "scheduled_end"] {
            out.extend(time(f.front.get(key), z));
        }
        let mut front = f.front.clone();
        for t in tables(&mut front, "updates") {
            out.extend(time(t.get("at"), z));
        }
        for t in tables(&mut front, "affected") {
            out.extend(time(t.get("from"), z));
            out.extend(time(t.get("to"), z));
        }
        out.extend(time(f.front.get("postmortem").and_then(|p| p.get("published")), z));
    }
    out.sort();
    out
}

/// Removes from the file what had not been said at `t`; `None` when the
/// file says nothing yet and is to be deleted.
fn said_by(mut f: File, t: Instant, incident: bool) -> Option<File> {
    let z = f.zone;
    let updates = tables(&mut f.front, "updates");
    let kept: Vec<_> = updates.iter().filter(|u| time(u.get("at"), z).unwrap() <= t).cloned().collect();
    if !updates.is_empty() && kept.is_empty() {
        return None;
    }
    set_tables(&mut f.front, "updates", kept);
    if !incident {
        return Some(f);
    }
    let started = time(f.front.get("started"), z).unwrap();
    if started > t {
        return None;
    }
    for key in ["detected", "resolved"] {
        if time(f.front.get(key), z).is_some_and(|at| at > t) {
            f.front.remove(key);
        }
    }
    let windows: Vec<_> = tables(&mut f.front, "affected")
        .into_iter()
        .filter(|w| time(w.get("from"), z).unwrap_or(started) <= t)
        .map(|mut w| {
            if time(w.get("to"), z).is_some_and(|to| to > t) {
                w.remove("to");
            }
            w
        })
        .collect();
    set_tables(&mut f.front, "affected", windows);
    let published = time(f.front.get("postmortem").and_then(|p| p.get("published")), z);
    let credits_said = match published {
        Some(p) => p <= t,
        None => f.front.contains_key("resolved"),
    };
    if published.is_some_and(|p| p > t) {
        f.front.remove("postmortem");
    }
    if !credits_said {
        f.front.remove("credits");
    }
    Some(f)
}

fn build_at(root: &Path, output: &Path, now: Instant) {
    common::build_at(root, output, now, false);
}

/// A copy of the site at `root` in `to` with only what was said by `t`.
fn cut_to(root: &Path, zone: Tz, t: Instant, to: &Path) {
    copy_dir(root, to);
    std::fs::remove_dir_all(to.join("site")).ok();
    for (path, incident) in content_files(root) {
        let rel = path.strip_prefix(root).unwrap();
        match said_by(read_file(&path, zone), t, incident) {
            Some(f) => std::fs::write(to.join(rel), format!("+++\n{}+++\n{}", f.front, f.body)).unwrap(),
            None => std::fs::remove_file(to.join(rel)).unwrap(),
        }
    }
}

fn content_files(root: &Path) -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    for (folder, incident) in [("content/incidents", true), ("content/maintenance", false)] {
        if let Ok(entries) = std::fs::read_dir(root.join(folder)) {
            out.extend(entries.map(|e| (e.unwrap().path(), incident)));
        }
    }
    out.sort();
    out
}

/// Checks the invariant at `count` instants, half near content times and
/// half anywhere in the site's span.
fn check_site(root: &Path, count: usize, seed: u64) {
    let status: toml::Table = std::fs::read_to_string(root.join("status.toml")).unwrap().parse().unwrap();
    let zone: Tz = status["timezone"].as_str().unwrap_or("UTC").parse().unwrap();
    let files: Vec<File> = content_files(root).iter().map(|(p, _)| read_file(p, zone)).collect();
    let times = content_times(&files);
    let (first, last) = (times[0] - chrono::Duration::days(2), *times.last().unwrap() + chrono::Duration::days(40));
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let work = tempfile::tempdir().unwrap();
    for i in 0..count {
        let t = if i % 2 == 0 {
            let near = times[(rng.next() % times.len() as u64) as usize];
            near + chrono::Duration::seconds([-60, -1, 0, 1, 59][(rng.next() % 5) as usize])
        } else {
            first + chrono::Duration::seconds((rng.next() % (last - first).num_seconds() as u64) as i64)
        };
        let full = work.path().join(format!("full-{i}"));
        build_at(root, &full, t);

        let cut = work.path().join(format!("cut-{i}"));
        cut_to(root, zone, t, &cut);
        let cut_out = work.path().join(format!("cut-out-{i}"));
        build_at(&cut, &cut_out, t);

        let (a, b) = (snapshot(&full), snapshot(&cut_out));
        let differing: Vec<&String> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
        if let Some(first) = differing.first() {
            let show = |m: &std::collections::BTreeMap<String, Vec<u8>>| {
                m.get(*first).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_else(|| "(missing)".into())
            };
            let (x, y) = (show(&a), show(&b));
            let at = x.bytes().zip(y.bytes()).position(|(p, q)| p != q).unwrap_or(x.len().min(y.len()));
            let around = |s: &str| s.get(at.saturating_sub(150)..(at + 150).min(s.len())).unwrap_or("").to_owned();
            panic!(
                "at {t} ({} instant {i}), {} files differ, first {first}:\n--- full content:\n{}\n--- only what was said by then:\n{}",
                root.display(),
                differing.len(),
                around(&x),
                around(&y)
            );
        }
        for dir in [full, cut, cut_out] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }
}

fn instants(default: usize) -> usize {
    std::env::var("CANDOR_TIME_TRUE_INSTANTS").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

#[test]
fn the_example_at_any_instant_shows_only_what_was_said_by_then() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("example");
    copy_example(&root);
    check_site(&root, instants(16), 7);
}

#[test]
fn a_generated_site_at_any_instant_shows_only_what_was_said_by_then() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::generated_site(dir.path());
    check_site(&root, instants(8), 11);
}

/// Settled pages, as one invariant: a page built without a clock (no
/// `<meta name="candor-built">`: a resolved incident, a finished
/// maintenance, the site's own pages) says the same at every later instant
/// until more is said: built at T from what was said by T, and at any later
/// instant from the same content, it is byte for byte the same. That is
/// what lets a rebuild and a publish at a new clock leave it alone.
fn check_settled(root: &Path, count: usize, seed: u64) {
    let status: toml::Table = std::fs::read_to_string(root.join("status.toml")).unwrap().parse().unwrap();
    let zone: Tz = status["timezone"].as_str().unwrap_or("UTC").parse().unwrap();
    let files: Vec<File> = content_files(root).iter().map(|(p, _)| read_file(p, zone)).collect();
    let times = content_times(&files);
    let (first, last) = (times[0], *times.last().unwrap() + chrono::Duration::days(100));
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut anywhere = |from: Instant| {
        from + chrono::Duration::seconds((rng.next() % (last - from).num_seconds().max(1) as u64) as i64)
    };
    let work = tempfile::tempdir().unwrap();
    let mut settled_seen = 0;
    for i in 0..count {
        // Half the time at a content time (a resolution, a window's end).
        let t = if i % 2 == 0 { times[(i * 7919) % times.len()] } else { anywhere(first) };
        let later = anywhere(t + chrono::Duration::seconds(1));
        let cut = work.path().join(format!("cut-{i}"));
        cut_to(root, zone, t, &cut);
        let (at, after) = (work.path().join(format!("at-{i}")), work.path().join(format!("later-{i}")));
        build_at(&cut, &at, t);
        build_at(&cut, &after, later);
        let (then, now) = (snapshot(&at), snapshot(&after));
        for (rel, bytes) in then.iter().filter(|(rel, _)| rel.ends_with(".html")) {
            if contains(bytes, b"name=\"candor-built\"") {
                continue;
            }
            settled_seen += 1;
            assert!(
                now.get(rel) == Some(bytes),
                "{rel} carries no build clock at {t} but reads differently at {later} ({})",
                root.display()
            );
        }
        for dir in [cut, at, after] {
            std::fs::remove_dir_all(dir).unwrap();
        }
    }
    assert!(settled_seen > 0, "no settled page was checked");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_settled_page_of_the_example_reads_the_same_at_every_later_instant() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("example");
    copy_example(&root);
    check_settled(&root, instants(16), 5);
}

#[test]
fn a_settled_page_of_a_generated_site_reads_the_same_at_every_later_instant() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::generated_site(dir.path());
    check_settled(&root, instants(10), 13);
}
