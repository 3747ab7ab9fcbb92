//! Layout: shapes text, breaks lines and paginates each part's heading block and table
//! into positioned page frames for the PDF writer.
//!
//! Contract: [`layout`] reads only the [`Document`] and a [`FontSet`] and returns
//! [`Frames`]: pages in points, origin at the top-left corner, y growing downwards, each
//! holding glyph runs (one per line, with its text, the structure it belongs to and
//! where that comes from in the plan file) and straight strokes (borders, rules, change
//! marks), each with the [`Paint`] it is drawn with: colours and caps are decided here
//! (see `paint`), and the writers only translate them. It never draws anything and never
//! panics; a character the font lacks is a [`LayoutError::MissingGlyph`] naming the
//! character, the part, the row and the column, and carrying the place in the plan file —
//! never a box in the output. Every [`LayoutError`] says itself as a [`Diagnostic`]
//! ([`ToDiagnostic`]).
//!
//! Origins: each run carries the origin of the row it is a line of (the part's, for a
//! line of the heading block), copied from the [`Document`]: a row is what a reader
//! clicks in the preview and what a message about a cell names ("mục 4.2"), and the
//! exact origin of each cell stays in the document for whoever needs it.
//!
//! Conventions the .docx writer matches (so Word and the PDF break alike):
//! - line height is Word's "single" spacing, GDI's `tmHeight + tmExternalLeading`:
//!   (usWinAscent + usWinDescent + external leading) / unitsPerEm × size, where external
//!   leading = max(0, hhea.lineGap − (winAscent + winDescent − (hhea.ascender −
//!   hhea.descender))) — 2355/2048 ≈ 1.150 em for Times New Roman and Liberation Serif
//!   (12 pt → 13.8 pt); the baseline sits (external leading + usWinAscent) / unitsPerEm ×
//!   size below the line's top (see [`crate::fonts::FaceMetrics`]);
//! - no kerning, no ligatures; lines are filled greedily at UAX #14 opportunities; trailing
//!   spaces hang in the margin;
//! - justified lines stretch only U+0020; a paragraph's last line and a line ending in `'\n'`
//!   stay flush left (Word: `w:doNotExpandShiftReturn`);
//! - a table's grid starts at the left margin; borders are centred on the grid lines and, as
//!   in Word, take room: a row is `border + padding.top + lines × line height +
//!   padding.bottom` from grid line to grid line (tallest cell), its text starting
//!   `border / 2 + padding.top` below the upper line and `padding.left` inside the cell; the
//!   table's first grid line lies `border / 2` below the point where the table starts;
//! - the heading block is set paragraph by paragraph (`space_after_pt` after each); then
//!   comes the separator the .docx writer emits, an empty single-spaced paragraph in a 1 pt
//!   font (its line is 1.15 pt) with `rule.space_before_pt` before it when there is a rule —
//!   between two paragraphs Word leaves the larger of the space after and the space before,
//!   not their sum — the rule being its bottom border 1 pt below that line and `thickness`
//!   thick; then `space_before_table_pt`; then the table;
//! - page numbers are centred between the side margins; the number's line top is
//!   `page.header_mm` from the top edge (Word's header distance), so its baseline is that
//!   plus the line's ascent as above.
//!
//! Change marks add [`Element::Redline`]s and nothing else (an unmarked document lays out
//! exactly as before): an underline below inserted text, a line through deleted text, and
//! a change bar in the left margin beside every fragment of a row with a
//! [`crate::document::RowChange`] (see `marks`).

mod coverage;
pub use coverage::missing_glyphs;
mod lines;
mod marks;
mod pages;
mod paint;
pub use paint::{Colour, LineCap, Lines, Marks, Paint};
mod table;
mod text;

#[cfg(test)]
pub(crate) mod sample;

use std::ops::Range;

use crate::diag::{Diagnostic, Span, Text, ToDiagnostic};
use crate::document::{Align, Document, TextStyle};
use crate::fonts::{Face, FontError, FontSet};

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Millimetres to points.
pub fn mm(value: f32) -> f32 {
    value * PT_PER_MM
}

/// A laid-out document: every page of every part, in order.
#[derive(Debug, Clone)]
pub struct Frames {
    /// The pages.
    pub pages: Vec<PageFrame>,
}

impl Frames {
    /// Index of the first page of part `part`, if it has any.
    pub fn first_page_of(&self, part: usize) -> Option<usize> {
        self.pages.iter().position(|p| p.part == part)
    }
}

/// One page.
#[derive(Debug, Clone)]
pub struct PageFrame {
    /// Which [`Document::parts`] entry the page belongs to.
    pub part: usize,
    /// 0 for the part's first page, then 1, 2, …
    pub index_in_part: usize,
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// Glyph runs and strokes, in reading order for the runs.
    pub elements: Vec<Element>,
}

/// Something drawn on a page.
#[derive(Debug, Clone)]
pub enum Element {
    /// One line of text.
    Text(TextRun),
    /// A straight line: a border or a rule. Always decoration (an artifact).
    Stroke(Stroke),
    /// A change mark: an underline, a strike-through or a change bar. Drawn in its own
    /// colour ([`Paint::mark`]), as decoration (an artifact): the text it marks stays
    /// ordinary text.
    Redline(Redline),
}

/// A line showing a change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Redline {
    /// What it shows.
    pub kind: RedlineKind,
    /// Where it goes and how it is painted.
    pub stroke: Stroke,
}

/// What a [`Redline`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedlineKind {
    /// An underline below inserted text.
    Inserted,
    /// A line through deleted text.
    Deleted,
    /// A vertical bar in the left margin beside a changed, added or removed row.
    ChangeBar,
}

/// One line of text in one face and size.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// What the run belongs to, for tagging.
    pub role: Role,
    /// The face.
    pub face: Face,
    /// Font size in points.
    pub size: f32,
    /// Left end of the baseline, points from the page's left edge.
    pub x: f32,
    /// Baseline, points from the page's top edge.
    pub baseline: f32,
    /// The line's text (NFC), including trailing spaces; glyph ranges index into it.
    pub text: String,
    /// Glyphs, left to right. Empty for an empty line (still tagged, so every cell has
    /// content in the structure tree).
    pub glyphs: Vec<Glyph>,
    /// Where the line comes from in the plan file: its row's origin for a line of a table
    /// cell (also where repeated), its part's for a line of the heading block; `None` for
    /// page numbers and rows of no origin.
    pub origin: Option<Span>,
}

/// A positioned glyph. Lengths in points; `y_offset` is upwards, as in OpenType.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the face.
    pub id: u32,
    /// Horizontal advance, justification included.
    pub advance: f32,
    /// Horizontal offset from the pen position.
    pub x_offset: f32,
    /// Vertical offset from the baseline, upwards.
    pub y_offset: f32,
    /// The bytes of [`TextRun::text`] this glyph's cluster stands for.
    pub text: Range<usize>,
}

/// A straight line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Start x.
    pub x1: f32,
    /// Start y.
    pub y1: f32,
    /// End x.
    pub x2: f32,
    /// End y.
    pub y2: f32,
    /// Line thickness in points.
    pub width: f32,
    /// Colour and cap.
    pub paint: Paint,
}

/// Which table row a cell belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowRef {
    /// `Table::header[i]`.
    Header(usize),
    /// `Table::body[i]`.
    Body(usize),
}

/// What a run is, for the PDF structure tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A line of `Part::heading[i]`.
    Heading(usize),
    /// A line of a table cell (`cell` indexes `Row::cells`).
    Cell {
        /// The row.
        row: RowRef,
        /// The cell within the row.
        cell: usize,
    },
    /// A header-row line repeated at the top of a later page: pagination, not content.
    RepeatedHeader {
        /// The header row.
        row: usize,
        /// The cell within the row.
        cell: usize,
    },
    /// The page number: pagination, not content.
    PageNumber,
    /// A merged cell's text shown again where its run continues at the top of a page:
    /// pagination, not content.
    RepeatedText,
}

/// Why a document could not be laid out.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// The font has no glyph for a character of the text.
    #[error("{}", missing_glyph_vi(*.ch, .part, .row.as_deref(), .column.as_deref()))]
    MissingGlyph {
        /// The character.
        ch: char,
        /// The part (`Part::outline`), e.g. "Phụ lục I".
        part: String,
        /// The row (`Row::label`); `None` in the heading block or a page number.
        row: Option<String>,
        /// The column: the header row's text at the cell's first column; `None` outside
        /// the table.
        column: Option<String>,
        /// Where in the plan file: the row's origin for a cell, the part's for the heading
        /// block (as the message names them); `None` for a page number.
        origin: Option<Span>,
    },
    /// A row's cells cover more grid columns than the table has.
    #[error(
        "{part}, {row}: các ô chiếm {used} cột nhưng bảng chỉ có {columns} cột \
         (cells span {used} columns but the table has {columns})"
    )]
    RowTooWide {
        /// The part.
        part: String,
        /// The row label.
        row: String,
        /// Columns the cells span.
        used: usize,
        /// Columns the table has.
        columns: usize,
    },
    /// The page leaves no room for text (margins as large as the paper).
    #[error(
        "{part}: lề trang lớn hơn khổ giấy, không còn chỗ cho chữ \
         (margins leave no room for text on the page)"
    )]
    NoRoom {
        /// The part.
        part: String,
    },
    /// The fonts could not be parsed.
    #[error(transparent)]
    Font(#[from] FontError),
}

fn missing_glyph_vi(ch: char, part: &str, row: Option<&str>, column: Option<&str>) -> String {
    missing_glyph_text(ch, part, row, column).vi.into()
}

fn missing_glyph_text(ch: char, part: &str, row: Option<&str>, column: Option<&str>) -> Text {
    let code = format!("U+{:04X}", u32::from(ch));
    let shown = if ch.is_control() {
        String::new()
    } else {
        format!(" «{ch}»")
    };
    let (where_vi, where_en) = match (row, column) {
        (Some(r), Some(c)) => (
            format!("{part}, {r}, cột «{c}»"),
            format!("{part}, {r}, column «{c}»"),
        ),
        (Some(r), None) => (format!("{part}, {r}"), format!("{part}, {r}")),
        _ => (
            format!("{part}, phần tiêu đề"),
            format!("{part}, heading block"),
        ),
    };
    Text::new(
        format!(
            "phông chữ không có ký tự {code}{shown} ({where_vi}); \
             hãy thay ký tự này hoặc dùng phông có ký tự đó"
        ),
        format!(
            "the font has no glyph for {code}{shown} ({where_en}); \
             replace the character or use a font that has it"
        ),
    )
}

impl LayoutError {
    /// The message in both languages (the diagnostic's, and `check`'s warning).
    fn message(&self) -> Text {
        match self {
            LayoutError::MissingGlyph {
                ch,
                part,
                row,
                column,
                ..
            } => missing_glyph_text(*ch, part, row.as_deref(), column.as_deref()),
            LayoutError::RowTooWide {
                part,
                row,
                used,
                columns,
            } => Text::new(
                format!("{part}, {row}: các ô chiếm {used} cột nhưng bảng chỉ có {columns} cột"),
                format!("{part}, {row}: cells span {used} columns but the table has {columns}"),
            ),
            LayoutError::NoRoom { part } => Text::new(
                format!("{part}: lề trang lớn hơn khổ giấy, không còn chỗ cho chữ"),
                format!("{part}: margins leave no room for text on the page"),
            ),
            LayoutError::Font(e) => e.to_diagnostic().message,
        }
    }
}

impl ToDiagnostic for LayoutError {
    /// An error at the row (or heading block) a missing character is in, with what to do;
    /// other errors point at the template's layout. `check` lists missing characters as
    /// warnings with the same words (only the PDF needs them).
    fn to_diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error(self.message());
        match self {
            // A font that cannot be read says so itself, with its own advice.
            LayoutError::Font(e) => e.to_diagnostic(),
            LayoutError::MissingGlyph { origin, .. } => d.at_span(*origin).hint(Text::new(
                "Thay ký tự đó bằng chữ tiếng Việt chuẩn, hoặc dùng --font-dir với phông có ký tự này; nếu không, chỉ tạo được .docx.",
                "Replace the character with standard Vietnamese, or use --font-dir with a font that has it; otherwise only the .docx can be made.",
            )),
            _ => d.hint(Text::new(
                "Kiểm tra lề trang, cỡ chữ và độ rộng cột trong layout.yaml của mẫu phụ lục.",
                "Check the page margins, font sizes and column widths in the template's layout.yaml.",
            )),
        }
    }
}

/// Counts the lines a text takes in a column, with the layout's own shaping and line
/// breaking: for a writer that leaves laying out to its reader but must size rows for it
/// (the workbook's row heights, which neither Excel nor LibreOffice fit to wrapped text
/// written by another program).
pub struct LineCounter<'f> {
    shaper: text::Shaper<'f>,
}

impl<'f> LineCounter<'f> {
    /// A counter measuring with `fonts`.
    pub fn new(fonts: &'f FontSet) -> Result<Self, LayoutError> {
        Ok(LineCounter {
            shaper: text::Shaper::new(fonts.loaded()?),
        })
    }

    /// How many lines `text` takes in a column `width_pt` points wide in `style` (at
    /// least 1). A character the font lacks is measured as half an em.
    pub fn lines(&mut self, text: &str, style: &TextStyle, width_pt: f32) -> usize {
        match lines::layout_paragraph(&mut self.shaper, text, style, Align::Left, width_pt) {
            Ok(block) => block.lines.len().max(1),
            Err(_) => text
                .split('\n')
                .map(|l| {
                    let w = l.chars().count() as f32 * style.size_pt * 0.5;
                    ((w / width_pt.max(1.0)).ceil() as usize).max(1)
                })
                .sum(),
        }
    }

    /// Word's "single" line height of `style`, in points.
    pub fn line_height(&self, style: &TextStyle) -> f32 {
        let face = Face::of(style);
        self.shaper
            .fonts()
            .face(face)
            .metrics
            .line_height(style.size_pt)
    }
}

/// Lays out every part of `doc` with `fonts`.
pub fn layout(doc: &Document, fonts: &FontSet) -> Result<Frames, LayoutError> {
    let mut pages = Vec::new();
    layout_each(doc, fonts, &mut |page| pages.push(page))?;
    Ok(Frames { pages })
}

/// Lays out every part of `doc` with `fonts`, handing each page to `sink` in order as
/// soon as it is finished: a writer that consumes pages one by one holds a few pages'
/// glyphs at a time, not the whole document's.
pub fn layout_each(
    doc: &Document,
    fonts: &FontSet,
    sink: &mut dyn FnMut(PageFrame),
) -> Result<(), LayoutError> {
    let loaded = fonts.loaded()?;
    let mut shaper = text::Shaper::new(loaded);
    for (index, part) in doc.parts.iter().enumerate() {
        pages::layout_part(&mut shaper, index, part, sink)?;
    }
    Ok(())
}
