//! `phuluc import FILE.docx [-o OUT.yaml] [--templates DIR] [--force]`: an existing Word
//! appendix becomes a plan file.
//!
//! Contract: reads the .docx ([`phuluc::import`]: package → neutral model → recognised
//! plan), writes the plan as YAML in the house style (default `data/<stem>.yaml`),
//! atomically, never over an existing file without `--force`, then checks what it wrote
//! as `phuluc check` would. Every guess import made is a warning naming the place in the
//! Word file ("bảng 2, dòng 14, cột 3"), printed at the end. Exit codes as check's: 0 the
//! plan was written and checks clean (warnings allowed), 1 the Word file could not be
//! imported or the written plan has errors, 2 the tool failed (unreadable input,
//! unwritable output, an existing output without `--force`).

use std::path::{Path, PathBuf};

use clap::Args;
use phuluc::diag::{Diagnostic, Lang, Text};
use phuluc::import::{package::Package, raw, recognise, yaml};

use super::write::write_file;
use super::{Outcome, load_templates, report};

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
}

pub fn run(args: &ImportArgs, lang: Lang) -> Outcome {
    let templates = match load_templates(args.templates.as_deref(), lang) {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            report(
                &[Diagnostic::error(Text::new(
                    format!("không đọc được tệp: {e}"),
                    format!("cannot read the file: {e}"),
                ))
                .in_file(&args.file)
                .hint(Text::new(
                    "Kiểm tra đường dẫn và quyền đọc tệp.",
                    "Check the path and that the file can be read.",
                ))],
                lang,
            );
            return Outcome::Failed;
        }
    };
    let doc = match Package::read(&bytes).and_then(|p| raw::read(&p)) {
        Ok(doc) => doc,
        Err(e) => {
            report(
                &[Diagnostic::error(e.to_text())
                    .in_file(&args.file)
                    .hint(e.hint())],
                lang,
            );
            return Outcome::Problems;
        }
    };
    let recognised = recognise::recognise(&doc, &templates);
    let warnings: Vec<Diagnostic> = recognised
        .warnings
        .iter()
        .map(|w| Diagnostic::warning(w.clone()).in_file(&args.file))
        .collect();
    if recognised.plan.appendices.is_empty() {
        report(&warnings, lang);
        report(
            &[Diagnostic::error(Text::new(
                "không nhận ra phụ lục nào trong tệp: không bảng nào có tiêu đề cột khớp một mẫu",
                "no appendix recognised in the file: no table's column headers match a template",
            ))
            .in_file(&args.file)
            .hint(Text::new(
                "Dùng --templates THƯ_MỤC với mẫu có đúng các tiêu đề cột của bảng (xem README, “Mẫu phụ lục”).",
                "Use --templates DIR with a template whose column headers are the table's (see README, “Templates”).",
            ))],
            lang,
        );
        return Outcome::Problems;
    }
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.file));
    if out.exists() && !args.force {
        report(
            &[Diagnostic::error(Text::new(
                "tệp kết quả đã có: không ghi đè",
                "the output file exists: not overwritten",
            ))
            .in_file(&out)
            .hint(Text::new(
                "Thêm --force để ghi đè, hoặc chọn tên khác bằng -o.",
                "Add --force to overwrite it, or choose another name with -o.",
            ))],
            lang,
        );
        return Outcome::Failed;
    }
    let source = args
        .file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let text = yaml::to_yaml(&recognised.plan, &templates, &schema_path(&out), &source);
    if let Err(d) = write_file(&out, text.as_bytes()) {
        report(&[d], lang);
        return Outcome::Failed;
    }
    // What check would say about the written plan: its errors are import's to own.
    let checked = match phuluc::prepare_str(&text, &out, &templates) {
        Ok(_) => Vec::new(),
        Err(diags) => diags,
    };
    report(&warnings, lang);
    report(&checked, lang);
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "đã ghi {} ({} phụ lục, {} cảnh báo cần xem lại)",
                out.display(),
                recognised.plan.appendices.len(),
                warnings.len()
            ),
            Lang::En => format!(
                "wrote {} ({} appendices, {} warnings to review)",
                out.display(),
                recognised.plan.appendices.len(),
                warnings.len()
            ),
        }
    );
    if phuluc::diag::has_errors(&checked) {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}

/// The project's `schema/phuluc.schema.json` (under the working folder) as seen from
/// `out`'s folder: `../schema/phuluc.schema.json` for `data/x.yaml`, as the seed has it.
fn schema_path(out: &Path) -> String {
    const DEFAULT: &str = "../schema/phuluc.schema.json";
    let Ok(cwd) = std::env::current_dir() else {
        return DEFAULT.to_owned();
    };
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => cwd.join(p),
        _ => cwd.clone(),
    };
    let (Ok(dir), Ok(schema)) = (
        dir.canonicalize(),
        cwd.join("schema/phuluc.schema.json").canonicalize(),
    ) else {
        return DEFAULT.to_owned();
    };
    let a: Vec<_> = dir.components().collect();
    let b: Vec<_> = schema.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..a.len() {
        rel.push("..");
    }
    for c in &b[common..] {
        rel.push(c);
    }
    rel.to_str()
        .map_or_else(|| DEFAULT.to_owned(), |s| s.replace('\\', "/"))
}

/// `data/<stem>.yaml`.
fn default_output(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "ke-hoach".into(), |s| s.to_string_lossy().into_owned());
    Path::new("data").join(format!("{stem}.yaml"))
}
