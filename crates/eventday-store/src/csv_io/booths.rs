//! Booths on the venues' floor plans.

use super::{Ctx, ExportCtx, dup, of_venues, rect, unit_map, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::booths;
use eventday_domain::csv::{BoothRow, CsvRow};
use eventday_domain::inputs::BoothInput;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap};

fn column(field: &str) -> &str {
    match field {
        "rect" => "x",
        "conflicting_booth_id" => "",
        f if f.starts_with("unit_ids") => "units",
        f => f,
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, BoothRow)>) -> Result<(), StoreError> {
    let venues = venue_list(&ctx.tx, ctx.campaign.id).await?;
    let units = unit_map(&ctx.tx).await?;
    let stored = of_venues::<booth::Entity>(&ctx.tx, booth::Column::VenueId, &venues).await?;
    let links = booth_unit::Entity::find()
        .filter(booth_unit::Column::BoothId.is_in(stored.iter().map(|b| b.id)))
        .all(&ctx.tx)
        .await?;
    let mut seen = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        let Some(vid) = ctx.venue(&venues, line, &row.venue) else { continue };
        if let Some(first) = dup(&mut seen, (vid, row.topic.clone()), line) {
            ctx.err(line, "topic", format!("same booth as line {first}"));
            continue;
        }
        let mut unit_ids = BTreeSet::new();
        for name in &row.units {
            match units.get(name) {
                Some(u) => {
                    unit_ids.insert(u.id);
                }
                None => ctx.err(line, "units", format!("no unit named {name:?}")),
            }
        }
        if unit_ids.len() < row.units.len() {
            continue;
        }
        let old = stored.iter().find(|b| b.venue_id == vid && b.topic == row.topic);
        let same = old.is_some_and(|b| {
            let old_units: BTreeSet<i32> =
                links.iter().filter(|l| l.booth_id == b.id).map(|l| l.unit_id).collect();
            let placed = b.placed.then(|| rect(b));
            b.kind == row.kind && placed == row.rect && old_units == unit_ids
        });
        if same {
            ctx.unchanged();
            continue;
        }
        let input = BoothInput {
            topic: row.topic,
            kind: row.kind,
            x: row.rect.map(|r| r.x),
            y: row.rect.map(|r| r.y),
            w: row.rect.map(|r| r.w),
            h: row.rect.map(|r| r.h),
            rotation_deg: row.rect.map_or(0.0, |r| r.rotation_deg),
            unit_ids: unit_ids.into_iter().collect(),
        };
        let actor = ctx.actor();
        let written = booths::save(&ctx.tx, actor, vid, old.map(|o| o.id), &input).await;
        ctx.saved(line, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let links = booth_unit::Entity::find()
        .filter(booth_unit::Column::BoothId.is_in(x.booths.iter().map(|b| b.id)))
        .all(db)
        .await?;
    let mut sorted: Vec<&booth::Model> = x.booths.iter().collect();
    sorted.sort_by_key(|b| (x.venue_pos(b.venue_id), b.id));
    Ok(sorted
        .into_iter()
        .map(|b| {
            let mut names: Vec<String> =
                links.iter().filter(|l| l.booth_id == b.id).map(|l| x.unit_name(l.unit_id)).collect();
            names.sort();
            BoothRow {
                venue: x.venue_name(b.venue_id),
                topic: b.topic.clone(),
                kind: b.kind,
                rect: b.placed.then(|| rect(b)),
                units: names,
            }
            .cells(x.lang)
        })
        .collect())
}
