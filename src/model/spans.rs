//! Exact spans: where each value of the tree is in the file's text, byte for byte.
//!
//! Contract: [`locate`] walks a parsed tree once, with the text it was parsed from, and
//! sets every node's and key's `origin` — the byte range of the value as written and the
//! line:column of its first byte (columns counted in characters, from 1; offsets into the
//! text after a byte-order mark, as the parser read it). The parser reports a scalar's
//! start and end, but a block scalar (`|`, `>`) from its content on, past its indicator,
//! and on over the blank lines and indentation after it; a collection only by its first
//! byte. Here a quoted or plain scalar is its text as written (quotes included, trailing
//! blanks not); a block scalar runs from its indicator to its last non-blank character; a
//! sequence or mapping from its first byte to the end of its last entry (a flow one to
//! its closing bracket; an entry without a value ends with its key's colon); `~`/`null`
//! is its word; a value not written at all (`key:`) has no origin. Linear in the text; never panics.

use super::tree::{Kind, Node};
use crate::diag::{Pos, Span};

/// Sets the `origin` of `root`, its keys and every node below it, reading `src`.
pub fn locate(root: &mut Node, src: &str) {
    let lines = Lines::new(src);
    node(root, src, &lines);
}

/// Where each line starts, to turn a byte offset into a line and column.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    /// The span of bytes `start..end` of `src`, or `None` if that is not a range of it.
    fn span(&self, src: &str, start: usize, end: usize) -> Option<Span> {
        if start > end || end > src.len() || !src.is_char_boundary(start) {
            return None;
        }
        let line = self.starts.partition_point(|&s| s <= start).max(1);
        let line_start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = src.get(line_start..start)?.chars().count() + 1;
        Some(Span {
            pos: Pos {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            },
            start,
            end,
        })
    }
}

fn node(n: &mut Node, src: &str, lines: &Lines) {
    let Some((start, len)) = n.span else {
        n.origin = None;
        match &mut n.kind {
            Kind::Seq(items) => items.iter_mut().for_each(|i| node(i, src, lines)),
            Kind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.origin = k
                    .span
                    .and_then(|(s, l)| scalar(src, lines, s, s + l, false));
                node(v, src, lines);
            }),
            _ => {}
        }
        return;
    };
    let end = start.saturating_add(len);
    n.origin = match &mut n.kind {
        Kind::Null if len == 0 => None,
        Kind::Null | Kind::Scalar(..) => scalar(src, lines, start, end, true),
        Kind::Seq(items) => {
            let mut last = start;
            for item in items.iter_mut() {
                node(item, src, lines);
                if let Some(o) = item.origin {
                    last = last.max(o.end);
                }
            }
            collection(src, lines, start, last, b'[', b']')
        }
        Kind::Map(entries) => {
            let mut last = start;
            for (key, value) in entries.iter_mut() {
                key.origin = key
                    .span
                    .and_then(|(s, l)| scalar(src, lines, s, s + l, false));
                node(value, src, lines);
                // An entry whose value is not written ends with its key's colon.
                let end = match (value.origin, key.origin) {
                    (Some(v), _) => Some(v.end),
                    (None, Some(k)) => Some(colon_after(src, k.end)),
                    (None, None) => None,
                };
                last = last.max(end.unwrap_or(last));
            }
            collection(src, lines, start, last, b'{', b'}')
        }
    };
}

/// A scalar the parser put at `start..end`: trailing blanks dropped and, for a block
/// scalar's value (`value`: not a key), widened back to its indicator.
fn scalar(src: &str, lines: &Lines, start: usize, end: usize, value: bool) -> Option<Span> {
    let text = src.get(start..end)?;
    let end = start + text.trim_end_matches([' ', '\t', '\r', '\n']).len();
    match value.then(|| block_indicator(src, start)).flatten() {
        Some((indicator, header_end)) => lines.span(src, indicator, end.max(header_end)),
        None => lines.span(src, start, end),
    }
}

/// Just past the `:` that follows a key ending at `key_end` (blanks may stand between),
/// or `key_end` when there is none (a flow entry without a value).
fn colon_after(src: &str, key_end: usize) -> usize {
    let rest = src.get(key_end..).unwrap_or_default();
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[blanks..].starts_with(':') {
        key_end + blanks + 1
    } else {
        key_end
    }
}

/// A collection starting at `start` whose entries end at `last`: a flow one (`open` at
/// `start`) ends after its closing bracket, a block one with its last entry.
fn collection(
    src: &str,
    lines: &Lines,
    start: usize,
    last: usize,
    open: u8,
    close: u8,
) -> Option<Span> {
    let bytes = src.as_bytes();
    if bytes.get(start) != Some(&open) {
        return lines.span(src, start, last.max(start));
    }
    // After the last entry only blanks, a trailing comma and comments may stand before
    // the closing bracket.
    let mut at = last.max(start + 1);
    while let Some(&b) = bytes.get(at) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => at += 1,
            b'#' => {
                at = src[at..].find('\n').map_or(src.len(), |i| at + i);
            }
            b if b == close => return lines.span(src, start, at + 1),
            _ => break,
        }
    }
    lines.span(src, start, last.max(start + 1))
}

/// Whether the scalar whose content starts at `content` is a block scalar: it then
/// starts a line of its own (only indentation before it), and the last non-blank line
/// above ends — comment aside — with its header (`|` or `>`, then chomping and
/// indentation indicators). Returns the indicator's offset and the header's end.
fn block_indicator(src: &str, content: usize) -> Option<(usize, usize)> {
    let before = src.get(..content)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if !before[line_start..]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
    {
        return None;
    }
    // The header line: the last line above that is not blank.
    let mut end = line_start;
    let (start, line) = loop {
        let above = end.checked_sub(1)?; // the '\n' ending the line above
        let start = src[..above].rfind('\n').map_or(0, |i| i + 1);
        let line = &src[start..above];
        if !line.trim().is_empty() {
            break (start, line);
        }
        end = start;
    };
    let code = strip_comment(line).trim_end();
    let head = code.trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
    if !(head.ends_with('|') || head.ends_with('>')) {
        return None;
    }
    // `key: >` or `- |` or a header alone on its line: the indicator follows a blank, a
    // colon, a dash or the line's start (not `a>` inside a plain word).
    let at = head.len() - 1;
    let after_blank = at == 0
        || matches!(
            head.as_bytes().get(at - 1),
            Some(b' ' | b'\t' | b':' | b'-' | b'!')
        );
    after_blank.then_some((start + at, start + code.len()))
}

/// A line without its comment: a `#` at its start or after a blank begins one. (Only
/// header lines come here: no quoted text stands after the indicator.)
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let cut = (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t'));
    match cut {
        Some(i) => &line[..i],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tree::Kind;

    fn parse(src: &str) -> Node {
        let mut root: Node = match serde_saphyr::from_str(src) {
            Ok(n) => n,
            Err(e) => panic!("{e}"),
        };
        locate(&mut root, src);
        root
    }

    /// Every value of a mapping: (key, its origin's text).
    fn values<'a>(src: &'a str, root: &Node) -> Vec<(String, Option<&'a str>)> {
        let Kind::Map(entries) = &root.kind else {
            panic!("a mapping")
        };
        entries
            .iter()
            .map(|(k, v)| (k.name.clone(), v.origin.map(|o| &src[o.start..o.end])))
            .collect()
    }

    #[test]
    fn scalars_are_their_text_as_written() {
        let src = "a: plain text  # c\nb: 'q''s'\nc: \"dq\\n\"\nd: ~\ne:\nf: 12.50\ng: 2026-06-30\nh: plain\n  on two lines\n";
        let root = parse(src);
        assert_eq!(
            values(src, &root),
            [
                ("a".into(), Some("plain text")),
                ("b".into(), Some("'q''s'")),
                ("c".into(), Some("\"dq\\n\"")),
                ("d".into(), Some("~")),
                ("e".into(), None),
                ("f".into(), Some("12.50")),
                ("g".into(), Some("2026-06-30")),
                ("h".into(), Some("plain\n  on two lines")),
            ]
        );
    }

    #[test]
    fn block_scalars_run_from_their_indicator_to_their_last_character() {
        let src = "a: >-   # folded\n  one\n  two\n\n\nb: |\n\n  lit\n  eral\nc:\n  - x\n  - |+\n    kept\n\nd: end\n";
        let root = parse(src);
        let v = values(src, &root);
        assert_eq!(v[0], ("a".into(), Some(">-   # folded\n  one\n  two")));
        assert_eq!(v[1], ("b".into(), Some("|\n\n  lit\n  eral")));
        assert_eq!(v[2], ("c".into(), Some("- x\n  - |+\n    kept")));
    }

    #[test]
    fn collections_cover_their_entries() {
        let src = "m:\n  k: v\n  l: [a, 'b' , ]  # c\n  f: {x: 1}\nn: end\n";
        let root = parse(src);
        let v = values(src, &root);
        assert_eq!(
            v[0],
            ("m".into(), Some("k: v\n  l: [a, 'b' , ]  # c\n  f: {x: 1}"))
        );
        let Kind::Map(entries) = &root.kind else {
            panic!()
        };
        let inner = values(src, &entries[0].1);
        assert_eq!(inner[1], ("l".into(), Some("[a, 'b' , ]")));
        assert_eq!(inner[2], ("f".into(), Some("{x: 1}")));
        let key = entries[1].0.origin.expect("key origin");
        assert_eq!(&src[key.start..key.end], "n");
    }

    #[test]
    fn a_block_ending_with_an_empty_value_ends_with_its_colon() {
        let src = "m:\n  k: v\n  e :  # nothing\nn: end\n";
        let root = parse(src);
        assert_eq!(values(src, &root)[0], ("m".into(), Some("k: v\n  e :")));
    }

    #[test]
    fn positions_count_characters() {
        let src = "tên: Việt\nb: \"ờ\"\n";
        let root = parse(src);
        let Kind::Map(entries) = &root.kind else {
            panic!()
        };
        let o = entries[0].1.origin.expect("origin");
        assert_eq!((o.pos.line, o.pos.column), (1, 6));
        assert_eq!(&src[o.start..o.end], "Việt");
        let o = entries[1].1.origin.expect("origin");
        assert_eq!((o.pos.line, o.pos.column), (2, 4));
    }
}
