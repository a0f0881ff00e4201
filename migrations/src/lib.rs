//! Schema migrations for eventday, written once in backend-neutral statements for SQLite and
//! PostgreSQL. An applied migration is never edited; changes come as new migrations.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_initial;
mod m20261129_000002_login_throttle;
mod m20261129_000007_venue_tallies;
mod m20261130_000014_saturating_tallies;
mod m20261201_000015_report_settings;
mod m20261201_000016_real_data;
mod m20261201_000017_corrections;
mod m20261202_000018_preparation;
mod m20261202_000019_submissions;
mod m20261203_000021_task_evidence;
mod m20261204_000022_complaint_cases;
mod m20261204_000023_photo_stars;
mod m20261205_000024_reopen_reason;
mod m20261205_000025_invitation_revoked;
mod m20261206_000026_photo_thumbs;
mod m20261206_000027_case_evidence;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_initial::Migration),
            Box::new(m20261129_000002_login_throttle::Migration),
            Box::new(m20261129_000007_venue_tallies::Migration),
            Box::new(m20261130_000014_saturating_tallies::Migration),
            Box::new(m20261201_000015_report_settings::Migration),
            Box::new(m20261201_000016_real_data::Migration),
            Box::new(m20261201_000017_corrections::Migration),
            Box::new(m20261202_000018_preparation::Migration),
            Box::new(m20261202_000019_submissions::Migration),
            Box::new(m20261203_000021_task_evidence::Migration),
            Box::new(m20261204_000022_complaint_cases::Migration),
            Box::new(m20261204_000023_photo_stars::Migration),
            Box::new(m20261205_000024_reopen_reason::Migration),
            Box::new(m20261205_000025_invitation_revoked::Migration),
            Box::new(m20261206_000026_photo_thumbs::Migration),
            Box::new(m20261206_000027_case_evidence::Migration),
        ]
    }
}
