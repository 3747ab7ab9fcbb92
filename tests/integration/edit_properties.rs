//! The edit engine (`phuluc::edit`) over random plans and random edits (proptest).
//!
//! Each case writes a random plan the way clerks and `import` write them — one to three
//! appendices of the `muc-tieu`, `nhiem-vu` and `kinh-phi` kinds, under `sections:` or
//! `groups:`, 1–3 lists of 1–5 rows, rows dashed under their key or level with it,
//! Vietnamese text with ':' '#' quotes and a leading '-', plain, quoted and folded `>-`
//! values, agencies as block lists, flow lists or one plain name, amounts, comments
//! above rows, after values and between rows, blank lines — remembering where every
//! row, value and comment line went. The plan must check clean and read back as
//! generated. Then one random edit of a random row (or of the `plan:` block, or of no
//! place at all) is made with [`edit_text`], and:
//!
//! 1. `set`: the new plan is the old one with exactly that field of that row changed to
//!    what was typed (compared on the validated model); every line outside that value's
//!    lines is byte-identical, and a comment after the value on its key line is kept.
//! 2. row actions: the new text is exactly the old one with that row's lines (and the
//!    comment lines just above it) inserted, removed or swapped with its neighbour's, as
//!    computed here from where the generator put them; the list changed just so in the
//!    model, the inserted row empty, every other row's meaning unchanged.
//! 3. a refusal only for its documented reason: moving the first row up or the last
//!    down, a value that is not a number or a date, no mapping at that place, a row
//!    action on what is not a row, a signing date in another year than `year:`; never a
//!    panic. Every other edit generated must be accepted.
//! 4. the same edit through a [`Session`] on a file: the file becomes the edited text,
//!    undo gives back the exact old bytes, redo the edited ones; a refused edit writes
//!    nothing.
//!
//! 64 cases by default; `PROPTEST_CASES=N` changes that.

use std::collections::BTreeMap;
use std::path::Path;

use phuluc::compose::templates::Templates;
use phuluc::diag::Pos;
use phuluc::edit::{EditError, Edited, Op, Session, edit_text, parse_src, version};
use phuluc::model::{Decimal, Field, Plan};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::common::proptest_config;

/// Words of real plans, with diacritics.
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
    "công",
    "tác",
    "tuyên",
    "truyền",
    "đổi",
    "mới",
    "phương",
    "thức",
    "lãnh",
    "đạo",
    "100%",
    "cải",
    "cách",
    "hành",
    "chính",
    "Chỉ",
    "thị",
    "15-CT/TU",
    "ngày",
    "21/11/2022",
    "thi",
    "đua",
];

/// Texts that are not plain YAML as they stand, or nearly not.
const EDGES: &[&str] = &[
    "- gạch đầu dòng",
    "Điều 1: phạm vi",
    "Mục tiêu:",
    "# không phải chú thích",
    "x #y",
    "“Dân vận khéo”",
    "'trích dẫn'",
    "\"ngoặc kép\" ở đầu",
    "nói \"thế\" và 'thế'",
    "2026",
    "12,5",
    "true",
    "~",
    "null",
    "[1] mục",
    "{a}",
    "*sao",
    "&neo",
    "!thẻ",
    "@a",
    "`b`",
    "? hỏi",
    "| đứng",
    "> lớn",
    "%p",
    ", phẩy",
    "a\\b",
    "Quý II/2026; 100%",
];

/// Agency names, some with commas and dashes.
const AGENCIES: &[&str] = &[
    "Phòng Văn hóa - Xã hội",
    "Văn phòng HĐND và UBND phường",
    "Công an phường",
    "Các phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường",
    "Ban Xây dựng đảng Đảng ủy phường",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
    "Trạm Y tế phường",
];

/// The appendix kinds generated: name and fields (in column order, without the number
/// column and sums), each with its kind and whether the template makes it optional.
const KINDS: &[(&str, &[FieldDef])] = &[
    (
        "muc-tieu",
        &[
            ("muc_tieu", Fk::Text, false),
            ("lo_trinh", Fk::Text, false),
            ("chu_tri", Fk::List, false),
            ("phoi_hop", Fk::List, false),
        ],
    ),
    (
        "nhiem-vu",
        &[
            ("nhiem_vu", Fk::Text, false),
            ("lo_trinh", Fk::Text, false),
            ("chu_tri", Fk::List, false),
            ("phoi_hop", Fk::List, false),
            ("san_pham", Fk::Text, false),
        ],
    ),
    (
        "kinh-phi",
        &[
            ("noi_dung", Fk::Text, false),
            ("ngan_sach_thanh_pho", Fk::Amount, false),
            ("ngan_sach_phuong", Fk::Amount, false),
            ("nguon_khac", Fk::Amount, true),
            ("chu_tri", Fk::List, false),
            ("ghi_chu", Fk::Text, true),
        ],
    ),
];

/// A row field: its name, its kind, whether the template makes it optional.
type FieldDef = (&'static str, Fk, bool);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fk {
    Text,
    List,
    Amount,
}

// ---------------------------------------------------------------------------------
// Generation: the raw material, then the text with where everything went.

#[derive(Debug, Clone)]
struct CellSpec {
    text: String,
    style: u8,
    names: Vec<usize>,
    amount: (u64, u32),
    absent: bool,
    comment: bool,
}

#[derive(Debug, Clone)]
struct RowSpec {
    cells: Vec<CellSpec>,
    comment: Option<String>,
    blank_before: bool,
    stray: bool,
}

#[derive(Debug, Clone)]
struct ListSpec {
    heading: Option<String>,
    rows: Vec<RowSpec>,
}

#[derive(Debug, Clone)]
struct AppSpec {
    kind: usize,
    groups: bool,
    flush: bool,
    comment: bool,
    title: String,
    two_line_title: bool,
    lists: Vec<ListSpec>,
}

#[derive(Debug, Clone)]
struct PlanSpec {
    header: bool,
    dated: Option<(u32, u32)>,
    apps: Vec<AppSpec>,
    final_newline: bool,
}

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS).prop_map(str::to_owned)
}

fn words(n: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), n).prop_map(|w| w.join(" "))
}

/// Text as it may stand in a cell: short, long enough to fold, or an edge case.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => words(1..8),
        3 => words(14..40),
        2 => prop::sample::select(EDGES).prop_map(str::to_owned),
        1 => (prop::sample::select(EDGES), words(1..12)).prop_map(|(e, w)| format!("{e} {w}")),
    ]
}

fn cell() -> impl Strategy<Value = CellSpec> {
    (
        text(),
        0u8..8,
        prop::collection::vec(0..AGENCIES.len(), 1..4),
        (0u64..2_000_000, 0u32..3),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(text, style, names, amount, absent, comment)| CellSpec {
            text,
            style,
            names,
            amount,
            absent,
            comment,
        })
}

fn row() -> impl Strategy<Value = RowSpec> {
    (
        prop::collection::vec(cell(), 6),
        prop::option::weighted(0.6, words(1..4)),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(cells, comment, blank_before, stray)| RowSpec {
            cells,
            comment,
            blank_before,
            stray,
        })
}

fn list() -> impl Strategy<Value = ListSpec> {
    (
        prop::option::weighted(0.6, words(2..8)),
        prop::collection::vec(row(), 1..6),
    )
        .prop_map(|(heading, rows)| ListSpec { heading, rows })
}

fn app() -> impl Strategy<Value = AppSpec> {
    (
        0..KINDS.len(),
        any::<bool>(),
        prop::bool::weighted(0.25),
        any::<bool>(),
        words(3..12),
        any::<bool>(),
        prop::collection::vec(list(), 1..4),
    )
        .prop_map(
            |(kind, groups, flush, comment, title, two_line_title, lists)| AppSpec {
                kind,
                groups,
                flush,
                comment,
                title,
                two_line_title,
                lists,
            },
        )
}

fn plan_spec() -> impl Strategy<Value = PlanSpec> {
    (
        any::<bool>(),
        prop::option::of((1u32..13, 1u32..29)),
        prop::collection::vec(app(), 1..3),
        prop::bool::weighted(0.9),
    )
        .prop_map(|(header, dated, apps, final_newline)| PlanSpec {
            header,
            dated,
            apps,
            final_newline,
        })
}

/// Where one value went: its key's column and lines (key line to last line,
/// 0-based, end exclusive), and the comment after it on the key line, if any.
#[derive(Debug, Clone)]
struct ValueAt {
    key_col: usize,
    lines: (usize, usize),
    comment: Option<String>,
}

/// Where one row went.
#[derive(Debug, Clone)]
struct RowAt {
    /// Appendix, section, group, index in that group's items.
    at: (usize, usize, usize, usize),
    /// Its lines with the comment lines just above its dash (0-based, end exclusive).
    block: (usize, usize),
    /// The line of its dash and the dash's column (0-based).
    dash: (usize, usize),
    kind: usize,
    /// Its fields that are written.
    values: BTreeMap<&'static str, ValueAt>,
    /// The number of rows in its list.
    siblings: usize,
}

/// A generated plan: its text, its meaning, where its rows and the `plan:` block are.
#[derive(Debug, Clone)]
struct Generated {
    text: String,
    rows: Vec<RowAt>,
    plan_block: Pos,
    plan_values: BTreeMap<&'static str, ValueAt>,
    lists: Vec<ListAt>,
}

/// Where one section's or group's block went.
#[derive(Debug, Clone)]
struct ListAt {
    /// Appendix, and the section (under `sections:`) or the group (under `groups:`).
    at: (usize, usize),
    groups: bool,
    /// Its first key's line (0-based).
    line: usize,
    heading: Option<ValueAt>,
    /// One past its last line.
    end: usize,
}

/// Whether `t` reads back as itself written plain after `key: ` (conservatively).
fn plain_safe(t: &str) -> bool {
    let Some(first) = t.chars().next() else {
        return false;
    };
    (first.is_alphabetic() || first == '(' || first == '“')
        && !t.contains(": ")
        && !t.contains(" #")
        && !t.ends_with(':')
        && !t.contains(['\n', '\t'])
        && t.trim() == t
        && !matches!(
            t.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

fn double(t: &str) -> String {
    format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `>-` wrapped near 90 columns at `indent`, or `None` where folding cannot say `t`.
fn folded(t: &str, indent: usize) -> Option<Vec<String>> {
    if t.contains("  ") || t.trim() != t || t.contains(['\n', '\t']) || t.is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for w in t.split(' ') {
        if !line.is_empty() && indent + line.chars().count() + 1 + w.chars().count() > 90 {
            lines.push(format!("{}{line}", " ".repeat(indent)));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    lines.push(format!("{}{line}", " ".repeat(indent)));
    Some(lines)
}

/// A scalar text value in the style asked for (or the nearest that says it): the rest
/// of the key line, and the lines below it.
fn scalar(t: &str, style: u8, key_col: usize) -> (String, Vec<String>) {
    match style {
        1 => (format!("'{}'", t.replace('\'', "''")), vec![]),
        2 => (double(t), vec![]),
        3 if t.chars().count() > 30 => match folded(t, key_col + 2) {
            Some(lines) => (">-".to_owned(), lines),
            None => (double(t), vec![]),
        },
        _ if plain_safe(t) => (t.to_owned(), vec![]),
        _ => (double(t), vec![]),
    }
}

/// Lines being written, and the meaning they say.
struct Writer {
    lines: Vec<String>,
}

impl Writer {
    fn push(&mut self, l: String) -> usize {
        self.lines.push(l);
        self.lines.len() - 1
    }
}

/// One value of a row: its lines (the first starts with `first`, the key's line head:
/// the padding, or the padding and the dash), where it went, and what it means.
fn write_value(
    w: &mut Writer,
    first: &str,
    key: &'static str,
    kind: Fk,
    c: &CellSpec,
    key_col: usize,
) -> (ValueAt, Option<Field>) {
    let comment = c.comment.then(|| "# ghi chú".to_owned());
    let tail = |s: &str| match &comment {
        Some(cm) => format!("{s}   {cm}"),
        None => s.to_owned(),
    };
    let start = w.lines.len();
    let mut comment_kept = comment.clone();
    let meaning = match kind {
        // An empty cell: `key:`, perhaps with a comment after it.
        _ if c.style == 5 => {
            w.push(tail(&format!("{first}{key}:")));
            None
        }
        // Two lines, `|-`.
        Fk::Text if c.style == 4 && c.text.trim() == c.text && c.text.contains(' ') => {
            let words: Vec<&str> = c.text.split(' ').collect();
            let (a, b) = words.split_at(words.len() / 2);
            let (a, b) = (a.join(" ").trim().to_owned(), b.join(" ").trim().to_owned());
            w.push(format!("{first}{key}: |-"));
            for l in [&a, &b].into_iter().filter(|l| !l.is_empty()) {
                w.push(format!("{}{l}", " ".repeat(key_col + 2)));
            }
            comment_kept = None;
            let t = [a, b]
                .into_iter()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            Some(Field::Text(t))
        }
        Fk::Text => {
            let (head, below) = scalar(&c.text, c.style, key_col);
            if below.is_empty() {
                w.push(format!("{first}{key}: {}", tail(&head)));
            } else {
                // A comment after the block's header.
                w.push(format!("{first}{key}: {}", tail(&head)));
                below.into_iter().for_each(|l| {
                    w.push(l);
                });
            }
            let t = c.text.trim().to_owned();
            (!t.is_empty()).then_some(Field::Text(t))
        }
        Fk::Amount => {
            let d = Decimal::new(c.amount.0 as i64, c.amount.1);
            w.push(format!("{first}{key}: {}", tail(&d.to_string())));
            Some(Field::Amount(d))
        }
        Fk::List => {
            let names: Vec<String> = c.names.iter().map(|&i| AGENCIES[i].to_owned()).collect();
            match c.style {
                // One plain name, as kinh-phi's example writes it.
                1 if names.len() == 1 => {
                    w.push(format!("{first}{key}: {}", tail(&names[0])));
                }
                2 if names.iter().all(|n| !n.contains(',')) => {
                    w.push(format!(
                        "{first}{key}: {}",
                        tail(&format!("[{}]", names.join(", ")))
                    ));
                }
                // The dashes at the key's column, or under it.
                st => {
                    let dash = if st == 3 { key_col } else { key_col + 2 };
                    w.push(tail(&format!("{first}{key}:")));
                    for n in &names {
                        w.push(format!("{}- {n}", " ".repeat(dash)));
                    }
                }
            }
            Some(Field::List(names))
        }
    };
    (
        ValueAt {
            key_col,
            lines: (start, w.lines.len()),
            comment: comment_kept,
        },
        meaning,
    )
}

/// The plan's meaning, as the model says it with its places left out.
type Meaning = (
    (
        String,
        Option<String>,
        String,
        Option<(u16, u8, u8)>,
        Option<u16>,
        String,
    ),
    Vec<String>,
    Vec<AppMeaning>,
);
type AppMeaning = (String, Option<String>, String, Vec<SectionMeaning>);
type SectionMeaning = (Option<String>, Option<String>, bool, Vec<GroupMeaning>);
type GroupMeaning = (Option<String>, Option<String>, bool, Vec<ItemMeaning>);
/// A row's id, number and fields (empty lists left out: `[]` and no value say the same).
type ItemMeaning = (Option<String>, Option<String>, BTreeMap<String, Field>);

fn meaning(p: &Plan) -> Meaning {
    let m = &p.meta;
    (
        (
            m.kind.clone(),
            m.number.clone(),
            m.symbol.clone(),
            m.date.map(|d| (d.year, d.month, d.day)),
            m.year,
            m.issuer.clone(),
        ),
        p.agencies.clone(),
        p.appendices
            .iter()
            .map(|a| {
                (
                    a.template.clone(),
                    a.number.clone(),
                    a.title.clone(),
                    a.sections
                        .iter()
                        .map(|s| {
                            (
                                s.id.clone(),
                                s.heading.clone(),
                                s.implicit,
                                s.groups
                                    .iter()
                                    .map(|g| {
                                        (
                                            g.id.clone(),
                                            g.heading.clone(),
                                            g.implicit,
                                            g.items.iter().map(item_meaning).collect(),
                                        )
                                    })
                                    .collect(),
                            )
                        })
                        .collect(),
                )
            })
            .collect(),
    )
}

fn item_meaning(i: &phuluc::model::Item) -> ItemMeaning {
    (
        i.id.clone(),
        i.number.clone(),
        i.fields
            .iter()
            .filter(|(_, f)| !matches!(f, Field::List(l) if l.is_empty()))
            .map(|(k, f)| (k.clone(), f.clone()))
            .collect(),
    )
}

/// The text of `spec`, where everything went, and what it means.
fn generate(spec: &PlanSpec) -> (Generated, Meaning) {
    let mut w = Writer { lines: Vec::new() };
    if spec.header {
        w.push("# yaml-language-server: $schema=../schema/phuluc.schema.json".into());
        w.push("# Kế hoạch sinh ngẫu nhiên: “thử” các thao tác sửa.".into());
    }
    w.push("version: 1".into());
    w.push("plan:".into());
    let plan_first = w.push("  kind: Kế hoạch".into());
    let mut plan_values = BTreeMap::new();
    let n = w.push("  number: ~          # số văn bản: để trống (~) khi chưa ban hành".into());
    plan_values.insert(
        "number",
        ValueAt {
            key_col: 2,
            lines: (n, n + 1),
            comment: Some("# số văn bản: để trống (~) khi chưa ban hành".into()),
        },
    );
    w.push("  symbol: KH-UBND".into());
    let d = match spec.dated {
        Some((m, d)) => w.push(format!("  date: 2026-{m:02}-{d:02}   # ngày ký")),
        None => w.push("  date: ~            # ngày ký".into()),
    };
    plan_values.insert(
        "date",
        ValueAt {
            key_col: 2,
            lines: (d, d + 1),
            comment: Some("# ngày ký".into()),
        },
    );
    let y = w.push("  year: 2026".into());
    plan_values.insert(
        "year",
        ValueAt {
            key_col: 2,
            lines: (y, y + 1),
            comment: None,
        },
    );
    let i = w.push("  issuer: Ủy ban nhân dân phường Thạch Khôi".into());
    plan_values.insert(
        "issuer",
        ValueAt {
            key_col: 2,
            lines: (i, i + 1),
            comment: None,
        },
    );
    w.push("appendices:".into());
    let mut rows = Vec::new();
    let mut apps = Vec::new();
    let mut list_at = Vec::new();
    for (ai, a) in spec.apps.iter().enumerate() {
        let (template, fields) = KINDS[a.kind];
        if a.comment {
            w.push(format!("  # PHỤ LỤC {}", ai + 1));
        }
        w.push(format!("  - template: {template}"));
        let title = if a.two_line_title {
            w.push("    title: |-".into());
            let (x, y) = a.title.split_at(a.title.find(' ').unwrap_or(a.title.len()));
            w.push(format!("      {x}"));
            let y = y.trim();
            if !y.is_empty() {
                w.push(format!("      {y}"));
                format!("{x}\n{y}")
            } else {
                x.to_owned()
            }
        } else {
            let (head, below) = scalar(&a.title, 0, 4);
            assert!(below.is_empty());
            w.push(format!("    title: {head}"));
            a.title.clone()
        };
        w.push(format!(
            "    {}:",
            if a.groups { "groups" } else { "sections" }
        ));
        let mut lists = Vec::new();
        for (li, l) in a.lists.iter().enumerate() {
            let mut items_key = "        items:".to_owned();
            let first_line = w.lines.len();
            let heading = match &l.heading {
                Some(h) => {
                    let (head, _) = scalar(h, 0, 8);
                    w.push(format!("      - heading: {head}"));
                    Some(ValueAt {
                        key_col: 8,
                        lines: (first_line, first_line + 1),
                        comment: None,
                    })
                }
                None => {
                    items_key = "      - items:".into();
                    None
                }
            };
            w.push(items_key);
            let dash = if a.flush { 8 } else { 10 };
            let mut items = Vec::new();
            for (ri, r) in l.rows.iter().enumerate() {
                // Lines between rows that belong to neither: a comment at the dash's
                // column with a blank line after it, or a comment at column 0.
                match (r.stray, r.blank_before) {
                    (true, true) => {
                        w.push(format!("{}# ---", " ".repeat(dash)));
                        w.push(String::new());
                    }
                    (true, false) => {
                        w.push("# ---".into());
                    }
                    (false, true) => {
                        w.push(String::new());
                    }
                    (false, false) => {}
                }
                let block_start = w.lines.len();
                if let Some(c) = &r.comment {
                    w.push(format!("{}# {c}", " ".repeat(dash)));
                }
                let dash_line = w.lines.len();
                let mut values = BTreeMap::new();
                let mut item = BTreeMap::new();
                let mut firsts = true;
                for (fi, &(key, kind, optional)) in fields.iter().enumerate() {
                    let c = &r.cells[fi];
                    if optional && c.absent {
                        continue;
                    }
                    let first = if firsts {
                        format!("{}- ", " ".repeat(dash))
                    } else {
                        " ".repeat(dash + 2)
                    };
                    firsts = false;
                    let (at, m) = write_value(&mut w, &first, key, kind, c, dash + 2);
                    values.insert(key, at);
                    if let Some(m) = m {
                        item.insert(key.to_owned(), m);
                    }
                }
                let (s, g) = if a.groups { (0, li) } else { (li, 0) };
                rows.push(RowAt {
                    at: (ai, s, g, ri),
                    block: (block_start, w.lines.len()),
                    dash: (dash_line, dash),
                    kind: a.kind,
                    values,
                    siblings: l.rows.len(),
                });
                items.push((None, None, item));
            }
            lists.push((l.heading.clone(), items));
            list_at.push(ListAt {
                at: (ai, li),
                groups: a.groups,
                line: first_line,
                heading,
                end: w.lines.len(),
            });
        }
        let sections = if a.groups {
            vec![(
                None,
                None,
                true,
                lists
                    .into_iter()
                    .map(|(h, items)| (None, h, false, items))
                    .collect(),
            )]
        } else {
            lists
                .into_iter()
                .map(|(h, items)| (None, h, false, vec![(None, None, true, items)]))
                .collect()
        };
        apps.push((template.to_owned(), None, title, sections));
    }
    let mut text = w.lines.join("\n");
    if spec.final_newline {
        text.push('\n');
    }
    let meta = (
        "Kế hoạch".to_owned(),
        None,
        "KH-UBND".to_owned(),
        spec.dated.map(|(m, d)| (2026, m as u8, d as u8)),
        Some(2026),
        "Ủy ban nhân dân phường Thạch Khôi".to_owned(),
    );
    (
        Generated {
            text,
            rows,
            plan_block: Pos {
                line: plan_first as u32 + 1,
                column: 3,
            },
            plan_values,
            lists: list_at,
        },
        (meta, Vec::new(), apps),
    )
}

// ---------------------------------------------------------------------------------
// The edits.

#[derive(Debug, Clone)]
struct OpSpec {
    target: u8,
    row: prop::sample::Index,
    action: u8,
    field: prop::sample::Index,
    text: String,
    names: Vec<usize>,
    list_noise: bool,
    amount: (u64, u32, u8),
    date: (u32, u32, u32),
    bad: bool,
}

fn op_spec() -> impl Strategy<Value = OpSpec> {
    (
        0u8..20,
        any::<prop::sample::Index>(),
        0u8..10,
        any::<prop::sample::Index>(),
        prop_oneof![
            8 => text(),
            1 => Just(String::new()),
            1 => words(1..5).prop_map(|t| format!("  {t}  ")),
            1 => (words(1..5), words(1..5)).prop_map(|(a, b)| format!("{a}\n{b}")),
            1 => words(1..6).prop_map(|t| t.nfd().collect()),
        ],
        prop::collection::vec(0..AGENCIES.len(), 0..4),
        any::<bool>(),
        (0u64..100_000_000, 0u32..3, 0u8..3),
        (
            1u32..32,
            1u32..13,
            prop_oneof![3 => Just(2026u32), 1 => 2000u32..2100],
        ),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(target, row, action, field, text, names, list_noise, amount, date, bad)| OpSpec {
                target,
                row,
                action,
                field,
                text,
                names,
                list_noise,
                amount,
                date,
                bad,
            },
        )
}

/// An amount as the clerk types it: "1.250.000", "12,5", "1.250,75", or plainly.
fn typed_amount(n: u64, scale: u32, form: u8) -> (String, Decimal) {
    let d = Decimal::new(n as i64, scale);
    let s = d.to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let typed = match (form, frac.is_empty()) {
        (0, true) => grouped,
        (0, false) => format!("{grouped},{frac}"),
        (1, true) => int.to_owned(),
        (1, false) => format!("{int},{frac}"),
        (_, true) => format!(" {grouped} "),
        (_, false) => format!("{int}.{frac}"),
    };
    (typed, d)
}

/// What an edit should come to.
#[derive(Debug)]
enum Expect {
    /// `field` of row `row` becomes `to` (`None`: empty).
    Set {
        row: usize,
        field: &'static str,
        to: Option<Field>,
    },
    /// The heading of list `.0` (a section or a group) becomes `.1`.
    Heading(usize, Option<String>),
    /// The plan's date becomes this (and its year the date's).
    PlanDate(Option<(u16, u8, u8)>),
    /// The plan's issuer becomes this (emptied: a warning, not a refusal).
    PlanIssuer(String),
    /// A row action on row `.0`, done.
    Row(usize),
    /// Refused, for this reason.
    Refused(&'static str),
}

fn choose(g: &Generated, o: &OpSpec) -> (Op, Expect) {
    if o.target == 0 {
        // No mapping starts there.
        let src = Pos {
            line: 9999,
            column: 3,
        };
        return (Op::Delete { src }, Expect::Refused("no such place"));
    }
    if o.target == 1 {
        let src = g.plan_block;
        return match o.action % 4 {
            0 => (Op::MoveUp { src }, Expect::Refused("not a row")),
            1 => {
                let (d, m, y) = o.date;
                let value = format!("{d:02}/{m:02}/{y}");
                let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
                let days = match m {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                let e = if d > days {
                    Expect::Refused("not a date")
                } else if y != 2026 {
                    // The plan says `year: 2026`.
                    Expect::Refused("year differs")
                } else {
                    Expect::PlanDate(Some((y as u16, m as u8, d as u8)))
                };
                (
                    Op::Set {
                        src,
                        field: "date".into(),
                        value,
                    },
                    e,
                )
            }
            2 => (
                Op::Set {
                    src,
                    field: "date".into(),
                    value: if o.bad { "mai".into() } else { String::new() },
                },
                if o.bad {
                    Expect::Refused("not a date")
                } else {
                    Expect::PlanDate(None)
                },
            ),
            _ => {
                let t = o.text.nfc().collect::<String>().trim().to_owned();
                (
                    Op::Set {
                        src,
                        field: "issuer".into(),
                        value: o.text.clone(),
                    },
                    Expect::PlanIssuer(t),
                )
            }
        };
    }
    if o.target == 2 {
        let li = o.row.index(g.lists.len());
        let l = &g.lists[li];
        let src = Pos {
            line: l.line as u32 + 1,
            column: 9,
        };
        let t = o.text.nfc().collect::<String>().trim().to_owned();
        return (
            Op::Set {
                src,
                field: "heading".into(),
                value: o.text.clone(),
            },
            Expect::Heading(li, (!t.is_empty()).then_some(t)),
        );
    }
    let ri = o.row.index(g.rows.len());
    let r = &g.rows[ri];
    let src = parse_src(&format!("{}:{}", r.dash.0 + 1, r.dash.1 + 3)).expect("LINE:COL");
    let idx = r.at.3;
    match o.action {
        0 => (Op::InsertBefore { src }, Expect::Row(ri)),
        1 => (Op::InsertAfter { src }, Expect::Row(ri)),
        2 => (Op::Delete { src }, Expect::Row(ri)),
        3 if idx == 0 => (Op::MoveUp { src }, Expect::Refused("cannot move")),
        3 => (Op::MoveUp { src }, Expect::Row(ri)),
        4 if idx + 1 == r.siblings => (Op::MoveDown { src }, Expect::Refused("cannot move")),
        4 => (Op::MoveDown { src }, Expect::Row(ri)),
        _ => {
            let fields = KINDS[r.kind].1;
            let (field, kind, _) = fields[o.field.index(fields.len())];
            let (value, to) = match kind {
                Fk::Text => {
                    let v: String = o.text.nfc().collect();
                    let v = v.replace("\r\n", "\n");
                    let t = v.trim().to_owned();
                    (o.text.clone(), (!t.is_empty()).then_some(Field::Text(t)))
                }
                Fk::List => {
                    let names: Vec<String> =
                        o.names.iter().map(|&i| AGENCIES[i].to_owned()).collect();
                    let typed = if o.list_noise {
                        names
                            .iter()
                            .map(|n| format!("  {n} \n"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    } else {
                        names.join("\n")
                    };
                    (typed, (!names.is_empty()).then_some(Field::List(names)))
                }
                Fk::Amount if o.bad => {
                    return (
                        Op::Set {
                            src,
                            field: field.into(),
                            value: ["ba mươi", "1.25.0", "12,5,0", "1,250.000"]
                                [(o.amount.0 % 4) as usize]
                                .into(),
                        },
                        Expect::Refused("not a number"),
                    );
                }
                Fk::Amount => {
                    let (typed, d) = typed_amount(o.amount.0, o.amount.1, o.amount.2);
                    (typed, Some(Field::Amount(d)))
                }
            };
            (
                Op::Set {
                    src,
                    field: field.into(),
                    value,
                },
                Expect::Set { row: ri, field, to },
            )
        }
    }
}

// ---------------------------------------------------------------------------------
// The checks.

fn templates() -> Templates {
    Templates::builtin().expect("built-in templates")
}

fn load(text: &str, t: &Templates) -> Result<Plan, Vec<phuluc::diag::Diagnostic>> {
    phuluc::prepare_str(text, Path::new("p.yaml"), t).map(|p| p.plan)
}

fn lines(s: &str) -> Vec<&str> {
    s.split('\n').collect()
}

/// The group's items holding row `r` in a meaning.
fn items_of(m: &mut Meaning, at: (usize, usize, usize, usize)) -> &mut Vec<ItemMeaning> {
    &mut m.2[at.0].3[at.1].3[at.2].3
}

/// `old` with its lines `range` (0-based, end exclusive) replaced by `with`.
fn splice(old: &[&str], range: (usize, usize), with: &[String]) -> Vec<String> {
    let mut out: Vec<String> = old[..range.0].iter().map(|s| (*s).to_owned()).collect();
    out.extend(with.iter().cloned());
    out.extend(old[range.1..].iter().map(|s| (*s).to_owned()));
    out
}

/// The lines of an empty row of kind `kind` with its dash at `dash`.
fn empty_row(kind: usize, dash: usize) -> Vec<String> {
    KINDS[kind]
        .1
        .iter()
        .enumerate()
        .map(|(i, (f, _, _))| {
            format!(
                "{}{}{f}:",
                " ".repeat(dash),
                if i == 0 { "- " } else { "  " }
            )
        })
        .collect()
}

fn empty_item() -> ItemMeaning {
    (None, None, BTreeMap::new())
}

/// The lines of the old text as they must be after a row action.
fn row_lines(g: &Generated, op: &Op, ri: usize) -> Vec<String> {
    let old = lines(&g.text);
    let r = &g.rows[ri];
    let (b0, b1) = r.block;
    let copy =
        |a: usize, b: usize| -> Vec<String> { old[a..b].iter().map(|s| (*s).to_owned()).collect() };
    match op {
        Op::InsertBefore { .. } => splice(&old, (b0, b0), &empty_row(r.kind, r.dash.1)),
        Op::InsertAfter { .. } => splice(&old, (b1, b1), &empty_row(r.kind, r.dash.1)),
        Op::Delete { .. } => splice(&old, (b0, b1), &[]),
        Op::MoveUp { .. } | Op::MoveDown { .. } => {
            let (a, b) = match op {
                Op::MoveUp { .. } => (&g.rows[ri - 1], r),
                _ => (r, &g.rows[ri + 1]),
            };
            let mut with = copy(b.block.0, b.block.1);
            with.extend(copy(a.block.1, b.block.0));
            with.extend(copy(a.block.0, a.block.1));
            splice(&old, (a.block.0, b.block.1), &with)
        }
        Op::Set { .. } => unreachable!(),
    }
}

/// The value's lines of the old text replaced by anything, every other line the same:
/// the new text's lines are `old[..a] ++ X ++ old[b..]`, `X` starting with the key.
fn check_set_lines(
    old: &str,
    new: &str,
    at: Option<&ValueAt>,
    end_of_mapping: usize,
    key_col: usize,
    field: &str,
) -> Result<(), TestCaseError> {
    // A key added after the last line of a file with no final newline ends with one.
    let new = match new.strip_suffix('\n') {
        Some(n) if !old.ends_with('\n') && at.is_none() => n,
        _ => new,
    };
    let (lo, ln) = (lines(old), lines(new));
    let (a, b) = at.map_or((end_of_mapping, end_of_mapping), |v| v.lines);
    let key_col = at.map_or(key_col, |v| v.key_col);
    prop_assert!(ln.len() + (b - a) >= lo.len(), "lines lost");
    let x = ln.len() + (b - a) - lo.len();
    prop_assert_eq!(&ln[..a], &lo[..a], "lines above the value changed");
    prop_assert_eq!(&ln[a + x..], &lo[b..], "lines below the value changed");
    prop_assert!(x >= 1, "the value's key line went");
    let head = format!("{}{field}:", " ".repeat(key_col));
    let dash_head = format!("{}- {field}:", " ".repeat(key_col.saturating_sub(2)));
    prop_assert!(
        ln[a].starts_with(&head) || ln[a].starts_with(&dash_head),
        "the edited lines do not start with the key: {:?}",
        &ln[a..a + x]
    );
    if let Some(c) = at.and_then(|v| v.comment.as_ref()) {
        prop_assert!(
            ln[a].ends_with(c.as_str()),
            "the comment after the value went: {:?}",
            &ln[a..a + x]
        );
    }
    // The new value's other lines are indented under the key (a list's dashes may stand
    // at the key's column).
    for l in &ln[a + 1..a + x] {
        prop_assert!(
            l.starts_with(&" ".repeat(key_col + 2))
                || l.starts_with(&format!("{}- ", " ".repeat(key_col))),
            "not under the key: {:?}",
            l
        );
    }
    Ok(())
}

/// Whether a refusal is the one expected.
fn refused_for(e: &EditError, why: &str) -> bool {
    match (e, why) {
        (EditError::NoSuchPlace { .. }, "no such place") => true,
        (EditError::NotARow { .. }, "not a row") => true,
        (EditError::CannotMove { .. }, "cannot move") => true,
        (EditError::Value { .. }, "not a number" | "not a date") => true,
        (EditError::Invalid(diags), "year differs") => diags
            .iter()
            .any(|d| d.is_error() && d.message.vi.contains("khác với năm của ngày ký")),
        _ => false,
    }
}

fn edit(text: &str, op: &Op, t: &Templates) -> Result<Edited, EditError> {
    edit_text(text, op, Path::new("p.yaml"), t)
}

/// The same edit through a session on a file: the edited bytes, undo to the old ones,
/// redo to the edited ones; a refusal writes nothing.
fn through_session(old: &str, op: &Op, edited: Option<&str>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("p.yaml");
    std::fs::write(&file, old).expect("write");
    let mut s = Session::new(&file, None);
    let v0 = s.version().expect("version");
    prop_assert_eq!(&v0, &version(old.as_bytes()));
    let read = || std::fs::read(&file).expect("read");
    match (s.apply(&v0, op), edited) {
        (Ok(a), Some(e)) => {
            prop_assert_eq!(
                read(),
                e.as_bytes().to_vec(),
                "the session wrote other bytes"
            );
            prop_assert_eq!(&a.version, &version(e.as_bytes()));
            if e != old {
                prop_assert_eq!(s.undo(Some(&a.version)).expect("undo"), v0.clone());
                prop_assert_eq!(read(), old.as_bytes().to_vec(), "undo is not the old bytes");
                prop_assert_eq!(s.redo(None).expect("redo"), a.version);
                prop_assert_eq!(
                    read(),
                    e.as_bytes().to_vec(),
                    "redo is not the edited bytes"
                );
            }
        }
        (Err(_), None) => prop_assert_eq!(read(), old.as_bytes().to_vec(), "a refusal wrote"),
        (r, e) => prop_assert!(
            false,
            "session {:?} where edit_text gave {:?}",
            r.map(|_| ()),
            e
        ),
    }
    Ok(())
}

/// The whole property for one plan and one edit.
fn property(spec: &PlanSpec, o: &OpSpec) -> Result<(), TestCaseError> {
    let t = templates();
    let (g, want) = generate(spec);
    // The generator cannot drift: the plan checks clean and says what was generated.
    let before = match load(&g.text, &t) {
        Ok(p) => p,
        Err(d) => {
            return Err(TestCaseError::fail(format!(
                "generated plan does not check: {:?}\n{}",
                d.iter().map(|d| (d.pos, &d.message.vi)).collect::<Vec<_>>(),
                g.text
            )));
        }
    };
    let old_meaning = meaning(&before);
    prop_assert_eq!(&old_meaning, &want, "generated plan reads back otherwise");
    let (op, expect) = choose(&g, o);
    let result = edit(&g.text, &op, &t);
    let mut edited = None;
    match (&expect, &result) {
        (Expect::Refused(why), Err(e)) => {
            prop_assert!(refused_for(e, why), "refused for {:?}, expected {}", e, why);
        }
        (Expect::Refused(why), Ok(e)) => {
            prop_assert!(false, "accepted; expected a refusal ({}):\n{}", why, e.text);
        }
        (_, Err(e)) => {
            prop_assert!(false, "refused {:?} for {:?}\n{}", e, op, g.text);
        }
        (_, Ok(e)) => {
            edited = Some(e.text.clone());
            let after = match load(&e.text, &t) {
                Ok(p) => meaning(&p),
                Err(d) => {
                    return Err(TestCaseError::fail(format!("edited plan invalid: {d:?}")));
                }
            };
            let mut want = old_meaning.clone();
            let old_lines = lines(&g.text);
            match &expect {
                Expect::Set { row, field, to } => {
                    let r = &g.rows[*row];
                    let it = &mut items_of(&mut want, r.at)[r.at.3].2;
                    match to {
                        Some(f) => it.insert((*field).to_owned(), f.clone()),
                        None => it.remove(*field),
                    };
                    check_set_lines(
                        &g.text,
                        &e.text,
                        r.values.get(field),
                        r.block.1,
                        r.dash.1 + 2,
                        field,
                    )?;
                }
                Expect::Heading(li, h) => {
                    let l = &g.lists[*li];
                    let (ai, i) = l.at;
                    if l.groups {
                        want.2[ai].3[0].3[i].1 = h.clone();
                    } else {
                        want.2[ai].3[i].1 = h.clone();
                    }
                    check_set_lines(&g.text, &e.text, l.heading.as_ref(), l.end, 8, "heading")?;
                }
                Expect::PlanDate(d) => {
                    want.0.3 = *d;
                    if let Some((y, _, _)) = d {
                        want.0.4 = Some(*y);
                    }
                    check_set_lines(&g.text, &e.text, g.plan_values.get("date"), 0, 2, "date")?;
                }
                Expect::PlanIssuer(i) => {
                    want.0.5 = i.clone();
                    check_set_lines(
                        &g.text,
                        &e.text,
                        g.plan_values.get("issuer"),
                        0,
                        2,
                        "issuer",
                    )?;
                }
                Expect::Row(ri) => {
                    let r = &g.rows[*ri];
                    let i = r.at.3;
                    let items = items_of(&mut want, r.at);
                    match op {
                        Op::InsertBefore { .. } => items.insert(i, empty_item()),
                        Op::InsertAfter { .. } => items.insert(i + 1, empty_item()),
                        Op::Delete { .. } => {
                            items.remove(i);
                        }
                        Op::MoveUp { .. } => items.swap(i - 1, i),
                        Op::MoveDown { .. } => items.swap(i, i + 1),
                        Op::Set { .. } => unreachable!(),
                    }
                    let expected = row_lines(&g, &op, *ri).join("\n");
                    // A row added or removed at the end of a file with no final newline
                    // ends its new last line with one.
                    let at_end = r.block.1 == old_lines.len()
                        && matches!(op, Op::InsertAfter { .. } | Op::Delete { .. });
                    prop_assert!(
                        e.text == expected || at_end && e.text == format!("{expected}\n"),
                        "the row's lines did not move exactly ({:?}):\n{}\n---- expected:\n{}",
                        op,
                        e.text,
                        expected
                    );
                }
                Expect::Refused(_) => unreachable!(),
            }
            prop_assert_eq!(after, want, "the plan did not change exactly as {:?}", op);
        }
    }
    through_session(&g.text, &op, edited.as_deref())
}

proptest! {
    #![proptest_config(proptest_config(64))]

    /// Random plans, one random edit each: see the module doc.
    #[test]
    fn random_edits_of_random_plans_change_exactly_what_they_say(
        spec in plan_spec(),
        o in op_spec(),
    ) {
        property(&spec, &o)?;
    }
}
