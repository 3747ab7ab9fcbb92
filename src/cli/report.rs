//! `phuluc report PLAN.yaml WORKBOOK.xlsx…`: the filled-in tracking workbooks read back
//! and the progress report appendix written as `DIR/<stem>-bao-cao.docx` and `.pdf`
//! (`--format xlsx`: the tracking workbook with every workbook's results in one file).
//!
//! Contract: parses the flags and calls [`phuluc::report::run`]; writes its files
//! atomically only when it succeeds, prints its warnings and a one-line summary. Exit 0
//! done, 1 a problem in the plan or a workbook (nothing written), 2 a file could not be
//! read or written.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use phuluc::diag::{Diagnostic, Lang};
use phuluc::document::Date;
use phuluc::report::{Formats, Request};
use phuluc::text;

use super::write::write_file;
use super::{Outcome, load_fonts, load_templates, report};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Chỉ .docx / .docx only
    Docx,
    /// Chỉ PDF / PDF only
    Pdf,
    /// Cả .docx và PDF / both
    All,
    /// Sổ theo dõi gộp kết quả mọi sổ (<tên>-bao-cao.xlsx) / the tracking workbook with every
    /// workbook's results merged
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "PLAN.yaml")]
    plan: PathBuf,
    /// Các sổ theo dõi đã điền (.xlsx); sổ đưa trước được ưu tiên khi hai sổ khác nhau /
    /// the filled-in tracking workbooks; the first given wins a conflict
    #[arg(required = true, value_name = "WORKBOOK.xlsx")]
    workbooks: Vec<PathBuf>,
    /// Ngày báo cáo (dd/mm/yyyy; mặc định hôm nay): nhiệm vụ có hạn trước ngày này mà chưa
    /// hoàn thành là quá hạn / the report's date (default today)
    #[arg(long, value_name = "dd/mm/yyyy")]
    as_of: Option<String>,
    /// Thư mục ghi kết quả / output directory
    #[arg(
        short = 'o',
        long = "output",
        value_name = "DIR",
        default_value = "output"
    )]
    out_dir: PathBuf,
    /// Định dạng cần tạo / formats to write
    #[arg(long, value_enum, default_value_t = Format::All)]
    format: Format,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn (kể cả bao-cao) / extra or replacement
    /// templates folder (the report kinds too)
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Dùng phông Times New Roman của cơ quan trong thư mục này / the office's Times New Roman
    #[arg(long, value_name = "DIR")]
    font_dir: Option<PathBuf>,
}

pub fn run(args: &ReportArgs, lang: Lang) -> Outcome {
    let as_of = match &args.as_of {
        None => today(),
        Some(text) => match phuluc::report::deadlines::parse_date(text) {
            Some(d) => d,
            None => {
                report(
                    &[Diagnostic::error(text!(
                        format!("--as-of “{text}” không phải một ngày"),
                        format!("--as-of “{text}” is not a date")
                    ))
                    .hint(text!(
                        "Viết ngày dạng dd/mm/yyyy, ví dụ --as-of 30/06/2026.",
                        "Write the date as dd/mm/yyyy, e.g. --as-of 30/06/2026."
                    ))],
                    lang,
                );
                return Outcome::Failed;
            }
        },
    };
    let templates = match load_templates(args.templates.as_deref(), lang) {
        Ok(t) => t,
        Err(outcome) => return outcome,
    };
    let fonts = match load_fonts(args.font_dir.as_deref(), lang) {
        Ok(f) => f,
        Err(outcome) => return outcome,
    };
    let pdf = phuluc::pdf::PdfOptions::new(fonts);
    let request = Request {
        plan: &args.plan,
        workbooks: &args.workbooks,
        as_of,
        out_dir: &args.out_dir,
        formats: Formats {
            docx: matches!(args.format, Format::Docx | Format::All),
            pdf: matches!(args.format, Format::Pdf | Format::All),
            xlsx: args.format == Format::Xlsx,
        },
        templates: &templates,
        pdf: &pdf,
    };
    let done = match phuluc::report::run(&request) {
        Ok(done) => done,
        Err(diags) => {
            report(&diags, lang);
            let missing = std::iter::once(&args.plan)
                .chain(&args.workbooks)
                .any(|p| !p.is_file());
            return if missing {
                Outcome::Failed
            } else {
                Outcome::Problems
            };
        }
    };
    report(&done.warnings, lang);
    let inputs: Vec<&Path> = std::iter::once(args.plan.as_path())
        .chain(args.workbooks.iter().map(PathBuf::as_path))
        .collect();
    for (out, _) in &done.outputs {
        let same =
            |p: &&Path| matches!((p.canonicalize(), out.canonicalize()), (Ok(a), Ok(b)) if a == b);
        if inputs.iter().any(same) {
            report(
                &[Diagnostic::error(text!(
                    "tệp kết quả trùng với một tệp đầu vào",
                    "an output file is one of the input files"
                ))
                .in_file(out)
                .hint(text!(
                    "Chọn thư mục khác với -o.",
                    "Choose another folder with -o."
                ))],
                lang,
            );
            return Outcome::Failed;
        }
    }
    for (out, bytes) in &done.outputs {
        if let Err(d) = write_file(out, bytes) {
            report(&[d], lang);
            return Outcome::Failed;
        }
        eprintln!(
            "{} {}",
            match lang {
                Lang::Vi => "đã ghi",
                Lang::En => "wrote",
            },
            out.display()
        );
    }
    eprintln!("{}", done.summary.get(lang));
    Outcome::Clean
}

/// Today's date where the clerk is (the local calendar; UTC where it cannot be told).
fn today() -> Date {
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
