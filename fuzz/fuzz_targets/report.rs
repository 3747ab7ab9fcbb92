//! Arbitrary bytes as a filled-in tracking workbook for `phuluc report`: the bounded zip
//! look (entry count, true decompressed sizes, OLE and .ods refusals), calamine's
//! workbook, shared strings and cell streaming under our caps, the sheets' header
//! finding, matching against the seed plan by key, text and similarity, merging, and the
//! report's document.
//!
//! Bytes that start like a zip are read as a whole .xlsx; bytes starting `SS` become the
//! shared strings part of a small workbook made here (its one sheet, "Phụ lục II", a
//! header row and rows whose cells name strings 0–9); any other bytes become that sheet's
//! XML, so the fuzzer reaches the XML readers without first having to learn the zip
//! format.
//!
//! A finding is a panic, a hang (`-timeout`) or running out of memory (`-rss_limit_mb`);
//! and, asserted here, a refusal without a message, or a report that reads but does not
//! compose.

#![no_main]

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use phuluc::compose::templates::Templates;
use phuluc::diag::ToDiagnostic;
use phuluc::document::Date;

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| Templates::builtin().expect("built-in templates load"))
}

fn plan() -> &'static phuluc::model::Plan {
    static P: OnceLock<phuluc::model::Plan> = OnceLock::new();
    P.get_or_init(|| {
        let src = include_str!("../../data/ke-hoach-05-nq-du.yaml");
        phuluc::prepare_str(src, Path::new("seed.yaml"), templates())
            .expect("the seed prepares")
            .plan
    })
}

const SHEET: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="G1" t="s"><v>2</v></c><c r="H1" t="s"><v>3</v></c><c r="J1" t="s"><v>4</v></c></row><row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c><c r="G2" t="s"><v>7</v></c><c r="H2" t="s"><v>8</v></c><c r="J2" t="s"><v>9</v></c></row><row r="3"><c r="B3" t="s"><v>9</v></c><c r="G3" t="s"><v>7</v></c><c r="H3"><v>12.5</v></c></row></sheetData></worksheet>"#;

const STRINGS: &[u8] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"10\" uniqueCount=\"10\"><si><t>Stt</t></si><si><t>Nhiệm vụ cụ thể</t></si><si><t>Tiến độ</t></si><si><t>Kết quả</t></si><si><t>Mã dòng</t></si><si><t>1.1</t></si><si><t>Tổ chức tuyên truyền</t></si><si><t>Đã hoàn thành</t></si><si><t>Đã ban hành</t></si><si><t>nhiem-vu:000000000000</t></si></sst>".as_bytes();

/// A workbook of one sheet "Phụ lục II" with `sheet` as its XML and `strings` as the
/// shared strings.
fn workbook_of(sheet: &[u8], strings: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let parts: Vec<(&str, &[u8])> = vec![
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Phụ lục II\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".as_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", strings),
    ];
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
    } else if let Some(strings) = data.strip_prefix(b"SS") {
        workbook_of(SHEET, strings)
    } else {
        workbook_of(data, STRINGS)
    };
    if let Err(e) = phuluc::report::reader::read(&bytes) {
        assert!(!e.to_diagnostic().message.vi.is_empty(), "a refusal says why");
        return;
    }
    let as_of = Date {
        year: 2026,
        month: 6,
        day: 30,
    };
    let inputs = vec![("fuzz.xlsx".to_owned(), bytes)];
    match phuluc::report::build(plan(), templates(), &inputs, as_of) {
        Ok((report, _warnings)) => {
            let doc = phuluc::report::compose::document(&report, plan(), templates());
            assert!(doc.is_ok(), "a report that reads composes: {doc:?}");
        }
        Err(diags) => {
            assert!(
                diags.iter().all(|d| !d.message.vi.is_empty()),
                "every refusal says why"
            );
        }
    }
});
