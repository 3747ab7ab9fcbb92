//! The whole import of one Word file, as `phuluc import` does it: read the file (through
//! LibreOffice when it is not a .docx), read its package and model, recognise the plan
//! (with `--agencies`, the names of that plan's `agencies:` list vouch for the pieces of
//! agency cells joined with ", " and become the new plan's `agencies:`; a plan without
//! that list lends the names its cells hold, with a warning saying so), derive a
//! template for a table no template knows, write the plan as YAML in the house style, and
//! check it as `phuluc check` would.
//!
//! Contract: [`import_file`] writes nothing and prints nothing. It hands back the plan's
//! text and where it goes (default `data/<stem>.yaml`), the new template folders' files
//! (`<plan's folder>/templates/<kind>/`), the diagnostics (every guess import made is a
//! warning naming the place in the Word file, "bảng 2, dòng 14, cột 3"; then what check
//! says of the plan) and the lines to print once written (what was written, what was
//! guessed and the command to render with it). It refuses an existing plan file or
//! template folder without `force`, so nothing is overwritten by surprise. A refusal says
//! whether the input is the cause ([`ImportFailure::Input`]) or the tool's surroundings
//! ([`ImportFailure::Tool`]).

use std::path::{Path, PathBuf};

use super::package::Package;
use super::{ImportError, convert, raw, recognise, template, yaml};
use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, Text, ToDiagnostic, has_errors};

/// What to import, and how.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The Word file.
    pub file: &'a Path,
    /// Where the plan goes; `None`: `data/<stem>.yaml`.
    pub output: Option<&'a Path>,
    /// The `--templates DIR` the templates were loaded from, if any (named in the
    /// message about a new template).
    pub templates_dir: Option<&'a Path>,
    /// A plan whose `agencies:` list names the agencies.
    pub agencies: Option<&'a Path>,
    /// Overwrite an existing plan file or template folder.
    pub force: bool,
}

/// A Word file imported, ready to be written.
#[derive(Debug)]
pub struct Imported {
    /// Where the plan goes.
    pub output: PathBuf,
    /// The plan file's text.
    pub yaml: String,
    /// The new templates' files, path and contents, in the order to write them (before
    /// the plan).
    pub files: Vec<(PathBuf, String)>,
    /// To print before anything is written (about the `--agencies` plan).
    pub notes: Vec<Diagnostic>,
    /// To print once written: import's guesses, then what check says of the plan.
    pub diagnostics: Vec<Diagnostic>,
    /// To print last: what was written, and each new template with its next command.
    pub lines: Vec<Text>,
}

impl Imported {
    /// Whether the written plan has errors.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// Why nothing was imported: every diagnostic to print, in order.
#[derive(Debug)]
pub enum ImportFailure {
    /// The Word file cannot be imported, or no appendix was recognised in it.
    Input(Vec<Diagnostic>),
    /// The tool could not do its job: the file unreadable, LibreOffice missing or
    /// failing, the `--agencies` plan unusable, an output existing without `force`.
    Tool(Vec<Diagnostic>),
}

/// Imports `options.file` with `templates` (new kinds are added to them).
pub fn import_file(options: &Options, templates: Templates) -> Result<Imported, ImportFailure> {
    let bytes = read(options.file).map_err(|d| ImportFailure::Tool(vec![d]))?;
    import_bytes(&bytes, options, templates)
}

/// [`import_file`] of a .docx already in memory (`phuluc serve`'s body): `options.file`
/// only names it; with `force` and no `agencies`, nothing on disk is read or looked at.
pub fn import_bytes(
    bytes: &[u8],
    options: &Options,
    mut templates: Templates,
) -> Result<Imported, ImportFailure> {
    let file = options.file;
    let mut doc = Package::read(bytes)
        .and_then(|p| raw::read(&p))
        .map_err(|e| ImportFailure::Input(vec![e.to_diagnostic().in_file(file)]))?;
    let mut notes = Vec::new();
    if let Some(plan) = options.agencies {
        match crate::prepare(plan, &templates) {
            Ok(prepared) if prepared.plan.agencies.is_empty() => {
                // No list: the names its cells hold (each spelling) vouch for pieces
                // instead; they are not the new plan's canonical list.
                let register = crate::compose::agencies::register(&prepared.plan, &templates);
                let names: Vec<String> = register
                    .agencies
                    .iter()
                    .flat_map(|a| std::iter::once(&a.name).chain(&a.spellings))
                    .cloned()
                    .collect();
                notes.push(
                    Diagnostic::warning(Text::new(
                        format!(
                            "kế hoạch này không có danh sách “agencies:”: dùng {} tên cơ quan trong các ô của nó để tách ô nhiều cơ quan (không chép thành “agencies:” của kế hoạch mới)",
                            register.agencies.len()
                        ),
                        format!(
                            "this plan has no “agencies:” list: the {} agency names its cells hold are used to split cells of several agencies (not copied as the new plan's “agencies:”)",
                            register.agencies.len()
                        ),
                    ))
                    .in_file(plan)
                    .hint(Text::new(
                        "Thêm danh sách “agencies:” (tên chuẩn) vào kế hoạch đó để kế hoạch mới dùng chung tên chuẩn.",
                        "Add an “agencies:” list (the canonical names) to that plan for the new plan to share them.",
                    )),
                );
                let used = &mut doc.agencies.used;
                for name in names {
                    if !used.contains(&name) {
                        used.push(name);
                    }
                }
            }
            Ok(prepared) => {
                let canonical = &mut doc.agencies.canonical;
                for name in prepared.plan.agencies {
                    if !canonical.contains(&name) {
                        canonical.push(name);
                    }
                }
            }
            Err(mut diags) => {
                diags.push(
                    Diagnostic::error(Text::new(
                        "không dùng được kế hoạch đưa vào --agencies: sửa các lỗi trên trước",
                        "the plan given to --agencies cannot be used: fix the errors above first",
                    ))
                    .in_file(plan),
                );
                return Err(ImportFailure::Tool(diags));
            }
        }
    }
    let tool = |notes: &[Diagnostic], d: Diagnostic| {
        let mut all = notes.to_vec();
        all.push(d);
        ImportFailure::Tool(all)
    };
    let out = options
        .output
        .map_or_else(|| default_output(file), Path::to_path_buf);
    let source = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    // A table of a kind no template knows becomes a new template folder beside the plan.
    let new_dir = templates_beside(&out);
    let derive = template::Options {
        source: source.clone(),
        // The new `layout.yaml` is two folders below the plan's.
        schema: format!(
            "../../{}",
            schema_path(&out).replace("phuluc.schema.json", "layout.schema.json")
        ),
        dir: new_dir.clone(),
    };
    let recognised = recognise::recognise_deriving(&doc, &mut templates, &derive);
    let warnings: Vec<Diagnostic> = recognised
        .warnings
        .iter()
        .map(|w| Diagnostic::warning(w.clone()).in_file(file))
        .collect();
    if recognised.plan.appendices.is_empty() {
        let mut all = notes;
        all.extend(warnings);
        all.push(nothing_recognised(file));
        return Err(ImportFailure::Input(all));
    }
    if !options.force && out.exists() {
        return Err(tool(&notes, exists(&out)));
    }
    let mut files = Vec::new();
    for kind in &recognised.new_kinds {
        let folder = new_dir.join(&kind.slug);
        if !options.force && folder.exists() {
            return Err(tool(&notes, folder_exists(kind, &folder, &new_dir)));
        }
        for (name, contents) in &kind.files {
            files.push((folder.join(name), contents.clone()));
        }
    }
    let text = yaml::to_yaml(&recognised.plan, &templates, &schema_path(&out), &source);
    // What check would say about the written plan: its errors are import's to own.
    let checked = match crate::prepare_str(&text, &out, &templates) {
        Ok(_) => Vec::new(),
        Err(diags) => diags,
    };
    let (appendices, guesses) = (recognised.plan.appendices.len(), warnings.len());
    let mut lines = vec![Text::new(
        format!(
            "đã ghi {} ({appendices} phụ lục, {guesses} cảnh báo cần xem lại)",
            out.display()
        ),
        format!(
            "wrote {} ({appendices} appendices, {guesses} warnings to review)",
            out.display()
        ),
    )];
    for kind in &recognised.new_kinds {
        lines.push(new_kind(kind, &new_dir, &out, options.templates_dir));
    }
    let mut diagnostics = warnings;
    diagnostics.extend(checked);
    Ok(Imported {
        output: out,
        yaml: text,
        files,
        notes,
        diagnostics,
        lines,
    })
}

/// The file's bytes as a .docx: Word 97–2003 and OpenDocument files (by name, or a
/// Word 97–2003 file under any name) go through LibreOffice first.
fn read(file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let bytes = std::fs::read(file).map_err(|e| {
        Diagnostic::error(Text::new(
            format!("không đọc được tệp: {e}"),
            format!("cannot read the file: {e}"),
        ))
        .in_file(file)
        .hint(Text::new(
            "Kiểm tra đường dẫn và quyền đọc tệp.",
            "Check the path and that the file can be read.",
        ))
    })?;
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let first = Package::read(&bytes).err();
    let old_word = first == Some(ImportError::OldWord);
    // A password-protected file is said to be one, whatever its name.
    let encrypted = first == Some(ImportError::Encrypted);
    if !encrypted && (old_word || matches!(ext.as_str(), "doc" | "odt" | "rtf")) {
        convert::to_docx(file)
    } else {
        Ok(bytes)
    }
}

fn nothing_recognised(file: &Path) -> Diagnostic {
    Diagnostic::error(Text::new(
        "không nhận ra phụ lục nào trong tệp: không bảng nào có tiêu đề cột khớp một mẫu, cũng không bảng nào có dòng tiêu đề để tạo mẫu mới",
        "no appendix recognised in the file: no table's column headers match a template, and no table has a header row to make a new one from",
    ))
    .in_file(file)
    .hint(Text::new(
        "Trong ba dòng đầu của bảng, mỗi cột cần một ô tiêu đề riêng có chữ (ví dụ “TT | Tên công trình | Kinh phí”); hoặc dùng --templates THƯ_MỤC với mẫu có đúng các tiêu đề cột của bảng (xem README, “Templates”).",
        "Within the table's first three rows each column needs a header cell of its own with text in it (e.g. “TT | Tên công trình | Kinh phí”); or use --templates DIR with a template whose column headers are the table's (see README, “Templates”).",
    ))
}

fn exists(out: &Path) -> Diagnostic {
    Diagnostic::error(Text::new(
        "tệp kết quả đã có: không ghi đè",
        "the output file exists: not overwritten",
    ))
    .in_file(out)
    .hint(Text::new(
        "Thêm --force để ghi đè, hoặc chọn tên khác bằng -o.",
        "Add --force to overwrite it, or choose another name with -o.",
    ))
}

fn folder_exists(kind: &template::NewKind, folder: &Path, new_dir: &Path) -> Diagnostic {
    Diagnostic::error(Text::new(
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
    .in_file(folder)
    .hint(Text::new(
        format!(
            "Nếu đó là mẫu đã tạo lần trước, chạy lại với --templates {}; muốn tạo lại thì thêm --force (tệp trong thư mục đó bị ghi đè).",
            new_dir.display()
        ),
        format!(
            "If it is the template made last time, run again with --templates {}; to make it again, add --force (the files in that folder are overwritten).",
            new_dir.display()
        ),
    ))
}

/// `<plan's folder>/templates`: where import writes the kinds it makes.
fn templates_beside(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join("templates"),
        _ => PathBuf::from("templates"),
    }
}

/// Tells the clerk a new template was made: where, what was guessed, the next command.
fn new_kind(kind: &template::NewKind, dir: &Path, out: &Path, given: Option<&Path>) -> Text {
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
    if let Some((base, why)) = &kind.variant_of {
        return Text::new(
            format!(
                "đã tạo mẫu “{}” ở {}/ từ bảng {}: biến thể của mẫu “{base}”, cùng các cột, in {} như tệp Word.{copy_vi}\n  {command}",
                kind.slug,
                folder.display(),
                kind.table + 1,
                why.vi,
            ),
            format!(
                "made template “{}” in {}/ from table {}: a variant of “{base}”, the same columns, printing {} as the Word file does.{copy_en}\n  {command}",
                kind.slug,
                folder.display(),
                kind.table + 1,
                why.en,
            ),
        );
    }
    Text::new(
        format!(
            "đã tạo mẫu mới “{}” ở {}/ từ bảng {} (không mẫu nào có các tiêu đề cột này). Loại cột là đoán — {}. Mở {} và xem lại các dòng “# đoán:” (loại cột, độ rộng, căn lề, khổ và lề trang).{copy_vi}\n  {command}",
            kind.slug,
            folder.display(),
            kind.table + 1,
            columns.join("; "),
            folder.join("layout.yaml").display(),
        ),
        format!(
            "made a new template “{}” in {}/ from table {} (no template has these column headers). Column kinds are guesses — {}. Open {} and review the “# đoán:” (guess) lines (column kinds, widths, alignment, page size and margins).{copy_en}\n  {command}",
            kind.slug,
            folder.display(),
            kind.table + 1,
            columns.join("; "),
            folder.join("layout.yaml").display(),
        ),
    )
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
