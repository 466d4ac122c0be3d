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
//! 1. Whole sentences (UAX #29 sentence boundaries within paragraphs;
//!    paragraph and line breaks are kept) go into a post while it still
//!    fits; a sentence that does not fit starts the next post.
//! 2. A sentence is cut only when it starts a post and still does not fit
//!    in the room that post has (the first post has less: it carries the
//!    header). It is cut at word boundaries: at whitespace, or between two
//!    CJK ideographs or kana, which break lines without spaces; never inside
//!    a word, a URL or a number, nor inside a grapheme (so ZWJ emoji and
//!    combining marks stay whole).
//! 3. Only a single word longer than a whole post (a gigantic URL) is cut
//!    between graphemes, as a last resort.
//! 4. The last post must also hold the tail; when the last sentence fits
//!    but not with the tail, the sentence moves to a new post with it, and
//!    only when it cannot share a post with the tail does the tail go alone.
//!
//! The number of posts is found by repacking until the "(i/n)" used while
//! packing agrees with the count, since a longer number leaves less room.

use super::count::Network;
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

/// How far a piece of body may still be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Sentence,
    Word,
    Grapheme,
}

/// A piece of body text and what joins it to the piece before.
#[derive(Debug, Clone)]
struct Unit {
    sep: &'static str,
    text: String,
    level: Level,
}

/// The posts of one update: every one fits `network` unless even the bare
/// layout cannot (then the caller's guard shortens it).
pub fn split(layout: &Layout, body: &str, network: Network) -> Vec<String> {
    let units = sentences(body);
    let mut n = 1;
    let mut chunks = pack(layout, &units, n, network);
    // A longer "(i/n)" leaves less room, so the count only grows: repack
    // until the number written agrees with the count (bounded for safety).
    for _ in 0..16 {
        if chunks.len() == n {
            break;
        }
        n = chunks.len();
        chunks = pack(layout, &units, n, network);
    }
    let n = chunks.len();
    chunks.iter().enumerate().map(|(i, chunk)| layout.compose(i + 1, n, chunk)).collect()
}

/// Greedy packing of `units` into chunks, numbering as "(i/n)".
fn pack(layout: &Layout, units: &[Unit], n: usize, network: Network) -> Vec<String> {
    let fits = |i: usize, chunk: &str, last: bool| {
        let total = if last { n.max(i) } else { n.max(i + 1) };
        network.fits(&layout.compose_with(i, total, chunk, last))
    };
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut queue: VecDeque<Unit> = units.iter().cloned().collect();
    while let Some(unit) = queue.pop_front() {
        let i = chunks.len() + 1;
        let last = queue.is_empty();
        let candidate =
            if current.is_empty() { unit.text.clone() } else { format!("{current}{}{}", unit.sep, unit.text) };
        if fits(i, &candidate, last) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            chunks.push(std::mem::take(&mut current));
            queue.push_front(unit);
            continue;
        }
        if last && fits(i, &candidate, false) {
            // Fits alone, only not with the tail: the tail gets its own post.
            chunks.push(candidate);
            chunks.push(String::new());
            return chunks;
        }
        // Alone in this post and still too long: cut it finer.
        match unit.level {
            Level::Sentence => prepend(&mut queue, words(&unit.text, unit.sep)),
            Level::Word | Level::Grapheme if i == 1 && fits(2, &unit.text, false) => {
                // The header leaves too little room for it: start after.
                chunks.push(String::new());
                queue.push_front(unit);
            }
            Level::Word => prepend(&mut queue, graphemes(&unit.text, unit.sep)),
            Level::Grapheme => {
                if i == 1 {
                    chunks.push(String::new());
                    queue.push_front(unit);
                }
                // Else a single grapheme fits no post at all: dropped, so the
                // thread still ends (no real text gets here).
            }
        }
    }
    if current.is_empty() && !fits(chunks.len() + 1, "", true) {
        // Nothing left but the tail, and it does not fit beside the header.
        chunks.push(String::new());
    }
    chunks.push(current);
    chunks
}

fn prepend(queue: &mut VecDeque<Unit>, pieces: Vec<Unit>) {
    for piece in pieces.into_iter().rev() {
        queue.push_front(piece);
    }
}

/// The body as sentences, each with the break that precedes it.
fn sentences(body: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    for (p, paragraph) in body.split("\n\n").filter(|p| !p.trim().is_empty()).enumerate() {
        let mut sep = if p == 0 { "" } else { "\n\n" };
        for raw in paragraph.split_sentence_bounds() {
            let text = raw.trim();
            if text.is_empty() {
                continue;
            }
            units.push(Unit { sep, text: text.to_owned(), level: Level::Sentence });
            // What follows: a line break if this sentence's trailing
            // whitespace held one, else a space.
            sep = if raw[raw.trim_end().len()..].contains('\n') { "\n" } else { " " };
        }
    }
    units
}

/// A sentence as words: cut at whitespace and between CJK characters.
fn words(sentence: &str, first_sep: &'static str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut sep = first_sep;
    let mut word = String::new();
    let mut previous: Option<&str> = None;
    for segment in sentence.split_word_bounds() {
        if segment.chars().all(char::is_whitespace) {
            if !word.is_empty() {
                units.push(Unit { sep, text: std::mem::take(&mut word), level: Level::Word });
            }
            sep = if segment.contains('\n') { "\n" } else { " " };
            previous = None;
            continue;
        }
        if let Some(before) = previous {
            if cjk_break(before, segment) && !word.is_empty() {
                units.push(Unit { sep, text: std::mem::take(&mut word), level: Level::Word });
                sep = "";
            }
        }
        word.push_str(segment);
        previous = Some(segment);
    }
    if !word.is_empty() {
        units.push(Unit { sep, text: word, level: Level::Word });
    }
    units
}

/// May a line break between these two word segments? Yes between CJK
/// ideographs or kana (after CJK punctuation too), never before punctuation.
fn cjk_break(before: &str, after: &str) -> bool {
    let ends = before.chars().next_back().is_some_and(|c| is_cjk_letter(c) || is_cjk_punctuation(c));
    let starts = after.chars().next().is_some_and(is_cjk_letter);
    ends && starts
}

fn is_cjk_letter(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'      // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}'    // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}'    // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}'    // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{3FFFF}') // Extensions B and later
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF60}')
}

/// A word as graphemes, the last resort (see the module doc).
fn graphemes(word: &str, first_sep: &'static str) -> Vec<Unit> {
    word.graphemes(true)
        .enumerate()
        .map(|(i, g)| Unit { sep: if i == 0 { first_sep } else { "" }, text: g.to_owned(), level: Level::Grapheme })
        .collect()
}
