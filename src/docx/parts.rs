//! The package's small parts: content types, relationships, settings, font table, theme,
//! headers, document properties and the agency names (a custom XML data part).
//!
//! Contract: each function writes one whole part; none depends on anything but its
//! arguments (no clock, no counters but the ones passed in), so the same document gives
//! the same parts. Child order follows the schemas (CT_Settings, CT_Font, DrawingML's
//! CT_OfficeStyleSheet, the OPC core properties).

use super::props::PPr;
use super::styles::{Look, Styles};
use super::xml::{ParaIds, attr, raw, text};
use crate::document::{AGENCY_NAMES_NS, AgencyNames, Document};

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The namespaces of a part with paragraphs (document, headers): WordprocessingML, its
/// relationships, and Word 2010's `w14` for paragraph ids, ignorable by older readers.
pub const BODY_NAMESPACES: &str = concat!(
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" "#,
    r#"mc:Ignorable="w14""#
);

/// A header part's content.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HeaderKind {
    /// One empty paragraph: first pages, and parts without page numbers.
    Empty,
    /// The page number (a PAGE field), centred, in this look.
    PageNumber(Look),
}

/// `[Content_Types].xml` for the parts [`super::write`] packs, with `headers` header parts.
/// `agencies`: whether the package has the agency-names part ([`AGENCIES_PART`]).
pub fn content_types(x: &mut Vec<u8>, headers: usize, agencies: bool) {
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#,
            r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
            r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
            r#"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#,
            r#"<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>"#,
            r#"<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>"#,
        ),
    );
    for i in 1..=headers {
        raw(x, "<Override PartName=\"/word/header");
        raw(x, &i.to_string());
        raw(
            x,
            ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>",
        );
    }
    if agencies {
        raw(
            x,
            r#"<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>"#,
        );
    }
    raw(
        x,
        concat!(
            r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
            r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
            "</Types>"
        ),
    );
}

/// `_rels/.rels`: the main document and the two property parts.
pub fn package_rels(x: &mut Vec<u8>) {
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
            r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
            "</Relationships>"
        ),
    );
}

/// The relationship id of header part `n` (1-based) in `document.xml.rels`.
pub fn header_rid(n: usize) -> String {
    format!("rId{}", n + 4)
}

/// `word/_rels/document.xml.rels`: styles, settings, fonts, theme, then the headers
/// (`rId5`, `rId6` …, see [`header_rid`]), then the agency names when `agencies`.
pub fn document_rels(x: &mut Vec<u8>, headers: usize, agencies: bool) {
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#,
            r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>"#,
            r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>"#,
        ),
    );
    for n in 1..=headers {
        raw(x, "<Relationship Id=\"");
        raw(x, &header_rid(n));
        raw(
            x,
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header",
        );
        raw(x, &n.to_string());
        raw(x, ".xml\"/>");
    }
    if agencies {
        raw(
            x,
            r#"<Relationship Id="rIdAgencies" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/>"#,
        );
    }
    raw(x, "</Relationships>");
}

/// The agency-names data part's name in the package.
pub const AGENCIES_PART: &str = "customXml/item1.xml";

/// [`AGENCIES_PART`]: the names a list cell is made of, as a custom XML data part —
/// Word keeps such parts through editing and saving, shows nothing of them, and a
/// reader can cut "Phòng Kinh tế, Hạ tầng và Đô thị, Công an phường" back into the two
/// names it joins. `<canonical>` entries are the plan's `agencies:` list, `<used>` the
/// names of its cells.
pub fn agencies(x: &mut Vec<u8>, names: &AgencyNames) {
    raw(x, XML_DECL);
    raw(x, "<agencies xmlns=\"");
    raw(x, AGENCY_NAMES_NS);
    raw(x, "\">");
    for (tag, list) in [("canonical", &names.canonical), ("used", &names.used)] {
        for name in list {
            raw(x, "<");
            raw(x, tag);
            raw(x, ">");
            text(x, name);
            raw(x, "</");
            raw(x, tag);
            raw(x, ">");
        }
    }
    raw(x, "</agencies>");
}

/// `customXml/itemProps1.xml`: the data part's properties (its id and namespace).
pub fn agencies_props(x: &mut Vec<u8>) {
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<ds:datastoreItem ds:itemID="{5B0D3E0C-6F0A-4C57-9E55-7068756C7563}" "#,
            r#"xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">"#,
            r#"<ds:schemaRefs><ds:schemaRef ds:uri=""#,
        ),
    );
    raw(x, AGENCY_NAMES_NS);
    raw(x, r#""/></ds:schemaRefs></ds:datastoreItem>"#);
}

/// `customXml/_rels/item1.xml.rels`: the data part to its properties.
pub fn agencies_rels(x: &mut Vec<u8>) {
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps1.xml"/>"#,
            "</Relationships>"
        ),
    );
}

/// `word/settings.xml`: Word 2013+ layout (compatibility mode 15, so Word does not open
/// the file in Compatibility Mode, which lays tables out differently), Vietnamese
/// conventions for the decimal and list separators.
pub fn settings(x: &mut Vec<u8>, language: &str) {
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            r#"<w:zoom w:percent="100"/>"#,
            r#"<w:defaultTabStop w:val="720"/>"#,
            r#"<w:characterSpacingControl w:val="doNotCompress"/>"#,
            "<w:compat>",
            r#"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>"#,
            r#"<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
            r#"<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
            r#"<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
            r#"<w:compatSetting w:name="differentiateMultirowTableHeaders" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
            "</w:compat>",
            r#"<w:themeFontLang w:val=""#
        ),
    );
    attr(x, language);
    raw(
        x,
        concat!(
            r#""/>"#,
            r#"<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>"#,
            "</w:settings>"
        ),
    );
}

/// `word/fontTable.xml`: the one font the document names.
pub fn font_table(x: &mut Vec<u8>) {
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            r#"<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/>"#,
            r#"<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
            "</w:fonts>"
        ),
    );
}

/// `word/theme/theme1.xml`: Office's default colours and effects, with Times New Roman as
/// both theme fonts (nothing in the document refers to the theme; Word and the schema
/// rules want the part to exist).
pub fn theme(x: &mut Vec<u8>) {
    raw(x, XML_DECL);
    raw(x, include_str!("theme1.xml"));
}

/// A header part; its paragraph takes the next paragraph id.
pub fn header(x: &mut Vec<u8>, kind: HeaderKind, styles: &Styles, ids: &mut ParaIds) {
    raw(x, XML_DECL);
    raw(x, "<w:hdr ");
    raw(x, BODY_NAMESPACES);
    raw(x, "><w:p");
    ids.write(x);
    raw(x, ">");
    match kind {
        HeaderKind::Empty => {}
        HeaderKind::PageNumber(look) => {
            PPr {
                style: Some(styles.id(look)),
                ..PPr::default()
            }
            .write(x);
            // Word's own form of a field: begin, instruction, separate, the last result
            // (shown until fields are updated; "1" is what the first numbered page shows),
            // end — each in its own run.
            raw(
                x,
                concat!(
                    r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#,
                    "<w:r><w:instrText>PAGE</w:instrText></w:r>",
                    r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"#,
                    "<w:r><w:t>1</w:t></w:r>",
                    r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#
                ),
            );
        }
    }
    raw(x, "</w:p></w:hdr>");
}

/// `docProps/core.xml`: title, the issuing body, language and the data's date (never the
/// clock).
pub fn core(x: &mut Vec<u8>, doc: &Document) {
    let d = doc.meta.date;
    let date = format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day);
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>"
        ),
    );
    attr(x, &doc.meta.title);
    raw(x, "</dc:title><dc:creator>");
    attr(x, &doc.meta.author);
    raw(x, "</dc:creator><cp:lastModifiedBy>");
    attr(x, &doc.meta.author);
    raw(x, "</cp:lastModifiedBy><dc:language>");
    attr(x, &doc.meta.language);
    raw(x, "</dc:language><cp:revision>1</cp:revision>");
    raw(x, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">");
    raw(x, &date);
    raw(
        x,
        "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">",
    );
    raw(x, &date);
    raw(x, "</dcterms:modified></cp:coreProperties>");
}

/// `docProps/app.xml`: the application that wrote the file.
pub fn app(x: &mut Vec<u8>) {
    raw(x, XML_DECL);
    raw(
        x,
        concat!(
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
            r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
            "<Application>phuluc</Application><DocSecurity>0</DocSecurity></Properties>"
        ),
    );
}
