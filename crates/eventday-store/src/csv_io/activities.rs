//! Activities held by the venues.

use super::{Ctx, ExportCtx, dup, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::activities;
use eventday_domain::csv::{ActivityRow, CsvRow};
use eventday_domain::inputs::ActivityInput;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

fn column(field: &str) -> &str {
    field
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, ActivityRow)>) -> Result<(), StoreError> {
    let venues = venue_list(&ctx.tx, ctx.campaign.id).await?;
    let stored = activity::Entity::find()
        .filter(activity::Column::VenueId.is_in(venues.iter().map(|v| v.id)))
        .all(&ctx.tx)
        .await?;
    let mut seen = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        let Some(vid) = ctx.venue(&venues, line, &row.venue) else { continue };
        if let Some(first) = dup(&mut seen, (vid, row.title.clone()), line) {
            ctx.err(line, "title", format!("same activity as line {first}"));
            continue;
        }
        let (starts_at, ends_at) = match (ctx.utc(row.starts_at), ctx.utc(row.ends_at)) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(m), _) => {
                ctx.err(line, "starts_at", m);
                continue;
            }
            (_, Err(m)) => {
                ctx.err(line, "ends_at", m);
                continue;
            }
        };
        let input = ActivityInput {
            kind: row.kind,
            title: row.title,
            place: row.place,
            starts_at,
            ends_at,
            participants: row.participants,
            note: row.note,
        };
        let old = stored.iter().find(|a| a.venue_id == vid && a.title == input.title);
        let same = old.is_some_and(|a| {
            (a.kind, &a.place, a.starts_at, a.ends_at, a.participants, &a.note)
                == (input.kind, &input.place, starts_at, ends_at, input.participants, &input.note)
        });
        if same {
            ctx.unchanged();
            continue;
        }
        let actor = ctx.actor();
        let written = activities::save(&ctx.tx, actor, vid, old.map(|o| o.id), &input).await;
        ctx.saved(line, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let mut acts =
        activity::Entity::find().filter(activity::Column::VenueId.is_in(x.venue_ids())).all(db).await?;
    acts.sort_by_key(|a| (x.venue_pos(a.venue_id), a.starts_at, a.id));
    Ok(acts
        .into_iter()
        .map(|a| {
            ActivityRow {
                venue: x.venue_name(a.venue_id),
                title: a.title,
                kind: a.kind,
                place: a.place,
                starts_at: x.local(a.starts_at),
                ends_at: x.local(a.ends_at),
                participants: a.participants,
                note: a.note,
            }
            .cells(x.lang)
        })
        .collect())
}
