//! The workbook's shared vocabulary: the names and headers phuluc writes (and `phuluc
//! report` reads back), the cell font and formats, and the small conversions the sheets
//! share (millimetres to pixels and inches, column letters, quoted sheet names).
//!
//! Contract: a leaf of [`crate::xlsx`] — the appendix sheets ([`super`]), the figures
//! ([`super::figures`]) and the summary ([`super::summary`]) use it, it uses none of them.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

use crate::document::Align;

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
pub(super) const MAX_CELL_CHARS: usize = 32_767;

/// The font of every cell, and its size.
pub(super) const FONT: &str = "Times New Roman";
pub(super) const FONT_PT: f64 = 12.0;

/// Millimetres to screen pixels at 96 dpi (the unit Excel sizes columns in).
pub(super) fn pixels(mm: f32) -> u32 {
    // Widths come from templates (checked positive and finite) and our constants.
    (f64::from(mm) / 25.4 * 96.0).round().clamp(8.0, 2000.0) as u32
}

/// Millimetres to inches (print margins).
pub(super) fn inches(mm: f32) -> f64 {
    f64::from(mm) / 25.4
}

/// The cell formats of a sheet.
pub(super) struct Formats {
    pub(super) header: Format,
    pub(super) section: Format,
    pub(super) group: Format,
    pub(super) body: [Format; 3],
}

impl Formats {
    pub(super) fn new() -> Self {
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

    pub(super) fn body(&self, align: Align) -> &Format {
        match align {
            Align::Left | Align::Justify => &self.body[0],
            Align::Center => &self.body[1],
            Align::Right => &self.body[2],
        }
    }
}

/// A1-style column letters of 0-based `col`.
pub(crate) fn column_letters(mut col: u16) -> String {
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
pub(super) fn quoted(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

/// What was reported on each task, by its key: Tiến độ, Kết quả, Ghi chú (the report
/// writes the workbook again with them, all agencies' results in one file).
pub type Filled = std::collections::BTreeMap<String, [String; 3]>;
