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
//!
//! Here: the walk over the document's blocks (headings, tables joined across breaks,
//! templates matched or made). The rooms: [`heading`] (the lines above a table),
//! [`header`] (which template a table's header rows match), [`table`] (one appendix
//! from one table, totals compared), [`numbers`] (typed numbers against phuluc's own),
//! [`agencies`] (agency cells as lists), [`warnings`] (how a warning names its place);
//! what a row is, a floor below (template making uses it too), is [`super::rows`].

mod agencies;
mod header;
mod heading;
mod numbers;
mod reference;
mod table;
mod variant;
mod warnings;

use super::raw::{Block, RawDocument, Table};
use super::template::{NewKind, Options as TemplateOptions};
use super::values::loose;
use crate::compose::templates::Templates;
use crate::diag::Text;
use crate::model::fields::FieldsLookup;
use crate::model::{Appendix, Plan, PlanMeta};
use agencies::{Known, known_names};
use header::match_template;
use heading::{Heading, split_label};
use numbers::settle_numbers;
use reference::{is_reference, read_reference};
use table::appendix;
use warnings::legacy_name;

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
        ..PlanMeta::default()
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
                    // The title as typed (not upper-cased) where it shares the line.
                    let typed = text
                        .get(text.len() - n.len()..)
                        .filter(|_| upper.len() == text.len());
                    let (label, title) = split_label(typed.unwrap_or(n));
                    heading = Heading {
                        joined: title.is_some(),
                        label: Some(label.to_uppercase()),
                        title: title.into_iter().collect(),
                        size_pt: p.size_pt,
                        ..Heading::default()
                    };
                } else if is_reference(text) {
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
    let Some(read) = appendix(
        &table, p.index, &p.origins, &p.heading, position, templates, known, warnings,
    ) else {
        return;
    };
    let mut a = read.appendix;
    let kind = templates.kind(&a.template).cloned();
    if let Some(kind) = kind
        && let Some(target) = variant::differences(&kind, &p.heading, read.carried)
    {
        let made = match &mut *kinds {
            Kinds::Deriving {
                templates,
                options,
                made,
            } => variant_kind(
                &a.template,
                &kind,
                &target,
                p.index,
                templates,
                options,
                made,
            ),
            Kinds::Fixed(_) => None,
        };
        match made {
            Some((slug, note)) => {
                warnings.push(note);
                a.template = slug;
            }
            None => {
                let why = target.described(&kind.layout);
                warnings.push(Text::new(
                    format!(
                        "bảng {}: tệp Word in khác mẫu “{}” ({}): bản in từ kế hoạch sẽ khác bản Word; dùng mẫu có “heading:” và “totals:” như tệp (xem README, “Templates”)",
                        p.index + 1,
                        a.template,
                        why.vi
                    ),
                    format!(
                        "table {}: the Word file prints unlike template “{}” ({}): the plan renders unlike the Word file; use a template whose “heading:” and “totals:” match the file (see README, “Templates”)",
                        p.index + 1,
                        a.template,
                        why.en
                    ),
                ));
            }
        }
    }
    appendices.push(a);
    tables_of.push(p.index);
}

/// The variant of `kind` (named `name`) printing `target`, for table `index`: one already
/// known that prints it (made for an earlier table, or from `--templates`), else made
/// and added to `templates` and `made`. Its name and the note saying so; `None` where
/// the kind's files cannot be edited into one.
fn variant_kind(
    name: &str,
    kind: &crate::compose::templates::Kind,
    target: &variant::Target,
    index: usize,
    templates: &mut Templates,
    options: &TemplateOptions,
    made: &mut Vec<NewKind>,
) -> Option<(String, Text)> {
    let base = target.slug(name, &kind.layout);
    let why = target.described(&kind.layout);
    let mut slug = base.clone();
    for n in 2.. {
        match templates.kind(&slug) {
            Some(known)
                if target.printed_by(&known.layout)
                    && known.layout.columns.len() == kind.layout.columns.len() =>
            {
                let note = Text::new(
                    format!(
                        "bảng {}: in như mẫu “{slug}” (biến thể của “{name}”: {})",
                        index + 1,
                        why.vi
                    ),
                    format!(
                        "table {}: printed as template “{slug}” (a variant of “{name}”: {})",
                        index + 1,
                        why.en
                    ),
                );
                return Some((slug, note));
            }
            Some(_) => slug = format!("{base}-{n}"),
            None => break,
        }
    }
    let files = variant::variant_files(name, kind, target, &options.source, &options.schema)?;
    let dir = options.dir.join(&slug);
    templates.add_kind(&slug, &dir, &files).ok()?;
    if !templates
        .kind(&slug)
        .is_some_and(|k| target.printed_by(&k.layout))
    {
        return None;
    }
    let note = Text::new(
        format!(
            "bảng {}: tệp Word in khác mẫu “{name}” ({}): đã tạo mẫu biến thể “{slug}” in như tệp: {}",
            index + 1,
            why.vi,
            dir.join("layout.yaml").display()
        ),
        format!(
            "table {}: the Word file prints unlike template “{name}” ({}): made the variant “{slug}” that prints like the file: {}",
            index + 1,
            why.en,
            dir.join("layout.yaml").display()
        ),
    );
    made.push(NewKind {
        slug: slug.clone(),
        name: kind.layout.name.clone(),
        files,
        columns: kind
            .layout
            .columns
            .iter()
            .map(|c| super::template::GuessedColumn {
                header: c.header.clone(),
                field: c.field.clone(),
                kind: c.kind,
            })
            .collect(),
        table: index,
        variant_of: Some((name.to_owned(), why)),
    });
    Some((slug, note))
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
