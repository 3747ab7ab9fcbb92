//! The programs optional features run: LibreOffice (`import` of .doc/.odt/.rtf) and a
//! browser (`preview`), looked up on the `PATH` as the features themselves would, and
//! asked their version with a time limit (a hung program must not hang the doctor).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::check::{Check, Need};
use crate::text;

/// LibreOffice, which `import` runs (`soffice`, looked up on the `PATH`) to read .doc,
/// .odt and .rtf files; its version.
pub fn libreoffice(path: Option<&OsStr>) -> Check {
    let title = text!(
        "LibreOffice (import tệp .doc/.odt/.rtf)",
        "LibreOffice (import of .doc/.odt/.rtf)"
    );
    let fix = if cfg!(windows) {
        text!(
            "cài bằng lệnh: winget install TheDocumentFoundation.LibreOffice (Windows), rồi thêm C:\\Program Files\\LibreOffice\\program vào PATH",
            "install: winget install TheDocumentFoundation.LibreOffice (Windows), then add C:\\Program Files\\LibreOffice\\program to PATH"
        )
    } else if cfg!(target_os = "macos") {
        text!(
            "cài bằng lệnh: brew install --cask libreoffice (macOS)",
            "install: brew install --cask libreoffice (macOS)"
        )
    } else {
        text!(
            "cài bằng lệnh (Debian/Ubuntu): sudo apt-get install libreoffice-writer-nogui — Windows: winget install TheDocumentFoundation.LibreOffice",
            "install (Debian/Ubuntu): sudo apt-get install libreoffice-writer-nogui — Windows: winget install TheDocumentFoundation.LibreOffice"
        )
    };
    match find_command("soffice", path) {
        Some(exe) => {
            let version = command_output(&exe, &["--version"], Duration::from_secs(20))
                .and_then(|s| s.lines().next().map(str::trim).map(str::to_owned))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "soffice".to_owned());
            Check {
                need: Need::Optional,
                ok: true,
                title,
                detail: text!(
                    format!("{version} ({})", exe.display()),
                    format!("{version} ({})", exe.display())
                ),
                fix: None,
                notes: Vec::new(),
            }
        }
        None => Check {
            need: Need::Optional,
            ok: false,
            title,
            detail: text!(
                "chưa cài (không thấy lệnh soffice); tệp .docx vẫn import được",
                "not installed (no soffice command); .docx files import all the same"
            ),
            fix: Some(fix),
            notes: Vec::new(),
        },
    }
}

/// Browsers `preview` can show its pages in, by the commands they are started with.
const BROWSERS: [&str; 10] = [
    "firefox",
    "firefox-esr",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "brave-browser",
    "epiphany",
];

/// A browser for `preview`: `BROWSER`, else a known browser on the `PATH`; Windows and
/// macOS always have one (Edge, Safari).
pub fn browser(path: Option<&OsStr>, browser_env: Option<&OsStr>) -> Check {
    let title = text!("Trình duyệt (preview)", "A browser (preview)");
    if cfg!(any(windows, target_os = "macos")) {
        return Check {
            need: Need::Optional,
            ok: true,
            title,
            detail: text!(
                "trình duyệt mặc định của hệ điều hành",
                "the system's default browser"
            ),
            fix: None,
            notes: Vec::new(),
        };
    }
    let from_env = browser_env
        .and_then(OsStr::to_str)
        .and_then(|b| b.split(':').next())
        .and_then(|b| b.split_whitespace().next())
        .and_then(|b| find_command(b, path));
    let found = from_env.or_else(|| BROWSERS.iter().find_map(|b| find_command(b, path)));
    match found {
        Some(exe) => Check {
            need: Need::Optional,
            ok: true,
            title,
            detail: text!(exe.display().to_string(), exe.display().to_string()),
            fix: None,
            notes: Vec::new(),
        },
        None => Check {
            need: Need::Optional,
            ok: false,
            title,
            detail: text!(
                "không thấy trình duyệt nào; phuluc preview --no-open vẫn in địa chỉ để mở ở máy khác",
                "no browser found; phuluc preview --no-open still prints the address to open elsewhere"
            ),
            fix: Some(text!(
                "cài bằng lệnh (Debian): sudo apt-get install firefox-esr — Ubuntu: sudo snap install firefox",
                "install (Debian): sudo apt-get install firefox-esr — Ubuntu: sudo snap install firefox"
            )),
            notes: Vec::new(),
        },
    }
}

/// `name` as a command on `path`: the first executable file of that name (on Windows,
/// with one of the executable extensions).
pub fn find_command(name: &str, path: Option<&OsStr>) -> Option<PathBuf> {
    let path = path?;
    let candidates: Vec<String> = if cfg!(windows) {
        ["", ".exe", ".com", ".cmd", ".bat"]
            .iter()
            .map(|ext| format!("{name}{ext}"))
            .collect()
    } else {
        vec![name.to_owned()]
    };
    std::env::split_paths(path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| candidates.iter().map(move |c| dir.join(c)))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// The standard output of `exe args`, if it ends within `limit` (a hung program is
/// killed: the doctor must answer).
fn command_output(exe: &Path, args: &[&str], limit: Duration) -> Option<String> {
    use std::io::Read as _;
    let mut child = std::process::Command::new(exe)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;

    #[test]
    fn a_command_missing_from_the_path_is_not_found() {
        let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = OsString::from(empty.path());
        assert_eq!(find_command("soffice", Some(&path)), None);
        let c = libreoffice(Some(&path));
        assert!(!c.ok && c.need == Need::Optional);
        assert!(
            c.fix
                .is_some_and(|f| f.vi.contains("apt-get install libreoffice-writer-nogui"))
        );
    }
}
