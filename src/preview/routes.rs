//! The preview's HTTP routes: a fixed list of names, never a path into the file system.
//!
//! Contract: [`dispatch`] hands each request to a thread of its own, at most
//! [`MAX_REQUESTS`] at once (beyond, 503). A request whose `Host` is not the server's own
//! loopback address (DNS rebinding) gets 403, a method other than GET or HEAD 405. The
//! routes: `/` (the page), `/app.js`, `/app.css` (compiled into the binary), the
//! manifest, the event stream ([`super::sse`]), the glyph definitions, each page's SVG
//! and the .docx and PDF of what is on screen; anything else is 404. Every response says
//! `no-store`, `nosniff`, no referrer and a strict content security policy. Nothing here
//! panics on any request.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tiny_http::{Header, Method, Request, Response};

use super::state::{Shared, manifest};
use crate::pdf::PdfOptions;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// Requests served at once (an event stream holds one for as long as its tab is open);
/// beyond, 503.
pub(super) const MAX_REQUESTS: usize = 64;

/// Most glyph ids one `/glyphs.svg` request may ask for.
const MAX_GLYPHS: usize = 2000;

/// Hands the request to a thread of its own (an event stream lasts as long as its tab),
/// at most [`MAX_REQUESTS`] at once.
pub(super) fn dispatch(request: Request, shared: &Arc<Shared>) {
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
        "/events" => return super::sse::events(request, shared),
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
            crate::docx::docx(&shown.document).map_err(|e| e.to_string()),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Download::Pdf => (
            crate::pdf::pdf(&shown.document, &PdfOptions::new(shown.fonts.clone()))
                .map_err(|e| e.to_string()),
            "pdf",
            "application/pdf",
        ),
    };
    match bytes {
        Ok(bytes) => {
            let mut response = reply(200, content_type, bytes);
            if let Some(h) = header("Content-Disposition", &disposition(&shared.stem, extension)) {
                response.add_header(h);
            }
            response
        }
        Err(e) => plain(500, &e),
    }
}

/// `attachment; filename="ASCII.ext"; filename*=UTF-8''PERCENT-ENCODED.ext` for a
/// download named after the plan file `stem`.
fn disposition(stem: &str, extension: &str) -> String {
    let ascii: String = stem
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
    for b in stem.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
            encoded.push(char::from(b));
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    format!("attachment; filename=\"{ascii}.{extension}\"; filename*=UTF-8''{encoded}.{extension}")
}
