//! Budgets whose group and section heading rows carry their subtotals (issue 20, item 1):
//! `totals.subtotal_position: heading` drawn by phuluc (the PDF read by pdftotext, the
//! .docx by openxml-audit), the common hand-typed layout written by python-docx and
//! re-saved by LibreOffice imported to the right structure with a wrong typed subtotal
//! reported with both figures, and random budgets rendered with heading subtotals
//! imported back to the same document.

use std::path::{Path, PathBuf};
use std::process::Command;

use phuluc::compose::templates::Templates;
use proptest::prelude::*;

use crate::agencies::openxml_audit;
use crate::common::*;

/// The built-in kinh-phi's layout with both subtotals in the heading rows.
fn heading_layout() -> String {
    let layout =
        std::fs::read_to_string(root().join("templates/kinh-phi/layout.yaml")).expect("layout");
    assert!(layout.contains("  subtotal_position: after\n"), "{layout}");
    layout
        .replace(
            "  subtotal_position: after\n",
            "  subtotal_position: heading\n",
        )
        .replace("  sections: false\n", "  sections: true\n")
}

/// A templates folder holding that kind under kinh-phi's own name.
fn heading_templates(dir: &Path) -> PathBuf {
    let kind = dir.join("mau/kinh-phi");
    std::fs::create_dir_all(&kind).expect("mkdir");
    for name in ["label.hbs", "title.hbs", "reference.hbs"] {
        std::fs::copy(
            root().join("templates/kinh-phi").join(name),
            kind.join(name),
        )
        .expect("copy");
    }
    std::fs::write(kind.join("layout.yaml"), heading_layout()).expect("layout");
    dir.join("mau")
}

/// The example budget drawn with heading subtotals: each group's heading row carries
/// its sums, bold, and no “Cộng nhóm” row follows; drawn as before, the rows follow.
/// The .docx passes openxml-audit.
#[test]
fn heading_subtotals_stand_in_the_group_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let templates = heading_templates(dir.path());
    let plan = root().join("data/vi-du-kinh-phi.yaml");
    let (docx, pdf) = render_both(
        &dir.path().join("heading"),
        &plan,
        &["--templates", templates.to_str().expect("utf-8")],
    );
    let text = pdftotext(&pdf, &[]);
    assert!(
        text.contains("\n1 Phát triển hạ tầng số 1.582,3 1.169,0 318,3 95,0\n"),
        "{text}"
    );
    assert!(!text.contains("Cộng nhóm"), "{text}");
    assert!(
        text.contains("Tổng cộng 4.197,9 3.079,0 939,9 179,0"),
        "{text}"
    );
    let (_, before) = render_both(&dir.path().join("after"), &plan, &[]);
    let before = pdftotext(&before, &[]);
    assert!(before.contains("\n1 Phát triển hạ tầng số\n"), "{before}");
    assert!(
        before.contains("Cộng nhóm 1 1.582,3 1.169,0 318,3 95,0"),
        "{before}"
    );
    if let Some((ok, report)) = openxml_audit(&docx) {
        assert!(ok, "{report}");
    }
}

/// What the imported budget must hold, section for section.
const WANT: &str = "    sections:
      # I
      - heading: Tuyên truyền, phổ biến Nghị quyết
        items:
          # 1
          - noi_dung: In tài liệu tuyên truyền
            ngan_sach_thanh_pho: 20
            ngan_sach_phuong: 20
            chu_tri:
              - Phòng Văn hóa - Xã hội
          # 2
          - noi_dung: Hội nghị quán triệt
            ngan_sach_thanh_pho: 25
            ngan_sach_phuong: 25
            chu_tri:
              - Văn phòng HĐND và UBND
          # 3
          - noi_dung: Pa nô, khẩu hiệu
            ngan_sach_thanh_pho: 12.5
            ngan_sach_phuong: 15.5
            chu_tri:
              - Phòng Văn hóa - Xã hội
      # II
      - heading: Kiểm tra, giám sát
        items:
          # 1
          - noi_dung: Đoàn kiểm tra liên ngành
            ngan_sach_thanh_pho: 10
            ngan_sach_phuong: 20
            chu_tri:
              - Công an phường
          # 2
          - noi_dung: Sơ kết, đánh giá
            ngan_sach_phuong: 12.5
            chu_tri:
              - Văn phòng HĐND và UBND
";

fn import_file(file: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "import",
        file.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
        "--force",
    ];
    args.extend_from_slice(extra);
    let o = phuluc(&root(), &args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    err
}

/// The budget typed the common way (python-docx): the sections' subtotals in their
/// bold heading rows. Import gives two sections with their own items (not rows of a
/// section “II”), the grand total agrees (it was reported as half the computed one), the
/// wrong typed subtotal is a warning with both figures at its cell, and — the built-in
/// template printing subtotals elsewhere — a variant printing them in the heading rows
/// is written beside the plan and used, so the PDF shows the Word file's figures; imported
/// again with that folder, the variant is reused. With a template of its own that prints
/// them there: no variant, the same figures. LibreOffice's .odt of the file imports the same.
#[test]
fn a_budget_with_subtotals_in_its_heading_rows_imports_to_its_structure() {
    if !tool("python3") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("du-toan.docx");
    let out = Command::new("python3")
        .arg(fixture("import/python_docx_budget_headings.py"))
        .arg(&docx)
        .output()
        .expect("python3");
    if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("No module named") {
        assert!(
            std::env::var("CI").is_err(),
            "python-docx is required in CI"
        );
        eprintln!("SKIPPED: python-docx not installed (pip install python-docx)");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plain = dir.path().join("plain.yaml");
    let err = import_file(&docx, &plain, &[]);
    let yaml = std::fs::read_to_string(&plain).expect("yaml");
    assert!(yaml.contains(WANT), "{yaml}");
    assert!(
        err.contains("du-toan.docx: cảnh báo: bảng 1, dòng 8, cột 3: dòng tiêu đề ghi số cộng 45,0, nhưng tổng các dòng của nó là 42,5: phuluc tự tính lại 42,5"),
        "{err}"
    );
    // The built-in kinh-phi prints subtotals in rows of their own: import makes the
    // variant that prints them in the heading rows, beside the plan, and the plan uses it.
    assert!(
        err.contains(
            "bảng 1: tệp Word in khác mẫu “kinh-phi” (số cộng trên dòng tiêu đề phần): đã tạo mẫu biến thể “kinh-phi-cong-o-tieu-de” in như tệp"
        ),
        "{err}"
    );
    assert!(
        yaml.contains("  - template: kinh-phi-cong-o-tieu-de\n"),
        "{yaml}"
    );
    assert!(!err.contains("dòng cộng ghi"), "{err}");
    let variant = dir.path().join("templates");
    let layout = std::fs::read_to_string(variant.join("kinh-phi-cong-o-tieu-de/layout.yaml"))
        .expect("the variant's layout.yaml");
    assert!(
        layout.contains("\n  subtotal_position: heading "),
        "{layout}"
    );
    assert!(layout.contains("\n  sections: true "), "{layout}");
    assert!(layout.contains("\n  groups: false "), "{layout}");
    let v = variant.to_str().expect("utf-8");
    let (_, pdf) = render_both(&dir.path().join("plain-pdf"), &plain, &["--templates", v]);
    let plain_text = pdftotext(&pdf, &[]);
    let templates = heading_templates(dir.path());
    let t = templates.to_str().expect("utf-8");
    let headed = dir.path().join("headed.yaml");
    let err = import_file(&docx, &headed, &["--templates", t]);
    assert!(!err.contains("in khác mẫu"), "{err}");
    assert!(
        err.contains("ghi số cộng 45,0, nhưng tổng các dòng của nó là 42,5"),
        "{err}"
    );
    let (_, pdf) = render_both(&dir.path().join("pdf"), &headed, &["--templates", t]);
    let text = pdftotext(&pdf, &[]);
    for line in [
        "I Tuyên truyền, phổ biến Nghị quyết 118,0 57,5 60,5",
        "II Kiểm tra, giám sát 42,5 10,0 32,5",
        "Tổng cộng 160,5 67,5 93,0",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
        assert!(plain_text.contains(line), "{line:?} in\n{plain_text}");
    }
    // Imported again with the variant's folder: the variant is used, not made again.
    let again = dir.path().join("again.yaml");
    let err = import_file(&docx, &again, &["--templates", v]);
    assert!(
        err.contains("in như mẫu “kinh-phi-cong-o-tieu-de”"),
        "{err}"
    );
    assert!(!err.contains("đã tạo mẫu"), "{err}");
    if !tool("soffice") {
        return;
    }
    let profile = dir.path().join("lo-profile");
    let lo = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "odt", "--outdir"])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .expect("soffice");
    let odt = dir.path().join("du-toan.odt");
    assert!(odt.is_file(), "{}", String::from_utf8_lossy(&lo.stderr));
    let from_odt = dir.path().join("odt.yaml");
    let err = import_file(&odt, &from_odt, &["--templates", t]);
    let body = |y: &str| y.split_once("version: 1").map(|(_, b)| b.to_owned());
    let odt_yaml = std::fs::read_to_string(&from_odt).expect("yaml");
    assert_eq!(
        body(&odt_yaml),
        body(&std::fs::read_to_string(&headed).expect("yaml")),
        "{err}"
    );
}

/// A table no template knows, its sections' subtotals in their heading rows
/// (python-docx): the template import makes prints them there (`subtotal_position:
/// heading`, `sections: true`), the rows below each heading are its items, and the plan
/// rendered with that template shows the Word file's figures, heading rows and total.
#[test]
fn a_template_made_from_heading_subtotals_prints_them_there() {
    if !tool("python3") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("cong-trinh.docx");
    let out = Command::new("python3")
        .arg(fixture("import/python_docx_budget_headings.py"))
        .arg("--works")
        .arg(&docx)
        .output()
        .expect("python3");
    if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("No module named") {
        assert!(
            std::env::var("CI").is_err(),
            "python-docx is required in CI"
        );
        eprintln!("SKIPPED: python-docx not installed (pip install python-docx)");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan = dir.path().join("cong-trinh.yaml");
    let err = import_file(&docx, &plan, &[]);
    assert!(!err.contains("dòng cộng ghi"), "{err}");
    let layout =
        std::fs::read_to_string(dir.path().join("templates/danh-muc-cong-trinh/layout.yaml"))
            .expect("the new template");
    assert!(
        layout.contains("\n  sections: true\n  subtotal_position: heading "),
        "{layout}"
    );
    let yaml = std::fs::read_to_string(&plan).expect("yaml");
    assert!(
        yaml.contains("      - heading: Giao thông\n        items:\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("      - heading: Thủy lợi\n        items:\n"),
        "{yaml}"
    );
    let templates = dir.path().join("templates");
    let (_, pdf) = render_both(
        &dir.path().join("pdf"),
        &plan,
        &["--templates", templates.to_str().expect("utf-8")],
    );
    let text = pdftotext(&pdf, &[]);
    for line in [
        "\nI Giao thông 300 100\n",
        "\n1 Đường A 200 50 Ban QLDA\n",
        "\nII Thủy lợi 80\n",
        "\nTổng cộng 380 100\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
}

// ---- random budgets with heading subtotals --------------------------------------------

#[derive(Debug, Clone)]
struct Row {
    content: String,
    amounts: [Option<i64>; 3],
    lead: Option<&'static str>,
}

type Group = (Option<String>, Vec<Row>);
type Section = (Option<String>, Vec<Group>);

const SOURCES: [&str; 3] = ["ngan_sach_thanh_pho", "ngan_sach_phuong", "nguon_khac"];

fn row() -> impl Strategy<Value = Row> {
    (
        crate::properties::text(),
        [
            prop::option::weighted(0.7, 0i64..2_000_000),
            prop::option::weighted(0.7, 0i64..2_000_000),
            prop::option::weighted(0.4, 0i64..2_000_000),
        ],
        prop::option::of(prop::sample::select(vec![
            "Văn phòng HĐND và UBND",
            "Công an phường",
            "Phòng Văn hóa - Xã hội",
        ])),
    )
        .prop_map(|(content, amounts, lead)| Row {
            content,
            amounts,
            lead,
        })
}

fn budget() -> impl Strategy<Value = Vec<Section>> {
    let heading = || prop::option::weighted(0.8, crate::properties::text());
    let group = (heading(), prop::collection::vec(row(), 1..=3));
    let section = (heading(), prop::collection::vec(group, 1..=3));
    prop::collection::vec(section, 1..=3)
}

fn budget_yaml(sections: &[Section]) -> String {
    let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
    let mut out = "version: 1\nplan:\n  kind: Kế hoạch\n  number: ~\n  symbol: KH-UBND\n  date: ~\n  year: 2026\n  issuer: Ủy ban nhân dân phường Thạch Khôi\nappendices:\n  - template: kinh-phi\n    title: Dự toán\n    sections:\n".to_owned();
    for (heading, groups) in sections {
        match heading {
            Some(h) => out += &format!("      - heading: {}\n        groups:\n", q(h)),
            None => out += "      - groups:\n",
        }
        for (heading, rows) in groups {
            match heading {
                Some(h) => out += &format!("          - heading: {}\n            items:\n", q(h)),
                None => out += "          - items:\n",
            }
            for r in rows {
                out += &format!("              - noi_dung: {}\n", q(&r.content));
                for (field, a) in SOURCES.iter().zip(r.amounts) {
                    if let Some(a) = a {
                        out += &format!(
                            "                {field}: {}\n",
                            phuluc::model::Decimal::new(a, 1)
                        );
                    }
                }
                if let Some(l) = r.lead {
                    out += &format!("                chu_tri: [{}]\n", q(l));
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(crate::common::proptest_config(24))]

    /// Random budgets (sections and groups, with headings or none), rendered to .docx
    /// with `subtotal_position: heading` through the library, imported with the same
    /// templates and composed again: the same document — every figure, every subtotal in
    /// its heading row, the grand total — and no warning about a typed subtotal.
    #[test]
    fn a_random_budget_with_heading_subtotals_comes_back(sections in budget()) {
        let src = budget_yaml(&sections);
        let mut templates = Templates::builtin().expect("templates");
        let files = ["label.hbs", "title.hbs", "reference.hbs"]
            .iter()
            .map(|n| {
                let text = std::fs::read_to_string(root().join("templates/kinh-phi").join(n))
                    .expect("template");
                (n.to_string(), text)
            })
            .chain([("layout.yaml".to_owned(), heading_layout())])
            .collect();
        templates
            .add_kind("kinh-phi", Path::new("mau/kinh-phi"), &files)
            .expect("the heading kind loads");
        let original = phuluc::prepare_str(&src, Path::new("du-toan.yaml"), &templates)
            .unwrap_or_else(|d| panic!("{d:?}\n{src}"));
        let docx = phuluc::docx::docx(&original.document).expect("docx");
        let doc = phuluc::import::package::Package::read(&docx)
            .and_then(|p| phuluc::import::raw::read(&p))
            .expect("our .docx reads back");
        let recognised = phuluc::import::recognise::recognise(&doc, &templates);
        let said: Vec<String> = recognised.warnings.iter().map(|w| w.vi.to_string()).collect();
        prop_assert!(!said.iter().any(|w| w.contains("số cộng") || w.contains("dòng cộng ghi")), "{:?}\n{}", said, src);
        let text = phuluc::import::yaml::to_yaml(&recognised.plan, &templates, "../schema/phuluc.schema.json", "du-toan.docx");
        let imported = phuluc::prepare_str(&text, Path::new("nhap.yaml"), &templates)
            .map_err(|d| TestCaseError::fail(format!("{d:?}\n{text}")))?;
        let (a, b) = (without_origins(&original.document), without_origins(&imported.document));
        for (pa, pb) in a.parts.iter().zip(&b.parts) {
            for (i, (x, y)) in pa.table.body.iter().zip(&pb.table.body).enumerate() {
                prop_assert_eq!(x, y, "body row {}\n{}\n--- from ---\n{}", i, text, src);
            }
            prop_assert_eq!(pa.table.body.len(), pb.table.body.len(), "{}\n--- from ---\n{}", text, src);
        }
        prop_assert!(a == b, "{}\n--- from ---\n{}", text, src);
    }
}
