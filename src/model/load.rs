//! Reading a plan file: bytes → UTF-8 → YAML → raw [`FileSrc`].
//!
//! Contract: never panics, whatever the bytes. Every failure is a [`Diagnostic`] in
//! Vietnamese and English with the file and, when the parser knows it, line:column.
//! Parsing is bounded (serde-saphyr budgets on nodes, depth and aliases), so an alias
//! bomb or deep nesting is an error, not a hang or a stack overflow.

use std::path::Path;

use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::{
    Budget, DuplicateKeyPolicy, Error as YamlError, ExternalMessageSource, Options,
};

use super::tree::Node;
use crate::diag::{Diagnostic, Pos, SourceResult, Text};
use crate::text;

mod syntax;

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
        .map_err(|e| vec![yaml_error_in(&e, path, Some(src))])?;
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
    yaml_error_in(e, path, None)
}

/// Turns a parser error into a Vietnamese-first diagnostic; with the source text, an
/// error that comes from a quote left open on an earlier line is reported where the
/// quote opened, with where the parser noticed it.
pub fn yaml_error_in(e: &YamlError, path: &Path, src: Option<&str>) -> Diagnostic {
    // The position is the outer error's: for an alias, where it is used.
    let pos = location_pos(e.location());
    let e = innermost(e.without_snippet());
    let (message, hint) = match e {
        YamlError::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan) => {
                if let (Some(src), Some(at)) = (src, pos)
                    && let Some(quote) = syntax::runaway_quote(src, at)
                {
                    return runaway(&quote, at, scan.kind(), path);
                }
                let (message, hint) = match scan.kind() {
                    ErrorKind::RecursionLimitExceeded => {
                        budget(Text::new("lồng quá sâu", "nested too deep"))
                    }
                    kind => syntax_error(syntax::scan_message(kind)),
                };
                (message, hint)
            }
            _ => other_error(e),
        },
        YamlError::MultipleDocuments { .. } => syntax_error(syntax::multiple_documents()),
        YamlError::UnknownAnchor { .. } => {
            syntax_error(syntax::scan_message(&ErrorKind::UnknownAnchor))
        }
        YamlError::Eof { .. } => syntax_error(syntax::scan_message(&ErrorKind::UnexpectedEof)),
        _ => serde_error(e),
    };
    Diagnostic::error(message).in_file(path).at(pos).hint(hint)
}

/// The error an alias replay wraps (the error is the replayed node's, not the alias's).
fn innermost(e: &YamlError) -> &YamlError {
    match e {
        YamlError::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

/// "lỗi cú pháp YAML: …" around a scanner message.
fn syntax_error((message, hint): (Text, Text)) -> (Text, Text) {
    (
        Text::new(
            format!("lỗi cú pháp YAML: {}", message.vi),
            format!("YAML syntax error: {}", message.en),
        ),
        hint,
    )
}

/// An error at `at` that a quote opened on an earlier line causes.
fn runaway(quote: &syntax::Runaway, at: Pos, kind: &ErrorKind, path: &Path) -> Diagnostic {
    let (noticed, _) = syntax::scan_message(kind);
    let (name_vi, name_en) = if quote.quote == '"' {
        ("dấu ngoặc kép “\"”", "the double quote “\"”")
    } else {
        ("dấu nháy đơn “'”", "the single quote “'”")
    };
    let Pos { line, column } = quote.open;
    let (vi, en) = match quote.close {
        Some(close) => (
            format!(
                "lỗi cú pháp YAML: {name_vi} mở ở dòng {line}, cột {column} không được đóng trên dòng đó, nên văn bản chạy tới dấu tiếp theo ở dòng {}, cột {} (trình đọc báo lỗi ở dòng {}, cột {}: {})",
                close.line, close.column, at.line, at.column, noticed.vi
            ),
            format!(
                "YAML syntax error: {name_en} opened at line {line}, column {column} is not closed on that line, so the text runs to the next one at line {}, column {} (the reader stops at line {}, column {}: {})",
                close.line, close.column, at.line, at.column, noticed.en
            ),
        ),
        None => (
            format!(
                "lỗi cú pháp YAML: {name_vi} mở ở dòng {line}, cột {column} không bao giờ được đóng (trình đọc báo lỗi ở dòng {}, cột {}: {})",
                at.line, at.column, noticed.vi
            ),
            format!(
                "YAML syntax error: {name_en} opened at line {line}, column {column} is never closed (the reader stops at line {}, column {}: {})",
                at.line, at.column, noticed.en
            ),
        ),
    };
    let q = quote.quote;
    Diagnostic::error(Text::new(vi, en))
        .in_file(path)
        .at(Some(quote.open))
        .hint(text!(
            format!(
                "Thêm dấu “{q}” đóng ở cuối văn bản trên dòng {line} (hoặc bỏ dấu mở); dấu ngoặc kép bên trong văn bản viết là \\\" hoặc dùng ngoặc kép cong “ ”."
            ),
            format!(
                "Add the closing “{q}” at the end of the text on line {line} (or drop the opening one); a quote inside the text is written \\\" or as curly quotes “ ”."
            )
        ))
}

/// Messages for the deserializer's own errors (wrong types, unknown fields …).
fn serde_error(e: &YamlError) -> (Text, Text) {
    match e {
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
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let list = expected.join(", ");
            let hint = match crate::diag::closest(variant, expected.iter().copied()) {
                Some(s) => text!(
                    format!("Có phải ý bạn là “{s}”? Các giá trị hợp lệ: {list}."),
                    format!("Did you mean “{s}”? Valid values: {list}.")
                ),
                None => text!(
                    format!("Các giá trị hợp lệ: {list}."),
                    format!("Valid values: {list}.")
                ),
            };
            (
                text!(
                    format!("giá trị không hợp lệ “{variant}”"),
                    format!("invalid value “{variant}”")
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
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            text!(
                format!("sai kiểu dữ liệu: có {unexpected}, cần {expected}"),
                format!("wrong type: found {unexpected}, expected {expected}")
            ),
            form_hint(),
        ),
        YamlError::SerdeInvalidLength { len, expected, .. } => (
            text!(
                format!("sai số phần tử: có {len}, cần {expected}"),
                format!("wrong number of entries: {len}, expected {expected}")
            ),
            form_hint(),
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
        YamlError::InvalidScalar { ty, .. } => (
            text!(
                format!("giá trị không đọc được thành {ty}"),
                format!("the value cannot be read as {ty}")
            ),
            form_hint(),
        ),
        YamlError::NonFiniteFloat { value, .. } => (
            text!(
                format!("“{value}” không phải một số hữu hạn"),
                format!("“{value}” is not a finite number")
            ),
            text!(
                "Viết một số thường, ví dụ 12.5; văn bản “.nan” hay “.inf” thì đặt trong ngoặc kép.",
                "Write an ordinary number, e.g. 12.5; put the text “.nan” or “.inf” in double quotes."
            ),
        ),
        YamlError::InvalidBooleanStrict { .. } => (
            text!(
                "giá trị đúng/sai phải là true hoặc false",
                "a yes/no value must be true or false"
            ),
            form_hint(),
        ),
        YamlError::NullIntoString { .. } => (
            text!(
                "giá trị để trống ở chỗ cần văn bản",
                "an empty value where text is needed"
            ),
            form_hint(),
        ),
        YamlError::QuotingRequired { value, .. } => (
            text!(
                format!("giá trị “{value}” phải đặt trong ngoặc kép"),
                format!("the value “{value}” must be in double quotes")
            ),
            form_hint(),
        ),
        YamlError::MergeValueNotMapOrSeqOfMaps { .. } | YamlError::MergeKeyNotAllowed { .. } => (
            text!(
                "khóa gộp “<<” dùng sai (sau nó phải là một khối “khóa: giá trị”)",
                "the merge key “<<” is misused (it takes a “key: value” block)"
            ),
            text!(
                "Kế hoạch không cần khóa “<<”: viết đủ các trường ra.",
                "A plan needs no “<<” key: write the fields out."
            ),
        ),
        YamlError::InvalidBinaryBase64 { .. }
        | YamlError::BinaryNotUtf8 { .. }
        | YamlError::TaggedScalarCannotDeserializeIntoString { .. }
        | YamlError::TaggedEnumMismatch { .. } => (
            text!(
                "thẻ YAML “!…” không dùng được ở đây",
                "a YAML “!…” tag that cannot be used here"
            ),
            text!(
                "Bỏ thẻ “!…” trước giá trị; văn bản bắt đầu bằng “!” thì đặt trong ngoặc kép.",
                "Drop the “!…” tag before the value; put text beginning with “!” in double quotes."
            ),
        ),
        YamlError::Budget { breach, .. } => budget(breach_reason(breach)),
        YamlError::AliasReplayCounterOverflow { .. }
        | YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. } => {
            budget(Text::new("quá nhiều bí danh “*…”", "too many “*…” aliases"))
        }
        YamlError::IndentationError { .. }
        | YamlError::FoldedBlockScalarMustIndentContent { .. } => {
            syntax_error(syntax::scan_message(&ErrorKind::InvalidIndentation))
        }
        YamlError::IOError { .. } => (
            text!(
                "không đọc được nội dung tệp",
                "the file's content cannot be read"
            ),
            text!("Lưu lại tệp với bảng mã UTF-8.", "Save the file as UTF-8."),
        ),
        other => other_error(other),
    }
}

/// Any other error: the reader's words, in a Vietnamese frame (no plan reaches these —
/// they are the deserializer's internal states and features phuluc does not turn on).
fn other_error(e: &YamlError) -> (Text, Text) {
    let raw = e.to_string();
    // Strip the parser's own English " at line X, column Y" suffix: the position is ours.
    let raw = match raw.find(" at line ") {
        Some(i) => raw[..i].to_owned(),
        None => raw,
    };
    (
        text!(
            format!("lỗi khi đọc YAML (trình đọc báo: {raw})"),
            format!("error reading the YAML: {raw}")
        ),
        syntax::general_hint(),
    )
}

fn form_hint() -> Text {
    text!(
        "Sửa giá trị cho đúng dạng (văn bản, số, danh sách “- …” hoặc khối “khóa: giá trị”) như tệp mẫu.",
        "Write the value in the right form (text, number, a “- …” list or a “key: value” block) as in the example."
    )
}

/// Which safety limit a file breached.
fn breach_reason(breach: &BudgetBreach) -> Text {
    match breach {
        BudgetBreach::Depth { depth } => Text::new(
            format!("lồng quá sâu ({depth} cấp)"),
            format!("nested too deep ({depth} levels)"),
        ),
        BudgetBreach::Aliases { .. }
        | BudgetBreach::Anchors { .. }
        | BudgetBreach::AliasAnchorRatio { .. }
        | BudgetBreach::RecordedAnchorEvents { .. }
        | BudgetBreach::RecordedAnchorBytes { .. } => {
            Text::new("quá nhiều bí danh “*…”", "too many “*…” aliases")
        }
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => {
            Text::new("quá nhiều phần tử", "too many nodes")
        }
        BudgetBreach::Documents { .. } => {
            Text::new("quá nhiều tài liệu YAML", "too many YAML documents")
        }
        BudgetBreach::ScalarBytes { .. } | BudgetBreach::InputBytes { .. } => {
            Text::new("văn bản quá lớn", "too much text")
        }
        _ => Text::new("cấu trúc bất thường", "an unusual structure"),
    }
}

fn budget(reason: Text) -> (Text, Text) {
    (
        Text::new(
            format!("tệp vượt giới hạn an toàn khi đọc: {}", reason.vi),
            format!("the file exceeds a safety limit: {}", reason.en),
        ),
        text!(
            "Kiểm tra tệp: quá nhiều bí danh (*alias), lồng quá sâu hoặc quá lớn; kế hoạch bình thường không cần những thứ này.",
            "Check the file: too many aliases, nesting too deep or too large; a normal plan needs none of these."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each snippet makes the parser complain in its own way; none reaches the clerk in
    /// the parser's English, and each has a hint.
    #[test]
    fn every_syntax_error_reads_in_vietnamese() {
        let cases = [
            "a: [1, 2\n",
            "a: {b: 1\n",
            "a: [1, 2}\n",
            "a: ]\n",
            "a: b: c\n",
            "a: @x\n",
            "a: *nope\n",
            "a: &\n",
            "a: \"\\q\"\n",
            "a: \"\\u12\"\n",
            "a:\n  - b\n  c: d\n",
            "a:\n  b: 1\n c: 2\n",
            "a: |0\n  x\n",
            "a: >x\n  y\n",
            "%YAML 1.2\n%YAML 1.2\n---\na: 1\n",
            "%FOO\na: 1\n",
            "a: !<x\n",
            "a: !!binary \"@@\"\n",
            "a: 1\n---\nb: 2\n",
            "a:\n- b\n- c\nd\n",
            "a: 1\n\tb: 2\n",
            "a:\n\t- b\n",
            "a: \"x\n---\ny\"\n",
            "b: [a:[1]]\n",
            "a: 'x' y\n",
            "a: \"x\" y\n",
            "a: \"x\n",
            "a: 1 #c\n  b\n",
            "{a: 1, - b}\n",
            "<<: 1\n",
            "a: .nan\n",
            "a: \"open\nb: 1\nc: \"x\" y\n",
        ];
        for src in cases {
            let Err(diags) = parse_str(src, Path::new("x.yaml")) else {
                panic!("{src:?} parses");
            };
            let d = &diags[0];
            let vi = d.message.get(crate::diag::Lang::Vi);
            assert!(
                !vi.contains("trình đọc") || vi.contains("trình đọc báo lỗi ở dòng"),
                "{src:?}: {vi}"
            );
            assert!(
                !vi.contains("while ") && !vi.contains("invalid"),
                "{src:?}: {vi}"
            );
            assert!(!d.hints.is_empty(), "{src:?}");
            assert!(d.pos.is_some(), "{src:?}: {vi}");
        }
    }

    #[test]
    fn a_quote_left_open_is_reported_where_it_opened() {
        let src = "a: \"open\nb: 1\nc: \"x\" y\n";
        let diags = parse_str(src, Path::new("x.yaml")).unwrap_err();
        assert_eq!(diags[0].pos, Some(Pos { line: 1, column: 4 }));
        let en = diags[0].message.get(crate::diag::Lang::En);
        assert!(en.contains("opened at line 1, column 4"), "{en}");
        assert!(en.contains("line 3, column 4"), "{en}");
    }

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
