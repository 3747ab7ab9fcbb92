//! Render: every file one prepared plan makes for `phuluc render`, as named bytes.
//!
//! Contract: [`outputs`] decides which documents a plan gives — the whole plan, one per
//! appendix (`split`), or one per agency (`by agency`, or one named agency) — and writes
//! each in the formats asked for: `NAME.docx`, `NAME.pdf`, or one `NAME-PAGE.svg` per
//! page. Everything is built in memory and nothing is written: the caller writes the
//! files (atomically) only when all of them were made. [`each_output`] makes the same
//! files and hands each over as soon as it is made, an SVG page the moment it is drawn,
//! so the thousands of pages of a long plan are never all in memory: the caller stages
//! them ([`crate::write::Staging`]) and moves them into place only when all were made. A
//! problem in the plan (a character
//! the font lacks, a broken template line in an extract) is a [`RenderError::Input`]; a
//! failure of the tool (a writer's error, an agency the plan does not name) a
//! [`RenderError::Tool`]. Each carries its [`Diagnostic`], pointing into the plan file
//! where it can (the layout's errors carry their origin). Same input, same bytes.

use std::path::Path;

use crate::Prepared;
use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, Text, ToDiagnostic};
use crate::document::Document;
use crate::pdf::{PdfError, PdfOptions};
use crate::register::Register;
use crate::svg::{PagesError, SvgError, SvgOptions};
use crate::text;

/// The formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The .docx only.
    Docx,
    /// The PDF only.
    Pdf,
    /// The .docx and the PDF.
    All,
    /// One SVG per page, as printed.
    Svg,
}

/// Which documents a plan gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The whole plan, named after its file.
    Whole,
    /// One document per appendix, `FILE-phu-luc-I` …
    Split,
    /// Each agency's extract, named after the agency; only `Some(name)`'s when given (its
    /// name as in the plan, any spelling `check` folds to it, or its file name).
    Agencies(Option<String>),
}

/// What to render.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The formats.
    pub format: Format,
    /// The documents.
    pub selection: Selection,
    /// The PDF writer's options (their fonts are the SVG writer's too).
    pub pdf: &'a PdfOptions,
}

/// One file to write: its name (no folder) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// File name, e.g. `ke-hoach-phu-luc-I.pdf`.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Everything [`outputs`] made.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    /// The files, in the order to write them.
    pub files: Vec<Output>,
    /// What a reader should know besides (agencies left out for having no row).
    pub notes: Vec<Text>,
}

/// Why no file was made.
#[derive(Debug, Clone, PartialEq)]
pub enum RenderError {
    /// The plan cannot be rendered as it is: fix the input.
    Input(Diagnostic),
    /// The tool failed (a writer, or a request the plan cannot answer).
    Tool(Diagnostic),
}

/// What takes each file [`each_output`] makes; an error (the file could not be written)
/// stops the render with it, as a [`RenderError::Tool`].
pub type Each<'e> = dyn FnMut(Output) -> Result<(), Diagnostic> + 'e;

/// Every file `request` asks of the plan `file` prepared as `prepared`.
pub fn outputs(
    file: &Path,
    prepared: &Prepared,
    templates: &Templates,
    request: &Request<'_>,
) -> Result<Outputs, RenderError> {
    let mut files = Vec::new();
    let notes = each_output(file, prepared, templates, request, &mut |output| {
        files.push(output);
        Ok(())
    })?;
    Ok(Outputs { files, notes })
}

/// The files [`outputs`] makes, in its order and with its bytes, each handed to `each` as
/// soon as it is made and not kept; returns the notes. Files handed over before an error
/// stay handed over.
pub fn each_output(
    file: &Path,
    prepared: &Prepared,
    templates: &Templates,
    request: &Request<'_>,
    each: &mut Each<'_>,
) -> Result<Vec<Text>, RenderError> {
    let stem = stem(file);
    let mut notes = Vec::new();
    match &request.selection {
        Selection::Whole => formats(file, &stem, &prepared.document, request, each)?,
        Selection::Split => {
            for doc in crate::compose::split(&prepared.document) {
                let slug = doc
                    .parts
                    .first()
                    .map_or_else(String::new, |p| p.slug.clone());
                formats(file, &format!("{stem}-{slug}"), &doc, request, each)?;
            }
        }
        Selection::Agencies(only) => {
            agencies(
                file,
                prepared,
                templates,
                only.as_deref(),
                request,
                (each, &mut notes),
            )?;
        }
    }
    Ok(notes)
}

/// The name outputs of `file` start with: its name without the extension.
fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "phu-luc".to_owned())
}

/// `doc` in the formats asked for, as `NAME.docx`, `NAME.pdf` or `NAME-PAGE.svg`.
fn formats(
    file: &Path,
    name: &str,
    doc: &Document,
    request: &Request<'_>,
    each: &mut Each<'_>,
) -> Result<(), RenderError> {
    let want_docx = matches!(request.format, Format::Docx | Format::All);
    let want_pdf = matches!(request.format, Format::Pdf | Format::All);
    // The two writers read the same Document and share nothing else: on two cores the
    // .docx is made while the PDF is laid out, and the wall time is the slower one's.
    let (docx, pdf) = std::thread::scope(|scope| {
        let docx = want_docx.then(|| scope.spawn(|| crate::docx::docx(doc)));
        let pdf = want_pdf.then(|| crate::pdf::pdf(doc, request.pdf));
        (docx.map(|handle| handle.join()), pdf)
    });
    if let Some(joined) = docx {
        let bytes = joined
            .map_err(|_| RenderError::Tool(internal_error(file)))?
            .map_err(|e| RenderError::Tool(e.to_diagnostic().in_file(file)))?;
        each(Output {
            name: format!("{name}.docx"),
            bytes,
        })
        .map_err(RenderError::Tool)?;
    }
    if let Some(pdf) = pdf {
        let bytes = pdf.map_err(|e| match e {
            PdfError::Layout(e) => layout_error(file, &e),
            e => RenderError::Tool(e.to_diagnostic().in_file(file)),
        })?;
        each(Output {
            name: format!("{name}.pdf"),
            bytes,
        })
        .map_err(RenderError::Tool)?;
    }
    if request.format == Format::Svg {
        let options = SvgOptions {
            fonts: request.pdf.fonts.clone(),
        };
        // Each page is handed over as it is drawn and dropped: the pages of a long plan
        // are never all in memory.
        crate::svg::write_pages(doc, &options, |index, page| {
            each(Output {
                name: format!("{name}-{}.svg", index + 1),
                bytes: page.into_bytes(),
            })
        })
        .map_err(|e| match e {
            PagesError::Svg(SvgError::Layout(e)) => layout_error(file, &e),
            PagesError::Svg(e) => RenderError::Tool(e.to_diagnostic().in_file(file)),
            PagesError::Sink(d) => RenderError::Tool(d),
        })?;
    }
    Ok(())
}

/// A layout error: a problem in the plan, at the place it carries.
fn layout_error(file: &Path, e: &crate::layout::LayoutError) -> RenderError {
    RenderError::Input(e.to_diagnostic().in_file(file))
}

/// Each agency's extract (or only `only`'s), as `AGENCY-SLUG.docx|pdf`; the notes say
/// which agencies were left out for having no row.
fn agencies(
    file: &Path,
    prepared: &Prepared,
    templates: &Templates,
    only: Option<&str>,
    request: &Request<'_>,
    (each, notes): (&mut Each<'_>, &mut Vec<Text>),
) -> Result<(), RenderError> {
    let register = crate::compose::agencies::register(&prepared.plan, templates);
    let chosen: Vec<usize> = match only {
        Some(name) => vec![
            find_agency(&register, name)
                .ok_or_else(|| RenderError::Tool(unknown_agency(file, &register, name)))?,
        ],
        None => (0..register.agencies.len()).collect(),
    };
    for index in chosen {
        let agency = &register.agencies[index];
        let extract = crate::compose::agencies::extract(&prepared.plan, templates, index).map_err(
            |diags| {
                RenderError::Input(
                    diags
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| internal_error(file)),
                )
            },
        )?;
        let Some(doc) = extract else {
            if only.is_some() {
                return Err(RenderError::Tool(
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
            notes.push(text!(
                format!(
                    "bỏ qua “{}”: không có dòng nào giao chủ trì hay phối hợp",
                    agency.name
                ),
                format!(
                    "skipped “{}”: no row has it leading or supporting",
                    agency.name
                )
            ));
            continue;
        };
        formats(file, &agency.slug, &doc, request, each)?;
    }
    Ok(())
}

/// The agency `name` stands for: its name or any of its spellings (folded as `check`
/// folds them), or its file name.
fn find_agency(register: &Register, name: &str) -> Option<usize> {
    use crate::compose::lint::fold;
    let key = fold(name);
    register.agencies.iter().position(|a| {
        a.slug == name.trim() || fold(&a.name) == key || a.spellings.iter().any(|s| fold(s) == key)
    })
}

fn unknown_agency(file: &Path, register: &Register, name: &str) -> Diagnostic {
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

/// The message for a file whose processing hit a bug of ours (a panic).
pub fn internal_error(file: &Path) -> Diagnostic {
    Diagnostic::error(text!(
        "lỗi nội bộ của phuluc khi xử lý tệp này; các tệp khác không bị ảnh hưởng",
        "internal error in phuluc while processing this file; other files are not affected"
    ))
    .in_file(file)
    .hint(text!(
        "Hãy báo lỗi cho người phát triển, gửi kèm tệp này và dòng thông báo phía trên.",
        "Please report this to the developers with this file and the message above."
    ))
}
