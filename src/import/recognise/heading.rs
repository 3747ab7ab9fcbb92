//! The heading lines above an appendix's table: the “PHỤ LỤC I” label, the title, and the
//! “(Kèm theo Kế hoạch số …/KH-UBND ngày … của …)” line read into the plan's data.
//!
//! Contract: pure functions of text; a line that does not read as a reference line says
//! so (`false`).

use super::super::values::parse_date;
use crate::model::PlanMeta;

/// The heading lines before a table.
#[derive(Default)]
pub(super) struct Heading {
    pub(super) label: Option<String>,
    pub(super) title: Vec<String>,
    pub(super) reference: Option<String>,
    /// The font size of the "PHỤ LỤC" line (else of the first title line), for a
    /// template made from the table.
    pub(super) size_pt: Option<f32>,
}

/// Reads the "(Kèm theo Kế hoạch số …/KH-UBND ngày … của …)" line into `meta`.
pub(super) fn read_reference(line: &str, meta: &mut PlanMeta) -> bool {
    // One pair of parentheses around the line: an issuer may end in its own ")".
    let line = line.trim();
    let inner = line.strip_prefix('(').unwrap_or(line);
    let inner = inner.strip_suffix(')').unwrap_or(inner).trim();
    let Some(rest) = inner
        .strip_prefix("Kèm theo ")
        .or_else(|| inner.strip_prefix("kèm theo "))
    else {
        return false;
    };
    let Some((kind, rest)) = rest.split_once(" số ") else {
        return false;
    };
    let Some((number, rest)) = rest.split_once('/') else {
        return false;
    };
    let Some((symbol, rest)) = rest.split_once(" ngày ") else {
        return false;
    };
    let Some((date, issuer)) = rest.split_once(" của ") else {
        return false;
    };
    meta.kind = kind.trim().to_owned();
    let number = number.trim();
    meta.number = (!number.is_empty()).then(|| number.to_owned());
    meta.symbol = symbol.trim().to_owned();
    meta.issuer = issuer.trim().to_owned();
    let date = date.trim();
    // "20 tháng 3 năm 2026", "20/3/2026", or blanks "      /      /2026".
    let words: Vec<&str> = date.split_whitespace().collect();
    if let [d, "tháng", m, "năm", y] = words.as_slice() {
        meta.date = parse_date(&format!("{d}/{m}/{y}"));
    } else {
        meta.date = parse_date(date);
    }
    meta.year = meta.date.map(|d| d.year).or_else(|| {
        date.rsplit('/')
            .next()
            .and_then(|y| y.trim().parse::<u16>().ok())
    });
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    /// Found by the round-trip property: every ")" at the end was cut, the issuer's own
    /// too.
    #[test]
    fn an_issuer_ending_in_a_parenthesis_keeps_it() {
        let mut m = PlanMeta::default();
        assert!(read_reference(
            "(Kèm theo Kế hoạch số 12/KH-UBND ngày 20 tháng 3 năm 2026 của Ban Chỉ đạo (phường))",
            &mut m
        ));
        assert_eq!(m.issuer, "Ban Chỉ đạo (phường)");
    }

    #[test]
    fn the_reference_line_gives_the_plan_data() {
        let mut m = PlanMeta::default();
        assert!(read_reference(
            "(Kèm theo Kế hoạch số           /KH-UBND ngày        /      /2026 của Ủy ban nhân dân phường Thạch Khôi)",
            &mut m
        ));
        assert_eq!(
            (m.kind.as_str(), m.number.as_deref(), m.symbol.as_str()),
            ("Kế hoạch", None, "KH-UBND")
        );
        assert_eq!(
            (m.date, m.year, m.issuer.as_str()),
            (None, Some(2026), "Ủy ban nhân dân phường Thạch Khôi")
        );
        assert!(read_reference(
            "(Kèm theo Kế hoạch số 12/KH-UBND ngày 20 tháng 3 năm 2026 của UBND phường)",
            &mut m
        ));
        assert_eq!(m.number.as_deref(), Some("12"));
        assert_eq!(
            m.date,
            Some(Date {
                year: 2026,
                month: 3,
                day: 20
            })
        );
    }
}
