//! The fonts: those the PDF is set in (built in, or the office's Times New Roman from
//! `--font-dir`: which file serves each face, and whether each has all 146 Vietnamese
//! letters), and Times New Roman among the system's fonts (what Word and LibreOffice set
//! the .docx in).

use std::path::{Path, PathBuf};

use super::check::{Check, Need};
use crate::diag::ToDiagnostic;
use crate::fonts::{Face, FontSet};
use crate::text;

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
}
