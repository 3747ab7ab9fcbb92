//! `phuluc serve`'s log: one JSON line on stderr per request, and one per event (start,
//! reload, stop).
//!
//! Contract: a request's line has `ts` (Unix seconds), `request_id` (the client's
//! `X-Request-Id` when it is a short token of letters, digits, `-` and `_`, else one
//! made here; echoed in the answer), `method`, `route` (the pattern, never the URL
//! with its query), `status`, `bytes` (of the answer's body, when known) and
//! `duration_ms`. Never a body, a header value or a query: the document's content stays
//! out of logs.

use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::HeaderMap;
use serde_json::json;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn write(line: &serde_json::Value) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// The request's id: the client's, if it is a plain short token, else a new one.
pub fn request_id(headers: &HeaderMap) -> String {
    let given = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    match given {
        Some(id) => id.to_owned(),
        None => format!(
            "{:x}-{}",
            std::process::id(),
            NEXT_ID.fetch_add(1, Ordering::Relaxed)
        ),
    }
}

/// One answered request.
pub struct Line<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its method.
    pub method: &'a str,
    /// The route's pattern.
    pub route: &'a str,
    /// The answer's status.
    pub status: u16,
    /// The answer's body size, when known.
    pub bytes: Option<u64>,
    /// How long it took.
    pub took: Duration,
}

/// Logs one answered request.
pub fn request(line: &Line<'_>) {
    write(&json!({
        "ts": now(),
        "request_id": line.id,
        "method": line.method,
        "route": line.route,
        "status": line.status,
        "bytes": line.bytes,
        "duration_ms": (line.took.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
    }));
}

/// Logs an event of the service itself: `listening`, `reload`, `stopping`.
pub fn event(event: &str, ok: bool, detail: &str) {
    write(&json!({"ts": now(), "event": event, "ok": ok, "detail": detail}));
}
