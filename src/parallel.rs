//! Running independent work on all cores: loading, checking and generating
//! are each independent per proposal. rayon's pool of one thread per core
//! does the work, whatever the number of items (nothing here spawns a
//! thread per item).

use rayon::prelude::*;

/// Fewer items than this run on the calling thread. rayon's hand-off costs
/// microseconds, and one proposal's checks (pattern analysis, sample
/// payloads) can take a second: a few dozen proposals are worth spreading.
const SERIAL_BELOW: usize = 2;

/// Slices [`par_chunks`] gives each core.
const SLICES_PER_THREAD: usize = 4;

/// `f` over `items` on all cores, results in the order of `items`.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < SERIAL_BELOW {
        return items.iter().map(f).collect();
    }
    items.par_iter().map(f).collect()
}

/// `f` over `items` split into a few slices per core, results in order:
/// for work with a per-slice setup cost (`f` sets up once per slice).
/// Several slices a core let a core that was busy elsewhere (see [`join`])
/// or got the cheaper items take its share of the rest.
pub fn par_chunks<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&[T]) -> Vec<R> + Sync + Send,
) -> Vec<R> {
    let threads = rayon::current_num_threads();
    if threads < 2 || items.len() < SERIAL_BELOW {
        return f(items);
    }
    items
        .par_chunks(items.len().div_ceil(threads * SLICES_PER_THREAD))
        .flat_map_iter(f)
        .collect()
}

/// `a` and `b` side by side.
pub fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    rayon::join(a, b)
}
