//! The material catalogue: name, counting unit, quantity planned and in stock.

use super::{Ctx, ExportCtx, dup};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::materials;
use eventday_domain::csv::{CsvRow, MaterialRow};
use eventday_domain::inputs::MaterialInput;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn column(field: &str) -> &str {
    field
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, MaterialRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let stored = material::Entity::find().filter(material::Column::CampaignId.eq(cid)).all(&ctx.tx).await?;
    let mut seen = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        if let Some(first) = dup(&mut seen, row.name.clone(), line) {
            ctx.err(line, "name", format!("same material as line {first}"));
            continue;
        }
        let old = stored.iter().find(|m| m.name == row.name);
        if old
            .is_some_and(|m| (&m.unit_label, m.planned, m.stock) == (&row.unit_label, row.planned, row.stock))
        {
            ctx.unchanged();
            continue;
        }
        let input = MaterialInput {
            name: row.name,
            // The materials file has no English name: the stored one stays.
            name_en: old.and_then(|m| m.name_en.clone()),
            unit_label: row.unit_label,
            planned: row.planned,
            stock: row.stock,
        };
        let written = materials::save(&ctx.tx, ctx.actor(), cid, old.map(|m| m.id), &input).await;
        ctx.saved(line, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let items = material::Entity::find()
        .filter(material::Column::CampaignId.eq(x.campaign_id))
        .order_by_asc(material::Column::Id)
        .all(db)
        .await?;
    Ok(items
        .into_iter()
        .map(|m| {
            MaterialRow { name: m.name, unit_label: m.unit_label, planned: m.planned, stock: m.stock }
                .cells(x.lang)
        })
        .collect())
}
