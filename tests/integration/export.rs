//! `phuluc export --format json`: the composed document as JSON, for other typesetters.

use serde_json::Value;

use crate::common::{fixture, missing_cells, phuluc, root, seed_yaml, stderr};

fn export_seed() -> Value {
    let seed = seed_yaml();
    let out = phuluc(
        &root(),
        &[
            "export",
            seed.to_str().expect("utf-8 path"),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("export prints valid JSON")
}

fn texts(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x["text"].as_str().expect("text"))
        .collect()
}

#[test]
fn export_holds_every_seed_cell_with_numbers_and_spans() {
    let doc = export_seed();
    assert_eq!(doc["version"], 1);
    let parts = doc["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 2, "the seed has two appendices");
    let mut all = Vec::new();
    for part in parts {
        let page = &part["page"];
        assert_eq!(page["landscape"], true);
        assert_eq!(page["margins_mm"]["left"], 30.0);
        all.extend(texts(&part["heading"]));
        let table = &part["table"];
        let widths = table["columns_mm"].as_array().expect("columns");
        let width: f64 = widths.iter().map(|w| w.as_f64().expect("a width")).sum();
        let text_width = page["width_mm"].as_f64().expect("width")
            - page["margins_mm"]["left"].as_f64().expect("left")
            - page["margins_mm"]["right"].as_f64().expect("right");
        assert!(
            (width - text_width).abs() < 0.01,
            "columns fill the text width"
        );
        let rows = table["header"]
            .as_array()
            .expect("header")
            .iter()
            .chain(table["body"].as_array().expect("body"));
        for row in rows {
            let cells = &row["cells"];
            let spans: u64 = cells
                .as_array()
                .expect("cells")
                .iter()
                .map(|c| c["span"].as_u64().expect("span"))
                .sum();
            assert_eq!(
                spans as usize,
                widths.len(),
                "spans of {} cover the grid",
                row["label"]
            );
            all.extend(texts(cells));
        }
        assert_eq!(table["header"][0]["kind"], "header");
        assert_eq!(table["header"][0]["cells"][0]["text"], "Stt");
    }
    let missing = missing_cells(&all.join("\n"));
    assert!(
        missing.is_empty(),
        "{} seed cells missing from the export: {missing:#?}",
        missing.len()
    );
    // Numbers are phuluc's, computed, in the first column: Phụ lục I restarts its items
    // after section II; Phụ lục II numbers items within their group.
    let numbers = |part: &Value, n: usize| -> Vec<String> {
        part["table"]["body"]
            .as_array()
            .expect("body")
            .iter()
            .filter_map(|r| r["cells"][0]["text"].as_str())
            .filter(|t| !t.is_empty())
            .take(n)
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(numbers(&parts[0], 7), ["1", "2", "3", "4", "5", "II", "1"]);
    assert_eq!(numbers(&parts[1], 5), ["1.1", "1.2", "2", "3", "4"]);
}

#[test]
fn export_of_a_bad_plan_prints_nothing_and_exits_1() {
    let out = phuluc(
        &root(),
        &[
            "export",
            fixture("bad/sai-kieu.yaml").to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "no JSON for a plan with errors");
    assert!(stderr(&out).contains("lỗi"), "{}", stderr(&out));
}
