//! Tiến độ: the four values of the workbook's drop-down, read back from whatever was
//! typed, and "Chưa báo cáo" for a task no workbook reports on.
//!
//! Contract: [`Status::parse`] accepts a drop-down value whatever its case, spacing or
//! accents ("da hoan thanh", "ĐÃ HOÀN THÀNH" are "Đã hoàn thành"); anything else typed
//! past the drop-down ("xong rồi") is [`Status::Unknown`], which the report counts as not
//! reported and shows as typed. An empty cell is [`Status::Unreported`].

use crate::compose::agencies::unaccented;
use crate::xlsx::PROGRESS;

/// A task's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// "Đã hoàn thành".
    Done,
    /// "Đang thực hiện".
    InProgress,
    /// "Chưa thực hiện".
    NotStarted,
    /// "Chậm tiến độ".
    Late,
    /// No value: "Chưa báo cáo".
    Unreported,
    /// A value outside the list, as typed.
    Unknown(String),
}

/// The name of the status of a task no one reported on.
pub const UNREPORTED: &str = "Chưa báo cáo";

impl Status {
    /// Reads a Tiến độ cell.
    pub fn parse(text: &str) -> Status {
        let folded = |s: &str| -> String {
            let plain: String = unaccented(s).collect();
            plain.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let typed = folded(text);
        if typed.is_empty() {
            return Status::Unreported;
        }
        let all = [
            Status::NotStarted,
            Status::InProgress,
            Status::Done,
            Status::Late,
        ];
        for (status, name) in all.into_iter().zip(PROGRESS) {
            if folded(name) == typed {
                return status;
            }
        }
        Status::Unknown(text.trim().to_owned())
    }

    /// Its name as the report shows it ("Đã hoàn thành", "Chưa báo cáo"; an unknown value
    /// as typed).
    pub fn name(&self) -> &str {
        match self {
            Status::NotStarted => PROGRESS[0],
            Status::InProgress => PROGRESS[1],
            Status::Done => PROGRESS[2],
            Status::Late => PROGRESS[3],
            Status::Unreported => UNREPORTED,
            Status::Unknown(s) => s,
        }
    }

    /// Which column of the agency summary counts it: 0 done, 1 in progress, 2 not
    /// started, 3 late, 4 not reported (an unknown value too).
    pub fn column(&self) -> usize {
        match self {
            Status::Done => 0,
            Status::InProgress => 1,
            Status::NotStarted => 2,
            Status::Late => 3,
            Status::Unreported | Status::Unknown(_) => 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_down_values_whatever_their_case_and_accents() {
        assert_eq!(Status::parse("Đã hoàn thành"), Status::Done);
        assert_eq!(Status::parse("  đã  HOÀN thành "), Status::Done);
        assert_eq!(Status::parse("Da hoan thanh"), Status::Done);
        assert_eq!(Status::parse("Chậm tiến độ"), Status::Late);
        assert_eq!(Status::parse(""), Status::Unreported);
        assert_eq!(
            Status::parse(" xong rồi "),
            Status::Unknown("xong rồi".to_owned())
        );
        assert_eq!(Status::Unknown("xong rồi".into()).column(), 4);
    }
}
