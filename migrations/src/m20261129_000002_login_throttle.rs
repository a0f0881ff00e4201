//! Failed-login counters per account and per client address, kept in the database so that every
//! server instance sharing it enforces the same limits.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .if_not_exists()
                    // "account:<login>" or "address:<ip>"
                    .col(string_len("key", 200).primary_key().take())
                    .col(integer("failures").default(0).check(Expr::col("failures").gte(0)).take())
                    .col(timestamp_with_time_zone("window_started_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("login_throttle").if_exists().take()).await
    }
}
