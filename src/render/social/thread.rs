//! Cutting one update into a thread of posts that each fit a network.
//!
//! A post is laid out as
//!
//! ```text
//! [Major outage] Object Storage, Functions · 2 regions     <- header (first post only)
//! Investigating: We are investigating ... (1/3)           <- lead, body chunk, number
//! https://status.example.com/incidents/x/ #Tag            <- tail (last post only)
//! ```
//!
//! The lead ("Investigating:") opens the first post's body line; the number
//! "(i/n)" closes the body line of every post when there is more than one;
//! the header and tail are chosen by the caller (see [`super`]).
//!
//! The body is packed greedily, in order:
//!
//! 1. Whole sentences (UAX #29 sentence boundaries within paragraphs, but
//!    none after a title or abbreviation such as "Dr." or "e.g.";
//!    paragraph and line breaks are kept) go into a post while it still
//!    fits; a sentence that does not fit starts the next post.
//! 2. A sentence that does not fit beside the header in the first post but
//!    fits a post of its own starts the second post: the first then carries
//!    the header and the lead alone. A sentence is cut only when it does not
//!    fit even a post of its own, at word boundaries: at whitespace, or
//!    between two CJK ideographs or kana, which break lines without spaces;
//!    never inside a word, a URL or a number, nor inside a grapheme (so ZWJ
//!    emoji and combining marks stay whole).
//! 3. Only a single word longer than a whole post (a gigantic URL) is cut
//!    between graphemes, as a last resort. A word longer than
//!    [`LONG_WORD`] bytes is cut into pieces of [`PIECE`](cut::PIECE) graphemes in one
//!    pass before anything counts it: twitter-text's parser tries a link at
//!    every position of an unbroken word, so counting one costs the square
//!    of its length (a 50 KB word took seconds, 10 MB never finished).
//! 4. The last post must also hold the tail; when the last sentence fits
//!    but not with the tail, the sentence moves to a new post with it, and
//!    only when it cannot share a post with the tail does the tail go alone.
//!
//! The number of posts is found by repacking until the "(i/n)" used while
//! packing agrees with the count, since a longer number leaves less room.
//!
//! Packing adds up the pieces' sizes rather than counting each candidate
//! post whole ([`super::measure`]); the finished posts are counted whole.

mod cut;

pub use cut::LONG_WORD;

use super::count::Network;
use super::measure::{digits, Size};
use cut::{graphemes, has_long_word, sentences, words, Level, Unit};
use std::collections::VecDeque;
use unicode_segmentation::UnicodeSegmentation;

/// The fixed parts of every post of one update on one network.
#[derive(Debug, Clone)]
pub struct Layout {
    /// First line of the first post.
    pub header: String,
    /// Opens the first post's body line, e.g. "Investigating:".
    pub lead: String,
    /// Last line of the last post: URL and hashtags (may be empty).
    pub tail: String,
}

impl Layout {
    /// Post `i` of `n` (1-based) with `chunk` of the body.
    pub fn compose(&self, i: usize, n: usize, chunk: &str) -> String {
        self.compose_with(i, n, chunk, i == n)
    }

    /// As [`Layout::compose`], with or without the tail.
    fn compose_with(&self, i: usize, n: usize, chunk: &str, tail: bool) -> String {
        let mut line: Vec<&str> = Vec::with_capacity(3);
        if i == 1 && !self.lead.is_empty() {
            line.push(&self.lead);
        }
        if !chunk.is_empty() {
            line.push(chunk);
        }
        let number = format!("({i}/{n})");
        if n > 1 {
            line.push(&number);
        }
        let mut lines: Vec<String> = Vec::with_capacity(3);
        if i == 1 && !self.header.is_empty() {
            lines.push(self.header.clone());
        }
        if !line.is_empty() {
            lines.push(line.join(" "));
        }
        if tail && !self.tail.is_empty() {
            lines.push(self.tail.clone());
        }
        lines.join("\n")
    }
}

/// The sizes of a layout's parts on one network, counted once.
struct Sizes {
    header: Option<Size>,
    lead: Option<Size>,
    tail: Option<Size>,
}

impl Sizes {
    fn new(layout: &Layout, network: Network) -> Sizes {
        let size = |s: &str| (!s.is_empty()).then(|| Size::of(network, s));
        Sizes { header: size(&layout.header), lead: size(&layout.lead), tail: size(&layout.tail) }
    }

    /// The size of [`Layout::compose_with`]'s text, from its parts' sizes.
    fn compose_with(&self, i: usize, n: usize, chunk: &Chunk, tail: bool) -> Size {
        let number = (n > 1).then(|| Size::ascii(digits(i) + digits(n) + 3));
        let chunk = (!chunk.text.is_empty()).then_some(chunk.size);
        let line = [self.lead.filter(|_| i == 1), chunk, number];
        let line = line.iter().any(Option::is_some).then(|| Size::joined(&line));
        Size::joined(&[self.header.filter(|_| i == 1), line, self.tail.filter(|_| tail)])
    }
}

/// The most body text (in bytes) one post carries. Bluesky allows 3000;
/// X and Mastodon count a link as 23 whatever its length, so a post of
/// links glued together could otherwise grow without bound, and counting
/// it costs the square of its length.
const MAX_CHUNK_BYTES: usize = 4 * LONG_WORD;

/// Body text packed into one post so far, with its estimated size.
#[derive(Debug, Clone, Default)]
struct Chunk {
    text: String,
    size: Size,
}

impl Chunk {
    fn of(unit: &Unit) -> Chunk {
        Chunk { text: unit.text.clone(), size: unit.size }
    }

    /// This chunk with `unit` after it.
    fn then(&self, unit: &Unit) -> Chunk {
        if self.text.is_empty() {
            return Chunk::of(unit);
        }
        Chunk {
            text: format!("{}{}{}", self.text, unit.sep, unit.text),
            size: self.size + Size::ascii(unit.sep.len()) + unit.size,
        }
    }
}

/// How packing decides whether a post fits.
enum Counting {
    /// By the sum of the pieces' sizes (see [`super::measure`]).
    Estimated(Sizes),
    /// By counting the whole post.
    Exact,
}

/// The posts of one update, every one within `network`'s rules.
///
/// Cut by estimated sizes first; if a finished post then does not fit when
/// counted whole, cut again counting every candidate whole, and shorten
/// what still does not fit (only a layout too long for any post: [`guard`]).
pub fn split(layout: &Layout, body: &str, network: Network) -> Vec<String> {
    let whole = layout.compose(1, 1, body);
    // A text with a word longer than LONG_WORD fits no post (see LONG_WORD),
    // and is not counted whole.
    if !has_long_word(body) && network.fits(&whole) {
        return vec![whole];
    }
    let units = sentences(body, network);
    let posts = split_counting(layout, &units, network, &Counting::Estimated(Sizes::new(layout, network)));
    if posts.iter().all(|post| network.fits(post)) {
        return posts;
    }
    split_counting(layout, &units, network, &Counting::Exact).into_iter().map(|post| guard(&post, network)).collect()
}

/// Never reached with real content; keeps the promise that every text fits
/// by cutting at a grapheme boundary and marking the cut with "…".
pub fn guard(text: &str, network: Network) -> String {
    if network.fits(text) {
        return text.to_owned();
    }
    let mut kept = String::new();
    for g in text.graphemes(true) {
        if !network.fits(&format!("{kept}{g}…")) {
            break;
        }
        kept.push_str(g);
    }
    format!("{kept}…")
}

fn split_counting(layout: &Layout, units: &[Unit], network: Network, counting: &Counting) -> Vec<String> {
    let mut n = 1;
    let mut chunks = pack(layout, units, n, network, counting);
    // A longer "(i/n)" leaves less room, so the count only grows: repack
    // until the number written agrees with the count (bounded for safety).
    for _ in 0..16 {
        if chunks.len() == n {
            break;
        }
        n = chunks.len();
        chunks = pack(layout, units, n, network, counting);
    }
    let n = chunks.len();
    chunks.iter().enumerate().map(|(i, chunk)| layout.compose(i + 1, n, &chunk.text)).collect()
}

/// Greedy packing of `units` into chunks, numbering as "(i/n)".
fn pack(layout: &Layout, units: &[Unit], n: usize, network: Network, counting: &Counting) -> Vec<Chunk> {
    let fits = |i: usize, chunk: &Chunk, last: bool| {
        let total = if last { n.max(i) } else { n.max(i + 1) };
        chunk.text.len() <= MAX_CHUNK_BYTES
            && match counting {
                Counting::Estimated(sizes) => sizes.compose_with(i, total, chunk, last).fits(network),
                Counting::Exact => network.fits(&layout.compose_with(i, total, &chunk.text, last)),
            }
    };
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut current = Chunk::default();
    let mut queue: VecDeque<Unit> = units.iter().cloned().collect();
    while let Some(unit) = queue.pop_front() {
        let i = chunks.len() + 1;
        let last = queue.is_empty();
        let candidate = current.then(&unit);
        if fits(i, &candidate, last) {
            current = candidate;
            continue;
        }
        if !current.text.is_empty() {
            if unit.level == Level::Piece {
                // Part of a word too long for any post: fill this post.
                prepend(&mut queue, graphemes(&unit.text, unit.sep, network));
                continue;
            }
            chunks.push(std::mem::take(&mut current));
            queue.push_front(unit);
            continue;
        }
        if last && fits(i, &candidate, false) {
            // Fits alone, only not with the tail: the tail gets its own post.
            chunks.push(candidate);
            chunks.push(Chunk::default());
            return chunks;
        }
        // Alone in this post and still too long: cut it finer.
        match unit.level {
            _ if i == 1 && fits(2, &Chunk::of(&unit), false) => {
                // The header leaves too little room for it, a post of its
                // own enough: start after, rather than cut it.
                chunks.push(Chunk::default());
                queue.push_front(unit);
            }
            Level::Sentence => prepend(&mut queue, words(&unit.text, unit.sep, network)),
            Level::Word | Level::Piece => prepend(&mut queue, graphemes(&unit.text, unit.sep, network)),
            Level::Grapheme => {
                if i == 1 {
                    chunks.push(Chunk::default());
                    queue.push_front(unit);
                }
                // Else a single grapheme fits no post at all: dropped, so the
                // thread still ends (no real text gets here).
            }
        }
    }
    if current.text.is_empty() && !fits(chunks.len() + 1, &Chunk::default(), true) {
        // Nothing left but the tail, and it does not fit beside the header.
        chunks.push(Chunk::default());
    }
    chunks.push(current);
    chunks
}

fn prepend(queue: &mut VecDeque<Unit>, pieces: Vec<Unit>) {
    for piece in pieces.into_iter().rev() {
        queue.push_front(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn layout() -> Layout {
        Layout {
            header: "[Partial outage] Object Storage, Functions +2 more · 2 regions".into(),
            lead: "Monitoring:".into(),
            tail: "https://status.example.com/incidents/2026-01-02-x/ #ExampleStatus".into(),
        }
    }

    /// A sentence of words from several scripts, with a URL now and then.
    fn sentence() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            4 => "[a-z]{1,12}",
            1 => "[À-ÿ]{1,6}",
            1 => "[\u{4E00}-\u{4E80}]{1,8}",
            1 => Just("👩\u{200D}👩\u{200D}👧".to_owned()),
            1 => Just("https://example.com/some/path".to_owned()),
        ];
        prop::collection::vec(word, 1..40).prop_map(|w| format!("{}.", w.join(" ")))
    }

    /// A word of 100 KB is cut in one pass: no text counted holds a word
    /// longer than a post, and counting reads the body a bounded number of
    /// times (it read all of it once per grapheme-sized step before).
    #[test]
    fn a_gigantic_word_is_cut_without_counting_it_whole() {
        use super::super::count::tally;
        for (word, body_bytes) in [("a", 100_000), ("é", 100_000), ("https://example.com/", 100_000)] {
            let body = format!("It failed: {} and then recovered.", word.repeat(body_bytes / word.len()));
            for network in Network::ALL {
                tally::take();
                let posts = split(&layout(), &body, network);
                let (_, bytes, longest) = tally::take();
                assert!(posts.iter().all(|p| network.fits(p)), "{network:?}");
                // Nothing of the word is lost (links count 23 on X and
                // Mastodon, so a thread of them is shorter than the text).
                let kept: usize = posts.iter().map(String::len).sum();
                assert!(kept >= body.len(), "{network:?}: {kept} bytes of posts for {}", body.len());
                if word == "a" {
                    let kept: usize = posts.iter().map(|p| p.matches(word).count()).sum();
                    assert!(posts.len() > 100 && kept >= body_bytes, "{network:?}: {} posts", posts.len());
                }
                // Each count reads at most a post (a count costs the square
                // of the longest word it reads), a bounded number of times
                // per piece: linear in the body. Links glued together are
                // counted otherwise whole than in pieces, so they take the
                // exact path, which counts every candidate post whole.
                assert!(longest <= MAX_CHUNK_BYTES, "{network:?}: counted a word of {longest} bytes whole");
                let per_byte = if word == "a" { 20 } else { 1000 };
                assert!(
                    bytes <= per_byte * body.len(),
                    "{network:?}: counted {bytes} bytes for a body of {}",
                    body.len()
                );
            }
        }
    }

    proptest! {
        // Each case packs up to eight long sentences on three networks twice.
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Cutting by added-up sizes gives the threads that counting every
        /// candidate post whole gives.
        #[test]
        fn estimated_packing_cuts_where_exact_counting_does(parts in prop::collection::vec(sentence(), 1..8)) {
            let body = parts.join(" ");
            let layout = layout();
            for network in Network::ALL {
                let units = sentences(&body, network);
                let estimated = split_counting(&layout, &units, network, &Counting::Estimated(Sizes::new(&layout, network)));
                let exact = split_counting(&layout, &units, network, &Counting::Exact);
                prop_assert_eq!(&estimated, &exact, "{:?}", network);
                prop_assert!(split(&layout, &body, network).iter().all(|p| network.fits(p)));
            }
        }
    }
}
