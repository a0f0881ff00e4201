//! Evidence on a checklist task (佐证材料): a photo or a PDF attached to a task, stored in the
//! database like log photos (bytes in the row, with their SHA-256 and the content type judged
//! by the bytes) so that every server instance serves it and backups carry it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("task_evidence")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("task_id"))
                    .col(string_len("file_name", 200).default(""))
                    .col(string_len("content_type", 100))
                    .col(big_integer("size_bytes"))
                    .col(string_len("sha256", 64))
                    .col(blob("bytes"))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_task_evidence_task_id")
                            .from("task_evidence", "task_id")
                            .to("tasks", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_task_evidence_task_id").table("task_evidence").col("task_id").take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("task_evidence").if_exists().take()).await
    }
}
