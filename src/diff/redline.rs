//! Redline: the NEW version of a plan as a [`Document`] with its changes marked, for
//! `phuluc diff --redline OUT.docx|OUT.pdf`.
//!
//! Contract: composes the new plan exactly as `render` does, then marks what the
//! [`Change`] list says: added rows wholly inserted, changed cells word by word (agency
//! lists name by name), changed headings, moved rows with a change bar, removed rows shown
//! struck through where they stood (before the row that now has their number). The
//! heading lines are composed for both versions and compared word by word, so a plan
//! number or date filled in, or a retitled appendix, is marked where it shows.

use std::collections::BTreeMap;

use super::change::{Change, ChangeKind, Subject, Value};
use super::outline::Outline;
use crate::compose::templates::{ColumnKind, Templates};
use crate::diag::Diagnostic;
use crate::document::{Date, Document, Revision, Row, RowChange, RowKind};
use crate::model::Plan;
use crate::redline::{Run, WordOp, mark_cell, mark_paragraph, mark_row, removed_row};

/// The author tracked changes carry.
pub const AUTHOR: &str = "phuluc";

/// The new plan as a document with `changes` marked; the heading lines (label, title,
/// "(Kèm theo …)") are compared with `old`'s, word by word.
pub fn redline(
    old: &Plan,
    new: &Plan,
    changes: &[Change],
    templates: &Templates,
) -> Result<Document, Vec<Diagnostic>> {
    let mut doc = crate::compose::compose(new, templates)?;
    let before = crate::compose::compose(old, templates)?;
    for part in &mut doc.parts {
        let Some(was) = before.parts.iter().find(|p| p.outline == part.outline) else {
            continue;
        };
        for (line, old_line) in part.heading.iter_mut().zip(&was.heading) {
            if line.text != old_line.text {
                mark_paragraph(line, &exact_ops(&old_line.text, &line.text));
            }
        }
    }
    let date: Date = doc.meta.date;
    doc.meta.revision = Some(Revision {
        author: AUTHOR.to_owned(),
        date,
    });
    for (index, appendix) in new.appendices.iter().enumerate() {
        let Some(part) = doc.parts.get_mut(index) else {
            continue;
        };
        let Some(kind) = templates.kind(&appendix.template) else {
            continue;
        };
        let rows = row_indices(appendix, &part.table.body);
        let mut removed: Vec<(usize, Row)> = Vec::new();
        for change in changes
            .iter()
            .filter(|c| c.appendix.as_deref() == Some(part.outline.as_str()))
        {
            let Some(label) = change.row.as_deref() else {
                continue;
            };
            if change.kind == ChangeKind::Removed {
                if change.subject == Subject::Row
                    && let Some(shape) = part
                        .table
                        .body
                        .iter()
                        .find(|r| r.kind == RowKind::Item && r.change.is_none())
                {
                    let texts: Vec<String> = kind
                        .layout
                        .columns
                        .iter()
                        .map(|c| match c.kind {
                            ColumnKind::Number => {
                                label.split_once("mục ").map_or("", |(_, n)| n).to_owned()
                            }
                            _ => change
                                .cells
                                .iter()
                                .find(|cell| cell.field.key == c.field)
                                .map(|cell| cell.value.display())
                                .unwrap_or_default(),
                        })
                        .collect();
                    let at = rows.get(label).copied().unwrap_or(part.table.body.len());
                    removed.push((at, removed_row(shape, &texts)));
                }
                continue;
            }
            if change.subject == Subject::Total {
                // A total row: the cell standing in the changed figure's column.
                let Some(field) = &change.field else { continue };
                let column = kind
                    .layout
                    .columns
                    .iter()
                    .position(|c| c.field == field.key);
                let row = part
                    .table
                    .body
                    .iter_mut()
                    .find(|r| r.kind == RowKind::Total && r.label == label);
                if let (Some(column), Some(row)) = (column, row) {
                    let mut at = 0;
                    let cell = row.cells.iter().position(|c| {
                        let here = at == column;
                        at += c.span.max(1);
                        here
                    });
                    if let Some(cell) = cell.and_then(|i| row.cells.get_mut(i)) {
                        mark_cell(cell, &ops(change));
                        mark_row(row, RowChange::Changed);
                    }
                }
                continue;
            }
            let Some(&at) = rows.get(label) else {
                continue;
            };
            let Some(row) = part.table.body.get_mut(at) else {
                continue;
            };
            match (change.kind, change.subject) {
                (ChangeKind::Added, _) => mark_row(row, RowChange::Added),
                (ChangeKind::Moved, _) if row.change.is_none() => {
                    row.change = Some(RowChange::Changed);
                }
                (ChangeKind::Changed, Subject::Row) => {
                    let Some(field) = &change.field else { continue };
                    let column = kind
                        .layout
                        .columns
                        .iter()
                        .position(|c| c.field == field.key);
                    if let Some(cell) = column.and_then(|c| row.cells.get_mut(c)) {
                        mark_cell(cell, &ops(change));
                        mark_row(row, RowChange::Changed);
                    }
                }
                (ChangeKind::Changed, Subject::Section | Subject::Group) => {
                    // A heading row's text is its last cell (after the number).
                    if let Some(cell) = row.cells.last_mut() {
                        mark_cell(cell, &ops(change));
                        mark_row(row, RowChange::Changed);
                    }
                }
                _ => {}
            }
        }
        // Insert from the back so earlier positions stay valid; equal positions keep
        // the order the diff listed them in.
        removed.sort_by_key(|(at, _)| *at);
        for (at, row) in removed.into_iter().rev() {
            let at = at.min(part.table.body.len());
            part.table.body.insert(at, row);
        }
    }
    Ok(doc)
}

/// Index in the part's body rows of every section, group and row name of `appendix`,
/// following how compose lays rows out (heading rows only where there is a heading;
/// computed rows — column numbers, totals — stand between them and are skipped).
fn row_indices(appendix: &crate::model::Appendix, body: &[Row]) -> BTreeMap<String, usize> {
    let data_rows: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, r)| !matches!(r.kind, RowKind::Total | RowKind::ColumnNumbers))
        .map(|(i, _)| i)
        .collect();
    let outline = Outline::new(appendix);
    let mut entries: Vec<(usize, String, bool)> = Vec::new();
    entries.extend(
        outline
            .sections
            .iter()
            .map(|s| (s.ordinal, s.label.clone(), s.section.heading.is_some())),
    );
    entries.extend(
        outline
            .groups
            .iter()
            .map(|g| (g.ordinal, g.label.clone(), g.group.heading.is_some())),
    );
    entries.extend(
        outline
            .rows
            .iter()
            .map(|r| (r.ordinal, r.label.clone(), true)),
    );
    entries.sort_by_key(|e| e.0);
    let mut map = BTreeMap::new();
    let mut index = 0;
    for (_, label, shown) in entries {
        if shown {
            map.entry(label)
                .or_insert(data_rows.get(index).copied().unwrap_or(body.len()));
            index += 1;
        }
    }
    map
}

/// A word diff that keeps whitespace as it is: the heading lines' blank runs
/// ("số           /KH-UBND") must survive in the redline.
fn exact_ops(old: &str, new: &str) -> Vec<Run> {
    similar::TextDiff::from_words(old, new)
        .iter_all_changes()
        .map(|c| {
            let text = c.value().to_owned();
            match c.tag() {
                similar::ChangeTag::Equal => Run::new(WordOp::Equal, text),
                similar::ChangeTag::Delete => Run::new(WordOp::Delete, text),
                similar::ChangeTag::Insert => Run::new(WordOp::Insert, text),
            }
        })
        .collect()
}

/// Word runs as marking ops, one space between runs (runs carry no spacing).
fn word_ops(words: &[super::words::Word]) -> Vec<Run> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let text = if i == 0 {
            w.text.clone()
        } else {
            format!(" {}", w.text)
        };
        out.push(Run::new(w.op, text));
    }
    out
}

/// The marks for one changed value.
fn ops(change: &Change) -> Vec<Run> {
    if !change.words.is_empty() {
        return word_ops(&change.words);
    }
    if !change.added.is_empty() || !change.removed.is_empty() {
        let new: Vec<String> = match &change.new {
            Some(Value::List(l)) => l.clone(),
            Some(Value::Text(t)) => vec![t.clone()],
            None => Vec::new(),
        };
        let mut out = Vec::new();
        for (i, name) in new.iter().enumerate() {
            let text = if i == 0 {
                name.clone()
            } else {
                format!(", {name}")
            };
            out.push(if change.added.contains(name) {
                Run::new(WordOp::Insert, text)
            } else {
                Run::new(WordOp::Equal, text)
            });
        }
        for name in &change.removed {
            let text = if out.is_empty() {
                name.clone()
            } else {
                format!(", {name}")
            };
            out.push(Run::new(WordOp::Delete, text));
        }
        return out;
    }
    let old = change.old.as_ref().map(Value::display).unwrap_or_default();
    let new = change.new.as_ref().map(Value::display).unwrap_or_default();
    match (old.is_empty(), new.is_empty()) {
        (true, _) => vec![Run::new(WordOp::Insert, new)],
        (_, true) => vec![Run::new(WordOp::Delete, old)],
        _ => vec![
            Run::new(WordOp::Delete, old),
            Run::new(WordOp::Insert, format!(" {new}")),
        ],
    }
}
