//! Compose: a validated [`Plan`] plus its templates → the layout-neutral [`Document`].
//!
//! Contract: all decisions about what the appendix says and how it is styled are made
//! here, once, for every writer: heading lines (Handlebars), row numbers, which rows are
//! headings, cell texts (agency lists joined with ", "), column widths scaled to the
//! text width, font sizes, page setup and page-number policy. Writers only place what
//! they are given.
//!
//! Every part, row and cell carries its origin in the plan file (see
//! [`crate::document`]): the appendix's block, the row's block, the value a cell shows
//! (its key where the value is empty, the row's block where the cell shows no value of
//! its own). One entry point, [`compose`]; nothing is kept beside the document.

pub mod agencies;
pub mod blanks;
pub mod lint;
pub mod numbering;
pub mod printed_fields;
pub mod schema;
pub mod spelling;
pub mod standard_names;
pub mod templates;
mod totals;
pub mod values;

use serde_json::json;

use crate::diag::{SourceResult, Span};
use crate::document::{
    AgencyNames, Align, Cell, Date, Document, HeadingField, Margins, Metadata, PageNumbers,
    PageSetup, Paragraph, Part, Row, RowKind, Rule, Table, TextStyle, VAlign, VMerge,
};
use crate::model::{Appendix, Field, Item, Origins, Plan, PlanMeta};
use numbering::{group_number, item_number, roman, row_label, section_number, within_section};
use templates::{ColumnKind, Kind, Orientation, Templates, TotalPosition};
use totals::{Sums, Totals, carry};
pub(crate) use values::align;

/// A4 in millimetres, portrait.
const A4: (f32, f32) = (210.0, 297.0);

/// Builds the document. Fails only on template rendering errors (reported per line).
pub fn compose(plan: &Plan, templates: &Templates) -> SourceResult<Document> {
    let mut parts = Vec::with_capacity(plan.appendices.len());
    let mut diags = Vec::new();
    for (index, appendix) in plan.appendices.iter().enumerate() {
        let Some(kind) = templates.kind(&appendix.template) else {
            // Validation reports unknown templates; nothing to compose here.
            continue;
        };
        match part(plan, appendix, index, kind, templates) {
            Ok(p) => parts.push(p),
            Err(mut d) => diags.append(&mut d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Document {
        meta: metadata(plan),
        parts,
    })
}

/// One document per part, for `--split`: same metadata, the title naming the part
/// ("Phụ lục I kèm theo …" instead of "Phụ lục kèm theo …").
pub fn split(doc: &Document) -> Vec<Document> {
    doc.parts
        .iter()
        .map(|part| {
            let mut meta = doc.meta.clone();
            if let Some(rest) = meta.title.strip_prefix(TITLE_PREFIX) {
                meta.title = format!("{}{rest}", part.outline);
            }
            Document {
                meta,
                parts: vec![part.clone()],
            }
        })
        .collect()
}

/// How the file title starts; [`split`] puts the part's name in its place.
const TITLE_PREFIX: &str = "Phụ lục";

pub(crate) fn metadata(plan: &Plan) -> Metadata {
    let meta = &plan.meta;
    let number = meta.number.as_deref().unwrap_or("…");
    let date = match meta.date {
        Some(d) => d,
        // A fixed date, never the clock: same input, same bytes.
        None => Date {
            year: meta.year.unwrap_or(2000),
            month: 1,
            day: 1,
        },
    };
    Metadata {
        title: format!(
            "{TITLE_PREFIX} kèm theo {} số {}/{}",
            meta.kind, number, meta.symbol
        ),
        author: meta.issuer.clone(),
        language: "vi-VN".to_owned(),
        date,
        // A composed plan is one version; the diff sets a revision when it marks changes.
        revision: None,
        agencies: agency_names(plan),
    }
}

/// Every agency name of the plan's list cells, and its canonical list.
fn agency_names(plan: &Plan) -> AgencyNames {
    let mut used = std::collections::BTreeSet::new();
    for item in plan.appendices.iter().flat_map(crate::model::plan::items) {
        for field in item.fields.values() {
            if let Field::List(names) = field {
                used.extend(names.iter().filter(|n| !n.trim().is_empty()).cloned());
            }
        }
    }
    AgencyNames {
        canonical: plan.agencies.clone(),
        used: used.into_iter().collect(),
    }
}

/// Handlebars data for the heading lines; `heading` is the kind's form of them.
pub(crate) fn line_data(
    meta: &PlanMeta,
    appendix_number: &str,
    appendix: &Appendix,
    heading: &templates::HeadingLayout,
) -> serde_json::Value {
    // Decree 30: day below 10 and months 1–2 take a leading zero ("ngày 05 tháng 02").
    let date = meta.date.map(|d| {
        json!({
            "day": format!("{:02}", d.day),
            "month": if d.month <= 2 { format!("{:02}", d.month) } else { d.month.to_string() },
            "year": d.year.to_string(),
        })
    });
    json!({
        "plan": {
            "kind": meta.kind,
            "number": meta.number,
            "symbol": meta.symbol,
            "date": date,
            "year": meta.year.map(|y| y.to_string()),
            "issuer": meta.issuer,
        },
        "appendix": {
            "number": appendix_number,
            "title": appendix.title,
        },
        "heading": {
            "opening": heading.opening.words(),
            "long_date": heading.blank_date == templates::BlankDate::Long,
        },
    })
}

fn part(
    plan: &Plan,
    appendix: &Appendix,
    index: usize,
    kind: &Kind,
    templates: &Templates,
) -> SourceResult<Part> {
    let number = appendix_number(appendix, index);
    let outline = format!("Phụ lục {number}");
    let (lines, fields) = heading_lines_marked(plan, appendix, &number, templates)?;
    let page = page_setup(&kind.layout);
    let table = table(appendix, kind, page.text_width_mm());
    let mut part = assemble(
        kind,
        format!("phu-luc-{number}"),
        outline,
        lines,
        table,
        appendix.origin,
    );
    part.fields = fields;
    Ok(part)
}

/// The number of the appendix at 0-based `index`: its own, else I, II … by position.
pub(crate) fn appendix_number(appendix: &Appendix, index: usize) -> String {
    appendix.number.clone().unwrap_or_else(|| roman(index + 1))
}

/// The heading lines of `appendix` from its templates: label, title and reference, or
/// — where its kind joins them (`heading: label_title: joined`) — “PHỤ LỤC I. TITLE”
/// and the reference.
pub(crate) fn heading_lines(
    plan: &Plan,
    appendix: &Appendix,
    number: &str,
    templates: &Templates,
) -> SourceResult<Vec<String>> {
    heading_lines_marked(plan, appendix, number, templates).map(|(lines, _)| lines)
}

/// [`heading_lines`], with where the templates print the plan's fields (their
/// `{{#field NAME}}` blocks), each naming the `plan:` block as its origin.
pub(crate) fn heading_lines_marked(
    plan: &Plan,
    appendix: &Appendix,
    number: &str,
    templates: &Templates,
) -> SourceResult<(Vec<String>, Vec<HeadingField>)> {
    let heading = heading_form(appendix, templates);
    let data = line_data(&plan.meta, number, appendix, &heading);
    let mut lines = Vec::new();
    let mut fields = Vec::new();
    let mut diags = Vec::new();
    for (i, line) in templates::LINE_TEMPLATES.iter().enumerate() {
        match templates.render_line_marked(&appendix.template, line, &data) {
            Ok((text, marked)) => {
                lines.push(text);
                fields.extend(marked.into_iter().map(|(range, field)| HeadingField {
                    paragraph: i,
                    range,
                    field,
                    origin: plan.meta.origin,
                }));
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if heading.label_title == templates::LabelTitle::Joined
        && let [label, title, _] = lines.as_mut_slice()
        && !title.trim().is_empty()
    {
        // A title typed on several lines keeps its line breaks, inside the one paragraph.
        let shift = label.len() + 2;
        *label = format!("{label}. {}", std::mem::take(title));
        lines.remove(1);
        for f in &mut fields {
            match f.paragraph {
                0 => {}
                1 => {
                    f.paragraph = 0;
                    f.range = f.range.start + shift..f.range.end + shift;
                }
                _ => f.paragraph -= 1,
            }
        }
    }
    Ok((lines, fields))
}

/// The form of `appendix`'s heading block (its kind's; the default for a kind unknown,
/// which compose reports elsewhere).
pub(crate) fn heading_form(appendix: &Appendix, templates: &Templates) -> templates::HeadingLayout {
    templates
        .kind(&appendix.template)
        .map(|k| k.layout.heading)
        .unwrap_or_default()
}

/// The page of a kind: A4 in its orientation, its margins.
pub(crate) fn page_setup(layout: &templates::Layout) -> PageSetup {
    let (w, h) = match layout.page.orientation {
        Orientation::Landscape => (A4.1, A4.0),
        Orientation::Portrait => A4,
    };
    let m = layout.page.margins_mm;
    PageSetup {
        width_mm: w,
        height_mm: h,
        landscape: w > h,
        margins: Margins {
            top: m.top,
            bottom: m.bottom,
            left: m.left,
            right: m.right,
        },
        header_mm: layout.page.header_mm,
    }
}

/// A part of kind `kind`: its page, page numbers, the heading block of `lines` (the first
/// two bold, the last italic, all centred), the rule, and `table`; from `origin`.
pub(crate) fn assemble(
    kind: &Kind,
    slug: String,
    outline: String,
    lines: Vec<String>,
    table: Table,
    origin: Option<Span>,
) -> Part {
    let layout = &kind.layout;
    let heading_pt = layout.text.heading_pt;
    let count = lines.len();
    let heading = lines
        .into_iter()
        .enumerate()
        .map(|(i, text)| Paragraph {
            text,
            marks: Vec::new(),
            style: TextStyle {
                size_pt: heading_pt,
                bold: i + 1 < count,
                italic: i + 1 == count,
            },
            align: Align::Center,
            space_after_pt: 0.0,
        })
        .collect();
    let page = page_setup(layout);
    let rule = (layout.table.rule_mm > 0.0).then_some(Rule {
        width_mm: layout.table.rule_mm.min(page.text_width_mm()),
        thickness_pt: 0.75,
        space_before_pt: 4.0,
    });
    Part {
        slug,
        outline,
        page,
        page_numbers: PageNumbers {
            enabled: true,
            start: 1,
            show_on_first: false,
            size_pt: layout.text.page_number_pt,
        },
        heading,
        rule,
        space_before_table_pt: 12.0,
        table,
        origin,
        fields: Vec::new(),
    }
}

/// The template's relative column widths, scaled to `text_width` millimetres.
pub(crate) fn column_widths(layout: &templates::Layout, text_width: f32) -> Vec<f32> {
    let total: f32 = layout.columns.iter().map(|c| c.width).sum();
    layout
        .columns
        .iter()
        .map(|c| c.width / total * text_width)
        .collect()
}

/// What a body row shows in `column`: its number in the number column, a text as it is,
/// an agency list joined with ", ", a figure as [`values`] writes it (a computed column:
/// the sum of its parts).
pub(crate) fn cell_text(item: &Item, column: &templates::Column, number: &str) -> String {
    match column.kind {
        ColumnKind::Number => number.to_owned(),
        _ if values::is_computed(column) => values::amount_of(column, item)
            .map(|d| values::amount(d, column.digits()))
            .unwrap_or_default(),
        _ => values::field_text(column, item.fields.get(&column.field)),
    }
}

/// Where the text [`cell_text`] gives for `column` comes from: the value it shows, else
/// the row (a computed number or sum, a field the row does not have).
pub(crate) fn cell_origin(item: &Item, column: &templates::Column) -> Option<Span> {
    let key = match column.kind {
        ColumnKind::Number => "number",
        _ if values::is_computed(column) => return item.origin,
        _ => column.field.as_str(),
    };
    item.key_origins.get(key).copied().or(item.origin)
}

/// The table's text styles: plain and bold at the kind's table size.
fn table_styles(layout: &templates::Layout) -> (TextStyle, TextStyle) {
    let plain = TextStyle {
        size_pt: layout.text.table_pt,
        bold: false,
        italic: false,
    };
    (
        plain,
        TextStyle {
            bold: true,
            ..plain
        },
    )
}

fn cell(text: String, span: usize, style: TextStyle, align: Align) -> Cell {
    Cell {
        text,
        span,
        style,
        align,
        valign: VAlign::Center,
        vmerge: VMerge::None,
        marks: Vec::new(),
        origin: None,
    }
}

/// `cell` from `origin`.
fn cell_from(origin: Option<Span>, cell: Cell) -> Cell {
    Cell { origin, ..cell }
}

/// Where a heading row's cells come from, for [`heading_row`]: the row's block and its
/// keys' values (`number`, `heading`); `Source::NONE` for a row of no block.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    /// The row's block.
    pub(crate) origin: Option<Span>,
    /// Its keys' values.
    pub(crate) keys: Option<&'a Origins>,
}

impl Source<'_> {
    /// A row no block of the file writes.
    pub(crate) const NONE: Source<'static> = Source {
        origin: None,
        keys: None,
    };

    /// The value of `key`, else the row.
    fn of(&self, key: &str) -> Option<Span> {
        self.keys.and_then(|k| k.get(key)).copied().or(self.origin)
    }
}

/// A section or group heading row: the number in the number column, the text across
/// all columns after it, bold; kept with the next row; from `source`.
pub(crate) fn heading_row(
    layout: &templates::Layout,
    kind: RowKind,
    label: String,
    (number, text): (String, String),
    source: Source<'_>,
) -> Row {
    let (_, bold) = table_styles(layout);
    let number_col = layout
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Number);
    let mut cells = Vec::new();
    let n = layout.columns.len();
    match number_col {
        Some(i) => {
            if i > 0 {
                let blank = cell(String::new(), i, bold, Align::Left);
                cells.push(cell_from(source.origin, blank));
            }
            let number = cell(number, 1, bold, Align::Center);
            cells.push(cell_from(source.of("number"), number));
            if i + 1 < n {
                let text = cell(text, n - i - 1, bold, Align::Left);
                cells.push(cell_from(source.of("heading"), text));
            }
        }
        None => cells.push(cell_from(
            source.of("heading"),
            cell(text, n, bold, Align::Left),
        )),
    }
    Row {
        kind,
        label,
        cells,
        keep_with_next: true,
        change: None,
        origin: source.origin,
    }
}

/// The table of `appendix` in kind `kind`, `text_width` millimetres wide.
pub(crate) fn table(appendix: &Appendix, kind: &Kind, text_width: f32) -> Table {
    let layout = &kind.layout;
    let columns = column_widths(layout, text_width);
    let (plain, bold) = table_styles(layout);
    let mut header = header_rows(layout, bold);
    let heading_row = |kind, label, number, text, source| {
        heading_row(layout, kind, label, (number, text), source)
    };
    let mut body = Vec::new();
    if layout.column_numbers {
        let numbers = Row {
            kind: RowKind::ColumnNumbers,
            label: "dòng số thứ tự cột".to_owned(),
            cells: layout
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let label = c
                        .number_label
                        .clone()
                        .unwrap_or_else(|| format!("({})", i + 1));
                    cell(label, 1, italic_of(plain), Align::Center)
                })
                .collect(),
            keep_with_next: true,
            change: None,
            origin: None,
        };
        if layout.repeat_column_numbers {
            header.push(numbers);
        } else {
            body.push(numbers);
        }
    }
    let totals = Totals::new(layout);
    let total_row = |label: String, text: String, sums: &Sums| Row {
        kind: RowKind::Total,
        label,
        cells: totals.cells(layout, text, sums, |t, span, a| cell(t, span, bold, a)),
        keep_with_next: false,
        change: None,
        origin: None,
    };
    let mut grand = Sums::default();
    let grand_at = body.len();
    for (si, section) in appendix.sections.iter().enumerate() {
        let sno = section_number(section.number.as_deref(), si);
        let section_row = body.len();
        if let Some(text) = &section.heading {
            body.push(heading_row(
                RowKind::Section,
                format!("mục {sno}"),
                sno.clone(),
                text.clone(),
                Source {
                    origin: section.origin,
                    keys: Some(&section.key_origins),
                },
            ));
        }
        let mut in_section = Sums::default();
        for (gi, group) in section.groups.iter().enumerate() {
            let gno = group_number(group, gi);
            let group_row = body.len();
            if let Some(text) = &group.heading {
                let label = within_section(format!("nhóm {gno}"), section, &sno);
                body.push(heading_row(
                    RowKind::Group,
                    label,
                    gno.clone(),
                    text.clone(),
                    Source {
                        origin: group.origin,
                        keys: Some(&group.key_origins),
                    },
                ));
            }
            let mut in_group = Sums::default();
            for (ii, item) in group.items.iter().enumerate() {
                let no = item_number(group, &gno, item, ii);
                let label = within_section(row_label(&no, &gno), section, &sno);
                let cells = layout
                    .columns
                    .iter()
                    .map(|c| {
                        let text = cell(cell_text(item, c, &no), 1, plain, align(c.align));
                        cell_from(cell_origin(item, c), text)
                    })
                    .collect();
                in_group.add_item(layout, item);
                body.push(Row {
                    kind: RowKind::Item,
                    label,
                    cells,
                    keep_with_next: false,
                    change: None,
                    origin: item.origin,
                });
            }
            if totals.groups
                && group.heading.is_some()
                && !(totals.in_heading && carry(&mut body[group_row], layout, &in_group))
            {
                // Groups number from 1 in every section: the section tells them apart.
                let label = within_section(format!("cộng nhóm {gno}"), section, &sno);
                body.push(total_row(
                    label,
                    format!("{} nhóm {gno}", totals.subtotal_label),
                    &in_group,
                ));
            }
            in_section.add(&in_group);
        }
        if totals.sections
            && section.heading.is_some()
            && !(totals.in_heading && carry(&mut body[section_row], layout, &in_section))
        {
            body.push(total_row(
                format!("cộng phần {sno}"),
                format!("{} phần {sno}", totals.subtotal_label),
                &in_section,
            ));
        }
        grand.add(&in_section);
    }
    if totals.grand {
        let row = total_row("tổng cộng".to_owned(), totals.grand_label.clone(), &grand);
        match totals.grand_position {
            TotalPosition::Top => body.insert(grand_at, row),
            TotalPosition::Bottom => body.push(row),
        }
    }
    merge_equal_runs(layout, &mut body);
    Table {
        columns,
        padding: Margins {
            top: layout.table.padding_mm.top,
            bottom: layout.table.padding_mm.bottom,
            left: layout.table.padding_mm.left,
            right: layout.table.padding_mm.right,
        },
        border_pt: layout.table.border_pt,
        header,
        body,
        fields: layout
            .columns
            .iter()
            .map(|c| {
                (c.kind != ColumnKind::Number && !values::is_computed(c)).then(|| c.field.clone())
            })
            .collect(),
    }
}

fn italic_of(style: TextStyle) -> TextStyle {
    TextStyle {
        italic: true,
        ..style
    }
}

/// The header rows: one per level of header groups, then the columns' own titles. A
/// group's title spans its columns; a column under fewer groups than the deepest spans
/// the rows below its last group (merged down). Without groups, one row as always.
fn header_rows(layout: &templates::Layout, bold: TextStyle) -> Vec<Row> {
    let depth = 1 + layout
        .columns
        .iter()
        .map(|c| c.groups().len())
        .max()
        .unwrap_or(0);
    (0..depth)
        .map(|r| {
            let mut cells = Vec::with_capacity(layout.columns.len());
            let mut c = 0;
            while let Some(column) = layout.columns.get(c) {
                let groups = column.groups();
                if r < groups.len() {
                    // A group title over every neighbour with the same groups down to here.
                    let prefix = &groups[..=r];
                    let span = layout.columns[c..]
                        .iter()
                        .take_while(|o| o.groups().get(..=r) == Some(prefix))
                        .count()
                        .max(1);
                    cells.push(cell(groups[r].clone(), span, bold, Align::Center));
                    c += span;
                    continue;
                }
                let mut own = cell(column.header.clone(), 1, bold, Align::Center);
                own.vmerge = match (r == groups.len(), depth - 1 > groups.len()) {
                    (_, false) => VMerge::None,
                    (true, true) => VMerge::Start,
                    (false, true) => VMerge::Continue,
                };
                cells.push(own);
                c += 1;
            }
            Row {
                kind: RowKind::Header,
                label: if depth == 1 {
                    "dòng tiêu đề".to_owned()
                } else {
                    format!("dòng tiêu đề {}", r + 1)
                },
                cells,
                keep_with_next: true,
                change: None,
                origin: None,
            }
        })
        .collect()
}

/// Merges, in each `merge_equal` column, every run of two or more consecutive item rows
/// with the same non-empty text: the first cell starts the merge, the others continue it.
/// Heading and total rows end a run. Merged cells sit at the top of their run (where the
/// PDF shows the text, and Word then shows it too).
fn merge_equal_runs(layout: &templates::Layout, body: &mut [Row]) {
    for (col, _) in layout
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.merge_equal)
    {
        let mut start = 0;
        while start < body.len() {
            fn text(row: &Row, col: usize) -> Option<&str> {
                (row.kind == RowKind::Item)
                    .then(|| row.cells.get(col).map(|c| c.text.as_str()))
                    .flatten()
                    .filter(|t| !t.is_empty())
            }
            let Some(first) = text(&body[start], col).map(str::to_owned) else {
                start += 1;
                continue;
            };
            let end = start
                + body[start..]
                    .iter()
                    .take_while(|r| text(r, col) == Some(first.as_str()))
                    .count();
            if end - start > 1 {
                for (i, row) in body[start..end].iter_mut().enumerate() {
                    if let Some(c) = row.cells.get_mut(col) {
                        c.vmerge = if i == 0 {
                            VMerge::Start
                        } else {
                            VMerge::Continue
                        };
                        c.valign = VAlign::Top;
                    }
                }
            }
            start = end.max(start + 1);
        }
    }
}
