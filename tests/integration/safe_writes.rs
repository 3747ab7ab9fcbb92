//! Safe writes, judged from outside the process: a render that fails while writing, is
//! killed while writing, or races another render of the same file never leaves a half
//! file or a temp file, and the previous output stays as it was; an output that would
//! overwrite the input, or a folder that cannot be written, is a clear error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::common::{phuluc, seed_yaml, stderr};

const BIN: &str = env!("CARGO_BIN_EXE_phuluc");

/// The names in `dir`, temp files included.
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// `dir` holds the two outputs and nothing else (no temp file), with these bytes.
fn assert_outputs_are(dir: &Path, docx: &[u8], pdf: &[u8]) {
    assert_eq!(names(dir), set(&["ke-hoach.docx", "ke-hoach.pdf"]));
    assert!(
        std::fs::read(dir.join("ke-hoach.docx")).expect("docx") == docx,
        ".docx"
    );
    assert!(
        std::fs::read(dir.join("ke-hoach.pdf")).expect("pdf") == pdf,
        "PDF"
    );
}

/// A plan of `rows` long rows: big enough that writing its outputs takes a while.
fn big_plan(rows: usize) -> String {
    let mut yaml = String::from(
        "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: Ủy ban nhân dân phường Thạch Khôi\nappendices:\n  - template: nhiem-vu\n    title: Phân công thực hiện nhiệm vụ\n    groups:\n",
    );
    for g in 0..rows.div_ceil(5) {
        yaml.push_str(&format!(
            "      - heading: Nhóm nhiệm vụ số {g}\n        items:\n"
        ));
        for r in 0..5 {
            yaml.push_str(&format!(
                "          - nhiem_vu: Tổ chức tuyên truyền, quán triệt các văn bản về công tác dân vận, nội dung {g}.{r}; nâng cao nhận thức, trách nhiệm của đội ngũ cán bộ, đảng viên và Nhân dân trong giai đoạn hiện nay, gắn với chuyển đổi số và cải cách hành chính trên địa bàn phường.\n            lo_trinh: Thường xuyên\n            chu_tri: Phòng Văn hóa - Xã hội\n            phoi_hop:\n              - Các phòng, ban, đơn vị sự nghiệp công lập thuộc UBND phường\n              - Ủy ban Mặt trận Tổ quốc Việt Nam phường\n            san_pham: Báo cáo kết quả thực hiện\n"
            ));
        }
    }
    yaml
}

/// A folder holding `ke-hoach.yaml` (the seed) already rendered into `out/`; returns the
/// folder and the first outputs' bytes.
fn rendered_seed() -> (tempfile::TempDir, Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(seed_yaml(), dir.path().join("ke-hoach.yaml")).expect("copy");
    let out = phuluc(dir.path(), &["render", "ke-hoach.yaml", "-o", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let docx = std::fs::read(dir.path().join("out/ke-hoach.docx")).expect("docx");
    let pdf = std::fs::read(dir.path().join("out/ke-hoach.pdf")).expect("pdf");
    (dir, docx, pdf)
}

#[test]
fn a_write_failing_midway_keeps_the_previous_output_and_leaves_no_temp_file() {
    let (dir, docx, pdf) = rendered_seed();
    // Change the plan, then let the file system refuse the bytes part-way: a file-size
    // limit of 20 KB (the outputs are over 100 KB), with SIGXFSZ ignored so the write
    // itself fails (EFBIG) as it would on a full disk.
    let plan = dir.path().join("ke-hoach.yaml");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&plan, text.replacen("Thường xuyên", "Hằng năm", 1)).expect("write");
    let out = Command::new("sh")
        .args([
            "-c",
            "ulimit -f 40; trap '' XFSZ; exec \"$0\" render ke-hoach.yaml -o out",
            BIN,
        ])
        .current_dir(dir.path())
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .expect("run sh");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ke-hoach.docx: lỗi: không ghi được tệp: tệp vượt quá kích thước cho phép"),
        "{err}"
    );
    assert!(err.contains("tệp cũ (nếu có) vẫn được giữ nguyên"), "{err}");
    let out_dir = dir.path().join("out");
    assert_outputs_are(&out_dir, &docx, &pdf);
}

/// Whether process `pid` has a file open in `dir` (the unnamed file being written shows
/// as `DIR/#INODE (deleted)`, a named temp file as `DIR/.phuluc-…`).
#[cfg(target_os = "linux")]
fn writing_into(pid: u32, dir: &Path) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    fds.filter_map(Result::ok)
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .any(|target| target.starts_with(dir))
}

#[cfg(target_os = "linux")]
#[test]
fn a_render_killed_while_writing_leaves_the_previous_output_and_no_temp_file() {
    let (dir, docx, pdf) = rendered_seed();
    let out_dir = dir.path().join("out").canonicalize().expect("out");
    std::fs::write(dir.path().join("ke-hoach.yaml"), big_plan(400)).expect("write plan");

    // Kill the render the moment it has an output file open, i.e. mid-write; try a few
    // times, as the write is short next to the layout before it.
    let mut caught = 0;
    for _ in 0..8 {
        let mut child = Command::new(BIN)
            .args(["render", "ke-hoach.yaml", "-o", "out"])
            .current_dir(dir.path())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let start = Instant::now();
        let mut killed_mid_write = false;
        while start.elapsed() < Duration::from_secs(120) {
            if writing_into(child.id(), &out_dir) {
                let _ = child.kill();
                killed_mid_write = true;
                break;
            }
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(100));
        }
        let _ = child.wait();
        // Whatever happened, every file is whole: the old one, or (had the render got past
        // the rename) the new one; never a temp file.
        let left = names(&out_dir);
        assert_eq!(left, set(&["ke-hoach.docx", "ke-hoach.pdf"]), "{left:?}");
        if killed_mid_write {
            caught += 1;
            let now = std::fs::read(out_dir.join("ke-hoach.docx")).expect("docx");
            if now == docx {
                assert_eq!(
                    std::fs::read(out_dir.join("ke-hoach.pdf")).expect("pdf"),
                    pdf
                );
            } else {
                // The .docx got through; it must be the big plan's, whole.
                assert!(now.len() > docx.len(), "a whole new .docx");
            }
        }
        // Start the next try from the seed's outputs again.
        std::fs::write(out_dir.join("ke-hoach.docx"), &docx).expect("reset");
        std::fs::write(out_dir.join("ke-hoach.pdf"), &pdf).expect("reset");
    }
    assert!(caught > 0, "the render was never caught mid-write");
}

#[test]
fn renders_of_one_file_at_the_same_time_leave_whole_files() {
    let (dir, docx, pdf) = rendered_seed();
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(BIN)
                .args(["render", "ke-hoach.yaml", "-o", "out"])
                .current_dir(dir.path())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("wait").success());
    }
    let out_dir = dir.path().join("out");
    // The same input gives the same bytes, whoever renamed last.
    assert_outputs_are(&out_dir, &docx, &pdf);
}

#[test]
fn an_output_that_would_overwrite_the_input_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A plan file named like its own PDF output, rendered into its own folder.
    let plan: PathBuf = dir.path().join("ke-hoach.pdf");
    std::fs::copy(seed_yaml(), &plan).expect("copy");
    let before = std::fs::read(&plan).expect("read");
    let out = phuluc(
        dir.path(),
        &["render", "ke-hoach.pdf", "-o", ".", "--format", "pdf"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ke-hoach.pdf: lỗi: tệp kết quả trùng với tệp đầu vào"),
        "{err}"
    );
    assert!(err.contains("gợi ý: Chọn thư mục khác với -o."), "{err}");
    assert_eq!(
        std::fs::read(&plan).expect("read"),
        before,
        "input untouched"
    );
}

#[test]
fn an_output_folder_that_cannot_be_written_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(seed_yaml(), dir.path().join("ke-hoach.yaml")).expect("copy");
    // A folder no one may write in: a read-only one for an ordinary user; root may write
    // anywhere on disk, so for root the kernel's own /sys/kernel.
    let locked = dir.path().join("khoa");
    std::fs::create_dir(&locked).expect("mkdir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    }
    let probe = locked.join("probe");
    let target = if std::fs::write(&probe, b"x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        PathBuf::from("/sys/kernel")
    } else {
        locked.clone()
    };
    let out = phuluc(
        dir.path(),
        &[
            "render",
            "ke-hoach.yaml",
            "-o",
            target.to_str().expect("utf-8"),
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ke-hoach.docx: lỗi: không ghi được tệp: không có quyền ghi vào đây"),
        "{err}"
    );
    assert!(!target.join("ke-hoach.docx").exists());

    // A file where the folder should be.
    std::fs::write(dir.path().join("tep"), b"x").expect("write");
    let out = phuluc(dir.path(), &["render", "ke-hoach.yaml", "-o", "tep/ra"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "tep/ra: lỗi: không ghi được tệp: một phần của đường dẫn là tệp, không phải thư mục"
        ),
        "{err}"
    );
}
