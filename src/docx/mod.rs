//! The .docx writer: a [`Document`] → WordprocessingML bytes, via docx-rs.
//!
//! Contract: `docx(&Document)` is a pure function — same document, same bytes — and
//! writes what the document says: one section per part (A4, its margins, page numbers
//! top centre restarting at 1, hidden on the part's first page), Times New Roman, text
//! marked vi-VN, a fixed table grid whose header row repeats on every page. docx-rs lacks
//! a few of these (`w:tblHeader`, `w:lang`, core title/creator, shared headers across
//! sections); [`patch`] adds them to the XML parts docx-rs builds.

mod patch;

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Header, LineSpacing, LineSpacingType, PageMargin,
    PageNum, PageNumType, PageOrientationType, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, Section, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::document::{self, Align, Document, Part, TextStyle, VAlign};

/// The font named in the file; Word substitutes nothing on a Vietnamese office PC.
pub const FONT: &str = "Times New Roman";

/// Why a .docx could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// The document has no parts to write.
    #[error("tài liệu không có phụ lục nào để ghi / the document has no appendix to write")]
    Empty,
    /// docx-rs failed while packing the zip.
    #[error("lỗi khi đóng gói tệp .docx / packing the .docx failed: {0}")]
    Pack(String),
    /// The builder thread stopped unexpectedly (a bug in phuluc or docx-rs).
    #[error("lỗi nội bộ khi tạo .docx / internal error building the .docx")]
    Internal,
}

/// Millimetres to twentieths of a point.
fn twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Points to half-points (w:sz).
fn half_points(pt: f32) -> usize {
    (pt * 2.0).round().max(1.0) as usize
}

/// Points to eighths of a point (border w:sz).
fn eighths(pt: f32) -> usize {
    (pt * 8.0).round().max(2.0) as usize
}

/// Writes the document as .docx bytes.
pub fn docx(doc: &Document) -> Result<Vec<u8>, DocxError> {
    if doc.parts.is_empty() {
        return Err(DocxError::Empty);
    }
    // docx-rs numbers paragraphs from a thread-local counter that only ever grows, so a
    // second document built on the same thread would get other ids. A fresh thread
    // starts the counter at 1: the bytes depend on this document alone.
    let built = std::thread::scope(|s| s.spawn(|| build(doc).build()).join())
        .map_err(|_| DocxError::Internal)?;
    let parts = patch::apply(built, doc);
    let mut out = Cursor::new(Vec::with_capacity(64 * 1024));
    parts
        .pack(&mut out)
        .map_err(|e| DocxError::Pack(e.to_string()))?;
    Ok(out.into_inner())
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

fn build(doc: &Document) -> Docx {
    let mut docx = Docx::new()
        .default_fonts(fonts())
        .default_size(26)
        .header(page_number_header(&doc.parts[0]))
        .first_header(Header::new().add_paragraph(empty_paragraph()));
    let (last, earlier) = match doc.parts.split_last() {
        Some(split) => split,
        None => return docx,
    };
    for part in earlier {
        let mut section = Section::new()
            .page_size(page_size(part))
            .page_margin(margins(part))
            .page_orient(orient(part))
            .page_num_type(PageNumType::new().start(part.page_numbers.start));
        if !part.page_numbers.show_on_first {
            section = section.title_pg();
        }
        for p in heading(part) {
            section = section.add_paragraph(p);
        }
        section = section.add_table(table(part));
        docx = docx.add_section(section);
    }
    for p in heading(last) {
        docx = docx.add_paragraph(p);
    }
    docx = docx
        .add_table(table(last))
        // Word needs a paragraph after a final table; keep it 1 pt so it never makes a page.
        .add_paragraph(tiny_paragraph())
        .page_size(
            twips(last.page.width_mm) as u32,
            twips(last.page.height_mm) as u32,
        )
        .page_margin(margins(last))
        .page_orient(orient(last))
        .page_num_type(PageNumType::new().start(last.page_numbers.start));
    if !last.page_numbers.show_on_first {
        docx = docx.title_pg();
    }
    docx
}

fn page_size(part: &Part) -> docx_rs::PageSize {
    docx_rs::PageSize::new()
        .size(
            twips(part.page.width_mm) as u32,
            twips(part.page.height_mm) as u32,
        )
        .orient(orient(part))
}

fn orient(part: &Part) -> PageOrientationType {
    if part.page.landscape {
        PageOrientationType::Landscape
    } else {
        PageOrientationType::Portrait
    }
}

fn margins(part: &Part) -> PageMargin {
    let m = part.page.margins;
    PageMargin::new()
        .top(twips(m.top))
        .bottom(twips(m.bottom))
        .left(twips(m.left))
        .right(twips(m.right))
        .header(twips(part.page.header_mm))
        .footer(twips(part.page.header_mm))
        .gutter(0)
}

/// Zero spacing, single lines: the PDF layout assumes exactly this.
fn single() -> LineSpacing {
    LineSpacing::new()
        .before(0)
        .after(0)
        .line(240)
        .line_rule(LineSpacingType::Auto)
}

fn empty_paragraph() -> Paragraph {
    Paragraph::new().line_spacing(single())
}

fn tiny_paragraph() -> Paragraph {
    Paragraph::new().line_spacing(single()).size(2)
}

fn page_number_header(part: &Part) -> Header {
    let size = half_points(part.page_numbers.size_pt);
    Header::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(single())
            .size(size)
            .add_page_num(PageNum::new())
            .fonts(fonts()),
    )
}

fn alignment(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

fn run(style: TextStyle) -> Run {
    let mut r = Run::new().size(half_points(style.size_pt));
    if style.bold {
        r = r.bold();
    }
    if style.italic {
        r = r.italic();
    }
    r
}

/// A paragraph whose `'\n'`s become line breaks.
fn paragraph(text: &str, style: TextStyle, align: Align) -> Paragraph {
    let mut p = Paragraph::new()
        .align(alignment(align))
        .line_spacing(single())
        .size(half_points(style.size_pt));
    if style.bold {
        p = p.bold();
    }
    if style.italic {
        p = p.italic();
    }
    for (i, line) in text.split('\n').enumerate() {
        let mut r = run(style);
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        p = p.add_run(r.add_text(line));
    }
    p
}

fn heading(part: &Part) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = part
        .heading
        .iter()
        .map(|h| {
            paragraph(&h.text, h.style, h.align)
                .line_spacing(single().after((h.space_after_pt * 20.0).round() as u32))
        })
        .collect();
    // The short rule: an empty paragraph indented to the rule's width with a bottom border,
    // followed by the space before the table.
    let after = (part.space_before_table_pt * 20.0).round() as u32;
    match part.rule {
        Some(rule) => {
            let side = twips((part.page.text_width_mm() - rule.width_mm) / 2.0).max(0);
            let border = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(eighths(rule.thickness_pt))
                .space(1)
                .color("000000");
            let mut p = tiny_paragraph()
                .indent(Some(side), None, Some(side), None)
                .line_spacing(
                    single()
                        .before((rule.space_before_pt * 20.0).round() as u32)
                        .after(after),
                );
            p.property = p
                .property
                .set_borders(ParagraphBorders::with_empty().set(border));
            out.push(p);
        }
        None => out.push(tiny_paragraph().line_spacing(single().after(after))),
    }
    out
}

fn table(part: &Part) -> Table {
    let t = &part.table;
    let grid: Vec<usize> = t
        .columns
        .iter()
        .map(|w| twips(*w).max(1) as usize)
        .collect();
    let total: usize = grid.iter().sum();
    let size = eighths(t.border_pt);
    let mut borders = TableBorders::with_empty();
    for position in [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        borders = borders.set(
            TableBorder::new(position)
                .size(size)
                .border_type(BorderType::Single)
                .color("000000"),
        );
    }
    let margins = TableCellMargins::new().margin(
        twips(t.padding.top).max(0) as usize,
        twips(t.padding.right).max(0) as usize,
        twips(t.padding.bottom).max(0) as usize,
        twips(t.padding.left).max(0) as usize,
    );
    let rows = t
        .header
        .iter()
        .chain(&t.body)
        .map(|row| table_row(row, &grid))
        .collect();
    Table::new(rows)
        .set_grid(grid.clone())
        .layout(TableLayoutType::Fixed)
        .width(total, WidthType::Dxa)
        .set_borders(borders)
        .margins(margins)
}

fn table_row(row: &document::Row, grid: &[usize]) -> TableRow {
    let mut col = 0;
    let cells = row
        .cells
        .iter()
        .map(|cell| {
            let span = cell.span.max(1);
            let width: usize = grid.iter().skip(col).take(span).sum();
            col += span;
            let mut p = paragraph(&cell.text, cell.style, cell.align);
            if row.keep_with_next {
                p = p.keep_next(true);
            }
            let mut c = TableCell::new()
                .add_paragraph(p)
                .width(width, WidthType::Dxa)
                .vertical_align(match cell.valign {
                    VAlign::Top => VAlignType::Top,
                    VAlign::Center => VAlignType::Center,
                });
            if span > 1 {
                c = c.grid_span(span);
            }
            c
        })
        .collect();
    // Every row keeps together, as the PDF layout does: a row that fits on a page is moved
    // to the next page whole rather than split; only a row taller than a page splits
    // (Word and LibreOffice do that by themselves for cantSplit rows).
    TableRow::new(cells).cant_split()
}
