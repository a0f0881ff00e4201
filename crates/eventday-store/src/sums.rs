//! Sums in SQL that cannot overflow, on both databases.
//!
//! Figures are bounded when written (see `eventday_domain::validate::MAX_PEOPLE` and friends),
//! but a row written by hand, or before the bounds existed, must not break every page that sums
//! it: SQLite's `SUM` raises "integer overflow" and PostgreSQL's `CAST(SUM(bigint) AS BIGINT)`
//! raises "bigint out of range". These sums stop at the ends of `i64` instead.

use sea_orm::DbBackend;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait};

/// `SUM(col)` as a `BIGINT`, 0 over no rows, held within `i64` (saturating).
///
/// PostgreSQL sums `bigint` into `numeric` (exact), which is clamped before the cast. SQLite's
/// `TOTAL` sums in floating point and never fails; `CAST(... AS INTEGER)` saturates at the ends
/// of `i64`. The floating-point sum is exact while the total stays below 2^53 (9 × 10^15):
/// 900,000 entries of the largest money figure allowed.
#[must_use]
pub fn saturating_sum(backend: DbBackend, col: &str) -> String {
    match backend {
        DbBackend::Postgres => format!(
            "CAST(LEAST(GREATEST(COALESCE(SUM({col}), 0), -9223372036854775808), 9223372036854775807) AS BIGINT)"
        ),
        _ => format!("CAST(TOTAL({col}) AS INTEGER)"),
    }
}

/// [`saturating_sum`] of each of `cols` as `{alias}{col}`... joined with commas, e.g. for
/// `SELECT {..} FROM venue_tallies s`: `saturating_sums(b, "s.", &["visitors"])` gives
/// `CAST(TOTAL(s.visitors) AS INTEGER) AS visitors` on SQLite.
#[must_use]
pub fn saturating_sums(backend: DbBackend, prefix: &str, cols: &[&str]) -> String {
    cols.iter()
        .map(|c| format!("{} AS {c}", saturating_sum(backend, &format!("{prefix}{c}"))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The count and the figures of log entries (or of their tallies), in the order the roll-up
/// and live totals read them.
pub const FIGURE_COLUMNS: [&str; 5] =
    ["visitors", "consultations", "complaints_received", "complaints_settled", "money_recovered_fen"];

/// SQL: whether the row of `log_entries` called `alias` (e.g. `"e."`, or `""`) counts in totals:
/// it is neither replaced by a correction nor a void (see `crate::log::corrections`). The tally
/// triggers of the migration `m20261201_000017_corrections` apply the same rule.
#[must_use]
pub fn counted_sql(backend: DbBackend, alias: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("{alias}superseded_by IS NULL AND NOT {alias}void"),
        _ => format!("{alias}superseded_by IS NULL AND {alias}void = 0"),
    }
}

/// The same rule as a query condition on the table (or alias) `table`.
#[must_use]
pub fn counted(table: &str) -> Condition {
    Condition::all()
        .add(Expr::col((Alias::new(table), Alias::new("superseded_by"))).is_null())
        .add(Expr::col((Alias::new(table), Alias::new("void"))).eq(false))
}
