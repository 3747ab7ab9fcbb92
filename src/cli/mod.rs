//! Command line: argument parsing, message language, exit codes, printing diagnostics.
//!
//! Contract: the only place that prints. Exit codes follow ripgrep: 0 clean, 1 problems
//! found in the input, 2 the tool failed (unreadable file, write error, bad arguments).
//! One file per subcommand.

mod agencies;
mod batch;
mod check;
mod diff;
mod export;
mod fix_encoding;
mod import;
mod preview;
mod render;
mod schema;
mod shared;
mod watch;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use shared::Outcome;

use phuluc::diag::Lang;

/// Biến tệp YAML kế hoạch thành các phụ lục (.docx, PDF).
/// Turns a YAML plan file into its appendices (.docx, PDF).
#[derive(Debug, Parser)]
#[command(
    name = "phuluc",
    version,
    about = "Biến tệp YAML kế hoạch thành các phụ lục (.docx, PDF) / turns a YAML plan file into its appendices (.docx, PDF)",
    long_about = None,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    next_help_heading = "Tùy chọn / Options",
    subcommand_help_heading = "Lệnh / Commands",
    help_template = "{about}\n\nCách dùng / Usage: {usage}\n\n{all-args}\n\nMỗi lệnh: phuluc LỆNH --help / each command: phuluc COMMAND --help"
)]
pub struct Cli {
    /// In hướng dẫn / print help
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// In phiên bản / print the version
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Ngôn ngữ thông báo: vi (mặc định) hoặc en / message language: vi (default) or en
    #[arg(long, global = true, value_name = "vi|en")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tạo phụ lục từ tệp YAML / render the appendices of a plan file
    Render(render::RenderArgs),
    /// Kiểm tra tệp YAML, báo mọi lỗi một lần / check plan files, every problem at once
    Check(check::CheckArgs),
    /// Chuyển chữ gõ bằng bảng mã cũ sang Unicode / convert TCVN3, VNI text to Unicode
    FixEncoding(fix_encoding::FixEncodingArgs),
    /// So sánh hai bản kế hoạch: thay đổi về nội dung / what changed between two versions of a plan
    Diff(diff::DiffArgs),
    /// In JSON Schema của định dạng YAML (cho VS Code) / print the format's JSON Schema
    Schema(schema::SchemaArgs),
    /// In nội dung phụ lục đã dựng dạng JSON, hoặc tạo sổ theo dõi .xlsx / the composed appendices as JSON, or the tracking workbook (.xlsx)
    Export(export::ExportArgs),
    /// Liệt kê các cơ quan và số nhiệm vụ chủ trì, phối hợp / list the agencies with the rows they lead and support
    Agencies(agencies::AgenciesArgs),
    /// Xem trước các trang in trong trình duyệt, cập nhật khi lưu tệp / the printed pages live in the browser
    Preview(preview::PreviewArgs),
    /// Chuyển phụ lục Word (.docx) có sẵn thành tệp YAML kế hoạch / turn an existing Word appendix (.docx) into a plan file
    Import(import::ImportArgs),
}

/// Picks the message language: `--lang`, else `LANG` starting with "en", else Vietnamese.
fn lang(arg: Option<&str>) -> Lang {
    let env = std::env::var("LANG").unwrap_or_default();
    match arg {
        Some(a) if a.starts_with("en") => Lang::En,
        Some(_) => Lang::Vi,
        None if env.starts_with("en") => Lang::En,
        None => Lang::Vi,
    }
}

pub fn main() -> ExitCode {
    // Each subcommand's help in both languages: clap's own headings are English only.
    let command = Cli::command().mut_subcommands(|c| {
        c.help_template(
            "{about}\n\nCách dùng / Usage: {usage}\n\nTham số / Arguments:\n{positionals}\n\nTùy chọn / Options:\n{options}",
        )
    });
    let parsed = command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let lang = lang(cli.lang.as_deref());
    let outcome = match cli.command {
        Command::Render(args) => render::run(&args, lang),
        Command::Check(args) => check::run(&args, lang),
        Command::FixEncoding(args) => fix_encoding::run(&args, lang),
        Command::Diff(args) => diff::run(&args, lang),
        Command::Schema(args) => schema::run(&args, lang),
        Command::Export(args) => export::run(&args, lang),
        Command::Agencies(args) => agencies::run(&args, lang),
        Command::Preview(args) => preview::run(&args, lang),
        Command::Import(args) => import::run(&args, lang),
    };
    match outcome {
        Outcome::Clean => ExitCode::SUCCESS,
        Outcome::Problems => ExitCode::from(1),
        Outcome::Failed => ExitCode::from(2),
    }
}
