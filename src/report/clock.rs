//! The report's date: `--as-of dd/mm/yyyy`, or today where the clerk is.
//!
//! Contract: [`as_of`] reads the flag's text as [`super::deadlines::parse_date`] reads a
//! date, or gives [`today`] when there is none; [`today`] is the local calendar's date
//! (UTC where the time zone cannot be told), never a panic.

use super::error::ReportError;
use crate::document::Date;

/// The report's date: `text` read as dd/mm/yyyy, or today when not given.
pub fn as_of(text: Option<&str>) -> Result<Date, ReportError> {
    match text {
        None => Ok(today()),
        Some(t) => {
            super::deadlines::parse_date(t).ok_or_else(|| ReportError::AsOf { text: t.to_owned() })
        }
    }
}

/// Today's date where the clerk is (the local calendar; UTC where it cannot be told).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (i64::try_from(secs).unwrap_or(0) + local_offset(secs)).div_euclid(86_400);
    civil(days)
}

/// Seconds east of UTC of the local time zone at `secs`.
#[cfg(target_os = "linux")]
fn local_offset(secs: u64) -> i64 {
    let t = libc::time_t::try_from(secs).unwrap_or(0);
    // SAFETY: localtime_r writes only into the tm it is given, both valid for the call.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            0
        } else {
            tm.tm_gmtoff
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn local_offset(_secs: u64) -> i64 {
    0
}

/// The calendar date `days` days after 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date {
        year: u16::try_from(year).unwrap_or(2000),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_1970_are_calendar_dates() {
        let d = |year, month, day| Date { year, month, day };
        assert_eq!(civil(0), d(1970, 1, 1));
        assert_eq!(civil(20_634), d(2026, 6, 30));
        assert_eq!(civil(19_782), d(2024, 2, 29));
    }
}
