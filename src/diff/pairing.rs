//! Which section, group and row of the old version became which of the new one, and
//! which of them moved.
//!
//! Contract: pure and deterministic. Rows pair first, over the whole appendix so a row
//! that went to another group is still found: by `id`, then identical content, then main
//! text and agencies, then main text alone, then similarity ≥ [`THRESHOLD`] of main text
//! and agencies (the `similar` crate's ratio over words). Sections and groups pair after
//! them: implicit ones with their parent, then by `id`, then by heading similarity
//! together with the share of rows they hold in common. A paired thing whose parent is not
//! its old parent's counterpart moved; among those under the same parents, the ones out of
//! the longest run kept in order moved. Plans of thousands of rows stay fast: past
//! [`PAIR_BUDGET`] candidate pairs, similarity is only scored inside the hunks between
//! rows that kept their place, as a line diff does.

use std::collections::HashMap;

use super::keys::{Column, row_keys};
use super::matching::{Candidate, Pairing, by_key, greedy, in_order};
use super::outline::Outline;
use super::words::{bag_ratio, ratio, tokens};

/// Rows (and headings) this alike or more are the same thing edited; below, one was
/// removed and another added. Half the words in order is where a clerk would say "the
/// row was rewritten" rather than "edited".
pub const THRESHOLD: f32 = 0.5;

/// Up to this many free old × new rows, every pair is scored (a row edited and moved far
/// is still found); above it, see [`fuzzy_pairs`]. About a second of scoring at worst.
const PAIR_BUDGET: usize = 20_000;
/// Rows this alike at the same place of a hunk are paired at once in a long plan.
const SURE: f32 = 0.8;
/// How many new rows ahead [`walk`] looks for an old row's counterpart.
const LOOKAHEAD: usize = 6;
/// How many rows either side of the expected position are scored in a huge hunk.
const WINDOW: usize = 25;

/// The pairings of one appendix's two outlines.
pub struct Pairings {
    /// Rows.
    pub rows: Pairing,
    /// Sections.
    pub sections: Pairing,
    /// Groups.
    pub groups: Pairing,
    /// For each new row: whether it moved.
    pub row_moved: Vec<bool>,
    /// For each new group: whether it moved.
    pub group_moved: Vec<bool>,
    /// For each new section: whether it moved.
    pub section_moved: Vec<bool>,
}

/// Pairs everything of `o` (old) with `n` (new); `cols` are the table's body columns.
pub fn pair(o: &Outline, n: &Outline, cols: &[Column]) -> Pairings {
    let rows = match_rows(o, n, cols);

    // Sections and groups, paired with the help of the rows they share.
    let row_section = |x: &Outline, r: usize| x.groups[x.rows[r].group].section;
    let mut section_votes: HashMap<(usize, usize), usize> = HashMap::new();
    let mut group_votes: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, j) in rows.old_to_new.iter().enumerate() {
        if let Some(j) = *j {
            *section_votes
                .entry((row_section(o, i), row_section(n, j)))
                .or_default() += 1;
            *group_votes
                .entry((o.rows[i].group, n.rows[j].group))
                .or_default() += 1;
        }
    }
    let implicit_sections: Vec<(usize, usize)> = o
        .sections
        .iter()
        .position(|s| s.section.implicit)
        .zip(n.sections.iter().position(|s| s.section.implicit))
        .into_iter()
        .collect();
    let sections = match_containers(
        &section_list(o),
        &section_list(n),
        &section_votes,
        &implicit_sections,
    );
    // An implicit group is its section's body: it pairs when its section does.
    let implicit_groups: Vec<(usize, usize)> = o
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.group.implicit)
        .filter_map(|(i, g)| {
            let s = sections.old_to_new[g.section]?;
            let j = n
                .groups
                .iter()
                .position(|h| h.section == s && h.group.implicit)?;
            Some((i, j))
        })
        .collect();
    let groups = match_containers(
        &group_list(o),
        &group_list(n),
        &group_votes,
        &implicit_groups,
    );

    let section_moved = moved(
        &sections,
        None,
        |_, _| (0, 0),
        |j| n.sections[j].section.implicit,
    );
    let group_moved = moved(
        &groups,
        Some(&sections),
        |i, j| (o.groups[i].section, n.groups[j].section),
        |j| n.groups[j].group.implicit,
    );
    let row_moved = moved(
        &rows,
        Some(&groups),
        |i, j| (o.rows[i].group, n.rows[j].group),
        |_| false,
    );
    Pairings {
        rows,
        sections,
        groups,
        row_moved,
        group_moved,
        section_moved,
    }
}

fn compatible_ids(a: Option<&String>, b: Option<&String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

fn match_rows(old: &Outline, new: &Outline, cols: &[Column]) -> Pairing {
    let mut p = Pairing::new(old.rows.len(), new.rows.len());
    let ids =
        |o: &Outline| -> Vec<Option<String>> { o.rows.iter().map(|r| r.item.id.clone()).collect() };
    by_key(&mut p, &ids(old), &ids(new), |_, _| true);
    // Two rows with different ids are different rows, however alike.
    let ok = |i: usize, j: usize| {
        compatible_ids(old.rows[i].item.id.as_ref(), new.rows[j].item.id.as_ref())
    };
    let keys = |o: &Outline| -> Vec<(String, String, String)> {
        o.rows.iter().map(|r| row_keys(r.item, cols)).collect()
    };
    let (ko, kn) = (keys(old), keys(new));
    let pick = |k: &[(String, String, String)], which: usize| -> Vec<Option<String>> {
        k.iter()
            .map(|(all, main_lists, main)| {
                let s = [all, main_lists, main][which];
                (!s.is_empty()).then(|| s.clone())
            })
            .collect()
    };
    for which in 0..3 {
        by_key(&mut p, &pick(&ko, which), &pick(&kn, which), ok);
    }
    // What is left was edited (or really added and removed): pair by similarity.
    let mut wo: HashMap<usize, (Vec<&str>, Vec<&str>)> = HashMap::new();
    let mut wn: HashMap<usize, (Vec<&str>, Vec<&str>)> = HashMap::new();
    let hunks = hunks(&p);
    if hunks.len() > 1
        || hunks
            .iter()
            .any(|(o, n)| o.len().saturating_mul(n.len()) > PAIR_BUDGET)
    {
        // A long plan with many edits: first pair rows standing at the same place of their
        // hunk when they are plainly the same row edited, as a line diff pairs the lines
        // of a changed hunk; the window search below then has little left to do.
        let mut sure = |i: usize, j: usize| {
            let (a, _) = wo.entry(i).or_insert_with(|| words(&ko[i]));
            let (b, _) = wn.entry(j).or_insert_with(|| words(&kn[j]));
            ok(i, j) && ratio(a, b) >= SURE
        };
        for (gap_old, gap_new) in &hunks {
            // Forwards, then backwards: a block of inserted rows anywhere in the hunk
            // stops one walk but not the other.
            walk(&mut p, gap_old.iter(), gap_new.iter(), &mut sure);
            walk(
                &mut p,
                gap_old.iter().rev(),
                gap_new.iter().rev(),
                &mut sure,
            );
        }
    }
    let pairs = fuzzy_pairs(&p, &hunks);
    let mut candidates = Vec::new();
    for (i, j) in pairs {
        if !ok(i, j) {
            continue;
        }
        let (a, a_sorted) = wo.entry(i).or_insert_with(|| words(&ko[i]));
        let (b, b_sorted) = wn.entry(j).or_insert_with(|| words(&kn[j]));
        // The cheap bound first: most unlike pairs stop here.
        if bag_ratio(a_sorted, b_sorted) < THRESHOLD {
            continue;
        }
        let score = ratio(a, b);
        if score >= THRESHOLD {
            candidates.push(Candidate {
                score,
                old: i,
                new: j,
                distance: i.abs_diff(j),
            });
        }
    }
    greedy(&mut p, candidates);
    p
}

/// Walks the old rows of a hunk in order, each looking for its counterpart among the next
/// [`LOOKAHEAD`] free new rows after the last one paired: pairs the first that `sure`
/// accepts. Rows inserted or removed in small numbers do not derail it; each old row
/// costs at most `LOOKAHEAD` comparisons.
fn walk<'a>(
    p: &mut Pairing,
    old: impl Iterator<Item = &'a usize>,
    new: impl Iterator<Item = &'a usize> + Clone,
    sure: &mut impl FnMut(usize, usize) -> bool,
) {
    let mut rest = new;
    for &i in old {
        if p.old_to_new[i].is_some() {
            continue;
        }
        let mut ahead = rest.clone();
        for _ in 0..LOOKAHEAD {
            let Some(&j) = ahead.next() else { break };
            if p.new_to_old[j].is_none() && sure(i, j) {
                p.pair(i, j);
                rest = ahead;
                break;
            }
        }
    }
}

/// The free rows between consecutive anchors (paired rows that kept their order), as
/// (old rows, new rows) — the hunks of a line diff. One hunk of all free rows when there
/// are few enough to score every pair.
fn hunks(p: &Pairing) -> Vec<(Vec<usize>, Vec<usize>)> {
    let (free_old, free_new) = (p.free_old(), p.free_new());
    if free_old.len().saturating_mul(free_new.len()) <= PAIR_BUDGET {
        return vec![(free_old, free_new)];
    }
    let paired: Vec<(usize, usize)> = p
        .new_to_old
        .iter()
        .enumerate()
        .filter_map(|(j, i)| i.map(|i| (i, j)))
        .collect();
    let olds: Vec<usize> = paired.iter().map(|&(i, _)| i).collect();
    let mut anchors: Vec<(usize, usize)> = paired
        .iter()
        .zip(in_order(&olds))
        .filter(|(_, keep)| *keep)
        .map(|(&pair, _)| pair)
        .collect();
    anchors.push((p.old_to_new.len(), p.new_to_old.len()));
    let mut out = Vec::new();
    let (mut from_old, mut from_new) = (0, 0);
    for (to_old, to_new) in anchors {
        let gap_old: Vec<usize> = (from_old..to_old)
            .filter(|&i| p.old_to_new[i].is_none())
            .collect();
        let gap_new: Vec<usize> = (from_new..to_new)
            .filter(|&j| p.new_to_old[j].is_none())
            .collect();
        if !gap_old.is_empty() && !gap_new.is_empty() {
            out.push((gap_old, gap_new));
        }
        (from_old, from_new) = (to_old + 1, to_new + 1);
    }
    out
}

/// The (old, new) pairs of still-free rows worth scoring: every pair inside a hunk, or,
/// in a hunk too large for that (every row of a long plan edited at once), those within
/// [`WINDOW`] rows of the hunk's diagonal.
fn fuzzy_pairs(p: &Pairing, hunks: &[(Vec<usize>, Vec<usize>)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (gap_old, gap_new) in hunks {
        let gap_old: Vec<usize> = gap_old
            .iter()
            .copied()
            .filter(|&i| p.old_to_new[i].is_none())
            .collect();
        let gap_new: Vec<usize> = gap_new
            .iter()
            .copied()
            .filter(|&j| p.new_to_old[j].is_none())
            .collect();
        let (lo, ln) = (gap_old.len(), gap_new.len());
        if lo.saturating_mul(ln) <= PAIR_BUDGET {
            out.extend(
                gap_old
                    .iter()
                    .flat_map(|&i| gap_new.iter().map(move |&j| (i, j))),
            );
        } else {
            for (x, &i) in gap_old.iter().enumerate() {
                let expected = x * ln / lo.max(1);
                let start = expected.saturating_sub(WINDOW);
                let end = (expected + WINDOW + 1).min(ln);
                out.extend(gap_new[start..end].iter().map(|&j| (i, j)));
            }
        }
    }
    out
}

/// A section or group as the pairing sees it.
struct Container<'a> {
    id: Option<&'a String>,
    heading: Option<&'a String>,
    implicit: bool,
    rows: usize,
}

/// A row's words for fuzzy pairing, as written and sorted (for [`bag_ratio`]).
fn words(keys: &(String, String, String)) -> (Vec<&str>, Vec<&str>) {
    let w = tokens(&keys.1);
    let mut sorted = w.clone();
    sorted.sort_unstable();
    (w, sorted)
}

fn section_list<'a>(x: &'a Outline<'a>) -> Vec<Container<'a>> {
    x.sections
        .iter()
        .enumerate()
        .map(|(k, s)| Container {
            id: s.section.id.as_ref(),
            heading: s.section.heading.as_ref(),
            implicit: s.section.implicit,
            rows: x
                .rows
                .iter()
                .filter(|r| x.groups[r.group].section == k)
                .count(),
        })
        .collect()
}

fn group_list<'a>(x: &'a Outline<'a>) -> Vec<Container<'a>> {
    x.groups
        .iter()
        .map(|g| Container {
            id: g.group.id.as_ref(),
            heading: g.group.heading.as_ref(),
            implicit: g.group.implicit,
            rows: g.group.items.len(),
        })
        .collect()
}

/// How alike two headings are; two absent headings are alike.
fn heading_ratio(a: Option<&String>, b: Option<&String>) -> f32 {
    match (a, b) {
        (None, None) => 1.0,
        (Some(a), Some(b)) => ratio(&tokens(a), &tokens(b)),
        _ => 0.0,
    }
}

/// Pairs containers: `forced` pairs first (implicit ones), then ids, then — among those
/// sharing rows — a score of heading similarity and the share of rows held in common
/// (`votes`), then identical headings, then (for empty containers) similar headings.
fn match_containers(
    old: &[Container],
    new: &[Container],
    votes: &HashMap<(usize, usize), usize>,
    forced: &[(usize, usize)],
) -> Pairing {
    let mut p = Pairing::new(old.len(), new.len());
    for &(i, j) in forced {
        if p.free(i, j) {
            p.pair(i, j);
        }
    }
    let ids = |list: &[Container]| -> Vec<Option<String>> {
        list.iter()
            .map(|c| c.id.filter(|_| !c.implicit).cloned())
            .collect()
    };
    by_key(&mut p, &ids(old), &ids(new), |_, _| true);
    let ok = |i: usize, j: usize| {
        !old[i].implicit && !new[j].implicit && compatible_ids(old[i].id, new[j].id)
    };
    // Containers that share rows: only those pairs are scored (rows vote sparsely, so a
    // plan with thousands of groups is not compared all against all).
    let mut candidates = Vec::new();
    for (&(i, j), &shared) in votes {
        if !p.free(i, j) || !ok(i, j) {
            continue;
        }
        let (a, b) = (&old[i], &new[j]);
        // Row counts stay far below f32's exact-integer range.
        let overlap = shared as f32 / a.rows.max(b.rows) as f32;
        let score = 0.5 * heading_ratio(a.heading, b.heading) + 0.5 * overlap;
        if score >= THRESHOLD {
            candidates.push(Candidate {
                score,
                old: i,
                new: j,
                distance: i.abs_diff(j),
            });
        }
    }
    greedy(&mut p, candidates);
    // Sharing no row, the same heading (or none on both) still makes the same container.
    let headings = |list: &[Container], free: &[Option<usize>]| -> Vec<Option<String>> {
        list.iter()
            .zip(free)
            .map(|(c, paired)| {
                (paired.is_none() && !c.implicit).then(|| c.heading.cloned().unwrap_or_default())
            })
            .collect()
    };
    let (ho, hn) = (headings(old, &p.old_to_new), headings(new, &p.new_to_old));
    by_key(&mut p, &ho, &hn, ok);
    // Empty containers have only their headings to go by: alike enough is the same.
    let empty_old: Vec<usize> = p
        .free_old()
        .into_iter()
        .filter(|&i| old[i].rows == 0)
        .collect();
    let empty_new: Vec<usize> = p
        .free_new()
        .into_iter()
        .filter(|&j| new[j].rows == 0)
        .collect();
    let mut candidates = Vec::new();
    for &i in &empty_old {
        for &j in &empty_new {
            let score = heading_ratio(old[i].heading, new[j].heading);
            if ok(i, j) && score >= THRESHOLD {
                candidates.push(Candidate {
                    score,
                    old: i,
                    new: j,
                    distance: i.abs_diff(j),
                });
            }
        }
    }
    greedy(&mut p, candidates);
    p
}

/// For each new element paired with an old one: whether it moved. `parent` gives the
/// (old parent, new parent) of a pair; a pair whose old parent is not paired with its new
/// parent moved; among pairs under the same parents, those out of the longest run kept in
/// order moved. `skip` leaves elements out (implicit groups).
fn moved(
    pairing: &Pairing,
    parent_pairing: Option<&Pairing>,
    parent: impl Fn(usize, usize) -> (usize, usize),
    skip: impl Fn(usize) -> bool,
) -> Vec<bool> {
    let mut moved = vec![false; pairing.new_to_old.len()];
    let mut buckets: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for (j, old) in pairing.new_to_old.iter().enumerate() {
        let Some(i) = *old else { continue };
        if skip(j) {
            continue;
        }
        let (po, pn) = parent(i, j);
        let same_parent = parent_pairing.is_none_or(|pp| pp.old_to_new[po] == Some(pn));
        if same_parent {
            buckets.entry(pn).or_default().push((j, i));
        } else {
            moved[j] = true;
        }
    }
    for pairs in buckets.values() {
        let olds: Vec<usize> = pairs.iter().map(|&(_, i)| i).collect();
        for (&(j, _), keep) in pairs.iter().zip(in_order(&olds)) {
            if !keep {
                moved[j] = true;
            }
        }
    }
    moved
}
