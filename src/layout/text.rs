//! Shaping: text segments to glyphs with harfrust, cached per (face, segment).
//!
//! Contract: [`Shaper::shape`] returns glyphs in font units (harfrust shapes at
//! unitsPerEm), so one cached result serves every font size — the cache key is
//! (face, text) and scaling to points happens when lines are built. A glyph id 0 (the
//! font lacks a character) is never returned as a glyph: it is a [`MissingChar`] naming
//! the character. Input must already be NFC; [`crate::layout::lines`] normalises.

use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::fonts::{Face, Loaded};

/// The font has no glyph for `ch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MissingChar(pub(crate) char);

/// One shaped glyph, in font units.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShapedGlyph {
    pub(crate) id: u32,
    pub(crate) advance: i32,
    pub(crate) x_offset: i32,
    pub(crate) y_offset: i32,
    /// Byte offset of the glyph's cluster in the shaped text.
    pub(crate) cluster: u32,
    /// The cluster is a single U+0020: justification stretches these.
    pub(crate) space: bool,
}

/// A shaped segment: a word with its trailing spaces, as UAX #14 cuts them.
#[derive(Debug)]
pub(crate) struct Shaped {
    pub(crate) text: Box<str>,
    pub(crate) glyphs: Vec<ShapedGlyph>,
    /// Index of the first glyph of the trailing spaces.
    pub(crate) trim_glyph: usize,
    /// Advance without the trailing spaces: what must fit on a line.
    pub(crate) trimmed_width: i32,
}

/// Shapes segments and remembers the results for the life of one layout.
pub(crate) struct Shaper<'f> {
    fonts: &'f Loaded,
    cache: [FxHashMap<Box<str>, Rc<Shaped>>; 4],
    buffer: Option<harfrust::Buffer>,
}

impl<'f> Shaper<'f> {
    pub(crate) fn new(fonts: &'f Loaded) -> Self {
        Shaper {
            fonts,
            cache: Default::default(),
            buffer: Some(harfrust::Buffer::new()),
        }
    }

    /// The parsed fonts this shaper uses.
    pub(crate) fn fonts(&self) -> &'f Loaded {
        self.fonts
    }

    /// Shapes `text` (one segment, no line breaks) in `face`.
    pub(crate) fn shape(&mut self, face: Face, text: &str) -> Result<Rc<Shaped>, MissingChar> {
        if let Some(hit) = self.cache[face.index()].get(text) {
            return Ok(hit.clone());
        }
        let shaped = Rc::new(self.shape_uncached(face, text)?);
        self.cache[face.index()].insert(text.into(), shaped.clone());
        Ok(shaped)
    }

    fn shape_uncached(&mut self, face: Face, text: &str) -> Result<Shaped, MissingChar> {
        let loaded = self.fonts.face(face);
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.clear();
        buffer.push_str(text);
        buffer.set_direction(harfrust::Direction::LeftToRight);
        buffer.set_script(loaded.plan.script());
        buffer.set_language(loaded.plan.language().cloned());
        // Invisible format characters (soft hyphen, ZWJ…) get no glyph at all rather than a
        // zero-width space glyph whose Unicode mapping would clash with U+0020's.
        buffer.set_flags(
            harfrust::BufferFlags::BEGINNING_OF_TEXT
                | harfrust::BufferFlags::END_OF_TEXT
                | harfrust::BufferFlags::REMOVE_DEFAULT_IGNORABLES,
        );
        let font = harfrust::ShaperFont::new(&loaded.shaping);
        let options = harfrust::ShapeOptions::new()
            .plan(Some(&loaded.plan))
            .features(&loaded.features);
        let shaped = harfrust::shape(&font, &mut buffer, options);
        let mut glyphs = Vec::with_capacity(buffer.len());
        let mut missing = None;
        if shaped.is_ok() {
            for (info, pos) in buffer.glyph_infos().iter().zip(buffer.glyph_positions()) {
                let cluster = info.cluster;
                let start = usize::try_from(cluster).unwrap_or(usize::MAX);
                if info.glyph_id == 0 {
                    missing = Some(missing_char(&font, text, start));
                    break;
                }
                let space = text.get(start..).is_some_and(|rest| rest.starts_with(' '));
                glyphs.push(ShapedGlyph {
                    id: info.glyph_id,
                    advance: pos.x_advance,
                    x_offset: pos.x_offset,
                    y_offset: pos.y_offset,
                    cluster,
                    space,
                });
            }
        } else {
            // The plan matches the buffer by construction; should shaping refuse anyway,
            // report the first character rather than drawing nothing.
            missing = Some(MissingChar(text.chars().next().unwrap_or('\u{FFFD}')));
        }
        self.buffer = Some(buffer);
        if let Some(m) = missing {
            return Err(m);
        }

        let trim_at = text.trim_end_matches(' ').len();
        let trim_glyph = glyphs
            .iter()
            .position(|g| g.cluster as usize >= trim_at)
            .unwrap_or(glyphs.len());
        let trimmed_width = glyphs[..trim_glyph].iter().map(|g| g.advance).sum();
        Ok(Shaped {
            text: text.into(),
            glyphs,
            trim_glyph,
            trimmed_width,
        })
    }
}

/// Which character of the cluster starting at `start` the font lacks: the first one
/// without a cmap entry, else the cluster's first character.
fn missing_char(font: &harfrust::ShaperFont<'_, '_>, text: &str, start: usize) -> MissingChar {
    let cluster = text.get(start..).unwrap_or(text);
    let first = cluster.chars().next().unwrap_or('\u{FFFD}');
    // A cluster is one grapheme: a base plus its marks, so looking a few chars ahead is
    // enough; stop at the next base character.
    for (i, c) in cluster.chars().enumerate() {
        if i > 0 && !is_mark(c) {
            break;
        }
        if font.nominal_glyph(u32::from(c)).is_none() {
            return MissingChar(c);
        }
    }
    MissingChar(first)
}

/// Combining marks: they belong to the cluster of the character before them.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontSet;

    #[test]
    fn shapes_vietnamese_and_caches() {
        let fonts = FontSet::builtin();
        let loaded = fonts.loaded().expect("fonts");
        let mut shaper = Shaper::new(loaded);
        let a = shaper.shape(Face::Regular, "Nghị quyết ").expect("shape");
        let b = shaper.shape(Face::Regular, "Nghị quyết ").expect("shape");
        assert!(Rc::ptr_eq(&a, &b), "second call is a cache hit");
        let full: i32 = a.glyphs.iter().map(|g| g.advance).sum();
        assert!(a.trimmed_width < full);
        assert_eq!(a.trim_glyph, a.glyphs.len() - 1);
        assert!(a.glyphs.iter().all(|g| g.id != 0));
        assert_eq!(a.glyphs.iter().filter(|g| g.space).count(), 2);
    }

    #[test]
    fn missing_glyph_names_the_character() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(fonts.loaded().expect("fonts"));
        // A CJK ideograph: Liberation Serif has none.
        let err = shaper.shape(Face::Bold, "ab漢c").expect_err("no glyph");
        assert_eq!(err, MissingChar('漢'));
    }
}
