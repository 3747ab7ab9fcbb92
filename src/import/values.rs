//! What a cell's text means, apart from where it stands: amounts and dates as clerks
//! type them, header text compared loosely, row numbers, and agency names cut at commas
//! only where the file itself vouches for every piece.
//!
//! Contract: pure functions of text, no I/O, never a panic; `None` where the text does
//! not say what is asked.

use std::collections::HashMap;

use crate::compose::agencies::unaccented;
use crate::model::{Date, Decimal};

/// Header text compared loosely: lower case, no diacritics (so "hoà" and "hòa", NFC and
/// NFD, match), no spacing.
pub fn loose(s: &str) -> String {
    unaccented(s)
        .filter(|c| c.is_alphanumeric() || "()+=%".contains(*c))
        .collect()
}

pub fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 8 && s.chars().all(|c| "IVXLCDM".contains(c))
}

/// A row number as typed, without a trailing dot ("1." → "1").
pub fn row_number(s: &str) -> String {
    s.trim().trim_end_matches('.').trim().to_owned()
}

/// An amount as clerks type it: "." between thousands, "," before decimals
/// ("1.250.000", "12,5", "4.197,8"); a lone "." followed by one or two digits is taken
/// as a decimal point too ("12.5"), which no Vietnamese grouping produces.
pub fn parse_amount(s: &str) -> Option<Decimal> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_end_matches('%');
    if t.is_empty() {
        return None;
    }
    let normal = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else {
        match t.rsplit_once('.') {
            Some((_, tail))
                if !tail.is_empty() && tail.len() < 3 && t.matches('.').count() == 1 =>
            {
                t.to_owned()
            }
            _ => t.replace('.', ""),
        }
    };
    let ok = normal
        .trim_start_matches('-')
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.');
    if !ok {
        return None;
    }
    normal.parse::<Decimal>().ok()
}

/// A date typed dd/mm/yyyy (or with "-" or ".").
pub fn parse_date(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s.trim().split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let date = Date {
        day: d.trim().parse().ok()?,
        month: m.trim().parse().ok()?,
        year: y.trim().parse().ok()?,
    };
    let days = match date.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if date.year.is_multiple_of(4)
            && (!date.year.is_multiple_of(100) || date.year.is_multiple_of(400)) =>
        {
            29
        }
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&date.day).then_some(date)
}

/// The one way to cut `text` at ", " into names all seen elsewhere in the file (`known`
/// counts every sighting, `text`'s own included; at least two pieces), or `None` when
/// there is none or more than one.
pub fn split_known(text: &str, known: &HashMap<String, usize>) -> Option<Vec<String>> {
    let pieces = segment(text, |name| {
        // The cell itself is one sighting of its text: a name must be seen elsewhere.
        known
            .get(name)
            .copied()
            .unwrap_or(0)
            .saturating_sub(usize::from(name == text))
            > 0
    })?;
    (pieces.len() > 1).then_some(pieces)
}

pub use crate::compose::standard_names::segment;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_clerks_type_them() {
        let d = |s: &str| parse_amount(s).map(|d| d.to_string());
        assert_eq!(d("1.250.000").as_deref(), Some("1250000"));
        assert_eq!(d("12,5").as_deref(), Some("12.5"));
        assert_eq!(d("4.197,8").as_deref(), Some("4197.8"));
        assert_eq!(d("12.5").as_deref(), Some("12.5"));
        assert_eq!(d("1.250").as_deref(), Some("1250"));
        assert_eq!(d("-0,5").as_deref(), Some("-0.5"));
        assert_eq!(d("abc"), None);
        assert_eq!(d(""), None);
    }

    #[test]
    fn headers_compare_loosely() {
        assert_eq!(loose("Lộ trình  thực hiện"), loose("lộ trình thực hiện"));
        assert_eq!(loose("Văn hoá"), loose("Văn hóa"));
        assert_ne!(loose("Mục tiêu"), loose("Nhiệm vụ"));
    }

    #[test]
    fn agency_cells_split_only_into_known_names() {
        let known: HashMap<String, usize> = [
            "Phòng Văn hóa - Xã hội",
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            "Công an phường",
        ]
        .iter()
        .map(|s| ((*s).to_owned(), 1))
        .chain([
            ("Phòng Tư pháp".to_owned(), 1),
            ("Công an phường, Phòng Tư pháp".to_owned(), 1),
        ])
        .collect();
        assert_eq!(
            split_known(
                "Phòng Văn hóa - Xã hội, Phòng Kinh tế, Hạ tầng và Đô thị, Công an phường",
                &known
            ),
            Some(vec![
                "Phòng Văn hóa - Xã hội".to_owned(),
                "Phòng Kinh tế, Hạ tầng và Đô thị".to_owned(),
                "Công an phường".to_owned()
            ])
        );
        assert_eq!(
            split_known("Phòng Kinh tế, Hạ tầng và Đô thị", &known),
            None
        );
        assert_eq!(split_known("Công an phường, Phòng Lạ", &known), None);
        // Its own sighting does not make a cell's text a name seen elsewhere.
        assert_eq!(
            split_known("Công an phường, Phòng Tư pháp", &known).map(|v| v.len()),
            Some(2)
        );
        let mut twice = known.clone();
        twice.insert("Công an phường, Phòng Tư pháp".to_owned(), 2);
        assert_eq!(split_known("Công an phường, Phòng Tư pháp", &twice), None);
    }

    #[test]
    fn a_vocabulary_cuts_a_cell_into_its_names_or_keeps_one_name_whole() {
        let names = [
            "Phòng Kinh tế, Hạ tầng và Đô thị",
            "Công an phường",
            "Phòng Tư pháp",
        ];
        let is_name = |n: &str| names.contains(&n);
        assert_eq!(
            segment("Công an phường, Phòng Kinh tế, Hạ tầng và Đô thị", is_name),
            Some(vec![
                "Công an phường".to_owned(),
                "Phòng Kinh tế, Hạ tầng và Đô thị".to_owned()
            ])
        );
        assert_eq!(
            segment("Phòng Kinh tế, Hạ tầng và Đô thị", is_name),
            Some(vec!["Phòng Kinh tế, Hạ tầng và Đô thị".to_owned()])
        );
        assert_eq!(segment("Công an phường, Phòng Lạ", is_name), None);
        // Two ways (the whole, or its two names): ambiguous.
        let both = [
            "Công an phường, Phòng Tư pháp",
            "Công an phường",
            "Phòng Tư pháp",
        ];
        assert_eq!(
            segment("Công an phường, Phòng Tư pháp", |n: &str| both
                .contains(&n)),
            None
        );
    }
}
