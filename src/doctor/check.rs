//! One line of the doctor's report, as a value: what is checked, whether it is there,
//! and the command that puts it there when it is not.

use crate::diag::Text;

/// Whether a check's subject is needed by the core commands or by one feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `render`, `check`, `new`, `export` cannot work without it.
    Core,
    /// One feature needs it (named in the check's title).
    Optional,
}

/// One line of the doctor's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Core or optional.
    pub need: Need,
    /// Whether what is needed is there.
    pub ok: bool,
    /// What is checked and what for: "LibreOffice (import .doc/.odt/.rtf)".
    pub title: Text,
    /// What was found, or what is missing.
    pub detail: Text,
    /// When missing: the command (or step) that puts it there.
    pub fix: Option<Text>,
    /// Further lines under the check (e.g. which file serves each font face).
    pub notes: Vec<Text>,
}
