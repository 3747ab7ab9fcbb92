//! A recognised [`Plan`] written as a plan file in the house style of
//! `data/ke-hoach-05-nq-du.yaml`.
//!
//! Contract: [`to_yaml`] gives text that loads back into the same plan: the `$schema`
//! line, `plan:` with blanks as `~`, each appendix under a `# PHỤ LỤC I` comment, the
//! shallowest structure that says the same thing (`items:` or `groups:` directly under
//! the appendix where the table has no section rows), a `# 4.2` comment before each
//! numbered row, agencies as `- ` lists, long cells as folded `>-` scalars wrapped near
//! 100 columns, multi-line text as `|-`, anything a plain scalar could misread
//! double-quoted. Only fields with a value are written (an absent field is an empty
//! cell).

use std::fmt::Write as _;

use crate::compose::numbering;
use crate::compose::templates::Templates;
use crate::model::{Field, Group, Item, Plan, Section};

/// Where lines are wrapped.
const WIDTH: usize = 100;

/// The plan as YAML text.
/// `schema` is the path of `phuluc.schema.json` relative to the file being written (for
/// the editor's `$schema` line); `source` names the Word file in the opening comment.
pub fn to_yaml(plan: &Plan, templates: &Templates, schema: &str, source: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# yaml-language-server: $schema={schema}");
    let _ = writeln!(
        out,
        "# Nhập từ {source} bằng phuluc import: kiểm tra lại các cảnh báo."
    );
    out.push_str("version: 1\nplan:\n");
    let m = &plan.meta;
    scalar(&mut out, 2, "kind", &m.kind);
    match &m.number {
        Some(n) => scalar(&mut out, 2, "number", n),
        None => out.push_str("  number: ~\n"),
    }
    scalar(&mut out, 2, "symbol", &m.symbol);
    match m.date {
        Some(d) => {
            let _ = writeln!(out, "  date: {:04}-{:02}-{:02}", d.year, d.month, d.day);
        }
        None => out.push_str("  date: ~\n"),
    }
    match m.year {
        Some(y) => {
            let _ = writeln!(out, "  year: {y}");
        }
        None => out.push_str("  year: ~\n"),
    }
    scalar(&mut out, 2, "issuer", &m.issuer);
    if !plan.agencies.is_empty() {
        out.push_str("agencies:\n");
        for n in &plan.agencies {
            let _ = writeln!(out, "  - {}", plain_or_quoted(n));
        }
    }
    out.push_str("appendices:\n");
    for (i, a) in plan.appendices.iter().enumerate() {
        let number = a.number.clone().unwrap_or_else(|| numbering::roman(i + 1));
        let _ = writeln!(out, "  # PHỤ LỤC {number}");
        let _ = writeln!(out, "  - template: {}", plain_or_quoted(&a.template));
        if let Some(n) = &a.number {
            scalar(&mut out, 4, "number", n);
        }
        scalar(&mut out, 4, "title", &a.title);
        // Fields in the template's column order, as a clerk reads the table.
        let order: Vec<String> = templates
            .kind(&a.template)
            .map(|k| k.layout.columns.iter().map(|c| c.field.clone()).collect())
            .unwrap_or_default();
        let order = &order;
        match a.sections.as_slice() {
            [s] if s.implicit => section_body(&mut out, 4, s, order),
            sections => {
                out.push_str("    sections:\n");
                for (si, s) in sections.iter().enumerate() {
                    let no = numbering::section_number(s.number.as_deref(), si);
                    let _ = writeln!(out, "      # {}", one_line(&no));
                    let mut first = true;
                    let mut lead = || {
                        if first {
                            first = false;
                            "      - "
                        } else {
                            "        "
                        }
                    };
                    if let Some(n) = &s.number {
                        out.push_str(lead());
                        scalar_inline(&mut out, 8, "number", n);
                    }
                    if let Some(h) = &s.heading {
                        out.push_str(lead());
                        scalar_inline(&mut out, 8, "heading", h);
                    }
                    let mut body = String::new();
                    section_body(&mut body, 8, s, order);
                    out.push_str(lead());
                    out.push_str(body.trim_start());
                }
            }
        }
    }
    out
}

/// A section's `items:` (one implicit group) or `groups:`.
fn section_body(out: &mut String, indent: usize, s: &Section, order: &[String]) {
    let pad = " ".repeat(indent);
    match s.groups.as_slice() {
        [g] if g.implicit => {
            let _ = writeln!(out, "{pad}items:");
            items(out, indent + 2, g, "", order);
        }
        [] => {
            let _ = writeln!(out, "{pad}items: []");
        }
        groups => {
            let _ = writeln!(out, "{pad}groups:");
            for (gi, g) in groups.iter().enumerate() {
                let no = numbering::group_number(g, gi);
                let _ = writeln!(out, "{pad}  # {}", one_line(&no));
                let mut lead = format!("{pad}  - ");
                if let Some(n) = &g.number {
                    out.push_str(&lead);
                    scalar_inline(out, indent + 4, "number", n);
                    lead = " ".repeat(indent + 4);
                }
                if let Some(h) = &g.heading {
                    out.push_str(&lead);
                    scalar_inline(out, indent + 4, "heading", h);
                    lead = " ".repeat(indent + 4);
                }
                out.push_str(&lead);
                out.push_str("items:\n");
                items(out, indent + 6, g, &no, order);
            }
        }
    }
}

fn items(out: &mut String, indent: usize, g: &Group, group_no: &str, order: &[String]) {
    let pad = " ".repeat(indent);
    if g.items.is_empty() {
        out.truncate(out.trim_end_matches('\n').len());
        out.push_str(" []\n");
        return;
    }
    for (i, item) in g.items.iter().enumerate() {
        let no = numbering::item_number(g, group_no, item, i);
        if no.is_empty() {
            let _ = writeln!(out, "{pad}# (dòng không đánh số)");
        } else {
            let _ = writeln!(out, "{pad}# {}", one_line(&no));
        }
        one_item(out, indent, item, order);
    }
}

fn one_item(out: &mut String, indent: usize, item: &Item, order: &[String]) {
    let pad = " ".repeat(indent);
    let mut lead = format!("{pad}- ");
    let inner = indent + 2;
    if item.number.is_none() && item.fields.is_empty() {
        let _ = writeln!(out, "{pad}- {{}}");
        return;
    }
    if let Some(n) = &item.number {
        out.push_str(&lead);
        scalar_inline(out, inner, "number", n);
        lead = " ".repeat(inner);
    }
    let rank = |k: &str| order.iter().position(|o| o == k).unwrap_or(usize::MAX);
    let mut fields: Vec<(&String, &Field)> = item.fields.iter().collect();
    fields.sort_by_key(|(k, _)| rank(k));
    for (key, field) in fields {
        out.push_str(&lead);
        lead = " ".repeat(inner);
        match field {
            Field::Text(t) => scalar_inline(out, inner, key, t),
            Field::List(names) => {
                let _ = writeln!(out, "{key}:");
                for n in names {
                    let _ = writeln!(out, "{}  - {}", " ".repeat(inner), plain_or_quoted(n));
                }
            }
            Field::Amount(d) | Field::Percent(d) => {
                let _ = writeln!(out, "{key}: {}", d.normalize());
            }
            Field::Date(d) => {
                let _ = writeln!(out, "{key}: {:04}-{:02}-{:02}", d.year, d.month, d.day);
            }
        }
    }
}

/// `key: value` on its own line at `indent`.
fn scalar(out: &mut String, indent: usize, key: &str, value: &str) {
    out.push_str(&" ".repeat(indent));
    scalar_inline(out, indent, key, value);
}

/// `key: value` where the line's indentation is already written; continuation lines of
/// a block scalar go at `indent + 2`.
fn scalar_inline(out: &mut String, indent: usize, key: &str, value: &str) {
    let inner = " ".repeat(indent + 2);
    if value.contains('\n') {
        if literal_safe(value) {
            let _ = writeln!(out, "{key}: |-");
            for line in value.split('\n') {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "{inner}{line}");
                }
            }
        } else {
            let _ = writeln!(out, "{key}: {}", quoted(value));
        }
        return;
    }
    let fits = indent + key.chars().count() + 2 + value.chars().count() <= WIDTH;
    if plain_safe(value) && fits {
        let _ = writeln!(out, "{key}: {value}");
    } else if fold_safe(value) && !fits {
        let _ = writeln!(out, "{key}: >-");
        for line in wrap(value, WIDTH.saturating_sub(indent + 2).max(40)) {
            let _ = writeln!(out, "{inner}{line}");
        }
    } else {
        let _ = writeln!(out, "{key}: {}", plain_or_quoted(value));
    }
}

/// `s` fit for a `#` comment: a number typed on two lines ("1" and "1" in one cell) must
/// not end the comment and start a line of YAML.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_control())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn plain_or_quoted(s: &str) -> String {
    if plain_safe(s) {
        s.to_owned()
    } else {
        quoted(s)
    }
}

/// Whether `s` reads back as the same string when written plain.
fn plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || s.chars().any(char::is_control) {
        return false;
    }
    if "?:,[]{}#&*!|>'\"%@`".contains(first) || s.starts_with("- ") || s == "-" {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    let lower = s.to_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
    ) {
        return false;
    }
    // Anything a YAML reader could take for a number or a date.
    let numberish = s
        .chars()
        .all(|c| c.is_ascii_hexdigit() || ".+-_:xXoO".contains(c));
    let starts = first.is_ascii_digit() || "+-.".contains(first);
    !(numberish && starts)
}

/// Whether a one-line `s` can be folded at its single spaces and read back unchanged.
fn fold_safe(s: &str) -> bool {
    plain_safe_content(s) && !s.contains("  ")
}

fn plain_safe_content(s: &str) -> bool {
    !s.is_empty() && s.trim() == s && !s.chars().any(char::is_control)
}

/// Whether multi-line `s` can be a `|-` literal: no line starting with a space (that
/// would need an indentation indicator), no trailing spaces, no control characters.
fn literal_safe(s: &str) -> bool {
    !s.starts_with('\n')
        && !s.ends_with('\n')
        && s.split('\n')
            .all(|l| !l.starts_with(' ') && l.trim_end() == l && !l.chars().any(char::is_control))
}

/// Double-quoted, with the escapes YAML knows.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words of `s` in lines of at most `width` characters (a longer word alone).
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_that_a_reader_could_misread_are_quoted() {
        for s in [
            "1.1", "2026", "yes", "- a", "a: b", "#x", "", " a", "0x1F", ".5", "a #b",
        ] {
            assert!(!plain_safe(s), "{s}");
        }
        for s in [
            "Thường xuyên",
            "Quý II/2026",
            "30/6/2026",
            "Phòng Văn hóa - Xã hội",
            "100% người",
        ] {
            assert!(plain_safe(s), "{s}");
        }
        assert_eq!(quoted("a\"b\\c\td"), r#""a\"b\\c\td""#);
    }

    #[test]
    fn folding_keeps_every_word_and_the_width() {
        let text = "từ ".repeat(80).trim_end().to_owned();
        let lines = wrap(&text, 90);
        assert!(lines.iter().all(|l| l.chars().count() <= 90));
        assert_eq!(lines.join(" "), text);
    }
}
