//! What `phuluc agencies` prints: every agency of a [`Register`] with how many rows it
//! leads (chủ trì) and supports (phối hợp) in each appendix, as an aligned text table
//! ([`text`]), a Markdown table ([`markdown`]) or JSON ([`json`], see README).
//!
//! Contract: agencies in the register's order; counts are of item rows only; the
//! headings are in the message language, the names as the plan writes them.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Register, Sheet};
use crate::diag::Lang;
use crate::document::RowKind;

/// The JSON document (pretty-printed, with a final line break).
pub fn json(register: &Register) -> String {
    let mut s = serde_json::to_string_pretty(&JsonAgencies::new(register)).unwrap_or_default();
    s.push('\n');
    s
}

/// "chủ trì / phối hợp" in the message language.
fn roles(lang: Lang) -> (&'static str, &'static str, &'static str) {
    match lang {
        Lang::Vi => ("chủ trì", "phối hợp", "Cộng"),
        Lang::En => ("lead", "support", "Total"),
    }
}

/// Sums of per-sheet (lead, support) counts.
fn total(counts: &[(usize, usize)]) -> (usize, usize) {
    counts.iter().fold((0, 0), |(l, s), (a, b)| (l + a, s + b))
}

/// An aligned text table: a summary line, a header, a line per agency with its lead /
/// support counts per appendix and in all, and its other spellings under it.
pub fn text(register: &Register, lang: Lang) -> String {
    let (lead, support, sum) = roles(lang);
    let width = register
        .agencies
        .iter()
        .map(|a| a.name.chars().count())
        .chain(std::iter::once(8))
        .max()
        .unwrap_or(8);
    let mut out = String::new();
    let rows = |sheet: &Sheet| {
        sheet
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Item)
            .count()
    };
    let sheets: Vec<String> = register
        .sheets
        .iter()
        .map(|s| match lang {
            Lang::Vi => format!("{} ({} dòng)", s.name, rows(s)),
            Lang::En => format!("{} ({} rows)", s.name, rows(s)),
        })
        .collect();
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Vi => format!(
                "{} cơ quan; {}; mỗi ô: số dòng {lead} / {support}",
                register.agencies.len(),
                sheets.join(", ")
            ),
            Lang::En => format!(
                "{} agencies; {}; each cell: rows {lead} / {support}",
                register.agencies.len(),
                sheets.join(", ")
            ),
        }
    );
    let head = match lang {
        Lang::Vi => "Cơ quan",
        Lang::En => "Agency",
    };
    let mut line = format!("{head:<width$}");
    for sheet in &register.sheets {
        let _ = write!(line, "  {:>12}", sheet.name);
    }
    let _ = write!(line, "  {sum:>12}");
    let _ = writeln!(out, "{}", line.trim_end());
    for (i, agency) in register.agencies.iter().enumerate() {
        let counts = register.counts(i);
        let mut line = format!("{:<width$}", agency.name);
        for (l, s) in counts.iter().chain(std::iter::once(&total(&counts))) {
            let _ = write!(line, "  {:>12}", format!("{l} / {s}"));
        }
        let _ = writeln!(out, "{line}");
        let others: Vec<&str> = agency
            .spellings
            .iter()
            .filter(|s| **s != agency.name)
            .map(String::as_str)
            .collect();
        if !others.is_empty() {
            let label = match lang {
                Lang::Vi => "cách viết khác",
                Lang::En => "also written",
            };
            let _ = writeln!(out, "  {label}: {}", others.join("; "));
        }
    }
    out
}

/// A Markdown table cell: "|" escaped, line breaks as spaces.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown table: a lead and a support column per appendix and for the total.
pub fn markdown(register: &Register, lang: Lang) -> String {
    let (lead, support, sum) = roles(lang);
    let head = match lang {
        Lang::Vi => "Cơ quan",
        Lang::En => "Agency",
    };
    let mut out = format!("| {head} |");
    let mut rule = "| --- |".to_owned();
    for name in register
        .sheets
        .iter()
        .map(|s| s.name.as_str())
        .chain(std::iter::once(sum))
    {
        let _ = write!(out, " {} {lead} | {} {support} |", md(name), md(name));
        rule.push_str(" ---: | ---: |");
    }
    out.push('\n');
    out.push_str(&rule);
    out.push('\n');
    for (i, agency) in register.agencies.iter().enumerate() {
        let counts = register.counts(i);
        let _ = write!(out, "| {} |", md(&agency.name));
        for (l, s) in counts.iter().chain(std::iter::once(&total(&counts))) {
            let _ = write!(out, " {l} | {s} |");
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct JsonAgencies<'a> {
    version: u32,
    appendices: Vec<&'a str>,
    agencies: Vec<JsonAgency<'a>>,
}

#[derive(Serialize)]
struct JsonAgency<'a> {
    name: &'a str,
    slug: &'a str,
    spellings: &'a [String],
    lead: usize,
    support: usize,
    appendices: Vec<JsonCounts<'a>>,
}

#[derive(Serialize)]
struct JsonCounts<'a> {
    appendix: &'a str,
    lead: usize,
    support: usize,
    lead_rows: Vec<JsonRow<'a>>,
    support_rows: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    row: &'a str,
    number: &'a str,
    key: &'a str,
}

impl<'a> JsonAgencies<'a> {
    fn new(register: &'a Register) -> Self {
        let agencies = register
            .agencies
            .iter()
            .enumerate()
            .map(|(i, agency)| {
                let appendices: Vec<JsonCounts<'a>> = register
                    .sheets
                    .iter()
                    .map(|sheet| {
                        let rows = |lead: bool| -> Vec<JsonRow<'a>> {
                            sheet
                                .rows
                                .iter()
                                .filter(|r| r.kind == RowKind::Item)
                                .filter(|r| if lead { &r.lead } else { &r.support }.contains(&i))
                                .map(|r| JsonRow {
                                    row: &r.name,
                                    number: &r.number,
                                    key: &r.key,
                                })
                                .collect()
                        };
                        let (lead_rows, support_rows) = (rows(true), rows(false));
                        JsonCounts {
                            appendix: &sheet.name,
                            lead: lead_rows.len(),
                            support: support_rows.len(),
                            lead_rows,
                            support_rows,
                        }
                    })
                    .collect();
                JsonAgency {
                    name: &agency.name,
                    slug: &agency.slug,
                    spellings: &agency.spellings,
                    lead: appendices.iter().map(|a| a.lead).sum(),
                    support: appendices.iter().map(|a| a.support).sum(),
                    appendices,
                }
            })
            .collect();
        JsonAgencies {
            version: 1,
            appendices: register.sheets.iter().map(|s| s.name.as_str()).collect(),
            agencies,
        }
    }
}
