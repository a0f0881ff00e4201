//! The day's photos as organizers curate them: a caption of the photo's own (the log entry's
//! note belongs to the entry, which stays append-only) and a star that marks a photo for the
//! report's 活动剪影 section. Both columns change only through the store's one write function
//! of photos, which audits every change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter().table("log_photos").add_column(string_len("caption", 500).default("")).take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table("log_photos").add_column(boolean("starred").default(false)).take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_log_photos_starred")
                    .table("log_photos")
                    .col("starred")
                    .col("log_entry_id")
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("ix_log_photos_starred").table("log_photos").to_owned())
            .await?;
        manager.alter_table(Table::alter().table("log_photos").drop_column("starred").take()).await?;
        manager.alter_table(Table::alter().table("log_photos").drop_column("caption").take()).await
    }
}
