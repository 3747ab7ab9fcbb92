//! `phuluc import`, first step: the .docx package and its neutral model
//! (`phuluc::import::{package, raw}`). Each construct clerks' files contain is a small
//! .docx written here (XML parts zipped by [`docx`]), read back and compared text for
//! text; the hostile files each assert the Vietnamese message. Our own rendered .docx
//! is read back and compared, cell for cell, with `export --format json` of the plan.

use std::process::Command;

use phuluc::diag::ToDiagnostic;
use phuluc::import::ImportError;
use phuluc::import::package::{Limits, Package};
use phuluc::import::raw::{self, Block, Merge, RawDocument, Table};

use crate::common::*;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A .docx whose body is `body` (namespace prefix `w`, `mc` declared) and, when given,
/// whose styles part holds `styles` (inner XML of `w:styles`).
fn docx_ns(ns: &str, body: &str, styles: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{ns}" xmlns:mc="{MC_NS}"><w:body>{body}</w:body></w:document>"#
    );
    let styles = styles.map(|s| {
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{ns}">{s}</w:styles>"#)
    });
    let mut entries: Vec<(&str, &[u8])> = vec![
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ];
    if let Some(s) = &styles {
        entries.push(("word/styles.xml", s.as_bytes()));
    }
    zip_of(&entries)
}

fn docx(body: &str) -> Vec<u8> {
    docx_ns(W_NS, body, None)
}

/// Runs `phuluc import FILE -o OUT` with `extra` arguments, from the project folder.
fn import_to(
    file: &std::path::Path,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "import",
        file.to_str().expect("utf-8 path"),
        "-o",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    phuluc(&root(), &args)
}

fn read_bytes(bytes: &[u8]) -> Result<RawDocument, ImportError> {
    raw::read(&Package::read(bytes)?)
}

fn read_ok(bytes: &[u8]) -> RawDocument {
    match read_bytes(bytes) {
        Ok(doc) => doc,
        Err(e) => panic!("import failed: {e}"),
    }
}

/// The texts of the body's top-level paragraphs.
fn paragraphs(doc: &RawDocument) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text.clone()),
            Block::Table(_) => None,
        })
        .collect()
}

fn tables(doc: &RawDocument) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
        .collect()
}

/// One paragraph's text, from its body XML.
fn text_of(body: &str) -> Vec<String> {
    paragraphs(&read_ok(&docx(body)))
}

fn err_vi(bytes: &[u8]) -> String {
    match read_bytes(bytes) {
        Ok(_) => panic!("expected the file to be refused"),
        Err(e) => e.to_diagnostic().message.vi.into_string(),
    }
}

#[test]
fn runs_split_mid_word_join_again() {
    let t = text_of(
        r#"<w:p><w:r><w:t>Phòng Văn h</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>óa - Xã </w:t></w:r><w:r><w:t xml:space="preserve">hội</w:t></w:r></w:p>"#,
    );
    assert_eq!(t, ["Phòng Văn hóa - Xã hội"]);
}

#[test]
fn tabs_breaks_hyphens_and_symbols_become_text() {
    let t = text_of(
        r#"<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:br w:type="page"/><w:t>e</w:t><w:noBreakHyphen/><w:t>f</w:t><w:softHyphen/><w:t>g</w:t><w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Times New Roman" w:char="2013"/></w:r></w:p>"#,
    );
    assert_eq!(t, ["a\tb\nc\nde-fg\u{b7}\u{2013}"]);
}

#[test]
fn tracked_changes_read_in_their_accepted_view() {
    let t = text_of(
        r#"<w:p><w:r><w:t>Năm </w:t></w:r><w:del w:id="1" w:author="A"><w:r><w:delText>2025</w:delText></w:r></w:del><w:ins w:id="2" w:author="A"><w:r><w:t>2026</w:t></w:r></w:ins><w:moveFrom w:id="3" w:author="A"><w:r><w:t> cũ</w:t></w:r></w:moveFrom><w:moveTo w:id="4" w:author="A"><w:r><w:t> mới</w:t></w:r></w:moveTo></w:p>"#,
    );
    assert_eq!(t, ["Năm 2026 mới"]);
}

#[test]
fn content_controls_links_smart_tags_and_simple_fields_keep_their_runs() {
    let doc = read_ok(&docx(
        r#"<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>khối</w:t></w:r></w:p></w:sdtContent></w:sdt><w:p><w:hyperlink w:anchor="a"><w:r><w:t>liên kết</w:t></w:r></w:hyperlink><w:smartTag w:element="place"><w:r><w:t> Hải Phòng</w:t></w:r></w:smartTag><w:customXml w:element="x"><w:r><w:t> tùy</w:t></w:r></w:customXml><w:fldSimple w:instr=" PAGE "><w:r><w:t> 7</w:t></w:r></w:fldSimple><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t> trong dòng</w:t></w:r></w:sdtContent></w:sdt></w:p><w:tbl><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid><w:sdt><w:sdtContent><w:tr><w:sdt><w:sdtContent><w:tc><w:sdt><w:sdtContent><w:p><w:r><w:t>ô</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc></w:sdtContent></w:sdt></w:tr></w:sdtContent></w:sdt></w:tbl>"#,
    ));
    assert_eq!(
        paragraphs(&doc),
        ["khối", "liên kết Hải Phòng tùy 7 trong dòng"]
    );
    let t = tables(&doc);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].rows.len(), 1);
    assert_eq!(t[0].rows[0].cells[0].text(), "ô");
}

#[test]
fn complex_fields_keep_their_result_nested_too() {
    let t = text_of(
        r#"<w:p><w:r><w:t>Trang </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> = 1 "x" "y" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>kết quả</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t> hết</w:t></w:r></w:p>"#,
    );
    assert_eq!(t, ["Trang kết quả hết"]);
}

#[test]
fn a_field_left_open_in_a_cell_does_not_swallow_the_next_cells() {
    let doc = read_ok(&docx(
        r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>trước</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ô sau</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>đoạn sau</w:t></w:r></w:p>"#,
    ));
    let t = tables(&doc);
    let texts: Vec<String> = t[0].rows[0].cells.iter().map(|c| c.text()).collect();
    assert_eq!(texts, ["trước", "ô sau"]);
    assert_eq!(paragraphs(&doc), ["đoạn sau"]);
}

#[test]
fn alternate_content_reads_exactly_the_fallback() {
    let t = text_of(
        r#"<w:p><mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>lựa chọn</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>dự phòng</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p><w:p><mc:AlternateContent><mc:Choice Requires="w14"><w:r><w:t>chỉ có lựa chọn</w:t></w:r></mc:Choice></mc:AlternateContent></w:p>"#,
    );
    assert_eq!(t, ["dự phòng", "chỉ có lựa chọn"]);
}

#[test]
fn hidden_text_is_dropped_direct_and_through_styles() {
    let styles = r#"<w:style w:type="character" w:styleId="An"><w:rPr><w:vanish/></w:rPr></w:style><w:style w:type="character" w:styleId="AnCon"><w:basedOn w:val="An"/></w:style><w:style w:type="paragraph" w:styleId="DoanAn"><w:rPr><w:vanish/></w:rPr></w:style>"#;
    let doc = read_ok(&docx_ns(
        W_NS,
        r#"<w:p><w:r><w:t>thấy</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t> ẩn</w:t></w:r><w:r><w:rPr><w:rStyle w:val="AnCon"/></w:rPr><w:t> ẩn kiểu</w:t></w:r><w:r><w:rPr><w:rStyle w:val="An"/><w:vanish w:val="0"/></w:rPr><w:t> hiện lại</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="DoanAn"/></w:pPr><w:r><w:t>cả đoạn ẩn</w:t></w:r></w:p><w:p><w:r><w:t>cuối</w:t></w:r></w:p>"#,
        Some(styles),
    ));
    assert_eq!(paragraphs(&doc), ["thấy hiện lại", "cuối"]);
}

#[test]
fn text_is_nfc() {
    // "Hoà" typed with a combining grave accent (NFD).
    let t =
        text_of("<w:p><w:r><w:t>Ho\u{0061}\u{0300} Bi\u{0065}\u{0302}\u{0301}n</w:t></w:r></w:p>");
    assert_eq!(t, ["Hoà Biến"]);
}

#[test]
fn bold_italic_and_style_of_a_paragraph() {
    let styles =
        r#"<w:style w:type="paragraph" w:styleId="TieuDe"><w:rPr><w:b/></w:rPr></w:style>"#;
    let doc = read_ok(&docx_ns(
        W_NS,
        r#"<w:p><w:pPr><w:pStyle w:val="TieuDe"/></w:pPr><w:r><w:t>PHỤ LỤC I</w:t></w:r></w:p><w:p><w:r><w:rPr><w:i/></w:rPr><w:t>(Kèm theo</w:t></w:r><w:r><w:rPr><w:i/><w:b w:val="false"/></w:rPr><w:t> …)</w:t></w:r></w:p><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>nửa</w:t></w:r><w:r><w:t> đậm</w:t></w:r></w:p>"#,
        Some(styles),
    ));
    let ps: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some((p.bold, p.italic, p.style.clone())),
            Block::Table(_) => None,
        })
        .collect();
    assert_eq!(
        ps,
        [
            (true, false, Some("TieuDe".to_owned())),
            (false, true, None),
            (false, false, None)
        ]
    );
}

#[test]
fn strict_namespace_and_any_prefix_read_alike() {
    let body = r#"<w:p><w:r><w:t>chặt</w:t></w:r></w:p>"#;
    assert_eq!(
        paragraphs(&read_ok(&docx_ns(W_STRICT, body, None))),
        ["chặt"]
    );
    // Another writer's prefix for the same namespace.
    let document = format!(
        r#"<?xml version="1.0"?><x:document xmlns:x="{W_NS}"><x:body><x:p><x:r><x:t>tiền tố</x:t></x:r></x:p></x:body></x:document>"#
    );
    let bytes = zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ]);
    assert_eq!(paragraphs(&read_ok(&bytes)), ["tiền tố"]);
    // An element of an unknown namespace with a `t` name is not text.
    let foreign = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W_NS}" xmlns:o="urn:other"><w:body><w:p><w:r><o:t>lạ</o:t><w:t>quen</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bytes = zip_of(&[("word/document.xml", foreign.as_bytes())]);
    assert_eq!(paragraphs(&read_ok(&bytes)), ["quen"]);
}

#[test]
fn cells_on_the_grid_with_spans_merges_and_grid_before_after() {
    let cell = |props: &str, text: &str| {
        format!(r#"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"#)
    };
    let body = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="800"/><w:gridCol w:w="4000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>
<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}{}</w:tr>
<w:tr>{}{}{}{}</w:tr>
<w:tr>{}{}{}{}</w:tr>
<w:tr>{}{}<w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr><w:p/></w:tc>{}</w:tr>
<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="2"/></w:trPr>{}</w:tr>
</w:tbl>"#,
        cell("", "Stt"),
        cell(r#"<w:gridSpan w:val="2"/>"#, "Nội dung"),
        cell("", "Cơ quan"),
        cell("", "1"),
        cell("", "Việc một"),
        cell(r#"<w:vMerge w:val="restart"/>"#, "Phòng Tài chính"),
        cell("", "x"),
        cell("", "2"),
        cell("", "Việc hai"),
        cell("<w:vMerge/>", "bỏ qua"),
        cell("", "y"),
        cell("", "3"),
        cell("", "Việc ba"),
        cell("", "z"),
        cell("", "chỉ cột 2"),
    );
    let doc = read_ok(&docx(&body));
    let t = tables(&doc);
    assert_eq!(t.len(), 1);
    let t = t[0];
    assert_eq!(t.grid, [800, 4000, 2000, 2000]);
    let placed: Vec<Vec<(usize, usize, String)>> = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| (c.col, c.span, c.text())).collect())
        .collect();
    let s = |c: usize, n: usize, t: &str| (c, n, t.to_owned());
    assert_eq!(
        placed,
        [
            vec![s(0, 1, "Stt"), s(1, 2, "Nội dung"), s(3, 1, "Cơ quan")],
            vec![
                s(0, 1, "1"),
                s(1, 1, "Việc một"),
                s(2, 1, "Phòng Tài chính"),
                s(3, 1, "x")
            ],
            vec![
                s(0, 1, "2"),
                s(1, 1, "Việc hai"),
                s(2, 1, "Phòng Tài chính"),
                s(3, 1, "y")
            ],
            vec![
                s(0, 1, "3"),
                s(1, 1, "Việc ba"),
                s(2, 1, "Phòng Tài chính"),
                s(3, 1, "z")
            ],
            vec![s(1, 1, "chỉ cột 2")],
        ]
    );
    assert!(t.rows[0].header && !t.rows[1].header);
    assert_eq!(t.rows[1].cells[2].merge, Merge::Restart);
    assert_eq!(t.rows[2].cells[2].merge, Merge::Continue);
    // The merged text belongs to each row it spans, and says where it came from.
    assert_eq!(t.rows[2].cells[2].merged_from, Some(1));
    assert_eq!(t.rows[3].cells[2].merged_from, Some(1));
    assert_eq!(t.rows[1].cells[2].merged_from, None);
    assert_eq!((t.rows[4].grid_before, t.rows[4].grid_after), (1, 2));
}

#[test]
fn a_cell_keeps_one_paragraph_per_agency_and_its_nested_table() {
    let body = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Phòng Tư pháp</w:t></w:r></w:p><w:p><w:r><w:t>Công an phường</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>lồng</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>"#;
    let doc = read_ok(&docx(body));
    let cell = &tables(&doc)[0].rows[0].cells[0];
    let texts: Vec<&str> = cell.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, ["Phòng Tư pháp", "Công an phường", ""]);
    assert_eq!(cell.tables.len(), 1);
    assert_eq!(cell.tables[0].rows[0].cells[0].text(), "lồng");
}

// ---- hostile files -------------------------------------------------------------------

#[test]
fn not_a_zip_is_refused_in_vietnamese() {
    let msg = err_vi(b"Day la mot tep van ban, khong phai .docx");
    assert_eq!(
        msg,
        "tệp không phải tài liệu Word .docx (không phải tệp nén zip)"
    );
    assert_eq!(err_vi(b""), msg);
}

#[test]
fn a_zip_without_the_main_document_is_refused() {
    let bytes = zip_of(&[("hello.txt", b"xin chao")]);
    assert_eq!(
        err_vi(&bytes),
        "tệp nén không có word/document.xml: không phải tài liệu Word"
    );
}

/// A minimal OLE compound file header with a directory entry named `stream`.
fn ole(stream: &str) -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(1024, 0);
    bytes
}

#[test]
fn an_encrypted_password_protected_file_is_named_so() {
    let msg = err_vi(&ole("EncryptionInfo"));
    assert_eq!(msg, "tệp Word có mật khẩu (đã mã hóa): không đọc được");
    let hint = ImportError::Encrypted.to_diagnostic().hints[0]
        .vi
        .to_string();
    assert!(hint.contains("bỏ mật khẩu"), "{hint}");
    // An OLE file without encryption is an old .doc, not an encrypted one.
    assert_eq!(
        err_vi(&ole("WordDocument")),
        "tệp Word 97–2003 (.doc), không phải .docx"
    );
}

#[test]
fn a_zip_bomb_is_refused_from_the_central_directory() {
    // 4 MiB of zeros deflate to a few kilobytes; the bound here is 1 MiB.
    let zeros = vec![b' '; 4 * 1024 * 1024];
    let bytes = zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", &zeros),
    ]);
    assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
    let err = Package::read_with(
        &bytes,
        Limits {
            max_total: 1024 * 1024,
        },
    )
    .unwrap_err();
    assert_eq!(err, ImportError::TooLarge { limit: 1024 * 1024 });
    assert!(
        err.to_diagnostic()
            .message
            .vi
            .starts_with("tệp quá lớn khi giải nén (hơn 1 MB)"),
        "{}",
        err.to_diagnostic().message.vi
    );
    // Under the default bound the same shape of file is fine when small.
    assert!(Package::read(&docx("<w:p/>")).is_ok());
}

/// Rewrites the declared uncompressed size of every entry (local header and central
/// directory) to `size`: an archive that lies about what it inflates to.
fn lie_about_sizes(bytes: &mut [u8], size: u32) {
    let mut i = 0;
    while i + 30 <= bytes.len() {
        match bytes[i..i + 4] {
            [0x50, 0x4B, 0x03, 0x04] => bytes[i + 22..i + 26].copy_from_slice(&size.to_le_bytes()),
            [0x50, 0x4B, 0x01, 0x02] if i + 46 <= bytes.len() => {
                bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes())
            }
            _ => {}
        }
        i += 1;
    }
}

#[test]
fn a_zip_bomb_lying_about_its_size_is_stopped_while_inflating() {
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>"#,
        "a".repeat(3 * 1024 * 1024)
    );
    let mut bytes = zip_of(&[("word/document.xml", document.as_bytes())]);
    lie_about_sizes(&mut bytes, 100);
    let err = Package::read_with(
        &bytes,
        Limits {
            max_total: 1024 * 1024,
        },
    )
    .unwrap_err();
    assert_eq!(err, ImportError::TooLarge { limit: 1024 * 1024 }, "{err}");
}

#[test]
fn xml_with_a_dtd_or_entities_is_refused() {
    let document = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bytes = zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ]);
    assert_eq!(
        err_vi(&bytes),
        "phần word/document.xml có khai báo DTD/thực thể (<!DOCTYPE>): bị từ chối"
    );
}

#[test]
fn malformed_xml_is_a_message_with_its_position() {
    let bytes = zip_of(&[("word/document.xml", b"<w:document><w:body>")]);
    let msg = err_vi(&bytes);
    assert!(
        msg.starts_with("phần word/document.xml không phải XML hợp lệ: "),
        "{msg}"
    );
}

#[test]
fn tables_nested_a_thousand_deep_are_bounded() {
    let open = "<w:tbl><w:tr><w:tc>".repeat(1000);
    let close = "<w:p/></w:tc></w:tr></w:tbl>".repeat(1000);
    let msg = err_vi(&docx(&format!("{open}{close}")));
    assert_eq!(msg, "bảng lồng trong bảng quá sâu (hơn 16 tầng)");
    // Sixteen deep is still read.
    let open = "<w:tbl><w:tr><w:tc>".repeat(16);
    let close = "<w:p><w:r><w:t>đáy</w:t></w:r></w:p></w:tc></w:tr></w:tbl>".repeat(16);
    let doc = read_ok(&docx(&format!("{open}{close}")));
    let mut t = tables(&doc)[0];
    for _ in 1..16 {
        t = &t.rows[0].cells[0].tables[0];
    }
    assert_eq!(t.rows[0].cells[0].text(), "đáy");
}

#[test]
fn wrappers_nested_ten_thousand_deep_are_bounded_without_overflow() {
    let open = "<w:sdt><w:sdtContent>".repeat(10_000);
    let close = "</w:sdtContent></w:sdt>".repeat(10_000);
    let msg = err_vi(&docx(&format!("{open}<w:p/>{close}")));
    assert_eq!(msg, "các thành phần XML lồng nhau quá sâu (hơn 256 tầng)");
}

// ---- our own .docx, read back ----------------------------------------------------------

/// Renders `plan` (with `extra` arguments) to .docx and exports it as JSON.
fn render_and_export(plan: &str, extra: &[&str]) -> (Vec<u8>, serde_json::Value) {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = root().join(plan);
    let plan = plan.to_str().expect("utf-8 path");
    let out_dir = dir.path().to_str().expect("utf-8 path");
    let mut args = vec!["render", plan, "-o", out_dir, "--format", "docx"];
    args.extend_from_slice(extra);
    let out = phuluc(&root(), &args);
    assert!(out.status.success(), "render failed: {}", stderr(&out));
    let docx = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .expect("a .docx was written");
    let bytes = std::fs::read(docx).expect("read docx");
    let mut args = vec!["export", plan, "--format", "json"];
    args.extend_from_slice(extra);
    let out = phuluc(&root(), &args);
    assert!(out.status.success(), "export failed: {}", stderr(&out));
    let json = serde_json::from_slice(&out.stdout).expect("export json");
    (bytes, json)
}

/// Every table of the document as rows of (grid column, span, text) — the composed
/// document's view — against the raw model's reading of the .docx.
fn assert_tables_match(plan: &str, extra: &[&str]) {
    let (bytes, json) = render_and_export(plan, extra);
    let doc = read_ok(&bytes);
    let parts = json["parts"].as_array().expect("parts");
    let read: Vec<&Table> = tables(&doc);
    assert_eq!(read.len(), parts.len(), "one table per appendix");
    let mut cells = 0;
    for (table, part) in read.iter().zip(parts) {
        let t = &part["table"];
        let expected = json_grid(t);
        let got: Vec<Vec<(usize, usize, String)>> = table
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| {
                        let texts: Vec<&str> =
                            c.paragraphs.iter().map(|p| p.text.as_str()).collect();
                        (c.col, c.span, texts.join(", "))
                    })
                    .collect()
            })
            .collect();
        assert_eq!(got.len(), expected.len(), "{plan}: row count");
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(g, e, "{plan}: row {i}");
            cells += g.len();
        }
    }
    assert!(cells > 20, "{plan}: only {cells} cells compared");
}

#[test]
fn our_own_docx_reads_back_cell_for_cell_seed() {
    assert_tables_match("data/ke-hoach-05-nq-du.yaml", &[]);
}

#[test]
fn our_own_docx_reads_back_cell_for_cell_seven_columns() {
    let templates = root().join("tests/fixtures/templates");
    let templates = templates.to_str().expect("utf-8 path");
    assert_tables_match(
        "tests/fixtures/plans/bay-cot.yaml",
        &["--templates", templates],
    );
}

#[test]
fn our_own_docx_reads_back_cell_for_cell_budget() {
    assert_tables_match("data/vi-du-kinh-phi.yaml", &[]);
}

// ---- phuluc import: render → import → export -----------------------------------------

/// The original plan and the plan imported from its own .docx: the same composed rows,
/// cells and numbers (export JSON equal as a whole), `check` clean, and — re-rendered —
/// the same PDF bytes. Returns import's stderr.
fn round_trip(plan: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = root().join(plan);
    let first = dir.path().join("first");
    let (docx, pdf) = render_both(&first, &original, extra);
    let imported = dir.path().join("nhap.yaml");
    let mut args = vec![
        "import",
        docx.to_str().expect("utf-8 path"),
        "-o",
        imported.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    let out = phuluc(&root(), &args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "import failed: {err}");
    assert!(err.contains("đã ghi"), "{err}");
    let yaml = std::fs::read_to_string(&imported).expect("imported yaml");
    // The `$schema` line finds the project's schema from where the plan was written.
    let schema = yaml
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# yaml-language-server: $schema="))
        .expect("the $schema line");
    let found = imported.parent().expect("dir").join(schema).canonicalize();
    assert_eq!(
        found.ok(),
        root().join("schema/phuluc.schema.json").canonicalize().ok(),
        "{schema}"
    );
    let mut args = vec!["check", imported.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    let check = phuluc(&root(), &args);
    assert_eq!(
        check.status.code(),
        Some(0),
        "check: {}\n{yaml}",
        stderr(&check)
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        stderr(&check)
    );
    assert!(said.contains(": 0 lỗi"), "{said}");
    assert_eq!(
        export_json(&imported, extra)["parts"],
        export_json(&original, extra)["parts"],
        "{plan}: the imported plan composes differently\n{yaml}"
    );
    // The composed cells join agency lists with ", ": the lists themselves, name for
    // name, show in what `phuluc agencies` counts per agency.
    let agencies = |plan: &std::path::Path| {
        let mut args = vec!["agencies", plan.to_str().expect("utf-8 path")];
        args.extend_from_slice(extra);
        let out = phuluc(&root(), &args);
        assert_eq!(out.status.code(), Some(0), "agencies: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        agencies(&imported),
        agencies(&original),
        "{plan}: the imported agency lists differ\n{yaml}"
    );
    let second = dir.path().join("second");
    let (_, pdf2) = render_both(&second, &imported, extra);
    let (a, b) = (
        std::fs::read(pdf).expect("pdf"),
        std::fs::read(pdf2).expect("pdf"),
    );
    assert!(
        a == b,
        "{plan}: re-rendered PDF differs ({} vs {} bytes)",
        a.len(),
        b.len()
    );
    err
}

#[test]
fn import_round_trip_seed() {
    let err = round_trip("data/ke-hoach-05-nq-du.yaml", &[]);
    // Our .docx joins an agency list with ", " but carries the names it joins, so even
    // “Phòng Văn hóa - Xã hội, Phòng Kinh tế, Hạ tầng và Đô thị, …” is cut back exactly,
    // with nothing to review.
    assert!(err.contains("(2 phụ lục, 0 cảnh báo"), "{err}");
}

/// Agency lists whose names contain ", " came back from our own .docx as one name each
/// (seven seed cells did), because the .docx showed only the joined text.
#[test]
fn agency_names_with_commas_come_back_from_our_own_docx_as_lists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("phay.yaml");
    std::fs::write(
        &plan,
        r#"version: 1
plan:
  kind: Kế hoạch
  number: "7"
  symbol: KH-UBND
  date: 2026-03-20
  issuer: Ủy ban nhân dân phường Thạch Khôi
agencies:
  - Phòng Kinh tế, Hạ tầng và Đô thị
  - Công an phường
  - Các phòng, ban, đơn vị thuộc UBND phường
appendices:
  - template: nhiem-vu
    title: Nhiệm vụ
    items:
      - nhiem_vu: Rà soát hạ tầng
        lo_trinh: Năm 2026
        chu_tri:
          - Phòng Kinh tế, Hạ tầng và Đô thị
        phoi_hop:
          - Công an phường
          - Các phòng, ban, đơn vị thuộc UBND phường
        san_pham: Báo cáo
"#,
    )
    .expect("plan");
    let out_dir = dir.path().join("out");
    let (docx, _) = render_both(&out_dir, &plan, &[]);
    let yaml_out = dir.path().join("lai.yaml");
    let out = import_to(&docx, &yaml_out, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let yaml = std::fs::read_to_string(&yaml_out).expect("yaml");
    assert!(
        yaml.contains(
            "        phoi_hop:\n          - Công an phường\n          - Các phòng, ban, đơn vị thuộc UBND phường\n"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("        chu_tri:\n          - Phòng Kinh tế, Hạ tầng và Đô thị\n"),
        "{yaml}"
    );
    // The plan's canonical list comes back too, in its order.
    assert!(
        yaml.contains("agencies:\n  - Phòng Kinh tế, Hạ tầng và Đô thị\n  - Công an phường\n  - Các phòng, ban, đơn vị thuộc UBND phường\nappendices:"),
        "{yaml}"
    );
    // Without the names part (a file from another writer), nothing vouches for the
    // pieces: the cell stays one name, as import promises for an unknown cut.
    let stripped = dir.path().join("khong-ten.docx");
    strip_agency_names(&docx, &stripped);
    let again = dir.path().join("lai2.yaml");
    let out = import_to(&stripped, &again, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let yaml = std::fs::read_to_string(&again).expect("yaml");
    assert!(
        yaml.contains("          - Công an phường, Các phòng, ban, đơn vị thuộc UBND phường\n"),
        "{yaml}"
    );
    assert!(!yaml.contains("agencies:\n"), "{yaml}");
}

/// Copies a .docx without its custom XML parts (and without the relationship to them).
fn strip_agency_names(from: &std::path::Path, to: &std::path::Path) {
    let bytes = std::fs::read(from).expect("docx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).expect("entry");
        let name = e.name().to_owned();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut data).expect("read");
        if name.starts_with("customXml/") {
            continue;
        }
        entries.push((name, data));
    }
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    std::fs::write(to, zip_of(&refs)).expect("write");
}

#[test]
fn import_round_trip_seven_column_kind() {
    let templates = root().join("tests/fixtures/templates");
    round_trip(
        "tests/fixtures/plans/bay-cot.yaml",
        &["--templates", templates.to_str().expect("utf-8 path")],
    );
}

#[test]
fn import_round_trip_budget_copies_merged_lead_agencies_down_with_warnings() {
    let err = round_trip("data/vi-du-kinh-phi.yaml", &[]);
    assert!(
        err.contains("bảng 1, dòng 8, cột 7: ô gộp dọc từ dòng 7: chép “Văn phòng HĐND và UBND phường” xuống dòng này"),
        "{err}"
    );
    assert!(!err.contains("dòng cộng ghi"), "{err}");
}

#[test]
fn import_of_the_budget_example_warns_where_rounded_figures_miss_the_total() {
    // This copy of the budget example types 210.75 and 15.25 in a one-decimal column
    // (check warns of it): the .docx shows 210,8 and 15,3, so the figures read back add up
    // to 4.197,9, not the 4.197,8 printed in the total row. Import cannot know the hidden
    // digits: it says so.
    let dir = tempfile::tempdir().expect("tempdir");
    let (docx, _) = render_both(
        dir.path(),
        &root().join("tests/fixtures/import/kinh-phi-so-le-an.yaml"),
        &["--format", "docx"],
    );
    let out_yaml = dir.path().join("kp.yaml");
    let out = import_to(&docx, &out_yaml, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("bảng 1, dòng 5, cột 3: dòng cộng ghi 4.197,8, nhưng tổng các dòng là 4.197,9: phuluc tự tính lại 4.197,9"),
        "{err}"
    );
}

#[test]
fn import_refuses_to_overwrite_without_force_and_defaults_to_data_stem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (docx, _) = render_both(dir.path(), &seed_yaml(), &["--format", "docx"]);
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).expect("mkdir");
    let docx = docx.to_str().expect("utf-8");
    let first = phuluc(&work, &["import", docx]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let written = work.join("data/ke-hoach-05-nq-du.yaml");
    let before = std::fs::read(&written).expect("default output written");
    std::fs::write(&written, b"# sua tay\n").expect("edit");
    let again = phuluc(&work, &["import", docx]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("tệp kết quả đã có: không ghi đè"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read(&written).expect("kept"), b"# sua tay\n");
    let forced = phuluc(&work, &["import", docx, "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert_eq!(std::fs::read(&written).expect("rewritten"), before);
}

#[test]
fn import_of_a_hostile_file_exits_1_with_the_vietnamese_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("mat-khau.docx");
    std::fs::write(&f, ole("EncryptionInfo")).expect("write");
    let out = phuluc(dir.path(), &["import", f.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("lỗi: tệp Word có mật khẩu (đã mã hóa): không đọc được"),
        "{err}"
    );
    assert!(!dir.path().join("data").exists(), "nothing written");
    // Named .doc, it is still said to be password-protected (not sent to LibreOffice).
    let as_doc = dir.path().join("mat-khau.doc");
    std::fs::write(&as_doc, ole("EncryptionInfo")).expect("write");
    let out = phuluc(dir.path(), &["import", as_doc.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("tệp Word có mật khẩu"),
        "{}",
        stderr(&out)
    );
    let en = Command::new(env!("CARGO_BIN_EXE_phuluc"))
        .args(["import", f.to_str().expect("utf-8"), "--lang", "en"])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert!(
        stderr(&en).contains("password-protected"),
        "{}",
        stderr(&en)
    );
}

/// A table typed by hand in Word: heading lines, a header row with other spacing and
/// accent placement, a column-number row, a section row, a group row, a total row that
/// is wrong, typed amounts, an agency cell of two paragraphs and one of two known names
/// joined by a comma, numbers phuluc would give and one it would not.
#[test]
fn a_hand_typed_budget_table_is_recognised_row_by_row() {
    let p = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let tc = |span: usize, vmerge: &str, paras: &[&str]| {
        let body: String = paras.iter().map(|t| p(t)).collect();
        let body = if body.is_empty() {
            "<w:p/>".to_owned()
        } else {
            body
        };
        format!("<w:tc><w:tcPr><w:gridSpan w:val=\"{span}\"/>{vmerge}</w:tcPr>{body}</w:tc>")
    };
    let one = |t: &str| tc(1, "", &[t]);
    let row = |cells: Vec<String>| format!("<w:tr>{}</w:tr>", cells.concat());
    let restart = "<w:vMerge w:val=\"restart\"/>";
    let cont = "<w:vMerge/>";
    let hdr = [
        row(vec![
            tc(1, restart, &["STT"]),
            tc(1, restart, &["Nội  dung"]),
            tc(4, "", &["Kinh phí (triệu đồng)"]),
            tc(1, restart, &["Cơ quan chủ trì"]),
            tc(1, restart, &["Ghi chú"]),
        ]),
        row(vec![
            tc(1, cont, &[]),
            tc(1, cont, &[]),
            tc(1, restart, &["Tổng số"]),
            tc(3, "", &["Trong đó"]),
            tc(1, cont, &[]),
            tc(1, cont, &[]),
        ]),
        row(vec![
            tc(1, cont, &[]),
            tc(1, cont, &[]),
            tc(1, cont, &[]),
            one("Ngân sách thành phố"),
            one("Ngân sách phường"),
            one("Nguồn khác"),
            tc(1, cont, &[]),
            tc(1, cont, &[]),
        ]),
    ]
    .concat();
    let nums = row((1..=8).map(|i| one(&format!("({i})"))).collect());
    let body = [
        row(vec![
            tc(2, "", &["Tổng cộng"]),
            one("1.300"),
            one("1.000"),
            one("250"),
            one(""),
            one(""),
            one(""),
        ]),
        row(vec![one("1"), tc(7, "", &["Hạ tầng số"])]),
        row(vec![
            one("1.1"),
            one("Mạng nội bộ"),
            one("1.260"),
            one("1.000"),
            one("250"),
            one(""),
            tc(1, "", &["Phòng Tài chính", "Công an phường"]),
            one(""),
        ]),
        row(vec![
            one("1.5"),
            one("Wi-Fi công cộng"),
            one("12,5"),
            one(""),
            one("12,5"),
            one(""),
            one("Công an phường, Phòng Tài chính"),
            one("Xã hội hóa"),
        ]),
        row(vec![
            tc(2, "", &["Cộng"]),
            one("1.262,5"),
            one("1.000"),
            one("262,5"),
            one(""),
            one(""),
            one(""),
        ]),
        row(vec![
            one(""),
            one(""),
            one(""),
            one(""),
            one(""),
            one(""),
            one(""),
            one(""),
        ]),
    ]
    .concat();
    // The title typed after the “Kèm theo” line, as some offices do.
    let heading = [
        p("Ghi chú đầu trang"),
        p("PHỤ LỤC I"),
        p("(Kèm theo Kế hoạch số 12/KH-UBND ngày 20/3/2026 của Ủy ban nhân dân phường Thạch Khôi)"),
        p("Dự toán kinh phí chuyển đổi số"),
    ]
    .concat();
    let grid = "<w:tblGrid>".to_owned() + &"<w:gridCol w:w=\"1000\"/>".repeat(8) + "</w:tblGrid>";
    let bytes = docx(&format!("{heading}<w:tbl>{grid}{hdr}{nums}{body}</w:tbl>"));
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("du-toan-go-tay.docx");
    std::fs::write(&f, bytes).expect("write");
    let out = phuluc(dir.path(), &["import", f.to_str().expect("utf-8")]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let yaml_path = dir.path().join("data/du-toan-go-tay.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).expect("yaml");
    // The wrong grand total: typed 1.300, the rows add up to 1.262,5.
    assert!(
        err.contains("bảng 1, dòng 5, cột 3: dòng cộng ghi 1.300,0, nhưng tổng các dòng là 1.262,5: phuluc tự tính lại 1.262,5"),
        "{err}\n{yaml}"
    );
    assert!(
        err.contains("bảng 1, dòng 5, cột 5: dòng cộng ghi 250,0, nhưng tổng các dòng là 262,5"),
        "{err}"
    );
    // A typed “Tổng số” that is not the sum of its parts: phuluc computes it.
    assert!(
        err.contains("bảng 1, dòng 7, cột 3: ô “Tổng số” ghi 1.260,0, nhưng cộng các cột thành phần là 1.250,0: phuluc tự tính lại 1.250,0"),
        "{err}"
    );
    assert!(
        err.contains(
            "cảnh báo: đoạn “Ghi chú đầu trang” nằm ngoài bảng và ngoài tiêu đề phụ lục: không nhập"
        ),
        "{err}"
    );
    assert!(
        yaml.contains("    title: Dự toán kinh phí chuyển đổi số\n"),
        "{yaml}"
    );
    // The subtotal row (bảng 1, dòng 10) is right: no warning for it.
    assert!(!err.contains("dòng 10"), "{err}");
    assert!(
        yaml.contains("  number: 12\n") || yaml.contains("  number: \"12\"\n"),
        "{yaml}"
    );
    assert!(yaml.contains("  date: 2026-03-20\n"), "{yaml}");
    assert!(
        yaml.contains("\n          # 1.5\n          - number: \"1.5\"\n"),
        "{yaml}"
    );
    // 1.1 and the group's 1 are what phuluc numbers anyway: not written.
    assert_eq!(yaml.matches("number:").count(), 2, "{yaml}");
    let json = export_json(&yaml_path, &[]);
    let rows: Vec<Vec<String>> = json["parts"][0]["table"]["body"]
        .as_array()
        .expect("body")
        .iter()
        .map(|r| {
            r["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .map(|c| c["text"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        rows,
        [
            s(&["Tổng cộng", "1.262,5", "1.000,0", "262,5", "", "", ""]),
            s(&["1", "Hạ tầng số"]),
            s(&[
                "1.1",
                "Mạng nội bộ",
                "1.250,0",
                "1.000,0",
                "250,0",
                "",
                "Phòng Tài chính, Công an phường",
                ""
            ]),
            s(&[
                "1.5",
                "Wi-Fi công cộng",
                "12,5",
                "",
                "12,5",
                "",
                "Công an phường, Phòng Tài chính",
                "Xã hội hóa"
            ]),
            s(&["Cộng nhóm 1", "1.262,5", "1.000,0", "262,5", "", "", ""]),
        ]
    );
    // The agency cell of two known names joined by a comma became a list of two.
    assert!(
        yaml.contains(
            "chu_tri:\n              - Công an phường\n              - Phòng Tài chính\n"
        ),
        "{yaml}"
    );
}

/// The rows of every table in a plan's export, as cell texts, with the heading lines.
fn texts(json: &serde_json::Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for part in json["parts"].as_array().expect("parts") {
        out.push(
            part["heading"]
                .as_array()
                .expect("heading")
                .iter()
                .map(|h| h["text"].as_str().unwrap_or("").to_owned())
                .collect(),
        );
        for row in part["table"]["body"].as_array().expect("body") {
            out.push(
                row["cells"]
                    .as_array()
                    .expect("cells")
                    .iter()
                    .map(|c| c["text"].as_str().unwrap_or("").to_owned())
                    .collect(),
            );
        }
    }
    out
}

/// Another writer: LibreOffice reads our .docx and writes its own (its own styles, run
/// splitting, rsids, table properties); the import of that gives the seed's cells.
#[test]
fn a_docx_written_by_libreoffice_imports_cell_for_cell() {
    if !tool("soffice") {
        eprintln!(
            "*** SKIPPED a_docx_written_by_libreoffice_imports_cell_for_cell: soffice missing"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (docx, _) = render_both(dir.path(), &seed_yaml(), &["--format", "docx"]);
    let lo_dir = dir.path().join("lo");
    let profile = format!("file://{}", dir.path().join("lo-profile").display());
    let status = Command::new("soffice")
        .args([
            &format!("-env:UserInstallation={profile}"),
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            lo_dir.to_str().expect("utf-8"),
            docx.to_str().expect("utf-8"),
        ])
        .output()
        .expect("run soffice");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let lo_docx = lo_dir.join("ke-hoach-05-nq-du.docx");
    let original = std::fs::read(&docx).expect("ours");
    let rewritten = std::fs::read(&lo_docx).expect("LibreOffice's");
    assert_ne!(original, rewritten, "LibreOffice wrote its own file");
    let yaml = dir.path().join("lo.yaml");
    let out = import_to(&lo_docx, &yaml, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = texts(&export_json(&yaml, &[]));
    let want = texts(&export_json(&seed_yaml(), &[]));
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
}

// ---- no panic on any structure ------------------------------------------------------

/// Random WordprocessingML bodies from the pieces clerks' files are made of, nested at
/// random: whatever the shape, reading, recognising and writing YAML never panics, and a
/// plan import writes always loads back (errors allowed, no crash).
mod any_structure {
    use super::*;
    use phuluc::compose::templates::Templates;
    use phuluc::import::{recognise, yaml};
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<w:t>Stt</w:t>".to_owned()),
            Just("<w:t>Mục tiêu</w:t>".to_owned()),
            Just("<w:t>Cơ quan chủ trì</w:t>".to_owned()),
            Just("<w:t>II</w:t>".to_owned()),
            Just("<w:t>1.250,5</w:t>".to_owned()),
            Just("<w:t>Tổng cộng</w:t>".to_owned()),
            Just("<w:t>(1)</w:t>".to_owned()),
            Just("<w:t>PHỤ LỤC I</w:t>".to_owned()),
            Just("<w:t>(Kèm theo Kế hoạch số 1/KH ngày 31/2/2026 của X)</w:t>".to_owned()),
            Just("<w:tab/>".to_owned()),
            Just("<w:br/>".to_owned()),
            Just("<w:fldChar w:fldCharType=\"begin\"/>".to_owned()),
            Just("<w:fldChar w:fldCharType=\"separate\"/>".to_owned()),
            Just("<w:fldChar w:fldCharType=\"end\"/>".to_owned()),
            Just("<w:sym w:char=\"ZZ\"/>".to_owned()),
            Just("<w:sym w:char=\"FFFFFFFF\"/>".to_owned()),
        ]
    }

    fn body() -> impl Strategy<Value = String> {
        let run =
            prop::collection::vec(leaf(), 0..4).prop_map(|l| format!("<w:r>{}</w:r>", l.concat()));
        let para =
            prop::collection::vec(run, 0..3).prop_map(|r| format!("<w:p>{}</w:p>", r.concat()));
        para.prop_recursive(5, 64, 6, |inner| {
            let props = prop_oneof![
                Just(String::new()),
                Just("<w:tcPr><w:gridSpan w:val=\"3\"/></w:tcPr>".to_owned()),
                Just("<w:tcPr><w:gridSpan w:val=\"99999999999\"/></w:tcPr>".to_owned()),
                Just("<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>".to_owned()),
                Just("<w:tcPr><w:vMerge/></w:tcPr>".to_owned()),
            ];
            let cell = (props, prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(p, c)| format!("<w:tc>{p}{}</w:tc>", c.concat()));
            let row =
                (prop::bool::ANY, prop::collection::vec(cell, 0..6)).prop_map(|(before, c)| {
                    let pr = if before {
                        "<w:trPr><w:gridBefore w:val=\"2\"/></w:trPr>"
                    } else {
                        ""
                    };
                    format!("<w:tr>{pr}{}</w:tr>", c.concat())
                });
            prop_oneof![
                prop::collection::vec(row, 0..6)
                    .prop_map(|r| format!("<w:tbl>{}</w:tbl>", r.concat())),
                inner
                    .clone()
                    .prop_map(|b| format!("<w:sdt><w:sdtContent>{b}</w:sdtContent></w:sdt>")),
                inner.clone().prop_map(|b| format!("<w:ins>{b}</w:ins>")),
                prop::collection::vec(inner, 0..4).prop_map(|b| b.concat()),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn import_never_panics(body in body()) {
            let bytes = docx(&body);
            let templates = Templates::builtin().expect("templates");
            if let Ok(doc) = read_bytes(&bytes) {
                let r = recognise::recognise(&doc, &templates);
                let text = yaml::to_yaml(&r.plan, &templates, "../schema/phuluc.schema.json", "x.docx");
                // Loads as YAML (the plan may still have errors: never a crash).
                let _ = phuluc::prepare_str(&text, std::path::Path::new("x.yaml"), &templates);
                prop_assert!(phuluc::model::parse_str(&text, std::path::Path::new("x.yaml")).is_ok(), "{text}");
            }
        }
    }

    fn cell_text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("1".to_owned()),
            Just("2".to_owned()),
            Just("1.1".to_owned()),
            Just("II".to_owned()),
            Just("Cộng".to_owned()),
            Just("Thường xuyên".to_owned()),
            Just("Phòng Tư pháp, Công an phường".to_owned()),
            Just("a: b # c".to_owned()),
            Just("- \"x\" 'y'".to_owned()),
            Just("yes".to_owned()),
            Just("12,5".to_owned()),
            "[a-zà-ỹ ]{0,200}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// A muc-tieu table with random rows: always recognised, and the plan written
        /// for it passes every check.
        #[test]
        fn any_muc_tieu_table_imports_to_a_valid_plan(
            rows in prop::collection::vec((prop::bool::ANY, prop::collection::vec(cell_text(), 5)), 1..12)
        ) {
            let p = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
            let header: String = ["Stt", "Mục tiêu", "Lộ trình thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp"]
                .iter()
                .map(|h| format!("<w:tc>{}</w:tc>", p(h)))
                .collect();
            let body: String = rows
                .iter()
                .map(|(heading, cells)| {
                    if *heading {
                        format!("<w:tr><w:tc>{}</w:tc><w:tc><w:tcPr><w:gridSpan w:val=\"4\"/></w:tcPr>{}</w:tc></w:tr>", p(&cells[0]), p(&cells[1]))
                    } else {
                        format!("<w:tr>{}</w:tr>", cells.iter().map(|c| format!("<w:tc>{}</w:tc>", p(c))).collect::<String>())
                    }
                })
                .collect();
            let bytes = docx(&format!("{}{}<w:tbl><w:tr>{header}</w:tr>{body}</w:tbl>", p("PHỤ LỤC I"), p("Tên")));
            let templates = Templates::builtin().expect("templates");
            let doc = read_bytes(&bytes).expect("reads");
            let r = recognise::recognise(&doc, &templates);
            prop_assert_eq!(r.plan.appendices.len(), 1);
            let text = yaml::to_yaml(&r.plan, &templates, "../schema/phuluc.schema.json", "x.docx");
            let result = phuluc::prepare_str(&text, std::path::Path::new("x.yaml"), &templates);
            let errors: Vec<String> = match &result {
                Ok(_) => Vec::new(),
                Err(d) => d.iter().filter(|d| d.is_error()).map(|d| d.render(phuluc::diag::Lang::En)).collect(),
            };
            prop_assert!(errors.is_empty(), "{errors:?}\n{text}");
        }
    }
}

/// What the property above found: two group rows typed with the same number made a plan
/// `check` refuses; and an empty number cell is not something a plan file can say.
#[test]
fn repeated_typed_numbers_are_renumbered_by_position_with_a_warning() {
    let p = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let tc = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let span = |t: &str| {
        format!(
            "<w:tc><w:tcPr><w:gridSpan w:val=\"4\"/></w:tcPr>{}</w:tc>",
            p(t)
        )
    };
    let header: String = [
        "Stt",
        "Mục tiêu",
        "Lộ trình thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
    ]
    .iter()
    .map(|h| tc(h))
    .collect();
    let rows = [
        format!("<w:tr>{}{}</w:tr>", tc("2"), span("Nhóm đầu")),
        format!(
            "<w:tr>{}{}{}{}{}</w:tr>",
            tc("2.1"),
            tc("Việc một"),
            tc(""),
            tc(""),
            tc("")
        ),
        format!("<w:tr>{}{}</w:tr>", tc("2"), span("Nhóm sau")),
        format!(
            "<w:tr>{}{}{}{}{}</w:tr>",
            tc(""),
            tc("Việc không số"),
            tc(""),
            tc(""),
            tc("")
        ),
        format!(
            "<w:tr>{}{}{}{}{}</w:tr>",
            tc("2.2"),
            tc("Việc hai"),
            tc(""),
            tc(""),
            tc("")
        ),
    ]
    .concat();
    let bytes = docx(&format!(
        "{}<w:tbl><w:tr>{header}</w:tr>{rows}</w:tbl>",
        p("PHỤ LỤC I")
    ));
    let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
    let r = phuluc::import::recognise::recognise(&read_ok(&bytes), &templates);
    let said: Vec<String> = r.warnings.iter().map(|w| w.vi.to_string()).collect();
    assert!(
        said.iter().any(|w| w == "bảng 1: số thứ tự “2” lặp lại: bỏ các số gõ tay ở đó, phuluc đánh số lại theo vị trí"),
        "{said:?}"
    );
    assert!(
        said.iter().any(|w| w == "bảng 1: dòng “Việc không số…” không có số thứ tự trong bản Word; phuluc đánh số 2.1"),
        "{said:?}"
    );
    let text = phuluc::import::yaml::to_yaml(
        &r.plan,
        &templates,
        "../schema/phuluc.schema.json",
        "x.docx",
    );
    let prepared = phuluc::prepare_str(&text, std::path::Path::new("x.yaml"), &templates);
    assert!(prepared.is_ok(), "{text}");
}

/// A table broken in two (and three): the second part repeats the header row, the third
/// does not; a lead agency merged across the break belongs to the rows on both sides.
#[test]
fn a_table_broken_in_parts_is_one_appendix_with_places_in_each_part() {
    let p = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let tc = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let merged = |v: &str, t: &str| format!("<w:tc><w:tcPr>{v}</w:tcPr>{}</w:tc>", p(t));
    let header: String = [
        "Stt",
        "Mục tiêu",
        "Lộ trình thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
    ]
    .iter()
    .map(|h| tc(h))
    .collect();
    let item = |n: &str, t: &str, lead: String| {
        format!(
            "<w:tr>{}{}{}{lead}{}</w:tr>",
            tc(n),
            tc(t),
            tc("Năm 2026"),
            tc("")
        )
    };
    let first = format!(
        "<w:tbl><w:tr>{header}</w:tr>{}{}</w:tbl>",
        item("1", "Việc một", tc("Phòng Tư pháp")),
        item(
            "2",
            "Việc hai",
            merged("<w:vMerge w:val=\"restart\"/>", "Công an phường")
        ),
    );
    let second = format!(
        "<w:tbl><w:tr>{header}</w:tr>{}</w:tbl>",
        item("3", "Việc ba", merged("<w:vMerge/>", "")),
    );
    let third = format!(
        "<w:tbl>{}</w:tbl>",
        item("4", "Việc bốn", tc("Phòng Tư pháp"))
    );
    let bytes = docx(&format!(
        "{}{}{first}<w:p/>{second}<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>{third}",
        p("PHỤ LỤC I"),
        p("Tên phụ lục")
    ));
    let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
    let r = phuluc::import::recognise::recognise(&read_ok(&bytes), &templates);
    let said: Vec<String> = r.warnings.iter().map(|w| w.vi.to_string()).collect();
    assert_eq!(r.plan.appendices.len(), 1, "{said:?}");
    let text = phuluc::import::yaml::to_yaml(
        &r.plan,
        &templates,
        "../schema/phuluc.schema.json",
        "x.docx",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let yaml = dir.path().join("x.yaml");
    std::fs::write(&yaml, &text).expect("write");
    let json = export_json(&yaml, &[]);
    let rows: Vec<Vec<String>> = json["parts"][0]["table"]["body"]
        .as_array()
        .expect("body")
        .iter()
        .map(|r| {
            r["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .map(|c| c["text"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .collect();
    let row = |n: &str, t: &str, lead: &str| -> Vec<String> {
        [n, t, "Năm 2026", lead, ""]
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    };
    assert_eq!(
        rows,
        [
            row("1", "Việc một", "Phòng Tư pháp"),
            row("2", "Việc hai", "Công an phường"),
            row("3", "Việc ba", "Công an phường"),
            row("4", "Việc bốn", "Phòng Tư pháp"),
        ],
        "{text}"
    );
    assert!(
        said.iter().any(|w| w == "bảng 2 nối tiếp bảng 1 (cùng số cột, không có dòng “PHỤ LỤC” ở giữa): bỏ dòng tiêu đề lặp lại"),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|w| w == "bảng 3 nối tiếp bảng 1 (cùng số cột, không có dòng “PHỤ LỤC” ở giữa)"),
        "{said:?}"
    );
    // The copy across the break names its place in the second table: bảng 2, dòng 2.
    assert!(
        said.iter().any(|w| w
            == "bảng 2, dòng 2, cột 4: ô gộp dọc từ bảng 1, dòng 3: chép “Công an phường” xuống dòng này"),
        "{said:?}"
    );
}

/// Old encodings: a run in .VnTime (TCVN3), a heading in .VnTimeH (capitals at the small
/// letters' codes) through a paragraph style, a run in VNI-Times, one in Times New Roman
/// left alone — each converted cell named in a warning.
#[test]
fn runs_in_old_encoding_fonts_become_unicode() {
    let styles = r#"<w:style w:type="paragraph" w:styleId="TieuDeCu"><w:rPr><w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/></w:rPr></w:style>"#;
    let run = |font: &str, t: &str| {
        format!(
            r#"<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr><w:t xml:space="preserve">{t}</w:t></w:r>"#
        )
    };
    let body = format!(
        r#"<w:p><w:pPr><w:pStyle w:val="TieuDeCu"/></w:pPr><w:r><w:t>céng hßa</w:t></w:r></w:p><w:p>{}{}</w:p><w:p>{}</w:p><w:p>{}</w:p>"#,
        run(".VnTime", "Céng hßa x· héi"),
        run("Times New Roman", " và Unicode"),
        run("VNI-Times", "Coäng hoøa"),
        run(".VnTime", "Hội đồng (Unicode, phông cũ còn để)"),
    );
    let doc = read_ok(&docx_ns(W_NS, &body, Some(styles)));
    assert_eq!(
        paragraphs(&doc),
        [
            "CỘNG HÒA",
            "Cộng hòa xã hội và Unicode",
            "Cộng hòa",
            "Hội đồng (Unicode, phông cũ còn để)"
        ]
    );
    let converted: Vec<_> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.converted),
            Block::Table(_) => None,
        })
        .collect();
    use phuluc::legacy::Legacy;
    assert_eq!(
        converted,
        [
            Some(Legacy::Tcvn3),
            Some(Legacy::Tcvn3),
            Some(Legacy::Vni),
            None
        ]
    );
    // In a table cell: the warning names the cell.
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let tc = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let header: String = [
        "Stt",
        "Mục tiêu",
        "Lộ trình thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
    ]
    .iter()
    .map(|h| tc(h))
    .collect();
    let old = format!(
        "<w:tc><w:p>{}</w:p></w:tc>",
        run(".VnTime", "Phßng T\u{AD} ph¸p")
    );
    let bytes = docx(&format!(
        "{}<w:tbl><w:tr>{header}</w:tr><w:tr>{}{}{}{old}{}</w:tr></w:tbl>",
        p("PHỤ LỤC I"),
        tc("1"),
        tc("Việc"),
        tc(""),
        tc("")
    ));
    let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
    let r = phuluc::import::recognise::recognise(&read_ok(&bytes), &templates);
    let said: Vec<String> = r.warnings.iter().map(|w| w.vi.to_string()).collect();
    assert!(
        said.iter().any(|w| w == "bảng 1, dòng 2, cột 4: chữ gõ bằng phông .VnTime (TCVN3) đã chuyển sang Unicode: “Phòng Tư pháp”: đọc lại cho chắc"),
        "{said:?}"
    );
}

/// A .docx with a numbering part: `numbering` is the inner XML of `w:numbering`.
fn docx_numbered(body: &str, styles: &str, numbering: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#
    );
    let styles = format!(r#"<?xml version="1.0"?><w:styles xmlns:w="{W_NS}">{styles}</w:styles>"#);
    let numbering =
        format!(r#"<?xml version="1.0"?><w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>"#);
    let doc_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="/word/numbering.xml"/></Relationships>"#;
    zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", doc_rels.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
    ])
}

/// Word's automatic numbering: Roman section numbers, "1." then "1.1" sub-levels through a
/// paragraph style, a list restarted by `startOverride`, a letter list with `w:start`,
/// bullets adding nothing, and counting that continues from cell to cell and table to
/// table.
#[test]
fn automatic_numbering_is_written_into_the_text() {
    let lvl = |i: u8, fmt: &str, text: &str, start: u32| {
        format!(
            r#"<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>"#
        )
    };
    let numbering = [
        format!(r#"<w:abstractNum w:abstractNumId="0">{}{}</w:abstractNum>"#, lvl(0, "decimal", "%1.", 1), lvl(1, "decimal", "%1.%2", 1)),
        format!(r#"<w:abstractNum w:abstractNumId="1">{}</w:abstractNum>"#, lvl(0, "upperRoman", "%1.", 1)),
        format!(r#"<w:abstractNum w:abstractNumId="2">{}</w:abstractNum>"#, lvl(0, "lowerLetter", "%1)", 3)),
        format!(r#"<w:abstractNum w:abstractNumId="3">{}</w:abstractNum>"#, lvl(0, "bullet", "•", 1)),
        r#"<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#.to_owned(),
        r#"<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#.to_owned(),
        r#"<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>"#.to_owned(),
        r#"<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>"#.to_owned(),
        r#"<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>"#.to_owned(),
    ]
    .concat();
    let styles = r#"<w:style w:type="paragraph" w:styleId="Stt"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="SttCon"><w:basedOn w:val="Stt"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#;
    let numbered = |num: &str, lvl: u8, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let styled = |style: &str| format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>"#);
    let tc = |p: String| format!("<w:tc>{p}</w:tc>");
    let tr = |cells: Vec<String>| format!("<w:tr>{}</w:tr>", cells.concat());
    let first = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        tr(vec![
            tc(numbered("2", 0, "")),
            tc(numbered("0", 0, "Mục một"))
        ]),
        tr(vec![
            tc(styled("Stt")),
            tc(numbered("5", 0, "Gạch đầu dòng"))
        ]),
        tr(vec![
            tc(styled("SttCon")),
            tc(numbered("4", 0, "Ý thứ nhất"))
        ]),
    );
    let second = format!(
        "<w:tbl>{}{}{}</w:tbl>",
        tr(vec![
            tc(styled("SttCon")),
            tc(numbered("4", 0, "Ý thứ hai"))
        ]),
        tr(vec![tc(numbered("2", 0, "")), tc(styled("Stt"))]),
        tr(vec![tc(numbered("3", 0, "")), tc(String::new())]),
    );
    let doc = read_ok(&docx_numbered(
        &format!("{first}<w:p/>{second}"),
        styles,
        &numbering,
    ));
    let cells: Vec<Vec<String>> = tables(&doc)
        .iter()
        .flat_map(|t| &t.rows)
        .map(|r| r.cells.iter().map(|c| c.text()).collect())
        .collect();
    let s = |a: &str, b: &str| vec![a.to_owned(), b.to_owned()];
    assert_eq!(
        cells,
        [
            s("I.", "Mục một"),
            s("1.", "Gạch đầu dòng"),
            s("1.1", "c) Ý thứ nhất"),
            s("1.2", "d) Ý thứ hai"),
            s("II.", "2."),
            s("7.", ""),
        ]
    );
}

/// An auto-numbered Stt column (a numbered paragraph style, Roman sections from another
/// list) is recognised as a typed one would be: no `number:` where phuluc agrees.
#[test]
fn an_auto_numbered_stt_column_gives_the_numbers_phuluc_would() {
    let numbering = r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;
    let styles = r#"<w:style w:type="paragraph" w:styleId="Stt"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Stt2"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Muc"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>"#;
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let styled = |s: &str| format!(r#"<w:p><w:pPr><w:pStyle w:val="{s}"/></w:pPr></w:p>"#);
    let tc = |x: String| format!("<w:tc>{x}</w:tc>");
    let header: String = [
        "Stt",
        "Mục tiêu",
        "Lộ trình thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
    ]
    .iter()
    .map(|h| tc(p(h)))
    .collect();
    let item = |stt: &str, t: &str| {
        format!(
            "<w:tr>{}{}{}{}{}</w:tr>",
            tc(styled(stt)),
            tc(p(t)),
            tc(p("")),
            tc(p("")),
            tc(p(""))
        )
    };
    let section = |t: &str| {
        format!(
            r#"<w:tr>{}<w:tc><w:tcPr><w:gridSpan w:val="4"/></w:tcPr>{}</w:tc></w:tr>"#,
            tc(styled("Muc")),
            p(t)
        )
    };
    let body = format!(
        "{}<w:tbl><w:tr>{header}</w:tr>{}{}{}{}{}</w:tbl>",
        p("PHỤ LỤC I"),
        section("MỤC MỘT"),
        item("Stt", "Việc một"),
        item("Stt", "Việc hai"),
        section("MỤC HAI"),
        item("Stt2", "Việc ba"),
    );
    let bytes = docx_numbered(&body, styles, numbering);
    let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
    let r = phuluc::import::recognise::recognise(&read_ok(&bytes), &templates);
    let text = phuluc::import::yaml::to_yaml(
        &r.plan,
        &templates,
        "../schema/phuluc.schema.json",
        "x.docx",
    );
    assert!(!text.contains("number: \""), "{text}");
    let dir = tempfile::tempdir().expect("tempdir");
    let yaml = dir.path().join("x.yaml");
    std::fs::write(&yaml, &text).expect("write");
    let json = export_json(&yaml, &[]);
    let firsts: Vec<String> = json["parts"][0]["table"]["body"]
        .as_array()
        .expect("body")
        .iter()
        .map(|r| r["cells"][0]["text"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(firsts, ["I", "1", "2", "II", "1"], "{text}");
}

/// Word 97–2003 (.doc) and OpenDocument (.odt) files, written by LibreOffice from our
/// .docx, go through LibreOffice again and import cell for cell.
#[test]
fn doc_and_odt_files_are_converted_through_libreoffice() {
    if !tool("soffice") {
        eprintln!(
            "*** SKIPPED doc_and_odt_files_are_converted_through_libreoffice: soffice missing"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (docx, _) = render_both(dir.path(), &seed_yaml(), &["--format", "docx"]);
    let want = texts(&export_json(&seed_yaml(), &[]));
    for (ext, filter) in [("doc", "doc:MS Word 97"), ("odt", "odt")] {
        let out_dir = dir.path().join(ext);
        let profile = format!("file://{}", dir.path().join(format!("lo-{ext}")).display());
        let status = Command::new("soffice")
            .args([
                &format!("-env:UserInstallation={profile}"),
                "--headless",
                "--convert-to",
                filter,
                "--outdir",
                out_dir.to_str().expect("utf-8"),
                docx.to_str().expect("utf-8"),
            ])
            .output()
            .expect("run soffice");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let file = out_dir.join(format!("ke-hoach-05-nq-du.{ext}"));
        let yaml = dir.path().join(format!("{ext}.yaml"));
        let out = import_to(&file, &yaml, &[]);
        assert_eq!(out.status.code(), Some(0), "{ext}: {}", stderr(&out));
        let got = texts(&export_json(&yaml, &[]));
        // A .doc or .odt keeps no custom XML part, so nothing says the seed's “A; B”
        // entry is one name: a ";" separates agencies, and the re-rendered cell joins the
        // two with ", ".
        let mut want = want.clone();
        {
            let joined = "Ban Xây dựng Đảng đảng ủy phường; phòng Văn hóa - Xã hội";
            let cells = want.iter_mut().flatten().filter(|c| c.contains(joined));
            let mut n = 0;
            for cell in cells {
                *cell = cell.replace(
                    joined,
                    "Ban Xây dựng Đảng đảng ủy phường, phòng Văn hóa - Xã hội",
                );
                n += 1;
            }
            assert_eq!(n, 1, "the seed joins two agencies with “;” in one cell");
        }
        assert_eq!(got, want, "{ext}");
    }
}

#[test]
fn without_libreoffice_a_doc_file_names_the_package_to_install() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("cu.doc");
    std::fs::write(&f, ole("WordDocument")).expect("write");
    let empty = dir.path().join("khong-co-gi");
    std::fs::create_dir_all(&empty).expect("mkdir");
    let out = Command::new(env!("CARGO_BIN_EXE_phuluc"))
        .args(["import", f.to_str().expect("utf-8")])
        .current_dir(dir.path())
        .env("LANG", "vi_VN.UTF-8")
        .env("PATH", &empty)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("cần LibreOffice để đọc tệp .doc/.odt/.rtf, nhưng máy chưa cài (không thấy lệnh soffice)"),
        "{err}"
    );
    assert!(
        err.contains("sudo apt-get install libreoffice-writer-nogui"),
        "{err}"
    );
}

/// Text boxes: a Word shape (drawing text box in the Choice, VML text box in the
/// Fallback) is read once, from the Fallback; a bare drawing's box and a box inside it
/// each once, after the paragraph anchoring them.
#[test]
fn text_boxes_become_paragraphs_after_their_anchor_once() {
    let wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape";
    let v = "urn:schemas-microsoft-com:vml";
    let txbx = |inner: &str| format!("<w:txbxContent>{inner}</w:txbxContent>");
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let shape = format!(
        r#"<w:p><w:r><w:t>neo</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp xmlns:wps="{wps}"><wps:txbx>{}</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="{v}"><v:textbox>{}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        txbx(&p("PHỤ LỤC I (lựa chọn)")),
        txbx(&p("PHỤ LỤC I")),
    );
    let nested_inner = format!(
        r#"<w:p><w:r><w:t>hộp ngoài</w:t></w:r><w:r><w:drawing><wps:wsp xmlns:wps="{wps}"><wps:txbx>{}</wps:txbx></wps:wsp></w:drawing></w:r></w:p>"#,
        txbx(&p("hộp trong"))
    );
    let bare = format!(
        r#"<w:p><w:r><w:drawing><wps:wsp xmlns:wps="{wps}"><wps:txbx>{}</wps:txbx></wps:wsp></w:drawing></w:r></w:p>"#,
        txbx(&nested_inner)
    );
    let doc = read_ok(&docx(&format!("{shape}{bare}{}", p("cuối"))));
    assert_eq!(
        paragraphs(&doc),
        ["neo", "PHỤ LỤC I", "", "hộp ngoài", "hộp trong", "cuối"]
    );
}

/// The six column headers of the built-in task kind (`templates/nhiem-vu`).
const TASK_HEADERS: [&str; 6] = [
    "Stt",
    "Nhiệm vụ cụ thể",
    "Lộ trình thực hiện",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Sản phẩm dự kiến",
];

/// A Word cell holding one paragraph of `text`.
fn word_cell(text: &str) -> String {
    format!("<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
}

/// An appendix of the task kind as a clerk types it, up to its table's header row:
/// the “PHỤ LỤC {label}” line, a title, the “(Kèm theo …)” line, `<w:tbl>` and the
/// header row. Body rows and `</w:tbl>` follow.
fn task_table_start(label: &str) -> String {
    let line = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let mut body = line(&format!("PHỤ LỤC {label}"));
    body += &line("Nhiệm vụ năm 2026");
    body += &line(
        "(Kèm theo Kế hoạch số 9/KH-UBND ngày 20/3/2026 của Ủy ban nhân dân phường Thạch Khôi)",
    );
    body += "<w:tbl><w:tblGrid>";
    body += &"<w:gridCol w:w=\"1000\"/>".repeat(6);
    body += "</w:tblGrid><w:tr>";
    for h in TASK_HEADERS {
        body += &word_cell(h);
    }
    body += "</w:tr>";
    body
}

// ---- size -------------------------------------------------------------------------------

/// A Word table of 100 000 task rows (every cell short) imports in bounded time: the
/// reader, recognition, the YAML writer and the check of what was written are linear.
/// The bound is far above what it takes (seconds, even unoptimised); it catches a
/// quadratic step or a hang, not a slowdown.
#[test]
fn a_hundred_thousand_rows_import_in_bounded_time() {
    const ROWS: usize = 100_000;
    let cell = word_cell;
    let mut body = task_table_start("I");
    for n in 1..=ROWS {
        body.push_str("<w:tr>");
        body.push_str(&cell(&n.to_string()));
        body.push_str(&cell(&format!("Nhiệm vụ số {n}")));
        body.push_str(&cell("Năm 2026"));
        body.push_str(&cell("Công an phường"));
        body.push_str(&cell("Phòng Tư pháp"));
        body.push_str(&cell("Báo cáo"));
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("lon.docx");
    std::fs::write(&file, docx(&body)).expect("write");
    // Keep the file for a look by hand when asked (PHULUC_KEEP=DIR).
    if let Ok(keep) = std::env::var("PHULUC_KEEP") {
        let _ = std::fs::copy(&file, std::path::Path::new(&keep).join("lon.docx"));
    }
    let out = dir.path().join("lon.yaml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_phuluc"))
        .args([
            "import",
            file.to_str().expect("utf-8 path"),
            "-o",
            out.to_str().expect("utf-8 path"),
        ])
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run phuluc");
    let bound = std::time::Duration::from_secs(300);
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > bound {
            let _ = child.kill();
            let _ = child.wait();
            panic!("import of {ROWS} rows still running after {bound:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut e, &mut err);
    }
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.contains("(1 phụ lục, 0 cảnh báo"), "{err}");
    let yaml = std::fs::read_to_string(&out).expect("yaml");
    // Every row, numbered by position (so no `number:`), in order.
    assert_eq!(yaml.matches("- nhiem_vu: ").count(), ROWS);
    assert!(!yaml.contains("- number:"));
    let first = yaml.find("Nhiệm vụ số 1\n").expect("row 1");
    let last = yaml
        .find(&format!("Nhiệm vụ số {ROWS}\n"))
        .expect("last row");
    assert!(first < last);
    eprintln!("{ROWS} rows imported in {:?}", started.elapsed());
}

/// A hand-typed cell "Công an phường, Phòng Kinh tế, Hạ tầng và Đô thị" is cut by the
/// register of standard names alone (and the ward's economic office stays one name);
/// "Sở Nội vụ, Sở Tài chính", which no register knows, cannot be cut from the file alone:
/// `--agencies PLAN.yaml` lends that plan's `agencies:` list, which cuts it and becomes
/// the new plan's list.
#[test]
fn agencies_from_another_plan_cut_a_hand_typed_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cell = word_cell;
    let mut body = task_table_start("");
    body.push_str("<w:tr>");
    for c in [
        "1",
        "Rà soát hạ tầng",
        "Năm 2026",
        "Công an phường, Phòng Kinh tế, Hạ tầng và Đô thị",
        "Sở Nội vụ, Sở Tài chính",
        "Báo cáo",
    ] {
        body.push_str(&cell(c));
    }
    body.push_str("</w:tr></w:tbl>");
    let file = dir.path().join("tay.docx");
    std::fs::write(&file, docx(&body)).expect("write");
    let names = dir.path().join("co-quan.yaml");
    std::fs::write(
        &names,
        "version: 1\nplan:\n  kind: Kế hoạch\n  number: \"1\"\n  symbol: KH-UBND\n  date: 2026-01-05\n  issuer: UBND phường\nagencies:\n  - Phòng Kinh tế, Hạ tầng và Đô thị\n  - Công an phường\n  - Sở Nội vụ\n  - Sở Tài chính\nappendices:\n  - template: nhiem-vu\n    title: Mẫu\n    items:\n      - nhiem_vu: Việc\n        lo_trinh: Năm 2026\n        chu_tri: [Công an phường]\n        phoi_hop: [Phòng Kinh tế, Hạ tầng và Đô thị]\n        san_pham: Báo cáo\n",
    )
    .expect("plan");
    let import = |out: &std::path::Path, extra: &[&str]| {
        let mut args = vec![
            "import",
            file.to_str().expect("utf-8 path"),
            "-o",
            out.to_str().expect("utf-8 path"),
        ];
        args.extend_from_slice(extra);
        let o = phuluc(&root(), &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read_to_string(out).expect("yaml")
    };
    let alone = import(&dir.path().join("a.yaml"), &[]);
    assert!(
        alone.contains(
            "chu_tri:\n          - Công an phường\n          - Phòng Kinh tế, Hạ tầng và Đô thị\n"
        ),
        "{alone}"
    );
    assert!(
        alone.contains("phoi_hop:\n          - Sở Nội vụ, Sở Tài chính\n"),
        "{alone}"
    );
    let lent = import(
        &dir.path().join("b.yaml"),
        &["--agencies", names.to_str().expect("utf-8 path")],
    );
    assert!(
        lent.contains(
            "chu_tri:\n          - Công an phường\n          - Phòng Kinh tế, Hạ tầng và Đô thị\n"
        ),
        "{lent}"
    );
    assert!(
        lent.contains("phoi_hop:\n          - Sở Nội vụ\n          - Sở Tài chính\n"),
        "{lent}"
    );
    assert!(
        lent.contains("agencies:\n  - Phòng Kinh tế, Hạ tầng và Đô thị\n  - Công an phường\n  - Sở Nội vụ\n  - Sở Tài chính\n"),
        "{lent}"
    );
    // A plan given to --agencies that does not check is refused, with its errors.
    let broken = dir.path().join("hong.yaml");
    std::fs::write(&broken, "version: 1\nplan: 3\n").expect("write");
    let o = phuluc(
        &root(),
        &[
            "import",
            file.to_str().expect("utf-8 path"),
            "-o",
            dir.path().join("c.yaml").to_str().expect("utf-8 path"),
            "--agencies",
            broken.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("không dùng được kế hoạch đưa vào --agencies"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("c.yaml").exists());
}

/// Clerks type heading rows three ways besides "number | heading merged across the rest":
/// one cell merged across the whole table ("I. NHIỆM VỤ CHUNG"), and a bold heading with
/// the other cells left empty, not merged. All three came in as items.
#[test]
fn heading_rows_merged_whole_or_bold_and_unmerged_are_sections_and_groups() {
    let p = |t: &str, bold: bool| {
        let b = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        format!("<w:p><w:r>{b}<w:t>{t}</w:t></w:r></w:p>")
    };
    let tc = |t: &str, span: usize, bold: bool| {
        let sp = if span > 1 {
            format!("<w:tcPr><w:gridSpan w:val=\"{span}\"/></w:tcPr>")
        } else {
            String::new()
        };
        format!("<w:tc>{sp}{}</w:tc>", p(t, bold))
    };
    let row = |cells: &[(&str, usize, bool)]| {
        let inner: String = cells.iter().map(|(t, s, b)| tc(t, *s, *b)).collect();
        format!("<w:tr>{inner}</w:tr>")
    };
    let plain = |t: &'static str| (t, 1, false);
    let mut body = task_table_start("II");
    body += &row(&[("I. NHIỆM VỤ CHUNG", 6, true)]);
    body += &row(&[
        ("1", 1, true),
        ("Nhóm bôi đậm không gộp", 1, true),
        plain(""),
        plain(""),
        plain(""),
        plain(""),
    ]);
    for (n, task) in [("1.1", "Việc một"), ("1.2", "Việc hai")] {
        body += &row(&[
            (n, 1, false),
            (task, 1, false),
            plain("Năm 2026"),
            plain("Công an phường"),
            plain("Phòng Tư pháp"),
            plain("Báo cáo"),
        ]);
    }
    // An item whose other cells are empty is still an item: it is not bold.
    body += &row(&[
        plain("1.3"),
        plain("Việc chưa giao"),
        plain(""),
        plain(""),
        plain(""),
        plain(""),
    ]);
    body += &row(&[("II - NHIỆM VỤ RIÊNG", 6, true)]);
    body += &row(&[
        plain("1"),
        plain("Việc ba"),
        plain("Năm 2026"),
        plain("Công an phường"),
        plain(""),
        plain("Báo cáo"),
    ]);
    body += "</w:tbl>";
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tieu-de.docx");
    std::fs::write(&file, docx(&body)).expect("write");
    let out = dir.path().join("tieu-de.yaml");
    let o = import_to(&file, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = export_json(&out, &[]);
    let rows: Vec<Vec<String>> = texts(&json)
        .into_iter()
        .map(|r| r.into_iter().take(2).collect())
        .collect();
    let want: Vec<Vec<String>> = [
        ["I", "NHIỆM VỤ CHUNG"],
        ["1", "Nhóm bôi đậm không gộp"],
        ["1.1", "Việc một"],
        ["1.2", "Việc hai"],
        ["1.3", "Việc chưa giao"],
        ["II", "NHIỆM VỤ RIÊNG"],
        ["1", "Việc ba"],
    ]
    .iter()
    .map(|r| r.iter().map(|s| (*s).to_owned()).collect())
    .collect();
    assert_eq!(rows[rows.len() - want.len()..], want[..], "{rows:?}");
    let yaml = std::fs::read_to_string(&out).expect("yaml");
    assert!(
        yaml.contains("      - heading: NHIỆM VỤ CHUNG\n        groups:\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("          - heading: Nhóm bôi đậm không gộp\n"),
        "{yaml}"
    );
    // The plan's number and the appendix's (II, not the first by position); every row
    // number is phuluc's own.
    assert_eq!(yaml.matches("number:").count(), 2, "{yaml}");
}
