//! The plan format's JSON Schema with the row fields of every known template, for
//! editors (VS Code's YAML extension validates and completes a plan file that names it in
//! a `# yaml-language-server: $schema=…` first line).
//!
//! Contract: a field is described by the header of each template column it fills
//! ("Cột “Nhiệm vụ” (nhiem-vu); “…” (other)"), in template order; computed number
//! columns are not fields.

use serde_json::Value;

use super::templates::{ColumnKind, Templates};
use crate::model::FieldKind;
use crate::model::FieldsLookup;

/// The plan schema for the fields of `templates`.
pub fn plan_schema(templates: &Templates) -> Value {
    let mut columns: Vec<(String, String, FieldKind)> = Vec::new();
    for name in templates.kinds() {
        let Some(kind) = templates.kind(&name) else {
            continue;
        };
        for c in &kind.layout.columns {
            let field_kind = match c.kind {
                ColumnKind::Number => continue,
                ColumnKind::Text => FieldKind::Text,
                ColumnKind::List => FieldKind::List,
                ColumnKind::Amount => FieldKind::Amount,
                ColumnKind::Date => FieldKind::Date,
                ColumnKind::Percent => FieldKind::Percent,
            };
            match columns.iter_mut().find(|(n, _, _)| *n == c.field) {
                Some(existing) => existing.1.push_str(&format!("; “{}” ({name})", c.header)),
                None => columns.push((
                    c.field.clone(),
                    format!("Cột “{}” ({name})", c.header),
                    field_kind,
                )),
            }
        }
    }
    crate::model::schema::json_schema(&columns)
}
