//! After signing: `phuluc agencies` and `phuluc render --by-agency`, judged against the
//! seed's rows read straight from its YAML by a helper of this file's own (its own
//! folding of spellings), against `phuluc export --format json` for row numbers and
//! texts, and through independent readers: the .docx's XML (roxmltree), pdftotext,
//! pdffonts, qpdf and openxml-audit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::*;
use crate::docx::unzip;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Two agency spellings name one agency when this gives the same key: case and spacing
/// folded, "-" a space, a trailing "phường", "xã" or "thị trấn" dropped. Written here
/// again on purpose: the test does not trust phuluc's folding.
fn own_fold(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-' || c == '–')
        .filter(|w| !w.is_empty())
        .collect();
    loop {
        let n = words.len();
        if n > 2 && words[n - 2] == "thị" && words[n - 1] == "trấn" {
            words.truncate(n - 2);
        } else if n > 1 && (words[n - 1] == "phường" || words[n - 1] == "xã") {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

/// One body row of the seed, read from the YAML: its appendix (0-based) and the folded
/// keys of the agencies leading and supporting it.
#[derive(Debug, Clone)]
pub struct SeedRow {
    pub appendix: usize,
    pub lead: BTreeSet<String>,
    pub support: BTreeSet<String>,
}

/// The agencies of a cell. The seed joins two agencies in one entry once, with ";"
/// ("Ban Xây dựng Đảng đảng ủy phường; phòng Văn hóa - Xã hội"): they count as two.
fn names(v: &Value) -> BTreeSet<String> {
    let entries: Vec<&str> = match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    entries
        .into_iter()
        .flat_map(|e| e.split(';'))
        .map(own_fold)
        .collect()
}

/// The rows of `holder` (a section or an appendix): its groups' rows, then its own.
fn collect_items<'v>(holder: &'v Value, items: &mut Vec<&'v Value>) {
    for g in holder["groups"].as_array().into_iter().flatten() {
        items.extend(g["items"].as_array().into_iter().flatten());
    }
    items.extend(holder["items"].as_array().into_iter().flatten());
}

/// Every body row of the seed in document order, from the YAML itself.
pub fn seed_rows() -> Vec<SeedRow> {
    let src = std::fs::read_to_string(seed_yaml()).expect("seed");
    let plan: Value = serde_saphyr::from_str(&src).expect("seed parses as YAML");
    let mut rows = Vec::new();
    let appendices = plan["appendices"].as_array().expect("appendices");
    for (a, appendix) in appendices.iter().enumerate() {
        let mut items: Vec<&Value> = Vec::new();
        // Groups and items of a holder are exclusive, so the order here is the order.
        for s in appendix["sections"].as_array().into_iter().flatten() {
            collect_items(s, &mut items);
        }
        collect_items(appendix, &mut items);
        for item in items {
            rows.push(SeedRow {
                appendix: a,
                lead: names(&item["chu_tri"]),
                support: names(&item["phoi_hop"]),
            });
        }
    }
    rows
}

/// Runs phuluc and expects exit 0.
fn ok(args: &[&str]) -> std::process::Output {
    let out = phuluc(&root(), args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    out
}

fn seed() -> String {
    seed_yaml().to_str().expect("utf-8 path").to_owned()
}

/// `phuluc agencies --format json` of the seed.
pub fn agencies_json() -> Value {
    let out = ok(&["agencies", &seed(), "--format", "json"]);
    serde_json::from_slice(&out.stdout).expect("agencies prints JSON")
}

/// One row of the composed appendices, from `phuluc export --format json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    pub kind: String,
    /// The number column's text.
    pub number: String,
    /// The main text (second column; a heading's text).
    pub text: String,
    /// Every cell's text.
    pub cells: Vec<String>,
}

/// Per appendix: its header texts and its body rows.
pub fn composed() -> Vec<(Vec<String>, Vec<Composed>)> {
    let out = ok(&["export", &seed(), "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).expect("export JSON");
    let text = |c: &Value| c["text"].as_str().expect("text").to_owned();
    doc["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| {
            let header = p["table"]["header"][0]["cells"]
                .as_array()
                .expect("header")
                .iter()
                .map(text)
                .collect();
            let body = p["table"]["body"]
                .as_array()
                .expect("body")
                .iter()
                .map(|r| {
                    let cells: Vec<String> = r["cells"]
                        .as_array()
                        .expect("cells")
                        .iter()
                        .map(text)
                        .collect();
                    Composed {
                        kind: r["kind"].as_str().expect("kind").to_owned(),
                        number: cells[0].clone(),
                        text: cells.get(1).cloned().unwrap_or_default(),
                        cells,
                    }
                })
                .collect();
            (header, body)
        })
        .collect()
}

/// The (number, text) rows an agency's extract of one appendix must hold, in order:
/// part A its lead rows, part B its support rows, each under the section and group
/// headings it stands under in the appendix. Empty when it has no row there.
fn expected_extract(body: &[Composed], rows: &[&SeedRow], key: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (letter, heading, lead) in [
        ("A", "CHỦ TRÌ THỰC HIỆN", true),
        ("B", "PHỐI HỢP THỰC HIỆN", false),
    ] {
        let mut part = Vec::new();
        let (mut section, mut group): (Option<&Composed>, Option<&Composed>) = (None, None);
        let (mut shown_section, mut shown_group) = (false, false);
        let mut items = rows.iter();
        for row in body {
            match row.kind.as_str() {
                "section" => {
                    (section, group, shown_section, shown_group) = (Some(row), None, false, false)
                }
                "group" => (group, shown_group) = (Some(row), false),
                _ => {
                    let seed = items.next().expect("as many seed rows as composed ones");
                    let names = if lead { &seed.lead } else { &seed.support };
                    if !names.contains(key) {
                        continue;
                    }
                    if let (Some(s), false) = (section, shown_section) {
                        part.push((s.number.clone(), s.text.clone()));
                        shown_section = true;
                    }
                    if let (Some(g), false) = (group, shown_group) {
                        part.push((g.number.clone(), g.text.clone()));
                        shown_group = true;
                    }
                    part.push((row.number.clone(), row.text.clone()));
                }
            }
        }
        if !part.is_empty() {
            out.push((letter.to_owned(), heading.to_owned()));
            out.extend(part);
        }
    }
    out
}

/// Each table of a .docx: its rows as the collapsed texts of their cells (header row
/// included).
fn docx_tables(docx: &Path) -> Vec<Vec<Vec<String>>> {
    let parts = unzip(docx);
    let xml = parts.get("word/document.xml").expect("document.xml");
    let doc = roxmltree::Document::parse(xml).expect("document.xml parses");
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "tbl")))
        .map(|tbl| {
            tbl.children()
                .filter(|n| n.has_tag_name((W, "tr")))
                .map(|tr| {
                    tr.children()
                        .filter(|n| n.has_tag_name((W, "tc")))
                        .map(|tc| {
                            let mut text = String::new();
                            for n in tc.descendants() {
                                if n.has_tag_name((W, "t")) {
                                    text.push_str(n.text().unwrap_or(""));
                                } else if n.has_tag_name((W, "br")) || n.has_tag_name((W, "p")) {
                                    text.push(' ');
                                }
                            }
                            collapse(&text)
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The seed's extracts, rendered once per test into a temp dir.
fn render_by_agency(extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = vec![
        "render".to_owned(),
        seed(),
        "--by-agency".to_owned(),
        "-o".to_owned(),
        dir.path().to_str().expect("utf-8").to_owned(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ok(&args);
    (dir, out)
}

/// (name, slug, folded key) of every agency `phuluc agencies` lists.
fn listed(json: &Value) -> Vec<(String, String, String)> {
    json["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .map(|a| {
            let name = a["name"].as_str().expect("name").to_owned();
            (
                name.clone(),
                a["slug"].as_str().expect("slug").to_owned(),
                own_fold(&name),
            )
        })
        .collect()
}

#[test]
fn agencies_of_the_seed_equal_what_the_rows_say() {
    let rows = seed_rows();
    // The helper's own count: per folded name, per appendix, (lead, support).
    let mut counts: BTreeMap<String, [(usize, usize); 2]> = BTreeMap::new();
    for row in &rows {
        for key in &row.lead {
            counts.entry(key.clone()).or_default()[row.appendix].0 += 1;
        }
        for key in &row.support {
            counts.entry(key.clone()).or_default()[row.appendix].1 += 1;
        }
    }
    let json = agencies_json();
    assert_eq!(json["version"], 1);
    assert_eq!(
        json["appendices"],
        serde_json::json!(["Phụ lục I", "Phụ lục II"])
    );
    let mut seen = BTreeMap::new();
    for agency in json["agencies"].as_array().expect("agencies") {
        let name = agency["name"].as_str().expect("name");
        let key = own_fold(name);
        for spelling in agency["spellings"].as_array().expect("spellings") {
            assert_eq!(
                own_fold(spelling.as_str().expect("a spelling")),
                key,
                "{spelling} is listed under {name}"
            );
        }
        let per: Vec<(usize, usize)> = agency["appendices"]
            .as_array()
            .expect("per appendix")
            .iter()
            .map(|a| {
                let n = |k: &str| a[k].as_u64().expect("a count") as usize;
                assert_eq!(n("lead"), a["lead_rows"].as_array().expect("rows").len());
                assert_eq!(
                    n("support"),
                    a["support_rows"].as_array().expect("rows").len()
                );
                (n("lead"), n("support"))
            })
            .collect();
        let total = per.iter().fold((0, 0), |(l, s), (a, b)| (l + a, s + b));
        assert_eq!(
            (agency["lead"].as_u64(), agency["support"].as_u64()),
            (Some(total.0 as u64), Some(total.1 as u64)),
            "{name}: totals"
        );
        assert!(
            seen.insert(key.clone(), per).is_none(),
            "{name} is listed twice"
        );
    }
    let expected: BTreeMap<String, Vec<(usize, usize)>> =
        counts.into_iter().map(|(k, v)| (k, v.to_vec())).collect();
    assert_eq!(seen, expected, "agencies and their counts, per appendix");
    // The seed spells Phòng Văn hóa - Xã hội two ways; they are one agency.
    assert!(seen.contains_key(&own_fold("Phòng Văn hóa - Xã hội")));
    assert_eq!(
        seen.len(),
        10,
        "the seed names 10 agencies (its “…; …” entry joins two of them)"
    );
    assert!(
        !json["agencies"]
            .as_array()
            .expect("agencies")
            .iter()
            .any(|a| a["name"].as_str().is_some_and(|n| n.contains(';'))),
        "no agency is named by a joined entry"
    );

    // Text and Markdown say the same counts.
    let text = String::from_utf8(ok(&["agencies", &seed()]).stdout).expect("utf-8");
    let markdown = String::from_utf8(ok(&["agencies", &seed(), "--format", "markdown"]).stdout)
        .expect("utf-8");
    for agency in json["agencies"].as_array().expect("agencies") {
        let name = agency["name"].as_str().expect("name");
        let per = &seen[&own_fold(name)];
        let cells: Vec<String> = per
            .iter()
            .chain(std::iter::once(&(
                agency["lead"].as_u64().expect("lead") as usize,
                agency["support"].as_u64().expect("support") as usize,
            )))
            .map(|(l, s)| format!("{l} / {s}"))
            .collect();
        let line = text
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} missing from the text table:\n{text}"));
        let got: Vec<&str> = line[name.len()..]
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(got, cells, "text line of {name}");
        let md: Vec<String> = per
            .iter()
            .flat_map(|(l, s)| [l.to_string(), s.to_string()])
            .collect();
        let row = format!("| {} | {} |", name.replace('|', "\\|"), md.join(" | "));
        assert!(markdown.contains(&row), "{row} missing from\n{markdown}");
    }
    assert!(
        text.contains("cách viết khác: Phòng Văn hóa - Xã hội"),
        "{text}"
    );
}

#[test]
fn each_agency_extract_holds_exactly_its_rows_numbered_as_in_the_plan() {
    let rows = seed_rows();
    let composed = composed();
    let json = agencies_json();
    let agencies = listed(&json);
    let (dir, out) = render_by_agency(&["--format", "docx"]);
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .expect("out dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut wanted: Vec<String> = agencies
        .iter()
        .map(|(_, slug, _)| format!("{slug}.docx"))
        .collect();
    wanted.sort();
    assert_eq!(
        written,
        wanted,
        "one .docx per agency, named after it\n{}",
        stderr(&out)
    );
    assert!(wanted.contains(&"phong-van-hoa-xa-hoi.docx".to_owned()));

    // For the union check: which agencies' part A holds each row.
    let mut led_by: BTreeMap<(usize, String), BTreeSet<String>> = BTreeMap::new();
    for (name, slug, key) in &agencies {
        let tables = docx_tables(&dir.path().join(format!("{slug}.docx")));
        let mut expected_tables = Vec::new();
        for (a, (header, body)) in composed.iter().enumerate() {
            let own: Vec<&SeedRow> = rows.iter().filter(|r| r.appendix == a).collect();
            let want = expected_extract(body, &own, key);
            if !want.is_empty() {
                expected_tables.push((a, header, want));
            }
        }
        assert_eq!(
            tables.len(),
            expected_tables.len(),
            "{name}: one table per appendix with its rows"
        );
        for (table, (a, header, want)) in tables.iter().zip(&expected_tables) {
            assert_eq!(
                &table[0].iter().map(|c| collapse(c)).collect::<Vec<_>>(),
                &header.iter().map(|c| collapse(c)).collect::<Vec<_>>(),
                "{name}: the appendix's header row"
            );
            let got: Vec<(String, String)> = table[1..]
                .iter()
                .map(|r| (r[0].clone(), r.get(1).cloned().unwrap_or_default()))
                .collect();
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(n, t)| (collapse(n), collapse(t)))
                .collect();
            assert_eq!(
                got,
                want,
                "{name}, Phụ lục {}: rows, numbers and headings",
                a + 1
            );
            let mut in_a = true;
            for (number, text) in &got {
                match number.as_str() {
                    "A" => in_a = true,
                    "B" => in_a = false,
                    _ if in_a => {
                        led_by
                            .entry((*a, text.clone()))
                            .or_default()
                            .insert(key.clone());
                    }
                    _ => {}
                }
            }
        }
    }
    // The union over agencies of the rows in part A is every row with a lead agency,
    // and each such row is in the part A of exactly its lead agencies.
    let mut want_led: BTreeMap<(usize, String), BTreeSet<String>> = BTreeMap::new();
    for (a, (_, body)) in composed.iter().enumerate() {
        let own: Vec<&SeedRow> = rows.iter().filter(|r| r.appendix == a).collect();
        let items = body.iter().filter(|r| r.kind == "item");
        for (row, seed) in items.zip(own) {
            if !seed.lead.is_empty() {
                want_led.insert((a, collapse(&row.text)), seed.lead.clone());
            }
        }
    }
    // Section and group headings sit in part A too; only rows count.
    led_by.retain(|k, _| want_led.contains_key(k));
    assert_eq!(
        led_by, want_led,
        "part A over all agencies = every row with a lead agency"
    );
    let with_lead = rows.iter().filter(|r| !r.lead.is_empty()).count();
    assert_eq!(
        want_led.len(),
        with_lead,
        "row texts are unique in the seed"
    );
}

#[test]
fn each_agency_pdf_holds_its_rows_and_no_other_in_decree_30_pages() {
    if !(tool("pdftotext") && tool("pdffonts") && tool("qpdf")) {
        return;
    }
    let rows = seed_rows();
    let composed = composed();
    let agencies = listed(&agencies_json());
    let (dir, _) = render_by_agency(&["--format", "pdf"]);
    let all: Vec<(usize, String, &SeedRow)> = composed
        .iter()
        .enumerate()
        .flat_map(|(a, (_, body))| {
            body.iter()
                .filter(|r| r.kind == "item")
                .map(move |r| (a, r.text.clone()))
        })
        .zip(&rows)
        .map(|((a, t), s)| (a, t, s))
        .collect();
    for (name, slug, key) in &agencies {
        let pdf = dir.path().join(format!("{slug}.pdf"));
        let text = pdftotext(&pdf, &[]);
        let extracted = Extracted::new(&text);
        let mine: Vec<&String> = all
            .iter()
            .filter(|(_, _, s)| s.lead.contains(key) || s.support.contains(key))
            .map(|(_, t, _)| t)
            .collect();
        for t in &mine {
            assert!(extracted.contains(t), "{name}: its row is missing: {t}");
        }
        for (_, t, _) in all.iter().filter(|(_, t, _)| !mine.contains(&t)) {
            assert!(
                !extracted.contains(t),
                "{name}: a row of another agency: {t}"
            );
        }
        let heading = format!("DANH MỤC NHIỆM VỤ GIAO {}", name.to_uppercase());
        assert!(extracted.contains(&heading), "{name}: heading missing");
        let appendices: BTreeSet<usize> = all
            .iter()
            .filter(|(_, t, _)| mine.contains(&t))
            .map(|(a, _, _)| *a)
            .collect();
        for a in appendices {
            let roman = ["I", "II"][a];
            assert!(
                extracted.contains(&format!("(Trích Phụ lục {roman} kèm theo Kế hoạch số")),
                "{name}: reference line of Phụ lục {roman}"
            );
        }
        // Decree 30 pages: numbers in the top margin, none on an appendix's first page
        // (the one with the heading), restarting at 2 on the next.
        let mut expected = 0;
        for page in 1..=pdf_pages(&pdf) {
            let ws = crate::pdf::words(&pdf, page);
            let first = ws.iter().any(|w| w.4 == "DANH");
            expected = if first { 1 } else { expected + 1 };
            let top: Vec<&str> = ws
                .iter()
                .filter(|w| w.1 < 20.0 * crate::pdf::MM)
                .map(|w| w.4.as_str())
                .collect();
            if first {
                assert!(top.is_empty(), "{name}, page {page}: unnumbered: {top:?}");
            } else {
                assert_eq!(top, [expected.to_string()], "{name}, page {page}");
                assert!(
                    ws.iter().any(|w| w.4 == "Stt"),
                    "{name}, page {page}: the header row repeats"
                );
            }
        }
        let fonts = Command::new("pdffonts")
            .arg(&pdf)
            .output()
            .expect("pdffonts");
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        for line in fonts.lines().skip(2) {
            assert!(
                line.contains(" yes yes yes "),
                "{name}: font not embedded, subset, with ToUnicode: {line}"
            );
        }
        let check = Command::new("qpdf")
            .arg("--check")
            .arg(&pdf)
            .output()
            .expect("qpdf");
        assert!(check.status.success(), "{name}: qpdf --check");
    }
}

#[test]
fn by_agency_gives_the_same_bytes_for_the_same_plan() {
    let (one, _) = render_by_agency(&[]);
    let (two, _) = render_by_agency(&[]);
    let files = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        v.sort();
        v
    };
    let (a, b) = (files(one.path()), files(two.path()));
    assert_eq!(a.len(), 20, "10 agencies, a .docx and a PDF each");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.file_name(), y.file_name());
        assert!(
            std::fs::read(x).expect("read") == std::fs::read(y).expect("read"),
            "{} differs between two renders",
            x.display()
        );
    }
}

#[test]
fn agency_option_writes_just_that_agency_and_an_unknown_name_writes_nothing() {
    // Any spelling of the agency finds it, and so does its file name.
    for name in [
        "Phòng Văn hóa - Xã hội",
        "phòng văn hóa - xã hội phường",
        "phong-van-hoa-xa-hoi",
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = ok(&[
            "render",
            &seed(),
            "--agency",
            name,
            "-o",
            dir.path().to_str().expect("utf-8"),
        ]);
        let mut files: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(
            files,
            ["phong-van-hoa-xa-hoi.docx", "phong-van-hoa-xa-hoi.pdf"],
            "{}",
            stderr(&out)
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "render",
            &seed(),
            "--agency",
            "Phòng Tư pháp",
            "-o",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("kế hoạch không có cơ quan “Phòng Tư pháp”"),
        "{err}"
    );
    assert!(
        err.contains("“Phòng Văn hóa - Xã hội phường” (phong-van-hoa-xa-hoi)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        0,
        "nothing written"
    );

    // Two plans at once would write the same agency files twice: refused.
    let out = phuluc(
        &root(),
        &[
            "render",
            &seed(),
            &seed(),
            "--by-agency",
            "-o",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--by-agency nhận một tệp kế hoạch"),
        "{}",
        stderr(&out)
    );
}

/// Runs `openxml-audit FILE -m 0`: (passed, report).
pub fn openxml_audit(file: &Path) -> Option<(bool, String)> {
    if !tool("openxml-audit") {
        return None;
    }
    let out = Command::new("openxml-audit")
        .arg(file)
        .args(["-m", "0"])
        .output()
        .expect("run openxml-audit");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    Some((out.status.success() && report.contains("Errors: 0"), report))
}

#[test]
fn every_agency_docx_passes_openxml_audit() {
    if !tool("openxml-audit") {
        return;
    }
    let (dir, _) = render_by_agency(&["--format", "docx"]);
    // One run over the folder: the audit's start-up dominates its time.
    let out = Command::new("openxml-audit")
        .arg(dir.path())
        .args(["-r", "-m", "0"])
        .output()
        .expect("run openxml-audit");
    let report = String::from_utf8_lossy(&out.stdout);
    let files = std::fs::read_dir(dir.path()).expect("dir").count();
    assert_eq!(files, 10);
    assert!(
        out.status.success() && report.matches("Errors: 0").count() == files,
        "openxml-audit found errors in the agencies' .docx:\n{report}"
    );
}

#[test]
fn a_template_without_roles_leads_with_chu_tri_and_a_role_on_text_is_an_error() {
    // bay-cot predates `role:`: its chu_tri and phoi_hop columns lead and support.
    let templates = fixture("templates");
    let plan = fixture("plans/bay-cot.yaml");
    let (templates, plan) = (
        templates.to_str().expect("utf-8"),
        plan.to_str().expect("utf-8"),
    );
    let out = ok(&[
        "agencies",
        plan,
        "--templates",
        templates,
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let first = &json["agencies"][0];
    assert_eq!(first["name"], "Văn phòng HĐND và UBND phường");
    assert_eq!(
        (first["lead"].as_u64(), first["support"].as_u64()),
        (Some(1), Some(0))
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let kind = dir.path().join("bay-cot");
    std::fs::create_dir(&kind).expect("mkdir");
    for f in ["label.hbs", "title.hbs", "reference.hbs"] {
        std::fs::copy(fixture("templates/bay-cot").join(f), kind.join(f)).expect("copy");
    }
    let layout = std::fs::read_to_string(fixture("templates/bay-cot/layout.yaml")).expect("layout");
    let layout = layout.replace(
        "kind: text, width: 80, align: justify }",
        "kind: text, width: 80, align: justify, role: lead }",
    );
    assert!(
        layout.contains("role: lead"),
        "the fixture's layout changed"
    );
    std::fs::write(kind.join("layout.yaml"), layout).expect("write");
    let out = phuluc(
        &root(),
        &[
            "agencies",
            plan,
            "--templates",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("cột “nhiem_vu” có “role” nhưng không phải danh sách cơ quan (kind: list)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_agencies_list_names_them_and_one_without_rows_gets_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = std::fs::read_to_string(seed_yaml()).expect("seed");
    let plan = seed.replacen(
        "appendices:",
        "agencies:\n  - Phòng Tư pháp\n  - Phòng Văn hóa - Xã hội\nappendices:",
        1,
    );
    std::fs::write(dir.path().join("co-danh-sach.yaml"), plan).expect("write");
    let out = phuluc(
        dir.path(),
        &["agencies", "co-danh-sach.yaml", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let names: Vec<&str> = json["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .map(|a| a["name"].as_str().expect("name"))
        .collect();
    // The list first, in its order, its spelling winning over the more used one.
    assert_eq!(names[..2], ["Phòng Tư pháp", "Phòng Văn hóa - Xã hội"]);
    assert_eq!(json["agencies"][0]["lead"], 0);
    assert_eq!(json["agencies"][0]["support"], 0);
    assert!(!names.contains(&"Phòng Văn hóa - Xã hội phường"));

    let out = phuluc(
        dir.path(),
        &["render", "co-danh-sach.yaml", "--by-agency", "-o", "ra"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("bỏ qua “Phòng Tư pháp”: không có dòng nào giao chủ trì hay phối hợp"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("ra/phong-tu-phap.pdf").exists());
    assert!(dir.path().join("ra/phong-van-hoa-xa-hoi.pdf").is_file());
    let out = phuluc(
        dir.path(),
        &[
            "render",
            "co-danh-sach.yaml",
            "--agency",
            "Phòng Tư pháp",
            "-o",
            "mot",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("không có dòng nào giao “Phòng Tư pháp”"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("mot").exists(), "nothing written");
}

/// Entries joining agencies with ";" (or with ", " between names the register knows)
/// count as each agency in `phuluc agencies` and `render --by-agency`; “Phòng Kinh tế, Hạ
/// tầng và Đô thị” is one agency of the register and stays one.
#[test]
fn joined_entries_count_as_each_agency_and_a_name_with_a_comma_as_one() {
    let plan = fixture("check").join("ten-co-quan.yaml");
    let plan = plan.to_str().expect("utf-8");
    let out = ok(&["agencies", plan, "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let names: Vec<&str> = json["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            "Phòng Văn hóa - Xã hội",
            "Phòng Văn hoá - Xã hội",
            "Công an phường",
            "Ban Chỉ huy Quân sự phường",
            "Sở Công Thương",
            "Ban Quản lý Khu kinh tế tỉnh",
        ]
    );
    let economic = &json["agencies"][0];
    assert_eq!(
        (economic["lead"].as_u64(), economic["support"].as_u64()),
        (Some(1), Some(1))
    );
    let dir = tempfile::tempdir().expect("tempdir");
    ok(&[
        "render",
        plan,
        "--by-agency",
        "-o",
        dir.path().to_str().expect("utf-8"),
    ]);
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".docx"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "ban-chi-huy-quan-su.docx",
            "ban-quan-ly-khu-kinh-te-tinh.docx",
            "cong-an.docx",
            "phong-kinh-te-ha-tang-va-do-thi.docx",
            "phong-van-hoa-xa-hoi-2.docx",
            "phong-van-hoa-xa-hoi.docx",
            "so-cong-thuong.docx",
        ]
    );
}
