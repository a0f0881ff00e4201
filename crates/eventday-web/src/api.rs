//! Read-only JSON endpoints of the foundation: campaigns and their totals.

use crate::{AppError, AppState};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use eventday_store::queries::{self, CampaignListItem, CampaignSummary};
use serde_json::{Value, json};

/// The `/api/v1` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list_campaigns))
        .route("/campaigns/{id}/summary", get(campaign_summary))
}

#[tracing::instrument(skip_all)]
async fn list_campaigns(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    let items: Vec<CampaignListItem> = queries::list_campaigns(&state.store).await?;
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
