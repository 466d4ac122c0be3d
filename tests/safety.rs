//! What Candor guarantees under pressure: editing commands run at once
//! never lose an update, a build never replaces what it did not write and
//! leaves an output at every moment even when killed, and files that are
//! not files are refused instead of hanging or exhausting memory.

mod common;

use common::{candor, commands_site, copy_example, path, repo, run_in, snapshot, stderr, stdout, NOW};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// Runs `candor` and kills it if it has not finished within `limit`.
fn run_bounded(args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("candor {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn updates_posted_at_the_same_moment_are_all_kept_in_time_order() {
    let dir = commands_site();
    let root = dir.path();
    let out = run_in(root, &["new", "incident", "Checkout errors", "--affects", "api", "--status", "major_outage"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = std::fs::read_dir(root.join("content/incidents")).unwrap().next().unwrap().unwrap().path();
    let id = file.file_stem().unwrap().to_string_lossy().into_owned();
    let mut written = Vec::new();
    for trial in 0..6 {
        let writers = 3;
        let barrier = Arc::new(Barrier::new(writers));
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                let (barrier, root, id) = (Arc::clone(&barrier), root.to_path_buf(), id.clone());
                std::thread::spawn(move || {
                    let message = format!("Trial {trial}, writer {w}: we are still working on it.");
                    barrier.wait();
                    (message.clone(), run_in(&root, &["update", &id, "--message", &message]))
                })
            })
            .collect();
        for h in handles {
            let (message, out) = h.join().unwrap();
            // Success means the update is in the file; anything else must
            // say what happened.
            match out.status.success() {
                true => written.push(message),
                false => assert!(!stderr(&out).trim().is_empty(), "failed silently"),
            }
        }
    }
    assert_eq!(written.len(), 18, "every writer waits its turn, none fails");
    let text = std::fs::read_to_string(&file).unwrap();
    for message in &written {
        assert!(text.contains(message.as_str()), "{message:?} was reported as written but is not in the file");
    }
    let out = run_in(root, &["check", "--now", &chrono::Utc::now().to_rfc3339()]);
    assert!(out.status.success(), "updates out of order:\n{}", stderr(&out));
}

#[test]
fn new_files_created_at_the_same_moment_get_their_own_ids() {
    let dir = commands_site();
    let root = dir.path().to_path_buf();
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (barrier, root) = (Arc::clone(&barrier), root.clone());
            std::thread::spawn(move || {
                barrier.wait();
                run_in(&root, &["new", "incident", "Login errors", "--now", "2026-12-02T17:00:00Z"])
            })
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read_dir(root.join("content/incidents")).unwrap().count(), 4);
}

#[test]
fn stamps_far_ahead_of_the_clock_need_force_and_foreign_offsets_are_warned() {
    let dir = commands_site();
    let root = dir.path();
    let ahead = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let out = run_in(root, &["new", "incident", "Login errors", "--now", &ahead]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ahead of this machine's clock") && stderr(&out).contains("--force"),
        "{}",
        stderr(&out)
    );
    assert!(
        !root.join("content/incidents").exists()
            || std::fs::read_dir(root.join("content/incidents")).unwrap().count() == 0
    );
    let out = run_in(root, &["new", "incident", "Login errors", "--now", &ahead, "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // New York is at -05:00 in December; -07:00 names another local time.
    let out = run_in(root, &["new", "incident", "API errors", "--now", "2026-12-02T10:00:00-07:00"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: --now was written with the offset -07:00, but America/New_York is at -05:00 then")
            && err.contains("stamped as 2026-12-02 12:00 EST (2026-12-02T17:00:00Z)"),
        "{err}"
    );
    let out = run_in(root, &["new", "incident", "DNS errors", "--now", "2026-12-02T10:00:00-05:00"]);
    assert!(!stderr(&out).contains("offset"), "{}", stderr(&out));
    let out = run_in(root, &["new", "incident", "CDN errors", "--now", "2026-12-02T10:00:00Z"]);
    assert!(!stderr(&out).contains("offset"), "UTC is never a slip: {}", stderr(&out));
}

#[test]
fn build_refuses_outputs_that_would_destroy_sources_or_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    let before = snapshot(&root);
    for bad in ["content", "content/incidents", "status.toml"] {
        let out = candor(&["build", "--root", path(&root), "--output", path(&root.join(bad)), "--now", NOW]);
        assert_eq!(out.status.code(), Some(2), "--output {bad}: {}", stderr(&out));
        assert!(stderr(&out).contains("or inside it"), "{}", stderr(&out));
    }
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let out = candor(&["build", "--root", path(&root), "--output", path(&notes), "--now", NOW]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a file"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");

    let photos = dir.path().join("photos");
    std::fs::create_dir(&photos).unwrap();
    std::fs::write(photos.join("cat.jpg"), "meow").unwrap();
    let out = candor(&["build", "--root", path(&root), "--output", path(&photos), "--now", NOW]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did not write") && stderr(&out).contains("--force"), "{}", stderr(&out));
    assert!(photos.join("cat.jpg").is_file());
    assert!(snapshot(&root) == before, "the sources changed");

    let out = candor(&["build", "--root", path(&root), "--output", path(&photos), "--now", NOW, "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!photos.join("cat.jpg").exists() && photos.join(".candor-output").is_file());
    // Its own output is replaced without --force.
    let out = candor(&["build", "--root", path(&root), "--output", path(&photos), "--now", NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_killed_build_always_leaves_a_whole_output_and_the_next_build_sweeps_up() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("public");
    common::build(&repo(), &out_dir);
    let reference = snapshot(&out_dir);
    let timed = Instant::now();
    common::build(&repo(), &out_dir);
    let took = timed.elapsed();
    let site = repo();
    let args = ["build", "--root", path(&site), "--output", path(&out_dir), "--now", NOW];
    for trial in 0..16u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Killed at moments spread over (and past) a whole build.
        std::thread::sleep(took.mul_f64(f64::from(trial) / 13.0));
        let _ = child.kill();
        child.wait().unwrap();
        assert!(snapshot(&out_dir) == reference, "trial {trial}: the output is not the whole site");
    }
    common::build(&repo(), &out_dir);
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["public"], "left behind by killed builds");
}

#[cfg(unix)]
#[test]
fn pipes_devices_links_out_and_huge_files_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("src");
    copy_example(&root);
    let incidents = root.join("content/incidents");
    let fifo = std::ffi::CString::new(path(&incidents.join("pipe.md"))).unwrap();
    // SAFETY: a valid path; mkfifo only creates the pipe.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/dev/zero", incidents.join("zero.md")).unwrap();
    std::fs::write(dir.path().join("outside.md"), "+++\ntitle = \"x\"\n+++\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.md"), incidents.join("linked.md")).unwrap();
    let huge = std::fs::File::create(incidents.join("huge.md")).unwrap();
    huge.set_len(11 << 20).unwrap();

    let out = run_bounded(&["check", "--root", path(&root), "--now", NOW], Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    for expected in [
        "content/incidents/pipe.md:1:1: error: this is a named pipe, not a regular file",
        "content/incidents/zero.md:1:1: error: this is a symbolic link to /dev/zero, outside the site",
        "content/incidents/linked.md:1:1: error: this is a symbolic link to",
        "content/incidents/huge.md:1:1: error: this file is 11.0 MiB, above the 10 MiB",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    assert!(err.contains("hint: copy the file into the site instead of linking to it"), "{err}");
}
