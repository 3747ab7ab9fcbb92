//! `phuluc report`: tracking workbooks written by phuluc, filled by openpyxl and re-saved
//! by LibreOffice Calc as the other writers, read back into the report appendix; the
//! report judged by python-docx (its tables), pdftotext, openxml-audit and LibreOffice's
//! page count, its figures against the test's own count from the workbooks. Also the
//! workbook's numbers and formulas (openpyxl, Calc), a renumbered plan matching last
//! month's workbook, deadlines, and hostile files.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::agencies::openxml_audit;
use crate::common::*;
use crate::xlsx::{calc, python_module};

/// The report's tables as python-docx reads them: rows of cell texts.
const DOCX_TABLES: &str = r#"
import json, sys, docx
d = docx.Document(sys.argv[1])
print(json.dumps([[[c.text for c in r.cells] for r in t.rows] for t in d.tables], ensure_ascii=False))
"#;

/// Fills the seed's workbook as a clerk (every task but the one agency's) and as that
/// agency (its own tasks, one also filled by the clerk differently), sorts the clerk's
/// Phụ lục II, deletes one of its filled rows and types one Tiến độ past the drop-down.
/// Prints what it wrote.
pub(crate) const FILL_SEED: &str = r#"
import json, sys, openpyxl
from openpyxl.utils import get_column_letter
src, spec_path, out_a, out_b = sys.argv[1:5]
spec = json.load(open(spec_path))
STATUS = ["Đã hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Chậm tiến độ", None]
def cols(ws):
    head = {c.value: c.column for c in ws[1]}
    return head["Tiến độ"], head["Kết quả"], head["Ghi chú"], head["Mã dòng"]
agency = spec["agency_keys"]
conflict = agency[0]
wb = openpyxl.load_workbook(src)
a, i = {}, 0
for name, rows in spec["sheets"].items():
    ws = wb[name]
    p, r, n, k = cols(ws)
    for row in rows:
        key = ws.cell(row, k).value
        if key in agency and key != conflict:
            continue
        i += 1
        status = STATUS[i % 5] or ("Chậm tiến độ" if key == conflict else None)
        if status is None:
            continue
        result = f"Kết quả A{i}: đã triển khai phần việc thứ {i} theo kế hoạch"
        note = f"Ghi chú A{i}" if i % 3 == 0 else ""
        ws.cell(row, p).value = status
        ws.cell(row, r).value = result
        if note:
            ws.cell(row, n).value = note
        a[key] = [status, result, note]
ws = wb["Phụ lục II"]
p, r, n, k = cols(ws)
filled = [row for row in range(2, ws.max_row + 1)
          if ws.cell(row, k).value in a and ws.cell(row, k).value not in agency]
typed_key = ws.cell(filled[0], k).value
ws.cell(filled[0], p).value = "xong rồi"
a[typed_key][0] = "xong rồi"
# Sorted: the data rows in reverse order.
rows = [[ws.cell(row, c).value for c in range(1, k + 1)] for row in range(2, ws.max_row + 1)]
rows.reverse()
for at, values in enumerate(rows, start=2):
    for c, v in enumerate(values, start=1):
        ws.cell(at, c).value = v
# One filled row deleted.
deleted = None
for row in range(2, ws.max_row + 1):
    key = ws.cell(row, k).value
    if key in a and key != typed_key and key not in agency:
        deleted = key
        ws.delete_rows(row)
        del a[key]
        break
typed_at = next(row for row in range(2, ws.max_row + 1) if ws.cell(row, k).value == typed_key)
wb.save(out_a)
wb = openpyxl.load_workbook(src)
b = {}
for name, rows in spec["sheets"].items():
    ws = wb[name]
    p, r, n, k = cols(ws)
    for j, row in enumerate(rows):
        key = ws.cell(row, k).value
        if key not in agency:
            continue
        status = "Đã hoàn thành" if j % 2 == 0 else "Đang thực hiện"
        result = f"Kết quả B{j}: cơ quan chủ trì đã báo cáo việc {j}"
        ws.cell(row, p).value = status
        ws.cell(row, r).value = result
        b[key] = [status, result, ""]
wb.save(out_b)
print(json.dumps({"A": a, "B": b, "typed": {"key": typed_key, "cell": f"{get_column_letter(p)}{typed_at}"},
                  "deleted": deleted, "conflict": conflict}, ensure_ascii=False))
"#;

pub(crate) fn python(script: &str, args: &[&Path]) -> Value {
    let out = Command::new("python3")
        .args(["-c", script])
        .args(args)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("python prints JSON")
}

/// The tracking workbook of `plan` at `xlsx`.
pub(crate) fn export(plan: &Path, xlsx: &Path) {
    let out = phuluc(
        &root(),
        &[
            "export",
            plan.to_str().expect("utf-8"),
            "--format",
            "xlsx",
            "-o",
            xlsx.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Re-saves `files` through LibreOffice Calc into `dir` (same names).
fn calc_resave(files: &[&Path], dir: &Path) -> Vec<PathBuf> {
    let profile = dir.join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(dir)
        .args(files)
        .output()
        .expect("run soffice");
    files
        .iter()
        .map(|f| {
            let p = dir.join(f.file_name().expect("name"));
            assert!(
                p.is_file(),
                "Calc did not re-save {}: {}",
                f.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            p
        })
        .collect()
}

/// For each appendix sheet, the 1-based workbook rows of its body rows (from the
/// composed appendices: the workbook has one row per appendix row, in order).
pub(crate) fn item_rows(plan: &Path) -> BTreeMap<String, Vec<usize>> {
    let json = export_json(plan, &[]);
    let mut out = BTreeMap::new();
    for part in json["parts"].as_array().expect("parts") {
        let rows: Vec<usize> = part["table"]["body"]
            .as_array()
            .expect("body")
            .iter()
            .enumerate()
            .filter(|(_, r)| r["kind"] == "item")
            .map(|(i, _)| i + 2)
            .collect();
        out.insert(part["outline"].as_str().expect("outline").to_owned(), rows);
    }
    out
}

/// The report's tables, read by python-docx.
fn docx_tables(docx: &Path) -> Vec<Vec<Vec<String>>> {
    serde_json::from_value(python(DOCX_TABLES, &[docx])).expect("tables")
}

const SUMMARY_HEADER: [&str; 8] = [
    "Cơ quan",
    "Số nhiệm vụ chủ trì",
    "Đã hoàn thành",
    "Đang thực hiện",
    "Chưa thực hiện",
    "Chậm tiến độ",
    "Chưa báo cáo",
    "Tỷ lệ hoàn thành",
];

/// Which summary column a Tiến độ value counts in (a value outside the list: not
/// reported).
fn column_of(status: &str) -> usize {
    SUMMARY_HEADER[2..6]
        .iter()
        .position(|s| *s == status)
        .unwrap_or(4)
}

/// "50,0%" for done of all.
fn ratio(done: usize, all: usize) -> String {
    let tenths = (done * 1000 + all / 2).checked_div(all).unwrap_or(0);
    format!("{},{}%", tenths / 10, tenths % 10)
}

#[test]
fn filled_workbooks_from_openpyxl_and_calc_give_the_report_with_every_result_and_the_counts() {
    if !(python_module("openpyxl") && python_module("docx") && calc() && tool("pdftotext")) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let plan = seed_yaml();
    let xlsx = d.join("theo-doi.xlsx");
    export(&plan, &xlsx);
    let agencies = crate::agencies::agencies_json();
    let agency = agencies["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .find(|a| a["slug"] == "phong-van-hoa-xa-hoi")
        .expect("the agency");
    let agency_keys: Vec<String> = agency["appendices"]
        .as_array()
        .expect("appendices")
        .iter()
        .flat_map(|a| a["lead_rows"].as_array().expect("rows").iter())
        .map(|r| r["key"].as_str().expect("key").to_owned())
        .collect();
    let spec = d.join("spec.json");
    let spec_json = serde_json::json!({"sheets": item_rows(&plan), "agency_keys": agency_keys});
    std::fs::write(&spec, spec_json.to_string()).expect("spec");
    let filled = d.join("filled");
    std::fs::create_dir_all(&filled).expect("mkdir");
    let (a, b) = (
        filled.join("tong-hop.xlsx"),
        filled.join("phong-van-hoa-xa-hoi.xlsx"),
    );
    let wrote = python(FILL_SEED, &[&xlsx, &spec, &a, &b]);
    let resaved = d.join("resaved");
    let files = calc_resave(&[&a, &b], &resaved);
    let names: Vec<&str> = files.iter().map(|f| f.to_str().expect("utf-8")).collect();
    let out_dir = d.join("out");
    let mut args = vec!["report", plan.to_str().expect("utf-8")];
    args.extend(&names);
    args.extend([
        "--as-of",
        "31/12/2028",
        "-o",
        out_dir.to_str().expect("utf-8"),
    ]);
    let out = phuluc(&root(), &args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");

    // The test's own merge: the agency's own workbook wins, else the clerk's.
    let mut expected: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for (file, values) in [("A", &wrote["A"]), ("B", &wrote["B"])] {
        for (key, v) in values.as_object().expect(file) {
            let s = |i: usize| v[i].as_str().unwrap_or("").to_owned();
            expected.insert(key.clone(), (s(0), s(1), s(2)));
        }
    }
    let typed = &wrote["typed"];
    assert!(
        err.contains(&format!(
            "{}, Phụ lục II!{}: Tiến độ “xong rồi” không có trong danh sách",
            names[0],
            typed["cell"].as_str().expect("cell")
        )),
        "the typed status is a warning naming file, sheet and cell:\n{err}"
    );
    let conflict = wrote["conflict"].as_str().expect("conflict");
    assert!(
        err.contains("các sổ báo cáo khác nhau")
            && err.contains(names[0])
            && err.contains(names[1]),
        "the conflict names both files:\n{err}"
    );
    assert!(
        err.contains(&format!("dùng {} (sổ của cơ quan chủ trì", names[1])),
        "the lead agency's workbook wins {conflict}:\n{err}"
    );

    let docx = out_dir.join("ke-hoach-05-nq-du-bao-cao.docx");
    let pdf = out_dir.join("ke-hoach-05-nq-du-bao-cao.pdf");
    let tables = docx_tables(&docx);
    let body_text: String = tables
        .iter()
        .flatten()
        .flatten()
        .map(|c| collapse(c) + "\n")
        .collect();
    let pdf_text = Extracted::new(&pdftotext(&pdf, &[]));
    for (key, (_, result, note)) in &expected {
        for text in [result, note].into_iter().filter(|t| !t.is_empty()) {
            assert!(
                body_text.contains(&collapse(text)),
                "{key}: {text} in the .docx"
            );
            assert!(pdf_text.contains(text), "{key}: {text} in the PDF");
        }
    }
    let deleted = wrote["deleted"].as_str().expect("deleted");
    assert!(!expected.contains_key(deleted));

    // Each agency's counts, from the workbooks.
    let summary = tables
        .iter()
        .find(|t| t.first().is_some_and(|h| h == &SUMMARY_HEADER))
        .expect("the summary table, its header exactly as asked");
    let mut want = Vec::new();
    let status_of = |key: &str| expected.get(key).map_or("", |v| v.0.as_str()).to_owned();
    let mut all_keys = BTreeSet::new();
    for a in agencies["agencies"].as_array().expect("agencies") {
        let keys: Vec<String> = a["appendices"]
            .as_array()
            .expect("appendices")
            .iter()
            .flat_map(|x| x["lead_rows"].as_array().expect("rows").iter())
            .map(|r| r["key"].as_str().expect("key").to_owned())
            .collect();
        if keys.is_empty() {
            continue;
        }
        let mut counts = [0usize; 5];
        for k in &keys {
            counts[column_of(&status_of(k))] += 1;
        }
        all_keys.extend(keys.iter().cloned());
        want.push(row_of(
            a["name"].as_str().expect("name"),
            keys.len(),
            counts,
        ));
    }
    let tasks: usize = item_rows(&plan).values().map(Vec::len).sum();
    assert!(all_keys.len() <= tasks);
    let mut total = [0usize; 5];
    let mut reported = 0;
    for (s, _, _) in expected.values() {
        total[column_of(s)] += 1;
        reported += 1;
    }
    total[4] += tasks - reported;
    want.push(row_of("Tổng cộng", tasks, total));
    assert_eq!(summary[1..], want[..], "the agency summary");

    // Overdue at 31/12/2028: the tasks due "Năm 2026, 2027" not done.
    let parts = export_json(&plan, &[]);
    let mut overdue_want = BTreeSet::new();
    let workbook_keys = workbook_keys(&xlsx);
    for part in parts["parts"].as_array().expect("parts") {
        let outline = part["outline"].as_str().expect("outline");
        for (i, row) in part["table"]["body"]
            .as_array()
            .expect("body")
            .iter()
            .enumerate()
        {
            if row["kind"] != "item" {
                continue;
            }
            let cells: Vec<&str> = row["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .map(|c| c["text"].as_str().unwrap_or(""))
                .collect();
            let key = &workbook_keys[&(outline.to_owned(), i + 2)];
            if cells[2].trim() == "Năm 2026, 2027" && status_of(key) != "Đã hoàn thành" {
                overdue_want.insert(collapse(cells[1]));
            }
        }
    }
    let overdue = tables
        .iter()
        .find(|t| t.first().is_some_and(|h| h.iter().any(|c| c == "Hạn")))
        .expect("the overdue table");
    let header = &overdue[0];
    let at = |name: &str| header.iter().position(|c| c == name).expect(name);
    let (text_col, status_col, due_col) = (at("Nội dung"), at("Tiến độ"), at("Hạn"));
    let got: BTreeSet<String> = overdue[1..]
        .iter()
        .filter(|r| r[status_col].starts_with("Quá hạn"))
        .map(|r| {
            assert_eq!(r[due_col], "31/12/2027", "{r:?}");
            collapse(&r[text_col])
        })
        .collect();
    assert!(!overdue_want.is_empty());
    assert_eq!(got, overdue_want, "exactly the overdue tasks");

    // Independent readers agree with the writers.
    if let Some((passed, report)) = openxml_audit(&docx) {
        assert!(passed, "openxml-audit on the report:\n{report}");
    }
    let lo = libreoffice_pdf(&docx, &d.join("lo"));
    assert_eq!(pdf_pages(&lo), pdf_pages(&pdf), "LibreOffice's page count");

    // The merged workbook: every result in one file, audited.
    let out = phuluc(&root(), &[&args[..], &["--format", "xlsx"][..]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let merged = out_dir.join("ke-hoach-05-nq-du-bao-cao.xlsx");
    if let Some((passed, report)) = openxml_audit(&merged) {
        assert!(passed, "openxml-audit on the merged workbook:\n{report}");
    }
    let merged_keys = workbook_values(&merged);
    for (key, (status, result, _)) in &expected {
        let got = merged_keys.get(key).expect("key in the merged workbook");
        assert_eq!(&got.1, result, "{key}");
        if status != "xong rồi" {
            assert_eq!(&got.0, status, "{key}");
        }
    }
}

/// A summary row as the report writes it.
fn row_of(name: &str, led: usize, c: [usize; 5]) -> Vec<String> {
    let mut row = vec![name.to_owned(), led.to_string()];
    row.extend(c.iter().map(usize::to_string));
    row.push(ratio(c[0], led));
    row
}

/// (sheet, 1-based row) → key of a workbook phuluc wrote.
fn workbook_keys(xlsx: &Path) -> BTreeMap<(String, usize), String> {
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = []
for ws in wb.worksheets[:-2]:
    k = {c.value: c.column for c in ws[1]}["Mã dòng"]
    for row in range(2, ws.max_row + 1):
        out.append([ws.title, row, ws.cell(row, k).value or ""])
print(json.dumps(out, ensure_ascii=False))
"#;
    python(script, &[xlsx])
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                (
                    r[0].as_str().expect("sheet").to_owned(),
                    r[1].as_u64().expect("row") as usize,
                ),
                r[2].as_str().expect("key").to_owned(),
            )
        })
        .collect()
}

/// key → (Tiến độ, Kết quả) of an appendix-sheet row.
fn workbook_values(xlsx: &Path) -> BTreeMap<String, (String, String)> {
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets[:-2]:
    h = {c.value: c.column for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        key = ws.cell(row, h["Mã dòng"]).value
        if key:
            out[key] = [ws.cell(row, h["Tiến độ"]).value or "", ws.cell(row, h["Kết quả"]).value or ""]
print(json.dumps(out, ensure_ascii=False))
"#;
    python(script, &[xlsx])
        .as_object()
        .expect("object")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                (
                    v[0].as_str().unwrap_or("").to_owned(),
                    v[1].as_str().unwrap_or("").to_owned(),
                ),
            )
        })
        .collect()
}

#[test]
fn amounts_are_numbers_with_the_columns_format_and_totals_are_sum_formulas_calc_agrees_with() {
    if !python_module("openpyxl") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = root().join("data/vi-du-kinh-phi.yaml");
    let xlsx = dir.path().join("kinh-phi.xlsx");
    export(&plan, &xlsx);
    let script = r#"
import json, sys, openpyxl
f = openpyxl.load_workbook(sys.argv[1])
v = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws, wv = f.worksheets[0], v.worksheets[0]
print(json.dumps([[[type(c.value).__name__, c.value if not isinstance(c.value, (int, float)) else c.value, c.number_format, wv.cell(c.row, c.column).value]
                   for c in row[:6]] for row in ws.iter_rows(min_row=2)], ensure_ascii=False, default=str))
"#;
    let rows = python(script, &[&xlsx]);
    let rows = rows.as_array().expect("rows");
    let appendix = &export_json(&plan, &[])["parts"][0]["table"]["body"];
    let body: Vec<&Value> = appendix
        .as_array()
        .expect("body")
        .iter()
        .filter(|r| r["kind"] != "column-numbers")
        .collect();
    assert_eq!(rows.len(), body.len(), "one workbook row per appendix row");
    let figure = |text: &str| -> Option<f64> {
        (!text.is_empty()).then(|| {
            text.replace('.', "")
                .replace(',', ".")
                .parse()
                .expect("figure")
        })
    };
    let mut totals = 0;
    for (got, want) in rows.iter().zip(&body) {
        let kind = want["kind"].as_str().expect("kind");
        if !["item", "total"].contains(&kind) {
            continue;
        }
        let cells = want["cells"].as_array().expect("cells");
        // A total row's label spans the columns before the amounts.
        let texts: Vec<&str> = if kind == "total" {
            std::iter::repeat_n("", 2)
                .chain(cells[1..].iter().map(|c| c["text"].as_str().unwrap_or("")))
                .collect()
        } else {
            cells
                .iter()
                .map(|c| c["text"].as_str().unwrap_or(""))
                .collect()
        };
        for col in 2..6 {
            let cell = &got[col];
            let Some(want) = figure(texts[col]) else {
                continue;
            };
            assert_eq!(cell[2], "#,##0.0", "{kind} {col}: the column's format");
            let cached = cell[3].as_f64().expect("a number");
            assert!((cached - want).abs() < 1e-9, "{kind}: {cached} ≠ {want}");
            match (kind, col) {
                ("total", _) | (_, 2) => {
                    let formula = cell[1].as_str().expect("a formula");
                    assert!(formula.starts_with("=SUM("), "{formula}");
                    totals += usize::from(kind == "total");
                }
                _ => assert!(
                    ["int", "float"].contains(&cell[0].as_str().expect("type")),
                    "{cell:?}: a number, not text"
                ),
            }
        }
    }
    assert!(totals >= 4 * 5, "the grand total and the groups' subtotals");
    if let Some((passed, report)) = openxml_audit(&xlsx) {
        assert!(passed, "{report}");
    }
    if !calc() {
        return;
    }
    // Calc recalculates every formula on its re-save: the same figures.
    let resaved = calc_resave(&[&xlsx], &dir.path().join("calc"));
    let again = python(script, &[&resaved[0]]);
    for (a, b) in rows.iter().zip(again.as_array().expect("rows")) {
        for col in 2..6 {
            if let (Some(x), Some(y)) = (a[col][3].as_f64(), b[col][3].as_f64()) {
                assert!((x - y).abs() < 1e-9, "Calc computes {y}, phuluc cached {x}");
            }
        }
    }
}

/// Fills every body row of a workbook with a result naming its own task text.
const FILL_BY_TEXT: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
h = {c.value: c.column for c in ws[1]}
out = {}
for row in range(2, ws.max_row + 1):
    stt = ws.cell(row, 1).value or ""
    if "." not in stt:
        continue
    text = ws.cell(row, h["Nhiệm vụ cụ thể"]).value
    ws.cell(row, h["Tiến độ"]).value = "Đang thực hiện"
    ws.cell(row, h["Kết quả"]).value = "Kết quả của: " + text
    out[text] = "Kết quả của: " + text
wb.save(sys.argv[2])
print(json.dumps(out, ensure_ascii=False))
"#;

#[test]
fn a_renumbered_and_reordered_plan_still_matches_last_months_workbook() {
    if !(python_module("openpyxl") && python_module("docx")) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let old = fixture("report/lan-1.yaml");
    let new = fixture("report/lan-2.yaml");
    let xlsx = d.join("thang-truoc.xlsx");
    export(&old, &xlsx);
    let filled = d.join("da-dien.xlsx");
    let wrote = python(FILL_BY_TEXT, &[&xlsx, &filled]);
    assert_eq!(wrote.as_object().expect("rows").len(), 4);
    let out = phuluc(
        &root(),
        &[
            "report",
            new.to_str().expect("utf-8"),
            filled.to_str().expect("utf-8"),
            "--as-of",
            "01/03/2026",
            "-o",
            d.to_str().expect("utf-8"),
            "--format",
            "docx",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("không ghép được"),
        "every row found its task:\n{err}"
    );
    // The row with an id was reworded: matched by its id, both texts shown.
    assert!(
        err.contains("nội dung trong sổ khác kế hoạch; vẫn ghép theo mã dòng")
            && err.contains("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính")
            && err.contains("Số hóa toàn bộ hồ sơ"),
        "{err}"
    );
    // It names the workbook's cell of the text ("…, Phụ lục I!B14"), not only its row.
    for warning in [
        "nội dung trong sổ khác kế hoạch",
        "ghép với dòng gần giống nhất",
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(warning))
            .unwrap_or_default();
        // "cảnh báo: FILE.xlsx, SHEET!CELL: …"
        let place = line.split_once(".xlsx, ").map_or("", |(_, rest)| rest);
        let place = place.split_once(": ").map_or("", |(p, _)| p);
        let cell = place.rsplit_once('!').map(|(_, at)| at).unwrap_or_default();
        assert!(
            cell.starts_with('B') && cell[1..].parse::<u32>().is_ok(),
            "the text's cell is named: {line}"
        );
    }
    // The reworded row without an id: matched by similarity, both texts shown.
    assert!(
        err.contains("ghép với dòng gần giống nhất") && err.contains("Rà soát các thủ tục"),
        "{err}"
    );
    let tables = docx_tables(&d.join("lan-2-bao-cao.docx"));
    let body = &tables[0];
    let at = |name: &str| body[0].iter().position(|c| c == name).expect(name);
    let (text, result, status) = (at("Nội dung"), at("Kết quả"), at("Tiến độ"));
    let rows: BTreeMap<String, (String, String)> = body[1..]
        .iter()
        // A heading row is one cell across: python-docx repeats it in every column.
        .filter(|r| r[text] != r[status])
        .map(|r| (collapse(&r[text]), (r[status].clone(), r[result].clone())))
        .collect();
    let want = |new_text: &str, old_text: &str| {
        let (s, r) = rows
            .get(new_text)
            .unwrap_or_else(|| panic!("{new_text} in {rows:?}"));
        assert_eq!(s, "Đang thực hiện", "{new_text}");
        assert_eq!(r, &format!("Kết quả của: {old_text}"), "{new_text}");
    };
    want(
        "Triển khai thanh toán trực tuyến phí, lệ phí.",
        "Triển khai thanh toán trực tuyến phí, lệ phí",
    );
    want(
        "Số hóa toàn bộ hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    );
    want(
        "Niêm yết công khai thủ tục hành chính tại bộ phận một cửa",
        "Niêm yết công khai thủ tục hành chính tại bộ phận một cửa",
    );
    want(
        "Rà soát các thủ tục hành chính thuộc thẩm quyền giải quyết của phường",
        "Rà soát thủ tục hành chính thuộc thẩm quyền giải quyết của phường",
    );
    let added = &rows["Tuyên truyền về cải cách hành chính trên trang thông tin điện tử"];
    assert_eq!(
        added,
        &("Chưa báo cáo".to_owned(), String::new()),
        "a new task"
    );
}

#[test]
fn deadlines_are_read_from_the_plans_phrases_and_overdue_tasks_listed() {
    if !python_module("docx") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let plan = fixture("report/han.yaml");
    let xlsx = d.join("han.xlsx");
    export(&plan, &xlsx);
    // Two tasks reported done (they are due but not overdue); the rest not reported.
    let filled = d.join("han-da-dien.xlsx");
    let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
ws["G3"] = "Đã hoàn thành"
ws["G5"] = "Đã hoàn thành"
wb.save(sys.argv[2])
print("{}")
"#;
    if !python_module("openpyxl") {
        return;
    }
    python(script, &[&xlsx, &filled]);
    let out = phuluc(
        &root(),
        &[
            "report",
            plan.to_str().expect("utf-8"),
            filled.to_str().expect("utf-8"),
            "--as-of",
            "01/07/2026",
            "-o",
            d.to_str().expect("utf-8"),
            "--format",
            "all",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "Phụ lục I, mục 10: không đọc được hạn từ “Lộ trình thực hiện”: “Sớm nhất có thể”"
        ),
        "an unreadable phrase names the row:\n{err}"
    );
    // The test's own reading of the fixture's phrases, as of 01/07/2026.
    let due = [
        ("1", "31/12/2026"),
        ("2", "30/06/2026"),
        ("3", "30/06/2026"),
        ("4", "30/06/2026"),
        ("5", "15/03/2026"),
        ("6", "30/06/2026"),
        ("7", "31/12/2027"),
    ];
    // Row 2 (G3) and row 4 (G5) are done.
    let want: BTreeSet<(String, String)> = due
        .iter()
        .filter(|(n, date)| {
            let (dd, mm, yy): (u32, u32, u32) = (
                date[0..2].parse().expect("d"),
                date[3..5].parse().expect("m"),
                date[6..].parse().expect("y"),
            );
            (yy, mm, dd) < (2026, 7, 1) && !["2", "4"].contains(n)
        })
        .map(|(n, date)| ((*n).to_owned(), (*date).to_owned()))
        .collect();
    let tables = docx_tables(&d.join("han-bao-cao.docx"));
    let overdue = tables.last().expect("the overdue table");
    let header = &overdue[0];
    let at = |name: &str| header.iter().position(|c| c == name).expect(name);
    let got: BTreeSet<(String, String)> = overdue[1..]
        .iter()
        .filter(|r| r[at("Tiến độ")].starts_with("Quá hạn"))
        .map(|r| (r[at("Stt")].clone(), r[at("Hạn")].clone()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        want.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["3", "5", "6"]
    );
    // The PDF's overdue page shows each deadline whole: the "Hạn" column was too narrow
    // for "30/06/2026" and broke it as "30/06/202" / "6".
    if tool("pdftotext") {
        let pdf = d.join("han-bao-cao.pdf");
        let pages = pdftotext(&pdf, &[]);
        let last = pages.split('\u{c}').rfind(|p| !p.trim().is_empty());
        let words: Vec<&str> = last.unwrap_or_default().split_whitespace().collect();
        for (n, date) in &want {
            assert!(
                words.contains(&date.as_str()),
                "task {n}'s {date} whole in the PDF"
            );
        }
    }
}

/// `xlsx` with part `part` changed by `edit` (the other parts as they are).
pub(crate) fn rewrite(xlsx: &Path, part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    let bytes = std::fs::read(xlsx).expect("read");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().to_owned();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read entry");
        if name == part {
            data = edit(String::from_utf8(data).expect("xml")).into_bytes();
        }
        out.start_file(name, opts).expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// Inserts `cells` (XML) at the end of sheet data.
fn append_rows(xml: String, rows: &str) -> String {
    xml.replace("</sheetData>", &format!("{rows}</sheetData>"))
}

/// Runs the report of the seed on `bytes` written as `name` in `dir`: exit code, stderr.
fn report_on(dir: &Path, name: &str, bytes: &[u8]) -> (Option<i32>, String) {
    let file = dir.join(name);
    std::fs::write(&file, bytes).expect("write");
    let out_dir = dir.join(format!("out-{name}"));
    let out = phuluc(
        &root(),
        &[
            "report",
            seed_yaml().to_str().expect("utf-8"),
            file.to_str().expect("utf-8"),
            "--as-of",
            "30/06/2026",
            "-o",
            out_dir.to_str().expect("utf-8"),
            "--format",
            "docx",
        ],
    );
    let code = out.status.code();
    if code != Some(0) {
        assert!(!out_dir.exists(), "{name}: nothing written on an error");
    }
    (code, stderr(&out))
}

#[test]
fn hostile_and_wrong_workbooks_are_refused_or_read_in_bounds_never_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let xlsx = d.join("theo-doi.xlsx");
    export(&seed_yaml(), &xlsx);
    let sheet2 = "xl/worksheets/sheet2.xml";
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        (
            "khong-phai-zip.xlsx",
            b"hello".to_vec(),
            1,
            "tệp không phải bảng tính Excel (.xlsx)",
        ),
        (
            "mat-khau.xlsx",
            [
                [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1].as_slice(),
                &[0; 1024],
            ]
            .concat(),
            1,
            "tệp được đặt mật khẩu, hoặc là tệp .xls cũ",
        ),
        (
            "van-ban.xlsx",
            zip_of(&[("word/document.xml", b"<w:document/>")]),
            1,
            "tệp không phải bảng tính Excel (.xlsx)",
        ),
        (
            "bom-zip.xlsx",
            bomb(&xlsx),
            1,
            "giải nén ra quá 64 MB (có thể là “bom zip”)",
        ),
        (
            "trieu-dong.xlsx",
            rewrite(&xlsx, sheet2, |x| {
                let rows: String = (100..1_100_000)
                    .map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\"><v>1</v></c></row>"))
                    .collect();
                append_rows(x, &rows)
            }),
            1,
            "có hơn 100000 dòng có nội dung",
        ),
        (
            "o-10-mb.xlsx",
            rewrite(&xlsx, sheet2, |x| {
                append_rows(
                    x,
                    &format!(
                        "<row r=\"200\"><c r=\"H200\" t=\"inlineStr\"><is><t>{}</t></is></c></row>",
                        "x".repeat(10 << 20)
                    ),
                )
            }),
            0,
            "Phụ lục II!H200: ô dài 10485760 ký tự, chỉ đọc 32767 ký tự đầu",
        ),
        (
            "cong-thuc.xlsx",
            rewrite(&xlsx, sheet2, |x| {
                let rows: String = (100..3_000)
                    .map(|r| {
                        let cells: String = (0..40)
                            .map(|c| {
                                format!("<c r=\"{}{r}\"><f>SUM(A1:A10)</f><v>0</v></c>", col(c))
                            })
                            .collect();
                        format!("<row r=\"{r}\">{cells}</row>")
                    })
                    .collect();
                append_rows(x, &rows)
            }),
            0,
            "26 nhiệm vụ",
        ),
        (
            "o-xa.xlsx",
            rewrite(&xlsx, sheet2, |x| {
                append_rows(
                    x,
                    "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>",
                )
            }),
            0,
            "26 nhiệm vụ",
        ),
        (
            "doi-ten.xlsx",
            rewrite(&xlsx, "xl/workbook.xml", |x| {
                x.replace("name=\"Phụ lục II\"", "name=\"PL2 đã sửa\"")
            }),
            0,
            "trang tính “PL2 đã sửa” không mang tên phụ lục nào của kế hoạch (đã đổi tên?); các dòng vẫn được đọc theo mã dòng — là dòng của Phụ lục II",
        ),
    ];
    for (name, bytes, code, want) in &cases {
        let (got, err) = report_on(d, name, bytes);
        assert_eq!(got, Some(*code), "{name}:\n{err}");
        assert!(err.contains(want), "{name}: {want}\n{err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    // A workbook of another plan.
    let other = d.join("kinh-phi.xlsx");
    export(&root().join("data/vi-du-kinh-phi.yaml"), &other);
    let (code, err) = report_on(
        d,
        "ke-hoach-khac.xlsx",
        &std::fs::read(&other).expect("read"),
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("ke-hoach-khac.xlsx: không phải sổ theo dõi của kế hoạch này"),
        "{err}"
    );
    // A file that does not exist is the tool's failure to read (exit 2).
    let (code, err) = {
        let out = phuluc(
            &root(),
            &[
                "report",
                seed_yaml().to_str().expect("utf-8"),
                "/nonexistent/x.xlsx",
            ],
        );
        (out.status.code(), stderr(&out))
    };
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("không đọc được tệp"), "{err}");
}

/// A1 column letters of 0-based `c` (under 702).
fn col(c: usize) -> String {
    if c < 26 {
        ((b'A' + c as u8) as char).to_string()
    } else {
        format!(
            "{}{}",
            (b'A' + (c / 26 - 1) as u8) as char,
            (b'A' + (c % 26) as u8) as char
        )
    }
}

/// `xlsx` with a part of 300 MB of zeros added: a few hundred KB on disk.
pub(crate) fn bomb(xlsx: &Path) -> Vec<u8> {
    let bytes = rewrite(xlsx, "", |x| x);
    let mut zip = zip::ZipWriter::new_append(std::io::Cursor::new(bytes)).expect("append");
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    zip.start_file("xl/media/bom.bin", opts).expect("start");
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&chunk).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

#[test]
fn a_cell_reference_past_xfd1048576_overflowed_calamine_and_panicked() {
    // Found by fuzzing (fuzz/README.md, the report target): calamine multiplies the
    // letters of "A1:JMMMM…27" into a u32 until it overflows.
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = dir.path().join("theo-doi.xlsx");
    export(&seed_yaml(), &xlsx);
    let bytes = rewrite(&xlsx, "xl/worksheets/sheet2.xml", |x| {
        let start = x.find("<dimension ref=\"").expect("dimension") + "<dimension ref=\"".len();
        let end = start + x[start..].find('"').expect("end");
        format!("{}A1:J{}27{}", &x[..start], "M".repeat(90), &x[end..])
    });
    let (code, err) = report_on(dir.path(), "tham-chieu.xlsx", &bytes);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(
            "xl/worksheets/sheet2.xml của tệp bị mã hóa hoặc hỏng (tham chiếu ô “A1:JMMMM"
        ),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
