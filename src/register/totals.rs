//! The appendix's subtotal and total rows, as register entries: the same rows, at the
//! same places and with the same exact sums as compose puts in the appendix, each saying
//! which rows it adds up ([`Entry::total_of`]) so the workbook can write it as a formula.
//!
//! Contract: [`add`] runs on a sheet whose rows are headings and body rows in document
//! order, each with its [`Entry::place`]; it inserts a "Cộng nhóm g" row after every group
//! with a heading (when the kind asks for group totals), a "Cộng phần s" row after every
//! section with a heading (section totals), and the grand total at the top or the bottom.
//! A subtotal adds up its body rows; a section total the subtotals of its groups that
//! have one and the body rows of those that do not; the grand total likewise.

use super::{Entry, Format, Sheet, Value};
use crate::document::RowKind;
use crate::model::Decimal;

/// Which total rows a kind has (its `totals:`), with their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// A subtotal after each group with a heading.
    pub groups: bool,
    /// A subtotal after each section with a heading.
    pub sections: bool,
    /// A grand total.
    pub grand: bool,
    /// The grand total right under the header, not after the last row.
    pub grand_top: bool,
    /// The grand total's text ("Tổng cộng").
    pub grand_label: String,
    /// A subtotal's text before "nhóm 4" / "phần II" ("Cộng").
    pub subtotal_label: String,
}

/// The group or section being walked: its place, its heading's number (`None` without a
/// heading) and the rows (or subtotals) it adds up so far.
struct Open {
    place: (usize, Option<usize>),
    number: Option<String>,
    members: Vec<usize>,
}

/// Inserts the total rows of `spec` into `sheet`; `amount` writes a sum as the appendix
/// does (digit grouping, the column's decimals).
pub fn add(sheet: &mut Sheet, spec: &Spec, amount: impl Fn(Decimal, u32) -> String) {
    let totals = Totals {
        sheet_columns: &sheet.columns,
        spec,
        amount: &amount,
    };
    let old = std::mem::take(&mut sheet.rows);
    let mut out: Vec<Entry> = Vec::with_capacity(old.len() + 8);
    let mut grand: Vec<usize> = Vec::new();
    let mut section: Option<Open> = None;
    let mut group: Option<Open> = None;
    for entry in old {
        let (s, g) = entry.place;
        let ends_group = group
            .as_ref()
            .is_some_and(|o| entry.kind == RowKind::Section || o.place != (s, g));
        if ends_group && let Some(o) = group.take() {
            totals.close_group(o, section.as_mut(), &mut out);
        }
        if section.as_ref().is_some_and(|o| o.place.0 != s)
            && let Some(o) = section.take()
        {
            totals.close_section(o, &mut grand, &mut out);
        }
        section.get_or_insert_with(|| Open {
            place: (s, None),
            number: (entry.kind == RowKind::Section).then(|| entry.number.clone()),
            members: Vec::new(),
        });
        if entry.kind != RowKind::Section {
            let group = group.get_or_insert_with(|| Open {
                place: (s, g),
                number: (entry.kind == RowKind::Group).then(|| entry.number.clone()),
                members: Vec::new(),
            });
            if entry.kind == RowKind::Item {
                group.members.push(out.len());
            }
        }
        out.push(entry);
    }
    if let Some(o) = group.take() {
        totals.close_group(o, section.as_mut(), &mut out);
    }
    if let Some(o) = section.take() {
        totals.close_section(o, &mut grand, &mut out);
    }
    if spec.grand {
        let row = totals.row(
            "tổng cộng".to_owned(),
            spec.grand_label.clone(),
            grand,
            &out,
        );
        if spec.grand_top {
            for e in &mut out {
                for i in &mut e.total_of {
                    *i += 1;
                }
            }
            let mut row = row;
            for i in &mut row.total_of {
                *i += 1;
            }
            out.insert(0, row);
        } else {
            out.push(row);
        }
    }
    sheet.rows = out;
}

struct Totals<'a, F> {
    sheet_columns: &'a [super::Column],
    spec: &'a Spec,
    amount: &'a F,
}

impl<F: Fn(Decimal, u32) -> String> Totals<'_, F> {
    /// Ends a group: its subtotal when it has a heading and the kind asks for one (the
    /// section then adds the subtotal), else its rows go to the section as they are.
    fn close_group(&self, group: Open, section: Option<&mut Open>, out: &mut Vec<Entry>) {
        let members = match (&group.number, self.spec.groups) {
            (Some(gno), true) => {
                let section_number = section.as_ref().and_then(|s| s.number.clone());
                let name = match &section_number {
                    Some(sno) => format!("phần {sno}, cộng nhóm {gno}"),
                    None => format!("cộng nhóm {gno}"),
                };
                let text = format!("{} nhóm {gno}", self.spec.subtotal_label);
                let row = self.row(name, text, group.members, out);
                out.push(row);
                vec![out.len() - 1]
            }
            _ => group.members,
        };
        if let Some(section) = section {
            section.members.extend(members);
        }
    }

    /// Ends a section: its subtotal when it has a heading and the kind asks for one.
    fn close_section(&self, section: Open, grand: &mut Vec<usize>, out: &mut Vec<Entry>) {
        match (&section.number, self.spec.sections) {
            (Some(sno), true) => {
                let name = format!("cộng phần {sno}");
                let text = format!("{} phần {sno}", self.spec.subtotal_label);
                let row = self.row(name, text, section.members, out);
                out.push(row);
                grand.push(out.len() - 1);
            }
            _ => grand.extend(section.members),
        }
    }

    /// A total row named `name` showing `text`, adding up the rows `members` of `rows`.
    fn row(&self, name: String, text: String, members: Vec<usize>, rows: &[Entry]) -> Entry {
        let columns = self.sheet_columns;
        let first_amount = columns
            .iter()
            .position(|c| matches!(c.format, Format::Amount { .. }))
            .unwrap_or(columns.len());
        // The label stands where the appendix's label cell ends: the last text column
        // before the first amount column.
        let label_col = (0..first_amount)
            .rev()
            .find(|&i| columns[i].role != super::ColumnRole::Number)
            .unwrap_or(0);
        let mut cells = vec![String::new(); columns.len()];
        let mut values = vec![None; columns.len()];
        for (i, column) in columns.iter().enumerate() {
            let Format::Amount { decimals } = column.format else {
                continue;
            };
            let mut sum: Option<Decimal> = None;
            for &m in &members {
                if let Some(Some(Value::Number(d))) = rows.get(m).and_then(|r| r.values.get(i)) {
                    *sum.get_or_insert_default() += *d;
                }
            }
            if let Some(sum) = sum {
                cells[i] = (self.amount)(sum, decimals);
                values[i] = Some(Value::Number(sum));
            }
        }
        if let Some(c) = cells.get_mut(label_col) {
            *c = text;
        }
        Entry {
            kind: RowKind::Total,
            number: String::new(),
            name,
            key: String::new(),
            cells,
            values,
            place: (0, None),
            total_of: members,
            lead: Vec::new(),
            support: Vec::new(),
        }
    }
}
