//! Checking one kind: its `layout.yaml` parsed and made sense of (columns, kinds,
//! widths, totals, header groups), its heading templates compiled.
//!
//! Contract: every problem of a kind is reported at once, with the template file and,
//! where known, line:column; a kind with any problem is not made. A checked [`Kind`] is
//! what compose, the diff and import rely on.

use std::path::{Path, PathBuf};

use handlebars::Handlebars;

use super::layout::{Column, ColumnKind, Layout, Role};
use super::load::{KindFiles, LINE_TEMPLATES};
use crate::diag::{Diagnostic, Pos};
use crate::model::load::yaml_error;
use crate::text;

/// One appendix kind, loaded and checked.
#[derive(Debug, Clone)]
pub struct Kind {
    /// The layout.
    pub layout: Layout,
    /// Where it came from (for messages).
    pub origin: PathBuf,
    /// Its files as read (`layout.yaml` and the `.hbs` by name): what `import` copies
    /// into a variant of the kind.
    pub files: std::collections::BTreeMap<String, String>,
}

/// Parses and checks one kind, registering its heading templates.
pub(super) fn check_kind(
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
            files: files.files.clone(),
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
