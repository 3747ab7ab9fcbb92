//! `render --format svg`: one SVG per page, read back by an XML parser and by Chromium,
//! compared with poppler's rendering and text of the PDF of the same plan; the pages are
//! streamed into a hidden staging folder, so a render that fails half-way leaves the
//! previous pages as they were and no staging folder behind.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::browser::{chromium, grey_png, screenshot};
use crate::common::{missing_cells, pdf_pages, pdftotext, phuluc, seed_yaml, stderr, tool};

/// Renders the seed as SVG pages and as a PDF into `dir`; returns the SVG paths in page
/// order and the PDF.
fn render_both(dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let seed = seed_yaml();
    let seed = seed.to_str().expect("path");
    let out = dir.to_str().expect("path");
    let svg = phuluc(dir, &["render", seed, "-o", out, "--format", "svg"]);
    assert!(svg.status.success(), "{}", stderr(&svg));
    let pdf = phuluc(dir, &["render", seed, "-o", out, "--format", "pdf"]);
    assert!(pdf.status.success(), "{}", stderr(&pdf));
    let mut pages = Vec::new();
    for n in 1.. {
        let page = dir.join(format!("ke-hoach-05-nq-du-{n}.svg"));
        if !page.is_file() {
            break;
        }
        pages.push(page);
    }
    (pages, dir.join("ke-hoach-05-nq-du.pdf"))
}

#[test]
fn svg_pages_match_the_pdf_pages_and_hold_every_cell_and_row_source() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (pages, pdf) = render_both(dir.path());
    if tool("pdfinfo") {
        assert_eq!(pages.len(), pdf_pages(&pdf), "one SVG per PDF page");
    }
    assert_eq!(pages.len(), 13, "the seed prints on 13 pages");
    let yaml = std::fs::read_to_string(seed_yaml()).expect("seed");
    let yaml_lines: Vec<&str> = yaml.lines().collect();
    let mut text = String::new();
    let mut rows = std::collections::BTreeSet::new();
    // data-src → the row it names: one row per position (two rows with one label, as in
    // Phụ lục I's two sections, still point at their own lines).
    let mut positions: std::collections::BTreeMap<String, (String, String)> = Default::default();
    for page in &pages {
        let file = std::fs::read_to_string(page).expect("svg");
        let xml = roxmltree::Document::parse(&file)
            .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", page.display()));
        let root = xml.root_element();
        assert_eq!(root.attribute("width"), Some("841.89pt"), "A4 landscape");
        // Glyphs are defined once per file and placed with <use>.
        let mut ids: Vec<&str> = xml
            .descendants()
            .filter(|n| n.has_tag_name("path"))
            .filter_map(|n| n.attribute("id"))
            .collect();
        let defined = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(defined, ids.len(), "a glyph defined twice");
        let uses = xml.descendants().filter(|n| n.has_tag_name("use")).count();
        assert!(uses > 2 * defined, "{uses} uses of {defined} glyphs");
        for node in xml.descendants() {
            if node.has_tag_name("text") {
                text.push_str(node.text().unwrap_or_default());
                text.push('\n');
            }
            if node.attribute("class") == Some("row") {
                rows.insert((
                    root.attribute("data-part").unwrap_or_default().to_owned(),
                    node.attribute("data-row").unwrap_or_default().to_owned(),
                ));
                // data-src points at the row's first key in the YAML file.
                let src = node
                    .attribute("data-src")
                    .expect("every body row has data-src");
                let row = (
                    root.attribute("data-part").unwrap_or_default().to_owned(),
                    node.attribute("data-row").unwrap_or_default().to_owned(),
                );
                let named = positions
                    .entry(src.to_owned())
                    .or_insert_with(|| row.clone());
                assert_eq!(*named, row, "{src} names two rows");
                let (line, column) = src.split_once(':').expect("LINE:COL");
                let (line, column): (usize, usize) =
                    (line.parse().expect("line"), column.parse().expect("col"));
                let at = yaml_lines[line - 1]
                    .chars()
                    .skip(column - 1)
                    .collect::<String>();
                assert!(
                    at.split(':')
                        .next()
                        .is_some_and(|k| !k.is_empty()
                            && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')),
                    "{src} ({}) is not at a row's key: {at:?}",
                    node.attribute("data-label").unwrap_or_default()
                );
            }
        }
    }
    // Every body row of every part has its group (a row split over pages has several).
    let export = phuluc(dir.path(), &["export", seed_yaml().to_str().expect("path")]);
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).expect("export JSON");
    let body_rows: usize = json["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["table"]["body"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(rows.len(), body_rows, "row groups");
    let missing = missing_cells(&text);
    assert!(missing.is_empty(), "text layer lacks {missing:?}");
}

/// Chromium's rendering of each SVG page and poppler's of the same PDF page, both at
/// 96 dpi in grey, blurred by one pixel: under 1 % of pixels differ by more than 25 %.
#[test]
fn svg_pages_look_like_the_pdf_pages_in_chromium() {
    let Some(chrome) = chromium("svg_pages_look_like_the_pdf_pages_in_chromium") else {
        return;
    };
    if !tool("pdftoppm") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (pages, pdf) = render_both(dir.path());
    let tolerance = 64; // 25 % of 255
    let mut report = Vec::new();
    let mut previous: Option<crate::browser::Grey> = None;
    for (index, page) in pages.iter().enumerate() {
        let n = index + 1;
        let prefix = dir.path().join(format!("pdf-{n}"));
        let status = Command::new("pdftoppm")
            .args(["-r", "96", "-gray", "-png", "-singlefile"])
            .args(["-f", &n.to_string(), "-l", &n.to_string()])
            .arg(&pdf)
            .arg(&prefix)
            .status()
            .expect("run pdftoppm");
        assert!(status.success());
        let poppler = grey_png(&std::fs::read(prefix.with_extension("png")).expect("png"));
        let url = format!("file://{}", page.display());
        let shot = screenshot(&chrome, &url, poppler.width as u32, poppler.height as u32);
        let chrome_grey = grey_png(&shot);
        assert_eq!(
            (chrome_grey.width, chrome_grey.height),
            (poppler.width, poppler.height)
        );
        assert!(poppler.ink() > 0.005, "page {n} of the PDF is blank");
        let (a, b) = (chrome_grey.blurred(), poppler.blurred());
        let differ = a.differing(&b, tolerance);
        report.push(format!("page {n}: {:.3} %", differ * 100.0));
        assert!(
            differ < 0.01,
            "page {n}: {:.2} % of pixels differ ({report:?})",
            differ * 100.0
        );
        // The measure tells pages apart: this SVG page against the previous PDF page.
        if let Some(prev) = &previous {
            let other = a.differing(prev, tolerance);
            assert!(other > 0.01, "page {n} vs page {}: only {other}", n - 1);
        }
        previous = Some(b);
    }
    eprintln!("SVG vs PDF pixels differing: {report:?}");
}

/// The text of an SVG page's text layer, or of a PDF page, without its white space (the
/// two break lines apart differently; the characters and their order are what count).
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One SVG file per PDF page, each holding that page's text: its text layer is, character
/// for character, what poppler reads off the same page of the PDF.
#[test]
fn each_svg_page_holds_the_text_of_its_pdf_page() {
    if !tool("pdfinfo") || !tool("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (pages, pdf) = render_both(dir.path());
    assert_eq!(pages.len(), pdf_pages(&pdf), "one SVG per PDF page");
    // Nothing but the pages and the PDF: no staging folder left behind.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), pages.len() + 1, "{names:?}");
    let mut previous = String::new();
    for (index, page) in pages.iter().enumerate() {
        let n = (index + 1).to_string();
        let file = std::fs::read_to_string(page).expect("svg");
        let xml = roxmltree::Document::parse(&file).expect("well-formed SVG");
        let svg: String = xml
            .descendants()
            .filter(|node| node.has_tag_name("text"))
            .filter_map(|node| node.text())
            .collect();
        let svg = squeezed(&svg);
        let printed = squeezed(&pdftotext(&pdf, &["-f", &n, "-l", &n]));
        assert!(
            printed.chars().count() > 200,
            "page {n} of the PDF is nearly empty"
        );
        assert!(
            svg == printed,
            "page {n}: the SVG's text is not the PDF page's\nSVG: {svg}\nPDF: {printed}"
        );
        assert_ne!(svg, previous, "page {n} holds the previous page's text");
        previous = svg;
    }
}

/// The seed with its first and its last body text changed: the first so that page 1
/// differs from the seed's, the last to `last` (a character the font lacks stops the
/// layout on the last page, after every other page was drawn).
fn changed_seed(dir: &Path, last: &str) -> PathBuf {
    let yaml = std::fs::read_to_string(seed_yaml()).expect("seed");
    let first = "Thường xuyên";
    assert!(yaml.contains(first), "the seed has {first:?}");
    let mut yaml = yaml.replacen(first, "Hằng quý", 1);
    // The last row's text is a folded block: its first line starts after the indent.
    let block = yaml.rfind("nhiem_vu: >-\n").expect("the seed's last row") + 13;
    let indent = yaml[block..].len() - yaml[block..].trim_start_matches(' ').len();
    yaml.insert_str(block + indent, last);
    let plan = dir.join("ke-hoach-05-nq-du.yaml");
    std::fs::write(&plan, yaml).expect("write plan");
    plan
}

/// Every name in `dir` with its bytes (folders as `None`).
fn contents(dir: &Path) -> std::collections::BTreeMap<String, Option<Vec<u8>>> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).ok())
        })
        .collect()
}

/// A render that fails after most pages were drawn — the layout stops at a character the
/// font lacks on the last page; a page's name is taken by a folder — writes no page: the
/// previous pages keep their bytes and no `.phuluc-*.tmp` folder is left. Then the same
/// plan, fixed, replaces them all.
#[test]
fn a_failed_svg_render_keeps_the_previous_pages_and_leaves_no_staging_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir out");
    let (pages, _) = render_both(&out);
    assert_eq!(pages.len(), 13);
    std::fs::remove_file(out.join("ke-hoach-05-nq-du.pdf")).expect("rm pdf");
    let before = contents(&out);
    let render = |plan: &Path| {
        phuluc(
            dir.path(),
            &[
                "render",
                plan.to_str().expect("path"),
                "-o",
                out.to_str().expect("path"),
                "--format",
                "svg",
            ],
        )
    };

    // A character the font lacks, in the last row: a problem in the plan (exit 1).
    let plan = changed_seed(dir.path(), "漢 ");
    let failed = render(&plan);
    let err = stderr(&failed);
    assert_eq!(failed.status.code(), Some(1), "{err}");
    assert!(err.contains('漢'), "{err}");
    assert!(!err.contains("đã ghi"), "{err}");
    assert!(contents(&out) == before, "the previous pages changed");

    // A folder where page 13 goes: refused before any page is moved (exit 2).
    let plan = changed_seed(dir.path(), "");
    let page_13 = out.join("ke-hoach-05-nq-du-13.svg");
    std::fs::remove_file(&page_13).expect("rm page 13");
    std::fs::create_dir(&page_13).expect("mkdir page 13");
    let before = contents(&out);
    let failed = render(&plan);
    let err = stderr(&failed);
    assert_eq!(failed.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "ke-hoach-05-nq-du-13.svg: lỗi: không ghi được tệp: đường dẫn này là một thư mục"
        ),
        "{err}"
    );
    assert!(contents(&out) == before, "a page was moved");

    // Fixed: every page is the changed plan's, and nothing else is there.
    std::fs::remove_dir(&page_13).expect("rmdir");
    let done = render(&plan);
    assert!(done.status.success(), "{}", stderr(&done));
    let after = contents(&out);
    assert_eq!(after.len(), 13, "{:?}", after.keys());
    assert!(after.keys().all(|n| n.ends_with(".svg")));
    let first = "ke-hoach-05-nq-du-1.svg";
    assert!(
        after[first] != before[first],
        "page 1 is the changed plan's"
    );
    let printed = stderr(&done);
    let wrote: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("đã ghi "))
        .collect();
    assert_eq!(wrote.len(), 13, "{printed}");
    assert!(wrote[0].ends_with("ke-hoach-05-nq-du-1.svg") && wrote[12].ends_with("-13.svg"));
}
