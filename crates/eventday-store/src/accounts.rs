//! Accounts: users and their scope, password hashing, sessions, API tokens, invitations and
//! login throttling.
//!
//! Secrets never rest in the database: session ids, API tokens and invitation tokens are random
//! 256-bit values handed to the client once; only their SHA-256 is stored. Passwords are stored
//! as argon2id PHC strings, hashed off the async runtime (`spawn_blocking`). Throttle counters
//! live in the `login_throttle` table so that several server instances enforce one limit.

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::{
    api_token, invitation, login_throttle, organization, session, user, user_venue, venue,
};
use crate::error::StoreError;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use eventday_domain::account::{ThrottlePolicy, ThrottleState, check_login, check_password, normalize_login};
use eventday_domain::{FieldErrors, Role, ValidationError, validate};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// How long a login session lasts: one event day with margin.
pub const SESSION_TTL: Duration = Duration::hours(12);
/// How long an invitation link stays valid by default.
pub const INVITATION_TTL: Duration = Duration::days(7);
/// Prefix of API tokens, so a leaked one is recognisable in a scanner.
const API_TOKEN_PREFIX: &str = "edt_";

/// Who is calling: an active user with their role and scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Principal {
    /// User id.
    pub user_id: i32,
    /// Login name.
    pub login: String,
    /// Name shown to people.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The user's organization.
    pub organization_id: i32,
    /// Venues a lead runs (empty for other roles).
    pub venue_ids: Vec<i32>,
}

/// A user as shown to organizers and the CLI (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInfo {
    /// Id.
    pub id: i32,
    /// Login name.
    pub login: String,
    /// Name shown to people.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Organization.
    pub organization_id: i32,
    /// Venues (leads).
    pub venue_ids: Vec<i32>,
    /// Disabled users cannot log in; their sessions and tokens stop working.
    pub disabled: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name (normalized before storing).
    pub login: String,
    /// Name shown to people; the login when empty.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Organization; for a lead it may be left out and is taken from the venue's campaign.
    pub organization_id: Option<i32>,
    /// Venues a lead runs.
    pub venue_ids: Vec<i32>,
    /// The password in clear (hashed here, never stored or logged).
    pub password: String,
}

/// What a login attempt came to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Logged in: the session secret (for the cookie, shown once) and its CSRF token.
    Success {
        /// The user.
        principal: Principal,
        /// Session secret for the cookie.
        session_token: String,
        /// CSRF token bound to the session.
        csrf_token: String,
    },
    /// Unknown login, wrong password or disabled account: deliberately indistinguishable.
    Invalid,
    /// Too many failures for this account or address; try again after this many seconds.
    Throttled {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
}

/// An authenticated session.
#[derive(Debug, Clone)]
pub struct SessionAuth {
    /// The user.
    pub principal: Principal,
    /// The CSRF token bound to the session.
    pub csrf_token: String,
}

/// An API token as listed (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenInfo {
    /// Id.
    pub id: i32,
    /// Name the user gave it.
    pub name: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
}

/// An invitation as shown to the organizer who made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationInfo {
    /// Id.
    pub id: i32,
    /// The venue the new lead will run.
    pub venue_id: i32,
    /// Valid until.
    pub expires_at: DateTime<Utc>,
}

/// What an invitation link leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvitationView {
    /// Id.
    pub id: i32,
    /// Venue name.
    pub venue_name: String,
    /// Valid until.
    pub expires_at: DateTime<Utc>,
}

/// Why an invitation link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationProblem {
    /// No invitation has this token.
    Unknown,
    /// It has expired.
    Expired,
    /// It was already used.
    Used,
}

fn db_err(msg: impl Into<String>) -> StoreError {
    StoreError::Db(DbErr::Custom(msg.into()))
}

/// A new random secret: 32 bytes from the OS, hex encoded.
///
/// # Errors
/// When the operating system's random source fails.
pub fn random_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| db_err(format!("no randomness available: {e}")))?;
    Ok(hex(&bytes))
}

/// A random password people can type: 16 characters without look-alikes (about 90 bits).
///
/// # Errors
/// When the operating system's random source fails.
pub fn random_password() -> Result<String, StoreError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| db_err(format!("no randomness available: {e}")))?;
    // 256 % 55 leaves a slight bias; irrelevant at this length.
    Ok(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-256 of a secret, hex: what the database keeps instead of the secret.
#[must_use]
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Compares two strings in time independent of where they differ.
#[must_use]
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes a password with argon2id (default parameters) on a blocking thread.
///
/// # Errors
/// When hashing fails or the blocking task is lost.
pub async fn hash_password(password: String) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || {
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| db_err(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| db_err(format!("password hashing task failed: {e}")))?
}

/// A hash of a password nobody knows, verified against when the login is unknown so that an
/// unknown login costs the same time as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        argon2::Argon2::default()
            .hash_password(b"no such user; this hash only burns time")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Computes the dummy hash ahead of the first login, so that the first unknown login does not
/// take longer than a wrong password (call once at start-up).
pub async fn warm_up() {
    let _ = tokio::task::spawn_blocking(|| dummy_hash().len()).await;
}

/// Checks a password against a stored hash (or against a dummy hash when `hash` is `None`,
/// which always fails) on a blocking thread.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = argon2::Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok();
        ok && known
    })
    .await
    .unwrap_or(false)
}

/// Every organization id in the tree under `root`, `root` included.
///
/// # Errors
/// A database error.
pub async fn organization_tree(db: &impl ConnectionTrait, root: i32) -> Result<BTreeSet<i32>, StoreError> {
    let orgs = organization::Entity::find().all(db).await?;
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for o in &orgs {
        if let Some(p) = o.parent_id {
            children.entry(p).or_default().push(o.id);
        }
    }
    let mut tree = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if tree.insert(id) {
            stack.extend(children.get(&id).into_iter().flatten().copied());
        }
    }
    Ok(tree)
}

/// Whether `org` is `root` or one of its descendants. Walks up from `org` (a tree is shallow:
/// province, city, district) instead of loading the whole tree, which holds thousands of
/// organizations for a province.
///
/// # Errors
/// A database error.
pub async fn organization_within(db: &impl ConnectionTrait, root: i32, org: i32) -> Result<bool, StoreError> {
    if root == org {
        return Ok(true);
    }
    #[derive(FromQueryResult)]
    struct Hit {
        n: i64,
    }
    // The depth bound guards against a cycle written by hand into the table.
    let hit = Hit::find_by_statement(crate::rollup::statement(
        db.get_database_backend(),
        "WITH RECURSIVE up(id, parent_id, depth) AS ( \
           SELECT id, parent_id, 0 FROM organizations WHERE id = ? \
           UNION ALL \
           SELECT o.id, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id \
           WHERE up.depth < 64) \
         SELECT COUNT(*) AS n FROM up WHERE id = ?",
        vec![org.into(), root.into()],
    ))
    .one(db)
    .await?;
    Ok(hit.is_some_and(|h| h.n > 0))
}

/// The columns of a user a [`Principal`] is made of (read on every authenticated request, so
/// joined to the session or token row in one query).
#[derive(Debug, FromQueryResult)]
struct UserCore {
    id: i32,
    login: String,
    display_name: String,
    role: Role,
    organization_id: i32,
    disabled: bool,
}

/// The select list of a [`UserCore`] from `users u`.
const USER_CORE_COLUMNS: &str = "u.id AS id, u.login AS login, u.display_name AS display_name, \
     u.role AS role, u.organization_id AS organization_id, u.disabled AS disabled";

impl From<user::Model> for UserCore {
    fn from(u: user::Model) -> Self {
        UserCore {
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            role: u.role,
            organization_id: u.organization_id,
            disabled: u.disabled,
        }
    }
}

async fn principal_of(
    db: &impl ConnectionTrait,
    u: impl Into<UserCore>,
) -> Result<Option<Principal>, StoreError> {
    let u: UserCore = u.into();
    if u.disabled {
        return Ok(None);
    }
    let role = u.role;
    // Only leads run venues: other roles skip the query.
    let venue_ids = if role == Role::Lead {
        user_venue::Entity::find()
            .filter(user_venue::Column::UserId.eq(u.id))
            .order_by_asc(user_venue::Column::VenueId)
            .all(db)
            .await?
            .into_iter()
            .map(|v| v.venue_id)
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(Principal {
        user_id: u.id,
        login: u.login,
        display_name: u.display_name,
        role,
        organization_id: u.organization_id,
        venue_ids,
    }))
}

async fn user_info(db: &impl ConnectionTrait, u: user::Model) -> Result<UserInfo, StoreError> {
    let venue_ids = user_venue::Entity::find()
        .filter(user_venue::Column::UserId.eq(u.id))
        .order_by_asc(user_venue::Column::VenueId)
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.venue_id)
        .collect();
    Ok(UserInfo {
        role: u.role,
        id: u.id,
        login: u.login,
        display_name: u.display_name,
        organization_id: u.organization_id,
        venue_ids,
        disabled: u.disabled,
        created_at: u.created_at,
    })
}

// ---------------------------------------------------------------------------------------------
// Users

/// Creates a user (validating login, password, role and scope) and audits it.
///
/// # Errors
/// [`StoreError::Invalid`] naming bad fields, [`StoreError::Constraint`] (unique) for a login in
/// use, database errors otherwise.
pub async fn create_user(store: &Store, new: NewUser, actor: Option<i32>) -> Result<UserInfo, StoreError> {
    let login = normalize_login(&new.login);
    let mut errors = FieldErrors::new();
    check_login(&mut errors, "login", &login);
    check_password(&mut errors, "password", &new.password);
    let display_name = if new.display_name.trim().is_empty() { login.clone() } else { new.display_name };
    validate::name(&mut errors, "display_name", &display_name, validate::MAX_NAME_CHARS);
    let venues = venue::Entity::find()
        .filter(venue::Column::Id.is_in(new.venue_ids.clone()))
        .all(store.conn())
        .await?;
    match new.role {
        Role::Lead if new.venue_ids.is_empty() => {
            errors.insert("venue_ids".into(), "a lead needs at least one venue".into());
        }
        Role::Lead if venues.len() != new.venue_ids.iter().collect::<BTreeSet<_>>().len() => {
            errors.insert("venue_ids".into(), "names a venue that does not exist".into());
        }
        Role::Organizer | Role::Viewer if !new.venue_ids.is_empty() => {
            errors.insert("venue_ids".into(), "only leads are scoped to venues".into());
        }
        _ => {}
    }
    let organization_id = match (new.organization_id, venues.first()) {
        (Some(o), _) => Some(o),
        (None, Some(v)) => crate::entities::campaign::Entity::find_by_id(v.campaign_id)
            .one(store.conn())
            .await?
            .map(|c| c.organization_id),
        (None, None) => None,
    };
    if organization_id.is_none() {
        errors.insert("organization_id".into(), "is required".into());
    }
    ValidationError::check(errors)?;
    let organization_id = organization_id.unwrap_or_default();
    if organization::Entity::find_by_id(organization_id).one(store.conn()).await?.is_none() {
        return Err(ValidationError::field("organization_id", "no such organization").into());
    }
    let password_hash = hash_password(new.password).await?;
    let now = Utc::now();
    let tx = store.write_tx().await?;
    let u = user::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        login: Set(login),
        password_hash: Set(password_hash),
        display_name: Set(display_name),
        role: Set(new.role),
        organization_id: Set(organization_id),
        disabled: Set(false),
        created_at: Set(now),
    }
    .insert(&tx)
    .await?;
    for v in new.venue_ids.iter().collect::<BTreeSet<_>>() {
        user_venue::ActiveModel { user_id: Set(u.id), venue_id: Set(*v) }.insert(&tx).await?;
    }
    let info = user_info(&tx, u).await?;
    audit::record(&tx, actor, Action::Create, "user", &info.id.to_string(), None, Some(&info)).await?;
    tx.commit().await?;
    Ok(info)
}

/// The top-level organization with this name, created (and audited) when there is none yet:
/// how a fresh installation gets its first organization.
///
/// # Errors
/// [`StoreError::Invalid`] for a bad name, database errors.
pub async fn ensure_root_organization(
    store: &Store,
    name: &str,
    actor: Option<i32>,
) -> Result<i32, StoreError> {
    let mut errors = FieldErrors::new();
    validate::name(&mut errors, "org_name", name, validate::MAX_NAME_CHARS);
    ValidationError::check(errors)?;
    let name = name.trim();
    let tx = store.write_tx().await?;
    let found = organization::Entity::find()
        .filter(organization::Column::Name.eq(name))
        .filter(organization::Column::ParentId.is_null())
        .one(&tx)
        .await?;
    if let Some(o) = found {
        return Ok(o.id);
    }
    let o = organization::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        name: Set(name.to_owned()),
        parent_id: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&tx)
    .await?;
    audit::record(&tx, actor, Action::Create, "organization", o.id, None, Some(&o)).await?;
    tx.commit().await?;
    Ok(o.id)
}

/// Lists users, optionally only those of the given organizations, by login.
///
/// # Errors
/// A database error.
pub async fn list_users(
    store: &Store,
    organizations: Option<&BTreeSet<i32>>,
) -> Result<Vec<UserInfo>, StoreError> {
    let mut q = user::Entity::find().order_by_asc(user::Column::Login);
    if let Some(orgs) = organizations {
        q = q.filter(user::Column::OrganizationId.is_in(orgs.iter().copied()));
    }
    let mut out = Vec::new();
    for u in q.all(store.conn()).await? {
        out.push(user_info(store.conn(), u).await?);
    }
    Ok(out)
}

/// Finds a user by id.
///
/// # Errors
/// [`StoreError::NotFound`], or a database error.
pub async fn get_user(store: &Store, id: i32) -> Result<UserInfo, StoreError> {
    let u = user::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "user", id: id.to_string() })?;
    user_info(store.conn(), u).await
}

/// Finds a user id by login name (normalized).
///
/// # Errors
/// [`StoreError::NotFound`], or a database error.
pub async fn user_id_by_login(store: &Store, login: &str) -> Result<i32, StoreError> {
    let login = normalize_login(login);
    user::Entity::find()
        .filter(user::Column::Login.eq(login.as_str()))
        .one(store.conn())
        .await?
        .map(|u| u.id)
        .ok_or(StoreError::NotFound { entity: "user", id: login })
}

/// Disables (or re-enables) a user. Disabling also ends their sessions; their API tokens are
/// refused from the next request on because every request checks the flag.
///
/// # Errors
/// [`StoreError::NotFound`], or a database error.
pub async fn set_user_disabled(
    store: &Store,
    user_id: i32,
    disabled: bool,
    actor: Option<i32>,
) -> Result<UserInfo, StoreError> {
    let tx = store.write_tx().await?;
    let u = user::Entity::find_by_id(user_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "user", id: user_id.to_string() })?;
    let before = u.disabled;
    let mut am = u.into_active_model();
    am.disabled = Set(disabled);
    let u = am.update(&tx).await?;
    if disabled {
        session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&tx).await?;
    }
    let action = if disabled { Action::Disable } else { Action::Enable };
    let (b, a) = (serde_json::json!({ "disabled": before }), serde_json::json!({ "disabled": disabled }));
    audit::record(&tx, actor, action, "user", &user_id.to_string(), Some(&b), Some(&a)).await?;
    let info = user_info(&tx, u).await?;
    tx.commit().await?;
    store.auth_cache().clear();
    Ok(info)
}

/// Sets a new password and ends the user's sessions.
///
/// # Errors
/// [`StoreError::Invalid`] for a too-short password, [`StoreError::NotFound`], database errors.
pub async fn set_password(
    store: &Store,
    user_id: i32,
    password: String,
    actor: Option<i32>,
) -> Result<(), StoreError> {
    let mut errors = FieldErrors::new();
    check_password(&mut errors, "password", &password);
    ValidationError::check(errors)?;
    let hash = hash_password(password).await?;
    let tx = store.write_tx().await?;
    let u = user::Entity::find_by_id(user_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "user", id: user_id.to_string() })?;
    let mut am = u.into_active_model();
    am.password_hash = Set(hash);
    am.update(&tx).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&tx).await?;
    audit::record::<()>(&tx, actor, Action::ResetPassword, "user", &user_id.to_string(), None, None).await?;
    tx.commit().await?;
    store.auth_cache().clear();
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Login, sessions and throttling

fn throttle_keys(login: &str, address: &str) -> [(String, ThrottlePolicy); 2] {
    [
        (format!("account:{}", login.chars().take(150).collect::<String>()), ThrottlePolicy::ACCOUNT),
        (format!("address:{address}"), ThrottlePolicy::ADDRESS),
    ]
}

fn state_of(m: &login_throttle::Model) -> ThrottleState {
    ThrottleState {
        failures: m.failures,
        window_started_at: m.window_started_at,
        locked_until: m.locked_until,
    }
}

/// Seconds until this login name or address may try again, if either is locked.
///
/// # Errors
/// A database error.
pub async fn throttled_for(store: &Store, login: &str, address: &str) -> Result<Option<i64>, StoreError> {
    let now = Utc::now();
    let mut wait = None;
    for (key, _) in throttle_keys(&normalize_login(login), address) {
        if let Some(row) = login_throttle::Entity::find_by_id(key).one(store.conn()).await? {
            wait = wait.max(state_of(&row).retry_after(now));
        }
    }
    Ok(wait)
}

async fn record_failure(store: &Store, login: &str, address: &str) -> Result<(), StoreError> {
    let now = Utc::now();
    for (key, policy) in throttle_keys(login, address) {
        // Two instances may insert the same new key at once on PostgreSQL: retry once as update.
        for attempt in 0..2 {
            let tx = store.write_tx().await?;
            let row = login_throttle::Entity::find_by_id(key.clone()).one(&tx).await?;
            let next = ThrottleState::after_failure(row.as_ref().map(state_of), policy, now);
            let am = login_throttle::ActiveModel {
                key: Set(key.clone()),
                failures: Set(next.failures),
                window_started_at: Set(next.window_started_at),
                locked_until: Set(next.locked_until),
            };
            let written = if row.is_some() {
                am.update(&tx).await.map(|_| ())
            } else {
                am.insert(&tx).await.map(|_| ())
            };
            match written.map_err(StoreError::from) {
                Ok(()) => {
                    tx.commit().await?;
                    break;
                }
                Err(StoreError::Constraint { .. }) if attempt == 0 => continue,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// Checks a login and password from a client address, with throttling per account and per
/// address, and opens a session on success.
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
    if let Some(retry_after_secs) = throttled_for(store, &login, address).await? {
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
        record_failure(store, &login, address).await?;
        return Ok(LoginOutcome::Invalid);
    };
    login_throttle::Entity::delete_by_id(throttle_keys(&login, address)[0].0.clone())
        .exec(store.conn())
        .await?;
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
    let Some(row) = Row::find_by_statement(crate::rollup::statement(
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

// ---------------------------------------------------------------------------------------------
// API tokens

/// Creates an API token for a user; returns it with its secret (shown once).
///
/// # Errors
/// [`StoreError::Invalid`] for a bad name, database errors.
pub async fn create_api_token(
    store: &Store,
    user_id: i32,
    name: &str,
) -> Result<(ApiTokenInfo, String), StoreError> {
    let mut errors = FieldErrors::new();
    validate::name(&mut errors, "name", name, validate::MAX_NAME_CHARS);
    ValidationError::check(errors)?;
    let secret = format!("{API_TOKEN_PREFIX}{}", random_secret()?);
    let now = Utc::now();
    let tx = store.write_tx().await?;
    let t = api_token::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        user_id: Set(user_id),
        name: Set(name.trim().to_owned()),
        token_hash: Set(secret_hash(&secret)),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked: Set(false),
    }
    .insert(&tx)
    .await?;
    let info = ApiTokenInfo { id: t.id, name: t.name, created_at: t.created_at, last_used_at: None };
    audit::record(&tx, Some(user_id), Action::Create, "api_token", &info.id.to_string(), None, Some(&info))
        .await?;
    tx.commit().await?;
    Ok((info, secret))
}

/// A user's tokens that are not revoked.
///
/// # Errors
/// A database error.
pub async fn list_api_tokens(store: &Store, user_id: i32) -> Result<Vec<ApiTokenInfo>, StoreError> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::Revoked.eq(false))
        .order_by_asc(api_token::Column::Id)
        .all(store.conn())
        .await?
        .into_iter()
        .map(|t| ApiTokenInfo {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        })
        .collect())
}

/// Revokes one of the user's own tokens.
///
/// # Errors
/// [`StoreError::NotFound`] when the user has no such live token, database errors.
pub async fn revoke_api_token(store: &Store, user_id: i32, token_id: i32) -> Result<(), StoreError> {
    let tx = store.write_tx().await?;
    let res = api_token::Entity::update_many()
        .col_expr(api_token::Column::Revoked, Expr::val(true))
        .filter(api_token::Column::Id.eq(token_id))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::Revoked.eq(false))
        .exec(&tx)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound { entity: "api token", id: token_id.to_string() });
    }
    audit::record::<()>(&tx, Some(user_id), Action::Revoke, "api_token", &token_id.to_string(), None, None)
        .await?;
    tx.commit().await?;
    store.auth_cache().clear();
    Ok(())
}

/// The active user behind an API token secret: `None` when unknown, revoked, or the user is
/// disabled. Notes the last use at most once a minute (a write per request would serialize
/// SQLite). A found principal is reused for up to two seconds (see [`crate::auth_cache`]).
///
/// # Errors
/// A database error.
pub async fn authenticate_token(store: &Store, secret: &str) -> Result<Option<Principal>, StoreError> {
    #[derive(FromQueryResult)]
    struct Row {
        token_id: i32,
        last_used_at: Option<DateTime<Utc>>,
        #[sea_orm(nested)]
        user: UserCore,
    }
    let hash = secret_hash(secret);
    if let Some(p) = store.auth_cache().token(&hash) {
        return Ok(Some(p));
    }
    let db = store.conn();
    let Some(row) = Row::find_by_statement(crate::rollup::statement(
        db.get_database_backend(),
        &format!(
            "SELECT t.id AS token_id, t.last_used_at AS last_used_at, {USER_CORE_COLUMNS} \
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND NOT t.revoked"
        ),
        vec![hash.clone().into()],
    ))
    .one(db)
    .await?
    else {
        return Ok(None);
    };
    let principal = principal_of(db, row.user).await?;
    let now = Utc::now();
    if principal.is_some() && row.last_used_at.is_none_or(|at| now - at > Duration::minutes(1)) {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::val(now))
            .filter(api_token::Column::Id.eq(row.token_id))
            .exec(db)
            .await?;
    }
    if let Some(p) = &principal {
        store.auth_cache().put_token(&hash, p.clone());
    }
    Ok(principal)
}

// ---------------------------------------------------------------------------------------------
// Invitations

/// Creates a one-time invitation for a new lead of `venue_id`; returns it with its secret token
/// (shown once; only its hash is kept).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown venue, database errors.
pub async fn create_invitation(
    store: &Store,
    venue_id: i32,
    created_by: i32,
    ttl: Duration,
) -> Result<(InvitationInfo, String), StoreError> {
    let token = random_secret()?;
    let now = Utc::now();
    let tx = store.write_tx().await?;
    if venue::Entity::find_by_id(venue_id).one(&tx).await?.is_none() {
        return Err(StoreError::NotFound { entity: "venue", id: venue_id.to_string() });
    }
    let inv = invitation::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        token_hash: Set(secret_hash(&token)),
        venue_id: Set(venue_id),
        created_by: Set(created_by),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        user_id: Set(None),
    }
    .insert(&tx)
    .await?;
    let info = InvitationInfo { id: inv.id, venue_id, expires_at: inv.expires_at };
    audit::record(
        &tx,
        Some(created_by),
        Action::Create,
        "invitation",
        &info.id.to_string(),
        None,
        Some(&info),
    )
    .await?;
    tx.commit().await?;
    Ok((info, token))
}

/// Checks that `token` is the secret of invitation `id` (to render its QR code) and returns the
/// invitation's venue.
///
/// # Errors
/// [`StoreError::NotFound`] when it is not, database errors.
pub async fn invitation_venue_by_secret(store: &Store, id: i32, token: &str) -> Result<i32, StoreError> {
    invitation::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .filter(|i| constant_time_eq(&i.token_hash, &secret_hash(token)))
        .map(|i| i.venue_id)
        .ok_or(StoreError::NotFound { entity: "invitation", id: id.to_string() })
}

/// The venue an invitation belongs to.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn invitation_venue(store: &Store, id: i32) -> Result<i32, StoreError> {
    invitation::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .map(|i| i.venue_id)
        .ok_or(StoreError::NotFound { entity: "invitation", id: id.to_string() })
}

/// What an invitation link leads to, or why it cannot be used.
///
/// # Errors
/// A database error.
pub async fn open_invitation(
    store: &Store,
    token: &str,
) -> Result<Result<InvitationView, InvitationProblem>, StoreError> {
    let Some(inv) = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(secret_hash(token)))
        .one(store.conn())
        .await?
    else {
        return Ok(Err(InvitationProblem::Unknown));
    };
    if inv.used_at.is_some() {
        return Ok(Err(InvitationProblem::Used));
    }
    if inv.expires_at <= Utc::now() {
        return Ok(Err(InvitationProblem::Expired));
    }
    let venue_name =
        venue::Entity::find_by_id(inv.venue_id).one(store.conn()).await?.map(|v| v.name).unwrap_or_default();
    Ok(Ok(InvitationView { id: inv.id, venue_name, expires_at: inv.expires_at }))
}

/// Uses an invitation: creates the lead account for its venue with the chosen login and
/// password, and marks the invitation used (once, even under concurrent submissions).
///
/// # Errors
/// [`StoreError::Invalid`] for a bad login/password, [`StoreError::Constraint`] for a login in
/// use, database errors.
pub async fn accept_invitation(
    store: &Store,
    token: &str,
    login: &str,
    display_name: &str,
    password: String,
) -> Result<Result<UserInfo, InvitationProblem>, StoreError> {
    let view = match open_invitation(store, token).await? {
        Ok(v) => v,
        Err(p) => return Ok(Err(p)),
    };
    let venue_id = invitation_venue(store, view.id).await?;
    let new = NewUser {
        login: login.to_owned(),
        display_name: display_name.to_owned(),
        role: Role::Lead,
        organization_id: None,
        venue_ids: vec![venue_id],
        password,
    };
    let created_by = invitation::Entity::find_by_id(view.id).one(store.conn()).await?.map(|i| i.created_by);
    let info = create_user(store, new, created_by).await?;
    let tx = store.write_tx().await?;
    let marked = invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, Expr::val(Utc::now()))
        .col_expr(invitation::Column::UserId, Expr::val(info.id))
        .filter(invitation::Column::Id.eq(view.id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    if marked.rows_affected == 0 {
        // Someone used it in between: take back the account just made.
        tx.rollback().await?;
        user::Entity::delete_by_id(info.id).exec(store.conn()).await?;
        return Ok(Err(InvitationProblem::Used));
    }
    tx.commit().await?;
    Ok(Ok(info))
}

/// An invitation as listed for its campaign's organizers: where it stands, never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationListItem {
    /// Id.
    pub id: i32,
    /// The venue the new lead will run.
    pub venue_id: i32,
    /// Created.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    /// Valid until.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: DateTime<Utc>,
    /// When it was used, if it was.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub used_at: Option<DateTime<Utc>>,
    /// `unused`, `used` or `expired` (as of `now`).
    pub status: &'static str,
}

/// Every invitation for the venues of a campaign, newest first, with its status as of `now`.
///
/// # Errors
/// A database error.
pub async fn list_campaign_invitations(
    store: &Store,
    campaign_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<InvitationListItem>, StoreError> {
    let venue_ids: Vec<i32> = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .all(store.conn())
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    if venue_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = invitation::Entity::find()
        .filter(invitation::Column::VenueId.is_in(venue_ids))
        .order_by_desc(invitation::Column::CreatedAt)
        .order_by_desc(invitation::Column::Id)
        .all(store.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|i| {
            let status = if i.used_at.is_some() {
                "used"
            } else if i.expires_at <= now {
                "expired"
            } else {
                "unused"
            };
            InvitationListItem {
                id: i.id,
                venue_id: i.venue_id,
                created_at: i.created_at,
                expires_at: i.expires_at,
                used_at: i.used_at,
                status,
            }
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Demo accounts

/// Credentials of a demo account created just now.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Login.
    pub login: String,
    /// The generated password (to print once).
    pub password: String,
    /// Role.
    pub role: Role,
    /// Venue name for a lead.
    pub venue: Option<String>,
}

/// Makes sure the demo campaign has an organizer (`demo-organizer`) and one lead per venue
/// (`demo-lead-01`...), with random passwords; returns only the accounts created now.
///
/// # Errors
/// Database errors.
pub async fn ensure_demo_accounts(store: &Store, campaign_id: i32) -> Result<Vec<DemoAccount>, StoreError> {
    let c = crate::entities::campaign::Entity::find_by_id(campaign_id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let venues = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .order_by_asc(venue::Column::Position)
        .order_by_asc(venue::Column::Id)
        .all(store.conn())
        .await?;
    let mut wanted = vec![("demo-organizer".to_owned(), Role::Organizer, None)];
    for (i, v) in venues.iter().enumerate() {
        wanted.push((format!("demo-lead-{:02}", i + 1), Role::Lead, Some(v)));
    }
    let mut created = Vec::new();
    for (login, role, v) in wanted {
        if user_id_by_login(store, &login).await.is_ok() {
            continue;
        }
        let password = random_password()?;
        let new = NewUser {
            login: login.clone(),
            display_name: v.map_or_else(|| "示例组织者".to_owned(), |v| format!("{} 负责人", v.name)),
            role,
            organization_id: Some(c.organization_id),
            venue_ids: v.map(|v| v.id).into_iter().collect(),
            password: password.clone(),
        };
        create_user(store, new, None).await?;
        created.push(DemoAccount { login, password, role, venue: v.map(|v| v.name.clone()) });
    }
    Ok(created)
}
