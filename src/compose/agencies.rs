//! After signing: who does what. The tracking [`Register`] of a plan (every row with its
//! agencies, for `phuluc agencies` and the workbook) and each agency's own extract of the
//! appendices (a [`Document`] for the same writers).
//!
//! Contract: agencies are the names in the lead (`chu_tri`) and support (`phoi_hop`)
//! columns — see [`super::templates::Column::role`] — an entry joining several names the
//! register or the `agencies:` list knows counted as each of them
//! ([`super::standard_names::Vocabulary::split`], as `check` warns), folded with
//! [`lint::fold`], the folding `phuluc check` warns with, and named by
//! [`lint::preferred_names`]. An extract
//! is composed with the same templates, page setup, heading rows and numbering as the
//! appendix it comes from: each row keeps its number in the plan ("4.2") and its section
//! and group headings; part A holds the rows the agency leads, part B those it supports.
//! Pure functions; the same plan gives the same register and the same extracts.

use std::collections::{BTreeMap, BTreeSet};

use super::lint;
use super::numbering::{group_number, item_number, row_label, section_number};
use super::spelling::fold;
pub use super::spelling::unaccented;
use super::standard_names::Vocabulary;
use super::templates::{ColumnKind, Kind, Role, Templates, TotalPosition};
use super::{Source, appendix_number, assemble, cell_text, heading_lines, heading_row};
use crate::diag::SourceResult;
use crate::document::{Document, Margins, RowKind, Table};
use crate::model::plan::items;
use crate::model::{Appendix, Group, Item, Plan, Section};
use crate::register::key::content_key;
use crate::register::{Agency, Column, ColumnRole, Entry, Format, Register, Sheet, Value, totals};

/// Resolves the agency names of a plan to indexes into its list of agencies.
struct Resolver {
    /// Fold key → index into `agencies`.
    index: BTreeMap<String, usize>,
    agencies: Vec<Agency>,
    /// What cuts an entry joining several known agencies into each of them.
    vocabulary: Vocabulary,
}

impl Resolver {
    /// Every agency of the plan: the canonical list first, then the lead and support
    /// columns' names in document order.
    fn new(plan: &Plan, templates: &Templates) -> Self {
        let preferred = lint::preferred_names(plan, &lint::agency_mentions(plan, templates));
        let mut resolver = Resolver {
            index: BTreeMap::new(),
            agencies: Vec::new(),
            vocabulary: Vocabulary::new(&plan.agencies),
        };
        let mut spellings: Vec<BTreeSet<String>> = Vec::new();
        let mut add = |r: &mut Resolver, spelling: Option<&str>, key: String| {
            let i = match r.index.get(&key) {
                Some(&i) => i,
                None => {
                    let name = preferred
                        .get(&key)
                        .cloned()
                        .or_else(|| spelling.map(str::to_owned))
                        .unwrap_or_default();
                    r.index.insert(key, r.agencies.len());
                    r.agencies.push(Agency {
                        name,
                        slug: String::new(),
                        spellings: Vec::new(),
                    });
                    spellings.push(BTreeSet::new());
                    r.agencies.len() - 1
                }
            };
            if let (Some(s), Some(set)) = (spelling, spellings.get_mut(i)) {
                set.insert(s.to_owned());
            }
        };
        for name in &plan.agencies {
            add(&mut resolver, None, fold(name));
        }
        for appendix in &plan.appendices {
            let Some(kind) = templates.kind(&appendix.template) else {
                continue;
            };
            for item in items(appendix) {
                for column in kind.layout.columns.iter().filter(|c| c.role().is_some()) {
                    for entry in list(item, &column.field) {
                        for name in resolver.vocabulary.names(entry) {
                            add(&mut resolver, Some(&name), fold(&name));
                        }
                    }
                }
            }
        }
        let mut used = BTreeSet::new();
        for (agency, spellings) in resolver.agencies.iter_mut().zip(spellings) {
            agency.spellings = spellings.into_iter().collect();
            // The folded name, not the spelling: a file keeps its name when the plan
            // settles on another spelling (or gains an `agencies:` list) later.
            agency.slug = unique_slug(&fold(&agency.name), &mut used);
        }
        resolver
    }

    /// The agencies `item` names in its `role` column of `kind`, each once, in order.
    fn resolve(&self, kind: &Kind, item: &Item, role: Role) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(column) = kind.layout.role_column(role) else {
            return out;
        };
        for entry in list(item, &kind.layout.columns[column].field) {
            for name in self.vocabulary.names(entry) {
                if let Some(&i) = self.index.get(&fold(&name))
                    && !out.contains(&i)
                {
                    out.push(i);
                }
            }
        }
        out
    }
}

/// The names in list field `field` of `item`.
fn list<'a>(item: &'a Item, field: &str) -> &'a [String] {
    match item.fields.get(field) {
        Some(crate::model::Field::List(l)) => l,
        _ => &[],
    }
}

/// `name` in lower-case ASCII for a file name: diacritics dropped ("đ" → "d"), every run
/// of other characters one "-"; at most 80 characters; "co-quan" when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in unaccented(name) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(80);
    let out = out.trim_matches('-');
    // Names Windows reserves for devices cannot be file names there.
    const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];
    let reserved = RESERVED.contains(&out)
        || (out.len() == 4
            && (out.starts_with("com") || out.starts_with("lpt"))
            && out.ends_with(|c: char| c.is_ascii_digit()));
    match out {
        "" => "co-quan".to_owned(),
        _ if reserved => format!("{out}-co-quan"),
        _ => out.to_owned(),
    }
}

/// [`slug`], with "-2", "-3" … when an earlier agency has it.
fn unique_slug(name: &str, used: &mut BTreeSet<String>) -> String {
    let base = slug(name);
    let mut candidate = base.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    candidate
}

/// The tracking register of `plan`: one sheet per appendix whose template is known.
pub fn register(plan: &Plan, templates: &Templates) -> Register {
    let resolver = Resolver::new(plan, templates);
    let mut meta = super::metadata(plan);
    meta.title = format!(
        "Theo dõi thực hiện {} số {}/{}",
        plan.meta.kind,
        plan.meta.number.as_deref().unwrap_or("…"),
        plan.meta.symbol
    );
    let mut sheets = Vec::new();
    for (index, appendix) in plan.appendices.iter().enumerate() {
        let Some(kind) = templates.kind(&appendix.template) else {
            continue;
        };
        sheets.push(sheet(appendix, index, kind, &resolver));
    }
    crate::register::key::dedupe(&mut sheets);
    Register {
        meta,
        sheets,
        agencies: resolver.agencies,
    }
}

fn sheet(appendix: &Appendix, index: usize, kind: &Kind, resolver: &Resolver) -> Sheet {
    let layout = &kind.layout;
    let number = appendix_number(appendix, index);
    let name = format!("Phụ lục {number}");
    let page = super::page_setup(layout);
    let widths = super::column_widths(layout, page.text_width_mm());
    let main = layout.main_column();
    let columns: Vec<Column> = layout
        .columns
        .iter()
        .zip(&widths)
        .enumerate()
        .map(|(i, (c, &width_mm))| Column {
            field: c.field.clone(),
            header: c.header.clone(),
            width_mm,
            role: match (c.kind, c.role()) {
                (ColumnKind::Number, _) => ColumnRole::Number,
                (_, Some(Role::Lead)) => ColumnRole::Lead,
                (_, Some(Role::Support)) => ColumnRole::Support,
                (ColumnKind::List, None) => ColumnRole::List,
                (ColumnKind::Text, _) if Some(i) == main => ColumnRole::Main,
                // Figures travel as the text the appendix shows ("1.250.000", "30/06/2026").
                (
                    ColumnKind::Text | ColumnKind::Amount | ColumnKind::Date | ColumnKind::Percent,
                    _,
                ) => ColumnRole::Text,
            },
            align: super::align(c.align),
            format: match c.kind {
                ColumnKind::Amount => Format::Amount {
                    decimals: c.digits(),
                },
                ColumnKind::Percent => Format::Percent {
                    decimals: c.digits(),
                },
                ColumnKind::Date => Format::Date,
                _ => Format::Text,
            },
            sum_of: c
                .sum_of
                .iter()
                .filter_map(|f| layout.columns.iter().position(|o| &o.field == f))
                .collect(),
        })
        .collect();
    let number_col = layout
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Number);
    // A heading row: its number in the number column, its text in the main one.
    let heading = |kind: RowKind,
                   number: &str,
                   name: String,
                   key: String,
                   text: &str,
                   place: (usize, Option<usize>)| {
        let mut cells = vec![String::new(); columns.len()];
        if let Some(i) = number_col {
            cells[i] = number.to_owned();
        }
        let text_col = main.or_else(|| (0..columns.len()).find(|&i| Some(i) != number_col));
        if let Some(i) = text_col {
            cells[i] = text.to_owned();
        }
        Entry {
            kind,
            number: number.to_owned(),
            name,
            key,
            values: vec![None; cells.len()],
            cells,
            place,
            total_of: Vec::new(),
            lead: Vec::new(),
            support: Vec::new(),
        }
    };
    // A row's `id:`, else a key from its own content: never from its place (see
    // crate::register::key).
    let key = |id: &Option<String>, kind: &str, text: &str| {
        id.clone()
            .unwrap_or_else(|| content_key(&appendix.template, kind, text))
    };
    let mut rows = Vec::new();
    for (si, section) in appendix.sections.iter().enumerate() {
        let sno = section_number(section.number.as_deref(), si);
        // Rows are named as `phuluc diff` names them (crate::diff::outline): below a
        // section, with it, since two sections both number their rows from 1.
        let prefix = if section.implicit {
            String::new()
        } else {
            format!("phần {sno}, ")
        };
        if let Some(text) = &section.heading {
            let row = format!("phần {sno}");
            rows.push(heading(
                RowKind::Section,
                &sno,
                row.clone(),
                key(&section.id, "phan", text),
                text,
                (si, None),
            ));
        }
        for (gi, group) in section.groups.iter().enumerate() {
            let gno = group_number(group, gi);
            if let Some(text) = &group.heading {
                let row = format!("{prefix}nhóm {gno}");
                rows.push(heading(
                    RowKind::Group,
                    &gno,
                    row.clone(),
                    key(&group.id, "nhom", text),
                    text,
                    (si, Some(gi)),
                ));
            }
            for (ii, item) in group.items.iter().enumerate() {
                let no = item_number(group, &gno, item, ii);
                let row = format!("{prefix}{}", row_label(&no, &gno));
                let cells: Vec<String> = layout
                    .columns
                    .iter()
                    .map(|c| cell_text(item, c, &no))
                    .collect();
                // The main text, else every cell but the number: what the row says.
                let text = match main {
                    Some(i) => cells[i].clone(),
                    None => cells.join("\u{1f}"),
                };
                rows.push(Entry {
                    kind: RowKind::Item,
                    number: no.clone(),
                    key: key(&item.id, "muc", &text),
                    name: row,
                    values: layout.columns.iter().map(|c| typed(item, c)).collect(),
                    cells,
                    place: (si, Some(gi)),
                    total_of: Vec::new(),
                    lead: resolver.resolve(kind, item, Role::Lead),
                    support: resolver.resolve(kind, item, Role::Support),
                });
            }
        }
    }
    let m = layout.page.margins_mm;
    let mut sheet = Sheet {
        name,
        number,
        title: appendix.title.clone(),
        columns,
        rows,
        margins: Margins {
            top: m.top,
            bottom: m.bottom,
            left: m.left,
            right: m.right,
        },
    };
    if let Some(t) = &layout.totals {
        let spec = totals::Spec {
            groups: t.groups,
            sections: t.sections,
            grand: t.grand,
            grand_top: t.grand_position == TotalPosition::Top,
            grand_label: t.grand_label.clone(),
            subtotal_label: t.subtotal_label.clone(),
        };
        totals::add(&mut sheet, &spec, super::values::amount);
    }
    sheet
}

/// The typed value `item` shows in `column`: a figure, or `None` for text.
fn typed(item: &Item, column: &super::templates::Column) -> Option<Value> {
    use crate::model::Field;
    match column.kind {
        ColumnKind::Amount => super::values::amount_of(column, item).map(Value::Number),
        ColumnKind::Percent => match item.fields.get(&column.field) {
            Some(Field::Percent(d)) => Some(Value::Number(*d)),
            _ => None,
        },
        ColumnKind::Date => match item.fields.get(&column.field) {
            Some(Field::Date(d)) => Some(Value::Date(crate::document::Date {
                year: d.year,
                month: d.month,
                day: d.day,
            })),
            _ => None,
        },
        _ => None,
    }
}

/// The rows of `appendix` that `keep` keeps, with their sections and groups (only those
/// holding a kept row), every number fixed to the one it has in the whole appendix.
fn filtered(appendix: &Appendix, keep: impl Fn(&Item) -> bool) -> Option<Appendix> {
    let mut sections = Vec::new();
    for (si, section) in appendix.sections.iter().enumerate() {
        let mut groups = Vec::new();
        for (gi, group) in section.groups.iter().enumerate() {
            let gno = group_number(group, gi);
            let items: Vec<Item> = group
                .items
                .iter()
                .enumerate()
                .filter(|(_, item)| keep(item))
                .map(|(ii, item)| Item {
                    number: Some(item_number(group, &gno, item, ii)),
                    ..item.clone()
                })
                .collect();
            if !items.is_empty() {
                groups.push(Group {
                    id: group.id.clone(),
                    number: Some(gno),
                    heading: group.heading.clone(),
                    items,
                    implicit: group.implicit,
                    origin: group.origin,
                    key_origins: group.key_origins.clone(),
                });
            }
        }
        if !groups.is_empty() {
            sections.push(Section {
                id: section.id.clone(),
                number: Some(section_number(section.number.as_deref(), si)),
                heading: section.heading.clone(),
                groups,
                implicit: section.implicit,
                origin: section.origin,
                key_origins: section.key_origins.clone(),
            });
        }
    }
    (!sections.is_empty()).then(|| Appendix {
        template: appendix.template.clone(),
        number: appendix.number.clone(),
        title: appendix.title.clone(),
        sections,
        origin: appendix.origin,
    })
}

/// The heading line of an extract: "DANH MỤC NHIỆM VỤ GIAO PHÒNG VĂN HÓA - XÃ HỘI".
pub fn extract_heading(agency: &str) -> String {
    format!("DANH MỤC NHIỆM VỤ GIAO {}", agency.to_uppercase())
}

/// The reference line of an extract, from the appendix's own (`reference.hbs`):
/// "(Kèm theo Kế hoạch số …)" → "(Trích Phụ lục I kèm theo Kế hoạch số …)".
fn excerpt_reference(reference: &str, appendix: &str) -> String {
    let trimmed = reference.trim();
    let inner = trimmed
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(trimmed);
    let mut chars = inner.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_lowercase().collect())
        .unwrap_or_default();
    format!("(Trích {appendix} {first}{})", chars.as_str())
}

/// The letters and headings of the two parts of an extract.
pub const PART_LEAD: (&str, &str) = ("A", "CHỦ TRÌ THỰC HIỆN");
/// See [`PART_LEAD`].
pub const PART_SUPPORT: (&str, &str) = ("B", "PHỐI HỢP THỰC HIỆN");

/// The extract for agency `agency` (an index into [`Register::agencies`] of
/// [`register`]`(plan, templates)`): one part per appendix naming it, with the heading
/// "DANH MỤC NHIỆM VỤ GIAO …", the appendix's title and "(Trích Phụ lục … kèm theo …)";
/// part A the rows it leads, part B those it supports (a part it has no row in is left
/// out, the letters keep their meaning). `None` when no row names the agency.
pub fn extract(
    plan: &Plan,
    templates: &Templates,
    agency: usize,
) -> SourceResult<Option<Document>> {
    let resolver = Resolver::new(plan, templates);
    let Some(name) = resolver.agencies.get(agency).map(|a| a.name.clone()) else {
        return Ok(None);
    };
    let mut parts = Vec::new();
    let mut diags = Vec::new();
    for (index, appendix) in plan.appendices.iter().enumerate() {
        let Some(kind) = templates.kind(&appendix.template) else {
            continue;
        };
        let by_role = |role| {
            filtered(appendix, |item| {
                resolver.resolve(kind, item, role).contains(&agency)
            })
        };
        let (lead, support) = (by_role(Role::Lead), by_role(Role::Support));
        if lead.is_none() && support.is_none() {
            continue;
        }
        let number = appendix_number(appendix, index);
        let outline = format!("Phụ lục {number}");
        let lines = match heading_lines(plan, appendix, &number, templates) {
            Ok(l) => l,
            Err(mut d) => {
                diags.append(&mut d);
                continue;
            }
        };
        let title = lines.get(1).cloned().unwrap_or_default();
        let reference = excerpt_reference(lines.get(2).map_or("", String::as_str), &outline);
        let page = super::page_setup(&kind.layout);
        let mut table: Option<Table> = None;
        for (filtered, (letter, text)) in [(lead, PART_LEAD), (support, PART_SUPPORT)] {
            let Some(filtered) = filtered else {
                continue;
            };
            let mut part_table = super::table(&filtered, kind, page.text_width_mm());
            let body = std::mem::take(&mut part_table.body);
            let t = table.get_or_insert(part_table);
            t.body.push(heading_row(
                &kind.layout,
                RowKind::Section,
                format!("phần {letter}"),
                (letter.to_owned(), text.to_owned()),
                Source::NONE,
            ));
            t.body.extend(body);
        }
        let Some(table) = table else {
            continue;
        };
        parts.push(assemble(
            kind,
            format!("phu-luc-{number}"),
            outline,
            vec![extract_heading(&name), title, reference],
            table,
            appendix.origin,
        ));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if parts.is_empty() {
        return Ok(None);
    }
    let mut meta = super::metadata(plan);
    meta.title = format!(
        "Danh mục nhiệm vụ giao {name} (trích phụ lục kèm theo {} số {}/{})",
        plan.meta.kind,
        plan.meta.number.as_deref().unwrap_or("…"),
        plan.meta.symbol
    );
    Ok(Some(Document { meta, parts }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_file_names() {
        assert_eq!(slug("Phòng Văn hóa - Xã hội"), "phong-van-hoa-xa-hoi");
        assert_eq!(
            slug("Ủy ban Mặt trận Tổ quốc Việt Nam"),
            "uy-ban-mat-tran-to-quoc-viet-nam"
        );
        assert_eq!(slug("Văn phòng HĐND và UBND"), "van-phong-hdnd-va-ubnd");
        assert_eq!(slug("Đội “Dân vận khéo” / số 2"), "doi-dan-van-kheo-so-2");
        assert_eq!(slug("…"), "co-quan");
        assert_eq!(slug("Con"), "con-co-quan", "a device name on Windows");
        assert_eq!(slug("COM1"), "com1-co-quan");
        assert!(slug(&"Phòng ".repeat(40)).len() <= 80);
        let mut used = BTreeSet::new();
        assert_eq!(unique_slug("Phòng A", &mut used), "phong-a");
        assert_eq!(unique_slug("phòng a!", &mut used), "phong-a-2");
        assert_eq!(unique_slug("Phòng-A", &mut used), "phong-a-3");
    }

    #[test]
    fn the_reference_line_says_it_is_an_extract() {
        assert_eq!(
            excerpt_reference(
                "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05 tháng 02 năm 2026 của UBND phường)",
                "Phụ lục II"
            ),
            "(Trích Phụ lục II kèm theo Kế hoạch số 12/KH-UBND ngày 05 tháng 02 năm 2026 của UBND phường)"
        );
        // A template whose line has no parentheses still reads as an extract.
        assert_eq!(
            excerpt_reference("Ban hành kèm theo Quyết định số 7", "Phụ lục I"),
            "(Trích Phụ lục I ban hành kèm theo Quyết định số 7)"
        );
        assert_eq!(
            extract_heading("Phòng Văn hóa - Xã hội"),
            "DANH MỤC NHIỆM VỤ GIAO PHÒNG VĂN HÓA - XÃ HỘI"
        );
    }
}
