//! What `phuluc diff` reports: a [`Change`] — its kind, what it is about, where, and the
//! values before and after.
//!
//! Contract: plain data, built by the comparison and read by the renderers and the
//! redline; values are normalised as they are compared (whitespace collapsed, empty
//! texts absent).

use super::words::{Word, collapse};
use crate::diag::Text;

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Something exists only in the new version.
    Added,
    /// Something exists only in the old version.
    Removed,
    /// A row, group or section left its relative order or its group/section.
    Moved,
    /// A value differs.
    Changed,
    /// Numbers shifted (one summary per appendix).
    Renumbered,
    /// A value of the plan itself (kind, number, symbol, date, year, issuer) differs.
    Metadata,
}

impl ChangeKind {
    /// The name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Moved => "moved",
            ChangeKind::Changed => "changed",
            ChangeKind::Renumbered => "renumbered",
            ChangeKind::Metadata => "metadata",
        }
    }
}

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The plan document (`plan:`).
    Plan,
    /// A whole appendix.
    Appendix,
    /// A section (Roman-numbered heading row).
    Section,
    /// A group (Arabic-numbered heading row).
    Group,
    /// A body row.
    Row,
    /// A computed subtotal or total row ("cộng nhóm 2", "tổng cộng"), changed because
    /// the amounts it adds up changed.
    Total,
}

impl Subject {
    /// The name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Subject::Plan => "plan",
            Subject::Appendix => "appendix",
            Subject::Section => "section",
            Subject::Group => "group",
            Subject::Row => "row",
            Subject::Total => "total",
        }
    }
}

/// A field's value: a text or a list of agency names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text (whitespace collapsed).
    Text(String),
    /// A list of names.
    List(Vec<String>),
}

impl Value {
    /// The value as one line: a list joined with ", " as the document shows it.
    pub fn display(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::List(l) => l.join(", "),
        }
    }
}

/// Which field changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldName {
    /// The key in the YAML file ("phoi_hop", "number", "heading").
    pub key: String,
    /// What a reader calls it: a column's header from the template ("Cơ quan phối hợp",
    /// the same in both languages), or a label of ours ("Số" / "number").
    pub label: Text,
}

/// One cell of an added or removed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The column.
    pub field: FieldName,
    /// Its value.
    pub value: Value,
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// What it is about.
    pub subject: Subject,
    /// "Phụ lục II" (new number; old number when the appendix was removed); `None` for the
    /// plan's metadata.
    pub appendix: Option<String>,
    /// Where in the appendix: "mục 4.2", "dòng thuộc nhóm 2", "nhóm 4", "phần II",
    /// "phần II, mục 3"; `None` for the appendix itself and for a renumbering summary.
    pub row: Option<String>,
    /// The field that changed, for `changed` and `metadata`.
    pub field: Option<FieldName>,
    /// The old value. For a moved thing: its old name; for a removed row: its main text;
    /// for a renumbering: the old names of each run ("mục 4.2–4.5").
    pub old: Option<Value>,
    /// The new value. For a moved thing: its new name; for an added row: its main text;
    /// for a renumbering: the new names of each run ("mục 4.3–4.6").
    pub new: Option<Value>,
    /// For a text changed in place: the words, equal, deleted and inserted.
    pub words: Vec<Word>,
    /// For an agency list: names only in the new list.
    pub added: Vec<String>,
    /// For an agency list: names only in the old list.
    pub removed: Vec<String>,
    /// For an added or removed row: all its non-empty cells, in column order.
    pub cells: Vec<Cell>,
}

impl Change {
    /// A change with only its kind, subject and place set.
    pub fn new(kind: ChangeKind, subject: Subject) -> Self {
        Change {
            kind,
            subject,
            appendix: None,
            row: None,
            field: None,
            old: None,
            new: None,
            words: Vec::new(),
            added: Vec::new(),
            removed: Vec::new(),
            cells: Vec::new(),
        }
    }
}

/// `s` as a text value, its whitespace collapsed; `None` when nothing is left.
pub(super) fn text_value(s: &str) -> Option<Value> {
    let t = collapse(s);
    (!t.is_empty()).then_some(Value::Text(t))
}

/// A field, by its key in the YAML file and what a reader calls it.
pub(super) fn field(key: &str, label: Text) -> FieldName {
    FieldName {
        key: key.to_owned(),
        label,
    }
}
