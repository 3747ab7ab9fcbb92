//! `phuluc report PLAN.yaml WORKBOOK.xlsx…`: the filled-in tracking workbooks read back
//! and the progress report appendix written as `DIR/<stem>-bao-cao.docx` and `.pdf`
//! (`--format xlsx`: the tracking workbook with every workbook's results in one file).
//!
//! Contract: parses the flags and calls [`phuluc::report::run`]; writes its files
//! atomically only when it succeeds, prints its warnings and a one-line summary. Exit 0
//! done, 1 a problem in the plan or a workbook (nothing written), 2 a file could not be
//! read or written.

use std::path::{Path, PathBuf};

use super::shared::{Outcome, load_fonts, load_templates, report};
use clap::{Args, ValueEnum};
use phuluc::diag::{Diagnostic, Lang, ToDiagnostic};
use phuluc::report::{Formats, Request};
use phuluc::text;
use phuluc::write::write_file;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Chỉ .docx / .docx only
    Docx,
    /// Chỉ PDF / PDF only
    Pdf,
    /// Cả .docx và PDF / both
    All,
    /// Sổ theo dõi gộp kết quả mọi sổ (<tên>-bao-cao.xlsx) / the tracking workbook with every
    /// workbook's results merged
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "PLAN.yaml")]
    plan: PathBuf,
    /// Các sổ theo dõi đã điền (.xlsx); sổ đưa trước được ưu tiên khi hai sổ khác nhau /
    /// the filled-in tracking workbooks; the first given wins a conflict
    #[arg(required = true, value_name = "WORKBOOK.xlsx")]
    workbooks: Vec<PathBuf>,
    /// Ngày báo cáo (dd/mm/yyyy; mặc định hôm nay): nhiệm vụ có hạn trước ngày này mà chưa
    /// hoàn thành là quá hạn / the report's date (default today)
    #[arg(long, value_name = "dd/mm/yyyy")]
    as_of: Option<String>,
    /// Thư mục ghi kết quả / output directory
    #[arg(
        short = 'o',
        long = "output",
        value_name = "DIR",
        default_value = "output"
    )]
    out_dir: PathBuf,
    /// Định dạng cần tạo / formats to write
    #[arg(long, value_enum, default_value_t = Format::All)]
    format: Format,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn (kể cả bao-cao) / extra or replacement
    /// templates folder (the report kinds too)
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Dùng phông Times New Roman của cơ quan trong thư mục này / the office's Times New Roman
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
}

pub fn run(args: &ReportArgs, lang: Lang) -> Outcome {
    let as_of = match phuluc::report::clock::as_of(args.as_of.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            report(&[e.to_diagnostic()], lang);
            return Outcome::Failed;
        }
    };
    let templates = match load_templates(args.templates.as_deref(), lang) {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let fonts = match load_fonts(args.font_dir.as_deref(), lang) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let pdf = phuluc::pdf::PdfOptions::new(fonts);
    let request = Request {
        plan: &args.plan,
        workbooks: &args.workbooks,
        as_of,
        out_dir: &args.out_dir,
        formats: Formats {
            docx: matches!(args.format, Format::Docx | Format::All),
            pdf: matches!(args.format, Format::Pdf | Format::All),
            xlsx: args.format == Format::Xlsx,
        },
        templates: &templates,
        pdf: &pdf,
    };
    let done = match phuluc::report::run(&request) {
        Ok(done) => done,
        Err(diags) => {
            report(&diags, lang);
            let missing = std::iter::once(&args.plan)
                .chain(&args.workbooks)
                .any(|p| !p.is_file());
            return if missing {
                Outcome::Failed
            } else {
                Outcome::Problems
            };
        }
    };
    report(&done.warnings, lang);
    let inputs: Vec<&Path> = std::iter::once(args.plan.as_path())
        .chain(args.workbooks.iter().map(PathBuf::as_path))
        .collect();
    for (out, _) in &done.outputs {
        let same =
            |p: &&Path| matches!((p.canonicalize(), out.canonicalize()), (Ok(a), Ok(b)) if a == b);
        if inputs.iter().any(same) {
            report(
                &[Diagnostic::error(text!(
                    "tệp kết quả trùng với một tệp đầu vào",
                    "an output file is one of the input files"
                ))
                .in_file(out)
                .hint(text!(
                    "Chọn thư mục khác với -o.",
                    "Choose another folder with -o."
                ))],
                lang,
            );
            return Outcome::Failed;
        }
    }
    for (out, bytes) in &done.outputs {
        if let Err(d) = write_file(out, bytes) {
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
    }
    eprintln!("{}", done.summary.get(lang));
    Outcome::Clean
}
