//! Arbitrary bytes as a plan file: decode + load + validate + lint + compose, then both
//! writers (.docx and PDF) and the glyph check `phuluc check` runs.
//!
//! A finding is a panic, a hang, a blown memory budget, or a broken promise of the CLI:
//! - every error in a refused file has a line:column (except an empty or binary file,
//!   which has no useful position), so `phuluc` can point at it;
//! - a plan that validates always gives a .docx, and a PDF unless the font lacks a
//!   character (an input problem, exit 1) — any other writer error would be reported as
//!   the tool's own failure (exit 2);
//! - `phuluc check` (missing glyphs) and `phuluc render` (the PDF) agree on whether the
//!   font lacks a character.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use phuluc::compose::templates::Templates;
use phuluc::diag::Lang;
use phuluc::layout::LayoutError;
use phuluc::pdf::{PdfError, PdfOptions};

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| Templates::builtin().expect("built-in templates load"))
}

fn pdf_options() -> &'static PdfOptions {
    static P: OnceLock<PdfOptions> = OnceLock::new();
    P.get_or_init(PdfOptions::default)
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.yaml");
    let Ok(src) = phuluc::model::load::decode(data, path) else {
        return;
    };
    let prepared = match phuluc::prepare_str(src, path, templates()) {
        Ok(p) => p,
        Err(diags) => {
            assert!(
                diags.iter().any(|d| d.is_error()),
                "refused without an error"
            );
            if !src.trim().is_empty() {
                for d in diags.iter().filter(|d| d.is_error()) {
                    assert!(
                        d.pos.is_some(),
                        "error without a position: {}",
                        d.render(Lang::En)
                    );
                }
            }
            return;
        }
    };
    let doc = &prepared.document;
    let missing =
        phuluc::layout::missing_glyphs(doc, &pdf_options().fonts).expect("the built-in fonts load");
    if let Err(e) = phuluc::docx::docx(doc) {
        panic!("a valid plan gives no .docx: {e}");
    }
    match phuluc::pdf::pdf(doc, pdf_options()) {
        Ok(_) => assert!(
            missing.is_empty(),
            "check reports missing glyphs the PDF did not need"
        ),
        Err(PdfError::Layout(LayoutError::MissingGlyph { .. })) => assert!(
            !missing.is_empty(),
            "the PDF lacks a glyph that check did not report"
        ),
        Err(e) => panic!("a valid plan gives no PDF: {e}"),
    }
});
