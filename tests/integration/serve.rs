//! `phuluc serve` over loopback: every route's content against the CLI's, every limit
//! (413, 504, 503, slow headers, a client gone mid-upload), the token, SIGTERM with a
//! request in flight, the metrics, and the OpenAPI file against the router.
//!
//! Each test starts its own service on 127.0.0.1 port 0 and stops it; every wait is
//! bounded (10 s reads, 60 s for the service to start). Nothing is timed but in bounds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{phuluc, seed_yaml, zip_of};

/// A running `phuluc serve` and its address.
pub(crate) struct Service {
    pub(crate) child: Child,
    pub(crate) address: String,
    log: Receiver<String>,
}

impl Service {
    pub(crate) fn start(dir: &Path, args: &[&str]) -> Service {
        let mut child = Command::new(env!("CARGO_BIN_EXE_phuluc"))
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start phuluc serve");
        let (tx, log) = channel();
        let err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        // Built first, so a service that never says its address is still killed.
        let mut service = Service {
            child,
            address: String::new(),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline
                .checked_duration_since(Instant::now())
                .expect("serve did not start within 60 s");
            let line = service.log.recv_timeout(left).expect("serve's log");
            if let Ok(v) = serde_json::from_str::<Value>(&line)
                && v["event"] == "listening"
            {
                let url = v["detail"].as_str().expect("address");
                service.address = url
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_owned();
                return service;
            }
        }
    }

    /// SIGTERM; the exit status within 20 s.
    pub(crate) fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("serve did not stop within 20 s of SIGTERM");
    }

    /// The log lines so far.
    pub(crate) fn log_lines(&self) -> Vec<String> {
        self.log.try_iter().collect()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, headers (lower-case names), body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{e}: {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The first diagnostic's Vietnamese message.
    pub(crate) fn message(&self) -> String {
        self.json()["diagnostics"][0]["message_vi"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// Reads one whole answer (the service says `Content-Length`; `Connection: close`).
pub(crate) fn read_answer(stream: &mut TcpStream) -> Answer {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body,
    }
}

/// The head of a request with `extra` header lines and a body of `length` bytes.
pub(crate) fn head(method: &str, path: &str, extra: &[(&str, &str)], length: usize) -> Vec<u8> {
    let mut out = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {length}\r\n"
    );
    for (n, v) in extra {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

pub(crate) fn request(
    address: &str,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut stream = TcpStream::connect(address).expect("connect");
    let mut bytes = head(method, path, extra, body.len());
    bytes.extend_from_slice(body);
    let _ = stream.write_all(&bytes);
    read_answer(&mut stream)
}

pub(crate) fn post(address: &str, path: &str, body: &[u8]) -> Answer {
    request(
        address,
        "POST",
        path,
        &[("Content-Type", "application/yaml")],
        body,
    )
}

pub(crate) fn get(address: &str, path: &str) -> Answer {
    request(address, "GET", path, &[], b"")
}

/// A copy of the seed as `ke-hoach.yaml` in `dir`, and its bytes.
pub(crate) fn seed(dir: &Path) -> (PathBuf, Vec<u8>) {
    let file = dir.join("ke-hoach.yaml");
    std::fs::copy(seed_yaml(), &file).expect("copy seed");
    let bytes = std::fs::read(&file).expect("seed");
    (file, bytes)
}

/// The entries of a zip, by name.
pub(crate) fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("entry");
            let mut out = Vec::new();
            f.read_to_end(&mut out).expect("read entry");
            (f.name().to_owned(), out)
        })
        .collect()
}

/// The files `phuluc render` writes into `dir/out`, by name.
fn cli_render(dir: &Path, args: &[&str]) -> Vec<(String, Vec<u8>)> {
    let out = dir.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let mut all = vec!["render", "ke-hoach.yaml", "-o", "out"];
    all.extend_from_slice(args);
    assert!(phuluc(dir, &all).status.success());
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn serve_render_gives_the_clis_bytes_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, plan) = seed(dir.path());
    let service = Service::start(dir.path(), &[]);
    let at = &service.address;

    for format in ["pdf", "docx"] {
        let cli = cli_render(dir.path(), &["--format", format]);
        assert_eq!(cli.len(), 1);
        let answer = post(
            at,
            &format!("/v1/render?format={format}&name=ke-hoach"),
            &plan,
        );
        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        assert!(answer.body == cli[0].1, "{format}: not the CLI's bytes");
        assert_eq!(
            answer.header("content-disposition"),
            Some(format!("attachment; filename=\"{}\"", cli[0].0).as_str())
        );
    }
    // zip: both files; with split=true, every appendix's, each the CLI's.
    for (query, args) in [
        ("", vec!["--format", "all"]),
        ("&split=true", vec!["--split"]),
    ] {
        let cli = cli_render(dir.path(), &args);
        let answer = post(
            at,
            &format!("/v1/render?format=zip&name=ke-hoach{query}"),
            &plan,
        );
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-type"), Some("application/zip"));
        let mut entries = unzip(&answer.body);
        entries.sort();
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            cli.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>()
        );
        assert!(entries == cli, "zip{query}: not the CLI's files");
        if query.is_empty() {
            assert_eq!(names, ["ke-hoach.docx", "ke-hoach.pdf"]);
        } else {
            assert_eq!(names.len(), 4, "{names:?}");
        }
    }
    // svg: page N of the CLI's pages.
    let cli = cli_render(dir.path(), &["--format", "svg"]);
    let first = post(at, "/v1/render?format=svg&name=ke-hoach", &plan);
    assert_eq!(
        first.header("x-phuluc-pages"),
        Some(cli.len().to_string().as_str())
    );
    for page in [1, 13] {
        let answer = post(
            at,
            &format!("/v1/render?format=svg&name=ke-hoach&page={page}"),
            &plan,
        );
        let want = cli
            .iter()
            .find(|(n, _)| n == &format!("ke-hoach-{page}.svg"))
            .expect("cli page");
        assert!(answer.body == want.1, "svg page {page}");
    }
    assert_eq!(post(at, "/v1/render?format=svg&page=14", &plan).status, 400);

    // The same plan as JSON gives the same PDF.
    let value: Value = serde_saphyr::from_str(&String::from_utf8_lossy(&plan)).expect("yaml");
    let as_json = serde_json::to_vec(&value).expect("json");
    let answer = request(
        at,
        "POST",
        "/v1/render?format=pdf&name=ke-hoach",
        &[("Content-Type", "application/json")],
        &as_json,
    );
    let cli = cli_render(dir.path(), &["--format", "pdf"]);
    assert_eq!(answer.status, 200);
    assert!(answer.body == cli[0].1, "JSON plan: not the YAML's PDF");
    let broken = request(
        at,
        "POST",
        "/v1/render",
        &[("Content-Type", "application/json")],
        b"{\"version\": 1,\n  \"title\": }",
    );
    assert_eq!(broken.status, 422);
    assert_eq!(broken.json()["diagnostics"][0]["line"], json!(2));

    // Requests that cannot be: each said in Vietnamese, as JSON.
    for (path, status) in [
        ("/v1/render?format=odt", 400),
        ("/v1/render?format=pdf&split=true", 400),
        ("/v1/render?split=maybe", 400),
    ] {
        let answer = post(at, path, &plan);
        assert_eq!(answer.status, status, "{path}");
        assert!(!answer.message().is_empty(), "{path}");
    }
    let odd = request(
        at,
        "POST",
        "/v1/render",
        &[("Content-Type", "image/png")],
        &plan,
    );
    assert_eq!(odd.status, 415);
    assert!(odd.message().contains("image/png"));
    let typo = String::from_utf8_lossy(&plan).replacen("- muc_tieu: >-", "- muc_tieux: >-", 1);
    let answer = post(at, "/v1/render?name=ke-hoach", typo.as_bytes());
    assert_eq!(answer.status, 422);
    let d = &answer.json()["diagnostics"][0];
    assert_eq!(
        (d["line"].clone(), d["column"].clone()),
        (json!(21), json!(13))
    );
    assert_eq!(d["file"], json!("ke-hoach.yaml"));
}

#[test]
fn serve_check_import_and_diff_say_what_the_cli_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, plan) = seed(dir.path());
    let service = Service::start(dir.path(), &[]);
    let at = &service.address;

    // check: the CLI's JSON diagnostics, 200 even with errors; English when asked.
    let cli = phuluc(dir.path(), &["check", "ke-hoach.yaml", "--format", "json"]);
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("check json");
    let answer = post(at, "/v1/check?name=ke-hoach", &plan);
    assert_eq!(answer.status, 200);
    let got = answer.json();
    assert_eq!(got["diagnostics"], cli["diagnostics"]);
    assert_eq!(got["warnings"], cli["warnings"]);
    assert!(!got["diagnostics"].as_array().expect("list").is_empty());
    let en = request(
        at,
        "POST",
        "/v1/check?name=ke-hoach",
        &[("Accept-Language", "en-GB,en;q=0.9,vi;q=0.5")],
        &plan,
    )
    .json();
    let first = &en["diagnostics"][0];
    assert_eq!(first["message"], first["message_en"]);
    assert_ne!(first["message"], got["diagnostics"][0]["message"]);
    let typo = String::from_utf8_lossy(&plan).replacen("- muc_tieu: >-", "- muc_tieux: >-", 1);
    let broken = post(at, "/v1/check?name=ke-hoach", typo.as_bytes());
    assert_eq!(broken.status, 200, "200 even when the plan has errors");
    let broken = broken.json();
    assert!(broken["errors"].as_u64() >= Some(1));
    assert!(
        broken["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["line"] == json!(21)
                && d["column"] == json!(13)
                && d["severity"] == "error")
    );

    // import: the CLI's YAML for the same .docx.
    let docx = cli_render(dir.path(), &["--format", "docx"]).remove(0).1;
    std::fs::write(dir.path().join("ke-hoach.docx"), &docx).expect("write docx");
    let out = phuluc(
        dir.path(),
        &["import", "ke-hoach.docx", "-o", "data/ke-hoach.yaml"],
    );
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let cli_yaml = std::fs::read_to_string(dir.path().join("data/ke-hoach.yaml")).expect("yaml");
    let answer = request(
        at,
        "POST",
        "/v1/import?name=ke-hoach",
        &[(
            "Content-Type",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )],
        &docx,
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let got = answer.json();
    assert_eq!(got["yaml"].as_str(), Some(cli_yaml.as_str()));
    assert!(
        got["yaml"]
            .as_str()
            .unwrap_or_default()
            .contains("Thạch Khôi")
    );
    // Hostile files: each refused with its Vietnamese message, the service unharmed.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(512, 0);
    ole.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    ole.resize(1024, 0);
    for (bytes, message) in [
        (
            b"khong phai docx".to_vec(),
            "tệp không phải tài liệu Word .docx (không phải tệp nén zip)",
        ),
        (
            Vec::new(),
            "tệp không phải tài liệu Word .docx (không phải tệp nén zip)",
        ),
        (
            zip_of(&[("hello.txt", b"xin chao")]),
            "tệp nén không có word/document.xml: không phải tài liệu Word",
        ),
        (ole, "tệp Word có mật khẩu (đã mã hóa): không đọc được"),
        (docx[..docx.len() / 2].to_vec(), ""),
    ] {
        let answer = request(at, "POST", "/v1/import", &[], &bytes);
        assert_eq!(answer.status, 422, "{message}");
        assert!(
            answer.message().starts_with(message),
            "{}",
            answer.message()
        );
    }

    // diff: multipart old and new; the CLI's JSON.
    let new = String::from_utf8_lossy(&plan).replace("phường Thạch Khôi", "phường Kiểm Thử");
    std::fs::write(dir.path().join("moi.yaml"), &new).expect("write");
    let cli = phuluc(
        dir.path(),
        &["diff", "ke-hoach.yaml", "moi.yaml", "--format", "json"],
    );
    let cli: Value = serde_json::from_slice(&cli.stdout).expect("diff json");
    let boundary = "phuluc-bien-gioi";
    let mut body = Vec::new();
    for (name, bytes) in [("old", &plan[..]), ("new", new.as_bytes())] {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.yaml\"\r\nContent-Type: application/yaml\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let answer = request(
        at,
        "POST",
        "/v1/diff",
        &[("Content-Type", &content_type)],
        &body,
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(answer.json(), cli);
    assert_eq!(cli["equal"], json!(false));
    assert!(!cli["changes"].as_array().expect("changes").is_empty());
    let one = request(
        at,
        "POST",
        "/v1/diff",
        &[("Content-Type", "application/yaml")],
        &plan,
    );
    assert_eq!(one.status, 400);

    // Every log line is JSON with its request id, route, status, bytes, duration, and
    // never the document's content.
    let log = service.log_lines();
    let requests: Vec<Value> = log
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("route").is_some())
        .collect();
    assert!(requests.len() >= 10, "{log:?}");
    for r in &requests {
        for key in [
            "request_id",
            "route",
            "status",
            "bytes",
            "duration_ms",
            "method",
        ] {
            assert!(r.get(key).is_some(), "{key} in {r}");
        }
    }
    assert!(
        log.iter()
            .all(|l| !l.contains("Thạch Khôi") && !l.contains("Kiểm Thử"))
    );
}

#[test]
fn serve_bounds_bodies_render_time_and_slow_headers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, plan) = seed(dir.path());
    let service = Service::start(
        dir.path(),
        &[
            "--max-body",
            "100000",
            "--render-timeout",
            "0.001",
            "--header-timeout",
            "1",
        ],
    );
    let at = &service.address;

    // 413 from Content-Length alone, before a byte of body is sent.
    let mut stream = TcpStream::connect(at).expect("connect");
    let _ = stream.write_all(&head("POST", "/v1/render", &[], 200_000));
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 413);
    assert_eq!(answer.message(), "nội dung gửi lên quá lớn");
    // 504: the seed cannot be rendered within 1 ms.
    let answer = post(at, "/v1/render?format=pdf", &plan);
    assert_eq!(
        answer.status,
        504,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(answer.message(), "xử lý quá thời gian cho phép");
    // A client that sends its head slowly is dropped, without an answer of 200.
    let mut slow = TcpStream::connect(at).expect("connect");
    let _ = slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: local");
    let start = Instant::now();
    let answer = read_answer(&mut slow);
    assert_ne!(answer.status, 200);
    assert!(
        start.elapsed() < Duration::from_secs(9),
        "dropped: {:?}",
        start.elapsed()
    );
    let _ = slow.write_all(b"host\r\n\r\n");
    // Meanwhile and after, the service answers.
    assert_eq!(get(at, "/healthz").status, 200);
    let metrics = String::from_utf8_lossy(&get(at, "/metrics").body).into_owned();
    for line in [
        "phuluc_rejected_total{reason=\"too_large\"} 1",
        "phuluc_rejected_total{reason=\"render_timeout\"} 1",
        "phuluc_requests_total{route=\"/v1/render\",status=\"413\"} 1",
        "phuluc_requests_total{route=\"/v1/render\",status=\"504\"} 1",
        "phuluc_requests_total{route=\"/healthz\",status=\"200\"} 1",
    ] {
        assert!(metrics.lines().any(|l| l == line), "{line} in\n{metrics}");
    }
}

/// Sends the head and the first `sent` bytes of `body` to `path`, holding the rest.
fn partial(address: &str, path: &str, body: &[u8], sent: usize) -> TcpStream {
    let mut stream = TcpStream::connect(address).expect("connect");
    let mut bytes = head(
        "POST",
        path,
        &[("Content-Type", "application/yaml")],
        body.len(),
    );
    bytes.extend_from_slice(&body[..sent]);
    stream.write_all(&bytes).expect("send");
    stream
}

#[test]
fn serve_turns_away_beyond_its_queue_and_finishes_in_flight_work_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, plan) = seed(dir.path());
    let mut service = Service::start(dir.path(), &["--workers", "1", "--queue", "0"]);
    let at = service.address.clone();

    // One request admitted, its body still coming: the next is 503 with Retry-After.
    let mut first = partial(&at, "/v1/check", &plan, 100);
    std::thread::sleep(Duration::from_millis(300));
    let busy = post(&at, "/v1/check", &plan);
    assert_eq!(busy.status, 503);
    assert_eq!(busy.header("retry-after"), Some("1"));
    assert_eq!(busy.message(), "dịch vụ đang bận: hàng đợi đã đầy");
    // The probes answer while the work is full.
    assert_eq!(get(&at, "/readyz").status, 200);
    first.write_all(&plan[100..]).expect("rest of the body");
    let done = read_answer(&mut first);
    assert_eq!(done.status, 200);
    assert!(done.json()["diagnostics"].is_array());

    // A client gone mid-upload frees its place.
    drop(partial(&at, "/v1/check", &plan, 100));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = post(&at, "/v1/check", &plan);
        if answer.status == 200 {
            break;
        }
        assert_eq!(answer.status, 503);
        assert!(Instant::now() < deadline, "the place was not freed");
        std::thread::sleep(Duration::from_millis(100));
    }

    // SIGTERM with a request in flight: no new connection, the request answered, exit 0.
    let mut in_flight = partial(&at, "/v1/render?format=pdf&name=ke-hoach", &plan, 100);
    std::thread::sleep(Duration::from_millis(300));
    let pid = service.child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(&at).is_ok() {
        assert!(Instant::now() < deadline, "still accepting after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    in_flight.write_all(&plan[100..]).expect("rest of the body");
    let answer = read_answer(&mut in_flight);
    assert_eq!(answer.status, 200);
    let cli = cli_render(dir.path(), &["--format", "pdf"]);
    assert!(answer.body == cli[0].1, "the in-flight render is whole");
    let status = service.terminate();
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn serve_needs_its_token_and_refuses_other_addresses_without_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, plan) = seed(dir.path());
    std::fs::write(dir.path().join("token"), "bi-mat-0123456789\n").expect("token");
    let service = Service::start(dir.path(), &["--token-file", "token"]);
    let at = &service.address;
    for auth in [
        None,
        Some("Bearer sai"),
        Some("Bearer bi-mat-012345678"),
        Some("bi-mat-0123456789"),
    ] {
        let extra: Vec<(&str, &str)> = auth.map(|a| ("Authorization", a)).into_iter().collect();
        for (method, path) in [
            ("POST", "/v1/check"),
            ("GET", "/metrics"),
            ("GET", "/v1/openapi.json"),
        ] {
            let answer = request(at, method, path, &extra, &plan);
            assert_eq!(answer.status, 401, "{auth:?} {path}");
            assert_eq!(
                answer.header("www-authenticate"),
                Some("Bearer realm=\"phuluc\"")
            );
            assert_eq!(answer.message(), "thiếu mã truy cập hoặc mã sai");
        }
    }
    let good = [("Authorization", "Bearer bi-mat-0123456789")];
    assert_eq!(request(at, "POST", "/v1/check", &good, &plan).status, 200);
    // The probes need no token.
    assert_eq!(get(at, "/healthz").status, 200);
    assert_eq!(get(at, "/readyz").json()["status"], json!("ready"));
    // The token is never logged.
    assert!(service.log_lines().iter().all(|l| !l.contains("bi-mat")));

    // Another address without a token: refused before binding, in Vietnamese (exit 2).
    let out = phuluc(dir.path(), &["serve", "--bind", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("không mở dịch vụ trên 0.0.0.0:0 mà không có mã truy cập"),
        "{err}"
    );
    assert!(err.contains("--token-file"), "{err}");
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").expect("write");
    let out = phuluc(
        dir.path(),
        &["serve", "--bind", "127.0.0.1:0", "--token-file", "empty"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tệp mã truy cập trống"));
}

#[test]
fn serve_openapi_lists_exactly_the_routes_of_the_router() {
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::common::root().join("schema/openapi.json"))
            .expect("schema/openapi.json"),
    )
    .expect("json");
    assert_eq!(file["openapi"], json!("3.1.0"));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in file["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            documented.push((method.to_ascii_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut routed: Vec<(String, String)> = phuluc::serve::routes::ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    routed.sort();
    assert_eq!(documented, routed);

    // And each is routed: the service answers it with something other than 404, and
    // serves the very file.
    let dir = tempfile::tempdir().expect("temp dir");
    let service = Service::start(dir.path(), &[]);
    for (method, path) in &routed {
        let answer = request(&service.address, method, path, &[], b"");
        assert_ne!(answer.status, 404, "{method} {path}");
        assert_ne!(answer.status, 405, "{method} {path}");
    }
    assert_eq!(get(&service.address, "/v1/nothing").status, 404);
    let served = get(&service.address, "/v1/openapi.json").json();
    assert_eq!(served, file);
}
