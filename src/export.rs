//! Exports for other programs: the composed document as JSON ([`json`]), for other
//! typesetters (the side-by-side comparison in `bench/`) and scripts, and the tracking
//! workbook ([`xlsx`]).
//!
//! Contract: the JSON is one document, `{"version": 1, "meta": {…}, "parts": [{"slug",
//! "outline", "page", "page_numbers", "heading": [paragraph], "rule",
//! "space_before_table_pt", "table": {"columns_mm", "padding_mm", "border_pt", "header":
//! [row], "body": [row]}}]}`, where a row is `{"kind": "header"|"section"|"group"|"item",
//! "label", "keep_with_next", "cells": [{"text", "span", "size_pt", "bold", "italic",
//! "align", "valign"}]}` and a paragraph `{"text", "size_pt", "bold", "italic", "align",
//! "space_after_pt"}`, followed by a line break. Texts are exactly the Document's
//! (numbers computed, agency lists joined, `'\n'` a line break); lengths are millimetres
//! (`_mm`) or points (`_pt`), as in [`crate::document`].

use serde::Serialize;

use crate::compose::templates::Templates;
use crate::document::{
    Align, Cell, Document, Margins, Paragraph, Part, Row, RowKind, TextStyle, VAlign,
};
use crate::fonts::FontSet;
use crate::model::Plan;
use crate::xlsx::XlsxError;

/// The composed document as JSON, with a final line break.
pub fn json(doc: &Document) -> Vec<u8> {
    // Every value is a string, a number, a bool or a list of them: serialising cannot
    // fail, and an empty output would be caught by any reader.
    let mut bytes = serde_json::to_vec(&JsonDocument::from(doc)).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The tracking workbook of a plan (a sheet per appendix, one per agency), its row
/// heights measured with the built-in fonts.
pub fn xlsx(plan: &Plan, templates: &Templates) -> Result<Vec<u8>, XlsxError> {
    let register = crate::compose::agencies::register(plan, templates);
    crate::xlsx::xlsx(&register, &FontSet::builtin())
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
