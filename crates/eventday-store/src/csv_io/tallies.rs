//! Closing tallies: one per booth (by venue name and booth topic) or per venue (no booth).

use super::{Ctx, ExportCtx, booth_ids, dup, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::tallies;
use eventday_domain::csv::{CsvRow, TallyRow};
use eventday_domain::inputs::TallyInput;
use eventday_domain::totals::Figures;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

fn column(field: &str) -> &str {
    match field {
        "booth_id" => "booth",
        f => f,
    }
}

fn figures(t: &closing_tally::Model) -> Figures {
    Figures {
        visitors: t.visitors,
        consultations: t.consultations,
        complaints_received: t.complaints_received,
        complaints_settled: t.complaints_settled,
        money_recovered_fen: t.money_recovered_fen,
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, TallyRow)>) -> Result<(), StoreError> {
    let venues = venue_list(&ctx.tx, ctx.campaign.id).await?;
    let booths = booth_ids(&ctx.tx, &venues).await?;
    let stored = closing_tally::Entity::find()
        .filter(closing_tally::Column::VenueId.is_in(venues.iter().map(|v| v.id)))
        .all(&ctx.tx)
        .await?;
    let mut seen = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        let Some(vid) = ctx.venue(&venues, line, &row.venue) else { continue };
        let booth_id = match &row.booth {
            Some(topic) => match booths.get(&(vid, topic.clone())) {
                Some(b) => Some(*b),
                None => {
                    ctx.err(line, "booth", format!("no booth {topic:?} at venue {:?}", row.venue));
                    continue;
                }
            },
            None => None,
        };
        if let Some(first) = dup(&mut seen, (vid, booth_id), line) {
            ctx.err(line, "booth", format!("a second tally for the same booth or venue as line {first}"));
            continue;
        }
        let old = stored.iter().find(|t| t.venue_id == vid && t.booth_id == booth_id);
        if old.is_some_and(|t| figures(t) == row.figures && t.note == row.note) {
            ctx.unchanged();
            continue;
        }
        let input = TallyInput { booth_id, figures: row.figures, note: row.note, recorded_at: None };
        let written = tallies::save(&ctx.tx, ctx.actor(), vid, old.map(|t| t.id), &input).await;
        ctx.saved(line, written, column)?;
    }
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let mut items = closing_tally::Entity::find()
        .filter(closing_tally::Column::VenueId.is_in(x.venue_ids()))
        .all(db)
        .await?;
    items.sort_by_key(|t| (x.venue_pos(t.venue_id), t.booth_id.is_some(), t.id));
    Ok(items
        .iter()
        .map(|t| {
            TallyRow {
                venue: x.venue_name(t.venue_id),
                booth: t.booth_id.and_then(|b| x.booth_topic(b)),
                figures: figures(t),
                note: t.note.clone(),
            }
            .cells(x.lang)
        })
        .collect())
}
