//! The comparison itself: two validated plans → the ordered list of [`Change`]s.
//!
//! Contract: pure and deterministic (same inputs, same list). Appendices pair by their
//! shown number (see [`pair_appendices`]); inside a pair, [`super::pairing`] says which section, group and row
//! became which, and which moved. Here each pair or lone thing becomes changes, placed in
//! the new version's document order (removed things after what preceded them). A paired
//! thing whose name changed without moving was renumbered — unless its parent was
//! renumbered and its own number inside the parent stayed (4.1 → 5.1 when group 4 became
//! 5): that is said once, by the parent. Renumberings are gathered into runs ("mục
//! 4.2–4.5 thành 4.3–4.6"), one summary per appendix.

use super::change::{Change, ChangeKind, FieldName, Subject, Value, field, text_value};
use super::keys::{cell, cells, column_name, columns, main_text};
use super::matching::{Pairing, by_key};
use super::outline::Outline;
use super::pairing::{Pairings, pair};
use super::words::{collapse, word_diff};
use crate::compose::numbering::roman;
use crate::compose::templates::{ColumnKind, Templates};
use crate::diag::Text;
use crate::model::{Appendix, Plan};
use crate::text;

/// Where a change goes in the output: (appendix slot, primary, secondary, sequence).
type SortKey = (usize, usize, usize, usize);

/// Changes with their sort keys; the sequence keeps the order they were found in.
struct Out {
    items: Vec<(SortKey, Change)>,
}

impl Out {
    fn push(&mut self, slot: usize, primary: usize, secondary: usize, change: Change) {
        let seq = self.items.len();
        self.items.push(((slot, primary, secondary, seq), change));
    }
}

/// Every change from `old` to `new`, in output order (see [`super::diff`]).
pub fn compare(old: &Plan, new: &Plan, templates: &Templates) -> Vec<Change> {
    let mut out = Out { items: Vec::new() };
    metadata(old, new, &mut out);
    let pairs = pair_appendices(&old.appendices, &new.appendices);
    for (j, appendix) in new.appendices.iter().enumerate() {
        let slot = 2 * (j + 1);
        let name = appendix_name(appendix, j);
        match pairs.new_to_old[j] {
            Some(i) => compare_appendix(
                (&old.appendices[i], &appendix_name(&old.appendices[i], i)),
                (appendix, &name),
                slot,
                templates,
                &mut out,
            ),
            None => {
                let mut c = Change::new(ChangeKind::Added, Subject::Appendix);
                c.appendix = Some(name);
                c.new = text_value(&appendix.title);
                out.push(slot, 0, 0, c);
            }
        }
    }
    for (i, appendix) in old.appendices.iter().enumerate() {
        if pairs.old_to_new[i].is_some() {
            continue;
        }
        // After the new appendix that the one before it became.
        let slot = (0..i)
            .rev()
            .find_map(|k| pairs.old_to_new[k])
            .map_or(1, |j| 2 * (j + 1) + 1);
        let mut c = Change::new(ChangeKind::Removed, Subject::Appendix);
        c.appendix = Some(appendix_name(appendix, i));
        c.old = text_value(&appendix.title);
        out.push(slot, 0, i, c);
    }
    out.items.sort_by_key(|(key, _)| *key);
    out.items.into_iter().map(|(_, c)| c).collect()
}

/// "Phụ lục II": the explicit number, else the Roman numeral of the position.
fn appendix_name(appendix: &Appendix, index: usize) -> String {
    format!(
        "Phụ lục {}",
        appendix.number.clone().unwrap_or_else(|| roman(index + 1))
    )
}

/// Appendices pair by the number they show (their position unless `number:` overrides
/// it) and template; then, when one was inserted or removed before them, by template and
/// title; then by number alone.
fn pair_appendices(old: &[Appendix], new: &[Appendix]) -> Pairing {
    let mut p = Pairing::new(old.len(), new.len());
    type Key = fn(&Appendix, usize) -> String;
    let stages: [Key; 3] = [
        |a, i| format!("{}\u{1F}{}", appendix_name(a, i), a.template),
        |a, _| format!("{}\u{1F}{}", a.template, collapse(&a.title)),
        appendix_name,
    ];
    for key in stages {
        let keys = |list: &[Appendix]| -> Vec<Option<String>> {
            list.iter()
                .enumerate()
                .map(|(i, a)| Some(key(a, i)))
                .collect()
        };
        by_key(&mut p, &keys(old), &keys(new), |_, _| true);
    }
    p
}

/// A value changed from `old` to `new` (both already normalised, not equal).
fn changed(
    kind: ChangeKind,
    subject: Subject,
    name: FieldName,
    old: Option<Value>,
    new: Option<Value>,
) -> Change {
    let mut c = Change::new(kind, subject);
    c.field = Some(name);
    match (&old, &new) {
        (Some(Value::Text(a)), Some(Value::Text(b))) => c.words = word_diff(a, b),
        (Some(Value::List(a)), Some(Value::List(b))) => {
            c.added = b.iter().filter(|n| !a.contains(n)).cloned().collect();
            c.removed = a.iter().filter(|n| !b.contains(n)).cloned().collect();
        }
        _ => {}
    }
    c.old = old;
    c.new = new;
    c
}

fn metadata(old: &Plan, new: &Plan, out: &mut Out) {
    let (o, n) = (&old.meta, &new.meta);
    let date = |d: Option<crate::model::Date>| {
        d.map(|d| Value::Text(format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)))
    };
    // The year follows the date when a date is given: say only the date then.
    let year_follows = |m: &crate::model::PlanMeta| m.date.is_some_and(|d| Some(d.year) == m.year);
    let year = |m: &crate::model::PlanMeta| m.year.map(|y| Value::Text(y.to_string()));
    let fields = [
        (
            "kind",
            text!("Loại văn bản", "kind"),
            text_value(&o.kind),
            text_value(&n.kind),
        ),
        (
            "number",
            text!("Số", "number"),
            o.number.as_deref().and_then(text_value),
            n.number.as_deref().and_then(text_value),
        ),
        (
            "symbol",
            text!("Ký hiệu", "symbol"),
            text_value(&o.symbol),
            text_value(&n.symbol),
        ),
        ("date", text!("Ngày ký", "date"), date(o.date), date(n.date)),
        (
            "year",
            text!("Năm", "year"),
            year(o),
            if year_follows(o) && year_follows(n) {
                year(o)
            } else {
                year(n)
            },
        ),
        (
            "issuer",
            text!("Cơ quan ban hành", "issuer"),
            text_value(&o.issuer),
            text_value(&n.issuer),
        ),
    ];
    for (key, label, a, b) in fields {
        if a != b {
            out.push(
                0,
                0,
                0,
                changed(ChangeKind::Metadata, Subject::Plan, field(key, label), a, b),
            );
        }
    }
}

/// The subtotal and total rows whose figures differ between the two versions, as
/// compose computes them for the writers (the same rows, the same rounding), one change
/// per figure; a total row that exists in one version only goes with the group or section
/// added or removed, reported already.
fn totals(old: &Appendix, new: &Appendix, templates: &Templates, emit: &mut dyn FnMut(Change)) {
    let (Some(old_kind), Some(new_kind)) =
        (templates.kind(&old.template), templates.kind(&new.template))
    else {
        return;
    };
    if new_kind.layout.totals.is_none() {
        return;
    }
    let rows = |appendix: &Appendix, kind| {
        crate::compose::table(appendix, kind, 100.0)
            .body
            .into_iter()
            .filter(|r| r.kind == crate::document::RowKind::Total)
            .collect::<Vec<_>>()
    };
    let before = rows(old, old_kind);
    let columns = &new_kind.layout.columns;
    for row in rows(new, new_kind) {
        let Some(was) = before.iter().find(|r| r.label == row.label) else {
            continue;
        };
        // Grid column of each cell; amounts stand one per column after the label.
        let mut at = 0;
        for (i, cell) in row.cells.iter().enumerate() {
            let column = columns.get(at);
            at += cell.span.max(1);
            let Some(column) = column.filter(|c| c.kind == ColumnKind::Amount) else {
                continue;
            };
            let old_text = was
                .cells
                .get(i)
                .map(|c| c.text.as_str())
                .unwrap_or_default();
            if old_text == cell.text {
                continue;
            }
            let name = field(
                &column.field,
                Text::new(column.header.clone(), column.header.clone()),
            );
            let mut c = changed(
                ChangeKind::Changed,
                Subject::Total,
                name,
                text_value(old_text),
                text_value(&cell.text),
            );
            c.row = Some(row.label.clone());
            emit(c);
        }
    }
}

/// One renumbered thing: its level (0 appendix or section, 1 group, 2 row), where it is now, and its
/// old and new names.
struct Renumbered {
    level: u8,
    ordinal: usize,
    old: String,
    new: String,
}

/// The changes inside one pair of appendices, each given with its name.
fn compare_appendix(
    (old_app, old_name): (&Appendix, &str),
    (new_app, name): (&Appendix, &str),
    slot: usize,
    templates: &Templates,
    out: &mut Out,
) {
    let mut renumbered: Vec<Renumbered> = Vec::new();
    // An appendix inserted or removed before this one renumbers it too.
    if old_name != name {
        renumbered.push(Renumbered {
            level: 0,
            ordinal: 0,
            old: old_name.to_owned(),
            new: name.to_owned(),
        });
    }
    let at = |mut c: Change, row: Option<&str>| {
        c.appendix = Some(name.to_owned());
        c.row = row.map(str::to_owned);
        c
    };
    for (key, label, a, b) in [
        (
            "template",
            text!("Mẫu", "template"),
            text_value(&old_app.template),
            text_value(&new_app.template),
        ),
        (
            "title",
            text!("Tên phụ lục", "title"),
            text_value(&old_app.title),
            text_value(&new_app.title),
        ),
    ] {
        if a != b {
            let c = changed(
                ChangeKind::Changed,
                Subject::Appendix,
                field(key, label),
                a,
                b,
            );
            out.push(slot, 0, 0, at(c, None));
        }
    }

    let cols = columns(templates, old_app, new_app);
    let (o, n) = (Outline::new(old_app), Outline::new(new_app));
    let Pairings {
        rows,
        sections,
        groups,
        row_moved,
        group_moved,
        section_moved,
    } = pair(&o, &n, &cols);

    // Where removed things go: after the new place of what preceded them in the old
    // version. Ordinals count sections, groups and rows together.
    let old_len = o.rows.last().map_or(0, |r| r.ordinal).max(
        o.groups
            .last()
            .map_or(0, |g| g.ordinal)
            .max(o.sections.last().map_or(0, |s| s.ordinal)),
    );
    let mut anchor: Vec<Option<usize>> = vec![None; old_len + 1];
    for (i, j) in sections.old_to_new.iter().enumerate() {
        anchor[o.sections[i].ordinal] = j.map(|j| n.sections[j].ordinal);
    }
    for (i, j) in groups.old_to_new.iter().enumerate() {
        anchor[o.groups[i].ordinal] = j.map(|j| n.groups[j].ordinal);
    }
    for (i, j) in rows.old_to_new.iter().enumerate() {
        anchor[o.rows[i].ordinal] = j.map(|j| n.rows[j].ordinal);
    }
    let after = |old_ordinal: usize| {
        (0..old_ordinal)
            .rev()
            .find_map(|k| anchor.get(k).copied().flatten())
            .unwrap_or(0)
    };

    let heading_name = || field("heading", text!("Tiêu đề", "heading"));

    // Sections.
    for (j, s) in n.sections.iter().enumerate() {
        if s.section.implicit {
            continue;
        }
        match sections.new_to_old[j] {
            None => {
                let mut c = Change::new(ChangeKind::Added, Subject::Section);
                c.new = s.section.heading.as_deref().and_then(text_value);
                out.push(slot, s.ordinal, 0, at(c, Some(&s.label)));
            }
            Some(i) => {
                let was = &o.sections[i];
                if section_moved[j] {
                    let mut c = Change::new(ChangeKind::Moved, Subject::Section);
                    c.old = Some(Value::Text(was.label.clone()));
                    c.new = Some(Value::Text(s.label.clone()));
                    out.push(slot, s.ordinal, 0, at(c, Some(&s.label)));
                } else if was.label != s.label {
                    renumbered.push(Renumbered {
                        level: 0,
                        ordinal: s.ordinal,
                        old: was.label.clone(),
                        new: s.label.clone(),
                    });
                }
                let (a, b) = (
                    was.section.heading.as_deref().and_then(text_value),
                    s.section.heading.as_deref().and_then(text_value),
                );
                if a != b {
                    let c = changed(ChangeKind::Changed, Subject::Section, heading_name(), a, b);
                    out.push(slot, s.ordinal, 0, at(c, Some(&s.label)));
                }
            }
        }
    }
    for (i, s) in o.sections.iter().enumerate() {
        if s.section.implicit || sections.old_to_new[i].is_some() {
            continue;
        }
        let mut c = Change::new(ChangeKind::Removed, Subject::Section);
        c.old = s.section.heading.as_deref().and_then(text_value);
        out.push(slot, after(s.ordinal), s.ordinal, at(c, Some(&s.label)));
    }

    // Groups.
    for (j, g) in n.groups.iter().enumerate() {
        if g.group.implicit {
            continue;
        }
        match groups.new_to_old[j] {
            None => {
                let mut c = Change::new(ChangeKind::Added, Subject::Group);
                c.new = g.group.heading.as_deref().and_then(text_value);
                out.push(slot, g.ordinal, 0, at(c, Some(&g.label)));
            }
            Some(i) => {
                let was = &o.groups[i];
                if group_moved[j] {
                    let mut c = Change::new(ChangeKind::Moved, Subject::Group);
                    c.old = Some(Value::Text(was.label.clone()));
                    c.new = Some(Value::Text(g.label.clone()));
                    out.push(slot, g.ordinal, 0, at(c, Some(&g.label)));
                } else if was.label != g.label {
                    let parent_renamed =
                        o.sections[was.section].label != n.sections[g.section].label;
                    if !(parent_renamed && was.relative == g.relative) {
                        renumbered.push(Renumbered {
                            level: 1,
                            ordinal: g.ordinal,
                            old: was.label.clone(),
                            new: g.label.clone(),
                        });
                    }
                }
                let (a, b) = (
                    was.group.heading.as_deref().and_then(text_value),
                    g.group.heading.as_deref().and_then(text_value),
                );
                if a != b {
                    let c = changed(ChangeKind::Changed, Subject::Group, heading_name(), a, b);
                    out.push(slot, g.ordinal, 0, at(c, Some(&g.label)));
                }
            }
        }
    }
    for (i, g) in o.groups.iter().enumerate() {
        if g.group.implicit || groups.old_to_new[i].is_some() {
            continue;
        }
        let mut c = Change::new(ChangeKind::Removed, Subject::Group);
        c.old = g.group.heading.as_deref().and_then(text_value);
        out.push(slot, after(g.ordinal), g.ordinal, at(c, Some(&g.label)));
    }

    // Rows.
    for (j, r) in n.rows.iter().enumerate() {
        match rows.new_to_old[j] {
            None => {
                let mut c = Change::new(ChangeKind::Added, Subject::Row);
                c.new = main_text(r.item, &cols);
                c.cells = cells(r.item, &cols);
                out.push(slot, r.ordinal, 0, at(c, Some(&r.label)));
            }
            Some(i) => {
                let was = &o.rows[i];
                if row_moved[j] {
                    let mut c = Change::new(ChangeKind::Moved, Subject::Row);
                    c.old = Some(Value::Text(was.label.clone()));
                    c.new = Some(Value::Text(r.label.clone()));
                    out.push(slot, r.ordinal, 0, at(c, Some(&r.label)));
                } else if was.label != r.label {
                    let parent_renamed = o.groups[was.group].label != n.groups[r.group].label;
                    if !(parent_renamed && was.relative == r.relative) {
                        renumbered.push(Renumbered {
                            level: 2,
                            ordinal: r.ordinal,
                            old: was.label.clone(),
                            new: r.label.clone(),
                        });
                    }
                }
                for col in &cols {
                    let (a, b) = (cell(was.item, col), cell(r.item, col));
                    if a != b {
                        let c = changed(ChangeKind::Changed, Subject::Row, column_name(col), a, b);
                        out.push(slot, r.ordinal, 0, at(c, Some(&r.label)));
                    }
                }
            }
        }
    }
    for (i, r) in o.rows.iter().enumerate() {
        if rows.old_to_new[i].is_some() {
            continue;
        }
        let mut c = Change::new(ChangeKind::Removed, Subject::Row);
        c.old = main_text(r.item, &cols);
        c.cells = cells(r.item, &cols);
        out.push(slot, after(r.ordinal), r.ordinal, at(c, Some(&r.label)));
    }

    totals(old_app, new_app, templates, &mut |c| {
        let row = c.row.clone();
        out.push(slot, usize::MAX - 1, 0, at(c, row.as_deref()));
    });

    if !renumbered.is_empty() {
        renumbered.sort_by_key(|r| r.ordinal);
        let (olds, news) = runs(&renumbered);
        let mut c = Change::new(ChangeKind::Renumbered, Subject::Appendix);
        c.old = Some(Value::List(olds));
        c.new = Some(Value::List(news));
        out.push(slot, usize::MAX, 0, at(c, None));
    }
}

/// Splits a name into what precedes its last number and that number: "mục 4.2" →
/// ("mục 4.", 2); "phần III" → ("phần ", 3).
fn trailing_number(label: &str) -> Option<(&str, usize)> {
    let cut = label.rfind([' ', '.']).map_or(0, |i| i + 1);
    let (head, tail) = label.split_at(cut);
    let n = tail
        .parse::<usize>()
        .ok()
        .or_else(|| (1..=400).find(|&k| roman(k) == tail))?;
    Some((head, n))
}

/// Whether `next` is the name right after `prev` ("mục 4.3" after "mục 4.2").
fn follows(prev: &str, next: &str) -> bool {
    matches!(
        (trailing_number(prev), trailing_number(next)),
        (Some((h1, a)), Some((h2, b))) if h1 == h2 && b == a + 1
    )
}

/// `b` without the words it starts with in common with `a`, keeping its last word:
/// ("mục 4.2", "mục 4.5") → "4.5".
pub fn strip_common_words<'b>(a: &str, b: &'b str) -> &'b str {
    let mut offset = 0;
    let mut rest = b;
    for word in a.split(' ') {
        let Some(after) = rest.strip_prefix(word).and_then(|r| r.strip_prefix(' ')) else {
            break;
        };
        offset += word.len() + 1;
        rest = after;
    }
    &b[offset..]
}

/// Runs of consecutive renumberings ("mục 4.2–4.5" → "mục 4.3–4.6"), in document order:
/// an entry joins the latest run of its level when both its old and new names follow
/// that run's last ones.
fn runs(entries: &[Renumbered]) -> (Vec<String>, Vec<String>) {
    let mut runs: Vec<(u8, &Renumbered, &Renumbered)> = Vec::new();
    for e in entries {
        let latest = runs
            .iter_mut()
            .rev()
            .find(|(level, _, _)| *level == e.level);
        match latest {
            Some((_, _, last)) if follows(&last.old, &e.old) && follows(&last.new, &e.new) => {
                *last = e;
            }
            _ => runs.push((e.level, e, e)),
        }
    }
    let span = |first: &str, last: &str| {
        if first == last {
            first.to_owned()
        } else {
            format!("{first}–{}", strip_common_words(first, last))
        }
    };
    runs.iter()
        .map(|(_, first, last)| (span(&first.old, &last.old), span(&first.new, &last.new)))
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_each_other() {
        assert!(follows("mục 4.2", "mục 4.3"));
        assert!(follows("phần II", "phần III"));
        assert!(follows("phần II, mục 3", "phần II, mục 4"));
        assert!(!follows("mục 4.5", "mục 5.1"));
        assert!(!follows("mục 4.2", "dòng thuộc nhóm 4"));
        assert_eq!(strip_common_words("mục 4.2", "mục 4.5"), "4.5");
        assert_eq!(strip_common_words("mục 4.2–4.5", "mục 4.3–4.6"), "4.3–4.6");
        assert_eq!(
            strip_common_words("mục 8.1", "dòng thuộc nhóm 8"),
            "dòng thuộc nhóm 8"
        );
    }

    #[test]
    fn renumberings_collapse_into_runs() {
        let e = |level, ordinal, old: &str, new: &str| Renumbered {
            level,
            ordinal,
            old: old.to_owned(),
            new: new.to_owned(),
        };
        let (olds, news) = runs(&[
            e(2, 1, "mục 4.2", "mục 4.3"),
            e(2, 2, "mục 4.3", "mục 4.4"),
            e(2, 3, "mục 4.4", "mục 4.5"),
            e(1, 4, "nhóm 5", "nhóm 6"),
            e(2, 5, "mục 5.1", "mục 6.2"),
        ]);
        assert_eq!(olds, ["mục 4.2–4.4", "nhóm 5", "mục 5.1"]);
        assert_eq!(news, ["mục 4.3–4.5", "nhóm 6", "mục 6.2"]);
    }
}
