//! Where each content run's tag identifier goes: one slot per heading line and per table
//! cell of a part, filled while pages are drawn and read when the tag tree is built. A leaf
//! between the page drawer and the tag-tree builder.

use krilla::tagging::Identifier;

use crate::document::{Part, Row};
use crate::layout::{Role, RowRef};

/// Identifiers of the marked content drawn for one part, to hang in the structure tree.
#[derive(Default)]
pub(super) struct PartTags {
    pub(super) heading: Vec<Vec<Identifier>>,
    pub(super) header: Vec<Vec<Vec<Identifier>>>,
    pub(super) body: Vec<Vec<Vec<Identifier>>>,
}

impl PartTags {
    pub(super) fn new(part: &Part) -> Self {
        let cells = |rows: &[Row]| -> Vec<Vec<Vec<Identifier>>> {
            rows.iter()
                .map(|r| vec![Vec::new(); r.cells.len()])
                .collect()
        };
        PartTags {
            heading: vec![Vec::new(); part.heading.len()],
            header: cells(&part.table.header),
            body: cells(&part.table.body),
        }
    }

    /// Where a content run's identifier goes; `None` for artifacts.
    pub(super) fn slot(&mut self, role: Role) -> Option<&mut Vec<Identifier>> {
        match role {
            Role::Heading(i) => self.heading.get_mut(i),
            Role::Cell {
                row: RowRef::Header(r),
                cell,
            } => self.header.get_mut(r)?.get_mut(cell),
            Role::Cell {
                row: RowRef::Body(r),
                cell,
            } => self.body.get_mut(r)?.get_mut(cell),
            Role::RepeatedHeader { .. } | Role::RepeatedText | Role::PageNumber => None,
        }
    }
}
