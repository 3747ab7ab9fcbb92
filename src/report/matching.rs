//! Which row of the plan each row of a filled-in workbook reports on.
//!
//! Contract: per workbook, in stages — the row's key ("Mã dòng") first; then, for a row
//! whose key the plan does not have (a workbook of an older phuluc, a reworded task, a
//! lost key column), the plan row with the same main text; then the most similar one
//! (words in common, in order: at least [`MIN_SIMILARITY`]), each plan row at most once
//! per workbook and stage. A key match whose text no longer agrees with the plan, and
//! every similarity match, is a warning showing both texts; a row with results that
//! matches nothing is a warning showing what it said, so nothing is lost silently.
//! Similarity is tried for at most [`MAX_COMPARISONS`] pairs per workbook, so a hostile
//! file cannot make it quadratic.

use std::collections::HashMap;

use super::sheets::{Observation, SheetKind, SheetRead};
use crate::diag::Diagnostic;
use crate::diff::matching::{Candidate, Pairing, greedy};
use crate::diff::words::{bag_ratio, ratio, tokens};
use crate::document::RowKind;
use crate::register::key::normalise;
use crate::register::{ColumnRole, Register};
use crate::text;

/// The least similarity (2 × words in common / all words) for two texts to be one task.
pub const MIN_SIMILARITY: f32 = 0.6;

/// The most text comparisons one workbook may cost.
pub const MAX_COMPARISONS: usize = 4_000_000;

/// A body row of the plan: its sheet and entry in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemRef {
    /// Index into [`Register::sheets`].
    pub sheet: usize,
    /// Index into that sheet's rows.
    pub entry: usize,
}

/// The plan's body rows, with what matching needs of them.
pub struct Items<'r> {
    /// Every body row, in document order.
    pub items: Vec<ItemRef>,
    /// Its main text, normalised as keys are.
    texts: Vec<String>,
    by_key: HashMap<&'r str, usize>,
    by_text: HashMap<String, Vec<usize>>,
    /// Keys of heading rows (results typed there are reported, not counted).
    headings: HashMap<&'r str, (usize, usize)>,
}

impl<'r> Items<'r> {
    /// The body rows of `register`.
    pub fn new(register: &'r Register) -> Self {
        let mut out = Items {
            items: Vec::new(),
            texts: Vec::new(),
            by_key: HashMap::new(),
            by_text: HashMap::new(),
            headings: HashMap::new(),
        };
        for (s, sheet) in register.sheets.iter().enumerate() {
            for (e, entry) in sheet.rows.iter().enumerate() {
                match entry.kind {
                    RowKind::Item => {
                        let i = out.items.len();
                        out.items.push(ItemRef { sheet: s, entry: e });
                        let text = normalise(&main_text(register, ItemRef { sheet: s, entry: e }));
                        out.by_text.entry(text.clone()).or_default().push(i);
                        out.texts.push(text);
                        if !entry.key.is_empty() {
                            out.by_key.insert(entry.key.as_str(), i);
                        }
                    }
                    RowKind::Section | RowKind::Group if !entry.key.is_empty() => {
                        out.headings.insert(entry.key.as_str(), (s, e));
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

/// The main text of body row `item` (the task), as the appendix shows it.
pub fn main_text(register: &Register, item: ItemRef) -> String {
    let sheet = &register.sheets[item.sheet];
    let entry = &sheet.rows[item.entry];
    match sheet
        .columns
        .iter()
        .position(|c| c.role == ColumnRole::Main)
    {
        Some(i) => entry.cells.get(i).cloned().unwrap_or_default(),
        None => entry.cells.join(" "),
    }
}

/// "Phụ lục II, mục 4.2".
pub fn row_name(register: &Register, item: ItemRef) -> String {
    let sheet = &register.sheets[item.sheet];
    format!("{}, {}", sheet.name, sheet.rows[item.entry].name)
}

/// How a workbook row found its plan row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// By its key.
    Key,
    /// By its text, the key unknown.
    Text,
    /// By similar text.
    Similar,
}

/// The plan row each workbook row reports on, for one workbook.
pub struct Matched<'o> {
    /// (workbook row, plan row index into [`Items::items`], how).
    pub pairs: Vec<(&'o Observation, usize, How)>,
    /// Rows of the workbook that matched a plan row by key or text.
    pub hits: usize,
    /// Rows with a key.
    pub keyed: usize,
}

/// Matches the rows of one workbook's `sheets` to `items`; `file` names the workbook in
/// messages. Warnings go to `diags`.
pub fn match_workbook<'o>(
    register: &Register,
    items: &Items<'_>,
    file: &str,
    sheets: &'o [SheetRead],
    diags: &mut Vec<Diagnostic>,
) -> Matched<'o> {
    let mut out = Matched {
        pairs: Vec::new(),
        hits: 0,
        keyed: 0,
    };
    let rows: Vec<&Observation> = sheets
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SheetKind::Appendix | SheetKind::Keyless | SheetKind::Mirror
            )
        })
        .flat_map(|s| s.rows.iter())
        .collect();
    let mut left: Vec<&Observation> = Vec::new();
    for obs in rows {
        if !obs.key.is_empty() {
            out.keyed += 1;
        }
        if let Some(&i) = items.by_key.get(obs.key.as_str()) {
            out.hits += 1;
            let plan = &items.texts[i];
            if obs.has_content() && !obs.text.trim().is_empty() && normalise(&obs.text) != *plan {
                let item = items.items[i];
                diags.push(
                    Diagnostic::warning(text!(
                        format!(
                            "{}: nội dung trong sổ khác kế hoạch; vẫn ghép theo mã dòng với {} — trong sổ: “{}”; trong kế hoạch: “{}”",
                            obs.place_text(file),
                            row_name(register, item),
                            obs.text.trim(),
                            main_text(register, item)
                        ),
                        format!(
                            "{}: the text differs from the plan's; matched by its key to {} — workbook: “{}”; plan: “{}”",
                            obs.place_text(file),
                            row_name(register, item),
                            obs.text.trim(),
                            main_text(register, item)
                        )
                    ))
                    .hint(text!(
                        "Báo cáo dùng nội dung của kế hoạch. Nếu sổ đã ghép nhầm dòng, hãy xuất lại sổ theo dõi từ kế hoạch hiện hành.",
                        "The report uses the plan's text. If the row was matched wrongly, export the workbook again from the current plan."
                    )),
                );
            }
            out.pairs.push((obs, i, How::Key));
        } else if let Some(&(s, e)) = items.headings.get(obs.key.as_str()) {
            if obs.has_content() {
                let sheet = &register.sheets[s];
                diags.push(
                    Diagnostic::warning(text!(
                        format!(
                            "{}: kết quả ghi ở dòng tiêu đề {}, {} — không phải một nhiệm vụ, không tính vào báo cáo: {}",
                            obs.place(file, None),
                            sheet.name,
                            sheet.rows[e].name,
                            said(obs)
                        ),
                        format!(
                            "{}: results on the heading row {}, {} — not a task, not counted: {}",
                            obs.place(file, None),
                            sheet.name,
                            sheet.rows[e].name,
                            said(obs)
                        )
                    ))
                    .hint(text!(
                        "Ghi tiến độ, kết quả vào dòng của từng nhiệm vụ.",
                        "Enter progress and results on each task's own row."
                    )),
                );
            }
            out.hits += 1;
        } else if obs.has_content() {
            left.push(obs);
        }
    }
    // A row whose key the plan does not have: the plan row of the same text.
    let mut still: Vec<&Observation> = Vec::new();
    let mut taken_by_text: Vec<bool> = vec![false; items.items.len()];
    for obs in left {
        let text = normalise(&obs.text);
        let found = items
            .by_text
            .get(&text)
            .and_then(|c| c.iter().copied().find(|&i| !taken_by_text[i] || obs.mirror));
        match found.filter(|_| !text.is_empty()) {
            Some(i) => {
                taken_by_text[i] = true;
                out.hits += 1;
                out.pairs.push((obs, i, How::Text));
            }
            None => still.push(obs),
        }
    }
    // Each plan row pairs with one row of this workbook by similarity, and only when no
    // row of it has the plan row's key or text already.
    let mut taken = vec![false; items.items.len()];
    for (_, i, _) in &out.pairs {
        taken[*i] = true;
    }
    similar(register, items, file, still, &taken, &mut out, diags);
    out
}

/// What a row reported, for a message: “Tiến độ: …; Kết quả: …; Ghi chú: …”.
pub fn said(obs: &Observation) -> String {
    let names = ["Tiến độ", "Kết quả", "Ghi chú"];
    let parts: Vec<String> = obs
        .follow_up
        .iter()
        .zip(names)
        .filter_map(|(f, n)| f.as_ref().map(|f| format!("{n}: “{}”", f.text)))
        .collect();
    parts.join("; ")
}

/// The similarity stage, then the warnings for rows that matched nothing.
fn similar<'o>(
    register: &Register,
    items: &Items<'_>,
    file: &str,
    rows: Vec<&'o Observation>,
    taken: &[bool],
    out: &mut Matched<'o>,
    diags: &mut Vec<Diagnostic>,
) {
    let with_text: Vec<&Observation> = rows
        .iter()
        .copied()
        .filter(|o| !normalise(&o.text).is_empty())
        .collect();
    let mut pairing = Pairing::new(items.items.len(), with_text.len());
    if with_text.len().saturating_mul(items.items.len()) <= MAX_COMPARISONS {
        let plan_words: Vec<Vec<&str>> = items.texts.iter().map(|t| tokens(t)).collect();
        fn sorted<'a>(w: &[&'a str]) -> Vec<&'a str> {
            let mut w = w.to_vec();
            w.sort_unstable();
            w
        }
        let plan_sorted: Vec<Vec<&str>> = plan_words.iter().map(|w| sorted(w)).collect();
        let mut candidates = Vec::new();
        let texts: Vec<String> = with_text.iter().map(|o| normalise(&o.text)).collect();
        for (j, text) in texts.iter().enumerate() {
            let words = tokens(text);
            let words_sorted = sorted(&words);
            for (i, plan) in plan_words.iter().enumerate() {
                if taken[i] || bag_ratio(&plan_sorted[i], &words_sorted) < MIN_SIMILARITY {
                    continue;
                }
                let score = ratio(plan, &words);
                if score >= MIN_SIMILARITY {
                    candidates.push(Candidate {
                        score,
                        old: i,
                        new: j,
                        distance: 0,
                    });
                }
            }
        }
        greedy(&mut pairing, candidates);
    }
    for (j, obs) in with_text.iter().enumerate() {
        if let Some(i) = pairing.new_to_old[j] {
            let item = items.items[i];
            diags.push(
                Diagnostic::warning(text!(
                    format!(
                        "{}: mã dòng không có trong kế hoạch; ghép với dòng gần giống nhất {} — trong sổ: “{}”; trong kế hoạch: “{}”",
                        obs.place_text(file),
                        row_name(register, item),
                        obs.text.trim(),
                        main_text(register, item)
                    ),
                    format!(
                        "{}: key not in the plan; matched to the most similar row {} — workbook: “{}”; plan: “{}”",
                        obs.place_text(file),
                        row_name(register, item),
                        obs.text.trim(),
                        main_text(register, item)
                    )
                ))
                .hint(text!(
                    "Nếu ghép đúng, không cần làm gì; nếu sai, sửa kết quả trong báo cáo hoặc ghi id: cho dòng trong kế hoạch và xuất lại sổ theo dõi.",
                    "If the match is right, nothing to do; if not, correct the report, or give the plan row an id: and export the workbook again."
                )),
            );
            out.pairs.push((obs, i, How::Similar));
        }
    }
    let unmatched = rows.iter().filter(|o| {
        !with_text
            .iter()
            .enumerate()
            .any(|(j, w)| std::ptr::eq(*w, **o) && pairing.new_to_old[j].is_some())
    });
    for obs in unmatched {
        let what = if obs.key.is_empty() {
            text!("dòng không có mã dòng", "a row without a key")
        } else {
            text!(
                format!("mã dòng “{}” không có trong kế hoạch", obs.key),
                format!("key “{}” is not in the plan", obs.key)
            )
        };
        let shown = if obs.text.trim().is_empty() {
            String::new()
        } else {
            format!(" “{}”", obs.text.trim())
        };
        diags.push(
            Diagnostic::warning(text!(
                format!(
                    "{}: {}{shown}, không ghép được với nhiệm vụ nào; không đưa vào báo cáo: {}",
                    obs.place(file, None),
                    what.vi,
                    said(obs)
                ),
                format!(
                    "{}: {}{shown}, matches no task; left out of the report: {}",
                    obs.place(file, None),
                    what.en,
                    said(obs)
                )
            ))
            .hint(text!(
                "Có thể là dòng tự thêm vào sổ, hoặc sổ của kế hoạch khác. Ghi kết quả vào đúng dòng của nhiệm vụ, hoặc thêm nhiệm vụ vào kế hoạch.",
                "It may be a row added by hand, or a workbook of another plan. Enter the result on the task's own row, or add the task to the plan."
            )),
        );
    }
}
