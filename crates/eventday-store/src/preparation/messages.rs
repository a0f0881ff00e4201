//! Messages from organizers to venue leads ("rain: move to the indoor plan"), and who has read
//! them. A lead's page reads its venue's messages when it opens and follows new ones live.

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::*;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use eventday_domain::inputs::MessageInput;
use eventday_domain::{FieldErrors, ValidationError};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// A message as a lead sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadMessageView {
    /// Message id (increasing: a page resumes after the last it saw).
    pub id: i32,
    /// The text.
    pub body: String,
    /// When it was sent.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub sent_at: DateTime<Utc>,
    /// When the caller read it, if they have.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub read_at: Option<DateTime<Utc>>,
}

/// Someone read a message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadReceipt {
    /// The reader's venue.
    pub venue_id: i32,
    /// The reader's name (or login).
    pub reader: String,
    /// When.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub read_at: DateTime<Utc>,
}

/// A message with its receipts, as the organizers see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentMessage {
    /// The message.
    pub message: lead_message::Model,
    /// The venues it went to (every venue of the campaign when `all_venues`).
    pub venue_ids: Vec<i32>,
    /// Who has read it.
    pub reads: Vec<ReadReceipt>,
}

/// Sends a message to the leads of `input.venue_ids` (all venues when empty), with its audit
/// event.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, [`StoreError::Invalid`] naming bad fields
/// (a venue of another campaign), database errors.
pub async fn send_message(
    store: &Store,
    actor: Option<i32>,
    campaign_id: i32,
    input: &MessageInput,
) -> Result<lead_message::Model, StoreError> {
    input.validate()?;
    let tx = store.write_tx().await?;
    campaign::Entity::find_by_id(campaign_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let mut e = FieldErrors::new();
    crate::planning::venues_of_campaign(&tx, campaign_id, &input.venue_ids, "venue_ids", &mut e).await?;
    ValidationError::check(e)?;
    let row = lead_message::ActiveModel {
        id: NotSet,
        campaign_id: Set(campaign_id),
        body: Set(input.body.trim().to_owned()),
        all_venues: Set(input.venue_ids.is_empty()),
        sent_by: Set(actor),
        sent_at: Set(Utc::now()),
    }
    .insert(&tx)
    .await?;
    let mut ids = input.venue_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if !ids.is_empty() {
        lead_message_venue::Entity::insert_many(
            ids.into_iter()
                .map(|v| lead_message_venue::ActiveModel { message_id: Set(row.id), venue_id: Set(v) }),
        )
        .exec(&tx)
        .await?;
    }
    audit::record(&tx, actor, Action::Create, "lead_message", row.id, None, Some(&row)).await?;
    tx.commit().await?;
    Ok(row)
}

/// The newest message id of campaign `campaign_id` (0 when none): one cheap query, so that a
/// live stream reads the messages themselves only when there is something new.
///
/// # Errors
/// Database errors.
pub async fn newest_message_id(store: &Store, campaign_id: i32) -> Result<i32, StoreError> {
    let newest: Option<Option<i32>> = lead_message::Entity::find()
        .select_only()
        .column_as(lead_message::Column::Id.max(), "newest")
        .filter(lead_message::Column::CampaignId.eq(campaign_id))
        .into_tuple()
        .one(store.conn())
        .await?;
    Ok(newest.flatten().unwrap_or(0))
}

/// The messages sent to `venue_id`'s leads with an id above `after` (all with 0), oldest
/// first, with when `user_id` read each.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown venue, database errors.
pub async fn venue_messages(
    store: &Store,
    venue_id: i32,
    user_id: Option<i32>,
    after: i32,
) -> Result<Vec<LeadMessageView>, StoreError> {
    let db = store.conn();
    let v = venue::Entity::find_by_id(venue_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?;
    let all = lead_message::Entity::find()
        .filter(lead_message::Column::CampaignId.eq(v.campaign_id))
        .filter(lead_message::Column::Id.gt(after))
        .order_by_asc(lead_message::Column::Id)
        .all(db)
        .await?;
    let targeted: std::collections::HashSet<i32> = lead_message_venue::Entity::find()
        .filter(lead_message_venue::Column::VenueId.eq(venue_id))
        .filter(lead_message_venue::Column::MessageId.gt(after))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.message_id)
        .collect();
    let reads: HashMap<i32, DateTime<Utc>> = match user_id {
        Some(u) => lead_message_read::Entity::find()
            .filter(lead_message_read::Column::UserId.eq(u))
            .filter(lead_message_read::Column::MessageId.gt(after))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.message_id, r.read_at))
            .collect(),
        None => HashMap::new(),
    };
    Ok(all
        .into_iter()
        .filter(|m| m.all_venues || targeted.contains(&m.id))
        .map(|m| LeadMessageView {
            id: m.id,
            body: m.body,
            sent_at: m.sent_at,
            read_at: reads.get(&m.id).copied(),
        })
        .collect())
}

/// Records that `user_id` (a lead of `venue_id`) read message `message_id`; reading twice keeps
/// the first time.
///
/// # Errors
/// [`StoreError::NotFound`] for a message not sent to that venue, database errors.
pub async fn mark_read(
    store: &Store,
    user_id: i32,
    venue_id: i32,
    message_id: i32,
) -> Result<(), StoreError> {
    let tx = store.write_tx().await?;
    let m = lead_message::Entity::find_by_id(message_id).one(&tx).await?;
    let v = venue::Entity::find_by_id(venue_id).one(&tx).await?;
    let sent_here = match (&m, &v) {
        (Some(m), Some(v)) if m.campaign_id == v.campaign_id => {
            m.all_venues
                || lead_message_venue::Entity::find_by_id((message_id, venue_id)).one(&tx).await?.is_some()
        }
        _ => false,
    };
    if !sent_here {
        return Err(StoreError::NotFound { entity: "lead_message", id: message_id.to_string() });
    }
    lead_message_read::Entity::insert(lead_message_read::ActiveModel {
        message_id: Set(message_id),
        user_id: Set(user_id),
        venue_id: Set(venue_id),
        read_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([lead_message_read::Column::MessageId, lead_message_read::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A campaign's messages, newest first, with their read receipts.
///
/// # Errors
/// Database errors.
pub async fn campaign_messages(store: &Store, campaign_id: i32) -> Result<Vec<SentMessage>, StoreError> {
    let db = store.conn();
    let messages = lead_message::Entity::find()
        .filter(lead_message::Column::CampaignId.eq(campaign_id))
        .order_by_desc(lead_message::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = messages.iter().map(|m| m.id).collect();
    let venues: Vec<i32> = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .order_by_asc(venue::Column::Position)
        .order_by_asc(venue::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    let mut targets: HashMap<i32, Vec<i32>> = HashMap::new();
    for r in lead_message_venue::Entity::find()
        .filter(lead_message_venue::Column::MessageId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        targets.entry(r.message_id).or_default().push(r.venue_id);
    }
    let reads = lead_message_read::Entity::find()
        .filter(lead_message_read::Column::MessageId.is_in(ids))
        .order_by_asc(lead_message_read::Column::ReadAt)
        .all(db)
        .await?;
    let users: HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(reads.iter().map(|r| r.user_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, if u.display_name.trim().is_empty() { u.login } else { u.display_name }))
        .collect();
    let mut by_message: HashMap<i32, Vec<ReadReceipt>> = HashMap::new();
    for r in reads {
        by_message.entry(r.message_id).or_default().push(ReadReceipt {
            venue_id: r.venue_id,
            reader: users.get(&r.user_id).cloned().unwrap_or_default(),
            read_at: r.read_at,
        });
    }
    Ok(messages
        .into_iter()
        .map(|m| SentMessage {
            venue_ids: if m.all_venues { venues.clone() } else { targets.remove(&m.id).unwrap_or_default() },
            reads: by_message.remove(&m.id).unwrap_or_default(),
            message: m,
        })
        .collect())
}
