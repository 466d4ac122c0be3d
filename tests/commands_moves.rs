//! The incident commander's corrections: `update --title`, `--impact`,
//! `--started`, `--set ... --from`, local times for every time argument,
//! only the warnings an edit brought, and one error style for ids.

mod common;

use common::{commands_site_with, run_in, stderr, stdout};
use std::path::Path;

const ID: &str = "2026-12-02-console-errors";

/// A file written by hand, with a comment to keep and an update that
/// `vague-update` warns of.
const FILE: &str = "+++
title = \"Console errors\" # what customers see
impact = \"minor\"
started = 2026-12-02T10:00:00-05:00

[[affected]]
components = [\"service-management\"]
status = \"partial_outage\"

[[updates]]
at = 2026-12-02T10:05:00-05:00
status = \"investigating\"
body = \"We are investigating.\"

[[updates]]
at = 2026-12-02T10:10:00-05:00
status = \"investigating\"
body = \"Still broken.\"
+++
What happened, in full.
";

fn file(root: &Path) -> String {
    common::read(root, &format!("content/incidents/{ID}.md"))
}

#[test]
fn title_impact_and_start_are_corrected_in_place_without_posting() {
    let dir = commands_site_with(ID, FILE);
    let root = dir.path();
    let args = [
        "update",
        ID,
        "--title",
        "Compute errors in US North",
        "--impact",
        "major",
        "--started",
        "2026-12-02T09:40",
        "--now",
        "2026-12-02T16:00:00Z",
    ];
    let out = run_in(root, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("title \"Compute errors in US North\"; impact major; started 2026-12-02 09:40 EST"));
    let text = file(root);
    assert!(text.contains("title = \"Compute errors in US North\" # what customers see"), "{text}");
    assert!(text.contains("impact = \"major\"\nstarted = 2026-12-02T09:40:00-05:00\n"), "{text}");
    assert_eq!(text.matches("[[updates]]").count(), 2, "no update posted: {text}");
    assert!(text.ends_with("+++\nWhat happened, in full.\n"));

    // With a message, the same corrections come with an update.
    let out = run_in(
        root,
        &[
            "update",
            ID,
            "--impact",
            "critical",
            "--message",
            "Compute in US North is down too.",
            "--now",
            "2026-12-02T16:10:00Z",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(file(root).matches("[[updates]]").count(), 3);

    // Mistakes are refused and change nothing.
    let before = file(root);
    for (args, code, expected) in [
        (&["--impact", "huge"][..], 1, "--impact \"huge\" is not an impact: write none, minor, major or critical"),
        (&["--impact", "majr"][..], 1, "did you mean major?"),
        (&["--title", "  "][..], 2, "--title is empty"),
        (&["--started", "2026-12-02T17:00:00Z"][..], 2, "is after now"),
        (&["--started", "2026-12-02T10:06"][..], 1, "update 1"),
        (&["--started", "2026-03-08T02:30"][..], 2, "does not exist in America/New_York"),
    ] {
        let out = run_in(root, &[&["update", ID, "--now", "2026-12-02T16:20:00Z"][..], args].concat());
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
        assert_eq!(file(root), before, "{args:?}");
    }
}

#[test]
fn a_set_takes_effect_from_the_time_given() {
    let dir = commands_site_with(ID, FILE);
    let root = dir.path();
    let args = [
        "update",
        ID,
        "--set",
        "api=major_outage",
        "--from",
        "2026-12-02T10:30",
        "--message",
        "The API is down since 10:30.",
        "--now",
        "2026-12-02T11:00",
    ];
    let out = run_in(root, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("set api=major_outage from 2026-12-02 10:30 EST"), "{}", stdout(&out));
    let text = file(root);
    assert!(
        text.contains("components = [\"api\"]\nstatus = \"major_outage\"\nfrom = 2026-12-02T10:30:00-05:00\n"),
        "{text}"
    );
    // The update itself is stamped now, read as a local time in the zone.
    assert!(text.contains("at = 2026-12-02T11:00:00-05:00\nstatus = \"investigating\""), "{text}");

    let before = file(root);
    for (args, expected) in [
        (
            &["--set", "api=operational", "--from", "2026-12-02T09:00"][..],
            "is before the incident started (2026-12-02 10:00 EST)",
        ),
        (&["--set", "api=operational", "--from", "2026-12-02T13:00"][..], "is after now"),
        (&["--from", "2026-12-02T10:40"][..], "--from says when a --set takes effect"),
    ] {
        let out = run_in(root, &[&["update", ID, "--message", "x", "--now", "2026-12-02T12:00"][..], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
        assert_eq!(file(root), before);
    }
}

#[test]
fn an_edit_shows_only_the_warnings_it_brought() {
    let dir = commands_site_with(ID, FILE);
    let root = dir.path();
    let now = "2026-12-02T10:20:00-05:00";
    let check = run_in(root, &["check", "--now", now]);
    assert!(stderr(&check).contains("warning[vague-update]"), "the file has a warning: {}", stderr(&check));

    let out = run_in(
        root,
        &[
            "update",
            ID,
            "--message",
            "Requests to the console fail in US North; we are rolling back a deploy.",
            "--now",
            now,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("warning[vague-update]"), "an old warning printed again: {err}");
    assert!(err.contains("(1 older warning in ") && err.contains("`candor check` lists it)"), "{err}");

    let out =
        run_in(root, &["update", ID, "--message", "We are still investigating.", "--now", "2026-12-02T10:30:00-05:00"]);
    let err = stderr(&out);
    assert_eq!(err.matches("warning[vague-update]").count(), 1, "the new one only: {err}");
}

#[test]
fn ids_are_refused_alike_everywhere() {
    let dir = commands_site_with(ID, FILE);
    let root = dir.path();
    for args in [
        &["new", "incident", "Storage errors", "--affects", "billng", "--status", "major_outage"][..],
        &["update", ID, "--set", "billng=operational", "--message", "x"][..],
        &["update", "2026-12-02-console-error", "--message", "x"][..],
    ] {
        let out = run_in(root, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("did you mean"), "{args:?}: {err}");
        assert!(!err.contains(".md:"), "{args:?}: a place in a file: {err}");
        assert!(err.trim_end().ends_with("nothing was written"), "{args:?}: {err}");
    }
    let out =
        run_in(root, &["new", "incident", "Storage errors", "--affects", "billing:eu-wst", "--status", "major_outage"]);
    assert!(
        stderr(&out).contains("region \"eu-wst\", which is not in status.toml; did you mean eu-west?"),
        "{}",
        stderr(&out)
    );
}
