//! `phuluc check`: every problem at once, with file:line:column, in Vietnamese; JSON for
//! editors; `--strict`; exit codes 0 / 1 / 2. Fixtures: `tests/fixtures/check/*.yaml`,
//! each with a `.expect` (first line `exit: N`, then lines stdout must contain).

use crate::common::*;

#[test]
fn each_check_fixture_reports_all_its_problems_in_one_run() {
    let cases = expect_cases("check");
    assert!(!cases.is_empty());
    for case in cases {
        let out = phuluc(&fixture("check"), &["check", &case.name]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(case.code),
            "{}:\n{stdout}",
            case.name
        );
        for want in &case.wants {
            assert!(
                stdout.contains(want.as_str()),
                "{}: missing {want:?} in\n{stdout}",
                case.name
            );
        }
    }
}

#[test]
fn the_seed_checks_clean_of_errors_with_its_known_warnings() {
    let out = phuluc(&root(), &["check", "data/ke-hoach-05-nq-du.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("mục 8.2: ô “Sản phẩm dự kiến” đang để trống"),
        "{stdout}"
    );
    assert!(
        stdout.contains("mục 9.3: ô “Sản phẩm dự kiến” đang để trống"),
        "{stdout}"
    );
    assert!(
        stdout.contains("viết khác “Phòng Văn hóa - Xã hội phường”"),
        "{stdout}"
    );
    // Two agencies joined by ";" in one entry, which the register knows both of.
    assert!(
        stdout.contains("ke-hoach-05-nq-du.yaml:417:15: cảnh báo: Phụ lục II, dòng thuộc nhóm 10: “Cơ quan phối hợp”: một dòng ghi 2 cơ quan nối bằng “;”: “Ban Xây dựng Đảng đảng ủy phường”, “phòng Văn hóa - Xã hội”"),
        "{stdout}"
    );
    assert!(
        stdout.contains("gợi ý: Tách thành 2 dòng, mỗi cơ quan một dòng: “- Ban Xây dựng Đảng đảng ủy phường”, “- phòng Văn hóa - Xã hội”"),
        "{stdout}"
    );
    assert!(stdout.ends_with("1 tệp: 0 lỗi, 8 cảnh báo\n"), "{stdout}");
    // --strict turns those warnings into errors.
    let strict = phuluc(
        &root(),
        &["check", "--strict", "data/ke-hoach-05-nq-du.yaml"],
    );
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn json_output_carries_the_same_diagnostics() {
    let out = phuluc(
        &fixture("check"),
        &["check", "--format", "json", "muoi-loi.yaml"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["errors"], 9);
    let first = &doc["diagnostics"][0];
    assert_eq!(first["line"], 6);
    assert_eq!(first["column"], 3);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["message"], "trường không hợp lệ “symbl”");
    assert_eq!(first["message_en"], "unknown field “symbl”");
}

#[test]
fn an_unreadable_file_exits_2_and_english_is_available() {
    let out = phuluc(&root(), &["--lang", "en", "check", "data/khong-co.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("data/khong-co.yaml: error: file not found"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 file(s): 1 error(s), 0 warning(s)"),
        "{stdout}"
    );
}

#[test]
fn committed_schema_is_what_phuluc_schema_prints_and_the_data_file_names_it() {
    let out = phuluc(&root(), &["schema"]);
    assert!(out.status.success());
    let committed = std::fs::read(root().join("schema/phuluc.schema.json")).expect("schema file");
    assert!(
        out.stdout == committed,
        "schema/phuluc.schema.json is stale: run `cargo run -- schema > schema/phuluc.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_slice(&committed).expect("JSON");
    for column in [
        "nhiem_vu", "muc_tieu", "lo_trinh", "chu_tri", "phoi_hop", "san_pham",
    ] {
        assert!(
            schema["$defs"]["Item"]["properties"][column].is_object(),
            "{column} is completed by editors"
        );
    }
    let data = std::fs::read_to_string(seed_yaml()).expect("data file");
    assert!(data.starts_with("# yaml-language-server: $schema=../schema/phuluc.schema.json\n"));
}

#[test]
fn committed_layout_schema_is_what_phuluc_prints_and_every_template_names_it() {
    let out = phuluc(&root(), &["schema", "--layout"]);
    assert!(out.status.success());
    let committed = std::fs::read(root().join("schema/layout.schema.json")).expect("schema file");
    assert!(
        out.stdout == committed,
        "schema/layout.schema.json is stale: run `cargo run -- schema --layout > schema/layout.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_slice(&committed).expect("JSON");
    let column = &schema["$defs"]["Column"]["properties"];
    for key in [
        "group",
        "merge_equal",
        "sum_of",
        "decimals",
        "number_label",
        "optional",
    ] {
        assert!(column[key].is_object(), "{key} is described for editors");
    }
    for key in ["column_numbers", "repeat_column_numbers", "totals"] {
        assert!(schema["properties"][key].is_object(), "{key} is described");
    }
    for kind in ["muc-tieu", "nhiem-vu", "kinh-phi"] {
        let layout = std::fs::read_to_string(root().join(format!("templates/{kind}/layout.yaml")))
            .expect("layout");
        assert!(
            layout.starts_with("# yaml-language-server: $schema=../../schema/layout.schema.json\n"),
            "templates/{kind}/layout.yaml names the schema"
        );
    }
}

#[test]
fn help_is_in_vietnamese_and_english() {
    for args in [
        &["--help"][..],
        &["render", "--help"],
        &["check", "--help"],
        &["schema", "--help"],
    ] {
        let out = phuluc(&root(), args);
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("Tùy chọn / Options"), "{args:?}: {help}");
        assert!(
            help.contains("In hướng dẫn / print help"),
            "{args:?}: {help}"
        );
    }
    let out = phuluc(&root(), &["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Kiểm tra tệp YAML, báo mọi lỗi một lần / check plan files"));
}

#[test]
fn template_errors_are_part_of_the_check_output() {
    let out = phuluc(
        &root(),
        &[
            "check",
            "--format",
            "json",
            "--templates",
            fixture("templates-hong").to_str().expect("utf-8"),
            "data/ke-hoach-05-nq-du.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let d = &doc["diagnostics"][0];
    assert!(
        d["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("hong/label.hbs")),
        "{doc}"
    );
    assert_eq!(d["line"], 3);
    assert_eq!(
        d["message"],
        "lỗi cú pháp Handlebars: một thẻ {{…}} chưa đóng hoặc viết sai"
    );
}

/// The advice for a character the font lacks had two wordings, `check`'s and `render`'s;
/// `check`'s was kept ("… chữ tiếng Việt chuẩn …; nếu không, chỉ tạo được .docx."), as
/// it holds for `render` too (`--format docx` still works). Both commands print it, at
/// the same place, in both languages.
#[test]
fn missing_glyph_advice_is_one_wording_in_check_and_render() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_str().expect("path");
    for (lang, hint) in [
        (
            "vi",
            "gợi ý: Thay ký tự đó bằng chữ tiếng Việt chuẩn, hoặc dùng --font-dir với phông có ký tự này; nếu không, chỉ tạo được .docx.",
        ),
        (
            "en",
            "hint: Replace the character with standard Vietnamese, or use --font-dir with a font that has it; otherwise only the .docx can be made.",
        ),
    ] {
        let check = phuluc(
            &fixture("check"),
            &["check", "thieu-phong.yaml", "--lang", lang],
        );
        let render = phuluc(
            &fixture("check"),
            &["render", "thieu-phong.yaml", "-o", out, "--lang", lang],
        );
        let check_out = String::from_utf8_lossy(&check.stdout);
        let render_err = stderr(&render);
        assert_eq!(render.status.code(), Some(1), "{render_err}");
        for text in [&*check_out, &*render_err] {
            assert!(text.contains(hint), "{lang}: no {hint:?} in\n{text}");
            assert!(text.contains("thieu-phong.yaml:9:5: "), "{text}");
        }
    }
}
