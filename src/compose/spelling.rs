//! How agency names are compared: the spelling key two spellings of one agency share
//! ([`fold`]) and Vietnamese text as plain letters ([`unaccented`]).
//!
//! Contract: pure functions of text, a leaf (no other file of the crate is used), so
//! `check`'s lints, the agency register and the register of standard names all fold
//! alike without depending on each other.

use unicode_normalization::UnicodeNormalization;

/// A spelling key: case, spacing and punctuation spacing folded, a trailing
/// "phường", "xã", "thị trấn" or "đặc khu" dropped ("Phòng Văn hóa - Xã hội phường" is the same office).
/// Two spellings with one key name one agency, for `check`'s warnings and for
/// `phuluc agencies`, the per-agency extracts and the tracking workbook alike.
pub fn fold(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-' || c == '–')
        .filter(|w| !w.is_empty())
        .collect();
    let mut words = words;
    // The level of government after the name: "phường", "xã", "thị trấn", "đặc khu" (the
    // island units of 2025) — the two-word ones as a pair, so "Đô thị" keeps its "thị".
    loop {
        match words.as_slice() {
            [.., "thị", "trấn"] => words.truncate(words.len() - 2),
            [rest @ .., "đặc", "khu"] if !rest.is_empty() => words.truncate(words.len() - 2),
            [rest @ .., "phường" | "xã"] if !rest.is_empty() => {
                words.pop();
            }
            _ => break,
        }
    }
    words.join(" ")
}

/// `s` lower case with its diacritics dropped and "đ" as "d" ("Đô thị" → "do thi"):
/// Vietnamese text as plain letters, for comparing spellings loosely and for ASCII names.
pub fn unaccented(s: &str) -> impl Iterator<Item = char> + '_ {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
}
