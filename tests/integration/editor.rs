//! `phuluc preview` as the clerk's editor: the HTTP API over loopback (token, Origin,
//! 409 on a stale version, refused edits write nothing, undo to the exact bytes) and a
//! real double-click edit in headless Chromium.

use std::time::Duration;

use serde_json::{Value, json};

use crate::browser::{Browser, chromium};
use crate::preview::{get, preview, raw, seed_copy};

fn token(address: &str) -> String {
    let (status, page) = get(address, "/", address);
    assert_eq!(status, 200);
    let at = page
        .find("name=\"phuluc-token\" content=\"")
        .expect("token meta")
        + 29;
    page[at..].split('"').next().expect("token").to_owned()
}

/// A POST with `token` and `origin` (either left out when `None`).
fn post(
    address: &str,
    path: &str,
    body: &str,
    token: Option<&str>,
    origin: Option<&str>,
) -> (u16, Value) {
    let mut head = format!(
        "POST {path} HTTP/1.0\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(t) = token {
        head.push_str(&format!("X-Phuluc-Token: {t}\r\n"));
    }
    if let Some(o) = origin {
        head.push_str(&format!("Origin: {o}\r\n"));
    }
    head.push_str("\r\n");
    head.push_str(body);
    let (status, text) = raw(address, head.as_bytes());
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn version(address: &str) -> String {
    let (status, body) = get(address, "/api/version", address);
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("json");
    v["version"].as_str().expect("version").to_owned()
}

#[test]
fn editor_api_needs_token_and_origin_refuses_stale_and_invalid_edits_and_undoes_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = seed_copy(dir.path());
    let original = std::fs::read(&file).expect("seed");
    let (mut server, address) = preview(dir.path(), &file);
    let token = token(&address);
    let origin = format!("http://{address}");
    let v0 = version(&address);
    assert_eq!(v0.len(), 64);
    // The first row of Phụ lục I starts at 21:13 (`muc_tieu:` after its dash).
    let set = |v: &str, value: &str| {
        json!({"version": v, "op": "set", "src": "21:13", "field": "lo_trinh", "value": value})
            .to_string()
    };
    // No token, a wrong token, a foreign Origin, no Origin: 403, the file untouched.
    for (t, o) in [
        (None, Some(origin.as_str())),
        (Some("x"), Some(origin.as_str())),
        (Some(token.as_str()), Some("http://evil.example")),
        (Some(token.as_str()), None),
    ] {
        let (status, _) = post(&address, "/api/edit", &set(&v0, "Năm 2027"), t, o);
        assert_eq!(status, 403, "token {t:?}, origin {o:?}");
    }
    assert_eq!(std::fs::read(&file).expect("read"), original);
    // Malformed JSON: 400; over 1 MiB: 413.
    let (status, _) = post(
        &address,
        "/api/edit",
        "{not json",
        Some(&token),
        Some(&origin),
    );
    assert_eq!(status, 400);
    let big = format!("{{\"value\": \"{}\"}}", "a".repeat(1024 * 1024 + 10));
    let (status, _) = post(&address, "/api/edit", &big, Some(&token), Some(&origin));
    assert_eq!(status, 413);
    // The value as the clerk types it.
    let (status, body) = get(&address, "/api/value?src=21:13&field=chu_tri", &address);
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&body).expect("json")["value"],
        "Phòng Văn hóa - Xã hội"
    );
    // A good edit: exactly that value's bytes change.
    let (status, body) = post(
        &address,
        "/api/edit",
        &set(&v0, "Năm 2027"),
        Some(&token),
        Some(&origin),
    );
    assert_eq!(status, 200, "{body}");
    let v1 = body["version"].as_str().expect("version").to_owned();
    let now = std::fs::read_to_string(&file).expect("read");
    let was = String::from_utf8_lossy(&original).into_owned();
    assert_eq!(
        now,
        was.replacen("lo_trinh: Thường xuyên", "lo_trinh: Năm 2027", 1)
    );
    assert_eq!(version(&address), v1);
    // The page still on v0: 409 with the current version, nothing written.
    let (status, body) = post(
        &address,
        "/api/edit",
        &set(&v0, "Năm 2028"),
        Some(&token),
        Some(&origin),
    );
    assert_eq!(status, 409);
    assert_eq!(body["version"], v1.as_str());
    assert_eq!(std::fs::read_to_string(&file).expect("read"), now);
    // An invalid date for the plan (its block starts at 5:3): 422 at the cell, nothing written.
    let bad =
        json!({"version": v1, "op": "set", "src": "5:3", "field": "date", "value": "31/02/2026"})
            .to_string();
    let (status, body) = post(&address, "/api/edit", &bad, Some(&token), Some(&origin));
    assert_eq!(status, 422);
    let message = body["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("không có"), "{body}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), now);
    // Undo: the exact original bytes; redo; nothing more to redo: 409.
    let (status, body) = post(&address, "/api/undo", "", Some(&token), Some(&origin));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], v0.as_str());
    assert_eq!(std::fs::read(&file).expect("read"), original);
    let (status, _) = post(&address, "/api/redo", "", Some(&token), Some(&origin));
    assert_eq!(status, 200);
    let (status, _) = post(&address, "/api/redo", "", Some(&token), Some(&origin));
    assert_eq!(status, 409);
    assert!(server.interrupt().success());
}

#[test]
fn editor_in_chromium_double_click_type_enter_changes_exactly_that_value() {
    let Some(chrome) =
        chromium("editor_in_chromium_double_click_type_enter_changes_exactly_that_value")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = seed_copy(dir.path());
    let original = std::fs::read_to_string(&file).expect("seed");
    let (mut server, address) = preview(dir.path(), &file);
    let mut browser = Browser::launch(&chrome, 1400, 900);
    browser.goto(&format!("http://{address}/"));
    // Page 3's cells: pages arrive nearest the window first, each on its own.
    browser.wait_for(
        "!!document.querySelectorAll('#pages .sheet')[2]?.querySelector('rect.cell[data-field=\"lo_trinh\"]')",
        Duration::from_secs(30),
    );
    // A cell of page 3: scroll it into view and double-click its middle, as a mouse does.
    let at = browser.eval(
        "(() => { const sheet = document.querySelectorAll('#pages .sheet')[2];
                  const box = sheet.querySelector('rect.cell[data-field=\"lo_trinh\"]');
                  box.scrollIntoView({block: 'center'});
                  const r = box.getBoundingClientRect();
                  window.__src = box.dataset.src;
                  return [r.left + r.width / 2, r.top + r.height / 2]; })()",
    );
    let (x, y) = (at[0].as_f64().expect("x"), at[1].as_f64().expect("y"));
    for count in [1, 2] {
        for kind in ["mousePressed", "mouseReleased"] {
            browser.send(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": count}),
            );
        }
    }
    browser.wait_for("!!document.querySelector('textarea.phuluc-editor') && document.querySelector('textarea.phuluc-editor').value.length > 0", Duration::from_secs(10));
    let before = browser.eval("document.querySelector('textarea.phuluc-editor').value");
    let before = before.as_str().expect("text").to_owned();
    assert!(!before.is_empty());
    assert!(
        original.contains(&format!("lo_trinh: {before}\n")),
        "prefilled with the value as written: {before}"
    );
    let shot = browser.screenshot();
    std::fs::write(std::env::temp_dir().join("phuluc-editor-open.png"), &shot).expect("screenshot");
    browser.send("Input.insertText", json!({"text": "Quý IV/2026"}));
    browser.send(
        "Input.dispatchKeyEvent",
        json!({"type": "keyDown", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}),
    );
    browser.wait_for(
        "!document.querySelector('textarea.phuluc-editor')",
        Duration::from_secs(10),
    );
    let now = std::fs::read_to_string(&file).expect("read");
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(now.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(original.lines().count(), now.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].0.trim(), format!("lo_trinh: {before}"));
    assert_eq!(changed[0].1.trim(), "lo_trinh: Quý IV/2026");
    // Ctrl+Z: the exact bytes back.
    browser.send("Input.dispatchKeyEvent", json!({"type": "keyDown", "key": "z", "code": "KeyZ", "modifiers": 2, "windowsVirtualKeyCode": 90}));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(&file).expect("read") != original
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&file).expect("read"), original);
    assert!(server.interrupt().success());
}
