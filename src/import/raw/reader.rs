//! The reader: `word/document.xml` (with `styles.xml`, `numbering.xml` and the custom
//! XML parts) walked into the neutral model, text as Word shows it in the accepted view.
//!
//! Contract: the text rules, tables and bounds of [`super`]'s contract are kept here; one
//! pass over the body, recursion bounded by [`MAX_DEPTH`] elements and
//! [`MAX_TABLE_DEPTH`] tables; every refusal is an [`ImportError`], nothing panics.

use roxmltree::Node;
use unicode_normalization::UnicodeNormalization;

use super::super::ImportError;
use super::super::numbering::{Counters, Numbering, num_pr, read_numbering};
use super::super::package::{Package, parse};
use super::super::xml::{MC, W_STRICT, W_TRANSITIONAL, is_w, on, twips, w_child, w_val};
use super::model::{
    Block, Cell, Merge, Paragraph, RawDocument, Row, SectionProps, Table, resolve_merges,
};
use super::styles::{RunProps, Styles, jc, legacy_font, read_styles, run_props};
use crate::document::{AGENCY_NAMES_NS, AgencyNames};
use crate::legacy::Legacy;

/// Tables nested deeper than this are refused: real appendices nest one or two.
pub const MAX_TABLE_DEPTH: usize = 16;
/// Elements nested deeper than this are refused (keeps the reader's recursion bounded).
pub const MAX_DEPTH: usize = 256;

/// Reads the main document of `package` into blocks.
pub fn read(package: &Package) -> Result<RawDocument, ImportError> {
    let styles = match &package.styles {
        Some(text) => read_styles(&parse("word/styles.xml", text)?),
        None => Styles::default(),
    };
    let doc = parse(&package.document_name, &package.document)?;
    let root = doc.root_element();
    let w = match root.tag_name().namespace() {
        Some(W_STRICT) => W_STRICT,
        _ => W_TRANSITIONAL,
    };
    let numbering = match &package.numbering {
        Some(text) => read_numbering(&parse("word/numbering.xml", text)?),
        None => Numbering::default(),
    };
    let mut reader = Reader {
        w,
        styles,
        numbering,
        counters: Counters::default(),
        floating: Vec::new(),
        fields: Vec::new(),
    };
    let mut blocks = Vec::new();
    if let Some(body) = reader.child(root, "body") {
        reader.blocks(body, &mut blocks, 0, 0)?;
        let last = reader
            .child(body, "sectPr")
            .map(|s| section_props(s, reader.w));
        place_sections(&mut blocks, last);
    }
    Ok(RawDocument {
        blocks,
        agencies: agency_names(&package.custom),
    })
}

/// The agency names of the first custom XML part in phuluc's namespace. Other parts
/// (SharePoint properties, bibliography sources …) are not ours and are passed over,
/// readable or not: a file is never refused for them.
fn agency_names(custom: &[(String, String)]) -> AgencyNames {
    /// Bounds against a crafted part: more names, or longer, than any plan has.
    const MAX_NAMES: usize = 100_000;
    const MAX_CHARS: usize = 1_000;
    let mut names = AgencyNames::default();
    for (name, text) in custom {
        let Ok(doc) = parse(name, text) else {
            continue;
        };
        let root = doc.root_element();
        if root.tag_name().namespace() != Some(AGENCY_NAMES_NS) {
            continue;
        }
        for n in root.children().filter(|n| n.is_element()).take(MAX_NAMES) {
            let text: String = n
                .descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect::<String>()
                .nfc()
                .collect();
            let text = text.trim();
            if text.is_empty() || text.chars().count() > MAX_CHARS {
                continue;
            }
            match n.tag_name().name() {
                "canonical" => names.canonical.push(text.to_owned()),
                "used" => names.used.push(text.to_owned()),
                _ => {}
            }
        }
        break;
    }
    names
}

/// Gives each body-level table the section it stands in: a paragraph's `w:sectPr` closes
/// the section holding it and everything since the previous one; the body's own last
/// `w:sectPr` closes the final section.
fn place_sections(blocks: &mut [Block], last: Option<SectionProps>) {
    let mut current = last;
    for b in blocks.iter_mut().rev() {
        match b {
            Block::Paragraph(p) => {
                if p.section.is_some() {
                    current = p.section;
                }
            }
            Block::Table(t) => t.section = current,
        }
    }
}

/// `w:sectPr`: page size, orientation and margins.
fn section_props(sect: Node, w: &str) -> SectionProps {
    let mut s = SectionProps::default();
    if let Some(sz) = w_child(sect, w, "pgSz") {
        s.width = twips(sz, w, "w");
        s.height = twips(sz, w, "h");
        s.landscape = sz.attribute((w, "orient")) == Some("landscape");
    }
    if let Some(m) = w_child(sect, w, "pgMar") {
        s.top = twips(m, w, "top");
        s.bottom = twips(m, w, "bottom");
        s.left = twips(m, w, "left").or_else(|| twips(m, w, "start"));
        s.right = twips(m, w, "right").or_else(|| twips(m, w, "end"));
        s.header = twips(m, w, "header");
    }
    s
}

/// A paragraph being collected.
#[derive(Default)]
struct Collect {
    text: String,
    /// Visible non-blank runs seen, and how many were bold / italic.
    runs: usize,
    bold: usize,
    italic: usize,
    hidden_seen: bool,
    converted: Option<Legacy>,
    /// The first visible non-blank run's size, in half-points.
    size: Option<u32>,
}

struct Reader {
    w: &'static str,
    styles: Styles,
    numbering: Numbering,
    counters: Counters,
    /// Blocks from text boxes met in the current paragraph, placed after it.
    floating: Vec<Block>,
    /// Open complex fields, innermost last: `true` once past `separate`.
    fields: Vec<bool>,
}

impl Reader {
    fn is(&self, n: Node, name: &str) -> bool {
        is_w(n, self.w, name)
    }

    fn child<'a, 'i>(&self, n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
        w_child(n, self.w, name)
    }

    fn val(&self, n: Node, name: &str) -> Option<String> {
        w_val(n, self.w, name).map(str::to_owned)
    }

    /// The one `mc:AlternateContent` branch read: the Fallback, else the first Choice.
    fn alternate<'a, 'i>(n: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
        let is_mc = |c: &Node, name: &str| {
            c.tag_name().namespace() == Some(MC) && c.tag_name().name() == name
        };
        n.children()
            .find(|c| is_mc(c, "Fallback"))
            .or_else(|| n.children().find(|c| is_mc(c, "Choice")))
    }

    fn is_alternate(n: Node) -> bool {
        n.tag_name().namespace() == Some(MC) && n.tag_name().name() == "AlternateContent"
    }

    fn deeper(depth: usize) -> Result<usize, ImportError> {
        if depth >= MAX_DEPTH {
            Err(ImportError::TooNested { limit: MAX_DEPTH })
        } else {
            Ok(depth + 1)
        }
    }

    /// Block-level content: paragraphs and tables, looking through wrappers.
    fn blocks(
        &mut self,
        parent: Node,
        out: &mut Vec<Block>,
        depth: usize,
        tables: usize,
    ) -> Result<(), ImportError> {
        let depth = Self::deeper(depth)?;
        for n in parent.children().filter(Node::is_element) {
            if Self::is_alternate(n) {
                if let Some(branch) = Self::alternate(n) {
                    self.blocks(branch, out, depth, tables)?;
                }
                continue;
            }
            if n.tag_name().namespace() != Some(self.w) {
                continue;
            }
            match n.tag_name().name() {
                "p" => {
                    if let Some(p) = self.paragraph(n, depth)? {
                        out.push(Block::Paragraph(p));
                    }
                    // Text boxes anchored in the paragraph: their content follows it.
                    out.append(&mut self.floating);
                }
                "tbl" => out.push(Block::Table(self.table(n, depth, tables + 1)?)),
                "sdt" => {
                    if let Some(content) = self.child(n, "sdtContent") {
                        self.blocks(content, out, depth, tables)?;
                    }
                }
                "customXml" | "ins" | "moveTo" => self.blocks(n, out, depth, tables)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, p: Node, depth: usize) -> Result<Option<Paragraph>, ImportError> {
        let ppr = self.child(p, "pPr");
        let style = ppr.and_then(|ppr| self.val(ppr, "pStyle"));
        // Word's automatic numbering: the paragraph's own `w:numPr`, else its style's.
        let direct = ppr
            .and_then(|ppr| self.child(ppr, "numPr"))
            .and_then(|np| num_pr(np, self.w));
        let from_style = self.styles.num(style.as_deref());
        let list = match (direct, from_style) {
            (Some((id, level)), style) => Some((id, level.or(style.and_then(|s| s.1)))),
            (None, style) => style,
        };
        let label = match list {
            Some((id, level)) if id != "0" => {
                self.counters.next(&self.numbering, &id, level.unwrap_or(0))
            }
            _ => None,
        };
        let para_props = self
            .styles
            .resolve(style.as_deref())
            .over(self.styles.defaults.clone());
        let section = ppr
            .and_then(|ppr| self.child(ppr, "sectPr"))
            .map(|s| section_props(s, self.w));
        let align = ppr
            .and_then(|ppr| jc(ppr, self.w))
            .or_else(|| self.styles.align(style.as_deref()));
        let mut c = Collect::default();
        self.inline(p, &para_props, &mut c, depth)?;
        // A paragraph of hidden text only is dropped, unless it closes a section.
        if c.hidden_seen && c.text.is_empty() && section.is_none() {
            return Ok(None);
        }
        let text = match label {
            Some(label) if c.text.trim().is_empty() => label,
            Some(label) => format!("{label} {}", c.text.trim_start()),
            None => c.text,
        };
        let text: String = text.nfc().collect();
        Ok(Some(Paragraph {
            text,
            bold: c.runs > 0 && c.bold == c.runs,
            italic: c.runs > 0 && c.italic == c.runs,
            style,
            converted: c.converted,
            align,
            size_pt: c.size.map(|half| half as f32 / 2.0),
            section,
        }))
    }

    /// Paragraph-level content: runs, and the elements that wrap runs.
    fn inline(
        &mut self,
        parent: Node,
        para: &RunProps,
        c: &mut Collect,
        depth: usize,
    ) -> Result<(), ImportError> {
        let depth = Self::deeper(depth)?;
        for n in parent.children().filter(Node::is_element) {
            if Self::is_alternate(n) {
                if let Some(branch) = Self::alternate(n) {
                    self.inline(branch, para, c, depth)?;
                }
                continue;
            }
            if n.tag_name().namespace() != Some(self.w) {
                continue;
            }
            match n.tag_name().name() {
                "r" => self.run(n, para, c, depth)?,
                "sdt" => {
                    if let Some(content) = self.child(n, "sdtContent") {
                        self.inline(content, para, c, depth)?;
                    }
                }
                "ins" | "moveTo" | "hyperlink" | "smartTag" | "customXml" | "fldSimple" | "bdo"
                | "dir" => self.inline(n, para, c, depth)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn run(
        &mut self,
        r: Node,
        para: &RunProps,
        c: &mut Collect,
        depth: usize,
    ) -> Result<(), ImportError> {
        let w = self.w;
        let (direct, char_style) = match self.child(r, "rPr") {
            Some(rpr) => (run_props(rpr, w), self.val(rpr, "rStyle")),
            None => (RunProps::default(), None),
        };
        let props = direct
            .over(self.styles.resolve(char_style.as_deref()))
            .over(para.clone());
        let hidden = props.hidden == Some(true);
        let mut text = String::new();
        self.run_content(r, &mut text, depth)?;
        if hidden {
            if !text.is_empty() {
                c.hidden_seen = true;
            }
            return Ok(());
        }
        // Text in an old font that holds a character beyond Latin-1 was typed in Unicode
        // with the old font left on (a legacy byte string never does): left alone.
        if let Some((legacy, upper)) = props.font.as_deref().and_then(legacy_font)
            && !text.is_empty()
            && text.chars().all(|ch| u32::from(ch) <= 0xFF)
        {
            let decoded = legacy.decode(&text);
            // .VnTimeH and its kind show capitals at the small letters' codes.
            text = if upper {
                decoded.to_uppercase()
            } else {
                decoded
            };
            c.converted = Some(legacy);
        }
        if !text.trim().is_empty() {
            if c.runs == 0 {
                c.size = props.size;
            }
            c.runs += 1;
            c.bold += usize::from(props.bold == Some(true));
            c.italic += usize::from(props.italic == Some(true));
        }
        c.text.push_str(&text);
        Ok(())
    }

    /// The text of one run's content (with the field state carried across runs).
    fn run_content(&mut self, r: Node, text: &mut String, depth: usize) -> Result<(), ImportError> {
        let depth = Self::deeper(depth)?;
        let w = self.w;
        for n in r.children().filter(Node::is_element) {
            if Self::is_alternate(n) {
                if let Some(branch) = Self::alternate(n) {
                    self.run_content(branch, text, depth)?;
                }
                continue;
            }
            if n.tag_name().namespace() != Some(w) {
                continue;
            }
            if matches!(n.tag_name().name(), "drawing" | "pict") {
                self.text_boxes(n, depth)?;
                continue;
            }
            if n.tag_name().name() == "fldChar" {
                match n.attribute((w, "fldCharType")) {
                    Some("begin") => self.fields.push(false),
                    Some("separate") => {
                        if let Some(top) = self.fields.last_mut() {
                            *top = true;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                }
                continue;
            }
            // Inside a field's instructions nothing is text.
            if self.fields.iter().any(|past_separate| !past_separate) {
                continue;
            }
            match n.tag_name().name() {
                "t" => text.push_str(n.text().unwrap_or("")),
                "tab" | "ptab" => text.push('\t'),
                "cr" => text.push('\n'),
                "br" => {
                    if matches!(n.attribute((w, "type")), None | Some("textWrapping")) {
                        text.push('\n');
                    }
                }
                "noBreakHyphen" => text.push('-'),
                "sym" => {
                    if let Some(ch) = n
                        .attribute((w, "char"))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .map(|u| {
                            if (0xF000..=0xF0FF).contains(&u) {
                                u - 0xF000
                            } else {
                                u
                            }
                        })
                        .and_then(char::from_u32)
                    {
                        text.push(ch);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The text boxes in a drawing (`wps:txbx`) or a VML shape (`v:textbox`): their
    /// `w:txbxContent` read as blocks, kept for after the paragraph that anchors them.
    /// Only the outermost boxes here; boxes inside them are reached through their own
    /// paragraphs.
    fn text_boxes(&mut self, drawing: Node, depth: usize) -> Result<(), ImportError> {
        let depth = Self::deeper(depth)?;
        let boxes: Vec<Node> = drawing
            .descendants()
            .filter(|d| self.is(*d, "txbxContent"))
            .filter(|d| {
                !d.ancestors()
                    .skip(1)
                    .take_while(|a| *a != drawing)
                    .any(|a| self.is(a, "txbxContent"))
            })
            .collect();
        for b in boxes {
            let mut blocks = Vec::new();
            let outer = std::mem::take(&mut self.floating);
            self.blocks(b, &mut blocks, depth, 0)?;
            self.floating = outer;
            self.floating.append(&mut blocks);
        }
        Ok(())
    }

    fn table(&mut self, tbl: Node, depth: usize, tables: usize) -> Result<Table, ImportError> {
        if tables > MAX_TABLE_DEPTH {
            return Err(ImportError::TooDeep {
                limit: MAX_TABLE_DEPTH,
            });
        }
        let depth = Self::deeper(depth)?;
        let w = self.w;
        let grid = self
            .child(tbl, "tblGrid")
            .map(|g| {
                g.children()
                    .filter(|c| self.is(*c, "gridCol"))
                    .map(|c| {
                        c.attribute((w, "w"))
                            .and_then(|v| v.parse::<f64>().ok())
                            .map_or(0, |v| v.max(0.0) as u32)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut rows = Vec::new();
        self.rows(tbl, &mut rows, depth, tables)?;
        resolve_merges(&mut rows);
        Ok(Table {
            grid,
            rows,
            section: None,
        })
    }

    fn rows(
        &mut self,
        parent: Node,
        rows: &mut Vec<Row>,
        depth: usize,
        tables: usize,
    ) -> Result<(), ImportError> {
        let depth = Self::deeper(depth)?;
        for n in parent.children().filter(Node::is_element) {
            if Self::is_alternate(n) {
                if let Some(branch) = Self::alternate(n) {
                    self.rows(branch, rows, depth, tables)?;
                }
                continue;
            }
            if self.is(n, "tr") {
                rows.push(self.row(n, depth, tables)?);
            } else if self.is(n, "sdt") {
                if let Some(content) = self.child(n, "sdtContent") {
                    self.rows(content, rows, depth, tables)?;
                }
            } else if self.is(n, "customXml") || self.is(n, "ins") || self.is(n, "moveTo") {
                self.rows(n, rows, depth, tables)?;
            }
        }
        Ok(())
    }

    fn count(&self, n: Option<Node>, name: &str) -> usize {
        n.and_then(|p| self.val(p, name))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
            .min(4096)
    }

    fn row(&mut self, tr: Node, depth: usize, tables: usize) -> Result<Row, ImportError> {
        let trpr = self.child(tr, "trPr");
        let grid_before = self.count(trpr, "gridBefore");
        let grid_after = self.count(trpr, "gridAfter");
        let header = trpr
            .and_then(|p| self.child(p, "tblHeader"))
            .is_some_and(|h| on(h, self.w));
        let mut row = Row {
            cells: Vec::new(),
            grid_before,
            grid_after,
            header,
        };
        let mut col = grid_before;
        self.cells(tr, &mut row.cells, &mut col, depth, tables)?;
        Ok(row)
    }

    fn cells(
        &mut self,
        parent: Node,
        cells: &mut Vec<Cell>,
        col: &mut usize,
        depth: usize,
        tables: usize,
    ) -> Result<(), ImportError> {
        let depth = Self::deeper(depth)?;
        for n in parent.children().filter(Node::is_element) {
            if Self::is_alternate(n) {
                if let Some(branch) = Self::alternate(n) {
                    self.cells(branch, cells, col, depth, tables)?;
                }
                continue;
            }
            if self.is(n, "tc") {
                let cell = self.cell(n, *col, depth, tables)?;
                *col += cell.span;
                cells.push(cell);
            } else if self.is(n, "sdt") {
                if let Some(content) = self.child(n, "sdtContent") {
                    self.cells(content, cells, col, depth, tables)?;
                }
            } else if self.is(n, "customXml") {
                self.cells(n, cells, col, depth, tables)?;
            }
        }
        Ok(())
    }

    fn cell(
        &mut self,
        tc: Node,
        col: usize,
        depth: usize,
        tables: usize,
    ) -> Result<Cell, ImportError> {
        let tcpr = self.child(tc, "tcPr");
        let span = self.count(tcpr, "gridSpan").max(1);
        let merge = match tcpr.and_then(|p| self.child(p, "vMerge")) {
            None => Merge::None,
            Some(v) => match v.attribute((self.w, "val")) {
                Some("restart") => Merge::Restart,
                _ => Merge::Continue,
            },
        };
        let mut blocks = Vec::new();
        // A field never crosses a cell's edge: one left open (a damaged file) must not
        // swallow the text of every cell after it.
        let outer = std::mem::take(&mut self.fields);
        let read = self.blocks(tc, &mut blocks, depth, tables);
        self.fields = outer;
        read?;
        let mut cell = Cell {
            col,
            span,
            merge,
            ..Cell::default()
        };
        for b in blocks {
            match b {
                Block::Paragraph(p) => cell.paragraphs.push(p),
                Block::Table(t) => cell.tables.push(t),
            }
        }
        Ok(cell)
    }
}
