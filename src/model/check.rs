//! The validator's ground floor: its state (the file, the templates' fields, the
//! diagnostics so far), the check of one mapping's keys, and the reading of one value —
//! text, whole number, amount, date, list — each wrong one reported at its position.
//!
//! Contract: every check reports what it found and goes on; a value that cannot be read
//! is `None` (or empty) after its diagnostic. Text is NFC-normalised and trimmed here,
//! once ([`clean`]); control characters and text typed in a legacy encoding are warned
//! about. [`super::validate`] builds the plan's structure on these.

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use super::fields::FieldsLookup;
use super::plan::{Date, Decimal, Origins};
use super::tree::{Key, Kind, Node, ScalarType};
use crate::diag::{Diagnostic, Pos, Text, closest};
use crate::legacy::legacy_encoding;
use crate::text;

pub(super) struct Validator<'a> {
    pub(super) path: &'a Path,
    pub(super) lookup: &'a dyn FieldsLookup,
    pub(super) diags: Vec<Diagnostic>,
}

/// NFC-normalises and trims text, and replaces characters XML cannot hold: vertical tab
/// and form feed (pasted from Word) become line breaks, other control characters and
/// tabs become spaces. Word refuses a .docx with them; a PDF would show boxes.
pub fn clean(s: &str) -> String {
    let t = s.trim();
    let t: std::borrow::Cow<str> = if t.chars().any(is_control) {
        t.chars()
            .map(|c| match c {
                '\u{B}' | '\u{C}' => '\n',
                c if is_control(c) => ' ',
                c => c,
            })
            .collect::<String>()
            .into()
    } else {
        t.into()
    };
    if unicode_normalization::is_nfc(&t) {
        t.into_owned()
    } else {
        t.nfc().collect()
    }
}

/// Characters `clean` replaces: those XML forbids ([`crate::xml_chars::forbidden`]) and
/// every other C0 or C1 control but the line feed.
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n') || crate::xml_chars::forbidden(c)
}

/// The fields of one mapping, after unknown and duplicate keys were reported.
pub(super) struct Fields<'n> {
    pub(super) entries: Vec<(&'n Key, &'n Node)>,
    /// Keys that were reported as unknown (a misspelt required key is reported once,
    /// as the misspelling, not again as missing).
    unknown: Vec<&'n str>,
    /// Where to point when a field is missing: the key that names this block, or the
    /// block itself.
    owner: Option<Pos>,
}

impl<'n> Fields<'n> {
    pub(super) fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, n)| *n)
    }

    /// Where each kept key's value is: the value as written, or the key where the value
    /// is empty.
    pub(super) fn origins(&self) -> Origins {
        self.entries
            .iter()
            .filter_map(|(k, n)| Some((k.name.clone(), n.origin.or(k.origin)?)))
            .collect()
    }
}

impl Validator<'_> {
    pub(super) fn push(&mut self, at: Option<Pos>, message: Text, hint: Text) {
        self.diags.push(
            Diagnostic::error(message)
                .in_file(self.path)
                .at(at)
                .hint(hint),
        );
    }

    fn warn(&mut self, at: Option<Pos>, message: Text, hint: Text) {
        self.diags.push(
            Diagnostic::warning(message)
                .in_file(self.path)
                .at(at)
                .hint(hint),
        );
    }

    /// Checks that `node` is a mapping with only `allowed` keys (plus `extra`, for row
    /// fields), each once. `what` names the block in messages.
    pub(super) fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        owner: Option<Pos>,
        allowed: &[&str],
    ) -> Option<Fields<'n>> {
        let Kind::Map(entries) = &node.kind else {
            if node.kind != Kind::Null {
                let (vi, en) = node.describe();
                self.push(
                    node.pos,
                    text!(
                        format!("“{what}” phải là một khối “khóa: giá trị”, không phải {vi}"),
                        format!("“{what}” must be a “key: value” block, not {en}")
                    ),
                    text!(
                        "Viết các dòng “khóa: giá trị” thụt lề bên dưới, như tệp mẫu data/ke-hoach-05-nq-du.yaml.",
                        "Write indented “key: value” lines below it, as in data/ke-hoach-05-nq-du.yaml."
                    ),
                );
            }
            return None;
        };
        let mut kept: Vec<(&Key, &Node)> = Vec::with_capacity(entries.len());
        let mut unknown = Vec::new();
        for (key, value) in entries {
            if kept.iter().any(|(k, _)| k.name == key.name) {
                self.push(
                    key.pos,
                    text!(
                        format!("khóa “{}” bị lặp lại trong cùng một khối", key.name),
                        format!("key “{}” appears twice in the same block", key.name)
                    ),
                    text!(
                        "Xóa hoặc gộp một trong hai dòng trùng nhau.",
                        "Remove or merge one of the two duplicate lines."
                    ),
                );
                continue;
            }
            if !allowed.contains(&key.name.as_str()) {
                self.unknown_field(key, what, allowed);
                unknown.push(key.name.as_str());
                continue;
            }
            kept.push((key, value));
        }
        Some(Fields {
            entries: kept,
            unknown,
            owner: owner.or(node.pos),
        })
    }

    fn unknown_field(&mut self, key: &Key, what: &str, allowed: &[&str]) {
        let list = allowed.join(", ");
        let hint = match closest(&key.name, allowed.iter().copied()) {
            Some(s) => text!(
                format!("Có phải ý bạn là “{s}”? Các trường hợp lệ trong “{what}”: {list}."),
                format!("Did you mean “{s}”? Valid fields in “{what}”: {list}.")
            ),
            None => text!(
                format!("Các trường hợp lệ trong “{what}”: {list}."),
                format!("Valid fields in “{what}”: {list}.")
            ),
        };
        self.push(
            key.pos,
            text!(
                format!("trường không hợp lệ “{}”", key.name),
                format!("unknown field “{}”", key.name)
            ),
            hint,
        );
    }

    pub(super) fn missing(&mut self, fields: &Fields, name: &str, what: &str) {
        if fields
            .unknown
            .iter()
            .any(|u| closest(u, std::iter::once(name)).is_some())
        {
            return; // already reported as “did you mean {name}?”
        }
        self.push(
            fields.owner,
            text!(
                format!("“{what}” thiếu trường bắt buộc “{name}”"),
                format!("“{what}” lacks the required field “{name}”")
            ),
            text!(
                format!("Thêm dòng “{name}: …” vào khối “{what}”."),
                format!("Add a line “{name}: …” to the “{what}” block.")
            ),
        );
    }

    /// A text value; lists and blocks are type errors. Warns when the text was not NFC.
    pub(super) fn text(&mut self, node: &Node, name: &str) -> Option<String> {
        match &node.kind {
            Kind::Null => None,
            Kind::Scalar(s, _) => {
                self.check_characters(node, s, name);
                if !unicode_normalization::is_nfc(s) {
                    self.warn(
                        node.pos,
                        text!(
                            format!("“{name}” có chữ chưa dựng sẵn (không phải NFC); phuluc đã tự chuẩn hóa"),
                            format!("“{name}” has decomposed text (not NFC); phuluc normalised it")
                        ),
                        text!(
                            "Không cần làm gì; muốn tệp sạch thì gõ lại đoạn này hoặc lưu bằng bảng mã Unicode dựng sẵn.",
                            "Nothing to do; to tidy the file, retype this text or save it as precomposed Unicode."
                        ),
                    );
                }
                let t = clean(s);
                (!t.is_empty()).then_some(t)
            }
            Kind::Seq(_) | Kind::Map(_) => {
                let (vi, en) = node.describe();
                self.push(
                    node.pos,
                    text!(
                        format!("“{name}” phải là văn bản, không phải {vi}"),
                        format!("“{name}” must be text, not {en}")
                    ),
                    text!(
                        format!("Ghi “{name}: …” trên một dòng, hoặc dùng “>-” cho đoạn dài."),
                        format!("Write “{name}: …” on one line, or use “>-” for long text.")
                    ),
                );
                None
            }
        }
    }

    /// Warns about control characters and legacy-encoded text in a scalar.
    fn check_characters(&mut self, node: &Node, s: &str, name: &str) {
        if let Some(c) = s.trim().chars().find(|c| is_control(*c)) {
            let (vi, en) = match c {
                '\u{B}' | '\u{C}' => ("xuống dòng", "a line break"),
                _ => ("dấu cách", "a space"),
            };
            self.warn(
                node.pos,
                text!(
                    format!("“{name}” có ký tự điều khiển U+{:04X} (thường do dán từ Word); phuluc thay bằng {vi}", u32::from(c)),
                    format!("“{name}” has the control character U+{:04X} (usually pasted from Word); phuluc writes {en} instead", u32::from(c))
                ),
                text!(
                    "Xóa ký tự đó trong tệp (nó không hiện trên màn hình) hoặc gõ lại đoạn văn.",
                    "Delete the character (it is invisible) or retype the text."
                ),
            );
        }
        if let Some(legacy) = legacy_encoding(s) {
            let file = self.path.display();
            let fixed = legacy.decode(s);
            let sample: String = fixed.chars().take(40).collect();
            self.warn(
                node.pos,
                text!(
                    format!("“{name}” có vẻ được gõ bằng bảng mã {} cũ, không phải Unicode (đọc đúng là: “{sample}…”)", legacy.flag().to_uppercase()),
                    format!("“{name}” looks typed in the old {} encoding, not Unicode (it reads: “{sample}…”)", legacy.flag().to_uppercase())
                ),
                text!(
                    format!("Chạy: phuluc fix-encoding {file} --from {} -o {file}.moi (xem lại rồi thay tệp cũ).", legacy.flag()),
                    format!("Run: phuluc fix-encoding {file} --from {} -o {file}.new (review it, then replace the old file).", legacy.flag())
                ),
            );
        }
    }

    pub(super) fn required_text(&mut self, fields: &Fields, name: &str, what: &str) -> String {
        match fields.get(name) {
            None => {
                self.missing(fields, name, what);
                String::new()
            }
            Some(node) => match self.text(node, name) {
                Some(t) => t,
                None => {
                    if node.kind == Kind::Null {
                        self.push(
                            node.pos,
                            text!(
                                format!("trường “{name}” đang để trống"),
                                format!("field “{name}” is empty")
                            ),
                            text!(
                                "Điền giá trị, ví dụ như tệp mẫu data/ke-hoach-05-nq-du.yaml.",
                                "Fill it in, as in the example data/ke-hoach-05-nq-du.yaml."
                            ),
                        );
                    }
                    String::new()
                }
            },
        }
    }

    pub(super) fn optional_text(&mut self, fields: &Fields, name: &str) -> Option<String> {
        fields.get(name).and_then(|n| self.text(n, name))
    }

    /// A whole number in `range`.
    pub(super) fn number(
        &mut self,
        node: &Node,
        name: &str,
        range: std::ops::RangeInclusive<u32>,
    ) -> Option<u32> {
        let parsed = match &node.kind {
            Kind::Scalar(s, ScalarType::Int | ScalarType::Str) => s.trim().parse::<u32>().ok(),
            Kind::Null => return None,
            _ => None,
        };
        match parsed {
            Some(n) if range.contains(&n) => Some(n),
            _ => {
                let shown = match &node.kind {
                    Kind::Scalar(s, _) => s.clone(),
                    _ => node.describe().0.to_owned(),
                };
                self.push(
                    node.pos,
                    text!(
                        format!(
                            "“{name}” phải là một số từ {} đến {}, không phải “{shown}”",
                            range.start(),
                            range.end()
                        ),
                        format!(
                            "“{name}” must be a number from {} to {}, not “{shown}”",
                            range.start(),
                            range.end()
                        )
                    ),
                    text!(
                        format!("Ví dụ: “{name}: {}”.", (*range.end()).min(2026)),
                        format!("For example: “{name}: {}”.", (*range.end()).min(2026))
                    ),
                );
                None
            }
        }
    }

    /// An amount: a YAML integer or decimal number, read exactly from its text. A string
    /// ("1.250.000", "12,5"), a boolean, `.inf` or `.nan` is an error at its position.
    pub(super) fn amount(
        &mut self,
        node: &Node,
        s: &str,
        t: ScalarType,
        name: &str,
    ) -> Option<Decimal> {
        let parsed = match (&node.kind, t) {
            (Kind::Scalar(..), ScalarType::Int | ScalarType::Float) => parse_decimal(s),
            _ => None,
        };
        if parsed.is_none() {
            let (shown, shown_en) = shown(node);
            self.push(
                node.pos,
                text!(
                    format!("cột “{name}” nhận một con số, không phải {shown}"),
                    format!("column “{name}” takes a number, not {shown_en}")
                ),
                text!(
                    "Ghi số không có dấu ngoặc kép, không có dấu ngăn cách hàng nghìn, dùng dấu chấm cho phần thập phân: 1250000 hoặc 12.5 (phuluc in ra 1.250.000 và 12,5).",
                    "Write the number without quotes or thousands separators, with a point for decimals: 1250000 or 12.5 (phuluc prints 1.250.000 and 12,5)."
                ),
            );
        }
        parsed
    }

    /// A date: a YAML date `YYYY-MM-DD` of a day that exists.
    pub(super) fn date(&mut self, node: &Node, s: &str, name: &str) -> Option<Date> {
        let parsed = match &node.kind {
            Kind::Scalar(..) => parse_date(s.trim()),
            _ => None,
        };
        if parsed.is_none() {
            let (shown, shown_en) = shown(node);
            self.push(
                node.pos,
                text!(
                    format!("cột “{name}” nhận một ngày có thật dạng YYYY-MM-DD, không phải {shown}"),
                    format!("column “{name}” takes a real date as YYYY-MM-DD, not {shown_en}")
                ),
                text!(
                    "Ví dụ: 2026-06-30 (phuluc in ra 30/06/2026); kiểm tra ngày có trong tháng (không có 31/4, 30/2).",
                    "For example: 2026-06-30 (printed 30/06/2026); check the day exists in its month (no 31 April, no 30 February)."
                ),
            );
        }
        parsed
    }

    /// A list node; `~` is an empty list; anything else is a type error.
    pub(super) fn seq<'n>(&mut self, node: &'n Node, name: &str) -> &'n [Node] {
        match &node.kind {
            Kind::Seq(items) => items,
            Kind::Null => &[],
            _ => {
                let (vi, en) = node.describe();
                self.push(
                    node.pos,
                    text!(
                        format!("“{name}” phải là một danh sách (các dòng “- …”), không phải {vi}"),
                        format!("“{name}” must be a list (“- …” lines), not {en}")
                    ),
                    text!(
                        format!("Viết mỗi phần tử của “{name}” trên một dòng bắt đầu bằng “- ”."),
                        format!("Write each entry of “{name}” on a line starting with “- ”.")
                    ),
                );
                &[]
            }
        }
    }
}

/// How a value that was not what its field takes is named in a message, Vietnamese and
/// English: a scalar as written, in quotes; anything else by what it is ("một danh sách").
fn shown(node: &Node) -> (String, String) {
    match &node.kind {
        Kind::Scalar(s, _) => (format!("“{s}”"), format!("“{s}”")),
        _ => {
            let (vi, en) = node.describe();
            (vi.to_owned(), en.to_owned())
        }
    }
}

/// Reads a YAML number's text exactly: `1250000`, `-3`, `12.5`, `+0.125`, `1.5e3`.
/// Infinities, NaN and anything else are `None`.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-.eE+".contains(&b))
    {
        return None;
    }
    if s.contains(['e', 'E']) {
        Decimal::from_scientific(s).ok()
    } else {
        Decimal::from_str_exact(s).ok()
    }
}

/// Parses `YYYY-MM-DD`, checking the day exists.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.split('-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1900..=2999).contains(&year) {
        return None;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then_some(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            parse_date("2026-02-05"),
            Some(Date {
                year: 2026,
                month: 2,
                day: 5
            })
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2024-02-29").map(|d| d.day), Some(29));
        assert_eq!(parse_date("15/04/2026"), None);
    }

    #[test]
    fn control_characters_become_breaks_or_spaces() {
        assert_eq!(
            clean("Dòng một\u{B}dòng hai\u{7}x\tz"),
            "Dòng một\ndòng hai x z"
        );
    }

    #[test]
    fn clean_makes_nfc() {
        let nfd = "Vie\u{0302}\u{0323}t";
        assert_eq!(clean(nfd), "Việt");
    }
}
