//! `phuluc render FILE.yaml…`: validate, compose and write .docx (and PDF).
//!
//! Contract: for each file, every output is built in memory first; only when all succeed
//! are they written, each atomically. Any error in the input → nothing written for that
//! file, diagnostics on stderr, exit 1. The input file is never touched.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang, has_errors};
use phuluc::text;

use super::{Outcome, report, write::atomic_write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Chỉ .docx / .docx only
    Docx,
    /// Chỉ PDF / PDF only
    Pdf,
    /// Cả .docx và PDF / both
    All,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Tệp YAML kế hoạch / plan YAML file(s)
    #[arg(required = true, value_name = "FILE.yaml")]
    files: Vec<PathBuf>,
    /// Thư mục ghi kết quả / output directory
    #[arg(
        short = 'o',
        long = "output",
        value_name = "DIR",
        default_value = "output"
    )]
    out_dir: PathBuf,
    /// Định dạng cần tạo / formats to write
    #[arg(long, value_enum, default_value_t = Format::Docx)]
    format: Format,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn / extra or replacement templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

pub fn run(args: &RenderArgs, lang: Lang) -> Outcome {
    if args.format != Format::Docx {
        report(
            &[Diagnostic::error(text!(
                "định dạng PDF chưa có trong phiên bản này",
                "PDF output is not available in this version yet"
            ))
            .hint(text!(
                "Dùng --format docx (mặc định).",
                "Use --format docx (the default)."
            ))],
            lang,
        );
        return Outcome::Failed;
    }
    let templates = match Templates::load(args.templates.as_deref()) {
        Ok(t) => t,
        Err(diags) => {
            report(&diags, lang);
            return Outcome::Problems;
        }
    };
    let mut outcome = Outcome::Clean;
    for file in &args.files {
        match render_one(file, args, &templates, lang) {
            Outcome::Clean => {}
            Outcome::Problems => {
                if matches!(outcome, Outcome::Clean) {
                    outcome = Outcome::Problems;
                }
            }
            Outcome::Failed => outcome = Outcome::Failed,
        }
    }
    outcome
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "phu-luc".to_owned())
}

fn render_one(file: &Path, args: &RenderArgs, templates: &Templates, lang: Lang) -> Outcome {
    let prepared = match phuluc::prepare(file, templates) {
        Ok(p) => p,
        Err(diags) => {
            report(&diags, lang);
            // An unreadable file is the tool's failure to read, not a problem in the plan.
            let unreadable =
                diags.iter().all(|d| d.pos.is_none()) && has_errors(&diags) && !file.is_file();
            return if unreadable {
                Outcome::Failed
            } else {
                Outcome::Problems
            };
        }
    };
    report(&prepared.warnings, lang);
    let bytes = match phuluc::docx::docx(&prepared.document) {
        Ok(b) => b,
        Err(e) => {
            report(
                &[Diagnostic::error(text!(e.to_string(), e.to_string())).in_file(file)],
                lang,
            );
            return Outcome::Failed;
        }
    };
    let out = args.out_dir.join(format!("{}.docx", stem(file)));
    if let Err(d) = write_output(file, &out, &bytes) {
        report(&[d], lang);
        return Outcome::Failed;
    }
    eprintln!(
        "{} {}",
        match lang {
            Lang::Vi => "đã ghi",
            Lang::En => "wrote",
        },
        out.display()
    );
    Outcome::Clean
}

fn write_output(input: &Path, out: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let (Ok(a), Ok(b)) = (input.canonicalize(), out.canonicalize())
        && a == b
    {
        return Err(Diagnostic::error(text!(
            "tệp kết quả trùng với tệp đầu vào",
            "the output file is the input file"
        ))
        .in_file(out)
        .hint(text!(
            "Chọn thư mục khác với -o.",
            "Choose another folder with -o."
        )));
    }
    if let Some(dir) = out.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
    }
    atomic_write(out, bytes).map_err(|e| write_error(out, &e))
}

fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(text!(
        format!("không ghi được tệp: {e}"),
        format!("cannot write the file: {e}")
    ))
    .in_file(path)
    .hint(text!(
        "Kiểm tra thư mục đích tồn tại, có quyền ghi, và tệp không đang mở trong Word.",
        "Check the folder exists and is writable, and the file is not open in Word."
    ))
}
