//! `phuluc render FILE.yaml…`: validate, compose and write .docx and PDF (or one SVG per
//! page).
//!
//! Contract: for each file, [`phuluc::render::outputs`] builds every output in memory;
//! only when all succeed are they written, each atomically. SVG pages, thousands for a
//! long plan, are not held: [`phuluc::render::each_output`] hands each over as it is
//! drawn, it is written into a hidden staging folder beside the outputs
//! ([`phuluc::write::Staging`]), and all are moved into place once the last is made.
//! Either way: any error in the input → nothing written for that file, diagnostics on
//! stderr, exit 1; the files and the lines printed are the same. The input file is never
//! touched. This file only reads the flags, calls the library, writes and prints.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang, Text};
use phuluc::pdf::PdfOptions;
use phuluc::render::{RenderError, Request, Selection};
use phuluc::text;

use super::batch::{self, FileReport};
use super::shared::{Outcome, load_fonts, load_templates, prepare_failed};
use phuluc::write::{Staging, write_file};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Chỉ .docx / .docx only
    Docx,
    /// Chỉ PDF / PDF only
    Pdf,
    /// Cả .docx và PDF / both
    All,
    /// Mỗi trang một tệp SVG (<tên>-<trang>.svg), như bản in / one SVG per page, as printed
    Svg,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Tệp YAML kế hoạch / plan YAML file(s)
    #[arg(required = true, value_name = "FILE.yaml")]
    pub(super) files: Vec<PathBuf>,
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
    #[arg(long, conflicts_with = "by_agency")]
    split: bool,
    /// Mỗi cơ quan một danh mục nhiệm vụ chủ trì, phối hợp (phong-van-hoa-xa-hoi.pdf …) /
    /// one list of tasks per agency, the rows it leads and supports
    #[arg(long)]
    by_agency: bool,
    /// Chỉ tạo danh mục của cơ quan này (tên như trong kế hoạch, hoặc tên tệp của nó) /
    /// only this agency's list (its name as in the plan, or its file name)
    #[arg(long, value_name = "NAME", conflicts_with = "split")]
    agency: Option<String>,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn / extra or replacement templates folder
    #[arg(long, value_name = "DIR")]
    pub(super) templates: Option<PathBuf>,
    /// Dùng phông Times New Roman của cơ quan trong thư mục này (times.ttf, timesbd.ttf,
    /// timesi.ttf, timesbi.ttf) / use the office's Times New Roman from this folder
    #[arg(long, value_name = "DIR")]
    pub(super) font_dir: Option<PathBuf>,
    /// Theo dõi tệp, tạo lại mỗi khi lưu (Ctrl+C để dừng) / re-render on every save
    #[arg(long)]
    watch: bool,
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
    if (args.by_agency || args.agency.is_some()) && args.files.len() > 1 {
        super::shared::report(
            &[Diagnostic::error(text!(
                format!(
                    "--by-agency nhận một tệp kế hoạch, không phải {}",
                    args.files.len()
                ),
                format!(
                    "--by-agency takes one plan file, not {}",
                    args.files.len()
                )
            ))
            .hint(text!(
                "Chạy riêng cho từng kế hoạch, mỗi lần một thư mục -o: tên tệp là tên cơ quan, hai kế hoạch sẽ ghi đè lên nhau.",
                "Run it once per plan, each with its own -o folder: files are named after the agency, so two plans would overwrite each other."
            ))],
            lang,
        );
        return Outcome::Failed;
    }
    let pdf = PdfOptions::new(fonts);
    let outcome = batch::run(&args.files, lang, |file| {
        render_one(args, file, &templates, &pdf, lang)
    });
    if !args.watch {
        return outcome;
    }
    let watched = super::watch::Watched {
        files: &args.files,
        templates: args.templates.as_deref(),
        font_dir: args.font_dir.as_deref(),
    };
    super::watch::rerender(&watched, lang, templates, pdf, |file, templates, pdf| {
        render_one(args, file, templates, pdf, lang)
    })
}

/// Renders one file: its messages (in order) and how it ended. Prints nothing, so files
/// rendered side by side never mix their lines.
pub(super) fn render_one(
    args: &RenderArgs,
    file: &Path,
    templates: &Templates,
    pdf: &PdfOptions,
    lang: Lang,
) -> FileReport {
    let mut report = FileReport::new(lang);
    let prepared = match phuluc::prepare(file, templates) {
        Ok(p) => p,
        Err(diags) => {
            report.diagnostics(&diags);
            return report.ended(prepare_failed(file, &diags));
        }
    };
    report.diagnostics(&prepared.warnings);
    let request = Request {
        format: match args.format {
            Format::Docx => phuluc::render::Format::Docx,
            Format::Pdf => phuluc::render::Format::Pdf,
            Format::All => phuluc::render::Format::All,
            Format::Svg => phuluc::render::Format::Svg,
        },
        selection: if args.by_agency || args.agency.is_some() {
            Selection::Agencies(args.agency.clone())
        } else if args.split {
            Selection::Split
        } else {
            Selection::Whole
        },
        pdf,
    };
    let made = if args.format == Format::Svg {
        streamed(args, file, &prepared, templates, &request)
    } else {
        held(args, file, &prepared, templates, &request)
    };
    let (notes, written) = match made {
        Ok(made) => made,
        Err(RenderError::Input(d)) => {
            report.diagnostics(&[d]);
            return report.ended(Outcome::Problems);
        }
        Err(RenderError::Tool(d)) => {
            report.diagnostics(&[d]);
            return report.ended(Outcome::Failed);
        }
    };
    for note in &notes {
        report.line(note.get(lang).to_owned());
    }
    for out in &written {
        report.wrote(out);
    }
    report.ended(Outcome::Clean)
}

/// The notes and the files written, in order.
type Made = (Vec<Text>, Vec<PathBuf>);

/// The .docx and PDF: made in memory, then written one by one, each atomically.
fn held(
    args: &RenderArgs,
    file: &Path,
    prepared: &phuluc::Prepared,
    templates: &Templates,
    request: &Request<'_>,
) -> Result<Made, RenderError> {
    let outputs = phuluc::render::outputs(file, prepared, templates, request)?;
    let mut written = Vec::new();
    for output in &outputs.files {
        let out = args.out_dir.join(&output.name);
        write_output(file, &out, &output.bytes).map_err(RenderError::Tool)?;
        written.push(out);
    }
    Ok((outputs.notes, written))
}

/// The SVG pages: each staged as soon as it is drawn, all moved into place at the end.
/// Dropped on an error, the staging folder goes with what it held.
fn streamed(
    args: &RenderArgs,
    file: &Path,
    prepared: &phuluc::Prepared,
    templates: &Templates,
    request: &Request<'_>,
) -> Result<Made, RenderError> {
    let mut staging = Staging::new(&args.out_dir);
    let notes = phuluc::render::each_output(file, prepared, templates, request, &mut |output| {
        not_the_input(file, &args.out_dir.join(&output.name))?;
        staging.add(&output.name, &output.bytes)
    })?;
    let written = staging.commit().map_err(RenderError::Tool)?;
    Ok((notes, written))
}

fn write_output(input: &Path, out: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    not_the_input(input, out)?;
    write_file(out, bytes)
}

/// Refuses an output that is the input file itself.
fn not_the_input(input: &Path, out: &Path) -> Result<(), Diagnostic> {
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
    Ok(())
}
