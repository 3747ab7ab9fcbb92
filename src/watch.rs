//! Watching a plan file, its templates and its fonts for saves: shared by the preview
//! ([`crate::preview`]) and `render --watch`.
//!
//! Contract: [`Watch::new`] watches the *folder* of each plan file (not the file: editors
//! that save by writing a new file and renaming it over the old one — vim, VS Code,
//! Notepad++ — replace the inode a file watch would follow), plus the templates folder
//! (recursively) and the font folder when given. [`Watch::next`] blocks until a change
//! that matters (a plan file itself created, written, renamed or removed; anything in the
//! templates or fonts), then gathers whatever else arrives in the next [`BATCH`] — one
//! save is often several events — and returns once; it returns `None` once the `stop`
//! function given to [`Watch::new`] says so (the CLI's: Ctrl+C was pressed), looking at
//! it every [`POLL`]. Reads (ours included) are not changes, so a render never triggers
//! the next.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// The longest events are gathered after the first one of a save.
pub const BATCH: Duration = Duration::from_millis(50);

/// A save is over once no event has come for this long (editors write, rename and touch
/// within a few milliseconds): a batch ends after this quiet spell, within [`BATCH`].
pub const QUIET: Duration = Duration::from_millis(20);

/// How often a waiting loop looks at the stop function.
pub const POLL: Duration = Duration::from_millis(100);

/// Whether to stop watching (and serving): the CLI's says whether Ctrl+C was pressed.
pub type Stop = fn() -> bool;

/// What changed in one batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Plan files (as given to [`Watch::new`]) that changed.
    pub files: Vec<PathBuf>,
    /// Whether anything in the templates folder changed.
    pub templates: bool,
    /// Whether anything in the font folder changed.
    pub fonts: bool,
}

/// A running watch.
pub struct Watch {
    rx: Receiver<notify::Result<notify::Event>>,
    /// (as given, absolute path) of each plan file.
    files: Vec<(PathBuf, PathBuf)>,
    templates: Option<PathBuf>,
    fonts: Option<PathBuf>,
    stop: Stop,
    _watcher: RecommendedWatcher,
}

/// `path` made absolute (canonical folder + file name, so it matches what the watcher
/// reports even while the file itself is momentarily gone).
fn absolute(path: &Path) -> PathBuf {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = parent.canonicalize().unwrap_or(parent);
    match path.file_name() {
        Some(name) => parent.join(name),
        None => parent,
    }
}

impl Watch {
    /// Starts watching `files`' folders, `templates` and `fonts`, until `stop` says so.
    pub fn new(
        files: &[PathBuf],
        templates: Option<&Path>,
        fonts: Option<&Path>,
        stop: Stop,
    ) -> notify::Result<Watch> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })?;
        let files: Vec<(PathBuf, PathBuf)> =
            files.iter().map(|f| (f.clone(), absolute(f))).collect();
        let mut folders: Vec<PathBuf> = files
            .iter()
            .filter_map(|(_, abs)| abs.parent().map(Path::to_path_buf))
            .collect();
        folders.sort();
        folders.dedup();
        for folder in &folders {
            watcher.watch(folder, RecursiveMode::NonRecursive)?;
        }
        let templates = templates.map(|t| t.canonicalize().unwrap_or_else(|_| t.to_path_buf()));
        if let Some(t) = &templates {
            watcher.watch(t, RecursiveMode::Recursive)?;
        }
        let fonts = fonts.map(|f| f.canonicalize().unwrap_or_else(|_| f.to_path_buf()));
        if let Some(f) = &fonts {
            watcher.watch(f, RecursiveMode::NonRecursive)?;
        }
        Ok(Watch {
            rx,
            files,
            templates,
            fonts,
            stop,
            _watcher: watcher,
        })
    }

    /// Adds what `event` changed to `changes`; whether it mattered.
    fn note(&self, event: &notify::Event, changes: &mut Changes) -> bool {
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        let mut mattered = false;
        for path in &event.paths {
            for (given, abs) in &self.files {
                if path == abs && !changes.files.contains(given) {
                    changes.files.push(given.clone());
                    mattered = true;
                } else if path == abs {
                    mattered = true;
                }
            }
            if self.templates.as_ref().is_some_and(|t| path.starts_with(t)) {
                changes.templates = true;
                mattered = true;
            }
            if self.fonts.as_ref().is_some_and(|f| path.starts_with(f)) {
                changes.fonts = true;
                mattered = true;
            }
        }
        mattered
    }

    /// The next batch of changes; `None` once told to stop or when the watcher has
    /// stopped.
    pub fn next(&self) -> Option<Changes> {
        let mut changes = Changes::default();
        // Wait for the first change that matters.
        loop {
            if (self.stop)() {
                return None;
            }
            match self.rx.recv_timeout(POLL) {
                Ok(Ok(event)) => {
                    if self.note(&event, &mut changes) {
                        break;
                    }
                }
                // A watcher error (e.g. an event queue overflow): treat as "look again".
                Ok(Err(_)) => {
                    changes.files = self.files.iter().map(|(g, _)| g.clone()).collect();
                    break;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        // Gather the rest of the save: until a quiet spell, at most the batch window.
        let until = Instant::now() + BATCH;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left.min(QUIET)) {
                Ok(Ok(event)) => {
                    self.note(&event, &mut changes);
                }
                Ok(Err(_)) => {}
                Err(_) => break,
            }
        }
        Some(changes)
    }
}
