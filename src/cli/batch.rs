//! Many files at once: `phuluc render data/*.yaml` renders them side by side.
//!
//! Contract: each file is rendered on its own (one bad file is reported and the others
//! still render); a worker per core takes the next file; each file's messages are printed
//! together, in the order the files were given, so the output reads the same however the
//! work was shared out. On a terminal, a progress line counts the files done. A panic while
//! rendering one file (a bug of ours) is reported for that file as the tool's failure and
//! the batch goes on. The batch's outcome is the worst of its files'.

use std::io::{IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use phuluc::diag::{Diagnostic, Lang};
use phuluc::render::internal_error;

use super::shared::Outcome;

/// Stack size of a worker thread: that of a main thread on Linux (8 MiB), which the
/// parser's depth budget was set for.
const WORKER_STACK: usize = 8 << 20;

/// What one file's render printed and how it ended.
pub struct FileReport {
    lang: Lang,
    lines: Vec<String>,
    outcome: Outcome,
    written: Vec<PathBuf>,
    warnings: usize,
}

impl FileReport {
    /// An empty report, messages in `lang`.
    pub fn new(lang: Lang) -> Self {
        FileReport {
            lang,
            lines: Vec::new(),
            outcome: Outcome::Clean,
            written: Vec::new(),
            warnings: 0,
        }
    }

    /// Records that `path` was written, with its line.
    pub fn wrote(&mut self, path: &Path) {
        self.line(format!(
            "{} {}",
            match self.lang {
                Lang::Vi => "đã ghi",
                Lang::En => "wrote",
            },
            path.display()
        ));
        self.written.push(path.to_path_buf());
    }

    /// The lines, in order.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// How the file ended.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The files written.
    pub fn written(&self) -> &[PathBuf] {
        &self.written
    }

    /// How many warnings were reported.
    pub fn warnings(&self) -> usize {
        self.warnings
    }

    /// Adds diagnostics, rendered in the report's language.
    pub fn diagnostics(&mut self, diags: &[Diagnostic]) {
        self.warnings += diags.iter().filter(|d| !d.is_error()).count();
        self.lines.extend(diags.iter().map(|d| d.render(self.lang)));
    }

    /// Adds a plain line.
    pub fn line(&mut self, line: String) {
        self.lines.push(line);
    }

    /// The report, finished with `outcome`.
    pub fn ended(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }
}

/// Renders every file with `render`, on as many threads as there are cores (at most one
/// per file), and prints each file's report in the order given.
pub fn run<F>(files: &[PathBuf], lang: Lang, render: F) -> Outcome
where
    F: Fn(&Path) -> FileReport + Sync,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len())
        .max(1);
    let progress = Progress::new(files.len(), lang);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, FileReport)>();
    let render_guarded = |file: &Path| {
        catch_unwind(AssertUnwindSafe(|| render(file))).unwrap_or_else(|_| {
            let mut report = FileReport::new(lang);
            report.diagnostics(&[internal_error(file)]);
            report.ended(Outcome::Failed)
        })
    };

    // Files that ended clean, with problems, with the tool failing.
    let mut counts = [0usize; 3];
    let work = |tx: mpsc::Sender<(usize, FileReport)>| {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = files.get(index) else {
                break;
            };
            if tx.send((index, render_guarded(file))).is_err() {
                break;
            }
        }
    };
    std::thread::scope(|scope| {
        if workers == 1 {
            // One file (or one core): no thread to start, the main thread's stack.
            work(tx.clone());
        } else {
            for _ in 0..workers {
                let worker_tx = tx.clone();
                let work = &work;
                // The main thread's stack size, not a spawned thread's 2 MiB: parsing is
                // bounded in depth, and the bound was set for the main thread's stack.
                let spawned = std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, move || work(worker_tx));
                if spawned.is_err() {
                    // No thread to be had: the files left are done here.
                    work(tx.clone());
                    break;
                }
            }
        }
        drop(tx);

        // Reports arrive in any order; each is printed once all before it are.
        let mut waiting: Vec<Option<FileReport>> = (0..files.len()).map(|_| None).collect();
        let (mut printed, mut done) = (0usize, 0usize);
        for (index, report) in rx {
            done += 1;
            if let Some(slot) = waiting.get_mut(index) {
                *slot = Some(report);
            }
            progress.clear();
            while let Some(report) = waiting.get_mut(printed).and_then(Option::take) {
                for line in &report.lines {
                    eprintln!("{line}");
                }
                counts[match report.outcome {
                    Outcome::Clean => 0,
                    Outcome::Problems => 1,
                    Outcome::Failed => 2,
                }] += 1;
                printed += 1;
            }
            progress.show(done);
        }
        progress.clear();
    });
    if files.len() > 1 {
        eprintln!("{}", summary(&counts, lang));
    }
    // The worst of the files': the tool's failure, then problems, then clean.
    match counts {
        [_, _, failed] if failed > 0 => Outcome::Failed,
        [_, problems, _] if problems > 0 => Outcome::Problems,
        _ => Outcome::Clean,
    }
}

/// The closing line of a batch: how many files were rendered and how many were not.
fn summary(counts: &[usize; 3], lang: Lang) -> String {
    let [clean, problems, failed] = *counts;
    let total = clean + problems + failed;
    match lang {
        Lang::Vi => format!(
            "{total} tệp: {clean} tệp đã tạo xong, {problems} tệp có lỗi nội dung, {failed} tệp không xử lý được"
        ),
        Lang::En => format!(
            "{total} files: {clean} rendered, {problems} with problems in the input, {failed} could not be processed"
        ),
    }
}

/// The progress line, drawn only when stderr is a terminal and there are several files.
struct Progress {
    total: usize,
    lang: Lang,
    shown: bool,
}

impl Progress {
    fn new(total: usize, lang: Lang) -> Self {
        Progress {
            total,
            lang,
            shown: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, done: usize) {
        if !self.shown || done >= self.total {
            return;
        }
        const WIDTH: usize = 30;
        let filled = WIDTH * done / self.total.max(1);
        let label = match self.lang {
            Lang::Vi => "tệp",
            Lang::En => "files",
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] {done}/{} {label}",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            self.total
        );
        let _ = err.flush();
    }

    fn clear(&self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            // Carriage return, then erase the line: the next message starts clean.
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}
