//! How `phuluc serve` answers: JSON diagnostics for every problem, Vietnamese first.
//!
//! Contract: [`diagnostics`] is `{"diagnostics": [...]}` (each as `check --format json`
//! gives one: message in the asked language, both wordings, hints), with the status
//! given; [`lang`] reads `Accept-Language` (English only when English is asked before
//! Vietnamese). [`status_text`] says in both languages what an answer of a status means,
//! for the answers made by layers (413, 408, 404, 405, 504, 503, 401) so that no answer
//! of the service is anything but JSON diagnostics.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::check_report::diagnostic_json;
use crate::diag::{Diagnostic, Lang, Text};
use crate::text;

/// The language the client asked for: English only when it comes before Vietnamese.
pub(super) fn lang(headers: &HeaderMap) -> Lang {
    let asked = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    for tag in asked.split(',') {
        let tag = tag.split(';').next().unwrap_or_default().trim();
        if tag.starts_with("vi") {
            return Lang::Vi;
        }
        if tag.starts_with("en") {
            return Lang::En;
        }
    }
    Lang::Vi
}

/// `{"diagnostics": [...]}` with `status`.
pub(super) fn diagnostics(status: StatusCode, diags: &[Diagnostic], lang: Lang) -> Response {
    let body = serde_json::json!({
        "diagnostics": diags.iter().map(|d| diagnostic_json(d, lang)).collect::<Vec<_>>(),
    });
    json(status, &body)
}

/// A JSON answer.
pub(super) fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}

/// One error diagnostic with `status`.
pub(super) fn error(status: StatusCode, message: Text, lang: Lang) -> Response {
    diagnostics(status, &[Diagnostic::error(message)], lang)
}

/// What an answer of `status` made by a layer means, and what to do.
pub(super) fn status_text(status: StatusCode) -> (Text, Option<Text>) {
    match status.as_u16() {
        400 => (text!("yêu cầu không hợp lệ", "bad request"), None),
        401 => (
            text!("thiếu mã truy cập hoặc mã sai", "missing or wrong token"),
            Some(text!(
                "Gửi kèm tiêu đề “Authorization: Bearer MÃ” với mã trong tệp --token-file của dịch vụ.",
                "Send “Authorization: Bearer TOKEN” with the token in the service's --token-file."
            )),
        ),
        404 => (
            text!("không có đường dẫn này", "no such route"),
            Some(text!(
                "Các đường dẫn có trong /v1/openapi.json.",
                "The routes are listed in /v1/openapi.json."
            )),
        ),
        405 => (
            text!(
                "đường dẫn này không nhận phương thức đó",
                "this route does not take that method"
            ),
            None,
        ),
        408 => (
            text!(
                "nội dung gửi lên đến quá chậm",
                "the request body arrived too slowly"
            ),
            None,
        ),
        413 => (
            text!("nội dung gửi lên quá lớn", "the request body is too large"),
            Some(text!(
                "Dịch vụ nhận tối đa --max-body byte (mặc định 16 MiB).",
                "The service takes at most --max-body bytes (16 MiB by default)."
            )),
        ),
        415 => (
            text!(
                "kiểu nội dung không được hỗ trợ",
                "unsupported content type"
            ),
            None,
        ),
        503 => (
            text!(
                "dịch vụ đang bận: hàng đợi đã đầy",
                "the service is busy: the queue is full"
            ),
            Some(text!(
                "Gửi lại sau số giây trong tiêu đề Retry-After.",
                "Try again after the seconds in the Retry-After header."
            )),
        ),
        504 => (
            text!(
                "xử lý quá thời gian cho phép",
                "the work took longer than allowed"
            ),
            Some(text!(
                "Tài liệu quá lớn cho giới hạn --render-timeout của dịch vụ; chia nhỏ hoặc tăng giới hạn.",
                "The document is too large for the service's --render-timeout; split it or raise the limit."
            )),
        ),
        _ => (text!("lỗi của dịch vụ", "the service failed"), None),
    }
}

/// The JSON diagnostics for an answer of `status` a layer made.
pub(super) fn for_status(status: StatusCode, lang: Lang) -> Response {
    let (message, hint) = status_text(status);
    let mut d = Diagnostic::error(message);
    if let Some(h) = hint {
        d = d.hint(h);
    }
    diagnostics(status, &[d], lang)
}
