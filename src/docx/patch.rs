//! Post-processing of the XML parts docx-rs builds, for what it cannot express.
//!
//! Contract: each patch is a small, exact string edit on a part docx-rs generated (never
//! on user text: user text is escaped, so the markers searched for cannot occur in it).
//! Adds `w:tblHeader` to each table's header rows, points every section at the shared page-number headers, marks the default
//! language vi-VN, and writes core properties (title, creator, fixed dates). For tracked
//! changes it moves row marks to where the schema wants them and numbers revisions
//! deterministically ([`revisions`]); a document without changes has none of the markers
//! those edits look for and is left as it was.

use docx_rs::XMLDocx;

use crate::document::Document;

/// Applies every patch.
pub fn apply(mut parts: XMLDocx, doc: &Document) -> XMLDocx {
    let header_rows: Vec<usize> = doc.parts.iter().map(|p| p.table.header.len()).collect();
    parts.document = document(&parts.document, &header_rows);
    let size = doc.parts.first().map_or(13.0, |p| p.page_numbers.size_pt);
    for h in &mut parts.headers {
        *h = header(h, size);
    }
    parts.styles = styles(&parts.styles);
    parts.doc_props.core = core(doc);
    parts
}

/// Marks the first `header_rows[i]` rows of table `i` as header rows (every row carries
/// `w:cantSplit`, so `w:tblHeader` goes right after it).
fn mark_header_rows(xml: &str, header_rows: &[usize]) -> String {
    const ROW_MARK: &str = "<w:cantSplit />";
    let mut out = String::with_capacity(xml.len() + 64 * header_rows.len());
    let mut rest = xml;
    for &count in header_rows {
        let Some(t) = rest.find("<w:tbl>") else {
            break;
        };
        out.push_str(&rest[..t]);
        rest = &rest[t..];
        for _ in 0..count {
            let Some(m) = rest.find(ROW_MARK) else {
                break;
            };
            let end = m + ROW_MARK.len();
            out.push_str(&rest[..end]);
            out.push_str("<w:tblHeader />");
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Header rows repeat; section-break paragraphs take no room; every section points at
/// the shared page-number headers.
fn document(xml: &[u8], header_rows: &[usize]) -> Vec<u8> {
    let xml = mark_header_rows(&String::from_utf8_lossy(xml), header_rows);
    let xml = revisions(&xml)
        // The paragraph carrying a section break follows a table: make it 1 pt high so a
        // table that fills its last page never pushes an empty line onto a new page.
        .replace(
            "<w:pPr><w:sectPr>",
            concat!(
                r#"<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto" />"#,
                r#"<w:rPr><w:sz w:val="2" /><w:szCs w:val="2" /></w:rPr><w:sectPr>"#
            ),
        );
    // docx-rs writes header references only into the final sectPr, and after w:pgSz where
    // the schema wants them first. Collect them, then put them first in every sectPr.
    let mut refs = String::new();
    let mut stripped = String::with_capacity(xml.len());
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<w:headerReference ") {
        let Some(len) = rest[i..].find("/>") else {
            break;
        };
        let element = &rest[i..i + len + 2];
        if !refs.contains(element) {
            refs.push_str(element);
        }
        stripped.push_str(&rest[..i]);
        rest = &rest[i + len + 2..];
    }
    stripped.push_str(rest);
    stripped
        .replace("<w:sectPr>", &format!("<w:sectPr>{refs}"))
        .into_bytes()
}

/// Tracked changes as Word and the schema want them:
/// - docx-rs writes a row's `w:ins` / `w:del` first in `w:trPr`, where CT_TrPr wants them
///   after the row properties (`w:cantSplit`, `w:tblHeader`): move them to the end;
/// - docx-rs numbers revisions from a process-wide counter that never resets, so ids
///   would depend on what was built before: renumber every `w:ins` / `w:del` 1, 2, … in
///   document order (ids must only be unique), so the same document gives the same bytes.
fn revisions(xml: &str) -> String {
    const INS: &str = r#"<w:ins w:id=""#;
    const DEL: &str = r#"<w:del w:id=""#;
    if !xml.contains(INS) && !xml.contains(DEL) {
        return xml.to_owned();
    }
    let moved = row_marks_last(xml);
    let mut out = String::with_capacity(moved.len() + 64);
    let mut rest = moved.as_str();
    let mut next = 1u64;
    loop {
        let at = match (rest.find(INS), rest.find(DEL)) {
            (Some(i), Some(d)) => i.min(d),
            (Some(i), None) => i,
            (None, Some(d)) => d,
            (None, None) => break,
        };
        // Both markers have the same length.
        let id_start = at + INS.len();
        out.push_str(&rest[..id_start]);
        rest = &rest[id_start..];
        let Some(quote) = rest.find('"') else {
            break;
        };
        out.push_str(&next.to_string());
        next += 1;
        rest = &rest[quote..];
    }
    out.push_str(rest);
    out
}

/// Moves the `w:ins` / `w:del` elements that open a `w:trPr` to its end.
fn row_marks_last(xml: &str) -> String {
    const OPEN: &str = "<w:trPr>";
    const CLOSE: &str = "</w:trPr>";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(i) = rest.find(OPEN) {
        let body = i + OPEN.len();
        out.push_str(&rest[..body]);
        rest = &rest[body..];
        let Some(end) = rest.find(CLOSE) else {
            break;
        };
        let mut marks = String::new();
        let mut props = &rest[..end];
        while props.starts_with("<w:ins ") || props.starts_with("<w:del ") {
            let Some(len) = element_len(props) else {
                break;
            };
            marks.push_str(&props[..len]);
            props = &props[len..];
        }
        out.push_str(props);
        out.push_str(&marks);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Length of the childless element `xml` starts with (`<x … />` or `<x …></x>`).
fn element_len(xml: &str) -> Option<usize> {
    let gt = xml.find('>')?;
    if xml[..gt].ends_with('/') {
        return Some(gt + 1);
    }
    let name = xml.get(1..)?.split([' ', '>']).next()?;
    let close = format!("</{name}>");
    xml[gt + 1..]
        .starts_with(&close)
        .then_some(gt + 1 + close.len())
}

/// The page number takes the size the document asks for, not the default run size.
fn header(xml: &[u8], size_pt: f32) -> Vec<u8> {
    let half = (size_pt * 2.0).round() as u32;
    String::from_utf8_lossy(xml)
        .replace(
            "<w:r><w:rPr />",
            &format!(r#"<w:r><w:rPr><w:sz w:val="{half}" /><w:szCs w:val="{half}" /></w:rPr>"#),
        )
        .into_bytes()
}

/// Default run language: Word proofs the text as Vietnamese.
fn styles(xml: &[u8]) -> Vec<u8> {
    let lang = r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA" />"#;
    let s = String::from_utf8_lossy(xml);
    if let Some(i) = s.find("<w:rPrDefault>")
        && let Some(j) = s[i..].find("</w:rPr>")
    {
        let at = i + j;
        let mut out = String::with_capacity(s.len() + lang.len());
        out.push_str(&s[..at]);
        out.push_str(lang);
        out.push_str(&s[at..]);
        return out.into_bytes();
    }
    xml.to_vec()
}

/// XML-escapes text for element content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Core properties with the title, the issuing body and the data's date.
fn core(doc: &Document) -> Vec<u8> {
    let d = doc.meta.date;
    let date = format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day);
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"#,
            r#"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>{lang}</dc:language>"#,
            r#"<cp:revision>1</cp:revision>"#,
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#,
            r#"</cp:coreProperties>"#
        ),
        title = escape(&doc.meta.title),
        author = escape(&doc.meta.author),
        lang = escape(&doc.meta.language),
        date = date,
    )
    .into_bytes()
}
