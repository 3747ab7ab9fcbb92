//! The .docx writer: a [`Document`] → WordprocessingML bytes, via docx-rs.
//!
//! Contract: `docx(&Document)` is a pure function — same document, same bytes — and
//! writes what the document says: one section per part (A4, its margins, page numbers
//! top centre restarting at 1, hidden on the part's first page), Times New Roman, text
//! marked vi-VN, a fixed table grid whose header row repeats on every page. docx-rs lacks
//! a few of these (`w:tblHeader`, `w:lang`, core title/creator, shared headers across
//! sections); [`patch`] adds them to the XML parts docx-rs builds.
//!
//! Change marks become Word tracked changes: a cell's inserted text is runs inside
//! `w:ins`, its deleted text runs inside `w:del` with `w:delText`; an added row also
//! carries `w:ins` in its `w:trPr`, a removed row `w:del`, so Word accepts or rejects the
//! whole row. Author and date come from `Metadata::revision` (else "phuluc" on the
//! document's date); `patch` puts row marks where the schema wants them and numbers all
//! revisions 1, 2, … in document order. Unmarked cells take exactly the path they always
//! took: an unmarked document's bytes do not change.

mod pack;
mod patch;

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, BreakType, Delete, Docx, Header, Insert, LineSpacing,
    LineSpacingType, PageMargin, PageNum, PageNumType, PageOrientationType, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, Section, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType,
    TableRow, VAlignType, WidthType,
};

use crate::document::{self, Align, Document, MarkKind, Part, RowChange, TextStyle, VAlign};

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
    pack::pack(&mut out, parts).map_err(|e| DocxError::Pack(e.to_string()))?;
    Ok(out.into_inner())
}

/// Author and date of every tracked change in the file.
struct Tracking {
    author: String,
    /// `YYYY-MM-DDT00:00:00Z`: the data's date, never the clock.
    date: String,
}

impl Tracking {
    fn of(doc: &Document) -> Tracking {
        let (author, d) = match &doc.meta.revision {
            Some(r) => (r.author.clone(), r.date),
            None => ("phuluc".to_owned(), doc.meta.date),
        };
        Tracking {
            author,
            date: format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day),
        }
    }

    fn insert(&self) -> Insert {
        Insert::new_with_empty()
            .author(self.author.as_str())
            .date(self.date.as_str())
    }

    fn delete(&self) -> Delete {
        Delete::new()
            .author(self.author.as_str())
            .date(self.date.as_str())
    }
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

fn build(doc: &Document) -> Docx {
    let tracking = Tracking::of(doc);
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
        for p in heading(part, &tracking) {
            section = section.add_paragraph(p);
        }
        section = section.add_table(table(part, &tracking));
        docx = docx.add_section(section);
    }
    for p in heading(last, &tracking) {
        docx = docx.add_paragraph(p);
    }
    docx = docx
        .add_table(table(last, &tracking))
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

/// An empty paragraph with the alignment, spacing and run style of `style`.
fn bare_paragraph(style: TextStyle, align: Align) -> Paragraph {
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
    p
}

/// A paragraph whose `'\n'`s become line breaks.
fn paragraph(text: &str, style: TextStyle, align: Align) -> Paragraph {
    let mut p = bare_paragraph(style, align);
    for (i, line) in text.split('\n').enumerate() {
        let mut r = run(style);
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        p = p.add_run(r.add_text(line));
    }
    p
}

/// A cell's paragraph with its marks as tracked changes: each stretch of the text becomes
/// runs (a `'\n'` a break at the start of the next run), plain or inside `w:ins` / `w:del`.
fn marked_paragraph(cell: &document::Cell, tracking: &Tracking) -> Paragraph {
    marked(
        &cell.text,
        &cell.segments(),
        cell.style,
        cell.align,
        tracking,
    )
}

/// `text` cut into `segments` as runs, plain or inside `w:ins` / `w:del`.
fn marked(
    text: &str,
    segments: &[(std::ops::Range<usize>, Option<MarkKind>)],
    style: TextStyle,
    align: Align,
    tracking: &Tracking,
) -> Paragraph {
    if segments.is_empty() {
        return paragraph(text, style, align);
    }
    let mut p = bare_paragraph(style, align);
    for (range, kind) in segments.iter().cloned() {
        let Some(text) = text.get(range) else {
            continue;
        };
        let runs = segment_runs(text, style, kind == Some(MarkKind::Deleted));
        match kind {
            None => {
                for r in runs {
                    p = p.add_run(r);
                }
            }
            Some(MarkKind::Inserted) => {
                p = p.add_insert(runs.into_iter().fold(tracking.insert(), Insert::add_run));
            }
            Some(MarkKind::Deleted) => {
                p = p.add_delete(runs.into_iter().fold(tracking.delete(), Delete::add_run));
            }
        }
    }
    p
}

/// The runs of one stretch of a cell's text; deleted text goes in `w:delText`, as Word
/// wants inside `w:del`.
fn segment_runs(text: &str, style: TextStyle, deleted: bool) -> Vec<Run> {
    let mut runs = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        // A stretch starting with a break has nothing before it on the current line.
        if i == 0 && line.is_empty() {
            continue;
        }
        let mut r = run(style);
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        if !line.is_empty() {
            r = if deleted {
                r.add_delete_text(line)
            } else {
                r.add_text(line)
            };
        }
        runs.push(r);
    }
    runs
}

fn heading(part: &Part, tracking: &Tracking) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = part
        .heading
        .iter()
        .map(|h| {
            let p = if h.marks.is_empty() {
                paragraph(&h.text, h.style, h.align)
            } else {
                marked(&h.text, &h.segments(), h.style, h.align, tracking)
            };
            p.line_spacing(single().after((h.space_after_pt * 20.0).round() as u32))
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

fn table(part: &Part, tracking: &Tracking) -> Table {
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
        .map(|row| table_row(row, &grid, tracking))
        .collect();
    Table::new(rows)
        .set_grid(grid.clone())
        .layout(TableLayoutType::Fixed)
        .width(total, WidthType::Dxa)
        .set_borders(borders)
        .margins(margins)
}

fn table_row(row: &document::Row, grid: &[usize], tracking: &Tracking) -> TableRow {
    let mut col = 0;
    let cells = row
        .cells
        .iter()
        .map(|cell| {
            let span = cell.span.max(1);
            let width: usize = grid.iter().skip(col).take(span).sum();
            col += span;
            let mut p = if cell.marks.is_empty() {
                paragraph(&cell.text, cell.style, cell.align)
            } else {
                marked_paragraph(cell, tracking)
            };
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
    let row_xml = TableRow::new(cells).cant_split();
    // Whole-row marks let Word accept or reject an added or removed row in one go; a
    // changed row's marks are all in its cells.
    match row.change {
        Some(RowChange::Added) => row_xml.insert(tracking.insert()),
        Some(RowChange::Removed) => row_xml.delete(tracking.delete()),
        Some(RowChange::Changed) | None => row_xml,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::process::Command;

    use super::*;
    use crate::layout::sample;

    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
        let mut part = zip.by_name("word/document.xml").expect("document.xml");
        let mut xml = String::new();
        part.read_to_string(&mut xml).expect("utf-8");
        xml
    }

    fn build_docx(doc: &Document) -> Vec<u8> {
        match docx(doc) {
            Ok(bytes) => bytes,
            Err(e) => panic!("docx failed: {e}"),
        }
    }

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// The text of every `name` element (w:t or w:delText) under `node`.
    fn texts(node: roxmltree::Node<'_, '_>, name: &str) -> String {
        node.descendants()
            .filter(|n| n.has_tag_name((W, name)))
            .filter_map(|n| n.text())
            .collect()
    }

    #[test]
    fn marks_become_tracked_changes() {
        let doc = sample::marked();
        let xml = document_xml(&build_docx(&doc));
        let tree = roxmltree::Document::parse(&xml).expect("document.xml parses");

        // Run-level changes: inserted runs in w:ins with w:t, deleted runs in w:del with
        // w:delText only.
        let ins: Vec<_> = tree
            .descendants()
            .filter(|n| n.has_tag_name((W, "ins")))
            .collect();
        let del: Vec<_> = tree
            .descendants()
            .filter(|n| n.has_tag_name((W, "del")))
            .collect();
        let inserted: String = ins.iter().map(|n| texts(*n, "t")).collect();
        let deleted: String = del.iter().map(|n| texts(*n, "delText")).collect();
        assert!(inserted.contains("bản điện tử "), "{inserted}");
        assert!(inserted.contains(" Bổ sung cuối."), "{inserted}");
        assert!(deleted.contains("bản giấy viết tay "), "{deleted}");
        assert!(deleted.contains("Nhiệm vụ bỏ đi"), "{deleted}");
        assert!(deleted.contains("Việc đã xong"), "{deleted}");
        assert!(
            del.iter().all(|n| texts(*n, "t").is_empty()),
            "no w:t in w:del"
        );
        // The deletion across the line break keeps the break, inside the w:del.
        assert!(
            del.iter()
                .any(|n| texts(*n, "delText") == "Xã hộiCác phòng, ban, "
                    && n.descendants().any(|b| b.has_tag_name((W, "br")))),
            "deleted line break"
        );
        assert!(
            !texts(tree.root(), "t").contains("giấy"),
            "deleted text only as delText"
        );

        // Every revision has the author, the data's date and a unique id 1, 2, …
        let mut ids: Vec<u64> = Vec::new();
        for n in ins.iter().chain(&del) {
            assert_eq!(n.attribute((W, "author")), Some("phuluc"));
            assert_eq!(n.attribute((W, "date")), Some("2026-04-02T00:00:00Z"));
            ids.push(
                n.attribute((W, "id"))
                    .and_then(|i| i.parse().ok())
                    .expect("numeric id"),
            );
        }
        ids.sort_unstable();
        assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());
        assert_eq!(xml.matches("<w:ins ").count(), ins.len());
        assert_eq!(xml.matches("<w:del ").count(), del.len());

        // Whole-row marks: last in w:trPr (after cantSplit, as CT_TrPr orders them), one
        // w:ins per added row and one w:del per removed row.
        let rows: Vec<_> = tree
            .descendants()
            .filter(|n| n.has_tag_name((W, "trPr")))
            .collect();
        let row_mark = |name: &str| {
            rows.iter()
                .filter(|tr| tr.children().any(|c| c.has_tag_name((W, name))))
                .count()
        };
        assert_eq!(row_mark("ins"), 2);
        assert_eq!(row_mark("del"), 2);
        for tr in &rows {
            let names: Vec<&str> = tr
                .children()
                .filter(|c| c.is_element())
                .map(|c| c.tag_name().name())
                .collect();
            if let Some(i) = names.iter().position(|n| *n == "ins" || *n == "del") {
                assert_eq!(i, names.len() - 1, "{names:?}");
                assert!(names.contains(&"cantSplit"));
            }
        }
    }

    #[test]
    fn marked_output_is_deterministic_and_unmarked_output_has_no_revisions() {
        let marked = sample::marked();
        let a = build_docx(&marked);
        // docx-rs's revision counter is process-wide: building something else in between
        // must not change the ids.
        let plain = build_docx(&sample::document());
        let b = build_docx(&marked);
        assert!(a == b, "same marked document, same bytes");
        let xml = document_xml(&plain);
        assert!(!xml.contains("<w:ins ") && !xml.contains("<w:del "));
        assert!(!xml.contains("delText"));
    }

    #[test]
    fn malformed_marks_are_ignored_not_fatal() {
        let mut doc = sample::document();
        let cell = &mut doc.parts[0].table.body[2].cells[1];
        let len = cell.text.len();
        cell.marks = vec![
            document::Mark {
                range: 1..2, // inside "Bả": not a char boundary
                kind: MarkKind::Inserted,
            },
            document::Mark {
                range: 4..len + 10,
                kind: MarkKind::Deleted,
            },
            document::Mark {
                range: 6..6,
                kind: MarkKind::Inserted,
            },
            document::Mark {
                range: 6..12, // "đảm": the one valid mark
                kind: MarkKind::Deleted,
            },
        ];
        // An author with XML's special characters is escaped once.
        doc.meta.revision = Some(document::Revision {
            author: "Tổ <soạn> \"A\" & B".to_owned(),
            date: doc.meta.date,
        });
        let xml = document_xml(&build_docx(&doc));
        let tree = roxmltree::Document::parse(&xml).expect("parses");
        let del = tree
            .descendants()
            .find(|n| n.has_tag_name((W, "del")))
            .expect("the valid mark");
        assert_eq!(del.attribute((W, "author")), Some("Tổ <soạn> \"A\" & B"));
        assert_eq!(del.attribute((W, "date")), Some("2026-03-20T00:00:00Z"));
        assert_eq!(texts(del, "delText"), "đảm");
        // The text is written whole: plain runs around the deleted word.
        let all: String = tree
            .descendants()
            .filter(|n| n.has_tag_name((W, "t")) || n.has_tag_name((W, "delText")))
            .filter_map(|n| n.text())
            .collect();
        assert!(all.contains(sample::SENTENCE));
    }

    /// LibreOffice reads the tracked changes: converted to flat ODT, each shows up as a
    /// changed region; converted to PDF (changes shown), every inserted and deleted word
    /// is there.
    #[test]
    fn libreoffice_reads_the_tracked_changes() {
        let have = |tool: &str| {
            Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !have("soffice") {
            assert!(
                std::env::var("CI").is_err(),
                "soffice is required in CI but is not installed (see .ci/run)"
            );
            eprintln!(
                "\n*** SKIPPED libreoffice_reads_the_tracked_changes: soffice not installed; \
                 install libreoffice-writer-nogui ***\n"
            );
            return;
        }
        let doc = sample::marked();
        let bytes = build_docx(&doc);
        let xml = document_xml(&bytes);
        let changes = xml.matches("<w:ins ").count() + xml.matches("<w:del ").count();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("marked.docx");
        std::fs::write(&path, &bytes).expect("write docx");
        let convert = |format: &str| {
            let out = Command::new("soffice")
                .arg(format!(
                    "-env:UserInstallation=file://{}",
                    dir.path().join("profile").display()
                ))
                .args(["--headless", "--convert-to", format, "--outdir"])
                .arg(dir.path())
                .arg(&path)
                .output()
                .expect("run soffice");
            let converted = path.with_extension(format);
            assert!(
                converted.is_file(),
                "LibreOffice did not convert to {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            converted
        };

        let fodt = std::fs::read_to_string(convert("fodt")).expect("read fodt");
        let regions = fodt.matches("<text:changed-region ").count();
        let insertions = fodt.matches("<text:insertion").count();
        let deletions = fodt.matches("<text:deletion").count();
        assert!(
            insertions > 0 && deletions > 0,
            "{insertions} / {deletions}"
        );
        // LibreOffice may merge or split a few regions (row marks and the runs of one
        // row), but every one of ours is there in some form.
        assert!(
            regions * 2 >= changes,
            "{regions} changed regions for {changes} w:ins/w:del"
        );
        // With our author and date.
        assert_eq!(
            fodt.matches("<dc:creator>phuluc</dc:creator>").count(),
            regions
        );
        assert_eq!(fodt.matches("<dc:date>2026-04-02").count(), regions);

        let pdf = convert("pdf");
        if !have("pdftotext") {
            eprintln!("\n*** SKIPPED the PDF half: pdftotext not installed ***\n");
            return;
        }
        let out = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("run pdftotext");
        let text = String::from_utf8_lossy(&out.stdout);
        for word in sample::INSERTED_WORDS.iter().chain(&sample::DELETED_WORDS) {
            assert!(text.contains(word), "LibreOffice's PDF lacks {word:?}");
        }
    }
}
