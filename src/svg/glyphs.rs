//! Glyph outlines as SVG path data, read from the same font files the layout shaped with.
//!
//! Contract: [`Outlines::path`] gives a glyph's outline in font units (y up, as in the
//! font), each glyph drawn once per [`Outlines`] and remembered, so a page set defines
//! every glyph once and places it with `<use>` as often as it appears. A glyph without an
//! outline (a space) or one the font cannot draw gives `None`: it is simply not drawn,
//! never a panic.

use std::collections::BTreeMap;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

use crate::fonts::{Face, FontSet};

/// The outlines drawn so far, by face and glyph id.
pub(super) struct Outlines<'a> {
    fonts: [Option<FontRef<'a>>; 4],
    units_per_em: [f32; 4],
    drawn: BTreeMap<(Face, u32), Option<String>>,
}

impl<'a> Outlines<'a> {
    /// Outlines from the four faces of `fonts` (already validated by the layout, which
    /// parsed the same bytes; a face that does not parse here draws nothing).
    pub(super) fn new(fonts: &'a FontSet) -> Self {
        let parsed = Face::ALL.map(|face| FontRef::new(fonts.bytes(face)).ok());
        let units_per_em = parsed.clone().map(|font| {
            font.map_or(1000.0, |f| {
                f32::from(
                    f.metrics(Size::unscaled(), LocationRef::default())
                        .units_per_em,
                )
                .max(1.0)
            })
        });
        Outlines {
            fonts: parsed,
            units_per_em,
            drawn: BTreeMap::new(),
        }
    }

    /// Font units per em of `face`.
    pub(super) fn units_per_em(&self, face: Face) -> f32 {
        self.units_per_em[face.index()]
    }

    /// The outline of glyph `id` of `face` as path data in font units; `None` when the
    /// glyph draws nothing.
    pub(super) fn path(&mut self, face: Face, id: u32) -> Option<&str> {
        let fonts = &self.fonts;
        self.drawn
            .entry((face, id))
            .or_insert_with(|| draw(fonts[face.index()].as_ref()?, id))
            .as_deref()
    }

    /// The outline of glyph `id` of `face` if it was drawn already ([`Outlines::path`]);
    /// `None` when it was not, or draws nothing.
    pub(super) fn get(&self, face: Face, id: u32) -> Option<&str> {
        self.drawn.get(&(face, id))?.as_deref()
    }

    /// Every glyph drawn so far that has an outline, in a fixed order.
    pub(super) fn all(&self) -> impl Iterator<Item = ((Face, u32), &str)> {
        self.drawn
            .iter()
            .filter_map(|(key, path)| path.as_deref().map(|p| (*key, p)))
    }
}

fn draw(font: &FontRef<'_>, id: u32) -> Option<String> {
    let glyph = font.outline_glyphs().get(GlyphId::new(id))?;
    let mut pen = SvgPen::default();
    glyph
        .draw(
            DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
            &mut pen,
        )
        .ok()?;
    let path = pen.0.trim_end().to_owned();
    (!path.is_empty()).then_some(path)
}

/// Collects SVG path commands; coordinates rounded to a tenth of a font unit
/// (1/20 480 em for a 2048-unit font: far below a pixel at any zoom).
#[derive(Default)]
struct SvgPen(String);

impl SvgPen {
    fn point(&mut self, x: f32, y: f32) {
        super::text::number(&mut self.0, x);
        self.0.push(',');
        super::text::number(&mut self.0, y);
    }
}

impl OutlinePen for SvgPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push('M');
        self.point(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push('L');
        self.point(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.push('Q');
        self.point(cx0, cy0);
        self.0.push(' ');
        self.point(x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.push('C');
        self.point(cx0, cy0);
        self.0.push(' ');
        self.point(cx1, cy1);
        self.0.push(' ');
        self.point(x, y);
    }

    fn close(&mut self) {
        self.0.push('Z');
    }
}
