//! Materials allocated to venues (the catalogue item is created or changed with them).

use super::{Change, Ctx, ExportCtx, dup, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::{self, materials};
use eventday_domain::csv::{AllocationRow, CsvRow};
use eventday_domain::inputs::{AllocationInput, MaterialInput};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn column(field: &str) -> &str {
    match field {
        "name" => "material",
        "venue_id" => "venue",
        f => f,
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, AllocationRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let venues = venue_list(&ctx.tx, cid).await?;
    // Material name -> its row, as stored or as this import wrote it.
    let mut catalogue: HashMap<String, material::Model> = material::Entity::find()
        .filter(material::Column::CampaignId.eq(cid))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|m| (m.name.clone(), m))
        .collect();
    let stored: HashMap<(i32, i32), i64> = material_allocation::Entity::find()
        .filter(material_allocation::Column::MaterialId.is_in(catalogue.values().map(|m| m.id)))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|a| ((a.material_id, a.venue_id), a.quantity))
        .collect();
    // Material name -> (unit label, planned, line that set them) as the file wants them.
    let mut wanted: HashMap<String, (String, i64, u64)> = HashMap::new();
    let mut seen = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        let Some(vid) = ctx.venue(&venues, line, &row.venue) else { continue };
        if let Some(first) = dup(&mut seen, (row.material.clone(), vid), line) {
            ctx.err(line, "venue", format!("same material and venue as line {first}"));
            continue;
        }
        let old = catalogue.get(&row.material);
        let Some(label) = row.unit_label.clone().or_else(|| old.map(|m| m.unit_label.clone())) else {
            ctx.err(line, "unit_label", format!("required to create material {:?}", row.material));
            continue;
        };
        let planned = row.planned.or(old.map(|m| m.planned)).unwrap_or(0);
        match wanted.get(&row.material) {
            Some((l, p, first)) if *l != label || *p != planned => {
                let key = if *l == label { "planned" } else { "unit_label" };
                ctx.err(line, key, format!("differs from line {first} for the same material"));
                continue;
            }
            Some(_) => {}
            None => {
                wanted.insert(row.material.clone(), (label.clone(), planned, line));
            }
        }
        let input = MaterialInput {
            name: row.material.clone(),
            name_en: old.and_then(|m| m.name_en.clone()),
            unit_label: label,
            planned,
            stock: old.and_then(|m| m.stock),
        };
        let material_same = old.is_some_and(|m| m.unit_label == input.unit_label && m.planned == planned);
        let before = old.and_then(|m| stored.get(&(m.id, vid)));
        if material_same && before == Some(&row.quantity) {
            ctx.unchanged();
            continue;
        }
        let actor = ctx.actor();
        let tx = &ctx.tx;
        let written = async {
            let material = match old {
                Some(m) if material_same => m.clone(),
                Some(m) => materials::change(tx, actor, m.id, &input).await?,
                None => materials::insert(tx, actor, cid, &input).await?,
            };
            planning::allocate(tx, actor, material.id, vid, &AllocationInput { quantity: row.quantity })
                .await?;
            Ok(material)
        }
        .await;
        let change = if before.is_some() { Change::Updated } else { Change::Created };
        if let Some(m) = ctx.outcome(line, change, written, column)? {
            catalogue.insert(m.name.clone(), m);
        }
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let materials = material::Entity::find()
        .filter(material::Column::CampaignId.eq(x.campaign_id))
        .order_by_asc(material::Column::Id)
        .all(db)
        .await?;
    let allocs = material_allocation::Entity::find()
        .filter(material_allocation::Column::MaterialId.is_in(materials.iter().map(|m| m.id)))
        .all(db)
        .await?;
    let mut rows = Vec::new();
    for m in &materials {
        let mut mine: Vec<&material_allocation::Model> =
            allocs.iter().filter(|a| a.material_id == m.id).collect();
        mine.sort_by_key(|a| x.venue_pos(a.venue_id));
        for a in mine {
            rows.push(
                AllocationRow {
                    material: m.name.clone(),
                    unit_label: Some(m.unit_label.clone()),
                    planned: Some(m.planned),
                    venue: x.venue_name(a.venue_id),
                    quantity: a.quantity,
                }
                .cells(x.lang),
            );
        }
    }
    Ok(rows)
}
