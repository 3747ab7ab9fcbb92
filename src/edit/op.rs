//! What an edit is and why one is refused: the edit engine's vocabulary, shared by the
//! planner (`plan.rs`) and the session (`mod.rs`).
//!
//! Contract: plain data; each [`EditError`] says itself as a Vietnamese-first
//! [`Diagnostic`] at the place of the edit.

use crate::diag::{Diagnostic, Pos, ToDiagnostic};
use crate::text;

/// One edit of the plan file.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Set `field` of the mapping at `src` to `value`, as typed.
    Set {
        /// The mapping's first byte.
        src: Pos,
        /// The key.
        field: String,
        /// The text as the clerk typed it.
        value: String,
    },
    /// An empty row of the template's fields above the row at `src`.
    InsertBefore {
        /// The row.
        src: Pos,
    },
    /// An empty row below the row at `src`.
    InsertAfter {
        /// The row.
        src: Pos,
    },
    /// Remove the row at `src` (with the comment lines just above it).
    Delete {
        /// The row.
        src: Pos,
    },
    /// Swap the row at `src` with the one above it.
    MoveUp {
        /// The row.
        src: Pos,
    },
    /// Swap the row at `src` with the one below it.
    MoveDown {
        /// The row.
        src: Pos,
    },
}

impl Op {
    /// Where the edit is.
    pub fn src(&self) -> Pos {
        match self {
            Op::Set { src, .. }
            | Op::InsertBefore { src }
            | Op::InsertAfter { src }
            | Op::Delete { src }
            | Op::MoveUp { src }
            | Op::MoveDown { src } => *src,
        }
    }

    /// The operation named `op` as the HTTP API names it (`set`, `insert_after`, …).
    pub fn named(op: &str, src: Pos, field: Option<&str>, value: Option<&str>) -> Option<Op> {
        Some(match op {
            "set" => Op::Set {
                src,
                field: field?.to_owned(),
                value: value.unwrap_or_default().to_owned(),
            },
            "insert_before" => Op::InsertBefore { src },
            "insert_after" => Op::InsertAfter { src },
            "delete" => Op::Delete { src },
            "move_up" => Op::MoveUp { src },
            "move_down" => Op::MoveDown { src },
            _ => return None,
        })
    }
}

/// "LINE:COL" → a position.
pub fn parse_src(s: &str) -> Option<Pos> {
    let (l, c) = s.split_once(':')?;
    Some(Pos {
        line: l.trim().parse().ok()?,
        column: c.trim().parse().ok()?,
    })
}

/// Why an edit was refused. Nothing was written.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EditError {
    /// The file is not the version the edit was made on (saved elsewhere meanwhile).
    #[error("tệp đã thay đổi từ khi trang được tải (file changed since the page loaded)")]
    Stale {
        /// The file's version now.
        current: String,
    },
    /// No row or block starts at that place.
    #[error("không tìm thấy dòng ở {}:{} (no row at that place)", pos.line, pos.column)]
    NoSuchPlace {
        /// The place.
        pos: Pos,
    },
    /// A row action on something that is not a row of a list.
    #[error("chỗ {}:{} không phải là một dòng của bảng (not a table row)", pos.line, pos.column)]
    NotARow {
        /// The place.
        pos: Pos,
    },
    /// Moving the first row up or the last one down.
    #[error("không chuyển được dòng ở {}:{} (cannot move it further)", pos.line, pos.column)]
    CannotMove {
        /// The place.
        pos: Pos,
    },
    /// What was typed is not a value of the field's kind.
    #[error("{vi}")]
    Value {
        /// The row.
        pos: Pos,
        /// The field.
        field: String,
        /// Why, in Vietnamese.
        vi: String,
        /// Why, in English.
        en: String,
    },
    /// The file writes that place in a way this editor does not rewrite (a flow mapping).
    #[error("chỗ {}:{} viết theo kiểu không sửa được ở đây (written in a style not edited here)", pos.line, pos.column)]
    Unsupported {
        /// The place.
        pos: Pos,
        /// The field.
        field: Option<String>,
    },
    /// The plan would be invalid (or the file cannot be read as it is): its diagnostics.
    #[error("kế hoạch sẽ không hợp lệ (the plan would be invalid)")]
    Invalid(Vec<Diagnostic>),
    /// Undo or redo with nothing to undo or redo.
    #[error("không còn gì để hoàn tác hoặc làm lại (nothing to undo or redo)")]
    Nothing,
    /// The file could not be read or written.
    #[error("không đọc hoặc ghi được tệp: {0} (cannot read or write the file)")]
    Io(String),
}

impl ToDiagnostic for EditError {
    fn to_diagnostic(&self) -> Diagnostic {
        let at = |pos: &Pos| Some(*pos);
        match self {
            EditError::Stale { .. } => Diagnostic::error(text!(
                "tệp đã được lưu ở nơi khác từ khi trang được tải; trang đã tải lại bản mới — giá trị vừa gõ vẫn còn, hãy lưu lại",
                "the file was saved elsewhere since the page loaded; the page reloaded it — what you typed is kept, save again"
            )),
            EditError::NoSuchPlace { pos } => Diagnostic::error(text!(
                "không tìm thấy dòng này trong tệp (có thể tệp vừa thay đổi)",
                "this row is not in the file (it may just have changed)"
            ))
            .at(at(pos)),
            EditError::NotARow { pos } => Diagnostic::error(text!(
                "chỗ này không phải là một dòng của bảng",
                "this is not a row of the table"
            ))
            .at(at(pos)),
            EditError::CannotMove { pos } => Diagnostic::error(text!(
                "dòng đã ở đầu hoặc cuối danh sách, không chuyển tiếp được",
                "the row is already first or last in its list"
            ))
            .at(at(pos)),
            EditError::Value { pos, field, vi, en } => Diagnostic::error(text!(
                format!("ô “{field}”: {vi}"),
                format!("field “{field}”: {en}")
            ))
            .at(at(pos)),
            EditError::Unsupported { pos, .. } => Diagnostic::error(text!(
                "giá trị này được viết theo kiểu không sửa được trên trang; hãy sửa trong tệp YAML",
                "this value is written in a style the page cannot edit; edit it in the YAML file"
            ))
            .at(at(pos)),
            EditError::Invalid(diags) => diags
                .iter()
                .find(|d| d.is_error())
                .cloned()
                .unwrap_or_else(|| {
                    Diagnostic::error(text!(
                        "kế hoạch sẽ không hợp lệ",
                        "the plan would be invalid"
                    ))
                }),
            EditError::Nothing => Diagnostic::error(text!(
                "không còn gì để hoàn tác hoặc làm lại",
                "nothing to undo or redo"
            )),
            EditError::Io(e) => Diagnostic::error(text!(
                format!("không đọc hoặc ghi được tệp: {e}"),
                format!("cannot read or write the file: {e}")
            )),
        }
    }
}
