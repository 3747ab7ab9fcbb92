//! What every command file shares: how a command ended ([`Outcome`]), printing to stdout
//! and diagnostics to stderr, loading the templates, the version string.
//!
//! Contract: a leaf of the CLI — it imports no other CLI file, so a command file that
//! needs only this (new, doctor, man, completions) is no part of a circle with
//! `cli/mod.rs`, which dispatches to it. `cli/mod.rs` re-exports all of it for the older
//! command files.

use std::path::Path;

use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang};

/// `phuluc --version`: the version and the git revision built from (build.rs).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("PHULUC_GIT_REV"), ")");

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything done, nothing to report.
    Clean,
    /// Problems found in the input (exit 1).
    Problems,
    /// The tool could not do its job (exit 2).
    Failed,
}

/// The built-in templates plus those in `dir`; problems are printed (exit 1).
pub fn load_templates(dir: Option<&Path>, lang: Lang) -> Result<Templates, Outcome> {
    Templates::load(dir).map_err(|diags| {
        report(&diags, lang);
        Outcome::Problems
    })
}

/// Writes `text` to stdout; a closed pipe (`| head`) is the reader's choice, not a
/// failure; any other write error is the tool's (exit 2).
pub fn print_stdout(text: &str, lang: Lang) -> Outcome {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Outcome::Clean,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Clean,
        Err(e) => {
            report(
                &[Diagnostic::error(phuluc::diag::Text::new(
                    format!("không ghi được kết quả ra stdout: {e}"),
                    format!("could not write to stdout: {e}"),
                ))],
                lang,
            );
            Outcome::Failed
        }
    }
}

/// Prints diagnostics to stderr.
pub fn report(diags: &[Diagnostic], lang: Lang) {
    for d in diags {
        eprintln!("{}", d.render(lang));
    }
}
