//! The tables of complaint cases (see the migration `m20261204_000022_complaint_cases`).

/// Table `complaint_cases`: one row beside each dispute taken as a case.
pub mod complaint_case {
    use eventday_domain::CaseStage;
    use sea_orm::entity::prelude::*;

    /// A row of `complaint_cases`. The consumer's name and phone are sealed (see
    /// [`crate::cases::CaseKey`]); both are `None` without consent and after a purge.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaint_cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub dispute_id: i32,
        pub campaign_id: i32,
        pub client_id: String,
        pub code: String,
        pub stage: CaseStage,
        pub consent: bool,
        #[sea_orm(column_type = "Text", nullable)]
        pub consumer_name_enc: Option<String>,
        #[sea_orm(column_type = "Text", nullable)]
        pub consumer_phone_enc: Option<String>,
        pub odr_referred_on: Option<Date>,
        pub odr_deadline: Option<Date>,
        pub reference_12315: Option<String>,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub purged_at: Option<DateTimeUtc>,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `case_steps`: each move of a case, with its day, means and result.
pub mod case_step {
    use eventday_domain::CaseStage;
    use sea_orm::entity::prelude::*;

    /// A row of `case_steps`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "case_steps")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub dispute_id: i32,
        pub stage: CaseStage,
        pub on_date: Date,
        pub means: String,
        #[sea_orm(column_type = "Text")]
        pub result: String,
        pub amount_recovered_fen: Option<i64>,
        pub reference_12315: Option<String>,
        pub recorded_by: Option<i32>,
        pub recorded_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Table `case_settings`: an organization's retention period for consumers' personal data.
pub mod case_setting {
    use sea_orm::entity::prelude::*;

    /// A row of `case_settings`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "case_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub organization_id: i32,
        pub retention_days: i32,
        pub updated_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
