//! One sort routine for the whole app.
//!
//! Every `sort_by` / `sort_by_key` call in Rust instantiates the standard library's whole sort
//! (driftsort, quicksort, small-sorts) for its element and closure types: ten call sites cost
//! ~35 KB of wasm. Here the caller only maps each item to a [`Rank`]; the sorting itself runs once,
//! on `(Rank, index)` pairs, and the generic part left per call site is a few lines that move the
//! items into their new order.

/// What items are ordered by: ascending, first field first. Negate a field to sort it
/// descending (newest first, most severe first).
pub type Rank = (i64, i64);

/// Sorts `items` by `rank`, ascending; items of equal rank keep their order (stable).
pub fn sort_by_rank<T>(items: &mut Vec<T>, rank: impl Fn(&T) -> Rank) {
    let keys: Vec<(Rank, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, t)| (rank(t), i))
        .collect();
    let order = sorted_indices(keys);
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take)),
    );
}

/// The indices of `keys` in ascending key order; the index breaks ties, so the result is stable.
#[inline(never)]
fn sorted_indices(mut keys: Vec<(Rank, usize)>) -> Vec<usize> {
    keys.sort_unstable();
    keys.into_iter().map(|(_, i)| i).collect()
}

/// A rank for a non-negative score kept to a millionth (search relevance, distances): the
/// float is never formatted or compared by the sort itself.
pub fn fixed(score: f64) -> i64 {
    (score * 1_000_000.0) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_ascending_by_first_then_second_field() {
        let mut v = vec![(2, 1), (1, 5), (2, 0), (1, 2)];
        sort_by_rank(&mut v, |&(a, b)| (a, b));
        assert_eq!(v, vec![(1, 2), (1, 5), (2, 0), (2, 1)]);
    }

    #[test]
    fn equal_ranks_keep_their_input_order() {
        let mut v = vec!["b1", "a1", "b2", "a2", "b3"];
        sort_by_rank(&mut v, |s| (i64::from(s.as_bytes()[0]), 0));
        assert_eq!(v, vec!["a1", "a2", "b1", "b2", "b3"]);
    }

    #[test]
    fn negated_rank_sorts_descending_and_nothing_is_lost() {
        let mut v: Vec<String> = (0..50).map(|i| format!("{:02}", (i * 7) % 50)).collect();
        sort_by_rank(&mut v, |s| (-s.parse::<i64>().unwrap_or(0), 0));
        let want: Vec<String> = (0..50).rev().map(|i| format!("{i:02}")).collect();
        assert_eq!(v, want);
    }

    #[test]
    fn fixed_keeps_score_order() {
        assert!(fixed(0.5) < fixed(0.75));
        assert!(fixed(0.000_002) > fixed(0.000_001));
        assert_eq!(fixed(0.0), 0);
    }
}
