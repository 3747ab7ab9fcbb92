//! `phuluc preview FILE.yaml`: the printed pages in the browser, live while the clerk edits.
//!
//! Contract: reads the flags, starts [`phuluc::preview::Preview`] (which binds 127.0.0.1,
//! watches the files and renders), prints its address, opens the browser unless
//! `--no-open`, and serves until Ctrl+C (exit 0). A preview that cannot start (the port
//! is taken, the folder cannot be watched) is the tool's failure (exit 2). Everything
//! else — routes, event stream, state — is the library's.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use phuluc::diag::Lang;
use phuluc::preview::{Config, Preview};

use super::shared::Outcome;
use super::watch::{catch_ctrl_c, stop_requested};

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "FILE.yaml")]
    file: PathBuf,
    /// Cổng (mặc định: cổng trống đầu tiên từ 3400) / port (default: first free from 3400)
    #[arg(long, value_name = "N")]
    port: Option<u16>,
    /// Không tự mở trình duyệt / do not open the browser
    #[arg(long)]
    no_open: bool,
    /// Thư mục mẫu bổ sung / extra templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Phông Times New Roman của cơ quan / the office's Times New Roman
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
}

pub fn run(args: &PreviewArgs, lang: Lang) -> Outcome {
    catch_ctrl_c();
    let config = Config {
        file: &args.file,
        templates: args.templates.as_deref(),
        font_dir: args.font_dir.as_deref(),
        port: args.port,
        lang,
    };
    let preview = match Preview::start(&config, stop_requested) {
        Ok(p) => p,
        Err(d) => {
            super::shared::report(&[d], lang);
            return Outcome::Failed;
        }
    };
    let url = preview.url();
    println!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "Xem trước {} tại {url} (Ctrl+C để dừng)",
                args.file.display()
            ),
            Lang::En => format!(
                "Previewing {} at {url} (Ctrl+C to stop)",
                args.file.display()
            ),
        }
    );
    let _ = std::io::stdout().flush();
    if !args.no_open && open::that_detached(&url).is_err() {
        eprintln!(
            "{}",
            match lang {
                Lang::Vi => "Không mở được trình duyệt; hãy mở địa chỉ trên.",
                Lang::En => "Could not open a browser; open the address above.",
            }
        );
    }
    preview.serve();
    println!(
        "{}",
        match lang {
            Lang::Vi => "Đã dừng xem trước.",
            Lang::En => "Preview stopped.",
        }
    );
    Outcome::Clean
}
