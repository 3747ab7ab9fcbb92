//! The reference line “(Kèm theo Kế hoạch số      /KH-UBND ngày    /    /2026 của …)” as
//! clerks type it (issue 20, item 2): blanks as ordinary spaces, U+00A0, narrow U+202F,
//! tabs (`w:tab`), ideographic spaces, leaders “……”, “...”, underscores, or nothing
//! (“số/KH-UBND”); the runs split anywhere; the short and the long date. Read by
//! `phuluc import` from hand-written WordprocessingML (a property over random forms and
//! random run splits) and from .docx files python-docx writes; and `check` warns of a
//! plan whose symbol, issuer or year is empty while its template prints them.

use std::process::Command;

use phuluc::import::package::Package;
use phuluc::import::raw;
use proptest::prelude::*;

use crate::common::*;
use crate::import_clerks::{cell, docx, import, para, run, task_docx};

/// The blanks clerks type; `\t` becomes a `w:tab` element.
const BLANKS: [&str; 11] = [
    "      ",
    "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}",
    "\u{202f}\u{202f}\u{202f}",
    "\t",
    "\t\t",
    "\u{3000}\u{3000}",
    "……",
    "...",
    "________",
    " \u{a0}…\t ",
    "",
];

const ISSUER: &str = "Ủy ban nhân dân phường An Khánh";

/// A reference line with the number and the date blank (or typed), in one form.
#[derive(Debug, Clone)]
struct Line {
    prefix: &'static str,
    number: Option<&'static str>,
    /// Day and month typed, or blanks.
    date: Option<(u8, u8)>,
    long: bool,
    blanks: [&'static str; 4],
}

impl Line {
    fn text(&self) -> String {
        let [b0, b1, b2, b3] = self.blanks;
        let number = self.number.map_or(b0.to_owned(), |n| format!(" {n}"));
        let date = match (self.date, self.long) {
            (Some((d, m)), false) => format!(" {d}/{m}/2026"),
            (Some((d, m)), true) => format!(" {d} tháng {m} năm 2026"),
            (None, true) => format!("{b1} tháng{b2} năm 2026"),
            (None, false) => format!("{b1}/{b2}/2026"),
        };
        format!(
            "({} Kế hoạch số{number}/KH-UBND ngày{date}{b3} của {ISSUER})",
            self.prefix
        )
    }
}

fn line() -> impl Strategy<Value = Line> {
    let blank = || prop::sample::select(BLANKS.to_vec());
    (
        prop::sample::select(vec!["Kèm theo", "kèm theo", "Ban hành kèm theo"]),
        prop::option::of(prop::sample::select(vec!["12", "105"])),
        prop::option::of((1u8..=28, 1u8..=12)),
        any::<bool>(),
        [blank(), blank(), blank(), blank()],
    )
        .prop_map(|(prefix, number, date, long, blanks)| Line {
            prefix,
            number,
            date,
            long,
            blanks,
        })
}

/// `text` as runs cut before each char index in `cuts`, tabs as `w:tab`; some runs in
/// italic with their own `w:rPr`, as Word writes them.
fn runs(text: &str, cuts: &[usize]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (chars.len() + 1)).collect();
    bounds.extend([0, chars.len()]);
    bounds.sort_unstable();
    bounds.dedup();
    let mut out = String::new();
    for (k, w) in bounds.windows(2).enumerate() {
        let piece: String = chars[w[0]..w[1]].iter().collect();
        let rpr = if k % 2 == 0 {
            "<w:rPr><w:i/></w:rPr>"
        } else {
            ""
        };
        out += &format!("<w:r>{rpr}");
        for (i, part) in piece.split('\t').enumerate() {
            if i > 0 {
                out += "<w:tab/>";
            }
            if !part.is_empty() {
                out += &format!("<w:t xml:space=\"preserve\">{part}</w:t>");
            }
        }
        out += "</w:r>";
    }
    out
}

fn one_row() -> Vec<String> {
    vec![
        [
            cell("1"),
            cell("Rà soát thủ tục"),
            cell("Năm 2026"),
            cell("Sở Nội vụ"),
            cell("Sở Tài chính"),
            cell("Báo cáo"),
        ]
        .concat(),
    ]
}

proptest! {
    #![proptest_config(crate::common::proptest_config(64))]

    /// Every form, its runs split anywhere: the same symbol, issuer and year; the number
    /// and date where typed, else none.
    #[test]
    fn a_reference_line_in_any_form_gives_the_plan_fields(
        line in line(),
        cuts in prop::collection::vec(0usize..200, 0..6),
    ) {
        let text = line.text();
        let bytes = task_docx(&runs(&text, &cuts), &one_row());
        let doc = raw::read(&Package::read(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
        let r = phuluc::import::recognise::recognise(&doc, &templates);
        let m = &r.plan.meta;
        prop_assert_eq!(m.kind.as_str(), "Kế hoạch", "{:?}", text);
        prop_assert_eq!(m.symbol.as_str(), "KH-UBND", "{:?}", text);
        prop_assert_eq!(m.issuer.as_str(), ISSUER, "{:?}", text);
        prop_assert_eq!(m.year, Some(2026), "{:?}", text);
        prop_assert_eq!(m.number.as_deref(), line.number, "{:?}", text);
        prop_assert_eq!(
            m.date.map(|d| (d.day, d.month, d.year)),
            line.date.map(|(d, mo)| (d, mo, 2026)),
            "{:?}", text
        );
        let said: Vec<String> = r.warnings.iter().map(|w| w.vi.to_string()).collect();
        prop_assert!(!said.iter().any(|w| w.contains("Kèm theo") || w.contains("điền plan")), "{:?}", said);
    }
}

/// The blank forms of the issue, in .docx files python-docx writes (NBSP and tabs
/// typed as text, a run split inside “KH-UBND” and inside the blanks, the long date,
/// “Ban hành kèm theo”), imported by `phuluc import`: the plan's fields, and a plan
/// that checks without a warning about an empty field.
#[test]
fn reference_lines_python_docx_writes_give_the_plan_fields() {
    if !tool("python3") {
        return;
    }
    let has_docx = Command::new("python3")
        .args(["-c", "import docx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_docx {
        assert!(
            std::env::var("CI").is_err(),
            "python-docx is required in CI"
        );
        eprintln!("SKIPPED: python-docx not installed (pip install python-docx)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new("python3")
        .arg(fixture("import/python_docx_references.py"))
        .arg(dir.path())
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("the helper's manifest");
    assert!(manifest.len() >= 10, "{manifest:?}");
    for case in manifest {
        let name = case["file"].as_str().expect("file");
        let bytes = std::fs::read(dir.path().join(name)).expect("docx");
        let (yaml, err) = import(dir.path(), &format!("in-{name}"), &bytes, &[]);
        let number = match case["number"].as_str() {
            Some(n) => format!("  number: \"{n}\"\n"),
            None => "  number: ~".to_owned(),
        };
        for want in [
            number.as_str(),
            "  symbol: KH-UBND\n",
            &format!("  issuer: {ISSUER}\n"),
            "  year: 2026\n",
        ] {
            assert!(yaml.contains(want), "{name}: {want:?} in\n{yaml}\n{err}");
        }
        if let Some(date) = case["date"].as_str() {
            assert!(
                yaml.contains(&format!("  date: {date}\n")),
                "{name}:\n{yaml}"
            );
        }
        let plan = dir.path().join(format!("in-{name}.yaml"));
        let checked = phuluc(&root(), &["check", plan.to_str().expect("utf-8")]);
        let checked = String::from_utf8_lossy(&checked.stdout);
        assert!(
            !checked.contains("đang để trống, nhưng mẫu"),
            "{name}: {checked}"
        );
        assert!(!err.contains("không đọc được dòng"), "{name}: {err}");
    }
}

/// A plan whose symbol and issuer are empty and that has no year, under a template that
/// prints all three: `check` warns of each, at the field (else at `plan:`), with the
/// line as it prints and a hint; the seed's plan has all three and gets none of these.
#[test]
fn check_warns_of_an_empty_symbol_issuer_or_year_the_template_prints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("trong.yaml");
    std::fs::write(
        &file,
        "version: 1\nplan:\n  kind: Kế hoạch\n  number: ~\n  symbol: \"\"\n  issuer: \"  \"\nappendices:\n  - template: nhiem-vu\n    title: Mẫu\n    items:\n      - nhiem_vu: Việc\n        lo_trinh: Năm 2026\n        chu_tri: [Sở Nội vụ]\n        phoi_hop: [Sở Tài chính]\n        san_pham: Báo cáo\n",
    )
    .expect("plan");
    let o = phuluc(&root(), &["check", file.to_str().expect("utf-8")]);
    let err = String::from_utf8_lossy(&o.stdout);
    let line = "(Kèm theo Kế hoạch số           / ngày        /      / của )";
    for (at, key, what, hint) in [
        (
            "trong.yaml:2:1",
            "year",
            "năm của kế hoạch",
            "gợi ý: Điền “year:”, ví dụ “year: 2026”",
        ),
        (
            "trong.yaml:5:11",
            "symbol",
            "ký hiệu văn bản",
            "gợi ý: Điền “symbol:”, ví dụ “symbol: KH-UBND”.",
        ),
        (
            "trong.yaml:6:11",
            "issuer",
            "cơ quan ban hành",
            "gợi ý: Điền “issuer:”",
        ),
    ] {
        let want = format!(
            "{at}: cảnh báo: “plan: {key}” ({what}) đang để trống, nhưng mẫu “nhiem-vu” của Phụ lục I in nó: dòng in ra là “{line}”"
        );
        assert!(err.contains(&want), "{want}\nin\n{err}");
        assert!(err.contains(hint), "{hint} in\n{err}");
    }
    let en = phuluc(
        &root(),
        &["check", file.to_str().expect("utf-8"), "--lang", "en"],
    );
    let en = String::from_utf8_lossy(&en.stdout);
    assert!(
        en.contains("trong.yaml:5:11: warning: “plan: symbol” (the document's symbol) is empty, but template “nhiem-vu” of Phụ lục I prints it"),
        "{en}"
    );
    let seed = phuluc(&root(), &["check", "data/ke-hoach-05-nq-du.yaml"]);
    let seed = String::from_utf8_lossy(&seed.stdout);
    assert!(seed.contains("1 tệp: 0 lỗi"), "{seed}");
    assert!(!seed.contains("đang để trống, nhưng mẫu"), "{seed}");
}

/// Offices type the label and the title in one paragraph joined by a full stop (“PHỤ LỤC
/// II. NHIỆM VỤ NĂM 2026”), and the long date with blanks under “Ban hành kèm theo”:
/// the appendix gets its number and its title (as typed, not upper-cased), the plan its
/// year; nothing is left over as a paragraph outside the headings.
#[test]
fn a_label_and_title_in_one_paragraph_and_the_long_blank_date_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut body = para(&run("PHỤ LỤC II. Nhiệm vụ năm 2026"));
    body += &para(&run(
        "(Ban hành kèm theo Kế hoạch số\u{a0}\u{a0}\u{a0}/KH-UBND ngày\u{a0}\u{a0}tháng\u{a0}\u{a0}năm 2026 của Ủy ban nhân dân phường An Khánh)",
    ));
    body += "<w:tbl><w:tr>";
    for h in [
        "Stt",
        "Nhiệm vụ cụ thể",
        "Lộ trình thực hiện",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Sản phẩm dự kiến",
    ] {
        body += &cell(h);
    }
    body += "</w:tr><w:tr>";
    body += &one_row()[0];
    body += "</w:tr></w:tbl>";
    let (yaml, err) = import(dir.path(), "mot-dong.docx", &docx(&body), &[]);
    for want in [
        "  symbol: KH-UBND\n",
        "  year: 2026\n",
        "  issuer: Ủy ban nhân dân phường An Khánh\n",
        "    number: II\n    title: Nhiệm vụ năm 2026\n",
    ] {
        assert!(yaml.contains(want), "{want:?} in\n{yaml}\n{err}");
    }
    assert!(!err.contains("nằm ngoài bảng"), "{err}");
    assert!(!err.contains("không đọc được dòng"), "{err}");
    // The built-in nhiem-vu prints neither form: import writes the variant that does,
    // and the imported plan renders the office's heading block.
    let slug = "nhiem-vu-mot-dong-ban-hanh-ngay-thang-nam";
    assert!(
        yaml.contains(&format!("  - template: {slug}\n")),
        "{yaml}\n{err}"
    );
    let layout =
        std::fs::read_to_string(dir.path().join("templates").join(slug).join("layout.yaml"))
            .expect("the variant's layout.yaml");
    for want in [
        "\nheading:\n  label_title: joined ",
        "\n  opening: ban-hanh-kem-theo ",
        "\n  blank_date: long ",
    ] {
        assert!(layout.contains(want), "{want:?} in\n{layout}");
    }
    let templates = dir.path().join("templates");
    let plan = dir.path().join("mot-dong.docx.yaml");
    let (docx_out, pdf) = render_both(
        &dir.path().join("out"),
        &plan,
        &["--templates", templates.to_str().expect("utf-8")],
    );
    let bytes = std::fs::read(&docx_out).expect("rendered docx");
    let doc = Package::read(&bytes)
        .and_then(|p| raw::read(&p))
        .expect("the rendered .docx reads");
    let heading: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            raw::Block::Paragraph(p) if !p.text.trim().is_empty() => Some(collapse(&p.text)),
            _ => None,
        })
        .take(2)
        .collect();
    let reference = "(Ban hành kèm theo Kế hoạch số /KH-UBND ngày tháng năm 2026 của Ủy ban nhân dân phường An Khánh)";
    assert_eq!(heading, ["PHỤ LỤC II. Nhiệm vụ năm 2026", reference]);
    let text = collapse(&pdftotext(&pdf, &[]));
    assert!(
        text.starts_with(&format!("PHỤ LỤC II. Nhiệm vụ năm 2026 {reference}")),
        "{text}"
    );
    // The rendered file imports back to the same plan, the variant reused.
    let (again, err) = import(
        dir.path(),
        "lai.docx",
        &bytes,
        &["--templates", templates.to_str().expect("utf-8")],
    );
    assert!(err.contains(&format!("in như mẫu “{slug}”")), "{err}");
    let body = |y: &str| y.split_once("appendices:").map(|(_, b)| b.to_owned());
    assert_eq!(body(&again), body(&yaml));
}
