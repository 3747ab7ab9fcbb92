//! `phuluc import` of appendices typed by other writers, and the round trip over random
//! plans.
//!
//! The clerk's file: `tests/fixtures/import/python_docx_appendix.py` writes, with
//! python-docx, a Phụ lục II as typed by hand in Word (merged heading rows, automatic
//! numbering, one agency per line, a lead-agency cell merged down, runs split mid-word,
//! the table broken in two, one cell in TCVN3) and a budget table (two-row header,
//! typed amounts, one total typed wrong). Each is imported, checked, exported as JSON
//! and compared cell for cell with the rows written here; the imported plan is rendered
//! and its .docx table (read back by import's reader) and its PDF text (pdftotext) hold
//! the same cells. LibreOffice's re-save of the same files imports to the same JSON.
//!
//! The round trip: random plans (and random budgets) rendered to .docx through the
//! library, imported, composed again: the same document (so the same export JSON) and
//! the same PDF bytes.

use std::path::Path;
use std::process::Command;

use phuluc::import::package::Package;
use phuluc::import::raw::{self, Block, RawDocument};
use phuluc::import::values::{parse_amount, row_number};
use phuluc::model::Field;

use crate::common::*;

// ---- the python-docx fixtures ---------------------------------------------------------

/// Writes the python-docx fixtures into `dir`; `false` (after a loud SKIP line) where
/// python3 or python-docx is missing — in CI, where both are installed, that fails.
fn python_docx_fixtures(dir: &Path) -> bool {
    if !tool("python3") {
        return false;
    }
    let has_docx = Command::new("python3")
        .args(["-c", "import docx"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !has_docx {
        assert!(
            std::env::var("CI").is_err(),
            "python-docx is required in CI but is not installed (see .ci/run)"
        );
        eprintln!(
            "SKIPPED: python-docx not installed; install it to run this test (pip install python-docx)"
        );
        return false;
    }
    let out = Command::new("python3")
        .arg(fixture("import/python_docx_appendix.py"))
        .arg(dir)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "the python-docx helper failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// `phuluc import DOCX -o YAML`: must exit 0; returns its warnings, without the file name
/// each line starts with.
fn import(docx: &Path, yaml: &Path) -> Vec<String> {
    let out = phuluc(
        &root(),
        &[
            "import",
            docx.to_str().expect("utf-8"),
            "-o",
            yaml.to_str().expect("utf-8"),
            "--force",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "import failed: {err}");
    assert!(err.contains("đã ghi"), "{err}");
    err.lines()
        .filter_map(|l| l.split_once("cảnh báo: ").map(|(_, w)| w.to_owned()))
        .collect()
}

/// `phuluc check YAML` exits 0 with no error.
fn check_clean(yaml: &Path) {
    let out = phuluc(&root(), &["check", yaml.to_str().expect("utf-8")]);
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "check: {said}");
    assert!(said.contains(": 0 lỗi"), "{said}");
}

/// The heading lines and the body rows of the export's (only) appendix, as texts.
fn exported(json: &serde_json::Value) -> (Vec<String>, Vec<Vec<String>>) {
    let parts = json["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 1, "one appendix");
    let text = |v: &serde_json::Value| v["text"].as_str().unwrap_or("").to_owned();
    let heading = parts[0]["heading"]
        .as_array()
        .expect("heading")
        .iter()
        .map(text)
        .collect();
    let body = parts[0]["table"]["body"]
        .as_array()
        .expect("body")
        .iter()
        .map(|r| {
            r["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .map(text)
                .collect()
        })
        .collect();
    (heading, body)
}

/// A .docx read by import's reader (numbering, TCVN3 and vertical merges resolved).
fn read_docx(path: &Path) -> RawDocument {
    let bytes = std::fs::read(path).expect("read docx");
    match Package::read(&bytes).and_then(|p| raw::read(&p)) {
        Ok(doc) => doc,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// Every table row of a read .docx as the texts a reader sees in its cells (a cell's
/// paragraphs joined by ", ", the number cell without its trailing dot), leaving out the
/// rows `skip` says are headers.
fn table_rows(
    doc: &RawDocument,
    skip: impl Fn(usize, usize, &[String]) -> bool,
) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let tables = doc.blocks.iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        Block::Paragraph(_) => None,
    });
    for (t, table) in tables.enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            let cells: Vec<String> = row
                .cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let joined = c
                        .paragraphs
                        .iter()
                        .map(|p| p.text.trim())
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ");
                    if i == 0 { row_number(&joined) } else { joined }
                })
                .collect();
            if !skip(t, r, &cells) {
                out.push(cells);
            }
        }
    }
    out
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

/// Every (lead, support) agency list of the plan's items, in order, as the plan holds
/// them (lists, not joined text).
fn agency_lists(yaml: &Path) -> Vec<(Vec<String>, Vec<String>)> {
    let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
    let prepared = match phuluc::prepare(yaml, &templates) {
        Ok(p) => p,
        Err(d) => panic!("{d:?}"),
    };
    let list = |f: Option<&Field>| match f {
        Some(Field::List(l)) => l.clone(),
        None => Vec::new(),
        Some(other) => panic!("not a list: {other:?}"),
    };
    prepared
        .plan
        .appendices
        .iter()
        .flat_map(|a| &a.sections)
        .flat_map(|s| &s.groups)
        .flat_map(|g| &g.items)
        .map(|i| {
            (
                list(i.fields.get("chu_tri")),
                list(i.fields.get("phoi_hop")),
            )
        })
        .collect()
}

const REFERENCE: &str = "(Kèm theo Kế hoạch số 12/KH-UBND ngày 20 tháng 3 năm 2026 của Ủy ban nhân dân phường Thạch Khôi)";

const HEADER: [&str; 6] = [
    "Stt",
    "Nhiệm vụ cụ thể",
    "Lộ trình thực hiện",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Sản phẩm dự kiến",
];

/// The clerk's Phụ lục II, row by row, as it reads in Word (and must in phuluc's).
const NHIEM_VU: &[&[&str]] = &[
    &["I", "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"],
    &["1", "Tuyên truyền, phổ biến Nghị quyết"],
    &[
        "1.1",
        "Tổ chức hội nghị quán triệt Nghị quyết đến cán bộ, công chức",
        "Quý II/2026",
        "Phòng Văn hóa - Xã hội",
        "Công an phường, Ban Chỉ huy Quân sự phường",
        "Hội nghị",
    ],
    &[
        "1.2",
        "Đăng tin, bài trên Cổng thông tin điện tử phường",
        "Thường xuyên",
        "Phòng Văn hóa - Xã hội",
        "Trung tâm Phục vụ hành chính công",
        "Tin, bài",
    ],
    &["2", "Nâng cao chất lượng dân vận chính quyền"],
    &[
        "2.1",
        "Tiếp công dân định kỳ hằng tháng",
        "Hằng tháng",
        "Văn phòng HĐND và UBND",
        "Công an phường, Phòng Văn hóa - Xã hội",
        "Sổ tiếp công dân",
    ],
    &[
        "2.2",
        "Giải quyết kiến nghị của Nhân dân đúng hạn",
        "Thường xuyên",
        "Văn phòng HĐND và UBND",
        "Các phòng, ban chuyên môn",
        "Báo cáo",
    ],
    &[
        "2.3",
        "Đối thoại với Nhân dân về giải phóng mặt bằng",
        "Quý III/2026",
        "Văn phòng HĐND và UBND",
        "Phòng Kinh tế, Ủy ban Mặt trận Tổ quốc phường",
        "Biên bản đối thoại",
    ],
    &["II", "KIỂM TRA, GIÁM SÁT"],
    &["1", "Kiểm tra việc thực hiện"],
    &[
        "1.1",
        "Kiểm tra việc thực hiện Quy chế dân chủ ở cơ sở",
        "Năm 2026",
        "Văn phòng HĐND và UBND",
        "Công an phường",
        "Kết luận kiểm tra",
    ],
    &[
        "1.2",
        "Sơ kết việc thực hiện Kế hoạch",
        "Tháng 12/2026",
        "Phòng Văn hóa - Xã hội",
        "Các phòng, ban chuyên môn, Trung tâm Phục vụ hành chính công",
        "Báo cáo sơ kết",
    ],
    &["III", "TỔ CHỨC THỰC HIỆN"],
    &[
        "1",
        "Báo cáo kết quả thực hiện",
        "Tháng 12/2026",
        "Phòng Văn hóa - Xã hội",
        "",
        "Báo cáo",
    ],
    &[
        "2",
        "Tổng kết, rút kinh nghiệm",
        "Tháng 12/2026",
        "Văn phòng HĐND và UBND, Công an phường",
        "",
        "Báo cáo",
    ],
];

/// The agencies of each item: one name per paragraph typed, one name per list entry —
/// “Các phòng, ban chuyên môn” one name, its comma notwithstanding.
fn nhiem_vu_agencies() -> Vec<(Vec<String>, Vec<String>)> {
    let v = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let (vh, vp, ca) = (
        "Phòng Văn hóa - Xã hội",
        "Văn phòng HĐND và UBND",
        "Công an phường",
    );
    vec![
        (v(&[vh]), v(&[ca, "Ban Chỉ huy Quân sự phường"])),
        (v(&[vh]), v(&["Trung tâm Phục vụ hành chính công"])),
        (v(&[vp]), v(&[ca, vh])),
        (v(&[vp]), v(&["Các phòng, ban chuyên môn"])),
        (
            v(&[vp]),
            v(&["Phòng Kinh tế", "Ủy ban Mặt trận Tổ quốc phường"]),
        ),
        (v(&[vp]), v(&[ca])),
        (
            v(&[vh]),
            v(&[
                "Các phòng, ban chuyên môn",
                "Trung tâm Phục vụ hành chính công",
            ]),
        ),
        (v(&[vh]), v(&[])),
        (v(&[vp, ca]), v(&[])),
    ]
}

/// Everything the python-docx Phụ lục II must give: the warnings naming the merge, the
/// TCVN3 cell and the continuation; check clean; the export's heading and rows; the
/// agency lists; the rendered .docx's table and the PDF's text, cell for cell.
fn assert_nhiem_vu(docx: &Path, work: &Path, repeated_header: bool) {
    let yaml = work.join("nhiem-vu.yaml");
    let warnings = import(docx, &yaml);
    let continued = if repeated_header {
        "bảng 2 nối tiếp bảng 1 (cùng số cột, không có dòng “PHỤ LỤC” ở giữa): bỏ dòng tiêu đề lặp lại"
    } else {
        "bảng 2 nối tiếp bảng 1 (cùng số cột, không có dòng “PHỤ LỤC” ở giữa)"
    };
    assert_eq!(
        warnings,
        [
            continued,
            "bảng 1, dòng 5, cột 4: chữ gõ bằng phông .VnTime (TCVN3) đã chuyển sang Unicode: “Phòng Văn hóa - Xã hội”: đọc lại cho chắc",
            "bảng 1, dòng 8, cột 4: ô gộp dọc từ dòng 7: chép “Văn phòng HĐND và UBND” xuống dòng này",
        ],
        "{}",
        docx.display()
    );
    check_clean(&yaml);
    let text = std::fs::read_to_string(&yaml).expect("yaml");
    // Word's row numbers are the ones phuluc gives: none is written (the two are the
    // plan's "12" and the appendix's "II").
    assert_eq!(text.matches("number:").count(), 2, "{text}");
    let (heading, body) = exported(&export_json(&yaml, &[]));
    assert_eq!(
        heading,
        [
            "PHỤ LỤC II",
            "Phân công thực hiện các nhiệm vụ, giải pháp",
            REFERENCE
        ]
    );
    assert_eq!(body, strings(NHIEM_VU), "{text}");
    assert_eq!(agency_lists(&yaml), nhiem_vu_agencies(), "{text}");
    // The clerk's table as Word shows it (both parts, without their header rows) is the
    // expected rows too: what the test expects is what the file says.
    let typed = table_rows(&read_docx(docx), |_, _, cells| cells == HEADER);
    assert_eq!(typed, strings(NHIEM_VU));

    // Rendered again: the same table, one w:tbl, cell for cell, and the PDF's text.
    let out = work.join("render");
    let (rendered, pdf) = render_both(&out, &yaml, &[]);
    let doc = read_docx(&rendered);
    let tables = doc
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Table(_)))
        .count();
    assert_eq!(tables, 1, "one table rendered");
    let rows = table_rows(&doc, |_, r, _| r == 0);
    assert_eq!(rows, strings(NHIEM_VU));
    if tool("pdftotext") {
        let extracted = Extracted::new(&pdftotext(&pdf, &[]));
        let missing: Vec<&str> = NHIEM_VU
            .iter()
            .flat_map(|r| r.iter().copied())
            .chain(HEADER)
            .chain(heading.iter().map(String::as_str))
            .filter(|c| !extracted.contains(c))
            .collect();
        assert!(missing.is_empty(), "missing from the PDF: {missing:?}");
    }
}

/// The Done-when of issue 13: a Word appendix typed by hand — merged heading rows,
/// automatic numbering, one agency per line, a table broken in two, one old TCVN3 cell —
/// imports to a plan `check` accepts, and `render` gives the same table back.
#[test]
fn a_python_docx_appendix_typed_as_in_word_imports_cell_for_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    if !python_docx_fixtures(dir.path()) {
        return;
    }
    for (file, repeated) in [
        ("nhiem-vu.docx", true),
        ("nhiem-vu-khong-lap-tieu-de.docx", false),
    ] {
        let work = dir.path().join(file.trim_end_matches(".docx"));
        std::fs::create_dir_all(&work).expect("mkdir");
        assert_nhiem_vu(&dir.path().join(file), &work, repeated);
    }
}

/// The budget typed by the clerk, in the export: totals computed, the wrong one said.
const KINH_PHI: &[&[&str]] = &[
    &["Tổng cộng", "1.608,5", "1.000,0", "563,0", "45,5", "", ""],
    &["1", "Hạ tầng số"],
    &[
        "1.1",
        "Nâng cấp mạng nội bộ",
        "1.250,5",
        "1.000,0",
        "250,5",
        "",
        "Văn phòng HĐND và UBND",
        "",
    ],
    &[
        "1.2",
        "Wi-Fi công cộng",
        "12,5",
        "",
        "12,5",
        "",
        "Công an phường",
        "Xã hội hóa",
    ],
    &["Cộng nhóm 1", "1.263,0", "1.000,0", "263,0", "", "", ""],
    &["2", "Chuyển đổi số"],
    &[
        "2.1",
        "Phần mềm một cửa điện tử",
        "300,0",
        "",
        "300,0",
        "",
        "Trung tâm Phục vụ hành chính công",
        "",
    ],
    &[
        "2.2",
        "Đào tạo kỹ năng số",
        "45,5",
        "",
        "",
        "45,5",
        "Phòng Văn hóa - Xã hội",
        "Tài trợ",
    ],
    &["Cộng nhóm 2", "345,5", "", "300,0", "45,5", "", ""],
];

/// The item rows of a budget table as (number, content, amounts, lead, note): the
/// amounts as numbers, so "1.000" typed and "1.000,0" printed are one figure.
type BudgetRow = (
    String,
    String,
    Vec<Option<phuluc::model::Decimal>>,
    String,
    String,
);

fn budget_items(rows: &[Vec<String>]) -> Vec<BudgetRow> {
    rows.iter()
        .filter(|r| r.len() == 8 && r[0].contains('.'))
        .map(|r| {
            (
                r[0].clone(),
                r[1].clone(),
                r[2..6].iter().map(|a| parse_amount(a)).collect(),
                r[6].clone(),
                r[7].clone(),
            )
        })
        .collect()
}

fn assert_kinh_phi(docx: &Path, work: &Path) {
    let yaml = work.join("kinh-phi.yaml");
    let warnings = import(docx, &yaml);
    // Only the wrong figure is said: “Ngân sách phường” of the grand total, typed 536.
    assert_eq!(
        warnings,
        [
            "bảng 1, dòng 4, cột 5: dòng cộng ghi 536,0, nhưng tổng các dòng là 563,0: phuluc tự tính lại 563,0"
        ],
        "{}",
        docx.display()
    );
    check_clean(&yaml);
    let text = std::fs::read_to_string(&yaml).expect("yaml");
    for line in [
        "            ngan_sach_thanh_pho: 1000\n            ngan_sach_phuong: 250.5\n",
        "            ngan_sach_phuong: 12.5\n",
        "            nguon_khac: 45.5\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    // “Tổng số” is computed from its parts: never written.
    assert!(!text.contains("tong_so"), "{text}");
    let (heading, body) = exported(&export_json(&yaml, &[]));
    assert_eq!(
        heading,
        ["PHỤ LỤC III", "Dự toán kinh phí thực hiện", REFERENCE]
    );
    assert_eq!(body, strings(KINH_PHI), "{text}");
    // The clerk's item rows and the rendered ones: the same texts and figures.
    let typed = budget_items(&table_rows(&read_docx(docx), |_, r, _| r < 3));
    assert_eq!(typed.len(), 4);
    let (rendered, pdf) = render_both(&work.join("render"), &yaml, &[]);
    let rows = table_rows(&read_docx(&rendered), |_, _, _| false);
    // The rendered header has the template's three rows and the column numbers: the body
    // comes after them, as the export has it.
    let body_rows: Vec<Vec<String>> = rows[rows.len() - KINH_PHI.len()..].to_vec();
    assert_eq!(body_rows, strings(KINH_PHI));
    assert_eq!(budget_items(&body_rows), typed);
    if tool("pdftotext") {
        let extracted = Extracted::new(&pdftotext(&pdf, &[]));
        let missing: Vec<&str> = KINH_PHI
            .iter()
            .flat_map(|r| r.iter().copied())
            .filter(|c| !extracted.contains(c))
            .collect();
        assert!(missing.is_empty(), "missing from the PDF: {missing:?}");
    }
}

/// A budget from python-docx: a two-row header (gridSpan across the amounts, vMerge down
/// the others), the column-number row, amounts typed "1.250,5" and "12,5", a “Cộng” row
/// per group and a “Tổng cộng” with one figure typed wrong: the warning names its cell,
/// the plan has the typed figures and phuluc's totals.
#[test]
fn a_python_docx_budget_imports_its_figures_and_names_the_wrong_total() {
    let dir = tempfile::tempdir().expect("tempdir");
    if !python_docx_fixtures(dir.path()) {
        return;
    }
    assert_kinh_phi(&dir.path().join("kinh-phi.docx"), dir.path());
}

/// A second writer: the same files opened and saved again by LibreOffice (its own
/// numbering part — one list as several `w:num` — styles, runs and table properties)
/// import to the same plan, with the same warnings.
#[test]
fn the_python_docx_appendices_resaved_by_libreoffice_import_the_same() {
    if !tool("soffice") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    if !python_docx_fixtures(dir.path()) {
        return;
    }
    let lo = dir.path().join("lo");
    let profile = format!("file://{}", dir.path().join("lo-profile").display());
    let out = Command::new("soffice")
        .args([
            &format!("-env:UserInstallation={profile}"),
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            lo.to_str().expect("utf-8"),
        ])
        .arg(dir.path().join("nhiem-vu.docx"))
        .arg(dir.path().join("kinh-phi.docx"))
        .output()
        .expect("run soffice");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["nhiem-vu.docx", "kinh-phi.docx"] {
        let (ours, theirs) = (
            std::fs::read(dir.path().join(name)).expect("python-docx's"),
            std::fs::read(lo.join(name)).expect("LibreOffice's"),
        );
        assert_ne!(ours, theirs, "LibreOffice wrote its own {name}");
    }
    let work = dir.path().join("nv");
    std::fs::create_dir_all(&work).expect("mkdir");
    assert_nhiem_vu(&lo.join("nhiem-vu.docx"), &work, true);
    let work = dir.path().join("kp");
    std::fs::create_dir_all(&work).expect("mkdir");
    assert_kinh_phi(&lo.join("kinh-phi.docx"), &work);
}

// ---- parts without heading rows, through the binary ------------------------------------

/// What the round-trip property found: a section or group without heading has no row in
/// the table, only its numbering (rows 1, 2 again; 2.1 after 1.x; 1.1 again), and import
/// put its rows under the part before — other numbers, other totals. Through the binary:
/// render → import → check clean → the same export JSON → the same PDF bytes.
#[test]
fn sections_and_groups_without_heading_rows_come_back_from_their_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let original = fixture("import/khong-dong-tieu-de.yaml");
    let (docx, pdf) = render_both(&dir.path().join("first"), &original, &[]);
    let imported = dir.path().join("khong-dong-tieu-de.yaml");
    let warnings = import(&docx, &imported);
    // Nothing guessed but the budget's lead agency merged down (the template merges
    // equal neighbours): no renumbering, no row left unnumbered.
    assert_eq!(
        warnings,
        [
            "bảng 2, dòng 10, cột 7: ô gộp dọc từ dòng 9: chép “Văn phòng HĐND và UBND” xuống dòng này"
        ]
    );
    check_clean(&imported);
    let text = std::fs::read_to_string(&imported).expect("yaml");
    assert_eq!(
        export_json(&imported, &[])["parts"],
        export_json(&original, &[])["parts"],
        "{text}"
    );
    // No number written: the structure found gives phuluc's own.
    assert!(!text.contains("- number:"), "{text}");
    let (_, pdf2) = render_both(&dir.path().join("second"), &imported, &[]);
    let (a, b) = (
        std::fs::read(pdf).expect("pdf"),
        std::fs::read(pdf2).expect("pdf"),
    );
    assert!(a == b, "the re-rendered PDF differs\n{text}");
}

// ---- the round trip over random plans --------------------------------------------------

mod round_trip {
    use super::*;
    use phuluc::compose::templates::Templates;
    use phuluc::import::{recognise, yaml};
    use proptest::prelude::*;
    use proptest::test_runner::TestCaseError;

    use crate::properties::{name, plan, text};

    /// Renders the plan `src` to .docx through the library, imports that .docx (package →
    /// neutral model → recognised plan → YAML) and composes the imported plan: the same
    /// document — so the same `export --format json`, which is that document as JSON —
    /// with no error from check, and the same PDF bytes.
    fn library_round_trip(src: &str) -> Result<(), TestCaseError> {
        let templates = Templates::builtin().expect("templates");
        let original = match phuluc::prepare_str(src, Path::new("ke-hoach.yaml"), &templates) {
            Ok(p) => p,
            Err(d) => panic!("the generated plan does not validate: {d:?}\n{src}"),
        };
        // A row with every cell empty, its number too (the one row, with no fields, of
        // a group with a heading) reads as a blank spacer row, which import skips as
        // clerks leave them: such plans are not this property's.
        let blank = original.document.parts.iter().any(|p| {
            p.table
                .body
                .iter()
                .any(|r| r.cells.iter().all(|c| c.text.trim().is_empty()))
        });
        prop_assume!(!blank, "a blank row");
        let docx = phuluc::docx::docx(&original.document).expect("the .docx is written");
        let doc = Package::read(&docx)
            .and_then(|p| raw::read(&p))
            .expect("our .docx reads back");
        let recognised = recognise::recognise(&doc, &templates);
        let text = yaml::to_yaml(
            &recognised.plan,
            &templates,
            "../schema/phuluc.schema.json",
            "ke-hoach.docx",
        );
        let imported = match phuluc::prepare_str(&text, Path::new("nhap.yaml"), &templates) {
            Ok(p) => p,
            Err(d) => {
                let errors: Vec<String> =
                    d.iter().map(|d| d.render(phuluc::diag::Lang::En)).collect();
                return Err(TestCaseError::fail(format!(
                    "the imported plan does not check: {errors:#?}\n{text}\n--- from ---\n{src}"
                )));
            }
        };
        // Two files, one document: the same content, each with its own file's origins.
        let (a, b) = (
            &without_origins(&original.document),
            &without_origins(&imported.document),
        );
        prop_assert_eq!(&a.meta, &b.meta, "{}", text);
        prop_assert_eq!(a.parts.len(), b.parts.len(), "{}", text);
        for (pa, pb) in a.parts.iter().zip(&b.parts) {
            prop_assert_eq!(&pa.heading, &pb.heading, "{}\n--- from ---\n{}", text, src);
            let (ra, rb) = (&pa.table.body, &pb.table.body);
            for (i, (x, y)) in ra.iter().zip(rb).enumerate() {
                prop_assert_eq!(x, y, "body row {}\n{}\n--- from ---\n{}", i, text, src);
            }
            prop_assert_eq!(ra.len(), rb.len(), "{}\n--- from ---\n{}", text, src);
            prop_assert_eq!(pa, pb);
        }
        prop_assert!(a == b);
        let pdf = |d| phuluc::pdf::pdf(d, &phuluc::pdf::PdfOptions::default()).expect("pdf");
        prop_assert!(pdf(a) == pdf(b), "the re-rendered PDF differs\n{}", text);
        Ok(())
    }

    /// One budget row: its content, the three source amounts (the total is computed),
    /// the lead agencies and a note.
    #[derive(Debug, Clone)]
    struct BudgetRow {
        content: Option<String>,
        amounts: Vec<Option<phuluc::model::Decimal>>,
        lead: Vec<String>,
        note: Option<String>,
    }

    /// Groups (with or without a heading), or rows straight in the appendix.
    #[derive(Debug, Clone)]
    enum BudgetBody {
        Groups(Vec<(Option<String>, Vec<BudgetRow>)>),
        Items(Vec<BudgetRow>),
    }

    const SOURCES: [&str; 3] = ["ngan_sach_thanh_pho", "ngan_sach_phuong", "nguon_khac"];

    fn budget_row() -> impl Strategy<Value = BudgetRow> {
        // One decimal, as the column shows: the .docx holds every digit.
        let amount = prop::option::weighted(
            0.7,
            (0i64..20_000_000).prop_map(|n| phuluc::model::Decimal::new(n, 1)),
        );
        // A few names, so neighbours repeat and the template merges their cells.
        let lead = prop_oneof![
            1 => Just(Vec::new()),
            3 => prop::sample::select(vec![
                "Văn phòng HĐND và UBND",
                "Công an phường",
                "Phòng Văn hóa - Xã hội",
            ])
            .prop_map(|n| vec![n.to_owned()]),
            1 => prop::collection::vec(name(), 1..=2),
        ];
        (
            prop::option::weighted(0.9, text()),
            prop::collection::vec(amount, SOURCES.len()),
            lead,
            prop::option::weighted(0.3, text()),
        )
            .prop_map(|(content, amounts, lead, note)| BudgetRow {
                content,
                amounts,
                lead,
                note,
            })
    }

    /// A random budget plan (kinh-phi), as YAML.
    fn budget() -> impl Strategy<Value = String> {
        let rows = || prop::collection::vec(budget_row(), 1..=4);
        let body = prop_oneof![
            prop::collection::vec((prop::option::of(text()), rows()), 1..=3)
                .prop_map(BudgetBody::Groups),
            rows().prop_map(BudgetBody::Items),
        ];
        (text(), body).prop_map(|(title, body): (String, BudgetBody)| budget_yaml(&title, &body))
    }

    fn budget_yaml(title: &str, body: &BudgetBody) -> String {
        let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
        let mut out = format!(
            "version: 1\nplan:\n  kind: Kế hoạch\n  number: ~\n  symbol: KH-UBND\n  date: ~\n  year: 2026\n  issuer: Ủy ban nhân dân phường Thạch Khôi\nappendices:\n  - template: kinh-phi\n    title: {}\n",
            q(title)
        );
        let rows = |out: &mut String, rows: &[BudgetRow], pad: &str| {
            for r in rows {
                let mut lines: Vec<String> = Vec::new();
                if let Some(c) = &r.content {
                    lines.push(format!("noi_dung: {}", q(c)));
                }
                for (field, a) in SOURCES.iter().zip(&r.amounts) {
                    if let Some(a) = a {
                        lines.push(format!("{field}: {a}"));
                    }
                }
                if !r.lead.is_empty() {
                    lines.push("chu_tri:".to_owned());
                    for n in &r.lead {
                        lines.push(format!("  - {}", q(n)));
                    }
                }
                if let Some(n) = &r.note {
                    lines.push(format!("ghi_chu: {}", q(n)));
                }
                if lines.is_empty() {
                    out.push_str(&format!("{pad}- {{}}\n"));
                }
                for (i, l) in lines.iter().enumerate() {
                    let lead = if i == 0 { "- " } else { "  " };
                    out.push_str(&format!("{pad}{lead}{l}\n"));
                }
            }
        };
        match body {
            BudgetBody::Items(r) => {
                out.push_str("    items:\n");
                rows(&mut out, r, "      ");
            }
            BudgetBody::Groups(groups) => {
                out.push_str("    groups:\n");
                for (heading, r) in groups {
                    match heading {
                        Some(h) => {
                            out.push_str(&format!("      - heading: {}\n        items:\n", q(h)))
                        }
                        None => out.push_str("      - items:\n"),
                    }
                    rows(&mut out, r, "          ");
                }
            }
        }
        out
    }

    /// The one row of a group with a heading is unnumbered; where its only text is in
    /// parentheses ("(thường xuyên)"), it looked like the column-number row "(1)", "(2)" …
    /// and was skipped.
    #[test]
    fn an_unnumbered_row_in_parentheses_is_not_the_column_number_row() {
        let src = "version: 1\nplan:\n  kind: Kế hoạch\n  number: ~\n  symbol: KH-UBND\n  date: ~\n  year: 2026\n  issuer: Ủy ban nhân dân phường Thạch Khôi\nappendices:\n  - template: muc-tieu\n    title: Tên\n    groups:\n      - heading: Nhóm một\n        items:\n          - lo_trinh: (thường xuyên)\n      - heading: Nhóm hai\n        items:\n          - muc_tieu: Việc\n";
        if let Err(e) = library_round_trip(src) {
            panic!("{e}");
        }
    }

    proptest! {
        #![proptest_config(crate::common::proptest_config(16))]

        /// Random muc-tieu and nhiem-vu plans (sections, groups, bare rows, headings or
        /// none, line breaks, decomposed text, several agencies to a cell).
        #[test]
        fn a_random_plan_comes_back_from_its_own_docx(plan in plan()) {
            library_round_trip(&plan.yaml())?;
        }

        /// Random budgets: computed totals, merged lead-agency cells.
        #[test]
        fn a_random_budget_comes_back_from_its_own_docx(src in budget()) {
            library_round_trip(&src)?;
        }
    }
}
