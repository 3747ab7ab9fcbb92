//! The one HTTP stack of `phuluc preview` and `phuluc serve`: an axum [`Router`] served by
//! hyper on tokio.
//!
//! Contract: [`serve`] accepts connections on a listener until `shutdown` completes, each
//! served as HTTP/1.1 by hyper with a deadline for the request head ([`Limits::headers`]:
//! a client that sends its headers slowly is dropped, so it cannot hold a connection) and
//! a cap on the head's size. Once `shutdown` completes it stops accepting, lets the
//! requests in flight finish and idle keep-alive connections close, and returns — after at
//! most [`Limits::drain`], whatever a client does. A failed accept (out of file
//! descriptors) is waited out, not fatal. Routing, limits on bodies and work are the
//! routers' (tower layers); this module knows nothing of what is served.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// What one connection may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The longest a client may take to send a request's head (line and headers).
    pub headers: Duration,
    /// The longest shutdown waits for requests in flight.
    pub drain: Duration,
}

/// The largest request head read (hyper's buffer; larger heads are answered 431/closed).
const MAX_HEAD: usize = 64 * 1024;

/// Serves `app` on `listener` until `shutdown` completes, then drains (see the module
/// doc).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors and the like: the connections open go on.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(app.clone());
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    .header_read_timeout(limits.headers)
                    .max_buf_size(MAX_HEAD);
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    // A client gone, a malformed head: that connection's end only.
                    let _ = connection.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(limits.drain, graceful.shutdown()).await;
}
