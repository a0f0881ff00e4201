//! Loads a campaign file (the 2013 demo in `assets/demo/`) through ordinary inserts, in one
//! transaction. Loading the same campaign twice changes nothing.

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use eventday_domain::ValidationError;
use eventday_domain::demo::{CampaignFile, parse_hhmm};
use eventday_domain::log::NewLogEntry;
use eventday_domain::time::{local_to_utc, parse_zone};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, Set,
};
use std::collections::HashMap;

/// What loading a campaign file did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadOutcome {
    /// The campaign was created with this id.
    Created(i32),
    /// A campaign for that organization and date already existed; nothing was written.
    AlreadyLoaded(i32),
}

impl LoadOutcome {
    /// The campaign's id either way.
    #[must_use]
    pub fn campaign_id(self) -> i32 {
        match self {
            LoadOutcome::Created(id) | LoadOutcome::AlreadyLoaded(id) => id,
        }
    }
}

/// Parses and validates a campaign file's JSON text.
///
/// # Errors
/// [`StoreError::Invalid`] naming the JSON position or every bad field.
pub fn parse(json: &str) -> Result<CampaignFile, StoreError> {
    let file: CampaignFile = serde_json::from_str(json).map_err(|e| {
        ValidationError::field(format!("line {} column {}", e.line(), e.column()), e.to_string())
    })?;
    file.validate()?;
    Ok(file)
}

/// Finds or creates the organization chain (parents top-down, then the organization).
async fn organization_chain(
    tx: &DatabaseTransaction,
    file: &CampaignFile,
    now: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let mut parent: Option<i32> = None;
    for name in file.organization.parents.iter().chain(std::iter::once(&file.organization.name)) {
        let mut q = organization::Entity::find().filter(organization::Column::Name.eq(name.as_str()));
        q = match parent {
            Some(p) => q.filter(organization::Column::ParentId.eq(p)),
            None => q.filter(organization::Column::ParentId.is_null()),
        };
        let id = match q.one(tx).await? {
            Some(o) => o.id,
            None => {
                organization::ActiveModel {
                    id: NotSet,
                    name: Set(name.clone()),
                    parent_id: Set(parent),
                    created_at: Set(now),
                }
                .insert(tx)
                .await?
                .id
            }
        };
        parent = Some(id);
    }
    parent.ok_or_else(|| ValidationError::field("organization.name", "missing").into())
}

fn to_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// Loads a validated campaign file. The whole load is one transaction.
///
/// # Errors
/// [`StoreError::Invalid`] for data the checks reject (e.g. a time that does not exist in the
/// zone), constraint or database errors otherwise; nothing is written on error.
pub async fn load(store: &Store, file: &CampaignFile) -> Result<LoadOutcome, StoreError> {
    file.validate()?;
    let zone =
        parse_zone(&file.campaign.timezone).map_err(|e| ValidationError::field("campaign.timezone", e))?;
    let date = file.campaign.date;
    let at = |field: String, hhmm: &str| -> Result<DateTime<Utc>, StoreError> {
        let t = parse_hhmm(hhmm).map_err(|e| ValidationError::field(field.clone(), e))?;
        local_to_utc(date, t, zone).map_err(|e| ValidationError::field(field, e).into())
    };
    let now = Utc::now();
    let tx = store.write_tx().await?;
    let org_id = organization_chain(&tx, file, now).await?;

    if let Some(existing) = campaign::Entity::find()
        .filter(campaign::Column::OrganizationId.eq(org_id))
        .filter(campaign::Column::Date.eq(date))
        .one(&tx)
        .await?
    {
        tx.rollback().await?;
        return Ok(LoadOutcome::AlreadyLoaded(existing.id));
    }

    let campaign_id = campaign::ActiveModel {
        id: NotSet,
        organization_id: Set(org_id),
        year: Set(file.campaign.year),
        date: Set(date),
        timezone: Set(file.campaign.timezone.clone()),
        title: Set(file.campaign.title.clone()),
        theme: Set(file.campaign.theme.clone()),
        status: Set(file.campaign.status.as_str().into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?
    .id;

    // Units are a directory shared across campaigns: reuse by name.
    let mut units: HashMap<&str, i32> = HashMap::new();
    for u in &file.units {
        let id = match unit::Entity::find().filter(unit::Column::Name.eq(u.name.as_str())).one(&tx).await? {
            Some(existing) => existing.id,
            None => {
                unit::ActiveModel {
                    id: NotSet,
                    name: Set(u.name.clone()),
                    kind: Set(u.kind.as_str().into()),
                    contact: Set(u.contact.clone()),
                    created_at: Set(now),
                }
                .insert(&tx)
                .await?
                .id
            }
        };
        units.insert(&u.key, id);
    }
    let unit_id = |key: &str| {
        units
            .get(key)
            .copied()
            .ok_or_else(|| StoreError::from(ValidationError::field("unit", format!("unknown unit {key:?}"))))
    };

    for p in &file.participations {
        participation::ActiveModel {
            id: NotSet,
            campaign_id: Set(campaign_id),
            unit_id: Set(unit_id(&p.unit)?),
            staffs_booth: Set(p.staffs_booth),
            reconciliation_member: Set(p.reconciliation_member),
            media: Set(p.media),
            sponsor: Set(p.sponsor),
        }
        .insert(&tx)
        .await?;
    }

    let closed = file.campaign.status == eventday_domain::CampaignStatus::Closed;
    let mut venues: HashMap<&str, i32> = HashMap::new();
    for (i, v) in file.venues.iter().enumerate() {
        let id = venue::ActiveModel {
            id: NotSet,
            campaign_id: Set(campaign_id),
            kind: Set(v.kind.as_str().into()),
            name: Set(v.name.clone()),
            host_unit: Set(v.host_unit.clone()),
            address: Set(v.address.clone()),
            lead_name: Set(v.lead.clone()),
            width_m: Set(v.width_m),
            depth_m: Set(v.depth_m),
            opens_at: Set(v.opens_at.clone()),
            closes_at: Set(v.closes_at.clone()),
            position: Set(to_i32(i as i64)),
            // A closed campaign's figures are final: its venues' days count as accepted.
            day_status: Set(if closed { "accepted" } else { "open" }.into()),
            accepted_at: Set(closed.then_some(now)),
        }
        .insert(&tx)
        .await?
        .id;
        venues.insert(&v.key, id);
    }
    let venue_id = |key: &str| {
        venues.get(key).copied().ok_or_else(|| {
            StoreError::from(ValidationError::field("venue", format!("unknown venue {key:?}")))
        })
    };

    let mut booths: HashMap<(&str, &str), i32> = HashMap::new();
    for b in &file.booths {
        let id = booth::ActiveModel {
            id: NotSet,
            venue_id: Set(venue_id(&b.venue)?),
            topic: Set(b.topic.clone()),
            kind: Set(b.kind.as_str().into()),
            x: Set(b.x),
            y: Set(b.y),
            w: Set(b.w),
            h: Set(b.h),
            rotation_deg: Set(b.rotation_deg),
        }
        .insert(&tx)
        .await?
        .id;
        for u in &b.units {
            booth_unit::ActiveModel { booth_id: Set(id), unit_id: Set(unit_id(u)?) }.insert(&tx).await?;
        }
        booths.insert((&b.venue, &b.topic), id);
    }

    let mut activities: HashMap<(&str, &str), i32> = HashMap::new();
    for (i, a) in file.activities.iter().enumerate() {
        let id = activity::ActiveModel {
            id: NotSet,
            venue_id: Set(venue_id(&a.venue)?),
            kind: Set(a.kind.as_str().into()),
            title: Set(a.title.clone()),
            place: Set(a.place.clone()),
            starts_at: Set(at(format!("activities[{i}].starts_at"), &a.starts_at)?),
            ends_at: Set(at(format!("activities[{i}].ends_at"), &a.ends_at)?),
            participants: Set(a.participants),
            note: Set(a.note.clone()),
        }
        .insert(&tx)
        .await?
        .id;
        activities.insert((&a.venue, &a.title), id);
    }

    let mut materials: HashMap<&str, i32> = HashMap::new();
    for m in &file.materials {
        let id = material::ActiveModel {
            id: NotSet,
            campaign_id: Set(campaign_id),
            name: Set(m.name.clone()),
            unit_label: Set(m.unit_label.clone()),
            planned: Set(m.planned),
        }
        .insert(&tx)
        .await?
        .id;
        for (venue, qty) in &m.allocations {
            material_allocation::ActiveModel {
                material_id: Set(id),
                venue_id: Set(venue_id(venue)?),
                quantity: Set(*qty),
            }
            .insert(&tx)
            .await?;
        }
        materials.insert(&m.key, id);
    }

    for m in &file.media {
        let id = media_coverage::ActiveModel {
            id: NotSet,
            campaign_id: Set(campaign_id),
            outlet_unit_id: Set(unit_id(&m.outlet)?),
            channel: Set(m.channel.as_str().into()),
            format: Set(m.format.as_str().into()),
            date: Set(m.date),
            headline: Set(m.headline.clone()),
            link: Set(m.link.clone()),
            estimated_reach: Set(m.estimated_reach),
        }
        .insert(&tx)
        .await?
        .id;
        for v in &m.venues {
            media_coverage_venue::ActiveModel { coverage_id: Set(id), venue_id: Set(venue_id(v)?) }
                .insert(&tx)
                .await?;
        }
    }

    for o in &file.officials {
        official::ActiveModel {
            id: NotSet,
            campaign_id: Set(campaign_id),
            name: Set(o.name.clone()),
            title: Set(o.title.clone()),
            organization: Set(o.organization.clone()),
            venue_id: Set(o.venue.as_deref().map(venue_id).transpose()?),
            role: Set(o.role.clone()),
            masked: Set(o.masked),
        }
        .insert(&tx)
        .await?;
    }

    for d in &file.disputes {
        dispute::ActiveModel {
            id: NotSet,
            campaign_id: Set(campaign_id),
            venue_id: Set(venue_id(&d.venue)?),
            booth_id: Set(None),
            enterprise_unit_id: Set(d.enterprise.as_deref().map(unit_id).transpose()?),
            category: Set(d.category.clone()),
            summary: Set(d.summary.clone()),
            amount_claimed_fen: Set(d.amount_claimed_fen),
            status: Set(d.status.as_str().into()),
            amount_recovered_fen: Set(d.amount_recovered_fen),
            received_on: Set(d.received_on),
            closed_on: Set(d.closed_on),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&tx)
        .await?;
    }

    for (lang_pos, n) in file.narrative.iter().enumerate() {
        narrative_section::ActiveModel {
            id: NotSet,
            campaign_id: Set(campaign_id),
            lang: Set(n.lang.clone()),
            key: Set(n.key.clone()),
            position: Set(to_i32(lang_pos as i64)),
            heading: Set(n.heading.clone()),
            body: Set(n.body.clone()),
            next_steps: Set(n.next_steps),
            updated_at: Set(now),
        }
        .insert(&tx)
        .await?;
    }

    for (i, e) in file.log_entries.iter().enumerate() {
        let entry = NewLogEntry {
            id: e.id,
            venue_id: i64::from(venue_id(&e.venue)?),
            booth_id: e
                .booth
                .as_deref()
                .and_then(|t| booths.get(&(e.venue.as_str(), t)))
                .map(|b| i64::from(*b)),
            activity_id: e
                .activity
                .as_deref()
                .and_then(|t| activities.get(&(e.venue.as_str(), t)))
                .map(|a| i64::from(*a)),
            recorded_at: at(format!("log_entries[{i}].time"), &e.time)?,
            author_name: e.author.clone(),
            figures: e.figures(),
            materials: e
                .materials
                .iter()
                .map(|(k, v)| materials.get(k.as_str()).map(|id| (i64::from(*id), *v)))
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    ValidationError::field(format!("log_entries[{i}].materials"), "unknown material")
                })?,
            note: e.note.clone(),
        };
        crate::queries::insert_log_entry_row(&tx, campaign_id, &entry, None, now).await?;
    }

    tx.commit().await?;
    Ok(LoadOutcome::Created(campaign_id))
}

/// Counts rows in the main tables (for tests and the CLI's report of what a load did).
///
/// # Errors
/// A database error.
pub async fn table_counts(db: &impl ConnectionTrait) -> Result<Vec<(&'static str, u64)>, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(vec![
        ("organizations", organization::Entity::find().count(db).await?),
        ("campaigns", campaign::Entity::find().count(db).await?),
        ("units", unit::Entity::find().count(db).await?),
        ("participations", participation::Entity::find().count(db).await?),
        ("venues", venue::Entity::find().count(db).await?),
        ("booths", booth::Entity::find().count(db).await?),
        ("activities", activity::Entity::find().count(db).await?),
        ("materials", material::Entity::find().count(db).await?),
        ("material_allocations", material_allocation::Entity::find().count(db).await?),
        ("media_coverage", media_coverage::Entity::find().count(db).await?),
        ("officials", official::Entity::find().count(db).await?),
        ("disputes", dispute::Entity::find().count(db).await?),
        ("narrative_sections", narrative_section::Entity::find().count(db).await?),
        ("log_entries", log_entry::Entity::find().count(db).await?),
        ("log_entry_materials", log_entry_material::Entity::find().count(db).await?),
    ])
}
