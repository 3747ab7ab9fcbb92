//! Why a document could not be laid out: [`LayoutError`], which says itself as a
//! [`Diagnostic`] — a missing character with the part, row and column it is in and where
//! that comes from in the plan file.

use crate::diag::{Diagnostic, Span, Text, ToDiagnostic};
use crate::fonts::FontError;

/// Why a document could not be laid out.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// The font has no glyph for a character of the text.
    #[error("{}", missing_glyph_vi(*.ch, .part, .row.as_deref(), .column.as_deref()))]
    MissingGlyph {
        /// The character.
        ch: char,
        /// The part (`Part::outline`), e.g. "Phụ lục I".
        part: String,
        /// The row (`Row::label`); `None` in the heading block or a page number.
        row: Option<String>,
        /// The column: the header row's text at the cell's first column; `None` outside
        /// the table.
        column: Option<String>,
        /// Where in the plan file: the row's origin for a cell, the part's for the heading
        /// block (as the message names them); `None` for a page number.
        origin: Option<Span>,
    },
    /// A row's cells cover more grid columns than the table has.
    #[error(
        "{part}, {row}: các ô chiếm {used} cột nhưng bảng chỉ có {columns} cột \
         (cells span {used} columns but the table has {columns})"
    )]
    RowTooWide {
        /// The part.
        part: String,
        /// The row label.
        row: String,
        /// Columns the cells span.
        used: usize,
        /// Columns the table has.
        columns: usize,
    },
    /// The page leaves no room for text (margins as large as the paper).
    #[error(
        "{part}: lề trang lớn hơn khổ giấy, không còn chỗ cho chữ \
         (margins leave no room for text on the page)"
    )]
    NoRoom {
        /// The part.
        part: String,
    },
    /// The fonts could not be parsed.
    #[error(transparent)]
    Font(#[from] FontError),
}

fn missing_glyph_vi(ch: char, part: &str, row: Option<&str>, column: Option<&str>) -> String {
    missing_glyph_text(ch, part, row, column).vi.into()
}

fn missing_glyph_text(ch: char, part: &str, row: Option<&str>, column: Option<&str>) -> Text {
    let code = format!("U+{:04X}", u32::from(ch));
    let shown = if ch.is_control() {
        String::new()
    } else {
        format!(" «{ch}»")
    };
    let (where_vi, where_en) = match (row, column) {
        (Some(r), Some(c)) => (
            format!("{part}, {r}, cột «{c}»"),
            format!("{part}, {r}, column «{c}»"),
        ),
        (Some(r), None) => (format!("{part}, {r}"), format!("{part}, {r}")),
        _ => (
            format!("{part}, phần tiêu đề"),
            format!("{part}, heading block"),
        ),
    };
    Text::new(
        format!(
            "phông chữ không có ký tự {code}{shown} ({where_vi}); \
             hãy thay ký tự này hoặc dùng phông có ký tự đó"
        ),
        format!(
            "the font has no glyph for {code}{shown} ({where_en}); \
             replace the character or use a font that has it"
        ),
    )
}

impl LayoutError {
    /// The message in both languages (the diagnostic's, and `check`'s warning).
    fn message(&self) -> Text {
        match self {
            LayoutError::MissingGlyph {
                ch,
                part,
                row,
                column,
                ..
            } => missing_glyph_text(*ch, part, row.as_deref(), column.as_deref()),
            LayoutError::RowTooWide {
                part,
                row,
                used,
                columns,
            } => Text::new(
                format!("{part}, {row}: các ô chiếm {used} cột nhưng bảng chỉ có {columns} cột"),
                format!("{part}, {row}: cells span {used} columns but the table has {columns}"),
            ),
            LayoutError::NoRoom { part } => Text::new(
                format!("{part}: lề trang lớn hơn khổ giấy, không còn chỗ cho chữ"),
                format!("{part}: margins leave no room for text on the page"),
            ),
            LayoutError::Font(e) => e.to_diagnostic().message,
        }
    }
}

impl ToDiagnostic for LayoutError {
    /// An error at the row (or heading block) a missing character is in, with what to do;
    /// other errors point at the template's layout. `check` lists missing characters as
    /// warnings with the same words (only the PDF needs them).
    fn to_diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error(self.message());
        match self {
            // A font that cannot be read says so itself, with its own advice.
            LayoutError::Font(e) => e.to_diagnostic(),
            LayoutError::MissingGlyph { origin, .. } => d.at_span(*origin).hint(Text::new(
                "Thay ký tự đó bằng chữ tiếng Việt chuẩn, hoặc dùng --font-dir với phông có ký tự này; nếu không, chỉ tạo được .docx.",
                "Replace the character with standard Vietnamese, or use --font-dir with a font that has it; otherwise only the .docx can be made.",
            )),
            _ => d.hint(Text::new(
                "Kiểm tra lề trang, cỡ chữ và độ rộng cột trong layout.yaml của mẫu phụ lục.",
                "Check the page margins, font sizes and column widths in the template's layout.yaml.",
            )),
        }
    }
}

/// A document with no part has nothing to print: the refusal of every writer of page
/// frames (PDF, SVG), in one wording.
pub(crate) fn no_appendix_to_print() -> Text {
    Text::new(
        "tài liệu không có phụ lục nào để in",
        "the document has no appendix to print",
    )
}
