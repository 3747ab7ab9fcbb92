//! One result per task from every workbook that reports on it.
//!
//! Contract: a task's rows from all workbooks are taken together: those with nothing in
//! Tiến độ, Kết quả and Ghi chú say nothing; the appendix sheets' rows count before
//! values typed into the agency sheet "Theo cơ quan". When they agree, that is the
//! result; when they differ, the one from the lead agency's own workbook wins, else the
//! workbook given first, and the conflict is a warning naming every file and cell. A
//! workbook is an agency's own when its file name holds the agency's file name
//! ("phong-van-hoa-xa-hoi.xlsx", as `render --by-agency` names files), else when at
//! least [`OWN_SHARE`] of the rows it fills are led by that one agency. A task no
//! workbook reports on is "Chưa báo cáo".

use std::collections::BTreeMap;

use super::matching::{ItemRef, Items, Matched, row_name};
use super::sheets::{Observation, fold};
use super::status::Status;
use crate::compose::agencies::slug;
use crate::diag::Diagnostic;
use crate::register::Register;
use crate::text;

/// The share of a workbook's filled rows one agency must lead for the workbook to count
/// as that agency's own.
pub const OWN_SHARE: f32 = 0.8;

/// What was reported on one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// Tiến độ.
    pub status: Status,
    /// Kết quả ("" when none).
    pub result: String,
    /// Ghi chú ("" when none).
    pub note: String,
    /// Where it was read ("theo-doi.xlsx, Phụ lục II, dòng 14"); `None` when no workbook
    /// reports on the task.
    pub from: Option<String>,
}

/// Whose own workbook each is: an index into [`Register::agencies`], or `None`.
pub fn owners(
    register: &Register,
    items: &Items<'_>,
    files: &[String],
    matched: &[Matched<'_>],
) -> Vec<Option<usize>> {
    files
        .iter()
        .zip(matched)
        .map(|(file, m)| {
            let stem = std::path::Path::new(file)
                .file_stem()
                .map(|s| slug(&s.to_string_lossy()))
                .unwrap_or_default();
            // The longest agency file name the workbook's name holds.
            let by_name = register
                .agencies
                .iter()
                .enumerate()
                .filter(|(_, a)| stem.contains(&a.slug))
                .max_by_key(|(_, a)| a.slug.len())
                .map(|(i, _)| i);
            if by_name.is_some() {
                return by_name;
            }
            let mut leads: BTreeMap<usize, usize> = BTreeMap::new();
            let mut filled = 0usize;
            for (obs, i, _) in &m.pairs {
                if !obs.has_content() || obs.mirror {
                    continue;
                }
                filled += 1;
                let item = items.items[*i];
                for a in &register.sheets[item.sheet].rows[item.entry].lead {
                    *leads.entry(*a).or_default() += 1;
                }
            }
            let (agency, count) = leads
                .into_iter()
                .max_by_key(|&(a, n)| (n, std::cmp::Reverse(a)))?;
            (filled > 0 && count as f32 >= OWN_SHARE * filled as f32).then_some(agency)
        })
        .collect()
}

/// The value of one workbook row, as compared.
fn value(obs: &Observation) -> (Status, String, String) {
    let text = |i: usize| {
        obs.follow_up[i]
            .as_ref()
            .map_or(String::new(), |f| f.text.clone())
    };
    (Status::parse(&text(0)), text(1), text(2))
}

/// The result of every body row of `items`, and the warnings about conflicts and values
/// outside the Tiến độ list.
pub fn merge(
    register: &Register,
    items: &Items<'_>,
    files: &[String],
    matched: &[Matched<'_>],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Reported> {
    let owner = owners(register, items, files, matched);
    let mut by_item: Vec<Vec<&Observation>> = vec![Vec::new(); items.items.len()];
    for m in matched {
        for (obs, i, _) in &m.pairs {
            if obs.has_content() {
                by_item[*i].push(obs);
            }
        }
    }
    by_item
        .iter()
        .enumerate()
        .map(|(i, found)| {
            let item = items.items[i];
            let own: Vec<&Observation> = found.iter().copied().filter(|o| !o.mirror).collect();
            let candidates = if own.is_empty() { found.clone() } else { own };
            let Some(first) = candidates.first() else {
                return Reported {
                    status: Status::Unreported,
                    result: String::new(),
                    note: String::new(),
                    from: None,
                };
            };
            let key = |o: &Observation| {
                let (s, r, n) = value(o);
                (fold(s.name()), fold(&r), fold(&n))
            };
            let lead = &register.sheets[item.sheet].rows[item.entry].lead;
            let winner = if candidates.iter().all(|o| key(o) == key(first)) {
                first
            } else {
                let chosen = candidates
                    .iter()
                    .find(|o| owner[o.file].is_some_and(|a| lead.contains(&a)))
                    .unwrap_or(first);
                conflict(register, item, files, &candidates, chosen, &owner, diags);
                chosen
            };
            let (status, result, note) = value(winner);
            if let Status::Unknown(typed) = &status {
                unknown_status(register, item, &files[winner.file], winner, typed, diags);
            }
            if status == Status::Unreported && !result.is_empty() {
                let place = winner.place(&files[winner.file], winner.follow_up[1].as_ref());
                diags.push(
                    Diagnostic::warning(text!(
                        format!(
                            "{place}: {} có Kết quả nhưng Tiến độ để trống; được tính là “Chưa báo cáo”, kết quả vẫn ghi trong báo cáo",
                            row_name(register, item)
                        ),
                        format!(
                            "{place}: {} has a Kết quả but no Tiến độ; it counts as not reported, the result is still in the report",
                            row_name(register, item)
                        )
                    ))
                    .hint(text!(
                        "Chọn Tiến độ trong danh sách thả xuống của dòng đó.",
                        "Pick the row's Tiến độ from the drop-down."
                    )),
                );
            }
            Reported {
                status,
                result,
                note,
                from: Some(winner.place(&files[winner.file], None)),
            }
        })
        .collect()
}

fn conflict(
    register: &Register,
    item: ItemRef,
    files: &[String],
    candidates: &[&Observation],
    chosen: &Observation,
    owner: &[Option<usize>],
    diags: &mut Vec<Diagnostic>,
) {
    let listed: Vec<String> = candidates
        .iter()
        .map(|o| {
            format!(
                "{}: {}",
                o.place(&files[o.file], None),
                super::matching::said(o)
            )
        })
        .collect();
    let (why_vi, why_en) = match owner[chosen.file] {
        Some(a)
            if register.sheets[item.sheet].rows[item.entry]
                .lead
                .contains(&a) =>
        {
            let name = &register.agencies[a].name;
            (
                format!("sổ của cơ quan chủ trì {name}"),
                format!("the lead agency {name}'s own workbook"),
            )
        }
        _ => (
            "tệp đưa vào trước".to_owned(),
            "the workbook given first".to_owned(),
        ),
    };
    let file = &files[chosen.file];
    diags.push(
        Diagnostic::warning(text!(
            format!(
                "{}: các sổ báo cáo khác nhau — {}; dùng {file} ({why_vi})",
                row_name(register, item),
                listed.join(" | ")
            ),
            format!(
                "{}: the workbooks disagree — {}; {file} is used ({why_en})",
                row_name(register, item),
                listed.join(" | ")
            )
        ))
        .hint(text!(
            "Thống nhất với các cơ quan rồi sửa một trong các sổ; hoặc đưa sổ cần ưu tiên vào trước trong lệnh.",
            "Agree with the agencies and correct one of the workbooks, or give the workbook that should win first."
        )),
    );
}

fn unknown_status(
    register: &Register,
    item: ItemRef,
    file: &str,
    obs: &Observation,
    typed: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let list = crate::xlsx::PROGRESS.join(", ");
    diags.push(
        Diagnostic::warning(text!(
            format!(
                "{}: Tiến độ “{typed}” không có trong danh sách ({list}); {} được tính là “Chưa báo cáo”, báo cáo ghi nguyên văn",
                obs.place(file, obs.follow_up[0].as_ref()),
                row_name(register, item)
            ),
            format!(
                "{}: Tiến độ “{typed}” is not one of the list ({list}); {} counts as not reported, the report shows it as typed",
                obs.place(file, obs.follow_up[0].as_ref()),
                row_name(register, item)
            )
        ))
        .hint(text!(
            "Chọn một giá trị trong danh sách thả xuống của cột Tiến độ rồi chạy lại.",
            "Pick a value from the Tiến độ drop-down and run again."
        )),
    );
}
