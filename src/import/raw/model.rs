//! The neutral model the reader fills: blocks of paragraphs and tables, cells placed on
//! the grid, each paragraph with the formatting recognition needs.
//!
//! Contract: plain data, knowing nothing of XML or of plans; [`resolve_merges`] gives a
//! vertical merge's text to every row it spans. What the fields mean is
//! [`super`]'s contract.

use crate::document::{AgencyNames, Align};
use crate::legacy::Legacy;

/// A document as blocks, in reading order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawDocument {
    /// Body blocks.
    pub blocks: Vec<Block>,
    /// The agency names the file carries as data (phuluc's own .docx does, in a custom
    /// XML part): what its joined list cells are made of. Empty for other files.
    pub agencies: AgencyNames,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Paragraph),
    /// A table.
    Table(Table),
}

/// A paragraph's text and the formatting recognition needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paragraph {
    /// Visible text, NFC; `'\n'` for a line break, `'\t'` for a tab.
    pub text: String,
    /// Every visible, non-blank run is bold.
    pub bold: bool,
    /// Every visible, non-blank run is italic.
    pub italic: bool,
    /// The paragraph style id (`w:pStyle`), when set.
    pub style: Option<String>,
    /// Some of its text was typed in an old-encoding font and converted to Unicode.
    pub converted: Option<Legacy>,
    /// Horizontal alignment (`w:jc`, direct or through the paragraph style's chain or the
    /// document defaults), when set anywhere.
    pub align: Option<Align>,
    /// Font size of the first visible, non-blank run in points (`w:sz`, half-points,
    /// resolved run → character style → paragraph style → defaults), when set.
    pub size_pt: Option<f32>,
    /// The section properties this paragraph closes (`w:sectPr` in its `w:pPr`).
    pub section: Option<SectionProps>,
}

/// Page setup of a section (`w:sectPr`), lengths in twentieths of a point (twips);
/// `None` where the file does not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SectionProps {
    /// Page width (`w:pgSz w:w`).
    pub width: Option<u32>,
    /// Page height (`w:pgSz w:h`).
    pub height: Option<u32>,
    /// `w:pgSz w:orient="landscape"`.
    pub landscape: bool,
    /// Top margin (`w:pgMar w:top`; a negative one, "do not move text", as its size).
    pub top: Option<u32>,
    /// Bottom margin.
    pub bottom: Option<u32>,
    /// Left margin (`w:left`, Strict `w:start`).
    pub left: Option<u32>,
    /// Right margin (`w:right`, Strict `w:end`).
    pub right: Option<u32>,
    /// Distance from the page edge to the header (`w:header`).
    pub header: Option<u32>,
}

impl SectionProps {
    /// Whether the page is wider than tall: the `orient` attribute, or the sizes where
    /// they say so (Word swaps `w:w` and `w:h` and sets `orient`; some writers only swap).
    pub fn is_landscape(&self) -> bool {
        match (self.width, self.height) {
            (Some(w), Some(h)) if w != h => w > h,
            _ => self.landscape,
        }
    }
}

/// A table: its grid and rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Grid column widths in twentieths of a point (`w:tblGrid`).
    pub grid: Vec<u32>,
    /// Rows, in order.
    pub rows: Vec<Row>,
    /// The page setup of the section holding the table (body-level tables only): the
    /// `w:sectPr` of the first later paragraph that has one, else the body's last.
    pub section: Option<SectionProps>,
}

/// One table row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Cells, left to right.
    pub cells: Vec<Cell>,
    /// Grid columns left empty before the first cell (`w:gridBefore`).
    pub grid_before: usize,
    /// Grid columns left empty after the last cell (`w:gridAfter`).
    pub grid_after: usize,
    /// Repeated as a header row on each page (`w:tblHeader`).
    pub header: bool,
}

/// One cell, placed on the grid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// First grid column, from 0.
    pub col: usize,
    /// Grid columns spanned (`w:gridSpan`), at least 1.
    pub span: usize,
    /// Paragraphs; for a vertical-merge continuation, those of the merge's first cell.
    pub paragraphs: Vec<Paragraph>,
    /// Tables inside the cell.
    pub tables: Vec<Table>,
    /// Vertical merge.
    pub merge: Merge,
    /// For a continuation: the row (index in the table) whose cell started the merge.
    pub merged_from: Option<usize>,
}

impl Cell {
    /// The cell's paragraphs joined with `'\n'`.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.paragraphs.iter().map(|p| p.text.as_str()).collect();
        texts.join("\n")
    }
}

/// A cell's part in a vertical merge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Merge {
    /// Not merged.
    #[default]
    None,
    /// Starts a merge (`w:vMerge w:val="restart"`).
    Restart,
    /// Continues the merge above (`w:vMerge` without value, or `continue`).
    Continue,
}

/// Gives each vertical-merge continuation the paragraphs of the cell that started the
/// merge (same grid column, in the row above, itself resolved), and the row it came from.
pub(crate) fn resolve_merges(rows: &mut [Row]) {
    for r in 1..rows.len() {
        let (above, below) = rows.split_at_mut(r);
        let prev = &above[r - 1];
        for cell in below[0]
            .cells
            .iter_mut()
            .filter(|c| c.merge == Merge::Continue)
        {
            let Some(origin) = prev
                .cells
                .iter()
                .find(|c| c.col == cell.col && c.merge != Merge::None)
            else {
                continue;
            };
            cell.paragraphs = origin.paragraphs.clone();
            cell.merged_from = Some(origin.merged_from.unwrap_or(r - 1));
        }
    }
}
