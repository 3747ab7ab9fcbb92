//! The tracking workbook: a [`Register`] → .xlsx bytes (rust_xlsxwriter), for the office
//! to follow each task from signing to the year-end report.
//!
//! Contract: one sheet per appendix — the template's columns with its headers and widths,
//! then the follow-up columns Tiến độ (a drop-down of [`PROGRESS`]), Kết quả and Ghi chú,
//! then a hidden column of each row's stable key ([`crate::register::Entry::key`]); section
//! and group rows bold and shaded; header row frozen, filtered and repeated on every
//! printed page; A4 landscape fitted to the page width with the template's margins. Then a
//! sheet "Theo cơ quan" with one row per agency and task, whose progress and result cells
//! show the appendix sheet's. Times New Roman throughout; every text is written as text
//! ("4.1" stays "4.1"). The file's dates are the plan's, never the clock: the same
//! register gives the same bytes.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
};

use crate::diag::{Diagnostic, Text, ToDiagnostic};
use crate::document::{Align, RowKind, TextStyle};
use crate::fonts::FontSet;
use crate::layout::{LayoutError, LineCounter};
use crate::register::{ColumnRole, Register, Sheet};

/// The choices of the Tiến độ drop-down.
pub const PROGRESS: [&str; 4] = [
    "Chưa thực hiện",
    "Đang thực hiện",
    "Đã hoàn thành",
    "Chậm tiến độ",
];

/// Headers of the follow-up columns after the template's, with their widths in mm.
pub const FOLLOW_UP: [(&str, f32); 3] = [("Tiến độ", 34.0), ("Kết quả", 70.0), ("Ghi chú", 45.0)];

/// Header of the hidden key column.
pub const KEY_HEADER: &str = "Mã dòng";

/// Name of the sheet listing each agency's rows.
pub const BY_AGENCY: &str = "Theo cơ quan";

/// Headers of the "Theo cơ quan" sheet, with widths in mm. "Dòng" names the row as a
/// reader does ("phần II, mục 1", "mục 4.2"): a number alone is ambiguous where two
/// sections both number their rows from 1.
pub const BY_AGENCY_COLUMNS: [(&str, f32); 8] = [
    ("Cơ quan", 60.0),
    ("Vai trò", 24.0),
    ("Phụ lục", 22.0),
    ("Dòng", 30.0),
    ("Nội dung", 110.0),
    ("Tiến độ", 34.0),
    ("Kết quả", 70.0),
    (KEY_HEADER, 40.0),
];

/// The most characters an Excel cell holds.
const MAX_CELL_CHARS: usize = 32_767;

/// The font of every cell, and its size.
const FONT: &str = "Times New Roman";
const FONT_PT: f64 = 12.0;

/// Why the workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// rust_xlsxwriter refused something (a text longer than the 32 767 characters a cell
    /// holds, more rows than a sheet holds …).
    Write(#[from] rust_xlsxwriter::XlsxError),
    /// A cell of the plan is longer than the 32 767 characters an Excel cell holds.
    CellTooLong {
        /// The sheet ("Phụ lục II").
        sheet: String,
        /// The row as a reader names it ("mục 4.2").
        row: String,
        /// The column's header.
        column: String,
        /// How many characters the cell has.
        chars: usize,
    },
    /// The fonts that measure row heights could not be read.
    /// (Never for the built-in fonts.)
    Fonts(#[from] LayoutError),
}

impl XlsxError {
    /// Whether the plan itself is what Excel cannot hold (a cell over 32 767 characters,
    /// more rows or columns than a sheet has), rather than the tool failing.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            XlsxError::CellTooLong { .. }
                | XlsxError::Write(
                    rust_xlsxwriter::XlsxError::MaxStringLengthExceeded
                        | rust_xlsxwriter::XlsxError::RowColumnLimitError
                )
        )
    }
}

impl ToDiagnostic for XlsxError {
    fn to_diagnostic(&self) -> Diagnostic {
        let d = match self {
            XlsxError::Write(e) => Diagnostic::error(Text::new(
                format!("không tạo được tệp .xlsx: {e}"),
                format!("could not write the .xlsx: {e}"),
            )),
            XlsxError::CellTooLong {
                sheet,
                row,
                column,
                chars,
            } => Diagnostic::error(Text::new(
                format!(
                    "{sheet}, {row}: ô “{column}” dài {chars} ký tự, quá 32 767 ký tự một ô Excel giữ được"
                ),
                format!(
                    "{sheet}, {row}: “{column}” has {chars} characters; an Excel cell holds 32,767"
                ),
            )),
            XlsxError::Fonts(e) => e.to_diagnostic(),
        };
        d.hint(if self.is_input() {
            Text::new(
                "Rút gọn ô đó hoặc tách thành nhiều dòng (một bảng quá 1 048 576 dòng thì chia kế hoạch); phụ lục (.docx, PDF) vẫn tạo được.",
                "Shorten that cell or split it into several rows (a table over 1,048,576 rows: split the plan); the appendices (.docx, PDF) can still be made.",
            )
        } else {
            Text::new(
                "Hãy báo lỗi cho người phát triển, gửi kèm tệp kế hoạch và dòng thông báo này.",
                "Please report this to the developers with the plan file and this message.",
            )
        })
    }
}

/// The Vietnamese message (the diagnostic's).
impl std::fmt::Display for XlsxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_diagnostic().message.vi)
    }
}

/// Millimetres to screen pixels at 96 dpi (the unit Excel sizes columns in).
fn pixels(mm: f32) -> u32 {
    // Widths come from templates (checked positive and finite) and our constants.
    (f64::from(mm) / 25.4 * 96.0).round().clamp(8.0, 2000.0) as u32
}

/// Row heights: neither Excel nor LibreOffice fits a row to wrapped text it did not lay
/// out itself, so each row is sized here, with the PDF's line breaking and Liberation
/// Serif (Times New Roman's metrics), a little generous for the readers' own rounding.
struct Heights<'f> {
    counter: LineCounter<'f>,
}

impl Heights<'_> {
    /// The height in points of a row whose cells are (text, column width in mm, bold).
    fn row(&mut self, cells: &[(&str, f32, bool)]) -> f64 {
        let lines = cells
            .iter()
            .filter(|(text, _, _)| !text.is_empty())
            .map(|&(text, width_mm, bold)| {
                let style = TextStyle {
                    size_pt: FONT_PT as f32,
                    bold,
                    italic: false,
                };
                // The text area: the column less the reader's cell padding (~7 px).
                let width_pt = (pixels(width_mm) as f32 - 7.0) * 0.75;
                let n = self.counter.lines(text, &style, width_pt.max(6.0));
                n as f32 * self.counter.line_height(&style)
            })
            .fold(0.0f32, f32::max);
        f64::from((lines * 1.05 + 3.0).max(15.75)).min(409.0)
    }
}

/// Millimetres to inches (print margins).
fn inches(mm: f32) -> f64 {
    f64::from(mm) / 25.4
}

/// The cell formats of a sheet.
struct Formats {
    header: Format,
    section: Format,
    group: Format,
    body: [Format; 3],
}

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(FONT_PT)
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        let heading = |rgb: u32| {
            base.clone()
                .set_bold()
                .set_background_color(Color::RGB(rgb))
        };
        Formats {
            header: heading(0xBFBFBF)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            section: heading(0xD9D9D9),
            group: heading(0xF2F2F2),
            body: [
                base.clone().set_align(FormatAlign::Left),
                base.clone().set_align(FormatAlign::Center),
                base.set_align(FormatAlign::Right),
            ],
        }
    }

    fn body(&self, align: Align) -> &Format {
        match align {
            Align::Left | Align::Justify => &self.body[0],
            Align::Center => &self.body[1],
            Align::Right => &self.body[2],
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not starting or
/// ending with "'", unique (Excel compares names without case).
fn sheet_name(name: &str, used: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let clean = if clean.is_empty() {
        "Phụ lục"
    } else {
        clean
    };
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let room = 31 - suffix.chars().count();
        let candidate: String = clean.chars().take(room).collect::<String>() + &suffix;
        let lower = candidate.to_lowercase();
        if !used.contains(&lower) {
            used.push(lower);
            return candidate;
        }
        n += 1;
    }
}

/// A1-style column letters of 0-based `col`.
fn column_letters(mut col: u16) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A sheet name quoted for a formula: 'Phụ lục II'.
fn quoted(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

/// Where each body row of an appendix landed: (sheet name, 1-based row number in the
/// sheet) per entry of [`Sheet::rows`].
type Placed = Vec<(String, u32)>;

/// The workbook for `register`; `fonts` measure the row heights.
pub fn xlsx(register: &Register, fonts: &FontSet) -> Result<Vec<u8>, XlsxError> {
    let mut heights = Heights {
        counter: LineCounter::new(fonts)?,
    };
    let mut workbook = Workbook::new();
    workbook.set_default_format(
        &Format::new().set_font_name(FONT).set_font_size(FONT_PT),
        21,
        72,
    )?;
    let d = register.meta.date;
    let date = ExcelDateTime::from_ymd(d.year, d.month, d.day)
        .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&register.meta.title)
            .set_author(&register.meta.author)
            .set_company(&register.meta.author)
            .set_subject("Theo dõi tiến độ thực hiện nhiệm vụ")
            .set_creation_datetime(&date),
    );
    let formats = Formats::new();
    let mut used = vec![BY_AGENCY.to_lowercase()];
    let mut placed: Vec<Placed> = Vec::new();
    for sheet in &register.sheets {
        let name = sheet_name(&sheet.name, &mut used);
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(&name)?;
        placed.push(appendix_sheet(
            worksheet,
            &name,
            sheet,
            &formats,
            &mut heights,
        )?);
    }
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(BY_AGENCY)?;
    agency_sheet(worksheet, register, &placed, &formats, &mut heights)?;
    Ok(workbook.save_to_buffer()?)
}

/// The print setup every sheet shares: A4 landscape, `margins`, the header row on every
/// page, one page wide, the sheet's name on top and page numbers below.
fn print_setup(
    worksheet: &mut Worksheet,
    margins: &crate::document::Margins,
) -> Result<(), XlsxError> {
    worksheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_margins(
            inches(margins.left),
            inches(margins.right),
            inches(margins.top),
            inches(margins.bottom),
            0.3,
            0.3,
        )
        .set_header(format!("&C&\"{FONT},Bold\"&12&A"))
        .set_footer(format!("&C&\"{FONT},Regular\"&12Trang &P/&N"));
    worksheet.set_repeat_rows(0, 0)?;
    Ok(())
}

fn appendix_sheet(
    worksheet: &mut Worksheet,
    name: &str,
    sheet: &Sheet,
    formats: &Formats,
    heights: &mut Heights<'_>,
) -> Result<Placed, XlsxError> {
    let own = sheet.columns.len();
    let progress_col =
        u16::try_from(own).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
    let key_col = progress_col + FOLLOW_UP.len() as u16;
    let taken: Vec<&str> = sheet.columns.iter().map(|c| c.header.as_str()).collect();
    let mut col: u16 = 0;
    let header: Vec<(&str, f32, bool)> = sheet
        .columns
        .iter()
        .map(|c| (c.header.as_str(), c.width_mm, true))
        .chain(FOLLOW_UP.iter().map(|&(h, w)| (h, w, true)))
        .collect();
    worksheet.set_row_height(0, heights.row(&header))?;
    for c in &sheet.columns {
        worksheet.write_string_with_format(0, col, &c.header, &formats.header)?;
        worksheet.set_column_width_pixels(col, pixels(c.width_mm))?;
        col += 1;
    }
    for (header, width) in FOLLOW_UP {
        // A template with a column of the same name (e.g. its own "Ghi chú") keeps it;
        // ours says what it is for.
        let header = if taken.contains(&header) {
            format!("{header} (theo dõi)")
        } else {
            header.to_owned()
        };
        worksheet.write_string_with_format(0, col, &header, &formats.header)?;
        worksheet.set_column_width_pixels(col, pixels(width))?;
        worksheet.set_column_format(col, formats.body(Align::Left))?;
        col += 1;
    }
    worksheet.write_string_with_format(0, key_col, KEY_HEADER, &formats.header)?;
    worksheet.set_column_width_pixels(key_col, pixels(40.0))?;
    worksheet.set_column_hidden(key_col)?;

    let mut placed = Vec::with_capacity(sheet.rows.len());
    let mut row: u32 = 0;
    for entry in &sheet.rows {
        row += 1;
        placed.push((name.to_owned(), row + 1));
        let heading = match entry.kind {
            RowKind::Section => Some(&formats.section),
            RowKind::Group => Some(&formats.group),
            RowKind::Total => Some(&formats.group),
            RowKind::Item | RowKind::Header | RowKind::ColumnNumbers => None,
        };
        for (c, (text, column)) in entry.cells.iter().zip(&sheet.columns).enumerate() {
            let chars = text.chars().count();
            if chars > MAX_CELL_CHARS {
                return Err(XlsxError::CellTooLong {
                    sheet: sheet.name.clone(),
                    row: entry.name.clone(),
                    column: column.header.clone(),
                    chars,
                });
            }
            let format = heading.unwrap_or_else(|| formats.body(column.align));
            let c = c as u16;
            if text.is_empty() {
                worksheet.write_blank(row, c, format)?;
            } else {
                worksheet.write_string_with_format(row, c, text, format)?;
            }
        }
        for c in progress_col..key_col {
            worksheet.write_blank(row, c, heading.unwrap_or_else(|| formats.body(Align::Left)))?;
        }
        worksheet.write_string_with_format(row, key_col, &entry.key, formats.body(Align::Left))?;
        let cells: Vec<(&str, f32, bool)> = entry
            .cells
            .iter()
            .zip(&sheet.columns)
            .map(|(text, c)| (text.as_str(), c.width_mm, heading.is_some()))
            .collect();
        worksheet.set_row_height(row, heights.row(&cells))?;
    }
    let last = row.max(1);
    let progress = DataValidation::new()
        .allow_list_strings(&PROGRESS)?
        .set_input_title("Tiến độ")?
        .set_input_message("Chọn mức tiến độ trong danh sách.")?
        .set_error_title("Tiến độ")?
        .set_error_message(format!("Chỉ chọn một trong: {}.", PROGRESS.join(", ")))?
        .set_error_style(DataValidationErrorStyle::Stop);
    worksheet.add_data_validation(1, progress_col, last, progress_col, &progress)?;
    worksheet.set_freeze_panes(1, 0)?;
    worksheet.autofilter(0, 0, last, key_col)?;
    print_setup(worksheet, &sheet.margins)?;
    Ok(placed)
}

fn agency_sheet(
    worksheet: &mut Worksheet,
    register: &Register,
    placed: &[Placed],
    formats: &Formats,
    heights: &mut Heights<'_>,
) -> Result<(), XlsxError> {
    let key_col = (BY_AGENCY_COLUMNS.len() - 1) as u16;
    for (c, (header, width)) in BY_AGENCY_COLUMNS.iter().enumerate() {
        let c = c as u16;
        worksheet.write_string_with_format(0, c, *header, &formats.header)?;
        worksheet.set_column_width_pixels(c, pixels(*width))?;
    }
    worksheet.set_column_hidden(key_col)?;
    // The cached result of the mirror formulas: the empty text they show until the
    // appendix's cell is filled (the default, 0, would show as "0" to a reader that does
    // not recalculate on load).
    worksheet.set_formula_result_default("");
    let header: Vec<(&str, f32, bool)> = BY_AGENCY_COLUMNS
        .iter()
        .map(|&(h, w)| (h, w, true))
        .collect();
    worksheet.set_row_height(0, heights.row(&header))?;
    let mut row: u32 = 0;
    for (index, agency) in register.agencies.iter().enumerate() {
        for (role, lead) in [("Chủ trì", true), ("Phối hợp", false)] {
            for (sheet, places) in register.sheets.iter().zip(placed) {
                let main = sheet
                    .columns
                    .iter()
                    .position(|c| c.role == ColumnRole::Main);
                // Each sheet's Tiến độ and Kết quả columns come right after its own.
                let progress = u16::try_from(sheet.columns.len()).unwrap_or(u16::MAX);
                for (entry, (sheet_name, at)) in sheet.rows.iter().zip(places) {
                    let names = if lead { &entry.lead } else { &entry.support };
                    if entry.kind != RowKind::Item || !names.contains(&index) {
                        continue;
                    }
                    row += 1;
                    let cell = |i: Option<usize>| {
                        i.and_then(|i| entry.cells.get(i))
                            .map_or("", String::as_str)
                    };
                    let texts = [
                        agency.name.as_str(),
                        role,
                        &sheet.name,
                        &entry.name,
                        cell(main),
                    ];
                    let sized: Vec<(&str, f32, bool)> = texts
                        .iter()
                        .zip(&BY_AGENCY_COLUMNS)
                        .map(|(text, (_, width))| (*text, *width, false))
                        .collect();
                    worksheet.set_row_height(row, heights.row(&sized))?;
                    for (c, text) in texts.iter().enumerate() {
                        worksheet.write_string_with_format(
                            row,
                            c as u16,
                            *text,
                            formats.body(Align::Left),
                        )?;
                    }
                    for (c, source_col) in [(5u16, progress), (6, progress.saturating_add(1))] {
                        let source = format!(
                            "{}!{}{}",
                            quoted(sheet_name),
                            column_letters(source_col),
                            at
                        );
                        let formula = Formula::new(format!("=IF({source}=\"\",\"\",{source})"));
                        worksheet.write_formula_with_format(
                            row,
                            c,
                            formula,
                            formats.body(Align::Left),
                        )?;
                    }
                    worksheet.write_string_with_format(
                        row,
                        key_col,
                        &entry.key,
                        formats.body(Align::Left),
                    )?;
                }
            }
        }
    }
    let last = row.max(1);
    worksheet.set_freeze_panes(1, 0)?;
    worksheet.autofilter(0, 0, last, key_col)?;
    let margins = register.sheets.first().map_or(
        crate::document::Margins {
            top: 20.0,
            bottom: 20.0,
            left: 30.0,
            right: 15.0,
        },
        |s| s.margins,
    );
    print_setup(worksheet, &margins)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_go_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn sheet_names_are_what_excel_accepts() {
        let mut used = vec![BY_AGENCY.to_lowercase()];
        assert_eq!(sheet_name("Phụ lục I", &mut used), "Phụ lục I");
        assert_eq!(sheet_name("phụ lục i", &mut used), "phụ lục i (2)");
        assert_eq!(sheet_name("Phụ lục 1/2", &mut used), "Phụ lục 1-2");
        assert_eq!(sheet_name("Theo cơ quan", &mut used), "Theo cơ quan (2)");
        let long = sheet_name(&"x".repeat(40), &mut used);
        assert_eq!(long.chars().count(), 31);
        assert_eq!(sheet_name("''", &mut used), "Phụ lục");
    }
}
