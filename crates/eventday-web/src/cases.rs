//! Complaint cases in the JSON API (issue 22): intake at a venue (offline-safe by client id),
//! the workflow's steps, its evidence photos, the organizers' view of a consumer's full contact
//! (audited) and an organization's retention period. Pages are in [`crate::web`]; the rules are in
//! [`eventday_store::cases`].

use crate::auth::{Entity, RouteSpec, Rule, Target, documented};
use crate::extract::{Actor, ApiJson, ApiPath, uploaded_file};
use crate::{AppError, AppState, ErrorBody};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use eventday_domain::FieldErrors;
use eventday_domain::cases::{CaseIntake, CaseStepInput};
use eventday_store::cases::{self, CaseView};
use eventday_store::entities::case_evidence;
use eventday_store::log::PhotoRejection;
use serde::{Deserialize, Serialize};

/// The routes: intake, steps and evidence photos for those who log the venue's day (its leads,
/// organizers), the full contact and the retention period for organizers only. The photos are
/// personal data: only the case's venue's leads and the campaign's organizers get them (not
/// viewers nor other venues' leads, and never the public status page).
pub(crate) fn routes() -> Vec<RouteSpec> {
    use Entity::{Campaign, CaseEvidence, Dispute, Organization, Venue};
    const VENUE: &[Target] = &[Target::Path(Venue, "id")];
    const CAMPAIGN: &[Target] = &[Target::Path(Campaign, "id")];
    const CASE: &[Target] = &[Target::Path(Dispute, "id")];
    const ORG: &[Target] = &[Target::Path(Organization, "id")];
    const EVIDENCE: &[Target] = &[Target::Path(CaseEvidence, "id")];
    vec![
        documented!(Rule::Log(VENUE), take_case),
        documented!(Rule::Read(CAMPAIGN), list_cases),
        documented!(Rule::Read(CASE), get_case),
        documented!(Rule::Log(CASE), record_step),
        documented!(Rule::Log(CASE), add_case_evidence, limit = crate::api::log::PHOTO_BODY_LIMIT),
        documented!(Rule::Log(CASE), list_case_evidence),
        documented!(Rule::Log(EVIDENCE), get_case_evidence),
        documented!(Rule::Plan(CASE), reveal_contact),
        documented!(Rule::Plan(ORG), set_retention),
    ]
}

/// Take a complaint at a venue as a case. A name and phone are kept only with `consent`
/// (sealed at rest); a retry with the same `client_id` answers the stored case (200) instead of
/// storing it again (201).
#[utoipa::path(post, path = "/api/v1/venues/{id}/cases", tag = "cases",
    params(("id" = i32, Path, description = "venue id")), request_body = CaseIntake,
    responses((status = 201, body = CaseView, description = "stored"), (status = 200, body = CaseView, description = "already stored (a retry)"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 423, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(venue = id))]
async fn take_case(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(input): ApiJson<CaseIntake>,
) -> Result<(StatusCode, Json<CaseView>), AppError> {
    let (view, created) = cases::intake(&s.store, s.case_key()?, actor, id, &input).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(view)))
}

/// A campaign's cases, newest first (names and phones masked).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/cases", tag = "cases",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = Vec<CaseView>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn list_cases(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Vec<CaseView>>, AppError> {
    Ok(Json(cases::list(&s.store, s.case_key()?, id).await?))
}

/// One case (name and phone masked), with its steps and ODR deadline.
#[utoipa::path(get, path = "/api/v1/disputes/{id}/case", tag = "cases",
    params(("id" = i32, Path, description = "dispute id")),
    responses((status = 200, body = CaseView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn get_case(State(s): State<AppState>, ApiPath(id): ApiPath<i32>) -> Result<Json<CaseView>, AppError> {
    Ok(Json(cases::get(&s.store, s.case_key()?, id).await?))
}

/// Record a step: mediating, settled (with `amount_recovered_fen`), referred to ODR (the
/// deadline is 10 working days, Chinese holidays and adjusted weekends counted), referred to
/// 12315 (with `reference_12315`) or closed. An illegal move is a 422 naming `stage`.
#[utoipa::path(post, path = "/api/v1/disputes/{id}/case/steps", tag = "cases",
    params(("id" = i32, Path, description = "dispute id")), request_body = CaseStepInput,
    responses((status = 200, body = CaseView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn record_step(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(step): ApiJson<CaseStepInput>,
) -> Result<Json<CaseView>, AppError> {
    Ok(Json(cases::record_step(&s.store, s.case_key()?, actor, id, &step).await?))
}

/// A consumer's full name and phone.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FullContact {
    /// Name, if kept.
    pub name: Option<String>,
    /// Phone, if kept.
    pub phone: Option<String>,
}

/// The consumer's full name and phone, for organizers (a POST: every view is recorded in the
/// audit trail).
#[utoipa::path(post, path = "/api/v1/disputes/{id}/case/contact", tag = "cases",
    params(("id" = i32, Path, description = "dispute id")),
    responses((status = 200, body = FullContact), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn reveal_contact(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<FullContact>, AppError> {
    let c = cases::reveal_contact(&s.store, s.case_key()?, actor, id).await?;
    Ok(Json(FullContact { name: c.name, phone: c.phone }))
}

/// An organization's retention period for consumers' personal data.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// Days after a case's intake before its personal data is purged (default 365).
    pub retention_days: i32,
}

/// Set an organization's retention period (0 to 3650 days).
#[utoipa::path(put, path = "/api/v1/organizations/{id}/case-settings", tag = "cases",
    params(("id" = i32, Path, description = "organization id")), request_body = Retention,
    responses((status = 200, body = Retention), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn set_retention(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    ApiJson(r): ApiJson<Retention>,
) -> Result<Json<Retention>, AppError> {
    let row = cases::set_retention(&s.store, actor, id, r.retention_days).await?;
    Ok(Json(Retention { retention_days: row.retention_days }))
}

fn file_field(why: String) -> FieldErrors {
    let mut f = FieldErrors::new();
    f.insert("file".into(), why);
    f
}

fn photo_too_large() -> AppError {
    let why = PhotoRejection::TooLarge.to_string();
    AppError::TooLargeField { message: why.clone(), fields: file_field(why) }
}

/// Attach an evidence photo to a case (a receipt, the product, the shop): the raw image as the
/// body, or the first part of a multipart form (field `file`). The type is judged by the bytes
/// (JPEG, PNG, WebP; anything else is a 422 naming `file`). The same picture sent again answers
/// the stored photo (200) instead of storing it twice (201).
#[utoipa::path(post, path = "/api/v1/disputes/{id}/case/evidence", tag = "cases",
    params(("id" = i32, Path, description = "dispute id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "image bytes, or multipart/form-data"),
    responses((status = 201, body = case_evidence::Model, description = "stored"),
        (status = 200, body = case_evidence::Model, description = "already stored (a retry)"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn add_case_evidence(
    State(s): State<AppState>,
    Actor(actor): Actor,
    ApiPath(id): ApiPath<i32>,
    req: Request,
) -> Result<(StatusCode, Json<case_evidence::Model>), AppError> {
    let (bytes, _) = uploaded_file(req, &s, photo_too_large).await.map_err(|e| match e {
        AppError::TooLarge(_) => photo_too_large(),
        e => e,
    })?;
    match cases::add_evidence(&s.store, actor, id, bytes).await? {
        Ok((row, created)) => Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(row))),
        Err(PhotoRejection::TooLarge) => Err(photo_too_large()),
        Err(r @ PhotoRejection::NotAnImage) => Err(AppError::Invalid(file_field(r.to_string()))),
    }
}

/// A case's evidence photos (without their bytes), oldest first.
#[utoipa::path(get, path = "/api/v1/disputes/{id}/case/evidence", tag = "cases",
    params(("id" = i32, Path, description = "dispute id")),
    responses((status = 200, body = Vec<case_evidence::Model>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn list_case_evidence(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Vec<case_evidence::Model>>, AppError> {
    Ok(Json(cases::list_evidence(&s.store, id).await?))
}

/// An evidence photo's bytes, with the content type judged at upload (never cached by shared
/// caches: it is personal data).
#[utoipa::path(get, path = "/api/v1/case-evidence/{id}", tag = "cases",
    params(("id" = i32, Path, description = "evidence photo id")),
    responses((status = 200, content_type = "image/*", body = Vec<u8>), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn get_case_evidence(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Response, AppError> {
    let e = cases::get_evidence(&s.store, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, e.content_type),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (header::CONTENT_DISPOSITION, "inline".to_owned()),
        ],
        e.bytes,
    )
        .into_response())
}
