//! Corrections and voids of log entries.
//!
//! The log stays append-only: a correction is a new log entry that names the entry it corrects
//! (`corrects`) and why (`reason`); a void is a correction with no figures (`void`). The
//! corrected entry keeps its content and gets `superseded_by` set to the correction's id, the
//! only column of an entry that ever changes after it was stored. An entry counts in totals
//! exactly when it is not superseded and not a void; the tally triggers (see
//! `m20261129_000007_venue_tallies` and `m20261130_000014_saturating_tallies`) are replaced with
//! the same saturating statements restricted to counted rows, so that superseding an entry (an
//! update) takes its figures out of its venue's tally in the same transaction. A unique index on
//! `corrects` lets each entry be corrected once (a later correction corrects the correction), so
//! two corrections racing for one entry cannot both count, whichever instance writes them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FIGURES: [&str; 5] =
    ["visitors", "consultations", "complaints_received", "complaints_settled", "money_recovered_fen"];

/// `expr` held within `BIGINT` (as in `m20261130_000014_saturating_tallies`).
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

/// Whether the row `r` counts in totals (`None`: every row, as before this migration).
fn counted(pg: bool, r: Option<&str>) -> String {
    let Some(r) = r else { return "TRUE".into() };
    if pg {
        format!("{r}superseded_by IS NULL AND NOT {r}void")
    } else {
        format!("{r}superseded_by IS NULL AND {r}void = 0")
    }
}

fn sqlite_triggers(with_columns: bool) -> Vec<String> {
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
    let new = counted(false, with_columns.then_some("NEW."));
    let old = counted(false, with_columns.then_some("OLD."));
    vec![
        format!(
            "CREATE TRIGGER trg_log_entries_tally_insert AFTER INSERT ON log_entries WHEN {new} BEGIN {add} END"
        ),
        format!(
            "CREATE TRIGGER trg_log_entries_tally_delete AFTER DELETE ON log_entries WHEN {old} BEGIN {sub} END"
        ),
        // Two triggers for an update (each with its own condition); adding and subtracting
        // commute, so their order does not matter.
        format!(
            "CREATE TRIGGER trg_log_entries_tally_update AFTER UPDATE ON log_entries WHEN {old} BEGIN {sub} END"
        ),
        format!(
            "CREATE TRIGGER trg_log_entries_tally_update_add AFTER UPDATE ON log_entries WHEN {new} BEGIN {add} END"
        ),
    ]
}

/// The trigger functions, replaced in place (the triggers that call them stay).
fn postgres_functions(with_columns: bool) -> Vec<String> {
    let cols = FIGURES.join(", ");
    let sums = FIGURES.iter().map(|f| clamp(true, &format!("SUM({f})"))).collect::<Vec<_>>().join(", ");
    let add = format!(
        "INSERT INTO venue_tallies (venue_id, campaign_id, log_entries, {cols}) \
         SELECT venue_id, MIN(campaign_id), COUNT(*), {sums} FROM new_rows WHERE {} \
         GROUP BY venue_id ORDER BY venue_id \
         ON CONFLICT (venue_id) DO UPDATE SET {};",
        counted(true, with_columns.then_some("")),
        adjust(true, "+", "venue_tallies.", "EXCLUDED.", "EXCLUDED.log_entries")
    );
    let sub = format!(
        "UPDATE venue_tallies t SET {} FROM (SELECT venue_id, COUNT(*) AS log_entries, {} FROM old_rows \
         WHERE {} GROUP BY venue_id ORDER BY venue_id) o WHERE t.venue_id = o.venue_id;",
        adjust(true, "-", "t.", "o.", "o.log_entries"),
        FIGURES.iter().map(|f| format!("SUM({f}) AS {f}")).collect::<Vec<_>>().join(", "),
        counted(true, with_columns.then_some(""))
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
    for op in ["insert", "delete", "update", "update_add"] {
        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS trg_log_entries_tally_{op}")).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend (see `m20261130_000014_saturating_tallies`).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            ColumnDef::new("corrects").string().null().take(),
            ColumnDef::new("reason").text().not_null().default("").take(),
            ColumnDef::new("void").boolean().not_null().default(false).take(),
            ColumnDef::new("superseded_by").string().null().take(),
        ];
        // SQLite adds one column per statement.
        for c in columns {
            manager.alter_table(Table::alter().table("log_entries").add_column(c).take()).await?;
        }
        // When a photo was taken, kept apart from the picture (the phone re-encodes it without
        // its EXIF block, which also held the GPS position).
        manager
            .alter_table(
                Table::alter()
                    .table("log_photos")
                    .add_column(ColumnDef::new("taken_at").timestamp_with_time_zone().null())
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_log_entries_corrects")
                    .table("log_entries")
                    .col("corrects")
                    .unique()
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_functions(true),
            _ => {
                drop_sqlite_triggers(db).await?;
                sqlite_triggers(true)
            }
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Every row counts again once the columns are gone: superseded entries and voids would be
        // summed beside their corrections, so the down migration refuses while any exist.
        let db = manager.get_connection();
        let n = db
            .query_one_raw(sea_orm_migration::sea_orm::Statement::from_string(
                manager.get_database_backend(),
                "SELECT COUNT(*) AS n FROM log_entries WHERE corrects IS NOT NULL".to_owned(),
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if n > 0 {
            return Err(DbErr::Migration(format!(
                "{n} corrections are stored; remove them before going back"
            )));
        }
        // Triggers over every row first: SQLite refuses to drop a column a trigger names.
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_functions(false),
            _ => {
                drop_sqlite_triggers(db).await?;
                sqlite_triggers(false)
            }
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        manager
            .drop_index(Index::drop().name("ux_log_entries_corrects").table("log_entries").to_owned())
            .await?;
        manager.alter_table(Table::alter().table("log_photos").drop_column("taken_at").take()).await?;
        for c in ["superseded_by", "void", "reason", "corrects"] {
            manager.alter_table(Table::alter().table("log_entries").drop_column(c).take()).await?;
        }
        Ok(())
    }
}
