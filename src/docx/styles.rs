//! The paragraph styles a document uses, and `styles.xml`.
//!
//! Contract: every distinct (size, bold, italic, alignment) a paragraph of the document
//! takes becomes one paragraph style, so each paragraph names its style and carries only
//! what differs (space after, keep-with-next) — the file stays small and Word's style
//! list shows what the document uses. Style ids are derived from the properties, so the
//! same document gets the same ids. Every `w:pStyle` the body writes names a style
//! defined here ([`Styles::id`] is the only way to get one).

use std::collections::BTreeMap;

use super::props::{Jc, PPr, RPr, Spacing};
use super::xml::{attr, num, raw};
use crate::document::{Align, Document, TextStyle};

/// The font named in the file; Word substitutes nothing on a Vietnamese office PC.
pub const FONT: &str = "Times New Roman";

/// The look of a paragraph that a style captures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Look {
    /// Size in half-points.
    pub size: u32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Alignment.
    pub jc: Jc,
}

impl Look {
    /// The look of text in `style`, aligned `align`.
    pub fn of(style: TextStyle, align: Align) -> Look {
        Look {
            size: half_points(style.size_pt),
            bold: style.bold,
            italic: style.italic,
            jc: jc(align),
        }
    }

    fn id(&self) -> String {
        format!(
            "pl{}{}{}-{}",
            self.size,
            if self.bold { "b" } else { "" },
            if self.italic { "i" } else { "" },
            match self.jc {
                Jc::Left => "left",
                Jc::Center => "center",
                Jc::Right => "right",
                Jc::Both => "justify",
            }
        )
    }

    fn name(&self) -> String {
        let pt = self.size as f32 / 2.0;
        format!(
            "phuluc {pt}pt{}{} {}",
            if self.bold { " bold" } else { "" },
            if self.italic { " italic" } else { "" },
            match self.jc {
                Jc::Left => "left",
                Jc::Center => "center",
                Jc::Right => "right",
                Jc::Both => "justified",
            }
        )
    }
}

/// Points to half-points (`w:sz`), at least 1.
pub fn half_points(pt: f32) -> u32 {
    (pt * 2.0).round().max(1.0) as u32
}

/// The document's alignment as `w:jc`.
pub fn jc(a: Align) -> Jc {
    match a {
        Align::Left => Jc::Left,
        Align::Center => Jc::Center,
        Align::Right => Jc::Right,
        Align::Justify => Jc::Both,
    }
}

/// The id of the 1 pt style of the spacer paragraphs (rule, section breaks, the last one).
pub const TINY: &str = "plTiny";

/// Default text size of the document (13 pt, the table text of Decree 30 appendices).
pub const DEFAULT_SIZE: u32 = 26;

/// The styles of one document.
#[derive(Debug)]
pub struct Styles {
    ids: BTreeMap<Look, String>,
}

impl Styles {
    /// Every look the document's paragraphs take, page-number headers included.
    pub fn of(doc: &Document) -> Styles {
        let mut ids = BTreeMap::new();
        let mut add = |look: Look| {
            ids.entry(look).or_insert_with(|| look.id());
        };
        for part in &doc.parts {
            add(page_number_look(part.page_numbers.size_pt));
            for h in &part.heading {
                add(Look::of(h.style, h.align));
            }
            for row in part.table.header.iter().chain(&part.table.body) {
                for cell in &row.cells {
                    add(Look::of(cell.style, cell.align));
                }
            }
        }
        Styles { ids }
    }

    /// The style id of `look`. Every look of the document has one; another (a caller's
    /// mistake) falls back to Normal rather than naming a style that does not exist.
    pub fn id(&self, look: Look) -> &str {
        self.ids.get(&look).map_or("Normal", String::as_str)
    }

    /// Writes `styles.xml`: document defaults (Times New Roman 13 pt, the document's
    /// language, no spacing, single lines), Normal, the default table style, the spacer
    /// style and one style per look.
    pub fn write(&self, x: &mut Vec<u8>, language: &str) {
        raw(
            x,
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                "\n",
                r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
                "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts"
            ),
        );
        for slot in ["ascii", "hAnsi", "eastAsia", "cs"] {
            raw(x, " w:");
            raw(x, slot);
            raw(x, "=\"");
            attr(x, FONT);
            raw(x, "\"");
        }
        raw(x, "/><w:sz w:val=\"");
        num(x, DEFAULT_SIZE.into());
        raw(x, "\"/><w:szCs w:val=\"");
        num(x, DEFAULT_SIZE.into());
        raw(x, "\"/><w:lang w:val=\"");
        attr(x, language);
        raw(x, "\" w:eastAsia=\"");
        attr(x, language);
        raw(
            x,
            "\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault>",
        );
        PPr {
            spacing: Some(Spacing {
                before: 0,
                after: 0,
            }),
            ..PPr::default()
        }
        .write(x);
        raw(
            x,
            concat!(
                "</w:pPrDefault></w:docDefaults>",
                r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
                r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
                r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>"#,
                r#"<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
                r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="plTiny"><w:name w:val="phuluc spacer 1pt"/><w:basedOn w:val="Normal"/><w:qFormat/>"#,
                r#"<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:style>"#
            ),
        );
        for (look, id) in &self.ids {
            raw(
                x,
                "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"",
            );
            attr(x, id);
            raw(x, "\"><w:name w:val=\"");
            attr(x, &look.name());
            raw(x, "\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>");
            PPr {
                jc: Some(look.jc),
                ..PPr::default()
            }
            .write(x);
            RPr {
                bold: look.bold,
                italic: look.italic,
                size: (look.size != DEFAULT_SIZE).then_some(look.size),
            }
            .write(x);
            raw(x, "</w:style>");
        }
        raw(x, "</w:styles>");
    }
}

/// The page number's look: its size, centred.
pub fn page_number_look(size_pt: f32) -> Look {
    Look {
        size: half_points(size_pt),
        bold: false,
        italic: false,
        jc: Jc::Center,
    }
}
