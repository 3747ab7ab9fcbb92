//! `phuluc preview` in daily use, in headless Chromium: zoom that keeps the whole page
//! reachable (fit width, fit page), printing the PDF's own pages (print button, Ctrl+P),
//! messages that open their cell, the collapsible error box and the warning count kept
//! while the file does not parse, the keyboard on a focused cell (Enter, F2, Alt row
//! actions), agency suggestions; and a 2 000-row plan that holds at most 30 pages' SVG,
//! shows its progress and goes to any page.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::browser::{Browser, chromium};
use crate::common::root;
use crate::preview::{get, preview, seed_copy};

use crate::docx_schema::plan_gen;

fn key(browser: &mut Browser, key: &str, code: &str, vk: u32, modifiers: u32) {
    for kind in ["keyDown", "keyUp"] {
        browser.send(
            "Input.dispatchKeyEvent",
            json!({"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": vk, "modifiers": modifiers}),
        );
    }
}

/// Clicks (once, or twice for a double-click) the middle of the element `selector`
/// finds, after scrolling it into view.
fn click(browser: &mut Browser, selector: &str, times: u32) {
    let at = browser.eval(&format!(
        "(() => {{ const el = document.querySelector({selector:?}); el.scrollIntoView({{block: 'center'}}); \
           const r = el.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
    ));
    let (x, y) = (at[0].as_f64().expect("x"), at[1].as_f64().expect("y"));
    for count in 1..=times {
        for kind in ["mousePressed", "mouseReleased"] {
            browser.send(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": count}),
            );
        }
    }
}

/// With `PHULUC_README_SCREENSHOT` set: the window, for README's pictures.
fn readme_shot(browser: &mut Browser, name: &str) {
    if std::env::var_os("PHULUC_README_SCREENSHOT").is_some() {
        let shot = browser.screenshot();
        std::fs::write(root().join("docs/screenshots").join(name), &shot).expect("write png");
    }
}

fn wait_file(file: &Path, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(file).expect("read") != want && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(file).expect("read"), want);
}

fn set_zoom(browser: &mut Browser, value: &str) {
    browser.eval(&format!(
        "(() => {{ const s = document.getElementById('zoom'); s.value = {value:?}; \
           s.dispatchEvent(new Event('change')); return true; }})()"
    ));
}

#[test]
fn preview_daily_use_zoom_print_messages_keyboard_and_suggestions_in_chromium() {
    let test = "preview_daily_use_zoom_print_messages_keyboard_and_suggestions_in_chromium";
    let Some(chrome) = chromium(test) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = seed_copy(dir.path());
    let original = std::fs::read_to_string(&file).expect("seed");
    let (mut server, address) = preview(dir.path(), &file);
    let mut browser = Browser::launch(&chrome, 1400, 900);
    browser.goto(&format!("http://{address}/"));
    // 13 pages, fewer than the 30 held: all of them in.
    browser.wait_for(
        "document.querySelectorAll('#pages .sheet > svg').length === 13",
        Duration::from_secs(30),
    );

    // Zoom 200 %: the page is wider than the window, and scrolling reaches both edges.
    set_zoom(&mut browser, "2");
    browser.eval("window.scrollTo(0, window.scrollY); true");
    let edges = browser.eval(
        "(() => { const s = document.querySelector('#pages .sheet'); const r = s.getBoundingClientRect(); \
           const w = document.documentElement.clientWidth; \
           const left = r.left; window.scrollTo(document.documentElement.scrollWidth, window.scrollY); \
           const right = s.getBoundingClientRect().right; \
           return [left, right, w, r.width, document.documentElement.scrollWidth]; })()",
    );
    let [left, right, width, sheet, scroll] =
        [0, 1, 2, 3, 4].map(|i| edges[i].as_f64().expect("number"));
    assert!(sheet > width, "200 % is wider than the window: {edges}");
    assert!(
        left >= 0.0,
        "the left edge is reachable at scroll 0: {edges}"
    );
    assert!(right <= width + 0.5, "the right edge is reachable: {edges}");
    assert!(scroll > width, "{edges}");
    // Fit width: the widest page across the window; fit page: a whole page in it.
    set_zoom(&mut browser, "fit-width");
    let fit = browser.eval(
        "(() => { const r = document.querySelector('#pages .sheet').getBoundingClientRect(); \
           return [r.width, r.height, document.documentElement.clientWidth, window.innerHeight, \
                   document.documentElement.scrollWidth]; })()",
    );
    let [w, _, cw, _, sw] = [0, 1, 2, 3, 4].map(|i| fit[i].as_f64().expect("number"));
    assert!(w <= cw && w > cw - 80.0, "fit width: {fit}");
    assert!(sw <= cw + 0.5, "no sideways scroll at fit width: {fit}");
    set_zoom(&mut browser, "fit-page");
    let fit = browser.eval(
        "(() => { const r = document.querySelector('#pages .sheet').getBoundingClientRect(); \
           return [r.height, window.innerHeight - 44]; })()",
    );
    assert!(
        fit[0].as_f64() <= fit[1].as_f64() && fit[0].as_f64() > Some(300.0),
        "fit page: {fit}"
    );
    set_zoom(&mut browser, "1");

    // The page box: page 7 to the top of the window.
    browser.eval(
        "(() => { const g = document.getElementById('goto'); g.value = '7'; \
           g.dispatchEvent(new Event('change')); return true; })()",
    );
    browser.wait_for(
        "Math.abs(document.querySelectorAll('#pages .sheet')[6].getBoundingClientRect().top - 56) < 2",
        Duration::from_secs(5),
    );

    // Printing: the print button and Ctrl+P load the PDF in the page's print frame — the
    // PDF's own pages, the same bytes as the download, shown inline and framable only by
    // the preview itself.
    click(&mut browser, "#print", 1);
    browser.wait_for(
        "document.getElementById('print-frame')?.getAttribute('src').startsWith('/print.pdf')",
        Duration::from_secs(5),
    );
    browser.eval("document.getElementById('print-frame').remove(); true");
    key(&mut browser, "p", "KeyP", 80, 2);
    browser.wait_for(
        "!!document.getElementById('print-frame')",
        Duration::from_secs(5),
    );
    let (status, print) = get(&address, "/print.pdf", &address);
    assert_eq!(status, 200);
    assert!(print.starts_with("%PDF-1.7"));
    let (_, download) = get(&address, "/download.pdf", &address);
    assert_eq!(print.len(), download.len(), "the same PDF");
    let headers = {
        let mut stream = std::net::TcpStream::connect(&address).expect("connect");
        use std::io::{Read as _, Write as _};
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream
            .write_all(format!("GET /print.pdf HTTP/1.0\r\nHost: {address}\r\n\r\n").as_bytes())
            .expect("send");
        let mut all = Vec::new();
        let _ = stream.read_to_end(&mut all);
        let text = String::from_utf8_lossy(&all).into_owned();
        text.split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .to_lowercase()
    };
    assert!(
        headers.contains("frame-ancestors 'self'"),
        "framable by the preview: {headers}"
    );
    assert!(
        !headers.contains("content-disposition"),
        "inline: {headers}"
    );

    // Messages: buttons in a proportional face; a click on the warning about the ';'
    // opens the editor on that row's "phối hợp" cell, prefilled as written.
    let count = browser.eval("document.querySelectorAll('#warning-list button.message').length");
    assert_eq!(count, json!(8));
    let face = browser
        .eval("getComputedStyle(document.querySelector('#warning-list .message')).fontFamily");
    let face = face.as_str().unwrap_or_default().to_lowercase();
    assert!(!face.contains("mono"), "{face}");
    assert!(
        face.contains("liberation sans") || face.contains("arial"),
        "{face}"
    );
    browser.eval(
        "[...document.querySelectorAll('#warning-list .message')].find(b => b.textContent.includes('nối bằng “;”')).click(); true",
    );
    browser.wait_for(
        "document.querySelector('textarea.phuluc-editor')?.value.includes('Ban Xây dựng Đảng đảng ủy phường; phòng Văn hóa - Xã hội')",
        Duration::from_secs(10),
    );
    assert_eq!(
        browser.eval("document.querySelector('rect.cell.focused').dataset.field"),
        json!("phoi_hop")
    );
    // Agency suggestions, as the line is typed: "văn phòng" (without its marks, too)
    // offers the plan's "Văn phòng HĐND và UBND phường"; Enter takes it.
    browser.eval(
        "(() => { const a = document.querySelector('textarea.phuluc-editor'); a.value = ''; a.focus(); return true; })()",
    );
    browser.send("Input.insertText", json!({"text": "van phong hdnd"}));
    browser.wait_for(
        "[...document.querySelectorAll('.phuluc-suggestion')].some(o => o.textContent === 'Văn phòng HĐND và UBND phường')",
        Duration::from_secs(5),
    );
    readme_shot(&mut browser, "editor-suggest.png");
    let first = browser.eval("document.querySelector('.phuluc-suggestion').textContent");
    key(&mut browser, "Enter", "Enter", 13, 0);
    assert_eq!(
        browser.eval("document.querySelector('textarea.phuluc-editor').value"),
        first
    );
    assert!(
        first
            .as_str()
            .unwrap_or_default()
            .starts_with("Văn phòng HĐND")
    );
    key(&mut browser, "Escape", "Escape", 27, 0);
    browser.wait_for(
        "!document.querySelector('textarea.phuluc-editor')",
        Duration::from_secs(5),
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        original,
        "Esc writes nothing"
    );

    // The keyboard on the focused cell: F2 and Enter open it; Esc closes.
    for (name, code, vk) in [("F2", "F2", 113), ("Enter", "Enter", 13)] {
        key(&mut browser, name, code, vk, 0);
        browser.wait_for(
            "document.querySelector('textarea.phuluc-editor')?.value.includes('Ban Xây dựng Đảng')",
            Duration::from_secs(10),
        );
        key(&mut browser, "Escape", "Escape", 27, 0);
        browser.wait_for(
            "!document.querySelector('textarea.phuluc-editor')",
            Duration::from_secs(5),
        );
    }
    // Alt+Insert: an empty row below the focused one, of the template's fields; the page
    // shows it; Ctrl+Z gives the exact bytes back.
    let rows = browser.eval("document.querySelectorAll('#pages g.row').length");
    key(&mut browser, "Insert", "Insert", 45, 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(&file).expect("read") == original && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let inserted = std::fs::read_to_string(&file).expect("read");
    assert!(inserted.lines().count() > original.lines().count());
    let at = original
        .find("san_pham: Văn bản triển khai thực hiện, kết quả thực hiện\n\n      # 11")
        .expect("the row's end");
    assert!(
        inserted.starts_with(&original[..at]),
        "the lines before the new row stay"
    );
    browser.wait_for(
        &format!("document.querySelectorAll('#pages g.row').length === {rows} + 1"),
        Duration::from_secs(20),
    );
    key(&mut browser, "z", "KeyZ", 90, 2);
    wait_file(&file, &original);
    // Alt+↓ moves the row (4.1, first of its group) down one; Ctrl+Z again.
    browser.wait_for(
        &format!("document.querySelectorAll('#pages g.row').length === {rows}"),
        Duration::from_secs(20),
    );
    browser.eval(
        "(() => { const b = [...document.querySelectorAll('rect.cell[data-field=\"nhiem_vu\"]')][4]; \
           editor.focus(b); return true; })()",
    );
    key(&mut browser, "ArrowDown", "ArrowDown", 40, 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(&file).expect("read") == original && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let moved = std::fs::read_to_string(&file).expect("read");
    assert!(moved != original, "Alt+↓ moved nothing");
    let mut a: Vec<&str> = original.lines().collect();
    let mut b: Vec<&str> = moved.lines().collect();
    a.sort_unstable();
    b.sort_unstable();
    assert!(a == b, "a move only reorders lines");
    key(&mut browser, "z", "KeyZ", 90, 2);
    wait_file(&file, &original);

    // The heading's fields, on the page: the plan's number and date typed into their boxes
    // in the reference line change exactly those values of `plan:`; Ctrl+Z twice gives
    // the bytes back.
    for (field, typed, written) in [
        ("number", "12", "  number: \"12\""),
        ("date", "15/04/2026", "  date: 2026-04-15"),
    ] {
        let before = std::fs::read_to_string(&file).expect("read");
        click(
            &mut browser,
            &format!("#pages .sheet rect.cell[data-field=\"{field}\"]"),
            2,
        );
        browser.wait_for(
            "!!document.querySelector('textarea.phuluc-editor')",
            Duration::from_secs(10),
        );
        browser.eval("document.querySelector('textarea.phuluc-editor').select(); true");
        browser.send("Input.insertText", json!({"text": typed}));
        if field == "number" {
            readme_shot(&mut browser, "editor-heading.png");
        }
        key(&mut browser, "Enter", "Enter", 13, 0);
        browser.wait_for(
            "!document.querySelector('textarea.phuluc-editor')",
            Duration::from_secs(10),
        );
        let after = std::fs::read_to_string(&file).expect("read");
        let changed: Vec<(&str, &str)> = before
            .lines()
            .zip(after.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(changed.len(), 1, "{field}: {changed:?}");
        assert!(changed[0].1.starts_with(written), "{field}: {changed:?}");
        assert!(
            changed[0].1.contains('#'),
            "the comment after the value stays: {changed:?}"
        );
    }
    browser.wait_for(
        "document.getElementById('pages').textContent.includes('số 12/KH-UBND ngày 15 tháng 4 năm 2026')",
        Duration::from_secs(20),
    );
    key(&mut browser, "z", "KeyZ", 90, 2);
    browser.wait_for(
        "document.getElementById('pages').textContent.includes('số 12/KH-UBND') && \
         !document.getElementById('pages').textContent.includes('ngày 15 tháng 4 năm 2026')",
        Duration::from_secs(20),
    );
    key(&mut browser, "z", "KeyZ", 90, 2);
    wait_file(&file, &original);

    // A file that does not parse: the error box, collapsible; the warnings of the last
    // good render stay counted.
    browser.wait_for(
        "document.getElementById('warning-count').textContent === '8'",
        Duration::from_secs(20),
    );
    let broken = original.replacen("plan:\n", "plan: [\n", 1);
    assert_ne!(broken, original);
    std::fs::write(&file, &broken).expect("write");
    browser.wait_for(
        "!document.getElementById('errors').hidden",
        Duration::from_secs(20),
    );
    assert_eq!(
        browser.eval("document.getElementById('warning-count').textContent"),
        json!("8")
    );
    assert!(
        browser
            .eval("document.getElementById('error-list').offsetHeight")
            .as_f64()
            > Some(10.0)
    );
    click(&mut browser, "#errors-toggle", 1);
    assert_eq!(
        browser.eval("document.getElementById('error-list').offsetHeight"),
        json!(0)
    );
    assert_eq!(
        browser.eval("document.getElementById('errors-toggle').textContent"),
        json!("Mở rộng")
    );
    readme_shot(&mut browser, "errors-collapsed.png");
    click(&mut browser, "#errors-toggle", 1);
    assert!(
        browser
            .eval("document.getElementById('error-list').offsetHeight")
            .as_f64()
            > Some(10.0)
    );
    std::fs::write(&file, &original).expect("write");
    browser.wait_for(
        "document.getElementById('errors').hidden",
        Duration::from_secs(20),
    );
    drop(browser);
    assert!(server.interrupt().success());
}

#[test]
fn preview_of_a_2000_row_plan_holds_at_most_30_pages_and_goes_to_any_page() {
    let test = "preview_of_a_2000_row_plan_holds_at_most_30_pages_and_goes_to_any_page";
    let Some(chrome) = chromium(test) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("lon.yaml");
    std::fs::write(&file, plan_gen::plan_yaml(2000, 7)).expect("write plan");
    let (mut server, address) = preview(dir.path(), &file);
    let mut browser = Browser::launch(&chrome, 1400, 900);
    // Wait for the first render before timing the page: the figure is the page's.
    let deadline = Instant::now() + Duration::from_secs(120);
    while get(&address, "/page/0", &address).0 != 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let opened = Instant::now();
    browser.goto(&format!("http://{address}/"));
    browser.wait_for(
        "!!document.querySelector('#pages .sheet > svg use')",
        Duration::from_secs(60),
    );
    browser.eval(
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
    );
    let first_page = opened.elapsed();
    // Counted on every change of the DOM from here on: never more than 30 pages' SVG.
    browser.eval(
        "window.__most = 0; new MutationObserver(() => { \
           window.__most = Math.max(window.__most, document.querySelectorAll('#pages .sheet > svg').length); }) \
           .observe(document.getElementById('pages'), {childList: true, subtree: true}); true",
    );
    // The progress line while the pages come in.
    browser.wait_for(
        "document.getElementById('status').textContent.startsWith('Đang tải') || \
         document.querySelectorAll('#pages .sheet > svg').length > 0",
        Duration::from_secs(120),
    );
    browser.wait_for(
        "document.getElementById('status').dataset.state === 'ok'",
        Duration::from_secs(60),
    );
    let pages = browser.eval("document.querySelectorAll('#pages .sheet').length");
    let pages = pages.as_u64().expect("pages");
    assert!(pages > 500, "a sheet per page: {pages}");
    let count = |b: &mut Browser| {
        b.eval("document.querySelectorAll('#pages .sheet > svg').length")
            .as_u64()
            .expect("count")
    };
    let loaded = count(&mut browser);
    assert!((1..=30).contains(&loaded), "{loaded} pages' SVG in the DOM");
    // The scroll height is every page's: sheets of the right size stand for the others.
    let height = browser.eval("document.documentElement.scrollHeight");
    let sheet = browser.eval("document.querySelector('#pages .sheet').offsetHeight");
    assert!(
        height.as_f64() > Some(sheet.as_f64().unwrap_or(0.0) * pages as f64),
        "{height} {sheet}"
    );
    // Going to the middle page shows it, still at most 30.
    let middle = pages / 2;
    browser.eval(&format!(
        "(() => {{ const g = document.getElementById('goto'); g.value = '{middle}'; \
           g.dispatchEvent(new Event('change')); return true; }})()"
    ));
    browser.wait_for(
        &format!(
            "!!document.querySelectorAll('#pages .sheet')[{}].querySelector('svg') && \
             document.getElementById('status').dataset.state === 'ok'",
            middle - 1
        ),
        Duration::from_secs(30),
    );
    assert!(count(&mut browser) <= 30);
    assert_eq!(
        browser.eval("document.querySelector('#pages .sheet > svg') === document.querySelectorAll('#pages .sheet')[0].querySelector('svg')"),
        json!(false),
        "the first page was let go"
    );
    // The last page.
    browser.eval(&format!(
        "(() => {{ const g = document.getElementById('goto'); g.value = '{pages}'; \
           g.dispatchEvent(new Event('change')); return true; }})()"
    ));
    browser.wait_for(
        &format!(
            "!!document.querySelectorAll('#pages .sheet')[{}].querySelector('svg')",
            pages - 1
        ),
        Duration::from_secs(30),
    );
    assert!(count(&mut browser) <= 30);

    // An edit on the page shown: the time from Enter to the page showing the new text.
    browser.eval(
        "(() => { const sheets = document.querySelectorAll('#pages .sheet'); \
           const box = sheets[sheets.length - 1].querySelector('rect.cell[data-field=\"lo_trinh\"]') \
             || [...document.querySelectorAll('#pages rect.cell[data-field=\"lo_trinh\"]')].pop(); \
           box.scrollIntoView({block: 'center'}); window.__box = box; return true; })()",
    );
    browser.eval("editor.start(window.__box).then(() => true)");
    browser.wait_for(
        "!!document.querySelector('textarea.phuluc-editor')",
        Duration::from_secs(10),
    );
    browser.eval(
        "document.querySelector('textarea.phuluc-editor').value = 'Quý III/2031 (sửa trên trang)'; true",
    );
    let edited = Instant::now();
    browser.eval("editor.save().then(() => true)");
    browser.wait_for(
        "document.getElementById('pages').textContent.includes('Quý III/2031 (sửa trên trang)')",
        Duration::from_secs(30),
    );
    browser.eval(
        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
    );
    let edit_to_page = edited.elapsed();
    let most = browser.eval("window.__most").as_u64().unwrap_or(0);
    assert!(most <= 30, "at most 30 pages' SVG at once: {most}");
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: ? kB")
        .to_owned();
    eprintln!(
        "2 000 rows, {pages} pages: first page drawn {first_page:?} after opening; \
         edit → page drawn {edit_to_page:?}; most pages' SVG in the DOM {most}; server {peak}"
    );
    drop(browser);
    assert!(server.interrupt().success());
}
