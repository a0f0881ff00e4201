//! Read-only JSON endpoints of the foundation: campaigns and their totals.

use crate::auth::{Caller, RouteSpec, Rule, Target, route};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::Method;
use eventday_store::queries::{self, CampaignListItem, CampaignSummary};
use eventday_store::scope;
use eventday_store::scope::Entity;
use serde_json::{Value, json};

/// The `/api/v1` routes of this module, each with its access rule.
pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        // Everyone logged in sees the campaigns they may read (filtered below).
        route(Method::GET, "/api/v1/campaigns", Rule::Authenticated, list_campaigns),
        route(
            Method::GET,
            "/api/v1/campaigns/{id}/summary",
            Rule::Read(&[Target::Path(Entity::Campaign, "id")]),
            campaign_summary,
        ),
    ]
}

#[tracing::instrument(skip_all)]
async fn list_campaigns(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, AppError> {
    let readable = scope::readable_campaigns(&state.store, &caller.principal).await?;
    let items: Vec<CampaignListItem> = queries::list_campaigns(&state.store)
        .await?
        .into_iter()
        .filter(|c| readable.contains(&c.id))
        .collect();
    Ok(Json(json!({ "campaigns": items })))
}

#[tracing::instrument(skip_all)]
async fn campaign_summary(
    State(state): State<AppState>,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<CampaignSummary>, AppError> {
    let Path(id) = id.map_err(|_| AppError::BadRequest("campaign id must be a whole number".into()))?;
    Ok(Json(queries::campaign_summary(&state.store, id).await?))
}
