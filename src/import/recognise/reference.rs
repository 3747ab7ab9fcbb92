//! The reference line under an appendix's title — “(Kèm theo Kế hoạch số 12/KH-UBND ngày
//! 20/3/2026 của …)” — read into the plan's data, in every form clerks type it.
//!
//! Clerks leave the number and the date blank until the plan is signed, and type those
//! blanks as they can: ordinary spaces, non-breaking spaces (U+00A0, narrow U+202F),
//! tabs, ideographic spaces, leaders (“……”, “...”, “_____”), or nothing at all
//! (“số/KH-UBND”); Word splits the line into runs anywhere, which the reader has already
//! joined. The date is “20/3/2026”, “20-3-2026”, “20 tháng 3 năm 2026”, or any of those
//! with blanks (“   /   /2026”, “ngày      tháng      năm 2026”). Offices also write
//! “(Ban hành kèm theo …)”.
//!
//! Contract: pure functions of text. `read_reference` fills `meta` only from a line that
//! reads as a reference line and says whether it did; a blank part gives an empty field
//! (`number: None`, `date: None`), never leader characters.

use unicode_normalization::UnicodeNormalization;

use super::super::values::parse_date;
use crate::compose::templates::{BlankDate, Opening};
use crate::model::PlanMeta;

/// Whether `text` opens as a reference line (“(Kèm theo …”, “(Ban hành kèm theo …”), in
/// any case and whatever blanks it is typed with.
pub(super) fn is_reference(text: &str) -> bool {
    body(&normalise(text)).is_some()
}

/// Reads the reference line into `meta`; `false` (and `meta` untouched) when `line` is
/// not one.
pub(super) fn read_reference(line: &str, meta: &mut PlanMeta) -> bool {
    let line = normalise(line);
    let Some(rest) = body(&line) else {
        return false;
    };
    // The number ends at the first “/”; “số” is the last such word before it (a kind
    // may hold the word, “Kế hoạch chuyển đổi số số 12/…”).
    let Some(slash) = rest.find('/') else {
        return false;
    };
    let folded = fold(rest);
    let Some(so) = last_word(&folded[..slash], "số") else {
        return false;
    };
    let kind = rest[..so].trim();
    let number = blank_to_none(&rest[so + "số".len()..slash]);
    let after = &rest[slash + 1..];
    // The date part, from “ngày” to “của”; either may be missing.
    let folded_after = &folded[slash + 1..];
    let of = first_word(folded_after, "của");
    let before_of = &after[..of.unwrap_or(after.len())];
    let day = first_word(&folded_after[..before_of.len()], "ngày");
    let symbol = &before_of[..day.unwrap_or(before_of.len())];
    let date = day.map_or("", |d| &before_of[d + "ngày".len()..]);
    let issuer = of.map_or("", |o| &after[o + "của".len()..]);
    if !kind.is_empty() {
        meta.kind = kind.to_owned();
    }
    meta.number = number;
    meta.symbol = strip_leaders(symbol).to_owned();
    // Only blanks: an issuer may end in any character of its name.
    meta.issuer = issuer.trim().to_owned();
    let (date, year) = read_date(date);
    meta.date = date;
    meta.year = date.map(|d| d.year).or(year);
    true
}

/// The form a reference line is typed in — its opening words, and whether a date left
/// blank is the long “ngày      tháng      năm 2026” — for a template that prints it so;
/// `None` when `line` is not a reference line. A filled date says nothing of the blank
/// form (both print “ngày 20 tháng 3 năm 2026”), so it reads as the short one.
pub(super) fn reference_form(line: &str) -> Option<(Opening, BlankDate)> {
    let line = normalise(line);
    let rest = body(&line)?;
    let inner = line.trim().trim_start_matches('(').trim_start();
    let opening = if fold(inner).starts_with("ban hành") {
        Opening::BanHanhKemTheo
    } else {
        Opening::KemTheo
    };
    let folded = fold(rest);
    let date = first_word(&folded, "ngày").map_or("", |d| {
        let after = &folded[d..];
        &after[..first_word(after, "của").unwrap_or(after.len())]
    });
    let (filled, _) = read_date(date);
    let long = filled.is_none() && first_word(date, "tháng").is_some();
    Some((
        opening,
        if long {
            BlankDate::Long
        } else {
            BlankDate::Short
        },
    ))
}

/// The line with every kind of blank but a line break as an ordinary space, zero-width
/// characters dropped, in NFC.
fn normalise(text: &str) -> String {
    text.nfc()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
        })
        // A line break stays one: an issuer may be typed on two lines.
        .map(|c| {
            if c.is_whitespace() && c != '\n' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// What follows “Kèm theo” in a normalised line, its one pair of parentheses taken off
/// (an issuer may end in its own “)”), or `None` when the line is not a reference line.
fn body(line: &str) -> Option<&str> {
    let line = line.trim();
    let inner = line.strip_prefix('(').unwrap_or(line).trim_start();
    let inner = inner.strip_suffix(')').unwrap_or(inner);
    let lower = fold(inner);
    for prefix in ["kèm theo", "ban hành kèm theo"] {
        if lower.starts_with(prefix) {
            // `fold` keeps every character's byte length.
            return inner.get(prefix.len()..).filter(|rest| {
                rest.starts_with(|c: char| !c.is_alphanumeric()) || rest.is_empty()
            });
        }
    }
    None
}

/// `text` in lower case where that keeps each character's byte length (every Vietnamese
/// letter does), so offsets found in it are offsets in `text`.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

/// Whether `c` is a letter that would make `word` part of a longer word.
fn joins(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Byte offsets of `word` standing as a word in `text` (no letter or digit touching it).
fn word_positions<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(word).map(|(i, _)| i).filter(move |&i| {
        !joins(text[..i].chars().next_back()) && !joins(text[i + word.len()..].chars().next())
    })
}

fn first_word(text: &str, word: &str) -> Option<usize> {
    word_positions(text, word).next()
}

fn last_word(text: &str, word: &str) -> Option<usize> {
    word_positions(text, word).last()
}

/// Whether `c` is a leader clerks type for a blank to fill in.
fn is_leader(c: char) -> bool {
    matches!(c, '…' | '.' | '_' | '‥' | '·' | '-' | '–' | ' ' | '\n')
}

/// `text` without the blanks and leaders at its ends.
fn strip_leaders(text: &str) -> &str {
    text.trim_matches(is_leader)
}

/// The number part: `None` where it holds only blanks and leaders.
fn blank_to_none(text: &str) -> Option<String> {
    let text = strip_leaders(text);
    (!text.is_empty()).then(|| text.to_owned())
}

/// The date part: a full date where day, month and year are all typed, else the year
/// alone where one is.
fn read_date(text: &str) -> (Option<crate::model::Date>, Option<u16>) {
    // Digit groups in order: “20 tháng 3 năm 2026”, “20/3/2026”, “20-03-2026”, and
    // their blank forms, all come to [20, 3, 2026] or [2026].
    let groups: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let year = groups
        .last()
        .filter(|g| g.len() == 4)
        .and_then(|g| g.parse::<u16>().ok());
    let date = match groups.as_slice() {
        [d, m, y] if y.len() == 4 => parse_date(&format!("{d}/{m}/{y}")),
        _ => None,
    };
    (date, year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    #[test]
    fn the_form_of_a_reference_line_is_its_opening_and_its_blank_date() {
        let form = reference_form;
        assert_eq!(
            form("(Kèm theo Kế hoạch số      /KH-UBND ngày    /    /2026 của UBND phường)"),
            Some((Opening::KemTheo, BlankDate::Short))
        );
        assert_eq!(
            form(
                "(Ban hành kèm theo Kế hoạch số\u{a0}\u{a0}/KH-UBND ngày\u{a0}\u{a0}tháng\u{a0}\u{a0}năm 2026 của UBND phường)"
            ),
            Some((Opening::BanHanhKemTheo, BlankDate::Long))
        );
        // A filled long date prints the same in both forms.
        assert_eq!(
            form("(Kèm theo Kế hoạch số 12/KH-UBND ngày 20 tháng 3 năm 2026 của UBND phường)"),
            Some((Opening::KemTheo, BlankDate::Short))
        );
        // “tháng” in the issuer's name is no date's.
        assert_eq!(
            form("(Kèm theo Kế hoạch số /KH-UBND ngày / /2026 của Ban tháng hành động)"),
            Some((Opening::KemTheo, BlankDate::Short))
        );
        assert_eq!(form("Kế hoạch số 12"), None);
    }

    fn read(line: &str) -> PlanMeta {
        let mut m = PlanMeta::default();
        assert!(read_reference(line, &mut m), "{line:?}");
        m
    }

    /// Found by the round-trip property: every ")" at the end was cut, the issuer's own
    /// too.
    #[test]
    fn an_issuer_ending_in_a_parenthesis_keeps_it() {
        let m = read(
            "(Kèm theo Kế hoạch số 12/KH-UBND ngày 20 tháng 3 năm 2026 của Ban Chỉ đạo (phường))",
        );
        assert_eq!(m.issuer, "Ban Chỉ đạo (phường)");
    }

    #[test]
    fn the_reference_line_gives_the_plan_data() {
        let m = read(
            "(Kèm theo Kế hoạch số           /KH-UBND ngày        /      /2026 của Ủy ban nhân dân phường Thạch Khôi)",
        );
        assert_eq!(
            (m.kind.as_str(), m.number.as_deref(), m.symbol.as_str()),
            ("Kế hoạch", None, "KH-UBND")
        );
        assert_eq!(
            (m.date, m.year, m.issuer.as_str()),
            (None, Some(2026), "Ủy ban nhân dân phường Thạch Khôi")
        );
        let m = read("(Kèm theo Kế hoạch số 12/KH-UBND ngày 20 tháng 3 năm 2026 của UBND phường)");
        assert_eq!(m.number.as_deref(), Some("12"));
        let date = Date {
            year: 2026,
            month: 3,
            day: 20,
        };
        assert_eq!(m.date, Some(date));
        let m = read("(Ban hành kèm theo Kế hoạch số 12/KH-UBND ngày 20-03-2026 của UBND phường)");
        assert_eq!((m.date, m.symbol.as_str()), (Some(date), "KH-UBND"));
    }

    /// Every blank a clerk types, in every slot, gives the same fields.
    #[test]
    fn blanks_of_every_kind_read_the_same() {
        let blanks = [
            "      ",
            "\u{a0}\u{a0}\u{a0}\u{a0}",
            "\u{202f}\u{202f}",
            "\t",
            "\u{3000}\u{3000}",
            "……",
            "...",
            "_____",
            " \u{a0}…\t",
            "",
        ];
        for b in blanks {
            let line = format!(
                "(Kèm theo Kế hoạch số{b}/KH-UBND ngày{b}/{b}/2026 của Ủy ban nhân dân phường Thạch Khôi)"
            );
            let m = read(&line);
            assert_eq!(
                (m.kind.as_str(), m.number.as_deref(), m.symbol.as_str()),
                ("Kế hoạch", None, "KH-UBND"),
                "{line:?}"
            );
            assert_eq!(
                (m.date, m.year, m.issuer.as_str()),
                (None, Some(2026), "Ủy ban nhân dân phường Thạch Khôi"),
                "{line:?}"
            );
            if b.is_empty() {
                // “ngàythángnăm” is no one's typing.
                continue;
            }
            let long = format!(
                "(Kèm theo Kế hoạch số{b}/KH-UBND ngày{b}tháng{b}năm 2026 của UBND phường)"
            );
            assert_eq!(read(&long).year, Some(2026), "{long:?}");
        }
    }

    /// Found by the round-trip property: a line break in the issuer became a space.
    #[test]
    fn an_issuer_on_two_lines_keeps_its_line_break() {
        let m = read("(Kèm theo Kế hoạch số 3/KH-UBND ngày 1/2/2026 của Phòng\nPhòng)");
        assert_eq!(m.issuer, "Phòng\nPhòng");
    }

    #[test]
    fn a_kind_holding_the_word_so_keeps_it() {
        let m = read("(Kèm theo Kế hoạch chuyển đổi số số 3/KH-BCĐ ngày 1/2/2026 của Ban Chỉ đạo)");
        assert_eq!(
            (m.kind.as_str(), m.number.as_deref()),
            ("Kế hoạch chuyển đổi số", Some("3"))
        );
    }

    #[test]
    fn lines_that_are_not_reference_lines_say_so() {
        let mut m = PlanMeta::default();
        for line in [
            "(Kèm theo)",
            "Kèm theo Kế hoạch",
            "(Kèmtheo Kế hoạch số 1/KH)",
            "",
        ] {
            assert!(!read_reference(line, &mut m), "{line:?}");
        }
        assert_eq!(m, PlanMeta::default());
    }
}
