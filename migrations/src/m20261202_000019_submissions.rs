//! Submissions (报送) of a campaign to its parent organization, and the cut-off time a parent
//! sets for its children's submissions.
//!
//! `submissions` holds at most one row per campaign: its current state (submitted, accepted,
//! returned), the note, the parent's comment, the figures as they were when submitted (JSON text)
//! and the report PDF generated at that moment (bytes in the row, with their SHA-256: a file next
//! to the database would not follow a backup or a second server instance). Every step is an audit
//! event, so the row keeps only the latest state. `submission_cutoffs` holds, per parent
//! organization and year, the time after which the children that have not submitted are listed
//! with their contact.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("submissions")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("campaign_id"))
                    .col(integer("organization_id"))
                    .col(integer("parent_organization_id"))
                    .col(string_len("status", 20))
                    .col(string_len("client_id", 64).default(""))
                    .col(text("note").default(""))
                    .col(text("comment").default(""))
                    .col(text("figures"))
                    .col(string_len("report_sha256", 64))
                    .col(big_integer("report_size"))
                    .col(blob("report_pdf"))
                    .col(integer_null("submitted_by"))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_submissions_campaign_id")
                            .from("submissions", "campaign_id")
                            .to("campaigns", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_submissions_campaign_id")
                    .table("submissions")
                    .col("campaign_id")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_submissions_parent_status")
                    .table("submissions")
                    .col("parent_organization_id")
                    .col("status")
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("submission_cutoffs")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("organization_id"))
                    .col(integer("year"))
                    .col(timestamp_with_time_zone("cutoff_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_submission_cutoffs_organization_id")
                            .from("submission_cutoffs", "organization_id")
                            .to("organizations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_submission_cutoffs_organization_id_year")
                    .table("submission_cutoffs")
                    .col("organization_id")
                    .col("year")
                    .unique()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("submission_cutoffs").take()).await?;
        manager.drop_table(Table::drop().table("submissions").take()).await
    }
}
