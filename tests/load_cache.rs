//! The preview server's incremental loading: only files whose stamp changed
//! are read again, a changed status.toml re-reads everything, and the site
//! loaded from the cache equals a fresh load.

mod common;

use candor::content::{load, load_with, LoadCache};
use common::*;

fn now() -> candor::time::Instant {
    candor::time::build_now(Some(NOW), None).unwrap()
}

fn titles(site: &candor::model::Site) -> Vec<String> {
    site.incidents.iter().map(|i| format!("{} {}", i.id, i.title)).collect()
}

#[test]
fn only_changed_files_are_parsed_again() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    let root = dir.path();
    let mut cache = LoadCache::new();
    let first = load_with(root, now(), &mut cache).unwrap();
    assert_eq!(cache.parsed(), first.files, "the first load reads every file");
    assert!(first.files > 20);

    // Editors' scratch files are neither read nor warned about.
    for scratch in
        ["#2025-02-03-dns-new-zone-propagation.md#", "2025-02-03-dns-new-zone-propagation.md~", "4913", ".x.md.swp"]
    {
        std::fs::write(root.join("content/incidents").join(scratch), "not content").unwrap();
    }
    let again = load_with(root, now(), &mut cache).unwrap();
    assert_eq!(cache.parsed(), 0, "nothing changed, nothing read");
    assert_eq!(again.files, first.files);
    assert!(again.diagnostics.is_empty(), "scratch files were reported");
    assert_eq!(titles(again.site.as_ref().unwrap()), titles(first.site.as_ref().unwrap()));

    // One edit (same length, so only the time and inode can tell).
    let file = root.join("content/incidents/2025-02-03-dns-new-zone-propagation.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("title = \"New", "title = \"Now", 1);
    assert_eq!(edited.len(), text.len());
    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, &edited).unwrap();
    let loaded = load_with(root, now(), &mut cache).unwrap();
    assert_eq!(cache.parsed(), 1);
    let fresh = load(root, now()).unwrap();
    assert_eq!(titles(loaded.site.as_ref().unwrap()), titles(fresh.site.as_ref().unwrap()));
    assert!(titles(loaded.site.as_ref().unwrap()).iter().any(|t| t.contains("Now Cloud DNS zones")));

    // A broken file reports its error from the cache too, until fixed.
    std::fs::write(&file, edited.replacen("impact = ", "impcat = ", 1)).unwrap();
    let broken = load_with(root, now(), &mut cache).unwrap();
    assert!(broken.site.is_none() && broken.diagnostics.has_errors());
    let other = root.join("content/pages/about.md");
    let about = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, format!("{about}\nMore.\n")).unwrap();
    let still = load_with(root, now(), &mut cache).unwrap();
    assert_eq!(cache.parsed(), 1, "only the page was read");
    assert!(still.diagnostics.has_errors(), "the broken incident is still reported");

    // A deleted file is gone; a changed status.toml re-reads everything.
    std::fs::remove_file(&file).unwrap();
    let fewer = load_with(root, now(), &mut cache).unwrap();
    assert_eq!(fewer.files, first.files - 1);
    assert_eq!(fewer.site.unwrap().incidents.len(), first.site.as_ref().unwrap().incidents.len() - 1);
    let config = std::fs::read_to_string(root.join("status.toml")).unwrap();
    std::fs::write(root.join("status.toml"), format!("{config}\n# a comment\n")).unwrap();
    load_with(root, now(), &mut cache).unwrap();
    assert_eq!(cache.parsed(), first.files - 1);
}

/// What a load gives, as text: the site, or the problems.
fn shown(loaded: &candor::content::Loaded) -> String {
    format!("{:?}\n{:?}", loaded.site, loaded.diagnostics)
}

/// One `candor build` process's load: a new cache reading what the last
/// kept in `.candor/`, and how many files it read and parsed.
fn kept_load(root: &std::path::Path) -> (candor::content::Loaded, usize, usize) {
    let mut cache = LoadCache::kept_in(&root.join(".candor"));
    cache.read_kept();
    let loaded = load_with(root, now(), &mut cache).unwrap();
    (loaded, cache.read(), cache.parsed())
}

/// Parse results kept on disk between builds (`.candor/parsed.bin`): the
/// next process parses only files whose bytes changed, and what it loads
/// equals a fresh load, also when the kept file was cut or damaged (which
/// costs parses, then the file is written whole again) or status.toml
/// changed (which re-parses everything).
#[test]
fn parse_results_kept_on_disk_equal_a_fresh_load() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    let root = dir.path();
    let kept = root.join(".candor/parsed.bin");
    let fresh = || shown(&load(root, now()).unwrap());

    let (first, _, parsed) = kept_load(root);
    assert_eq!(parsed, first.files, "nothing kept yet: every file is parsed");
    assert!(kept.is_file(), "the parses are kept");
    let (again, _, parsed) = kept_load(root);
    assert_eq!(parsed, 0, "nothing changed, nothing parsed");
    assert_eq!(shown(&again), fresh());

    // An edit of the same length and time is seen by its bytes.
    let file = root.join("content/incidents/2025-02-03-dns-new-zone-propagation.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::fs::write(&file, text.replacen("title = \"New", "title = \"Now", 1)).unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(modified).unwrap();
    let (edited, _, parsed) = kept_load(root);
    assert_eq!(parsed, 1);
    assert_eq!(shown(&edited), fresh());
    assert!(shown(&edited).contains("Now Cloud DNS zones"));
    let appended = std::fs::metadata(&kept).unwrap().len();

    // A broken file's errors come back from what was kept, until fixed.
    std::fs::write(&file, text.replacen("impact = ", "impcat = ", 1)).unwrap();
    let (broken, _, parsed) = kept_load(root);
    assert_eq!(parsed, 1);
    assert!(broken.diagnostics.has_errors());
    let (still, _, parsed) = kept_load(root);
    assert_eq!(parsed, 0);
    assert_eq!(shown(&still), fresh());
    assert!(std::fs::metadata(&kept).unwrap().len() > appended, "the new parse is appended");
    std::fs::write(&file, &text).unwrap();

    // A cut file: what is whole is taken, the rest parsed, then the file
    // is written whole again.
    let bytes = std::fs::read(&kept).unwrap();
    std::fs::write(&kept, &bytes[..bytes.len() / 2]).unwrap();
    let (cut, _, parsed) = kept_load(root);
    assert!(parsed > 0 && parsed < cut.files, "{parsed} of {} parsed", cut.files);
    assert_eq!(shown(&cut), fresh());
    assert_eq!(kept_load(root).2, 0);

    // A damaged byte in a record: that record is not whole, so it and
    // those after it are parsed again.
    let mut bytes = std::fs::read(&kept).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&kept, &bytes).unwrap();
    let (damaged, _, parsed) = kept_load(root);
    assert!(parsed > 0, "a damaged record is not taken");
    assert_eq!(shown(&damaged), fresh());
    assert_eq!(kept_load(root).2, 0);

    // Another status.toml: every file is checked against it again.
    let config = std::fs::read_to_string(root.join("status.toml")).unwrap();
    std::fs::write(root.join("status.toml"), format!("{config}\n# a comment\n")).unwrap();
    let (configured, _, parsed) = kept_load(root);
    assert_eq!(parsed, configured.files);
    assert_eq!(shown(&configured), fresh());

    // A deleted file is not loaded from what was kept.
    std::fs::remove_file(&file).unwrap();
    let (fewer, _, parsed) = kept_load(root);
    assert_eq!((parsed, fewer.files), (0, first.files - 1));
    assert_eq!(shown(&fewer), fresh());

    // Appends stay bounded: once the file holds more than twice what is
    // current, it is written anew.
    let whole = std::fs::metadata(&kept).unwrap().len();
    let page = root.join("content/pages/about.md");
    let about = std::fs::read_to_string(&page).unwrap();
    let mut sizes = Vec::new();
    for round in 0..60 {
        std::fs::write(&page, format!("{about}\n{}\n", "More. ".repeat(200 + round))).unwrap();
        assert_eq!(kept_load(root).2, 1);
        sizes.push(std::fs::metadata(&kept).unwrap().len());
    }
    assert!(sizes.iter().all(|s| *s < 2 * whole + 8192), "{whole}: {sizes:?}");
    assert!(sizes.windows(2).any(|w| w[1] < w[0]), "never written anew: {sizes:?}");
    assert_eq!(shown(&kept_load(root).0), fresh());
}

/// A kept parse result is taken without reading the file when the file's
/// stamp (size, inode, device, modification and change times) is the one
/// kept and the file had last changed well before that stamp was taken: a
/// file changed just before a build is read again next time, since an edit
/// in the same clock tick could leave its stamp as it was.
#[test]
fn files_whose_stamp_is_kept_and_settled_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    let root = dir.path();
    let fresh = || shown(&load(root, now()).unwrap());
    let load = || {
        let (loaded, read, parsed) = kept_load(root);
        (shown(&loaded), loaded.files, read, parsed)
    };

    // Just copied: every stamp is too recent to be trusted.
    let (_, files, read, parsed) = load();
    assert_eq!((read, parsed), (files, files));
    let (_, _, read, parsed) = load();
    assert_eq!((read, parsed), (files, 0), "recent files are read again (and their hash matches)");

    // Once the files are older than the margin, a load that reads them
    // stamps them anew; the next reads none.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let (_, _, read, parsed) = load();
    assert_eq!((read, parsed), (files, 0));
    let (shown_kept, _, read, parsed) = load();
    assert_eq!((read, parsed), (0, 0), "nothing read");
    assert_eq!(shown_kept, fresh());

    // An edit is seen by its stamp; a touch without a change is read and
    // found unchanged by its bytes.
    let file = root.join("content/incidents/2025-02-03-dns-new-zone-propagation.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("title = \"New", "title = \"Now", 1)).unwrap();
    let page = root.join("content/pages/about.md");
    std::fs::File::options().write(true).open(&page).unwrap().set_modified(std::time::SystemTime::now()).unwrap();
    let (edited, _, read, parsed) = load();
    assert_eq!((read, parsed), (2, 1));
    assert_eq!(edited, fresh());
    assert!(edited.contains("Now Cloud DNS zones"));
    // Both were changed just now, so both are read until they settle.
    let (_, _, read, parsed) = load();
    assert_eq!((read, parsed), (2, 0));
}

/// What the preview server keeps of the lints between loads
/// ([`candor::lint::Memory`]) never changes what they say: after any
/// sequence of edits (an update made to repeat another, made vague, lines
/// shifted, an update added, `allow` added or removed, the file renamed,
/// the clock moved), the warnings of a load with
/// the memory equal those of a fresh `candor check`, and only the edited
/// incident is linted again.
mod lint_memory {
    use super::*;
    use candor::build::{load_checked, Cache};
    use proptest::prelude::*;

    const FILE: &str = "content/incidents/2025-02-03-dns-new-zone-propagation.md";
    const ALLOW: &str = "allow = [\"repeated-update\", \"vague-update\"]\n";

    #[derive(Debug, Clone)]
    enum Edit {
        /// Update `n`'s body says again what update 1 said.
        Repeat(usize),
        /// Update `n`'s body says nothing.
        Vague(usize),
        /// A comment line at the top: every place moves down.
        Shift,
        /// One more update, saying the first again.
        Append,
        /// `allow = [...]` of the wording lints added, or removed if there.
        Allow,
        /// The file takes another name (another incident id).
        Rename,
        /// The clock moves by this many days.
        Clock(i64),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (2..5usize).prop_map(Edit::Repeat),
            (1..5usize).prop_map(Edit::Vague),
            Just(Edit::Shift),
            Just(Edit::Append),
            Just(Edit::Allow),
            Just(Edit::Rename),
            (-400..400i64).prop_map(Edit::Clock),
        ]
    }

    /// The body of each update, as (start, end) byte ranges of its value.
    fn bodies(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(at) = text[from..].find("body = ") {
            let start = from + at + "body = ".len();
            let quote = if text[start..].starts_with("\"\"\"") { "\"\"\"" } else { "\"" };
            let end = start + quote.len() + text[start + quote.len()..].find(quote).unwrap() + quote.len();
            out.push((start, end));
            from = end;
        }
        out
    }

    fn apply(text: &str, edit: &Edit) -> String {
        let bodies = bodies(text);
        let replace = |n: usize, with: &str| {
            let (start, end) = bodies[(n - 1).min(bodies.len() - 1)];
            format!("{}{with}{}", &text[..start], &text[end..])
        };
        let first = &text[bodies[0].0..bodies[0].1];
        match edit {
            Edit::Repeat(n) => replace(*n, first),
            Edit::Vague(n) => replace(*n, "\"We are investigating.\""),
            Edit::Shift => text.replacen("+++\n", "+++\n# moved\n", 1),
            Edit::Append => {
                // Before the last update (the resolution), a minute after the one before.
                let last = text.rfind("[[updates]]").unwrap();
                let at = format!("2025-02-03T12:{}:00", 15 + bodies.len());
                let update = format!("[[updates]]\nat = {at}\nstatus = \"monitoring\"\nbody = {first}\n\n");
                format!("{}{update}{}", &text[..last], &text[last..])
            }
            Edit::Allow if text.contains(ALLOW) => text.replacen(ALLOW, "", 1),
            Edit::Allow => text.replacen("+++\n", &format!("+++\n{ALLOW}"), 1),
            Edit::Rename | Edit::Clock(_) => text.to_owned(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        #[test]
        fn remembered_lints_equal_fresh_ones(edits in prop::collection::vec(edit(), 1..6)) {
            let dir = tempfile::tempdir().unwrap();
            copy_example(dir.path());
            let root = dir.path();
            let mut cache = Cache::remembering();
            let mut clock = now();
            load_checked(root, clock, false, &mut cache).unwrap();
            let incidents = cache.lints.linted();
            prop_assert!(incidents > 20, "the first load lints every incident");
            let mut file = root.join(FILE);
            for (n, edit) in edits.iter().enumerate() {
                let text = std::fs::read_to_string(&file).unwrap();
                let edited = apply(&text, edit);
                std::fs::write(&file, &edited).unwrap();
                match edit {
                    Edit::Clock(days) => clock += chrono::Duration::days(*days),
                    Edit::Rename => {
                        let to = file.with_file_name(format!("2025-02-03-renamed-{n}.md"));
                        std::fs::rename(&file, &to).unwrap();
                        file = to;
                    }
                    _ => {}
                }
                let remembered = load_checked(root, clock, false, &mut cache).unwrap();
                let fresh = load_checked(root, clock, false, &mut Cache::disabled()).unwrap();
                let said = |d: &candor::diagnostic::Diagnostic| d.to_string();
                prop_assert_eq!(
                    remembered.warnings.iter().map(said).collect::<Vec<_>>(),
                    fresh.warnings.iter().map(said).collect::<Vec<_>>(),
                    "after {:?}", edit
                );
                let again = if edited == text && !matches!(edit, Edit::Rename) { 0 } else { 1 };
                prop_assert_eq!(cache.lints.linted(), again, "after {:?}", edit);
            }
        }
    }
}
