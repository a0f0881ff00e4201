//! Officials who attended, at venues named (not numbered). Keyed by (name, title,
//! organization, venue): masked names ("xx") repeat.

use super::{Ctx, ExportCtx, dup, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::officials;
use eventday_domain::csv::{CsvRow, OfficialRow};
use eventday_domain::inputs::OfficialInput;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn column(field: &str) -> &str {
    match field {
        "venue_id" => "venue",
        f => f,
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, OfficialRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let venues = venue_list(&ctx.tx, cid).await?;
    let stored = official::Entity::find().filter(official::Column::CampaignId.eq(cid)).all(&ctx.tx).await?;
    let mut seen = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        let venue_id = match &row.venue {
            Some(name) => match ctx.venue(&venues, line, name) {
                Some(v) => Some(v),
                None => continue,
            },
            None => None,
        };
        let key = (row.name.clone(), row.title.clone(), row.organization.clone(), venue_id);
        if let Some(first) = dup(&mut seen, key, line) {
            ctx.err(
                line,
                "name",
                format!("same official (name, title, organization, venue) as line {first}"),
            );
            continue;
        }
        let old = stored.iter().find(|o| {
            (&o.name, &o.title, &o.organization, o.venue_id)
                == (&row.name, &row.title, &row.organization, venue_id)
        });
        let input = OfficialInput {
            name: row.name,
            title: row.title,
            organization: row.organization,
            venue_id,
            role: row.role,
            masked: row.masked,
        };
        if old.is_some_and(|o| {
            (&o.title, &o.organization, &o.role, o.masked)
                == (&input.title, &input.organization, &input.role, input.masked)
        }) {
            ctx.unchanged();
            continue;
        }
        let written = officials::save(&ctx.tx, ctx.actor(), cid, old.map(|o| o.id), &input).await;
        ctx.saved(line, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let items = official::Entity::find()
        .filter(official::Column::CampaignId.eq(x.campaign_id))
        .order_by_asc(official::Column::Id)
        .all(db)
        .await?;
    Ok(items
        .into_iter()
        .map(|o| {
            OfficialRow {
                name: o.name,
                title: o.title,
                organization: o.organization,
                venue: o.venue_id.map(|v| x.venue_name(v)),
                role: o.role,
                masked: o.masked,
            }
            .cells(x.lang)
        })
        .collect())
}
