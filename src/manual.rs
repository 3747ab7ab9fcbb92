//! The manual page (`phuluc.1`, roff) and the shell completion scripts, both made from
//! the clap definitions `--help` is made from, handed in as a [`clap::Command`].
//!
//! Contract: pure functions of the command, nothing printed or written. The page is one
//! page, as `man phuluc` shows it: clap_mangen's page of the whole command (name,
//! synopsis, description, options, the list of subcommands, version), then one section
//! per visible subcommand with its own synopsis, arguments and options. It has no date,
//! so the same definitions give the same bytes (the committed `docs/phuluc.1` is tested
//! against it).

use clap::Command;
use clap_complete::Shell;

use crate::diag::{Diagnostic, ToDiagnostic};
use crate::text;

/// The page could not be laid out (clap_mangen's writer failed).
#[derive(Debug)]
pub struct ManualError(pub std::io::Error);

impl ToDiagnostic for ManualError {
    fn to_diagnostic(&self) -> Diagnostic {
        let e = &self.0;
        Diagnostic::error(text!(
            format!("không tạo được trang man: {e}"),
            format!("cannot make the manual page: {e}")
        ))
    }
}

/// The completion script for `shell`, completing `bin` (the program's name).
pub fn completions(mut command: Command, shell: Shell, bin: &str) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, bin, &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// `phuluc.1` for `command` at `version`.
pub fn page(command: Command, version: &'static str) -> Result<String, ManualError> {
    page_bytes(command.version(version)).map_err(ManualError)
}

fn page_bytes(command: Command) -> std::io::Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone())
        .date("")
        .render(&mut out)?;
    // The list of subcommands points at pages of their own (`phuluc-render(1)`); here
    // they are sections of this page.
    let bin = command.get_name().to_owned();
    let mut out = String::from_utf8_lossy(&out).into_owned();
    for sub in command.get_subcommands() {
        let escaped = sub.get_name().replace('-', "\\-");
        out = out.replace(
            &format!("{bin}\\-{escaped}(1)"),
            &format!("\\fB{bin} {escaped}\\fR"),
        );
    }
    let mut out = out.into_bytes();
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{bin} {}", sub.get_name());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_text_escapes_a_leading_request_and_backslashes() {
        assert_eq!(roff_text(".hidden"), "\\&.hidden");
        assert_eq!(roff_text("'quote"), "\\&'quote");
        assert_eq!(roff_text("a\\b"), "a\\eb");
        assert_eq!(roff_text("plain"), "plain");
    }

    #[test]
    fn each_subcommand_is_a_section_of_the_one_page() {
        let command = Command::new("tool")
            .about("a tool")
            .subcommand(Command::new("go-on").about("goes on"))
            .subcommand(Command::new("secret").hide(true));
        let page = page(command, "1.2.3").expect("page");
        assert!(page.contains(".SH \"TOOL GO-ON\"\ngoes on\n"), "{page}");
        assert!(!page.contains("tool\\-go\\-on(1)"), "{page}");
        assert!(!page.contains("TOOL SECRET"), "{page}");
        assert!(page.contains("1.2.3"), "{page}");
    }
}
