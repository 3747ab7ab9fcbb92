//! The work behind `phuluc serve`'s routes, on plain values: the same library calls as
//! `phuluc render`, `check`, `import` and `diff`, with the request's bytes instead of
//! files (`/v1/report`'s is in [`super::report`], on [`crate::report::make`]).
//!
//! Contract: nothing here reads or writes a file (a plan is named `NAME.yaml` in
//! messages, `NAME` from the request); every function runs on a blocking thread, holds
//! no lock and gives back either the answer or a [`Failure`] saying whose fault it is.
//! [`render`]'s bytes are exactly the CLI's for the same plan: the same
//! [`crate::render::outputs`].

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::app::Assets;
use crate::diag::{Diagnostic, Pos};
use crate::import::file::{ImportFailure, Options, import_bytes};
use crate::render::{Format, Request, Selection};
use crate::text;

/// Why a piece of work gave no answer.
#[derive(Debug)]
pub(super) enum Failure {
    /// The plan or file sent cannot be used as it is: 422.
    Input(Vec<Diagnostic>),
    /// The request asks for something that cannot be (a page past the last): 400.
    Request(Vec<Diagnostic>),
    /// The tool failed: 500.
    Tool(Vec<Diagnostic>),
}

/// What `/v1/render` is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Pdf,
    Docx,
    /// Every file `phuluc render --format all` writes (with `split`, `--split`), zipped.
    Zip,
    /// One page of `phuluc render --format svg`.
    Svg,
}

/// One render asked.
#[derive(Debug, Clone)]
pub(super) struct Ask {
    pub(super) kind: Kind,
    pub(super) split: bool,
    /// The plan's name: `NAME.yaml` in messages, `NAME.pdf` … for the files.
    pub(super) name: String,
    /// The SVG page, from 1.
    pub(super) page: usize,
}

/// A document made.
#[derive(Debug)]
pub(super) struct Made {
    pub(super) content_type: &'static str,
    pub(super) file_name: String,
    pub(super) bytes: Vec<u8>,
    /// How many SVG pages the document has.
    pub(super) pages: Option<usize>,
}

/// The plan's text from the body: the CLI's size limit and decoding; a JSON body must
/// be JSON (its syntax errors at their line and column), and is then read as the YAML
/// it also is.
pub(super) fn plan_text<'a>(
    body: &'a [u8],
    name: &Path,
    json: bool,
) -> Result<&'a str, Vec<Diagnostic>> {
    let limit = crate::model::LoadOptions::default().max_bytes;
    let size = u64::try_from(body.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(vec![crate::model::load::too_large(name, size, limit)]);
    }
    let src = crate::model::load::decode(body, name).map_err(|d| vec![d])?;
    if json && let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(src) {
        let mut d = Diagnostic::error(text!(
            format!("JSON không hợp lệ: {e}"),
            format!("invalid JSON: {e}")
        ))
        .in_file(name);
        if e.line() > 0 {
            d.pos = Some(Pos {
                line: u32::try_from(e.line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.column().max(1)).unwrap_or(u32::MAX),
            });
        }
        return Err(vec![d]);
    }
    Ok(src)
}

/// The plan's file name in messages.
pub(super) fn plan_path(name: &str) -> PathBuf {
    PathBuf::from(format!("{name}.yaml"))
}

/// `phuluc render` of `src` as `ask` says.
pub(super) fn render(src: &str, ask: &Ask, assets: &Assets) -> Result<Made, Failure> {
    let path = plan_path(&ask.name);
    let prepared = crate::prepare_str(src, &path, &assets.templates).map_err(Failure::Input)?;
    let format = match ask.kind {
        Kind::Pdf => Format::Pdf,
        Kind::Docx => Format::Docx,
        Kind::Zip => Format::All,
        Kind::Svg => Format::Svg,
    };
    let request = Request {
        format,
        selection: if ask.split {
            Selection::Split
        } else {
            Selection::Whole
        },
        pdf: &assets.pdf,
    };
    let outputs = crate::render::outputs(&path, &prepared, &assets.templates, &request).map_err(
        |e| match e {
            crate::render::RenderError::Input(d) => Failure::Input(vec![d]),
            crate::render::RenderError::Tool(d) => Failure::Tool(vec![d]),
        },
    )?;
    let mut files = outputs.files;
    match ask.kind {
        Kind::Zip => Ok(Made {
            content_type: "application/zip",
            file_name: format!("{}.zip", ask.name),
            bytes: zip(files.iter().map(|f| (f.name.as_str(), f.bytes.as_slice())))
                .map_err(|d| Failure::Tool(vec![d]))?,
            pages: None,
        }),
        Kind::Pdf | Kind::Docx => {
            let file = files.pop().ok_or_else(|| Failure::Tool(Vec::new()))?;
            Ok(Made {
                content_type: if ask.kind == Kind::Pdf {
                    "application/pdf"
                } else {
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                },
                file_name: file.name,
                bytes: file.bytes,
                pages: None,
            })
        }
        Kind::Svg => {
            let pages = files.len();
            if ask.page == 0 || ask.page > pages {
                return Err(Failure::Request(vec![Diagnostic::error(text!(
                    format!("không có trang {}: tài liệu có {pages} trang", ask.page),
                    format!("no page {}: the document has {pages} pages", ask.page)
                ))]));
            }
            let file = files.swap_remove(ask.page - 1);
            Ok(Made {
                content_type: "image/svg+xml",
                file_name: file.name,
                bytes: file.bytes,
                pages: Some(pages),
            })
        }
    }
}

/// The files in one zip, in order, each as it would be written (fixed dates: the same
/// plan gives the same zip).
pub(super) fn zip<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<Vec<u8>, Diagnostic> {
    use zip::write::SimpleFileOptions;
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error(text!(
            format!("không đóng gói được tệp zip: {e}"),
            format!("cannot pack the zip file: {e}")
        ))
    };
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o644);
    for (name, bytes) in files {
        out.start_file(name, options).map_err(|e| fail(&e))?;
        out.write_all(bytes).map_err(|e| fail(&e))?;
    }
    out.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| fail(&e))
}

/// `phuluc check` of `src`: every problem, sorted by position.
pub(super) fn check(src: &str, name: &str, assets: &Assets) -> Vec<Diagnostic> {
    crate::check_str(src, &plan_path(name), &assets.templates, &assets.pdf.fonts)
}

/// What `/v1/import` answers.
#[derive(Debug)]
pub(super) struct ImportAnswer {
    pub(super) yaml: String,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// New template files (path under `templates/`, contents).
    pub(super) templates: Vec<(String, String)>,
}

/// `phuluc import` of a .docx's bytes (`NAME.docx` in messages), to `data/NAME.yaml`.
pub(super) fn import(bytes: &[u8], name: &str, assets: &Assets) -> Result<ImportAnswer, Failure> {
    let file = PathBuf::from(format!("{name}.docx"));
    let output = PathBuf::from(format!("data/{name}.yaml"));
    let options = Options {
        file: &file,
        output: Some(&output),
        templates_dir: None,
        agencies: None,
        // No existing file to protect: nothing is written, and nothing looked at.
        force: true,
    };
    match import_bytes(bytes, &options, assets.templates.clone()) {
        Ok(imported) => Ok(ImportAnswer {
            yaml: imported.yaml,
            diagnostics: imported.diagnostics,
            templates: imported
                .files
                .into_iter()
                .map(|(p, c)| (p.display().to_string().replace('\\', "/"), c))
                .collect(),
        }),
        Err(ImportFailure::Input(d)) => Err(Failure::Input(d)),
        Err(ImportFailure::Tool(d)) => Err(Failure::Input(d)),
    }
}

/// `phuluc diff --format json` of two plans.
pub(super) fn diff(old: &[u8], new: &[u8], assets: &Assets) -> Result<String, Failure> {
    let load = |bytes: &[u8], name: &str| {
        crate::diff::load_bytes(bytes, Path::new(name), &assets.templates)
    };
    let (old, new) =
        crate::diff::pair(load(old, "old.yaml"), load(new, "new.yaml")).map_err(Failure::Input)?;
    let changes = crate::diff::diff(&old, &new, &assets.templates);
    Ok(crate::diff::render::json(&changes))
}
