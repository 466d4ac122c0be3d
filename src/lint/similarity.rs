//! How much of one text another already said: the containment of word
//! 3-shingles (Broder, "On the resemblance and containment of documents",
//! 1997). A text's shingles are its runs of three consecutive words;
//! containment(later, earlier) = |S(later) ∩ S(earlier)| / |S(later)|, the
//! share of the later text's three-word phrases that the earlier one had.
//!
//! Containment rather than Jaccard resemblance because the question is
//! whether an update *adds* anything: a repost of update 2 with one clause
//! tacked on still says nothing new, although the two texts differ in size.

/// Shingle width, in words.
pub const SHINGLE: usize = 3;

/// Lowercase words: runs of letters and digits ("euw-1b" is two words).
pub fn words(text: &str) -> Vec<String> {
    raw_words(text).map(str::to_lowercase).collect()
}

/// The words of [`words`], as written.
pub fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// A text's word 3-shingles, each kept as a 64-bit hash, sorted: made once
/// per text, so comparing every update with every earlier one does not
/// split and lowercase the texts again for each pair. A sorted list rather
/// than a hash set: an update has a few dozen shingles, and two sorted
/// lists are compared in one pass with no hashing.
pub struct Shingles(Vec<u64>);

impl Shingles {
    pub fn of(text: &str) -> Shingles {
        // Each word hashed lowercase as it is read (the same words as
        // [`words`], without making a String of each).
        let words: Vec<u64> = raw_words(text)
            .map(|w| {
                let step = |h: u64, c: u32| (h ^ u64::from(c)).wrapping_mul(FNV_PRIME);
                // ASCII (most words) lowercases byte by byte, to the same chars.
                let h = if w.is_ascii() {
                    w.bytes().fold(FNV_OFFSET, |h, b| step(h, u32::from(b.to_ascii_lowercase())))
                } else {
                    w.chars().flat_map(char::to_lowercase).fold(FNV_OFFSET, |h, c| step(h, u32::from(c)))
                };
                mix(h)
            })
            .collect();
        let mut shingles: Vec<u64> =
            words.windows(SHINGLE).map(|w| w.iter().fold(0u64, |h, &x| mix(h.rotate_left(23) ^ x))).collect();
        shingles.sort_unstable();
        shingles.dedup();
        Shingles(shingles)
    }

    /// The share (0.0 to 1.0) of these shingles found in `earlier`; `None`
    /// when this text has fewer than three words (no shingle to compare).
    pub fn contained_in(&self, earlier: &Shingles) -> Option<f64> {
        if self.0.is_empty() {
            return None;
        }
        let (mut shared, mut j) = (0, 0);
        for s in &self.0 {
            while j < earlier.0.len() && earlier.0[j] < *s {
                j += 1;
            }
            if earlier.0.get(j) == Some(s) {
                shared += 1;
            }
        }
        Some(shared as f64 / self.0.len() as f64)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// splitmix64's finaliser: spreads every input bit over the output.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The share (0.0 to 1.0) of `later`'s word 3-shingles found in `earlier`;
/// `None` when `later` has fewer than three words (no shingle to compare).
pub fn containment(later: &str, earlier: &str) -> Option<f64> {
    Shingles::of(later).contained_in(&Shingles::of(earlier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercase_alphanumeric_runs() {
        assert_eq!(words("Pooler `euw-1b`: 70% DONE."), ["pooler", "euw", "1b", "70", "done"]);
        assert!(words(" -- ").is_empty());
    }

    #[test]
    fn identical_texts_are_fully_contained_whatever_the_case_and_punctuation() {
        let a = "We are still seeing errors in EU West.";
        assert_eq!(containment("we are STILL seeing errors, in eu-west", a), Some(1.0));
    }

    #[test]
    fn unrelated_texts_share_nothing() {
        let a = "The poolers in zone euw-1b are restarting.";
        let b = "Every pooler now runs the previous version.";
        assert_eq!(containment(b, a), Some(0.0));
    }

    #[test]
    fn containment_counts_shared_shingles_of_the_later_text() {
        // later: a b c d e -> {abc, bcd, cde}; earlier has abc and bcd.
        assert_eq!(containment("a b c d e", "a b c d x"), Some(2.0 / 3.0));
        // Shingles are a set: a repeated phrase counts once.
        assert_eq!(containment("a b c a b c", "a b c"), Some(1.0 / 3.0));
    }

    #[test]
    fn a_repost_with_a_clause_added_is_still_mostly_contained() {
        let earlier =
            "We have rolled back the deployment and error rates in US East are falling. Next update at 10:00.";
        let later = "We have rolled back the deployment and error rates in US East are falling. Thanks.";
        // 15 words, so 13 shingles in `later`; all but "are falling thanks" are in `earlier`.
        let c = containment(later, earlier).unwrap();
        assert!((c - 12.0 / 13.0).abs() < 1e-9, "{c}");
        // The other way round the earlier text is not contained as much.
        assert!(containment(earlier, later).unwrap() < c);
    }

    #[test]
    fn fewer_than_three_words_have_no_shingle() {
        assert_eq!(containment("Resolved now", "Resolved now"), None);
        assert_eq!(containment("a b c", ""), Some(0.0));
    }
}
