//! `phuluc serve`'s routes, and the layers around them.
//!
//! Contract: [`ROUTES`] lists every route (method, path) and [`service`] builds the
//! router from exactly that list (`schema/openapi.json` documents the same list; a test
//! holds them equal). The work routes (`/v1/render`, `/v1/check`, `/v1/import`,
//! `/v1/diff`, and `/v1/report` of [`super::report`]) sit behind the limits of
//! [`super::limits`], in tower's and tower-http's layers; those and `/v1/openapi.json`
//! and `/metrics` behind the token ([`super::auth`]); `/healthz` and `/readyz` are open
//! to the orchestrator's probes. Around everything: the request id, the log line, the
//! counters, and the rewriting of any answer a layer made (413, 408, 504, 405, 404) into
//! JSON diagnostics. Work runs on tokio's blocking pool, one of [`super::App::workers`] at
//! a time ([`super::handle::blocking`]); a panic there is a 500 with diagnostics, never a
//! dropped connection.

// The helpers' `Err` is the answer itself (axum's idiom), made at most once per request.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, HttpBody as _};
use axum::error_handling::HandleErrorLayer;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, MatchedPath, Multipart, Query, State};
use axum::http::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde::Deserialize;
use serde_json::json;
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

use super::app::App;
use super::handle::{blocking, failed, file_name, plan_is_json};
use super::work::{self, Failure};
use super::{log, reply};
use crate::diag::{Diagnostic, Lang};
use crate::text;

/// The OpenAPI 3.1 description, as committed in `schema/openapi.json`.
pub const OPENAPI: &str = include_str!("../../schema/openapi.json");

/// Every route: method and path.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/v1/render"),
    ("POST", "/v1/check"),
    ("POST", "/v1/import"),
    ("POST", "/v1/diff"),
    ("POST", "/v1/report"),
    ("GET", "/v1/openapi.json"),
    ("GET", "/metrics"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
];

/// What kind of route a path is.
enum Class {
    /// Bounded work, behind the token.
    Work,
    /// Behind the token.
    Guarded,
    /// Open to probes.
    Open,
}

/// The handler of a listed route, and its class.
fn handler(path: &str) -> Option<(MethodRouter<Arc<App>>, Class)> {
    Some(match path {
        "/v1/render" => (post(render), Class::Work),
        "/v1/check" => (post(check), Class::Work),
        "/v1/import" => (post(import), Class::Work),
        "/v1/diff" => (post(diff), Class::Work),
        "/v1/report" => (post(super::report::report), Class::Work),
        "/v1/openapi.json" => (get(openapi), Class::Guarded),
        "/metrics" => (get(metrics), Class::Guarded),
        "/healthz" => (get(healthz), Class::Open),
        "/readyz" => (get(readyz), Class::Open),
        _ => return None,
    })
}

/// The service: every route of [`ROUTES`] with its layers.
pub(super) fn service(app: Arc<App>) -> Router {
    let limits = app.limits;
    let (mut work, mut guarded, mut open) = (Router::new(), Router::new(), Router::new());
    for (_, path) in ROUTES {
        let Some((route, class)) = handler(path) else {
            continue;
        };
        match class {
            Class::Work => work = work.route(path, route),
            Class::Guarded => guarded = guarded.route(path, route),
            Class::Open => open = open.route(path, route),
        }
    }
    let retry_after = limits.retry_after;
    let work =
        work.route_layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(
                    move |headers: HeaderMap, _: tower::BoxError| async move {
                        busy(&headers, retry_after)
                    },
                ))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(
                    limits.workers.max(1) + limits.queue,
                ))
                .layer(RequestBodyLimitLayer::new(limits.body))
                .layer(RequestBodyTimeoutLayer::new(limits.body_read))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::GATEWAY_TIMEOUT,
                    limits.render,
                ))
                // The handlers read axum's own body type.
                .map_request(|r: Request<_>| r.map(Body::new)),
        );
    let guarded = guarded
        .merge(work)
        .route_layer(middleware::from_fn_with_state(Arc::clone(&app), authorise));
    Router::new()
        .merge(guarded)
        .merge(open)
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(Arc::clone(&app), observe))
        .with_state(app)
}

/// 503 with `Retry-After`: admission is full.
fn busy(headers: &HeaderMap, retry_after: u64) -> Response {
    let mut response = reply::for_status(StatusCode::SERVICE_UNAVAILABLE, reply::lang(headers));
    if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// The token check.
async fn authorise(State(app): State<Arc<App>>, request: Request<Body>, next: Next) -> Response {
    match &app.token {
        Some(token) if !token.allows(request.headers()) => {
            let mut response =
                reply::for_status(StatusCode::UNAUTHORIZED, reply::lang(request.headers()));
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"phuluc\""),
            );
            response
        }
        _ => next.run(request).await,
    }
}

/// The request id, the counters, the log line, and JSON for every answer.
async fn observe(State(app): State<Arc<App>>, request: Request<Body>, next: Next) -> Response {
    let start = Instant::now();
    let in_flight = app.metrics.enter();
    let id = log::request_id(request.headers());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().to_string();
    let lang = reply::lang(request.headers());
    let mut response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        // An answer a layer made (413, 408, 504, 404, 405): said as diagnostics, with
        // the headers that matter kept (Allow, Retry-After, WWW-Authenticate).
        let mut json = reply::for_status(status, lang);
        for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
            if let Some(v) = response.headers().get(&name) {
                json.headers_mut().insert(name, v.clone());
            }
        }
        response = json;
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    let took = start.elapsed();
    drop(in_flight);
    app.metrics.record(&route, status.as_u16(), took);
    log::request(&log::Line {
        id: &id,
        method: &method,
        route: &route,
        status: status.as_u16(),
        bytes: response.body().size_hint().exact(),
        took,
    });
    response
}

/// The body, or the answer saying why not.
async fn body(app: &App, body: Body, lang: Lang) -> Result<bytes::Bytes, Response> {
    super::limits::read_body(body, app.limits.body)
        .await
        .map_err(|e| reply::for_status(e.status(), lang))
}

#[derive(Debug, Deserialize)]
struct RenderQuery {
    format: Option<String>,
    split: Option<String>,
    name: Option<String>,
    page: Option<String>,
}

/// `POST /v1/render?format=pdf|docx|zip|svg[&split=true][&name=NAME][&page=N]`.
async fn render(
    State(app): State<Arc<App>>,
    query: Result<Query<RenderQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    request: Body,
) -> Response {
    let lang = reply::lang(&headers);
    let bad = |vi: String, en: String| {
        reply::diagnostics(
            StatusCode::BAD_REQUEST,
            &[Diagnostic::error(text!(vi, en)).hint(text!(
                "Xem /v1/openapi.json: format=pdf|docx|zip|svg, split=true chỉ với zip, page=N với svg.",
                "See /v1/openapi.json: format=pdf|docx|zip|svg, split=true with zip only, page=N with svg."
            ))],
            lang,
        )
    };
    let Ok(Query(query)) = query else {
        return bad(
            "tham số không hợp lệ".into(),
            "invalid query parameters".into(),
        );
    };
    let kind = match query.format.as_deref().unwrap_or("pdf") {
        "pdf" => work::Kind::Pdf,
        "docx" => work::Kind::Docx,
        "zip" => work::Kind::Zip,
        "svg" => work::Kind::Svg,
        other => {
            return bad(
                format!("không có định dạng “{other}”"),
                format!("no format “{other}”"),
            );
        }
    };
    let split = match query.split.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return bad(
                format!("split phải là true hoặc false, không phải “{other}”"),
                format!("split must be true or false, not “{other}”"),
            );
        }
    };
    if split && kind != work::Kind::Zip {
        return bad(
            "split=true cho nhiều tệp: chỉ dùng với format=zip".into(),
            "split=true makes several files: use it with format=zip".into(),
        );
    }
    let page = match query.page.as_deref().map(str::parse::<usize>) {
        None => 1,
        Some(Ok(n)) if kind == work::Kind::Svg => n,
        _ => {
            return bad(
                "page=N (từ 1) chỉ dùng với format=svg".into(),
                "page=N (from 1) is for format=svg only".into(),
            );
        }
    };
    let json = match plan_is_json(&headers, lang) {
        Ok(j) => j,
        Err(response) => return response,
    };
    let bytes = match body(&app, request, lang).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let ask = work::Ask {
        kind,
        split,
        name: file_name(query.name.as_deref(), "phu-luc"),
        page,
    };
    let made = blocking(&app, lang, move |assets| {
        let src =
            work::plan_text(&bytes, &work::plan_path(&ask.name), json).map_err(Failure::Input)?;
        work::render(src, &ask, assets)
    })
    .await;
    match made {
        Err(response) => response,
        Ok(Err(failure)) => failed(failure, lang),
        Ok(Ok(made)) => {
            let mut response = (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(made.content_type),
                )],
                made.bytes,
            )
                .into_response();
            let headers = response.headers_mut();
            if let Ok(v) =
                HeaderValue::from_str(&format!("attachment; filename=\"{}\"", made.file_name))
            {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            if let Some(pages) = made.pages
                && let Ok(v) = HeaderValue::from_str(&pages.to_string())
            {
                headers.insert("x-phuluc-pages", v);
            }
            response
        }
    }
}

#[derive(Debug, Deserialize)]
struct NameQuery {
    name: Option<String>,
}

/// `POST /v1/check[?name=NAME]`: 200 with every problem, errors too.
async fn check(
    State(app): State<Arc<App>>,
    query: Result<Query<NameQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    request: Body,
) -> Response {
    let lang = reply::lang(&headers);
    let name = file_name(query.ok().and_then(|q| q.0.name).as_deref(), "phu-luc");
    let json = match plan_is_json(&headers, lang) {
        Ok(j) => j,
        Err(response) => return response,
    };
    let bytes = match body(&app, request, lang).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    let diags = blocking(&app, lang, move |assets| {
        match work::plan_text(&bytes, &work::plan_path(&name), json) {
            Ok(src) => work::check(src, &name, assets),
            Err(diags) => diags,
        }
    })
    .await;
    match diags {
        Err(response) => response,
        Ok(diags) => {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            reply::json(
                StatusCode::OK,
                &json!({
                    "errors": errors,
                    "warnings": diags.len() - errors,
                    "diagnostics": diags
                        .iter()
                        .map(|d| crate::check_report::diagnostic_json(d, lang))
                        .collect::<Vec<_>>(),
                }),
            )
        }
    }
}

/// `POST /v1/import[?name=NAME]`: a .docx in, the plan's YAML and the warnings out.
async fn import(
    State(app): State<Arc<App>>,
    query: Result<Query<NameQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    request: Body,
) -> Response {
    let lang = reply::lang(&headers);
    let name = file_name(query.ok().and_then(|q| q.0.name).as_deref(), "ke-hoach");
    let bytes = match body(&app, request, lang).await {
        Ok(b) => b,
        Err(response) => return response,
    };
    match blocking(&app, lang, move |assets| {
        work::import(&bytes, &name, assets)
    })
    .await
    {
        Err(response) => response,
        Ok(Err(failure)) => failed(failure, lang),
        Ok(Ok(answer)) => reply::json(
            StatusCode::OK,
            &json!({
                "yaml": answer.yaml,
                "diagnostics": answer
                    .diagnostics
                    .iter()
                    .map(|d| crate::check_report::diagnostic_json(d, lang))
                    .collect::<Vec<_>>(),
                "templates": answer
                    .templates
                    .iter()
                    .map(|(path, contents)| json!({"path": path, "contents": contents}))
                    .collect::<Vec<_>>(),
            }),
        ),
    }
}

/// `POST /v1/diff` (multipart: `old`, `new`): `phuluc diff --format json`.
async fn diff(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = reply::lang(&headers);
    let missing = || {
        reply::diagnostics(
            StatusCode::BAD_REQUEST,
            &[Diagnostic::error(text!(
                "cần hai phần multipart/form-data: “old” và “new”",
                "two multipart/form-data parts are needed: “old” and “new”"
            ))],
            lang,
        )
    };
    let Ok(mut multipart) = multipart else {
        return missing();
    };
    let (mut old, mut new) = (None, None);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let slot = match field.name() {
                    Some("old") => &mut old,
                    Some("new") => &mut new,
                    _ => continue,
                };
                match field.bytes().await {
                    Ok(b) => *slot = Some(b),
                    Err(e) => return reply::for_status(e.status(), lang),
                }
            }
            Ok(None) => break,
            Err(e) => return reply::for_status(e.status(), lang),
        }
    }
    let (Some(old), Some(new)) = (old, new) else {
        return missing();
    };
    match blocking(&app, lang, move |assets| work::diff(&old, &new, assets)).await {
        Err(response) => response,
        Ok(Err(failure)) => failed(failure, lang),
        Ok(Ok(text)) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            text,
        )
            .into_response(),
    }
}

async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI,
    )
        .into_response()
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        app.metrics.text(),
    )
        .into_response()
}

/// Liveness: the process answers.
async fn healthz() -> Response {
    reply::json(StatusCode::OK, &json!({"status": "ok"}))
}

/// Readiness: templates and fonts loaded (they are before the port opens), and not
/// stopping.
async fn readyz(State(app): State<Arc<App>>) -> Response {
    if app.stopping.load(std::sync::atomic::Ordering::SeqCst) {
        return reply::json(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"status": "stopping"}),
        );
    }
    reply::json(
        StatusCode::OK,
        &json!({"status": "ready", "templates": true, "fonts": true}),
    )
}
