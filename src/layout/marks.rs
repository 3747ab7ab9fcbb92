//! Change marks as lines: underlines below inserted text, strike-throughs across deleted
//! text, change bars beside changed rows.
//!
//! Contract: pure geometry. [`text_marks`] turns the marked byte ranges of one laid-out
//! line into horizontal [`Redline`]s spanning exactly the glyphs whose text the marks
//! cover (justification included, hanging trailing spaces excluded, so a line never
//! sticks out past the column); [`change_bar`] is the vertical bar in the left margin.
//! Positions follow the font's own decoration metrics: Times New Roman and its metric
//! twin Liberation Serif put the underline's top 0.053 em below the baseline and the
//! strike-out's top 0.259 em above it, both about 0.05 em thick (`post` and `OS/2`
//! tables); the constants below are the centres of those strokes. Each mark carries its
//! paint, [`Paint::mark`] of its kind.

use std::ops::Range;

use super::frame::{Element, Glyph, Paint, Redline, RedlineKind, Stroke};
use crate::document::MarkKind;

/// Centre of an underline below the baseline, in ems.
const UNDERLINE_EM: f32 = 0.078;

/// Centre of a strike-through above the baseline, in ems.
const STRIKE_EM: f32 = 0.234;

/// Thickness of underlines and strike-throughs, in ems.
const MARK_THICKNESS_EM: f32 = 0.05;

/// Width of a change bar, points.
pub(crate) const CHANGE_BAR_PT: f32 = 1.5;

/// Distance from the table's left edge to the change bar's centre, points: well clear of
/// the border, well inside any Decree 30 margin (30–35 mm).
const CHANGE_BAR_GAP_PT: f32 = 6.0;

/// Pushes the underlines and strike-throughs of one line: `text` and `glyphs` as in
/// [`super::TextRun`], `marks` byte ranges of `text`, the line's baseline starting at
/// (`x`, `baseline`), set at `size` points.
pub(crate) fn text_marks(
    text: &str,
    glyphs: &[Glyph],
    marks: &[(Range<usize>, MarkKind)],
    (x, baseline): (f32, f32),
    size: f32,
    out: &mut Vec<Element>,
) {
    if size <= 0.0 {
        return;
    }
    // Trailing spaces hang in the margin: marking them would draw past the column.
    let visible = text.trim_end().len();
    let thickness = (MARK_THICKNESS_EM * size).max(0.25);
    for (range, kind) in marks {
        let (start, end) = (range.start, range.end.min(visible));
        if start >= end {
            continue;
        }
        let mut pen = x;
        let mut span: Option<(f32, f32)> = None;
        for g in glyphs {
            let covered = if g.text.is_empty() {
                (start..end).contains(&g.text.start)
            } else {
                g.text.start < end && g.text.end > start
            };
            if covered {
                let from = span.map_or(pen, |(from, _)| from);
                span = Some((from, pen + g.advance));
            }
            pen += g.advance;
        }
        let Some((x1, x2)) = span else {
            continue;
        };
        let (kind, y) = match kind {
            MarkKind::Inserted => (RedlineKind::Inserted, baseline + UNDERLINE_EM * size),
            MarkKind::Deleted => (RedlineKind::Deleted, baseline - STRIKE_EM * size),
        };
        out.push(Element::Redline(Redline {
            kind,
            stroke: Stroke {
                x1,
                y1: y,
                x2,
                y2: y,
                width: thickness,
                paint: Paint::mark(kind),
            },
        }));
    }
}

/// The change bar beside a row fragment running from `top` to `bottom`, for a table whose
/// left edge is at `table_left`; never off the page.
pub(crate) fn change_bar(table_left: f32, top: f32, bottom: f32) -> Element {
    let x = (table_left - CHANGE_BAR_GAP_PT).max(CHANGE_BAR_PT / 2.0);
    Element::Redline(Redline {
        kind: RedlineKind::ChangeBar,
        stroke: Stroke {
            x1: x,
            y1: top,
            x2: x,
            y2: bottom,
            width: CHANGE_BAR_PT,
            paint: Paint::mark(RedlineKind::ChangeBar),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: Range<usize>, advance: f32) -> Glyph {
        Glyph {
            id: 1,
            advance,
            x_offset: 0.0,
            y_offset: 0.0,
            text,
        }
    }

    fn strokes(out: &[Element]) -> Vec<Redline> {
        out.iter()
            .filter_map(|e| match e {
                Element::Redline(r) => Some(*r),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn marks_span_the_glyphs_of_their_text_but_not_trailing_spaces() {
        // "ab cd " — glyphs 10 pt each.
        let text = "ab cd ";
        let glyphs: Vec<Glyph> = (0..6).map(|i| glyph(i..i + 1, 10.0)).collect();
        let mut out = Vec::new();
        let marks = [(0..3, MarkKind::Deleted), (3..6, MarkKind::Inserted)];
        text_marks(text, &glyphs, &marks, (100.0, 50.0), 10.0, &mut out);
        let got = strokes(&out);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].kind, RedlineKind::Deleted);
        assert_eq!((got[0].stroke.x1, got[0].stroke.x2), (100.0, 130.0));
        assert!(got[0].stroke.y1 < 50.0, "strike above the baseline");
        assert_eq!(got[1].kind, RedlineKind::Inserted);
        // The trailing space hangs: the underline stops after "cd".
        assert_eq!((got[1].stroke.x1, got[1].stroke.x2), (130.0, 150.0));
        assert!(got[1].stroke.y1 > 50.0, "underline below the baseline");
    }

    #[test]
    fn a_cluster_of_several_bytes_counts_whole_and_nothing_is_drawn_for_spaces_alone() {
        let text = "ệ x ";
        // "ệ" is 3 bytes, one glyph.
        let glyphs = vec![glyph(0..3, 8.0), glyph(3..4, 3.0), glyph(4..5, 6.0)];
        let mut out = Vec::new();
        text_marks(
            text,
            &glyphs,
            &[(1..3, MarkKind::Inserted), (5..6, MarkKind::Deleted)],
            (0.0, 0.0),
            13.0,
            &mut out,
        );
        let got = strokes(&out);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].stroke.x1, got[0].stroke.x2), (0.0, 8.0));
    }

    #[test]
    fn change_bar_stays_on_the_page() {
        let Element::Redline(bar) = change_bar(85.0, 10.0, 40.0) else {
            panic!("a redline");
        };
        assert_eq!(bar.kind, RedlineKind::ChangeBar);
        assert_eq!(bar.stroke.x1, bar.stroke.x2);
        assert!(bar.stroke.x1 < 85.0 && bar.stroke.x1 > 0.0);
        let Element::Redline(bar) = change_bar(2.0, 10.0, 40.0) else {
            panic!("a redline");
        };
        assert!(bar.stroke.x1 - bar.stroke.width / 2.0 >= 0.0);
    }
}
