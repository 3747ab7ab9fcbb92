//! Figures in the workbook: amounts, percentages and dates written as numbers and dates
//! (not as the appendix's text), with number formats that show them as the appendix
//! does, and the appendix's computed cells as formulas with their values cached.
//!
//! Contract: an amount of `d` decimals gets `#,##0` (d = 0) or `#,##0.0…` — under a
//! Vietnamese locale Excel and LibreOffice show 1.250.000 and 12,5, as the appendix; a
//! percentage 12.5 is the number 0.125 formatted `0.0%`; a date is a date formatted
//! `dd/mm/yyyy`. A total row is `=SUM(…)` of the rows it adds up (runs of neighbouring
//! rows as one range), a computed column `=SUM(…)` of its parts in the row; each formula
//! caches the exact value phuluc computed, so a reader that does not recalculate shows
//! the same figure. A formula Excel could not hold (over 255 arguments or 8 192
//! characters, only in plans of thousands of groups) is written as its value instead.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Formula, Worksheet, XlsxError};

use super::cells::column_letters;
use crate::document::RowKind;
use crate::model::Decimal;
use crate::register::{Entry, Format, Sheet, Value};

/// The longest formula Excel accepts, in characters.
const MAX_FORMULA_CHARS: usize = 8_192;
/// The most arguments one Excel function takes.
const MAX_ARGUMENTS: usize = 255;

/// The number format of a figure column: `#,##0.0` for one decimal, `0.0%`, `dd/mm/yyyy`;
/// `None` for text.
pub fn number_format(format: Format) -> Option<String> {
    let decimals = |d: u32| {
        if d == 0 {
            String::new()
        } else {
            format!(".{}", "0".repeat(d as usize))
        }
    };
    match format {
        Format::Text => None,
        Format::Amount { decimals: d } => Some(format!("#,##0{}", decimals(d))),
        Format::Percent { decimals: d } => Some(format!("0{}%", decimals(d))),
        Format::Date => Some("dd/mm/yyyy".to_owned()),
    }
}

/// `d` as Excel stores it.
fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// `d` as a cached formula result: the exact decimal, without trailing zeros.
fn cached(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Writes cell (`row`, `col`) of `entry` when it is a figure, and says whether it did
/// (a text cell is left to the caller). `sheet` gives the rows a total adds up; entry `i`
/// of the sheet stands on worksheet row `i + 1` (0-based, under the header row).
pub fn write(
    worksheet: &mut Worksheet,
    row: u32,
    col: u16,
    sheet: &Sheet,
    entry: &Entry,
    format: &CellFormat,
) -> Result<bool, XlsxError> {
    let column = &sheet.columns[usize::from(col)];
    let Some(num_format) = number_format(column.format) else {
        return Ok(false);
    };
    let Some(Some(value)) = entry.values.get(usize::from(col)) else {
        return Ok(false);
    };
    let format = format.clone().set_num_format(num_format);
    match (*value, column.format) {
        (Value::Date(d), _) => {
            let date = ExcelDateTime::from_ymd(d.year, d.month, d.day)?;
            worksheet.write_datetime_with_format(row, col, &date, &format)?;
        }
        (Value::Number(d), Format::Percent { .. }) => {
            worksheet.write_number_with_format(
                row,
                col,
                number(d / Decimal::ONE_HUNDRED),
                &format,
            )?;
        }
        (Value::Number(d), _) => {
            let formula = if entry.kind == RowKind::Total {
                total_formula(sheet, entry, col)
            } else if !column.sum_of.is_empty() && entry.kind == RowKind::Item {
                let parts: Vec<String> = column
                    .sum_of
                    .iter()
                    .map(|&c| format!("{}{}", column_letters(c as u16), row + 1))
                    .collect();
                Some(format!("=SUM({})", parts.join(",")))
            } else {
                None
            };
            match formula {
                Some(f) => {
                    worksheet.write_formula_with_format(
                        row,
                        col,
                        Formula::new(f).set_result(cached(d)),
                        &format,
                    )?;
                }
                None => {
                    worksheet.write_number_with_format(row, col, number(d), &format)?;
                }
            }
        }
    }
    Ok(true)
}

/// `=SUM(D3:D7,D9)` over the rows `entry` adds up in column `col`: neighbouring rows, and
/// rows with only headings between them (their figure cells are empty), make one range.
/// `None` when Excel could not hold the formula.
fn total_formula(sheet: &Sheet, entry: &Entry, col: u16) -> Option<String> {
    let mut members = entry.total_of.clone();
    members.sort_unstable();
    members.dedup();
    let heading = |i: usize| {
        sheet
            .rows
            .get(i)
            .is_some_and(|r| matches!(r.kind, RowKind::Section | RowKind::Group))
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for m in members {
        match runs.last_mut() {
            Some((_, end)) if (*end + 1..m).all(heading) => *end = m,
            _ => runs.push((m, m)),
        }
    }
    if runs.is_empty() || runs.len() > MAX_ARGUMENTS {
        return None;
    }
    let letters = column_letters(col);
    // Entry i is on worksheet row i + 1, A1 row i + 2.
    let args: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                format!("{letters}{}", a + 2)
            } else {
                format!("{letters}{}:{letters}{}", a + 2, b + 2)
            }
        })
        .collect();
    let formula = format!("=SUM({})", args.join(","));
    (formula.len() <= MAX_FORMULA_CHARS).then_some(formula)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_show_figures_as_the_appendix() {
        assert_eq!(
            number_format(Format::Amount { decimals: 0 }).as_deref(),
            Some("#,##0")
        );
        assert_eq!(
            number_format(Format::Amount { decimals: 1 }).as_deref(),
            Some("#,##0.0")
        );
        assert_eq!(
            number_format(Format::Percent { decimals: 2 }).as_deref(),
            Some("0.00%")
        );
        assert_eq!(number_format(Format::Date).as_deref(), Some("dd/mm/yyyy"));
        assert_eq!(number_format(Format::Text), None);
        assert_eq!(cached(Decimal::new(3125, 1)), "312.5");
        assert_eq!(cached(Decimal::new(3000, 1)), "300");
    }
}
