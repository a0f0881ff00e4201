//! The day's log: idempotent submission by client id, cursor-paginated listing and photos.

mod batch;
pub mod corrections;
pub(crate) mod writer;

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::{activity, booth, campaign, log_entry, log_entry_material, log_photo, material, venue};
use crate::error::StoreError;
use batch::Prepared;
use chrono::{DateTime, Utc};
use eventday_domain::inputs::LogEntryInput;
use eventday_domain::{FieldErrors, ValidationError, photo};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// A stored log entry as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogEntry {
    /// Client-made UUID.
    pub id: String,
    /// Campaign.
    pub campaign_id: i32,
    /// Venue.
    pub venue_id: i32,
    /// Booth, if any.
    pub booth_id: Option<i32>,
    /// Activity, if any.
    pub activity_id: Option<i32>,
    /// When it happened (UTC).
    pub recorded_at: DateTime<Utc>,
    /// Account that sent it, when known.
    pub author_user_id: Option<i32>,
    /// Who wrote it.
    pub author_name: String,
    /// People who came.
    pub visitors: i64,
    /// Consultations answered.
    pub consultations: i64,
    /// Complaints received.
    pub complaints_received: i64,
    /// Complaints settled on site.
    pub complaints_settled: i64,
    /// Money recovered, fen.
    pub money_recovered_fen: i64,
    /// Materials handed out: material id -> quantity.
    pub materials: BTreeMap<i32, i64>,
    /// Note.
    pub note: String,
    /// When the server stored it.
    pub created_at: DateTime<Utc>,
    /// The entry this one corrects (or voids), if it is a correction.
    pub corrects: Option<String>,
    /// Why it was corrected (empty unless a correction).
    pub reason: String,
    /// A void: the corrected entry no longer counts, and neither does this one.
    pub void: bool,
    /// The correction that replaced this entry; such an entry no longer counts (shown struck
    /// through).
    pub superseded_by: Option<String>,
}

/// Whether a submission stored something new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// First time this id was seen: stored now.
    Created,
    /// The identical entry was already stored (a retry); nothing new was written.
    Existing,
}

pub(crate) async fn load(db: &impl ConnectionTrait, row: log_entry::Model) -> Result<LogEntry, StoreError> {
    let materials = log_entry_material::Entity::find()
        .filter(log_entry_material::Column::LogEntryId.eq(row.id.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.material_id, m.quantity))
        .collect();
    Ok(with_materials(row, materials))
}

/// A stored row with its materials handed out (material id -> quantity).
pub(crate) fn with_materials(row: log_entry::Model, materials: BTreeMap<i32, i64>) -> LogEntry {
    LogEntry {
        id: row.id,
        campaign_id: row.campaign_id,
        venue_id: row.venue_id,
        booth_id: row.booth_id,
        activity_id: row.activity_id,
        recorded_at: row.recorded_at,
        author_user_id: row.author_user_id,
        author_name: row.author_name,
        visitors: row.visitors,
        consultations: row.consultations,
        complaints_received: row.complaints_received,
        complaints_settled: row.complaints_settled,
        money_recovered_fen: row.money_recovered_fen,
        materials,
        note: row.note,
        created_at: row.created_at,
        corrects: row.corrects,
        reason: row.reason,
        void: row.void,
        superseded_by: row.superseded_by,
    }
}

/// Finds a venue and its campaign.
pub(crate) async fn venue_and_campaign(
    db: &impl ConnectionTrait,
    venue_id: i32,
) -> Result<(venue::Model, campaign::Model), StoreError> {
    let v = venue::Entity::find_by_id(venue_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?;
    let c = campaign::Entity::find_by_id(v.campaign_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: v.campaign_id.to_string() })?;
    Ok((v, c))
}

/// Stores a log entry sent to `venue_id`, once: the identical entry sent again returns the stored
/// one with [`Outcome::Existing`]; the same id with other content is a [`StoreError::Conflict`].
///
/// Validation (figures, texts, the time within the campaign day in the campaign's zone, booth and
/// activity of this venue, materials of this campaign) happens first, here, so a bad entry never
/// reaches a shared transaction. The write goes through this process's log writer, which commits
/// whatever submissions arrived together in one transaction (group commit) and answers each only
/// after that commit; see [`writer`]. The insert is `ON CONFLICT (id) DO NOTHING`, so
/// concurrent identical retries store one row on both engines: the losers see the winner's row and
/// compare content fingerprints.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown venue, [`StoreError::Invalid`] naming every bad field,
/// [`StoreError::Conflict`] for a reused id, database errors otherwise.
#[tracing::instrument(skip_all, fields(venue_id, entry_id = %input.id))]
pub async fn submit(
    store: &Store,
    venue_id: i32,
    input: LogEntryInput,
    actor: Option<i32>,
) -> Result<(LogEntry, Outcome), StoreError> {
    let prepared = prepare(store, venue_id, input, actor).await?;
    store.log_writer().submit(prepared).await
}

/// Validates a submission against the stored booths, activities and materials. The checks
/// against the venue itself (it still exists, its day is not locked, the time falls within its
/// campaign's day) are made by the log writer for the whole batch in one query, so a valid post
/// costs no read here; a post that is invalid anyway also gets its time checked here, so that the
/// answer names every bad field at once.
async fn prepare(
    store: &Store,
    venue_id: i32,
    input: LogEntryInput,
    actor: Option<i32>,
) -> Result<Prepared, StoreError> {
    let db = store.conn();
    let (corrects, reason, void) = (input.corrects, input.reason.clone(), input.void);
    let entry = input.into_new(i64::from(venue_id));
    let mut errors: FieldErrors = entry
        .validate(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC)
        .err()
        .map(|e| e.fields)
        .unwrap_or_default();
    let correction = eventday_domain::log::Correction::check(corrects, &reason, void, &entry, &mut errors);
    if let Some(b) = entry.booth_id {
        let found = booth::Entity::find_by_id(i32::try_from(b).unwrap_or(-1)).one(db).await?;
        if found.is_none_or(|b| b.venue_id != venue_id) {
            errors.insert("booth_id".into(), format!("venue {venue_id} has no booth {b}"));
        }
    }
    if let Some(a) = entry.activity_id {
        let found = activity::Entity::find_by_id(i32::try_from(a).unwrap_or(-1)).one(db).await?;
        if found.is_none_or(|a| a.venue_id != venue_id) {
            errors.insert("activity_id".into(), format!("venue {venue_id} has no activity {a}"));
        }
    }
    // Too many materials are refused by validate above; not one query for them.
    if !entry.materials.is_empty()
        && entry.materials.len() <= eventday_domain::validate::MAX_MATERIALS_PER_ENTRY
    {
        // The venue's campaign, as the access check just looked it up (cached).
        let campaign = crate::scope::venue_scope_cached(store, venue_id)
            .await?
            .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?
            .campaign_id;
        let ids: Vec<i64> = entry.materials.keys().copied().collect();
        let known: Vec<i64> = material::Entity::find()
            .filter(material::Column::CampaignId.eq(campaign))
            .filter(material::Column::Id.is_in(ids.iter().filter_map(|i| i32::try_from(*i).ok())))
            .all(db)
            .await?
            .into_iter()
            .map(|m| i64::from(m.id))
            .collect();
        for id in ids.iter().filter(|i| !known.contains(i)) {
            errors.insert(format!("materials.{id}"), "no such material in this campaign".into());
        }
    }
    if !errors.is_empty() {
        let day = batch::venue_days(db, &[venue_id])
            .await?
            .remove(&venue_id)
            .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?;
        if let Err(e) = day.check_time(entry.recorded_at) {
            errors.insert("recorded_at".into(), e);
        }
    }
    ValidationError::check(errors)?;
    Ok(Prepared { entry, venue_id, actor, correction })
}

/// One log entry.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn get(store: &Store, id: &str) -> Result<LogEntry, StoreError> {
    let row = log_entry::Entity::find_by_id(id.to_owned())
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "log entry", id: id.chars().take(64).collect() })?;
    load(store.conn(), row).await
}

/// The largest page of log entries.
pub const MAX_PAGE: u64 = 500;

/// Which log entries to list.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// One venue, or every venue of the campaign.
    pub venue_id: Option<i32>,
    /// The campaign (when listing a whole campaign).
    pub campaign_id: Option<i32>,
    /// Only entries recorded at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Continue after this position (from the previous page's `next_cursor`).
    pub after: Option<Cursor>,
    /// Page size (1..=500).
    pub limit: u64,
}

/// A position in the newest-first order: `(recorded_at, id)` of the last entry seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    recorded_at: DateTime<Utc>,
    id: String,
}

impl Cursor {
    /// The opaque text form handed to clients.
    #[must_use]
    pub fn encode(&self) -> String {
        format!("{}:{}", self.recorded_at.timestamp_micros(), self.id)
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Reads a cursor made by [`Cursor::encode`]; `None` for anything else.
    #[must_use]
    pub fn decode(s: &str) -> Option<Self> {
        if !s.len().is_multiple_of(2) || s.len() > 256 {
            return None;
        }
        let bytes: Option<Vec<u8>> =
            (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect();
        let text = String::from_utf8(bytes?).ok()?;
        let (micros, id) = text.split_once(':')?;
        let recorded_at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
        Some(Self { recorded_at, id: id.to_owned() })
    }
}

/// A page of log entries, newest first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogPage {
    /// The entries.
    pub entries: Vec<LogEntry>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Lists log entries newest first (by `recorded_at`, then id), a page at a time.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown venue or campaign, database errors.
pub async fn list(store: &Store, f: LogFilter) -> Result<LogPage, StoreError> {
    let db = store.conn();
    let mut q = log_entry::Entity::find();
    if let Some(v) = f.venue_id {
        venue_and_campaign(db, v).await?;
        q = q.filter(log_entry::Column::VenueId.eq(v));
    }
    if let Some(c) = f.campaign_id {
        campaign::Entity::find_by_id(c)
            .one(db)
            .await?
            .ok_or(StoreError::NotFound { entity: "campaign", id: c.to_string() })?;
        q = q.filter(log_entry::Column::CampaignId.eq(c));
    }
    if let Some(s) = f.since {
        q = q.filter(log_entry::Column::RecordedAt.gte(s));
    }
    if let Some(cur) = &f.after {
        q = q.filter(
            Condition::any().add(log_entry::Column::RecordedAt.lt(cur.recorded_at)).add(
                Condition::all()
                    .add(log_entry::Column::RecordedAt.eq(cur.recorded_at))
                    .add(log_entry::Column::Id.lt(cur.id.clone())),
            ),
        );
    }
    let limit = f.limit.clamp(1, MAX_PAGE);
    let mut rows = q
        .order_by_desc(log_entry::Column::RecordedAt)
        .order_by_desc(log_entry::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|r| Cursor { recorded_at: r.recorded_at, id: r.id.clone() }.encode())
    } else {
        None
    };
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut materials: BTreeMap<String, BTreeMap<i32, i64>> = BTreeMap::new();
    for m in log_entry_material::Entity::find()
        .filter(log_entry_material::Column::LogEntryId.is_in(ids))
        .all(db)
        .await?
    {
        materials.entry(m.log_entry_id).or_default().insert(m.material_id, m.quantity);
    }
    let entries = rows
        .into_iter()
        .map(|r| {
            let m = materials.remove(&r.id).unwrap_or_default();
            with_materials(r, m)
        })
        .collect();
    Ok(LogPage { entries, next_cursor })
}

/// Why a photo was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoRejection {
    /// Bigger than [`photo::MAX_PHOTO_BYTES`].
    #[error("a photo may be at most {} bytes", photo::MAX_PHOTO_BYTES)]
    TooLarge,
    /// Not JPEG, PNG or WebP by its bytes.
    #[error("only JPEG, PNG and WebP photos are accepted (judged by content)")]
    NotAnImage,
}

/// Checks an uploaded photo as every photo route does (log entries, complaint cases): at most
/// [`photo::MAX_PHOTO_BYTES`], and a JPEG, PNG or WebP by its bytes. Answers the content type
/// judged by the bytes.
///
/// # Errors
/// Why the photo is refused.
pub fn judge_photo(bytes: &[u8]) -> Result<&'static str, PhotoRejection> {
    if bytes.len() > photo::MAX_PHOTO_BYTES {
        return Err(PhotoRejection::TooLarge);
    }
    photo::sniff_image(bytes).ok_or(PhotoRejection::NotAnImage)
}

/// Attaches a photo to a log entry, stored in the database so every server instance serves it.
///
/// # Errors
/// `Ok(Err(_))` for a refused photo; [`StoreError::NotFound`] for an unknown entry; database errors.
pub async fn add_photo(
    store: &Store,
    entry_id: &str,
    bytes: Vec<u8>,
    actor: Option<i32>,
) -> Result<Result<log_photo::Model, PhotoRejection>, StoreError> {
    add_photo_taken(store, entry_id, bytes, None, actor).await
}

/// [`add_photo`] with the time the photo was taken, as the phone tells it.
///
/// # Errors
/// As [`add_photo`].
pub async fn add_photo_taken(
    store: &Store,
    entry_id: &str,
    bytes: Vec<u8>,
    taken_at: Option<DateTime<Utc>>,
    actor: Option<i32>,
) -> Result<Result<log_photo::Model, PhotoRejection>, StoreError> {
    let tx = store.write_tx().await?;
    let row = match insert_photo(&tx, entry_id, bytes, taken_at, actor).await? {
        Ok(row) => row,
        Err(r) => return Ok(Err(r)),
    };
    tx.commit().await?;
    Ok(Ok(row))
}

/// [`add_photo_taken`] inside `tx` (the demo loader attaches its photos in its one
/// transaction): checks the bytes and the venue's day, writes, and records the audit event.
///
/// # Errors
/// As [`add_photo`].
pub(crate) async fn insert_photo(
    tx: &impl ConnectionTrait,
    entry_id: &str,
    bytes: Vec<u8>,
    taken_at: Option<DateTime<Utc>>,
    actor: Option<i32>,
) -> Result<Result<log_photo::Model, PhotoRejection>, StoreError> {
    let content_type = match judge_photo(&bytes) {
        Ok(t) => t,
        Err(r) => return Ok(Err(r)),
    };
    let entry = log_entry::Entity::find_by_id(entry_id.to_owned())
        .one(tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "log entry", id: entry_id.chars().take(64).collect() })?;
    crate::scope::ensure_venue_writable(tx, entry.venue_id).await?;
    let row = log_photo::ActiveModel {
        id: NotSet,
        log_entry_id: Set(entry_id.to_owned()),
        content_type: Set(content_type.to_owned()),
        size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(photo::sha256_hex(&bytes)),
        bytes: Set(bytes),
        created_at: Set(Utc::now()),
        taken_at: Set(taken_at),
        caption: Set(String::new()),
        starred: Set(false),
    }
    .insert(tx)
    .await?;
    audit::record(tx, actor, Action::Create, "log_photo", row.id, None, Some(&row)).await?;
    Ok(Ok(row))
}

/// Photos of a log entry (without their bytes), oldest first.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown entry, database errors.
pub async fn list_photos(store: &Store, entry_id: &str) -> Result<Vec<log_photo::Model>, StoreError> {
    let db = store.conn();
    log_entry::Entity::find_by_id(entry_id.to_owned())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "log entry", id: entry_id.chars().take(64).collect() })?;
    let mut rows = log_photo::Entity::find()
        .select_only()
        .columns([
            log_photo::Column::Id,
            log_photo::Column::LogEntryId,
            log_photo::Column::ContentType,
            log_photo::Column::SizeBytes,
            log_photo::Column::Sha256,
            log_photo::Column::CreatedAt,
            log_photo::Column::TakenAt,
            log_photo::Column::Caption,
            log_photo::Column::Starred,
        ])
        .expr_as(Expr::val(Vec::<u8>::new()), "bytes")
        .filter(log_photo::Column::LogEntryId.eq(entry_id))
        .order_by_asc(log_photo::Column::Id)
        .into_model::<log_photo::Model>()
        .all(db)
        .await?;
    rows.iter_mut().for_each(|r| r.bytes.clear());
    Ok(rows)
}

/// One photo with its bytes.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn get_photo(store: &Store, id: i64) -> Result<log_photo::Model, StoreError> {
    log_photo::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "photo", id: id.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = Cursor {
            recorded_at: DateTime::from_timestamp_micros(1_363_312_800_123_456).unwrap_or_default(),
            id: "abc".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("zz"), None);
        assert_eq!(Cursor::decode("123"), None);
        assert_eq!(Cursor::decode(""), None);
    }
}
