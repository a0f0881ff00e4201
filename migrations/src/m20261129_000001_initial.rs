//! The whole first schema: planning, the day's logs, accounts and audit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A non-negative count or amount (fen), defaulting to zero.
fn count(col: &'static str) -> ColumnDef {
    big_integer(col).default(0).check(Expr::col(col).gte(0)).take()
}

/// A text column restricted to a closed vocabulary.
fn one_of(col: &'static str, values: &[&'static str]) -> ColumnDef {
    string_len(col, 32).check(Expr::col(col).is_in(values.iter().copied())).take()
}

/// A timestamp set by the application (UTC); PostgreSQL `timestamptz`, SQLite text.
fn at(col: &'static str) -> ColumnDef {
    timestamp_with_time_zone(col)
}

fn at_null(col: &'static str) -> ColumnDef {
    timestamp_with_time_zone_null(col)
}

fn fk(
    table: &'static str,
    col: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table, col)
        .to(target, "id")
        .on_delete(on_delete)
        .take()
}

fn index(table: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(format!("{}_{}_{}", if unique { "uq" } else { "ix" }, table, cols.join("_"))).table(table);
    for c in cols {
        idx.col(*c);
    }
    if unique {
        idx.unique();
    }
    idx.take()
}

use ForeignKeyAction::{Cascade, Restrict, SetNull};

const UNIT_KINDS: &[&str] = &["agency", "enterprise", "media", "school", "community", "association", "other"];
const BOOTH_KINDS: &[&str] = &["consultation", "exhibition", "demonstration", "stage", "info"];
const ACTIVITY_KINDS: &[&str] = &[
    "consultation",
    "community_outreach",
    "school_lecture",
    "fake_spotting",
    "product_exhibition",
    "ceremony",
    "other",
];

fn tables() -> Vec<TableCreateStatement> {
    let t = |name: &'static str| Table::create().table(name).if_not_exists().take();
    vec![
        t("organizations")
            .col(pk_auto("id"))
            .col(string_len("name", 200))
            .col(integer_null("parent_id"))
            .col(at("created_at"))
            .foreign_key(&mut fk("organizations", "parent_id", "organizations", Restrict))
            .take(),
        t("campaigns")
            .col(pk_auto("id"))
            .col(integer("organization_id"))
            .col(integer("year").check(Expr::col("year").between(1980, 2200)))
            .col(date("date"))
            .col(string_len("timezone", 64))
            .col(string_len("title", 200))
            .col(string_len("theme", 200))
            .col(one_of("status", &["planning", "live", "closed"]))
            .col(at("created_at"))
            .col(at("updated_at"))
            .foreign_key(&mut fk("campaigns", "organization_id", "organizations", Restrict))
            .take(),
        t("narrative_sections")
            .col(pk_auto("id"))
            .col(integer("campaign_id"))
            .col(one_of("lang", &["zh", "en"]))
            .col(string_len("key", 64))
            .col(integer("position"))
            .col(string_len("heading", 200))
            .col(text("body"))
            .col(boolean("next_steps").default(false))
            .col(at("updated_at"))
            .foreign_key(&mut fk("narrative_sections", "campaign_id", "campaigns", Cascade))
            .take(),
        t("units")
            .col(pk_auto("id"))
            .col(string_len("name", 200))
            .col(one_of("kind", UNIT_KINDS))
            .col(string_len_null("contact", 200))
            .col(at("created_at"))
            .take(),
        t("venues")
            .col(pk_auto("id"))
            .col(integer("campaign_id"))
            .col(one_of("kind", &["main", "sub"]))
            .col(string_len("name", 200))
            .col(string_len("host_unit", 200))
            .col(string_len("address", 200))
            .col(string_len("lead_name", 200))
            .col(double("width_m").check(Expr::col("width_m").gt(0)))
            .col(double("depth_m").check(Expr::col("depth_m").gt(0)))
            .col(string_len("opens_at", 5))
            .col(string_len("closes_at", 5))
            .col(integer("position"))
            .col(one_of("day_status", &["open", "submitted", "accepted"]).default("open").take())
            .col(at_null("accepted_at"))
            .foreign_key(&mut fk("venues", "campaign_id", "campaigns", Cascade))
            .take(),
        t("participations")
            .col(pk_auto("id"))
            .col(integer("campaign_id"))
            .col(integer("unit_id"))
            .col(boolean("staffs_booth").default(false))
            .col(boolean("reconciliation_member").default(false))
            .col(boolean("media").default(false))
            .col(boolean("sponsor").default(false))
            .foreign_key(&mut fk("participations", "campaign_id", "campaigns", Cascade))
            .foreign_key(&mut fk("participations", "unit_id", "units", Restrict))
            .take(),
        t("booths")
            .col(pk_auto("id"))
            .col(integer("venue_id"))
            .col(string_len("topic", 200))
            .col(one_of("kind", BOOTH_KINDS))
            .col(double("x"))
            .col(double("y"))
            .col(double("w").check(Expr::col("w").gt(0)))
            .col(double("h").check(Expr::col("h").gt(0)))
            .col(double("rotation_deg").default(0.0))
            .foreign_key(&mut fk("booths", "venue_id", "venues", Cascade))
            .take(),
        t("booth_units")
            .col(integer("booth_id"))
            .col(integer("unit_id"))
            .primary_key(Index::create().col("booth_id").col("unit_id"))
            .foreign_key(&mut fk("booth_units", "booth_id", "booths", Cascade))
            .foreign_key(&mut fk("booth_units", "unit_id", "units", Restrict))
            .take(),
        t("activities")
            .col(pk_auto("id"))
            .col(integer("venue_id"))
            .col(one_of("kind", ACTIVITY_KINDS))
            .col(string_len("title", 200))
            .col(string_len("place", 200))
            .col(at("starts_at"))
            .col(at("ends_at"))
            .col(count("participants"))
            .col(text("note"))
            .foreign_key(&mut fk("activities", "venue_id", "venues", Cascade))
            .take(),
        t("materials")
            .col(pk_auto("id"))
            .col(integer("campaign_id"))
            .col(string_len("name", 200))
            .col(string_len("unit_label", 32))
            .col(count("planned"))
            .foreign_key(&mut fk("materials", "campaign_id", "campaigns", Cascade))
            .take(),
        t("material_allocations")
            .col(integer("material_id"))
            .col(integer("venue_id"))
            .col(count("quantity"))
            .primary_key(Index::create().col("material_id").col("venue_id"))
            .foreign_key(&mut fk("material_allocations", "material_id", "materials", Cascade))
            .foreign_key(&mut fk("material_allocations", "venue_id", "venues", Cascade))
            .take(),
        t("users")
            .col(pk_auto("id"))
            .col(string_len("login", 100))
            .col(string_len("password_hash", 200))
            .col(string_len("display_name", 200))
            .col(one_of("role", &["organizer", "lead", "viewer"]))
            .col(integer("organization_id"))
            .col(boolean("disabled").default(false))
            .col(at("created_at"))
            .foreign_key(&mut fk("users", "organization_id", "organizations", Restrict))
            .take(),
        t("user_venues")
            .col(integer("user_id"))
            .col(integer("venue_id"))
            .primary_key(Index::create().col("user_id").col("venue_id"))
            .foreign_key(&mut fk("user_venues", "user_id", "users", Cascade))
            .foreign_key(&mut fk("user_venues", "venue_id", "venues", Cascade))
            .take(),
        t("log_entries")
            .col(string_len("id", 36).primary_key().take())
            .col(integer("campaign_id"))
            .col(integer("venue_id"))
            .col(integer_null("booth_id"))
            .col(integer_null("activity_id"))
            .col(at("recorded_at"))
            .col(integer_null("author_user_id"))
            .col(string_len("author_name", 200))
            .col(count("visitors"))
            .col(count("consultations"))
            .col(count("complaints_received"))
            .col(count("complaints_settled"))
            .col(count("money_recovered_fen"))
            .col(text("note"))
            .col(string_len("content_hash", 64))
            .col(at("created_at"))
            .check(Check::named(
                "ck_log_entries_settled_le_received",
                Expr::col("complaints_settled").lte(Expr::col("complaints_received")),
            ))
            .foreign_key(&mut fk("log_entries", "campaign_id", "campaigns", Cascade))
            .foreign_key(&mut fk("log_entries", "venue_id", "venues", Cascade))
            .foreign_key(&mut fk("log_entries", "booth_id", "booths", SetNull))
            .foreign_key(&mut fk("log_entries", "activity_id", "activities", SetNull))
            .foreign_key(&mut fk("log_entries", "author_user_id", "users", SetNull))
            .take(),
        t("log_entry_materials")
            .col(string_len("log_entry_id", 36))
            .col(integer("material_id"))
            .col(count("quantity"))
            .primary_key(Index::create().col("log_entry_id").col("material_id"))
            .foreign_key(&mut fk("log_entry_materials", "log_entry_id", "log_entries", Cascade))
            .foreign_key(&mut fk("log_entry_materials", "material_id", "materials", Restrict))
            .take(),
        t("log_photos")
            .col(big_pk_auto("id"))
            .col(string_len("log_entry_id", 36))
            .col(string_len("content_type", 32))
            .col(count("size_bytes"))
            .col(string_len("sha256", 64))
            .col(blob("bytes"))
            .col(at("created_at"))
            .foreign_key(&mut fk("log_photos", "log_entry_id", "log_entries", Cascade))
            .take(),
        t("media_coverage")
            .col(pk_auto("id"))
            .col(integer("campaign_id"))
            .col(integer("outlet_unit_id"))
            .col(one_of("channel", &["tv", "radio", "newspaper", "online", "social"]))
            .col(one_of("format", &["live", "report", "interview", "feature"]))
            .col(date("date"))
            .col(string_len("headline", 400))
            .col(string_len_null("link", 2000))
            .col(big_integer_null("estimated_reach").check(Expr::col("estimated_reach").gte(0)).take())
            .foreign_key(&mut fk("media_coverage", "campaign_id", "campaigns", Cascade))
            .foreign_key(&mut fk("media_coverage", "outlet_unit_id", "units", Restrict))
            .take(),
        t("media_coverage_venues")
            .col(integer("coverage_id"))
            .col(integer("venue_id"))
            .primary_key(Index::create().col("coverage_id").col("venue_id"))
            .foreign_key(&mut fk("media_coverage_venues", "coverage_id", "media_coverage", Cascade))
            .foreign_key(&mut fk("media_coverage_venues", "venue_id", "venues", Cascade))
            .take(),
        t("officials")
            .col(pk_auto("id"))
            .col(integer("campaign_id"))
            .col(string_len("name", 200))
            .col(string_len("title", 200))
            .col(string_len("organization", 200))
            .col(integer_null("venue_id"))
            .col(string_len("role", 200))
            .col(boolean("masked").default(true))
            .foreign_key(&mut fk("officials", "campaign_id", "campaigns", Cascade))
            .foreign_key(&mut fk("officials", "venue_id", "venues", SetNull))
            .take(),
        t("disputes")
            .col(pk_auto("id"))
            .col(integer("campaign_id"))
            .col(integer("venue_id"))
            .col(integer_null("booth_id"))
            .col(integer_null("enterprise_unit_id"))
            .col(string_len("category", 100))
            .col(text("summary"))
            .col(count("amount_claimed_fen"))
            .col(one_of("status", &["received", "mediating", "settled", "referred", "closed"]))
            .col(count("amount_recovered_fen"))
            .col(date("received_on"))
            .col(date_null("closed_on"))
            .col(at("created_at"))
            .col(at("updated_at"))
            .foreign_key(&mut fk("disputes", "campaign_id", "campaigns", Cascade))
            .foreign_key(&mut fk("disputes", "venue_id", "venues", Cascade))
            .foreign_key(&mut fk("disputes", "booth_id", "booths", SetNull))
            .foreign_key(&mut fk("disputes", "enterprise_unit_id", "units", Restrict))
            .take(),
        t("sessions")
            .col(string_len("id", 64).primary_key().take())
            .col(integer("user_id"))
            .col(string_len("csrf_token", 64))
            .col(at("created_at"))
            .col(at("expires_at"))
            .foreign_key(&mut fk("sessions", "user_id", "users", Cascade))
            .take(),
        t("api_tokens")
            .col(pk_auto("id"))
            .col(integer("user_id"))
            .col(string_len("name", 200))
            .col(string_len("token_hash", 64))
            .col(at("created_at"))
            .col(at_null("last_used_at"))
            .col(boolean("revoked").default(false))
            .foreign_key(&mut fk("api_tokens", "user_id", "users", Cascade))
            .take(),
        t("invitations")
            .col(pk_auto("id"))
            .col(string_len("token_hash", 64))
            .col(integer("venue_id"))
            .col(integer("created_by"))
            .col(at("created_at"))
            .col(at("expires_at"))
            .col(at_null("used_at"))
            .col(integer_null("user_id"))
            .foreign_key(&mut fk("invitations", "venue_id", "venues", Cascade))
            .foreign_key(&mut fk("invitations", "created_by", "users", Cascade))
            .foreign_key(&mut fk("invitations", "user_id", "users", SetNull))
            .take(),
        t("audit_events")
            .col(big_pk_auto("id"))
            .col(at("at"))
            .col(integer_null("user_id"))
            .col(string_len("action", 32))
            .col(string_len("entity", 64))
            .col(string_len("entity_id", 64))
            .col(text_null("before"))
            .col(text_null("after"))
            .foreign_key(&mut fk("audit_events", "user_id", "users", SetNull))
            .take(),
    ]
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        index("organizations", &["parent_id"], false),
        index("organizations", &["name", "parent_id"], true),
        index("campaigns", &["organization_id", "date"], true),
        index("campaigns", &["organization_id", "year"], false),
        index("narrative_sections", &["campaign_id", "lang", "key"], true),
        index("units", &["name"], true),
        index("venues", &["campaign_id", "name"], true),
        index("participations", &["campaign_id", "unit_id"], true),
        index("participations", &["unit_id"], false),
        index("booths", &["venue_id"], false),
        index("booth_units", &["unit_id"], false),
        index("activities", &["venue_id", "starts_at"], false),
        index("materials", &["campaign_id", "name"], true),
        index("material_allocations", &["venue_id"], false),
        index("users", &["login"], true),
        index("users", &["organization_id"], false),
        index("user_venues", &["venue_id"], false),
        index("log_entries", &["venue_id", "recorded_at"], false),
        index("log_entries", &["campaign_id", "recorded_at"], false),
        index("log_entries", &["campaign_id", "created_at"], false),
        index("log_entry_materials", &["material_id"], false),
        index("log_photos", &["log_entry_id"], false),
        index("media_coverage", &["campaign_id"], false),
        index("media_coverage", &["outlet_unit_id"], false),
        index("officials", &["campaign_id"], false),
        index("disputes", &["campaign_id", "status"], false),
        index("disputes", &["venue_id"], false),
        index("sessions", &["user_id"], false),
        index("sessions", &["expires_at"], false),
        index("api_tokens", &["token_hash"], true),
        index("invitations", &["token_hash"], true),
        index("audit_events", &["entity", "entity_id"], false),
        index("audit_events", &["at"], false),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for idx in indexes() {
            manager.create_index(idx).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables().into_iter().rev() {
            let name = table
                .get_table_name()
                .cloned()
                .ok_or_else(|| DbErr::Migration("table without a name".into()))?;
            manager.drop_table(Table::drop().table(name).if_exists().cascade().take()).await?;
        }
        Ok(())
    }
}
