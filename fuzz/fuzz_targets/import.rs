//! Arbitrary bytes as a Word file for `phuluc import`: the package reader (zip bounds,
//! OLE and DTD refusals), the raw reader (runs, fields, merges, numbering, tracked
//! changes, nesting bounds), recognition against the built-in templates, and again with
//! a new template made for each table no template matches (as `phuluc import` does),
//! the YAML writer, and `phuluc check`'s loading of what import wrote.
//!
//! Bytes that start like a zip are read as a whole .docx; bytes starting `CX` become a
//! custom XML data part (where phuluc's own .docx keeps its agency names) beside a fixed
//! task table whose agency cells are joined with ", "; any other bytes become the text of
//! `word/document.xml` in a small package made here, so the fuzzer reaches the XML
//! readers without first having to learn the zip format.
//!
//! A finding is a panic, a hang (`-timeout`) or running out of memory (`-rss_limit_mb`);
//! and, asserted here, a plan import wrote that `check` cannot even read back, or an
//! import refusal without a message.

#![no_main]

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use phuluc::compose::templates::Templates;
use phuluc::diag::ToDiagnostic;
use phuluc::import::{package::Package, raw, recognise, template, yaml};

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| Templates::builtin().expect("built-in templates load"))
}

/// A task table with agency cells joined with ", " (what the names part cuts back).
const JOINED: &[u8] = "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>PHỤ LỤC I</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Stt</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Nhiệm vụ cụ thể</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Lộ trình thực hiện</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Cơ quan chủ trì</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Cơ quan phối hợp</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Sản phẩm dự kiến</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Việc</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2026</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Phòng Kinh tế, Hạ tầng và Đô thị, Công an phường</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>A, B, C, D, E</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Báo cáo</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>".as_bytes();

/// `document` as the main part of a minimal package; with `custom`, that text as a
/// custom XML data part the document names.
fn package_of(document: &[u8], custom: Option<&[u8]>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let mut parts: Vec<(&str, &[u8])> = vec![
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", document),
    ];
    if let Some(custom) = custom {
        parts.push((
            "word/_rels/document.xml.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdAgencies" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/></Relationships>"#,
        ));
        parts.push(("customXml/item1.xml", custom));
    }
    for (name, bytes) in parts {
        if zip.start_file(name, options).is_err() || zip.write_all(bytes).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else if let Some(custom) = data.strip_prefix(b"CX") {
        package_of(JOINED, Some(custom))
    } else {
        package_of(data, None)
    };
    let package = match Package::read(&bytes) {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.to_diagnostic().message.vi.is_empty(), "a refusal says why");
            return;
        }
    };
    let doc = match raw::read(&package) {
        Ok(d) => d,
        Err(e) => {
            assert!(!e.to_diagnostic().message.vi.is_empty(), "a refusal says why");
            return;
        }
    };
    let recognised = recognise::recognise(&doc, templates());
    let text = yaml::to_yaml(&recognised.plan, templates(), "../schema/phuluc.schema.json", "fuzz.docx");
    // What import writes is YAML that phuluc reads back: it may hold problems check
    // reports (a number clash the Word file had), but it always parses.
    let path = Path::new("fuzz.yaml");
    let tree = phuluc::model::parse_str(&text, path);
    assert!(tree.is_ok(), "import wrote YAML phuluc cannot parse:\n{text}\n{tree:?}");
    let _ = phuluc::prepare_str(&text, path, templates());
    // As `phuluc import` runs it: a kind made for each table no template matches (fresh
    // templates each time, as the kinds made are added to them).
    if let Ok(mut fresh) = Templates::builtin() {
        let options = template::Options {
            source: "fuzz.docx".to_owned(),
            schema: "../../../schema/layout.schema.json".to_owned(),
            dir: "templates".into(),
        };
        let derived = recognise::recognise_deriving(&doc, &mut fresh, &options);
        for kind in &derived.new_kinds {
            assert!(fresh.kind(&kind.slug).is_some(), "a kind made is loaded");
        }
        let text = yaml::to_yaml(&derived.plan, &fresh, "../schema/phuluc.schema.json", "fuzz.docx");
        let tree = phuluc::model::parse_str(&text, path);
        assert!(tree.is_ok(), "import wrote YAML phuluc cannot parse:\n{text}\n{tree:?}");
        let _ = phuluc::prepare_str(&text, path, &fresh);
    }
});
