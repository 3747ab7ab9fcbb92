//! Redlining: marking a [`Document`](crate::document::Document) with what changed since
//! an earlier version, so the writers print "the new version with changes marked".
//!
//! Contract: small pure functions on the document model, independent of how changes are
//! found (the diff calls them with its own results converted to [`Run`]s). They only
//! set [`Cell::text`], [`Cell::marks`] and [`Row::change`]; everything else about a cell
//! or row (style, span, alignment, label) is the caller's. The marks they make always
//! satisfy the model's rules: on char boundaries, sorted, not overlapping, not empty, and
//! neighbouring stretches of one kind merged into one mark.

use crate::document::{Cell, Mark, MarkKind, Paragraph, Row, RowChange};

/// What a run of text is in a word-level comparison of an old and a new text: the one
/// word-diff op type, for the diff that finds the runs and for the marks made here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordOp {
    /// In both texts: shown plain.
    Equal,
    /// Only in the old text: kept and shown as deleted.
    Delete,
    /// Only in the new text: shown as inserted.
    Insert,
}

impl WordOp {
    /// The name used in JSON: "equal", "delete", "insert".
    pub fn name(self) -> &'static str {
        match self {
            WordOp::Equal => "equal",
            WordOp::Delete => "delete",
            WordOp::Insert => "insert",
        }
    }
}

/// A run of text to mark, with its [`WordOp`]. Each carries its own spacing: the cell's
/// text is the runs joined as they are, with nothing added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Equal, deleted or inserted.
    pub op: WordOp,
    /// The text, with its spacing.
    pub text: String,
}

impl Run {
    /// A run of `text` with `op`.
    pub fn new(op: WordOp, text: impl Into<String>) -> Run {
        Run {
            op,
            text: text.into(),
        }
    }
}

/// Rebuilds `cell.text` from `ops` (their texts joined in order) and marks the inserted
/// and deleted stretches; the cell's earlier marks are replaced. Empty runs are skipped;
/// consecutive runs of one kind make one mark.
pub fn mark_cell(cell: &mut Cell, ops: &[Run]) {
    (cell.text, cell.marks) = marked_text(ops);
}

/// Rebuilds a heading paragraph's text from `ops` and marks it, as [`mark_cell`] does.
pub fn mark_paragraph(paragraph: &mut Paragraph, ops: &[Run]) {
    (paragraph.text, paragraph.marks) = marked_text(ops);
}

/// The text `ops` spell and the marks of their inserted and deleted stretches.
fn marked_text(ops: &[Run]) -> (String, Vec<Mark>) {
    let mut text = String::with_capacity(ops.iter().map(|op| op.text().len()).sum());
    let mut marks: Vec<Mark> = Vec::new();
    for op in ops {
        let piece = op.text();
        if piece.is_empty() {
            continue;
        }
        let start = text.len();
        text.push_str(piece);
        let Some(kind) = op.mark() else {
            continue;
        };
        match marks.last_mut() {
            Some(last) if last.kind == kind && last.range.end == start => {
                last.range.end = text.len();
            }
            _ => marks.push(Mark {
                range: start..text.len(),
                kind,
            }),
        }
    }
    (text, marks)
}

/// Sets the row's change. For [`RowChange::Added`] every cell's whole text becomes one
/// inserted mark, for [`RowChange::Removed`] one deleted mark (empty cells get none);
/// [`RowChange::Changed`] keeps the marks the cells have (from [`mark_cell`]).
pub fn mark_row(row: &mut Row, change: RowChange) {
    row.change = Some(change);
    let kind = match change {
        RowChange::Added => MarkKind::Inserted,
        RowChange::Removed => MarkKind::Deleted,
        RowChange::Changed => return,
    };
    for cell in &mut row.cells {
        cell.marks.clear();
        if !cell.text.is_empty() {
            cell.marks.push(Mark {
                range: 0..cell.text.len(),
                kind,
            });
        }
    }
}

/// A row showing removed content, to insert into the new document at the removed row's
/// old place: `template_row`'s shape (kind, label, spans, styles, alignment, keeping) with
/// cell `i` holding `old_texts[i]`, all marked deleted. Cells without an old text are
/// empty; texts beyond the row's cells are ignored (the old row had other columns).
pub fn removed_row(template_row: &Row, old_texts: &[String]) -> Row {
    let mut row = template_row.clone();
    // The old version's content is in no line of the new file.
    row.origin = None;
    for (i, cell) in row.cells.iter_mut().enumerate() {
        cell.text = old_texts.get(i).cloned().unwrap_or_default();
        cell.origin = None;
    }
    mark_row(&mut row, RowChange::Removed);
    row
}

impl Run {
    fn text(&self) -> &str {
        &self.text
    }

    fn mark(&self) -> Option<MarkKind> {
        match self.op {
            WordOp::Equal => None,
            WordOp::Insert => Some(MarkKind::Inserted),
            WordOp::Delete => Some(MarkKind::Deleted),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_heading_line_is_marked_like_a_cell_and_keeps_its_blank_runs() {
        let mut p = crate::document::Paragraph {
            text: String::new(),
            marks: Vec::new(),
            style: crate::document::TextStyle {
                size_pt: 14.0,
                bold: false,
                italic: true,
            },
            align: crate::document::Align::Center,
            space_after_pt: 0.0,
        };
        let ops = [
            Run::new(WordOp::Equal, "số      /KH-UBND ngày "),
            Run::new(WordOp::Delete, "   /  /2026"),
            Run::new(WordOp::Insert, "05 tháng 02 năm 2026"),
        ];
        mark_paragraph(&mut p, &ops);
        assert_eq!(
            p.text,
            "số      /KH-UBND ngày    /  /202605 tháng 02 năm 2026"
        );
        let kinds: Vec<_> = p.segments().into_iter().map(|(_, k)| k).collect();
        assert_eq!(
            kinds,
            [None, Some(MarkKind::Deleted), Some(MarkKind::Inserted)]
        );
    }
    use super::*;
    use crate::document::{Align, RowKind, TextStyle, VAlign};

    fn cell(text: &str) -> Cell {
        Cell {
            text: text.to_owned(),
            span: 1,
            style: TextStyle {
                size_pt: 13.0,
                bold: false,
                italic: false,
            },
            align: Align::Left,
            valign: VAlign::Top,
            vmerge: crate::document::VMerge::None,
            marks: Vec::new(),
            origin: None,
        }
    }

    fn row(texts: &[&str]) -> Row {
        Row {
            kind: RowKind::Item,
            label: "mục 4.2".to_owned(),
            cells: texts.iter().map(|t| cell(t)).collect(),
            keep_with_next: false,
            change: None,
            origin: None,
        }
    }

    fn eq(s: &str) -> Run {
        Run::new(WordOp::Equal, s)
    }
    fn ins(s: &str) -> Run {
        Run::new(WordOp::Insert, s)
    }
    fn del(s: &str) -> Run {
        Run::new(WordOp::Delete, s)
    }

    /// The marked stretches as (text, kind), to read tests at a glance.
    fn marked(c: &Cell) -> Vec<(&str, MarkKind)> {
        c.marks
            .iter()
            .map(|m| (&c.text[m.range.clone()], m.kind))
            .collect()
    }

    #[test]
    fn mark_cell_joins_the_ops_and_marks_inserted_and_deleted_text() {
        let mut c = cell("stale");
        c.marks.push(Mark {
            range: 0..1,
            kind: MarkKind::Inserted,
        });
        mark_cell(
            &mut c,
            &[
                eq("Phòng "),
                del("Văn hóa "),
                ins("Kinh tế "),
                eq("- Xã hội"),
            ],
        );
        assert_eq!(c.text, "Phòng Văn hóa Kinh tế - Xã hội");
        assert_eq!(
            marked(&c),
            [
                ("Văn hóa ", MarkKind::Deleted),
                ("Kinh tế ", MarkKind::Inserted)
            ]
        );
        // Every mark is on char boundaries (Vietnamese letters are 2–3 bytes).
        for m in &c.marks {
            assert!(c.text.is_char_boundary(m.range.start));
            assert!(c.text.is_char_boundary(m.range.end));
        }
        assert_eq!(c.segments().len(), 4);
    }

    #[test]
    fn mark_cell_merges_neighbours_of_one_kind_and_skips_empty_runs() {
        let mut c = cell("");
        mark_cell(
            &mut c,
            &[ins("một "), ins(""), ins("hai"), del(""), eq(" ba"), eq("")],
        );
        assert_eq!(c.text, "một hai ba");
        assert_eq!(marked(&c), [("một hai", MarkKind::Inserted)]);
        mark_cell(&mut c, &[]);
        assert_eq!(c.text, "");
        assert!(c.marks.is_empty());
    }

    #[test]
    fn mark_row_marks_whole_rows() {
        let mut r = row(&["4.2", "Nhiệm vụ mới", ""]);
        mark_row(&mut r, RowChange::Added);
        assert_eq!(r.change, Some(RowChange::Added));
        assert_eq!(marked(&r.cells[0]), [("4.2", MarkKind::Inserted)]);
        assert_eq!(marked(&r.cells[1]), [("Nhiệm vụ mới", MarkKind::Inserted)]);
        assert!(r.cells[2].marks.is_empty(), "an empty cell has no mark");

        let mut r = row(&["1", "Cũ"]);
        mark_row(&mut r, RowChange::Removed);
        assert_eq!(r.change, Some(RowChange::Removed));
        assert_eq!(marked(&r.cells[1]), [("Cũ", MarkKind::Deleted)]);

        let mut r = row(&["1", "x"]);
        mark_cell(&mut r.cells[1], &[del("x"), ins("y")]);
        mark_row(&mut r, RowChange::Changed);
        assert_eq!(r.change, Some(RowChange::Changed));
        assert_eq!(r.cells[1].marks.len(), 2, "cell marks kept");
        assert!(r.cells[0].marks.is_empty());
    }

    #[test]
    fn removed_row_shows_old_texts_struck_in_the_new_rows_shape() {
        let mut template = row(&["4.3", "Mới", "Phòng A"]);
        template.cells[1].span = 2;
        template.keep_with_next = true;
        let old = ["4.2".to_owned(), "Nhiệm vụ đã bỏ".to_owned()];
        let r = removed_row(&template, &old);
        assert_eq!(r.change, Some(RowChange::Removed));
        assert_eq!(r.cells.len(), 3);
        assert_eq!(r.cells[1].span, 2);
        assert!(r.keep_with_next);
        assert_eq!(marked(&r.cells[0]), [("4.2", MarkKind::Deleted)]);
        assert_eq!(marked(&r.cells[1]), [("Nhiệm vụ đã bỏ", MarkKind::Deleted)]);
        assert_eq!(r.cells[2].text, "", "no old text: empty");
        assert!(r.cells[2].marks.is_empty());
        // Extra old texts are ignored, never a panic.
        let many: Vec<String> = (0..9).map(|i| i.to_string()).collect();
        assert_eq!(removed_row(&template, &many).cells.len(), 3);
    }
}
