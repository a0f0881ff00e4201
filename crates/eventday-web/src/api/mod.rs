//! The JSON API under `/api/v1`: planning, the day's log, and the campaign listings.
//!
//! Every route is listed once, in [`routes`], with its access rule (see [`crate::auth`]); its
//! method and path are those of its handler's `#[utoipa::path]`. The router and the OpenAPI
//! document are built from that list and the other modules' (see [`crate::route_table`]), and
//! the end-to-end test checks each route against every role.

pub mod log;
pub mod photos;
pub mod planning;
pub mod preparation;

use crate::auth::{Caller, Entity, RouteSpec, Rule, Target, documented};
use crate::extract::{ApiPath, ApiQuery};
use crate::{AppError, AppState, ErrorBody};
use axum::Json;
use axum::extract::State;
use eventday_store::accounts::{self, InvitationListItem};
use eventday_store::audit;
use eventday_store::entities::audit_event;
use eventday_store::queries::{self, CampaignListItem, CampaignSummary};
use serde::{Deserialize, Serialize};

/// The five CRUD routes of a resource (`planning::$m::{list, create, get, update, delete}`),
/// with the rules for reading and writing its list and its items.
macro_rules! crud_routes {
    ($v:ident, $m:ident, list: $lread:expr, $lwrite:expr; item: $iread:expr, $iwrite:expr) => {
        $v.extend([
            documented!($lread, planning::$m::list),
            documented!($lwrite, planning::$m::create),
            documented!($iread, planning::$m::get),
            documented!($iwrite, planning::$m::update),
            documented!($iwrite, planning::$m::delete),
        ]);
    };
}

use Entity::{
    Activity, Booth, Campaign, Dispute, Evidence, LogEntry, Material, Media, Narrative, Official,
    Organization, Participation, Photo, Tally, Task, Venue,
};
use Target::{Body, Path};

/// Rows of a campaign / a venue, named by the path's `{id}`.
const CAMPAIGN: &[Target] = &[Path(Campaign, "id")];
const VENUE: &[Target] = &[Path(Venue, "id")];

/// Every API route, in one list, each with its access rule.
#[must_use]
pub(crate) fn routes() -> Vec<RouteSpec> {
    use Rule::{Authenticated, Log, Organizer, Plan, Read};
    const ENTRY: &[Target] = &[Path(LogEntry, "entry_id")];
    const ALLOCATION: &[Target] = &[Path(Material, "id"), Path(Venue, "venue_id")];
    let mut v = vec![
        // Everyone logged in sees the campaigns they may read (filtered in the handler).
        documented!(Authenticated, list_campaigns),
        documented!(Plan(&[Body(Organization, "organization_id")]), planning::campaigns::create),
        documented!(Read(CAMPAIGN), planning::campaigns::get),
        documented!(
            Plan(&[Path(Campaign, "id"), Body(Organization, "organization_id")]),
            planning::campaigns::update
        ),
        documented!(Plan(CAMPAIGN), planning::campaigns::delete),
        documented!(Read(CAMPAIGN), campaign_summary),
        // Lead invitations of the campaign's venues (without their secrets): for its planners.
        documented!(Plan(CAMPAIGN), list_invitations),
        documented!(Log(&[Path(Dispute, "id")]), planning::move_dispute),
        documented!(Read(&[Path(Material, "id")]), planning::list_allocations),
        documented!(Plan(ALLOCATION), planning::set_allocation),
        documented!(Plan(ALLOCATION), planning::delete_allocation),
        documented!(Log(&[Path(Activity, "id")]), planning::set_activity_figures),
        documented!(Log(VENUE), log::submit),
        documented!(Read(VENUE), log::list_venue),
        documented!(Read(CAMPAIGN), log::list_campaign),
        documented!(Read(ENTRY), log::get_entry),
        documented!(Read(ENTRY), log::list_photos),
        documented!(Read(&[Path(Photo, "id")]), log::get_photo),
        documented!(Read(&[Path(Photo, "id")]), photos::thumb),
        // The photos page's listing and archive: a lead gets their venues' photos only (the
        // handlers filter); the star and caption are written by those who log at the venue.
        documented!(Read(CAMPAIGN), photos::list),
        documented!(Read(CAMPAIGN), photos::zip),
        documented!(Log(&[Path(Photo, "id")]), photos::star),
        documented!(Log(&[Path(Photo, "id")]), photos::caption),
        documented!(Organizer, list_audit),
        documented!(Read(CAMPAIGN), crate::report::report_pdf),
        documented!(Read(CAMPAIGN), crate::report::report_docx),
        documented!(Read(CAMPAIGN), crate::report::tasks_pdf),
        documented!(Read(CAMPAIGN), crate::report::check_in_sheet_pdf),
        // Report settings: organizers of the campaign write them, its readers read them.
        documented!(Read(CAMPAIGN), crate::report::get_report_settings),
        documented!(Plan(CAMPAIGN), crate::report::put_report_settings),
        // Photos are bigger than JSON bodies: their own limit, checked again by the store.
        documented!(Log(ENTRY), log::add_photo, limit = log::PHOTO_BODY_LIMIT),
        // Importing is planning (all rows or none), whatever the kind; spreadsheets are bigger
        // than JSON bodies.
        documented!(Plan(CAMPAIGN), crate::csv::import, limit = crate::csv::UPLOAD_LIMIT),
        documented!(Read(CAMPAIGN), crate::csv::export),
        // The report's tables as a workbook; blank workbooks to fill in hold no data.
        documented!(Read(CAMPAIGN), crate::csv::report_xlsx),
        documented!(Authenticated, crate::csv::template),
    ];
    // Organizations: names are readable by anyone logged in; organizers manage their tree and
    // may add child organizations to it (a new root comes from the command line).
    crud_routes!(v, organizations,
        list: Authenticated, Plan(&[Body(Organization, "parent_id")]);
        item: Authenticated, Plan(&[Path(Organization, "id"), Body(Organization, "parent_id")]));
    // Units are a directory shared by every campaign.
    crud_routes!(v, units, list: Authenticated, Organizer; item: Authenticated, Organizer);
    crud_routes!(v, venues, list: Read(CAMPAIGN), Plan(CAMPAIGN); item: Read(VENUE), Plan(VENUE));
    crud_routes!(v, participations, list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Participation, "id")]), Plan(&[Path(Participation, "id")]));
    crud_routes!(v, booths, list: Read(VENUE), Plan(VENUE);
        item: Read(&[Path(Booth, "id")]), Plan(&[Path(Booth, "id")]));
    // Leads change an activity's figures through `/activities/{id}/figures`; the rest is planning.
    crud_routes!(v, activities, list: Read(VENUE), Plan(VENUE);
        item: Read(&[Path(Activity, "id")]), Plan(&[Path(Activity, "id")]));
    crud_routes!(v, materials, list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Material, "id")]), Plan(&[Path(Material, "id")]));
    crud_routes!(v, media, list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Media, "id")]), Plan(&[Path(Media, "id")]));
    crud_routes!(v, officials, list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Official, "id")]), Plan(&[Path(Official, "id")]));
    // Disputes are received at a venue: its leads record and follow them up.
    crud_routes!(v, disputes, list: Read(CAMPAIGN), Log(&[Path(Campaign, "id"), Body(Venue, "venue_id")]);
        item: Read(&[Path(Dispute, "id")]), Log(&[Path(Dispute, "id"), Body(Venue, "venue_id")]));
    // Closing tallies are counted at the venue: its leads record them, like the log.
    crud_routes!(v, tallies, list: Read(VENUE), Log(VENUE);
        item: Read(&[Path(Tally, "id")]), Log(&[Path(Tally, "id")]));
    crud_routes!(v, narrative, list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Narrative, "id")]), Plan(&[Path(Narrative, "id")]));
    // Before the day: the checklist, cloning, check-ins and messages to leads.
    crud_routes!(v, tasks, list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Task, "id")]), Plan(&[Path(Task, "id")]));
    v.extend([
        documented!(Plan(CAMPAIGN), preparation::clone_campaign),
        documented!(Plan(CAMPAIGN), preparation::default_checklist),
        // A lead changes the status and notes of their venue's tasks; a task without a venue
        // names no venue of theirs, so only organizers change it.
        documented!(Log(&[Path(Task, "id")]), preparation::set_task_status),
        // Evidence: attached by those who may change the task's status, read by the campaign's
        // readers.
        documented!(
            Log(&[Path(Task, "id")]),
            preparation::add_evidence,
            limit = preparation::EVIDENCE_BODY_LIMIT
        ),
        documented!(Read(&[Path(Task, "id")]), preparation::list_evidence),
        documented!(Read(&[Path(Evidence, "id")]), preparation::get_evidence),
        documented!(Read(CAMPAIGN), preparation::readiness),
        documented!(Log(VENUE), preparation::check_in),
        documented!(Read(CAMPAIGN), preparation::list_check_ins),
        documented!(Plan(CAMPAIGN), preparation::send_message),
        documented!(Plan(CAMPAIGN), preparation::list_messages),
        documented!(Log(VENUE), preparation::venue_messages),
        documented!(Log(VENUE), preparation::mark_read),
        documented!(Log(VENUE), preparation::messages_live),
    ]);
    v
}

/// Campaigns, newest day first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignList {
    /// The campaigns with their organization's name.
    pub campaigns: Vec<CampaignListItem>,
}

/// List campaigns, newest day first.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", responses((status = 200, body = CampaignList)))]
#[tracing::instrument(skip_all)]
async fn list_campaigns(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CampaignList>, AppError> {
    let campaigns = queries::list_readable_campaigns(&state.store, &caller.principal).await?;
    Ok(Json(CampaignList { campaigns }))
}

/// A campaign with its totals.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/summary", tag = "campaigns",
    params(("id" = i32, Path, description = "campaign id")),
    responses((status = 200, body = CampaignSummary), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn campaign_summary(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<CampaignSummary>, AppError> {
    Ok(Json(queries::campaign_summary(&state.store, id).await?))
}

/// The lead invitations of a campaign's venues, newest first, with their status (`unused`,
/// `used`, `expired`); never their secret links (those are shown once, when made).
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/invitations", tag = "accounts",
    params(("id" = i32, Path, description = "campaign id"), InvitationQuery),
    responses((status = 200, body = Vec<InvitationListItem>), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn list_invitations(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<InvitationQuery>,
) -> Result<Json<Vec<InvitationListItem>>, AppError> {
    if let Some(st) = q.status.as_deref()
        && !INVITATION_STATUSES.contains(&st)
    {
        let mut f = eventday_domain::FieldErrors::new();
        f.insert("status".into(), format!("must be one of {}", INVITATION_STATUSES.join(", ")));
        return Err(AppError::Invalid(f));
    }
    let all = accounts::list_campaign_invitations(&state.store, id, chrono::Utc::now()).await?;
    Ok(Json(all.into_iter().filter(|i| q.status.as_deref().is_none_or(|st| i.status == st)).collect()))
}

const INVITATION_STATUSES: [&str; 3] = ["unused", "used", "expired"];

/// Query of the invitation listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InvitationQuery {
    /// Only those with this status: `unused`, `used` or `expired`.
    pub status: Option<String>,
}

/// Query of the audit listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entity kind, e.g. `booth`, `log_entry`.
    pub entity: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<u64>,
}

/// Audit events, newest first.
///
/// Only events whose actor (`user_id`) belongs to the caller's organization or one of its
/// descendants; events without an actor (written by the command line) only to organizers of a
/// root organization (one without a parent). A district's organizer thus sees neither a sibling
/// district's events nor its city's; a city's organizer sees its districts'.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<audit_event::Model>), (status = 400, body = ErrorBody)))]
async fn list_audit(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<audit_event::Model>>, AppError> {
    let scope =
        audit::AuditScope::of_organization(state.store.conn(), caller.principal.organization_id).await?;
    let events = audit::list(
        &state.store,
        &scope,
        q.entity.as_deref(),
        q.entity_id.as_deref(),
        q.limit.unwrap_or(100),
    )
    .await?;
    Ok(Json(events))
}
