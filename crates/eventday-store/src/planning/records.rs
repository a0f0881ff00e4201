//! The material catalogue and allocations, media coverage and consumer disputes.

use super::*;

/// Materials.
pub struct Materials;
impl Resource for Materials {
    type Input = MaterialInput;
    type Model = material::Model;
    type Active = material::ActiveModel;
    fn active(parent: i32, i: &MaterialInput, _: Option<&material::Model>) -> Self::Active {
        material::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            name: Set(i.name.trim().to_owned()),
            name_en: Set(english_name(i.name_en.as_ref())),
            unit_label: Set(i.unit_label.trim().to_owned()),
            planned: Set(i.planned),
            stock: Set(i.stock),
        }
    }
    fn parent_of(m: &material::Model) -> i32 {
        m.campaign_id
    }
}
crud!(
    /// The campaign's catalogue of materials.
    materials, Materials, material, "material", parent campaign.CampaignId; order Id
);

/// Media coverage.
pub struct Media;
impl Resource for Media {
    type Input = MediaInput;
    type Model = media_coverage::Model;
    type Active = media_coverage::ActiveModel;
    fn active(parent: i32, i: &MediaInput, _: Option<&media_coverage::Model>) -> Self::Active {
        media_coverage::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            outlet_unit_id: Set(i.outlet_unit_id),
            channel: Set(i.channel),
            format: Set(i.format),
            date: Set(i.date),
            headline: Set(i.headline.trim().to_owned()),
            link: Set(i.link.clone()),
            estimated_reach: Set(i.estimated_reach),
            slot: Set(i.slot.trim().to_owned()),
        }
    }
    fn parent_of(m: &media_coverage::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        campaign_id: i32,
        i: &MediaInput,
        _: Option<&media_coverage::Model>,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        if !unit_exists(tx, i.outlet_unit_id).await? {
            e.insert("outlet_unit_id".into(), format!("no unit {}", i.outlet_unit_id));
        }
        venues_of_campaign(tx, campaign_id, &i.venue_ids, "venue_ids", &mut e).await?;
        Ok(ValidationError::check(e)?)
    }
    async fn after(
        tx: &DatabaseTransaction,
        m: &media_coverage::Model,
        i: &MediaInput,
    ) -> Result<(), StoreError> {
        media_coverage_venue::Entity::delete_many()
            .filter(media_coverage_venue::Column::CoverageId.eq(m.id))
            .exec(tx)
            .await?;
        let mut ids = i.venue_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            media_coverage_venue::Entity::insert_many(
                ids.into_iter()
                    .map(|v| media_coverage_venue::ActiveModel { coverage_id: Set(m.id), venue_id: Set(v) }),
            )
            .exec(tx)
            .await?;
        }
        Ok(())
    }
}
crud!(
    /// Media coverage of a campaign.
    media, Media, media_coverage, "media_coverage", parent campaign.CampaignId; order Date Id
);

/// Disputes.
pub struct Disputes;
impl Resource for Disputes {
    type Input = DisputeInput;
    type Model = dispute::Model;
    type Active = dispute::ActiveModel;
    fn active(parent: i32, i: &DisputeInput, old: Option<&dispute::Model>) -> Self::Active {
        let now = Utc::now();
        dispute::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            venue_id: Set(i.venue_id),
            booth_id: Set(i.booth_id),
            enterprise_unit_id: Set(i.enterprise_unit_id),
            category: Set(i.category.trim().to_owned()),
            summary: Set(i.summary.clone()),
            amount_claimed_fen: Set(i.amount_claimed_fen),
            status: Set(old.map_or(DisputeStatus::Received, |o| o.status)),
            amount_recovered_fen: Set(old.map_or(0, |o| o.amount_recovered_fen)),
            received_on: Set(i.received_on),
            closed_on: Set(old.and_then(|o| o.closed_on)),
            created_at: Set(old.map_or(now, |o| o.created_at)),
            updated_at: Set(now),
        }
    }
    fn parent_of(m: &dispute::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        campaign_id: i32,
        i: &DisputeInput,
        old: Option<&dispute::Model>,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        venues_of_campaign(tx, campaign_id, &[i.venue_id], "venue_id", &mut e).await?;
        if let Some(b) = i.booth_id {
            let found = booth::Entity::find_by_id(b).one(tx).await?;
            if found.is_none_or(|f| f.venue_id != i.venue_id) {
                e.insert("booth_id".into(), format!("venue {} has no booth {b}", i.venue_id));
            }
        }
        if let Some(u) = i.enterprise_unit_id
            && !unit_exists(tx, u).await?
        {
            e.insert("enterprise_unit_id".into(), format!("no unit {u}"));
        }
        ValidationError::check(e)?;
        // An accepted day locks the disputes of its venue: the one it moves from and the one
        // it moves to.
        if let Some(old) = old {
            ensure_venue_writable(tx, old.venue_id).await?;
        }
        ensure_venue_writable(tx, i.venue_id).await
    }
    async fn before_delete(tx: &DatabaseTransaction, m: &dispute::Model) -> Result<(), StoreError> {
        ensure_venue_writable(tx, m.venue_id).await
    }
}
crud!(
    /// Consumer disputes received on the day.
    disputes, Disputes, dispute, "dispute", parent campaign.CampaignId; order Id
);

/// Moves a dispute along its workflow inside `tx`; settling records the money recovered; a
/// final status sets the day it was closed. Audited.
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Invalid`] for an illegal move,
/// [`StoreError::VenueLocked`], database errors.
pub async fn move_dispute_in(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    id: i32,
    change: &DisputeStatusChange,
) -> Result<dispute::Model, StoreError> {
    let before = dispute::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "dispute", id: id.to_string() })?;
    if crate::submission_lock::is_case(tx, id).await? {
        return Err(StoreError::Conflict(format!(
            "dispute {id} is a complaint case: record its steps on the case (POST /api/v1/disputes/{id}/case/steps)"
        )));
    }
    change.validate(before.status)?;
    ensure_venue_writable(tx, before.venue_id).await?;
    let mut am: dispute::ActiveModel = before.clone().into();
    am.status = Set(change.status);
    if let Some(a) = change.amount_recovered_fen {
        am.amount_recovered_fen = Set(a);
    }
    if change.status.is_final() {
        am.closed_on = Set(Some(change.closed_on.unwrap_or_else(|| Utc::now().date_naive())));
    }
    am.updated_at = Set(Utc::now());
    let row = am.update(tx).await?;
    audit::record(tx, actor, Action::Update, "dispute", id, Some(&before), Some(&row)).await?;
    Ok(row)
}

/// [`move_dispute_in`] in a transaction of its own.
///
/// # Errors
/// As [`move_dispute_in`].
pub async fn move_dispute(
    store: &Store,
    actor: Option<i32>,
    id: i32,
    change: &DisputeStatusChange,
) -> Result<dispute::Model, StoreError> {
    let tx = store.write_tx().await?;
    let row = move_dispute_in(&tx, actor, id, change).await?;
    tx.commit().await?;
    Ok(row)
}

/// Sets how much of a material a venue gets (creating or replacing the allocation) inside
/// `tx`, with its audit event.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown material, [`StoreError::Invalid`] for a venue of
/// another campaign or a negative quantity, database errors.
pub async fn allocate(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    material_id: i32,
    venue_id: i32,
    input: &AllocationInput,
) -> Result<material_allocation::Model, StoreError> {
    input.validate()?;
    let m = material::Entity::find_by_id(material_id)
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "material", id: material_id.to_string() })?;
    let mut e = FieldErrors::new();
    venues_of_campaign(tx, m.campaign_id, &[venue_id], "venue_id", &mut e).await?;
    ValidationError::check(e)?;
    let before = material_allocation::Entity::find_by_id((material_id, venue_id)).one(tx).await?;
    let am = material_allocation::ActiveModel {
        material_id: Set(material_id),
        venue_id: Set(venue_id),
        quantity: Set(input.quantity),
    };
    let row = if before.is_some() { am.update(tx).await? } else { am.insert(tx).await? };
    let key = format!("{material_id}/{venue_id}");
    let action = if before.is_some() { Action::Update } else { Action::Create };
    audit::record(tx, actor, action, "material_allocation", key, before.as_ref(), Some(&row)).await?;
    Ok(row)
}

/// [`allocate`] in a transaction of its own.
///
/// # Errors
/// As [`allocate`].
pub async fn set_allocation(
    store: &Store,
    actor: Option<i32>,
    material_id: i32,
    venue_id: i32,
    input: &AllocationInput,
) -> Result<material_allocation::Model, StoreError> {
    let tx = store.write_tx().await?;
    let row = allocate(&tx, actor, material_id, venue_id, input).await?;
    tx.commit().await?;
    Ok(row)
}

/// Removes a venue's allocation of a material.
///
/// # Errors
/// [`StoreError::NotFound`] when there is none, database errors.
pub async fn delete_allocation(
    store: &Store,
    actor: Option<i32>,
    material_id: i32,
    venue_id: i32,
) -> Result<(), StoreError> {
    let tx = store.write_tx().await?;
    let key = format!("{material_id}/{venue_id}");
    let before = material_allocation::Entity::find_by_id((material_id, venue_id))
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "allocation", id: key.clone() })?;
    material_allocation::Entity::delete_by_id((material_id, venue_id)).exec(&tx).await?;
    audit::record(&tx, actor, Action::Delete, "material_allocation", key, Some(&before), None).await?;
    tx.commit().await?;
    Ok(())
}

/// A material's allocations to venues.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown material, database errors.
pub async fn list_allocations(
    store: &Store,
    material_id: i32,
) -> Result<Vec<material_allocation::Model>, StoreError> {
    materials::get(store, material_id).await?;
    Ok(material_allocation::Entity::find()
        .filter(material_allocation::Column::MaterialId.eq(material_id))
        .order_by_asc(material_allocation::Column::VenueId)
        .all(store.conn())
        .await?)
}

/// Closing tallies.
pub struct Tallies;
impl Resource for Tallies {
    type Input = TallyInput;
    type Model = closing_tally::Model;
    type Active = closing_tally::ActiveModel;
    fn active(parent: i32, i: &TallyInput, old: Option<&closing_tally::Model>) -> Self::Active {
        let f = &i.figures;
        closing_tally::ActiveModel {
            id: NotSet,
            venue_id: Set(parent),
            booth_id: Set(i.booth_id),
            visitors: Set(f.visitors),
            consultations: Set(f.consultations),
            complaints_received: Set(f.complaints_received),
            complaints_settled: Set(f.complaints_settled),
            money_recovered_fen: Set(f.money_recovered_fen),
            note: Set(i.note.clone()),
            recorded_at: Set(i.recorded_at.or(old.map(|o| o.recorded_at)).unwrap_or_else(Utc::now)),
        }
    }
    fn parent_of(m: &closing_tally::Model) -> i32 {
        m.venue_id
    }
    // A tally is among its venue's figures: locked once the day is accepted; one per booth and
    // one per venue.
    async fn check(
        tx: &DatabaseTransaction,
        venue_id: i32,
        i: &TallyInput,
        old: Option<&closing_tally::Model>,
    ) -> Result<(), StoreError> {
        ensure_venue_writable(tx, venue_id).await?;
        if let Some(b) = i.booth_id {
            let found = booth::Entity::find_by_id(b).one(tx).await?;
            if found.is_none_or(|f| f.venue_id != venue_id) {
                return Err(invalid("booth_id", format!("venue {venue_id} has no booth {b}")));
            }
        }
        let mut q = closing_tally::Entity::find().filter(closing_tally::Column::VenueId.eq(venue_id));
        q = match i.booth_id {
            Some(b) => q.filter(closing_tally::Column::BoothId.eq(b)),
            None => q.filter(closing_tally::Column::BoothId.is_null()),
        };
        if let Some(o) = old {
            q = q.filter(closing_tally::Column::Id.ne(o.id));
        }
        if let Some(other) = q.one(tx).await? {
            let what = if i.booth_id.is_some() { "this booth" } else { "this venue" };
            return Err(invalid("booth_id", format!("{what} already has a closing tally ({})", other.id)));
        }
        Ok(())
    }
    async fn before_delete(tx: &DatabaseTransaction, m: &closing_tally::Model) -> Result<(), StoreError> {
        ensure_venue_writable(tx, m.venue_id).await
    }
}
crud!(
    /// Closing tallies of a venue and its booths.
    tallies, Tallies, closing_tally, "closing_tally", parent venue.VenueId; order Id
);
/// A campaign's report settings as the report page and the API show them: what was saved (empty
/// where nothing was), and the defaults the report uses for empty fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportSettingsView {
    /// The campaign.
    pub campaign_id: i32,
    /// What was saved (all empty when nothing was).
    pub settings: ReportSettingsInput,
    /// The title used while `title` is empty.
    pub default_title: String,
    /// The issuer used while `issuer` is empty: the organization.
    pub default_issuer: String,
    /// The date used while `report_date` is empty: the event day.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub default_report_date: chrono::NaiveDate,
}

fn settings_input(m: &report_settings::Model) -> ReportSettingsInput {
    ReportSettingsInput {
        title: m.title.clone(),
        subtitle: m.subtitle.clone(),
        issuer: m.issuer.clone(),
        report_date: m.report_date,
        addressee: m.addressee.clone(),
        copy_to: m.copy_to.clone(),
    }
}

/// Reads a campaign's report settings with their defaults.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign; database errors.
pub async fn report_settings_of(store: &Store, campaign_id: i32) -> Result<ReportSettingsView, StoreError> {
    let db = store.conn();
    let c = campaign::Entity::find_by_id(campaign_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let org = organization::Entity::find_by_id(c.organization_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let saved = report_settings::Entity::find()
        .filter(report_settings::Column::CampaignId.eq(campaign_id))
        .one(db)
        .await?;
    Ok(ReportSettingsView {
        campaign_id,
        settings: saved.as_ref().map(settings_input).unwrap_or_default(),
        default_title: format!("{org}{}年“3·15”活动总结", c.year),
        default_issuer: org,
        default_report_date: c.date,
    })
}

/// Saves a campaign's report settings inside `tx` (creating the row the first time), with its
/// audit event: the one write path of report settings.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, [`StoreError::Invalid`] naming every bad
/// field, database errors.
pub async fn save_report_settings_in(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    campaign_id: i32,
    input: &ReportSettingsInput,
) -> Result<report_settings::Model, StoreError> {
    input.validate()?;
    campaign::Entity::find_by_id(campaign_id)
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let before = report_settings::Entity::find()
        .filter(report_settings::Column::CampaignId.eq(campaign_id))
        .one(tx)
        .await?;
    let am = report_settings::ActiveModel {
        id: before.as_ref().map_or(NotSet, |b| Set(b.id)),
        campaign_id: Set(campaign_id),
        title: Set(input.title.trim().to_owned()),
        subtitle: Set(input.subtitle.trim().to_owned()),
        issuer: Set(input.issuer.trim().to_owned()),
        report_date: Set(input.report_date),
        addressee: Set(input.addressee.trim().to_owned()),
        copy_to: Set(input.copy_to.trim().to_owned()),
        updated_at: Set(Utc::now()),
    };
    let (row, action) = match &before {
        Some(_) => (am.update(tx).await?, Action::Update),
        None => (am.insert(tx).await?, Action::Create),
    };
    audit::record(tx, actor, action, "report_settings", row.id, before.as_ref(), Some(&row)).await?;
    Ok(row)
}

/// [`save_report_settings_in`] in a transaction of its own; returns the settings with defaults.
///
/// # Errors
/// As [`save_report_settings_in`].
pub async fn save_report_settings(
    store: &Store,
    actor: Option<i32>,
    campaign_id: i32,
    input: &ReportSettingsInput,
) -> Result<ReportSettingsView, StoreError> {
    let tx = store.write_tx().await?;
    save_report_settings_in(&tx, actor, campaign_id, input).await?;
    tx.commit().await?;
    report_settings_of(store, campaign_id).await
}
