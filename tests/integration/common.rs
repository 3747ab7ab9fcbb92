//! Shared helpers: running the binary, reading outputs through independent tools, the
//! seed's cell texts, and a matcher that finds a cell's words in extracted PDF text.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use unicode_normalization::UnicodeNormalization;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path under `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The seed data file.
pub fn seed_yaml() -> PathBuf {
    root().join("data/ke-hoach-05-nq-du.yaml")
}

/// Runs `phuluc` with `args` in `cwd`, messages forced to Vietnamese.
pub fn phuluc(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phuluc"))
        .args(args)
        .current_dir(cwd)
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .expect("run phuluc")
}

/// stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Whether an external tool is on PATH. Where it is missing, the test skips loudly — and
/// in CI (CI=true), where every tool is installed, a missing tool fails the test instead.
pub fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "{name} is required in CI but is not installed (see .ci/run)"
        );
        eprintln!("SKIPPED: {name} not installed; install it to run this test (see README)");
    }
    found
}

/// Converts a .docx to PDF with LibreOffice; returns the PDF path.
pub fn libreoffice_pdf(docx: &Path, out_dir: &Path) -> PathBuf {
    let profile = out_dir.join("lo-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out_dir)
        .arg(docx)
        .output()
        .expect("run soffice");
    let pdf = out_dir.join(docx.with_extension("pdf").file_name().expect("name"));
    assert!(
        pdf.is_file(),
        "LibreOffice did not convert {}: {}",
        docx.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    pdf
}

/// `pdftotext -raw` of a PDF (content order: each cell's lines stay together).
pub fn pdftotext(pdf: &Path, extra: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(extra)
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed");
    // Not normalised: text copied from the PDF must already be composed (NFC).
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Page count reported by `pdfinfo`.
pub fn pdf_pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("run pdfinfo");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// One fixture of an expectations folder: `NAME.yaml` with `NAME.expect` beside it, whose
/// first line is `exit: N` and whose other lines must appear in the output.
pub struct Case {
    /// The fixture's file name, e.g. `truong-la.yaml`.
    pub name: String,
    /// The exit code expected.
    pub code: i32,
    /// Lines the output must contain.
    pub wants: Vec<String>,
}

/// The cases of `tests/fixtures/<folder>`, sorted by name.
pub fn expect_cases(folder: &str) -> Vec<Case> {
    let dir = fixture(folder);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let expect = std::fs::read_to_string(path.with_extension("expect"))
                .unwrap_or_else(|_| panic!("{} has no .expect", path.display()));
            let mut lines = expect.lines();
            let code = lines
                .next()
                .and_then(|l| l.strip_prefix("exit: "))
                .and_then(|n| n.parse().ok())
                .expect("first line is `exit: N`");
            Case {
                name: path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .expect("utf-8 name")
                    .to_owned(),
                code,
                wants: lines
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect()
}

/// Every text cell of the seed document (heading lines, header and body cells), whitespace
/// collapsed. Row numbers are left out (they are checked by `numbering` tests), and so is
/// the Word bookmark artefact "[bookmark: _GoBack]" the extraction left in one cell.
pub fn seed_cells() -> Vec<String> {
    let seed = std::fs::read_to_string(fixture("seed.txt")).expect("seed fixture");
    let mut cells = Vec::new();
    let mut in_heading = true;
    for line in seed.lines() {
        let is_cell = line.starts_with('\t') || line.starts_with(" \t");
        if is_cell {
            in_heading = false;
        } else if line.trim().starts_with("PHỤ LỤC") {
            in_heading = true;
        }
        if !is_cell && !in_heading {
            continue;
        }
        let text = collapse(&line.replace("[bookmark: _GoBack]", ""));
        if text.is_empty() || is_row_number(&text) {
            continue;
        }
        cells.push(text);
    }
    cells
}

fn is_row_number(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_digit() || c == '.') || ["I", "II", "III"].contains(&s)
}

/// NFC and single spaces.
pub fn collapse(s: &str) -> String {
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Extracted text as lines, whitespace collapsed.
pub struct Extracted {
    lines: Vec<String>,
}

/// How many lines may come between two lines of one cell (the other cells of its row, a
/// page break, the page number and the repeated header row).
const MAX_GAP_LINES: usize = 60;

impl Extracted {
    /// Splits text into non-empty lines.
    pub fn new(text: &str) -> Self {
        Extracted {
            lines: text
                .lines()
                .map(collapse)
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }

    /// Whether `cell` appears as a run of lines: it may start after other text on its
    /// first line and end before other text on its last, each line in between must be
    /// wholly the cell's next text, and a line break stands for a space or for a break
    /// inside a word (after "/" or "-", or in a token wider than its column). Between two
    /// lines of the cell up to `MAX_GAP_LINES` other lines may come.
    pub fn contains(&self, cell: &str) -> bool {
        let cell = collapse(cell);
        if cell.is_empty() {
            return true;
        }
        self.lines.iter().enumerate().any(|(i, line)| {
            word_starts(line).any(|o| {
                let tail = &line[o..];
                if let Some(after) = tail.strip_prefix(cell.as_str()) {
                    after.is_empty() || after.starts_with(' ')
                } else if let Some(rest) = cell.strip_prefix(tail) {
                    self.resume(i + 1, rest.strip_prefix(' ').unwrap_or(rest))
                } else {
                    false
                }
            })
        })
    }

    fn resume(&self, from: usize, rest: &str) -> bool {
        let end = (from + MAX_GAP_LINES).min(self.lines.len());
        (from..end)
            .filter(|&k| {
                let line = &self.lines[k];
                line.starts_with(rest) || rest.starts_with(line.as_str())
            })
            .take(8)
            .any(|k| {
                let line = &self.lines[k];
                if let Some(after) = line.strip_prefix(rest) {
                    return after.is_empty() || after.starts_with(' ');
                }
                let left = &rest[line.len()..];
                self.resume(k + 1, left.strip_prefix(' ').unwrap_or(left))
            })
    }
}

/// Byte offsets where words start in a collapsed line.
fn word_starts(line: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(line.match_indices(' ').map(|(i, _)| i + 1))
}

/// The cells of the seed missing from extracted text (empty when all are present).
pub fn missing_cells(text: &str) -> Vec<String> {
    let extracted = Extracted::new(text);
    seed_cells()
        .into_iter()
        .filter(|c| !extracted.contains(c))
        .collect()
}

#[test]
fn matcher_finds_split_cells_and_rejects_changed_ones() {
    let text =
        "Stt Mục tiêu\n1\nBảo đảm sự lãnh đạo,\nThường\nxuyên\n2\nStt Mục tiêu\nchỉ đạo đồng bộ.\n";
    let e = Extracted::new(text);
    assert!(e.contains("Mục tiêu"));
    assert!(
        e.contains("Bảo đảm sự lãnh đạo, chỉ đạo đồng bộ."),
        "resumes after a page break"
    );
    assert!(e.contains("Thường xuyên"));
    assert!(
        !e.contains("Bảo đảm sự lãnh đạo, chỉ đạo đồng bộ"),
        "a changed word fails"
    );
    assert!(!e.contains("sự lãnh đạo chỉ đạo"), "gaps only at line ends");
    assert!(
        !e.contains("Bảo đảm sự lãnh đạo, đồng bộ."),
        "a dropped word fails"
    );
}

/// A template folder `dir/<name>/`: the built-in heading templates (`nhiem-vu`'s) and
/// `layout` as its `layout.yaml`. Returns the folder.
pub fn template_kind(dir: &Path, name: &str, layout: &str) -> PathBuf {
    let kind = dir.join(name);
    std::fs::create_dir_all(&kind).expect("mkdir template");
    for f in ["label.hbs", "title.hbs", "reference.hbs"] {
        std::fs::copy(root().join("templates/nhiem-vu").join(f), kind.join(f)).expect("copy hbs");
    }
    std::fs::write(kind.join("layout.yaml"), layout).expect("write layout.yaml");
    kind
}

/// `phuluc check` of the seed with the templates folder `templates` fails (exit 1) and
/// prints each of `wants` (on stdout or stderr).
pub fn check_refuses_templates(templates: &Path, wants: &[&str]) {
    let out = phuluc(
        &root(),
        &[
            "check",
            "data/ke-hoach-05-nq-du.yaml",
            "--templates",
            templates.to_str().expect("utf-8"),
        ],
    );
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{all}");
    for want in wants {
        assert!(all.contains(want), "missing {want:?} in\n{all}");
    }
}

/// A zip of `(name, bytes)` entries, deflated: the .docx files tests write by hand.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, opts).expect("zip entry");
            zip.write_all(bytes).expect("zip write");
        }
        zip.finish().expect("zip finish");
    }
    out.into_inner()
}

/// `phuluc render PLAN -o DIR` with `extra` arguments: the paths of the .docx and the PDF.
pub fn render_both(dir: &Path, plan: &Path, extra: &[&str]) -> (PathBuf, PathBuf) {
    let out_dir = dir.to_str().expect("utf-8 path");
    let mut args = vec!["render", plan.to_str().expect("utf-8 path"), "-o", out_dir];
    args.extend_from_slice(extra);
    let out = phuluc(&root(), &args);
    assert!(out.status.success(), "render failed: {}", stderr(&out));
    let stem = plan
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    (
        dir.join(format!("{stem}.docx")),
        dir.join(format!("{stem}.pdf")),
    )
}

/// `phuluc export PLAN --format json` with `extra` arguments, parsed.
pub fn export_json(plan: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "export",
        plan.to_str().expect("utf-8 path"),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = phuluc(&root(), &args);
    assert!(out.status.success(), "export failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("export json")
}

/// An exported table's header and body rows on the grid: (first column, span, text) of
/// each cell. A cell merged into the one above is absent from its JSON row, so absent
/// here too.
pub fn json_grid(table: &serde_json::Value) -> Vec<Vec<(usize, usize, String)>> {
    table["header"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(table["body"].as_array().into_iter().flatten())
        .map(|row| {
            let mut col = 0;
            row["cells"]
                .as_array()
                .expect("cells")
                .iter()
                .filter_map(|c| {
                    let span = c["span"].as_u64().unwrap_or(1) as usize;
                    let at = col;
                    col += span;
                    c["text"].as_str().map(|s| (at, span, s.to_owned()))
                })
                .collect()
        })
        .collect()
}

/// `doc` with every origin cleared: what it says, not where in which file it comes from
/// (for comparing the documents of two plan files).
pub fn without_origins(doc: &phuluc::document::Document) -> phuluc::document::Document {
    let mut doc = doc.clone();
    for part in &mut doc.parts {
        part.origin = None;
        for field in &mut part.fields {
            field.origin = None;
        }
        for row in part.table.header.iter_mut().chain(&mut part.table.body) {
            row.origin = None;
            for cell in &mut row.cells {
                cell.origin = None;
            }
        }
    }
    doc
}

/// The property tests' configuration: `default` cases per property, or `PROPTEST_CASES`.
pub fn proptest_config(default: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::Config {
        cases,
        ..proptest::test_runner::Config::default()
    }
}
