//! The plan as validation leaves it: what a YAML plan file means, in plain types.
//!
//! Contract: data (and [`items`], an appendix's rows in order) — NFC text, explicit
//! structure (every appendix has sections, every section groups), field values typed as
//! their template declares, each block's exact origin and its keys' ([`Origins`]), for messages and for compose to hand on; no numbers computed
//! yet. Built by [`super::validate`], read by compose, the diff and import's writer.

use std::collections::BTreeMap;

use crate::diag::Span;

/// A validated plan file.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The document the appendices are attached to.
    pub meta: PlanMeta,
    /// Canonical agency names (`agencies:`), for spelling checks; may be empty.
    pub agencies: Vec<String>,
    /// The appendices, in order.
    pub appendices: Vec<Appendix>,
}

/// The plan document itself (Kế hoạch số …/KH-UBND ngày … của …).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanMeta {
    /// Kind, e.g. "Kế hoạch".
    pub kind: String,
    /// Number; `None` until issued.
    pub number: Option<String>,
    /// Symbol, e.g. "KH-UBND".
    pub symbol: String,
    /// Signing date; `None` until signed.
    pub date: Option<Date>,
    /// The plan's year (the date's year when a date is given).
    pub year: Option<u16>,
    /// Issuing body.
    pub issuer: String,
    /// Where the `plan:` block is in the plan file (where its fields are edited).
    pub origin: Option<Span>,
}

/// One appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct Appendix {
    /// Template kind.
    pub template: String,
    /// Explicit number (Roman), overriding position.
    pub number: Option<String>,
    /// Title; `'\n'` is a line break.
    pub title: String,
    /// Body.
    pub sections: Vec<Section>,
    /// Where the appendix is in the file (its block, exactly).
    pub origin: Option<Span>,
}

/// A section. Sections written implicitly (an appendix with `groups:` or `items:`) have
/// no heading and `implicit` set.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Stable identifier.
    pub id: Option<String>,
    /// Explicit number.
    pub number: Option<String>,
    /// Heading row text; no heading row when `None`.
    pub heading: Option<String>,
    /// Groups.
    pub groups: Vec<Group>,
    /// True when the file has no `sections:` level here.
    pub implicit: bool,
    /// Where the section is in the file (its block; an implicit one, its appendix's).
    pub origin: Option<Span>,
    /// Where each of its keys' values is (`heading`, `number` …).
    pub key_origins: Origins,
}

/// A group. Groups written implicitly (a section with `items:`) number their items
/// 1, 2 … instead of g.1, g.2 ….
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Stable identifier.
    pub id: Option<String>,
    /// Explicit number.
    pub number: Option<String>,
    /// Heading row text; no heading row when `None`.
    pub heading: Option<String>,
    /// Rows.
    pub items: Vec<Item>,
    /// True when the file has no `groups:` level here.
    pub implicit: bool,
    /// Where the group is in the file (its block; an implicit one, its `items:` list).
    pub origin: Option<Span>,
    /// Where each of its keys' values is (`heading`, `number` …).
    pub key_origins: Origins,
}

/// A body row.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Stable identifier.
    pub id: Option<String>,
    /// Explicit number.
    pub number: Option<String>,
    /// Field values by field name; absent fields are empty cells.
    pub fields: BTreeMap<String, Field>,
    /// Where the row is in the file (its block, exactly).
    pub origin: Option<Span>,
    /// Where each of its keys' values is: every field's and `number`'s and `id`'s.
    pub key_origins: Origins,
}

/// Where the values of a block's keys are in the file, by key: each value's exact span
/// as written, or the key's own span where the value is empty (`key:`). Keys reported as
/// unknown or duplicate are left out.
pub type Origins = BTreeMap<String, Span>;

/// A field value.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// Text.
    Text(String),
    /// A list (agencies), shown joined with ", ".
    List(Vec<String>),
    /// An amount, exactly as written in the file (a YAML number, never a string).
    Amount(Decimal),
    /// A calendar date (a YAML date, `YYYY-MM-DD`).
    Date(Date),
    /// A percentage: 12.5 means 12,5 %.
    Percent(Decimal),
}

/// A calendar date: the document model's own, one type from the plan file to the
/// writers (validation checks the day exists in its month).
pub use crate::document::Date;
pub use rust_decimal::Decimal;

/// Every body row of `appendix`, in order.
pub fn items(appendix: &Appendix) -> impl Iterator<Item = &Item> {
    appendix
        .sections
        .iter()
        .flat_map(|s| s.groups.iter())
        .flat_map(|g| g.items.iter())
}
