//! `phuluc render FILE.yaml…`: validate, compose and write .docx and PDF (or one SVG per
//! page).
//!
//! Contract: for each file, every output is built in memory first; only when all succeed
//! are they written, each atomically. Any error in the input → nothing written for that
//! file, diagnostics on stderr, exit 1. The input file is never touched.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang, Text};
use phuluc::document::Document;
use phuluc::pdf::{PdfError, PdfOptions};
use phuluc::svg::{Sources, SvgError, SvgOptions};
use phuluc::text;

use super::batch::{self, FileReport};
use super::watch::{Watch, catch_ctrl_c};
use super::write::write_file;
use super::{Outcome, load_fonts, load_templates, prepare_failed};

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
    templates: Option<PathBuf>,
    /// Dùng phông Times New Roman của cơ quan trong thư mục này (times.ttf, timesbd.ttf,
    /// timesi.ttf, timesbi.ttf) / use the office's Times New Roman from this folder
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
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
        super::report(
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
    let pdf_options = PdfOptions::new(fonts);
    let job = Job {
        args,
        templates: &templates,
        pdf_options: &pdf_options,
        lang,
    };
    let outcome = batch::run(&args.files, lang, |file| job.render_one(file));
    if !args.watch {
        return outcome;
    }
    watch(args, lang, templates, pdf_options)
}
/// `--watch`: after the first render, renders again each file that is saved (all of them
/// when the templates or fonts change), printing one line per render — what was written,
/// or the problems and that nothing was — until Ctrl+C.
fn watch(args: &RenderArgs, lang: Lang, mut templates: Templates, mut pdf: PdfOptions) -> Outcome {
    let watch = match Watch::new(
        &args.files,
        args.templates.as_deref(),
        args.font_dir.as_deref(),
    ) {
        Ok(w) => w,
        Err(e) => {
            super::report(
                &[Diagnostic::error(text!(
                    format!("không theo dõi được thư mục của tệp: {e}"),
                    format!("cannot watch the files' folders: {e}")
                ))],
                lang,
            );
            return Outcome::Failed;
        }
    };
    catch_ctrl_c();
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "Đang theo dõi {} tệp: lưu tệp là tạo lại (Ctrl+C để dừng).",
                args.files.len()
            ),
            Lang::En => format!(
                "Watching {} file(s): each save renders again (Ctrl+C to stop).",
                args.files.len()
            ),
        }
    );
    let mut count = 1usize;
    while let Some(changes) = watch.next() {
        // A broken template or font folder is reported and the old one kept until fixed.
        if changes.templates {
            match Templates::load(args.templates.as_deref()) {
                Ok(t) => templates = t,
                Err(diags) => super::report(&diags, lang),
            }
        }
        if changes.fonts {
            match load_fonts(args.font_dir.as_deref(), lang) {
                Ok(f) => pdf = PdfOptions::new(f),
                Err(_) => continue,
            }
        }
        let files = if changes.templates || changes.fonts {
            args.files.clone()
        } else {
            changes.files
        };
        let job = Job {
            args,
            templates: &templates,
            pdf_options: &pdf,
            lang,
        };
        for file in &files {
            count += 1;
            let start = std::time::Instant::now();
            let report = job.render_one(file);
            let ms = start.elapsed().as_millis();
            if report.outcome() == Outcome::Clean {
                let written = report
                    .written()
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                let warnings = report.warnings();
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Vi =>
                            format!("lần {count}: đã ghi {written} — {warnings} cảnh báo ({ms} ms)"),
                        Lang::En => format!(
                            "render {count}: wrote {written} — {warnings} warning(s) ({ms} ms)"
                        ),
                    }
                );
            } else {
                for line in report.lines() {
                    eprintln!("{line}");
                }
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Vi => format!(
                            "lần {count}: {} có lỗi, chưa ghi gì — tệp cũ vẫn giữ nguyên ({ms} ms)",
                            file.display()
                        ),
                        Lang::En => format!(
                            "render {count}: {} has problems, nothing written — the old files stay ({ms} ms)",
                            file.display()
                        ),
                    }
                );
            }
        }
    }
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => "Đã dừng theo dõi.",
            Lang::En => "Stopped watching.",
        }
    );
    Outcome::Clean
}

/// What every file of one `render` shares.
struct Job<'a> {
    args: &'a RenderArgs,
    templates: &'a Templates,
    pdf_options: &'a PdfOptions,
    lang: Lang,
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "phu-luc".to_owned())
}

/// Output files as (path, bytes), built in memory, not yet written.
type Outputs = Vec<(PathBuf, Vec<u8>)>;

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
    rows: &phuluc::compose::RowPositions,
    args: &RenderArgs,
    pdf_options: &PdfOptions,
) -> Result<Outputs, BuildError> {
    let stem = stem(file);
    // Each document with the row positions of its parts (one part each with --split).
    let docs: Vec<(String, Document, phuluc::compose::RowPositions)> = if args.split {
        phuluc::compose::split(doc)
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let slug = d.parts.first().map_or_else(String::new, |p| p.slug.clone());
                let positions = rows.get(i).cloned().into_iter().collect();
                (format!("{stem}-{slug}"), d, positions)
            })
            .collect()
    } else {
        vec![(stem, doc.clone(), rows.clone())]
    };
    let mut outputs = Vec::new();
    for (name, doc, rows) in &docs {
        let sources = (sources, rows);
        write_formats(file, name, doc, sources, args, pdf_options, &mut outputs)?;
    }
    Ok(outputs)
}

/// `doc` in the formats asked for, as `DIR/<name>.docx` and `DIR/<name>.pdf` (or
/// `DIR/<name>-<page>.svg`); `sources` says where its parts and rows come from.
fn write_formats(
    file: &Path,
    name: &str,
    doc: &Document,
    (sources, rows): (&phuluc::compose::SourceMap, &phuluc::compose::RowPositions),
    args: &RenderArgs,
    pdf_options: &PdfOptions,
    outputs: &mut Outputs,
) -> Result<(), BuildError> {
    let want_docx = matches!(args.format, Format::Docx | Format::All);
    let want_pdf = matches!(args.format, Format::Pdf | Format::All);
    // The two writers read the same Document and share nothing else: on two cores the
    // .docx is made while the PDF is laid out, and the wall time is the slower one's.
    let (docx, pdf) = std::thread::scope(|scope| {
        let docx = want_docx.then(|| scope.spawn(|| phuluc::docx::docx(doc)));
        let pdf = want_pdf.then(|| phuluc::pdf::pdf(doc, pdf_options));
        (docx.map(|handle| handle.join()), pdf)
    });
    if let Some(joined) = docx {
        let bytes = joined
            .map_err(|_| BuildError::Tool(batch::internal_error(file)))?
            .map_err(|e| {
                BuildError::Tool(
                    Diagnostic::error(Text::new(e.to_string(), e.to_string())).in_file(file),
                )
            })?;
        outputs.push((args.out_dir.join(format!("{name}.docx")), bytes));
    }
    if let Some(pdf) = pdf {
        let bytes = pdf.map_err(|e| pdf_error(file, sources, &e))?;
        outputs.push((args.out_dir.join(format!("{name}.pdf")), bytes));
    }
    if args.format == Format::Svg {
        let options = SvgOptions {
            fonts: pdf_options.fonts.clone(),
            sources: svg_sources(doc, sources, rows),
        };
        let pages = phuluc::svg::svg(doc, &options).map_err(|e| match e {
            SvgError::Layout(e) => pdf_error(file, sources, &PdfError::Layout(e)),
            SvgError::Font(e) => pdf_error(file, sources, &PdfError::Font(e)),
            SvgError::Empty => pdf_error(file, sources, &PdfError::Empty),
        })?;
        for index in 0..pages.pages.len() {
            if let Some(page) = pages.standalone(index) {
                let path = args.out_dir.join(format!("{name}-{}.svg", index + 1));
                outputs.push((path, page.into_bytes()));
            }
        }
    }
    Ok(())
}

/// Each agency's extract (or only `--agency NAME`'s), as `DIR/<agency slug>.docx|pdf`;
/// the lines say which agencies were left out for having no row.
fn build_agency_outputs(
    file: &Path,
    prepared: &phuluc::Prepared,
    templates: &Templates,
    args: &RenderArgs,
    pdf_options: &PdfOptions,
    lang: Lang,
) -> Result<(Outputs, Vec<String>), BuildError> {
    let register = phuluc::compose::agencies::register(&prepared.plan, templates);
    let chosen: Vec<usize> = match &args.agency {
        Some(name) => vec![
            find_agency(&register, name)
                .ok_or_else(|| BuildError::Tool(unknown_agency(file, &register, name)))?,
        ],
        None => (0..register.agencies.len()).collect(),
    };
    let mut outputs = Vec::new();
    let mut notes = Vec::new();
    for index in chosen {
        let agency = &register.agencies[index];
        let extract = phuluc::compose::agencies::extract(&prepared.plan, templates, index)
            .map_err(|diags| {
                BuildError::Input(
                    diags
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| batch::internal_error(file)),
                )
            })?;
        let Some((doc, sources)) = extract else {
            if args.agency.is_some() {
                return Err(BuildError::Tool(
                    Diagnostic::error(text!(
                        format!("không có dòng nào giao “{}” chủ trì hay phối hợp", agency.name),
                        format!("no row has “{}” leading or supporting", agency.name)
                    ))
                    .in_file(file)
                    .hint(text!(
                        "Tên này chỉ có trong danh sách “agencies:”; xem phuluc agencies để biết cơ quan nào có nhiệm vụ.",
                        "The name is only in the “agencies:” list; phuluc agencies shows which agencies have tasks."
                    )),
                ));
            }
            notes.push(match lang {
                Lang::Vi => format!(
                    "bỏ qua “{}”: không có dòng nào giao chủ trì hay phối hợp",
                    agency.name
                ),
                Lang::En => format!(
                    "skipped “{}”: no row has it leading or supporting",
                    agency.name
                ),
            });
            continue;
        };
        write_formats(
            file,
            &agency.slug,
            &doc,
            // An extract's rows are picked from the plan: only its parts' positions are
            // known.
            (&sources, &phuluc::compose::RowPositions::new()),
            args,
            pdf_options,
            &mut outputs,
        )?;
    }
    Ok((outputs, notes))
}

/// The agency `name` stands for: its name or any of its spellings (folded as `check`
/// folds them), or its file name.
fn find_agency(register: &phuluc::register::Register, name: &str) -> Option<usize> {
    use phuluc::compose::lint::fold;
    let key = fold(name);
    register.agencies.iter().position(|a| {
        a.slug == name.trim() || fold(&a.name) == key || a.spellings.iter().any(|s| fold(s) == key)
    })
}

fn unknown_agency(file: &Path, register: &phuluc::register::Register, name: &str) -> Diagnostic {
    let names: Vec<String> = register
        .agencies
        .iter()
        .map(|a| format!("“{}” ({})", a.name, a.slug))
        .collect();
    let list = names.join(", ");
    Diagnostic::error(text!(
        format!("kế hoạch không có cơ quan “{name}”"),
        format!("the plan names no agency “{name}”")
    ))
    .in_file(file)
    .hint(text!(
        format!("Các cơ quan trong kế hoạch: {list}."),
        format!("The plan's agencies: {list}.")
    ))
}

/// Where the SVG writer's `data-src` attributes point: each part's heading block by its
/// name, each body row by its place.
pub(super) fn svg_sources(
    doc: &Document,
    sources: &phuluc::compose::SourceMap,
    rows: &phuluc::compose::RowPositions,
) -> Sources {
    Sources::new(doc.parts.iter().enumerate().map(|(i, part)| {
        (
            phuluc::compose::source_of(sources, &part.outline, None),
            rows.get(i).cloned().unwrap_or_default(),
        )
    }))
}

/// Why the PDF writer stopped, as a message pointing at the row where it can.
fn pdf_error(
    file: &Path,
    sources: &phuluc::compose::SourceMap,
    e: &phuluc::pdf::PdfError,
) -> BuildError {
    match e {
        phuluc::pdf::PdfError::Layout(layout) => {
            BuildError::Input(layout_problem(file, sources, layout))
        }
        _ => BuildError::Tool(Diagnostic::error(e.to_text()).in_file(file)),
    }
}

/// Why the plan cannot be laid out, pointing at the row where it can (also the preview's
/// message).
pub(super) fn layout_problem(
    file: &Path,
    sources: &phuluc::compose::SourceMap,
    e: &phuluc::layout::LayoutError,
) -> Diagnostic {
    let d = Diagnostic::error(e.to_text()).in_file(file);
    match e {
        phuluc::layout::LayoutError::MissingGlyph { part, row, .. } => {
            let pos = phuluc::compose::source_of(sources, part, row.as_deref());
            d.at(pos).hint(text!(
                "Thay ký tự đó bằng ký tự tiếng Việt chuẩn (Unicode), hoặc dùng --font-dir với phông có ký tự này.",
                "Replace the character with standard (Unicode) Vietnamese, or use --font-dir with a font that has it."
            ))
        }
        _ => d.hint(text!(
            "Kiểm tra lề trang, cỡ chữ và độ rộng cột trong layout.yaml của mẫu phụ lục.",
            "Check the page margins, font sizes and column widths in the template's layout.yaml."
        )),
    }
}

impl Job<'_> {
    /// Renders one file: its messages (in order) and how it ended. Prints nothing, so
    /// files rendered side by side never mix their lines.
    fn render_one(&self, file: &Path) -> FileReport {
        let (args, lang) = (self.args, self.lang);
        let mut report = FileReport::new(lang);
        let prepared = match phuluc::prepare(file, self.templates) {
            Ok(p) => p,
            Err(diags) => {
                report.diagnostics(&diags);
                return report.ended(prepare_failed(file, &diags));
            }
        };
        report.diagnostics(&prepared.warnings);
        let built = if args.by_agency || args.agency.is_some() {
            build_agency_outputs(
                file,
                &prepared,
                self.templates,
                args,
                self.pdf_options,
                lang,
            )
        } else {
            build_outputs(
                file,
                &prepared.document,
                &prepared.sources,
                &prepared.rows,
                args,
                self.pdf_options,
            )
            .map(|o| (o, Vec::new()))
        };
        let outputs = match built {
            Ok((o, notes)) => {
                for note in notes {
                    report.line(note);
                }
                o
            }
            Err(BuildError::Input(d)) => {
                report.diagnostics(&[d]);
                return report.ended(Outcome::Problems);
            }
            Err(BuildError::Tool(d)) => {
                report.diagnostics(&[d]);
                return report.ended(Outcome::Failed);
            }
        };
        for (out, bytes) in &outputs {
            if let Err(d) = write_output(file, out, bytes) {
                report.diagnostics(&[d]);
                return report.ended(Outcome::Failed);
            }
            report.wrote(out);
        }
        report.ended(Outcome::Clean)
    }
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
