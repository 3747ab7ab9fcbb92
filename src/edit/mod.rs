//! The clerk's edits of a plan file, made on its text: exact, checked, undoable.
//!
//! Contract: an [`Op`] names a mapping of the file by the line:column of its first byte
//! (what the preview's `data-src` carries: a row, a section's or group's block, an
//! appendix, the `plan:` block) and what to do: set one field to the text as the clerk
//! types it (amounts "1.250.000" / "12,5", dates dd/mm/yyyy, a list one name a line), or,
//! for a row, insert an empty one of the template's fields above or below it, delete it,
//! move it up or down. [`edit_text`] plans the edit on the text (`plan.rs`: only that
//! value's bytes change, or only that row's lines move; every other byte stays, comments
//! kept; the value in the style the file uses, `value.rs`), then checks the whole plan as
//! `check` does and reads the value back: an edit that leaves the plan invalid, or that
//! would not read back as typed, is refused with its diagnostics and changes nothing.
//! [`Session`] does that on the file: the caller names the version it saw (the hex
//! SHA-256 of the file's bytes, [`version`]); another version is refused
//! ([`EditError::Stale`], the HTTP 409) and nothing is written; writes are atomic
//! ([`crate::write`]); undo and redo restore the exact bytes before and after each edit
//! of the session, and refuse likewise when the file changed meanwhile. Never panics.

mod op;
mod plan;
pub mod value;

pub use op::{EditError, Op, parse_src};

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, Pos};
use crate::model::tree::{Kind, ScalarType};
use value::Typed;

/// The version of a file's bytes: their SHA-256, in hex.
pub fn version(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

/// An edit made on text: the new text and the warnings the edit brought.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The whole new text.
    pub text: String,
    /// Warnings of the new plan that the old one did not have.
    pub warnings: Vec<Diagnostic>,
}

/// `op` on the plan text `src` (`path` names it in messages): see the module doc.
pub fn edit_text(
    src: &str,
    op: &Op,
    path: &Path,
    templates: &Templates,
) -> Result<Edited, EditError> {
    let root = crate::model::parse_str(src, path).map_err(EditError::Invalid)?;
    let (text, set) = plan::plan(src, &root, op, templates)?;
    let new_warnings = match crate::prepare_str(&text, path, templates) {
        Err(diags) => {
            let mut diags: Vec<Diagnostic> = diags;
            diags.sort_by_key(|d| !d.is_error());
            return Err(EditError::Invalid(diags));
        }
        Ok(p) => p.warnings,
    };
    if let Some((pos, field, typed)) = set {
        let reread = crate::model::parse_str(&text, path).map_err(EditError::Invalid)?;
        let same = plan::find(&reread, pos).is_some_and(|f| match &f.map.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == field)
                .is_some_and(|(_, v)| reads_as(&v.kind, &typed)),
            _ => false,
        });
        if !same {
            return Err(EditError::Unsupported {
                pos,
                field: Some(field),
            });
        }
    }
    let old: Vec<Box<str>> = crate::prepare_str(src, path, templates)
        .map(|p| p.warnings)
        .unwrap_or_default()
        .iter()
        .map(|d| d.message.vi.clone())
        .collect();
    let warnings = new_warnings
        .into_iter()
        .filter(|d| !old.contains(&d.message.vi))
        .collect();
    Ok(Edited { text, warnings })
}

/// Whether a node read back says `typed`.
fn reads_as(kind: &Kind, typed: &Typed) -> bool {
    match (kind, typed) {
        (Kind::Null, Typed::Null) => true,
        (Kind::Scalar(s, ScalarType::Str), Typed::Text(t) | Typed::Date(t)) => s == t,
        (Kind::Scalar(s, ScalarType::Int | ScalarType::Float), Typed::Number(n)) => {
            s.parse::<rust_decimal::Decimal>().is_ok_and(|v| v == *n)
        }
        (Kind::Seq(items), Typed::List(names)) => {
            items.len() == names.len()
                && items
                    .iter()
                    .zip(names)
                    .all(|(i, n)| matches!(&i.kind, Kind::Scalar(s, ScalarType::Str) if s == n))
        }
        (Kind::Scalar(s, ScalarType::Str), Typed::List(names)) => {
            names.len() == 1 && names[0] == *s
        }
        _ => false,
    }
}

/// The value of `field` of the mapping at `pos` in `src`, as the clerk types it
/// (empty when not written), and how that field is typed (a list of agency names, an
/// amount, a date…); `None` when no mapping starts there.
pub fn typed_value(
    src: &str,
    pos: Pos,
    field: &str,
    templates: &Templates,
) -> Option<(String, crate::model::FieldKind)> {
    let root = crate::model::parse_str(src, Path::new("")).ok()?;
    let found = plan::find(&root, pos)?;
    let kind = plan::field_kind(&found, field, templates);
    let Kind::Map(entries) = &found.map.kind else {
        return None;
    };
    let value = entries
        .iter()
        .find(|(k, _)| k.name == field)
        .map(|(_, v)| value::as_typed(&v.kind, Some(kind)))
        .unwrap_or_default();
    Some((value, kind))
}

/// One edit of a session: the file's bytes before and after.
#[derive(Debug, Clone)]
struct Step {
    before: Vec<u8>,
    after: Vec<u8>,
}

/// An edit applied to the file.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The file's version now.
    pub version: String,
    /// Warnings the edit brought.
    pub warnings: Vec<Diagnostic>,
}

/// The edits of one editing session of one plan file, undoable.
#[derive(Debug)]
pub struct Session {
    path: PathBuf,
    templates: Option<PathBuf>,
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// At most this many edits are kept to undo.
const MAX_UNDO: usize = 200;

impl Session {
    /// A session on `path`, with the extra templates folder `templates`.
    pub fn new(path: &Path, templates: Option<&Path>) -> Session {
        Session {
            path: path.to_path_buf(),
            templates: templates.map(Path::to_path_buf),
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    fn read(&self) -> Result<Vec<u8>, EditError> {
        std::fs::read(&self.path).map_err(|e| EditError::Io(e.to_string()))
    }

    fn write(&self, bytes: &[u8]) -> Result<(), EditError> {
        crate::write::atomic_write(&self.path, bytes).map_err(|e| EditError::Io(e.to_string()))
    }

    /// The file's version, and the value of `field` at `pos` as the clerk types it with
    /// how it is typed ([`typed_value`]), read from the same bytes.
    pub fn value(
        &self,
        pos: Pos,
        field: &str,
    ) -> Result<(String, Option<(String, crate::model::FieldKind)>), EditError> {
        let bytes = self.read()?;
        let src =
            String::from_utf8_lossy(bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes));
        let templates = Templates::load(self.templates.as_deref()).map_err(EditError::Invalid)?;
        Ok((version(&bytes), typed_value(&src, pos, field, &templates)))
    }

    /// The file's version now.
    pub fn version(&self) -> Result<String, EditError> {
        self.read().map(|b| version(&b))
    }

    /// `op`, made on version `seen` of the file: see the module doc.
    pub fn apply(&mut self, seen: &str, op: &Op) -> Result<Applied, EditError> {
        let before = self.read()?;
        let current = version(&before);
        if current != seen {
            return Err(EditError::Stale { current });
        }
        let (bom, src) = match before.strip_prefix("\u{feff}".as_bytes()) {
            Some(rest) => ("\u{feff}", rest),
            None => ("", before.as_slice()),
        };
        let src = std::str::from_utf8(src).map_err(|e| EditError::Io(e.to_string()))?;
        let templates = Templates::load(self.templates.as_deref()).map_err(EditError::Invalid)?;
        let edited = edit_text(src, op, &self.path, &templates)?;
        let after = format!("{bom}{}", edited.text).into_bytes();
        if after != before {
            self.write(&after)?;
            self.undo.push(Step {
                before,
                after: after.clone(),
            });
            if self.undo.len() > MAX_UNDO {
                self.undo.remove(0);
            }
            self.redo.clear();
        }
        Ok(Applied {
            version: version(&after),
            warnings: edited.warnings,
        })
    }

    /// Undoes the last edit: the file's bytes before it, if the file is still as that
    /// edit left it (and, when `seen` is given, the version the caller saw).
    pub fn undo(&mut self, seen: Option<&str>) -> Result<String, EditError> {
        self.step(seen, true)
    }

    /// Redoes the last edit undone.
    pub fn redo(&mut self, seen: Option<&str>) -> Result<String, EditError> {
        self.step(seen, false)
    }

    fn step(&mut self, seen: Option<&str>, undo: bool) -> Result<String, EditError> {
        let now = self.read()?;
        let current = version(&now);
        if seen.is_some_and(|s| s != current) {
            return Err(EditError::Stale { current });
        }
        let (from, to) = if undo {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let step = from.last().ok_or(EditError::Nothing)?;
        let (expect, restore) = if undo {
            (&step.after, &step.before)
        } else {
            (&step.before, &step.after)
        };
        if *expect != now {
            return Err(EditError::Stale { current });
        }
        let restore = restore.clone();
        crate::write::atomic_write(&self.path, &restore)
            .map_err(|e| EditError::Io(e.to_string()))?;
        if let Some(step) = from.pop() {
            to.push(step);
        }
        Ok(version(&restore))
    }
}

#[cfg(test)]
mod tests;
