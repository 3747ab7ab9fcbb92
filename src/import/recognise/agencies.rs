//! Agency cells as lists of names: one per paragraph, per line of a paragraph (Shift+Enter
//! in Word, a soft break in LibreOffice) and per ";"-separated part, and a part joined
//! with ", " cut only where something vouches for every piece — the names the file
//! carries as data (phuluc's own .docx), else the `--agencies` plan's list, the register
//! of standard commune-level names ([`crate::compose::standard_names`]) and the names the
//! file has as whole cell paragraphs elsewhere.
//!
//! Contract: a paragraph that is one of the names the file carries is that name, whatever
//! it holds; a part is cut at ", " only where that is the one way to cut it; a part kept
//! whole where some pieces are known is a warning pointing into the Word file.

use std::collections::{HashMap, HashSet};

use super::super::raw::{Block, Cell, Merge, RawDocument};
use super::super::values::{segment, split_known};
use super::warnings::{at, warn};
use crate::compose::standard_names::Vocabulary;
use crate::diag::Text;

/// What vouches for agency names: the names the file carries as data (phuluc's own
/// .docx: exact), the register and the canonical names (the `--agencies` plan's list,
/// by spelling key), and every paragraph of every cell, counted (the file's own names).
pub(super) struct Known {
    pub(super) vocabulary: HashSet<String>,
    pub(super) standard: Vocabulary,
    pub(super) sightings: HashMap<String, usize>,
}

pub(super) fn known_names(doc: &RawDocument) -> Known {
    let vocabulary = doc
        .agencies
        .canonical
        .iter()
        .chain(&doc.agencies.used)
        .cloned()
        .collect();
    Known {
        vocabulary,
        standard: Vocabulary::new(&doc.agencies.canonical),
        sightings: sightings(doc),
    }
}

/// Every line of every cell paragraph short enough to be a name, counted.
fn sightings(doc: &RawDocument) -> HashMap<String, usize> {
    let mut names = HashMap::new();
    for b in &doc.blocks {
        if let Block::Table(t) = b {
            for row in &t.rows {
                for cell in row.cells.iter().filter(|c| c.merge != Merge::Continue) {
                    // Each line and ";"-part, as `agencies` reads them.
                    for p in &cell.paragraphs {
                        for text in p.text.split(['\n', ';']).map(str::trim) {
                            if !text.is_empty() && text.chars().count() <= 120 {
                                *names.entry(text.to_owned()).or_insert(0) += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    names
}

/// An agency cell as a list: one name per paragraph, per line and per ";"-part of a
/// paragraph (a paragraph the file carries as one name stays whole); a part with ", " is
/// cut into the names the file carries as data where that is the one way to cut it (the
/// whole part may be one name), else into names the `--agencies` list, the register or
/// the file's own whole paragraphs vouch for, else kept whole.
pub(super) fn agencies(
    cell: &Cell,
    known: &Known,
    table: usize,
    r: usize,
    col: usize,
    warnings: &mut Vec<Text>,
) -> Vec<String> {
    let mut out = Vec::new();
    for p in &cell.paragraphs {
        let text = p.text.trim();
        if text.is_empty() {
            continue;
        }
        // phuluc's own .docx names every entry of its lists (and writes a cell's entries
        // joined by ", "): the one way to cut the paragraph into them wins, even where an
        // entry holds a ";" (the seed keeps one so).
        if !known.vocabulary.is_empty()
            && let Some(names) = segment(text, |n| known.vocabulary.contains(n))
        {
            out.extend(names);
            continue;
        }
        for part in text
            .split(['\n', ';'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            names(part, known, (table, r, col), warnings, &mut out);
        }
    }
    out
}

/// The names in `text` (one line, no ";"), cut at ", " where something vouches for it.
fn names(
    text: &str,
    known: &Known,
    (table, r, col): (usize, usize, usize),
    warnings: &mut Vec<Text>,
    out: &mut Vec<String>,
) {
    if !text.contains(", ") {
        out.push(text.to_owned());
        return;
    }
    if !known.vocabulary.is_empty()
        && let Some(names) = segment(text, |n| known.vocabulary.contains(n))
    {
        out.extend(names);
        return;
    }
    let sightings = &known.sightings;
    // Seen as a whole paragraph somewhere else (this one is one sighting of itself).
    let elsewhere = |n: &str| {
        sightings
            .get(n)
            .copied()
            .unwrap_or(0)
            .saturating_sub(usize::from(n == text))
            > 0
    };
    if let Some(names) = segment(text, |n| {
        known.standard.knows(n) || known.vocabulary.contains(n) || elsewhere(n)
    }) {
        out.extend(names);
        return;
    }
    match split_known(text, sightings) {
        Some(pieces) => out.extend(pieces),
        None => {
            let pieces: Vec<&str> = text.split(", ").collect();
            let some_known = pieces.iter().any(|p| sightings.contains_key(*p));
            let whole_elsewhere = sightings.get(text).copied().unwrap_or(0) > 1;
            if some_known && !whole_elsewhere {
                warn(
                    warnings,
                    at(table, r, Some(col)),
                    &format!("“{text}”: không chắc là một hay nhiều cơ quan: giữ là một tên"),
                    &format!("“{text}”: one agency or several is unclear: kept as one name"),
                );
            }
            out.push(text.to_owned());
        }
    }
}
