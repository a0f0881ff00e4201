//! The JSON API under `/api/v1` and its OpenAPI document at `/api/openapi.json`.
//!
//! Every route is listed once, in [`routes`], with its access rule (see [`crate::auth`]); the
//! router is built from that list and the other modules' (see [`crate::route_table`]), a test
//! checks every `/api/` route of that table appears in the OpenAPI document (with its path
//! parameters and access rule), and the end-to-end test checks each against every role.

pub mod doc_fixes;
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

/// A file's bytes (a PDF, a PNG), as the schema of binary answers.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[expect(dead_code, reason = "read only by the OpenAPI derive")]
pub(crate) struct Binary(Vec<u8>);

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

/// This API's OpenAPI 3 document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "this document")))]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// The whole OpenAPI document: this module's paths, the CSV, account and operations routes',
/// with each route's access rule from [`crate::route_table`] (see [`document_access`]).
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::csv::openapi());
    doc.merge(crate::auth::openapi());
    doc.merge(crate::ops::openapi());
    doc_fixes::document_locks(&mut doc);
    doc_fixes::document_materials(&mut doc);
    document_access(&mut doc);
    doc
}

/// Names of the security schemes in the document.
const SESSION: &str = "session";
const CSRF: &str = "csrf";
const BEARER: &str = "bearer";

/// The operation of `method` in a path item.
fn operation_mut(
    item: &mut utoipa::openapi::PathItem,
    method: axum::http::Method,
) -> Option<&mut utoipa::openapi::path::Operation> {
    use axum::http::Method as M;
    match method {
        M::GET => item.get.as_mut(),
        M::POST => item.post.as_mut(),
        M::PUT => item.put.as_mut(),
        M::DELETE => item.delete.as_mut(),
        M::PATCH => item.patch.as_mut(),
        _ => None,
    }
}

/// Who may call a route under `rule`, in words, with the rows it is judged by.
fn access_text(rule: Rule) -> String {
    let who = match rule {
        Rule::Public => return "**Access:** anyone; no credentials needed.".to_owned(),
        Rule::Authenticated => "any active user (a session or an API token)",
        Rule::Organizer => "organizers (the answer keeps to their organization and its descendants)",
        Rule::Read(_) => {
            "organizers and viewers of the organization (or an ancestor) the target belongs to, and \
             leads with a venue in the target's campaign"
        }
        Rule::Plan(_) => "organizers of the organization (or an ancestor) the target belongs to",
        Rule::Log(_) => {
            "leads of the target's venue, and organizers of the organization (or an ancestor) it \
             belongs to"
        }
    };
    let targets = match rule {
        Rule::Read(t) | Rule::Plan(t) | Rule::Log(t) => t
            .iter()
            .map(|t| match *t {
                Target::Path(e, p) => format!("the {} `{p}` of the path", format!("{e:?}").to_lowercase()),
                Target::Body(e, f) => {
                    format!("the {} `{f}` of the body (when given)", format!("{e:?}").to_lowercase())
                }
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    if targets.is_empty() {
        format!("**Access:** {who}.")
    } else {
        format!("**Access:** {who}. Targets: {}.", targets.join(", "))
    }
}

/// An error answer in the envelope.
fn error_response(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
        )
        .build()
        .into()
}

/// What an answer of `status` means when its annotation does not say.
fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "created",
        "204" => "done; no body",
        "400" => "the path, query or body could not be read (names the field where it can)",
        "401" => "not logged in, or the credentials are not (or no longer) valid",
        "403" => "not allowed",
        "404" => "not found",
        "409" => "conflicts with what is stored",
        "413" => "the body is over the limit",
        "415" => "the body is not of a type this route accepts",
        "422" => "invalid; `fields` names every bad field",
        "423" => "the venue's day was accepted; its figures are locked",
        "429" => "too many requests",
        _ => "see the status code",
    }
}

/// Every 4xx answer of the API is the error envelope (see [`crate::error::envelope_errors`]):
/// says so where an annotation gave no content, and gives every answer a description.
fn envelope_and_describe_answers(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for m in [
            axum::http::Method::GET,
            axum::http::Method::POST,
            axum::http::Method::PUT,
            axum::http::Method::DELETE,
        ] {
            let Some(op) = operation_mut(item, m) else { continue };
            for (status, answer) in &mut op.responses.responses {
                let utoipa::openapi::RefOr::T(answer) = answer else { continue };
                if answer.description.is_empty() {
                    default_description(status).clone_into(&mut answer.description);
                }
                if status.starts_with('4') && answer.content.is_empty() {
                    let utoipa::openapi::RefOr::T(envelope) = error_response(&answer.description) else {
                        continue;
                    };
                    answer.content = envelope.content;
                }
            }
        }
    }
}

/// Adds what the route table knows to every `/api/` operation: the security schemes, who may
/// call it (its security requirements and a sentence of its description), and the answers of
/// the access layer that runs before every handler — 401 without valid credentials, 403 for a
/// denied rule or a cookie-authenticated write without the CSRF header, 400/404 for a malformed
/// or unknown row named in the path, 422 for an unknown row named in the body.
fn document_access(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::{
        ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
    };
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SESSION,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            crate::auth::SESSION_COOKIE,
            "The session cookie set by `POST /api/v1/auth/login` (HttpOnly, SameSite=Lax; valid 12 \
             hours). Writes (POST, PUT, DELETE) with it also need the `csrf` header.",
        ))),
    );
    components.add_security_scheme(
        CSRF,
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-CSRF-Token",
            "The session's CSRF token (`csrf_token` of the login and of `GET /api/v1/auth/me`), \
             required on every write made with the session cookie; without it the answer is 403 \
             with code `csrf`. Not needed with an API token.",
        ))),
    );
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("edt_…")
                .description(Some(
                    "An API token (`POST /api/v1/auth/tokens`) as `Authorization: Bearer <secret>`; \
                     it acts as its user, with no CSRF token needed.",
                ))
                .build(),
        ),
    );
    envelope_and_describe_answers(doc);
    for info in crate::route_table() {
        if !info.path.starts_with("/api/") {
            continue;
        }
        let Some(op) = doc.paths.paths.get_mut(info.path).and_then(|i| operation_mut(i, info.method.clone()))
        else {
            continue;
        };
        let text = access_text(info.rule);
        op.description = Some(match op.description.take() {
            Some(d) if !d.is_empty() => format!("{d}\n\n{text}"),
            _ => text,
        });
        if info.rule == Rule::Public {
            continue;
        }
        let write = !matches!(info.method, axum::http::Method::GET | axum::http::Method::HEAD);
        let session = if write {
            SecurityRequirement::new(SESSION, Vec::<String>::new()).add(CSRF, Vec::<String>::new())
        } else {
            SecurityRequirement::new(SESSION, Vec::<String>::new())
        };
        op.security = Some(vec![session, SecurityRequirement::new(BEARER, Vec::<String>::new())]);
        let responses = &mut op.responses.responses;
        let mut add = |status: &str, description: &str| {
            responses.entry(status.to_owned()).or_insert_with(|| error_response(description));
        };
        add("401", "not logged in, or the session or token is not (or no longer) valid");
        let forbidden = match (info.rule, write) {
            (Rule::Authenticated, false) => None,
            (Rule::Authenticated, true) => {
                Some("a write with the session cookie but without its `X-CSRF-Token` (code `csrf`)")
            }
            (_, false) => Some("the caller's role or organization tree does not allow this"),
            (_, true) => Some(
                "the caller's role or organization tree does not allow this, or a write with the \
                 session cookie but without its `X-CSRF-Token` (code `csrf`)",
            ),
        };
        if let Some(d) = forbidden {
            add("403", d);
        }
        if let Rule::Read(targets) | Rule::Plan(targets) | Rule::Log(targets) = info.rule {
            if targets.iter().any(|t| matches!(t, Target::Path(..))) {
                add("400", "an id in the path is malformed");
                add("404", "no row has the id in the path");
            }
            if targets.iter().any(|t| matches!(t, Target::Body(..))) {
                add("422", "a field of the body names nothing that exists");
            }
        }
    }
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
        every bad field. Authentication: the session cookie of `POST /api/v1/auth/login` (writes also send \
        its CSRF token in `X-CSRF-Token`) or an API token as `Authorization: Bearer`; 401 without valid \
        credentials, 403 when the caller's role or organization tree does not allow the route (each \
        operation says who may call it)."
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

    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{PathItem, RefOr};

    /// The `/api/` routes of the whole route table (the router is built from it).
    fn api_routes() -> Vec<crate::auth::RouteInfo> {
        crate::route_table().into_iter().filter(|r| r.path.starts_with("/api/")).collect()
    }

    #[test]
    fn every_route_of_the_router_is_in_the_openapi_document() {
        let mut doc = openapi();
        let mut missing = Vec::new();
        let all = api_routes();
        assert!(all.len() > 90, "the route list is suspiciously short: {}", all.len());
        for route in &all {
            let found =
                doc.paths.paths.get_mut(route.path).and_then(|i| operation_mut(i, route.method.clone()));
            if found.is_none() {
                missing.push(format!("{} {}", route.method, route.path));
            }
        }
        assert!(missing.is_empty(), "routes missing from the OpenAPI document: {missing:?}");
    }

    #[test]
    fn operation_ids_are_unique_and_every_answer_is_described() {
        let doc = serde_json::to_value(openapi()).unwrap_or_default();
        let mut ids = std::collections::BTreeMap::<String, u32>::new();
        let mut undescribed = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                *ids.entry(op["operationId"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
                for (status, answer) in op["responses"].as_object().into_iter().flatten() {
                    let described = answer["description"].as_str().is_some_and(|d| !d.is_empty());
                    let enveloped = !status.starts_with('4') || answer["content"].is_object();
                    if !described || !enveloped {
                        undescribed.push(format!("{method} {path} {status}"));
                    }
                }
            }
        }
        ids.retain(|_, n| *n > 1);
        assert!(ids.is_empty(), "operation ids used more than once: {ids:?}");
        assert!(undescribed.is_empty(), "answers without a description or a 4xx body: {undescribed:?}");
    }

    #[test]
    fn the_document_has_no_route_the_router_lacks() {
        let doc = openapi();
        let table: std::collections::BTreeSet<(String, &str)> =
            api_routes().iter().map(|r| (r.method.to_string(), r.path)).collect();
        let mut extra = Vec::new();
        for (path, item) in &doc.paths.paths {
            let PathItem { get, put, post, delete, patch, .. } = item;
            for (m, op) in [("GET", get), ("PUT", put), ("POST", post), ("DELETE", delete), ("PATCH", patch)]
            {
                if op.is_some() && !table.contains(&(m.to_owned(), path.as_str())) {
                    extra.push(format!("{m} {path}"));
                }
            }
        }
        assert!(extra.is_empty(), "documented but not routed: {extra:?}");
    }

    #[test]
    fn every_path_parameter_is_declared_and_every_guarded_route_says_who_may_call_it() {
        let mut doc = openapi();
        let mut problems = Vec::new();
        for route in api_routes() {
            let Some(op) =
                doc.paths.paths.get_mut(route.path).and_then(|i| operation_mut(i, route.method.clone()))
            else {
                problems.push(format!("{} {} is missing", route.method, route.path));
                continue;
            };
            let declared: Vec<String> = op
                .parameters
                .iter()
                .flatten()
                .filter_map(|p| match p {
                    RefOr::T(p) if p.parameter_in == ParameterIn::Path => Some(p.name.clone()),
                    _ => None,
                })
                .collect();
            let in_path: Vec<String> = route
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .map(str::to_owned)
                .collect();
            let (mut a, mut b) = (declared.clone(), in_path.clone());
            a.sort();
            b.sort();
            if a != b {
                problems.push(format!("{} {}: path parameters {declared:?}", route.method, route.path));
            }
            if route.rule != Rule::Public {
                let security = op.security.as_ref().map_or(0, Vec::len);
                let has_401 = op.responses.responses.contains_key("401");
                if security != 2 || !has_401 {
                    problems.push(format!("{} {}: no security or no 401", route.method, route.path));
                }
            }
            if !op.description.as_deref().is_some_and(|d| d.contains("**Access:**")) {
                problems.push(format!("{} {}: no access sentence", route.method, route.path));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn the_security_schemes_and_special_media_types_are_described() {
        let doc = serde_json::to_value(openapi()).unwrap_or_default();
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["session"]["in"], "cookie");
        assert_eq!(schemes["session"]["name"], crate::auth::SESSION_COOKIE);
        assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
        assert_eq!(schemes["bearer"]["scheme"], "bearer");
        let paths = &doc["paths"];
        let ok = |path: &str| &paths[path]["get"]["responses"]["200"]["content"];
        assert!(ok("/api/v1/campaigns/{id}/live")["text/event-stream"].is_object());
        assert!(ok("/api/v1/organizations/{id}/live")["text/event-stream"].is_object());
        assert!(
            paths["/api/v1/campaigns/{id}/live"]["get"]["description"]
                .as_str()
                .is_some_and(|d| d.contains("Last-Event-ID") && d.contains("event: totals"))
        );
        assert!(ok("/api/v1/campaigns/{id}/report.pdf")["application/pdf"].is_object());
        assert!(ok("/api/v1/invitations/{id}/qr.svg")["image/svg+xml"].is_object());
        assert!(ok("/api/v1/invitations/{id}/qr.png")["image/png"].is_object());
        let login = &paths["/api/v1/auth/login"]["post"];
        assert!(login["security"].is_null(), "login needs no credentials");
        assert_eq!(
            login["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/LoginBody"
        );
        let write = &paths["/api/v1/users"]["post"]["security"];
        assert_eq!(write[0]["session"], serde_json::json!([]));
        assert_eq!(write[0]["csrf"], serde_json::json!([]));
        assert_eq!(write[1]["bearer"], serde_json::json!([]));
        assert_eq!(
            paths["/api/v1/users"]["get"]["responses"]["403"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody"
        );
    }

    #[test]
    fn the_error_envelope_is_described() {
        let doc = serde_json::to_value(openapi()).unwrap_or_default();
        assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
        assert!(doc["components"]["schemas"]["LogEntryInput"].is_object());
    }
}
