//! SVG writer: the laid-out page frames — the very frames the PDF writer draws — as one
//! SVG per page, for the preview and for `render --format svg`.
//!
//! Contract: [`svg`] lays the [`Document`] out once with [`crate::layout::layout_each`]
//! (no layout of its own) and returns a [`Pages`]: per page the SVG content in points
//! (viewBox = the page in points, 1 user unit = 1 pt), and the glyph outlines of the whole
//! set, each drawn once from the same font files and placed with `<use>` wherever it
//! appears (as typst-svg does). [`Pages::standalone`] gives a page as a file of its own
//! (its glyph definitions inside); [`Pages::inline`] gives it without definitions, for an
//! HTML page that holds [`Pages::defs`] once. Borders, rules and change marks are paths,
//! one per group of one paint and width, painted as the frames say: layout decides the
//! colours, caps and order ([`crate::layout::Paint`]), this writer only spells them in
//! SVG.
//! Over the glyphs lies a transparent text layer — one `<text>` per line, stretched to the
//! line's width — so the text can be selected, copied and found with Ctrl+F. Every body
//! row's drawing is one `<g class="row">` carrying `data-src="LINE:COL"` (where the row
//! comes from: the origin layout copied onto its lines, when it has one) and `data-label`
//! (its name, "mục 4.2"), with a transparent box over its cells to be clicked; the
//! heading block likewise carries the part's position. The writer knows nothing of the
//! plan file: it copies what the frames say. The same input gives the same bytes;
//! nothing here panics.
//!
//! [`write_pages`] is the same drawing for a writer of files (`render --format svg`): each
//! page, as its own file exactly as [`Pages::standalone`] gives it, is handed over as soon
//! as the layout finishes its frame and dropped before the next, so a 5 000-page plan
//! holds one page's SVG at a time, not all of them.

mod boxes;
mod glyphs;
mod text;

use std::fmt::Write as _;

use crate::diag::{Diagnostic, Span, ToDiagnostic};
use crate::document::Document;
use crate::fonts::{Face, FontError, FontSet};
use crate::layout::{
    self, Colour, Element, LayoutError, LineCap, PageFrame, RedlineKind, Role, RowRef, TextRun,
};
use glyphs::Outlines;
use text::{advance, escape, number};

/// What the SVG writer needs besides the document.
#[derive(Debug, Clone)]
pub struct SvgOptions {
    /// The faces text is set in (the PDF's).
    pub fonts: FontSet,
}

impl Default for SvgOptions {
    /// The built-in Liberation Serif.
    fn default() -> Self {
        SvgOptions {
            fonts: FontSet::builtin(),
        }
    }
}

/// Why no SVG could be made.
#[derive(Debug, thiserror::Error)]
pub enum SvgError {
    /// The document could not be laid out (e.g. a character the font lacks).
    Layout(#[from] LayoutError),
    /// The fonts could not be parsed.
    Font(#[from] FontError),
    /// The document has no part, so there is nothing to show.
    Empty,
}

impl ToDiagnostic for SvgError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            SvgError::Layout(e) => e.to_diagnostic(),
            SvgError::Font(e) => e.to_diagnostic(),
            SvgError::Empty => Diagnostic::error(crate::layout::no_appendix_to_print()),
        }
    }
}

/// The Vietnamese message (the diagnostic's).
impl std::fmt::Display for SvgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_diagnostic().message.vi)
    }
}

/// One page, drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Which [`Document::parts`] entry the page belongs to.
    pub part: usize,
    /// 0 for the part's first page, then 1, 2, …
    pub index_in_part: usize,
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// The drawing: everything inside the page's `<svg>` element but the glyph
    /// definitions.
    body: String,
    /// The glyphs the page places, sorted, without repeats.
    glyphs: Vec<(Face, u32)>,
}

/// Every page of a document, and the glyph outlines they share.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// Glyph definitions (`<path id=…>`), by face and glyph id.
    glyphs: Vec<((Face, u32), String)>,
}

/// The id of a glyph's definition.
fn glyph_id(face: Face, id: u32) -> String {
    format!("g{}-{id}", face.index())
}

impl Pages {
    /// Page `index` as an SVG file of its own, with the definitions of the glyphs it uses.
    pub fn standalone(&self, index: usize) -> Option<String> {
        let page = self.pages.get(index)?;
        Some(standalone(page, |key| {
            let at = self.glyphs.binary_search_by(|(k, _)| k.cmp(&key)).ok()?;
            Some(self.glyphs[at].1.as_str())
        }))
    }

    /// Page `index` as an inline `<svg>` element for an HTML page that also holds
    /// [`Pages::defs`].
    pub fn inline(&self, index: usize) -> Option<String> {
        let page = self.pages.get(index)?;
        let mut out = String::with_capacity(page.body.len() + 512);
        open_svg(&mut out, page, false);
        out.push_str(&page.body);
        out.push_str("</svg>");
        Some(out)
    }

    /// Page `index` as [`Pages::inline`] gives it, its drawing let go of: a caller that
    /// keeps every page inline (the preview) holds each page once, not twice.
    pub fn take_inline(&mut self, index: usize) -> Option<String> {
        let out = self.inline(index)?;
        if let Some(page) = self.pages.get_mut(index) {
            page.body = String::new();
        }
        Some(out)
    }

    /// Every glyph definition of the set: (its id, its `<path id=…>` element), in a fixed
    /// order — for a page that adds the glyphs it lacks to [`Pages::defs`] already shown.
    pub fn definitions(&self) -> Vec<(String, String)> {
        self.glyphs
            .iter()
            .map(|(key, path)| {
                let mut element = String::new();
                define(&mut element, *key, path);
                (glyph_id(key.0, key.1), element)
            })
            .collect()
    }

    /// One hidden `<svg>` element defining every glyph of every page, once.
    pub fn defs(&self) -> String {
        let mut out = String::from(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\" \
             style=\"position:absolute\" aria-hidden=\"true\"><defs>",
        );
        for (key, path) in &self.glyphs {
            define(&mut out, *key, path);
        }
        out.push_str("</defs></svg>");
        out
    }
}

/// `page` as an SVG file of its own: its body after the definitions of the glyphs it
/// places, each outline as `outline` gives it. [`Pages::standalone`] and [`write_pages`]
/// both write through here, so a streamed page is byte for byte the one kept in a
/// [`Pages`].
fn standalone<'a>(page: &Page, outline: impl Fn((Face, u32)) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(page.body.len() + 16 * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    open_svg(&mut out, page, true);
    out.push_str("<defs>");
    for key in &page.glyphs {
        if let Some(path) = outline(*key) {
            define(&mut out, *key, path);
        }
    }
    out.push_str("</defs>");
    out.push_str(&page.body);
    out.push_str("</svg>\n");
    out
}

fn define(out: &mut String, (face, id): (Face, u32), path: &str) {
    let _ = write!(out, "<path id=\"{}\" d=\"{path}\"/>", glyph_id(face, id));
}

fn open_svg(out: &mut String, page: &Page, standalone: bool) {
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    if standalone {
        // In points, so a viewer shows the page at print size (96 dpi: 4/3 px per pt).
        out.push_str(" width=\"");
        number(out, page.width);
        out.push_str("pt\" height=\"");
        number(out, page.height);
        out.push_str("pt\"");
    }
    out.push_str(" viewBox=\"0 0 ");
    number(out, page.width);
    out.push(' ');
    number(out, page.height);
    let _ = write!(
        out,
        "\" class=\"page\" data-part=\"{}\" data-page=\"{}\">",
        page.part, page.index_in_part
    );
}

/// Lays `doc` out and draws every page.
pub fn svg(doc: &Document, opts: &SvgOptions) -> Result<Pages, SvgError> {
    if doc.is_empty() {
        return Err(SvgError::Empty);
    }
    let mut outlines = Outlines::new(&opts.fonts);
    let mut pages = Vec::new();
    layout::layout_each(doc, &opts.fonts, &mut |frame| {
        pages.push(page(doc, &frame, &mut outlines));
    })?;
    let glyphs = outlines
        .all()
        .map(|(key, path)| (key, path.to_owned()))
        .collect();
    Ok(Pages { pages, glyphs })
}

/// Why [`write_pages`] stopped.
#[derive(Debug)]
pub enum PagesError<E> {
    /// The document could not be drawn (as [`svg`] fails).
    Svg(SvgError),
    /// `each` refused a page (a file that could not be written): no page after it was
    /// drawn.
    Sink(E),
}

/// Lays `doc` out and hands each page to `each` — its index from 0 and the page as an SVG
/// file of its own, the bytes [`Pages::standalone`] gives for that index — as soon as the
/// layout has finished its frame; returns how many pages there were. Only the page being
/// drawn and the glyph outlines met so far (a few hundred) are held: neither the frames
/// nor the drawn pages pile up. Pages handed over before an error stay handed over: a
/// caller that must write all pages or none stages them (see [`crate::write::Staging`]).
pub fn write_pages<E>(
    doc: &Document,
    opts: &SvgOptions,
    mut each: impl FnMut(usize, String) -> Result<(), E>,
) -> Result<usize, PagesError<E>> {
    if doc.is_empty() {
        return Err(PagesError::Svg(SvgError::Empty));
    }
    let mut outlines = Outlines::new(&opts.fonts);
    let mut count = 0;
    let mut refused = None;
    let laid_out = layout::layout_each(doc, &opts.fonts, &mut |frame| {
        // The layout cannot be stopped from here; once `each` has refused a page the rest
        // are laid out but neither drawn nor handed over.
        if refused.is_some() {
            return;
        }
        let page = page(doc, &frame, &mut outlines);
        drop(frame);
        let file = standalone(&page, |(face, id)| outlines.get(face, id));
        drop(page);
        match each(count, file) {
            Ok(()) => count += 1,
            Err(e) => refused = Some(e),
        }
    });
    // What went wrong first is what is said: a refused page stopped the drawing before
    // any later layout error.
    if let Some(e) = refused {
        return Err(PagesError::Sink(e));
    }
    laid_out.map_err(|e| PagesError::Svg(e.into()))?;
    Ok(count)
}

/// What a run of text belongs to, for grouping: consecutive runs of one group share a
/// `<g>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Heading,
    Body(usize),
    Other,
}

fn group_of(role: Role) -> Group {
    match role {
        Role::Heading(_) => Group::Heading,
        Role::Cell {
            row: RowRef::Body(i),
            ..
        } => Group::Body(i),
        _ => Group::Other,
    }
}

fn page(doc: &Document, frame: &PageFrame, outlines: &mut Outlines) -> Page {
    let mut body = String::with_capacity(64 * 1024);
    let mut used: Vec<(Face, u32)> = Vec::new();
    body.push_str("<rect class=\"paper\" width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
    for borders in frame.borders() {
        lines(&mut body, "lines", &borders);
    }

    // Horizontal grid lines, for the clickable box of each row.
    let mut rules: Vec<(f32, f32, f32)> = frame
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Stroke(s) if (s.y1 - s.y2).abs() < 1e-3 => {
                Some((s.y1, s.x1.min(s.x2), s.x1.max(s.x2)))
            }
            _ => None,
        })
        .collect();
    rules.sort_by(|a, b| a.0.total_cmp(&b.0));

    let runs: Vec<&TextRun> = frame
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Text(run) => Some(run),
            _ => None,
        })
        .collect();
    let mut start = 0;
    while start < runs.len() {
        let group = group_of(runs[start].role);
        let end = runs[start..]
            .iter()
            .position(|r| group_of(r.role) != group)
            .map_or(runs.len(), |n| start + n);
        let members = &runs[start..end];
        open_group(&mut body, doc, frame, group, members, &rules);
        for run in members {
            glyph_run(&mut body, run, outlines, &mut used);
        }
        text_layer(&mut body, members);
        body.push_str("</g>");
        start = end;
    }
    redlines(&mut body, frame);
    used.sort();
    used.dedup();
    Page {
        part: frame.part,
        index_in_part: frame.index_in_part,
        width: frame.width,
        height: frame.height,
        body,
        glyphs: used,
    }
}

fn open_group(
    out: &mut String,
    doc: &Document,
    frame: &PageFrame,
    group: Group,
    runs: &[&TextRun],
    rules: &[(f32, f32, f32)],
) {
    let part = doc.parts.get(frame.part);
    match group {
        Group::Heading => {
            out.push_str("<g class=\"heading\"");
            src_attr(out, origin(runs));
            if let Some(part) = part {
                out.push_str(" data-label=\"");
                escape(out, &part.outline);
                out.push('"');
            }
            out.push('>');
            boxes::title_box(out, runs);
            if let Some(part) = part {
                boxes::field_boxes(out, part, runs);
            }
        }
        Group::Body(row) => {
            let _ = write!(out, "<g class=\"row\" data-row=\"{row}\"");
            src_attr(out, origin(runs));
            if let Some(r) = part.and_then(|p| p.table.body.get(row)) {
                out.push_str(" data-label=\"");
                escape(out, &r.label);
                out.push('"');
            }
            out.push('>');
            if let Some(bounds) = hit_box(out, runs, rules) {
                cell_boxes(out, doc, frame.part, row, runs, bounds);
            }
        }
        Group::Other => out.push_str("<g>"),
    }
}

/// Where a group's lines come from: the origin of its first line that has one (all the
/// lines of a row, or of the heading block, share it).
fn origin(runs: &[&TextRun]) -> Option<Span> {
    runs.iter().find_map(|r| r.origin)
}

fn src_attr(out: &mut String, origin: Option<Span>) {
    if let Some(p) = origin.map(|o| o.pos) {
        let _ = write!(out, " data-src=\"{}:{}\"", p.line, p.column);
    }
}

/// A transparent box over a row's cells — from the grid line above its first line to
/// the one below its last, across the table — so a click anywhere in the row finds it.
fn hit_box(
    out: &mut String,
    runs: &[&TextRun],
    rules: &[(f32, f32, f32)],
) -> Option<(f32, f32, f32, f32)> {
    let top = runs
        .iter()
        .map(|r| r.baseline - r.size)
        .fold(f32::INFINITY, f32::min);
    let bottom = runs
        .iter()
        .map(|r| r.baseline + r.size * 0.3)
        .fold(f32::NEG_INFINITY, f32::max);
    if !(top.is_finite() && bottom.is_finite()) {
        return None;
    }
    let above = rules.iter().rev().find(|r| r.0 <= top);
    let below = rules.iter().find(|r| r.0 >= bottom);
    let (y1, y2) = (above.map_or(top, |r| r.0), below.map_or(bottom, |r| r.0));
    let (x1, x2) = match (above, below) {
        (Some(a), _) => (a.1, a.2),
        (None, Some(b)) => (b.1, b.2),
        _ => {
            let left = runs.iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
            let right = runs
                .iter()
                .map(|r| r.x + advance(r))
                .fold(f32::NEG_INFINITY, f32::max);
            (left, right)
        }
    };
    out.push_str("<rect class=\"hit\" fill=\"transparent\" x=\"");
    number(out, x1);
    out.push_str("\" y=\"");
    number(out, y1);
    out.push_str("\" width=\"");
    number(out, (x2 - x1).max(0.0));
    out.push_str("\" height=\"");
    number(out, (y2 - y1).max(0.0));
    out.push_str("\"/>");
    Some((x1, y1, x2, y2))
}

/// A transparent box over each cell of a body row a clerk can edit — the column's width,
/// the row's height on this page — carrying `data-src` (the row's block: where its
/// values are) and `data-field` (the field the cell shows; `heading` for a section's or
/// group's heading text).
fn cell_boxes(
    out: &mut String,
    doc: &Document,
    part: usize,
    row: usize,
    runs: &[&TextRun],
    (x1, y1, x2, y2): (f32, f32, f32, f32),
) {
    let Some(p) = doc.parts.get(part) else {
        return;
    };
    let Some(r) = p.table.body.get(row) else {
        return;
    };
    let Some(pos) = r.origin.map(|o| o.pos) else {
        return;
    };
    let total: f32 = p.table.columns.iter().sum();
    if total <= 0.0 {
        return;
    }
    let scale = (x2 - x1) / total;
    let heading = matches!(
        r.kind,
        crate::document::RowKind::Section | crate::document::RowKind::Group
    );
    let mut column = 0;
    for (j, cell) in r.cells.iter().enumerate() {
        let start = column;
        column += cell.span.max(1);
        let field = if heading {
            (j + 1 == r.cells.len()).then(|| "heading".to_owned())
        } else {
            p.table.fields.get(start).cloned().flatten()
        };
        let on_page = runs
            .iter()
            .any(|run| matches!(run.role, Role::Cell { cell, .. } if cell == j));
        let (Some(field), true) = (field, on_page) else {
            continue;
        };
        let left: f32 = p.table.columns.iter().take(start).sum::<f32>() * scale + x1;
        let width: f32 = p
            .table
            .columns
            .iter()
            .skip(start)
            .take(column - start)
            .sum::<f32>()
            * scale;
        let _ = write!(
            out,
            "<rect class=\"cell\" data-src=\"{}:{}\" data-field=\"",
            pos.line, pos.column
        );
        escape(out, &field);
        let _ = write!(out, "\" data-cell=\"{j}\" fill=\"transparent\" x=\"");
        number(out, left);
        out.push_str("\" y=\"");
        number(out, y1);
        out.push_str("\" width=\"");
        number(out, width);
        out.push_str("\" height=\"");
        number(out, (y2 - y1).max(0.0));
        out.push_str("\"/>");
    }
}

/// The glyphs of one line: a group scaled from font units (y up) to points (y down),
/// placing each outline with `<use>`.
fn glyph_run(
    out: &mut String,
    run: &TextRun,
    outlines: &mut Outlines,
    used: &mut Vec<(Face, u32)>,
) {
    if run.glyphs.is_empty() || run.size <= 0.0 {
        return;
    }
    let units = outlines.units_per_em(run.face);
    let scale = run.size / units;
    // The scale is small (13 pt / 2048 units): written with six decimals, not two.
    let _ = write!(out, "<g transform=\"matrix({scale:.6} 0 0 {:.6} ", -scale);
    number(out, run.x);
    out.push(' ');
    number(out, run.baseline);
    out.push_str(")\">");
    let mut pen = 0.0f32;
    for glyph in &run.glyphs {
        if outlines.path(run.face, glyph.id).is_some() {
            used.push((run.face, glyph.id));
            let _ = write!(out, "<use href=\"#{}\"", glyph_id(run.face, glyph.id));
            let x = (pen + glyph.x_offset) / scale;
            if x != 0.0 {
                out.push_str(" x=\"");
                number(out, x);
                out.push('"');
            }
            if glyph.y_offset != 0.0 {
                out.push_str(" y=\"");
                number(out, glyph.y_offset / scale);
                out.push('"');
            }
            out.push_str("/>");
        }
        pen += glyph.advance;
    }
    out.push_str("</g>");
}

/// The invisible, selectable text over a group's glyphs: one `<text>` per line, at the
/// line's baseline, stretched to the line's laid-out width so a selection covers what it
/// selects.
fn text_layer(out: &mut String, runs: &[&TextRun]) {
    let mut opened = false;
    for run in runs {
        let width = advance(run);
        if run.text.trim().is_empty() || run.size <= 0.0 || width <= 0.0 {
            continue;
        }
        if !opened {
            out.push_str(
                "<g class=\"text\" fill=\"transparent\" font-family=\"Liberation Serif, Times New Roman, serif\" \
                 xml:space=\"preserve\" style=\"white-space:pre\">",
            );
            opened = true;
        }
        out.push_str("<text x=\"");
        number(out, run.x);
        out.push_str("\" y=\"");
        number(out, run.baseline);
        out.push_str("\" font-size=\"");
        number(out, run.size);
        out.push_str("\" textLength=\"");
        number(out, width);
        out.push_str("\" lengthAdjust=\"spacingAndGlyphs\">");
        escape(out, &run.text);
        out.push_str("</text>");
    }
    if opened {
        out.push_str("</g>");
    }
}

/// One `<path>` per group of lines, in the paint the frame gives the group.
fn lines(out: &mut String, class: &str, lines: &layout::Lines<'_>) {
    out.push_str("<path class=\"");
    out.push_str(class);
    out.push_str("\" fill=\"none\" stroke=\"");
    colour(out, lines.paint.colour);
    out.push_str("\" stroke-linecap=\"");
    out.push_str(match lines.paint.cap {
        LineCap::Butt => "butt",
        LineCap::Square => "square",
    });
    out.push_str("\" stroke-width=\"");
    number(out, lines.width);
    out.push_str("\" d=\"");
    for s in &lines.strokes {
        segment(out, s);
    }
    out.push_str("\"/>");
}

/// A frame's colour as SVG writes it: black in its short form, anything else as sRGB
/// channels.
fn colour(out: &mut String, colour: Colour) {
    match colour.rgb() {
        (0, 0, 0) => out.push_str("#000"),
        (r, g, b) => {
            let _ = write!(out, "rgb({r},{g},{b})");
        }
    }
}

fn segment(out: &mut String, s: &layout::Stroke) {
    out.push('M');
    number(out, s.x1);
    out.push(' ');
    number(out, s.y1);
    out.push('L');
    number(out, s.x2);
    out.push(' ');
    number(out, s.y2);
}

/// The change marks, each group's class naming what it shows.
fn redlines(out: &mut String, frame: &PageFrame) {
    for marks in frame.marks() {
        let class = match marks.kind {
            RedlineKind::Inserted => "mark ins",
            RedlineKind::Deleted => "mark del",
            RedlineKind::ChangeBar => "mark bar",
        };
        lines(out, class, &marks.lines);
    }
}

#[cfg(test)]
mod tests;
