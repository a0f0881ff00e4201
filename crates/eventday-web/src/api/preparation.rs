//! Before the day: cloning a campaign, the checklist's readiness, check-ins (签到) and messages
//! to venue leads. Handlers extract, call the store, respond.

use crate::extract::{Actor, ApiJson, ApiPath, ApiQuery, uploaded_file};
use crate::{AppError, AppState, ErrorBody};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use eventday_domain::FieldErrors;
use eventday_domain::inputs::{CheckInInput, CloneInput, MessageInput, TaskStatusInput};
use eventday_store::entities::{check_in, lead_message, task, task_evidence};
use eventday_store::planning;
use eventday_store::preparation::{
    self as prep, CheckedIn, CloneOutcome, EvidenceRejection, LeadMessageView, Readiness, SentMessage,
};
use futures_util::Stream;
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;

/// How often a lead's message stream looks for new messages. The database is the only copy (any
/// instance serves any lead), so the stream reads it rather than an in-process channel.
const MESSAGE_POLL: Duration = Duration::from_secs(1);

/// Make a new campaign from this one (e.g. last year's) on another date, copying the parts
/// asked for; never figures, log entries, tallies, photos, disputes, check-ins or invitations.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/clone", tag = "preparation",
    params(("id" = i32, Path, description = "campaign to copy")), request_body = CloneInput,
    responses((status = 201, body = CloneOutcome), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn clone_campaign(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<CloneInput>,
) -> Result<(StatusCode, Json<CloneOutcome>), AppError> {
    Ok((StatusCode::CREATED, Json(prep::clone_campaign(&s.store, actor, id, &input).await?)))
}

/// Add the default checklist (phases 筹划 / 实施 / 总结 and their dated steps) to a campaign.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/tasks/default", tag = "preparation",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 201, body = Vec<task::Model>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn default_checklist(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
) -> Result<(StatusCode, Json<Vec<task::Model>>), AppError> {
    Ok((StatusCode::CREATED, Json(planning::add_default_checklist(&s.store, actor, id).await?)))
}

/// Change a task's status (and notes): the leads of the task's venue may, besides the
/// campaign's organizers; tasks without a venue are the organizers' alone.
#[utoipa::path(put, path = "/api/v1/tasks/{id}/status", tag = "preparation",
    params(("id" = i32, Path, description = "task id")), request_body = TaskStatusInput,
    responses((status = 200, body = task::Model), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn set_task_status(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<TaskStatusInput>,
) -> Result<Json<task::Model>, AppError> {
    Ok(Json(planning::set_task_status(&s.store, actor, id, &input).await?))
}

/// Evidence files may be this big, with room for a multipart envelope.
pub const EVIDENCE_BODY_LIMIT: usize = eventday_domain::photo::MAX_EVIDENCE_BYTES + 64 * 1024;

/// Query of an evidence upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvidenceQuery {
    /// The file's name, for a raw body (a multipart form gives its own).
    pub name: Option<String>,
}

/// Attach a photo (JPEG, PNG, WebP) or a PDF to a task as evidence: the raw bytes, or a
/// multipart form whose first part is the file (field `file`). The type is judged by the
/// bytes.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/evidence", tag = "preparation",
    params(("id" = i32, Path, description = "task id"), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/pdf", description = "file bytes, or multipart/form-data"),
    responses((status = 201, body = task_evidence::Model), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn add_evidence(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
    req: Request,
) -> Result<(StatusCode, Json<task_evidence::Model>), AppError> {
    let file_field = |why: String| {
        let mut f = FieldErrors::new();
        f.insert("file".into(), why);
        f
    };
    let too_large = || {
        let why = EvidenceRejection::TooLarge.to_string();
        AppError::TooLargeField { message: why.clone(), fields: file_field(why) }
    };
    let (bytes, name) = uploaded_file(req, &s, too_large).await.map_err(|e| match e {
        AppError::TooLarge(_) => too_large(),
        e => e,
    })?;
    let name = name.or(q.name).unwrap_or_default();
    match prep::add_evidence(&s.store, actor, id, &name, bytes).await? {
        Ok(row) => Ok((StatusCode::CREATED, Json(row))),
        Err(EvidenceRejection::TooLarge) => Err(too_large()),
        Err(r @ EvidenceRejection::Unsupported) => Err(AppError::Invalid(file_field(r.to_string()))),
    }
}

/// The evidence files of a task (without their bytes).
#[utoipa::path(get, path = "/api/v1/tasks/{id}/evidence", tag = "preparation",
    params(("id" = i32, Path, description = "task id")),
    responses((status = 200, body = Vec<task_evidence::Model>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_evidence(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Vec<task_evidence::Model>>, AppError> {
    Ok(Json(prep::list_evidence(&s.store, &std::iter::once(id).collect()).await?))
}

/// An evidence file's bytes, with the content type judged at upload; served as an attachment
/// unless it is a photo, so a PDF is downloaded rather than run in the page's origin.
#[utoipa::path(get, path = "/api/v1/evidence/{id}", tag = "preparation",
    params(("id" = i32, Path, description = "evidence id")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_evidence(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Response, AppError> {
    let e = prep::get_evidence(&s.store, id).await?;
    let disposition = if e.content_type.starts_with("image/") {
        "inline".to_owned()
    } else {
        format!("attachment; filename=\"evidence-{}.pdf\"", e.id)
    };
    Ok(([(header::CONTENT_TYPE, e.content_type), (header::CONTENT_DISPOSITION, disposition)], e.bytes)
        .into_response())
}

/// Readiness per venue (tasks done of tasks, units arrived of units expected) and the overdue
/// tasks.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/readiness", tag = "preparation",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = Readiness), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn readiness(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Readiness>, AppError> {
    planning::campaigns::get(&s.store, id).await?;
    Ok(Json(prep::readiness(&s.store, id, chrono::Utc::now().date_naive()).await?))
}

/// Sign a participant in at a venue (QR scan, list tick or paper sheet). 201 when stored now,
/// 200 with the stored row when it already was (the same id resent, or the participant already
/// signed in).
#[utoipa::path(post, path = "/api/v1/venues/{id}/check-ins", tag = "preparation",
    params(("id" = i32, Path, description = "venue id")), request_body = CheckInInput,
    responses((status = 201, body = check_in::Model), (status = 200, body = check_in::Model), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn check_in(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<CheckInInput>,
) -> Result<(StatusCode, Json<check_in::Model>), AppError> {
    Ok(match prep::check_in(&s.store, actor, id, &input).await? {
        CheckedIn::Created(m) => (StatusCode::CREATED, Json(m)),
        CheckedIn::Existing(m) => (StatusCode::OK, Json(m)),
    })
}

/// A campaign's check-ins.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/check-ins", tag = "preparation",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = Vec<check_in::Model>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_check_ins(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Vec<check_in::Model>>, AppError> {
    planning::campaigns::get(&s.store, id).await?;
    Ok(Json(prep::list_check_ins(&s.store, id).await?))
}

/// Send a message to the leads of chosen venues (all when `venue_ids` is empty).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/messages", tag = "preparation",
    params(("id" = i32, Path, description = "campaign id")), request_body = MessageInput,
    responses((status = 201, body = lead_message::Model), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn send_message(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<MessageInput>,
) -> Result<(StatusCode, Json<lead_message::Model>), AppError> {
    Ok((StatusCode::CREATED, Json(prep::send_message(&s.store, actor, id, &input).await?)))
}

/// A campaign's messages, newest first, with who has read them.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/messages", tag = "preparation",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = Vec<SentMessage>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_messages(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Vec<SentMessage>>, AppError> {
    planning::campaigns::get(&s.store, id).await?;
    Ok(Json(prep::campaign_messages(&s.store, id).await?))
}

/// Query of a venue's messages.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MessagesQuery {
    /// Only messages with a larger id (the last one the page saw).
    pub after: Option<i32>,
}

/// The messages sent to a venue's leads (oldest first), with when the caller read each.
#[utoipa::path(get, path = "/api/v1/venues/{id}/messages", tag = "preparation",
    params(("id" = i32, Path, description = "venue id"), MessagesQuery),
    responses((status = 200, body = Vec<LeadMessageView>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn venue_messages(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<MessagesQuery>,
) -> Result<Json<Vec<LeadMessageView>>, AppError> {
    Ok(Json(prep::venue_messages(&s.store, id, actor, q.after.unwrap_or(0)).await?))
}

/// Mark a message read by the caller (a read receipt for the organizers).
#[utoipa::path(post, path = "/api/v1/venues/{id}/messages/{message_id}/read", tag = "preparation",
    params(("id" = i32, Path, description = "venue id"), ("message_id" = i32, Path, description = "message id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath((id, message_id)): ApiPath<(i32, i32)>,
) -> Result<StatusCode, AppError> {
    let Some(user) = actor else {
        return Err(AppError::Forbidden("only a signed-in lead can read a message".into()));
    };
    prep::mark_read(&s.store, user, id, message_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// New messages to a venue's leads, live (Server-Sent Events `message`, id = message id). A
/// page that reconnects sends `Last-Event-ID` (or `?after=`) and gets what it missed first.
#[utoipa::path(get, path = "/api/v1/venues/{id}/messages/live", tag = "preparation",
    params(("id" = i32, Path, description = "venue id"), MessagesQuery),
    responses((status = 200, description = "text/event-stream of `message` events"), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn messages_live(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<MessagesQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let header =
        headers.get("last-event-id").and_then(|h| h.to_str().ok()).and_then(|h| h.parse::<i32>().ok());
    let after = header.or(q.after).unwrap_or(0);
    // Fails with 404 for an unknown venue before the stream starts.
    let first = prep::venue_messages(&s.store, id, actor, after).await?;
    let campaign_id = planning::venues::get(&s.store, id).await?.campaign_id;
    let store = s.store.clone();
    let stream = futures_util::stream::unfold(
        (std::collections::VecDeque::from(first), after),
        move |(mut pending, mut last)| {
            let store = store.clone();
            async move {
                loop {
                    if let Some(m) = pending.pop_front() {
                        last = last.max(m.id);
                        let ev = Event::default().event("message").id(m.id.to_string()).json_data(&m).ok()?;
                        return Some((Ok(ev), (pending, last)));
                    }
                    tokio::time::sleep(MESSAGE_POLL).await;
                    // One cheap query a second; the messages are read only when one is newer.
                    let newest = match prep::newest_message_id(&store, campaign_id).await {
                        Ok(newest) if newest <= last => continue,
                        Ok(newest) => newest,
                        Err(e) => {
                            tracing::warn!(error = %e, "message stream ended on a database error");
                            return None;
                        }
                    };
                    match prep::venue_messages(&store, id, actor, last).await {
                        Ok(next) => {
                            pending.extend(next);
                            // Messages up to `newest` for other venues are not read again.
                            last = last.max(newest);
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "message stream ended on a database error");
                            return None;
                        }
                    }
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
