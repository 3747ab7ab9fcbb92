//! Tests of pagination: page breaks, repeated header rows, split and kept rows, page
//! numbers and change marks, judged on the frames `layout` returns.

use crate::document::{Document, RowKind};
use crate::fonts::FontSet;
use crate::layout::sample;
use crate::layout::{
    Element, Frames, PageFrame, Paint, Redline, RedlineKind, Role, RowRef, TextRun, layout,
};

fn runs(page: &PageFrame) -> impl Iterator<Item = &TextRun> {
    page.elements.iter().filter_map(|e| match e {
        Element::Text(t) => Some(t),
        Element::Stroke(_) | Element::Redline(_) => None,
    })
}

fn frames(doc: &Document) -> Frames {
    layout(doc, &FontSet::builtin()).expect("layout")
}

/// Text of one cell, gathered over all pages in order.
fn cell_text(frames: &Frames, part: usize, row: RowRef, cell: usize) -> (String, usize) {
    let mut text = String::new();
    let mut pages = 0;
    for page in frames.pages.iter().filter(|p| p.part == part) {
        let mut here = false;
        for run in runs(page) {
            if run.role == (Role::Cell { row, cell }) {
                text.push_str(&run.text);
                text.push(' ');
                here = true;
            }
        }
        pages += usize::from(here);
    }
    (text, pages)
}

#[test]
fn pages_are_handed_on_finished_in_order() {
    let doc = sample::document();
    let mut streamed = Vec::new();
    crate::layout::layout_each(&doc, &FontSet::builtin(), &mut |p| streamed.push(p))
        .expect("layout");
    assert!(streamed.len() > 4, "the sample spans several pages");
    // In order, numbered from 0 within each part.
    assert_eq!((streamed[0].part, streamed[0].index_in_part), (0, 0));
    for pair in streamed.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            (b.part == a.part && b.index_in_part == a.index_in_part + 1)
                || (b.part == a.part + 1 && b.index_in_part == 0),
            "{}/{} then {}/{}",
            a.part,
            a.index_in_part,
            b.part,
            b.index_in_part
        );
    }
    // Finished when handed on: the page number is already there (none on a part's
    // first page), and nothing is added to a page afterwards.
    for page in &streamed {
        let numbered = runs(page).any(|r| r.role == Role::PageNumber);
        assert_eq!(
            numbered,
            page.index_in_part > 0,
            "page {}",
            page.index_in_part
        );
    }
}

#[test]
fn parts_start_on_new_pages_and_everything_stays_inside_the_margins() {
    let doc = sample::document();
    let frames = frames(&doc);
    assert_eq!(frames.pages[0].part, 0);
    let second = frames.first_page_of(1).expect("part II has pages");
    assert!(second > 1);
    assert_eq!(frames.pages[second].index_in_part, 0);
    for page in &frames.pages {
        let part = &doc.parts[page.part];
        let bottom = page.height - crate::layout::mm(part.page.margins.bottom);
        for run in runs(page).filter(|r| r.role != Role::PageNumber) {
            let descent = run.size * 443.0 / 2048.0;
            assert!(
                run.baseline + descent <= bottom + 0.01,
                "{run:?} below {bottom}"
            );
            let right = page.width - crate::layout::mm(part.page.margins.right);
            let end = run.x + run.glyphs.iter().map(|g| g.advance).sum::<f32>();
            let trailing: f32 = run.text.len() as f32 - run.text.trim_end().len() as f32;
            assert!(
                end <= right + 0.01 + trailing * run.size,
                "{run:?} past {right}"
            );
        }
    }
}

#[test]
fn a_row_split_across_pages_loses_no_word() {
    let doc = sample::document();
    let frames = frames(&doc);
    let body = &doc.parts[0].table.body;
    for (r, row) in body.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            let (text, _) = cell_text(&frames, 0, RowRef::Body(r), c);
            let want: String = cell.text.split_whitespace().collect();
            let got: String = text.split_whitespace().collect();
            assert_eq!(got, want, "row {r} cell {c}");
        }
    }
    // The long cell really is split: it shows on at least two pages.
    let long = body.iter().position(|r| r.label == "mục 8").expect("row");
    let (_, pages) = cell_text(&frames, 0, RowRef::Body(long), 1);
    assert!(pages >= 2, "long cell on {pages} pages");
}

#[test]
fn header_rows_repeat_as_artifacts_on_later_pages() {
    let doc = sample::document();
    let frames = frames(&doc);
    let mut first = 0;
    let mut repeated = 0;
    for page in frames.pages.iter().filter(|p| p.part == 0) {
        let roles: Vec<Role> = runs(page).map(|r| r.role).collect();
        let has_body = roles.iter().any(|r| {
            matches!(
                r,
                Role::Cell {
                    row: RowRef::Body(_),
                    ..
                }
            )
        });
        let header_first = roles.contains(&Role::Cell {
            row: RowRef::Header(0),
            cell: 0,
        });
        let header_again = roles.contains(&Role::RepeatedHeader { row: 0, cell: 0 });
        if has_body {
            assert!(header_first || header_again, "header on every table page");
        }
        first += usize::from(header_first);
        repeated += usize::from(header_again);
    }
    assert_eq!(first, 1);
    assert!(repeated >= 1);
}

#[test]
fn page_numbers_restart_per_part_and_skip_the_first_page() {
    let doc = sample::document();
    let frames = frames(&doc);
    for page in &frames.pages {
        let numbers: Vec<&str> = runs(page)
            .filter(|r| r.role == Role::PageNumber)
            .map(|r| r.text.as_str())
            .collect();
        if page.index_in_part == 0 {
            assert!(numbers.is_empty());
        } else {
            assert_eq!(numbers, [(page.index_in_part + 1).to_string()]);
            let run = runs(page)
                .find(|r| r.role == Role::PageNumber)
                .expect("number");
            // Line top at header_mm (10 mm) from the top edge.
            let top = run.baseline - run.size * 1912.0 / 2048.0;
            assert!((top - crate::layout::mm(10.0)).abs() < 0.01);
        }
    }
}

#[test]
fn keep_with_next_rows_are_never_last_on_a_page() {
    // Many heading rows between items of varying length: some would land at a page
    // foot without the rule.
    let mut checked = 0;
    for extra in 0..10 {
        let mut doc = sample::document();
        let part = &mut doc.parts[1];
        let template = part.table.body[1].clone();
        let heading = part.table.body[0].clone();
        part.table.body.clear();
        for n in 0..30 {
            let mut h = heading.clone();
            h.label = format!("mục {n}");
            part.table.body.push(h);
            let mut item = template.clone();
            item.label = format!("mục {n}.1");
            let words = (n * 7 + extra * 13) % 40;
            item.cells[1].text = format!("{} {}", sample::SENTENCE, "lời ".repeat(words * 5));
            part.table.body.push(item);
        }
        let frames = frames(&doc);
        let body = &doc.parts[1].table.body;
        let pages: Vec<&PageFrame> = frames.pages.iter().filter(|p| p.part == 1).collect();
        for page in &pages[..pages.len() - 1] {
            let last = runs(page)
                .filter_map(|r| match r.role {
                    Role::Cell {
                        row: RowRef::Body(i),
                        ..
                    } => Some(i),
                    _ => None,
                })
                .max();
            if let Some(i) = last {
                assert!(
                    !body[i].keep_with_next,
                    "extra {extra}: kept row {i} ({:?}) last on page {}",
                    body[i].kind, page.index_in_part
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10);
    let _ = RowKind::Item;
}

/// The change marks of a page, by kind.
fn redlines(page: &PageFrame, kind: RedlineKind) -> Vec<Redline> {
    page.elements
        .iter()
        .filter_map(|e| match e {
            Element::Redline(r) if r.kind == kind => Some(*r),
            _ => None,
        })
        .collect()
}

#[test]
fn marks_add_lines_but_move_no_text() {
    let marked = sample::marked();
    let mut plain = marked.clone();
    for part in &mut plain.parts {
        for row in &mut part.table.body {
            row.change = None;
            for cell in &mut row.cells {
                cell.marks.clear();
            }
        }
    }
    let (a, b) = (frames(&marked), frames(&plain));
    assert_eq!(a.pages.len(), b.pages.len());
    for (pa, pb) in a.pages.iter().zip(&b.pages) {
        let ra: Vec<_> = runs(pa)
            .map(|r| (r.x, r.baseline, &r.text, &r.glyphs))
            .collect();
        let rb: Vec<_> = runs(pb)
            .map(|r| (r.x, r.baseline, &r.text, &r.glyphs))
            .collect();
        assert_eq!(ra, rb, "page {}", pa.index_in_part);
        assert!(
            pb.elements
                .iter()
                .all(|e| !matches!(e, Element::Redline(_)))
        );
    }
    let count = |kind| {
        a.pages
            .iter()
            .map(|p| redlines(p, kind).len())
            .sum::<usize>()
    };
    assert!(count(RedlineKind::Inserted) > 0);
    assert!(count(RedlineKind::Deleted) > 0);
}

#[test]
fn underlines_and_strikes_sit_on_their_lines_within_the_cell() {
    let doc = sample::marked();
    let frames = frames(&doc);
    let page = &frames.pages[0];
    // The changed row's text cell: "Lập hồ sơ [bản giấy viết tay ][bản điện tử ]…".
    let first = runs(page)
        .find(|r| r.text.starts_with("Lập hồ sơ"))
        .expect("the changed line");
    let right = first.x + first.glyphs.iter().map(|g| g.advance).sum::<f32>();
    let on_line = |r: &Redline| (r.stroke.y1 - first.baseline).abs() < first.size * 0.3;
    let strikes: Vec<Redline> = redlines(page, RedlineKind::Deleted)
        .into_iter()
        .filter(on_line)
        .collect();
    let unders: Vec<Redline> = redlines(page, RedlineKind::Inserted)
        .into_iter()
        .filter(on_line)
        .collect();
    assert_eq!((strikes.len(), unders.len()), (1, 1));
    let (s, u) = (strikes[0].stroke, unders[0].stroke);
    assert!(s.y1 < first.baseline && u.y1 > first.baseline);
    assert!(first.x < s.x1 && s.x2 <= u.x1 + 0.01 && u.x2 < right);
}

#[test]
fn changed_rows_get_a_change_bar_on_every_page_they_span() {
    let doc = sample::marked();
    let frames = frames(&doc);
    let body = &doc.parts[0].table.body;
    let long = body.iter().position(|r| r.label == "mục 8").expect("row");
    let mut barred_pages = 0;
    let mut long_pages = 0;
    for page in frames.pages.iter().filter(|p| p.part == 0) {
        let bars = redlines(page, RedlineKind::ChangeBar);
        let has_long = runs(page).any(|r| {
            r.role
                == Role::Cell {
                    row: RowRef::Body(long),
                    cell: 1,
                }
        });
        long_pages += usize::from(has_long);
        barred_pages += usize::from(has_long && !bars.is_empty());
        let left = crate::layout::mm(doc.parts[0].page.margins.left);
        for bar in &bars {
            assert_eq!(bar.stroke.x1, bar.stroke.x2, "vertical");
            assert!(
                bar.stroke.x1 < left && bar.stroke.x1 > 0.0,
                "in the left margin"
            );
            assert!(bar.stroke.y2 > bar.stroke.y1);
            assert_eq!(bar.stroke.width, 1.5);
        }
    }
    assert!(long_pages >= 2);
    assert_eq!(barred_pages, long_pages);
    // One bar per drawn fragment of a changed row: rows 2 (changed), 3 (removed), 5
    // (added) on the first page.
    assert_eq!(redlines(&frames.pages[0], RedlineKind::ChangeBar).len(), 3);
}

#[test]
fn rows_that_fit_a_page_are_never_split() {
    let doc = sample::document();
    let frames = frames(&doc);
    let part = &doc.parts[1];
    for (r, _) in part.table.body.iter().enumerate() {
        let (_, pages) = cell_text(&frames, 1, RowRef::Body(r), 1);
        assert!(pages <= 1, "row {r} split over {pages} pages");
    }
}

#[test]
fn layout_paints_borders_black_and_each_mark_by_its_kind() {
    let fonts = crate::fonts::FontSet::builtin();
    let frames = layout(&sample::marked(), &fonts).expect("layout");
    let (mut borders, mut marks) = (0, 0);
    for e in frames.pages.iter().flat_map(|p| &p.elements) {
        match e {
            Element::Stroke(s) => {
                assert_eq!(s.paint, Paint::BORDER);
                borders += 1;
            }
            Element::Redline(r) => {
                assert_eq!(r.stroke.paint, Paint::mark(r.kind));
                marks += 1;
            }
            Element::Text(_) => {}
        }
    }
    assert!(borders > 0 && marks > 0, "{borders} borders, {marks} marks");
    assert_eq!(
        Paint::mark(RedlineKind::Inserted).colour.rgb(),
        (0, 90, 200)
    );
    assert_eq!(Paint::mark(RedlineKind::Deleted).colour.rgb(), (200, 0, 0));
    assert_eq!(Paint::mark(RedlineKind::ChangeBar).colour.rgb(), (0, 0, 0));
}
