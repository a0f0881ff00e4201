//! Report settings per campaign, and optional English names.
//!
//! `report_settings` holds, for at most one row per campaign, what the organizers set for the
//! summary report itself: title, subtitle, issuing body, report date, and the 主送 / 抄送 lines.
//! Every column may be empty; the report then uses its defaults (the generated title, the
//! organization as issuer, the event day as date).
//!
//! Organizations, venues, units (media outlets are units) and materials get an optional
//! `name_en`, which the English report shows instead of the Chinese name.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables that get an optional English name.
const NAMED: [&str; 4] = ["organizations", "venues", "units", "materials"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("report_settings")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(string_len("title", 200).default(""))
                    .col(string_len("subtitle", 200).default(""))
                    .col(string_len("issuer", 200).default(""))
                    .col(date_null("report_date"))
                    .col(string_len("addressee", 500).default(""))
                    .col(string_len("copy_to", 500).default(""))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_settings_campaign_id")
                            .from("report_settings", "campaign_id")
                            .to("campaigns", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_report_settings_campaign_id")
                    .table("report_settings")
                    .col("campaign_id")
                    .unique()
                    .take(),
            )
            .await?;
        // One ALTER per column: SQLite adds only one column per statement.
        for table in NAMED {
            manager
                .alter_table(Table::alter().table(table).add_column(string_len_null("name_en", 200)).take())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in NAMED {
            manager.alter_table(Table::alter().table(table).drop_column("name_en").take()).await?;
        }
        manager.drop_table(Table::drop().table("report_settings").take()).await
    }
}
