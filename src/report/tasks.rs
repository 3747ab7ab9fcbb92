//! The report's result: every task of the plan with what the workbooks say of it, its
//! deadline and whether it is overdue, and the counts the summary shows.
//!
//! Contract: plain data built by [`super::build`] and read by [`super::compose`] and the
//! merged workbook ([`Report::filled`]); it reads no file and composes nothing. A task led
//! by two agencies counts for each of them; the total counts every task once.

use super::deadlines::Deadline;
use super::matching::ItemRef;
use super::merge::Reported;
use super::sheets::fold;
use super::status::Status;
use crate::diag::Text;
use crate::document::Date;
use crate::register::{Format, Register, Sheet};

/// One task of the plan with what was reported on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Its row in the register.
    pub item: ItemRef,
    /// What the workbooks say.
    pub reported: Reported,
    /// When it is due.
    pub deadline: Deadline,
    /// Whether it is due before the report's date and not "Đã hoàn thành".
    pub overdue: bool,
}

/// The report: the plan's rows, each task's result, and the date it runs to.
#[derive(Debug, Clone)]
pub struct Report {
    /// The plan's tracking register.
    pub register: Register,
    /// Every body row of the plan, in document order.
    pub tasks: Vec<Task>,
    /// The report's date: tasks due before it and not done are overdue.
    pub as_of: Date,
}

/// One line of the agency summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyLine {
    /// The agency ("Tổng cộng" for the total).
    pub name: String,
    /// Tasks it leads.
    pub led: usize,
    /// Of those: done, in progress, not started, late, not reported (the summary's
    /// column order; a Tiến độ outside the list counts as not reported).
    pub counts: [usize; 5],
}

impl Report {
    /// The summary per lead agency (those leading at least one task, in the register's
    /// order), then the total, every task once.
    pub fn agency_lines(&self) -> (Vec<AgencyLine>, AgencyLine) {
        let mut lines = Vec::new();
        for (a, agency) in self.register.agencies.iter().enumerate() {
            let mut line = AgencyLine {
                name: agency.name.clone(),
                led: 0,
                counts: [0; 5],
            };
            for task in &self.tasks {
                if self.entry(task.item).lead.contains(&a) {
                    line.led += 1;
                    line.counts[task.reported.status.column()] += 1;
                }
            }
            if line.led > 0 {
                lines.push(line);
            }
        }
        let mut total = AgencyLine {
            name: crate::xlsx::summary::TOTAL_LABEL.to_owned(),
            led: self.tasks.len(),
            counts: [0; 5],
        };
        for task in &self.tasks {
            total.counts[task.reported.status.column()] += 1;
        }
        (lines, total)
    }

    /// The register row of `item`.
    pub fn entry(&self, item: ItemRef) -> &crate::register::Entry {
        &self.register.sheets[item.sheet].rows[item.entry]
    }

    /// The task of `item` (tasks are in document order, so sorted by their rows).
    pub fn task(&self, item: ItemRef) -> Option<&Task> {
        let i = self.tasks.binary_search_by_key(&item, |t| t.item).ok()?;
        self.tasks.get(i)
    }

    /// The tasks overdue, in document order.
    pub fn overdue(&self) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(|t| t.overdue)
    }

    /// One line saying how things stand: "26 nhiệm vụ: 5 đã hoàn thành, …; 2 quá hạn".
    pub fn summary(&self) -> Text {
        let (_, total) = self.agency_lines();
        let c = total.counts;
        let overdue = self.overdue().count();
        let as_of = crate::compose::values::date(self.as_of);
        Text::new(
            format!(
                "{} nhiệm vụ: {} đã hoàn thành, {} đang thực hiện, {} chưa thực hiện, {} chậm tiến độ, {} chưa báo cáo; {overdue} quá hạn đến ngày {as_of}",
                total.led, c[0], c[1], c[2], c[3], c[4]
            ),
            format!(
                "{} tasks: {} done, {} in progress, {} not started, {} late, {} not reported; {overdue} overdue as of {as_of}",
                total.led, c[0], c[1], c[2], c[3], c[4]
            ),
        )
    }

    /// Every task's Tiến độ, Kết quả and Ghi chú by key, for the merged workbook.
    pub fn filled(&self) -> crate::xlsx::Filled {
        self.tasks
            .iter()
            .filter(|t| t.reported.from.is_some())
            .map(|t| {
                let r = &t.reported;
                let status = match r.status {
                    Status::Unreported => String::new(),
                    _ => r.status.name().to_owned(),
                };
                (
                    self.entry(t.item).key.clone(),
                    [status, r.result.clone(), r.note.clone()],
                )
            })
            .collect()
    }
}

/// The column of `sheet` that says when a row is due: a date column, else the one named
/// `lo_trinh`, else one whose header starts "Lộ trình", "Thời gian", "Thời hạn" or "Hạn".
pub fn deadline_column(sheet: &Sheet) -> Option<usize> {
    let columns = &sheet.columns;
    columns
        .iter()
        .position(|c| c.format == Format::Date)
        .or_else(|| columns.iter().position(|c| c.field == "lo_trinh"))
        .or_else(|| {
            columns.iter().position(|c| {
                let h = fold(&c.header);
                ["lộ trình", "thời gian", "thời hạn", "hạn "]
                    .iter()
                    .any(|p| h.starts_with(p) || h == p.trim())
            })
        })
}
