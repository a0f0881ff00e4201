//! The JSON API under `/api/v1` and its OpenAPI document at `/api/openapi.json`.
//!
//! Every route is listed once, in [`routes`]; the router is built from that list and a test
//! checks each entry appears in the OpenAPI document. A route is a value so that the
//! authentication layer can wrap routes one by one.

pub mod log;
pub mod planning;

use crate::extract::{ApiPath, ApiQuery};
use crate::{AppError, AppState, BODY_LIMIT, ErrorBody};
use axum::extract::{DefaultBodyLimit, State};
use axum::handler::Handler;
use axum::routing::{self, MethodRouter};
use axum::{Json, Router};
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

/// One API route: method, full path, handler, and the largest body it accepts.
pub struct Route {
    /// The method.
    pub method: Method,
    /// The full path, e.g. `/api/v1/venues/{id}`.
    pub path: &'static str,
    /// The handler (wrap it to add per-route layers such as guards).
    pub handler: MethodRouter<AppState>,
}

fn r<H, T>(method: Method, path: &'static str, h: H) -> Route
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
    Route { method, path, handler: handler.layer(RequestBodyLimitLayer::new(BODY_LIMIT)) }
}

macro_rules! crud_routes {
    ($v:ident, $m:ident, $list:literal, $item:literal) => {
        $v.extend([
            r(Method::Get, $list, planning::$m::list),
            r(Method::Post, $list, planning::$m::create),
            r(Method::Get, $item, planning::$m::get),
            r(Method::Put, $item, planning::$m::update),
            r(Method::Delete, $item, planning::$m::delete),
        ]);
    };
}

/// Every API route, in one list.
#[must_use]
pub fn routes() -> Vec<Route> {
    use Method::{Delete, Get, Post, Put};
    let mut v = vec![
        r(Get, "/api/openapi.json", openapi_json),
        r(Get, "/api/v1/campaigns", list_campaigns),
        r(Post, "/api/v1/campaigns", planning::campaigns::create),
        r(Get, "/api/v1/campaigns/{id}", planning::campaigns::get),
        r(Put, "/api/v1/campaigns/{id}", planning::campaigns::update),
        r(Delete, "/api/v1/campaigns/{id}", planning::campaigns::delete),
        r(Get, "/api/v1/campaigns/{id}/summary", campaign_summary),
        r(Post, "/api/v1/disputes/{id}/status", planning::move_dispute),
        r(Get, "/api/v1/materials/{id}/allocations", planning::list_allocations),
        r(Put, "/api/v1/materials/{id}/allocations/{venue_id}", planning::set_allocation),
        r(Delete, "/api/v1/materials/{id}/allocations/{venue_id}", planning::delete_allocation),
        r(Post, "/api/v1/venues/{id}/log", log::submit),
        r(Get, "/api/v1/venues/{id}/log", log::list_venue),
        r(Get, "/api/v1/campaigns/{id}/log", log::list_campaign),
        r(Get, "/api/v1/log/{entry_id}", log::get_entry),
        r(Get, "/api/v1/log/{entry_id}/photos", log::list_photos),
        r(Get, "/api/v1/photos/{id}", log::get_photo),
        r(Get, "/api/v1/audit", list_audit),
        r(Get, "/api/v1/campaigns/{id}/report.pdf", crate::report::report_pdf),
        Route {
            method: Post,
            path: "/api/v1/log/{entry_id}/photos",
            // Photos are bigger than JSON bodies: their own limit, checked again by the store.
            handler: routing::post(log::add_photo)
                .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(log::PHOTO_BODY_LIMIT))
                .layer(RequestBodyLimitLayer::new(log::PHOTO_BODY_LIMIT)),
        },
        Route {
            method: Post,
            path: "/api/v1/campaigns/{id}/import/{kind}",
            // Spreadsheets are bigger than JSON bodies.
            handler: routing::post(crate::csv::import)
                .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(crate::csv::UPLOAD_LIMIT))
                .layer(RequestBodyLimitLayer::new(crate::csv::UPLOAD_LIMIT)),
        },
        r(Get, "/api/v1/campaigns/{id}/export/{file}", crate::csv::export),
    ];
    crud_routes!(v, organizations, "/api/v1/organizations", "/api/v1/organizations/{id}");
    crud_routes!(v, units, "/api/v1/units", "/api/v1/units/{id}");
    crud_routes!(v, venues, "/api/v1/campaigns/{id}/venues", "/api/v1/venues/{id}");
    crud_routes!(v, participations, "/api/v1/campaigns/{id}/participations", "/api/v1/participations/{id}");
    crud_routes!(v, booths, "/api/v1/venues/{id}/booths", "/api/v1/booths/{id}");
    crud_routes!(v, activities, "/api/v1/venues/{id}/activities", "/api/v1/activities/{id}");
    crud_routes!(v, materials, "/api/v1/campaigns/{id}/materials", "/api/v1/materials/{id}");
    crud_routes!(v, media, "/api/v1/campaigns/{id}/media", "/api/v1/media/{id}");
    crud_routes!(v, officials, "/api/v1/campaigns/{id}/officials", "/api/v1/officials/{id}");
    crud_routes!(v, disputes, "/api/v1/campaigns/{id}/disputes", "/api/v1/disputes/{id}");
    crud_routes!(v, narrative, "/api/v1/campaigns/{id}/narrative", "/api/v1/narrative/{id}");
    v
}

/// The API router, built from [`routes`].
pub fn router() -> Router<AppState> {
    routes().into_iter().fold(Router::new(), |router, route| router.route(route.path, route.handler))
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
async fn list_campaigns(State(state): State<AppState>) -> Result<Json<CampaignList>, AppError> {
    Ok(Json(CampaignList { campaigns: queries::list_campaigns(&state.store).await? }))
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
