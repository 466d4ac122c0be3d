//! Incremental builds, as one invariant: after any edit (content, clock,
//! configuration, theme), a build that takes unchanged files from the
//! build already in its folder writes exactly what a full build writes,
//! byte for byte (all but `.candor-keys`, the build's own state). Checked over random sequences of
//! edits on the example and on a realistic generated site; each sequence
//! must also have taken files from the previous build, so the check is
//! never vacuous.
//!
//! For more sequences: `CANDOR_INCREMENTAL_EDITS=200 cargo test --release --test incremental`.

mod common;

use candor::time::Instant;
use common::{build_at, copy_example, snapshot, Rng};
use std::fs;
use std::path::{Path, PathBuf};

fn files(root: &Path, folder: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(root.join(folder))
        .map(|d| d.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "md")).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Replaces the first `from` in the file with `to`; false if it has none.
fn replace_first(path: &Path, from: &str, to: &str) -> bool {
    let text = fs::read_to_string(path).unwrap();
    match text.find(from) {
        Some(at) => {
            fs::write(path, format!("{}{to}{}", &text[..at], &text[at + from.len()..])).unwrap();
            true
        }
        None => false,
    }
}

fn pick<'a, T>(rng: &mut Rng, list: &'a [T]) -> Option<&'a T> {
    (!list.is_empty()).then(|| &list[(rng.next() % list.len() as u64) as usize])
}

/// One random edit to the site at `root`, or a later clock; says what.
fn edit(root: &Path, rng: &mut Rng, step: usize, now: &mut Instant) -> String {
    let incidents = files(root, "content/incidents");
    let maintenance = files(root, "content/maintenance");
    let pages = files(root, "content/pages");
    let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
    match rng.next() % 10 {
        0 | 1 => {
            let f = pick(rng, &incidents).unwrap();
            let mut text = fs::read_to_string(f).unwrap();
            text.push_str(&format!("\nA paragraph added in step {step}.\n"));
            fs::write(f, text).unwrap();
            format!("narrative of {}", name(f))
        }
        2 => {
            let f = pick(rng, &incidents).unwrap();
            replace_first(f, "body = \"\"\"\n", &format!("body = \"\"\"\nEdited in step {step}. "));
            format!("an update of {}", name(f))
        }
        3 => {
            let f = pick(rng, &incidents).unwrap();
            replace_first(f, "title = \"", &format!("title = \"Step {step}: "));
            format!("title of {}", name(f))
        }
        4 => {
            let hours = [1, 5, 30, 24 * 40][(rng.next() % 4) as usize];
            *now += chrono::Duration::hours(hours);
            format!("clock +{hours} h")
        }
        5 if step.is_multiple_of(2) => {
            replace_first(&root.join("status.toml"), "title = \"", &format!("title = \"S{step} "));
            "the site's title".into()
        }
        5 => {
            // The first name in status.toml: a service's, a group's or a
            // region's, which pages and social posts both say.
            replace_first(&root.join("status.toml"), "name = \"", &format!("name = \"N{step} "));
            "a name in status.toml".into()
        }
        6 => {
            // The theme: a site's own base.html, a word more each time.
            let own = root.join("templates/base.html");
            let text = fs::read_to_string(&own)
                .unwrap_or_else(|_| fs::read_to_string(common::repo().join("templates/base.html")).unwrap());
            fs::create_dir_all(own.parent().unwrap()).unwrap();
            fs::write(&own, text.replace("</body>", &format!("<!-- theme step {step} -->\n</body>"))).unwrap();
            "the theme".into()
        }
        7 if incidents.len() > 3 => {
            let f = pick(rng, &incidents).unwrap();
            fs::remove_file(f).unwrap();
            format!("deleted {}", name(f))
        }
        8 => match pick(rng, &maintenance) {
            Some(f) => {
                let mut text = fs::read_to_string(f).unwrap();
                text.push_str(&format!("\nMaintenance note, step {step}.\n"));
                fs::write(f, text).unwrap();
                format!("body of {}", name(f))
            }
            None => "nothing".into(),
        },
        _ => match pick(rng, &pages) {
            Some(f) => {
                let mut text = fs::read_to_string(f).unwrap();
                text.push_str(&format!("\nPage text, step {step}.\n"));
                fs::write(f, text).unwrap();
                format!("page {}", name(f))
            }
            None => "nothing".into(),
        },
    }
}

/// Random edits to `root`, each followed by an incremental build into one
/// folder and a full build into another, compared whole.
fn check(root: &Path, mut now: Instant, edits: usize, seed: u64) {
    let work = tempfile::tempdir().unwrap();
    let (incremental, full) = (work.path().join("incremental"), work.path().join("full"));
    build_at(root, &incremental, now, false);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (mut reused, mut done) = (0, Vec::new());
    for step in 0..edits {
        done.push(edit(root, &mut rng, step, &mut now));
        let report = build_at(root, &incremental, now, false);
        reused += report.written.reused;
        let whole = build_at(root, &full, now, true);
        let said = |r: &candor::cmd::build::BuildReport| {
            let shown: Vec<String> = r.warnings.iter().map(ToString::to_string).collect();
            (shown, r.older_warnings.clone())
        };
        assert_eq!(said(&report), said(&whole), "after edits {done:?} at {now}, the warnings differ");
        let (a, b) = (snapshot(&incremental), snapshot(&full));
        let differing: Vec<&String> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
        assert!(
            differing.is_empty(),
            "after edits {done:?} at {now}, the incremental build differs from a full one in {} files, first {}",
            differing.len(),
            differing[0]
        );
    }
    assert!(reused > 0, "no file was taken from a previous build");
}

fn edits(default: usize) -> usize {
    std::env::var("CANDOR_INCREMENTAL_EDITS").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn at(text: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[test]
fn the_example_built_incrementally_equals_a_full_build_after_random_edits() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("example");
    copy_example(&root);
    fs::remove_dir_all(root.join("site")).ok();
    // The open Postgres incident and upcoming maintenance become settled
    // as the clock moves on.
    check(&root, at(common::NOW), edits(16), 3);
}

#[test]
fn a_realistic_site_built_incrementally_equals_a_full_build_after_random_edits() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--profile", "realistic", "--items", "120", "--components", "12", "--regions", "5", "--seed", "9"];
    let root = common::generated_site_with(dir.path(), &args);
    check(&root, at("2026-10-31T12:00:00Z"), edits(12), 5);
}

/// A file of the output changed by hand (same size, so only its inode and
/// time tell), or given other permissions than a new file gets, is not
/// taken: the next build renders it again, as a full build would.
#[test]
fn a_file_changed_in_the_output_by_hand_is_rendered_again() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("example");
    copy_example(&root);
    let (out, full) = (dir.path().join("out"), dir.path().join("full"));
    let now = at(common::NOW);
    build_at(&root, &out, now, false);
    let page = "incidents/2026-10-14-kubernetes-autoscaling-stalled/index.html";
    let text = fs::read_to_string(out.join(page)).unwrap();
    assert!(text.contains("Lasted"), "a settled page");
    fs::write(out.join(page), text.replacen("Lasted", "LASTED", 1)).unwrap();
    let feed = "incidents/2026-10-14-kubernetes-autoscaling-stalled/updates.atom";
    fs::set_permissions(out.join(feed), fs::Permissions::from_mode(0o600)).unwrap();
    let report = build_at(&root, &out, now, false);
    assert!(report.written.reused > 0);
    build_at(&root, &full, now, true);
    assert!(snapshot(&out) == snapshot(&full), "the hand edit survived");
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out.join(feed)), mode(&full.join(feed)), "the permissions a new file gets");
}

/// A page that lists incidents is rendered again when what it shows of
/// them changed, and taken from the last build when its whole context is
/// unchanged: after an incident's title changes at the same clock, the
/// history and the pages of the service and regions it hit are new files,
/// the pages of a service and a region it did not touch are the very
/// files of the last build.
#[test]
fn a_list_page_is_rendered_again_only_when_what_it_shows_changed() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("example");
    copy_example(&root);
    let out = dir.path().join("out");
    let now = at(common::NOW);
    build_at(&root, &out, now, false);
    let inode = |page: &str| fs::metadata(out.join(page)).unwrap().ino();
    let pages = [
        "history/index.html",
        "history/2026/10/index.html",
        "components/kubernetes/index.html",
        "regions/us-west/index.html",
        "components/archive-storage/index.html",
        "regions/ca-central/index.html",
    ];
    let before: Vec<u64> = pages.iter().map(|p| inode(p)).collect();
    let incident = root.join("content/incidents/2026-10-14-kubernetes-autoscaling-stalled.md");
    assert!(replace_first(&incident, "title = \"", "title = \"Renamed: "));
    build_at(&root, &out, now, false);
    let after: Vec<u64> = pages.iter().map(|p| inode(p)).collect();
    for (n, page) in pages.iter().enumerate() {
        let shows_it = n < 4;
        assert_eq!(before[n] != after[n], shows_it, "{page}: rendered again = {}", before[n] != after[n]);
    }
    let history = fs::read_to_string(out.join("history/index.html")).unwrap();
    assert!(history.contains("Renamed: Managed Kubernetes"), "the history shows the new title");
    let full = dir.path().join("full");
    build_at(&root, &full, now, true);
    assert!(snapshot(&out) == snapshot(&full));
}

/// On the command line: a second build says how many files it took from
/// the first; `--full` takes none; a damaged keys file makes the next
/// build take none either (and still write what a full build writes).
#[test]
fn build_says_what_it_took_and_full_or_damaged_keys_take_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("example");
    copy_example(&root);
    let out = dir.path().join("out");
    let build = |extra: &[&str]| {
        let mut args =
            vec!["build", "--root", common::path(&root), "--output", common::path(&out), "--now", common::NOW];
        args.extend(extra);
        let run = common::candor(&args);
        assert!(run.status.success(), "{}", common::stderr(&run));
        common::stdout(&run)
    };
    assert!(!build(&[]).contains("unchanged"), "a first build has nothing to take");
    let again = build(&[]);
    assert!(again.contains(" unchanged from the previous build"), "{again}");
    assert!(!build(&["--full"]).contains("unchanged"), "--full takes nothing");
    fs::write(out.join(candor::output::reuse::FILE), "candor-keys 2\nnot a line\n").unwrap();
    let damaged = build(&[]);
    assert!(!damaged.contains("unchanged"), "{damaged}");
    let full = dir.path().join("full");
    build_at(&root, &full, at(common::NOW), true);
    assert!(snapshot(&out) == snapshot(&full));
    assert!(build(&[]).contains(" unchanged from the previous build"), "the keys are whole again");
}

/// What a build keeps in the site's `.candor/` folder (wording lints,
/// social post texts) is taken by the next build instead of computing it
/// again; damaged, hand-edited (its checksum no longer agrees) or of the
/// wrong shape, it is ignored and written anew, and the output is still
/// what a full build writes.
#[test]
fn kept_lints_and_posts_are_taken_and_damaged_ones_cost_nothing_but_time() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("example");
    copy_example(&root);
    // An update that says little (a wording lint, `vague-update`).
    let first = files(&root, "content/incidents").into_iter().next().unwrap();
    let text = fs::read_to_string(&first).unwrap();
    // The second update's body (the first may be vague).
    let second = text.match_indices("body = \"\"\"\n").nth(1).unwrap().0;
    let (head, rest) = text.split_at(second);
    let (_, tail) = rest.trim_start_matches("body = \"\"\"\n").split_once("\"\"\"").unwrap();
    fs::write(&first, format!("{head}body = \"\"\"\nLooking.\n\"\"\"{tail}")).unwrap();
    let (out, full) = (dir.path().join("out"), dir.path().join("full"));
    let now = at(common::NOW);
    build_at(&root, &out, now, false);
    let whole = build_at(&root, &full, now, true);
    let kept = root.join(".candor");
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&fs::read(kept.join(name)).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    // Writes `kept` as a build would, checksum and all.
    let write = |name: &str, file: &serde_json::Value, kept_value: &serde_json::Value| {
        let raw = serde_json::to_string(kept_value).unwrap();
        let check = candor::render::keys::hash(raw.as_str());
        let text = format!("{{\"candor\":{},\"check\":{check},\"kept\":{raw}}}", file["candor"]);
        fs::write(kept.join(name), text).unwrap();
    };
    let equals_full = |what: &str, report: &candor::cmd::build::BuildReport| {
        assert!(snapshot(&out) == snapshot(&full), "{what}: the output differs from a full build");
        assert_eq!(report.warnings, whole.warnings, "{what}: the warnings differ");
    };
    let (posts, lints) = (read("posts.json"), read("lints.json"));
    // A build that computed nothing new leaves both files as they are.
    let inode = |name: &str| std::os::unix::fs::MetadataExt::ino(&fs::metadata(kept.join(name)).unwrap());
    let before = (inode("posts.json"), inode("lints.json"));
    build_at(&root, &out, now, false);
    assert_eq!((inode("posts.json"), inode("lints.json")), before, "rewritten with nothing new");
    let text = posts["kept"][0][1][0][0][0].as_str().expect("the example posts something").to_owned();
    let marked = |kept: &serde_json::Value| {
        let json = serde_json::to_string(kept).unwrap().replacen(&json_text(&text), "\"Kept, not cut again.\"", 1);
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    };
    // A kept text is taken as it is: proof that the next build did not cut it again.
    write("posts.json", &posts, &marked(&posts["kept"]));
    build_at(&root, &out, now, false);
    assert!(fs::read_to_string(out.join("social/posts.json")).unwrap().contains("Kept, not cut again."));
    // Edited by hand (the checksum no longer agrees): ignored.
    let mut edited = posts.clone();
    edited["kept"] = marked(&posts["kept"]);
    fs::write(kept.join("posts.json"), serde_json::to_vec(&edited).unwrap()).unwrap();
    let mut lints_edited = lints.clone();
    let files = lints_edited["kept"].as_array_mut().unwrap();
    let linted = files.iter_mut().find(|f| f[2].as_array().is_some_and(|l| !l.is_empty())).expect("a wording lint");
    linted[2][0]["message"] = "Edited by hand.".into();
    fs::write(kept.join("lints.json"), serde_json::to_vec(&lints_edited).unwrap()).unwrap();
    equals_full("hand-edited", &build_at(&root, &out, now, false));
    // The wrong shape (an update's texts missing), checksum and all: cut again.
    let mut short = posts["kept"].clone();
    short[0][1].as_array_mut().unwrap().pop();
    write("posts.json", &posts, &short);
    equals_full("a short entry", &build_at(&root, &out, now, false));
    // Damaged: ignored, and written anew.
    fs::write(kept.join("posts.json"), "{\"candor\": 1, \"kept\": [[").unwrap();
    fs::write(kept.join("lints.json"), "not json").unwrap();
    equals_full("damaged", &build_at(&root, &out, now, false));
    assert_eq!(read("posts.json")["kept"], posts["kept"]);
    assert_eq!(read("lints.json")["kept"], lints["kept"]);
}

/// `text` as a JSON string (quoted and escaped).
fn json_text(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}
