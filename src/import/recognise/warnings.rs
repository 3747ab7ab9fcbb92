//! How recognition words its warnings: the place in the Word file ("bảng 2, dòng 14,
//! cột 3"), a warning at a place, and the name a clerk knows an old encoding by.
//!
//! Contract: text only, Vietnamese and English; every room of recognition warns
//! through these.

use crate::diag::Text;
use crate::legacy::Legacy;

/// How a clerk knows an old encoding: by its fonts.
pub(super) fn legacy_name(legacy: Legacy) -> &'static str {
    match legacy {
        Legacy::Tcvn3 => ".VnTime (TCVN3)",
        Legacy::Vni => "VNI",
    }
}

/// "bảng 2, dòng 14, cột 3" (all from 1).
pub(super) fn at(table: usize, row: usize, col: Option<usize>) -> (String, String) {
    match col {
        Some(c) => (
            format!("bảng {}, dòng {}, cột {}", table + 1, row + 1, c + 1),
            format!("table {}, row {}, column {}", table + 1, row + 1, c + 1),
        ),
        None => (
            format!("bảng {}, dòng {}", table + 1, row + 1),
            format!("table {}, row {}", table + 1, row + 1),
        ),
    }
}

pub(super) fn warn(out: &mut Vec<Text>, (vi, en): (String, String), what_vi: &str, what_en: &str) {
    out.push(Text::new(
        format!("{vi}: {what_vi}"),
        format!("{en}: {what_en}"),
    ));
}
