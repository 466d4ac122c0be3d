//! Helpers for the integration tests: run the real binary, copy fixture
//! sites into temporary folders, read a built site back.

#![allow(dead_code)]

pub mod html;
pub mod stores;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The clock every test build is pinned to (the example's open incident is
/// a few hours old then).
pub const NOW: &str = "2026-11-22T06:00:00Z";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `candor` with `args`, without SOURCE_DATE_EPOCH from outside.
pub fn candor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_candor")).args(args).env_remove("SOURCE_DATE_EPOCH").output().expect("candor runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Builds the site at `root` into `output` with the pinned clock; panics
/// with the program's output if it fails.
pub fn build(root: &Path, output: &Path) {
    let out = candor(&["build", "--root", path(root), "--output", path(output), "--now", NOW]);
    assert!(out.status.success(), "build failed:\n{}{}", stdout(&out), stderr(&out));
}

pub fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// A fresh site with the editing commands' fixture `status.toml`
/// (America/New_York, so DST is near) and no content.
pub fn commands_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("tests/fixtures/commands-site/status.toml"), dir.path().join("status.toml")).unwrap();
    dir
}

/// `candor ARGS --root ROOT`.
pub fn run_in(root: &Path, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--root", path(root)]);
    candor(&all)
}

/// [`commands_site`] with one incident file, `content/incidents/<id>.md`.
pub fn commands_site_with(id: &str, text: &str) -> tempfile::TempDir {
    let dir = commands_site();
    std::fs::create_dir_all(dir.path().join("content/incidents")).unwrap();
    std::fs::write(dir.path().join(format!("content/incidents/{id}.md")), text).unwrap();
    dir
}

/// A small deterministic generator (xorshift64*), so that a seed names a
/// random case.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Copies the example site's sources (status.toml, content/) into `to`.
pub fn copy_example(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(repo().join("status.toml"), to.join("status.toml")).unwrap();
    copy_dir(&repo().join("content"), &to.join("content"));
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`, by relative path, with its bytes (but `.candor-keys`).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    // The build's own state, not a file of the site: which files it may
    // take next time, by inode and modification time.
    out.remove(candor::output::reuse::FILE);
    out
}

fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            walk(base, &p, out);
        } else {
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(&p).unwrap());
        }
    }
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A small generated site (`examples/gen.rs`, compiled here) under `dir`.
pub fn generated_site(dir: &Path) -> PathBuf {
    let args = ["--incidents", "60", "--components", "12", "--regions", "5", "--maintenance", "12", "--seed", "3"];
    generated_site_with(dir, &args)
}

/// A site `examples/gen.rs` makes with `args`, under `dir`.
pub fn generated_site_with(dir: &Path, args: &[&str]) -> PathBuf {
    let gen = dir.join("gen");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let source = repo().join("examples/gen.rs");
    let out = std::process::Command::new(rustc)
        .args(["--edition", "2021", "-O", "-o"])
        .arg(&gen)
        .arg(&source)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root = dir.join("generated");
    let out = std::process::Command::new(&gen).args(args).arg(&root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    root
}

/// `candor build` through the library, at `now`; `full` renders every file
/// (no files taken from the build already in `output`).
pub fn build_at(root: &Path, output: &Path, now: candor::time::Instant, full: bool) -> candor::cmd::build::BuildReport {
    let options = candor::cmd::build::BuildOptions {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        now,
        strict: false,
        force: false,
        full,
        progress: Default::default(),
    };
    candor::cmd::build::build(&options).unwrap_or_else(|e| panic!("build of {} at {now} failed: {e}", root.display()))
}
