//! Runs a query over a batch of files on the pool's threads, the largest
//! first: each thread takes the next item when it is done with one, so the
//! batch does not end with one thread busy on a large module while the
//! others wait.

use std::sync::atomic::{AtomicUsize, Ordering};

use ide::Analysis;
use rayon::prelude::*;

/// `query` on every item, with the results in the order of `items`.
/// `weights[i]` is how long item `i` is expected to take (its file's size).
pub(super) fn largest_first<I: Sync, T: Send>(
    analysis: &Analysis,
    items: &[I],
    weights: &[usize],
    query: impl Fn(&Analysis, &I) -> ide::Cancellable<T> + Sync,
) -> ide::Cancellable<Vec<T>> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(weights.get(index).copied().unwrap_or(0)));
    let next = AtomicUsize::new(0);
    let threads = rayon::current_num_threads().min(items.len()).max(1);
    // A snapshot for each thread: a snapshot is not shared between threads.
    let snapshots: Vec<Analysis> = (0..threads).map(|_| analysis.clone()).collect();
    let done: Vec<ide::Cancellable<Vec<(usize, T)>>> = snapshots
        .into_par_iter()
        .map(|analysis| {
            let mut done = Vec::new();
            while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                match query(&analysis, &items[index]) {
                    Ok(result) => done.push((index, result)),
                    Err(cancelled) => {
                        // The others stop at their next item.
                        next.store(order.len(), Ordering::Relaxed);
                        return Err(cancelled);
                    }
                }
            }
            Ok(done)
        })
        .collect();
    let mut results = Vec::with_capacity(items.len());
    for thread in done {
        results.extend(thread?);
    }
    results.sort_unstable_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}
