//! The JSON API under `/api/v1` and its OpenAPI document at `/api/openapi.json`.
//!
//! Every route is listed once, in [`routes`], with its access rule (see [`crate::auth`]); the
//! router is built from that list, a test checks each entry appears in the OpenAPI document, and
//! the end-to-end test checks each against every role.

pub mod log;
pub mod planning;

use crate::auth::{Caller, Entity, RouteSpec, Rule, Target};
use crate::extract::{ApiPath, ApiQuery};
use crate::{AppError, AppState, BODY_LIMIT, ErrorBody};
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::handler::Handler;
use axum::routing::{self, MethodRouter};
use eventday_store::accounts::{self, InvitationListItem};
use eventday_store::audit;
use eventday_store::entities::audit_event;
use eventday_store::queries::{self, CampaignListItem, CampaignSummary};
use eventday_store::scope;
use serde::{Deserialize, Serialize};
use tower_http::limit::RequestBodyLimitLayer;
use utoipa::OpenApi;

/// An HTTP method a route answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

/// One API route: method, full path, who may call it, handler, and the largest body it accepts.
pub struct Route {
    /// The method.
    pub method: Method,
    /// The full path, e.g. `/api/v1/venues/{id}`.
    pub path: &'static str,
    /// Who may call it.
    pub rule: Rule,
    /// The handler (the access rule's layer is added when the router is built).
    pub handler: MethodRouter<AppState>,
}

impl Method {
    /// The HTTP method.
    #[must_use]
    pub fn http(self) -> axum::http::Method {
        match self {
            Method::Get => axum::http::Method::GET,
            Method::Post => axum::http::Method::POST,
            Method::Put => axum::http::Method::PUT,
            Method::Delete => axum::http::Method::DELETE,
        }
    }
}

impl From<Route> for RouteSpec {
    fn from(r: Route) -> Self {
        RouteSpec::new(r.method.http(), r.path, r.rule, r.handler)
    }
}

fn r<H, T>(method: Method, path: &'static str, rule: Rule, h: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let handler = match method {
        Method::Get => routing::get(h),
        Method::Post => routing::post(h),
        Method::Put => routing::put(h),
        Method::Delete => routing::delete(h),
    };
    Route { method, path, rule, handler: handler.layer(RequestBodyLimitLayer::new(BODY_LIMIT)) }
}

/// The five CRUD routes of a resource, with the rules for reading and writing its list (named
/// by the list path's `{id}`, or nothing for top-level lists) and its items (`{id}`).
macro_rules! crud_routes {
    ($v:ident, $m:ident, $list:literal, $item:literal,
        list: $lread:expr, $lwrite:expr; item: $iread:expr, $iwrite:expr) => {
        $v.extend([
            r(Method::Get, $list, $lread, planning::$m::list),
            r(Method::Post, $list, $lwrite, planning::$m::create),
            r(Method::Get, $item, $iread, planning::$m::get),
            r(Method::Put, $item, $iwrite, planning::$m::update),
            r(Method::Delete, $item, $iwrite, planning::$m::delete),
        ]);
    };
}

use Entity::{
    Activity, Booth, Campaign, Dispute, LogEntry, Material, Media, Narrative, Official, Organization,
    Participation, Photo, Venue,
};
use Target::{Body, Path};

/// Rows of a campaign / a venue, named by the path's `{id}`.
const CAMPAIGN: &[Target] = &[Path(Campaign, "id")];
const VENUE: &[Target] = &[Path(Venue, "id")];

/// Every API route, in one list, each with its access rule.
#[must_use]
pub fn routes() -> Vec<Route> {
    use Method::{Delete, Get, Post, Put};
    use Rule::{Authenticated, Log, Organizer, Plan, Read};
    const ENTRY: &[Target] = &[Path(LogEntry, "entry_id")];
    const ALLOCATION: &[Target] = &[Path(Material, "id"), Path(Venue, "venue_id")];
    let mut v = vec![
        r(Get, "/api/openapi.json", Rule::Public, openapi_json),
        // Everyone logged in sees the campaigns they may read (filtered in the handler).
        r(Get, "/api/v1/campaigns", Authenticated, list_campaigns),
        r(
            Post,
            "/api/v1/campaigns",
            Plan(&[Body(Organization, "organization_id")]),
            planning::campaigns::create,
        ),
        r(Get, "/api/v1/campaigns/{id}", Read(CAMPAIGN), planning::campaigns::get),
        r(
            Put,
            "/api/v1/campaigns/{id}",
            Plan(&[Path(Campaign, "id"), Body(Organization, "organization_id")]),
            planning::campaigns::update,
        ),
        r(Delete, "/api/v1/campaigns/{id}", Plan(CAMPAIGN), planning::campaigns::delete),
        r(Get, "/api/v1/campaigns/{id}/summary", Read(CAMPAIGN), campaign_summary),
        // Lead invitations of the campaign's venues (without their secrets): for its planners.
        r(Get, "/api/v1/campaigns/{id}/invitations", Plan(CAMPAIGN), list_invitations),
        r(Post, "/api/v1/disputes/{id}/status", Log(&[Path(Dispute, "id")]), planning::move_dispute),
        r(
            Get,
            "/api/v1/materials/{id}/allocations",
            Read(&[Path(Material, "id")]),
            planning::list_allocations,
        ),
        r(Put, "/api/v1/materials/{id}/allocations/{venue_id}", Plan(ALLOCATION), planning::set_allocation),
        r(
            Delete,
            "/api/v1/materials/{id}/allocations/{venue_id}",
            Plan(ALLOCATION),
            planning::delete_allocation,
        ),
        r(
            Put,
            "/api/v1/activities/{id}/figures",
            Log(&[Path(Activity, "id")]),
            planning::set_activity_figures,
        ),
        r(Post, "/api/v1/venues/{id}/log", Log(VENUE), log::submit),
        r(Get, "/api/v1/venues/{id}/log", Read(VENUE), log::list_venue),
        r(Get, "/api/v1/campaigns/{id}/log", Read(CAMPAIGN), log::list_campaign),
        r(Get, "/api/v1/log/{entry_id}", Read(ENTRY), log::get_entry),
        r(Get, "/api/v1/log/{entry_id}/photos", Read(ENTRY), log::list_photos),
        r(Get, "/api/v1/photos/{id}", Read(&[Path(Photo, "id")]), log::get_photo),
        r(Get, "/api/v1/audit", Organizer, list_audit),
        r(Get, "/api/v1/campaigns/{id}/report.pdf", Read(CAMPAIGN), crate::report::report_pdf),
        Route {
            method: Post,
            path: "/api/v1/log/{entry_id}/photos",
            rule: Log(ENTRY),
            // Photos are bigger than JSON bodies: their own limit, checked again by the store.
            handler: routing::post(log::add_photo)
                .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(log::PHOTO_BODY_LIMIT))
                .layer(RequestBodyLimitLayer::new(log::PHOTO_BODY_LIMIT)),
        },
        Route {
            method: Post,
            path: "/api/v1/campaigns/{id}/import/{kind}",
            // Importing is planning (all rows or none), whatever the kind.
            rule: Plan(CAMPAIGN),
            // Spreadsheets are bigger than JSON bodies.
            handler: routing::post(crate::csv::import)
                .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(crate::csv::UPLOAD_LIMIT))
                .layer(RequestBodyLimitLayer::new(crate::csv::UPLOAD_LIMIT)),
        },
        r(Get, "/api/v1/campaigns/{id}/export/{file}", Read(CAMPAIGN), crate::csv::export),
    ];
    // Organizations: names are readable by anyone logged in; organizers manage their tree and
    // may add child organizations to it (a new root comes from the command line).
    crud_routes!(v, organizations, "/api/v1/organizations", "/api/v1/organizations/{id}",
        list: Authenticated, Plan(&[Body(Organization, "parent_id")]);
        item: Authenticated, Plan(&[Path(Organization, "id"), Body(Organization, "parent_id")]));
    // Units are a directory shared by every campaign.
    crud_routes!(v, units, "/api/v1/units", "/api/v1/units/{id}",
        list: Authenticated, Organizer; item: Authenticated, Organizer);
    crud_routes!(v, venues, "/api/v1/campaigns/{id}/venues", "/api/v1/venues/{id}",
        list: Read(CAMPAIGN), Plan(CAMPAIGN); item: Read(VENUE), Plan(VENUE));
    crud_routes!(v, participations, "/api/v1/campaigns/{id}/participations", "/api/v1/participations/{id}",
        list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Participation, "id")]), Plan(&[Path(Participation, "id")]));
    crud_routes!(v, booths, "/api/v1/venues/{id}/booths", "/api/v1/booths/{id}",
        list: Read(VENUE), Plan(VENUE); item: Read(&[Path(Booth, "id")]), Plan(&[Path(Booth, "id")]));
    // Leads change an activity's figures through `/activities/{id}/figures`; the rest is planning.
    crud_routes!(v, activities, "/api/v1/venues/{id}/activities", "/api/v1/activities/{id}",
        list: Read(VENUE), Plan(VENUE); item: Read(&[Path(Activity, "id")]), Plan(&[Path(Activity, "id")]));
    crud_routes!(v, materials, "/api/v1/campaigns/{id}/materials", "/api/v1/materials/{id}",
        list: Read(CAMPAIGN), Plan(CAMPAIGN); item: Read(&[Path(Material, "id")]), Plan(&[Path(Material, "id")]));
    crud_routes!(v, media, "/api/v1/campaigns/{id}/media", "/api/v1/media/{id}",
        list: Read(CAMPAIGN), Plan(CAMPAIGN); item: Read(&[Path(Media, "id")]), Plan(&[Path(Media, "id")]));
    crud_routes!(v, officials, "/api/v1/campaigns/{id}/officials", "/api/v1/officials/{id}",
        list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Official, "id")]), Plan(&[Path(Official, "id")]));
    // Disputes are received at a venue: its leads record and follow them up.
    crud_routes!(v, disputes, "/api/v1/campaigns/{id}/disputes", "/api/v1/disputes/{id}",
        list: Read(CAMPAIGN), Log(&[Path(Campaign, "id"), Body(Venue, "venue_id")]);
        item: Read(&[Path(Dispute, "id")]), Log(&[Path(Dispute, "id"), Body(Venue, "venue_id")]));
    crud_routes!(v, narrative, "/api/v1/campaigns/{id}/narrative", "/api/v1/narrative/{id}",
        list: Read(CAMPAIGN), Plan(CAMPAIGN);
        item: Read(&[Path(Narrative, "id")]), Plan(&[Path(Narrative, "id")]));
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
    let readable = scope::readable_campaigns(&state.store, &caller.principal).await?;
    let campaigns = queries::list_campaigns(&state.store)
        .await?
        .into_iter()
        .filter(|c| readable.contains(&c.id))
        .collect();
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
#[serde(deny_unknown_fields)]
pub struct InvitationQuery {
    /// Only those with this status: `unused`, `used` or `expired`.
    pub status: Option<String>,
}

/// Query of the audit listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<audit_event::Model>), (status = 400, body = ErrorBody)))]
async fn list_audit(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<audit_event::Model>>, AppError> {
    let events =
        audit::list(&state.store, q.entity.as_deref(), q.entity_id.as_deref(), q.limit.unwrap_or(100))
            .await?;
    Ok(Json(events))
}

/// This API's OpenAPI 3 document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "this document")))]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// The whole OpenAPI document: this module's paths and the CSV routes'.
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::csv::openapi());
    doc
}

/// The OpenAPI document, generated from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "eventday API",
        description = "Plan, log and report a one-day “3·15” campaign. \
        Every failure answers {\"error\":{\"code\",\"message\",\"fields\"}}: 400 unreadable body, path or query \
        (malformed or truncated JSON, wrong types, unknown fields — named in `fields`), 404, 409 conflicts \
        (duplicates, a reused log id with other content, deleting what is still referenced), 413 over the body \
        limit, 415 a body that is not JSON (or a photo that is not JPEG/PNG/WebP), 422 validation naming \
        every bad field."
    ),
    paths(
        openapi_json,
        list_campaigns,
        campaign_summary,
        list_invitations,
        list_audit,
        crate::report::report_pdf,
        planning::campaigns::create,
        planning::campaigns::get,
        planning::campaigns::update,
        planning::campaigns::delete,
        planning::organizations::list,
        planning::organizations::create,
        planning::organizations::get,
        planning::organizations::update,
        planning::organizations::delete,
        planning::units::list,
        planning::units::create,
        planning::units::get,
        planning::units::update,
        planning::units::delete,
        planning::venues::list,
        planning::venues::create,
        planning::venues::get,
        planning::venues::update,
        planning::venues::delete,
        planning::participations::list,
        planning::participations::create,
        planning::participations::get,
        planning::participations::update,
        planning::participations::delete,
        planning::booths::list,
        planning::booths::create,
        planning::booths::get,
        planning::booths::update,
        planning::booths::delete,
        planning::activities::list,
        planning::activities::create,
        planning::activities::get,
        planning::activities::update,
        planning::activities::delete,
        planning::materials::list,
        planning::materials::create,
        planning::materials::get,
        planning::materials::update,
        planning::materials::delete,
        planning::media::list,
        planning::media::create,
        planning::media::get,
        planning::media::update,
        planning::media::delete,
        planning::officials::list,
        planning::officials::create,
        planning::officials::get,
        planning::officials::update,
        planning::officials::delete,
        planning::disputes::list,
        planning::disputes::create,
        planning::disputes::get,
        planning::disputes::update,
        planning::disputes::delete,
        planning::narrative::list,
        planning::narrative::create,
        planning::narrative::get,
        planning::narrative::update,
        planning::narrative::delete,
        planning::move_dispute,
        planning::set_activity_figures,
        planning::list_allocations,
        planning::set_allocation,
        planning::delete_allocation,
        log::submit,
        log::list_venue,
        log::list_campaign,
        log::get_entry,
        log::add_photo,
        log::list_photos,
        log::get_photo,
    ),
    components(schemas(ErrorBody))
)]
pub struct ApiDoc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_of_the_router_is_in_the_openapi_document() {
        let doc = openapi();
        let mut missing = Vec::new();
        let all = routes();
        assert!(all.len() > 60, "the route list is suspiciously short: {}", all.len());
        for route in &all {
            let item = doc.paths.paths.get(route.path);
            let found = item.is_some_and(|i| match route.method {
                Method::Get => i.get.is_some(),
                Method::Post => i.post.is_some(),
                Method::Put => i.put.is_some(),
                Method::Delete => i.delete.is_some(),
            });
            if !found {
                missing.push(format!("{:?} {}", route.method, route.path));
            }
        }
        assert!(missing.is_empty(), "routes missing from the OpenAPI document: {missing:?}");
    }

    #[test]
    fn the_error_envelope_is_described() {
        let doc = serde_json::to_value(openapi()).unwrap_or_default();
        assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
        assert!(doc["components"]["schemas"]["LogEntryInput"].is_object());
    }
}
