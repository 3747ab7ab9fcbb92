//! Word 97–2003 (.doc), OpenDocument (.odt) and RTF files converted to .docx by
//! LibreOffice, for import to read.
//!
//! Contract: `soffice --headless --convert-to docx` runs in a private profile and folder,
//! so a running LibreOffice is neither used nor disturbed, bounded in time; it is killed
//! when it takes longer. Without LibreOffice the message names the package to install.
//! Every failure is a diagnostic on the file, telling how to make the .docx by hand.

use std::path::Path;

use crate::diag::{Diagnostic, Text};

/// How long LibreOffice may take to convert one file.
const CONVERT_SECONDS: u64 = 180;

/// `file` converted to .docx by LibreOffice (`soffice --headless --convert-to docx`), in
/// a private profile and folder so a running LibreOffice is neither used nor disturbed;
/// bounded in time.
pub fn to_docx(file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let fail = |vi: String, en: String| {
        Diagnostic::error(Text::new(vi, en)).in_file(file).hint(Text::new(
            "Mở tệp bằng Word hoặc LibreOffice và lưu lại dạng .docx, rồi chạy lại với tệp .docx.",
            "Open the file in Word or LibreOffice, save it as .docx, and run again on the .docx.",
        ))
    };
    let work = tempfile::tempdir().map_err(|e| {
        fail(
            format!("không tạo được thư mục tạm để chuyển đổi: {e}"),
            format!("cannot create a temporary folder for the conversion: {e}"),
        )
    })?;
    let profile = format!("file://{}", work.path().join("profile").display());
    let out_dir = work.path().join("out");
    let spawned = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(&out_dir)
        .arg(file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Diagnostic::error(Text::new(
                "cần LibreOffice để đọc tệp .doc/.odt/.rtf, nhưng máy chưa cài (không thấy lệnh soffice)",
                "LibreOffice is needed to read .doc/.odt/.rtf files, but it is not installed (no soffice command)",
            ))
            .in_file(file)
            .hint(Text::new(
                "Cài LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui), hoặc mở tệp bằng Word và lưu lại dạng .docx.",
                "Install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui), or open the file in Word and save it as .docx.",
            )));
        }
        Err(e) => {
            return Err(fail(
                format!("không chạy được LibreOffice: {e}"),
                format!("cannot run LibreOffice: {e}"),
            ));
        }
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(CONVERT_SECONDS);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(
                    format!("LibreOffice không chuyển xong tệp sau {CONVERT_SECONDS} giây"),
                    format!(
                        "LibreOffice did not finish converting within {CONVERT_SECONDS} seconds"
                    ),
                ));
            }
        }
    };
    let stem = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let converted = out_dir.join(format!("{stem}.docx"));
    match std::fs::read(&converted) {
        Ok(bytes) if status.success() => Ok(bytes),
        _ => Err(fail(
            "LibreOffice không chuyển được tệp sang .docx (tệp hỏng hoặc không phải văn bản)"
                .to_owned(),
            "LibreOffice could not convert the file to .docx (damaged, or not a text document)"
                .to_owned(),
        )),
    }
}
