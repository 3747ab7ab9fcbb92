//! `POST /v1/report` over loopback against `phuluc report`: the same bytes (cmp) for pdf,
//! docx, xlsx and the zip's files, of the filled workbooks tests/integration/report.rs
//! makes (openpyxl) and of a fresh tracking workbook; the warnings (headers and
//! `format=json`) against the CLI's; the filled results read back from the PDF by
//! pdftotext; hostile workbooks (not a zip, over the reader's 32 MiB, a zip bomb, a cell
//! reference past XFD1048576, another plan's) refused with 422 in Vietnamese; malformed
//! requests 400; 413, 503 and 504 and the token as for the other work routes.
//!
//! Each test starts its own service on 127.0.0.1 port 0 (serve.rs's [`Service`]); every
//! wait is bounded.

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;

use serde_json::{Value, json};

use crate::common::{Extracted, pdftotext, phuluc, seed_yaml, stderr, tool};
use crate::report::{FILL_SEED, bomb, export, item_rows, python, rewrite};
use crate::serve::{Answer, Service, get, head, read_answer, request, unzip};
use crate::xlsx::python_module;

const BOUNDARY: &str = "phuluc-bao-cao-bien";

/// One multipart part: field name, file name, content type, bytes.
type Part<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

/// A multipart/form-data body of `parts`.
fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, file, content_type, bytes) in parts {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    body
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `POST path` with `parts`, and `extra` headers.
fn post_parts(at: &str, path: &str, extra: &[(&str, &str)], parts: &[Part<'_>]) -> Answer {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut headers = vec![("Content-Type", content_type.as_str())];
    headers.extend_from_slice(extra);
    request(at, "POST", path, &headers, &multipart(parts))
}

/// The plan part and one workbook part per (file name, bytes).
fn report_parts<'a>(plan: &'a [u8], workbooks: &'a [(String, Vec<u8>)]) -> Vec<Part<'a>> {
    let mut parts: Vec<Part<'a>> = vec![("plan", "ke-hoach.yaml", "application/yaml", plan)];
    for (name, bytes) in workbooks {
        parts.push(("workbook", name.as_str(), XLSX, bytes.as_slice()));
    }
    parts
}

/// Percent-decoding (RFC 3986), as a client reads the warning headers.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// The files `phuluc report ke-hoach.yaml WORKBOOK… --as-of AS_OF --format FORMAT` writes
/// in `dir` (the workbooks named as given, in `dir`), by name, and its stderr.
fn cli_report(
    dir: &Path,
    workbooks: &[&str],
    as_of: &str,
    format: &str,
) -> (Vec<(String, Vec<u8>)>, String) {
    let out_dir = dir.join("out");
    let _ = std::fs::remove_dir_all(&out_dir);
    let mut args = vec!["report", "ke-hoach.yaml"];
    args.extend_from_slice(workbooks);
    args.extend(["--as-of", as_of, "-o", "out", "--format", format]);
    let out = phuluc(dir, &args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out_dir)
        .expect("out")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect();
    files.sort();
    (files, err)
}

/// Asserts that every format the service makes of `workbooks` is the CLI's bytes; the
/// PDF's bytes.
fn same_bytes_as_the_cli(
    at: &str,
    dir: &Path,
    plan: &[u8],
    workbooks: &[(String, Vec<u8>)],
    as_of: &str,
) -> Vec<u8> {
    let names: Vec<&str> = workbooks.iter().map(|(n, _)| n.as_str()).collect();
    let parts = report_parts(plan, workbooks);
    let mut pdf = Vec::new();
    for (format, cli_format) in [("pdf", "pdf"), ("docx", "docx"), ("xlsx", "xlsx")] {
        let (cli, _) = cli_report(dir, &names, as_of, cli_format);
        assert_eq!(cli.len(), 1, "{cli_format}");
        let answer = post_parts(
            at,
            &format!("/v1/report?format={format}&as_of={as_of}"),
            &[],
            &parts,
        );
        assert_eq!(
            answer.status,
            200,
            "{format}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        assert!(answer.body == cli[0].1, "{format}: not the CLI's bytes");
        assert_eq!(
            answer.header("content-disposition"),
            Some(format!("attachment; filename=\"{}\"", cli[0].0).as_str())
        );
        if format == "pdf" {
            assert_eq!(answer.header("content-type"), Some("application/pdf"));
            pdf = answer.body;
        }
    }
    let (cli, _) = cli_report(dir, &names, as_of, "all");
    let answer = post_parts(
        at,
        &format!("/v1/report?format=zip&as_of={as_of}"),
        &[],
        &parts,
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/zip"));
    assert_eq!(
        answer.header("content-disposition"),
        Some("attachment; filename=\"ke-hoach-bao-cao.zip\"")
    );
    let mut entries = unzip(&answer.body);
    entries.sort();
    let entry_names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        entry_names,
        ["ke-hoach-bao-cao.docx", "ke-hoach-bao-cao.pdf"]
    );
    assert!(entries == cli, "zip: not the CLI's files");
    pdf
}

#[test]
fn serve_report_gives_the_clis_bytes_and_warnings_for_filled_workbooks() {
    if !(python_module("openpyxl") && tool("pdftotext")) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    std::fs::copy(seed_yaml(), d.join("ke-hoach.yaml")).expect("copy seed");
    let plan = std::fs::read(d.join("ke-hoach.yaml")).expect("plan");
    // The two workbooks report.rs fills: a clerk's (a status typed past the drop-down, a
    // sorted sheet, a deleted row) and the lead agency's, which wins their conflict.
    let xlsx = d.join("theo-doi.xlsx");
    export(&seed_yaml(), &xlsx);
    let agencies = crate::agencies::agencies_json();
    let agency_keys: Vec<String> = agencies["agencies"]
        .as_array()
        .expect("agencies")
        .iter()
        .find(|a| a["slug"] == "phong-van-hoa-xa-hoi")
        .expect("the agency")["appendices"]
        .as_array()
        .expect("appendices")
        .iter()
        .flat_map(|a| a["lead_rows"].as_array().expect("rows").iter())
        .map(|r| r["key"].as_str().expect("key").to_owned())
        .collect();
    let spec = d.join("spec.json");
    let spec_json = json!({"sheets": item_rows(&seed_yaml()), "agency_keys": agency_keys});
    std::fs::write(&spec, spec_json.to_string()).expect("spec");
    let (a, b) = (d.join("tong-hop.xlsx"), d.join("phong-van-hoa-xa-hoi.xlsx"));
    let wrote = python(FILL_SEED, &[&xlsx, &spec, &a, &b]);
    let workbooks: Vec<(String, Vec<u8>)> = [&a, &b]
        .iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(p).expect("read"))
        })
        .collect();

    let service = Service::start(d, &[]);
    let at = &service.address;
    let as_of = "31/12/2028";
    let pdf = same_bytes_as_the_cli(at, d, &plan, &workbooks, as_of);

    // The filled results are in the PDF, as pdftotext reads it.
    let pdf_file = d.join("tu-dich-vu.pdf");
    std::fs::write(&pdf_file, &pdf).expect("write pdf");
    let text = Extracted::new(&pdftotext(&pdf_file, &[]));
    // The lead agency's workbook wins a conflict: its results, then the clerk's others.
    let (by_agency, by_clerk) = (
        wrote["B"].as_object().expect("B"),
        wrote["A"].as_object().expect("A"),
    );
    let mut results = 0;
    let others = by_clerk.iter().filter(|(k, _)| !by_agency.contains_key(*k));
    for (_, v) in by_agency.iter().chain(others) {
        let result = v[1].as_str().expect("result");
        assert!(text.contains(result), "{result} in the PDF");
        results += 1;
    }
    assert!(results >= 10, "{results} results checked");

    // The warnings: every one the CLI prints, the workbook's named "file, sheet!cell".
    let names: Vec<&str> = workbooks.iter().map(|(n, _)| n.as_str()).collect();
    let (_, cli_err) = cli_report(d, &names, as_of, "pdf");
    let parts = report_parts(&plan, &workbooks);
    let full = post_parts(
        at,
        &format!("/v1/report?format=json&as_of={as_of}"),
        &[],
        &parts,
    );
    assert_eq!(full.status, 200);
    let full = full.json();
    let diags = full["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(full["warnings"], json!(diags.len()));
    let messages: Vec<&str> = diags
        .iter()
        .map(|d| d["message"].as_str().expect("message"))
        .collect();
    for m in &messages {
        assert!(cli_err.contains(m), "{m} in the CLI's warnings:\n{cli_err}");
    }
    let typed = format!(
        "tong-hop.xlsx, Phụ lục II!{}: Tiến độ “xong rồi” không có trong danh sách",
        wrote["typed"]["cell"].as_str().expect("cell")
    );
    assert!(
        messages.iter().any(|m| m.starts_with(&typed)),
        "{typed} in {messages:?}"
    );
    assert!(diags.iter().all(|d| d["severity"] == "warning"));
    let summary = full["summary"].as_str().expect("summary");
    assert!(
        cli_err.lines().any(|l| l == summary),
        "{summary} is the CLI's:\n{cli_err}"
    );

    // With the document: the count, the first messages whole, the summary.
    let answer = post_parts(
        at,
        &format!("/v1/report?format=pdf&as_of={as_of}"),
        &[],
        &parts,
    );
    assert_eq!(
        answer.header("x-phuluc-warnings"),
        Some(messages.len().to_string().as_str())
    );
    let header = answer
        .header("x-phuluc-warning-messages")
        .expect("messages header");
    assert!(header.len() <= 2048, "{} bytes", header.len());
    let shown: Vec<String> = serde_json::from_str(&percent_decode(header)).expect("a JSON array");
    assert!(!shown.is_empty());
    // The workbooks' warnings (no plan file named) first, then the plan's.
    let ordered: Vec<&str> = diags
        .iter()
        .filter(|d| d["file"].is_null())
        .chain(diags.iter().filter(|d| !d["file"].is_null()))
        .map(|d| d["message"].as_str().expect("message"))
        .collect();
    assert_eq!(
        shown[..],
        ordered[..shown.len()],
        "a prefix of the warnings, whole"
    );
    assert!(
        shown.iter().any(|m| m.starts_with(&typed)),
        "{typed} in {shown:?}"
    );
    assert_eq!(
        percent_decode(answer.header("x-phuluc-summary").expect("summary")),
        summary
    );
    // In English when asked.
    let en = post_parts(
        at,
        &format!("/v1/report?format=json&as_of={as_of}"),
        &[("Accept-Language", "en")],
        &parts,
    )
    .json();
    let first = &en["diagnostics"][0];
    assert_eq!(first["message"], first["message_en"]);
    assert_ne!(first["message"], first["message_vi"]);

    // The plan as JSON (the part's Content-Type) gives the same PDF.
    let value: Value = serde_saphyr::from_str(&String::from_utf8_lossy(&plan)).expect("yaml");
    let as_json = serde_json::to_vec(&value).expect("json");
    let mut json_parts = parts.clone();
    json_parts[0] = ("plan", "ke-hoach.json", "application/json", &as_json);
    let answer = post_parts(
        at,
        &format!("/v1/report?format=pdf&as_of={as_of}"),
        &[],
        &json_parts,
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert!(answer.body == pdf, "a JSON plan: not the YAML's PDF");
}

/// Sends the head of a report request and the first `sent` bytes of its body.
fn partial(at: &str, body: &[u8], sent: usize) -> TcpStream {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut stream = TcpStream::connect(at).expect("connect");
    let mut bytes = head(
        "POST",
        "/v1/report",
        &[("Content-Type", &content_type)],
        body.len(),
    );
    bytes.extend_from_slice(&body[..sent]);
    stream.write_all(&bytes).expect("send");
    stream
}

#[test]
fn serve_report_refuses_hostile_workbooks_and_malformed_requests_in_vietnamese() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    std::fs::copy(seed_yaml(), d.join("ke-hoach.yaml")).expect("copy seed");
    let plan = std::fs::read(d.join("ke-hoach.yaml")).expect("plan");
    let xlsx = d.join("theo-doi.xlsx");
    export(&seed_yaml(), &xlsx);
    let fresh = std::fs::read(&xlsx).expect("workbook");
    let other = d.join("kinh-phi.xlsx");
    export(
        &crate::common::root().join("data/vi-du-kinh-phi.yaml"),
        &other,
    );
    let mut over_cap = fresh.clone();
    over_cap.resize((32 << 20) + 1, 0);
    let past_xfd = rewrite(&xlsx, "xl/worksheets/sheet2.xml", |x| {
        let start = x.find("<dimension ref=\"").expect("dimension") + "<dimension ref=\"".len();
        let end = start + x[start..].find('"').expect("end");
        format!("{}A1:J{}27{}", &x[..start], "M".repeat(90), &x[end..])
    });
    let service = Service::start(
        d,
        &["--max-body", "40000000", "--workers", "1", "--queue", "0"],
    );
    let at = &service.address.clone();

    // Workbooks the reader refuses, and one of another plan: 422, the error first, in
    // Vietnamese, naming the part's file.
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "khong-phai-zip.xlsx",
            b"hello".to_vec(),
            "khong-phai-zip.xlsx: tệp không phải bảng tính Excel (.xlsx)",
        ),
        (
            "qua-lon.xlsx",
            over_cap,
            "qua-lon.xlsx: tệp nặng 32 MB, quá 32 MB phuluc đọc",
        ),
        (
            "bom-zip.xlsx",
            bomb(&xlsx),
            "bom-zip.xlsx: phần xl/media/bom.bin của tệp giải nén ra quá 64 MB (có thể là “bom zip”)",
        ),
        (
            "tham-chieu.xlsx",
            past_xfd,
            "tham-chieu.xlsx: phần xl/worksheets/sheet2.xml của tệp bị mã hóa hoặc hỏng (tham chiếu ô “A1:JMMMM",
        ),
        (
            "Sổ của Phòng.xlsx",
            std::fs::read(&other).expect("read"),
            "Sổ của Phòng.xlsx: không phải sổ theo dõi của kế hoạch này",
        ),
    ];
    for (name, bytes, want) in &cases {
        let workbooks = [(name.to_string(), bytes.clone())];
        let answer = post_parts(
            at,
            "/v1/report?format=pdf",
            &[],
            &report_parts(&plan, &workbooks),
        );
        assert_eq!(
            answer.status,
            422,
            "{name}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        let first = &answer.json()["diagnostics"][0];
        assert_eq!(first["severity"], json!("error"), "{name}");
        assert!(
            answer.message().starts_with(want),
            "{name}: {}",
            answer.message()
        );
    }
    // English when asked.
    let workbooks = [("x.xlsx".to_owned(), b"hello".to_vec())];
    let en = post_parts(
        at,
        "/v1/report",
        &[("Accept-Language", "en-US,en;q=0.9")],
        &report_parts(&plan, &workbooks),
    );
    assert_eq!(en.status, 422);
    assert_eq!(
        en.json()["diagnostics"][0]["message"],
        json!("x.xlsx: the file is not an Excel workbook (.xlsx)")
    );
    // A plan with an error: 422 at its line and column.
    let typo = String::from_utf8_lossy(&plan).replacen("- muc_tieu: >-", "- muc_tieux: >-", 1);
    let good = [("theo-doi.xlsx".to_owned(), fresh.clone())];
    let answer = post_parts(at, "/v1/report", &[], &report_parts(typo.as_bytes(), &good));
    assert_eq!(answer.status, 422);
    let first = &answer.json()["diagnostics"][0];
    assert_eq!(
        (
            first["file"].clone(),
            first["line"].clone(),
            first["column"].clone()
        ),
        (json!("ke-hoach.yaml"), json!(21), json!(13))
    );

    // Requests not as documented: 400 (415 for a plan of another type), in Vietnamese.
    let wb: Part<'_> = ("workbook", "theo-doi.xlsx", XLSX, &fresh);
    let pl: Part<'_> = ("plan", "ke-hoach.yaml", "application/yaml", &plan);
    let cases: Vec<(&str, Vec<Part<'_>>, u16, &str)> = vec![
        ("/v1/report", vec![wb], 400, "thiếu phần “plan” (kế hoạch)"),
        (
            "/v1/report",
            vec![pl],
            400,
            "thiếu phần “workbook”: cần ít nhất một sổ theo dõi đã điền (.xlsx)",
        ),
        ("/v1/report", vec![pl, pl, wb], 400, "có hai phần “plan”"),
        (
            "/v1/report",
            vec![pl, wb, ("workbooks", "b.xlsx", XLSX, &fresh)],
            400,
            "không có phần “workbooks”",
        ),
        (
            "/v1/report?format=odt",
            vec![pl, wb],
            400,
            "không có định dạng “odt”",
        ),
        (
            "/v1/report?as_of=ngay-mai",
            vec![pl, wb],
            400,
            "as_of “ngay-mai” không phải một ngày",
        ),
        (
            "/v1/report",
            vec![("plan", "a.png", "image/png", &plan), wb],
            415,
            "kiểu nội dung “image/png” không được hỗ trợ",
        ),
    ];
    for (path, parts, status, want) in &cases {
        let answer = post_parts(at, path, &[], parts);
        assert_eq!(
            answer.status,
            *status,
            "{want}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        assert!(
            answer.message().starts_with(want),
            "{want}: {}",
            answer.message()
        );
    }
    let not_multipart = request(
        at,
        "POST",
        "/v1/report",
        &[("Content-Type", "application/yaml")],
        &plan,
    );
    assert_eq!(not_multipart.status, 400);
    assert_eq!(
        not_multipart.message(),
        "nội dung gửi lên không phải multipart/form-data"
    );
    let mut broken = multipart(&[pl, wb]);
    broken.truncate(broken.len() - 30);
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let cut = request(
        at,
        "POST",
        "/v1/report",
        &[("Content-Type", &content_type)],
        &broken,
    );
    assert_eq!(cut.status, 400, "{}", String::from_utf8_lossy(&cut.body));
    // 413 from Content-Length alone.
    let mut stream = TcpStream::connect(at).expect("connect");
    let _ = stream.write_all(&head(
        "POST",
        "/v1/report",
        &[("Content-Type", &content_type)],
        50_000_000,
    ));
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 413);
    assert_eq!(answer.message(), "nội dung gửi lên quá lớn");
    // Under the same admission as the other work: one in flight, the next is 503.
    let body = multipart(&[pl, wb]);
    let mut first = partial(at, &body, 100);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let busy = post_parts(at, "/v1/report", &[], &[pl, wb]);
    assert_eq!(busy.status, 503);
    assert_eq!(busy.header("retry-after"), Some("1"));
    first.write_all(&body[100..]).expect("rest");
    let done = read_answer(&mut first);
    assert_eq!(done.status, 200, "{}", String::from_utf8_lossy(&done.body));

    // The service is unharmed, counted every answer, and logged no content.
    assert_eq!(get(at, "/healthz").status, 200);
    let metrics = String::from_utf8_lossy(&get(at, "/metrics").body).into_owned();
    for line in [
        "phuluc_requests_total{route=\"/v1/report\",status=\"422\"} 7",
        "phuluc_requests_total{route=\"/v1/report\",status=\"413\"} 1",
        "phuluc_requests_total{route=\"/v1/report\",status=\"503\"} 1",
        "phuluc_requests_total{route=\"/v1/report\",status=\"200\"} 1",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
    }
    let log = service.log_lines();
    let reports = log
        .iter()
        .filter(|l| l.contains("\"route\":\"/v1/report\""))
        .count();
    assert!(reports >= 18, "{reports} log lines of /v1/report");
    assert!(log.iter().all(|l| !l.contains("Thạch Khôi")
        && !l.contains("panicked")
        && !l.contains("Sổ của Phòng")));
    drop(service);

    // 504 past the render cap, as /v1/render.
    let slow = Service::start(d, &["--render-timeout", "0.001"]);
    let answer = post_parts(&slow.address, "/v1/report", &[], &[pl, wb]);
    assert_eq!(answer.status, 504);
    assert_eq!(answer.message(), "xử lý quá thời gian cho phép");
}

#[test]
fn serve_report_needs_the_token_and_gives_the_clis_pdf_of_a_fresh_workbook() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    std::fs::copy(seed_yaml(), d.join("ke-hoach.yaml")).expect("copy seed");
    let plan = std::fs::read(d.join("ke-hoach.yaml")).expect("plan");
    export(&seed_yaml(), &d.join("theo-doi.xlsx"));
    let workbooks = [(
        "theo-doi.xlsx".to_owned(),
        std::fs::read(d.join("theo-doi.xlsx")).expect("read"),
    )];
    std::fs::write(d.join("token"), "bi-mat-0123456789\n").expect("token");
    let service = Service::start(d, &["--token-file", "token"]);
    let at = &service.address;
    let parts = report_parts(&plan, &workbooks);
    for auth in [None, Some("Bearer sai")] {
        let extra: Vec<(&str, &str)> = auth.map(|a| ("Authorization", a)).into_iter().collect();
        let answer = post_parts(at, "/v1/report", &extra, &parts);
        assert_eq!(answer.status, 401, "{auth:?}");
        assert_eq!(
            answer.header("www-authenticate"),
            Some("Bearer realm=\"phuluc\"")
        );
        assert_eq!(answer.message(), "thiếu mã truy cập hoặc mã sai");
    }
    let good = [("Authorization", "Bearer bi-mat-0123456789")];
    let answer = post_parts(at, "/v1/report?format=pdf&as_of=30/06/2026", &good, &parts);
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let (cli, err) = cli_report(d, &["theo-doi.xlsx"], "30/06/2026", "pdf");
    assert!(answer.body == cli[0].1, "not the CLI's PDF");
    assert!(err.contains("26 chưa báo cáo"), "{err}");
}
