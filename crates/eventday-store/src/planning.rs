//! Create, read, update and delete for everything organizers plan. Every write validates its
//! input, checks the rules that need the database (booths inside the venue and not overlapping,
//! references within the same campaign), and records an audit event in the same transaction.

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::*;
use crate::error::{ConstraintKind, StoreError};
use crate::scope::ensure_venue_writable;
use chrono::Utc;
use eventday_domain::inputs::*;
use eventday_domain::{DisputeStatus, FieldErrors, Rect, ValidationError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use std::future::Future;

/// What a plannable resource adds to the shared create/update/delete code.
pub trait Resource {
    /// What clients send.
    type Input: Sync;
    /// The stored row.
    type Model: Serialize + Send + Sync;
    /// The row being written.
    type Active;
    /// The row to write; `existing` on update so that fields not in the input are kept.
    fn active(parent: i32, input: &Self::Input, existing: Option<&Self::Model>) -> Self::Active;
    /// The parent id of a stored row.
    fn parent_of(m: &Self::Model) -> i32;
    /// Rules that need the database; `existing` on update.
    fn check(
        _tx: &DatabaseTransaction,
        _parent: i32,
        _input: &Self::Input,
        _existing: Option<&Self::Model>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
    /// Rules that depend on who writes (`actor`; `None` for the command line); `existing` on
    /// update.
    fn check_actor(
        _tx: &DatabaseTransaction,
        _actor: Option<i32>,
        _input: &Self::Input,
        _existing: Option<&Self::Model>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
    /// Writes dependent rows (link tables) after the row itself.
    fn after(
        _tx: &DatabaseTransaction,
        _m: &Self::Model,
        _input: &Self::Input,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
    /// Refuses a delete that would lose data others depend on.
    fn before_delete(
        _tx: &DatabaseTransaction,
        _m: &Self::Model,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
}

fn still_referenced(name: &str, id: i32, e: StoreError) -> StoreError {
    match e {
        StoreError::Constraint { kind: ConstraintKind::ForeignKey, detail } => StoreError::Conflict(format!(
            "{name} {id} is still referenced by other records and cannot be deleted ({detail})"
        )),
        other => other,
    }
}

fn invalid(field: &str, why: impl Into<String>) -> StoreError {
    StoreError::Invalid(ValidationError::field(field, why))
}

macro_rules! crud {
    ($(#[$doc:meta])* $m:ident, $res:ident, $e:ident, $name:literal
        $(, parent $pent:ident . $pcol:ident)? ; order $($ocol:ident)+) => {
        $(#[$doc])*
        pub mod $m {
            use super::*;

            /// Lists the rows (of one parent where the resource has one).
            ///
            /// # Errors
            /// [`StoreError::NotFound`] for an unknown parent, database errors.
            #[allow(unused_variables)]
            pub async fn list(store: &Store, parent: i32) -> Result<Vec<$e::Model>, StoreError> {
                let q = $e::Entity::find();
                $(
                    $pent::Entity::find_by_id(parent).one(store.conn()).await?.ok_or(
                        StoreError::NotFound { entity: stringify!($pent), id: parent.to_string() },
                    )?;
                    let q = q.filter($e::Column::$pcol.eq(parent));
                )?
                Ok(q $(.order_by_asc($e::Column::$ocol))+ .all(store.conn()).await?)
            }

            /// One row.
            ///
            /// # Errors
            /// [`StoreError::NotFound`], database errors.
            pub async fn get(store: &Store, id: i32) -> Result<$e::Model, StoreError> {
                find(store.conn(), id).await
            }

            async fn find(db: &impl ConnectionTrait, id: i32) -> Result<$e::Model, StoreError> {
                $e::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .ok_or(StoreError::NotFound { entity: $name, id: id.to_string() })
            }

            /// Validates and creates a row under `parent`, with its audit event.
            ///
            /// # Errors
            /// [`StoreError::NotFound`] for an unknown parent, [`StoreError::Invalid`] naming every
            /// bad field, [`StoreError::Constraint`] (e.g. a duplicate name), database errors.
            #[allow(unused_variables)]
            pub async fn create(
                store: &Store,
                actor: Option<i32>,
                parent: i32,
                input: &<$res as Resource>::Input,
            ) -> Result<$e::Model, StoreError> {
                input.validate()?;
                let tx = store.write_tx().await?;
                $(
                    $pent::Entity::find_by_id(parent).one(&tx).await?.ok_or(
                        StoreError::NotFound { entity: stringify!($pent), id: parent.to_string() },
                    )?;
                )?
                <$res as Resource>::check_actor(&tx, actor, input, None).await?;
                <$res as Resource>::check(&tx, parent, input, None).await?;
                let row = <$res as Resource>::active(parent, input, None).insert(&tx).await?;
                <$res as Resource>::after(&tx, &row, input).await?;
                audit::record(&tx, actor, Action::Create, $name, row.id, None, Some(&row)).await?;
                tx.commit().await?;
                Ok(row)
            }

            /// Validates and replaces a row, with its audit event (before and after).
            ///
            /// # Errors
            /// As [`create`].
            pub async fn update(
                store: &Store,
                actor: Option<i32>,
                id: i32,
                input: &<$res as Resource>::Input,
            ) -> Result<$e::Model, StoreError> {
                input.validate()?;
                let tx = store.write_tx().await?;
                let before = find(&tx, id).await?;
                let parent = <$res as Resource>::parent_of(&before);
                <$res as Resource>::check_actor(&tx, actor, input, Some(&before)).await?;
                <$res as Resource>::check(&tx, parent, input, Some(&before)).await?;
                let mut am = <$res as Resource>::active(parent, input, Some(&before));
                am.id = Set(id);
                let row = am.update(&tx).await?;
                <$res as Resource>::after(&tx, &row, input).await?;
                audit::record(&tx, actor, Action::Update, $name, id, Some(&before), Some(&row)).await?;
                tx.commit().await?;
                store.scope_cache().clear();
                Ok(row)
            }

            /// Deletes a row, with its audit event; refused while something still refers to it.
            ///
            /// # Errors
            /// [`StoreError::NotFound`], [`StoreError::Conflict`] while referenced, database errors.
            pub async fn delete(store: &Store, actor: Option<i32>, id: i32) -> Result<(), StoreError> {
                let tx = store.write_tx().await?;
                let before = find(&tx, id).await?;
                <$res as Resource>::before_delete(&tx, &before).await?;
                $e::Entity::delete_by_id(id)
                    .exec(&tx)
                    .await
                    .map_err(|e| still_referenced($name, id, e.into()))?;
                audit::record(&tx, actor, Action::Delete, $name, id, Some(&before), None).await?;
                tx.commit().await.map_err(|e| still_referenced($name, id, e.into()))?;
                store.scope_cache().clear();
                Ok(())
            }
        }
    };
}

/// Organizations.
pub struct Organizations;
impl Resource for Organizations {
    type Input = OrganizationInput;
    type Model = organization::Model;
    type Active = organization::ActiveModel;
    fn active(_: i32, i: &OrganizationInput, old: Option<&organization::Model>) -> Self::Active {
        organization::ActiveModel {
            id: NotSet,
            name: Set(i.name.trim().to_owned()),
            parent_id: Set(i.parent_id),
            created_at: Set(old.map_or_else(Utc::now, |o| o.created_at)),
        }
    }
    fn parent_of(_: &organization::Model) -> i32 {
        0
    }
    /// Who may move an organization, and no cycles: see [`crate::org_tree::check_parent`].
    async fn check_actor(
        tx: &DatabaseTransaction,
        actor: Option<i32>,
        i: &OrganizationInput,
        old: Option<&organization::Model>,
    ) -> Result<(), StoreError> {
        crate::org_tree::lock_tree(tx).await?;
        crate::org_tree::check_parent(tx, actor, old, i.parent_id).await
    }
}
crud!(
    /// Organizations (district, city, province).
    organizations, Organizations, organization, "organization"; order Name Id
);

/// Campaigns.
pub struct Campaigns;
impl Resource for Campaigns {
    type Input = CampaignInput;
    type Model = campaign::Model;
    type Active = campaign::ActiveModel;
    fn active(_: i32, i: &CampaignInput, old: Option<&campaign::Model>) -> Self::Active {
        let now = Utc::now();
        campaign::ActiveModel {
            id: NotSet,
            organization_id: Set(i.organization_id),
            year: Set(i.year),
            date: Set(i.date),
            timezone: Set(i.timezone.clone()),
            title: Set(i.title.trim().to_owned()),
            theme: Set(i.theme.trim().to_owned()),
            status: Set(i
                .status
                .map(|s| s.as_str().to_owned())
                .or_else(|| old.map(|o| o.status.clone()))
                .unwrap_or_else(|| "planning".into())),
            created_at: Set(old.map_or(now, |o| o.created_at)),
            updated_at: Set(now),
        }
    }
    fn parent_of(_: &campaign::Model) -> i32 {
        0
    }
    async fn check(
        tx: &DatabaseTransaction,
        _: i32,
        i: &CampaignInput,
        _: Option<&campaign::Model>,
    ) -> Result<(), StoreError> {
        if organization::Entity::find_by_id(i.organization_id).one(tx).await?.is_none() {
            return Err(invalid("organization_id", format!("no organization {}", i.organization_id)));
        }
        Ok(())
    }
    async fn before_delete(tx: &DatabaseTransaction, m: &campaign::Model) -> Result<(), StoreError> {
        let n = log_entry::Entity::find().filter(log_entry::Column::CampaignId.eq(m.id)).count(tx).await?;
        if n > 0 {
            return Err(StoreError::Conflict(format!(
                "campaign {} has {n} log entries; they would be lost, so it cannot be deleted",
                m.id
            )));
        }
        Ok(())
    }
}
crud!(
    /// Campaigns.
    campaigns, Campaigns, campaign, "campaign"; order Date Id
);

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
            kind: Set(i.kind.as_str().to_owned()),
            name: Set(i.name.trim().to_owned()),
            host_unit: Set(i.host_unit.clone()),
            address: Set(i.address.clone()),
            lead_name: Set(i.lead_name.clone()),
            width_m: Set(i.width_m),
            depth_m: Set(i.depth_m),
            opens_at: Set(i.opens_at.clone()),
            closes_at: Set(i.closes_at.clone()),
            position: Set(i.position),
            day_status: Set(old.map_or_else(|| "open".to_owned(), |o| o.day_status.clone())),
            accepted_at: Set(old.and_then(|o| o.accepted_at)),
        }
    }
    fn parent_of(m: &venue::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        _: i32,
        i: &VenueInput,
        old: Option<&venue::Model>,
    ) -> Result<(), StoreError> {
        let Some(old) = old else { return Ok(()) };
        let booths = booth::Entity::find().filter(booth::Column::VenueId.eq(old.id)).all(tx).await?;
        let outside: Vec<String> = booths
            .iter()
            .filter(|b| !rect_of(b).fits_inside(i.width_m, i.depth_m))
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

fn rect_of(b: &booth::Model) -> Rect {
    Rect { x: b.x, y: b.y, w: b.w, h: b.h, rotation_deg: b.rotation_deg }
}

/// Units.
pub struct Units;
impl Resource for Units {
    type Input = UnitInput;
    type Model = unit::Model;
    type Active = unit::ActiveModel;
    fn active(_: i32, i: &UnitInput, old: Option<&unit::Model>) -> Self::Active {
        unit::ActiveModel {
            id: NotSet,
            name: Set(i.name.trim().to_owned()),
            kind: Set(i.kind.as_str().to_owned()),
            contact: Set(i.contact.clone()),
            created_at: Set(old.map_or_else(Utc::now, |o| o.created_at)),
        }
    }
    fn parent_of(_: &unit::Model) -> i32 {
        0
    }
}
crud!(
    /// The directory of units, shared by all campaigns.
    units, Units, unit, "unit"; order Name Id
);

async fn unit_exists(tx: &DatabaseTransaction, id: i32) -> Result<bool, StoreError> {
    Ok(unit::Entity::find_by_id(id).one(tx).await?.is_some())
}

/// Participations.
pub struct Participations;
impl Resource for Participations {
    type Input = ParticipationInput;
    type Model = participation::Model;
    type Active = participation::ActiveModel;
    fn active(parent: i32, i: &ParticipationInput, _: Option<&participation::Model>) -> Self::Active {
        participation::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            unit_id: Set(i.unit_id),
            staffs_booth: Set(i.staffs_booth),
            reconciliation_member: Set(i.reconciliation_member),
            media: Set(i.media),
            sponsor: Set(i.sponsor),
        }
    }
    fn parent_of(m: &participation::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        _: i32,
        i: &ParticipationInput,
        _: Option<&participation::Model>,
    ) -> Result<(), StoreError> {
        if !unit_exists(tx, i.unit_id).await? {
            return Err(invalid("unit_id", format!("no unit {}", i.unit_id)));
        }
        Ok(())
    }
}
crud!(
    /// Units taking part in a campaign.
    participations, Participations, participation, "participation", parent campaign.CampaignId; order Id
);

/// Booths.
pub struct Booths;
impl Resource for Booths {
    type Input = BoothInput;
    type Model = booth::Model;
    type Active = booth::ActiveModel;
    fn active(parent: i32, i: &BoothInput, _: Option<&booth::Model>) -> Self::Active {
        booth::ActiveModel {
            id: NotSet,
            venue_id: Set(parent),
            topic: Set(i.topic.trim().to_owned()),
            kind: Set(i.kind.as_str().to_owned()),
            x: Set(i.x),
            y: Set(i.y),
            w: Set(i.w),
            h: Set(i.h),
            rotation_deg: Set(i.rotation_deg),
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
        let rect = i.rect();
        let mut e = FieldErrors::new();
        if !rect.fits_inside(v.width_m, v.depth_m) {
            e.insert(
                "rect".into(),
                format!("must lie inside the venue's {} x {} m floor plan", v.width_m, v.depth_m),
            );
        }
        let others = booth::Entity::find().filter(booth::Column::VenueId.eq(venue_id)).all(tx).await?;
        if let Some(b) =
            others.iter().find(|b| old.is_none_or(|o| o.id != b.id) && rect_of(b).overlaps(&rect))
        {
            e.insert("rect".into(), format!("overlaps booth {} ({})", b.id, b.topic));
            e.insert("conflicting_booth_id".into(), b.id.to_string());
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
            kind: Set(i.kind.as_str().to_owned()),
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
            unit_label: Set(i.unit_label.trim().to_owned()),
            planned: Set(i.planned),
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
            channel: Set(i.channel.as_str().to_owned()),
            format: Set(i.format.as_str().to_owned()),
            date: Set(i.date),
            headline: Set(i.headline.trim().to_owned()),
            link: Set(i.link.clone()),
            estimated_reach: Set(i.estimated_reach),
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

async fn venues_of_campaign(
    tx: &DatabaseTransaction,
    campaign_id: i32,
    ids: &[i32],
    field: &str,
    e: &mut FieldErrors,
) -> Result<(), StoreError> {
    for v in ids {
        let found = venue::Entity::find_by_id(*v).one(tx).await?;
        if found.is_none_or(|f| f.campaign_id != campaign_id) {
            e.insert(format!("{field}.{v}"), format!("campaign {campaign_id} has no venue {v}"));
        }
    }
    Ok(())
}

/// Officials.
pub struct Officials;
impl Resource for Officials {
    type Input = OfficialInput;
    type Model = official::Model;
    type Active = official::ActiveModel;
    fn active(parent: i32, i: &OfficialInput, _: Option<&official::Model>) -> Self::Active {
        official::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            name: Set(i.name.trim().to_owned()),
            title: Set(i.title.clone()),
            organization: Set(i.organization.clone()),
            venue_id: Set(i.venue_id),
            role: Set(i.role.clone()),
            masked: Set(i.masked),
        }
    }
    fn parent_of(m: &official::Model) -> i32 {
        m.campaign_id
    }
    async fn check(
        tx: &DatabaseTransaction,
        campaign_id: i32,
        i: &OfficialInput,
        _: Option<&official::Model>,
    ) -> Result<(), StoreError> {
        let mut e = FieldErrors::new();
        if let Some(v) = i.venue_id {
            let found = venue::Entity::find_by_id(v).one(tx).await?;
            if found.is_none_or(|f| f.campaign_id != campaign_id) {
                e.insert("venue_id".into(), format!("campaign {campaign_id} has no venue {v}"));
            }
        }
        Ok(ValidationError::check(e)?)
    }
}
crud!(
    /// Officials who attended.
    officials, Officials, official, "official", parent campaign.CampaignId; order Id
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
            status: Set(old.map_or_else(|| DisputeStatus::Received.as_str().to_owned(), |o| o.status.clone())),
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

/// Moves a dispute along its workflow; settling records the money recovered; a final status
/// sets the day it was closed.
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Invalid`] for an illegal move, database errors.
pub async fn move_dispute(
    store: &Store,
    actor: Option<i32>,
    id: i32,
    change: &DisputeStatusChange,
) -> Result<dispute::Model, StoreError> {
    let tx = store.write_tx().await?;
    let before = dispute::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "dispute", id: id.to_string() })?;
    let current: DisputeStatus =
        before.status.parse().map_err(|e: eventday_domain::kinds::UnknownKind| {
            StoreError::Db(sea_orm::DbErr::Type(e.to_string()))
        })?;
    change.validate(current)?;
    ensure_venue_writable(&tx, before.venue_id).await?;
    let mut am: dispute::ActiveModel = before.clone().into();
    am.status = Set(change.status.as_str().to_owned());
    if let Some(a) = change.amount_recovered_fen {
        am.amount_recovered_fen = Set(a);
    }
    if change.status.is_final() {
        am.closed_on = Set(Some(change.closed_on.unwrap_or_else(|| Utc::now().date_naive())));
    }
    am.updated_at = Set(Utc::now());
    let row = am.update(&tx).await?;
    audit::record(&tx, actor, Action::Update, "dispute", id, Some(&before), Some(&row)).await?;
    tx.commit().await?;
    Ok(row)
}

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

/// Narrative sections.
pub struct Narrative;
impl Resource for Narrative {
    type Input = NarrativeInput;
    type Model = narrative_section::Model;
    type Active = narrative_section::ActiveModel;
    fn active(parent: i32, i: &NarrativeInput, _: Option<&narrative_section::Model>) -> Self::Active {
        narrative_section::ActiveModel {
            id: NotSet,
            campaign_id: Set(parent),
            lang: Set(i.lang.as_str().to_owned()),
            key: Set(i.key.trim().to_owned()),
            position: Set(i.position),
            heading: Set(i.heading.trim().to_owned()),
            body: Set(i.body.clone()),
            next_steps: Set(i.next_steps),
            updated_at: Set(Utc::now()),
        }
    }
    fn parent_of(m: &narrative_section::Model) -> i32 {
        m.campaign_id
    }
}
crud!(
    /// The campaign's narrative sections for the report, ordered per language.
    narrative, Narrative, narrative_section, "narrative_section", parent campaign.CampaignId;
    order Lang Position Id
);

/// Sets how much of a material a venue gets (creating or replacing the allocation).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown material, [`StoreError::Invalid`] for a venue of
/// another campaign or a negative quantity, database errors.
pub async fn set_allocation(
    store: &Store,
    actor: Option<i32>,
    material_id: i32,
    venue_id: i32,
    input: &AllocationInput,
) -> Result<material_allocation::Model, StoreError> {
    input.validate()?;
    let tx = store.write_tx().await?;
    let m = material::Entity::find_by_id(material_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "material", id: material_id.to_string() })?;
    let mut e = FieldErrors::new();
    venues_of_campaign(&tx, m.campaign_id, &[venue_id], "venue_id", &mut e).await?;
    ValidationError::check(e)?;
    let before = material_allocation::Entity::find_by_id((material_id, venue_id)).one(&tx).await?;
    let am = material_allocation::ActiveModel {
        material_id: Set(material_id),
        venue_id: Set(venue_id),
        quantity: Set(input.quantity),
    };
    let row = if before.is_some() { am.update(&tx).await? } else { am.insert(&tx).await? };
    let key = format!("{material_id}/{venue_id}");
    let action = if before.is_some() { Action::Update } else { Action::Create };
    audit::record(&tx, actor, action, "material_allocation", key, before.as_ref(), Some(&row)).await?;
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
