//! Warnings for plan fields left empty that an appendix's heading prints: a plan with
//! `symbol: ""`, an empty `issuer` or no `year` (and no `date`) composes, but its reference
//! line then reads “(Kèm theo Kế hoạch số /  ngày / / của )” — typically a plan imported
//! from a reference line the clerk typed in a form the importer could not read.
//!
//! Contract: a pure function of the validated plan, the YAML tree it came from (for the
//! field's line:column) and the templates. Whether a kind prints a field is asked of the
//! kind's own heading templates — each rendered with two different values of the field:
//! if the text changes, the template prints it — so a template that leaves the field out
//! is never warned about. Only what the file itself leaves empty is warned of: a field
//! missing, `~` or mistyped is already an error of validation.

use std::path::Path;

use super::templates::{LINE_TEMPLATES, Templates};
use super::{appendix_number, heading_form, line_data};
use crate::diag::{Diagnostic, Pos};
use crate::model::tree::{Kind, Node};
use crate::model::{Plan, PlanMeta};
use crate::text;

/// One field of `plan:` that a heading may print.
struct Field {
    key: &'static str,
    /// What it is, in Vietnamese and English.
    what: (&'static str, &'static str),
    /// The hint's example.
    example: (&'static str, &'static str),
    /// Whether `meta` leaves it empty.
    empty: fn(&PlanMeta) -> bool,
    /// `meta` with the field set to the `n`-th of two different values.
    probe: fn(&PlanMeta, usize) -> PlanMeta,
}

const FIELDS: [Field; 3] = [
    Field {
        key: "symbol",
        what: ("ký hiệu văn bản", "the document's symbol"),
        example: (
            "Điền “symbol:”, ví dụ “symbol: KH-UBND”.",
            "Fill in “symbol:”, e.g. “symbol: KH-UBND”.",
        ),
        empty: |m| m.symbol.trim().is_empty(),
        probe: |m, n| PlanMeta {
            symbol: format!("\u{E000}{n}"),
            ..m.clone()
        },
    },
    Field {
        key: "issuer",
        what: ("cơ quan ban hành", "the issuing body"),
        example: (
            "Điền “issuer:”, ví dụ “issuer: Ủy ban nhân dân phường Thạch Khôi”.",
            "Fill in “issuer:”, e.g. “issuer: Ủy ban nhân dân phường Thạch Khôi”.",
        ),
        empty: |m| m.issuer.trim().is_empty(),
        probe: |m, n| PlanMeta {
            issuer: format!("\u{E000}{n}"),
            ..m.clone()
        },
    },
    Field {
        key: "year",
        what: ("năm của kế hoạch", "the plan's year"),
        example: (
            "Điền “year:”, ví dụ “year: 2026” (hoặc “date:” khi đã ký).",
            "Fill in “year:”, e.g. “year: 2026” (or “date:” once signed).",
        ),
        empty: |m| m.year.is_none() && m.date.is_none(),
        probe: |m, n| PlanMeta {
            year: Some(2998 + u16::from(n == 1)),
            date: None,
            ..m.clone()
        },
    },
];

/// A warning for each field of `plan:` that is empty although the heading of an
/// appendix prints it (one per field, naming the first such appendix and the line as it
/// prints).
pub fn blank_plan_fields(
    plan: &Plan,
    root: &Node,
    templates: &Templates,
    path: &Path,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for field in &FIELDS {
        if !(field.empty)(&plan.meta) || !written_empty(root, field.key) {
            continue;
        }
        let Some((index, printed)) =
            plan.appendices.iter().enumerate().find_map(|(i, a)| {
                printing_line(&plan.meta, a, i, field, templates).map(|l| (i, l))
            })
        else {
            continue;
        };
        let appendix = &plan.appendices[index];
        let name = format!("Phụ lục {}", appendix_number(appendix, index));
        let key = field.key;
        let (vi, en) = field.what;
        out.push(
            Diagnostic::warning(text!(
                format!(
                    "“plan: {key}” ({vi}) đang để trống, nhưng mẫu “{}” của {name} in nó: dòng in ra là “{printed}”",
                    appendix.template
                ),
                format!(
                    "“plan: {key}” ({en}) is empty, but template “{}” of {name} prints it: the line reads “{printed}”",
                    appendix.template
                )
            ))
            .in_file(path)
            .at(position(root, key))
            .hint(text!(field.example.0, field.example.1)),
        );
    }
    out
}

/// The heading line of `appendix` that prints `field`, as it prints with the plan's
/// data, or `None` where no line of its kind prints it (or a line does not render:
/// compose reports that).
fn printing_line(
    meta: &PlanMeta,
    appendix: &crate::model::Appendix,
    index: usize,
    field: &Field,
    templates: &Templates,
) -> Option<String> {
    let number = appendix_number(appendix, index);
    let heading = heading_form(appendix, templates);
    let render = |m: &PlanMeta, line: &str| {
        templates
            .render_line(
                &appendix.template,
                line,
                &line_data(m, &number, appendix, &heading),
            )
            .ok()
    };
    let (a, b) = ((field.probe)(meta, 0), (field.probe)(meta, 1));
    LINE_TEMPLATES.iter().find_map(|line| {
        let (x, y) = (render(&a, line)?, render(&b, line)?);
        if x == y {
            return None;
        }
        render(meta, line)
    })
}

/// The `plan:` entry `key` as written: `None` where it is not written.
fn entry<'a>(root: &'a Node, key: &str) -> Option<&'a Node> {
    let Kind::Map(entries) = &root.kind else {
        return None;
    };
    let (_, plan) = entries.iter().find(|(k, _)| k.name == "plan")?;
    let Kind::Map(fields) = &plan.kind else {
        return None;
    };
    fields.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}

/// Whether the file itself leaves the field empty: `symbol: ""` written (a missing or
/// `~` symbol is already an error, a mistyped one too), no `year` nor `date` written.
fn written_empty(root: &Node, key: &str) -> bool {
    let blank = |key| match entry(root, key).map(|n| &n.kind) {
        None | Some(Kind::Null) => Some(true),
        Some(Kind::Scalar(s, _)) => Some(s.trim().is_empty()),
        Some(_) => None,
    };
    match key {
        "year" => blank("year") == Some(true) && blank("date") == Some(true),
        _ => {
            matches!(entry(root, key).map(|n| &n.kind), Some(Kind::Scalar(s, _)) if s.trim().is_empty())
        }
    }
}

/// Where to point: the field's value, else its key, else the `plan:` key.
fn position(root: &Node, key: &str) -> Option<Pos> {
    let Kind::Map(entries) = &root.kind else {
        return None;
    };
    let (plan_key, plan) = entries.iter().find(|(k, _)| k.name == "plan")?;
    let Kind::Map(fields) = &plan.kind else {
        return plan_key.pos;
    };
    match fields.iter().find(|(k, _)| k.name == key) {
        Some((k, v)) => v.origin.map(|o| o.pos).or(v.pos).or(k.pos),
        None => plan_key.pos,
    }
}
