//! The budget appendix (`templates/kinh-phi/`, example `data/vi-du-kinh-phi.yaml`): a
//! two-level header merged across and down, a column-number row, amounts, group subtotals
//! and a grand total, equal lead agencies merged down — in the .docx (its XML and
//! LibreOffice's rendering) and the PDF (pdftotext, qpdf), with the figures added up here
//! from the YAML text by a reader of this test's own, in whole hundredths.

use std::path::{Path, PathBuf};

use crate::common::*;
use crate::docx::unzip;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn example() -> PathBuf {
    root().join("data/vi-du-kinh-phi.yaml")
}

fn render(plan: &Path, extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = vec![
        "render",
        plan.to_str().expect("utf-8"),
        "-o",
        dir.path().to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    let out = phuluc(&root(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

/// An amount in hundredths, from the YAML's own digits ("35.5" → 3550).
fn hundredths(s: &str) -> i64 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<2}");
    int.parse::<i64>().expect("integer part") * 100 + frac[..2].parse::<i64>().expect("fraction")
}

/// Hundredths written as the appendix writes one decimal: "1.582,3".
fn vn(h: i64) -> String {
    let tenths = (h.abs() + 5) / 10; // half away from zero
    let (int, dec) = (tenths / 10, tenths % 10);
    let digits = int.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{}{grouped},{dec}", if h < 0 { "-" } else { "" })
}

/// One row of the example as this test reads it: its three sources (hundredths) and lead.
#[derive(Debug, Default, Clone)]
struct Line {
    text: String,
    sources: [i64; 3],
    lead: String,
}

/// The groups of the example, read line by line.
fn read_example() -> Vec<(String, Vec<Line>)> {
    let yaml = std::fs::read_to_string(example()).expect("read example");
    let mut groups: Vec<(String, Vec<Line>)> = Vec::new();
    for line in yaml.lines() {
        let t = line.trim();
        if let Some(h) = t.strip_prefix("- heading: ") {
            groups.push((h.to_owned(), Vec::new()));
        } else if let Some(text) = t.strip_prefix("- noi_dung: ") {
            let (_, rows) = groups.last_mut().expect("a group first");
            rows.push(Line {
                text: text.to_owned(),
                ..Line::default()
            });
        } else if let Some((key, value)) = t.split_once(": ") {
            let Some(row) = groups.last_mut().and_then(|(_, r)| r.last_mut()) else {
                continue;
            };
            match key {
                "ngan_sach_thanh_pho" => row.sources[0] = hundredths(value),
                "ngan_sach_phuong" => row.sources[1] = hundredths(value),
                "nguon_khac" => row.sources[2] = hundredths(value),
                "chu_tri" => row.lead = value.to_owned(),
                _ => {}
            }
        }
    }
    groups
}

fn amount_or_blank(h: i64) -> String {
    if h == 0 { String::new() } else { vn(h) }
}

#[test]
fn the_budget_example_adds_up_the_same_in_docx_and_pdf() {
    let groups = read_example();
    assert_eq!(groups.len(), 4, "four groups");
    let rows: usize = groups.iter().map(|(_, r)| r.len()).sum();
    assert!(rows >= 30, "{rows} rows");

    // The body as a clerk would check it: grand total first, then each group's heading,
    // rows and subtotal. Lead agencies shown once per run of equal ones.
    let mut grand = [0i64; 3];
    let mut expected: Vec<Vec<String>> = Vec::new();
    for (g, (heading, lines)) in groups.iter().enumerate() {
        expected.push(vec![(g + 1).to_string(), heading.clone()]);
        let mut sub = [0i64; 3];
        let mut previous_lead = String::new();
        for (i, l) in lines.iter().enumerate() {
            let total: i64 = l.sources.iter().sum();
            let lead = if l.lead == previous_lead {
                String::new()
            } else {
                l.lead.clone()
            };
            previous_lead = l.lead.clone();
            let mut row = vec![format!("{}.{}", g + 1, i + 1), l.text.clone(), vn(total)];
            row.extend(l.sources.iter().map(|s| amount_or_blank(*s)));
            row.push(lead);
            expected.push(row);
            for (total, source) in sub.iter_mut().zip(l.sources) {
                *total += source;
            }
        }
        let mut total_row = vec![format!("Cộng nhóm {}", g + 1), vn(sub.iter().sum())];
        total_row.extend(sub.iter().map(|s| amount_or_blank(*s)));
        expected.push(total_row);
        for (total, part) in grand.iter_mut().zip(sub) {
            *total += part;
        }
    }
    let mut grand_row = vec!["Tổng cộng".to_owned(), vn(grand.iter().sum())];
    grand_row.extend(grand.iter().map(|s| amount_or_blank(*s)));
    expected.insert(0, grand_row);

    let dir = render(&example(), &[]);
    let docx = dir.path().join("vi-du-kinh-phi.docx");
    let pdf = dir.path().join("vi-du-kinh-phi.pdf");
    let got = crate::docx::table_rows(&docx);
    // Header rows and the column-number row first.
    assert_eq!(
        got[0],
        [
            "Stt",
            "Nội dung",
            "Kinh phí (triệu đồng)",
            "Cơ quan chủ trì",
            "Ghi chú"
        ]
    );
    assert_eq!(got[1], ["", "", "Tổng số", "Trong đó", "", ""]);
    assert_eq!(
        got[2],
        [
            "",
            "",
            "",
            "Ngân sách thành phố",
            "Ngân sách phường",
            "Nguồn khác",
            "",
            ""
        ]
    );
    assert_eq!(
        got[3],
        [
            "(1)",
            "(2)",
            "(3) = (4) + (5) + (6)",
            "(4)",
            "(5)",
            "(6)",
            "(7)",
            "(8)"
        ]
    );
    // Body: every cell but the notes (the last column), which the test does not read;
    // total rows without their trailing empty cells.
    let trim = |r: &[String]| -> Vec<String> {
        let mut r = if r.len() == 8 {
            r[..7].to_vec()
        } else {
            r.to_vec()
        };
        if r[0].starts_with("Cộng") || r[0].starts_with("Tổng") {
            while r.last().is_some_and(|c| c.is_empty()) {
                r.pop();
            }
        }
        r
    };
    let body: Vec<Vec<String>> = got[4..].iter().map(|r| trim(r)).collect();
    let expected: Vec<Vec<String>> = expected.iter().map(|r| trim(r)).collect();
    assert_eq!(body, expected);

    if tool("pdftotext") {
        let text = collapse(&pdftotext(&pdf, &[]));
        for row in &expected {
            for cell in row.iter().filter(|c| !c.is_empty()) {
                assert!(
                    text.contains(cell.as_str()),
                    "{cell:?} missing from the PDF"
                );
            }
        }
    }
    if tool("soffice") && tool("pdfinfo") {
        let lo_dir = dir.path().join("lo");
        std::fs::create_dir_all(&lo_dir).expect("mkdir");
        let lo = libreoffice_pdf(&docx, &lo_dir);
        assert_eq!(pdf_pages(&pdf), pdf_pages(&lo), "same pages as LibreOffice");
        let text = collapse(&pdftotext(&lo, &[]));
        assert!(
            text.contains(&vn(grand.iter().sum())),
            "LibreOffice shows the grand total"
        );
    }
}

#[test]
fn header_groups_merge_across_and_down_and_every_header_row_repeats() {
    let dir = render(&example(), &[]);
    let parts = unzip(&dir.path().join("vi-du-kinh-phi.docx"));
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("parses");
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "tr")))
        .collect();
    let repeats = |r: &roxmltree::Node| r.descendants().any(|n| n.has_tag_name((W, "tblHeader")));
    assert!(
        rows[..4].iter().all(repeats),
        "three header rows and the column numbers repeat"
    );
    assert!(!rows[4..].iter().any(repeats));
    // (text, gridSpan, vMerge) of each header cell.
    let cells = |r: &roxmltree::Node| -> Vec<(String, String, String)> {
        r.children()
            .filter(|n| n.has_tag_name((W, "tc")))
            .map(|tc| {
                let text: String = tc
                    .descendants()
                    .filter(|n| n.has_tag_name((W, "t")))
                    .filter_map(|n| n.text())
                    .collect();
                let attr = |name: &str| {
                    tc.descendants()
                        .find(|n| n.has_tag_name((W, name)))
                        .map(|n| n.attribute((W, "val")).unwrap_or("continue").to_owned())
                        .unwrap_or_default()
                };
                (text, attr("gridSpan"), attr("vMerge"))
            })
            .collect()
    };
    let c = |t: &str, span: &str, merge: &str| (t.to_owned(), span.to_owned(), merge.to_owned());
    assert_eq!(
        cells(&rows[0]),
        [
            c("Stt", "", "restart"),
            c("Nội dung", "", "restart"),
            c("Kinh phí (triệu đồng)", "4", ""),
            c("Cơ quan chủ trì", "", "restart"),
            c("Ghi chú", "", "restart"),
        ]
    );
    assert_eq!(
        cells(&rows[1]),
        [
            c("", "", "continue"),
            c("", "", "continue"),
            c("Tổng số", "", "restart"),
            c("Trong đó", "3", ""),
            c("", "", "continue"),
            c("", "", "continue"),
        ]
    );
    assert_eq!(cells(&rows[2])[2], c("", "", "continue"));
    assert_eq!(cells(&rows[2])[3], c("Ngân sách thành phố", "", ""));

    let pdf = dir.path().join("vi-du-kinh-phi.pdf");
    if tool("pdftotext") {
        let pages = pdf_pages(&pdf);
        assert!(pages >= 2, "the example runs over pages");
        for p in 1..=pages {
            let page = p.to_string();
            let text = collapse(&pdftotext(&pdf, &["-f", &page, "-l", &page]));
            for header in [
                "Kinh phí (triệu đồng)",
                "Trong đó",
                "Ngân sách thành phố",
                "Cơ quan chủ trì",
                "(3) = (4) + (5) + (6)",
            ] {
                assert!(text.contains(header), "page {p} lacks {header:?}");
            }
        }
    }
    if tool("qpdf") {
        // Tagged as header cells spanning columns and rows (PDF/UA table attributes).
        let qdf = dir.path().join("q.pdf");
        let ok = std::process::Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable"])
            .arg(&pdf)
            .arg(&qdf)
            .status()
            .expect("qpdf");
        assert!(ok.success());
        let raw = String::from_utf8_lossy(&std::fs::read(&qdf).expect("read")).into_owned();
        assert!(
            raw.contains("/ColSpan 4"),
            "“Kinh phí” spans its four columns"
        );
        assert!(raw.contains("/ColSpan 3"), "“Trong đó” spans three");
        assert!(
            raw.contains("/RowSpan 3"),
            "“Stt” spans the three header rows"
        );
        assert!(raw.contains("/RowSpan 2"), "“Tổng số” spans two");
        assert_eq!(
            raw.matches("/Scope /Column").count(),
            5 + 2 + 3 + 8,
            "one TH per header cell"
        );
    }
}

#[test]
fn a_run_of_equal_lead_agencies_merges_down_and_repeats_on_each_new_page() {
    // Forty rows led by one office: one merged cell over pages, its name once per page.
    let mut rows = String::new();
    for i in 1..=40 {
        rows.push_str(&format!(
            "      - noi_dung: Nhiệm vụ số {i} về chuyển đổi số, cải cách hành chính và xây dựng chính quyền điện tử của phường\n        ngan_sach_phuong: {i}\n        chu_tri: Phòng Kinh tế, Hạ tầng và Đô thị\n"
        ));
    }
    let plan = format!(
        "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND phường\nappendices:\n  - template: kinh-phi\n    title: Dự toán\n    items:\n{rows}"
    );
    let src = tempfile::tempdir().expect("tempdir");
    let file = src.path().join("mot-co-quan.yaml");
    std::fs::write(&file, plan).expect("write");
    let dir = render(&file, &[]);
    let parts = unzip(&dir.path().join("mot-co-quan.docx"));
    let xml = &parts["word/document.xml"];
    assert_eq!(
        xml.matches("<w:vMerge w:val=\"restart\"/>").count(),
        4 + 1 + 1,
        "header and one run"
    );
    assert_eq!(
        xml.matches("Phòng Kinh tế, Hạ tầng và Đô thị").count(),
        1,
        "the name once in Word"
    );

    let pdf = dir.path().join("mot-co-quan.pdf");
    if tool("pdftotext") {
        let pages = pdf_pages(&pdf);
        assert!(pages >= 3, "{pages} pages");
        for p in 1..=pages {
            let page = p.to_string();
            let text = collapse(&pdftotext(&pdf, &["-f", &page, "-l", &page]));
            assert_eq!(
                text.matches("Phòng Kinh tế, Hạ tầng và Đô thị").count(),
                1,
                "page {p}: the merged name once, at the run's start or the page's top"
            );
        }
        // Every row is still there.
        let all = collapse(&pdftotext(&pdf, &[]));
        for i in 1..=40 {
            assert!(all.contains(&format!("Nhiệm vụ số {i} về")), "row {i}");
        }
    }
    if tool("soffice") && tool("pdfinfo") {
        let lo_dir = dir.path().join("lo");
        std::fs::create_dir_all(&lo_dir).expect("mkdir");
        let lo = libreoffice_pdf(&dir.path().join("mot-co-quan.docx"), &lo_dir);
        assert_eq!(pdf_pages(&pdf), pdf_pages(&lo), "same pages as LibreOffice");
    }
}

#[test]
fn a_malformed_header_tree_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    template_kind(
        dir.path(),
        "sai",
        "name: Sai\ncolumns:\n  - { field: stt, header: Stt, kind: number, width: 10, align: center }\n  - { field: a, header: A, kind: amount, width: 10, align: right, group: [Kinh phí] }\n  - { field: b, header: B, kind: text, width: 10, align: left }\n  - { field: c, header: C, kind: amount, width: 10, align: right, group: [Kinh phí] }\n  - { field: d, header: D, kind: amount, width: 10, align: right, group: [X, Y, Z] }\n  - { field: e, header: E, kind: amount, width: 10, align: right, group: [\"\"] }\n",
    );
    check_refuses_templates(
        dir.path(),
        &[
            "sai/layout.yaml:6:74: lỗi: nhóm tiêu đề “Kinh phí” bị tách: các cột của nhóm phải đứng liền nhau (cột “c”)",
            "sai/layout.yaml:7:74: lỗi: cột “d” nằm dưới 3 cấp nhóm tiêu đề; tối đa 2",
            "sai/layout.yaml:8:74: lỗi: cột “e” có tên nhóm tiêu đề để trống",
            "gợi ý: Mỗi cột ghi “group: [nhóm ngoài, nhóm trong]”",
        ],
    );
}

#[test]
fn a_changed_amount_shows_old_and_new_with_every_total_it_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let new = dir.path().join("moi.yaml");
    let text = std::fs::read_to_string(example()).expect("read");
    let changed = text.replacen(
        "ngan_sach_thanh_pho: 185\n",
        "ngan_sach_thanh_pho: 195.5\n",
        1,
    );
    assert_ne!(text, changed, "the example has the figure");
    std::fs::write(&new, changed).expect("write");
    let out = phuluc(
        &root(),
        &[
            "diff",
            "data/vi-du-kinh-phi.yaml",
            new.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Totals from the test's own reading: group 1 and the grand total move by 10,5.
    let groups = read_example();
    let sum = |lines: &[Line]| -> (i64, i64) {
        let city: i64 = lines.iter().map(|l| l.sources[0]).sum();
        let all: i64 = lines.iter().map(|l| l.sources.iter().sum::<i64>()).sum();
        (city, all)
    };
    let (g_city, g_all) = sum(&groups[0].1);
    let all_lines: Vec<Line> = groups.iter().flat_map(|(_, l)| l.clone()).collect();
    let (t_city, t_all) = sum(&all_lines);
    let d = 1050;
    let expected = [
        "Phụ lục I, mục 1.2: sửa “Tổng số”: [-227,0-] {+237,5+}".to_owned(),
        "Phụ lục I, mục 1.2: sửa “Ngân sách thành phố”: [-185,0-] {+195,5+}".to_owned(),
        format!(
            "Phụ lục I, tổng cộng: sửa “Tổng số”: [-{}-] {{+{}+}}",
            vn(t_all),
            vn(t_all + d)
        ),
        format!(
            "Phụ lục I, tổng cộng: sửa “Ngân sách thành phố”: [-{}-] {{+{}+}}",
            vn(t_city),
            vn(t_city + d)
        ),
        format!(
            "Phụ lục I, cộng nhóm 1: sửa “Tổng số”: [-{}-] {{+{}+}}",
            vn(g_all),
            vn(g_all + d)
        ),
        format!(
            "Phụ lục I, cộng nhóm 1: sửa “Ngân sách thành phố”: [-{}-] {{+{}+}}",
            vn(g_city),
            vn(g_city + d)
        ),
    ];
    let printed = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );

    // The redline marks the totals as tracked changes too.
    let docx = dir.path().join("so-sanh.docx");
    let run = phuluc(
        &root(),
        &[
            "diff",
            "data/vi-du-kinh-phi.yaml",
            new.to_str().expect("utf-8"),
            "--redline",
            docx.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let xml = &unzip(&docx)["word/document.xml"];
    for figure in [vn(t_all), vn(g_city), "227,0".to_owned()] {
        assert!(
            xml.contains(&format!("{figure}</w:delText>")),
            "{figure} deleted"
        );
    }
    for figure in [vn(t_all + d), vn(g_city + d), "237,5".to_owned()] {
        assert!(
            xml.contains(&format!(" {figure}</w:t></w:r></w:ins>")),
            "{figure} inserted"
        );
    }
}
