//! Complaint cases: a dispute with intake (the consumer's name and phone, encrypted, only with
//! consent), a receipt code for the public status page, its workflow steps (ODR deadline, 12315
//! case number, later outcomes) and each organization's retention period for personal data.
//!
//! A case is one row beside its dispute (`complaint_cases.dispute_id` is both its key and the
//! dispute's id): the dispute stays the statistic every total counts, the case holds what only a
//! case has, and purging personal data touches only the case's columns.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("complaint_cases")
                    .if_not_exists()
                    .col(integer("dispute_id").primary_key())
                    .col(integer("campaign_id"))
                    .col(string_len("client_id", 36))
                    .col(string_len("code", 16))
                    .col(string_len("stage", 20))
                    .col(boolean("consent"))
                    .col(text_null("consumer_name_enc"))
                    .col(text_null("consumer_phone_enc"))
                    .col(date_null("odr_referred_on"))
                    .col(date_null("odr_deadline"))
                    .col(string_len_null("reference_12315", 60))
                    .col(integer_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("purged_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_complaint_cases_dispute_id")
                            .from("complaint_cases", "dispute_id")
                            .to("disputes", "id"),
                    )
                    .take(),
            )
            .await?;
        for (name, col) in
            [("ux_complaint_cases_client_id", "client_id"), ("ux_complaint_cases_code", "code")]
        {
            manager
                .create_index(Index::create().name(name).table("complaint_cases").col(col).unique().take())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_complaint_cases_campaign_id")
                    .table("complaint_cases")
                    .col("campaign_id")
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("case_steps")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("dispute_id"))
                    .col(string_len("stage", 20))
                    .col(date("on_date"))
                    .col(string_len("means", 200).default(""))
                    .col(text("result"))
                    .col(big_integer_null("amount_recovered_fen"))
                    .col(string_len_null("reference_12315", 60))
                    .col(integer_null("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_steps_dispute_id")
                            .from("case_steps", "dispute_id")
                            .to("complaint_cases", "dispute_id"),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_case_steps_dispute_id").table("case_steps").col("dispute_id").take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("case_settings")
                    .if_not_exists()
                    .col(integer("organization_id").primary_key())
                    .col(integer("retention_days"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_settings_organization_id")
                            .from("case_settings", "organization_id")
                            .to("organizations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["case_settings", "case_steps", "complaint_cases"] {
            manager.drop_table(Table::drop().table(t).if_exists().take()).await?;
        }
        Ok(())
    }
}
