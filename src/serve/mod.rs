//! `phuluc serve`: the appendices as a stateless HTTP service for e-office systems.
//!
//! Contract: [`Server::start`] refuses an unsafe configuration before binding (any
//! address but loopback needs a token file, unless `no_auth` is said explicitly), loads
//! the templates and fonts (the only files the service ever reads, also on SIGHUP) and
//! binds; [`Server::run`] serves the routes of [`routes`] on the one HTTP stack
//! ([`crate::http`]) until SIGTERM or SIGINT, then stops accepting, lets the requests in
//! flight finish and returns. Every request is bounded ([`limits`]), counted
//! ([`metrics`]), logged as one JSON line ([`log`]) and, but for the probes, authorised
//! ([`auth`]). Requests share nothing but the loaded templates and fonts: any number of
//! copies can run behind a load balancer.

mod app;
pub mod auth;
mod handle;
pub mod limits;
pub mod log;
pub mod metrics;
mod reply;
pub mod report;
pub mod routes;
mod work;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::diag::Diagnostic;
use crate::text;
use app::{App, Assets};
pub use limits::Limits;

/// How the service is started.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen.
    pub bind: SocketAddr,
    /// An extra templates folder.
    pub templates: Option<PathBuf>,
    /// The office's Times New Roman.
    pub font_dir: Option<PathBuf>,
    /// A file holding the bearer token.
    pub token_file: Option<PathBuf>,
    /// Serve without a token on a non-loopback address (behind a gateway that checks).
    pub no_auth: bool,
    /// The bounds of every request.
    pub limits: Limits,
}

/// A service started: configured, loaded, bound.
pub struct Server {
    listener: TcpListener,
    runtime: tokio::runtime::Runtime,
    app: Arc<App>,
}

fn start_error(detail: &str) -> Diagnostic {
    Diagnostic::error(text!(
        format!("không mở được dịch vụ: {detail}"),
        format!("cannot start the service: {detail}")
    ))
}

impl Server {
    /// Checks the configuration, loads the templates and fonts, binds.
    pub fn start(config: &Config) -> Result<Server, Vec<Diagnostic>> {
        let token = auth::policy(config.bind, config.token_file.as_deref(), config.no_auth)
            .map_err(|d| vec![d])?;
        let assets = Assets::load(config.templates.as_deref(), config.font_dir.as_deref())?;
        let listener = TcpListener::bind(config.bind)
            .map_err(|e| vec![start_error(&format!("{}: {e}", config.bind))])?;
        listener
            .set_nonblocking(true)
            .map_err(|e| vec![start_error(&e.to_string())])?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.limits.workers.clamp(1, 8))
            .max_blocking_threads(config.limits.workers.saturating_mul(2).max(2))
            .enable_all()
            .build()
            .map_err(|e| vec![start_error(&e.to_string())])?;
        let app = Arc::new(App {
            assets: std::sync::RwLock::new(Arc::new(assets)),
            templates_dir: config.templates.clone(),
            font_dir: config.font_dir.clone(),
            token,
            limits: config.limits,
            metrics: metrics::Metrics::default(),
            workers: Arc::new(tokio::sync::Semaphore::new(config.limits.workers.max(1))),
            stopping: AtomicBool::new(false),
        });
        Ok(Server {
            listener,
            runtime,
            app,
        })
    }

    /// The address bound (the port chosen when 0 was asked).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    /// Serves until SIGTERM or SIGINT; templates and fonts are reloaded on SIGHUP.
    pub fn run(self) -> Result<(), Diagnostic> {
        let Server {
            listener,
            runtime,
            app,
        } = self;
        let limits = crate::http::Limits {
            headers: app.limits.headers,
            // Whatever is in flight has at most its render time left, and its body.
            drain: app.limits.render + app.limits.body_read + std::time::Duration::from_secs(2),
        };
        let service = routes::service(Arc::clone(&app));
        let result = runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|e| start_error(&e.to_string()))?;
            let signals = signals::Signals::new().map_err(|e| start_error(&e.to_string()))?;
            let stopping = Arc::clone(&app);
            let shutdown = async move {
                signals
                    .until_stop(|| match stopping.reload() {
                        Ok(()) => log::event("reload", true, ""),
                        Err(diags) => {
                            let detail = diags
                                .first()
                                .map(|d| d.message.en.to_string())
                                .unwrap_or_default();
                            log::event("reload", false, &detail);
                        }
                    })
                    .await;
                stopping.stopping.store(true, Ordering::SeqCst);
                log::event("stopping", true, "");
            };
            crate::http::serve_service(listener, service, limits, shutdown).await;
            Ok(())
        });
        runtime.shutdown_timeout(std::time::Duration::from_secs(1));
        result
    }
}

/// The signals the service answers: SIGTERM and SIGINT stop it, SIGHUP reloads.
mod signals {
    #[cfg(unix)]
    use tokio::signal::unix::{Signal, SignalKind, signal};

    pub(super) struct Signals {
        #[cfg(unix)]
        term: Signal,
        #[cfg(unix)]
        hup: Signal,
    }

    impl Signals {
        pub(super) fn new() -> std::io::Result<Signals> {
            Ok(Signals {
                #[cfg(unix)]
                term: signal(SignalKind::terminate())?,
                #[cfg(unix)]
                hup: signal(SignalKind::hangup())?,
            })
        }

        /// Returns on SIGTERM or Ctrl+C; calls `reload` on each SIGHUP meanwhile.
        pub(super) async fn until_stop(mut self, reload: impl Fn()) {
            loop {
                #[cfg(unix)]
                tokio::select! {
                    _ = self.term.recv() => return,
                    _ = tokio::signal::ctrl_c() => return,
                    _ = self.hup.recv() => reload(),
                }
                #[cfg(not(unix))]
                {
                    let _ = &reload;
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            }
        }
    }
}
