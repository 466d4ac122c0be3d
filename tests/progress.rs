//! Progress on a terminal, quiet otherwise: `candor build` under a pseudo
//! terminal (util-linux `script`) draws "stage: done/total" lines on
//! stderr; with stderr a pipe it prints only its one summary line.

mod common;

use common::*;
use std::process::Command;

#[test]
fn a_terminal_sees_progress_and_a_pipe_sees_one_line() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let bin = env!("CARGO_BIN_EXE_candor");
    let build = format!("'{bin}' build --root '{}' --output '{}' --now {NOW}", path(&repo()), path(&site));

    // A pipe: the summary alone, no terminal control codes.
    let piped = candor(&["build", "--root", path(&repo()), "--output", path(&site), "--now", NOW]);
    assert!(piped.status.success());
    assert_eq!(stdout(&piped).lines().count(), 1, "{}", stdout(&piped));
    assert!(stdout(&piped).starts_with("built "));
    assert!(!stderr(&piped).contains('\x1b') && !stderr(&piped).contains("render pages"), "{}", stderr(&piped));

    let Ok(tty) = Command::new("script").args(["-qec", &build, "/dev/null"]).env_remove("SOURCE_DATE_EPOCH").output()
    else {
        eprintln!("skipped the terminal half: no `script` (util-linux) on this machine");
        return;
    };
    assert!(tty.status.success(), "{}", String::from_utf8_lossy(&tty.stdout));
    let text = String::from_utf8_lossy(&tty.stdout).into_owned();
    let took: f64 = text.split(" in ").nth(1).and_then(|t| t.split(' ').next()).and_then(|t| t.parse().ok()).unwrap();
    // The line appears once a build has run for 250 ms (and is redrawn
    // every 100 ms); a debug build of the example takes about a second.
    if took >= 0.5 {
        let lines: Vec<&str> = text.split(['\r', '\n']).collect();
        let progress =
            lines.iter().find(|l| l.contains("render pages, feeds and API: ") || l.contains("parse files: "));
        let progress = progress.unwrap_or_else(|| panic!("no progress line in {text:?}"));
        let counts = progress.rsplit(": ").next().unwrap();
        let (done, total) = counts.split_once('/').unwrap();
        assert!(done.parse::<usize>().unwrap() <= total.trim().parse::<usize>().unwrap(), "{progress}");
        assert!(text.contains("\x1b[2K"), "the line is cleared before the summary");
    }
    assert!(text.contains("built 99 pages"), "{text}");
}
