//! "did you mean": the closest candidate by edit distance.
//!
//! [`did_you_mean`] compares a word with every candidate: right for the short lists of keys,
//! regions and kinds. A project's names can be 100,000, so [`Index`] finds them without
//! comparing with each: a SymSpell-style table of every name with up to two characters deleted
//! (of its first [`INDEXED`] characters), and the names in order for prefixes. A word then meets
//! only the names that share a variant with it, or that it starts or ends, at most
//! [`MAX_CHECKED`] of each; [`did_you_mean`] ranks those. Names are indexed with at most one
//! character deleted (16 variants for a 15-character name, not 121), words are looked up with
//! up to two: every name one edit away is found (a deletion, an insertion, a substitution or a
//! swap of neighbours), and of those two edits away the ones the word has extra characters
//! for, or one character and one substitution. Small sets are still compared in full.

use rustc_hash::FxHashSet;
use std::hash::{BuildHasher, BuildHasherDefault};

/// Sets up to this many names are compared in full (all suggestions of [`did_you_mean`]).
pub const FULL_SCAN: usize = 256;
/// How many leading characters of a name are indexed.
pub const INDEXED: usize = 24;
/// Most names checked per word and per way of finding them.
pub const MAX_CHECKED: usize = 64;

/// Names to suggest from, indexed for a bounded search (see the module's doc).
#[derive(Debug, Default)]
pub struct Index {
    /// Sorted, without duplicates.
    names: Vec<String>,
    /// (hash of a deletion variant, how many characters the name lost for it, index into
    /// `names`), sorted: one flat table, searched by hash (no map of small vectors).
    deletions: Vec<(u64, u8, u32)>,
    /// Where each hash's run starts in `deletions` (one lookup instead of a binary search that
    /// misses the cache at every step).
    starts: rustc_hash::FxHashMap<u64, u32>,
}

fn hash(chars: &[char]) -> u64 {
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(chars)
}

/// Every variant of `word` (its first [`INDEXED`] characters) with zero, then one, then two
/// characters deleted (those of `levels`), each with how many were deleted.
fn variants(word: &str, levels: std::ops::RangeInclusive<u8>, mut each: impl FnMut(u64, u8)) {
    let chars: Vec<char> = word.chars().take(INDEXED).collect();
    if levels.contains(&0) {
        each(hash(&chars), 0);
    }
    let mut buf = Vec::with_capacity(chars.len());
    let without = |buf: &mut Vec<char>, skip: &[usize]| {
        buf.clear();
        buf.extend(
            chars
                .iter()
                .enumerate()
                .filter(|(k, _)| !skip.contains(k))
                .map(|(_, c)| *c),
        );
    };
    if levels.contains(&1) {
        for i in 0..chars.len() {
            without(&mut buf, &[i]);
            each(hash(&buf), 1);
        }
    }
    if !levels.contains(&2) {
        return;
    }
    for i in 0..chars.len() {
        for j in i + 1..chars.len() {
            without(&mut buf, &[i, j]);
            each(hash(&buf), 2);
        }
    }
}

impl Index {
    /// Index `names` (duplicates and order do not matter).
    pub fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> Index {
        let mut names: Vec<String> = names.into_iter().map(str::to_string).collect();
        names.sort_unstable();
        names.dedup();
        let mut index = Index {
            deletions: Vec::new(),
            starts: rustc_hash::FxHashMap::default(),
            names,
        };
        if index.names.len() > FULL_SCAN {
            let deletions = &mut index.deletions;
            for (n, name) in index.names.iter().enumerate() {
                variants(name, 0..=1, |h, level| deletions.push((h, level, n as u32)));
            }
            deletions.sort_unstable();
            // A name gives the same variant twice when it repeats a character.
            deletions.dedup_by_key(|&mut (h, _, n)| (h, n));
            index.starts.reserve(deletions.len());
            for (at, &(h, _, _)) in deletions.iter().enumerate().rev() {
                index.starts.insert(h, at as u32);
            }
        }
        index
    }

    /// The names sharing one of `word`'s variants of `levels`, at most [`MAX_CHECKED`].
    fn gather<'s>(
        &'s self,
        word: &str,
        levels: std::ops::RangeInclusive<u8>,
        seen: &mut FxHashSet<u32>,
        candidates: &mut Vec<&'s str>,
    ) {
        variants(word, levels, |h, _| {
            if candidates.len() >= MAX_CHECKED {
                return;
            }
            let Some(&from) = self.starts.get(&h) else {
                return;
            };
            for &(_, _, i) in self.deletions[from as usize..]
                .iter()
                .take_while(|&&(k, _, _)| k == h)
                .take(MAX_CHECKED)
            {
                if seen.insert(i) {
                    candidates.push(&self.names[i as usize]);
                }
            }
        });
    }

    /// The name closest to `word`, if it is close enough to be a likely typo.
    pub fn best(&self, word: &str) -> Option<&str> {
        if self.names.len() <= FULL_SCAN {
            return did_you_mean(word, self.names.iter().map(String::as_str));
        }
        // Closest first: the word's variants by how many characters it lost, each variant's
        // names by how many they lost. Every name one edit away shares a variant with the word
        // that lost at most one character, so when one of those is that close, the word's
        // two-character variants (most of them) are not needed.
        let mut seen = FxHashSet::default();
        let mut candidates: Vec<&str> = Vec::new();
        self.gather(word, 0..=1, &mut seen, &mut candidates);
        if !candidates
            .iter()
            .any(|c| strsim::osa_distance(word, c) <= 1)
        {
            self.gather(word, 2..=2, &mut seen, &mut candidates);
        }
        // Names that start with the word (in order), and names the word starts with.
        let from = self.names.partition_point(|n| n.as_str() < word);
        candidates.extend(
            self.names[from..]
                .iter()
                .take_while(|n| n.starts_with(word))
                .take(MAX_CHECKED)
                .map(String::as_str),
        );
        for (at, _) in word.char_indices().skip(1) {
            if let Ok(i) = self.names.binary_search_by(|n| n.as_str().cmp(&word[..at])) {
                candidates.push(&self.names[i]);
            }
        }
        did_you_mean(word, candidates)
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1) + usize::from(word.len() > 8);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let prefix = c.starts_with(word) || word.starts_with(c);
        // The distance is at least the difference in length: skip the table when that is over.
        if !prefix && c.len().abs_diff(word.len()) > limit * 4 {
            continue;
        }
        // Optimal string alignment (adjacent transpositions count one): no allocation per pair,
        // unlike full Damerau-Levenshtein's alphabet map.
        let d = strsim::osa_distance(word, c);
        if d <= limit || (prefix && word.len() >= 3) {
            // Ties go to the alphabetically first candidate, so output is stable.
            let better = match best {
                None => true,
                Some((bd, bc)) => d < bd || (d == bd && c < bc),
            };
            if better {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// A help line suggesting `candidate`, or `fallback`.
pub fn help_line(candidate: Option<&str>, fallback: impl Into<String>) -> String {
    match candidate {
        Some(c) => format!("did you mean `{c}`?"),
        None => fallback.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_finds_what_a_full_scan_finds() {
        let names: Vec<String> = (0..2_000).map(|i| format!("team_{i:05}_prod")).collect();
        let index = Index::new(names.iter().map(String::as_str));
        for word in [
            "team_00042_prdo",
            "team_00042_pro",
            "team_0042_prod",
            "tem_00042_prod",
            "team_00042_prodxx",
        ] {
            assert_eq!(
                index.best(word),
                did_you_mean(word, names.iter().map(String::as_str)),
                "{word}"
            );
        }
        assert_eq!(index.best("team_00042_prdo"), Some("team_00042_prod"));
        assert_eq!(index.best("zzzzzz"), None);
    }

    #[test]
    fn finds_close_names() {
        assert_eq!(did_you_mean("hz_vcp", ["hz_vpc", "sh_vpc"]), Some("hz_vpc"));
        assert_eq!(
            did_you_mean("servrless", ["serverless", "exclusive"]),
            Some("serverless")
        );
        assert_eq!(did_you_mean("zzz", ["hz_vpc"]), None);
    }
}
