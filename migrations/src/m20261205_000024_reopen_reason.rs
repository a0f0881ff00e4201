//! Why an organizer reopened a venue's day (退回原因), kept on the venue until its lead submits
//! again, so that the lead's page can say what to correct.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("venues").add_column(text_null("reopen_reason")).take())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("venues").drop_column("reopen_reason").take()).await
    }
}
