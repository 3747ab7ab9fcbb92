//! Appendix templates: one folder per kind, holding `layout.yaml` (page, sizes, columns)
//! and Handlebars templates for the heading lines (`label.hbs`, `title.hbs`,
//! `reference.hbs`).
//!
//! Contract: the built-in kinds are compiled into the binary (see `build.rs`); a
//! `--templates DIR` folder adds kinds or replaces built-in ones of the same name. Loading
//! checks everything up front — layout fields, column kinds, Handlebars syntax — and
//! reports problems with the template file and line:column. Handlebars runs in strict
//! mode with escaping off: the writers escape for their own formats. A heading template
//! may mark where a plan field is printed — `{{#field "number"}}…{{/field}}` — so the
//! preview can put that field's editor there ([`Templates::render_line_marked`]); the
//! marks never reach a document ([`Templates::render_line`] gives the text alone).
//!
//! Here: [`Templates`], the kinds known and their compiled heading templates. The rooms:
//! [`layout`] (the `layout.yaml` types), [`load`] (where a kind's files come from) and
//! [`check`] (one kind checked into a [`Kind`]); this file re-exports what callers use.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use handlebars::Handlebars;

use crate::diag::{Diagnostic, Pos};
use crate::model::fields::{FieldKind, FieldsLookup, RowFields};
use crate::text;

mod check;
mod layout;
mod load;

pub use check::{Kind, MAX_GROUP_DEPTH};
pub use layout::{
    BlankDate, Column, ColumnAlign, ColumnKind, HeadingLayout, LabelTitle, Layout, MarginsMm,
    Opening, Orientation, PageLayout, Role, SubtotalPosition, TableLayout, TextLayout,
    TotalPosition, Totals, layout_schema,
};
pub use load::{LINE_TEMPLATES, default_line_template};

/// The kinds that lay out the progress report (`phuluc report`), not a plan's appendix:
/// a plan cannot name them, and the schema and `import` do not offer them.
pub const REPORT_KINDS: [&str; 3] = ["bao-cao", "bao-cao-tong-hop", "bao-cao-qua-han"];

use check::check_kind;
use load::{KindFiles, builtin, read_dir_kinds};

/// All known kinds plus their compiled heading templates. Cloned by `phuluc serve`'s
/// import, which adds the kinds it derives to a copy of its own.
#[derive(Clone)]
pub struct Templates {
    kinds: BTreeMap<String, Kind>,
    registry: Handlebars<'static>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("kinds", &self.kinds.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Templates {
    /// The built-in kinds only.
    pub fn builtin() -> Result<Templates, Vec<Diagnostic>> {
        Templates::load(None)
    }

    /// The built-in kinds, then those in `dir` (same name replaces).
    pub fn load(dir: Option<&Path>) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, KindFiles> = BTreeMap::new();
        for (kind, name, contents) in builtin::BUILTIN {
            let entry = sources.entry((*kind).to_owned()).or_default();
            entry.dir = Path::new("templates").join(kind);
            entry
                .files
                .insert((*name).to_owned(), (*contents).to_owned());
        }
        if let Some(dir) = dir {
            for (kind, files) in read_dir_kinds(dir)? {
                sources.insert(kind, files);
            }
        }
        let mut diags = Vec::new();
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        registry.register_helper("field", Box::new(field_helper));
        let mut kinds = BTreeMap::new();
        for (kind, files) in sources {
            match check_kind(&kind, &files, &mut registry) {
                Ok(k) => {
                    kinds.insert(kind, k);
                }
                Err(mut d) => diags.append(&mut d),
            }
        }
        if diags.is_empty() {
            Ok(Templates { kinds, registry })
        } else {
            Err(diags)
        }
    }

    /// Adds (or replaces) kind `kind` from its files in memory (`layout.yaml` and the
    /// `.hbs` heading templates by name), checked as a folder's would be; `dir` is where
    /// the files are (or will be) for messages. A kind that does not check is not added.
    pub fn add_kind(
        &mut self,
        kind: &str,
        dir: &Path,
        files: &BTreeMap<String, String>,
    ) -> Result<(), Vec<Diagnostic>> {
        let files = KindFiles {
            dir: dir.to_path_buf(),
            files: files.clone(),
        };
        let k = check_kind(kind, &files, &mut self.registry)?;
        self.kinds.insert(kind.to_owned(), k);
        Ok(())
    }

    /// The kind named `name`.
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.get(name)
    }

    /// Renders heading line `line` ("label", "title", "reference") of kind `kind`.
    pub fn render_line(
        &self,
        kind: &str,
        line: &str,
        data: &serde_json::Value,
    ) -> Result<String, Diagnostic> {
        self.render_line_marked(kind, line, data)
            .map(|(text, _)| text)
    }

    /// [`Templates::render_line`], with where each `{{#field NAME}}` block's text is in
    /// it: (byte range, NAME), in order.
    pub fn render_line_marked(
        &self,
        kind: &str,
        line: &str,
        data: &serde_json::Value,
    ) -> Result<(String, Marks), Diagnostic> {
        self.render_raw(kind, line, data).map(|raw| unmark(&raw))
    }

    fn render_raw(
        &self,
        kind: &str,
        line: &str,
        data: &serde_json::Value,
    ) -> Result<String, Diagnostic> {
        let name = format!("{kind}/{line}");
        self.registry
            .render(&name, data)
            .map_err(|e| {
                let file = self
                    .kinds
                    .get(kind)
                    .map(|k| k.origin.join(format!("{line}.hbs")))
                    .unwrap_or_else(|| PathBuf::from(format!("{name}.hbs")));
                Diagnostic::error(text!(
                    format!("lỗi khi điền mẫu: {}", e.reason()),
                    format!("template rendering failed: {}", e.reason())
                ))
                .in_file(&file)
                .at(e.line_no.map(|l| Pos {
                    line: u32::try_from(l).unwrap_or(u32::MAX),
                    column: u32::try_from(e.column_no.unwrap_or(1)).unwrap_or(u32::MAX),
                }))
                .hint(text!(
                    "Chỉ dùng các biến có sẵn: plan.kind, plan.number, plan.symbol, plan.date.day/month/year, plan.year, plan.issuer, appendix.number, appendix.title, heading.opening, heading.long_date (xem README).",
                    "Use only the available variables: plan.kind, plan.number, plan.symbol, plan.date.day/month/year, plan.year, plan.issuer, appendix.number, appendix.title, heading.opening, heading.long_date (see README)."
                ))
            })
    }
}

/// Where a rendered line prints plan fields: (byte range, field key), in order.
pub type Marks = Vec<(std::ops::Range<usize>, String)>;

/// Opens a field's mark: then its name, [`NAME_END`], its text, [`FIELD_END`].
/// Private-use characters, which a plan's text has no use for.
const FIELD_START: char = '\u{E010}';
const NAME_END: char = '\u{E011}';
const FIELD_END: char = '\u{E012}';

/// `{{#field "NAME"}}…{{/field}}`: the block's text, marked as plan field NAME's.
fn field_helper<'reg, 'rc>(
    h: &handlebars::Helper<'rc>,
    registry: &'reg Handlebars<'reg>,
    context: &'rc handlebars::Context,
    rc: &mut handlebars::RenderContext<'reg, 'rc>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    use handlebars::Renderable as _;
    let name = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .unwrap_or_default()
        .replace([FIELD_START, NAME_END, FIELD_END], "");
    out.write(&format!("{FIELD_START}{name}{NAME_END}"))?;
    if let Some(template) = h.template() {
        template.render(registry, context, rc, out)?;
    }
    out.write(&FIELD_END.to_string())?;
    Ok(())
}

/// The text of a rendered line without its field marks, and where each field's text
/// is. A mark left open runs to the end; a mark inside another is the outer one's text.
fn unmark(raw: &str) -> (String, Marks) {
    let raw = raw.trim_end_matches(['\n', '\r']);
    let mut text = String::with_capacity(raw.len());
    let mut fields = Vec::new();
    let mut open: Option<(usize, String)> = None;
    let mut depth = 0usize;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            FIELD_START => {
                let name: String = chars.by_ref().take_while(|&c| c != NAME_END).collect();
                if depth == 0 {
                    open = Some((text.len(), name));
                }
                depth += 1;
            }
            FIELD_END => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some((start, name)) = open.take()
                {
                    fields.push((start..text.len(), name));
                }
            }
            NAME_END => {}
            c => text.push(c),
        }
    }
    if let Some((start, name)) = open {
        fields.push((start..text.len(), name));
    }
    (text, fields)
}

impl FieldsLookup for Templates {
    fn row_fields(&self, kind: &str) -> Option<RowFields> {
        if REPORT_KINDS.contains(&kind) {
            return None;
        }
        self.kinds.get(kind).map(|k| RowFields {
            fields: k
                .layout
                .columns
                .iter()
                .filter_map(|c| match c.kind {
                    ColumnKind::Number => None,
                    ColumnKind::Text => Some((c.field.clone(), FieldKind::Text)),
                    ColumnKind::List => Some((c.field.clone(), FieldKind::List)),
                    ColumnKind::Amount => Some((c.field.clone(), FieldKind::Amount)),
                    ColumnKind::Date => Some((c.field.clone(), FieldKind::Date)),
                    ColumnKind::Percent => Some((c.field.clone(), FieldKind::Percent)),
                })
                .collect(),
        })
    }

    fn kinds(&self) -> Vec<String> {
        let plan_kinds = self
            .kinds
            .keys()
            .filter(|k| !REPORT_KINDS.contains(&k.as_str()));
        plan_kinds.cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_marks_give_ranges_and_never_reach_the_text() {
        let (text, fields) = unmark(
            "số \u{E010}number\u{E011}05\u{E012}/KH ngày \u{E010}date\u{E011}ngày \u{E010}x\u{E011}1\u{E012} tháng\u{E012}\n",
        );
        assert_eq!(text, "số 05/KH ngày ngày 1 tháng");
        assert_eq!(
            fields,
            vec![(5..7, "number".to_owned()), (17..31, "date".to_owned())]
        );
        assert_eq!(&text[5..7], "05");
        assert_eq!(&text[17..31], "ngày 1 tháng");
        let (text, fields) = unmark("a\u{E010}open\u{E011}bc");
        assert_eq!(
            (text.as_str(), fields),
            ("abc", vec![(1..3, "open".to_owned())])
        );
        let (text, fields) = unmark("\u{E012}\u{E011}x");
        assert_eq!((text.as_str(), fields.len()), ("x", 0));
    }
}
