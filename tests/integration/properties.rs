//! Properties over random plans (proptest): Vietnamese text with diacritics, text typed
//! in decomposed form (NFD), words wider than their column, line breaks inside cells,
//! empty cells, and random bodies (sections with or without headings holding groups or
//! rows, groups with or without headings, bare rows). Each plan is written out as YAML,
//! read back through the library exactly as `phuluc render` reads a file, and rendered;
//! every non-empty text must come out of both writers: the .docx's `word/document.xml`
//! (parsed with roxmltree) and the PDF's text (pdftotext).
//!
//! 24 cases per property by default; `PROPTEST_CASES=N` changes that.

use std::collections::HashMap;
use std::io::Read;

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::common::*;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Lower-case Vietnamese letters, precomposed (every tone on every vowel, and đ).
const LETTERS: &str =
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";

/// Real words and tokens from plans: capitals with tones, numbers, "/" and "-".
const WORDS: &[&str] = &[
    "Phòng",
    "Văn",
    "hóa",
    "Xã",
    "hội",
    "Ủy",
    "ban",
    "nhân",
    "dân",
    "phường",
    "Thạch",
    "Khôi",
    "Đảng",
    "bộ",
    "nhiệm",
    "vụ",
    "kỷ",
    "luật,",
    "cương",
    "đạo",
    "đức",
    "Ưu",
    "tiên",
    "Nghị",
    "quyết",
    "số",
    "05-NQ/ĐU",
    "20/3/2026",
    "KH-UBND",
    "(thường",
    "xuyên)",
    "Quý",
    "II/2026;",
    "“Dân",
    "vận",
    "khéo”",
    "-",
    "2030.",
];

/// A random lower-case Vietnamese syllable-like word of `len` letters.
fn letters(len: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = LETTERS.chars().collect();
    prop::collection::vec(prop::sample::select(alphabet), len).prop_map(|c| c.into_iter().collect())
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(WORDS).prop_map(str::to_owned),
        4 => letters(1..=7),
        // Capitalised.
        2 => letters(1..=7).prop_map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }),
        // Wider than any column: broken inside the word.
        1 => letters(40..=90),
    ]
}

/// A text: words joined by spaces, sometimes by a line break; sometimes decomposed.
pub(crate) fn text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((word(), prop::bool::weighted(0.05)), 1..=18),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(words, nfd)| {
            let mut s = String::new();
            for (i, (w, newline)) in words.into_iter().enumerate() {
                if i > 0 {
                    s.push(if newline { '\n' } else { ' ' });
                }
                s.push_str(&w);
            }
            if nfd { s.nfd().collect() } else { s }
        })
}

/// A cell: empty (left out) about one time in six.
fn cell() -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.83, text())
}

/// A list cell: absent, one name written without the dash, or a list of names.
#[derive(Debug, Clone)]
enum ListCell {
    Absent,
    Single(String),
    List(Vec<String>),
}

impl ListCell {
    fn joined(&self) -> Option<String> {
        match self {
            ListCell::Absent => None,
            ListCell::Single(s) => Some(s.clone()),
            ListCell::List(l) => Some(l.join(", ")),
        }
    }
}

/// An agency name: a few words.
pub(crate) fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..=6).prop_map(|w| w.join(" "))
}

fn list_cell() -> impl Strategy<Value = ListCell> {
    prop_oneof![
        1 => Just(ListCell::Absent),
        2 => name().prop_map(ListCell::Single),
        4 => prop::collection::vec(name(), 1..=3).prop_map(ListCell::List),
    ]
}

/// One row: its text cells and list cells, by field name.
#[derive(Debug, Clone)]
struct Row {
    texts: Vec<(&'static str, Option<String>)>,
    lists: Vec<(&'static str, ListCell)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Template {
    MucTieu,
    NhiemVu,
}

impl Template {
    fn name(self) -> &'static str {
        match self {
            Template::MucTieu => "muc-tieu",
            Template::NhiemVu => "nhiem-vu",
        }
    }

    fn text_fields(self) -> &'static [&'static str] {
        match self {
            Template::MucTieu => &["muc_tieu", "lo_trinh"],
            Template::NhiemVu => &["nhiem_vu", "lo_trinh", "san_pham"],
        }
    }
}

const LIST_FIELDS: [&str; 2] = ["chu_tri", "phoi_hop"];

fn row(template: Template) -> impl Strategy<Value = Row> {
    let n = template.text_fields().len();
    (
        prop::collection::vec(cell(), n),
        prop::collection::vec(list_cell(), LIST_FIELDS.len()),
    )
        .prop_map(move |(texts, lists)| Row {
            texts: template.text_fields().iter().copied().zip(texts).collect(),
            lists: LIST_FIELDS.iter().copied().zip(lists).collect(),
        })
}

#[derive(Debug, Clone)]
struct Group {
    heading: Option<String>,
    rows: Vec<Row>,
}

#[derive(Debug, Clone)]
enum SectionBody {
    Groups(Vec<Group>),
    Items(Vec<Row>),
}

#[derive(Debug, Clone)]
struct Section {
    heading: Option<String>,
    body: SectionBody,
}

#[derive(Debug, Clone)]
enum Body {
    Sections(Vec<Section>),
    Groups(Vec<Group>),
    Items(Vec<Row>),
}

#[derive(Debug, Clone)]
struct Appendix {
    template: Template,
    title: String,
    body: Body,
}

#[derive(Debug, Clone)]
pub(crate) struct Plan {
    issuer: String,
    appendices: Vec<Appendix>,
}

fn rows(t: Template) -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(row(t), 1..=4)
}

fn groups(t: Template) -> impl Strategy<Value = Vec<Group>> {
    prop::collection::vec(
        (prop::option::of(text()), rows(t)).prop_map(|(heading, rows)| Group { heading, rows }),
        1..=3,
    )
}

fn appendix() -> impl Strategy<Value = Appendix> {
    prop_oneof![Just(Template::MucTieu), Just(Template::NhiemVu)].prop_flat_map(|t| {
        let section = (
            prop::option::of(text()),
            prop_oneof![
                groups(t).prop_map(SectionBody::Groups),
                rows(t).prop_map(SectionBody::Items),
            ],
        )
            .prop_map(|(heading, body)| Section { heading, body });
        let body = prop_oneof![
            prop::collection::vec(section, 1..=3).prop_map(Body::Sections),
            groups(t).prop_map(Body::Groups),
            rows(t).prop_map(Body::Items),
        ];
        (text(), body).prop_map(move |(title, body)| Appendix {
            template: t,
            title,
            body,
        })
    })
}

pub(crate) fn plan() -> impl Strategy<Value = Plan> {
    (text(), prop::collection::vec(appendix(), 1..=2))
        .prop_map(|(issuer, appendices)| Plan { issuer, appendices })
}

/// A YAML scalar: JSON's string syntax is YAML's double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn push_rows(out: &mut String, rows: &[Row], indent: usize) {
    let pad = " ".repeat(indent);
    for row in rows {
        let mut first = true;
        let mut key = |out: &mut String, k: &str| {
            out.push_str(&pad);
            out.push_str(if first { "- " } else { "  " });
            first = false;
            out.push_str(k);
            out.push_str(": ");
        };
        for (k, v) in &row.texts {
            if let Some(v) = v {
                key(out, k);
                out.push_str(&quoted(v));
                out.push('\n');
            }
        }
        for (k, v) in &row.lists {
            match v {
                ListCell::Absent => {}
                ListCell::Single(s) => {
                    key(out, k);
                    out.push_str(&quoted(s));
                    out.push('\n');
                }
                ListCell::List(l) => {
                    key(out, k);
                    out.push('\n');
                    for name in l {
                        out.push_str(&format!("{pad}    - {}\n", quoted(name)));
                    }
                }
            }
        }
        if first {
            // Every cell empty: a row with no fields at all.
            out.push_str(&format!("{pad}- {{}}\n"));
        }
    }
}

fn push_groups(out: &mut String, groups: &[Group], indent: usize) {
    let pad = " ".repeat(indent);
    for g in groups {
        match &g.heading {
            Some(h) => out.push_str(&format!("{pad}- heading: {}\n{pad}  items:\n", quoted(h))),
            None => out.push_str(&format!("{pad}- items:\n")),
        }
        push_rows(out, &g.rows, indent + 4);
    }
}

impl Plan {
    pub(crate) fn yaml(&self) -> String {
        let mut out = format!(
            "version: 1\nplan:\n  kind: Kế hoạch\n  number: ~\n  symbol: KH-UBND\n  date: ~\n  year: 2026\n  issuer: {}\nappendices:\n",
            quoted(&self.issuer)
        );
        for a in &self.appendices {
            out.push_str(&format!(
                "  - template: {}\n    title: {}\n",
                a.template.name(),
                quoted(&a.title)
            ));
            match &a.body {
                Body::Items(rows) => {
                    out.push_str("    items:\n");
                    push_rows(&mut out, rows, 6);
                }
                Body::Groups(groups) => {
                    out.push_str("    groups:\n");
                    push_groups(&mut out, groups, 6);
                }
                Body::Sections(sections) => {
                    out.push_str("    sections:\n");
                    for s in sections {
                        let pad = "      ";
                        let (key, first) = match &s.body {
                            SectionBody::Groups(_) => ("groups", "- "),
                            SectionBody::Items(_) => ("items", "- "),
                        };
                        match &s.heading {
                            Some(h) => out.push_str(&format!(
                                "{pad}- heading: {}\n{pad}  {key}:\n",
                                quoted(h)
                            )),
                            None => out.push_str(&format!("{pad}{first}{key}:\n")),
                        }
                        match &s.body {
                            SectionBody::Groups(g) => push_groups(&mut out, g, 10),
                            SectionBody::Items(r) => push_rows(&mut out, r, 10),
                        }
                    }
                }
            }
        }
        out
    }

    /// Every text a reader must find in the document, NFC, whitespace collapsed: titles,
    /// section and group headings and every non-empty cell (the issuer is checked inside
    /// its reference line).
    fn texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        let rows_of = |rows: &[Row], out: &mut Vec<String>| {
            for r in rows {
                out.extend(r.texts.iter().filter_map(|(_, v)| v.clone()));
                out.extend(r.lists.iter().filter_map(|(_, v)| v.joined()));
            }
        };
        let groups_of = |groups: &[Group], out: &mut Vec<String>| {
            for g in groups {
                out.extend(g.heading.clone());
                rows_of(&g.rows, out);
            }
        };
        for a in &self.appendices {
            out.push(a.title.clone());
            match &a.body {
                Body::Items(rows) => rows_of(rows, &mut out),
                Body::Groups(groups) => groups_of(groups, &mut out),
                Body::Sections(sections) => {
                    for s in sections {
                        out.extend(s.heading.clone());
                        match &s.body {
                            SectionBody::Groups(g) => groups_of(g, &mut out),
                            SectionBody::Items(r) => rows_of(r, &mut out),
                        }
                    }
                }
            }
        }
        out.iter()
            .map(|t| collapse(t))
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// Writes the plan to a temp dir and prepares it through the library as `render` does.
fn prepare(plan: &Plan) -> (tempfile::TempDir, phuluc::Prepared) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ke-hoach.yaml");
    std::fs::write(&path, plan.yaml()).expect("write plan");
    let templates = phuluc::compose::templates::Templates::builtin().expect("templates");
    match phuluc::prepare(&path, &templates) {
        Ok(p) => (dir, p),
        Err(diags) => panic!(
            "the plan does not validate:\n{}\n{}",
            diags
                .iter()
                .map(|d| d.render(phuluc::diag::Lang::En))
                .collect::<Vec<_>>()
                .join("\n"),
            plan.yaml()
        ),
    }
}

/// The paragraphs' texts of `word/document.xml` (runs joined, `w:br` and `w:tab` as
/// spaces), and the texts of every table cell (its paragraphs joined by spaces), each
/// collapsed.
fn docx_texts(docx: &[u8]) -> (String, Vec<String>) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("the .docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("utf-8");
    let doc = roxmltree::Document::parse(&xml).expect("word/document.xml parses");
    let text_of = |node: roxmltree::Node| -> String {
        let mut s = String::new();
        for n in node.descendants() {
            if n.has_tag_name((W, "t")) {
                s.push_str(n.text().unwrap_or_default());
            } else if ["br", "tab", "p"].iter().any(|t| n.has_tag_name((W, *t))) {
                s.push(' ');
            }
        }
        collapse(&s)
    };
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .expect("w:body");
    let cells = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "tc")))
        .map(text_of)
        .collect();
    (text_of(body), cells)
}

/// Extracted PDF text as lines, and a matcher that follows a cell's text through them.
///
/// Like [`Extracted`], a cell is a run of fragments on successive lines (at most
/// `MAX_GAP` lines apart: the other cells of its row, a page break, the page number and
/// the repeated header), each line break standing for a space or for a break inside a
/// word. Unlike it, any fragment, not only the first and last, may share its line with
/// other text: when a row taller than a page splits with one line of it left at the
/// bottom of a page, `pdftotext -raw` puts the first line of every cell of that row on
/// one output line, then goes on with each cell's next lines on the next page. Each
/// fragment is still a run of whole words of its line.
struct Fragments {
    lines: Vec<String>,
}

const MAX_GAP: usize = 60;

impl Fragments {
    fn new(text: &str) -> Self {
        Fragments {
            lines: text
                .lines()
                .map(collapse)
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }

    fn contains(&self, cell: &str) -> bool {
        let cell = collapse(cell);
        let mut memo = HashMap::new();
        cell.is_empty() || (0..self.lines.len()).any(|i| self.at(i, &cell, 0, &mut memo))
    }

    /// Whether `cell[from..]` starts with a fragment on line `i` and the rest follows
    /// within the next lines.
    fn at(
        &self,
        i: usize,
        cell: &str,
        from: usize,
        memo: &mut HashMap<(usize, usize), bool>,
    ) -> bool {
        if let Some(&known) = memo.get(&(i, from)) {
            return known;
        }
        let rest = &cell[from..];
        let line = &self.lines[i];
        let starts = std::iter::once(0).chain(line.match_indices(' ').map(|(k, _)| k + 1));
        let mut found = false;
        'starts: for s in starts {
            let tail = &line[s..];
            // Fragment ends: before each space of the tail, and its end.
            let ends = tail.match_indices(' ').map(|(k, _)| k).chain([tail.len()]);
            for e in ends {
                let fragment = &tail[..e];
                if !rest.starts_with(fragment) {
                    // A longer fragment starts with this one: it cannot match either.
                    continue 'starts;
                }
                let mut next = from + fragment.len();
                if next == cell.len() {
                    found = true;
                    break 'starts;
                }
                if cell[next..].starts_with(' ') {
                    next += 1;
                }
                let end = (i + 1 + MAX_GAP).min(self.lines.len());
                if (i + 1..end).any(|k| self.at(k, cell, next, memo)) {
                    found = true;
                    break 'starts;
                }
            }
        }
        memo.insert((i, from), found);
        found
    }
}

#[test]
fn fragments_follow_cells_whose_first_lines_share_one_line() {
    // Row split after its first line: the first lines of all cells on one line, then each
    // cell's other lines after the page break and the repeated header.
    let text = "1 Bảo đảm sự Thường Phòng Văn\nStt Nhiệm vụ\nlãnh đạo, chỉ\nđạo.\nxuyên\nhóa";
    let f = Fragments::new(text);
    assert!(f.contains("Bảo đảm sự lãnh đạo, chỉ đạo."));
    assert!(f.contains("Thường xuyên"));
    assert!(f.contains("Phòng Văn hóa"));
    assert!(f.contains("Thườngxuyên"), "a break inside a word");
    assert!(
        !f.contains("Bảo đảm sự lãnh chỉ đạo."),
        "a dropped word fails"
    );
    assert!(
        !f.contains("Thường hóa xuyên"),
        "fragments come in the lines' order"
    );
    assert!(
        !f.contains("Bảo đ"),
        "fragments are whole words of their line"
    );
}

proptest! {
    #![proptest_config(crate::common::proptest_config(24))]

    #[test]
    fn every_text_of_a_random_plan_is_a_cell_or_line_of_the_docx(plan in plan()) {
        let (_dir, prepared) = prepare(&plan);
        let bytes = phuluc::docx::docx(&prepared.document).expect("the .docx is written");
        let (body, cells) = docx_texts(&bytes);
        let reference = format!("của {})", collapse(&plan.issuer));
        prop_assert!(body.contains(&reference), "not in document.xml: {reference:?}\n{}", plan.yaml());
        let titles: Vec<String> = plan.appendices.iter().map(|a| collapse(&a.title)).collect();
        for text in plan.texts() {
            if titles.contains(&text) {
                // Titles are paragraphs above the table.
                prop_assert!(body.contains(&text), "not in document.xml: {text:?}\n{}", plan.yaml());
            } else {
                // A cell holds exactly the text, or a heading cell the heading.
                prop_assert!(
                    cells.contains(&text),
                    "no cell of document.xml is {text:?}\n{}",
                    plan.yaml()
                );
            }
        }
    }

    #[test]
    fn every_text_of_a_random_plan_is_in_the_pdf_text(plan in plan()) {
        if !tool("pdftotext") {
            return Ok(());
        }
        let (dir, prepared) = prepare(&plan);
        let bytes = phuluc::pdf::pdf(&prepared.document, &phuluc::pdf::PdfOptions::default())
            .expect("the PDF is written");
        let pdf = dir.path().join("ke-hoach.pdf");
        std::fs::write(&pdf, bytes).expect("write pdf");
        let extracted = Fragments::new(&pdftotext(&pdf, &[]));
        let reference = format!("của {})", collapse(&plan.issuer));
        let missing: Vec<String> = plan
            .texts()
            .into_iter()
            .chain([reference])
            .filter(|t| !extracted.contains(t))
            .collect();
        prop_assert!(
            missing.is_empty(),
            "missing from the PDF text: {missing:#?}\n{}",
            plan.yaml()
        );
    }
}

#[test]
fn a_random_plan_written_as_yaml_reads_back_as_the_same_texts() {
    // The generator's YAML is what the properties rely on: a fixed plan round-trips.
    let plan = Plan {
        issuer: "Ủy ban nhân dân phường Thạch Khôi".to_owned(),
        appendices: vec![Appendix {
            template: Template::NhiemVu,
            title: "Phân công\nthực hiện".to_owned(),
            body: Body::Sections(vec![Section {
                heading: None,
                body: SectionBody::Groups(vec![Group {
                    heading: Some("Vie\u{0302}\u{0323}t Nam".to_owned()),
                    rows: vec![Row {
                        texts: vec![("nhiem_vu", Some("“Dân vận khéo”".to_owned()))],
                        lists: vec![(
                            "chu_tri",
                            ListCell::List(vec!["Phòng A".to_owned(), "Phòng B".to_owned()]),
                        )],
                    }],
                }]),
            }]),
        }],
    };
    let (_dir, prepared) = prepare(&plan);
    let bytes = phuluc::docx::docx(&prepared.document).expect("docx");
    let (body, cells) = docx_texts(&bytes);
    assert!(cells.contains(&"Việt Nam".to_owned()), "{cells:?}");
    assert!(cells.contains(&"Phòng A, Phòng B".to_owned()), "{cells:?}");
    assert!(body.contains("Phân công thực hiện"), "{body}");
    assert!(
        body.contains("của Ủy ban nhân dân phường Thạch Khôi)"),
        "{body}"
    );
}
