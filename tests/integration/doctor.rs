//! `phuluc doctor` on a machine shaped by its `PATH` and working folder: a missing
//! browser or LibreOffice is a ✗ line with the install command and exit 0 (optional);
//! an unwritable `output/` or broken templates are ✗ and exit 1 (the core needs them);
//! a tool on the `PATH` is found, with its version.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::fixture;

/// `phuluc doctor ARGS` in `cwd` with `path` as the whole `PATH` and no `BROWSER`.
fn doctor(cwd: &Path, path: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_phuluc"))
        .arg("doctor")
        .args(args)
        .current_dir(cwd)
        .env("LANG", "vi_VN.UTF-8")
        .env("PATH", path)
        .env_remove("BROWSER")
        .output()
        .expect("run phuluc doctor")
}

/// The ✓/✗ line of check `title` in the report, and the lines under it.
fn line_of<'a>(report: &'a str, title: &str) -> (&'a str, Vec<&'a str>) {
    let mut lines = report.lines();
    let found = lines
        .by_ref()
        .find(|l| l.contains(title))
        .unwrap_or_else(|| panic!("no {title:?} line in {report}"));
    (found, lines.take_while(|l| l.starts_with("    ")).collect())
}

/// An executable shell script `name` in `dir` that prints `says`.
#[cfg(unix)]
fn fake_tool(dir: &Path, name: &str, says: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    let file = dir.join(name);
    std::fs::write(&file, format!("#!/bin/sh\necho '{says}'\n")).expect("write tool");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn doctor_without_a_browser_or_libreoffice_names_the_install_commands_and_exits_0() {
    let cwd = tempfile::tempdir().expect("temp dir");
    let empty = tempfile::tempdir().expect("empty PATH folder");
    let out = doctor(cwd.path(), empty.path(), &[]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.starts_with("phuluc 0.1.0 ("), "{report}");

    let (browser, under) = line_of(&report, "Trình duyệt (preview)");
    assert!(browser.starts_with("✗ "), "{browser}");
    assert!(
        under.iter().any(
            |l| l.contains("→ cài bằng lệnh") && l.contains("sudo apt-get install firefox-esr")
        ),
        "{under:?}"
    );
    let (office, under) = line_of(&report, "LibreOffice (import tệp .doc/.odt/.rtf)");
    assert!(office.starts_with("✗ ") && office.contains("không thấy lệnh soffice"));
    assert!(
        under.iter().any(
            |l| l.contains("sudo apt-get install libreoffice-writer-nogui")
                && l.contains("Windows: winget install")
        ),
        "{under:?}"
    );

    // What the core commands need is there: fonts with every Vietnamese letter, the
    // output folder (to be made here), the templates.
    let (fonts, faces) = line_of(&report, "Phông chữ cho PDF");
    assert!(fonts.starts_with("✓ "), "{fonts}");
    assert_eq!(faces.len(), 4, "one line per face: {faces:?}");
    assert!(
        faces[0].contains("thường: LiberationSerif-Regular.ttf"),
        "{faces:?}"
    );
    assert!(
        faces
            .iter()
            .all(|f| f.contains("đủ 146 chữ cái tiếng Việt"))
    );
    let (output, _) = line_of(&report, "Thư mục output/");
    assert!(
        output.starts_with("✓ ") && output.contains("chưa có; sẽ được tạo"),
        "{output}"
    );
    let (kinds, _) = line_of(&report, "Các mẫu phụ lục");
    assert!(kinds.starts_with("✓ ") && kinds.contains("kinh-phi, muc-tieu, nhiem-vu"));
    assert!(report.contains("Đủ cho các lệnh chính"), "{report}");

    let en = doctor(cwd.path(), empty.path(), &["--lang", "en"]);
    let report = String::from_utf8_lossy(&en.stdout);
    assert!(report.contains("✗ A browser (preview)"), "{report}");
}

#[cfg(unix)]
#[test]
fn doctor_finds_the_browser_and_libreoffice_on_the_path_with_its_version() {
    let cwd = tempfile::tempdir().expect("temp dir");
    let bin = tempfile::tempdir().expect("PATH folder");
    fake_tool(bin.path(), "firefox", "Mozilla Firefox 140.0");
    fake_tool(bin.path(), "soffice", "LibreOffice 24.8.4.2 480(Build:2)");
    let out = doctor(cwd.path(), bin.path(), &[]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}");
    let (browser, _) = line_of(&report, "Trình duyệt (preview)");
    assert!(
        browser.starts_with("✓ ") && browser.contains("firefox"),
        "{browser}"
    );
    let (office, _) = line_of(&report, "LibreOffice");
    assert!(
        office.starts_with("✓ ") && office.contains("LibreOffice 24.8.4.2"),
        "{office}"
    );
}

#[test]
fn doctor_exits_1_when_output_cannot_be_written_or_the_templates_are_broken() {
    let cwd = tempfile::tempdir().expect("temp dir");
    let empty = tempfile::tempdir().expect("empty PATH folder");
    // A file where the output folder should be (a read-only folder would not do: the
    // tests may run as root, whom permissions do not stop).
    std::fs::write(cwd.path().join("output"), "").expect("write");
    let out = doctor(cwd.path(), empty.path(), &[]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let (output, under) = line_of(&report, "Thư mục output/");
    assert!(
        output.starts_with("✗ ") && output.contains("là một tệp"),
        "{output}"
    );
    assert!(under.iter().any(|l| l.contains("→ cách sửa")), "{under:?}");
    assert!(report.contains("Chưa đủ cho các lệnh chính"), "{report}");

    std::fs::remove_file(cwd.path().join("output")).expect("remove");
    let broken = fixture("templates-hong");
    let out = doctor(
        cwd.path(),
        empty.path(),
        &["--templates", broken.to_str().expect("path")],
    );
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let (kinds, under) = line_of(&report, "Các mẫu phụ lục");
    assert!(kinds.starts_with("✗ "), "{kinds}");
    assert!(
        under.iter().any(|l| l.contains("label.hbs:3:1: lỗi:")),
        "file:line:col of the problem: {under:?}"
    );
}
