//! Accounts: users and their scope, password hashing, sessions, API tokens, invitations and
//! login throttling.
//!
//! Secrets never rest in the database: session ids, API tokens and invitation tokens are random
//! 256-bit values handed to the client once; only their SHA-256 is stored. Passwords are stored
//! as argon2id PHC strings, hashed off the async runtime (`spawn_blocking`). Throttle counters
//! live in the `login_throttle` table so that several server instances enforce one limit (see
//! [`crate::throttle`]).
//!
//! One file per seam: [`secrets`] (random values, hashes, passwords), [`users`], [`sessions`]
//! (login, throttling, sessions), [`tokens`] (API tokens) and [`invitations`]. The organization
//! tree is [`crate::org_tree`]; this module does not depend on it, and neither does the audit
//! trail on this one.

use crate::entities::{user, user_venue};
use crate::error::StoreError;
use chrono::{DateTime, Duration, Utc};
use eventday_domain::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder};
use serde::Serialize;

pub mod invitations;
pub mod secrets;
pub mod sessions;
pub mod tokens;
pub mod users;

pub use invitations::*;
pub use secrets::*;
pub use sessions::*;
pub use tokens::*;
pub use users::*;

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
    /// An organizer took it back.
    Revoked,
}

fn db_err(msg: impl Into<String>) -> StoreError {
    StoreError::Db(DbErr::Custom(msg.into()))
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
    let venue_ids = if role == Role::Lead { venues_of(db, u.id).await? } else { Vec::new() };
    Ok(Some(Principal {
        user_id: u.id,
        login: u.login,
        display_name: u.display_name,
        role,
        organization_id: u.organization_id,
        venue_ids,
    }))
}

/// The venues a user runs, by id.
async fn venues_of(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<i32>, StoreError> {
    Ok(user_venue::Entity::find()
        .filter(user_venue::Column::UserId.eq(user_id))
        .order_by_asc(user_venue::Column::VenueId)
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.venue_id)
        .collect())
}

async fn user_info(db: &impl ConnectionTrait, u: user::Model) -> Result<UserInfo, StoreError> {
    let venue_ids = venues_of(db, u.id).await?;
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
