//! A load test of `phuluc serve` on loopback, and the same work through the CLI (one
//! process per document), for BENCHMARKS.md. Not a test: nothing is asserted.
//!
//! `cargo build --release && cargo bench --bench serve_load` starts
//! `target/release/phuluc serve` on 127.0.0.1 (port 0, `--queue 64` so that 64 clients
//! wait rather than being turned away), then for 1, 8 and 64 concurrent clients sends
//! `REQUESTS` renders of the seed (`POST /v1/render?format=pdf`, a new connection each)
//! and prints requests per second, p50 and p99 latency, failures (anything but 200 with
//! the CLI's bytes) and the service's peak resident memory (VmHWM); then it runs
//! `phuluc render --format pdf` on the seed the same number of times, one process after
//! another, and 8 at a time. `PHULUC_LOAD_REQUESTS` sets the count (default 64).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> PathBuf {
    std::env::var_os("PHULUC_BIN")
        .map_or_else(|| root().join("target/release/phuluc"), PathBuf::from)
}

/// One render over a new connection: (status, body, latency).
fn render(address: &str, plan: &[u8]) -> (u16, Vec<u8>, Duration) {
    let start = Instant::now();
    let Ok(mut stream) = TcpStream::connect(address) else {
        return (0, Vec::new(), start.elapsed());
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
    let mut request = format!(
        "POST /v1/render?format=pdf&name=ke-hoach HTTP/1.1\r\nHost: localhost\r\n\
         Connection: close\r\nContent-Type: application/yaml\r\nContent-Length: {}\r\n\r\n",
        plan.len()
    )
    .into_bytes();
    request.extend_from_slice(plan);
    if stream.write_all(&request).is_err() {
        return (0, Vec::new(), start.elapsed());
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let took = start.elapsed();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let status = String::from_utf8_lossy(&raw[..split])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (
        status,
        raw.get(split + 4..).unwrap_or_default().to_vec(),
        took,
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn vm_hwm_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        // `cargo test --benches` runs benches as tests: nothing to do there.
        return;
    }
    let requests: usize = std::env::var("PHULUC_LOAD_REQUESTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let seed = root().join("data/ke-hoach-05-nq-du.yaml");
    let plan = Arc::new(std::fs::read(&seed).expect("the seed"));
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(&seed, dir.path().join("ke-hoach.yaml")).expect("copy");
    let cli = Command::new(bin())
        .args(["render", "ke-hoach.yaml", "--format", "pdf", "-o", "out"])
        .current_dir(dir.path())
        .status()
        .expect("phuluc render");
    assert!(cli.success());
    let expected = Arc::new(std::fs::read(dir.path().join("out/ke-hoach.pdf")).expect("pdf"));

    let mut child = Command::new(bin())
        .args(["serve", "--bind", "127.0.0.1:0", "--queue", "64"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("phuluc serve");
    let err = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(err).lines();
    let address = loop {
        let line = lines.next().and_then(Result::ok).expect("serve's log");
        if let Some(at) = line.find("http://") {
            let rest = &line[at + 7..];
            break rest[..rest.find('/').unwrap_or(rest.len())].to_owned();
        }
    };
    // Drain the log so the service never blocks on it.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    println!("phuluc serve at {address}, {requests} renders of the seed per level");
    println!("clients | req/s | p50 ms | p99 ms | failed | service VmHWM MB");
    for clients in [1usize, 8, 64] {
        let latencies = Arc::new(Mutex::new(Vec::new()));
        let failed = Arc::new(Mutex::new(0usize));
        let next = Arc::new(Mutex::new(0usize));
        let start = Instant::now();
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                let (address, plan, expected) = (address.clone(), plan.clone(), expected.clone());
                let (latencies, failed, next) = (latencies.clone(), failed.clone(), next.clone());
                std::thread::spawn(move || {
                    loop {
                        {
                            let mut n = next.lock().unwrap_or_else(|p| p.into_inner());
                            if *n >= requests {
                                return;
                            }
                            *n += 1;
                        }
                        let (status, body, took) = render(&address, &plan);
                        if status != 200 || body != *expected {
                            *failed.lock().unwrap_or_else(|p| p.into_inner()) += 1;
                        }
                        latencies
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(took);
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
        let wall = start.elapsed();
        let mut l = latencies.lock().unwrap_or_else(|p| p.into_inner()).clone();
        l.sort();
        println!(
            "{clients:7} | {:5.1} | {:6.0} | {:6.0} | {:6} | {:.0}",
            requests as f64 / wall.as_secs_f64(),
            percentile(&l, 0.5).as_secs_f64() * 1000.0,
            percentile(&l, 0.99).as_secs_f64() * 1000.0,
            *failed.lock().unwrap_or_else(|p| p.into_inner()),
            vm_hwm_mb(child.id()),
        );
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();

    // The CLI, one process per document: one after another, then 8 at a time.
    for parallel in [1usize, 8] {
        let start = Instant::now();
        let mut done = 0;
        while done < requests {
            let batch: Vec<_> = (0..parallel.min(requests - done))
                .map(|i| {
                    let out = format!("out-{i}");
                    Command::new(bin())
                        .args(["render", "ke-hoach.yaml", "--format", "pdf", "-o", &out])
                        .current_dir(dir.path())
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn()
                        .expect("phuluc render")
                })
                .collect();
            done += batch.len();
            for mut c in batch {
                let _ = c.wait();
            }
        }
        let wall = start.elapsed();
        println!(
            "CLI, {parallel} at a time: {:.1} documents/s ({requests} in {:.1} s)",
            requests as f64 / wall.as_secs_f64(),
            wall.as_secs_f64()
        );
    }
}
