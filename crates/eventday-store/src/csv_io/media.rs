//! Media coverage of the campaign.

use super::{Ctx, ExportCtx, dup, no_venue, unit_map, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::media;
use eventday_domain::csv::{CsvRow, MediaRow};
use eventday_domain::inputs::MediaInput;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeSet, HashMap};

fn column(field: &str) -> &str {
    match field {
        "outlet_unit_id" => "outlet",
        f if f.starts_with("venue_ids") => "venues",
        f => f,
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, MediaRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let venues = venue_list(&ctx.tx, cid).await?;
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
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        let Some(outlet) = units.get(&row.outlet).map(|u| u.id) else {
            ctx.err(line, "outlet", format!("no unit named {:?}", row.outlet));
            continue;
        };
        let mut vids = BTreeSet::new();
        for name in &row.venues {
            match venues.iter().find(|v| v.name == *name) {
                Some(v) => {
                    vids.insert(v.id);
                }
                None => ctx.err(line, "venues", no_venue(name)),
            }
        }
        if vids.len() < row.venues.len() {
            continue;
        }
        if let Some(first) = dup(&mut seen, (outlet, row.date, row.headline.clone()), line) {
            ctx.err(line, "headline", format!("same report as line {first}"));
            continue;
        }
        let old = stored
            .iter()
            .find(|m| m.outlet_unit_id == outlet && m.date == row.date && m.headline == row.headline);
        let same = old.is_some_and(|m| {
            let old_v: BTreeSet<i32> =
                links.iter().filter(|l| l.coverage_id == m.id).map(|l| l.venue_id).collect();
            (m.channel, m.format, &m.link, m.estimated_reach, &old_v, &m.slot)
                == (row.channel, row.format, &row.link, row.estimated_reach, &vids, &row.slot)
        });
        if same {
            ctx.unchanged();
            continue;
        }
        let input = MediaInput {
            outlet_unit_id: outlet,
            channel: row.channel,
            format: row.format,
            date: row.date,
            headline: row.headline,
            link: row.link,
            estimated_reach: row.estimated_reach,
            slot: row.slot,
            venue_ids: vids.into_iter().collect(),
        };
        let actor = ctx.actor();
        let written = media::save(&ctx.tx, actor, cid, old.map(|o| o.id), &input).await;
        ctx.saved(line, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let items = media_coverage::Entity::find()
        .filter(media_coverage::Column::CampaignId.eq(x.campaign_id))
        .order_by_asc(media_coverage::Column::Date)
        .order_by_asc(media_coverage::Column::Id)
        .all(db)
        .await?;
    let links = media_coverage_venue::Entity::find()
        .filter(media_coverage_venue::Column::CoverageId.is_in(items.iter().map(|m| m.id)))
        .all(db)
        .await?;
    Ok(items
        .into_iter()
        .map(|m| {
            let mut covered: Vec<i32> =
                links.iter().filter(|l| l.coverage_id == m.id).map(|l| l.venue_id).collect();
            covered.sort_by_key(|v| x.venue_pos(*v));
            MediaRow {
                outlet: x.unit_name(m.outlet_unit_id),
                channel: m.channel,
                format: m.format,
                date: m.date,
                headline: m.headline,
                link: m.link,
                estimated_reach: m.estimated_reach,
                venues: covered.into_iter().map(|v| x.venue_name(v)).collect(),
                slot: m.slot,
            }
            .cells(x.lang)
        })
        .collect())
}
