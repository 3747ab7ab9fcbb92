//! Generates a realistic plan file with N body rows, for benchmarks and scale tests.
//!
//! `cargo run --release --example make-plan -- --rows 10000 [--seed 7] > plan.yaml`
//!
//! The generator itself is `benches/common/plan_gen.rs`, shared with the scale benches
//! (`cargo bench --bench scale`), which render the same plans.

#[path = "../benches/common/plan_gen.rs"]
mod plan_gen;

fn main() {
    let mut rows = 1000usize;
    let mut seed = 7u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rows" => rows = args.next().and_then(|v| v.parse().ok()).unwrap_or(rows),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            _ => {
                eprintln!("usage: make-plan --rows N [--seed S]");
                std::process::exit(2);
            }
        }
    }
    print!("{}", plan_gen::plan_yaml(rows, seed));
}
