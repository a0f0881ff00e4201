//! Short-lived caches, per process, of whom a session or API token belongs to and of where a
//! venue belongs (its campaign and organization), both read on every log post.
//!
//! Every authenticated request needs its principal; on the event day the same phones and
//! scripts post again and again, and the lookup would be a query per request. An entry lives
//! [`TTL`](crate::ttl_cache::TTL) at most. Whatever ends a credential or changes an account through this store (logout,
//! revoking a token, disabling a user, a new password) empties the cache of this process at once;
//! another server instance on the same database notices within [`TTL`](crate::ttl_cache::TTL). Only successful lookups
//! are kept: an unknown secret always asks the database. Both are a [`TtlCache`].

use crate::accounts::{Principal, SessionAuth};
use crate::scope::VenueScope;
use crate::ttl_cache::TtlCache;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
enum Credential {
    Session { auth: SessionAuth, expires_at: DateTime<Utc> },
    Token(Principal),
}

/// Sessions and API tokens by the hash of their secret.
#[derive(Debug, Default)]
pub(crate) struct AuthCache(TtlCache<String, Credential>);

impl AuthCache {
    /// The session for the hash of its secret, if looked up within [`TTL`](crate::ttl_cache::TTL) and not expired.
    pub(crate) fn session(&self, hash: &str) -> Option<SessionAuth> {
        match self.0.get(&format!("s:{hash}"))? {
            Credential::Session { auth, expires_at } if expires_at > Utc::now() => Some(auth),
            _ => None,
        }
    }

    pub(crate) fn put_session(&self, hash: &str, auth: SessionAuth, expires_at: DateTime<Utc>) {
        self.0.put(format!("s:{hash}"), Credential::Session { auth, expires_at });
    }

    /// The principal for the hash of an API token, if looked up within [`TTL`](crate::ttl_cache::TTL).
    pub(crate) fn token(&self, hash: &str) -> Option<Principal> {
        match self.0.get(&format!("t:{hash}"))? {
            Credential::Token(p) => Some(p),
            Credential::Session { .. } => None,
        }
    }

    pub(crate) fn put_token(&self, hash: &str, p: Principal) {
        self.0.put(format!("t:{hash}"), Credential::Token(p));
    }

    /// Forgets everything: a credential or an account changed.
    pub(crate) fn clear(&self) {
        self.0.clear();
    }
}

/// Where venues belong, by venue id, as looked up within [`TTL`](crate::ttl_cache::TTL). A venue never moves to
/// another campaign; a campaign can move to another organization and a venue can be deleted, so
/// any planning change or deletion through this store empties it, and other instances notice
/// within [`TTL`](crate::ttl_cache::TTL) (a deleted venue is refused by the log writer in any case).
pub(crate) type ScopeCache = TtlCache<i32, VenueScope>;

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
}
