//! Bad inputs: each file under `tests/fixtures/bad/` has a `.expect` beside it — first line
//! `exit: N`, then lines that must appear in stderr (file:line:column and message in
//! Vietnamese). Nothing may be written, nothing may panic, and each finishes quickly.

use crate::common::*;

#[test]
fn every_bad_input_gives_its_expected_message_and_writes_nothing() {
    let dir = fixture("bad");
    let cases = expect_cases("bad");
    assert!(cases.len() >= 12, "the corpus is there");
    let mut failures = Vec::new();
    for case in &cases {
        let name = &case.name;
        let out_dir = tempfile::tempdir().expect("tempdir");
        let out = phuluc(
            &dir,
            &[
                "render",
                name,
                "-o",
                out_dir.path().to_str().expect("utf-8"),
            ],
        );
        let err = stderr(&out);
        if out.status.code() != Some(case.code) {
            failures.push(format!(
                "{name}: exit {:?}, expected {}\n{err}",
                out.status.code(),
                case.code
            ));
        }
        if err.contains("panicked") {
            failures.push(format!("{name}: panicked\n{err}"));
        }
        for want in &case.wants {
            if !err.contains(want.as_str()) {
                failures.push(format!("{name}: stderr lacks {want:?}\n{err}"));
            }
        }
        let written = std::fs::read_dir(out_dir.path()).expect("read").count();
        if written != 0 {
            failures.push(format!("{name}: wrote {written} file(s) despite the error"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn missing_file_is_a_failure_to_read_with_exit_2() {
    let out = phuluc(
        &root(),
        &["render", "data/khong-co.yaml", "-o", "/nonexistent-dir"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("data/khong-co.yaml: lỗi: không tìm thấy tệp"),
        "{err}"
    );
    assert!(
        err.contains("gợi ý: Kiểm tra lại tên và đường dẫn tệp"),
        "{err}"
    );
}

#[test]
fn english_messages_with_lang_en() {
    let out = phuluc(
        &fixture("bad"),
        &[
            "--lang",
            "en",
            "render",
            "truong-la.yaml",
            "-o",
            "/nonexistent-dir",
        ],
    );
    let err = stderr(&out);
    assert!(
        err.contains("truong-la.yaml:9:5: error: unknown field “titel”"),
        "{err}"
    );
    assert!(err.contains("hint: Did you mean “title”?"), "{err}");
}

/// A `"` left open in the seed (line 83) runs to the next `"` (line 189), where the parser
/// notices; the message points at the opening quote, in both languages.
#[test]
fn a_quote_left_open_in_the_seed_is_reported_where_it_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(seed_yaml()).expect("seed");
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == 83 {
                l.replacen("lo_trinh: ", "lo_trinh: \"", 1)
            } else {
                l.to_owned()
            }
        })
        .collect();
    assert!(
        broken[82].contains("lo_trinh: \""),
        "line 83 has a key to quote"
    );
    std::fs::write(dir.path().join("ke-hoach.yaml"), broken.join("\n")).expect("write");
    let out = phuluc(dir.path(), &["check", "ke-hoach.yaml"]);
    let err = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "ke-hoach.yaml:83:23: lỗi: lỗi cú pháp YAML: dấu ngoặc kép “\"” mở ở dòng 83, cột 23"
        ),
        "{err}"
    );
    assert!(err.contains("trình đọc báo lỗi ở dòng 189"), "{err}");
    assert!(!err.contains("invalid trailing content"), "{err}");
    let out = phuluc(dir.path(), &["--lang", "en", "check", "ke-hoach.yaml"]);
    let err = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        err.contains("ke-hoach.yaml:83:23: error: YAML syntax error: the double quote “\"” opened at line 83, column 23"),
        "{err}"
    );
    assert!(
        err.contains("hint: Add the closing “\"” at the end of the text on line 83"),
        "{err}"
    );
}

#[test]
fn a_failed_render_keeps_the_previous_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("ke-hoach.yaml");
    std::fs::copy(seed_yaml(), &plan).expect("copy");
    let out_dir = dir.path().join("out");
    let run = || phuluc(dir.path(), &["render", "ke-hoach.yaml", "-o", "out"]);
    assert!(run().status.success());
    let before = std::fs::read(out_dir.join("ke-hoach.docx")).expect("first output");
    // Break the plan: the next render must fail and leave the good file as it was.
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&plan, text.replacen("title:", "titel:", 1)).expect("write");
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read(out_dir.join("ke-hoach.docx")).expect("still there"),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out_dir)
        .expect("read")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temp files left behind");
}

#[test]
fn input_file_is_never_touched() {
    let before = std::fs::read(seed_yaml()).expect("read");
    let modified = std::fs::metadata(seed_yaml())
        .and_then(|m| m.modified())
        .expect("mtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "render",
            "data/ke-hoach-05-nq-du.yaml",
            "-o",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read(seed_yaml()).expect("read"), before);
    assert_eq!(
        std::fs::metadata(seed_yaml())
            .and_then(|m| m.modified())
            .expect("mtime"),
        modified
    );
}

/// Writes `contents` to a temp file and runs `phuluc args… FILE`; returns the output.
fn run_on(contents: &[u8], args: &[&str]) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ke-hoach.yaml");
    std::fs::write(&file, contents).expect("write");
    let mut all: Vec<&str> = args.to_vec();
    all.push("ke-hoach.yaml");
    if args.first() == Some(&"render") {
        all.extend(["-o", "out"]);
    }
    let out = phuluc(dir.path(), &all);
    (out, dir)
}

#[test]
fn nesting_200000_levels_deep_is_refused_without_overflowing_the_stack() {
    for source in [
        format!("a: {}{}\n", "[".repeat(200_000), "]".repeat(200_000)),
        format!("a:\n{}x\n", "- ".repeat(200_000)),
    ] {
        let (out, dir) = run_on(source.as_bytes(), &["render"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("ke-hoach.yaml:1:") || err.contains("ke-hoach.yaml:2:"),
            "{err}"
        );
        assert!(err.contains("giới hạn an toàn"), "{err}");
        assert!(!dir.path().join("out").exists());
    }
}

#[test]
fn a_50_mb_file_is_refused_before_it_is_read() {
    let big = vec![b'#'; 50 * 1024 * 1024];
    let (out, dir) = run_on(&big, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let all = format!("{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout));
    assert!(
        all.contains("lỗi: tệp quá lớn (50 MB; tối đa 32 MB)"),
        "{all}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn handlebars_and_xml_in_cell_text_are_shown_literally() {
    let plan = "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND phường\nappendices:\n  - template: nhiem-vu\n    title: \"Tiêu đề {{plan.kind}} {{#if x}}\"\n    items:\n      - nhiem_vu: \"{{plan.issuer}} và {{> partial}} giữ nguyên\"\n        lo_trinh: \"<w:p>&amp; </w:t> ]]> <b>đậm</b>\"\n        san_pham: \"A & B < C\"\n";
    let (out, dir) = run_on(plan.as_bytes(), &["render"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let parts = crate::docx::unzip(&dir.path().join("out/ke-hoach.docx"));
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("the XML parses");
    let text: String = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("|");
    for literal in [
        "Tiêu đề {{plan.kind}} {{#if x}}",
        "{{plan.issuer}} và {{> partial}} giữ nguyên",
        "<w:p>&amp; </w:t> ]]> <b>đậm</b>",
        "A & B < C",
    ] {
        assert!(text.contains(literal), "{literal} in {text}");
    }
    if tool("pdftotext") {
        let pdf = pdftotext(&dir.path().join("out/ke-hoach.pdf"), &[]);
        let flat = collapse(&pdf);
        for literal in ["{{plan.issuer}} và {{> partial}} giữ nguyên", "A & B < C"] {
            assert!(flat.contains(literal), "{literal} in {flat}");
        }
    }
}

#[test]
fn control_characters_pasted_from_word_render_as_breaks_and_warn() {
    let plan = "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND phường\nappendices:\n  - template: nhiem-vu\n    title: Tiêu đề\n    items:\n      - nhiem_vu: \"Dòng một\\vdòng hai\\fba\"\n";
    let (out, dir) = run_on(plan.as_bytes(), &["render"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("ke-hoach.yaml:11:19: cảnh báo: “nhiem_vu” có ký tự điều khiển U+000B"),
        "{err}"
    );
    let parts = crate::docx::unzip(&dir.path().join("out/ke-hoach.docx"));
    let xml = &parts["word/document.xml"];
    assert!(
        !xml.contains('\u{B}') && !xml.contains('\u{C}'),
        "no XML-forbidden characters"
    );
    assert!(
        xml.contains("Dòng một</w:t></w:r><w:r>"),
        "a line break instead"
    );
    roxmltree::Document::parse(xml).expect("Word-safe XML");
}
