//! Unit tests for the social channel's text: counting per network,
//! Markdown to plain text, thread cutting. The posts built from a site are
//! tested in `post_tests.rs`.

use super::count::{self, Network};
use super::plain::{clean, clean_line, markdown_to_plain};
use super::thread::{split, Layout};

const FAMILY: &str = "👩\u{200D}👩\u{200D}👧\u{200D}👦";
const URL: &str = "https://status.example.com/incidents/2026-01-02-a-rather-long-incident-id/";

// ------------------------------------------------------------------ counting

#[test]
fn x_counts_urls_as_23_cjk_and_emoji_as_2_after_nfc() {
    assert_eq!(count::x_length(&format!("Hi {URL}")), 3 + 23);
    assert_eq!(count::x_length("日本語"), 6);
    assert_eq!(count::x_length(FAMILY), 2, "a ZWJ family is one emoji");
    assert_eq!(count::x_length("e\u{301}"), 1, "NFC makes one é");
    assert_eq!(count::x_length("q\u{301}"), 2, "no precomposed q́: two code points of weight 1");
    assert!(!count::x_valid("\u{FFFE}"), "X rejects noncharacters");
    assert!(!count::x_valid(""), "X rejects an empty post");
    assert!(count::x_valid(&"a".repeat(280)) && !count::x_valid(&"a".repeat(281)));
}

#[test]
fn mastodon_counts_urls_as_23_and_the_rest_in_graphemes() {
    assert_eq!(count::mastodon_length(&format!("Hi {URL}")), 3 + 23);
    assert_eq!(count::mastodon_length(&format!("{URL} and {URL}")), 23 + 5 + 23);
    // No scheme, no concession (`extract_url_without_protocol: false`).
    assert_eq!(count::mastodon_length("status.example.com/x"), 20);
    assert_eq!(count::mastodon_length(FAMILY), 1);
    assert_eq!(count::mastodon_length("e\u{301}q\u{301}"), 2);
    assert_eq!(count::mastodon_length("日本語"), 3);
    assert!(Network::Mastodon.fits(&"é".repeat(500)) && !Network::Mastodon.fits(&"é".repeat(501)));
}

#[test]
fn bluesky_counts_graphemes_urls_in_full_and_caps_bytes() {
    assert_eq!(Network::Bluesky.length(&format!("Hi {URL}")), 3 + URL.chars().count());
    assert_eq!(Network::Bluesky.length(FAMILY), 1);
    assert_eq!(Network::Bluesky.length("e\u{301}q\u{301}日本"), 4);
    assert!(Network::Bluesky.fits(&"e\u{301}".repeat(300)));
    assert!(!Network::Bluesky.fits(&"e\u{301}".repeat(301)));
    // 121 families are 121 graphemes but 3025 bytes: too long.
    assert!(FAMILY.len() * 121 > count::BLUESKY_MAX_BYTES);
    assert!(!Network::Bluesky.fits(&FAMILY.repeat(121)));
}

// ------------------------------------------------------------------ plain text

#[test]
fn markdown_becomes_plain_text_with_words_kept() {
    let md = "We **fixed** the [pooler](https://example.com/x) and `pgbouncer`.\nSoft break.\n\n\
              - one\n- two *items*\n\n```\ncode line 1\ncode line 2\n```\n\n<b>raw</b> &amp; ![alt text](i.png)";
    assert_eq!(
        markdown_to_plain(md),
        "We fixed the pooler and pgbouncer. Soft break.\n\n- one\n- two items\n\ncode line 1\ncode line 2\n\n<b>raw</b> & alt text"
    );
}

#[test]
fn loose_lists_and_tables_stay_readable() {
    assert_eq!(markdown_to_plain("- a\n\n- b\n"), "- a\n- b");
    assert_eq!(markdown_to_plain("| a | b |\n|---|---|\n| 1 | 2 |\n"), "a | b\n1 | 2");
}

#[test]
fn cleaning_drops_controls_unifies_line_ends_and_composes() {
    assert_eq!(clean("a\u{0}b\u{1B}c\u{7F}d\u{85}e\u{FEFF}f\u{FFFF}g\tx\r\ny\rz"), "abcdefg\tx\ny\nz");
    // Directional formatting is text X accepts (UnicodeDirectionalMarkerCounterTest).
    assert_eq!(clean("\u{2066}\u{202A}abc\u{202C}\u{2069}"), "\u{2066}\u{202A}abc\u{202C}\u{2069}");
    assert_eq!(clean("e\u{301}"), "é");
    assert_eq!(clean_line("  Title\nwith \u{7}bell  "), "Title with bell");
    assert_eq!(markdown_to_plain("a \u{1} b\r\n\r\nc"), "a b\n\nc");
}

// ------------------------------------------------------------------ threads

fn layout() -> Layout {
    Layout { header: "[Major outage] API · EU West".into(), lead: "Investigating:".into(), tail: URL.into() }
}

/// The body text of a post: without header, lead, number and tail.
fn chunk(text: &str, layout: &Layout) -> String {
    let mut s = text.strip_prefix(&format!("{}\n", layout.header)).unwrap_or(text).to_owned();
    s = s.strip_prefix(&format!("{} ", layout.lead)).map(str::to_owned).unwrap_or(s);
    s = s.strip_suffix(&format!("\n{}", layout.tail)).map(str::to_owned).unwrap_or(s);
    let cut = s.rfind(" (").filter(|_| s.ends_with(')')).unwrap_or(s.len());
    s[..cut].to_owned()
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_short_update_is_one_post_with_header_lead_and_tail() {
    let posts = split(&layout(), "All good.", Network::X);
    assert_eq!(posts, vec![format!("[Major outage] API · EU West\nInvestigating: All good.\n{URL}")]);
}

#[test]
fn a_long_update_is_a_thread_cut_at_sentences() {
    let sentences: Vec<String> =
        (1..=30).map(|i| format!("Sentence number {i} tells readers something useful about the outage.")).collect();
    let body = sentences.join(" ");
    for network in Network::ALL {
        let posts = split(&layout(), &body, network);
        let n = posts.len();
        assert!(n > 1, "{network:?}");
        for (i, post) in posts.iter().enumerate() {
            assert!(network.fits(post), "{network:?} post {i} too long: {post}");
            assert!(post.contains(&format!("({}/{n})", i + 1)), "{post}");
            assert_eq!(post.starts_with("[Major outage]"), i == 0, "{post}");
            assert_eq!(post.ends_with(URL), i == n - 1, "{post}");
            assert!(chunk(post, &layout()).ends_with("outage."), "{network:?} not at a sentence end: {post}");
        }
        let joined: Vec<String> = posts.iter().map(|p| chunk(p, &layout())).collect();
        assert_eq!(squeeze(&joined.join(" ")), body, "{network:?} lost or changed text");
    }
}

/// A first sentence too long to sit beside the header, short enough for a
/// post of its own, opens the second post whole: the thread is cut at
/// sentence boundaries only.
#[test]
fn a_sentence_that_fits_a_post_of_its_own_is_not_cut_for_the_header() {
    let layout = Layout { header: format!("[Major outage] {}", "Service ".repeat(12).trim_end()), ..layout() };
    for network in Network::ALL {
        // Room for the sentence alone, not beside header and lead.
        let room = network.limit() - 12;
        let first = format!("{} sentence.", "word ".repeat((room - 10) / 5).trim_end());
        assert!(network.length(&first) <= room && !network.fits(&layout.compose(1, 2, &first)), "{network:?}");
        let body = format!("{first} Then a short one.");
        let posts = split(&layout, &body, network);
        assert_eq!(posts.len(), 3, "{network:?}: {posts:#?}");
        assert_eq!(posts[0], format!("{}\nInvestigating: (1/3)", layout.header), "{network:?}");
        assert_eq!(posts[1], format!("{first} (2/3)"), "{network:?}");
        assert!(posts[2].starts_with("Then a short one. (3/3)"), "{network:?}: {}", posts[2]);
        assert!(posts.iter().all(|p| network.fits(p)), "{network:?}");
    }
}

#[test]
fn an_over_long_sentence_is_cut_between_words() {
    let body = format!("{} end.", (0..200).map(|i| format!("word{i}")).collect::<Vec<_>>().join(" "));
    for network in Network::ALL {
        let posts = split(&layout(), &body, network);
        assert!(posts.len() > 1);
        let chunks: Vec<String> = posts.iter().map(|p| chunk(p, &layout())).collect();
        for (post, c) in posts.iter().zip(&chunks) {
            assert!(network.fits(post), "{network:?}: {post}");
            assert!(c.split(' ').all(|w| w.starts_with("word") || w == "end."), "{network:?} cut a word: {c}");
        }
        assert_eq!(squeeze(&chunks.join(" ")), body);
    }
}

#[test]
fn cjk_without_spaces_is_cut_between_ideographs() {
    let body = "東京リージョンのデータベースで接続エラーが発生しています。".repeat(20);
    for network in Network::ALL {
        let posts = split(&layout(), &body, network);
        assert!(posts.len() > 1, "{network:?}");
        let chunks: Vec<String> = posts.iter().map(|p| chunk(p, &layout())).collect();
        for post in &posts {
            assert!(network.fits(post), "{network:?}: {post}");
        }
        // Sentences here fit a post, so every cut is after "。".
        for c in &chunks[..chunks.len() - 1] {
            assert!(c.ends_with('。'), "{network:?}: {c}");
        }
        // Sentences packed together stay as written: no space between them.
        assert!(chunks.iter().all(|c| !c.contains(' ')), "{network:?}: {chunks:?}");
        assert_eq!(chunks.concat(), body);
    }
    // One sentence longer than a post: cut between ideographs, nothing lost.
    let long = format!("{}。", "接続".repeat(200));
    let posts = split(&layout(), &long, Network::X);
    let chunks: Vec<String> = posts.iter().map(|p| chunk(p, &layout())).collect();
    assert!(posts.iter().all(|p| Network::X.fits(p)));
    assert_eq!(chunks.concat(), long);
}

#[test]
fn emoji_sequences_and_combining_marks_are_never_split() {
    let body = format!("{FAMILY}e\u{301}q\u{301} ").repeat(150);
    for network in Network::ALL {
        for post in split(&layout(), &body, network) {
            assert!(network.fits(&post), "{network:?}");
            // Every family and every mark arrives whole.
            let families = post.matches(FAMILY).count();
            assert_eq!(post.matches('\u{1F466}').count(), families, "{network:?} split a family");
            assert!(!post.contains(" \u{301}") && !post.starts_with('\u{301}'), "{network:?} orphaned a mark");
        }
    }
}

#[test]
fn a_word_longer_than_a_post_is_cut_as_a_last_resort() {
    let body = format!("See https://example.com/{} now.", "x".repeat(700));
    for network in Network::ALL {
        let posts = split(&layout(), &body, network);
        assert!(posts.iter().all(|p| network.fits(p)), "{network:?}");
        let chunks: Vec<String> = posts.iter().map(|p| chunk(p, &layout())).collect();
        assert_eq!(chunks.concat().replace(' ', ""), body.replace(' ', ""), "{network:?}");
    }
}

#[test]
fn an_empty_body_still_gives_one_post() {
    assert_eq!(
        split(&layout(), "", Network::Bluesky),
        vec![format!("[Major outage] API · EU West\nInvestigating:\n{URL}")]
    );
}
