//! When an update says nothing: too few words, or nothing but the phrases
//! every update carries ("we are continuing to investigate this issue").
//!
//! A sentence is boilerplate when, once the [`BOILERPLATE`] phrases are
//! taken out of its words, only [`FILLER`] words are left. An update whose
//! every sentence is boilerplate tells the customer nothing new.

use super::similarity::{raw_words, words};

/// Fewer words than this is too short to say anything specific.
pub const MIN_WORDS: usize = 6;

/// Phrases that carry no information about this incident, in lowercase words.
pub const BOILERPLATE: &[&str] = &[
    "we are investigating",
    "we are currently investigating",
    "we are still investigating",
    "we are continuing to investigate",
    "we continue to investigate",
    "we are looking into",
    "we are aware of",
    "we are working on",
    "we are working to resolve",
    "we are working to fix",
    "our engineers are working on",
    "our engineers are investigating",
    "the issue is being investigated",
    "is under investigation",
    "has been resolved",
    "we apologize for the inconvenience",
    "we apologise for the inconvenience",
    "sorry for the inconvenience",
    "thank you for your patience",
    "thanks for your patience",
    "we will provide an update",
    "we will provide another update",
    "we will provide more information",
    "we will provide updates",
    "we will update this page",
    "more updates to follow",
    "updates to follow",
    "an update will follow",
    "next update",
    "stay tuned",
];

/// Words that, left alone, add nothing ("... this issue shortly").
pub const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "it",
    "issue",
    "issues",
    "problem",
    "incident",
    "and",
    "as",
    "soon",
    "possible",
    "shortly",
    "further",
    "more",
    "now",
    "still",
    "currently",
    "please",
    "all",
    "any",
    "in",
    "within",
    "on",
    "to",
    "for",
    "of",
    "minutes",
    "minute",
    "hour",
    "hours",
    "information",
    "available",
    "becomes",
    "we",
    "our",
    "you",
    "your",
    "again",
    "very",
    "hard",
    "quickly",
    "fix",
];

/// Why an update body is vague, if it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Vague {
    /// It has this many words only.
    Short(usize),
    /// Every sentence is boilerplate; the first such phrase found.
    Boilerplate(&'static str),
}

pub fn vague(body: &str) -> Option<Vague> {
    let count = raw_words(body).count();
    if count < MIN_WORDS {
        return Some(Vague::Short(count));
    }
    let mut first = None;
    for sentence in body.split(['.', '!', '?', ';', '\n']) {
        let words = words(sentence);
        if words.is_empty() {
            continue;
        }
        let phrase = boilerplate_sentence(words)?;
        first.get_or_insert(phrase);
    }
    first.map(Vague::Boilerplate)
}

/// The boilerplate phrases split into words, once.
fn phrases() -> &'static [(&'static str, Vec<&'static str>)] {
    static PHRASES: std::sync::OnceLock<Vec<(&str, Vec<&str>)>> = std::sync::OnceLock::new();
    PHRASES.get_or_init(|| BOILERPLATE.iter().map(|p| (*p, p.split(' ').collect())).collect())
}

fn is_filler(word: &str) -> bool {
    FILLER.contains(&word) || word.chars().all(|c| c.is_ascii_digit())
}

/// The phrase that makes a sentence (its lowercase `words`) boilerplate, if
/// only filler is left without it.
fn boilerplate_sentence(mut rest: Vec<String>) -> Option<&'static str> {
    // Most sentences hold a word of neither kind: they say something.
    let known = |w: &String| is_filler(w) || phrases().iter().any(|(_, p)| p.contains(&w.as_str()));
    if !rest.iter().all(known) {
        return None;
    }
    let mut found = None;
    for (phrase, phrase_words) in phrases() {
        while let Some(at) = rest.windows(phrase_words.len()).position(|w| w.iter().eq(phrase_words.iter())) {
            rest.drain(at..at + phrase_words.len());
            found.get_or_insert(*phrase);
        }
    }
    found.filter(|_| rest.iter().all(|w| is_filler(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_updates_are_vague() {
        assert_eq!(vague("Still broken."), Some(Vague::Short(2)));
        assert_eq!(vague("This incident has been resolved."), Some(Vague::Short(5)));
    }

    #[test]
    fn boilerplate_only_updates_are_vague() {
        assert_eq!(
            vague("We are continuing to investigate this issue. We apologize for the inconvenience."),
            Some(Vague::Boilerplate("we are continuing to investigate"))
        );
        assert_eq!(
            vague("We are working on it.\nWe will provide another update within 30 minutes."),
            Some(Vague::Boilerplate("we are working on"))
        );
    }

    #[test]
    fn one_specific_sentence_is_enough() {
        assert_eq!(vague("We are investigating. Requests to the EU West API fail with 503."), None);
        assert_eq!(vague("We are still investigating elevated error rates for Cloud Storage."), None);
        assert_eq!(vague("Rolled back release 2.3 in all regions; errors are at zero."), None);
    }
}
