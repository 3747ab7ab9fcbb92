//! Word's automatic numbering: the list definitions of `numbering.xml` and the counters
//! that run through a document, giving each numbered paragraph the label Word shows.
//!
//! Contract: [`read_numbering`] reads the part (levels with `w:start`, `w:numFmt`,
//! `w:lvlText`; each `w:num` with its `lvlOverride`/`startOverride`); [`Counters::next`]
//! counts one paragraph of a list at a level and returns its label ("4.2.", "II.",
//! "c)"), or `None` for bullets and lists it does not know. Counting continues across
//! cells and tables, as in Word; a deeper level restarts when a shallower one counts.
//! The running count belongs to the list definition (`w:abstractNum`), not to each
//! instance (`w:num`), as ECMA-376 §17.9 has it and Word and LibreOffice do: instances
//! of one definition continue each other (LibreOffice writes one list as several), and
//! an instance with a `startOverride` restarts its overridden levels where it is first
//! used (Word's “Restart numbering”).

use std::collections::HashMap;

use roxmltree::Node;

use super::xml::{W_STRICT, W_TRANSITIONAL, is_w, w_val};

/// A `w:numPr`: numbering id and, when given, level.
pub(super) fn num_pr(np: Node, w: &str) -> Option<(String, Option<usize>)> {
    let val = |name: &str| w_val(np, w, name);
    let id = val("numId")?.to_owned();
    let level = val("ilvl")
        .and_then(|l| l.parse::<usize>().ok())
        .map(|l| l.min(8));
    Some((id, level))
}

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// `numbering.xml`: each list instance's levels, and its start overrides.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    /// numId → its list.
    nums: HashMap<String, List>,
}

/// One list instance (`w:num`).
#[derive(Debug)]
struct List {
    /// The definition it is an instance of (`w:abstractNumId`): whose count it shares.
    definition: String,
    /// Its nine levels, after `lvlOverride`.
    levels: Vec<Option<Level>>,
    /// Start overrides by level.
    starts: HashMap<usize, u32>,
}

pub(super) fn read_numbering(doc: &roxmltree::Document) -> Numbering {
    let root = doc.root_element();
    let w = match root.tag_name().namespace() {
        Some(W_STRICT) => W_STRICT,
        _ => W_TRANSITIONAL,
    };
    let el = |n: &Node, name: &str| is_w(*n, w, name);
    let val = |n: Node, name: &str| w_val(n, w, name).map(str::to_owned);
    let levels_of = |n: Node| -> Vec<(usize, Level)> {
        n.children()
            .filter(|c| el(c, "lvl"))
            .filter_map(|l| {
                let ilvl = l.attribute((w, "ilvl"))?.parse::<usize>().ok()?;
                (ilvl < 9).then(|| {
                    (
                        ilvl,
                        Level {
                            start: val(l, "start").and_then(|s| s.parse().ok()).unwrap_or(1),
                            format: val(l, "numFmt").unwrap_or_else(|| "decimal".to_owned()),
                            text: val(l, "lvlText").unwrap_or_default(),
                        },
                    )
                })
            })
            .collect()
    };
    let mut abstracts: HashMap<String, Vec<Option<Level>>> = HashMap::new();
    for a in root.children().filter(|c| el(c, "abstractNum")) {
        let Some(id) = a.attribute((w, "abstractNumId")) else {
            continue;
        };
        let mut levels = vec![None; 9];
        for (i, l) in levels_of(a) {
            levels[i] = Some(l);
        }
        abstracts.insert(id.to_owned(), levels);
    }
    let mut numbering = Numbering::default();
    for n in root.children().filter(|c| el(c, "num")) {
        let Some(id) = n.attribute((w, "numId")) else {
            continue;
        };
        let Some(definition) = val(n, "abstractNumId") else {
            continue;
        };
        let Some(mut levels) = abstracts.get(&definition).cloned() else {
            continue;
        };
        let mut starts = HashMap::new();
        for o in n.children().filter(|c| el(c, "lvlOverride")) {
            let Some(ilvl) = o
                .attribute((w, "ilvl"))
                .and_then(|l| l.parse::<usize>().ok())
                .filter(|l| *l < 9)
            else {
                continue;
            };
            if let Some(s) = val(o, "startOverride").and_then(|s| s.parse().ok()) {
                starts.insert(ilvl, s);
            }
            for (i, l) in levels_of(o) {
                levels[i] = Some(l);
            }
        }
        numbering.nums.insert(
            id.to_owned(),
            List {
                definition,
                levels,
                starts,
            },
        );
    }
    numbering
}

/// A list counter in a level's format; `None` for bullets and formats not read.
fn format_counter(n: u32, format: &str) -> Option<String> {
    let letter = |n: u32, base: u8| {
        // a … z, then aa … zz, as Word does.
        let n = n.max(1) - 1;
        let c = char::from(base + (n % 26) as u8);
        c.to_string().repeat((n / 26 + 1).min(64) as usize)
    };
    Some(match format {
        "decimal" => n.to_string(),
        "decimalZero" => format!("{n:02}"),
        "upperRoman" => crate::compose::numbering::roman(n.min(100_000) as usize),
        "lowerRoman" => crate::compose::numbering::roman(n.min(100_000) as usize).to_lowercase(),
        "upperLetter" => letter(n, b'A'),
        "lowerLetter" => letter(n, b'a'),
        _ => return None,
    })
}

/// The counters of each list definition as the document runs (lists continue across
/// cells and tables, and across the instances of one definition, as in Word).
#[derive(Debug, Default)]
pub(super) struct Counters {
    /// abstractNumId → the count at each level (`None`: not counted since its restart).
    by_definition: HashMap<String, [Option<u32>; 9]>,
    /// The instances already met: a start override restarts only on the first.
    met: std::collections::HashSet<String>,
}

impl Counters {
    /// The label of the next paragraph of list `num` at `level` ("4.2.", "II.", "b)");
    /// `None` for a bullet or a list the numbering part does not define.
    pub(super) fn next(
        &mut self,
        numbering: &Numbering,
        num: &str,
        level: usize,
    ) -> Option<String> {
        let list = numbering.nums.get(num)?;
        let (levels, starts) = (&list.levels, &list.starts);
        let def = levels.get(level)?.as_ref()?;
        let counters = self
            .by_definition
            .entry(list.definition.clone())
            .or_insert([None; 9]);
        // An instance restarting levels: where it is first used, those levels (and the
        // deeper ones) count again from its start overrides.
        if self.met.insert(num.to_owned())
            && let Some(first) = starts.keys().copied().filter(|l| *l < 9).min()
        {
            for c in counters.iter_mut().skip(first) {
                *c = None;
            }
        }
        let start = starts.get(&level).copied().unwrap_or(def.start);
        counters[level] = Some(counters[level].map_or(start, |c| c.saturating_add(1)));
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        format_counter(1, &def.format)?;
        let mut label = String::new();
        let mut chars = def.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let k = d as usize - 1;
                let lvl = levels.get(k).and_then(Option::as_ref);
                let value = counters[k].unwrap_or_else(|| {
                    starts
                        .get(&k)
                        .copied()
                        .unwrap_or_else(|| lvl.map_or(1, |l| l.start))
                });
                label.push_str(&format_counter(
                    value,
                    lvl.map_or("decimal", |l| &l.format),
                )?);
            } else {
                label.push(c);
            }
        }
        Some(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What LibreOffice writes for one list restarted once (found re-saving a
    /// python-docx appendix): instance 10 restarts the definition, instances 11 and 12
    /// continue it. Counted per instance, 11 and 12 each started again at "1.1".
    #[test]
    fn list_instances_of_one_definition_share_their_count() {
        let xml = format!(
            r#"<w:numbering xmlns:w="{W_TRANSITIONAL}"><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="7"/></w:num><w:num w:numId="10"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num><w:num w:numId="11"><w:abstractNumId w:val="7"/></w:num><w:num w:numId="12"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#
        );
        let doc = roxmltree::Document::parse(&xml).expect("xml");
        let numbering = read_numbering(&doc);
        let mut counters = Counters::default();
        let labels: Vec<Option<String>> = [
            ("7", 0),
            ("7", 1),
            ("7", 0),
            ("7", 1),
            ("10", 0),
            ("11", 1),
            ("12", 1),
            ("7", 1),
            ("10", 0),
        ]
        .iter()
        .map(|(num, level)| counters.next(&numbering, num, *level))
        .collect();
        let want = ["1.", "1.1", "2.", "2.1", "1.", "1.1", "1.2", "1.3", "2."];
        assert_eq!(labels, want.map(|s| Some(s.to_owned())));
    }
}
