//! Words: the unit in which `phuluc diff` compares and shows text.
//!
//! Contract: pure functions. Text is compared with its whitespace collapsed (a YAML
//! block reflowed over other lines, a doubled space or a title's line break moved is not
//! a change of meaning); words are whitespace-separated tokens. [`ratio`] measures how
//! alike two texts are (0 to 1, the `similar` crate's ratio over word tokens) and
//! [`word_diff`] gives the runs of equal, deleted and inserted words between two texts.

use similar::{Algorithm, DiffOp, capture_diff_slices, diff_ratio};

use crate::redline::WordOp;

/// A run of consecutive words with one [`WordOp`], joined by single spaces. The old text
/// is the `Equal` and `Delete` runs joined by single spaces; the new text, the `Equal` and
/// `Insert` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Equal, deleted or inserted.
    pub op: WordOp,
    /// The words.
    pub text: String,
}

/// `s` with every run of whitespace (line breaks included) made one space, trimmed.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of `s`.
pub fn tokens(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// How alike two word lists are: 2 × (words in common, in order) / (total words); 1.0 for
/// two empty lists.
pub fn ratio(old: &[&str], new: &[&str]) -> f32 {
    let ops = capture_diff_slices(Algorithm::Myers, old, new);
    diff_ratio(&ops, old.len(), new.len())
}

/// An upper bound of [`ratio`] that ignores order: 2 × (shared words as a multiset) /
/// (total words). Both lists must be sorted. Cheap, so most unlike pairs are ruled out
/// before the real diff runs.
pub fn bag_ratio(old_sorted: &[&str], new_sorted: &[&str]) -> f32 {
    let total = old_sorted.len() + new_sorted.len();
    if total == 0 {
        return 1.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < old_sorted.len() && j < new_sorted.len() {
        match old_sorted[i].cmp(new_sorted[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    // Word counts stay far below f32's exact-integer range.
    2.0 * shared as f32 / total as f32
}

/// The word runs turning `old` into `new` (both compared collapsed). Patience diff: it
/// anchors on words that occur once, which reads better than a minimal edit script when a
/// phrase is rewritten.
pub fn word_diff(old: &str, new: &str) -> Vec<Word> {
    let old_words = tokens(old);
    let new_words = tokens(new);
    let ops = capture_diff_slices(Algorithm::Patience, &old_words, &new_words);
    let mut runs: Vec<Word> = Vec::new();
    let mut push = |op: WordOp, words: &[&str]| {
        if words.is_empty() {
            return;
        }
        let text = words.join(" ");
        match runs.last_mut() {
            Some(last) if last.op == op => {
                last.text.push(' ');
                last.text.push_str(&text);
            }
            _ => runs.push(Word { op, text }),
        }
    };
    for op in &ops {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                push(WordOp::Equal, &old_words[old_index..old_index + len])
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(WordOp::Delete, &old_words[old_index..old_index + old_len]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(WordOp::Insert, &new_words[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(WordOp::Delete, &old_words[old_index..old_index + old_len]);
                push(WordOp::Insert, &new_words[new_index..new_index + new_len]);
            }
        }
    }
    // A deletion right after an insertion (the diff may emit them either way round) reads
    // better as "old → new": put every deletion of a changed stretch first.
    let mut i = 1;
    while i < runs.len() {
        if runs[i].op == WordOp::Delete && runs[i - 1].op == WordOp::Insert {
            runs.swap(i - 1, i);
            i = i.saturating_sub(1).max(1);
        } else {
            i += 1;
        }
    }
    // The swaps can bring two runs of the same kind side by side: merge them.
    let mut merged: Vec<Word> = Vec::with_capacity(runs.len());
    for run in runs {
        match merged.last_mut() {
            Some(last) if last.op == run.op => {
                last.text.push(' ');
                last.text.push_str(&run.text);
            }
            _ => merged.push(run),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_ignores_layout_whitespace() {
        assert_eq!(collapse("  Bảo đảm\nsự  lãnh đạo "), "Bảo đảm sự lãnh đạo");
    }

    #[test]
    fn word_diff_shows_the_replaced_words_only() {
        let runs = word_diff(
            "các cơ quan xây dựng và tổ chức triển khai kế hoạch",
            "các cơ quan xây dựng và triển khai kế hoạch năm",
        );
        let shown: Vec<(WordOp, &str)> = runs.iter().map(|w| (w.op, w.text.as_str())).collect();
        assert_eq!(
            shown,
            [
                (WordOp::Equal, "các cơ quan xây dựng và"),
                (WordOp::Delete, "tổ chức"),
                (WordOp::Equal, "triển khai kế hoạch"),
                (WordOp::Insert, "năm"),
            ]
        );
    }

    #[test]
    fn ratio_and_its_bound() {
        let a = tokens("một hai ba bốn");
        let b = tokens("một hai năm bốn");
        assert!((ratio(&a, &b) - 0.75).abs() < 1e-6);
        let (mut sa, mut sb) = (a.clone(), b.clone());
        sa.sort_unstable();
        sb.sort_unstable();
        assert!(bag_ratio(&sa, &sb) >= ratio(&a, &b));
        assert_eq!(ratio(&[], &[]), 1.0);
    }
}
