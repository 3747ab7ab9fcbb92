//! Recognising an appendix in the neutral model: heading lines → the plan's document
//! data, the header row(s) → the template whose column headers match, body rows →
//! sections, groups and items of a [`Plan`].
//!
//! Contract: [`recognise`] never fails on a readable document; everything it guessed or
//! could not place is a warning pointing into the Word file ("bảng 2, dòng 14, cột 3"),
//! and a table no template matches is left out with a warning — or, through
//! [`recognise_deriving`], gets a new kind made from it ([`super::template`]) and is read
//! with it like any other. A table followed by
//! another with the same columns and no appendix heading between is one table broken in
//! parts: joined (its repeated header row skipped), each row keeping its place in the
//! Word file for the messages. Rows are classified as:
//! the column-number row ("(1)", "(2)" …: skipped); total rows ("Cộng …", "Tổng cộng":
//! skipped, the template computes them, with a warning where the typed figure differs
//! from the sum); section rows (a Roman number with a heading spanning the rest, or one
//! cell spanning the table: "I. NHIỆM VỤ CHUNG", or a heading with no number); group rows
//! (a short number, or none, with a heading spanning the rest, or "2. …" in one cell
//! spanning the table); either typed unmerged, as a number and a bold heading with every
//! other cell empty; item rows (everything else). A section or group without heading
//! row — phuluc's own tables show it only by its numbering — is told by the numbers:
//! rows from 1 again, a group 1 or "1.1" again begin a section, "g.1" under another
//! group number a group. A number is kept as `number` only where phuluc's own numbering
//! would show a different one. Agency cells become lists: one paragraph each; a
//! paragraph joined with ", " is cut into the names the file carries as data (phuluc's
//! own .docx does) where that is the one way to cut it, else split only where every
//! piece is a name the file itself has as a whole cell paragraph elsewhere; a cell where
//! only some pieces are known stays one name, with a warning.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::raw::{Block, Cell, Merge, RawDocument, Table};
use super::template::{NewKind, Options as TemplateOptions};
use super::values::{is_roman, loose, parse_amount, parse_date, row_number, segment, split_known};
use crate::compose::numbering;
use crate::compose::templates::{ColumnKind, Layout, Templates};
use crate::diag::Text;
use crate::model::validate::FieldsLookup;
use crate::model::{Appendix, Decimal, Field, Group, Item, Plan, PlanMeta, Section};

/// What was recognised, with everything to check by hand.
#[derive(Debug)]
pub struct Recognised {
    /// The plan, ready to be written as YAML.
    pub plan: Plan,
    /// Guesses and things left out, in the order met.
    pub warnings: Vec<Text>,
    /// Templates made from tables no template matched ([`recognise_deriving`] only).
    pub new_kinds: Vec<NewKind>,
}

/// What recognition does with a table no template matches.
enum Kinds<'a> {
    /// Leaves it out, with a warning.
    Fixed(&'a Templates),
    /// Makes a template from it ([`super::template::derive`]), adds it to the templates
    /// and reads the table with it.
    Deriving {
        templates: &'a mut Templates,
        options: &'a TemplateOptions,
        made: Vec<NewKind>,
    },
}

impl Kinds<'_> {
    fn get(&self) -> &Templates {
        match self {
            Kinds::Fixed(t) => t,
            Kinds::Deriving { templates, .. } => templates,
        }
    }
}

/// How a clerk knows an old encoding: by its fonts.
fn legacy_name(legacy: super::raw::Legacy) -> &'static str {
    match legacy {
        super::raw::Legacy::Tcvn3 => ".VnTime (TCVN3)",
        super::raw::Legacy::Vni => "VNI",
    }
}

/// "bảng 2, dòng 14, cột 3" (all from 1).
fn at(table: usize, row: usize, col: Option<usize>) -> (String, String) {
    match col {
        Some(c) => (
            format!("bảng {}, dòng {}, cột {}", table + 1, row + 1, c + 1),
            format!("table {}, row {}, column {}", table + 1, row + 1, c + 1),
        ),
        None => (
            format!("bảng {}, dòng {}", table + 1, row + 1),
            format!("table {}, row {}", table + 1, row + 1),
        ),
    }
}

fn warn(out: &mut Vec<Text>, (vi, en): (String, String), what_vi: &str, what_en: &str) {
    out.push(Text::new(
        format!("{vi}: {what_vi}"),
        format!("{en}: {what_en}"),
    ));
}

/// The heading lines before a table.
#[derive(Default)]
struct Heading {
    label: Option<String>,
    title: Vec<String>,
    reference: Option<String>,
    /// The font size of the "PHỤ LỤC" line (else of the first title line), for a
    /// template made from the table.
    size_pt: Option<f32>,
}

/// Reads the "(Kèm theo Kế hoạch số …/KH-UBND ngày … của …)" line into `meta`.
fn read_reference(line: &str, meta: &mut PlanMeta) -> bool {
    // One pair of parentheses around the line: an issuer may end in its own ")".
    let line = line.trim();
    let inner = line.strip_prefix('(').unwrap_or(line);
    let inner = inner.strip_suffix(')').unwrap_or(inner).trim();
    let Some(rest) = inner
        .strip_prefix("Kèm theo ")
        .or_else(|| inner.strip_prefix("kèm theo "))
    else {
        return false;
    };
    let Some((kind, rest)) = rest.split_once(" số ") else {
        return false;
    };
    let Some((number, rest)) = rest.split_once('/') else {
        return false;
    };
    let Some((symbol, rest)) = rest.split_once(" ngày ") else {
        return false;
    };
    let Some((date, issuer)) = rest.split_once(" của ") else {
        return false;
    };
    meta.kind = kind.trim().to_owned();
    let number = number.trim();
    meta.number = (!number.is_empty()).then(|| number.to_owned());
    meta.symbol = symbol.trim().to_owned();
    meta.issuer = issuer.trim().to_owned();
    let date = date.trim();
    // "20 tháng 3 năm 2026", "20/3/2026", or blanks "      /      /2026".
    let words: Vec<&str> = date.split_whitespace().collect();
    if let [d, "tháng", m, "năm", y] = words.as_slice() {
        meta.date = parse_date(&format!("{d}/{m}/{y}"));
    } else {
        meta.date = parse_date(date);
    }
    meta.year = meta.date.map(|d| d.year).or_else(|| {
        date.rsplit('/')
            .next()
            .and_then(|y| y.trim().parse::<u16>().ok())
    });
    true
}

/// Recognises the plan in `doc` against `templates`; a table no template matches is left
/// out, with a warning.
pub fn recognise(doc: &RawDocument, templates: &Templates) -> Recognised {
    recognise_in(doc, Kinds::Fixed(templates))
}

/// Recognises the plan in `doc` against `templates`; for a table no template matches a
/// new kind is made ([`super::template`]), added to `templates` and used to read it, and
/// returned in [`Recognised::new_kinds`] for the caller to write.
pub fn recognise_deriving(
    doc: &RawDocument,
    templates: &mut Templates,
    options: &TemplateOptions,
) -> Recognised {
    recognise_in(
        doc,
        Kinds::Deriving {
            templates,
            options,
            made: Vec::new(),
        },
    )
}

fn recognise_in(doc: &RawDocument, mut kinds: Kinds) -> Recognised {
    let mut warnings = Vec::new();
    let mut meta = PlanMeta {
        kind: "Kế hoạch".to_owned(),
        number: None,
        symbol: String::new(),
        date: None,
        year: None,
        issuer: String::new(),
    };
    let mut meta_seen = false;
    let known = known_names(doc);
    let mut appendices = Vec::new();
    let mut tables_of = Vec::new();
    let mut heading = Heading::default();
    let mut table_index = 0;
    let mut pending: Option<Pending> = None;
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => {
                let text = p.text.trim();
                if text.is_empty() {
                    continue;
                }
                if let Some(legacy) = p.converted {
                    let name = legacy_name(legacy);
                    warnings.push(Text::new(
                        format!("dòng “{text}” gõ bằng phông {name} đã chuyển sang Unicode: đọc lại cho chắc"),
                        format!("line “{text}” typed in a {name} font converted to Unicode: read it once more"),
                    ));
                }
                let upper: String = text.chars().flat_map(char::to_uppercase).collect();
                if let Some(n) = upper.strip_prefix("PHỤ LỤC") {
                    heading = Heading {
                        label: Some(n.trim().to_owned()),
                        size_pt: p.size_pt,
                        ..Heading::default()
                    };
                } else if text.starts_with("(Kèm theo") || text.starts_with("(kèm theo") {
                    let mut m = meta.clone();
                    if read_reference(text, &mut m) {
                        if meta_seen && m != meta {
                            warnings.push(Text::new(
                                format!("dòng “{text}” khác dòng “Kèm theo” của phụ lục trước: giữ dòng đầu"),
                                format!("line “{text}” differs from the earlier appendix's “Kèm theo” line: the first is kept"),
                            ));
                        } else {
                            meta = m;
                            meta_seen = true;
                        }
                    } else {
                        warnings.push(Text::new(
                            format!("không đọc được dòng “{text}”: điền plan: (số, ký hiệu, ngày, cơ quan) bằng tay"),
                            format!("could not read line “{text}”: fill in plan: (number, symbol, date, issuer) by hand"),
                        ));
                    }
                    heading.reference = Some(text.to_owned());
                } else if heading.label.is_some()
                    && (heading.reference.is_none() || heading.title.is_empty())
                {
                    // The title: between the label and the “Kèm theo” line, or right
                    // after that line where a clerk typed it there.
                    heading.title.push(p.text.trim().to_owned());
                    heading.size_pt = heading.size_pt.or(p.size_pt);
                } else {
                    let short: String = text.chars().take(60).collect();
                    let more = if short.len() < text.len() { "…" } else { "" };
                    warnings.push(Text::new(
                        format!("đoạn “{short}{more}” nằm ngoài bảng và ngoài tiêu đề phụ lục: không nhập"),
                        format!("paragraph “{short}{more}” is outside the tables and the appendix headings: not imported"),
                    ));
                }
            }
            Block::Table(t) => {
                let untitled = heading.label.is_none()
                    && heading.title.is_empty()
                    && heading.reference.is_none();
                match pending.as_mut() {
                    // A table broken in two (a page break typed between, or pasted in
                    // parts): same columns, no appendix heading between.
                    Some(p) if untitled && width(t) == width(&p.table) => {
                        let skip = repeated_header(&p.table, t, kinds.get());
                        warnings.push(Text::new(
                            format!(
                                "bảng {} nối tiếp bảng {} (cùng số cột, không có dòng “PHỤ LỤC” ở giữa){}",
                                table_index + 1,
                                p.index + 1,
                                if skip > 0 { ": bỏ dòng tiêu đề lặp lại" } else { "" }
                            ),
                            format!(
                                "table {} continues table {} (same columns, no “PHỤ LỤC” line between){}",
                                table_index + 1,
                                p.index + 1,
                                if skip > 0 { ": its repeated header row skipped" } else { "" }
                            ),
                        ));
                        for (r, row) in t.rows.iter().enumerate().skip(skip) {
                            p.table.rows.push(row.clone());
                            p.origins.push((table_index, r));
                        }
                    }
                    _ => {
                        if let Some(done) = pending.take() {
                            flush(
                                done,
                                &mut appendices,
                                &mut tables_of,
                                &mut kinds,
                                &known,
                                &mut warnings,
                            );
                        }
                        pending = Some(Pending {
                            origins: (0..t.rows.len()).map(|r| (table_index, r)).collect(),
                            table: t.clone(),
                            heading: std::mem::take(&mut heading),
                            index: table_index,
                        });
                    }
                }
                heading = Heading::default();
                table_index += 1;
            }
        }
    }
    if let Some(done) = pending.take() {
        flush(
            done,
            &mut appendices,
            &mut tables_of,
            &mut kinds,
            &known,
            &mut warnings,
        );
    }
    if !meta_seen {
        warnings.push(Text::new(
            "không thấy dòng “(Kèm theo Kế hoạch số …)”: điền plan: bằng tay",
            "no “(Kèm theo Kế hoạch số …)” line found: fill in plan: by hand",
        ));
    }
    settle_numbers(&mut appendices, &tables_of, &mut warnings);
    let new_kinds = match kinds {
        Kinds::Fixed(_) => Vec::new(),
        Kinds::Deriving { made, .. } => made,
    };
    Recognised {
        plan: Plan {
            meta,
            agencies: doc.agencies.canonical.clone(),
            appendices,
        },
        warnings,
        new_kinds,
    }
}

/// What vouches for agency names: the names the file carries as data (phuluc's own
/// .docx: exact), and every paragraph of every cell, counted (the file's own names).
struct Known {
    vocabulary: HashSet<String>,
    sightings: HashMap<String, usize>,
}

fn known_names(doc: &RawDocument) -> Known {
    let vocabulary = doc
        .agencies
        .canonical
        .iter()
        .chain(&doc.agencies.used)
        .cloned()
        .collect();
    Known {
        vocabulary,
        sightings: sightings(doc),
    }
}

/// Every paragraph of every cell short enough to be a name, counted.
fn sightings(doc: &RawDocument) -> HashMap<String, usize> {
    let mut names = HashMap::new();
    for b in &doc.blocks {
        if let Block::Table(t) = b {
            for row in &t.rows {
                for cell in row.cells.iter().filter(|c| c.merge != Merge::Continue) {
                    for p in &cell.paragraphs {
                        let text = p.text.trim();
                        if !text.is_empty() && text.chars().count() <= 120 {
                            *names.entry(text.to_owned()).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
    }
    names
}

/// The text at grid column `col` of a row's cells, if a cell starts there.
pub(super) fn cell_at(cells: &[Cell], col: usize) -> Option<&Cell> {
    cells.iter().find(|c| c.col <= col && col < c.col + c.span)
}

/// The matching template and the number of header rows.
fn match_template<'t>(
    table: &Table,
    templates: &'t Templates,
) -> Option<(String, &'t Layout, usize)> {
    for name in templates.kinds() {
        let Some(kind) = templates.kind(&name) else {
            continue;
        };
        let layout = &kind.layout;
        let want: Vec<String> = layout.columns.iter().map(|c| loose(&c.header)).collect();
        for rows in 1..=3.min(table.rows.len()) {
            let last = &table.rows[rows - 1];
            let leaves: Vec<String> = (0..want.len())
                .map(|col| {
                    cell_at(&last.cells, col)
                        .filter(|c| c.col == col && c.span == 1)
                        .map_or_else(String::new, |c| loose(&c.text()))
                })
                .collect();
            let grid_cols = last.cells.iter().map(|c| c.col + c.span).max().unwrap_or(0);
            if grid_cols == want.len() && leaves == want {
                return Some((name.clone(), layout, rows));
            }
        }
    }
    None
}

/// A total row as typed: its table and row in the Word file, whether it is the grand
/// total, the section and group it closes, and the figures typed in amount columns
/// (column, value).
type TypedTotal = (usize, usize, bool, usize, usize, Vec<(usize, Decimal)>);

/// The row kind of a body row.
pub(super) enum RowKind {
    ColumnNumbers,
    Total { grand: bool },
    Section(String, String),
    Group(String, String),
    Item,
}

pub(super) fn classify(cells: &[Cell], columns: usize) -> RowKind {
    let texts: Vec<String> = cells.iter().map(|c| c.text().trim().to_owned()).collect();
    let non_empty: Vec<&String> = texts.iter().filter(|t| !t.is_empty()).collect();
    let numbering = |t: &str| t.starts_with('(') && t.contains(')');
    // The column-number row numbers the first column too: an unnumbered row whose text
    // happens to be in parentheses ("(thường xuyên)") is a row.
    if texts.first().is_some_and(|t| numbering(t)) && non_empty.iter().all(|t| numbering(t)) {
        return RowKind::ColumnNumbers;
    }
    let first = texts.first().map(String::as_str).unwrap_or("");
    let lower = first.to_lowercase();
    if lower.starts_with("tổng cộng") || lower == "cộng" || lower.starts_with("cộng ") {
        return RowKind::Total {
            grand: lower.starts_with("tổng"),
        };
    }
    // A heading row: a number, then one cell spanning the rest of the table.
    if let [n, h] = cells
        && n.span == 1
        && h.col + h.span == columns
        && h.span > 1
    {
        let number = row_number(&n.text());
        let text = h.text().trim().to_owned();
        if let Some(kind) = heading_kind(number, text) {
            return kind;
        }
    }
    // A heading typed in one cell merged across the whole table: "I. NHIỆM VỤ CHUNG",
    // "2. Nhóm …", or a heading without number (a section).
    if let [only] = cells
        && columns > 1
        && only.col == 0
        && only.span == columns
    {
        let text = only.text().trim().to_owned();
        let (number, heading) = leading_number(&text);
        if number.is_empty() {
            return RowKind::Section(String::new(), text);
        }
        if let Some(kind) = heading_kind(number.to_owned(), heading.to_owned()) {
            return kind;
        }
    }
    // A heading row typed without merging: a number and a bold heading, every other
    // cell empty (an item row always has more to say, and is not bold).
    if let [n, h, rest @ ..] = cells
        && n.span == 1
        && !texts[1].is_empty()
        && h.paragraphs
            .iter()
            .filter(|p| !p.text.trim().is_empty())
            .all(|p| p.bold)
        && rest.iter().all(|c| c.text().trim().is_empty())
        && !rest.is_empty()
    {
        let number = row_number(&n.text());
        if let Some(kind) = heading_kind(number, texts[1].clone()) {
            return kind;
        }
    }
    RowKind::Item
}

/// A heading row's kind from its number: a Roman number makes a section; a short
/// number ("3", "3.", "a)") or none a group; longer text in the number cell is not a
/// heading row's number.
fn heading_kind(number: String, text: String) -> Option<RowKind> {
    if is_roman(&number) {
        return Some(RowKind::Section(number, text));
    }
    let numberish = number.chars().count() <= 8
        && number
            .chars()
            .all(|c| c.is_alphanumeric() || ".)".contains(c));
    numberish.then_some(RowKind::Group(number, text))
}

/// A number typed at the start of a heading ("I. NHIỆM VỤ", "2) Nhóm", "II - …"), and
/// the heading after it; `("", text)` when it does not start with one. The number is a
/// Roman (of I, V, X: no appendix has fifty sections) or Arabic one followed by ".",
/// ")" or " - ", so a heading whose first word only looks Roman ("DI DỜI", "CD.") keeps
/// it.
fn leading_number(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || "IVX".contains(c)))
        .unwrap_or(text.len());
    let (number, rest) = text.split_at(end);
    let roman = !number.is_empty() && number.chars().all(|c| "IVX".contains(c));
    let arabic = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
    if !(roman || arabic) {
        return ("", text);
    }
    for mark in [".", ")", " - ", " – "] {
        if let Some(heading) = rest.strip_prefix(mark) {
            let heading = heading.trim_start_matches(['.', ' ', '-', '–']).trim();
            if !heading.is_empty() {
                return (number, heading);
            }
        }
    }
    ("", text)
}

/// A table waiting for its continuation: its rows so far and where each came from
/// (table, row in that table), the heading above it, its index.
struct Pending {
    table: Table,
    origins: Vec<(usize, usize)>,
    heading: Heading,
    index: usize,
}

/// The grid columns a table uses.
fn width(t: &Table) -> usize {
    let used = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.col + c.span).max().unwrap_or(0) + r.grid_after)
        .max()
        .unwrap_or(0);
    used.max(t.grid.len())
}

/// How many of `next`'s first rows repeat the header of `first` (0 when none).
fn repeated_header(first: &Table, next: &Table, templates: &Templates) -> usize {
    let (Some((a, _, k)), Some((b, _, m))) = (
        match_template(first, templates),
        match_template(next, templates),
    ) else {
        return 0;
    };
    if a != b || k != m {
        return 0;
    }
    let texts = |t: &Table| -> Vec<Vec<String>> {
        t.rows[..k]
            .iter()
            .map(|r| r.cells.iter().map(|c| loose(&c.text())).collect())
            .collect()
    };
    if texts(first) == texts(next) { k } else { 0 }
}

fn flush(
    p: Pending,
    appendices: &mut Vec<Appendix>,
    tables_of: &mut Vec<usize>,
    kinds: &mut Kinds,
    known: &Known,
    warnings: &mut Vec<Text>,
) {
    let position = appendices.len();
    let mut table = p.table;
    // A vertical merge running across the break: resolved again over the joined rows
    // (for rows of one table this gives what the reader gave).
    super::raw::resolve_merges(&mut table.rows);
    if let Kinds::Deriving {
        templates,
        options,
        made,
    } = kinds
        && match_template(&table, templates).is_none()
    {
        new_kind(
            &table, p.index, &p.heading, templates, options, made, warnings,
        );
    }
    let templates = kinds.get();
    if let Some(a) = appendix(
        &table, p.index, &p.origins, &p.heading, position, templates, known, warnings,
    ) {
        appendices.push(a);
        tables_of.push(p.index);
    }
}

/// Makes a kind from table `index`, which no template matches, and adds it to
/// `templates`; says so in a warning (or why it could not).
fn new_kind(
    table: &Table,
    index: usize,
    heading: &Heading,
    templates: &mut Templates,
    options: &TemplateOptions,
    made: &mut Vec<NewKind>,
    warnings: &mut Vec<Text>,
) {
    let taken = templates.kinds();
    let title = heading.title.join(" ");
    let Some(kind) =
        super::template::derive(table, index, &title, heading.size_pt, &taken, options)
    else {
        return;
    };
    let dir = options.dir.join(&kind.slug);
    if let Err(diags) = templates.add_kind(&kind.slug, &dir, &kind.files) {
        let why: Vec<String> = diags.iter().map(|d| d.message.vi.to_string()).collect();
        let why_en: Vec<String> = diags.iter().map(|d| d.message.en.to_string()).collect();
        warnings.push(Text::new(
            format!(
                "bảng {}: không tạo được mẫu mới từ bảng này: {}",
                index + 1,
                why.join("; ")
            ),
            format!(
                "table {}: could not make a template from this table: {}",
                index + 1,
                why_en.join("; ")
            ),
        ));
        return;
    }
    let guessed: Vec<String> = kind
        .columns
        .iter()
        .map(|c| format!("{}: {}", c.header, super::template::kind_name(c.kind)))
        .collect();
    warnings.push(Text::new(
        format!(
            "bảng {}: tiêu đề cột không khớp mẫu có sẵn nào: đã tạo mẫu mới “{}” từ bảng này; loại cột là đoán ({}): xem lại {}",
            index + 1,
            kind.slug,
            guessed.join("; "),
            dir.join("layout.yaml").display()
        ),
        format!(
            "table {}: column headers match no existing template: made a new template “{}” from it; column kinds are guesses ({}): review {}",
            index + 1,
            kind.slug,
            guessed.join("; "),
            dir.join("layout.yaml").display()
        ),
    ));
    made.push(kind);
}

/// One appendix from one table, or `None` (with a warning) when no template matches.
#[allow(clippy::too_many_arguments)]
fn appendix(
    table: &Table,
    index: usize,
    origins: &[(usize, usize)],
    heading: &Heading,
    position: usize,
    templates: &Templates,
    known: &Known,
    warnings: &mut Vec<Text>,
) -> Option<Appendix> {
    let Some((template, layout, header_rows)) = match_template(table, templates) else {
        let headers: Vec<String> = table
            .rows
            .first()
            .map(|r| r.cells.iter().map(Cell::text).collect())
            .unwrap_or_default();
        warnings.push(Text::new(
            format!(
                "bảng {}: tiêu đề cột “{}” không khớp mẫu nào ({}): bảng bị bỏ qua",
                index + 1,
                headers.join(" | "),
                templates.kinds().join(", ")
            ),
            format!(
                "table {}: column headers “{}” match no template ({}): table left out",
                index + 1,
                headers.join(" | "),
                templates.kinds().join(", ")
            ),
        ));
        return None;
    };
    let columns = layout.columns.len();
    let totals = layout.totals.is_some();
    // Where a row of the (possibly joined) table is in the Word file.
    let place = |r: usize| origins.get(r).copied().unwrap_or((index, r));
    let here = |r: usize, col: Option<usize>| {
        let (t, rr) = place(r);
        at(t, rr, col)
    };
    let mut sections: Vec<Section> = vec![new_section(None, None)];
    let mut typed_totals: Vec<TypedTotal> = Vec::new();
    for (r, row) in table.rows.iter().enumerate().skip(header_rows) {
        if row.cells.iter().all(|c| c.text().trim().is_empty()) {
            continue;
        }
        match classify(&row.cells, columns) {
            RowKind::ColumnNumbers => {
                if !layout.column_numbers {
                    warn(
                        warnings,
                        here(r, None),
                        "bỏ qua dòng số thứ tự cột (1), (2)… (mẫu không có dòng này)",
                        "column-number row (1), (2)… skipped (the template has none)",
                    );
                }
            }
            RowKind::Total { .. } if !totals => warn(
                warnings,
                here(r, None),
                "bỏ qua dòng cộng (mẫu này không có dòng cộng; dùng mẫu có “totals:” nếu cần)",
                "total row skipped (this template has no totals; use one with “totals:” if needed)",
            ),
            RowKind::Total { grand } => {
                let figures = layout
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.kind == ColumnKind::Amount)
                    .filter_map(|(i, _)| {
                        cell_at(&row.cells, i)
                            .filter(|c| c.col == i)
                            .and_then(|c| parse_amount(&c.text()))
                            .map(|d| (i, d))
                    })
                    .collect();
                let s = sections.len() - 1;
                let g = sections[s].groups.len().saturating_sub(1);
                let (t, rr) = place(r);
                typed_totals.push((t, rr, grand, s, g, figures));
            }
            RowKind::Section(number, text) => {
                // The typed number for now; kept below only where it differs.
                sections.push(new_section(Some(text), Some(number)));
            }
            RowKind::Group(number, text) => {
                // A group numbered 1 after other groups or rows, with no section row
                // between: a section without heading row begins (phuluc numbers groups
                // per section, and rows before a group would make it group 2).
                if number == "1"
                    && sections
                        .last()
                        .and_then(|s| s.groups.last())
                        .is_some_and(|g| !g.implicit || !g.items.is_empty())
                {
                    sections.push(new_section(None, None));
                }
                let section = sections.last_mut()?;
                if section.groups.len() == 1 && section.groups[0].implicit {
                    if section.groups[0].items.is_empty() {
                        section.groups.clear();
                    } else {
                        // Rows before the first group row: a group without heading row.
                        section.groups[0].implicit = false;
                    }
                }
                let mut g = new_group(Some(text), false);
                g.number = Some(number);
                section.groups.push(g);
            }
            RowKind::Item => {
                let (t, rr) = place(r);
                let item = item(row, rr, t, &place, layout, known, warnings);
                let headless = |number: String| {
                    let mut g = new_group(None, false);
                    g.number = Some(number);
                    g
                };
                match restart(sections.last()?, item.number.as_deref().unwrap_or("")) {
                    Some(Restart::Section) => sections.push(new_section(None, None)),
                    Some(Restart::Group(n)) => sections.last_mut()?.groups.push(headless(n)),
                    Some(Restart::SectionGroup(n)) => {
                        let mut s = new_section(None, None);
                        s.groups.push(headless(n));
                        sections.push(s);
                    }
                    None => {}
                }
                let section = sections.last_mut()?;
                if section.groups.is_empty() {
                    section.groups.push(new_group(None, true));
                }
                section.groups.last_mut()?.items.push(item);
            }
        }
    }
    // The first section is implicit unless rows came before the first section row.
    if sections[0].groups.is_empty() && sections.len() > 1 {
        sections.remove(0);
    } else if sections.len() == 1 {
        sections[0].implicit = true;
    }
    // Numbers of sections, groups and items: kept only where phuluc's own would differ.
    // A plan file cannot say "no number" (an empty `number:` means "by position"), so a
    // row the Word file leaves unnumbered where phuluc numbers it is said in a warning.
    let unnumbered = |shown: String, what: &str, warnings: &mut Vec<Text>| {
        warnings.push(Text::new(
            format!(
                "bảng {}: {what} không có số thứ tự trong bản Word; phuluc đánh số {shown}",
                index + 1
            ),
            format!(
                "table {}: {what} has no number in the Word file; phuluc numbers it {shown}",
                index + 1
            ),
        ));
    };
    for (si, s) in sections.iter_mut().enumerate() {
        let own = numbering::section_number(None, si);
        match s.number.as_deref() {
            Some(n) if n == own => s.number = None,
            Some("") => {
                s.number = None;
                let what = format!("mục “{}”", s.heading.as_deref().unwrap_or(""));
                unnumbered(own, &what, warnings);
            }
            _ => {}
        }
        for (gi, g) in s.groups.iter_mut().enumerate() {
            let own = (gi + 1).to_string();
            match g.number.as_deref() {
                Some(n) if n == own => g.number = None,
                Some("") => {
                    g.number = None;
                    let what = format!("nhóm “{}”", g.heading.as_deref().unwrap_or(""));
                    unnumbered(own, &what, warnings);
                }
                _ => {}
            }
            let g_no = numbering::group_number(g, gi);
            let snapshot = g.clone();
            for (ii, item) in g.items.iter_mut().enumerate() {
                let typed = item.number.take().unwrap_or_default();
                let mut bare = item.clone();
                bare.number = None;
                let own = numbering::item_number(&snapshot, &g_no, &bare, ii);
                if typed.is_empty() && !own.is_empty() {
                    let main = layout
                        .main_column()
                        .and_then(|c| item.fields.get(&layout.columns[c].field))
                        .map(|f| match f {
                            Field::Text(t) => t.chars().take(40).collect::<String>(),
                            _ => String::new(),
                        })
                        .unwrap_or_default();
                    unnumbered(own, &format!("dòng “{main}…”"), warnings);
                } else if typed != own {
                    item.number = Some(typed);
                }
            }
        }
    }
    check_totals(&typed_totals, &sections, layout, warnings);
    let label = heading.label.clone().unwrap_or_default();
    let number = (!label.is_empty() && label != numbering::roman(position + 1)).then_some(label);
    if heading.label.is_none() {
        warnings.push(Text::new(
            format!(
                "bảng {}: không thấy dòng “PHỤ LỤC …” phía trên bảng",
                index + 1
            ),
            format!("table {}: no “PHỤ LỤC …” line above the table", index + 1),
        ));
    }
    Some(Appendix {
        template,
        number,
        title: heading.title.join("\n"),
        sections,
        pos: None,
    })
}

/// A part without heading row, told by a row's typed number alone.
enum Restart {
    /// Rows straight in a section numbered from 1 again, or a row 1 after a group's
    /// rows: a section without heading.
    Section,
    /// "g.1" after rows under another group number, or "g.k" opening a section: a
    /// group without heading, `g`.
    Group(String),
    /// "1.1" after other groups' rows, or "g.k" after rows straight in the section: a
    /// section without heading, opening with a group without heading, `g`.
    SectionGroup(String),
}

/// What an item row's typed `number` says where no heading row does. phuluc's own
/// tables show no row for a section or group without heading, only their numbering:
/// groups count from 1 in each section, their rows "g.1", "g.2" …; rows straight in a
/// section 1, 2 ….
fn restart(section: &Section, number: &str) -> Option<Restart> {
    let dotted = number.rsplit_once('.').map(|(p, k)| (p.to_owned(), k));
    let Some(group) = section.groups.last() else {
        return dotted.map(|(p, _)| Restart::Group(p));
    };
    if group.items.is_empty() {
        return None;
    }
    if group.implicit {
        return match dotted {
            None => (number == "1").then_some(Restart::Section),
            Some((p, _)) => Some(Restart::SectionGroup(p)),
        };
    }
    let Some((prefix, k)) = dotted else {
        // Rows under a group are "g.k" (or unnumbered): a row 1 opens a section of rows.
        return (number == "1").then_some(Restart::Section);
    };
    if k != "1" {
        return None;
    }
    // The group number the rows so far were numbered under (a single row under a
    // heading is unnumbered: the group's own number then).
    let before = group
        .items
        .iter()
        .rev()
        .find_map(|i| i.number.as_deref().and_then(|n| n.rsplit_once('.')))
        .map(|(p, _)| p.to_owned())
        .or_else(|| group.number.clone())?;
    if prefix == "1" {
        // Group 1 again: only a new section numbers so.
        Some(Restart::SectionGroup(prefix))
    } else {
        (prefix != before).then_some(Restart::Group(prefix))
    }
}

/// Whether the shown numbers (explicit, else positional) repeat; unnumbered rows never
/// clash.
fn repeats(shown: impl IntoIterator<Item = String>) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    shown
        .into_iter()
        .find(|n| !n.is_empty() && !seen.insert(n.clone()))
}

/// Where typed numbers repeat in one scope (appendices in the plan, sections in an
/// appendix, groups in a section, rows in a group) — which `check` refuses — the typed
/// numbers of that scope are dropped, so phuluc numbers it by position, with a warning.
fn settle_numbers(appendices: &mut [Appendix], tables: &[usize], warnings: &mut Vec<Text>) {
    let dropped = |table: usize, number: String, warnings: &mut Vec<Text>| {
        warnings.push(Text::new(
            format!("bảng {}: số thứ tự “{number}” lặp lại: bỏ các số gõ tay ở đó, phuluc đánh số lại theo vị trí", table + 1),
            format!("table {}: number “{number}” repeats: the typed numbers there are dropped, phuluc numbers by position", table + 1),
        ));
    };
    let shown: Vec<String> = appendices
        .iter()
        .enumerate()
        .map(|(i, a)| a.number.clone().unwrap_or_else(|| numbering::roman(i + 1)))
        .collect();
    if let Some(n) = repeats(shown) {
        for a in appendices.iter_mut() {
            a.number = None;
        }
        dropped(tables.first().copied().unwrap_or(0), n, warnings);
    }
    for (a, table) in appendices.iter_mut().zip(tables) {
        let shown = a.sections.iter().enumerate().filter(|(_, s)| !s.implicit);
        let shown = shown.map(|(i, s)| numbering::section_number(s.number.as_deref(), i));
        if let Some(n) = repeats(shown.collect::<Vec<_>>()) {
            a.sections.iter_mut().for_each(|s| s.number = None);
            dropped(*table, n, warnings);
        }
        for s in &mut a.sections {
            let shown = s.groups.iter().enumerate().filter(|(_, g)| !g.implicit);
            let shown = shown.map(|(i, g)| numbering::group_number(g, i));
            if let Some(n) = repeats(shown.collect::<Vec<_>>()) {
                s.groups.iter_mut().for_each(|g| g.number = None);
                dropped(*table, n, warnings);
            }
            for (gi, g) in s.groups.iter_mut().enumerate() {
                let g_no = numbering::group_number(g, gi);
                let shown: Vec<String> = g
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| numbering::item_number(g, &g_no, item, i))
                    .collect();
                if let Some(n) = repeats(shown) {
                    g.items.iter_mut().for_each(|i| i.number = None);
                    dropped(*table, n, warnings);
                }
            }
        }
    }
}

fn new_section(heading: Option<String>, number: Option<String>) -> Section {
    Section {
        id: None,
        number,
        heading,
        groups: Vec::new(),
        implicit: false,
        pos: None,
    }
}

fn new_group(heading: Option<String>, implicit: bool) -> Group {
    Group {
        id: None,
        number: None,
        heading,
        items: Vec::new(),
        implicit,
        pos: None,
    }
}

/// One item row: each template column from the cell starting at its grid column. `r`
/// and `table` place the row in the Word file; `place` does so for any row of the
/// (possibly joined) table, for a merge's first row.
#[allow(clippy::too_many_arguments)]
fn item(
    row: &super::raw::Row,
    r: usize,
    table: usize,
    place: &dyn Fn(usize) -> (usize, usize),
    layout: &Layout,
    known: &Known,
    warnings: &mut Vec<Text>,
) -> Item {
    let mut fields = BTreeMap::new();
    let mut number = None;
    let mut typed_sums: Vec<(usize, Decimal)> = Vec::new();
    for (i, column) in layout.columns.iter().enumerate() {
        let Some(cell) = cell_at(&row.cells, i) else {
            continue;
        };
        if cell.col != i {
            continue;
        }
        if cell.span > 1 {
            warn(
                warnings,
                at(table, r, Some(i)),
                "ô gộp nhiều cột: chỉ lấy cho cột đầu",
                "cell spans several columns: taken for the first only",
            );
        }
        let text = cell.text().trim().to_owned();
        if let Some(legacy) = cell.paragraphs.iter().find_map(|p| p.converted) {
            let name = legacy_name(legacy);
            warn(
                warnings,
                at(table, r, Some(i)),
                &format!(
                    "chữ gõ bằng phông {name} đã chuyển sang Unicode: “{text}”: đọc lại cho chắc"
                ),
                &format!(
                    "text typed in a {name} font converted to Unicode: “{text}”: read it once more"
                ),
            );
        }
        if let Some(from) = cell.merged_from
            && !text.is_empty()
        {
            let (ft, fr) = place(from);
            let (vi, en) = if ft == table {
                (format!("dòng {}", fr + 1), format!("row {}", fr + 1))
            } else {
                (
                    format!("bảng {}, dòng {}", ft + 1, fr + 1),
                    format!("table {}, row {}", ft + 1, fr + 1),
                )
            };
            warn(
                warnings,
                at(table, r, Some(i)),
                &format!("ô gộp dọc từ {vi}: chép “{text}” xuống dòng này"),
                &format!("cell merged down from {en}: “{text}” copied to this row"),
            );
        }
        if text.is_empty() {
            continue;
        }
        let value = match column.kind {
            ColumnKind::Number => {
                number = Some(row_number(&text));
                None
            }
            ColumnKind::Text => Some(Field::Text(text.clone())),
            ColumnKind::List => Some(Field::List(agencies(cell, known, table, r, i, warnings))),
            ColumnKind::Amount if !column.sum_of.is_empty() => {
                // Computed by phuluc from its parts; the typed figure is compared below.
                typed_sums.extend(parse_amount(&text).map(|d| (i, d)));
                None
            }
            ColumnKind::Amount | ColumnKind::Percent => match parse_amount(&text) {
                Some(d) if column.kind == ColumnKind::Amount => Some(Field::Amount(d)),
                Some(d) => Some(Field::Percent(d)),
                None => {
                    warn(
                        warnings,
                        at(table, r, Some(i)),
                        &format!("“{text}” không phải số: giữ nguyên dạng chữ"),
                        &format!("“{text}” is not a number: kept as text"),
                    );
                    Some(Field::Text(text.clone()))
                }
            },
            ColumnKind::Date => match parse_date(&text) {
                Some(d) => Some(Field::Date(d)),
                None => {
                    warn(
                        warnings,
                        at(table, r, Some(i)),
                        &format!("“{text}” không phải ngày dd/mm/yyyy: giữ nguyên dạng chữ"),
                        &format!("“{text}” is not a dd/mm/yyyy date: kept as text"),
                    );
                    Some(Field::Text(text.clone()))
                }
            },
        };
        if let Some(v) = value {
            fields.insert(column.field.clone(), v);
        }
    }
    let item = Item {
        id: None,
        number: Some(number.unwrap_or_default()),
        fields,
        pos: None,
    };
    for (i, typed) in typed_sums {
        let column = &layout.columns[i];
        let sum = crate::compose::values::amount_of(column, &item).unwrap_or_default();
        if sum != typed {
            let digits = column.digits();
            let (t, s) = (
                crate::compose::values::amount(typed, digits),
                crate::compose::values::amount(sum, digits),
            );
            warn(
                warnings,
                at(table, r, Some(i)),
                &format!(
                    "ô “{}” ghi {t}, nhưng cộng các cột thành phần là {s}: phuluc tự tính lại {s}",
                    column.header
                ),
                &format!(
                    "cell “{}” says {t}, but its parts add up to {s}: phuluc computes {s}",
                    column.header
                ),
            );
        }
    }
    item
}

/// An agency cell as a list: one name per paragraph; a paragraph with ", " is cut into
/// the names the file carries as data where that is the one way to cut it (the whole
/// paragraph may be one name), else split only where every piece is a name the file has
/// as a whole paragraph elsewhere.
fn agencies(
    cell: &Cell,
    known: &Known,
    table: usize,
    r: usize,
    col: usize,
    warnings: &mut Vec<Text>,
) -> Vec<String> {
    let mut out = Vec::new();
    for p in &cell.paragraphs {
        let text = p.text.trim();
        if text.is_empty() {
            continue;
        }
        if !text.contains(", ") {
            out.push(text.to_owned());
            continue;
        }
        if !known.vocabulary.is_empty()
            && let Some(names) = segment(text, |n| known.vocabulary.contains(n))
        {
            out.extend(names);
            continue;
        }
        let known = &known.sightings;
        match split_known(text, known) {
            Some(pieces) => out.extend(pieces),
            None => {
                let pieces: Vec<&str> = text.split(", ").collect();
                let some_known = pieces.iter().any(|p| known.contains_key(*p));
                let whole_elsewhere = known.get(text).copied().unwrap_or(0) > 1;
                if some_known && !whole_elsewhere {
                    warn(
                        warnings,
                        at(table, r, Some(col)),
                        &format!("“{text}”: không chắc là một hay nhiều cơ quan: giữ là một tên"),
                        &format!("“{text}”: one agency or several is unclear: kept as one name"),
                    );
                }
                out.push(text.to_owned());
            }
        }
    }
    out
}

/// Compares each typed total row with the sum of the items it covers.
fn check_totals(
    totals: &[TypedTotal],
    sections: &[Section],
    layout: &Layout,
    warnings: &mut Vec<Text>,
) {
    let value = |item: &Item, col: usize| -> Decimal {
        let column = &layout.columns[col];
        crate::compose::values::amount_of(column, item).unwrap_or_default()
    };
    for (table, r, grand, s, g, figures) in totals {
        let items: Vec<&Item> = if *grand {
            sections
                .iter()
                .flat_map(|s| &s.groups)
                .flat_map(|g| &g.items)
                .collect()
        } else {
            sections
                .get(*s)
                .and_then(|s| s.groups.get(*g))
                .map(|g| g.items.iter().collect())
                .unwrap_or_default()
        };
        for (col, typed) in figures {
            let sum: Decimal = items.iter().map(|i| value(i, *col)).sum();
            if sum != *typed {
                let digits = layout.columns[*col].digits();
                let (t, s) = (
                    crate::compose::values::amount(*typed, digits),
                    crate::compose::values::amount(sum, digits),
                );
                warn(
                    warnings,
                    at(*table, *r, Some(*col)),
                    &format!(
                        "dòng cộng ghi {t}, nhưng tổng các dòng là {s}: phuluc tự tính lại {s}"
                    ),
                    &format!(
                        "the total row says {t}, but the rows add up to {s}: phuluc computes {s}"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    /// Found by the round-trip property: every ")" at the end was cut, the issuer's own
    /// too.
    #[test]
    fn an_issuer_ending_in_a_parenthesis_keeps_it() {
        let mut m = PlanMeta {
            kind: String::new(),
            number: None,
            symbol: String::new(),
            date: None,
            year: None,
            issuer: String::new(),
        };
        assert!(read_reference(
            "(Kèm theo Kế hoạch số 12/KH-UBND ngày 20 tháng 3 năm 2026 của Ban Chỉ đạo (phường))",
            &mut m
        ));
        assert_eq!(m.issuer, "Ban Chỉ đạo (phường)");
    }

    #[test]
    fn a_number_typed_at_the_start_of_a_merged_heading() {
        assert_eq!(leading_number("I. NHIỆM VỤ CHUNG"), ("I", "NHIỆM VỤ CHUNG"));
        assert_eq!(leading_number("II - Giải pháp"), ("II", "Giải pháp"));
        assert_eq!(leading_number("3) Nhóm ba"), ("3", "Nhóm ba"));
        assert_eq!(leading_number("MỤC TIÊU"), ("", "MỤC TIÊU"));
        assert_eq!(leading_number("DI DỜI"), ("", "DI DỜI"));
        assert_eq!(leading_number("CD. x"), ("", "CD. x"));
        assert_eq!(leading_number("2026 là năm"), ("", "2026 là năm"));
        assert_eq!(leading_number("I."), ("", "I."));
    }

    #[test]
    fn the_reference_line_gives_the_plan_data() {
        let mut m = PlanMeta {
            kind: String::new(),
            number: None,
            symbol: String::new(),
            date: None,
            year: None,
            issuer: String::new(),
        };
        assert!(read_reference(
            "(Kèm theo Kế hoạch số           /KH-UBND ngày        /      /2026 của Ủy ban nhân dân phường Thạch Khôi)",
            &mut m
        ));
        assert_eq!(
            (m.kind.as_str(), m.number.as_deref(), m.symbol.as_str()),
            ("Kế hoạch", None, "KH-UBND")
        );
        assert_eq!(
            (m.date, m.year, m.issuer.as_str()),
            (None, Some(2026), "Ủy ban nhân dân phường Thạch Khôi")
        );
        assert!(read_reference(
            "(Kèm theo Kế hoạch số 12/KH-UBND ngày 20 tháng 3 năm 2026 của UBND phường)",
            &mut m
        ));
        assert_eq!(m.number.as_deref(), Some("12"));
        assert_eq!(
            m.date,
            Some(Date {
                year: 2026,
                month: 3,
                day: 20
            })
        );
    }
}
