//! Font coverage: every character of a document that its font lacks, for `phuluc check`.
//!
//! Contract: reads the document's texts (heading lines and cells) and asks each text's
//! face for a glyph per character; returns one [`LayoutError::MissingGlyph`] per distinct
//! character, at its first place. Layout itself stops at the first missing glyph; this
//! lists them all so one check shows every one.

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;

use super::LayoutError;
use crate::document::{Document, Row, TextStyle};
use crate::fonts::{Face, FontError, FontSet};

/// The characters of `doc` the fonts cannot draw, each once, with where it first occurs.
pub fn missing_glyphs(doc: &Document, fonts: &FontSet) -> Result<Vec<LayoutError>, FontError> {
    let loaded = fonts.loaded()?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut scan =
        |text: &str, style: &TextStyle, part: &str, row: Option<&str>, column: Option<&str>| {
            let face = loaded.face(Face::of(style));
            let font = harfrust::ShaperFont::new(&face.shaping);
            for c in text.nfc() {
                if c.is_whitespace() || c.is_control() || is_default_ignorable(c) {
                    continue;
                }
                if font.nominal_glyph(u32::from(c)).is_none() && seen.insert(c) {
                    out.push(LayoutError::MissingGlyph {
                        ch: c,
                        part: part.to_owned(),
                        row: row.map(str::to_owned),
                        column: column.map(str::to_owned),
                    });
                }
            }
        };
    for part in &doc.parts {
        for p in &part.heading {
            scan(&p.text, &p.style, &part.outline, None, None);
        }
        let headers: Vec<String> = part
            .table
            .header
            .first()
            .map(|h| column_names(h, part.table.columns.len()))
            .unwrap_or_default();
        for row in part.table.header.iter().chain(&part.table.body) {
            let mut col = 0;
            for cell in &row.cells {
                let column = headers.get(col).map(String::as_str);
                scan(
                    &cell.text,
                    &cell.style,
                    &part.outline,
                    Some(&row.label),
                    column,
                );
                col += cell.span.max(1);
            }
        }
    }
    Ok(out)
}

/// The header text over each grid column.
fn column_names(header: &Row, columns: usize) -> Vec<String> {
    let mut names = Vec::with_capacity(columns);
    for cell in &header.cells {
        for _ in 0..cell.span.max(1) {
            names.push(cell.text.clone());
        }
    }
    names
}

/// Characters shaping drops (soft hyphen, joiners, variation selectors): never missing.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD | 0x034F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF
    )
}
