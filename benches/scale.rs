//! The pipeline's stages (see `common/stages.rs`) on generated plans of 1 000 and 10 000
//! body rows, the same plans `cargo run --release --example make-plan -- --rows N` prints
//! (seed 7). Each plan is written once to a temporary file when its group starts; figures
//! are per plan and, through `Throughput::Elements`, in rows per second.
//!
//! `cargo bench --bench scale` runs both (several minutes); `-- rows-1k/` or `-- rows-10k/`
//! picks one, `-- 'rows-1k/(load|compose)$'` a few stages. The groups set their own sample
//! size and measurement time, which `--sample-size` and `--measurement-time` on the command
//! line replace. Under `cargo test --benches` (one unoptimised run of each) only the
//! 1 000-row plan is used.

use std::io::Write as _;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use phuluc::compose::templates::Templates;
use phuluc::pdf::PdfOptions;

#[path = "common/plan_gen.rs"]
mod plan_gen;
#[path = "common/stages.rs"]
mod stages;

/// The generator's seed, make-plan's default.
const SEED: u64 = 7;

/// A generated plan's group: its name, rows, and sampling when the command line says none.
struct Scale {
    name: &'static str,
    rows: usize,
    sample_size: usize,
    measurement_time: Duration,
}

const SCALES: &[Scale] = &[
    Scale {
        name: "rows-1k",
        rows: 1_000,
        sample_size: 20,
        measurement_time: Duration::from_secs(10),
    },
    Scale {
        name: "rows-10k",
        rows: 10_000,
        sample_size: 10,
        measurement_time: Duration::from_secs(30),
    },
];

/// Whether the command line gives criterion's option `flag` (`--flag v` or `--flag=v`).
fn cli_sets(flag: &str) -> bool {
    std::env::args().any(|a| a == flag || a.strip_prefix(flag).is_some_and(|r| r.starts_with('=')))
}

/// Measuring (`cargo bench`), not one smoke run per bench (`cargo test --benches`,
/// `cargo bench -- --test`).
fn measuring() -> bool {
    cli_sets("--bench") && !cli_sets("--test")
}

fn scale(c: &mut Criterion) {
    let templates = match Templates::builtin() {
        Ok(t) => t,
        Err(d) => panic!("built-in templates: {d:?}"),
    };
    let options = PdfOptions::default();
    for s in SCALES {
        if s.rows > 1_000 && !measuring() {
            eprintln!("{}: skipped when not measuring", s.name);
            continue;
        }
        let mut file = match tempfile::Builder::new()
            .prefix(&format!("phuluc-{}-", s.name))
            .suffix(".yaml")
            .tempfile()
        {
            Ok(f) => f,
            Err(e) => panic!("temporary plan file: {e}"),
        };
        if let Err(e) = file
            .write_all(plan_gen::plan_yaml(s.rows, SEED).as_bytes())
            .and_then(|()| file.flush())
        {
            panic!("writing {}: {e}", file.path().display());
        }

        let mut g = c.benchmark_group(s.name);
        g.throughput(Throughput::Elements(s.rows as u64));
        // A run takes from a few milliseconds (compose) to seconds (the PDF of 10 000
        // rows): the same iterations in every sample, not criterion's growing ones.
        g.sampling_mode(SamplingMode::Flat);
        if !cli_sets("--sample-size") {
            g.sample_size(s.sample_size);
        }
        if !cli_sets("--measurement-time") {
            g.measurement_time(s.measurement_time);
        }
        stages::stages(&mut g, file.path(), &templates, &options);
        g.finish();
    }
}

criterion_group!(benches, scale);
criterion_main!(benches);
