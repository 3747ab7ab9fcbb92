//! `phuluc render A.yaml B.yaml …`: many files side by side, one bad file reported and
//! the others rendered, each file's messages together and in the order given.

use super::common::{fixture, phuluc, seed_yaml, stderr};

#[test]
fn a_bad_file_in_a_batch_is_reported_and_the_others_still_render() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["a.yaml", "c.yaml", "e.yaml"] {
        std::fs::copy(seed_yaml(), dir.path().join(name)).expect("copy");
    }
    std::fs::copy(fixture("bad/cu-phap.yaml"), dir.path().join("b.yaml")).expect("copy");
    let out = phuluc(
        dir.path(),
        &[
            "render",
            "a.yaml",
            "b.yaml",
            "c.yaml",
            "khong-co.yaml",
            "e.yaml",
            "-o",
            "out",
        ],
    );
    let err = stderr(&out);
    // The worst outcome wins: a file that cannot be read is the tool's failure (2).
    assert_eq!(out.status.code(), Some(2), "{err}");
    for stem in ["a", "c", "e"] {
        for ext in ["docx", "pdf"] {
            let path = dir.path().join(format!("out/{stem}.{ext}"));
            assert!(path.is_file(), "{} missing\n{err}", path.display());
        }
    }
    assert!(!dir.path().join("out/b.docx").exists());
    assert!(err.contains("b.yaml:9:12: lỗi: lỗi cú pháp YAML"), "{err}");
    assert!(
        err.contains("khong-co.yaml: lỗi: không tìm thấy tệp"),
        "{err}"
    );
    assert!(
        err.contains("5 tệp: 3 tệp đã tạo xong, 1 tệp có lỗi nội dung, 1 tệp không xử lý được"),
        "{err}"
    );
    // Each file's lines come together, in the order the files were given, however the
    // work was shared between threads.
    let firsts: Vec<usize> = ["a.yaml:", "b.yaml:", "c.yaml:", "khong-co.yaml:", "e.yaml:"]
        .iter()
        .map(|p| err.find(p).unwrap_or_else(|| panic!("{p} in {err}")))
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{firsts:?}\n{err}");
    let wrote_a = err.find("đã ghi out/a.pdf").expect("a written");
    assert!(wrote_a < firsts[1], "a's lines before b's\n{err}");
}

#[test]
fn a_batch_of_good_files_exits_clean_and_renders_each_as_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["mot.yaml", "hai.yaml"] {
        std::fs::copy(seed_yaml(), dir.path().join(name)).expect("copy");
    }
    let alone = phuluc(dir.path(), &["render", "mot.yaml", "-o", "alone"]);
    assert!(alone.status.success(), "{}", stderr(&alone));
    let out = phuluc(dir.path(), &["render", "mot.yaml", "hai.yaml", "-o", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 tệp: 2 tệp đã tạo xong"));
    for ext in ["docx", "pdf"] {
        let a = std::fs::read(dir.path().join(format!("alone/mot.{ext}"))).expect("alone");
        for stem in ["mot", "hai"] {
            let b = std::fs::read(dir.path().join(format!("out/{stem}.{ext}"))).expect("batch");
            assert!(a == b, "{stem}.{ext}: same bytes as a render on its own");
        }
    }
}

#[test]
fn deep_nesting_overflowed_a_worker_threads_stack_in_a_batch() {
    // Worker threads once had 2 MiB stacks, less than the parser's depth budget was set
    // for: a deeply nested file aborted the whole batch.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("sau.yaml"),
        format!("a: {}{}\n", "[".repeat(200_000), "]".repeat(200_000)),
    )
    .expect("write");
    std::fs::copy(seed_yaml(), dir.path().join("tot.yaml")).expect("copy");
    let out = phuluc(dir.path(), &["render", "sau.yaml", "tot.yaml", "-o", "out"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("sau.yaml:1:"), "{err}");
    assert!(err.contains("giới hạn an toàn"), "{err}");
    assert!(dir.path().join("out/tot.pdf").is_file(), "{err}");
}

#[test]
fn a_terminal_sees_a_progress_line_and_a_pipe_does_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["a.yaml", "b.yaml", "c.yaml"] {
        std::fs::copy(seed_yaml(), dir.path().join(name)).expect("copy");
    }
    // Through a pipe (as in every other test): no progress line, no cursor control.
    let piped = phuluc(
        dir.path(),
        &["render", "a.yaml", "b.yaml", "c.yaml", "-o", "out"],
    );
    let err = stderr(&piped);
    assert!(piped.status.success(), "{err}");
    assert!(
        !err.contains('\r') && !err.contains("\u{1b}[") && !err.contains("] 1/3"),
        "{err}"
    );

    // On a terminal (script(1) gives the program a pseudo-terminal): the bar counts files.
    if !super::common::tool("script") {
        return;
    }
    let command = format!(
        "{} render a.yaml b.yaml c.yaml -o tty",
        env!("CARGO_BIN_EXE_phuluc")
    );
    let out = std::process::Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .current_dir(dir.path())
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .expect("run script");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("[##########--------------------] 1/3 tệp"),
        "{shown}"
    );
    assert!(
        shown.contains("[####################----------] 2/3 tệp"),
        "{shown}"
    );
    // Cleared before each file's messages and at the end: the summary starts a clean line.
    assert!(
        shown.contains("\r\u{1b}[2K3 tệp: 3 tệp đã tạo xong"),
        "{shown}"
    );
}
