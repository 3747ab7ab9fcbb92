//! An edit planned on the file's text: which bytes change, decided from the tree the
//! text parses to, before anything is written.
//!
//! Contract: [`plan`] turns one [`Op`] on `src` into the whole new text — a `set`
//! replaces exactly the bytes of that value (or adds its key's line), a row action moves,
//! copies or removes exactly that row's lines (with the comment lines just above it) —
//! or says why not, naming the place. Every other byte stays as it was. Never panics.

use super::op::{EditError, Op};
use super::value::{self, Place, Style, Typed};
use crate::compose::templates::ColumnKind;
use crate::compose::templates::Templates;
use crate::diag::{Pos, Span};
use crate::model::FieldKind;
use crate::model::tree::{Kind, Node};

/// The mapping at a position and what holds it.
pub(super) struct Found<'a> {
    /// The mapping (a row, a heading's block, the plan's or an appendix's).
    pub map: &'a Node,
    /// The sequence holding it and its index there, when it is a list entry.
    pub parent: Option<(&'a [Node], usize)>,
    /// The template of the appendix it is in.
    pub template: Option<String>,
    /// Whether it is the `plan:` block.
    pub is_plan: bool,
}

/// The mapping whose first byte is at `pos`.
pub(super) fn find(root: &Node, pos: Pos) -> Option<Found<'_>> {
    fn walk<'a>(
        n: &'a Node,
        pos: Pos,
        parent: Option<(&'a [Node], usize)>,
        template: Option<&str>,
        is_plan: bool,
        is_root: bool,
    ) -> Option<Found<'a>> {
        match &n.kind {
            Kind::Map(entries) => {
                let template = entries
                    .iter()
                    .find(|(k, _)| k.name == "template")
                    .and_then(|(_, v)| match &v.kind {
                        Kind::Scalar(s, _) => Some(s.as_str()),
                        _ => None,
                    })
                    .or(template);
                if n.origin.is_some_and(|o| o.pos == pos) {
                    return Some(Found {
                        map: n,
                        parent,
                        template: template.map(str::to_owned),
                        is_plan,
                    });
                }
                entries.iter().find_map(|(k, v)| {
                    walk(v, pos, None, template, is_root && k.name == "plan", false)
                })
            }
            Kind::Seq(items) => items.iter().enumerate().find_map(|(i, item)| {
                walk(
                    item,
                    pos,
                    Some((items.as_slice(), i)),
                    template,
                    false,
                    false,
                )
            }),
            _ => None,
        }
    }
    walk(root, pos, None, None, false, true)
}

/// The kind of the field `field` of a mapping found.
pub(super) fn field_kind(found: &Found<'_>, field: &str, templates: &Templates) -> FieldKind {
    if found.is_plan {
        return match field {
            "date" => FieldKind::Date,
            "year" => FieldKind::Amount,
            _ => FieldKind::Text,
        };
    }
    found
        .template
        .as_deref()
        .and_then(|t| templates.kind(t))
        .and_then(|k| k.layout.columns.iter().find(|c| c.field == field))
        .map_or(FieldKind::Text, |c| match c.kind {
            ColumnKind::List => FieldKind::List,
            ColumnKind::Amount => FieldKind::Amount,
            ColumnKind::Date => FieldKind::Date,
            ColumnKind::Percent => FieldKind::Percent,
            ColumnKind::Text | ColumnKind::Number => FieldKind::Text,
        })
}

/// The new text, and for a `set` the place, field and value set (to read it back).
pub(super) type Planned = (String, Option<(Pos, String, Typed)>);

/// The new text of `src` after `op`, and the value set (to check it reads back).
pub(super) fn plan(
    src: &str,
    root: &Node,
    op: &Op,
    templates: &Templates,
) -> Result<Planned, EditError> {
    let pos = op.src();
    let found = find(root, pos).ok_or(EditError::NoSuchPlace { pos })?;
    match op {
        Op::Set { field, value, .. } => {
            let kind = field_kind(&found, field, templates);
            let typed = value::parse(kind, value).map_err(|(vi, en)| EditError::Value {
                pos,
                field: field.clone(),
                vi,
                en,
            })?;
            let typed = match (&typed, found.is_plan, field.as_str()) {
                // The plan's number and date are `~` until issued and signed.
                (Typed::Text(t), true, "number") if t.is_empty() => Typed::Null,
                _ => typed,
            };
            let text =
                set(src, found.map, field, &typed).ok_or_else(|| EditError::Unsupported {
                    pos,
                    field: Some(field.clone()),
                })?;
            Ok((text, Some((pos, field.clone(), typed))))
        }
        Op::Delete { .. } => {
            let (items, i) = found.parent.ok_or(EditError::NotARow { pos })?;
            let r = extent(src, &items[i]).ok_or(EditError::Unsupported { pos, field: None })?;
            Ok((format!("{}{}", &src[..r.0], &src[r.1..]), None))
        }
        Op::MoveUp { .. } | Op::MoveDown { .. } => {
            let (items, i) = found.parent.ok_or(EditError::NotARow { pos })?;
            let (a, b) = match op {
                Op::MoveUp { .. } if i > 0 => (i - 1, i),
                Op::MoveDown { .. } if i + 1 < items.len() => (i, i + 1),
                _ => return Err(EditError::CannotMove { pos }),
            };
            let ea = extent(src, &items[a]).ok_or(EditError::Unsupported { pos, field: None })?;
            let eb = extent(src, &items[b]).ok_or(EditError::Unsupported { pos, field: None })?;
            let first = ensure_newline(&src[ea.0..ea.1]);
            let second = ensure_newline(&src[eb.0..eb.1]);
            let (gap, tail) = (&src[ea.1..eb.0], &src[eb.1..]);
            let mut out = format!("{}{second}{gap}{first}{tail}", &src[..ea.0]);
            if tail.is_empty() && !src.ends_with('\n') {
                out.pop();
            }
            Ok((out, None))
        }
        Op::InsertBefore { .. } | Op::InsertAfter { .. } => {
            let (items, i) = found.parent.ok_or(EditError::NotARow { pos })?;
            let e = extent(src, &items[i]).ok_or(EditError::Unsupported { pos, field: None })?;
            let dash =
                dash_col(src, &items[i]).ok_or(EditError::Unsupported { pos, field: None })?;
            let row = new_row(found.template.as_deref(), templates, dash)
                .ok_or(EditError::NotARow { pos })?;
            let text = match op {
                Op::InsertBefore { .. } => format!("{}{row}{}", &src[..e.0], &src[e.0..]),
                _ => {
                    let head = ensure_newline(&src[..e.1]);
                    format!("{head}{row}{}", &src[e.1..])
                }
            };
            Ok((text, None))
        }
    }
}

fn ensure_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_owned()
    } else {
        format!("{s}\n")
    }
}

/// A new row of `template`: its fields in column order (not the number, nor sums),
/// each empty, its dash at column `dash`.
fn new_row(template: Option<&str>, templates: &Templates, dash: usize) -> Option<String> {
    let kind = templates.kind(template?)?;
    let fields: Vec<&str> = kind
        .layout
        .columns
        .iter()
        .filter(|c| c.kind != ColumnKind::Number && c.sum_of.is_empty())
        .map(|c| c.field.as_str())
        .collect();
    let pad = " ".repeat(dash);
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        out.push_str(&pad);
        out.push_str(if i == 0 { "- " } else { "  " });
        out.push_str(f);
        out.push_str(":\n");
    }
    (!out.is_empty()).then_some(out)
}

fn line_start(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(src: &str, at: usize) -> usize {
    src[at..].find('\n').map_or(src.len(), |i| at + i + 1)
}

/// The column of the dash of list entry `item` (on its first line, before it).
fn dash_col(src: &str, item: &Node) -> Option<usize> {
    let o = item.origin?;
    let start = line_start(src, o.start);
    let before = &src[start..o.start];
    let trimmed = before.trim_start_matches(' ');
    let rest = trimmed.strip_prefix('-')?;
    rest.chars()
        .all(|c| c == ' ')
        .then_some(before.len() - trimmed.len())
}

/// The bytes of list entry `item`'s lines: from the comment lines just above its dash
/// (at the dash's indentation, no blank line between) to the end of its last line.
fn extent(src: &str, item: &Node) -> Option<(usize, usize)> {
    let o = item.origin?;
    let dash = dash_col(src, item)?;
    let mut start = line_start(src, o.start);
    while start > 0 {
        let above = line_start(src, start - 1);
        let line = &src[above..start - 1];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == dash && line.trim_start().starts_with('#') {
            start = above;
        } else {
            break;
        }
    }
    Some((start, line_end(src, o.end.max(o.start))))
}

/// Where a value is: its origin, except that a block list written with its dashes at its
/// key's column (`key:` then `- a` under the key) starts at its first dash, where the
/// parser's origin starts after it.
fn origin_of(src: &str, value: &Node) -> Option<Span> {
    let mut o = value.origin?;
    if matches!(value.kind, Kind::Seq(_))
        && !matches!(src.as_bytes().get(o.start), Some(b'-' | b'['))
    {
        let start = line_start(src, o.start);
        let before = &src[start..o.start];
        let trimmed = before.trim_start_matches(' ');
        if let Some(rest) = trimmed.strip_prefix('-')
            && rest.chars().all(|c| c == ' ')
        {
            let col = before.len() - trimmed.len();
            o.start = start + col;
            o.pos.column = u32::try_from(col + 1).ok()?;
        }
    }
    Some(o)
}

/// The old value's style.
fn style_of(src: &str, value: &Node) -> Style {
    let Some(o) = origin_of(src, value) else {
        return Style::None;
    };
    match (&value.kind, src.as_bytes().get(o.start)) {
        (Kind::Null, _) => Style::None,
        (Kind::Seq(_), Some(b'[')) => Style::FlowList,
        (Kind::Seq(_), _) => Style::BlockList(o.pos.column.saturating_sub(1) as usize),
        (_, Some(b'\'')) => Style::Single,
        (_, Some(b'"')) => Style::Double,
        (_, Some(b'>')) => Style::Folded,
        (_, Some(b'|')) => Style::Literal,
        _ => Style::Plain,
    }
}

/// `src` with field `field` of mapping `map` set to `typed`.
fn set(src: &str, map: &Node, field: &str, typed: &Typed) -> Option<String> {
    let Kind::Map(entries) = &map.kind else {
        return None;
    };
    let mo = map.origin?;
    if src.as_bytes().get(mo.start) == Some(&b'{') {
        return None;
    }
    match entries.iter().find(|(k, _)| k.name == field) {
        Some((key, v)) => {
            let ko = key.origin?;
            let place = Place {
                key_col: ko.pos.column.saturating_sub(1) as usize,
                key_len: field.chars().count(),
            };
            let old = style_of(src, v);
            let w = value::write(typed, old, place);
            let colon = src[ko.end..].find(':').map(|i| ko.end + i + 1)?;
            let origin = origin_of(src, v);
            let on_key_line = origin.is_some_and(|o| !src[colon..o.start].contains('\n'));
            let (from, to, text) = match origin {
                None => (colon, colon, lead(&w, place)),
                Some(o) if w.block_list && on_key_line => (colon, o.end, lead(&w, place)),
                Some(o) if !w.block_list && !on_key_line => (colon, o.end, format!(" {}", w.text)),
                Some(o) => (o.start, o.end, w.text),
            };
            let (to, text) = keep_comment(src, colon, from, to, text);
            Some(format!("{}{text}{}", &src[..from], &src[to..]))
        }
        None => {
            let first = entries.first()?.0.origin?;
            let place = Place {
                key_col: first.pos.column.saturating_sub(1) as usize,
                key_len: field.chars().count(),
            };
            let w = value::write(typed, Style::None, place);
            let at = line_end(src, mo.end);
            let newline = if src[..at].ends_with('\n') { "" } else { "\n" };
            let line = format!(
                "{newline}{}{field}:{}\n",
                " ".repeat(place.key_col),
                lead(&w, place)
            );
            Some(format!("{}{line}{}", &src[..at], &src[at..]))
        }
    }
}

/// A comment after the value on the key's line stays there, after the new value or
/// after the header of a new block (`>-`, `|-`, a list's key) — not in the block, where
/// it would be text, nor lost with an old value written below the key or an old block's
/// header.
fn keep_comment(src: &str, colon: usize, from: usize, to: usize, text: String) -> (usize, String) {
    let eol = src[colon..].find('\n').map_or(src.len(), |i| colon + i);
    if from > eol {
        return (to, text);
    }
    // After the old value when it ends on the key's line; else in the bytes replaced:
    // after the colon, or after an old block's header (`>-   # …`).
    let rest = if to <= eol {
        &src[to..eol]
    } else {
        let replaced = &src[from..eol];
        if replaced.starts_with(['>', '|']) {
            replaced.trim_start_matches(|c: char| "|>+-".contains(c) || c.is_ascii_digit())
        } else {
            replaced
        }
    };
    if !rest.trim_start().starts_with('#') {
        return (to, text);
    }
    let text = match text.split_once('\n') {
        Some((first, more)) => format!("{first}{rest}\n{more}"),
        None => format!("{text}{rest}"),
    };
    (to.max(eol), text)
}

/// What follows a key's colon: ` value`, or a block list on the lines below.
fn lead(w: &value::Written, place: Place) -> String {
    if w.block_list {
        format!("\n{}{}", " ".repeat(place.key_col + 2), w.text)
    } else {
        format!(" {}", w.text)
    }
}
