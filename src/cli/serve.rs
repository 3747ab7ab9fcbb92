//! `phuluc serve`: the appendices as an HTTP service for e-office systems.
//!
//! Contract: reads the flags into a [`phuluc::serve::Config`], starts the
//! [`phuluc::serve::Server`] (which refuses a non-loopback address without a token, loads
//! the templates and fonts and binds), logs the address it listens on as a JSON line and
//! serves until SIGTERM or Ctrl+C (exit 0). A service that cannot start is the tool's
//! failure (exit 2). Routes, limits, logs and metrics are the library's.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use phuluc::diag::Lang;
use phuluc::serve::{Config, Limits, Server};

use super::shared::{Outcome, report};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Địa chỉ lắng nghe / address to listen on
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Thư mục mẫu bổ sung / extra templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Phông Times New Roman của cơ quan / the office's Times New Roman
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
    /// Tệp chứa mã truy cập (Bearer) / file holding the bearer token
    #[arg(long, value_name = "FILE", conflicts_with = "no_auth")]
    token_file: Option<PathBuf>,
    /// Không kiểm tra mã truy cập trên địa chỉ ngoài loopback (đã có cổng kiểm tra phía trước) /
    /// serve a non-loopback address without a token (a gateway in front checks)
    #[arg(long)]
    no_auth: bool,
    /// Dung lượng tối đa của nội dung gửi lên, byte / largest request body, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    max_body: usize,
    /// Thời gian tối đa cho một yêu cầu sau phần đầu, giây / longest a request may take after its head, seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    render_timeout: f64,
    /// Thời gian tối đa để gửi phần đầu yêu cầu, giây / longest a client may take to send its headers, seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    header_timeout: f64,
    /// Thời gian tối đa để gửi nội dung, giây / longest a client may take to send its body, seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    body_timeout: f64,
    /// Số việc chạy cùng lúc (mặc định: số lõi) / renders at once (default: the cores)
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Số yêu cầu chờ thêm (mặc định: gấp đôi số việc) / requests waiting beyond them (default: twice the workers)
    #[arg(long, value_name = "N")]
    queue: Option<usize>,
}

/// Seconds as a duration; nonsense (negative, NaN, huge) as the smallest or a day.
fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s.clamp(0.001, 86_400.0)).unwrap_or(Duration::from_secs(60))
}

pub fn run(args: &ServeArgs, lang: Lang) -> Outcome {
    let defaults = Limits::default();
    let workers = args.workers.unwrap_or(defaults.workers).max(1);
    let config = Config {
        bind: args.bind,
        templates: args.templates.clone(),
        font_dir: args.font_dir.clone(),
        token_file: args.token_file.clone(),
        no_auth: args.no_auth,
        limits: Limits {
            body: args.max_body,
            headers: seconds(args.header_timeout),
            body_read: seconds(args.body_timeout),
            render: seconds(args.render_timeout),
            workers,
            queue: args.queue.unwrap_or(workers * 2),
            retry_after: defaults.retry_after,
        },
    };
    let server = match Server::start(&config) {
        Ok(s) => s,
        Err(diags) => {
            report(&diags, lang);
            return Outcome::Failed;
        }
    };
    let address = server
        .local_addr()
        .map_or_else(|| args.bind.to_string(), |a| a.to_string());
    phuluc::serve::log::event("listening", true, &format!("http://{address}/"));
    match server.run() {
        Ok(()) => {
            phuluc::serve::log::event("stopped", true, "");
            Outcome::Clean
        }
        Err(d) => {
            report(&[d], lang);
            Outcome::Failed
        }
    }
}
