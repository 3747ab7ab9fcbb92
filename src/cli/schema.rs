//! `phuluc schema`: prints the JSON Schema of the plan format, with the row fields of
//! every known template, for editors (VS Code's YAML extension validates and completes
//! a plan file that names it in a `# yaml-language-server: $schema=…` first line);
//! `--layout`, the schema of a template's `layout.yaml`.

use std::path::PathBuf;

use clap::Args;
use phuluc::compose::templates::{ColumnKind, Templates};
use phuluc::diag::Lang;
use phuluc::model::FieldKind;
use phuluc::model::fields::FieldsLookup;

use super::{Outcome, report};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Thư mục mẫu bổ sung (thêm cột của các mẫu đó) / extra templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// In lược đồ của tệp mẫu layout.yaml thay cho tệp kế hoạch / print the schema of a
    /// template's layout.yaml instead of the plan file's
    #[arg(long)]
    layout: bool,
}

pub fn run(args: &SchemaArgs, lang: Lang) -> Outcome {
    if args.layout {
        return print(&phuluc::compose::templates::layout_schema());
    }
    let templates = match Templates::load(args.templates.as_deref()) {
        Ok(t) => t,
        Err(diags) => {
            report(&diags, lang);
            return Outcome::Problems;
        }
    };
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
    print(&phuluc::model::schema::json_schema(&columns))
}

fn print(schema: &serde_json::Value) -> Outcome {
    match serde_json::to_string_pretty(schema) {
        Ok(text) => {
            println!("{text}");
            Outcome::Clean
        }
        Err(_) => Outcome::Failed,
    }
}
