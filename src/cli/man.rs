//! `phuluc man`: the manual page `phuluc.1` ([`phuluc::manual::page`]) from the very
//! definitions `--help` is made from. The release archive ships it; a test keeps the
//! committed `docs/phuluc.1` equal to what this prints.
//!
//! Contract: the page goes to stdout (`phuluc man > phuluc.1`); exit 0, or 2 when it
//! cannot be made or written.

use clap::{Args, CommandFactory};
use phuluc::diag::{Lang, ToDiagnostic};

use super::{Cli, Outcome, print_stdout, report};

#[derive(Debug, Args)]
pub struct ManArgs {}

pub fn run(_args: &ManArgs, lang: Lang) -> Outcome {
    match phuluc::manual::page(Cli::command(), env!("CARGO_PKG_VERSION")) {
        Ok(page) => print_stdout(&page, lang),
        Err(e) => {
            report(&[e.to_diagnostic()], lang);
            Outcome::Failed
        }
    }
}
