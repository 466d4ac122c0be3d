//! The lints of `candor check` and `candor build`, run with the real binary
//! on small sites written into temporary folders: for each lint a case that
//! fires (exact code, place and message) and one that does not, with the
//! boundaries; silencing with `allow`; `--strict`; bad `allow` lists.

mod common;

use common::{candor, path, repo, stderr, stdout, NOW};
use std::path::Path;
use std::process::Output;

/// A site in a temporary folder: status.toml with `zone` and `extra`
/// config, and content files given as (path under content/, text).
fn site(zone: &str, extra: &str, files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = format!(
        "title = \"Lint test\"\nbase_url = \"https://status.example.com\"\ntimezone = \"{zone}\"\n{extra}\n\
         [[regions]]\nid = \"global\"\nname = \"Global\"\n\n[[components]]\nid = \"api\"\nname = \"API\"\n"
    );
    std::fs::write(dir.path().join("status.toml"), status).unwrap();
    for (rel, text) in files {
        let p = dir.path().join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn check(dir: &Path, now: &str, strict: bool) -> Output {
    let mut args = vec!["check", "--root", path(dir), "--now", now];
    if strict {
        args.push("--strict");
    }
    candor(&args)
}

/// The diagnostic lines (with their hints) `check` printed, which must succeed.
fn warnings(dir: &Path, now: &str) -> Vec<String> {
    let out = check(dir, now, false);
    assert!(out.status.success(), "check failed:\n{}{}", stdout(&out), stderr(&out));
    stderr(&out).lines().map(str::to_owned).collect()
}

/// Only the `path:line:col: level[code]: message` lines.
fn headlines(dir: &Path, now: &str) -> Vec<String> {
    warnings(dir, now).into_iter().filter(|l| !l.starts_with("  hint: ")).collect()
}

fn incident(front: &str) -> String {
    format!("+++\n{front}+++\nWhat happened.\n")
}

const SPECIFIC_1: &str = "Requests to the API in every region fail with HTTP 503 for about a third of calls.";
const SPECIFIC_2: &str = "We moved traffic off the faulty load balancer pool; errors are down to 2% of calls.";

/// An open incident in New York time whose last update is at 09:10 EST.
fn open_incident() -> String {
    incident(&format!(
        "title = \"API errors\"\nimpact = \"minor\"\nstarted = 2026-12-02T08:40:00-05:00\n\
         [[updates]]\nat = 2026-12-02T08:45:00-05:00\nstatus = \"investigating\"\nbody = \"{SPECIFIC_1}\"\n\
         [[updates]]\nat = 2026-12-02T09:10:00-05:00\nstatus = \"identified\"\nbody = \"{SPECIFIC_2}\"\n"
    ))
}

const NY: &str = "America/New_York";

/// A clock after every time of the December incidents below.
const AFTER: &str = "2026-12-03T00:00:00Z";

#[test]
fn stale_update_fires_one_minute_after_the_interval_and_not_at_it() {
    let dir = site(NY, "", &[("incidents/open.md", open_incident())]);
    // Exactly 60 minutes after 09:10 EST (14:10 UTC): on time.
    assert!(warnings(dir.path(), "2026-12-02T15:10:00Z").is_empty());
    assert_eq!(
        warnings(dir.path(), "2026-12-02T15:11:00Z"),
        [
            "content/incidents/open.md:10:6: warning[stale-update]: customers were promised an update every \
             60 minutes; the last one was 1 h 1 min ago (2026-12-02 09:10 EST)",
            "  hint: post an update that says what changed and when the next one comes, or resolve the incident \
             (or add allow = [\"stale-update\"] to the front matter)",
        ]
    );
    assert_eq!(
        headlines(dir.path(), "2026-12-02T16:25:00Z"),
        ["content/incidents/open.md:10:6: warning[stale-update]: customers were promised an update every \
          60 minutes; the last one was 2 h 15 min ago (2026-12-02 09:10 EST)"]
    );
}

#[test]
fn stale_update_follows_update_interval_and_skips_resolved_incidents() {
    let dir = site(NY, "update_interval = \"1h30m\"", &[("incidents/open.md", open_incident())]);
    assert!(warnings(dir.path(), "2026-12-02T15:40:00Z").is_empty());
    assert_eq!(
        headlines(dir.path(), "2026-12-02T15:41:00Z"),
        ["content/incidents/open.md:10:6: warning[stale-update]: customers were promised an update every \
          90 minutes; the last one was 1 h 31 min ago (2026-12-02 09:10 EST)"]
    );
    let resolved = open_incident().replace(
        "started = 2026-12-02T08:40:00-05:00\n",
        "started = 2026-12-02T08:40:00-05:00\nresolved = 2026-12-02T09:10:00-05:00\n",
    );
    let resolved = resolved.replace("status = \"identified\"", "status = \"resolved\"");
    let dir = site(NY, "", &[("incidents/done.md", resolved)]);
    assert!(warnings(dir.path(), "2026-12-03T15:10:00Z").is_empty());
}

fn two_updates(first: &str, second: &str, second_at: &str) -> String {
    incident(&format!(
        "title = \"API errors\"\nimpact = \"minor\"\nstarted = 2026-12-02T08:40:00-05:00\n\
         resolved = 2026-12-02T11:00:00-05:00\n\
         [[updates]]\nat = 2026-12-02T08:45:00-05:00\nstatus = \"investigating\"\nbody = \"{first}\"\n\
         [[updates]]\nat = {second_at}\nstatus = \"resolved\"\nbody = \"{second}\"\n"
    ))
}

#[test]
fn repeated_update_states_the_measure_and_the_score() {
    let first = "We have rolled back the deployment and error rates in US East are falling. Next update at 10:00.";
    let again = "We have rolled back the deployment and error rates in US East are falling. Thanks.";
    let dir = site(NY, "", &[("incidents/repeat.md", two_updates(first, again, "2026-12-02T10:00:00-05:00"))]);
    assert_eq!(
        warnings(dir.path(), AFTER),
        [
            "content/incidents/repeat.md:13:8: warning[repeated-update]: update 2 says little that update 1 did \
             not: 92% of its three-word phrases are in update 1 (containment of word 3-shingles; the limit is 80%)",
            "  hint: say what changed since update 1: what was found or done, what customers should do, and when \
             the next update comes (or add allow = [\"repeated-update\"] to the front matter)",
        ]
    );
    let dir = site(NY, "", &[("incidents/fine.md", two_updates(first, SPECIFIC_2, "2026-12-02T10:00:00-05:00"))]);
    assert!(warnings(dir.path(), AFTER).is_empty());
}

#[test]
fn vague_update_flags_boilerplate_and_short_updates_but_not_an_early_first_one() {
    let boiler = "We are continuing to investigate this issue. We apologize for the inconvenience.";
    let dir =
        site(NY, "", &[("incidents/vague.md", two_updates("Looking into it.", boiler, "2026-12-02T09:30:00-05:00"))]);
    // The first update ("Looking into it.", 3 words) came 5 minutes after `started`: allowed.
    assert_eq!(
        headlines(dir.path(), AFTER),
        ["content/incidents/vague.md:13:8: warning[vague-update]: update 2 says only what any update says \
          (\"we are continuing to investigate\" and the like)"]
    );
    // The same first update an hour and a minute after `started` is flagged.
    let late = two_updates("Looking into it.", SPECIFIC_2, "2026-12-02T10:30:00-05:00")
        .replace("at = 2026-12-02T08:45:00-05:00", "at = 2026-12-02T09:41:00-05:00");
    let dir = site(NY, "", &[("incidents/late.md", late)]);
    assert_eq!(
        warnings(dir.path(), AFTER),
        [
            "content/incidents/late.md:9:8: warning[vague-update]: update 1 has only 3 words (fewer than 6), \
             so it cannot say anything specific",
            "  hint: say what is affected, what was found or done since the last update, and when the next \
             update comes (or add allow = [\"vague-update\"] to the front matter)",
        ]
    );
    // Exactly an hour after `started` is still early.
    let on_time = two_updates("Looking into it.", SPECIFIC_2, "2026-12-02T10:30:00-05:00")
        .replace("at = 2026-12-02T08:45:00-05:00", "at = 2026-12-02T09:40:00-05:00");
    let dir = site(NY, "", &[("incidents/ok.md", on_time)]);
    assert!(warnings(dir.path(), AFTER).is_empty());
}

/// A resolved incident of `impact`, resolved at 2026-11-10 12:00 UTC.
fn resolved_incident(impact: &str, postmortem: &str) -> String {
    incident(&format!(
        "title = \"API errors\"\nimpact = \"{impact}\"\nstarted = 2026-11-10T10:00:00Z\n\
         resolved = 2026-11-10T12:00:00Z\n\
         [[updates]]\nat = 2026-11-10T10:05:00Z\nstatus = \"investigating\"\nbody = \"{SPECIFIC_1}\"\n\
         [[updates]]\nat = 2026-11-10T12:00:00Z\nstatus = \"resolved\"\nbody = \"{SPECIFIC_2}\"\n{postmortem}"
    ))
}

#[test]
fn missing_postmortem_after_postmortem_days_for_major_and_critical_only() {
    let dir = site("UTC", "", &[("incidents/major.md", resolved_incident("major", ""))]);
    assert!(warnings(dir.path(), "2026-11-17T12:00:00Z").is_empty(), "exactly 7 days: not yet");
    assert_eq!(
        warnings(dir.path(), "2026-11-17T12:01:00Z"),
        [
            "content/incidents/major.md:5:12: warning[missing-postmortem]: this major incident was resolved \
             7 d 1 min ago (2026-11-10 12:00 UTC) and has no postmortem (expected within 7 days)",
            "  hint: publish a [postmortem] with summary, root_cause and action items (`candor postmortem major` adds \
             a draft, which counts once it has `published`); [lints] postmortem_days in status.toml sets the delay (or add allow = [\"missing-postmortem\"] to the front matter)",
        ]
    );
    let dir = site("UTC", "", &[("incidents/minor.md", resolved_incident("minor", ""))]);
    assert!(warnings(dir.path(), "2027-11-17T12:01:00Z").is_empty(), "minor incidents need none");

    let dir = site("UTC", "[lints]\npostmortem_days = 2\n", &[("incidents/c.md", resolved_incident("critical", ""))]);
    assert!(warnings(dir.path(), "2026-11-12T12:00:00Z").is_empty());
    assert_eq!(
        headlines(dir.path(), "2026-11-12T12:01:00Z"),
        ["content/incidents/c.md:5:12: warning[missing-postmortem]: this critical incident was resolved \
          2 d 1 min ago (2026-11-10 12:00 UTC) and has no postmortem (expected within 2 days)"]
    );
}

const POSTMORTEM: &str = "[postmortem]\npublished = 2026-11-12T12:00:00Z\nsummary = \"A bad pool.\"\n\
                          root_cause = \"A load balancer pool ran out of ports.\"\n";

#[test]
fn empty_postmortem_needs_one_action_item_in_any_section() {
    let dir = site("UTC", "", &[("incidents/pm.md", resolved_incident("major", POSTMORTEM))]);
    assert_eq!(
        warnings(dir.path(), NOW),
        [
            "content/incidents/pm.md:14:1: warning[empty-postmortem]: the postmortem has no action items: none \
             under prevention, detection, response or recovery",
            "  hint: add what will change, e.g. [[postmortem.prevention]] with title and status \
             (or add allow = [\"empty-postmortem\"] to the front matter)",
        ]
    );
    let with_item = format!("{POSTMORTEM}[[postmortem.recovery]]\ntitle = \"Port alarms\"\nstatus = \"planned\"\n");
    let dir = site("UTC", "", &[("incidents/pm.md", resolved_incident("major", &with_item))]);
    assert!(warnings(dir.path(), NOW).is_empty());
}

/// A postmortem with one action item due on 2026-12-01.
fn action_due(status: &str) -> String {
    resolved_incident(
        "major",
        &format!(
            "{POSTMORTEM}[[postmortem.detection]]\ntitle = \"Port alarms\"\nstatus = \"{status}\"\ndue = 2026-12-01\n"
        ),
    )
}

#[test]
fn overdue_action_counts_days_in_the_site_zone() {
    // Kiritimati is UTC+14: 2026-11-30T10:30Z is already 00:30 on December 1
    // there (due today: not overdue), and 2026-12-01T10:00Z is December 2
    // (overdue), while both are still on or before December 1 in UTC.
    let kiri = "Pacific/Kiritimati";
    let dir = site(kiri, "", &[("incidents/pm.md", action_due("in_progress"))]);
    assert!(warnings(dir.path(), "2026-11-30T10:30:00Z").is_empty());
    assert!(warnings(dir.path(), "2026-12-01T09:59:00Z").is_empty());
    assert_eq!(
        warnings(dir.path(), "2026-12-01T10:00:00Z"),
        [
            "content/incidents/pm.md:21:7: warning[overdue-action]: action item \"Port alarms\" (detection) was \
             due 2026-12-01 and is still in progress on 2026-12-02",
            "  hint: set status = \"done\" if it is, or move `due` to the new date and say why in its body \
             (or add allow = [\"overdue-action\"] to the front matter)",
        ]
    );
    // The same instant in a UTC site is still December 1: not overdue.
    let dir = site("UTC", "", &[("incidents/pm.md", action_due("planned"))]);
    assert!(warnings(dir.path(), "2026-12-01T10:00:00Z").is_empty());
    // Done items are never overdue.
    let dir = site(kiri, "", &[("incidents/pm.md", action_due("done"))]);
    assert!(warnings(dir.path(), "2027-06-01T00:00:00Z").is_empty());
}

fn maintenance(update_at: &str) -> String {
    format!(
        "+++\ntitle = \"Database upgrade\"\nscheduled_start = 2026-12-10T02:00:00Z\nscheduled_end = 2026-12-10T04:00:00Z\n\
         components = [\"api\"]\n[[updates]]\nat = {update_at}\nstatus = \"scheduled\"\nbody = \"Planned.\"\n+++\nDetails.\n"
    )
}

#[test]
fn future_time_flags_content_times_but_not_schedules() {
    let future =
        resolved_incident("minor", "").replace("resolved = 2026-11-10T12:00:00Z", "resolved = 2026-11-23T12:00:00Z");
    let future = future.replace("at = 2026-11-10T12:00:00Z", "at = 2026-11-23T12:00:00Z");
    let dir = site(
        "UTC",
        "",
        &[("incidents/future.md", future), ("maintenance/upgrade.md", maintenance("2026-11-20T09:00:00Z"))],
    );
    // NOW is 2026-11-22T06:00:00Z; the maintenance is scheduled ahead, as it should be.
    assert_eq!(
        warnings(dir.path(), NOW),
        [
            "content/incidents/future.md:5:12: warning[future-time]: `resolved` is in the future: \
             2026-11-23 12:00 UTC is 1 d 6 h after the build's clock (2026-11-22 06:00 UTC)",
            "  hint: check the date and its offset; if the build's clock is wrong, pass --now \
             (or add allow = [\"future-time\"] to the front matter)",
            "content/incidents/future.md:11:6: warning[future-time]: `at` in [[updates]] is in the future: \
             2026-11-23 12:00 UTC is 1 d 6 h after the build's clock (2026-11-22 06:00 UTC)",
            "  hint: check the date and its offset; if the build's clock is wrong, pass --now \
             (or add allow = [\"future-time\"] to the front matter)",
        ]
    );
    let dir = site("UTC", "", &[("maintenance/upgrade.md", maintenance("2026-11-22T06:01:00Z"))]);
    assert_eq!(
        headlines(dir.path(), NOW),
        ["content/maintenance/upgrade.md:7:6: warning[future-time]: `at` in [[updates]] is in the future: \
          2026-11-22 06:01 UTC is 1 min after the build's clock (2026-11-22 06:00 UTC)"]
    );
    let dir = site("UTC", "", &[("maintenance/upgrade.md", maintenance("2026-11-22T06:00:00Z"))]);
    assert!(warnings(dir.path(), NOW).is_empty(), "a time at the clock is not in the future");
}

#[test]
fn unannounced_maintenance_flags_a_window_without_updates_only() {
    let announced = maintenance("2026-11-20T09:00:00Z");
    let bare = announced[..announced.find("[[updates]]").unwrap()].to_owned() + "+++\nDetails.\n";
    let dir = site("UTC", "", &[("maintenance/bare.md", bare.clone()), ("maintenance/announced.md", announced)]);
    assert_eq!(
        warnings(dir.path(), NOW),
        [
            "content/maintenance/bare.md:3:19: warning[unannounced-maintenance]: this maintenance has no update, \
             so nothing says when it was announced: feeds, the calendar and the API date it by its scheduled start",
            "  hint: add an [[updates]] with status = \"scheduled\", `at` when customers were told, and what will \
             happen (candor new maintenance writes one) (or add allow = [\"unannounced-maintenance\"] to the front matter)",
        ]
    );
    let allowed = bare.replacen("+++\n", "+++\nallow = [\"unannounced-maintenance\"]\n", 1);
    let dir = site("UTC", "", &[("maintenance/bare.md", allowed)]);
    assert!(warnings(dir.path(), NOW).is_empty());
}

fn started_at(started: &str, zone_line: &str) -> String {
    incident(&format!(
        "title = \"API errors\"\nimpact = \"minor\"\n{zone_line}started = {started}\n\
         [[updates]]\nat = 2026-07-01T16:00:00Z\nstatus = \"investigating\"\nbody = \"{SPECIFIC_1}\"\n"
    ))
}

#[test]
fn zone_mismatch_flags_the_other_half_of_the_years_offset() {
    let now = "2026-07-01T16:30:00Z";
    let dir = site(NY, "", &[("incidents/est.md", started_at("2026-07-01T10:00:00-05:00", ""))]);
    assert_eq!(
        warnings(dir.path(), now),
        [
            "content/incidents/est.md:4:11: warning[zone-mismatch]: `started` is written with offset -05:00, but \
             America/New_York is at -04:00 (EDT) on that day; -05:00 is its offset at other times of the year \
             (EST), so this names 11:00 EDT",
            "  hint: if you meant 10:00 in America/New_York, write 2026-07-01T10:00:00-04:00 or leave the offset \
             out; if 11:00 EDT is right, write 2026-07-01T11:00:00-04:00 (or add allow = [\"zone-mismatch\"] to \
             the front matter)",
        ]
    );
    // The right offset, UTC, a local time, and another zone's offset are all fine.
    for started in [
        "2026-07-01T10:00:00-04:00",
        "2026-07-01T14:00:00Z",
        "2026-07-01T14:00:00+00:00",
        "2026-07-01T10:00:00",
        "2026-07-01T16:00:00+02:00",
    ] {
        let dir = site(NY, "", &[("incidents/ok.md", started_at(started, ""))]);
        assert!(warnings(dir.path(), now).is_empty(), "{started}");
    }
    // The file's own zone is the one compared with: CET (+01:00) in a Berlin July.
    let dir = site(
        NY,
        "",
        &[("incidents/cet.md", started_at("2026-07-01T15:00:00+01:00", "timezone = \"Europe/Berlin\"\n"))],
    );
    assert_eq!(
        headlines(dir.path(), now),
        ["content/incidents/cet.md:5:11: warning[zone-mismatch]: `started` is written with offset +01:00, but \
          Europe/Berlin is at +02:00 (CEST) on that day; +01:00 is its offset at other times of the year (CET), \
          so this names 16:00 CEST"]
    );
}

fn detected_early(allow: &str) -> String {
    incident(&format!(
        "title = \"API errors\"\nimpact = \"minor\"\n{allow}started = 2026-11-10T10:00:00Z\n\
         detected = 2026-11-10T09:55:00Z\nresolved = 2026-11-10T12:00:00Z\n\
         [[updates]]\nat = 2026-11-10T10:05:00Z\nstatus = \"investigating\"\nbody = \"{SPECIFIC_1}\"\n\
         [[updates]]\nat = 2026-11-10T12:00:00Z\nstatus = \"resolved\"\nbody = \"Done.\"\n"
    ))
}

#[test]
fn allow_silences_exactly_the_codes_it_names() {
    let dir = site("UTC", "", &[("incidents/two.md", detected_early(""))]);
    assert_eq!(
        headlines(dir.path(), NOW),
        [
            "content/incidents/two.md:5:12: warning[detected-before-started]: `detected` (2026-11-10 09:55 UTC) \
             is before `started` (2026-11-10 10:00 UTC)",
            "content/incidents/two.md:14:8: warning[vague-update]: update 2 has only 1 word (fewer than 6), so it \
             cannot say anything specific",
        ]
    );
    let dir = site("UTC", "", &[("incidents/two.md", detected_early("allow = [\"detected-before-started\"]\n"))]);
    assert_eq!(
        headlines(dir.path(), NOW),
        ["content/incidents/two.md:15:8: warning[vague-update]: update 2 has only 1 word (fewer than 6), so it \
          cannot say anything specific"]
    );
    let both = "allow = [\"vague-update\", \"detected-before-started\"]\n";
    let dir = site("UTC", "", &[("incidents/two.md", detected_early(both))]);
    assert!(warnings(dir.path(), NOW).is_empty());
    // Site-wide, in status.toml: for every file.
    let dir = site(
        "UTC",
        "[lints]\nallow = [\"vague-update\"]\n",
        &[("incidents/a.md", detected_early("")), ("incidents/b.md", detected_early(""))],
    );
    let lines = headlines(dir.path(), NOW);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines.iter().all(|l| l.contains("warning[detected-before-started]")), "{lines:?}");
}

#[test]
fn strict_turns_lint_warnings_into_failure() {
    let dir = site("UTC", "", &[("incidents/two.md", detected_early("allow = [\"detected-before-started\"]\n"))]);
    let out = check(dir.path(), NOW, true);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("warning[vague-update]"), "{err}");
    assert!(err.ends_with("failed: 0 errors, 1 warning in 1 file\n"), "{err}");
    // And `build --strict` too, while a plain build prints the warning and succeeds.
    let site_out = dir.path().join("out");
    let build = |strict: bool| {
        let mut args = vec!["build", "--root", path(dir.path()), "--output", path(&site_out), "--now", NOW];
        if strict {
            args.push("--strict");
        }
        candor(&args)
    };
    let out = build(true);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site_out.exists());
    let out = build(false);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("two.md:15:8: warning[vague-update]"), "{}", stderr(&out));
}

#[test]
fn unknown_codes_in_allow_are_errors_at_their_place() {
    let typo = detected_early("allow = [\"vague-update\", \"detected-befor-started\"]\n");
    let dir = site("UTC", "", &[("incidents/typo.md", typo)]);
    let out = check(dir.path(), NOW, false);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "content/incidents/typo.md:4:26: error: `allow` names an unknown lint \"detected-befor-started\"\n  \
         hint: did you mean \"detected-before-started\"?\n\
         content/incidents/typo.md:6:12: warning[detected-before-started]: `detected` (2026-11-10 09:55 UTC) is \
         before `started` (2026-11-10 10:00 UTC)\n  \
         hint: impact starts no later than its detection: move `started` back to when impact began (or add \
         allow = [\"detected-before-started\"] to the front matter)\n\
         failed: 1 error, 1 warning in 1 file\n"
    );
    let dir = site("UTC", "[lints]\nallow = [\"everything\"]\npostmortem_day = 3\n", &[]);
    let out = check(dir.path(), NOW, false);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "status.toml:5:10: error: `allow` names an unknown lint \"everything\"\n  hint: the lint codes are: \
             stale-update, repeated-update, vague-update, missing-postmortem, empty-postmortem, overdue-action, \
             future-time, detected-before-started, zone-mismatch, unannounced-maintenance\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("status.toml:6:1: error: unknown key `postmortem_day` in [lints]\n  hint: did you mean `postmortem_days`?\n"),
        "{err}"
    );
    let dir = site("UTC", "[lints]\npostmortem_days = 0\n", &[]);
    let err = stderr(&check(dir.path(), NOW, false));
    assert!(err.contains("status.toml:5:19: error: `postmortem_days` must be between 1 and 3660"), "{err}");
}

#[test]
fn maintenance_files_accept_allow() {
    let m = maintenance("2026-11-22T07:00:00Z").replace("components =", "allow = [\"future-time\"]\ncomponents =");
    let dir = site("UTC", "", &[("maintenance/upgrade.md", m)]);
    assert!(warnings(dir.path(), NOW).is_empty());
}

#[test]
fn the_example_site_has_no_lint_warnings_and_silences_some() {
    let out = candor(&["check", "--root", path(&repo()), "--now", NOW]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
    assert!(stdout(&out).ends_with(", 0 warnings\n"), "{}", stdout(&out));
    let allows = std::fs::read_dir(repo().join("content/incidents"))
        .unwrap()
        .filter(|e| std::fs::read_to_string(e.as_ref().unwrap().path()).unwrap().contains("\nallow = ["))
        .count();
    assert!(allows > 0, "the example shows how to silence a lint");
}

#[test]
fn build_counts_the_warnings_of_what_is_long_over_and_check_lists_them() {
    let dir = site("UTC", "", &[("incidents/two.md", detected_early(""))]);
    let site_out = dir.path().join("out");
    // Resolved on 10 November: within 14 days at 22 November, shown in full.
    let build = |now: &str| candor(&["build", "--root", path(dir.path()), "--output", path(&site_out), "--now", now]);
    let out = build(NOW);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning[vague-update]"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("note:"), "{}", stderr(&out));
    // Six weeks later it is history: counted in one line.
    let later = "2027-01-01T00:00:00Z";
    let out = build(later);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("warning["), "{err}");
    assert!(
        err.contains(
            "note: 1 detected-before-started warning and 1 vague-update warning on incidents and maintenance over for more than recent_days: `candor check` lists them"
        ),
        "{err}"
    );
    let out = check(dir.path(), later, false);
    assert_eq!(stderr(&out).matches("warning[").count(), 2, "check lists all: {}", stderr(&out));
}

/// `repeated-update` compares an update with the 50 before it (comparing
/// every pair made 10,000 updates take seconds): a repeat of the update 50
/// back is found, one 51 back is not.
#[test]
fn repeated_update_looks_back_fifty_updates() {
    let first = "We have rolled back the deployment and error rates in US East are falling. Next update at 10:00.";
    let again = "We have rolled back the deployment and error rates in US East are falling. Thanks.";
    let with_repeat_at = |last: usize| {
        let mut front = String::from(
            "title = \"API errors\"\nimpact = \"minor\"\nstarted = 2026-12-02T08:00:00Z\nresolved = 2026-12-02T10:00:00Z\n",
        );
        for i in 1..=last {
            let body = match i {
                1 => first.to_owned(),
                _ if i == last => again.to_owned(),
                _ => format!("Step {i}: we replaced disk {i} in rack {i} and checked it."),
            };
            let status = if i == last { "resolved" } else { "identified" };
            front +=
                &format!("[[updates]]\nat = 2026-12-02T08:{:02}:00Z\nstatus = \"{status}\"\nbody = \"{body}\"\n", i);
        }
        incident(&front)
    };
    let dir = site("UTC", "", &[("incidents/near.md", with_repeat_at(51))]);
    let found = headlines(dir.path(), AFTER);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("update 51 says little that update 1 did not"), "{found:?}");
    let dir = site("UTC", "", &[("incidents/far.md", with_repeat_at(52))]);
    assert!(headlines(dir.path(), AFTER).is_empty());
}
