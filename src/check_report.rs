//! What `phuluc check` reports over several plan files: every problem of each (see
//! [`crate::check`]), counted, as lines for people or as one JSON document.
//!
//! Contract: [`check_files`] reads nothing twice and prints nothing; template problems
//! are problems of the check, listed like the others, after which no plan is judged.
//! The text is `FILE:LINE:COL: lỗi|cảnh báo: message` and hint lines per problem, then a
//! summary line; the JSON is `{"version": 1, "errors", "warnings", "diagnostics": [{"file",
//! "line", "column", "severity", "message", "message_vi", "message_en", "hints"}]}`.

use std::path::{Path, PathBuf};

use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, Lang, Severity};
use crate::fonts::FontSet;

/// The problems of a set of files.
#[derive(Debug)]
pub struct CheckReport {
    /// Every diagnostic, file by file, each file's sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were asked for.
    pub files: usize,
    /// Whether some file could not be read at all (the tool's failure, not the plan's).
    pub unreadable: bool,
}

/// Checks `files` against the templates in `templates` (plus the built-in ones) and the
/// PDF fonts; with `strict`, warnings count as errors.
pub fn check_files(
    files: &[PathBuf],
    templates: Option<&Path>,
    fonts: &FontSet,
    strict: bool,
) -> CheckReport {
    let mut report = CheckReport {
        diagnostics: Vec::new(),
        files: files.len(),
        unreadable: false,
    };
    let templates = match Templates::load(templates) {
        Ok(t) => t,
        Err(diags) => {
            report.diagnostics = diags;
            return report;
        }
    };
    for file in files {
        let mut diags = crate::check(file, &templates, fonts);
        report.unreadable |= unreadable(file, &diags);
        if strict {
            for d in &mut diags {
                d.severity = Severity::Error;
            }
        }
        report.diagnostics.append(&mut diags);
    }
    report
}

/// Whether a diagnostic says the file itself could not be read.
fn unreadable(file: &Path, diags: &[Diagnostic]) -> bool {
    !file.is_file() || (diags.len() == 1 && diags[0].pos.is_none() && std::fs::read(file).is_err())
}

impl CheckReport {
    /// How many errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Each problem, then the summary line.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.render(lang));
            out.push('\n');
        }
        let (files, errors, warnings) = (self.files, self.errors(), self.warnings());
        out.push_str(&match lang {
            Lang::Vi => format!("{files} tệp: {errors} lỗi, {warnings} cảnh báo\n"),
            Lang::En => format!("{files} file(s): {errors} error(s), {warnings} warning(s)\n"),
        });
        out
    }

    /// The problems as a stable JSON document (pretty-printed, with a final line break).
    pub fn json(&self, lang: Lang) -> String {
        let items: Vec<serde_json::Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                serde_json::json!({
                    "file": d.file.as_ref().map(|f| f.display().to_string()),
                    "line": d.pos.map(|p| p.line),
                    "column": d.pos.map(|p| p.column),
                    "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                    "message": d.message.get(lang),
                    "message_vi": &*d.message.vi,
                    "message_en": &*d.message.en,
                    "hints": d.hints.iter().map(|h| h.get(lang)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let doc = serde_json::json!({
            "version": 1,
            "errors": self.errors(),
            "warnings": self.warnings(),
            "diagnostics": items,
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned());
        s.push('\n');
        s
    }
}
