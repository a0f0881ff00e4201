//! Short-lived caches, per process, of whom a session or API token belongs to and of where a
//! venue belongs (its campaign and organization), both read on every log post.
//!
//! Every authenticated request needs its principal; on the event day the same phones and
//! scripts post again and again, and the lookup would be a query per request. An entry lives
//! [`TTL`] at most. Whatever ends a credential or changes an account through this store (logout,
//! revoking a token, disabling a user, a new password) empties the cache of this process at once;
//! another server instance on the same database notices within [`TTL`]. Only successful lookups
//! are kept: an unknown secret always asks the database.

use crate::accounts::{Principal, SessionAuth};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a lookup is reused.
pub const TTL: Duration = Duration::from_secs(2);
/// Most entries kept; past it expired entries go, and if that is not enough, all of them.
const CAPACITY: usize = 10_000;

#[derive(Debug, Clone)]
enum Credential {
    Session { auth: SessionAuth, expires_at: DateTime<Utc> },
    Token(Principal),
}

#[derive(Debug, Default)]
pub(crate) struct AuthCache {
    entries: Mutex<HashMap<String, (Instant, Credential)>>,
}

impl AuthCache {
    fn get(&self, key: &str) -> Option<Credential> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.get(key).filter(|(at, _)| at.elapsed() < TTL).map(|(_, c)| c.clone())
    }

    fn put(&self, key: String, c: Credential) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= CAPACITY {
            entries.retain(|_, (at, _)| at.elapsed() < TTL);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now(), c));
    }

    /// The session for the hash of its secret, if looked up within [`TTL`] and not expired.
    pub(crate) fn session(&self, hash: &str) -> Option<SessionAuth> {
        match self.get(&format!("s:{hash}"))? {
            Credential::Session { auth, expires_at } if expires_at > Utc::now() => Some(auth),
            _ => None,
        }
    }

    pub(crate) fn put_session(&self, hash: &str, auth: SessionAuth, expires_at: DateTime<Utc>) {
        self.put(format!("s:{hash}"), Credential::Session { auth, expires_at });
    }

    /// The principal for the hash of an API token, if looked up within [`TTL`].
    pub(crate) fn token(&self, hash: &str) -> Option<Principal> {
        match self.get(&format!("t:{hash}"))? {
            Credential::Token(p) => Some(p),
            Credential::Session { .. } => None,
        }
    }

    pub(crate) fn put_token(&self, hash: &str, p: Principal) {
        self.put(format!("t:{hash}"), Credential::Token(p));
    }

    /// Forgets everything: a credential or an account changed.
    pub(crate) fn clear(&self) {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

/// Where venues belong, as looked up within [`TTL`]. A venue never moves to another campaign;
/// a campaign can move to another organization and a venue can be deleted, so any planning
/// change or deletion through this store empties it, and other instances notice within [`TTL`]
/// (a deleted venue is refused by the log writer in any case).
#[derive(Debug, Default)]
pub(crate) struct ScopeCache {
    entries: Mutex<HashMap<i32, (Instant, crate::scope::VenueScope)>>,
}

impl ScopeCache {
    pub(crate) fn venue(&self, id: i32) -> Option<crate::scope::VenueScope> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.get(&id).filter(|(at, _)| at.elapsed() < TTL).map(|(_, s)| *s)
    }

    pub(crate) fn put(&self, s: crate::scope::VenueScope) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= CAPACITY {
            entries.retain(|_, (at, _)| at.elapsed() < TTL);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(s.venue_id, (Instant::now(), s));
    }

    pub(crate) fn clear(&self) {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eventday_domain::Role;

    fn principal() -> Principal {
        Principal {
            user_id: 7,
            login: "lead".into(),
            display_name: String::new(),
            role: Role::Lead,
            organization_id: 1,
            venue_ids: vec![3],
        }
    }

    #[test]
    fn an_entry_is_reused_until_cleared_and_an_expired_session_is_not() {
        let cache = AuthCache::default();
        assert!(cache.token("h").is_none());
        cache.put_token("h", principal());
        assert_eq!(cache.token("h").map(|p| p.user_id), Some(7));
        assert!(cache.session("h").is_none(), "a token hash is not a session");
        let auth = SessionAuth { principal: principal(), csrf_token: "c".into() };
        cache.put_session("s1", auth.clone(), Utc::now() + chrono::Duration::hours(1));
        cache.put_session("s2", auth, Utc::now() - chrono::Duration::seconds(1));
        assert!(cache.session("s1").is_some());
        assert!(cache.session("s2").is_none(), "past its expiry");
        cache.clear();
        assert!(cache.token("h").is_none() && cache.session("s1").is_none());
    }

    #[test]
    fn a_venue_scope_is_kept_until_cleared() {
        let cache = ScopeCache::default();
        let s = crate::scope::VenueScope { venue_id: 4, campaign_id: 2, organization_id: 1 };
        assert!(cache.venue(4).is_none());
        cache.put(s);
        assert_eq!(cache.venue(4), Some(s));
        assert!(cache.venue(5).is_none());
        cache.clear();
        assert!(cache.venue(4).is_none());
    }

    #[test]
    fn the_cache_never_grows_past_its_capacity() {
        let cache = AuthCache::default();
        for i in 0..CAPACITY + 10 {
            cache.put_token(&i.to_string(), principal());
        }
        let n = cache.entries.lock().map(|e| e.len()).unwrap_or(usize::MAX);
        assert!(n <= CAPACITY, "{n}");
    }
}
