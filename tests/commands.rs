//! The incident commands (`new incident`, `new maintenance`, `update`,
//! `resolve`) run as the real binary on a copy of
//! `tests/fixtures/commands-site` (America/New_York, so DST is near).

mod common;

use common::{candor, path, stderr, stdout};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::commands_site as site;

/// `candor ARGS --root ROOT`.
fn run(root: &Path, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--root", path(root)]);
    candor(&all)
}

/// Runs and expects success; returns standard output.
fn ok(root: &Path, args: &[&str]) -> String {
    let out = run(root, args);
    assert!(out.status.success(), "{args:?} failed:\n{}{}", stdout(&out), stderr(&out));
    stdout(&out)
}

fn incident(root: &Path, id: &str) -> String {
    common::read(root, &format!("content/incidents/{id}.md"))
}

fn write_incident(root: &Path, id: &str, text: &str) {
    let dir = root.join("content/incidents");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
}

/// Every name in a content folder, hidden ones included.
fn listing(root: &Path, folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(folder))
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

fn json(dir: &Path, rel: &str) -> serde_json::Value {
    serde_json::from_str(&common::read(dir, rel)).unwrap()
}

/// A file written by hand: comments, odd spacing, a multi-line array, a
/// literal string, a window planned to end later, and a body with a line
/// `+++` and trailing spaces.
const HAND_WRITTEN: &str = r#"+++
# Incident file written by hand during the outage.
title   =   "Checkout errors"        # customers see 500s
impact = 'major'
started = 2026-12-02T09:00:00-05:00
detected = 2026-12-02T09:05:00-05:00  # paged

# --- where ---
[[affected]]
components = [
  "service-management",  # the console
]
regions = ["us-north"]
status = "partial_outage"

[[affected]]
components = ["billing"]
status    = "degraded_performance"
to = 2026-12-03T00:00:00-05:00 # planned end

[[updates]]
at = 2026-12-02T09:10:00-05:00
status = "investigating"
body = """
We are *investigating* errors at checkout.
"""
# keep updates oldest first
+++
Body with **Markdown**  
+++
	and a tab, no final newline"#;

const ID: &str = "2026-12-02-checkout-errors";

/// `new maintenance` for a two-hour upgrade of Compute in US North from
/// 02:00 EST on 2026-12-05, less its `--end` and `--now`.
const UPGRADE: [&str; 7] =
    ["new", "maintenance", "Database engine upgrade", "--affects", "compute:us-north", "--start", "2026-12-05T02:00"];

#[test]
fn update_and_resolve_keep_comments_formatting_and_body() {
    let dir = site();
    let root = dir.path();
    write_incident(root, ID, HAND_WRITTEN);

    let out = ok(
        root,
        &[
            "update",
            ID,
            "--status",
            "identified",
            "--message",
            "A bad configuration push to the checkout service caused the errors.",
            "--now",
            "2026-12-02T15:00:00Z",
        ],
    );
    assert_eq!(
        out.trim_end(),
        format!(
            "updated {}/content/incidents/{ID}.md (incident {ID}: update 2, identified, at 2026-12-02 10:00 EST)",
            root.display()
        )
    );
    let after_update = incident(root, ID);
    let head = &HAND_WRITTEN[..HAND_WRITTEN.find("# keep updates").unwrap()];
    let appended =
        "\n[[updates]]\nat = 2026-12-02T10:00:00-05:00\nstatus = \"identified\"\nbody = \"A bad configuration push to the checkout service caused the errors.\"\n";
    let tail = &HAND_WRITTEN[HAND_WRITTEN.find("# keep updates").unwrap()..];
    assert_eq!(after_update, format!("{head}{appended}{tail}"));

    let out = ok(
        root,
        &[
            "resolve",
            ID,
            "--message",
            "We rolled back the configuration and checkout errors have stopped.\n\nSorry for the trouble.",
            "--now",
            "2026-12-02T16:00:00Z",
        ],
    );
    assert!(
        out.contains("(incident 2026-12-02-checkout-errors, resolved 2026-12-02 11:00 EST after 2 h; 2 windows ended)"),
        "{out}"
    );
    let resolved = incident(root, ID);
    let expected = HAND_WRITTEN
        .replace(
            "detected = 2026-12-02T09:05:00-05:00  # paged\n",
            "detected = 2026-12-02T09:05:00-05:00  # paged\nresolved = 2026-12-02T11:00:00-05:00\n",
        )
        .replace("to = 2026-12-03T00:00:00-05:00 # planned end", "to = 2026-12-02T11:00:00-05:00 # planned end")
        .replace(
            "# keep updates oldest first",
            &format!(
                "{}\n[[updates]]\nat = 2026-12-02T11:00:00-05:00\nstatus = \"resolved\"\nbody = \"\"\"\nWe rolled back the configuration and checkout errors have stopped.\n\nSorry for the trouble.\"\"\"\n# keep updates oldest first",
                appended
            ),
        );
    assert_eq!(resolved, expected);
    assert!(resolved.ends_with("+++\nBody with **Markdown**  \n+++\n\tand a tab, no final newline"));

    let check = run(root, &["check", "--now", "2026-12-02T17:00:00Z"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(stderr(&check), "");
    assert_eq!(listing(root, "content/incidents"), [format!("{ID}.md")]);
}

#[test]
fn crlf_files_stay_crlf() {
    let dir = site();
    let root = dir.path();
    let crlf = HAND_WRITTEN.replace('\n', "\r\n");
    write_incident(root, ID, &crlf);
    ok(root, &["update", ID, "--message", "Still looking.", "--now", "2026-12-02T15:00:00Z"]);
    let text = incident(root, ID);
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF crept in:\n{text:?}");
    assert!(text.contains("\r\n[[updates]]\r\nat = 2026-12-02T10:00:00-05:00\r\nstatus = \"investigating\"\r\n"));
    assert!(text.starts_with(&crlf[..crlf.find("# keep").unwrap()]));
}

/// Every refused edit: its exit code and a line of what it prints. The
/// file must be byte-identical afterwards, with no temporary file left.
#[test]
fn refused_edits_leave_the_file_byte_identical() {
    let dir = site();
    let root = dir.path();
    write_incident(root, ID, HAND_WRITTEN);
    let now = ["--now", "2026-12-02T15:00:00Z"];
    let cases: &[(&[&str], u8, &str)] = &[
        (
            &["update", ID, "--status", "fixed", "--message", "x"],
            1,
            "error: --status \"fixed\" is not a status of an incident's update: write investigating, identified or monitoring\n",
        ),
        (&["update", ID, "--status", "identifed", "--message", "x"], 1, "monitoring; did you mean identified?"),
        (
            &["update", ID, "--message", "x", "--now", "2026-12-02T14:00:00Z"],
            1,
            "error: update 2 (2026-12-02 09:00 EST) is earlier than the update before it (2026-12-02 09:10 EST)",
        ),
        (
            &["resolve", ID, "--message", "x", "--now", "2026-12-02T13:00:00Z"],
            1,
            "error: `resolved` (2026-12-02 08:00 EST) is before `started` (2026-12-02 09:00 EST)",
        ),
        (&["update", ID, "--message", " \n "], 2, "error: the message is empty: say what customers should know"),
        (&["update", ID], 2, "error: the message is empty"),
        (
            &["update", ID, "--status", "resolved", "--message", "x"],
            2,
            &format!("error: to resolve incident {ID}, run `candor resolve {ID}`"),
        ),
        (&["update", ID, "--reopen", "--message", "x"], 2, "is open, so there is nothing to reopen"),
        (
            &["update", "2026-12-02-checkout-error", "--message", "x"],
            1,
            "error: no incident or maintenance 2026-12-02-checkout-error: did you mean 2026-12-02-checkout-errors?",
        ),
        (&["update", "status.toml", "--message", "x"], 2, "is not an incident or maintenance file of the site"),
        (&["update", ID, "--message", "x", "--now", "yesterday"], 2, "--now \"yesterday\" is not a date and time"),
    ];
    for (args, code, expected) in cases {
        let mut all = args.to_vec();
        if !args.contains(&"--now") {
            all.extend(now);
        }
        let out = run(root, &all);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(i32::from(*code)), "{args:?}:\n{err}");
        assert!(err.contains(expected), "{args:?}: expected {expected:?} in:\n{err}");
        assert!(
            err.trim_end().ends_with("nothing was written") || err.contains("the file on disk is as it was"),
            "{err}"
        );
        assert_eq!(incident(root, ID), HAND_WRITTEN, "{args:?} changed the file");
        assert_eq!(listing(root, "content/incidents"), [format!("{ID}.md")], "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

#[test]
fn resolved_incidents_need_reopen_and_cannot_be_resolved_twice() {
    let dir = site();
    let root = dir.path();
    write_incident(root, ID, HAND_WRITTEN);
    ok(root, &["resolve", ID, "--message", "Fixed.", "--now", "2026-12-02T16:00:00Z"]);
    let resolved = incident(root, ID);

    let out = run(root, &["update", ID, "--message", "Back again.", "--now", "2026-12-02T17:00:00Z"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(&format!(
        "error: incident {ID} is resolved at 2026-12-02 11:00 EST: to post an update, reopen it with --reopen"
    )));
    let out = run(root, &["resolve", ID, "--message", "Fixed.", "--now", "2026-12-02T17:00:00Z"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is already resolved at 2026-12-02 11:00 EST: to correct the time, edit `resolved`"));
    assert_eq!(incident(root, ID), resolved);

    let out = ok(root, &["update", ID, "--reopen", "--message", "Errors are back.", "--now", "2026-12-02T17:00:00Z"]);
    assert!(out.contains("update 3, investigating, at 2026-12-02 12:00 EST; reopened"), "{out}");
    let reopened = incident(root, ID);
    assert!(!reopened.contains("resolved = "), "{reopened}");
    assert!(reopened.contains("status = \"investigating\"\nbody = \"Errors are back.\"\n# keep updates oldest first\n"));
    // The planned window was ended at the first resolution and stays so;
    // the one that ended with `resolved` ends there too, so the hour the
    // incident was over still shows as it did.
    assert!(reopened.contains("to = 2026-12-02T11:00:00-05:00 # planned end"));
    assert!(
        reopened.contains("regions = [\"us-north\"]\nstatus = \"partial_outage\"\nto = 2026-12-02T11:00:00-05:00\n"),
        "{reopened}"
    );
    let check = run(root, &["check", "--now", "2026-12-02T18:00:00Z"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn unknown_ids_in_new_are_content_errors_with_suggestions() {
    let dir = site();
    let root = dir.path();
    let out = run(
        root,
        &[
            "new",
            "incident",
            "Console down",
            "--affects",
            "service-managment",
            "--affects",
            "api:eu-west",
            "--affects",
            "billing:eu-wst",
            "--status",
            "major_outage",
            "--now",
            "2026-12-02T15:00:00Z",
        ],
    );
    // As in content (exit 1, "did you mean"), but at no line of a file
    // that was never written; every mistake at once.
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for expected in [
        "error: --affects names \"service-managment\", which is no component or group of status.toml; did you mean service-management?",
        "api does not run in eu-west, so --affects cannot name it there",
        "--affects names region \"eu-wst\", which is not in status.toml; did you mean eu-west?",
        "nothing was written",
    ] {
        assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    }
    assert!(!err.contains("content/incidents/"), "no place in a file that was not written: {err}");
    assert!(listing(root, "content/incidents").is_empty());

    let usage: &[(&[&str], &str)] = &[
        (&["--affects", "api"], "--affects needs --status"),
        (&["--status", "major_outage"], "--status major_outage is the status of the affected components"),
        (&["--affects", "api:", "--status", "major_outage"], "--affects \"api:\" has an empty region"),
    ];
    for (extra, expected) in usage {
        let mut args = vec!["new", "incident", "Console down", "--now", "2026-12-02T15:00:00Z"];
        args.extend(extra.iter());
        let out = run(root, &args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&out).contains(expected), "{extra:?}: {}", stderr(&out));
    }
    assert!(listing(root, "content/incidents").is_empty());
}

#[test]
fn created_files_pass_check_build_and_resolve_ends_the_outage() {
    let dir = site();
    let root = dir.path();
    let out = ok(
        root,
        &[
            "new",
            "incident",
            "Service management unavailable",
            "--affects",
            "service-management:us-north,eu-west",
            "--affects",
            "api",
            "--status",
            "major_outage",
            "--now",
            "2026-12-02T16:42:10Z",
        ],
    );
    let id = "2026-12-02-service-management-unavailable";
    assert_eq!(
        out.trim_end(),
        format!("created {}/content/incidents/{id}.md (incident {id}, started 2026-12-02 11:42 EST)", root.display())
    );
    assert_eq!(
        incident(root, id),
        r#"+++
title = "Service management unavailable"
impact = "critical"
started = 2026-12-02T11:42:10-05:00

[[affected]]
components = ["service-management"]
regions = ["us-north", "eu-west"]
status = "major_outage"

[[affected]]
components = ["api"]
status = "major_outage"

[[updates]]
at = 2026-12-02T11:42:10-05:00
status = "investigating"
body = "We are investigating reports of a major outage affecting Service Management in US North and EU West; Public API."
+++
"#
    );
    let out = ok(root, &[&UPGRADE[..], &["--end", "2026-12-05T09:00:00Z", "--now", "2026-12-02T16:50:00Z"]].concat());
    let mid = "2026-12-05-database-engine-upgrade";
    assert!(out.contains(&format!(
        "/content/maintenance/{mid}.md (maintenance {mid}, scheduled 2026-12-05 02:00 EST to 2026-12-05 04:00 EST)"
    )));
    assert_eq!(
        common::read(root, &format!("content/maintenance/{mid}.md")),
        r#"+++
title = "Database engine upgrade"
scheduled_start = 2026-12-05T02:00:00-05:00
scheduled_end = 2026-12-05T09:00:00Z
groups = ["compute"]
regions = ["us-north"]

[[updates]]
at = 2026-12-02T11:50:00-05:00
status = "scheduled"
body = "We will carry out maintenance on Compute in US North from 2026-12-05 02:00 EST to 2026-12-05 04:00 EST."
+++
"#
    );
    let check = run(root, &["check", "--now", "2026-12-02T17:00:00Z"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert_eq!(stdout(&check), "ok: 2 files, 1 incident, 0 warnings\n");

    // At 13:30 EST the outage shows while it is open, and not once resolved at 13:00.
    let status_at = |label: &str| {
        let output = root.join(format!("site-{label}"));
        let out = candor(&["build", "--root", path(root), "--output", path(&output), "--now", "2026-12-02T18:30:00Z"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let summary = json(&output, "api/v2/summary.json");
        let status = summary["status"]["indicator"].as_str().unwrap().to_owned();
        let cells: Vec<String> = summary["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["id"] == "service-management.eu-west" || c["id"] == "api.us-north")
            .map(|c| c["status"].as_str().unwrap().to_owned())
            .collect();
        (status, cells, json(&output, "api/v2/incidents.json"))
    };
    let (open, cells, _) = status_at("open");
    assert_eq!((open.as_str(), cells), ("critical", vec!["major_outage".to_owned(), "major_outage".to_owned()]));

    ok(
        root,
        &[
            "update",
            id,
            "--status",
            "monitoring",
            "--message",
            "A fix for the control plane is rolling out region by region.",
            "--now",
            "2026-12-02T17:30:00Z",
        ],
    );
    let out = ok(
        root,
        &[
            "resolve",
            id,
            "--message",
            "All regions have recovered and error rates are back to normal.",
            "--now",
            "2026-12-02T18:00:00Z",
        ],
    );
    assert!(out.contains("resolved 2026-12-02 13:00 EST after 1 h 17 min; 2 windows ended"), "{out}");
    let text = incident(root, id);
    assert!(text.contains("started = 2026-12-02T11:42:10-05:00\nresolved = 2026-12-02T13:00:00-05:00\n"), "{text}");
    assert!(text.ends_with(
        "[[updates]]\nat = 2026-12-02T13:00:00-05:00\nstatus = \"resolved\"\nbody = \"All regions have recovered and error rates are back to normal.\"\n+++\n"
    ));
    let (after, cells, incidents) = status_at("resolved");
    assert_eq!((after.as_str(), cells), ("none", vec!["operational".to_owned(), "operational".to_owned()]));
    let inc = &incidents["incidents"][0];
    assert_eq!(inc["status"], "resolved");
    assert_eq!(inc["resolved_at"], "2026-12-02T13:00:00.000-05:00");
    assert_eq!(inc["incident_updates"].as_array().unwrap().len(), 3);
    let check = run(root, &["check", "--strict", "--now", "2026-12-02T19:00:00Z"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn dst_overlap_and_gap_get_the_offset_in_force() {
    let dir = site();
    let root = dir.path();
    // 05:30 and 06:30 UTC on 2026-11-01 are both 01:30 in New York.
    ok(root, &["new", "incident", "Fall back", "--now", "2026-11-01T05:30:00Z"]);
    let id = "2026-11-01-fall-back";
    ok(root, &["update", id, "--message", "Second 01:30.", "--now", "2026-11-01T06:30:00Z"]);
    let text = incident(root, id);
    assert!(text.contains("started = 2026-11-01T01:30:00-04:00\n"), "{text}");
    assert!(text.contains("at = 2026-11-01T01:30:00-04:00\nstatus = \"investigating\"\nbody = \"We are investigating reports of a problem.\"\n"), "{text}");
    assert!(
        text.contains("at = 2026-11-01T01:30:00-05:00\nstatus = \"investigating\"\nbody = \"Second 01:30.\"\n"),
        "{text}"
    );

    // 06:59 UTC is 01:59 EST, 07:00 UTC is 03:00 EDT: 02:xx does not exist.
    ok(root, &["new", "incident", "Spring forward", "--now", "2026-03-08T06:59:00Z"]);
    let spring = "2026-03-08-spring-forward";
    ok(
        root,
        &["update", spring, "--status", "identified", "--message", "After the gap.", "--now", "2026-03-08T07:00:00Z"],
    );
    let text = incident(root, spring);
    assert!(text.contains("started = 2026-03-08T01:59:00-05:00\n"), "{text}");
    assert!(text.contains("at = 2026-03-08T03:00:00-04:00\nstatus = \"identified\"\n"), "{text}");

    // Read back, the written times are the instants the clock gave.
    let output = root.join("site");
    let out = candor(&["build", "--root", path(root), "--output", path(&output), "--now", "2026-11-02T00:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let incidents = json(&output, "api/v2/incidents.json");
    let utc = |t: &serde_json::Value| {
        chrono::DateTime::parse_from_rfc3339(t.as_str().unwrap()).unwrap().with_timezone(&chrono::Utc).to_rfc3339()
    };
    let by_id = |id: &str| incidents["incidents"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
    let fall = by_id(id);
    let updates: Vec<String> =
        fall["incident_updates"].as_array().unwrap().iter().map(|u| utc(&u["created_at"])).collect();
    assert_eq!(utc(&fall["started_at"]), "2026-11-01T05:30:00+00:00");
    assert!(
        updates.contains(&"2026-11-01T05:30:00+00:00".to_owned())
            && updates.contains(&"2026-11-01T06:30:00+00:00".to_owned())
    );
    let spring = by_id(spring);
    assert_eq!(utc(&spring["started_at"]), "2026-03-08T06:59:00+00:00");

    // A local maintenance time in the gap is refused with both readings.
    let out = run(
        root,
        &[
            "new",
            "maintenance",
            "Gap",
            "--affects",
            "billing",
            "--start",
            "2026-03-08T02:30",
            "--end",
            "2026-03-08T04:00",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(
        "error: --start 2026-03-08T02:30: 2026-03-08T02:30:00 does not exist in America/New_York: the clocks skip it (the zone's UTC offset changes from -05:00 to -04:00 then); write the offset of the instant you mean: 2026-03-08T02:30:00-05:00 (07:30 UTC) or 2026-03-08T02:30:00-04:00 (06:30 UTC)"
    ), "{}", stderr(&out));
    assert!(listing(root, "content/maintenance").is_empty());
}

#[test]
fn the_same_title_on_the_same_day_gets_distinct_files() {
    let dir = site();
    let root = dir.path();
    let args =
        |now| vec!["new", "incident", "API errors!", "--affects", "api", "--status", "partial_outage", "--now", now];
    // 04:59 UTC is still 2026-12-01 in New York; the others are on the 2nd.
    let first = ok(root, &args("2026-12-02T04:59:00Z"));
    let second = ok(root, &args("2026-12-02T05:00:00Z"));
    let third = ok(root, &args("2026-12-02T20:00:00Z"));
    let fourth = ok(root, &args("2026-12-02T21:00:00Z"));
    assert!(first.contains("(incident 2026-12-01-api-errors, started 2026-12-01 23:59 EST)"), "{first}");
    assert!(second.contains("(incident 2026-12-02-api-errors, started 2026-12-02 00:00 EST)"), "{second}");
    assert!(third.contains("(incident 2026-12-02-api-errors-2,"), "{third}");
    assert!(fourth.contains("(incident 2026-12-02-api-errors-3,"), "{fourth}");
    assert_eq!(
        listing(root, "content/incidents"),
        [
            "2026-12-01-api-errors.md",
            "2026-12-02-api-errors-2.md",
            "2026-12-02-api-errors-3.md",
            "2026-12-02-api-errors.md"
        ]
    );
    assert!(incident(root, "2026-12-02-api-errors-3").contains("impact = \"major\"\n"));
    // They are all open and stale by then; the point is that all four load.
    let check = run(root, &["check", "--now", "2026-12-03T00:00:00Z"]);
    assert_eq!(stdout(&check), "ok: 4 files, 4 incidents, 4 warnings\n", "{}", stderr(&check));
    assert_eq!(stderr(&check).matches("warning[stale-update]").count(), 4, "{}", stderr(&check));
}

/// `candor ARGS --root ROOT [--now NOW]` with `input` on standard input,
/// in a shell that exports `SOURCE_DATE_EPOCH` as Nix shells do (1980).
fn run_with_stdin(root: &Path, args: &[&str], input: &str, now: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_candor"));
    cmd.args(args).args(["--root", path(root)]).env("SOURCE_DATE_EPOCH", "315532800");
    if let Some(now) = now {
        cmd.args(["--now", now]);
    }
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn messages_come_from_standard_input() {
    let dir = site();
    let root = dir.path();
    write_incident(root, ID, HAND_WRITTEN);
    // Before the last update, so refused.
    let early = run_with_stdin(root, &["update", ID], "Too early.\n", Some("2025-12-02T17:00:00Z"));
    assert_eq!(early.status.code(), Some(1), "{}", stderr(&early));
    assert_eq!(incident(root, ID), HAND_WRITTEN);

    // 17:00 UTC = 12:00 EST; the path form of the id works too.
    let file = root.join(format!("content/incidents/{ID}.md"));
    let input = "We rolled back the config push.\n\n- checkout works again\n- we keep watching\n\n";
    let out =
        run_with_stdin(root, &["update", path(&file), "--status", "monitoring"], input, Some("2026-12-02T17:00:00Z"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("update 2, monitoring, at 2026-12-02 12:00 EST"), "{}", stdout(&out));
    let text = incident(root, ID);
    assert!(
        text.contains("at = 2026-12-02T12:00:00-05:00\nstatus = \"monitoring\"\nbody = \"\"\"\nWe rolled back the config push.\n\n- checkout works again\n- we keep watching\"\"\"\n"),
        "{text}"
    );

    let empty = run_with_stdin(root, &["resolve", ID], "\n\n", Some("2026-12-02T18:00:00Z"));
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("error: the message is empty"));
    assert_eq!(incident(root, ID), text);
}

#[test]
fn commands_stamp_the_wall_clock_even_where_source_date_epoch_is_set() {
    let dir = site();
    let root = dir.path();
    write_incident(root, ID, HAND_WRITTEN);
    let before = chrono::Utc::now().timestamp();
    // No --now: SOURCE_DATE_EPOCH=315532800 (1980) is exported, and ignored.
    let out = run_with_stdin(root, &["update", ID], "Still rolling back.\n", None);
    let after = chrono::Utc::now().timestamp();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = incident(root, ID);
    let at = text.lines().rev().find_map(|l| l.strip_prefix("at = ")).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(at).unwrap().timestamp();
    // Stamped to the minute, so up to 59 s before the run started.
    assert!((before - 60..=after).contains(&at), "{at} not in {before}..={after}: {text}");
}

#[test]
fn what_a_command_writes_is_linted_as_check_would_lint_it() {
    let dir = site();
    let root = dir.path();
    write_incident(root, ID, HAND_WRITTEN);
    let now = "2026-12-02T15:00:00Z";
    let out = run(root, &["update", ID, "--message", "We are still investigating this issue.", "--now", now]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    let warning = said.lines().find(|l| l.contains("warning[vague-update]")).unwrap_or_else(|| panic!("{said}"));
    assert!(warning.starts_with(&format!("content/incidents/{ID}.md:")), "{warning}");
    // `check` at the same clock says the same of the file, at the same place.
    let check = run(root, &["check", "--now", now]);
    assert!(stderr(&check).lines().any(|l| l == warning), "{}\n---\n{warning}", stderr(&check));

    // The file's `allow` silences it in the commands as in `check`.
    let text = incident(root, ID).replacen("+++\n", "+++\nallow = [\"vague-update\"]\n", 1);
    std::fs::write(root.join(format!("content/incidents/{ID}.md")), text).unwrap();
    let out = run(root, &["update", ID, "--message", "We are still investigating.", "--now", "2026-12-02T15:10:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("vague-update"), "{}", stderr(&out));
}

#[test]
fn a_maintenance_is_updated_through_its_window() {
    let dir = site();
    let root = dir.path();
    let new = [&UPGRADE[..], &["--end", "2026-12-05T04:00", "--now", "2026-12-02T16:50:00Z"]].concat();
    ok(root, &new);
    let mid = "2026-12-05-database-engine-upgrade";
    let file = root.join(format!("content/maintenance/{mid}.md"));
    let said = "The upgrade has started; writes pause for up to 5 minutes.";
    let out = ok(root, &["update", mid, "--status", "in_progress", "--message", said, "--now", "2026-12-05T07:01:00Z"]);
    assert!(out.contains(&format!("(maintenance {mid}: update 2, in_progress, at 2026-12-05 02:01 EST)")), "{out}");
    // The path form works too, and the status stays the last one.
    let out = ok(
        root,
        &["update", path(&file), "--message", "Half of the nodes run the new engine.", "--now", "2026-12-05T07:45:00Z"],
    );
    assert!(out.contains("update 3, in_progress, at 2026-12-05 02:45 EST"), "{out}");

    // What a maintenance cannot take is refused, and the file left as it is.
    let before = common::read(root, &format!("content/maintenance/{mid}.md"));
    let refused = [
        (&["resolve", mid, "--message", "x"][..], 2, "is a maintenance, which ends by its schedule"),
        (&["update", mid, "--reopen", "--message", "x"][..], 2, "has nothing to reopen"),
        (
            &["update", mid, "--status", "monitoring", "--message", "x"][..],
            1,
            "write scheduled, in_progress, verifying or completed",
        ),
    ];
    for (args, code, expected) in refused {
        let out = run(root, &[args, &["--now", "2026-12-05T08:00:00Z"]].concat());
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
        assert_eq!(common::read(root, &format!("content/maintenance/{mid}.md")), before, "{args:?}");
    }

    ok(
        root,
        &["update", mid, "--status", "completed", "--message", "The upgrade is done.", "--now", "2026-12-05T08:50:00Z"],
    );
    let text = common::read(root, &format!("content/maintenance/{mid}.md"));
    assert!(
        text.ends_with(
            "at = 2026-12-05T03:50:00-05:00\nstatus = \"completed\"\nbody = \"The upgrade is done.\"\n+++\n"
        ),
        "{text}"
    );
    let check = run(root, &["check", "--now", "2026-12-05T10:00:00Z"]);
    assert_eq!(stdout(&check), "ok: 1 file, 0 incidents, 0 warnings\n", "{}", stderr(&check));
    let output = root.join("site");
    let out = candor(&["build", "--root", path(root), "--output", path(&output), "--now", "2026-12-05T10:00:00Z"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let api = json(&output, "api/v2/scheduled-maintenances.json");
    let listed = &api["scheduled_maintenances"][0];
    assert_eq!(listed["status"], "completed", "{listed}");
    assert_eq!(listed["incident_updates"].as_array().map(Vec::len), Some(4), "{listed}");
}

#[test]
fn set_changes_cells_from_now_and_keeps_what_was_shown_before() {
    let dir = site();
    let root = dir.path();
    let id = "2026-12-02-compute-outage";
    let new = ["new", "incident", "Compute outage", "--affects", "compute", "--status", "major_outage"];
    ok(root, &[&new[..], &["--now", "2026-12-02T15:00:00Z"]].concat());
    let out = ok(
        root,
        &[
            "update",
            id,
            "--set",
            "service-management:eu-west=operational",
            "--status",
            "identified",
            "--message",
            "EU West has recovered; US North is still down.",
            "--now",
            "2026-12-02T15:30:00Z",
        ],
    );
    assert!(out.ends_with("set service-management:eu-west=operational (1 open window ended))\n"), "{out}");
    let said = "Both services answer again in US North, slowly.";
    ok(
        root,
        &["update", id, "--set", "compute=degraded_performance", "--message", said, "--now", "2026-12-02T16:00:00Z"],
    );
    let text = incident(root, id);
    // The group's window keeps the cells not named, in place (both run in
    // US North); the named ones end in a block of their own; the new status
    // starts at 11:00 EST.
    assert!(
        text.contains(
            "[[affected]]\ncomponents = [\"service-management\", \"api\"]\nregions = [\"us-north\"]\nstatus = \"major_outage\"\nto = 2026-12-02T11:00:00-05:00\n\n\
             [[affected]]\ncomponents = [\"service-management\"]\nregions = [\"eu-west\"]\nstatus = \"major_outage\"\nto = 2026-12-02T10:30:00-05:00\n\n\
             [[affected]]\ncomponents = [\"service-management\", \"api\"]\nstatus = \"degraded_performance\"\nfrom = 2026-12-02T11:00:00-05:00\n"
        ),
        "{text}"
    );

    // What the site shows at each moment: before each change as it was.
    let cells_at = |now: &str| {
        let output = root.join(format!("site-{}", now.replace(':', "")));
        let out = candor(&["build", "--root", path(root), "--output", path(&output), "--now", now]);
        assert!(out.status.success(), "{}", stderr(&out));
        let front = common::read(&output, "index.html");
        let affects = front
            .lines()
            .find(|l| l.contains("Affects now: ") || l.contains("No service is affected now"))
            .unwrap_or_else(|| panic!("{front}"))
            .to_owned();
        let summary = json(&output, "api/v2/summary.json");
        let mut cells: Vec<String> = summary["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["group"] == false && c["id"].as_str().is_some_and(|id| id.contains('.')))
            .map(|c| format!("{}={}", c["id"].as_str().unwrap(), c["status"].as_str().unwrap()))
            .filter(|c| !c.starts_with("billing"))
            .collect();
        cells.sort();
        (cells, affects)
    };
    let expect = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (cells, affects) = cells_at("2026-12-02T15:15:00Z");
    let all_major = [
        "api.us-north=major_outage",
        "service-management.eu-west=major_outage",
        "service-management.us-north=major_outage",
    ];
    assert_eq!(cells, expect(&all_major));
    // The front page says where the incident affects services now.
    let link = |id: &str, name: &str| format!("<a href=\"components/{id}/index.html\">{name}</a>");
    let (sm, api) = (link("service-management", "Service Management"), link("api", "Public API"));
    assert!(affects.contains(&format!("Affects now: {sm} in both regions; {api} in US North</p>")), "{affects}");
    let (cells, affects) = cells_at("2026-12-02T15:45:00Z");
    let recovered = [
        "api.us-north=major_outage",
        "service-management.eu-west=operational",
        "service-management.us-north=major_outage",
    ];
    assert_eq!(cells, expect(&recovered));
    assert!(affects.contains(&format!("Affects now: {sm} in US North; {api} in US North</p>")), "{affects}");
    let (cells, _) = cells_at("2026-12-02T16:30:00Z");
    assert_eq!(
        cells,
        expect(&[
            "api.us-north=degraded_performance",
            "service-management.eu-west=degraded_performance",
            "service-management.us-north=degraded_performance"
        ])
    );

    // Mistakes in --set are refused before anything is asked or written.
    let before = incident(root, id);
    for (set, code, expected) in [
        ("nope=operational", 1, "\"nope\", which is no component or group"),
        ("api:eu-west=operational", 1, "api does not run in eu-west"),
        ("api:eu-wst=operational", 1, "did you mean eu-west?"),
        ("api=down", 2, "\"down\" is not a status"),
        ("api", 2, "has no status"),
    ] {
        let out = run(root, &["update", id, "--set", set, "--message", "x", "--now", "2026-12-02T16:40:00Z"]);
        assert_eq!(out.status.code(), Some(code), "{set}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{set}: {}", stderr(&out));
        assert_eq!(incident(root, id), before, "{set}");
    }

    // Everything recovered while the incident stays open (monitoring).
    let said = "Every service answers normally; we keep watching.";
    let now = "2026-12-02T16:45:00Z";
    ok(
        root,
        &["update", id, "--set", "compute=operational", "--status", "monitoring", "--message", said, "--now", now],
    );
    let (cells, affects) = cells_at("2026-12-02T17:00:00Z");
    let operational = [
        "api.us-north=operational",
        "service-management.eu-west=operational",
        "service-management.us-north=operational",
    ];
    assert_eq!(cells, expect(&operational));
    assert!(affects.contains("No service is affected now."), "{affects}");
}

#[test]
fn an_incident_and_a_maintenance_never_share_an_id() {
    let dir = site();
    let root = dir.path();
    ok(root, &["new", "incident", "Database engine upgrade", "--now", "2026-12-05T07:30:00Z"]);
    let window = ["--affects", "billing", "--start", "2026-12-05T09:00", "--end", "2026-12-05T10:00"];
    let out = ok(
        root,
        &[&["new", "maintenance", "Database engine upgrade"][..], &window, &["--now", "2026-12-05T07:40:00Z"]].concat(),
    );
    assert!(out.contains("maintenance 2026-12-05-database-engine-upgrade-2,"), "{out}");
    assert_eq!(listing(root, "content/incidents"), ["2026-12-05-database-engine-upgrade.md"]);
    assert_eq!(listing(root, "content/maintenance"), ["2026-12-05-database-engine-upgrade-2.md"]);
}

#[test]
fn errors_the_file_already_had_are_said_to_be_there_before_the_edit() {
    let dir = site();
    let root = dir.path();
    let broken = HAND_WRITTEN.replace("impact = 'major'", "impact = 'huge'");
    write_incident(root, ID, &broken);
    let out = run(root, &["update", ID, "--message", "Still failing.", "--now", "2026-12-02T15:00:00Z"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("`impact` in an incident's front matter cannot be \"huge\""), "{err}");
    assert!(err.contains("\n  note: this was in the file before the command changed it: fix it there"), "{err}");
    assert_eq!(incident(root, ID), broken);
    // An error the edit itself makes carries no such note.
    write_incident(root, ID, HAND_WRITTEN);
    let out = run(root, &["update", ID, "--message", "Too early.", "--now", "2026-12-02T13:00:00Z"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
}

#[test]
fn a_broken_config_or_maintenance_arguments_are_reported_before_anything_is_written() {
    let dir = site();
    let root = dir.path();
    let maintenance = |end: &str, extra: &[&str]| {
        let mut args = vec!["new", "maintenance", "Upgrade", "--start", "2026-12-05T02:00", "--end", end];
        args.extend(extra);
        run(root, &args)
    };
    let out = maintenance("2026-12-05T03:00", &["--affects", "api:us-north", "--affects", "billing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(
        "error: --affects api:us-north and --affects billing name different regions, but a maintenance has one region list"
    ));
    let out = maintenance("soon", &["--affects", "billing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error: --end \"soon\" is not a date and time"), "{}", stderr(&out));
    let out = maintenance("2026-12-05T01:00", &["--affects", "billing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error: `scheduled_end` (2026-12-05 01:00 EST) is not after `scheduled_start`"));
    assert!(listing(root, "content/maintenance").is_empty());

    let config =
        common::read(root, "status.toml").replace("timezone = \"America/New_York\"", "timezone = \"America/NewYork\"");
    std::fs::write(root.join("status.toml"), config).unwrap();
    let out = run(root, &["new", "incident", "Down", "--now", "2026-12-02T15:00:00Z"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("status.toml:5:12: error: unknown time zone \"America/NewYork\"\n  hint: did you mean \"America/New_York\"?\n"), "{err}");
    assert!(err.ends_with("failed: 1 error, 0 warnings in 1 file\nnothing was written\n"), "{err}");
    assert!(listing(root, "content/incidents").is_empty());
}

#[test]
fn a_file_with_its_own_zone_gets_times_in_that_zone() {
    let dir = site();
    let root = dir.path();
    let text = "+++\ntitle = \"London\"\nimpact = \"minor\"\ntimezone = \"Europe/London\"\nstarted = 2026-03-29T00:30:00\n\n[[updates]]\nat = 2026-03-29T00:40:00\nstatus = \"investigating\"\nbody = \"Looking.\"\n+++\n";
    write_incident(root, "2026-03-28-london", text);
    // British Summer Time starts at 01:00 UTC on 2026-03-29.
    let out =
        ok(root, &["update", "2026-03-28-london", "--message", "Still looking.", "--now", "2026-03-29T01:30:00Z"]);
    assert!(out.contains("update 2, investigating, at 2026-03-28 21:30 EDT"), "{out}");
    let out = ok(root, &["resolve", "2026-03-28-london", "--message", "Done.", "--now", "2026-03-29T02:00:00.750Z"]);
    assert!(out.contains("resolved 2026-03-28 22:00 EDT after 1 h 30 min; no window was open"), "{out}");
    let edited = incident(root, "2026-03-28-london");
    assert!(edited.contains("started = 2026-03-29T00:30:00\nresolved = 2026-03-29T03:00:00+01:00\n"), "{edited}");
    assert!(edited.contains("at = 2026-03-29T02:30:00+01:00\nstatus = \"investigating\"\n"), "{edited}");
    assert!(
        edited.ends_with("at = 2026-03-29T03:00:00+01:00\nstatus = \"resolved\"\nbody = \"Done.\"\n+++\n"),
        "{edited}"
    );
}

#[test]
fn a_maintenance_names_a_sparse_grid_in_one_block() {
    let dir = site();
    let root = dir.path();
    let window = ["--start", "2026-12-05T02:00", "--end", "2026-12-05T04:00", "--now", "2026-12-01T12:00:00Z"];
    // api runs in us-north only: the block means three cells, not an error.
    let both = ["--affects", "service-management:us-north,eu-west", "--affects", "api:us-north,eu-west"];
    ok(root, &[&["new", "maintenance", "Router upgrade"][..], &both, &window].concat());
    let [file] = listing(root, "content/maintenance").try_into().unwrap();
    let text = common::read(root, &format!("content/maintenance/{file}"));
    assert!(
        text.contains("components = [\"service-management\", \"api\"]\nregions = [\"us-north\", \"eu-west\"]\n"),
        "{text}"
    );
    let check = run(root, &["check", "--now", "2026-12-01T12:00:00Z"]);
    assert!(check.status.success(), "{}", stderr(&check));

    // A component in none of the regions named is refused, before anything is written.
    let none = ["--affects", "service-management:eu-west", "--affects", "api:eu-west"];
    let out = run(root, &[&["new", "maintenance", "Other upgrade"][..], &none, &window].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("api does not run in any of the regions named, so --affects cannot name it there"),
        "{}",
        stderr(&out)
    );
    assert_eq!(listing(root, "content/maintenance").len(), 1);
}
