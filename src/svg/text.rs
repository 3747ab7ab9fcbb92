//! Numbers and text as SVG writes them: coordinates with at most two decimals, and XML
//! escaping, and a line's width. A leaf: the page writer, the boxes and the glyph
//! outlines use it.

/// Writes `value` with at most two decimals and no trailing zeros ("12.5", "-3", "0").
pub(super) fn number(out: &mut String, value: f32) {
    let value = if value.is_finite() { value } else { 0.0 };
    let rounded = (f64::from(value) * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" || text.is_empty() {
        out.push('0');
    } else {
        out.push_str(text);
    }
}

/// Escapes text for XML content and attribute values; characters XML 1.0 forbids
/// ([`crate::xml_chars::forbidden`]) are dropped, tabs and line ends become spaces.
pub(super) fn escape(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if crate::xml_chars::forbidden(c) => {}
            c => out.push(c),
        }
    }
}

/// The width of a line: its glyphs' advances, in points.
pub(super) fn advance(run: &crate::layout::TextRun) -> f32 {
    run.glyphs.iter().map(|g| g.advance).sum()
}
