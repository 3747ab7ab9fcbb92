//! Rows as the diff reads them: the columns of an appendix (the new template's body
//! columns, then any the old one had besides), a row's value in each, and the keys rows
//! are paired by.
//!
//! Contract: pure; values are normalised as they are compared (whitespace collapsed,
//! agency lists without empty names, figures as the appendix shows them, a computed
//! column as its sum). Used by the comparison and, a floor below it, by the pairing.

use super::change::{Cell, FieldName, Value, field, text_value};
use super::words::collapse;
use crate::compose::templates::{ColumnKind, Templates};
use crate::diag::Text;
use crate::model::{Appendix, Field, Item};

/// A column of the table: its key, header and whether it holds a list, and the
/// template's column (how its figures read).
pub(super) struct Column {
    key: String,
    header: String,
    list: bool,
    spec: crate::compose::templates::Column,
}

/// The body columns of the new template, then any the old template had besides.
pub(super) fn columns(templates: &Templates, old: &Appendix, new: &Appendix) -> Vec<Column> {
    let mut cols: Vec<Column> = Vec::new();
    for template in [&new.template, &old.template] {
        let Some(kind) = templates.kind(template) else {
            continue;
        };
        for c in &kind.layout.columns {
            if c.kind == ColumnKind::Number || cols.iter().any(|k| k.key == c.field) {
                continue;
            }
            cols.push(Column {
                key: c.field.clone(),
                header: c.header.clone(),
                list: c.kind == ColumnKind::List,
                spec: c.clone(),
            });
        }
    }
    cols
}

/// A row's value in `col`, normalised; `None` when empty. A computed column's value is
/// its sum, as the appendix shows it.
pub(super) fn cell(item: &Item, col: &Column) -> Option<Value> {
    if crate::compose::values::is_computed(&col.spec) {
        let sum = crate::compose::values::amount_of(&col.spec, item)?;
        return text_value(&crate::compose::values::amount(sum, col.spec.digits()));
    }
    match item.fields.get(&col.key)? {
        Field::Text(t) => text_value(t),
        Field::List(list) => {
            let names: Vec<String> = list
                .iter()
                .map(|n| collapse(n))
                .filter(|n| !n.is_empty())
                .collect();
            (!names.is_empty()).then_some(Value::List(names))
        }
        // Figures compare as they read ("1.250.000", "30/06/2026"): a change shows as the
        // old figure and the new one.
        f @ (Field::Amount(_) | Field::Percent(_) | Field::Date(_)) => {
            text_value(&crate::compose::values::field_text(&col.spec, Some(f)))
        }
    }
}

pub(super) fn column_name(col: &Column) -> FieldName {
    field(&col.key, Text::new(col.header.clone(), col.header.clone()))
}

/// Every non-empty cell of a row, for an added or removed row.
pub(super) fn cells(item: &Item, cols: &[Column]) -> Vec<Cell> {
    cols.iter()
        .filter_map(|c| {
            cell(item, c).map(|value| Cell {
                field: column_name(c),
                value,
            })
        })
        .collect()
}

/// The row's main text (its first text column), or its first non-empty cell.
pub(super) fn main_text(item: &Item, cols: &[Column]) -> Option<Value> {
    cols.iter()
        .find(|c| !c.list)
        .and_then(|c| cell(item, c))
        .or_else(|| cols.iter().find_map(|c| cell(item, c)))
}

/// The texts rows are paired by: (everything, main text + agencies, main text).
pub(super) fn row_keys(item: &Item, cols: &[Column]) -> (String, String, String) {
    let show = |c: &Column| cell(item, c).map(|v| v.display()).unwrap_or_default();
    // A separator no text holds, so "a b" + "c" never equals "a" + "b c".
    let all = cols.iter().map(show).collect::<Vec<_>>().join("\u{1F}");
    let main = cols.iter().find(|c| !c.list).map(show).unwrap_or_default();
    let lists: Vec<String> = cols.iter().filter(|c| c.list).map(show).collect();
    let main_lists = format!("{main} {}", lists.join(" "));
    (all, collapse(&main_lists), main)
}
