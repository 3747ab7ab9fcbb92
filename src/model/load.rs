//! Reading a plan file: bytes → UTF-8 → YAML → raw [`FileSrc`].
//!
//! Contract: never panics, whatever the bytes. Every failure is a [`Diagnostic`] in
//! Vietnamese and English with the file and, when the parser knows it, line:column.
//! Parsing is bounded (serde-saphyr budgets on nodes, depth and aliases), so an alias
//! bomb or deep nesting is an error, not a hang or a stack overflow.

use std::path::Path;

use serde_saphyr::{Budget, DuplicateKeyPolicy, Error as YamlError, Options};

use super::tree::Node;
use crate::diag::{Diagnostic, Pos, SourceResult, Text};
use crate::text;

/// Limits for parsing.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        // A 10 000-row plan is about 6 MB; 32 MB leaves room for a province aggregating
        // its wards while a stray 50 MB file is refused at once, before it is read.
        LoadOptions {
            max_bytes: 32 * 1024 * 1024,
        }
    }
}

/// Reads and parses a plan file.
pub fn load_file(path: &Path, opts: LoadOptions) -> SourceResult<Node> {
    with_file_text(path, opts, |src| parse_str(src, path))
}

/// Reads a plan file (size limit, UTF-8, byte-order mark) and hands its text to `f`.
pub fn with_file_text<T>(
    path: &Path,
    opts: LoadOptions,
    f: impl FnOnce(&str) -> SourceResult<T>,
) -> SourceResult<T> {
    let bytes = read_bytes(path, opts).map_err(|d| vec![d])?;
    let src = decode(&bytes, path).map_err(|d| vec![d])?;
    f(src)
}

/// Reads a file's bytes, refusing files over the limit.
pub fn read_bytes(path: &Path, opts: LoadOptions) -> Result<Vec<u8>, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        return Err(Diagnostic::error(text!(
            "đây là một thư mục, không phải tệp YAML",
            "this is a directory, not a YAML file"
        ))
        .in_file(path)
        .hint(text!(
            "Chỉ ra một tệp .yaml, ví dụ data/ke-hoach.yaml.",
            "Name a .yaml file, e.g. data/plan.yaml."
        )));
    }
    if meta.len() > opts.max_bytes {
        return Err(too_large(path, meta.len(), opts.max_bytes));
    }
    std::fs::read(path).map_err(|e| io_error(path, &e))
}

/// A plan file of `size` bytes refused for being over `limit`: the one wording, for a file
/// on disk and for a version read from git alike.
pub fn too_large(path: &Path, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::error(text!(
        format!(
            "tệp quá lớn ({} MB; tối đa {} MB)",
            size / 1_048_576,
            limit / 1_048_576
        ),
        format!(
            "file too large ({} MB; at most {} MB)",
            size / 1_048_576,
            limit / 1_048_576
        )
    ))
    .in_file(path)
    .hint(text!(
        "Kiểm tra đã chọn đúng tệp kế hoạch; tách kế hoạch rất lớn thành nhiều tệp.",
        "Check this is the plan file; split a very large plan into several files."
    ))
}

fn io_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    let (vi, en, hint) = match e.kind() {
        std::io::ErrorKind::NotFound => (
            "không tìm thấy tệp".to_owned(),
            "file not found".to_owned(),
            text!(
                "Kiểm tra lại tên và đường dẫn tệp (chạy lệnh từ thư mục dự án, ví dụ data/ke-hoach-05-nq-du.yaml).",
                "Check the file name and path (run from the project folder, e.g. data/ke-hoach-05-nq-du.yaml)."
            ),
        ),
        std::io::ErrorKind::PermissionDenied => (
            "không có quyền đọc tệp".to_owned(),
            "permission denied reading the file".to_owned(),
            text!(
                "Cấp quyền đọc cho tệp hoặc chép nó sang thư mục của bạn.",
                "Make the file readable or copy it to your own folder."
            ),
        ),
        _ => (
            format!("không đọc được tệp: {e}"),
            format!("cannot read the file: {e}"),
            text!(
                "Kiểm tra tệp còn tồn tại và đọc được.",
                "Check the file exists and is readable."
            ),
        ),
    };
    Diagnostic::error(Text::new(vi, en))
        .in_file(path)
        .hint(hint)
}

/// Decodes UTF-8 (a leading BOM is dropped); invalid bytes are an error at their position.
pub fn decode<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction; count lines and characters in it.
            let prefix = String::from_utf8_lossy(valid);
            let line = u32::try_from(prefix.matches('\n').count() + 1).unwrap_or(u32::MAX);
            let column =
                u32::try_from(prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
                    .unwrap_or(u32::MAX);
            let binary = bytes.iter().take(8192).any(|&b| b == 0);
            let d = if binary {
                Diagnostic::error(text!(
                    "tệp không phải văn bản (có vẻ là tệp nhị phân)",
                    "not a text file (looks binary)"
                ))
                .hint(text!(
                    "Chỉ ra tệp .yaml của kế hoạch, không phải tệp .docx, .pdf hay ảnh.",
                    "Give the plan's .yaml file, not a .docx, .pdf or image."
                ))
            } else {
                Diagnostic::error(text!(
                    "tệp không phải UTF-8: có byte không hợp lệ",
                    "the file is not UTF-8: invalid byte"
                ))
                .hint(text!(
                    "Lưu lại tệp với bảng mã UTF-8 (trong trình soạn thảo: Save with Encoding → UTF-8).",
                    "Save the file as UTF-8 (in the editor: Save with Encoding → UTF-8)."
                ))
            };
            // A position inside a binary file helps nobody.
            let pos = (!binary).then_some(Pos { line, column });
            Err(d.in_file(path).at(pos))
        }
    }
}

/// Parser options: budgets bound nodes, depth and aliases; duplicate keys pass through.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_nodes = 4_000_000;
    budget.max_events = 8_000_000;
    budget.max_depth = 64;
    budget.max_aliases = 10_000;
    // Aliases are rare in plans (a repeated agency list at most); an alias bomb must stop
    // within a fraction of a second, not after building a million nodes.
    budget.max_recorded_anchor_events = 200_000;
    let mut options = Options::default();
    options.alias_limits.max_total_replayed_events = 200_000;
    options.budget = Some(budget);
    // Duplicates reach the validator, which reports every one of them.
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    options.with_snippet = false;
    options
}

/// Parses YAML text into a tree of nodes, each with its exact origin in `src`.
pub fn parse_str(src: &str, path: &Path) -> SourceResult<Node> {
    if src.trim().is_empty() {
        return Err(vec![
            Diagnostic::error(text!("tệp rỗng", "the file is empty"))
                .in_file(path)
                .hint(text!(
                    "Bắt đầu từ tệp mẫu data/ke-hoach-05-nq-du.yaml (xem README).",
                    "Start from the example data/ke-hoach-05-nq-du.yaml (see README)."
                )),
        ]);
    }
    let mut root = serde_saphyr::from_str_with_options::<Node>(src, options())
        .map_err(|e| vec![yaml_error(&e, path)])?;
    super::spans::locate(&mut root, src);
    Ok(root)
}

fn location_pos(loc: Option<serde_saphyr::Location>) -> Option<Pos> {
    loc.filter(|l| l.line() > 0).map(|l| Pos {
        line: u32::try_from(l.line()).unwrap_or(u32::MAX),
        column: u32::try_from(l.column()).unwrap_or(u32::MAX).max(1),
    })
}

/// Turns a parser error into a Vietnamese-first diagnostic.
pub fn yaml_error(e: &YamlError, path: &Path) -> Diagnostic {
    let pos = location_pos(e.location());
    let raw = e.without_snippet().to_string();
    // Strip the parser's own English " at line X, column Y" suffix: the position is ours.
    let raw = match raw.find(" at line ") {
        Some(i) => raw[..i].to_owned(),
        None => raw,
    };
    let (message, hint) = match e.without_snippet() {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let suggestion = crate::diag::closest(field, expected.iter().copied());
            let list = expected.join(", ");
            let hint = match suggestion {
                Some(s) => text!(
                    format!("Có phải ý bạn là “{s}”? Các trường hợp lệ ở đây: {list}."),
                    format!("Did you mean “{s}”? Valid fields here: {list}.")
                ),
                None => text!(
                    format!("Các trường hợp lệ ở đây: {list}."),
                    format!("Valid fields here: {list}.")
                ),
            };
            (
                text!(
                    format!("trường không hợp lệ “{field}”"),
                    format!("unknown field “{field}”")
                ),
                hint,
            )
        }
        YamlError::SerdeMissingField { field, .. } => (
            text!(
                format!("thiếu trường bắt buộc “{field}”"),
                format!("missing required field “{field}”")
            ),
            text!(
                format!("Thêm dòng “{field}: …” vào khối này."),
                format!("Add a line “{field}: …” to this block.")
            ),
        ),
        YamlError::DuplicateMappingKey { key, .. } => {
            let k = key.clone().unwrap_or_default();
            (
                text!(
                    format!("khóa “{k}” bị lặp lại trong cùng một khối"),
                    format!("key “{k}” appears twice in the same block")
                ),
                text!(
                    "Xóa hoặc gộp một trong hai dòng trùng nhau.",
                    "Remove or merge one of the two duplicate lines."
                ),
            )
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            text!(
                format!("sai kiểu dữ liệu: có {unexpected}, cần {expected}"),
                format!("wrong type: found {unexpected}, expected {expected}")
            ),
            text!(
                "Sửa giá trị cho đúng dạng (văn bản, số, danh sách “- …” hoặc khối “khóa: giá trị”) như tệp mẫu.",
                "Write the value in the right form (text, number, a “- …” list or a “key: value” block) as in the example."
            ),
        ),
        YamlError::Unexpected { expected, .. } => {
            let (vi, en) = match *expected {
                "sequence start" => ("một danh sách (các dòng “- …”)", "a list (“- …” lines)"),
                "mapping start" => ("một khối “khóa: giá trị”", "a “key: value” block"),
                other => (other, other),
            };
            (
                text!(
                    format!("sai kiểu dữ liệu: ở đây cần {vi}"),
                    format!("wrong type: expected {en} here")
                ),
                text!(
                    "Viết giá trị theo đúng dạng như tệp mẫu data/ke-hoach-05-nq-du.yaml.",
                    "Write the value in the form the example data/ke-hoach-05-nq-du.yaml uses."
                ),
            )
        }
        YamlError::IndentationError { .. } => (
            text!(
                format!("thụt lề không đúng ({raw})"),
                format!("wrong indentation ({raw})")
            ),
            text!(
                "Thụt lề bằng dấu cách (không dùng Tab), các dòng cùng cấp thẳng hàng nhau.",
                "Indent with spaces (not tabs); lines at the same level line up."
            ),
        ),
        _ if raw.contains("budget breached") || raw.contains("recursion limit") => budget(&raw),
        YamlError::Budget { .. } => budget(&raw),
        _ => {
            let vi = translate_scanner(&raw);
            (
                text!(
                    format!("lỗi cú pháp YAML: {vi}"),
                    format!("YAML syntax error: {raw}")
                ),
                text!(
                    "Kiểm tra dòng này và dòng ngay trên: thụt lề bằng dấu cách (không dùng Tab), văn bản có “: ” hoặc “#” thì đặt trong ngoặc kép.",
                    "Check this line and the one above: indent with spaces (not tabs); quote text containing “: ” or “#”."
                ),
            )
        }
    };
    Diagnostic::error(message).in_file(path).at(pos).hint(hint)
}

fn budget(raw: &str) -> (Text, Text) {
    (
        text!(
            format!("tệp vượt giới hạn an toàn khi đọc ({raw})"),
            format!("the file exceeds a safety limit ({raw})")
        ),
        text!(
            "Kiểm tra tệp: quá nhiều bí danh (*alias), lồng quá sâu hoặc quá lớn; kế hoạch bình thường không cần những thứ này.",
            "Check the file: too many aliases, nesting too deep or too large; a normal plan needs none of these."
        ),
    )
}

/// Vietnamese for the parser's most common complaints; the English stays in brackets.
fn translate_scanner(raw: &str) -> String {
    const KNOWN: [(&str, &str); 6] = [
        ("unclosed quote", "thiếu dấu ngoặc kép đóng"),
        (
            "found a tab",
            "gặp ký tự Tab (YAML chỉ thụt lề bằng dấu cách)",
        ),
        (
            "mapping values are not allowed",
            "không được dùng “: ” ở đây",
        ),
        (
            "did not find expected key",
            "không tìm thấy khóa mong đợi (thụt lề lệch?)",
        ),
        ("did not find expected", "thiếu ký tự mong đợi"),
        (
            "found character that cannot start any token",
            "gặp ký tự không được đứng đầu (như @ hoặc `)",
        ),
    ];
    KNOWN
        .iter()
        .find(|(en, _)| raw.contains(en))
        .map_or_else(|| raw.to_owned(), |(_, vi)| format!("{vi} ({raw})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let d = decode(b"plan:\n  kind: K\xe1", Path::new("x.yaml")).unwrap_err();
        assert_eq!(
            d.pos,
            Some(Pos {
                line: 2,
                column: 10
            })
        );
    }
}
