//! `phuluc check FILE.yaml…`: every problem in each file, at once, without writing
//! ([`phuluc::report`]).
//!
//! Contract: prints `FILE:LINE:COL: lỗi|cảnh báo: message` and a hint line per problem,
//! then a summary; or, with `--format json`, one JSON document (see README) on stdout.
//! Exit 0 when no errors (warnings allowed, unless `--strict`), 1 when errors, 2 when a
//! file cannot be read.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use phuluc::diag::Lang;

use super::shared::{Outcome, load_fonts, print_stdout};

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

pub fn run(args: &CheckArgs, lang: Lang) -> Outcome {
    let fonts = match load_fonts(args.font_dir.as_deref(), lang) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let report = phuluc::check_report::check_files(
        &args.files,
        args.templates.as_deref(),
        &fonts,
        args.strict,
    );
    let shown = match args.format {
        Format::Text => report.text(lang),
        Format::Json => report.json(lang),
    };
    let printed = print_stdout(&shown, lang);
    if report.unreadable || printed == Outcome::Failed {
        Outcome::Failed
    } else if report.errors() > 0 {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}
