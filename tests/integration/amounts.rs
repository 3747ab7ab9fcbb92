//! Money, dates and percentages in templates: amount columns with Vietnamese digit
//! grouping, a computed "Tổng số" column, the column-number row, subtotal rows per group
//! and section and a grand total — in the .docx (read back through its XML and through
//! LibreOffice) and the PDF (pdftotext), with figures worked out by hand here, not by
//! phuluc. Fixture: `tests/fixtures/plans/du-toan.yaml` with the `du-toan` kind.

use std::path::PathBuf;

use crate::common::*;
use crate::docx::unzip;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn templates() -> String {
    fixture("templates").to_str().expect("utf-8").to_owned()
}

fn render_du_toan() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "render",
            fixture("plans/du-toan.yaml").to_str().expect("utf-8"),
            "--templates",
            &templates(),
            "-o",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let docx = dir.path().join("du-toan.docx");
    let pdf = dir.path().join("du-toan.pdf");
    (dir, docx, pdf)
}

/// The table as a clerk checks it with a calculator. Row 1.1: 0,1 + 0,2 = 0,3 (no binary
/// drift). Row 1.2: 1 250 + 312,5 + 37,5 = 1 600. Group 2's row types 500 as its total but
/// its parts add up to 480: the appendix shows 480. Section II: 150,05 + 49,95 = 200,
/// each part rounded half away from zero to one decimal (150,1; 50,0).
const EXPECTED: &[&[&str]] = &[
    &[
        "Stt",
        "Nội dung",
        "Tổng số (triệu đồng)",
        "Ngân sách thành phố",
        "Ngân sách phường",
        "Nguồn khác",
        "Thời hạn",
        "Tỷ lệ giải ngân",
        "Cơ quan chủ trì",
    ],
    &[
        "(1)",
        "(2)",
        "(3) = (4) + (5) + (6)",
        "(4)",
        "(5)",
        "(6)",
        "(7)",
        "(8)",
        "(9)",
    ],
    // Grand total on top: 0,3 + 1 600 + 480 + 200 = 2 280,3; city 0,1 + 1 250 + 150,05;
    // ward 0,2 + 312,5 + 480; other 37,5 + 49,95.
    &[
        "Tổng cộng",
        "2.280,3",
        "1.400,2",
        "792,7",
        "87,5",
        "",
        "",
        "",
    ],
    &["I", "HẠ TẦNG SỐ"],
    &["1", "Mạng và thiết bị"],
    &[
        "1.1",
        "Nâng cấp mạng nội bộ trụ sở",
        "0,3",
        "0,1",
        "0,2",
        "",
        "31/03/2026",
        "100,0%",
        "Văn phòng HĐND và UBND phường",
    ],
    &[
        "1.2",
        "Trang bị máy tính cho bộ phận một cửa",
        "1.600,0",
        "1.250,0",
        "312,5",
        "37,5",
        "30/06/2026",
        "42,5%",
        "Trung tâm Phục vụ hành chính công",
    ],
    &[
        "Cộng nhóm 1",
        "1.600,3",
        "1.250,1",
        "312,7",
        "37,5",
        "",
        "",
        "",
    ],
    &["2", "Phần mềm"],
    &[
        "",
        "Phần mềm quản lý văn bản và điều hành",
        "480,0",
        "",
        "480,0",
        "",
        "15/09/2026",
        "12,3%",
        "Văn phòng HĐND và UBND phường",
    ],
    &["Cộng nhóm 2", "480,0", "", "480,0", "", "", "", ""],
    &[
        "Cộng phần I",
        "2.080,3",
        "1.250,1",
        "792,7",
        "37,5",
        "",
        "",
        "",
    ],
    &["II", "NHÂN LỰC SỐ"],
    &["1", "Đào tạo"],
    &[
        "",
        "Bồi dưỡng kỹ năng số cho cán bộ, công chức",
        "200,0",
        "150,1",
        "",
        "50,0",
        "31/12/2026",
        "",
        "Phòng Văn hóa - Xã hội",
    ],
    &["Cộng nhóm 1", "200,0", "150,1", "", "50,0", "", "", ""],
    &["Cộng phần II", "200,0", "150,1", "", "50,0", "", "", ""],
];

#[test]
fn amounts_subtotals_and_the_grand_total_add_up_in_docx_and_pdf() {
    let (dir, docx, pdf) = render_du_toan();
    let rows = crate::docx::table_rows(&docx);
    let expected: Vec<Vec<String>> = EXPECTED
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect();
    assert_eq!(rows, expected);
    let parts = unzip(&docx);
    let xml = roxmltree::Document::parse(&parts["word/document.xml"]).expect("parses");
    // The header and the column-number row both repeat on every page.
    let repeated = xml
        .descendants()
        .filter(|n| n.has_tag_name((W, "tblHeader")))
        .count();
    assert_eq!(repeated, 2);

    if tool("pdftotext") {
        let text = collapse(&pdftotext(&pdf, &[]));
        for figure in [
            "2.280,3",
            "1.400,2",
            "792,7",
            "87,5",
            "1.600,3",
            "1.250,1",
            "312,7",
            "2.080,3",
            "480,0",
            "200,0",
            "150,1",
            "50,0",
            "0,3",
            "0,1",
            "0,2",
            "31/03/2026",
            "100,0%",
            "12,3%",
            "(3) = (4) + (5) + (6)",
        ] {
            assert!(
                text.contains(figure),
                "{figure} missing from the PDF: {text}"
            );
        }
        for label in [
            "Tổng cộng",
            "Cộng nhóm 1",
            "Cộng nhóm 2",
            "Cộng phần I",
            "Cộng phần II",
        ] {
            assert!(text.contains(label), "{label} missing from the PDF");
        }
        // A typed 500 never shows: the sum does.
        assert!(!text.contains("500,0"), "{text}");
    }
    if tool("soffice") && tool("pdfinfo") {
        let lo_dir = dir.path().join("lo");
        std::fs::create_dir_all(&lo_dir).expect("mkdir");
        let lo = libreoffice_pdf(&docx, &lo_dir);
        assert_eq!(pdf_pages(&pdf), pdf_pages(&lo), "same pages as LibreOffice");
        let text = collapse(&pdftotext(&lo, &[]));
        assert!(
            text.contains("2.280,3") && text.contains("Cộng phần II"),
            "{text}"
        );
    }
}

#[test]
fn a_typed_total_that_differs_from_its_parts_is_a_warning_with_both_figures() {
    let out = phuluc(
        &root(),
        &[
            "check",
            fixture("plans/du-toan.yaml").to_str().expect("utf-8"),
            "--templates",
            &templates(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "du-toan.yaml:35:17: cảnh báo: Phụ lục I, phần I, dòng thuộc nhóm 2: “Tổng số (triệu đồng)” ghi 500,0 nhưng tổng Ngân sách thành phố + Ngân sách phường + Nguồn khác là 480,0; phụ lục in 480,0"
        ),
        "{stdout}"
    );
    // An empty amount is no money from that source: not an "empty cell".
    assert!(!stdout.contains("“Nguồn khác” đang để trống"), "{stdout}");
}

/// 210.75 in a one-decimal column printed 210,8 with no word from check, while every total
/// added 210.75: the printed figures need not add up to the printed total.
#[test]
fn a_figure_with_more_decimals_than_its_column_prints_is_a_warning() {
    let out = phuluc(
        &root(),
        &["check", "tests/fixtures/import/kinh-phi-so-le-an.yaml"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "kinh-phi-so-le-an.yaml:52:13: cảnh báo: Phụ lục I, mục 1.6: “Ngân sách thành phố” ghi 210,75, nhiều chữ số lẻ hơn cột in (1): phụ lục in 210,8, còn dòng cộng tính bằng 210,75"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("Làm tròn số trong tệp đến 1 chữ số lẻ, hoặc tăng “decimals:” của cột “ngan_sach_phuong” trong mẫu."),
        "{stdout}"
    );
    assert!(stdout.contains("0 lỗi, 2 cảnh báo"), "{stdout}");
    // The example itself is typed as it prints: nothing to say.
    let out = phuluc(&root(), &["check", "data/vi-du-kinh-phi.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0 lỗi, 0 cảnh báo"), "{stdout}");
}

fn plan_with(rows: &str) -> String {
    format!(
        "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND phường\nappendices:\n  - template: du-toan\n    title: Dự toán\n    items:\n{rows}"
    )
}

#[test]
fn a_string_amount_and_a_date_that_does_not_exist_are_errors_at_their_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("sai.yaml");
    std::fs::write(
        &plan,
        plan_with(
            "      - noi_dung: Một\n        ngan_sach_phuong: \"1.250.000\"\n        han: 2026-02-30\n        giai_ngan: [1]\n      - noi_dung: Hai\n        nguon_khac: true\n        ngan_sach_thanh_pho: 12,5\n",
        ),
    )
    .expect("write");
    let out = phuluc(
        dir.path(),
        &["check", "sai.yaml", "--templates", &templates()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for want in [
        "sai.yaml:12:27: lỗi: cột “ngan_sach_phuong” nhận một con số, không phải “1.250.000”",
        "gợi ý: Ghi số không có dấu ngoặc kép, không có dấu ngăn cách hàng nghìn",
        "sai.yaml:13:14: lỗi: cột “han” nhận một ngày có thật dạng YYYY-MM-DD, không phải “2026-02-30”",
        "sai.yaml:14:20: lỗi: cột “giai_ngan” nhận một con số, không phải một danh sách",
        "sai.yaml:16:21: lỗi: cột “nguon_khac” nhận một con số, không phải “true”",
        "sai.yaml:17:30: lỗi: cột “ngan_sach_thanh_pho” nhận một con số, không phải “12,5”",
        "1 tệp: 5 lỗi",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in\n{stdout}");
    }
    // Nothing is written.
    let render = phuluc(
        dir.path(),
        &[
            "render",
            "sai.yaml",
            "--templates",
            &templates(),
            "-o",
            "out",
        ],
    );
    assert_eq!(render.status.code(), Some(1));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn totals_over_ten_thousand_generated_rows_are_exact() {
    // 10 000 rows of 0,1 + 0,2 (+ 0,3 from "other" on every third row): floating point
    // would drift in the last digits; exact decimals give the round figures.
    let mut rows = String::with_capacity(10_000 * 90);
    for i in 0..10_000 {
        rows.push_str(&format!(
            "      - noi_dung: Dòng {i}\n        ngan_sach_thanh_pho: 0.1\n        ngan_sach_phuong: 0.2\n"
        ));
        if i % 3 == 0 {
            rows.push_str("        nguon_khac: 0.3\n");
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("lon.yaml"), plan_with(&rows)).expect("write");
    let out = phuluc(
        dir.path(),
        &[
            "export",
            "lon.yaml",
            "--templates",
            &templates(),
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let body = doc["parts"][0]["table"]["body"].as_array().expect("body");
    let grand: Vec<&str> = body
        .iter()
        .find(|r| r["kind"] == "total")
        .expect("the grand total")["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| c["text"].as_str().unwrap_or_default())
        .collect();
    // 3 334 rows carry 0,3: 1 000,2; with 1 000 and 2 000 that is 4 000,2.
    assert_eq!(
        grand,
        [
            "Tổng cộng",
            "4.000,2",
            "1.000,0",
            "2.000,0",
            "1.000,2",
            "",
            "",
            ""
        ]
    );
    assert_eq!(body.iter().filter(|r| r["kind"] == "item").count(), 10_000);
}

#[test]
fn a_malformed_amount_column_in_a_template_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    template_kind(
        &dir.path().join("hong"),
        "sai",
        "name: Sai\ntotals: { groups: true }\ncolumns:\n  - { field: stt, header: Stt, kind: number, width: 10, align: center }\n  - { field: a, header: A, kind: text, width: 10, align: left, decimals: 2 }\n  - { field: b, header: B, kind: amount, width: 10, align: right, decimals: 5, sum_of: [a, b] }\n",
    );
    check_refuses_templates(
        &dir.path().join("hong"),
        &[
            "cột “a”: “decimals” chỉ dùng cho cột amount hoặc percent, từ 0 đến 3",
            "cột “b”: “decimals” chỉ dùng cho cột amount hoặc percent, từ 0 đến 3",
            "cột “b”: “sum_of” phải kể các cột amount khác (không tự cộng chính nó, không cộng cột tổng khác); “a” không phải",
            "“b” không phải",
        ],
    );
}

#[test]
fn a_column_number_row_that_does_not_repeat_stands_once_above_the_first_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let layout = std::fs::read_to_string(fixture("templates/du-toan/layout.yaml"))
        .expect("layout")
        .replace(
            "column_numbers: true",
            "column_numbers: true\nrepeat_column_numbers: false",
        );
    template_kind(&dir.path().join("mau"), "du-toan", &layout);
    // Enough rows for three pages.
    let mut rows = String::new();
    for i in 1..=60 {
        rows.push_str(&format!(
            "      - noi_dung: Hạng mục {i} của dự toán chuyển đổi số, gồm mua sắm, lắp đặt và hướng dẫn sử dụng\n        ngan_sach_phuong: {i}\n"
        ));
    }
    std::fs::write(dir.path().join("dai.yaml"), plan_with(&rows)).expect("write");
    let out = phuluc(
        dir.path(),
        &["render", "dai.yaml", "--templates", "mau", "-o", "out"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = crate::docx::table_rows(&dir.path().join("out/dai.docx"));
    assert_eq!(rows[1][0], "(1)", "right under the column titles");
    let parts = unzip(&dir.path().join("out/dai.docx"));
    let xml = roxmltree::Document::parse(&parts["word/document.xml"]).expect("parses");
    let repeated = xml
        .descendants()
        .filter(|n| n.has_tag_name((W, "tblHeader")))
        .count();
    assert_eq!(repeated, 1, "only the column titles repeat");
    if tool("pdftotext") {
        let pdf = dir.path().join("out/dai.pdf");
        let pages = pdf_pages(&pdf);
        assert!(pages >= 2, "{pages} pages");
        for p in 1..=pages {
            let page = p.to_string();
            let text = collapse(&pdftotext(&pdf, &["-f", &page, "-l", &page]));
            assert!(
                text.contains("Ngân sách phường"),
                "page {p}: the titles repeat"
            );
            assert_eq!(
                text.contains("(3) = (4) + (5) + (6)"),
                p == 1,
                "page {p}: the column numbers stand on the first page only"
            );
        }
    }
}
