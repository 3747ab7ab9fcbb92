//! The YAML parser's complaints in the clerk's words, and where a quote was opened.
//!
//! Contract: [`scan_message`] gives a Vietnamese and an English message and a hint for
//! every [`ErrorKind`] the scanner (granit-parser, under serde-saphyr) can report — the
//! parser's own English never reaches a clerk as the message. [`runaway_quote`] finds,
//! by scanning the source text, the quote a syntax error really comes from: a `"` left
//! open on line 83 runs to the next `"` in the file, and the parser notices only there
//! (line 189, "invalid trailing content"), far from the mistake.

use serde_saphyr::granit_parser::ErrorKind;

use crate::diag::{Pos, Text};
use crate::text;

/// Hint for a mistake with quotes around text.
fn quote_hint() -> Text {
    text!(
        "Đặt cả giá trị trong một cặp ngoặc kép \"…\" (dấu ngoặc kép bên trong viết là \\\" hoặc dùng ngoặc kép cong “ ”), hoặc bỏ ngoặc kép nếu văn bản không có “: ” hay “ #”.",
        "Put the whole value in one pair of double quotes \"…\" (a quote inside written \\\" or as curly quotes “ ”), or drop the quotes if the text has no “: ” or “ #”."
    )
}

/// Hint for indentation mistakes.
fn indent_hint() -> Text {
    text!(
        "Thụt lề bằng dấu cách (không dùng Tab), các dòng cùng cấp thẳng hàng nhau như tệp mẫu data/ke-hoach-05-nq-du.yaml.",
        "Indent with spaces (not tabs); lines at the same level line up, as in the example data/ke-hoach-05-nq-du.yaml."
    )
}

/// Hint for a tab character.
fn tab_hint() -> Text {
    text!(
        "Thay ký tự Tab bằng dấu cách (trong trình soạn thảo: chuyển Tab thành dấu cách); YAML chỉ thụt lề bằng dấu cách.",
        "Replace the tab with spaces (in the editor: convert tabs to spaces); YAML indents with spaces only."
    )
}

/// Hint for the YAML features a plan never needs (directives, tags, anchors).
fn feature_hint() -> Text {
    text!(
        "Kế hoạch không cần chỉ thị “%”, thẻ “!” hay neo “&”/“*”: nếu đây là văn bản, đặt nó trong ngoặc kép.",
        "A plan needs no “%” directives, “!” tags or “&”/“*” anchors: if this is text, put it in double quotes."
    )
}

/// Hint for brackets of the one-line forms `[a, b]` and `{a: b}`.
fn bracket_hint() -> Text {
    text!(
        "Đóng ngoặc cho đủ, hoặc viết danh sách theo từng dòng “- …” như tệp mẫu; văn bản bắt đầu bằng “[” hay “{” thì đặt trong ngoặc kép.",
        "Close the brackets, or write the list as “- …” lines as in the example; text beginning with “[” or “{” goes in double quotes."
    )
}

/// The usual hint: the two places most syntax errors come from.
pub(super) fn general_hint() -> Text {
    text!(
        "Kiểm tra dòng này và dòng ngay trên: thụt lề bằng dấu cách (không dùng Tab), văn bản có “: ” hoặc “#” thì đặt trong ngoặc kép.",
        "Check this line and the one above: indent with spaces (not tabs); quote text containing “: ” or “#”."
    )
}

/// Vietnamese and English for one scanner error, and what to do.
pub(super) fn scan_message(kind: &ErrorKind) -> (Text, Text) {
    use ErrorKind as K;
    let m = |vi: &str, en: &str| Text::new(vi, en);
    match kind {
        K::UnexpectedEofFlowSequence => (
            m(
                "tệp kết thúc khi ngoặc vuông “[” chưa được đóng",
                "the file ends inside a “[” not closed",
            ),
            bracket_hint(),
        ),
        K::UnexpectedEofFlowMapping | K::UnexpectedEofImplicitFlowMapping => (
            m(
                "tệp kết thúc khi ngoặc nhọn “{” chưa được đóng",
                "the file ends inside a “{” not closed",
            ),
            bracket_hint(),
        ),
        K::UnexpectedEofBlockSequence | K::UnexpectedEofBlockMapping | K::UnexpectedEof => (
            m(
                "tệp kết thúc giữa chừng (thiếu phần còn lại của khối)",
                "the file ends in the middle of a block",
            ),
            text!(
                "Kiểm tra cuối tệp: tệp có bị cắt mất không, ngoặc kép và ngoặc có đóng đủ không.",
                "Check the end of the file: is it cut short, are all quotes and brackets closed?"
            ),
        ),
        K::ExpectedStreamStart | K::ExpectedDocumentStart => (
            m(
                "không tìm thấy chỗ bắt đầu nội dung YAML",
                "no start of the YAML content found",
            ),
            general_hint(),
        ),
        K::DuplicateVersionDirective
        | K::UnsupportedYamlMajorVersion
        | K::DuplicateTagDirective
        | K::MissingDocumentEndBeforeDirective
        | K::InvalidDirectiveTerminator
        | K::DirectiveDisallowed
        | K::MissingYamlVersionSeparator
        | K::MissingDirectiveName
        | K::InvalidDirectiveName
        | K::DirectiveByteLimitExceeded { .. }
        | K::TooManyReservedDirectiveParams { .. }
        | K::YamlVersionTooLong
        | K::MissingYamlVersion
        | K::InvalidTagDirectiveTerminator
        | K::ExpectedTagDirectiveBang => (
            m(
                "chỉ thị YAML “%…” viết sai",
                "a malformed YAML “%…” directive",
            ),
            feature_hint(),
        ),
        K::AnchorCountOverflow => (
            m("quá nhiều neo “&…”", "too many “&…” anchors"),
            feature_hint(),
        ),
        K::UnknownAnchor => (
            m(
                "bí danh “*…” trỏ tới một neo “&…” chưa có",
                "an alias “*…” names an anchor “&…” not defined",
            ),
            feature_hint(),
        ),
        K::ExpectedNodeContent => (
            m("thiếu giá trị ở đây", "a value is missing here"),
            general_hint(),
        ),
        K::ExpectedBlockMappingKey => (
            m(
                "không tìm thấy khóa mong đợi (thụt lề lệch?)",
                "did not find the expected key (indentation off?)",
            ),
            indent_hint(),
        ),
        K::ExpectedFlowMappingSeparator => (
            m(
                "trong ngoặc nhọn “{ … }” thiếu dấu “,” hoặc “}”",
                "a “,” or “}” is missing in “{ … }”",
            ),
            bracket_hint(),
        ),
        K::ExpectedFlowSequenceSeparator => (
            m(
                "trong ngoặc vuông “[ … ]” thiếu dấu “,” hoặc “]”",
                "a “,” or “]” is missing in “[ … ]”",
            ),
            bracket_hint(),
        ),
        K::ExpectedBlockSequenceEntry => (
            m(
                "trong danh sách, dòng này phải bắt đầu bằng “- ”",
                "in a list, this line must begin with “- ”",
            ),
            indent_hint(),
        ),
        K::ExpectedTagBang
        | K::UndeclaredTagHandle
        | K::InvalidGlobalTagCharacter
        | K::InvalidTagTerminator
        | K::MissingTagUri
        | K::UnclosedVerbatimTag
        | K::InvalidTagEscape
        | K::InvalidTagUtf8LeadingByte
        | K::InvalidTagUtf8TrailingByte
        | K::InvalidTagUtf8 => (
            m("thẻ YAML “!…” viết sai", "a malformed YAML “!…” tag"),
            feature_hint(),
        ),
        K::SimpleKeyExpected | K::InvalidSimpleKey => (
            m(
                "khóa không hợp lệ: một khóa nằm trên một dòng và có “:” ngay sau",
                "invalid key: a key is on one line, followed by “:”",
            ),
            general_hint(),
        ),
        K::InvalidDocumentEnd => (
            m(
                "có nội dung sau dòng “...” kết thúc tài liệu",
                "content after the “...” document end line",
            ),
            text!(
                "Xóa dòng “...” (kế hoạch không cần nó) hoặc phần sau nó.",
                "Remove the “...” line (a plan does not need it) or what follows it."
            ),
        ),
        K::InvalidIndentation | K::InvalidFlowScalarIndent => {
            (m("thụt lề không đúng", "wrong indentation"), indent_hint())
        }
        K::BomInsideDocument => (
            m(
                "ký tự BOM (U+FEFF) nằm giữa tệp",
                "a byte-order mark (U+FEFF) inside the file",
            ),
            text!(
                "Xóa ký tự vô hình này (thường do dán nối hai tệp); chỉ đầu tệp mới được có nó.",
                "Delete this invisible character (often from pasting two files together); only the file's start may hold it."
            ),
        ),
        K::UnexpectedCharacter { character } => (
            Text::new(
                format!("gặp ký tự “{character}” ở đầu một giá trị, nơi YAML không cho phép"),
                format!("a “{character}” begins a value, which YAML does not allow"),
            ),
            text!(
                format!("Đặt giá trị bắt đầu bằng “{character}” trong ngoặc kép."),
                format!("Put the value beginning with “{character}” in double quotes.")
            ),
        ),
        K::TabNotAllowed | K::TabInPlainScalar => (
            m(
                "gặp ký tự Tab ở chỗ YAML không cho phép",
                "a tab where YAML does not allow one",
            ),
            tab_hint(),
        ),
        K::TabInBlockIndentation | K::TabInIndentation => (
            m(
                "gặp ký tự Tab khi thụt lề (YAML chỉ thụt lề bằng dấu cách)",
                "a tab in the indentation (YAML indents with spaces only)",
            ),
            tab_hint(),
        ),
        K::CommentInterceptedScalar => (
            m(
                "dòng ghi chú “#” chen giữa một đoạn văn bản nhiều dòng",
                "a “#” comment line inside a text of several lines",
            ),
            text!(
                "Chuyển dòng ghi chú ra trước khóa, hoặc viết văn bản dạng khối “>-” như tệp mẫu.",
                "Move the comment above the key, or write the text as a “>-” block as in the example."
            ),
        ),
        K::ExpectedWhitespace
        | K::InvalidBlockEntryWhitespace
        | K::InvalidMappingValueWhitespace => (
            m(
                "thiếu dấu cách (sau “-” và sau “:” phải có dấu cách)",
                "a space is missing (“-” and “:” are followed by a space)",
            ),
            general_hint(),
        ),
        K::CommentNotSeparated => (
            m(
                "trước dấu “#” của ghi chú phải có dấu cách",
                "a “#” comment must follow a space",
            ),
            text!(
                "Thêm dấu cách trước “#”, hoặc đặt văn bản có “#” trong ngoặc kép.",
                "Add a space before “#”, or put text containing “#” in double quotes."
            ),
        ),
        K::MissingAnchorOrAliasName => (
            m(
                "sau “&” hoặc “*” ở đầu giá trị phải là tên neo",
                "“&” or “*” beginning a value must be followed by an anchor name",
            ),
            text!(
                "Văn bản bắt đầu bằng “&” hoặc “*” thì đặt trong ngoặc kép.",
                "Put text beginning with “&” or “*” in double quotes."
            ),
        ),
        K::MisplacedFlowCollectionEnd => (
            m("dấu ngoặc “]” hoặc “}” thừa", "a stray “]” or “}”"),
            bracket_hint(),
        ),
        K::MismatchedFlowCollectionEnd { open, close } => (
            Text::new(
                format!("ngoặc “{open}” lại được đóng bằng “{close}”"),
                format!("“{open}” closed by “{close}”"),
            ),
            bracket_hint(),
        ),
        K::UnclosedFlowCollection { open } => (
            Text::new(
                format!("ngoặc “{open}” chưa được đóng"),
                format!("“{open}” is not closed"),
            ),
            bracket_hint(),
        ),
        K::RecursionLimitExceeded => (
            m(
                "lồng quá sâu (vượt giới hạn an toàn khi đọc)",
                "nested too deep (a safety limit)",
            ),
            text!(
                "Kế hoạch bình thường chỉ lồng vài cấp; kiểm tra tệp có đúng là kế hoạch không.",
                "A normal plan nests a few levels only; check this is a plan file."
            ),
        ),
        K::BlockEntryInFlowCollection => (
            m(
                "“- ” chỉ dùng trong danh sách theo dòng, không dùng trong ngoặc “[ … ]” hay “{ … }”",
                "“- ” belongs to line lists, not inside “[ … ]” or “{ … }”",
            ),
            bracket_hint(),
        ),
        K::BlockSequenceEntryNotAllowed => (
            m(
                "không được bắt đầu danh sách “- ” ở đây (thụt lề lệch, hoặc “- ” cùng dòng với một khóa?)",
                "a “- ” list cannot begin here (indentation off, or “- ” on a key's line?)",
            ),
            indent_hint(),
        ),
        K::ZeroBlockScalarIndent
        | K::InvalidBlockScalarHeader
        | K::TabAtBlockScalarStart
        | K::InvalidBlockScalarIndent => (
            m(
                "khối văn bản “|” hoặc “>” viết sai (sau dấu chỉ được xuống dòng, các dòng văn bản thụt lề đều nhau)",
                "a malformed “|” or “>” block (nothing after the sign but a line end; its lines indented alike)",
            ),
            text!(
                "Viết “>-” ở cuối dòng khóa, rồi văn bản ở các dòng sau, thụt lề bằng dấu cách sâu hơn khóa, như tệp mẫu.",
                "Write “>-” at the end of the key's line, then the text on the next lines, indented with spaces deeper than the key, as in the example."
            ),
        ),
        K::DocumentIndicatorInQuotedScalar => (
            m(
                "dòng “---” hoặc “...” nằm trong văn bản trong ngoặc kép",
                "a “---” or “...” line inside quoted text",
            ),
            quote_hint(),
        ),
        K::UnclosedQuotedScalar => (
            m("thiếu dấu ngoặc kép đóng", "a closing quote is missing"),
            quote_hint(),
        ),
        K::InvalidQuotedScalarIndent => (
            m(
                "dòng tiếp theo của văn bản trong ngoặc kép thụt lề sai",
                "a continued line of quoted text is wrongly indented",
            ),
            quote_hint(),
        ),
        K::InvalidTrailingSingleQuotedScalar => (
            m(
                "có nội dung sau dấu nháy đơn đóng",
                "content after the closing single quote",
            ),
            quote_hint(),
        ),
        K::InvalidTrailingDoubleQuotedScalar => (
            m(
                "có nội dung sau dấu ngoặc kép đóng",
                "content after the closing double quote",
            ),
            quote_hint(),
        ),
        K::UnknownQuotedScalarEscape
        | K::InvalidQuotedScalarHexEscape
        | K::InvalidLowSurrogateHexEscape
        | K::InvalidLowSurrogate
        | K::MissingLowSurrogate
        | K::UnpairedLowSurrogate
        | K::InvalidUnicodeEscape => (
            m(
                "trong ngoặc kép, dấu “\\” đứng trước ký tự không hợp lệ",
                "inside double quotes, “\\” precedes an invalid character",
            ),
            text!(
                "Trong ngoặc kép, dấu “\\” viết là “\\\\”; hoặc dùng dấu nháy đơn '…', trong đó “\\” là chính nó.",
                "Inside double quotes write “\\” as “\\\\”; or use single quotes '…', where “\\” is itself."
            ),
        ),
        K::PlainScalarStartsWithDashFlowIndicator => (
            m(
                "văn bản không được bắt đầu bằng “-” liền trước , [ ] { }",
                "text cannot begin with “-” before , [ ] { }",
            ),
            text!(
                "Đặt văn bản này trong ngoặc kép.",
                "Put this text in double quotes."
            ),
        ),
        K::UnexpectedEndOfPlainScalar => (
            m("văn bản kết thúc bất ngờ", "text ends unexpectedly"),
            general_hint(),
        ),
        K::MappingKeyNotAllowed => (
            m("không được đặt khóa ở đây", "a key is not allowed here"),
            indent_hint(),
        ),
        K::FlowMappingValueAdjacentCollection | K::InvalidColonPlacement => {
            (m("dấu “:” đặt sai chỗ", "a misplaced “:”"), general_hint())
        }
        K::MappingValueNotAllowed => (
            m("không được dùng “: ” ở đây", "“: ” is not allowed here"),
            text!(
                "Văn bản có “: ” thì đặt cả giá trị trong ngoặc kép; nếu là một khóa mới, xuống dòng và thụt lề cho thẳng hàng.",
                "Put a value containing “: ” in double quotes; a new key goes on its own line, lined up."
            ),
        ),
        K::InputDecoding { .. } | K::InputIo { .. } | K::InputByteLimitExceeded { .. } => (
            m(
                "không đọc được nội dung tệp",
                "the file's content cannot be read",
            ),
            text!("Lưu lại tệp với bảng mã UTF-8.", "Save the file as UTF-8."),
        ),
        K::MultipleDocumentsUnsupported => multiple_documents(),
        K::Custom(message) => (Text::new(message.clone(), message.clone()), general_hint()),
        // Include resolvers, offsets and slicing are features phuluc does not use, and
        // kinds a later parser adds: the parser's words, marked as such.
        other => (
            Text::new(
                format!("trình đọc YAML báo: {other}"),
                format!("the YAML reader says: {other}"),
            ),
            general_hint(),
        ),
    }
}

/// Several documents (`---` in the middle of the file).
pub(super) fn multiple_documents() -> (Text, Text) {
    (
        Text::new(
            "tệp có nhiều tài liệu YAML (dòng “---” ở giữa tệp)",
            "the file holds several YAML documents (a “---” line in the middle)",
        ),
        text!(
            "Một tệp là một kế hoạch: xóa dòng “---” ở giữa, hoặc tách thành hai tệp.",
            "One file is one plan: delete the “---” line in the middle, or split into two files."
        ),
    )
}

/// A quoted text that runs over a line end: where it opened and, if anywhere, closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Runaway {
    /// The quote character, `"` or `'`.
    pub quote: char,
    /// Where the quote opened.
    pub open: Pos,
    /// Where the next quote of that kind closed it; `None` when the file ended first.
    pub close: Option<Pos>,
}

/// The quoted text spanning several lines in which an error at `at` lies (or at whose
/// closing line it lies), when it opened on an earlier line: the quote left open.
///
/// A light lexer of the YAML lines: comments, `|`/`>` blocks (skipped by indentation) and
/// plain text are told apart well enough for plans; a quote counts as opening only where
/// a value begins (after indentation, `- `, `: `, `? `, `[`, `{`, `,`), so an apostrophe or
/// a quote inside plain text is text.
pub(super) fn runaway_quote(src: &str, at: Pos) -> Option<Runaway> {
    let spans = quoted_spans(src, at.line);
    spans
        .into_iter()
        .rev()
        .find(|r| r.open.line < at.line && r.close.is_none_or(|c| c.line >= at.line))
}

/// Every quoted text spanning more than one line that opens before line `until`.
fn quoted_spans(src: &str, until: u32) -> Vec<Runaway> {
    let mut out = Vec::new();
    // The quote open across lines, if any.
    let mut open: Option<(char, Pos)> = None;
    // The indentation a `|`/`>` block's lines must exceed, while inside one.
    let mut block: Option<usize> = None;
    for (index, line) in src.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if open.is_none() && number > until {
            break;
        }
        let chars: Vec<char> = line.chars().collect();
        let indent = chars.iter().take_while(|&&c| c == ' ').count();
        if let Some(limit) = block {
            if open.is_none() && (chars.iter().all(|c| c.is_whitespace()) || indent > limit) {
                continue;
            }
            block = None;
        }
        let mut i = 0;
        let mut value_start = true;
        while i < chars.len() {
            let c = chars[i];
            if let Some((quote, from)) = open {
                if quote == '"' && c == '\\' {
                    i += 2;
                    continue;
                }
                if c == quote {
                    if quote == '\'' && chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    open = None;
                    let close = Pos {
                        line: number,
                        column: col(i),
                    };
                    if close.line != from.line {
                        out.push(Runaway {
                            quote,
                            open: from,
                            close: Some(close),
                        });
                    }
                    value_start = false;
                }
                i += 1;
                continue;
            }
            match c {
                ' ' | '\t' => {}
                '#' if i == 0 || chars[i - 1] == ' ' || chars[i - 1] == '\t' => break,
                '"' | '\'' if value_start => {
                    open = Some((
                        c,
                        Pos {
                            line: number,
                            column: col(i),
                        },
                    ));
                }
                // A dash or `?` begins a node only where a value may begin; inside plain
                // text ("Văn hóa - Xã hội") it is text.
                '-' | '?' if value_start && next_is_blank(&chars, i) => {
                    if c == '-' {
                        block = block_header(&chars[i + 1..]).map(|()| key_column(&chars));
                    }
                }
                ':' if next_is_blank(&chars, i) => {
                    value_start = true;
                    block = block_header(&chars[i + 1..]).map(|()| key_column(&chars));
                }
                '[' | '{' | ',' => value_start = true,
                _ => value_start = false,
            }
            i += 1;
        }
    }
    if let Some((quote, from)) = open {
        out.push(Runaway {
            quote,
            open: from,
            close: None,
        });
    }
    out
}

/// The 1-based column of character index `i`.
fn col(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

fn next_is_blank(chars: &[char], i: usize) -> bool {
    chars.get(i + 1).is_none_or(|c| *c == ' ' || *c == '\t')
}

/// Whether what follows `: ` or `- ` is a block scalar header (`|`, `>-`, `|2+` …).
fn block_header(rest: &[char]) -> Option<()> {
    let text: String = rest.iter().collect();
    let text = text.trim_start();
    let text = text.split(" #").next().unwrap_or("").trim_end();
    let mut it = text.chars();
    matches!(it.next(), Some('|' | '>'))
        .then_some(())
        .filter(|()| it.all(|c| c == '-' || c == '+' || c.is_ascii_digit()))
}

/// The column (0-based) a block's lines must be indented past: the key's on a
/// `key: >` line, the last dash's on a `- >` line.
fn key_column(chars: &[char]) -> usize {
    let mut i = chars.iter().take_while(|&&c| c == ' ').count();
    let mut last = i;
    while chars.get(i) == Some(&'-') && next_is_blank(chars, i) {
        last = i;
        i += 1;
        while chars.get(i) == Some(&' ') {
            i += 1;
        }
    }
    let rest: String = chars[i..].iter().collect();
    if rest.contains(": ") || rest.ends_with(':') {
        i
    } else {
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }

    #[test]
    fn a_quote_left_open_is_found_where_it_opened() {
        let src = "a: \"open\nb: plain\nc: x \"y\" z\nd: \"closed\" w\n";
        // The parser notices on line 3, where the next quote closes the one of line 1.
        let r = runaway_quote(src, pos(3, 8)).expect("found");
        assert_eq!(r.open, pos(1, 4));
        assert_eq!(r.close, Some(pos(3, 6)));
    }

    #[test]
    fn quotes_inside_blocks_comments_and_plain_text_are_text() {
        let src = "k: >-\n  say \"hi\n  there\nm: it's # don't\nn: Hello \"x\nz: \"ok\"\n";
        assert_eq!(runaway_quote(src, pos(6, 8)), None);
    }

    #[test]
    fn an_error_after_a_quote_closed_on_its_line_is_not_a_quote_problem() {
        let src = "a: \"x\" y\n";
        assert_eq!(runaway_quote(src, pos(1, 8)), None);
    }

    #[test]
    fn a_quote_open_to_the_end_of_the_file() {
        let src = "a: 'x\nb: y\n";
        let r = runaway_quote(src, pos(3, 1)).expect("found");
        assert_eq!((r.quote, r.open, r.close), ('\'', pos(1, 4), None));
    }

    #[test]
    fn a_block_under_a_dash_key_ends_at_the_next_key() {
        let src = "- k: >-\n    text \"q\n  m: \"open\n  n: 1\n  o: \"z\" y\n";
        let r = runaway_quote(src, pos(5, 10)).expect("found");
        assert_eq!(r.open, pos(3, 6));
    }
}
