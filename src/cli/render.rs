//! `phuluc render FILE.yaml…`: validate, compose and write .docx and PDF.
//!
//! Contract: for each file, every output is built in memory first; only when all succeed
//! are they written, each atomically. Any error in the input → nothing written for that
//! file, diagnostics on stderr, exit 1. The input file is never touched.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang, Text, has_errors};
use phuluc::document::Document;
use phuluc::pdf::PdfOptions;
use phuluc::text;

use super::write::write_file;
use super::{Outcome, load_fonts, load_templates, report};

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
    #[arg(long, value_enum, default_value_t = Format::All)]
    format: Format,
    /// Mỗi phụ lục một tệp (<tên>-phu-luc-I.pdf …) / one file per appendix
    #[arg(long)]
    split: bool,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn / extra or replacement templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Dùng phông Times New Roman của cơ quan trong thư mục này (times.ttf, timesbd.ttf,
    /// timesi.ttf, timesbi.ttf) / use the office's Times New Roman from this folder
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
}

pub fn run(args: &RenderArgs, lang: Lang) -> Outcome {
    let templates = match load_templates(args.templates.as_deref(), lang) {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let fonts = match load_fonts(args.font_dir.as_deref(), lang) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let pdf_options = PdfOptions::new(fonts);
    let mut outcome = Outcome::Clean;
    for file in &args.files {
        match render_one(file, args, &templates, &pdf_options, lang) {
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

/// Why building the outputs stopped.
enum BuildError {
    /// The input cannot be rendered as it is (exit 1).
    Input(Diagnostic),
    /// The tool failed (exit 2).
    Tool(Diagnostic),
}

/// Every output file of one plan, as (path, bytes), built in memory.
fn build_outputs(
    file: &Path,
    doc: &Document,
    sources: &phuluc::compose::SourceMap,
    args: &RenderArgs,
    pdf_options: &PdfOptions,
) -> Result<Vec<(PathBuf, Vec<u8>)>, BuildError> {
    let stem = stem(file);
    let docs: Vec<(String, Document)> = if args.split {
        phuluc::compose::split(doc)
            .into_iter()
            .map(|d| {
                let slug = d.parts.first().map_or_else(String::new, |p| p.slug.clone());
                (format!("{stem}-{slug}"), d)
            })
            .collect()
    } else {
        vec![(stem, doc.clone())]
    };
    let mut outputs = Vec::new();
    for (name, doc) in &docs {
        if matches!(args.format, Format::Docx | Format::All) {
            let bytes = phuluc::docx::docx(doc).map_err(|e| {
                BuildError::Tool(
                    Diagnostic::error(Text::new(e.to_string(), e.to_string())).in_file(file),
                )
            })?;
            outputs.push((args.out_dir.join(format!("{name}.docx")), bytes));
        }
        if matches!(args.format, Format::Pdf | Format::All) {
            let bytes = phuluc::pdf::pdf(doc, pdf_options).map_err(|e| {
                let d = Diagnostic::error(e.to_text()).in_file(file);
                match &e {
                    phuluc::pdf::PdfError::Layout(phuluc::layout::LayoutError::MissingGlyph {
                        part,
                        row,
                        ..
                    }) => {
                        let pos = phuluc::compose::source_of(sources, part, row.as_deref());
                        BuildError::Input(d.at(pos).hint(text!(
                            "Thay ký tự đó bằng ký tự tiếng Việt chuẩn (Unicode), hoặc dùng --font-dir với phông có ký tự này.",
                            "Replace the character with standard (Unicode) Vietnamese, or use --font-dir with a font that has it."
                        )))
                    }
                    phuluc::pdf::PdfError::Layout(_) => BuildError::Input(d.hint(text!(
                        "Kiểm tra lề trang, cỡ chữ và độ rộng cột trong layout.yaml của mẫu phụ lục.",
                        "Check the page margins, font sizes and column widths in the template's layout.yaml."
                    ))),
                    _ => BuildError::Tool(d),
                }
            })?;
            outputs.push((args.out_dir.join(format!("{name}.pdf")), bytes));
        }
    }
    Ok(outputs)
}

fn render_one(
    file: &Path,
    args: &RenderArgs,
    templates: &Templates,
    pdf_options: &PdfOptions,
    lang: Lang,
) -> Outcome {
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
    let outputs = match build_outputs(
        file,
        &prepared.document,
        &prepared.sources,
        args,
        pdf_options,
    ) {
        Ok(o) => o,
        Err(BuildError::Input(d)) => {
            report(&[d], lang);
            return Outcome::Problems;
        }
        Err(BuildError::Tool(d)) => {
            report(&[d], lang);
            return Outcome::Failed;
        }
    };
    for (out, bytes) in &outputs {
        if let Err(d) = write_output(file, out, bytes) {
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
    write_file(out, bytes)
}
