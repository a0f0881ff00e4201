//! The report's written sections, keyed by (language, key).

use super::{Ctx, ExportCtx, dup};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::narrative;
use eventday_domain::csv::{CsvRow, NarrativeRow};
use eventday_domain::inputs::NarrativeInput;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn column(field: &str) -> &str {
    field
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, NarrativeRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let stored = narrative_section::Entity::find()
        .filter(narrative_section::Column::CampaignId.eq(cid))
        .all(&ctx.tx)
        .await?;
    let mut seen = HashMap::new();
    // Without a position, a section comes after the one before it in the file.
    let mut next: HashMap<eventday_domain::Lang, i32> = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        if let Some(first) = dup(&mut seen, (row.lang, row.key.clone()), line) {
            ctx.err(line, "key", format!("same section as line {first}"));
            continue;
        }
        let slot = next.entry(row.lang).or_insert(1);
        let position = row.position.unwrap_or(*slot);
        *slot = position + 1;
        let old = stored.iter().find(|s| s.lang == row.lang && s.key == row.key);
        let input = NarrativeInput {
            lang: row.lang,
            key: row.key,
            position,
            heading: row.heading,
            body: row.body,
            next_steps: row.next_steps,
        };
        if old.is_some_and(|s| {
            (s.position, &s.heading, &s.body, s.next_steps)
                == (input.position, &input.heading, &input.body, input.next_steps)
        }) {
            ctx.unchanged();
            continue;
        }
        let written = narrative::save(&ctx.tx, ctx.actor(), cid, old.map(|s| s.id), &input).await;
        ctx.saved(line, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let items = narrative_section::Entity::find()
        .filter(narrative_section::Column::CampaignId.eq(x.campaign_id))
        .order_by_asc(narrative_section::Column::Lang)
        .order_by_asc(narrative_section::Column::Position)
        .order_by_asc(narrative_section::Column::Id)
        .all(db)
        .await?;
    Ok(items
        .into_iter()
        .map(|s| {
            NarrativeRow {
                lang: s.lang,
                key: s.key,
                position: Some(s.position),
                heading: s.heading,
                body: s.body,
                next_steps: s.next_steps,
            }
            .cells(x.lang)
        })
        .collect())
}
