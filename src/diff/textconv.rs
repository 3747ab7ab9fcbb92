//! `phuluc diff --textconv FILE`: a plan's meaning as stable lines, for `git diff`.
//!
//! Contract: pure; same plan, same text. One line per value, each saying where it is and
//! which column: `Phụ lục II | mục 4.2 | Nhiệm vụ cụ thể: …`. Git compares these lines
//! instead of the YAML, so a reflowed paragraph shows no change and an edited cell shows
//! as that one line. An agency list gives one line per agency, so a replaced agency is
//! one line out and one in. Text has its whitespace collapsed; empty values have no line.
//! The words are Vietnamese whatever `--lang` says: two people's `git diff` of the same
//! commit must read the same.

use super::outline::Outline;
use super::words::collapse;
use crate::compose::numbering::roman;
use crate::compose::templates::{ColumnKind, Templates};
use crate::model::{Field, Plan};

/// A heading or row: its place in the document walk, its name, and its (column, value)
/// pairs.
type Entry = (usize, String, Vec<(String, String)>);

/// The lines of `plan`, each ending with a newline.
pub fn textconv(plan: &Plan, templates: &Templates) -> String {
    let mut out = String::new();
    let mut line = |parts: &[&str], value: &str| {
        let value = collapse(value);
        if !value.is_empty() {
            out.push_str(&parts.join(" | "));
            out.push_str(": ");
            out.push_str(&value);
            out.push('\n');
        }
    };
    let m = &plan.meta;
    let date = m
        .date
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day));
    let year = m.year.map(|y| y.to_string());
    for (label, value) in [
        ("Loại văn bản", Some(m.kind.as_str())),
        ("Số", m.number.as_deref()),
        ("Ký hiệu", Some(m.symbol.as_str())),
        ("Ngày ký", date.as_deref()),
        ("Năm", year.as_deref()),
        ("Cơ quan ban hành", Some(m.issuer.as_str())),
    ] {
        line(&["Kế hoạch", label], value.unwrap_or_default());
    }
    for (ai, appendix) in plan.appendices.iter().enumerate() {
        let name = format!(
            "Phụ lục {}",
            appendix.number.clone().unwrap_or_else(|| roman(ai + 1))
        );
        line(&[&name, "Mẫu"], &appendix.template);
        line(&[&name, "Tên phụ lục"], &appendix.title);
        let outline = Outline::new(appendix);
        let columns: Vec<&crate::compose::templates::Column> = templates
            .kind(&appendix.template)
            .map(|k| {
                k.layout
                    .columns
                    .iter()
                    .filter(|c| c.kind != ColumnKind::Number)
                    .collect()
            })
            .unwrap_or_default();
        // Headings and rows in document order: ordinals interleave the three lists.
        let mut entries: Vec<Entry> = Vec::new();
        for s in &outline.sections {
            if let Some(h) = &s.section.heading {
                entries.push((
                    s.ordinal,
                    s.label.clone(),
                    vec![("Tiêu đề".into(), h.clone())],
                ));
            }
        }
        for g in &outline.groups {
            if let (Some(h), false) = (&g.group.heading, g.group.implicit) {
                entries.push((
                    g.ordinal,
                    g.label.clone(),
                    vec![("Tiêu đề".into(), h.clone())],
                ));
            }
        }
        for r in &outline.rows {
            let mut cells = Vec::new();
            for column in &columns {
                let header = column.header.as_str();
                match r.item.fields.get(&column.field) {
                    Some(Field::List(list)) => {
                        cells.extend(list.iter().map(|a| (header.to_owned(), a.clone())));
                    }
                    Some(f) => cells.push((
                        header.to_owned(),
                        crate::compose::values::field_text(column, Some(f)),
                    )),
                    None => {}
                }
            }
            entries.push((r.ordinal, r.label.clone(), cells));
        }
        entries.sort_by_key(|(ordinal, _, _)| *ordinal);
        for (_, label, cells) in entries {
            if cells.is_empty() {
                // A row with no cell still exists (and still takes a number).
                line(&[&name, &label], "(trống)");
            }
            for (header, value) in cells {
                line(&[&name, &label, &header], &value);
            }
        }
    }
    out
}
