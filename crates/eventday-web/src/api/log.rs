//! The day's log: idempotent submission, listing with cursor pagination, photos.

use crate::extract::{Actor, ApiJson, ApiPath, ApiQuery, uploaded_file};
use crate::{AppError, AppState, ErrorBody};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use eventday_domain::FieldErrors;
use eventday_domain::inputs::LogEntryInput;
use eventday_store::entities::log_photo;
use eventday_store::log::{self as store_log, Cursor, LogEntry, LogFilter, LogPage, Outcome, PhotoRejection};
use serde::Deserialize;

/// The largest upload body on the photo route: a photo plus multipart framing.
pub const PHOTO_BODY_LIMIT: usize = eventday_domain::photo::MAX_PHOTO_BYTES + 64 * 1024;

/// Query of the log listings.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LogQuery {
    /// Only entries recorded at or after this instant (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
    pub limit: Option<u64>,
}

fn filter(q: LogQuery) -> Result<LogFilter, AppError> {
    let after = match q.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => Some(Cursor::decode(c).ok_or_else(|| {
            let mut f = FieldErrors::new();
            f.insert("cursor".into(), "not a cursor this server handed out".into());
            AppError::Malformed { message: "bad cursor".into(), fields: f }
        })?),
    };
    if q.limit.is_some_and(|l| l == 0 || l > store_log::MAX_PAGE) {
        let mut f = FieldErrors::new();
        f.insert("limit".into(), format!("must be between 1 and {}", store_log::MAX_PAGE));
        return Err(AppError::Malformed { message: "bad limit".into(), fields: f });
    }
    Ok(LogFilter { since: q.since, after, limit: q.limit.unwrap_or(100), ..LogFilter::default() })
}

/// Send a log entry. The first time: 201. The identical entry again (a retry): 200 with the
/// stored entry, nothing new stored. The same id with other content: 409.
///
/// A correction is sent the same way, as a new entry with its own id and `"corrects": "<entry
/// id>"` plus a `"reason"`: its figures replace the corrected entry's in every total (the
/// corrected entry stays in the log with `superseded_by` set). With `"void": true` and no figures
/// it takes the corrected entry out of every total. The corrected entry must belong to this venue
/// and not be corrected already (correct the correction instead: 409 names it); a venue whose day
/// was accepted takes no entries, corrections included, until an organizer reopens it (423).
#[utoipa::path(post, path = "/api/v1/venues/{id}/log", tag = "log",
    params(("id" = i32, Path, description = "venue id")), request_body = LogEntryInput,
    responses((status = 201, body = LogEntry, description = "stored now"),
        (status = 200, body = LogEntry, description = "already stored (an identical retry)"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 423, body = ErrorBody)))]
pub async fn submit(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(venue_id): ApiPath<i32>,
    ApiJson(input): ApiJson<LogEntryInput>,
) -> Result<(StatusCode, Json<LogEntry>), AppError> {
    let (entry, outcome) = store_log::submit(&s.store, venue_id, input, actor).await?;
    let status = if outcome == Outcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(entry)))
}

/// A venue's log, newest first.
#[utoipa::path(get, path = "/api/v1/venues/{id}/log", tag = "log",
    params(("id" = i32, Path, description = "venue id"), LogQuery),
    responses((status = 200, body = LogPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_venue(
    State(s): State<AppState>,
    ApiPath(venue_id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Json<LogPage>, AppError> {
    let f = LogFilter { venue_id: Some(venue_id), ..filter(q)? };
    Ok(Json(store_log::list(&s.store, f).await?))
}

/// A campaign's log across its venues, newest first.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/log", tag = "log",
    params(("id" = i32, Path, description = "campaign id"), LogQuery),
    responses((status = 200, body = LogPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_campaign(
    State(s): State<AppState>,
    ApiPath(campaign_id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<Json<LogPage>, AppError> {
    let f = LogFilter { campaign_id: Some(campaign_id), ..filter(q)? };
    Ok(Json(store_log::list(&s.store, f).await?))
}

/// One log entry.
#[utoipa::path(get, path = "/api/v1/log/{entry_id}", tag = "log",
    params(("entry_id" = String, Path, description = "the entry's UUID")),
    responses((status = 200, body = LogEntry), (status = 404, body = ErrorBody)))]
pub async fn get_entry(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<LogEntry>, AppError> {
    Ok(Json(store_log::get(&s.store, &id).await?))
}

/// Query of the photo upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PhotoQuery {
    /// When the photo was taken (RFC 3339), kept beside the picture.
    pub taken_at: Option<DateTime<Utc>>,
}

/// Attach a photo: the raw image as the body, or the first part of a multipart form. The type
/// is judged by the bytes (JPEG, PNG, WebP), never by the declared content type.
#[utoipa::path(post, path = "/api/v1/log/{entry_id}/photos", tag = "log",
    params(("entry_id" = String, Path, description = "the entry's UUID"), PhotoQuery),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "image bytes, or multipart/form-data"),
    responses((status = 201, body = log_photo::Model), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn add_photo(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<PhotoQuery>,
    req: Request,
) -> Result<(StatusCode, Json<log_photo::Model>), AppError> {
    let (bytes, _) =
        uploaded_file(req, &s, || AppError::TooLarge(PhotoRejection::TooLarge.to_string())).await?;
    match store_log::add_photo_taken(&s.store, &id, bytes, q.taken_at, actor).await? {
        Ok(photo) => Ok((StatusCode::CREATED, Json(photo))),
        Err(r @ PhotoRejection::TooLarge) => Err(AppError::TooLarge(r.to_string())),
        Err(r @ PhotoRejection::NotAnImage) => Err(AppError::UnsupportedMediaType(r.to_string())),
    }
}

/// The photos of a log entry (without bytes).
#[utoipa::path(get, path = "/api/v1/log/{entry_id}/photos", tag = "log",
    params(("entry_id" = String, Path, description = "the entry's UUID")),
    responses((status = 200, body = Vec<log_photo::Model>), (status = 404, body = ErrorBody)))]
pub async fn list_photos(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<log_photo::Model>>, AppError> {
    Ok(Json(store_log::list_photos(&s.store, &id).await?))
}

/// A photo's bytes, with the content type judged at upload; cached by the browser for a week,
/// the ETag (the photo's SHA-256) answering `If-None-Match` with 304.
#[utoipa::path(get, path = "/api/v1/photos/{id}", tag = "log",
    params(("id" = i64, Path, description = "photo id")),
    responses((status = 200, content_type = "image/*", body = Vec<u8>),
        (status = 304, description = "the caller's copy is current"), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_photo(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let p = store_log::get_photo(&s.store, id).await?;
    let etag = format!("\"{}\"", p.sha256);
    Ok(super::photos::image_response(&headers, &etag, &p.content_type, p.bytes))
}
