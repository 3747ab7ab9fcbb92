//! Validation: the YAML tree → a clean [`Plan`], with every problem found at once.
//!
//! Contract: `validate` never stops at the first problem; it walks the whole tree and
//! returns the plan it could build plus all diagnostics — unknown fields (with "did you
//! mean"), duplicate keys, missing fields, wrong types, bad dates — each at its
//! line:column. The caller refuses to write anything when one is an error. Row fields are
//! checked against what the appendix's template declares (given by a [`FieldsLookup`], so
//! the model does not depend on the template machinery). All text is NFC-normalised and
//! trimmed, once; text that was not NFC is reported as a warning.
//!
//! Here: the plan's structure — the file, `plan:`, appendices, sections, groups, rows.
//! Reading one mapping's keys and one value (and the validator's state) is the floor
//! below, [`super::check`].

use std::collections::BTreeMap;
use std::path::Path;

use super::check::{Validator, parse_date};
use super::fields::{FieldKind, FieldsLookup, RowFields};
use super::plan::{Appendix, Field, Group, Item, Origins, Plan, PlanMeta, Section};
use super::tree::{Kind, Node, ScalarType};
use crate::diag::{Diagnostic, Pos, closest};
use crate::text;

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

impl Validator<'_> {
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
        meta.origin = node.origin;
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
