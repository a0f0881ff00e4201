//! HTTP layer for eventday: the JSON API under `/api/v1`, health check and pages.
//!
//! Handlers extract, call the store or the domain, and shape the response; one [`AppError`]
//! maps every failure to a status and the JSON error envelope. Every route is declared once in
//! [`routes::table`] with its access rule (see [`auth`]); an API route's method and path are
//! read from its handler's `#[utoipa::path]`, and [`openapi`] assembles the document from them.

pub mod api;
pub mod auth;
mod cases;
pub mod csv;
pub mod doc_fixes;
mod error;
pub mod extract;
mod openapi;
mod ops;
mod pages;
pub mod report;
mod routes;
pub mod security;
mod submission;
pub mod thumbnail;
pub mod web;
pub mod zip_stream;

pub use error::{AppError, ErrorBody, ErrorCode, ErrorDetail};
pub use routes::{openapi_document, route_table};

use axum::Router;
use axum::http::Request;
use eventday_store::Store;

/// Shared application state, cloned into every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Settings of the web layer.
    pub config: WebConfig,
}

impl AppState {
    /// The key for consumers' personal data (see [`WebConfig::case_key`]).
    ///
    /// # Errors
    /// When no key is configured and the system has no randomness.
    pub fn case_key(&self) -> Result<&eventday_store::cases::CaseKey, AppError> {
        match &self.config.case_key {
            Some(k) => Ok(k),
            None => eventday_store::cases::CaseKey::process_key().map_err(AppError::from),
        }
    }

    /// State with default settings (plain-http cookies, links built from the `Host` header).
    #[must_use]
    pub fn new(store: Store) -> Self {
        Self { store, config: WebConfig::default() }
    }
}

/// Settings of the web layer.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// Mark the session cookie `Secure` (serve behind https).
    pub secure_cookies: bool,
    /// Base URL for links handed out (invitations), e.g. `https://eventday.example.org`;
    /// when unset, the request's `Host` is used.
    pub public_url: Option<String>,
    /// The key that seals consumers' names and phones (`EVENTDAY_CASE_KEY`); without one a key
    /// made for this process is used (values sealed with it do not open after a restart).
    pub case_key: Option<eventday_store::cases::CaseKey>,
}

/// Largest request body accepted (bytes); bigger bodies get 413.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The request span: method and path only. The query and invitation paths carry secrets, and
/// secrets are never logged.
fn request_span<B>(req: &Request<B>) -> tracing::Span {
    let path = req.uri().path();
    let path = if path.starts_with("/invite/") { "/invite/…" } else { path };
    tracing::debug_span!("request", method = %req.method(), path = %path)
}

/// Builds the whole router.
pub fn router(state: AppState) -> Router {
    routes::build(&state)
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::browser_pages))
        // Body limits are per route (see `auth::documented!`); this turns their bare 413s into the envelope.
        .layer(axum::middleware::from_fn(error::envelope_errors))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_span).on_failure(()))
        .layer(axum::middleware::from_fn(error::log_server_errors))
        .layer(axum::middleware::from_fn(security::headers))
        // gzip for clients that ask (pages, scripts, JSON, CSV, PDF); never for live feeds
        // (`text/event-stream`), images or bodies under 32 bytes: tower-http's default predicate.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}
