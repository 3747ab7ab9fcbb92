//! What a body row of an appendix's table is: the column-number row, a total row, a
//! section or group heading row (merged or typed bold), or an item row.
//!
//! Contract: pure functions of a row's cells on the grid; every row is some kind. A floor
//! below [`super::recognise`], which reads rows by their kind, and [`super::template`],
//! which makes a kind from the rows of a table no template matches.

use super::raw::Cell;
use super::values::{is_roman, parse_amount, row_number};
use crate::model::Decimal;

/// The text at grid column `col` of a row's cells, if a cell starts there.
pub(in crate::import) fn cell_at(cells: &[Cell], col: usize) -> Option<&Cell> {
    cells.iter().find(|c| c.col <= col && col < c.col + c.span)
}

/// The row kind of a body row.
pub(in crate::import) enum RowKind {
    ColumnNumbers,
    Total { grand: bool },
    Section(String, String),
    Group(String, String),
    Item,
}

pub(in crate::import) fn classify(cells: &[Cell], columns: usize) -> RowKind {
    let texts: Vec<String> = cells.iter().map(|c| c.text().trim().to_owned()).collect();
    let non_empty: Vec<&String> = texts.iter().filter(|t| !t.is_empty()).collect();
    let numbering = |t: &str| t.starts_with('(') && t.contains(')');
    // The column-number row numbers the first column too: an unnumbered row whose text
    // happens to be in parentheses ("(thường xuyên)") is a row.
    if texts.first().is_some_and(|t| numbering(t)) && non_empty.iter().all(|t| numbering(t)) {
        return RowKind::ColumnNumbers;
    }
    let first = texts.first().map(String::as_str).unwrap_or("");
    let lower = first.to_lowercase();
    if lower.starts_with("tổng cộng") || lower == "cộng" || lower.starts_with("cộng ") {
        return RowKind::Total {
            grand: lower.starts_with("tổng"),
        };
    }
    // A heading row: a number, then one cell spanning the rest of the table.
    if let [n, h] = cells
        && n.span == 1
        && h.col + h.span == columns
        && h.span > 1
    {
        let number = row_number(&n.text());
        let text = h.text().trim().to_owned();
        if let Some(kind) = heading_kind(number, text) {
            return kind;
        }
    }
    // A heading typed in one cell merged across the whole table: "I. NHIỆM VỤ CHUNG",
    // "2. Nhóm …", or a heading without number (a section).
    if let [only] = cells
        && columns > 1
        && only.col == 0
        && only.span == columns
    {
        let text = only.text().trim().to_owned();
        let (number, heading) = leading_number(&text);
        if number.is_empty() {
            return RowKind::Section(String::new(), text);
        }
        if let Some(kind) = heading_kind(number.to_owned(), heading.to_owned()) {
            return kind;
        }
    }
    // A heading row typed without merging: a number and a bold heading, every other
    // cell empty (an item row always has more to say, and is not bold).
    if let [n, h, rest @ ..] = cells
        && n.span == 1
        && !texts[1].is_empty()
        && h.paragraphs
            .iter()
            .filter(|p| !p.text.trim().is_empty())
            .all(|p| p.bold)
        && rest.iter().all(|c| c.text().trim().is_empty())
        && !rest.is_empty()
    {
        let number = row_number(&n.text());
        if let Some(kind) = heading_kind(number, texts[1].clone()) {
            return kind;
        }
    }
    RowKind::Item
}

/// A section or group heading row carrying its subtotals, as budgets are commonly typed
/// (“I | Tuyên truyền, phổ biến Nghị quyết | 118 | 57,5 | 60,5 | 0 |”): its kind and
/// the figures (grid column, value) in the amount columns `amounts`; `None` for any
/// other row. The rule: the first cell is a section or group number (I, II; 1, 2; A, B
/// — never “1.1”), the row is bold or its text cell merged, the text cell is filled and
/// ends before the first amount column, the amount cells hold numbers (at least one)
/// and every other cell is empty. An item row is not bold: that tells the two apart.
pub(in crate::import) fn heading_with_sums(
    cells: &[Cell],
    amounts: &[usize],
) -> Option<(RowKind, Vec<(usize, Decimal)>)> {
    let [n, h, rest @ ..] = cells else {
        return None;
    };
    let number = row_number(&n.text());
    let heading_number = is_roman(&number)
        || (number.len() <= 3 && number.chars().all(|c| c.is_ascii_digit()))
        || (number.len() == 1 && number.chars().all(|c| c.is_ascii_uppercase()));
    let text = h.text().trim().to_owned();
    let bold = |c: &Cell| {
        let filled: Vec<_> = c
            .paragraphs
            .iter()
            .filter(|p| !p.text.trim().is_empty())
            .collect();
        !filled.is_empty() && filled.iter().all(|p| p.bold)
    };
    let first_amount = amounts.iter().min()?;
    if n.col != 0
        || n.span != 1
        || !heading_number
        || text.is_empty()
        || h.col + h.span > *first_amount
        || !(bold(n) || bold(h) || h.span > 1)
    {
        return None;
    }
    let mut figures = Vec::new();
    for c in rest {
        let t = c.text();
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        match parse_amount(t) {
            Some(d) if c.span == 1 && amounts.contains(&c.col) => figures.push((c.col, d)),
            _ => return None,
        }
    }
    if figures.is_empty() {
        return None;
    }
    heading_kind(number, text).map(|kind| (kind, figures))
}

/// A heading row's kind from its number: a Roman number makes a section; a short
/// number ("3", "3.", "a)") or none a group; longer text in the number cell is not a
/// heading row's number.
fn heading_kind(number: String, text: String) -> Option<RowKind> {
    if is_roman(&number) {
        return Some(RowKind::Section(number, text));
    }
    let numberish = number.chars().count() <= 8
        && number
            .chars()
            .all(|c| c.is_alphanumeric() || ".)".contains(c));
    numberish.then_some(RowKind::Group(number, text))
}

/// A number typed at the start of a heading ("I. NHIỆM VỤ", "2) Nhóm", "II - …"), and
/// the heading after it; `("", text)` when it does not start with one. The number is a
/// Roman (of I, V, X: no appendix has fifty sections) or Arabic one followed by ".",
/// ")" or " - ", so a heading whose first word only looks Roman ("DI DỜI", "CD.") keeps
/// it.
fn leading_number(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || "IVX".contains(c)))
        .unwrap_or(text.len());
    let (number, rest) = text.split_at(end);
    let roman = !number.is_empty() && number.chars().all(|c| "IVX".contains(c));
    let arabic = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
    if !(roman || arabic) {
        return ("", text);
    }
    for mark in [".", ")", " - ", " – "] {
        if let Some(heading) = rest.strip_prefix(mark) {
            let heading = heading.trim_start_matches(['.', ' ', '-', '–']).trim();
            if !heading.is_empty() {
                return (number, heading);
            }
        }
    }
    ("", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_typed_at_the_start_of_a_merged_heading() {
        assert_eq!(leading_number("I. NHIỆM VỤ CHUNG"), ("I", "NHIỆM VỤ CHUNG"));
        assert_eq!(leading_number("II - Giải pháp"), ("II", "Giải pháp"));
        assert_eq!(leading_number("3) Nhóm ba"), ("3", "Nhóm ba"));
        assert_eq!(leading_number("MỤC TIÊU"), ("", "MỤC TIÊU"));
        assert_eq!(leading_number("DI DỜI"), ("", "DI DỜI"));
        assert_eq!(leading_number("CD. x"), ("", "CD. x"));
        assert_eq!(leading_number("2026 là năm"), ("", "2026 là năm"));
        assert_eq!(leading_number("I."), ("", "I."));
    }
}
