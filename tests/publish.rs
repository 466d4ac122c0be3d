//! `candor publish`, `verify` and `rollback` against file:// replicas, run
//! through the real binary: phases, read-back, nothing uploaded when
//! nothing changed, a failing replica stopping the rollout, corruption
//! found, rollback byte for byte; and the version every build stamps.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The example site with two replicas, `west` in phase 1 and `east` in
/// phase 2, all under one temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_example(&dir.path().join("src"));
        let mut config = fs::read_to_string(dir.path().join("src/status.toml")).unwrap();
        for (name, phase) in [("west", 1), ("east", 2)] {
            let url = format!("file://{}", path(&dir.path().join(name)));
            config.push_str(&format!("\n[[replicas]]\nname = \"{name}\"\nurl = \"{url}\"\nphase = {phase}\n"));
        }
        fs::write(dir.path().join("src/status.toml"), config).unwrap();
        Site { dir }
    }
    fn root(&self) -> PathBuf {
        self.dir.path().join("src")
    }
    fn out(&self) -> PathBuf {
        self.root().join("site")
    }
    fn replica(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn build(&self) -> String {
        build(&self.root(), &self.out());
        version(&self.out())
    }
    fn run(&self, command: &str, extra: &[&str]) -> Output {
        let root = self.root();
        let mut args = vec![command, "--root", path(&root)];
        args.extend_from_slice(extra);
        candor(&args)
    }
    fn publish(&self) -> Output {
        let out = self.run("publish", &[]);
        assert!(out.status.success(), "publish failed:\n{}{}", stdout(&out), stderr(&out));
        out
    }
    /// Runs candor with the replica `locked` read-only to it.
    fn run_locked_out(&self, locked: &str, args: &[&str]) -> Output {
        let replica = self.replica(locked);
        let rootdir = self.root();
        let mut all = args.to_vec();
        all.extend(["--root", path(&rootdir)]);
        if unsafe { libc::geteuid() } == 0 {
            // Permissions do not stop root: run as nobody, who may read the
            // site and write the other replicas, but not this one.
            use std::os::unix::process::CommandExt;
            chmod(self.dir.path(), 0o755);
            for name in ["west", "east"] {
                if name != locked {
                    chmod_tree(&self.replica(name), 0o777);
                }
            }
            std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
                .args(&all)
                .env_remove("SOURCE_DATE_EPOCH")
                .uid(65534)
                .gid(65534)
                .output()
                .unwrap()
        } else {
            chmod(&replica.join("releases"), 0o555);
            chmod(&replica, 0o555);
            let out = candor(&all);
            chmod(&replica, 0o755);
            chmod(&replica.join("releases"), 0o755);
            out
        }
    }

    /// Changes one word of an update, so the next build differs.
    fn edit(&self, word: &str) {
        let dir = self.root().join("content/incidents");
        let file = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).min().unwrap();
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, format!("{text}\n{word}\n")).unwrap();
    }
}

fn version(dir: &Path) -> String {
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    manifest["version"].as_str().unwrap().to_owned()
}

/// What a replica serves: the files under its `current` link.
fn serving(replica: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(&replica.join("current"))
}

/// What the build wrote, as a replica should serve it.
fn published(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(out);
    files.remove(candor::output::target::MARKER);
    files.remove(candor::output::reuse::FILE);
    files
}

fn current(replica: &Path) -> String {
    fs::read_link(replica.join("current")).unwrap().file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn publishes_to_two_phases_then_uploads_nothing_when_nothing_changed() {
    let site = Site::new();
    let v1 = site.build();
    let dry = site.run("publish", &["--dry-run"]);
    assert!(dry.status.success());
    assert!(
        stdout(&dry).contains("would replace nothing") && stdout(&dry).contains("nothing was written"),
        "{}",
        stdout(&dry)
    );
    assert!(!site.replica("west").exists(), "a dry run writes nothing");

    let text = stdout(&site.publish());
    let west = text.find("west (phase 1").expect("west reported");
    let east = text.find("east (phase 2").expect("east reported");
    assert!(west < east, "phase 1 before phase 2:\n{text}");
    for name in ["west", "east"] {
        assert_eq!(current(&site.replica(name)), v1);
        assert!(serving(&site.replica(name)) == published(&site.out()), "{name} serves the build byte for byte");
    }

    let again = stdout(&site.publish());
    assert_eq!(again.matches("nothing uploaded").count(), 2, "{again}");

    // A change uploads what differs and links the rest.
    site.edit("One more sentence.");
    let v2 = site.build();
    assert_ne!(v1, v2);
    let dry = stdout(&site.run("publish", &["--dry-run"]));
    assert!(dry.contains("change") && !dry.contains("add 0, change 0"), "{dry}");
    let text = stdout(&site.publish());
    assert!(text.contains("unchanged"), "{text}");
    assert!(serving(&site.replica("east")) == published(&site.out()));
    let verify = site.run("verify", &[]);
    assert!(verify.status.success(), "{}{}", stdout(&verify), stderr(&verify));
    assert_eq!(stdout(&verify).matches(" ok").count(), 2, "{}", stdout(&verify));
}

#[test]
fn a_read_only_replica_in_phase_1_stops_the_rollout() {
    let site = Site::new();
    let v1 = site.build();
    site.publish();
    let old = published(&site.out());
    site.edit("A second sentence.");
    let v2 = site.build();
    let west = site.replica("west");

    let out = site.run_locked_out("west", &["publish"]);
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("stopped at phase 1") && err.contains("west"), "{err}");
    assert!(err.contains("east (phase 2): untouched") && err.contains("next:"), "{err}");
    assert_eq!(current(&west), v1);
    assert!(serving(&west) == old, "west still serves the old version whole");
    assert_eq!(current(&site.replica("east")), v1, "phase 2 untouched");
    assert!(serving(&site.replica("east")) == old);
    assert_ne!(v1, v2);
}

#[test]
fn a_rollback_stopped_at_phase_2_says_how_to_finish_it() {
    let site = Site::new();
    let v1 = site.build();
    site.publish();
    site.edit("Yet another sentence.");
    let v2 = site.build();
    site.publish();
    let out = site.run_locked_out("east", &["rollback"]);
    assert_eq!(out.status.code(), Some(2), "{}{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("rollback stopped at phase 2") && err.contains("west (phase 1): done"), "{err}");
    // A plain rollback again would take west one more release back.
    assert!(err.contains(&format!("candor rollback --to {}", &v1[..12])), "{err}");
    assert_eq!(current(&site.replica("west")), v1);
    assert_eq!(current(&site.replica("east")), v2);
}

#[test]
fn verify_finds_a_corrupted_file_and_rollback_restores_byte_for_byte() {
    let site = Site::new();
    site.build();
    site.publish();
    let first = published(&site.out());
    site.edit("Another sentence.");
    let v2 = site.build();
    site.publish();

    let rolled = site.run("rollback", &[]);
    assert!(rolled.status.success(), "{}{}", stdout(&rolled), stderr(&rolled));
    for name in ["west", "east"] {
        assert!(serving(&site.replica(name)) == first, "{name}: rollback restores the first release byte for byte");
    }
    let stale = site.run("verify", &[]);
    assert!(!stale.status.success());
    assert!(stdout(&stale).contains("stale"), "{}", stdout(&stale));

    let forward = site.run("rollback", &["--to", &v2[..12]]);
    assert!(forward.status.success(), "{}", stderr(&forward));
    assert_eq!(current(&site.replica("west")), v2);
    assert!(site.run("verify", &[]).status.success());

    // Back once more, then publish: the release kept is made current again.
    assert!(site.run("rollback", &[]).status.success());
    assert!(serving(&site.replica("west")) == first);
    let text = stdout(&site.publish());
    assert_eq!(text.matches("from the release it kept").count(), 2, "{text}");
    assert_eq!(current(&site.replica("east")), v2);

    // Corrupt one byte on the east replica.
    let page = site.replica("east").join("current/index.html");
    let mut bytes = fs::read(&page).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    fs::remove_file(&page).unwrap();
    fs::write(&page, bytes).unwrap();
    let verify = site.run("verify", &[]);
    assert_eq!(verify.status.code(), Some(2));
    let table = stdout(&verify);
    let east = table.lines().find(|l| l.starts_with("east")).unwrap();
    assert!(east.contains("corrupt: index.html"), "{table}");
    assert!(table.lines().find(|l| l.starts_with("west")).unwrap().ends_with("ok"), "{table}");

    // Publishing again puts the file back, and only it.
    let text = stdout(&site.publish());
    assert!(text.contains("1 file differed from the manifest and was put back"), "{text}");
    assert!(serving(&site.replica("east")) == published(&site.out()));
    assert!(site.run("verify", &[]).status.success());
}

/// The version names the content, and the front page and the API's
/// summary carry it; no other page does, so a new version rewrites only the
/// pages that changed.
#[test]
fn the_version_is_equal_for_equal_content_and_on_the_front_page() {
    let site = Site::new();
    let dir = tempfile::tempdir().unwrap();
    build(&site.root(), &dir.path().join("a"));
    build(&site.root(), &dir.path().join("b"));
    let v = version(&dir.path().join("a"));
    assert_eq!(v, version(&dir.path().join("b")));
    assert_eq!(v.len(), 64);

    // One byte of one static file differs: the version differs.
    fs::create_dir_all(site.root().join("static")).unwrap();
    fs::write(site.root().join("static/x.txt"), "a").unwrap();
    build(&site.root(), &dir.path().join("c"));
    fs::write(site.root().join("static/x.txt"), "b").unwrap();
    build(&site.root(), &dir.path().join("d"));
    let (c, d) = (version(&dir.path().join("c")), version(&dir.path().join("d")));
    assert_ne!(c, d);
    assert_ne!(c, v);

    let files = snapshot(&dir.path().join("a"));
    let meta = format!("<meta name=\"candor-version\" content=\"{v}\">");
    let pages: Vec<_> = files.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(pages.len() > 50);
    for (rel, bytes) in pages {
        let html = String::from_utf8_lossy(bytes);
        if rel == "index.html" {
            assert!(html.contains(&meta), "{rel} lacks the version meta");
        } else {
            assert!(!html.contains("candor-version") && !html.contains(v.as_str()), "{rel} holds the version");
        }
    }
    let summary: serde_json::Value = serde_json::from_slice(&files["api/v2/summary.json"]).unwrap();
    assert_eq!(summary["candor"]["version"], v.as_str());

    // The manifest lists every file but itself and the marker, with its
    // size and SHA-256, sorted by path.
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let listed: Vec<&str> = manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    assert_eq!(listed.len(), files.len() - 2, "not itself and the marker");
    for f in manifest["files"].as_array().unwrap() {
        let bytes = &files[f["path"].as_str().unwrap()];
        assert_eq!(f["size"].as_u64().unwrap(), bytes.len() as u64);
        use sha2::Digest;
        let hex: String = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(f["sha256"].as_str().unwrap(), hex);
    }
}

#[test]
fn replica_urls_are_checked_and_a_store_without_credentials_stops_publish_before_it_starts() {
    let site = Site::new();
    let config = site.root().join("status.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{text}\n[[replicas]]\nname = \"web\"\nurl = \"https://example.com\"\n")).unwrap();
    let out = candor(&["check", "--root", path(&site.root()), "--now", NOW]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("status.toml:") && stderr(&out).contains("public_url"), "{}", stderr(&out));

    fs::write(&config, format!("{text}\n[[replicas]]\nname = \"blob\"\nurl = \"az://status/site\"\nphase = 2\n"))
        .unwrap();
    site.build();
    let root = site.root();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["publish", "--root", path(&root)])
        .env_remove("AZURE_STORAGE_ACCOUNT_NAME")
        .env_remove("AZURE_STORAGE_USE_EMULATOR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot open az://status/site") && stderr(&out).contains("AZURE_STORAGE_ACCOUNT_NAME"),
        "{}",
        stderr(&out)
    );
    assert!(!site.replica("west").exists(), "nothing is published when a replica cannot be");
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

fn chmod_tree(p: &Path, mode: u32) {
    chmod(p, mode);
    if fs::symlink_metadata(p).unwrap().is_dir() {
        for entry in fs::read_dir(p).unwrap() {
            let entry = entry.unwrap();
            if !entry.file_type().unwrap().is_symlink() {
                chmod_tree(&entry.path(), mode);
            }
        }
    }
}

/// The releases a replica holds (not the one being written).
fn releases(replica: &Path) -> usize {
    fs::read_dir(replica.join("releases"))
        .map(|d| d.flatten().filter(|e| !e.file_name().to_string_lossy().starts_with('.')).count())
        .unwrap_or(0)
}

/// `publish --every 2s` builds at the wall clock and publishes round after
/// round; a second publish meanwhile is refused; Ctrl-C stops it with exit
/// 0, every replica serving a whole release.
#[test]
fn publish_every_rounds_refuses_a_second_publish_and_stops_on_ctrl_c() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let site = Site::new();
    let root = site.root();
    let child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["publish", "--root", path(&root), "--every", "2s"])
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while releases(&site.replica("east")) < 2 {
        assert!(Instant::now() < deadline, "no second round on east within 120 s");
        std::thread::sleep(Duration::from_millis(100));
    }

    let second = site.run("publish", &[]);
    assert_eq!(second.status.code(), Some(2), "{}", stdout(&second));
    let err = stderr(&second);
    assert!(err.contains("another candor publish or rollback is running on this site"), "{err}");
    assert!(err.contains(".candor/publish.lock"), "{err}");
    let rollback = site.run("rollback", &[]);
    assert_eq!(rollback.status.code(), Some(2), "a rollback is refused too: {}", stdout(&rollback));

    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let out = child.wait_with_output().unwrap();
    let (said, warned) = (stdout(&out), stderr(&out));
    assert!(out.status.success(), "exit {:?}\n{said}{warned}", out.status);
    assert!(said.starts_with("publishing every 2s"), "{said}");
    for line in ["round 1 at ", "round 2 at ", "of 2 replicas updated", "stopped after "] {
        assert!(said.contains(line), "no {line:?} in:\n{said}{warned}");
    }
    assert!(said.contains("every replica serves a whole release: west serves "), "{said}");
    // Each replica serves a whole release: nothing corrupt or missing,
    // whether or not the last build had reached it.
    let verify = site.run("verify", &[]);
    let table = stdout(&verify);
    assert_eq!(table.lines().count(), 3, "{table}");
    // ("stale" when Ctrl-C came after a round's build, before its publish.)
    for row in table.lines().skip(1) {
        let state = row.split_once("  stale").map(|_| "stale").unwrap_or(row.rsplit("  ").next().unwrap());
        assert!(state == "ok" || state == "stale", "{table}");
    }
    for name in ["west", "east"] {
        let current = fs::read_link(site.replica(name).join("current")).unwrap();
        let release = site.replica(name).join(current);
        assert!(release.join("manifest.json").is_file() && release.join("index.html").is_file(), "{name}");
    }
    // Free again: a plain publish works once the loop has stopped.
    site.publish();
}

/// A publish killed at any moment leaves every replica serving one whole
/// version, old or new, never a mix: `current` switches in one rename.
#[test]
fn a_publish_killed_at_any_moment_never_leaves_a_replica_mixed() {
    let site = Site::new();
    let v1 = site.build();
    site.publish();
    let old = published(&site.out());
    site.edit("A sentence that makes a new version.");
    let v2 = site.build();
    let new = published(&site.out());
    let timed = std::time::Instant::now();
    site.publish();
    let took = timed.elapsed();
    let root = site.root();
    for trial in 0..12u32 {
        // Back to v1 on every replica, then a publish of v2 killed part-way.
        let back = site.run("rollback", &["--to", &v1]);
        assert!(back.status.success(), "{}{}", stdout(&back), stderr(&back));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(["publish", "--root", path(&root)])
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took.mul_f64(f64::from(trial) / 10.0));
        let _ = child.kill();
        child.wait().unwrap();
        for name in ["west", "east"] {
            let replica = site.replica(name);
            let serving = serving(&replica);
            let version = current(&replica);
            match version {
                v if v == v1 => assert!(serving == old, "trial {trial}: {name} serves a mix under {v1}"),
                v if v == v2 => assert!(serving == new, "trial {trial}: {name} serves a mix under {v2}"),
                other => panic!("trial {trial}: {name} serves {other}, neither version"),
            }
        }
    }
    let finish = site.run("publish", &[]);
    assert!(finish.status.success(), "a publish after the kills works: {}", stderr(&finish));
    assert!(serving(&site.replica("east")) == new);
}
