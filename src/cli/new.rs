//! `phuluc new [--kind KIND] [-o FILE] [--templates DIR] [--force]`: a new plan to fill in;
//! without `--kind`, the kinds there are and their columns.
//!
//! Contract: the command itself is [`phuluc::scaffold::file::new_file`]; here the plan is
//! written atomically (default `data/ke-hoach-moi.yaml`), then the next steps printed.
//! Exit 0 done (or the list printed), 1 an unknown kind or templates that do not load,
//! 2 the file exists (without `--force`) or cannot be written.

use std::path::PathBuf;

use clap::Args;
use phuluc::diag::Lang;
use phuluc::scaffold::file::{Made, NewFailure, Request, new_file};
use phuluc::write::write_file;

use super::shared::{Outcome, load_templates, print_stdout, report};

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
    let request = Request {
        kind: args.kind.as_deref(),
        output: args.output.as_deref(),
        templates_dir: args.templates.as_deref(),
        force: args.force,
        year: phuluc::scaffold::this_year(),
    };
    let plan = match new_file(&request, &templates) {
        Ok(Made::List(list)) => return print_stdout(list.get(lang), lang),
        Ok(Made::Plan(plan)) => plan,
        Err(NewFailure::Input(diags)) => {
            report(&diags, lang);
            return Outcome::Problems;
        }
        Err(NewFailure::Tool(diags)) => {
            report(&diags, lang);
            return Outcome::Failed;
        }
    };
    if let Err(d) = write_file(&plan.output, plan.yaml.as_bytes()) {
        report(&[d], lang);
        return Outcome::Failed;
    }
    for line in &plan.lines {
        eprintln!("{}", line.get(lang));
    }
    Outcome::Clean
}
