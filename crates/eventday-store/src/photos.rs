//! The day's photos across a campaign: listed by venue and time for the photos page and the ZIP
//! download, curated (a caption of their own and a star "for the report") through one write
//! function, and the starred ones read for the report's 活动剪影 section.
//!
//! Photos of corrected or voided log entries are still shown and downloaded: a correction fixes
//! figures, not what the camera saw. Pages and the archive's index say which entry state a photo
//! comes from, and the report leaves out photos of voided entries (a void says the entry should
//! not have been there at all) but keeps those of corrected ones.

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::log_photo;
use crate::error::StoreError;
use crate::sql::statement;
use chrono::{DateTime, Utc};
use eventday_domain::ValidationError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};

/// The longest caption, in characters.
pub const MAX_CAPTION_CHARS: usize = 200;

/// Where the log entry a photo hangs on stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// The entry counts in the totals.
    Counted,
    /// A correction replaced the entry's figures (the photo still shows what happened).
    Corrected,
    /// The entry was voided, or is itself a void.
    Voided,
}

/// A photo as the photos page and the archive list it (no bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoItem {
    /// Photo id.
    pub id: i64,
    /// The log entry it belongs to.
    pub entry_id: String,
    /// The entry's venue.
    pub venue_id: i32,
    /// The venue's name.
    pub venue: String,
    /// When the entry was recorded (UTC).
    pub recorded_at: DateTime<Utc>,
    /// When the photo was taken, as the phone said.
    pub taken_at: Option<DateTime<Utc>>,
    /// Who wrote the entry.
    pub author: String,
    /// The entry's note.
    pub note: String,
    /// The photo's own caption (empty: none).
    pub caption: String,
    /// Marked for the report.
    pub starred: bool,
    /// JPEG, PNG or WebP (judged by the bytes at upload).
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// The entry's state.
    pub entry_state: EntryState,
}

impl PhotoItem {
    /// When the photo was taken, else when its entry was recorded.
    #[must_use]
    pub fn time(&self) -> DateTime<Utc> {
        self.taken_at.unwrap_or(self.recorded_at)
    }

    /// What the photo is about: its caption, else its entry's note.
    #[must_use]
    pub fn shown_caption(&self) -> &str {
        let c = self.caption.trim();
        if c.is_empty() { self.note.trim() } else { c }
    }
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    entry_id: String,
    venue_id: i32,
    venue: String,
    recorded_at: DateTime<Utc>,
    taken_at: Option<DateTime<Utc>>,
    author: String,
    note: String,
    caption: String,
    starred: bool,
    content_type: String,
    size_bytes: i64,
    superseded: bool,
    void: bool,
}

/// The columns every listing reads (never the bytes).
const SELECT: &str = "SELECT p.id AS id, e.id AS entry_id, e.venue_id AS venue_id, v.name AS venue, \
     e.recorded_at AS recorded_at, p.taken_at AS taken_at, e.author_name AS author, e.note AS note, \
     p.caption AS caption, p.starred AS starred, p.content_type AS content_type, \
     p.size_bytes AS size_bytes, (e.superseded_by IS NOT NULL) AS superseded, e.void AS void \
     FROM log_photos p JOIN log_entries e ON e.id = p.log_entry_id JOIN venues v ON v.id = e.venue_id";

impl From<Row> for PhotoItem {
    fn from(r: Row) -> Self {
        let entry_state = if r.void {
            EntryState::Voided
        } else if r.superseded {
            EntryState::Corrected
        } else {
            EntryState::Counted
        };
        PhotoItem {
            id: r.id,
            entry_id: r.entry_id,
            venue_id: r.venue_id,
            venue: r.venue,
            recorded_at: r.recorded_at,
            taken_at: r.taken_at,
            author: r.author,
            note: r.note,
            caption: r.caption,
            starred: r.starred,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            entry_state,
        }
    }
}

/// A void corrects an entry by taking it out; the corrected entry is marked superseded and the
/// void itself carries `void`. An entry superseded by a void is voided too.
async fn voided_by_void(db: &impl ConnectionTrait, items: &mut [PhotoItem]) -> Result<(), StoreError> {
    #[derive(FromQueryResult)]
    struct Hit {
        id: String,
    }
    let corrected: Vec<String> =
        items.iter().filter(|p| p.entry_state == EntryState::Corrected).map(|p| p.entry_id.clone()).collect();
    if corrected.is_empty() {
        return Ok(());
    }
    let mut voided = std::collections::BTreeSet::new();
    for chunk in corrected.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!("SELECT corrects AS id FROM log_entries WHERE void = ? AND corrects IN ({marks})");
        let mut values: Vec<sea_orm::Value> = vec![true.into()];
        values.extend(chunk.iter().map(|c| c.clone().into()));
        for h in Hit::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await? {
            voided.insert(h.id);
        }
    }
    for p in items.iter_mut().filter(|p| voided.contains(&p.entry_id)) {
        p.entry_state = EntryState::Voided;
    }
    Ok(())
}

/// Which photos of a campaign to list.
#[derive(Debug, Clone, Default)]
pub struct PhotoFilter {
    /// Only these venues (a lead's); `None`: every venue.
    pub venues: Option<Vec<i32>>,
    /// Only starred photos.
    pub starred_only: bool,
}

/// A campaign's photos (without bytes) in the order of its venues, then by time.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, database errors.
pub async fn list(store: &Store, campaign_id: i32, f: &PhotoFilter) -> Result<Vec<PhotoItem>, StoreError> {
    list_on(store.conn(), campaign_id, f).await
}

async fn list_on(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    f: &PhotoFilter,
) -> Result<Vec<PhotoItem>, StoreError> {
    crate::entities::campaign::Entity::find_by_id(campaign_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let mut sql = format!("{SELECT} WHERE e.campaign_id = ?");
    let mut values: Vec<sea_orm::Value> = vec![campaign_id.into()];
    if f.starred_only {
        sql.push_str(" AND p.starred = ?");
        values.push(true.into());
    }
    if let Some(vs) = &f.venues {
        if vs.is_empty() {
            return Ok(Vec::new());
        }
        sql.push_str(&format!(" AND e.venue_id IN ({})", vec!["?"; vs.len()].join(", ")));
        values.extend(vs.iter().map(|v| (*v).into()));
    }
    sql.push_str(" ORDER BY v.position, v.id, e.recorded_at, p.id");
    let rows = Row::find_by_statement(statement(db.get_database_backend(), &sql, values)).all(db).await?;
    let mut items: Vec<PhotoItem> = rows.into_iter().map(PhotoItem::from).collect();
    voided_by_void(db, &mut items).await?;
    Ok(items)
}

/// One photo as listed.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn item(store: &Store, photo_id: i64) -> Result<PhotoItem, StoreError> {
    let db = store.conn();
    let sql = format!("{SELECT} WHERE p.id = ?");
    let row = Row::find_by_statement(statement(db.get_database_backend(), &sql, vec![photo_id.into()]))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "photo", id: photo_id.to_string() })?;
    let mut items = vec![PhotoItem::from(row)];
    voided_by_void(db, &mut items).await?;
    items.pop().ok_or(StoreError::NotFound { entity: "photo", id: photo_id.to_string() })
}

/// A change to a photo's curation; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PhotoChange {
    /// Marked for the report.
    pub starred: Option<bool>,
    /// The photo's own caption (at most 200 characters; empty removes it).
    pub caption: Option<String>,
}

/// What the audit trail records of a photo (never its bytes).
#[derive(Serialize)]
struct Audited<'a> {
    caption: &'a str,
    starred: bool,
}

/// Changes a photo's caption or star inside `tx`: the one write function of a photo's curation
/// (the API, the photos page and the demo loader all call it). Validates, writes, and records an
/// audit event with the state before and after. A campaign whose submission the parent accepted
/// keeps its photos as submitted; a venue whose day was accepted may still have its photos
/// curated (the figures are locked, not the choice of pictures for the report).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown photo, [`StoreError::Invalid`] naming `caption` for a
/// caption that is too long or holds control characters, [`StoreError::SubmissionLocked`],
/// database errors.
pub async fn curate_in(
    tx: &impl ConnectionTrait,
    photo_id: i64,
    change: &PhotoChange,
    actor: Option<i32>,
) -> Result<(), StoreError> {
    let caption = change.caption.as_deref().map(str::trim);
    if let Some(c) = caption {
        if c.chars().count() > MAX_CAPTION_CHARS {
            return Err(ValidationError::field(
                "caption",
                format!("must be at most {MAX_CAPTION_CHARS} characters"),
            )
            .into());
        }
        if c.chars().any(char::is_control) {
            return Err(ValidationError::field("caption", "must not contain control characters").into());
        }
    }
    // The row without its bytes: they never change here.
    let found: Option<(String, String, bool)> = log_photo::Entity::find_by_id(photo_id)
        .select_only()
        .column(log_photo::Column::LogEntryId)
        .column(log_photo::Column::Caption)
        .column(log_photo::Column::Starred)
        .into_tuple()
        .one(tx)
        .await?;
    let Some((entry_id, old_caption, old_starred)) = found else {
        return Err(StoreError::NotFound { entity: "photo", id: photo_id.to_string() });
    };
    let campaign: Option<i32> = crate::entities::log_entry::Entity::find_by_id(entry_id)
        .select_only()
        .column(crate::entities::log_entry::Column::CampaignId)
        .into_tuple()
        .one(tx)
        .await?;
    if let Some(c) = campaign {
        crate::submission_lock::ensure_campaign_writable(tx, c).await?;
    }
    let new_caption = caption.map_or(old_caption.clone(), str::to_owned);
    let new_starred = change.starred.unwrap_or(old_starred);
    if new_caption == old_caption && new_starred == old_starred {
        return Ok(());
    }
    log_photo::Entity::update_many()
        .col_expr(log_photo::Column::Caption, sea_orm::sea_query::Expr::val(new_caption.clone()))
        .col_expr(log_photo::Column::Starred, sea_orm::sea_query::Expr::val(new_starred))
        .filter(log_photo::Column::Id.eq(photo_id))
        .exec(tx)
        .await?;
    let before = Audited { caption: &old_caption, starred: old_starred };
    let after = Audited { caption: &new_caption, starred: new_starred };
    audit::record(tx, actor, Action::Update, "log_photo", photo_id, Some(&before), Some(&after)).await
}

/// [`curate_in`] in a transaction of its own; returns the photo as listed afterwards.
///
/// # Errors
/// As [`curate_in`].
#[tracing::instrument(skip_all, fields(photo_id))]
pub async fn curate(
    store: &Store,
    photo_id: i64,
    change: &PhotoChange,
    actor: Option<i32>,
) -> Result<PhotoItem, StoreError> {
    let tx = store.write_tx().await?;
    curate_in(&tx, photo_id, change, actor).await?;
    tx.commit().await?;
    item(store, photo_id).await
}

/// The bytes of one photo.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn bytes(store: &Store, photo_id: i64) -> Result<Vec<u8>, StoreError> {
    let b: Option<Vec<u8>> = log_photo::Entity::find_by_id(photo_id)
        .select_only()
        .column(log_photo::Column::Bytes)
        .into_tuple()
        .one(store.conn())
        .await?;
    b.ok_or(StoreError::NotFound { entity: "photo", id: photo_id.to_string() })
}

/// What serving a photo's thumbnail needs: the photo's checksum and type, and its thumbnail as
/// stored (see [`thumb`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThumbLookup {
    /// The photo's SHA-256 (lowercase hex), for the thumbnail's ETag.
    pub sha256: String,
    /// The photo's content type (served with the original when no thumbnail could be made).
    pub content_type: String,
    /// `None`: not made yet; `Some(None)`: the photo could not be decoded, the original stands
    /// for it; `Some(Some(jpeg))`: the thumbnail.
    pub thumb: Option<Option<Vec<u8>>>,
}

/// A photo's thumbnail as stored, without reading the photo's own bytes.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown photo, database errors.
pub async fn thumb(store: &Store, photo_id: i64) -> Result<ThumbLookup, StoreError> {
    #[derive(FromQueryResult)]
    struct Found {
        sha256: String,
        content_type: String,
        made: bool,
        bytes: Option<Vec<u8>>,
    }
    let db = store.conn();
    let sql = "SELECT p.sha256 AS sha256, p.content_type AS content_type, \
         (t.photo_id IS NOT NULL) AS made, t.bytes AS bytes \
         FROM log_photos p LEFT JOIN photo_thumbs t ON t.photo_id = p.id WHERE p.id = ?";
    let found = Found::find_by_statement(statement(db.get_database_backend(), sql, vec![photo_id.into()]))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "photo", id: photo_id.to_string() })?;
    Ok(ThumbLookup {
        sha256: found.sha256,
        content_type: found.content_type,
        thumb: found.made.then_some(found.bytes),
    })
}

/// A thumbnail made of a photo: JPEG bytes and their size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewThumb {
    /// The JPEG.
    pub bytes: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Keeps a photo's thumbnail (`None`: the photo could not be decoded, so that it is not tried
/// again on every request). The first one stored stays: two servers making the same thumbnail
/// at once store it once.
///
/// # Errors
/// Database errors (an unknown or deleted photo among them: the row refers to it).
pub async fn save_thumb(store: &Store, photo_id: i64, made: Option<&NewThumb>) -> Result<(), StoreError> {
    let db = store.conn();
    let sql = "INSERT INTO photo_thumbs (photo_id, width, height, bytes, created_at) \
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (photo_id) DO NOTHING";
    let size = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let values: Vec<sea_orm::Value> = vec![
        photo_id.into(),
        made.map_or(0, |t| size(t.width)).into(),
        made.map_or(0, |t| size(t.height)).into(),
        sea_orm::Value::Bytes(made.map(|t| t.bytes.clone())),
        Utc::now().into(),
    ];
    db.execute_raw(statement(db.get_database_backend(), sql, values)).await?;
    Ok(())
}
