//! Text typed with an old TCVN3 (ABC, ".VnTime") or VNI font and pasted as if it were
//! Unicode, converted back into Unicode in a plan file, touching nothing else in it
//! (`phuluc fix-encoding`).
//!
//! Contract:
//! - Only scalar *values* (mapping values and list entries, at any depth) are converted,
//!   and only those [`legacy_encoding`] flags; keys, comments, blank lines, key order and
//!   every other byte stay as they were. Each flagged scalar's source bytes (its span, as
//!   written: quotes, escapes and block-scalar lines included) are replaced by their
//!   conversion, line by line, each line's indentation kept. The legacy encodings only
//!   use characters outside ASCII, so quoting, escapes and block layout survive
//!   unchanged. Aliases (`*name`) are not rewritten: their anchor is.
//! - A flagged scalar that neither encoding would change (a stray "°" or "²" in Unicode
//!   text) is left as it is, with a warning; one that only the other encoding would change
//!   is an error naming that `--from`. Scalars the heuristic takes for the other encoding
//!   are still converted with the encoding asked for (the user decides), with a warning
//!   showing both readings; scalars that mix Unicode and legacy text get a warning to
//!   read them again.
//! - The result is checked before it is handed back: it must parse, every scalar must
//!   read exactly as the conversion of the original, and no converted scalar may still look
//!   legacy-encoded. Otherwise the problems are the result, and nothing should be written.
//! - A leading byte-order mark is kept. Nothing here prints: [`Fixed`] says what was
//!   converted and gives the lines the CLI prints, in Vietnamese and English. The one
//!   write is [`write_backup`]'s, which never replaces an existing file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::diag::{Diagnostic, Pos, SourceResult, Text};
use crate::legacy::{Legacy, legacy_encoding};
use crate::model::load::decode;
use crate::model::tree::{Kind, Node};
use crate::text;
use crate::write::write_error;

/// One scalar value of the file, in walk order.
struct Scalar<'n> {
    node: &'n Node,
    value: &'n str,
    /// The key it belongs to (a list entry: the list's key), if any.
    name: Option<&'n str>,
}

/// Every scalar value under `node`, depth first, in file order; keys are not visited.
fn scalars<'n>(node: &'n Node, name: Option<&'n str>, out: &mut Vec<Scalar<'n>>) {
    match &node.kind {
        Kind::Null => {}
        Kind::Scalar(value, _) => out.push(Scalar { node, value, name }),
        Kind::Seq(items) => {
            for item in items {
                scalars(item, name, out);
            }
        }
        Kind::Map(entries) => {
            for (key, value) in entries {
                scalars(value, Some(&key.name), out);
            }
        }
    }
}

/// A scalar that was rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// Where the scalar starts.
    pub pos: Option<Pos>,
    /// The key it belongs to, if any.
    pub name: Option<String>,
    /// The scalar's new value.
    pub text: String,
}

/// The converted file and what was done to it.
#[derive(Debug)]
pub struct Fixed {
    /// The new file text (without a byte-order mark).
    pub text: String,
    /// The rewritten scalars, in file order.
    pub converted: Vec<Converted>,
    /// Things to look at that did not stop the conversion.
    pub warnings: Vec<Diagnostic>,
}

/// Converts the source text of one scalar: line by line, each line's leading spaces and
/// tabs kept, the rest decoded. The legacy encodings never use ASCII punctuation or white
/// space, so quotes, escapes, line breaks and indentation come out as they went in.
fn convert_source(src: &str, from: Legacy) -> String {
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    for line in src.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        out.push_str(&line[..line.len() - body.len()]);
        out.push_str(&from.decode(body));
    }
    out
}

/// Whether text holds Vietnamese letters only Unicode has (ă, đ, ơ, ư, ạ … ỹ, combining
/// marks): legacy text cannot, so such a scalar mixes Unicode with legacy text.
fn has_unicode_vietnamese(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(u32::from(c), 0x100..=0x24F | 0x300..=0x36F | 0x1E00..=0x1EFF))
}

/// The first characters of a text on one line, for messages.
fn sample(s: &str) -> String {
    const LEN: usize = 40;
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > LEN {
        let mut cut: String = flat.chars().take(LEN).collect();
        cut.push('…');
        cut
    } else {
        flat
    }
}

/// “name” for messages, or a generic word when the scalar has no key.
fn field(name: Option<&str>) -> (String, String) {
    match name {
        Some(n) => (format!("“{n}”"), format!("“{n}”")),
        None => ("giá trị".to_owned(), "value".to_owned()),
    }
}

/// Converts every legacy-encoded scalar value of `src` from `from`, and checks the result.
/// Errors are problems in the input (YAML errors, conversions that did not come out
/// clean): nothing should be written then.
pub fn fix(src: &str, path: &Path, from: Legacy) -> SourceResult<Fixed> {
    let tree = crate::model::parse_str(src, path)?;
    let mut old = Vec::new();
    scalars(&tree, None, &mut old);
    let name = from.flag().to_uppercase();

    // What each scalar must read after conversion, and the byte edits that get it there.
    let mut expected: Vec<std::borrow::Cow<str>> = Vec::with_capacity(old.len());
    let mut edits: Vec<(usize, usize, String, Converted)> = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    // Scalars the heuristic takes for the other encoding: where, and how they read in it.
    let mut other_kind: Vec<(Option<Pos>, String, String)> = Vec::new();
    for s in &old {
        let Some(kind) = legacy_encoding(s.value) else {
            expected.push(s.value.into());
            continue;
        };
        let decoded = from.decode(s.value);
        let (fvi, fen) = field(s.name);
        let unchanged: String = s.value.nfc().collect();
        if decoded == unchanged {
            expected.push(s.value.into());
            if kind != from && kind.decode(s.value) != unchanged {
                // Text in the other encoding: `--from` names the wrong one.
                let (other, flag) = (kind.flag().to_uppercase(), kind.flag());
                errors.push(
                    Diagnostic::error(text!(
                        format!("{fvi} có vẻ được gõ bằng {other}, không phải {name}: không có gì để chuyển từ {name}"),
                        format!("{fen} looks typed in {other}, not {name}: nothing to convert from {name}")
                    ))
                    .in_file(path)
                    .at(s.node.pos)
                    .hint(text!(
                        format!("Chạy lại với --from {flag} (đọc đúng là: “{}”).", sample(&kind.decode(s.value))),
                        format!("Run again with --from {flag} (it reads: “{}”).", sample(&kind.decode(s.value)))
                    )),
                );
                continue;
            }
            // Nothing either encoding knows: symbols such as ° or ² in Unicode text.
            warnings.push(
                Diagnostic::warning(text!(
                    format!("{fvi} có ký tự giống bảng mã cũ nhưng không có gì để chuyển từ {name}; giữ nguyên"),
                    format!("{fen} has characters that look legacy-encoded, but nothing to convert from {name}; left as it is")
                ))
                .in_file(path)
                .at(s.node.pos)
                .hint(text!(
                    "Nếu đó là ký hiệu thật (như °, ²) thì không cần làm gì; nếu không, gõ lại đoạn này.",
                    "If it is a real symbol (such as °, ²) there is nothing to do; otherwise retype the text."
                )),
            );
            continue;
        }
        if kind != from {
            other_kind.push((s.node.pos, sample(&decoded), sample(&kind.decode(s.value))));
        }
        if has_unicode_vietnamese(s.value) {
            warnings.push(
                Diagnostic::warning(text!(
                    format!("{fvi} có cả chữ Unicode lẫn chữ gõ bằng {name}; cả đoạn đã được chuyển, hãy đọc lại"),
                    format!("{fen} mixes Unicode with {name} text; the whole text was converted, read it again")
                ))
                .in_file(path)
                .at(s.node.pos)
                .hint(text!(
                    format!("Kết quả: “{}”. Sửa tay những chữ bị đổi sai.", sample(&decoded)),
                    format!("Result: “{}”. Correct any word that came out wrong by hand.", sample(&decoded))
                )),
            );
        }
        let source = s.node.span.and_then(|(start, len)| {
            let end = start.checked_add(len)?;
            Some((start, end, src.get(start..end)?))
        });
        let Some((start, end, source)) = source else {
            errors.push(no_source(path, s));
            expected.push(s.value.into());
            continue;
        };
        // An alias repeats its anchor's value; converting the anchor converts it.
        if !source.starts_with('*') {
            let new = convert_source(source, from);
            if new != source {
                let converted = Converted {
                    pos: s.node.pos,
                    name: s.name.map(str::to_owned),
                    text: decoded.clone(),
                };
                edits.push((start, end, new, converted));
            }
        }
        expected.push(decoded.into());
    }
    if let Some((pos, ours, theirs)) = other_kind.first() {
        let guess = match from {
            Legacy::Tcvn3 => Legacy::Vni,
            Legacy::Vni => Legacy::Tcvn3,
        };
        let (n, other, flag) = (other_kind.len(), guess.flag().to_uppercase(), guess.flag());
        warnings.push(
            Diagnostic::warning(text!(
                format!("{n} đoạn văn bản có vẻ được gõ bằng {other}, không phải {name}; đoạn đầu tiên đọc theo {name} là “{ours}”, theo {other} là “{theirs}”"),
                format!("{n} text(s) look typed in {other}, not {name}; the first reads “{ours}” as {name}, “{theirs}” as {other}")
            ))
            .in_file(path)
            .at(*pos)
            .hint(text!(
                format!("Đọc lại kết quả; nếu sai, chạy lại với --from {flag}."),
                format!("Read the result; if it is wrong, run again with --from {flag}.")
            )),
        );
    }
    edits.sort_by_key(|e| e.0);
    let mut text = String::with_capacity(src.len() + src.len() / 8);
    let mut at = 0;
    let mut converted = Vec::with_capacity(edits.len());
    for (start, end, new, c) in edits {
        // Two scalars never share source bytes; if the parser ever said so, stop.
        let Some(before) = src.get(at..start) else {
            return Err(vec![internal(path, c.pos)]);
        };
        text.push_str(before);
        text.push_str(&new);
        at = end;
        converted.push(c);
    }
    text.push_str(src.get(at..).unwrap_or_default());

    // Report every scalar that did not come out clean, whichever step found it.
    if let Err(more) = verify(&text, path, from, &old, &expected) {
        errors.extend(more);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|d| (d.pos.is_none(), d.pos));
        return Err(errors);
    }
    Ok(Fixed {
        text,
        converted,
        warnings,
    })
}

/// Checks the converted text: it parses, each scalar reads as expected (same order), and
/// none that was converted still looks legacy-encoded.
fn verify(
    text: &str,
    path: &Path,
    from: Legacy,
    old: &[Scalar],
    expected: &[std::borrow::Cow<str>],
) -> SourceResult<()> {
    let tree = crate::model::parse_str(text, path).map_err(|_| vec![internal(path, None)])?;
    let mut new = Vec::new();
    scalars(&tree, None, &mut new);
    if new.len() != old.len() {
        return Err(vec![internal(path, None)]);
    }
    let name = from.flag().to_uppercase();
    let mut errors = Vec::new();
    for ((o, n), want) in old.iter().zip(&new).zip(expected) {
        let changed = o.value != want.as_ref();
        let (fvi, fen) = field(o.name);
        if n.value != want.as_ref() {
            errors.push(
                Diagnostic::error(text!(
                    format!("không chuyển được {fvi} từ {name} ngay trong tệp (có thể do ký tự thoát như \\x…, \\u… trong ngoặc kép)"),
                    format!("cannot convert {fen} from {name} in place (perhaps escapes such as \\x…, \\u… inside double quotes)")
                ))
                .in_file(path)
                .at(o.node.pos)
                .hint(text!(
                    format!("Thay đoạn này bằng: “{}”.", sample(want)),
                    format!("Replace the text with: “{}”.", sample(want))
                )),
            );
        } else if changed && let Some(still) = legacy_encoding(n.value) {
            errors.push(
                Diagnostic::error(text!(
                    format!("{fvi} vẫn có vẻ là bảng mã {} sau khi chuyển từ {name}", still.flag().to_uppercase()),
                    format!("{fen} still looks {}-encoded after converting from {name}", still.flag().to_uppercase())
                ))
                .in_file(path)
                .at(o.node.pos)
                .hint(match legacy_encoding(o.value) {
                    Some(k) if k != from => text!(
                        format!("Có thể đoạn này được gõ bằng {}: chạy lại với --from {}. Kết quả hiện là: “{}”.", k.flag().to_uppercase(), k.flag(), sample(n.value)),
                        format!("The text may be typed in {}: run again with --from {}. It currently reads: “{}”.", k.flag().to_uppercase(), k.flag(), sample(n.value))
                    ),
                    _ => text!(
                        format!("Gõ lại đoạn này bằng Unicode (Unikey/EVKey, bảng mã Unicode). Kết quả hiện là: “{}”.", sample(n.value)),
                        format!("Retype the text in Unicode (Unikey/EVKey, Unicode charset). It currently reads: “{}”.", sample(n.value))
                    ),
                }),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn no_source(path: &Path, s: &Scalar) -> Diagnostic {
    let (fvi, fen) = field(s.name);
    Diagnostic::error(text!(
        format!("không xác định được vị trí của {fvi} trong tệp nên không chuyển được"),
        format!("cannot locate {fen} in the file, so it cannot be converted")
    ))
    .in_file(path)
    .at(s.node.pos)
    .hint(text!(
        "Gõ lại đoạn này bằng Unicode (bộ gõ Unikey/EVKey, bảng mã Unicode).",
        "Retype the text in Unicode (Unikey/EVKey, Unicode charset)."
    ))
}

fn internal(path: &Path, pos: Option<Pos>) -> Diagnostic {
    Diagnostic::error(text!(
        "kết quả chuyển đổi không giữ được cấu trúc tệp; không ghi gì",
        "the converted file would not keep its structure; nothing written"
    ))
    .in_file(path)
    .at(pos)
    .hint(text!(
        "Báo lỗi này kèm tệp cho người bảo trì phuluc; trong lúc chờ, gõ lại các đoạn bị báo bằng Unicode.",
        "Report this with the file to phuluc's maintainers; meanwhile retype the flagged texts in Unicode."
    ))
}

/// Converts the plan file `bytes` (read from `path`, which names it in messages): the
/// new file's bytes (a leading byte-order mark kept) and what was done. Errors are
/// problems in the input (not UTF-8, YAML errors, conversions that did not come out
/// clean): nothing should be written then.
pub fn fix_bytes(bytes: &[u8], path: &Path, from: Legacy) -> SourceResult<(Vec<u8>, Fixed)> {
    let src = decode(bytes, path).map_err(|d| vec![d])?;
    let bom = &bytes[..bytes.len() - src.len()];
    let fixed = fix(src, path, from)?;
    let mut out = Vec::with_capacity(bom.len() + fixed.text.len());
    out.extend_from_slice(bom);
    out.extend_from_slice(fixed.text.as_bytes());
    Ok((out, fixed))
}

/// `FILE.bak`, next to FILE.
pub fn backup_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

/// Whether `out` names the same file as `file` (which exists), also when `out` does not
/// exist yet.
pub fn same_file(file: &Path, out: &Path) -> bool {
    let Ok(file) = file.canonicalize() else {
        return false;
    };
    if let Ok(out) = out.canonicalize() {
        return out == file;
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (dir.canonicalize(), out.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name) == file,
        _ => false,
    }
}

/// Copies the original bytes to `bak`, refusing when it exists.
pub fn write_backup(
    bak: &Path,
    bytes: &[u8],
    perms: Option<std::fs::Permissions>,
) -> Result<(), Diagnostic> {
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(bak)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Diagnostic::error(text!(
                "đã có tệp sao lưu này; --in-place không ghi đè bản sao lưu cũ",
                "this backup file already exists; --in-place does not overwrite an old backup"
            ))
            .in_file(bak)
            .hint(text!(
                "Xem lại rồi xóa hoặc đổi tên tệp .bak, hoặc dùng -o OUT để ghi kết quả ra tệp khác.",
                "Review it, then delete or rename the .bak file, or use -o OUT to write the result elsewhere."
            )));
        }
        Err(e) => return Err(write_error(bak, &e)),
    };
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if let Err(e) = written {
        drop(f);
        let _ = std::fs::remove_file(bak);
        return Err(write_error(bak, &e));
    }
    if let Some(p) = perms {
        let _ = std::fs::set_permissions(bak, p);
    }
    Ok(())
}

/// Where the result went, for the summary.
#[derive(Debug, Clone, Copy)]
pub enum Destination<'a> {
    /// Printed on stdout.
    Stdout,
    /// Written to `-o OUT`.
    File(&'a Path),
    /// FILE rewritten, the original kept in `bak`.
    InPlace {
        /// The file.
        file: &'a Path,
        /// Its backup.
        bak: &'a Path,
    },
}

impl Fixed {
    /// One line per converted scalar: FILE:LINE:COL, the field, the first characters of
    /// the new text.
    pub fn converted_lines(&self, file: &Path) -> Vec<Text> {
        let shown = file.display();
        self.converted
            .iter()
            .map(|c| {
                let at = match c.pos {
                    Some(p) => format!("{shown}:{}:{}", p.line, p.column),
                    None => shown.to_string(),
                };
                let (fvi, fen) = field(c.name.as_deref());
                text!(
                    format!("{at}: đã chuyển {fvi}: “{}”", sample(&c.text)),
                    format!("{at}: converted {fen}: “{}”", sample(&c.text))
                )
            })
            .collect()
    }

    /// The closing lines (after the warnings): how many texts were converted and where
    /// the result went; when some were, what to do next.
    pub fn closing_lines(&self, file: &Path, from: Legacy, destination: Destination) -> Vec<Text> {
        let shown = file.display();
        let name = from.flag().to_uppercase();
        let n = self.converted.len();
        let done = if n == 0 {
            text!(
                format!("Không có đoạn văn bản nào cần chuyển từ {name} sang Unicode."),
                format!("No text needed converting from {name} to Unicode.")
            )
        } else {
            text!(
                format!("Đã chuyển {n} đoạn văn bản từ {name} sang Unicode."),
                format!("Converted {n} text(s) from {name} to Unicode.")
            )
        };
        let wrote = match destination {
            Destination::Stdout if n == 0 => text!(
                "Nội dung tệp được in ra nguyên vẹn.",
                "The file was printed unchanged."
            ),
            Destination::Stdout => text!(
                format!(
                    "Kết quả được in ra màn hình; {shown} không bị sửa (dùng -o OUT hoặc --in-place để ghi tệp)."
                ),
                format!(
                    "The result was printed to stdout; {shown} was not changed (use -o OUT or --in-place to write a file)."
                )
            ),
            Destination::File(out) => text!(
                format!("Đã ghi vào {}.", out.display()),
                format!("Wrote {}.", out.display())
            ),
            Destination::InPlace { .. } if n == 0 => text!(
                format!("{shown} giữ nguyên, không tạo tệp .bak."),
                format!("{shown} was left unchanged; no .bak file was made.")
            ),
            Destination::InPlace { file, bak } => text!(
                format!(
                    "Đã ghi lại {}; bản gốc lưu ở {}.",
                    file.display(),
                    bak.display()
                ),
                format!(
                    "Rewrote {}; the original is kept in {}.",
                    file.display(),
                    bak.display()
                )
            ),
        };
        let mut lines = vec![Text::new(
            format!("{} {}", done.vi, wrote.vi),
            format!("{} {}", done.en, wrote.en),
        )];
        if n > 0 {
            lines.push(text!(
                "Đọc lại các đoạn trên, rồi chạy phuluc check để kiểm tra tệp.",
                "Read the texts above again, then run phuluc check on the file."
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(src: &str, from: Legacy) -> Fixed {
        match fix(src, Path::new("t.yaml"), from) {
            Ok(f) => f,
            Err(d) => panic!("{d:?}"),
        }
    }

    #[test]
    fn every_scalar_style_is_converted_in_place() {
        let src = "# Cộng hòa: chú thích\na: Céng hßa   # ghi chú\nb: \"x· héi \\\"x\\\"\"\nc: 'it''s x· héi'\nd: >-  # gập\n  Céng hßa\n    ViÖt\n\ne:\n  - [x, x· héi]\nf: Cộng hòa\n";
        let f = fixed(src, Legacy::Tcvn3);
        assert_eq!(
            f.text,
            "# Cộng hòa: chú thích\na: Cộng hòa   # ghi chú\nb: \"xã hội \\\"x\\\"\"\nc: 'it''s xã hội'\nd: >-  # gập\n  Cộng hòa\n    Việt\n\ne:\n  - [x, xã hội]\nf: Cộng hòa\n"
        );
        assert_eq!(f.converted.len(), 5);
        assert_eq!(f.converted[3].text, "Cộng hòa\n  Việt");
        assert_eq!(f.converted[3].pos, Some(Pos { line: 6, column: 3 }));
        assert!(f.warnings.is_empty());
    }

    #[test]
    fn crlf_aliases_and_vni_keep_their_bytes() {
        let src = "a: &n Vieät Nam\r\nb: *n\r\nc: |-\r\n  Vieät\r\n  Nam\r\n";
        let f = fixed(src, Legacy::Vni);
        assert_eq!(
            f.text,
            "a: &n Việt Nam\r\nb: *n\r\nc: |-\r\n  Việt\r\n  Nam\r\n"
        );
        assert_eq!(f.converted.len(), 2);
    }

    #[test]
    fn keys_are_left_alone_and_clean_files_are_unchanged() {
        let src = "Céng: x\nb: Cộng hòa\n";
        let f = fixed(src, Legacy::Tcvn3);
        assert_eq!(f.text, src);
        assert!(f.converted.is_empty());
    }

    #[test]
    fn an_unconvertible_symbol_is_kept_with_a_warning() {
        let src = "a: Nhiệt độ 25°C\nb: Céng hßa\n";
        let f = fixed(src, Legacy::Tcvn3);
        assert_eq!(f.text, "a: Nhiệt độ 25°C\nb: Cộng hòa\n");
        assert_eq!(f.warnings.len(), 1);
        assert_eq!(f.warnings[0].pos, Some(Pos { line: 1, column: 4 }));
    }

    #[test]
    fn escaped_legacy_text_and_a_wrong_encoding_are_errors() {
        let escaped = fix(
            "a: \"C\\xe9ng h\\xdfa\"\n",
            Path::new("t.yaml"),
            Legacy::Tcvn3,
        );
        assert!(escaped.is_err_and(|d| d.len() == 1 && d[0].is_error()));
        // TCVN3 text read as VNI keeps its TCVN3 characters.
        let wrong = fix("a: Céng hßa x· héi\n", Path::new("t.yaml"), Legacy::Vni);
        assert!(wrong.is_err());
        let yaml = fix("a: [Céng\n", Path::new("t.yaml"), Legacy::Tcvn3);
        assert!(yaml.is_err());
    }

    #[test]
    fn mixed_text_is_converted_with_a_warning() {
        let f = fixed("a: Thực hiện Céng hßa\n", Legacy::Tcvn3);
        assert_eq!(f.text, "a: Thực hiện Cộng hòa\n");
        assert_eq!(f.warnings.len(), 1);
    }

    #[test]
    fn samples_are_one_line_and_short() {
        assert_eq!(sample("a\n  b"), "a b");
        let long = "x".repeat(50);
        assert_eq!(sample(&long).chars().count(), 41);
    }
}
