//! `phuluc man`: the manual page `phuluc.1` ([`phuluc::manual::page`]) from the very
//! definitions `--help` is made from. The release archive ships it; a test keeps the
//! committed `docs/phuluc.1` equal to what this prints.
//!
//! Contract: the page goes to stdout (`phuluc man > phuluc.1`); exit 0, or 2 when it
//! cannot be made or written.

use clap::Args;
use phuluc::diag::{Lang, ToDiagnostic};

use super::shared::{Outcome, print_stdout, report};

#[derive(Debug, Args)]
pub struct ManArgs {}

/// `command`: the clap definitions of the whole program, as `--help` shows them.
pub fn run(_args: &ManArgs, command: clap::Command, lang: Lang) -> Outcome {
    match phuluc::manual::page(command, env!("CARGO_PKG_VERSION")) {
        Ok(page) => print_stdout(&page, lang),
        Err(e) => {
            report(&[e.to_diagnostic()], lang);
            Outcome::Failed
        }
    }
}
