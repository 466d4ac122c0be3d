//! Where an update's body may be cut: into sentences, a sentence into
//! words, a word too long for any post into pieces or graphemes. Each
//! [`Unit`] carries its size on the network, counted once (see the
//! parent module's doc for the order in which they are tried).

use super::super::count::Network;
use super::super::measure::Size;
use unicode_segmentation::UnicodeSegmentation;

/// Longer words (in bytes) are cut into [`PIECE`]s before they are counted.
/// No network reads so long a word as one link (twitter-text's limit is
/// 4096 bytes; a post holds at most 500 characters besides links), so such
/// a word is cut across posts anyway.
pub const LONG_WORD: usize = 1024;

/// Graphemes per piece of a word longer than [`LONG_WORD`].
const PIECE: usize = 32;

/// How far a piece of body may still be cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Sentence,
    Word,
    /// Part of a word longer than [`LONG_WORD`]: it may fill the rest of a
    /// post grapheme by grapheme.
    Piece,
    Grapheme,
}

/// A piece of body text, what joins it to the piece before, and its size
/// on the network being packed for.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) sep: &'static str,
    pub(super) text: String,
    pub(super) level: Level,
    pub(super) size: Size,
}

impl Unit {
    fn new(network: Network, sep: &'static str, text: String, level: Level) -> Unit {
        Unit { sep, size: Size::of(network, &text), text, level }
    }
}

/// The body as sentences, each with the break that precedes it.
pub(super) fn sentences(body: &str, network: Network) -> Vec<Unit> {
    let mut units = Vec::new();
    for (p, paragraph) in body.split("\n\n").filter(|p| !p.trim().is_empty()).enumerate() {
        let mut sep = if p == 0 { "" } else { "\n\n" };
        // A "sentence" that ends with a title or abbreviation ("Dr.",
        // "e.g.") goes on with the next one: UAX #29 breaks there before a
        // capital, and a thread must not be cut between "Dr." and "Smith".
        let mut pending: Option<(&'static str, String)> = None;
        for raw in paragraph.split_sentence_bounds() {
            let text = raw.trim();
            if text.is_empty() {
                continue;
            }
            let (unit_sep, text) = match pending.take() {
                Some((first_sep, before)) => (first_sep, format!("{before} {text}")),
                None => (sep, text.to_owned()),
            };
            // What follows: a line break if this sentence's trailing
            // whitespace held one, a space if it held any, else nothing
            // (CJK sentences follow each other without a space).
            let trailing = &raw[raw.trim_end().len()..];
            sep = match trailing {
                _ if trailing.contains('\n') => "\n",
                "" => "",
                _ => " ",
            };
            if sep == " " && ends_with_abbreviation(&text) {
                pending = Some((unit_sep, text));
            } else {
                push_sentence(&mut units, network, unit_sep, text);
            }
        }
        if let Some((first_sep, text)) = pending {
            push_sentence(&mut units, network, first_sep, text);
        }
    }
    units
}

/// A sentence as one unit, or as its words when one is longer than
/// [`LONG_WORD`] (such a sentence fits no post, and is not counted whole).
fn push_sentence(units: &mut Vec<Unit>, network: Network, sep: &'static str, text: String) {
    if has_long_word(&text) {
        units.extend(words(&text, sep, network));
    } else {
        units.push(Unit::new(network, sep, text, Level::Sentence));
    }
}

/// Does `text` hold a run of non-whitespace longer than [`LONG_WORD`] bytes?
pub(super) fn has_long_word(text: &str) -> bool {
    text.len() > LONG_WORD && text.split_whitespace().any(|word| word.len() > LONG_WORD)
}

/// A word as one unit, or, longer than [`LONG_WORD`], as pieces of
/// [`PIECE`] graphemes, cut in one pass.
fn push_word(units: &mut Vec<Unit>, network: Network, sep: &'static str, word: String) {
    if word.len() <= LONG_WORD {
        units.push(Unit::new(network, sep, word, Level::Word));
        return;
    }
    let mut piece = String::new();
    let mut sep = sep;
    for (i, g) in word.graphemes(true).enumerate() {
        if i > 0 && i % PIECE == 0 {
            units.push(Unit::new(network, sep, std::mem::take(&mut piece), Level::Piece));
            sep = "";
        }
        piece.push_str(g);
    }
    units.push(Unit::new(network, sep, piece, Level::Piece));
}

/// Does `text` end with a title or abbreviation that rarely ends a sentence?
fn ends_with_abbreviation(text: &str) -> bool {
    const WORDS: &[&str] =
        &["dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "vs.", "e.g.", "i.e.", "approx.", "u.s.", "u.k."];
    let last = text.rsplit(char::is_whitespace).next().unwrap_or(text).to_lowercase();
    WORDS.contains(&last.as_str())
        || (last.len() == 2 && last.starts_with(|c: char| c.is_alphabetic()) && last.ends_with('.'))
}

/// A sentence as words: cut at whitespace and between CJK characters.
pub(super) fn words(sentence: &str, first_sep: &'static str, network: Network) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut sep = first_sep;
    let mut word = String::new();
    let mut previous: Option<&str> = None;
    for segment in sentence.split_word_bounds() {
        if segment.chars().all(char::is_whitespace) {
            if !word.is_empty() {
                push_word(&mut units, network, sep, std::mem::take(&mut word));
            }
            sep = if segment.contains('\n') { "\n" } else { " " };
            previous = None;
            continue;
        }
        if let Some(before) = previous {
            if cjk_break(before, segment) && !word.is_empty() {
                push_word(&mut units, network, sep, std::mem::take(&mut word));
                sep = "";
            }
        }
        word.push_str(segment);
        previous = Some(segment);
    }
    if !word.is_empty() {
        push_word(&mut units, network, sep, word);
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
pub(super) fn graphemes(word: &str, first_sep: &'static str, network: Network) -> Vec<Unit> {
    word.graphemes(true)
        .enumerate()
        .map(|(i, g)| Unit::new(network, if i == 0 { first_sep } else { "" }, g.to_owned(), Level::Grapheme))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_abbreviations_do_not_end_a_sentence() {
        let units = sentences("Call Dr. Smith from the U.S. Team now. Use e.g. Retries. Done.", Network::X);
        let texts: Vec<&str> = units.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(texts, ["Call Dr. Smith from the U.S. Team now.", "Use e.g. Retries.", "Done."]);
        // A sentence that really ends there still ends, at the paragraph's end.
        let units = sentences("We met Dr.", Network::X);
        assert_eq!(units.len(), 1);
    }
}
