//! Diagnostics: a problem found in a plan or template file, as a value.
//!
//! Contract: library code never prints. Loading, validating and composing collect
//! [`Diagnostic`]s in a `Vec` and return them; only the CLI renders them, as
//! `FILE:LINE:COL: lỗi: message` followed by `  gợi ý: …` lines. Every message exists in
//! Vietnamese (the default) and English, chosen by [`Lang`] at render time, so the
//! library can build messages without knowing who reads them.

use std::fmt;
use std::path::Path;

/// The language messages are rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Vietnamese, the default: clerks read it.
    #[default]
    Vi,
    /// English, for `--lang en` or an English `LANG`.
    En,
}

/// A text in both languages; picked at render time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Vietnamese wording.
    pub vi: Box<str>,
    /// English wording.
    pub en: Box<str>,
}

impl Text {
    /// A text with its two wordings.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            vi: vi.into().into_boxed_str(),
            en: en.into().into_boxed_str(),
        }
    }

    /// The wording for `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something to look at; the document can still be produced.
    Warning,
    /// The document cannot be produced until this is fixed.
    Error,
}

/// A 1-based line and column in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1, counted in characters.
    pub column: u32,
}

/// Where a value is in its source file: the position it starts at and the byte range of
/// its text (for a scalar, as written, quotes included; for an absent value, its key).
/// A plain value with no link to the model, so any stage can carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Line and column of the first character.
    pub pos: Pos,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// The library's result: a value, or every problem that stopped it (typst's
/// `SourceResult`). Warnings travel beside the value where an operation has any.
pub type SourceResult<T> = Result<T, Vec<Diagnostic>>;

/// A library error that says itself as a [`Diagnostic`]: its message written once, in
/// Vietnamese and English, in the module that defines it.
pub trait ToDiagnostic {
    /// The diagnostic for this error (severity, message, hints; a span where known).
    fn to_diagnostic(&self) -> Diagnostic;
}

/// One problem: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in, when known.
    pub file: Option<Box<Path>>,
    /// Where in the file, when known.
    pub pos: Option<Pos>,
    /// What is wrong.
    pub message: Text,
    /// What to do about it, written as instructions.
    pub hints: Vec<Text>,
}

impl Diagnostic {
    /// An error with a message and no position yet.
    pub fn error(message: Text) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            pos: None,
            message,
            hints: Vec::new(),
        }
    }

    /// A warning with a message and no position yet.
    pub fn warning(message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Sets the file.
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the position (ignored when `pos` is `None`).
    pub fn at(mut self, pos: Option<Pos>) -> Self {
        if pos.is_some() {
            self.pos = pos;
        }
        self
    }

    /// Sets the position from a span (ignored when `span` is `None`).
    pub fn at_span(self, span: Option<Span>) -> Self {
        self.at(span.map(|s| s.pos))
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: Text) -> Self {
        self.hints.push(hint);
        self
    }

    /// Whether this stops the document from being produced.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders as `FILE:LINE:COL: lỗi: message` plus indented hint lines.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        if let Some(file) = &self.file {
            out.push_str(&file.display().to_string());
            if let Some(pos) = self.pos {
                out.push_str(&format!(":{}:{}", pos.line, pos.column));
            }
            out.push_str(": ");
        }
        let label = match (self.severity, lang) {
            (Severity::Error, Lang::Vi) => "lỗi",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Vi) => "cảnh báo",
            (Severity::Warning, Lang::En) => "warning",
        };
        out.push_str(label);
        out.push_str(": ");
        out.push_str(self.message.get(lang));
        for hint in &self.hints {
            out.push_str(match lang {
                Lang::Vi => "\n  gợi ý: ",
                Lang::En => "\n  hint: ",
            });
            out.push_str(hint.get(lang));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::Vi))
    }
}

/// Whether any diagnostic in `diags` is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Builds a [`Text`] from a Vietnamese and an English `format!`.
#[macro_export]
macro_rules! text {
    ($vi:expr, $en:expr $(,)?) => {
        $crate::diag::Text::new($vi, $en)
    };
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo
/// (at most a third of the word's length, and at least 1 edit allowed).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance over characters where swapping two neighbours counts as one edit
/// (optimal string alignment): "titel" is one typo away from "title".
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j - 1] + cost)
                .min(d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        let fields = ["heading", "items", "groups", "number", "id"];
        assert_eq!(closest("itmes", fields), Some("items"));
        assert_eq!(closest("heding", fields), Some("heading"));
        assert_eq!(closest("titel", ["title", "template"]), Some("title"));
        assert_eq!(closest("xyz", fields), None);
    }

    #[test]
    fn render_has_position_and_hint() {
        let d = Diagnostic::error(Text::new("sai", "wrong"))
            .in_file(Path::new("a.yaml"))
            .at(Some(Pos { line: 3, column: 5 }))
            .hint(Text::new("sửa đi", "fix it"));
        assert_eq!(d.render(Lang::Vi), "a.yaml:3:5: lỗi: sai\n  gợi ý: sửa đi");
        assert_eq!(
            d.render(Lang::En),
            "a.yaml:3:5: error: wrong\n  hint: fix it"
        );
    }
}
