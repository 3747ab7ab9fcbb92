//! Pairing things of the old version with things of the new one.
//!
//! Contract: pure, deterministic helpers that the comparison runs in stages — exact keys
//! first (an `id`, then identical content), then a greedy pass over similarity scores —
//! and an order check ([`in_order`]) that tells which paired things kept their relative
//! order. Nothing here knows what a row is.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// Which old thing became which new thing (at most one each way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    /// For each old index, its new counterpart.
    pub old_to_new: Vec<Option<usize>>,
    /// For each new index, its old counterpart.
    pub new_to_old: Vec<Option<usize>>,
}

impl Pairing {
    /// Nothing paired yet.
    pub fn new(old: usize, new: usize) -> Self {
        Pairing {
            old_to_new: vec![None; old],
            new_to_old: vec![None; new],
        }
    }

    /// Pairs `old` with `new`; both must be free.
    pub fn pair(&mut self, old: usize, new: usize) {
        self.old_to_new[old] = Some(new);
        self.new_to_old[new] = Some(old);
    }

    /// Whether both are still unpaired.
    pub fn free(&self, old: usize, new: usize) -> bool {
        self.old_to_new[old].is_none() && self.new_to_old[new].is_none()
    }

    /// Old indices still unpaired.
    pub fn free_old(&self) -> Vec<usize> {
        (0..self.old_to_new.len())
            .filter(|&i| self.old_to_new[i].is_none())
            .collect()
    }

    /// New indices still unpaired.
    pub fn free_new(&self) -> Vec<usize> {
        (0..self.new_to_old.len())
            .filter(|&i| self.new_to_old[i].is_none())
            .collect()
    }
}

/// Pairs free things with equal keys (`None` never pairs). Among several old things with
/// the same key, the first free one goes to the first new one, and so on, so duplicates
/// keep their order. `compatible` can veto a pair (two different `id`s).
pub fn by_key<K: Hash + Eq>(
    pairing: &mut Pairing,
    old_keys: &[Option<K>],
    new_keys: &[Option<K>],
    compatible: impl Fn(usize, usize) -> bool,
) {
    let mut queues: HashMap<&K, VecDeque<usize>> = HashMap::new();
    for (i, key) in old_keys.iter().enumerate() {
        if let Some(key) = key
            && pairing.old_to_new[i].is_none()
        {
            queues.entry(key).or_default().push_back(i);
        }
    }
    for (j, key) in new_keys.iter().enumerate() {
        let Some(key) = key else { continue };
        if pairing.new_to_old[j].is_some() {
            continue;
        }
        let Some(queue) = queues.get_mut(key) else {
            continue;
        };
        if let Some(k) = queue.iter().position(|&i| compatible(i, j))
            && let Some(i) = queue.remove(k)
        {
            pairing.pair(i, j);
        }
    }
}

/// A possible pair and how good it is.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Similarity, higher is better.
    pub score: f32,
    /// Old index.
    pub old: usize,
    /// New index.
    pub new: usize,
    /// Tie-break, lower is better (how far apart the two are in their documents).
    pub distance: usize,
}

/// Pairs the best candidates first, each thing at most once.
pub fn greedy(pairing: &mut Pairing, mut candidates: Vec<Candidate>) {
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.distance.cmp(&b.distance))
            .then(a.old.cmp(&b.old))
            .then(a.new.cmp(&b.new))
    });
    for c in candidates {
        if pairing.free(c.old, c.new) {
            pairing.pair(c.old, c.new);
        }
    }
}

/// Given the old positions of paired things listed in their new order, marks the ones
/// forming a longest increasing run (those that kept their relative order); the others
/// are the ones that moved. Ties go to the earliest, so the result is deterministic.
pub fn in_order(old_positions: &[usize]) -> Vec<bool> {
    let n = old_positions.len();
    // Patience sorting: tails[k] is the index ending the best run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let value = old_positions[i];
        let at = tails.partition_point(|&t| old_positions[t] < value);
        previous[i] = at.checked_sub(1).map(|k| tails[k]);
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut keep = vec![false; n];
    let mut cursor = tails.last().copied();
    while let Some(i) = cursor {
        keep[i] = true;
        cursor = previous[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_pair_in_order_and_respect_vetoes() {
        let mut p = Pairing::new(3, 3);
        let old = [Some("a"), Some("b"), Some("a")];
        let new = [Some("a"), Some("a"), None];
        by_key(&mut p, &old, &new, |i, _| i != 0);
        assert_eq!(p.new_to_old, [Some(2), None, None]);
    }

    #[test]
    fn greedy_takes_the_best_first() {
        let mut p = Pairing::new(2, 2);
        let c = |score, old, new| Candidate {
            score,
            old,
            new,
            distance: 0,
        };
        greedy(&mut p, vec![c(0.6, 0, 0), c(0.9, 0, 1), c(0.7, 1, 1)]);
        assert_eq!(p.old_to_new, [Some(1), None]);
    }

    #[test]
    fn one_moved_element_is_out_of_order() {
        // Old row 2 moved to the front.
        assert_eq!(in_order(&[2, 0, 1, 3]), [false, true, true, true]);
        assert_eq!(in_order(&[0, 1, 2]), [true, true, true]);
        assert!(in_order(&[]).is_empty());
    }
}
