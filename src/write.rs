//! Atomic file writes: the bytes go to a file no one can see yet, in the target's own
//! folder, which is then renamed over the target.
//!
//! Contract: a reader never sees a half-written file; on failure the previous file is
//! intact and no temp file is left behind. On Linux the bytes are first written to an
//! unnamed file (`O_TMPFILE`), which the kernel discards if the process is killed
//! mid-write; it gets a name (`.phuluc-*.tmp`) only once complete and synced, for the
//! instant before the rename. Elsewhere, or on a file system without `O_TMPFILE`, a named
//! temp file is used, deleted on any error. The folder is synced after the rename, so a
//! power cut leaves the old file or the new one. Two renders writing the same target at
//! once each rename a whole file: the last rename wins, and the file is always whole.
//!
//! [`Staging`] is the same promise for a set of files made one at a time (the pages of
//! `render --format svg`, thousands of them, each dropped from memory once written): each
//! goes, synced, into a hidden folder `.phuluc-*.tmp` beside its target, and only when all
//! are there are they renamed into place, one by one. A failure before that — a layout
//! error on page 4 000, a full disk — removes the folder and leaves every previous file
//! as it was; a target that is a folder is refused before anything is moved. A render
//! killed mid-way cannot remove its folder (folders cannot be unnamed as files can), and
//! never leaves a half file under a target's name; the folder's name holds its process id
//! (`.phuluc-PID-*.tmp`), and on Linux the next staging in that folder removes the
//! folders of processes that no longer run.

use std::io::Write;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::text;

/// Writes `bytes` to `path` atomically.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    #[cfg(target_os = "linux")]
    if let Some(done) = unnamed::write(dir, path, bytes) {
        done?;
        sync_dir(dir);
        return Ok(());
    }
    let mut tmp = temp_builder().tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Names for temp files: hidden, and recognisable as ours.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".phuluc-").suffix(".tmp");
    // tempfile creates 0600 files; an output document is as readable as any other file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder
}

/// Makes the rename durable: the folder's entry is on disk, not only in the cache. Some
/// file systems cannot sync a folder; the rename has happened all the same, so a failure
/// here is no failure of the write.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(target_os = "linux")]
mod unnamed {
    //! `O_TMPFILE`: a file with no name until `linkat` gives it one.

    use std::ffi::CString;
    use std::fs::{File, OpenOptions};
    use std::io::Write;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    use std::path::Path;

    /// Writes `bytes` to an unnamed file in `dir`, names it and renames it to `path`.
    /// `None` when this file system (or kernel) has no unnamed files: use a named one.
    pub(super) fn write(dir: &Path, path: &Path, bytes: &[u8]) -> Option<std::io::Result<()>> {
        let file = match OpenOptions::new()
            .write(true)
            .mode(0o644)
            .custom_flags(libc::O_TMPFILE)
            .open(dir)
        {
            Ok(f) => f,
            Err(e) if unsupported(&e) => return None,
            Err(e) => return Some(Err(e)),
        };
        Some(fill_and_link(file, dir, path, bytes))
    }

    fn fill_and_link(mut file: File, dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        file.write_all(bytes)?;
        file.sync_all()?;
        // The file needs a name of its own first: linkat cannot replace an existing file.
        let named = super::temp_builder().make_in(dir, |name| link(&file, name))?;
        named.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Gives the unnamed `file` the name `name`, through its /proc/self/fd link.
    fn link(file: &File, name: &Path) -> std::io::Result<()> {
        let from = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))
            .map_err(std::io::Error::other)?;
        let to = CString::new(name.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call, and
        // AT_FDCWD with absolute or relative paths is linkat's ordinary use.
        let rc = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }

    /// Errors that mean "no O_TMPFILE here", not "cannot write here".
    fn unsupported(e: &std::io::Error) -> bool {
        matches!(
            e.raw_os_error(),
            Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL | libc::ENOSYS)
        )
    }
}

/// Files written one by one into a hidden folder inside `dir`, moved into `dir` together
/// by [`Staging::commit`]; dropped without committing, the folder and all in it go.
pub struct Staging {
    /// Where the files go.
    dir: std::path::PathBuf,
    /// The hidden folder, made with the first file (a render that makes none leaves no
    /// trace).
    folder: Option<tempfile::TempDir>,
    /// The files' names, in the order they came.
    names: Vec<String>,
}

impl Staging {
    /// Staging for files going into `dir` (made, as its parents, when the first file
    /// comes).
    pub fn new(dir: &Path) -> Self {
        Staging {
            dir: dir.to_owned(),
            folder: None,
            names: Vec::new(),
        }
    }

    /// Writes `bytes` as the file `name` (no folder) in the hidden folder, synced. An
    /// error names the target, `dir/name`, as [`write_file`] would.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.dir.join(name);
        let folder = match &self.folder {
            Some(f) => f.path().to_owned(),
            None => {
                if !self.dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(&self.dir).map_err(|e| write_error(&self.dir, &e))?;
                }
                let here = self.dir_or_here();
                #[cfg(target_os = "linux")]
                remove_abandoned(here);
                let made = tempfile::Builder::new()
                    .prefix(&format!(".phuluc-{}-", std::process::id()))
                    .suffix(".tmp")
                    .tempdir_in(here)
                    .map_err(|e| write_error(&target, &e))?;
                let path = made.path().to_owned();
                self.folder = Some(made);
                path
            }
        };
        write_synced(&folder.join(name), bytes).map_err(|e| write_error(&target, &e))?;
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_owned());
        }
        Ok(())
    }

    /// Moves every file into `dir` (each rename atomic), syncs `dir` and removes the
    /// hidden folder; returns the targets in the order the files came. A target that is a
    /// folder fails the whole set before anything is moved.
    pub fn commit(self) -> Result<Vec<std::path::PathBuf>, Diagnostic> {
        let Some(folder) = &self.folder else {
            return Ok(Vec::new());
        };
        let targets: Vec<std::path::PathBuf> =
            self.names.iter().map(|n| self.dir.join(n)).collect();
        for target in &targets {
            if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
                let e = std::io::Error::from(std::io::ErrorKind::IsADirectory);
                return Err(write_error(target, &e));
            }
        }
        for (name, target) in self.names.iter().zip(&targets) {
            std::fs::rename(folder.path().join(name), target)
                .map_err(|e| write_error(target, &e))?;
        }
        sync_dir(self.dir_or_here());
        Ok(targets)
    }

    fn dir_or_here(&self) -> &Path {
        if self.dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &self.dir
        }
    }
}

/// Removes the staging folders in `dir` of renders that were killed: `.phuluc-PID-*.tmp`
/// whose process is gone. A folder of a live process — another render into the same
/// folder, or a process that took a dead one's id — is left alone; any failure is
/// ignored, as the folder is only litter.
#[cfg(target_os = "linux")]
fn remove_abandoned(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(".phuluc-"))
            .filter(|n| n.ends_with(".tmp"))
            .and_then(|n| n.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes a new file readable by all (as an output document is), synced to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    // Truncated, not refused, when it exists: a name given twice keeps its last bytes, as
    // two writes of one file would.
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o644);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Creates `out`'s folder if needed and writes `bytes` there atomically.
pub fn write_file(out: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let Some(dir) = out.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?;
    }
    atomic_write(out, bytes).map_err(|e| write_error(out, &e))
}

/// The message for a file that could not be written: what went wrong in plain words,
/// the system's own words after it.
pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind as K;
    let (vi, en) = match e.kind() {
        K::PermissionDenied => ("không có quyền ghi vào đây", "no permission to write here"),
        K::ReadOnlyFilesystem => (
            "ổ đĩa hoặc thư mục chỉ cho phép đọc",
            "the disk or folder is read-only",
        ),
        K::StorageFull | K::QuotaExceeded => ("ổ đĩa đã đầy", "the disk is full"),
        K::FileTooLarge => (
            "tệp vượt quá kích thước cho phép",
            "the file is larger than allowed",
        ),
        K::NotADirectory => (
            "một phần của đường dẫn là tệp, không phải thư mục",
            "part of the path is a file, not a folder",
        ),
        K::IsADirectory => ("đường dẫn này là một thư mục", "this path is a folder"),
        K::NotFound => (
            "thư mục đích không có và không tạo được",
            "the folder does not exist and cannot be created",
        ),
        _ => ("lỗi hệ thống", "system error"),
    };
    Diagnostic::error(text!(
        format!("không ghi được tệp: {vi} ({e})"),
        format!("cannot write the file: {en} ({e})")
    ))
    .in_file(path)
    .hint(text!(
        "Kiểm tra thư mục đích tồn tại, có quyền ghi, ổ đĩa còn chỗ, và tệp không đang mở trong Word hay chương trình khác; tệp cũ (nếu có) vẫn được giữ nguyên.",
        "Check the folder exists and is writable, the disk has room, and the file is not open in Word or another program; the previous file, if any, is kept as it was."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn staged_files_appear_only_on_commit_and_a_dropped_staging_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("ra");
        std::fs::create_dir(&out).expect("mkdir");
        std::fs::write(out.join("a-1.svg"), b"old").expect("write");

        let mut dropped = Staging::new(&out);
        dropped.add("a-1.svg", b"new").expect("add");
        assert_eq!(names(&out).len(), 2, "the hidden folder and the old file");
        drop(dropped);
        assert_eq!(names(&out), ["a-1.svg"]);
        assert_eq!(std::fs::read(out.join("a-1.svg")).expect("read"), b"old");

        let mut staging = Staging::new(&out);
        for (name, bytes) in [("a-2.svg", &b"2"[..]), ("a-1.svg", b"x"), ("a-1.svg", b"1")] {
            staging.add(name, bytes).expect("add");
        }
        assert_eq!(std::fs::read(out.join("a-1.svg")).expect("read"), b"old");
        let moved = staging.commit().expect("commit");
        assert_eq!(moved, [out.join("a-2.svg"), out.join("a-1.svg")]);
        assert_eq!(names(&out), ["a-1.svg", "a-2.svg"]);
        assert_eq!(std::fs::read(out.join("a-1.svg")).expect("read"), b"1");

        // A killed render's folder (no process 4 000 000 000) goes with the next staging;
        // a live one's (this process's id under another name) stays.
        #[cfg(target_os = "linux")]
        {
            let dead = out.join(".phuluc-4000000000-abc.tmp");
            let live = out.join(format!(".phuluc-{}-live.tmp", std::process::id()));
            for folder in [&dead, &live] {
                std::fs::create_dir(folder).expect("mkdir");
                std::fs::write(folder.join("a-1.svg"), b"half").expect("write");
            }
            let mut next = Staging::new(&out);
            next.add("a-3.svg", b"3").expect("add");
            assert!(!dead.exists() && live.exists());
            next.commit().expect("commit");
            std::fs::remove_dir_all(&live).expect("rm");
        }

        // Nothing staged: nothing made, not even the folder.
        let never = dir.path().join("never");
        assert!(Staging::new(&never).commit().expect("commit").is_empty());
        assert!(!never.exists());
    }
}
