//! Database access for eventday: entities, queries and transactions on SQLite and PostgreSQL.
//!
//! Every query lives here; handlers and commands call these functions and never build SQL.

pub mod accounts;
pub mod audit;
mod auth_cache;
pub mod backup;
pub mod csv_io;
pub mod demo;
pub mod entities;
pub mod error;
pub mod live;
pub mod log;
mod log_writer;
pub mod planning;
pub mod queries;
pub mod report_data;
pub mod rollup;
pub mod scope;
pub mod synthetic;
pub mod views;

mod db;

pub use db::{Backend, Store};
pub use error::{ConstraintKind, StoreError};
