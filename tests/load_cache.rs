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
