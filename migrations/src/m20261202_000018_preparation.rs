//! Before the day: the preparation checklist, campaigns cloned from last year, sign-in and
//! messages to venue leads.
//!
//! - `tasks`: the checklist and 工作分工表 (phase, title, responsible unit and person, optional
//!   venue, due date, status, notes, evidence);
//! - `campaign_sources`: where a cloned campaign came from (one row per clone, so the campaign
//!   table itself is untouched), the parts copied and the number of days dates moved by;
//! - `participations.to_confirm`: a participation copied from last year until someone confirms
//!   it (an organizer's update clears it);
//! - `check_ins`: who signed in at which venue, when and how; the client-made id makes a resent
//!   scan idempotent, and a unique index keeps one check-in per participant per campaign;
//! - `lead_messages` (+ `lead_message_venues`, `lead_message_reads`): what organizers send to
//!   leads, to which venues (none listed: all), and who has read it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TASK_STATUSES: [&str; 4] = ["open", "in_progress", "done", "cancelled"];
const PARTICIPANT_KINDS: [&str; 3] = ["unit", "official", "staff"];
const METHODS: [&str; 3] = ["qr", "list", "paper"];

fn fk(table: &str, col: &str, to: &str, action: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table.to_owned(), col.to_owned())
        .to(to.to_owned(), "id")
        .on_delete(action)
        .take()
}

fn tasks() -> TableCreateStatement {
    Table::create()
        .table("tasks")
        .if_not_exists()
        .col(pk_auto("id"))
        .col(integer("campaign_id"))
        .col(string_len("phase", 100).default(""))
        .col(string_len("title", 400))
        .col(string_len("responsible_unit", 200).default(""))
        .col(string_len("responsible_person", 100).default(""))
        .col(integer_null("venue_id"))
        .col(date("due_on"))
        .col(string_len("status", 32).default("open").check(Expr::col("status").is_in(TASK_STATUSES)))
        .col(text("notes").default(""))
        .col(string_len("evidence", 2000).default(""))
        .col(integer("position").default(0))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(&mut fk("tasks", "campaign_id", "campaigns", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk("tasks", "venue_id", "venues", ForeignKeyAction::SetNull))
        .take()
}

fn sources() -> TableCreateStatement {
    Table::create()
        .table("campaign_sources")
        .if_not_exists()
        .col(integer("campaign_id").primary_key())
        .col(integer_null("source_campaign_id"))
        .col(string_len("parts", 400).default(""))
        .col(integer("shift_days").default(0))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk("campaign_sources", "campaign_id", "campaigns", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk(
            "campaign_sources",
            "source_campaign_id",
            "campaigns",
            ForeignKeyAction::SetNull,
        ))
        .take()
}

fn check_ins() -> TableCreateStatement {
    Table::create()
        .table("check_ins")
        .if_not_exists()
        .col(string_len("id", 36).primary_key())
        .col(integer("campaign_id"))
        .col(integer("venue_id"))
        .col(
            string_len("participant_kind", 16)
                .check(Expr::col("participant_kind").is_in(PARTICIPANT_KINDS))
                .take(),
        )
        .col(integer_null("unit_id"))
        .col(integer_null("official_id"))
        .col(string_len("name", 200).default(""))
        .col(string_len("role", 200).default(""))
        .col(string_len("participant_key", 64))
        .col(string_len("method", 16).check(Expr::col("method").is_in(METHODS)).take())
        .col(timestamp_with_time_zone("checked_in_at"))
        .col(integer_null("recorded_by"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(&mut fk("check_ins", "campaign_id", "campaigns", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk("check_ins", "venue_id", "venues", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk("check_ins", "unit_id", "units", ForeignKeyAction::Restrict))
        .foreign_key(&mut fk("check_ins", "official_id", "officials", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk("check_ins", "recorded_by", "users", ForeignKeyAction::SetNull))
        .take()
}

fn messages() -> TableCreateStatement {
    Table::create()
        .table("lead_messages")
        .if_not_exists()
        .col(pk_auto("id"))
        .col(integer("campaign_id"))
        .col(text("body"))
        .col(boolean("all_venues").default(true))
        .col(integer_null("sent_by"))
        .col(timestamp_with_time_zone("sent_at"))
        .foreign_key(&mut fk("lead_messages", "campaign_id", "campaigns", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk("lead_messages", "sent_by", "users", ForeignKeyAction::SetNull))
        .take()
}

fn message_venues() -> TableCreateStatement {
    Table::create()
        .table("lead_message_venues")
        .if_not_exists()
        .col(integer("message_id"))
        .col(integer("venue_id"))
        .primary_key(Index::create().col("message_id").col("venue_id"))
        .foreign_key(&mut fk("lead_message_venues", "message_id", "lead_messages", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk("lead_message_venues", "venue_id", "venues", ForeignKeyAction::Cascade))
        .take()
}

fn message_reads() -> TableCreateStatement {
    Table::create()
        .table("lead_message_reads")
        .if_not_exists()
        .col(integer("message_id"))
        .col(integer("user_id"))
        .col(integer("venue_id"))
        .col(timestamp_with_time_zone("read_at"))
        .primary_key(Index::create().col("message_id").col("user_id"))
        .foreign_key(&mut fk("lead_message_reads", "message_id", "lead_messages", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk("lead_message_reads", "user_id", "users", ForeignKeyAction::Cascade))
        .foreign_key(&mut fk("lead_message_reads", "venue_id", "venues", ForeignKeyAction::Cascade))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [tasks(), sources(), check_ins(), messages(), message_venues(), message_reads()] {
            manager.create_table(t).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("participations")
                    .add_column(boolean("to_confirm").default(false))
                    .take(),
            )
            .await?;
        for (name, table, cols, unique) in [
            ("ix_tasks_campaign_id", "tasks", &["campaign_id"][..], false),
            ("ix_check_ins_venue_id", "check_ins", &["venue_id"][..], false),
            ("uq_check_ins_participant", "check_ins", &["campaign_id", "participant_key"][..], true),
            ("ix_lead_messages_campaign_id", "lead_messages", &["campaign_id"][..], false),
        ] {
            let mut ix = Index::create().name(name).table(table).take();
            for c in cols {
                ix.col(*c);
            }
            if unique {
                ix.unique();
            }
            manager.create_index(ix).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "lead_message_reads",
            "lead_message_venues",
            "lead_messages",
            "check_ins",
            "campaign_sources",
            "tasks",
        ] {
            manager.drop_table(Table::drop().table(t).take()).await?;
        }
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
            manager
                .alter_table(Table::alter().table("participations").drop_column("to_confirm").take())
                .await?;
        }
        Ok(())
    }
}
