//! `phuluc serve` loads its templates once, at start, and again on SIGHUP; a reload that
//! fails keeps the templates loaded before (and says so in the log).

use std::io::Read;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::root;
use crate::serve::{Service, post, seed, unzip};

/// The text of `word/document.xml` of the seed rendered as .docx by `service`.
fn document_xml(service: &Service, plan: &[u8]) -> String {
    let answer = post(
        &service.address,
        "/v1/render?format=zip&name=ke-hoach",
        plan,
    );
    assert_eq!(answer.status, 200);
    let (_, docx) = unzip(&answer.body)
        .into_iter()
        .find(|(n, _)| n.ends_with(".docx"))
        .expect("the .docx");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("docx zip");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("document.xml")
        .read_to_string(&mut xml)
        .expect("utf-8");
    xml
}

/// SIGHUP, then the next `reload` event of the log, within 20 s.
fn reload(service: &mut Service) -> serde_json::Value {
    let pid = service.child.id().to_string();
    let _ = Command::new("kill").args(["-HUP", &pid]).status();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        for line in service.log_lines() {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
                && v["event"] == "reload"
            {
                return v;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no reload logged within 20 s of SIGHUP");
}

#[test]
fn serve_reloads_its_templates_on_sighup_and_keeps_them_when_the_reload_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, plan) = seed(dir.path());
    let kind = dir.path().join("mau/muc-tieu");
    std::fs::create_dir_all(&kind).expect("mkdir");
    for f in ["layout.yaml", "label.hbs", "title.hbs", "reference.hbs"] {
        std::fs::copy(root().join("templates/muc-tieu").join(f), kind.join(f)).expect("copy");
    }
    let mut service = Service::start(dir.path(), &["--templates", "mau"]);
    let before = document_xml(&service, &plan);
    assert!(!before.contains("PHỤ LỤC SỐ I<"), "not yet");

    // Edited on disk: nothing changes until SIGHUP.
    std::fs::write(kind.join("label.hbs"), "PHỤ LỤC SỐ {{appendix.number}}\n").expect("edit");
    assert_eq!(
        document_xml(&service, &plan),
        before,
        "loaded once, at start"
    );
    assert_eq!(reload(&mut service)["ok"], serde_json::json!(true));
    let after = document_xml(&service, &plan);
    assert!(
        after.contains("PHỤ LỤC SỐ I<"),
        "the edited heading after SIGHUP"
    );

    // A broken template: the reload fails, logged, and the last good templates serve.
    std::fs::write(kind.join("label.hbs"), "{{#if}}\n").expect("break");
    let failed = reload(&mut service);
    assert_eq!(failed["ok"], serde_json::json!(false));
    assert!(!failed["detail"].as_str().unwrap_or_default().is_empty());
    assert_eq!(document_xml(&service, &plan), after);
    assert_eq!(service.terminate().code(), Some(0));
}
