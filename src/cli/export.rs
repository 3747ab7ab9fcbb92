//! `phuluc export FILE.yaml --format json`: prints the composed document as JSON
//! ([`phuluc::export::json`]). `--format xlsx` writes the tracking workbook
//! ([`phuluc::export::xlsx`]) to `-o FILE.xlsx` (default `output/<file stem>-theo-doi.xlsx`),
//! atomically.
//!
//! Contract: the same checks as `render` run first; any error → diagnostics on stderr,
//! nothing on stdout, exit 1 (exit 2 when the file cannot be read). Otherwise the JSON on
//! stdout, or with `-o FILE` in FILE. A cell the
//! workbook cannot hold is exit 1, any other workbook failure exit 2.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use phuluc::diag::{Diagnostic, Lang, ToDiagnostic};
use phuluc::text;

use super::shared::{Outcome, prepare_reported, print_stdout, report};
use phuluc::write::write_file;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON: phụ lục, tiêu đề, cột, các dòng và ô / JSON: appendices, headings, columns, rows, cells
    Json,
    /// Sổ theo dõi Excel: mỗi phụ lục một trang tính, cột tiến độ, trang “Theo cơ quan” /
    /// tracking workbook: a sheet per appendix, progress column, a sheet per agency
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "FILE.yaml")]
    file: PathBuf,
    /// Định dạng kết quả / output format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn / extra or replacement templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Ghi vào tệp này (xlsx: mặc định output/<tên>-theo-doi.xlsx; json: mặc định stdout) /
    /// write to this file (xlsx: default output/<stem>-theo-doi.xlsx; json: default stdout)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: &ExportArgs, lang: Lang) -> Outcome {
    let (templates, prepared) = match prepare_reported(&args.file, args.templates.as_deref(), lang)
    {
        Ok(both) => both,
        Err(outcome) => return outcome,
    };
    match args.format {
        Format::Json => {
            let bytes = phuluc::export::json(&prepared.document);
            match &args.output {
                Some(_) => write_out(args, &bytes, "json", lang),
                // JSON text is UTF-8 by construction: borrowed, not copied.
                None => print_stdout(&String::from_utf8_lossy(&bytes), lang),
            }
        }
        Format::Xlsx => match phuluc::export::xlsx(&prepared.plan, &templates) {
            Ok(bytes) => write_out(args, &bytes, "theo-doi.xlsx", lang),
            Err(e) => {
                report(&[e.to_diagnostic().in_file(&args.file)], lang);
                if e.is_input() {
                    Outcome::Problems
                } else {
                    Outcome::Failed
                }
            }
        },
    }
}

/// Writes `bytes` to `-o FILE`, or to `output/<stem>-<suffix>`; says where.
fn write_out(args: &ExportArgs, bytes: &[u8], suffix: &str, lang: Lang) -> Outcome {
    let out = args.output.clone().unwrap_or_else(|| {
        let stem = args.file.file_stem().map_or_else(
            || "ke-hoach".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        PathBuf::from("output").join(format!("{stem}-{suffix}"))
    });
    if let (Ok(a), Ok(b)) = (args.file.canonicalize(), out.canonicalize())
        && a == b
    {
        report(
            &[Diagnostic::error(text!(
                "tệp kết quả trùng với tệp đầu vào",
                "the output file is the input file"
            ))
            .in_file(&out)
            .hint(text!(
                "Chọn tên tệp khác với -o.",
                "Choose another file name with -o."
            ))],
            lang,
        );
        return Outcome::Failed;
    }
    match write_file(&out, bytes) {
        Ok(()) => {
            let wrote = match lang {
                Lang::Vi => "đã ghi",
                Lang::En => "wrote",
            };
            eprintln!("{wrote} {}", out.display());
            Outcome::Clean
        }
        Err(d) => {
            report(&[d], lang);
            Outcome::Failed
        }
    }
}
