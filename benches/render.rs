//! Speed of each pipeline stage on the seed plan: the built-in templates, read + validate,
//! compose, both together (`prepare`), the .docx writer, layout, the PDF writer, and the
//! whole job. Figures go to BENCHMARKS.md. The same stages on generated 1 000 and
//! 10 000-row plans are the `scale` bench.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use phuluc::compose::templates::Templates;
use phuluc::pdf::PdfOptions;

#[path = "common/stages.rs"]
mod stages;

fn seed() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/ke-hoach-05-nq-du.yaml"
    ))
}

fn seed_stages(c: &mut Criterion) {
    let templates = match Templates::builtin() {
        Ok(t) => t,
        Err(d) => panic!("built-in templates: {d:?}"),
    };
    let options = PdfOptions::default();
    let mut g = c.benchmark_group("seed");
    g.bench_function("templates", |b| {
        b.iter(|| black_box(Templates::builtin().is_ok()))
    });
    stages::stages(&mut g, seed(), &templates, &options);
    g.finish();
}

criterion_group!(benches, seed_stages);
criterion_main!(benches);
