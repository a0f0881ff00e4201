//! Account routes: login, logout, me, API tokens, users, invitations and closing the day.

use super::caller::{Caller, Credential, session_cookie, session_set_cookie};
use super::rules::{RouteSpec, Rule, Target, route};
use crate::{AppError, AppState};
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use eventday_domain::{DayStatus, FieldErrors, Role};
use eventday_store::accounts::{self, LoginOutcome, NewUser};
use eventday_store::scope::Entity;
use eventday_store::scope::{self, VenueDay};
use serde::Deserialize;
use serde_json::{Value, json};
use std::net::SocketAddr;

/// The routes of this module.
pub(crate) fn routes() -> Vec<RouteSpec> {
    use Method as M;
    vec![
        route(M::POST, "/api/v1/auth/login", Rule::Public, login),
        route(M::POST, "/api/v1/auth/logout", Rule::Authenticated, logout),
        route(M::GET, "/api/v1/auth/me", Rule::Authenticated, me),
        route(M::GET, "/api/v1/auth/tokens", Rule::Authenticated, list_tokens),
        route(M::POST, "/api/v1/auth/tokens", Rule::Authenticated, create_token),
        route(M::DELETE, "/api/v1/auth/tokens/{id}", Rule::Authenticated, revoke_token),
        route(M::GET, "/api/v1/users", Rule::Organizer, list_users),
        route(M::POST, "/api/v1/users", Rule::Organizer, create_user),
        route(
            M::POST,
            "/api/v1/users/{id}/disable",
            Rule::Plan(&[Target::Path(Entity::User, "id")]),
            disable_user,
        ),
        route(
            M::POST,
            "/api/v1/venues/{id}/day/submit",
            Rule::Log(&[Target::Path(Entity::Venue, "id")]),
            submit_day,
        ),
        route(
            M::POST,
            "/api/v1/venues/{id}/day/accept",
            Rule::Plan(&[Target::Path(Entity::Venue, "id")]),
            accept_day,
        ),
        route(
            M::POST,
            "/api/v1/venues/{id}/day/reopen",
            Rule::Plan(&[Target::Path(Entity::Venue, "id")]),
            reopen_day,
        ),
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

#[derive(Deserialize)]
struct LoginBody {
    login: String,
    password: String,
}

fn client_address(connect: Option<Extension<ConnectInfo<SocketAddr>>>) -> String {
    connect.map_or_else(|| "unknown".to_owned(), |Extension(ConnectInfo(a))| a.ip().to_string())
}

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
            Ok(([(header::SET_COOKIE, cookie)], Json(json!({ "user": principal, "csrf_token": csrf_token })))
                .into_response())
        }
        LoginOutcome::Invalid => {
            Err(AppError::Unauthorized("wrong login or password (用户名或密码错误)".into()))
        }
        LoginOutcome::Throttled { retry_after_secs } => Err(AppError::TooManyRequests(retry_after_secs)),
    }
}

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
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({ "logged_out": true }))).into_response())
}

#[tracing::instrument(skip_all)]
async fn me(caller: Caller) -> Json<Value> {
    let csrf = match &caller.credential {
        Credential::Session { csrf_token } => Some(csrf_token.clone()),
        Credential::Token => None,
    };
    Json(json!({ "user": caller.principal, "csrf_token": csrf }))
}

#[derive(Deserialize)]
struct TokenBody {
    name: String,
}

#[tracing::instrument(skip_all)]
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    b: Result<Json<TokenBody>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let b = body(b)?;
    let (info, secret) = accounts::create_api_token(&state.store, caller.principal.user_id, &b.name).await?;
    Ok((StatusCode::CREATED, Json(json!({ "token": info, "secret": secret }))))
}

#[tracing::instrument(skip_all)]
async fn list_tokens(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, AppError> {
    let tokens = accounts::list_api_tokens(&state.store, caller.principal.user_id).await?;
    Ok(Json(json!({ "tokens": tokens })))
}

#[tracing::instrument(skip_all)]
async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<Value>, AppError> {
    accounts::revoke_api_token(&state.store, caller.principal.user_id, path_id(id)?).await?;
    Ok(Json(json!({ "revoked": true })))
}

#[tracing::instrument(skip_all)]
async fn list_users(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, AppError> {
    let tree = accounts::organization_tree(state.store.conn(), caller.principal.organization_id).await?;
    Ok(Json(json!({ "users": accounts::list_users(&state.store, Some(&tree)).await? })))
}

#[derive(Deserialize)]
struct UserBody {
    login: String,
    #[serde(default)]
    display_name: String,
    role: Role,
    organization_id: Option<i32>,
    #[serde(default)]
    venue_ids: Vec<i32>,
    password: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    b: Result<Json<UserBody>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let b = body(b)?;
    let tree = accounts::organization_tree(state.store.conn(), caller.principal.organization_id).await?;
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
    Ok((StatusCode::CREATED, Json(json!({ "user": user, "generated_password": shown }))))
}

#[tracing::instrument(skip_all)]
async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<Value>, AppError> {
    let id = path_id(id)?;
    if id == caller.principal.user_id {
        let mut f = FieldErrors::new();
        f.insert("id".into(), "you cannot disable your own account".into());
        return Err(AppError::Invalid(f));
    }
    Ok(Json(json!({ "user": accounts::set_user_disabled(&state.store, id, true, caller.actor()).await? })))
}

async fn move_day(
    state: &AppState,
    caller: &Caller,
    id: Result<Path<i32>, PathRejection>,
    next: DayStatus,
) -> Result<Json<VenueDay>, AppError> {
    Ok(Json(scope::move_day(&state.store, path_id(id)?, next, caller.actor()).await?))
}

#[tracing::instrument(skip_all)]
async fn submit_day(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<VenueDay>, AppError> {
    move_day(&state, &caller, id, DayStatus::Submitted).await
}

#[tracing::instrument(skip_all)]
async fn accept_day(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<VenueDay>, AppError> {
    move_day(&state, &caller, id, DayStatus::Accepted).await
}

#[tracing::instrument(skip_all)]
async fn reopen_day(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<VenueDay>, AppError> {
    move_day(&state, &caller, id, DayStatus::Open).await
}
