//! `word/document.xml`: the heading block, the table and the section of every part,
//! written row by row into the zip entry.
//!
//! Contract: one pass over the [`Document`], in order; after each row the buffer is handed
//! on once it holds a chunk ([`Spill::spill`]), so memory does not grow with the number of
//! rows. A part ends its section with a 1 pt paragraph carrying the section's properties
//! (the last part's go at the end of the body), so a table that fills its last page never
//! pushes an empty line onto a new one. Paragraph and revision ids are counted in the
//! order things are written: the same document gives the same bytes.

use std::io;
use std::ops::Range;

use super::parts::BODY_NAMESPACES;
use super::props::{
    BottomBorder, PPr, Revision, RowMark, SectPr, Spacing, TblPr, TcPr, TrPr, VAlign,
};
use super::styles::{Look, Styles, TINY};
use super::xml::{ParaIds, Spill, raw, text};
use crate::document::{self, Document, MarkKind, Part, RowChange, VMerge};

/// Millimetres to twentieths of a point.
fn twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Points to eighths of a point (border `w:sz`), at least the schema's minimum of 2.
fn eighths(pt: f32) -> u32 {
    (pt * 8.0).round().max(2.0) as u32
}

/// Author and date of every tracked change in the file, and the next revision id.
pub struct Tracking {
    author: String,
    /// `YYYY-MM-DDT00:00:00Z`: the data's date, never the clock.
    date: String,
    next: u64,
}

impl Tracking {
    /// The document's reviser ([`document::Metadata::revision`]), else "phuluc" on the
    /// document's date.
    pub fn of(doc: &Document) -> Tracking {
        let (author, d) = match &doc.meta.revision {
            Some(r) => (r.author.clone(), r.date),
            None => ("phuluc".to_owned(), doc.meta.date),
        };
        Tracking {
            author,
            date: format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day),
            next: 0,
        }
    }

    /// The next revision: ids 1, 2, … in document order (they need only be unique).
    fn next(&mut self) -> Revision<'_> {
        self.next += 1;
        Revision {
            id: self.next,
            author: &self.author,
            date: &self.date,
        }
    }
}

/// The header references of one section.
#[derive(Debug, Clone)]
pub struct SectionHeaders {
    /// Relationship id of the header on every page.
    pub default: String,
    /// Relationship id of the header on the first page.
    pub first: String,
}

/// Everything the body writer needs besides the document.
pub struct Body<'a> {
    /// Paragraph styles of the document.
    pub styles: &'a Styles,
    /// Paragraph ids, shared with the header parts.
    pub ids: &'a mut ParaIds,
    /// Revision author, date and ids.
    pub tracking: Tracking,
    /// The headers of each part's section, in part order.
    pub headers: &'a [SectionHeaders],
}

impl Body<'_> {
    /// Writes the whole `document.xml` into `out`.
    pub fn write(&mut self, doc: &Document, out: &mut Spill<'_>) -> io::Result<()> {
        raw(
            &mut out.buf,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document ",
        );
        raw(&mut out.buf, BODY_NAMESPACES);
        raw(&mut out.buf, "><w:body>");
        let last = doc.parts.len().saturating_sub(1);
        for (i, part) in doc.parts.iter().enumerate() {
            let section = self.section(part, i);
            self.heading(part, &mut out.buf);
            self.table(part, out)?;
            if i < last {
                // The section ends with the paragraph that carries its properties.
                self.spacer(&mut out.buf, Some(&section));
            } else {
                // Word needs a paragraph after a final table; the body's own sectPr
                // closes the last section.
                self.spacer(&mut out.buf, None);
                section.write(&mut out.buf);
            }
            out.spill()?;
        }
        raw(&mut out.buf, "</w:body></w:document>");
        Ok(())
    }

    fn section(&self, part: &Part, i: usize) -> SectPr {
        let m = part.page.margins;
        let (default, first) = match self.headers.get(i) {
            Some(h) => (h.default.clone(), h.first.clone()),
            None => (String::new(), String::new()),
        };
        let mm = |v: f32| twips(v).max(0) as u32;
        SectPr {
            header_default: default,
            header_first: first,
            size: (mm(part.page.width_mm), mm(part.page.height_mm)),
            landscape: part.page.landscape,
            margins: [
                mm(m.top),
                mm(m.right),
                mm(m.bottom),
                mm(m.left),
                mm(part.page.header_mm),
                mm(part.page.header_mm),
            ],
            page_start: part.page_numbers.start,
            title_page: !part.page_numbers.show_on_first,
        }
    }

    /// A 1 pt paragraph, ending a section when `section` is given.
    fn spacer(&mut self, x: &mut Vec<u8>, section: Option<&SectPr>) {
        self.open_paragraph(x);
        PPr {
            style: Some(TINY),
            section,
            ..PPr::default()
        }
        .write(x);
        raw(x, "</w:p>");
    }

    fn open_paragraph(&mut self, x: &mut Vec<u8>) {
        raw(x, "<w:p");
        self.ids.write(x);
        raw(x, ">");
    }

    /// The heading lines, then the short rule (or an empty 1 pt paragraph) carrying the
    /// space before the table.
    fn heading(&mut self, part: &Part, x: &mut Vec<u8>) {
        for h in &part.heading {
            self.open_paragraph(x);
            let after = points20(h.space_after_pt);
            PPr {
                style: Some(self.styles.id(Look::of(h.style, h.align))),
                spacing: (after > 0).then_some(Spacing { before: 0, after }),
                ..PPr::default()
            }
            .write(x);
            if h.marks.is_empty() {
                lines(x, &h.text, false);
            } else {
                self.runs(x, &h.text, &h.segments());
            }
            raw(x, "</w:p>");
        }
        let after = points20(part.space_before_table_pt);
        self.open_paragraph(x);
        match part.rule {
            Some(rule) => {
                // An empty paragraph indented to the rule's width, with a bottom border.
                let side = twips((part.page.text_width_mm() - rule.width_mm) / 2.0).max(0);
                PPr {
                    style: Some(TINY),
                    border_bottom: Some(BottomBorder {
                        size: eighths(rule.thickness_pt),
                    }),
                    spacing: Some(Spacing {
                        before: points20(rule.space_before_pt),
                        after,
                    }),
                    indent: Some((side, side)),
                    ..PPr::default()
                }
                .write(x);
            }
            None => PPr {
                style: Some(TINY),
                spacing: Some(Spacing { before: 0, after }),
                ..PPr::default()
            }
            .write(x),
        }
        raw(x, "</w:p>");
    }

    fn table(&mut self, part: &Part, out: &mut Spill<'_>) -> io::Result<()> {
        let t = &part.table;
        let grid: Vec<u32> = t.columns.iter().map(|w| twips(*w).max(1) as u32).collect();
        let pad = |v: f32| twips(v).max(0) as u32;
        let x = &mut out.buf;
        raw(x, "<w:tbl>");
        TblPr {
            width: grid.iter().sum(),
            border: eighths(t.border_pt),
            cell_margins: [
                pad(t.padding.top),
                pad(t.padding.left),
                pad(t.padding.bottom),
                pad(t.padding.right),
            ],
        }
        .write(x);
        raw(x, "<w:tblGrid>");
        for w in &grid {
            raw(x, "<w:gridCol w:w=\"");
            super::xml::num(x, (*w).into());
            raw(x, "\"/>");
        }
        raw(x, "</w:tblGrid>");
        let header = t.header.iter().map(|row| (row, true));
        for (row, repeats) in header.chain(t.body.iter().map(|row| (row, false))) {
            self.row(row, repeats, &grid, &mut out.buf);
            out.spill()?;
        }
        raw(&mut out.buf, "</w:tbl>");
        Ok(())
    }

    /// One row; `repeats` for the header rows, which Word repeats on every page.
    fn row(&mut self, row: &document::Row, repeats: bool, grid: &[u32], x: &mut Vec<u8>) {
        raw(x, "<w:tr>");
        // Whole-row marks let Word accept or reject an added or removed row in one go; a
        // changed row's marks are all in its cells.
        let mark = match row.change {
            Some(RowChange::Added) => Some(RowMark::Inserted(self.tracking.next())),
            Some(RowChange::Removed) => Some(RowMark::Deleted(self.tracking.next())),
            Some(RowChange::Changed) | None => None,
        };
        // Every row keeps together, as the PDF layout does: a row that fits on a page is
        // moved to the next page whole rather than split; only a row taller than a page
        // splits (Word and LibreOffice do that by themselves for cantSplit rows).
        TrPr {
            cant_split: true,
            header: repeats,
            mark,
        }
        .write(x);
        let mut col = 0;
        for cell in &row.cells {
            let span = cell.span.max(1);
            let width = grid.iter().skip(col).take(span).sum();
            col += span;
            raw(x, "<w:tc>");
            TcPr {
                width,
                span,
                vmerge: match cell.vmerge {
                    VMerge::None => None,
                    VMerge::Start => Some(true),
                    VMerge::Continue => Some(false),
                },
                valign: match cell.valign {
                    document::VAlign::Top => VAlign::Top,
                    document::VAlign::Center => VAlign::Center,
                },
            }
            .write(x);
            self.open_paragraph(x);
            PPr {
                style: Some(self.styles.id(Look::of(cell.style, cell.align))),
                keep_next: row.keep_with_next,
                ..PPr::default()
            }
            .write(x);
            // A continued cell's text is the merged cell's, shown once (in the first).
            let shown = cell.vmerge != VMerge::Continue;
            if shown && cell.marks.is_empty() {
                lines(x, &cell.text, false);
            } else if shown {
                self.runs(x, &cell.text, &cell.segments());
            }
            raw(x, "</w:p></w:tc>");
        }
        raw(x, "</w:tr>");
    }

    /// A marked text as runs: each stretch of `segments` plain or inside `w:ins` /
    /// `w:del`, a `'\n'` a break at the start of the next run.
    fn runs(&mut self, x: &mut Vec<u8>, all: &str, segments: &[(Range<usize>, Option<MarkKind>)]) {
        for (range, kind) in segments.iter().cloned() {
            let Some(stretch) = all.get(range) else {
                continue;
            };
            match kind {
                None => lines(x, stretch, false),
                Some(MarkKind::Inserted) => {
                    raw(x, "<w:ins");
                    self.tracking.next().write_attributes(x);
                    raw(x, ">");
                    lines(x, stretch, false);
                    raw(x, "</w:ins>");
                }
                Some(MarkKind::Deleted) => {
                    raw(x, "<w:del");
                    self.tracking.next().write_attributes(x);
                    raw(x, ">");
                    lines(x, stretch, true);
                    raw(x, "</w:del>");
                }
            }
        }
    }
}

/// Points to twentieths of a point (spacing).
fn points20(pt: f32) -> u32 {
    (pt * 20.0).round().max(0.0) as u32
}

/// One run per line of `s`; every line after the first starts with a break. Deleted text
/// goes in `w:delText`, as Word wants inside `w:del`; a tab is `w:tab` (a tab character
/// inside `w:t` is not one to Word).
fn lines(x: &mut Vec<u8>, s: &str, deleted: bool) {
    let (open, close) = if deleted {
        ("<w:delText xml:space=\"preserve\">", "</w:delText>")
    } else {
        ("<w:t xml:space=\"preserve\">", "</w:t>")
    };
    for (i, line) in s.split('\n').enumerate() {
        // A stretch starting with a break has nothing before it on the current line.
        if i == 0 && line.is_empty() {
            continue;
        }
        raw(x, "<w:r>");
        if i > 0 {
            raw(x, "<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                raw(x, "<w:tab/>");
            }
            if !piece.is_empty() {
                raw(x, open);
                text(x, piece);
                raw(x, close);
            }
        }
        raw(x, "</w:r>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(s: &str, deleted: bool) -> String {
        let mut x = Vec::new();
        lines(&mut x, s, deleted);
        String::from_utf8(x).unwrap_or_default()
    }

    #[test]
    fn breaks_start_runs_and_tabs_are_tab_elements() {
        assert_eq!(written("", false), "");
        assert_eq!(
            written("a\tb\nc", false),
            concat!(
                r#"<w:r><w:t xml:space="preserve">a</w:t><w:tab/><w:t xml:space="preserve">b</w:t></w:r>"#,
                r#"<w:r><w:br/><w:t xml:space="preserve">c</w:t></w:r>"#
            )
        );
        // A stretch that starts with a break (after a mark) and one that ends with one.
        assert_eq!(
            written("\nx\n", true),
            r#"<w:r><w:br/><w:delText xml:space="preserve">x</w:delText></w:r><w:r><w:br/></w:r>"#
        );
        assert_eq!(
            written("<&>", false),
            r#"<w:r><w:t xml:space="preserve">&lt;&amp;&gt;</w:t></w:r>"#
        );
    }
}
