//! A small per-process map whose entries live a fixed time, for lookups every request repeats
//! (see [`crate::auth_cache`]).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long an entry is reused by default.
pub(crate) const TTL: Duration = Duration::from_secs(2);
/// Most entries kept by default; past it expired entries go, and if that is not enough, all of
/// them (a cache that is cleared now and then is still a cache; one that grows is a leak).
pub(crate) const CAPACITY: usize = 10_000;

/// Values by key, each reused for at most `ttl` after it was put.
#[derive(Debug)]
pub(crate) struct TtlCache<K, V> {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K, V> Default for TtlCache<K, V> {
    fn default() -> Self {
        Self::new(TTL, CAPACITY)
    }
}

impl<K, V> TtlCache<K, V> {
    /// An empty cache whose entries live `ttl`, holding at most `capacity` of them.
    pub(crate) fn new(ttl: Duration, capacity: usize) -> Self {
        Self { ttl, capacity: capacity.max(1), entries: Mutex::new(HashMap::new()) }
    }

    /// A panic elsewhere while the lock was held leaves a map that is still whole: use it.
    fn lock(&self) -> MutexGuard<'_, HashMap<K, (Instant, V)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets everything.
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    /// How many entries are held (expired ones included).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    /// The value put for `key` within the last `ttl`.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.lock().get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    /// Keeps `value` for `key` from now on.
    pub(crate) fn put(&self, key: K, value: V) {
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_reused_until_it_expires_or_is_cleared() {
        let cache = TtlCache::<i32, &str>::new(Duration::from_millis(50), 10);
        assert_eq!(cache.get(&1), None);
        cache.put(1, "a");
        assert_eq!(cache.get(&1), Some("a"));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get(&1), None, "expired");
        cache.put(2, "b");
        cache.clear();
        assert_eq!(cache.get(&2), None);
    }

    #[test]
    fn the_cache_never_grows_past_its_capacity() {
        let cache = TtlCache::<String, u32>::new(TTL, 100);
        for i in 0..250 {
            cache.put(i.to_string(), i);
        }
        assert!(cache.len() <= 100, "{}", cache.len());
        assert_eq!(cache.get("249"), Some(249), "the newest entry is kept");
    }
}
