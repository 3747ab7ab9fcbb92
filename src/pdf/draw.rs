//! Drawing one laid-out page onto a krilla page.
//!
//! Contract: every text run becomes one marked-content sequence — a `Span` whose
//! identifier is recorded for the structure tree, or an artifact for repeated header rows
//! (pagination) and page numbers; all borders and rules of the page are one layout
//! artifact. Change marks come last, as one more layout artifact; a page without marks
//! gets no such artifact, so unmarked output is what it always was. Text is filled black;
//! nothing is transparent (PDF/A-friendly). Layout decides how each line is painted and
//! in which order ([`crate::layout::Paint`], [`PageFrame::borders`],
//! [`PageFrame::marks`]); this module only translates: a grey to the grey colour space,
//! an sRGB colour to sRGB (which krilla writes in the PDF/A-valid way), the cap to the
//! cap, one path per group of one paint and width.

use krilla::Document as KrillaDocument;
use krilla::color::{luma, rgb};
use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::{LineCap as KrillaLineCap, Paint as KrillaPaint, Stroke as KrillaStroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, SpanTag};
use krilla::text::{GlyphId, KrillaGlyph};

use super::tags::PartTags;
use crate::fonts::Loaded;
use crate::layout::{Colour, Element, LineCap, Lines, PageFrame, Role, TextRun};

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
    lines(&mut surface, page.borders());
    lines(&mut surface, page.marks().into_iter().map(|m| m.lines));

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

/// Draws groups of lines as one layout artifact, a path per group, each in the paint the
/// frame gives it; nothing at all when there are none.
fn lines<'a>(surface: &mut Surface<'_>, groups: impl IntoIterator<Item = Lines<'a>>) {
    let mut groups = groups.into_iter().peekable();
    if groups.peek().is_none() {
        return;
    }
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Layout,
    )));
    surface.set_fill(None);
    for group in groups {
        let mut builder = PathBuilder::new();
        for s in &group.strokes {
            builder.move_to(s.x1, s.y1);
            builder.line_to(s.x2, s.y2);
        }
        if let Some(path) = builder.finish() {
            surface.set_stroke(Some(KrillaStroke {
                paint: paint(group.paint.colour),
                width: group.width,
                line_cap: cap(group.paint.cap),
                ..KrillaStroke::default()
            }));
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);
    surface.end_tagged();
}

/// A frame's colour in krilla's terms: a grey in the grey colour space, an sRGB colour as
/// sRGB.
fn paint(colour: Colour) -> KrillaPaint {
    match colour {
        Colour::Grey(level) => luma::Color::new(level).into(),
        Colour::Rgb(r, g, b) => rgb::Color::new(r, g, b).into(),
    }
}

fn cap(cap: LineCap) -> KrillaLineCap {
    match cap {
        LineCap::Butt => KrillaLineCap::Butt,
        LineCap::Square => KrillaLineCap::Square,
    }
}
