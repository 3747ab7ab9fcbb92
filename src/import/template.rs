//! A template made from a table of a kind phuluc does not know (no template's column
//! headers match it): the folder a clerk would otherwise write by hand.
//!
//! Contract: [`derive`] looks at one table — its header rows (one to three; groups from
//! the cells above the last header row that are not a column's own header merged down),
//! its grid widths (`w:tblGrid`), its body rows as recognition classifies them, the
//! alignment and size of its cells' paragraphs, its section's page setup — and gives a
//! [`NewKind`]: the files of a template folder (`layout.yaml` in the house style of
//! `templates/nhiem-vu/layout.yaml`, a comment on every guess; the built-in heading
//! templates) and the kind guessed for each column. The column headers it writes are the
//! table's last header row, so [`super::recognise`] then matches the table with the new
//! kind and reads its rows by the same code as a built-in kind's. It reads and writes no
//! file and never panics; `None` where no header row could be found (one of the first
//! three rows heading every grid column with a cell of its own).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

use super::raw::{Align, Cell, Merge, SectionProps, Table};
use super::recognise::{RowKind, cell_at, classify};
use super::values::{is_roman, loose, parse_amount, parse_date, row_number};
use super::yaml::{plain_or_quoted, quoted};
use crate::compose::templates::{
    ColumnKind, LINE_TEMPLATES, MAX_GROUP_DEPTH, PageLayout, TableLayout, TextLayout,
    default_line_template,
};

/// Twentieths of a point (twips) in a millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

/// Where the new kind is made from and for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Word file's name, for the opening comment.
    pub source: String,
    /// The path of `schema/layout.schema.json` relative to the new `layout.yaml`.
    pub schema: String,
    /// The folder the new kind's folder will be written into (for messages).
    pub dir: std::path::PathBuf,
}

/// A template made from a table.
#[derive(Debug, Clone)]
pub struct NewKind {
    /// The kind's name and folder name ("danh-muc-cong-trinh").
    pub slug: String,
    /// The `name:` written.
    pub name: String,
    /// The folder's files by name: `layout.yaml`, `label.hbs`, `title.hbs`,
    /// `reference.hbs`.
    pub files: BTreeMap<String, String>,
    /// What each column was taken for, left to right.
    pub columns: Vec<GuessedColumn>,
    /// The table it was made from (from 0).
    pub table: usize,
}

/// One column of a new kind, as guessed.
#[derive(Debug, Clone, PartialEq)]
pub struct GuessedColumn {
    /// Header text.
    pub header: String,
    /// Field name in the plan.
    pub field: String,
    /// The guessed kind.
    pub kind: ColumnKind,
}

/// A column kind guessed from its header and cells, and why (Vietnamese, for the
/// comment in `layout.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The kind.
    pub kind: ColumnKind,
    /// Digits after the decimal comma, for amounts and percentages (the most typed).
    pub decimals: Option<u8>,
    /// Why, in a few words.
    pub why: &'static str,
}

/// A row number as a first column holds it: "1", "1.2", "II", "a)".
fn numberish(text: &str) -> bool {
    let n = row_number(text);
    let core = n.trim_end_matches([')', '.']);
    (1..=8).contains(&n.chars().count())
        && n.chars().all(|c| c.is_alphanumeric() || ".)".contains(c))
        && (core.chars().any(|c| c.is_ascii_digit()) || is_roman(core) || core.chars().count() == 1)
}

/// Guesses what a column holds from its header and its body cells (each cell as its
/// paragraphs' texts). In order: a first column of short row numbers (or headed "TT",
/// "Stt") → number; every filled cell a dd/mm/yyyy date → date; every filled cell an
/// amount → amount (percent where each ends in "%"), with the most decimals typed; a
/// header naming agencies ("cơ quan", "đơn vị") or a cell with one name per paragraph
/// → list; else text.
pub fn guess_kind(first: bool, header: &str, cells: &[Vec<String>]) -> Guess {
    let filled: Vec<String> = cells
        .iter()
        .map(|ps| {
            let parts: Vec<&str> = ps
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect();
            parts.join("\n")
        })
        .filter(|t| !t.is_empty())
        .collect();
    let h = loose(header);
    let guess = |kind, decimals, why| Guess {
        kind,
        decimals,
        why,
    };
    if first
        && (matches!(h.as_str(), "tt" | "stt" | "sott")
            || (!filled.is_empty() && filled.iter().all(|t| numberish(t))))
    {
        return guess(
            ColumnKind::Number,
            None,
            "số thứ tự ngắn ở cột đầu: phuluc tự đánh số",
        );
    }
    if filled.is_empty() {
        return guess(
            ColumnKind::Text,
            None,
            "cột không có ô nào có chữ: để dạng chữ",
        );
    }
    if filled.iter().all(|t| parse_date(t).is_some()) {
        return guess(ColumnKind::Date, None, "mọi ô là ngày dd/mm/yyyy");
    }
    let amounts: Option<Vec<crate::model::Decimal>> =
        filled.iter().map(|t| parse_amount(t)).collect();
    if let Some(amounts) = amounts {
        let most = amounts.iter().map(|d| d.scale()).max().unwrap_or(0).min(3);
        let decimals = u8::try_from(most).ok().filter(|d| *d > 0);
        if filled.iter().all(|t| t.ends_with('%')) {
            return guess(ColumnKind::Percent, decimals, "mọi ô là tỷ lệ phần trăm");
        }
        return guess(
            ColumnKind::Amount,
            decimals,
            "mọi ô là số: cộng được ở dòng cộng",
        );
    }
    let agency_header = h.contains("coquan") || h.contains("donvi");
    let per_paragraph = cells
        .iter()
        .any(|ps| ps.iter().filter(|p| !p.trim().is_empty()).count() > 1)
        && cells.iter().flatten().all(|p| p.chars().count() <= 120);
    if agency_header || per_paragraph {
        return guess(
            ColumnKind::List,
            None,
            if agency_header {
                "tiêu đề nói cơ quan/đơn vị: danh sách, mỗi tên một dòng"
            } else {
                "ô có nhiều dòng, mỗi dòng một tên: danh sách"
            },
        );
    }
    guess(ColumnKind::Text, None, "chữ")
}

/// The words of `s` in ASCII: lower case, no diacritics, "đ" as "d", split at anything
/// else.
fn ascii_words(s: &str) -> Vec<String> {
    let plain: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    plain.split_whitespace().map(str::to_owned).collect()
}

/// `base`, or `base` with "-2", "_3" … where `taken` says it is used.
fn unique(base: String, sep: char, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{sep}{n}"))
        .find(|c| !taken(c))
        .unwrap_or(base)
}

/// The kind's folder name: the title's first words, else the main column's header.
fn kind_slug(title: &str, headers: &[String], kinds: &[ColumnKind], taken: &[String]) -> String {
    let mut words = ascii_words(title);
    if words.is_empty() {
        let main = kinds.iter().position(|k| *k == ColumnKind::Text);
        words = main
            .and_then(|m| headers.get(m))
            .map(|h| ascii_words(h))
            .unwrap_or_default();
    }
    words.truncate(4);
    let base = if words.is_empty() {
        "bang-moi".to_owned()
    } else {
        words.join("-")
    };
    unique(base, '-', |c| taken.iter().any(|t| t == c))
}

/// A column's field name: its header in ASCII snake case (at most five words), unique,
/// never a reserved row key.
fn field_name(header: &str, kind: ColumnKind, index: usize, used: &[String]) -> String {
    if kind == ColumnKind::Number {
        return unique("stt".to_owned(), '_', |c| used.iter().any(|u| u == c));
    }
    let mut words = ascii_words(header);
    words.truncate(5);
    let mut base = words.join("_");
    if base.is_empty() {
        base = format!("cot_{}", index + 1);
    } else if base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("cot_{base}");
    }
    // Never a reserved row key, the number column's name, or a word a YAML reader takes
    // for true, false or null when it is a key ("y", "no", "null").
    let yaml_word = matches!(
        base.as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    );
    if crate::model::validate::ROW_KEYS.contains(&base.as_str()) || base == "stt" || yaml_word {
        base.push_str("_cot");
    }
    unique(base, '_', |c| used.iter().any(|u| u == c))
}

/// The header rows: the number of them (one to three) and of grid columns. The last is a
/// row where every grid column has a cell of its own with a letter or digit in it (as
/// recognition compares headers: "…" alone is no header); with a header cell merged
/// down into the row after it, that row is the last instead.
fn header_rows(table: &Table) -> Option<(usize, usize)> {
    let full = |r: usize| -> Option<usize> {
        let row = table.rows.get(r)?;
        let cols = row.cells.iter().map(|c| c.col + c.span).max()?;
        (0..cols)
            .all(|col| {
                cell_at(&row.cells, col)
                    .is_some_and(|c| c.col == col && c.span == 1 && !loose(&c.text()).is_empty())
            })
            .then_some(cols)
    };
    let merged_down = |r: usize| {
        table.rows.get(r).is_some_and(|row| {
            row.cells
                .iter()
                .any(|c| c.merge == Merge::Continue && c.merged_from.is_some_and(|f| f < r))
        })
    };
    let mut found = None;
    for h in 1..=3.min(table.rows.len()) {
        if let Some(cols) = full(h - 1) {
            found = Some((h, cols));
            if !merged_down(h) {
                break;
            }
        } else if found.is_some() {
            break;
        }
    }
    let (h, cols) = found?;
    // Rows above the last header row may not be wider than it, and over each column
    // hold its own header merged down or a group label: a row with an empty cell is no
    // header row, so the row under it is no last header row either.
    let header_like = table.rows[..h - 1].iter().all(|r| {
        (0..cols).all(|col| {
            cell_at(&r.cells, col)
                .is_some_and(|c| c.merge != Merge::None || !loose(&c.text()).is_empty())
        })
    });
    let wider = table.rows[..h]
        .iter()
        .any(|r| r.cells.iter().map(|c| c.col + c.span).max().unwrap_or(0) > cols);
    (header_like && !wider).then_some((h, cols))
}

/// A cell's paragraphs joined with spaces (a header typed on two lines is one header).
fn one_line(cell: &Cell) -> String {
    let parts: Vec<&str> = cell
        .paragraphs
        .iter()
        .map(|p| p.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    parts
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Millimetres from twips, to a tenth.
fn mm(twips: u32) -> f32 {
    ((f64::from(twips) / TWIPS_PER_MM) * 10.0).round() as f32 / 10.0
}

/// A number as the house style writes it: "20", "12.5".
fn num(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A string inside a flow sequence `[…]`.
fn flow(s: &str) -> String {
    let plain = plain_or_quoted(s);
    if plain.starts_with('"') || !s.contains([',', '[', ']', '{', '}']) {
        plain
    } else {
        quoted(s)
    }
}

/// `line` padded so its comment starts at the house column.
fn commented(out: &mut String, line: &str, comment: &str) {
    let _ = writeln!(out, "{line:<32}# {comment}");
}

fn align_name(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "justify",
    }
}

/// A column kind as `layout.yaml` spells it.
pub fn kind_name(k: ColumnKind) -> &'static str {
    match k {
        ColumnKind::Number => "number",
        ColumnKind::Text => "text",
        ColumnKind::List => "list",
        ColumnKind::Amount => "amount",
        ColumnKind::Date => "date",
        ColumnKind::Percent => "percent",
    }
}

/// The typed total rows: whether there is a grand total and where, and which subtotals.
#[derive(Default)]
struct TypedTotals {
    grand_top: Option<bool>,
    groups: bool,
    sections: bool,
}

/// One column as it will be written.
struct Col {
    header: String,
    groups: Vec<String>,
    field: String,
    guess: Guess,
    width: Option<f32>,
    align: Option<Align>,
    optional: bool,
    merge_equal: bool,
    number_label: Option<String>,
    role: Option<&'static str>,
}

/// A template for `table` (table `index` of the file, under the title `title`, its
/// heading lines typed in `heading_pt` where known), named so it differs from every kind
/// in `taken`.
pub fn derive(
    table: &Table,
    index: usize,
    title: &str,
    heading_pt: Option<f32>,
    taken: &[String],
    options: &Options,
) -> Option<NewKind> {
    let (h, ncols) = header_rows(table)?;
    let leaf = &table.rows[h - 1];
    let headers: Vec<String> = (0..ncols)
        .map(|c| cell_at(&leaf.cells, c).map(one_line).unwrap_or_default())
        .collect();
    let groups: Vec<Vec<String>> = (0..ncols)
        .map(|c| {
            table.rows[..h - 1]
                .iter()
                .filter_map(|r| cell_at(&r.cells, c))
                .filter(|cell| cell.merge == Merge::None)
                .map(one_line)
                .filter(|t| !t.is_empty())
                .take(MAX_GROUP_DEPTH)
                .collect()
        })
        .collect();
    // The body as recognition will see it.
    let mut items = Vec::new();
    let mut numbers_row = None;
    let mut totals = TypedTotals::default();
    let (mut seen_body, mut in_section, mut in_group, mut after_subtotal) =
        (false, false, false, false);
    for row in &table.rows[h..] {
        if row.cells.iter().all(|c| c.text().trim().is_empty()) {
            continue;
        }
        let kind = classify(&row.cells, ncols);
        let subtotal = matches!(kind, RowKind::Total { grand: false });
        match kind {
            RowKind::ColumnNumbers => {
                if numbers_row.is_none() && !seen_body {
                    numbers_row = Some(row);
                }
            }
            RowKind::Total { grand: true } => {
                totals.grand_top.get_or_insert(!seen_body);
            }
            RowKind::Total { grand: false } => {
                if after_subtotal && in_section {
                    totals.sections = true;
                } else if in_group {
                    totals.groups = true;
                } else if in_section {
                    totals.sections = true;
                } else {
                    totals.grand_top.get_or_insert(!seen_body);
                }
            }
            RowKind::Section(..) => {
                (seen_body, in_section, in_group) = (true, true, false);
            }
            RowKind::Group(..) => (seen_body, in_group) = (true, true),
            RowKind::Item => {
                seen_body = true;
                items.push(row);
            }
        }
        after_subtotal = subtotal;
    }
    let mut cols: Vec<Col> = Vec::with_capacity(ncols);
    let grid_ok = table.grid.len() == ncols && table.grid.iter().all(|w| *w > 0);
    let mut sizes: BTreeMap<u32, usize> = BTreeMap::new();
    for (i, header) in headers.iter().enumerate() {
        let cells: Vec<&Cell> = items
            .iter()
            .filter_map(|r| cell_at(&r.cells, i).filter(|c| c.col == i))
            .collect();
        let texts: Vec<Vec<String>> = cells
            .iter()
            .map(|c| c.paragraphs.iter().map(|p| p.text.clone()).collect())
            .collect();
        let guess = guess_kind(i == 0, header, &texts);
        // The alignment most of its filled cells have (the first met, on a tie).
        let mut counts: Vec<(Align, usize)> = Vec::new();
        for c in &cells {
            let Some(p) = c.paragraphs.iter().find(|p| !p.text.trim().is_empty()) else {
                continue;
            };
            if let Some(size) = p.size_pt {
                *sizes.entry((size * 2.0).round() as u32).or_insert(0) += 1;
            }
            if let Some(a) = p.align {
                match counts.iter_mut().find(|(k, _)| *k == a) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((a, 1)),
                }
            }
        }
        let align = counts
            .iter()
            .fold(None::<(Align, usize)>, |best, &(a, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((a, n)),
            })
            .map(|(a, _)| a);
        let optional = guess.kind != ColumnKind::Number
            && (cells.len() < items.len() || cells.iter().any(|c| c.text().trim().is_empty()));
        let merge_equal =
            guess.kind != ColumnKind::Number && cells.iter().any(|c| c.merge == Merge::Continue);
        let number_label = numbers_row
            .and_then(|r| cell_at(&r.cells, i).filter(|c| c.col == i))
            .map(|c| c.text().trim().to_owned())
            .filter(|t| !t.is_empty() && *t != format!("({})", i + 1));
        let used: Vec<String> = cols.iter().map(|c| c.field.clone()).collect();
        let field = field_name(header, guess.kind, i, &used);
        cols.push(Col {
            header: header.clone(),
            groups: groups.get(i).cloned().unwrap_or_default(),
            field,
            guess,
            width: grid_ok.then(|| mm(table.grid[i]).max(1.0)),
            align,
            optional,
            merge_equal,
            number_label,
            role: None,
        });
    }
    // Agency roles: one leading and one supporting list column at most.
    let lead = cols.iter().position(|c| {
        let h = loose(&c.header);
        c.guess.kind == ColumnKind::List && (h.contains("chutri") || h.contains("thuchien"))
    });
    let support = cols
        .iter()
        .position(|c| c.guess.kind == ColumnKind::List && loose(&c.header).contains("phoihop"));
    if let Some(l) = lead {
        cols[l].role = Some("lead");
    }
    if let Some(s) = support.filter(|s| Some(*s) != lead) {
        cols[s].role = Some("support");
    }
    let kinds: Vec<ColumnKind> = cols.iter().map(|c| c.guess.kind).collect();
    let slug = kind_slug(title, &headers, &kinds, taken);
    let title_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = if title_line.is_empty() {
        format!("Bảng nhập từ {}", options.source)
    } else {
        title_line
    };
    let table_pt = sizes
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(half, _)| *half as f32 / 2.0)
        .filter(|pt| (6.0..=40.0).contains(pt));
    let layout = write_layout(&LayoutText {
        slug: &slug,
        name: &name,
        index,
        options,
        section: table.section,
        table_pt,
        heading_pt: heading_pt.filter(|pt| (6.0..=40.0).contains(pt)),
        column_numbers: numbers_row.is_some(),
        totals: kinds.contains(&ColumnKind::Amount).then_some(&totals),
        cols: &cols,
        grid_ok,
    });
    let mut files = BTreeMap::new();
    files.insert("layout.yaml".to_owned(), layout);
    for line in LINE_TEMPLATES {
        if let Some(src) = default_line_template(line) {
            files.insert(format!("{line}.hbs"), src.to_owned());
        }
    }
    Some(NewKind {
        slug,
        name,
        files,
        columns: cols
            .iter()
            .map(|c| GuessedColumn {
                header: c.header.clone(),
                field: c.field.clone(),
                kind: c.guess.kind,
            })
            .collect(),
        table: index,
    })
}

/// Everything `layout.yaml` says.
struct LayoutText<'a> {
    slug: &'a str,
    name: &'a str,
    index: usize,
    options: &'a Options,
    section: Option<SectionProps>,
    table_pt: Option<f32>,
    heading_pt: Option<f32>,
    column_numbers: bool,
    totals: Option<&'a TypedTotals>,
    cols: &'a [Col],
    grid_ok: bool,
}

fn write_layout(l: &LayoutText) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# yaml-language-server: $schema={}", l.options.schema);
    let _ = writeln!(
        out,
        "# Mẫu “{}”: do phuluc import tạo từ bảng {} của {}\n# (không mẫu nào có các tiêu đề cột này).",
        l.slug,
        l.index + 1,
        l.options.source
    );
    out.push_str(
        "# Tiêu đề, nhóm tiêu đề, độ rộng, căn lề, khổ và lề trang được đọc từ bản Word; loại cột\n\
         # (kind) là đoán: xem lại từng dòng “# đoán:”, nhất là cột number (số thứ tự tự đánh),\n\
         # amount (số, cộng ở dòng cộng), list (danh sách cơ quan), và tên cột (field) nếu muốn\n\
         # đổi thì đổi cả trong tệp kế hoạch. Rồi chạy: phuluc check TỆP.yaml --templates THƯ_MỤC.\n",
    );
    if l.grid_ok {
        out.push_str(
            "# Độ rộng cột là tỷ lệ tương đối (ở đây bằng mm theo w:tblGrid của bản Word); phuluc co\n\
             # giãn cho vừa khổ.\n",
        );
    } else {
        out.push_str(
            "# Bản Word không ghi độ rộng cột (w:tblGrid): các cột chia đều; sửa “width” cho hợp.\n",
        );
    }
    let _ = writeln!(out, "name: {}", plain_or_quoted(l.name));
    let default = PageLayout::default();
    out.push_str("page:\n");
    let s = l.section.unwrap_or_default();
    let orientation = match l.section {
        Some(s) if s.is_landscape() => "landscape",
        Some(_) => "portrait",
        None => "landscape",
    };
    commented(
        &mut out,
        &format!("  orientation: {orientation}"),
        if l.section.is_some() {
            "landscape (ngang) | portrait (dọc); theo bản Word"
        } else {
            "landscape (ngang) | portrait (dọc); bản Word không ghi: mặc định"
        },
    );
    let m = default.margins_mm;
    let margin = |v: Option<u32>, d: f32| v.map_or(d, |t| mm(t).min(70.0));
    let _ = writeln!(
        out,
        "  margins_mm: {{ top: {}, bottom: {}, left: {}, right: {} }}   # theo bản Word (w:pgMar); Nghị định 30: trên/dưới 20–25, trái 30–35, phải 15–20",
        num(margin(s.top, m.top)),
        num(margin(s.bottom, m.bottom)),
        num(margin(s.left, m.left)),
        num(margin(s.right, m.right)),
    );
    commented(
        &mut out,
        &format!("  header_mm: {}", num(margin(s.header, default.header_mm))),
        "khoảng cách từ mép trên đến dòng số trang",
    );
    let text = TextLayout::default();
    out.push_str("text:\n");
    commented(
        &mut out,
        &format!(
            "  heading_pt: {}",
            num(l.heading_pt.unwrap_or(text.heading_pt))
        ),
        if l.heading_pt.is_some() {
            "“PHỤ LỤC I”, tên phụ lục, dòng “(Kèm theo …)”; theo bản Word"
        } else {
            "“PHỤ LỤC I”, tên phụ lục, dòng “(Kèm theo …)”; mặc định"
        },
    );
    commented(
        &mut out,
        &format!("  table_pt: {}", num(l.table_pt.unwrap_or(text.table_pt))),
        if l.table_pt.is_some() {
            "chữ trong bảng, theo bản Word"
        } else {
            "chữ trong bảng (bản Word không ghi cỡ chữ: mặc định)"
        },
    );
    commented(
        &mut out,
        &format!("  page_number_pt: {}", num(text.page_number_pt)),
        "số trang, giữa lề trên",
    );
    let t = TableLayout::default();
    let p = t.padding_mm;
    let _ = writeln!(
        out,
        "table:\n  padding_mm: {{ top: {}, bottom: {}, left: {}, right: {} }}\n  border_pt: {}",
        num(p.top),
        num(p.bottom),
        num(p.left),
        num(p.right),
        num(t.border_pt)
    );
    commented(
        &mut out,
        &format!("  rule_mm: {}", num(t.rule_mm)),
        "đường kẻ ngắn dưới khối tiêu đề; 0 = không kẻ",
    );
    if l.column_numbers {
        commented(
            &mut out,
            "column_numbers: true",
            "bản Word có hàng (1), (2)… dưới tiêu đề",
        );
    }
    if let Some(totals) = l.totals
        && (totals.grand_top.is_some() || totals.groups || totals.sections)
    {
        out.push_str("totals:                         # bản Word có dòng cộng: phuluc tự cộng các cột amount\n");
        let _ = writeln!(out, "  groups: {}", totals.groups);
        let _ = writeln!(out, "  sections: {}", totals.sections);
        let _ = writeln!(out, "  grand: {}", totals.grand_top.is_some());
        commented(
            &mut out,
            &format!(
                "  grand_position: {}",
                if totals.grand_top == Some(true) {
                    "top"
                } else {
                    "bottom"
                }
            ),
            "ngay dưới tiêu đề (top) hoặc cuối bảng (bottom)",
        );
    }
    out.push_str("columns:\n");
    for c in l.cols {
        let _ = writeln!(out, "  - field: {}", c.field);
        let _ = writeln!(out, "    header: {}", plain_or_quoted(&c.header));
        if !c.groups.is_empty() {
            let groups: Vec<String> = c.groups.iter().map(|g| flow(g)).collect();
            let _ = writeln!(out, "    group: [{}]", groups.join(", "));
        }
        commented(
            &mut out,
            &format!("    kind: {}", kind_name(c.guess.kind)),
            &format!("đoán: {}", c.guess.why),
        );
        if let Some(d) = c.guess.decimals {
            commented(
                &mut out,
                &format!("    decimals: {d}"),
                "số chữ số thập phân nhiều nhất đã gõ",
            );
        }
        if let Some(role) = c.role {
            commented(
                &mut out,
                &format!("    role: {role}"),
                "đoán theo tiêu đề: lead = chủ trì, support = phối hợp",
            );
        }
        if let Some(label) = &c.number_label {
            let _ = writeln!(out, "    number_label: {}", plain_or_quoted(label));
        }
        if c.merge_equal {
            commented(
                &mut out,
                "    merge_equal: true",
                "bản Word gộp ô dọc ở cột này",
            );
        }
        if c.optional {
            commented(
                &mut out,
                "    optional: true",
                "bản Word có ô trống ở cột này: check không cảnh báo",
            );
        }
        let _ = writeln!(out, "    width: {}", num(c.width.unwrap_or(25.0)));
        let align = c.align.unwrap_or(match c.guess.kind {
            ColumnKind::Number | ColumnKind::Date => Align::Center,
            ColumnKind::Amount | ColumnKind::Percent => Align::Right,
            ColumnKind::Text | ColumnKind::List => Align::Justify,
        });
        commented(
            &mut out,
            &format!("    align: {}", align_name(align)),
            if c.align.is_some() {
                "như đa số ô trong bản Word"
            } else {
                "bản Word không ghi: theo loại cột"
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&[&str]]) -> Vec<Vec<String>> {
        texts
            .iter()
            .map(|c| c.iter().map(|s| (*s).to_owned()).collect())
            .collect()
    }

    #[test]
    fn kinds_are_guessed_from_headers_and_cells() {
        let k = |first, header, c: &[&[&str]]| guess_kind(first, header, &cells(c)).kind;
        assert_eq!(
            k(true, "TT", &[&["1"], &["2"], &["1.1"]]),
            ColumnKind::Number
        );
        assert_eq!(k(true, "Mã", &[&["a)"], &["II"]]), ColumnKind::Number);
        assert_eq!(
            k(false, "Ngày", &[&["01/02/2026"], &["31/12/2026"]]),
            ColumnKind::Date
        );
        let g = guess_kind(false, "Tổng số", &cells(&[&["1.250"], &["12,5"], &[""]]));
        assert_eq!((g.kind, g.decimals), (ColumnKind::Amount, Some(1)));
        let g = guess_kind(false, "Tỷ lệ", &cells(&[&["12,5%"], &["100%"]]));
        assert_eq!((g.kind, g.decimals), (ColumnKind::Percent, Some(1)));
        assert_eq!(
            k(false, "Đơn vị thực hiện", &[&["Công an phường"]]),
            ColumnKind::List
        );
        assert_eq!(
            k(false, "Phối hợp", &[&["Phòng Tài chính", "Công an phường"]]),
            ColumnKind::List
        );
        assert_eq!(
            k(false, "Tên công trình", &[&["Nhà văn hóa tổ 3"]]),
            ColumnKind::Text
        );
    }

    #[test]
    fn one_cell_that_is_no_number_makes_the_column_text() {
        // The failing case: a clerk's "chưa có" among figures is no amount, so the column
        // is not summed; and a long first-column text is no row number.
        let g = guess_kind(false, "Kinh phí", &cells(&[&["1.250"], &["chưa có"]]));
        assert_eq!(g.kind, ColumnKind::Text);
        let g = guess_kind(true, "Nội dung", &cells(&[&["Xây dựng đường"], &["2"]]));
        assert_eq!(g.kind, ColumnKind::Text);
        // A date among dates that does not exist: not all dates; not amounts either.
        let g = guess_kind(false, "Ngày", &cells(&[&["01/02/2026"], &["31/02/2026"]]));
        assert_eq!(g.kind, ColumnKind::Text);
    }

    #[test]
    fn names_are_ascii_unique_and_never_reserved() {
        assert_eq!(
            kind_slug(
                "DANH MỤC CÔNG TRÌNH ĐẦU TƯ NĂM 2026",
                &[],
                &[],
                &["danh-muc-cong-trinh".to_owned()]
            ),
            "danh-muc-cong-trinh-2"
        );
        let used = vec!["ten_cong_trinh".to_owned()];
        assert_eq!(
            field_name("Tên công trình", ColumnKind::Text, 1, &used),
            "ten_cong_trinh_2"
        );
        assert_eq!(field_name("ID", ColumnKind::Text, 1, &[]), "id_cot");
        assert_eq!(field_name("Y", ColumnKind::Text, 1, &[]), "y_cot");
        assert_eq!(field_name("No", ColumnKind::Text, 1, &[]), "no_cot");
        assert_eq!(field_name("2026", ColumnKind::Amount, 3, &[]), "cot_2026");
        assert_eq!(field_name("…", ColumnKind::Text, 3, &[]), "cot_4");
        assert_eq!(
            field_name("Trong đó NS phường", ColumnKind::Amount, 4, &[]),
            "trong_do_ns_phuong"
        );
    }
}
