//! `phuluc diff`: what changed in meaning between two versions of a plan.
//!
//! Contract: model in, a list of [`Change`]s out; nothing is printed here.
//! - [`load`] / [`load_bytes`] read a version with the first half of
//!   [`crate::prepare`] (load, validate against the templates, lint) and return the
//!   [`Plan`], or every error found (warnings do not stop a diff).
//! - [`diff`] compares two plans: the plan's metadata; appendices paired by number (or,
//!   when one was inserted or removed before them, by template and title); in each pair
//!   the template and title, the section and group headings (paired by `id`, else by
//!   heading and by the rows they hold) and the rows. Rows are paired by `id`,
//!   then by identical content, then by similarity of their main text and agencies — so
//!   an inserted row is one addition, not a change of every row after it. The result
//!   names rows as a reader does ("Phụ lục II", "mục 4.2": new numbers for what exists
//!   in the new version, old numbers for what was removed) and says rows added, removed,
//!   moved (out of their relative order, or into another group) and changed (per column,
//!   named by the template's header, with the words or agencies that changed). Numbers
//!   that shift because of an insertion or removal come once per appendix, as one
//!   renumbering summary.
//! - [`render`] turns the list into text, Markdown or JSON; [`textconv`] renders one
//!   plan as stable lines for `git diff`.
//!
//! Text is compared with its whitespace collapsed (see [`words`]); the optional
//! `agencies:` list only feeds spelling checks and is not compared.
//!
//! The rooms, bottom up: [`words`], [`matching`], [`outline`], [`change`] (what a change
//! is), [`keys`] (a row's columns, values and pairing keys), [`pairing`] (which row became
//! which), [`compare`] (the changes), then [`render`], [`redline`] and [`textconv`].

mod change;
mod compare;
pub mod files;
pub mod git;
mod keys;
pub mod matching;
pub mod outline;
mod pairing;
pub mod redline;
pub mod render;
pub mod textconv;
pub mod words;

use std::path::Path;

use crate::compose::lint::lint;
use crate::compose::templates::Templates;
use crate::diag::{Diagnostic, SourceResult};
use crate::model::{self, LoadOptions, Plan};

pub use crate::redline::WordOp;
pub use change::{Cell, Change, ChangeKind, FieldName, Subject, Value};
pub use words::Word;

/// Reads a plan version from a file, checked as `render` checks it.
pub fn load(path: &Path, templates: &Templates) -> SourceResult<Plan> {
    let tree = model::load_file(path, LoadOptions::default())?;
    checked(&tree, path, templates)
}

/// Reads a plan version from bytes (an older version from git); `name` is how messages
/// call it ("HEAD:data/ke-hoach.yaml").
pub fn load_bytes(bytes: &[u8], name: &Path, templates: &Templates) -> SourceResult<Plan> {
    let limit = LoadOptions::default().max_bytes;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(vec![model::load::too_large(name, size, limit)]);
    }
    let src = model::load::decode(bytes, name).map_err(|d| vec![d])?;
    let tree = model::parse_str(src, name)?;
    checked(&tree, name, templates)
}

/// Validation and lints; only errors stop a diff (warnings are `check`'s business).
fn checked(tree: &model::tree::Node, path: &Path, templates: &Templates) -> SourceResult<Plan> {
    let (plan, mut diags) = model::validate(tree, path, templates);
    // Clashing numbers are lint errors: with them, two rows would share a name.
    diags.extend(lint(&plan, templates, path));
    diags.retain(Diagnostic::is_error);
    if diags.is_empty() {
        Ok(plan)
    } else {
        Err(diags)
    }
}

/// Every change from `old` to `new`, in document order: the plan's metadata first, then
/// each appendix (its own changes, then its sections, groups and rows in the new
/// version's order, removed things after the thing that preceded them, and last its
/// renumbering summary). Empty when the two mean the same.
pub fn diff(old: &Plan, new: &Plan, templates: &Templates) -> Vec<Change> {
    compare::compare(old, new, templates)
}

/// Loads both files and compares them; the errors of both files when either has any.
pub fn diff_files(old: &Path, new: &Path, templates: &Templates) -> SourceResult<Vec<Change>> {
    let (old, new) = pair(load(old, templates), load(new, templates))?;
    Ok(diff(&old, &new, templates))
}

/// Both versions, or the errors of both when either failed to load.
pub fn pair(old: SourceResult<Plan>, new: SourceResult<Plan>) -> SourceResult<(Plan, Plan)> {
    match (old, new) {
        (Ok(old), Ok(new)) => Ok((old, new)),
        (old, new) => {
            let mut diags = old.err().unwrap_or_default();
            diags.extend(new.err().unwrap_or_default());
            Err(diags)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan with one `nhiem-vu` appendix whose `groups:` body is `groups` (YAML).
    fn plan(groups: &str, templates: &Templates) -> Plan {
        let src = format!(
            "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND\nappendices:\n  - template: nhiem-vu\n    title: T\n    groups:\n{groups}"
        );
        let path = Path::new("t.yaml");
        let tree = model::parse_str(&src, path).expect("YAML");
        checked(&tree, path, templates).expect("valid plan")
    }

    fn summary(old: &str, new: &str) -> Vec<(ChangeKind, Option<String>, Option<Value>)> {
        let templates = Templates::builtin().expect("templates");
        let (a, b) = (plan(old, &templates), plan(new, &templates));
        diff(&a, &b, &templates)
            .into_iter()
            .map(|c| (c.kind, c.row, c.old))
            .collect()
    }

    fn row(id: Option<&str>, text: &str) -> String {
        let id = id.map_or_else(String::new, |id| format!("          id: {id}\n"));
        format!("        - nhiem_vu: {text}\n{id}")
    }

    fn group(heading: &str, rows: &[String]) -> String {
        format!(
            "      - heading: {heading}\n        items:\n{}",
            rows.concat()
        )
    }

    const A: &str = "Tổ chức tuyên truyền công tác dân vận trong cơ quan";
    const B: &str = "Xây dựng kế hoạch kiểm tra việc thực hiện quy chế dân chủ";
    const C: &str = "Đối thoại trực tiếp với Nhân dân về thủ tục hành chính";

    #[test]
    fn a_row_moved_up_inside_its_group_is_one_move_and_a_renumbering() {
        let old = group("Một", &[row(None, A), row(None, B), row(None, C)]);
        let new = group("Một", &[row(None, C), row(None, A), row(None, B)]);
        let got = summary(&old, &new);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, ChangeKind::Moved);
        assert_eq!(got[0].1.as_deref(), Some("mục 1.1"));
        assert_eq!(got[0].2, Some(Value::Text("mục 1.3".into())));
        assert_eq!(got[1].0, ChangeKind::Renumbered);
        assert_eq!(got[1].2, Some(Value::List(vec!["mục 1.1–1.2".into()])));
    }

    #[test]
    fn ids_pair_rewritten_rows_and_keep_apart_look_alikes() {
        // Same id, every word different: still one row, changed.
        let old = group("Một", &[row(Some("r1"), A), row(None, B)]);
        let new = group("Một", &[row(Some("r1"), C), row(None, B)]);
        let got = summary(&old, &new);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, ChangeKind::Changed);
        // Different ids, same text: two different rows.
        let old = group("Một", &[row(Some("r1"), A), row(None, B)]);
        let new = group("Một", &[row(Some("r2"), A), row(None, B)]);
        let kinds: Vec<ChangeKind> = summary(&old, &new).into_iter().map(|c| c.0).collect();
        assert_eq!(kinds, [ChangeKind::Removed, ChangeKind::Added]);
        // Without ids, a rewritten row is a removal and an addition.
        let old = group("Một", &[row(None, A), row(None, B)]);
        let new = group("Một", &[row(None, C), row(None, B)]);
        let kinds: Vec<ChangeKind> = summary(&old, &new).into_iter().map(|c| c.0).collect();
        assert_eq!(kinds, [ChangeKind::Removed, ChangeKind::Added]);
    }

    #[test]
    fn a_new_group_renumbers_the_later_groups_not_their_rows() {
        let old = [
            group("Một", &[row(None, A), row(None, B)]),
            group("Hai", &[row(None, C), row(None, B)]),
        ]
        .concat();
        let new = [
            group("Mới", &[row(None, "Nhiệm vụ mới hoàn toàn khác")]),
            old.clone(),
        ]
        .concat();
        let got = summary(&old, &new);
        let kinds: Vec<ChangeKind> = got.iter().map(|c| c.0).collect();
        assert_eq!(
            kinds,
            [ChangeKind::Added, ChangeKind::Added, ChangeKind::Renumbered],
            "{got:?}"
        );
        assert_eq!(got[2].2, Some(Value::List(vec!["nhóm 1–2".into()])));
    }

    #[test]
    fn an_edited_heading_keeps_its_group() {
        let old = group("Cải cách hành chính", &[row(None, A), row(None, B)]);
        let new = group("Cải cách thủ tục hành chính", &[row(None, A), row(None, B)]);
        let got = summary(&old, &new);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, ChangeKind::Changed);
        assert_eq!(got[0].1.as_deref(), Some("nhóm 1"));
    }
}
