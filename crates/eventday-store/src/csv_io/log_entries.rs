//! The day's log entries (stored once by id; never overwritten).

use super::{Change, Ctx, ExportCtx, dup, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::queries::insert_log_entry;
use chrono::Utc;
use eventday_domain::ValidationError;
use eventday_domain::csv::{CsvRow, LogEntryRow};
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

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, LogEntryRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let (day_start, day_end) =
        day_bounds(ctx.campaign.date, ctx.zone).map_err(|e| ValidationError::field("date", e))?;
    let venues = venue_list(&ctx.tx, cid).await?;
    let venue_by_name: HashMap<&str, i32> = venues.iter().map(|v| (v.name.as_str(), v.id)).collect();
    let vids: Vec<i32> = venues.iter().map(|v| v.id).collect();
    let booths: HashMap<(i32, String), i32> = booth::Entity::find()
        .filter(booth::Column::VenueId.is_in(vids.clone()))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|b| ((b.venue_id, b.topic), b.id))
        .collect();
    let activities: HashMap<(i32, String), i32> = activity::Entity::find()
        .filter(activity::Column::VenueId.is_in(vids))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|a| ((a.venue_id, a.title), a.id))
        .collect();
    let materials: HashMap<String, i32> = material::Entity::find()
        .filter(material::Column::CampaignId.eq(cid))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|m| (m.name, m.id))
        .collect();
    let mut stored: HashMap<String, (i32, String)> = HashMap::new();
    let ids: Vec<String> = rows.iter().map(|(_, r)| r.id.to_string()).collect();
    for chunk in ids.chunks(500) {
        for e in log_entry::Entity::find()
            .filter(log_entry::Column::Id.is_in(chunk.iter().cloned()))
            .all(&ctx.tx)
            .await?
        {
            stored.insert(e.id, (e.campaign_id, e.content_hash));
        }
    }
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, row) in rows {
        let before = ctx.report.errors.len();
        let mut err = |key: &str, msg: String| ctx.report.errors.push(ctx.headers.error(line, key, msg));
        if let Some(first) = dup(&mut seen, row.id, line) {
            err("id", format!("same id as line {first}"));
            continue;
        }
        let Some(vid) = venue_by_name.get(row.venue.as_str()).copied() else {
            err("venue", format!("no venue named {:?} in this campaign", row.venue));
            continue;
        };
        let booth_id = row.booth.as_ref().and_then(|t| {
            let b = booths.get(&(vid, t.clone())).copied();
            if b.is_none() {
                err("booth", format!("no booth {t:?} at venue {:?}", row.venue));
            }
            b
        });
        let activity_id = row.activity.as_ref().and_then(|t| {
            let a = activities.get(&(vid, t.clone())).copied();
            if a.is_none() {
                err("activity", format!("no activity {t:?} at venue {:?}", row.venue));
            }
            a
        });
        let mut mats = BTreeMap::new();
        for (name, q) in &row.materials {
            match materials.get(name) {
                Some(id) => {
                    mats.insert(i64::from(*id), *q);
                }
                None => err("materials", format!("no material named {name:?} in this campaign")),
            }
        }
        let local = row.recorded_at.on(ctx.campaign.date);
        let recorded_at = match local_to_utc(local.date(), local.time(), ctx.zone) {
            Ok(t) => t,
            Err(m) => {
                err("recorded_at", m);
                continue;
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
            materials: mats,
            note: row.note,
        };
        if let Err(v) = entry.validate(day_start, day_end) {
            for (f, why) in v.fields {
                err(log_column(&f), why);
            }
        }
        if ctx.report.errors.len() > before {
            continue;
        }
        match stored.get(&row.id.to_string()) {
            None => plan.push((line, entry)),
            Some((c, hash)) if *c == cid && *hash == entry.content_hash() => ctx.report.unchanged += 1,
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
                note: e.note,
            }
            .cells(x.lang),
        );
    }
    Ok(rows)
}
