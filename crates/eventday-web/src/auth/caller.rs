//! Finding the caller (bearer token or session cookie), the CSRF check, and session cookies.

use super::SESSION_COOKIE;
use crate::{AppError, AppState, BODY_LIMIT};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use eventday_store::accounts::{self, Principal};

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    /// A session cookie; writes must carry this CSRF token.
    Session {
        /// The session's CSRF token.
        csrf_token: String,
    },
    /// An `Authorization: Bearer` API token (no CSRF: browsers never send it on their own).
    Token,
}

/// The authenticated caller of a route whose rule is not `Public`; put in the request by the
/// enforcement layer (a handler behind `Public` gets 401 from this extractor unless logged in).
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub principal: Principal,
    /// How they authenticated.
    pub credential: Credential,
}

impl Caller {
    /// The user id, for audit events.
    #[must_use]
    pub fn actor(&self) -> Option<i32> {
        Some(self.principal.user_id)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| AppError::Unauthorized("log in first (请先登录)".into()))
    }
}

/// The session secret from the `Cookie` header, if any.
pub(crate) fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// Finds the caller: a bearer token wins over a cookie. A bearer token that is not valid is an
/// error (a script should learn at once); a stale cookie just means "not logged in".
pub(crate) async fn identify(state: &AppState, headers: &HeaderMap) -> Result<Option<Caller>, AppError> {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let secret =
            auth.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).ok_or_else(|| {
                AppError::Unauthorized("the Authorization header must be `Bearer <token>`".into())
            })?;
        let principal = accounts::authenticate_token(&state.store, secret).await?.ok_or_else(|| {
            AppError::Unauthorized("this API token is not valid (revoked, or its user is disabled)".into())
        })?;
        return Ok(Some(Caller { principal, credential: Credential::Token }));
    }
    let Some(secret) = session_cookie(headers) else { return Ok(None) };
    Ok(accounts::authenticate_session(&state.store, &secret).await?.map(|s| Caller {
        principal: s.principal,
        credential: Credential::Session { csrf_token: s.csrf_token },
    }))
}

/// Checks the CSRF token of a cookie-authenticated write: the `X-CSRF-Token` header, or a
/// `csrf_token` field of a form body (read and put back for the handler).
pub(crate) async fn check_csrf(req: Request, expected: &str) -> Result<Request, AppError> {
    if let Some(given) = req.headers().get("x-csrf-token") {
        return if given.to_str().is_ok_and(|g| accounts::constant_time_eq(g, expected)) {
            Ok(req)
        } else {
            Err(AppError::Csrf)
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| AppError::TooLarge(crate::error::too_large_message()))?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let ok = fields.iter().any(|(k, v)| k == "csrf_token" && accounts::constant_time_eq(v, expected));
    if !ok {
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The `Set-Cookie` value that stores a session (or, with `None`, removes it).
pub(crate) fn session_set_cookie(secret: Option<&str>, secure: bool) -> Result<HeaderValue, AppError> {
    let max_age = if secret.is_some() { accounts::SESSION_TTL.num_seconds() } else { 0 };
    let value = format!(
        "{SESSION_COOKIE}={}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{}",
        secret.unwrap_or(""),
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&value).map_err(|e| AppError::Internal(std::sync::Arc::new(e)))
}
