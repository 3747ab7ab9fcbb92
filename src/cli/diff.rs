//! `phuluc diff`: what changed in meaning between two versions of a plan.
//!
//! Contract:
//! - `phuluc diff OLD.yaml NEW.yaml [--format text|markdown|json] [--templates DIR]`
//! - `phuluc diff --git REV FILE.yaml`: OLD is FILE as committed at REV (`git show
//!   REV:path`, the path taken relative to the repository's top folder), NEW is FILE on
//!   disk.
//! - `phuluc diff --textconv FILE.yaml`: prints the plan as stable lines for git's
//!   `diff.<driver>.textconv` (see [`phuluc::diff::textconv`]). A file that is not a
//!   valid plan (mid-edit) is printed as it is, with its errors on stderr, so `git diff`
//!   still works.
//!
//! Exit codes as diff(1): 0 the two mean the same (text and Markdown print nothing; JSON
//! prints its document with `"equal": true`), 1 they differ, 2 trouble (a file unreadable
//! or not a valid plan, a git problem, bad arguments), with the diagnostics on stderr.
//! Colour only when stdout is a terminal and `NO_COLOR` is not set.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use clap::{Args, ValueEnum};
use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang, ToDiagnostic};
use phuluc::diff::{self, render};
use phuluc::model::Plan;
use phuluc::text;

use super::{Outcome, report};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Dòng chữ cho người đọc / lines for people
    Text,
    /// Markdown cho nhận xét, biên bản / Markdown for reviews and minutes
    Markdown,
    /// JSON cho chương trình / JSON for programs
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Bản cũ và bản mới; với --git hoặc --textconv: một tệp / old and new version; with --git or --textconv: one file
    #[arg(value_name = "FILE.yaml", num_args = 1..=2, required = true)]
    files: Vec<PathBuf>,
    /// So với bản đã commit ở phiên bản REV của git (ví dụ HEAD) / compare with the file as committed at git revision REV (e.g. HEAD)
    #[arg(long, value_name = "REV", conflicts_with = "textconv")]
    git: Option<String>,
    /// In kế hoạch thành các dòng ổn định cho git diff / print the plan as stable lines for git diff
    #[arg(long)]
    textconv: bool,
    /// Định dạng kết quả / output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Thư mục mẫu bổ sung / extra templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Ghi bản mới có đánh dấu thay đổi: OUT.docx (theo dõi thay đổi của Word) hoặc OUT.pdf
    /// / write the new version with changes marked: OUT.docx (Word tracked changes) or OUT.pdf
    #[arg(long, value_name = "OUT.docx|OUT.pdf", conflicts_with = "textconv")]
    redline: Option<PathBuf>,
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn emit(bytes: &[u8]) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

/// A usage problem: printed, exit 2.
fn usage(message: phuluc::diag::Text, lang: Lang) -> Outcome {
    report(
        &[Diagnostic::error(message).hint(text!(
            "Cách dùng: phuluc diff CŨ.yaml MỚI.yaml | phuluc diff --git REV TỆP.yaml | phuluc diff --textconv TỆP.yaml",
            "Usage: phuluc diff OLD.yaml NEW.yaml | phuluc diff --git REV FILE.yaml | phuluc diff --textconv FILE.yaml"
        ))],
        lang,
    );
    Outcome::Failed
}

pub fn run(args: &DiffArgs, lang: Lang) -> Outcome {
    let wanted = if args.git.is_some() || args.textconv {
        1
    } else {
        2
    };
    if args.files.len() != wanted {
        return usage(
            if wanted == 1 {
                text!(
                    "với --git hoặc --textconv, chỉ ghi một tệp",
                    "with --git or --textconv, give one file"
                )
            } else {
                text!(
                    "cần hai tệp: bản cũ và bản mới",
                    "two files are needed: the old and the new version"
                )
            },
            lang,
        );
    }
    // Template problems are trouble for a diff (exit 2), as diff(1) treats any trouble.
    let templates = match Templates::load(args.templates.as_deref()) {
        Ok(t) => t,
        Err(diags) => {
            report(&diags, lang);
            return Outcome::Failed;
        }
    };
    if args.textconv {
        return textconv(&args.files[0], &templates, lang);
    }
    let plans = match &args.git {
        Some(rev) => from_git(rev, &args.files[0], &templates),
        None => diff::pair(
            diff::load(&args.files[0], &templates),
            diff::load(&args.files[1], &templates),
        ),
    };
    let (old, new) = match plans {
        Ok(p) => p,
        Err(diags) => {
            report(&diags, lang);
            return Outcome::Failed;
        }
    };
    let changes = diff::diff(&old, &new, &templates);
    if let Some(out) = &args.redline
        && let Err(d) = write_redline(out, &old, &new, &changes, &templates)
    {
        report(&d, lang);
        return Outcome::Failed;
    }
    let shown = match args.format {
        Format::Json => format!("{}\n", render::json(&changes)),
        Format::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render::text(&changes, lang, color)
        }
        Format::Markdown => render::markdown(&changes, lang),
    };
    emit(shown.as_bytes());
    if changes.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Problems
    }
}

/// Writes the new version with `changes` marked, as .docx or PDF by `out`'s extension.
fn write_redline(
    out: &Path,
    old: &Plan,
    new: &Plan,
    changes: &[diff::Change],
    templates: &Templates,
) -> Result<(), Vec<Diagnostic>> {
    let doc = diff::redline::redline(old, new, changes, templates)?;
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("docx") => {
            phuluc::docx::docx(&doc).map_err(|e| vec![e.to_diagnostic().in_file(out)])?
        }
        Some("pdf") => phuluc::pdf::pdf(&doc, &phuluc::pdf::PdfOptions::default())
            .map_err(|e| vec![e.to_diagnostic().in_file(out)])?,
        _ => {
            return Err(vec![
                Diagnostic::error(text!(
                    "tệp đánh dấu thay đổi phải có đuôi .docx hoặc .pdf",
                    "the redline file must end in .docx or .pdf"
                ))
                .in_file(out)
                .hint(text!(
                    "Ví dụ: --redline output/so-sanh.docx",
                    "For example: --redline output/compare.docx"
                )),
            ]);
        }
    };
    super::write::write_file(out, &bytes).map_err(|d| vec![d])
}

/// `FILE` at git revision `rev` and `FILE` on disk.
fn from_git(
    rev: &str,
    file: &Path,
    templates: &Templates,
) -> Result<(Plan, Plan), Vec<Diagnostic>> {
    let (bytes, name) = git_show(rev, file).map_err(|d| vec![d])?;
    diff::pair(
        diff::load_bytes(&bytes, &name, templates),
        diff::load(file, templates),
    )
}

/// Runs git in `dir`; its stdout, or its first error line.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| GitError::NotRun(e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_owned();
        Err(GitError::Failed(first))
    }
}

enum GitError {
    /// git could not be started.
    NotRun(String),
    /// git ran and refused; its message.
    Failed(String),
}

fn not_run(e: &str, file: &Path) -> Diagnostic {
    Diagnostic::error(text!(
        format!("không chạy được git: {e}"),
        format!("cannot run git: {e}")
    ))
    .in_file(file)
    .hint(text!(
        "Cài git, hoặc so sánh hai tệp: phuluc diff CŨ.yaml MỚI.yaml.",
        "Install git, or compare two files: phuluc diff OLD.yaml NEW.yaml."
    ))
}

/// The bytes of `file` as committed at `rev`, and the name messages give it
/// ("HEAD:data/ke-hoach.yaml").
fn git_show(rev: &str, file: &Path) -> Result<(Vec<u8>, PathBuf), Diagnostic> {
    // A revision starting with "-" would be read by git as an option.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Diagnostic::error(text!(
            format!("phiên bản git không hợp lệ “{rev}”"),
            format!("invalid git revision “{rev}”")
        ))
        .hint(text!(
            "Ghi tên phiên bản như HEAD, HEAD~1, main hoặc mã commit.",
            "Give a revision such as HEAD, HEAD~1, main or a commit id."
        )));
    }
    // The file exists on disk (it is the new version); its real path, and that of the
    // repository's top folder, give the path git knows it by, wherever we are run from.
    let abs = std::fs::canonicalize(file).map_err(|e| {
        Diagnostic::error(text!(
            format!("không mở được tệp: {e}"),
            format!("cannot open the file: {e}")
        ))
        .in_file(file)
        .hint(text!(
            "Kiểm tra đường dẫn tệp (bản mới phải có trên đĩa).",
            "Check the file's path (the new version must exist on disk)."
        ))
    })?;
    let dir = abs.parent().unwrap_or(Path::new("/"));
    let top = match git(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(out) => PathBuf::from(String::from_utf8_lossy(&out).trim()),
        Err(GitError::NotRun(e)) => return Err(not_run(&e, file)),
        Err(GitError::Failed(_)) => {
            return Err(Diagnostic::error(text!(
                "tệp không nằm trong một kho git",
                "the file is not inside a git repository"
            ))
            .in_file(file)
            .hint(text!(
                "Dùng --git trong thư mục của kho git, hoặc so sánh hai tệp: phuluc diff CŨ.yaml MỚI.yaml.",
                "Use --git inside a git repository, or compare two files: phuluc diff OLD.yaml NEW.yaml."
            )));
        }
    };
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let rel = abs.strip_prefix(&top).map_err(|_| {
        Diagnostic::error(text!(
            "tệp không nằm trong kho git của thư mục chứa nó",
            "the file is not inside its folder's git repository"
        ))
        .in_file(file)
    })?;
    // Git names paths with "/" on every system.
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let spec = format!("{rev}:{}", rel.join("/"));
    match git(&top, &["show", &spec]) {
        Ok(bytes) => Ok((bytes, PathBuf::from(spec))),
        Err(GitError::NotRun(e)) => Err(not_run(&e, file)),
        Err(GitError::Failed(message)) => Err(Diagnostic::error(text!(
            format!("không lấy được “{spec}” từ git: {message}"),
            format!("cannot get “{spec}” from git: {message}")
        ))
        .in_file(file)
        .hint(text!(
            "Kiểm tra tên phiên bản (HEAD, HEAD~1, main, mã commit) và rằng tệp đã được commit ở phiên bản đó.",
            "Check the revision (HEAD, HEAD~1, main, a commit id) and that the file was committed at it."
        ))),
    }
}

/// `--textconv FILE`: the plan as lines; the raw file when it is not a valid plan.
fn textconv(file: &Path, templates: &Templates, lang: Lang) -> Outcome {
    let bytes = match phuluc::model::load::read_bytes(file, phuluc::model::LoadOptions::default()) {
        Ok(b) => b,
        Err(d) => {
            report(&[d], lang);
            return Outcome::Failed;
        }
    };
    match diff::load_bytes(&bytes, file, templates) {
        Ok(plan) => emit(diff::textconv::textconv(&plan, templates).as_bytes()),
        Err(diags) => {
            // git diff must still show something: the YAML itself, as without textconv.
            report(&diags, lang);
            emit(&bytes);
        }
    }
    Outcome::Clean
}
