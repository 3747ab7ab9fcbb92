//! What the clerk types, as the YAML text of a value, in the style the file uses.
//!
//! Contract: [`parse`] reads the text as typed for a field of a kind — amounts as
//! "1.250.000" or "12,5", dates dd/mm/yyyy, a list one name per line, text as is (NFC)
//! — into a [`Typed`] value, or says in Vietnamese why it cannot be one. [`write`] gives
//! the YAML text of a value for the place it goes: the old value's style where it fits
//! (plain, quoted, folded, literal, a block or flow list), import's house style for new
//! long text (folded `>-` near 100 columns), double quotes where nothing else says the
//! text exactly. Never panics.

use std::str::FromStr;

use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

use crate::model::FieldKind;
use crate::model::tree::{Kind, ScalarType};

/// The width import folds long text at (`>-`), in characters.
pub const FOLD_AT: usize = 100;

/// A value as the file will hold it.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    /// Nothing (`~`, or nothing after the key).
    Null,
    /// Text (NFC).
    Text(String),
    /// A number as YAML writes it (`1250000`, `12.5`).
    Number(Decimal),
    /// A date, `YYYY-MM-DD`.
    Date(String),
    /// Names, in order.
    List(Vec<String>),
}

/// How the old value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// No value yet (`key:`, or no key).
    None,
    /// Plain on the key's line.
    Plain,
    /// `'…'`.
    Single,
    /// `"…"`.
    Double,
    /// `>` / `>-`.
    Folded,
    /// `|` / `|-`.
    Literal,
    /// `[a, b]`.
    FlowList,
    /// `- a` lines; the dash's column (0-based).
    BlockList(usize),
}

/// Where a value goes: the column of its key (0-based, characters) and the key's length.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    /// The key's column.
    pub key_col: usize,
    /// The key's length in characters.
    pub key_len: usize,
}

/// The YAML text of a value and whether it is a block list (which starts on a line of
/// its own).
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The text, its first line without indentation, its other lines indented.
    pub text: String,
    /// A block list: `- a` lines below the key.
    pub block_list: bool,
}

/// The text the clerk typed for a field of `kind`, as a value; `Err` is the Vietnamese
/// and English reason.
pub fn parse(kind: FieldKind, typed: &str) -> Result<Typed, (String, String)> {
    let typed: String = typed.nfc().collect();
    let trimmed = typed.trim();
    if trimmed.is_empty() {
        return Ok(match kind {
            FieldKind::Text => Typed::Text(String::new()),
            FieldKind::List => Typed::List(Vec::new()),
            _ => Typed::Null,
        });
    }
    match kind {
        FieldKind::Text => Ok(Typed::Text(
            typed.trim_end_matches(['\n', '\r']).replace("\r\n", "\n"),
        )),
        FieldKind::List => Ok(Typed::List(
            trimmed
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        )),
        FieldKind::Amount | FieldKind::Percent => {
            amount(trimmed).map(Typed::Number).ok_or_else(|| {
                (
                    format!("“{trimmed}” không phải là một số: gõ số như 1.250.000 hoặc 12,5"),
                    format!("“{trimmed}” is not a number: type it as 1.250.000 or 12,5"),
                )
            })
        }
        FieldKind::Date => date(trimmed).map(Typed::Date),
    }
}

/// "1.250.000" → 1250000, "12,5" → 12.5, "1.250,75" → 1250.75, "12.5" → 12.5.
fn amount(text: &str) -> Option<Decimal> {
    let s: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.strip_suffix('%').unwrap_or(&s);
    let body = s.strip_prefix('-').unwrap_or(s);
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let plain = if body.contains(',') {
        // Dots group thousands, the comma is the decimal point: no dot after it.
        let (int, frac) = body.split_once(',')?;
        if frac.contains([',', '.']) || !thousands(int) {
            return None;
        }
        body.replace('.', "").replace(',', ".")
    } else if body.matches('.').count() > 1 || body.split('.').nth(1).is_some_and(|f| f.len() == 3)
    {
        // 1.250.000 and 1.250: thousands.
        if !thousands(body) {
            return None;
        }
        body.replace('.', "")
    } else {
        body.to_owned()
    };
    let sign = if s.starts_with('-') { "-" } else { "" };
    Decimal::from_str(&format!("{sign}{plain}")).ok()
}

/// Whether `s` is digits, grouped by dots in threes after the first group (or no dots).
fn thousands(s: &str) -> bool {
    let mut groups = s.split('.');
    let first = groups.next().unwrap_or_default();
    if first.is_empty() || first.len() > 3 && s.contains('.') {
        return false;
    }
    groups.all(|g| g.len() == 3)
}

/// dd/mm/yyyy (or d/m/yyyy, or YYYY-MM-DD) → YYYY-MM-DD, a day that exists.
fn date(text: &str) -> Result<String, (String, String)> {
    let bad = || {
        (
            format!("“{text}” không phải là ngày: gõ ngày dạng ngày/tháng/năm, ví dụ 30/06/2026"),
            format!("“{text}” is not a date: type it as day/month/year, e.g. 30/06/2026"),
        )
    };
    let parts: Vec<&str> = if text.contains('/') {
        text.split('/').collect()
    } else {
        let mut p: Vec<&str> = text.split('-').collect();
        p.reverse();
        p
    };
    let [d, m, y] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |s: &str| s.trim().parse::<u32>().ok();
    let (Some(d), Some(m), Some(y)) = (num(d), num(m), num(y)) else {
        return Err(bad());
    };
    if !(1000..=9999).contains(&y) || !(1..=12).contains(&m) {
        return Err(bad());
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d == 0 || d > days {
        return Err((
            format!("ngày {d:02}/{m:02}/{y} không có: tháng {m} năm {y} có {days} ngày"),
            format!("{d:02}/{m:02}/{y} does not exist: month {m} of {y} has {days} days"),
        ));
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// The value as the clerk types it, from the node the file holds: amounts with dots
/// between thousands and a decimal comma, dates dd/mm/yyyy, lists one name a line.
pub fn as_typed(kind: &Kind, field: Option<FieldKind>) -> String {
    match kind {
        Kind::Null => String::new(),
        Kind::Scalar(s, ScalarType::Int | ScalarType::Float) => number_typed(s),
        Kind::Scalar(s, _) if field == Some(FieldKind::Date) => {
            let p: Vec<&str> = s.split('-').collect();
            match p.as_slice() {
                [y, m, d] => format!("{d}/{m}/{y}"),
                _ => s.clone(),
            }
        }
        Kind::Scalar(s, _) if field == Some(FieldKind::List) => s.clone(),
        Kind::Scalar(s, _) => s.clone(),
        Kind::Seq(items) => items
            .iter()
            .filter_map(|i| match &i.kind {
                Kind::Scalar(s, _) => Some(s.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Kind::Map(_) => String::new(),
    }
}

/// "1250000.5" → "1.250.000,5".
fn number_typed(s: &str) -> String {
    let (sign, body) = s.strip_prefix('-').map_or(("", s), |b| ("-", b));
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// The YAML text of `value` for `place`, in `old`'s style where it can say the value.
pub fn write(value: &Typed, old: Style, place: Place) -> Written {
    let inline = |text: String| Written {
        text,
        block_list: false,
    };
    match value {
        Typed::Null => inline("~".to_owned()),
        Typed::Number(n) => inline(n.to_string()),
        Typed::Date(d) => inline(d.clone()),
        Typed::Text(t) => inline(text(t, old, place)),
        Typed::List(names) => list(names, old, place),
    }
}

fn list(names: &[String], old: Style, place: Place) -> Written {
    match (names, old) {
        ([], _) => Written {
            text: "[]".to_owned(),
            block_list: false,
        },
        // One name where the file wrote one name as a scalar: a scalar again.
        ([one], Style::Plain | Style::Single | Style::Double) => Written {
            text: text(one, old, place),
            block_list: false,
        },
        (_, Style::FlowList) if names.iter().all(|n| plain_ok(n, true)) => Written {
            text: format!("[{}]", names.join(", ")),
            block_list: false,
        },
        _ => {
            let dash = match old {
                Style::BlockList(col) => col,
                _ => place.key_col + 2,
            };
            let pad = " ".repeat(dash);
            let item_place = Place {
                key_col: dash,
                key_len: 0,
            };
            let lines: Vec<String> = names
                .iter()
                .map(|n| format!("- {}", text(n, Style::Plain, item_place)))
                .collect();
            Written {
                text: lines.join(&format!("\n{pad}")),
                block_list: true,
            }
        }
    }
}

/// Text as a scalar: see the module doc.
fn text(t: &str, old: Style, place: Place) -> String {
    let indent = place.key_col + 2;
    if t.is_empty() {
        return "\"\"".to_owned();
    }
    if t.contains('\n') {
        return literal(t, indent).unwrap_or_else(|| double(t));
    }
    let fits = place.key_col + place.key_len + 2 + t.chars().count() <= FOLD_AT;
    match old {
        Style::Single if !t.contains('\n') => format!("'{}'", t.replace('\'', "''")),
        Style::Double => double(t),
        Style::Folded | Style::Literal => folded(t, indent).unwrap_or_else(|| double(t)),
        _ if plain_ok(t, false) && (fits || old == Style::Plain) => t.to_owned(),
        _ if !fits => folded(t, indent).unwrap_or_else(|| double(t)),
        _ => double(t),
    }
}

/// Whether `t` reads back as the same text when written plain (in a flow list: with no
/// flow indicators either).
fn plain_ok(t: &str, flow: bool) -> bool {
    if t.trim() != t || t.contains(['\n', '\t']) || (flow && t.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    let probe = format!("k: {t}\n");
    let Ok(root) = crate::model::parse_str(&probe, std::path::Path::new("")) else {
        return false;
    };
    matches!(&root.kind, Kind::Map(e) if e.len() == 1
        && matches!(&e[0].1.kind, Kind::Scalar(s, ScalarType::Str) if s == t))
}

/// `"…"` with YAML's escapes.
fn double(t: &str) -> String {
    let mut out = String::with_capacity(t.len() + 2);
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `>-` with the words filled to [`FOLD_AT`] columns at `indent`; `None` where folding
/// cannot say the text (runs of spaces, spaces at an end, tabs).
fn folded(t: &str, indent: usize) -> Option<String> {
    if t.contains("  ") || t.trim() != t || t.contains(['\t', '\n']) || t.is_empty() {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = String::from(">-");
    let mut line = String::new();
    for word in t.split(' ') {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > FOLD_AT {
            out.push('\n');
            out.push_str(&pad);
            out.push_str(&line);
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push('\n');
    out.push_str(&pad);
    out.push_str(&line);
    Some(out)
}

/// `|-` with each line at `indent`; `None` where a literal block cannot say the text
/// (a line starting with a blank, trailing blanks, tabs).
fn literal(t: &str, indent: usize) -> Option<String> {
    let lines: Vec<&str> = t.split('\n').collect();
    let first_ok = lines
        .first()
        .is_some_and(|l| !l.is_empty() && !l.starts_with(' '));
    if !first_ok || t.contains('\t') || lines.iter().any(|l| l.ends_with(' ') || l.starts_with(' '))
    {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = String::from("|-");
    for l in lines {
        out.push('\n');
        if !l.is_empty() {
            out.push_str(&pad);
            out.push_str(l);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place {
        Place {
            key_col: 4,
            key_len: 8,
        }
    }

    #[test]
    fn amounts_as_the_clerk_types_them() {
        let n = |s: &str| parse(FieldKind::Amount, s);
        assert_eq!(n("1.250.000"), Ok(Typed::Number(Decimal::from(1_250_000))));
        assert_eq!(n("12,5"), Ok(Typed::Number(Decimal::new(125, 1))));
        assert_eq!(n("12.5"), Ok(Typed::Number(Decimal::new(125, 1))));
        assert_eq!(n("1.250,75"), Ok(Typed::Number(Decimal::new(125_075, 2))));
        assert_eq!(n(""), Ok(Typed::Null));
        assert!(n("một trăm").is_err());
        assert!(n("1.25.0").is_err());
        assert_eq!(number_typed("1250000.5"), "1.250.000,5");
        assert_eq!(number_typed("120"), "120");
    }

    #[test]
    fn a_comma_then_dots_is_not_an_amount() {
        // Found by tests/integration/edit_properties.rs: "1,250.000" (one thousand two
        // hundred and fifty, typed the English way) was read as 1,25.
        assert!(parse(FieldKind::Amount, "1,250.000").is_err());
        assert!(parse(FieldKind::Amount, "12,5.0").is_err());
        assert_eq!(
            parse(FieldKind::Amount, "1.250,5"),
            Ok(Typed::Number(Decimal::new(12_505, 1)))
        );
    }

    #[test]
    fn dates_day_first_and_real() {
        assert_eq!(
            parse(FieldKind::Date, "30/06/2026"),
            Ok(Typed::Date("2026-06-30".into()))
        );
        assert_eq!(
            parse(FieldKind::Date, "1/2/2028"),
            Ok(Typed::Date("2028-02-01".into()))
        );
        let Err((vi, _)) = parse(FieldKind::Date, "31/02/2026") else {
            panic!("31/02 accepted")
        };
        assert!(vi.contains("không có"), "{vi}");
        assert!(parse(FieldKind::Date, "mai").is_err());
    }

    #[test]
    fn text_keeps_the_files_style_and_folds_new_long_text() {
        assert_eq!(text("Thường xuyên", Style::Plain, place()), "Thường xuyên");
        assert_eq!(text("a: b", Style::Plain, place()), "\"a: b\"");
        assert_eq!(text("it's", Style::Single, place()), "'it''s'");
        assert_eq!(text("123", Style::None, place()), "\"123\"");
        let long = "chữ ".repeat(40);
        let long = long.trim();
        let f = text(long, Style::None, place());
        assert!(f.starts_with(">-\n      chữ"), "{f}");
        assert!(f.lines().all(|l| l.chars().count() <= FOLD_AT), "{f}");
        assert_eq!(text("a\nb", Style::Plain, place()), "|-\n      a\n      b");
    }

    #[test]
    fn lists_one_name_a_line() {
        let w = write(
            &Typed::List(vec!["A".into(), "B".into()]),
            Style::BlockList(6),
            place(),
        );
        assert_eq!(w.text, "- A\n      - B");
        assert!(w.block_list);
        let one = write(&Typed::List(vec!["A".into()]), Style::Plain, place());
        assert_eq!(one.text, "A");
    }
}
