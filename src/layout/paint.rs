//! Paint: the colour and line cap of every stroke, and the order strokes are laid down
//! in — decided here, once, for every writer of the frames (the value types are
//! [`super::frame`]'s, what a frame carries).
//!
//! Contract: layout puts a [`Paint`] on each [`Stroke`] it makes (borders and rules get
//! [`Paint::BORDER`], change marks [`Paint::mark`]); the PDF and SVG writers only
//! translate these values into their formats and never choose a colour or a cap
//! themselves. [`PageFrame::borders`] and [`PageFrame::marks`] hand the strokes of a page
//! over in groups of one paint and one width, in a fixed order, so a writer draws each
//! group as one path (small output) and the same frames give the same bytes.

use std::cmp::Ordering;

use super::frame::{Colour, Element, LineCap, PageFrame, Paint, RedlineKind, Stroke};

impl Paint {
    /// Borders and rules: black in grey scale; square caps close the corners where
    /// horizontal and vertical borders meet.
    pub const BORDER: Paint = Paint {
        colour: Colour::Grey(0),
        cap: LineCap::Square,
    };

    /// A change mark of `kind`: underlines of inserted text blue, strike-throughs of
    /// deleted text red, change bars black (so they survive a black-and-white copy), all
    /// plain sRGB. Butt caps: a mark ends where its text ends, and the bars of
    /// consecutive rows meet without overlapping.
    pub const fn mark(kind: RedlineKind) -> Paint {
        let colour = match kind {
            RedlineKind::Inserted => Colour::Rgb(0, 90, 200),
            RedlineKind::Deleted => Colour::Rgb(200, 0, 0),
            RedlineKind::ChangeBar => Colour::Rgb(0, 0, 0),
        };
        Paint {
            colour,
            cap: LineCap::Butt,
        }
    }
}

/// Strokes of one paint and one width, to be drawn as one path.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    /// Their paint.
    pub paint: Paint,
    /// Their thickness in points (above zero).
    pub width: f32,
    /// The strokes, in the page's order.
    pub strokes: Vec<&'a Stroke>,
}

/// Change marks of one kind, one paint and one width, to be drawn as one path.
#[derive(Debug, Clone)]
pub struct Marks<'a> {
    /// What they show.
    pub kind: RedlineKind,
    /// The strokes.
    pub lines: Lines<'a>,
}

/// The order change marks are laid down in: underlines, then strike-throughs, then bars.
fn mark_rank(kind: RedlineKind) -> u8 {
    match kind {
        RedlineKind::Inserted => 0,
        RedlineKind::Deleted => 1,
        RedlineKind::ChangeBar => 2,
    }
}

impl PageFrame {
    /// The page's borders and rules with a visible width, one group per paint and width,
    /// thinnest first; empty when the page has none.
    pub fn borders(&self) -> Vec<Lines<'_>> {
        let strokes = self.elements.iter().filter_map(|e| match e {
            Element::Stroke(s) => Some(s),
            _ => None,
        });
        group(strokes.map(|s| ((), s)), |_, _| Ordering::Equal)
            .into_iter()
            .map(|((), lines)| lines)
            .collect()
    }

    /// The page's change marks with a visible width, one group per kind, paint and width:
    /// by kind (inserted, deleted, change bars), then thinnest first; empty when the page
    /// has none.
    pub fn marks(&self) -> Vec<Marks<'_>> {
        let strokes = self.elements.iter().filter_map(|e| match e {
            Element::Redline(r) => Some((r.kind, &r.stroke)),
            _ => None,
        });
        group(strokes, |a, b| mark_rank(*a).cmp(&mark_rank(*b)))
            .into_iter()
            .map(|(kind, lines)| Marks { kind, lines })
            .collect()
    }
}

/// Groups `strokes` of a positive width by (key, paint, width), keeping the page's order
/// within a group; groups are sorted by `order` of their keys, then by width, and
/// otherwise stay in the order they first appear.
fn group<'a, K: Copy + PartialEq>(
    strokes: impl Iterator<Item = (K, &'a Stroke)>,
    order: impl Fn(&K, &K) -> Ordering,
) -> Vec<(K, Lines<'a>)> {
    let mut groups: Vec<(K, Lines<'a>)> = Vec::new();
    for (key, stroke) in strokes.filter(|(_, s)| s.width > 0.0) {
        let found = groups.iter_mut().find(|(k, lines)| {
            *k == key && lines.paint == stroke.paint && lines.width == stroke.width
        });
        match found {
            Some((_, lines)) => lines.strokes.push(stroke),
            None => groups.push((
                key,
                Lines {
                    paint: stroke.paint,
                    width: stroke.width,
                    strokes: vec![stroke],
                },
            )),
        }
    }
    // A stable sort: groups equal in key and width keep their first-appearance order.
    groups.sort_by(|(ka, a), (kb, b)| order(ka, kb).then(a.width.total_cmp(&b.width)));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::frame::Redline;

    fn line(y: f32, width: f32, paint: Paint) -> Stroke {
        Stroke {
            x1: 0.0,
            y1: y,
            x2: 10.0,
            y2: y,
            width,
            paint,
        }
    }

    fn frame(elements: Vec<Element>) -> PageFrame {
        PageFrame {
            part: 0,
            index_in_part: 0,
            width: 100.0,
            height: 100.0,
            elements,
        }
    }

    #[test]
    fn borders_group_by_paint_and_width_thinnest_first_skipping_invisible_ones() {
        let grey = Paint {
            colour: Colour::Grey(128),
            cap: LineCap::Butt,
        };
        let page = frame(vec![
            Element::Stroke(line(1.0, 1.0, Paint::BORDER)),
            Element::Stroke(line(2.0, 0.5, Paint::BORDER)),
            Element::Stroke(line(3.0, 1.0, grey)),
            Element::Stroke(line(4.0, 1.0, Paint::BORDER)),
            Element::Stroke(line(5.0, 0.0, Paint::BORDER)),
            Element::Stroke(line(6.0, f32::NAN, Paint::BORDER)),
        ]);
        let groups = page.borders();
        let got: Vec<(f32, Paint, Vec<f32>)> = groups
            .iter()
            .map(|g| (g.width, g.paint, g.strokes.iter().map(|s| s.y1).collect()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0.5, Paint::BORDER, vec![2.0]),
                (1.0, Paint::BORDER, vec![1.0, 4.0]),
                (1.0, grey, vec![3.0]),
            ]
        );
        assert!(frame(Vec::new()).borders().is_empty());
    }

    #[test]
    fn marks_come_by_kind_then_width_with_their_own_paint() {
        let mark = |kind, y, width| {
            Element::Redline(Redline {
                kind,
                stroke: line(y, width, Paint::mark(kind)),
            })
        };
        let page = frame(vec![
            mark(RedlineKind::ChangeBar, 1.0, 1.5),
            mark(RedlineKind::Deleted, 2.0, 0.6),
            mark(RedlineKind::Inserted, 3.0, 0.7),
            mark(RedlineKind::Inserted, 4.0, 0.6),
            Element::Stroke(line(5.0, 1.0, Paint::BORDER)),
        ]);
        let got: Vec<(RedlineKind, f32, Vec<f32>)> = page
            .marks()
            .iter()
            .map(|m| {
                assert_eq!(m.lines.paint, Paint::mark(m.kind));
                let ys = m.lines.strokes.iter().map(|s| s.y1).collect();
                (m.kind, m.lines.width, ys)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (RedlineKind::Inserted, 0.6, vec![4.0]),
                (RedlineKind::Inserted, 0.7, vec![3.0]),
                (RedlineKind::Deleted, 0.6, vec![2.0]),
                (RedlineKind::ChangeBar, 1.5, vec![1.0]),
            ]
        );
    }
}
