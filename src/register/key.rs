//! Row keys: how a row of a filled-in workbook finds its row in the plan again, after the
//! plan was renumbered, reordered or had rows inserted above it.
//!
//! Contract: a row's key is its `id:` when the plan gives one; otherwise
//! [`content_key`] — the template's name, what kind of row it is and its main text,
//! normalised (NFC, lower case, whitespace collapsed, trailing punctuation dropped),
//! hashed with 64-bit FNV-1a and written as the template's name and 12 hex digits:
//! `nhiem-vu:3f9a2c1b7d00`. Its number, its place, its section or group, its agencies
//! and its other columns do not enter it, so renumbering, moving, inserting or deleting
//! other rows and reassigning agencies keep every key; rewording the main text changes
//! it (the report then pairs the row by similarity and says so). FNV-1a is written here,
//! not taken from `std`, so a key never changes with the Rust version. Two rows with the
//! same key (identical text) are told apart by [`dedupe`]: the second in document order
//! gets `…:2`, the third `…:3`.

use std::collections::{BTreeMap, BTreeSet};

use unicode_normalization::UnicodeNormalization;

use super::Sheet;

/// The text a key is made of: NFC, lower case, whitespace collapsed, trailing
/// punctuation (`.`, `;`, `,`, `:`) and spaces dropped.
pub fn normalise(text: &str) -> String {
    let lower: String = text.nfc().flat_map(char::to_lowercase).collect();
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(|c: char| matches!(c, '.' | ';' | ',' | ':') || c.is_whitespace())
        .to_owned()
}

/// 64-bit FNV-1a of `bytes`.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The key of a row of template `template` without an `id:`: `kind` tells body rows
/// ("muc"), group headings ("nhom") and section headings ("phan") apart, `text` is the
/// row's main text.
pub fn content_key(template: &str, kind: &str, text: &str) -> String {
    let material = format!("{template}\u{1f}{kind}\u{1f}{}", normalise(text));
    let hash = fnv1a(material.as_bytes());
    format!("{template}:{:012x}", hash >> 16)
}

/// Makes every non-empty key of `sheets` unique: the first row with a key keeps it, the
/// next ones get ":2", ":3" … in document order (skipping any key another row has).
pub fn dedupe(sheets: &mut [Sheet]) {
    let taken: BTreeSet<String> = sheets
        .iter()
        .flat_map(|s| s.rows.iter().map(|r| r.key.clone()))
        .filter(|k| !k.is_empty())
        .collect();
    let mut given = BTreeSet::new();
    // The next suffix to try per key, so many identical rows cost no more than a few.
    let mut next: BTreeMap<String, usize> = BTreeMap::new();
    for row in sheets.iter_mut().flat_map(|s| s.rows.iter_mut()) {
        if row.key.is_empty() || given.insert(row.key.clone()) {
            continue;
        }
        let n = next.entry(row.key.clone()).or_insert(2);
        loop {
            let candidate = format!("{}:{n}", row.key);
            *n += 1;
            if !taken.contains(&candidate) && given.insert(candidate.clone()) {
                row.key = candidate;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_spacing_and_a_final_full_stop() {
        let a = content_key("nhiem-vu", "muc", "Rà soát thủ tục hành chính.");
        let b = content_key("nhiem-vu", "muc", "  rà soát   thủ tục\nhành chính ");
        assert_eq!(a, b);
        assert!(a.starts_with("nhiem-vu:") && a.len() == "nhiem-vu:".len() + 12);
        assert_ne!(
            a,
            content_key("muc-tieu", "muc", "Rà soát thủ tục hành chính.")
        );
        assert_ne!(
            a,
            content_key("nhiem-vu", "nhom", "Rà soát thủ tục hành chính.")
        );
        assert_ne!(
            a,
            content_key("nhiem-vu", "muc", "Rà soát thủ tục hành chính mới.")
        );
    }

    #[test]
    fn the_hash_never_changes() {
        // Workbooks filled last year carry these keys: the function must not drift.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            content_key("nhiem-vu", "muc", "Số hóa hồ sơ"),
            content_key("nhiem-vu", "muc", "SỐ HÓA HỒ SƠ.")
        );
    }
}
