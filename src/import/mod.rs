//! Import: an existing Word appendix (.docx) read back into phuluc's terms.
//!
//! Contract: two steps, as pandoc's docx reader does. [`package`] opens the .docx
//! container (zip, bounded in size, refusing encrypted and DTD-carrying files) and hands
//! out its XML parts; [`raw`] reads the main document into a neutral model of blocks —
//! paragraphs with their text, tables with their cells placed on the grid — knowing
//! nothing of plans. [`recognise`] then finds the appendix in that model (a [`Plan`]
//! and warnings pointing into the Word file; what single cells mean is [`values`]; a
//! table of a kind no template knows becomes a new template through [`template`]), and
//! [`yaml`] writes the plan in the house style. Nothing here prints or panics on any
//! input: every refusal is an [`ImportError`] value, Vietnamese first.
//!
//! Leaves shared by those steps: [`xml`] (WordprocessingML namespaces and `w:` helpers,
//! for `raw` and [`numbering`], Word's automatic numbering) and [`rows`] (what a table
//! row is, for `recognise` and `template`). This file holds only the error type; were it
//! to call its rooms, [`ImportError`] would move to a leaf of its own first (the rooms
//! use it).
//!
//! [`Plan`]: crate::model::Plan

mod convert;
pub mod file;
mod numbering;
pub mod package;
pub mod raw;
pub mod recognise;
mod rows;
pub mod template;
pub mod values;
mod xml;
pub mod yaml;

use crate::diag::{Diagnostic, Text, ToDiagnostic};

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The bytes are not a zip archive, so not a .docx at all.
    NotZip,
    /// A zip archive, but without a main document part (`word/document.xml`).
    NoDocument,
    /// An OLE compound file carrying an encrypted OOXML package (password to open).
    Encrypted,
    /// An OLE compound file without encryption: a Word 97–2003 `.doc`.
    OldWord,
    /// The parts would inflate past the bound (a zip bomb, or a file far larger than any
    /// appendix).
    TooLarge {
        /// The bound, in bytes.
        limit: u64,
    },
    /// A zip entry could not be read (damaged archive).
    Damaged {
        /// The part's name inside the zip.
        part: String,
        /// What the zip reader said.
        reason: String,
    },
    /// An XML part declares a DTD or entities: refused, never expanded.
    Dtd {
        /// The part's name.
        part: String,
    },
    /// An XML part is not well-formed XML.
    Xml {
        /// The part's name.
        part: String,
        /// What the parser said, with line:column.
        reason: String,
    },
    /// Tables inside tables nested deeper than any real appendix.
    TooDeep {
        /// The bound.
        limit: usize,
    },
    /// XML elements (content controls, links …) nested deeper than any real document.
    TooNested {
        /// The bound.
        limit: usize,
    },
}

impl ToDiagnostic for ImportError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.message()).hint(self.hint())
    }
}

/// The Vietnamese message (the diagnostic's).
impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().vi)
    }
}

impl ImportError {
    /// What went wrong.
    fn message(&self) -> Text {
        match self {
            ImportError::NotZip => Text::new(
                "tệp không phải tài liệu Word .docx (không phải tệp nén zip)",
                "not a Word .docx document (not a zip archive)",
            ),
            ImportError::NoDocument => Text::new(
                "tệp nén không có word/document.xml: không phải tài liệu Word",
                "the zip archive has no word/document.xml: not a Word document",
            ),
            ImportError::Encrypted => Text::new(
                "tệp Word có mật khẩu (đã mã hóa): không đọc được",
                "the Word file is password-protected (encrypted): cannot be read",
            ),
            ImportError::OldWord => Text::new(
                "tệp Word 97–2003 (.doc), không phải .docx",
                "a Word 97–2003 (.doc) file, not .docx",
            ),
            ImportError::TooLarge { limit } => Text::new(
                format!(
                    "tệp quá lớn khi giải nén (hơn {} MB): có thể là tệp “bom nén”",
                    limit / (1024 * 1024)
                ),
                format!(
                    "the file inflates past {} MB: possibly a zip bomb",
                    limit / (1024 * 1024)
                ),
            ),
            ImportError::Damaged { part, reason } => Text::new(
                format!("không đọc được phần {part} trong tệp (tệp hỏng?): {reason}"),
                format!("cannot read part {part} (damaged file?): {reason}"),
            ),
            ImportError::Dtd { part } => Text::new(
                format!("phần {part} có khai báo DTD/thực thể (<!DOCTYPE>): bị từ chối"),
                format!("part {part} declares a DTD or entities (<!DOCTYPE>): refused"),
            ),
            ImportError::Xml { part, reason } => Text::new(
                format!("phần {part} không phải XML hợp lệ: {reason}"),
                format!("part {part} is not well-formed XML: {reason}"),
            ),
            ImportError::TooDeep { limit } => Text::new(
                format!("bảng lồng trong bảng quá sâu (hơn {limit} tầng)"),
                format!("tables nested deeper than {limit} levels"),
            ),
            ImportError::TooNested { limit } => Text::new(
                format!("các thành phần XML lồng nhau quá sâu (hơn {limit} tầng)"),
                format!("XML elements nested deeper than {limit} levels"),
            ),
        }
    }

    /// What the clerk can do about it.
    fn hint(&self) -> Text {
        match self {
            ImportError::NotZip | ImportError::NoDocument | ImportError::Damaged { .. } => {
                Text::new(
                    "Mở tệp bằng Word hoặc LibreOffice rồi lưu lại dạng “Word Document (.docx)”.",
                    "Open the file in Word or LibreOffice and save it as “Word Document (.docx)”.",
                )
            }
            ImportError::Encrypted => Text::new(
                "Mở tệp bằng Word, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ tài liệu > Mã hóa bằng mật khẩu: xóa trống), lưu lại rồi chạy lại.",
                "Open the file in Word, remove the password (File > Info > Protect Document > Encrypt with Password: clear it), save, and run again.",
            ),
            ImportError::OldWord => Text::new(
                "Mở tệp bằng Word hoặc LibreOffice và lưu lại dạng .docx, hoặc: soffice --headless --convert-to docx TỆP.doc",
                "Open the file in Word or LibreOffice and save it as .docx, or: soffice --headless --convert-to docx FILE.doc",
            ),
            ImportError::TooLarge { .. }
            | ImportError::Dtd { .. }
            | ImportError::TooDeep { .. }
            | ImportError::TooNested { .. }
            | ImportError::Xml { .. } => Text::new(
                "Tệp này không phải phụ lục Word thông thường; hãy lấy bản gốc từ nơi soạn thảo, mở bằng Word và lưu lại.",
                "This is not an ordinary Word appendix; get the original from its author, open it in Word and save it again.",
            ),
        }
    }
}
