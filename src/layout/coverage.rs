//! Font coverage: every character of a document that its font lacks, for `phuluc check`.
//!
//! Contract: reads the document's texts (heading lines and cells); returns one
//! [`LayoutError::MissingGlyph`] per distinct character layout would stop at, at its first
//! place (with the origin layout would give it: its row's, or its part's). Layout itself stops at the first missing glyph; this lists them all so one
//! check shows every one. A character with a cmap entry costs one lookup; the grapheme
//! cluster of any other is shaped as layout shapes it, because shaping draws some
//! characters the cmap lacks (U+2011 with the U+2010 glyph, spaces U+2000–U+200A as
//! spaces, default ignorables as nothing), and `check` must agree with `render` on what
//! the PDF can hold. Linear in the text: each cluster is shaped once (the shaper caches).

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;

use super::error::LayoutError;
use super::lines::is_break_char;
use super::text::{MissingChar, Shaper, is_mark};
use crate::diag::Span;
use crate::document::{Document, Row, TextStyle};
use crate::fonts::{Face, FontError, FontSet};

/// The characters of `doc` the fonts cannot draw, each once, with where it first occurs.
pub fn missing_glyphs(doc: &Document, fonts: &FontSet) -> Result<Vec<LayoutError>, FontError> {
    let loaded = fonts.loaded()?;
    let mut shaper = Shaper::new(loaded);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut scan = |text: &str,
                    style: &TextStyle,
                    part: &str,
                    (row, column): (Option<&str>, Option<&str>),
                    origin: Option<Span>| {
        let face = loaded.face(Face::of(style));
        let font = harfrust::ShaperFont::new(&face.shaping);
        let text: String = text.nfc().collect();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (i, &(_, c)) in chars.iter().enumerate() {
            let drawn = font
                .nominal_glyph(u32::from(c))
                .is_some_and(|g| g.to_u32() != 0);
            // Layout cuts lines at break characters and draws tabs as spaces.
            if drawn || is_break_char(c) || c == '\t' || seen.contains(&c) {
                continue;
            }
            // Shape c's grapheme cluster (back to its base, on over the marks after
            // it) as layout shapes the segment holding it: shaping decides per
            // cluster, and costs nothing more for the next occurrence (cached).
            let mut first = i;
            while first > 0 && is_mark(chars[first].1) {
                first -= 1;
            }
            let mut last = i + 1;
            while last < chars.len() && is_mark(chars[last].1) {
                last += 1;
            }
            let from = chars[first].0;
            let to = chars.get(last).map_or(text.len(), |&(at, _)| at);
            let Some(cluster) = text.get(from..to) else {
                continue;
            };
            if let Err(MissingChar(m)) = shaper.shape(Face::of(style), cluster)
                && seen.insert(m)
            {
                out.push(LayoutError::MissingGlyph {
                    ch: m,
                    part: part.to_owned(),
                    row: row.map(str::to_owned),
                    column: column.map(str::to_owned),
                    origin,
                });
            }
        }
    };
    for part in &doc.parts {
        for p in &part.heading {
            scan(&p.text, &p.style, &part.outline, (None, None), part.origin);
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
                    (Some(&row.label), column),
                    row.origin,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::templates::Templates;

    fn missing(text: &str) -> Vec<char> {
        let yaml = format!(
            "version: 1\nplan: {{kind: K, symbol: S, year: 2026, issuer: I}}\nappendices:\n  - template: nhiem-vu\n    title: T\n    items:\n      - nhiem_vu: {}\n",
            serde_json::to_string(text).unwrap_or_default()
        );
        let templates = Templates::builtin().expect("templates");
        let path = std::path::Path::new("t.yaml");
        let tree = crate::model::parse_str(&yaml, path).expect("YAML");
        let (plan, _) = crate::model::validate(&tree, path, &templates);
        let document = crate::compose::compose(&plan, &templates).expect("valid plan");
        missing_glyphs(&document, &FontSet::builtin())
            .expect("fonts")
            .into_iter()
            .filter_map(|e| match e {
                LayoutError::MissingGlyph { ch, .. } => Some(ch),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn characters_shaping_draws_without_a_cmap_entry_are_not_missing() {
        // U+2011 (drawn with U+2010's glyph), U+2003 (a space), U+200B (dropped), U+2028
        // (a line break: never shaped).
        assert_eq!(
            missing("khéo\u{2011}léo\u{2003}a\u{200B}b\u{2028}c"),
            Vec::<char>::new()
        );
    }

    #[test]
    fn every_distinct_missing_character_is_listed_once() {
        assert_eq!(missing("ab漢c 漢 字 \u{2011}"), vec!['漢', '字']);
    }
}
