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
//! change gets a change bar beside it, so a row split over pages is barred on each.

use super::lines::{layout_marked, layout_paragraph};
use super::marks::{change_bar, text_marks};
use std::collections::VecDeque;

use super::table::{
    Fragment, Grid, RowBox, cell_role, layout_row, merge_header_runs, one_line_height,
};
use super::text::Shaper;
use super::{Element, LayoutError, PageFrame, Role, RowRef, Stroke, TextRun, mm};
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
mod tests {
    use crate::document::{Document, RowKind};
    use crate::fonts::FontSet;
    use crate::layout::sample;
    use crate::layout::{
        Element, Frames, PageFrame, Redline, RedlineKind, Role, RowRef, TextRun, layout,
    };

    fn runs(page: &PageFrame) -> impl Iterator<Item = &TextRun> {
        page.elements.iter().filter_map(|e| match e {
            Element::Text(t) => Some(t),
            Element::Stroke(_) | Element::Redline(_) => None,
        })
    }

    fn frames(doc: &Document) -> Frames {
        layout(doc, &FontSet::builtin()).expect("layout")
    }

    /// Text of one cell, gathered over all pages in order.
    fn cell_text(frames: &Frames, part: usize, row: RowRef, cell: usize) -> (String, usize) {
        let mut text = String::new();
        let mut pages = 0;
        for page in frames.pages.iter().filter(|p| p.part == part) {
            let mut here = false;
            for run in runs(page) {
                if run.role == (Role::Cell { row, cell }) {
                    text.push_str(&run.text);
                    text.push(' ');
                    here = true;
                }
            }
            pages += usize::from(here);
        }
        (text, pages)
    }

    #[test]
    fn pages_are_handed_on_finished_in_order() {
        let doc = sample::document();
        let mut streamed = Vec::new();
        crate::layout::layout_each(&doc, &FontSet::builtin(), &mut |p| streamed.push(p))
            .expect("layout");
        assert!(streamed.len() > 4, "the sample spans several pages");
        // In order, numbered from 0 within each part.
        assert_eq!((streamed[0].part, streamed[0].index_in_part), (0, 0));
        for pair in streamed.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(
                (b.part == a.part && b.index_in_part == a.index_in_part + 1)
                    || (b.part == a.part + 1 && b.index_in_part == 0),
                "{}/{} then {}/{}",
                a.part,
                a.index_in_part,
                b.part,
                b.index_in_part
            );
        }
        // Finished when handed on: the page number is already there (none on a part's
        // first page), and nothing is added to a page afterwards.
        for page in &streamed {
            let numbered = runs(page).any(|r| r.role == Role::PageNumber);
            assert_eq!(
                numbered,
                page.index_in_part > 0,
                "page {}",
                page.index_in_part
            );
        }
    }

    #[test]
    fn parts_start_on_new_pages_and_everything_stays_inside_the_margins() {
        let doc = sample::document();
        let frames = frames(&doc);
        assert_eq!(frames.pages[0].part, 0);
        let second = frames.first_page_of(1).expect("part II has pages");
        assert!(second > 1);
        assert_eq!(frames.pages[second].index_in_part, 0);
        for page in &frames.pages {
            let part = &doc.parts[page.part];
            let bottom = page.height - crate::layout::mm(part.page.margins.bottom);
            for run in runs(page).filter(|r| r.role != Role::PageNumber) {
                let descent = run.size * 443.0 / 2048.0;
                assert!(
                    run.baseline + descent <= bottom + 0.01,
                    "{run:?} below {bottom}"
                );
                let right = page.width - crate::layout::mm(part.page.margins.right);
                let end = run.x + run.glyphs.iter().map(|g| g.advance).sum::<f32>();
                let trailing: f32 = run.text.len() as f32 - run.text.trim_end().len() as f32;
                assert!(
                    end <= right + 0.01 + trailing * run.size,
                    "{run:?} past {right}"
                );
            }
        }
    }

    #[test]
    fn a_row_split_across_pages_loses_no_word() {
        let doc = sample::document();
        let frames = frames(&doc);
        let body = &doc.parts[0].table.body;
        for (r, row) in body.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let (text, _) = cell_text(&frames, 0, RowRef::Body(r), c);
                let want: String = cell.text.split_whitespace().collect();
                let got: String = text.split_whitespace().collect();
                assert_eq!(got, want, "row {r} cell {c}");
            }
        }
        // The long cell really is split: it shows on at least two pages.
        let long = body.iter().position(|r| r.label == "mục 8").expect("row");
        let (_, pages) = cell_text(&frames, 0, RowRef::Body(long), 1);
        assert!(pages >= 2, "long cell on {pages} pages");
    }

    #[test]
    fn header_rows_repeat_as_artifacts_on_later_pages() {
        let doc = sample::document();
        let frames = frames(&doc);
        let mut first = 0;
        let mut repeated = 0;
        for page in frames.pages.iter().filter(|p| p.part == 0) {
            let roles: Vec<Role> = runs(page).map(|r| r.role).collect();
            let has_body = roles.iter().any(|r| {
                matches!(
                    r,
                    Role::Cell {
                        row: RowRef::Body(_),
                        ..
                    }
                )
            });
            let header_first = roles.contains(&Role::Cell {
                row: RowRef::Header(0),
                cell: 0,
            });
            let header_again = roles.contains(&Role::RepeatedHeader { row: 0, cell: 0 });
            if has_body {
                assert!(header_first || header_again, "header on every table page");
            }
            first += usize::from(header_first);
            repeated += usize::from(header_again);
        }
        assert_eq!(first, 1);
        assert!(repeated >= 1);
    }

    #[test]
    fn page_numbers_restart_per_part_and_skip_the_first_page() {
        let doc = sample::document();
        let frames = frames(&doc);
        for page in &frames.pages {
            let numbers: Vec<&str> = runs(page)
                .filter(|r| r.role == Role::PageNumber)
                .map(|r| r.text.as_str())
                .collect();
            if page.index_in_part == 0 {
                assert!(numbers.is_empty());
            } else {
                assert_eq!(numbers, [(page.index_in_part + 1).to_string()]);
                let run = runs(page)
                    .find(|r| r.role == Role::PageNumber)
                    .expect("number");
                // Line top at header_mm (10 mm) from the top edge.
                let top = run.baseline - run.size * 1912.0 / 2048.0;
                assert!((top - crate::layout::mm(10.0)).abs() < 0.01);
            }
        }
    }

    #[test]
    fn keep_with_next_rows_are_never_last_on_a_page() {
        // Many heading rows between items of varying length: some would land at a page
        // foot without the rule.
        let mut checked = 0;
        for extra in 0..10 {
            let mut doc = sample::document();
            let part = &mut doc.parts[1];
            let template = part.table.body[1].clone();
            let heading = part.table.body[0].clone();
            part.table.body.clear();
            for n in 0..30 {
                let mut h = heading.clone();
                h.label = format!("mục {n}");
                part.table.body.push(h);
                let mut item = template.clone();
                item.label = format!("mục {n}.1");
                let words = (n * 7 + extra * 13) % 40;
                item.cells[1].text = format!("{} {}", sample::SENTENCE, "lời ".repeat(words * 5));
                part.table.body.push(item);
            }
            let frames = frames(&doc);
            let body = &doc.parts[1].table.body;
            let pages: Vec<&PageFrame> = frames.pages.iter().filter(|p| p.part == 1).collect();
            for page in &pages[..pages.len() - 1] {
                let last = runs(page)
                    .filter_map(|r| match r.role {
                        Role::Cell {
                            row: RowRef::Body(i),
                            ..
                        } => Some(i),
                        _ => None,
                    })
                    .max();
                if let Some(i) = last {
                    assert!(
                        !body[i].keep_with_next,
                        "extra {extra}: kept row {i} ({:?}) last on page {}",
                        body[i].kind, page.index_in_part
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 10);
        let _ = RowKind::Item;
    }

    /// The change marks of a page, by kind.
    fn redlines(page: &PageFrame, kind: RedlineKind) -> Vec<Redline> {
        page.elements
            .iter()
            .filter_map(|e| match e {
                Element::Redline(r) if r.kind == kind => Some(*r),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn marks_add_lines_but_move_no_text() {
        let marked = sample::marked();
        let mut plain = marked.clone();
        for part in &mut plain.parts {
            for row in &mut part.table.body {
                row.change = None;
                for cell in &mut row.cells {
                    cell.marks.clear();
                }
            }
        }
        let (a, b) = (frames(&marked), frames(&plain));
        assert_eq!(a.pages.len(), b.pages.len());
        for (pa, pb) in a.pages.iter().zip(&b.pages) {
            let ra: Vec<_> = runs(pa)
                .map(|r| (r.x, r.baseline, &r.text, &r.glyphs))
                .collect();
            let rb: Vec<_> = runs(pb)
                .map(|r| (r.x, r.baseline, &r.text, &r.glyphs))
                .collect();
            assert_eq!(ra, rb, "page {}", pa.index_in_part);
            assert!(
                pb.elements
                    .iter()
                    .all(|e| !matches!(e, Element::Redline(_)))
            );
        }
        let count = |kind| {
            a.pages
                .iter()
                .map(|p| redlines(p, kind).len())
                .sum::<usize>()
        };
        assert!(count(RedlineKind::Inserted) > 0);
        assert!(count(RedlineKind::Deleted) > 0);
    }

    #[test]
    fn underlines_and_strikes_sit_on_their_lines_within_the_cell() {
        let doc = sample::marked();
        let frames = frames(&doc);
        let page = &frames.pages[0];
        // The changed row's text cell: "Lập hồ sơ [bản giấy viết tay ][bản điện tử ]…".
        let first = runs(page)
            .find(|r| r.text.starts_with("Lập hồ sơ"))
            .expect("the changed line");
        let right = first.x + first.glyphs.iter().map(|g| g.advance).sum::<f32>();
        let on_line = |r: &Redline| (r.stroke.y1 - first.baseline).abs() < first.size * 0.3;
        let strikes: Vec<Redline> = redlines(page, RedlineKind::Deleted)
            .into_iter()
            .filter(on_line)
            .collect();
        let unders: Vec<Redline> = redlines(page, RedlineKind::Inserted)
            .into_iter()
            .filter(on_line)
            .collect();
        assert_eq!((strikes.len(), unders.len()), (1, 1));
        let (s, u) = (strikes[0].stroke, unders[0].stroke);
        assert!(s.y1 < first.baseline && u.y1 > first.baseline);
        assert!(first.x < s.x1 && s.x2 <= u.x1 + 0.01 && u.x2 < right);
    }

    #[test]
    fn changed_rows_get_a_change_bar_on_every_page_they_span() {
        let doc = sample::marked();
        let frames = frames(&doc);
        let body = &doc.parts[0].table.body;
        let long = body.iter().position(|r| r.label == "mục 8").expect("row");
        let mut barred_pages = 0;
        let mut long_pages = 0;
        for page in frames.pages.iter().filter(|p| p.part == 0) {
            let bars = redlines(page, RedlineKind::ChangeBar);
            let has_long = runs(page).any(|r| {
                r.role
                    == Role::Cell {
                        row: RowRef::Body(long),
                        cell: 1,
                    }
            });
            long_pages += usize::from(has_long);
            barred_pages += usize::from(has_long && !bars.is_empty());
            let left = crate::layout::mm(doc.parts[0].page.margins.left);
            for bar in &bars {
                assert_eq!(bar.stroke.x1, bar.stroke.x2, "vertical");
                assert!(
                    bar.stroke.x1 < left && bar.stroke.x1 > 0.0,
                    "in the left margin"
                );
                assert!(bar.stroke.y2 > bar.stroke.y1);
                assert_eq!(bar.stroke.width, 1.5);
            }
        }
        assert!(long_pages >= 2);
        assert_eq!(barred_pages, long_pages);
        // One bar per drawn fragment of a changed row: rows 2 (changed), 3 (removed), 5
        // (added) on the first page.
        assert_eq!(redlines(&frames.pages[0], RedlineKind::ChangeBar).len(), 3);
    }

    #[test]
    fn rows_that_fit_a_page_are_never_split() {
        let doc = sample::document();
        let frames = frames(&doc);
        let part = &doc.parts[1];
        for (r, _) in part.table.body.iter().enumerate() {
            let (_, pages) = cell_text(&frames, 1, RowRef::Body(r), 1);
            assert!(pages <= 1, "row {r} split over {pages} pages");
        }
    }
}
