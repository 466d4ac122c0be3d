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
