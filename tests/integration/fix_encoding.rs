//! `phuluc fix-encoding FILE --from tcvn3|vni [-o OUT] [--in-place]`: legacy-encoded
//! values become Unicode and nothing else in the file changes. Fixtures under
//! `tests/fixtures/encoding/`: `tcvn3.yaml` (TCVN3 in plain, quoted, folded and literal
//! scalars, Unicode comments and values left alone) and `vni.yaml`, each with the
//! `*.expected.yaml` the conversion must produce byte for byte. Every run works on a copy
//! in a temporary folder, so the fixtures themselves are never written.

use std::path::{Path, PathBuf};

use crate::common::*;

/// A temporary folder holding a copy of fixture `encoding/<name>`.
fn copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::copy(fixture(&format!("encoding/{name}")), &path).expect("copy fixture");
    (dir, path)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn expected(name: &str) -> Vec<u8> {
    read(&fixture(&format!("encoding/{name}")))
}

/// The names of the files in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn tcvn3_values_become_unicode_on_stdout_byte_for_byte() {
    let (dir, file) = copy("tcvn3.yaml");
    let out = phuluc(
        dir.path(),
        &["fix-encoding", "tcvn3.yaml", "--from", "tcvn3"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        out.stdout == expected("tcvn3.expected.yaml"),
        "stdout differs from tcvn3.expected.yaml:\n{}\n{err}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Without --in-place the input is untouched and nothing else is written.
    assert_eq!(read(&file), expected("tcvn3.yaml"));
    assert_eq!(listing(dir.path()), ["tcvn3.yaml"]);
    // One line per converted text with FILE:LINE:COL, then the summary.
    for want in [
        "tcvn3.yaml:5:9: đã chuyển “kind”: “Kế hoạch”",
        "tcvn3.yaml:14:12: đã chuyển “title”: “Phân công thực hiện phong trào \"Dân vận …”",
        "tcvn3.yaml:16:18: đã chuyển “heading”: “Thực hiện tiếp dân và giải quyết đơn thư”",
        "tcvn3.yaml:19:15: đã chuyển “muc_tieu”: “Cộng hòa xã hội chủ nghĩa Việt Nam: bảo …”",
        "tcvn3.yaml:21:23: đã chuyển “lo_trinh”: “Thường xuyên”",
        "tcvn3.yaml:23:17: đã chuyển “chu_tri”: “Phòng Văn hóa - Xã hội”",
        "tcvn3.yaml:26:17: đã chuyển “phoi_hop”: “Đảng ủy phường”",
        "tcvn3.yaml:32:15: đã chuyển “muc_tieu”: “Tổ chức tập huấn nghiệp vụ cho cán bộ là…”",
        "Đã chuyển 8 đoạn văn bản từ TCVN3 sang Unicode.",
    ] {
        assert!(err.contains(want), "stderr lacks {want:?}:\n{err}");
    }
    assert!(!err.contains("cảnh báo"), "{err}");
}

#[test]
fn the_result_checks_without_legacy_encoding_warnings() {
    let (dir, file) = copy("tcvn3.yaml");
    let before = phuluc(dir.path(), &["check", "tcvn3.yaml"]);
    let before = String::from_utf8_lossy(&before.stdout);
    assert!(
        before.contains("có vẻ được gõ bằng bảng mã TCVN3 cũ"),
        "the fixture is legacy-encoded:\n{before}"
    );
    let out = phuluc(
        dir.path(),
        &["fix-encoding", "tcvn3.yaml", "--from", "tcvn3"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(&file, &out.stdout).expect("write result");
    let after = phuluc(dir.path(), &["check", "tcvn3.yaml"]);
    let report = String::from_utf8_lossy(&after.stdout);
    assert_eq!(after.status.code(), Some(0), "{report}");
    assert!(!report.contains("bảng mã"), "{report}");
    assert!(report.ends_with("1 tệp: 0 lỗi, 0 cảnh báo\n"), "{report}");
}

#[test]
fn dash_o_writes_the_result_and_leaves_the_input_alone() {
    let (dir, file) = copy("tcvn3.yaml");
    let out = phuluc(
        dir.path(),
        &[
            "fix-encoding",
            "tcvn3.yaml",
            "--from",
            "tcvn3",
            "-o",
            "moi.yaml",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(out.stdout.is_empty(), "the result goes to the file only");
    assert!(read(&dir.path().join("moi.yaml")) == expected("tcvn3.expected.yaml"));
    assert_eq!(read(&file), expected("tcvn3.yaml"));
    assert_eq!(listing(dir.path()), ["moi.yaml", "tcvn3.yaml"]);
    assert!(err.contains("Đã ghi vào moi.yaml."), "{err}");
}

#[test]
fn in_place_keeps_the_original_as_bak_and_never_overwrites_a_bak() {
    let (dir, file) = copy("tcvn3.yaml");
    let out = phuluc(
        dir.path(),
        &[
            "fix-encoding",
            "tcvn3.yaml",
            "--from",
            "tcvn3",
            "--in-place",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(out.stdout.is_empty());
    assert!(read(&file) == expected("tcvn3.expected.yaml"));
    let bak = dir.path().join("tcvn3.yaml.bak");
    assert_eq!(read(&bak), expected("tcvn3.yaml"), ".bak is the original");
    assert!(
        err.contains("Đã ghi lại tcvn3.yaml; bản gốc lưu ở tcvn3.yaml.bak."),
        "{err}"
    );

    // A second run finds nothing to convert and touches nothing.
    let again = phuluc(
        dir.path(),
        &[
            "fix-encoding",
            "tcvn3.yaml",
            "--from",
            "tcvn3",
            "--in-place",
        ],
    );
    let err = stderr(&again);
    assert_eq!(again.status.code(), Some(0), "{err}");
    assert!(
        err.contains("Không có đoạn văn bản nào cần chuyển từ TCVN3 sang Unicode."),
        "{err}"
    );
    assert!(read(&file) == expected("tcvn3.expected.yaml"));
    assert_eq!(read(&bak), expected("tcvn3.yaml"));

    // With legacy text again and the old .bak still there: refuse, write nothing.
    std::fs::write(&file, expected("tcvn3.yaml")).expect("restore");
    std::fs::write(&bak, b"older backup").expect("bak");
    let refused = phuluc(
        dir.path(),
        &[
            "fix-encoding",
            "tcvn3.yaml",
            "--from",
            "tcvn3",
            "--in-place",
        ],
    );
    let err = stderr(&refused);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert!(
        err.contains("tcvn3.yaml.bak: lỗi: đã có tệp sao lưu này"),
        "{err}"
    );
    assert_eq!(read(&file), expected("tcvn3.yaml"));
    assert_eq!(read(&bak), b"older backup");
    assert_eq!(listing(dir.path()), ["tcvn3.yaml", "tcvn3.yaml.bak"]);
}

#[test]
fn vni_values_become_unicode() {
    let (dir, file) = copy("vni.yaml");
    let out = phuluc(dir.path(), &["fix-encoding", "vni.yaml", "--from", "vni"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        out.stdout == expected("vni.expected.yaml"),
        "stdout differs from vni.expected.yaml:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        err.contains("vni.yaml:10:12: đã chuyển “title”: “Cộng hòa xã hội chủ nghĩa Việt Nam”"),
        "{err}"
    );
    assert!(
        err.contains("Đã chuyển 2 đoạn văn bản từ VNI sang Unicode."),
        "{err}"
    );
    assert_eq!(read(&file), expected("vni.yaml"));
}

#[test]
fn the_summary_is_english_with_lang_en() {
    let (dir, _file) = copy("vni.yaml");
    let out = phuluc(
        dir.path(),
        &["--lang", "en", "fix-encoding", "vni.yaml", "--from", "vni"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("vni.yaml:10:12: converted “title”: “Cộng hòa xã hội chủ nghĩa Việt Nam”"),
        "{err}"
    );
    assert!(
        err.contains("Converted 2 text(s) from VNI to Unicode."),
        "{err}"
    );
}

#[test]
fn the_wrong_encoding_is_an_error_and_nothing_is_written() {
    let (dir, file) = copy("tcvn3.yaml");
    let out = phuluc(
        dir.path(),
        &[
            "fix-encoding",
            "tcvn3.yaml",
            "--from",
            "vni",
            "-o",
            "moi.yaml",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("tcvn3.yaml:5:9: lỗi: “kind” có vẻ được gõ bằng TCVN3, không phải VNI"),
        "{err}"
    );
    assert!(err.contains("--from tcvn3"), "{err}");
    assert_eq!(listing(dir.path()), ["tcvn3.yaml"]);
    assert_eq!(read(&file), expected("tcvn3.yaml"));
}

#[test]
fn a_unicode_file_comes_out_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = phuluc(
        &root(),
        &[
            "fix-encoding",
            "data/ke-hoach-05-nq-du.yaml",
            "--from",
            "tcvn3",
            "-o",
            dir.path().join("seed.yaml").to_str().expect("utf-8"),
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("Không có đoạn văn bản nào cần chuyển"),
        "{err}"
    );
    assert!(read(&dir.path().join("seed.yaml")) == read(&seed_yaml()));
}

#[test]
fn usage_yaml_and_read_errors_have_their_exit_codes() {
    let (dir, file) = copy("tcvn3.yaml");
    let both = phuluc(
        dir.path(),
        &[
            "fix-encoding",
            "tcvn3.yaml",
            "--from",
            "tcvn3",
            "-o",
            "moi.yaml",
            "--in-place",
        ],
    );
    let err = stderr(&both);
    assert_eq!(both.status.code(), Some(2), "{err}");
    assert!(err.contains("không dùng -o cùng với --in-place"), "{err}");

    let onto_itself = phuluc(
        dir.path(),
        &[
            "fix-encoding",
            "tcvn3.yaml",
            "--from",
            "tcvn3",
            "-o",
            "./tcvn3.yaml",
        ],
    );
    let err = stderr(&onto_itself);
    assert_eq!(onto_itself.status.code(), Some(2), "{err}");
    assert!(err.contains("--in-place"), "{err}");
    assert_eq!(listing(dir.path()), ["tcvn3.yaml"]);
    assert_eq!(read(&file), expected("tcvn3.yaml"));

    std::fs::write(dir.path().join("hong.yaml"), "a: [Céng hßa\nb: x\n").expect("write");
    let broken = phuluc(
        dir.path(),
        &["fix-encoding", "hong.yaml", "--from", "tcvn3"],
    );
    let err = stderr(&broken);
    assert_eq!(broken.status.code(), Some(1), "{err}");
    assert!(err.contains("hong.yaml:"), "{err}");
    assert!(err.contains("lỗi"), "{err}");
    assert!(broken.stdout.is_empty());

    let missing = phuluc(
        dir.path(),
        &["fix-encoding", "khong-co.yaml", "--from", "tcvn3"],
    );
    let err = stderr(&missing);
    assert_eq!(missing.status.code(), Some(2), "{err}");
    assert!(
        err.contains("khong-co.yaml: lỗi: không tìm thấy tệp"),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crlf = |b: Vec<u8>| String::from_utf8(b).expect("utf-8").replace('\n', "\r\n");
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend(crlf(expected("tcvn3.yaml")).into_bytes());
    std::fs::write(dir.path().join("bom.yaml"), &input).expect("write");
    let out = phuluc(dir.path(), &["fix-encoding", "bom.yaml", "--from", "tcvn3"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut want = b"\xEF\xBB\xBF".to_vec();
    want.extend(crlf(expected("tcvn3.expected.yaml")).into_bytes());
    assert!(
        out.stdout == want,
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn text_that_looks_like_the_other_encoding_is_converted_with_a_warning() {
    // `--from` decides; the warning shows how the text reads in the other encoding.
    let (dir, _file) = copy("vni.yaml");
    let out = phuluc(dir.path(), &["fix-encoding", "vni.yaml", "--from", "tcvn3"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "vni.yaml:10:12: cảnh báo: 2 đoạn văn bản có vẻ được gõ bằng VNI, không phải TCVN3"
        ),
        "{err}"
    );
    assert!(
        err.contains("theo VNI là “Cộng hòa xã hội chủ nghĩa Việt Nam”"),
        "{err}"
    );
    assert!(err.contains("chạy lại với --from vni"), "{err}");
}
