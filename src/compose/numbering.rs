//! Row numbers, computed from position as the seed numbers them.
//!
//! Contract: sections get Roman numerals (I, II …) by position in their appendix; groups
//! get Arabic numerals by position in their section; items in an explicit group get
//! "g.k", except the single row of a group that has a heading row, which stays unnumbered
//! (the seed's "Xây dựng đội ngũ cán bộ…"); items directly in a section get 1, 2 ….
//! An explicit `number` always wins. Pure functions, no I/O.

use crate::model::{Group, Item};

/// Upper-case Roman numeral of `n` (1 → "I"); "0" for 0, which no position produces.
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if n == 0 {
        return "0".to_owned();
    }
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Number shown for the section at 0-based `index`.
pub fn section_number(explicit: Option<&str>, index: usize) -> String {
    explicit.map_or_else(|| roman(index + 1), str::to_owned)
}

/// Number shown for the group at 0-based `index` in its section.
pub fn group_number(group: &Group, index: usize) -> String {
    group
        .number
        .clone()
        .unwrap_or_else(|| (index + 1).to_string())
}

/// Number shown for the item at 0-based `index` in `group`, whose number is `group_no`.
pub fn item_number(group: &Group, group_no: &str, item: &Item, index: usize) -> String {
    if let Some(n) = &item.number {
        return n.clone();
    }
    if group.implicit {
        (index + 1).to_string()
    } else if group.heading.is_some() && group.items.len() == 1 {
        String::new()
    } else {
        format!("{group_no}.{}", index + 1)
    }
}

/// How a reader names a row: "mục 4.2", or "dòng thuộc nhóm 2" for an unnumbered row.
pub fn row_label(number: &str, group_number: &str) -> String {
    if number.is_empty() {
        format!("dòng thuộc nhóm {group_number}")
    } else {
        format!("mục {number}")
    }
}

/// How a reader names a row or group of a section with a heading: with the section, as
/// its numbers start again in every section ("phần II, mục 3"); elsewhere as it is.
pub fn within_section(
    label: String,
    section: &crate::model::Section,
    section_number: &str,
) -> String {
    if section.heading.is_some() {
        format!("phần {section_number}, {label}")
    } else {
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn item(number: Option<&str>) -> Item {
        Item {
            id: None,
            number: number.map(str::to_owned),
            fields: BTreeMap::new(),
            origin: None,
            key_origins: BTreeMap::new(),
        }
    }

    fn group(heading: bool, items: usize, implicit: bool) -> Group {
        Group {
            id: None,
            number: None,
            heading: heading.then(|| "Nhóm".to_owned()),
            items: (0..items).map(|_| item(None)).collect(),
            implicit,
            origin: None,
            key_origins: BTreeMap::new(),
        }
    }

    #[test]
    fn roman_numerals() {
        let got: Vec<String> = [1, 2, 4, 9, 14, 40, 1999].map(roman).to_vec();
        assert_eq!(got, ["I", "II", "IV", "IX", "XIV", "XL", "MCMXCIX"]);
    }

    #[test]
    fn seed_numbering_rules() {
        // Group 1 of Phụ lục II: no heading, two rows → 1.1, 1.2.
        let g = group(false, 2, false);
        assert_eq!(item_number(&g, "1", &g.items[1], 1), "1.2");
        // Group 2: heading and a single row → unnumbered.
        let g = group(true, 1, false);
        assert_eq!(item_number(&g, "2", &g.items[0], 0), "");
        // Group 4: heading and two rows → 4.1, 4.2.
        let g = group(true, 2, false);
        assert_eq!(item_number(&g, "4", &g.items[0], 0), "4.1");
        // Rows straight in a section (Phụ lục I) → 1, 2 ….
        let g = group(false, 5, true);
        assert_eq!(item_number(&g, "1", &g.items[4], 4), "5");
        // Explicit numbers win.
        assert_eq!(item_number(&g, "1", &item(Some("5a")), 4), "5a");
        assert_eq!(section_number(None, 1), "II");
        assert_eq!(section_number(Some("IV"), 1), "IV");
    }
}
