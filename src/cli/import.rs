//! `phuluc import FILE.docx [-o OUT.yaml] [--templates DIR] [--agencies PLAN.yaml]
//! [--force]`: an existing Word appendix becomes a plan file (a `.doc`, `.odt` or `.rtf`
//! through LibreOffice first).
//!
//! Contract: the import itself is [`phuluc::import::file::import_file`]; here the new
//! template folders' files and then the plan are written atomically, file by file, and
//! the diagnostics and closing lines printed. Exit codes as check's: 0 the plan was
//! written and checks clean (warnings allowed), 1 the Word file could not be imported or
//! the written plan has errors, 2 the tool failed (unreadable input, unwritable output,
//! an existing output without `--force`).

use std::path::PathBuf;

use clap::Args;
use phuluc::diag::Lang;
use phuluc::import::file::{ImportFailure, Options, import_file};

use super::shared::{Outcome, load_templates, report};
use phuluc::write::write_file;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Tệp Word phụ lục (.docx) / the Word appendix (.docx)
    #[arg(value_name = "FILE.docx")]
    file: PathBuf,
    /// Ghi tệp YAML vào đây (mặc định data/<tên>.yaml) / write the plan here (default data/<stem>.yaml)
    #[arg(short = 'o', long = "output", value_name = "OUT.yaml")]
    output: Option<PathBuf>,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn / extra or replacement templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Ghi đè tệp YAML đã có / overwrite an existing plan file
    #[arg(long)]
    force: bool,
    /// Kế hoạch có danh sách agencies: (tên cơ quan chuẩn): dùng để tách ô nhiều cơ quan, chép vào tệp mới / a plan whose agencies: list names the agencies: used to split agency cells, copied into the new file
    #[arg(long, value_name = "PLAN.yaml")]
    agencies: Option<PathBuf>,
}

pub fn run(args: &ImportArgs, lang: Lang) -> Outcome {
    let templates = match load_templates(args.templates.as_deref(), lang) {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let options = Options {
        file: &args.file,
        output: args.output.as_deref(),
        templates_dir: args.templates.as_deref(),
        agencies: args.agencies.as_deref(),
        force: args.force,
    };
    let imported = match import_file(&options, templates) {
        Ok(imported) => imported,
        Err(ImportFailure::Input(diags)) => {
            report(&diags, lang);
            return Outcome::Problems;
        }
        Err(ImportFailure::Tool(diags)) => {
            report(&diags, lang);
            return Outcome::Failed;
        }
    };
    report(&imported.notes, lang);
    // The new templates first, so the plan never names a template not yet written.
    let templates = imported
        .files
        .iter()
        .map(|(p, c)| (p.as_path(), c.as_str()));
    let plan = (imported.output.as_path(), imported.yaml.as_str());
    for (path, contents) in templates.chain([plan]) {
        if let Err(d) = write_file(path, contents.as_bytes()) {
            report(&[d], lang);
            return Outcome::Failed;
        }
    }
    report(&imported.diagnostics, lang);
    for line in &imported.lines {
        eprintln!("{}", line.get(lang));
    }
    if imported.has_errors() {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}
