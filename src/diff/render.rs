//! Showing a list of [`Change`]s: plain or coloured text, Markdown, JSON.
//!
//! Contract: pure functions from changes to a `String`; the caller prints. An empty list
//! renders as an empty string in text and Markdown (diff(1) prints nothing for equal
//! files) and as `{"version": 1, "equal": true, "changes": []}` in JSON, which a program
//! always needs to be able to parse.
//!
//! - Text: one line per change, starting at the first column with where it is ("Phụ lục
//!   II, mục 4.2: …"); an added or removed row's cells follow on indented lines. Changed
//!   words are shown inline with a few words of context, as `[-old-]{+new+}` (git's
//!   `--word-diff=plain`), or in red and green when `color` is set.
//! - Markdown: a `##` heading per appendix (and one for the plan itself), one top-level
//!   bullet per change, changed words as `~~old~~ **new**`.
//! - JSON: the fields documented in the README ("Reviewing changes: phuluc diff").
//!
//! Names of rows and columns are the document's own (Vietnamese) in every language; the
//! words around them follow `lang`.

use serde::Serialize;

use super::change::{Change, ChangeKind, Subject, Value};
use super::compare::strip_common_words;
use super::words::Word;
use crate::diag::Lang;
use crate::redline::WordOp;

/// Words of context kept on each side of a change in text and Markdown.
const CONTEXT: usize = 5;
/// Fewest words worth replacing by "…".
const SLACK: usize = 3;

/// How marked-up words look in one output.
struct Marks {
    /// Whether agency names added or removed get the marks too (plain text says "bỏ",
    /// "thêm" already; colour and Markdown show them struck or bold).
    names: bool,
    del: (&'static str, &'static str),
    ins: (&'static str, &'static str),
    escape: fn(&str) -> String,
}

const PLAIN: Marks = Marks {
    names: false,
    del: ("[-", "-]"),
    ins: ("{+", "+}"),
    escape: str::to_owned,
};
const COLOR: Marks = Marks {
    names: true,
    del: ("\x1b[31m", "\x1b[0m"),
    ins: ("\x1b[32m", "\x1b[0m"),
    escape: str::to_owned,
};
const MARKDOWN: Marks = Marks {
    names: true,
    del: ("~~", "~~"),
    ins: ("**", "**"),
    escape: md,
};

/// Escapes the characters Markdown would take as formatting.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The changed words with up to [`CONTEXT`] equal words around each change.
fn inline_words(words: &[Word], marks: &Marks) -> String {
    let mut parts: Vec<String> = Vec::new();
    let last = words.len().saturating_sub(1);
    for (k, w) in words.iter().enumerate() {
        let text = (marks.escape)(&w.text);
        match w.op {
            WordOp::Delete => parts.push(format!("{}{text}{}", marks.del.0, marks.del.1)),
            WordOp::Insert => parts.push(format!("{}{text}{}", marks.ins.0, marks.ins.1)),
            WordOp::Equal => {
                let list: Vec<&str> = w.text.split(' ').collect();
                let esc = |ws: &[&str]| (marks.escape)(&ws.join(" "));
                let n = list.len();
                // Eliding fewer than SLACK words would save nothing worth the "…".
                let shown = if k == 0 && k != last && n > CONTEXT + SLACK {
                    format!("… {}", esc(&list[n - CONTEXT..]))
                } else if k == last && k != 0 && n > CONTEXT + SLACK {
                    format!("{} …", esc(&list[..CONTEXT]))
                } else if k != 0 && k != last && n > 2 * CONTEXT + SLACK {
                    format!("{} … {}", esc(&list[..CONTEXT]), esc(&list[n - CONTEXT..]))
                } else {
                    text
                };
                parts.push(shown);
            }
        }
    }
    parts.join(" ")
}

fn quote(s: &str) -> String {
    format!("“{s}”")
}

/// The value for one line of text.
fn show(value: Option<&Value>, marks: &Marks) -> String {
    value.map_or_else(String::new, |v| (marks.escape)(&v.display()))
}

/// Where a change is: "Phụ lục II, mục 4.2", "Phụ lục II", or the plan.
fn place(c: &Change, lang: Lang) -> String {
    match (&c.appendix, &c.row) {
        (None, _) => match lang {
            Lang::Vi => "Kế hoạch".to_owned(),
            Lang::En => "Plan".to_owned(),
        },
        (Some(a), None) => a.clone(),
        (Some(a), Some(r)) => format!("{a}, {r}"),
    }
}

/// What happened, in words: "sửa “Cơ quan phối hợp”: bỏ “A”; thêm “B”".
fn phrase(c: &Change, lang: Lang, marks: &Marks) -> String {
    let vi = lang == Lang::Vi;
    let heading = |v: Option<&Value>| match v {
        Some(v) => format!(" {}", quote(&(marks.escape)(&v.display()))),
        None if vi => " (không có dòng tiêu đề)".to_owned(),
        None => " (no heading row)".to_owned(),
    };
    match c.kind {
        ChangeKind::Added | ChangeKind::Removed => {
            let added = c.kind == ChangeKind::Added;
            let what = match (c.subject, vi) {
                (Subject::Row, true) => "dòng",
                (Subject::Row, false) => "row",
                (Subject::Group, true) => "nhóm",
                (Subject::Group, false) => "group",
                (Subject::Section, true) => "phần",
                (Subject::Section, false) => "section",
                (_, true) => "phụ lục",
                (_, false) => "appendix",
            };
            let verb = match (added, vi) {
                (true, true) => format!("thêm {what}"),
                (false, true) => format!("xóa {what}"),
                (true, false) => format!("{what} added"),
                (false, false) => format!("{what} removed"),
            };
            if c.subject == Subject::Row {
                verb
            } else {
                let value = if added {
                    c.new.as_ref()
                } else {
                    c.old.as_ref()
                };
                format!("{verb}{}", heading(value))
            }
        }
        ChangeKind::Moved => {
            let from = show(c.old.as_ref(), marks);
            if vi {
                format!("chuyển từ {from}")
            } else {
                format!("moved from {from}")
            }
        }
        ChangeKind::Renumbered => {
            let (olds, news) = match (&c.old, &c.new) {
                (Some(Value::List(a)), Some(Value::List(b))) => (a.as_slice(), b.as_slice()),
                _ => (&[][..], &[][..]),
            };
            let to = if vi { "thành" } else { "to" };
            let list: Vec<String> = olds
                .iter()
                .zip(news)
                .map(|(a, b)| format!("{a} {to} {}", strip_common_words(a, b)))
                .collect();
            let verb = if vi {
                "đánh số lại"
            } else {
                "renumbered"
            };
            format!("{verb}: {}", list.join("; "))
        }
        ChangeKind::Changed | ChangeKind::Metadata => {
            let name = c
                .field
                .as_ref()
                .map_or_else(String::new, |f| quote(f.label.get(lang)));
            match (&c.old, &c.new) {
                (None, new) => {
                    let v = show(new.as_ref(), marks);
                    if vi {
                        format!("điền {name}: {v}")
                    } else {
                        format!("filled in {name}: {v}")
                    }
                }
                (old, None) => {
                    let v = show(old.as_ref(), marks);
                    if vi {
                        format!("xóa {name} (trước đây: {v})")
                    } else {
                        format!("cleared {name} (was: {v})")
                    }
                }
                (Some(Value::List(_)), Some(Value::List(new))) => {
                    let names = |list: &[String], m: (&str, &str)| {
                        let m = if marks.names { m } else { ("", "") };
                        list.iter()
                            .map(|n| format!("{}{}{}", m.0, quote(&(marks.escape)(n)), m.1))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let mut parts = Vec::new();
                    if !c.removed.is_empty() {
                        let verb = if vi { "bỏ" } else { "removed" };
                        parts.push(format!("{verb} {}", names(&c.removed, marks.del)));
                    }
                    if !c.added.is_empty() {
                        let verb = if vi { "thêm" } else { "added" };
                        parts.push(format!("{verb} {}", names(&c.added, marks.ins)));
                    }
                    if parts.is_empty() {
                        let verb = if vi { "đổi thứ tự" } else { "reordered" };
                        parts.push(format!("{verb}: {}", (marks.escape)(&new.join(", "))));
                    }
                    let verb = if vi { "sửa" } else { "changed" };
                    format!("{verb} {name}: {}", parts.join("; "))
                }
                (Some(old), Some(new)) => {
                    let shown = if c.words.is_empty() {
                        format!(
                            "{}{}{} {}{}{}",
                            marks.del.0,
                            (marks.escape)(&old.display()),
                            marks.del.1,
                            marks.ins.0,
                            (marks.escape)(&new.display()),
                            marks.ins.1
                        )
                    } else {
                        inline_words(&c.words, marks)
                    };
                    let verb = if vi { "sửa" } else { "changed" };
                    format!("{verb} {name}: {shown}")
                }
            }
        }
    }
}

/// ANSI colour of a change's kind; none for a change in place, whose words carry the
/// colours (a colour around them would end at their first reset).
fn color_of(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "\x1b[32m",
        ChangeKind::Removed => "\x1b[31m",
        ChangeKind::Moved => "\x1b[36m",
        ChangeKind::Changed | ChangeKind::Metadata => "",
        ChangeKind::Renumbered => "\x1b[2m",
    }
}

/// Text for a terminal (`color`) or a file/pipe.
pub fn text(changes: &[Change], lang: Lang, color: bool) -> String {
    let marks = if color { &COLOR } else { &PLAIN };
    let mut out = String::new();
    for c in changes {
        let place = place(c, lang);
        let phrase = phrase(c, lang, marks);
        if color {
            out.push_str(&format!(
                "\x1b[1m{place}\x1b[0m: {}{phrase}\x1b[0m\n",
                color_of(c.kind)
            ));
        } else {
            out.push_str(&format!("{place}: {phrase}\n"));
        }
        for cell in &c.cells {
            out.push_str(&format!(
                "    {}: {}\n",
                cell.field.label.get(lang),
                cell.value.display()
            ));
        }
    }
    out
}

/// Markdown for a review comment or a changelog.
pub fn markdown(changes: &[Change], lang: Lang) -> String {
    let mut out = String::new();
    let mut current: Option<Option<&String>> = None;
    for c in changes {
        if current != Some(c.appendix.as_ref()) {
            current = Some(c.appendix.as_ref());
            if !out.is_empty() {
                out.push('\n');
            }
            let title = c.appendix.clone().unwrap_or_else(|| place(c, lang));
            out.push_str(&format!("## {}\n\n", md(&title)));
        }
        let phrase = phrase(c, lang, &MARKDOWN);
        match &c.row {
            Some(row) => out.push_str(&format!("- **{}**: {phrase}\n", md(row))),
            None => out.push_str(&format!("- {phrase}\n")),
        }
        for cell in &c.cells {
            out.push_str(&format!(
                "  - {}: {}\n",
                md(cell.field.label.get(lang)),
                md(&cell.value.display())
            ));
        }
    }
    out
}

/// A value in JSON: a string or an array of strings.
#[derive(Serialize)]
#[serde(untagged)]
enum JsonValue<'a> {
    Text(&'a str),
    List(&'a [String]),
}

impl<'a> From<&'a Value> for JsonValue<'a> {
    fn from(v: &'a Value) -> Self {
        match v {
            Value::Text(t) => JsonValue::Text(t),
            Value::List(l) => JsonValue::List(l),
        }
    }
}

#[derive(Serialize)]
struct JsonWord<'a> {
    op: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonCell<'a> {
    field: &'a str,
    key: &'a str,
    value: JsonValue<'a>,
}

/// One change; fields in the order the README documents them (serde keeps a struct's
/// order, where a `serde_json::Value` map would sort them).
#[derive(Serialize)]
struct JsonChange<'a> {
    kind: &'static str,
    subject: &'static str,
    appendix: Option<&'a str>,
    row: Option<&'a str>,
    field: Option<&'a str>,
    key: Option<&'a str>,
    old: Option<JsonValue<'a>>,
    new: Option<JsonValue<'a>>,
    words: Vec<JsonWord<'a>>,
    added: &'a [String],
    removed: &'a [String],
    cells: Vec<JsonCell<'a>>,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    version: u32,
    equal: bool,
    changes: Vec<JsonChange<'a>>,
}

/// The changes as one JSON document (pretty-printed, fields in a fixed order).
pub fn json(changes: &[Change]) -> String {
    let doc = JsonDoc {
        version: 1,
        equal: changes.is_empty(),
        changes: changes
            .iter()
            .map(|c| JsonChange {
                kind: c.kind.name(),
                subject: c.subject.name(),
                appendix: c.appendix.as_deref(),
                row: c.row.as_deref(),
                field: c.field.as_ref().map(|f| &*f.label.vi),
                key: c.field.as_ref().map(|f| f.key.as_str()),
                old: c.old.as_ref().map(JsonValue::from),
                new: c.new.as_ref().map(JsonValue::from),
                words: c
                    .words
                    .iter()
                    .map(|w| JsonWord {
                        op: w.op.name(),
                        text: &w.text,
                    })
                    .collect(),
                added: &c.added,
                removed: &c.removed,
                cells: c
                    .cells
                    .iter()
                    .map(|cell| JsonCell {
                        field: &cell.field.label.vi,
                        key: &cell.field.key,
                        value: JsonValue::from(&cell.value),
                    })
                    .collect(),
            })
            .collect(),
    };
    // Serialising these plain structs cannot fail; "{}" would only show a bug.
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(op: WordOp, text: &str) -> Word {
        Word {
            op,
            text: text.to_owned(),
        }
    }

    #[test]
    fn context_is_trimmed_around_changes() {
        let words = [
            w(WordOp::Equal, "à không một hai ba bốn năm sáu bảy"),
            w(WordOp::Delete, "tám"),
            w(WordOp::Insert, "chín"),
            w(WordOp::Equal, "mười a b c d e f g h"),
        ];
        assert_eq!(
            inline_words(&words, &PLAIN),
            "… ba bốn năm sáu bảy [-tám-] {+chín+} mười a b c d …"
        );
        assert_eq!(
            inline_words(&words, &MARKDOWN),
            "… ba bốn năm sáu bảy ~~tám~~ **chín** mười a b c d …"
        );
    }

    #[test]
    fn markdown_text_is_escaped() {
        assert_eq!(md("a*b_c [x]"), "a\\*b\\_c \\[x\\]");
    }
}
