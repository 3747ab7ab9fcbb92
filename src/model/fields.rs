//! What a template declares of its rows, as validation needs it: each field's name and
//! how its value is written.
//!
//! Contract: the model's side of the line between the model and the templates. The
//! template machinery ([`crate::compose::templates`]) implements [`FieldsLookup`];
//! validation asks it, so the model does not depend on templates.

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
    pub(super) fn kind(&self, name: &str) -> Option<FieldKind> {
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
