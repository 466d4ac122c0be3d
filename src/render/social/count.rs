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
    graphemes(&mastodon_countable(text))
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
