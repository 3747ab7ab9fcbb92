//! What layout produces: page frames in points — glyph runs with their role and origin,
//! straight strokes with their [`Paint`], change marks — and the paint values themselves.
//!
//! Contract: plain data, a leaf of `src/layout/` (every room of layout and every writer of
//! frames reads it; it reads none of them). Which paint a stroke gets is decided in
//! `paint.rs`, how the frames are made in the other rooms.

use std::ops::Range;

use crate::diag::Span;
use crate::fonts::Face;

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

/// A colour as the writers paint it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Colour {
    /// A level of grey, 0 black to 255 white: ink alone, no colour space to manage.
    Grey(u8),
    /// An sRGB colour, 8 bits a channel.
    Rgb(u8, u8, u8),
}

impl Colour {
    /// The colour's sRGB channels (a grey is the same level in each).
    pub fn rgb(self) -> (u8, u8, u8) {
        match self {
            Colour::Grey(level) => (level, level, level),
            Colour::Rgb(r, g, b) => (r, g, b),
        }
    }
}

/// How a stroke ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineCap {
    /// Exactly at its end points.
    Butt,
    /// Half the width beyond each end point, squared off.
    Square,
}

/// How one stroke is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paint {
    /// The colour.
    pub colour: Colour,
    /// The ends.
    pub cap: LineCap,
}
