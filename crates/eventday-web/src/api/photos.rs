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
use axum::http::header;
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
