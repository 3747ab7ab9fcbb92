//! What every work route of `phuluc serve` does around its work: run it on the blocking
//! pool under a worker, answer its failure, name its files, tell a plan's YAML from JSON.
//!
//! Contract: [`blocking`] holds one of [`App::workers`] for as long as the work runs (so
//! work whose request timed out still counts) and turns a panic into a 500 with
//! diagnostics; [`failed`] is the status of each [`Failure`] (422 input, 400 request, 500
//! tool) with its diagnostics; [`file_name`] keeps a client's name to a safe file name;
//! [`plan_is_json`] and [`type_is_json`] read a content type (415 for one neither YAML nor
//! JSON).

// The helpers' `Err` is the answer itself (axum's idiom), made at most once per request.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use super::app::{App, Assets};
use super::reply;
use super::work::Failure;
use crate::diag::{Diagnostic, Lang};
use crate::text;

/// Runs `f` on the blocking pool with one worker held for as long as it runs.
pub(super) async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    lang: Lang,
    f: impl FnOnce(&Assets) -> T + Send + 'static,
) -> Result<T, Response> {
    let internal = || {
        reply::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            text!(
                "lỗi nội bộ của phuluc khi xử lý yêu cầu này",
                "internal error in phuluc while handling this request"
            ),
            lang,
        )
    };
    let permit = Arc::clone(&app.workers)
        .acquire_owned()
        .await
        .map_err(|_| internal())?;
    let assets = app.assets();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f(&assets)
    })
    .await
    .map_err(|_| internal())
}

/// The answer for a failed piece of work.
pub(super) fn failed(failure: Failure, lang: Lang) -> Response {
    let (status, diags) = match failure {
        Failure::Input(d) => (StatusCode::UNPROCESSABLE_ENTITY, d),
        Failure::Request(d) => (StatusCode::BAD_REQUEST, d),
        Failure::Tool(d) => (StatusCode::INTERNAL_SERVER_ERROR, d),
    };
    reply::diagnostics(status, &diags, lang)
}

/// A name for files and messages: letters, digits, `-`, `_` and `.` (others become
/// `_`), at most 100, not starting with a dot; `fallback` when none is given.
pub(super) fn file_name(asked: Option<&str>, fallback: &str) -> String {
    let name: String = asked
        .unwrap_or_default()
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = name.trim_start_matches('.');
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name.to_owned()
    }
}

/// Whether the body is JSON (else YAML), by its `Content-Type`; `Err` for a type neither.
pub(super) fn plan_is_json(headers: &HeaderMap, lang: Lang) -> Result<bool, Response> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or_default());
    type_is_json(value, lang)
}

/// Whether a plan of content type `value` is JSON (else YAML: also no type, `text/plain`
/// and `application/octet-stream`, what a client sends a file as when it cannot tell);
/// `Err` (415) for a type neither.
pub(super) fn type_is_json(value: Option<&str>, lang: Lang) -> Result<bool, Response> {
    let Some(value) = value else {
        return Ok(false);
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok(true),
        "application/yaml"
        | "application/x-yaml"
        | "text/yaml"
        | "text/x-yaml"
        | "text/plain"
        | "application/octet-stream"
        | "" => Ok(false),
        _ => Err(reply::diagnostics(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &[Diagnostic::error(text!(
                format!("kiểu nội dung “{essence}” không được hỗ trợ"),
                format!("unsupported content type “{essence}”")
            ))
            .hint(text!(
                "Gửi kế hoạch dạng YAML (application/yaml) hoặc JSON (application/json).",
                "Send the plan as YAML (application/yaml) or JSON (application/json)."
            ))],
            lang,
        )),
    }
}
