//! Pagination of one part: heading block, rule, table with repeating header rows, page
//! numbers.
//!
//! Contract: a part starts on a new page. Header rows are drawn at the top of the table on
//! every page (the first time as content, later as repetitions), always together with at
//! least the start of a body row so they are never alone at a page's foot. A body row that
//! fits the room left is drawn whole; one that does not but would fit on a fresh page moves
//! there; one taller than a fresh page is split between lines, filling the room left and
//! continuing below the repeated header on the next pages. A row marked `keep_with_next`
//! is never the last row on a page (unless the chain of such rows cannot fit on one page at
//! all). Every loop iteration either draws at least one line or starts a new page from a
//! page holding something, so pagination always ends. Every fragment of a body row with a
//! change gets a change bar beside it, so a row split over pages is barred on each. The
//! rule is painted like the borders, [`Paint::BORDER`].

use super::lines::{layout_marked, layout_paragraph};
use super::marks::{change_bar, text_marks};
use std::collections::VecDeque;

use super::error::LayoutError;
use super::frame::{Element, PageFrame, Paint, Role, RowRef, Stroke, TextRun, mm};
use super::table::{
    Fragment, Grid, RowBox, cell_role, layout_row, merge_header_runs, one_line_height,
};
use super::text::Shaper;
use crate::document::{Align, Part, TextStyle};

const EPS: f32 = 1e-3;

/// Font size of the empty paragraph between the heading block and the table.
const SEPARATOR_FONT_PT: f32 = 1.0;

/// Gap between that paragraph's line and the rule drawn as its bottom border.
const RULE_SPACING_PT: f32 = 1.0;

struct Pager {
    part_index: usize,
    width: f32,
    height: f32,
    left: f32,
    top: f32,
    bottom: f32,
    /// Finished pages not yet handed on.
    ready: Vec<PageFrame>,
    /// The page being filled.
    current: PageFrame,
    /// Current pen position (top of the next thing drawn).
    y: f32,
    /// Whether the current page holds anything besides repeated header rows.
    has_content: bool,
    /// Whether the header rows are on the current page.
    header_here: bool,
    /// Whether the table has started on the current page (its top border's upper half is
    /// then already accounted for).
    table_here: bool,
    /// Whether the header rows have been drawn once (later draws are repetitions).
    header_drawn: bool,
    /// Whether a body row has been drawn on the current page.
    body_here: bool,
    /// The line to draw under the table if the page ends here: set when the last row
    /// drawn leaves its line below open for a merge that goes on (on the next page).
    close: Option<Stroke>,
}

impl Pager {
    /// The page after the current one, empty.
    fn blank(&self) -> PageFrame {
        PageFrame {
            part: self.part_index,
            index_in_part: self.current.index_in_part + 1,
            width: self.width,
            height: self.height,
            elements: Vec::new(),
        }
    }

    fn new_page(&mut self) {
        if let Some(line) = self.close.take() {
            self.out().push(Element::Stroke(line));
        }
        self.finish();
        self.y = self.top;
        self.has_content = false;
        self.header_here = false;
        self.table_here = false;
        self.body_here = false;
    }

    fn out(&mut self) -> &mut Vec<Element> {
        &mut self.current.elements
    }

    /// Finishes the current page (at the end of the part, its last one) and starts a
    /// blank one after it.
    fn finish(&mut self) {
        let next = self.blank();
        self.ready.push(std::mem::replace(&mut self.current, next));
    }

    /// Hands the finished pages on, each with its page number.
    fn flush(
        &mut self,
        numbers: &PageNumbers<'_>,
        shaper: &mut Shaper<'_>,
        sink: &mut dyn FnMut(PageFrame),
    ) -> Result<(), LayoutError> {
        for mut page in self.ready.drain(..) {
            numbers.add(shaper, &mut page)?;
            sink(page);
        }
        Ok(())
    }
}

/// Lays out `part` (the `part_index`-th of the document), handing each page to `sink`
/// as soon as it is finished, so a long table is never held in memory whole.
pub(crate) fn layout_part(
    shaper: &mut Shaper<'_>,
    part_index: usize,
    part: &Part,
    sink: &mut dyn FnMut(PageFrame),
) -> Result<(), LayoutError> {
    let page = &part.page;
    let (width, height) = (mm(page.width_mm), mm(page.height_mm));
    let m = page.margins;
    let (left, top) = (mm(m.left), mm(m.top));
    let bottom = height - mm(m.bottom);
    let text_width = width - left - mm(m.right);
    if !(width > 0.0 && height > 0.0 && text_width > 0.0 && bottom - top > 1.0) {
        return Err(LayoutError::NoRoom {
            part: part.outline.clone(),
        });
    }
    let mut pager = Pager {
        part_index,
        width,
        height,
        left,
        top,
        bottom,
        ready: Vec::new(),
        current: PageFrame {
            part: part_index,
            index_in_part: 0,
            width,
            height,
            elements: Vec::new(),
        },
        y: top,
        has_content: false,
        header_here: false,
        table_here: false,
        header_drawn: false,
        body_here: false,
        close: None,
    };
    let numbers = PageNumbers {
        part,
        text_width,
        left,
    };

    heading_block(shaper, part, text_width, &mut pager)?;
    table(shaper, part, &mut pager, &numbers, sink)?;
    pager.finish();
    pager.flush(&numbers, shaper, sink)
}

fn heading_block(
    shaper: &mut Shaper<'_>,
    part: &Part,
    text_width: f32,
    pager: &mut Pager,
) -> Result<(), LayoutError> {
    let mut pending_after = 0.0f32;
    for (index, paragraph) in part.heading.iter().enumerate() {
        let laid = if paragraph.marks.is_empty() {
            layout_paragraph(
                shaper,
                &paragraph.text,
                &paragraph.style,
                paragraph.align,
                text_width,
            )
        } else {
            layout_marked(
                shaper,
                &paragraph.text,
                &paragraph.segments(),
                &paragraph.style,
                paragraph.align,
                text_width,
            )
        };
        let block = laid.map_err(|missing| LayoutError::MissingGlyph {
            ch: missing.0,
            part: part.outline.clone(),
            row: None,
            column: None,
            origin: part.origin,
        })?;
        for line in &block.lines {
            if pager.y + block.line_height > pager.bottom + EPS && pager.has_content {
                pager.new_page();
            }
            let (x, baseline) = (pager.left + line.x, pager.y + block.ascent);
            let run = TextRun {
                role: Role::Heading(index),
                face: block.face,
                size: block.size_pt,
                x,
                baseline,
                text: line.text.clone(),
                glyphs: line.glyphs.clone(),
                origin: part.origin,
            };
            pager.out().push(Element::Text(run));
            if !line.marks.is_empty() {
                let mut marks = Vec::new();
                text_marks(
                    &line.text,
                    &line.glyphs,
                    &line.marks,
                    (x, baseline),
                    block.size_pt,
                    &mut marks,
                );
                pager.out().extend(marks);
            }
            pager.y += block.line_height;
            pager.has_content = true;
        }
        // Held back: Word puts the larger of one paragraph's space after and the next one's
        // space before between them, not their sum.
        pending_after = paragraph.space_after_pt.max(0.0);
        pager.y += pending_after;
    }
    pager.y -= pending_after;
    // The separator between heading block and table is what the .docx writer emits: an
    // empty paragraph in a 1 pt font (one single-spaced line), carrying the rule as its bottom
    // border 1 pt below the line, then `space_before_table_pt`.
    let separator = shaper
        .fonts()
        .face(crate::fonts::Face::Regular)
        .metrics
        .line_height(SEPARATOR_FONT_PT);
    match part.rule {
        Some(rule) => {
            pager.y += pending_after.max(rule.space_before_pt) + separator + RULE_SPACING_PT;
            let w = mm(rule.width_mm.max(0.0)).min(text_width);
            let t = rule.thickness_pt.max(0.0);
            if t > 0.0 && w > 0.0 {
                let x1 = pager.left + (text_width - w) / 2.0;
                let y = pager.y + t / 2.0;
                pager.out().push(Element::Stroke(Stroke {
                    x1,
                    y1: y,
                    x2: x1 + w,
                    y2: y,
                    width: t,
                    paint: Paint::BORDER,
                }));
                pager.has_content = true;
            }
            pager.y += t;
        }
        None => pager.y += pending_after + separator,
    }
    pager.y += part.space_before_table_pt.max(0.0);
    Ok(())
}

/// Whether a page is worth leaving: moving on from an empty page gains nothing.
fn can_move(pager: &Pager) -> bool {
    pager.has_content
}

fn table(
    shaper: &mut Shaper<'_>,
    part: &Part,
    pager: &mut Pager,
    numbers: &PageNumbers<'_>,
    sink: &mut dyn FnMut(PageFrame),
) -> Result<(), LayoutError> {
    let table = &part.table;
    let grid = Grid::new(table);
    let mut header: Vec<RowBox> = table
        .header
        .iter()
        .enumerate()
        .map(|(i, r)| layout_row(shaper, part, &grid, r, table.header.get(i + 1), true))
        .collect::<Result<_, _>>()?;
    merge_header_runs(&mut header);
    let header_height: f32 = header.iter().map(|r| r.height(&r.whole())).sum();
    // A page's room for rows: between the margins, less the outer halves of the first and
    // last grid lines.
    let full_page = pager.bottom - pager.top - grid.border;
    // Repeating header rows that leave no room for a body line would never end.
    let min_body_line = table
        .body
        .iter()
        .map(|r| one_line_height(shaper, &grid, r))
        .fold(0.0, f32::max);
    let repeat = !header.is_empty() && header_height + min_body_line <= full_page + EPS;
    let fresh_room = if repeat {
        full_page - header_height
    } else {
        full_page
    };

    let ctx = TableCtx {
        grid: &grid,
        header: &header,
        header_height: if repeat { header_height } else { 0.0 },
        fresh_room,
    };

    // Without repetition, header rows flow like body rows (drawn once).
    let mut order: Vec<RowRef> = Vec::new();
    if !repeat {
        order.extend((0..header.len()).map(RowRef::Header));
    }
    order.extend((0..table.body.len()).map(RowRef::Body));

    if order.is_empty() {
        if repeat {
            if pager.y + header_height > pager.bottom + EPS && can_move(pager) {
                pager.new_page();
            }
            ctx.draw_header(pager);
        }
        return Ok(());
    }

    // Rows are set when pagination reaches them and dropped once drawn; `window` holds
    // the row being placed and the rows after it that keeping with the next may need.
    let set = |shaper: &mut Shaper<'_>, row_ref: RowRef| -> Result<RowBox, LayoutError> {
        match row_ref {
            RowRef::Header(i) => Ok(header[i].clone()),
            RowRef::Body(i) => layout_row(
                shaper,
                part,
                &grid,
                &table.body[i],
                table.body.get(i + 1),
                false,
            ),
        }
    };
    let mut window: VecDeque<(RowRef, RowBox)> = VecDeque::new();
    let mut upcoming = order.into_iter();
    loop {
        // The next row and, after a kept row, its chain: the kept rows after it and the
        // first ordinary one.
        while window.back().is_none_or(|(_, r)| r.keep_with_next) {
            let Some(r) = upcoming.next() else {
                break;
            };
            window.push_back((r, set(shaper, r)?));
        }
        let Some((row_ref, mut row)) = window.pop_front() else {
            break;
        };
        let next = window.make_contiguous();
        place_row(&ctx, pager, row_ref, &mut row, next);
        pager.flush(numbers, shaper, sink)?;
    }
    Ok(())
}

/// Places one row from the pen on: whole where it fits, moved to a fresh page where that
/// helps, split between lines where it must.
fn place_row(
    ctx: &TableCtx<'_>,
    pager: &mut Pager,
    row_ref: RowRef,
    row: &mut RowBox,
    next: &[(RowRef, RowBox)],
) {
    let mut shown = vec![0usize; row.cells.len()];
    let mut started = false;
    loop {
        // A merge that goes on at the top of a page shows its text again there.
        if !started && !pager.body_here && matches!(row_ref, RowRef::Body(_)) {
            row.reveal();
        }
        let rest = row.rest(&shown);
        let rest_height = row.height(&rest);
        let room = ctx.room(pager);
        if rest_height <= room + EPS {
            if !started
                && row.keep_with_next
                && can_move(pager)
                && !ctx.chain_fits(next, room - rest_height)
            {
                pager.new_page();
                continue;
            }
            ctx.draw_fragment(pager, row_ref, row, &rest);
            break;
        }
        if !started && rest_height <= ctx.fresh_room + EPS && can_move(pager) {
            pager.new_page();
            continue;
        }
        let mut piece = row.take(&rest, room);
        if piece.lines.iter().all(|r| r.is_empty()) {
            if can_move(pager) {
                pager.new_page();
                continue;
            }
            piece = row.force_one(&rest);
        }
        ctx.draw_fragment(pager, row_ref, row, &piece);
        for (s, r) in shown.iter_mut().zip(&piece.lines) {
            *s = r.end;
        }
        started = true;
        if row.rest(&shown).lines.iter().all(|r| r.is_empty()) {
            break;
        }
        pager.new_page();
    }
}

struct TableCtx<'a> {
    grid: &'a Grid,
    header: &'a [RowBox],
    /// Height of the repeated header rows (0 when they do not repeat).
    header_height: f32,
    /// Room for body rows on a page that holds only the header rows.
    fresh_room: f32,
}

impl TableCtx<'_> {
    /// Room left for body rows, keeping space for the header rows if they still have to be
    /// drawn on this page.
    fn room(&self, pager: &Pager) -> f32 {
        let pending = if pager.header_here {
            0.0
        } else {
            self.header_height
        };
        // The upper half of the table's top line above the first row on a page, the lower
        // half of the last row's bottom line below it.
        let top_half = if pager.table_here {
            0.0
        } else {
            self.grid.border / 2.0
        };
        pager.bottom - pager.y - pending - top_half - self.grid.border / 2.0
    }

    /// Starts the table on the current page: the first grid line sits half a border below
    /// the pen, so the line's upper half stays inside the space above.
    fn start_here(&self, pager: &mut Pager) {
        if !pager.table_here {
            pager.y += self.grid.border / 2.0;
            pager.table_here = true;
        }
    }

    fn draw_header(&self, pager: &mut Pager) {
        self.start_here(pager);
        let repeated = pager.header_drawn;
        let left = pager.left;
        for (i, row) in self.header.iter().enumerate() {
            let top = pager.y;
            let role = cell_role(RowRef::Header(i), repeated);
            let h = row.draw(&row.whole(), left, top, self.grid, role, pager.out());
            pager.y += h;
        }
        pager.header_here = true;
        pager.header_drawn = true;
    }

    /// Draws a fragment of a body row; its lines move into the page (drawn only once).
    fn draw_fragment(
        &self,
        pager: &mut Pager,
        row_ref: RowRef,
        row: &mut RowBox,
        piece: &Fragment,
    ) {
        if !pager.header_here && self.header_height > 0.0 {
            self.draw_header(pager);
        }
        self.start_here(pager);
        let (left, top) = (pager.left, pager.y);
        let h = row.draw_once(
            piece,
            left,
            top,
            self.grid,
            cell_role(row_ref, false),
            pager.out(),
        );
        if row.change.is_some() {
            pager.out().push(change_bar(left, top, top + h));
        }
        pager.y += h;
        pager.has_content = true;
        pager.body_here = true;
        pager.close = (row.open_below() && self.grid.border > 0.0).then(|| Stroke {
            x1: left,
            y1: pager.y,
            x2: left + self.grid.width(),
            y2: pager.y,
            width: self.grid.border,
            paint: Paint::BORDER,
        });
    }

    /// Whether, after a `keep_with_next` row, the rows that must follow it on the same
    /// page (further `keep_with_next` rows, then the start of one ordinary row) fit in
    /// `room`.
    fn chain_fits(&self, next: &[(RowRef, RowBox)], room: f32) -> bool {
        let Some((_, row)) = next.first() else {
            return true;
        };
        let whole = row.whole();
        let h = row.height(&whole);
        if row.keep_with_next {
            return h <= room + EPS && self.chain_fits(&next[1..], room - h);
        }
        if h <= room + EPS {
            return true;
        }
        // A row that would move to the next page leaves the kept row last; one too tall
        // for any page is split and starts here if a line of it fits.
        h > self.fresh_room + EPS && row.take(&whole, room).lines.iter().any(|r| !r.is_empty())
    }
}

/// The page number each page of one part gets, if any.
struct PageNumbers<'p> {
    part: &'p Part,
    text_width: f32,
    left: f32,
}

impl PageNumbers<'_> {
    /// Adds `page`'s number in the top margin, centred (none on a part's first page
    /// unless the part says so).
    fn add(&self, shaper: &mut Shaper<'_>, page: &mut PageFrame) -> Result<(), LayoutError> {
        let part = self.part;
        let numbers = part.page_numbers;
        if !numbers.enabled || (page.index_in_part == 0 && !numbers.show_on_first) {
            return Ok(());
        }
        let style = TextStyle {
            size_pt: numbers.size_pt,
            bold: false,
            italic: false,
        };
        let header_top = mm(part.page.header_mm.max(0.0));
        let number = u64::from(numbers.start) + page.index_in_part as u64;
        let block = layout_paragraph(
            shaper,
            &number.to_string(),
            &style,
            Align::Center,
            self.text_width,
        )
        .map_err(|missing| LayoutError::MissingGlyph {
            ch: missing.0,
            part: part.outline.clone(),
            row: None,
            column: None,
            origin: None,
        })?;
        if let Some(line) = block.lines.first() {
            page.elements.push(Element::Text(TextRun {
                role: Role::PageNumber,
                face: block.face,
                size: block.size_pt,
                x: self.left + line.x,
                baseline: header_top + block.ascent,
                text: line.text.clone(),
                glyphs: line.glyphs.clone(),
                origin: None,
            }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
