//! What every request of `phuluc serve` shares: the templates and fonts loaded (replaced
//! whole on SIGHUP, so a request renders with one set from start to end), the token, the
//! limits, the counters and the workers.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

use super::{auth, limits::Limits, metrics};
use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, ToDiagnostic};
use crate::fonts::FontSet;
use crate::pdf::PdfOptions;

/// The templates and fonts every request renders with, replaced whole on SIGHUP.
pub(crate) struct Assets {
    pub(crate) templates: Templates,
    pub(crate) pdf: PdfOptions,
}

impl Assets {
    pub(crate) fn load(
        templates: Option<&Path>,
        fonts: Option<&Path>,
    ) -> Result<Assets, Vec<Diagnostic>> {
        let templates = Templates::load(templates)?;
        let fonts = match fonts {
            None => FontSet::builtin(),
            Some(dir) => {
                FontSet::from_dir(dir).map_err(|e| vec![e.to_diagnostic().in_file(dir)])?
            }
        };
        Ok(Assets {
            templates,
            pdf: PdfOptions::new(fonts),
        })
    }
}

/// What every request shares.
pub(crate) struct App {
    pub(crate) assets: RwLock<Arc<Assets>>,
    pub(crate) templates_dir: Option<PathBuf>,
    pub(crate) font_dir: Option<PathBuf>,
    pub(crate) token: Option<auth::Token>,
    pub(crate) limits: Limits,
    pub(crate) metrics: metrics::Metrics,
    /// Renders running at once: held by the blocking work itself, so work whose
    /// request timed out still counts until it ends.
    pub(crate) workers: Arc<tokio::sync::Semaphore>,
    /// Set once SIGTERM came: `/readyz` says so, the load balancer stops sending.
    pub(crate) stopping: AtomicBool,
}

impl App {
    /// The templates and fonts loaded last.
    pub(crate) fn assets(&self) -> Arc<Assets> {
        match self.assets.read() {
            Ok(a) => Arc::clone(&a),
            Err(p) => Arc::clone(&p.into_inner()),
        }
    }

    /// Loads the templates and fonts again (SIGHUP); on failure the loaded ones stay.
    pub(crate) fn reload(&self) -> Result<(), Vec<Diagnostic>> {
        let assets = Assets::load(self.templates_dir.as_deref(), self.font_dir.as_deref())?;
        match self.assets.write() {
            Ok(mut a) => *a = Arc::new(assets),
            Err(p) => *p.into_inner() = Arc::new(assets),
        }
        Ok(())
    }
}
