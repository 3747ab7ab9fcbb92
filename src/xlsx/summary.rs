//! The workbook's summary sheet "Tổng hợp": per lead agency, the tasks it leads and how
//! many stand at each Tiến độ value, with a stacked bar chart — all formulas over the
//! "Theo cơ quan" sheet, so the figures follow as the appendix sheets are filled.
//!
//! Contract: one row per agency that leads at least one task, in the register's order,
//! then a total row counting every task of the plan once (a task led by two agencies
//! counts for each of them above, once in the total). Columns are [`SUMMARY_COLUMNS`]:
//! "Chưa báo cáo" is what is led but has no Tiến độ value, "Tỷ lệ hoàn thành" the share
//! of "Đã hoàn thành". Each formula caches its value for the empty workbook (nothing
//! reported yet), so a reader that does not recalculate shows true figures too.

use rust_xlsxwriter::{
    Chart, ChartFont, ChartLegendPosition, ChartType, Formula, Worksheet, XlsxError,
};

use super::cells::{BY_AGENCY, FONT, Filled, Formats, PROGRESS, column_letters, pixels, quoted};
use crate::document::{Align, RowKind};
use crate::register::Register;

/// Name of the summary sheet.
pub const SUMMARY: &str = "Tổng hợp";

/// The summary's columns (the report's agency table has the same), with widths in mm.
pub const SUMMARY_COLUMNS: [(&str, f32); 8] = [
    ("Cơ quan", 70.0),
    ("Số nhiệm vụ chủ trì", 26.0),
    ("Đã hoàn thành", 26.0),
    ("Đang thực hiện", 26.0),
    ("Chưa thực hiện", 26.0),
    ("Chậm tiến độ", 26.0),
    ("Chưa báo cáo", 26.0),
    ("Tỷ lệ hoàn thành", 26.0),
];

/// The Tiến độ values of the summary's columns 2–5, in their order.
pub const COUNTED: [&str; 4] = [PROGRESS[2], PROGRESS[1], PROGRESS[0], PROGRESS[3]];

/// The label of the summary's total row.
pub const TOTAL_LABEL: &str = "Tổng cộng";

/// Writes the summary sheet. `by_agency_rows` is how many rows "Theo cơ quan" has under
/// its header; `progress` gives each appendix sheet's name, its Tiến độ column and its
/// last row (1-based), for the total row.
pub(super) fn summary_sheet(
    worksheet: &mut Worksheet,
    register: &Register,
    by_agency_rows: u32,
    progress: &[(String, u16, u32)],
    filled: &Filled,
    formats: &Formats,
) -> Result<(), XlsxError> {
    // The cached figures: how many of `rows` stand at each counted value.
    let counted = |lead: Option<usize>| -> [usize; 4] {
        let mut n = [0; 4];
        let items = register.sheets.iter().flat_map(|s| s.rows.iter());
        for e in items.filter(|e| e.kind == RowKind::Item) {
            if lead.is_some_and(|a| !e.lead.contains(&a)) {
                continue;
            }
            let status = filled.get(&e.key).map_or("", |f| f[0].as_str());
            if let Some(i) = COUNTED.iter().position(|c| *c == status) {
                n[i] += 1;
            }
        }
        n
    };
    let ratio_of = |done: usize, all: usize| {
        if all == 0 {
            "0".to_owned()
        } else {
            format!("{}", done as f64 / all as f64)
        }
    };
    let body = formats.body(Align::Left);
    let number = formats.body(Align::Right).clone().set_num_format("0");
    let ratio = formats.body(Align::Right).clone().set_num_format("0.0%");
    let bold_number = formats.group.clone().set_num_format("0");
    let bold_ratio = formats.group.clone().set_num_format("0.0%");
    for (c, (header, width)) in SUMMARY_COLUMNS.iter().enumerate() {
        let c = c as u16;
        worksheet.write_string_with_format(0, c, *header, &formats.header)?;
        worksheet.set_column_width_pixels(c, pixels(*width))?;
    }
    worksheet.set_row_height(0, 36.0)?;
    let last = by_agency_rows.max(1) + 1;
    let range = |col: &str| format!("{}!${col}$2:${col}${last}", quoted(BY_AGENCY));
    let mut row: u32 = 0;
    for (index, agency) in register.agencies.iter().enumerate() {
        let led: usize = register.counts(index).iter().map(|(lead, _)| lead).sum();
        if led == 0 {
            continue;
        }
        row += 1;
        let r = row + 1;
        worksheet.write_string_with_format(row, 0, &agency.name, body)?;
        let led_formula = format!("=COUNTIFS({},$A{r},{},\"Chủ trì\")", range("A"), range("B"));
        worksheet.write_formula_with_format(
            row,
            1,
            Formula::new(led_formula).set_result(led.to_string()),
            &number,
        )?;
        let counts = counted(Some(index));
        for (i, n) in counts.iter().enumerate() {
            let col = 2 + i as u16;
            let formula = format!(
                "=COUNTIFS({},$A{r},{},\"Chủ trì\",{},{}$1)",
                range("A"),
                range("B"),
                range("F"),
                column_letters(col)
            );
            worksheet.write_formula_with_format(
                row,
                col,
                Formula::new(formula).set_result(n.to_string()),
                &number,
            )?;
        }
        let unreported = led - counts.iter().sum::<usize>().min(led);
        worksheet.write_formula_with_format(
            row,
            6,
            Formula::new(format!("=B{r}-SUM(C{r}:F{r})")).set_result(unreported.to_string()),
            &number,
        )?;
        worksheet.write_formula_with_format(
            row,
            7,
            Formula::new(format!("=IF(B{r}=0,0,C{r}/B{r})")).set_result(ratio_of(counts[0], led)),
            &ratio,
        )?;
        worksheet.set_row_height(row, 21.0)?;
    }
    let agencies = row;
    // The total: every task once, counted on the appendix sheets themselves.
    row += 1;
    let r = row + 1;
    let tasks: usize = register
        .sheets
        .iter()
        .map(|s| s.rows.iter().filter(|e| e.kind == RowKind::Item).count())
        .sum();
    worksheet.write_string_with_format(row, 0, TOTAL_LABEL, &formats.group)?;
    worksheet.write_number_with_format(row, 1, tasks as f64, &bold_number)?;
    let counts = counted(None);
    for (i, n) in counts.iter().enumerate() {
        let col = 2 + i as u16;
        let letters = column_letters(col);
        let terms: Vec<String> = progress
            .iter()
            .map(|(name, c, last)| {
                let l = column_letters(*c);
                format!("COUNTIF({}!${l}$2:${l}${last},{letters}$1)", quoted(name))
            })
            .collect();
        let formula = if terms.is_empty() {
            "=0".to_owned()
        } else {
            format!("={}", terms.join("+"))
        };
        worksheet.write_formula_with_format(
            row,
            col,
            Formula::new(formula).set_result(n.to_string()),
            &bold_number,
        )?;
    }
    let unreported = tasks - counts.iter().sum::<usize>().min(tasks);
    worksheet.write_formula_with_format(
        row,
        6,
        Formula::new(format!("=B{r}-SUM(C{r}:F{r})")).set_result(unreported.to_string()),
        &bold_number,
    )?;
    worksheet.write_formula_with_format(
        row,
        7,
        Formula::new(format!("=IF(B{r}=0,0,C{r}/B{r})")).set_result(ratio_of(counts[0], tasks)),
        &bold_ratio,
    )?;
    worksheet.set_row_height(row, 21.0)?;
    worksheet.set_freeze_panes(1, 0)?;

    if agencies > 0 {
        let mut chart = Chart::new(ChartType::BarStacked);
        let mut font = ChartFont::new();
        font.set_name(FONT).set_size(10);
        let mut title_font = font.clone();
        title_font.set_size(12).set_bold();
        for col in 2..=6u16 {
            chart
                .add_series()
                .set_name((SUMMARY, 0, col))
                .set_categories((SUMMARY, 1, 0, agencies, 0))
                .set_values((SUMMARY, 1, col, agencies, col));
        }
        chart
            .title()
            .set_name("Tiến độ nhiệm vụ theo cơ quan chủ trì")
            .set_font(&title_font);
        chart.x_axis().set_font(&font);
        chart.y_axis().set_font(&font);
        chart
            .legend()
            .set_position(ChartLegendPosition::Bottom)
            .set_font(&font);
        chart.set_width(960);
        chart.set_height((agencies * 30 + 140).clamp(300, 4000));
        worksheet.insert_chart(row + 2, 0, &chart)?;
    }
    Ok(())
}
