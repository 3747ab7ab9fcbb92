//! `phuluc diff`: what changed in meaning between two versions of a plan. Fixtures in
//! `tests/fixtures/diff/` are copies of the seed (`goc.yaml`) with one edit each, one
//! with five scattered edits, one with the same meaning written differently and one
//! broken. Each edit must come out exactly — the full JSON change list — and nothing
//! else; exit codes as diff(1): 0 equal, 1 different, 2 trouble.

use std::process::Output;

use serde_json::{Value, json};

use crate::common::{collapse, fixture, libreoffice_pdf, pdftotext, phuluc, root, stderr, tool};

fn diff(args: &[&str]) -> Output {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    phuluc(&fixture("diff"), &all)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The JSON change list from the seed copy to `file`, which must differ (exit 1).
fn changes(file: &str) -> Value {
    let out = diff(&["--format", "json", "goc.yaml", file]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["equal"], false);
    doc["changes"].clone()
}

/// A change with every documented field; `extra` overrides the defaults.
fn change(extra: Value) -> Value {
    let mut c = json!({
        "kind": null, "subject": null, "appendix": null, "row": null, "field": null,
        "key": null, "old": null, "new": null, "words": [], "added": [], "removed": [],
        "cells": [],
    });
    if let (Some(map), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            map.insert(k.clone(), v.clone());
        }
    }
    c
}

#[test]
fn an_edited_cell_is_one_change_with_its_words() {
    assert_eq!(
        changes("sua-o.yaml"),
        json!([change(json!({
            "kind": "changed", "subject": "row", "appendix": "Phụ lục II", "row": "mục 1.2",
            "field": "Lộ trình thực hiện", "key": "lo_trinh",
            "old": "Thường xuyên", "new": "Hằng năm",
            "words": [{"op": "delete", "text": "Thường xuyên"}, {"op": "insert", "text": "Hằng năm"}],
        }))])
    );
}

#[test]
fn an_added_row_is_one_addition_and_one_renumbering() {
    let text =
        "Rà soát, công bố công khai thủ tục hành chính thuộc thẩm quyền giải quyết của phường.";
    assert_eq!(
        changes("them-dong.yaml"),
        json!([
            change(json!({
                "kind": "added", "subject": "row", "appendix": "Phụ lục II", "row": "mục 4.2",
                "new": text,
                "cells": [
                    {"field": "Nhiệm vụ cụ thể", "key": "nhiem_vu", "value": text},
                    {"field": "Lộ trình thực hiện", "key": "lo_trinh", "value": "Hằng quý"},
                    {"field": "Cơ quan chủ trì", "key": "chu_tri", "value": ["Văn phòng HĐND và UBND phường"]},
                    {"field": "Cơ quan phối hợp", "key": "phoi_hop", "value": ["Trung tâm Phục vụ hành chính công"]},
                    {"field": "Sản phẩm dự kiến", "key": "san_pham", "value": "Danh mục thủ tục hành chính được công bố"},
                ],
            })),
            change(json!({
                "kind": "renumbered", "subject": "appendix", "appendix": "Phụ lục II",
                "old": ["mục 4.2"], "new": ["mục 4.3"],
            })),
        ])
    );
}

#[test]
fn a_removed_row_is_named_by_its_old_number() {
    let text = "Đến hết năm 2026 UBND phường đạt chuẩn “Chính quyền thân thiện”.";
    assert_eq!(
        changes("xoa-dong.yaml"),
        json!([
            change(json!({
                "kind": "removed", "subject": "row", "appendix": "Phụ lục I",
                "row": "phần II, mục 3", "old": text,
                "cells": [
                    {"field": "Mục tiêu", "key": "muc_tieu", "value": text},
                    {"field": "Lộ trình thực hiện", "key": "lo_trinh", "value": "Năm 2026, 2027"},
                    {"field": "Cơ quan chủ trì", "key": "chu_tri", "value": ["Các phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường"]},
                    {"field": "Cơ quan phối hợp", "key": "phoi_hop", "value": ["Ban Xây dựng đảng Đảng ủy phường", "Phòng Văn hóa - Xã hội"]},
                ],
            })),
            change(json!({
                "kind": "renumbered", "subject": "appendix", "appendix": "Phụ lục I",
                "old": ["phần II, mục 4–5"], "new": ["phần II, mục 3–4"],
            })),
        ])
    );
}

#[test]
fn a_row_moved_to_another_group_is_one_move() {
    assert_eq!(
        changes("chuyen-dong.yaml"),
        json!([change(json!({
            "kind": "moved", "subject": "row", "appendix": "Phụ lục II", "row": "mục 9.4",
            "old": "mục 1.2", "new": "mục 9.4",
        }))])
    );
}

#[test]
fn filling_in_the_plan_number_is_one_metadata_change() {
    assert_eq!(
        changes("dien-so.yaml"),
        json!([change(json!({
            "kind": "metadata", "subject": "plan", "field": "Số", "key": "number",
            "new": "125",
        }))])
    );
}

#[test]
fn a_replaced_agency_is_named_on_both_sides() {
    assert_eq!(
        changes("thay-co-quan.yaml"),
        json!([change(json!({
            "kind": "changed", "subject": "row", "appendix": "Phụ lục II", "row": "mục 4.1",
            "field": "Cơ quan phối hợp", "key": "phoi_hop",
            "old": ["Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Văn hóa - Xã hội phường", "Trung tâm Phục vụ hành chính công"],
            "new": ["Phòng Tài chính - Kế hoạch", "Phòng Văn hóa - Xã hội phường", "Trung tâm Phục vụ hành chính công"],
            "added": ["Phòng Tài chính - Kế hoạch"],
            "removed": ["Phòng Kinh tế, Hạ tầng và Đô thị"],
        }))])
    );
}

#[test]
fn five_scattered_edits_are_five_changes_in_every_format() {
    // JSON: the five, in document order, then the one renumbering (mục 9.3 → 9.2).
    let list = changes("nam-cho-sua.yaml");
    let summary: Vec<(String, String)> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap_or("").to_owned(),
                c["row"]
                    .as_str()
                    .or(c["field"].as_str())
                    .unwrap_or("")
                    .to_owned(),
            )
        })
        .collect();
    let want = [
        ("metadata", "Ngày ký"),
        ("changed", "phần I, mục 2"),
        ("changed", "mục 4.1"),
        ("changed", "nhóm 6"),
        ("removed", "mục 9.2"),
        ("renumbered", ""),
    ];
    assert_eq!(
        summary,
        want.map(|(a, b)| (a.to_owned(), b.to_owned())),
        "{list:#}"
    );
    assert_eq!(
        list[3]["words"],
        json!([
            {"op": "equal", "text": "Thực hiện tiếp"},
            {"op": "insert", "text": "công"},
            {"op": "equal", "text": "dân và giải quyết đơn thư"},
        ])
    );
    assert_eq!(list[5]["old"], json!(["mục 9.3"]));
    assert_eq!(list[5]["new"], json!(["mục 9.2"]));

    // Text: one line per change at the first column (a removed row's cells are indented).
    let out = diff(&["goc.yaml", "nam-cho-sua.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with(char::is_whitespace))
        .collect();
    assert_eq!(
        heads,
        [
            "Kế hoạch: điền “Ngày ký”: 2026-04-15",
            "Phụ lục I, phần I, mục 2: sửa “Lộ trình thực hiện”: [-Thường xuyên-] {+Hằng năm+}",
            "Phụ lục II, mục 4.1: sửa “Cơ quan phối hợp”: bỏ “Phòng Kinh tế, Hạ tầng và Đô thị”; thêm “Phòng Tài chính - Kế hoạch”",
            "Phụ lục II, nhóm 6: sửa “Tiêu đề”: Thực hiện tiếp {+công+} dân và giải quyết đơn thư",
            "Phụ lục II, mục 9.2: xóa dòng",
            "Phụ lục II: đánh số lại: mục 9.3 thành 9.2",
        ],
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour into a pipe: {text}");

    // Markdown: a heading per appendix, one top-level bullet per change.
    let out = diff(&["--format", "markdown", "goc.yaml", "nam-cho-sua.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let md = stdout(&out);
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        ["## Kế hoạch", "## Phụ lục I", "## Phụ lục II"],
        "{md}"
    );
    let bullets: Vec<&str> = md.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(bullets.len(), 6, "{md}");
    assert_eq!(
        bullets.iter().filter(|l| l.contains("đánh số lại")).count(),
        1
    );
    assert!(
        md.contains("- **phần I, mục 2**: sửa “Lộ trình thực hiện”: ~~Thường xuyên~~ **Hằng năm**"),
        "{md}"
    );
    assert!(
        md.contains("bỏ ~~“Phòng Kinh tế, Hạ tầng và Đô thị”~~"),
        "{md}"
    );

    // English: the same changes, the document's own names kept.
    let out = phuluc(
        &fixture("diff"),
        &["--lang", "en", "diff", "goc.yaml", "nam-cho-sua.yaml"],
    );
    let en = stdout(&out);
    assert!(
        en.contains("Phụ lục II, mục 9.2: row removed\n")
            && en.contains("Plan: filled in “date”: 2026-04-15\n")
            && en.contains("Phụ lục II: renumbered: mục 9.3 to 9.2\n"),
        "{en}"
    );
}

#[test]
fn the_same_meaning_exits_0_and_prints_nothing() {
    for args in [
        &["goc.yaml", "goc.yaml"][..],
        // Comments dropped, a paragraph reflowed, keys reordered, spaces doubled.
        &["goc.yaml", "cung-nghia.yaml"][..],
        &["--format", "markdown", "goc.yaml", "cung-nghia.yaml"][..],
    ] {
        let out = diff(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
    }
    // JSON still prints its document, for programs that parse it.
    let out = diff(&["--format", "json", "goc.yaml", "cung-nghia.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc, json!({"version": 1, "equal": true, "changes": []}));
}

#[test]
fn trouble_exits_2_with_the_problems_on_stderr() {
    let out = diff(&["goc.yaml", "hong.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("hong.yaml:7:3: lỗi: trường không hợp lệ “symbl”"),
        "{err}"
    );
    let out = diff(&["goc.yaml", "khong-co.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    // One file without --git is a usage error.
    let out = diff(&["goc.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cần hai tệp"));
}

#[test]
fn git_mode_compares_with_a_committed_version() {
    let out = phuluc(
        &root(),
        &["diff", "--git", "HEAD", "data/ke-hoach-05-nq-du.yaml"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out), "");
    // From a sub-folder, the path is taken relative to where we are.
    let out = phuluc(
        &root().join("data"),
        &["diff", "--git", "HEAD", "ke-hoach-05-nq-du.yaml"],
    );
    assert_eq!(out.status.code(), Some(0));
    let out = phuluc(
        &root(),
        &[
            "diff",
            "--git",
            "khong-co-phien-ban",
            "data/ke-hoach-05-nq-du.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("không lấy được “khong-co-phien-ban:data/ke-hoach-05-nq-du.yaml” từ git"),
        "{err}"
    );
    // Outside any repository: a plain message, exit 2.
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("k.yaml");
    std::fs::copy(fixture("diff/goc.yaml"), &copy).expect("copy");
    let out = phuluc(dir.path(), &["diff", "--git", "HEAD", "k.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tệp không nằm trong một kho git"));
}

#[test]
fn textconv_prints_one_line_per_value() {
    let out = diff(&["--textconv", "nam-cho-sua.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for line in [
        "Kế hoạch | Ngày ký: 2026-04-15",
        "Phụ lục I | phần II | Tiêu đề: MỤC TIÊU ĐẾN NĂM 2030",
        "Phụ lục I | phần I, mục 2 | Lộ trình thực hiện: Hằng năm",
        "Phụ lục II | nhóm 6 | Tiêu đề: Thực hiện tiếp công dân và giải quyết đơn thư",
        "Phụ lục II | mục 4.1 | Cơ quan phối hợp: Phòng Tài chính - Kế hoạch",
        "Phụ lục II | mục 4.1 | Cơ quan phối hợp: Phòng Văn hóa - Xã hội phường",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    // The same meaning, the same lines.
    let a = diff(&["--textconv", "goc.yaml"]);
    let b = diff(&["--textconv", "cung-nghia.yaml"]);
    assert_eq!(stdout(&a), stdout(&b));
    // A broken file (mid-edit) comes out as it is, so `git diff` still works.
    let out = diff(&["--textconv", "hong.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    let raw = std::fs::read_to_string(fixture("diff/hong.yaml")).expect("fixture");
    assert_eq!(stdout(&out), raw);
}

#[test]
fn redline_docx_has_tracked_changes_libreoffice_opens_and_redline_pdf_has_both_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docx = dir.path().join("so-sanh.docx");
    let pdf = dir.path().join("so-sanh.pdf");
    for out in [&docx, &pdf] {
        let run = phuluc(
            &fixture("diff"),
            &[
                "diff",
                "goc.yaml",
                "nam-cho-sua.yaml",
                "--redline",
                out.to_str().expect("utf-8"),
            ],
        );
        assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
        assert!(out.is_file());
    }
    let parts = crate::docx::unzip(&docx);
    let xml = &parts["word/document.xml"];
    roxmltree::Document::parse(xml).expect("the XML parses");
    // Inserted: the date in both appendices' "(Kèm theo …)" lines, "Hằng năm", "Phòng Tài
    // chính - Kế hoạch", "công"; deleted: the blank date, "Thường xuyên", "Phòng Kinh tế, Hạ
    // tầng và Đô thị" and the removed row 9.2 (a row mark and its cells). All five edits show.
    assert_eq!(xml.matches("<w:ins ").count(), 5, "five insertions");
    assert!(
        xml.contains("15 tháng 4 năm 2026"),
        "the filled-in date is there"
    );
    assert!(
        xml.matches("<w:del ").count() >= 3,
        "deletions and the removed row"
    );
    assert!(xml.contains(r#"w:author="phuluc""#));
    assert!(xml.contains(">Thường xuyên</w:delText>"));
    assert!(xml.contains("Phòng Kinh tế, Hạ tầng và Đô thị</w:delText>"));
    if tool("soffice") && tool("pdftotext") {
        let lo = libreoffice_pdf(&docx, dir.path());
        let text = collapse(&pdftotext(&lo, &[]));
        assert!(text.contains("Hằng năm") && text.contains("Đẩy mạnh công tác giáo dục chính trị"));
    }
    if tool("pdftotext") {
        let text = collapse(&pdftotext(&pdf, &[]));
        for word in [
            "Hằng năm",
            "Thường xuyên",
            "Tài chính",
            "Đẩy mạnh công tác giáo dục chính trị",
        ] {
            assert!(text.contains(word), "{word} in the redline PDF");
        }
    }
}

#[test]
fn redline_needs_a_docx_or_pdf_name() {
    let run = phuluc(
        &fixture("diff"),
        &["diff", "goc.yaml", "sua-o.yaml", "--redline", "/tmp/x.txt"],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("phải có đuôi .docx hoặc .pdf"));
}
