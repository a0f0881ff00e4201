//! One group-commit transaction: checks the batch's venues, inserts the new entries with their
//! materials and audit events in multi-row statements, and answers each submission (created,
//! an identical retry of a stored entry, or a conflict). See [`super::writer`] for the queue.

use super::{LogEntry, Outcome};
use crate::entities::{audit_event, log_entry, log_entry_material};
use crate::error::StoreError;
use crate::live::{self, LiveEntry};
use crate::{Backend, Store};
use chrono::{DateTime, Utc};
use eventday_domain::log::{Correction, NewLogEntry};
use sea_orm::sea_query::{Alias, OnConflict, Query};
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, EntityTrait, Set, Value};
use std::collections::{HashMap, HashSet};

/// A validated submission, ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// The entry (id, venue, figures, materials ...).
    pub entry: NewLogEntry,
    /// Its venue.
    pub venue_id: i32,
    /// Who sent it.
    pub actor: Option<i32>,
    /// What it corrects, if it is a correction.
    pub correction: Option<Correction>,
}

impl Prepared {
    /// The fingerprint that tells a retry (same) from a reused id (different).
    pub(crate) fn content_hash(&self) -> String {
        let own = self.entry.content_hash();
        match &self.correction {
            Some(c) => c.content_hash(&own),
            None => own,
        }
    }
}

/// What the writer checks about a venue before taking its entries: it exists, its day is not
/// locked, and an entry's time falls within its campaign's day (in the campaign's zone).
#[derive(Debug, Clone)]
pub(crate) struct VenueDay {
    pub campaign_id: i32,
    pub name: String,
    pub locked: bool,
    /// The campaign's submission was accepted by its parent (figures locked).
    pub submission_locked: bool,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl VenueDay {
    /// `Err` with the field message when `at` is outside the campaign day.
    pub(crate) fn check_time(&self, at: DateTime<Utc>) -> Result<(), String> {
        if at < self.start || at >= self.end {
            return Err("must be within the campaign day".into());
        }
        Ok(())
    }
}

/// The venues of `ids` that exist, with their campaign day, in one query.
pub(crate) async fn venue_days(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, VenueDay>, StoreError> {
    #[derive(sea_orm::FromQueryResult)]
    struct Row {
        id: i32,
        name: String,
        day_status: String,
        campaign_id: i32,
        timezone: String,
        date: chrono::NaiveDate,
        submission_locked: i64,
    }
    let mut out = HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT v.id AS id, v.name AS name, v.day_status AS day_status, c.id AS campaign_id, \
         c.timezone AS timezone, c.date AS date, \
         CAST((SELECT COUNT(*) FROM submissions s WHERE s.campaign_id = c.id AND s.status = 'accepted') AS BIGINT) \
           AS submission_locked \
         FROM venues v JOIN campaigns c ON c.id = v.campaign_id WHERE v.id IN ({marks})"
    );
    let values = ids.iter().map(|&i| i.into()).collect();
    use sea_orm::FromQueryResult;
    let rows = Row::find_by_statement(crate::sql::statement(db.get_database_backend(), &sql, values))
        .all(db)
        .await?;
    for r in rows {
        let bad = |m: String| StoreError::Db(sea_orm::DbErr::Type(m));
        let zone = eventday_domain::time::parse_zone(&r.timezone).map_err(bad)?;
        let (start, end) = eventday_domain::time::day_bounds(r.date, zone).map_err(bad)?;
        let locked = r.day_status == eventday_domain::DayStatus::Accepted.as_str();
        out.insert(
            r.id,
            VenueDay {
                campaign_id: r.campaign_id,
                name: r.name,
                locked,
                submission_locked: r.submission_locked > 0,
                start,
                end,
            },
        );
    }
    Ok(out)
}

pub(super) type Answer = Result<(LogEntry, Outcome), StoreError>;

fn log_entry_of(p: &Prepared, campaign_id: i32, now: DateTime<Utc>) -> LogEntry {
    let e = &p.entry;
    LogEntry {
        id: e.id.to_string(),
        campaign_id,
        venue_id: p.venue_id,
        booth_id: e.booth_id.and_then(|b| i32::try_from(b).ok()),
        activity_id: e.activity_id.and_then(|a| i32::try_from(a).ok()),
        recorded_at: e.recorded_at,
        author_user_id: p.actor,
        author_name: e.author_name.clone(),
        visitors: e.figures.visitors,
        consultations: e.figures.consultations,
        complaints_received: e.figures.complaints_received,
        complaints_settled: e.figures.complaints_settled,
        money_recovered_fen: e.figures.money_recovered_fen,
        materials: e.materials.iter().filter_map(|(m, q)| Some((i32::try_from(*m).ok()?, *q))).collect(),
        note: e.note.clone(),
        created_at: now,
        corrects: p.correction.as_ref().map(|c| c.corrects.to_string()),
        reason: p.correction.as_ref().map(|c| c.reason.clone()).unwrap_or_default(),
        void: p.correction.as_ref().is_some_and(|c| c.void),
        superseded_by: None,
    }
}

/// One transaction for `items` (ids distinct). Returns each item's answer and the entries to
/// publish; an `Err` means the transaction rolled back and nothing was written.
pub(super) async fn write(
    store: &Store,
    items: &[&Prepared],
) -> Result<(Vec<Answer>, Vec<LiveEntry>), StoreError> {
    let now = live::truncate_micros(Utc::now());
    let tx = store.log_write_tx().await?;
    let (open, mut refused) = sort_out(&tx, items).await?;
    let campaign_of: HashMap<uuid::Uuid, i32> = open.iter().map(|(p, c)| (p.entry.id, *c)).collect();
    let claimed = insert_entries(&tx, &open, now).await?;

    // Ids that were already stored: a retry (same fingerprint) or a conflict.
    let others: Vec<String> =
        items.iter().map(|p| p.entry.id.to_string()).filter(|id| !claimed.contains(id)).collect();
    let mut stored: HashMap<String, log_entry::Model> = HashMap::new();
    if !others.is_empty() {
        use sea_orm::{ColumnTrait, QueryFilter};
        for row in log_entry::Entity::find().filter(log_entry::Column::Id.is_in(others)).all(&tx).await? {
            stored.insert(row.id.clone(), row);
        }
    }

    let created: Vec<(&Prepared, i32)> =
        open.iter().copied().filter(|(p, _)| claimed.contains(&p.entry.id.to_string())).collect();
    insert_materials_and_audit(&tx, &created, now).await?;
    super::corrections::apply(&tx, &created.iter().map(|&(p, _)| p).collect::<Vec<_>>(), now).await?;
    let published: Vec<LiveEntry> =
        created.iter().map(|&(p, campaign_id)| LiveEntry::from_new(campaign_id, &p.entry, now)).collect();
    let notified = live::notify_in_tx(&tx, &published).await?;

    let mut answers = Vec::with_capacity(items.len());
    for p in items {
        let id = p.entry.id.to_string();
        if let Some(&campaign_id) = campaign_of.get(&p.entry.id).filter(|_| claimed.contains(&id)) {
            answers.push(Ok((log_entry_of(p, campaign_id, now), Outcome::Created)));
        } else {
            answers.push(match stored.remove(&id) {
                Some(row) if row.content_hash == p.content_hash() => {
                    super::load(&tx, row).await.map(|e| (e, Outcome::Existing))
                }
                Some(_) => Err(StoreError::Conflict(format!(
                    "log entry {id} already exists with different content; send a new id for a new entry"
                ))),
                None => Err(refused.remove(&p.entry.id).unwrap_or_else(|| {
                    StoreError::Conflict(format!("log entry {id} is being written; retry"))
                })),
            });
        }
    }
    tx.commit().await?;
    Ok((answers, if notified || store.backend() == Backend::Postgres { Vec::new() } else { published }))
}

/// The items that may be written, each with its campaign, and why each other one is refused.
///
/// A venue whose day an organizer accepted takes no new entries, nor does a venue deleted since
/// the post was checked, nor a time outside the campaign day; a retry of an entry stored before
/// still gets its answer (the caller checks the refused ids with the other already-stored ones).
async fn sort_out<'a>(
    tx: &impl ConnectionTrait,
    items: &[&'a Prepared],
) -> Result<(Vec<(&'a Prepared, i32)>, HashMap<uuid::Uuid, StoreError>), StoreError> {
    let venue_ids: Vec<i32> =
        items.iter().map(|p| p.venue_id).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let days = venue_days(tx, &venue_ids).await?;
    let verdict = |p: &Prepared| -> Result<i32, StoreError> {
        match days.get(&p.venue_id) {
            None => Err(StoreError::NotFound { entity: "venue", id: p.venue_id.to_string() }),
            Some(d) if d.locked => {
                Err(StoreError::VenueLocked { venue_id: p.venue_id, name: d.name.clone() })
            }
            Some(d) if d.submission_locked => {
                Err(StoreError::SubmissionLocked { campaign_id: d.campaign_id })
            }
            Some(d) => d.check_time(p.entry.recorded_at).map(|()| d.campaign_id).map_err(|m| {
                let mut f = eventday_domain::FieldErrors::new();
                f.insert("recorded_at".into(), m);
                StoreError::Invalid(eventday_domain::ValidationError { fields: f })
            }),
        }
    };
    let mut refused = super::corrections::refusals(tx, items).await?;
    let mut open = Vec::with_capacity(items.len());
    for p in items.iter().copied() {
        if refused.contains_key(&p.entry.id) {
            // A retry of a stored entry still gets its answer (see `write`).
            continue;
        }
        match verdict(p) {
            Ok(campaign_id) => open.push((p, campaign_id)),
            Err(e) => {
                refused.insert(p.entry.id, e);
            }
        }
    }
    Ok((open, refused))
}

/// Inserts the entries in one statement, `ON CONFLICT (id) DO NOTHING RETURNING id`; returns the
/// ids it inserted.
async fn insert_entries(
    tx: &impl ConnectionTrait,
    open: &[(&Prepared, i32)],
    now: DateTime<Utc>,
) -> Result<HashSet<String>, StoreError> {
    if open.is_empty() {
        return Ok(HashSet::new());
    }
    let mut insert = Query::insert();
    insert.into_table(Alias::new("log_entries")).columns(
        [
            "id",
            "campaign_id",
            "venue_id",
            "booth_id",
            "activity_id",
            "recorded_at",
            "author_user_id",
            "author_name",
            "visitors",
            "consultations",
            "complaints_received",
            "complaints_settled",
            "money_recovered_fen",
            "note",
            "content_hash",
            "created_at",
            "corrects",
            "reason",
            "void",
        ]
        .map(Alias::new),
    );
    for (p, campaign_id) in open {
        let e = &p.entry;
        let row: Vec<Value> = vec![
            e.id.to_string().into(),
            (*campaign_id).into(),
            p.venue_id.into(),
            e.booth_id.and_then(|b| i32::try_from(b).ok()).into(),
            e.activity_id.and_then(|a| i32::try_from(a).ok()).into(),
            e.recorded_at.into(),
            p.actor.into(),
            e.author_name.clone().into(),
            e.figures.visitors.into(),
            e.figures.consultations.into(),
            e.figures.complaints_received.into(),
            e.figures.complaints_settled.into(),
            e.figures.money_recovered_fen.into(),
            e.note.clone().into(),
            p.content_hash().into(),
            now.into(),
            p.correction.as_ref().map(|c| c.corrects.to_string()).into(),
            p.correction.as_ref().map(|c| c.reason.clone()).unwrap_or_default().into(),
            p.correction.as_ref().is_some_and(|c| c.void).into(),
        ];
        insert
            .values(row.into_iter().map(Into::into))
            .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    }
    insert
        .on_conflict(OnConflict::column(Alias::new("id")).do_nothing().to_owned())
        .returning_col(Alias::new("id"));
    Ok(tx
        .query_all(&insert)
        .await?
        .into_iter()
        .map(|r| r.try_get::<String>("", "id"))
        .collect::<Result<_, _>>()?)
}

/// The created entries' materials and their audit events, a multi-row insert each.
async fn insert_materials_and_audit(
    tx: &impl ConnectionTrait,
    created: &[(&Prepared, i32)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let materials: Vec<log_entry_material::ActiveModel> = created
        .iter()
        .flat_map(|(p, _)| {
            p.entry.materials.iter().filter_map(|(m, q)| {
                Some(log_entry_material::ActiveModel {
                    log_entry_id: Set(p.entry.id.to_string()),
                    material_id: Set(i32::try_from(*m).ok()?),
                    quantity: Set(*q),
                })
            })
        })
        .collect();
    if !materials.is_empty() {
        log_entry_material::Entity::insert_many(materials).exec_without_returning(tx).await?;
    }
    let mut audits = Vec::with_capacity(created.len());
    for &(p, campaign_id) in created {
        let after = serde_json::to_string(&log_entry_of(p, campaign_id, now))
            .map_err(|e| StoreError::Db(sea_orm::DbErr::Json(e.to_string())))?;
        audits.push(audit_event::ActiveModel {
            id: NotSet,
            at: Set(now),
            user_id: Set(p.actor),
            action: Set("create".into()),
            entity: Set("log_entry".into()),
            entity_id: Set(p.entry.id.to_string()),
            before: Set(None),
            after: Set(Some(after)),
        });
    }
    if !audits.is_empty() {
        audit_event::Entity::insert_many(audits).exec_without_returning(tx).await?;
    }
    Ok(())
}
