//! `phuluc report`: close the loop after signing — the filled-in tracking workbooks read
//! back, every task's progress, result and note taken from them, and the progress report
//! appendix (báo cáo kết quả thực hiện) composed for the same writers as the plan.
//!
//! Contract: [`build`] reads workbooks already in memory against a validated plan — each
//! through the bounded [`reader`], its sheets through [`sheets`], its rows paired with the
//! plan's by key, then text, then similarity ([`matching`]), all workbooks' rows for one
//! task merged with the lead agency's own workbook winning a conflict ([`merge`]) — and
//! reads each task's "Lộ trình" as a deadline ([`deadlines`]). Every problem is a
//! Vietnamese warning naming the file, sheet and cell; a workbook that cannot be read or
//! is not this plan's is an error. [`compose::document`] lays the result out through the
//! template kinds `bao-cao`, `bao-cao-tong-hop` and `bao-cao-qua-han`; [`run`] does it
//! all from file names, with the .docx, PDF and merged workbook bytes as the result; the
//! preview shows [`document`]'s result. [`make`] and [`document_from`] are the same on a
//! plan's text and workbooks' bytes already in memory (`phuluc serve`): the file-name
//! functions only read the files and call them, so the command and the service give the
//! same bytes and the same warnings.

pub mod clock;
pub mod compose;
pub mod deadlines;
pub mod error;
pub mod matching;
pub mod merge;
pub mod reader;
pub mod sheets;
pub mod status;
pub mod tasks;

use std::path::{Path, PathBuf};

use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, SourceResult, Text, ToDiagnostic, has_errors};
use crate::document::{Date, Document};
use crate::model::Plan;
use crate::register::{Register, Value};
use crate::text;
use deadlines::Deadline;
use error::ReportError;
use matching::Items;
use sheets::SheetKind;
use status::Status;
pub use tasks::{AgencyLine, Report, Task, deadline_column};

/// A workbook given to the report: how messages name it, and its bytes.
pub type Input = (String, Vec<u8>);

/// The report of `plan` from the `workbooks` (see the module's contract), with its
/// warnings; errors when a workbook cannot be read or is not this plan's.
pub fn build(
    plan: &Plan,
    templates: &Templates,
    workbooks: &[Input],
    as_of: Date,
) -> SourceResult<(Report, Vec<Diagnostic>)> {
    let register = crate::compose::agencies::register(plan, templates);
    let items = Items::new(&register);
    let mut diags = Vec::new();
    let main_headers: Vec<&str> = register
        .sheets
        .iter()
        .filter_map(|s| {
            let main = s
                .columns
                .iter()
                .position(|c| c.role == crate::register::ColumnRole::Main)?;
            Some(s.columns[main].header.as_str())
        })
        .collect();
    let mut read = Vec::new();
    let names: Vec<String> = workbooks.iter().map(|(n, _)| n.clone()).collect();
    for (file, (name, bytes)) in workbooks.iter().enumerate() {
        match reader::read(bytes) {
            Ok(book) => {
                for sheet in &book.sheets {
                    for &(row, col, chars) in &sheet.cut {
                        let at = format!("{}{}", crate::xlsx::column_letters(col), row + 1);
                        diags.push(Diagnostic::warning(text!(
                            format!("{name}, {}!{at}: ô dài {chars} ký tự, chỉ đọc {} ký tự đầu (giới hạn một ô Excel)", sheet.name, reader::MAX_CELL_CHARS),
                            format!("{name}, {}!{at}: the cell has {chars} characters; only the first {} are read (an Excel cell's limit)", sheet.name, reader::MAX_CELL_CHARS)
                        )));
                    }
                }
                read.push(sheets::read(file, &book, &main_headers));
            }
            Err(error) => {
                diags.push(
                    ReportError::Workbook {
                        file: name.clone(),
                        error,
                    }
                    .to_diagnostic(),
                );
                read.push(Vec::new());
            }
        }
    }
    if has_errors(&diags) {
        return Err(diags);
    }
    let mut matched = Vec::new();
    for (file, sheets) in read.iter().enumerate() {
        let name = &names[file];
        let m = matching::match_workbook(&register, &items, name, sheets, &mut diags);
        sheet_notes(&register, &items, name, sheets, &m, &mut diags);
        let tracked = sheets.iter().any(|s| {
            matches!(
                s.kind,
                SheetKind::Appendix | SheetKind::Keyless | SheetKind::Mirror
            )
        });
        if m.hits == 0 {
            let file = name.clone();
            let e = if tracked {
                ReportError::NotThisPlan { file }
            } else {
                ReportError::NotTracking { file }
            };
            diags.push(e.to_diagnostic());
        }
        matched.push(m);
    }
    if has_errors(&diags) {
        return Err(diags);
    }
    let reported = merge::merge(&register, &items, &names, &matched, &mut diags);
    for (s, sheet) in register.sheets.iter().enumerate() {
        let count = items.items.iter().filter(|i| i.sheet == s).count();
        let any = matched
            .iter()
            .flat_map(|m| m.pairs.iter())
            .any(|(_, i, _)| items.items[*i].sheet == s);
        if count > 0 && !any {
            diags.push(
                Diagnostic::warning(text!(
                    format!("{}: không sổ nào có dòng của phụ lục này; cả {count} nhiệm vụ được ghi “Chưa báo cáo”", sheet.name),
                    format!("{}: no workbook has a row of this appendix; all {count} tasks are “Chưa báo cáo”", sheet.name)
                ))
                .hint(text!(
                    format!("Kiểm tra trang tính “{}” còn trong sổ (không bị xóa hay đổi tên mất cột Mã dòng).", sheet.name),
                    format!("Check that the sheet “{}” is still in the workbook (not deleted, its Mã dòng column kept).", sheet.name)
                )),
            );
        }
    }
    let mut tasks = Vec::with_capacity(items.items.len());
    for (i, item) in items.items.iter().enumerate() {
        let sheet = &register.sheets[item.sheet];
        let entry = &sheet.rows[item.entry];
        let deadline = match deadline_column(sheet) {
            Some(c) => match entry.values.get(c) {
                Some(Some(Value::Date(d))) => Deadline::By(*d),
                _ => deadlines::deadline(entry.cells.get(c).map_or("", String::as_str)),
            },
            None => Deadline::None,
        };
        if deadline == Deadline::Unreadable {
            let c = deadline_column(sheet).unwrap_or(0);
            let header = &sheet.columns[c].header;
            let phrase = entry.cells.get(c).map_or("", String::as_str);
            diags.push(
                Diagnostic::warning(text!(
                    format!("{}, {}: không đọc được hạn từ “{header}”: “{phrase}”; nhiệm vụ này không được xét quá hạn", sheet.name, entry.name),
                    format!("{}, {}: cannot read a deadline from “{header}”: “{phrase}”; this task is not checked for being overdue", sheet.name, entry.name)
                ))
                .hint(text!(
                    "Viết lộ trình như “Năm 2026”, “Quý II/2026”, “Tháng 6/2026”, “Trước ngày 30/6/2026”, “6 tháng đầu năm 2026” hoặc “Thường xuyên” (xem README).",
                    "Write the deadline as “Năm 2026”, “Quý II/2026”, “Tháng 6/2026”, “Trước ngày 30/6/2026”, “6 tháng đầu năm 2026” or “Thường xuyên” (see README)."
                )),
            );
        }
        let reported = reported[i].clone();
        let overdue =
            matches!(deadline, Deadline::By(d) if d < as_of) && reported.status != Status::Done;
        tasks.push(Task {
            item: *item,
            reported,
            deadline,
            overdue,
        });
    }
    Ok((
        Report {
            register,
            tasks,
            as_of,
        },
        diags,
    ))
}

/// Warnings about sheets: not of the workbook, without their key column, renamed.
fn sheet_notes(
    register: &Register,
    items: &Items<'_>,
    file: &str,
    sheets: &[sheets::SheetRead],
    matched: &matching::Matched<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let names: Vec<&str> = register.sheets.iter().map(|s| s.name.as_str()).collect();
    for sheet in sheets {
        let name = &sheet.name;
        match sheet.kind {
            SheetKind::Other => diags.push(Diagnostic::warning(text!(
                format!("{file}, {name}: trang tính không có cột “Mã dòng” hay “Tiến độ” của sổ theo dõi; không đọc"),
                format!("{file}, {name}: the sheet has no “Mã dòng” or “Tiến độ” column of the tracking workbook; not read")
            ))),
            SheetKind::Keyless => diags.push(
                Diagnostic::warning(text!(
                    format!("{file}, {name}: trang tính mất cột “Mã dòng”; các dòng được ghép theo nội dung"),
                    format!("{file}, {name}: the sheet has lost its “Mã dòng” column; rows are matched by their text")
                ))
                .hint(text!(
                    "Lần sau giữ nguyên cột ẩn “Mã dòng” khi chép hay sắp xếp trang tính.",
                    "Next time keep the hidden “Mã dòng” column when copying or sorting the sheet."
                )),
            ),
            SheetKind::Appendix if !names.contains(&name.as_str()) => {
                let mut of: Vec<&str> = matched
                    .pairs
                    .iter()
                    .filter(|(o, _, _)| o.sheet == *name)
                    .map(|(_, i, _)| names[items.items[*i].sheet])
                    .collect();
                of.sort_unstable();
                of.dedup();
                if !of.is_empty() {
                    diags.push(Diagnostic::warning(text!(
                        format!("{file}: trang tính “{name}” không mang tên phụ lục nào của kế hoạch (đã đổi tên?); các dòng vẫn được đọc theo mã dòng — là dòng của {}", of.join(", ")),
                        format!("{file}: sheet “{name}” is not named after an appendix of the plan (renamed?); its rows are still read by their keys — rows of {}", of.join(", "))
                    )));
                }
            }
            _ => {}
        }
    }
}

/// A workbook file's bytes, refused unread when it is larger than the reader takes.
pub fn read_input(path: &Path) -> Result<Input, Diagnostic> {
    let name = path.display().to_string();
    let failed = |e: std::io::Error| {
        ReportError::Unreadable {
            file: path.to_path_buf(),
            reason: e.to_string(),
        }
        .to_diagnostic()
    };
    let size = std::fs::metadata(path).map_err(failed)?.len();
    if size > reader::MAX_FILE_BYTES as u64 {
        let error = reader::ReadError::TooLarge {
            bytes: usize::try_from(size).unwrap_or(usize::MAX),
        };
        return Err(ReportError::Workbook { file: name, error }.to_diagnostic());
    }
    Ok((name, std::fs::read(path).map_err(failed)?))
}

/// Every workbook file read ([`read_input`]), and the errors of those that could not be.
fn read_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<Diagnostic>) {
    let (mut inputs, mut unread) = (Vec::new(), Vec::new());
    for path in paths {
        match read_input(path) {
            Ok(input) => inputs.push(input),
            Err(d) => unread.push(d),
        }
    }
    (inputs, unread)
}

/// A plan in memory: its text, and the file name messages give it (whose stem also
/// names the report's files). Nothing is read from that name.
#[derive(Debug, Clone, Copy)]
pub struct PlanText<'a> {
    /// The plan file's contents.
    pub src: &'a str,
    /// How messages name it: `ke-hoach.yaml` → `ke-hoach.yaml:12:5`, `ke-hoach-bao-cao.pdf`.
    pub path: &'a Path,
}

/// The report of the plan file `plan` from the workbook files `workbooks`, composed:
/// what [`run`] writes and the preview shows, with every warning (the plan's too).
/// [`document_from`] on the files' contents.
pub fn document(
    plan: &Path,
    workbooks: &[PathBuf],
    as_of: Date,
    templates: &Templates,
) -> SourceResult<(Report, Document, Vec<Diagnostic>)> {
    let (inputs, unread) = read_inputs(workbooks);
    crate::model::load::with_file_text(plan, crate::model::LoadOptions::default(), |src| {
        compose_all(
            PlanText { src, path: plan },
            &inputs,
            unread,
            as_of,
            templates,
        )
    })
}

/// [`document`] on a plan and workbooks already in memory (`phuluc serve`): the same
/// report, the same warnings, each workbook named as its [`Input`] says. The reader's
/// bounds hold for every workbook's bytes.
pub fn document_from(
    plan: PlanText<'_>,
    workbooks: &[Input],
    as_of: Date,
    templates: &Templates,
) -> SourceResult<(Report, Document, Vec<Diagnostic>)> {
    compose_all(plan, workbooks, Vec::new(), as_of, templates)
}

/// The one way to a report: the plan prepared (its errors alone when it has any), then
/// the workbooks that could not even be read (`unread`), then [`build`] and
/// [`compose::document`].
fn compose_all(
    plan: PlanText<'_>,
    workbooks: &[Input],
    unread: Vec<Diagnostic>,
    as_of: Date,
    templates: &Templates,
) -> SourceResult<(Report, Document, Vec<Diagnostic>)> {
    let prepared = crate::prepare_str(plan.src, plan.path, templates)?;
    let mut diags = prepared.warnings;
    diags.extend(unread);
    if has_errors(&diags) {
        return Err(diags);
    }
    let (report, warnings) = match build(&prepared.plan, templates, workbooks, as_of) {
        Ok(r) => r,
        Err(mut errors) => {
            diags.append(&mut errors);
            return Err(diags);
        }
    };
    diags.extend(warnings);
    match compose::document(&report, &prepared.plan, templates) {
        Ok(doc) => Ok((report, doc, diags)),
        Err(mut errors) => {
            diags.append(&mut errors);
            Err(diags)
        }
    }
}

/// Which files [`run`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// `<stem>-bao-cao.docx`.
    pub docx: bool,
    /// `<stem>-bao-cao.pdf`.
    pub pdf: bool,
    /// `<stem>-bao-cao.xlsx`: the tracking workbook with every workbook's results in it.
    pub xlsx: bool,
}

/// What `phuluc report` asks for.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The plan file.
    pub plan: &'a Path,
    /// The filled-in workbooks, in order of precedence for conflicts.
    pub workbooks: &'a [PathBuf],
    /// The report's date.
    pub as_of: Date,
    /// Where the files go.
    pub out_dir: &'a Path,
    /// Which files.
    pub formats: Formats,
    /// The templates (with the report kinds).
    pub templates: &'a Templates,
    /// The PDF's fonts.
    pub pdf: &'a crate::pdf::PdfOptions,
}

/// How a report is made, whatever it is made from: [`make`]'s settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// The report's date.
    pub as_of: Date,
    /// Which files.
    pub formats: Formats,
    /// The templates (with the report kinds).
    pub templates: &'a Templates,
    /// The PDF's fonts.
    pub pdf: &'a crate::pdf::PdfOptions,
}

/// What [`run`] (or [`make`]) made: the files to write, the warnings, the one-line summary.
#[derive(Debug)]
pub struct Done {
    /// (path, bytes) of each file to write: in `DIR` from [`run`]; bare file names
    /// (`<stem>-bao-cao.pdf`) from [`make`]. In the order docx, pdf, xlsx.
    pub outputs: Vec<(PathBuf, Vec<u8>)>,
    /// Warnings (the plan's and the workbooks').
    pub warnings: Vec<Diagnostic>,
    /// "26 nhiệm vụ: 5 đã hoàn thành, …".
    pub summary: Text,
}

/// Everything `phuluc report` does but writing: read, match, compose, and make the
/// `DIR/<plan stem>-bao-cao.docx`, `.pdf` and `.xlsx` asked for. [`make`] on the files'
/// contents, so that the service and the command cannot differ.
pub fn run(req: &Request<'_>) -> SourceResult<Done> {
    let settings = Settings {
        as_of: req.as_of,
        formats: req.formats,
        templates: req.templates,
        pdf: req.pdf,
    };
    let (inputs, unread) = read_inputs(req.workbooks);
    let mut done = crate::model::load::with_file_text(
        req.plan,
        crate::model::LoadOptions::default(),
        |src| {
            make_all(
                PlanText {
                    src,
                    path: req.plan,
                },
                &inputs,
                unread,
                &settings,
            )
        },
    )?;
    for (path, _) in &mut done.outputs {
        *path = req.out_dir.join(&*path);
    }
    Ok(done)
}

/// [`run`] on a plan and workbooks already in memory, writing nothing and reading
/// nothing (`phuluc serve`): the same bytes, the outputs named `<stem>-bao-cao.<ext>`
/// after `plan.path`'s stem.
pub fn make(
    plan: PlanText<'_>,
    workbooks: &[Input],
    settings: &Settings<'_>,
) -> SourceResult<Done> {
    make_all(plan, workbooks, Vec::new(), settings)
}

/// [`compose_all`], then the files asked for.
fn make_all(
    plan: PlanText<'_>,
    workbooks: &[Input],
    unread: Vec<Diagnostic>,
    settings: &Settings<'_>,
) -> SourceResult<Done> {
    let (report, doc, mut warnings) =
        compose_all(plan, workbooks, unread, settings.as_of, settings.templates)?;
    let stem = plan.path.file_stem().map_or_else(
        || "ke-hoach".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let name = |ext: &str| PathBuf::from(format!("{stem}-bao-cao.{ext}"));
    let mut outputs = Vec::new();
    let tool = |e: &dyn ToDiagnostic| vec![e.to_diagnostic().in_file(plan.path)];
    if settings.formats.docx {
        let bytes = crate::docx::docx(&doc).map_err(|e| tool(&e))?;
        outputs.push((name("docx"), bytes));
    }
    if settings.formats.pdf {
        let bytes = crate::pdf::pdf(&doc, settings.pdf).map_err(|e| tool(&e))?;
        outputs.push((name("pdf"), bytes));
    }
    if settings.formats.xlsx {
        let bytes =
            crate::xlsx::xlsx_filled(&report.register, &settings.pdf.fonts, &report.filled())
                .map_err(|e| tool(&e))?;
        outputs.push((name("xlsx"), bytes));
    }
    warnings.retain(|d| !d.is_error());
    Ok(Done {
        outputs,
        warnings,
        summary: report.summary(),
    })
}
