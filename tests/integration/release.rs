//! The release archive for this machine's target, built by `dist` as a release would be
//! (`dist build --artifacts=local --target HOST`): it unpacks; it holds the binary, the
//! fonts, the manual page, README, licences and changelog; and its `phuluc`, run with a
//! `PATH` that has no Rust toolchain and from a folder outside the repository, prints its
//! version and git revision, renders the seed plan to a PDF whose text pdftotext reads
//! back, and checks this machine with `doctor`.
//!
//! A release build (profile `dist`: release + thin LTO) into its own target folder,
//! `target/release-archive/` (`cargo test` holds the lock of `target/` itself), the
//! archive in `target/distrib/`: about 8 minutes from scratch on 2 busy cores, then
//! phuluc itself is rebuilt (3 to 6 minutes) only when it changed — a new commit
//! counts, since `--version` names it. Skipped loudly without `dist` on
//! the `PATH` (`cargo install cargo-dist --locked`; .ci/run does), failed in CI.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{collapse, pdftotext, root, stderr, tool};

fn host() -> String {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("host triple")
        .trim()
        .to_owned()
}

/// Runs `program args` with only the system's own folders on the `PATH` (no cargo, no
/// rustc) and a home of its own.
fn without_rust(program: &Path, args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", cwd)
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .expect("run the archive's phuluc")
}

#[test]
fn the_release_archive_unpacks_and_its_phuluc_renders_the_seed_without_rust() {
    if !tool("dist") || !tool("tar") {
        return;
    }
    let host = host();
    if !host.contains("linux") {
        eprintln!("SKIPPED: the archive test unpacks a .tar.xz on Linux; host is {host}");
        return;
    }
    let target_dir = root().join("target/release-archive");
    // As from a developer's shell: none of the variables `cargo test` hands its tests
    // (CARGO, CARGO_PKG_*, LD_LIBRARY_PATH…), which would make cargo rebuild phuluc on
    // every run instead of only when it changed.
    let mut dist = Command::new("dist");
    dist.args([
        "build",
        "--artifacts=local",
        "--target",
        &host,
        "--output-format=json",
    ])
    .current_dir(root())
    .env_clear()
    .env("CARGO_TARGET_DIR", &target_dir);
    for keep in [
        "PATH",
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "TMPDIR",
    ] {
        if let Some(value) = std::env::var_os(keep) {
            dist.env(keep, value);
        }
    }
    let built = dist.output().expect("run dist build");
    assert!(
        built.status.success(),
        "dist build failed: {}{}",
        String::from_utf8_lossy(&built.stdout),
        stderr(&built)
    );
    // dist's manifest says where the archive is (dist keeps its `distrib/` in the
    // workspace's own target folder, whatever CARGO_TARGET_DIR says).
    let manifest: serde_json::Value =
        serde_json::from_slice(&built.stdout).expect("dist's JSON manifest");
    let name = format!("phuluc-{host}.tar.xz");
    let archive: PathBuf = manifest["artifacts"][&name]["path"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("no {name} in dist's manifest: {manifest}"));
    assert!(archive.is_file(), "no {}", archive.display());

    let unpacked = tempfile::tempdir().expect("temp dir");
    let untar = Command::new("tar")
        .arg("-xJf")
        .arg(&archive)
        .arg("-C")
        .arg(unpacked.path())
        .output()
        .expect("run tar");
    assert!(untar.status.success(), "{}", stderr(&untar));
    let top = unpacked.path().join(format!("phuluc-{host}"));
    for file in [
        "phuluc",
        "phuluc.1",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "CHANGELOG.md",
        "fonts/LiberationSerif-Regular.ttf",
        "fonts/LiberationSerif-BoldItalic.ttf",
        "fonts/LICENSE-Liberation.txt",
    ] {
        assert!(top.join(file).is_file(), "the archive lacks {file}");
    }
    assert_eq!(
        std::fs::read(top.join("phuluc.1")).expect("page"),
        std::fs::read(root().join("docs/phuluc.1")).expect("committed page"),
        "the archive's manual page is the committed one"
    );

    // A clerk's folder, nowhere near the repository (no templates/ or fonts/ beside it).
    let clerk = tempfile::tempdir().expect("temp dir");
    let phuluc = top.join("phuluc");
    let version = without_rust(&phuluc, &["--version"], clerk.path());
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    let rev = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    match rev {
        Some(rev) => assert_eq!(version, format!("phuluc 0.1.0 ({rev})")),
        None => assert!(version.starts_with("phuluc 0.1.0 ("), "{version}"),
    }

    let plan = clerk.path().join("ke-hoach-05-nq-du.yaml");
    std::fs::copy(root().join("data/ke-hoach-05-nq-du.yaml"), &plan).expect("copy seed");
    let render = without_rust(&phuluc, &["render", "ke-hoach-05-nq-du.yaml"], clerk.path());
    assert!(render.status.success(), "{}", stderr(&render));
    let pdf = clerk.path().join("output/ke-hoach-05-nq-du.pdf");
    assert!(clerk.path().join("output/ke-hoach-05-nq-du.docx").is_file());
    if tool("pdftotext") {
        let text = collapse(&pdftotext(&pdf, &[]));
        for phrase in [
            "PHỤ LỤC I",
            "Phân công thực hiện các mục tiêu triển khai, thực hiện Nghị quyết số 05-NQ/ĐU",
            "Ủy ban nhân dân phường Thạch Khôi",
        ] {
            assert!(text.contains(phrase), "{phrase:?} in {text}");
        }
    }
    let doctor = without_rust(&phuluc, &["doctor"], clerk.path());
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert_eq!(doctor.status.code(), Some(0), "{report}");
    assert!(report.contains("✓ Phông chữ cho PDF"), "{report}");
}
