//! Thumbnails of the day's photos, made by the server once, on first request, and kept in the
//! database so that every server instance serves the same one without decoding the photo again.
//! A row without bytes records that the photo could not be decoded (the original is served
//! instead); deleting the row has the thumbnail made again on the next request.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("photo_thumbs")
                    .if_not_exists()
                    .col(big_integer("photo_id"))
                    .col(integer("width"))
                    .col(integer("height"))
                    .col(blob_null("bytes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("photo_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_photo_thumbs_photo_id")
                            .from("photo_thumbs", "photo_id")
                            .to("log_photos", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("photo_thumbs").if_exists().take()).await
    }
}
