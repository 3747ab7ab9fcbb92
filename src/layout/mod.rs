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
mod error;
mod frame;
pub use coverage::missing_glyphs;
mod lines;
mod marks;
mod pages;
mod paint;
pub use error::LayoutError;
pub(crate) use error::no_appendix_to_print;
pub use frame::{
    Colour, Element, Frames, Glyph, LineCap, PT_PER_MM, PageFrame, Paint, Redline, RedlineKind,
    Role, RowRef, Stroke, TextRun, mm,
};
pub use paint::{Lines, Marks};
mod table;
mod text;

#[cfg(test)]
pub(crate) mod sample;

use crate::document::{Align, Document, TextStyle};
use crate::fonts::{Face, FontSet};

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
