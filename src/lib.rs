//! phuluc: one YAML plan file in, the official appendices (Phụ lục) of a Vietnamese
//! government plan out, as .docx and PDF.
//!
//! The pipeline, one way only:
//! `model` (load + validate YAML) → `compose` (templates, numbering) → [`document::Document`]
//! → writers: [`docx::docx`] and, through `layout`, [`pdf::pdf`]. Writers never see the
//! YAML model; the model never sees a writer. [`diag`] carries every problem as a value.
//! [`redline`] marks a document with the changes from an earlier version, for the writers
//! to show.
//!
//! Every part, row and cell of the document carries its origin in the plan file (a
//! [`diag::Span`]), set by compose and copied by layout onto what it places, so a message
//! about the document and the preview's click-to-source point into the file without any
//! table kept beside it.
//!
//! Entry points: [`prepare`] reads, validates and composes a plan file; [`prepare_str`]
//! does the same for text already in memory (the fuzzer's entry); [`check`] lists every
//! problem `phuluc check` reports; [`render::outputs`] makes every file `phuluc render`
//! writes, as bytes; [`preview::Preview`] is `phuluc preview`, [`serve::Server`] is
//! `phuluc serve` (both on the one HTTP stack, [`http`]).

pub mod check_report;
pub mod compose;
pub mod diag;
pub mod diff;
pub mod doctor;
pub mod document;
pub mod docx;
pub mod edit;
pub mod export;
pub mod fix_encoding;
pub mod fonts;
pub mod http;
pub mod import;
pub mod layout;
pub mod legacy;
pub mod manual;
pub mod model;
pub mod pdf;
pub mod preview;
pub mod redline;
pub mod register;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod svg;
pub mod watch;
pub mod write;
pub mod xlsx;
pub mod xml_chars;

use std::path::Path;

use compose::templates::Templates;
use diag::{Diagnostic, ToDiagnostic, has_errors};

/// A plan file read, validated and composed.
#[derive(Debug)]
pub struct Prepared {
    /// The document to hand to the writers.
    pub document: document::Document,
    /// Warnings found on the way (no errors: those stop [`prepare`]).
    pub warnings: Vec<Diagnostic>,
    /// The validated plan the document was composed from (for the per-agency extracts
    /// and the tracking register, which select from it).
    pub plan: model::Plan,
}

/// Reads `path`, validates it against `templates` and composes the document.
/// Every problem found is returned at once; warnings travel with the result.
pub fn prepare(path: &Path, templates: &Templates) -> Result<Prepared, Vec<Diagnostic>> {
    model::load::with_file_text(path, model::LoadOptions::default(), |src| {
        prepare_str(src, path, templates)
    })
}

/// [`prepare`] on text already in memory: `src` is the plan file's contents, `path` only
/// names it in messages (nothing is read). Used by `prepare` itself and by the fuzzer.
pub fn prepare_str(
    src: &str,
    path: &Path,
    templates: &Templates,
) -> Result<Prepared, Vec<Diagnostic>> {
    let tree = model::parse_str(src, path)?;
    let (plan, mut diags) = model::validate(&tree, path, templates);
    // The plan is built even where parts of it were wrong, so the lints (clashing
    // numbers among them) run too and one check shows everything.
    diags.extend(compose::lint::lint(&plan, templates, path));
    diags.extend(compose::blanks::blank_fields(&tree, path));
    diags.extend(compose::printed_fields::blank_plan_fields(
        &plan, &tree, templates, path,
    ));
    if has_errors(&diags) {
        return Err(diags);
    }
    let document = compose::compose(&plan, templates)?;
    Ok(Prepared {
        document,
        warnings: diags,
        plan,
    })
}

/// Everything `phuluc check` reports for one file: the problems [`prepare`] finds and,
/// when the document composes, every character the PDF fonts lack (as warnings: the
/// .docx can still be made, the PDF cannot). Sorted by position.
pub fn check(path: &Path, templates: &Templates, fonts: &fonts::FontSet) -> Vec<Diagnostic> {
    let mut diags = match model::load::with_file_text(path, model::LoadOptions::default(), |src| {
        Ok(check_str(src, path, templates, fonts))
    }) {
        Ok(diags) => return diags,
        Err(diags) => diags,
    };
    diags.sort_by_key(|d| (d.pos.is_none(), d.pos));
    diags
}

/// [`check`] on text already in memory (`phuluc serve`'s body): `path` only names it in
/// messages, nothing is read.
pub fn check_str(
    src: &str,
    path: &Path,
    templates: &Templates,
    fonts: &fonts::FontSet,
) -> Vec<Diagnostic> {
    let mut diags = match prepare_str(src, path, templates) {
        Err(diags) => diags,
        Ok(prepared) => {
            let mut diags = prepared.warnings;
            for e in layout::missing_glyphs(&prepared.document, fonts).unwrap_or_default() {
                // The .docx can still be made: for `check` a missing character is a
                // warning, with the words `render` stops with.
                let mut d = e.to_diagnostic().in_file(path);
                d.severity = diag::Severity::Warning;
                diags.push(d);
            }
            diags
        }
    };
    diags.sort_by_key(|d| (d.pos.is_none(), d.pos));
    diags
}
