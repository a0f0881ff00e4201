//! End-to-end tests: the real router on 127.0.0.1, a fresh database per test (a temporary
//! SQLite file, or a fresh PostgreSQL database when `EVENTDAY_TEST_DATABASE_URL` is set).

#![allow(clippy::expect_used, reason = "a failed request or unreadable body should fail the test loudly")]

mod api;
mod cli;
mod foundation;
mod helpers;
