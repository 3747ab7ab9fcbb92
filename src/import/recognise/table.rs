//! One appendix from one (possibly joined) table: its rows as sections, groups and
//! items in the template's columns, typed totals compared with the sums.
//!
//! Contract: never fails on a readable table; every guess is a warning pointing into the
//! Word file ("bảng 2, dòng 14, cột 3").

use std::collections::BTreeMap;

use super::super::raw::{Cell, Row, Table};
use super::super::rows::{RowKind, cell_at, classify, heading_with_sums};
use super::super::values::{parse_amount, parse_date, row_number};
use super::agencies::{Known, agencies};
use super::header::match_template;
use super::heading::Heading;
use super::numbers::{Restart, restart};
use super::warnings::{at, legacy_name, warn};
use crate::compose::numbering;
use crate::compose::templates::{ColumnKind, Layout, Templates};
use crate::diag::Text;
use crate::model::fields::FieldsLookup;
use crate::model::{Appendix, Decimal, Field, Group, Item, Section};

/// What a typed total adds up.
#[derive(Clone, Copy)]
enum Scope {
    /// Every row (“Tổng cộng”).
    Grand,
    /// A “Cộng” row: the group it closes (section, group).
    After(usize, usize),
    /// A section's own heading row carrying its subtotals.
    SectionHeading(usize),
    /// A group's own heading row carrying its subtotals (section, group).
    GroupHeading(usize, usize),
}

/// A total as typed: its table and row in the Word file, what it adds up, and the
/// figures typed in amount columns (column, value).
type TypedTotal = (usize, usize, Scope, Vec<(usize, Decimal)>);

/// One appendix from one table, or `None` (with a warning) when no template matches.
#[allow(clippy::too_many_arguments)]
pub(super) fn appendix(
    table: &Table,
    index: usize,
    origins: &[(usize, usize)],
    heading: &Heading,
    position: usize,
    templates: &Templates,
    known: &Known,
    warnings: &mut Vec<Text>,
) -> Option<Read> {
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
    let amounts: Vec<usize> = (layout.columns.iter().enumerate())
        .filter(|(_, c)| c.kind == ColumnKind::Amount)
        .map(|(i, _)| i)
        .collect();
    // Which levels' heading rows carry subtotals (sections, groups), for the template.
    let mut carried = (false, false);
    for (r, row) in table.rows.iter().enumerate().skip(header_rows) {
        if row.cells.iter().all(|c| c.text().trim().is_empty()) {
            continue;
        }
        let (kind, sums) = match heading_with_sums(&row.cells, &amounts).filter(|_| totals) {
            Some((kind, figures)) => (kind, Some(figures)),
            None => (classify(&row.cells, columns), None),
        };
        match kind {
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
                let scope = if grand {
                    Scope::Grand
                } else {
                    Scope::After(s, g)
                };
                typed_totals.push((t, rr, scope, figures));
            }
            RowKind::Section(number, text) => {
                // The typed number for now; kept below only where it differs.
                sections.push(new_section(Some(text), Some(number)));
                if let Some(figures) = sums {
                    let (t, rr) = place(r);
                    typed_totals.push((t, rr, Scope::SectionHeading(sections.len() - 1), figures));
                    carried.0 = true;
                }
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
                if let Some(figures) = sums {
                    let (si, gi) = (sections.len() - 1, section_groups(&sections) - 1);
                    let (t, rr) = place(r);
                    typed_totals.push((t, rr, Scope::GroupHeading(si, gi), figures));
                    carried.1 = true;
                }
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
        // The typed totals name sections by index: one fewer before them now.
        for (_, _, scope, _) in &mut typed_totals {
            *scope = match *scope {
                Scope::After(s, g) => Scope::After(s.saturating_sub(1), g),
                Scope::SectionHeading(s) => Scope::SectionHeading(s.saturating_sub(1)),
                Scope::GroupHeading(s, g) => Scope::GroupHeading(s.saturating_sub(1), g),
                Scope::Grand => Scope::Grand,
            };
        }
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
    Some(Read {
        appendix: Appendix {
            template,
            number,
            title: heading.title.join("\n"),
            sections,
            origin: None,
        },
        carried,
    })
}

/// One table read as an appendix.
pub(super) struct Read {
    /// The appendix, of the template its header matched.
    pub(super) appendix: Appendix,
    /// Whether its section and its group heading rows carry subtotals (sections,
    /// groups): the template must print them there for the plan to render like the file.
    pub(super) carried: (bool, bool),
}

fn new_section(heading: Option<String>, number: Option<String>) -> Section {
    Section {
        id: None,
        number,
        heading,
        groups: Vec::new(),
        implicit: false,
        origin: None,
        key_origins: Default::default(),
    }
}

fn new_group(heading: Option<String>, implicit: bool) -> Group {
    Group {
        id: None,
        number: None,
        heading,
        items: Vec::new(),
        implicit,
        origin: None,
        key_origins: Default::default(),
    }
}

/// One item row: each template column from the cell starting at its grid column. `r`
/// and `table` place the row in the Word file; `place` does so for any row of the
/// (possibly joined) table, for a merge's first row.
#[allow(clippy::too_many_arguments)]
fn item(
    row: &Row,
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
        origin: None,
        key_origins: Default::default(),
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
    for (table, r, scope, figures) in totals {
        let items: Vec<&Item> = match *scope {
            Scope::Grand => sections
                .iter()
                .flat_map(|s| &s.groups)
                .flat_map(|g| &g.items)
                .collect(),
            Scope::SectionHeading(s) => sections
                .get(s)
                .map(|s| s.groups.iter().flat_map(|g| &g.items).collect())
                .unwrap_or_default(),
            Scope::After(s, g) | Scope::GroupHeading(s, g) => sections
                .get(s)
                .and_then(|s| s.groups.get(g))
                .map(|g| g.items.iter().collect())
                .unwrap_or_default(),
        };
        let heading = matches!(scope, Scope::SectionHeading(_) | Scope::GroupHeading(..));
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
                    &if heading {
                        format!(
                            "dòng tiêu đề ghi số cộng {t}, nhưng tổng các dòng của nó là {s}: phuluc tự tính lại {s}"
                        )
                    } else {
                        format!(
                            "dòng cộng ghi {t}, nhưng tổng các dòng là {s}: phuluc tự tính lại {s}"
                        )
                    },
                    &if heading {
                        format!(
                            "the heading row's subtotal says {t}, but its rows add up to {s}: phuluc computes {s}"
                        )
                    } else {
                        format!(
                            "the total row says {t}, but the rows add up to {s}: phuluc computes {s}"
                        )
                    },
                );
            }
        }
    }
}

/// The number of groups of the last section (at least the one just pushed).
fn section_groups(sections: &[Section]) -> usize {
    sections.last().map_or(1, |s| s.groups.len().max(1))
}
