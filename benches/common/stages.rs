//! The pipeline's stages measured on one plan file, shared by the `render` bench (the
//! seed) and the `scale` bench (generated plans), so every input is measured the same way
//! and under the same names:
//!
//! - `load`: read, parse and validate (`model::load_file` + `model::validate`);
//! - `compose`: the validated plan to a `Document` (`compose::compose`);
//! - `prepare (read, validate, compose)`: `phuluc::prepare`, the two above plus the lints;
//! - `docx`, `layout`, `pdf`: each writer on the composed document (`pdf` lays out again);
//! - `all (prepare + docx + pdf)`: the whole job, as `phuluc render --format all` does it.
//!
//! The validated plan and the composed document the later stages start from are made on
//! first use, so a stage left out by a name filter costs nothing.
//!
//! Included by path (`#[path = "common/stages.rs"] mod stages;`), so it lives in a
//! subfolder of `benches/` that Cargo does not take for a bench target.

use std::cell::OnceCell;
use std::hint::black_box;
use std::path::Path;

use criterion::BenchmarkGroup;
use criterion::measurement::WallTime;
use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, has_errors};
use phuluc::document::Document;
use phuluc::model::{LoadOptions, Plan};
use phuluc::pdf::PdfOptions;

/// Read, parse and validate `path`, the way `phuluc::prepare` starts.
fn load(path: &Path, templates: &Templates) -> Result<(Plan, Vec<Diagnostic>), Vec<Diagnostic>> {
    let tree = phuluc::model::load_file(path, LoadOptions::default())?;
    Ok(phuluc::model::validate(&tree, path, templates))
}

/// Adds the stages above to `g`, measured on the plan file at `path`.
pub fn stages(
    g: &mut BenchmarkGroup<'_, WallTime>,
    path: &Path,
    templates: &Templates,
    options: &PdfOptions,
) {
    let plan_cell = OnceCell::new();
    let plan = || -> &Plan {
        plan_cell.get_or_init(|| match load(path, templates) {
            Ok((plan, diags)) if !has_errors(&diags) => plan,
            Ok((_, diags)) | Err(diags) => panic!("{}: {diags:?}", path.display()),
        })
    };
    let doc_cell = OnceCell::new();
    let doc = || -> &Document {
        doc_cell.get_or_init(|| match phuluc::prepare(path, templates) {
            Ok(p) => p.document,
            Err(d) => panic!("{}: {d:?}", path.display()),
        })
    };

    g.bench_function("load", |b| {
        b.iter(|| black_box(load(path, templates).map(|(_, diags)| diags.len())))
    });
    g.bench_function("compose", |b| {
        let plan = plan();
        b.iter(|| black_box(phuluc::compose::compose(plan, templates).is_ok()))
    });
    g.bench_function("prepare (read, validate, compose)", |b| {
        b.iter(|| black_box(phuluc::prepare(path, templates).is_ok()))
    });
    g.bench_function("docx", |b| {
        let doc = doc();
        b.iter(|| black_box(phuluc::docx::docx(doc).map(|v| v.len())))
    });
    g.bench_function("layout", |b| {
        let doc = doc();
        b.iter(|| black_box(phuluc::layout::layout(doc, &options.fonts).map(|f| f.pages.len())))
    });
    g.bench_function("pdf", |b| {
        let doc = doc();
        b.iter(|| black_box(phuluc::pdf::pdf(doc, options).map(|v| v.len())))
    });
    g.bench_function("all (prepare + docx + pdf)", |b| {
        b.iter(|| {
            let doc = phuluc::prepare(path, templates).map(|p| p.document);
            if let Ok(doc) = doc {
                black_box(phuluc::docx::docx(&doc).map(|v| v.len()).ok());
                black_box(phuluc::pdf::pdf(&doc, options).map(|v| v.len()).ok());
            }
        })
    });
}
