//! `phuluc render` → PDF, judged by poppler (pdftotext, pdffonts, pdfinfo), qpdf and
//! LibreOffice's rendering of our own .docx.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// Renders `plan` with extra `args` into a fresh temp dir.
fn render(plan: &Path, args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut all = vec![
        "render",
        plan.to_str().expect("utf-8"),
        "-o",
        dir.path().to_str().expect("utf-8"),
    ];
    all.extend_from_slice(args);
    let out = phuluc(&root(), &all);
    assert!(out.status.success(), "render failed: {}", stderr(&out));
    dir
}

fn seed_pdf() -> (tempfile::TempDir, PathBuf) {
    let dir = render(&seed_yaml(), &["--format", "pdf"]);
    let pdf = dir.path().join("ke-hoach-05-nq-du.pdf");
    assert!(pdf.is_file());
    (dir, pdf)
}

fn run(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(tool).args(args).arg(pdf).output().expect(tool);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Words on a page with their boxes (points, origin top left), from `pdftotext -bbox`.
pub fn words(pdf: &Path, page: usize) -> Vec<(f32, f32, f32, f32, String)> {
    let p = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &p, "-l", &p])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let html = String::from_utf8_lossy(&out.stdout);
    html.lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("<word ")?;
            let attr = |k: &str| -> Option<f32> {
                rest.split(&format!("{k}=\""))
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse()
                    .ok()
            };
            let text = rest.split('>').nth(1)?.split("</word").next()?.to_owned();
            Some((
                attr("xMin")?,
                attr("yMin")?,
                attr("xMax")?,
                attr("yMax")?,
                text,
            ))
        })
        .collect()
}

pub const MM: f32 = 72.0 / 25.4;

#[test]
fn seed_pdf_contains_every_seed_cell() {
    if !tool("pdftotext") {
        return;
    }
    let (_dir, pdf) = seed_pdf();
    let missing = missing_cells(&pdftotext(&pdf, &[]));
    assert!(missing.is_empty(), "missing from the PDF: {missing:#?}");
}

#[test]
fn seed_pdf_embeds_subset_fonts_with_unicode_maps() {
    if !tool("pdffonts") {
        return;
    }
    let (_dir, pdf) = seed_pdf();
    let fonts = run("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "regular, bold and italic faces: {fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {row}"
        );
        assert!(cols[0].contains('+'), "subset tag: {row}");
    }
}

#[test]
fn seed_pdf_passes_qpdf_check_and_is_tagged_pdfa2_a4_landscape() {
    if !(tool("qpdf") && tool("pdfinfo")) {
        return;
    }
    let (_dir, pdf) = seed_pdf();
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .expect("qpdf");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let info = run("pdfinfo", &[], &pdf);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    let pages = pdf_pages(&pdf);
    let sizes = run("pdfinfo", &["-f", "1", "-l", &pages.to_string()], &pdf);
    let size_lines: Vec<&str> = sizes
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .collect();
    assert_eq!(size_lines.len(), pages);
    assert!(
        size_lines.iter().all(|l| l.contains("841.89 x 595.276")),
        "{sizes}"
    );
    let raw = std::fs::read(&pdf).expect("read");
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        raw.contains("<pdfaid:part>2</pdfaid:part>") || raw.contains("pdfaid:part=\"2\""),
        "XMP identifies PDF/A-2"
    );
    assert!(raw.contains("Ủy ban nhân dân phường Thạch Khôi") || info.contains("Thạch Khôi"));
}

#[test]
fn page_numbers_only_in_the_top_margin_restarting_per_appendix() {
    if !tool("pdftotext") {
        return;
    }
    let (_dir, pdf) = seed_pdf();
    let mut expected = 0;
    for page in 1..=pdf_pages(&pdf) {
        let ws = words(&pdf, page);
        let first_of_appendix = ws.iter().any(|w| w.4 == "PHỤ") && ws.iter().any(|w| w.4 == "LỤC");
        expected = if first_of_appendix { 1 } else { expected + 1 };
        let top: Vec<&str> = ws
            .iter()
            .filter(|w| w.1 < 20.0 * MM)
            .map(|w| w.4.as_str())
            .collect();
        if first_of_appendix {
            assert!(
                top.is_empty(),
                "page {page}: no number on an appendix's first page: {top:?}"
            );
        } else {
            assert_eq!(top, [expected.to_string()], "page {page}");
            let n = ws.iter().find(|w| w.1 < 20.0 * MM).expect("number");
            let centre = (n.0 + n.2) / 2.0;
            let text_centre = (30.0 + (297.0 - 15.0)) / 2.0 * MM;
            assert!(
                (centre - text_centre).abs() < 3.0,
                "page {page}: number centred"
            );
        }
        // Nothing below the bottom margin.
        assert!(
            ws.iter().all(|w| w.3 <= (210.0 - 20.0) * MM + 1.0),
            "page {page}"
        );
    }
}

#[test]
fn two_renders_give_identical_pdf_bytes() {
    let (_a, first) = seed_pdf();
    let (_b, second) = seed_pdf();
    assert!(std::fs::read(first).expect("read") == std::fs::read(second).expect("read"));
}

#[test]
fn pdf_page_count_equals_libreoffice_rendering_of_our_docx() {
    if !(tool("soffice") && tool("pdfinfo")) {
        return;
    }
    let dir = render(&seed_yaml(), &[]);
    let ours = dir.path().join("ke-hoach-05-nq-du.pdf");
    let lo_dir = dir.path().join("lo");
    std::fs::create_dir_all(&lo_dir).expect("mkdir");
    let lo = libreoffice_pdf(&dir.path().join("ke-hoach-05-nq-du.docx"), &lo_dir);
    assert_eq!(
        pdf_pages(&ours),
        pdf_pages(&lo),
        "same pages as Word/LibreOffice"
    );
}

#[test]
fn a_cell_longer_than_a_page_splits_across_pages_and_loses_no_word() {
    if !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let words_in_cell: Vec<String> = (1..=900).map(|i| format!("từ{i}")).collect();
    let cell = words_in_cell.join(" ");
    let token: String = "Đ".repeat(600);
    let plan = dir.path().join("dai.yaml");
    std::fs::write(
        &plan,
        format!(
            "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: Ủy ban nhân dân phường Thạch Khôi\nappendices:\n  - template: nhiem-vu\n    title: Thử ô rất dài\n    items:\n      - nhiem_vu: {cell}\n        lo_trinh: Thường xuyên\n      - nhiem_vu: {token}\n        san_pham: Văn bản\n"
        ),
    )
    .expect("write plan");
    let out = phuluc(
        &root(),
        &[
            "render",
            plan.to_str().expect("utf-8"),
            "-o",
            dir.path().to_str().expect("utf-8"),
            "--format",
            "pdf",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("dai.pdf");
    let pages = pdf_pages(&pdf);
    assert!(pages >= 3, "a 900-word cell spans pages: {pages}");
    let text = pdftotext(&pdf, &[]);
    let all: Vec<&str> = text.split_whitespace().collect();
    for w in &words_in_cell {
        assert_eq!(
            all.iter().filter(|x| **x == w).count(),
            1,
            "{w} exactly once"
        );
    }
    assert!(
        Extracted::new(&text).contains(&cell),
        "the words stay in order"
    );
    // The 600-character token is broken inside its column: 30 mm margin + Stt column, up
    // to the column's right edge (widths 14 and 92 of 252 in nhiem-vu).
    let col_left = (30.0 + 14.0) * MM;
    let col_right = (30.0 + 14.0 + 92.0) * MM;
    let mut token_chars = 0;
    for page in 1..=pages {
        for w in words(&pdf, page)
            .into_iter()
            .filter(|w| w.4.starts_with('Đ'))
        {
            assert!(
                w.0 >= col_left - 0.5 && w.2 <= col_right + 0.5,
                "inside its column: {w:?}"
            );
            token_chars += w.4.chars().count();
        }
        for w in words(&pdf, page) {
            assert!(
                w.2 <= (297.0 - 15.0) * MM + 0.5,
                "nothing crosses the right margin: {w:?}"
            );
        }
    }
    assert_eq!(token_chars, 600, "every character of the token is drawn");
}

#[test]
fn nfd_input_renders_and_copies_as_composed_vietnamese() {
    if !tool("pdftotext") {
        return;
    }
    let dir = render(&fixture("plans/da-ban-hanh.yaml"), &["--format", "pdf"]);
    let text = pdftotext(&dir.path().join("da-ban-hanh.pdf"), &[]);
    assert!(text.contains("Việt Nam"), "NFC text in the PDF: {text}");
    assert!(text.contains("ngày 05 tháng 02 năm 2026"));
}

#[test]
fn split_writes_one_file_per_appendix() {
    if !tool("pdfinfo") {
        return;
    }
    let dir = render(&seed_yaml(), &["--split"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "ke-hoach-05-nq-du-phu-luc-I.docx",
            "ke-hoach-05-nq-du-phu-luc-I.pdf",
            "ke-hoach-05-nq-du-phu-luc-II.docx",
            "ke-hoach-05-nq-du-phu-luc-II.pdf"
        ]
    );
    let first = pdftotext(
        &dir.path().join("ke-hoach-05-nq-du-phu-luc-II.pdf"),
        &["-l", "1"],
    );
    assert!(first.starts_with("PHỤ LỤC II"), "{first}");
    let info = run(
        "pdfinfo",
        &[],
        &dir.path().join("ke-hoach-05-nq-du-phu-luc-I.pdf"),
    );
    assert!(info.contains("Phụ lục I kèm theo Kế hoạch"), "{info}");
}

#[test]
fn font_dir_uses_the_offices_fonts_and_a_bad_one_is_a_clear_error() {
    if !tool("pdffonts") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let fonts = dir.path().join("fonts");
    std::fs::create_dir_all(&fonts).expect("mkdir");
    for (from, to) in [
        ("LiberationSerif-Regular.ttf", "times.ttf"),
        ("LiberationSerif-Bold.ttf", "timesbd.ttf"),
        ("LiberationSerif-Italic.ttf", "TIMESI.TTF"),
        ("LiberationSerif-BoldItalic.ttf", "timesbi.ttf"),
    ] {
        std::fs::copy(root().join("fonts").join(from), fonts.join(to)).expect("copy");
    }
    let out_dir = render(
        &seed_yaml(),
        &[
            "--format",
            "pdf",
            "--font-dir",
            fonts.to_str().expect("utf-8"),
        ],
    );
    assert!(out_dir.path().join("ke-hoach-05-nq-du.pdf").is_file());
    std::fs::remove_file(fonts.join("timesbd.ttf")).expect("rm");
    let out = phuluc(
        &root(),
        &[
            "render",
            "data/ke-hoach-05-nq-du.yaml",
            "-o",
            dir.path().join("out").to_str().expect("utf-8"),
            "--font-dir",
            fonts.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("timesbd.ttf"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn a_character_missing_from_the_font_is_an_error_naming_it_and_where() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("thieu-chu.yaml");
    std::fs::write(
        &plan,
        "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND phường\nappendices:\n  - template: nhiem-vu\n    title: Thử\n    groups:\n      - heading: Nhóm một\n        items:\n          - nhiem_vu: Một\n          - nhiem_vu: Hai\n            phoi_hop: [Phòng 漢]\n",
    )
    .expect("write");
    let out = phuluc(
        &root(),
        &[
            "render",
            plan.to_str().expect("utf-8"),
            "-o",
            dir.path().join("out").to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for want in [
        "thieu-chu.yaml:14:",
        "U+6F22",
        "漢",
        "Phụ lục I",
        "1.2",
        "Cơ quan phối hợp",
    ] {
        assert!(err.contains(want), "{want} in {err}");
    }
    assert!(
        !dir.path().join("out").exists(),
        "nothing written, not even the .docx"
    );
}
