//! WordprocessingML as roxmltree gives it: the namespaces, and the helpers that match
//! `w:` elements and read their attributes, for every reader of a .docx part (pandoc's
//! Docx/Util).
//!
//! Contract: elements are matched by namespace URI (Transitional or Strict, whatever
//! prefix the writer chose), never by prefix; attribute readers bound what they return
//! and never fail.

use roxmltree::Node;

/// WordprocessingML, Transitional.
pub const W_TRANSITIONAL: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// WordprocessingML, Strict.
pub const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
/// Markup compatibility (`mc:AlternateContent`).
pub(super) const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Whether `n` is the element `name` of WordprocessingML namespace `w` (Transitional or
/// Strict, whatever prefix the writer chose).
pub(super) fn is_w(n: Node, w: &str, name: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(w) && n.tag_name().name() == name
}

/// The first child of `n` that is the element `name` of namespace `w`.
pub(super) fn w_child<'a, 'i>(n: Node<'a, 'i>, w: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is_w(*c, w, name))
}

/// The `w:val` of `n`'s child element `name`.
pub(super) fn w_val<'a>(n: Node<'a, '_>, w: &str, name: &str) -> Option<&'a str> {
    w_child(n, w, name).and_then(|c| c.attribute((w, "val")))
}

/// A length attribute in twips: a whole number, its size where negative, bounded.
pub(super) fn twips(n: Node, w: &str, name: &str) -> Option<u32> {
    let v = n.attribute((w, name))?.trim().parse::<f64>().ok()?;
    v.is_finite()
        .then(|| v.abs().min(f64::from(u32::MAX / 2)) as u32)
}

/// Whether an on/off property is on: no value, or anything but a false spelling.
pub(super) fn on(node: Node, w: &str) -> bool {
    !matches!(
        node.attribute((w, "val")),
        Some("0" | "false" | "off" | "none")
    )
}
