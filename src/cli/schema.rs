//! `phuluc schema`: prints the JSON Schema of the plan format, with the row fields of
//! every known template, for editors (VS Code's YAML extension validates and completes
//! a plan file that names it in a `# yaml-language-server: $schema=…` first line;
//! [`phuluc::compose::schema`]);
//! `--layout`, the schema of a template's `layout.yaml`.

use std::path::PathBuf;

use clap::Args;
use phuluc::compose::templates::Templates;
use phuluc::diag::Lang;

use super::shared::{Outcome, report};

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
    print(&phuluc::compose::schema::plan_schema(&templates))
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
