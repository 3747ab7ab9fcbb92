//! A hand-built document for tests: two parts shaped like the real appendices (header
//! row, section/group/item rows, a 600-character token, a cell longer than a page).

use crate::document::{
    Align, Cell, Date, Document, Margins, Metadata, PageNumbers, PageSetup, Paragraph, Part, Row,
    RowKind, Rule, Table, TextStyle, VAlign,
};

pub(crate) const URL: &str = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh";

/// A 600-character token with no break opportunity.
pub(crate) fn token_600() -> String {
    let mut t = String::new();
    while t.len() < 600 {
        t.push_str("AbcXyz0123");
    }
    t.truncate(600);
    t
}

pub(crate) const SENTENCE: &str = "Bảo đảm sự lãnh đạo, chỉ đạo đồng bộ, thống nhất, hiệu quả và đúng \
     pháp luật về công tác dân vận trong toàn Đảng bộ, sự đồng thuận của các tầng lớp Nhân dân \
     trong quá trình thực hiện mục tiêu phát triển phường; phát huy dân chủ xã hội chủ nghĩa.";

fn style(size: f32, bold: bool, italic: bool) -> TextStyle {
    TextStyle {
        size_pt: size,
        bold,
        italic,
    }
}

fn cell(text: &str, span: usize, bold: bool, align: Align, valign: VAlign) -> Cell {
    Cell {
        text: text.to_owned(),
        span,
        style: style(13.0, bold, false),
        align,
        valign,
        vmerge: crate::document::VMerge::None,
        marks: Vec::new(),
        origin: None,
    }
}

fn item(n: usize, text: &str) -> Row {
    Row {
        kind: RowKind::Item,
        label: format!("mục {n}"),
        cells: vec![
            cell(&n.to_string(), 1, false, Align::Center, VAlign::Center),
            cell(text, 1, false, Align::Justify, VAlign::Top),
            cell("Thường xuyên", 1, false, Align::Center, VAlign::Center),
            cell(
                "Phòng Văn hóa - Xã hội\nCác phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường",
                1,
                false,
                Align::Left,
                VAlign::Center,
            ),
        ],
        keep_with_next: false,
        change: None,
        origin: None,
    }
}

fn heading_row(kind: RowKind, label: &str, text: &str) -> Row {
    Row {
        kind,
        label: label.to_owned(),
        cells: vec![cell(text, 4, true, Align::Left, VAlign::Center)],
        keep_with_next: true,
        change: None,
        origin: None,
    }
}

/// A part with `items` item rows per group.
pub(crate) fn part(outline: &str, body: Vec<Row>) -> Part {
    Part {
        slug: outline.to_lowercase().replace(' ', "-"),
        outline: outline.to_owned(),
        page: PageSetup {
            width_mm: 297.0,
            height_mm: 210.0,
            landscape: true,
            margins: Margins {
                top: 20.0,
                bottom: 20.0,
                left: 30.0,
                right: 15.0,
            },
            header_mm: 10.0,
        },
        page_numbers: PageNumbers {
            enabled: true,
            start: 1,
            show_on_first: false,
            size_pt: 13.0,
        },
        heading: vec![
            Paragraph {
                marks: Vec::new(),
                text: outline.to_uppercase(),
                style: style(14.0, true, false),
                align: Align::Center,
                space_after_pt: 0.0,
            },
            Paragraph {
                marks: Vec::new(),
                text: "Phân công thực hiện các mục tiêu triển khai Nghị quyết số 05-NQ/ĐU"
                    .to_owned(),
                style: style(14.0, true, false),
                align: Align::Center,
                space_after_pt: 0.0,
            },
            Paragraph {
                marks: Vec::new(),
                text: "(Kèm theo Kế hoạch số      /KH-UBND ngày    /    /2026 của UBND phường)"
                    .to_owned(),
                style: style(14.0, false, true),
                align: Align::Center,
                space_after_pt: 6.0,
            },
        ],
        rule: Some(Rule {
            width_mm: 40.0,
            thickness_pt: 0.75,
            space_before_pt: 4.0,
        }),
        space_before_table_pt: 12.0,
        table: Table {
            columns: vec![15.0, 120.0, 40.0, 77.0],
            padding: Margins {
                top: 1.0,
                bottom: 1.0,
                left: 1.9,
                right: 1.9,
            },
            border_pt: 0.5,
            header: vec![Row {
                kind: RowKind::Header,
                label: "hàng tiêu đề".to_owned(),
                cells: vec![
                    cell("STT", 1, true, Align::Center, VAlign::Center),
                    cell("Mục tiêu", 1, true, Align::Center, VAlign::Center),
                    cell("Lộ trình", 1, true, Align::Center, VAlign::Center),
                    cell("Chủ trì", 1, true, Align::Center, VAlign::Center),
                ],
                keep_with_next: true,
                change: None,
                origin: None,
            }],
            body,
            fields: Vec::new(),
        },
        origin: None,
        fields: Vec::new(),
    }
}

/// Section I with a group and items, the 600-char token, and a cell longer than a page.
pub(crate) fn document() -> Document {
    let mut body1 = vec![
        heading_row(RowKind::Section, "mục I", "I. MỤC TIÊU ĐẾN NĂM 2030"),
        heading_row(
            RowKind::Group,
            "nhóm 1",
            "1. Nhóm mục tiêu về công tác dân vận",
        ),
    ];
    for n in 1..=6 {
        body1.push(item(n, SENTENCE));
    }
    body1.push(item(7, &format!("Cổng dịch vụ: {} — {}", URL, token_600())));
    let long_cell: String = (0..60)
        .map(|i| format!("Đoạn {i}: {SENTENCE}"))
        .collect::<Vec<_>>()
        .join("\n");
    body1.push(item(8, &long_cell));
    body1.push(heading_row(
        RowKind::Section,
        "mục II",
        "II. NHIỆM VỤ, GIẢI PHÁP",
    ));
    body1.push(item(
        9,
        "Đến hết năm 2026 UBND phường đạt chuẩn “Chính quyền thân thiện”.",
    ));

    let mut body2 = vec![heading_row(RowKind::Section, "mục I", "I. NHIỆM VỤ CỤ THỂ")];
    for n in 1..=12 {
        body2.push(item(n, SENTENCE));
    }

    Document {
        meta: Metadata {
            title: "Phụ lục kèm theo Kế hoạch số …/KH-UBND".to_owned(),
            author: "Ủy ban nhân dân phường Thạch Khôi".to_owned(),
            language: "vi-VN".to_owned(),
            date: Date {
                year: 2026,
                month: 3,
                day: 20,
            },
            revision: None,
            agencies: Default::default(),
        },
        parts: vec![part("Phụ lục I", body1), part("Phụ lục II", body2)],
    }
}

/// Every word of every text in `doc`, for "nothing lost" checks.
pub(crate) fn words(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for part in &doc.parts {
        for p in &part.heading {
            out.extend(p.text.split_whitespace().map(str::to_owned));
        }
        for row in part.table.header.iter().chain(&part.table.body) {
            for c in &row.cells {
                out.extend(c.text.split_whitespace().map(str::to_owned));
            }
        }
    }
    out
}

/// Words only the marked sample's inserted text has.
pub(crate) const INSERTED_WORDS: [&str; 2] = ["điện", "tử"];

/// Words only the marked sample's deleted text has.
pub(crate) const DELETED_WORDS: [&str; 2] = ["giấy", "viết"];

/// [`document`] marked as the diff will mark it: in Phụ lục I a changed row (a word
/// replaced, and a deletion across a line break), a removed row shown after it, an added
/// row, and a change at the end of the cell longer than a page (so its change bar is on
/// several pages); in Phụ lục II an added and a removed row.
pub(crate) fn marked() -> Document {
    use crate::document::{Revision, RowChange};
    use crate::redline::{Run, WordOp, mark_cell, mark_row, removed_row};

    let op = |kind: char, text: &str| match kind {
        '=' => Run::new(WordOp::Equal, text),
        '+' => Run::new(WordOp::Insert, text),
        _ => Run::new(WordOp::Delete, text),
    };
    let mut doc = document();
    doc.meta.revision = Some(Revision {
        author: "phuluc".to_owned(),
        date: Date {
            year: 2026,
            month: 4,
            day: 2,
        },
    });
    let body = &mut doc.parts[0].table.body;
    // Row "mục 1": a replaced phrase, and a deletion across the cell's line break.
    let changed = &mut body[2];
    mark_cell(
        &mut changed.cells[1],
        &[
            op('=', "Lập hồ sơ "),
            op('-', "bản giấy viết tay "),
            op('+', "bản điện tử "),
            op('=', SENTENCE),
        ],
    );
    mark_cell(
        &mut changed.cells[3],
        &[
            op('=', "Phòng Văn hóa - "),
            op('-', "Xã hội\nCác phòng, ban, "),
            op('=', "đơn vị sự nghiệp công lập thuộc UBND phường"),
        ],
    );
    mark_row(changed, RowChange::Changed);
    let removed = removed_row(
        &body[2],
        &[
            "1a".to_owned(),
            "Nhiệm vụ bỏ đi".to_owned(),
            "Quý II".to_owned(),
        ],
    );
    body.insert(3, removed);
    mark_row(&mut body[5], RowChange::Added);
    // The long row "mục 8": a change at its very end, after the page break.
    let long = body
        .iter_mut()
        .find(|r| r.label == "mục 8")
        .map(|r| &mut r.cells[1]);
    if let Some(cell) = long {
        let text = cell.text.clone();
        mark_cell(cell, &[op('=', &text), op('+', " Bổ sung cuối.")]);
    }
    if let Some(row) = body.iter_mut().find(|r| r.label == "mục 8") {
        mark_row(row, RowChange::Changed);
    }

    let body = &mut doc.parts[1].table.body;
    mark_row(&mut body[1], RowChange::Added);
    let gone = removed_row(&body[2], &["3".to_owned(), "Việc đã xong".to_owned()]);
    body.insert(3, gone);
    doc
}
