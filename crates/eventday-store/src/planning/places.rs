//! Venues, the booths on their floor plans and the activities they hold.

use super::*;

/// Venues.
pub struct Venues;
impl Resource for Venues {
    type Input = VenueInput;
    type Model = venue::Model;
    type Active = venue::ActiveModel;
    fn active(parent: i32, i: &VenueInput, old: Option<&venue::Model>) -> Self::Active {
        venue::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            kind: Set(i.kind),
            name: Set(i.name.trim().to_owned()),
            name_en: Set(english_name(i.name_en.as_ref())),
            host_unit: Set(i.host_unit.clone()),
            address: Set(i.address.clone()),
            lead_name: Set(i.lead_name.clone()),
            // Without a plan the size columns hold a placeholder (the schema wants a positive size).
            width_m: Set(i.width_m.unwrap_or(NO_PLAN_SIZE_M)),
            depth_m: Set(i.depth_m.unwrap_or(NO_PLAN_SIZE_M)),
            setting: Set(i.setting),
            has_plan: Set(i.width_m.is_some() && i.depth_m.is_some()),
            opens_at: Set(i.opens_at.clone()),
            closes_at: Set(i.closes_at.clone()),
            position: Set(i.position),
            day_status: Set(old.map_or(DayStatus::Open, |o| o.day_status)),
            accepted_at: Set(old.and_then(|o| o.accepted_at)),
            reopen_reason: Set(old.and_then(|o| o.reopen_reason.clone())),
        }
    }
    fn parent_of(m: &venue::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        campaign_id: i32,
        i: &VenueInput,
        old: Option<&venue::Model>,
    ) -> Result<(), StoreError> {
        one_main_venue(tx, campaign_id, i, old).await?;
        let Some(old) = old else { return Ok(()) };
        let booths = booth::Entity::find().filter(booth::Column::VenueId.eq(old.id)).all(tx).await?;
        let outside: Vec<String> = booths
            .iter()
            .filter(|b| {
                b.placed
                    && match (i.width_m, i.depth_m) {
                        (Some(w), Some(d)) => !rect_of(b).fits_inside(w, d),
                        _ => true,
                    }
            })
            .map(|b| format!("booth {} ({})", b.id, b.topic))
            .collect();
        if !outside.is_empty() {
            let why = format!("would leave {} outside the floor plan", outside.join(", "));
            let mut e = FieldErrors::new();
            e.insert("width_m".into(), why.clone());
            e.insert("depth_m".into(), why);
            return Err(StoreError::Invalid(ValidationError { fields: e }));
        }
        Ok(())
    }
    async fn before_delete(tx: &DatabaseTransaction, m: &venue::Model) -> Result<(), StoreError> {
        let n = log_entry::Entity::find().filter(log_entry::Column::VenueId.eq(m.id)).count(tx).await?;
        if n > 0 {
            return Err(StoreError::Conflict(format!(
                "venue {} has {n} log entries; they would be lost, so it cannot be deleted",
                m.id
            )));
        }
        Ok(())
    }
}
crud!(
    /// Venues of a campaign.
    venues, Venues, venue, "venue", parent campaign.CampaignId; order Position Id
);

/// A campaign has one main venue: another venue may not become one.
async fn one_main_venue(
    tx: &DatabaseTransaction,
    campaign_id: i32,
    i: &VenueInput,
    old: Option<&venue::Model>,
) -> Result<(), StoreError> {
    if i.kind != VenueKind::Main {
        return Ok(());
    }
    let mut q = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .filter(venue::Column::Kind.eq(VenueKind::Main));
    if let Some(o) = old {
        q = q.filter(venue::Column::Id.ne(o.id));
    }
    match q.one(tx).await? {
        Some(main) => Err(invalid(
            "kind",
            format!("a campaign has one main venue, and {:?} is already its main venue", main.name),
        )),
        None => Ok(()),
    }
}

/// What the size columns of a venue without a floor plan hold, and the sides of an unplaced
/// booth's placeholder rectangle (the schema wants positive sizes).
pub const NO_PLAN_SIZE_M: f64 = 1.0;

pub(crate) fn rect_of(b: &booth::Model) -> Rect {
    Rect { x: b.x, y: b.y, w: b.w, h: b.h, rotation_deg: b.rotation_deg }
}

/// Booths.
pub struct Booths;
impl Resource for Booths {
    type Input = BoothInput;
    type Model = booth::Model;
    type Active = booth::ActiveModel;
    fn active(parent: i32, i: &BoothInput, _: Option<&booth::Model>) -> Self::Active {
        let rect = i.rect();
        let r =
            rect.unwrap_or(Rect { x: 0.0, y: 0.0, w: NO_PLAN_SIZE_M, h: NO_PLAN_SIZE_M, rotation_deg: 0.0 });
        booth::ActiveModel {
            id: NotSet,
            venue_id: Set(parent),
            topic: Set(i.topic.trim().to_owned()),
            kind: Set(i.kind),
            x: Set(r.x),
            y: Set(r.y),
            w: Set(r.w),
            h: Set(r.h),
            rotation_deg: Set(r.rotation_deg),
            placed: Set(rect.is_some()),
        }
    }
    fn parent_of(m: &booth::Model) -> i32 {
        m.venue_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        venue_id: i32,
        i: &BoothInput,
        old: Option<&booth::Model>,
    ) -> Result<(), StoreError> {
        let v = venue::Entity::find_by_id(venue_id)
            .one(tx)
            .await?
            .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?;
        let mut e = FieldErrors::new();
        // A booth not placed yet is valid anywhere; the planner places it later.
        if let Some(rect) = i.rect() {
            if !v.has_plan {
                e.insert("rect".into(), "the venue has no floor plan yet; give it a size first".into());
            } else if !rect.fits_inside(v.width_m, v.depth_m) {
                e.insert(
                    "rect".into(),
                    format!("must lie inside the venue's {} x {} m floor plan", v.width_m, v.depth_m),
                );
            }
            let others = booth::Entity::find().filter(booth::Column::VenueId.eq(venue_id)).all(tx).await?;
            if let Some(b) = others
                .iter()
                .find(|b| b.placed && old.is_none_or(|o| o.id != b.id) && rect_of(b).overlaps(&rect))
            {
                e.insert("rect".into(), format!("overlaps booth {} ({})", b.id, b.topic));
                e.insert("conflicting_booth_id".into(), b.id.to_string());
            }
        }
        for u in &i.unit_ids {
            if !unit_exists(tx, *u).await? {
                e.insert(format!("unit_ids.{u}"), format!("no unit {u}"));
            }
        }
        Ok(ValidationError::check(e)?)
    }
    async fn after(tx: &DatabaseTransaction, m: &booth::Model, i: &BoothInput) -> Result<(), StoreError> {
        booth_unit::Entity::delete_many().filter(booth_unit::Column::BoothId.eq(m.id)).exec(tx).await?;
        let mut ids = i.unit_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        if !ids.is_empty() {
            booth_unit::Entity::insert_many(
                ids.into_iter().map(|u| booth_unit::ActiveModel { booth_id: Set(m.id), unit_id: Set(u) }),
            )
            .exec(tx)
            .await?;
        }
        Ok(())
    }
}
crud!(
    /// Booths on a venue's floor plan.
    booths, Booths, booth, "booth", parent venue.VenueId; order Id
);

/// Activities.
pub struct Activities;
impl Resource for Activities {
    type Input = ActivityInput;
    type Model = activity::Model;
    type Active = activity::ActiveModel;
    fn active(parent: i32, i: &ActivityInput, _: Option<&activity::Model>) -> Self::Active {
        activity::ActiveModel {
            id: NotSet,
            venue_id: Set(parent),
            kind: Set(i.kind),
            title: Set(i.title.trim().to_owned()),
            place: Set(i.place.clone()),
            starts_at: Set(i.starts_at),
            ends_at: Set(i.ends_at),
            participants: Set(i.participants),
            note: Set(i.note.clone()),
        }
    }
    fn parent_of(m: &activity::Model) -> i32 {
        m.venue_id
    }
    // An activity's participants are among its venue's figures, locked once the day is accepted.
    async fn check(
        tx: &DatabaseTransaction,
        venue_id: i32,
        _: &ActivityInput,
        _: Option<&activity::Model>,
    ) -> Result<(), StoreError> {
        ensure_venue_writable(tx, venue_id).await
    }
    async fn before_delete(tx: &DatabaseTransaction, m: &activity::Model) -> Result<(), StoreError> {
        ensure_venue_writable(tx, m.venue_id).await
    }
}
crud!(
    /// Activities held by a venue.
    activities, Activities, activity, "activity", parent venue.VenueId; order StartsAt Id
);

/// Sets an activity's figures (what a venue lead records on the day), with its audit event;
/// refused once the venue's day is accepted.
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Invalid`] for a negative count,
/// [`StoreError::VenueLocked`], database errors.
pub async fn set_activity_figures(
    store: &Store,
    actor: Option<i32>,
    id: i32,
    figures: &ActivityFigures,
) -> Result<activity::Model, StoreError> {
    let mut e = FieldErrors::new();
    eventday_domain::validate::bounded(
        &mut e,
        "participants",
        figures.participants,
        eventday_domain::validate::MAX_PEOPLE,
    );
    ValidationError::check(e)?;
    let tx = store.write_tx().await?;
    let before = activity::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "activity", id: id.to_string() })?;
    ensure_venue_writable(&tx, before.venue_id).await?;
    let mut am: activity::ActiveModel = before.clone().into();
    am.participants = Set(figures.participants);
    let row = am.update(&tx).await?;
    audit::record(&tx, actor, Action::Update, "activity", id, Some(&before), Some(&row)).await?;
    tx.commit().await?;
    Ok(row)
}
