//! Speed of each pipeline stage on the seed plan: read + validate + compose, the .docx
//! writer, the PDF writer, and the whole job. Figures go to BENCHMARKS.md.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use phuluc::compose::templates::Templates;
use phuluc::pdf::PdfOptions;

fn seed() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/ke-hoach-05-nq-du.yaml"
    ))
}

fn stages(c: &mut Criterion) {
    let templates = match Templates::builtin() {
        Ok(t) => t,
        Err(d) => panic!("built-in templates: {d:?}"),
    };
    let doc = match phuluc::prepare(seed(), &templates) {
        Ok(p) => p.document,
        Err(d) => panic!("seed: {d:?}"),
    };
    let options = PdfOptions::default();
    let mut g = c.benchmark_group("seed");
    g.bench_function("templates", |b| {
        b.iter(|| black_box(Templates::builtin().is_ok()))
    });
    g.bench_function("prepare (read, validate, compose)", |b| {
        b.iter(|| black_box(phuluc::prepare(seed(), &templates).is_ok()))
    });
    g.bench_function("docx", |b| {
        b.iter(|| black_box(phuluc::docx::docx(&doc).map(|v| v.len())))
    });
    g.bench_function("layout", |b| {
        b.iter(|| black_box(phuluc::layout::layout(&doc, &options.fonts).map(|f| f.pages.len())))
    });
    g.bench_function("pdf", |b| {
        b.iter(|| black_box(phuluc::pdf::pdf(&doc, &options).map(|v| v.len())))
    });
    g.bench_function("all (prepare + docx + pdf)", |b| {
        b.iter(|| {
            let doc = phuluc::prepare(seed(), &templates).map(|p| p.document);
            if let Ok(doc) = doc {
                black_box(phuluc::docx::docx(&doc).map(|v| v.len()).ok());
                black_box(phuluc::pdf::pdf(&doc, &options).map(|v| v.len()).ok());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
