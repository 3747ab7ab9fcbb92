//! `phuluc new [--kind KIND] [-o FILE] [--templates DIR] [--force]`: a new plan to fill in
//! ([`phuluc::scaffold`]); without `--kind`, the kinds there are and their columns.
//!
//! Contract: writes the plan atomically (default `data/ke-hoach-moi.yaml`), never over an
//! existing file without `--force`, then names the next steps (`preview`, `check`).
//! Exit 0 done (or the list printed), 1 an unknown kind or templates that do not load,
//! 2 the file exists or cannot be written.

use std::path::PathBuf;

use clap::Args;
use phuluc::diag::{Diagnostic, Lang, Text};
use phuluc::scaffold;

use phuluc::write::write_file;
use super::{Outcome, load_templates, print_stdout, report};

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Loại phụ lục (không ghi: liệt kê các loại và cột của chúng) / the appendix kind (without it: list the kinds and their columns)
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// Ghi kế hoạch mới vào đây (mặc định data/ke-hoach-moi.yaml) / write the new plan here (default data/ke-hoach-moi.yaml)
    #[arg(short = 'o', long = "output", value_name = "FILE.yaml")]
    output: Option<PathBuf>,
    /// Thư mục mẫu bổ sung (loại phụ lục riêng của cơ quan) / extra templates folder (an office's own kinds)
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Ghi đè tệp đã có / overwrite an existing file
    #[arg(long)]
    force: bool,
}

pub fn run(args: &NewArgs, lang: Lang) -> Outcome {
    let templates = match load_templates(args.templates.as_deref(), lang) {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let dir = args.templates.as_ref().map(|d| d.display().to_string());
    let Some(kind) = &args.kind else {
        let kinds = scaffold::kinds(&templates);
        return print_stdout(&scaffold::kinds_text(&kinds, dir.as_deref(), lang), lang);
    };
    let options = scaffold::Options {
        year: scaffold::this_year(),
        templates_dir: dir.clone(),
    };
    let yaml = match scaffold::new_plan(&templates, kind, &options) {
        Ok(y) => y,
        Err(diags) => {
            report(&diags, lang);
            return Outcome::Problems;
        }
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("data").join("ke-hoach-moi.yaml"));
    if out.exists() && !args.force {
        report(
            &[Diagnostic::error(Text::new(
                "tệp đã có: không ghi đè",
                "the file exists: not overwritten",
            ))
            .in_file(&out)
            .hint(Text::new(
                "Chọn tên khác bằng -o, hoặc thêm --force để ghi đè (nội dung cũ của tệp sẽ mất).",
                "Choose another name with -o, or add --force to overwrite it (its contents are lost).",
            ))],
            lang,
        );
        return Outcome::Failed;
    }
    if let Err(d) = write_file(&out, yaml.as_bytes()) {
        report(&[d], lang);
        return Outcome::Failed;
    }
    let file = shell_word(&out.display().to_string());
    let extra = dir.map_or_else(String::new, |d| format!(" --templates {}", shell_word(&d)));
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "đã ghi {}\nBước tiếp: điền các chỗ trống (\"\" và ~) rồi xem trước: phuluc preview {file}{extra}\nCòn thiếu gì: phuluc check {file}{extra}",
                out.display()
            ),
            Lang::En => format!(
                "wrote {}\nNext: fill in the blanks (\"\" and ~), then preview: phuluc preview {file}{extra}\nWhat is still missing: phuluc check {file}{extra}",
                out.display()
            ),
        }
    );
    Outcome::Clean
}

/// A path as one word on a command line: quoted when it has spaces.
fn shell_word(s: &str) -> String {
    if s.contains(char::is_whitespace) {
        format!("\"{s}\"")
    } else {
        s.to_owned()
    }
}
