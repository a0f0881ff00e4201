//! Check-ins (签到): a participant signed in at a venue by QR code, on the list, or from a
//! paper sheet afterwards. A resent check-in (same client id) and a second check-in of the same
//! participant are both stored once.

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::*;
use crate::error::StoreError;
use chrono::Utc;
use eventday_domain::inputs::CheckInInput;
use eventday_domain::{FieldErrors, ParticipantKind, ValidationError};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

/// What a check-in did.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckedIn {
    /// Stored now.
    Created(check_in::Model),
    /// Already stored (the same id resent, or the participant already signed in).
    Existing(check_in::Model),
}

impl CheckedIn {
    /// The stored row.
    #[must_use]
    pub fn row(&self) -> &check_in::Model {
        match self {
            CheckedIn::Created(m) | CheckedIn::Existing(m) => m,
        }
    }
}

async fn existing(
    db: &impl sea_orm::ConnectionTrait,
    campaign_id: i32,
    input: &CheckInInput,
) -> Result<Option<check_in::Model>, StoreError> {
    if let Some(m) = check_in::Entity::find_by_id(input.id.to_string()).one(db).await? {
        return Ok(Some(m));
    }
    Ok(check_in::Entity::find()
        .filter(check_in::Column::CampaignId.eq(campaign_id))
        .filter(check_in::Column::ParticipantKey.eq(input.participant_key()))
        .one(db)
        .await?)
}

/// Records a check-in at `venue_id`, with its audit event; idempotent by the client id and by
/// participant (one check-in per participant per campaign).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown venue, [`StoreError::Invalid`] naming bad fields (a
/// unit that does not take part, an official of another campaign), database errors.
pub async fn check_in(
    store: &Store,
    actor: Option<i32>,
    venue_id: i32,
    input: &CheckInInput,
) -> Result<CheckedIn, StoreError> {
    input.validate()?;
    let tx = store.write_tx().await?;
    let v = venue::Entity::find_by_id(venue_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?;
    if let Some(m) = existing(&tx, v.campaign_id, input).await? {
        return Ok(CheckedIn::Existing(m));
    }
    let mut e = FieldErrors::new();
    let (mut name, mut role) = (input.name.trim().to_owned(), input.role.trim().to_owned());
    match input.participant_kind {
        ParticipantKind::Unit => {
            let unit_id = input.unit_id.unwrap_or_default();
            let takes_part = participation::Entity::find()
                .filter(participation::Column::CampaignId.eq(v.campaign_id))
                .filter(participation::Column::UnitId.eq(unit_id))
                .one(&tx)
                .await?
                .is_some();
            match unit::Entity::find_by_id(unit_id).one(&tx).await? {
                Some(u) if takes_part => {
                    if name.is_empty() {
                        name = u.name;
                    }
                }
                _ => {
                    e.insert("unit_id".into(), format!("unit {unit_id} does not take part in this campaign"));
                }
            }
        }
        ParticipantKind::Official => {
            let id = input.official_id.unwrap_or_default();
            match official::Entity::find_by_id(id).one(&tx).await? {
                Some(o) if o.campaign_id == v.campaign_id => {
                    if name.is_empty() {
                        name = o.name;
                    }
                    if role.is_empty() {
                        role = o.title;
                    }
                }
                _ => {
                    e.insert(
                        "official_id".into(),
                        format!("campaign {} has no official {id}", v.campaign_id),
                    );
                }
            }
        }
        ParticipantKind::Staff => {}
    }
    ValidationError::check(e)?;
    let now = Utc::now();
    let row = check_in::ActiveModel {
        id: Set(input.id.to_string()),
        campaign_id: Set(v.campaign_id),
        venue_id: Set(venue_id),
        participant_kind: Set(input.participant_kind),
        unit_id: Set(input.unit_id.filter(|_| input.participant_kind == ParticipantKind::Unit)),
        official_id: Set(input.official_id.filter(|_| input.participant_kind == ParticipantKind::Official)),
        name: Set(name),
        role: Set(role),
        participant_key: Set(input.participant_key()),
        method: Set(input.method),
        checked_in_at: Set(input.checked_in_at.unwrap_or(now)),
        recorded_by: Set(actor),
        created_at: Set(now),
    }
    .insert(&tx)
    .await;
    let row = match row {
        Ok(r) => r,
        // Another device signed the same participant in between: theirs stands.
        Err(err) => {
            let err = StoreError::from(err);
            drop(tx);
            if matches!(err, StoreError::Constraint { .. })
                && let Some(m) = existing(store.conn(), v.campaign_id, input).await?
            {
                return Ok(CheckedIn::Existing(m));
            }
            return Err(err);
        }
    };
    audit::record(&tx, actor, Action::Create, "check_in", &row.id, None, Some(&row)).await?;
    tx.commit().await?;
    Ok(CheckedIn::Created(row))
}

/// Removes a check-in (ticked by mistake), with its audit event.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn undo_check_in(store: &Store, actor: Option<i32>, id: &str) -> Result<(), StoreError> {
    let tx = store.write_tx().await?;
    let before = check_in::Entity::find_by_id(id.to_owned())
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "check_in", id: id.to_owned() })?;
    check_in::Entity::delete_by_id(id.to_owned()).exec(&tx).await?;
    audit::record(&tx, actor, Action::Delete, "check_in", id, Some(&before), None).await?;
    tx.commit().await?;
    Ok(())
}

/// A campaign's check-ins, by time.
///
/// # Errors
/// Database errors.
pub async fn list_check_ins(store: &Store, campaign_id: i32) -> Result<Vec<check_in::Model>, StoreError> {
    Ok(check_in::Entity::find()
        .filter(check_in::Column::CampaignId.eq(campaign_id))
        .order_by_asc(check_in::Column::CheckedInAt)
        .order_by_asc(check_in::Column::Id)
        .all(store.conn())
        .await?)
}
