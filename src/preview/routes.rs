//! The preview's HTTP routes: a fixed list of names, never a path into the file system.
//!
//! Contract: [`router`] is the preview's one [`Router`]: `/` (the page), `/app.js`,
//! `/app.css` (compiled into the binary), the manifest, the event stream
//! ([`super::sse`]), the glyph definitions, each page's SVG, the .docx and PDF of what
//! is on screen, and `/print.pdf`, that PDF inline for the page's print frame (the one
//! response a frame of the page's own may show); anything else is 404, a method a route
//! does not take 405. Around every route: a request whose `Host` is not the server's own
//! loopback address (DNS rebinding) gets 403; at most [`MAX_REQUESTS`] are answered at
//! once (beyond, 503); every response says `no-store`, `nosniff`, no referrer and a
//! strict content security policy.
//! Nothing here panics on any request.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;

use super::respond::{plain, reply};
use super::state::{Shared, manifest};
use crate::pdf::PdfOptions;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const EDITOR_JS: &str = include_str!("assets/editor.js");

/// Requests answered at once (an event stream counts only while it opens: the streams
/// have their own cap, [`super::sse::MAX_STREAMS`]); beyond, 503.
pub(super) const MAX_REQUESTS: usize = 64;

/// Most glyph ids one `/glyphs.svg` request may ask for.
const MAX_GLYPHS: usize = 2000;

/// The preview's routes over `shared`, with the Host check, the cap on requests and the
/// headers every response carries.
pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route(
            "/app.js",
            get(|| async { reply(200, "text/javascript; charset=utf-8", APP_JS.into()) }),
        )
        .route(
            "/editor.js",
            get(|| async { reply(200, "text/javascript; charset=utf-8", EDITOR_JS.into()) }),
        )
        .route(
            "/app.css",
            get(|| async { reply(200, "text/css; charset=utf-8", APP_CSS.into()) }),
        )
        .route("/manifest.json", get(manifest_json))
        .route("/api/version", get(super::api::version))
        .route("/api/value", get(super::api::value))
        .route("/api/agencies", get(super::api::agencies))
        .route("/api/edit", axum::routing::any(super::api::edit))
        .route(
            "/api/undo",
            axum::routing::any(|s: State<Arc<Shared>>, r: Request| super::api::step(s, true, r)),
        )
        .route(
            "/api/redo",
            axum::routing::any(|s: State<Arc<Shared>>, r: Request| super::api::step(s, false, r)),
        )
        .route("/events", get(super::sse::events))
        .route("/defs.svg", get(defs))
        .route("/glyphs.svg", get(glyphs))
        .route("/page/{index}", get(page))
        .route(
            "/download.docx",
            get(|s: State<Arc<Shared>>| download(s, Download::Docx)),
        )
        .route(
            "/download.pdf",
            get(|s: State<Arc<Shared>>| download(s, Download::Pdf)),
        )
        .route(
            "/print.pdf",
            get(|s: State<Arc<Shared>>| download(s, Download::Print)),
        )
        .fallback(|| async { plain(404, "not found") })
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_| async { plain(503, "busy") }))
                .load_shed()
                // Global: axum layers each route on its own, and the cap is for all.
                .layer(GlobalConcurrencyLimitLayer::new(MAX_REQUESTS)),
        )
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// The Host check, before anything else, and the headers every response carries.
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let mut response = if host_ok(request.headers(), &shared) {
        next.run(request).await
    } else {
        plain(403, "forbidden host")
    };
    let framed = response.extensions().get::<FramedBySelf>().is_some();
    let headers = response.headers_mut();
    let policy = if framed {
        "default-src 'self'; frame-ancestors 'self'"
    } else {
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         frame-ancestors 'none'"
    };
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, policy),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Whether the request names this server as its host (DNS rebinding: a page from
/// elsewhere that made its own name resolve to 127.0.0.1 sends its own name). Exactly
/// one `Host`, and it is ours.
fn host_ok(headers: &HeaderMap, shared: &Shared) -> bool {
    let mut hosts = headers.get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => host
            .to_str()
            .is_ok_and(|h| shared.hosts.contains(&h.trim().to_ascii_lowercase())),
        _ => false,
    }
}

/// The page, carrying the session's token for its changing requests.
async fn index(State(shared): State<Arc<Shared>>) -> Response {
    let page = INDEX_HTML.replace("{{TOKEN}}", &shared.token);
    reply(200, "text/html; charset=utf-8", page.into_bytes())
}

async fn manifest_json(State(shared): State<Arc<Shared>>) -> Response {
    let body = {
        let state = shared.lock();
        manifest(&shared, &state).to_string()
    };
    reply(200, "application/json", body.into_bytes())
}

async fn defs(State(shared): State<Arc<Shared>>) -> Response {
    match shared.lock().shown.clone() {
        Some(shown) => reply(200, "image/svg+xml", shown.defs.clone().into_bytes()),
        None => plain(404, "no pages yet"),
    }
}

/// `/page/N`: the page's SVG (gzipped where the client takes gzip); any `N` that is not
/// a page shown is 404.
async fn page(
    State(shared): State<Arc<Shared>>,
    Path(index): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(index) = index.parse::<usize>() else {
        return plain(404, "no such page");
    };
    let shown = shared.lock().shown.clone();
    let Some(page) = shown.as_ref().and_then(|s| s.pages.get(index)) else {
        return plain(404, "no such page");
    };
    let gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    if gzip {
        let mut response = reply(200, "image/svg+xml", page.gz.clone());
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        response
    } else {
        reply(200, "image/svg+xml", super::state::gunzip(&page.gz))
    }
}

/// `/glyphs.svg?ids=g0-12,g1-40`: the definitions of those glyphs of the pages shown (ids
/// are looked up, never used as paths); unknown ids are left out.
async fn glyphs(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let Some(shown) = shared.lock().shown.clone() else {
        return plain(404, "no pages yet");
    };
    let ids = query
        .as_deref()
        .unwrap_or_default()
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

/// Marks the one response the page may show in a frame of its own: `/print.pdf`.
#[derive(Clone, Copy)]
struct FramedBySelf;

#[derive(Clone, Copy)]
enum Download {
    Docx,
    Pdf,
    /// The PDF shown inline in the page's own frame, which prints exactly its pages.
    Print,
}

/// The .docx or PDF of the pages on screen (the last good render), made on request on
/// tokio's blocking pool (a PDF takes a while; the other requests go on meanwhile).
async fn download(State(shared): State<Arc<Shared>>, kind: Download) -> Response {
    let Some(shown) = shared.lock().shown.clone() else {
        return plain(409, "no pages yet");
    };
    let made = tokio::task::spawn_blocking(move || match kind {
        Download::Docx => crate::docx::docx(&shown.document).map_err(|e| e.to_string()),
        Download::Pdf | Download::Print => {
            crate::pdf::pdf(&shown.document, &PdfOptions::new(shown.fonts.clone()))
                .map_err(|e| e.to_string())
        }
    })
    .await;
    let (extension, content_type) = match kind {
        Download::Docx => (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Download::Pdf | Download::Print => ("pdf", "application/pdf"),
    };
    match made {
        Ok(Ok(bytes)) => {
            let mut response = reply(200, content_type, bytes);
            if let Download::Print = kind {
                // Framed by the preview's own page only (every other response says
                // `frame-ancestors 'none'`).
                response.extensions_mut().insert(FramedBySelf);
            } else if let Ok(value) = HeaderValue::from_str(&disposition(&shared.stem, extension)) {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static("content-disposition"), value);
            }
            response
        }
        Ok(Err(e)) => plain(500, &e),
        Err(_) => plain(500, "internal error"),
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
