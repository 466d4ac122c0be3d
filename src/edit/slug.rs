//! File names for new content: `<local date>-<slug of the title>`, made
//! unique within the folder.

use std::path::Path;

/// Longest slug kept, in bytes; longer ones are cut at a word boundary.
const MAX_SLUG: usize = 60;

/// The title as an id: lower-case ASCII letters and digits, words joined by
/// `-`, other scripts transliterated ("Café API: 5xx errors!" ->
/// "cafe-api-5xx-errors", "Störung" -> "storung"). `fallback` when nothing is left.
pub fn slug(title: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(title).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut slug = out.trim_end_matches('-').to_owned();
    if slug.len() > MAX_SLUG {
        let cut = slug[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug
    }
}

/// The first of `<stem>`, `<stem>-2`, `<stem>-3`, ... that `taken` says is free.
pub fn unique(stem: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = stem.to_owned();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    candidate
}

/// Whether `<dir>/<id>.md` exists.
pub fn exists_in(dir: &Path) -> impl Fn(&str) -> bool + '_ {
    move |id| dir.join(format!("{id}.md")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("API errors", "incident"), "api-errors");
        assert_eq!(slug("  Café API: 5xx errors! ", "incident"), "cafe-api-5xx-errors");
        assert_eq!(slug("Größere Störung in EU-West", "incident"), "grossere-storung-in-eu-west");
        assert_eq!(slug("naïve ﬁle", "incident"), "naive-file");
        assert_eq!(slug("--- !!! ---", "incident"), "incident");
        assert_eq!(slug("", "maintenance"), "maintenance");
        assert_eq!(slug("🔥🔥", "incident"), "fire-fire");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let s = slug(
            "Elevated error rates for object storage, block storage and the managed databases in every region",
            "x",
        );
        assert_eq!(s, "elevated-error-rates-for-object-storage-block-storage-and");
        assert!(s.len() <= MAX_SLUG);
        let one_word = slug(&"a".repeat(80), "x");
        assert_eq!(one_word.len(), MAX_SLUG);
    }

    #[test]
    fn unique_names_count_up() {
        let taken = ["2026-12-02-api", "2026-12-02-api-2"];
        assert_eq!(unique("2026-12-02-api", |c| taken.contains(&c)), "2026-12-02-api-3");
        assert_eq!(unique("2026-12-02-db", |c| taken.contains(&c)), "2026-12-02-db");
    }
}
