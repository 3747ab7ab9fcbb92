//! A variant of a known kind: a Word table whose columns match a template, typed in
//! another of the forms offices use — subtotals in the group rows, “(Ban hành kèm theo
//! …)”, the long blank date, label and title in one paragraph — gets a copy of that
//! template printing the file's form, so the imported plan renders like the file.
//!
//! Contract: [`differences`] compares what a table's file shows (its [`Heading`], the
//! heading rows' subtotals) with what a kind prints and gives the [`Target`] form, or
//! `None` where the kind already prints it. [`variant_files`] writes the kind's files
//! with only the lines of that form changed (every other line and comment as the kind
//! has it), or `None` where its `layout.yaml` is not in a shape it can edit line by line
//! (then import warns instead). [`Target::slug`] names the variant after what differs.
//! Pure functions of text: nothing here reads or writes a file.

use std::collections::BTreeMap;

use super::heading::Heading;
use super::reference::reference_form;
use crate::compose::templates::{
    BlankDate, HeadingLayout, Kind, LabelTitle, Layout, Opening, SubtotalPosition,
};
use crate::diag::Text;

/// The form a variant prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Target {
    /// The heading block's form.
    pub(super) heading: HeadingLayout,
    /// Subtotals in the heading rows of (sections, groups), where the kind prints them
    /// elsewhere or not at all.
    pub(super) subtotals: Option<(bool, bool)>,
}

/// The form the file shows where `kind` prints another, else `None`. `carried`: whether
/// the table's section and group heading rows carry subtotals.
pub(super) fn differences(kind: &Kind, heading: &Heading, carried: (bool, bool)) -> Option<Target> {
    let layout = &kind.layout;
    let mut form = layout.heading;
    if heading.label.is_some() && !heading.title.is_empty() {
        form.label_title = if heading.joined {
            LabelTitle::Joined
        } else {
            LabelTitle::Separate
        };
    }
    // Only a reference template that reads the form can print it otherwise.
    let reads = |var: &str| {
        kind.files
            .get("reference.hbs")
            .is_some_and(|t| t.contains(var))
    };
    if let Some((opening, date)) = heading.reference.as_deref().and_then(reference_form) {
        if reads("heading.opening") {
            form.opening = opening;
        }
        if reads("heading.long_date") {
            form.blank_date = date;
        }
    }
    let subtotals = layout.totals.as_ref().and_then(|t| {
        let in_heading = t.subtotal_position == SubtotalPosition::Heading;
        let missing =
            (carried.0 && !(in_heading && t.sections)) || (carried.1 && !(in_heading && t.groups));
        missing.then_some(carried)
    });
    (form != layout.heading || subtotals.is_some()).then_some(Target {
        heading: form,
        subtotals,
    })
}

impl Target {
    /// The variant's name: the kind's, then a word for each difference
    /// (“kinh-phi-cong-o-tieu-de”).
    pub(super) fn slug(&self, kind: &str, layout: &Layout) -> String {
        let mut parts = vec![kind.to_owned()];
        if self.subtotals.is_some() {
            parts.push("cong-o-tieu-de".to_owned());
        }
        let (h, was) = (self.heading, layout.heading);
        if h.label_title != was.label_title {
            parts.push(
                match h.label_title {
                    LabelTitle::Joined => "mot-dong",
                    LabelTitle::Separate => "hai-dong",
                }
                .to_owned(),
            );
        }
        if h.opening != was.opening {
            parts.push(
                match h.opening {
                    Opening::BanHanhKemTheo => "ban-hanh",
                    Opening::KemTheo => "kem-theo",
                }
                .to_owned(),
            );
        }
        if h.blank_date != was.blank_date {
            parts.push(
                match h.blank_date {
                    BlankDate::Long => "ngay-thang-nam",
                    BlankDate::Short => "ngay-gach",
                }
                .to_owned(),
            );
        }
        parts.join("-")
    }

    /// What differs from `layout`, as the clerk reads it.
    pub(super) fn described(&self, layout: &Layout) -> Text {
        let mut vi = Vec::new();
        let mut en = Vec::new();
        if let Some(levels) = self.subtotals {
            let (v, e) = levels_words(levels);
            vi.push(format!("số cộng trên dòng tiêu đề {v}"));
            en.push(format!("subtotals in the {e} heading rows"));
        }
        let (h, was) = (self.heading, layout.heading);
        if h.label_title != was.label_title {
            match h.label_title {
                LabelTitle::Joined => {
                    vi.push("“PHỤ LỤC …” và tên phụ lục chung một đoạn".to_owned());
                    en.push("“PHỤ LỤC …” and the title in one paragraph".to_owned());
                }
                LabelTitle::Separate => {
                    vi.push("“PHỤ LỤC …” và tên phụ lục ở hai đoạn".to_owned());
                    en.push("“PHỤ LỤC …” and the title in two paragraphs".to_owned());
                }
            }
        }
        if h.opening != was.opening {
            vi.push(format!("dòng “({} …)”", h.opening.words()));
            en.push(format!("the line “({} …)”", h.opening.words()));
        }
        if h.blank_date != was.blank_date {
            match h.blank_date {
                BlankDate::Long => {
                    vi.push("ngày để trống dạng “ngày … tháng … năm”".to_owned());
                    en.push("a blank date typed “ngày … tháng … năm”".to_owned());
                }
                BlankDate::Short => {
                    vi.push("ngày để trống dạng “ngày …/…/…”".to_owned());
                    en.push("a blank date typed “ngày …/…/…”".to_owned());
                }
            }
        }
        Text::new(vi.join("; "), en.join("; "))
    }

    /// Whether `layout` prints this form.
    pub(super) fn printed_by(&self, layout: &Layout) -> bool {
        let totals = match (self.subtotals, &layout.totals) {
            (None, _) => true,
            (Some((s, g)), Some(t)) => {
                t.subtotal_position == SubtotalPosition::Heading && t.sections == s && t.groups == g
            }
            (Some(_), None) => false,
        };
        totals && layout.heading == self.heading
    }
}

/// The levels named: (“phần và nhóm”, “section and group”) …
fn levels_words(levels: (bool, bool)) -> (&'static str, &'static str) {
    match levels {
        (true, true) => ("phần và nhóm", "section and group"),
        (true, false) => ("phần", "section"),
        _ => ("nhóm", "group"),
    }
}

/// The files of the variant of `kind` (named `name`) printing `target`: the kind's own,
/// its `layout.yaml` with a first comment saying where the variant comes from, its
/// schema line pointing at `schema`, its `name:` and the lines of the form changed. `None`
/// where the layout is not written one key per line where it needs changing.
pub(super) fn variant_files(
    kind_name: &str,
    kind: &Kind,
    target: &Target,
    source: &str,
    schema: &str,
) -> Option<BTreeMap<String, String>> {
    let layout = kind.files.get("layout.yaml")?;
    let mut lines: Vec<String> = layout.lines().map(str::to_owned).collect();
    let why = target.described(&kind.layout);
    // The schema line first, then the note.
    let schema_line = format!("# yaml-language-server: $schema={schema}");
    match lines.first() {
        Some(l) if l.starts_with("# yaml-language-server:") => lines[0] = schema_line,
        _ => lines.insert(0, schema_line),
    }
    lines.insert(
        1,
        format!(
            "# Biến thể của mẫu “{kind_name}” do phuluc import tạo từ {source}: in {} như tệp đó.",
            why.vi
        ),
    );
    // The name, quoted as JSON (a YAML double-quoted scalar).
    let name = format!("{} — theo {source}", kind.layout.name);
    let at = top_level(&lines, "name")?;
    lines[at] = format!("name: {}", serde_json::to_string(&name).ok()?);
    if let Some((sections, groups)) = target.subtotals {
        let at = top_level(&lines, "totals")?;
        if !rest_of(&lines[at], "totals").trim().is_empty()
            && !rest_of(&lines[at], "totals").trim_start().starts_with('#')
        {
            return None; // a flow mapping `totals: { … }`
        }
        let end = block_end(&lines, at);
        let note = "# biến thể: như tệp Word";
        for (key, value) in [
            ("subtotal_position", "heading"),
            ("sections", if sections { "true" } else { "false" }),
            ("groups", if groups { "true" } else { "false" }),
        ] {
            let line = format!("  {key}: {value}   {note}");
            match (at + 1..end).find(|&i| lines[i].trim_start().starts_with(&format!("{key}:"))) {
                Some(i) if indent(&lines[i]) == 2 => lines[i] = line,
                Some(_) => return None,
                None => lines.insert(at + 1, line),
            }
        }
    }
    if target.heading != kind.layout.heading {
        if let Some(at) = top_level(&lines, "heading") {
            let end = block_end(&lines, at);
            lines.drain(at..end);
        }
        let h = target.heading;
        let label_title = match h.label_title {
            LabelTitle::Joined => "joined",
            LabelTitle::Separate => "separate",
        };
        let opening = match h.opening {
            Opening::KemTheo => "kem-theo",
            Opening::BanHanhKemTheo => "ban-hanh-kem-theo",
        };
        let blank_date = match h.blank_date {
            BlankDate::Long => "long",
            BlankDate::Short => "short",
        };
        lines.extend([
            "# Khối tiêu đề in như tệp Word:".to_owned(),
            "heading:".to_owned(),
            format!("  label_title: {label_title}   # separate (hai đoạn) | joined (“PHỤ LỤC I. TÊN”)"),
            format!("  opening: {opening}   # kem-theo | ban-hanh-kem-theo"),
            format!("  blank_date: {blank_date}   # short (ngày …/…/2026) | long (ngày … tháng … năm 2026)"),
        ]);
    }
    let mut files = kind.files.clone();
    let mut text = lines.join("\n");
    text.push('\n');
    files.insert("layout.yaml".to_owned(), text);
    Some(files)
}

/// The line of top-level key `key` (`key:` at column 0).
fn top_level(lines: &[String], key: &str) -> Option<usize> {
    lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// What follows `key:` on `line`.
fn rest_of<'a>(line: &'a str, key: &str) -> &'a str {
    line.get(key.len() + 1..).unwrap_or("")
}

/// The line after the block opened at `at`: the first later line at column 0 that is
/// neither blank nor a comment.
fn block_end(lines: &[String], at: usize) -> usize {
    (at + 1..lines.len())
        .find(|&i| {
            let l = &lines[i];
            !l.trim().is_empty() && indent(l) == 0 && !l.starts_with('#')
        })
        .unwrap_or(lines.len())
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::templates::Templates;

    fn heading(joined: bool, reference: &str) -> Heading {
        Heading {
            label: Some("I".to_owned()),
            title: vec!["DỰ TOÁN".to_owned()],
            reference: Some(reference.to_owned()),
            size_pt: None,
            joined,
        }
    }

    #[test]
    fn a_budget_with_subtotals_in_its_group_rows_gets_a_variant_that_prints_them_there() {
        let templates = Templates::builtin().expect("built-in templates");
        let kind = templates.kind("kinh-phi").expect("kinh-phi");
        let plain = heading(
            false,
            "(Kèm theo Kế hoạch số /KH-UBND ngày / /2026 của UBND)",
        );
        assert_eq!(differences(kind, &plain, (false, false)), None);
        let target = differences(kind, &plain, (false, true)).expect("differs");
        assert_eq!(
            target.slug("kinh-phi", &kind.layout),
            "kinh-phi-cong-o-tieu-de"
        );
        let files = variant_files(
            "kinh-phi",
            kind,
            &target,
            "du-toan.docx",
            "../../schema/layout.schema.json",
        )
        .expect("files");
        let mut t = templates.clone();
        t.add_kind("kinh-phi-cong-o-tieu-de", std::path::Path::new("t"), &files)
            .expect("the variant checks");
        let v = t.kind("kinh-phi-cong-o-tieu-de").expect("added");
        assert!(target.printed_by(&v.layout));
        let totals = v.layout.totals.as_ref().expect("totals");
        assert_eq!(totals.subtotal_position, SubtotalPosition::Heading);
        assert!(totals.groups && !totals.sections);
        // Every other line as the kind has it.
        let old: Vec<&str> = kind.files["layout.yaml"].lines().collect();
        let new: Vec<&str> = files["layout.yaml"].lines().collect();
        let changed = new.iter().filter(|l| !old.contains(l)).count();
        assert_eq!(changed, 5, "{}", files["layout.yaml"]); // note, name, three totals keys
        assert_eq!(files["reference.hbs"], kind.files["reference.hbs"]);
    }

    #[test]
    fn an_office_heading_form_gets_a_variant_that_prints_it() {
        let templates = Templates::builtin().expect("built-in templates");
        let kind = templates.kind("nhiem-vu").expect("nhiem-vu");
        let h = heading(
            true,
            "(Ban hành kèm theo Kế hoạch số\u{a0}\u{a0}/KH-UBND ngày\u{a0}\u{a0}tháng\t\tnăm 2026 của UBND)",
        );
        let target = differences(kind, &h, (false, false)).expect("differs");
        assert_eq!(
            target.heading,
            HeadingLayout {
                label_title: LabelTitle::Joined,
                opening: Opening::BanHanhKemTheo,
                blank_date: BlankDate::Long,
            }
        );
        assert_eq!(
            target.slug("nhiem-vu", &kind.layout),
            "nhiem-vu-mot-dong-ban-hanh-ngay-thang-nam"
        );
        let files = variant_files("nhiem-vu", kind, &target, "x.docx", "s.json").expect("files");
        let mut t = templates.clone();
        t.add_kind("v", std::path::Path::new("t"), &files)
            .expect("checks");
        assert!(target.printed_by(&t.kind("v").expect("v").layout));
    }
}
