//! Lengths that add up, so that cutting a thread counts each piece of text
//! once instead of the whole post for every sentence it tries.
//!
//! Counting a post by a network's rule ([`super::count`]) means running
//! twitter-text's parser or a grapheme segmenter over all of it, and
//! packing a thread asks "does it still fit?" once per sentence: counted
//! whole, a long update cost its length times its sentences, on every
//! network. Instead each piece (header, lead, sentence, word, tail) is
//! counted once, exactly, and a post's [`Size`] is the sum of its pieces
//! and of the one-character separators between them.
//!
//! The sum is exact when pieces meet at whitespace, as sentences and words
//! do: no URL, emoji sequence or normalisation crosses a space or a line
//! break. It can be off where they do not, e.g. a URL longer than a post
//! cut between its graphemes (counted one by one, not as 23) or a
//! combining mark right after a space. So the estimate only decides where
//! to cut; every finished post is counted again, whole and exactly, and a
//! thread with a post that does not fit is cut again with exact counts
//! (`thread::split`).

use super::count::{Network, BLUESKY_MAX_BYTES};

/// A length in the network's unit, and in UTF-8 bytes (Bluesky caps both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub count: usize,
    pub bytes: usize,
}

impl Size {
    /// The exact size of `text` on `network`.
    pub fn of(network: Network, text: &str) -> Size {
        Size { count: network.length(text), bytes: text.len() }
    }

    /// The size of ASCII text without URLs (separators, "(2/3)"), which
    /// every network counts one per byte.
    pub fn ascii(len: usize) -> Size {
        Size { count: len, bytes: len }
    }

    /// `parts` joined by a one-character separator; empty parts are left
    /// out, as the post's composer leaves them out.
    pub fn joined(parts: &[Option<Size>]) -> Size {
        let present = parts.iter().flatten();
        let n = present.clone().count();
        present.fold(Size::ascii(n.saturating_sub(1)), |sum, part| sum + *part)
    }

    /// Would text of this size be a valid post on `network`? (X's other
    /// conditions, no forbidden characters, hold for cleaned text.)
    pub fn fits(self, network: Network) -> bool {
        self.count > 0
            && self.count <= network.limit()
            && (network != Network::Bluesky || self.bytes <= BLUESKY_MAX_BYTES)
    }
}

impl std::ops::Add for Size {
    type Output = Size;
    fn add(self, other: Size) -> Size {
        Size { count: self.count + other.count, bytes: self.bytes + other.bytes }
    }
}

/// Digits of `n` in decimal, for the size of "(i/n)" without writing it.
pub fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://status.example.com/incidents/2026-01-02-a-rather-long-incident-id/";

    /// Pieces joined at whitespace count as their sum, on every network.
    #[test]
    fn sizes_of_pieces_joined_at_whitespace_add_up() {
        let pieces = [
            "[Major outage] API · EU West",
            "Investigating:",
            "日本語のテキスト。",
            "👩\u{200D}👩\u{200D}👧",
            URL,
            "(2/3)",
        ];
        for network in Network::ALL {
            for sep in [" ", "\n", "\n\n"] {
                let text = pieces.join(sep);
                let sum = pieces
                    .iter()
                    .map(|p| Size::of(network, p))
                    .fold(Size::ascii(sep.len() * (pieces.len() - 1)), |a, b| a + b);
                assert_eq!(sum, Size::of(network, &text), "{network:?} with {sep:?}");
            }
        }
    }

    #[test]
    fn joined_leaves_out_absent_parts() {
        let a = Size::ascii(3);
        assert_eq!(Size::joined(&[Some(a), None, Some(a)]), Size::ascii(7));
        assert_eq!(Size::joined(&[None, None]), Size::ascii(0));
        assert_eq!(Size::joined(&[Some(a)]), a);
    }

    #[test]
    fn fits_at_each_limit_and_bluesky_bytes() {
        for network in Network::ALL {
            assert!(Size::ascii(network.limit()).fits(network));
            assert!(!Size::ascii(network.limit() + 1).fits(network));
            assert!(!Size::ascii(0).fits(network), "an empty post never fits");
        }
        assert!(!Size { count: 10, bytes: BLUESKY_MAX_BYTES + 1 }.fits(Network::Bluesky));
        assert!(Size { count: 10, bytes: BLUESKY_MAX_BYTES + 1 }.fits(Network::X));
    }

    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// Text of words from a mix of scripts, emoji, marks, URLs and line ends.
    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9.,:;!?()'/-]{1,12}",
            "[À-ɏ·–—’]{1,6}",
            // Kana without the combining sound marks U+3099 and U+309A.
            "[\u{3041}-\u{3096}\u{30A0}-\u{30FF}\u{4E00}-\u{4E80}]{1,5}",
            "[a-z]{1,4}[\u{300}-\u{36F}]{1,2}",
            Just("👩\u{200D}👩\u{200D}👧".to_owned()),
            Just("🇯🇵🇫🇷".to_owned()),
            Just("e\u{301}".to_owned()),
            Just("example.com/x".to_owned()),
            Just("https://status.example.com/incidents/x/".to_owned()),
            Just("\r\n".to_owned()),
        ]
    }

    proptest! {
        /// The fast path of `count::graphemes` agrees with UAX #29.
        #[test]
        fn grapheme_counts_agree_with_segmentation(words in prop::collection::vec(word(), 0..12), sep in "[ \n\r]{0,2}") {
            let text = words.join(&sep);
            prop_assert_eq!(crate::render::social::count::graphemes(&text), text.graphemes(true).count());
        }

        /// Words joined by spaces or newlines (no word starting with a mark)
        /// count as the sum of their sizes on every network.
        #[test]
        fn sizes_add_up_across_whitespace(words in prop::collection::vec(word(), 1..12), newline in any::<bool>()) {
            let sep = if newline { "\n" } else { " " };
            let text = words.join(sep);
            for network in Network::ALL {
                let sum = words.iter().map(|w| Size::of(network, w)).fold(Size::ascii(words.len() - 1), |a, b| a + b);
                prop_assert_eq!(sum, Size::of(network, &text), "{:?}: {:?}", network, text);
            }
        }
    }

    #[test]
    fn digits_of_numbers() {
        assert_eq!([0, 9, 10, 99, 100, 12345].map(digits), [1, 1, 2, 2, 3, 5]);
    }
}
