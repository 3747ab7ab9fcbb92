//! The preview's state: the last good render, the problems of the latest one, and how a
//! render is made and published.
//!
//! Contract: [`rebuild`] reloads what changed (templates, fonts), renders the plan (or,
//! with a report, [`crate::report::document`] of it and its workbooks) as the SVG writer
//! draws it and publishes the result under the lock in one assignment per
//! field: good pages replace the shown ones and clear the problems; a failed render keeps
//! the last good pages and sets the problems (rendered exactly as `check` prints them),
//! with the warnings found beside them. Every publication bumps the generation and wakes
//! the event streams (a `tokio::sync::watch` channel of the generation; `None` once the
//! preview stops). [`manifest`] is what the page reads to bring itself up to date.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde_json::{Value, json};

use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, Lang, Severity, ToDiagnostic};
use crate::document::{Date, Document};
use crate::fonts::FontSet;
use crate::svg::{SvgError, SvgOptions};

/// The last good render: what is on screen.
pub(super) struct Shown {
    pub(super) document: Document,
    pub(super) fonts: FontSet,
    pub(super) pages: Vec<ShownPage>,
    pub(super) defs: String,
    /// Glyph definitions by id, for a page that has most of them already.
    pub(super) glyphs: BTreeMap<String, String>,
    /// Changes whenever the fonts are reloaded: glyph ids then mean other outlines.
    fonts_generation: u64,
    /// Per part: its name and the index of its first page.
    parts: Vec<(String, Option<usize>)>,
}

/// One page on screen.
pub(super) struct ShownPage {
    /// The page's inline SVG, gzipped: served so to a browser that takes gzip (all do),
    /// unpacked for one that does not.
    pub(super) gz: Vec<u8>,
    hash: String,
    part: usize,
    index_in_part: usize,
    width: f32,
    height: f32,
    /// The first and last plan-file lines its rows and fields start at (the page a
    /// message's line is on), `None` for a page of no origins.
    lines: Option<(u32, u32)>,
}

/// What changes with each render.
#[derive(Default)]
pub(super) struct State {
    pub(super) generation: u64,
    pub(super) shown: Option<Arc<Shown>>,
    errors: Vec<Noted>,
    warnings: Vec<Noted>,
    render_ms: u128,
}

/// A message with the key of the field its line:column is in ([`field_at`]), found once
/// in the text it was made from.
type Noted = (Diagnostic, Option<String>);

/// What every request and the renderer share.
pub(super) struct Shared {
    state: Mutex<State>,
    /// The generation published last; `None` once the preview stops.
    pub(super) updates: tokio::sync::watch::Sender<Option<u64>>,
    lang: Lang,
    /// The plan file as given (messages) and absolute (editor links).
    file: PathBuf,
    file_abs: PathBuf,
    pub(super) stem: String,
    /// `Host` values this server answers to.
    pub(super) hosts: [String; 2],
    /// Event streams open.
    pub(super) streams: AtomicUsize,
    /// The page's token: every changing request carries it.
    pub(super) token: String,
    /// The clerk's edits of the file.
    session: Mutex<crate::edit::Session>,
}

impl Shared {
    /// The state of the preview of `file` in `lang`, served on `port`. With `report`, the
    /// downloads are named `<stem>-bao-cao`, as `phuluc report`'s.
    pub(super) fn new(
        file: &Path,
        templates: Option<&Path>,
        lang: Lang,
        port: u16,
        report: bool,
    ) -> Shared {
        Shared {
            token: token(),
            session: Mutex::new(crate::edit::Session::new(file, templates)),
            state: Mutex::new(State::default()),
            updates: tokio::sync::watch::Sender::new(Some(0)),
            lang,
            file: file.to_path_buf(),
            file_abs: file.canonicalize().unwrap_or_else(|_| file.to_path_buf()),
            stem: file.file_stem().map_or_else(
                || "phu-luc".to_owned(),
                |s| {
                    let stem = s.to_string_lossy();
                    if report {
                        format!("{stem}-bao-cao")
                    } else {
                        stem.into_owned()
                    }
                },
            ),
            hosts: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
            streams: AtomicUsize::new(0),
        }
    }

    /// Ends the event streams: the preview is stopping.
    pub(super) fn stop(&self) {
        self.updates.send_replace(None);
    }

    /// The language of the messages.
    pub(super) fn lang(&self) -> Lang {
        self.lang
    }

    /// The edit session, one edit at a time.
    pub(super) fn session(&self) -> MutexGuard<'_, crate::edit::Session> {
        // Each edit is one atomic write: a poisoned lock leaves no half-done file.
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-written (every
        // update is one assignment), so a poisoned lock is still good to read.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// 128 random bits in hex, from the system's random source (else from the clock and
/// the process: the token only has to be unknown to other pages).
fn token() -> String {
    use std::io::Read as _;
    let mut bytes = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        let seed = format!(
            "{:?}{}{:p}",
            std::time::SystemTime::now(),
            std::process::id(),
            &bytes
        );
        return crate::edit::version(seed.as_bytes())[..32].to_owned();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a render reads besides the plan file, reloaded when its folder changes.
pub(super) struct Inputs {
    file: PathBuf,
    templates_dir: Option<PathBuf>,
    font_dir: Option<PathBuf>,
    templates: Result<Templates, Vec<Diagnostic>>,
    fonts: Result<FontSet, Diagnostic>,
    fonts_generation: u64,
    /// With a report: the workbooks and the report's date.
    pub(super) report: Option<(Vec<PathBuf>, Date)>,
}

impl Inputs {
    /// Nothing loaded yet: the first [`rebuild`] loads both.
    pub(super) fn new(file: &Path, templates: Option<&Path>, fonts: Option<&Path>) -> Self {
        Inputs {
            file: file.to_path_buf(),
            templates_dir: templates.map(Path::to_path_buf),
            font_dir: fonts.map(Path::to_path_buf),
            templates: Err(Vec::new()),
            fonts: Ok(FontSet::builtin()),
            fonts_generation: 0,
            report: None,
        }
    }

    fn reload(&mut self, templates: bool, fonts: bool) {
        if templates {
            self.templates = Templates::load(self.templates_dir.as_deref());
        }
        if fonts {
            self.fonts_generation += 1;
            self.fonts = match &self.font_dir {
                None => Ok(FontSet::builtin()),
                Some(dir) => FontSet::from_dir(dir).map_err(|e| e.to_diagnostic().in_file(dir)),
            };
        }
    }
}

/// Renders the plan and publishes the result (good pages, or the problems).
pub(super) fn rebuild(shared: &Shared, inputs: &mut Inputs, templates: bool, fonts: bool) {
    let start = Instant::now();
    inputs.reload(templates, fonts);
    let outcome = render(inputs);
    let ms = start.elapsed().as_millis();
    // Each message's field, from the text the render read (read again only when there
    // is a message to place).
    let messages = match &outcome {
        Ok((_, warnings)) => warnings.len(),
        Err(diags) => diags.len(),
    };
    let source = if messages > 0 {
        std::fs::read_to_string(&inputs.file).unwrap_or_default()
    } else {
        String::new()
    };
    let lines: Vec<&str> = source.lines().collect();
    let note = |d: Diagnostic| -> Noted {
        let field = d
            .pos
            .and_then(|p| field_at(&lines, p.line as usize, p.column as usize));
        (d, field)
    };
    let mut state = shared.lock();
    state.generation += 1;
    let generation = state.generation;
    state.render_ms = ms;
    match outcome {
        Ok((shown, warnings)) => {
            state.shown = Some(Arc::new(shown));
            state.errors.clear();
            state.warnings = warnings.into_iter().map(note).collect();
        }
        Err(diags) => {
            // The last good pages stay; warnings found with the errors are listed too.
            let (errors, warnings): (Vec<_>, Vec<_>) =
                diags.into_iter().partition(Diagnostic::is_error);
            state.errors = errors.into_iter().map(note).collect();
            // A file that does not parse has no warnings to find: the last good render's
            // stay listed and counted, rather than the count dropping to 0 meanwhile.
            if !warnings.is_empty() || state.shown.is_none() {
                state.warnings = warnings.into_iter().map(note).collect();
            }
        }
    }
    drop(state);
    // Once stopping, stays stopped.
    shared.updates.send_if_modified(|current| {
        let live = current.is_some();
        if live {
            *current = Some(generation);
        }
        live
    });
}

fn render(inputs: &Inputs) -> Result<(Shown, Vec<Diagnostic>), Vec<Diagnostic>> {
    let templates = inputs.templates.as_ref().map_err(Clone::clone)?;
    let fonts = inputs.fonts.as_ref().map_err(|d| vec![d.clone()])?;
    // The plan's appendices, or its progress report: the same pages either way.
    let (document, warnings) = match &inputs.report {
        None => {
            let prepared = crate::prepare(&inputs.file, templates)?;
            (prepared.document, prepared.warnings)
        }
        Some((workbooks, as_of)) => {
            let (_, document, warnings) =
                crate::report::document(&inputs.file, workbooks, *as_of, templates)?;
            (document, warnings)
        }
    };
    let options = SvgOptions {
        fonts: fonts.clone(),
    };
    let mut pages = crate::svg::svg(&document, &options).map_err(|e| {
        let d = match &e {
            SvgError::Layout(layout) => layout.to_diagnostic(),
            other => other.to_diagnostic(),
        };
        let mut all = warnings.clone();
        all.push(d.in_file(&inputs.file));
        all
    })?;
    let shown_pages = (0..pages.pages.len())
        .filter_map(|i| {
            let html = pages.take_inline(i)?;
            let page = &pages.pages[i];
            Some(ShownPage {
                hash: hash(&html),
                part: page.part,
                index_in_part: page.index_in_part,
                width: page.width,
                height: page.height,
                lines: source_lines(&html),
                gz: gzip(html.as_bytes()),
            })
        })
        .collect::<Vec<_>>();
    let parts = document
        .parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p.outline.clone(),
                shown_pages.iter().position(|s| s.part == i),
            )
        })
        .collect();
    Ok((
        Shown {
            defs: pages.defs(),
            glyphs: pages.definitions().into_iter().collect(),
            fonts_generation: inputs.fonts_generation,
            pages: shown_pages,
            parts,
            fonts: fonts.clone(),
            document,
        },
        warnings,
    ))
}

/// `bytes` gzipped at the fastest level (a page's SVG shrinks about 7×; a page takes well
/// under a millisecond).
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 5),
        flate2::Compression::fast(),
    );
    // Writing to a Vec cannot fail.
    let _ = out.write_all(bytes);
    out.finish().unwrap_or_default()
}

/// A page's SVG from its gzipped bytes (for a client that takes no gzip).
pub(super) fn gunzip(gz: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    let mut out = Vec::with_capacity(gz.len() * 7);
    let _ = flate2::read::GzDecoder::new(gz).read_to_end(&mut out);
    out
}

/// The least and greatest line of the `data-src="LINE:COL"` attributes in `html`.
fn source_lines(html: &str) -> Option<(u32, u32)> {
    let mut range: Option<(u32, u32)> = None;
    for piece in html.split("data-src=\"").skip(1) {
        let Some(line) = piece.split(':').next().and_then(|l| l.parse::<u32>().ok()) else {
            continue;
        };
        range = Some(range.map_or((line, line), |(a, b)| (a.min(line), b.max(line))));
    }
    range
}

/// The key of the mapping entry that `line`:`column` (1-based) of the YAML text `lines`
/// is in — on that line before the column, else on the nearest line above indented less
/// — so that a message can open the editor on its cell. `None` where there is no key.
fn field_at(lines: &[&str], line: usize, column: usize) -> Option<String> {
    let here = lines.get(line.checked_sub(1)?)?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    let key = |l: &str, before: usize| -> Option<String> {
        let body = l.trim_start();
        let body = body.strip_prefix("- ").unwrap_or(body).trim_start();
        let start = l.len() - body.len();
        let (name, _) = body.split_once(':')?;
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        (ok && start < before).then(|| name.to_owned())
    };
    if let Some(k) = key(here, column) {
        return Some(k);
    }
    let mut limit = indent(here);
    for l in lines[..line - 1].iter().rev() {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        if indent(l) < limit {
            if let Some(k) = key(l, usize::MAX) {
                return Some(k);
            }
            limit = indent(l);
        }
    }
    None
}

/// FNV-1a, 64 bits, in hex: a page's identity, to send only pages that changed.
fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The manifest: everything the page needs to bring itself up to date.
pub(super) fn manifest(shared: &Shared, state: &State) -> Value {
    let diag = |(d, field): &Noted| {
        json!({
            "text": d.render(shared.lang),
            "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "line": d.pos.map(|p| p.line),
            "column": d.pos.map(|p| p.column),
            "field": field,
        })
    };
    let shown = state.shown.as_deref();
    json!({
        "generation": state.generation,
        "ok": state.errors.is_empty() && shown.is_some(),
        "lang": match shared.lang { Lang::Vi => "vi", Lang::En => "en" },
        "file": shared.file.display().to_string(),
        "editor": editor_link(&shared.file_abs),
        "errors": state.errors.iter().map(diag).collect::<Vec<_>>(),
        "warnings": state.warnings.iter().map(diag).collect::<Vec<_>>(),
        "render_ms": state.render_ms,
        "fonts": shown.map(|s| s.fonts_generation),
        "glyphs": shown.map_or_else(Vec::new, |s| s.glyphs.keys().cloned().collect()),
        "parts": shown.map_or_else(Vec::new, |s| s.parts.iter().map(|(name, first)| {
            json!({"name": name, "first": first})
        }).collect()),
        "pages": shown.map_or_else(Vec::new, |s| s.pages.iter().map(|p| json!({
            "hash": p.hash,
            "part": p.part,
            "page": p.index_in_part,
            "width": p.width,
            "height": p.height,
            "lines": p.lines.map(|(a, b)| [a, b]),
        })).collect()),
    })
}

/// `vscode://file/ABS_PATH` (to which the page appends `:LINE:COL`), the path
/// percent-encoded where a URL needs it.
fn editor_link(abs: &Path) -> String {
    let path = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from("vscode://file");
    if !path.starts_with('/') {
        out.push('/');
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_links_encode_the_path() {
        assert_eq!(
            editor_link(Path::new("/home/a b/kế hoạch.yaml")),
            "vscode://file/home/a%20b/k%E1%BA%BF%20ho%E1%BA%A1ch.yaml"
        );
        assert_eq!(
            editor_link(Path::new("C:\\Users\\x.yaml")),
            "vscode://file/C:/Users/x.yaml"
        );
    }

    #[test]
    fn a_message_names_the_field_it_is_in() {
        let text = "plan:\n  number: ~\nappendices:\n  - items:\n      - muc_tieu: >-\n          dài\n          nữa\n        chu_tri: UBND\n";
        let src: Vec<&str> = text.lines().collect();
        let src = src.as_slice();
        assert_eq!(field_at(src, 2, 11).as_deref(), Some("number"));
        assert_eq!(field_at(src, 5, 9).as_deref(), Some("muc_tieu"));
        assert_eq!(field_at(src, 5, 19).as_deref(), Some("muc_tieu"));
        assert_eq!(field_at(src, 7, 11).as_deref(), Some("muc_tieu"));
        assert_eq!(field_at(src, 8, 18).as_deref(), Some("chu_tri"));
        assert_eq!(field_at(src, 99, 1), None);
        assert_eq!(field_at(&[], 1, 1), None);
        assert_eq!(
            source_lines("<g data-src=\"12:3\"><rect data-src=\"40:7\"/><x data-src=\"9:1\">"),
            Some((9, 40))
        );
        assert_eq!(source_lines("<svg/>"), None);
        let svg = "<svg>Ủy ban nhân dân</svg>".repeat(50);
        let gz = gzip(svg.as_bytes());
        assert!(gz.len() < svg.len() / 5);
        assert_eq!(gunzip(&gz), svg.as_bytes());
    }

    #[test]
    fn page_hashes_differ_with_content() {
        assert_eq!(hash("a"), hash("a"));
        assert_ne!(hash("a"), hash("b"));
        assert_eq!(hash("").len(), 16);
    }
}
