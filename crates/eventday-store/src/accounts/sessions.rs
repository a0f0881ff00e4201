//! Logging in (with throttling per login name and per client address), sessions and logging out.

use super::{
    LoginOutcome, SESSION_TTL, SessionAuth, USER_CORE_COLUMNS, UserCore, principal_of, random_secret,
    secret_hash, verify_password,
};
use crate::Store;
use crate::entities::{login_throttle, session, user};
use crate::error::StoreError;
use crate::throttle;
use chrono::{DateTime, Utc};
use eventday_domain::FieldErrors;
use eventday_domain::account::{ThrottlePolicy, ThrottleState, check_login, normalize_login};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, Set};

fn throttle_keys(login: &str, address: &str) -> [(String, ThrottlePolicy); 2] {
    [
        (format!("account:{}", login.chars().take(150).collect::<String>()), ThrottlePolicy::ACCOUNT),
        (format!("address:{address}"), ThrottlePolicy::ADDRESS),
    ]
}

/// Seconds until this login name or address may try again, if either is locked.
///
/// # Errors
/// A database error.
pub async fn throttled_for(store: &Store, login: &str, address: &str) -> Result<Option<i64>, StoreError> {
    let now = Utc::now();
    let mut wait = None;
    for (key, _) in throttle_keys(&normalize_login(login), address) {
        wait = wait.max(throttle::retry_after(store.conn(), &key, now).await?);
    }
    Ok(wait)
}

/// Counts a login attempt against its login name and address before its password is checked,
/// atomically: each attempt increments the counters under a row lock, so concurrent attempts
/// cannot all slip through while the first ones are still being checked. Returns the seconds to
/// wait when either key was already locked (the attempt is then refused and not counted).
async fn count_attempt(store: &Store, login: &str, address: &str) -> Result<Option<i64>, StoreError> {
    let now = Utc::now();
    let tx = store.write_tx().await?;
    let mut rows = Vec::new();
    for (key, policy) in throttle_keys(login, address) {
        let row = throttle::locked_row(&tx, &key, now).await?;
        rows.push((key, policy, row.as_ref().map(throttle::state_of)));
    }
    let wait = rows.iter().filter_map(|(_, _, s)| s.and_then(|s| s.retry_after(now))).max();
    if wait.is_some() {
        tx.rollback().await?;
        return Ok(wait);
    }
    for (key, policy, state) in rows {
        throttle::store_state(&tx, key, ThrottleState::after_failure(state, policy, now)).await?;
    }
    tx.commit().await?;
    Ok(None)
}

/// After a successful login: the account's counter starts again, and the attempt no longer
/// counts against the address (many people sign in from one office).
async fn forgive_attempt(store: &Store, login: &str, address: &str) -> Result<(), StoreError> {
    let now = Utc::now();
    let [(account, _), (address_key, policy)] = throttle_keys(login, address);
    let tx = store.write_tx().await?;
    login_throttle::Entity::delete_by_id(account).exec(&tx).await?;
    if let Some(row) = throttle::locked_row(&tx, &address_key, now).await? {
        let failures = (row.failures - 1).max(0);
        let locked_until = row.locked_until.filter(|_| failures >= policy.max_failures);
        let state = ThrottleState { failures, window_started_at: row.window_started_at, locked_until };
        throttle::store_state(&tx, address_key, state).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Checks a login and password from a client address, with throttling per account and per
/// address, and opens a session on success.
///
/// Every attempt is counted before its password is checked (see [`count_attempt`]); a
/// successful one is forgiven afterwards. So within the window at most
/// [`ThrottlePolicy::ACCOUNT`]`.max_failures` passwords are ever checked for one login name,
/// however many attempts arrive at once.
///
/// An unknown login, a wrong password and a disabled account give the same [`LoginOutcome::Invalid`]
/// after the same argon2 work (an unknown login is verified against a dummy hash).
///
/// # Errors
/// A database error.
pub async fn login(
    store: &Store,
    login: &str,
    password: &str,
    address: &str,
) -> Result<LoginOutcome, StoreError> {
    let login = normalize_login(login);
    if let Some(retry_after_secs) = count_attempt(store, &login, address).await? {
        return Ok(LoginOutcome::Throttled { retry_after_secs });
    }
    // Names no account could have are not looked up, but still cost one (dummy) verification.
    let mut errors = FieldErrors::new();
    check_login(&mut errors, "login", &login);
    let found = if errors.is_empty() {
        user::Entity::find().filter(user::Column::Login.eq(login.as_str())).one(store.conn()).await?
    } else {
        None
    };
    let ok = verify_password(password.to_owned(), found.as_ref().map(|u| u.password_hash.clone())).await;
    let principal = match found {
        Some(u) if ok => principal_of(store.conn(), u).await?,
        _ => None,
    };
    let Some(principal) = principal else {
        return Ok(LoginOutcome::Invalid);
    };
    forgive_attempt(store, &login, address).await?;
    let (session_token, csrf_token) = create_session(store, principal.user_id).await?;
    Ok(LoginOutcome::Success { principal, session_token, csrf_token })
}

/// Opens a session for a user; returns (session secret, CSRF token).
///
/// # Errors
/// A database error.
pub async fn create_session(store: &Store, user_id: i32) -> Result<(String, String), StoreError> {
    let token = random_secret()?;
    let csrf = random_secret()?;
    let now = Utc::now();
    session::ActiveModel {
        id: Set(secret_hash(&token)),
        user_id: Set(user_id),
        csrf_token: Set(csrf.clone()),
        created_at: Set(now),
        expires_at: Set(now + SESSION_TTL),
    }
    .insert(store.conn())
    .await?;
    Ok((token, csrf))
}

/// The active user behind a session secret: `None` when unknown, expired, or the user is
/// disabled. Expired sessions are deleted on sight. A found session is reused for up to two
/// seconds (see [`crate::auth_cache`]).
///
/// # Errors
/// A database error.
pub async fn authenticate_session(store: &Store, token: &str) -> Result<Option<SessionAuth>, StoreError> {
    #[derive(FromQueryResult)]
    struct Row {
        session_id: String,
        csrf_token: String,
        expires_at: DateTime<Utc>,
        #[sea_orm(nested)]
        user: UserCore,
    }
    let hash = secret_hash(token);
    if let Some(auth) = store.auth_cache().session(&hash) {
        return Ok(Some(auth));
    }
    let db = store.conn();
    let Some(row) = Row::find_by_statement(crate::sql::statement(
        db.get_database_backend(),
        &format!(
            "SELECT s.id AS session_id, s.csrf_token AS csrf_token, s.expires_at AS expires_at, \
             {USER_CORE_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"
        ),
        vec![hash.clone().into()],
    ))
    .one(db)
    .await?
    else {
        return Ok(None);
    };
    if row.expires_at <= Utc::now() {
        session::Entity::delete_by_id(row.session_id).exec(db).await?;
        return Ok(None);
    }
    let auth = principal_of(db, row.user)
        .await?
        .map(|principal| SessionAuth { principal, csrf_token: row.csrf_token });
    if let Some(a) = &auth {
        store.auth_cache().put_session(&hash, a.clone(), row.expires_at);
    }
    Ok(auth)
}

/// Ends a session.
///
/// # Errors
/// A database error.
pub async fn logout(store: &Store, token: &str) -> Result<(), StoreError> {
    session::Entity::delete_by_id(secret_hash(token)).exec(store.conn()).await?;
    store.auth_cache().clear();
    Ok(())
}
