//! CSV import and export of a campaign's data, one kind at a time.
//!
//! An import is all-or-nothing: it runs in ONE write transaction, checks every row (cells,
//! references by name, booth geometry against stored and imported booths, conflicts with
//! stored log entries) and writes only when no row is bad and it is not a dry run.
//!
//! Natural keys (a row matching a stored record updates it, otherwise it creates one):
//! units by name (the directory is shared; `participates` adds the unit to the campaign, and
//! an import never removes a participation); venues by name; booths by (venue, topic);
//! activities by (venue, title); allocations by (material, venue), the material being created
//! in the campaign's catalogue when missing (its unit label is then required); media by
//! (outlet, date, headline); log entries by id (same content: unchanged; other content: an
//! error, never an overwrite); disputes by (venue, received on, category, enterprise,
//! summary), whose status may only move forward. Materials without any allocation are not
//! exported.

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use eventday_domain::csv::{
    ActivityRow, AllocationRow, BoothRow, CsvRow, DisputeRow, Headers, ImportReport, Kind, Lang, LocalTime,
    LogEntryRow, MediaRow, UnitRow, VenueRow, parse_rows, write_file,
};
use eventday_domain::log::NewLogEntry;
use eventday_domain::time::{day_bounds, local_to_utc, parse_zone};
use eventday_domain::{
    ActivityKind, BoothKind, DisputeStatus, MediaChannel, MediaFormat, Rect, UnitKind, ValidationError,
    VenueKind,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::str::FromStr;

/// Called with (rows written, rows to write) while an import writes.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

/// How to run an import.
#[derive(Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// Check and count, write nothing.
    pub dry_run: bool,
    /// Progress callback for large files.
    pub progress: Option<Progress<'a>>,
}

struct Ctx<'a> {
    tx: DatabaseTransaction,
    campaign: campaign::Model,
    zone: Tz,
    report: ImportReport,
    opts: ImportOptions<'a>,
}

impl Ctx<'_> {
    /// Counts a row as created, unchanged or updated; `false` when there is nothing to write.
    fn count_change(&mut self, exists: bool, same: bool) -> bool {
        match (exists, same) {
            (false, _) => self.report.created += 1,
            (true, true) => {
                self.report.unchanged += 1;
                return false;
            }
            (true, false) => self.report.updated += 1,
        }
        true
    }
    fn write(&self) -> bool {
        self.report.errors.is_empty() && !self.opts.dry_run
    }
    fn tick(&self, done: usize, total: usize) {
        if let Some(p) = self.opts.progress
            && (done.is_multiple_of(200) || done == total)
        {
            p(done as u64, total as u64);
        }
    }
    fn utc(&self, t: LocalTime) -> Result<DateTime<Utc>, String> {
        let local = t.on(self.campaign.date);
        local_to_utc(local.date(), local.time(), self.zone)
    }
}

async fn load_campaign(
    db: &impl sea_orm::ConnectionTrait,
    id: i32,
) -> Result<(campaign::Model, Tz), StoreError> {
    let c = campaign::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: id.to_string() })?;
    let zone = parse_zone(&c.timezone).map_err(|e| ValidationError::field("timezone", e))?;
    Ok((c, zone))
}

/// Imports one file of `kind` into a campaign. The report's `errors` is empty when the rows
/// were written (or would be, on a dry run); otherwise nothing was written.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign; database errors (nothing written).
pub async fn import(
    store: &Store,
    campaign_id: i32,
    kind: Kind,
    bytes: &[u8],
    opts: ImportOptions<'_>,
) -> Result<ImportReport, StoreError> {
    let tx = store.write_tx().await?;
    let (campaign, zone) = load_campaign(&tx, campaign_id).await?;
    let mut ctx = Ctx { tx, campaign, zone, report: ImportReport::default(), opts };
    macro_rules! go {
        ($f:ident) => {
            match parse_rows(bytes) {
                Ok((rows, headers)) => $f(&mut ctx, rows, headers).await?,
                Err(errors) => ctx.report.errors = errors,
            }
        };
    }
    match kind {
        Kind::Units => go!(units),
        Kind::Venues => go!(venues),
        Kind::Booths => go!(booths),
        Kind::Activities => go!(activities),
        Kind::Allocations => go!(allocations),
        Kind::Media => go!(media),
        Kind::LogEntries => go!(log_entries),
        Kind::Disputes => go!(disputes),
    }
    let Ctx { tx, mut report, opts, .. } = ctx;
    if report.errors.is_empty() && !opts.dry_run {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
        if !report.errors.is_empty() {
            report.created = 0;
            report.updated = 0;
            report.unchanged = 0;
        }
    }
    report.errors.sort_by_key(|e| e.line);
    report.cap_errors();
    Ok(report)
}

fn dup<K: std::hash::Hash + Eq>(seen: &mut HashMap<K, u64>, key: K, line: u64) -> Option<u64> {
    match seen.get(&key) {
        Some(first) => Some(*first),
        None => {
            seen.insert(key, line);
            None
        }
    }
}

async fn unit_map(tx: &DatabaseTransaction) -> Result<HashMap<String, unit::Model>, StoreError> {
    Ok(unit::Entity::find().all(tx).await?.into_iter().map(|u| (u.name.clone(), u)).collect())
}

async fn venue_map(
    tx: &impl sea_orm::ConnectionTrait,
    campaign_id: i32,
) -> Result<Vec<venue::Model>, StoreError> {
    Ok(venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .order_by_asc(venue::Column::Position)
        .order_by_asc(venue::Column::Id)
        .all(tx)
        .await?)
}

async fn units(ctx: &mut Ctx<'_>, rows: Vec<(u64, UnitRow)>, h: Headers) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let existing = unit_map(&ctx.tx).await?;
    let parts: HashMap<i32, participation::Model> = participation::Entity::find()
        .filter(participation::Column::CampaignId.eq(cid))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|p| (p.unit_id, p))
        .collect();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, row) in rows {
        if let Some(first) = dup(&mut seen, row.name.clone(), line) {
            ctx.report.errors.push(h.error(line, "name", format!("same unit as line {first}")));
            continue;
        }
        let unit = existing.get(&row.name);
        let part = unit.and_then(|u| parts.get(&u.id));
        let unit_same = unit.is_some_and(|u| u.kind == row.kind.as_str() && u.contact == row.contact);
        let part_same = !row.participates
            || part.is_some_and(|p| {
                (p.staffs_booth, p.reconciliation_member, p.media, p.sponsor)
                    == (row.staffs_booth, row.reconciliation_member, row.media, row.sponsor)
            });
        match unit {
            None => ctx.report.created += 1,
            Some(_) if unit_same && part_same => {
                ctx.report.unchanged += 1;
                continue;
            }
            Some(_) => ctx.report.updated += 1,
        }
        plan.push((row, unit.cloned(), part.cloned()));
    }
    if !ctx.write() {
        return Ok(());
    }
    let now = Utc::now();
    let total = plan.len();
    for (i, (row, unit, part)) in plan.into_iter().enumerate() {
        let unit_id = match unit {
            None => {
                unit::ActiveModel {
                    id: NotSet,
                    name: Set(row.name.clone()),
                    kind: Set(row.kind.as_str().into()),
                    contact: Set(row.contact.clone()),
                    created_at: Set(now),
                }
                .insert(&ctx.tx)
                .await?
                .id
            }
            Some(u) => {
                let id = u.id;
                let mut am = u.into_active_model();
                am.kind = Set(row.kind.as_str().into());
                am.contact = Set(row.contact.clone());
                am.update(&ctx.tx).await?;
                id
            }
        };
        if row.participates {
            let mut am = match part {
                Some(p) => p.into_active_model(),
                None => participation::ActiveModel {
                    id: NotSet,
                    campaign_id: Set(cid),
                    unit_id: Set(unit_id),
                    ..Default::default()
                },
            };
            am.staffs_booth = Set(row.staffs_booth);
            am.reconciliation_member = Set(row.reconciliation_member);
            am.media = Set(row.media);
            am.sponsor = Set(row.sponsor);
            am.save(&ctx.tx).await?;
        }
        ctx.tick(i + 1, total);
    }
    Ok(())
}

async fn venues(ctx: &mut Ctx<'_>, rows: Vec<(u64, VenueRow)>, h: Headers) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let existing = venue_map(&ctx.tx, cid).await?;
    let by_name: HashMap<&str, &venue::Model> = existing.iter().map(|v| (v.name.as_str(), v)).collect();
    let booths = booth::Entity::find()
        .filter(booth::Column::VenueId.is_in(existing.iter().map(|v| v.id)))
        .all(&ctx.tx)
        .await?;
    let mut mains: BTreeSet<String> =
        existing.iter().filter(|v| v.kind == "main").map(|v| v.name.clone()).collect();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, row) in rows {
        if let Some(first) = dup(&mut seen, row.name.clone(), line) {
            ctx.report.errors.push(h.error(line, "name", format!("same venue as line {first}")));
            continue;
        }
        if row.kind == VenueKind::Main {
            mains.insert(row.name.clone());
        } else {
            mains.remove(&row.name);
        }
        if mains.len() > 1 {
            ctx.report.errors.push(h.error(line, "kind", "a campaign has only one main venue"));
        }
        let old = by_name.get(row.name.as_str()).copied();
        if let Some(v) = old {
            for b in booths.iter().filter(|b| b.venue_id == v.id) {
                let r = Rect { x: b.x, y: b.y, w: b.w, h: b.h, rotation_deg: b.rotation_deg };
                if !r.fits_inside(row.width_m, row.depth_m) {
                    ctx.report.errors.push(h.error(
                        line,
                        "width_m",
                        format!("booth {:?} would no longer fit inside the venue", b.topic),
                    ));
                }
            }
        }
        let same = old.is_some_and(|v| {
            (
                v.kind.as_str(),
                &v.host_unit,
                &v.address,
                &v.lead_name,
                v.width_m,
                v.depth_m,
                &v.opens_at,
                &v.closes_at,
            ) == (
                row.kind.as_str(),
                &row.host_unit,
                &row.address,
                &row.lead,
                row.width_m,
                row.depth_m,
                &row.opens_at,
                &row.closes_at,
            )
        });
        if !ctx.count_change(old.is_some(), same) {
            continue;
        }
        plan.push((row, old.cloned()));
    }
    if !ctx.write() {
        return Ok(());
    }
    let mut position = existing.iter().map(|v| v.position).max().map_or(0, |p| p + 1);
    for (row, old) in plan {
        let mut am = match old {
            Some(v) => v.into_active_model(),
            None => {
                position += 1;
                venue::ActiveModel {
                    id: NotSet,
                    campaign_id: Set(cid),
                    position: Set(position - 1),
                    day_status: Set("open".into()),
                    accepted_at: Set(None),
                    ..Default::default()
                }
            }
        };
        am.kind = Set(row.kind.as_str().into());
        am.name = Set(row.name);
        am.host_unit = Set(row.host_unit);
        am.address = Set(row.address);
        am.lead_name = Set(row.lead);
        am.width_m = Set(row.width_m);
        am.depth_m = Set(row.depth_m);
        am.opens_at = Set(row.opens_at);
        am.closes_at = Set(row.closes_at);
        am.save(&ctx.tx).await?;
    }
    Ok(())
}

fn rect(b: &booth::Model) -> Rect {
    Rect { x: b.x, y: b.y, w: b.w, h: b.h, rotation_deg: b.rotation_deg }
}

async fn booths(ctx: &mut Ctx<'_>, rows: Vec<(u64, BoothRow)>, h: Headers) -> Result<(), StoreError> {
    let venues = venue_map(&ctx.tx, ctx.campaign.id).await?;
    let venue_by_name: HashMap<&str, &venue::Model> = venues.iter().map(|v| (v.name.as_str(), v)).collect();
    let units = unit_map(&ctx.tx).await?;
    let stored = booth::Entity::find()
        .filter(booth::Column::VenueId.is_in(venues.iter().map(|v| v.id)))
        .all(&ctx.tx)
        .await?;
    let links = booth_unit::Entity::find()
        .filter(booth_unit::Column::BoothId.is_in(stored.iter().map(|b| b.id)))
        .all(&ctx.tx)
        .await?;
    // The floor plan after the import: (venue id, topic) -> rectangle.
    let mut plan_rects: BTreeMap<(i32, String), Rect> =
        stored.iter().map(|b| ((b.venue_id, b.topic.clone()), rect(b))).collect();
    let mut seen = HashMap::new();
    let mut checked = Vec::new();
    for (line, row) in rows {
        let Some(v) = venue_by_name.get(row.venue.as_str()).copied() else {
            ctx.report.errors.push(h.error(
                line,
                "venue",
                format!("no venue named {:?} in this campaign", row.venue),
            ));
            continue;
        };
        if let Some(first) = dup(&mut seen, (v.id, row.topic.clone()), line) {
            ctx.report.errors.push(h.error(line, "topic", format!("same booth as line {first}")));
            continue;
        }
        let mut unit_ids = BTreeSet::new();
        for name in &row.units {
            match units.get(name) {
                Some(u) => {
                    unit_ids.insert(u.id);
                }
                None => ctx.report.errors.push(h.error(line, "units", format!("no unit named {name:?}"))),
            }
        }
        if !row.rect.fits_inside(v.width_m, v.depth_m) {
            ctx.report.errors.push(h.error(
                line,
                "x",
                format!("does not fit inside venue {:?} ({} x {} m)", v.name, v.width_m, v.depth_m),
            ));
        }
        plan_rects.insert((v.id, row.topic.clone()), row.rect);
        checked.push((line, row, v.id, unit_ids));
    }
    for (line, row, vid, _) in &checked {
        if let Some(((_, other), _)) =
            plan_rects.iter().find(|((ov, ot), r)| *ov == *vid && *ot != row.topic && r.overlaps(&row.rect))
        {
            ctx.report.errors.push(h.error(*line, "x", format!("overlaps booth {other:?}")));
        }
    }
    let mut plan = Vec::new();
    for (_, row, vid, unit_ids) in checked {
        let old = stored.iter().find(|b| b.venue_id == vid && b.topic == row.topic);
        let same = old.is_some_and(|b| {
            let old_units: BTreeSet<i32> =
                links.iter().filter(|l| l.booth_id == b.id).map(|l| l.unit_id).collect();
            b.kind == row.kind.as_str() && rect(b) == row.rect && old_units == unit_ids
        });
        if !ctx.count_change(old.is_some(), same) {
            continue;
        }
        plan.push((row, vid, unit_ids, old.cloned()));
    }
    if !ctx.write() {
        return Ok(());
    }
    for (row, vid, unit_ids, old) in plan {
        let is_new = old.is_none();
        let mut am = match old {
            Some(b) => b.into_active_model(),
            None => booth::ActiveModel { id: NotSet, venue_id: Set(vid), ..Default::default() },
        };
        am.topic = Set(row.topic);
        am.kind = Set(row.kind.as_str().into());
        am.x = Set(row.rect.x);
        am.y = Set(row.rect.y);
        am.w = Set(row.rect.w);
        am.h = Set(row.rect.h);
        am.rotation_deg = Set(row.rect.rotation_deg);
        let id = if is_new { am.insert(&ctx.tx).await?.id } else { am.update(&ctx.tx).await?.id };
        booth_unit::Entity::delete_many().filter(booth_unit::Column::BoothId.eq(id)).exec(&ctx.tx).await?;
        for u in unit_ids {
            booth_unit::ActiveModel { booth_id: Set(id), unit_id: Set(u) }.insert(&ctx.tx).await?;
        }
    }
    Ok(())
}

async fn activities(ctx: &mut Ctx<'_>, rows: Vec<(u64, ActivityRow)>, h: Headers) -> Result<(), StoreError> {
    let venues = venue_map(&ctx.tx, ctx.campaign.id).await?;
    let venue_by_name: HashMap<&str, i32> = venues.iter().map(|v| (v.name.as_str(), v.id)).collect();
    let stored = activity::Entity::find()
        .filter(activity::Column::VenueId.is_in(venues.iter().map(|v| v.id)))
        .all(&ctx.tx)
        .await?;
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, row) in rows {
        let Some(vid) = venue_by_name.get(row.venue.as_str()).copied() else {
            ctx.report.errors.push(h.error(
                line,
                "venue",
                format!("no venue named {:?} in this campaign", row.venue),
            ));
            continue;
        };
        if let Some(first) = dup(&mut seen, (vid, row.title.clone()), line) {
            ctx.report.errors.push(h.error(line, "title", format!("same activity as line {first}")));
            continue;
        }
        let (starts, ends) = match (ctx.utc(row.starts_at), ctx.utc(row.ends_at)) {
            (Ok(s), Ok(e)) if e >= s => (s, e),
            (Ok(_), Ok(_)) => {
                ctx.report.errors.push(h.error(line, "ends_at", "must not be before the start"));
                continue;
            }
            (Err(m), _) => {
                ctx.report.errors.push(h.error(line, "starts_at", m));
                continue;
            }
            (_, Err(m)) => {
                ctx.report.errors.push(h.error(line, "ends_at", m));
                continue;
            }
        };
        let old = stored.iter().find(|a| a.venue_id == vid && a.title == row.title);
        let same = old.is_some_and(|a| {
            (a.kind.as_str(), &a.place, a.starts_at, a.ends_at, a.participants, &a.note)
                == (row.kind.as_str(), &row.place, starts, ends, row.participants, &row.note)
        });
        if !ctx.count_change(old.is_some(), same) {
            continue;
        }
        plan.push((row, vid, starts, ends, old.cloned()));
    }
    if !ctx.write() {
        return Ok(());
    }
    // Activities' figures are locked at venues whose day an organizer accepted.
    for vid in plan.iter().map(|p| p.1).collect::<std::collections::BTreeSet<_>>() {
        crate::scope::ensure_venue_writable(&ctx.tx, vid).await?;
    }
    for (row, vid, starts, ends, old) in plan {
        let mut am = match old {
            Some(a) => a.into_active_model(),
            None => activity::ActiveModel { id: NotSet, venue_id: Set(vid), ..Default::default() },
        };
        am.title = Set(row.title);
        am.kind = Set(row.kind.as_str().into());
        am.place = Set(row.place);
        am.starts_at = Set(starts);
        am.ends_at = Set(ends);
        am.participants = Set(row.participants);
        am.note = Set(row.note);
        am.save(&ctx.tx).await?;
    }
    Ok(())
}

async fn allocations(
    ctx: &mut Ctx<'_>,
    rows: Vec<(u64, AllocationRow)>,
    h: Headers,
) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let venues = venue_map(&ctx.tx, cid).await?;
    let venue_by_name: HashMap<&str, i32> = venues.iter().map(|v| (v.name.as_str(), v.id)).collect();
    let materials: HashMap<String, material::Model> = material::Entity::find()
        .filter(material::Column::CampaignId.eq(cid))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|m| (m.name.clone(), m))
        .collect();
    let stored: HashMap<(i32, i32), i64> = material_allocation::Entity::find()
        .filter(material_allocation::Column::MaterialId.is_in(materials.values().map(|m| m.id)))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|a| ((a.material_id, a.venue_id), a.quantity))
        .collect();
    // Material name -> (unit label, planned, line that set them) as the file wants them.
    let mut wanted: HashMap<String, (String, i64, u64)> = HashMap::new();
    // Materials are created in the order the file first names them, so that ids (and exports)
    // follow the file.
    let mut order: Vec<String> = Vec::new();
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, row) in rows {
        let Some(vid) = venue_by_name.get(row.venue.as_str()).copied() else {
            ctx.report.errors.push(h.error(
                line,
                "venue",
                format!("no venue named {:?} in this campaign", row.venue),
            ));
            continue;
        };
        if let Some(first) = dup(&mut seen, (row.material.clone(), vid), line) {
            ctx.report.errors.push(h.error(
                line,
                "venue",
                format!("same material and venue as line {first}"),
            ));
            continue;
        }
        let old = materials.get(&row.material);
        let label = row.unit_label.clone().or_else(|| old.map(|m| m.unit_label.clone()));
        let planned = row.planned.or(old.map(|m| m.planned)).unwrap_or(0);
        let Some(label) = label else {
            ctx.report.errors.push(h.error(
                line,
                "unit_label",
                format!("required to create material {:?}", row.material),
            ));
            continue;
        };
        match wanted.get(&row.material) {
            Some((l, p, first)) if *l != label || *p != planned => {
                ctx.report.errors.push(h.error(
                    line,
                    if *l == label { "planned" } else { "unit_label" },
                    format!("differs from line {first} for the same material"),
                ));
                continue;
            }
            Some(_) => {}
            None => {
                wanted.insert(row.material.clone(), (label.clone(), planned, line));
                order.push(row.material.clone());
            }
        }
        let material_same = old.is_some_and(|m| m.unit_label == label && m.planned == planned);
        let alloc = old.and_then(|m| stored.get(&(m.id, vid)));
        match alloc {
            None => ctx.report.created += 1,
            Some(q) if *q == row.quantity && material_same => ctx.report.unchanged += 1,
            Some(_) => ctx.report.updated += 1,
        }
        plan.push((row.material, vid, row.quantity));
    }
    if !ctx.write() {
        return Ok(());
    }
    let mut ids: HashMap<String, i32> = HashMap::new();
    for name in order {
        let Some((label, planned, _)) = wanted.remove(&name) else { continue };
        let id = match materials.get(&name) {
            Some(m) if m.unit_label == label && m.planned == planned => m.id,
            Some(m) => {
                let mut am = m.clone().into_active_model();
                am.unit_label = Set(label);
                am.planned = Set(planned);
                am.update(&ctx.tx).await?.id
            }
            None => {
                material::ActiveModel {
                    id: NotSet,
                    campaign_id: Set(cid),
                    name: Set(name.clone()),
                    unit_label: Set(label),
                    planned: Set(planned),
                }
                .insert(&ctx.tx)
                .await?
                .id
            }
        };
        ids.insert(name, id);
    }
    for (name, vid, quantity) in plan {
        let Some(mid) = ids.get(&name).copied() else { continue };
        let am = material_allocation::ActiveModel {
            material_id: Set(mid),
            venue_id: Set(vid),
            quantity: Set(quantity),
        };
        if stored.contains_key(&(mid, vid)) {
            am.update(&ctx.tx).await?;
        } else {
            am.insert(&ctx.tx).await?;
        }
    }
    Ok(())
}

async fn media(ctx: &mut Ctx<'_>, rows: Vec<(u64, MediaRow)>, h: Headers) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let venues = venue_map(&ctx.tx, cid).await?;
    let venue_by_name: HashMap<&str, i32> = venues.iter().map(|v| (v.name.as_str(), v.id)).collect();
    let units = unit_map(&ctx.tx).await?;
    let stored = media_coverage::Entity::find()
        .filter(media_coverage::Column::CampaignId.eq(cid))
        .all(&ctx.tx)
        .await?;
    let links = media_coverage_venue::Entity::find()
        .filter(media_coverage_venue::Column::CoverageId.is_in(stored.iter().map(|m| m.id)))
        .all(&ctx.tx)
        .await?;
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, row) in rows {
        let Some(outlet) = units.get(&row.outlet).map(|u| u.id) else {
            ctx.report.errors.push(h.error(line, "outlet", format!("no unit named {:?}", row.outlet)));
            continue;
        };
        let mut vids = BTreeSet::new();
        for name in &row.venues {
            match venue_by_name.get(name.as_str()) {
                Some(v) => {
                    vids.insert(*v);
                }
                None => ctx.report.errors.push(h.error(
                    line,
                    "venues",
                    format!("no venue named {name:?} in this campaign"),
                )),
            }
        }
        if let Some(first) = dup(&mut seen, (outlet, row.date, row.headline.clone()), line) {
            ctx.report.errors.push(h.error(line, "headline", format!("same report as line {first}")));
            continue;
        }
        let old = stored
            .iter()
            .find(|m| m.outlet_unit_id == outlet && m.date == row.date && m.headline == row.headline);
        let same = old.is_some_and(|m| {
            let old_v: BTreeSet<i32> =
                links.iter().filter(|l| l.coverage_id == m.id).map(|l| l.venue_id).collect();
            (m.channel.as_str(), m.format.as_str(), &m.link, m.estimated_reach, &old_v)
                == (row.channel.as_str(), row.format.as_str(), &row.link, row.estimated_reach, &vids)
        });
        if !ctx.count_change(old.is_some(), same) {
            continue;
        }
        plan.push((row, outlet, vids, old.cloned()));
    }
    if !ctx.write() {
        return Ok(());
    }
    for (row, outlet, vids, old) in plan {
        let is_new = old.is_none();
        let mut am = match old {
            Some(m) => m.into_active_model(),
            None => media_coverage::ActiveModel { id: NotSet, campaign_id: Set(cid), ..Default::default() },
        };
        am.outlet_unit_id = Set(outlet);
        am.channel = Set(row.channel.as_str().into());
        am.format = Set(row.format.as_str().into());
        am.date = Set(row.date);
        am.headline = Set(row.headline);
        am.link = Set(row.link);
        am.estimated_reach = Set(row.estimated_reach);
        let id = if is_new { am.insert(&ctx.tx).await?.id } else { am.update(&ctx.tx).await?.id };
        media_coverage_venue::Entity::delete_many()
            .filter(media_coverage_venue::Column::CoverageId.eq(id))
            .exec(&ctx.tx)
            .await?;
        for v in vids {
            media_coverage_venue::ActiveModel { coverage_id: Set(id), venue_id: Set(v) }
                .insert(&ctx.tx)
                .await?;
        }
    }
    Ok(())
}

/// Maps a field of [`NewLogEntry::validate`] to the CSV column it came from.
fn log_column(field: &str) -> &str {
    match field {
        "author_name" => "author",
        f if f.starts_with("materials") => "materials",
        f => f,
    }
}

async fn log_entries(ctx: &mut Ctx<'_>, rows: Vec<(u64, LogEntryRow)>, h: Headers) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let (day_start, day_end) =
        day_bounds(ctx.campaign.date, ctx.zone).map_err(|e| ValidationError::field("date", e))?;
    let venues = venue_map(&ctx.tx, cid).await?;
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
        let mut err = |key: &str, msg: String| ctx.report.errors.push(h.error(line, key, msg));
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
            None => {
                ctx.report.created += 1;
                plan.push(entry);
            }
            Some((c, hash)) if *c == cid && *hash == entry.content_hash() => ctx.report.unchanged += 1,
            Some((c, _)) if *c != cid => {
                ctx.report.errors.push(h.error(
                    line,
                    "id",
                    "this id is already used by another campaign's log entry",
                ));
            }
            Some(_) => ctx.report.errors.push(h.error(
                line,
                "id",
                "a log entry with this id is stored with other content; it is not overwritten",
            )),
        }
    }
    if !ctx.write() {
        return Ok(());
    }
    for venue in plan.iter().map(|e| e.venue_id).collect::<std::collections::BTreeSet<_>>() {
        let venue = i32::try_from(venue)
            .map_err(|_| StoreError::NotFound { entity: "venue", id: venue.to_string() })?;
        crate::scope::ensure_venue_writable(&ctx.tx, venue).await?;
    }
    let now = Utc::now();
    let total = plan.len();
    for (i, entry) in plan.iter().enumerate() {
        crate::queries::insert_log_entry_row(&ctx.tx, cid, entry, None, now).await?;
        ctx.tick(i + 1, total);
    }
    Ok(())
}

async fn disputes(ctx: &mut Ctx<'_>, rows: Vec<(u64, DisputeRow)>, h: Headers) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let venues = venue_map(&ctx.tx, cid).await?;
    let venue_by_name: HashMap<&str, i32> = venues.iter().map(|v| (v.name.as_str(), v.id)).collect();
    let booths: HashMap<(i32, String), i32> = booth::Entity::find()
        .filter(booth::Column::VenueId.is_in(venues.iter().map(|v| v.id)))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|b| ((b.venue_id, b.topic), b.id))
        .collect();
    let units = unit_map(&ctx.tx).await?;
    let stored = dispute::Entity::find().filter(dispute::Column::CampaignId.eq(cid)).all(&ctx.tx).await?;
    let mut seen = HashMap::new();
    let mut plan = Vec::new();
    for (line, row) in rows {
        let before = ctx.report.errors.len();
        let mut err = |key: &str, msg: String| ctx.report.errors.push(h.error(line, key, msg));
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
        let enterprise = row.enterprise.as_ref().and_then(|n| {
            let u = units.get(n).map(|u| u.id);
            if u.is_none() {
                err("enterprise", format!("no unit named {n:?}"));
            }
            u
        });
        if ctx.report.errors.len() > before {
            continue;
        }
        let key = (vid, row.received_on, row.category.clone(), enterprise, row.summary.clone());
        if let Some(first) = dup(&mut seen, key, line) {
            ctx.report.errors.push(h.error(line, "summary", format!("same dispute as line {first}")));
            continue;
        }
        let old = stored.iter().find(|d| {
            d.venue_id == vid
                && d.received_on == row.received_on
                && d.category == row.category
                && d.enterprise_unit_id == enterprise
                && d.summary == row.summary
        });
        if let Some(d) = old
            && let Ok(from) = DisputeStatus::from_str(&d.status)
            && from != row.status
            && !from.can_move_to(row.status)
        {
            ctx.report.errors.push(h.error(
                line,
                "status",
                format!("cannot move from {} to {}", from.label_zh(), row.status.label_zh()),
            ));
            continue;
        }
        let same = old.is_some_and(|d| {
            (d.booth_id, d.amount_claimed_fen, d.status.as_str(), d.amount_recovered_fen, d.closed_on)
                == (
                    booth_id,
                    row.amount_claimed_fen,
                    row.status.as_str(),
                    row.amount_recovered_fen,
                    row.closed_on,
                )
        });
        if !ctx.count_change(old.is_some(), same) {
            continue;
        }
        plan.push((row, vid, booth_id, enterprise, old.cloned()));
    }
    if !ctx.write() {
        return Ok(());
    }
    for vid in plan.iter().map(|p| p.1).collect::<std::collections::BTreeSet<_>>() {
        crate::scope::ensure_venue_writable(&ctx.tx, vid).await?;
    }
    let now = Utc::now();
    for (row, vid, booth_id, enterprise, old) in plan {
        let mut am = match old {
            Some(d) => d.into_active_model(),
            None => dispute::ActiveModel {
                id: NotSet,
                campaign_id: Set(cid),
                venue_id: Set(vid),
                enterprise_unit_id: Set(enterprise),
                category: Set(row.category),
                summary: Set(row.summary),
                received_on: Set(row.received_on),
                created_at: Set(now),
                ..Default::default()
            },
        };
        am.booth_id = Set(booth_id);
        am.amount_claimed_fen = Set(row.amount_claimed_fen);
        am.status = Set(row.status.as_str().into());
        am.amount_recovered_fen = Set(row.amount_recovered_fen);
        am.closed_on = Set(row.closed_on);
        am.updated_at = Set(now);
        am.save(&ctx.tx).await?;
    }
    Ok(())
}

fn vocab<T: FromStr>(s: &str) -> Result<T, StoreError> {
    s.parse::<T>().map_err(|_| StoreError::Db(sea_orm::DbErr::Type(format!("unexpected stored value {s:?}"))))
}

/// The file name an export is offered under, e.g. `campaign-1-log-entries.csv`.
#[must_use]
pub fn export_file_name(campaign_id: i32, kind: Kind) -> String {
    format!("campaign-{campaign_id}-{kind}.csv")
}

/// Exports one kind of a campaign's data as a CSV file (UTF-8 with BOM, CRLF, headers in
/// `lang`). Importing the file into an empty campaign gives the same data.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, database errors otherwise.
pub async fn export(store: &Store, campaign_id: i32, kind: Kind, lang: Lang) -> Result<Vec<u8>, StoreError> {
    let db = store.conn();
    let (_, zone) = load_campaign(db, campaign_id).await?;
    let venues = venue_map(db, campaign_id).await?;
    let vids: Vec<i32> = venues.iter().map(|v| v.id).collect();
    let venue_name: HashMap<i32, &str> = venues.iter().map(|v| (v.id, v.name.as_str())).collect();
    let venue_pos: HashMap<i32, usize> = venues.iter().enumerate().map(|(i, v)| (v.id, i)).collect();
    let vname = |id: i32| venue_name.get(&id).copied().unwrap_or_default().to_owned();
    let unit_name: HashMap<i32, String> =
        unit::Entity::find().all(db).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let uname = |id: i32| unit_name.get(&id).cloned().unwrap_or_default();
    let local = |t: DateTime<Utc>| LocalTime::At(t.with_timezone(&zone).naive_local());
    let booths = booth::Entity::find()
        .filter(booth::Column::VenueId.is_in(vids.clone()))
        .order_by_asc(booth::Column::Id)
        .all(db)
        .await?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    match kind {
        Kind::Units => {
            let parts = participation::Entity::find()
                .filter(participation::Column::CampaignId.eq(campaign_id))
                .order_by_asc(participation::Column::Id)
                .all(db)
                .await?;
            let mut referenced: BTreeSet<i32> = BTreeSet::new();
            let booth_ids: Vec<i32> = booths.iter().map(|b| b.id).collect();
            referenced.extend(
                booth_unit::Entity::find()
                    .filter(booth_unit::Column::BoothId.is_in(booth_ids))
                    .all(db)
                    .await?
                    .iter()
                    .map(|l| l.unit_id),
            );
            referenced.extend(
                media_coverage::Entity::find()
                    .filter(media_coverage::Column::CampaignId.eq(campaign_id))
                    .all(db)
                    .await?
                    .iter()
                    .map(|m| m.outlet_unit_id),
            );
            referenced.extend(
                dispute::Entity::find()
                    .filter(dispute::Column::CampaignId.eq(campaign_id))
                    .all(db)
                    .await?
                    .iter()
                    .filter_map(|d| d.enterprise_unit_id),
            );
            let units: HashMap<i32, unit::Model> =
                unit::Entity::find().all(db).await?.into_iter().map(|u| (u.id, u)).collect();
            let taking_part: HashSet<i32> = parts.iter().map(|p| p.unit_id).collect();
            let mut others: Vec<&unit::Model> = referenced
                .iter()
                .filter(|id| !taking_part.contains(id))
                .filter_map(|id| units.get(id))
                .collect();
            others.sort_by(|a, b| a.name.cmp(&b.name));
            let row =
                |u: &unit::Model, p: Option<&participation::Model>| -> Result<Vec<String>, StoreError> {
                    Ok(UnitRow {
                        name: u.name.clone(),
                        kind: vocab::<UnitKind>(&u.kind)?,
                        contact: u.contact.clone(),
                        participates: p.is_some(),
                        staffs_booth: p.is_some_and(|p| p.staffs_booth),
                        reconciliation_member: p.is_some_and(|p| p.reconciliation_member),
                        media: p.is_some_and(|p| p.media),
                        sponsor: p.is_some_and(|p| p.sponsor),
                    }
                    .cells(lang))
                };
            for p in &parts {
                if let Some(u) = units.get(&p.unit_id) {
                    rows.push(row(u, Some(p))?);
                }
            }
            for u in others {
                rows.push(row(u, None)?);
            }
        }
        Kind::Venues => {
            for v in &venues {
                rows.push(
                    VenueRow {
                        name: v.name.clone(),
                        kind: vocab::<VenueKind>(&v.kind)?,
                        host_unit: v.host_unit.clone(),
                        address: v.address.clone(),
                        lead: v.lead_name.clone(),
                        width_m: v.width_m,
                        depth_m: v.depth_m,
                        opens_at: v.opens_at.clone(),
                        closes_at: v.closes_at.clone(),
                    }
                    .cells(lang),
                );
            }
        }
        Kind::Booths => {
            let links = booth_unit::Entity::find()
                .filter(booth_unit::Column::BoothId.is_in(booths.iter().map(|b| b.id)))
                .all(db)
                .await?;
            let mut sorted: Vec<&booth::Model> = booths.iter().collect();
            sorted.sort_by_key(|b| (venue_pos.get(&b.venue_id).copied(), b.id));
            for b in sorted {
                let mut names: Vec<String> =
                    links.iter().filter(|l| l.booth_id == b.id).map(|l| uname(l.unit_id)).collect();
                names.sort();
                rows.push(
                    BoothRow {
                        venue: vname(b.venue_id),
                        topic: b.topic.clone(),
                        kind: vocab::<BoothKind>(&b.kind)?,
                        rect: rect(b),
                        units: names,
                    }
                    .cells(lang),
                );
            }
        }
        Kind::Activities => {
            let mut acts =
                activity::Entity::find().filter(activity::Column::VenueId.is_in(vids)).all(db).await?;
            acts.sort_by_key(|a| (venue_pos.get(&a.venue_id).copied(), a.starts_at, a.id));
            for a in acts {
                rows.push(
                    ActivityRow {
                        venue: vname(a.venue_id),
                        title: a.title,
                        kind: vocab::<ActivityKind>(&a.kind)?,
                        place: a.place,
                        starts_at: local(a.starts_at),
                        ends_at: local(a.ends_at),
                        participants: a.participants,
                        note: a.note,
                    }
                    .cells(lang),
                );
            }
        }
        Kind::Allocations => {
            let materials = material::Entity::find()
                .filter(material::Column::CampaignId.eq(campaign_id))
                .order_by_asc(material::Column::Id)
                .all(db)
                .await?;
            let allocs = material_allocation::Entity::find()
                .filter(material_allocation::Column::MaterialId.is_in(materials.iter().map(|m| m.id)))
                .all(db)
                .await?;
            for m in &materials {
                let mut mine: Vec<&material_allocation::Model> =
                    allocs.iter().filter(|a| a.material_id == m.id).collect();
                mine.sort_by_key(|a| venue_pos.get(&a.venue_id).copied());
                for a in mine {
                    rows.push(
                        AllocationRow {
                            material: m.name.clone(),
                            unit_label: Some(m.unit_label.clone()),
                            planned: Some(m.planned),
                            venue: vname(a.venue_id),
                            quantity: a.quantity,
                        }
                        .cells(lang),
                    );
                }
            }
        }
        Kind::Media => {
            let items = media_coverage::Entity::find()
                .filter(media_coverage::Column::CampaignId.eq(campaign_id))
                .order_by_asc(media_coverage::Column::Date)
                .order_by_asc(media_coverage::Column::Id)
                .all(db)
                .await?;
            let links = media_coverage_venue::Entity::find()
                .filter(media_coverage_venue::Column::CoverageId.is_in(items.iter().map(|m| m.id)))
                .all(db)
                .await?;
            for m in items {
                let mut covered: Vec<i32> =
                    links.iter().filter(|l| l.coverage_id == m.id).map(|l| l.venue_id).collect();
                covered.sort_by_key(|v| venue_pos.get(v).copied());
                rows.push(
                    MediaRow {
                        outlet: uname(m.outlet_unit_id),
                        channel: vocab::<MediaChannel>(&m.channel)?,
                        format: vocab::<MediaFormat>(&m.format)?,
                        date: m.date,
                        headline: m.headline,
                        link: m.link,
                        estimated_reach: m.estimated_reach,
                        venues: covered.into_iter().map(vname).collect(),
                    }
                    .cells(lang),
                );
            }
        }
        Kind::LogEntries => {
            let entries = log_entry::Entity::find()
                .filter(log_entry::Column::CampaignId.eq(campaign_id))
                .order_by_asc(log_entry::Column::RecordedAt)
                .order_by_asc(log_entry::Column::Id)
                .all(db)
                .await?;
            let material_name: HashMap<i32, String> = material::Entity::find()
                .filter(material::Column::CampaignId.eq(campaign_id))
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
            let booth_topic: HashMap<i32, String> = booths.iter().map(|b| (b.id, b.topic.clone())).collect();
            let activity_title: HashMap<i32, String> = activity::Entity::find()
                .filter(activity::Column::VenueId.is_in(vids))
                .all(db)
                .await?
                .into_iter()
                .map(|a| (a.id, a.title))
                .collect();
            for e in entries {
                let id = uuid::Uuid::parse_str(&e.id)
                    .map_err(|_| StoreError::Db(sea_orm::DbErr::Type(format!("log entry id {:?}", e.id))))?;
                rows.push(
                    LogEntryRow {
                        id,
                        venue: vname(e.venue_id),
                        booth: e.booth_id.and_then(|b| booth_topic.get(&b).cloned()),
                        activity: e.activity_id.and_then(|a| activity_title.get(&a).cloned()),
                        recorded_at: local(e.recorded_at),
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
                    .cells(lang),
                );
            }
        }
        Kind::Disputes => {
            let items = dispute::Entity::find()
                .filter(dispute::Column::CampaignId.eq(campaign_id))
                .order_by_asc(dispute::Column::ReceivedOn)
                .order_by_asc(dispute::Column::Id)
                .all(db)
                .await?;
            let booth_topic: HashMap<i32, String> = booths.iter().map(|b| (b.id, b.topic.clone())).collect();
            for d in items {
                rows.push(
                    DisputeRow {
                        venue: vname(d.venue_id),
                        booth: d.booth_id.and_then(|b| booth_topic.get(&b).cloned()),
                        enterprise: d.enterprise_unit_id.map(uname),
                        category: d.category,
                        summary: d.summary,
                        amount_claimed_fen: d.amount_claimed_fen,
                        status: vocab::<DisputeStatus>(&d.status)?,
                        amount_recovered_fen: d.amount_recovered_fen,
                        received_on: d.received_on,
                        closed_on: d.closed_on,
                    }
                    .cells(lang),
                );
            }
        }
    }
    Ok(write_file(kind, lang, &rows))
}
