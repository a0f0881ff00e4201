//! HTTP layer for eventday: the JSON API under `/api/v1`, health check and pages.
//!
//! Handlers extract, call the store or the domain, and shape the response; one [`AppError`]
//! maps every failure to a status and the JSON error envelope.

pub mod api;
pub mod csv;
mod error;
pub mod extract;
mod html;
mod ops;
mod pages;
pub mod report;
pub mod rollup_report;

pub use error::{AppError, ErrorBody, ErrorDetail};

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
        .merge(api::router())
        .nest("/api/v1", ops::router())
        .fallback(error::not_found)
        // Body limits are per route (see `api::routes`); this turns their bare 413s into the envelope.
        .layer(axum::middleware::from_fn(error::envelope_errors))
        .layer(tower_http::trace::TraceLayer::new_for_http().on_failure(()))
        .layer(axum::middleware::from_fn(error::log_server_errors))
        .with_state(state)
}
