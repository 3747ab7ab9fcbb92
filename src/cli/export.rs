//! `phuluc export FILE.yaml --format json`: prints the composed document as JSON, for
//! other typesetters (the side-by-side comparison in `bench/`) and scripts.
//! `--format xlsx` writes the tracking workbook ([`phuluc::xlsx`]) to `-o FILE.xlsx`
//! (default `output/<file stem>-theo-doi.xlsx`), atomically.
//!
//! Contract: the same checks as `render` run first; any error → diagnostics on stderr,
//! nothing on stdout, exit 1 (exit 2 when the file cannot be read). Otherwise one JSON
//! document on stdout: `{"version": 1, "meta": {…}, "parts": [{"slug", "outline", "page",
//! "page_numbers", "heading": [paragraph], "rule", "space_before_table_pt", "table":
//! {"columns_mm", "padding_mm", "border_pt", "header": [row], "body": [row]}}]}`, where a
//! row is `{"kind": "header"|"section"|"group"|"item", "label", "keep_with_next",
//! "cells": [{"text", "span", "size_pt", "bold", "italic", "align", "valign"}]}` and a
//! paragraph `{"text", "size_pt", "bold", "italic", "align", "space_after_pt"}`. Texts are
//! exactly the Document's (numbers computed, agency lists joined, `'\n'` a line break);
//! lengths are millimetres (`_mm`) or points (`_pt`), as in [`phuluc::document`].

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use phuluc::diag::{Diagnostic, Lang, Text, ToDiagnostic};
use phuluc::document::{
    Align, Cell, Document, Margins, Paragraph, Part, Row, RowKind, TextStyle, VAlign,
};
use serde::Serialize;

use super::write::write_file;
use super::{Outcome, prepare_reported, report};
use phuluc::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON: phụ lục, tiêu đề, cột, các dòng và ô / JSON: appendices, headings, columns, rows, cells
    Json,
    /// Sổ theo dõi Excel: mỗi phụ lục một trang tính, cột tiến độ, trang “Theo cơ quan” /
    /// tracking workbook: a sheet per appendix, progress column, a sheet per agency
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "FILE.yaml")]
    file: PathBuf,
    /// Định dạng kết quả / output format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn / extra or replacement templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Ghi vào tệp này (xlsx: mặc định output/<tên>-theo-doi.xlsx; json: mặc định stdout) /
    /// write to this file (xlsx: default output/<stem>-theo-doi.xlsx; json: default stdout)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: &ExportArgs, lang: Lang) -> Outcome {
    let (templates, prepared) = match prepare_reported(&args.file, args.templates.as_deref(), lang)
    {
        Ok(both) => both,
        Err(outcome) => return outcome,
    };
    match args.format {
        Format::Json => json(args, &prepared.document, lang),
        Format::Xlsx => {
            let register = phuluc::compose::agencies::register(&prepared.plan, &templates);
            match phuluc::xlsx::xlsx(&register, &phuluc::fonts::FontSet::builtin()) {
                Ok(bytes) => write_out(args, &bytes, "theo-doi.xlsx", lang),
                Err(e) => {
                    report(&[e.to_diagnostic().in_file(&args.file)], lang);
                    if e.is_input() {
                        Outcome::Problems
                    } else {
                        Outcome::Failed
                    }
                }
            }
        }
    }
}

/// Writes `bytes` to `-o FILE`, or to `output/<stem>-<suffix>`; says where.
fn write_out(args: &ExportArgs, bytes: &[u8], suffix: &str, lang: Lang) -> Outcome {
    let out = args.output.clone().unwrap_or_else(|| {
        let stem = args.file.file_stem().map_or_else(
            || "ke-hoach".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        PathBuf::from("output").join(format!("{stem}-{suffix}"))
    });
    if let (Ok(a), Ok(b)) = (args.file.canonicalize(), out.canonicalize())
        && a == b
    {
        report(
            &[Diagnostic::error(text!(
                "tệp kết quả trùng với tệp đầu vào",
                "the output file is the input file"
            ))
            .in_file(&out)
            .hint(text!(
                "Chọn tên tệp khác với -o.",
                "Choose another file name with -o."
            ))],
            lang,
        );
        return Outcome::Failed;
    }
    match write_file(&out, bytes) {
        Ok(()) => {
            eprintln!(
                "{} {}",
                match lang {
                    Lang::Vi => "đã ghi",
                    Lang::En => "wrote",
                },
                out.display()
            );
            Outcome::Clean
        }
        Err(d) => {
            report(&[d], lang);
            Outcome::Failed
        }
    }
}

/// The composed document as JSON, on stdout or to `-o FILE`.
fn json(args: &ExportArgs, doc: &Document, lang: Lang) -> Outcome {
    if args.output.is_some() {
        let mut bytes = match serde_json::to_vec(&JsonDocument::from(doc)) {
            Ok(b) => b,
            Err(e) => {
                report(
                    &[Diagnostic::error(Text::new(
                        format!("không tạo được JSON: {e}"),
                        format!("could not make the JSON: {e}"),
                    ))],
                    lang,
                );
                return Outcome::Failed;
            }
        };
        bytes.push(b'\n');
        return write_out(args, &bytes, "json", lang);
    }
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout);
    let written = serde_json::to_writer(&mut out, &JsonDocument::from(doc))
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Outcome::Clean,
        // A closed pipe (`| head`) is the reader's choice, not a failure worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Clean,
        Err(e) => {
            report(
                &[Diagnostic::error(Text::new(
                    format!("không ghi được kết quả ra stdout: {e}"),
                    format!("could not write to stdout: {e}"),
                ))],
                lang,
            );
            Outcome::Failed
        }
    }
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    version: u32,
    meta: JsonMeta<'a>,
    parts: Vec<JsonPart<'a>>,
}

#[derive(Serialize)]
struct JsonMeta<'a> {
    title: &'a str,
    author: &'a str,
    language: &'a str,
    /// YYYY-MM-DD.
    date: String,
}

#[derive(Serialize)]
struct JsonPart<'a> {
    slug: &'a str,
    outline: &'a str,
    page: JsonPage,
    page_numbers: JsonPageNumbers,
    heading: Vec<JsonParagraph<'a>>,
    rule: Option<JsonRule>,
    space_before_table_pt: f32,
    table: JsonTable<'a>,
}

#[derive(Serialize)]
struct JsonPage {
    width_mm: f32,
    height_mm: f32,
    landscape: bool,
    margins_mm: JsonMargins,
    header_mm: f32,
}

#[derive(Serialize)]
struct JsonMargins {
    top: f32,
    bottom: f32,
    left: f32,
    right: f32,
}

#[derive(Serialize)]
struct JsonPageNumbers {
    enabled: bool,
    start: u32,
    show_on_first: bool,
    size_pt: f32,
}

#[derive(Serialize)]
struct JsonParagraph<'a> {
    text: &'a str,
    size_pt: f32,
    bold: bool,
    italic: bool,
    align: &'static str,
    space_after_pt: f32,
}

#[derive(Serialize)]
struct JsonRule {
    width_mm: f32,
    thickness_pt: f32,
    space_before_pt: f32,
}

#[derive(Serialize)]
struct JsonTable<'a> {
    columns_mm: &'a [f32],
    padding_mm: JsonMargins,
    border_pt: f32,
    header: Vec<JsonRow<'a>>,
    body: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    kind: &'static str,
    label: &'a str,
    keep_with_next: bool,
    cells: Vec<JsonCell<'a>>,
}

#[derive(Serialize)]
struct JsonCell<'a> {
    text: &'a str,
    span: usize,
    size_pt: f32,
    bold: bool,
    italic: bool,
    align: &'static str,
    valign: &'static str,
}

impl<'a> From<&'a Document> for JsonDocument<'a> {
    fn from(doc: &'a Document) -> Self {
        let d = doc.meta.date;
        JsonDocument {
            version: 1,
            meta: JsonMeta {
                title: &doc.meta.title,
                author: &doc.meta.author,
                language: &doc.meta.language,
                date: format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
            },
            parts: doc.parts.iter().map(JsonPart::from).collect(),
        }
    }
}

impl<'a> From<&'a Part> for JsonPart<'a> {
    fn from(p: &'a Part) -> Self {
        JsonPart {
            slug: &p.slug,
            outline: &p.outline,
            page: JsonPage {
                width_mm: p.page.width_mm,
                height_mm: p.page.height_mm,
                landscape: p.page.landscape,
                margins_mm: margins(&p.page.margins),
                header_mm: p.page.header_mm,
            },
            page_numbers: JsonPageNumbers {
                enabled: p.page_numbers.enabled,
                start: p.page_numbers.start,
                show_on_first: p.page_numbers.show_on_first,
                size_pt: p.page_numbers.size_pt,
            },
            heading: p.heading.iter().map(paragraph).collect(),
            rule: p.rule.map(|r| JsonRule {
                width_mm: r.width_mm,
                thickness_pt: r.thickness_pt,
                space_before_pt: r.space_before_pt,
            }),
            space_before_table_pt: p.space_before_table_pt,
            table: JsonTable {
                columns_mm: &p.table.columns,
                padding_mm: margins(&p.table.padding),
                border_pt: p.table.border_pt,
                header: p.table.header.iter().map(row).collect(),
                body: p.table.body.iter().map(row).collect(),
            },
        }
    }
}

fn margins(m: &Margins) -> JsonMargins {
    JsonMargins {
        top: m.top,
        bottom: m.bottom,
        left: m.left,
        right: m.right,
    }
}

fn paragraph(p: &Paragraph) -> JsonParagraph<'_> {
    let TextStyle {
        size_pt,
        bold,
        italic,
    } = p.style;
    JsonParagraph {
        text: &p.text,
        size_pt,
        bold,
        italic,
        align: align(p.align),
        space_after_pt: p.space_after_pt,
    }
}

fn row(r: &Row) -> JsonRow<'_> {
    JsonRow {
        kind: match r.kind {
            RowKind::Header => "header",
            RowKind::Section => "section",
            RowKind::Group => "group",
            RowKind::Item => "item",
            RowKind::ColumnNumbers => "column-numbers",
            RowKind::Total => "total",
        },
        label: &r.label,
        keep_with_next: r.keep_with_next,
        cells: r.cells.iter().map(cell).collect(),
    }
}

fn cell(c: &Cell) -> JsonCell<'_> {
    JsonCell {
        text: &c.text,
        span: c.span,
        size_pt: c.style.size_pt,
        bold: c.style.bold,
        italic: c.style.italic,
        align: align(c.align),
        valign: match c.valign {
            VAlign::Top => "top",
            VAlign::Center => "center",
        },
    }
}

fn align(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "justify",
    }
}
