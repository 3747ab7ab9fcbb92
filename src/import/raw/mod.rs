//! The neutral model of a Word document: blocks of paragraphs and tables, cells on the
//! grid, text as the reader sees it in Word's accepted view.
//!
//! Contract: [`read`] turns a [`Package`] into a [`RawDocument`] and knows nothing of
//! plans. Elements are matched by namespace URI (Transitional and Strict
//! WordprocessingML alike, whatever prefix a writer chose). Text rules:
//! - runs are joined as they come, so a word split across runs is one word again;
//! - `w:tab` → tab, `w:br` (text wrapping) and `w:cr` → line break, page and column
//!   breaks → nothing (they are layout, not text); `w:noBreakHyphen` → `-` (the clerk
//!   typed a hyphen; Word only keeps it unbroken); `w:softHyphen` → nothing (an
//!   invisible break hint); `w:sym` → its character (symbol-font codes `F0xx` → `xx`);
//! - tracked changes in their accepted view: `w:ins`/`w:moveTo` kept, `w:del`/
//!   `w:moveFrom` dropped;
//! - `w:sdt`, `w:hyperlink`, `w:smartTag`, `w:customXml`, `w:fldSimple` are looked
//!   through, at block, row, cell and run level;
//! - complex fields: only the result between `separate` and `end` is kept, nested fields
//!   included; instructions never reach the text;
//! - `mc:AlternateContent`: exactly one branch, the `mc:Fallback` (written for readers
//!   that know only core WordprocessingML, so it holds the same text in elements this
//!   reader knows), else the first `mc:Choice`;
//! - hidden text (`w:vanish` on the run, its character style, the paragraph style or
//!   the document defaults) is dropped; a paragraph with only hidden text is dropped;
//! - runs in old-encoding fonts (`.VnTime`, `.VnTimeH` … TCVN3; `VNI-Times` … VNI; the
//!   font resolved run → character style → paragraph style → defaults) are converted
//!   to Unicode, and the paragraph says so;
//! - Word's automatic numbering (`w:numPr` on the paragraph or its style; levels from
//!   `numbering.xml` with `w:start`, `lvlOverride`/`startOverride`, `lvlText` with
//!   `%1`…`%9`, formats decimal, Roman, letters) is written into the text as Word shows
//!   it ("4.2.", "II."), counted across cells and tables; bullets add nothing;
//! - text boxes (`wps:txbx` in a drawing, `v:textbox` in VML; of an `mc:AlternateContent`
//!   only the branch read) become paragraphs right after the paragraph anchoring them;
//! - every paragraph's text is NFC.
//!
//! Tables: cells carry their grid column and span (`w:gridBefore` shifts the first
//! cell; `w:gridAfter` is recorded); a `w:vMerge` continuation cell gets the text of the
//! cell that started the merge, and says which row that was, so the merged text
//! belongs to every row it spans. A body-level table carries the page setup of its
//! section (`w:sectPr`: the next paragraph's that closes a section, else the body's
//! last); a paragraph carries its alignment (`w:jc`, direct, else through its style's
//! `w:basedOn` chain, else the document default) and its first visible run's size
//! (`w:sz`), what a template made from an unknown table needs. Nesting is bounded ([`MAX_TABLE_DEPTH`] tables,
//! [`MAX_DEPTH`] elements).
//!
//! Agency names: a custom XML part in [`AGENCY_NAMES_NS`] (phuluc's own .docx writes
//! one) gives the names its list cells are made of, so recognition can cut a cell
//! joined with ", " back into names that themselves contain commas.
//!
//! The rooms: [`model`] (the types), [`styles`] (formatting resolved through styles),
//! [`reader`] (the walk over the XML); the namespaces and `w:` helpers are
//! [`super::xml`]'s. This file re-exports what callers use.
//!
//! [`AGENCY_NAMES_NS`]: crate::document::AGENCY_NAMES_NS

mod model;
mod reader;
mod styles;

/// A paragraph's horizontal alignment: the document model's own.
pub use crate::document::Align;
pub(crate) use model::resolve_merges;
pub use model::{Block, Cell, Merge, Paragraph, RawDocument, Row, SectionProps, Table};
pub use reader::{MAX_DEPTH, MAX_TABLE_DEPTH, read};
