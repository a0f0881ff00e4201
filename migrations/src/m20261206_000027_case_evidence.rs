//! Evidence photos of a complaint case (issue 22): pictures of a receipt, a product or a shop
//! sign taken at intake or added later on the case page. Stored in the database like log photos
//! (bytes in the row, with their SHA-256 and the content type judged by the bytes). One picture
//! is kept once per case (unique on case and SHA-256), so a resent upload is not stored twice.
//! They are personal data: the case's purge deletes them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("case_evidence")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("dispute_id"))
                    .col(string_len("content_type", 100))
                    .col(big_integer("size_bytes"))
                    .col(string_len("sha256", 64))
                    .col(blob("bytes"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_evidence_dispute_id")
                            .from("case_evidence", "dispute_id")
                            .to("disputes", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_case_evidence_dispute_sha256")
                    .table("case_evidence")
                    .col("dispute_id")
                    .col("sha256")
                    .unique()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("case_evidence").if_exists().take()).await
    }
}
