//! Origins are exact: every cell, row and part of a composed plan points at the very
//! bytes of the YAML it comes from.
//!
//! For the seed, the 7-column kind and the budget example, each cell's origin is cut out
//! of the file's text and read back by the YAML parser on its own: it must be one whole
//! value (nothing before or after it), and where the cell shows the value verbatim — a
//! text, an agency list joined with ", ", an explicit number, a heading — the value read
//! back, unquoted and unfolded as YAML does, is the cell's text. A cell that shows no value
//! of its own (a computed number, a sum, a field the row does not have) has its row's
//! origin, and a row's origin is its whole block. Every origin's line:column is the line
//! and character column of its first byte.

use std::path::{Path, PathBuf};

use phuluc::compose::templates::{ColumnKind, Templates};
use phuluc::diag::Span;
use phuluc::document::{Row, RowKind};
use phuluc::model::check::clean;
use serde_json::Value;

use crate::common::{fixture, root, seed_yaml};

/// The line and column (1-based, in characters) of byte `at` of `text`.
fn line_column(text: &str, at: usize) -> (u32, u32) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line as u32, column as u32)
}

/// The value at `span` of `text`, read on its own by the YAML parser: the text before it
/// on its line becomes blanks, so a block list or block scalar keeps its indentation.
fn read_back(text: &str, span: Span, what: &str) -> Value {
    let slice = &text[span.start..span.end];
    assert!(
        !slice.is_empty() && slice.trim() == slice,
        "{what}: origin {span:?} is {slice:?}, not one value"
    );
    let indent = " ".repeat(span.pos.column as usize - 1);
    match serde_saphyr::from_str::<Value>(&format!("{indent}{slice}\n")) {
        Ok(v) => v,
        Err(e) => panic!("{what}: {slice:?} does not read back as YAML: {e}"),
    }
}

/// A text as validation keeps it.
fn shown(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(clean(s)),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(clean))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

/// Checks one origin: its position, and that it is one whole value of the file.
fn check_span(text: &str, span: Span, what: &str) -> Value {
    assert!(span.end <= text.len(), "{what}: {span:?} past the end");
    assert_eq!(
        line_column(text, span.start),
        (span.pos.line, span.pos.column),
        "{what}: line:column of {span:?}"
    );
    read_back(text, span, what)
}

/// Every origin of `plan` (composed with `templates`) checked against its text; the
/// number of cells whose text was compared with the value read back.
fn every_cell_is_exact(plan: &Path, templates: &Templates) -> usize {
    let text = std::fs::read_to_string(plan).expect("plan");
    let prepared = phuluc::prepare(plan, templates).expect("the plan composes");
    let mut compared = 0;
    for (part, appendix) in prepared
        .document
        .parts
        .iter()
        .zip(&prepared.plan.appendices)
    {
        let name = &part.outline;
        let origin = part
            .origin
            .unwrap_or_else(|| panic!("{name} has no origin"));
        assert!(
            check_span(&text, origin, name).is_object(),
            "{name}: a block"
        );
        let columns = &templates
            .kind(&appendix.template)
            .expect("kind")
            .layout
            .columns;
        for row in &part.table.header {
            assert!(row.origin.is_none() && row.cells.iter().all(|c| c.origin.is_none()));
        }
        for row in &part.table.body {
            let what = format!("{name}, {}", row.label);
            match row.kind {
                RowKind::Item | RowKind::Section | RowKind::Group => {
                    compared += check_row(&text, row, columns, &what);
                }
                RowKind::Total | RowKind::ColumnNumbers | RowKind::Header => {
                    assert!(row.origin.is_none(), "{what} is in no block");
                    assert!(row.cells.iter().all(|c| c.origin.is_none()), "{what}");
                }
            }
        }
    }
    compared
}

/// The cells of one row from the file; how many were compared verbatim.
fn check_row(
    text: &str,
    row: &Row,
    columns: &[phuluc::compose::templates::Column],
    what: &str,
) -> usize {
    let origin = row.origin.unwrap_or_else(|| panic!("{what} has no origin"));
    assert!(
        check_span(text, origin, what).is_object(),
        "{what}: a block"
    );
    let mut compared = 0;
    let last = row.cells.len().saturating_sub(1);
    for (c, cell) in row.cells.iter().enumerate() {
        let what = format!("{what}, cell {}", c + 1);
        let span = cell
            .origin
            .unwrap_or_else(|| panic!("{what} has no origin"));
        if span == origin {
            continue; // shows no value of its own
        }
        if cell.text.is_empty() && text[span.end..].starts_with(':') {
            // An empty value (`key:`): the origin is its key.
            let name = text[span.start..span.end].to_owned();
            assert_eq!(check_span(text, span, &what), Value::String(name));
            continue;
        }
        let value = check_span(text, span, &what);
        // Which cells show their value as written: item texts, lists and numbers; a
        // heading row's number and text.
        let verbatim = match row.kind {
            RowKind::Item => columns.get(c).is_some_and(|col| {
                matches!(
                    col.kind,
                    ColumnKind::Text | ColumnKind::List | ColumnKind::Number
                )
            }),
            _ => c + 1 >= last,
        };
        if verbatim {
            assert_eq!(
                shown(&value).as_deref(),
                Some(cell.text.as_str()),
                "{what}: {:?}",
                &text[span.start..span.end]
            );
            compared += 1;
        } else {
            assert!(!value.is_object() && !value.is_null(), "{what}: a value");
        }
    }
    compared
}

#[test]
fn every_cell_origin_is_the_exact_yaml_value_it_shows() {
    let builtin = Templates::builtin().expect("templates");
    let fixtures = Templates::load(Some(&fixture("templates"))).expect("fixture templates");
    let plans: [(PathBuf, &Templates, usize); 3] = [
        (seed_yaml(), &builtin, 125),
        (fixture("plans/bay-cot.yaml"), &fixtures, 12),
        (root().join("data/vi-du-kinh-phi.yaml"), &builtin, 72),
    ];
    for (plan, templates, least) in plans {
        let compared = every_cell_is_exact(&plan, templates);
        assert!(
            compared >= least,
            "{}: only {compared} cells compared",
            plan.display()
        );
    }
}

/// A plan with every way of writing a value a cell shows.
const SHAPES: &str = r#"version: 1
plan: {kind: K, symbol: S, year: 2026, issuer: I}
appendices:
  - template: nhiem-vu
    title: T
    sections:
      - heading: 'Mục ''một'''
        number: "IV"
        groups:
          - heading: |-
              Nhóm
              hai dòng
            items:
              - number: 4a
                nhiem_vu: >
                  Gấp
                  lại

                chu_tri: [Phòng A, "Phòng B" ]
                phoi_hop:
              - nhiem_vu: "Hai\nDòng"
                phoi_hop:
                  - Phòng C
                  - Phòng D
"#;

#[test]
fn origins_of_quoted_folded_flow_empty_and_numbered_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("p.yaml");
    std::fs::write(&path, SHAPES).expect("write");
    let templates = Templates::builtin().expect("templates");
    // Two headings and their numbers, a number, a folded and a literal block, a flow and
    // a block list, a quoted text: each compared with what the cell shows.
    assert_eq!(every_cell_is_exact(&path, &templates), 8);
    let prepared = phuluc::prepare(&path, &templates).expect("composes");
    let body = &prepared.document.parts[0].table.body;
    let cut = |s: Option<Span>| s.map(|s| &SHAPES[s.start..s.end]);
    let texts: Vec<_> = body.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(texts.len(), 4, "{texts:?}");
    assert_eq!(
        cut(body[0].cells.last().and_then(|c| c.origin)),
        Some("'Mục ''một'''")
    );
    assert_eq!(cut(body[0].cells[0].origin), Some("\"IV\""));
    assert_eq!(
        cut(body[1].cells.last().and_then(|c| c.origin)),
        Some("|-\n              Nhóm\n              hai dòng")
    );
    assert_eq!(cut(body[2].cells[0].origin), Some("4a"));
    assert_eq!(
        cut(body[2].cells[1].origin),
        Some(">\n                  Gấp\n                  lại")
    );
    assert_eq!(
        cut(body[2].cells[3].origin),
        Some("[Phòng A, \"Phòng B\" ]")
    );
    assert_eq!(
        cut(body[2].cells[4].origin),
        Some("phoi_hop"),
        "an empty value: its key"
    );
    assert_eq!(cut(body[3].cells[1].origin), Some("\"Hai\\nDòng\""));
    assert_eq!(
        cut(body[3].cells[4].origin),
        Some("- Phòng C\n                  - Phòng D")
    );
    // A field the row lacks, and a computed number, point at the row.
    assert_eq!(body[3].cells[2].origin, body[3].origin);
    assert_eq!(body[3].cells[0].origin, body[3].origin);
    assert_eq!(
        cut(body[3].origin).map(|s| s.lines().next()),
        Some(Some("nhiem_vu: \"Hai\\nDòng\""))
    );
}
