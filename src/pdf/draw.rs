//! Drawing one laid-out page onto a krilla page.
//!
//! Contract: every text run becomes one marked-content sequence — a `Span` whose
//! identifier is recorded for the structure tree, or an artifact for repeated header rows
//! (pagination) and page numbers; all strokes of the page are one layout artifact. Text is
//! filled black, strokes are black; nothing is transparent (PDF/A-friendly). Change marks
//! come last, as one more layout artifact: underlines of inserted text blue, strike-throughs
//! of deleted text red, change bars black (so they survive a black-and-white copy); a page
//! without marks gets no such artifact, so unmarked output is what it always was. The
//! colours are plain sRGB, which krilla writes in the PDF/A-valid way.

use krilla::Document as KrillaDocument;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::{LineCap, Stroke as KrillaStroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};
use krilla::text::{GlyphId, KrillaGlyph};

use super::PartTags;
use crate::fonts::Loaded;
use crate::layout::{Element, PageFrame, Redline, RedlineKind, Role, Stroke, TextRun};

/// Draws `page`; `Err(())` if krilla refuses the page size.
pub(super) fn page(
    document: &mut KrillaDocument,
    page: &PageFrame,
    fonts: &Loaded,
    tags: &mut PartTags,
) -> Result<(), ()> {
    let settings = PageSettings::from_wh(page.width, page.height).ok_or(())?;
    let mut krilla_page = document.start_page_with(settings);
    let mut surface = krilla_page.surface();

    for element in &page.elements {
        if let Element::Text(run) = element {
            text_run(&mut surface, run, fonts, tags);
        }
    }
    strokes(&mut surface, page);
    redlines(&mut surface, page);

    surface.finish();
    krilla_page.finish();
    Ok(())
}

fn text_run(surface: &mut Surface<'_>, run: &TextRun, fonts: &Loaded, tags: &mut PartTags) {
    let tag = match run.role {
        Role::RepeatedHeader { .. } | Role::RepeatedText => {
            ContentTag::Artifact(Artifact::with_kind(ArtifactType::PaginationOther))
        }
        Role::PageNumber => ContentTag::Artifact(Artifact::with_kind(ArtifactType::PageNumber)),
        Role::Heading(_) | Role::Cell { .. } => ContentTag::Span(SpanTag::empty()),
    };
    let id = surface.start_tagged(tag);
    if !run.glyphs.is_empty() && run.size > 0.0 {
        let size = run.size;
        let glyphs: Vec<KrillaGlyph> = run
            .glyphs
            .iter()
            .map(|g| {
                KrillaGlyph::new(
                    GlyphId::new(g.id),
                    g.advance / size,
                    g.x_offset / size,
                    g.y_offset / size,
                    0.0,
                    g.text.clone(),
                    None,
                )
            })
            .collect();
        surface.set_fill(None);
        surface.set_stroke(None);
        surface.draw_glyphs(
            Point::from_xy(run.x, run.baseline),
            &glyphs,
            fonts.face(run.face).pdf.clone(),
            &run.text,
            size,
            false,
        );
    }
    surface.end_tagged();
    if let Some(slot) = tags.slot(run.role) {
        slot.push(id);
    }
}

fn strokes(surface: &mut Surface<'_>, page: &PageFrame) {
    let lines: Vec<&Stroke> = page
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Stroke(s) if s.width > 0.0 => Some(s),
            _ => None,
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    // One path per line thickness keeps the content stream small.
    let mut widths: Vec<f32> = lines.iter().map(|s| s.width).collect();
    widths.sort_by(f32::total_cmp);
    widths.dedup();

    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Layout,
    )));
    surface.set_fill(None);
    for width in widths {
        let mut builder = PathBuilder::new();
        for s in lines.iter().filter(|s| s.width == width) {
            builder.move_to(s.x1, s.y1);
            builder.line_to(s.x2, s.y2);
        }
        if let Some(path) = builder.finish() {
            surface.set_stroke(Some(KrillaStroke {
                width,
                // Square caps close the corners where horizontal and vertical borders meet.
                line_cap: LineCap::Square,
                ..KrillaStroke::default()
            }));
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);
    surface.end_tagged();
}

/// The colour of each kind of change mark.
fn colour(kind: RedlineKind) -> rgb::Color {
    match kind {
        RedlineKind::Inserted => rgb::Color::new(0, 90, 200),
        RedlineKind::Deleted => rgb::Color::new(200, 0, 0),
        RedlineKind::ChangeBar => rgb::Color::black(),
    }
}

fn redlines(surface: &mut Surface<'_>, page: &PageFrame) {
    let marks: Vec<&Redline> = page
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Redline(r) if r.stroke.width > 0.0 => Some(r),
            _ => None,
        })
        .collect();
    if marks.is_empty() {
        return;
    }
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Layout,
    )));
    surface.set_fill(None);
    // One path per kind and thickness, in a fixed order: same marks, same bytes.
    for kind in [
        RedlineKind::Inserted,
        RedlineKind::Deleted,
        RedlineKind::ChangeBar,
    ] {
        let mut widths: Vec<f32> = marks
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| m.stroke.width)
            .collect();
        widths.sort_by(f32::total_cmp);
        widths.dedup();
        for width in widths {
            let mut builder = PathBuilder::new();
            for m in marks
                .iter()
                .filter(|m| m.kind == kind && m.stroke.width == width)
            {
                builder.move_to(m.stroke.x1, m.stroke.y1);
                builder.line_to(m.stroke.x2, m.stroke.y2);
            }
            if let Some(path) = builder.finish() {
                surface.set_stroke(Some(KrillaStroke {
                    paint: colour(kind).into(),
                    width,
                    // Butt caps: a mark ends where its text ends, and the bars of
                    // consecutive rows meet without overlapping.
                    line_cap: LineCap::Butt,
                    ..KrillaStroke::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
    surface.set_stroke(None);
    surface.end_tagged();
}
