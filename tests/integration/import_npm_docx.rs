//! `phuluc import` of files written by the npm `docx` library (9.15.2), the JavaScript
//! writer of many offices' e-office scripts — a writer neither phuluc nor the other
//! import tests use (`tests/fixtures/import/npm-docx/make.mjs` writes the three files;
//! the committed .docx are its output, so CI needs no Node). Each construct of issue 20
//! as that library writes it: a budget whose section heading rows carry the subtotals
//! (one typed wrong), a reference line whose blanks are non-breaking spaces split over
//! runs, agencies on separate lines of one paragraph (`break`), joined by ";" and by ", "
//! between register names, and a column of years. Judged by the plan's YAML text, the
//! warnings' words, `agencies --format json`, `export --format json`, the rendered PDF
//! (pdftotext) and the rendered .docx (openxml-audit).

use std::path::{Path, PathBuf};

use crate::agencies::openxml_audit;
use crate::common::*;

/// Imports the fixture `name` into `dir`; the plan's path, its YAML and import's stderr.
fn import(dir: &Path, name: &str) -> (PathBuf, String, String) {
    let file = fixture(&format!("import/npm-docx/{name}.docx"));
    let plan = dir.join(format!("{name}.yaml"));
    let o = phuluc(
        &root(),
        &[
            "import",
            file.to_str().expect("utf-8"),
            "-o",
            plan.to_str().expect("utf-8"),
            "--force",
        ],
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let yaml = std::fs::read_to_string(&plan).expect("yaml");
    (plan, yaml, err)
}

fn audit_clean(docx: &Path) {
    if let Some((clean, report)) = openxml_audit(docx) {
        assert!(clean, "{}: {report}", docx.display());
    }
}

/// The budget: two sections with their own items (not items of a section “II”), the
/// wrong typed subtotal reported at its cell with both figures, the variant printing
/// subtotals in the heading rows made and used, so the PDF prints the file's rows.
#[test]
fn an_npm_docx_budget_with_subtotals_in_its_heading_rows_imports_to_its_structure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, yaml, err) = import(dir.path(), "du-toan");
    for want in [
        "  number: \"7\"\n  symbol: KH-UBND\n  date: 2026-04-10\n  year: 2026\n  issuer: Ủy ban nhân dân phường An Khánh\n",
        "  - template: kinh-phi-cong-o-tieu-de\n    number: II\n",
        "      - heading: Tuyên truyền, phổ biến Nghị quyết\n        items:\n          # 1\n          - noi_dung: In tài liệu tuyên truyền\n",
        "          - noi_dung: Pa nô, khẩu hiệu\n            ngan_sach_thanh_pho: 12.5\n            ngan_sach_phuong: 15.5\n",
        "      - heading: Kiểm tra, giám sát\n        items:\n          # 1\n          - noi_dung: Đoàn kiểm tra liên ngành\n",
        "          - noi_dung: Sơ kết, đánh giá\n            ngan_sach_phuong: 12.5\n            chu_tri:\n              - Văn phòng HĐND và UBND\n",
    ] {
        assert!(yaml.contains(want), "{want:?} in\n{yaml}\n{err}");
    }
    // Five items, two sections: no heading row was read as an item.
    assert_eq!(yaml.matches("- noi_dung:").count(), 5, "{yaml}");
    assert_eq!(yaml.matches("- heading:").count(), 2, "{yaml}");
    assert!(
        err.contains("du-toan.docx: cảnh báo: bảng 1, dòng 8, cột 3: dòng tiêu đề ghi số cộng 45,0, nhưng tổng các dòng của nó là 42,5: phuluc tự tính lại 42,5"),
        "{err}"
    );
    assert!(!err.contains("dòng cộng ghi"), "{err}");
    assert!(
        err.contains("đã tạo mẫu biến thể “kinh-phi-cong-o-tieu-de” in như tệp"),
        "{err}"
    );
    let templates = dir.path().join("templates");
    let (docx, pdf) = render_both(
        &dir.path().join("out"),
        &plan,
        &["--templates", templates.to_str().expect("utf-8")],
    );
    let text = pdftotext(&pdf, &[]);
    for line in [
        "PHỤ LỤC II",
        // The templates print a filled date in the long form, as the seed does.
        "(Kèm theo Kế hoạch số 7/KH-UBND ngày 10 tháng 4 năm 2026 của Ủy ban nhân dân phường An Khánh)",
        "I Tuyên truyền, phổ biến Nghị quyết 118,0 57,5 60,5",
        "1 In tài liệu tuyên truyền 40,0 20,0 20,0",
        "3 Pa nô, khẩu hiệu 28,0 12,5 15,5",
        "II Kiểm tra, giám sát 42,5 10,0 32,5",
        "1 Đoàn kiểm tra liên ngành 30,0 10,0 20,0",
        "2 Sơ kết, đánh giá 12,5 12,5",
        "Tổng cộng 160,5 67,5 93,0",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    audit_clean(&docx);
}

/// The reference line with its number and date left blank in non-breaking spaces, split
/// over three runs: the plan's symbol, year and issuer are read, the number and date are
/// blank (not an empty symbol and issuer), and the PDF prints the line with its blanks.
/// Agencies on separate lines, after ";" and between register names come back name for
/// name; “Phòng Kinh tế, Hạ tầng và Đô thị” stays one agency with no `agencies:` list.
#[test]
fn an_npm_docx_task_list_gives_the_reference_fields_and_each_agency_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, yaml, err) = import(dir.path(), "nhiem-vu");
    for want in [
        "  number: ~\n  symbol: KH-UBND\n  date: ~\n  year: 2026\n  issuer: Ủy ban nhân dân phường An Khánh\n",
        "        chu_tri:\n          - Phòng Văn hóa - Xã hội\n          - Công an phường\n        phoi_hop:\n          - Sở Công Thương\n          - BQL Khu kinh tế tỉnh\n",
        "        chu_tri:\n          - Phòng Kinh tế, Hạ tầng và Đô thị\n        phoi_hop:\n          - Văn phòng HĐND và UBND\n          - Trung tâm Phục vụ hành chính công\n",
    ] {
        assert!(yaml.contains(want), "{want:?} in\n{yaml}\n{err}");
    }
    assert!(!yaml.contains("\nagencies:"), "{yaml}");
    assert!(!err.contains("cảnh báo:"), "{err}");
    let out = phuluc(
        &root(),
        &[
            "agencies",
            plan.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut names: Vec<&str> = json["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "BQL Khu kinh tế tỉnh",
            "Công an phường",
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            "Phòng Văn hóa - Xã hội",
            "Sở Công Thương",
            "Trung tâm Phục vụ hành chính công",
            "Văn phòng HĐND và UBND",
        ]
    );
    let (docx, pdf) = render_both(&dir.path().join("out"), &plan, &[]);
    let text = pdftotext(&pdf, &[]);
    for line in [
        "NHIỆM VỤ NĂM 2026",
        "(Kèm theo Kế hoạch số /KH-UBND ngày / /2026 của Ủy ban nhân dân phường An Khánh)",
        "1 Rà soát hạ tầng số Năm 2026",
        "2 Chỉnh trang đô thị\nQuý\nIII/2026\nPhòng Kinh tế, Hạ\ntầng và Đô thị\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(!text.contains("số / ngày / / của )"), "{text}");
    audit_clean(&docx);
}

/// A table no template knows: its “Năm hoàn thành” column of years is text, printed as
/// typed (“2026”, never “2.026”), never summed; only the money is, to the typed total.
#[test]
fn an_npm_docx_column_of_years_is_not_summed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, yaml, err) = import(dir.path(), "cong-trinh");
    assert!(yaml.contains("nam_hoan_thanh: \"2026\""), "{yaml}\n{err}");
    assert!(err.contains("Năm hoàn thành: text"), "{err}");
    assert!(err.contains("Kinh phí (triệu đồng): amount"), "{err}");
    assert!(!err.contains("dòng cộng ghi"), "{err}");
    let templates = dir.path().join("templates");
    let t = ["--templates", templates.to_str().expect("utf-8")];
    let json = export_json(&plan, &t);
    let cells: Vec<Vec<String>> = json["parts"][0]["table"]["body"]
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
    let want: Vec<Vec<&str>> = vec![
        vec!["1", "Nhà văn hóa tổ 3", "2025", "1.250,0"],
        vec!["2", "Đường ngõ 5", "2026", "980,5"],
        vec!["3", "Sân thể thao", "2027", "2.000,0"],
    ];
    for row in &want {
        assert!(cells.iter().any(|c| c == row), "{row:?} in {cells:?}");
    }
    let flat: Vec<&String> = cells.iter().flatten().collect();
    assert!(flat.iter().any(|c| c.as_str() == "4.230,5"), "{cells:?}");
    assert!(
        !flat
            .iter()
            .any(|c| c.contains("2.026") || c.contains("6.078")),
        "{cells:?}"
    );
    let (docx, pdf) = render_both(&dir.path().join("out"), &plan, &t);
    let text = pdftotext(&pdf, &[]);
    for line in [
        "1 Nhà văn hóa tổ 3 2025 1.250,0",
        "2 Đường ngõ 5 2026 980,5",
        "3 Sân thể thao 2027 2.000,0",
        "Tổng cộng 4.230,5",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    audit_clean(&docx);
}
