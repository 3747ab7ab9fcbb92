//! The heading lines above an appendix's table: the “PHỤ LỤC I” label, the title, and the
//! “(Kèm theo …)” reference line (read by `reference`), as the recogniser gathers them.

/// The heading lines before a table.
#[derive(Default)]
pub(super) struct Heading {
    pub(super) label: Option<String>,
    pub(super) title: Vec<String>,
    pub(super) reference: Option<String>,
    /// The font size of the "PHỤ LỤC" line (else of the first title line), for a
    /// template made from the table.
    pub(super) size_pt: Option<f32>,
}
