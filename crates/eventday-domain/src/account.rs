//! Rules for accounts: what a login name and a password must look like, and how failed logins
//! (and lookups of unknown case codes) are throttled. The store keeps the counters; the arithmetic lives here so it is tested once.

use crate::error::{FieldErrors, ValidationError};
use chrono::{DateTime, Duration, Utc};

/// Shortest password accepted (characters).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (characters); argon2 hashes anything, this only bounds the work.
pub const MAX_PASSWORD_CHARS: usize = 200;
/// Longest login name (characters; the column holds 100).
pub const MAX_LOGIN_CHARS: usize = 100;

/// Normalizes a login name as typed: trimmed and lowercased, so `Lead01` and `lead01 ` are one
/// account (and one throttle counter).
#[must_use]
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Checks a (normalized) login name: 2..=100 characters of letters, digits, `.`, `_`, `-`, `@`.
pub fn check_login(errors: &mut FieldErrors, field: &str, login: &str) {
    let n = login.chars().count();
    if !(2..=MAX_LOGIN_CHARS).contains(&n) {
        errors.insert(field.into(), format!("must be 2 to {MAX_LOGIN_CHARS} characters"));
    } else if !login.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')) {
        errors.insert(field.into(), "may contain only letters, digits and . _ - @".into());
    }
}

/// Checks a new password's length (the only rule worth enforcing; NIST SP 800-63B).
pub fn check_password(errors: &mut FieldErrors, field: &str, password: &str) {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        errors.insert(field.into(), format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    } else if n > MAX_PASSWORD_CHARS {
        errors.insert(field.into(), format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
}

/// Checks a login and a password together.
///
/// # Errors
/// Names `login` and/or `password` when they break the rules above.
pub fn check_credentials(login: &str, password: &str) -> Result<(), ValidationError> {
    let mut errors = FieldErrors::new();
    check_login(&mut errors, "login", login);
    check_password(&mut errors, "password", password);
    ValidationError::check(errors)
}

/// How many failures (wrong logins, lookups of unknown case codes) are tolerated, and for how
/// long they count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures within `window` that lock the key.
    pub max_failures: i32,
    /// How long failures are remembered from the first one.
    pub window: Duration,
    /// How long a key stays locked once the limit is reached.
    pub lockout: Duration,
}

impl ThrottlePolicy {
    /// Per account: five wrong passwords in 15 minutes lock the login name for 15 minutes.
    pub const ACCOUNT: ThrottlePolicy =
        ThrottlePolicy { max_failures: 5, window: Duration::minutes(15), lockout: Duration::minutes(15) };
    /// Per client address: twenty failures in 15 minutes (any login names) lock the address.
    pub const ADDRESS: ThrottlePolicy =
        ThrottlePolicy { max_failures: 20, window: Duration::minutes(15), lockout: Duration::minutes(15) };
    /// Per client address on the public case status page: thirty lookups of unknown receipt
    /// codes in 15 minutes lock the address for 15 minutes. A consumer mistypes a code a few
    /// times; guessing one of 31^8 codes needs billions of tries.
    pub const CASE_LOOKUP: ThrottlePolicy =
        ThrottlePolicy { max_failures: 30, window: Duration::minutes(15), lockout: Duration::minutes(15) };
}

/// A throttle counter as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    /// Failures counted in the current window.
    pub failures: i32,
    /// When the current window started.
    pub window_started_at: DateTime<Utc>,
    /// Until when the key is locked, if it is.
    pub locked_until: Option<DateTime<Utc>>,
}

impl ThrottleState {
    /// Seconds until the lock ends (at least 1), or `None` when not locked at `now`.
    #[must_use]
    pub fn retry_after(&self, now: DateTime<Utc>) -> Option<i64> {
        self.locked_until.filter(|until| *until > now).map(|until| (until - now).num_seconds().max(1))
    }

    /// The state after one more failure at `now`: a window that has run out starts again.
    #[must_use]
    pub fn after_failure(
        previous: Option<ThrottleState>,
        policy: ThrottlePolicy,
        now: DateTime<Utc>,
    ) -> Self {
        let mut next = match previous {
            Some(p) if now - p.window_started_at < policy.window => {
                ThrottleState { failures: p.failures.saturating_add(1), ..p }
            }
            _ => ThrottleState { failures: 1, window_started_at: now, locked_until: None },
        };
        if next.failures >= policy.max_failures && next.retry_after(now).is_none() {
            next.locked_until = Some(now + policy.lockout);
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalized_and_checked() {
        assert_eq!(normalize_login("  Lead01 "), "lead01");
        assert!(check_credentials("lead01", "correct horse").is_ok());
        let err = check_credentials("a b", "short").err().map(|e| e.fields).unwrap_or_default();
        assert_eq!(err.keys().cloned().collect::<Vec<_>>(), ["login", "password"]);
    }

    #[test]
    fn the_fifth_failure_in_the_window_locks_and_an_old_window_restarts() {
        let t0 = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let p = ThrottlePolicy::ACCOUNT;
        let mut s = None;
        for i in 1..=5 {
            let next = ThrottleState::after_failure(s, p, t0 + Duration::seconds(i));
            assert_eq!(next.failures, i32::try_from(i).unwrap_or(0));
            s = Some(next);
        }
        let locked = s.unwrap_or(ThrottleState { failures: 0, window_started_at: t0, locked_until: None });
        assert_eq!(locked.retry_after(t0 + Duration::seconds(5)), Some(15 * 60));
        assert_eq!(locked.retry_after(t0 + Duration::minutes(40)), None);
        let restarted = ThrottleState::after_failure(Some(locked), p, t0 + Duration::minutes(40));
        assert_eq!(restarted.failures, 1);
        assert_eq!(restarted.locked_until, None);
    }
}
