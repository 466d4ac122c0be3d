//! Mutation fuzzing of the example site: every case copies the example,
//! breaks one of its files (bytes, lines, TOML values, Unicode, huge and
//! empty values) and checks, then builds, it in-process. Whatever the
//! input: no panic, no hang (each case within a time bound), and every
//! error located at a file of the site.
//!
//! CI runs a bounded number of cases. To run longer, or to replay a case:
//!
//! ```sh
//! CANDOR_FUZZ_CASES=5000 cargo test --release --test fuzz_content -- --nocapture
//! CANDOR_FUZZ_SEED=1234 CANDOR_FUZZ_CASES=1 cargo test --test fuzz_content
//! ```

mod common;

use candor::cmd::build::{build, check, BuildOptions};
use candor::Error;
use common::{copy_example, Rng};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// A number below `n`.
fn below(rng: &mut Rng, n: usize) -> usize {
    (rng.next() % n.max(1) as u64) as usize
}

/// Values a mutated `key = value` line may get: wrong types, edges of the
/// calendar, hostile Unicode, empty and huge.
fn values() -> Vec<String> {
    vec![
        "\"\"".into(),
        "\"x\"".into(),
        "0".into(),
        "-1".into(),
        "1e308".into(),
        "nan".into(),
        "true".into(),
        "[]".into(),
        "{}".into(),
        "[[]]".into(),
        "0001-12-09T00:00:00Z".into(),
        "9999-12-31T23:59:59Z".into(),
        "2012-02-29T24:00:00Z".into(),
        "2026-03-08T02:30:00".into(),
        "2026-11-01T01:30:00".into(),
        "2026-02-29".into(),
        "12:00:00".into(),
        "\"\u{202E}\u{FFFF}\u{0}𝕏 \u{200B}\"".into(),
        "\"\\ud800\"".into(),
        format!("\"{}\"", "a".repeat(20_000)),
        format!("\"{}\"", "word ".repeat(4_000)),
        format!("[{}]", "\"api\",".repeat(2_000)),
        "\"\"\"\n+++\n\"\"\"".into(),
    ]
}

/// Breaks one file of the site at `root` in one of several ways; returns
/// what was done, for the failure message.
fn mutate(root: &Path, rng: &mut Rng) -> String {
    let mut files = vec![root.join("status.toml")];
    for folder in ["content/incidents", "content/maintenance", "content/pages"] {
        let mut names: Vec<PathBuf> =
            std::fs::read_dir(root.join(folder)).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        files.extend(names);
    }
    let file = files[below(rng, files.len())].clone();
    let mut bytes = std::fs::read(&file).unwrap();
    let rel = file.strip_prefix(root).unwrap().display().to_string();
    let what = match below(rng, 8) {
        0 => {
            let at = below(rng, bytes.len());
            bytes[at] = rng.next() as u8;
            format!("byte {at} of {rel} changed")
        }
        1 => {
            let at = below(rng, bytes.len() + 1);
            bytes.insert(at, [0xff, 0xc3, b'\n', b'"', b'[', b'=', b'+', 0][below(rng, 8)]);
            format!("a byte inserted at {at} of {rel}")
        }
        2 => {
            let at = below(rng, bytes.len() + 1);
            bytes.truncate(at);
            format!("{rel} cut at byte {at}")
        }
        3 => {
            bytes.clear();
            format!("{rel} emptied")
        }
        kind => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            if lines.is_empty() {
                lines.push(String::new());
            }
            let at = below(rng, lines.len());
            let what = match kind {
                4 => {
                    lines.remove(at);
                    format!("line {} of {rel} removed", at + 1)
                }
                5 => {
                    let copy = lines[at].clone();
                    lines.insert(at, copy);
                    format!("line {} of {rel} doubled", at + 1)
                }
                6 => {
                    let with_value: Vec<usize> = (0..lines.len()).filter(|i| lines[*i].contains(" = ")).collect();
                    let at = if with_value.is_empty() { at } else { with_value[below(rng, with_value.len())] };
                    let values = values();
                    let value = &values[below(rng, values.len())];
                    let key = lines[at].split(" = ").next().unwrap_or("x").to_owned();
                    lines[at] = format!("{key} = {value}");
                    format!("line {} of {rel} set to `{key} = {}`", at + 1, value.chars().take(40).collect::<String>())
                }
                _ => {
                    lines.insert(at, "ζ\u{301}\u{1F600}\t= \u{FEFF}\"\u{2028}\"".into());
                    format!("a Unicode line inserted at {} of {rel}", at + 1)
                }
            };
            bytes = lines.join("\n").into_bytes();
            what
        }
    };
    std::fs::write(&file, bytes).unwrap();
    what
}

/// Checks, then (when the content is fine) builds, the site at `root`.
fn check_and_build(root: &Path) -> Result<(), Error> {
    let now = chrono::DateTime::parse_from_rfc3339(common::NOW).unwrap().to_utc();
    check(root, now, false)?;
    let output = root.join("site");
    let progress = Default::default();
    build(&BuildOptions { root: root.to_path_buf(), output, now, strict: false, force: false, full: false, progress })
        .map(drop)
}

#[test]
fn broken_files_never_panic_hang_or_go_unlocated() {
    let cases: u64 = std::env::var("CANDOR_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
    let first: u64 = std::env::var("CANDOR_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let limit = Duration::from_secs(60);
    for seed in first..first + cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site-src");
        copy_example(&root);
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let what = (0..1 + below(&mut rng, 3)).map(|_| mutate(&root, &mut rng)).collect::<Vec<_>>().join("; ");
        let (tx, rx) = mpsc::channel();
        let worker_root = root.clone();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| check_and_build(&worker_root));
            let _ = tx.send(outcome);
        });
        let outcome = match rx.recv_timeout(limit) {
            Ok(outcome) => outcome,
            Err(_) => panic!("seed {seed} ({what}): no answer within {limit:?}"),
        };
        let result = outcome.unwrap_or_else(|_| panic!("seed {seed} ({what}): candor panicked"));
        match result {
            Ok(()) => {}
            Err(Error::Content(diagnostics)) => {
                assert!(!diagnostics.is_empty(), "seed {seed} ({what}): failed with no diagnostic");
                for d in diagnostics {
                    let at = root.join(&d.path);
                    assert!(
                        !d.path.as_os_str().is_empty() && (at.is_file() || at.parent().is_some_and(Path::is_dir)),
                        "seed {seed} ({what}): an error not located at a file of the site: {d}"
                    );
                }
            }
            Err(other) => {
                let text = other.to_string();
                assert!(
                    text.contains("status.toml") || text.contains("content/") || text.contains("templates/"),
                    "seed {seed} ({what}): an error that names no file: {text}"
                );
            }
        }
    }
}
