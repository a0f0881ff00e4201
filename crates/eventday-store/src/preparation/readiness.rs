//! What the dashboard shows before and on the day: per venue, tasks done of tasks due ("8/10")
//! and units arrived of units expected ("到场单位 12/15"), and the overdue tasks.

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use chrono::NaiveDate;
use eventday_domain::{ParticipantKind, TaskStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// One venue's readiness and arrivals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VenueReadiness {
    /// Venue.
    pub venue_id: i32,
    /// Venue name.
    pub name: String,
    /// Its tasks done.
    pub tasks_done: usize,
    /// Its tasks not cancelled.
    pub tasks_total: usize,
    /// Units signed in there.
    pub units_arrived: usize,
    /// Units staffing its booths.
    pub units_expected: usize,
}

/// A campaign's readiness: per venue, and the overdue tasks (due before `today`, neither done
/// nor cancelled), most overdue first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Readiness {
    /// Per venue, in venue order.
    pub venues: Vec<VenueReadiness>,
    /// Tasks of the whole campaign done / not cancelled.
    pub tasks_done: usize,
    /// Tasks not cancelled.
    pub tasks_total: usize,
    /// Overdue tasks.
    pub overdue: Vec<task::Model>,
}

/// Whether a task is overdue on `today`.
#[must_use]
pub fn is_overdue(t: &task::Model, today: NaiveDate) -> bool {
    t.due_on < today && matches!(t.status, TaskStatus::Open | TaskStatus::InProgress)
}

/// The readiness of `campaign_id` on `today`.
///
/// # Errors
/// Database errors.
pub async fn readiness(store: &Store, campaign_id: i32, today: NaiveDate) -> Result<Readiness, StoreError> {
    let db = store.conn();
    let venues = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .order_by_asc(venue::Column::Position)
        .order_by_asc(venue::Column::Id)
        .all(db)
        .await?;
    let tasks = task::Entity::find()
        .filter(task::Column::CampaignId.eq(campaign_id))
        .order_by_asc(task::Column::DueOn)
        .order_by_asc(task::Column::Id)
        .all(db)
        .await?;
    let venue_ids: Vec<i32> = venues.iter().map(|v| v.id).collect();
    let booths = booth::Entity::find().filter(booth::Column::VenueId.is_in(venue_ids)).all(db).await?;
    let booth_venue: HashMap<i32, i32> = booths.iter().map(|b| (b.id, b.venue_id)).collect();
    let mut expected: HashMap<i32, BTreeSet<i32>> = HashMap::new();
    for bu in booth_unit::Entity::find()
        .filter(booth_unit::Column::BoothId.is_in(booth_venue.keys().copied().collect::<Vec<_>>()))
        .all(db)
        .await?
    {
        if let Some(v) = booth_venue.get(&bu.booth_id) {
            expected.entry(*v).or_default().insert(bu.unit_id);
        }
    }
    let mut arrived: HashMap<i32, BTreeSet<i32>> = HashMap::new();
    for c in check_in::Entity::find()
        .filter(check_in::Column::CampaignId.eq(campaign_id))
        .filter(check_in::Column::ParticipantKind.eq(ParticipantKind::Unit))
        .all(db)
        .await?
    {
        if let Some(u) = c.unit_id {
            arrived.entry(c.venue_id).or_default().insert(u);
        }
    }
    let live = |t: &&task::Model| t.status != TaskStatus::Cancelled;
    let done = |t: &&task::Model| t.status == TaskStatus::Done;
    let per_venue = venues
        .iter()
        .map(|v| {
            let mine: Vec<&task::Model> = tasks.iter().filter(|t| t.venue_id == Some(v.id)).collect();
            VenueReadiness {
                venue_id: v.id,
                name: v.name.clone(),
                tasks_done: mine.iter().filter(|t| done(t)).count(),
                tasks_total: mine.iter().filter(|t| live(t)).count(),
                units_arrived: arrived.get(&v.id).map_or(0, BTreeSet::len),
                units_expected: expected.get(&v.id).map_or(0, BTreeSet::len),
            }
        })
        .collect();
    Ok(Readiness {
        venues: per_venue,
        tasks_done: tasks.iter().filter(done).count(),
        tasks_total: tasks.iter().filter(live).count(),
        overdue: tasks.iter().filter(|t| is_overdue(t, today)).cloned().collect(),
    })
}
