//! A plan as committed at a git revision, for `phuluc diff --git REV FILE`: `git show
//! REV:path`, the path taken relative to the repository's top folder, wherever phuluc is
//! run from.
//!
//! Contract: runs git (never a shell); a revision that git would read as an option is
//! refused before git runs. Every refusal is a [`GitError`], said as a diagnostic.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diag::{Diagnostic, ToDiagnostic};
use crate::text;

/// Why the committed version could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitError {
    /// The revision is empty or starts with "-".
    Revision {
        /// The revision as given.
        rev: String,
    },
    /// The file (the new version) cannot be opened on disk.
    Open {
        /// The file.
        file: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// git could not be started.
    NotRun {
        /// The file compared.
        file: PathBuf,
        /// What the system said.
        reason: String,
    },
    /// The file is not inside a git repository.
    NoRepository {
        /// The file.
        file: PathBuf,
    },
    /// The file's real path is outside its folder's repository.
    Outside {
        /// The file.
        file: PathBuf,
    },
    /// git show refused (unknown revision, file not committed at it).
    Show {
        /// The file.
        file: PathBuf,
        /// `REV:path`.
        spec: String,
        /// git's first error line.
        message: String,
    },
}

impl ToDiagnostic for GitError {
    fn to_diagnostic(&self) -> Diagnostic {
        match self {
            GitError::Revision { rev } => Diagnostic::error(text!(
                format!("phiên bản git không hợp lệ “{rev}”"),
                format!("invalid git revision “{rev}”")
            ))
            .hint(text!(
                "Ghi tên phiên bản như HEAD, HEAD~1, main hoặc mã commit.",
                "Give a revision such as HEAD, HEAD~1, main or a commit id."
            )),
            GitError::Open { file, reason } => Diagnostic::error(text!(
                format!("không mở được tệp: {reason}"),
                format!("cannot open the file: {reason}")
            ))
            .in_file(file)
            .hint(text!(
                "Kiểm tra đường dẫn tệp (bản mới phải có trên đĩa).",
                "Check the file's path (the new version must exist on disk)."
            )),
            GitError::NotRun { file, reason } => Diagnostic::error(text!(
                format!("không chạy được git: {reason}"),
                format!("cannot run git: {reason}")
            ))
            .in_file(file)
            .hint(text!(
                "Cài git, hoặc so sánh hai tệp: phuluc diff CŨ.yaml MỚI.yaml.",
                "Install git, or compare two files: phuluc diff OLD.yaml NEW.yaml."
            )),
            GitError::NoRepository { file } => Diagnostic::error(text!(
                "tệp không nằm trong một kho git",
                "the file is not inside a git repository"
            ))
            .in_file(file)
            .hint(text!(
                "Dùng --git trong thư mục của kho git, hoặc so sánh hai tệp: phuluc diff CŨ.yaml MỚI.yaml.",
                "Use --git inside a git repository, or compare two files: phuluc diff OLD.yaml NEW.yaml."
            )),
            GitError::Outside { file } => Diagnostic::error(text!(
                "tệp không nằm trong kho git của thư mục chứa nó",
                "the file is not inside its folder's git repository"
            ))
            .in_file(file),
            GitError::Show {
                file,
                spec,
                message,
            } => Diagnostic::error(text!(
                format!("không lấy được “{spec}” từ git: {message}"),
                format!("cannot get “{spec}” from git: {message}")
            ))
            .in_file(file)
            .hint(text!(
                "Kiểm tra tên phiên bản (HEAD, HEAD~1, main, mã commit) và rằng tệp đã được commit ở phiên bản đó.",
                "Check the revision (HEAD, HEAD~1, main, a commit id) and that the file was committed at it."
            )),
        }
    }
}

/// The Vietnamese message (the diagnostic's).
impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_diagnostic().message.vi)
    }
}

impl std::error::Error for GitError {}

/// How running git went wrong.
enum Run {
    /// git could not be started; what the system said.
    NotRun(String),
    /// git ran and refused; its first error line.
    Failed(String),
}

/// Runs git in `dir`; its stdout.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Run> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Run::NotRun(e.to_string()))?;
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
        Err(Run::Failed(first))
    }
}

/// The bytes of `file` as committed at `rev`, and the name messages give it
/// ("HEAD:data/ke-hoach.yaml").
pub fn show(rev: &str, file: &Path) -> Result<(Vec<u8>, PathBuf), GitError> {
    // A revision starting with "-" would be read by git as an option.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(GitError::Revision {
            rev: rev.to_owned(),
        });
    }
    let not_run = |reason: String| GitError::NotRun {
        file: file.to_path_buf(),
        reason,
    };
    // The file exists on disk (it is the new version); its real path, and that of the
    // repository's top folder, give the path git knows it by, wherever we are run from.
    let abs = std::fs::canonicalize(file).map_err(|e| GitError::Open {
        file: file.to_path_buf(),
        reason: e.to_string(),
    })?;
    let dir = abs.parent().unwrap_or(Path::new("/"));
    let top = match git(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(out) => PathBuf::from(String::from_utf8_lossy(&out).trim()),
        Err(Run::NotRun(e)) => return Err(not_run(e)),
        Err(Run::Failed(_)) => {
            return Err(GitError::NoRepository {
                file: file.to_path_buf(),
            });
        }
    };
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let rel = abs.strip_prefix(&top).map_err(|_| GitError::Outside {
        file: file.to_path_buf(),
    })?;
    // Git names paths with "/" on every system.
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let spec = format!("{rev}:{}", rel.join("/"));
    match git(&top, &["show", &spec]) {
        Ok(bytes) => Ok((bytes, PathBuf::from(spec))),
        Err(Run::NotRun(e)) => Err(not_run(e)),
        Err(Run::Failed(message)) => Err(GitError::Show {
            file: file.to_path_buf(),
            spec,
            message,
        }),
    }
}
