//! Units: the shared directory, and whether each takes part in the campaign.

use super::{Change, Ctx, ExportCtx, dup, unit_map};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::{participations, units};
use eventday_domain::csv::{CsvRow, UnitRow};
use eventday_domain::inputs::{ParticipationInput, UnitInput};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeSet, HashMap, HashSet};

fn column(field: &str) -> &str {
    field
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, UnitRow)>) -> Result<(), StoreError> {
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
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        if let Some(first) = dup(&mut seen, row.name.clone(), line) {
            ctx.err(line, "name", format!("same unit as line {first}"));
            continue;
        }
        let unit = existing.get(&row.name);
        // A file without English names keeps the stored ones.
        let name_en = row.name_en.clone().or_else(|| unit.and_then(|u| u.name_en.clone()));
        let input = UnitInput {
            name: row.name.clone(),
            name_en,
            kind: row.kind,
            contact: row.contact.clone(),
            short_name: row.short_name.clone(),
            industry: row.industry.clone(),
            platform_joined_year: row.platform_joined_year,
        };
        let part = ParticipationInput {
            unit_id: 0,
            staffs_booth: row.staffs_booth,
            reconciliation_member: row.reconciliation_member,
            media: row.media,
            sponsor: row.sponsor,
            to_confirm: false,
        };
        let old_part = unit.and_then(|u| parts.get(&u.id));
        let unit_same = unit.is_some_and(|u| {
            u.name_en == input.name_en
                && (u.kind, &u.contact, &u.short_name, &u.industry, u.platform_joined_year)
                    == (row.kind, &row.contact, &row.short_name, &row.industry, row.platform_joined_year)
        });
        let part_same = !row.participates
            || old_part.is_some_and(|p| {
                (p.staffs_booth, p.reconciliation_member, p.media, p.sponsor)
                    == (part.staffs_booth, part.reconciliation_member, part.media, part.sponsor)
            });
        if unit_same && part_same {
            ctx.unchanged();
            continue;
        }
        let actor = ctx.actor();
        let tx = &ctx.tx;
        let change = if unit.is_some() { Change::Updated } else { Change::Created };
        let written = async {
            let unit = match unit {
                None => units::insert(tx, actor, 0, &input).await?,
                Some(u) if unit_same => u.clone(),
                Some(u) => units::change(tx, actor, u.id, &input).await?,
            };
            if row.participates && !part_same {
                let part = ParticipationInput { unit_id: unit.id, ..part };
                match old_part {
                    Some(p) => participations::change(tx, actor, p.id, &part).await?,
                    None => participations::insert(tx, actor, cid, &part).await?,
                };
            }
            Ok(())
        }
        .await;
        ctx.outcome(line, change, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let cid = x.campaign_id;
    let parts = participation::Entity::find()
        .filter(participation::Column::CampaignId.eq(cid))
        .order_by_asc(participation::Column::Id)
        .all(db)
        .await?;
    // Units the campaign refers to without a participation are exported too, so that an import
    // into an empty campaign finds every name.
    let mut referenced: BTreeSet<i32> = BTreeSet::new();
    referenced.extend(
        booth_unit::Entity::find()
            .filter(booth_unit::Column::BoothId.is_in(x.booths.iter().map(|b| b.id)))
            .all(db)
            .await?
            .iter()
            .map(|l| l.unit_id),
    );
    referenced.extend(
        media_coverage::Entity::find()
            .filter(media_coverage::Column::CampaignId.eq(cid))
            .all(db)
            .await?
            .iter()
            .map(|m| m.outlet_unit_id),
    );
    referenced.extend(
        dispute::Entity::find()
            .filter(dispute::Column::CampaignId.eq(cid))
            .all(db)
            .await?
            .iter()
            .filter_map(|d| d.enterprise_unit_id),
    );
    let units: HashMap<i32, unit::Model> =
        unit::Entity::find().all(db).await?.into_iter().map(|u| (u.id, u)).collect();
    let taking_part: HashSet<i32> = parts.iter().map(|p| p.unit_id).collect();
    let mut others: Vec<&unit::Model> =
        referenced.iter().filter(|id| !taking_part.contains(id)).filter_map(|id| units.get(id)).collect();
    others.sort_by(|a, b| a.name.cmp(&b.name));
    let row = |u: &unit::Model, p: Option<&participation::Model>| {
        UnitRow {
            name: u.name.clone(),
            name_en: u.name_en.clone(),
            kind: u.kind,
            contact: u.contact.clone(),
            participates: p.is_some(),
            staffs_booth: p.is_some_and(|p| p.staffs_booth),
            reconciliation_member: p.is_some_and(|p| p.reconciliation_member),
            media: p.is_some_and(|p| p.media),
            sponsor: p.is_some_and(|p| p.sponsor),
            short_name: u.short_name.clone(),
            industry: u.industry.clone(),
            platform_joined_year: u.platform_joined_year,
        }
        .cells(x.lang)
    };
    let mut rows: Vec<Vec<String>> =
        parts.iter().filter_map(|p| units.get(&p.unit_id).map(|u| row(u, Some(p)))).collect();
    rows.extend(others.into_iter().map(|u| row(u, None)));
    Ok(rows)
}
