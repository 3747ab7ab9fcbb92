//! Templates: a new appendix kind is a new folder (no code), and template mistakes are
//! reported with the template file and line:column.

use crate::common::*;
use crate::docx::unzip;

#[test]
fn a_seven_column_kind_from_a_folder_renders_without_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "render",
            fixture("plans/bay-cot.yaml").to_str().expect("utf-8"),
            "--templates",
            fixture("templates").to_str().expect("utf-8"),
            "-o",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let parts = unzip(&dir.path().join("bay-cot.docx"));
    let doc = &parts["word/document.xml"];
    assert_eq!(doc.matches("<w:gridCol ").count(), 7, "seven grid columns");
    for text in [
        "Thời gian hoàn thành",
        "Ghi chú",
        "NHIỆM VỤ TRỌNG TÂM",
        "30/6/2026",
        "Báo cáo kết quả về UBND phường",
        "Phòng Kinh tế, Hạ tầng và Đô thị, Trung tâm Phục vụ hành chính công",
        ">1.1<",
        ">1.2<",
        ">I<",
    ] {
        assert!(doc.contains(text), "{text} missing");
    }
    let xml = roxmltree::Document::parse(doc).expect("document.xml parses");
    let repeated = xml
        .descendants()
        .filter(|n| n.tag_name().name() == "tblHeader")
        .count();
    assert_eq!(repeated, 1, "the header row repeats on every page");
}

#[test]
fn built_in_kinds_still_work_next_to_a_templates_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "render",
            "data/ke-hoach-05-nq-du.yaml",
            "--templates",
            fixture("templates").to_str().expect("utf-8"),
            "-o",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn handlebars_syntax_error_points_at_the_template_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "render",
            "data/ke-hoach-05-nq-du.yaml",
            "--templates",
            fixture("templates-hong").to_str().expect("utf-8"),
            "-o",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("hong/label.hbs:"), "{err}");
    assert!(err.contains("lỗi: lỗi cú pháp Handlebars"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 0);
}

#[test]
fn unknown_template_variable_is_an_error_not_an_empty_string() {
    let dir = tempfile::tempdir().expect("tempdir");
    let templates = dir.path().join("t");
    let kind = templates.join("nhiem-vu");
    std::fs::create_dir_all(&kind).expect("mkdir");
    for f in ["layout.yaml", "title.hbs", "reference.hbs"] {
        std::fs::copy(root().join("templates/nhiem-vu").join(f), kind.join(f)).expect("copy");
    }
    std::fs::write(kind.join("label.hbs"), "PHỤ LỤC {{appendix.so}}\n").expect("write");
    let out = phuluc(
        &root(),
        &[
            "render",
            "data/ke-hoach-05-nq-du.yaml",
            "--templates",
            templates.to_str().expect("utf-8"),
            "-o",
            dir.path().join("out").to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("nhiem-vu/label.hbs:1:"), "{err}");
    assert!(err.contains("lỗi khi điền mẫu"), "{err}");
    assert!(!dir.path().join("out").exists());
}
