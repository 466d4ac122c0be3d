//! Golden error tests: a corpus of broken content files, each checked with
//! the real binary against the exact diagnostics it must print.
//!
//! Layout (all under `tests/broken/`):
//! - `base/status.toml`: a small valid config every case is checked against;
//! - `incidents/`, `maintenance/`, `pages/`: `<case>.md`, copied into a fresh
//!   site as `content/<kind>/<case>.md`;
//! - `config/`: `<case>.toml`, used as the site's `status.toml`;
//! - beside each case, `<case>.expected`: the diagnostics `candor check`
//!   prints to stderr, without the final "failed: ..." line (its counts are
//!   checked separately). These files are the spec, written and read by hand:
//!   every line:column points at the offending text of the case file.
//! - `<case>.bug`, optional: the binary is known to be wrong for this case
//!   and `<case>.expected` holds what it should print. Such a case is
//!   reported but does not fail the test while the bug remains; it fails
//!   once the output matches, so the marker gets removed. Set
//!   `CANDOR_KNOWN_BUGS=fail` to make known bugs fail too.
//!
//! `CANDOR_BLESS=1` (re)writes the `.expected` files of cases without a
//! `.bug` marker from the binary's output. Read every blessed file before
//! committing it: a golden file is a spec, not a snapshot.
//!
//! A case whose `.expected` holds only warnings must pass `check` (exit 0)
//! and fail `check --strict` (exit 1) with the same diagnostics; any other
//! case must fail both with exit 1.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

const NOW: &str = "2026-11-22T12:00:00Z";
const KINDS: [&str; 4] = ["incidents", "maintenance", "pages", "config"];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken")
}

/// One broken file and its golden output.
struct Case {
    /// "incidents", "maintenance", "pages" or "config".
    kind: &'static str,
    /// The case file in the corpus.
    file: PathBuf,
    expected: PathBuf,
    /// The description in `<case>.bug`, if the binary is known to be wrong.
    bug: Option<String>,
}

impl Case {
    /// "incidents/dst-gap.md", for messages.
    fn name(&self) -> String {
        format!("{}/{}", self.kind, self.file_name())
    }

    fn file_name(&self) -> String {
        self.file.file_name().unwrap().to_string_lossy().into_owned()
    }

    /// The path the diagnostics name: relative to the site root.
    fn site_path(&self) -> String {
        if self.kind == "config" {
            "status.toml".into()
        } else {
            format!("content/{}/{}", self.kind, self.file_name())
        }
    }
}

/// Every case in the corpus, sorted; panics on stray files so that a typo
/// in a file name cannot silently drop a case.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut stray = Vec::new();
    for kind in KINDS {
        let dir = corpus().join(kind);
        let case_ext = if kind == "config" { "toml" } else { "md" };
        let mut names: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        for path in &names {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == case_ext {
                let bug = fs::read_to_string(path.with_extension("bug")).ok();
                out.push(Case { kind, file: path.clone(), expected: path.with_extension("expected"), bug });
            } else if !matches!(ext, "expected" | "bug") || !path.with_extension(case_ext).is_file() {
                stray.push(path.display().to_string());
            }
        }
    }
    assert!(stray.is_empty(), "files in tests/broken/ that belong to no case:\n{}", stray.join("\n"));
    assert!(out.len() >= 60, "the corpus looks incomplete: {} cases", out.len());
    out
}

/// A fresh site holding the base config and the case file.
fn site_for(case: &Case) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::copy(corpus().join("base/status.toml"), root.join("status.toml")).unwrap();
    if case.kind == "config" {
        fs::copy(&case.file, root.join("status.toml")).unwrap();
    } else {
        let folder = root.join("content").join(case.kind);
        fs::create_dir_all(&folder).unwrap();
        fs::copy(&case.file, folder.join(case.file_name())).unwrap();
    }
    dir
}

fn candor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("the candor binary runs")
}

fn check(root: &Path, strict: bool) -> Output {
    let mut args = vec!["check", "--root", root.to_str().unwrap(), "--now", NOW];
    if strict {
        args.push("--strict");
    }
    candor(&args)
}

/// stderr split into the diagnostics and the final "failed: ..." line, if any.
fn split_summary(stderr: &str) -> (String, Option<String>) {
    let trimmed = stderr.strip_suffix('\n').unwrap_or(stderr);
    match trimmed.rsplit_once('\n').map_or((None, trimmed), |(a, b)| (Some(a), b)) {
        (before, last) if last.starts_with("failed: ") => {
            let diags = before.map(|b| format!("{b}\n")).unwrap_or_default();
            (diags, Some(last.to_owned()))
        }
        _ => (stderr.to_owned(), None),
    }
}

/// The start of the summary line for these counts, in a one-file site.
fn summary_prefix(errors: usize, warnings: usize) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!("failed: {errors} error{}, {warnings} warning{} in 1 file", s(errors), s(warnings))
}

/// Parses a golden file: (errors, warnings), after checking its shape and
/// that every line:column lies inside the case file.
fn read_expected(case: &Case, text: &str) -> Result<(usize, usize), String> {
    // Lossy: a case may hold a byte that is not UTF-8 on purpose.
    let source = String::from_utf8_lossy(&fs::read(&case.file).unwrap()).into_owned();
    let source_lines: Vec<&str> = source.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let prefix = format!("{}:", case.site_path());
    let (mut errors, mut warnings) = (0, 0);
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return Err("the .expected file is empty: every case must print at least one diagnostic".into());
    }
    if !text.ends_with('\n') {
        return Err("the .expected file must end with a newline".into());
    }
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let bad = |why: &str| Err(format!(".expected line {}: {why}: {line}", i + 1));
        let Some(rest) = line.strip_prefix(&prefix) else {
            return bad(&format!("expected a diagnostic starting with `{prefix}`"));
        };
        let mut parts = rest.splitn(3, ':');
        let (Some(l), Some(c), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
            return bad("expected path:line:column: level: message");
        };
        let (Ok(l), Ok(c)) = (l.parse::<usize>(), c.parse::<usize>()) else {
            return bad("line and column must be numbers");
        };
        let Some(source_line) = l.checked_sub(1).and_then(|l| source_lines.get(l)) else {
            return bad(&format!("line {l} is not in the case file ({} lines)", source_lines.len()));
        };
        if c == 0 || c > source_line.chars().count() + 1 {
            return bad(&format!("column {c} is not on line {l} ({} characters)", source_line.chars().count()));
        }
        if rest.starts_with(" error: ") {
            errors += 1;
        } else if rest.starts_with(" warning: ") || is_coded_warning(rest) {
            warnings += 1;
        } else {
            return bad("expected `error:`, `warning:` or `warning[code]:` after the position");
        }
        match lines.get(i + 1) {
            Some(hint) if hint.starts_with("  hint: ") && hint.len() > "  hint: ".len() => i += 2,
            _ => return bad("every diagnostic must be followed by a `  hint: ...` line"),
        }
    }
    Ok((errors, warnings))
}

/// A line diff of expected and actual text, for failure messages.
fn diff(expected: &str, actual: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    // Longest common subsequence table, from the ends.
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out = String::from("--- expected\n+++ actual\n");
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out += &format!(" {}\n", a[i]);
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out += &format!("-{}\n", a[i]);
            i += 1;
        } else {
            out += &format!("+{}\n", b[j]);
            j += 1;
        }
    }
    out
}

/// Compares one run of `check` with the spec; the problems found, if any.
fn compare_run(case: &Case, strict: bool, expected: &str, counts: (usize, usize)) -> Vec<String> {
    let site = site_for(case);
    let out = check(site.path(), strict);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let (diags, summary) = split_summary(&stderr);
    let run = if strict { "check --strict" } else { "check" };
    let must_fail = strict || counts.0 > 0;
    let mut problems = Vec::new();
    let code = out.status.code();
    if code != Some(if must_fail { 1 } else { 0 }) {
        problems.push(format!("`{run}` exited with {code:?}, expected {}", if must_fail { 1 } else { 0 }));
    }
    if diags != expected {
        problems.push(format!("`{run}` printed other diagnostics:\n{}", diff(expected, &diags)));
    }
    match (&summary, must_fail) {
        (Some(line), true) if line.starts_with(&summary_prefix(counts.0, counts.1)) => {}
        (Some(line), true) => problems.push(format!(
            "`{run}` summary line is `{line}`, expected it to start with `{}`",
            summary_prefix(counts.0, counts.1)
        )),
        (None, true) => problems.push(format!("`{run}` printed no \"failed: ...\" line")),
        (Some(line), false) => problems.push(format!("`{run}` passed but printed `{line}`")),
        (None, false) => {
            let stdout = String::from_utf8_lossy(&out.stdout);
            if !stdout.starts_with("ok: ") {
                problems.push(format!("`{run}` passed but stdout does not start with \"ok: \": {stdout}"));
            }
        }
    }
    problems
}

/// The actual diagnostics of a case (for blessing).
fn actual_diagnostics(case: &Case) -> String {
    let site = site_for(case);
    let out = check(site.path(), false);
    split_summary(&String::from_utf8_lossy(&out.stderr)).0
}

#[test]
fn every_broken_file_gets_its_exact_diagnostics() {
    let bless = std::env::var("CANDOR_BLESS").is_ok_and(|v| v == "1");
    let known_bugs_fail = std::env::var("CANDOR_KNOWN_BUGS").is_ok_and(|v| v == "fail");
    let cases = cases();
    let mut failures = Vec::new();
    let mut known = Vec::new();
    for case in &cases {
        if bless && case.bug.is_none() {
            fs::write(&case.expected, actual_diagnostics(case)).unwrap();
        }
        let Ok(expected) = fs::read_to_string(&case.expected) else {
            failures.push(format!(
                "{}: no {} (run with CANDOR_BLESS=1, then read it)",
                case.name(),
                case.expected.display()
            ));
            continue;
        };
        let counts = match read_expected(case, &expected) {
            Ok(counts) => counts,
            Err(why) => {
                failures.push(format!("{}: malformed golden file: {why}", case.name()));
                continue;
            }
        };
        let mut problems = compare_run(case, false, &expected, counts);
        if problems.is_empty() {
            problems = compare_run(case, true, &expected, counts);
        }
        match (&case.bug, problems.is_empty()) {
            (None, true) => {}
            (None, false) => failures.push(format!("{}:\n{}", case.name(), problems.join("\n"))),
            (Some(_), true) => failures.push(format!(
                "{}: now prints what {} specifies: the bug is fixed, delete {}",
                case.name(),
                case.expected.display(),
                case.file.with_extension("bug").display()
            )),
            (Some(bug), false) => {
                let report = format!("{} (KNOWN BUG: {}):\n{}", case.name(), bug.trim(), problems.join("\n"));
                if known_bugs_fail {
                    failures.push(report);
                } else {
                    known.push(report);
                }
            }
        }
    }
    if !known.is_empty() {
        eprintln!(
            "{} case(s) marked with a .bug file still fail (set CANDOR_KNOWN_BUGS=fail to fail on them):\n\n{}\n",
            known.len(),
            known.join("\n\n")
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} broken-content cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), (Vec::new(), SystemTime::UNIX_EPOCH));
                stack.push(path);
            } else {
                let modified = fs::metadata(&path).unwrap().modified().unwrap();
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf(), (fs::read(&path).unwrap(), modified));
            }
        }
    }
    out
}

/// `candor build` on broken content (or, with --strict, content with a
/// warning) writes nothing: the previous site stays byte for byte, and no
/// staging folder is left in the site.
#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    for (file, strict) in [("three-field-mistakes.md", false), ("warning-detected-before-started.md", true)] {
        let case = cases().into_iter().find(|c| c.kind == "incidents" && c.file_name() == file).unwrap();
        let site = site_for(&case);
        let root = site.path();
        let output = root.join("site");
        fs::create_dir_all(output.join("incidents/old-incident")).unwrap();
        fs::write(output.join("index.html"), "<!doctype html><title>previous build</title>\n").unwrap();
        fs::write(output.join("incidents/old-incident/index.html"), "old incident page\n").unwrap();
        fs::write(output.join("logo.bin"), [0u8, 159, 146, 150, 255]).unwrap();
        // A previous build's output says so, or no build would replace it.
        fs::write(output.join(".candor-output"), "").unwrap();
        let before = snapshot(root);

        let mut args = vec!["build", "--root", root.to_str().unwrap(), "--now", NOW];
        if strict {
            args.push("--strict");
        }
        let out = candor(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: build should fail with 1:\n{stderr}");
        let expected = fs::read_to_string(&case.expected).unwrap();
        assert!(
            stderr.starts_with(&expected),
            "{file}: build printed other diagnostics:\n{}",
            diff(&expected, &stderr)
        );

        let after = snapshot(root);
        // `.candor/` is Candor's own state (the build lock a build takes
        // before it reads the sources), not the site or its output.
        let state = |k: &&std::path::PathBuf| !k.starts_with(".candor");
        let changed: Vec<_> = before
            .keys()
            .chain(after.keys())
            .filter(state)
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| k.display().to_string())
            .collect();
        assert!(changed.is_empty(), "{file}: a failed build changed, added or removed: {changed:?}");
    }
}

/// " warning[stale-update]: ..." (a lint, or a warning that can be silenced).
fn is_coded_warning(rest: &str) -> bool {
    rest.strip_prefix(" warning[")
        .and_then(|r| r.split_once("]: "))
        .is_some_and(|(code, _)| !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
}

/// An incident and a maintenance named alike share one id (in links, feeds
/// and the API): both files get an error naming the other.
#[test]
fn an_incident_and_a_maintenance_may_not_share_an_id() {
    let incident = cases().into_iter().find(|c| c.kind == "incidents" && c.file_name() == "three-field-mistakes.md");
    let site = site_for(&incident.unwrap());
    let root = site.path();
    let valid_incident = "+++\ntitle = \"API errors\"\nimpact = \"minor\"\nstarted = 2026-10-15T14:05:00Z\nresolved = 2026-10-15T14:50:00Z\n\n[[updates]]\nat = 2026-10-15T14:50:00Z\nstatus = \"resolved\"\nbody = \"Fixed.\"\n+++\n";
    fs::remove_file(root.join("content/incidents/three-field-mistakes.md")).unwrap();
    fs::write(root.join("content/incidents/db-upgrade.md"), valid_incident).unwrap();
    let maintenance = "+++\ntitle = \"Database upgrade\"\nscheduled_start = 2026-12-08T22:00:00Z\nscheduled_end = 2026-12-09T02:00:00Z\ncomponents = [\"object-storage\"]\nregions = [\"us-east\"]\n+++\n";
    fs::create_dir_all(root.join("content/maintenance")).unwrap();
    fs::write(root.join("content/maintenance/db-upgrade.md"), maintenance).unwrap();
    let out = check(root, false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let (diags, _) = split_summary(&stderr);
    assert_eq!(
        diags,
        "content/incidents/db-upgrade.md:1:1: error: the id \"db-upgrade\" is also the maintenance content/maintenance/db-upgrade.md\n\
         \x20 hint: incidents and maintenance share one set of ids (in links, feeds and the API): rename one file\n\
         content/maintenance/db-upgrade.md:1:1: error: the id \"db-upgrade\" is also the incident content/incidents/db-upgrade.md\n\
         \x20 hint: incidents and maintenance share one set of ids (in links, feeds and the API): rename one file\n"
    );
}
