//! Tests of the SVG writer: one page per PDF frame, glyphs defined once per file, a text
//! layer and row sources that parse as XML, change marks in colour, errors not panics, and
//! the streamed pages byte for byte the ones [`Pages::standalone`] gives.

use super::*;
use crate::layout::sample;

fn pages(doc: &Document) -> Pages {
    match svg(doc, &SvgOptions::default()) {
        Ok(p) => p,
        Err(e) => panic!("svg failed: {e}"),
    }
}

#[test]
fn one_page_per_pdf_frame_and_deterministic() {
    let doc = sample::document();
    let a = pages(&doc);
    let b = pages(&doc);
    assert_eq!(a, b);
    let frames = layout::layout(&doc, &FontSet::builtin()).expect("layout");
    assert_eq!(a.pages.len(), frames.pages.len());
    for (page, frame) in a.pages.iter().zip(&frames.pages) {
        assert_eq!(
            (page.part, page.index_in_part),
            (frame.part, frame.index_in_part)
        );
    }
}

#[test]
fn glyphs_are_defined_once_and_used_many_times() {
    let doc = sample::document();
    let p = pages(&doc);
    let file = p.standalone(0).expect("page 0");
    let defs = file.matches("<path id=\"g").count();
    let uses = file.matches("<use href=\"#g").count();
    assert!(
        defs > 20 && uses > 5 * defs,
        "{defs} definitions, {uses} uses"
    );
    // Every id is defined exactly once in the file and every use has its definition.
    let mut ids: Vec<&str> = file
        .split("<path id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(n, ids.len(), "duplicate glyph definitions");
    for used in file.split("<use href=\"#").skip(1) {
        let id = used.split('"').next().unwrap_or_default();
        assert!(ids.binary_search(&id).is_ok(), "{id} used but not defined");
    }
    // The shared definitions hold every glyph of every page once.
    let all = p.defs();
    assert!(all.matches("<path id=").count() >= defs);
    assert!(!p.inline(0).expect("inline").contains("<defs>"));
}

#[test]
fn parses_as_xml_with_text_layer_and_row_sources() {
    let doc = sample::document();
    let mut doc = doc;
    for (p, part) in doc.parts.iter_mut().enumerate() {
        let at = |line: usize| {
            Some(Span {
                pos: crate::diag::Pos {
                    line: u32::try_from(line).unwrap_or(0),
                    column: 7,
                },
                start: 0,
                end: 0,
            })
        };
        part.origin = at(p + 1);
        for (r, row) in part.table.body.iter_mut().enumerate() {
            row.origin = at(100 * p + r);
        }
    }
    let opts = SvgOptions::default();
    let p = svg(&doc, &opts).expect("svg");
    let mut text = String::new();
    let mut labels = Vec::new();
    for i in 0..p.pages.len() {
        let file = p.standalone(i).expect("page");
        let xml = roxmltree::Document::parse(&file).expect("well-formed SVG");
        for node in xml.descendants() {
            if node.has_tag_name("text") {
                text.push_str(node.text().unwrap_or_default());
                text.push(' ');
            }
            if node.attribute("class") == Some("row") {
                assert!(
                    node.attribute("data-src")
                        .is_some_and(|s| s.ends_with(":7"))
                );
                labels.push(node.attribute("data-label").unwrap_or_default().to_owned());
            }
        }
    }
    let found: String = text.split_whitespace().collect();
    for word in sample::words(&doc) {
        assert!(found.contains(&word), "text layer lost {word:?}");
    }
    for row in &doc.parts[0].table.body {
        assert!(labels.contains(&row.label), "no group for {}", row.label);
    }
}

#[test]
fn redline_marks_are_drawn_in_colour() {
    let marked = pages(&sample::marked());
    let all: String = (0..marked.pages.len())
        .filter_map(|i| marked.standalone(i))
        .collect();
    assert!(all.contains("class=\"mark ins\" fill=\"none\" stroke=\"rgb(0,90,200)\""));
    assert!(all.contains("class=\"mark del\" fill=\"none\" stroke=\"rgb(200,0,0)\""));
    assert!(all.contains("class=\"mark bar\""));
    let plain = pages(&sample::document());
    assert!(
        !plain
            .standalone(0)
            .unwrap_or_default()
            .contains("class=\"mark")
    );
}

#[test]
fn errors_not_panics() {
    let mut doc = sample::document();
    doc.parts[0].table.body[3].cells[1].text = "漢".to_owned();
    assert!(matches!(
        svg(&doc, &SvgOptions::default()),
        Err(SvgError::Layout(LayoutError::MissingGlyph {
            ch: '漢', ..
        }))
    ));
    doc.parts.clear();
    assert!(matches!(
        svg(&doc, &SvgOptions::default()),
        Err(SvgError::Empty)
    ));
    let mut s = String::new();
    escape(&mut s, "a<b>&\"'\u{7}\u{FFFF}c");
    assert_eq!(s, "a&lt;b&gt;&amp;&quot;&#39;c");
    let mut n = String::new();
    for v in [12.5, -0.001, 3.0, f32::NAN, 1.239] {
        number(&mut n, v);
        n.push(' ');
    }
    assert_eq!(n, "12.5 0 3 0 1.24 ");
}

#[test]
fn streamed_pages_are_the_standalone_pages_byte_for_byte() {
    for doc in [sample::document(), sample::marked()] {
        let kept = pages(&doc);
        let mut streamed = Vec::new();
        let count = write_pages(&doc, &SvgOptions::default(), |index, file| {
            streamed.push((index, file));
            Ok::<(), ()>(())
        })
        .expect("write_pages");
        assert_eq!(count, kept.pages.len());
        assert_eq!(streamed.len(), kept.pages.len());
        for (i, (index, file)) in streamed.iter().enumerate() {
            assert_eq!(*index, i);
            assert!(
                Some(file) == kept.standalone(i).as_ref(),
                "page {i} differs from Pages::standalone"
            );
        }
    }
}

#[test]
fn a_refused_page_stops_the_stream_and_errors_are_the_writers() {
    let doc = sample::document();
    assert!(pages(&doc).pages.len() > 2, "the sample needs three pages");
    let mut calls = 0;
    let made = write_pages(&doc, &SvgOptions::default(), |index, _| {
        calls += 1;
        if index == 1 { Err("full") } else { Ok(()) }
    });
    assert!(matches!(made, Err(PagesError::Sink("full"))));
    assert_eq!(calls, 2, "no page is handed over after the refused one");

    let mut bad = sample::document();
    bad.parts[0].table.body[3].cells[1].text = "漢".to_owned();
    let made = write_pages(&bad, &SvgOptions::default(), |_, _| Ok::<(), ()>(()));
    assert!(matches!(
        made,
        Err(PagesError::Svg(SvgError::Layout(
            LayoutError::MissingGlyph { ch: '漢', .. }
        )))
    ));
    bad.parts.clear();
    let made = write_pages(&bad, &SvgOptions::default(), |_, _| Ok::<(), ()>(()));
    assert!(matches!(made, Err(PagesError::Svg(SvgError::Empty))));
}
