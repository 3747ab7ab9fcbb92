//! The preview's small answers: a status with a body of a type, a short plain text.
//!
//! Contract: a leaf the routes, the event stream and the editing API share.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A response of `status` with `body` of `content_type`.
pub(super) fn reply(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

/// A short plain-text answer.
pub(super) fn plain(status: u16, text: &str) -> Response {
    reply(
        status,
        "text/plain; charset=utf-8",
        text.as_bytes().to_vec(),
    )
}
