//! `phuluc new`: a new plan for every built-in kind and a `--templates` kind checks with
//! only "fill this" warnings, renders, previews (the same warnings, good pages), and —
//! once filled in — checks clean; the kinds are listed with their columns; an existing
//! file is kept without `--force`.

use std::path::Path;

use crate::common::{fixture, pdftotext, phuluc, root, stderr, tool};
use crate::paths::preview_manifest;

/// `phuluc new` for `kind` into `dir/<kind>.yaml`; the file's text.
fn new_plan(dir: &Path, kind: &str, extra: &[&str]) -> String {
    let file = format!("{kind}.yaml");
    let mut args = vec!["new", "--kind", kind, "-o", &file];
    args.extend_from_slice(extra);
    let out = phuluc(dir, &args);
    assert!(out.status.success(), "new --kind {kind}: {}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains(&format!("phuluc preview {kind}.yaml")),
        "the next step is named: {said}"
    );
    std::fs::read_to_string(dir.join(&file)).expect("the new plan")
}

/// `check`'s lines for `file`: (exit code, every `lỗi`/`cảnh báo` line).
fn check(dir: &Path, file: &str, extra: &[&str]) -> (i32, Vec<String>) {
    let mut args = vec!["check", file];
    args.extend_from_slice(extra);
    let out = phuluc(dir, &args);
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(": lỗi: ") || l.contains(": cảnh báo: "))
        .map(str::to_owned)
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

#[test]
fn a_new_plan_of_every_kind_checks_with_only_fill_this_warnings_renders_and_previews() {
    let templates = fixture("templates");
    let templates = templates.to_str().expect("path");
    let kinds: [(&str, &[&str], &str); 4] = [
        ("nhiem-vu", &[], "Nhiệm vụ cụ thể"),
        ("muc-tieu", &[], "Mục tiêu"),
        ("kinh-phi", &[], "Nội dung"),
        (
            "bay-cot",
            &["--templates", templates],
            "Thời gian hoàn thành",
        ),
    ];
    // Every built-in kind a plan can name (a folder of templates/; the report's kinds are
    // `phuluc report`'s, never a plan's) is in the table above.
    let mut builtin: Vec<String> = std::fs::read_dir(root().join("templates"))
        .expect("templates/")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|k| !phuluc::compose::templates::REPORT_KINDS.contains(&k.as_str()))
        .collect();
    builtin.sort();
    let mut tested: Vec<String> = kinds[..3].iter().map(|k| k.0.to_owned()).collect();
    tested.sort();
    assert_eq!(builtin, tested, "a new built-in kind needs a line here");
    let dir = tempfile::tempdir().expect("temp dir");
    for (kind, extra, header) in kinds {
        let yaml = new_plan(dir.path(), kind, extra);
        // Every field line carries a Vietnamese comment with an example.
        for line in yaml.lines().filter(|l| {
            let t = l.trim_start();
            !t.starts_with('#') && (t.contains(": \"\"") || t.ends_with(": ~"))
        }) {
            assert!(
                line.contains("# ") && line.contains("ví dụ"),
                "{kind}: {line}"
            );
        }
        let file = format!("{kind}.yaml");
        let (code, lines) = check(dir.path(), &file, extra);
        assert_eq!(code, 0, "{kind}: {lines:#?}");
        assert!(!lines.is_empty(), "{kind}: the gaps are named");
        for line in &lines {
            assert!(
                line.contains(": cảnh báo: ")
                    && (line.contains("chưa điền") || line.contains("đang để trống")),
                "{kind}: only fill-this warnings: {line}"
            );
            assert!(
                line.starts_with(&format!("{kind}.yaml:")),
                "file:line:col: {line}"
            );
        }
        assert!(
            lines.iter().any(|l| l.contains("cơ quan ban hành")),
            "{kind}: {lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.contains(header)),
            "{kind}: {lines:#?}"
        );

        let mut args = vec!["render", file.as_str(), "-o", "out"];
        args.extend_from_slice(extra);
        let out = phuluc(dir.path(), &args);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        if tool("pdftotext") {
            let text = pdftotext(&dir.path().join(format!("out/{kind}.pdf")), &[]);
            assert!(text.contains("PHỤ LỤC I"), "{kind}: {text}");
            assert!(
                text.contains(header.split(' ').next().unwrap_or(header)),
                "{kind}: {text}"
            );
        }

        // The suggested next step: the preview shows its pages, no error, the same gaps.
        let manifest = preview_manifest(dir.path(), Path::new(&file), extra, kind);
        assert_eq!(
            manifest["ok"],
            serde_json::json!(true),
            "{kind}: {manifest}"
        );
        assert!(
            manifest["pages"].as_array().is_some_and(|p| !p.is_empty()),
            "{kind}: {manifest}"
        );
        assert_eq!(
            manifest["warnings"].as_array().map(Vec::len),
            Some(lines.len()),
            "{kind}: {manifest}"
        );

        // Filled in, the same file checks without a single warning.
        let filled = yaml
            .replace(
                "issuer: \"\"",
                "issuer: \"Ủy ban nhân dân phường Thạch Khôi\"",
            )
            .replace("symbol: \"\"", "symbol: KH-UBND")
            .replace(": \"\"", ": \"Nội dung đã điền\"")
            .replace(": ~ ", ": 2026-06-30 ")
            .replace("number: 2026-06-30", "number: ~")
            .replace("date: 2026-06-30", "date: ~");
        let filled = filled
            .lines()
            .map(|l| {
                // Amounts and percentages take numbers, not dates.
                if l.contains(": 2026-06-30") && (l.contains("một con số") || l.contains("tỷ lệ"))
                {
                    l.replace(": 2026-06-30", ": 12.5")
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(dir.path().join("filled.yaml"), filled).expect("write");
        let (code, lines) = check(dir.path(), "filled.yaml", extra);
        assert_eq!((code, lines.len()), (0, 0), "{kind}: {lines:#?}");
    }
}

#[test]
fn new_without_a_kind_lists_each_kind_with_its_column_headers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = phuluc(dir.path(), &["new"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = String::from_utf8_lossy(&out.stdout);
    for line in [
        "nhiem-vu  Phân công thực hiện nhiệm vụ, giải pháp",
        "cột: Stt | Nhiệm vụ cụ thể | Lộ trình thực hiện | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm dự kiến",
        "muc-tieu  Phân công thực hiện mục tiêu",
        "kinh-phi  Dự toán kinh phí thực hiện",
        "Kinh phí (triệu đồng) / Trong đó / Ngân sách thành phố",
        "phuluc new --kind",
    ] {
        assert!(list.contains(line), "{line:?} in {list}");
    }
    assert!(!dir.path().join("data").exists(), "listing writes nothing");

    let templates = fixture("templates");
    let out = phuluc(
        dir.path(),
        &["new", "--templates", templates.to_str().expect("path")],
    );
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("bay-cot"), "{list}");
    assert!(list.contains("| Thời gian hoàn thành | Ghi chú"), "{list}");
}

#[test]
fn new_keeps_an_existing_file_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = phuluc(dir.path(), &["new", "--kind", "nhiem-vu"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = dir.path().join("data/ke-hoach-moi.yaml");
    std::fs::write(&file, "đã sửa\n").expect("write");
    let again = phuluc(dir.path(), &["new", "--kind", "muc-tieu"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("tệp đã có: không ghi đè"),
        "{}",
        stderr(&again)
    );
    assert!(stderr(&again).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "đã sửa\n");
    let forced = phuluc(dir.path(), &["new", "--kind", "muc-tieu", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(
        std::fs::read_to_string(&file)
            .expect("read")
            .contains("template: muc-tieu")
    );
}

#[test]
fn new_with_an_unknown_kind_names_the_nearest_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = phuluc(dir.path(), &["new", "--kind", "nhiemvu"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(said.contains("không có loại phụ lục “nhiemvu”"), "{said}");
    assert!(said.contains("“nhiem-vu”"), "{said}");
    assert!(!dir.path().join("data").exists());
}
