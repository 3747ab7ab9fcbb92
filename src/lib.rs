//! phuluc: one YAML plan file in, the official appendices (Phụ lục) of a Vietnamese
//! government plan out, as .docx and PDF.
//!
//! The pipeline, one way only:
//! `model` (load + validate YAML) → `compose` (templates, numbering) → [`document::Document`]
//! → writers: [`docx::docx`] and, through `layout`, [`pdf::pdf`]. Writers never see the
//! YAML model; the model never sees a writer. [`diag`] carries every problem as a value.

pub mod compose;
pub mod diag;
pub mod document;
pub mod docx;
pub mod fonts;
pub mod layout;
pub mod model;
pub mod pdf;

use std::path::Path;

use compose::templates::Templates;
use diag::{Diagnostic, has_errors};

/// A plan file read, validated and composed.
#[derive(Debug)]
pub struct Prepared {
    /// The document to hand to the writers.
    pub document: document::Document,
    /// Warnings found on the way (no errors: those stop [`prepare`]).
    pub warnings: Vec<Diagnostic>,
}

/// Reads `path`, validates it against `templates` and composes the document.
/// Every problem found is returned at once; warnings travel with the result.
pub fn prepare(path: &Path, templates: &Templates) -> Result<Prepared, Vec<Diagnostic>> {
    let tree = model::load_file(path, model::LoadOptions::default())?;
    let (plan, diags) = model::validate(&tree, path, templates);
    if has_errors(&diags) {
        return Err(diags);
    }
    let document = compose::compose(&plan, templates)?;
    Ok(Prepared {
        document,
        warnings: diags,
    })
}
