//! The tracking register: every row of a plan's appendices with its agencies resolved to
//! the one name each agency goes by — what `phuluc agencies` counts, the per-agency
//! extracts select from, and the workbook writer ([`crate::xlsx`]) lays out.
//!
//! Contract: like [`crate::document`], it knows neither YAML nor any file format;
//! [`crate::compose::agencies::register`] builds it. Cell texts are exactly the
//! appendix's (numbers computed, agency lists joined with ", " as written); agencies are
//! folded as `phuluc check` folds them ([`crate::compose::lint::fold`]) and named by the
//! canonical `agencies:` entry or the most used spelling.

pub mod report;

use crate::document::{Align, Margins, Metadata, RowKind};

/// Every row of every appendix, with the plan's agencies.
#[derive(Debug, Clone, PartialEq)]
pub struct Register {
    /// The plan's file properties (title, issuer, date).
    pub meta: Metadata,
    /// One sheet per appendix, in order.
    pub sheets: Vec<Sheet>,
    /// The agencies: the canonical `agencies:` list first (in its order, even those no
    /// row names), then the others in the order the plan first names them.
    pub agencies: Vec<Agency>,
}

/// One agency, under the name the plan goes by.
#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    /// The name: the canonical entry, else the spelling used most.
    pub name: String,
    /// Its folded name in ASCII, for file names ("phong-van-hoa-xa-hoi" for "Phòng Văn
    /// hóa - Xã hội phường"), unique in the plan.
    pub slug: String,
    /// Every spelling of it in the rows, sorted (the name among them when it is used).
    pub spellings: Vec<String>,
}

/// One appendix's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// What a reader calls the appendix: "Phụ lục I".
    pub name: String,
    /// The appendix number ("I").
    pub number: String,
    /// Its title; `'\n'` is a line break.
    pub title: String,
    /// The template's columns, left to right.
    pub columns: Vec<Column>,
    /// Section and group headings and rows, in document order.
    pub rows: Vec<Entry>,
    /// The template's page margins (for printing the sheet).
    pub margins: Margins,
}

/// A column of the appendix's template.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text ("Cơ quan chủ trì").
    pub header: String,
    /// Width in the appendix, millimetres.
    pub width_mm: f32,
    /// What it holds.
    pub role: ColumnRole,
    /// Horizontal alignment of body cells.
    pub align: Align,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// The row number (Stt).
    Number,
    /// The row's main text (the task or objective).
    Main,
    /// Another text.
    Text,
    /// The agencies that lead the row.
    Lead,
    /// The agencies that support it.
    Support,
    /// Another list.
    List,
}

/// One row of an appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Section heading, group heading or body row.
    pub kind: RowKind,
    /// Its number as printed ("4.2", "II"; empty for an unnumbered row).
    pub number: String,
    /// How a reader names it, unique in the appendix: "mục 4.2", "phần II, mục 3",
    /// "nhóm 4", "phần II".
    pub name: String,
    /// A key for matching a filled-in workbook back to the plan: the row's `id:` when it
    /// has one, else "Phụ lục II | mục 4.2".
    pub key: String,
    /// One text per column; a heading row has its number in the number column and its
    /// text in the main column.
    pub cells: Vec<String>,
    /// Indexes into [`Register::agencies`] of the agencies leading the row, in order,
    /// each once.
    pub lead: Vec<usize>,
    /// Those supporting it.
    pub support: Vec<usize>,
}

impl Register {
    /// How many body rows of each sheet `agency` leads and supports, as (lead, support).
    pub fn counts(&self, agency: usize) -> Vec<(usize, usize)> {
        self.sheets
            .iter()
            .map(|sheet| {
                let items = sheet.rows.iter().filter(|r| r.kind == RowKind::Item);
                items.fold((0, 0), |(lead, support), r| {
                    (
                        lead + usize::from(r.lead.contains(&agency)),
                        support + usize::from(r.support.contains(&agency)),
                    )
                })
            })
            .collect()
    }
}
