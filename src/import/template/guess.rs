//! What a column of an unknown table holds, guessed from its header and cells, and the
//! ASCII names of a new kind and its fields.
//!
//! Contract: pure functions of text, never a panic; every guess says why, in Vietnamese,
//! for the comment beside it in `layout.yaml`.

use crate::compose::agencies::unaccented;
use crate::compose::templates::ColumnKind;
use crate::import::values::{is_roman, loose, parse_amount, parse_date, row_number};

/// A column kind guessed from its header and cells, and why (Vietnamese, for the
/// comment in `layout.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The kind.
    pub kind: ColumnKind,
    /// Digits after the decimal comma, for amounts and percentages (the most typed).
    pub decimals: Option<u8>,
    /// The fewest digits typed after the decimal comma in the column: below
    /// `decimals`, some cells will print with more digits than the Word file shows
    /// ("1.200" → "1.200,00").
    pub fewest_decimals: u8,
    /// Why, in a few words.
    pub why: &'static str,
}

/// A row number as a first column holds it: "1", "1.2", "II", "a)".
fn numberish(text: &str) -> bool {
    let n = row_number(text);
    let core = n.trim_end_matches([')', '.']);
    (1..=8).contains(&n.chars().count())
        && n.chars().all(|c| c.is_alphanumeric() || ".)".contains(c))
        && (core.chars().any(|c| c.is_ascii_digit()) || is_roman(core) || core.chars().count() == 1)
}

/// Whether a header names a year ("Năm hoàn thành", "Thời gian (năm)") rather than a
/// figure for one ("Kinh phí năm 2026" holds money: it names the year itself).
fn names_a_year(header: &str) -> bool {
    let lower = header.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.contains(&"năm") && !words.iter().any(|w| is_year(w))
}

/// A year as typed: four digits from 1900 to 2100, no thousands dot ("2.026" is money).
fn is_year(text: &str) -> bool {
    text.len() == 4
        && text.bytes().all(|b| b.is_ascii_digit())
        && text
            .parse::<u16>()
            .is_ok_and(|y| (1900..=2100).contains(&y))
}

/// Guesses what a column holds from its header and its body cells (each cell as its
/// paragraphs' texts). In order: a first column of short row numbers (or headed "TT",
/// "Stt") → number; every filled cell a dd/mm/yyyy date → date; every filled cell a year
/// (1900–2100, four digits) under a header naming a year ("Năm hoàn thành") → text,
/// never summed; every filled cell an
/// amount → amount (percent where each ends in "%"), with the most decimals typed; a
/// header naming agencies ("cơ quan", "đơn vị") or a cell with one name per paragraph
/// → list; else text.
pub fn guess_kind(first: bool, header: &str, cells: &[Vec<String>]) -> Guess {
    let filled: Vec<String> = cells
        .iter()
        .map(|ps| {
            let parts: Vec<&str> = ps
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect();
            parts.join("\n")
        })
        .filter(|t| !t.is_empty())
        .collect();
    let h = loose(header);
    let guess = |kind, decimals, why| Guess {
        kind,
        decimals,
        fewest_decimals: 0,
        why,
    };
    if first
        && (matches!(h.as_str(), "tt" | "stt" | "sott")
            || (!filled.is_empty() && filled.iter().all(|t| numberish(t))))
    {
        return guess(
            ColumnKind::Number,
            None,
            "số thứ tự ngắn ở cột đầu: phuluc tự đánh số",
        );
    }
    if filled.is_empty() {
        return guess(
            ColumnKind::Text,
            None,
            "cột không có ô nào có chữ: để dạng chữ",
        );
    }
    if filled.iter().all(|t| parse_date(t).is_some()) {
        return guess(ColumnKind::Date, None, "mọi ô là ngày dd/mm/yyyy");
    }
    if names_a_year(header) && filled.iter().all(|t| is_year(t)) {
        return guess(
            ColumnKind::Text,
            None,
            "mọi ô là một năm (1900–2100) dưới tiêu đề “năm”: để dạng chữ, không cộng",
        );
    }
    let amounts: Option<Vec<crate::model::Decimal>> =
        filled.iter().map(|t| parse_amount(t)).collect();
    if let Some(amounts) = amounts {
        let most = amounts.iter().map(|d| d.scale()).max().unwrap_or(0).min(3);
        let fewest = amounts.iter().map(|d| d.scale()).min().unwrap_or(0).min(3);
        let decimals = u8::try_from(most).ok().filter(|d| *d > 0);
        let mut g = if filled.iter().all(|t| t.ends_with('%')) {
            guess(ColumnKind::Percent, decimals, "mọi ô là tỷ lệ phần trăm")
        } else {
            guess(
                ColumnKind::Amount,
                decimals,
                "mọi ô là số: cộng được ở dòng cộng",
            )
        };
        g.fewest_decimals = u8::try_from(fewest).unwrap_or(0);
        return g;
    }
    let agency_header = h.contains("coquan") || h.contains("donvi");
    let per_paragraph = cells
        .iter()
        .any(|ps| ps.iter().filter(|p| !p.trim().is_empty()).count() > 1)
        && cells.iter().flatten().all(|p| p.chars().count() <= 120);
    if agency_header || per_paragraph {
        return guess(
            ColumnKind::List,
            None,
            if agency_header {
                "tiêu đề nói cơ quan/đơn vị: danh sách, mỗi tên một dòng"
            } else {
                "ô có nhiều dòng, mỗi dòng một tên: danh sách"
            },
        );
    }
    guess(ColumnKind::Text, None, "chữ")
}

/// The words of `s` in ASCII: lower case, no diacritics, "đ" as "d", split at anything
/// else.
fn ascii_words(s: &str) -> Vec<String> {
    let plain: String = unaccented(s)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    plain.split_whitespace().map(str::to_owned).collect()
}

/// `base`, or `base` with "-2", "_3" … where `taken` says it is used.
fn unique(base: String, sep: char, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{sep}{n}"))
        .find(|c| !taken(c))
        .unwrap_or(base)
}

/// The kind's folder name: the title's first words, else the main column's header.
pub(super) fn kind_slug(
    title: &str,
    headers: &[String],
    kinds: &[ColumnKind],
    taken: &[String],
) -> String {
    let mut words = ascii_words(title);
    if words.is_empty() {
        let main = kinds.iter().position(|k| *k == ColumnKind::Text);
        words = main
            .and_then(|m| headers.get(m))
            .map(|h| ascii_words(h))
            .unwrap_or_default();
    }
    words.truncate(4);
    let base = if words.is_empty() {
        "bang-moi".to_owned()
    } else {
        words.join("-")
    };
    unique(base, '-', |c| taken.iter().any(|t| t == c))
}

/// A column's field name: its header in ASCII snake case (at most five words), unique,
/// never a reserved row key.
pub(super) fn field_name(header: &str, kind: ColumnKind, index: usize, used: &[String]) -> String {
    if kind == ColumnKind::Number {
        return unique("stt".to_owned(), '_', |c| used.iter().any(|u| u == c));
    }
    let mut words = ascii_words(header);
    words.truncate(5);
    let mut base = words.join("_");
    if base.is_empty() {
        base = format!("cot_{}", index + 1);
    } else if base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("cot_{base}");
    }
    // Never a reserved row key, the number column's name, or a word a YAML reader takes
    // for true, false or null when it is a key ("y", "no", "null").
    let yaml_word = matches!(
        base.as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    );
    if crate::model::validate::ROW_KEYS.contains(&base.as_str()) || base == "stt" || yaml_word {
        base.push_str("_cot");
    }
    unique(base, '_', |c| used.iter().any(|u| u == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&[&str]]) -> Vec<Vec<String>> {
        texts
            .iter()
            .map(|c| c.iter().map(|s| (*s).to_owned()).collect())
            .collect()
    }

    #[test]
    fn kinds_are_guessed_from_headers_and_cells() {
        let k = |first, header, c: &[&[&str]]| guess_kind(first, header, &cells(c)).kind;
        assert_eq!(
            k(true, "TT", &[&["1"], &["2"], &["1.1"]]),
            ColumnKind::Number
        );
        assert_eq!(k(true, "Mã", &[&["a)"], &["II"]]), ColumnKind::Number);
        assert_eq!(
            k(false, "Ngày", &[&["01/02/2026"], &["31/12/2026"]]),
            ColumnKind::Date
        );
        let g = guess_kind(false, "Tổng số", &cells(&[&["1.250"], &["12,5"], &[""]]));
        assert_eq!((g.kind, g.decimals), (ColumnKind::Amount, Some(1)));
        assert_eq!(g.fewest_decimals, 0, "“1.250” has none");
        let g = guess_kind(false, "Tỷ lệ", &cells(&[&["12,5%"], &["100%"]]));
        assert_eq!((g.kind, g.decimals), (ColumnKind::Percent, Some(1)));
        assert_eq!(
            k(false, "Đơn vị thực hiện", &[&["Công an phường"]]),
            ColumnKind::List
        );
        assert_eq!(
            k(false, "Phối hợp", &[&["Phòng Tài chính", "Công an phường"]]),
            ColumnKind::List
        );
        assert_eq!(
            k(false, "Tên công trình", &[&["Nhà văn hóa tổ 3"]]),
            ColumnKind::Text
        );
    }

    #[test]
    fn one_cell_that_is_no_number_makes_the_column_text() {
        // The failing case: a clerk's "chưa có" among figures is no amount, so the column
        // is not summed; and a long first-column text is no row number.
        let g = guess_kind(false, "Kinh phí", &cells(&[&["1.250"], &["chưa có"]]));
        assert_eq!(g.kind, ColumnKind::Text);
        let g = guess_kind(true, "Nội dung", &cells(&[&["Xây dựng đường"], &["2"]]));
        assert_eq!(g.kind, ColumnKind::Text);
        // A date among dates that does not exist: not all dates; not amounts either.
        let g = guess_kind(false, "Ngày", &cells(&[&["01/02/2026"], &["31/02/2026"]]));
        assert_eq!(g.kind, ColumnKind::Text);
    }

    #[test]
    fn a_column_of_years_is_text_never_money() {
        let years = cells(&[&["2025"], &["2026"], &["2027"]]);
        let g = guess_kind(false, "Năm hoàn thành", &years);
        assert_eq!(g.kind, ColumnKind::Text, "{}", g.why);
        assert_eq!(
            guess_kind(false, "Thời gian (năm)", &years).kind,
            ColumnKind::Text
        );
        // Money for a year, and years without a header saying so, stay figures.
        assert_eq!(
            guess_kind(false, "Kinh phí năm 2026", &years).kind,
            ColumnKind::Amount
        );
        assert_eq!(
            guess_kind(false, "Số lượng", &years).kind,
            ColumnKind::Amount
        );
        let money = cells(&[&["2.026"], &["1.950"]]);
        assert_eq!(guess_kind(false, "Năm", &money).kind, ColumnKind::Amount);
    }

    #[test]
    fn names_are_ascii_unique_and_never_reserved() {
        assert_eq!(
            kind_slug(
                "DANH MỤC CÔNG TRÌNH ĐẦU TƯ NĂM 2026",
                &[],
                &[],
                &["danh-muc-cong-trinh".to_owned()]
            ),
            "danh-muc-cong-trinh-2"
        );
        let used = vec!["ten_cong_trinh".to_owned()];
        assert_eq!(
            field_name("Tên công trình", ColumnKind::Text, 1, &used),
            "ten_cong_trinh_2"
        );
        assert_eq!(field_name("ID", ColumnKind::Text, 1, &[]), "id_cot");
        assert_eq!(field_name("Y", ColumnKind::Text, 1, &[]), "y_cot");
        assert_eq!(field_name("No", ColumnKind::Text, 1, &[]), "no_cot");
        assert_eq!(field_name("2026", ColumnKind::Amount, 3, &[]), "cot_2026");
        assert_eq!(field_name("…", ColumnKind::Text, 3, &[]), "cot_4");
        assert_eq!(
            field_name("Trong đó NS phường", ColumnKind::Amount, 4, &[]),
            "trong_do_ns_phuong"
        );
    }
}
