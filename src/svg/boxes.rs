//! The boxes over a part's heading that the preview's editor opens: the appendix title
//! and each plan field its templates mark (number, symbol, date, issuer).
//!
//! Contract: each box is a transparent `<rect class="cell">` carrying `data-src` (the
//! YAML mapping the value is in) and `data-field` (its key); nothing is drawn.

use std::fmt::Write as _;

use super::text::{advance, escape, number};
use crate::layout::{Role, TextRun};

/// A transparent box over the appendix title's lines (the heading block's second
/// paragraph), carrying the appendix's `data-src` and `data-field="title"`.
pub(super) fn title_box(out: &mut String, runs: &[&TextRun]) {
    let title: Vec<&&TextRun> = runs.iter().filter(|r| r.role == Role::Heading(1)).collect();
    let Some(pos) = title.iter().find_map(|r| r.origin).map(|o| o.pos) else {
        return;
    };
    let top = title
        .iter()
        .map(|r| r.baseline - r.size)
        .fold(f32::INFINITY, f32::min);
    let bottom = title
        .iter()
        .map(|r| r.baseline + r.size * 0.3)
        .fold(f32::NEG_INFINITY, f32::max);
    let left = title.iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
    let right = title
        .iter()
        .map(|r| r.x + advance(r))
        .fold(f32::NEG_INFINITY, f32::max);
    if !(top.is_finite() && bottom.is_finite() && left.is_finite() && right.is_finite()) {
        return;
    }
    let _ = write!(
        out,
        "<rect class=\"cell\" data-src=\"{}:{}\" data-field=\"title\" fill=\"transparent\" x=\"",
        pos.line, pos.column
    );
    number(out, left);
    out.push_str("\" y=\"");
    number(out, top);
    out.push_str("\" width=\"");
    number(out, right - left);
    out.push_str("\" height=\"");
    number(out, bottom - top);
    out.push_str("\"/>");
}

/// A transparent box over each plan field the heading prints (number, symbol, date,
/// issuer: where the part's templates mark them), one per line it is on, carrying the
/// `plan:` block's `data-src` and the field's key as `data-field`. A paragraph whose
/// lines do not add up to its text (a layout that changed it) gets no boxes rather than
/// misplaced ones.
pub(super) fn field_boxes(out: &mut String, part: &crate::document::Part, runs: &[&TextRun]) {
    for field in &part.fields {
        let Some(pos) = field.origin.map(|o| o.pos) else {
            continue;
        };
        let Some(paragraph) = part.heading.get(field.paragraph) else {
            continue;
        };
        let lines: Vec<&&TextRun> = runs
            .iter()
            .filter(|r| r.role == Role::Heading(field.paragraph))
            .collect();
        let joined: String = lines.iter().map(|r| r.text.as_str()).collect();
        if lines.is_empty() || joined != paragraph.text {
            continue;
        }
        let mut start = 0usize;
        for run in lines {
            let end = start + run.text.len();
            let (from, to) = (field.range.start.max(start), field.range.end.min(end));
            if from < to {
                let x_at = |at: usize| {
                    run.x
                        + run
                            .glyphs
                            .iter()
                            .filter(|g| g.text.start < at - start)
                            .map(|g| g.advance)
                            .sum::<f32>()
                };
                let (left, right) = (x_at(from), x_at(to));
                if right > left {
                    let _ = write!(
                        out,
                        "<rect class=\"cell\" data-src=\"{}:{}\" data-field=\"",
                        pos.line, pos.column
                    );
                    escape(out, &field.field);
                    out.push_str("\" fill=\"transparent\" x=\"");
                    number(out, left);
                    out.push_str("\" y=\"");
                    number(out, run.baseline - run.size);
                    out.push_str("\" width=\"");
                    number(out, right - left);
                    out.push_str("\" height=\"");
                    number(out, run.size * 1.3);
                    out.push_str("\"/>");
                }
            }
            start = end;
        }
    }
}
