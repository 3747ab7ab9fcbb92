//! Deadlines: the "Lộ trình thực hiện" phrases of a plan read as the day a task is due.
//!
//! Contract: [`deadline`] reads one phrase, case and spacing aside, and gives the last
//! day it allows — "Năm 2026" → 31/12/2026, "Năm 2026, 2027" or "2026 - 2027" →
//! 31/12/2027, "Quý II/2026" → 30/06/2026, "Tháng 6/2026" → 30/06/2026, "Trước ngày
//! 30/6/2026" (or "trước 30/6/2026", "ngày 30 tháng 6 năm 2026") → that day, "6 tháng
//! đầu năm 2026" → 30/06/2026, "6 tháng cuối năm 2026" or "cuối năm 2026" → 31/12/2026.
//! Where a phrase names several periods, the latest counts. An explicit full date wins
//! over everything else; then phrases of standing work — "Thường xuyên", "Hằng năm" /
//! "Hàng năm", "hằng quý", "hằng tháng", "… và các năm tiếp theo", "… trở đi" — have no
//! deadline; an empty phrase neither. Anything else is [`Deadline::Unreadable`], for the
//! report to warn about. Never panics, on any text.

use unicode_normalization::UnicodeNormalization;

use crate::document::Date;

/// What a "Lộ trình" phrase says about when a task is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Standing or recurring work, or no phrase: never overdue.
    None,
    /// Due by the end of this day.
    By(Date),
    /// A phrase phuluc cannot read as a date.
    Unreadable,
}

/// Words that make a phrase standing work (checked after explicit dates).
const STANDING: [&str; 10] = [
    "thường xuyên",
    "hằng năm",
    "hàng năm",
    "hằng quý",
    "hàng quý",
    "hằng tháng",
    "hàng tháng",
    "các năm tiếp theo",
    "trở đi",
    "liên tục",
];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A run of digits: its value (saturating) and how many digits.
    Num(u32, usize),
    /// A run of letters.
    Word(String),
    /// Any other character but a space.
    Sep(char),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let (mut value, mut len) = (0u32, 0usize);
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                value = value.saturating_mul(10).saturating_add(d);
                len += 1;
                chars.next();
            }
            out.push(Token::Num(value, len));
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_alphabetic()) {
                word.push(c);
                chars.next();
            }
            out.push(Token::Word(word));
        } else {
            if !c.is_whitespace() {
                out.push(Token::Sep(if "–—".contains(c) { '-' } else { c }));
            }
            chars.next();
        }
    }
    out
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The number of days in `month` of `year` (0 for a month that does not exist).
fn days_in(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The date, when it exists.
pub fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    let year = u16::try_from(year)
        .ok()
        .filter(|y| (1900..=2199).contains(y))?;
    let month = u8::try_from(month).ok()?;
    let day = u8::try_from(day).ok()?;
    (day >= 1 && day <= days_in(year, month)).then_some(Date { year, month, day })
}

/// A date as a clerk types it on the command line: "30/06/2026", "30/6/2026", or
/// "2026-06-30"; `None` for anything else or a day that does not exist.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match (numbers.as_slice(), parts.first().map(|p| p.len())) {
        ([y, m, d], Some(4)) => date(*y, *m, *d),
        ([d, m, y], Some(1..=2)) if parts[2].len() == 4 => date(*y, *m, *d),
        _ => None,
    }
}

fn end_of_month(year: u32, month: u32) -> Option<Date> {
    let y = u16::try_from(year).ok()?;
    let m = u8::try_from(month).ok()?;
    date(year, month, u32::from(days_in(y, m)))
}

fn year_of(t: Option<&Token>) -> Option<u32> {
    match t {
        Some(Token::Num(y, 4)) if (1900..=2199).contains(y) => Some(*y),
        _ => None,
    }
}

fn word(t: Option<&Token>, w: &str) -> bool {
    matches!(t, Some(Token::Word(x)) if x == w)
}

/// Reads `phrase` (see the module's contract).
pub fn deadline(phrase: &str) -> Deadline {
    let folded: String = phrase.nfc().flat_map(char::to_lowercase).collect();
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        return Deadline::None;
    }
    let t = tokens(&folded);
    let latest = |dates: Vec<Date>| {
        dates
            .into_iter()
            .max()
            .map_or(Deadline::Unreadable, Deadline::By)
    };
    // A day and a month ("30/6…") make the phrase a date: it is one, or unreadable.
    let date_shaped = t.windows(3).any(|w| {
        matches!(
            w,
            [
                Token::Num(_, 1..=2),
                Token::Sep('/' | '-' | '.'),
                Token::Num(_, 1..=2)
            ]
        )
    }) || t.windows(5).any(|w| {
        matches!(
            w,
            [Token::Num(..), Token::Sep(a), Token::Num(..), Token::Sep(b), Token::Num(..)]
                if a == b && "/-.".contains(*a)
        )
    });
    let dates = full_dates(&t);
    if date_shaped || !dates.is_empty() {
        return latest(dates);
    }
    if STANDING.iter().any(|s| folded.contains(s)) {
        return Deadline::None;
    }
    // A quarter or a month named must be read as one; the year alone would say too
    // little ("Quý V/2026" is a typo, not 31/12/2026).
    let mut found = Vec::new();
    let mut named = false;
    if t.iter().any(|x| word(Some(x), "quý")) {
        named = true;
        let q = quarters(&t);
        if q.is_empty() {
            return Deadline::Unreadable;
        }
        found.extend(q);
    }
    if t.iter().any(|x| word(Some(x), "tháng")) {
        named = true;
        let mut m = months(&t);
        m.extend(halves(&t));
        if m.is_empty() {
            return Deadline::Unreadable;
        }
        found.extend(m);
    }
    found.extend(halves(&t));
    if !named && found.is_empty() {
        found = years(&t);
    }
    latest(found)
}

/// "30/6/2026", "30-06-2026", "30.6.2026", "ngày 30 tháng 6 năm 2026".
fn full_dates(t: &[Token]) -> Vec<Date> {
    let mut out = Vec::new();
    for i in 0..t.len() {
        if let [
            Token::Num(d, _),
            Token::Sep(a),
            Token::Num(m, _),
            Token::Sep(b),
            Token::Num(y, 4),
            ..,
        ] = &t[i..]
            && a == b
            && "/-.".contains(*a)
            && let Some(date) = date(*y, *m, *d)
        {
            out.push(date);
        }
        if let [
            Token::Num(d, _),
            Token::Word(th),
            Token::Num(m, _),
            Token::Word(n),
            Token::Num(y, 4),
            ..,
        ] = &t[i..]
            && th == "tháng"
            && n == "năm"
            && i > 0
            && word(t.get(i - 1), "ngày")
            && let Some(date) = date(*y, *m, *d)
        {
            out.push(date);
        }
    }
    out
}

/// A list after `keyword` ("quý I, II", "tháng 5 và 6"), then "/2026" or "năm 2026": the
/// listed values and the year. `value` reads one list item.
fn listed(t: &[Token], keyword: &str, value: impl Fn(&Token) -> Option<u32>) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if !word(t.get(i), keyword) {
            i += 1;
            continue;
        }
        let mut values = Vec::new();
        let mut j = i + 1;
        while let Some(tok) = t.get(j) {
            if let Some(v) = value(tok) {
                values.push(v);
                j += 1;
            } else if matches!(tok, Token::Sep(',' | '-' | '&' | ';'))
                || word(Some(tok), "và")
                || word(Some(tok), keyword)
                || word(Some(tok), "đến")
            {
                j += 1;
            } else {
                break;
            }
        }
        let year = match t.get(j) {
            Some(Token::Sep('/')) => year_of(t.get(j + 1)),
            Some(Token::Word(w)) if w == "năm" => year_of(t.get(j + 1)),
            _ => None,
        };
        if let Some(year) = year {
            out.extend(values.into_iter().map(|v| (v, year)));
        }
        i = j.max(i + 1);
    }
    out
}

/// "Quý II/2026", "quý 2 năm 2026", "quý I, II/2026".
fn quarters(t: &[Token]) -> Vec<Date> {
    let quarter = |tok: &Token| match tok {
        Token::Num(q @ 1..=4, _) => Some(*q),
        Token::Word(w) => ["i", "ii", "iii", "iv"]
            .iter()
            .position(|r| r == w)
            .map(|p| p as u32 + 1),
        _ => None,
    };
    listed(t, "quý", quarter)
        .into_iter()
        .filter_map(|(q, y)| end_of_month(y, q * 3))
        .collect()
}

/// "Tháng 6/2026", "tháng 6 năm 2026", "tháng 5, 6/2026" (not "6 tháng đầu năm").
fn months(t: &[Token]) -> Vec<Date> {
    let month = |tok: &Token| match tok {
        Token::Num(m @ 1..=12, _) => Some(*m),
        _ => None,
    };
    listed(t, "tháng", month)
        .into_iter()
        .filter_map(|(m, y)| end_of_month(y, m))
        .collect()
}

/// "6 tháng đầu năm 2026" → the end of the sixth month; "6 tháng cuối năm 2026" and
/// "cuối năm 2026" → 31 December.
fn halves(t: &[Token]) -> Vec<Date> {
    let mut out = Vec::new();
    for i in 0..t.len() {
        if let [
            Token::Num(n @ 1..=12, _),
            Token::Word(th),
            Token::Word(part),
            Token::Word(nam),
            ..,
        ] = &t[i..]
            && th == "tháng"
            && nam == "năm"
            && let Some(y) = year_of(t.get(i + 4))
        {
            match part.as_str() {
                "đầu" => out.extend(end_of_month(y, *n)),
                "cuối" => out.extend(end_of_month(y, 12)),
                _ => {}
            }
        }
        if word(t.get(i), "cuối")
            && word(t.get(i + 1), "năm")
            && let Some(y) = year_of(t.get(i + 2))
        {
            out.extend(end_of_month(y, 12));
        }
    }
    out
}

/// "Năm 2026", "năm 2026, 2027", "2026 - 2030", "giai đoạn 2026-2030": the last year.
fn years(t: &[Token]) -> Vec<Date> {
    t.iter()
        .enumerate()
        .filter_map(|(i, _)| year_of(t.get(i)))
        .filter_map(|y| end_of_month(y, 12))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by(day: u8, month: u8, year: u16) -> Deadline {
        Deadline::By(Date { year, month, day })
    }

    #[test]
    fn the_phrases_plans_use() {
        assert_eq!(deadline("Năm 2026"), by(31, 12, 2026));
        assert_eq!(deadline("Năm 2026, 2027"), by(31, 12, 2027));
        assert_eq!(deadline("Quý II/2026"), by(30, 6, 2026));
        assert_eq!(deadline("quý 1 năm 2027"), by(31, 3, 2027));
        assert_eq!(deadline("Quý I, II/2026"), by(30, 6, 2026));
        assert_eq!(deadline("Tháng 6/2026"), by(30, 6, 2026));
        assert_eq!(deadline("tháng 2 năm 2028"), by(29, 2, 2028));
        assert_eq!(deadline("Trước ngày 30/6/2026"), by(30, 6, 2026));
        assert_eq!(deadline("trước 30/6/2026"), by(30, 6, 2026));
        assert_eq!(deadline("Trước ngày 15 tháng 3 năm 2026"), by(15, 3, 2026));
        assert_eq!(deadline("6 tháng đầu năm 2026"), by(30, 6, 2026));
        assert_eq!(deadline("6 tháng cuối năm 2026"), by(31, 12, 2026));
        assert_eq!(deadline("Cuối năm 2026"), by(31, 12, 2026));
        assert_eq!(deadline("Giai đoạn 2026 – 2030"), by(31, 12, 2030));
        assert_eq!(deadline("Từ 01/3/2026 đến 30/9/2026"), by(30, 9, 2026));
    }

    #[test]
    fn standing_work_has_no_deadline() {
        for phrase in [
            "Thường xuyên",
            "Hằng năm",
            "Hàng năm",
            "THƯỜNG XUYÊN",
            "Năm 2026 và các năm tiếp theo",
            "Từ năm 2026 trở đi",
            "",
            "   ",
        ] {
            assert_eq!(deadline(phrase), Deadline::None, "{phrase}");
        }
        // An explicit date still counts.
        assert_eq!(
            deadline("Thường xuyên; báo cáo trước 15/12/2026"),
            by(15, 12, 2026)
        );
    }

    #[test]
    fn command_line_dates() {
        let d = Some(Date {
            year: 2026,
            month: 6,
            day: 30,
        });
        assert_eq!(parse_date("30/06/2026"), d);
        assert_eq!(parse_date("30/6/2026"), d);
        assert_eq!(parse_date("2026-06-30"), d);
        assert_eq!(parse_date("31/6/2026"), None);
        assert_eq!(parse_date("30/06/26"), None);
        assert_eq!(parse_date("hôm nay"), None);
    }

    #[test]
    fn anything_else_is_unreadable_never_a_panic() {
        for phrase in [
            "Sớm nhất có thể",
            "Quý V/2026",
            "30/2/2026",
            "Tháng 13/2026",
            "trước 30/6",
            "99999999999999999999/1/2026",
            "quý",
            "tháng tháng tháng /",
            "Năm 99999",
        ] {
            assert_eq!(deadline(phrase), Deadline::Unreadable, "{phrase}");
        }
    }
}
