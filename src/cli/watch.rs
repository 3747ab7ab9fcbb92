//! Ctrl+C, and `render --watch`'s loop: render again on every save, one line per render.
//!
//! Contract: [`catch_ctrl_c`] installs the process's Ctrl+C handler once; [`stop_requested`]
//! is the stop function the library's watcher and preview look at. [`rerender`] watches the
//! files of a `render` (with [`phuluc::watch::Watch`]) and, after each save, renders the
//! files saved (all of them when the templates or fonts change), printing what was
//! written or the problems and that nothing was, until Ctrl+C.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang};
use phuluc::pdf::PdfOptions;
use phuluc::text;
use phuluc::watch::Watch;

use super::batch::FileReport;
use super::shared::{Outcome, load_fonts};

static STOP: AtomicBool = AtomicBool::new(false);
static HANDLER: OnceLock<bool> = OnceLock::new();

/// Installs the Ctrl+C handler (once per process); `false` if the system refused it, in
/// which case Ctrl+C ends the process the default way.
pub fn catch_ctrl_c() -> bool {
    *HANDLER.get_or_init(|| ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst)).is_ok())
}

/// Whether Ctrl+C has been pressed.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// What `render --watch` watches: the plan files and the folders they are rendered with.
pub struct Watched<'a> {
    /// The plan files.
    pub files: &'a [PathBuf],
    /// `--templates`.
    pub templates: Option<&'a Path>,
    /// `--font-dir`.
    pub font_dir: Option<&'a Path>,
}

/// `--watch`: after the first render, renders again each file that is saved, printing
/// one line per render, until Ctrl+C.
pub fn rerender(
    args: &Watched<'_>,
    lang: Lang,
    mut templates: Templates,
    mut pdf: PdfOptions,
    render_one: impl Fn(&Path, &Templates, &PdfOptions) -> FileReport,
) -> Outcome {
    let watch = match Watch::new(args.files, args.templates, args.font_dir, stop_requested) {
        Ok(w) => w,
        Err(e) => {
            super::shared::report(
                &[Diagnostic::error(text!(
                    format!("không theo dõi được thư mục của tệp: {e}"),
                    format!("cannot watch the files' folders: {e}")
                ))],
                lang,
            );
            return Outcome::Failed;
        }
    };
    catch_ctrl_c();
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "Đang theo dõi {} tệp: lưu tệp là tạo lại (Ctrl+C để dừng).",
                args.files.len()
            ),
            Lang::En => format!(
                "Watching {} file(s): each save renders again (Ctrl+C to stop).",
                args.files.len()
            ),
        }
    );
    let mut count = 1usize;
    while let Some(changes) = watch.next() {
        // A broken template or font folder is reported and the old one kept until fixed.
        if changes.templates {
            match Templates::load(args.templates) {
                Ok(t) => templates = t,
                Err(diags) => super::shared::report(&diags, lang),
            }
        }
        if changes.fonts {
            match load_fonts(args.font_dir, lang) {
                Ok(f) => pdf = PdfOptions::new(f),
                Err(_) => continue,
            }
        }
        let files = if changes.templates || changes.fonts {
            args.files.to_vec()
        } else {
            changes.files
        };
        for file in &files {
            count += 1;
            let start = std::time::Instant::now();
            let report = render_one(file, &templates, &pdf);
            let ms = start.elapsed().as_millis();
            print_render(&report, count, file, ms, lang);
        }
    }
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => "Đã dừng theo dõi.",
            Lang::En => "Stopped watching.",
        }
    );
    Outcome::Clean
}

/// The line of render number `count` of `file`: what was written, or the problems and
/// that nothing was.
fn print_render(report: &FileReport, count: usize, file: &Path, ms: u128, lang: Lang) {
    if report.outcome() == Outcome::Clean {
        let written = report
            .written()
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let warnings = report.warnings();
        eprintln!(
            "{}",
            match lang {
                Lang::Vi =>
                    format!("lần {count}: đã ghi {written} — {warnings} cảnh báo ({ms} ms)"),
                Lang::En =>
                    format!("render {count}: wrote {written} — {warnings} warning(s) ({ms} ms)"),
            }
        );
        return;
    }
    for line in report.lines() {
        eprintln!("{line}");
    }
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "lần {count}: {} có lỗi, chưa ghi gì — tệp cũ vẫn giữ nguyên ({ms} ms)",
                file.display()
            ),
            Lang::En => format!(
                "render {count}: {} has problems, nothing written — the old files stay ({ms} ms)",
                file.display()
            ),
        }
    );
}
