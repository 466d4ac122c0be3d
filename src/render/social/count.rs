//! How long a post is, by each network's own rule, and whether it fits.
//!
//! Every network counts differently, and none of them counts bytes or
//! `char`s, so each rule is implemented as the network does it:
//!
//! - **X**: the weighted length of twitter-text's v3 configuration, computed
//!   by the `twitter-text` crate (the maintained Rust port at
//!   sayrer/twitter-text, whose v1–v3 configurations are byte-identical to
//!   Twitter's). The text is NFC-normalised; code points up to U+10FF and a
//!   few punctuation ranges weigh 1, everything else (CJK, most emoji) 2; an
//!   emoji sequence (ZWJ families, flags, skin tones) counts once, as 2; every
//!   URL twitter-text recognises, with or without a scheme, counts 23 (t.co)
//!   whatever its length. Where the Rust port counts otherwise, Candor
//!   corrects it (see `x_parse`): a URL glued to a letter, digit, `@`, `$`
//!   or `#` before it (`ahttp://…`) is no URL for X, and is weighed
//!   character by character; a URL without a scheme (`api.example.com`)
//!   counts at least 23. The limit is 280, and text with characters X
//!   rejects (U+FEFF, U+FFFE, U+FFFF) is invalid. The tests replay the official
//!   `WeightedTweetsCounterTest` and `WeightedTweetsWithDiscountedEmojiCounterTest`.
//! - **Mastodon**: `StatusLengthValidator`
//!   (mastodon/mastodon, `app/validators/status_length_validator.rb`): every
//!   URL with a scheme, as twitter-text's extractor finds it
//!   (`extract_url_without_protocol: false`), is replaced by 23 placeholder
//!   characters, every remote mention `@user@domain` by `@user`, then the
//!   text is counted in extended grapheme clusters
//!   (`each_grapheme_cluster.size`); the limit is 500. Mastodon's URL pattern
//!   (`config/initializers/twitter_regex.rb`) is twitter-text's with wider
//!   path characters and more schemes, so where the two differ this count
//!   is the longer one: a post that fits here fits there. A URL glued to a
//!   letter or digit before it (`ahttp://…`) is no URL for Mastodon (nor for
//!   twitter-text's own pattern), though the Rust port extracts it: it is
//!   counted in full. Candor writes no mentions, but an update body may name
//!   an account (`@ops@example.social`), so mentions are shortened too, by
//!   Mastodon's `Account::MENTION_RE` and extractor rules (not after a word
//!   character, `=` or `/`; not followed by `@` or `://`; a domain of at most
//!   253 characters; an entity overlapping an earlier one dropped), read
//!   narrowly in the same spirit: ASCII domains only, and never next to a
//!   non-ASCII character, where Mastodon's Unicode word class might read the
//!   mention differently. The tests replay `status_length_validator_spec.rb`
//!   (tests/data/mastodon).
//! - **Bluesky**: the `app.bsky.feed.post` lexicon
//!   (bluesky-social/atproto, `lexicons/app/bsky/feed/post.json`):
//!   `maxGraphemes: 300` and `maxLength: 3000` (UTF-8 bytes). Links are not
//!   shortened in the record's text; an app may show a short form, but only
//!   through a link facet the text itself cannot carry, so Candor keeps the
//!   full URL in the text and counts every grapheme of it. The tests replay
//!   atproto's own length cases (tests/data/bluesky).

use std::borrow::Cow;
use twitter_text::extractor::{Extract, Extractor};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// A social network Candor writes posts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Network {
    Bluesky,
    Mastodon,
    X,
}

impl Network {
    /// Every network, in the order posts are sorted (by name).
    pub const ALL: [Network; 3] = [Network::Bluesky, Network::Mastodon, Network::X];

    /// The key used in ids, `posts.json` and file names.
    pub fn key(self) -> &'static str {
        match self {
            Network::Bluesky => "bluesky",
            Network::Mastodon => "mastodon",
            Network::X => "x",
        }
    }

    /// The name readers know it by.
    pub fn name(self) -> &'static str {
        match self {
            Network::Bluesky => "Bluesky",
            Network::Mastodon => "Mastodon",
            Network::X => "X",
        }
    }

    /// The most a post may count, in this network's unit.
    pub fn limit(self) -> usize {
        match self {
            Network::Bluesky => BLUESKY_MAX_GRAPHEMES,
            Network::Mastodon => MASTODON_MAX_CHARS,
            Network::X => X_MAX_WEIGHTED,
        }
    }

    /// The length of `text` as this network counts it.
    pub fn length(self, text: &str) -> usize {
        #[cfg(test)]
        tally::note(text);
        match self {
            Network::Bluesky => graphemes(text),
            Network::Mastodon => mastodon_length(text),
            Network::X => x_length(text),
        }
    }

    /// Can `text` be posted as it is? Not empty, within the limit, and (for
    /// X) free of characters X rejects; for Bluesky also within the byte cap.
    pub fn fits(self, text: &str) -> bool {
        #[cfg(test)]
        tally::note(text);
        match self {
            Network::X => x_valid(text),
            Network::Bluesky => {
                !text.is_empty() && text.len() <= BLUESKY_MAX_BYTES && graphemes(text) <= BLUESKY_MAX_GRAPHEMES
            }
            Network::Mastodon => !text.is_empty() && mastodon_length(text) <= MASTODON_MAX_CHARS,
        }
    }
}

/// X: `maxWeightedTweetLength` of the v3 configuration.
pub const X_MAX_WEIGHTED: usize = 280;
/// Mastodon: `StatusLengthValidator::MAX_CHARS`.
pub const MASTODON_MAX_CHARS: usize = 500;
/// Mastodon: `StatusLengthValidator::URL_PLACEHOLDER_CHARS`.
pub const MASTODON_URL_CHARS: usize = 23;
/// Bluesky: `maxGraphemes` of `app.bsky.feed.post#text`.
pub const BLUESKY_MAX_GRAPHEMES: usize = 300;
/// Bluesky: `maxLength` of `app.bsky.feed.post#text` (UTF-8 bytes).
pub const BLUESKY_MAX_BYTES: usize = 3000;

/// Extended grapheme clusters (UAX #29), what users see as characters.
pub fn graphemes(text: &str) -> usize {
    // Below U+0300 (ASCII, Latin-1, Latin Extended, IPA) nothing joins a
    // cluster but CR LF: no combining marks, joiners, prepends or regional
    // indicators. Most text is such, and segmenting it is the slow path.
    if text.chars().all(|c| c < '\u{300}') {
        return text.chars().count() - text.matches("\r\n").count();
    }
    text.graphemes(true).count()
}

/// X's weighted length (twitter-text v3, URLs as 23), never shorter than
/// X's own count (the corrections to the Rust port are listed at `x_parse`).
pub fn x_length(text: &str) -> usize {
    x_parse(text).0
}

/// twitter-text's verdict: non-empty, at most 280, no invalid characters.
pub fn x_valid(text: &str) -> bool {
    let (length, valid) = x_parse(text);
    valid && length <= X_MAX_WEIGHTED
}

/// The weighted length and twitter-text's verdict on the rest, with two
/// corrections where the Rust port's count differs from twitter-text's
/// (`parseTweet`, which extracts URLs with and without a scheme):
///
/// - a URL with a scheme glued to a word (`ahttp://b.com`) is no URL for
///   twitter-text, which weighs its characters; the port counts 23;
/// - a URL without a scheme (`status.example.com`) counts 23 for
///   twitter-text, where the port weighs its characters. Where that is less
///   than 23 it is raised to 23; where more it is kept, so a text is never
///   counted shorter than X counts it.
fn x_parse(text: &str) -> (usize, bool) {
    if !text.is_empty() && plain(text) {
        return (text.len(), text.len() <= X_MAX_WEIGHTED);
    }
    x_parse_whole(text)
}

/// [`x_parse`] of text that is not [`plain`]: by twitter-text, or where
/// the Rust port fails on it ([`parsed`]) by [`x_upper_bound`].
fn x_parse_whole(text: &str) -> (usize, bool) {
    parsed(|| x_parse_twitter(text)).unwrap_or_else(|| x_upper_bound(text))
}

/// [`x_parse`] of text counted whole by twitter-text.
fn x_parse_twitter(text: &str) -> (usize, bool) {
    let config = twitter_text_config::config_v3();
    let parsed = twitter_text::parse(text, config, true);
    let mut length = i64::from(parsed.weighted_length);
    // Every URL, with or without a scheme, has a dot right before a label
    // (ASCII or not), unlike the end of a sentence.
    if text.as_bytes().windows(2).any(|w| w[0] == b'.' && (w[1].is_ascii_alphanumeric() || !w[1].is_ascii())) {
        let text: Cow<str> = match is_nfc_quick(text.chars()) {
            IsNormalized::Yes => Cow::Borrowed(text),
            _ => Cow::Owned(text.nfc().collect()),
        };
        let url_length = i64::from(config.transformed_url_length);
        for (start, end) in urls(&text, true) {
            let url = &text[start..end];
            let weighed = || i64::from(twitter_text::parse(url, config, false).weighted_length);
            if has_scheme(url) {
                if glued(&text, start) {
                    length += weighed() - url_length;
                }
            } else if !glued(&text, start) && !text[..start].ends_with(['-', '_', '.', '/']) {
                // twitter-text's `invalidUrlWithoutProtocolPrecedingChars`.
                length += (url_length - weighed()).max(0);
            }
        }
    }
    (usize::try_from(length).unwrap_or(0), parsed.is_valid)
}

/// Does `url` start with a scheme (`https://`)?
fn has_scheme(url: &str) -> bool {
    url.split_once("://")
        .is_some_and(|(scheme, _)| !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// The byte ranges of the URLs twitter-text's Rust port finds in `text`,
/// in order; only those with a scheme unless `without_scheme`.
fn urls(text: &str, without_scheme: bool) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut extractor = Extractor::new();
    extractor.set_extract_url_without_protocol(without_scheme);
    let mut from = 0;
    extractor.extract_urls(text).into_iter().filter_map(move |url| {
        // The extractor reports URLs in order, so each is found after the last.
        let start = from + text[from..].find(url.as_str())?;
        from = start + url.len();
        Some((start, from))
    })
}

/// Mastodon's count: URLs with a scheme as 23, remote mentions as
/// `@user`, the rest in graphemes.
pub fn mastodon_length(text: &str) -> usize {
    if plain(text) {
        return text.len();
    }
    mastodon_whole(text)
}

/// [`mastodon_length`] of text that is not [`plain`]; where twitter-text's Rust
/// port fails on it ([`parsed`]), an upper bound: every grapheme, and 23
/// more for every `://` (a URL shorter than 23 counts 23).
fn mastodon_whole(text: &str) -> usize {
    parsed(|| graphemes(&mastodon_countable(text)))
        .unwrap_or_else(|| graphemes(text) + MASTODON_URL_CHARS * text.matches("://").count())
}

/// What `parse` (a call into twitter-text's Rust port) gives, or `None`
/// where the port panics. Version 0.3.1 does on text an update may well
/// hold: looking for "RT" before an `@`, it slices inside a character when
/// the `@` follows one ASCII letter or digit right after a character of
/// more than one byte ("サポートa@example.com", "ü1@x"), and a build
/// failed on such an update. Such text is counted by an upper bound
/// instead, so its posts still fit, and the port's panic message is not
/// printed (only its own are silenced).
fn parsed<T>(parse: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| {
        let shown = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.location().is_some_and(|at| at.file().contains("twitter-text")) {
                shown(info);
            }
        }));
    });
    std::panic::catch_unwind(parse).ok()
}

/// X's count of text twitter-text's port fails on, never below X's own:
/// each character of its NFC form at its v3 weight (1 up to U+10FF and in
/// a few punctuation ranges, else 2; an emoji sequence counts each of its
/// characters, where X counts 2 for the whole), and 23 more for every
/// place a URL could be (a dot right before a label), as a URL shorter
/// than 23 counts 23. Invalid with a character X rejects.
fn x_upper_bound(text: &str) -> (usize, bool) {
    let weight = |c: char| match u32::from(c) {
        0..=4351 | 8192..=8205 | 8208..=8223 | 8242..=8247 => 1,
        _ => 2,
    };
    let bytes = text.as_bytes();
    let places = bytes.windows(2).filter(|w| w[0] == b'.' && (w[1].is_ascii_alphanumeric() || !w[1].is_ascii()));
    let length = text.nfc().map(weight).sum::<usize>() + 23 * places.count();
    let rejected = text.chars().any(|c| matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'));
    (length, !text.is_empty() && !rejected && length <= X_MAX_WEIGHTED)
}

/// Text every network counts one per byte, without parsing it: printable
/// ASCII and line feeds only, and nothing a URL or a mention could begin
/// with (every URL has a dot right before a letter or digit of its domain,
/// one with a scheme also `://`; a mention has `@`). Most of what updates
/// say is such text.
fn plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().all(|&b| matches!(b, b' '..=b'~' | b'\n'))
        && !bytes.contains(&b'@')
        && !bytes.windows(2).any(|w| w[0] == b'.' && w[1].is_ascii_alphanumeric())
        && memchr::memmem::find(bytes, b"://").is_none()
}

/// Mastodon: the longest domain a mention may have (`Extractor::MAX_DOMAIN_LENGTH`).
pub const MASTODON_MAX_DOMAIN: usize = 253;

/// The text Mastodon counts, as `StatusLengthValidator#countable_text`
/// rewrites it: each URL (with a scheme) swapped for 23 `x`, each remote
/// mention `@user@domain` cut to `@user`. URLs and mentions are ordered by
/// where they start; one that overlaps an earlier one is left as it is.
pub fn mastodon_countable(text: &str) -> String {
    // (start, end, replacement); a local mention is its own replacement but
    // still takes part in the overlap rule.
    let mut entities: Vec<(usize, usize, Option<&str>)> = Vec::new();
    entities.extend(urls(text, false).filter(|&(start, _)| !glued(text, start)).map(|(start, end)| (start, end, None)));
    entities.extend(mastodon_mentions(text).map(|(start, end, user)| (start, end, Some(user))));
    entities.sort_by_key(|&(start, _, _)| start);

    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, mention) in entities {
        if start < at {
            continue;
        }
        out.push_str(&text[at..start]);
        match mention {
            None => out.extend(std::iter::repeat_n('x', MASTODON_URL_CHARS)),
            Some(user) => out.push_str(user),
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Is the URL the Rust port found at byte `start` glued to what comes
/// before it? twitter-text's `valid_url_preceding_chars`, which Mastodon's
/// URL pattern uses too, wants no ASCII letter or digit, `@`, `$`, `#` (or
/// their full-width forms) or a character X rejects right before a URL.
/// The Rust port does not check this (it finds `http://b.example` in
/// `ahttp://b.example`), so it is checked here.
fn glued(text: &str, start: usize) -> bool {
    text[..start].chars().next_back().is_some_and(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '@' | '＠' | '$' | '#' | '＃' | '\u{FFFE}' | '\u{FEFF}' | '\u{FFFF}')
    })
}

/// The mentions Mastodon would find in `text`, local and remote, as byte
/// ranges with the `@user` each counts as.
fn mastodon_mentions(text: &str) -> impl Iterator<Item = (usize, usize, &str)> + '_ {
    let bytes = text.as_bytes();
    let mut next = 0;
    std::iter::from_fn(move || {
        while let Some(found) = text[next..].find('@') {
            let start = next + found;
            next = start + 1;
            if !mention_may_start_after(text[..start].chars().next_back()) {
                continue;
            }
            let user_end = ascii_words(bytes, start + 1);
            if user_end == start + 1 {
                continue;
            }
            let mut end = user_end;
            if bytes.get(user_end) == Some(&b'@') {
                let domain_end = ascii_words(bytes, user_end + 1);
                if domain_end > user_end + 1 {
                    end = domain_end;
                }
            }
            next = end;
            let remote = end > user_end;
            if !mention_may_end_before(&text[end..]) || (remote && end - user_end - 1 > MASTODON_MAX_DOMAIN) {
                continue;
            }
            return Some((start, end, &text[start..user_end]));
        }
        None
    })
}

/// `MENTION_RE`'s look-behind: not after a word character, `=` or `/`. Any
/// other non-ASCII character than a space counts as a word character here.
fn mention_may_start_after(before: Option<char>) -> bool {
    match before {
        None => true,
        Some(c) if c.is_ascii() => !(c.is_ascii_alphanumeric() || matches!(c, '_' | '=' | '/')),
        Some(c) => c.is_whitespace(),
    }
}

/// The extractor's `end_mention_match`: a mention is none when followed by
/// `@` (or another at sign), a Latin accented letter or `://`. Candor also
/// refuses any non-ASCII character after it, or after a run of `.` and `-`
/// that a Unicode domain could continue.
fn mention_may_end_before(after: &str) -> bool {
    if after.starts_with('@') || after.starts_with("://") {
        return false;
    }
    after.trim_start_matches(['.', '-']).chars().next().is_none_or(|c| c.is_ascii())
}

/// The end of `[A-Za-z0-9_]+([.-]+[A-Za-z0-9_]+)*` starting at `from`
/// (`from` itself when there is none): `USERNAME_RE`, and the domain part of
/// `MENTION_RE` restricted to ASCII.
fn ascii_words(bytes: &[u8], from: usize) -> usize {
    let count =
        |at: usize, f: fn(&u8) -> bool| bytes.get(at..).map_or(0, |rest| rest.iter().take_while(|b| f(b)).count());
    let (mut end, mut at) = (from, from);
    loop {
        let word = count(at, |b| b.is_ascii_alphanumeric() || *b == b'_');
        if word == 0 {
            return end;
        }
        end = at + word;
        let separators = count(end, |b| matches!(b, b'.' | b'-'));
        if separators == 0 {
            return end;
        }
        at = end + separators;
    }
}

/// What the tests' counting saw on this thread: the cost of counting a
/// text grows with the square of its longest unbroken word, so cutting a
/// thread must never count a long word whole.
#[cfg(test)]
pub(crate) mod tally {
    use std::cell::Cell;

    thread_local! {
        /// (texts counted, bytes counted, longest word in a counted text)
        static SEEN: Cell<(usize, usize, usize)> = const { Cell::new((0, 0, 0)) };
    }

    pub fn note(text: &str) {
        let longest = text.split_whitespace().map(str::len).max().unwrap_or(0);
        SEEN.with(|s| {
            let (n, bytes, word) = s.get();
            s.set((n + 1, bytes + text.len(), word.max(longest)));
        });
    }

    /// What was counted since the last call, and starts again.
    pub fn take() -> (usize, usize, usize) {
        SEEN.with(|s| s.replace((0, 0, 0)))
    }
}

#[cfg(test)]
mod shortcut_tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that put every rule the shortcut skips to the test: URLs with
    /// and without a scheme, glued or not, mentions, dots, emoji, CJK,
    /// combining marks, CR LF. (Texts are cleaned before they are counted,
    /// [`super::super::plain::clean`], so no U+FEFF.) twitter-text's port
    /// panics on some of them, e.g. glued URLs before U+2028: those are
    /// counted by upper bounds, and left out of the comparison.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9 ,;!?()'\"/:_=#$-]{1,10}",
            "[a-z]{1,6}\\.[a-zA-Z0-9]{0,4}",
            Just("https://status.example.com/incidents/x/".to_owned()),
            Just("http://b.example".to_owned()),
            Just("ahttp://b.example".to_owned()),
            Just("status.example.com".to_owned()),
            Just("api.example".to_owned()),
            Just("@ops@example.social".to_owned()),
            Just("@ops".to_owned()),
            Just("e.g. ".to_owned()),
            Just("1.5".to_owned()),
            Just("://".to_owned()),
            Just("👩\u{200D}👩\u{200D}👧".to_owned()),
            Just("日本語".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("\u{2028}".to_owned()),
            Just(" ".to_owned()),
            Just("\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("#Tag".to_owned()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]

        #[test]
        fn counting_plain_text_by_its_bytes_agrees_with_twitter_text(
            pieces in prop::collection::vec(piece(), 0..16),
        ) {
            let text: String = pieces.concat();
            // Text twitter-text's port fails on is counted by upper bounds.
            if let Some(whole) = parsed(|| x_parse_twitter(&text)) {
                prop_assert_eq!(x_parse(&text), whole, "X: {:?}", text);
            }
            if let Some(countable) = parsed(|| mastodon_countable(&text)) {
                prop_assert_eq!(mastodon_length(&text), graphemes(&countable), "Mastodon: {:?}", text);
            }
        }
    }

    /// twitter-text 0.3.1 panics on these (see [`parsed`]): they are
    /// counted by an upper bound, never below what X or Mastodon count.
    #[test]
    fn text_the_port_fails_on_is_counted_by_an_upper_bound() {
        for (text, x, mastodon) in [
            ("サポートa@example.com", 2 * 4 + 1 + 1 + 11 + 23, 17),
            ("ü1@x", 4, 4),
            ("👩\u{200D}👩\u{200D}👧A@ops@example.social https://status.example.com/x/", 0, 0),
        ] {
            assert!(parsed(|| x_parse_twitter(text)).is_none(), "{text:?} parses now: drop the workaround?");
            let (length, valid) = x_parse(text);
            assert!(valid || length > X_MAX_WEIGHTED, "{text:?}");
            if x > 0 {
                assert_eq!(length, x, "{text:?}");
                assert_eq!(mastodon_length(text), mastodon, "{text:?}");
            } else {
                assert!(length >= 2 + 1 + 19 + 1 + 23 && mastodon_length(text) >= 1 + 1 + 4 + 1 + 23, "{text:?}");
            }
            for network in Network::ALL {
                assert!(network.fits(text), "{network:?}: {text:?}");
            }
        }
    }

    #[test]
    fn plain_text_is_what_no_rule_reads() {
        assert!(plain("We restarted the nodes. Errors fell (3 of 5).\nNext update: 14:30."));
        for not in ["see example.com", "x://y", "@ops", "a.b", "café", "a\r\nb", "tab\there"] {
            assert!(!plain(not), "{not:?}");
        }
    }
}
