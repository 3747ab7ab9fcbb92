//! The bounds of `phuluc serve`: how large a body, how long a request head, a body and a
//! render may take, how many requests work at once and how many wait.
//!
//! Contract: [`Limits::default`] is 16 MiB bodies, 10 s for a head, 30 s for a body,
//! 60 s for a render, as many workers as cores and a queue of twice that. Admission
//! (a tower global concurrency limit of workers + queue, with load shedding: beyond it 503
//! with `Retry-After`) happens before the body is read, so at most that many bodies are
//! in memory; a body over the cap is 413 (by its `Content-Length` before a byte is read,
//! or as soon as it grows past it), a body that does not arrive in time 408. Each render
//! then waits for one of the workers; the whole request after its head (body, wait and
//! work) must be answered within the render cap, or it is 504 (tower-http's timeout; the
//! work itself, which cannot be interrupted, keeps its worker until it ends, so no more
//! than `workers` renders ever run). [`read_body`] applies the cap and says what went
//! wrong as a status.

use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use bytes::Bytes;

/// The bounds of every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest body, in bytes.
    pub body: usize,
    /// The longest a client may take to send a request's head.
    pub headers: Duration,
    /// The longest a client may take to send a body.
    pub body_read: Duration,
    /// The longest a request may take after its head (body, wait for a worker, work).
    pub render: Duration,
    /// Renders at once.
    pub workers: usize,
    /// Requests admitted beyond the workers, waiting.
    pub queue: usize,
    /// What `Retry-After` says when the queue is full, in seconds.
    pub retry_after: u64,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Limits {
            body: 16 * 1024 * 1024,
            headers: Duration::from_secs(10),
            body_read: Duration::from_secs(30),
            render: Duration::from_secs(60),
            workers: cores,
            queue: cores * 2,
            retry_after: 1,
        }
    }
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Over the cap: 413.
    TooLarge,
    /// Not all there in time: 408.
    TooSlow,
    /// The client went away or sent garbage: 400.
    Broken,
}

impl BodyError {
    /// The status that says it.
    pub fn status(self) -> StatusCode {
        match self {
            BodyError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            BodyError::TooSlow => StatusCode::REQUEST_TIMEOUT,
            BodyError::Broken => StatusCode::BAD_REQUEST,
        }
    }
}

/// The whole body, at most `cap` bytes.
pub async fn read_body(body: Body, cap: usize) -> Result<Bytes, BodyError> {
    axum::body::to_bytes(body, cap).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(err) = source {
            if err.is::<http_body_util::LengthLimitError>() {
                return BodyError::TooLarge;
            }
            if err.is::<tower_http::timeout::TimeoutError>() {
                return BodyError::TooSlow;
            }
            source = err.source();
        }
        BodyError::Broken
    })
}
