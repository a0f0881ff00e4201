//! One sea-orm entity per table: plain models; the store writes its joins explicitly.
//! Enumerated columns are the `eventday_domain` vocabularies, stored as their text spelling.

/// Table `organizations`.
pub mod organization {
    use sea_orm::entity::prelude::*;

    /// A row of `organizations`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Organization))]
    #[sea_orm(table_name = "organizations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub name_en: Option<String>,
        pub parent_id: Option<i32>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `campaigns`.
pub mod campaign {
    use eventday_domain::CampaignStatus;
    use sea_orm::entity::prelude::*;

    /// A row of `campaigns`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Campaign))]
    #[sea_orm(table_name = "campaigns")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub organization_id: i32,
        pub year: i32,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        pub date: Date,
        pub timezone: String,
        pub title: String,
        pub theme: String,
        pub status: CampaignStatus,
        /// The undertaker (承办单位), empty when the organizer runs it alone.
        pub undertaker: String,
        /// Administrative division code of the district (e.g. 420102), empty when unknown.
        pub division_code: String,
        /// Whether the report shows officials' names as "xx".
        pub mask_official_names: bool,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub updated_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `narrative_sections`.
pub mod narrative_section {
    use eventday_domain::Lang;
    use sea_orm::entity::prelude::*;

    /// A row of `narrative_sections`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = NarrativeSection))]
    #[sea_orm(table_name = "narrative_sections")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub lang: Lang,
        pub key: String,
        pub position: i32,
        pub heading: String,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        pub next_steps: bool,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub updated_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `report_settings`.
pub mod report_settings {
    use sea_orm::entity::prelude::*;

    /// A row of `report_settings`: what the organizers set for a campaign's summary report.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ReportSettingsRow))]
    #[sea_orm(table_name = "report_settings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub title: String,
        pub subtitle: String,
        pub issuer: String,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        pub report_date: Option<Date>,
        pub addressee: String,
        pub copy_to: String,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub updated_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `units`.
pub mod unit {
    use eventday_domain::UnitKind;
    use sea_orm::entity::prelude::*;

    /// A row of `units`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Unit))]
    #[sea_orm(table_name = "units")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub name_en: Option<String>,
        pub kind: UnitKind,
        pub contact: Option<String>,
        /// Short name, e.g. "区市场监管局".
        pub short_name: Option<String>,
        /// Industry (of a member enterprise).
        pub industry: Option<String>,
        /// Year it joined the reconciliation platform.
        pub platform_joined_year: Option<i32>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `venues`.
pub mod venue {
    use eventday_domain::DayStatus;
    use eventday_domain::VenueKind;
    use eventday_domain::VenueSetting;
    use sea_orm::entity::prelude::*;

    /// A row of `venues`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Venue))]
    #[sea_orm(table_name = "venues")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub kind: VenueKind,
        pub name: String,
        pub name_en: Option<String>,
        pub host_unit: String,
        pub address: String,
        pub lead_name: String,
        pub width_m: f64,
        pub depth_m: f64,
        pub opens_at: String,
        pub closes_at: String,
        pub position: i32,
        pub day_status: DayStatus,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
        pub accepted_at: Option<DateTimeUtc>,
        /// Why an organizer last reopened the day (退回原因); cleared when the lead submits again.
        #[sea_orm(column_type = "Text", nullable)]
        pub reopen_reason: Option<String>,
        /// Where it is set up.
        pub setting: VenueSetting,
        /// Whether a floor plan exists; without one, `width_m` and `depth_m` hold a 1 m placeholder.
        pub has_plan: bool,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `participations`.
pub mod participation {
    use sea_orm::entity::prelude::*;

    /// A row of `participations`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Participation))]
    #[sea_orm(table_name = "participations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub unit_id: i32,
        pub staffs_booth: bool,
        pub reconciliation_member: bool,
        pub media: bool,
        pub sponsor: bool,
        /// Copied from an earlier campaign and not confirmed yet.
        pub to_confirm: bool,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `booths`.
pub mod booth {
    use eventday_domain::BoothKind;
    use sea_orm::entity::prelude::*;

    /// A row of `booths`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Booth))]
    #[sea_orm(table_name = "booths")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub venue_id: i32,
        pub topic: String,
        pub kind: BoothKind,
        pub x: f64,
        pub y: f64,
        pub w: f64,
        pub h: f64,
        pub rotation_deg: f64,
        /// Whether it has a place on the floor plan; an unplaced booth's rectangle is a placeholder.
        pub placed: bool,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `booth_units`.
pub mod booth_unit {
    use sea_orm::entity::prelude::*;

    /// A row of `booth_units`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = BoothUnit))]
    #[sea_orm(table_name = "booth_units")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub booth_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub unit_id: i32,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `activities`.
pub mod activity {
    use eventday_domain::ActivityKind;
    use sea_orm::entity::prelude::*;

    /// A row of `activities`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Activity))]
    #[sea_orm(table_name = "activities")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub venue_id: i32,
        pub kind: ActivityKind,
        pub title: String,
        pub place: String,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub starts_at: DateTimeUtc,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub ends_at: DateTimeUtc,
        pub participants: i64,
        #[sea_orm(column_type = "Text")]
        pub note: String,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `materials`.
pub mod material {
    use sea_orm::entity::prelude::*;

    /// A row of `materials`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Material))]
    #[sea_orm(table_name = "materials")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub name: String,
        pub name_en: Option<String>,
        pub unit_label: String,
        pub planned: i64,
        /// Quantity in stock, when known.
        pub stock: Option<i64>,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `material_allocations`.
pub mod material_allocation {
    use sea_orm::entity::prelude::*;

    /// A row of `material_allocations`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = MaterialAllocation))]
    #[sea_orm(table_name = "material_allocations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub material_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub venue_id: i32,
        pub quantity: i64,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `users`.
pub mod user {
    use eventday_domain::Role;
    use sea_orm::entity::prelude::*;

    /// A row of `users`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = User))]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub login: String,
        pub password_hash: String,
        pub display_name: String,
        pub role: Role,
        pub organization_id: i32,
        pub disabled: bool,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `user_venues`.
pub mod user_venue {
    use sea_orm::entity::prelude::*;

    /// A row of `user_venues`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = UserVenue))]
    #[sea_orm(table_name = "user_venues")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub venue_id: i32,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `log_entries`.
pub mod log_entry {
    use sea_orm::entity::prelude::*;

    /// A row of `log_entries`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = LogEntry))]
    #[sea_orm(table_name = "log_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub campaign_id: i32,
        pub venue_id: i32,
        pub booth_id: Option<i32>,
        pub activity_id: Option<i32>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub recorded_at: DateTimeUtc,
        pub author_user_id: Option<i32>,
        pub author_name: String,
        pub visitors: i64,
        pub consultations: i64,
        pub complaints_received: i64,
        pub complaints_settled: i64,
        pub money_recovered_fen: i64,
        #[sea_orm(column_type = "Text")]
        pub note: String,
        pub content_hash: String,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
        /// The entry this one corrects (or voids), if it is a correction.
        pub corrects: Option<String>,
        /// Why a correction was made (empty for other entries).
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        /// A void: a correction that takes the corrected entry out of every total.
        pub void: bool,
        /// The correction that replaced this entry; such an entry no longer counts.
        pub superseded_by: Option<String>,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `log_entry_materials`.
pub mod log_entry_material {
    use sea_orm::entity::prelude::*;

    /// A row of `log_entry_materials`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = LogEntryMaterial))]
    #[sea_orm(table_name = "log_entry_materials")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub log_entry_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub material_id: i32,
        pub quantity: i64,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `log_photos`.
pub mod log_photo {
    use sea_orm::entity::prelude::*;

    /// A row of `log_photos`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = LogPhoto))]
    #[sea_orm(table_name = "log_photos")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub log_entry_id: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub sha256: String,
        #[serde(skip)]
        pub bytes: Vec<u8>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
        /// When the photo was taken, as the phone said (the picture itself carries no EXIF).
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
        pub taken_at: Option<DateTimeUtc>,
        /// The photo's own caption (empty: the log entry's note stands for it).
        pub caption: String,
        /// Marked "for the report": shown in the report's 活动剪影 section.
        pub starred: bool,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `media_coverage`.
pub mod media_coverage {
    use eventday_domain::MediaChannel;
    use eventday_domain::MediaFormat;
    use sea_orm::entity::prelude::*;

    /// A row of `media_coverage`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = MediaCoverage))]
    #[sea_orm(table_name = "media_coverage")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub outlet_unit_id: i32,
        pub channel: MediaChannel,
        pub format: MediaFormat,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        pub date: Date,
        pub headline: String,
        pub link: Option<String>,
        pub estimated_reach: Option<i64>,
        /// Time slot (broadcast) or page (print), free text.
        pub slot: String,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `media_coverage_venues`.
pub mod media_coverage_venue {
    use sea_orm::entity::prelude::*;

    /// A row of `media_coverage_venues`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = MediaCoverageVenue))]
    #[sea_orm(table_name = "media_coverage_venues")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub coverage_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub venue_id: i32,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `officials`.
pub mod official {
    use sea_orm::entity::prelude::*;

    /// A row of `officials`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Official))]
    #[sea_orm(table_name = "officials")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub name: String,
        pub title: String,
        pub organization: String,
        pub venue_id: Option<i32>,
        pub role: String,
        pub masked: bool,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `disputes`.
pub mod dispute {
    use eventday_domain::DisputeStatus;
    use sea_orm::entity::prelude::*;

    /// A row of `disputes`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Dispute))]
    #[sea_orm(table_name = "disputes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub venue_id: i32,
        pub booth_id: Option<i32>,
        pub enterprise_unit_id: Option<i32>,
        pub category: String,
        #[sea_orm(column_type = "Text")]
        pub summary: String,
        pub amount_claimed_fen: i64,
        pub status: DisputeStatus,
        pub amount_recovered_fen: i64,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        pub received_on: Date,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        pub closed_on: Option<Date>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub updated_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `sessions`.
pub mod session {
    use sea_orm::entity::prelude::*;

    /// A row of `sessions`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Session))]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub user_id: i32,
        pub csrf_token: String,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub expires_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `api_tokens`.
pub mod api_token {
    use sea_orm::entity::prelude::*;

    /// A row of `api_tokens`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ApiToken))]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub name: String,
        pub token_hash: String,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
        pub last_used_at: Option<DateTimeUtc>,
        pub revoked: bool,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `invitations`.
pub mod invitation {
    use sea_orm::entity::prelude::*;

    /// A row of `invitations`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Invitation))]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub token_hash: String,
        pub venue_id: i32,
        pub created_by: i32,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub expires_at: DateTimeUtc,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
        pub used_at: Option<DateTimeUtc>,
        pub user_id: Option<i32>,
        /// When an organizer took it back before it was used.
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
        pub revoked_at: Option<DateTimeUtc>,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `audit_events`.
pub mod audit_event {
    use sea_orm::entity::prelude::*;

    /// A row of `audit_events`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = AuditEvent))]
    #[sea_orm(table_name = "audit_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub at: DateTimeUtc,
        pub user_id: Option<i32>,
        pub action: String,
        pub entity: String,
        pub entity_id: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub before: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub after: Option<String>,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `login_throttle`.
pub mod login_throttle {
    use sea_orm::entity::prelude::*;

    /// A row of `login_throttle`: failed logins counted for one account or client address.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[sea_orm(table_name = "login_throttle")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub failures: i32,
        pub window_started_at: DateTimeUtc,
        pub locked_until: Option<DateTimeUtc>,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `closing_tallies`.
pub mod closing_tally {
    use sea_orm::entity::prelude::*;

    /// A row of `closing_tallies`: a booth's (or, without a booth, a venue's) closing count.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ClosingTally))]
    #[sea_orm(table_name = "closing_tallies")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub venue_id: i32,
        pub booth_id: Option<i32>,
        pub visitors: i64,
        pub consultations: i64,
        pub complaints_received: i64,
        pub complaints_settled: i64,
        pub money_recovered_fen: i64,
        pub note: String,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub recorded_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `tasks`.
pub mod task {
    use eventday_domain::TaskStatus;
    use sea_orm::entity::prelude::*;

    /// A row of `tasks`: a step of the preparation checklist (工作分工表).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Task))]
    #[sea_orm(table_name = "tasks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub phase: String,
        pub title: String,
        pub responsible_unit: String,
        pub responsible_person: String,
        pub venue_id: Option<i32>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        pub due_on: Date,
        pub status: TaskStatus,
        #[sea_orm(column_type = "Text")]
        pub notes: String,
        pub evidence: String,
        pub position: i32,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub updated_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `task_evidence`.
pub mod task_evidence {
    use sea_orm::entity::prelude::*;

    /// A row of `task_evidence`: a photo or PDF attached to a checklist task (佐证材料).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TaskEvidence))]
    #[sea_orm(table_name = "task_evidence")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub task_id: i32,
        /// The file's name as uploaded (shown, never used as a path).
        pub file_name: String,
        pub content_type: String,
        pub size_bytes: i64,
        pub sha256: String,
        #[serde(skip)]
        pub bytes: Vec<u8>,
        pub created_by: Option<i32>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `case_evidence`.
pub mod case_evidence {
    use sea_orm::entity::prelude::*;

    /// A row of `case_evidence`: a photo attached to a complaint case (its dispute), written
    /// only through `cases::add_evidence` and deleted by the case's purge.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = CaseEvidence))]
    #[sea_orm(table_name = "case_evidence")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub dispute_id: i32,
        pub content_type: String,
        pub size_bytes: i64,
        pub sha256: String,
        #[serde(skip)]
        pub bytes: Vec<u8>,
        pub created_by: Option<i32>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `campaign_sources`.
pub mod campaign_source {
    use sea_orm::entity::prelude::*;

    /// A row of `campaign_sources`: the campaign a cloned campaign was made from.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = CampaignSource))]
    #[sea_orm(table_name = "campaign_sources")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub campaign_id: i32,
        pub source_campaign_id: Option<i32>,
        /// The parts copied, comma separated.
        pub parts: String,
        /// Days the dates moved by.
        pub shift_days: i32,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `check_ins`.
pub mod check_in {
    use eventday_domain::{CheckInMethod, ParticipantKind};
    use sea_orm::entity::prelude::*;

    /// A row of `check_ins`: a participant signed in at a venue (签到).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = CheckIn))]
    #[sea_orm(table_name = "check_ins")]
    pub struct Model {
        /// Client-made UUID.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub campaign_id: i32,
        pub venue_id: i32,
        pub participant_kind: ParticipantKind,
        pub unit_id: Option<i32>,
        pub official_id: Option<i32>,
        pub name: String,
        pub role: String,
        pub participant_key: String,
        pub method: CheckInMethod,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub checked_in_at: DateTimeUtc,
        pub recorded_by: Option<i32>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub created_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `lead_messages`.
pub mod lead_message {
    use sea_orm::entity::prelude::*;

    /// A row of `lead_messages`: what organizers sent to venue leads.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = LeadMessage))]
    #[sea_orm(table_name = "lead_messages")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        /// Sent to every venue (otherwise to those in `lead_message_venues`).
        pub all_venues: bool,
        pub sent_by: Option<i32>,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub sent_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `lead_message_venues`.
pub mod lead_message_venue {
    use sea_orm::entity::prelude::*;

    /// A row of `lead_message_venues`: a venue a message was sent to.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[sea_orm(table_name = "lead_message_venues")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub message_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub venue_id: i32,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `lead_message_reads`.
pub mod lead_message_read {
    use sea_orm::entity::prelude::*;

    /// A row of `lead_message_reads`: a lead has read a message.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = LeadMessageRead))]
    #[sea_orm(table_name = "lead_message_reads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub message_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub venue_id: i32,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
        pub read_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
