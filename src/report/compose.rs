//! The report as a [`Document`], for the same .docx and PDF writers as the plan.
//!
//! Contract: one part per appendix of the plan, laid out by the template kind `bao-cao`
//! — the plan's own sections and groups, each task under its number in the plan with its
//! text, lead agency, Tiến độ, Kết quả and Ghi chú; then the summary per lead agency
//! (`bao-cao-tong-hop`, a total row last) and the overdue tasks (`bao-cao-qua-han`, by
//! appendix; a row saying there are none when so). Each table is composed by compose's
//! own table and part machinery from an appendix built here, so heading rows, numbers,
//! page setup and heading lines behave exactly as in the plan's appendices. A kind's
//! columns pick what they show by field name ([`BODY_FIELDS`], [`SUMMARY_FIELDS`]); a
//! column of another name is an error pointing at its `layout.yaml`. The headings'
//! Handlebars see `plan.*` and `appendix.*` as the plan's templates do, and `report.as_of`
//! (dd/mm/yyyy).

use std::collections::BTreeMap;

use serde_json::json;

use super::deadlines::Deadline;
use super::matching::{ItemRef, main_text};
use super::status::Status;
use super::tasks::{Report, deadline_column};
use crate::compose::templates::{ColumnKind, Kind, LINE_TEMPLATES, Templates};
use crate::compose::values;
use crate::diag::{Diagnostic, SourceResult};
use crate::document::{Document, RowKind};
use crate::model::{Appendix, Decimal, Field, Group, Item, Plan, Section};
use crate::register::ColumnRole;
use crate::text;

/// The fields a `bao-cao` or `bao-cao-qua-han` column may show.
pub const BODY_FIELDS: [&str; 9] = [
    "noi_dung", "lo_trinh", "han", "chu_tri", "phoi_hop", "phu_luc", "tien_do", "ket_qua",
    "ghi_chu",
];

/// The fields a `bao-cao-tong-hop` column may show, in the summary's order.
pub const SUMMARY_FIELDS: [&str; 8] = [
    "co_quan",
    "so_nhiem_vu",
    "da_hoan_thanh",
    "dang_thuc_hien",
    "chua_thuc_hien",
    "cham_tien_do",
    "chua_bao_cao",
    "ty_le",
];

/// The kind `name`, its columns checked against `fields`.
fn kind<'t>(templates: &'t Templates, name: &str, fields: &[&str]) -> SourceResult<&'t Kind> {
    let Some(kind) = templates.kind(name) else {
        return Err(vec![Diagnostic::error(text!(
            format!("không có mẫu “{name}” để trình bày báo cáo"),
            format!("there is no template “{name}” to lay out the report")
        ))
        .hint(text!(
            format!("Mẫu có sẵn trong phuluc; nếu dùng --templates, thư mục “{name}/” ở đó phải có layout.yaml và ba tệp .hbs."),
            format!("It is built in; with --templates, a “{name}/” folder there needs a layout.yaml and the three .hbs files.")
        ))]);
    };
    let bad: Vec<Diagnostic> = kind
        .layout
        .columns
        .iter()
        .filter(|c| c.kind != ColumnKind::Number && !fields.contains(&c.field.as_str()))
        .map(|c| {
            Diagnostic::error(text!(
                format!(
                    "mẫu “{name}”: cột “{}” không phải trường của báo cáo",
                    c.field
                ),
                format!(
                    "template “{name}”: column “{}” is not a field of the report",
                    c.field
                )
            ))
            .in_file(&kind.origin.join("layout.yaml"))
            .hint(text!(
                format!("Các trường dùng được: {}.", fields.join(", ")),
                format!("The fields available: {}.", fields.join(", "))
            ))
        })
        .collect();
    if bad.is_empty() { Ok(kind) } else { Err(bad) }
}

/// The heading lines of a part of kind `kind`, with `number` and `title` as
/// `appendix.number` and `appendix.title`.
fn lines(
    templates: &Templates,
    kind: &str,
    plan: &Plan,
    number: &str,
    title: &str,
    as_of: &str,
) -> SourceResult<Vec<String>> {
    let meta = &plan.meta;
    let date = meta.date.map(|d| {
        json!({
            "day": format!("{:02}", d.day),
            "month": if d.month <= 2 { format!("{:02}", d.month) } else { d.month.to_string() },
            "year": d.year.to_string(),
        })
    });
    let data = json!({
        "plan": {
            "kind": meta.kind,
            "number": meta.number,
            "symbol": meta.symbol,
            "date": date,
            "year": meta.year.map(|y| y.to_string()),
            "issuer": meta.issuer,
        },
        "appendix": { "number": number, "title": title },
        "report": { "as_of": as_of },
    });
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for line in LINE_TEMPLATES {
        match templates.render_line(kind, line, &data) {
            Ok(t) => out.push(t),
            Err(d) => diags.push(d),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// A part of kind `kind` showing `appendix`.
fn part(
    kind: &Kind,
    slug: String,
    outline: String,
    heading: Vec<String>,
    appendix: &Appendix,
) -> crate::document::Part {
    let page = crate::compose::page_setup(&kind.layout);
    let table = crate::compose::table(appendix, kind, page.text_width_mm());
    crate::compose::assemble(kind, slug, outline, heading, table, None)
}

/// An item of the report's own appendix: its number and field values.
fn item(number: String, fields: BTreeMap<String, Field>) -> Item {
    Item {
        id: None,
        number: Some(number),
        fields,
        origin: None,
        key_origins: Default::default(),
    }
}

fn text_field(s: impl Into<String>) -> Field {
    Field::Text(s.into())
}

/// What task `item` shows in each body field; `overdue` for the overdue list.
fn task_fields(report: &Report, item: ItemRef, overdue: bool) -> BTreeMap<String, Field> {
    let sheet = &report.register.sheets[item.sheet];
    let entry = &sheet.rows[item.entry];
    let Some(task) = report.task(item) else {
        return BTreeMap::new();
    };
    let r = &task.reported;
    let role_text = |role: ColumnRole| {
        sheet
            .columns
            .iter()
            .position(|c| c.role == role)
            .and_then(|i| entry.cells.get(i))
            .filter(|t| !t.is_empty())
            .map(|t| Field::List(vec![t.clone()]))
    };
    let status = match (&r.status, overdue) {
        (Status::Unknown(typed), _) => format!("{typed}\n(ngoài danh sách)"),
        (s, true) => format!("Quá hạn\n({})", s.name()),
        (s, false) => s.name().to_owned(),
    };
    let mut f = BTreeMap::new();
    f.insert(
        "noi_dung".to_owned(),
        text_field(main_text(&report.register, item)),
    );
    if let Some(c) = deadline_column(sheet) {
        f.insert(
            "lo_trinh".to_owned(),
            text_field(entry.cells.get(c).cloned().unwrap_or_default()),
        );
    }
    if let Deadline::By(d) = task.deadline {
        f.insert("han".to_owned(), text_field(values::date(d)));
    }
    if let Some(l) = role_text(ColumnRole::Lead) {
        f.insert("chu_tri".to_owned(), l);
    }
    if let Some(l) = role_text(ColumnRole::Support) {
        f.insert("phoi_hop".to_owned(), l);
    }
    f.insert("phu_luc".to_owned(), text_field(sheet.name.clone()));
    f.insert("tien_do".to_owned(), text_field(status));
    f.insert("ket_qua".to_owned(), text_field(r.result.clone()));
    f.insert("ghi_chu".to_owned(), text_field(r.note.clone()));
    f
}

/// The plan's appendix `sheet` as the report's: its sections, groups and tasks.
fn body_appendix(report: &Report, sheet_index: usize, template: &str) -> Appendix {
    let sheet = &report.register.sheets[sheet_index];
    let main = sheet
        .columns
        .iter()
        .position(|c| c.role == ColumnRole::Main)
        .or_else(|| {
            sheet
                .columns
                .iter()
                .position(|c| c.role != ColumnRole::Number)
        })
        .unwrap_or(0);
    let mut sections: Vec<Section> = Vec::new();
    let mut at: Option<(usize, Option<usize>)> = None;
    let new_section = |heading: Option<(String, String)>| Section {
        id: None,
        implicit: heading.is_none(),
        number: heading.as_ref().map(|h| h.0.clone()),
        heading: heading.map(|h| h.1),
        groups: Vec::new(),
        origin: None,
        key_origins: Default::default(),
    };
    let new_group = |heading: Option<(String, String)>| Group {
        id: None,
        implicit: heading.is_none(),
        number: heading.as_ref().map(|h| h.0.clone()),
        heading: heading.map(|h| h.1),
        items: Vec::new(),
        origin: None,
        key_origins: Default::default(),
    };
    for (e, entry) in sheet.rows.iter().enumerate() {
        let text = entry.cells.get(main).cloned().unwrap_or_default();
        let (s, g) = entry.place;
        match entry.kind {
            RowKind::Section => {
                sections.push(new_section(Some((entry.number.clone(), text))));
                at = Some((s, None));
            }
            RowKind::Group => {
                if at.is_none_or(|(cs, _)| cs != s) {
                    sections.push(new_section(None));
                }
                if let Some(section) = sections.last_mut() {
                    section
                        .groups
                        .push(new_group(Some((entry.number.clone(), text))));
                }
                at = Some((s, g));
            }
            RowKind::Item => {
                if at.is_none_or(|(cs, _)| cs != s) {
                    sections.push(new_section(None));
                    at = Some((s, None));
                }
                let Some(section) = sections.last_mut() else {
                    continue;
                };
                if at.is_some_and(|(_, cg)| cg != g) || section.groups.is_empty() {
                    section.groups.push(new_group(None));
                    at = Some((s, g));
                }
                let fields = task_fields(
                    report,
                    ItemRef {
                        sheet: sheet_index,
                        entry: e,
                    },
                    false,
                );
                if let Some(group) = section.groups.last_mut() {
                    group.items.push(item(entry.number.clone(), fields));
                }
            }
            _ => {}
        }
    }
    Appendix {
        template: template.to_owned(),
        number: Some(sheet.number.clone()),
        title: sheet.title.clone(),
        sections,
        origin: None,
    }
}

/// The report's document (see the module's contract).
pub fn document(report: &Report, plan: &Plan, templates: &Templates) -> SourceResult<Document> {
    let body = kind(templates, "bao-cao", &BODY_FIELDS);
    let summary = kind(templates, "bao-cao-tong-hop", &SUMMARY_FIELDS);
    let overdue = kind(templates, "bao-cao-qua-han", &BODY_FIELDS);
    let (body, summary, overdue) = match (body, summary, overdue) {
        (Ok(b), Ok(s), Ok(o)) => (b, s, o),
        (b, s, o) => {
            let mut diags = Vec::new();
            for r in [b.err(), s.err(), o.err()].into_iter().flatten() {
                diags.extend(r);
            }
            return Err(diags);
        }
    };
    let as_of = values::date(report.as_of);
    let mut parts = Vec::new();
    for (i, sheet) in report.register.sheets.iter().enumerate() {
        let appendix = body_appendix(report, i, "bao-cao");
        let heading = lines(
            templates,
            "bao-cao",
            plan,
            &sheet.number,
            &sheet.title,
            &as_of,
        )?;
        parts.push(part(
            body,
            format!("bao-cao-phu-luc-{}", sheet.number),
            format!("Kết quả {}", sheet.name),
            heading,
            &appendix,
        ));
    }
    parts.push(summary_part(report, plan, templates, summary, &as_of)?);
    parts.push(overdue_part(report, plan, templates, overdue, &as_of)?);
    let mut meta = crate::compose::metadata(plan);
    meta.title = format!(
        "Kết quả thực hiện {} số {}/{} (đến ngày {as_of})",
        plan.meta.kind,
        plan.meta.number.as_deref().unwrap_or("…"),
        plan.meta.symbol
    );
    meta.date = report.as_of;
    Ok(Document { meta, parts })
}

/// One implicit section holding `groups`.
fn flat(template: &str, groups: Vec<Group>) -> Appendix {
    Appendix {
        template: template.to_owned(),
        number: None,
        title: String::new(),
        sections: vec![Section {
            id: None,
            number: None,
            heading: None,
            groups,
            implicit: true,
            origin: None,
            key_origins: Default::default(),
        }],
        origin: None,
    }
}

fn summary_part(
    report: &Report,
    plan: &Plan,
    templates: &Templates,
    kind: &Kind,
    as_of: &str,
) -> SourceResult<crate::document::Part> {
    let (lines_, total) = report.agency_lines();
    let rows: Vec<Item> = lines_
        .iter()
        .chain(std::iter::once(&total))
        .map(|line| {
            let done = line.counts[0];
            let ratio = if line.led == 0 {
                Decimal::ZERO
            } else {
                Decimal::from(done) * Decimal::ONE_HUNDRED / Decimal::from(line.led)
            };
            let mut f = BTreeMap::new();
            let numbers = [
                line.led,
                line.counts[0],
                line.counts[1],
                line.counts[2],
                line.counts[3],
                line.counts[4],
            ];
            f.insert("co_quan".to_owned(), text_field(line.name.clone()));
            for (field, n) in SUMMARY_FIELDS[1..7].iter().zip(numbers) {
                f.insert((*field).to_owned(), text_field(n.to_string()));
            }
            f.insert("ty_le".to_owned(), text_field(values::percent(ratio, 1)));
            item(String::new(), f)
        })
        .collect();
    let appendix = flat(
        "bao-cao-tong-hop",
        vec![Group {
            id: None,
            number: None,
            heading: None,
            items: rows,
            implicit: true,
            origin: None,
            key_origins: Default::default(),
        }],
    );
    let heading = lines(templates, "bao-cao-tong-hop", plan, "", "", as_of)?;
    let mut part = part(
        kind,
        "tong-hop".to_owned(),
        "Tổng hợp theo cơ quan".to_owned(),
        heading,
        &appendix,
    );
    // The last row is the total: bold, and kept with the row above it.
    if let Some(last) = part.table.body.last_mut() {
        last.kind = RowKind::Total;
        last.label = "tổng cộng".to_owned();
        for cell in &mut last.cells {
            cell.style.bold = true;
        }
    }
    Ok(part)
}

fn overdue_part(
    report: &Report,
    plan: &Plan,
    templates: &Templates,
    kind: &Kind,
    as_of: &str,
) -> SourceResult<crate::document::Part> {
    let mut groups = Vec::new();
    for (s, sheet) in report.register.sheets.iter().enumerate() {
        let items: Vec<Item> = report
            .overdue()
            .filter(|t| t.item.sheet == s)
            .map(|t| {
                item(
                    report.entry(t.item).number.clone(),
                    task_fields(report, t.item, true),
                )
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        // The appendix's whole title on one line: its first line alone may stop mid-phrase.
        let title = sheet.title.split_whitespace().collect::<Vec<_>>().join(" ");
        groups.push(Group {
            id: None,
            number: Some(String::new()),
            heading: Some(format!("{}: {title}", sheet.name)),
            items,
            implicit: false,
            origin: None,
            key_origins: Default::default(),
        });
    }
    if groups.is_empty() {
        let mut f = BTreeMap::new();
        f.insert(
            "noi_dung".to_owned(),
            text_field(format!("Không có nhiệm vụ quá hạn đến ngày {as_of}.")),
        );
        groups.push(Group {
            id: None,
            number: None,
            heading: None,
            items: vec![item(String::new(), f)],
            implicit: true,
            origin: None,
            key_origins: Default::default(),
        });
    }
    let appendix = flat("bao-cao-qua-han", groups);
    let heading = lines(templates, "bao-cao-qua-han", plan, "", "", as_of)?;
    Ok(part(
        kind,
        "qua-han".to_owned(),
        "Nhiệm vụ quá hạn".to_owned(),
        heading,
        &appendix,
    ))
}
