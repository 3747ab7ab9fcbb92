//! The diff command's files: which two versions are compared ([`versions`]), the redline
//! file's bytes by its extension ([`redline_file`]), and what `git diff` is shown for a
//! file ([`textconv_file`]).
//!
//! Contract: reads files (and git, through [`super::git`]) but writes nothing and prints
//! nothing; every problem is a diagnostic, the errors of both versions at once.

use std::path::Path;

use super::{Change, load, load_bytes, pair};
use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, SourceResult, ToDiagnostic};
use crate::model::{LoadOptions, Plan};
use crate::text;

/// Where the two versions come from.
#[derive(Debug, Clone, Copy)]
pub enum Versions<'a> {
    /// Two files: the old version and the new.
    Files(&'a Path, &'a Path),
    /// A file as committed at a git revision (old) and on disk (new).
    Git {
        /// The revision (HEAD, HEAD~1, main, a commit id).
        rev: &'a str,
        /// The file.
        file: &'a Path,
    },
}

/// The old and the new plan, each checked as `render` checks it.
pub fn versions(versions: Versions, templates: &Templates) -> SourceResult<(Plan, Plan)> {
    match versions {
        Versions::Files(old, new) => pair(load(old, templates), load(new, templates)),
        Versions::Git { rev, file } => {
            let (bytes, name) = super::git::show(rev, file).map_err(|e| vec![e.to_diagnostic()])?;
            pair(load_bytes(&bytes, &name, templates), load(file, templates))
        }
    }
}

/// The new version with `changes` marked, as the file `out` names: .docx (Word tracked
/// changes) or PDF, by its extension.
pub fn redline_file(
    out: &Path,
    old: &Plan,
    new: &Plan,
    changes: &[Change],
    templates: &Templates,
) -> SourceResult<Vec<u8>> {
    let doc = super::redline::redline(old, new, changes, templates)?;
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("docx") => crate::docx::docx(&doc).map_err(|e| vec![e.to_diagnostic().in_file(out)]),
        Some("pdf") => crate::pdf::pdf(&doc, &crate::pdf::PdfOptions::default())
            .map_err(|e| vec![e.to_diagnostic().in_file(out)]),
        _ => Err(vec![
            Diagnostic::error(text!(
                "tệp đánh dấu thay đổi phải có đuôi .docx hoặc .pdf",
                "the redline file must end in .docx or .pdf"
            ))
            .in_file(out)
            .hint(text!(
                "Ví dụ: --redline output/so-sanh.docx",
                "For example: --redline output/compare.docx"
            )),
        ]),
    }
}

/// What `git diff` shows for `file` (`diff.<driver>.textconv`): the plan as stable lines;
/// or, when it is not a valid plan (mid-edit), its bytes as they are, with the reasons.
/// An error only when the file cannot be read at all.
pub fn textconv_file(
    file: &Path,
    templates: &Templates,
) -> Result<(Vec<u8>, Vec<Diagnostic>), Diagnostic> {
    let bytes = crate::model::load::read_bytes(file, LoadOptions::default())?;
    Ok(match load_bytes(&bytes, file, templates) {
        Ok(plan) => (
            super::textconv::textconv(&plan, templates).into_bytes(),
            Vec::new(),
        ),
        // git diff must still show something: the YAML itself, as without textconv.
        Err(diags) => (bytes, diags),
    })
}
