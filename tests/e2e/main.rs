//! End-to-end tests: the real router on 127.0.0.1, a fresh database per test (a temporary
//! SQLite file, or a fresh PostgreSQL database when `EVENTDAY_TEST_DATABASE_URL` is set).

// Tests fail loudly: panicking on an unexpected error is the point here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod cli;
mod csv;
mod foundation;
mod helpers;
mod ops;
mod report;
