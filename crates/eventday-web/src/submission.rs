//! Reporting up the hierarchy: a campaign's submission (报送) to its parent organization, the
//! parent's decision, the completeness of an organization's children, and the roll-up PDF with
//! its basis ("accepted submissions only" or "everything logged so far").
//!
//! The submission's steps are sub-paths of `/api/v1/campaigns/{id}/submission`: `submit`,
//! `accept`, `return` (with a required `comment`) and `withdraw`, each a POST answering the
//! submission as it now stands.

use crate::auth::{Caller, RouteSpec, Rule, Target, documented};
use crate::extract::{ApiJson, ApiPath};
use crate::ops::{basis_param, int_param, year_param};
use crate::{AppError, AppState, ErrorBody};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use eventday_domain::FieldErrors;
use eventday_store::completeness::{self, CompletenessPage};
use eventday_store::submission::{self, Decision, Submission, SubmissionState, SubmitInput};
use serde::Deserialize;
use std::collections::HashMap;

/// The routes: reading is for the campaign's (or organization's) readers; submitting and
/// deciding are planning of the campaign (organizers of its organization or above it), and the
/// store lets only organizers above the district decide.
pub(crate) fn routes() -> Vec<RouteSpec> {
    use crate::auth::Entity::{Campaign, Organization};
    const CAMPAIGN: &[Target] = &[Target::Path(Campaign, "id")];
    const ORG: &[Target] = &[Target::Path(Organization, "id")];
    vec![
        documented!(Rule::Read(CAMPAIGN), get_submission),
        documented!(Rule::Read(CAMPAIGN), submission_report),
        documented!(Rule::Plan(CAMPAIGN), submit_campaign),
        documented!(Rule::Plan(CAMPAIGN), accept_submission),
        documented!(Rule::Plan(CAMPAIGN), return_submission),
        documented!(Rule::Plan(CAMPAIGN), withdraw_acceptance),
        documented!(Rule::Read(ORG), get_completeness),
        documented!(Rule::Plan(ORG), set_cutoff),
        documented!(Rule::Read(ORG), rollup_pdf),
    ]
}

/// A campaign's submission state.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/submission", tag = "submissions",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = SubmissionState), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn get_submission(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<SubmissionState>, AppError> {
    Ok(Json(submission::state(&state.store, id).await?))
}

/// The report PDF stored with the campaign's submission (as generated when it was submitted).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/submission/report.pdf", tag = "submissions",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, content_type = "application/pdf", body = crate::openapi::Binary, description = "the report as submitted"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody, description = "no such campaign, or never submitted")))]
#[tracing::instrument(skip_all)]
async fn submission_report(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Response, AppError> {
    let pdf = submission::report_pdf(&state.store, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("campaign {id} has not been submitted")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"campaign-{id}-submitted.pdf\"")),
        ],
        pdf,
    )
        .into_response())
}

/// What a district sends with its submission.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubmitBody {
    /// A note to the parent organization (at most 2,000 characters).
    #[serde(default)]
    note: String,
    /// A client-made UUID: a retry with the same id is stored once.
    #[serde(default)]
    client_id: Option<uuid::Uuid>,
}

/// Submit the campaign to its organization's parent: its figures and its report PDF as they are
/// now, with a note. Allowed when never submitted or when returned.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/submission/submit", tag = "submissions",
    params(("id" = i32, Path, description = "campaign id")), request_body = SubmitBody,
    responses((status = 200, body = Submission), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "already submitted or accepted, or no parent organization"),
        (status = 422, body = ErrorBody, description = "`note` too long")))]
#[tracing::instrument(skip_all)]
async fn submit_campaign(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> Result<Json<Submission>, AppError> {
    let input = SubmitInput { note: body.note, client_id: body.client_id };
    Ok(Json(submission::submit(&state.store, id, &input, caller.actor()).await?))
}

async fn decide(
    state: &AppState,
    caller: &Caller,
    id: i32,
    d: Decision,
) -> Result<Json<Submission>, AppError> {
    Ok(Json(submission::decide(&state.store, id, &d, caller.actor()).await?))
}

/// Accept the submitted campaign (an organizer of the parent organization or above): its
/// figures are locked (writes answer 423) until the acceptance is withdrawn.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/submission/accept", tag = "submissions",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = Submission), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such campaign, or never submitted"),
        (status = 409, body = ErrorBody, description = "the submission is not waiting for a decision")))]
#[tracing::instrument(skip_all)]
async fn accept_submission(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Submission>, AppError> {
    decide(&state, &caller, id, Decision::Accept).await
}

/// Why a submission goes back.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReturnBody {
    /// What the district must change (required, at most 2,000 characters).
    #[serde(default)]
    comment: String,
}

/// Return the submitted campaign to the district with a comment; it shows on the district's
/// dashboard and the district may submit again.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/submission/return", tag = "submissions",
    params(("id" = i32, Path, description = "campaign id")), request_body = ReturnBody,
    responses((status = 200, body = Submission), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such campaign, or never submitted"),
        (status = 409, body = ErrorBody, description = "the submission is not waiting for a decision"),
        (status = 422, body = ErrorBody, description = "`comment` missing or too long")))]
#[tracing::instrument(skip_all)]
async fn return_submission(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<ReturnBody>,
) -> Result<Json<Submission>, AppError> {
    decide(&state, &caller, id, Decision::Return(body.comment)).await
}

/// Withdraw the acceptance (the accepting level): the figures are unlocked and the submission
/// waits for a decision again.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/submission/withdraw", tag = "submissions",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = Submission), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such campaign, or never submitted"),
        (status = 409, body = ErrorBody, description = "the submission is not accepted")))]
#[tracing::instrument(skip_all)]
async fn withdraw_acceptance(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Submission>, AppError> {
    decide(&state, &caller, id, Decision::Withdraw).await
}

/// Query of the completeness (read leniently: unknown parameters are ignored).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "read only by the OpenAPI derive; the handler reads the query by name")]
struct CompletenessQuery {
    /// The campaign year, 1980 to 2200.
    year: i32,
    /// The `next_after` of the previous page (an organization id).
    after: Option<i32>,
    /// Rows per page, 1 to 1000 (default 100).
    limit: Option<u64>,
}

/// Who has reported: one row per child organization with its status (not_started, returned,
/// logging, day_closed, submitted, accepted), last entry, key figures and submitted report; totals
/// over the whole subtree on every page; once the cut-off has passed, the districts that have not
/// submitted with their organizers as contacts (first page).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/completeness", tag = "submissions",
    params(("id" = i32, Path, description = "organization id"), CompletenessQuery),
    responses((status = 200, body = CompletenessPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`year` missing or out of range, `after` or `limit` not valid")))]
#[tracing::instrument(skip_all)]
async fn get_completeness(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<CompletenessPage>, AppError> {
    let mut errors = FieldErrors::new();
    let year = year_param(&q, &mut errors);
    let after: Option<i32> = int_param(&q, "after", &mut errors);
    let limit: u64 = int_param(&q, "limit", &mut errors).unwrap_or(100);
    if !(1..=completeness::MAX_PAGE).contains(&limit) {
        errors.insert("limit".into(), format!("must be between 1 and {}", completeness::MAX_PAGE));
    }
    let (Some(year), true) = (year, errors.is_empty()) else { return Err(AppError::Invalid(errors)) };
    Ok(Json(completeness::completeness(&state.store, id, year, after, limit).await?))
}

/// The cut-off after which the children that have not submitted are listed.
#[derive(Debug, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CutoffBody {
    /// The campaign year, 1980 to 2200.
    year: i32,
    /// The cut-off time (RFC 3339, e.g. `2026-03-20T17:00:00+08:00`).
    cutoff_at: chrono::DateTime<chrono::FixedOffset>,
}

/// Set the cut-off for the organization's children's submissions of a year.
#[utoipa::path(put, path = "/api/v1/organizations/{id}/submission-cutoff", tag = "submissions",
    params(("id" = i32, Path, description = "organization id")), request_body = CutoffBody,
    responses((status = 200, body = CutoffBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`year` out of range")))]
#[tracing::instrument(skip_all)]
async fn set_cutoff(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<CutoffBody>,
) -> Result<Json<CutoffBody>, AppError> {
    if !(1980..=2200).contains(&body.year) {
        let mut f = FieldErrors::new();
        f.insert("year".into(), "must be between 1980 and 2200".into());
        return Err(AppError::Invalid(f));
    }
    let at =
        submission::set_cutoff(&state.store, id, body.year, body.cutoff_at.to_utc(), caller.actor()).await?;
    Ok(Json(CutoffBody { year: body.year, cutoff_at: at.fixed_offset() }))
}

/// Query of the roll-up PDF (read leniently: unknown parameters are ignored).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "read only by the OpenAPI derive; the handler reads the query by name")]
struct RollupPdfQuery {
    /// The campaign year, 1980 to 2200.
    year: i32,
    /// `logged` (everything logged so far, default) or `accepted` (accepted submissions only);
    /// printed on the document.
    basis: Option<String>,
    /// `zh` (default) or `en`.
    lang: Option<String>,
}

/// The roll-up of the organization and its descendants as PDF.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/rollup.pdf", tag = "submissions",
    params(("id" = i32, Path, description = "organization id"), RollupPdfQuery),
    responses((status = 200, content_type = "application/pdf", body = crate::openapi::Binary, description = "the roll-up"),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`year`, `basis` or `lang` not valid")))]
#[tracing::instrument(skip_all)]
async fn rollup_pdf(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::new();
    let year = year_param(&q, &mut errors);
    let basis = basis_param(&q, &mut errors);
    let lang = q
        .get("lang")
        .map_or(Ok(eventday_report::Lang::Zh), |l| eventday_report::parse_lang(l))
        .map_err(|e| errors.insert("lang".into(), e.to_string()))
        .ok();
    let (Some(year), Some(lang), true) = (year, lang, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let opts = eventday_report::RenderOptions { lang, ..Default::default() };
    let sink = SharedBuf::default();
    let out = eventday_store::report_data::render_rollup_on(
        &state.store,
        id,
        year,
        basis,
        opts,
        sink.clone(),
        |_| {},
    )
    .await;
    match out {
        Ok(_) => {}
        Err(eventday_store::report_data::ReportFailure::Store(e)) => return Err(e.into()),
        Err(e) => return Err(AppError::Internal(std::sync::Arc::new(e))),
    }
    let buf = std::mem::take(
        &mut *sink
            .0
            .lock()
            .map_err(|_| AppError::Internal(std::sync::Arc::new(std::io::Error::other("poisoned"))))?,
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"rollup-{id}-{year}-{}.pdf\"", basis.as_str()),
            ),
        ],
        buf,
    )
        .into_response())
}

/// A writer whose bytes can be taken back after the renderer (on another thread) finished.
#[derive(Clone, Default)]
pub(crate) struct SharedBuf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
