//! Property elements (`w:pPr`, `w:rPr`, `w:tblPr`, `w:trPr`, `w:tcPr`, `w:sectPr`), each a
//! struct whose one `write` emits its children in the order the ECMA-376 schema sequences
//! them (Part 1, §17; `shared/reference/ooxml-order.md`).
//!
//! Contract: a property that is set is written, one that is not is left out, and the order
//! cannot depend on the caller — it is the order of the statements in `write`, which
//! follow the schema. Lengths are already in the file's units (twentieths of a point,
//! half-points, eighths of a point).

use super::xml::{attr, int, num, raw};

/// Paragraph alignment (`w:jc`, ST_Jc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Jc {
    /// `left`.
    Left,
    /// `center`.
    Center,
    /// `right`.
    Right,
    /// `both`: justified.
    Both,
}

impl Jc {
    fn value(self) -> &'static str {
        match self {
            Jc::Left => "left",
            Jc::Center => "center",
            Jc::Right => "right",
            Jc::Both => "both",
        }
    }
}

/// Run properties (CT_RPr, EG_RPrBase order). Fonts and language come from the document
/// defaults, so a run names only what differs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct RPr {
    /// `w:b`, `w:bCs`.
    pub bold: bool,
    /// `w:i`, `w:iCs`.
    pub italic: bool,
    /// `w:sz`, `w:szCs` in half-points.
    pub size: Option<u32>,
}

impl RPr {
    /// Whether nothing is set (the element would be empty and is left out).
    pub fn is_empty(&self) -> bool {
        !self.bold && !self.italic && self.size.is_none()
    }

    /// Writes `<w:rPr>…</w:rPr>`, or nothing when no property is set.
    pub fn write(&self, x: &mut Vec<u8>) {
        if self.is_empty() {
            return;
        }
        raw(x, "<w:rPr>");
        if self.bold {
            raw(x, "<w:b/><w:bCs/>");
        }
        if self.italic {
            raw(x, "<w:i/><w:iCs/>");
        }
        if let Some(size) = self.size {
            raw(x, "<w:sz w:val=\"");
            num(x, size.into());
            raw(x, "\"/><w:szCs w:val=\"");
            num(x, size.into());
            raw(x, "\"/>");
        }
        raw(x, "</w:rPr>");
    }
}

/// Paragraph spacing (`w:spacing`): before and after in twips, single line height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spacing {
    /// Space before the paragraph.
    pub before: u32,
    /// Space after the paragraph.
    pub after: u32,
}

/// A paragraph's bottom border (`w:pBdr/w:bottom`), for the short rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BottomBorder {
    /// Line thickness in eighths of a point.
    pub size: u32,
}

/// Paragraph properties (CT_PPr). Written without `rPr` and `sectPr` it is also a valid
/// CT_PPrGeneral, the form styles and defaults take.
#[derive(Debug, Clone, Copy, Default)]
pub struct PPr<'a> {
    /// `w:pStyle`: the paragraph style's id.
    pub style: Option<&'a str>,
    /// `w:keepNext`: keep with the next paragraph (a heading row with the row after it).
    pub keep_next: bool,
    /// `w:pBdr` with a bottom line.
    pub border_bottom: Option<BottomBorder>,
    /// `w:spacing`.
    pub spacing: Option<Spacing>,
    /// `w:ind` left and right, in twips.
    pub indent: Option<(i32, i32)>,
    /// `w:jc`.
    pub jc: Option<Jc>,
    /// `w:rPr`: the paragraph mark's run properties.
    pub mark: Option<RPr>,
    /// `w:sectPr`: this paragraph ends a section.
    pub section: Option<&'a SectPr>,
}

impl PPr<'_> {
    /// Writes `<w:pPr>…</w:pPr>`, or nothing when no property is set.
    pub fn write(&self, x: &mut Vec<u8>) {
        let empty = self.style.is_none()
            && !self.keep_next
            && self.border_bottom.is_none()
            && self.spacing.is_none()
            && self.indent.is_none()
            && self.jc.is_none()
            && self.mark.is_none_or(|m| m.is_empty())
            && self.section.is_none();
        if empty {
            return;
        }
        raw(x, "<w:pPr>");
        if let Some(style) = self.style {
            raw(x, "<w:pStyle w:val=\"");
            attr(x, style);
            raw(x, "\"/>");
        }
        if self.keep_next {
            raw(x, "<w:keepNext/>");
        }
        if let Some(b) = self.border_bottom {
            raw(x, "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"");
            num(x, b.size.into());
            raw(x, "\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>");
        }
        if let Some(s) = self.spacing {
            raw(x, "<w:spacing w:before=\"");
            num(x, s.before.into());
            raw(x, "\" w:after=\"");
            num(x, s.after.into());
            raw(x, "\" w:line=\"240\" w:lineRule=\"auto\"/>");
        }
        if let Some((left, right)) = self.indent {
            raw(x, "<w:ind w:left=\"");
            int(x, left.into());
            raw(x, "\" w:right=\"");
            int(x, right.into());
            raw(x, "\"/>");
        }
        if let Some(jc) = self.jc {
            raw(x, "<w:jc w:val=\"");
            raw(x, jc.value());
            raw(x, "\"/>");
        }
        if let Some(mark) = self.mark {
            mark.write(x);
        }
        if let Some(section) = self.section {
            section.write(x);
        }
        raw(x, "</w:pPr>");
    }
}

/// A tracked change's attributes: `w:id`, `w:author`, `w:date`.
#[derive(Debug, Clone, Copy)]
pub struct Revision<'a> {
    /// Unique among the document's revisions.
    pub id: u64,
    /// Who made the change.
    pub author: &'a str,
    /// When, as `YYYY-MM-DDThh:mm:ssZ`.
    pub date: &'a str,
}

impl Revision<'_> {
    /// Writes ` w:id="…" w:author="…" w:date="…"`.
    pub fn write_attributes(&self, x: &mut Vec<u8>) {
        raw(x, " w:id=\"");
        num(x, self.id);
        raw(x, "\" w:author=\"");
        attr(x, self.author);
        raw(x, "\" w:date=\"");
        attr(x, self.date);
        raw(x, "\"");
    }
}

/// Whether a whole row was inserted or deleted (`w:trPr/w:ins`, `w:trPr/w:del`).
#[derive(Debug, Clone, Copy)]
pub enum RowMark<'a> {
    /// The row is new.
    Inserted(Revision<'a>),
    /// The row was removed.
    Deleted(Revision<'a>),
}

/// Row properties (CT_TrPr): the row properties proper (a choice, in any order) then the
/// row's revision mark.
#[derive(Debug, Clone, Copy, Default)]
pub struct TrPr<'a> {
    /// `w:cantSplit`: the row is not broken across pages.
    pub cant_split: bool,
    /// `w:tblHeader`: the row repeats at the top of every page.
    pub header: bool,
    /// `w:ins` / `w:del`, after the row properties.
    pub mark: Option<RowMark<'a>>,
}

impl TrPr<'_> {
    /// Writes `<w:trPr>…</w:trPr>`, or nothing when no property is set.
    pub fn write(&self, x: &mut Vec<u8>) {
        if !self.cant_split && !self.header && self.mark.is_none() {
            return;
        }
        raw(x, "<w:trPr>");
        if self.cant_split {
            raw(x, "<w:cantSplit/>");
        }
        if self.header {
            raw(x, "<w:tblHeader/>");
        }
        match self.mark {
            Some(RowMark::Inserted(r)) => {
                raw(x, "<w:ins");
                r.write_attributes(x);
                raw(x, "/>");
            }
            Some(RowMark::Deleted(r)) => {
                raw(x, "<w:del");
                r.write_attributes(x);
                raw(x, "/>");
            }
            None => {}
        }
        raw(x, "</w:trPr>");
    }
}

/// Vertical alignment of a cell (`w:vAlign`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    /// `top`.
    Top,
    /// `center`.
    Center,
}

/// Cell properties (CT_TcPr).
#[derive(Debug, Clone, Copy)]
pub struct TcPr {
    /// `w:tcW` in twips.
    pub width: u32,
    /// `w:gridSpan`, written when above 1.
    pub span: usize,
    /// `w:vMerge`: `Some(true)` starts a vertical merge (`restart`), `Some(false)`
    /// continues the one above.
    pub vmerge: Option<bool>,
    /// `w:vAlign`.
    pub valign: VAlign,
}

impl TcPr {
    /// Writes `<w:tcPr>…</w:tcPr>`.
    pub fn write(&self, x: &mut Vec<u8>) {
        raw(x, "<w:tcPr><w:tcW w:w=\"");
        num(x, self.width.into());
        raw(x, "\" w:type=\"dxa\"/>");
        if self.span > 1 {
            raw(x, "<w:gridSpan w:val=\"");
            num(x, self.span as u64);
            raw(x, "\"/>");
        }
        match self.vmerge {
            Some(true) => raw(x, "<w:vMerge w:val=\"restart\"/>"),
            Some(false) => raw(x, "<w:vMerge/>"),
            None => {}
        }
        raw(
            x,
            match self.valign {
                VAlign::Top => "<w:vAlign w:val=\"top\"/>",
                VAlign::Center => "<w:vAlign w:val=\"center\"/>",
            },
        );
        raw(x, "</w:tcPr>");
    }
}

/// Table properties (CT_TblPr): width, alignment, borders, fixed layout, cell margins.
#[derive(Debug, Clone, Copy)]
pub struct TblPr {
    /// `w:tblW` in twips.
    pub width: u32,
    /// Border thickness in eighths of a point (every border, single line).
    pub border: u32,
    /// `w:tblCellMar` top, left, bottom, right in twips.
    pub cell_margins: [u32; 4],
}

impl TblPr {
    /// Writes `<w:tblPr>…</w:tblPr>`.
    pub fn write(&self, x: &mut Vec<u8>) {
        raw(x, "<w:tblPr><w:tblW w:w=\"");
        num(x, self.width.into());
        raw(x, "\" w:type=\"dxa\"/><w:jc w:val=\"left\"/><w:tblBorders>");
        // CT_TblBorders: top, left, bottom, right, insideH, insideV.
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            raw(x, "<w:");
            raw(x, side);
            raw(x, " w:val=\"single\" w:sz=\"");
            num(x, self.border.into());
            raw(x, "\" w:space=\"0\" w:color=\"000000\"/>");
        }
        raw(
            x,
            "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>",
        );
        // CT_TblCellMar: top, left, bottom, right.
        for (side, w) in ["top", "left", "bottom", "right"]
            .into_iter()
            .zip(self.cell_margins)
        {
            raw(x, "<w:");
            raw(x, side);
            raw(x, " w:w=\"");
            num(x, w.into());
            raw(x, "\" w:type=\"dxa\"/>");
        }
        raw(x, "</w:tblCellMar>");
        // Word's own default look for a table without a style: no conditional formatting.
        raw(
            x,
            "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"0\"/>",
        );
        raw(x, "</w:tblPr>");
    }
}

/// Section properties (CT_SectPr).
#[derive(Debug, Clone)]
pub struct SectPr {
    /// Relationship id of the default (every page's) header.
    pub header_default: String,
    /// Relationship id of the first page's header.
    pub header_first: String,
    /// Page width and height in twips.
    pub size: (u32, u32),
    /// Landscape orientation.
    pub landscape: bool,
    /// Margins top, right, bottom, left, header, footer in twips.
    pub margins: [u32; 6],
    /// The number of the section's first page.
    pub page_start: u32,
    /// `w:titlePg`: the first page has its own header.
    pub title_page: bool,
}

impl SectPr {
    /// Writes `<w:sectPr>…</w:sectPr>`.
    pub fn write(&self, x: &mut Vec<u8>) {
        raw(x, "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"");
        attr(x, &self.header_default);
        raw(x, "\"/><w:headerReference w:type=\"first\" r:id=\"");
        attr(x, &self.header_first);
        raw(x, "\"/><w:pgSz w:w=\"");
        num(x, self.size.0.into());
        raw(x, "\" w:h=\"");
        num(x, self.size.1.into());
        raw(
            x,
            if self.landscape {
                "\" w:orient=\"landscape\"/>"
            } else {
                "\" w:orient=\"portrait\"/>"
            },
        );
        raw(x, "<w:pgMar");
        for (name, v) in ["top", "right", "bottom", "left", "header", "footer"]
            .into_iter()
            .zip(self.margins)
        {
            raw(x, " w:");
            raw(x, name);
            raw(x, "=\"");
            num(x, v.into());
            raw(x, "\"");
        }
        raw(x, " w:gutter=\"0\"/><w:pgNumType w:start=\"");
        num(x, self.page_start.into());
        raw(x, "\"/><w:cols w:space=\"425\"/>");
        if self.title_page {
            raw(x, "<w:titlePg/>");
        }
        raw(x, "</w:sectPr>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(f: impl Fn(&mut Vec<u8>)) -> String {
        let mut x = Vec::new();
        f(&mut x);
        String::from_utf8(x).unwrap_or_default()
    }

    #[test]
    fn empty_properties_write_nothing() {
        assert_eq!(written(|x| RPr::default().write(x)), "");
        assert_eq!(written(|x| PPr::default().write(x)), "");
        assert_eq!(written(|x| TrPr::default().write(x)), "");
        let mark = PPr {
            mark: Some(RPr::default()),
            ..PPr::default()
        };
        assert_eq!(written(|x| mark.write(x)), "");
    }

    #[test]
    fn paragraph_properties_follow_the_schema_whatever_is_set() {
        let sect = SectPr {
            header_default: "rId5".into(),
            header_first: "rId6".into(),
            size: (16838, 11906),
            landscape: true,
            margins: [1134, 850, 1134, 1701, 567, 567],
            page_start: 1,
            title_page: true,
        };
        let p = PPr {
            style: Some("Tiny"),
            keep_next: true,
            border_bottom: Some(BottomBorder { size: 6 }),
            spacing: Some(Spacing {
                before: 80,
                after: 240,
            }),
            indent: Some((5726, 5726)),
            jc: Some(Jc::Center),
            mark: Some(RPr {
                bold: true,
                italic: true,
                size: Some(2),
            }),
            section: Some(&sect),
        };
        let xml = written(|x| p.write(x));
        let order = [
            "<w:pStyle",
            "<w:keepNext",
            "<w:pBdr",
            "<w:spacing",
            "<w:ind",
            "<w:jc",
            "<w:rPr",
            "<w:b/",
            "<w:i/",
            "<w:sz ",
            "<w:sectPr",
            "<w:headerReference",
            "<w:pgSz",
            "<w:pgMar",
            "<w:pgNumType",
            "<w:cols",
            "<w:titlePg",
        ];
        let at: Vec<usize> = order
            .iter()
            .map(|tag| xml.find(tag).unwrap_or(usize::MAX))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{xml}");
    }
}
