//! Reading a filled-in workbook (.xlsx) as cell texts, whatever wrote it — Excel,
//! LibreOffice, WPS, openpyxl — and whatever a hostile file holds, in bounded time and
//! memory.
//!
//! Contract: [`read`] takes the file's bytes and gives every worksheet's non-empty cells
//! as text (numbers as written without a trailing ".0", dates dd/mm/yyyy, formulas as
//! their cached value), sheet by sheet, row by row; or a [`ReadError`] saying in plain
//! words why the file cannot be read. The zip is inspected with the `zip` crate before
//! calamine opens it: at most [`MAX_FILE_BYTES`] on disk, [`MAX_ENTRIES`] entries, each
//! at most [`MAX_ENTRY_BYTES`] and all together [`MAX_TOTAL_BYTES`] once decompressed —
//! sizes measured by decompressing, not taken from the headers a zip bomb lies in. Cells
//! are then streamed (calamine's cell reader, never the dense range of a sheet, which a
//! single cell at XFD1048576 would make 17 billion cells large): at most [`MAX_SHEETS`]
//! sheets, [`MAX_ROWS`] rows with content per sheet and [`MAX_CELLS`] cells in all, the
//! first [`MAX_COLUMNS`] columns; a text longer than an Excel cell holds
//! ([`MAX_CELL_CHARS`]) is cut there and reported. Never panics.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, SheetType, Xlsx};

use crate::diag::{Diagnostic, ToDiagnostic};
use crate::text;

/// The largest workbook file read.
pub const MAX_FILE_BYTES: usize = 32 << 20;
/// The most entries (parts) its zip may have.
pub const MAX_ENTRIES: usize = 2_000;
/// The most bytes one part may decompress to.
pub const MAX_ENTRY_BYTES: u64 = 64 << 20;
/// The most bytes all parts together may decompress to.
pub const MAX_TOTAL_BYTES: u64 = 160 << 20;
/// The most worksheets read.
pub const MAX_SHEETS: usize = 200;
/// The most rows with content one sheet may have.
pub const MAX_ROWS: usize = 100_000;
/// The most cells with content the whole workbook may have.
pub const MAX_CELLS: usize = 2_000_000;
/// Columns read, from A; cells further right are not looked at.
pub const MAX_COLUMNS: u16 = 200;
/// The most characters a cell keeps (what an Excel cell holds).
pub const MAX_CELL_CHARS: usize = 32_767;

/// A workbook's worksheets, as cell texts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Workbook {
    /// The worksheets, in the workbook's order (chart sheets left out).
    pub sheets: Vec<Sheet>,
}

/// One worksheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// Its name, as the tab shows it.
    pub name: String,
    /// Rows with at least one non-empty cell, in row order.
    pub rows: Vec<Row>,
    /// Cells cut to [`MAX_CELL_CHARS`]: (row, column, characters it had), 0-based.
    pub cut: Vec<(u32, u16, usize)>,
}

/// One row's non-empty cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// 0-based row number (row 1 in the spreadsheet is 0).
    pub row: u32,
    /// Its cells, in column order.
    pub cells: Vec<Cell>,
}

/// One non-empty cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// 0-based column.
    pub col: u16,
    /// Its text (a formula's cached value).
    pub text: String,
    /// Whether it holds a formula (its text is then the value last computed).
    pub formula: bool,
}

impl Row {
    /// The cell in column `col`, when it is not empty.
    pub fn get(&self, col: u16) -> Option<&Cell> {
        self.cells.iter().find(|c| c.col == col)
    }

    /// The text in column `col` ("" when empty).
    pub fn text(&self, col: u16) -> &str {
        self.get(col).map_or("", |c| c.text.as_str())
    }
}

/// Why a workbook cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// An OLE compound file: an .xlsx encrypted with a password, or an old .xls.
    Encrypted,
    /// An OpenDocument spreadsheet (.ods), not an .xlsx.
    Ods,
    /// Not a zip at all.
    NotZip {
        /// What the zip reader said.
        detail: String,
    },
    /// A zip without a workbook part (a .docx, a zip of other files).
    NotWorkbook,
    /// More than [`MAX_ENTRIES`] parts.
    TooManyEntries {
        /// How many.
        entries: usize,
    },
    /// A part decompresses to more than [`MAX_ENTRY_BYTES`], or all to more than
    /// [`MAX_TOTAL_BYTES`] (a zip bomb).
    Inflates {
        /// The part.
        part: String,
        /// The limit passed.
        limit: u64,
    },
    /// A part of the zip is encrypted or damaged.
    Damaged {
        /// The part.
        part: String,
        /// What went wrong.
        detail: String,
    },
    /// The workbook's XML could not be read.
    Spreadsheet {
        /// What calamine said.
        detail: String,
    },
    /// More than [`MAX_SHEETS`] worksheets.
    TooManySheets {
        /// How many.
        sheets: usize,
    },
    /// More than [`MAX_ROWS`] rows with content in one sheet.
    TooManyRows {
        /// The sheet.
        sheet: String,
    },
    /// More than [`MAX_CELLS`] cells with content.
    TooManyCells,
}

impl ToDiagnostic for ReadError {
    fn to_diagnostic(&self) -> Diagnostic {
        let (message, hint) = match self {
            ReadError::TooLarge { bytes } => (
                text!(
                    format!(
                        "tệp nặng {} MB, quá {} MB phuluc đọc",
                        bytes >> 20,
                        MAX_FILE_BYTES >> 20
                    ),
                    format!(
                        "the file is {} MB, over the {} MB phuluc reads",
                        bytes >> 20,
                        MAX_FILE_BYTES >> 20
                    )
                ),
                text!(
                    "Sổ theo dõi của một kế hoạch chỉ vài trăm KB: hãy gửi đúng tệp sổ theo dõi (.xlsx), bỏ ảnh và trang tính thừa.",
                    "A plan's tracking workbook is a few hundred KB: give the tracking workbook (.xlsx) itself, without pictures or extra sheets."
                ),
            ),
            ReadError::Encrypted => (
                text!(
                    "tệp được đặt mật khẩu, hoặc là tệp .xls cũ — không phải .xlsx đọc được",
                    "the file is password-protected, or an old .xls — not a readable .xlsx"
                ),
                text!(
                    "Mở tệp trong Excel hoặc LibreOffice, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc), rồi lưu lại dạng .xlsx.",
                    "Open it in Excel or LibreOffice, remove the password, and save it again as .xlsx."
                ),
            ),
            ReadError::Ods => (
                text!(
                    "tệp là bảng tính .ods (LibreOffice), không phải .xlsx",
                    "the file is an .ods spreadsheet (LibreOffice), not an .xlsx"
                ),
                text!(
                    "Trong LibreOffice chọn Tệp → Lưu thành…, kiểu “Excel 2007-365 (.xlsx)”.",
                    "In LibreOffice choose File → Save As…, type “Excel 2007-365 (.xlsx)”."
                ),
            ),
            ReadError::NotZip { .. } | ReadError::NotWorkbook => (
                text!(
                    "tệp không phải bảng tính Excel (.xlsx)",
                    "the file is not an Excel workbook (.xlsx)"
                ),
                text!(
                    "Đưa vào sổ theo dõi do “phuluc export --format xlsx” tạo (đã điền), lưu dạng .xlsx.",
                    "Give the tracking workbook made by “phuluc export --format xlsx” (filled in), saved as .xlsx."
                ),
            ),
            ReadError::TooManyEntries { entries } => (
                text!(
                    format!("tệp zip có {entries} phần, quá {MAX_ENTRIES} phần phuluc đọc"),
                    format!("the zip has {entries} parts, over the {MAX_ENTRIES} phuluc reads")
                ),
                text!(
                    "Đây không giống sổ theo dõi; hãy đưa đúng tệp .xlsx đã điền.",
                    "This does not look like a tracking workbook; give the filled-in .xlsx."
                ),
            ),
            ReadError::Inflates { part, limit } => (
                text!(
                    format!(
                        "phần {part} của tệp giải nén ra quá {} MB (có thể là “bom zip”): không đọc",
                        limit >> 20
                    ),
                    format!(
                        "part {part} decompresses to over {} MB (possibly a zip bomb): not read",
                        limit >> 20
                    )
                ),
                text!(
                    "Đưa vào sổ theo dõi thật; nếu đúng là sổ theo dõi, hãy mở bằng Excel và lưu lại.",
                    "Give the real tracking workbook; if it is one, open it in Excel and save it again."
                ),
            ),
            ReadError::Damaged { part, detail } => (
                text!(
                    format!("phần {part} của tệp bị mã hóa hoặc hỏng ({detail})"),
                    format!("part {part} of the file is encrypted or damaged ({detail})")
                ),
                text!(
                    "Mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx, không đặt mật khẩu.",
                    "Open the file in Excel or LibreOffice and save it again as .xlsx, without a password."
                ),
            ),
            ReadError::Spreadsheet { detail } => (
                text!(
                    format!("không đọc được bảng tính: {detail}"),
                    format!("cannot read the workbook: {detail}")
                ),
                text!(
                    "Mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx.",
                    "Open the file in Excel or LibreOffice and save it again as .xlsx."
                ),
            ),
            ReadError::TooManySheets { sheets } => (
                text!(
                    format!("bảng tính có {sheets} trang tính, quá {MAX_SHEETS} phuluc đọc"),
                    format!("the workbook has {sheets} sheets, over the {MAX_SHEETS} phuluc reads")
                ),
                text!(
                    "Xóa các trang tính thừa, giữ các trang “Phụ lục …” của sổ theo dõi.",
                    "Delete the extra sheets, keep the tracking workbook's “Phụ lục …” sheets."
                ),
            ),
            ReadError::TooManyRows { sheet } => (
                text!(
                    format!(
                        "trang tính “{sheet}” có hơn {MAX_ROWS} dòng có nội dung, quá số dòng phuluc đọc"
                    ),
                    format!(
                        "sheet “{sheet}” has over {MAX_ROWS} rows with content, more than phuluc reads"
                    )
                ),
                text!(
                    "Xóa các dòng thừa ở cuối trang tính (sổ theo dõi có một dòng mỗi mục của kế hoạch).",
                    "Delete the extra rows at the end of the sheet (the workbook has one row per row of the plan)."
                ),
            ),
            ReadError::TooManyCells => (
                text!(
                    format!("bảng tính có hơn {MAX_CELLS} ô có nội dung, quá số ô phuluc đọc"),
                    format!(
                        "the workbook has over {MAX_CELLS} cells with content, more than phuluc reads"
                    )
                ),
                text!(
                    "Xóa các trang tính và vùng dữ liệu thừa, giữ các trang “Phụ lục …”.",
                    "Delete the extra sheets and data, keep the “Phụ lục …” sheets."
                ),
            ),
        };
        Diagnostic::error(message).hint(hint)
    }
}

/// The Vietnamese message (the diagnostic's).
impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_diagnostic().message.vi)
    }
}

/// The first bytes of an OLE compound file (encrypted Office files, .xls).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads `bytes` as a workbook (see the module's contract).
pub fn read(bytes: &[u8]) -> Result<Workbook, ReadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge { bytes: bytes.len() });
    }
    if bytes.starts_with(&CFB_MAGIC) {
        return Err(ReadError::Encrypted);
    }
    inspect(bytes)?;
    // The zip is known small and sound now; calamine is still another crate's code
    // running on hostile input, so a panic in it is caught and reported, not a crash.
    std::panic::catch_unwind(|| cells(bytes)).unwrap_or_else(|_| {
        Err(ReadError::Spreadsheet {
            detail: "tệp hỏng / damaged file".to_owned(),
        })
    })
}

/// The bounded look at the zip: entry count, the true decompressed sizes, a workbook
/// part, no encryption.
fn inspect(bytes: &[u8]) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::NotZip {
        detail: e.to_string(),
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(ReadError::TooManyEntries { entries: zip.len() });
    }
    let mut total: u64 = 0;
    let mut workbook = false;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| ReadError::Damaged {
            part: format!("#{i}"),
            detail: e.to_string(),
        })?;
        let name = entry.name().to_owned();
        if name == "mimetype" {
            let mut head = Vec::new();
            let _ = (&mut entry).take(64).read_to_end(&mut head);
            if head.starts_with(b"application/vnd.oasis.opendocument") {
                return Err(ReadError::Ods);
            }
            continue;
        }
        workbook |= name.eq_ignore_ascii_case("xl/workbook.xml");
        let room = MAX_ENTRY_BYTES.min(MAX_TOTAL_BYTES - total);
        let damaged = |e: std::io::Error| ReadError::Damaged {
            part: name.clone(),
            detail: e.to_string(),
        };
        let worksheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        let read = if worksheet {
            // A worksheet's cell references are checked here: calamine's arithmetic on a
            // reference like "A1:JMMMMMMMMMMMM27" overflows (found by fuzzing).
            let mut xml = Vec::new();
            (&mut entry)
                .take(room + 1)
                .read_to_end(&mut xml)
                .map_err(damaged)?;
            if xml.len() as u64 <= room
                && let Some(bad) = bad_reference(&xml)
            {
                return Err(ReadError::Damaged {
                    part: name,
                    detail: format!("tham chiếu ô “{bad}” / cell reference “{bad}”"),
                });
            }
            xml.len() as u64
        } else {
            std::io::copy(&mut (&mut entry).take(room + 1), &mut std::io::sink())
                .map_err(damaged)?
        };
        if read > room {
            let limit = if room == MAX_ENTRY_BYTES {
                MAX_ENTRY_BYTES
            } else {
                MAX_TOTAL_BYTES
            };
            return Err(ReadError::Inflates { part: name, limit });
        }
        total += read;
    }
    if workbook {
        Ok(())
    } else {
        Err(ReadError::NotWorkbook)
    }
}

/// The first cell reference in worksheet XML (the values of `r`, `ref` and `sqref`
/// attributes) with more than 3 letters or 7 digits in a row — past XFD1048576, and
/// past what calamine's arithmetic holds — shortened for a message.
fn bad_reference(xml: &[u8]) -> Option<String> {
    let mut i = 0;
    while i < xml.len() {
        let at = xml[i..].iter().position(|&b| b == b'=').map(|p| i + p)?;
        i = at + 1;
        // The attribute's name, just before "=" (spaces allowed around it).
        let mut end = at;
        while end > 0 && xml[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        let start = xml[..end]
            .iter()
            .rposition(|b| !b.is_ascii_alphabetic())
            .map_or(0, |p| p + 1);
        let preceded = start > 0 && xml[start - 1].is_ascii_whitespace();
        if !preceded || !matches!(&xml[start..end], b"r" | b"ref" | b"sqref") {
            continue;
        }
        let mut v = at + 1;
        while v < xml.len() && xml[v].is_ascii_whitespace() {
            v += 1;
        }
        let Some(&quote) = xml.get(v).filter(|q| matches!(q, b'"' | b'\'')) else {
            continue;
        };
        let value_end = xml[v + 1..]
            .iter()
            .position(|&b| b == quote)
            .map_or(xml.len(), |p| v + 1 + p);
        let value = &xml[v + 1..value_end];
        let (mut letters, mut digits) = (0usize, 0usize);
        for &b in value {
            if b.is_ascii_alphabetic() {
                letters += 1;
                digits = 0;
            } else if b.is_ascii_digit() {
                digits += 1;
            } else {
                letters = 0;
                digits = 0;
            }
            if letters > 3 || digits > 7 {
                let shown: String = String::from_utf8_lossy(value).chars().take(40).collect();
                return Some(shown);
            }
        }
        i = value_end;
    }
    None
}

/// Streams every worksheet's cells.
fn cells(bytes: &[u8]) -> Result<Workbook, ReadError> {
    let spreadsheet = |e: calamine::XlsxError| ReadError::Spreadsheet {
        detail: e.to_string(),
    };
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(spreadsheet)?;
    let names: Vec<String> = xlsx
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    if names.len() > MAX_SHEETS {
        return Err(ReadError::TooManySheets {
            sheets: names.len(),
        });
    }
    let mut book = Workbook::default();
    let mut total = 0usize;
    for name in names {
        let mut reader = match xlsx.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A sheet listed but absent or not a worksheet: nothing to read there.
            Err(
                calamine::XlsxError::NotAWorksheet(_) | calamine::XlsxError::WorksheetNotFound(_),
            ) => {
                continue;
            }
            Err(e) => return Err(spreadsheet(e)),
        };
        let mut sheet = Sheet {
            name: name.clone(),
            ..Sheet::default()
        };
        let mut rows: std::collections::BTreeMap<u32, Vec<Cell>> =
            std::collections::BTreeMap::new();
        // With formula metadata only (no formula text expanded): a sheet of formulas
        // costs no more than a sheet of values.
        while let Some(record) = reader
            .next_cell_with_formula_metadata()
            .map_err(spreadsheet)?
        {
            let (row, col) = record.pos;
            let Ok(col) = u16::try_from(col) else {
                continue;
            };
            if col >= MAX_COLUMNS {
                continue;
            }
            let formula = record.formula.is_some();
            let Some(mut text) = text_of(&record.value) else {
                continue;
            };
            let chars = text.chars().count();
            if chars > MAX_CELL_CHARS {
                let cut = text
                    .char_indices()
                    .nth(MAX_CELL_CHARS)
                    .map_or(text.len(), |(i, _)| i);
                text.truncate(cut);
                sheet.cut.push((row, col, chars));
            }
            total += 1;
            if total > MAX_CELLS {
                return Err(ReadError::TooManyCells);
            }
            if rows.len() >= MAX_ROWS && !rows.contains_key(&row) {
                return Err(ReadError::TooManyRows { sheet: name });
            }
            let cells = rows.entry(row).or_default();
            // A cell written twice (a hostile file) keeps its last value.
            match cells.iter_mut().find(|c| c.col == col) {
                Some(existing) => {
                    existing.text = text;
                    existing.formula = formula;
                }
                None => cells.push(Cell { col, text, formula }),
            }
        }
        sheet.rows = rows
            .into_iter()
            .map(|(row, mut cells)| {
                cells.sort_by_key(|c| c.col);
                Row { row, cells }
            })
            .collect();
        book.sheets.push(sheet);
    }
    Ok(book)
}

/// A cell's value as text; `None` for an empty cell or one of only spaces.
fn text_of(value: &DataRef<'_>) -> Option<String> {
    let text = match value {
        DataRef::Empty => return None,
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{day:02}/{m:02}/{y:04}")
        }
        DataRef::DateTime(d) => number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    };
    (!text.trim().is_empty()).then_some(text)
}

/// A number as a person types it: 12 not 12.0, at most 10 decimals.
fn number(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let s = format!("{f:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_workbook() {
        assert!(matches!(read(b"hello"), Err(ReadError::NotZip { .. })));
        let mut cfb = CFB_MAGIC.to_vec();
        cfb.extend([0; 504]);
        assert_eq!(read(&cfb), Err(ReadError::Encrypted));
        assert_eq!(
            read(&vec![0; MAX_FILE_BYTES + 1]),
            Err(ReadError::TooLarge {
                bytes: MAX_FILE_BYTES + 1
            })
        );
    }

    #[test]
    fn references_past_xfd1048576_are_found() {
        let ok = br#"<dimension ref="A1:XFD1048576"/><row r="2"><c r="AB2" s="1"/></row><selection sqref="A2 B3:C4"/>"#;
        assert_eq!(bad_reference(ok), None);
        let xmlns = "<worksheet xmlns:r=\"http://x/relationships\" error=\"Chỉ chọn\"/>";
        assert_eq!(
            bad_reference(xmlns.as_bytes()),
            None,
            "other attributes are not references"
        );
        let long = br#"<dimension ref = 'A1:JMMMMMMMMMMMMMM27'/>"#;
        assert_eq!(bad_reference(long).as_deref(), Some("A1:JMMMMMMMMMMMMMM27"));
        assert!(bad_reference(br#"<row r="99999999999"/>"#).is_some());
    }

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(f64::NAN), "");
    }
}
