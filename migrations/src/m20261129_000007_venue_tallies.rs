//! Running tallies per venue, kept by the database itself, for roll-ups over thousands of
//! districts; and the index the live feed resumes on.
//!
//! Summing 2.5 million log entries takes seconds even from a covering index; a roll-up of a
//! province must answer in well under a second. `venue_tallies` holds, per venue, the count and
//! the summed figures of its log entries. Triggers on `log_entries` keep it exact for every
//! insert, update and delete, whatever path writes (API, imports, the synthetic generator,
//! hand-made SQL), inside the same transaction. On PostgreSQL they are statement-level triggers
//! over transition tables, so a multi-row insert updates each venue's row once, in venue order
//! (two concurrent batches lock tallies in the same order and cannot deadlock); SQLite has only
//! row-level triggers, which are cheap there (no network, no plan per row).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FIGURES: [&str; 5] =
    ["visitors", "consultations", "complaints_received", "complaints_settled", "money_recovered_fen"];

/// `a = a + x.a` (or `-`) for the count and every figure.
fn adjust(sign: &str, table: &str, source: &str, count: &str) -> String {
    let mut parts = vec![format!("log_entries = {table}log_entries {sign} {count}")];
    parts.extend(FIGURES.iter().map(|f| format!("{f} = {table}{f} {sign} {source}{f}")));
    parts.join(", ")
}

fn sqlite_triggers() -> Vec<String> {
    let cols = FIGURES.join(", ");
    let new_vals = FIGURES.iter().map(|f| format!("NEW.{f}")).collect::<Vec<_>>().join(", ");
    let add = format!(
        "INSERT INTO venue_tallies (venue_id, campaign_id, log_entries, {cols}) \
         VALUES (NEW.venue_id, NEW.campaign_id, 1, {new_vals}) \
         ON CONFLICT (venue_id) DO UPDATE SET {};",
        adjust("+", "", "excluded.", "1")
    );
    let sub =
        format!("UPDATE venue_tallies SET {} WHERE venue_id = OLD.venue_id;", adjust("-", "", "OLD.", "1"));
    vec![
        format!("CREATE TRIGGER trg_log_entries_tally_insert AFTER INSERT ON log_entries BEGIN {add} END"),
        format!("CREATE TRIGGER trg_log_entries_tally_delete AFTER DELETE ON log_entries BEGIN {sub} END"),
        format!(
            "CREATE TRIGGER trg_log_entries_tally_update AFTER UPDATE ON log_entries BEGIN {sub} {add} END"
        ),
    ]
}

fn postgres_triggers() -> Vec<String> {
    let cols = FIGURES.join(", ");
    let sums = FIGURES.iter().map(|f| format!("SUM({f})")).collect::<Vec<_>>().join(", ");
    let add = format!(
        "INSERT INTO venue_tallies (venue_id, campaign_id, log_entries, {cols}) \
         SELECT venue_id, MIN(campaign_id), COUNT(*), {sums} FROM new_rows GROUP BY venue_id ORDER BY venue_id \
         ON CONFLICT (venue_id) DO UPDATE SET {};",
        adjust("+", "venue_tallies.", "EXCLUDED.", "EXCLUDED.log_entries")
    );
    let sub = format!(
        "UPDATE venue_tallies t SET {} FROM (SELECT venue_id, COUNT(*) AS log_entries, {} FROM old_rows \
         GROUP BY venue_id ORDER BY venue_id) o WHERE t.venue_id = o.venue_id;",
        adjust("-", "t.", "o.", "o.log_entries"),
        FIGURES.iter().map(|f| format!("SUM({f}) AS {f}")).collect::<Vec<_>>().join(", ")
    );
    let func = |name: &str, body: &str| {
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
        )
    };
    vec![
        func("eventday_tally_insert", &add),
        func("eventday_tally_delete", &sub),
        func("eventday_tally_update", &format!("{sub} {add}")),
        "CREATE TRIGGER trg_log_entries_tally_insert AFTER INSERT ON log_entries \
         REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION eventday_tally_insert()"
            .into(),
        "CREATE TRIGGER trg_log_entries_tally_delete AFTER DELETE ON log_entries \
         REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION eventday_tally_delete()"
            .into(),
        "CREATE TRIGGER trg_log_entries_tally_update AFTER UPDATE ON log_entries \
         REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT \
         EXECUTE FUNCTION eventday_tally_update()"
            .into(),
    ]
}

fn tallies_table() -> TableCreateStatement {
    let mut t = Table::create();
    t.table("venue_tallies")
        .if_not_exists()
        .col(ColumnDef::new("venue_id").integer().not_null().primary_key())
        .col(ColumnDef::new("campaign_id").integer().not_null())
        .col(ColumnDef::new("log_entries").big_integer().not_null().default(0));
    for f in FIGURES {
        t.col(ColumnDef::new(f).big_integer().not_null().default(0));
    }
    t.foreign_key(
        ForeignKey::create()
            .name("fk_venue_tallies_venue_id")
            .from("venue_tallies", "venue_id")
            .to("venues", "id")
            .on_delete(ForeignKeyAction::Cascade),
    )
    .foreign_key(
        ForeignKey::create()
            .name("fk_venue_tallies_campaign_id")
            .from("venue_tallies", "campaign_id")
            .to("campaigns", "id")
            .on_delete(ForeignKeyAction::Cascade),
    )
    .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(tallies_table()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_venue_tallies_campaign_id")
                    .table("venue_tallies")
                    .col("campaign_id")
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_log_entries_created_at_id")
                    .table("log_entries")
                    .col("created_at")
                    .col("id")
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        // Entries written before this migration.
        let cols = FIGURES.join(", ");
        let sums = FIGURES.iter().map(|f| format!("SUM({f})")).collect::<Vec<_>>().join(", ");
        db.execute_unprepared(&format!(
            "INSERT INTO venue_tallies (venue_id, campaign_id, log_entries, {cols}) \
             SELECT venue_id, MIN(campaign_id), COUNT(*), {sums} FROM log_entries GROUP BY venue_id"
        ))
        .await?;
        let triggers = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_triggers(),
            _ => sqlite_triggers(),
        };
        for sql in triggers {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let pg = manager.get_database_backend() == DbBackend::Postgres;
        for op in ["insert", "delete", "update"] {
            if pg {
                db.execute_unprepared(&format!(
                    "DROP TRIGGER IF EXISTS trg_log_entries_tally_{op} ON log_entries"
                ))
                .await?;
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS eventday_tally_{op}()")).await?;
            } else {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS trg_log_entries_tally_{op}")).await?;
            }
        }
        manager
            .drop_index(Index::drop().name("ix_log_entries_created_at_id").table("log_entries").to_owned())
            .await?;
        manager.drop_table(Table::drop().table("venue_tallies").to_owned()).await
    }
}
