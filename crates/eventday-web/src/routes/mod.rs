//! The table of every route with its access rule: the router, the OpenAPI document and the
//! route-enumeration test are all built from it (see [`crate::auth`]).

#[cfg(test)]
mod tests;

use crate::auth::{RouteInfo, RouteSpec, Rule, documented};
use crate::{AppState, api, auth, openapi, ops, pages};
use axum::Json;
use std::sync::OnceLock;

/// Every route of the application.
pub(crate) fn table() -> Vec<RouteSpec> {
    let mut t = pages::routes();
    t.extend(crate::web::routes());
    t.push(documented!(Rule::Public, openapi_json));
    t.extend(api::routes());
    t.extend(auth::routes());
    t.extend(ops::routes());
    t.extend(crate::submission::routes());
    t.extend(crate::cases::routes());
    t
}

/// Every route's method, path and rule, in table order.
#[must_use]
pub fn route_table() -> Vec<RouteInfo> {
    table().into_iter().map(|s| s.info).collect()
}

/// The router of every route, each behind its rule.
pub(crate) fn build(state: &AppState) -> axum::Router<AppState> {
    crate::auth::rules::build(table(), state)
}

/// The whole OpenAPI document: every documented route's operation with what its access rule
/// says (built once per process; it does not change).
#[must_use]
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| {
        let table = table();
        let routes = table.iter().filter_map(|s| Some((s.doc.as_ref()?, s.info.rule.access(&s.info.method))));
        openapi::document(routes, ops::schemas(), auth::SESSION_COOKIE)
    })
    .clone()
}

/// This API's OpenAPI 3 document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "this document")))]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}
