//! The preview's event stream (server-sent events): the manifest now, then after every
//! render.
//!
//! Contract: the stream opens with the manifest; then, each time the generation changes,
//! an `update` event with the new manifest; a comment line every [`KEEP_ALIVE`] when
//! nothing happens. It ends when the tab goes away (a write fails) or when the preview is
//! told to stop (looked at every 250 ms).

use std::io::Write;
use std::time::{Duration, Instant};

use tiny_http::Request;

use super::state::{Shared, manifest};

/// How often an idle event stream says it is alive.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Serves one event stream until its tab goes away or the preview stops.
pub(super) fn events(request: Request, shared: &Shared) {
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\n";
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    let stop = shared.stop;
    let mut sent: Option<u64> = None;
    loop {
        let message = {
            let mut state = shared.lock();
            let since = Instant::now();
            while sent == Some(state.generation) && !stop() && since.elapsed() < KEEP_ALIVE {
                state = shared
                    .changed
                    .wait_timeout(state, Duration::from_millis(250))
                    .map(|(s, _)| s)
                    .unwrap_or_else(|p| p.into_inner().0);
            }
            if stop() {
                return;
            }
            if sent == Some(state.generation) {
                ": alive\n\n".to_owned()
            } else {
                sent = Some(state.generation);
                format!("event: update\ndata: {}\n\n", manifest(shared, &state))
            }
        };
        if out.write_all(message.as_bytes()).is_err() || out.flush().is_err() {
            return;
        }
    }
}
