//! Validation: raw file types → a clean [`Plan`], with every problem found at once.
//!
//! Contract: `validate` never stops at the first problem; it returns the plan it could
//! build plus all diagnostics, and the caller refuses to write anything when one is an
//! error. Row fields are checked against what the appendix's template declares (given by
//! a [`FieldsLookup`], so the model does not depend on the template machinery). All text
//! is NFC-normalised and trimmed here, once.

use std::collections::BTreeMap;
use std::path::Path;

use serde_saphyr::{Location, Spanned};
use unicode_normalization::UnicodeNormalization;

use super::schema::{AppendixSrc, FileSrc, GroupSrc, ItemSrc, PlanSrc, Scalar, SectionSrc, Value};
use super::{Appendix, Date, Field, Group, Item, Plan, PlanMeta, Section};
use crate::diag::{Diagnostic, Pos, closest};
use crate::text;

/// How a row field's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One text.
    Text,
    /// A list of names (agencies), shown joined with ", ".
    List,
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

/// Keys every row may carry besides its template's fields.
const RESERVED_ROW_KEYS: [&str; 2] = ["number", "id"];

/// Validates a parsed file. Returns the plan and all diagnostics (errors and warnings).
pub fn validate(src: &FileSrc, path: &Path, lookup: &dyn FieldsLookup) -> (Plan, Vec<Diagnostic>) {
    let mut v = Validator {
        path,
        lookup,
        diags: Vec::new(),
    };
    let plan = v.file(src);
    (plan, v.diags)
}

struct Validator<'a> {
    path: &'a Path,
    lookup: &'a dyn FieldsLookup,
    diags: Vec<Diagnostic>,
}

/// The 1-based position of a spanned value.
pub fn pos_of(loc: Location) -> Option<Pos> {
    (loc.line() > 0).then(|| Pos {
        line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
        column: u32::try_from(loc.column()).unwrap_or(u32::MAX).max(1),
    })
}

fn pos<T>(s: &Spanned<T>) -> Option<Pos> {
    pos_of(s.referenced)
}

/// NFC-normalises and trims text.
pub fn clean(s: &str) -> String {
    let t = s.trim();
    if unicode_normalization::is_nfc(t) {
        t.to_owned()
    } else {
        t.nfc().collect()
    }
}

fn clean_opt(s: &Option<Spanned<Scalar>>) -> Option<String> {
    s.as_ref()
        .map(|s| clean(&s.value.0))
        .filter(|s| !s.is_empty())
}

impl Validator<'_> {
    fn error(&mut self, at: Option<Pos>, message: crate::diag::Text, hint: crate::diag::Text) {
        self.diags.push(
            Diagnostic::error(message)
                .in_file(self.path)
                .at(at)
                .hint(hint),
        );
    }

    fn file(&mut self, src: &FileSrc) -> Plan {
        if let Some(version) = &src.version
            && version.value != 1
        {
            self.error(
                pos(version),
                text!(
                    format!("phiên bản định dạng {} không được hỗ trợ", version.value),
                    format!("format version {} is not supported", version.value)
                ),
                text!(
                    "Ghi “version: 1” hoặc cập nhật phuluc.",
                    "Write “version: 1” or update phuluc."
                ),
            );
        }
        let meta = self.plan(&src.plan);
        if src.appendices.value.is_empty() {
            self.error(
                pos(&src.appendices),
                text!("kế hoạch chưa có phụ lục nào", "the plan has no appendix"),
                text!(
                    "Thêm ít nhất một mục “- template: …” dưới “appendices:”.",
                    "Add at least one “- template: …” entry under “appendices:”."
                ),
            );
        }
        let appendices = src
            .appendices
            .value
            .iter()
            .map(|a| self.appendix(a))
            .collect();
        Plan { meta, appendices }
    }

    fn plan(&mut self, p: &Spanned<PlanSrc>) -> PlanMeta {
        let src = &p.value;
        let date = src.date.as_ref().and_then(|d| {
            let raw = clean(&d.value.0);
            if raw.is_empty() {
                return None;
            }
            let parsed = parse_date(&raw);
            if parsed.is_none() {
                self.error(
                    pos(d),
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
            parsed
        });
        let mut year = src.year.as_ref().map(|y| y.value);
        if let (Some(d), Some(y)) = (date, &src.year)
            && d.year != y.value
        {
            self.error(
                pos(y),
                text!(
                    format!("năm {} khác với năm của ngày ký ({})", y.value, d.year),
                    format!(
                        "year {} differs from the signing date's year ({})",
                        y.value, d.year
                    )
                ),
                text!(
                    "Sửa “year” cho khớp với “date”, hoặc bỏ “year” khi đã có ngày.",
                    "Make “year” match “date”, or drop “year” when a date is given."
                ),
            );
        }
        if year.is_none() {
            year = date.map(|d| d.year);
        }
        for (name, value) in [
            ("kind", &src.kind),
            ("symbol", &src.symbol),
            ("issuer", &src.issuer),
        ] {
            if clean(&value.value).is_empty() {
                self.error(
                    pos(value),
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
        }
        PlanMeta {
            kind: clean(&src.kind.value),
            number: clean_opt(&src.number),
            symbol: clean(&src.symbol.value),
            date,
            year,
            issuer: clean(&src.issuer.value),
        }
    }

    fn appendix(&mut self, a: &Spanned<AppendixSrc>) -> Appendix {
        let src = &a.value;
        let kind = clean(&src.template.value);
        let fields = self.lookup.row_fields(&kind);
        if fields.is_none() {
            let kinds = self.lookup.kinds();
            let list = kinds.join(", ");
            let hint = match closest(&kind, kinds.iter().map(String::as_str)) {
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
            self.error(
                pos(&src.template),
                text!(
                    format!("không có mẫu phụ lục “{kind}”"),
                    format!("no appendix template “{kind}”")
                ),
                hint,
            );
        }
        let fields = fields.unwrap_or_default();
        let bodies = [
            src.sections.is_some(),
            src.groups.is_some(),
            src.items.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if bodies != 1 {
            self.error(
                pos(a),
                if bodies == 0 {
                    text!(
                        "phụ lục chưa có nội dung bảng",
                        "the appendix has no table body"
                    )
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
        let sections = if let Some(sections) = &src.sections {
            sections.iter().map(|s| self.section(s, &fields)).collect()
        } else if let Some(groups) = &src.groups {
            vec![Section {
                id: None,
                number: None,
                heading: None,
                groups: groups.iter().map(|g| self.group(g, &fields)).collect(),
                implicit: true,
                pos: pos(a),
            }]
        } else {
            let items = src.items.as_deref().unwrap_or_default();
            vec![Section {
                id: None,
                number: None,
                heading: None,
                groups: vec![self.implicit_group(items, &fields, pos(a))],
                implicit: true,
                pos: pos(a),
            }]
        };
        Appendix {
            template: kind,
            number: clean_opt(&src.number),
            title: clean(&src.title.value),
            sections,
            pos: pos(a),
        }
    }

    fn implicit_group(
        &mut self,
        items: &[Spanned<ItemSrc>],
        fields: &RowFields,
        at: Option<Pos>,
    ) -> Group {
        Group {
            id: None,
            number: None,
            heading: None,
            items: items.iter().map(|i| self.item(i, fields)).collect(),
            implicit: true,
            pos: at,
        }
    }

    fn section(&mut self, s: &Spanned<SectionSrc>, fields: &RowFields) -> Section {
        let src = &s.value;
        if src.groups.is_some() && src.items.is_some() {
            self.error(
                pos(s),
                text!(
                    "mục có cả “groups” và “items”",
                    "the section has both “groups” and “items”"
                ),
                text!(
                    "Giữ một trong hai: đưa các dòng vào một nhóm, hoặc bỏ cấp nhóm.",
                    "Keep one: put the rows into a group, or drop the group level."
                ),
            );
        }
        let groups = match (&src.groups, &src.items) {
            (Some(groups), _) => groups.iter().map(|g| self.group(g, fields)).collect(),
            (None, Some(items)) => vec![self.implicit_group(items, fields, pos(s))],
            (None, None) => Vec::new(),
        };
        Section {
            id: clean_opt(&src.id),
            number: clean_opt(&src.number),
            heading: src.heading.as_ref().map(|h| clean(&h.value)),
            groups,
            implicit: false,
            pos: pos(s),
        }
    }

    fn group(&mut self, g: &Spanned<GroupSrc>, fields: &RowFields) -> Group {
        let src = &g.value;
        Group {
            id: clean_opt(&src.id),
            number: clean_opt(&src.number),
            heading: src.heading.as_ref().map(|h| clean(&h.value)),
            items: src
                .items
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|i| self.item(i, fields))
                .collect(),
            implicit: false,
            pos: pos(g),
        }
    }

    fn item(&mut self, i: &Spanned<ItemSrc>, fields: &RowFields) -> Item {
        let mut item = Item {
            id: None,
            number: None,
            fields: BTreeMap::new(),
            pos: pos(i),
        };
        for (key, value) in &i.value.entries {
            let name = key.value.as_str();
            if RESERVED_ROW_KEYS.contains(&name) {
                let text = match &value.value {
                    Value::Text(t) => Some(clean(t)),
                    Value::Null => None,
                    _ => {
                        self.error(
                            pos(value),
                            text!(
                                format!("“{name}” phải là một giá trị đơn"),
                                format!("“{name}” must be a single value")
                            ),
                            text!(
                                format!("Ghi “{name}: 4.1” trên một dòng."),
                                format!("Write “{name}: 4.1” on one line.")
                            ),
                        );
                        None
                    }
                };
                let text = text.filter(|t| !t.is_empty());
                if name == "id" {
                    item.id = text;
                } else {
                    item.number = text;
                }
                continue;
            }
            let Some(kind) = fields.kind(name) else {
                if fields.fields.is_empty() {
                    continue; // unknown template: already reported once
                }
                let names: Vec<&str> = fields.fields.iter().map(|(n, _)| n.as_str()).collect();
                let list = names.join(", ");
                let hint = match closest(name, names.iter().copied()) {
                    Some(s) => text!(
                        format!("Có phải ý bạn là “{s}”? Các cột của mẫu này: {list}."),
                        format!("Did you mean “{s}”? This template's columns: {list}.")
                    ),
                    None => text!(
                        format!("Các cột của mẫu này: {list} (và number, id)."),
                        format!("This template's columns: {list} (and number, id).")
                    ),
                };
                self.error(
                    pos(key),
                    text!(
                        format!("trường không hợp lệ “{name}” trong dòng"),
                        format!("unknown field “{name}” in the row")
                    ),
                    hint,
                );
                continue;
            };
            let field = match (&value.value, kind) {
                (Value::Null, _) => None,
                (Value::Text(t), FieldKind::Text) => Some(Field::Text(clean(t))),
                // One agency may be written without the list dash; a comma is never split.
                (Value::Text(t), FieldKind::List) => Some(Field::List(vec![clean(t)])),
                (Value::List(l), FieldKind::List) => Some(Field::List(
                    l.iter()
                        .map(|s| clean(s))
                        .filter(|s| !s.is_empty())
                        .collect(),
                )),
                (Value::List(_), FieldKind::Text) => {
                    self.error(
                        pos(value),
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
                (Value::Nested, _) => {
                    self.error(
                        pos(value),
                        text!(
                            format!("giá trị của “{name}” lồng nhiều cấp"),
                            format!("the value of “{name}” is nested")
                        ),
                        text!(
                            "Ghi văn bản, hoặc danh sách mỗi dòng “- tên cơ quan”.",
                            "Write a text, or a list with one “- agency name” per line."
                        ),
                    );
                    None
                }
            };
            if let Some(field) = field {
                item.fields.insert(name.to_owned(), field);
            }
        }
        item
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
    fn clean_makes_nfc() {
        let nfd = "Vie\u{0302}\u{0323}t";
        assert_eq!(clean(nfd), "Việt");
    }
}
