//! Reads that shape data for the web pages: the last log time per venue, booths with their
//! staffing units, visitors by hour, and a campaign's whole allocation grid.

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The latest `recorded_at` of each venue of a campaign that has any log entry.
///
/// # Errors
/// Database errors.
pub async fn last_log_times(
    store: &Store,
    campaign_id: i32,
) -> Result<HashMap<i32, DateTime<Utc>>, StoreError> {
    let rows: Vec<(i32, Option<DateTime<Utc>>)> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::VenueId)
        .column_as(log_entry::Column::RecordedAt.max(), "last")
        .filter(log_entry::Column::CampaignId.eq(campaign_id))
        .group_by(log_entry::Column::VenueId)
        .into_tuple()
        .all(store.conn())
        .await?;
    Ok(rows.into_iter().filter_map(|(v, t)| t.map(|t| (v, t))).collect())
}

/// Visitors logged per venue and local hour of the day (0–23 on the campaign's clock), from the
/// log entries that count (corrections applied, voids left out). Closing tallies have no time
/// of day and are not in it. Returns (venue id, hour, visitors), sorted.
///
/// # Errors
/// A database error.
pub async fn visitors_by_hour(
    store: &Store,
    campaign_id: i32,
    zone: chrono_tz::Tz,
) -> Result<Vec<(i32, u32, i64)>, StoreError> {
    use chrono::Timelike;
    let rows: Vec<(i32, DateTime<Utc>, i64)> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::VenueId)
        .column(log_entry::Column::RecordedAt)
        .column(log_entry::Column::Visitors)
        .filter(log_entry::Column::CampaignId.eq(campaign_id))
        .filter(crate::sums::counted("log_entries"))
        .into_tuple()
        .all(store.conn())
        .await?;
    let mut sums: std::collections::BTreeMap<(i32, u32), i64> = std::collections::BTreeMap::new();
    for (venue, at, visitors) in rows {
        let e = sums.entry((venue, at.with_timezone(&zone).hour())).or_insert(0);
        *e = e.saturating_add(visitors);
    }
    Ok(sums.into_iter().map(|((v, h), n)| (v, h, n)).collect())
}

/// A booth with the ids and names of the units that staff it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BoothView {
    /// The booth row.
    #[serde(flatten)]
    pub booth: booth::Model,
    /// Staffing unit ids, in id order.
    pub unit_ids: Vec<i32>,
    /// Staffing unit names, in the same order.
    pub unit_names: Vec<String>,
}

/// A venue's booths with their staffing units, in id order.
///
/// # Errors
/// Database errors.
pub async fn booths_with_units(store: &Store, venue_id: i32) -> Result<Vec<BoothView>, StoreError> {
    let db = store.conn();
    let booths = booth::Entity::find()
        .filter(booth::Column::VenueId.eq(venue_id))
        .order_by_asc(booth::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = booths.iter().map(|b| b.id).collect();
    let links = booth_unit::Entity::find()
        .filter(booth_unit::Column::BoothId.is_in(ids))
        .order_by_asc(booth_unit::Column::UnitId)
        .all(db)
        .await?;
    let unit_ids: Vec<i32> = links.iter().map(|l| l.unit_id).collect();
    let names: HashMap<i32, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(booths
        .into_iter()
        .map(|b| {
            let mine: Vec<i32> = links.iter().filter(|l| l.booth_id == b.id).map(|l| l.unit_id).collect();
            let unit_names = mine.iter().map(|u| names.get(u).cloned().unwrap_or_default()).collect();
            BoothView { booth: b, unit_ids: mine, unit_names }
        })
        .collect())
}

/// Every allocation of every material of a campaign.
///
/// # Errors
/// Database errors.
pub async fn campaign_allocations(
    store: &Store,
    campaign_id: i32,
) -> Result<Vec<material_allocation::Model>, StoreError> {
    let db = store.conn();
    let ids: Vec<i32> = material::Entity::find()
        .filter(material::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    Ok(material_allocation::Entity::find()
        .filter(material_allocation::Column::MaterialId.is_in(ids))
        .all(db)
        .await?)
}

/// Every unit by id (the directory is small: a few hundred rows at most).
///
/// # Errors
/// Database errors.
pub async fn unit_names(store: &Store) -> Result<HashMap<i32, String>, StoreError> {
    Ok(unit::Entity::find().all(store.conn()).await?.into_iter().map(|u| (u.id, u.name)).collect())
}

/// The venues each media item of a campaign covers, by media item id (sorted).
///
/// # Errors
/// Database errors.
pub async fn media_venue_ids(store: &Store, campaign_id: i32) -> Result<HashMap<i32, Vec<i32>>, StoreError> {
    let of_campaign = sea_orm::sea_query::Query::select()
        .column(media_coverage::Column::Id)
        .from(media_coverage::Entity)
        .and_where(media_coverage::Column::CampaignId.eq(campaign_id))
        .to_owned();
    let mut out: HashMap<i32, Vec<i32>> = HashMap::new();
    for row in media_coverage_venue::Entity::find()
        .filter(media_coverage_venue::Column::CoverageId.in_subquery(of_campaign))
        .order_by_asc(media_coverage_venue::Column::VenueId)
        .all(store.conn())
        .await?
    {
        out.entry(row.coverage_id).or_default().push(row.venue_id);
    }
    Ok(out)
}

/// A campaign's venues in their display order (position, then id).
///
/// # Errors
/// A database error.
pub async fn campaign_venues(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<Vec<venue::Model>, StoreError> {
    Ok(venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .order_by_asc(venue::Column::Position)
        .order_by_asc(venue::Column::Id)
        .all(db)
        .await?)
}

/// Rows of `E` at the venues of campaign `campaign_id`, by venue id, each list in id order (one
/// query, whatever the number of venues).
async fn by_venue<E: EntityTrait>(
    store: &Store,
    campaign_id: i32,
    venue_column: E::Column,
    id_column: E::Column,
    venue_of: fn(&E::Model) -> i32,
) -> Result<HashMap<i32, Vec<E::Model>>, StoreError> {
    let of_campaign = sea_orm::sea_query::Query::select()
        .column(venue::Column::Id)
        .from(venue::Entity)
        .and_where(venue::Column::CampaignId.eq(campaign_id))
        .to_owned();
    let mut out: HashMap<i32, Vec<E::Model>> = HashMap::new();
    for row in E::find()
        .filter(venue_column.in_subquery(of_campaign))
        .order_by_asc(id_column)
        .all(store.conn())
        .await?
    {
        out.entry(venue_of(&row)).or_default().push(row);
    }
    Ok(out)
}

/// The booths of a campaign's venues, by venue id, in id order (the planner's numbering).
///
/// # Errors
/// Database errors.
pub async fn booths_by_venue(
    store: &Store,
    campaign_id: i32,
) -> Result<HashMap<i32, Vec<booth::Model>>, StoreError> {
    by_venue::<booth::Entity>(store, campaign_id, booth::Column::VenueId, booth::Column::Id, |b| b.venue_id)
        .await
}

/// The closing tallies of a campaign's venues, by venue id.
///
/// # Errors
/// Database errors.
pub async fn tallies_by_venue(
    store: &Store,
    campaign_id: i32,
) -> Result<HashMap<i32, Vec<closing_tally::Model>>, StoreError> {
    by_venue::<closing_tally::Entity>(
        store,
        campaign_id,
        closing_tally::Column::VenueId,
        closing_tally::Column::Id,
        |t| t.venue_id,
    )
    .await
}

/// The activities of a campaign's venues, by venue id.
///
/// # Errors
/// Database errors.
pub async fn activities_by_venue(
    store: &Store,
    campaign_id: i32,
) -> Result<HashMap<i32, Vec<activity::Model>>, StoreError> {
    by_venue::<activity::Entity>(store, campaign_id, activity::Column::VenueId, activity::Column::Id, |a| {
        a.venue_id
    })
    .await
}

/// Whether organization `organization_id` has child organizations (it then has a reporting
/// page to show).
///
/// # Errors
/// Database errors.
pub async fn has_children(store: &Store, organization_id: i32) -> Result<bool, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(organization::Entity::find()
        .filter(organization::Column::ParentId.eq(organization_id))
        .count(store.conn())
        .await?
        > 0)
}
