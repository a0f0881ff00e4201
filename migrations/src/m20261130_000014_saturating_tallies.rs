//! The running tallies saturate instead of failing on overflow.
//!
//! `venue_tallies` (see `m20261129_000007_venue_tallies`) adds every log entry's figures to its
//! venue's row. Figures are bounded when written through the application, but one row written by
//! hand with a figure near `i64::MAX` made every later entry at that venue fail on PostgreSQL
//! ("bigint out of range") and turned the SQLite sum into a floating-point value no reader could
//! decode. The trigger bodies are replaced with the same statements, each sum held within the
//! range of `BIGINT`: the tallies stay exact for every realistic figure and stop at the ends of
//! the range for absurd ones.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FIGURES: [&str; 5] =
    ["visitors", "consultations", "complaints_received", "complaints_settled", "money_recovered_fen"];

/// `expr` held within `BIGINT`: PostgreSQL computes in `numeric` and clamps before the cast;
/// SQLite turns an overflowing integer sum into a float, which MIN/MAX bring back to an integer.
fn clamp(pg: bool, expr: &str) -> String {
    if pg {
        format!(
            "CAST(LEAST(GREATEST(CAST({expr} AS NUMERIC), -9223372036854775808), 9223372036854775807) AS BIGINT)"
        )
    } else {
        format!("MAX(MIN({expr}, 9223372036854775807), -9223372036854775807 - 1)")
    }
}

/// `a = clamp(a + x.a)` (or `-`) for the count and every figure.
fn adjust(pg: bool, sign: &str, table: &str, source: &str, count: &str) -> String {
    let num = if pg { "::numeric" } else { "" };
    let mut parts = vec![format!("log_entries = {table}log_entries {sign} {count}")];
    parts.extend(
        FIGURES
            .iter()
            .map(|f| format!("{f} = {}", clamp(pg, &format!("{table}{f}{num} {sign} {source}{f}")))),
    );
    parts.join(", ")
}

fn sqlite_triggers() -> Vec<String> {
    let cols = FIGURES.join(", ");
    let new_vals = FIGURES.iter().map(|f| format!("NEW.{f}")).collect::<Vec<_>>().join(", ");
    let add = format!(
        "INSERT INTO venue_tallies (venue_id, campaign_id, log_entries, {cols}) \
         VALUES (NEW.venue_id, NEW.campaign_id, 1, {new_vals}) \
         ON CONFLICT (venue_id) DO UPDATE SET {};",
        adjust(false, "+", "", "excluded.", "1")
    );
    let sub = format!(
        "UPDATE venue_tallies SET {} WHERE venue_id = OLD.venue_id;",
        adjust(false, "-", "", "OLD.", "1")
    );
    vec![
        format!("CREATE TRIGGER trg_log_entries_tally_insert AFTER INSERT ON log_entries BEGIN {add} END"),
        format!("CREATE TRIGGER trg_log_entries_tally_delete AFTER DELETE ON log_entries BEGIN {sub} END"),
        format!(
            "CREATE TRIGGER trg_log_entries_tally_update AFTER UPDATE ON log_entries BEGIN {sub} {add} END"
        ),
    ]
}

/// The trigger functions, replaced in place (the triggers that call them stay).
fn postgres_functions() -> Vec<String> {
    let cols = FIGURES.join(", ");
    let sums = FIGURES.iter().map(|f| clamp(true, &format!("SUM({f})"))).collect::<Vec<_>>().join(", ");
    let add = format!(
        "INSERT INTO venue_tallies (venue_id, campaign_id, log_entries, {cols}) \
         SELECT venue_id, MIN(campaign_id), COUNT(*), {sums} FROM new_rows GROUP BY venue_id ORDER BY venue_id \
         ON CONFLICT (venue_id) DO UPDATE SET {};",
        adjust(true, "+", "venue_tallies.", "EXCLUDED.", "EXCLUDED.log_entries")
    );
    // The old rows' sums stay numeric here (no cast), so they cannot overflow either.
    let sub = format!(
        "UPDATE venue_tallies t SET {} FROM (SELECT venue_id, COUNT(*) AS log_entries, {} FROM old_rows \
         GROUP BY venue_id ORDER BY venue_id) o WHERE t.venue_id = o.venue_id;",
        adjust(true, "-", "t.", "o.", "o.log_entries"),
        FIGURES.iter().map(|f| format!("SUM({f}) AS {f}")).collect::<Vec<_>>().join(", ")
    );
    let func = |name: &str, body: &str| {
        format!(
            "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
        )
    };
    vec![
        func("eventday_tally_insert", &add),
        func("eventday_tally_delete", &sub),
        func("eventday_tally_update", &format!("{sub} {add}")),
    ]
}

async fn drop_sqlite_triggers(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    for op in ["insert", "delete", "update"] {
        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS trg_log_entries_tally_{op}")).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend: on SQLite the pool would otherwise run the drops and
    /// the creates on different connections, one of which may still read an older schema.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_functions(),
            _ => {
                drop_sqlite_triggers(db).await?;
                sqlite_triggers()
            }
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The saturating bodies compute the same as the previous ones wherever those did not
        // fail, so they stay; the previous migration's `down` removes them with the table.
        Ok(())
    }
}
