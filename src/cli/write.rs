//! Atomic file writes: a temp file in the target directory, then a rename.
//!
//! Contract: a reader never sees a half-written file; on failure the previous file is
//! intact and no temp file is left behind (the temp file deletes itself when dropped).

use std::io::Write;
use std::path::Path;

use phuluc::diag::Diagnostic;
use phuluc::text;

/// Writes `bytes` to `path` atomically.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".phuluc-").suffix(".tmp");
    // tempfile creates 0600 files; an output document is as readable as any other file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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

/// The message for a file that could not be written.
pub fn write_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(text!(
        format!("không ghi được tệp: {e}"),
        format!("cannot write the file: {e}")
    ))
    .in_file(path)
    .hint(text!(
        "Kiểm tra thư mục đích tồn tại, có quyền ghi, và tệp không đang mở trong Word hay chương trình khác.",
        "Check the folder exists and is writable, and the file is not open in Word or another program."
    ))
}
