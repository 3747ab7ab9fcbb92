//! Bad inputs: each file under `tests/fixtures/bad/` has a `.expect` beside it — first line
//! `exit: N`, then lines that must appear in stderr (file:line:column and message in
//! Vietnamese). Nothing may be written, nothing may panic, and each finishes quickly.

use crate::common::*;

#[test]
fn every_bad_input_gives_its_expected_message_and_writes_nothing() {
    let dir = fixture("bad");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("bad fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "the corpus is there");
    let mut failures = Vec::new();
    for case in &cases {
        let expect = std::fs::read_to_string(case.with_extension("expect"))
            .unwrap_or_else(|_| panic!("{} has no .expect", case.display()));
        let mut lines = expect.lines();
        let code: i32 = lines
            .next()
            .and_then(|l| l.strip_prefix("exit: "))
            .and_then(|n| n.parse().ok())
            .expect("first line is `exit: N`");
        let out_dir = tempfile::tempdir().expect("tempdir");
        let name = case.file_name().expect("name").to_str().expect("utf-8");
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
        if out.status.code() != Some(code) {
            failures.push(format!(
                "{name}: exit {:?}, expected {code}\n{err}",
                out.status.code()
            ));
        }
        if err.contains("panicked") {
            failures.push(format!("{name}: panicked\n{err}"));
        }
        for want in lines.filter(|l| !l.trim().is_empty()) {
            if !err.contains(want) {
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
