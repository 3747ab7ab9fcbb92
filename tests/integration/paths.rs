//! Paths as clerks name them: folders and files with Vietnamese letters and spaces
//! ("Phụ lục KH 05/kế hoạch mới.yaml"), their names on disk composed (NFC, as Windows
//! and most Linux tools write them) or decomposed (NFD, as macOS and some unzip tools
//! leave them), through render, check, export, import (a .docx, and a .doc through
//! LibreOffice), new, diff, --templates, --font-dir and the start of a preview. Every
//! output is found under the very name the input has; nothing is normalised on the way.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use unicode_normalization::UnicodeNormalization;

use crate::common::{collapse, fixture, pdftotext, phuluc, root, seed_yaml, stderr, tool};

/// `s` in the normal form `form` ("NFC" or "NFD").
fn form(s: &str, form: &str) -> String {
    if form == "NFD" {
        s.nfd().collect()
    } else {
        s.nfc().collect()
    }
}

/// `path` as an argument.
fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// Runs `phuluc args` in `cwd`, expecting success.
fn ok(cwd: &Path, args: &[&str]) -> String {
    let out = phuluc(cwd, args);
    assert!(
        out.status.success(),
        "phuluc {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The names in `dir`, as bytes on disk.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            e.expect("entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .collect();
    names.sort();
    names
}

/// A folder "Phụ lục KH 05" holding "kế hoạch mới.yaml" (a copy of the seed), both
/// named in `nf`, under `base`.
fn clerk_folder(base: &Path, nf: &str) -> (PathBuf, PathBuf) {
    let dir = base.join(form("Phụ lục KH 05", nf));
    std::fs::create_dir_all(&dir).expect("make folder");
    let file = dir.join(form("kế hoạch mới.yaml", nf));
    std::fs::copy(seed_yaml(), &file).expect("copy seed");
    // The file system keeps the name as written (ext4 and NTFS do; so does APFS).
    assert_eq!(names(base), [form("Phụ lục KH 05", nf)]);
    (dir, file)
}

#[test]
fn vietnamese_names_with_spaces_in_nfc_and_nfd_go_through_every_command() {
    let seed_title = "Phân công thực hiện các mục tiêu triển khai";
    for nf in ["NFC", "NFD"] {
        let base = tempfile::tempdir().expect("temp dir");
        let (dir, file) = clerk_folder(base.path(), nf);
        let stem = form("kế hoạch mới", nf);

        // check and render, by absolute path, into a Vietnamese output folder.
        ok(base.path(), &["check", arg(&file)]);
        let out_dir = dir.join(form("đầu ra", nf));
        ok(base.path(), &["render", arg(&file), "-o", arg(&out_dir)]);
        assert_eq!(
            names(&out_dir),
            [format!("{stem}.docx"), format!("{stem}.pdf")],
            "{nf}: outputs named as the input"
        );
        if tool("pdftotext") {
            let text = collapse(&pdftotext(&out_dir.join(format!("{stem}.pdf")), &[]));
            assert!(text.contains(seed_title), "{nf}: {text}");
        }
        // By relative path from inside the folder, default output folder.
        ok(
            &dir,
            &["render", &form("kế hoạch mới.yaml", nf), "--format", "pdf"],
        );
        assert!(
            dir.join("output").join(format!("{stem}.pdf")).is_file(),
            "{nf}"
        );

        // export: JSON on stdout, the tracking workbook under the input's name.
        let json = ok(&dir, &["export", &form("kế hoạch mới.yaml", nf)]);
        assert!(json.contains(seed_title), "{nf}");
        ok(&dir, &["export", arg(&file), "--format", "xlsx"]);
        assert!(
            dir.join("output")
                .join(format!("{stem}-theo-doi.xlsx"))
                .is_file(),
            "{nf}: {:?}",
            names(&dir.join("output"))
        );

        // import the .docx back, to a named file and to the default data/<stem>.yaml.
        let docx = out_dir.join(format!("{stem}.docx"));
        let again = dir.join(form("nhập lại.yaml", nf));
        ok(&dir, &["import", arg(&docx), "-o", arg(&again)]);
        ok(&dir, &["check", arg(&again)]);
        ok(&dir, &["import", arg(&docx)]);
        assert_eq!(names(&dir.join("data")), [format!("{stem}.yaml")], "{nf}");

        // diff between the two Vietnamese-named plans.
        ok(&dir, &["diff", arg(&file), arg(&again)]);

        // new, into a Vietnamese name; it checks without errors.
        let fresh = dir.join(form("kế hoạch trống.yaml", nf));
        ok(&dir, &["new", "--kind", "nhiem-vu", "-o", arg(&fresh)]);
        ok(&dir, &["check", arg(&fresh)]);

        // --templates and --font-dir in Vietnamese folders.
        let templates = dir.join(form("Mẫu của phường", nf));
        copy_dir(&fixture("templates/bay-cot"), &templates.join("bay-cot"));
        let plan = dir.join(form("bảy cột.yaml", nf));
        std::fs::copy(fixture("plans/bay-cot.yaml"), &plan).expect("copy plan");
        let fonts = dir.join(form("Phông chữ cơ quan", nf));
        std::fs::create_dir_all(&fonts).expect("fonts folder");
        for (from, to) in [
            ("Regular", "times.ttf"),
            ("Bold", "timesbd.ttf"),
            ("Italic", "timesi.ttf"),
            ("BoldItalic", "timesbi.ttf"),
        ] {
            std::fs::copy(
                root().join(format!("fonts/LiberationSerif-{from}.ttf")),
                fonts.join(to),
            )
            .expect("copy font");
        }
        ok(
            &dir,
            &[
                "render",
                arg(&plan),
                "--templates",
                arg(&templates),
                "--font-dir",
                arg(&fonts),
                "-o",
                arg(&out_dir),
            ],
        );
        assert!(out_dir.join(form("bảy cột.pdf", nf)).is_file(), "{nf}");

        let manifest = preview_manifest(&dir, &file, &[], nf);
        assert_eq!(manifest["ok"], serde_json::json!(true), "{nf}: {manifest}");
        assert_eq!(manifest["pages"].as_array().map(Vec::len), Some(13), "{nf}");
    }
}

/// LibreOffice garbled the name of a .doc in "Phụ lục KH 05/" when `LANG` named a
/// locale the machine does not have (vi_VN.UTF-8, as these tests run phuluc): import
/// failed with "LibreOffice could not convert the file". It now gets a copy under a plain
/// name.
#[test]
fn a_doc_named_in_vietnamese_imports_through_libreoffice_without_the_vi_locale_installed() {
    if !tool("soffice") {
        return;
    }
    for nf in ["NFC", "NFD"] {
        let base = tempfile::tempdir().expect("temp dir");
        let (dir, file) = clerk_folder(base.path(), nf);
        let stem = form("kế hoạch mới", nf);
        ok(
            &dir,
            &["render", arg(&file), "--format", "docx", "-o", arg(&dir)],
        );
        // LibreOffice writes the Word 97–2003 file a clerk would have.
        let profile = base.path().join("lo-profile");
        let made = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--convert-to", "doc", "--outdir"])
            .arg(base.path())
            .arg(dir.join(format!("{stem}.docx")))
            .output()
            .expect("run soffice");
        assert!(made.status.success(), "{}", stderr(&made));
        // Whatever name LibreOffice gave it, the clerk's copy has the input's form.
        let written = names(base.path())
            .into_iter()
            .find(|n| n.ends_with(".doc"))
            .expect("a .doc");
        let doc = dir.join(format!("{stem}.doc"));
        std::fs::rename(base.path().join(written), &doc).expect("rename");
        let yaml = dir.join(form("từ bản doc.yaml", nf));
        ok(&dir, &["import", arg(&doc), "-o", arg(&yaml)]);
        let text = std::fs::read_to_string(&yaml).expect("imported plan");
        assert!(
            text.contains("Phân công thực hiện các mục tiêu triển khai"),
            "{nf}"
        );
        ok(&dir, &["check", arg(&yaml)]);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("make folder");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

/// Starts `phuluc preview FILE --no-open EXTRA…` in `dir`, checks it serves the page,
/// and hands back its manifest once it has stopped cleanly on Ctrl+C. `nf` labels the
/// failure messages.
pub(crate) fn preview_manifest(
    dir: &Path,
    file: &Path,
    extra: &[&str],
    nf: &str,
) -> serde_json::Value {
    let mut guard = Stopped(
        Command::new(env!("CARGO_BIN_EXE_phuluc"))
            .args(["preview", arg(file), "--no-open"])
            .args(extra)
            .current_dir(dir)
            .env("LANG", "vi_VN.UTF-8")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start preview"),
    );
    let child = &mut guard.0;
    let (tx, rx) = std::sync::mpsc::channel();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    let address = loop {
        let left = deadline
            .checked_duration_since(Instant::now())
            .unwrap_or_default();
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some(at) = line.find("http://") {
                    let rest = &line[at + 7..];
                    break rest.split('/').next().unwrap_or(rest).to_owned();
                }
                seen.push(line);
            }
            Err(_) => {
                panic!("{nf}: no preview address within 60 s: {seen:#?}");
            }
        }
    };
    let get = |path: &str| {
        let mut stream = TcpStream::connect(&address).expect("connect");
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let _ =
            stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").as_bytes());
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    };
    let page = get("/");
    assert!(
        page.starts_with("HTTP/1.1 200") || page.starts_with("HTTP/1.0 200"),
        "{nf}: {page}"
    );
    let manifest = get("/manifest.json");
    let body = manifest.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let manifest: serde_json::Value = serde_json::from_str(body).expect("manifest JSON");
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let stop = Instant::now() + Duration::from_secs(10);
    while Instant::now() < stop {
        if let Ok(Some(status)) = child.try_wait() {
            assert!(status.success(), "{nf}: preview stops cleanly on Ctrl+C");
            return manifest;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{nf}: the preview did not stop within 10 s of Ctrl+C");
}

/// A child process killed and reaped when dropped, whatever the test's outcome.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
