//! `phuluc agencies FILE.yaml`: every agency the plan names, with how many rows it leads
//! (chủ trì) and supports (phối hợp) in each appendix.
//!
//! Contract: the same checks as `render` run first (errors → nothing on stdout, exit 1;
//! exit 2 when the file cannot be read); warnings go to stderr. Agencies are folded and
//! named as `check` folds them ([`phuluc::compose::agencies`]): the canonical `agencies:`
//! list first, then the others in the order the plan first names them. Output on stdout
//! ([`phuluc::register::report`]): an aligned table (`text`), a Markdown table
//! (`markdown`) or JSON (`json`, see README).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use phuluc::diag::Lang;
use phuluc::register::report;

use super::shared::{Outcome, prepare_reported};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Bảng chữ canh cột / an aligned text table
    Text,
    /// Bảng Markdown / a Markdown table
    Markdown,
    /// JSON
    Json,
}

#[derive(Debug, Args)]
pub struct AgenciesArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "FILE.yaml")]
    file: PathBuf,
    /// Định dạng kết quả / output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn / extra or replacement templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

pub fn run(args: &AgenciesArgs, lang: Lang) -> Outcome {
    let (templates, prepared) = match prepare_reported(&args.file, args.templates.as_deref(), lang)
    {
        Ok(both) => both,
        Err(outcome) => return outcome,
    };
    let register = phuluc::compose::agencies::register(&prepared.plan, &templates);
    let out = match args.format {
        Format::Text => report::text(&register, lang),
        Format::Markdown => report::markdown(&register, lang),
        Format::Json => report::json(&register),
    };
    super::shared::print_stdout(&out, lang)
}
