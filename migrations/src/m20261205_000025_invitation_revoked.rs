//! An organizer may take back an invitation that was not used yet (a card lost, the wrong
//! person): `revoked_at` records when; a revoked link opens nothing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("invitations")
                    .add_column(timestamp_with_time_zone_null("revoked_at"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("invitations").drop_column("revoked_at").take()).await
    }
}
