//! A template made from a table of a kind phuluc does not know (no template's column
//! headers match it): the folder a clerk would otherwise write by hand.
//!
//! Contract: [`derive()`] looks at one table — its header rows (one to three; groups from
//! the cells above the last header row that are not a column's own header merged down),
//! its grid widths (`w:tblGrid`), its body rows as recognition classifies them, the
//! alignment and size of its cells' paragraphs, its section's page setup — and gives a
//! [`NewKind`]: the files of a template folder (`layout.yaml` in the house style of
//! `templates/nhiem-vu/layout.yaml`, a comment on every guess; the built-in heading
//! templates) and the kind guessed for each column. The column headers it writes are the
//! table's last header row, so [`super::recognise`] then matches the table with the new
//! kind and reads its rows by the same code as a built-in kind's. It reads and writes no
//! file and never panics; `None` where no header row could be found (one of the first
//! three rows heading every grid column with a cell of its own).
//!
//! `guess.rs` says what a column holds and names kinds and fields; `layout.rs` writes the
//! `layout.yaml` text, from the columns and totals this file gathers ([`Options`] and the
//! column types live there, so it needs nothing of this file).

mod guess;
mod layout;

pub use guess::{Guess, guess_kind};
pub use layout::{Options, kind_name};

use std::collections::BTreeMap;

use super::raw::{Align, Cell, Merge, Table};
use super::rows::{RowKind, cell_at, classify, heading_with_sums};
use super::values::loose;
use crate::compose::templates::{
    ColumnKind, LINE_TEMPLATES, MAX_GROUP_DEPTH, default_line_template,
};
use guess::{field_name, kind_slug};
use layout::{Col, LayoutText, TypedTotals, mm, write_layout};

/// A template made from a table.
#[derive(Debug, Clone)]
pub struct NewKind {
    /// The kind's name and folder name ("danh-muc-cong-trinh").
    pub slug: String,
    /// The `name:` written.
    pub name: String,
    /// The folder's files by name: `layout.yaml`, `label.hbs`, `title.hbs`,
    /// `reference.hbs`.
    pub files: BTreeMap<String, String>,
    /// What each column was taken for, left to right.
    pub columns: Vec<GuessedColumn>,
    /// The table it was made from (from 0).
    pub table: usize,
    /// Where it is a variant of a known kind (same columns, printed in the Word file's
    /// form): that kind, and what differs, as the clerk reads it.
    pub variant_of: Option<(String, crate::diag::Text)>,
}

/// One column of a new kind, as guessed.
#[derive(Debug, Clone, PartialEq)]
pub struct GuessedColumn {
    /// Header text.
    pub header: String,
    /// Field name in the plan.
    pub field: String,
    /// The guessed kind.
    pub kind: ColumnKind,
}

/// The header rows: the number of them (one to three) and of grid columns. The last is a
/// row where every grid column has a cell of its own with a letter or digit in it (as
/// recognition compares headers: "…" alone is no header); with a header cell merged
/// down into the row after it, that row is the last instead.
fn header_rows(table: &Table) -> Option<(usize, usize)> {
    let full = |r: usize| -> Option<usize> {
        let row = table.rows.get(r)?;
        let cols = row.cells.iter().map(|c| c.col + c.span).max()?;
        (0..cols)
            .all(|col| {
                cell_at(&row.cells, col)
                    .is_some_and(|c| c.col == col && c.span == 1 && !loose(&c.text()).is_empty())
            })
            .then_some(cols)
    };
    let merged_down = |r: usize| {
        table.rows.get(r).is_some_and(|row| {
            row.cells
                .iter()
                .any(|c| c.merge == Merge::Continue && c.merged_from.is_some_and(|f| f < r))
        })
    };
    let mut found = None;
    for h in 1..=3.min(table.rows.len()) {
        if let Some(cols) = full(h - 1) {
            found = Some((h, cols));
            if !merged_down(h) {
                break;
            }
        } else if found.is_some() {
            break;
        }
    }
    let (h, cols) = found?;
    // Rows above the last header row may not be wider than it, and over each column
    // hold its own header merged down or a group label: a row with an empty cell is no
    // header row, so the row under it is no last header row either.
    let header_like = table.rows[..h - 1].iter().all(|r| {
        (0..cols).all(|col| {
            cell_at(&r.cells, col)
                .is_some_and(|c| c.merge != Merge::None || !loose(&c.text()).is_empty())
        })
    });
    let wider = table.rows[..h]
        .iter()
        .any(|r| r.cells.iter().map(|c| c.col + c.span).max().unwrap_or(0) > cols);
    (header_like && !wider).then_some((h, cols))
}

/// A cell's paragraphs joined with spaces (a header typed on two lines is one header).
fn one_line(cell: &Cell) -> String {
    let words: Vec<&str> = cell
        .paragraphs
        .iter()
        .flat_map(|p| p.text.split_whitespace())
        .collect();
    words.join(" ")
}

/// A template for `table` (table `index` of the file, under the title `title`, its
/// heading lines typed in `heading_pt` where known), named so it differs from every kind
/// in `taken`.
pub fn derive(
    table: &Table,
    index: usize,
    title: &str,
    heading_pt: Option<f32>,
    taken: &[String],
    options: &Options,
) -> Option<NewKind> {
    let (h, ncols) = header_rows(table)?;
    let leaf = &table.rows[h - 1];
    let headers: Vec<String> = (0..ncols)
        .map(|c| cell_at(&leaf.cells, c).map(one_line).unwrap_or_default())
        .collect();
    let groups: Vec<Vec<String>> = (0..ncols)
        .map(|c| {
            table.rows[..h - 1]
                .iter()
                .filter_map(|r| cell_at(&r.cells, c))
                .filter(|cell| cell.merge == Merge::None)
                .map(one_line)
                .filter(|t| !t.is_empty())
                .take(MAX_GROUP_DEPTH)
                .collect()
        })
        .collect();
    // The body as recognition will see it.
    let mut items = Vec::new();
    let mut typed_totals = Vec::new();
    let mut numbers_row = None;
    let mut totals = TypedTotals::default();
    let (mut seen_body, mut in_section, mut in_group, mut after_subtotal) =
        (false, false, false, false);
    for row in &table.rows[h..] {
        if row.cells.iter().all(|c| c.text().trim().is_empty()) {
            continue;
        }
        let kind = classify(&row.cells, ncols);
        let subtotal = matches!(kind, RowKind::Total { grand: false });
        if matches!(kind, RowKind::Total { .. }) {
            typed_totals.push(row);
        }
        match kind {
            RowKind::ColumnNumbers => {
                if numbers_row.is_none() && !seen_body {
                    numbers_row = Some(row);
                }
            }
            RowKind::Total { grand: true } => {
                totals.grand_top.get_or_insert(!seen_body);
            }
            RowKind::Total { grand: false } => {
                if after_subtotal && in_section {
                    totals.sections = true;
                } else if in_group {
                    totals.groups = true;
                } else if in_section {
                    totals.sections = true;
                } else {
                    totals.grand_top.get_or_insert(!seen_body);
                }
            }
            RowKind::Section(..) => {
                (seen_body, in_section, in_group) = (true, true, false);
            }
            RowKind::Group(..) => (seen_body, in_group) = (true, true),
            RowKind::Item => {
                seen_body = true;
                items.push(row);
            }
        }
        after_subtotal = subtotal;
    }
    let mut cols: Vec<Col> = Vec::with_capacity(ncols);
    let grid_ok = table.grid.len() == ncols && table.grid.iter().all(|w| *w > 0);
    let mut sizes: BTreeMap<u32, usize> = BTreeMap::new();
    for (i, header) in headers.iter().enumerate() {
        let cells: Vec<&Cell> = items
            .iter()
            .filter_map(|r| cell_at(&r.cells, i).filter(|c| c.col == i))
            .collect();
        let texts: Vec<Vec<String>> = cells
            .iter()
            .map(|c| c.paragraphs.iter().map(|p| p.text.clone()).collect())
            .collect();
        let mut guess = guess_kind(i == 0, header, &texts);
        // Figures the table's own total rows leave empty are not summed there: a column
        // of codes or counts, not money.
        let left_empty = |r: &&super::raw::Row| {
            cell_at(&r.cells, i).is_none_or(|c| c.col == i && c.text().trim().is_empty())
        };
        if guess.kind == ColumnKind::Amount
            && !typed_totals.is_empty()
            && typed_totals.iter().all(left_empty)
        {
            guess = Guess {
                kind: ColumnKind::Text,
                decimals: None,
                fewest_decimals: 0,
                why: "mọi ô là số nhưng dòng cộng của bảng để trống cột này: để dạng chữ, không cộng",
            };
        }
        // The alignment most of its filled cells have (the first met, on a tie).
        let mut counts: Vec<(Align, usize)> = Vec::new();
        for c in &cells {
            let Some(p) = c.paragraphs.iter().find(|p| !p.text.trim().is_empty()) else {
                continue;
            };
            if let Some(size) = p.size_pt {
                *sizes.entry((size * 2.0).round() as u32).or_insert(0) += 1;
            }
            if let Some(a) = p.align {
                match counts.iter_mut().find(|(k, _)| *k == a) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((a, 1)),
                }
            }
        }
        let align = counts
            .iter()
            .fold(None::<(Align, usize)>, |best, &(a, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((a, n)),
            })
            .map(|(a, _)| a);
        let optional = guess.kind != ColumnKind::Number
            && (cells.len() < items.len() || cells.iter().any(|c| c.text().trim().is_empty()));
        let merge_equal =
            guess.kind != ColumnKind::Number && cells.iter().any(|c| c.merge == Merge::Continue);
        let number_label = numbers_row
            .and_then(|r| cell_at(&r.cells, i).filter(|c| c.col == i))
            .map(|c| c.text().trim().to_owned())
            .filter(|t| !t.is_empty() && *t != format!("({})", i + 1));
        let used: Vec<String> = cols.iter().map(|c| c.field.clone()).collect();
        let field = field_name(header, guess.kind, i, &used);
        cols.push(Col {
            header: header.clone(),
            groups: groups.get(i).cloned().unwrap_or_default(),
            field,
            guess,
            width: grid_ok.then(|| mm(table.grid[i]).max(1.0)),
            align,
            optional,
            merge_equal,
            number_label,
            role: None,
        });
    }
    // Agency roles: one leading and one supporting list column at most.
    let lead = cols.iter().position(|c| {
        let h = loose(&c.header);
        c.guess.kind == ColumnKind::List && (h.contains("chutri") || h.contains("thuchien"))
    });
    let support = cols
        .iter()
        .position(|c| c.guess.kind == ColumnKind::List && loose(&c.header).contains("phoihop"));
    if let Some(l) = lead {
        cols[l].role = Some("lead");
    }
    if let Some(s) = support.filter(|s| Some(*s) != lead) {
        cols[s].role = Some("support");
    }
    let kinds: Vec<ColumnKind> = cols.iter().map(|c| c.guess.kind).collect();
    // Heading rows carrying subtotals, found once the amount columns are known (they
    // were read as rows above, and their figures fit the guesses).
    let amounts: Vec<usize> = (kinds.iter().enumerate())
        .filter(|(_, k)| **k == ColumnKind::Amount)
        .map(|(i, _)| i)
        .collect();
    for row in &table.rows[h..] {
        match heading_with_sums(&row.cells, &amounts).map(|(kind, _)| kind) {
            Some(RowKind::Section(..)) => (totals.sections, totals.in_heading) = (true, true),
            Some(RowKind::Group(..)) => (totals.groups, totals.in_heading) = (true, true),
            _ => {}
        }
    }
    let slug = kind_slug(title, &headers, &kinds, taken);
    let title_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = if title_line.is_empty() {
        format!("Bảng nhập từ {}", options.source)
    } else {
        title_line
    };
    let table_pt = sizes
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(half, _)| *half as f32 / 2.0)
        .filter(|pt| (6.0..=40.0).contains(pt));
    let layout = write_layout(&LayoutText {
        slug: &slug,
        name: &name,
        index,
        options,
        section: table.section,
        table_pt,
        heading_pt: heading_pt.filter(|pt| (6.0..=40.0).contains(pt)),
        column_numbers: numbers_row.is_some(),
        totals: kinds.contains(&ColumnKind::Amount).then_some(&totals),
        cols: &cols,
        grid_ok,
    });
    let mut files = BTreeMap::new();
    files.insert("layout.yaml".to_owned(), layout);
    for line in LINE_TEMPLATES {
        if let Some(src) = default_line_template(line) {
            files.insert(format!("{line}.hbs"), src.to_owned());
        }
    }
    Some(NewKind {
        slug,
        name,
        files,
        columns: cols
            .iter()
            .map(|c| GuessedColumn {
                header: c.header.clone(),
                field: c.field.clone(),
                kind: c.guess.kind,
            })
            .collect(),
        table: index,
        variant_of: None,
    })
}
