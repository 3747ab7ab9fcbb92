//! How typed values read in a cell: amounts with Vietnamese digit grouping, dates as
//! dd/mm/yyyy, percentages — and the exact sums behind computed columns and total rows.
//!
//! Contract: one function per kind of value, used by every place that shows a value
//! (compose for the writers, diff and textconv for reviewers), so a figure reads the same
//! everywhere. Amounts are [`Decimal`]s from the file's own digits and are added exactly:
//! 0.1 + 0.2 is 0,3, never 0,30000000000000004. Rounding to the column's digits happens
//! only when a value is written, half away from zero (as people round money).

use rust_decimal::RoundingStrategy;

use super::templates::{Column, ColumnAlign, ColumnKind};
use crate::document::Align;
use crate::model::{Date, Decimal, Field, Item};

/// `d` rounded to `digits` after the comma, written with "." between thousands and ","
/// before the decimals: 1250000 → "1.250.000", 12.5 (1 digit) → "12,5", -0.5 → "-0,5".
pub fn amount(d: Decimal, digits: u32) -> String {
    let rounded = d.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero);
    // `rescale` pads to exactly `digits` decimals ("12,50" for 2 digits).
    let mut fixed = rounded;
    fixed.rescale(digits);
    let text = fixed.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 2);
    if fixed.is_sign_negative() && !fixed.is_zero() {
        out.push('-');
    }
    let digits_int = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (digits_int - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if let Some(f) = frac.filter(|f| !f.is_empty()) {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// A percentage: `amount` followed by "%" (12.5 → "12,5%").
pub fn percent(d: Decimal, digits: u32) -> String {
    format!("{}%", amount(d, digits))
}

/// A date as dd/mm/yyyy (30/06/2026).
pub fn date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day, d.month, d.year)
}

/// The text a field shows in `column`: agencies joined with ", ", figures formatted.
pub fn field_text(column: &Column, field: Option<&Field>) -> String {
    match field {
        None => String::new(),
        Some(Field::Text(t)) => t.clone(),
        Some(Field::List(l)) => l.join(", "),
        Some(Field::Amount(d)) => amount(*d, column.digits()),
        Some(Field::Percent(d)) => percent(*d, column.digits()),
        Some(Field::Date(d)) => date(*d),
    }
}

/// The value of amount column `column` in `item`: for a `sum_of` column, the exact sum
/// of its parts (`None` when none of them is given), else the typed amount.
pub fn amount_of(column: &Column, item: &Item) -> Option<Decimal> {
    if column.sum_of.is_empty() {
        return match item.fields.get(&column.field) {
            Some(Field::Amount(d)) => Some(*d),
            _ => None,
        };
    }
    let parts: Vec<Decimal> = column
        .sum_of
        .iter()
        .filter_map(|f| match item.fields.get(f) {
            Some(Field::Amount(d)) => Some(*d),
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.iter().copied().sum())
}

/// Whether `column` is a computed one: its cells are sums, not typed.
pub fn is_computed(column: &Column) -> bool {
    column.kind == ColumnKind::Amount && !column.sum_of.is_empty()
}

/// A column's alignment as the document's.
pub(crate) fn align(a: ColumnAlign) -> Align {
    match a {
        ColumnAlign::Left => Align::Left,
        ColumnAlign::Center => Align::Center,
        ColumnAlign::Right => Align::Right,
        ColumnAlign::Justify => Align::Justify,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn vietnamese_grouping_and_decimal_comma() {
        assert_eq!(amount(d("1250000"), 0), "1.250.000");
        assert_eq!(amount(d("12.5"), 1), "12,5");
        assert_eq!(amount(d("12.5"), 2), "12,50");
        assert_eq!(amount(d("12.5"), 0), "13", "half away from zero");
        assert_eq!(amount(d("-12.5"), 0), "-13");
        assert_eq!(amount(d("-0.0001"), 2), "0,00", "no minus on a zero");
        assert_eq!(amount(d("999"), 0), "999");
        assert_eq!(amount(d("1000"), 0), "1.000");
        assert_eq!(amount(d("123456789.125"), 3), "123.456.789,125");
        assert_eq!(amount(d("0"), 1), "0,0");
        assert_eq!(percent(d("12.5"), 1), "12,5%");
        assert_eq!(
            date(Date {
                year: 2026,
                month: 6,
                day: 3
            }),
            "03/06/2026"
        );
    }

    #[test]
    fn sums_are_exact() {
        let sum: Decimal = [d("0.1"), d("0.2")].into_iter().sum();
        assert_eq!(amount(sum, 1), "0,3");
        assert_eq!(sum, d("0.3"));
        // Ten thousand tenths add up to exactly a thousand.
        let many: Decimal = std::iter::repeat_n(d("0.1"), 10_000).sum();
        assert_eq!(many, d("1000"));
    }
}
