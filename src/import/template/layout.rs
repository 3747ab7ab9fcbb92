//! The `layout.yaml` text of a kind made from an unknown table, in the house style of
//! `templates/nhiem-vu/layout.yaml`: the `$schema` line, what was read from the Word
//! file and what was guessed, each in a comment beside it.
//!
//! Contract: [`write_layout`] gives text that loads as a [`Layout`] (scalars a YAML reader
//! could misread are quoted) and says for every value whether it came from the Word file
//! or is a default. Here too what it is written from: the [`Options`], each column as it
//! will be written, the typed totals, and the units (millimetres from twips, a column
//! kind's name).
//!
//! [`Layout`]: crate::compose::templates::Layout

use std::fmt::Write as _;

use super::guess::Guess;
use crate::compose::templates::{ColumnKind, PageLayout, TableLayout, TextLayout};
use crate::import::raw::{Align, SectionProps};
use crate::import::yaml::{plain_or_quoted, quoted};

/// Twentieths of a point (twips) in a millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

/// Where the new kind is made from and for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Word file's name, for the opening comment.
    pub source: String,
    /// The path of `schema/layout.schema.json` relative to the new `layout.yaml`.
    pub schema: String,
    /// The folder the new kind's folder will be written into (for messages).
    pub dir: std::path::PathBuf,
}

/// Millimetres from twips, to a tenth.
pub(super) fn mm(twips: u32) -> f32 {
    ((f64::from(twips) / TWIPS_PER_MM) * 10.0).round() as f32 / 10.0
}

/// A column kind as `layout.yaml` spells it.
pub fn kind_name(k: ColumnKind) -> &'static str {
    match k {
        ColumnKind::Number => "number",
        ColumnKind::Text => "text",
        ColumnKind::List => "list",
        ColumnKind::Amount => "amount",
        ColumnKind::Date => "date",
        ColumnKind::Percent => "percent",
    }
}

/// The typed total rows: whether there is a grand total and where, and which subtotals.
#[derive(Default)]
pub(super) struct TypedTotals {
    pub(super) grand_top: Option<bool>,
    pub(super) groups: bool,
    pub(super) sections: bool,
    /// The groups' and sections' heading rows carry their subtotals.
    pub(super) in_heading: bool,
}

/// One column as it will be written.
pub(super) struct Col {
    pub(super) header: String,
    pub(super) groups: Vec<String>,
    pub(super) field: String,
    pub(super) guess: Guess,
    pub(super) width: Option<f32>,
    pub(super) align: Option<Align>,
    pub(super) optional: bool,
    pub(super) merge_equal: bool,
    pub(super) number_label: Option<String>,
    pub(super) role: Option<&'static str>,
}

/// A number as the house style writes it: "20", "12.5".
fn num(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A string inside a flow sequence `[…]`.
fn flow(s: &str) -> String {
    let plain = plain_or_quoted(s);
    if plain.starts_with('"') || !s.contains([',', '[', ']', '{', '}']) {
        plain
    } else {
        quoted(s)
    }
}

/// `line` padded so its comment starts at the house column.
fn commented(out: &mut String, line: &str, comment: &str) {
    let _ = writeln!(out, "{line:<32}# {comment}");
}

fn align_name(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "justify",
    }
}

/// Everything `layout.yaml` says.
pub(super) struct LayoutText<'a> {
    pub(super) slug: &'a str,
    pub(super) name: &'a str,
    pub(super) index: usize,
    pub(super) options: &'a Options,
    pub(super) section: Option<SectionProps>,
    pub(super) table_pt: Option<f32>,
    pub(super) heading_pt: Option<f32>,
    pub(super) column_numbers: bool,
    pub(super) totals: Option<&'a TypedTotals>,
    pub(super) cols: &'a [Col],
    pub(super) grid_ok: bool,
}

pub(super) fn write_layout(l: &LayoutText) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# yaml-language-server: $schema={}", l.options.schema);
    let _ = writeln!(
        out,
        "# Mẫu “{}”: do phuluc import tạo từ bảng {} của {}\n# (không mẫu nào có các tiêu đề cột này).",
        l.slug,
        l.index + 1,
        l.options.source
    );
    out.push_str(
        "# Tiêu đề, nhóm tiêu đề, độ rộng, căn lề, khổ và lề trang được đọc từ bản Word; loại cột\n\
         # (kind) là đoán: xem lại từng dòng “# đoán:”, nhất là cột number (số thứ tự tự đánh),\n\
         # amount (số, cộng ở dòng cộng), list (danh sách cơ quan), và tên cột (field) nếu muốn\n\
         # đổi thì đổi cả trong tệp kế hoạch. Rồi chạy: phuluc check TỆP.yaml --templates THƯ_MỤC.\n",
    );
    if l.grid_ok {
        out.push_str(
            "# Độ rộng cột là tỷ lệ tương đối (ở đây bằng mm theo w:tblGrid của bản Word); phuluc co\n\
             # giãn cho vừa khổ.\n",
        );
    } else {
        out.push_str(
            "# Bản Word không ghi độ rộng cột (w:tblGrid): các cột chia đều; sửa “width” cho hợp.\n",
        );
    }
    let _ = writeln!(out, "name: {}", plain_or_quoted(l.name));
    let default = PageLayout::default();
    out.push_str("page:\n");
    let s = l.section.unwrap_or_default();
    let orientation = match l.section {
        Some(s) if s.is_landscape() => "landscape",
        Some(_) => "portrait",
        None => "landscape",
    };
    commented(
        &mut out,
        &format!("  orientation: {orientation}"),
        if l.section.is_some() {
            "landscape (ngang) | portrait (dọc); theo bản Word"
        } else {
            "landscape (ngang) | portrait (dọc); bản Word không ghi: mặc định"
        },
    );
    let m = default.margins_mm;
    let margin = |v: Option<u32>, d: f32| v.map_or(d, |t| mm(t).min(70.0));
    let _ = writeln!(
        out,
        "  margins_mm: {{ top: {}, bottom: {}, left: {}, right: {} }}   # theo bản Word (w:pgMar); Nghị định 30: trên/dưới 20–25, trái 30–35, phải 15–20",
        num(margin(s.top, m.top)),
        num(margin(s.bottom, m.bottom)),
        num(margin(s.left, m.left)),
        num(margin(s.right, m.right)),
    );
    commented(
        &mut out,
        &format!("  header_mm: {}", num(margin(s.header, default.header_mm))),
        "khoảng cách từ mép trên đến dòng số trang",
    );
    let text = TextLayout::default();
    out.push_str("text:\n");
    commented(
        &mut out,
        &format!(
            "  heading_pt: {}",
            num(l.heading_pt.unwrap_or(text.heading_pt))
        ),
        if l.heading_pt.is_some() {
            "“PHỤ LỤC I”, tên phụ lục, dòng “(Kèm theo …)”; theo bản Word"
        } else {
            "“PHỤ LỤC I”, tên phụ lục, dòng “(Kèm theo …)”; mặc định"
        },
    );
    commented(
        &mut out,
        &format!("  table_pt: {}", num(l.table_pt.unwrap_or(text.table_pt))),
        if l.table_pt.is_some() {
            "chữ trong bảng, theo bản Word"
        } else {
            "chữ trong bảng (bản Word không ghi cỡ chữ: mặc định)"
        },
    );
    commented(
        &mut out,
        &format!("  page_number_pt: {}", num(text.page_number_pt)),
        "số trang, giữa lề trên",
    );
    let t = TableLayout::default();
    let p = t.padding_mm;
    let _ = writeln!(
        out,
        "table:\n  padding_mm: {{ top: {}, bottom: {}, left: {}, right: {} }}\n  border_pt: {}",
        num(p.top),
        num(p.bottom),
        num(p.left),
        num(p.right),
        num(t.border_pt)
    );
    commented(
        &mut out,
        &format!("  rule_mm: {}", num(t.rule_mm)),
        "đường kẻ ngắn dưới khối tiêu đề; 0 = không kẻ",
    );
    if l.column_numbers {
        commented(
            &mut out,
            "column_numbers: true",
            "bản Word có hàng (1), (2)… dưới tiêu đề",
        );
    }
    if let Some(totals) = l.totals
        && (totals.grand_top.is_some() || totals.groups || totals.sections)
    {
        out.push_str("totals:                         # bản Word có dòng cộng: phuluc tự cộng các cột amount\n");
        let _ = writeln!(out, "  groups: {}", totals.groups);
        let _ = writeln!(out, "  sections: {}", totals.sections);
        if totals.in_heading {
            commented(
                &mut out,
                "  subtotal_position: heading",
                "bản Word ghi số cộng ngay trên dòng tiêu đề nhóm/phần",
            );
        }
        let _ = writeln!(out, "  grand: {}", totals.grand_top.is_some());
        commented(
            &mut out,
            &format!(
                "  grand_position: {}",
                if totals.grand_top == Some(true) {
                    "top"
                } else {
                    "bottom"
                }
            ),
            "ngay dưới tiêu đề (top) hoặc cuối bảng (bottom)",
        );
    }
    out.push_str("columns:\n");
    for c in l.cols {
        let _ = writeln!(out, "  - field: {}", c.field);
        let _ = writeln!(out, "    header: {}", plain_or_quoted(&c.header));
        if !c.groups.is_empty() {
            let groups: Vec<String> = c.groups.iter().map(|g| flow(g)).collect();
            let _ = writeln!(out, "    group: [{}]", groups.join(", "));
        }
        commented(
            &mut out,
            &format!("    kind: {}", kind_name(c.guess.kind)),
            &format!("đoán: {}", c.guess.why),
        );
        if let Some(d) = c.guess.decimals {
            let why = if c.guess.fewest_decimals < d {
                format!(
                    "số chữ số thập phân nhiều nhất đã gõ; có ô gõ {} chữ số: bảng in đủ {d} (1.200 → 1.200,{})",
                    c.guess.fewest_decimals,
                    "0".repeat(usize::from(d))
                )
            } else {
                "số chữ số thập phân đã gõ".to_owned()
            };
            commented(&mut out, &format!("    decimals: {d}"), &why);
        }
        if let Some(role) = c.role {
            commented(
                &mut out,
                &format!("    role: {role}"),
                "đoán theo tiêu đề: lead = chủ trì, support = phối hợp",
            );
        }
        if let Some(label) = &c.number_label {
            let _ = writeln!(out, "    number_label: {}", plain_or_quoted(label));
        }
        if c.merge_equal {
            commented(
                &mut out,
                "    merge_equal: true",
                "bản Word gộp ô dọc ở cột này",
            );
        }
        if c.optional {
            commented(
                &mut out,
                "    optional: true",
                "bản Word có ô trống ở cột này: check không cảnh báo",
            );
        }
        let _ = writeln!(out, "    width: {}", num(c.width.unwrap_or(25.0)));
        let align = c.align.unwrap_or(match c.guess.kind {
            ColumnKind::Number | ColumnKind::Date => Align::Center,
            ColumnKind::Amount | ColumnKind::Percent => Align::Right,
            ColumnKind::Text | ColumnKind::List => Align::Justify,
        });
        commented(
            &mut out,
            &format!("    align: {}", align_name(align)),
            if c.align.is_some() {
                "như đa số ô trong bản Word"
            } else {
                "bản Word không ghi: theo loại cột"
            },
        );
    }
    out
}
