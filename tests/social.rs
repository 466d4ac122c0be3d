//! The social channel as a user gets it: the example site built with the
//! real binary, then `social/posts.json` and the three Atom feeds checked
//! against each network's own counting rule, the thread rules, the official
//! twitter-text conformance cases, and hostile titles and bodies.

mod common;

use candor::render::social::count::{self, Network};
use candor::render::social::plain::{clean_line, markdown_to_plain};
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use unicode_segmentation::UnicodeSegmentation;

const FEEDS: [(&str, &str); 3] = [("bluesky", "Bluesky"), ("mastodon", "Mastodon"), ("x", "X")];
/// The documented cap of each feed (`FEED_POSTS`).
const FEED_POSTS: usize = 200;

fn network(key: &str) -> Network {
    Network::ALL.into_iter().find(|n| n.key() == key).unwrap_or_else(|| panic!("unknown network {key}"))
}

fn built(root: &Path) -> (tempfile::TempDir, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    build(root, &dir.path().join("site"));
    let posts: Value = serde_json::from_str(&read(&dir.path().join("site"), "social/posts.json")).unwrap();
    let posts = posts.as_array().expect("posts.json is an array").clone();
    (dir, posts)
}

fn s<'a>(post: &'a Value, key: &str) -> &'a str {
    post[key].as_str().unwrap_or_else(|| panic!("{key} missing in {post}"))
}

fn n(post: &Value, key: &str) -> usize {
    post[key].as_u64().unwrap_or_else(|| panic!("{key} missing in {post}")) as usize
}

fn test_data(name: &str) -> String {
    read(&repo().join("tests/data/twitter-text"), name)
}

// ------------------------------------------------------------------ counting rules

/// The official cases: `WeightedTweetsCounterTest` was written for the
/// configuration without emoji parsing (v2 = v3 with `emojiParsingEnabled`
/// off); `WeightedTweetsWithDiscountedEmojiCounterTest` for v3, which Candor
/// uses, so those go through Candor's own counting functions.
#[test]
fn official_twitter_text_weighted_cases_pass() {
    let v3 = twitter_text_config::Configuration::configuration_from_json(&test_data("v3.json"));
    assert_eq!(&v3, twitter_text_config::config_v3(), "the crate's v3 is the published v3.json");
    let mut v2 = v3.clone();
    v2.version = 2;
    v2.emoji_parsing_enabled = false;
    assert_eq!(&v2, twitter_text_config::config_v2());

    let cases: Value = serde_json::from_str(&test_data("weighted-cases.json")).unwrap();
    let yaml = test_data("validate.yml");
    for (section, expected_count) in
        [("WeightedTweetsCounterTest", 20), ("WeightedTweetsWithDiscountedEmojiCounterTest", 22)]
    {
        let list = cases[section].as_array().unwrap();
        assert_eq!(list.len(), expected_count, "{section}");
        assert_eq!(yaml_section_len(&yaml, section), list.len(), "{section}: JSON and YAML disagree");
        for case in list {
            let text = s(case, "text");
            let want = case["expected"]["weightedLength"].as_u64().unwrap() as usize;
            let valid = case["expected"]["valid"].as_bool().unwrap();
            let what = s(case, "description");
            if section == "WeightedTweetsCounterTest" {
                let got = twitter_text::parse(text, &v2, true);
                assert_eq!((got.weighted_length as usize, got.is_valid), (want, valid), "{section}: {what}");
            } else {
                assert_eq!(count::x_length(text), want, "{section}: {what}");
                assert_eq!(count::x_valid(text), valid, "{section}: {what}");
                assert_eq!(Network::X.fits(text), valid, "{section}: {what}");
            }
        }
    }
}

/// How many `- description:` items a top-level section of validate.yml has.
fn yaml_section_len(yaml: &str, section: &str) -> usize {
    let heading = format!("  {section}:");
    // The next section's heading is indented by exactly two spaces.
    let next_section = |l: &&str| l.strip_prefix("  ").is_some_and(|rest| !rest.starts_with(' '));
    yaml.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !next_section(l))
        .filter(|l| l.trim_start().starts_with("- description:"))
        .count()
}

#[test]
fn every_example_post_fits_its_network_by_that_networks_count() {
    let (_dir, posts) = built(&repo());
    assert!(posts.len() > 100);
    for post in &posts {
        let text = s(post, "text");
        let net = network(s(post, "network"));
        assert!(net.fits(text), "{} too long: {text}", s(post, "id"));
        // The rules spelled out, independently of `fits`.
        match net {
            Network::X => {
                let parsed = twitter_text::parse(text, twitter_text_config::config_v3(), true);
                assert!(parsed.is_valid && parsed.weighted_length <= 280, "{text}");
            }
            Network::Mastodon => assert!(count::mastodon_length(text) <= 500, "{text}"),
            Network::Bluesky => assert!(text.graphemes(true).count() <= 300 && text.len() <= 3000, "{text}"),
        }
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    }
}

// ------------------------------------------------------------------ threads

/// The body part of a post: without header, lead, "(i/n)" and tail.
fn chunk(post: &Value) -> String {
    let mut text = s(post, "text").to_owned();
    if n(post, "part") == 1 {
        let (_header, rest) = text.split_once('\n').expect("a header line");
        let (_lead, rest) = rest.split_once(':').expect("a status word");
        text = rest.trim_start().to_owned();
    }
    if let Some(at) = text.find(&format!("\n{}", s(post, "url"))) {
        text.truncate(at);
    }
    let number = format!("({}/{})", n(post, "part"), n(post, "parts"));
    if n(post, "parts") > 1 {
        text = text.trim_end().strip_suffix(&number).unwrap_or_else(|| panic!("no {number}: {text}")).to_owned();
    }
    text.trim_end().to_owned()
}

#[test]
fn example_threads_cut_at_sentence_ends_and_never_inside_a_word() {
    let (_dir, posts) = built(&repo());
    let site = candor::content::load(&repo(), chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc())
        .unwrap()
        .site
        .expect("the example is valid");
    let mut bodies = BTreeMap::new();
    for i in &site.incidents {
        for u in &i.updates {
            bodies.insert((i.id.clone(), candor::time::rfc3339(u.at)), markdown_to_plain(&u.body));
        }
    }
    let mut threads: BTreeMap<(String, String, String), Vec<&Value>> = BTreeMap::new();
    for p in &posts {
        let key = (s(p, "incident").to_owned(), s(p, "at").to_owned(), s(p, "network").to_owned());
        threads.entry(key).or_default().push(p);
    }
    let mut cuts = 0;
    for ((incident, at, net), thread) in &threads {
        let body = &bodies[&(incident.clone(), at.clone())];
        let starts: Vec<usize> = body.split_sentence_bound_indices().map(|(i, _)| i).collect();
        let mut cursor = 0;
        let mut chunk_starts = Vec::new();
        for post in thread.iter().map(|p| chunk(p)).filter(|c| !c.is_empty()) {
            let at = cursor + body[cursor..].find(&post).unwrap_or_else(|| panic!("{net}: not in body: {post}"));
            assert!(body[cursor..at].trim().is_empty(), "{net}: text lost before {post:?}");
            if cursor > 0 {
                cuts += 1;
                // Between two posts: whitespace (so never inside a word), and
                // a sentence boundary unless the sentence began a post and
                // was too long for it.
                assert!(at > cursor, "{net}: cut inside a word before {post:?}");
                if !starts.contains(&at) {
                    let began = starts.iter().rev().find(|&&b| b < at).copied().unwrap_or(0);
                    assert!(chunk_starts.contains(&began), "{net}: cut mid-sentence before {post:?}");
                }
            }
            chunk_starts.push(at);
            cursor = at + post.len();
        }
        assert!(body[cursor..].trim().is_empty(), "{net}: text lost at the end of {incident} {at}");
    }
    assert!(cuts > 50, "the example has threads on every network ({cuts} cuts)");
}

#[test]
fn posts_json_is_sorted_complete_and_threaded() {
    let (dir, posts) = built(&repo());
    let raw = read(&dir.path().join("site"), "social/posts.json");
    assert!(raw.starts_with("[{\"id\":"), "compact JSON, a list of posts");
    let keys = ["id", "incident", "at", "status", "network", "part", "parts", "text", "url", "reply_to"];
    let order: Vec<String> = {
        let site = candor::content::load(&repo(), chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc());
        site.unwrap().site.unwrap().incidents.iter().map(|i| i.id.clone()).collect()
    };
    let sort_key = |p: &Value| {
        let incident = order.iter().position(|i| i == s(p, "incident")).unwrap();
        (incident, s(p, "at").to_owned(), s(p, "network").to_owned(), n(p, "part"))
    };
    for pair in posts.windows(2) {
        assert!(sort_key(&pair[0]) < sort_key(&pair[1]), "out of order: {} then {}", pair[0]["id"], pair[1]["id"]);
    }
    for p in &posts {
        let fields: Vec<&String> = p.as_object().unwrap().keys().collect();
        assert_eq!(fields.len(), keys.len(), "{p}");
        assert!(keys.iter().all(|k| p.get(*k).is_some()), "{p}");
        let stamp = s(p, "at").replace(['-', ':'], "");
        assert_eq!(s(p, "id"), format!("{}/{stamp}/{}/{}", s(p, "incident"), s(p, "network"), n(p, "part")));
        assert_eq!(s(p, "url"), format!("https://status.northwind.example/incidents/{}/", s(p, "incident")));
        match n(p, "part") {
            1 => assert!(p["reply_to"].is_null(), "{p}"),
            k => assert_eq!(s(p, "reply_to"), format!("{}/{stamp}/{}/{}", s(p, "incident"), s(p, "network"), k - 1)),
        }
        if n(p, "part") == n(p, "parts") {
            assert!(s(p, "text").contains(s(p, "url")), "the last post links the incident: {p}");
        }
    }
    // Only updates up to the build's clock: every update has posts on every network.
    for (key, _) in FEEDS {
        assert!(posts.iter().any(|p| s(p, "network") == key));
    }
}

// ------------------------------------------------------------------ Atom

fn feed(site: &Path, key: &str) -> feed_rs::model::Feed {
    let bytes = std::fs::read(site.join(format!("social/{key}.atom"))).unwrap();
    // XML 1.0 cannot carry C0 controls other than tab, newline, return.
    assert!(!bytes.iter().any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')), "{key}.atom");
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{key}.atom does not parse: {e}"))
}

/// The documented selection: whole threads, newest update first, while the
/// total stays within the cap; each thread's parts last to first.
fn capped<'a>(posts: &[&'a Value]) -> Vec<&'a str> {
    let mut threads: Vec<Vec<&'a str>> = Vec::new();
    let mut times: Vec<&str> = Vec::new();
    for p in posts {
        if n(p, "part") == 1 {
            threads.push(Vec::new());
            times.push(s(p, "at"));
        }
        threads.last_mut().unwrap().push(s(p, "id"));
    }
    let mut order: Vec<usize> = (0..threads.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(times[i]));
    let mut out = Vec::new();
    for i in order {
        if out.len() + threads[i].len() > FEED_POSTS {
            break;
        }
        out.extend(threads[i].iter().rev());
    }
    out
}

#[test]
fn atom_feeds_parse_and_carry_exactly_the_post_texts() {
    let (dir, posts) = built(&repo());
    let site = dir.path().join("site");
    for (key, name) in FEEDS {
        let feed = feed(&site, key);
        let mine: Vec<&Value> = posts.iter().filter(|p| s(p, "network") == key).collect();
        let expected = capped(&mine);
        let got: Vec<&str> = feed.entries.iter().map(|e| e.id.split_once(":social/").unwrap().1).collect();
        assert_eq!(got, expected, "{key}: the newest whole threads, later parts first");
        if mine.len() <= FEED_POSTS {
            assert_eq!(got.len(), mine.len(), "{key}: every post");
        } else {
            assert!(got.len() <= FEED_POSTS && got.len() > FEED_POSTS - 5, "{key}: {} entries", got.len());
        }
        assert!(feed.title.as_ref().unwrap().content.contains(name));
        let texts: BTreeMap<&str, &Value> = mine.iter().map(|p| (s(p, "id"), *p)).collect();
        let mut newest = None;
        for entry in &feed.entries {
            let id = entry.id.split_once(":social/").map(|(_, id)| id).expect("tag URI with the post id");
            let post = texts.get(id).unwrap_or_else(|| panic!("{key}: entry {id} is no post"));
            assert_eq!(entry.content.as_ref().and_then(|c| c.body.as_deref()), Some(s(post, "text")), "{id}");
            let updated = entry.updated.expect("entry updated");
            assert_eq!(updated.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), s(post, "at"), "{id}");
            assert_eq!(entry.links[0].href, s(post, "url"));
            newest = newest.max(Some(updated));
        }
        assert_eq!(feed.updated, newest, "{key}: feed updated = newest entry, not the build time");
    }
}

// ------------------------------------------------------------------ hostile content

const HOSTILE_TITLE: &str = "Hostile <script>alert(1)</script> & \\\"quotes\\\" 'apos' ]]> \\u0007bell\\u001B[0m";
const HOSTILE_BODY: &str =
    "Fix for <b>bold</b> & &amp; entities ]]> \\\"double\\\" 'single' ctrl:\\u0001\\u0002 done. \
     Family 👩\\u200D👩\\u200D👧\\u200D👦, e\\u0301 accent, 東京 region.";

fn hostile_site(dir: &Path, body: &str) {
    copy_example(dir);
    let file = format!(
        "+++\ntitle = \"{HOSTILE_TITLE}\"\nimpact = \"minor\"\nstarted = 2026-11-21T10:00:00Z\n\
         resolved = 2026-11-21T11:00:00Z\n\n[[affected]]\ncomponents = [\"cdn\"]\nstatus = \"degraded_performance\"\n\n\
         [[updates]]\nat = 2026-11-21T10:30:00Z\nstatus = \"investigating\"\nbody = \"{body}\"\n\n\
         [[updates]]\nat = 2026-11-21T11:00:00Z\nstatus = \"resolved\"\nbody = \"Over.\"\n+++\nDone.\n"
    );
    std::fs::write(dir.join("content/incidents/2026-11-21-hostile.md"), file).unwrap();
}

#[test]
fn hostile_titles_and_bodies_survive_json_and_atom_exactly() {
    let src = tempfile::tempdir().unwrap();
    hostile_site(src.path(), HOSTILE_BODY);
    let (dir, posts) = built(src.path());
    let mine: Vec<&Value> = posts.iter().filter(|p| s(p, "incident") == "2026-11-21-hostile").collect();
    assert_eq!(mine.len(), 6, "two updates, one post each on three networks");
    let first = mine.iter().find(|p| s(p, "network") == "mastodon" && s(p, "status") == "investigating").unwrap();
    let text = s(first, "text");
    for piece in [
        "<b>bold</b> & & entities ]]> \"double\" 'single' ctrl: done.",
        "Family 👩\u{200D}👩\u{200D}👧\u{200D}👦, é accent, 東京 region.",
        "[Degraded performance] CDN",
    ] {
        assert!(text.contains(piece), "{piece:?} not in {text:?}");
    }
    let title = clean_line("Hostile <script>alert(1)</script> & \"quotes\" 'apos' ]]> \u{7}bell\u{1B}[0m");
    assert_eq!(title, "Hostile <script>alert(1)</script> & \"quotes\" 'apos' ]]> bell[0m");
    let site = dir.path().join("site");
    for (key, _) in FEEDS {
        let feed = feed(&site, key);
        for p in mine.iter().filter(|p| s(p, "network") == key) {
            let entry = feed.entries.iter().find(|e| e.id.ends_with(s(p, "id"))).expect("entry for the post");
            assert_eq!(entry.content.as_ref().unwrap().body.as_deref(), Some(s(p, "text")));
            let entry_title = &entry.title.as_ref().unwrap().content;
            assert!(entry_title.starts_with(&format!("{title} — ")), "{entry_title:?}");
        }
    }
}

#[test]
fn ids_survive_an_edited_update_body() {
    let ids = |body: &str| -> Vec<String> {
        let src = tempfile::tempdir().unwrap();
        hostile_site(src.path(), body);
        let (_dir, posts) = built(src.path());
        posts.iter().filter(|p| s(p, "incident") == "2026-11-21-hostile").map(|p| s(p, "id").to_owned()).collect()
    };
    let before = ids("Short.");
    let after = ids("Reworded, and a little longer than before, but still one post on every network.");
    assert_eq!(before, after);
    assert!(before.contains(&"2026-11-21-hostile/20261121T103000Z/x/1".to_owned()));
}
