//! `phuluc check FILE.yaml…`: every problem in each file, at once, without writing.
//!
//! Contract: prints `FILE:LINE:COL: lỗi|cảnh báo: message` and a hint line per problem,
//! then a summary; or, with `--format json`, one JSON document (see README) on stdout.
//! Exit 0 when no errors (warnings allowed, unless `--strict`), 1 when errors, 2 when a
//! file cannot be read.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use phuluc::diag::{Diagnostic, Lang, Severity};

use super::{Outcome, load_fonts};
use phuluc::compose::templates::Templates;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Dòng chữ cho người đọc / lines for people
    Text,
    /// JSON cho trình soạn thảo và CI / JSON for editors and CI
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Tệp YAML kế hoạch / plan YAML file(s)
    #[arg(required = true, value_name = "FILE.yaml")]
    files: Vec<PathBuf>,
    /// Coi cảnh báo là lỗi / treat warnings as errors
    #[arg(long)]
    strict: bool,
    /// Định dạng kết quả / output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Thư mục mẫu bổ sung / extra templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Phông Times New Roman của cơ quan / the office's Times New Roman
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
}

/// Whether a diagnostic says the file itself could not be read (exit 2).
fn unreadable(file: &Path, diags: &[Diagnostic]) -> bool {
    !file.is_file() || (diags.len() == 1 && diags[0].pos.is_none() && std::fs::read(file).is_err())
}

pub fn run(args: &CheckArgs, lang: Lang) -> Outcome {
    let fonts = match load_fonts(args.font_dir.as_deref(), lang) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut failed = false;
    // Template problems are problems of the check: printed like the others (and in the
    // JSON), after which the plan files cannot be judged.
    let templates = match Templates::load(args.templates.as_deref()) {
        Ok(t) => Some(t),
        Err(mut diags) => {
            all.append(&mut diags);
            None
        }
    };
    for file in args.files.iter().filter(|_| templates.is_some()) {
        let Some(templates) = &templates else { break };
        let mut diags = phuluc::check(file, templates, &fonts);
        failed |= unreadable(file, &diags);
        if args.strict {
            for d in &mut diags {
                d.severity = Severity::Error;
            }
        }
        all.append(&mut diags);
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all.len() - errors;
    match args.format {
        Format::Text => {
            for d in &all {
                println!("{}", d.render(lang));
            }
            println!(
                "{}",
                match lang {
                    Lang::Vi => format!(
                        "{} tệp: {errors} lỗi, {warnings} cảnh báo",
                        args.files.len()
                    ),
                    Lang::En => format!(
                        "{} file(s): {errors} error(s), {warnings} warning(s)",
                        args.files.len()
                    ),
                }
            );
        }
        Format::Json => println!("{}", json(&all, lang, errors, warnings)),
    }
    if failed {
        Outcome::Failed
    } else if errors > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}

/// The diagnostics as a stable JSON document.
fn json(diags: &[Diagnostic], lang: Lang, errors: usize, warnings: usize) -> String {
    let items: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file.as_ref().map(|f| f.display().to_string()),
                "line": d.pos.map(|p| p.line),
                "column": d.pos.map(|p| p.column),
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": d.message.get(lang),
                "message_vi": &*d.message.vi,
                "message_en": &*d.message.en,
                "hints": d.hints.iter().map(|h| h.get(lang)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "version": 1,
        "errors": errors,
        "warnings": warnings,
        "diagnostics": items,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned())
}
