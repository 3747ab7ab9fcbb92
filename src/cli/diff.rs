//! `phuluc diff`: what changed in meaning between two versions of a plan.
//!
//! Contract ([`phuluc::diff`], its files through [`phuluc::diff::files`]):
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
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang};
use phuluc::diff::files::{self, Versions};
use phuluc::diff::{self, render};
use phuluc::text;

use super::shared::{Outcome, report};

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
        return match files::textconv_file(&args.files[0], &templates) {
            Ok((shown, diags)) => {
                report(&diags, lang);
                emit(&shown);
                Outcome::Clean
            }
            Err(d) => {
                report(&[d], lang);
                Outcome::Failed
            }
        };
    }
    let versions = match &args.git {
        Some(rev) => Versions::Git {
            rev,
            file: &args.files[0],
        },
        None => Versions::Files(&args.files[0], &args.files[1]),
    };
    let (old, new) = match files::versions(versions, &templates) {
        Ok(p) => p,
        Err(diags) => {
            report(&diags, lang);
            return Outcome::Failed;
        }
    };
    let changes = diff::diff(&old, &new, &templates);
    if let Some(out) = &args.redline {
        let written = files::redline_file(out, &old, &new, &changes, &templates)
            .and_then(|bytes| phuluc::write::write_file(out, &bytes).map_err(|d| vec![d]));
        if let Err(d) = written {
            report(&d, lang);
            return Outcome::Failed;
        }
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
