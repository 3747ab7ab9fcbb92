//! Agency cells as lists of names: one per paragraph, and a paragraph joined with ", "
//! cut only where something vouches for every piece — the names the file carries as data
//! (phuluc's own .docx), else names the file has as whole cell paragraphs elsewhere.
//!
//! Contract: a cell is cut only where that is the one way to cut it; a cell kept whole
//! where some pieces are known is a warning pointing into the Word file.

use std::collections::{HashMap, HashSet};

use super::super::raw::{Block, Cell, Merge, RawDocument};
use super::super::values::{segment, split_known};
use super::warnings::{at, warn};
use crate::diag::Text;

/// What vouches for agency names: the names the file carries as data (phuluc's own
/// .docx: exact), and every paragraph of every cell, counted (the file's own names).
pub(super) struct Known {
    pub(super) vocabulary: HashSet<String>,
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
        sightings: sightings(doc),
    }
}

/// Every paragraph of every cell short enough to be a name, counted.
fn sightings(doc: &RawDocument) -> HashMap<String, usize> {
    let mut names = HashMap::new();
    for b in &doc.blocks {
        if let Block::Table(t) = b {
            for row in &t.rows {
                for cell in row.cells.iter().filter(|c| c.merge != Merge::Continue) {
                    for p in &cell.paragraphs {
                        let text = p.text.trim();
                        if !text.is_empty() && text.chars().count() <= 120 {
                            *names.entry(text.to_owned()).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
    }
    names
}

/// An agency cell as a list: one name per paragraph; a paragraph with ", " is cut into
/// the names the file carries as data where that is the one way to cut it (the whole
/// paragraph may be one name), else split only where every piece is a name the file has
/// as a whole paragraph elsewhere.
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
        if !text.contains(", ") {
            out.push(text.to_owned());
            continue;
        }
        if !known.vocabulary.is_empty()
            && let Some(names) = segment(text, |n| known.vocabulary.contains(n))
        {
            out.extend(names);
            continue;
        }
        let known = &known.sightings;
        match split_known(text, known) {
            Some(pieces) => out.extend(pieces),
            None => {
                let pieces: Vec<&str> = text.split(", ").collect();
                let some_known = pieces.iter().any(|p| known.contains_key(*p));
                let whole_elsewhere = known.get(text).copied().unwrap_or(0) > 1;
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
    out
}
