//! The health check (the pages themselves are in [`crate::web`]).

use crate::auth::{RouteSpec, Rule, route};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::Method;
use serde_json::{Value, json};

/// Routes outside `/api` and the pages, each with its access rule.
pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![route(Method::GET, "/healthz", Rule::Public, healthz)]
}

#[tracing::instrument(skip_all)]
async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    state.store.ping().await?;
    Ok(Json(json!({"status": "ok"})))
}
