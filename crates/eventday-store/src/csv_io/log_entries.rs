//! The day's log entries (stored once by id; never overwritten).

use super::{Change, Ctx, ExportCtx, booth_ids, dup, of_venues, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::queries::insert_log_entry;
use chrono::Utc;
use eventday_domain::ValidationError;
use eventday_domain::csv::{CsvRow, LogEntryRow, RowError};
use eventday_domain::log::NewLogEntry;
use eventday_domain::time::{day_bounds, local_to_utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// Maps a field of [`NewLogEntry::validate`] to the CSV column it came from.
fn log_column(field: &str) -> &str {
    match field {
        "author_name" => "author",
        f if f.starts_with("materials") => "materials",
        f => f,
    }
}

/// What a row's names refer to in the campaign.
struct Names {
    venues: HashMap<String, i32>,
    booths: HashMap<(i32, String), i32>,
    activities: HashMap<(i32, String), i32>,
    materials: HashMap<String, i32>,
}

impl Names {
    async fn load(ctx: &Ctx<'_>) -> Result<Names, StoreError> {
        let cid = ctx.campaign.id;
        let venues = venue_list(&ctx.tx, cid).await?;
        let booths = booth_ids(&ctx.tx, &venues).await?;
        let activities = of_venues::<activity::Entity>(&ctx.tx, activity::Column::VenueId, &venues)
            .await?
            .into_iter()
            .map(|a| ((a.venue_id, a.title), a.id))
            .collect();
        let materials = material::Entity::find()
            .filter(material::Column::CampaignId.eq(cid))
            .all(&ctx.tx)
            .await?
            .into_iter()
            .map(|m| (m.name, m.id))
            .collect();
        let venues = venues.into_iter().map(|v| (v.name, v.id)).collect();
        Ok(Names { venues, booths, activities, materials })
    }

    /// The entry a row describes, or errors on its cells (pushed to `errors`).
    fn entry(
        &self,
        ctx: &Ctx<'_>,
        line: u64,
        row: LogEntryRow,
        errors: &mut Vec<RowError>,
    ) -> Option<NewLogEntry> {
        let before = errors.len();
        let mut err = |key: &str, msg: String| errors.push(ctx.headers.error(line, key, msg));
        let Some(vid) = self.venues.get(&row.venue).copied() else {
            err("venue", format!("no venue named {:?} in this campaign", row.venue));
            return None;
        };
        let mut find = |map: &HashMap<(i32, String), i32>, key: &str, name: &Option<String>, what: &str| {
            let t = name.as_ref()?;
            let found = map.get(&(vid, t.clone())).copied();
            if found.is_none() {
                err(key, format!("no {what} {t:?} at venue {:?}", row.venue));
            }
            found
        };
        let booth_id = find(&self.booths, "booth", &row.booth, "booth");
        let activity_id = find(&self.activities, "activity", &row.activity, "activity");
        let mut materials = BTreeMap::new();
        for (name, q) in &row.materials {
            match self.materials.get(name) {
                Some(id) => {
                    materials.insert(i64::from(*id), *q);
                }
                None => err("materials", format!("no material named {name:?} in this campaign")),
            }
        }
        let local = row.recorded_at.on(ctx.campaign.date);
        let recorded_at = match local_to_utc(local.date(), local.time(), ctx.zone) {
            Ok(t) => t,
            Err(m) => {
                err("recorded_at", m);
                return None;
            }
        };
        let entry = NewLogEntry {
            id: row.id,
            venue_id: i64::from(vid),
            booth_id: booth_id.map(i64::from),
            activity_id: activity_id.map(i64::from),
            recorded_at,
            author_name: row.author,
            figures: row.figures,
            materials,
            note: row.note,
        };
        (errors.len() == before).then_some(entry)
    }
}

/// Content hashes of the stored entries among `ids`: id -> (campaign, hash).
async fn stored(ctx: &Ctx<'_>, ids: &[String]) -> Result<HashMap<String, (i32, String)>, StoreError> {
    let mut stored = HashMap::new();
    for chunk in ids.chunks(500) {
        for e in log_entry::Entity::find()
            .filter(log_entry::Column::Id.is_in(chunk.iter().cloned()))
            .all(&ctx.tx)
            .await?
        {
            stored.insert(e.id, (e.campaign_id, e.content_hash));
        }
    }
    Ok(stored)
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, LogEntryRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let (day_start, day_end) =
        day_bounds(ctx.campaign.date, ctx.zone).map_err(|e| ValidationError::field("date", e))?;
    let names = Names::load(ctx).await?;
    let ids: Vec<String> = rows.iter().map(|(_, r)| r.id.to_string()).collect();
    let stored = stored(ctx, &ids).await?;
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, row) in rows {
        if let Some(first) = dup(&mut seen, row.id, line) {
            ctx.err(line, "id", format!("same id as line {first}"));
            continue;
        }
        let mut errors = Vec::new();
        let entry = names.entry(ctx, line, row, &mut errors);
        ctx.report.errors.append(&mut errors);
        let Some(entry) = entry else { continue };
        if let Err(v) = entry.validate(day_start, day_end) {
            for (f, why) in v.fields {
                ctx.err(line, log_column(&f), why);
            }
            continue;
        }
        match stored.get(&entry.id.to_string()) {
            None => plan.push((line, entry)),
            Some((c, hash)) if *c == cid && *hash == entry.content_hash() => ctx.unchanged(),
            Some((c, _)) if *c != cid => {
                ctx.err(line, "id", "this id is already used by another campaign's log entry");
            }
            Some(_) => ctx.err(
                line,
                "id",
                "a log entry with this id is stored with other content; it is not overwritten",
            ),
        }
    }
    // Every row was checked by the entry's own rules above; with a refused row nothing would be
    // kept, so there is nothing left to find out by writing.
    if !ctx.report.errors.is_empty() {
        return Ok(());
    }
    // Log entries are locked at venues whose day an organizer accepted.
    let mut checked = std::collections::BTreeSet::new();
    for (_, entry) in &plan {
        if checked.insert(entry.venue_id) {
            let venue = i32::try_from(entry.venue_id)
                .map_err(|_| StoreError::NotFound { entity: "venue", id: entry.venue_id.to_string() })?;
            crate::scope::ensure_venue_writable(&ctx.tx, venue).await?;
        }
    }
    let now = Utc::now();
    let total = plan.len();
    for (i, (line, entry)) in plan.iter().enumerate() {
        let written = insert_log_entry(&ctx.tx, ctx.actor(), cid, entry, now).await;
        ctx.outcome(*line, Change::Created, written, log_column)?;
        ctx.tick(i + 1, total);
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let entries = log_entry::Entity::find()
        .filter(log_entry::Column::CampaignId.eq(x.campaign_id))
        .order_by_asc(log_entry::Column::RecordedAt)
        .order_by_asc(log_entry::Column::Id)
        .all(db)
        .await?;
    let material_name: HashMap<i32, String> = material::Entity::find()
        .filter(material::Column::CampaignId.eq(x.campaign_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let mut handed: HashMap<String, BTreeMap<String, i64>> = HashMap::new();
    let ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    for chunk in ids.chunks(500) {
        for m in log_entry_material::Entity::find()
            .filter(log_entry_material::Column::LogEntryId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            let name = material_name.get(&m.material_id).cloned().unwrap_or_default();
            handed.entry(m.log_entry_id).or_default().insert(name, m.quantity);
        }
    }
    let activity_title: HashMap<i32, String> = activity::Entity::find()
        .filter(activity::Column::VenueId.is_in(x.venue_ids()))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.title))
        .collect();
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        let id = uuid::Uuid::parse_str(&e.id)
            .map_err(|_| StoreError::Db(sea_orm::DbErr::Type(format!("log entry id {:?}", e.id))))?;
        let note = crate::log::corrections::export_note(&e, x.lang);
        rows.push(
            LogEntryRow {
                id,
                venue: x.venue_name(e.venue_id),
                booth: e.booth_id.and_then(|b| x.booth_topic(b)),
                activity: e.activity_id.and_then(|a| activity_title.get(&a).cloned()),
                recorded_at: x.local(e.recorded_at),
                author: e.author_name,
                figures: eventday_domain::Figures {
                    visitors: e.visitors,
                    consultations: e.consultations,
                    complaints_received: e.complaints_received,
                    complaints_settled: e.complaints_settled,
                    money_recovered_fen: e.money_recovered_fen,
                },
                materials: handed.remove(&e.id).unwrap_or_default(),
                note,
            }
            .cells(x.lang),
        );
    }
    Ok(rows)
}
