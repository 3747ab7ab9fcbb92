//! `phuluc render` → .docx: read back through the unzipped XML parts (roxmltree) and
//! through LibreOffice, never through our own code.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::common::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// Non-empty, non-number cells and heading lines in the seed.
const SEED_CELLS: usize = 144;
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// All parts of a .docx, by name.
pub fn unzip(path: &Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(path).expect("open docx");
    let mut zip = zip::ZipArchive::new(file).expect("docx is a zip");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("zip entry");
        let mut s = String::new();
        f.read_to_string(&mut s).expect("utf-8 part");
        parts.insert(f.name().to_owned(), s);
    }
    parts
}

fn w(name: &str) -> (&str, &str) {
    (W, name)
}

/// Renders the seed into a fresh temp dir; returns (dir, docx path).
pub fn render_seed() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "render",
            seed_yaml().to_str().expect("utf-8 path"),
            "-o",
            dir.path().to_str().expect("utf-8 path"),
            "--format",
            "docx",
        ],
    );
    assert!(out.status.success(), "render failed: {}", stderr(&out));
    let docx = dir.path().join("ke-hoach-05-nq-du.docx");
    assert!(docx.is_file());
    (dir, docx)
}

/// Text of every cell of every table row of the .docx at `path`, row by row (all tables
/// one after the other).
pub fn table_rows(path: &Path) -> Vec<Vec<String>> {
    tables(&unzip(path)["word/document.xml"])
        .into_iter()
        .flatten()
        .collect()
}

/// Text of every table cell, row by row, for each table.
fn tables(document: &str) -> Vec<Vec<Vec<String>>> {
    let doc = roxmltree::Document::parse(document).expect("document.xml parses");
    doc.descendants()
        .filter(|n| n.has_tag_name(w("tbl")))
        .map(|tbl| {
            tbl.children()
                .filter(|n| n.has_tag_name(w("tr")))
                .map(|tr| {
                    tr.children()
                        .filter(|n| n.has_tag_name(w("tc")))
                        .map(|tc| {
                            tc.descendants()
                                .filter(|n| n.has_tag_name(w("t")))
                                .filter_map(|t| t.text())
                                .collect::<String>()
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

#[test]
fn seed_docx_has_two_landscape_sections_numbered_from_one_hidden_on_first_page() {
    let (_dir, docx) = render_seed();
    let parts = unzip(&docx);
    let document = &parts["word/document.xml"];
    let doc = roxmltree::Document::parse(document).expect("document.xml parses");
    let sects: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name(w("sectPr")))
        .collect();
    assert_eq!(sects.len(), 2, "one section per appendix");
    let rels = &parts["word/_rels/document.xml.rels"];
    for s in &sects {
        let size = s
            .children()
            .find(|n| n.has_tag_name(w("pgSz")))
            .expect("pgSz");
        let width: i32 = size.attribute((W, "w")).expect("w").parse().expect("n");
        let height: i32 = size.attribute((W, "h")).expect("h").parse().expect("n");
        assert_eq!((width, height), (16838, 11906), "A4 landscape in twips");
        assert_eq!(size.attribute((W, "orient")), Some("landscape"));
        let margin = s
            .children()
            .find(|n| n.has_tag_name(w("pgMar")))
            .expect("pgMar");
        let mm = |k: &str| -> f32 {
            margin
                .attribute((W, k))
                .expect("margin")
                .parse::<f32>()
                .expect("n")
                / 56.6929
        };
        // Decree 30's ranges, give or take the rounding to whole twips.
        let within = |k: &str, lo: f32, hi: f32| (lo - 0.05..=hi + 0.05).contains(&mm(k));
        assert!(within("top", 20.0, 25.0) && within("bottom", 20.0, 25.0));
        assert!(within("left", 30.0, 35.0) && within("right", 15.0, 20.0));
        assert!(
            s.children().any(|n| n.has_tag_name(w("titlePg"))),
            "first page of each appendix shows no number"
        );
        let start = s
            .children()
            .find(|n| n.has_tag_name(w("pgNumType")))
            .and_then(|n| n.attribute((W, "start")));
        assert_eq!(start, Some("1"), "numbering restarts per appendix");
        // Header references first (schema order), pointing at existing header parts.
        let first = s.first_element_child().expect("child");
        assert!(first.has_tag_name(w("headerReference")));
        for kind in ["default", "first"] {
            let rid = s
                .children()
                .find(|n| {
                    n.has_tag_name(w("headerReference")) && n.attribute((W, "type")) == Some(kind)
                })
                .and_then(|n| n.attribute((R, "id")))
                .unwrap_or_else(|| panic!("{kind} header reference"));
            let target = rels
                .split("<Relationship ")
                .find(|r| r.contains(&format!("Id=\"{rid}\"")))
                .and_then(|r| r.split("Target=\"").nth(1))
                .and_then(|t| t.split('"').next())
                .expect("relationship target");
            let header = &parts[&format!("word/{target}")];
            let has_page_field = header.contains(">PAGE<");
            assert_eq!(
                has_page_field,
                kind == "default",
                "{kind} header in {target}"
            );
        }
    }
}

#[test]
fn every_table_repeats_its_header_row() {
    let (_dir, docx) = render_seed();
    let parts = unzip(&docx);
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("parses");
    let tables: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name(w("tbl")))
        .collect();
    assert_eq!(tables.len(), 2);
    for t in tables {
        let rows: Vec<_> = t.children().filter(|n| n.has_tag_name(w("tr"))).collect();
        let repeated =
            |r: &roxmltree::Node| r.descendants().any(|n| n.has_tag_name(w("tblHeader")));
        assert!(repeated(&rows[0]), "first row repeats on every page");
        assert!(
            rows[1..].iter().all(|r| !repeated(r)),
            "only the header row repeats"
        );
        let layout = t
            .descendants()
            .find(|n| n.has_tag_name(w("tblLayout")))
            .and_then(|n| n.attribute((W, "type")));
        assert_eq!(layout, Some("fixed"), "fixed column grid");
    }
}

#[test]
fn docx_names_times_new_roman_and_marks_text_vietnamese() {
    let (_dir, docx) = render_seed();
    let parts = unzip(&docx);
    let styles = &parts["word/styles.xml"];
    assert!(styles.contains(r#"w:ascii="Times New Roman""#));
    assert!(styles.contains(r#"<w:lang w:val="vi-VN""#));
    let core = roxmltree::Document::parse(&parts["docProps/core.xml"]).expect("core parses");
    let text = |tag: &str| {
        core.descendants()
            .find(|n| n.tag_name().name() == tag)
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(text("creator"), "Ủy ban nhân dân phường Thạch Khôi");
    assert!(text("title").starts_with("Phụ lục kèm theo Kế hoạch"));
    assert_eq!(
        text("created"),
        "2026-01-01T00:00:00Z",
        "a fixed date, not the clock"
    );
}

#[test]
fn seed_rows_are_numbered_as_in_the_seed_and_restore_lost_numbers() {
    let (_dir, docx) = render_seed();
    let parts = unzip(&docx);
    let tables = tables(&parts["word/document.xml"]);
    let numbers =
        |t: &Vec<Vec<String>>| -> Vec<String> { t.iter().skip(1).map(|r| r[0].clone()).collect() };
    assert_eq!(
        numbers(&tables[0]),
        ["1", "2", "3", "4", "5", "II", "1", "2", "3", "4", "5"]
    );
    assert_eq!(
        numbers(&tables[1]),
        [
            "1.1", "1.2", "2", "", "3", "", "4", "4.1", "4.2", "5", "", "6", "", "7", "", "8",
            "8.1", "8.2", "9", "9.1", "9.2", "9.3", "10", "", "11", ""
        ]
    );
    // Heading rows span the columns after the number.
    let heading = &tables[1][3];
    assert_eq!(heading.len(), 2, "number cell + one spanning text cell");
    assert_eq!(
        heading[1],
        "Tăng cường kỷ luật, kỷ cương và đạo đức công vụ"
    );
}

#[test]
fn libreoffice_renders_every_seed_cell() {
    if !(tool("soffice") && tool("pdftotext")) {
        return;
    }
    let (dir, docx) = render_seed();
    let pdf = libreoffice_pdf(&docx, dir.path());
    let text = pdftotext(&pdf, &[]);
    let missing = missing_cells(&text);
    assert!(
        missing.is_empty(),
        "{} seed cells missing from LibreOffice's rendering: {missing:#?}",
        missing.len()
    );
    // Counted independently from the seed text (heading lines, header and body cells).
    assert_eq!(
        seed_cells().len(),
        SEED_CELLS,
        "the seed parser found every cell"
    );
    // Page numbers: page 1 of each appendix shows none, page 2 shows "2".
    let pages: Vec<String> = (1..=pdf_pages(&pdf))
        .map(|p| {
            let t = pdftotext(&pdf, &["-f", &p.to_string(), "-l", &p.to_string()]);
            t.lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .collect();
    assert_eq!(pages[0], "PHỤ LỤC I");
    assert_eq!(pages[1], "2");
    let second = pages
        .iter()
        .position(|l| l == "PHỤ LỤC II")
        .expect("Phụ lục II starts a page");
    assert_eq!(pages[second + 1], "2", "numbering restarts for Phụ lục II");
}

#[test]
fn two_renders_give_identical_bytes() {
    let (_a, first) = render_seed();
    let (_b, second) = render_seed();
    let a = std::fs::read(first).expect("read");
    let b = std::fs::read(second).expect("read");
    assert!(a == b, "same input, same bytes");
}

#[test]
fn paragraph_ids_do_not_depend_on_earlier_documents_in_the_process() {
    let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
    let prepared = phuluc::prepare(&seed_yaml(), &templates).expect("seed prepares");
    let one = phuluc::docx::docx(&prepared.document).expect("docx");
    let two = phuluc::docx::docx(&prepared.document).expect("docx");
    assert!(one == two);
}

#[test]
fn filled_number_and_date_are_written_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "render",
            fixture("plans/da-ban-hanh.yaml").to_str().expect("path"),
            "-o",
            dir.path().to_str().expect("path"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let parts = unzip(&dir.path().join("da-ban-hanh.docx"));
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("parses");
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name(w("p")))
        .map(|p| {
            p.descendants()
                .filter_map(|t| {
                    if t.has_tag_name(w("t")) {
                        t.text()
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect();
    assert!(
        paragraphs.iter().any(|p| p
            == "(Kèm theo Kế hoạch số 125/KH-UBND ngày 05 tháng 02 năm 2026 của Ủy ban nhân dân phường Thạch Khôi)"),
        "{paragraphs:#?}"
    );
    // Rows straight under the appendix, an explicit number, a single agency without a dash,
    // and NFD input come out NFC.
    let tables = tables(&parts["word/document.xml"]);
    assert_eq!(tables[0][1][0], "1");
    assert_eq!(tables[0][2][0], "5a");
    assert_eq!(tables[0][1][3], "Phòng Văn hóa - Xã hội");
    assert_eq!(tables[0][2][1], "Việt Nam");
}

#[test]
fn docx_parts_were_stored_uncompressed_making_the_file_five_times_too_big() {
    let (_dir, docx) = render_seed();
    let file = std::fs::File::open(&docx).expect("open docx");
    let mut zip = zip::ZipArchive::new(file).expect("docx is a zip");
    let document = zip.by_name("word/document.xml").expect("document.xml");
    assert_eq!(document.compression(), zip::CompressionMethod::Deflated);
    assert!(
        document.size() > 50_000,
        "the seed's document.xml is ~100 KB"
    );
    assert!(
        document.compressed_size() * 5 < document.size(),
        "deflated to less than a fifth"
    );
    drop(document);
    let total = std::fs::metadata(&docx).expect("size").len();
    assert!(total < 40_000, "the seed's .docx is {total} bytes");
    for i in 0..zip.len() {
        let entry = zip.by_index(i).expect("entry");
        if entry.is_file() {
            // Documents are readable, not executable (docx-rs wrote 0755).
            assert_eq!(
                entry.unix_mode().map(|m| m & 0o777),
                Some(0o644),
                "{}",
                entry.name()
            );
        }
    }
}
