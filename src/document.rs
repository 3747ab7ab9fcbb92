//! The layout-neutral document: what every writer consumes.
//!
//! Contract: compose builds a [`Document`] from a validated plan and its templates; the
//! .docx writer and the PDF layout read only this. Nothing here knows YAML, Handlebars,
//! WordprocessingML or PDF. All lengths are millimetres (`_mm`) or points (`_pt`);
//! text is NFC Unicode where `'\n'` is a line break inside a paragraph.

/// A whole output: metadata plus one [`Part`] per appendix, each starting on a new page.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Title, author, language and date of the file.
    pub meta: Metadata,
    /// The appendices, in order.
    pub parts: Vec<Part>,
}

/// File-level properties (docx core properties, PDF XMP).
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    /// Document title, e.g. "Phụ lục kèm theo Kế hoạch số …/KH-UBND".
    pub title: String,
    /// The issuing body, e.g. "Ủy ban nhân dân phường Thạch Khôi".
    pub author: String,
    /// BCP 47 language tag of the text, e.g. "vi-VN".
    pub language: String,
    /// The date the file is stamped with: the plan date, else a fixed date. Never the clock.
    pub date: Date,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

/// One appendix: its own page setup, page numbering, heading block and table.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Short name used for file names and outlines, e.g. "phu-luc-I".
    pub slug: String,
    /// What a reader calls it, e.g. "Phụ lục I" (bookmarks, outline).
    pub outline: String,
    /// Paper and margins.
    pub page: PageSetup,
    /// Page-number policy.
    pub page_numbers: PageNumbers,
    /// Lines above the table: label, title, reference line.
    pub heading: Vec<Paragraph>,
    /// A short centred rule under the heading block, if any.
    pub rule: Option<Rule>,
    /// Space between the heading block (or rule) and the table.
    pub space_before_table_pt: f32,
    /// The table.
    pub table: Table,
}

/// Paper size and margins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    /// Page width as printed (landscape already swapped).
    pub width_mm: f32,
    /// Page height as printed.
    pub height_mm: f32,
    /// Whether the page is landscape (width > height).
    pub landscape: bool,
    /// Margins.
    pub margins: Margins,
    /// Distance from the top edge to the page-number line.
    pub header_mm: f32,
}

impl PageSetup {
    /// Width available to text between the left and right margins.
    pub fn text_width_mm(&self) -> f32 {
        self.width_mm - self.margins.left - self.margins.right
    }
}

/// Four lengths in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top.
    pub top: f32,
    /// Bottom.
    pub bottom: f32,
    /// Left.
    pub left: f32,
    /// Right.
    pub right: f32,
}

/// Where page numbers go and which pages show them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageNumbers {
    /// Whether pages are numbered at all.
    pub enabled: bool,
    /// The number of the part's first page (numbering restarts per part).
    pub start: u32,
    /// Whether the first page shows its number (Decree 30: it does not).
    pub show_on_first: bool,
    /// Font size of the number.
    pub size_pt: f32,
}

/// A paragraph of the heading block.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The text; `'\n'` is a line break.
    pub text: String,
    /// Font style.
    pub style: TextStyle,
    /// Horizontal alignment.
    pub align: Align,
    /// Space after the paragraph.
    pub space_after_pt: f32,
}

/// Font size and weight of a run of text. The family is the writer's choice
/// (Times New Roman in .docx, its metric twin Liberation Serif or the office's font in PDF).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Size in points.
    pub size_pt: f32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

/// Horizontal alignment of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified; the last line of a paragraph stays ragged.
    Justify,
}

/// A horizontal rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Length, centred on the text width.
    pub width_mm: f32,
    /// Line thickness.
    pub thickness_pt: f32,
    /// Space between the line above and the rule (the rule is drawn this far below the
    /// heading block's last line; the table follows `Part::space_before_table_pt` below it).
    pub space_before_pt: f32,
}

/// A table with a fixed column grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column widths; they add up to the text width.
    pub columns: Vec<f32>,
    /// Cell padding.
    pub padding: Margins,
    /// Border line thickness (all borders, single line).
    pub border_pt: f32,
    /// Rows that repeat at the top of every page.
    pub header: Vec<Row>,
    /// Body rows: section and group headings and items, in order.
    pub body: Vec<Row>,
}

/// What a row is, for styling and page-breaking decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// The column-title row.
    Header,
    /// A section heading (Roman numbered).
    Section,
    /// A group heading (Arabic numbered).
    Group,
    /// A body row.
    Item,
}

/// One table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Kind of row.
    pub kind: RowKind,
    /// What a reader calls the row in messages, e.g. "mục 4.2" or "nhóm 4".
    pub label: String,
    /// Cells; their spans add up to the number of columns.
    pub cells: Vec<Cell>,
    /// Never leave this row last on a page (headings keep with the next row).
    pub keep_with_next: bool,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text; `'\n'` is a line break. Empty for an empty cell.
    pub text: String,
    /// How many grid columns the cell covers (at least 1).
    pub span: usize,
    /// Font style.
    pub style: TextStyle,
    /// Horizontal alignment.
    pub align: Align,
    /// Vertical alignment.
    pub valign: VAlign,
}

/// Vertical alignment of a cell's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    /// Top of the cell.
    Top,
    /// Middle of the cell.
    Center,
}
