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
//!   URL twitter-text recognises counts 23 (t.co) whatever its length. The
//!   limit is 280, and text with characters X rejects (U+FEFF, U+FFFE,
//!   U+FFFF) is invalid. The tests replay the official
//!   `WeightedTweetsCounterTest` and `WeightedTweetsWithDiscountedEmojiCounterTest`.
//! - **Mastodon**: `StatusLengthValidator`
//!   (mastodon/mastodon, `app/validators/status_length_validator.rb`): every
//!   URL with a scheme, as twitter-text's extractor finds it
//!   (`extract_url_without_protocol: false`), is replaced by 23 placeholder
//!   characters, then the text is counted in extended grapheme clusters
//!   (`each_grapheme_cluster.size`); the limit is 500. Mastodon's URL pattern
//!   (`config/initializers/twitter_regex.rb`) is twitter-text's with wider
//!   path characters, so where the two differ this count is the longer one:
//!   a post that fits here fits there. (Mentions also count short on
//!   Mastodon; Candor writes none.)
//! - **Bluesky**: the `app.bsky.feed.post` lexicon
//!   (bluesky-social/atproto, `lexicons/app/bsky/feed/post.json`):
//!   `maxGraphemes: 300` and `maxLength: 3000` (UTF-8 bytes). Links are not
//!   shortened in the record's text; an app may show a short form, but only
//!   through a link facet the text itself cannot carry, so Candor keeps the
//!   full URL in the text and counts every grapheme of it.

use twitter_text::extractor::{Extract, Extractor};
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
        match self {
            Network::Bluesky => graphemes(text),
            Network::Mastodon => mastodon_length(text),
            Network::X => x_length(text),
        }
    }

    /// Can `text` be posted as it is? Not empty, within the limit, and (for
    /// X) free of characters X rejects; for Bluesky also within the byte cap.
    pub fn fits(self, text: &str) -> bool {
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
    text.graphemes(true).count()
}

/// X's weighted length (twitter-text v3, URLs as 23).
pub fn x_length(text: &str) -> usize {
    let parsed = twitter_text::parse(text, twitter_text_config::config_v3(), true);
    usize::try_from(parsed.weighted_length).unwrap_or(usize::MAX)
}

/// twitter-text's verdict: non-empty, at most 280, no invalid characters.
pub fn x_valid(text: &str) -> bool {
    twitter_text::parse(text, twitter_text_config::config_v3(), true).is_valid
}

/// Mastodon's count: URLs with a scheme as 23, the rest in graphemes.
pub fn mastodon_length(text: &str) -> usize {
    graphemes(&mastodon_countable(text))
}

/// The text Mastodon counts: each URL (with a scheme) swapped for 23 `x`,
/// as `StatusLengthValidator#countable_text` rewrites it.
pub fn mastodon_countable(text: &str) -> String {
    let mut extractor = Extractor::new();
    extractor.set_extract_url_without_protocol(false);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    for url in extractor.extract_urls(text) {
        // The extractor reports URLs in order, so each is found after the last.
        if let Some(at) = rest.find(url.as_str()) {
            out.push_str(&rest[..at]);
            out.extend(std::iter::repeat_n('x', MASTODON_URL_CHARS));
            rest = &rest[at + url.len()..];
        }
    }
    out.push_str(rest);
    out
}
