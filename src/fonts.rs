//! The four faces (regular, bold, italic, bold italic) the PDF is set in.
//!
//! Contract: a [`FontSet`] is either the Liberation Serif faces compiled into the binary
//! ([`FontSet::builtin`], SIL OFL 1.1, metric-compatible with Times New Roman, so the PDF
//! breaks lines where Word does) or an office's licensed Times New Roman read from a folder
//! ([`FontSet::from_dir`]). Each face is parsed once per `FontSet` (shaping data, PDF font
//! object, line metrics) and shared by every clone, so rendering many documents with one
//! set never re-parses a font. Nothing here panics on bad font files: they come back as a
//! [`FontError`].

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use crate::diag::{Diagnostic, Text, ToDiagnostic};
use crate::document::TextStyle;

/// One of the four faces of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Upright, normal weight.
    Regular,
    /// Upright, bold.
    Bold,
    /// Italic, normal weight.
    Italic,
    /// Italic, bold.
    BoldItalic,
}

impl Face {
    /// All faces, in the order [`FontSet`] stores them.
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    /// The face a [`TextStyle`] is set in.
    pub fn of(style: &TextStyle) -> Face {
        match (style.bold, style.italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    /// Position in [`Face::ALL`].
    pub fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::BoldItalic => 3,
        }
    }

    /// The Times New Roman file name Windows installs for this face (lower case).
    pub fn times_file(self) -> &'static str {
        match self {
            Face::Regular => "times.ttf",
            Face::Bold => "timesbd.ttf",
            Face::Italic => "timesi.ttf",
            Face::BoldItalic => "timesbi.ttf",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Face::Regular => "thường",
            Face::Bold => "đậm",
            Face::Italic => "nghiêng",
            Face::BoldItalic => "đậm nghiêng",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Face::Regular => "regular",
            Face::Bold => "bold",
            Face::Italic => "italic",
            Face::BoldItalic => "bold italic",
        }
    }
}

/// Why a font folder could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The folder has no file with the expected name (compared case-insensitively).
    NotFound {
        /// The expected file name, e.g. `timesbd.ttf`.
        file: &'static str,
        /// Which face it is.
        face: Face,
        /// The folder that was searched.
        dir: PathBuf,
    },
    /// The folder itself could not be listed.
    ReadDir {
        /// The folder.
        dir: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A font file exists but could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A file was read but is not a usable TrueType/OpenType font.
    Invalid {
        /// The file name (or `builtin:…` for a compiled-in face).
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl ToDiagnostic for FontError {
    fn to_diagnostic(&self) -> Diagnostic {
        let message = match self {
            FontError::NotFound { file, face, dir } => Text::new(
                format!(
                    "không tìm thấy phông {file} (Times New Roman {}) trong thư mục {}",
                    face.name_vi(),
                    dir.display()
                ),
                format!(
                    "font {file} (Times New Roman {}) not found in folder {}",
                    face.name_en(),
                    dir.display()
                ),
            ),
            FontError::ReadDir { dir, source } => Text::new(
                format!("không đọc được thư mục phông {}: {source}", dir.display()),
                format!("cannot read font folder {}: {source}", dir.display()),
            ),
            FontError::Read { path, source } => Text::new(
                format!("không đọc được tệp phông {}: {source}", path.display()),
                format!("cannot read font file {}: {source}", path.display()),
            ),
            FontError::Invalid { name, reason } => Text::new(
                format!("tệp phông {name} không phải phông TrueType/OpenType dùng được: {reason}"),
                format!("font file {name} is not a usable TrueType/OpenType font: {reason}"),
            ),
        };
        // Every variant comes from a font folder (the built-in faces always parse).
        Diagnostic::error(message).hint(Text::new(
            "Chép đủ bốn tệp times.ttf, timesbd.ttf, timesi.ttf, timesbi.ttf (C:\\Windows\\Fonts) vào thư mục này, hoặc bỏ --font-dir để dùng Liberation Serif có sẵn.",
            "Copy times.ttf, timesbd.ttf, timesi.ttf and timesbi.ttf (C:\\Windows\\Fonts) into this folder, or drop --font-dir to use the built-in Liberation Serif.",
        ))
    }
}

/// The Vietnamese message (the diagnostic's).
impl fmt::Display for FontError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_diagnostic().message.vi)
    }
}

type Bytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// The four faces of one family, as font file bytes, parsed lazily once.
///
/// Cloning is cheap and clones share the parsed fonts.
#[derive(Clone)]
pub struct FontSet {
    inner: Arc<Inner>,
}

struct Inner {
    /// Where the faces came from, for messages.
    names: [String; 4],
    bytes: [Bytes; 4],
    loaded: OnceLock<Result<Loaded, FontError>>,
}

impl fmt::Debug for FontSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FontSet")
            .field("faces", &self.inner.names)
            .finish()
    }
}

impl FontSet {
    /// Liberation Serif, compiled into the binary. Every call returns the same shared,
    /// already parsed set, so fonts are parsed once per process.
    pub fn builtin() -> FontSet {
        static BUILTIN: OnceLock<FontSet> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                const REGULAR: &[u8] = include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/fonts/LiberationSerif-Regular.ttf"
                ));
                const BOLD: &[u8] = include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/fonts/LiberationSerif-Bold.ttf"
                ));
                const ITALIC: &[u8] = include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/fonts/LiberationSerif-Italic.ttf"
                ));
                const BOLD_ITALIC: &[u8] = include_bytes!(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/fonts/LiberationSerif-BoldItalic.ttf"
                ));
                FontSet::from_parts(
                    [
                        "builtin:LiberationSerif-Regular.ttf".to_owned(),
                        "builtin:LiberationSerif-Bold.ttf".to_owned(),
                        "builtin:LiberationSerif-Italic.ttf".to_owned(),
                        "builtin:LiberationSerif-BoldItalic.ttf".to_owned(),
                    ],
                    [
                        Arc::new(REGULAR),
                        Arc::new(BOLD),
                        Arc::new(ITALIC),
                        Arc::new(BOLD_ITALIC),
                    ],
                )
            })
            .clone()
    }

    /// An office's licensed Times New Roman: `times.ttf`, `timesbd.ttf`, `timesi.ttf` and
    /// `timesbi.ttf` in `dir`, names compared case-insensitively (`TIMES.TTF` is found).
    /// All four faces are read and parsed here, so a bad file is reported now.
    pub fn from_dir(dir: &Path) -> Result<FontSet, FontError> {
        let entries = std::fs::read_dir(dir).map_err(|source| FontError::ReadDir {
            dir: dir.to_path_buf(),
            source,
        })?;
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| FontError::ReadDir {
                dir: dir.to_path_buf(),
                source,
            })?;
            if let Some(name) = entry.file_name().to_str() {
                files.push((name.to_lowercase(), entry.path()));
            }
        }
        // Sorted so that, if both `times.ttf` and `TIMES.TTF` exist, the choice does not
        // depend on the order the file system lists them in.
        files.sort_by(|a, b| a.1.cmp(&b.1));

        let mut names: [String; 4] = Default::default();
        let mut bytes: Vec<Bytes> = Vec::with_capacity(4);
        for face in Face::ALL {
            let wanted = face.times_file();
            let Some((_, path)) = files.iter().find(|(lower, _)| lower == wanted) else {
                return Err(FontError::NotFound {
                    file: wanted,
                    face,
                    dir: dir.to_path_buf(),
                });
            };
            let data = std::fs::read(path).map_err(|source| FontError::Read {
                path: path.clone(),
                source,
            })?;
            names[face.index()] = path.display().to_string();
            bytes.push(Arc::new(data));
        }
        let bytes: [Bytes; 4] = match <[Bytes; 4]>::try_from(bytes) {
            Ok(b) => b,
            Err(_) => {
                return Err(FontError::Invalid {
                    name: dir.display().to_string(),
                    reason: "thiếu mặt chữ / missing face",
                });
            }
        };
        let set = FontSet::from_parts(names, bytes);
        set.loaded()?;
        Ok(set)
    }

    fn from_parts(names: [String; 4], bytes: [Bytes; 4]) -> FontSet {
        FontSet {
            inner: Arc::new(Inner {
                names,
                bytes,
                loaded: OnceLock::new(),
            }),
        }
    }

    /// The raw bytes of a face (the font file as read).
    pub fn bytes(&self, face: Face) -> &[u8] {
        self.inner.bytes[face.index()].as_ref().as_ref()
    }

    /// Where a face came from: a path, or `builtin:…`.
    pub fn source_name(&self, face: Face) -> &str {
        &self.inner.names[face.index()]
    }

    /// The vertical metrics of a face (Word's "single" line spacing comes from these).
    pub fn metrics(&self, face: Face) -> Result<FaceMetrics, FontError> {
        Ok(self.loaded()?.faces[face.index()].metrics)
    }

    /// The parsed faces; parsed on first use and kept.
    pub(crate) fn loaded(&self) -> Result<&Loaded, FontError> {
        let result = self.inner.loaded.get_or_init(|| {
            let mut faces = Vec::with_capacity(4);
            for face in Face::ALL {
                faces.push(LoadedFace::parse(
                    &self.inner.names[face.index()],
                    self.inner.bytes[face.index()].clone(),
                )?);
            }
            match <[LoadedFace; 4]>::try_from(faces) {
                Ok(faces) => Ok(Loaded { faces }),
                Err(_) => Err(FontError::Invalid {
                    name: self.inner.names[0].clone(),
                    reason: "thiếu mặt chữ / missing face",
                }),
            }
        });
        match result {
            Ok(loaded) => Ok(loaded),
            Err(e) => Err(e.clone_shallow()),
        }
    }
}

impl FontError {
    /// A copy for returning a cached failure again (`io::Error` is not `Clone`).
    fn clone_shallow(&self) -> FontError {
        match self {
            FontError::NotFound { file, face, dir } => FontError::NotFound {
                file,
                face: *face,
                dir: dir.clone(),
            },
            FontError::ReadDir { dir, source } => FontError::ReadDir {
                dir: dir.clone(),
                source: io::Error::new(source.kind(), source.to_string()),
            },
            FontError::Read { path, source } => FontError::Read {
                path: path.clone(),
                source: io::Error::new(source.kind(), source.to_string()),
            },
            FontError::Invalid { name, reason } => FontError::Invalid {
                name: name.clone(),
                reason,
            },
        }
    }
}

impl Default for FontSet {
    /// The built-in Liberation Serif set.
    fn default() -> Self {
        FontSet::builtin()
    }
}

/// Vertical metrics of a face, in font units.
///
/// Word sets a "single"-spaced line the way GDI measures a font: `tmHeight +
/// tmExternalLeading`, i.e. usWinAscent + usWinDescent plus the part of `hhea.lineGap` not
/// already inside the Windows ascent/descent. For Times New Roman and Liberation Serif
/// (winAscent 1825, winDescent 443, hhea 1825/−443/87, 2048 units per em) that is
/// 2355/2048 ≈ 1.150 em — the familiar 13.8 pt line of 12 pt Times New Roman.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaceMetrics {
    /// Font units per em (`head.unitsPerEm`).
    pub units_per_em: u16,
    /// `OS/2.usWinAscent` (falls back to `hhea.ascender` when there is no OS/2 table).
    pub win_ascent: u16,
    /// `OS/2.usWinDescent`, positive downwards (falls back to `-hhea.descender`).
    pub win_descent: u16,
    /// GDI's external leading: `max(0, hhea.lineGap − ((winAscent + winDescent) −
    /// (hhea.ascender − hhea.descender)))`.
    pub external_leading: u16,
}

impl FaceMetrics {
    /// Word's "single" line height at `size_pt`:
    /// (winAscent + winDescent + external leading) / unitsPerEm × size.
    pub fn line_height(&self, size_pt: f32) -> f32 {
        (f32::from(self.win_ascent)
            + f32::from(self.win_descent)
            + f32::from(self.external_leading))
            / self.upem()
            * size_pt
    }

    /// Distance from the top of a line to its baseline at `size_pt`: the external leading
    /// sits above the text, then winAscent: (external leading + winAscent) / unitsPerEm × size.
    pub fn ascent(&self, size_pt: f32) -> f32 {
        (f32::from(self.external_leading) + f32::from(self.win_ascent)) / self.upem() * size_pt
    }

    fn upem(&self) -> f32 {
        f32::from(self.units_per_em.max(1))
    }
}

/// All four faces, parsed.
pub(crate) struct Loaded {
    pub(crate) faces: [LoadedFace; 4],
}

impl Loaded {
    pub(crate) fn face(&self, face: Face) -> &LoadedFace {
        &self.faces[face.index()]
    }
}

/// One face, parsed for shaping (harfrust), for the PDF (krilla) and for line metrics.
pub(crate) struct LoadedFace {
    pub(crate) shaping: harfrust::Font,
    pub(crate) plan: harfrust::ShapePlan,
    pub(crate) features: Vec<harfrust::Feature>,
    pub(crate) pdf: krilla::text::Font,
    pub(crate) metrics: FaceMetrics,
}

impl LoadedFace {
    fn parse(name: &str, bytes: Bytes) -> Result<LoadedFace, FontError> {
        let invalid = |reason| FontError::Invalid {
            name: name.to_owned(),
            reason,
        };
        let metrics = read_metrics(bytes.as_ref().as_ref()).ok_or_else(|| {
            invalid("thiếu bảng head/OS/2/hhea / missing head, OS/2 or hhea table")
        })?;
        let shaping = harfrust::Font::new(harfrust::font::Blob::from(bytes.clone()), 0)
            .ok_or_else(|| invalid("không phân tích được / cannot be parsed"))?;
        let pdf = krilla::text::Font::new(krilla::Data::from(bytes), 0)
            .ok_or_else(|| invalid("không nhúng được vào PDF / cannot be embedded in PDF"))?;
        // Word sets body text without kerning or ligatures unless asked to; turning them
        // off keeps advance widths, and so line breaks, the same as Word's.
        let mut features = Vec::new();
        for spec in ["-kern", "-liga", "-clig"] {
            if let Ok(feature) = harfrust::Feature::from_str(spec) {
                features.push(feature);
            }
        }
        let language = harfrust::Language::from_str("vi").ok();
        // The plan is built once per face: building it is far dearer than shaping a word.
        let plan = harfrust::ShapePlan::new(
            &shaping,
            harfrust::Direction::LeftToRight,
            Some(harfrust::Script::LATIN),
            language.as_ref(),
            &features,
        );
        Ok(LoadedFace {
            shaping,
            plan,
            features,
            pdf,
            metrics,
        })
    }
}

/// Reads `head.unitsPerEm` and the Windows ascent/descent straight from the table
/// directory: three numbers do not warrant another font-parsing dependency.
fn read_metrics(data: &[u8]) -> Option<FaceMetrics> {
    let u16_at = |off: usize| -> Option<u16> {
        let b = data.get(off..off.checked_add(2)?)?;
        Some(u16::from_be_bytes([b[0], b[1]]))
    };
    let u32_at = |off: usize| -> Option<u32> {
        let b = data.get(off..off.checked_add(4)?)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let num_tables = usize::from(u16_at(4)?);
    let mut head = None;
    let mut os2 = None;
    let mut hhea = None;
    for i in 0..num_tables {
        let rec = 12 + 16 * i;
        let tag = data.get(rec..rec + 4)?;
        let offset = usize::try_from(u32_at(rec + 8)?).ok()?;
        let length = usize::try_from(u32_at(rec + 12)?).ok()?;
        match tag {
            b"head" => head = Some((offset, length)),
            b"OS/2" => os2 = Some((offset, length)),
            b"hhea" => hhea = Some((offset, length)),
            _ => {}
        }
    }
    let (head_off, head_len) = head?;
    if head_len < 20 {
        return None;
    }
    let units_per_em = u16_at(head_off + 18)?;
    if units_per_em == 0 {
        return None;
    }
    // hhea: ascender, descender, lineGap (signed).
    let hhea = hhea.filter(|&(_, len)| len >= 10).and_then(|(off, _)| {
        let at = |o: usize| u16_at(off + o).map(|v| i32::from(v as i16));
        Some((at(4)?, at(6)?, at(8)?))
    });
    let (win_ascent, win_descent) = match os2.filter(|&(_, len)| len >= 78) {
        Some((off, _)) if u16_at(off + 74)? > 0 => (u16_at(off + 74)?, u16_at(off + 76)?),
        _ => {
            let (ascender, descender, _) = hhea?;
            (clamp_u16(ascender), clamp_u16(-descender))
        }
    };
    let external_leading = hhea.map_or(0, |(ascender, descender, line_gap)| {
        let win = i32::from(win_ascent) + i32::from(win_descent);
        clamp_u16(line_gap - (win - (ascender - descender)))
    });
    Some(FaceMetrics {
        units_per_em,
        win_ascent,
        win_descent,
        external_leading,
    })
}

fn clamp_u16(v: i32) -> u16 {
    u16::try_from(v.max(0)).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_metrics_match_times_new_roman() {
        let fonts = FontSet::builtin();
        for face in Face::ALL {
            let m = fonts.metrics(face).expect("built-in fonts parse");
            assert_eq!(m.units_per_em, 2048);
            assert_eq!((m.win_ascent, m.win_descent), (1825, 443));
            assert_eq!(m.external_leading, 87);
            // 12 pt Times New Roman, single spacing: Word's 13.8 pt line.
            let lh = m.line_height(12.0);
            assert!((lh - 13.8).abs() < 0.01, "{lh}");
            assert!((m.ascent(12.0) - 12.0 * 1912.0 / 2048.0).abs() < 1e-4);
        }
    }

    #[test]
    fn from_dir_is_case_insensitive_and_reports_missing_faces() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = FontSet::from_dir(dir.path()).expect_err("empty folder");
        assert!(matches!(
            err,
            FontError::NotFound {
                file: "times.ttf",
                ..
            }
        ));
        assert!(
            err.to_string()
                .starts_with("không tìm thấy phông times.ttf")
        );

        let src = FontSet::builtin();
        for (face, name) in
            Face::ALL
                .into_iter()
                .zip(["TIMES.TTF", "timesbd.ttf", "TimesI.ttf", "timesbi.TTF"])
        {
            std::fs::write(dir.path().join(name), src.bytes(face)).expect("write");
        }
        let set = FontSet::from_dir(dir.path()).expect("all four faces");
        assert_eq!(set.bytes(Face::Bold), src.bytes(Face::Bold));
        assert!(set.source_name(Face::Regular).ends_with("TIMES.TTF"));
    }

    #[test]
    fn from_dir_rejects_garbage() {
        let dir = tempfile::tempdir().expect("temp dir");
        for face in Face::ALL {
            std::fs::write(dir.path().join(face.times_file()), b"not a font").expect("write");
        }
        let err = FontSet::from_dir(dir.path()).expect_err("garbage");
        assert!(matches!(err, FontError::Invalid { .. }), "{err}");
    }

    #[test]
    fn missing_dir_is_an_error_not_a_panic() {
        let err = FontSet::from_dir(Path::new("/nonexistent/phuluc-fonts")).expect_err("no dir");
        assert!(matches!(err, FontError::ReadDir { .. }));
        assert!(
            err.to_diagnostic()
                .message
                .en
                .contains("cannot read font folder")
        );
    }
}
