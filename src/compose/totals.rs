//! The computed sums of a table's amount columns and the rows that show them: the
//! subtotal and grand total rows, or a group's or section's own heading row carrying its
//! subtotals (`totals.subtotal_position: heading`, the common layout of a budget).
//!
//! Contract: sums are exact decimals of the rows as computed (a computed column as
//! computed); a figure prints with its column's decimals. A heading row carries sums only
//! where its text can end before the first amount column; otherwise the caller keeps the
//! subtotal row after it.

use std::collections::BTreeMap;

use super::templates::{self, ColumnKind, SubtotalPosition, TotalPosition};
use super::values::{self, align};
use crate::document::{Align, Cell, Row};
use crate::model::Decimal;

/// Exact sums of the amount columns, by field.
#[derive(Debug, Default, Clone)]
pub(super) struct Sums(BTreeMap<String, Decimal>);

impl Sums {
    /// Adds a row's amounts (computed columns as computed).
    pub(super) fn add_item(&mut self, layout: &templates::Layout, item: &crate::model::Item) {
        for c in layout
            .columns
            .iter()
            .filter(|c| c.kind == ColumnKind::Amount)
        {
            if let Some(d) = values::amount_of(c, item) {
                *self.0.entry(c.field.clone()).or_default() += d;
            }
        }
    }

    pub(super) fn add(&mut self, other: &Sums) {
        for (field, d) in &other.0 {
            *self.0.entry(field.clone()).or_default() += *d;
        }
    }
}

/// The template's total rows, or none of them.
pub(super) struct Totals {
    pub(super) groups: bool,
    pub(super) sections: bool,
    /// Subtotals in the group's or section's own heading row, not a row after it.
    pub(super) in_heading: bool,
    pub(super) grand: bool,
    pub(super) grand_position: TotalPosition,
    pub(super) grand_label: String,
    pub(super) subtotal_label: String,
}

impl Totals {
    pub(super) fn new(layout: &templates::Layout) -> Totals {
        match &layout.totals {
            Some(t) => Totals {
                groups: t.groups,
                sections: t.sections,
                in_heading: t.subtotal_position == SubtotalPosition::Heading,
                grand: t.grand,
                grand_position: t.grand_position,
                grand_label: t.grand_label.clone(),
                subtotal_label: t.subtotal_label.clone(),
            },
            None => Totals {
                groups: false,
                sections: false,
                in_heading: false,
                grand: false,
                grand_position: TotalPosition::Bottom,
                grand_label: String::new(),
                subtotal_label: String::new(),
            },
        }
    }

    /// A total row's cells: the label across every column before the first amount
    /// column, then each column's sum (amount columns) or nothing.
    pub(super) fn cells(
        &self,
        layout: &templates::Layout,
        label: String,
        sums: &Sums,
        cell: impl Fn(String, usize, Align) -> Cell,
    ) -> Vec<Cell> {
        let first = layout
            .columns
            .iter()
            .position(|c| c.kind == ColumnKind::Amount)
            .unwrap_or(layout.columns.len());
        let mut cells = Vec::with_capacity(layout.columns.len());
        if first > 0 {
            cells.push(cell(label, first, Align::Center));
        }
        for c in &layout.columns[first..] {
            let text = match c.kind {
                ColumnKind::Amount => sums
                    .0
                    .get(&c.field)
                    .map(|d| values::amount(*d, c.digits()))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            cells.push(cell(text, 1, align(c.align)));
        }
        cells
    }
}

/// Makes heading `row` (a number cell, then the text across the rest, as `heading_row`
/// builds it) carry `sums`: the text ends before the first amount column, each column
/// from there shows its sum (bold, as the row) or nothing. `false`, `row` untouched,
/// where the text has no room before the first amount column.
pub(super) fn carry(row: &mut Row, layout: &templates::Layout, sums: &Sums) -> bool {
    let n = layout.columns.len();
    let Some(first) = layout
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Amount)
    else {
        return false;
    };
    // The text cell is the last; the cells before it cover `before` grid columns.
    let Some(text) = row.cells.last() else {
        return false;
    };
    let before: usize = row.cells[..row.cells.len() - 1]
        .iter()
        .map(|c| c.span)
        .sum();
    if before + text.span != n || first <= before {
        return false;
    }
    let style = text.style;
    if let Some(text) = row.cells.last_mut() {
        text.span = first - before;
    }
    for c in &layout.columns[first..] {
        let figure = match c.kind {
            ColumnKind::Amount => sums
                .0
                .get(&c.field)
                .map(|d| values::amount(*d, c.digits()))
                .unwrap_or_default(),
            _ => String::new(),
        };
        row.cells.push(Cell {
            text: figure,
            span: 1,
            style,
            align: if c.kind == ColumnKind::Amount {
                align(c.align)
            } else {
                Align::Left
            },
            valign: crate::document::VAlign::Center,
            vmerge: crate::document::VMerge::None,
            marks: Vec::new(),
            origin: None,
        });
    }
    true
}
