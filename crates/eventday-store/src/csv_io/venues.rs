//! Venues of the campaign.

use super::{Ctx, ExportCtx, dup, venue_list};
use crate::error::StoreError;
use crate::planning::{Saved, venues};
use eventday_domain::csv::{CsvRow, VenueRow};
use eventday_domain::inputs::VenueInput;
use std::collections::HashMap;

fn column(field: &str) -> &str {
    match field {
        "lead_name" => "lead",
        f => f,
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, VenueRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let existing = venue_list(&ctx.tx, cid).await?;
    let mut position = existing.iter().map(|v| v.position).max().map_or(0, |p| p + 1);
    let mut seen = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        if let Some(first) = dup(&mut seen, row.name.clone(), line) {
            ctx.err(line, "name", format!("same venue as line {first}"));
            continue;
        }
        let old = existing.iter().find(|v| v.name == row.name);
        let input = VenueInput {
            kind: row.kind,
            // A file without English names keeps the stored ones.
            name_en: row.name_en.or_else(|| old.and_then(|v| v.name_en.clone())),
            name: row.name,
            host_unit: row.host_unit,
            address: row.address,
            lead_name: row.lead,
            setting: row.setting,
            width_m: row.width_m,
            depth_m: row.depth_m,
            opens_at: row.opens_at,
            closes_at: row.closes_at,
            position: old.map_or(position, |v| v.position),
        };
        if old.is_some_and(|v| same(v, &input)) {
            ctx.unchanged();
            continue;
        }
        let written = venues::save(&ctx.tx, ctx.actor(), cid, old.map(|v| v.id), &input).await;
        let created = matches!(written, Ok(Saved::Created(_)));
        if ctx.saved(line, written, column)?.is_some() && created {
            position += 1;
        }
    }
    Ok(())
}

fn same(v: &crate::entities::venue::Model, i: &VenueInput) -> bool {
    let plan = v.has_plan.then_some((v.width_m, v.depth_m));
    let wanted = i.width_m.zip(i.depth_m);
    v.name_en == i.name_en
        && (v.kind, v.setting, &v.host_unit, &v.address, &v.lead_name, plan, &v.opens_at, &v.closes_at)
            == (i.kind, i.setting, &i.host_unit, &i.address, &i.lead_name, wanted, &i.opens_at, &i.closes_at)
}

pub(super) fn export(x: &ExportCtx) -> Vec<Vec<String>> {
    x.venues
        .iter()
        .map(|v| {
            VenueRow {
                name: v.name.clone(),
                name_en: v.name_en.clone(),
                kind: v.kind,
                host_unit: v.host_unit.clone(),
                address: v.address.clone(),
                lead: v.lead_name.clone(),
                width_m: v.has_plan.then_some(v.width_m),
                depth_m: v.has_plan.then_some(v.depth_m),
                opens_at: v.opens_at.clone(),
                closes_at: v.closes_at.clone(),
                setting: v.setting,
            }
            .cells(x.lang)
        })
        .collect()
}
