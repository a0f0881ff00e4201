//! What a district's own spreadsheets hold and the first schema had no place for.
//!
//! - campaigns: the undertaker (承办), the administrative division code, and whether the report
//!   masks officials' names (a campaign setting, on by default);
//! - venues: the setting (square, community, school ...) and whether a floor plan exists yet;
//!   booths: whether they have been placed on the plan (a venue without a plan keeps its size
//!   columns at a placeholder of 1 m, an unplaced booth at 0/0 with 1 m sides: readers look at
//!   `has_plan` / `placed` first);
//! - units: a short name, and for member enterprises the industry and the year they joined the
//!   reconciliation platform; materials: the quantity in stock;
//! - media: the time slot or page, and the formats real coverage comes in (the check on
//!   `format` is widened; SQLite cannot alter a check, so the table is rebuilt, its venue links
//!   kept aside and put back);
//! - `closing_tallies`: a booth's or a venue's closing count, recorded once at the end of the
//!   day, at most one per booth and one per venue (the unique index reads a missing booth as 0);
//! - an index on `log_entries.booth_id`, so the totals can take out the log figures of a booth
//!   whose tally replaces them.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FORMATS: &str = "'live', 'photo_text_live', 'report', 'photo_news', 'brief', 'feature', \
                       'interview', 'online_article', 'wechat_post', 'short_video'";
const OLD_FORMATS: &str = "'live', 'report', 'interview', 'feature'";
const SETTINGS: [&str; 7] = ["square", "community", "school", "market", "mall", "street_office", "other"];

fn count(col: &'static str) -> ColumnDef {
    big_integer(col).default(0).check(Expr::col(col).gte(0)).take()
}

fn add(table: &'static str, col: ColumnDef) -> TableAlterStatement {
    let mut col = col;
    Table::alter().table(table).add_column(&mut col).take()
}

fn columns() -> Vec<TableAlterStatement> {
    vec![
        add("campaigns", string_len("undertaker", 200).default("").take()),
        add("campaigns", string_len("division_code", 12).default("").take()),
        add("campaigns", boolean("mask_official_names").default(true).take()),
        add(
            "venues",
            string_len("setting", 32).default("other").check(Expr::col("setting").is_in(SETTINGS)).take(),
        ),
        add("venues", boolean("has_plan").default(true).take()),
        add("booths", boolean("placed").default(true).take()),
        add("units", string_len_null("short_name", 100)),
        add("units", string_len_null("industry", 100)),
        add("units", integer_null("platform_joined_year")),
        add("materials", big_integer_null("stock").check(Expr::col("stock").gte(0)).take()),
    ]
}

fn tallies_table() -> TableCreateStatement {
    Table::create()
        .table("closing_tallies")
        .if_not_exists()
        .col(pk_auto("id"))
        .col(integer("venue_id"))
        .col(integer_null("booth_id"))
        .col(count("visitors"))
        .col(count("consultations"))
        .col(count("complaints_received"))
        .col(count("complaints_settled"))
        .col(count("money_recovered_fen"))
        .col(text("note").default(""))
        .col(timestamp_with_time_zone("recorded_at"))
        .foreign_key(
            ForeignKey::create()
                .name("fk_closing_tallies_venue_id")
                .from("closing_tallies", "venue_id")
                .to("venues", "id")
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_closing_tallies_booth_id")
                .from("closing_tallies", "booth_id")
                .to("booths", "id")
                .on_delete(ForeignKeyAction::Cascade),
        )
        .take()
}

/// SQLite: the media table rebuilt with the wider check and the slot column.
fn sqlite_media() -> Vec<String> {
    vec![
        format!(
            "CREATE TABLE \"media_coverage_new\" ( \"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
             \"campaign_id\" integer NOT NULL, \"outlet_unit_id\" integer NOT NULL, \
             \"channel\" varchar(32) NOT NULL CHECK (\"channel\" IN ('tv', 'radio', 'newspaper', 'online', 'social')), \
             \"format\" varchar(32) NOT NULL CHECK (\"format\" IN ({FORMATS})), \
             \"date\" date_text NOT NULL, \"headline\" varchar(400) NOT NULL, \"link\" varchar(2000) NULL, \
             \"estimated_reach\" integer NULL CHECK (\"estimated_reach\" >= 0), \
             \"slot\" varchar(100) NOT NULL DEFAULT '', \
             FOREIGN KEY (\"campaign_id\") REFERENCES \"campaigns\" (\"id\") ON DELETE CASCADE, \
             FOREIGN KEY (\"outlet_unit_id\") REFERENCES \"units\" (\"id\") ON DELETE RESTRICT )"
        ),
        "INSERT INTO media_coverage_new (id, campaign_id, outlet_unit_id, channel, format, date, headline, \
         link, estimated_reach) SELECT id, campaign_id, outlet_unit_id, channel, format, date, headline, \
         link, estimated_reach FROM media_coverage"
            .into(),
        "CREATE TABLE media_coverage_venues_kept AS SELECT coverage_id, venue_id FROM media_coverage_venues"
            .into(),
        // Dropping the table deletes its venue links (ON DELETE CASCADE); they were kept above.
        "DROP TABLE media_coverage".into(),
        "ALTER TABLE media_coverage_new RENAME TO media_coverage".into(),
        "INSERT INTO media_coverage_venues (coverage_id, venue_id) \
         SELECT coverage_id, venue_id FROM media_coverage_venues_kept"
            .into(),
        "DROP TABLE media_coverage_venues_kept".into(),
        "CREATE INDEX \"ix_media_coverage_campaign_id\" ON \"media_coverage\" (\"campaign_id\")".into(),
        "CREATE INDEX \"ix_media_coverage_outlet_unit_id\" ON \"media_coverage\" (\"outlet_unit_id\")".into(),
    ]
}

fn postgres_media() -> Vec<String> {
    vec![
        "ALTER TABLE media_coverage DROP CONSTRAINT IF EXISTS media_coverage_format_check".into(),
        format!(
            "ALTER TABLE media_coverage ADD CONSTRAINT media_coverage_format_check CHECK (format IN ({FORMATS}))"
        ),
        "ALTER TABLE media_coverage ADD COLUMN slot varchar(100) NOT NULL DEFAULT ''".into(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for alter in columns() {
            manager.alter_table(alter).await?;
        }
        manager.create_table(tallies_table()).await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_closing_tallies_scope ON closing_tallies (venue_id, COALESCE(booth_id, 0))",
        )
        .await?;
        manager
            .create_index(
                Index::create().name("ix_log_entries_booth_id").table("log_entries").col("booth_id").take(),
            )
            .await?;
        // One batch, so every statement runs on the same connection, in order: another pooled
        // SQLite connection could still see the table the batch drops.
        let media = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_media(),
            _ => sqlite_media(),
        };
        db.execute_unprepared(&media.join(";\n")).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .drop_index(Index::drop().name("ix_log_entries_booth_id").table("log_entries").to_owned())
            .await?;
        manager.drop_table(Table::drop().table("closing_tallies").take()).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&format!(
                "DELETE FROM media_coverage WHERE format NOT IN ({OLD_FORMATS}); \
                 ALTER TABLE media_coverage DROP CONSTRAINT IF EXISTS media_coverage_format_check; \
                 ALTER TABLE media_coverage ADD CONSTRAINT media_coverage_format_check CHECK (format IN ({OLD_FORMATS})); \
                 ALTER TABLE media_coverage DROP COLUMN slot"
            ))
            .await?;
            for (table, col) in [
                ("campaigns", "undertaker"),
                ("campaigns", "division_code"),
                ("campaigns", "mask_official_names"),
                ("venues", "setting"),
                ("venues", "has_plan"),
                ("booths", "placed"),
                ("units", "short_name"),
                ("units", "industry"),
                ("units", "platform_joined_year"),
                ("materials", "stock"),
            ] {
                db.execute_unprepared(&format!("ALTER TABLE {table} DROP COLUMN {col}")).await?;
            }
        }
        // SQLite keeps the added columns (dropping a column with a check needs a rebuild); the
        // application ignores what it does not know.
        Ok(())
    }
}
