//! Line breaking: one paragraph of text into positioned lines of glyphs.
//!
//! Contract: text is normalised to NFC (so NFD input renders with precomposed glyphs),
//! tabs become spaces, and lines are cut greedily (first fit, as Word does) at UAX #14
//! opportunities, except after a slash (Word keeps "149/KH-UBND" whole); `'\n'` (and the
//! other mandatory breaks) always cuts. Trailing spaces hang past the right edge and never
//! cause a break. A segment wider than the column on a line of its own is cut at
//! grapheme-cluster boundaries, so no line is wider than the column unless a single cluster
//! is. Justified lines stretch their U+0020 spaces; the last line of a paragraph and a line
//! ending in a forced break stay ragged (flush left).
//! Every line is one glyph run with its own text, trailing spaces included, so text
//! extraction sees word boundaries.
//! A cell with change marks is laid out by [`layout_marked`]: the same lines, each also
//! carrying the marked byte ranges of its own text.

use std::borrow::Cow;
use std::ops::Range;
use std::rc::Rc;

use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::frame::Glyph;
use super::text::{MissingChar, Shaped, Shaper};
use crate::document::{Align, MarkKind, TextStyle};
use crate::fonts::Face;

/// Slack for float comparisons of widths, in points: far below anything visible.
const EPS: f32 = 1e-3;

/// One laid-out line, positioned relative to the left edge of its column.
#[derive(Debug, Clone)]
pub(crate) struct LineBox {
    /// The line's text, trailing spaces included.
    pub(crate) text: String,
    /// Glyphs with advances in points (justification already applied).
    pub(crate) glyphs: Vec<Glyph>,
    /// Offset of the first glyph from the column's left edge (alignment).
    pub(crate) x: f32,
    /// Visible width: without trailing spaces, with justification. Only tests read it
    /// today; it is what a caller measuring a line wants.
    #[allow(dead_code)]
    pub(crate) width: f32,
    /// Byte offset of `text` in the paragraph's prepared text: a line is a contiguous
    /// stretch of it (forced break characters fall between lines).
    pub(crate) start: usize,
    /// Marked stretches of `text` (byte ranges in it), in order; empty when unmarked.
    pub(crate) marks: Vec<(Range<usize>, MarkKind)>,
}

/// A paragraph laid out in a column: lines of equal height.
#[derive(Debug, Clone)]
pub(crate) struct TextBlock {
    pub(crate) face: Face,
    pub(crate) size_pt: f32,
    /// Word's "single" line height for the face and size.
    pub(crate) line_height: f32,
    /// From the top of a line to its baseline.
    pub(crate) ascent: f32,
    pub(crate) lines: Vec<LineBox>,
}

/// A part of a shaped segment placed on a line.
struct Piece {
    shaped: Rc<Shaped>,
    glyphs: Range<usize>,
    bytes: Range<usize>,
    /// Where the shaped segment starts in the paragraph's prepared text.
    offset: usize,
}

impl Piece {
    fn whole(shaped: Rc<Shaped>, offset: usize) -> Piece {
        let glyphs = 0..shaped.glyphs.len();
        let bytes = 0..shaped.text.len();
        Piece {
            shaped,
            glyphs,
            bytes,
            offset,
        }
    }

    /// Whether the piece ends where its segment ends (and so carries its trailing spaces).
    fn reaches_end(&self) -> bool {
        self.glyphs.end == self.shaped.glyphs.len()
    }

    /// Glyph index where hanging trailing spaces start within this piece.
    fn trail_start(&self) -> usize {
        if self.reaches_end() {
            self.shaped
                .trim_glyph
                .clamp(self.glyphs.start, self.glyphs.end)
        } else {
            self.glyphs.end
        }
    }

    fn advance(&self, range: Range<usize>) -> i64 {
        self.shaped.glyphs[range]
            .iter()
            .map(|g| i64::from(g.advance))
            .sum()
    }
}

/// Lays out `text` in a column `width` points wide.
pub(crate) fn layout_paragraph(
    shaper: &mut Shaper<'_>,
    text: &str,
    style: &TextStyle,
    align: Align,
    width: f32,
) -> Result<TextBlock, MissingChar> {
    layout_prepared(shaper, &prepare(text), style, align, width)
}

/// Lays out a marked cell: `text` cut into `segments` (byte ranges of `text`, each with
/// its mark or none, as [`crate::document::Cell::segments`] gives them). Each line also
/// gets the marked ranges of its own text. Each segment is prepared (NFC, breaks, tabs)
/// on its own so the marks keep pointing at their text when preparing changes lengths;
/// for the usual NFC text without tabs or CRs the lines are exactly those of
/// [`layout_paragraph`].
pub(crate) fn layout_marked(
    shaper: &mut Shaper<'_>,
    text: &str,
    segments: &[(Range<usize>, Option<MarkKind>)],
    style: &TextStyle,
    align: Align,
    width: f32,
) -> Result<TextBlock, MissingChar> {
    let mut prepared = String::with_capacity(text.len());
    let mut marks = Vec::new();
    for (range, kind) in segments {
        let Some(piece) = text.get(range.clone()) else {
            continue;
        };
        let start = prepared.len();
        prepared.push_str(&prepare(piece));
        if let Some(kind) = kind {
            marks.push((start..prepared.len(), *kind));
        }
    }
    let mut block = layout_prepared(shaper, &prepared, style, align, width)?;
    for line in &mut block.lines {
        let (from, to) = (line.start, line.start + line.text.len());
        for (range, kind) in &marks {
            let (start, end) = (range.start.max(from), range.end.min(to));
            if start < end {
                line.marks.push((start - from..end - from, *kind));
            }
        }
    }
    Ok(block)
}

/// Lays out text [`prepare`] has already been applied to.
fn layout_prepared(
    shaper: &mut Shaper<'_>,
    text: &str,
    style: &TextStyle,
    align: Align,
    width: f32,
) -> Result<TextBlock, MissingChar> {
    let face = Face::of(style);
    let metrics = shaper.fonts().face(face).metrics;
    let size = style.size_pt;
    let mut builder = Builder {
        scale: size / f32::from(metrics.units_per_em.max(1)),
        width: width.max(0.0),
        align,
        lines: Vec::new(),
        pieces: Vec::new(),
        pieces_units: 0,
    };

    let mut start = 0;
    let mut ended_with_break = false;
    for (end, opportunity) in linebreaks(text) {
        let Some(segment) = text.get(start..end) else {
            continue;
        };
        // Word (and LibreOffice reading .docx) never wraps after a slash: "149/KH-UBND"
        // stays whole, where plain UAX #14 would allow "149/" | "KH-UBND".
        if opportunity == BreakOpportunity::Allowed && segment.ends_with('/') {
            continue;
        }
        let offset = start;
        start = end;
        let content = segment.trim_end_matches(is_break_char);
        let forced = content.len() != segment.len();
        if !content.is_empty() {
            let shaped = shaper.shape(face, content)?;
            builder.add(shaped, offset);
        }
        if forced {
            builder.finish_line(false);
        }
        ended_with_break = forced;
    }
    // The paragraph's last line; after a trailing break it is an empty line, as in Word.
    if !builder.pieces.is_empty() || ended_with_break || builder.lines.is_empty() {
        builder.finish_line(false);
    }

    Ok(TextBlock {
        face,
        size_pt: size,
        line_height: metrics.line_height(size),
        ascent: metrics.ascent(size),
        lines: builder.lines,
    })
}

/// NFC, CRLF as one break, tabs as spaces; borrowed when nothing changes.
fn prepare(text: &str) -> Cow<'_, str> {
    let nfc = is_nfc_quick(text.chars()) == IsNormalized::Yes;
    if nfc && !text.contains(['\t', '\r']) {
        return Cow::Borrowed(text);
    }
    let normalised: String = if nfc {
        text.to_owned()
    } else {
        text.nfc().collect()
    };
    Cow::Owned(
        normalised
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .replace('\t', " "),
    )
}

/// Characters that end a line (UAX #14 classes BK, CR, LF, NL).
pub(crate) fn is_break_char(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

struct Builder {
    scale: f32,
    width: f32,
    align: Align,
    lines: Vec<LineBox>,
    /// The line being filled.
    pieces: Vec<Piece>,
    /// Advance of all of `pieces`, trailing spaces of the last one included.
    pieces_units: i64,
}

impl Builder {
    fn units(&self, units: i64) -> f32 {
        units as f32 * self.scale
    }

    fn push(&mut self, piece: Piece) {
        self.pieces_units += piece.advance(piece.glyphs.clone());
        self.pieces.push(piece);
    }

    /// Adds a shaped segment that starts at byte `offset` of the prepared text.
    fn add(&mut self, shaped: Rc<Shaped>, offset: usize) {
        let trimmed = i64::from(shaped.trimmed_width);
        if !self.pieces.is_empty() {
            if self.units(self.pieces_units + trimmed) <= self.width + EPS {
                self.push(Piece::whole(shaped, offset));
                return;
            }
            self.finish_line(true);
        }
        if self.units(trimmed) <= self.width + EPS {
            self.push(Piece::whole(shaped, offset));
            return;
        }
        self.add_cut(shaped, offset);
    }

    /// Cuts a segment too wide for an empty line at cluster boundaries.
    fn add_cut(&mut self, shaped: Rc<Shaped>, offset: usize) {
        let glyphs = &shaped.glyphs;
        let mut piece_start = 0;
        let mut piece_bytes = 0;
        let mut acc = 0i64;
        let mut i = 0;
        let mut cuts: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        while i < glyphs.len() {
            let cluster = glyphs[i].cluster;
            let mut j = i + 1;
            while j < glyphs.len() && glyphs[j].cluster == cluster {
                j += 1;
            }
            // Trailing spaces hang; they never force a cut.
            let w: i64 = if i >= shaped.trim_glyph {
                0
            } else {
                glyphs[i..j].iter().map(|g| i64::from(g.advance)).sum()
            };
            if acc > 0 && i > piece_start && self.units(acc + w) > self.width + EPS {
                let cut_byte = cluster as usize;
                cuts.push((piece_start..i, piece_bytes..cut_byte));
                piece_start = i;
                piece_bytes = cut_byte;
                acc = 0;
            }
            acc += w;
            i = j;
        }
        for (glyph_range, byte_range) in cuts {
            self.push(Piece {
                shaped: shaped.clone(),
                glyphs: glyph_range,
                bytes: byte_range,
                offset,
            });
            self.finish_line(true);
        }
        let bytes = piece_bytes..shaped.text.len();
        self.push(Piece {
            shaped: shaped.clone(),
            glyphs: piece_start..glyphs.len(),
            bytes,
            offset,
        });
    }

    /// Turns the current pieces into a line. `wrapped` is true when the line ends at an
    /// automatic break (only such lines are justified).
    fn finish_line(&mut self, wrapped: bool) {
        let pieces = std::mem::take(&mut self.pieces);
        self.pieces_units = 0;
        let last = pieces.len().saturating_sub(1);

        // Visible width and stretchable spaces (trailing spaces of the last piece excluded).
        let mut visible_units = 0i64;
        let mut spaces = 0usize;
        for (k, p) in pieces.iter().enumerate() {
            let end = if k == last {
                p.trail_start()
            } else {
                p.glyphs.end
            };
            visible_units += p.advance(p.glyphs.start..end);
            spaces += p.shaped.glyphs[p.glyphs.start..end]
                .iter()
                .filter(|g| g.space)
                .count();
        }
        let visible = self.units(visible_units);
        let slack = self.width - visible;
        let extra = if wrapped && self.align == Align::Justify && spaces > 0 && slack > 0.0 {
            slack / spaces as f32
        } else {
            0.0
        };
        let x = match self.align {
            _ if slack <= 0.0 => 0.0,
            Align::Left | Align::Justify => 0.0,
            Align::Center => slack / 2.0,
            Align::Right => slack,
        };

        let mut text = String::with_capacity(pieces.iter().map(|p| p.bytes.len()).sum());
        let mut out = Vec::with_capacity(pieces.iter().map(|p| p.glyphs.len()).sum());
        for (k, p) in pieces.iter().enumerate() {
            let stretch_end = if k == last {
                p.trail_start()
            } else {
                p.glyphs.end
            };
            let base = text.len();
            let Some(piece_text) = p.shaped.text.get(p.bytes.clone()) else {
                continue;
            };
            text.push_str(piece_text);
            let glyphs = &p.shaped.glyphs;
            for gi in p.glyphs.clone() {
                let g = glyphs[gi];
                let start = (g.cluster as usize).clamp(p.bytes.start, p.bytes.end);
                let end = glyphs[gi + 1..p.glyphs.end]
                    .iter()
                    .map(|n| n.cluster as usize)
                    .find(|&c| c > start)
                    .unwrap_or(p.bytes.end)
                    .clamp(start, p.bytes.end);
                let mut advance = g.advance as f32 * self.scale;
                if g.space && gi < stretch_end {
                    advance += extra;
                }
                out.push(Glyph {
                    id: g.id,
                    advance,
                    x_offset: g.x_offset as f32 * self.scale,
                    y_offset: g.y_offset as f32 * self.scale,
                    text: (base + start - p.bytes.start)..(base + end - p.bytes.start),
                });
            }
        }
        let start = pieces.first().map_or(0, |p| p.offset + p.bytes.start);
        self.lines.push(LineBox {
            text,
            glyphs: out,
            x,
            width: visible + extra * spaces as f32,
            start,
            marks: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontSet;

    fn style(size: f32) -> TextStyle {
        TextStyle {
            size_pt: size,
            bold: false,
            italic: false,
        }
    }

    fn lay(text: &str, align: Align, width: f32) -> TextBlock {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(fonts.loaded().expect("fonts"));
        layout_paragraph(&mut shaper, text, &style(13.0), align, width).expect("layout")
    }

    const LONG: &str = "Bảo đảm sự lãnh đạo, chỉ đạo đồng bộ, thống nhất, hiệu quả và đúng pháp \
                        luật về công tác dân vận trong toàn Đảng bộ, sự đồng thuận của các tầng \
                        lớp Nhân dân trong quá trình thực hiện mục tiêu phát triển phường.";

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn breaks_at_spaces_and_keeps_every_word() {
        let block = lay(LONG, Align::Left, 200.0);
        assert!(block.lines.len() > 3);
        let joined: String = block.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(words(&joined), words(LONG));
        for line in &block.lines {
            assert!(line.width <= 200.0 + EPS, "{} > 200", line.width);
            // Every line but the last ends at a space (a UAX #14 opportunity).
            assert!(!line.text.starts_with(' '));
        }
        for line in &block.lines[..block.lines.len() - 1] {
            assert!(line.text.ends_with(' '), "{:?}", line.text);
        }
    }

    #[test]
    fn justifies_all_but_the_last_line() {
        let block = lay(LONG, Align::Justify, 200.0);
        let n = block.lines.len();
        for line in &block.lines[..n - 1] {
            assert!(
                (line.width - 200.0).abs() < 0.01,
                "justified: {}",
                line.width
            );
        }
        assert!(block.lines[n - 1].width < 199.0, "last line ragged");
    }

    #[test]
    fn forced_break_lines_stay_ragged() {
        let block = lay("Phòng Văn hóa\nCác phòng, ban", Align::Justify, 300.0);
        assert_eq!(block.lines.len(), 2);
        assert!(block.lines.iter().all(|l| l.width < 200.0));
        assert_eq!(block.lines[0].text, "Phòng Văn hóa");
        // Trailing break: one more empty line, like Word's <w:br/> at the end.
        let block = lay("a\n", Align::Left, 300.0);
        assert_eq!(block.lines.len(), 2);
        assert!(block.lines[1].text.is_empty());
        assert_eq!(lay("", Align::Left, 300.0).lines.len(), 1);
    }

    #[test]
    fn no_break_after_a_slash() {
        // 149/KH-UBND may break after the hyphen, never after the slash.
        let narrow = lay("Kế hoạch số 149/KH-UBND ngày", Align::Left, 95.0);
        for line in &narrow.lines {
            assert!(!line.text.trim_end().ends_with('/'), "{:?}", line.text);
        }
    }

    #[test]
    fn centre_and_right_alignment() {
        let c = lay("PHỤ LỤC I", Align::Center, 400.0);
        let l = &c.lines[0];
        assert!((l.x * 2.0 + l.width - 400.0).abs() < 0.01);
        let r = lay("PHỤ LỤC I", Align::Right, 400.0);
        let l = &r.lines[0];
        assert!((l.x + l.width - 400.0).abs() < 0.01);
    }

    #[test]
    fn long_token_is_cut_within_the_width() {
        let token: String = "abcdefghij".repeat(60);
        let text = format!("Mã: {token} xong");
        let block = lay(&text, Align::Justify, 120.0);
        for line in &block.lines {
            assert!(line.width <= 120.0 + EPS, "{} > 120", line.width);
        }
        let joined: String = block
            .lines
            .iter()
            .flat_map(|l| l.text.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        assert_eq!(joined, text.replace(' ', ""));
    }

    #[test]
    fn nfd_input_is_composed() {
        let nfd: String = "Nghị quyết".nfd().collect();
        let block = lay(&nfd, Align::Left, 300.0);
        assert_eq!(block.lines[0].text, "Nghị quyết");
        let nfc = lay("Nghị quyết", Align::Left, 300.0);
        let ids = |b: &TextBlock| b.lines[0].glyphs.iter().map(|g| g.id).collect::<Vec<_>>();
        assert_eq!(ids(&block), ids(&nfc));
    }

    #[test]
    fn glyph_ranges_cover_the_text() {
        let block = lay("Dân biết, dân bàn", Align::Left, 300.0);
        let line = &block.lines[0];
        let rebuilt: String = line
            .glyphs
            .iter()
            .map(|g| &line.text[g.text.clone()])
            .collect();
        assert_eq!(rebuilt, line.text);
    }

    /// The marked stretches of every line, as (line text, kind).
    fn marked_text(block: &TextBlock) -> Vec<(String, MarkKind)> {
        block
            .lines
            .iter()
            .flat_map(|l| {
                l.marks
                    .iter()
                    .map(|(r, k)| (l.text[r.clone()].to_owned(), *k))
            })
            .collect()
    }

    fn lay_marked(
        text: &str,
        segments: &[(Range<usize>, Option<MarkKind>)],
        width: f32,
    ) -> TextBlock {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(fonts.loaded().expect("fonts"));
        layout_marked(
            &mut shaper,
            text,
            segments,
            &style(13.0),
            Align::Justify,
            width,
        )
        .expect("layout")
    }

    #[test]
    fn marked_lines_are_the_unmarked_lines_with_their_marks() {
        let start = LONG.find("hiệu quả").expect("phrase");
        let end = LONG.find(" trong toàn").expect("phrase");
        let segments = [
            (0..start, None),
            (start..end, Some(MarkKind::Deleted)),
            (end..LONG.len(), Some(MarkKind::Inserted)),
        ];
        let marked = lay_marked(LONG, &segments, 200.0);
        let plain = lay(LONG, Align::Justify, 200.0);
        let texts = |b: &TextBlock| b.lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&marked), texts(&plain));
        // The deletion spans several lines; pieces rejoin to the marked text.
        let deleted: String = marked_text(&marked)
            .into_iter()
            .filter(|(_, k)| *k == MarkKind::Deleted)
            .map(|(t, _)| t)
            .collect();
        assert_eq!(deleted, LONG[start..end]);
        assert!(marked.lines.iter().filter(|l| !l.marks.is_empty()).count() >= 2);
    }

    #[test]
    fn marks_follow_their_text_when_preparing_changes_lengths() {
        // NFD before the mark, a CRLF inside the unmarked part, a tab inside the mark.
        let text = "Vie\u{0323}\u{0302}t Nam\r\nmới\tthêm cuối";
        let at = text.find("mới").expect("word");
        let to = text.find(" cuối").expect("word");
        let block = lay_marked(
            text,
            &[(0..at, None), (at..to, Some(MarkKind::Inserted))],
            300.0,
        );
        assert_eq!(block.lines[0].text, "Việt Nam");
        assert_eq!(
            marked_text(&block),
            [("mới thêm".to_owned(), MarkKind::Inserted)]
        );
    }

    #[test]
    fn line_height_is_words_single_spacing() {
        let block = lay("x", Align::Left, 100.0);
        assert!((block.line_height - 13.0 * 2355.0 / 2048.0).abs() < 1e-4);
        assert!((block.ascent - 13.0 * 1912.0 / 2048.0).abs() < 1e-4);
    }
}
