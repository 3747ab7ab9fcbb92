//! Formatting as the reader resolves it: run properties (bold, italic, hidden, font,
//! size), `styles.xml` with its `w:basedOn` chains and document defaults, paragraph
//! alignment (`w:jc`), and the old encoding an old font's name means.
//!
//! Contract: a property not set at one level is looked up at the next — run, character
//! style, paragraph style, defaults; `w:basedOn` chains are followed at most 32 deep, so
//! a cycle or a long chain ends. Reading never fails: what cannot be read is unset.

use std::collections::HashMap;

use roxmltree::Node;

use super::super::numbering::num_pr;
use super::super::xml::{W_STRICT, W_TRANSITIONAL, is_w, on, w_child, w_val};
use crate::document::Align;
use crate::legacy::Legacy;

/// The old encoding a font name means: TCVN3 for `.Vn…` fonts (`.VnTime`, `.VnArial`;
/// a trailing `H`, as `.VnTimeH`, is the capitals-only variant), VNI for `VNI-…`.
pub(super) fn legacy_font(name: &str) -> Option<(Legacy, bool)> {
    let n = name.trim();
    if let Some(rest) = n.strip_prefix(".Vn").or_else(|| n.strip_prefix(".vn")) {
        return Some((Legacy::Tcvn3, rest.ends_with('H')));
    }
    let lower = n.to_lowercase();
    lower.starts_with("vni-").then_some((Legacy::Vni, false))
}

/// The `w:jc` value's meaning; `None` for values that are no horizontal alignment.
fn align_of_jc(v: &str) -> Option<Align> {
    match v {
        "left" | "start" => Some(Align::Left),
        "center" => Some(Align::Center),
        "right" | "end" => Some(Align::Right),
        "both" | "distribute" | "lowKashida" | "mediumKashida" | "highKashida"
        | "thaiDistribute" => Some(Align::Justify),
        _ => None,
    }
}

/// Run properties recognition needs; `None` = not set at this level.
#[derive(Debug, Clone, Default)]
pub(super) struct RunProps {
    pub(super) bold: Option<bool>,
    pub(super) italic: Option<bool>,
    pub(super) hidden: Option<bool>,
    /// The font for text outside ASCII (`w:rFonts w:hAnsi`, else `w:ascii`).
    pub(super) font: Option<std::rc::Rc<str>>,
    /// Font size in half-points (`w:sz`).
    pub(super) size: Option<u32>,
}

impl RunProps {
    /// `self` where set, else `under`.
    pub(super) fn over(self, under: RunProps) -> RunProps {
        RunProps {
            bold: self.bold.or(under.bold),
            italic: self.italic.or(under.italic),
            hidden: self.hidden.or(under.hidden),
            font: self.font.or(under.font),
            size: self.size.or(under.size),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    props: RunProps,
    /// A paragraph style's list (`w:numPr`): numbering id and level.
    num: Option<(String, Option<usize>)>,
    /// A paragraph style's alignment (`w:pPr/w:jc`).
    align: Option<Align>,
}

/// Styles by id, and the document defaults.
#[derive(Debug, Default)]
pub(super) struct Styles {
    by_id: HashMap<String, Style>,
    pub(super) defaults: RunProps,
    /// The document default paragraph alignment (`w:pPrDefault`).
    default_align: Option<Align>,
}

impl Styles {
    /// A style's run properties with its `w:basedOn` chain (cycles and long chains cut).
    /// A paragraph style's list, through its `w:basedOn` chain.
    pub(super) fn num(&self, id: Option<&str>) -> Option<(String, Option<usize>)> {
        let mut next = id;
        for _ in 0..32 {
            let style = next.and_then(|i| self.by_id.get(i))?;
            if let Some(n) = &style.num {
                return Some(n.clone());
            }
            next = style.based_on.as_deref();
        }
        None
    }

    /// A paragraph style's alignment through its `w:basedOn` chain, else the default.
    pub(super) fn align(&self, id: Option<&str>) -> Option<Align> {
        let mut next = id;
        for _ in 0..32 {
            let Some(style) = next.and_then(|i| self.by_id.get(i)) else {
                break;
            };
            if style.align.is_some() {
                return style.align;
            }
            next = style.based_on.as_deref();
        }
        self.default_align
    }

    pub(super) fn resolve(&self, id: Option<&str>) -> RunProps {
        let mut props = RunProps::default();
        let mut next = id;
        for _ in 0..32 {
            let Some(style) = next.and_then(|i| self.by_id.get(i)) else {
                break;
            };
            props = props.over(style.props.clone());
            next = style.based_on.as_deref();
        }
        props
    }
}

/// A paragraph's own alignment, from its `w:pPr` (`w:jc`).
pub(super) fn jc(ppr: Node, w: &str) -> Option<Align> {
    w_val(ppr, w, "jc").and_then(align_of_jc)
}

pub(super) fn run_props(rpr: Node, w: &str) -> RunProps {
    let mut props = RunProps::default();
    for c in rpr
        .children()
        .filter(|c| c.tag_name().namespace() == Some(w))
    {
        match c.tag_name().name() {
            "b" => props.bold = Some(on(c, w)),
            "i" => props.italic = Some(on(c, w)),
            "vanish" => props.hidden = Some(on(c, w)),
            "sz" => {
                props.size = c
                    .attribute((w, "val"))
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .filter(|v| (2..=3276).contains(v));
            }
            "rFonts" => {
                props.font = c
                    .attribute((w, "hAnsi"))
                    .or_else(|| c.attribute((w, "ascii")))
                    .map(std::rc::Rc::from);
            }
            _ => {}
        }
    }
    props
}

pub(super) fn read_styles(doc: &roxmltree::Document) -> Styles {
    let root = doc.root_element();
    let w = match root.tag_name().namespace() {
        Some(W_STRICT) => W_STRICT,
        _ => W_TRANSITIONAL,
    };
    let mut styles = Styles::default();
    for n in root.children() {
        if is_w(n, w, "docDefaults") {
            if let Some(rpr) = w_child(n, w, "rPrDefault").and_then(|d| w_child(d, w, "rPr")) {
                styles.defaults = run_props(rpr, w);
            }
            styles.default_align = w_child(n, w, "pPrDefault")
                .and_then(|d| w_child(d, w, "pPr"))
                .and_then(|p| jc(p, w));
        } else if is_w(n, w, "style") {
            let Some(id) = n.attribute((w, "styleId")) else {
                continue;
            };
            let based_on = w_val(n, w, "basedOn").map(str::to_owned);
            let props = w_child(n, w, "rPr")
                .map(|r| run_props(r, w))
                .unwrap_or_default();
            let ppr = w_child(n, w, "pPr");
            let num = ppr
                .and_then(|p| w_child(p, w, "numPr"))
                .and_then(|np| num_pr(np, w));
            let align = ppr.and_then(|p| jc(p, w));
            styles.by_id.insert(
                id.to_owned(),
                Style {
                    based_on,
                    props,
                    num,
                    align,
                },
            );
        }
    }
    styles
}
