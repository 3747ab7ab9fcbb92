//! What every subcommand shares: how a command ends ([`Outcome`]), loading templates and
//! fonts with their problems printed, preparing one plan, printing to stdout and stderr.
//!
//! Contract: a leaf of `src/cli/` — the subcommands use it, it uses none of them, so
//! `cli/mod.rs` dispatches without a circle. Only this room and the subcommands print.

use std::path::Path;

use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang, ToDiagnostic};
use phuluc::fonts::FontSet;

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

/// The built-in fonts, or the office's Times New Roman from `dir`; a folder without
/// the four faces is printed as the tool's failure (exit 2).
pub fn load_fonts(dir: Option<&Path>, lang: Lang) -> Result<FontSet, Outcome> {
    let Some(dir) = dir else {
        return Ok(FontSet::builtin());
    };
    FontSet::from_dir(dir).map_err(|e| {
        report(&[e.to_diagnostic().in_file(dir)], lang);
        Outcome::Failed
    })
}

/// The templates and `file` read, validated and composed, its warnings printed — or,
/// with the problems printed, the outcome a command ends with. For the commands that
/// work on one composed plan (agencies, export).
pub fn prepare_reported(
    file: &Path,
    templates: Option<&Path>,
    lang: Lang,
) -> Result<(Templates, phuluc::Prepared), Outcome> {
    let templates = load_templates(templates, lang)?;
    match phuluc::prepare(file, &templates) {
        Ok(prepared) => {
            report(&prepared.warnings, lang);
            Ok((templates, prepared))
        }
        Err(diags) => {
            report(&diags, lang);
            Err(prepare_failed(file, &diags))
        }
    }
}

/// How a command ends when `file` could not be prepared: an unreadable file is the tool's
/// failure to read (exit 2), anything else a problem in the plan (exit 1).
pub fn prepare_failed(file: &Path, diags: &[Diagnostic]) -> Outcome {
    let unreadable =
        diags.iter().all(|d| d.pos.is_none()) && phuluc::diag::has_errors(diags) && !file.is_file();
    if unreadable {
        Outcome::Failed
    } else {
        Outcome::Problems
    }
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
