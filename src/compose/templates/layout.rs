//! `layout.yaml`: how an appendix kind looks — page, text sizes, table rules, columns —
//! as serde reads it, and its JSON Schema.
//!
//! Contract: the second input model, beside the plan's: plain types with serde's
//! defaults and `deny_unknown_fields`, and small questions about them (a column's role,
//! groups, digits; the main column). Checking that a layout makes sense is
//! [`super::check`]'s.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// `layout.yaml`: how an appendix kind looks.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// Human name of the kind.
    pub name: String,
    /// Page setup.
    #[serde(default)]
    pub page: PageLayout,
    /// Font sizes.
    #[serde(default)]
    pub text: TextLayout,
    /// Table look.
    #[serde(default)]
    pub table: TableLayout,
    /// Columns, left to right.
    pub columns: Vec<Column>,
    /// A row of column numbers — "(1)", "(2)" … or each column's `number_label` — under
    /// the header row.
    #[serde(default)]
    pub column_numbers: bool,
    /// Whether the column-number row repeats with the header on every page (default yes);
    /// otherwise it stands once, above the first body row.
    #[serde(default = "yes")]
    pub repeat_column_numbers: bool,
    /// Subtotal and total rows for the amount columns; none when absent.
    #[serde(default)]
    pub totals: Option<Totals>,
    /// How the heading block is worded, in the forms offices use (default: phuluc's
    /// own, as the seed plan prints).
    #[serde(default)]
    pub heading: HeadingLayout,
}

/// The forms of the heading block offices use. The built-in `reference.hbs` reads
/// `opening` and `blank_date` as `heading.opening` and `heading.long_date`; a kind's own
/// `reference.hbs` may ignore them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeadingLayout {
    /// `separate`: “PHỤ LỤC I” and the title in paragraphs of their own (default);
    /// `joined`: one paragraph “PHỤ LỤC I. HỆ THỐNG CHỈ TIÊU …”.
    #[serde(default)]
    pub label_title: LabelTitle,
    /// The reference line's opening words: `kem-theo` “(Kèm theo …)” (default) or
    /// `ban-hanh-kem-theo` “(Ban hành kèm theo …)”.
    #[serde(default)]
    pub opening: Opening,
    /// A date not yet filled in: `short` “ngày       /      /2026” (default) or `long`
    /// “ngày      tháng      năm 2026”. A filled date prints “ngày 05 tháng 02 năm 2026”
    /// either way.
    #[serde(default)]
    pub blank_date: BlankDate,
}

/// Whether the label and the title share a paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LabelTitle {
    /// Two paragraphs: “PHỤ LỤC I”, then the title.
    #[default]
    Separate,
    /// One paragraph, joined by “. ”: “PHỤ LỤC I. HỆ THỐNG CHỈ TIÊU …”.
    Joined,
}

/// The reference line's opening words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Opening {
    /// “(Kèm theo …)”.
    #[default]
    KemTheo,
    /// “(Ban hành kèm theo …)”.
    BanHanhKemTheo,
}

impl Opening {
    /// The words as printed.
    pub fn words(self) -> &'static str {
        match self {
            Opening::KemTheo => "Kèm theo",
            Opening::BanHanhKemTheo => "Ban hành kèm theo",
        }
    }
}

/// How a date not yet filled in is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BlankDate {
    /// “ngày       /      /2026”.
    #[default]
    Short,
    /// “ngày      tháng      năm 2026”.
    Long,
}

fn yes() -> bool {
    true
}

/// Which computed total rows an appendix kind has (amount columns only).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// A subtotal row after each group that has a heading.
    #[serde(default)]
    pub groups: bool,
    /// A subtotal row after each section that has a heading.
    #[serde(default)]
    pub sections: bool,
    /// Where a group's or section's subtotal stands: `after` it, in a row of its own
    /// (“Cộng nhóm 1”, default), or in its own `heading` row (bold, as budgets are
    /// commonly typed: “I | Tuyên truyền … | 118 | 57,5 …”).
    #[serde(default)]
    pub subtotal_position: SubtotalPosition,
    /// A grand total row (default yes).
    #[serde(default = "yes")]
    pub grand: bool,
    /// Where the grand total stands: `top` (right under the header, as budget tables
    /// often have it) or `bottom` (default).
    #[serde(default)]
    pub grand_position: TotalPosition,
    /// The grand total's label (default "Tổng cộng").
    #[serde(default = "grand_label")]
    pub grand_label: String,
    /// A subtotal's label (default "Cộng"); the group or section number follows it.
    #[serde(default = "subtotal_label")]
    pub subtotal_label: String,
}

fn grand_label() -> String {
    "Tổng cộng".to_owned()
}

fn subtotal_label() -> String {
    "Cộng".to_owned()
}

/// Where the grand total row stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TotalPosition {
    /// Right under the header (and column-number) rows.
    Top,
    /// After the last body row.
    #[default]
    Bottom,
}

/// Where the subtotals of groups and sections stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SubtotalPosition {
    /// In the group's or section's own heading row, right of its text.
    Heading,
    /// In a row of its own after the group's or section's last row.
    #[default]
    After,
}

/// Page orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Wide (297 × 210 mm).
    Landscape,
    /// Tall (210 × 297 mm).
    Portrait,
}

/// Page settings of a kind.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageLayout {
    /// Orientation of the A4 page.
    pub orientation: Orientation,
    /// Margins in millimetres.
    pub margins_mm: MarginsMm,
    /// Distance from the top edge to the page-number line.
    pub header_mm: f32,
}

impl Default for PageLayout {
    fn default() -> Self {
        PageLayout {
            orientation: Orientation::Landscape,
            margins_mm: MarginsMm {
                top: 20.0,
                bottom: 20.0,
                left: 30.0,
                right: 15.0,
            },
            header_mm: 10.0,
        }
    }
}

/// Four lengths in millimetres.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarginsMm {
    /// Top.
    pub top: f32,
    /// Bottom.
    pub bottom: f32,
    /// Left.
    pub left: f32,
    /// Right.
    pub right: f32,
}

/// Font sizes of a kind.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextLayout {
    /// Heading block lines.
    pub heading_pt: f32,
    /// Table text.
    pub table_pt: f32,
    /// Page numbers.
    pub page_number_pt: f32,
}

impl Default for TextLayout {
    fn default() -> Self {
        TextLayout {
            heading_pt: 14.0,
            table_pt: 13.0,
            page_number_pt: 13.0,
        }
    }
}

/// Table look of a kind.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableLayout {
    /// Cell padding in millimetres.
    pub padding_mm: MarginsMm,
    /// Border thickness.
    pub border_pt: f32,
    /// Length of the rule under the heading block; 0 for none.
    pub rule_mm: f32,
}

impl Default for TableLayout {
    fn default() -> Self {
        TableLayout {
            padding_mm: MarginsMm {
                top: 0.5,
                bottom: 0.5,
                left: 1.9,
                right: 1.9,
            },
            border_pt: 0.5,
            rule_mm: 50.0,
        }
    }
}

/// What a column shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// The computed row number (Stt).
    Number,
    /// A text field.
    Text,
    /// A list field (agencies), joined with ", ".
    List,
    /// A number (money), written 1.250.000 or 12,5; summed in total rows.
    Amount,
    /// A date, written dd/mm/yyyy.
    Date,
    /// A percentage, written 12,5%.
    Percent,
}

/// Horizontal alignment in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ColumnAlign {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified.
    Justify,
}

/// One column.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Row field shown (for `number`, any name; conventionally `stt`).
    pub field: String,
    /// Header text.
    pub header: String,
    /// What the column shows.
    pub kind: ColumnKind,
    /// Relative width.
    pub width: f32,
    /// Alignment of body cells.
    pub align: ColumnAlign,
    /// Digits after the decimal comma of an amount or percent column (0–3; default 0).
    #[serde(default)]
    pub decimals: Option<u8>,
    /// For an amount column that is the sum of others in the same row, e.g. "Tổng số" =
    /// the three sources: their fields. The row's own value, if typed, is checked against
    /// the sum.
    #[serde(default)]
    pub sum_of: Vec<String>,
    /// This column's label in the column-number row, e.g. "(5) = (6) + (7)"; default its
    /// position "(5)".
    #[serde(default)]
    pub number_label: Option<String>,
    /// The header groups above this column, outermost first: `[Kinh phí (triệu đồng),
    /// Trong đó]` puts the column under "Trong đó" under "Kinh phí (triệu đồng)".
    /// Neighbouring columns with the same groups share one header cell; a column with
    /// fewer levels than the others spans the header rows below its last group. At most
    /// two levels (three header rows).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>", length(max = 2))]
    pub group: Option<Spanned<Vec<String>>>,
    /// An empty cell in this column is normal (a "Ghi chú" column): `check` does not warn.
    #[serde(default)]
    pub optional: bool,
    /// Shows a run of equal consecutive values in this column (e.g. one lead agency for
    /// several rows) once, in a cell merged down over the run.
    #[serde(default)]
    pub merge_equal: bool,
    /// For an agency list: whether it names the agencies that lead the row (`lead`, chủ
    /// trì) or support it (`support`, phối hợp). Without it, a list column named
    /// `chu_tri` leads and one named `phoi_hop` supports (see [`Column::role`]).
    #[serde(default)]
    pub role: Option<Role>,
}

/// What an agency list column says about the agencies it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The agencies that lead the task (Cơ quan chủ trì).
    Lead,
    /// The agencies that support it (Cơ quan phối hợp).
    Support,
}

impl Column {
    /// The column's agency role: the explicit `role:`, else by the usual field names, so
    /// template folders written before `role:` existed keep working. `None` for a column
    /// that is not an agency list.
    pub fn role(&self) -> Option<Role> {
        if self.kind != ColumnKind::List {
            return None;
        }
        self.role.or(match self.field.as_str() {
            "chu_tri" => Some(Role::Lead),
            "phoi_hop" => Some(Role::Support),
            _ => None,
        })
    }

    /// The header groups above the column, outermost first (none: `[]`).
    pub fn groups(&self) -> &[String] {
        self.group.as_ref().map_or(&[], |g| g.value.as_slice())
    }

    /// Digits after the decimal comma (amount and percent columns).
    pub fn digits(&self) -> u32 {
        u32::from(self.decimals.unwrap_or(0).min(3))
    }
}

impl Layout {
    /// The column holding the row's main text (the task or objective): the first text
    /// column.
    pub fn main_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.kind == ColumnKind::Text)
    }

    /// The first column with agency role `role`.
    pub fn role_column(&self, role: Role) -> Option<usize> {
        self.columns.iter().position(|c| c.role() == Some(role))
    }
}

/// The JSON Schema of `layout.yaml`, for editors (a template's first line
/// `# yaml-language-server: $schema=…/layout.schema.json` makes VS Code check it).
pub fn layout_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(Layout).to_value();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "$id".to_owned(),
            serde_json::json!("https://phuluc.invalid/schema/layout.schema.json"),
        );
    }
    schema
}
