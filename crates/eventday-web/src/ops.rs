//! Event-day operations: roll-ups over organization trees and the live feed (Server-Sent Events).

use crate::auth::{RouteSpec, Rule, Target, documented};
use crate::{AppError, AppState, ErrorBody};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use eventday_domain::FieldErrors;
use eventday_store::live::{self, Cursor, LiveEntry, LiveMessage, Scope, Subscription};
use eventday_store::rollup::{self, MAX_PAGE, RollupDistrict, RollupTotals};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

/// The operations routes, each with its access rule: roll-ups and feeds are read access to
/// the organization or campaign (organizers and viewers of its tree, leads of the campaign).
pub(crate) fn routes() -> Vec<RouteSpec> {
    use crate::auth::Entity::{Campaign, Organization};
    const ORG: &[Target] = &[Target::Path(Organization, "id")];
    const CAMPAIGN: &[Target] = &[Target::Path(Campaign, "id")];
    vec![
        documented!(Rule::Read(ORG), rollup),
        documented!(Rule::Read(ORG), organization_live),
        documented!(Rule::Read(CAMPAIGN), campaign_live),
    ]
}

/// Schemas the feeds' descriptions name (their bodies are Server-Sent Events, not JSON).
pub(crate) fn schemas() -> Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)> {
    let mut v = crate::openapi::schema_of::<LiveEntry>();
    v.extend(crate::openapi::schema_of::<LiveTotalsEvent>());
    v.extend(crate::openapi::schema_of::<eventday_store::live::LiveSubmission>());
    v
}

fn path_id(id: Result<Path<i32>, PathRejection>, what: &str) -> Result<i32, AppError> {
    id.map(|Path(id)| id).map_err(|_| AppError::BadRequest(format!("{what} id must be a whole number")))
}

/// Reads a whole-number query parameter, naming it when it is not one.
pub(crate) fn int_param<T: std::str::FromStr>(
    q: &HashMap<String, String>,
    name: &str,
    errors: &mut FieldErrors,
) -> Option<T> {
    let raw = q.get(name)?;
    raw.trim().parse::<T>().map_err(|_| errors.insert(name.into(), "must be a whole number".into())).ok()
}

/// The year (required, 1980 to 2200) of a query.
pub(crate) fn year_param(q: &HashMap<String, String>, errors: &mut FieldErrors) -> Option<i32> {
    match int_param::<i32>(q, "year", errors) {
        Some(y) if (1980..=2200).contains(&y) => Some(y),
        Some(_) => {
            errors.insert("year".into(), "must be between 1980 and 2200".into());
            None
        }
        None => {
            errors.entry("year".into()).or_insert_with(|| "is required".into());
            None
        }
    }
}

/// The roll-up basis of a query (`basis=logged|accepted`, default `logged`).
pub(crate) fn basis_param(
    q: &HashMap<String, String>,
    errors: &mut FieldErrors,
) -> eventday_store::rollup::Basis {
    use eventday_store::rollup::Basis;
    match q.get("basis") {
        None => Basis::Logged,
        Some(b) => Basis::parse(b).unwrap_or_else(|| {
            errors.insert("basis".into(), "must be `logged` or `accepted`".into());
            Basis::Logged
        }),
    }
}

/// The organization a roll-up is of.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct OrganizationRef {
    /// Id.
    id: i32,
    /// Name.
    name: String,
}

/// One page of a roll-up.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct RollupPage {
    /// The organization.
    organization: OrganizationRef,
    /// The year.
    year: i32,
    /// What the roll-up counts: `logged` or `accepted`.
    basis: rollup::Basis,
    /// Totals of the organization and all its descendants for the year (every page).
    totals: RollupTotals,
    /// This page of districts, by campaign id.
    districts: Vec<RollupDistrict>,
    /// Pass as `after` for the next page; null on the last page.
    next_after: Option<i32>,
}

/// Query of a roll-up (read leniently: unknown parameters are ignored).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "read only by the OpenAPI derive; the handler reads the query by name")]
struct RollupQuery {
    /// The campaign year, 1980 to 2200.
    year: i32,
    /// The `next_after` of the previous page (a campaign id).
    after: Option<i32>,
    /// Districts per page, 1 to 1000 (default 100).
    limit: Option<u64>,
    /// `logged` (everything logged so far, default) or `accepted` (accepted submissions only).
    basis: Option<String>,
}

/// Totals of an organization and all its descendants for a year, and one page of its districts
/// (campaigns of the subtree, by campaign id).
#[utoipa::path(get, path = "/api/v1/organizations/{id}/rollup", tag = "operations",
    params(("id" = i32, Path, description = "organization id"), RollupQuery),
    responses((status = 200, body = RollupPage), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`year` missing or out of range, `after` or `limit` not valid")))]
#[tracing::instrument(skip_all)]
async fn rollup(
    State(state): State<AppState>,
    id: Result<Path<i32>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<RollupPage>, AppError> {
    let id = path_id(id, "organization")?;
    let mut errors = FieldErrors::new();
    let year = year_param(&q, &mut errors);
    let after: Option<i32> = int_param(&q, "after", &mut errors);
    let limit: u64 = int_param(&q, "limit", &mut errors).unwrap_or(100);
    let basis = basis_param(&q, &mut errors);
    if !(1..=MAX_PAGE).contains(&limit) {
        errors.insert("limit".into(), format!("must be between 1 and {MAX_PAGE}"));
    }
    let (Some(year), true) = (year, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let name = rollup::organization_name(&state.store, id).await?;
    let totals = rollup::rollup_totals_on(&state.store, id, year, basis).await?;
    let districts = rollup::rollup_districts_on(&state.store, id, year, after, limit, basis).await?;
    let next_after =
        (districts.len() as u64 == limit).then(|| districts.last().map(|d| d.campaign_id)).flatten();
    Ok(Json(RollupPage {
        organization: OrganizationRef { id, name },
        year,
        basis,
        totals,
        districts,
        next_after,
    }))
}

/// The resume cursor from `Last-Event-ID` (browsers send it on reconnect) or `?after=`.
fn resume_cursor(headers: &HeaderMap, q: &LiveQuery) -> Result<Option<Cursor>, AppError> {
    let raw = headers.get("last-event-id").and_then(|v| v.to_str().ok()).or(q.after.as_deref());
    raw.filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse::<Cursor>()
                .map_err(|e| AppError::BadRequest(format!("bad Last-Event-ID/after: {e}")))
        })
        .transpose()
}

/// Query of the live endpoints.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct LiveQuery {
    /// A cursor to resume after, for clients that cannot set `Last-Event-ID`.
    after: Option<String>,
}

/// The resume header of the live endpoints (the handlers read it from the header map).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[expect(dead_code, reason = "read only by the OpenAPI derive")]
struct LiveResumeHeader {
    /// the id of the last `entry` event received (`MICROS_UUID`); wins over `after`
    #[param(rename = "Last-Event-ID")]
    last_event_id: Option<String>,
}

/// The answers of the live endpoints.
#[derive(utoipa::IntoResponses)]
#[expect(dead_code, reason = "read only by the OpenAPI derive")]
enum LiveResponses {
    /// the event stream (`entry`, `totals`, `lagged` events; see the description)
    #[response(status = 200, content_type = "text/event-stream")]
    Stream(String),
    /// a malformed id, `Last-Event-ID` or `after`
    #[response(status = 400)]
    BadRequest(ErrorBody),
    #[response(status = 404)]
    NotFound(ErrorBody),
}

/// The data of a `totals` event of the live feed.
#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "read only by the OpenAPI derive; the event is built with json!")]
struct LiveTotalsEvent {
    /// Running totals of the campaigns whose entries were just sent.
    campaigns: Vec<eventday_store::live::LiveTotals>,
}

/// The description shared by both live feeds.
macro_rules! live_feed_doc {
    () => {
        "A Server-Sent Events stream (`text/event-stream`) that stays open. Events:\n\n\
        - `event: entry`, `id: <cursor>`, `data:` a `LiveEntry` as JSON: a log entry just stored \
        (in the order stored).\n\
        - `event: totals`, `data:` a `LiveTotalsEvent` as JSON (`{\"campaigns\":[LiveTotals…]}`): \
        running totals of the campaigns whose entries were just sent, at most every 0.5 s.\n\
        - `event: submission`, `data:` a `LiveSubmission` as JSON: a campaign's submission was just \
        submitted, accepted, returned or withdrawn (not replayed on resume).\n\
        - `event: lagged`, `data: reconnect with Last-Event-ID`: the client fell too far behind; \
        the stream ends.\n\n\
        Comment lines (`:`) are sent as keep-alives. To resume without gaps, reconnect with the \
        `Last-Event-ID` header (browsers' `EventSource` does this itself) or `?after=` set to the \
        last `entry` event's id (`MICROS_UUID`); entries stored after it are sent first. Without \
        either, the stream starts with what is stored from now on."
    };
}

/// New log entries and running totals of one campaign, live.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/live", tag = "operations", description = live_feed_doc!(),
    params(("id" = i32, Path, description = "campaign id"), LiveQuery, LiveResumeHeader), responses(LiveResponses))]
#[tracing::instrument(skip_all)]
async fn campaign_live(
    State(state): State<AppState>,
    id: Result<Path<i32>, PathRejection>,
    headers: HeaderMap,
    Query(q): Query<LiveQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let id = path_id(id, "campaign")?;
    let after = resume_cursor(&headers, &q)?;
    live::ensure_campaign(&state.store, id).await?;
    let sub = live::subscribe(&state.store, Scope::Campaign(id), after).await?;
    Ok(sse(sub))
}

/// New log entries and running totals of every campaign of the organization and its
/// descendants (as they were when the stream began), live.
#[utoipa::path(get, path = "/api/v1/organizations/{id}/live", tag = "operations", description = live_feed_doc!(),
    params(("id" = i32, Path, description = "organization id"), LiveQuery, LiveResumeHeader), responses(LiveResponses))]
#[tracing::instrument(skip_all)]
async fn organization_live(
    State(state): State<AppState>,
    id: Result<Path<i32>, PathRejection>,
    headers: HeaderMap,
    Query(q): Query<LiveQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let id = path_id(id, "organization")?;
    let after = resume_cursor(&headers, &q)?;
    let campaigns = live::subtree_campaigns(&state.store, id).await?;
    let sub = live::subscribe(&state.store, Scope::Campaigns(Arc::new(campaigns)), after).await?;
    Ok(sse(sub))
}

/// Turns a subscription into SSE events. Entry events carry the cursor as their id; a `lagged`
/// event ends the stream and the client reconnects with `Last-Event-ID`.
fn sse(sub: Subscription) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = futures_util::stream::unfold(Some(sub), |sub| async move {
        let mut sub = sub?;
        let event = match sub.next().await {
            Ok(Some(LiveMessage::Entry(e))) => {
                Event::default().event("entry").id(e.cursor().to_string()).json_data(&*e).ok()?
            }
            Ok(Some(LiveMessage::Totals(t))) => {
                Event::default().event("totals").json_data(json!({"campaigns": t})).ok()?
            }
            Ok(Some(LiveMessage::Submission(m))) => {
                Event::default().event("submission").json_data(&*m).ok()?
            }
            Ok(Some(LiveMessage::Lagged)) => {
                Event::default().event("lagged").data("reconnect with Last-Event-ID")
            }
            Ok(None) => return None,
            Err(e) => {
                tracing::warn!(error = %e, "live feed ended on a database error");
                return None;
            }
        };
        Some((Ok(event), Some(sub)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
