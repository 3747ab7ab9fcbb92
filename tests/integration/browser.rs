//! A real browser for the tests: Debian's headless Chromium, driven through the DevTools
//! protocol (a minimal client over a loopback websocket) or its `--screenshot` switch.
//!
//! Every wait is bounded; the browser runs with a fresh profile in a temp folder and is
//! killed when the [`Browser`] is dropped. Where no Chromium is installed the caller skips
//! loudly — and fails in CI (`CI=true`), where `.ci/run` installs it.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// Switches for a quiet, offline, sandbox-free headless run.
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
];

/// The Chromium binary, or `None` (announced loudly; a failure in CI) when there is none.
pub fn chromium(test: &str) -> Option<PathBuf> {
    for name in ["chromium-headless-shell", "chromium", "chromium-browser"] {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let path = Path::new(dir).join(name);
            if path.is_file() {
                return Some(path);
            }
        }
    }
    assert!(
        std::env::var("CI").is_err(),
        "{test}: Chromium is required in CI but is not installed (see .ci/run)"
    );
    eprintln!(
        "\n*** SKIPPED {test}: no headless Chromium; apt-get install chromium-headless-shell ***\n"
    );
    None
}

/// Chromium's own screenshot of `url` in a `width`×`height` window, as PNG bytes.
pub fn screenshot(chrome: &Path, url: &str, width: u32, height: u32) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = dir.path().join("shot.png");
    let out = Command::new(chrome)
        .args(FLAGS)
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .stdin(Stdio::null())
        .process_group(0)
        .spawn()
        .and_then(|child| {
            let group = child.id();
            let out = child.wait_with_output();
            kill_group(group);
            out
        })
        .expect("run chromium");
    std::fs::read(&png).unwrap_or_else(|e| {
        panic!(
            "chromium wrote no screenshot ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A grey image, one byte per pixel.
#[derive(Debug, Clone)]
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// Decodes a PNG (grey, RGB or RGBA, 8 bits) to grey (Rec. 601 luma).
pub fn grey_png(bytes: &[u8]) -> Grey {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| match p {
            [g] | [g, _] => *g,
            [r, g, b, ..] => {
                ((299 * u32::from(*r) + 587 * u32::from(*g) + 114 * u32::from(*b)) / 1000) as u8
            }
            _ => 255,
        })
        .collect();
    Grey {
        width: info.width as usize,
        height: info.height as usize,
        pixels,
    }
}

impl Grey {
    /// A 3×3 box blur (one pixel each way), edges clamped: absorbs anti-aliasing
    /// differences between two rasterisers.
    pub fn blurred(&self) -> Grey {
        let (w, h) = (self.width, self.height);
        let mut out = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let mut sum = 0u32;
                for dy in [-1i64, 0, 1] {
                    for dx in [-1i64, 0, 1] {
                        let yy = (y as i64 + dy).clamp(0, h as i64 - 1) as usize;
                        let xx = (x as i64 + dx).clamp(0, w as i64 - 1) as usize;
                        sum += u32::from(self.pixels[yy * w + xx]);
                    }
                }
                out[y * w + x] = (sum / 9) as u8;
            }
        }
        Grey {
            width: w,
            height: h,
            pixels: out,
        }
    }

    /// Share of pixels (over the common area) whose grey levels differ by more than
    /// `tolerance` (0–255).
    pub fn differing(&self, other: &Grey, tolerance: u8) -> f64 {
        let (w, h) = (self.width.min(other.width), self.height.min(other.height));
        let mut differ = 0usize;
        for y in 0..h {
            for x in 0..w {
                let a = self.pixels[y * self.width + x];
                let b = other.pixels[y * other.width + x];
                if a.abs_diff(b) > tolerance {
                    differ += 1;
                }
            }
        }
        differ as f64 / (w * h).max(1) as f64
    }

    /// Share of pixels darker than mid-grey: how much ink the page has.
    pub fn ink(&self) -> f64 {
        self.pixels.iter().filter(|&&p| p < 128).count() as f64 / self.pixels.len().max(1) as f64
    }
}

/// A headless Chromium driven over the DevTools protocol, with one page (tab) attached.
pub struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium with a `width`×`height` window and attaches to a blank page.
    pub fn launch(chrome: &Path, width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(chrome)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--window-size={width},{height}"))
            .arg("--remote-debugging-address=127.0.0.1")
            .arg("--remote-debugging-port=0")
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            // Its own process group: the zygote and renderer processes go with it.
            .process_group(0)
            .spawn()
            .expect("start chromium");
        // Chromium announces its websocket on stderr; read lines until it does (bounded:
        // it closes stderr if it dies).
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("ws://") {
                    let _ = tx.send(line[at..].trim().to_owned());
                }
            }
        });
        let ws = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(ws) => ws,
            Err(_) => {
                let _ = child.kill();
                panic!("chromium did not announce its DevTools address in 20 s");
            }
        };
        let host = ws
            .trim_start_matches("ws://")
            .split('/')
            .next()
            .expect("host")
            .to_owned();
        let stream = TcpStream::connect(&host).expect("connect to DevTools");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let (socket, _) = tungstenite::client(ws.as_str(), stream).expect("websocket handshake");
        let mut browser = Browser {
            child,
            socket,
            session: String::new(),
            next_id: 0,
            _profile: profile,
        };
        let target = browser.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().expect("target id").to_owned();
        let attached = browser.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("session id")
            .to_owned();
        browser.send("Page.enable", json!({}));
        browser.send("Runtime.enable", json!({}));
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser
    }

    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            message["sessionId"] = json!(s);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .expect("send to DevTools");
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let reply = match self.socket.read() {
                Ok(Message::Text(t)) => t,
                Ok(_) => continue,
                Err(e) => panic!("{method}: DevTools connection failed: {e}"),
            };
            let value: Value = serde_json::from_str(reply.as_str()).expect("DevTools JSON");
            if value["id"].as_u64() == Some(id) {
                if let Some(error) = value.get("error") {
                    panic!("{method}: {error}");
                }
                return value["result"].clone();
            }
        }
        panic!("{method}: no answer within 30 s");
    }

    /// Sends a command to the page and returns its result.
    pub fn send(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.call(Some(&session), method, params)
    }

    /// Opens `url` and waits (at most 20 s) until the document has loaded.
    pub fn goto(&mut self, url: &str) {
        self.send("Page.navigate", json!({"url": url}));
        self.wait_for(
            "document.readyState === 'complete'",
            Duration::from_secs(20),
        );
    }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.send(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{expression}: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is truthy, polling every 20 ms; panics after `limit`.
    /// Returns how long it took.
    pub fn wait_for(&mut self, expression: &str, limit: Duration) -> Duration {
        let start = Instant::now();
        let check = format!("!!({expression})");
        loop {
            if self.eval(&check) == json!(true) {
                return start.elapsed();
            }
            if start.elapsed() > limit {
                let html = self.eval("document.body ? document.body.innerText.slice(0, 2000) : ''");
                let loaded = self.eval(
                    "performance.getEntriesByType('resource').map(e => `${e.name} ${Math.round(e.duration)} ms`)",
                );
                panic!(
                    "waited {limit:?} for {expression}; the page says: {html}; loaded: {loaded}"
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&mut self) -> Vec<u8> {
        let shot = self.send("Page.captureScreenshot", json!({"format": "png"}));
        base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("screenshot data"))
            .expect("base64")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Ends every process of the group Chromium leads: killing the browser process alone
/// left its zygote and renderer processes running after the tests (a hundred of them
/// after a few runs).
fn kill_group(leader: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{leader}")])
        .stderr(Stdio::null())
        .status();
}
