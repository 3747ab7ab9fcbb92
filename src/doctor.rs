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

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::compose::templates::Templates;
use crate::diag::{Lang, Text, ToDiagnostic};
use crate::fonts::{Face, FontSet};
use crate::model::validate::FieldsLookup;
use crate::text;

/// Whether a check's subject is needed by the core commands or by one feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `render`, `check`, `new`, `export` cannot work without it.
    Core,
    /// One feature needs it (named in the check's title).
    Optional,
}

/// One line of the doctor's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Core or optional.
    pub need: Need,
    /// Whether what is needed is there.
    pub ok: bool,
    /// What is checked and what for: "LibreOffice (import .doc/.odt/.rtf)".
    pub title: Text,
    /// What was found, or what is missing.
    pub detail: Text,
    /// When missing: the command (or step) that puts it there.
    pub fix: Option<Text>,
    /// Further lines under the check (e.g. which file serves each font face).
    pub notes: Vec<Text>,
}

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
        pdf_fonts(machine.font_dir.as_deref()),
        output_folder(&machine.cwd.join("output")),
        templates(machine.templates.as_deref(), &machine.cwd),
        libreoffice(machine.path.as_deref()),
        browser(machine.path.as_deref(), machine.browser.as_deref()),
        system_times(),
    ]
}

/// Whether everything the core commands need is there (`doctor` exits 0).
pub fn core_ready(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.ok || c.need == Need::Optional)
}

/// The report: one line per check (✓ or ✗, what, what was found), its notes and fix
/// indented under it, and a closing line.
pub fn report(checks: &[Check], lang: Lang) -> String {
    let mut out = String::new();
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

/// Every letter of Vietnamese, lower and upper case: the twelve vowels with each of the
/// six tones (72), and đ — 146 in all.
pub fn vietnamese_letters() -> Vec<char> {
    use unicode_normalization::UnicodeNormalization as _;
    let mut letters = Vec::new();
    for base in "aăâeêioôơuưy".chars() {
        for tone in ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"] {
            let letter: String = format!("{base}{tone}").nfc().collect();
            letters.extend(letter.chars().take(1));
        }
    }
    letters.push('đ');
    let upper: Vec<char> = letters.iter().flat_map(|c| c.to_uppercase()).collect();
    letters.extend(upper);
    letters
}

/// The Vietnamese letters a font file has no glyph for.
fn missing_letters(bytes: &[u8]) -> Option<Vec<char>> {
    use skrifa::MetadataProvider as _;
    let font = skrifa::FontRef::new(bytes).ok()?;
    let charmap = font.charmap();
    Some(
        vietnamese_letters()
            .into_iter()
            .filter(|c| charmap.map(*c).is_none())
            .collect(),
    )
}

fn face_name(face: Face) -> (&'static str, &'static str) {
    match face {
        Face::Regular => ("thường", "regular"),
        Face::Bold => ("đậm", "bold"),
        Face::Italic => ("nghiêng", "italic"),
        Face::BoldItalic => ("đậm nghiêng", "bold italic"),
    }
}

/// The PDF's fonts: the built-in Liberation Serif, or the office's Times New Roman from
/// `font_dir`; which file serves each face, and whether each has every Vietnamese letter.
pub fn pdf_fonts(font_dir: Option<&Path>) -> Check {
    let title = text!("Phông chữ cho PDF", "Fonts for the PDF");
    let set = match font_dir {
        None => FontSet::builtin(),
        Some(dir) => match FontSet::from_dir(dir) {
            Ok(set) => set,
            Err(e) => {
                return Check {
                    need: Need::Core,
                    ok: false,
                    title,
                    detail: e.to_diagnostic().message,
                    fix: Some(text!(
                        format!(
                            "cách sửa: chép times.ttf, timesbd.ttf, timesi.ttf, timesbi.ttf (Windows: C:\\Windows\\Fonts) vào {}, hoặc bỏ --font-dir để dùng Liberation Serif có sẵn",
                            dir.display()
                        ),
                        format!(
                            "to fix: copy times.ttf, timesbd.ttf, timesi.ttf, timesbi.ttf (Windows: C:\\Windows\\Fonts) into {}, or drop --font-dir to use the built-in Liberation Serif",
                            dir.display()
                        )
                    )),
                    notes: Vec::new(),
                };
            }
        },
    };
    let letters = vietnamese_letters().len();
    let mut notes = Vec::new();
    let mut gaps = Vec::new();
    for face in Face::ALL {
        let source = set.source_name(face);
        let shown = source.strip_prefix("builtin:").map_or_else(
            || (source.to_owned(), source.to_owned()),
            |f| {
                (
                    format!("{f} (nhúng sẵn trong phuluc)"),
                    format!("{f} (built into phuluc)"),
                )
            },
        );
        let missing = missing_letters(set.bytes(face)).unwrap_or_else(vietnamese_letters);
        let (vi, en) = face_name(face);
        if missing.is_empty() {
            notes.push(text!(
                format!("{vi}: {} — đủ {letters} chữ cái tiếng Việt", shown.0),
                format!("{en}: {} — all {letters} Vietnamese letters", shown.1)
            ));
        } else {
            let list: String = missing.iter().take(12).collect();
            notes.push(text!(
                format!(
                    "{vi}: {} — thiếu {} chữ cái tiếng Việt: {list}",
                    shown.0,
                    missing.len()
                ),
                format!(
                    "{en}: {} — lacks {} Vietnamese letters: {list}",
                    shown.1,
                    missing.len()
                )
            ));
            gaps.push(vi);
        }
    }
    let family = if font_dir.is_some() {
        (
            "Times New Roman của cơ quan",
            "the office's Times New Roman",
        )
    } else {
        ("Liberation Serif nhúng sẵn", "built-in Liberation Serif")
    };
    Check {
        need: Need::Core,
        ok: gaps.is_empty(),
        title,
        detail: if gaps.is_empty() {
            text!(
                format!("{}, đủ chữ tiếng Việt ở cả bốn kiểu chữ", family.0),
                format!("{}, every Vietnamese letter in all four faces", family.1)
            )
        } else {
            text!(
                format!(
                    "{}: thiếu chữ tiếng Việt ở kiểu {}",
                    family.0,
                    gaps.join(", ")
                ),
                format!("{}: Vietnamese letters missing in some faces", family.1)
            )
        },
        fix: Some(text!(
            "cách sửa: dùng tệp phông Times New Roman đầy đủ (Windows: C:\\Windows\\Fonts), hoặc bỏ --font-dir",
            "to fix: use complete Times New Roman files (Windows: C:\\Windows\\Fonts), or drop --font-dir"
        )),
        notes,
    }
}

/// Whether phuluc can write its documents into `dir` (`output/`): a file is created and
/// removed there — or, when the folder does not exist yet, in the folder that will hold it.
pub fn output_folder(dir: &Path) -> Check {
    let title = text!(
        "Thư mục output/ (nơi ghi .docx, PDF)",
        "The output/ folder (where .docx and PDF go)"
    );
    let (probe, exists) = if dir.is_dir() {
        (dir.to_path_buf(), true)
    } else if dir.exists() {
        return Check {
            need: Need::Core,
            ok: false,
            title,
            detail: text!(
                format!("{} là một tệp, không phải thư mục", dir.display()),
                format!("{} is a file, not a folder", dir.display())
            ),
            fix: Some(text!(
                "cách sửa: đổi tên hoặc xóa tệp đó, hoặc ghi nơi khác bằng -o THƯ-MỤC",
                "to fix: rename or delete that file, or write elsewhere with -o DIR"
            )),
            notes: Vec::new(),
        };
    } else {
        (
            dir.parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            false,
        )
    };
    match tempfile::Builder::new()
        .prefix(".phuluc-doctor-")
        .tempfile_in(&probe)
    {
        Ok(_) => Check {
            need: Need::Core,
            ok: true,
            title,
            detail: if exists {
                text!(
                    format!("ghi được vào {}", dir.display()),
                    format!("{} is writable", dir.display())
                )
            } else {
                text!(
                    format!("chưa có; sẽ được tạo trong {} (ghi được)", probe.display()),
                    format!(
                        "not there yet; it will be made in {} (writable)",
                        probe.display()
                    )
                )
            },
            fix: None,
            notes: Vec::new(),
        },
        Err(e) => Check {
            need: Need::Core,
            ok: false,
            title,
            detail: text!(
                format!("không ghi được vào {} ({e})", probe.display()),
                format!("cannot write into {} ({e})", probe.display())
            ),
            fix: Some(text!(
                "cách sửa: chạy phuluc trong một thư mục mình có quyền ghi (ví dụ Documents), hoặc ghi nơi khác bằng -o THƯ-MỤC",
                "to fix: run phuluc in a folder you may write to (e.g. Documents), or write elsewhere with -o DIR"
            )),
            notes: Vec::new(),
        },
    }
}

/// The appendix kinds: the built-in ones and those of the templates folder, loading
/// clean.
pub fn templates(dir: Option<&Path>, cwd: &Path) -> Check {
    let title = text!("Các mẫu phụ lục", "Appendix templates");
    let full = dir.map(|d| {
        if d.is_absolute() {
            d.to_path_buf()
        } else {
            cwd.join(d)
        }
    });
    match Templates::load(full.as_deref()) {
        Ok(t) => {
            let kinds = t.kinds();
            let list = kinds.join(", ");
            let from = dir.map_or_else(
                || ("có sẵn".to_owned(), "built in".to_owned()),
                |d| {
                    (
                        format!("có sẵn và trong {}", d.display()),
                        format!("built in and in {}", d.display()),
                    )
                },
            );
            Check {
                need: Need::Core,
                ok: true,
                title,
                detail: text!(
                    format!("{} loại ({}), đọc không lỗi: {list}", kinds.len(), from.0),
                    format!("{} kinds ({}), all load clean: {list}", kinds.len(), from.1)
                ),
                fix: None,
                notes: Vec::new(),
            }
        }
        Err(diags) => Check {
            need: Need::Core,
            ok: false,
            title,
            detail: text!(
                format!("{} lỗi khi đọc mẫu", diags.len()),
                format!("{} problem(s) loading the templates", diags.len())
            ),
            fix: Some(text!(
                "cách sửa: sửa các lỗi ghi trên (tệp:dòng:cột), hoặc bỏ --templates",
                "to fix: fix the problems above (file:line:column), or drop --templates"
            )),
            notes: diags
                .iter()
                .take(5)
                .map(|d| text!(d.render(Lang::Vi), d.render(Lang::En)))
                .collect(),
        },
    }
}

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

/// Times New Roman (or its metric twin Liberation Serif) among the system's fonts: what
/// Word and LibreOffice set the .docx in. Without it the .docx opens in another font and
/// its lines break elsewhere than the PDF's.
pub fn system_times() -> Check {
    let title = text!(
        "Phông Times New Roman trên máy (mở .docx đúng phông)",
        "Times New Roman on this machine (the .docx in its own font)"
    );
    let found = font_dirs().iter().find_map(|d| find_font(d, 4));
    match found {
        Some(file) => Check {
            need: Need::Optional,
            ok: true,
            title,
            detail: text!(file.display().to_string(), file.display().to_string()),
            fix: None,
            notes: Vec::new(),
        },
        None => Check {
            need: Need::Optional,
            ok: false,
            title,
            detail: text!(
                "không thấy times.ttf hay LiberationSerif-Regular.ttf; PDF không bị ảnh hưởng (phông đã nhúng)",
                "no times.ttf or LiberationSerif-Regular.ttf found; the PDF is unaffected (its fonts are embedded)"
            ),
            fix: Some(if cfg!(target_os = "macos") {
                text!(
                    "cài bằng lệnh (macOS): brew install --cask font-liberation",
                    "install (macOS): brew install --cask font-liberation"
                )
            } else {
                text!(
                    "cài bằng lệnh (Debian/Ubuntu): sudo apt-get install fonts-liberation2",
                    "install (Debian/Ubuntu): sudo apt-get install fonts-liberation2"
                )
            }),
            notes: Vec::new(),
        },
    }
}

/// Where the system keeps font files.
fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if cfg!(windows) {
        let windir = std::env::var_os("WINDIR").unwrap_or_else(|| "C:\\Windows".into());
        dirs.push(PathBuf::from(windir).join("Fonts"));
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(
                PathBuf::from(local)
                    .join("Microsoft")
                    .join("Windows")
                    .join("Fonts"),
            );
        }
    } else if cfg!(target_os = "macos") {
        dirs.push("/System/Library/Fonts/Supplemental".into());
        dirs.push("/Library/Fonts".into());
    } else {
        dirs.push("/usr/share/fonts".into());
        dirs.push("/usr/local/share/fonts".into());
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.push(home.join(".local/share/fonts"));
        dirs.push(home.join(".fonts"));
        dirs.push(home.join("Library/Fonts"));
    }
    dirs
}

/// A Times New Roman or Liberation Serif regular face under `dir`, `depth` folders down
/// at most.
fn find_font(dir: &Path, depth: usize) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut subdirs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if matches!(
            name.as_str(),
            "times.ttf" | "times new roman.ttf" | "liberationserif-regular.ttf"
        ) {
            return Some(path);
        }
        if depth > 0 && path.is_dir() {
            subdirs.push(path);
        }
    }
    subdirs.sort();
    subdirs.iter().find_map(|d| find_font(d, depth - 1))
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
    use super::*;

    #[test]
    fn vietnamese_has_146_letters() {
        let letters = vietnamese_letters();
        assert_eq!(letters.len(), 146);
        for c in ['ặ', 'Ỹ', 'đ', 'Đ', 'ư', 'Ơ'] {
            assert!(letters.contains(&c), "{c}");
        }
    }

    #[test]
    fn the_builtin_fonts_cover_vietnamese() {
        let c = pdf_fonts(None);
        assert!(c.ok, "{c:?}");
        assert_eq!(c.notes.len(), 4);
        assert!(
            c.notes[0]
                .vi
                .contains("LiberationSerif-Regular.ttf (nhúng sẵn trong phuluc)")
        );
        assert!(c.notes[3].vi.contains("đủ 146 chữ cái"));
    }

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
        let text = report(&checks, Lang::Vi);
        assert!(text.contains("✗ LibreOffice"), "{text}");
        assert!(text.contains("Đủ cho các lệnh chính"), "{text}");
    }
}
