//! The YAML format v1 as Rust types, for its JSON Schema only (`phuluc schema`).
//!
//! Contract: these types are never used to parse — `validate` walks the node tree so it
//! can report every problem at once — but they describe the same format, and a test
//! checks that their field names equal the keys the validator accepts. Doc comments are
//! the descriptions an editor shows while the clerk types (Vietnamese first).

use schemars::JsonSchema;
use serde_json::{Value, json};

use super::fields::FieldKind;

/// Tệp dữ liệu phụ lục của phuluc (định dạng 1) / a phuluc plan file (format 1).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct PlanFile {
    /// Phiên bản định dạng: 1 / format version: 1.
    version: Option<u32>,
    /// Văn bản mà các phụ lục kèm theo / the document the appendices are attached to.
    plan: PlanMeta,
    /// Tên chuẩn của các cơ quan, để kiểm tra chính tả / canonical agency names, for spelling checks.
    agencies: Option<Vec<String>>,
    /// Các phụ lục, theo thứ tự (Phụ lục I, II…) / the appendices, in order.
    appendices: Vec<Appendix>,
}

/// Kế hoạch / the plan.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct PlanMeta {
    /// Loại văn bản, ví dụ “Kế hoạch” / kind of document.
    kind: String,
    /// Số văn bản; để trống (~) khi chưa ban hành / number; empty until issued.
    number: Option<Scalar>,
    /// Ký hiệu, ví dụ “KH-UBND” / symbol.
    symbol: String,
    /// Ngày ký dạng NĂM-THÁNG-NGÀY; để trống khi chưa ký / signing date, YYYY-MM-DD.
    #[schemars(regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    date: Option<String>,
    /// Năm của kế hoạch (dùng khi chưa có ngày) / the plan's year.
    #[schemars(range(min = 1900, max = 2999))]
    year: Option<u16>,
    /// Cơ quan ban hành / issuing body.
    issuer: String,
}

/// Một phụ lục: đúng một trong sections, groups, items / one appendix.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Appendix {
    /// Mã ổn định để so sánh phiên bản / stable identifier.
    id: Option<Scalar>,
    /// Mẫu phụ lục (thư mục trong templates/), ví dụ muc-tieu, nhiem-vu / template kind.
    template: String,
    /// Số phụ lục (I, II…); tự đánh theo vị trí khi bỏ trống / appendix number.
    number: Option<Scalar>,
    /// Tên phụ lục; xuống dòng bằng khối “|-” / title; a newline is a line break.
    title: String,
    /// Các mục đánh số La Mã / Roman-numbered sections.
    sections: Option<Vec<Section>>,
    /// Các nhóm đánh số 1, 2… / Arabic-numbered groups.
    groups: Option<Vec<Group>>,
    /// Các dòng / rows.
    items: Option<Vec<Item>>,
}

/// Một mục (I, II…) / a section.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Section {
    /// Mã ổn định / stable identifier.
    id: Option<Scalar>,
    /// Số mục, thay cho số tự đánh / explicit number.
    number: Option<Scalar>,
    /// Dòng tiêu đề của mục; bỏ trống thì không có dòng tiêu đề / heading row text.
    heading: Option<String>,
    /// Các nhóm / groups.
    groups: Option<Vec<Group>>,
    /// Các dòng, đánh số 1, 2… / rows, numbered 1, 2….
    items: Option<Vec<Item>>,
}

/// Một nhóm (1, 2…) / a group.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Group {
    /// Mã ổn định / stable identifier.
    id: Option<Scalar>,
    /// Số nhóm, thay cho số tự đánh / explicit number.
    number: Option<Scalar>,
    /// Dòng tiêu đề của nhóm / heading row text.
    heading: Option<String>,
    /// Các dòng, đánh số 4.1, 4.2… / rows, numbered g.1, g.2….
    items: Option<Vec<Item>>,
}

/// Một dòng của bảng: các cột theo mẫu phụ lục / a table row: the template's columns.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct Item {
    /// Mã ổn định / stable identifier.
    id: Option<Scalar>,
    /// Số thứ tự, thay cho số tự đánh / explicit number.
    number: Option<Scalar>,
}

/// Văn bản hoặc số / text or a number.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum Scalar {
    /// Văn bản / text.
    Text(String),
    /// Số / a number.
    Number(f64),
}

/// The JSON Schema of the format. `columns` are the row fields the known templates
/// declare (name, description, kind), so an editor completes them; a row may also hold
/// fields of templates it does not know, as text or a list of texts.
pub fn json_schema(columns: &[(String, String, FieldKind)]) -> Value {
    let mut schema = schemars::schema_for!(PlanFile).to_value();
    let cell = json!({
        "anyOf": [
            { "type": ["string", "number", "null"] },
            { "type": "array", "items": { "type": "string" } }
        ]
    });
    if let Some(item) = schema.pointer_mut("/$defs/Item")
        && let Some(obj) = item.as_object_mut()
    {
        obj.insert("additionalProperties".to_owned(), cell);
        if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
            for (name, description, kind) in columns {
                let value = match kind {
                    FieldKind::Text => json!({
                        "description": description,
                        "type": ["string", "number", "null"]
                    }),
                    FieldKind::List => json!({
                        "description": description,
                        "anyOf": [
                            { "type": "array", "items": { "type": "string" } },
                            { "type": ["string", "null"] }
                        ]
                    }),
                    FieldKind::Amount | FieldKind::Percent => json!({
                        "description": description,
                        "type": ["number", "null"]
                    }),
                    FieldKind::Date => json!({
                        "description": description,
                        "type": ["string", "null"],
                        "format": "date"
                    }),
                };
                props.entry(name.clone()).or_insert(value);
            }
        }
    }
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".to_owned(),
            json!("https://phuluc.invalid/schema/phuluc.schema.json"),
        );
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::validate::{
        APPENDIX_KEYS, GROUP_KEYS, PLAN_KEYS, ROOT_KEYS, ROW_KEYS, SECTION_KEYS,
    };

    fn keys(schema: &Value, pointer: &str) -> Vec<String> {
        let mut k: Vec<String> = schema
            .pointer(pointer)
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    }

    fn sorted(k: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = k.iter().map(|s| (*s).to_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn schema_fields_equal_what_the_validator_accepts() {
        let s = json_schema(&[]);
        assert_eq!(keys(&s, "/properties"), sorted(&ROOT_KEYS));
        assert_eq!(keys(&s, "/$defs/PlanMeta/properties"), sorted(&PLAN_KEYS));
        assert_eq!(
            keys(&s, "/$defs/Appendix/properties"),
            sorted(&APPENDIX_KEYS)
        );
        assert_eq!(keys(&s, "/$defs/Section/properties"), sorted(&SECTION_KEYS));
        assert_eq!(keys(&s, "/$defs/Group/properties"), sorted(&GROUP_KEYS));
        assert_eq!(keys(&s, "/$defs/Item/properties"), sorted(&ROW_KEYS));
    }
}
