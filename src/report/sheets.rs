//! What each sheet of a filled-in workbook says: one [`Observation`] per row — its key,
//! its main text, its Tiến độ, Kết quả and Ghi chú cells — found by the headers phuluc
//! wrote, wherever the columns now stand.
//!
//! Contract: the header row is the first of the sheet's first [`HEADER_ROWS`] rows that
//! has a "Mã dòng" or "Tiến độ" cell (so a title row inserted above, columns moved or
//! inserted, and rows sorted or deleted all read the same). Headers compare without case
//! or extra spaces; of "Tiến độ (theo dõi)" and "Tiến độ" (likewise Kết quả, Ghi chú) the
//! first is ours, the second a template column of that name. An appendix sheet has
//! "Mã dòng" or the main text column; the agency sheet "Theo cơ quan" (its "Vai trò"
//! header gives it away) is read too, only for cells typed over its mirror formulas; the
//! summary sheet and sheets of other tables are skipped, the latter with a note.

use unicode_normalization::UnicodeNormalization;

use super::reader::{Row, Workbook};
use crate::xlsx::{FOLLOW_UP, KEY_HEADER, column_letters};

/// How far down the header row may be.
pub const HEADER_ROWS: usize = 20;

/// One cell of a row, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its A1 reference ("G14").
    pub at: String,
    /// Its text.
    pub text: String,
}

/// One row of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Index of the workbook in the order given.
    pub file: usize,
    /// The sheet's name.
    pub sheet: String,
    /// The 1-based row number, as the spreadsheet shows it.
    pub row: u32,
    /// Its "Mã dòng" ("" when the sheet has none or the cell is empty).
    pub key: String,
    /// Its main text (the task), "" when the sheet has no such column.
    pub text: String,
    /// The A1 reference of the main text's cell ("B27"), when the sheet has that column.
    pub text_at: Option<String>,
    /// Tiến độ, Kết quả, Ghi chú, when filled.
    pub follow_up: [Option<Found>; 3],
    /// From the agency sheet "Theo cơ quan", not an appendix sheet.
    pub mirror: bool,
}

impl Observation {
    /// Whether any of Tiến độ, Kết quả, Ghi chú is filled.
    pub fn has_content(&self) -> bool {
        self.follow_up.iter().any(Option::is_some)
    }

    /// "theo-doi.xlsx, Phụ lục II!G14" for `cell`, or the row ("…, Phụ lục II, dòng 14").
    pub fn place(&self, file: &str, cell: Option<&Found>) -> String {
        match cell {
            Some(c) => format!("{file}, {}!{}", self.sheet, c.at),
            None => format!("{file}, {}, dòng {}", self.sheet, self.row),
        }
    }

    /// "theo-doi.xlsx, Phụ lục II!B27": the cell of the row's main text (else the row).
    pub fn place_text(&self, file: &str) -> String {
        match &self.text_at {
            Some(at) => format!("{file}, {}!{at}", self.sheet),
            None => self.place(file, None),
        }
    }
}

/// What a sheet turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    /// An appendix sheet with its key column.
    Appendix,
    /// An appendix sheet whose key column is gone: rows are matched by their text.
    Keyless,
    /// The agency sheet "Theo cơ quan".
    Mirror,
    /// The summary sheet "Tổng hợp": nothing to read.
    Summary,
    /// Not a sheet of the tracking workbook.
    Other,
}

/// One sheet read.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRead {
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: SheetKind,
    /// Its rows.
    pub rows: Vec<Observation>,
}

/// A header or a cell as compared: NFC, lower case, whitespace collapsed.
pub fn fold(s: &str) -> String {
    let lower: String = s.nfc().flat_map(char::to_lowercase).collect();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The header row's columns: (folded header, column).
fn headers(row: &Row) -> Vec<(String, u16)> {
    row.cells.iter().map(|c| (fold(&c.text), c.col)).collect()
}

fn column(headers: &[(String, u16)], names: &[&str]) -> Option<u16> {
    names.iter().find_map(|name| {
        let name = fold(name);
        headers.iter().find(|(h, _)| *h == name).map(|(_, c)| *c)
    })
}

/// Every sheet of workbook number `file` read; `main_headers` are the headers of the
/// plan's main text columns ("Nhiệm vụ cụ thể", "Mục tiêu").
pub fn read(file: usize, book: &Workbook, main_headers: &[&str]) -> Vec<SheetRead> {
    book.sheets
        .iter()
        .map(|sheet| {
            let header = sheet.rows.iter().take(HEADER_ROWS).position(|r| {
                let h = headers(r);
                column(&h, &[KEY_HEADER, FOLLOW_UP[0].0]).is_some()
                    || column(&h, &["Số nhiệm vụ chủ trì"]).is_some()
            });
            let Some(header) = header else {
                return SheetRead {
                    name: sheet.name.clone(),
                    kind: SheetKind::Other,
                    rows: Vec::new(),
                };
            };
            let h = headers(&sheet.rows[header]);
            let ours = |name: &str| [format!("{name} (theo dõi)"), name.to_owned()];
            let follow = |name: &str| {
                let names = ours(name);
                column(&h, &[names[0].as_str(), names[1].as_str()])
            };
            let key = column(&h, &[KEY_HEADER]);
            let mirror = column(&h, &["Vai trò"]).is_some();
            let summary = column(&h, &["Số nhiệm vụ chủ trì"]).is_some();
            let text = if mirror {
                column(&h, &["Nội dung"])
            } else {
                column(&h, main_headers)
            };
            let kind = match (summary, mirror, key, text) {
                (true, ..) => SheetKind::Summary,
                (_, true, ..) => SheetKind::Mirror,
                (_, _, Some(_), _) => SheetKind::Appendix,
                (_, _, None, Some(_)) => SheetKind::Keyless,
                _ => SheetKind::Other,
            };
            if matches!(kind, SheetKind::Summary | SheetKind::Other) {
                return SheetRead {
                    name: sheet.name.clone(),
                    kind,
                    rows: Vec::new(),
                };
            }
            let cols = [
                follow(FOLLOW_UP[0].0),
                follow(FOLLOW_UP[1].0),
                // "Theo cơ quan" has no Ghi chú.
                if mirror { None } else { follow(FOLLOW_UP[2].0) },
            ];
            let rows = sheet.rows[header + 1..]
                .iter()
                .map(|r| {
                    let cell = |col: Option<u16>| -> Option<Found> {
                        let c = r.get(col?)?;
                        // The agency sheet mirrors the appendix sheets by formulas; only
                        // what was typed over them is its own.
                        if mirror && c.formula {
                            return None;
                        }
                        let text = c.text.trim();
                        (!text.is_empty()).then(|| Found {
                            at: format!("{}{}", column_letters(c.col), r.row + 1),
                            text: text.to_owned(),
                        })
                    };
                    Observation {
                        file,
                        sheet: sheet.name.clone(),
                        row: r.row + 1,
                        key: key.map_or("", |k| r.text(k)).trim().to_owned(),
                        text: text.map_or("", |t| r.text(t)).to_owned(),
                        text_at: text.map(|t| format!("{}{}", column_letters(t), r.row + 1)),
                        follow_up: cols.map(cell),
                        mirror,
                    }
                })
                .collect();
            SheetRead {
                name: sheet.name.clone(),
                kind,
                rows,
            }
        })
        .collect()
}
