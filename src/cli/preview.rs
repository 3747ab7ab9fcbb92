//! `phuluc preview FILE.yaml`: the printed pages in the browser, live while the clerk edits.
//!
//! Contract: a small HTTP server on 127.0.0.1 only (`--port N`, else the first free port
//! from 3400, so a second preview picks the next), printing its address and opening the
//! browser unless `--no-open`. It serves exactly: the page and its script and style
//! (compiled into the binary, no CDN), the current pages as SVG (the SVG writer's, from
//! the layout the PDF gets), a manifest, a server-sent event stream of manifests, and the
//! .docx and PDF of what is on screen. No path from the URL ever reaches the file
//! system; a request whose `Host` is not this server's own loopback address (DNS
//! rebinding) is refused; anything else is 404. The plan file's folder, the templates
//! and the font folder are watched (`watch`); each save is re-rendered and pushed. When
//! the plan cannot be rendered, the last good pages stay (dimmed) and the diagnostics
//! come on top, rendered exactly as `check` prints them; the next good save clears
//! them. Ctrl+C stops the server cleanly (exit 0). No HTTP request can panic it.

use std::fmt::Write as _;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use clap::Args;
use phuluc::compose::templates::Templates;
use phuluc::diag::{Diagnostic, Lang, Severity};
use phuluc::document::Document;
use phuluc::fonts::FontSet;
use phuluc::pdf::PdfOptions;
use phuluc::svg::{SvgError, SvgOptions};
use phuluc::text;
use serde_json::{Value, json};
use tiny_http::{Header, Method, Request, Response, Server};

use super::Outcome;
use super::render::{layout_problem, svg_sources};
use super::watch::{Watch, catch_ctrl_c, stop_requested};

const INDEX_HTML: &str = include_str!("preview/index.html");
const APP_JS: &str = include_str!("preview/app.js");
const APP_CSS: &str = include_str!("preview/app.css");

/// The first port tried, and how many after it.
const FIRST_PORT: u16 = 3400;
const PORTS_TRIED: u16 = 100;

/// Requests served at once (an event stream holds one for as long as its tab is open);
/// beyond, 503.
const MAX_REQUESTS: usize = 64;

/// How often an idle event stream says it is alive (and looks at Ctrl+C).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "FILE.yaml")]
    file: PathBuf,
    /// Cổng (mặc định: cổng trống đầu tiên từ 3400) / port (default: first free from 3400)
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    /// Không tự mở trình duyệt / do not open the browser
    #[arg(long)]
    no_open: bool,
    /// Thư mục mẫu bổ sung / extra templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Phông Times New Roman của cơ quan / the office's Times New Roman
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
}

/// The last good render: what is on screen.
struct Shown {
    document: Document,
    fonts: FontSet,
    pages: Vec<ShownPage>,
    defs: String,
    /// Glyph definitions by id, for a page that has most of them already.
    glyphs: std::collections::BTreeMap<String, String>,
    /// Changes whenever the fonts are reloaded: glyph ids then mean other outlines.
    fonts_generation: u64,
    /// Per part: its name and the index of its first page.
    parts: Vec<(String, Option<usize>)>,
}

struct ShownPage {
    html: String,
    hash: String,
    part: usize,
    index_in_part: usize,
    width: f32,
    height: f32,
}

#[derive(Default)]
struct State {
    generation: u64,
    shown: Option<Arc<Shown>>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    render_ms: u128,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    lang: Lang,
    /// The plan file as given (messages) and absolute (editor links).
    file: PathBuf,
    file_abs: PathBuf,
    stem: String,
    /// `Host` values this server answers to.
    hosts: [String; 2],
    busy: AtomicUsize,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-written (every
        // update is one assignment), so a poisoned lock is still good to read.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub fn run(args: &PreviewArgs, lang: Lang) -> Outcome {
    let listener = match bind(args.port) {
        Ok(l) => l,
        Err(d) => {
            super::report(&[d], lang);
            return Outcome::Failed;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let server = match Server::from_listener(listener, None) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            super::report(&[server_error(&e.to_string())], lang);
            return Outcome::Failed;
        }
    };
    let watch = match Watch::new(
        std::slice::from_ref(&args.file),
        args.templates.as_deref(),
        args.font_dir.as_deref(),
    ) {
        Ok(w) => w,
        Err(e) => {
            super::report(
                &[Diagnostic::error(text!(
                    format!("không theo dõi được thư mục của tệp: {e}"),
                    format!("cannot watch the file's folder: {e}")
                ))
                .in_file(&args.file)],
                lang,
            );
            return Outcome::Failed;
        }
    };
    catch_ctrl_c();
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
        lang,
        file: args.file.clone(),
        file_abs: args
            .file
            .canonicalize()
            .unwrap_or_else(|_| args.file.clone()),
        stem: args.file.file_stem().map_or_else(
            || "phu-luc".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        ),
        hosts: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
        busy: AtomicUsize::new(0),
    });

    let mut inputs = Inputs::new(args);
    rebuild(&shared, &mut inputs, true, true);
    let url = format!("http://127.0.0.1:{port}/");
    println!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "Xem trước {} tại {url} (Ctrl+C để dừng)",
                args.file.display()
            ),
            Lang::En => format!(
                "Previewing {} at {url} (Ctrl+C to stop)",
                args.file.display()
            ),
        }
    );
    let _ = std::io::stdout().flush();
    if !args.no_open && open::that_detached(&url).is_err() {
        eprintln!(
            "{}",
            match lang {
                Lang::Vi => "Không mở được trình duyệt; hãy mở địa chỉ trên.",
                Lang::En => "Could not open a browser; open the address above.",
            }
        );
    }

    // Renders on every save, on its own thread; the server answers meanwhile.
    let renderer = {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            while let Some(changes) = watch.next() {
                rebuild(&shared, &mut inputs, changes.templates, changes.fonts);
            }
        })
    };

    while !stop_requested() {
        match server.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(request)) => dispatch(request, &shared),
            Ok(None) => {}
            // tiny_http reports a failed accept (e.g. out of file descriptors) here; the
            // requests already accepted are still served, so keep going.
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    server.unblock();
    shared.changed.notify_all();
    let _ = renderer.join();
    println!(
        "{}",
        match lang {
            Lang::Vi => "Đã dừng xem trước.",
            Lang::En => "Preview stopped.",
        }
    );
    Outcome::Clean
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

/// What a render reads besides the plan file, reloaded when its folder changes.
struct Inputs {
    file: PathBuf,
    templates_dir: Option<PathBuf>,
    font_dir: Option<PathBuf>,
    templates: Result<Templates, Vec<Diagnostic>>,
    fonts: Result<FontSet, Diagnostic>,
    fonts_generation: u64,
}

impl Inputs {
    fn new(args: &PreviewArgs) -> Self {
        Inputs {
            file: args.file.clone(),
            templates_dir: args.templates.clone(),
            font_dir: args.font_dir.clone(),
            templates: Err(Vec::new()),
            fonts: Ok(FontSet::builtin()),
            fonts_generation: 0,
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
                Some(dir) => {
                    FontSet::from_dir(dir).map_err(|e| Diagnostic::error(e.to_text()).in_file(dir))
                }
            };
        }
    }
}

/// Renders the plan and publishes the result (good pages, or the problems).
fn rebuild(shared: &Shared, inputs: &mut Inputs, templates: bool, fonts: bool) {
    let start = Instant::now();
    inputs.reload(templates, fonts);
    let outcome = render(inputs);
    let ms = start.elapsed().as_millis();
    let mut state = shared.lock();
    state.generation += 1;
    state.render_ms = ms;
    match outcome {
        Ok((shown, warnings)) => {
            state.shown = Some(Arc::new(shown));
            state.errors.clear();
            state.warnings = warnings;
        }
        Err(diags) => {
            // The last good pages stay; warnings found with the errors are listed too.
            let (errors, warnings): (Vec<_>, Vec<_>) =
                diags.into_iter().partition(Diagnostic::is_error);
            state.errors = errors;
            state.warnings = warnings;
        }
    }
    drop(state);
    shared.changed.notify_all();
}

fn render(inputs: &Inputs) -> Result<(Shown, Vec<Diagnostic>), Vec<Diagnostic>> {
    let templates = inputs.templates.as_ref().map_err(Clone::clone)?;
    let fonts = inputs.fonts.as_ref().map_err(|d| vec![d.clone()])?;
    let prepared = phuluc::prepare(&inputs.file, templates)?;
    let options = SvgOptions {
        fonts: fonts.clone(),
        sources: svg_sources(&prepared.document, &prepared.sources, &prepared.rows),
    };
    let pages = phuluc::svg::svg(&prepared.document, &options).map_err(|e| {
        let d = match &e {
            SvgError::Layout(layout) => layout_problem(&inputs.file, &prepared.sources, layout),
            other => Diagnostic::error(other.to_text()).in_file(&inputs.file),
        };
        let mut all = prepared.warnings.clone();
        all.push(d);
        all
    })?;
    let shown_pages = (0..pages.pages.len())
        .filter_map(|i| {
            let page = &pages.pages[i];
            let html = pages.inline(i)?;
            Some(ShownPage {
                hash: hash(&html),
                html,
                part: page.part,
                index_in_part: page.index_in_part,
                width: page.width,
                height: page.height,
            })
        })
        .collect::<Vec<_>>();
    let defs = pages.defs();
    let glyphs = pages.definitions().into_iter().collect();
    let parts = prepared
        .document
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
            defs,
            glyphs,
            fonts_generation: inputs.fonts_generation,
            pages: shown_pages,
            parts,
            fonts: fonts.clone(),
            document: prepared.document,
        },
        prepared.warnings,
    ))
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
fn manifest(shared: &Shared, state: &State) -> Value {
    let diag = |d: &Diagnostic| {
        json!({
            "text": d.render(shared.lang),
            "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "line": d.pos.map(|p| p.line),
            "column": d.pos.map(|p| p.column),
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

/// Hands the request to a thread of its own (an event stream lasts as long as its tab),
/// at most [`MAX_REQUESTS`] at once.
fn dispatch(request: Request, shared: &Arc<Shared>) {
    if shared.busy.fetch_add(1, Ordering::SeqCst) >= MAX_REQUESTS {
        shared.busy.fetch_sub(1, Ordering::SeqCst);
        let _ = request.respond(plain(503, "busy"));
        return;
    }
    let worker = Arc::clone(shared);
    let spawned = std::thread::Builder::new().spawn(move || {
        handle(request, &worker);
        worker.busy.fetch_sub(1, Ordering::SeqCst);
    });
    if spawned.is_err() {
        shared.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
    let mut response = Response::from_data(body).with_status_code(status);
    for (name, value) in [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        (
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
             frame-ancestors 'none'",
        ),
    ] {
        if let Some(h) = header(name, value) {
            response.add_header(h);
        }
    }
    response
}

fn plain(status: u16, text: &str) -> Reply {
    reply(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}

/// Whether the request names this server as its host (DNS rebinding: a page from
/// elsewhere that made its own name resolve to 127.0.0.1 sends its own name).
fn host_ok(request: &Request, shared: &Shared) -> bool {
    let hosts: Vec<&Header> = request
        .headers()
        .iter()
        .filter(|h| h.field.equiv("Host"))
        .collect();
    match hosts.as_slice() {
        [host] => {
            let value = host.value.as_str().trim().to_ascii_lowercase();
            shared.hosts.contains(&value)
        }
        _ => false,
    }
}

fn handle(request: Request, shared: &Shared) {
    if !host_ok(&request, shared) {
        let _ = request.respond(plain(403, "forbidden host"));
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(plain(405, "method not allowed"));
        return;
    }
    // The path alone, never the file system: every route is a fixed name.
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_owned();
    let response = match path.as_str() {
        "/" | "/index.html" => reply(200, "text/html; charset=utf-8", INDEX_HTML.into()),
        "/app.js" => reply(200, "text/javascript; charset=utf-8", APP_JS.into()),
        "/app.css" => reply(200, "text/css; charset=utf-8", APP_CSS.into()),
        "/manifest.json" => {
            let state = shared.lock();
            let body = manifest(shared, &state).to_string();
            reply(200, "application/json", body.into_bytes())
        }
        "/events" => return events(request, shared),
        "/defs.svg" => match shared.lock().shown.clone() {
            Some(shown) => reply(200, "image/svg+xml", shown.defs.clone().into_bytes()),
            None => plain(404, "no pages yet"),
        },
        "/glyphs.svg" => glyphs(shared, request.url()),
        "/download.docx" => download(shared, Download::Docx),
        "/download.pdf" => download(shared, Download::Pdf),
        other => match other
            .strip_prefix("/page/")
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(index) => {
                let shown = shared.lock().shown.clone();
                match shown.as_ref().and_then(|s| s.pages.get(index)) {
                    Some(page) => reply(200, "image/svg+xml", page.html.clone().into_bytes()),
                    None => plain(404, "no such page"),
                }
            }
            None => plain(404, "not found"),
        },
    };
    let _ = request.respond(response);
}

/// Most glyph ids one `/glyphs.svg` request may ask for.
const MAX_GLYPHS: usize = 2000;

/// `/glyphs.svg?ids=g0-12,g1-40`: the definitions of those glyphs of the pages shown (ids
/// are looked up, never used as paths); unknown ids are left out.
fn glyphs(shared: &Shared, url: &str) -> Reply {
    let Some(shown) = shared.lock().shown.clone() else {
        return plain(404, "no pages yet");
    };
    let ids = url
        .split_once('?')
        .map_or("", |(_, q)| q)
        .split('&')
        .find_map(|kv| kv.strip_prefix("ids="))
        .unwrap_or_default();
    let mut out = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"><defs>");
    for id in ids.split(',').take(MAX_GLYPHS) {
        if let Some(element) = shown.glyphs.get(id) {
            out.push_str(element);
        }
    }
    out.push_str("</defs></svg>");
    reply(200, "image/svg+xml", out.into_bytes())
}

#[derive(Clone, Copy)]
enum Download {
    Docx,
    Pdf,
}

/// The .docx or PDF of the pages on screen (the last good render), made on request.
fn download(shared: &Shared, kind: Download) -> Reply {
    let Some(shown) = shared.lock().shown.clone() else {
        return plain(409, "no pages yet");
    };
    let (bytes, extension, content_type) = match kind {
        Download::Docx => (
            phuluc::docx::docx(&shown.document).map_err(|e| e.to_string()),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Download::Pdf => (
            phuluc::pdf::pdf(&shown.document, &PdfOptions::new(shown.fonts.clone()))
                .map_err(|e| e.to_string()),
            "pdf",
            "application/pdf",
        ),
    };
    match bytes {
        Ok(bytes) => {
            let mut response = reply(200, content_type, bytes);
            let ascii: String = shared
                .stem
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let mut encoded = String::new();
            for b in shared.stem.bytes() {
                if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                    encoded.push(char::from(b));
                } else {
                    let _ = write!(encoded, "%{b:02X}");
                }
            }
            let disposition = format!(
                "attachment; filename=\"{ascii}.{extension}\"; filename*=UTF-8''{encoded}.{extension}"
            );
            if let Some(h) = header("Content-Disposition", &disposition) {
                response.add_header(h);
            }
            response
        }
        Err(e) => plain(500, &e),
    }
}

/// A server-sent event stream: the manifest now, then after every render; a comment
/// line every [`KEEP_ALIVE`] when nothing happens. Ends when the tab goes away or on
/// Ctrl+C.
fn events(request: Request, shared: &Shared) {
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\n";
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut sent: Option<u64> = None;
    loop {
        let message = {
            let mut state = shared.lock();
            let since = Instant::now();
            while sent == Some(state.generation)
                && !stop_requested()
                && since.elapsed() < KEEP_ALIVE
            {
                state = shared
                    .changed
                    .wait_timeout(state, Duration::from_millis(250))
                    .map(|(s, _)| s)
                    .unwrap_or_else(|p| p.into_inner().0);
            }
            if stop_requested() {
                return;
            }
            if sent == Some(state.generation) {
                ": alive\n\n".to_owned()
            } else {
                sent = Some(state.generation);
                format!("event: update\ndata: {}\n\n", manifest(shared, &state))
            }
        };
        if out.write_all(message.as_bytes()).is_err() || out.flush().is_err() {
            return;
        }
    }
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
    fn page_hashes_differ_with_content() {
        assert_eq!(hash("a"), hash("a"));
        assert_ne!(hash("a"), hash("b"));
        assert_eq!(hash("").len(), 16);
    }
}
