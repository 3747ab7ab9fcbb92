//! `phuluc doctor [--templates DIR] [--font-dir DIR]`: what each feature needs on this
//! machine, one line each, ✓ or ✗ with the command that installs what is missing
//! ([`phuluc::doctor`]).
//!
//! Contract: prints the report on stdout, Vietnamese first (`--lang en` for English).
//! Exit 0 when everything the core commands need is there (optional tools may be
//! missing), 1 when something the core commands need is not.

use std::path::PathBuf;

use clap::Args;
use phuluc::diag::Lang;
use phuluc::doctor;

use super::shared::{Outcome, VERSION, print_stdout};

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Thư mục mẫu cần kiểm tra (mặc định data/templates nếu có) / the templates folder to check (default data/templates when it exists)
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Thư mục phông Times New Roman của cơ quan cần kiểm tra / the office's Times New Roman folder to check
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
}

pub fn run(args: &DoctorArgs, lang: Lang) -> Outcome {
    let machine = doctor::Machine::current(args.templates.clone(), args.font_dir.clone());
    let checks = doctor::run(&machine);
    let printed = print_stdout(&doctor::report(&checks, VERSION, lang), lang);
    match (printed, doctor::core_ready(&checks)) {
        (Outcome::Clean, true) => Outcome::Clean,
        (Outcome::Clean, false) => Outcome::Problems,
        (other, _) => other,
    }
}
