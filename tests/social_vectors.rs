//! The networks' own length cases, replayed against Candor's counting
//! (`candor::render::social::count`): Mastodon's `StatusLengthValidator`
//! spec, restated as data in tests/data/mastodon, and the AT Protocol's
//! length tests and post lexicon, transcribed in tests/data/bluesky. Each
//! folder's README names the repository, path and commit they come from.
//! (X's twitter-text cases are replayed in tests/social.rs.)

mod common;

use candor::render::social::count::{self, Network};
use common::*;
use serde_json::Value;

fn data(network: &str, name: &str) -> Value {
    let text = read(&repo().join("tests/data").join(network), name);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("tests/data/{network}/{name}: {e}"))
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} missing in {v}"))
}

fn n(v: &Value, key: &str) -> usize {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} missing in {v}")) as usize
}

// ------------------------------------------------------------------ Mastodon

/// A described input: pieces joined, `[s, n]` standing for `s` repeated `n` times.
fn pieces(v: &Value) -> String {
    let list = v.as_array().unwrap_or_else(|| panic!("not a list of pieces: {v}"));
    list.iter()
        .map(|piece| match piece {
            Value::String(text) => text.clone(),
            Value::Array(pair) => {
                pair[0].as_str().expect("piece text").repeat(pair[1].as_u64().expect("count") as usize)
            }
            other => panic!("not a piece: {other}"),
        })
        .collect()
}

#[test]
fn mastodon_status_length_validator_cases_pass() {
    let cases = data("mastodon", "status-length-cases.json");
    assert_eq!(n(&cases, "limit"), count::MASTODON_MAX_CHARS);
    let list = cases["cases"].as_array().unwrap();
    assert_eq!(list.len(), 12, "every example of the spec");
    let mut replayed = 0;
    for case in list {
        let what = s(case, "description");
        if case.get("skip").is_some() {
            continue;
        }
        let (spoiler, text) = (pieces(&case["spoiler_text"]), pieces(&case["text"]));
        let valid = case["valid"].as_bool().unwrap();
        // `combined_text`: the content warning as it is, then the status
        // text as counted; Candor's posts have no content warning.
        let length = count::graphemes(&(spoiler.clone() + &count::mastodon_countable(&text)));
        assert_eq!(length, n(case, "length"), "{what}");
        assert_eq!(length <= count::MASTODON_MAX_CHARS, valid, "{what}");
        if spoiler.is_empty() {
            assert_eq!(Network::Mastodon.length(&text), length, "{what}");
            assert_eq!(Network::Mastodon.fits(&text), valid, "{what}");
        }
        replayed += 1;
    }
    assert_eq!(replayed, 10);
}

/// Cases around the mention rule that the spec's two do not reach. Where
/// Mastodon's Unicode reading might differ, Candor counts the longer way.
#[test]
fn mastodon_mentions_count_as_the_user_part_only_where_mastodon_agrees() {
    let len = count::mastodon_length;
    // Remote mentions count as `@user`; local ones are what they are.
    assert_eq!(len("Ask @ops@status.example.social."), 4 + 4 + 1);
    assert_eq!(len("@ops"), 4);
    assert_eq!(len("(@first.last-x@mastodon.example)"), 1 + "@first.last-x".len() + 1);
    assert_eq!(len("@a@b.example and @c@d.example"), 2 + 5 + 2);
    // Not after a word character, `=` or `/`; not followed by `@` or `://`.
    for text in ["x@ops@example.social", "a=@ops@example.social", "/@ops@example.social", "@ops@example.social@x"] {
        assert_eq!(len(text), text.chars().count(), "{text}");
    }
    assert_eq!(len("@ops@example://x"), 16, "followed by ://");
    // A domain over 253 characters is no mention.
    let long = format!("@ops@{}.social", "d".repeat(246));
    assert_eq!(long.len() - 5, 253);
    assert_eq!(len(&long), 4);
    let longer = format!("@ops@{}.social", "d".repeat(247));
    assert_eq!(len(&longer), longer.len());
    // Inside a URL the URL wins (entities that overlap an earlier one are dropped).
    assert_eq!(len("https://example.com/x?q,@ops@example.social"), 23);
    // Non-ASCII next to a mention: counted in full, the safe side.
    assert_eq!(len("«@ops@example.social»"), 21);
    assert_eq!(len("@ops@exämple.social"), 19);
    assert_eq!(len("@ops@example.日本"), 15);
}

/// twitter-text's pattern wants no letter, digit, `@`, `$` or `#` right
/// before a URL; the Rust port finds one there all the same.
#[test]
fn mastodon_urls_glued_to_a_word_count_in_full() {
    let len = count::mastodon_length;
    // (`.example` is no TLD twitter-text knows, so these use `.com`.)
    assert_eq!(len("ahttp://b.com/x"), 15);
    assert_eq!(len("a http://b.com/x"), 2 + 23);
    assert_eq!(len("xhttp://a.com http://a.com"), 13 + 1 + 23);
    assert_eq!(len("#http://b.com/x"), 15);
    assert_eq!(len("(http://b.com/x)"), 1 + 23 + 1);
    assert_eq!(len("éhttp://b.com/x"), 1 + 23, "only ASCII letters and digits stop it");
}

/// The same rule for X: twitter-text sees no URL right after a letter,
/// digit, `@`, `$` or `#`, and weighs those characters one by one.
#[test]
fn x_urls_glued_to_a_word_weigh_every_character() {
    let len = count::x_length;
    assert_eq!(len("aaaahttp://bbbbbbbb.com/example"), 31);
    assert_eq!(len("aaaa http://bbbbbbbb.com/example"), 5 + 23);
    assert_eq!(len("#example.com"), 12, "no scheme, glued to a hash");
    assert_eq!(len("$ab.co"), 6, "shorter than 23: counted as written");
    assert_eq!(len("(http://b.com/x)"), 1 + 23 + 1);
    assert_eq!(len("éhttp://b.com/x"), 1 + 23, "only ASCII letters and digits stop it");
    assert_eq!(len("日本http://b.com/x"), 4 + 23, "CJK before a URL does not glue");
    // CJK is no path character: the glued URL ends before it, and the two
    // CJK characters weigh 2 each as ever.
    assert_eq!(len("ahttp://b.com/日本"), 1 + 13 + 4);
    // The limit applies to the corrected length.
    let glued = format!("{}ahttp://b.com/{}", "x".repeat(250), "y".repeat(20));
    assert_eq!(len(&glued), 250 + 1 + 13 + 20);
    assert!(!count::x_valid(&glued), "284 is over 280, though the port counts it as 274");
    assert!(count::x_valid(&format!("{}ahttp://b.com/x", "x".repeat(250))));
}

/// twitter-text's `parseTweet` counts a URL without a scheme as 23, as it
/// does one with a scheme; the Rust port weighs its characters. Short ones
/// are raised to 23; long ones keep their weight (never counted short).
#[test]
fn x_urls_without_a_scheme_count_at_least_23() {
    let len = count::x_length;
    assert_eq!(len("example.com"), 23);
    assert_eq!(len("see api.example.com now"), 4 + 23 + 4);
    assert_eq!(len("x日http://b.com/x example.com"), 1 + 2 + 23 + 1 + 23);
    let long = "status.example.com/incidents/2026-02-29-storage";
    assert_eq!(len(long), long.len(), "longer than 23: kept, never shorter than X's count");
    // No URL for twitter-text after `-`, `_`, `.` or `/`, nor glued to a word.
    assert_eq!(len("/example.com"), 12);
    assert_eq!(len("-example.com"), 12);
    assert_eq!(len("aexample.com"), 23, "one longer domain, not a glued one");
    // Not URLs at all: no known top-level domain.
    assert_eq!(len("e.g. v1.2"), 9);
    let near_limit = format!("{} example.com", "x".repeat(260));
    assert_eq!(len(&near_limit), 260 + 1 + 23);
    assert!(!count::x_valid(&near_limit), "284: the port alone counts 272");
}

// ------------------------------------------------------------------ Bluesky

#[test]
fn bluesky_limits_are_the_post_lexicons() {
    let lexicon = data("bluesky", "post.json");
    assert_eq!(s(&lexicon, "id"), "app.bsky.feed.post");
    let text = &lexicon["defs"]["main"]["record"]["properties"]["text"];
    assert_eq!(n(text, "maxGraphemes"), count::BLUESKY_MAX_GRAPHEMES);
    assert_eq!(n(text, "maxLength"), count::BLUESKY_MAX_BYTES);
    assert_eq!(Network::Bluesky.limit(), count::BLUESKY_MAX_GRAPHEMES);
    // Both limits, at and past the edge.
    let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F467}";
    assert!(Network::Bluesky.fits(&"a".repeat(300)) && !Network::Bluesky.fits(&"a".repeat(301)));
    assert_eq!(family.len() * 120, 3000);
    assert!(Network::Bluesky.fits(&family.repeat(120)), "3000 bytes in 120 graphemes");
    assert!(!Network::Bluesky.fits(&format!("{}a", family.repeat(120))), "3001 bytes in 121 graphemes");
}

#[test]
fn atproto_length_cases_pass() {
    let cases = data("bluesky", "length-cases.json");
    let measures = cases["measures"].as_array().unwrap();
    assert_eq!(measures.len(), 25);
    for case in measures {
        let text = s(case, "text");
        let what = format!("{}: {text:?}", s(case, "source"));
        if let Some(bytes) = case["bytes"].as_u64() {
            assert_eq!(text.len(), bytes as usize, "{what}");
        }
        if let Some(graphemes) = case["graphemes"].as_u64() {
            assert_eq!(count::graphemes(text), graphemes as usize, "{what}");
            assert_eq!(Network::Bluesky.length(text), graphemes as usize, "{what}");
        }
        assert!(case.get("bytes").is_some() || case.get("graphemes").is_some(), "{what}: nothing measured");
    }

    let constraints = cases["constraints"].as_array().unwrap();
    assert_eq!(constraints.len(), 53);
    for case in constraints {
        let text = s(case, "text");
        let what = format!("{}: {text:?}", s(case, "schema"));
        let got = match s(case, "unit") {
            "bytes" => text.len(),
            "graphemes" => count::graphemes(text),
            unit => panic!("{what}: unknown unit {unit}"),
        };
        let min = case["min"].as_u64().map_or(0, |m| m as usize);
        let valid = case["valid"].as_bool().unwrap();
        assert_eq!(got >= min && got <= n(case, "max"), valid, "{what}: {got}");
        if !valid {
            assert_eq!(got, n(case, "got"), "{what}");
        }
    }
}
