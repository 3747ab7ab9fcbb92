//! `phuluc agencies FILE.yaml`: every agency the plan names, with how many rows it leads
//! (chủ trì) and supports (phối hợp) in each appendix.
//!
//! Contract: the same checks as `render` run first (errors → nothing on stdout, exit 1;
//! exit 2 when the file cannot be read); warnings go to stderr. Agencies are folded and
//! named as `check` folds them ([`phuluc::compose::agencies`]): the canonical `agencies:`
//! list first, then the others in the order the plan first names them. Output on stdout:
//! an aligned table (`text`), a Markdown table (`markdown`) or JSON (`json`, see README).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use phuluc::diag::Lang;
use phuluc::document::RowKind;
use phuluc::register::Register;
use serde::Serialize;

use super::{Outcome, prepare_reported};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Bảng chữ canh cột / an aligned text table
    Text,
    /// Bảng Markdown / a Markdown table
    Markdown,
    /// JSON
    Json,
}

#[derive(Debug, Args)]
pub struct AgenciesArgs {
    /// Tệp YAML kế hoạch / plan YAML file
    #[arg(value_name = "FILE.yaml")]
    file: PathBuf,
    /// Định dạng kết quả / output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Thư mục mẫu bổ sung hoặc thay thế mẫu có sẵn / extra or replacement templates folder
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

pub fn run(args: &AgenciesArgs, lang: Lang) -> Outcome {
    let (templates, prepared) = match prepare_reported(&args.file, args.templates.as_deref(), lang)
    {
        Ok(both) => both,
        Err(outcome) => return outcome,
    };
    let register = phuluc::compose::agencies::register(&prepared.plan, &templates);
    let out = match args.format {
        Format::Text => text(&register, lang),
        Format::Markdown => markdown(&register, lang),
        Format::Json => {
            let mut s =
                serde_json::to_string_pretty(&JsonAgencies::new(&register)).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    super::print_stdout(&out, lang)
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

fn text(register: &Register, lang: Lang) -> String {
    let (lead, support, sum) = roles(lang);
    let width = register
        .agencies
        .iter()
        .map(|a| a.name.chars().count())
        .chain(std::iter::once(8))
        .max()
        .unwrap_or(8);
    let mut out = String::new();
    let rows = |sheet: &phuluc::register::Sheet| {
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

fn markdown(register: &Register, lang: Lang) -> String {
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
