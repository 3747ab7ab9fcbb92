//! Appendix templates: one folder per kind, holding `layout.yaml` (page, sizes, columns)
//! and Handlebars templates for the heading lines (`label.hbs`, `title.hbs`,
//! `reference.hbs`).
//!
//! Contract: the built-in kinds are compiled into the binary (see `build.rs`); a
//! `--templates DIR` folder adds kinds or replaces built-in ones of the same name. Loading
//! checks everything up front — layout fields, column kinds, Handlebars syntax — and
//! reports problems with the template file and line:column. Handlebars runs in strict
//! mode with escaping off: the writers escape for their own formats.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use handlebars::Handlebars;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Pos};
use crate::model::load::yaml_error;
use crate::model::validate::{FieldKind, FieldsLookup, RowFields};
use crate::text;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_templates.rs"));
}

/// The heading-line templates every kind has.
pub const LINE_TEMPLATES: [&str; 3] = ["label", "title", "reference"];

/// The built-in kind whose heading templates a new kind starts from.
const DEFAULT_LINES_KIND: &str = "nhiem-vu";

/// The built-in heading template `line` ("label", "title", "reference"), as every
/// built-in kind has it: what a kind made by `import` starts from.
pub fn default_line_template(line: &str) -> Option<&'static str> {
    let name = format!("{line}.hbs");
    builtin::BUILTIN
        .iter()
        .find(|(kind, file, _)| *kind == DEFAULT_LINES_KIND && *file == name)
        .map(|(_, _, contents)| *contents)
}

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

/// One appendix kind, loaded and checked.
#[derive(Debug, Clone)]
pub struct Kind {
    /// The layout.
    pub layout: Layout,
    /// Where it came from (for messages).
    pub origin: PathBuf,
}

/// All known kinds plus their compiled heading templates. Cloned by `phuluc serve`'s
/// import, which adds the kinds it derives to a copy of its own.
#[derive(Clone)]
pub struct Templates {
    kinds: BTreeMap<String, Kind>,
    registry: Handlebars<'static>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("kinds", &self.kinds.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Source files of one kind before checking.
#[derive(Default)]
struct KindFiles {
    dir: PathBuf,
    files: BTreeMap<String, String>,
}

impl Templates {
    /// The built-in kinds only.
    pub fn builtin() -> Result<Templates, Vec<Diagnostic>> {
        Templates::load(None)
    }

    /// The built-in kinds, then those in `dir` (same name replaces).
    pub fn load(dir: Option<&Path>) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, KindFiles> = BTreeMap::new();
        for (kind, name, contents) in builtin::BUILTIN {
            let entry = sources.entry((*kind).to_owned()).or_default();
            entry.dir = Path::new("templates").join(kind);
            entry
                .files
                .insert((*name).to_owned(), (*contents).to_owned());
        }
        if let Some(dir) = dir {
            for (kind, files) in read_dir_kinds(dir)? {
                sources.insert(kind, files);
            }
        }
        let mut diags = Vec::new();
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        let mut kinds = BTreeMap::new();
        for (kind, files) in sources {
            match check_kind(&kind, &files, &mut registry) {
                Ok(k) => {
                    kinds.insert(kind, k);
                }
                Err(mut d) => diags.append(&mut d),
            }
        }
        if diags.is_empty() {
            Ok(Templates { kinds, registry })
        } else {
            Err(diags)
        }
    }

    /// Adds (or replaces) kind `kind` from its files in memory (`layout.yaml` and the
    /// `.hbs` heading templates by name), checked as a folder's would be; `dir` is where
    /// the files are (or will be) for messages. A kind that does not check is not added.
    pub fn add_kind(
        &mut self,
        kind: &str,
        dir: &Path,
        files: &BTreeMap<String, String>,
    ) -> Result<(), Vec<Diagnostic>> {
        let files = KindFiles {
            dir: dir.to_path_buf(),
            files: files.clone(),
        };
        let k = check_kind(kind, &files, &mut self.registry)?;
        self.kinds.insert(kind.to_owned(), k);
        Ok(())
    }

    /// The kind named `name`.
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.get(name)
    }

    /// Renders heading line `line` ("label", "title", "reference") of kind `kind`.
    pub fn render_line(
        &self,
        kind: &str,
        line: &str,
        data: &serde_json::Value,
    ) -> Result<String, Diagnostic> {
        let name = format!("{kind}/{line}");
        self.registry
            .render(&name, data)
            .map(|s| s.trim_end_matches(['\n', '\r']).to_owned())
            .map_err(|e| {
                let file = self
                    .kinds
                    .get(kind)
                    .map(|k| k.origin.join(format!("{line}.hbs")))
                    .unwrap_or_else(|| PathBuf::from(format!("{name}.hbs")));
                Diagnostic::error(text!(
                    format!("lỗi khi điền mẫu: {}", e.reason()),
                    format!("template rendering failed: {}", e.reason())
                ))
                .in_file(&file)
                .at(e.line_no.map(|l| Pos {
                    line: u32::try_from(l).unwrap_or(u32::MAX),
                    column: u32::try_from(e.column_no.unwrap_or(1)).unwrap_or(u32::MAX),
                }))
                .hint(text!(
                    "Chỉ dùng các biến có sẵn: plan.kind, plan.number, plan.symbol, plan.date.day/month/year, plan.year, plan.issuer, appendix.number, appendix.title (xem README).",
                    "Use only the available variables: plan.kind, plan.number, plan.symbol, plan.date.day/month/year, plan.year, plan.issuer, appendix.number, appendix.title (see README)."
                ))
            })
    }
}

impl FieldsLookup for Templates {
    fn row_fields(&self, kind: &str) -> Option<RowFields> {
        self.kinds.get(kind).map(|k| RowFields {
            fields: k
                .layout
                .columns
                .iter()
                .filter_map(|c| match c.kind {
                    ColumnKind::Number => None,
                    ColumnKind::Text => Some((c.field.clone(), FieldKind::Text)),
                    ColumnKind::List => Some((c.field.clone(), FieldKind::List)),
                    ColumnKind::Amount => Some((c.field.clone(), FieldKind::Amount)),
                    ColumnKind::Date => Some((c.field.clone(), FieldKind::Date)),
                    ColumnKind::Percent => Some((c.field.clone(), FieldKind::Percent)),
                })
                .collect(),
        })
    }

    fn kinds(&self) -> Vec<String> {
        self.kinds.keys().cloned().collect()
    }
}

/// Reads every sub-folder of `dir` holding a `layout.yaml`.
fn read_dir_kinds(dir: &Path) -> Result<BTreeMap<String, KindFiles>, Vec<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        vec![
            Diagnostic::error(text!(
                format!("không đọc được thư mục mẫu: {e}"),
                format!("cannot read the templates folder: {e}")
            ))
            .in_file(dir)
            .hint(text!(
                "Chỉ ra thư mục chứa các thư mục mẫu (mỗi thư mục có layout.yaml).",
                "Name the folder holding template folders (each with a layout.yaml)."
            )),
        ]
    };
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        if !path.join("layout.yaml").is_file() {
            continue;
        }
        let mut files = KindFiles {
            dir: path.clone(),
            files: BTreeMap::new(),
        };
        for name in std::iter::once("layout.yaml".to_owned())
            .chain(LINE_TEMPLATES.iter().map(|l| format!("{l}.hbs")))
        {
            let p = path.join(&name);
            if p.is_file() {
                let bytes = std::fs::read(&p).map_err(unreadable)?;
                let s = crate::model::load::decode(&bytes, &p).map_err(|d| vec![d])?;
                files.files.insert(name, s.to_owned());
            }
        }
        out.insert(entry.file_name().to_string_lossy().into_owned(), files);
    }
    Ok(out)
}

/// Parses and checks one kind, registering its heading templates.
fn check_kind(
    kind: &str,
    files: &KindFiles,
    registry: &mut Handlebars<'static>,
) -> Result<Kind, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let layout_path = files.dir.join("layout.yaml");
    let layout = match files.files.get("layout.yaml") {
        Some(src) => match serde_saphyr::from_str::<Layout>(src) {
            Ok(l) => Some(l),
            Err(e) => {
                diags.push(yaml_error(&e, &layout_path));
                None
            }
        },
        None => {
            diags.push(
                Diagnostic::error(text!(
                    format!("mẫu “{kind}” thiếu tệp layout.yaml"),
                    format!("template “{kind}” has no layout.yaml")
                ))
                .in_file(&files.dir),
            );
            None
        }
    };
    if let Some(layout) = &layout {
        check_layout(layout, &layout_path, &mut diags);
    }
    for line in LINE_TEMPLATES {
        let file = files.dir.join(format!("{line}.hbs"));
        let Some(src) = files.files.get(&format!("{line}.hbs")) else {
            diags.push(
                Diagnostic::error(text!(
                    format!("mẫu “{kind}” thiếu tệp {line}.hbs"),
                    format!("template “{kind}” has no {line}.hbs")
                ))
                .in_file(&files.dir)
                .hint(text!(
                    "Mỗi mẫu cần label.hbs, title.hbs và reference.hbs; chép từ templates/nhiem-vu/.",
                    "Each template needs label.hbs, title.hbs and reference.hbs; copy them from templates/nhiem-vu/."
                )),
            );
            continue;
        };
        if let Err(e) = registry.register_template_string(&format!("{kind}/{line}"), src) {
            let (l, c) = e.pos().unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(text!(
                    // The parser's own wording lists grammar rules; say what it means.
                    "lỗi cú pháp Handlebars: một thẻ {{…}} chưa đóng hoặc viết sai",
                    format!("Handlebars syntax error: {}", e.reason())
                ))
                .in_file(&file)
                .at(Some(Pos {
                    line: u32::try_from(l).unwrap_or(u32::MAX),
                    column: u32::try_from(c).unwrap_or(u32::MAX),
                }))
                .hint(text!(
                    "Kiểm tra các cặp {{…}} và {{#if}}…{{/if}} đóng mở đúng.",
                    "Check that {{…}} and {{#if}}…{{/if}} pairs open and close."
                )),
            );
        }
    }
    match layout {
        Some(layout) if diags.is_empty() => Ok(Kind {
            layout,
            origin: files.dir.clone(),
        }),
        _ => Err(diags),
    }
}

fn check_layout(layout: &Layout, path: &Path, diags: &mut Vec<Diagnostic>) {
    check_header_groups(layout, path, diags);
    let mut bad = |vi: String, en: String| {
        diags.push(Diagnostic::error(text!(vi, en)).in_file(path).hint(text!(
            "Sửa layout.yaml theo mẫu templates/nhiem-vu/layout.yaml.",
            "Fix layout.yaml following templates/nhiem-vu/layout.yaml."
        )));
    };
    if layout.columns.is_empty() {
        bad(
            "mẫu chưa có cột nào".into(),
            "the template has no columns".into(),
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for c in &layout.columns {
        if !(c.width.is_finite() && c.width > 0.0) {
            bad(
                format!("cột “{}” có độ rộng không hợp lệ", c.field),
                format!("column “{}” has an invalid width", c.field),
            );
        }
        if !seen.insert(c.field.as_str()) {
            bad(
                format!("cột “{}” bị khai báo hai lần", c.field),
                format!("column “{}” is declared twice", c.field),
            );
        }
        if c.role.is_some() && c.kind != ColumnKind::List {
            bad(
                format!(
                    "cột “{}” có “role” nhưng không phải danh sách cơ quan (kind: list)",
                    c.field
                ),
                format!(
                    "column “{}” has a “role” but is not an agency list (kind: list)",
                    c.field
                ),
            );
        }
        if ["number", "id"].contains(&c.field.as_str()) && c.kind != ColumnKind::Number {
            bad(
                format!("tên cột “{}” đã dành riêng", c.field),
                format!("column name “{}” is reserved", c.field),
            );
        }
    }
    for c in &layout.columns {
        if c.decimals.is_some_and(|d| d > 3)
            || (c.decimals.is_some() && !matches!(c.kind, ColumnKind::Amount | ColumnKind::Percent))
        {
            bad(
                format!(
                    "cột “{}”: “decimals” chỉ dùng cho cột amount hoặc percent, từ 0 đến 3",
                    c.field
                ),
                format!(
                    "column “{}”: “decimals” is for amount or percent columns, 0 to 3",
                    c.field
                ),
            );
        }
        if !c.sum_of.is_empty() && c.kind != ColumnKind::Amount {
            bad(
                format!("cột “{}”: “sum_of” chỉ dùng cho cột amount", c.field),
                format!("column “{}”: “sum_of” is for amount columns", c.field),
            );
        }
        for f in &c.sum_of {
            let target = layout.columns.iter().find(|o| &o.field == f);
            if f == &c.field
                || !target.is_some_and(|o| o.kind == ColumnKind::Amount && o.sum_of.is_empty())
            {
                bad(
                    format!(
                        "cột “{}”: “sum_of” phải kể các cột amount khác (không tự cộng chính nó, không cộng cột tổng khác); “{f}” không phải",
                        c.field
                    ),
                    format!(
                        "column “{}”: “sum_of” must name other amount columns (not itself, not another sum); “{f}” is not one",
                        c.field
                    ),
                );
            }
        }
    }
    if layout.totals.is_some() && !layout.columns.iter().any(|c| c.kind == ColumnKind::Amount) {
        bad(
            "mẫu có “totals” nhưng không có cột amount nào để cộng".into(),
            "the template has “totals” but no amount column to add up".into(),
        );
    }
    for role in [Role::Lead, Role::Support] {
        let with: Vec<&str> = layout
            .columns
            .iter()
            .filter(|c| c.role() == Some(role))
            .map(|c| c.field.as_str())
            .collect();
        if with.len() > 1 {
            let list = with.join("”, “");
            bad(
                format!(
                    "nhiều cột cùng vai trò {}: “{list}”",
                    match role {
                        Role::Lead => "chủ trì (lead)",
                        Role::Support => "phối hợp (support)",
                    }
                ),
                format!(
                    "several columns have the role {}: “{list}”",
                    match role {
                        Role::Lead => "lead",
                        Role::Support => "support",
                    }
                ),
            );
        }
    }
    let m = layout.page.margins_mm;
    let sizes = [
        m.top,
        m.bottom,
        m.left,
        m.right,
        layout.page.header_mm,
        layout.text.heading_pt,
        layout.text.table_pt,
        layout.text.page_number_pt,
        layout.table.border_pt,
        layout.table.rule_mm,
    ];
    if sizes.iter().any(|v| !v.is_finite() || *v < 0.0)
        || m.left + m.right > 150.0
        || m.top + m.bottom > 150.0
        || !(6.0..=40.0).contains(&layout.text.table_pt)
        || !(6.0..=40.0).contains(&layout.text.heading_pt)
    {
        bad(
            "lề, cỡ chữ hoặc độ dày nét nằm ngoài khoảng hợp lý".into(),
            "a margin, font size or line thickness is out of range".into(),
        );
    }
}

/// The most header groups a column may stand under (three header rows in all).
pub const MAX_GROUP_DEPTH: usize = 2;

/// A header tree is well formed when every group label is text, no column stands under
/// more than [`MAX_GROUP_DEPTH`] groups, and the columns under one group are neighbours
/// (a group split by another column would need two header cells of the same name).
/// Each problem is reported at the `group:` line that causes it.
fn check_header_groups(layout: &Layout, path: &Path, diags: &mut Vec<Diagnostic>) {
    let at = |c: &Column| {
        c.group
            .as_ref()
            .and_then(|g| crate::model::tree::pos_of(g.referenced))
    };
    let mut report = |c: &Column, vi: String, en: String| {
        diags.push(
            Diagnostic::error(text!(vi, en))
                .in_file(path)
                .at(at(c))
                .hint(text!(
                    "Mỗi cột ghi “group: [nhóm ngoài, nhóm trong]”; các cột cùng nhóm phải đứng liền nhau, tối đa hai cấp nhóm.",
                    "Give each column “group: [outer group, inner group]”; columns of one group must stand side by side, at most two levels."
                )),
        );
    };
    // Group paths already closed (a later column may not reopen them).
    let mut closed: Vec<Vec<String>> = Vec::new();
    let mut previous: &[String] = &[];
    for c in &layout.columns {
        let groups = c.groups();
        if groups.len() > MAX_GROUP_DEPTH {
            report(
                c,
                format!(
                    "cột “{}” nằm dưới {} cấp nhóm tiêu đề; tối đa {MAX_GROUP_DEPTH}",
                    c.field,
                    groups.len()
                ),
                format!(
                    "column “{}” stands under {} header group levels; at most {MAX_GROUP_DEPTH}",
                    c.field,
                    groups.len()
                ),
            );
            continue;
        }
        if groups.iter().any(|g| g.trim().is_empty()) {
            report(
                c,
                format!("cột “{}” có tên nhóm tiêu đề để trống", c.field),
                format!("column “{}” has an empty header group name", c.field),
            );
            continue;
        }
        // The prefixes the previous column had and this one does not are closed now.
        let shared = previous
            .iter()
            .zip(groups)
            .take_while(|(a, b)| a == b)
            .count();
        for depth in shared..previous.len() {
            closed.push(previous[..=depth].to_vec());
        }
        for depth in shared..groups.len() {
            let prefix = &groups[..=depth];
            if closed.iter().any(|p| p.as_slice() == prefix) {
                report(
                    c,
                    format!(
                        "nhóm tiêu đề “{}” bị tách: các cột của nhóm phải đứng liền nhau (cột “{}”)",
                        prefix.join(" / "),
                        c.field
                    ),
                    format!(
                        "header group “{}” is split: its columns must stand side by side (column “{}”)",
                        prefix.join(" / "),
                        c.field
                    ),
                );
                break;
            }
        }
        previous = groups;
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
