//! Throttle counters in the `login_throttle` table, one row per key (`account:<login>`,
//! `address:<ip>` for logins, `case-lookup:<ip>` for the public case status page). They live in
//! the database so that every server instance enforces one limit; the arithmetic is
//! [`ThrottleState`]'s.

use crate::entities::login_throttle;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use eventday_domain::account::{ThrottlePolicy, ThrottleState};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QuerySelect, Set,
};

/// A stored row as the domain's state.
pub(crate) fn state_of(m: &login_throttle::Model) -> ThrottleState {
    ThrottleState {
        failures: m.failures,
        window_started_at: m.window_started_at,
        locked_until: m.locked_until,
    }
}

/// Seconds until `key` may try again, if it is locked at `now`.
///
/// # Errors
/// A database error.
pub(crate) async fn retry_after(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    Ok(login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .and_then(|row| state_of(&row).retry_after(now)))
}

/// Reads a throttle row inside `tx`, creating it first when missing, locked against concurrent
/// attempts until `tx` ends (PostgreSQL: `FOR UPDATE`; SQLite: the write transaction is
/// `BEGIN IMMEDIATE`, one at a time).
pub(crate) async fn locked_row(
    tx: &DatabaseTransaction,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<login_throttle::Model>, StoreError> {
    let backend = tx.get_database_backend();
    // A fresh row counts nothing yet: ThrottleState::after_failure makes it 1.
    tx.execute_raw(crate::sql::statement(
        backend,
        "INSERT INTO login_throttle (\"key\", failures, window_started_at, locked_until) \
         VALUES (?, 0, ?, NULL) ON CONFLICT (\"key\") DO NOTHING",
        vec![key.into(), now.into()],
    ))
    .await?;
    let q = login_throttle::Entity::find_by_id(key.to_owned());
    let q = if backend == DbBackend::Postgres { q.lock_exclusive() } else { q };
    Ok(q.one(tx).await?)
}

/// Writes `state` as the row of `key` (which [`locked_row`] made).
pub(crate) async fn store_state(
    tx: &DatabaseTransaction,
    key: String,
    state: ThrottleState,
) -> Result<(), StoreError> {
    login_throttle::ActiveModel {
        key: Set(key),
        failures: Set(state.failures),
        window_started_at: Set(state.window_started_at),
        locked_until: Set(state.locked_until),
    }
    .update(tx)
    .await?;
    Ok(())
}

/// Counts one failure against `key` under `policy` at `now`, atomically (under the row's lock)
/// inside `tx`; returns the state after it.
///
/// # Errors
/// A database error.
pub(crate) async fn count_failure(
    tx: &DatabaseTransaction,
    key: String,
    policy: ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<ThrottleState, StoreError> {
    let previous = locked_row(tx, &key, now).await?.as_ref().map(state_of);
    let next = ThrottleState::after_failure(previous, policy, now);
    store_state(tx, key, next).await?;
    Ok(next)
}
