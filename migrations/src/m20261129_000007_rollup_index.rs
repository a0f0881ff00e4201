//! Roll-up and live-feed indexes for event-day operations at scale.
//!
//! `ix_log_entries_rollup` covers the roll-up's aggregate (campaign, venue and the five summed
//! figures) so that summing millions of log entries reads the index only, never the table;
//! `ix_log_entries_created_at_id` serves the live feed's resume-from-cursor reads.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create()
            .name("ix_log_entries_rollup")
            .table("log_entries")
            .col("campaign_id")
            .col("venue_id")
            .col("visitors")
            .col("consultations")
            .col("complaints_received")
            .col("complaints_settled")
            .col("money_recovered_fen")
            .take(),
        Index::create()
            .name("ix_log_entries_created_at_id")
            .table("log_entries")
            .col("created_at")
            .col("id")
            .take(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for idx in indexes() {
            manager.create_index(idx).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_log_entries_rollup", "ix_log_entries_created_at_id"] {
            manager.drop_index(Index::drop().name(name).table("log_entries").to_owned()).await?;
        }
        Ok(())
    }
}
