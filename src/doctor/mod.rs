//! `phuluc doctor`: what each feature needs on this machine, and whether it is there.
//!
//! Contract: each check is a small function returning a [`Check`] value — what was
//! looked for, what was found (a file, a version), and when missing the exact command
//! that installs it on this system — and never prints, never fails: a check that cannot
//! tell reports "not found". What the checks read (the `PATH`, the working folder, the
//! templates and font folders) comes in through [`Machine`], so tests can set it. The
//! core commands (`render`, `check`, `new`, `export`) need only what phuluc carries
//! (fonts, templates) plus a writable `output/`; LibreOffice (`import` of .doc/.odt/.rtf),
//! a browser (`preview`) and Times New Roman on the system (opening the .docx with the
//! same fonts) are optional: [`core_ready`] says whether the core is.
//!
//! The checks live by what they look at: [`fonts`] (the PDF's fonts, the system's Times
//! New Roman), [`folders`] (`output/`, the templates), [`programs`] (LibreOffice, a
//! browser); [`check`] is the value they all return.

pub mod check;
pub mod folders;
pub mod fonts;
pub mod programs;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub use check::{Check, Need};

use crate::diag::Lang;

/// What the checks look at: the machine as phuluc sees it.
#[derive(Debug, Clone, Default)]
pub struct Machine {
    /// The command search path (`PATH`).
    pub path: Option<OsString>,
    /// `BROWSER`, which some systems set to the preferred browser.
    pub browser: Option<OsString>,
    /// The folder phuluc runs in (`output/` is looked for there).
    pub cwd: PathBuf,
    /// `--templates DIR`, or else `data/templates` when it exists (where `import` puts
    /// the kinds it makes).
    pub templates: Option<PathBuf>,
    /// `--font-dir DIR`: the office's Times New Roman, when given.
    pub font_dir: Option<PathBuf>,
}

impl Machine {
    /// This process's machine: its `PATH`, `BROWSER` and working folder.
    pub fn current(templates: Option<PathBuf>, font_dir: Option<PathBuf>) -> Machine {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let templates = templates.or_else(|| {
            let d = Path::new("data").join("templates");
            cwd.join(&d).is_dir().then_some(d)
        });
        Machine {
            path: std::env::var_os("PATH"),
            browser: std::env::var_os("BROWSER"),
            cwd,
            templates,
            font_dir,
        }
    }
}

/// Every check, in the order the report shows them.
pub fn run(machine: &Machine) -> Vec<Check> {
    vec![
        fonts::pdf_fonts(machine.font_dir.as_deref()),
        folders::output_folder(&machine.cwd.join("output")),
        folders::templates(machine.templates.as_deref(), &machine.cwd),
        programs::libreoffice(machine.path.as_deref()),
        programs::browser(machine.path.as_deref(), machine.browser.as_deref()),
        fonts::system_times(),
    ]
}

/// Whether everything the core commands need is there (`doctor` exits 0).
pub fn core_ready(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.ok || c.need == Need::Optional)
}

/// The report: a heading naming phuluc's `version`, one line per check (✓ or ✗, what,
/// what was found), its notes and fix indented under it, and a closing line.
pub fn report(checks: &[Check], version: &str, lang: Lang) -> String {
    let mut out = match lang {
        Lang::Vi => format!("phuluc {version} — kiểm tra máy này\n"),
        Lang::En => format!("phuluc {version} — checking this machine\n"),
    };
    for c in checks {
        let mark = if c.ok { "✓" } else { "✗" };
        out.push_str(&format!(
            "{mark} {}: {}\n",
            c.title.get(lang),
            c.detail.get(lang)
        ));
        for note in &c.notes {
            for line in note.get(lang).lines() {
                out.push_str(&format!("    {line}\n"));
            }
        }
        if !c.ok
            && let Some(fix) = &c.fix
        {
            out.push_str(&format!("    → {}\n", fix.get(lang)));
        }
    }
    let missing = checks.iter().filter(|c| !c.ok).count();
    let summary = match (core_ready(checks), missing, lang) {
        (true, 0, Lang::Vi) => "Máy này có đủ mọi thứ phuluc cần.".to_owned(),
        (true, 0, Lang::En) => "This machine has everything phuluc needs.".to_owned(),
        (true, n, Lang::Vi) => format!(
            "Đủ cho các lệnh chính (render, check, new, export); còn thiếu {n} mục cho các chức năng ghi ở trên."
        ),
        (true, n, Lang::En) => format!(
            "Ready for the core commands (render, check, new, export); {n} thing(s) missing for the features named above."
        ),
        (false, _, Lang::Vi) => {
            "Chưa đủ cho các lệnh chính: sửa các dòng ✗ ở trên rồi chạy lại phuluc doctor."
                .to_owned()
        }
        (false, _, Lang::En) => {
            "Not ready for the core commands: fix the ✗ lines above, then run phuluc doctor again."
                .to_owned()
        }
    };
    out.push_str(&summary);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_is_ready_without_the_optional_tools() {
        let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let machine = Machine {
            path: Some(OsString::from(empty.path())),
            browser: None,
            cwd: empty.path().to_path_buf(),
            templates: None,
            font_dir: None,
        };
        let checks = run(&machine);
        assert!(core_ready(&checks), "{checks:#?}");
        let text = report(&checks, "9.9.9 (abc1234)", Lang::Vi);
        assert!(
            text.starts_with("phuluc 9.9.9 (abc1234) — kiểm tra máy này\n"),
            "{text}"
        );
        assert!(text.contains("✗ LibreOffice"), "{text}");
        assert!(text.contains("Đủ cho các lệnh chính"), "{text}");
    }
}
