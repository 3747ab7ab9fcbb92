//! Validation: the YAML tree → a clean [`Plan`], with every problem found at once.
//!
//! Contract: `validate` never stops at the first problem; it walks the whole tree and
//! returns the plan it could build plus all diagnostics — unknown fields (with "did you
//! mean"), duplicate keys, missing fields, wrong types, bad dates — each at its
//! line:column. The caller refuses to write anything when one is an error. Row fields are
//! checked against what the appendix's template declares (given by a [`FieldsLookup`], so
//! the model does not depend on the template machinery). All text is NFC-normalised and
//! trimmed here, once; text that was not NFC is reported as a warning.

use std::collections::BTreeMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use super::Decimal;
use super::tree::{Key, Kind, Node, ScalarType};
use super::{Appendix, Date, Field, Group, Item, Origins, Plan, PlanMeta, Section};
use crate::diag::{Diagnostic, Pos, Text, closest};
use crate::text;

/// How a row field's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One text.
    Text,
    /// A list of names (agencies), shown joined with ", ".
    List,
    /// A number written as a YAML number (`1250000`, `12.5`), kept exact.
    Amount,
    /// A YAML date (`2026-06-30`) that exists.
    Date,
    /// A YAML number meaning per cent (`12.5` is 12,5 %).
    Percent,
}

/// The row fields a template declares, in column order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowFields {
    /// Field name and kind.
    pub fields: Vec<(String, FieldKind)>,
}

impl RowFields {
    fn kind(&self, name: &str) -> Option<FieldKind> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, k)| *k)
    }
}

/// Where validation learns which templates exist and what fields their rows take.
pub trait FieldsLookup {
    /// The row fields of template `kind`, or `None` when there is no such template.
    fn row_fields(&self, kind: &str) -> Option<RowFields>;
    /// The names of all known templates (for "did you mean").
    fn kinds(&self) -> Vec<String>;
}

/// Keys of the file's top level.
pub const ROOT_KEYS: [&str; 4] = ["version", "plan", "agencies", "appendices"];
/// Keys of `plan:`.
pub const PLAN_KEYS: [&str; 6] = ["kind", "number", "symbol", "date", "year", "issuer"];
/// Keys of an appendix.
pub const APPENDIX_KEYS: [&str; 7] = [
    "id", "template", "number", "title", "sections", "groups", "items",
];
/// Keys of a section.
pub const SECTION_KEYS: [&str; 5] = ["id", "number", "heading", "groups", "items"];
/// Keys of a group.
pub const GROUP_KEYS: [&str; 4] = ["id", "number", "heading", "items"];
/// Keys every row may carry besides its template's fields.
pub const ROW_KEYS: [&str; 2] = ["number", "id"];

/// Validates a parsed file. Returns the plan and all diagnostics (errors and warnings).
pub fn validate(root: &Node, path: &Path, lookup: &dyn FieldsLookup) -> (Plan, Vec<Diagnostic>) {
    let mut v = Validator {
        path,
        lookup,
        diags: Vec::new(),
    };
    let plan = v.file(root);
    (plan, v.diags)
}

struct Validator<'a> {
    path: &'a Path,
    lookup: &'a dyn FieldsLookup,
    diags: Vec<Diagnostic>,
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

/// Which legacy Vietnamese encoding a text looks like, if any: text typed with a
/// TCVN3 (ABC) or VNI font and pasted as if it were Unicode.
pub fn legacy_encoding(s: &str) -> Option<Legacy> {
    // Characters no Vietnamese word uses, which those encodings put in place of its
    // letters: TCVN3 uses the Latin-1 symbols block, VNI puts umlauted letters after a
    // plain vowel ("Vieät").
    // `matches!` rather than `str::contains`: this runs on every text of the plan, and a
    // jump table is several times faster than scanning a string per character.
    fn tcvn3_symbol(c: char) -> bool {
        matches!(
            c,
            '¸' | 'µ'
                | '¶'
                | '·'
                | '¹'
                | '¨'
                | '©'
                | 'ª'
                | '«'
                | '¬'
                | '®'
                | '¯'
                | '°'
                | '±'
                | '²'
                | '³'
                | '´'
                | '½'
                | '¾'
                | '¼'
                | 'ß'
                | 'Þ'
                | 'ø'
                | 'æ'
                | 'ç'
                | 'Æ'
                | 'Ç'
                | '×'
                | '¡'
                | '¢'
                | '£'
                | '¤'
                | '¥'
                | '¦'
                | '§'
        )
    }
    fn vni_mark(c: char) -> bool {
        matches!(
            c,
            'ä' | 'ë' | 'ï' | 'ö' | 'ü' | 'å' | 'Ä' | 'Ë' | 'Ï' | 'Ö' | 'Ü' | 'Å' | 'ø' | 'Õ'
        )
    }
    fn plain_vowel(c: char) -> bool {
        matches!(
            c,
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'A' | 'E' | 'I' | 'O' | 'U' | 'Y'
        )
    }
    // Every such character is in Latin-1 Supplement (two UTF-8 bytes led by 0xC2 or 0xC3);
    // most Vietnamese text has few of them, so one byte scan settles most texts.
    if !s.bytes().any(|b| b == 0xC2 || b == 0xC3) {
        return None;
    }
    let tcvn3 = s.chars().filter(|&c| tcvn3_symbol(c)).count();
    let vni = s
        .chars()
        .zip(s.chars().skip(1))
        .filter(|&(a, b)| plain_vowel(a) && vni_mark(b))
        .count();
    if tcvn3 == 0 && vni == 0 {
        None
    } else if tcvn3 >= vni {
        Some(Legacy::Tcvn3)
    } else {
        Some(Legacy::Vni)
    }
}

/// A legacy Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN3 (ABC), fonts named .VnTime etc.
    Tcvn3,
    /// VNI Windows, fonts named VNI-Times etc.
    Vni,
}

impl Legacy {
    /// The name `fix-encoding --from` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "tcvn3",
            Legacy::Vni => "vni",
        }
    }

    /// Converts text in this encoding to Unicode (NFC).
    pub fn decode(self, s: &str) -> String {
        let charset = match self {
            Legacy::Tcvn3 => bamboo_core::Charset::Tcvn3,
            Legacy::Vni => bamboo_core::Charset::VniWindows,
        };
        bamboo_core::decode_charset(charset, s).nfc().collect()
    }
}

/// The fields of one mapping, after unknown and duplicate keys were reported.
struct Fields<'n> {
    entries: Vec<(&'n Key, &'n Node)>,
    /// Keys that were reported as unknown (a misspelt required key is reported once,
    /// as the misspelling, not again as missing).
    unknown: Vec<&'n str>,
    /// Where to point when a field is missing: the key that names this block, or the
    /// block itself.
    owner: Option<Pos>,
}

impl<'n> Fields<'n> {
    fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, n)| *n)
    }

    /// Where each kept key's value is: the value as written, or the key where the value
    /// is empty.
    fn origins(&self) -> Origins {
        self.entries
            .iter()
            .filter_map(|(k, n)| Some((k.name.clone(), n.origin.or(k.origin)?)))
            .collect()
    }
}

impl Validator<'_> {
    fn push(&mut self, at: Option<Pos>, message: Text, hint: Text) {
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
    fn fields<'n>(
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

    fn missing(&mut self, fields: &Fields, name: &str, what: &str) {
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
    fn text(&mut self, node: &Node, name: &str) -> Option<String> {
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

    fn required_text(&mut self, fields: &Fields, name: &str, what: &str) -> String {
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

    fn optional_text(&mut self, fields: &Fields, name: &str) -> Option<String> {
        fields.get(name).and_then(|n| self.text(n, name))
    }

    /// A whole number in `range`.
    fn number(
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
    fn amount(&mut self, node: &Node, s: &str, t: ScalarType, name: &str) -> Option<Decimal> {
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
    fn date(&mut self, node: &Node, s: &str, name: &str) -> Option<Date> {
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
    fn seq<'n>(&mut self, node: &'n Node, name: &str) -> &'n [Node] {
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

    fn file(&mut self, root: &Node) -> Plan {
        let empty = Plan {
            meta: PlanMeta::default(),
            agencies: Vec::new(),
            appendices: Vec::new(),
        };
        if root.kind == Kind::Null {
            // Only comments, a bare “---” or “~”: YAML's empty document. Without this,
            // no rule below would fire and the plan would pass with nothing to render.
            self.push(
                root.pos.or(Some(Pos { line: 1, column: 1 })),
                text!(
                    "tệp không có nội dung (chỉ có chú thích, “---” hoặc “~”)",
                    "the file has no content (only comments, “---” or “~”)"
                ),
                text!(
                    "Bắt đầu từ tệp mẫu data/ke-hoach-05-nq-du.yaml (xem README): cần “version”, “plan” và “appendices”.",
                    "Start from the example data/ke-hoach-05-nq-du.yaml (see README): it needs “version”, “plan” and “appendices”."
                ),
            );
            return empty;
        }
        let Some(fields) = self.fields(root, "tệp", None, &ROOT_KEYS) else {
            return empty;
        };
        if let Some(version) = fields.get("version")
            && !matches!(&version.kind, Kind::Scalar(v, _) if v.trim() == "1")
        {
            let shown = match &version.kind {
                Kind::Scalar(v, _) => v.clone(),
                _ => version.describe().0.to_owned(),
            };
            self.push(
                version.pos,
                text!(
                    format!("phiên bản định dạng “{shown}” không được hỗ trợ"),
                    format!("format version “{shown}” is not supported")
                ),
                text!(
                    "Ghi “version: 1” hoặc cập nhật phuluc.",
                    "Write “version: 1” or update phuluc."
                ),
            );
        }
        let meta = match fields.get("plan") {
            Some(plan) => self.plan(
                plan,
                fields
                    .entries
                    .iter()
                    .find(|(k, _)| k.name == "plan")
                    .and_then(|(k, _)| k.pos),
            ),
            None => {
                self.missing(&fields, "plan", "tệp");
                empty.meta.clone()
            }
        };
        let agencies = match fields.get("agencies") {
            Some(node) => self
                .seq(node, "agencies")
                .iter()
                .filter_map(|n| self.text(n, "agencies"))
                .collect(),
            None => Vec::new(),
        };
        let appendices = match fields.get("appendices") {
            Some(node) => {
                let list = self.seq(node, "appendices");
                if list.is_empty() && matches!(node.kind, Kind::Seq(_) | Kind::Null) {
                    self.push(
                        node.pos,
                        text!("kế hoạch chưa có phụ lục nào", "the plan has no appendix"),
                        text!(
                            "Thêm ít nhất một mục “- template: …” dưới “appendices:”.",
                            "Add at least one “- template: …” entry under “appendices:”."
                        ),
                    );
                }
                list.iter().map(|a| self.appendix(a)).collect()
            }
            None => {
                self.missing(&fields, "appendices", "tệp");
                Vec::new()
            }
        };
        Plan {
            meta,
            agencies,
            appendices,
        }
    }

    fn plan(&mut self, node: &Node, key_pos: Option<Pos>) -> PlanMeta {
        let mut meta = PlanMeta::default();
        let Some(fields) = self.fields(node, "plan", key_pos, &PLAN_KEYS) else {
            if node.kind == Kind::Null {
                self.push(
                    key_pos,
                    text!("“plan” đang để trống", "“plan” is empty"),
                    text!(
                        "Điền kind, symbol, issuer… như tệp mẫu data/ke-hoach-05-nq-du.yaml.",
                        "Fill in kind, symbol, issuer… as in data/ke-hoach-05-nq-du.yaml."
                    ),
                );
            }
            return meta;
        };
        meta.kind = self.required_text(&fields, "kind", "plan");
        meta.symbol = self.required_text(&fields, "symbol", "plan");
        meta.issuer = self.required_text(&fields, "issuer", "plan");
        meta.number = self.optional_text(&fields, "number");
        if let Some(d) = fields.get("date")
            && let Some(raw) = self.text(d, "date")
        {
            meta.date = parse_date(&raw);
            if meta.date.is_none() {
                self.push(
                    d.pos,
                    text!(
                        format!("ngày không hợp lệ “{raw}”"),
                        format!("invalid date “{raw}”")
                    ),
                    text!(
                        "Ghi ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-04-15; để trống (~) khi chưa ký.",
                        "Write the date as YEAR-MONTH-DAY, e.g. 2026-04-15; leave it empty (~) until signed."
                    ),
                );
            }
        }
        if let Some(y) = fields.get("year") {
            meta.year = self
                .number(y, "year", 1900..=2999)
                .and_then(|y| u16::try_from(y).ok());
            if let (Some(d), Some(year)) = (meta.date, meta.year)
                && d.year != year
            {
                self.push(
                    y.pos,
                    text!(
                        format!("năm {year} khác với năm của ngày ký ({})", d.year),
                        format!(
                            "year {year} differs from the signing date's year ({})",
                            d.year
                        )
                    ),
                    text!(
                        "Sửa “year” cho khớp với “date”, hoặc bỏ “year” khi đã có ngày.",
                        "Make “year” match “date”, or drop “year” when a date is given."
                    ),
                );
            }
        }
        if meta.year.is_none() {
            meta.year = meta.date.map(|d| d.year);
        }
        meta
    }

    fn appendix(&mut self, node: &Node) -> Appendix {
        let mut appendix = Appendix {
            template: String::new(),
            number: None,
            title: String::new(),
            sections: Vec::new(),
            origin: node.origin,
        };
        let Some(fields) = self.fields(node, "appendices", node.pos, &APPENDIX_KEYS) else {
            return appendix;
        };
        appendix.template = self.required_text(&fields, "template", "appendices");
        appendix.number = self.optional_text(&fields, "number");
        appendix.title = self.required_text(&fields, "title", "appendices");
        let row_fields = if appendix.template.is_empty() {
            None
        } else {
            let found = self.lookup.row_fields(&appendix.template);
            if found.is_none() {
                self.unknown_template(
                    &appendix.template,
                    fields.get("template").and_then(|n| n.pos),
                );
            }
            found
        };
        let bodies: Vec<&str> = ["sections", "groups", "items"]
            .into_iter()
            .filter(|k| fields.get(k).is_some())
            .collect();
        if bodies.len() != 1 {
            self.push(
                node.pos,
                if bodies.is_empty() {
                    text!("phụ lục chưa có nội dung bảng", "the appendix has no table body")
                } else {
                    text!(
                        "phụ lục có nhiều hơn một trong “sections”, “groups”, “items”",
                        "the appendix has more than one of “sections”, “groups”, “items”"
                    )
                },
                text!(
                    "Dùng đúng một khóa: “sections:” (có mục La Mã), “groups:” (chỉ có nhóm) hoặc “items:” (chỉ có dòng).",
                    "Use exactly one key: “sections:” (Roman sections), “groups:” (groups only) or “items:” (rows only)."
                ),
            );
        }
        let rows = row_fields.as_ref();
        appendix.sections = if let Some(sections) = fields.get("sections") {
            self.seq(sections, "sections")
                .iter()
                .map(|s| self.section(s, rows))
                .collect()
        } else if let Some(groups) = fields.get("groups") {
            vec![Section {
                id: None,
                number: None,
                heading: None,
                groups: self
                    .seq(groups, "groups")
                    .iter()
                    .map(|g| self.group(g, rows))
                    .collect(),
                implicit: true,
                origin: node.origin,
                key_origins: Origins::new(),
            }]
        } else if let Some(items) = fields.get("items") {
            let group = self.implicit_group(items, rows);
            vec![Section {
                id: None,
                number: None,
                heading: None,
                groups: vec![group],
                implicit: true,
                origin: node.origin,
                key_origins: Origins::new(),
            }]
        } else {
            Vec::new()
        };
        appendix
    }

    fn unknown_template(&mut self, kind: &str, at: Option<Pos>) {
        let kinds = self.lookup.kinds();
        let list = kinds.join(", ");
        let hint = match closest(kind, kinds.iter().map(String::as_str)) {
            Some(s) => text!(
                format!("Có phải ý bạn là “{s}”? Các mẫu hiện có: {list}."),
                format!("Did you mean “{s}”? Available templates: {list}.")
            ),
            None => text!(
                format!(
                    "Các mẫu hiện có: {list}. Mẫu mới là một thư mục trong templates/ (dùng --templates)."
                ),
                format!(
                    "Available templates: {list}. A new one is a folder under templates/ (use --templates)."
                )
            ),
        };
        self.push(
            at,
            text!(
                format!("không có mẫu phụ lục “{kind}”"),
                format!("no appendix template “{kind}”")
            ),
            hint,
        );
    }

    fn implicit_group(&mut self, items: &Node, rows: Option<&RowFields>) -> Group {
        Group {
            id: None,
            number: None,
            heading: None,
            items: self
                .seq(items, "items")
                .iter()
                .map(|i| self.item(i, rows))
                .collect(),
            implicit: true,
            origin: items.origin,
            key_origins: Origins::new(),
        }
    }

    fn section(&mut self, node: &Node, rows: Option<&RowFields>) -> Section {
        let mut section = Section {
            id: None,
            number: None,
            heading: None,
            groups: Vec::new(),
            implicit: false,
            origin: node.origin,
            key_origins: Origins::new(),
        };
        let Some(fields) = self.fields(node, "sections", node.pos, &SECTION_KEYS) else {
            return section;
        };
        section.key_origins = fields.origins();
        section.id = self.optional_text(&fields, "id");
        section.number = self.optional_text(&fields, "number");
        section.heading = self.optional_text(&fields, "heading");
        match (fields.get("groups"), fields.get("items")) {
            (Some(_), Some(_)) => self.push(
                node.pos,
                text!(
                    "mục có cả “groups” và “items”",
                    "the section has both “groups” and “items”"
                ),
                text!(
                    "Giữ một trong hai: đưa các dòng vào một nhóm, hoặc bỏ cấp nhóm.",
                    "Keep one: put the rows into a group, or drop the group level."
                ),
            ),
            (Some(groups), None) => {
                section.groups = self
                    .seq(groups, "groups")
                    .iter()
                    .map(|g| self.group(g, rows))
                    .collect();
            }
            (None, Some(items)) => section.groups = vec![self.implicit_group(items, rows)],
            (None, None) => {}
        }
        section
    }

    fn group(&mut self, node: &Node, rows: Option<&RowFields>) -> Group {
        let mut group = Group {
            id: None,
            number: None,
            heading: None,
            items: Vec::new(),
            implicit: false,
            origin: node.origin,
            key_origins: Origins::new(),
        };
        let Some(fields) = self.fields(node, "groups", node.pos, &GROUP_KEYS) else {
            return group;
        };
        group.key_origins = fields.origins();
        group.id = self.optional_text(&fields, "id");
        group.number = self.optional_text(&fields, "number");
        group.heading = self.optional_text(&fields, "heading");
        if let Some(items) = fields.get("items") {
            group.items = self
                .seq(items, "items")
                .iter()
                .map(|i| self.item(i, rows))
                .collect();
        }
        group
    }

    fn item(&mut self, node: &Node, rows: Option<&RowFields>) -> Item {
        let mut item = Item {
            id: None,
            number: None,
            fields: BTreeMap::new(),
            origin: node.origin,
            key_origins: Origins::new(),
        };
        // With an unknown template every key is unknown; that was reported once already.
        let Some(rows) = rows else { return item };
        let names: Vec<&str> = rows
            .fields
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(ROW_KEYS)
            .collect();
        let Some(fields) = self.fields(node, "items", node.pos, &names) else {
            return item;
        };
        item.key_origins = fields.origins();
        item.id = self.optional_text(&fields, "id");
        item.number = self.optional_text(&fields, "number");
        for (key, value) in &fields.entries {
            let name = key.name.as_str();
            let Some(kind) = rows.kind(name) else {
                continue;
            };
            let field = match (&value.kind, kind) {
                (Kind::Null, _) => None,
                (Kind::Scalar(..), FieldKind::Text) => self.text(value, name).map(Field::Text),
                // One agency may be written without the list dash; a comma is never split.
                (Kind::Scalar(..), FieldKind::List) => {
                    self.text(value, name).map(|t| Field::List(vec![t]))
                }
                (Kind::Seq(entries), FieldKind::List) => {
                    let mut list = Vec::with_capacity(entries.len());
                    for entry in entries {
                        match &entry.kind {
                            Kind::Map(_) | Kind::Seq(_) => {
                                self.push(
                                    entry.pos,
                                    text!(
                                        format!("mỗi phần tử của “{name}” phải là một tên cơ quan"),
                                        format!("each entry of “{name}” must be one agency name")
                                    ),
                                    text!(
                                        "Ghi mỗi cơ quan trên một dòng “- tên cơ quan”.",
                                        "Write one “- agency name” line per agency."
                                    ),
                                );
                            }
                            _ => list.extend(self.text(entry, name)),
                        }
                    }
                    Some(Field::List(list))
                }
                (Kind::Seq(_), FieldKind::Text) => {
                    self.push(
                        value.pos,
                        text!(
                            format!("cột “{name}” nhận một đoạn văn bản, không phải danh sách"),
                            format!("column “{name}” takes one text, not a list")
                        ),
                        text!(
                            format!("Ghi “{name}: …” trên một dòng, hoặc dùng “>-” cho đoạn dài."),
                            format!("Write “{name}: …” as one text, or use “>-” for long text.")
                        ),
                    );
                    None
                }
                (Kind::Scalar(s, t), FieldKind::Amount) => {
                    self.amount(value, s, *t, name).map(Field::Amount)
                }
                (Kind::Scalar(s, t), FieldKind::Percent) => {
                    self.amount(value, s, *t, name).map(Field::Percent)
                }
                (Kind::Scalar(s, _), FieldKind::Date) => self.date(value, s, name).map(Field::Date),
                (Kind::Seq(_) | Kind::Map(_), FieldKind::Amount | FieldKind::Percent) => self
                    .amount(value, "", ScalarType::Str, name)
                    .map(Field::Amount),
                (Kind::Seq(_) | Kind::Map(_), FieldKind::Date) => {
                    self.date(value, "", name).map(Field::Date)
                }
                (Kind::Map(_), _) => self.text(value, name).map(Field::Text),
            };
            if let Some(field) = field {
                item.fields.insert(name.to_owned(), field);
            }
        }
        item
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
    fn legacy_encodings_are_recognised_and_decoded() {
        assert_eq!(
            legacy_encoding("Céng hßa x· héi chñ nghÜa ViÖt Nam"),
            Some(Legacy::Tcvn3)
        );
        assert_eq!(Legacy::Tcvn3.decode("Céng hßa"), "Cộng hòa");
        assert_eq!(legacy_encoding("Vieät Nam"), Some(Legacy::Vni));
        assert_eq!(Legacy::Vni.decode("Vieät Nam"), "Việt Nam");
        assert_eq!(
            legacy_encoding("Cộng hòa xã hội chủ nghĩa Việt Nam; “Dân vận khéo”…"),
            None
        );
        assert_eq!(
            legacy_encoding("Phòng Văn hóa - Xã hội, Hằng năm, Ủy ban"),
            None
        );
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
