//! The day's photos across a campaign: the listing behind the photos page, the star "for the
//! report" and the caption (both through the store's one write function of a photo's curation),
//! and the ZIP of every photo the caller may see, streamed one photo at a time.

use crate::auth::Caller;
use crate::extract::{Actor, ApiJson, ApiPath};
use crate::zip_stream::{DosTime, ZipEncoder, name_part, unique_name};
use crate::{AppError, AppState, ErrorBody};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use eventday_domain::Role;
use eventday_store::photos::{self, PhotoChange, PhotoFilter, PhotoItem};
use serde::Deserialize;

/// The photos a caller may see in a campaign: a lead only those of their venues.
pub(crate) fn filter_for(caller: &Caller) -> PhotoFilter {
    let p = &caller.principal;
    let venues = (p.role == Role::Lead).then(|| p.venue_ids.clone());
    PhotoFilter { venues, starred_only: false }
}

/// The campaign's photos (without their bytes), by venue in plan order, then by time. A lead
/// sees only the photos of their venues. Photos of corrected or voided log entries are listed
/// with `entry_state` saying so.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/photos", tag = "log",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = Vec<PhotoItem>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn list(
    State(s): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Vec<PhotoItem>>, AppError> {
    Ok(Json(photos::list(&s.store, id, &filter_for(&caller)).await?))
}

/// Body of the star route.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StarInput {
    /// `true`: the photo goes into the report's 活动剪影 section.
    pub starred: bool,
}

/// Mark a photo "for the report" (or take the mark off). Audited; refused (423) once the
/// campaign's submission was accepted by the parent organization.
#[utoipa::path(put, path = "/api/v1/photos/{id}/star", tag = "log",
    params(("id" = i64, Path, description = "photo id")), request_body = StarInput,
    responses((status = 200, body = PhotoItem), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 423, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn star(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<StarInput>,
) -> Result<Json<PhotoItem>, AppError> {
    let change = PhotoChange { starred: Some(input.starred), caption: None };
    Ok(Json(photos::curate(&s.store, id, &change, actor).await?))
}

/// Body of the caption route.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaptionInput {
    /// One line, at most 200 characters; empty: the log entry's note stands for it.
    pub caption: String,
}

/// Set a photo's own caption (the log entry's note stays as it was written). Audited.
#[utoipa::path(put, path = "/api/v1/photos/{id}/caption", tag = "log",
    params(("id" = i64, Path, description = "photo id")), request_body = CaptionInput,
    responses((status = 200, body = PhotoItem), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 423, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn caption(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CaptionInput>,
) -> Result<Json<PhotoItem>, AppError> {
    let change = PhotoChange { starred: None, caption: Some(input.caption) };
    Ok(Json(photos::curate(&s.store, id, &change, actor).await?))
}

/// How long a browser keeps a photo or its thumbnail without asking again: a photo's bytes never
/// change (its ETag, from its SHA-256, answers a later question with 304).
pub(crate) const PHOTO_CACHE: &str = "private, max-age=604800, immutable";

/// Whether `If-None-Match` names `etag` (or `*`), weak or strong.
pub(crate) fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag))
}

/// A photo's bytes (or its thumbnail's) with its type and cache headers; 304 when the caller
/// has them already.
pub(crate) fn image_response(
    headers: &HeaderMap,
    etag: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> Response {
    let mut resp = if not_modified(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = bytes.into_response();
        if let Ok(v) = HeaderValue::from_str(content_type) {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        r
    };
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(PHOTO_CACHE));
    resp
}

/// A photo's thumbnail: a JPEG at most 320 pixels on its longest side, upright by the photo's
/// EXIF orientation. Made on the first request (decoding on a blocking thread, two at a time)
/// and kept in the database, so every server instance serves the same one afterwards; a photo
/// that cannot be decoded is served as it is, so that a page still shows something. Cached by
/// the browser for a week; the ETag (from the photo's SHA-256) answers `If-None-Match` with 304.
#[utoipa::path(get, path = "/api/v1/photos/{id}/thumb", tag = "log",
    params(("id" = i64, Path, description = "photo id")),
    responses((status = 200, content_type = "image/jpeg", body = crate::openapi::Binary),
        (status = 304, description = "the caller's copy is current"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn thumb(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let found = photos::thumb(&s.store, id).await?;
    let etag = format!("\"{}-t{}\"", found.sha256, crate::thumbnail::SIDE);
    if not_modified(&headers, &etag) {
        return Ok(image_response(&headers, &etag, "", Vec::new()));
    }
    let (content_type, bytes) = match found.thumb {
        Some(Some(jpeg)) => ("image/jpeg".to_owned(), jpeg),
        Some(None) => (found.content_type, photos::bytes(&s.store, id).await?),
        None => {
            let original = photos::bytes(&s.store, id).await?;
            match make_thumb(&s.store, id, original).await? {
                Ok(jpeg) => ("image/jpeg".to_owned(), jpeg),
                Err(original) => (found.content_type, original),
            }
        }
    };
    Ok(image_response(&headers, &etag, &content_type, bytes))
}

/// Makes and keeps a photo's thumbnail: its JPEG, or the original back when it cannot be
/// decoded (kept as such, so that it is not tried on every request). Keeping is best effort: a
/// failure to store is logged and the thumbnail served all the same.
async fn make_thumb(
    store: &eventday_store::Store,
    id: i64,
    original: Vec<u8>,
) -> Result<Result<Vec<u8>, Vec<u8>>, AppError> {
    let slot = crate::thumbnail::SLOTS.acquire().await;
    let (original, made) = tokio::task::spawn_blocking(move || {
        let made = crate::thumbnail::make(&original);
        (original, made)
    })
    .await
    .map_err(|e| AppError::Internal(std::sync::Arc::new(e)))?;
    drop(slot);
    let made = made
        .map_err(
            |e| tracing::info!(photo_id = id, error = %e, "photo not decoded; its thumbnail is the photo"),
        )
        .ok();
    if let Err(e) = photos::save_thumb(store, id, made.as_ref()).await {
        tracing::warn!(photo_id = id, error = %e, "thumbnail not kept");
    }
    Ok(made.map(|t| t.bytes).ok_or(original))
}

/// Pieces sent through the response at most this size, so a photo's bytes leave in steps.
const CHUNK: usize = 64 * 1024;

/// Every photo the caller may see, as a ZIP: `venue_time_author.jpg` (the extension by the
/// photo's content; names made unique), stored without compression, plus `index.csv` (UTF-8 with
/// BOM: file, venue, time, author, caption, starred, entry). Streamed: one photo is read from the
/// database at a time and sent in pieces, so memory stays flat however many photos there are.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/photos.zip", tag = "log",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, content_type = "application/zip", body = crate::openapi::Binary),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn zip(
    State(s): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i32>,
) -> Result<Response, AppError> {
    let items = photos::list(&s.store, id, &filter_for(&caller)).await?;
    let campaign = eventday_store::planning::campaigns::get(&s.store, id).await?;
    let zone = eventday_domain::time::parse_zone(&campaign.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let store = s.store.clone();
    tokio::spawn(async move {
        if let Err(e) = write_zip(&store, items, zone, &tx).await {
            tracing::warn!(error = %e, "the photo archive stopped part way");
            tx.send(Err(std::io::Error::other("the archive could not be completed"))).await.ok();
        }
    });
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|piece| (piece, rx))
    }));
    let file = format!("campaign-{id}-photos.zip");
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response())
}

/// The archive's name for a photo: venue, local time and author, with its content's extension.
fn entry_name(p: &PhotoItem, zone: chrono_tz::Tz, taken: &mut std::collections::HashSet<String>) -> String {
    let ext = match p.content_type.as_str() {
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "jpg",
    };
    let time = p.time().with_timezone(&zone).format("%H%M").to_string();
    let stem = format!("{}_{time}_{}", name_part(&p.venue, "venue"), name_part(&p.author, "author"));
    unique_name(&stem, ext, taken)
}

/// Writes the archive to `tx`; stops quietly when the client went away.
async fn write_zip(
    store: &eventday_store::Store,
    items: Vec<PhotoItem>,
    zone: chrono_tz::Tz,
    tx: &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> Result<(), eventday_store::StoreError> {
    let mut z = ZipEncoder::default();
    let mut taken = std::collections::HashSet::new();
    let mut index = String::from("\u{feff}file,venue,time,author,caption,starred,entry\r\n");
    for p in &items {
        let name = entry_name(p, zone, &mut taken);
        let local = p.time().with_timezone(&zone);
        let bytes = Bytes::from(photos::bytes(store, p.id).await?);
        let header = z.entry_header(&name, &bytes, DosTime::from(local.naive_local()));
        if tx.send(Ok(Bytes::from(header))).await.is_err() {
            return Ok(());
        }
        let mut at = 0;
        while at < bytes.len() {
            let end = (at + CHUNK).min(bytes.len());
            if tx.send(Ok(bytes.slice(at..end))).await.is_err() {
                return Ok(());
            }
            at = end;
        }
        let state = match p.entry_state {
            photos::EntryState::Counted => "counted",
            photos::EntryState::Corrected => "corrected",
            photos::EntryState::Voided => "voided",
        };
        let row = [
            name.as_str(),
            p.venue.as_str(),
            &local.format("%Y-%m-%d %H:%M").to_string(),
            p.author.as_str(),
            p.shown_caption(),
            if p.starred { "yes" } else { "no" },
            state,
        ]
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",");
        index.push_str(&row);
        index.push_str("\r\n");
    }
    let index = index.into_bytes();
    let when = DosTime::from(chrono::Utc::now().with_timezone(&zone).naive_local());
    let mut tail = z.entry_header("index.csv", &index, when);
    tail.extend_from_slice(&index);
    tail.extend_from_slice(&z.finish());
    tx.send(Ok(Bytes::from(tail))).await.ok();
    Ok(())
}

/// A CSV cell, quoted, with a formula-looking start neutralised (as every CSV export does).
fn csv_cell(s: &str) -> String {
    let safe = eventday_domain::csv::neutralise_cell(s);
    format!("\"{}\"", safe.replace('"', "\"\""))
}
