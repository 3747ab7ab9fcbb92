//! Why a .docx could not be produced: the writer's one error type, shared by the
//! package writer and the entry points. It says itself as a [`Diagnostic`].

use crate::diag::{Diagnostic, Text, ToDiagnostic};

/// Why a .docx could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// The document has no parts to write.
    Empty,
    /// The zip container could not be written (the output stream failed).
    Pack(#[from] zip::result::ZipError),
    /// Writing a part into the container failed.
    Write(#[from] std::io::Error),
}

impl ToDiagnostic for DocxError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(match self {
            DocxError::Empty => Text::new(
                "tài liệu không có phụ lục nào để ghi",
                "the document has no appendix to write",
            ),
            DocxError::Pack(e) => Text::new(
                format!("lỗi khi đóng gói tệp .docx: {e}"),
                format!("packing the .docx failed: {e}"),
            ),
            DocxError::Write(e) => Text::new(
                format!("lỗi khi ghi tệp .docx: {e}"),
                format!("writing the .docx failed: {e}"),
            ),
        })
    }
}

/// The Vietnamese message (the diagnostic's).
impl std::fmt::Display for DocxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_diagnostic().message.vi)
    }
}
