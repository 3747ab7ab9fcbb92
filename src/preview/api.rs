//! The preview's editing API: the clerk's edits of the plan file from its printed page.
//!
//! Contract: `GET /api/version` → `{"version"}` (the hex SHA-256 of the file's bytes);
//! `POST /api/edit` with `{"version", "op", "src": "LINE:COL", "field", "value"}` → 200
//! `{"version", "warnings"}`, 409 `{"version", "message"}` when the file is not that
//! version, 422 `{"diagnostics"}` when the edit is refused (the file untouched);
//! `POST /api/undo`, `POST /api/redo` (body `{"version"}` or empty) → 200 `{"version"}`,
//! 409 when there is nothing to undo or the file changed; `GET /api/agencies` → the
//! names the editor suggests. Every POST needs the page's
//! token as `X-Phuluc-Token` and an `Origin` that is the preview's own (else 403); a body
//! over [`MAX_BODY`] is 413, malformed JSON 400. The edits are [`crate::edit::Session`]'s,
//! one at a time; the watch then renders the saved file as for any save.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use serde_json::{Value, json};

use super::respond::reply;
use super::state::Shared;
use crate::diag::{Diagnostic, ToDiagnostic};
use crate::edit::{EditError, Op, parse_src};

/// The largest request body taken.
pub(super) const MAX_BODY: usize = 1024 * 1024;

fn json_reply(status: u16, value: &Value) -> Response {
    reply(status, "application/json", value.to_string().into_bytes())
}

/// `GET /api/version`.
pub(super) async fn version(State(shared): State<Arc<Shared>>) -> Response {
    match shared.session().version() {
        Ok(v) => json_reply(200, &json!({ "version": v })),
        Err(e) => refusal(&shared, &e),
    }
}

/// `GET /api/value?src=LINE:COL&field=F` → `{"version", "value", "kind"}`: the value as
/// the clerk types it and how it is typed (`text`, `list`, `amount`, `date`,
/// `percent`); 404 when no row starts there.
pub(super) async fn value(
    State(shared): State<Arc<Shared>>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let get = |k: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
            .map(|v| v.replace("%3A", ":").replace("%3a", ":"))
    };
    let (Some(pos), Some(field)) = (get("src").as_deref().and_then(parse_src), get("field")) else {
        return json_reply(400, &json!({"error": "src and field are required"}));
    };
    match shared.session().value(pos, &field) {
        Ok((version, Some((value, kind)))) => {
            // The editor offers the plan's agency names for a list cell.
            let kind = match kind {
                crate::model::FieldKind::List => "list",
                crate::model::FieldKind::Amount => "amount",
                crate::model::FieldKind::Date => "date",
                crate::model::FieldKind::Percent => "percent",
                crate::model::FieldKind::Text => "text",
            };
            json_reply(
                200,
                &json!({"version": version, "value": value, "kind": kind}),
            )
        }
        Ok((version, None)) => json_reply(404, &json!({"version": version})),
        Err(e) => refusal(&shared, &e),
    }
}

/// `GET /api/agencies` → `{"agencies": [...]}`: the names the editor suggests for a list
/// cell — the plan's `agencies:` register in its order, then every other name its cells
/// hold, each once (of the pages on screen; empty before the first good render).
pub(super) async fn agencies(State(shared): State<Arc<Shared>>) -> Response {
    let shown = shared.lock().shown.clone();
    let mut names: Vec<String> = Vec::new();
    if let Some(shown) = shown {
        let a = &shown.document.meta.agencies;
        for name in a.canonical.iter().chain(&a.used) {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    json_reply(200, &json!({ "agencies": names }))
}

/// Whether a changing request carries the page's token and comes from the page's own
/// origin.
fn allowed(headers: &HeaderMap, shared: &Shared) -> bool {
    let token = headers
        .get("x-phuluc-token")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t == shared.token);
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|o| shared.hosts.iter().any(|h| o == format!("http://{h}")));
    token && origin
}

/// Checks the request and reads its JSON body (`{}` when empty).
async fn body(shared: &Shared, request: Request) -> Result<Value, Response> {
    if request.method() != Method::POST {
        return Err(json_reply(405, &json!({"error": "POST only"})));
    }
    if !allowed(request.headers(), shared) {
        return Err(json_reply(403, &json!({"error": "forbidden"})));
    }
    let bytes = to_bytes(Body::new(request.into_body()), MAX_BODY)
        .await
        .map_err(|_| json_reply(413, &json!({"error": "body too large"})))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&bytes).map_err(|e| json_reply(400, &json!({"error": e.to_string()})))
}

fn diag_json(shared: &Shared, d: &Diagnostic) -> Value {
    json!({
        "text": d.render(shared.lang()),
        "message": d.message.get(shared.lang()),
        "severity": if d.is_error() { "error" } else { "warning" },
        "line": d.pos.map(|p| p.line),
        "column": d.pos.map(|p| p.column),
    })
}

/// An edit refused: 409 for a stale version or nothing to undo, else 422 with the
/// diagnostics.
fn refusal(shared: &Shared, e: &EditError) -> Response {
    match e {
        EditError::Stale { current } => json_reply(
            409,
            &json!({"version": current, "message": e.to_diagnostic().message.get(shared.lang())}),
        ),
        EditError::Nothing => json_reply(
            409,
            &json!({"version": shared.session().version().ok(), "message": e.to_diagnostic().message.get(shared.lang())}),
        ),
        EditError::Invalid(diags) => json_reply(
            422,
            &json!({"diagnostics": diags.iter().map(|d| diag_json(shared, d)).collect::<Vec<_>>()}),
        ),
        EditError::Io(_) => json_reply(
            500,
            &json!({"diagnostics": [diag_json(shared, &e.to_diagnostic())]}),
        ),
        _ => json_reply(
            422,
            &json!({"diagnostics": [diag_json(shared, &e.to_diagnostic())]}),
        ),
    }
}

/// `POST /api/edit`.
pub(super) async fn edit(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let body = match body(&shared, request).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let s = |k: &str| body.get(k).and_then(Value::as_str);
    let (Some(version), Some(op), Some(src)) =
        (s("version"), s("op"), s("src").and_then(parse_src))
    else {
        return json_reply(
            400,
            &json!({"error": "version, op and src (LINE:COL) are required"}),
        );
    };
    let Some(op) = Op::named(op, src, s("field"), s("value")) else {
        return json_reply(400, &json!({"error": "unknown op, or set without field"}));
    };
    let version = version.to_owned();
    let shared2 = Arc::clone(&shared);
    let done = tokio::task::spawn_blocking(move || shared2.session().apply(&version, &op)).await;
    match done {
        Ok(Ok(applied)) => json_reply(
            200,
            &json!({
                "version": applied.version,
                "warnings": applied.warnings.iter().map(|d| diag_json(&shared, d)).collect::<Vec<_>>(),
            }),
        ),
        Ok(Err(e)) => refusal(&shared, &e),
        Err(_) => json_reply(500, &json!({"error": "internal error"})),
    }
}

/// `POST /api/undo` and `POST /api/redo`.
pub(super) async fn step(
    State(shared): State<Arc<Shared>>,
    undo: bool,
    request: Request,
) -> Response {
    let body = match body(&shared, request).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let seen = body
        .get("version")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let shared2 = Arc::clone(&shared);
    let done = tokio::task::spawn_blocking(move || {
        let mut session = shared2.session();
        if undo {
            session.undo(seen.as_deref())
        } else {
            session.redo(seen.as_deref())
        }
    })
    .await;
    match done {
        Ok(Ok(version)) => json_reply(200, &json!({ "version": version })),
        Ok(Err(e)) => refusal(&shared, &e),
        Err(_) => json_reply(500, &json!({"error": "internal error"})),
    }
}
