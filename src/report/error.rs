//! Why `phuluc report` makes no report: a workbook that cannot be read, is not a tracking
//! workbook, or is not this plan's; a report date that is not a date.
//!
//! Contract: each variant says itself as one Vietnamese-first [`Diagnostic`] (an error)
//! naming the workbook as the clerk gave it, with what to do; its `Display` is that
//! Vietnamese message. Problems a report survives (a status typed past the drop-down, an
//! unknown key, a conflict) are warnings, made where they are found.

use std::path::PathBuf;

use super::reader::ReadError;
use crate::diag::{Diagnostic, ToDiagnostic};
use crate::text;

/// Why no report can be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// A workbook file could not be read from disk.
    Unreadable {
        /// The file.
        file: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// A workbook's bytes are not a workbook phuluc reads (see [`ReadError`]).
    Workbook {
        /// The file, as given.
        file: String,
        /// Why.
        error: ReadError,
    },
    /// No sheet of the workbook has the tracking workbook's "Mã dòng" or "Tiến độ" column.
    NotTracking {
        /// The file, as given.
        file: String,
    },
    /// A tracking workbook, but no row of it has a key or a text of this plan.
    NotThisPlan {
        /// The file, as given.
        file: String,
    },
    /// `--as-of` is not a dd/mm/yyyy date.
    AsOf {
        /// What was given.
        text: String,
    },
}

/// Where a workbook comes from, in the hint of a workbook that is not the plan's.
fn export_hint(d: Diagnostic) -> Diagnostic {
    d.hint(text!(
        "Kiểm tra đã đưa đúng tệp: sổ theo dõi tạo bằng “phuluc export KẾ-HOẠCH.yaml --format xlsx” từ chính kế hoạch này, đã điền.",
        "Check the file: the tracking workbook made by “phuluc export PLAN.yaml --format xlsx” from this very plan, filled in."
    ))
}

impl ToDiagnostic for ReportError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            ReportError::Unreadable { file, reason } => Diagnostic::error(text!(
                format!("không đọc được tệp: {reason}"),
                format!("cannot read the file: {reason}")
            ))
            .in_file(file)
            .hint(text!(
                "Kiểm tra đường dẫn và quyền đọc tệp; tệp đang mở trong Excel vẫn đọc được.",
                "Check the path and that the file may be read; a file open in Excel can still be read."
            )),
            ReportError::Workbook { file, error } => {
                let d = error.to_diagnostic();
                Diagnostic {
                    message: text!(
                        format!("{file}: {}", d.message.vi),
                        format!("{file}: {}", d.message.en)
                    ),
                    ..d
                }
            }
            ReportError::NotTracking { file } => export_hint(Diagnostic::error(text!(
                format!(
                    "{file}: không phải sổ theo dõi — không trang tính nào có cột “Mã dòng” hay “Tiến độ”"
                ),
                format!(
                    "{file}: not a tracking workbook — no sheet has a “Mã dòng” or “Tiến độ” column"
                )
            ))),
            ReportError::NotThisPlan { file } => export_hint(Diagnostic::error(text!(
                format!(
                    "{file}: không phải sổ theo dõi của kế hoạch này — không dòng nào có mã dòng hay nội dung của kế hoạch"
                ),
                format!(
                    "{file}: not a tracking workbook of this plan — no row has a key or a text of the plan"
                )
            ))),
            ReportError::AsOf { text } => Diagnostic::error(text!(
                format!("--as-of “{text}” không phải một ngày"),
                format!("--as-of “{text}” is not a date")
            ))
            .hint(text!(
                "Viết ngày dạng dd/mm/yyyy, ví dụ --as-of 30/06/2026.",
                "Write the date as dd/mm/yyyy, e.g. --as-of 30/06/2026."
            )),
        }
    }
}

/// The Vietnamese message (the diagnostic's).
impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_diagnostic().message.vi)
    }
}
