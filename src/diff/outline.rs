//! The outline of one appendix as a reader sees it: sections, groups and rows in
//! document order, each with the name a reader gives it.
//!
//! Contract: pure; numbers come from [`crate::compose::numbering`], the same functions
//! the documents are numbered with, so a name here is the number printed in the table.
//! Names: "phần II" for a section, "nhóm 4" for a group, "mục 4.2" or "dòng thuộc nhóm 2"
//! for a row ([`row_label`]). In an appendix written with `sections:` the rows of two
//! sections are both numbered 1, 2 …, so names below a section start with it:
//! "phần II, mục 3".

use crate::compose::numbering::{group_number, item_number, row_label, section_number};
use crate::model::{Appendix, Group, Item, Section};

/// One appendix's sections, groups and rows, flattened, with names.
#[derive(Debug)]
pub struct Outline<'p> {
    /// Sections in order.
    pub sections: Vec<SectionNode<'p>>,
    /// Groups in order.
    pub groups: Vec<GroupNode<'p>>,
    /// Rows in order.
    pub rows: Vec<RowNode<'p>>,
}

/// A section.
#[derive(Debug)]
pub struct SectionNode<'p> {
    /// The model's section.
    pub section: &'p Section,
    /// "phần II"; empty for the implicit section of an appendix without `sections:`.
    pub label: String,
    /// Position in the document walk (sections, groups and rows share the count).
    pub ordinal: usize,
}

/// A group.
#[derive(Debug)]
pub struct GroupNode<'p> {
    /// The model's group.
    pub group: &'p Group,
    /// Index of its section in [`Outline::sections`].
    pub section: usize,
    /// "nhóm 4" / "phần II, nhóm 4"; an implicit group has its section's label.
    pub label: String,
    /// Its number inside its section ("4"); empty when implicit.
    pub relative: String,
    /// Position in the document walk.
    pub ordinal: usize,
}

/// A body row.
#[derive(Debug)]
pub struct RowNode<'p> {
    /// The model's row.
    pub item: &'p Item,
    /// Index of its group in [`Outline::groups`].
    pub group: usize,
    /// "mục 4.2", "dòng thuộc nhóm 2", "phần II, mục 3".
    pub label: String,
    /// Its number inside its group: "2" for 4.2, "3" for row 3 of an implicit group, ""
    /// when unnumbered. A row whose group is renumbered keeps this.
    pub relative: String,
    /// Position in the document walk.
    pub ordinal: usize,
}

impl<'p> Outline<'p> {
    /// Walks `appendix` in document order.
    pub fn new(appendix: &'p Appendix) -> Self {
        let mut out = Outline {
            sections: Vec::new(),
            groups: Vec::new(),
            rows: Vec::new(),
        };
        let mut ordinal = 0;
        let mut next = || {
            ordinal += 1;
            ordinal
        };
        for (si, section) in appendix.sections.iter().enumerate() {
            let (label, prefix) = if section.implicit {
                (String::new(), String::new())
            } else {
                let sno = section_number(section.number.as_deref(), si);
                (format!("phần {sno}"), format!("phần {sno}, "))
            };
            let section_index = out.sections.len();
            out.sections.push(SectionNode {
                section,
                label: label.clone(),
                ordinal: next(),
            });
            for (gi, group) in section.groups.iter().enumerate() {
                let gno = group_number(group, gi);
                let group_index = out.groups.len();
                out.groups.push(GroupNode {
                    group,
                    section: section_index,
                    label: if group.implicit {
                        label.clone()
                    } else {
                        format!("{prefix}nhóm {gno}")
                    },
                    relative: if group.implicit {
                        String::new()
                    } else {
                        gno.clone()
                    },
                    ordinal: next(),
                });
                let own = format!("{gno}.");
                for (ii, item) in group.items.iter().enumerate() {
                    let no = item_number(group, &gno, item, ii);
                    let relative = if group.implicit {
                        no.clone()
                    } else {
                        no.strip_prefix(own.as_str()).unwrap_or(&no).to_owned()
                    };
                    out.rows.push(RowNode {
                        item,
                        group: group_index,
                        label: format!("{prefix}{}", row_label(&no, &gno)),
                        relative,
                        ordinal: next(),
                    });
                }
            }
        }
        out
    }
}
