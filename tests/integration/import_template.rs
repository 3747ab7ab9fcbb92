//! `phuluc import` of a table of a kind phuluc does not know: the new template folder it
//! writes beside the plan, judged by loading it (`Templates::load`), by `check`, and by
//! rendering with it — the rendered table, read back by `export --format json` and by
//! the import reader, must give every cell of the Word table the clerk typed.

use std::path::Path;
use std::process::Command;

use phuluc::compose::templates::{ColumnAlign, ColumnKind, Orientation, Templates};
use phuluc::import::package::Package;
use phuluc::import::raw::{self, Block, Table};

use crate::common::*;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// The styles: a justified table-text style (so one column's alignment comes through the
/// style, not the paragraph).
const STYLES: &str = r#"<w:style w:type="paragraph" w:styleId="BangChu"><w:name w:val="Bang chu"/><w:pPr><w:jc w:val="both"/></w:pPr></w:style>"#;

/// Column widths in the Word file's `w:tblGrid`, twips: 12, 50, 22, 22, 22 and 37 mm,
/// the 165 mm between the margins.
const GRID: [u32; 6] = [680, 2835, 1247, 1247, 1247, 2098];

/// A paragraph with alignment `jc` (none: `""`; `"style"`: through the style), 12 pt.
fn p(text: &str, jc: &str) -> String {
    let ppr = match jc {
        "" => String::new(),
        "style" => "<w:pPr><w:pStyle w:val=\"BangChu\"/></w:pPr>".to_owned(),
        jc => format!("<w:pPr><w:jc w:val=\"{jc}\"/></w:pPr>"),
    };
    format!(
        "<w:p>{ppr}<w:r><w:rPr><w:sz w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
    )
}

/// A cell spanning `span` grid columns, with a vertical merge mark, its paragraphs.
fn tc(span: usize, vmerge: &str, paras: &[&str], jc: &str) -> String {
    let body: String = paras.iter().map(|t| p(t, jc)).collect();
    let body = if body.is_empty() {
        "<w:p/>".to_owned()
    } else {
        body
    };
    format!("<w:tc><w:tcPr><w:gridSpan w:val=\"{span}\"/>{vmerge}</w:tcPr>{body}</w:tc>")
}

fn tr(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

/// An item row: number, name, place, two amounts, agencies (one per paragraph).
fn item(n: &str, name: &str, place: &str, total: &str, ward: &str, agencies: &[&str]) -> String {
    tr(&[
        tc(1, "", &[n], "center"),
        tc(1, "", &[name], "style"),
        tc(1, "", &[place], "center"),
        tc(1, "", &[total], "right"),
        tc(1, "", &[ward], "right"),
        tc(1, "", agencies, "left"),
    ])
}

/// A section or group row: its number, a heading over the other five columns.
fn heading_row(n: &str, text: &str) -> String {
    tr(&[tc(1, "", &[n], "center"), tc(5, "", &[text], "left")])
}

/// The Word file a clerk typed: an A4 portrait list of works with a two-row header, the
/// column-number row, sections, groups, items and a typed grand total.
fn clerk_docx() -> Vec<u8> {
    let restart = "<w:vMerge w:val=\"restart\"/>";
    let cont = "<w:vMerge/>";
    let hc = |span, vm, t: &[&str]| tc(span, vm, t, "center");
    let header = [
        tr(&[
            hc(1, restart, &["TT"]),
            hc(1, restart, &["Tên công trình"]),
            hc(1, restart, &["Địa điểm"]),
            hc(2, "", &["Kinh phí (triệu đồng)"]),
            hc(1, restart, &["Đơn vị thực hiện"]),
        ]),
        tr(&[
            hc(1, cont, &[]),
            hc(1, cont, &[]),
            hc(1, cont, &[]),
            hc(1, "", &["Tổng số"]),
            hc(1, "", &["Trong đó NS phường"]),
            hc(1, cont, &[]),
        ]),
        tr(&(1..=6)
            .map(|i| hc(1, "", &[&format!("({i})")]))
            .collect::<Vec<_>>()),
    ]
    .concat();
    let body = [
        heading_row("I", "XÂY DỰNG MỚI"),
        heading_row("1", "Công trình văn hóa, thể thao"),
        item(
            "1.1",
            "Nhà văn hóa tổ dân phố 3",
            "Tổ 3",
            "1.250,5",
            "500",
            &["Phòng Văn hóa - Xã hội", "Ban Quản lý dự án"],
        ),
        item(
            "1.2",
            "Sân thể thao tổ dân phố 5",
            "Tổ 5",
            "800,0",
            "200",
            &["Phòng Văn hóa - Xã hội"],
        ),
        heading_row("2", "Công trình giao thông"),
        item(
            "2.1",
            "Đường nội bộ khu dân cư Bắc Sơn",
            "Tổ 1, tổ 2",
            "2.000,0",
            "1.000",
            &["Ban Quản lý dự án", "Công an phường"],
        ),
        heading_row("II", "SỬA CHỮA, NÂNG CẤP"),
        item(
            "1",
            "Trụ sở Ủy ban nhân dân phường",
            "Tổ 4",
            "450,0",
            "450",
            &["Văn phòng HĐND và UBND"],
        ),
        tr(&[
            tc(3, "", &["Tổng cộng"], "center"),
            tc(1, "", &["4.500,5"], "right"),
            tc(1, "", &["2.150"], "right"),
            tc(1, "", &[], "left"),
        ]),
    ]
    .concat();
    let grid: String = GRID
        .iter()
        .map(|w| format!("<w:gridCol w:w=\"{w}\"/>"))
        .collect();
    let heading = [
        p("PHỤ LỤC I", "center"),
        p("DANH MỤC CÔNG TRÌNH ĐẦU TƯ NĂM 2026", "center"),
        p(
            "(Kèm theo Kế hoạch số 12/KH-UBND ngày 20/3/2026 của Ủy ban nhân dân phường Thạch Khôi)",
            "center",
        ),
    ]
    .concat()
    // The heading lines in 13 pt.
    .replace("<w:sz w:val=\"24\"/>", "<w:sz w:val=\"26\"/>");
    // A4 portrait; margins 20/20/30/15 mm; header 10 mm.
    let sect = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>"#;
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{heading}<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header}{body}</w:tbl><w:p/>{sect}</w:body></w:document>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W_NS}">{STYLES}</w:styles>"#
    );
    zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
    ])
}

fn only_table(bytes: &[u8]) -> Table {
    let doc = raw::read(&Package::read(bytes).expect("package")).expect("read");
    let mut tables = doc.blocks.into_iter().filter_map(|b| match b {
        Block::Table(t) => Some(t),
        Block::Paragraph(_) => None,
    });
    let t = tables.next().expect("a table");
    assert!(tables.next().is_none(), "one table");
    t
}

/// A table's rows as (grid column, span, text) for every cell (a vertical merge's
/// continuation with the text of the merge, as the export has it), paragraphs joined
/// with ", " as phuluc joins an agency list.
fn cells(t: &Table) -> Vec<Vec<(usize, usize, String)>> {
    t.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| {
                    let texts: Vec<&str> = c.paragraphs.iter().map(|p| p.text.as_str()).collect();
                    (c.col, c.span, texts.join(", "))
                })
                .collect()
        })
        .collect()
}

/// The same view of the one part of `export --format json`: header and body rows.
fn json_cells(json: &serde_json::Value) -> Vec<Vec<(usize, usize, String)>> {
    let parts = json["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 1, "one appendix");
    json_grid(&parts[0]["table"])
}

fn run(cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = phuluc(cwd, args);
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    (out.status.code(), said)
}

fn export(cwd: &Path, plan: &str) -> serde_json::Value {
    let out = phuluc(
        cwd,
        &[
            "export",
            plan,
            "--format",
            "json",
            "--templates",
            "data/templates",
        ],
    );
    assert!(out.status.success(), "export: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("export json")
}

const SLUG: &str = "danh-muc-cong-trinh";

#[test]
fn import_of_an_unknown_table_makes_a_template_that_renders_the_table_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path();
    let original = clerk_docx();
    std::fs::write(work.join("cong-trinh.docx"), &original).expect("write docx");

    // import: a new template beside the plan, the plan using it, checked clean.
    let (code, said) = run(work, &["import", "cong-trinh.docx"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains(&format!(
            "đã tạo mẫu mới “{SLUG}” ở data/templates/{SLUG}/ từ bảng 1"
        )),
        "{said}"
    );
    assert!(
        said.contains("Tổng số (tong_so): amount; Trong đó NS phường (trong_do_ns_phuong): amount; Đơn vị thực hiện (don_vi_thuc_hien): list"),
        "{said}"
    );
    assert!(
        said.contains("phuluc render data/cong-trinh.yaml --templates data/templates"),
        "{said}"
    );
    let folder = work.join("data/templates").join(SLUG);
    for f in ["layout.yaml", "label.hbs", "title.hbs", "reference.hbs"] {
        assert!(folder.join(f).is_file(), "{f} written");
    }
    let text = std::fs::read_to_string(folder.join("layout.yaml")).expect("layout");
    assert_eq!(
        text.lines().next(),
        Some("# yaml-language-server: $schema=../../../schema/layout.schema.json"),
        "{text}"
    );
    assert!(
        text.contains("do phuluc import tạo từ bảng 1 của cong-trinh.docx"),
        "{text}"
    );
    let guessed = text
        .lines()
        .filter(|l| l.trim_start().starts_with("kind:") && l.contains("# đoán:"))
        .count();
    assert_eq!(guessed, 6, "one guess comment per column\n{text}");

    // What the template says, as phuluc reads it.
    let templates = Templates::load(Some(&work.join("data/templates"))).expect("templates load");
    let layout = &templates.kind(SLUG).expect("the new kind").layout;
    assert_eq!(layout.name, "DANH MỤC CÔNG TRÌNH ĐẦU TƯ NĂM 2026");
    let headers: Vec<&str> = layout.columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(
        headers,
        [
            "TT",
            "Tên công trình",
            "Địa điểm",
            "Tổng số",
            "Trong đó NS phường",
            "Đơn vị thực hiện"
        ]
    );
    let groups: Vec<&[String]> = layout.columns.iter().map(|c| c.groups()).collect();
    let kinh_phi = ["Kinh phí (triệu đồng)".to_owned()];
    assert_eq!(
        groups,
        [&[][..], &[], &[], &kinh_phi[..], &kinh_phi[..], &[]]
    );
    let kinds: Vec<ColumnKind> = layout.columns.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ColumnKind::Number,
            ColumnKind::Text,
            ColumnKind::Text,
            ColumnKind::Amount,
            ColumnKind::Amount,
            ColumnKind::List
        ]
    );
    let decimals: Vec<Option<u8>> = layout.columns.iter().map(|c| c.decimals).collect();
    assert_eq!(decimals, [None, None, None, Some(1), None, None]);
    let aligns: Vec<ColumnAlign> = layout.columns.iter().map(|c| c.align).collect();
    assert_eq!(
        aligns,
        [
            ColumnAlign::Center,
            ColumnAlign::Justify,
            ColumnAlign::Center,
            ColumnAlign::Right,
            ColumnAlign::Right,
            ColumnAlign::Left
        ]
    );
    // Widths in proportion to the grid (written in mm, to a tenth).
    let total: f32 = layout.columns.iter().map(|c| c.width).sum();
    let grid_total: u32 = GRID.iter().sum();
    for (c, g) in layout.columns.iter().zip(GRID) {
        let want = g as f32 / grid_total as f32;
        assert!(
            (c.width / total - want).abs() < 0.002,
            "{}: {} of {total}",
            c.field,
            c.width
        );
    }
    assert!(
        (layout.columns[1].width - 50.0).abs() < 0.11,
        "mm from twips"
    );
    assert_eq!(layout.page.orientation, Orientation::Portrait);
    let m = layout.page.margins_mm;
    assert_eq!((m.top, m.bottom, m.left, m.right), (20.0, 20.0, 30.0, 15.0));
    assert_eq!(layout.page.header_mm, 10.0);
    assert_eq!((layout.text.table_pt, layout.text.heading_pt), (12.0, 13.0));
    assert!(layout.column_numbers);
    let totals = layout.totals.as_ref().expect("totals");
    assert!(totals.grand && !totals.groups && !totals.sections);
    assert_eq!(
        layout.columns[5].role,
        Some(phuluc::compose::templates::Role::Lead)
    );

    // check with the new templates: clean.
    let (code, said) = run(
        work,
        &[
            "check",
            "data/cong-trinh.yaml",
            "--templates",
            "data/templates",
        ],
    );
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains(": 0 lỗi"), "{said}");

    // render with it: every cell of the Word table comes back, cell for cell.
    let (code, said) = run(
        work,
        &[
            "render",
            "data/cong-trinh.yaml",
            "--templates",
            "data/templates",
            "-o",
            "out",
        ],
    );
    assert_eq!(code, Some(0), "{said}");
    let want = cells(&only_table(&original));
    let json = export(work, "data/cong-trinh.yaml");
    assert_eq!(json_cells(&json), want, "export against the Word table");
    let rendered = work.join("out/cong-trinh.docx");
    let bytes = std::fs::read(&rendered).expect("rendered docx");
    assert_eq!(
        cells(&only_table(&bytes)),
        want,
        "the rendered .docx against the Word table"
    );
    let number_cells = want.iter().flatten().filter(|c| c.2.contains(',')).count();
    assert!(number_cells >= 8, "amounts and lists compared: {want:?}");

    // The rendered .docx imports back, with the template, to the same plan.
    let (code, said) = run(
        work,
        &[
            "import",
            "out/cong-trinh.docx",
            "-o",
            "data/lai.yaml",
            "--templates",
            "data/templates",
        ],
    );
    assert_eq!(code, Some(0), "{said}");
    assert!(
        !said.contains("đã tạo mẫu mới"),
        "the kind is known now: {said}"
    );
    assert_eq!(export(work, "data/lai.yaml")["parts"], json["parts"]);

    // A second import without --force leaves the folder alone.
    let before = std::fs::read(folder.join("layout.yaml")).expect("layout");
    let (code, said) = run(work, &["import", "cong-trinh.docx", "-o", "data/khac.yaml"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains(&format!("thư mục mẫu “{SLUG}” đã có: không ghi đè")),
        "{said}"
    );
    assert!(said.contains("--force"), "{said}");
    assert!(!work.join("data/khac.yaml").exists(), "no plan written");
    assert_eq!(
        std::fs::read(folder.join("layout.yaml")).expect("layout"),
        before
    );
    // With --force it is made again, the same.
    let (code, said) = run(
        work,
        &[
            "import",
            "cong-trinh.docx",
            "-o",
            "data/khac.yaml",
            "--force",
        ],
    );
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(
        std::fs::read(folder.join("layout.yaml")).expect("layout"),
        before
    );

    // openxml-audit: the rendered .docx of the new kind is valid.
    if tool("openxml-audit") {
        let out = Command::new("openxml-audit")
            .arg(&rendered)
            .args(["-m", "0", "-o", "json"])
            .output()
            .expect("run openxml-audit");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "openxml-audit printed no JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let results = report.as_array().cloned().unwrap_or_else(|| vec![report]);
        assert!(!results.is_empty(), "a result");
        for r in results {
            assert_eq!(
                (r["error_count"].as_u64(), r["warning_count"].as_u64()),
                (Some(0), Some(0)),
                "{}",
                serde_json::to_string_pretty(&r).unwrap_or_default()
            );
        }
    }
}

#[test]
fn with_templates_elsewhere_the_new_kind_still_goes_beside_the_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path();
    std::fs::write(work.join("cong-trinh.docx"), clerk_docx()).expect("write docx");
    let other = work.join("mau-cua-toi");
    std::fs::create_dir_all(&other).expect("dir");
    let (code, said) = run(
        work,
        &[
            "import",
            "cong-trinh.docx",
            "-o",
            "ke-hoach/x.yaml",
            "--templates",
            "mau-cua-toi",
        ],
    );
    assert_eq!(code, Some(0), "{said}");
    assert!(
        work.join("ke-hoach/templates")
            .join(SLUG)
            .join("layout.yaml")
            .is_file()
    );
    assert!(!other.join(SLUG).exists(), "DIR is left as it was");
    assert!(
        said.contains(&format!("cp -r ke-hoach/templates/{SLUG} mau-cua-toi/")),
        "{said}"
    );
    assert!(
        said.contains("phuluc render ke-hoach/x.yaml --templates mau-cua-toi"),
        "{said}"
    );
}

/// The reader keeps what a template needs: each table's section (closed by a later
/// paragraph's `w:sectPr`, or the body's last), paragraph alignment (direct, through the
/// style's `w:basedOn` chain) and run size — in Transitional and Strict alike.
#[test]
fn tables_know_their_section_and_paragraphs_their_alignment() {
    for ns in [W_NS, "http://purl.oclc.org/ooxml/wordprocessingml/main"] {
        let styles = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{ns}"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="26"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Giua"><w:pPr><w:jc w:val="center"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Con"><w:basedOn w:val="Giua"/></w:style></w:styles>"#
        );
        let cell = |ppr: &str, rpr: &str, t: &str| {
            format!(
                "<w:tc><w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t>{t}</w:t></w:r></w:p></w:tc>"
            )
        };
        let table = |cells: String| {
            format!(
                "<w:tbl><w:tblGrid><w:gridCol w:w=\"1000\"/><w:gridCol w:w=\"1000\"/><w:gridCol w:w=\"1000\"/></w:tblGrid><w:tr>{cells}</w:tr></w:tbl>"
            )
        };
        let first = table(
            [
                cell("<w:jc w:val=\"end\"/>", "", "a"),
                cell("<w:pStyle w:val=\"Con\"/>", "<w:sz w:val=\"22\"/>", "b"),
                cell("", "", "c"),
            ]
            .concat(),
        );
        let second = table(
            [
                cell("<w:jc w:val=\"both\"/>", "", "d"),
                cell("<w:jc w:val=\"start\"/>", "", "e"),
                cell("<w:jc w:val=\"right\"/>", "", "f"),
            ]
            .concat(),
        );
        let landscape = r#"<w:p><w:pPr><w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="1134" w:right="850" w:bottom="1417" w:left="1701" w:header="567"/></w:sectPr></w:pPr></w:p>"#;
        let portrait = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1134" w:bottom="1134" w:left="1985" w:header="709"/></w:sectPr>"#;
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{ns}"><w:body>{first}{landscape}{second}<w:p/>{portrait}</w:body></w:document>"#
        );
        let bytes = zip_of(&[
            ("_rels/.rels", RELS.as_bytes()),
            ("word/document.xml", document.as_bytes()),
            ("word/styles.xml", styles.as_bytes()),
        ]);
        let doc = raw::read(&Package::read(&bytes).expect("package")).expect("read");
        let tables: Vec<&Table> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Paragraph(_) => None,
            })
            .collect();
        assert_eq!(tables.len(), 2, "{ns}");
        let (a, b) = (
            tables[0].section.expect("first section"),
            tables[1].section.expect("last section"),
        );
        assert!(a.is_landscape() && !b.is_landscape(), "{ns}");
        assert_eq!(
            (a.top, a.bottom, a.left, a.right, a.header),
            (Some(1134), Some(1417), Some(1701), Some(850), Some(567))
        );
        assert_eq!(
            (b.top, b.left, b.header, b.width),
            (Some(1418), Some(1985), Some(709), Some(11906))
        );
        let paras = |t: &Table| -> Vec<(Option<raw::Align>, Option<f32>)> {
            t.rows[0]
                .cells
                .iter()
                .map(|c| (c.paragraphs[0].align, c.paragraphs[0].size_pt))
                .collect()
        };
        use raw::Align::*;
        assert_eq!(
            paras(tables[0]),
            [
                (Some(Right), Some(13.0)),
                (Some(Center), Some(11.0)),
                (None, Some(13.0))
            ],
            "{ns}"
        );
        let aligns: Vec<_> = paras(tables[1]).into_iter().map(|(a, _)| a).collect();
        assert_eq!(aligns, [Some(Justify), Some(Left), Some(Right)], "{ns}");
    }
}

/// Random tables of unknown kinds: recognition never panics, every kind it makes loads,
/// and the plan written with it passes every check.
mod any_unknown_table {
    use super::*;
    use phuluc::import::{recognise, template, yaml};
    use proptest::prelude::*;

    fn header() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("TT".to_owned()),
            Just("Tên công trình".to_owned()),
            Just("Tên công trình".to_owned()),
            Just("Đơn vị thực hiện".to_owned()),
            Just("Cơ quan phối hợp".to_owned()),
            Just("ID".to_owned()),
            Just("number".to_owned()),
            Just("2026".to_owned()),
            Just("a: b # c".to_owned()),
            Just("…".to_owned()),
            Just("[x, y]".to_owned()),
            "[A-Za-zà-ỹĐđ ]{1,30}",
        ]
    }

    fn cell_text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("1".to_owned()),
            Just("1.1".to_owned()),
            Just("II".to_owned()),
            Just("Cộng".to_owned()),
            Just("Tổng cộng".to_owned()),
            Just("(1)".to_owned()),
            Just("1.250,5".to_owned()),
            Just("12,5%".to_owned()),
            Just("31/12/2026".to_owned()),
            Just("yes".to_owned()),
            Just("- \"x\" 'y'".to_owned()),
            "[a-zà-ỹ ]{0,40}",
        ]
    }

    fn para(t: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn any_unknown_table_gives_a_kind_that_loads_and_a_plan_that_checks(
            headers in prop::collection::vec(header(), 1..7),
            grouped in prop::bool::ANY,
            rows in prop::collection::vec((0u8..3, prop::collection::vec(cell_text(), 7)), 0..10),
            grid in prop::collection::vec(0u32..5000, 0..8),
        ) {
            let n = headers.len();
            let mut xml = String::new();
            if grouped && n >= 3 {
                // Columns 1 and 2 under one group.
                let restart = "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>";
                let mut top = format!("<w:tc>{restart}{}</w:tc>", para(&headers[0]));
                top.push_str(&format!("<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>{}</w:tc>", para("Nhóm")));
                for h in &headers[3..] {
                    top.push_str(&format!("<w:tc>{restart}{}</w:tc>", para(h)));
                }
                let cont = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>";
                let mut second = cont.to_owned();
                second.push_str(&format!("<w:tc>{}</w:tc><w:tc>{}</w:tc>", para(&headers[1]), para(&headers[2])));
                for _ in 3..n {
                    second.push_str(cont);
                }
                xml.push_str(&format!("<w:tr>{top}</w:tr><w:tr>{second}</w:tr>"));
            } else {
                let cells: String = headers.iter().map(|h| format!("<w:tc>{}</w:tc>", para(h))).collect();
                xml.push_str(&format!("<w:tr>{cells}</w:tr>"));
            }
            for (shape, cells) in &rows {
                let row = match shape {
                    0 if n > 1 => format!(
                        "<w:tc>{}</w:tc><w:tc><w:tcPr><w:gridSpan w:val=\"{}\"/></w:tcPr>{}</w:tc>",
                        para(&cells[0]), n - 1, para(&cells[1])
                    ),
                    1 => cells[..n].iter().map(|c| format!("<w:tc>{}{}</w:tc>", para(c), para(&cells[6]))).collect(),
                    _ => cells[..n].iter().map(|c| format!("<w:tc>{}</w:tc>", para(c))).collect(),
                };
                xml.push_str(&format!("<w:tr>{row}</w:tr>"));
            }
            let grid: String = grid.iter().map(|w| format!("<w:gridCol w:w=\"{w}\"/>")).collect();
            let document = format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{}{}<w:tbl><w:tblGrid>{grid}</w:tblGrid>{xml}</w:tbl><w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/><w:pgMar w:top="99999999" w:left="-1701"/></w:sectPr></w:body></w:document>"#,
                para("PHỤ LỤC I"),
                para("Danh mục")
            );
            let bytes = zip_of(&[
                ("_rels/.rels", RELS.as_bytes()),
                ("word/document.xml", document.as_bytes()),
            ]);
            let doc = raw::read(&Package::read(&bytes).expect("package")).expect("read");
            let mut templates = Templates::builtin().expect("templates");
            let options = template::Options {
                source: "x.docx".to_owned(),
                schema: "../../../schema/layout.schema.json".to_owned(),
                dir: "data/templates".into(),
            };
            let r = recognise::recognise_deriving(&doc, &mut templates, &options);
            for kind in &r.new_kinds {
                prop_assert!(templates.kind(&kind.slug).is_some(), "{:?}", r.warnings);
            }
            // Every kind made reads the table it was made from.
            prop_assert_eq!(r.plan.appendices.len(), r.new_kinds.len(), "{:?}", r.warnings);
            // No header row to make a kind from (a blank header cell): nothing to write,
            // as the CLI says.
            prop_assume!(!r.plan.appendices.is_empty());
            let text = yaml::to_yaml(&r.plan, &templates, "../schema/phuluc.schema.json", "x.docx");
            let result = phuluc::prepare_str(&text, Path::new("data/x.yaml"), &templates);
            let errors: Vec<String> = match &result {
                Ok(_) => Vec::new(),
                Err(d) => d.iter().filter(|d| d.is_error()).map(|d| d.render(phuluc::diag::Lang::En)).collect(),
            };
            let layouts: Vec<&String> = r.new_kinds.iter().filter_map(|k| k.files.get("layout.yaml")).collect();
            prop_assert!(errors.is_empty(), "{errors:?}\n{text}\n{layouts:?}");
        }
    }
}

/// What the property above found: a row number typed on two lines in one cell ("1" and
/// "1") went into the `# 1` comment before the row with its line break, so the second
/// line stood as YAML and the plan did not load — with a built-in kind too.
#[test]
fn a_row_number_typed_on_two_lines_keeps_the_written_plan_loadable() {
    use phuluc::import::{recognise, yaml};
    let cells: String = [
        "Stt",
        "Mục tiêu",
        "Lộ trình thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
    ]
    .iter()
    .map(|h| format!("<w:tc>{}</w:tc>", p(h, "")))
    .collect();
    let row = format!(
        "<w:tc>{}{}</w:tc>{}",
        p("1", ""),
        p("1", ""),
        [
            "Giảm hồ sơ trễ hạn",
            "2026",
            "Công an phường",
            "Phòng Tư pháp"
        ]
        .iter()
        .map(|t| format!("<w:tc>{}</w:tc>", p(t, "")))
        .collect::<String>()
    );
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{}{}<w:tbl><w:tr>{cells}</w:tr><w:tr>{row}</w:tr></w:tbl></w:body></w:document>"#,
        p("PHỤ LỤC I", ""),
        p("Mục tiêu", "")
    );
    let bytes = zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ]);
    let doc = raw::read(&Package::read(&bytes).expect("package")).expect("read");
    let templates = Templates::builtin().expect("templates");
    let r = recognise::recognise(&doc, &templates);
    assert_eq!(r.plan.appendices.len(), 1);
    let text = yaml::to_yaml(
        &r.plan,
        &templates,
        "../schema/phuluc.schema.json",
        "x.docx",
    );
    assert!(text.contains("# 1 1\n"), "{text}");
    let loaded = phuluc::model::parse_str(&text, Path::new("x.yaml"));
    assert!(loaded.is_ok(), "{text}\n{loaded:?}");
}

/// Typed subtotals after each group and the grand total right under the header give a
/// kind with `totals: {groups: true, grand_position: top}`; the written plan checks
/// clean with it and a one-column group ("Trong đó") stays a group.
#[test]
fn typed_group_subtotals_and_a_top_total_become_the_kinds_totals() {
    use phuluc::compose::templates::TotalPosition;
    use phuluc::import::{recognise, template, yaml};
    let one = |t: &str| tc(1, "", &[t], "");
    let restart = "<w:vMerge w:val=\"restart\"/>";
    let cont = "<w:vMerge/>";
    let rows = [
        tr(&[
            tc(1, restart, &["Stt"], ""),
            tc(1, restart, &["Nội dung chi"], ""),
            tc(1, "", &["Trong đó"], ""),
        ]),
        tr(&[tc(1, cont, &[], ""), tc(1, cont, &[], ""), one("Số tiền")]),
        tr(&[tc(2, "", &["Tổng cộng"], ""), one("30")]),
        tr(&[one("1"), tc(2, "", &["Hội nghị"], "")]),
        tr(&[one("1.1"), one("Hội trường"), one("10")]),
        tr(&[tc(2, "", &["Cộng"], ""), one("10")]),
        tr(&[one("2"), tc(2, "", &["Tuyên truyền"], "")]),
        tr(&[one("2.1"), one("Băng rôn"), one("20")]),
        tr(&[tc(2, "", &["Cộng"], ""), one("20")]),
    ]
    .concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{}{}<w:tbl>{rows}</w:tbl></w:body></w:document>"#,
        p("PHỤ LỤC II", ""),
        p("Chi phí tuyên truyền", "")
    );
    let bytes = zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ]);
    let doc = raw::read(&Package::read(&bytes).expect("package")).expect("read");
    let mut templates = Templates::builtin().expect("templates");
    let options = template::Options {
        source: "chi-phi.docx".to_owned(),
        schema: "../../../schema/layout.schema.json".to_owned(),
        dir: "data/templates".into(),
    };
    let r = recognise::recognise_deriving(&doc, &mut templates, &options);
    assert_eq!(r.new_kinds.len(), 1, "{:?}", r.warnings);
    let slug = &r.new_kinds[0].slug;
    assert_eq!(slug, "chi-phi-tuyen-truyen");
    let layout = &templates.kind(slug).expect("kind").layout;
    let totals = layout.totals.as_ref().expect("totals");
    assert!(totals.groups && !totals.sections && totals.grand);
    assert_eq!(totals.grand_position, TotalPosition::Top);
    assert_eq!(layout.columns[2].groups(), ["Trong đó".to_owned()]);
    assert_eq!(layout.columns[2].kind, ColumnKind::Amount);
    // Width and orientation unknown (no w:tblGrid, no w:sectPr): the defaults, said so.
    let text = &r.new_kinds[0].files["layout.yaml"];
    assert!(text.contains("không ghi độ rộng cột"), "{text}");
    assert_eq!(layout.page.orientation, Orientation::Landscape);
    let plan = yaml::to_yaml(
        &r.plan,
        &templates,
        "../schema/phuluc.schema.json",
        "x.docx",
    );
    let checked = phuluc::prepare_str(&plan, Path::new("data/x.yaml"), &templates);
    assert!(checked.is_ok(), "{plan}\n{:?}", checked.err());
    // The typed figures match the rows: no “phuluc tự tính lại” warning.
    assert!(
        !r.warnings.iter().any(|w| w.vi.contains("tự tính lại")),
        "{:?}",
        r.warnings
    );
}

/// A table with no header row to make a kind from (a column headed by nothing in the
/// first three rows) is still left out, and the message says what a header row needs.
#[test]
fn a_table_without_a_header_row_is_left_out_with_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let row = |a: &str, b: &str| tr(&[tc(1, "", &[a], ""), tc(1, "", &[b], "")]);
    let rows = [row("Tên", ""), row("Nhà văn hóa", "Tổ 3")].concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{}<w:tbl>{rows}</w:tbl></w:body></w:document>"#,
        p("PHỤ LỤC I", "")
    );
    let bytes = zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ]);
    std::fs::write(dir.path().join("x.docx"), bytes).expect("write");
    let (code, said) = run(dir.path(), &["import", "x.docx"]);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("không bảng nào có dòng tiêu đề để tạo mẫu mới"),
        "{said}"
    );
    assert!(
        said.contains("mỗi cột cần một ô tiêu đề riêng có chữ"),
        "{said}"
    );
    assert!(!dir.path().join("data").exists(), "nothing written");
}
