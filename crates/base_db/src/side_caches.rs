//! Caches kept beside salsa's memos: one value of each type per database,
//! shared by its snapshots, for queries that start from their own previous
//! result (salsa forgets an old result when it computes the new one).
//!
//! A query may use what these hold only to save work: its result must be what
//! it would compute without them, so that salsa's view of the query as a
//! function of its inputs stays true.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// One cache of each type, made on first use.
#[derive(Default)]
pub struct SideCaches {
    by_type: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl std::fmt::Debug for SideCaches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SideCaches").finish_non_exhaustive()
    }
}

impl SideCaches {
    /// The cache of type `T`.
    pub fn get<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut by_type = lock(&self.by_type);
        let cache = by_type
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()));
        Arc::clone(cache)
            .downcast::<T>()
            .expect("each type's cache is stored under its own TypeId")
    }
}

/// The values of the [`Recent::CAPACITY`] keys put last.
#[derive(Debug)]
pub struct Recent<K, V> {
    /// Oldest first.
    entries: Mutex<Vec<(K, V)>>,
}

impl<K, V> Default for Recent<K, V> {
    fn default() -> Self {
        Recent {
            entries: Mutex::new(Vec::new()),
        }
    }
}

impl<K: Eq + Hash, V> Recent<K, V> {
    /// How many values are kept: as many as the queries that use these
    /// caches keep of their own results (their `lru`), so that a file whose
    /// results salsa still holds has its entry here too (a file opened in an
    /// editor has just been analysed), and what is kept beyond salsa's own
    /// memos stays small.
    pub const CAPACITY: usize = 128;

    /// Removes the value of `key` and gives it, if it is kept.
    pub fn take(&self, key: &K) -> Option<V> {
        let mut entries = lock(&self.entries);
        let index = entries.iter().position(|(kept, _)| kept == key)?;
        Some(entries.remove(index).1)
    }

    /// Keeps `value` as the latest of `key`, forgetting the oldest value when
    /// full.
    pub fn put(&self, key: K, value: V) {
        let (replaced, forgotten) = {
            let mut entries = lock(&self.entries);
            let replaced = entries
                .iter()
                .position(|(kept, _)| *kept == key)
                .map(|index| entries.remove(index));
            let forgotten = (entries.len() >= Self::CAPACITY).then(|| entries.remove(0));
            entries.push((key, value));
            (replaced, forgotten)
        };
        // Freed after the lock is let go: a value can be a whole tree, and
        // the other threads wait for the lock meanwhile.
        drop((replaced, forgotten));
    }
}

/// A lock that a panic elsewhere (a cancelled query unwinds) does not poison:
/// every update of these caches leaves them whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
