//! `POST /v1/report`: `phuluc report` as a route — a plan and its filled-in tracking
//! workbooks in one multipart body, the progress report's bytes out.
//!
//! Contract: the body is `multipart/form-data` with one `plan` part (YAML, or JSON of the
//! same schema when the part says `Content-Type: application/json`; its file name's stem
//! names the report's files and its messages, as the CLI's plan file does, unless
//! `name=NAME` is given) and one or more `workbook` parts (.xlsx, at most
//! [`MAX_WORKBOOKS`], in order of precedence; each part's file name is what warnings
//! name). The work is [`crate::report::make`] — what `phuluc report` itself calls after
//! reading its files — so `format=pdf|docx|xlsx` is byte-identical to the file the CLI
//! writes for the same plan, workbooks and `as_of`, and `format=zip` holds the .docx and
//! the PDF of `--format all`. The report's warnings go with the document in headers:
//! `X-Phuluc-Warnings` (how many), `X-Phuluc-Warning-Messages` (their messages, in the
//! language asked, as a percent-encoded JSON array of strings, the workbooks' before the
//! plan's, whole messages only within [`MAX_HEADER_BYTES`]: a shorter list than the count
//! means it was cut) and
//! `X-Phuluc-Summary` (the CLI's one-line summary, percent-encoded); `format=json` makes
//! no document and answers every warning in full, as `/v1/check` does for a plan. A part
//! missing, unknown or repeated is 400; a plan or workbook that cannot be used (one the
//! workbook reader refuses: over 32 MiB, not a zip, a zip bomb, a cell past XFD1048576 …)
//! is 422 with its diagnostics, the errors first. Nothing here reads or writes a file.

// The helpers' `Err` is the answer itself (axum's idiom), made at most once per request.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::json;

use super::app::{App, Assets};
use super::handle::{blocking, failed, file_name, type_is_json};
use super::reply;
use super::work::{self, Failure};
use crate::diag::{Diagnostic, Lang, Text};
use crate::document::Date;
use crate::report::{Formats, Input, PlanText, Settings};
use crate::text;

/// The most workbook parts one request may send.
pub const MAX_WORKBOOKS: usize = 200;

/// The most bytes `X-Phuluc-Warning-Messages` holds: well inside the 4 KiB a default
/// nginx (`proxy_buffer_size`) keeps for a whole answer's head.
pub const MAX_HEADER_BYTES: usize = 2048;

/// What `format=` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    Docx,
    Xlsx,
    /// The .docx and the PDF (`--format all`), zipped.
    Zip,
    /// No document: the summary and every warning.
    Json,
}

#[derive(Debug, Deserialize)]
pub(super) struct ReportQuery {
    format: Option<String>,
    as_of: Option<String>,
    name: Option<String>,
}

/// The parts of the body.
struct Parts {
    plan: Bytes,
    plan_json: bool,
    /// The plan part's file name, without its extension.
    plan_stem: Option<String>,
    workbooks: Vec<(String, Bytes)>,
}

/// What the work made.
struct Made {
    files: Vec<(String, Vec<u8>)>,
    warnings: Vec<Diagnostic>,
    summary: Text,
}

/// A 400 with one diagnostic and the route's hint.
fn bad(message: Text, lang: Lang) -> Response {
    reply::diagnostics(
        StatusCode::BAD_REQUEST,
        &[Diagnostic::error(message).hint(text!(
            "Gửi multipart/form-data: một phần “plan” (kế hoạch YAML hoặc JSON) và một hay nhiều phần “workbook” (sổ theo dõi .xlsx đã điền); format=pdf|docx|xlsx|zip|json, as_of=dd/mm/yyyy (xem /v1/openapi.json).",
            "Send multipart/form-data: one “plan” part (the plan, YAML or JSON) and one or more “workbook” parts (filled-in .xlsx tracking workbooks); format=pdf|docx|xlsx|zip|json, as_of=dd/mm/yyyy (see /v1/openapi.json)."
        ))],
        lang,
    )
}

/// A workbook part's name in messages: the last segment of the file name the client
/// gave (its letters kept, Vietnamese too), without control characters, at most 100
/// characters; `so-theo-doi-N.xlsx` when there is none.
fn workbook_name(asked: Option<&str>, n: usize) -> String {
    let last = asked
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).take(100).collect();
    let name = name.trim();
    if name.is_empty() || name.chars().all(|c| c == '.') {
        format!("so-theo-doi-{n}.xlsx")
    } else {
        name.to_owned()
    }
}

/// Reads the multipart body into its parts, or the answer saying what is wrong.
async fn parts(
    multipart: Result<Multipart, MultipartRejection>,
    lang: Lang,
) -> Result<Parts, Response> {
    let Ok(mut multipart) = multipart else {
        return Err(bad(
            text!(
                "nội dung gửi lên không phải multipart/form-data",
                "the body is not multipart/form-data"
            ),
            lang,
        ));
    };
    let mut plan = None;
    let mut workbooks = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(broken(e.status(), lang)),
        };
        let part = field.name().unwrap_or_default().to_owned();
        match part.as_str() {
            "plan" if plan.is_some() => {
                return Err(bad(
                    text!(
                        "có hai phần “plan”: mỗi báo cáo là của một kế hoạch",
                        "two “plan” parts: a report is of one plan"
                    ),
                    lang,
                ));
            }
            "plan" => {
                let json = type_is_json(field.content_type(), lang)?;
                let stem = field.file_name().map(|n| {
                    let last = n.rsplit(['/', '\\']).next().unwrap_or_default();
                    let lower = last.to_ascii_lowercase();
                    [".yaml", ".yml", ".json"]
                        .iter()
                        .find(|ext| lower.ends_with(*ext))
                        .map_or(last, |ext| &last[..last.len() - ext.len()])
                        .to_owned()
                });
                let bytes = field.bytes().await.map_err(|e| broken(e.status(), lang))?;
                plan = Some((bytes, json, stem));
            }
            "workbook" => {
                if workbooks.len() == MAX_WORKBOOKS {
                    return Err(bad(
                        text!(
                            format!("quá {MAX_WORKBOOKS} phần “workbook”"),
                            format!("over {MAX_WORKBOOKS} “workbook” parts")
                        ),
                        lang,
                    ));
                }
                let name = workbook_name(field.file_name(), workbooks.len() + 1);
                let bytes = field.bytes().await.map_err(|e| broken(e.status(), lang))?;
                workbooks.push((name, bytes));
            }
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(bad(
                    text!(
                        format!("không có phần “{shown}”: chỉ nhận “plan” và “workbook”"),
                        format!("no part “{shown}”: only “plan” and “workbook” are taken")
                    ),
                    lang,
                ));
            }
        }
    }
    let Some((plan, plan_json, plan_stem)) = plan else {
        return Err(bad(
            text!("thiếu phần “plan” (kế hoạch)", "the “plan” part is missing"),
            lang,
        ));
    };
    if workbooks.is_empty() {
        return Err(bad(
            text!(
                "thiếu phần “workbook”: cần ít nhất một sổ theo dõi đã điền (.xlsx)",
                "no “workbook” part: at least one filled-in tracking workbook (.xlsx) is needed"
            ),
            lang,
        ));
    }
    Ok(Parts {
        plan,
        plan_json,
        plan_stem,
        workbooks,
    })
}

/// A body that broke off or grew past the cap, said as its status (413, 408, 400).
fn broken(status: StatusCode, lang: Lang) -> Response {
    reply::for_status(status, lang)
}

/// `POST /v1/report?format=pdf|docx|xlsx|zip|json[&as_of=dd/mm/yyyy][&name=NAME]`.
pub(super) async fn report(
    State(app): State<Arc<App>>,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = reply::lang(&headers);
    let Ok(Query(query)) = query else {
        return bad(
            text!("tham số không hợp lệ", "invalid query parameters"),
            lang,
        );
    };
    let kind = match query.format.as_deref().unwrap_or("pdf") {
        "pdf" => Kind::Pdf,
        "docx" => Kind::Docx,
        "xlsx" => Kind::Xlsx,
        "zip" => Kind::Zip,
        "json" => Kind::Json,
        other => {
            let shown: String = other.chars().take(40).collect();
            return bad(
                text!(
                    format!("không có định dạng “{shown}”"),
                    format!("no format “{shown}”")
                ),
                lang,
            );
        }
    };
    let Ok(as_of) = crate::report::clock::as_of(query.as_of.as_deref()) else {
        let shown: String = query.as_of.unwrap_or_default().chars().take(40).collect();
        return bad(
            text!(
                format!("as_of “{shown}” không phải một ngày dd/mm/yyyy"),
                format!("as_of “{shown}” is not a dd/mm/yyyy date")
            ),
            lang,
        );
    };
    let parts = match parts(multipart, lang).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let asked = query.name.as_deref().or(parts.plan_stem.as_deref());
    let name = file_name(asked, "ke-hoach");
    let stem = name.clone();
    let made = blocking(&app, lang, move |assets| {
        make(parts, &name, kind, as_of, assets)
    })
    .await;
    match made {
        Err(response) => response,
        Ok(Err(failure)) => failed(failure, lang),
        Ok(Ok(made)) => answer(made, kind, &stem, lang),
    }
}

/// The report of `parts`, as the CLI makes it of the same files.
fn make(
    parts: Parts,
    name: &str,
    kind: Kind,
    as_of: Date,
    assets: &Assets,
) -> Result<Made, Failure> {
    let path = work::plan_path(name);
    let src = work::plan_text(&parts.plan, &path, parts.plan_json).map_err(Failure::Input)?;
    // Moved, not copied, where the body's buffer is the part's alone.
    let workbooks: Vec<Input> = parts
        .workbooks
        .into_iter()
        .map(|(n, b)| (n, Vec::from(b)))
        .collect();
    let settings = Settings {
        as_of,
        formats: Formats {
            docx: matches!(kind, Kind::Docx | Kind::Zip),
            pdf: matches!(kind, Kind::Pdf | Kind::Zip),
            xlsx: kind == Kind::Xlsx,
        },
        templates: &assets.templates,
        pdf: &assets.pdf,
    };
    let done = crate::report::make(PlanText { src, path: &path }, &workbooks, &settings).map_err(
        |diags| {
            // What stopped the report first, then the plan's warnings the CLI also prints.
            let (mut errors, warnings): (Vec<_>, Vec<_>) =
                diags.into_iter().partition(Diagnostic::is_error);
            errors.extend(warnings);
            Failure::Input(errors)
        },
    )?;
    let files = done
        .outputs
        .into_iter()
        .map(|(p, bytes)| (p.display().to_string(), bytes))
        .collect();
    Ok(Made {
        files,
        warnings: done.warnings,
        summary: done.summary,
    })
}

/// The answer: the document with the warnings' headers, or (`json`) the warnings.
fn answer(made: Made, kind: Kind, stem: &str, lang: Lang) -> Response {
    let Made {
        mut files,
        warnings,
        summary,
    } = made;
    if kind == Kind::Json {
        return reply::json(
            StatusCode::OK,
            &json!({
                "summary": summary.get(lang),
                "warnings": warnings.len(),
                "diagnostics": warnings
                    .iter()
                    .map(|d| crate::check_report::diagnostic_json(d, lang))
                    .collect::<Vec<_>>(),
            }),
        );
    }
    let (content_type, file_name, bytes) = if kind == Kind::Zip {
        let entries = files.iter().map(|(n, b)| (n.as_str(), b.as_slice()));
        match work::zip(entries) {
            Ok(bytes) => ("application/zip", format!("{stem}-bao-cao.zip"), bytes),
            Err(d) => return failed(Failure::Tool(vec![d]), lang),
        }
    } else {
        let Some((name, bytes)) = files.pop() else {
            return failed(Failure::Tool(Vec::new()), lang);
        };
        let content_type = match kind {
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        };
        (content_type, name, bytes)
    };
    let mut response = (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        bytes,
    )
        .into_response();
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    set(
        "content-disposition",
        format!("attachment; filename=\"{file_name}\""),
    );
    set("x-phuluc-warnings", warnings.len().to_string());
    set(
        "x-phuluc-warning-messages",
        messages_header(&header_order(&warnings), lang, MAX_HEADER_BYTES),
    );
    set("x-phuluc-summary", percent_encode(summary.get(lang)));
    response
}

/// The warnings in the header's order: the workbooks' first (they name no file of the
/// plan: what this request is about), then the plan's, each in the CLI's order.
fn header_order(warnings: &[Diagnostic]) -> Vec<Diagnostic> {
    let (workbooks, plan): (Vec<_>, Vec<_>) =
        warnings.iter().cloned().partition(|d| d.file.is_none());
    workbooks.into_iter().chain(plan).collect()
}

/// The warnings' messages in `lang` as a JSON array of strings, percent-encoded, with as
/// many whole messages, in order, as fit in `cap` bytes.
fn messages_header(warnings: &[Diagnostic], lang: Lang, cap: usize) -> String {
    let mut out = percent_encode("[");
    let close = percent_encode("]");
    let comma = percent_encode(",");
    for (i, d) in warnings.iter().enumerate() {
        let item = percent_encode(&serde_json::Value::from(d.message.get(lang)).to_string());
        let sep = if i == 0 { "" } else { comma.as_str() };
        if out.len() + sep.len() + item.len() + close.len() > cap {
            break;
        }
        out.push_str(sep);
        out.push_str(&item);
    }
    out.push_str(&close);
    out
}

/// `text` with every byte but RFC 3986's unreserved ones (`A-Z a-z 0-9 - . _ ~`) as
/// `%XX`: what any URL decoder (`decodeURIComponent`, `urllib.parse.unquote`) reads back.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_header_holds_whole_messages_within_its_cap() {
        let w = |vi: &str| Diagnostic::warning(text!(vi.to_owned(), "en".to_owned()));
        let warnings = [w("Tiến độ “xong rồi”"), w("a,b"), w(&"x".repeat(100))];
        let all = messages_header(&warnings, Lang::Vi, 4096);
        assert_eq!(
            all,
            "%5B%22Ti%E1%BA%BFn%20%C4%91%E1%BB%99%20%E2%80%9Cxong%20r%E1%BB%93i%E2%80%9D%22%2C%22a%2Cb%22%2C%22".to_owned()
                + &"x".repeat(100)
                + "%22%5D"
        );
        let cut = messages_header(&warnings, Lang::Vi, 120);
        assert_eq!(
            cut,
            "%5B%22Ti%E1%BA%BFn%20%C4%91%E1%BB%99%20%E2%80%9Cxong%20r%E1%BB%93i%E2%80%9D%22%2C%22a%2Cb%22%5D"
        );
        assert_eq!(messages_header(&warnings, Lang::Vi, 10), "%5B%5D");
        assert_eq!(messages_header(&[], Lang::En, 10), "%5B%5D");
    }

    #[test]
    fn workbook_names_keep_the_clerks_letters_but_no_path() {
        assert_eq!(
            workbook_name(Some("C:\\Sổ\\Phòng Văn hóa.xlsx"), 1),
            "Phòng Văn hóa.xlsx"
        );
        assert_eq!(workbook_name(Some("../../etc/a\u{7}b.xlsx"), 1), "ab.xlsx");
        assert_eq!(workbook_name(Some(".."), 2), "so-theo-doi-2.xlsx");
        assert_eq!(workbook_name(None, 3), "so-theo-doi-3.xlsx");
    }
}
