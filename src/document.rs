//! The layout-neutral document: what every writer consumes.
//!
//! Contract: compose builds a [`Document`] from a validated plan and its templates; the
//! .docx writer and the PDF layout read only this. Nothing here knows YAML, Handlebars,
//! WordprocessingML or PDF. All lengths are millimetres (`_mm`) or points (`_pt`);
//! text is NFC Unicode where `'\n'` is a line break inside a paragraph.
//!
//! Change marks (redlining) are optional and default to none: a [`Cell`] may mark byte
//! ranges of its text as inserted or deleted ([`Mark`]), a [`Row`] may say it was added,
//! removed or changed ([`RowChange`]), and [`Metadata::revision`] names who made the
//! changes and when. A document without marks renders exactly as one written before marks
//! existed. [`crate::redline`] builds marks; the writers show them.
//!
//! Origins: a [`Part`], a [`Row`] and a [`Cell`] say where they come from in the plan
//! file — a plain [`Span`] (line:column and byte range of the YAML value), no link to the
//! model. Compose sets them; layout copies them onto what it places, so a layout error and
//! the SVG writer can point into the file; the .docx and PDF writers ignore them.

use std::ops::Range;

use crate::diag::Span;

/// A whole output: metadata plus one [`Part`] per appendix, each starting on a new page.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Title, author, language and date of the file.
    pub meta: Metadata,
    /// The appendices, in order.
    pub parts: Vec<Part>,
}

impl Document {
    /// Whether there is nothing to write: no part at all. The one test of emptiness every
    /// writer (.docx, PDF, SVG) makes before it starts, refusing such a document with its
    /// `Empty` error.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// File-level properties (docx core properties, PDF XMP).
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// Document title, e.g. "Phụ lục kèm theo Kế hoạch số …/KH-UBND".
    pub title: String,
    /// The issuing body, e.g. "Ủy ban nhân dân phường Thạch Khôi".
    pub author: String,
    /// BCP 47 language tag of the text, e.g. "vi-VN".
    pub language: String,
    /// The date the file is stamped with: the plan date, else a fixed date. Never the clock.
    pub date: Date,
    /// Who made the marked changes and when (the .docx writer's `w:ins`/`w:del`
    /// attributes); `None` for a document without marks. A marked document without it is
    /// attributed to "phuluc" on [`Metadata::date`].
    pub revision: Option<Revision>,
    /// The agency names of the document: what its list cells hold (shown joined with
    /// ", ", where a name may itself contain ", ") and the plan's canonical `agencies:`
    /// list. Writers that can carry data (the .docx) keep it, so that a reader can cut a
    /// joined cell back into its names; nothing is shown from it.
    pub agencies: AgencyNames,
}

/// The XML namespace under which writers that keep [`AgencyNames`] as an XML part (the
/// .docx's custom XML data part) write them, and readers find them. Versioned so that a
/// later shape can be told apart.
pub const AGENCY_NAMES_NS: &str = "urn:phuluc:agencies:1";

/// The agency names a document's list cells are made of: see [`Metadata::agencies`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencyNames {
    /// The plan's canonical `agencies:` list, in its order (often empty).
    pub canonical: Vec<String>,
    /// Every name a list cell holds, sorted, each once.
    pub used: Vec<String>,
}

/// The author and date of the marked changes of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The author shown by Word for each change, e.g. "phuluc".
    pub author: String,
    /// The date of the changes, from the data (never the clock).
    pub date: Date,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

/// One appendix: its own page setup, page numbering, heading block and table.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Short name used for file names and outlines, e.g. "phu-luc-I".
    pub slug: String,
    /// What a reader calls it, e.g. "Phụ lục I" (bookmarks, outline).
    pub outline: String,
    /// Paper and margins.
    pub page: PageSetup,
    /// Page-number policy.
    pub page_numbers: PageNumbers,
    /// Lines above the table: label, title, reference line.
    pub heading: Vec<Paragraph>,
    /// A short centred rule under the heading block, if any.
    pub rule: Option<Rule>,
    /// Space between the heading block (or rule) and the table.
    pub space_before_table_pt: f32,
    /// The table.
    pub table: Table,
    /// Where the part comes from: its appendix's block in the plan file.
    pub origin: Option<Span>,
    /// Where plan fields (number, symbol, date, issuer…) are printed in the heading
    /// block, as its templates mark them: for editing them on the page.
    pub fields: Vec<HeadingField>,
}

/// A plan field printed in a heading paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingField {
    /// The paragraph: an index into [`Part::heading`].
    pub paragraph: usize,
    /// Byte range of the field's text in the paragraph's text.
    pub range: Range<usize>,
    /// The field's key in the plan file's `plan:` block, e.g. "number".
    pub field: String,
    /// Where the `plan:` block is in the plan file.
    pub origin: Option<Span>,
}

/// Paper size and margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    /// Page width as printed (landscape already swapped).
    pub width_mm: f32,
    /// Page height as printed.
    pub height_mm: f32,
    /// Whether the page is landscape (width > height).
    pub landscape: bool,
    /// Margins.
    pub margins: Margins,
    /// Distance from the top edge to the page-number line.
    pub header_mm: f32,
}

impl PageSetup {
    /// Width available to text between the left and right margins.
    pub fn text_width_mm(&self) -> f32 {
        self.width_mm - self.margins.left - self.margins.right
    }
}

/// Four lengths in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top.
    pub top: f32,
    /// Bottom.
    pub bottom: f32,
    /// Left.
    pub left: f32,
    /// Right.
    pub right: f32,
}

/// Where page numbers go and which pages show them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageNumbers {
    /// Whether pages are numbered at all.
    pub enabled: bool,
    /// The number of the part's first page (numbering restarts per part).
    pub start: u32,
    /// Whether the first page shows its number (Decree 30: it does not).
    pub show_on_first: bool,
    /// Font size of the number.
    pub size_pt: f32,
}

/// A paragraph of the heading block.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The text; `'\n'` is a line break.
    pub text: String,
    /// Change marks over `text` (redline only; empty otherwise).
    pub marks: Vec<Mark>,
    /// Font style.
    pub style: TextStyle,
    /// Horizontal alignment.
    pub align: Align,
    /// Space after the paragraph.
    pub space_after_pt: f32,
}

/// Font size and weight of a run of text. The family is the writer's choice
/// (Times New Roman in .docx, its metric twin Liberation Serif or the office's font in PDF).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Size in points.
    pub size_pt: f32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

/// Horizontal alignment of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified; the last line of a paragraph stays ragged.
    Justify,
}

/// A horizontal rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Length, centred on the text width.
    pub width_mm: f32,
    /// Line thickness.
    pub thickness_pt: f32,
    /// Space between the line above and the rule (the rule is drawn this far below the
    /// heading block's last line; the table follows `Part::space_before_table_pt` below it).
    pub space_before_pt: f32,
}

/// A table with a fixed column grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column widths; they add up to the text width.
    pub columns: Vec<f32>,
    /// Cell padding.
    pub padding: Margins,
    /// Border line thickness (all borders, single line).
    pub border_pt: f32,
    /// Rows that repeat at the top of every page.
    pub header: Vec<Row>,
    /// Body rows: section and group headings and items, in order.
    pub body: Vec<Row>,
    /// Per grid column, the row field an item's cell there shows, where a clerk may
    /// type it (`None`: the number column, a computed sum, or no plan behind the table).
    pub fields: Vec<Option<String>>,
}

/// What a row is, for styling and page-breaking decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// The column-title row.
    Header,
    /// A section heading (Roman numbered).
    Section,
    /// A group heading (Arabic numbered).
    Group,
    /// A body row.
    Item,
    /// The row of column numbers "(1)", "(2)" … under the column titles.
    ColumnNumbers,
    /// A computed subtotal or grand total row.
    Total,
}

/// One table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Kind of row.
    pub kind: RowKind,
    /// What a reader calls the row in messages, e.g. "mục 4.2" or "nhóm 4".
    pub label: String,
    /// Cells; their spans add up to the number of columns.
    pub cells: Vec<Cell>,
    /// Never leave this row last on a page (headings keep with the next row).
    pub keep_with_next: bool,
    /// Whether the row was added, removed or changed; `None` for an unchanged row. Every
    /// row with a change gets a change bar in the PDF.
    pub change: Option<RowChange>,
    /// Where the row comes from: the block of its item, group or section in the plan
    /// file; `None` for rows no block writes (header rows, column numbers, totals).
    pub origin: Option<Span>,
}

/// How a row differs from the previous version of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowChange {
    /// The row is new: all its text is marked inserted, and Word sees an inserted row.
    Added,
    /// The row exists only in the old version; it is kept in the new document at its old
    /// place with all its text marked deleted, and Word sees a deleted row.
    Removed,
    /// Some cells of the row carry marks.
    Changed,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text; `'\n'` is a line break. Empty for an empty cell.
    pub text: String,
    /// How many grid columns the cell covers (at least 1).
    pub span: usize,
    /// Font style.
    pub style: TextStyle,
    /// Horizontal alignment.
    pub align: Align,
    /// Vertical alignment.
    pub valign: VAlign,
    /// Whether the cell is merged with the cells of its column(s) above or below.
    pub vmerge: VMerge,
    /// Inserted and deleted stretches of [`Cell::text`]; empty for an unmarked cell.
    /// Deleted text is part of `text` (shown struck through). Ranges are byte ranges on
    /// char boundaries, sorted and not overlapping; writers skip any mark that breaks
    /// these rules rather than fail (see [`Cell::segments`]).
    pub marks: Vec<Mark>,
    /// Where the cell's text comes from: the YAML value it shows, exactly as written
    /// (a scalar with its quotes or block indicator, a list from its first entry to its
    /// last), or that value's key where the value is empty (`key:`). A cell of a row from
    /// the file that shows no value of its own — a field the row does not have, a number
    /// or sum computed, the blank before a heading's number — has the row's origin.
    /// `None` in rows without one.
    pub origin: Option<Span>,
}

/// A marked stretch of a cell's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Byte range in [`Cell::text`].
    pub range: Range<usize>,
    /// Inserted or deleted.
    pub kind: MarkKind,
}

/// What a [`Mark`] says about its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkKind {
    /// New text: underlined.
    Inserted,
    /// Old text, kept to show what went: struck through.
    Deleted,
}

impl Cell {
    /// The text cut into consecutive stretches that cover it whole, each with its mark
    /// (`None` for unmarked text); empty stretches are left out, so an empty cell gives
    /// none. Marks that are empty, out of range, not on char boundaries, out of order or
    /// overlapping an earlier mark are ignored (their text counts as unmarked): the
    /// writers never fail on a malformed mark.
    pub fn segments(&self) -> Vec<(Range<usize>, Option<MarkKind>)> {
        segments(&self.text, &self.marks)
    }
}

impl Paragraph {
    /// The text cut into marked and unmarked stretches, as [`Cell::segments`].
    pub fn segments(&self) -> Vec<(Range<usize>, Option<MarkKind>)> {
        segments(&self.text, &self.marks)
    }
}

/// Consecutive stretches covering `text`, each with its mark; see [`Cell::segments`].
fn segments(text: &str, marks: &[Mark]) -> Vec<(Range<usize>, Option<MarkKind>)> {
    let mut out = Vec::with_capacity(marks.len() * 2 + 1);
    let mut at = 0;
    for mark in marks {
        let Range { start, end } = mark.range;
        let valid = start >= at
            && start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !valid {
            continue;
        }
        if start > at {
            out.push((at..start, None));
        }
        out.push((start..end, Some(mark.kind)));
        at = end;
    }
    if at < text.len() {
        out.push((at..text.len(), None));
    }
    out
}

/// A vertical merge: a run of cells in the same column(s) of consecutive rows of one
/// table section (header or body) shown as one cell.
///
/// The run is a [`VMerge::Start`] cell followed by [`VMerge::Continue`] cells at the same
/// grid position and span in the rows below. Every cell of the run carries the run's
/// text: a writer shows it once, in the first cell — and again where a run continues at
/// the top of a new page, as a reader of a printed page needs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum VMerge {
    /// Not merged.
    #[default]
    None,
    /// The first cell of a run.
    Start,
    /// A cell merged with the one above it.
    Continue,
}

/// Vertical alignment of a cell's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    /// Top of the cell.
    Top,
    /// Middle of the cell.
    Center,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, marks: &[(Range<usize>, MarkKind)]) -> Cell {
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
            vmerge: VMerge::None,
            origin: None,
            marks: marks
                .iter()
                .map(|(range, kind)| Mark {
                    range: range.clone(),
                    kind: *kind,
                })
                .collect(),
        }
    }

    #[test]
    fn segments_cover_the_text_in_order() {
        use MarkKind::{Deleted, Inserted};
        // "một" is 5 bytes.
        let c = cell("một hai ba", &[(6..10, Deleted), (10..12, Inserted)]);
        assert_eq!(
            c.segments(),
            [
                (0..6, None),
                (6..10, Some(Deleted)),
                (10..12, Some(Inserted))
            ]
        );
        assert_eq!(cell("", &[]).segments(), []);
        assert_eq!(cell("a", &[]).segments(), [(0..1, None)]);
    }

    #[test]
    fn malformed_marks_are_ignored() {
        use MarkKind::{Deleted, Inserted};
        // "ộ" is bytes 1..4 of "một": 2 is inside it.
        let c = cell(
            "một hai",
            &[
                (2..5, Inserted), // not on a char boundary
                (5..5, Deleted),  // empty
                (5..7, Deleted),
                (6..9, Inserted), // overlaps the previous mark
                (0..2, Inserted), // out of order
                (8..99, Deleted), // past the end
            ],
        );
        assert_eq!(
            c.segments(),
            [(0..5, None), (5..7, Some(Deleted)), (7..9, None)]
        );
    }
}
