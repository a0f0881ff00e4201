//! Account routes: login, logout, me, API tokens, users, invitations and closing the day.

use super::caller::{Caller, Credential, session_cookie, session_set_cookie};
use super::rules::{RouteSpec, Rule, Target, documented};
use crate::{AppError, AppState, ErrorBody};
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use eventday_domain::{DayStatus, FieldErrors, Role};
use eventday_store::accounts::{self, ApiTokenInfo, LoginOutcome, NewUser, Principal, UserInfo};
use eventday_store::scope::Entity;
use eventday_store::scope::{self, VenueDay};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// The routes of this module, each with its access rule (method and path are in each
/// handler's `#[utoipa::path]`).
pub(crate) fn routes() -> Vec<RouteSpec> {
    const VENUE: &[Target] = &[Target::Path(Entity::Venue, "id")];
    vec![
        documented!(Rule::Public, login),
        documented!(Rule::Authenticated, logout),
        documented!(Rule::Authenticated, me),
        documented!(Rule::Authenticated, list_tokens),
        documented!(Rule::Authenticated, create_token),
        documented!(Rule::Authenticated, revoke_token),
        documented!(Rule::Organizer, list_users),
        documented!(Rule::Organizer, create_user),
        documented!(Rule::Plan(&[Target::Path(Entity::User, "id")]), disable_user),
        documented!(Rule::Log(VENUE), submit_day),
        documented!(Rule::Plan(VENUE), accept_day),
        documented!(Rule::Plan(VENUE), reopen_day),
        documented!(Rule::Plan(&[Target::Path(Entity::Campaign, "id")]), accept_days),
    ]
}

/// Reads a JSON body, turning a rejection into a 400 naming the problem.
pub(crate) fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    b.map(|Json(v)| v).map_err(|e| AppError::BadRequest(e.body_text()))
}

/// Reads a numeric path id.
pub(crate) fn path_id(p: Result<Path<i32>, PathRejection>) -> Result<i32, AppError> {
    p.map(|Path(id)| id).map_err(|_| AppError::BadRequest("the id in the path must be a whole number".into()))
}

/// Credentials of a login.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct LoginBody {
    /// Login name (case and surrounding spaces do not matter).
    login: String,
    /// Password.
    password: String,
}

/// A new session: the user, and the CSRF token that cookie-authenticated writes must send in
/// the `X-CSRF-Token` header. The session secret itself is only in the `Set-Cookie` header.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct LoginResponse {
    /// Who logged in.
    user: Principal,
    /// The session's CSRF token.
    csrf_token: String,
}

/// The caller.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct MeResponse {
    /// Who is calling.
    user: Principal,
    /// The session's CSRF token; null when called with an API token.
    csrf_token: Option<String>,
}

/// The answer to a logout.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct LogoutResponse {
    /// Always true.
    logged_out: bool,
}

/// The client's IP address as throttle counters key it ("unknown" when the server was started
/// without connection info).
pub(crate) fn client_address(connect: Option<Extension<ConnectInfo<SocketAddr>>>) -> String {
    connect.map_or_else(|| "unknown".to_owned(), |Extension(ConnectInfo(a))| a.ip().to_string())
}

/// Log in with a login name and password. Sets the session cookie (`eventday_session`,
/// HttpOnly, SameSite=Lax) and returns the CSRF token for cookie-authenticated writes. Repeated
/// failures for an account or address are throttled (429 with `Retry-After`).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = LoginBody,
    responses(
        (status = 200, body = LoginResponse, description = "logged in; the session cookie is set",
            headers(("Set-Cookie" = String, description = "the session cookie"))),
        (status = 400, body = ErrorBody, description = "the body is not JSON of this shape"),
        (status = 401, body = ErrorBody, description = "wrong login or password, or a disabled account"),
        (status = 429, body = ErrorBody, description = "too many failed logins; wait `Retry-After` seconds",
            headers(("Retry-After" = i64, description = "seconds to wait"))),
    ))]
#[tracing::instrument(skip_all)]
async fn login(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    b: Result<Json<LoginBody>, JsonRejection>,
) -> Result<Response, AppError> {
    let b = body(b)?;
    let address = client_address(connect);
    match accounts::login(&state.store, &b.login, &b.password, &address).await? {
        LoginOutcome::Success { principal, session_token, csrf_token } => {
            tracing::info!(user_id = principal.user_id, "logged in");
            let cookie = session_set_cookie(Some(&session_token), state.config.secure_cookies)?;
            Ok(([(header::SET_COOKIE, cookie)], Json(LoginResponse { user: principal, csrf_token }))
                .into_response())
        }
        LoginOutcome::Invalid => {
            Err(AppError::Unauthorized("wrong login or password (用户名或密码错误)".into()))
        }
        LoginOutcome::Throttled { retry_after_secs } => Err(AppError::TooManyRequests(retry_after_secs)),
    }
}

/// Log out: ends the session of the cookie (if any) and clears the cookie. With an API token it
/// only clears the cookie; revoke the token to end it.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses((status = 200, body = LogoutResponse, description = "logged out; the session cookie is cleared",
        headers(("Set-Cookie" = String, description = "an expired session cookie")))))]
#[tracing::instrument(skip_all)]
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> Result<Response, AppError> {
    if let (Credential::Session { .. }, Some(secret)) = (&caller.credential, session_cookie(&headers)) {
        accounts::logout(&state.store, &secret).await?;
    }
    let cookie = session_set_cookie(None, state.config.secure_cookies)?;
    Ok(([(header::SET_COOKIE, cookie)], Json(LogoutResponse { logged_out: true })).into_response())
}

/// The caller's account and, for a session, its CSRF token.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "accounts", responses((status = 200, body = MeResponse)))]
#[tracing::instrument(skip_all)]
async fn me(caller: Caller) -> Json<MeResponse> {
    let csrf = match &caller.credential {
        Credential::Session { csrf_token } => Some(csrf_token.clone()),
        Credential::Token => None,
    };
    Json(MeResponse { user: caller.principal, csrf_token: csrf })
}

/// A new API token.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct TokenBody {
    /// A name to recognise it by (1 to 100 characters).
    name: String,
}

/// A new API token with its secret, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct NewTokenResponse {
    /// The token as listed.
    token: ApiTokenInfo,
    /// The secret to send as `Authorization: Bearer <secret>`; only its hash is stored.
    secret: String,
}

/// The caller's API tokens.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct TokenList {
    /// Newest first, without secrets.
    tokens: Vec<ApiTokenInfo>,
}

/// The answer to a revocation.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct RevokedResponse {
    /// Always true.
    revoked: bool,
}

/// Make an API token for the caller's own account.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "accounts", request_body = TokenBody,
    responses((status = 201, body = NewTokenResponse), (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    b: Result<Json<TokenBody>, JsonRejection>,
) -> Result<(StatusCode, Json<NewTokenResponse>), AppError> {
    let b = body(b)?;
    let (info, secret) = accounts::create_api_token(&state.store, caller.principal.user_id, &b.name).await?;
    Ok((StatusCode::CREATED, Json(NewTokenResponse { token: info, secret })))
}

/// The caller's own API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "accounts", responses((status = 200, body = TokenList)))]
#[tracing::instrument(skip_all)]
async fn list_tokens(State(state): State<AppState>, caller: Caller) -> Result<Json<TokenList>, AppError> {
    let tokens = accounts::list_api_tokens(&state.store, caller.principal.user_id).await?;
    Ok(Json(TokenList { tokens }))
}

/// Revoke one of the caller's own API tokens; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "accounts",
    params(("id" = i32, Path, description = "token id")),
    responses((status = 200, body = RevokedResponse), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no token of the caller has this id")))]
#[tracing::instrument(skip_all)]
async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<RevokedResponse>, AppError> {
    accounts::revoke_api_token(&state.store, caller.principal.user_id, path_id(id)?).await?;
    Ok(Json(RevokedResponse { revoked: true }))
}

/// The users of the caller's organization and its descendants.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", responses((status = 200, body = UserList)))]
#[tracing::instrument(skip_all)]
async fn list_users(State(state): State<AppState>, caller: Caller) -> Result<Json<UserList>, AppError> {
    let tree =
        eventday_store::org_tree::organization_tree(state.store.conn(), caller.principal.organization_id)
            .await?;
    Ok(Json(UserList { users: accounts::list_users(&state.store, Some(&tree)).await? }))
}

/// Users, as organizers see them.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UserList {
    /// The users (never password hashes).
    users: Vec<UserInfo>,
}

/// A new account.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct UserBody {
    /// Login name: 2 to 100 letters, digits, `.`, `_`, `-`, `@` (stored lowercased).
    login: String,
    /// Name shown to people; the login when empty.
    #[serde(default)]
    display_name: String,
    /// Role.
    role: Role,
    /// Organization (the caller's or one of its descendants); the caller's when omitted.
    organization_id: Option<i32>,
    /// Venues a lead runs (within the caller's organization tree).
    #[serde(default)]
    venue_ids: Vec<i32>,
    /// The password; when omitted one is generated and returned once.
    password: Option<String>,
}

/// A new account, with its generated password when none was given.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct NewUserResponse {
    /// The account.
    user: UserInfo,
    /// The generated password, shown this once; null when the request gave one.
    generated_password: Option<String>,
}

/// One account.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UserResponse {
    /// The account.
    user: UserInfo,
}

/// Add a user to the caller's organization or one of its descendants.
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = UserBody,
    responses((status = 201, body = NewUserResponse), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "the organization or a venue is outside the caller's tree"),
        (status = 409, body = ErrorBody, description = "the login is taken"), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    b: Result<Json<UserBody>, JsonRejection>,
) -> Result<(StatusCode, Json<NewUserResponse>), AppError> {
    let b = body(b)?;
    let tree =
        eventday_store::org_tree::organization_tree(state.store.conn(), caller.principal.organization_id)
            .await?;
    let organization_id = b.organization_id.unwrap_or(caller.principal.organization_id);
    let mut outside = !tree.contains(&organization_id);
    for v in &b.venue_ids {
        let s = scope::venue_scope(state.store.conn(), *v).await?;
        outside |= s.is_some_and(|s| !tree.contains(&s.organization_id));
    }
    if outside {
        return Err(AppError::Forbidden(
            "you may only add users to your own organization and its children".into(),
        ));
    }
    let generated = b.password.is_none();
    let password = match b.password {
        Some(p) => p,
        None => accounts::random_password()?,
    };
    let new = NewUser {
        login: b.login,
        display_name: b.display_name,
        role: b.role,
        organization_id: Some(organization_id),
        venue_ids: b.venue_ids,
        password: password.clone(),
    };
    let user = accounts::create_user(&state.store, new, caller.actor()).await?;
    // A generated password is shown once, to the organizer who has to hand it over.
    let shown = generated.then_some(password);
    Ok((StatusCode::CREATED, Json(NewUserResponse { user, generated_password: shown })))
}

/// Disable a user of the caller's organization tree: they cannot log in, and their sessions and
/// API tokens stop working at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "accounts",
    params(("id" = i32, Path, description = "user id")),
    responses((status = 200, body = UserResponse), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "the caller's own account (`id`)")))]
#[tracing::instrument(skip_all)]
async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<UserResponse>, AppError> {
    let id = path_id(id)?;
    if id == caller.principal.user_id {
        let mut f = FieldErrors::new();
        f.insert("id".into(), "you cannot disable your own account".into());
        return Err(AppError::Invalid(f));
    }
    Ok(Json(UserResponse {
        user: accounts::set_user_disabled(&state.store, id, true, caller.actor()).await?,
    }))
}

async fn move_day(
    state: &AppState,
    caller: &Caller,
    id: Result<Path<i32>, PathRejection>,
    next: DayStatus,
    reason: Option<&str>,
) -> Result<Json<VenueDay>, AppError> {
    Ok(Json(scope::move_day(&state.store, path_id(id)?, next, reason, caller.actor()).await?))
}

/// Why the day is reopened.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReopenDayBody {
    /// Shown to the venue's lead until they submit again (at most 500 characters).
    #[serde(default)]
    reason: Option<String>,
}

/// A lead submits the venue's day (`open` → `submitted`).
#[utoipa::path(post, path = "/api/v1/venues/{id}/day/submit", tag = "accounts",
    params(("id" = i32, Path, description = "venue id")),
    responses((status = 200, body = VenueDay), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the day's status does not allow this move")))]
#[tracing::instrument(skip_all)]
async fn submit_day(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<VenueDay>, AppError> {
    move_day(&state, &caller, id, DayStatus::Submitted, None).await
}

/// An organizer accepts the venue's submitted day (`submitted` → `accepted`): its figures are locked
/// (log entries, figures, disputes and photos of the venue answer 423) until it is reopened.
#[utoipa::path(post, path = "/api/v1/venues/{id}/day/accept", tag = "accounts",
    params(("id" = i32, Path, description = "venue id")),
    responses((status = 200, body = VenueDay), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the day's status does not allow this move")))]
#[tracing::instrument(skip_all)]
async fn accept_day(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<VenueDay>, AppError> {
    move_day(&state, &caller, id, DayStatus::Accepted, None).await
}

/// An organizer reopens the venue's day (`submitted` or `accepted` → `open`), optionally saying
/// why; the lead's page shows the reason until the day is submitted again.
#[utoipa::path(post, path = "/api/v1/venues/{id}/day/reopen", tag = "accounts",
    params(("id" = i32, Path, description = "venue id")),
    request_body(content = ReopenDayBody, description = "optional; the reason shown to the venue's lead"),
    responses((status = 200, body = VenueDay), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the day's status does not allow this move"),
        (status = 422, body = ErrorBody, description = "`reason` too long")))]
#[tracing::instrument(skip_all)]
async fn reopen_day(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
    b: Result<Option<Json<ReopenDayBody>>, JsonRejection>,
) -> Result<Json<VenueDay>, AppError> {
    let b = b.map_err(|e| AppError::BadRequest(e.body_text()))?.map(|Json(b)| b).unwrap_or_default();
    move_day(&state, &caller, id, DayStatus::Open, b.reason.as_deref()).await
}

/// Which venues' days to accept at once.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AcceptDaysBody {
    /// The venues (of this campaign) whose submitted days are accepted; when left out, every
    /// venue whose day is submitted.
    #[serde(default)]
    venue_ids: Option<Vec<i32>>,
}

/// The days accepted.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct AcceptedDays {
    /// Each venue accepted, in venue order (each audited on its own).
    accepted: Vec<VenueDay>,
}

/// An organizer accepts the submitted days of many venues of a campaign at once (all that are
/// submitted, or those listed): all of them or none, each venue audited on its own.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/days/accept", tag = "accounts",
    params(("id" = i32, Path, description = "campaign id")),
    request_body(content = AcceptDaysBody, description = "optional; an empty body accepts every submitted day"),
    responses((status = 200, body = AcceptedDays), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "a listed venue's day is not submitted; nothing accepted"),
        (status = 422, body = ErrorBody, description = "a listed venue of another campaign (`venue_ids.N`)")))]
#[tracing::instrument(skip_all)]
async fn accept_days(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
    b: Result<Option<Json<AcceptDaysBody>>, JsonRejection>,
) -> Result<Json<AcceptedDays>, AppError> {
    let id = path_id(id)?;
    let b = b.map_err(|e| AppError::BadRequest(e.body_text()))?.map(|Json(b)| b).unwrap_or_default();
    let accepted = scope::accept_days(&state.store, id, b.venue_ids.as_deref(), caller.actor()).await?;
    Ok(Json(AcceptedDays { accepted }))
}
