//! Typed numbers settled against phuluc's own numbering: where they repeat in one scope
//! (which `check` refuses), and where a row's number alone says that a section or group
//! began which no heading row shows.
//!
//! Contract: only numbers change, each drop said in a warning.

use crate::compose::numbering;
use crate::diag::Text;
use crate::model::{Appendix, Section};

/// A part without heading row, told by a row's typed number alone.
pub(super) enum Restart {
    /// Rows straight in a section numbered from 1 again, or a row 1 after a group's
    /// rows: a section without heading.
    Section,
    /// "g.1" after rows under another group number, or "g.k" opening a section: a
    /// group without heading, `g`.
    Group(String),
    /// "1.1" after other groups' rows, or "g.k" after rows straight in the section: a
    /// section without heading, opening with a group without heading, `g`.
    SectionGroup(String),
}

/// What an item row's typed `number` says where no heading row does. phuluc's own
/// tables show no row for a section or group without heading, only their numbering:
/// groups count from 1 in each section, their rows "g.1", "g.2" …; rows straight in a
/// section 1, 2 ….
pub(super) fn restart(section: &Section, number: &str) -> Option<Restart> {
    let dotted = number.rsplit_once('.').map(|(p, k)| (p.to_owned(), k));
    let Some(group) = section.groups.last() else {
        return dotted.map(|(p, _)| Restart::Group(p));
    };
    if group.items.is_empty() {
        return None;
    }
    if group.implicit {
        return match dotted {
            None => (number == "1").then_some(Restart::Section),
            Some((p, _)) => Some(Restart::SectionGroup(p)),
        };
    }
    let Some((prefix, k)) = dotted else {
        // Rows under a group are "g.k" (or unnumbered): a row 1 opens a section of rows.
        return (number == "1").then_some(Restart::Section);
    };
    if k != "1" {
        return None;
    }
    // The group number the rows so far were numbered under (a single row under a
    // heading is unnumbered: the group's own number then).
    let before = group
        .items
        .iter()
        .rev()
        .find_map(|i| i.number.as_deref().and_then(|n| n.rsplit_once('.')))
        .map(|(p, _)| p.to_owned())
        .or_else(|| group.number.clone())?;
    if prefix == "1" {
        // Group 1 again: only a new section numbers so.
        Some(Restart::SectionGroup(prefix))
    } else {
        (prefix != before).then_some(Restart::Group(prefix))
    }
}

/// Whether the shown numbers (explicit, else positional) repeat; unnumbered rows never
/// clash.
fn repeats(shown: impl IntoIterator<Item = String>) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    shown
        .into_iter()
        .find(|n| !n.is_empty() && !seen.insert(n.clone()))
}

/// Where typed numbers repeat in one scope (appendices in the plan, sections in an
/// appendix, groups in a section, rows in a group) — which `check` refuses — the typed
/// numbers of that scope are dropped, so phuluc numbers it by position, with a warning.
pub(super) fn settle_numbers(
    appendices: &mut [Appendix],
    tables: &[usize],
    warnings: &mut Vec<Text>,
) {
    let dropped = |table: usize, number: String, warnings: &mut Vec<Text>| {
        warnings.push(Text::new(
            format!("bảng {}: số thứ tự “{number}” lặp lại: bỏ các số gõ tay ở đó, phuluc đánh số lại theo vị trí", table + 1),
            format!("table {}: number “{number}” repeats: the typed numbers there are dropped, phuluc numbers by position", table + 1),
        ));
    };
    let shown: Vec<String> = appendices
        .iter()
        .enumerate()
        .map(|(i, a)| a.number.clone().unwrap_or_else(|| numbering::roman(i + 1)))
        .collect();
    if let Some(n) = repeats(shown) {
        for a in appendices.iter_mut() {
            a.number = None;
        }
        dropped(tables.first().copied().unwrap_or(0), n, warnings);
    }
    for (a, table) in appendices.iter_mut().zip(tables) {
        let shown = a.sections.iter().enumerate().filter(|(_, s)| !s.implicit);
        let shown = shown.map(|(i, s)| numbering::section_number(s.number.as_deref(), i));
        if let Some(n) = repeats(shown.collect::<Vec<_>>()) {
            a.sections.iter_mut().for_each(|s| s.number = None);
            dropped(*table, n, warnings);
        }
        for s in &mut a.sections {
            let shown = s.groups.iter().enumerate().filter(|(_, g)| !g.implicit);
            let shown = shown.map(|(i, g)| numbering::group_number(g, i));
            if let Some(n) = repeats(shown.collect::<Vec<_>>()) {
                s.groups.iter_mut().for_each(|g| g.number = None);
                dropped(*table, n, warnings);
            }
            for (gi, g) in s.groups.iter_mut().enumerate() {
                let g_no = numbering::group_number(g, gi);
                let shown: Vec<String> = g
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| numbering::item_number(g, &g_no, item, i))
                    .collect();
                if let Some(n) = repeats(shown) {
                    g.items.iter_mut().for_each(|i| i.number = None);
                    dropped(*table, n, warnings);
                }
            }
        }
    }
}
