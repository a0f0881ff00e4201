//! A new campaign from last year's: what repeats is copied through the planning write path, in
//! one transaction; figures, log entries, tallies, photos, disputes, check-ins and invitations
//! never are.

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning;
use chrono::{Datelike, Duration, Utc};
use eventday_domain::inputs::*;
use eventday_domain::{CampaignStatus, TaskStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use std::collections::HashMap;

/// What a clone made.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloneOutcome {
    /// The new campaign.
    pub campaign: campaign::Model,
    /// The campaign it was made from.
    pub source_campaign_id: i32,
    /// Days every date moved by.
    pub shift_days: i64,
    /// Rows copied per kind (`venues`, `booths`, `participations`, `activities`, `materials`,
    /// `allocations`, `tasks`, `narrative`).
    pub copied: std::collections::BTreeMap<String, usize>,
}

/// The title of the copy: the source's with its year replaced.
fn cloned_title(src: &campaign::Model, year: i32) -> String {
    let old = src.year.to_string();
    if src.title.contains(&old) { src.title.replace(&old, &year.to_string()) } else { src.title.clone() }
}

/// Makes a new campaign from `source_id` held on `input.date`, copying the parts asked for
/// (see [`ClonePart`]), all in one transaction through the planning write path (each row
/// audited), and records where it came from.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, [`StoreError::Invalid`] naming bad fields
/// (e.g. a date already taken is a [`StoreError::Constraint`]), database errors.
pub async fn clone_campaign(
    store: &Store,
    actor: Option<i32>,
    source_id: i32,
    input: &CloneInput,
) -> Result<CloneOutcome, StoreError> {
    input.validate()?;
    let parts = input.parts();
    let tx = store.write_tx().await?;
    let src = campaign::Entity::find_by_id(source_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: source_id.to_string() })?;
    let shift = input.date.signed_duration_since(src.date).num_days();
    let year = input.date.year();
    let new = planning::campaigns::insert(
        &tx,
        actor,
        0,
        &CampaignInput {
            organization_id: src.organization_id,
            year,
            date: input.date,
            timezone: src.timezone.clone(),
            title: input.title.clone().unwrap_or_else(|| cloned_title(&src, year)),
            theme: src.theme.clone(),
            status: Some(CampaignStatus::Planning),
            undertaker: src.undertaker.clone(),
            division_code: src.division_code.clone(),
            mask_official_names: src.mask_official_names,
        },
    )
    .await?;
    let mut copied = std::collections::BTreeMap::new();
    let mut count = |k: &str, n: usize| *copied.entry(k.to_owned()).or_insert(0) += n;
    let mut venue_map: HashMap<i32, i32> = HashMap::new();

    if parts.contains(&ClonePart::Venues) {
        let venues = venue::Entity::find()
            .filter(venue::Column::CampaignId.eq(source_id))
            .order_by_asc(venue::Column::Position)
            .order_by_asc(venue::Column::Id)
            .all(&tx)
            .await?;
        for v in &venues {
            let vi = VenueInput {
                kind: v.kind,
                name: v.name.clone(),
                name_en: v.name_en.clone(),
                host_unit: v.host_unit.clone(),
                address: v.address.clone(),
                lead_name: v.lead_name.clone(),
                setting: v.setting,
                width_m: v.has_plan.then_some(v.width_m),
                depth_m: v.has_plan.then_some(v.depth_m),
                opens_at: v.opens_at.clone(),
                closes_at: v.closes_at.clone(),
                position: v.position,
            };
            let nv = planning::venues::insert(&tx, actor, new.id, &vi).await?;
            venue_map.insert(v.id, nv.id);
            let booths = booth::Entity::find()
                .filter(booth::Column::VenueId.eq(v.id))
                .order_by_asc(booth::Column::Id)
                .all(&tx)
                .await?;
            for b in &booths {
                let unit_ids = booth_unit::Entity::find()
                    .filter(booth_unit::Column::BoothId.eq(b.id))
                    .all(&tx)
                    .await?
                    .into_iter()
                    .map(|u| u.unit_id)
                    .collect();
                let place = |x: f64| b.placed.then_some(x);
                let bi = BoothInput {
                    topic: b.topic.clone(),
                    kind: b.kind,
                    x: place(b.x),
                    y: place(b.y),
                    w: place(b.w),
                    h: place(b.h),
                    rotation_deg: if b.placed { b.rotation_deg } else { 0.0 },
                    unit_ids,
                };
                planning::booths::insert(&tx, actor, nv.id, &bi).await?;
            }
            count("booths", booths.len());
        }
        count("venues", venues.len());
    }

    if parts.contains(&ClonePart::Units) {
        let rows = participation::Entity::find()
            .filter(participation::Column::CampaignId.eq(source_id))
            .order_by_asc(participation::Column::Id)
            .all(&tx)
            .await?;
        for p in &rows {
            let pi = ParticipationInput {
                unit_id: p.unit_id,
                staffs_booth: p.staffs_booth,
                reconciliation_member: p.reconciliation_member,
                media: p.media,
                sponsor: p.sponsor,
                to_confirm: true,
            };
            planning::participations::insert(&tx, actor, new.id, &pi).await?;
        }
        count("participations", rows.len());
    }

    if parts.contains(&ClonePart::Activities) {
        let mut n = 0;
        for (old, nv) in &venue_map {
            let rows = activity::Entity::find()
                .filter(activity::Column::VenueId.eq(*old))
                .order_by_asc(activity::Column::Id)
                .all(&tx)
                .await?;
            for a in &rows {
                let ai = ActivityInput {
                    kind: a.kind,
                    title: a.title.clone(),
                    place: a.place.clone(),
                    starts_at: a.starts_at + Duration::days(shift),
                    ends_at: a.ends_at + Duration::days(shift),
                    // A figure of last year's day: never copied.
                    participants: 0,
                    note: a.note.clone(),
                };
                planning::activities::insert(&tx, actor, *nv, &ai).await?;
            }
            n += rows.len();
        }
        count("activities", n);
    }

    if parts.contains(&ClonePart::Materials) {
        let rows = material::Entity::find()
            .filter(material::Column::CampaignId.eq(source_id))
            .order_by_asc(material::Column::Id)
            .all(&tx)
            .await?;
        let mut allocations = 0;
        for m in &rows {
            let mi = MaterialInput {
                name: m.name.clone(),
                name_en: m.name_en.clone(),
                unit_label: m.unit_label.clone(),
                planned: m.planned,
                // What is in stock is counted again each year.
                stock: None,
            };
            let nm = planning::materials::insert(&tx, actor, new.id, &mi).await?;
            let allocs = material_allocation::Entity::find()
                .filter(material_allocation::Column::MaterialId.eq(m.id))
                .all(&tx)
                .await?;
            for a in allocs {
                if let Some(nv) = venue_map.get(&a.venue_id) {
                    planning::allocate(&tx, actor, nm.id, *nv, &AllocationInput { quantity: a.quantity })
                        .await?;
                    allocations += 1;
                }
            }
        }
        count("materials", rows.len());
        count("allocations", allocations);
    }

    if parts.contains(&ClonePart::Checklist) {
        let rows = task::Entity::find()
            .filter(task::Column::CampaignId.eq(source_id))
            .order_by_asc(task::Column::Id)
            .all(&tx)
            .await?;
        for t in &rows {
            let ti = TaskInput {
                phase: t.phase.clone(),
                title: t.title.clone(),
                responsible_unit: t.responsible_unit.clone(),
                responsible_person: t.responsible_person.clone(),
                venue_id: t.venue_id.and_then(|v| venue_map.get(&v).copied()),
                due_on: t.due_on + Duration::days(shift),
                status: TaskStatus::Open,
                notes: t.notes.clone(),
                evidence: String::new(),
                position: t.position,
            };
            planning::tasks::insert(&tx, actor, new.id, &ti).await?;
        }
        count("tasks", rows.len());
    }

    if parts.contains(&ClonePart::Narrative) {
        let rows = narrative_section::Entity::find()
            .filter(narrative_section::Column::CampaignId.eq(source_id))
            .order_by_asc(narrative_section::Column::Id)
            .all(&tx)
            .await?;
        for s in &rows {
            let ni = NarrativeInput {
                lang: s.lang,
                key: s.key.clone(),
                position: s.position,
                heading: s.heading.clone(),
                body: String::new(),
                next_steps: s.next_steps,
            };
            planning::narrative::insert(&tx, actor, new.id, &ni).await?;
        }
        count("narrative", rows.len());
    }

    let source = campaign_source::ActiveModel {
        campaign_id: Set(new.id),
        source_campaign_id: Set(Some(source_id)),
        parts: Set(parts.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")),
        shift_days: Set(i32::try_from(shift).unwrap_or(0)),
        created_at: Set(Utc::now()),
    }
    .insert(&tx)
    .await?;
    audit::record(&tx, actor, Action::Create, "campaign_source", new.id, None, Some(&source)).await?;
    tx.commit().await?;
    Ok(CloneOutcome { campaign: new, source_campaign_id: source_id, shift_days: shift, copied })
}

/// Where a campaign was cloned from, if it was.
///
/// # Errors
/// Database errors.
pub async fn source_of(
    store: &Store,
    campaign_id: i32,
) -> Result<Option<campaign_source::Model>, StoreError> {
    Ok(campaign_source::Entity::find_by_id(campaign_id).one(store.conn()).await?)
}
