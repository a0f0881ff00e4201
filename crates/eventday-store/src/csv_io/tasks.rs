//! The preparation checklist (工作分工表), at venues named (not numbered) or campaign-wide.
//! Keyed by (phase, title, venue): the same step may recur in another phase or at another
//! venue. The file's order is the list's order among tasks due the same day.

use super::{Ctx, ExportCtx, dup, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::tasks;
use eventday_domain::csv::{CsvRow, TaskRow};
use eventday_domain::inputs::TaskInput;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn column(field: &str) -> &str {
    match field {
        "venue_id" => "venue",
        "position" => "",
        f => f,
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, TaskRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let venues = venue_list(&ctx.tx, cid).await?;
    let stored = task::Entity::find().filter(task::Column::CampaignId.eq(cid)).all(&ctx.tx).await?;
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
        let key = (row.phase.clone(), row.title.clone(), venue_id);
        if let Some(first) = dup(&mut seen, key, line) {
            ctx.err(line, "title", format!("same task (phase, title, venue) as line {first}"));
            continue;
        }
        let old =
            stored.iter().find(|t| (&t.phase, &t.title, t.venue_id) == (&row.phase, &row.title, venue_id));
        let input = TaskInput {
            phase: row.phase,
            title: row.title,
            responsible_unit: row.responsible_unit,
            responsible_person: row.responsible_person,
            venue_id,
            due_on: row.due_on,
            status: row.status,
            notes: row.notes,
            evidence: row.evidence,
            position: old.map_or_else(|| i32::try_from(i + 1).unwrap_or(i32::MAX), |t| t.position),
        };
        if old.is_some_and(|t| crate::planning::task_input(t) == input) {
            ctx.unchanged();
            continue;
        }
        let written = tasks::save(&ctx.tx, ctx.actor(), cid, old.map(|t| t.id), &input).await;
        ctx.saved(line, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let items = task::Entity::find()
        .filter(task::Column::CampaignId.eq(x.campaign_id))
        .order_by_asc(task::Column::DueOn)
        .order_by_asc(task::Column::Position)
        .order_by_asc(task::Column::Id)
        .all(db)
        .await?;
    Ok(items
        .into_iter()
        .map(|t| {
            TaskRow {
                phase: t.phase,
                title: t.title,
                responsible_unit: t.responsible_unit,
                responsible_person: t.responsible_person,
                venue: t.venue_id.map(|v| x.venue_name(v)),
                due_on: t.due_on,
                status: t.status,
                notes: t.notes,
                evidence: t.evidence,
            }
            .cells(x.lang)
        })
        .collect())
}
