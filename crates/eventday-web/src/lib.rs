//! HTTP layer for eventday: the JSON API under `/api/v1`, health check and pages.
//!
//! Handlers extract, call the store or the domain, and shape the response; one [`AppError`]
//! maps every failure to a status and the JSON error envelope.

mod api;
mod error;
mod html;
mod ops;
mod pages;
pub mod report;
pub mod rollup_report;

pub use error::AppError;

use axum::Router;
use eventday_store::Store;

/// Shared application state, cloned into every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
}

/// Largest request body accepted (bytes); bigger bodies get 413.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Builds the whole router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .nest("/api/v1", api::router().merge(report::router()).merge(ops::router()))
        .fallback(error::not_found)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(tower_http::trace::TraceLayer::new_for_http().on_failure(()))
        .layer(axum::middleware::from_fn(error::log_server_errors))
        .with_state(state)
}
