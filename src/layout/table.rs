//! Table rows: cells laid out in their columns, row heights, and fragments of rows
//! split across pages.
//!
//! Contract: [`layout_row`] sets every cell's text in its column (fixed widths from
//! `Table::columns`, spans honoured, padding subtracted) and measures the row. A row is
//! drawn whole or as [`Fragment`]s — per cell, a range of its lines — so a split row
//! loses no line and repeats none. Borders are strokes centred on the grid lines, painted
//! [`Paint::BORDER`], and, as in Word, take room: a row is `border + padding.top + lines +
//! padding.bottom` tall from grid line to grid line, its text starting `border / 2 +
//! padding.top` below the upper one.
//! A cell with change marks is set by [`layout_marked`] (the same lines); each of its lines
//! is followed in the output by the underlines and strike-throughs of its marks.

use std::ops::Range;

use super::error::LayoutError;
use super::frame::{Element, Paint, Role, RowRef, Stroke, TextRun, mm};
use super::lines::{LineBox, TextBlock, layout_marked, layout_paragraph};
use super::marks::text_marks;
use super::text::Shaper;
use crate::diag::Span;
use crate::document::{Margins, Part, Row, RowChange, Table, VAlign, VMerge};

const EPS: f32 = 1e-3;

/// A cell set in its column.
#[derive(Debug, Clone)]
pub(crate) struct CellBox {
    /// Left edge relative to the table's left edge, points.
    pub(crate) x: f32,
    /// Right edge relative to the table's left edge, points.
    right: f32,
    pub(crate) valign: VAlign,
    pub(crate) block: TextBlock,
    /// The cell continues a vertical merge from the row above: it shows no text and no
    /// line above it — unless [`RowBox::reveal`] brings its text back at a page's top.
    continued: bool,
    /// The merged text of a continued cell, kept for [`RowBox::reveal`].
    hidden: Option<TextBlock>,
    /// The row below continues this cell: no line below it.
    open_below: bool,
    /// A header cell merged down over several rows: its text is measured and centred
    /// over the whole run (see [`merge_header_runs`]), not over its own row.
    over_rows: bool,
    /// The height of the run a header cell is merged over, once known.
    run_height: Option<f32>,
    /// A continued cell whose text [`RowBox::reveal`] brought back: drawn as a
    /// repetition (an artifact), not as content of its own.
    revealed: bool,
}

/// A row set in its columns.
#[derive(Debug, Clone)]
pub(crate) struct RowBox {
    pub(crate) cells: Vec<CellBox>,
    pub(crate) keep_with_next: bool,
    /// The row's change, if any: its fragments get change bars.
    pub(crate) change: Option<RowChange>,
    /// Padding in points: top, bottom, left.
    pad: (f32, f32, f32),
    /// Border thickness: each row owns half of the line above and half of the line below.
    border: f32,
    /// The least height of the row (a header row under a merged cell taller than the rows
    /// it spans takes up the difference, as Word does).
    min_height: f32,
    /// Where the row comes from, copied onto each of its lines.
    origin: Option<Span>,
}

/// Which lines of each cell a piece of a row shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fragment {
    pub(crate) lines: Vec<Range<usize>>,
}

/// Table geometry shared by all rows, in points.
pub(crate) struct Grid {
    /// Left edge of each column and the right edge of the last, from the table's left.
    pub(crate) edges: Vec<f32>,
    pub(crate) padding: Margins,
    pub(crate) border: f32,
}

impl Grid {
    pub(crate) fn new(table: &Table) -> Grid {
        let mut edges = Vec::with_capacity(table.columns.len() + 1);
        let mut x = 0.0;
        edges.push(x);
        for w in &table.columns {
            x += mm(w.max(0.0));
            edges.push(x);
        }
        let p = table.padding;
        Grid {
            edges,
            padding: Margins {
                top: mm(p.top.max(0.0)),
                bottom: mm(p.bottom.max(0.0)),
                left: mm(p.left.max(0.0)),
                right: mm(p.right.max(0.0)),
            },
            border: table.border_pt.max(0.0),
        }
    }

    pub(crate) fn width(&self) -> f32 {
        self.edges.last().copied().unwrap_or(0.0)
    }

    fn columns(&self) -> usize {
        self.edges.len().saturating_sub(1)
    }
}

/// The header text above grid column `column`, for messages: the last header row's cell
/// covering it that has text.
pub(crate) fn column_title(table: &Table, column: usize) -> Option<String> {
    for row in table.header.iter().rev() {
        let mut start = 0;
        for cell in &row.cells {
            let span = cell.span.max(1);
            if (start..start + span).contains(&column) {
                let text = cell.text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    return Some(text);
                }
                break;
            }
            start += span;
        }
    }
    None
}

/// The grid columns each cell of `row` starts at.
fn starts(row: &Row) -> Vec<usize> {
    let mut at = 0;
    row.cells
        .iter()
        .map(|c| {
            let start = at;
            at += c.span.max(1);
            start
        })
        .collect()
}

/// Sets `row`'s cells in their columns; `next` is the row below in the same table section
/// (for vertical merges), `header` whether the row is a header row.
pub(crate) fn layout_row(
    shaper: &mut Shaper<'_>,
    part: &Part,
    grid: &Grid,
    row: &Row,
    next: Option<&Row>,
    header: bool,
) -> Result<RowBox, LayoutError> {
    let mut cells = Vec::with_capacity(row.cells.len());
    let mut column = 0usize;
    let pad = grid.padding;
    // Where the row below continues a merge: its continued cells' grid columns.
    let continued_below: Vec<usize> = next
        .map(|n| {
            starts(n)
                .into_iter()
                .zip(&n.cells)
                .filter(|(_, c)| c.vmerge == VMerge::Continue)
                .map(|(at, _)| at)
                .collect()
        })
        .unwrap_or_default();
    for cell in &row.cells {
        let span = cell.span.max(1);
        let end = column + span;
        if end > grid.columns() {
            return Err(LayoutError::RowTooWide {
                part: part.outline.clone(),
                row: row.label.clone(),
                used: row.cells.iter().map(|c| c.span.max(1)).sum(),
                columns: grid.columns(),
            });
        }
        let x = grid.edges[column];
        let width = grid.edges[end] - x;
        let inner = (width - pad.left - pad.right).max(0.0);
        let laid = if cell.marks.is_empty() {
            layout_paragraph(shaper, &cell.text, &cell.style, cell.align, inner)
        } else {
            let segments = cell.segments();
            layout_marked(
                shaper,
                &cell.text,
                &segments,
                &cell.style,
                cell.align,
                inner,
            )
        };
        let block = laid.map_err(|missing| LayoutError::MissingGlyph {
            ch: missing.0,
            part: part.outline.clone(),
            row: Some(row.label.clone()),
            column: column_title(&part.table, column).or_else(|| Some(format!("{}", column + 1))),
            origin: row.origin,
        })?;
        let continued = cell.vmerge == VMerge::Continue;
        let open_below = cell.vmerge != VMerge::None && continued_below.contains(&column);
        let (block, hidden) = if continued {
            // Measured and drawn as an empty cell; the text waits for a page's top.
            let empty =
                layout_paragraph(shaper, "", &cell.style, cell.align, inner).map_err(|_| {
                    LayoutError::NoRoom {
                        part: part.outline.clone(),
                    }
                })?;
            (empty, (!header).then_some(block))
        } else {
            (block, None)
        };
        cells.push(CellBox {
            x,
            right: x + width,
            valign: cell.valign,
            block,
            continued,
            hidden,
            open_below,
            over_rows: header && open_below && cell.vmerge == VMerge::Start,
            run_height: None,
            revealed: false,
        });
        column = end;
    }
    Ok(RowBox {
        cells,
        keep_with_next: row.keep_with_next,
        change: row.change,
        pad: (pad.top, pad.bottom, pad.left),
        border: grid.border,
        min_height: 0.0,
        origin: row.origin,
    })
}

/// Header cells merged down over several header rows (a column without sub-headers under
/// a two-level header): each is left out of its own row's height, the last row of its run
/// grows by what the text needs beyond the run's rows (Word's rule), and the text is
/// centred over the run.
pub(crate) fn merge_header_runs(rows: &mut [RowBox]) {
    for r in 0..rows.len() {
        for c in 0..rows[r].cells.len() {
            if !rows[r].cells[c].over_rows {
                continue;
            }
            let x = rows[r].cells[c].x;
            // The run: this row and every row below whose cell at x continues it.
            let mut end = r + 1;
            while let Some(row) = rows.get(end) {
                let continues = row
                    .cells
                    .iter()
                    .any(|k| k.continued && (k.x - x).abs() < EPS);
                if !continues {
                    break;
                }
                end += 1;
            }
            let (top, bottom, _) = rows[r].pad;
            let border = rows[r].border;
            let cell = &rows[r].cells[c];
            let need =
                top + bottom + border + cell.block.lines.len() as f32 * cell.block.line_height;
            let have: f32 = rows[r..end]
                .iter()
                .map(|row| row.height(&row.whole()))
                .sum();
            if need > have + EPS
                && let Some(last) = rows.get_mut(end - 1)
            {
                let h = last.height(&last.whole());
                last.min_height = h + (need - have);
            }
            let run: f32 = rows[r..end]
                .iter()
                .map(|row| row.height(&row.whole()))
                .sum();
            rows[r].cells[c].run_height = Some(run);
        }
    }
}

/// The height of one line of each of `row`'s cells, from grid line to grid line: what
/// [`RowBox::height`] gives for [`RowBox::force_one`] of the whole row, without setting
/// its text (every laid-out cell has at least one line, possibly empty, and a cell's line
/// height depends only on its face and size).
pub(crate) fn one_line_height(shaper: &Shaper<'_>, grid: &Grid, row: &Row) -> f32 {
    let pad = grid.padding;
    let (top, bottom) = (pad.top + grid.border / 2.0, pad.bottom + grid.border / 2.0);
    let fonts = shaper.fonts();
    row.cells
        .iter()
        .map(|c| {
            let face = crate::fonts::Face::of(&c.style);
            top + fonts.face(face).metrics.line_height(c.style.size_pt) + bottom
        })
        .fold(top + bottom, f32::max)
}

impl RowBox {
    /// The whole row as one fragment.
    pub(crate) fn whole(&self) -> Fragment {
        Fragment {
            lines: self.cells.iter().map(|c| 0..c.block.lines.len()).collect(),
        }
    }

    /// What remains after the lines already shown (`shown[i]` lines of cell i).
    pub(crate) fn rest(&self, shown: &[usize]) -> Fragment {
        Fragment {
            lines: self
                .cells
                .iter()
                .zip(shown)
                .map(|(c, &s)| s.min(c.block.lines.len())..c.block.lines.len())
                .collect(),
        }
    }

    /// Height of a fragment from grid line to grid line: its tallest cell, padding and one
    /// border thickness included (Word gives every row the room of its borders).
    pub(crate) fn height(&self, fragment: &Fragment) -> f32 {
        let (top, bottom) = self.pads();
        self.cells
            .iter()
            .zip(&fragment.lines)
            .filter(|(c, _)| !c.over_rows)
            .map(|(c, r)| top + r.len() as f32 * c.block.line_height + bottom)
            .fold(top + bottom, f32::max)
            .max(self.min_height)
    }

    /// Padding plus half a border above and below.
    fn pads(&self) -> (f32, f32) {
        let (top, bottom, _) = self.pad;
        (top + self.border / 2.0, bottom + self.border / 2.0)
    }

    /// Where a merge continues into this row at the top of a page, shows the merged text
    /// again (a reader of that page needs it) and closes the cell's line above. A row
    /// without continued cells is left as it is.
    pub(crate) fn reveal(&mut self) {
        for cell in &mut self.cells {
            if let Some(block) = cell.hidden.take() {
                cell.block = block;
                cell.continued = false;
                cell.revealed = true;
            }
        }
    }

    /// Whether some cell of the row leaves its line below open (a merge goes on).
    pub(crate) fn open_below(&self) -> bool {
        self.cells.iter().any(|c| c.open_below)
    }

    /// The longest head of `rest` that fits in `room`, cut between lines. May show no line
    /// at all; [`RowBox::force_one`] guarantees progress on an empty page.
    pub(crate) fn take(&self, rest: &Fragment, room: f32) -> Fragment {
        let (top, bottom, _) = self.pad;
        let avail = room - top - bottom - self.border;
        Fragment {
            lines: self
                .cells
                .iter()
                .zip(&rest.lines)
                .map(|(c, r)| {
                    let lh = c.block.line_height.max(EPS);
                    let fit = if avail < 0.0 {
                        0
                    } else {
                        ((avail + EPS) / lh).floor() as usize
                    };
                    r.start..r.start + fit.min(r.len())
                })
                .collect(),
        }
    }

    /// One line of every unfinished cell: the least a page must take of a row.
    pub(crate) fn force_one(&self, rest: &Fragment) -> Fragment {
        Fragment {
            lines: rest
                .lines
                .iter()
                .map(|r| r.start..r.start + r.len().min(1))
                .collect(),
        }
    }

    /// Draws `fragment` with its top at `top` and left at `left`.
    /// Draws `fragment` with its top at `top` and left at `left`, copying the lines (header
    /// rows are drawn on every page). Returns the fragment's height.
    pub(crate) fn draw(
        &self,
        fragment: &Fragment,
        left: f32,
        top: f32,
        grid: &Grid,
        role: impl Fn(usize) -> Role,
        out: &mut Vec<Element>,
    ) -> f32 {
        let (height, places) = self.place(fragment, left, top, grid, out);
        for p in places {
            let block = &self.cells[p.cell].block;
            let Some(line) = block.lines.get(p.line) else {
                continue;
            };
            self.push_line(p, self.role(p.cell, &role), line.clone(), out);
        }
        height
    }

    /// Like [`RowBox::draw`], but moves the lines' text and glyphs into the output: body
    /// rows are drawn once, so copying them would be waste.
    pub(crate) fn draw_once(
        &mut self,
        fragment: &Fragment,
        left: f32,
        top: f32,
        grid: &Grid,
        role: impl Fn(usize) -> Role,
        out: &mut Vec<Element>,
    ) -> f32 {
        let (height, places) = self.place(fragment, left, top, grid, out);
        for p in places {
            let Some(line) = self
                .cells
                .get_mut(p.cell)
                .and_then(|c| c.block.lines.get_mut(p.line))
            else {
                continue;
            };
            let line = LineBox {
                text: std::mem::take(&mut line.text),
                glyphs: std::mem::take(&mut line.glyphs),
                marks: std::mem::take(&mut line.marks),
                ..*line
            };
            let role = self.role(p.cell, &role);
            self.push_line(p, role, line, out);
        }
        height
    }

    /// The role of cell `cell`'s lines: `role`'s, but a repetition for revealed text.
    fn role(&self, cell: usize, role: &impl Fn(usize) -> Role) -> Role {
        if self.cells.get(cell).is_some_and(|c| c.revealed) {
            Role::RepeatedText
        } else {
            role(cell)
        }
    }

    /// Pushes one line as a text run, then its change marks (if any).
    fn push_line(&self, p: Place, role: Role, line: LineBox, out: &mut Vec<Element>) {
        let block = &self.cells[p.cell].block;
        let size = block.size_pt;
        let marks = if line.marks.is_empty() {
            None
        } else {
            let mut marks = Vec::new();
            text_marks(
                &line.text,
                &line.glyphs,
                &line.marks,
                (p.x, p.baseline),
                size,
                &mut marks,
            );
            Some(marks)
        };
        out.push(Element::Text(TextRun {
            role,
            face: block.face,
            size,
            x: p.x,
            baseline: p.baseline,
            text: line.text,
            glyphs: line.glyphs,
            origin: self.origin,
        }));
        out.extend(marks.into_iter().flatten());
    }

    /// Positions every line of `fragment` and pushes the fragment's borders.
    fn place(
        &self,
        fragment: &Fragment,
        left: f32,
        top: f32,
        grid: &Grid,
        out: &mut Vec<Element>,
    ) -> (f32, Vec<Place>) {
        let height = self.height(fragment);
        let (_, _, pad_left) = self.pad;
        let (pad_top, pad_bottom) = self.pads();
        let mut places = Vec::new();
        for (i, (cell, range)) in self.cells.iter().zip(&fragment.lines).enumerate() {
            let lh = cell.block.line_height;
            let content = range.len() as f32 * lh;
            let mut y = top + pad_top;
            if cell.valign == VAlign::Center {
                let over = cell.run_height.unwrap_or(height);
                y += ((over - pad_top - pad_bottom - content) / 2.0).max(0.0);
            }
            for j in range.clone() {
                let Some(line) = cell.block.lines.get(j) else {
                    continue;
                };
                places.push(Place {
                    cell: i,
                    line: j,
                    x: left + cell.x + pad_left + line.x,
                    baseline: y + cell.block.ascent,
                });
                y += lh;
            }
        }
        if grid.border > 0.0 {
            let right = left + grid.width();
            let bottom = top + height;
            let w = grid.border;
            let merged = self.cells.iter().any(|c| c.continued || c.open_below);
            for (y, above) in [(top, true), (bottom, false)] {
                if !merged {
                    out.push(Element::Stroke(Stroke {
                        x1: left,
                        y1: y,
                        x2: right,
                        y2: y,
                        width: w,
                        paint: Paint::BORDER,
                    }));
                    continue;
                }
                // Across a merged cell the line between its rows stays open.
                for cell in &self.cells {
                    let open = if above {
                        cell.continued
                    } else {
                        cell.open_below
                    };
                    if !open {
                        out.push(Element::Stroke(Stroke {
                            x1: left + cell.x,
                            y1: y,
                            x2: left + cell.right,
                            y2: y,
                            width: w,
                            paint: Paint::BORDER,
                        }));
                    }
                }
            }
            let mut xs: Vec<f32> = self.cells.iter().map(|c| left + c.x).collect();
            xs.push(right);
            if xs.first().is_none_or(|&x| x > left + EPS) {
                xs.insert(0, left);
            }
            for x in xs {
                out.push(Element::Stroke(Stroke {
                    x1: x,
                    y1: top,
                    x2: x,
                    y2: bottom,
                    width: w,
                    paint: Paint::BORDER,
                }));
            }
        }
        (height, places)
    }
}

/// Where one line of a cell goes.
#[derive(Debug, Clone, Copy)]
struct Place {
    cell: usize,
    line: usize,
    x: f32,
    baseline: f32,
}

/// Role of cell `cell` in row `row`, drawn for the first time or repeated.
pub(crate) fn cell_role(row: RowRef, repeated: bool) -> impl Fn(usize) -> Role {
    move |cell| match (row, repeated) {
        (RowRef::Header(r), true) => Role::RepeatedHeader { row: r, cell },
        _ => Role::Cell { row, cell },
    }
}

#[cfg(test)]
mod tests {
    use super::{Grid, layout_row, one_line_height};
    use crate::fonts::FontSet;
    use crate::layout::sample;
    use crate::layout::text::Shaper;

    #[test]
    fn one_line_height_is_the_height_of_a_rows_first_lines() {
        // Pagination decides whether header rows repeat from this, before any body row is
        // set: it must equal what setting the row would give.
        let fonts = FontSet::builtin();
        let loaded = fonts.loaded().expect("fonts");
        let mut shaper = Shaper::new(loaded);
        let mut doc = sample::document();
        // Bold, italic and larger cells too: the line height follows face and size.
        if let Some(cell) = doc.parts[0].table.body[3].cells.get_mut(1) {
            cell.style.bold = true;
            cell.style.size_pt = 16.0;
        }
        if let Some(cell) = doc.parts[0].table.body[4].cells.get_mut(0) {
            cell.style.italic = true;
            cell.text.clear();
        }
        for part in &doc.parts {
            let grid = Grid::new(&part.table);
            for row in part.table.header.iter().chain(&part.table.body) {
                let set = layout_row(&mut shaper, part, &grid, row, None, false).expect("layout");
                let expected = set.height(&set.force_one(&set.whole()));
                let got = one_line_height(&shaper, &grid, row);
                assert!(
                    (got - expected).abs() < 1e-4,
                    "{}: {got} ≠ {expected}",
                    row.label
                );
            }
        }
    }
}
