//! PDF writer: lays a [`Document`] out and writes it as tagged PDF/A-2a + PDF/UA-1 with
//! krilla.
//!
//! Contract: [`pdf`] returns the bytes of one PDF holding every part of the document, or a
//! [`PdfError`]; it never panics and never reads the clock: the creation date is
//! `doc.meta.date`, so the same input gives the same bytes. Fonts are embedded as subsets
//! with ToUnicode maps (krilla), the file is checked by krilla's PDF/A-2a and PDF/UA-1
//! validators, XMP carries title, author and language from `doc.meta`, and each part gets
//! an outline entry pointing at its first page. Structure: a `Sect` per part holding the
//! heading block (first paragraph `H1`, the rest `P`) and a `Table` with `THead`/`TBody`,
//! `TR`, `TH` (column scope) and `TD` (column spans). Header rows repeated on later pages,
//! page numbers, borders and rules are artifacts.

mod draw;
mod tags;

use std::fmt;
use std::num::{NonZeroU16, NonZeroU32};

use krilla::Document as KrillaDocument;
use krilla::SerializeSettings;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::Point;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::tagging::{Identifier, Node, TableHeaderScope, Tag, TagGroup, TagKind, TagTree};

use crate::diag::{Diagnostic, Text, ToDiagnostic};
use crate::document::{Document, Part, Row, VMerge};
use crate::fonts::{FontError, FontSet};
use crate::layout::{self, LayoutError};
use tags::PartTags;

/// What the PDF writer needs besides the document.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// The faces text is set in; [`FontSet::builtin`] by default.
    pub fonts: FontSet,
    /// Deflate page content streams (on by default). Off, the file is about 2.5× larger
    /// and written about 30 % faster; fonts are compressed either way.
    pub compress: bool,
}

impl PdfOptions {
    /// Options using `fonts`, with compression on.
    pub fn new(fonts: FontSet) -> Self {
        PdfOptions {
            fonts,
            compress: true,
        }
    }
}

impl Default for PdfOptions {
    /// The built-in Liberation Serif, compression on.
    fn default() -> Self {
        PdfOptions::new(FontSet::builtin())
    }
}

/// Why no PDF could be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document could not be laid out (e.g. a character the font lacks).
    Layout(#[from] LayoutError),
    /// The fonts could not be parsed.
    Font(#[from] FontError),
    /// The document has no part, so there is nothing to print.
    Empty,
    /// A page size krilla refuses (zero or negative).
    PageSize {
        /// The part.
        part: String,
    },
    /// krilla could not write the file, or the file would not be valid PDF/A / PDF/UA.
    Write {
        /// What krilla reported.
        detail: String,
    },
}

impl ToDiagnostic for PdfError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            PdfError::Layout(e) => e.to_diagnostic(),
            PdfError::Font(e) => e.to_diagnostic(),
            PdfError::Empty => Diagnostic::error(crate::layout::no_appendix_to_print()),
            PdfError::PageSize { part } => Diagnostic::error(Text::new(
                format!("{part}: khổ giấy không hợp lệ"),
                format!("{part}: invalid paper size"),
            )),
            PdfError::Write { detail } => Diagnostic::error(Text::new(
                format!("không tạo được PDF: {detail}"),
                format!("cannot write the PDF: {detail}"),
            )),
        }
    }
}

/// The Vietnamese message (the diagnostic's).
impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_diagnostic().message.vi)
    }
}

/// Writes `doc` as one PDF/A-2a + PDF/UA-1 file.
pub fn pdf(doc: &Document, opts: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    if doc.is_empty() {
        return Err(PdfError::Empty);
    }
    let fonts = opts.fonts.loaded()?;

    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_A)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| PdfError::Write {
            detail: format!("{e:?}"),
        })?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        compress_content_streams: opts.compress,
        ..SerializeSettings::default()
    };
    let mut document = KrillaDocument::new_with(settings);

    let mut tags: Vec<PartTags> = doc.parts.iter().map(PartTags::new).collect();
    // Each page is drawn as soon as layout finishes it, then dropped: a long table's
    // glyphs are never all in memory at once.
    let mut first_page: Vec<Option<usize>> = vec![None; doc.parts.len()];
    let mut pages = 0usize;
    let mut refused: Option<PdfError> = None;
    layout::layout_each(doc, &opts.fonts, &mut |page| {
        let Some(part_tags) = tags.get_mut(page.part) else {
            return;
        };
        if refused.is_some() {
            return;
        }
        if let Some(first) = first_page.get_mut(page.part) {
            first.get_or_insert(pages);
        }
        pages += 1;
        if draw::page(&mut document, &page, fonts, part_tags).is_err() {
            refused = Some(PdfError::PageSize {
                part: doc
                    .parts
                    .get(page.part)
                    .map(|p| p.outline.clone())
                    .unwrap_or_default(),
            });
        }
    })?;
    if let Some(e) = refused {
        return Err(e);
    }

    let language = if doc.meta.language.trim().is_empty() {
        "vi".to_owned()
    } else {
        doc.meta.language.clone()
    };
    let mut tree = TagTree::new().with_lang(Some(language.clone()));
    for (part, part_tags) in doc.parts.iter().zip(tags) {
        tree.push(part_group(part, part_tags));
    }
    document.set_tag_tree(tree);

    let mut outline = Outline::new();
    for (index, part) in doc.parts.iter().enumerate() {
        if let Some(&Some(first)) = first_page.get(index) {
            outline.push_child(OutlineNode::new(
                part.outline.clone(),
                XyzDestination::new(first, Point::from_xy(0.0, 0.0)),
            ));
        }
    }
    document.set_outline(outline);

    // PDF/UA needs a title: fall back to the parts' names, then to a generic one.
    let names = doc
        .parts
        .iter()
        .map(|p| p.outline.trim())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let title = non_empty(&doc.meta.title, non_empty(&names, "Phụ lục")).to_owned();
    let date = doc.meta.date;
    let mut metadata = Metadata::new()
        .title(title)
        .language(language)
        .creator("phuluc".to_owned())
        .creation_date(
            DateTime::new(date.year)
                .month(date.month.clamp(1, 12))
                .day(date.day.clamp(1, 31)),
        );
    if !doc.meta.author.trim().is_empty() {
        metadata = metadata.authors(vec![doc.meta.author.clone()]);
    }
    document.set_metadata(metadata);

    document.finish().map_err(|e| PdfError::Write {
        detail: describe(&e),
    })
}

fn describe(error: &KrillaError) -> String {
    match error {
        KrillaError::Validation(errors) => errors
            .iter()
            .map(|(e, _)| format!("{e:?}"))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// The structure of one part: `Sect` → heading paragraphs, `Table`.
fn part_group(part: &Part, tags: PartTags) -> TagGroup {
    let mut section = TagGroup::new(Tag::Section);
    for (index, (paragraph, ids)) in part.heading.iter().zip(tags.heading).enumerate() {
        let kind: TagKind = if index == 0 {
            // PDF/UA wants a non-empty title on every heading.
            let text = paragraph
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let title = non_empty(&text, non_empty(&part.outline, "Phụ lục"));
            Tag::Hn(NonZeroU16::MIN, Some(title.to_owned())).into()
        } else {
            Tag::P.into()
        };
        section.push(TagGroup::with_children(kind, leaves(ids)));
    }

    let mut table = TagGroup::new(Tag::Table);
    if !part.table.header.is_empty() {
        let mut head = TagGroup::new(Tag::THead);
        for (row, cells) in part
            .table
            .header
            .iter()
            .zip(merged(&part.table.header, tags.header))
        {
            let mut tr = TagGroup::new(Tag::TR);
            for (cell, merged) in row.cells.iter().zip(cells) {
                let Some((rows, ids)) = merged else { continue };
                let th = Tag::TH(TableHeaderScope::Column)
                    .with_col_span(span(cell.span))
                    .with_row_span(span(rows));
                tr.push(TagGroup::with_children(th, leaves(ids)));
            }
            head.push(tr);
        }
        table.push(head);
    }
    let mut body = TagGroup::new(Tag::TBody);
    for (row, cells) in part
        .table
        .body
        .iter()
        .zip(merged(&part.table.body, tags.body))
    {
        let mut tr = TagGroup::new(Tag::TR);
        for (cell, merged) in row.cells.iter().zip(cells) {
            let Some((rows, ids)) = merged else { continue };
            let td = Tag::TD
                .with_col_span(span(cell.span))
                .with_row_span(span(rows));
            tr.push(TagGroup::with_children(td, leaves(ids)));
        }
        body.push(tr);
    }
    table.push(body);
    section.push(table);
    section
}

/// `text` trimmed, or `fallback` when that is empty.
fn non_empty<'a>(text: &'a str, fallback: &'a str) -> &'a str {
    let text = text.trim();
    if text.is_empty() { fallback } else { text }
}

fn leaves(ids: Vec<Identifier>) -> Vec<Node> {
    ids.into_iter().map(Node::from).collect()
}

/// A cell as the tag tree has it: the rows it spans and the content of all of them; `None`
/// for a cell merged into the one above.
type TaggedCell = Option<(usize, Vec<Identifier>)>;

/// The table cells as a reader sees them: a vertically merged cell is one cell spanning
/// its rows (`Some((rows, ids))` at its first row, holding the content of every row of the
/// run), its continuations nothing (`None`).
fn merged(rows: &[Row], mut ids: Vec<Vec<Vec<Identifier>>>) -> Vec<Vec<TaggedCell>> {
    let starts: Vec<Vec<usize>> = rows
        .iter()
        .map(|r| {
            let mut at = 0;
            r.cells
                .iter()
                .map(|c| {
                    let s = at;
                    at += c.span.max(1);
                    s
                })
                .collect()
        })
        .collect();
    let mut out: Vec<Vec<TaggedCell>> = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let mut cells = Vec::with_capacity(row.cells.len());
        for (c, cell) in row.cells.iter().enumerate() {
            let own = ids
                .get_mut(r)
                .and_then(|cells| cells.get_mut(c))
                .map(std::mem::take)
                .unwrap_or_default();
            let at = starts[r][c];
            // A continuation hands its content to the run's first cell, found upwards.
            let start = (cell.vmerge == VMerge::Continue)
                .then(|| {
                    (0..r).rev().find_map(|above| {
                        let i = starts[above].iter().position(|s| *s == at)?;
                        out[above][i].is_some().then_some((above, i))
                    })
                })
                .flatten();
            match start {
                Some((above, i)) => {
                    if let Some((rows, first)) = out[above][i].as_mut() {
                        *rows += 1;
                        first.extend(own);
                    }
                    cells.push(None);
                }
                None => cells.push(Some((1, own))),
            }
        }
        out.push(cells);
    }
    out
}

fn span(span: usize) -> Option<NonZeroU32> {
    NonZeroU32::new(u32::try_from(span).unwrap_or(u32::MAX)).filter(|s| s.get() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::sample;

    fn render(doc: &Document) -> Vec<u8> {
        match pdf(doc, &PdfOptions::default()) {
            Ok(bytes) => bytes,
            Err(e) => panic!("pdf failed: {e}"),
        }
    }

    #[test]
    fn validates_as_pdf_a2a_and_ua1_and_is_deterministic() {
        let doc = sample::document();
        let a = render(&doc);
        let b = render(&doc);
        assert!(a.starts_with(b"%PDF-1.7"));
        assert!(a == b, "identical input gives identical bytes");
        let text = String::from_utf8_lossy(&a);
        assert!(text.contains("pdfaid:part>2<") || text.contains("pdfaid:part=\"2\""));
        assert!(text.contains("pdfuaid:part"));
        assert!(text.contains("2026-03-20"), "creation date from the plan");
    }

    #[test]
    fn missing_glyph_is_an_error_naming_part_row_and_column() {
        let mut doc = sample::document();
        doc.parts[0].table.body[3].cells[1].text = "Chữ Hán 漢 không có".to_owned();
        let err = pdf(&doc, &PdfOptions::default()).expect_err("no glyph for 漢");
        match &err {
            PdfError::Layout(LayoutError::MissingGlyph {
                ch,
                part,
                row,
                column,
                ..
            }) => {
                assert_eq!(*ch, '漢');
                assert_eq!(part, "Phụ lục I");
                assert_eq!(
                    row.as_deref(),
                    Some(doc.parts[0].table.body[3].label.as_str())
                );
                assert_eq!(column.as_deref(), Some("Mục tiêu"));
            }
            other => panic!("unexpected error {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains("U+6F22"), "{message}");
        assert!(message.contains("Mục tiêu"), "{message}");
    }

    #[test]
    fn empty_titles_and_language_still_validate() {
        let mut doc = sample::document();
        doc.meta.title.clear();
        doc.meta.language.clear();
        doc.parts[0].heading[0].text = "  ".to_owned();
        assert!(!render(&doc).is_empty());
    }

    #[test]
    fn uncompressed_output_is_larger_but_valid() {
        let doc = sample::document();
        let small = render(&doc);
        let options = PdfOptions {
            compress: false,
            ..PdfOptions::default()
        };
        let large = pdf(&doc, &options).expect("uncompressed pdf");
        assert!(large.len() > small.len());
    }

    #[test]
    fn odd_inputs_lay_out_or_fail_cleanly() {
        let odd = [
            "",
            "   ",
            "\n\n",
            "a\r\nb\rc\td",
            "soft\u{AD}hyphen zero\u{200B}width join\u{200D}er",
            "line\u{2028}separator",
            "Vie\u{0323}\u{0302}t Nam", // NFD
            "a\u{0301}\u{0301}\u{0301}",
            "x\u{00A0}y\u{00A0}z",
            "😀 emoji",
            "\u{0007}bell",
        ];
        for text in odd {
            let mut doc = sample::document();
            doc.parts.truncate(2);
            doc.parts[0].table.body.truncate(2);
            doc.parts[1].table.body.truncate(4);
            doc.parts[1].table.body[2].cells[1].text = text.to_owned();
            doc.parts[1].table.columns[1] = 0.0;
            doc.parts[1].table.body[3].cells[0].span = 0;
            doc.parts[1].table.body[3].cells.pop();
            match pdf(&doc, &PdfOptions::default()) {
                Ok(bytes) => assert!(bytes.starts_with(b"%PDF")),
                Err(PdfError::Layout(LayoutError::MissingGlyph { ch, .. })) => {
                    assert!(text.contains(ch), "{text:?}: {ch:?}")
                }
                Err(e) => panic!("{text:?}: {e}"),
            }
        }
        // Cells spanning past the grid are an error, not a panic.
        let mut doc = sample::document();
        doc.parts[0].table.body[0].cells[0].span = 9;
        assert!(matches!(
            pdf(&doc, &PdfOptions::default()),
            Err(PdfError::Layout(LayoutError::RowTooWide { .. }))
        ));
        // Margins larger than the paper.
        let mut doc = sample::document();
        doc.parts[0].page.margins.left = 400.0;
        assert!(matches!(
            pdf(&doc, &PdfOptions::default()),
            Err(PdfError::Layout(LayoutError::NoRoom { .. }))
        ));
    }

    #[test]
    fn empty_document_is_an_error() {
        let mut doc = sample::document();
        doc.parts.clear();
        assert!(matches!(
            pdf(&doc, &PdfOptions::default()),
            Err(PdfError::Empty)
        ));
    }

    #[test]
    fn marked_document_validates_and_is_deterministic() {
        let doc = sample::marked();
        let a = render(&doc);
        let b = render(&doc);
        assert!(a == b, "identical marked input gives identical bytes");
        // Marks change the file (they are drawn) …
        assert!(a != render(&sample::document()));
        // … in colour: the content streams (uncompressed here) stroke in blue and red.
        let options = PdfOptions {
            compress: false,
            ..PdfOptions::default()
        };
        let plain = pdf(&doc, &options).expect("uncompressed marked pdf");
        let text = String::from_utf8_lossy(&plain);
        assert!(
            text.contains("0 0.3529412 0.78431374 SCN"),
            "blue underlines"
        );
        assert!(text.contains("0.78431374 0 0 SCN"), "red strike-throughs");

        // Malformed marks are skipped, never a panic or an invalid file.
        let mut odd = sample::document();
        let cell = &mut odd.parts[0].table.body[2].cells[1];
        cell.marks = vec![
            crate::document::Mark {
                range: 1..2,
                kind: crate::document::MarkKind::Inserted,
            },
            crate::document::Mark {
                range: 3..usize::MAX,
                kind: crate::document::MarkKind::Deleted,
            },
        ];
        odd.parts[0].table.body[3].cells[0].text.clear();
        // A mark on an empty cell's (missing) text.
        odd.parts[0].table.body[3].cells[0].marks = vec![crate::document::Mark {
            range: 0..4,
            kind: crate::document::MarkKind::Inserted,
        }];
        assert!(render(&odd).starts_with(b"%PDF"));
    }

    /// The text poppler's pdftotext reads from `bytes`; `None` (the test skipped, loudly)
    /// where pdftotext cannot run.
    fn pdftotext(bytes: &[u8], test: &str) -> Option<String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("test.pdf");
        std::fs::write(&path, bytes).expect("write pdf");
        match std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
        {
            Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
            Ok(o) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&o.stderr)),
            Err(e) => {
                eprintln!(
                    "\n*** SKIPPED {test}: pdftotext not runnable ({e}); install poppler-utils ***\n"
                );
                None
            }
        }
    }

    /// pdftotext reads inserted and deleted words alike: marks never hide text.
    #[test]
    fn pdftotext_finds_inserted_and_deleted_words() {
        let doc = sample::marked();
        let Some(text) = pdftotext(&render(&doc), "pdftotext_finds_inserted_and_deleted_words")
        else {
            return;
        };
        let found: std::collections::HashSet<&str> = text.split_whitespace().collect();
        for word in sample::INSERTED_WORDS.iter().chain(&sample::DELETED_WORDS) {
            assert!(found.contains(word), "pdftotext lost {word:?}");
        }
        for word in ["Nhiệm", "bỏ", "Bổ", "cuối.", "xong"] {
            assert!(found.contains(word), "pdftotext lost {word:?}");
        }
    }

    /// pdftotext (poppler-utils) finds every word of the document in the PDF.
    #[test]
    fn pdftotext_finds_every_word() {
        let doc = sample::document();
        let Some(text) = pdftotext(&render(&doc), "pdftotext_finds_every_word") else {
            return;
        };
        let found: std::collections::HashSet<&str> = text.split_whitespace().collect();
        let squeezed: String = text.split_whitespace().collect();
        // pdftotext joins a word cut after a hyphen at a line end and drops the hyphen.
        let unhyphenated = squeezed.replace('-', "");
        let mut missing = Vec::new();
        for word in sample::words(&doc) {
            // Words cut at a line end (the 600-character token) come out in pieces.
            if !found.contains(word.as_str())
                && !squeezed.contains(&word)
                && !unhyphenated.contains(&word.replace('-', ""))
            {
                missing.push(word);
            }
        }
        assert!(missing.is_empty(), "pdftotext lost {missing:?}");
        assert!(squeezed.contains(&sample::token_600()));
    }
}
