//! End-to-end tests: the real router on 127.0.0.1, a fresh database per test (a temporary
//! SQLite file, or a fresh PostgreSQL database when `EVENTDAY_TEST_DATABASE_URL` is set).

#![allow(clippy::expect_used, clippy::unwrap_used, reason = "a test fails loudly on what it did not expect")]

mod api;
mod auth;
mod browser;
mod cases;
mod cli;
mod corrections;
mod csv;
mod foundation;
mod helpers;
mod ops;
mod photos;
mod preparation;
mod real_data;
mod report;
mod security;
mod submission;
mod write_path;
mod xlsx;
