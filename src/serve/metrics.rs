//! What `phuluc serve` counts, in Prometheus' text format (`GET /metrics`).
//!
//! Contract: [`Metrics::record`] counts one answered request by route (the route's
//! pattern, never the URL a client sent) and status, and its duration in a histogram
//! per route; [`Metrics::enter`] counts it in flight while its guard lives; answers 503,
//! 413, 408, 504 and 401 are also counted as rejected, by reason. [`Metrics::text`] is the
//! exposition: `phuluc_requests_total`, `phuluc_request_duration_seconds`,
//! `phuluc_in_flight`, `phuluc_rejected_total`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// The histogram's upper bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Counts {
    requests: BTreeMap<(String, u16), u64>,
    durations: BTreeMap<String, Histogram>,
    rejected: BTreeMap<&'static str, u64>,
}

/// The service's counters.
#[derive(Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
    in_flight: AtomicI64,
}

/// A request in flight, counted until dropped.
pub struct InFlight<'a>(&'a Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why a request was turned away, by its status.
fn rejection(status: u16) -> Option<&'static str> {
    Some(match status {
        401 => "unauthorized",
        408 => "body_timeout",
        413 => "too_large",
        503 => "overloaded",
        504 => "render_timeout",
        _ => return None,
    })
}

impl Metrics {
    /// Counts a request in flight while the guard lives.
    pub fn enter(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(self)
    }

    /// Counts one answered request.
    pub fn record(&self, route: &str, status: u16, took: Duration) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *counts
            .requests
            .entry((route.to_owned(), status))
            .or_default() += 1;
        let seconds = took.as_secs_f64();
        let histogram = counts.durations.entry(route.to_owned()).or_default();
        histogram.count += 1;
        histogram.sum += seconds;
        for (bound, count) in BUCKETS.iter().zip(histogram.counts.iter_mut()) {
            if seconds <= *bound {
                *count += 1;
            }
        }
        if let Some(reason) = rejection(status) {
            *counts.rejected.entry(reason).or_default() += 1;
        }
    }

    /// The exposition, in Prometheus' text format 0.0.4.
    pub fn text(&self) -> String {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::new();
        out.push_str("# HELP phuluc_requests_total Requests answered, by route and status.\n");
        out.push_str("# TYPE phuluc_requests_total counter\n");
        for ((route, status), n) in &counts.requests {
            let _ = writeln!(
                out,
                "phuluc_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                label(route)
            );
        }
        out.push_str("# HELP phuluc_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE phuluc_request_duration_seconds histogram\n");
        for (route, h) in &counts.durations {
            let route = label(route);
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    out,
                    "phuluc_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "phuluc_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "phuluc_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "phuluc_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        out.push_str("# HELP phuluc_in_flight Requests being answered now.\n");
        out.push_str("# TYPE phuluc_in_flight gauge\n");
        let _ = writeln!(
            out,
            "phuluc_in_flight {}",
            self.in_flight.load(Ordering::SeqCst)
        );
        out.push_str("# HELP phuluc_rejected_total Requests turned away, by reason.\n");
        out.push_str("# TYPE phuluc_rejected_total counter\n");
        for reason in [
            "overloaded",
            "too_large",
            "body_timeout",
            "render_timeout",
            "unauthorized",
        ] {
            let n = counts.rejected.get(reason).copied().unwrap_or(0);
            let _ = writeln!(out, "phuluc_rejected_total{{reason=\"{reason}\"}} {n}");
        }
        out
    }
}

/// A label value escaped as the format asks (routes are our own patterns, but still).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_requests_durations_and_rejections() {
        let m = Metrics::default();
        m.record("/v1/check", 200, Duration::from_millis(30));
        m.record("/v1/check", 200, Duration::from_secs(3));
        m.record("/v1/render", 503, Duration::from_millis(1));
        let text = m.text();
        assert!(text.contains("phuluc_requests_total{route=\"/v1/check\",status=\"200\"} 2\n"));
        assert!(text.contains("phuluc_requests_total{route=\"/v1/render\",status=\"503\"} 1\n"));
        assert!(text.contains(
            "phuluc_request_duration_seconds_bucket{route=\"/v1/check\",le=\"0.05\"} 1\n"
        ));
        assert!(text.contains(
            "phuluc_request_duration_seconds_bucket{route=\"/v1/check\",le=\"+Inf\"} 2\n"
        ));
        assert!(text.contains("phuluc_rejected_total{reason=\"overloaded\"} 1\n"));
        assert!(text.contains("phuluc_in_flight 0\n"));
        let guard = m.enter();
        assert!(m.text().contains("phuluc_in_flight 1\n"));
        drop(guard);
    }
}
