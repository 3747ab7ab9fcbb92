//! The preview's event stream (server-sent events, axum's [`Sse`]): the manifest now,
//! then after every render.
//!
//! Contract: the stream opens with an `update` event carrying the manifest; then, each
//! time the generation changes, another with the new manifest (never twice the same
//! generation); a comment line every [`KEEP_ALIVE`] when nothing happens. It ends when the
//! tab goes away (axum drops the stream) or when the preview stops. At most
//! [`MAX_STREAMS`] are open at once; beyond, 503.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;

use super::respond::plain;
use super::state::{Shared, manifest};

/// How often an idle event stream says it is alive.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Event streams open at once (one per tab).
pub(super) const MAX_STREAMS: usize = 64;

/// One open stream, counted while it lives.
struct Slot(Arc<Shared>);

impl Slot {
    fn take(shared: &Arc<Shared>) -> Option<Slot> {
        if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
            shared.streams.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Slot(Arc::clone(shared)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `GET /events`.
pub(super) async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let Some(slot) = Slot::take(&shared) else {
        return plain(503, "busy");
    };
    let mut updates = shared.updates.subscribe();
    updates.mark_changed();
    let events = stream::unfold(
        (slot, updates, None::<u64>),
        |(slot, mut updates, sent)| async move {
            loop {
                if updates.changed().await.is_err() {
                    return None;
                }
                // `None`: the preview is stopping.
                (*updates.borrow_and_update())?;
                let (generation, data) = {
                    let shared = &slot.0;
                    let state = shared.lock();
                    (state.generation, manifest(shared, &state).to_string())
                };
                if sent != Some(generation) {
                    let event = Event::default().event("update").data(data);
                    return Some((
                        Ok::<_, Infallible>(event),
                        (slot, updates, Some(generation)),
                    ));
                }
            }
        },
    );
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("alive"))
        .into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}
