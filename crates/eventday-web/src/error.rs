//! One error type for every handler, rendered as `{"error":{"code","message","fields"}}`.

use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use eventday_domain::FieldErrors;
use eventday_store::{ConstraintKind, StoreError};
use serde_json::json;
use std::sync::Arc;

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request could not be read (malformed JSON, bad path or query).
    #[error("{0}")]
    BadRequest(String),
    /// 401: not logged in, or the credentials are not (or no longer) valid.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: logged in, but this user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 403 with code `csrf`: a cookie-authenticated write without the session's CSRF token.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// 400: the body or a parameter could not be read; names the field or path where known.
    #[error("{message}")]
    Malformed {
        /// What was wrong.
        message: String,
        /// Field or path -> why.
        fields: FieldErrors,
    },
    /// 413: the body is over the limit.
    #[error("{0}")]
    TooLarge(String),
    /// 415: the body is not of a type this endpoint accepts.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 404: nothing here.
    #[error("{0}")]
    NotFound(String),
    /// 409: conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// 423: the venue's day was accepted; its figures are locked until an organizer reopens it.
    #[error("{0}")]
    Locked(String),
    /// 429 with `Retry-After`: too many failed logins.
    #[error("too many failed logins; try again in {0} seconds")]
    TooManyRequests(i64),
    /// 422: well-formed but invalid; names every bad field.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// 500: our fault; the cause is logged once by middleware, never shown.
    #[error("internal error")]
    Internal(Arc<dyn std::error::Error + Send + Sync>),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { entity, id } => AppError::NotFound(format!("{entity} {id} not found")),
            StoreError::Invalid(v) => AppError::Invalid(v.fields),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Forbidden(m) => AppError::Forbidden(m),
            e @ StoreError::VenueLocked { .. } => AppError::Locked(e.to_string()),
            StoreError::Constraint { kind: ConstraintKind::Unique, detail } => {
                AppError::Conflict(format!("already exists ({detail})"))
            }
            StoreError::Constraint { kind, detail } => {
                let mut f = FieldErrors::new();
                f.insert("_".into(), format!("{kind:?} constraint violated: {detail}"));
                AppError::Invalid(f)
            }
            other => AppError::Internal(Arc::new(other)),
        }
    }
}

/// Carries the cause of a 500 from the handler to the logging middleware.
#[derive(Clone)]
struct InternalCause(Arc<dyn std::error::Error + Send + Sync>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, fields) = match &self {
            AppError::BadRequest(m) => {
                (StatusCode::BAD_REQUEST, "bad_request", m.clone(), FieldErrors::new())
            }
            AppError::Unauthorized(m) => {
                (StatusCode::UNAUTHORIZED, "unauthorized", m.clone(), FieldErrors::new())
            }
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", m.clone(), FieldErrors::new()),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "this request needs the session's CSRF token in the X-CSRF-Token header (or a csrf_token form field)"
                    .to_owned(),
                FieldErrors::new(),
            ),
            AppError::Locked(m) => (StatusCode::LOCKED, "venue_day_accepted", m.clone(), FieldErrors::new()),
            AppError::TooManyRequests(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("too many failed logins; try again in {secs} seconds (登录失败次数过多，请 {secs} 秒后再试)"),
                FieldErrors::new(),
            ),
            AppError::Malformed { message, fields } => {
                (StatusCode::BAD_REQUEST, "bad_request", message.clone(), fields.clone())
            }
            AppError::TooLarge(m) => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", m.clone(), FieldErrors::new())
            }
            AppError::UnsupportedMediaType(m) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", m.clone(), FieldErrors::new())
            }
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m.clone(), FieldErrors::new()),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m.clone(), FieldErrors::new()),
            AppError::Invalid(f) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid", "some fields are invalid".to_owned(), f.clone())
            }
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "something went wrong on our side".to_owned(),
                FieldErrors::new(),
            ),
        };
        let mut response =
            (status, Json(json!({"error": {"code": code, "message": message, "fields": fields}})))
                .into_response();
        if let AppError::TooManyRequests(secs) = &self
            && let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        if let AppError::Internal(cause) = self {
            response.extensions_mut().insert(InternalCause(cause));
        }
        response
    }
}

/// The JSON error envelope every failure is rendered as.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: bad_request, not_found, conflict, payload_too_large,
    /// unsupported_media_type, invalid, internal.
    pub code: String,
    /// For people.
    pub message: String,
    /// Field (or JSON path) -> why; every bad field is named on a 422.
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Puts error responses made outside our handlers (the body-limit layer's 413, axum's 405)
/// into the JSON envelope, so that clients only ever parse one error shape.
pub async fn envelope_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    // JSON is already the envelope; HTML is a page answering a person (the invitation form).
    let ours = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || ours {
        return response;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => return AppError::TooLarge(too_large_message()).into_response(),
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this endpoint".to_owned(),
        s => s.canonical_reason().unwrap_or("request failed").to_owned(),
    };
    let code = if status.is_server_error() { "internal" } else { "bad_request" };
    (status, Json(json!({"error": {"code": code, "message": message, "fields": {}}}))).into_response()
}

/// The message of a 413.
pub(crate) fn too_large_message() -> String {
    format!("the request body is over the limit of {} bytes", crate::BODY_LIMIT)
}

/// Logs the cause of every 500 once, at error level.
pub async fn log_server_errors(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    if let Some(InternalCause(cause)) = response.extensions().get::<InternalCause>() {
        tracing::error!(%method, %path, error = %cause, "request failed");
    }
    response
}

/// 404 for any unknown path, in the JSON envelope.
pub async fn not_found() -> AppError {
    AppError::NotFound("no such page or endpoint".into())
}
