//! `phuluc import` on the files clerks really have (issue 20), in hand-written
//! WordprocessingML: agencies on separate lines of one paragraph (Shift+Enter), joined by
//! ";" or by ", " between standard names; reference lines whose blanks are non-breaking
//! spaces, tabs, leaders or nothing; year columns; budgets whose group rows carry their
//! subtotals. Each test reads the plan import writes (its YAML text, `export --format
//! json`) and asserts the fields, never phuluc's internals.

use crate::common::*;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// A .docx whose body is `body`.
pub fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        ("_rels/.rels", RELS.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ])
}

/// A paragraph of one run holding `text` (XML already escaped; may hold `<w:br/>` …).
pub fn para(runs: &str) -> String {
    format!("<w:p>{runs}</w:p>")
}

/// A run of `text`.
pub fn run(text: &str) -> String {
    format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
}

/// A cell of one paragraph of `inner` runs.
pub fn cell_runs(inner: &str) -> String {
    format!("<w:tc>{}</w:tc>", para(inner))
}

/// A cell of one plain paragraph.
pub fn cell(text: &str) -> String {
    cell_runs(&run(text))
}

/// The six headers of the built-in task kind (nhiem-vu).
const TASK_HEADERS: [&str; 6] = [
    "Stt",
    "Nhiệm vụ cụ thể",
    "Lộ trình thực hiện",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Sản phẩm dự kiến",
];

/// A task appendix: the heading lines, then a table of `rows` (each a `<w:tr>`'s cells).
pub fn task_docx(reference: &str, rows: &[String]) -> Vec<u8> {
    let mut body = para(&run("PHỤ LỤC"));
    body += &para(&run("NHIỆM VỤ NĂM 2026"));
    body += &para(reference);
    body += "<w:tbl><w:tblGrid>";
    body += &"<w:gridCol w:w=\"1000\"/>".repeat(6);
    body += "</w:tblGrid><w:tr>";
    for h in TASK_HEADERS {
        body += &cell(h);
    }
    body += "</w:tr>";
    for r in rows {
        body += &format!("<w:tr>{r}</w:tr>");
    }
    body += "</w:tbl>";
    docx(&body)
}

/// Imports `bytes` (written as `name`) and returns the plan's YAML and import's stderr.
pub fn import(dir: &std::path::Path, name: &str, bytes: &[u8], extra: &[&str]) -> (String, String) {
    let file = dir.join(name);
    std::fs::write(&file, bytes).expect("write docx");
    let out = dir.join(format!("{name}.yaml"));
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
    (std::fs::read_to_string(&out).expect("yaml"), err)
}

/// Agencies typed on separate lines of one paragraph (Shift+Enter: `w:br`), joined by
/// ";", or by ", " between names of the register: each comes back as its own name; “Phòng
/// Kinh tế, Hạ tầng và Đô thị” is one name of the register and stays one; `phuluc
/// agencies` lists no name with a line break in it.
#[test]
fn agencies_on_lines_after_semicolons_and_in_the_register_come_back_name_for_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = [
        [
            cell("1"),
            cell("Rà soát hạ tầng"),
            cell("Năm 2026"),
            cell_runs(&format!(
                "{}<w:r><w:br/></w:r>{}",
                run("Phòng Văn hóa - Xã hội"),
                run("Công an phường")
            )),
            cell("Sở Công Thương; BQL Khu kinh tế tỉnh"),
            cell("Báo cáo"),
        ]
        .concat(),
        [
            cell("2"),
            cell("Chỉnh trang đô thị"),
            cell("Quý III/2026"),
            cell("Phòng Kinh tế, Hạ tầng và Đô thị"),
            cell("Văn phòng HĐND và UBND, Ủy ban MTTQ Việt Nam phường, Ban Chỉ huy Quân sự"),
            cell("Kế hoạch"),
        ]
        .concat(),
    ];
    let bytes = task_docx(
        &run("(Kèm theo Kế hoạch số 9/KH-UBND ngày 20/3/2026 của Ủy ban nhân dân phường An Khánh)"),
        &rows,
    );
    let (yaml, err) = import(dir.path(), "dong.docx", &bytes, &[]);
    for want in [
        "chu_tri:\n          - Phòng Văn hóa - Xã hội\n          - Công an phường\n",
        "phoi_hop:\n          - Sở Công Thương\n          - BQL Khu kinh tế tỉnh\n",
        "chu_tri:\n          - Phòng Kinh tế, Hạ tầng và Đô thị\n",
        "phoi_hop:\n          - Văn phòng HĐND và UBND\n          - Ủy ban MTTQ Việt Nam phường\n          - Ban Chỉ huy Quân sự\n",
    ] {
        assert!(yaml.contains(want), "{want:?} in\n{yaml}\n{err}");
    }
    assert!(
        !err.contains("không chắc là một hay nhiều cơ quan"),
        "{err}"
    );
    let plan = dir.path().join("dong.docx.yaml");
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
    let names: Vec<&str> = json["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(names.len(), 8, "{names:?}");
    assert!(
        names.iter().all(|n| !n.contains('\n') && !n.contains(';')),
        "{names:?}"
    );
}

/// A table of an unknown kind: “Năm hoàn thành” holds years, “Mã dự án” figures the
/// typed total row leaves empty, “Kinh phí” money. Only the money is summed; the years
/// print as typed (“2026”, never “2.026”), and no total of years or codes appears.
#[test]
fn a_column_of_years_and_one_the_total_row_leaves_empty_are_not_summed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut body = para(&run("PHỤ LỤC"));
    body += &para(&run("DANH MỤC CÔNG TRÌNH ĐẦU TƯ"));
    body += &para(&run(
        "(Kèm theo Kế hoạch số 9/KH-UBND ngày 20/3/2026 của Ủy ban nhân dân phường An Khánh)",
    ));
    body += "<w:tbl><w:tblGrid>";
    body += &"<w:gridCol w:w=\"1500\"/>".repeat(5);
    body += "</w:tblGrid>";
    let rows: [[&str; 5]; 5] = [
        [
            "Stt",
            "Tên công trình",
            "Năm hoàn thành",
            "Mã dự án",
            "Kinh phí (triệu đồng)",
        ],
        ["1", "Nhà văn hóa tổ 3", "2025", "7001", "1.250"],
        ["2", "Đường ngõ 5", "2026", "7002", "980,5"],
        ["3", "Cống thoát nước", "2026", "7003", "400"],
        ["4", "Sân thể thao", "2027", "7004", "2.000"],
    ];
    for r in rows {
        body += "<w:tr>";
        for c in r {
            body += &cell(c);
        }
        body += "</w:tr>";
    }
    // The total: its label across the first two columns, years and codes left empty.
    body += "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr>";
    body += &para(&run("Tổng cộng"));
    body += "</w:tc>";
    body += &[cell(""), cell(""), cell("4.630,5")].concat();
    body += "</w:tr></w:tbl>";
    let (yaml, err) = import(dir.path(), "cong-trinh.docx", &docx(&body), &[]);
    let layout =
        std::fs::read_to_string(dir.path().join("templates/danh-muc-cong-trinh/layout.yaml"))
            .expect("the new kind's layout.yaml");
    let kind_of = |field: &str| {
        let at = layout
            .find(&format!("field: {field}\n"))
            .unwrap_or_else(|| panic!("{field} in\n{layout}"));
        let rest = &layout[at..];
        let k = rest.find("kind: ").expect("kind");
        rest[k + 6..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(kind_of("nam_hoan_thanh"), "text", "{layout}");
    assert_eq!(kind_of("ma_du_an"), "text", "{layout}");
    assert_eq!(kind_of("kinh_phi_trieu_dong"), "amount", "{layout}");
    assert!(yaml.contains("nam_hoan_thanh: \"2026\""), "{yaml}\n{err}");
    // Rendered with the new kind: the years as typed, one total, of the money only.
    let plan = dir.path().join("cong-trinh.docx.yaml");
    let templates = dir.path().join("templates");
    let json = export_json(&plan, &["--templates", templates.to_str().expect("utf-8")]);
    let grid: Vec<Vec<String>> = json["parts"][0]["table"]["body"]
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
    let all: Vec<&String> = grid.iter().flatten().collect();
    assert!(all.iter().any(|c| c.as_str() == "2026"), "{grid:?}");
    assert!(
        !all.iter()
            .any(|c| c.contains("2.026") || c.contains("8.104") || c.contains("28.010")),
        "{grid:?}"
    );
    assert!(all.iter().any(|c| c.as_str() == "4.630,5"), "{grid:?}");
}

/// `--agencies PLAN` naming a plan with no `agencies:` list said nothing and did nothing:
/// now it says so and lends the names that plan's cells hold, which cut a hand-typed cell
/// no register knows; the new plan gets no `agencies:` list from it.
#[test]
fn an_agencies_plan_without_a_list_lends_the_names_its_cells_hold() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = [[
        cell("1"),
        cell("Rà soát thủ tục"),
        cell("Năm 2026"),
        cell("Sở Nội vụ, Sở Tài chính"),
        cell("Văn phòng HĐND và UBND"),
        cell("Báo cáo"),
    ]
    .concat()];
    let bytes = task_docx(
        &run("(Kèm theo Kế hoạch số 9/KH-UBND ngày 20/3/2026 của Ủy ban nhân dân phường An Khánh)"),
        &rows,
    );
    let other = dir.path().join("cu.yaml");
    std::fs::write(
        &other,
        "version: 1\nplan:\n  kind: Kế hoạch\n  number: \"1\"\n  symbol: KH-UBND\n  date: 2026-01-05\n  issuer: UBND phường\nappendices:\n  - template: nhiem-vu\n    title: Mẫu\n    items:\n      - nhiem_vu: Việc\n        lo_trinh: Năm 2026\n        chu_tri: [Sở Nội vụ]\n        phoi_hop: [Sở Tài chính]\n        san_pham: Báo cáo\n",
    )
    .expect("plan");
    let (alone, _) = import(dir.path(), "a.docx", &bytes, &[]);
    assert!(
        alone.contains("chu_tri:\n          - Sở Nội vụ, Sở Tài chính\n"),
        "{alone}"
    );
    let (lent, err) = import(
        dir.path(),
        "b.docx",
        &bytes,
        &["--agencies", other.to_str().expect("utf-8")],
    );
    assert!(
        err.contains("cu.yaml: cảnh báo: kế hoạch này không có danh sách “agencies:”: dùng 2 tên cơ quan trong các ô của nó"),
        "{err}"
    );
    assert!(
        lent.contains("chu_tri:\n          - Sở Nội vụ\n          - Sở Tài chính\n"),
        "{lent}"
    );
    assert!(!lent.contains("\nagencies:"), "{lent}");
}

/// How a clerk separates the agencies of one cell.
#[derive(Debug, Clone, Copy)]
enum Separator {
    /// One paragraph each.
    Paragraph,
    /// One line each in one paragraph (Shift+Enter: `w:br`), the breaks in their own
    /// runs or inside a name's run.
    Break,
    /// "; " in one paragraph.
    Semicolon,
    /// ", " in one paragraph: only between names of the register, which vouches for them.
    Comma,
}

/// An agency cell holding `names` joined by `sep`.
fn agency_cell(names: &[&str], sep: Separator) -> String {
    match sep {
        Separator::Paragraph => {
            let paras: String = names.iter().map(|n| para(&run(n))).collect();
            format!("<w:tc>{paras}</w:tc>")
        }
        Separator::Break => {
            let lines: Vec<String> = names
                .iter()
                .map(|n| format!("<w:r><w:t xml:space=\"preserve\">{n}</w:t></w:r>"))
                .collect();
            cell_runs(&lines.join("<w:r><w:br/></w:r>"))
        }
        Separator::Semicolon => cell(&names.join("; ")),
        Separator::Comma => cell(&names.join(", ")),
    }
}

mod agency_lines {
    use super::*;
    use proptest::prelude::*;

    /// Names no register knows, never holding ", " or ";".
    const PLAIN: [&str; 5] = [
        "Sở Nội vụ",
        "Sở Tài chính",
        "Công an tỉnh",
        "Tổ dân phố 3",
        "Trường THCS Lê Lợi",
    ];

    fn register() -> Vec<&'static str> {
        phuluc::compose::standard_names::REGISTER
            .iter()
            .map(|s| s.name)
            .collect()
    }

    /// A cell: 1–3 distinct names and a separator; ", " only among register names.
    fn agencies() -> impl Strategy<Value = (Vec<&'static str>, Separator)> {
        let all: Vec<&'static str> = register().into_iter().chain(PLAIN).collect();
        (
            prop::sample::subsequence(all, 1..=3).prop_shuffle(),
            prop::sample::select(vec![
                Separator::Paragraph,
                Separator::Break,
                Separator::Semicolon,
                Separator::Comma,
            ]),
        )
            .prop_map(|(names, sep)| {
                let sep = match sep {
                    Separator::Comma if names.iter().any(|n| PLAIN.contains(n)) => {
                        Separator::Semicolon
                    }
                    s => s,
                };
                (names, sep)
            })
    }

    proptest! {
        #![proptest_config(crate::common::proptest_config(48))]

        /// Random agency cells, each separated in one of the ways clerks separate names
        /// (paragraphs, line breaks, ";", ", " between standard names), in hand-written
        /// WordprocessingML: every cell comes back name for name, no name holds a line
        /// break or a ";".
        #[test]
        fn agencies_on_lines_come_back_name_for_name(
            rows in prop::collection::vec((agencies(), agencies()), 1..5),
        ) {
            let xml: Vec<String> = rows
                .iter()
                .enumerate()
                .map(|(i, ((lead, ls), (support, ss)))| {
                    [
                        cell(&(i + 1).to_string()),
                        cell(&format!("Nhiệm vụ {}", i + 1)),
                        cell("Năm 2026"),
                        agency_cell(lead, *ls),
                        agency_cell(support, *ss),
                        cell("Báo cáo"),
                    ]
                    .concat()
                })
                .collect();
            let bytes = task_docx(
                &run("(Kèm theo Kế hoạch số 9/KH-UBND ngày 20/3/2026 của Ủy ban nhân dân phường An Khánh)"),
                &xml,
            );
            let package = phuluc::import::package::Package::read(&bytes)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let doc = phuluc::import::raw::read(&package)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
            let r = phuluc::import::recognise::recognise(&doc, &templates);
            prop_assert_eq!(r.plan.appendices.len(), 1);
            let items: Vec<_> = phuluc::model::plan::items(&r.plan.appendices[0]).collect();
            prop_assert_eq!(items.len(), rows.len());
            for (item, ((lead, _), (support, _))) in items.iter().zip(&rows) {
                for (field, want) in [("chu_tri", lead), ("phoi_hop", support)] {
                    let got = match item.fields.get(field) {
                        Some(phuluc::model::Field::List(names)) => names.clone(),
                        other => return Err(TestCaseError::fail(format!("{field}: {other:?}"))),
                    };
                    prop_assert_eq!(&got, want, "{}", field);
                }
            }
        }
    }
}
