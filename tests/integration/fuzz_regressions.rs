//! Inputs the fuzzer (`fuzz/`, target `render`) found breaking phuluc, one test each,
//! named after what broke. Each runs the real binary on its fixture under
//! `tests/fixtures/fuzz/` and wants a clean outcome: exit 0, or exit 1 with a Vietnamese
//! message carrying file:line:column — never a panic (exit 101), never exit 2 (which
//! says the tool itself failed), and nothing written when the input is refused.

use crate::common::*;

/// `phuluc render NAME` and `phuluc check NAME` in `tests/fixtures/fuzz`: both exit 1,
/// nothing is written, and the report has `NAME:LINE:COLUMN: lỗi: {message}`.
fn refused(name: &str, message: &str) {
    let dir = fixture("fuzz");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().to_str().expect("utf-8");
    for args in [vec!["render", name, "-o", out], vec!["check", name]] {
        let run = phuluc(&dir, &args);
        // `render` reports on stderr, `check` on stdout.
        let err = format!("{}{}", String::from_utf8_lossy(&run.stdout), stderr(&run));
        assert!(!err.contains("panicked"), "{args:?} panicked:\n{err}");
        assert_eq!(run.status.code(), Some(1), "{args:?}:\n{err}");
        let line = err
            .lines()
            .find(|l| l.contains(&format!(": lỗi: {message}")))
            .unwrap_or_else(|| panic!("{args:?}: no “{message}” in:\n{err}"));
        let pos = line
            .strip_prefix(&format!("{name}:"))
            .and_then(|rest| rest.split(": lỗi:").next())
            .unwrap_or_default();
        let numbers: Vec<&str> = pos.split(':').collect();
        assert!(
            numbers.len() == 2
                && numbers
                    .iter()
                    .all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)),
            "{args:?}: no line:column in {line:?}"
        );
    }
    let written = std::fs::read_dir(out_dir.path()).expect("read").count();
    assert_eq!(written, 0, "wrote {written} file(s) for a refused input");
}

/// Found by fuzzing: a file holding only comments (the fuzzer's `# yaml-laar`, a
/// truncated first line), a bare `---`/`...` document, or a tag on nothing (`!!seqai:`)
/// is YAML's empty document. Validation had no rule for it: `check` said “0 lỗi” and
/// `render` stopped with exit 2, “tài liệu không có phụ lục nào để ghi” and no position.
#[test]
fn empty_yaml_document_passed_check_and_failed_render_with_exit_2() {
    for name in [
        "chi-co-chu-thich.yaml",
        "tai-lieu-rong.yaml",
        "the-khong-gia-tri.yaml",
    ] {
        refused(name, "tệp không có nội dung");
    }
}

/// `phuluc render NAME` in `tests/fixtures/fuzz` into a fresh folder: exit 0, no panic;
/// returns the folder and everything printed.
fn rendered(name: &str) -> (tempfile::TempDir, String) {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let run = phuluc(
        &fixture("fuzz"),
        &[
            "render",
            name,
            "-o",
            out_dir.path().to_str().expect("utf-8"),
        ],
    );
    let err = stderr(&run);
    assert!(!err.contains("panicked"), "render {name} panicked:\n{err}");
    assert_eq!(run.status.code(), Some(0), "render {name}:\n{err}");
    (out_dir, err)
}

/// Found by fuzzing: U+2011 NON-BREAKING HYPHEN (Word pastes it) has no cmap entry in
/// Liberation Serif, but shaping draws it with the U+2010 glyph, so `render` wrote the
/// PDF while `check` warned that the font lacked it and only the .docx could be made.
/// `check` now asks the shaper, as layout does.
#[test]
fn non_breaking_hyphen_was_reported_missing_by_check_though_render_draws_it() {
    let name = "gach-noi-khong-ngat.yaml";
    let check = phuluc(&fixture("fuzz"), &["check", name]);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        stderr(&check)
    );
    assert_eq!(check.status.code(), Some(0), "{report}");
    assert!(
        !report.contains("phông chữ không có ký tự"),
        "check says a glyph is missing:\n{report}"
    );
    let (dir, _) = rendered(name);
    let pdf = dir.path().join("gach-noi-khong-ngat.pdf");
    assert!(pdf.is_file(), "no PDF written");
    if tool("pdftotext") {
        let text = pdftotext(&pdf, &[]);
        assert!(text.contains("Văn hóa\u{2011}Xã"), "{text}");
    }
}

/// Both sections of an appendix number their rows from 1: a missing glyph in the first
/// section's "mục 1" was reported at the second section's row (the row positions were
/// kept by label, and the later "mục 1" replaced the earlier).
#[test]
fn a_missing_glyph_in_the_first_sections_row_was_reported_at_the_second_sections() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("hai-phan.yaml"),
        "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND phường\nappendices:\n  - template: muc-tieu\n    title: Tiêu đề\n    sections:\n      - items:\n          - muc_tieu: Mục tiêu có chữ 中 lạ\n            lo_trinh: Thường xuyên\n            chu_tri: Phòng A\n            phoi_hop: Phòng B\n      - heading: PHẦN HAI\n        items:\n          - muc_tieu: Mục tiêu hai\n            lo_trinh: Thường xuyên\n            chu_tri: Phòng A\n            phoi_hop: Phòng B\n",
    )
    .expect("write");
    let out = phuluc(dir.path(), &["check", "hai-phan.yaml"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("hai-phan.yaml:12:13: cảnh báo: phông chữ không có ký tự U+4E2D «中» (Phụ lục I, mục 1, cột «Mục tiêu»)"),
        "{stdout}"
    );
    let render = phuluc(dir.path(), &["render", "hai-phan.yaml", "-o", "out"]);
    assert_eq!(render.status.code(), Some(1));
    assert!(
        stderr(&render).contains("hai-phan.yaml:12:13: lỗi: phông chữ không có ký tự U+4E2D"),
        "{}",
        stderr(&render)
    );
}

/// `phuluc check … | head -1` closed the pipe while phuluc still printed, and the next
/// print panicked ("failed printing to stdout: Broken pipe").
#[test]
fn a_reader_that_stops_early_made_printing_panic() {
    use std::process::{Command, Stdio};
    // Three thousand rows with empty cells: some 700 KB of warnings, far more than a pipe
    // holds.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut plan = String::from(
        "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND phường\nappendices:\n  - template: muc-tieu\n    title: Tiêu đề\n    items:\n",
    );
    for i in 0..3000 {
        plan.push_str(&format!("      - muc_tieu: Mục tiêu {i}\n"));
    }
    std::fs::write(dir.path().join("nhieu.yaml"), plan).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_phuluc"))
        .args(["check", "nhieu.yaml"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start phuluc");
    // The reader takes one line and goes away.
    let mut first = String::new();
    if let Some(out) = child.stdout.take() {
        use std::io::BufRead;
        let _ = std::io::BufReader::new(out).read_line(&mut first);
    }
    let out = child.wait_with_output().expect("wait");
    assert!(first.contains("đang để trống"), "{first}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "no panic exit");
}
