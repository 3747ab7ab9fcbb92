//! Which template a table is: the one whose column headers are the leaves of the
//! table's last header row (one to three rows), compared loosely.
//!
//! Contract: a table matches a template when its last header row has one cell of its
//! own per template column, each reading like that column's header once case, spacing
//! and accents are set aside ([`loose`]); the first template that matches wins.

use super::super::raw::Table;
use super::super::rows::cell_at;
use super::super::values::loose;
use crate::compose::templates::{Layout, Templates};
use crate::model::fields::FieldsLookup;

/// The matching template and the number of header rows.
pub(super) fn match_template<'t>(
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
