//! The health check (the pages themselves are in [`crate::web`]).

use crate::{AppError, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

/// Routes outside `/api`.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

#[tracing::instrument(skip_all)]
async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    state.store.ping().await?;
    Ok(Json(json!({"status": "ok"})))
}
