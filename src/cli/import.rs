//! `phuluc import FILE.docx [-o OUT.yaml] [--templates DIR] [--agencies PLAN.yaml]
//! [--force]`: an existing Word appendix becomes a plan file (with `--agencies`, the
//! names of that plan's `agencies:` list vouch for the pieces of agency cells joined
//! with ", ", and become the new plan's `agencies:`). A `.doc`, `.odt` or `.rtf` (or a
//! Word 97–2003 file under any name) is converted to .docx by LibreOffice first, in a
//! private profile, bounded in time; without LibreOffice the message names the package
//! to install.
//!
//! Contract: reads the .docx ([`phuluc::import`]: package → neutral model → recognised
//! plan), writes the plan as YAML in the house style (default `data/<stem>.yaml`),
//! atomically, never over an existing file without `--force`, then checks what it wrote
//! as `phuluc check` would. A table no template matches becomes a new template folder
//! beside the plan (`<plan's folder>/templates/<kind>/`, also with `--templates DIR`),
//! written atomically file by file, never over an existing folder without `--force`; the
//! plan is checked with it, and the message says what was guessed and the command to
//! render with it. Every guess import made is a warning naming the place in the
//! Word file ("bảng 2, dòng 14, cột 3"), printed at the end. Exit codes as check's: 0 the
//! plan was written and checks clean (warnings allowed), 1 the Word file could not be
//! imported or the written plan has errors, 2 the tool failed (unreadable input,
//! unwritable output, an existing output without `--force`).

use std::path::{Path, PathBuf};

use clap::Args;
use phuluc::diag::{Diagnostic, Lang, Text, ToDiagnostic};
use phuluc::import::{package::Package, raw, recognise, template, yaml};

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
    /// Kế hoạch có danh sách agencies: (tên cơ quan chuẩn): dùng để tách ô nhiều cơ quan, chép vào tệp mới / a plan whose agencies: list names the agencies: used to split agency cells, copied into the new file
    #[arg(long, value_name = "PLAN.yaml")]
    agencies: Option<PathBuf>,
}

pub fn run(args: &ImportArgs, lang: Lang) -> Outcome {
    let mut templates = match load_templates(args.templates.as_deref(), lang) {
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
    // Word 97–2003 and OpenDocument files go through LibreOffice first.
    let ext = args
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let first = Package::read(&bytes).err();
    let old_word = first == Some(phuluc::import::ImportError::OldWord);
    // A password-protected file is said to be one, whatever its name.
    let encrypted = first == Some(phuluc::import::ImportError::Encrypted);
    let bytes = if !encrypted && (old_word || matches!(ext.as_str(), "doc" | "odt" | "rtf")) {
        match convert(&args.file) {
            Ok(b) => b,
            Err(d) => {
                report(&[d], lang);
                return Outcome::Failed;
            }
        }
    } else {
        bytes
    };
    let mut doc = match Package::read(&bytes).and_then(|p| raw::read(&p)) {
        Ok(doc) => doc,
        Err(e) => {
            report(&[e.to_diagnostic().in_file(&args.file)], lang);
            return Outcome::Problems;
        }
    };
    if let Some(plan) = &args.agencies {
        match phuluc::prepare(plan, &templates) {
            Ok(prepared) => {
                let canonical = &mut doc.agencies.canonical;
                for name in prepared.plan.agencies {
                    if !canonical.contains(&name) {
                        canonical.push(name);
                    }
                }
                if canonical.is_empty() {
                    report(
                        &[Diagnostic::warning(Text::new(
                            "kế hoạch này không có danh sách “agencies:”: không có tên cơ quan nào để dùng",
                            "this plan has no “agencies:” list: no agency names to use",
                        ))
                        .in_file(plan)],
                        lang,
                    );
                }
            }
            Err(diags) => {
                report(&diags, lang);
                report(
                    &[Diagnostic::error(Text::new(
                        "không dùng được kế hoạch đưa vào --agencies: sửa các lỗi trên trước",
                        "the plan given to --agencies cannot be used: fix the errors above first",
                    ))
                    .in_file(plan)],
                    lang,
                );
                return Outcome::Failed;
            }
        }
    }
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.file));
    let source = args
        .file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    // A table of a kind no template knows becomes a new template folder beside the plan.
    let new_dir = templates_beside(&out);
    let options = template::Options {
        source: source.clone(),
        // The new `layout.yaml` is two folders below the plan's.
        schema: format!(
            "../../{}",
            schema_path(&out).replace("phuluc.schema.json", "layout.schema.json")
        ),
        dir: new_dir.clone(),
    };
    let recognised = recognise::recognise_deriving(&doc, &mut templates, &options);
    let warnings: Vec<Diagnostic> = recognised
        .warnings
        .iter()
        .map(|w| Diagnostic::warning(w.clone()).in_file(&args.file))
        .collect();
    if recognised.plan.appendices.is_empty() {
        report(&warnings, lang);
        report(
            &[Diagnostic::error(Text::new(
                "không nhận ra phụ lục nào trong tệp: không bảng nào có tiêu đề cột khớp một mẫu, cũng không bảng nào có dòng tiêu đề để tạo mẫu mới",
                "no appendix recognised in the file: no table's column headers match a template, and no table has a header row to make a new one from",
            ))
            .in_file(&args.file)
            .hint(Text::new(
                "Trong ba dòng đầu của bảng, mỗi cột cần một ô tiêu đề riêng có chữ (ví dụ “TT | Tên công trình | Kinh phí”); hoặc dùng --templates THƯ_MỤC với mẫu có đúng các tiêu đề cột của bảng (xem README, “Templates”).",
                "Within the table's first three rows each column needs a header cell of its own with text in it (e.g. “TT | Tên công trình | Kinh phí”); or use --templates DIR with a template whose column headers are the table's (see README, “Templates”).",
            ))],
            lang,
        );
        return Outcome::Problems;
    }
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
    for kind in &recognised.new_kinds {
        let folder = new_dir.join(&kind.slug);
        if folder.exists() && !args.force {
            report(
                &[Diagnostic::error(Text::new(
                    format!(
                        "thư mục mẫu “{}” đã có: không ghi đè (bảng {} không khớp mẫu nào nên import muốn tạo mẫu mới ở đây)",
                        kind.slug,
                        kind.table + 1
                    ),
                    format!(
                        "the template folder “{}” exists: not overwritten (table {} matches no template, so import would make a new one here)",
                        kind.slug,
                        kind.table + 1
                    ),
                ))
                .in_file(&folder)
                .hint(Text::new(
                    format!(
                        "Nếu đó là mẫu đã tạo lần trước, chạy lại với --templates {}; muốn tạo lại thì thêm --force (tệp trong thư mục đó bị ghi đè).",
                        new_dir.display()
                    ),
                    format!(
                        "If it is the template made last time, run again with --templates {}; to make it again, add --force (the files in that folder are overwritten).",
                        new_dir.display()
                    ),
                ))],
                lang,
            );
            return Outcome::Failed;
        }
    }
    for kind in &recognised.new_kinds {
        let folder = new_dir.join(&kind.slug);
        for (name, contents) in &kind.files {
            if let Err(d) = write_file(&folder.join(name), contents.as_bytes()) {
                report(&[d], lang);
                return Outcome::Failed;
            }
        }
    }
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
    for kind in &recognised.new_kinds {
        say_new_kind(kind, &new_dir, &out, args.templates.as_deref(), lang);
    }
    if phuluc::diag::has_errors(&checked) {
        Outcome::Problems
    } else {
        Outcome::Clean
    }
}

/// `<plan's folder>/templates`: where import writes the kinds it makes.
fn templates_beside(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("templates"),
        _ => PathBuf::from("templates"),
    }
}

/// Tells the clerk a new template was made: where, what was guessed, the next command.
fn say_new_kind(
    kind: &template::NewKind,
    dir: &Path,
    out: &Path,
    given: Option<&Path>,
    lang: Lang,
) {
    let folder = dir.join(&kind.slug);
    let columns: Vec<String> = kind
        .columns
        .iter()
        .map(|c| {
            format!(
                "{} ({}): {}",
                c.header,
                c.field,
                template::kind_name(c.kind)
            )
        })
        .collect();
    // With --templates DIR elsewhere, the plan may use kinds from DIR too: one folder
    // must hold them all, so the new one is to be copied there.
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    let elsewhere = given.filter(|g| !same(g, dir));
    let render_dir = elsewhere.unwrap_or(dir);
    let command = format!(
        "phuluc render {} --templates {}",
        out.display(),
        render_dir.display()
    );
    let (copy_vi, copy_en) = match elsewhere {
        Some(g) => (
            format!(
                " Vì đã dùng --templates {g}, hãy chép thư mục {} vào {g} (cp -r {} {g}/) rồi mới chạy:",
                folder.display(),
                folder.display(),
                g = g.display()
            ),
            format!(
                " Since --templates {g} was given, copy the folder {} into {g} (cp -r {} {g}/) before running:",
                folder.display(),
                folder.display(),
                g = g.display()
            ),
        ),
        None => (" Rồi chạy:".to_owned(), " Then run:".to_owned()),
    };
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "đã tạo mẫu mới “{}” ở {}/ từ bảng {} (không mẫu nào có các tiêu đề cột này). Loại cột là đoán — {}. Mở {} và xem lại các dòng “# đoán:” (loại cột, độ rộng, căn lề, khổ và lề trang).{copy_vi}\n  {command}",
                kind.slug,
                folder.display(),
                kind.table + 1,
                columns.join("; "),
                folder.join("layout.yaml").display(),
            ),
            Lang::En => format!(
                "made a new template “{}” in {}/ from table {} (no template has these column headers). Column kinds are guesses — {}. Open {} and review the “# đoán:” (guess) lines (column kinds, widths, alignment, page size and margins).{copy_en}\n  {command}",
                kind.slug,
                folder.display(),
                kind.table + 1,
                columns.join("; "),
                folder.join("layout.yaml").display(),
            ),
        }
    );
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

/// How long LibreOffice may take to convert one file.
const CONVERT_SECONDS: u64 = 180;

/// `file` converted to .docx by LibreOffice (`soffice --headless --convert-to docx`), in
/// a private profile and folder so a running LibreOffice is neither used nor disturbed;
/// bounded in time.
fn convert(file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let fail = |vi: String, en: String| {
        Diagnostic::error(Text::new(vi, en)).in_file(file).hint(Text::new(
            "Mở tệp bằng Word hoặc LibreOffice và lưu lại dạng .docx, rồi chạy lại với tệp .docx.",
            "Open the file in Word or LibreOffice, save it as .docx, and run again on the .docx.",
        ))
    };
    let work = tempfile::tempdir().map_err(|e| {
        fail(
            format!("không tạo được thư mục tạm để chuyển đổi: {e}"),
            format!("cannot create a temporary folder for the conversion: {e}"),
        )
    })?;
    let profile = format!("file://{}", work.path().join("profile").display());
    let out_dir = work.path().join("out");
    let spawned = std::process::Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
        ])
        .arg(&out_dir)
        .arg(file)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Diagnostic::error(Text::new(
                "cần LibreOffice để đọc tệp .doc/.odt/.rtf, nhưng máy chưa cài (không thấy lệnh soffice)",
                "LibreOffice is needed to read .doc/.odt/.rtf files, but it is not installed (no soffice command)",
            ))
            .in_file(file)
            .hint(Text::new(
                "Cài LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui), hoặc mở tệp bằng Word và lưu lại dạng .docx.",
                "Install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui), or open the file in Word and save it as .docx.",
            )));
        }
        Err(e) => {
            return Err(fail(
                format!("không chạy được LibreOffice: {e}"),
                format!("cannot run LibreOffice: {e}"),
            ));
        }
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(CONVERT_SECONDS);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(
                    format!("LibreOffice không chuyển xong tệp sau {CONVERT_SECONDS} giây"),
                    format!(
                        "LibreOffice did not finish converting within {CONVERT_SECONDS} seconds"
                    ),
                ));
            }
        }
    };
    let stem = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let converted = out_dir.join(format!("{stem}.docx"));
    match std::fs::read(&converted) {
        Ok(bytes) if status.success() => Ok(bytes),
        _ => Err(fail(
            "LibreOffice không chuyển được tệp sang .docx (tệp hỏng hoặc không phải văn bản)"
                .to_owned(),
            "LibreOffice could not convert the file to .docx (damaged, or not a text document)"
                .to_owned(),
        )),
    }
}

/// `data/<stem>.yaml`.
fn default_output(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "ke-hoach".into(), |s| s.to_string_lossy().into_owned());
    Path::new("data").join(format!("{stem}.yaml"))
}
