//! One error type for every handler, rendered as `{"error":{"code","message","fields"}}`.

use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use eventday_domain::FieldErrors;
use eventday_store::{ConstraintKind, StoreError};
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
    /// 413 naming the field (e.g. an uploaded file) that is over its limit.
    #[error("{message}")]
    TooLargeField {
        /// What was wrong.
        message: String,
        /// Field -> why.
        fields: FieldErrors,
    },
    /// 415: the body is not of a type this endpoint accepts.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 404: nothing here.
    #[error("{0}")]
    NotFound(String),
    /// 409: conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// 409 naming the fields whose values are taken (a unique key).
    #[error("{message}")]
    ConflictOn {
        /// What was wrong.
        message: String,
        /// Field -> why.
        fields: FieldErrors,
    },
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
            e @ (StoreError::VenueLocked { .. } | StoreError::SubmissionLocked { .. }) => {
                AppError::Locked(e.to_string())
            }
            StoreError::Constraint { kind, detail } => on_constraint(kind, &detail),
            other => AppError::Internal(Arc::new(other)),
        }
    }
}

/// The one mapping of a constraint the database refused: a unique key is a 409 naming the
/// field in words, anything else a 422; never the database's own text (it names tables and
/// constraints, and differs between SQLite and PostgreSQL). The full text is logged at debug
/// level for whoever runs the server.
fn on_constraint(kind: ConstraintKind, detail: &str) -> AppError {
    tracing::debug!(?kind, detail, "constraint violated");
    let field = unique_field(detail);
    let field = field.as_deref();
    match kind {
        ConstraintKind::Unique => {
            let mut fields = FieldErrors::new();
            let message = match field {
                Some(f) => {
                    fields.insert(f.to_owned(), "is already taken: another row has this value".into());
                    format!("another row already has this {}", f.replace('_', " "))
                }
                None => "a row with these values already exists".to_owned(),
            };
            AppError::ConflictOn { message, fields }
        }
        ConstraintKind::ForeignKey => {
            let mut f = FieldErrors::new();
            f.insert("_".into(), "names a row that does not exist, or is still referenced".into());
            AppError::Invalid(f)
        }
        ConstraintKind::Check | ConstraintKind::NotNull => {
            let mut f = FieldErrors::new();
            f.insert(field.unwrap_or("_").to_owned(), "is missing or out of range".into());
            AppError::Invalid(f)
        }
    }
}

/// The field a unique constraint is about, from the database's words: SQLite names the columns
/// (`UNIQUE constraint failed: venues.campaign_id, venues.name`), PostgreSQL the index
/// (`uq_venues_campaign_id_name`, see the initial migration) or the primary key
/// (`log_entries_pkey`). Of the columns, the last one that is not the scope the value must be
/// unique within (campaign, organization, parent) is what people chose: a venue's name.
fn unique_field(detail: &str) -> Option<String> {
    const SCOPE: [&str; 3] = ["campaign_id", "organization_id", "parent_id"];
    let choose = |cols: Vec<String>| -> Option<String> {
        cols.iter().rev().find(|c| !SCOPE.contains(&c.as_str())).or(cols.last()).cloned()
    };
    if let Some(cols) = detail.split("failed:").nth(1) {
        return choose(
            cols.split(',')
                .filter_map(|c| c.trim().rsplit('.').next().map(str::to_owned))
                .filter(|c| !c.is_empty())
                .collect(),
        );
    }
    let name = detail.trim();
    if name.ends_with("_pkey") {
        return Some("id".into());
    }
    let words: Vec<&str> = name.strip_prefix("uq_")?.split('_').collect();
    // Words to columns: `x_id` is one column; the table's words come first and are dropped
    // with the scope columns by `choose` (a table name is never the last word).
    let mut cols: Vec<String> = Vec::new();
    for w in words {
        match cols.last_mut() {
            Some(last) if w == "id" => {
                last.push_str("_id");
            }
            _ => cols.push(w.to_owned()),
        }
    }
    choose(cols)
}

/// Carries the cause of a 500 from the handler to the logging middleware.
#[derive(Clone)]
struct InternalCause(Arc<dyn std::error::Error + Send + Sync>);

impl AppError {
    /// The status and the envelope's code of this error.
    #[must_use]
    pub fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::BadRequest(_) | AppError::Malformed { .. } => {
                (StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
            }
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::Csrf => (StatusCode::FORBIDDEN, ErrorCode::Csrf),
            AppError::Locked(_) => (StatusCode::LOCKED, ErrorCode::VenueDayAccepted),
            AppError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests),
            AppError::TooLarge(_) | AppError::TooLargeField { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
            }
            AppError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType)
            }
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::Conflict(_) | AppError::ConflictOn { .. } => {
                (StatusCode::CONFLICT, ErrorCode::Conflict)
            }
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Invalid),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let (message, fields) = match &self {
            AppError::Csrf => (
                "this request needs the session's CSRF token in the X-CSRF-Token header (or a csrf_token form field)"
                    .to_owned(),
                FieldErrors::new(),
            ),
            AppError::TooManyRequests(secs) => (
                format!("too many failed logins; try again in {secs} seconds (登录失败次数过多，请 {secs} 秒后再试)"),
                FieldErrors::new(),
            ),
            AppError::Malformed { message, fields }
            | AppError::ConflictOn { message, fields }
            | AppError::TooLargeField { message, fields } => {
                (message.clone(), fields.clone())
            }
            AppError::Invalid(f) => ("some fields are invalid".to_owned(), f.clone()),
            AppError::Internal(_) => ("something went wrong on our side".to_owned(), FieldErrors::new()),
            AppError::BadRequest(m)
            | AppError::Unauthorized(m)
            | AppError::Forbidden(m)
            | AppError::Locked(m)
            | AppError::TooLarge(m)
            | AppError::UnsupportedMediaType(m)
            | AppError::NotFound(m)
            | AppError::Conflict(m) => (m.clone(), FieldErrors::new()),
        };
        let mut response = envelope(status, code, message, fields);
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

/// The envelope as a response.
fn envelope(status: StatusCode, code: ErrorCode, message: String, fields: FieldErrors) -> Response {
    (status, Json(ErrorBody { error: ErrorDetail { code, message, fields } })).into_response()
}

/// Every `code` the error envelope can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400 (the path, query or body could not be read), and any other 4xx made outside the
    /// handlers (405).
    BadRequest,
    /// 401: not logged in, or the credentials are not (or no longer) valid.
    Unauthorized,
    /// 403: the caller's role or organization tree does not allow this.
    Forbidden,
    /// 403: a write with the session cookie but without its `X-CSRF-Token`.
    Csrf,
    /// 404.
    NotFound,
    /// 409: duplicates (`fields` names the field), a reused log id with other content,
    /// deleting what is still referenced.
    Conflict,
    /// 413: the body is over the limit.
    PayloadTooLarge,
    /// 415: the body is not of a type the route accepts.
    UnsupportedMediaType,
    /// 422: invalid; `fields` names every bad field.
    Invalid,
    /// 423: the venue's day was accepted; its figures are locked until an organizer reopens it.
    VenueDayAccepted,
    /// 429 (with `Retry-After`): too many failed logins.
    TooManyRequests,
    /// 500: our fault; the cause is logged, never shown.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order above.
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::Csrf,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Invalid,
        ErrorCode::VenueDayAccepted,
        ErrorCode::TooManyRequests,
        ErrorCode::Internal,
    ];
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
    /// Machine-readable: one of the `ErrorCode` values.
    pub code: ErrorCode,
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
    let code = if status.is_server_error() { ErrorCode::Internal } else { ErrorCode::BadRequest };
    envelope(status, code, message, FieldErrors::new())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_written_as_its_snake_case_name_and_each_once() {
        let names: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|c| {
                serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
            })
            .collect();
        assert_eq!(names[0], "bad_request");
        assert_eq!(names[9], "venue_day_accepted");
        let distinct: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
    }

    #[test]
    fn a_unique_violation_names_the_field_in_words_on_both_databases() {
        for (detail, field) in [
            ("UNIQUE constraint failed: units.name", "name"),
            ("UNIQUE constraint failed: venues.campaign_id, venues.name", "name"),
            ("UNIQUE constraint failed: organizations.name, organizations.parent_id", "name"),
            ("uq_units_name", "name"),
            ("uq_organizations_name_parent_id", "name"),
            ("uq_participations_campaign_id_unit_id", "unit_id"),
            ("uq_narrative_sections_campaign_id_lang_key", "key"),
            ("log_entries_pkey", "id"),
        ] {
            let err = AppError::from(StoreError::Constraint {
                kind: ConstraintKind::Unique,
                detail: detail.into(),
            });
            let AppError::ConflictOn { message, fields } = &err else { panic!("{detail}: {err:?}") };
            assert!(fields.contains_key(field), "{detail}: {fields:?}");
            assert!(!message.contains(detail) && !message.contains("UNIQUE"), "{message}");
            assert_eq!(err.status_and_code(), (StatusCode::CONFLICT, ErrorCode::Conflict));
        }
    }
}
