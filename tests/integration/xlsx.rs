//! `phuluc export --format xlsx`: the tracking workbook, read back by openpyxl and by
//! LibreOffice Calc (one CSV per sheet), checked by openxml-audit, and compared cell by
//! cell with the composed appendices (`phuluc export --format json`) and the agency list.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::agencies::{agencies_json, composed, openxml_audit};
use crate::common::*;

const PROGRESS: [&str; 4] = [
    "Chưa thực hiện",
    "Đang thực hiện",
    "Đã hoàn thành",
    "Chậm tiến độ",
];

/// openpyxl's view of a workbook, as JSON.
const DUMP: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
cached = openpyxl.load_workbook(sys.argv[1], data_only=True)
p = wb.properties
out = {"title": p.title, "creator": p.creator, "created": str(p.created), "sheets": []}
for ws in wb.worksheets:
    hidden = []
    for d in ws.column_dimensions.values():
        if d.hidden:
            hidden.extend(range(d.min, d.max + 1))
    rows = []
    for row, values in zip(ws.iter_rows(), cached[ws.title].iter_rows()):
        rows.append([{
            "v": c.value if c.value is None else str(c.value),
            "c": k.value if k.value is None else str(k.value),
            "format": c.number_format,
            "font": c.font.name,
            "bold": bool(c.font.b),
            "fill": c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type else None,
            "wrap": bool(c.alignment.wrap_text),
        } for c, k in zip(row, values)])
    fit = ws.sheet_properties.pageSetUpPr
    out["sheets"].append({
        "name": ws.title,
        "freeze": ws.freeze_panes,
        "filter": ws.auto_filter.ref,
        "validations": [{"type": v.type, "formula1": v.formula1, "sqref": str(v.sqref)}
                        for v in ws.data_validations.dataValidation],
        "hidden": hidden,
        "orientation": ws.page_setup.orientation,
        "paper": str(ws.page_setup.paperSize),
        "fit": bool(fit.fitToPage) if fit is not None else False,
        "fit_width": ws.page_setup.fitToWidth,
        "fit_height": ws.page_setup.fitToHeight,
        "title_rows": ws.print_title_rows,
        "rows": rows,
    })
print(json.dumps(out, ensure_ascii=False))
"#;

/// Whether python3 can import `module`; skips loudly where it cannot, fails in CI.
pub fn python_module(module: &str) -> bool {
    let found = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "python3 module {module} is required in CI but is not installed (see .ci/run)"
        );
        eprintln!(
            "SKIPPED: python3 module {module} not installed; `pip install {module}` to run this test"
        );
    }
    found
}

/// Whether LibreOffice can open spreadsheets (Calc is a package of its own:
/// libreoffice-calc-nogui); skips loudly where it cannot, fails in CI.
pub fn calc() -> bool {
    if !tool("soffice") {
        return false;
    }
    let soffice = Command::new("sh")
        .args(["-c", "readlink -f \"$(command -v soffice)\""])
        .output()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .unwrap_or_default();
    let found = soffice
        .parent()
        .is_some_and(|dir| dir.join("libsclo.so").is_file() || dir.join("sclo.dll").is_file());
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "LibreOffice Calc is required in CI but is not installed (see .ci/run)"
        );
        eprintln!(
            "SKIPPED: LibreOffice Calc not installed (apt-get install libreoffice-calc-nogui)"
        );
    }
    found
}

/// Exports the seed's workbook into `dir`.
fn export(dir: &Path) -> PathBuf {
    let xlsx = dir.join("theo-doi.xlsx");
    let out = phuluc(
        &root(),
        &[
            "export",
            seed_yaml().to_str().expect("utf-8"),
            "--format",
            "xlsx",
            "-o",
            xlsx.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    xlsx
}

fn openpyxl(xlsx: &Path) -> Value {
    let out = Command::new("python3")
        .args(["-c", DUMP])
        .arg(xlsx)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "openpyxl could not read the workbook: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("dump is JSON")
}

/// A1 column letters of a 0-based column.
fn letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

/// A sheet's cell values as text ("" for an empty cell).
fn values(sheet: &Value) -> Vec<Vec<String>> {
    sheet["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("cells")
                .iter()
                .map(|c| c["v"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn workbook_holds_every_cell_a_progress_drop_down_and_a_frozen_header() {
    if !python_module("openpyxl") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let book = openpyxl(&export(dir.path()));
    assert_eq!(book["title"], "Theo dõi thực hiện Kế hoạch số …/KH-UBND");
    assert_eq!(book["creator"], "Ủy ban nhân dân phường Thạch Khôi");
    assert_eq!(
        book["created"], "2026-01-01 00:00:00",
        "the plan's date, not the clock"
    );
    let sheets = book["sheets"].as_array().expect("sheets");
    let names: Vec<&str> = sheets
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        ["Phụ lục I", "Phụ lục II", "Theo cơ quan", "Tổng hợp"]
    );

    let composed = composed();
    let mut keys = BTreeSet::new();
    // Main text of each row by its key, for the agency sheet.
    let mut texts = std::collections::BTreeMap::new();
    for (sheet, (header, body)) in sheets.iter().zip(&composed) {
        let name = sheet["name"].as_str().expect("name");
        let n = header.len();
        let rows = values(sheet);
        let mut want_header = header.clone();
        want_header.extend(["Tiến độ", "Kết quả", "Ghi chú", "Mã dòng"].map(str::to_owned));
        assert_eq!(rows[0], want_header, "{name}: header row");
        assert_eq!(
            rows.len(),
            body.len() + 1,
            "{name}: one row per appendix row"
        );
        let cells = sheet["rows"].as_array().expect("rows");
        for (i, (got, want)) in rows[1..].iter().zip(body).enumerate() {
            let at = format!("{name}, row {}", i + 2);
            let styled = cells[i + 1].as_array().expect("cells");
            if want.kind == "item" {
                assert_eq!(
                    got[..n],
                    want.cells[..],
                    "{at}: every cell as in the appendix"
                );
            } else {
                let shown: Vec<&String> = got[..n].iter().filter(|c| !c.is_empty()).collect();
                let wanted: Vec<&String> = want.cells.iter().filter(|c| !c.is_empty()).collect();
                assert_eq!(shown, wanted, "{at}: heading row");
                for c in &styled[..n + 3] {
                    assert_eq!(c["bold"], true, "{at}: heading bold");
                    assert!(
                        c["fill"].as_str().is_some_and(|f| f != "00000000"),
                        "{at}: shaded"
                    );
                }
            }
            assert!(
                got[n..n + 3].iter().all(String::is_empty),
                "{at}: follow-up cells empty"
            );
            let key = &got[n + 3];
            assert!(
                !key.is_empty() && keys.insert(key.clone()),
                "{at}: a unique key: {key}"
            );
            texts.insert(key.clone(), want.text.clone());
            for c in styled.iter().filter(|c| !c["v"].is_null()) {
                assert_eq!(c["font"], "Times New Roman", "{at}");
                assert_eq!(c["wrap"], true, "{at}: wrapped");
            }
        }
        let last = rows.len();
        let progress = letters(n);
        let validations = sheet["validations"].as_array().expect("validations");
        assert_eq!(validations.len(), 1, "{name}: one drop-down");
        assert_eq!(validations[0]["type"], "list");
        assert_eq!(
            validations[0]["formula1"],
            format!("\"{}\"", PROGRESS.join(",")),
            "{name}: the four progress choices"
        );
        assert_eq!(
            validations[0]["sqref"],
            format!("{progress}2:{progress}{last}")
        );
        assert_eq!(sheet["freeze"], "A2", "{name}: header row frozen");
        assert_eq!(sheet["filter"], format!("A1:{}{last}", letters(n + 3)));
        assert_eq!(
            sheet["hidden"],
            serde_json::json!([n + 4]),
            "{name}: only the key column hidden"
        );
        assert_eq!(sheet["orientation"], "landscape");
        assert_eq!(sheet["paper"], "9", "A4");
        assert_eq!(sheet["fit"], true);
        assert_eq!(
            sheet["fit_height"], 0,
            "one page wide, as many tall as needed"
        );
        assert_eq!(
            sheet["title_rows"], "$1:$1",
            "header row repeated when printed"
        );
    }
    // Keys come from each row's own content, not its place (README: "Row keys").
    for key in &keys {
        let (template, hash) = key.split_once(':').expect("template:hash");
        assert!(["muc-tieu", "nhiem-vu"].contains(&template), "{key}");
        assert!(
            hash.len() == 12 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{key}"
        );
    }

    // "Theo cơ quan": each agency's lead rows, then its support rows, as `agencies` lists.
    let by_agency = &sheets[2];
    let rows = values(by_agency);
    assert_eq!(
        rows[0],
        [
            "Cơ quan",
            "Vai trò",
            "Phụ lục",
            "Dòng",
            "Nội dung",
            "Tiến độ",
            "Kết quả",
            "Mã dòng"
        ]
    );
    let mut want = Vec::new();
    for agency in agencies_json()["agencies"].as_array().expect("agencies") {
        for (role, field) in [("Chủ trì", "lead_rows"), ("Phối hợp", "support_rows")] {
            for appendix in agency["appendices"].as_array().expect("appendices") {
                for row in appendix[field].as_array().expect("rows") {
                    let key = row["key"].as_str().expect("key").to_owned();
                    want.push(vec![
                        agency["name"].as_str().expect("name").to_owned(),
                        role.to_owned(),
                        appendix["appendix"].as_str().expect("appendix").to_owned(),
                        row["row"].as_str().expect("row").to_owned(),
                        texts
                            .get(&key)
                            .cloned()
                            .unwrap_or_else(|| panic!("no row {key}")),
                        key,
                    ]);
                }
            }
        }
    }
    let got: Vec<Vec<String>> = rows[1..]
        .iter()
        .map(|r| {
            let mut v = r[..5].to_vec();
            v.push(r[7].clone());
            v
        })
        .collect();
    assert_eq!(got, want, "Theo cơ quan");
    for r in &rows[1..] {
        // Progress and result show the appendix sheet's cells.
        assert!(r[5].starts_with("=IF('Phụ lục I"), "{r:?}");
        assert!(r[6].starts_with("=IF('Phụ lục I"), "{r:?}");
    }
    assert_eq!(by_agency["freeze"], "A2");
    assert_eq!(by_agency["hidden"], serde_json::json!([8]));
}

/// A minimal CSV reader (RFC 4180: quoted fields, doubled quotes, line breaks in quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn workbook_opens_in_libreoffice_calc_with_every_cell() {
    if !(calc() && python_module("openpyxl")) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = export(dir.path());
    let book = openpyxl(&xlsx);
    let csv_dir = dir.path().join("csv");
    let profile = dir.path().join("lo-profile");
    // Filter options: comma, double quotes, UTF-8, from line 1, …, -1 = every sheet to a
    // file of its own ("theo-doi-<sheet>.csv").
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(&csv_dir)
        .arg(&xlsx)
        .output()
        .expect("run soffice");
    for sheet in book["sheets"].as_array().expect("sheets") {
        let name = sheet["name"].as_str().expect("name");
        let path = csv_dir.join(format!("theo-doi-{name}.csv"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "LibreOffice wrote no {}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let mut got = parse_csv(&text);
        let mut want = values(sheet);
        let cells = sheet["rows"].as_array().expect("rows");
        for (row, styled) in want.iter_mut().zip(cells) {
            for (cell, styled) in row.iter_mut().zip(styled.as_array().expect("cells")) {
                // Formulas show their result: the appendix's progress cell, still empty;
                // the summary's counts, as phuluc cached them.
                if cell.starts_with('=') {
                    *cell = styled["c"].as_str().unwrap_or("").to_owned();
                }
            }
        }
        for row in got.iter_mut() {
            for cell in row.iter_mut() {
                // Calc writes a percentage as it shows it ("0%"); the cache holds 0.
                if let Some(n) = cell.strip_suffix('%').and_then(|n| n.parse::<f64>().ok()) {
                    *cell = format!("{}", n / 100.0);
                }
            }
        }
        let trim = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
            rows.into_iter()
                .map(|mut r| {
                    while r.last().is_some_and(String::is_empty) {
                        r.pop();
                    }
                    r
                })
                .collect()
        };
        assert_eq!(
            trim(got),
            trim(want),
            "{name}: LibreOffice reads every cell as openpyxl does"
        );
    }

    // A clerk fills in a progress cell: "Theo cơ quan" shows it beside the agency.
    let filled = dir.path().join("da-dien.xlsx");
    let fill = Command::new("python3")
        .args([
            "-c",
            "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nwb['Phụ lục II']['G5'] = 'Đã hoàn thành'\nwb.save(sys.argv[2])",
        ])
        .arg(&xlsx)
        .arg(&filled)
        .output()
        .expect("run python3");
    assert!(
        fill.status.success(),
        "{}",
        String::from_utf8_lossy(&fill.stderr)
    );
    let csv_dir = dir.path().join("csv-da-dien");
    Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(&csv_dir)
        .arg(&filled)
        .output()
        .expect("run soffice");
    let sheet = std::fs::read_to_string(csv_dir.join("da-dien-Phụ lục II.csv")).expect("csv");
    let key = parse_csv(&sheet)[4]
        .last()
        .cloned()
        .expect("row 5 has a key");
    let by_agency =
        parse_csv(&std::fs::read_to_string(csv_dir.join("da-dien-Theo cơ quan.csv")).expect("csv"));
    let mirrored: Vec<&Vec<String>> = by_agency
        .iter()
        .filter(|r| r.get(7) == Some(&key))
        .collect();
    assert!(!mirrored.is_empty(), "{key} is in Theo cơ quan");
    for r in mirrored {
        assert_eq!(
            r[5], "Đã hoàn thành",
            "{r:?}: progress mirrored from the appendix sheet"
        );
    }
}

#[test]
fn workbook_passes_openxml_audit_and_is_the_same_bytes_each_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let one = std::fs::read(export(dir.path())).expect("read");
    let two_dir = tempfile::tempdir().expect("tempdir");
    let two = std::fs::read(export(two_dir.path())).expect("read");
    assert!(one == two, "two exports of one plan differ");
    let Some((passed, report)) = openxml_audit(&dir.path().join("theo-doi.xlsx")) else {
        return;
    };
    assert!(
        passed,
        "openxml-audit found errors in the workbook:\n{report}"
    );
}

#[test]
fn workbook_default_path_is_beside_the_other_outputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(seed_yaml(), dir.path().join("ke-hoach.yaml")).expect("copy");
    let out = phuluc(dir.path(), &["export", "ke-hoach.yaml", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("output/ke-hoach-theo-doi.xlsx").is_file());
    assert!(
        stderr(&out).contains("đã ghi output/ke-hoach-theo-doi.xlsx"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_cell_longer_than_excel_holds_is_a_problem_in_the_plan_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = "Nhiệm vụ rất dài. ".repeat(2000); // 35 999 characters once YAML drops the last space; Excel holds 32 767
    let plan = format!(
        "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: Ủy ban nhân dân phường Thạch Khôi\nappendices:\n  - template: nhiem-vu\n    title: Thử\n    items:\n      - nhiem_vu: {long}\n        lo_trinh: Năm 2026\n        chu_tri: [Phòng Văn hóa - Xã hội]\n        phoi_hop: [Trung tâm Phục vụ hành chính công]\n        san_pham: Báo cáo\n"
    );
    std::fs::write(dir.path().join("dai.yaml"), plan).expect("write");
    let out = phuluc(
        dir.path(),
        &["export", "dai.yaml", "--format", "xlsx", "-o", "dai.xlsx"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("dai.yaml: lỗi: Phụ lục I, mục 1: ô “Nhiệm vụ cụ thể” dài 35999 ký tự, quá 32 767 ký tự một ô Excel giữ được"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("dai.xlsx").exists(), "nothing written");
}

#[test]
fn a_row_with_an_id_is_keyed_by_it_in_the_workbook_and_the_agency_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: Ủy ban nhân dân phường Thạch Khôi\nappendices:\n  - template: nhiem-vu\n    title: Thử\n    groups:\n      - heading: Cải cách hành chính\n        id: cai-cach\n        items:\n          - id: so-hoa\n            nhiem_vu: Số hóa hồ sơ.\n            lo_trinh: Năm 2026\n            chu_tri: [Phòng Văn hóa - Xã hội]\n            phoi_hop: [Trung tâm Phục vụ hành chính công]\n            san_pham: Báo cáo\n          - nhiem_vu: Rà soát thủ tục.\n            lo_trinh: Năm 2026\n            chu_tri: [Trung tâm Phục vụ hành chính công]\n            phoi_hop: [Phòng Văn hóa - Xã hội]\n            san_pham: Báo cáo\n";
    std::fs::write(dir.path().join("id.yaml"), plan).expect("write");
    let out = phuluc(dir.path(), &["agencies", "id.yaml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let first = &json["agencies"][0]["appendices"][0];
    assert_eq!(first["lead_rows"][0]["key"], "so-hoa");
    assert_eq!(first["lead_rows"][0]["row"], "mục 1.1");
    let derived = first["support_rows"][0]["key"].as_str().expect("key");
    assert!(
        derived.starts_with("nhiem-vu:") && derived.len() == "nhiem-vu:".len() + 12,
        "a row without id: is keyed by its content: {derived}"
    );
    if !python_module("openpyxl") {
        return;
    }
    let out = phuluc(
        dir.path(),
        &["export", "id.yaml", "--format", "xlsx", "-o", "id.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let book = openpyxl(&dir.path().join("id.xlsx"));
    let keys: Vec<String> = values(&book["sheets"][0])
        .iter()
        .skip(1)
        .map(|r| r.last().cloned().unwrap_or_default())
        .collect();
    assert_eq!(keys, ["cai-cach", "so-hoa", derived]);
}
