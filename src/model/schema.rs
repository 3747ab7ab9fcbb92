//! The YAML format v1 as serde types, with source positions.
//!
//! Contract: these types mirror the file exactly (unknown fields are errors) and carry
//! `Spanned` positions where a later check needs to point at the text. They are raw: no
//! normalisation, no numbering, no knowledge of templates. `validate` turns them into
//! the clean [`super::Plan`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSrc {
    /// Format version; only 1 exists.
    pub version: Option<Spanned<u32>>,
    /// The plan the appendices are attached to.
    pub plan: Spanned<PlanSrc>,
    /// The appendices, in order.
    pub appendices: Spanned<Vec<Spanned<AppendixSrc>>>,
}

/// `plan:` — the document the appendices belong to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSrc {
    /// Kind of document, e.g. "Kế hoạch".
    pub kind: Spanned<String>,
    /// Document number; absent until issued.
    pub number: Option<Spanned<Scalar>>,
    /// Symbol, e.g. "KH-UBND".
    pub symbol: Spanned<String>,
    /// Signing date, `YYYY-MM-DD`; absent until signed.
    pub date: Option<Spanned<Scalar>>,
    /// Year the plan belongs to (used in blank dates).
    pub year: Option<Spanned<u16>>,
    /// Issuing body, e.g. "Ủy ban nhân dân phường Thạch Khôi".
    pub issuer: Spanned<String>,
}

/// One appendix.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendixSrc {
    /// Template kind (a folder under `templates/`).
    pub template: Spanned<String>,
    /// Explicit appendix number ("I", "II" …); computed from position when absent.
    pub number: Option<Spanned<Scalar>>,
    /// Title; a newline is a line break.
    pub title: Spanned<String>,
    /// Body as sections (Roman-numbered headings).
    pub sections: Option<Vec<Spanned<SectionSrc>>>,
    /// Body as groups directly (one implicit section).
    pub groups: Option<Vec<Spanned<GroupSrc>>>,
    /// Body as items directly (one implicit section and group).
    pub items: Option<Vec<Spanned<ItemSrc>>>,
}

/// A section: an optional Roman-numbered heading row over groups or items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSrc {
    /// Stable identifier for diffs.
    pub id: Option<Spanned<Scalar>>,
    /// Explicit number, overriding the computed one.
    pub number: Option<Spanned<Scalar>>,
    /// Heading text; no heading row when absent.
    pub heading: Option<Spanned<String>>,
    /// Groups (Arabic-numbered headings).
    pub groups: Option<Vec<Spanned<GroupSrc>>>,
    /// Items directly, numbered 1, 2 … within the section.
    pub items: Option<Vec<Spanned<ItemSrc>>>,
}

/// A group: an optional Arabic-numbered heading row over items.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSrc {
    /// Stable identifier for diffs.
    pub id: Option<Spanned<Scalar>>,
    /// Explicit number, overriding the computed one.
    pub number: Option<Spanned<Scalar>>,
    /// Heading text; no heading row when absent.
    pub heading: Option<Spanned<String>>,
    /// The rows.
    pub items: Option<Vec<Spanned<ItemSrc>>>,
}

/// A body row: field name → value, in file order. Which names are allowed depends on the
/// template, so the check happens in `validate`, with each key's position.
#[derive(Debug, Default)]
pub struct ItemSrc {
    /// The entries as written.
    pub entries: Vec<(Spanned<String>, Spanned<Value>)>,
}

/// A value in a row: text, a list of texts (agencies), or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Empty (`~`, `null` or nothing).
    Null,
    /// A scalar, kept as written (numbers and booleans become their text).
    Text(String),
    /// A list of scalars.
    List(Vec<String>),
    /// Something else (a mapping, or a list holding lists): reported by `validate`.
    Nested,
}

/// A scalar that may be written as a number or as text (`number: 125` or `number: "125a"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for ItemSrc {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = ItemSrc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of field names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ItemSrc, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = map.next_value::<Spanned<Value>>()?;
                    entries.push((key, value));
                }
                Ok(ItemSrc { entries })
            }
        }
        d.deserialize_map(ItemVisitor)
    }
}

/// Accepts any scalar as its text.
struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text or a list of texts")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
                Ok(Value::Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Text(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                let mut nested = false;
                while let Some(item) = seq.next_element::<ListEntry>()? {
                    match item {
                        ListEntry::Text(t) => items.push(t),
                        ListEntry::Null => {}
                        ListEntry::Nested => nested = true,
                    }
                }
                Ok(if nested {
                    Value::Nested
                } else {
                    Value::List(items)
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Value::Nested)
            }
        }
        d.deserialize_any(ValueVisitor)
    }
}

/// One entry of a list value.
enum ListEntry {
    Text(String),
    Null,
    Nested,
}

impl<'de> Deserialize<'de> for ListEntry {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = ListEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text")
            }
            fn visit_unit<E: de::Error>(self) -> Result<ListEntry, E> {
                Ok(ListEntry::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<ListEntry, E> {
                Ok(ListEntry::Null)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ListEntry, E> {
                ScalarVisitor.visit_str(v).map(ListEntry::Text)
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<ListEntry, E> {
                Ok(ListEntry::Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ListEntry, E> {
                ScalarVisitor.visit_i64(v).map(ListEntry::Text)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ListEntry, E> {
                ScalarVisitor.visit_u64(v).map(ListEntry::Text)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ListEntry, E> {
                ScalarVisitor.visit_f64(v).map(ListEntry::Text)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ListEntry, E> {
                ScalarVisitor.visit_bool(v).map(ListEntry::Text)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ListEntry, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(ListEntry::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ListEntry, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(ListEntry::Nested)
            }
        }
        d.deserialize_any(EntryVisitor)
    }
}
