//! "Fill this" warnings: heading fields written but left empty (`kind: ""`, `title: ""`,
//! `heading: ""`), as `phuluc new` writes them for the clerk to fill. An empty `symbol`,
//! `issuer` or `year` is [`super::printed_fields`]' (it shows the line they leave blank).
//!
//! Contract: a pure function of the parsed tree (the validated plan cannot tell `""`
//! from an absent field: both are "no text"). Only an explicit empty text is reported —
//! an absent `heading:` means "no heading row" and is no gap, `~` in a required field is
//! already validation's error. Each warning names the place the way a reader does
//! ("Phụ lục I, nhóm 1"), says what to type with an example, and points at the empty
//! value's line:column. Empty body cells are [`super::lint`]'s.

use std::path::Path;

use super::numbering::roman;
use crate::diag::Diagnostic;
use crate::model::tree::{Kind, Node};
use crate::text;

/// What a heading field holds, for the message: the Vietnamese and English name of the
/// field and an example value.
struct Blank {
    vi: &'static str,
    en: &'static str,
    example: &'static str,
}

// `symbol:` and `issuer:` are `printed_fields`' (with the line the heading then prints),
// so one empty field gets one warning.
const PLAN_FIELDS: [(&str, Blank); 1] = [(
    "kind",
    Blank {
        vi: "loại văn bản",
        en: "the document kind",
        example: "Kế hoạch",
    },
)];

const TITLE: Blank = Blank {
    vi: "tên phụ lục",
    en: "the appendix title",
    example: "Phân công thực hiện các nhiệm vụ, giải pháp",
};

const SECTION_HEADING: Blank = Blank {
    vi: "tiêu đề mục",
    en: "the section heading",
    example: "MỤC TIÊU ĐẾN NĂM 2030",
};

const GROUP_HEADING: Blank = Blank {
    vi: "tiêu đề nhóm",
    en: "the group heading",
    example: "Cải cách hành chính",
};

/// Every heading field of `root` (the whole file's tree) written as an empty text.
pub fn blank_fields(root: &Node, path: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(plan) = get(root, "plan") {
        for (name, blank) in &PLAN_FIELDS {
            if let Some(node) = get(plan, name).filter(|n| is_blank(n)) {
                out.push(warn(node, path, "", name, blank, false));
            }
        }
    }
    let Some(Kind::Seq(appendices)) = get(root, "appendices").map(|n| &n.kind) else {
        return out;
    };
    for (ai, appendix) in appendices.iter().enumerate() {
        let number = get(appendix, "number")
            .and_then(scalar)
            .filter(|s| !s.trim().is_empty())
            .map_or_else(|| roman(ai + 1), |s| s.trim().to_owned());
        let name = format!("Phụ lục {number}");
        if let Some(node) = get(appendix, "title").filter(|n| is_blank(n)) {
            out.push(warn(node, path, &name, "title", &TITLE, false));
        }
        for (si, section) in seq(appendix, "sections").iter().enumerate() {
            let place = format!("{name}, mục {}", roman(si + 1));
            if let Some(node) = get(section, "heading").filter(|n| is_blank(n)) {
                out.push(warn(node, path, &place, "heading", &SECTION_HEADING, true));
            }
            groups(section, &place, path, &mut out);
        }
        groups(appendix, &name, path, &mut out);
    }
    out
}

/// The blank headings of the `groups:` under `parent` (an appendix or a section).
fn groups(parent: &Node, place: &str, path: &Path, out: &mut Vec<Diagnostic>) {
    for (gi, group) in seq(parent, "groups").iter().enumerate() {
        if let Some(node) = get(group, "heading").filter(|n| is_blank(n)) {
            let place = format!("{place}, nhóm {}", gi + 1);
            out.push(warn(node, path, &place, "heading", &GROUP_HEADING, true));
        }
    }
}

fn warn(
    node: &Node,
    path: &Path,
    place: &str,
    field: &str,
    blank: &Blank,
    may_drop: bool,
) -> Diagnostic {
    let example = blank.example;
    let (drop_vi, drop_en) = if may_drop {
        (
            " Không có tiêu đề thì xóa cả dòng “heading”.",
            " Without a heading, delete the whole “heading” line.",
        )
    } else {
        ("", "")
    };
    let place = if place.is_empty() {
        String::new()
    } else {
        format!("{place}: ")
    };
    Diagnostic::warning(text!(
        format!("{place}chưa điền {} (“{field}” đang để trống)", blank.vi),
        format!("{place}{} is not filled in (“{field}” is empty)", blank.en)
    ))
    .in_file(path)
    .at(node.pos)
    .hint(text!(
        format!(
            "Gõ {} vào giữa hai dấu ngoặc kép, ví dụ: {field}: \"{example}\".{drop_vi}",
            blank.vi
        ),
        format!(
            "Type {} between the quotes, e.g. {field}: \"{example}\".{drop_en}",
            blank.en
        )
    ))
}

/// An explicitly empty (or all-blank) text: `""`, `''`, `"  "`.
fn is_blank(node: &Node) -> bool {
    matches!(&node.kind, Kind::Scalar(s, _) if s.trim().is_empty())
}

fn scalar(node: &Node) -> Option<&str> {
    match &node.kind {
        Kind::Scalar(s, _) => Some(s),
        _ => None,
    }
}

/// The value of the first `key` in mapping `node`.
fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.kind {
        Kind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

/// The entries of list `key` in mapping `node` (none when absent or not a list).
fn seq<'n>(node: &'n Node, key: &str) -> &'n [Node] {
    match get(node, key).map(|n| &n.kind) {
        Some(Kind::Seq(items)) => items,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanks(src: &str) -> Vec<String> {
        let path = Path::new("k.yaml");
        let tree = crate::model::parse_str(src, path).unwrap_or_else(|_| panic!("parses"));
        blank_fields(&tree, path)
            .iter()
            .map(|d| d.render(crate::diag::Lang::Vi))
            .collect()
    }

    #[test]
    fn empty_heading_fields_are_named_with_their_place_and_an_example() {
        let found = blanks(
            "plan:\n  kind: \"\"\n  symbol: \"\"\n  issuer: ''\nappendices:\n  - template: nhiem-vu\n    title: \"\"\n    sections:\n      - heading: \"\"\n        groups:\n          - heading: \"\"\n",
        );
        // An empty symbol and issuer are `printed_fields`' (one warning per empty field).
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].starts_with("k.yaml:2:9: cảnh báo: chưa điền loại văn bản"));
        assert!(
            found[0].contains("ví dụ: kind: \"Kế hoạch\""),
            "{}",
            found[0]
        );
        assert!(found[1].contains("Phụ lục I: chưa điền tên phụ lục"));
        assert!(found[2].contains("Phụ lục I, mục I: chưa điền tiêu đề mục"));
        assert!(found[3].contains("Phụ lục I, mục I, nhóm 1: chưa điền tiêu đề nhóm"));
        assert!(found[3].contains("xóa cả dòng “heading”"));
    }

    #[test]
    fn absent_headings_and_filled_fields_are_no_gap() {
        let found = blanks(
            "plan:\n  kind: Kế hoạch\n  symbol: KH-UBND\n  issuer: UBND\n  number: ~\nappendices:\n  - template: nhiem-vu\n    number: II\n    title: Tên\n    groups:\n      - items: []\n      - heading: ~\n",
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn an_explicit_appendix_number_names_the_appendix() {
        let found = blanks("appendices:\n  - number: IV\n    title: \"\"\n");
        assert!(found[0].contains("Phụ lục IV: "), "{found:#?}");
    }
}
