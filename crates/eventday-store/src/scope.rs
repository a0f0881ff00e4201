//! Where things belong (venue -> campaign -> organization), what a user may see, and the day's
//! approval: a lead submits a venue's day, an organizer accepts it (locking the venue's
//! figures) or reopens it.

use crate::Store;
use crate::accounts::Principal;
use crate::audit::{self, Action};
use crate::entities::{campaign, venue};
use crate::error::StoreError;
use crate::org_tree::organization_tree;
use chrono::{DateTime, Utc};
use eventday_domain::{DayStatus, Role};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
    IntoActiveModel, QueryFilter, Set,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// A venue with the campaign and organization it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VenueScope {
    /// Venue id.
    pub venue_id: i32,
    /// Its campaign.
    pub campaign_id: i32,
    /// The campaign's organization.
    pub organization_id: i32,
}

/// Looks up where a venue belongs; `None` when it does not exist.
///
/// # Errors
/// A database error.
pub async fn venue_scope(db: &impl ConnectionTrait, venue_id: i32) -> Result<Option<VenueScope>, StoreError> {
    // One round trip: this runs on every request about a venue (each log post among them).
    #[derive(FromQueryResult)]
    struct Row {
        campaign_id: i32,
        organization_id: i32,
    }
    let row = Row::find_by_statement(crate::sql::statement(
        db.get_database_backend(),
        "SELECT v.campaign_id AS campaign_id, c.organization_id AS organization_id \
         FROM venues v JOIN campaigns c ON c.id = v.campaign_id WHERE v.id = ?",
        vec![venue_id.into()],
    ))
    .one(db)
    .await?;
    Ok(row.map(|r| VenueScope { venue_id, campaign_id: r.campaign_id, organization_id: r.organization_id }))
}

/// The organization a campaign belongs to; `None` when it does not exist.
///
/// # Errors
/// A database error.
pub async fn campaign_organization(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<Option<i32>, StoreError> {
    Ok(campaign::Entity::find_by_id(campaign_id).one(db).await?.map(|c| c.organization_id))
}

/// The campaigns a user may read: those of their organization tree (organizers, viewers) or
/// those holding their venues (leads).
///
/// # Errors
/// A database error.
pub async fn readable_campaigns(store: &Store, who: &Principal) -> Result<BTreeSet<i32>, StoreError> {
    let db = store.conn();
    Ok(match who.role {
        Role::Organizer | Role::Viewer => {
            let orgs = organization_tree(db, who.organization_id).await?;
            campaign::Entity::find()
                .filter(campaign::Column::OrganizationId.is_in(orgs))
                .all(db)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect()
        }
        Role::Lead => venue::Entity::find()
            .filter(venue::Column::Id.is_in(who.venue_ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|v| v.campaign_id)
            .collect(),
    })
}

/// A venue's place in the day's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VenueDay {
    /// Venue id.
    pub venue_id: i32,
    /// Venue name.
    pub name: String,
    /// open / submitted / accepted.
    pub day_status: DayStatus,
    /// When an organizer accepted it.
    pub accepted_at: Option<DateTime<Utc>>,
    /// Why an organizer last reopened it, until the lead submits again.
    pub reopen_reason: Option<String>,
}

fn venue_day(v: &venue::Model) -> VenueDay {
    VenueDay {
        venue_id: v.id,
        name: v.name.clone(),
        day_status: v.day_status,
        accepted_at: v.accepted_at,
        reopen_reason: v.reopen_reason.clone(),
    }
}

/// The longest reason for reopening a day (characters).
pub const MAX_REOPEN_REASON_CHARS: usize = 500;

/// Every venue's day status in a campaign, in venue order.
///
/// # Errors
/// A database error.
pub async fn venue_days(db: &impl ConnectionTrait, campaign_id: i32) -> Result<Vec<VenueDay>, StoreError> {
    Ok(crate::views::campaign_venues(db, campaign_id).await?.iter().map(venue_day).collect())
}

/// Moves a venue's day to `next` (submit, accept or reopen) inside `tx` and audits it with the
/// acting user. A reopening keeps `reason` (trimmed; blank is none) on the venue for its lead to
/// read; submitting or accepting the day again clears it.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown venue, [`StoreError::Conflict`] for a move the
/// approval does not allow (e.g. accepting a day that was not submitted),
/// [`StoreError::Invalid`] naming `reason` for a reason longer than
/// [`MAX_REOPEN_REASON_CHARS`] or given for another move, database errors.
pub async fn move_day_in(
    tx: &DatabaseTransaction,
    venue_id: i32,
    next: DayStatus,
    reason: Option<&str>,
    actor: Option<i32>,
) -> Result<VenueDay, StoreError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = reason {
        let mut e = eventday_domain::FieldErrors::new();
        if next != DayStatus::Open {
            e.insert("reason".into(), "only a reopened day takes a reason".into());
        } else if r.chars().count() > MAX_REOPEN_REASON_CHARS {
            e.insert("reason".into(), format!("at most {MAX_REOPEN_REASON_CHARS} characters"));
        }
        eventday_domain::ValidationError::check(e)?;
    }
    let v = venue::Entity::find_by_id(venue_id)
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?;
    let before = venue_day(&v);
    if !before.day_status.can_move_to(next) {
        return Err(StoreError::Conflict(format!(
            "the day of venue {venue_id} is {} and cannot become {}",
            before.day_status, next
        )));
    }
    let mut am = v.into_active_model();
    am.day_status = Set(next);
    am.accepted_at = Set((next == DayStatus::Accepted).then(Utc::now));
    am.reopen_reason = Set(reason.map(str::to_owned));
    let after = venue_day(&am.update(tx).await?);
    let action = match next {
        DayStatus::Submitted => Action::DaySubmit,
        DayStatus::Accepted => Action::DayAccept,
        DayStatus::Open => Action::DayReopen,
    };
    audit::record(tx, actor, action, "venue", &venue_id.to_string(), Some(&before), Some(&after)).await?;
    Ok(after)
}

/// [`move_day_in`] in a transaction of its own.
///
/// # Errors
/// As [`move_day_in`].
pub async fn move_day(
    store: &Store,
    venue_id: i32,
    next: DayStatus,
    reason: Option<&str>,
    actor: Option<i32>,
) -> Result<VenueDay, StoreError> {
    let tx = store.write_tx().await?;
    let after = move_day_in(&tx, venue_id, next, reason, actor).await?;
    tx.commit().await?;
    Ok(after)
}

/// Accepts the days of many venues of a campaign at once, in ONE transaction, each through
/// [`move_day_in`] (so each venue gets its own audit event): the venues `venue_ids`, or when
/// none are named every venue whose day is submitted. Returns the venues accepted, in venue
/// order.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, [`StoreError::Invalid`] naming
/// `venue_ids.N` for a venue of another campaign, [`StoreError::Conflict`] for a named venue
/// whose day is not submitted (nothing accepted then), database errors.
pub async fn accept_days(
    store: &Store,
    campaign_id: i32,
    venue_ids: Option<&[i32]>,
    actor: Option<i32>,
) -> Result<Vec<VenueDay>, StoreError> {
    let tx = store.write_tx().await?;
    crate::entities::campaign::Entity::find_by_id(campaign_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let venues = crate::views::campaign_venues(&tx, campaign_id).await?;
    let chosen: Vec<i32> = match venue_ids {
        None => venues.iter().filter(|v| v.day_status == DayStatus::Submitted).map(|v| v.id).collect(),
        Some(ids) => {
            let mut e = eventday_domain::FieldErrors::new();
            for id in ids {
                if !venues.iter().any(|v| v.id == *id) {
                    e.insert(format!("venue_ids.{id}"), format!("campaign {campaign_id} has no venue {id}"));
                }
            }
            eventday_domain::ValidationError::check(e)?;
            // In venue order, each once.
            venues.iter().filter(|v| ids.contains(&v.id)).map(|v| v.id).collect()
        }
    };
    let mut out = Vec::with_capacity(chosen.len());
    for id in chosen {
        out.push(move_day_in(&tx, id, DayStatus::Accepted, None, actor).await?);
    }
    tx.commit().await?;
    store.scope_cache().clear();
    Ok(out)
}

/// Refuses writes to a venue whose day an organizer has accepted. Every write of log entries,
/// activities' figures, disputes and photos calls this inside its transaction.
///
/// # Errors
/// [`StoreError::VenueLocked`] when the day is accepted, [`StoreError::NotFound`] for an unknown
/// venue, database errors.
pub async fn ensure_venue_writable(tx: &impl ConnectionTrait, venue_id: i32) -> Result<(), StoreError> {
    let v = venue::Entity::find_by_id(venue_id)
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?;
    if v.day_status == DayStatus::Accepted {
        return Err(StoreError::VenueLocked { venue_id, name: v.name });
    }
    crate::submission_lock::ensure_campaign_writable(tx, v.campaign_id).await
}

/// A kind of row that a route's path can name, for access checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// `organizations`
    Organization,
    /// `campaigns`
    Campaign,
    /// `venues`
    Venue,
    /// `participations`
    Participation,
    /// `booths`
    Booth,
    /// `activities`
    Activity,
    /// `materials`
    Material,
    /// `media_coverage`
    Media,
    /// `officials`
    Official,
    /// `disputes`
    Dispute,
    /// `narrative_sections`
    Narrative,
    /// `closing_tallies`
    Tally,
    /// `tasks` (the preparation checklist)
    Task,
    /// `task_evidence` (a file on a checklist task)
    Evidence,
    /// `log_entries` (text ids)
    LogEntry,
    /// `log_photos`
    Photo,
    /// `case_evidence` (a photo on a complaint case)
    CaseEvidence,
    /// `users`
    User,
    /// `invitations`
    Invitation,
}

/// Where a row belongs: its organization, and its campaign and venue when it has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The owning organization (for an organization: itself).
    pub organization_id: i32,
    /// The campaign, for rows inside one.
    pub campaign_id: Option<i32>,
    /// The venue, for rows of one venue.
    pub venue_id: Option<i32>,
}

async fn in_campaign(
    db: &impl ConnectionTrait,
    campaign_id: Option<i32>,
    venue_id: Option<i32>,
) -> Result<Option<Location>, StoreError> {
    let Some(c) = campaign_id else { return Ok(None) };
    Ok(campaign_organization(db, c).await?.map(|organization_id| Location {
        organization_id,
        campaign_id: Some(c),
        venue_id,
    }))
}

async fn at_venue(db: &impl ConnectionTrait, venue_id: Option<i32>) -> Result<Option<Location>, StoreError> {
    let Some(v) = venue_id else { return Ok(None) };
    Ok(venue_scope(db, v).await?.map(|s| Location {
        organization_id: s.organization_id,
        campaign_id: Some(s.campaign_id),
        venue_id: Some(v),
    }))
}

/// [`venue_scope`] through this process's short-lived cache (see
/// [`crate::auth_cache::ScopeCache`]).
///
/// # Errors
/// A database error.
pub(crate) async fn venue_scope_cached(
    store: &Store,
    venue_id: i32,
) -> Result<Option<VenueScope>, StoreError> {
    if let Some(s) = store.scope_cache().get(&venue_id) {
        return Ok(Some(s));
    }
    let s = venue_scope(store.conn(), venue_id).await?;
    if let Some(s) = s {
        store.scope_cache().put(s.venue_id, s);
    }
    Ok(s)
}

/// [`locate`], with venues looked up through this process's short-lived cache (every log post
/// names its venue; see [`crate::auth_cache::ScopeCache`]).
///
/// # Errors
/// A database error.
pub async fn locate_cached(store: &Store, entity: Entity, id: &str) -> Result<Option<Location>, StoreError> {
    if entity != Entity::Venue {
        return locate(store.conn(), entity, id).await;
    }
    let Some(venue_id) = id.parse::<i32>().ok() else { return Ok(None) };
    Ok(venue_scope_cached(store, venue_id).await?.map(|s| Location {
        organization_id: s.organization_id,
        campaign_id: Some(s.campaign_id),
        venue_id: Some(venue_id),
    }))
}

/// Finds where the row `id` of `entity` belongs; `None` when it does not exist (or the id is
/// not a number where one is expected).
///
/// # Errors
/// A database error.
pub async fn locate(
    db: &impl ConnectionTrait,
    entity: Entity,
    id: &str,
) -> Result<Option<Location>, StoreError> {
    use crate::entities::*;
    use sea_orm::QuerySelect;
    if entity == Entity::LogEntry {
        let venue = log_entry::Entity::find_by_id(id.to_owned()).one(db).await?.map(|e| e.venue_id);
        return at_venue(db, venue).await;
    }
    let Ok(n) = id.parse::<i64>() else { return Ok(None) };
    let Ok(n32) = i32::try_from(n) else { return Ok(None) };
    match entity {
        Entity::Organization => Ok(organization::Entity::find_by_id(n32).one(db).await?.map(|o| Location {
            organization_id: o.id,
            campaign_id: None,
            venue_id: None,
        })),
        Entity::User => Ok(crate::entities::user::Entity::find_by_id(n32).one(db).await?.map(|u| Location {
            organization_id: u.organization_id,
            campaign_id: None,
            venue_id: None,
        })),
        Entity::Campaign => in_campaign(db, Some(n32), None).await,
        Entity::Venue => at_venue(db, Some(n32)).await,
        Entity::Participation => {
            let c = participation::Entity::find_by_id(n32).one(db).await?.map(|r| r.campaign_id);
            in_campaign(db, c, None).await
        }
        Entity::Material => {
            let c = material::Entity::find_by_id(n32).one(db).await?.map(|r| r.campaign_id);
            in_campaign(db, c, None).await
        }
        Entity::Media => {
            let c = media_coverage::Entity::find_by_id(n32).one(db).await?.map(|r| r.campaign_id);
            in_campaign(db, c, None).await
        }
        Entity::Narrative => {
            let c = narrative_section::Entity::find_by_id(n32).one(db).await?.map(|r| r.campaign_id);
            in_campaign(db, c, None).await
        }
        Entity::Task => match task::Entity::find_by_id(n32).one(db).await? {
            Some(t) => in_campaign(db, Some(t.campaign_id), t.venue_id).await,
            None => Ok(None),
        },
        Entity::Evidence => {
            let t = match task_evidence::Entity::find_by_id(n32)
                .select_only()
                .column(task_evidence::Column::TaskId)
                .into_tuple::<i32>()
                .one(db)
                .await?
            {
                Some(t) => task::Entity::find_by_id(t).one(db).await?,
                None => None,
            };
            match t {
                Some(t) => in_campaign(db, Some(t.campaign_id), t.venue_id).await,
                None => Ok(None),
            }
        }
        Entity::Official => match official::Entity::find_by_id(n32).one(db).await? {
            Some(o) => in_campaign(db, Some(o.campaign_id), o.venue_id).await,
            None => Ok(None),
        },
        Entity::Booth => {
            let v = booth::Entity::find_by_id(n32).one(db).await?.map(|r| r.venue_id);
            at_venue(db, v).await
        }
        Entity::Activity => {
            let v = activity::Entity::find_by_id(n32).one(db).await?.map(|r| r.venue_id);
            at_venue(db, v).await
        }
        Entity::Dispute => {
            let v = dispute::Entity::find_by_id(n32).one(db).await?.map(|r| r.venue_id);
            at_venue(db, v).await
        }
        Entity::CaseEvidence => {
            // The case's id only: a photo's bytes stay in the database (up to 5 MiB each).
            let d: Option<i32> = case_evidence::Entity::find_by_id(n32)
                .select_only()
                .column(case_evidence::Column::DisputeId)
                .into_tuple()
                .one(db)
                .await?;
            let Some(d) = d else { return Ok(None) };
            let v = dispute::Entity::find_by_id(d).one(db).await?.map(|r| r.venue_id);
            at_venue(db, v).await
        }
        Entity::Tally => {
            let v = closing_tally::Entity::find_by_id(n32).one(db).await?.map(|r| r.venue_id);
            at_venue(db, v).await
        }
        Entity::Invitation => {
            let v = invitation::Entity::find_by_id(n32).one(db).await?.map(|r| r.venue_id);
            at_venue(db, v).await
        }
        Entity::Photo => {
            // The entry's id only: a photo's bytes stay in the database (up to 5 MiB each).
            let entry: Option<String> = log_photo::Entity::find_by_id(n)
                .select_only()
                .column(log_photo::Column::LogEntryId)
                .into_tuple()
                .one(db)
                .await?;
            let Some(entry) = entry else { return Ok(None) };
            let v: Option<i32> = log_entry::Entity::find_by_id(entry)
                .select_only()
                .column(log_entry::Column::VenueId)
                .into_tuple()
                .one(db)
                .await?;
            at_venue(db, v).await
        }
        Entity::LogEntry => Ok(None),
    }
}
