//! Database access for eventday: entities, queries and transactions on SQLite and PostgreSQL.
//!
//! Every query lives here; handlers and commands call these functions and never build SQL.

pub mod accounts;
pub mod audit;
mod auth_cache;
pub mod backup;
pub mod cases;
pub mod closing;
pub mod completeness;
pub mod csv_io;
pub mod demo;
pub mod entities;
pub mod error;
pub mod live;
pub mod log;
pub mod org_tree;
pub mod photos;
pub mod planning;
pub mod preparation;
pub mod queries;
pub mod report_data;
pub mod rollup;
pub mod scope;
mod sql;
pub mod submission;
pub mod submission_lock;
mod sums;
pub mod synthetic;
mod throttle;
mod ttl_cache;
pub mod views;

mod db;

pub use db::{Backend, Store};

/// How long a running server may keep accepting a session or token after the account was
/// disabled by another process (the command line or another instance): the life of its
/// authentication cache. Changes made through a server take effect in that server at once.
pub const AUTH_CACHE_SECONDS: u64 = crate::ttl_cache::TTL.as_secs();

pub use error::{ConstraintKind, StoreError};
