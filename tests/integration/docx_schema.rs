//! Every kind of .docx phuluc writes, judged against the WordprocessingML schema: by
//! openxml-audit (the Open XML SDK's rules, a reader independent of ours) and by a check
//! of our own of the child order of the property elements and of Word's package rules, so
//! a mistake is caught without Python too.
//!
//! The outputs — the seed, its `--split` files, the 7-column kind, the budget kinds with
//! amounts, totals, header groups and merged cells, a generated plan, a
//! portrait kind without the rule and with tabs and control characters in cells, and
//! three redlines (changed cells, an added row, a removed row) — are rendered once, by the
//! `phuluc` binary, into one folder that every test reads.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::*;
use crate::docx::unzip;

#[allow(dead_code)]
#[path = "../../benches/common/plan_gen.rs"]
pub(crate) mod plan_gen;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W14: &str = "http://schemas.microsoft.com/office/word/2010/wordml";

struct Outputs {
    _dir: tempfile::TempDir,
    /// Where the .docx files are (and nothing else).
    docx_dir: PathBuf,
    files: Vec<PathBuf>,
}

fn run_ok(cwd: &Path, args: &[&str], ok_codes: &[i32]) {
    let out = phuluc(cwd, args);
    assert!(
        out.status.code().is_some_and(|c| ok_codes.contains(&c)),
        "phuluc {args:?}: {:?}\n{}",
        out.status,
        stderr(&out)
    );
}

fn outputs() -> &'static Outputs {
    static OUTPUTS: OnceLock<Outputs> = OnceLock::new();
    OUTPUTS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let docx_dir = dir.path().join("docx");
        let out = |sub: &str| docx_dir.join(sub).to_str().expect("utf-8").to_owned();
        let seed = seed_yaml();
        let seed = seed.to_str().expect("utf-8");
        run_ok(&root(), &["render", seed, "--format", "docx", "-o", &out("seed")], &[0]);
        run_ok(
            &root(),
            &["render", seed, "--format", "docx", "--split", "-o", &out("split")],
            &[0],
        );
        let templates = fixture("templates");
        run_ok(
            &root(),
            &[
                "render",
                fixture("plans/bay-cot.yaml").to_str().expect("utf-8"),
                "--templates",
                templates.to_str().expect("utf-8"),
                "--format",
                "docx",
                "-o",
                &out("bay-cot"),
            ],
            &[0],
        );
        run_ok(
            &root(),
            &[
                "render",
                fixture("plans/du-toan.yaml").to_str().expect("utf-8"),
                "--templates",
                templates.to_str().expect("utf-8"),
                "--format",
                "docx",
                "-o",
                &out("du-toan"),
            ],
            &[0],
        );
        run_ok(
            &root(),
            &["render", "data/vi-du-kinh-phi.yaml", "--format", "docx", "-o", &out("kinh-phi")],
            &[0],
        );
        let generated = dir.path().join("sinh-300.yaml");
        std::fs::write(&generated, plan_gen::plan_yaml(300, 11)).expect("write plan");
        run_ok(
            &root(),
            &[
                "render",
                generated.to_str().expect("utf-8"),
                "--format",
                "docx",
                "-o",
                &out("gen"),
            ],
            &[0],
        );
        // A portrait kind without the short rule, and cells with a tab, a vertical tab
        // and a trailing line break.
        let kinds = dir.path().join("templates");
        let layout = std::fs::read_to_string(root().join("templates/nhiem-vu/layout.yaml"))
            .expect("layout")
            .replace("orientation: landscape", "orientation: portrait")
            .replace("rule_mm: 50", "rule_mm: 0");
        template_kind(&kinds, "doc-dung", &layout);
        let portrait = dir.path().join("doc.yaml");
        std::fs::write(
            &portrait,
            "version: 1\nplan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  year: 2026\n  issuer: UBND phường\nappendices:\n  - template: doc-dung\n    title: \"Tiêu đề\\ndòng hai\"\n    groups:\n      - heading: Nhóm một\n        items:\n          - nhiem_vu: \"Cột\\tcách\\vdòng mới\\n\"\n            chu_tri: [Phòng A, Phòng B]\n          - nhiem_vu: \"A & B < C > D\"\n",
        )
        .expect("write plan");
        run_ok(
            &root(),
            &[
                "render",
                portrait.to_str().expect("utf-8"),
                "--templates",
                kinds.to_str().expect("utf-8"),
                "--format",
                "docx",
                "-o",
                &out("portrait"),
            ],
            &[0],
        );
        std::fs::create_dir_all(docx_dir.join("redline")).expect("mkdir");
        for new in ["nam-cho-sua", "them-dong", "xoa-dong"] {
            let target = docx_dir.join(format!("redline/{new}.docx"));
            run_ok(
                &fixture("diff"),
                &[
                    "diff",
                    "goc.yaml",
                    &format!("{new}.yaml"),
                    "--redline",
                    target.to_str().expect("utf-8"),
                ],
                &[1],
            );
        }
        let mut files = Vec::new();
        let mut stack = vec![docx_dir.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("read dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "docx") {
                    files.push(path);
                }
            }
        }
        files.sort();
        // seed 1, split 2, bay-cot 1, du-toan 1, kinh-phi 1, generated 1, portrait 1,
        // redlines 3.
        assert_eq!(files.len(), 11, "{files:#?}");
        Outputs {
            _dir: dir,
            docx_dir,
            files,
        }
    })
}

#[test]
fn openxml_audit_finds_no_error_or_warning_in_any_docx_we_write() {
    if !tool("openxml-audit") {
        return;
    }
    let outputs = outputs();
    for format in [None, Some("microsoft365")] {
        let mut cmd = Command::new("openxml-audit");
        cmd.arg(&outputs.docx_dir)
            .args(["-r", "-m", "0", "-o", "json"]);
        if let Some(f) = format {
            cmd.args(["-f", f]);
        }
        let out = cmd.output().expect("run openxml-audit");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "openxml-audit printed no JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let results = report.as_array().expect("one result per file");
        assert_eq!(
            results.len(),
            outputs.files.len(),
            "every file was validated"
        );
        let mut findings = Vec::new();
        for r in results {
            let errors = r["error_count"].as_u64().unwrap_or(u64::MAX);
            let warnings = r["warning_count"].as_u64().unwrap_or(u64::MAX);
            if errors != 0 || warnings != 0 {
                findings.push(format!(
                    "{} ({format:?}): {errors} errors, {warnings} warnings: {}",
                    r["file"],
                    serde_json::to_string_pretty(&r["errors"]).unwrap_or_default()
                ));
            }
        }
        assert!(findings.is_empty(), "{}", findings.join("\n"));
    }
}

/// The order ECMA-376 Part 1 gives the children of each property element: a child's rank
/// must not fall below its predecessor's. Elements of one rank form a choice (any order).
fn rank(parent: &str, child: &str) -> Option<usize> {
    const PPR: &[&str] = &[
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ];
    // EG_RPrBase, preceded (in a paragraph mark's rPr) by the revision marks.
    const RPR: &[&str] = &[
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
        "rPrChange",
    ];
    const TBLPR: &[&str] = &[
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ];
    const TCPR: &[&str] = &[
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
        "headers",
        "cellIns",
        "cellDel",
        "cellMerge",
        "tcPrChange",
    ];
    const SECTPR: &[&str] = &[
        "headerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    ];
    const TRPR_CHOICE: &[&str] = &[
        "cnfStyle",
        "divId",
        "gridBefore",
        "gridAfter",
        "wBefore",
        "wAfter",
        "cantSplit",
        "trHeight",
        "tblHeader",
        "tblCellSpacing",
        "jc",
        "hidden",
    ];
    let at = |list: &[&str]| list.iter().position(|c| *c == child);
    match parent {
        "pPr" => at(PPR),
        "rPr" => at(RPR),
        "tblPr" => at(TBLPR),
        "tcPr" => at(TCPR),
        // Header and footer references are one choice group at the start.
        "sectPr" if child == "footerReference" => Some(0),
        "sectPr" => at(SECTPR),
        "trPr" if TRPR_CHOICE.contains(&child) => Some(0),
        "trPr" => match child {
            "ins" | "del" => Some(1),
            "trPrChange" => Some(2),
            _ => None,
        },
        _ => Some(0),
    }
}

/// Every place in `xml` where a property element's children break the schema's order,
/// or where a style's paragraph properties hold run properties (CT_PPrGeneral has none).
fn order_problems(part: &str, xml: &str) -> Vec<String> {
    let doc = match roxmltree::Document::parse(xml) {
        Ok(d) => d,
        Err(e) => return vec![format!("{part}: does not parse: {e}")],
    };
    let mut problems = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if node.tag_name().namespace() != Some(W)
            || !["pPr", "rPr", "tblPr", "trPr", "tcPr", "sectPr"].contains(&name)
        {
            continue;
        }
        let general = name == "pPr"
            && node
                .parent_element()
                .is_some_and(|p| ["style", "pPrDefault", "lvl"].contains(&p.tag_name().name()));
        let mut last = 0;
        for child in node.children().filter(|c| c.is_element()) {
            let c = child.tag_name().name();
            if general && c == "rPr" {
                problems.push(format!("{part}: rPr inside a style's pPr (CT_PPrGeneral)"));
            }
            match rank(name, c) {
                None => problems.push(format!("{part}: {c} is no child of {name}")),
                Some(r) if r < last => {
                    problems.push(format!("{part}: {c} after a later child of {name}"))
                }
                Some(r) => last = r,
            }
        }
    }
    problems
}

#[test]
fn the_order_check_catches_what_openxml_audit_found_in_docx_rs_output() {
    // The three findings openxml-audit reported most in the files docx-rs wrote.
    let bad = format!(
        r#"<w:document xmlns:w="{W}"><w:body><w:p><w:pPr><w:rPr><w:sz w:val="26"/><w:b/></w:rPr><w:jc w:val="center"/></w:pPr></w:p><w:sectPr><w:pgSz w:w="1" w:h="1"/><w:headerReference w:type="default"/></w:sectPr></w:body></w:document>"#
    );
    let problems = order_problems("bad", &bad);
    assert!(
        problems.iter().any(|p| p.contains("jc after")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("b after")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("headerReference after")),
        "{problems:?}"
    );
    let style = format!(
        r#"<w:styles xmlns:w="{W}"><w:style><w:pPr><w:jc w:val="left"/><w:rPr/></w:pPr></w:style></w:styles>"#
    );
    assert!(!order_problems("style", &style).is_empty());
}

#[test]
fn property_children_follow_the_schema_in_every_part() {
    for file in &outputs().files {
        let mut problems = Vec::new();
        for (name, xml) in unzip(file) {
            if name.ends_with(".xml") {
                problems.extend(order_problems(&name, &xml));
            }
        }
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
}

#[test]
fn word_package_rules_hold_in_every_docx() {
    for file in &outputs().files {
        let what = file.display();
        let parts = unzip(file);
        let styles = roxmltree::Document::parse(&parts["word/styles.xml"]).expect("styles");
        let defined: HashSet<&str> = styles
            .descendants()
            .filter(|n| n.has_tag_name((W, "style")))
            .filter_map(|n| n.attribute((W, "styleId")))
            .collect();
        let mut para_ids = HashSet::new();
        for (name, xml) in &parts {
            if !name.ends_with(".xml") {
                continue;
            }
            let doc = roxmltree::Document::parse(xml).expect("part parses");
            for n in doc.descendants().filter(|n| n.is_element()) {
                if n.has_tag_name((W, "pStyle")) {
                    let id = n.attribute((W, "val")).unwrap_or_default();
                    assert!(
                        defined.contains(id),
                        "{what} {name}: style {id:?} undefined"
                    );
                }
                if n.has_tag_name((W, "p")) {
                    let id = n
                        .attribute((W14, "paraId"))
                        .unwrap_or_else(|| panic!("{what} {name}: paragraph without w14:paraId"));
                    let value = u32::from_str_radix(id, 16).expect("hex paraId");
                    assert!(value > 0 && value < 0x8000_0000, "{what}: paraId {id}");
                    assert!(para_ids.insert(id.to_owned()), "{what}: paraId {id} twice");
                }
                if n.has_tag_name((W, "t")) || n.has_tag_name((W, "delText")) {
                    let t = n.text().unwrap_or_default();
                    assert!(
                        !t.contains(['\n', '\r', '\t', '\u{B}']),
                        "{what}: a control character inside w:t: {t:?}"
                    );
                }
                if n.has_tag_name((W, "tc")) {
                    let kids: Vec<&str> = n
                        .children()
                        .filter(|c| c.is_element())
                        .map(|c| c.tag_name().name())
                        .collect();
                    assert_eq!(kids.first(), Some(&"tcPr"), "{what}: {kids:?}");
                    assert_eq!(
                        kids.last(),
                        Some(&"p"),
                        "{what}: a cell ends with a paragraph"
                    );
                }
                if n.has_tag_name((W, "r")) {
                    let kids: Vec<&str> = n
                        .children()
                        .filter(|c| c.is_element())
                        .map(|c| c.tag_name().name())
                        .collect();
                    if let Some(i) = kids.iter().position(|k| *k == "rPr") {
                        assert_eq!(i, 0, "{what}: rPr first in a run");
                    }
                }
            }
        }
        let rels = &parts["word/_rels/document.xml.rels"];
        assert!(
            rels.contains("relationships/theme\" Target=\"theme/theme1.xml\""),
            "{what}: theme"
        );
        assert!(
            parts.contains_key("word/theme/theme1.xml"),
            "{what}: theme part"
        );
        let settings = roxmltree::Document::parse(&parts["word/settings.xml"]).expect("settings");
        let mode: HashMap<&str, &str> = settings
            .descendants()
            .filter(|n| n.has_tag_name((W, "compatSetting")))
            .filter_map(|n| Some((n.attribute((W, "name"))?, n.attribute((W, "val"))?)))
            .collect();
        assert_eq!(mode.get("compatibilityMode"), Some(&"15"), "{what}");
    }
}

#[test]
fn control_characters_and_markup_in_cells_are_written_as_word_means_them() {
    let file = outputs()
        .files
        .iter()
        .find(|f| f.ends_with("portrait/doc.docx"))
        .expect("the portrait output");
    let parts = unzip(file);
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).expect("parses");
    let sect = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "pgSz")))
        .expect("pgSz");
    assert_eq!(sect.attribute((W, "orient")), Some("portrait"));
    assert!(
        doc.descendants().all(|n| !n.has_tag_name((W, "pBdr"))),
        "rule_mm: 0 draws no rule"
    );
    // "Cột\tcách\vdòng mới\n": the model makes the tab a space (with a warning), the
    // vertical tab a line break and drops the trailing one; the writer makes the break a
    // `w:br` starting the next run, never a newline inside `w:t`.
    let cell = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "p")))
        .find(|p| {
            p.descendants()
                .any(|t| t.has_tag_name((W, "t")) && t.text() == Some("Cột cách"))
        })
        .expect("the cell with a tab");
    let content: Vec<String> = cell
        .descendants()
        .filter(|n| n.is_element())
        .filter_map(|n| match n.tag_name().name() {
            "t" => Some(n.text().unwrap_or_default().to_owned()),
            "tab" => Some("<tab>".to_owned()),
            "br" => Some("<br>".to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(content, ["Cột cách", "<br>", "dòng mới"]);
    let all: String = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "t")))
        .filter_map(|n| n.text())
        .collect();
    assert!(all.contains("A & B < C > D"), "{all}");
}
