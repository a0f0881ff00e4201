//! Loads a campaign file (the 2013 demo in `assets/demo/`) through the store's write functions,
//! in one transaction. Loading the same campaign twice changes nothing.

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use crate::planning;
use chrono::{DateTime, Utc};
use eventday_domain::demo::{CampaignFile, parse_hhmm};
use eventday_domain::inputs::{AllocationInput, CampaignInput, OrganizationInput};
use eventday_domain::log::NewLogEntry;
use eventday_domain::time::{local_to_utc, parse_zone};
use eventday_domain::{CampaignStatus, DayStatus, ValidationError};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
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
async fn organization_chain(tx: &DatabaseTransaction, file: &CampaignFile) -> Result<i32, StoreError> {
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
                // Only the organization itself has an English name in the file.
                let name_en =
                    (name == &file.organization.name).then(|| file.organization.name_en.clone()).flatten();
                let input = OrganizationInput { name: name.clone(), name_en, parent_id: parent };
                planning::organizations::insert(tx, None, 0, &input).await?.id
            }
        };
        parent = Some(id);
    }
    parent.ok_or_else(|| ValidationError::field("organization.name", "missing").into())
}

fn to_i32(v: usize) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// Looks a record's key up among those loaded before it.
fn lookup<K: std::hash::Hash + Eq + std::fmt::Debug + ?Sized>(
    map: &HashMap<&K, i32>,
    key: &K,
    what: &str,
) -> Result<i32, StoreError> {
    map.get(key)
        .copied()
        .ok_or_else(|| ValidationError::field(what, format!("unknown {what} {key:?}")).into())
}

/// Loads a validated campaign file. The whole load is one transaction, and every record goes
/// through the store's one write function of its entity (with its rules and audit event, no
/// acting user), as if entered through the API.
///
/// # Errors
/// [`StoreError::Invalid`] for data the checks reject (e.g. a second main venue or a time that
/// does not exist in the zone), constraint or database errors otherwise; nothing is written on
/// error.
pub async fn load(store: &Store, file: &CampaignFile) -> Result<LoadOutcome, StoreError> {
    file.validate()?;
    let tx = store.write_tx().await?;
    let org_id = organization_chain(&tx, file).await?;
    if let Some(existing) = campaign::Entity::find()
        .filter(campaign::Column::OrganizationId.eq(org_id))
        .filter(campaign::Column::Date.eq(file.campaign.date))
        .one(&tx)
        .await?
    {
        tx.rollback().await?;
        return Ok(LoadOutcome::AlreadyLoaded(existing.id));
    }
    let campaign_id = load_campaign(&tx, file, org_id).await?;
    tx.commit().await?;
    store.scope_cache().clear();
    Ok(LoadOutcome::Created(campaign_id))
}

/// The file's units (reused by name from the shared directory) and their participation;
/// returns the units' ids by key.
async fn load_units<'f>(
    tx: &DatabaseTransaction,
    file: &'f CampaignFile,
    campaign_id: i32,
) -> Result<HashMap<&'f str, i32>, StoreError> {
    let mut units: HashMap<&str, i32> = HashMap::new();
    for u in &file.units {
        let found = unit::Entity::find().filter(unit::Column::Name.eq(u.name.as_str())).one(tx).await?;
        let id = match found {
            Some(existing) => existing.id,
            None => planning::units::insert(tx, None, 0, &u.input()).await?.id,
        };
        units.insert(&u.key, id);
    }
    for p in &file.participations {
        let input = p.input(lookup(&units, p.unit.as_str(), "unit")?);
        planning::participations::insert(tx, None, campaign_id, &input).await?;
    }
    Ok(units)
}

async fn load_campaign(
    tx: &DatabaseTransaction,
    file: &CampaignFile,
    org_id: i32,
) -> Result<i32, StoreError> {
    let c = &file.campaign;
    let zone = parse_zone(&c.timezone).map_err(|e| ValidationError::field("campaign.timezone", e))?;
    let at = |field: String, hhmm: &str| -> Result<DateTime<Utc>, StoreError> {
        let t = parse_hhmm(hhmm).map_err(|e| ValidationError::field(field.clone(), e))?;
        local_to_utc(c.date, t, zone).map_err(|e| ValidationError::field(field, e).into())
    };
    let input = CampaignInput {
        organization_id: org_id,
        year: c.year,
        date: c.date,
        timezone: c.timezone.clone(),
        title: c.title.clone(),
        theme: c.theme.clone(),
        status: Some(c.status),
        undertaker: String::new(),
        division_code: String::new(),
        mask_official_names: true,
    };
    let campaign_id = planning::campaigns::insert(tx, None, 0, &input).await?.id;

    let units = load_units(tx, file, campaign_id).await?;

    let mut venues: HashMap<&str, i32> = HashMap::new();
    for (i, v) in file.venues.iter().enumerate() {
        let id = planning::venues::insert(tx, None, campaign_id, &v.input(to_i32(i))).await?.id;
        venues.insert(&v.key, id);
    }
    let venue = |key: &str| lookup(&venues, key, "venue");
    let unit = |key: &str| lookup(&units, key, "unit");

    let mut booths: HashMap<(&str, &str), i32> = HashMap::new();
    for b in &file.booths {
        let unit_ids = b.units.iter().map(|u| unit(u)).collect::<Result<Vec<_>, _>>()?;
        let id = planning::booths::insert(tx, None, venue(&b.venue)?, &b.input(unit_ids)).await?.id;
        booths.insert((&b.venue, &b.topic), id);
    }
    let mut activities: HashMap<(&str, &str), i32> = HashMap::new();
    for (i, a) in file.activities.iter().enumerate() {
        let starts = at(format!("activities[{i}].starts_at"), &a.starts_at)?;
        let ends = at(format!("activities[{i}].ends_at"), &a.ends_at)?;
        let id = planning::activities::insert(tx, None, venue(&a.venue)?, &a.input(starts, ends)).await?.id;
        activities.insert((&a.venue, &a.title), id);
    }
    let mut materials: HashMap<&str, i32> = HashMap::new();
    for m in &file.materials {
        let id = planning::materials::insert(tx, None, campaign_id, &m.input()).await?.id;
        for (v, quantity) in &m.allocations {
            planning::allocate(tx, None, id, venue(v)?, &AllocationInput { quantity: *quantity }).await?;
        }
        materials.insert(&m.key, id);
    }
    for m in &file.media {
        let covered = m.venues.iter().map(|v| venue(v)).collect::<Result<Vec<_>, _>>()?;
        planning::media::insert(tx, None, campaign_id, &m.input(unit(&m.outlet)?, covered)).await?;
    }
    for o in &file.officials {
        let input = o.input(o.venue.as_deref().map(venue).transpose()?);
        planning::officials::insert(tx, None, campaign_id, &input).await?;
    }
    for d in &file.disputes {
        let (input, change) = d.input(venue(&d.venue)?, d.enterprise.as_deref().map(unit).transpose()?);
        let id = planning::disputes::insert(tx, None, campaign_id, &input).await?.id;
        if let Some(change) = change {
            planning::move_dispute_in(tx, None, id, &change).await?;
        }
    }
    for (i, n) in file.narrative.iter().enumerate() {
        planning::narrative::insert(tx, None, campaign_id, &n.input(to_i32(i))).await?;
    }
    for t in file.checklist() {
        planning::tasks::insert(tx, None, campaign_id, &t).await?;
    }

    let now = Utc::now();
    for (i, e) in file.log_entries.iter().enumerate() {
        let entry = NewLogEntry {
            id: e.id,
            venue_id: i64::from(venue(&e.venue)?),
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
        crate::queries::insert_log_entry(tx, None, campaign_id, &entry, now).await?;
        for (k, p) in e.photos.iter().enumerate() {
            let field = format!("log_entries[{i}].photos[{k}].file");
            let bytes = demo_photo(&p.file).ok_or_else(|| {
                ValidationError::field(field.clone(), format!("unknown photo {:?}", p.file))
            })?;
            let id = e.id.to_string();
            let row = crate::log::insert_photo(tx, &id, bytes.to_vec(), None, None)
                .await?
                .map_err(|r| ValidationError::field(field, r.to_string()))?;
            let change =
                crate::photos::PhotoChange { starred: Some(p.starred), caption: Some(p.caption.clone()) };
            crate::photos::curate_in(tx, row.id, &change, None).await?;
        }
    }

    // A closed campaign's figures are final: its venues' days are submitted and accepted.
    if c.status == CampaignStatus::Closed {
        for v in &file.venues {
            let id = venue(&v.key)?;
            crate::scope::move_day_in(tx, id, DayStatus::Submitted, None, None).await?;
            crate::scope::move_day_in(tx, id, DayStatus::Accepted, None, None).await?;
        }
    }
    Ok(campaign_id)
}

/// The photos shipped with the demo campaign (`assets/demo/photos/`: drawn illustrations of the
/// day, not real photographs), by file name.
const DEMO_PHOTOS: &[(&str, &[u8])] = &[
    ("main-opening.jpg", include_bytes!("../../../assets/demo/photos/main-opening.jpg")),
    ("main-platform.jpg", include_bytes!("../../../assets/demo/photos/main-platform.jpg")),
    ("qiuchang-rain.jpg", include_bytes!("../../../assets/demo/photos/qiuchang-rain.jpg")),
    ("siwei-classroom.jpg", include_bytes!("../../../assets/demo/photos/siwei-classroom.jpg")),
];

fn demo_photo(name: &str) -> Option<&'static [u8]> {
    DEMO_PHOTOS.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
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
        ("tasks", task::Entity::find().count(db).await?),
        ("log_entries", log_entry::Entity::find().count(db).await?),
        ("log_entry_materials", log_entry_material::Entity::find().count(db).await?),
    ])
}
