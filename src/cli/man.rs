//! `phuluc man`: the manual page `phuluc.1` (roff), made by `clap_mangen` from the very
//! definitions `--help` is made from: the command, then each subcommand with its
//! arguments and options. The release archive ships it; a test keeps the committed
//! `docs/phuluc.1` equal to what this prints.
//!
//! Contract: the page goes to stdout (`phuluc man > phuluc.1`); exit 0, or 2 when it
//! cannot be written.

use clap::{Args, CommandFactory};
use phuluc::diag::Lang;

use super::{Cli, Outcome, print_stdout};

#[derive(Debug, Args)]
pub struct ManArgs {}

pub fn run(_args: &ManArgs, lang: Lang) -> Outcome {
    match page() {
        Ok(page) => print_stdout(&page, lang),
        Err(e) => {
            super::report(
                &[phuluc::diag::Diagnostic::error(phuluc::diag::Text::new(
                    format!("không tạo được trang man: {e}"),
                    format!("cannot make the manual page: {e}"),
                ))],
                lang,
            );
            Outcome::Failed
        }
    }
}

/// `phuluc.1`: clap_mangen's page of the whole command (name, synopsis, description,
/// options, the list of subcommands, version), then one section per subcommand with its
/// own synopsis, arguments and options — one page, as `man phuluc` shows it.
pub fn page() -> std::io::Result<String> {
    let command = Cli::command().version(env!("CARGO_PKG_VERSION"));
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone())
        .date("")
        .render(&mut out)?;
    // The list of subcommands points at pages of their own (`phuluc-render(1)`); here
    // they are sections of this page.
    let mut out = String::from_utf8_lossy(&out).into_owned();
    for sub in command.get_subcommands() {
        let escaped = sub.get_name().replace('-', "\\-");
        out = out.replace(
            &format!("phuluc\\-{escaped}(1)"),
            &format!("\\fBphuluc {escaped}\\fR"),
        );
    }
    let mut out = out.into_bytes();
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("phuluc {}", sub.get_name());
        let sub = sub.clone().bin_name(name.clone());
        let man = clap_mangen::Man::new(sub.clone());
        let mut synopsis = Vec::new();
        man.render_synopsis_section(&mut synopsis)?;
        let mut options = Vec::new();
        man.render_options_section(&mut options)?;
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        out.extend_from_slice(
            format!(".SH \"{}\"\n{}\n", name.to_uppercase(), roff_text(&about)).as_bytes(),
        );
        // The sub-page's own section headings become sub-headings of this section.
        // The apostrophe string `Aq` is defined once, at the top of the page.
        for part in [synopsis, options] {
            let text: String = String::from_utf8_lossy(&part)
                .replacen(".SH ", ".SS ", 1)
                .lines()
                .filter(|l| !l.starts_with(".ie \\n(.g .ds Aq") && !l.starts_with(".el .ds Aq"))
                .map(|l| format!("{l}\n"))
                .collect();
            out.extend_from_slice(text.as_bytes());
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Plain text safe on a roff line: a leading `.` or `'` would be read as a request, and
/// a backslash as an escape.
fn roff_text(s: &str) -> String {
    let s = s.replace('\\', "\\e");
    if s.starts_with(['.', '\'']) {
        format!("\\&{s}")
    } else {
        s
    }
}
