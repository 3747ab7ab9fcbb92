//! Checks that need numbers and column names: explicit numbers that clash (errors),
//! empty cells, agency names spelt in two ways, typed sums that differ from their parts
//! and figures with more decimals than their column prints (warnings).
//!
//! Contract: pure functions of a validated [`Plan`] and its templates; rows are named
//! the way a reader names them ("Phụ lục II, mục 4.2"), positions come from the model.

use std::collections::BTreeMap;
use std::path::Path;

use super::numbering::{
    group_number, item_number, roman, row_label, section_number, within_section,
};
use super::templates::{ColumnKind, Templates};
use crate::diag::{Diagnostic, Pos};
use crate::model::{Field, Plan};
use crate::text;

pub use super::spelling::fold;

/// Every lint finding for `plan`.
pub fn lint(plan: &Plan, templates: &Templates, path: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    number_clashes(plan, path, &mut out);
    empty_cells(plan, templates, path, &mut out);
    agency_spellings(plan, templates, path, &mut out);
    joined_agencies(plan, templates, path, &mut out);
    near_standard_names(plan, templates, path, &mut out);
    typed_sums(plan, templates, path, &mut out);
    hidden_digits(plan, templates, path, &mut out);
    out
}

/// Warns where a figure has more decimals than its column prints (210.75 in a
/// one-decimal column): the appendix shows 210,8 while every total adds 210.75, so the
/// printed figures may not add up to the printed total — and a reader of the signed
/// appendix (or `phuluc import` of its .docx) sees only 210,8.
fn hidden_digits(plan: &Plan, templates: &Templates, path: &Path, out: &mut Vec<Diagnostic>) {
    for_each_row(plan, templates, |name, kind, label, item| {
        for column in &kind.layout.columns {
            let (Some(Field::Amount(d)) | Some(Field::Percent(d))) = item.fields.get(&column.field)
            else {
                continue;
            };
            let digits = column.digits();
            if d.normalize().scale() <= digits {
                continue;
            }
            let shown = super::values::field_text(column, item.fields.get(&column.field));
            let typed = super::values::amount(*d, d.normalize().scale());
            out.push(
                Diagnostic::warning(text!(
                    format!(
                        "{name}, {label}: “{}” ghi {typed}, nhiều chữ số lẻ hơn cột in ({digits}): phụ lục in {shown}, còn dòng cộng tính bằng {typed}",
                        column.header
                    ),
                    format!(
                        "{name}, {label}: “{}” is {typed}, more decimals than the column prints ({digits}): the appendix shows {shown} while totals add {typed}",
                        column.header
                    )
                ))
                .in_file(path)
                .at_span(item.origin)
                .hint(text!(
                    format!("Làm tròn số trong tệp đến {digits} chữ số lẻ, hoặc tăng “decimals:” của cột “{}” trong mẫu.", column.field),
                    format!("Round the figure to {digits} decimals in the file, or raise the “{}” column's “decimals:” in the template.", column.field)
                )),
            );
        }
    });
}

/// Warns where a row types a value into a computed column ("Tổng số" = the sum of its
/// sources) that differs from the sum: the document shows the sum; the clerk should know.
fn typed_sums(plan: &Plan, templates: &Templates, path: &Path, out: &mut Vec<Diagnostic>) {
    for_each_row(plan, templates, |name, kind, label, item| {
        for column in kind
            .layout
            .columns
            .iter()
            .filter(|c| super::values::is_computed(c))
        {
            let Some(crate::model::Field::Amount(typed)) = item.fields.get(&column.field) else {
                continue;
            };
            let sum = super::values::amount_of(column, item).unwrap_or_default();
            if *typed == sum {
                continue;
            }
            let digits = column.digits().max(typed.scale()).max(sum.scale()).min(6);
            let (t, s) = (
                super::values::amount(*typed, digits),
                super::values::amount(sum, digits),
            );
            let parts = column
                .sum_of
                .iter()
                .map(|f| {
                    kind.layout
                        .columns
                        .iter()
                        .find(|c| &c.field == f)
                        .map_or(f.as_str(), |c| c.header.as_str())
                })
                .collect::<Vec<_>>()
                .join(" + ");
            out.push(
                Diagnostic::warning(text!(
                    format!("{name}, {label}: “{}” ghi {t} nhưng tổng {parts} là {s}; phụ lục in {s}", column.header),
                    format!("{name}, {label}: “{}” says {t} but {parts} add up to {s}; the appendix shows {s}", column.header)
                ))
                .in_file(path)
                .at_span(item.origin)
                .hint(text!(
                    format!("Sửa các số thành phần cho đúng, hoặc bỏ “{}:” để phuluc tự cộng.", column.field),
                    format!("Correct the parts, or drop “{}:” and let phuluc add them up.", column.field)
                )),
            );
        }
    });
}

fn appendix_name(plan: &Plan, index: usize) -> String {
    let number = plan.appendices[index]
        .number
        .clone()
        .unwrap_or_else(|| roman(index + 1));
    format!("Phụ lục {number}")
}

/// Reports a number shown twice in the same scope, at the later occurrence.
fn clash(
    seen: &mut BTreeMap<String, Option<Pos>>,
    number: &str,
    pos: Option<Pos>,
    scope: &str,
    path: &Path,
    out: &mut Vec<Diagnostic>,
) {
    if number.is_empty() {
        return;
    }
    if let Some(first) = seen.get(number) {
        let at = first.map_or_else(String::new, |p| format!(" (dòng {})", p.line));
        let at_en = first.map_or_else(String::new, |p| format!(" (line {})", p.line));
        out.push(
            Diagnostic::error(text!(
                format!("số thứ tự “{number}” bị trùng trong {scope}{at}"),
                format!("number “{number}” is used twice in {scope}{at_en}")
            ))
            .in_file(path)
            .at(pos)
            .hint(text!(
                "Sửa hoặc bỏ “number:” ở một trong hai chỗ (bỏ đi thì phuluc tự đánh số theo vị trí).",
                "Change or remove “number:” in one of the two places (without it phuluc numbers by position)."
            )),
        );
    } else {
        seen.insert(number.to_owned(), pos);
    }
}

fn number_clashes(plan: &Plan, path: &Path, out: &mut Vec<Diagnostic>) {
    let mut appendices = BTreeMap::new();
    for (ai, appendix) in plan.appendices.iter().enumerate() {
        let name = appendix_name(plan, ai);
        let number = appendix.number.clone().unwrap_or_else(|| roman(ai + 1));
        clash(
            &mut appendices,
            &number,
            appendix.origin.map(|o| o.pos),
            "kế hoạch",
            path,
            out,
        );
        let mut sections = BTreeMap::new();
        for (si, section) in appendix.sections.iter().enumerate() {
            if !section.implicit {
                let sno = section_number(section.number.as_deref(), si);
                clash(
                    &mut sections,
                    &sno,
                    section.origin.map(|o| o.pos),
                    &name,
                    path,
                    out,
                );
            }
            let mut groups = BTreeMap::new();
            for (gi, group) in section.groups.iter().enumerate() {
                let gno = group_number(group, gi);
                if !group.implicit {
                    clash(
                        &mut groups,
                        &gno,
                        group.origin.map(|o| o.pos),
                        &name,
                        path,
                        out,
                    );
                }
                let mut items = BTreeMap::new();
                for (ii, item) in group.items.iter().enumerate() {
                    let no = item_number(group, &gno, item, ii);
                    clash(
                        &mut items,
                        &no,
                        item.origin.map(|o| o.pos),
                        &name,
                        path,
                        out,
                    );
                }
            }
        }
    }
}

fn empty_cells(plan: &Plan, templates: &Templates, path: &Path, out: &mut Vec<Diagnostic>) {
    for_each_row(plan, templates, |name, kind, label, item| {
        let empty: Vec<&str> = kind
            .layout
            .columns
            .iter()
            .filter(|c| {
                // An empty amount is no money from that source, not a gap.
                !matches!(c.kind, ColumnKind::Number | ColumnKind::Amount)
                    && !c.optional
                    && !item.fields.contains_key(&c.field)
            })
            .map(|c| c.header.as_str())
            .collect();
        if !empty.is_empty() {
            let list = empty.join("”, “");
            out.push(
                Diagnostic::warning(text!(
                    format!("{name}, {label}: ô “{list}” đang để trống"),
                    format!("{name}, {label}: “{list}” is empty")
                ))
                .in_file(path)
                .at_span(item.origin)
                .hint(text!(
                    "Điền nội dung nếu bản gốc có; để trống nếu đúng là chưa có.",
                    "Fill it in if the original has it; leave it empty if there is none yet."
                )),
            );
        }
    });
}

/// Calls `f` with each row of every appendix whose template is known: the appendix's
/// name ("Phụ lục II"), its kind, the row's label and the row.
fn for_each_row(
    plan: &Plan,
    templates: &Templates,
    mut f: impl FnMut(&str, &super::templates::Kind, &str, &crate::model::Item),
) {
    for (ai, appendix) in plan.appendices.iter().enumerate() {
        let Some(kind) = templates.kind(&appendix.template) else {
            continue;
        };
        let name = appendix_name(plan, ai);
        for_each_item(appendix, |label, item| f(&name, kind, label, item));
    }
}

/// Calls `f` with each row's reader-facing label ("mục 4.2", "dòng thuộc nhóm 2").
fn for_each_item(appendix: &crate::model::Appendix, mut f: impl FnMut(&str, &crate::model::Item)) {
    for (si, section) in appendix.sections.iter().enumerate() {
        let sno = section_number(section.number.as_deref(), si);
        for (gi, group) in section.groups.iter().enumerate() {
            let gno = group_number(group, gi);
            for (ii, item) in group.items.iter().enumerate() {
                let no = item_number(group, &gno, item, ii);
                let label = within_section(row_label(&no, &gno), section, &sno);
                f(&label, item);
            }
        }
    }
}

/// Where an agency spelling is used: how often, and its first place in the file.
#[derive(Debug, Clone)]
pub struct Mention {
    /// How many cells name it.
    pub count: usize,
    /// The first row naming it.
    pub pos: Option<Pos>,
    /// That row as a reader names it ("Phụ lục II, mục 4.2").
    pub place: String,
}

/// Every agency spelling in the list columns of `plan`, with its mentions.
pub fn agency_mentions(plan: &Plan, templates: &Templates) -> BTreeMap<String, Mention> {
    let mut spellings: BTreeMap<String, Mention> = BTreeMap::new();
    for_each_row(plan, templates, |name, kind, label, item| {
        for column in kind
            .layout
            .columns
            .iter()
            .filter(|c| c.kind == ColumnKind::List)
        {
            if let Some(Field::List(list)) = item.fields.get(&column.field) {
                for agency in list {
                    let e = spellings.entry(agency.clone()).or_insert(Mention {
                        count: 0,
                        pos: item.origin.map(|o| o.pos),
                        place: format!("{name}, {label}"),
                    });
                    e.count += 1;
                }
            }
        }
    });
    spellings
}

/// The name each agency goes by, keyed by [`fold`]: the canonical `agencies:` entry when
/// the plan lists one, else the spelling used most often (ties: the last in sorted order).
/// Spellings of a key found only once keep their own spelling.
pub fn preferred_names(
    plan: &Plan,
    mentions: &BTreeMap<String, Mention>,
) -> BTreeMap<String, String> {
    let canonical: BTreeMap<String, &String> = plan.agencies.iter().map(|a| (fold(a), a)).collect();
    let mut by_key: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for spelling in mentions.keys() {
        by_key.entry(fold(spelling)).or_default().push(spelling);
    }
    let mut out: BTreeMap<String, String> = canonical
        .iter()
        .map(|(k, v)| (k.clone(), (*v).clone()))
        .collect();
    for (key, variants) in by_key {
        if out.contains_key(&key) {
            continue;
        }
        let preferred = variants
            .iter()
            .max_by_key(|v| mentions.get(**v).map_or(0, |m| m.count))
            .copied()
            .unwrap_or(variants[0]);
        out.insert(key, preferred.clone());
    }
    out
}

fn agency_spellings(plan: &Plan, templates: &Templates, path: &Path, out: &mut Vec<Diagnostic>) {
    // Every spelling in the file, with where it first appears and how often.
    let spellings = agency_mentions(plan, templates);
    let preferred = preferred_names(plan, &spellings);
    let listed: std::collections::BTreeSet<String> =
        plan.agencies.iter().map(|a| fold(a)).collect();
    let mut by_key: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for spelling in spellings.keys() {
        by_key.entry(fold(spelling)).or_default().push(spelling);
    }
    for (key, variants) in by_key {
        // With a canonical list, every other spelling of a listed agency is a warning;
        // without one, spellings of the same key differ and the rarer ones are flagged.
        if !listed.contains(&key) && variants.len() < 2 {
            continue;
        }
        let Some(preferred) = preferred.get(&key) else {
            continue;
        };
        for v in variants.into_iter().filter(|v| *v != preferred) {
            let Some(Mention { count, pos, place }) = spellings.get(v) else {
                continue;
            };
            out.push(
                Diagnostic::warning(text!(
                    format!("{place}: tên cơ quan “{v}” ({count} lần) viết khác “{preferred}”"),
                    format!(
                        "{place}: agency “{v}” ({count}×) is spelt differently from “{preferred}”"
                    )
                ))
                .in_file(path)
                .at(*pos)
                .hint(spelling_hint(preferred)),
            );
        }
    }
}

/// What to do about two spellings of `preferred`: one spelling, and the register's
/// where it knows the body.
fn spelling_hint(preferred: &str) -> crate::diag::Text {
    match super::standard_names::standard(preferred) {
        Some(s) => text!(
            format!(
                "Thống nhất một cách viết; danh sách “agencies:” ở đầu tệp ghi tên chuẩn (danh mục tên chuẩn cấp xã viết “{}”, có thể thêm “phường”, “xã” sau tên).",
                s.name
            ),
            format!(
                "Use one spelling; an “agencies:” list at the top of the file sets the canonical names (the commune-level register spells it “{}”, “phường” or “xã” may follow).",
                s.name
            )
        ),
        None => text!(
            "Thống nhất một cách viết; danh sách “agencies:” ở đầu tệp ghi tên chuẩn.",
            "Use one spelling; an “agencies:” list at the top of the file sets the canonical names."
        ),
    }
}

/// Warns where one list entry joins several agencies — with ";", or with ", " between
/// names the plan's `agencies:` or the register knows ("Ban Xây dựng Đảng đảng ủy
/// phường; phòng Văn hóa - Xã hội"): each is
/// counted on its own by `phuluc agencies` and `render --by-agency`, but the appendix
/// prints them as one line and a reader of the YAML sees one agency.
fn joined_agencies(plan: &Plan, templates: &Templates, path: &Path, out: &mut Vec<Diagnostic>) {
    let vocabulary = super::standard_names::Vocabulary::new(&plan.agencies);
    for_each_row(plan, templates, |name, kind, label, item| {
        for column in kind
            .layout
            .columns
            .iter()
            .filter(|c| c.kind == ColumnKind::List)
        {
            let Some(Field::List(list)) = item.fields.get(&column.field) else {
                continue;
            };
            for entry in list {
                let Some(joined) = vocabulary.split(entry) else {
                    continue;
                };
                let n = joined.names.len();
                let names = joined.names.join("”, “");
                let lines = joined
                    .names
                    .iter()
                    .map(|n| format!("“- {n}”"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let by = joined.separators.join(", ");
                out.push(
                    Diagnostic::warning(text!(
                        format!("{name}, {label}: “{}”: một dòng ghi {n} cơ quan nối bằng {by}: “{names}”", column.header),
                        format!("{name}, {label}: “{}”: one entry holds {n} agencies joined by {by}: “{names}”", column.header)
                    ))
                    .in_file(path)
                    .at_span(item.key_origins.get(&column.field).copied().or(item.origin))
                    .hint(text!(
                        format!("Tách thành {n} dòng, mỗi cơ quan một dòng: {lines} (phuluc agencies và render --by-agency đã tính riêng từng cơ quan)."),
                        format!("Split it into {n} entries, one agency each: {lines} (phuluc agencies and render --by-agency already count each agency).")
                    )),
                );
            }
        }
    });
}

/// Warns where an agency is spelt nearly as the register spells a body — other accents,
/// case or punctuation ("Phòng Văn hoá - Xã hội") — so `check` and `phuluc agencies` do
/// not take it for that body. Names the plan's `agencies:` list has are its own choice.
fn near_standard_names(plan: &Plan, templates: &Templates, path: &Path, out: &mut Vec<Diagnostic>) {
    let listed: std::collections::BTreeSet<String> =
        plan.agencies.iter().map(|a| fold(a)).collect();
    for (spelling, mention) in agency_mentions(plan, templates) {
        if listed.contains(&fold(&spelling)) {
            continue;
        }
        let Some(standard) = super::standard_names::near(&spelling) else {
            continue;
        };
        let Mention { count, pos, place } = mention;
        out.push(
            Diagnostic::warning(text!(
                format!(
                    "{place}: tên cơ quan “{spelling}” ({count} lần) gần giống tên chuẩn “{}” của danh mục cấp xã",
                    standard.name
                ),
                format!(
                    "{place}: agency “{spelling}” ({count}×) nearly spells the commune-level register's standard name “{}”",
                    standard.name
                )
            ))
            .in_file(path)
            .at(pos)
            .hint(text!(
                format!("Viết “{}” (có thể thêm “phường”, “xã” sau tên), hoặc ghi tên này vào danh sách “agencies:” nếu đúng là một cơ quan khác.", standard.name),
                format!("Write “{}” (“phường” or “xã” may follow), or put this name in the “agencies:” list if it is another body.", standard.name)
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn spellings_of_one_office_fold_together() {
        assert_eq!(
            fold("Phòng Văn hóa - Xã hội"),
            fold("Phòng Văn hóa - Xã hội phường")
        );
        assert_eq!(
            fold("phòng  Văn hóa – Xã hội"),
            fold("Phòng Văn hóa - Xã hội")
        );
        assert_ne!(
            fold("Phòng Văn hóa - Xã hội"),
            fold("Phòng Kinh tế, Hạ tầng và Đô thị")
        );
        assert_eq!(fold("Công an thị trấn"), "công an");
    }

    #[test]
    fn do_thi_keeps_its_thi() {
        // Only "thị trấn" as a pair is a level of government; "Đô thị" is part of the name.
        assert_eq!(
            fold("Phòng Kinh tế, Hạ tầng và Đô thị"),
            "phòng kinh tế, hạ tầng và đô thị"
        );
        assert_ne!(fold("Phòng Đô thị"), fold("Phòng Đô"));
    }
}
