//! The preview: the printed pages of a plan in the browser, live while the clerk edits
//! (`phuluc preview FILE.yaml`), or the progress report of the plan from its filled-in
//! workbooks, live while they are saved (`--report WORKBOOK…`, [`ReportOf`]).
//!
//! Contract: [`Preview::start`] binds an HTTP server ([`crate::http`], axum on tokio) on
//! 127.0.0.1 only (the port
//! asked for, else the first free one from 3400, so a second preview picks the next),
//! starts watching the plan file's folder (and each workbook's), the templates and the font folder
//! ([`crate::watch`]) and renders once; [`Preview::serve`] then answers requests
//! (`routes.rs`: exactly the page and its script and style, compiled into the binary, no
//! CDN; the current pages as SVG, the SVG writer's, from the layout the PDF gets; a
//! manifest; a server-sent event stream of manifests (`sse.rs`); the .docx and PDF of what
//! is on screen) while each save is re-rendered on a thread of its own and pushed
//! (`state.rs`). When the plan cannot be rendered, the last good pages stay (dimmed) and
//! the diagnostics come on top, rendered exactly as `check` prints them; the next good
//! save clears them. No path from the URL ever reaches the file system; a request whose
//! `Host` is not the server's own loopback address (DNS rebinding) is refused. Serving
//! ends when the `stop` function says so (the CLI's: Ctrl+C): event streams end, requests
//! in flight finish. No HTTP request can panic it. The routes are one [`axum::Router`]
//! (`routes::router`), kept apart from the state, so more routes are one `.route` each.

mod api;
mod respond;
mod routes;
mod sse;
mod state;

use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::diag::{Diagnostic, Lang};
use crate::document::Date;
use crate::text;
use crate::watch::{Stop, Watch};
use state::{Inputs, Shared, rebuild};

/// The first port tried, and how many after it.
const FIRST_PORT: u16 = 3400;
const PORTS_TRIED: u16 = 100;

/// The connection limits of the preview's server.
const LIMITS: crate::http::Limits = crate::http::Limits {
    headers: Duration::from_secs(10),
    drain: Duration::from_secs(5),
};

/// What to preview and how.
#[derive(Debug, Clone, Copy)]
pub struct Config<'a> {
    /// The plan file.
    pub file: &'a Path,
    /// An extra templates folder.
    pub templates: Option<&'a Path>,
    /// The office's Times New Roman.
    pub font_dir: Option<&'a Path>,
    /// The port; `None`: the first free one from 3400.
    pub port: Option<u16>,
    /// The language of the messages shown.
    pub lang: Lang,
    /// With `--report`: show the progress report of the plan from these workbooks
    /// instead of the plan's appendices.
    pub report: Option<ReportOf<'a>>,
}

/// The progress report to preview (`phuluc preview PLAN --report WORKBOOK…`).
#[derive(Debug, Clone, Copy)]
pub struct ReportOf<'a> {
    /// The filled-in workbooks, in `phuluc report`'s order of precedence; a save of any
    /// of them re-renders.
    pub workbooks: &'a [PathBuf],
    /// The report's date.
    pub as_of: Date,
}

/// A preview started: bound, watching, rendered once.
pub struct Preview {
    listener: TcpListener,
    runtime: tokio::runtime::Runtime,
    shared: Arc<Shared>,
    watch: Watch,
    inputs: Inputs,
    stop: Stop,
    port: u16,
}

impl Preview {
    /// Binds the server, starts the watch and renders the plan once; serving and
    /// watching stop once `stop` says so.
    pub fn start(config: &Config<'_>, stop: Stop) -> Result<Preview, Diagnostic> {
        let listener = bind(config.port)?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        listener
            .set_nonblocking(true)
            .map_err(|e| server_error(&e.to_string()))?;
        // Two workers: the page, its event stream and a download at once; renders run
        // on their own thread, downloads on tokio's blocking pool.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| server_error(&e.to_string()))?;
        // The plan and, with a report, its workbooks: a save of any of them re-renders.
        let watched: Vec<PathBuf> = std::iter::once(config.file.to_path_buf())
            .chain(
                config
                    .report
                    .iter()
                    .flat_map(|r| r.workbooks.iter().cloned()),
            )
            .collect();
        let watch = Watch::new(&watched, config.templates, config.font_dir, stop).map_err(|e| {
            Diagnostic::error(text!(
                format!("không theo dõi được thư mục của tệp: {e}"),
                format!("cannot watch the file's folder: {e}")
            ))
            .in_file(config.file)
        })?;
        let shared = Arc::new(Shared::new(
            config.file,
            config.templates,
            config.lang,
            port,
            config.report.is_some(),
        ));
        let mut inputs = Inputs::new(config.file, config.templates, config.font_dir);
        inputs.report = config.report.map(|r| (r.workbooks.to_vec(), r.as_of));
        rebuild(&shared, &mut inputs, true, true);
        Ok(Preview {
            listener,
            runtime,
            shared,
            watch,
            inputs,
            stop,
            port,
        })
    }

    /// The address to open: `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Serves requests and renders on every save until told to stop.
    pub fn serve(self) {
        let Preview {
            listener,
            runtime,
            shared,
            watch,
            mut inputs,
            stop,
            ..
        } = self;
        // Renders on every save, on its own thread; the server answers meanwhile.
        let renderer = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                while let Some(changes) = watch.next() {
                    rebuild(&shared, &mut inputs, changes.templates, changes.fonts);
                }
            })
        };
        let app = routes::router(Arc::clone(&shared));
        let stopping = Arc::clone(&shared);
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            let shutdown = async move {
                while !stop() {
                    tokio::time::sleep(crate::watch::POLL).await;
                }
                // The event streams end, so the connections they hold can close.
                stopping.stop();
            };
            crate::http::serve(listener, app, LIMITS, shutdown).await;
        });
        runtime.shutdown_timeout(Duration::from_secs(1));
        let _ = renderer.join();
    }
}

fn server_error(detail: &str) -> Diagnostic {
    Diagnostic::error(text!(
        format!("không mở được máy chủ xem trước: {detail}"),
        format!("cannot start the preview server: {detail}")
    ))
}

/// A listener on 127.0.0.1: port `port`, or the first free one from 3400.
fn bind(port: Option<u16>) -> Result<TcpListener, Diagnostic> {
    let at = |p: u16| TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, p));
    if let Some(p) = port {
        return at(p).map_err(|e| {
            server_error(&format!("127.0.0.1:{p}: {e}")).hint(text!(
                "Chọn cổng khác với --port, hoặc bỏ --port để phuluc tự tìm cổng trống.",
                "Choose another port with --port, or drop --port to let phuluc find a free one."
            ))
        });
    }
    (FIRST_PORT..FIRST_PORT.saturating_add(PORTS_TRIED))
        .find_map(|p| at(p).ok())
        .ok_or_else(|| {
            server_error(&format!(
                "127.0.0.1:{FIRST_PORT}–{}",
                FIRST_PORT + PORTS_TRIED - 1
            ))
            .hint(text!(
                "Mọi cổng từ 3400 đều bận; chọn một cổng với --port.",
                "Every port from 3400 is busy; choose one with --port."
            ))
        })
}
