//! Consumer disputes received on the day, with their status and outcome.

use super::{Change, Ctx, ExportCtx, dup, unit_map, venue_list};
use crate::entities::*;
use crate::error::StoreError;
use crate::planning::{self, disputes};
use eventday_domain::csv::{CsvRow, DisputeRow};
use eventday_domain::inputs::{DisputeInput, DisputeStatusChange};
use eventday_domain::{DisputeStatus, Lang};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

fn column(field: &str) -> &str {
    match field {
        "booth_id" => "booth",
        "enterprise_unit_id" => "enterprise",
        f if f.starts_with("venue_id") => "venue",
        f => f,
    }
}

pub(super) async fn import(ctx: &mut Ctx<'_>, rows: Vec<(u64, DisputeRow)>) -> Result<(), StoreError> {
    let cid = ctx.campaign.id;
    let venues = venue_list(&ctx.tx, cid).await?;
    let booths: HashMap<(i32, String), i32> = booth::Entity::find()
        .filter(booth::Column::VenueId.is_in(venues.iter().map(|v| v.id)))
        .all(&ctx.tx)
        .await?
        .into_iter()
        .map(|b| ((b.venue_id, b.topic), b.id))
        .collect();
    let units = unit_map(&ctx.tx).await?;
    let stored = dispute::Entity::find().filter(dispute::Column::CampaignId.eq(cid)).all(&ctx.tx).await?;
    let mut seen = HashMap::new();
    let total = rows.len();
    for (i, (line, row)) in rows.into_iter().enumerate() {
        ctx.tick(i + 1, total);
        let Some(vid) = ctx.venue(&venues, line, &row.venue) else { continue };
        let booth_id = match &row.booth {
            None => None,
            Some(t) => match booths.get(&(vid, t.clone())) {
                Some(b) => Some(*b),
                None => {
                    ctx.err(line, "booth", format!("no booth {t:?} at venue {:?}", row.venue));
                    continue;
                }
            },
        };
        let enterprise = match &row.enterprise {
            None => None,
            Some(n) => match units.get(n) {
                Some(u) => Some(u.id),
                None => {
                    ctx.err(line, "enterprise", format!("no unit named {n:?}"));
                    continue;
                }
            },
        };
        let key = (vid, row.received_on, row.category.clone(), enterprise, row.summary.clone());
        if let Some(first) = dup(&mut seen, key, line) {
            ctx.err(line, "summary", format!("same dispute as line {first}"));
            continue;
        }
        let old = stored.iter().find(|d| {
            d.venue_id == vid
                && d.received_on == row.received_on
                && d.category == row.category
                && d.enterprise_unit_id == enterprise
                && d.summary == row.summary
        });
        if let Some(d) = old
            && d.status != row.status
            && !d.status.can_move_to(row.status)
        {
            let why =
                format!("cannot move from {} to {}", d.status.label(Lang::Zh), row.status.label(Lang::Zh));
            ctx.err(line, "status", why);
            continue;
        }
        let same = old.is_some_and(|d| {
            (d.booth_id, d.amount_claimed_fen, d.status, d.amount_recovered_fen, d.closed_on)
                == (booth_id, row.amount_claimed_fen, row.status, row.amount_recovered_fen, row.closed_on)
        });
        if same {
            ctx.unchanged();
            continue;
        }
        let input = DisputeInput {
            venue_id: vid,
            booth_id,
            enterprise_unit_id: enterprise,
            category: row.category.clone(),
            summary: row.summary.clone(),
            amount_claimed_fen: row.amount_claimed_fen,
            received_on: row.received_on,
        };
        let written = write(&ctx.tx, ctx.actor(), cid, old, &input, &row).await;
        let change = if old.is_some() { Change::Updated } else { Change::Created };
        ctx.outcome(line, change, written, column)?;
    }
    Ok(())
}

/// Creates or changes a dispute, then moves it to the row's status (or corrects its outcome).
async fn write(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    campaign_id: i32,
    old: Option<&dispute::Model>,
    input: &DisputeInput,
    row: &DisputeRow,
) -> Result<(), StoreError> {
    let d = match old {
        Some(d) if (d.booth_id, d.amount_claimed_fen) == (input.booth_id, input.amount_claimed_fen) => {
            d.clone()
        }
        Some(d) => disputes::change(tx, actor, d.id, input).await?,
        None => disputes::insert(tx, actor, campaign_id, input).await?,
    };
    let outcome_same = (d.amount_recovered_fen, d.closed_on) == (row.amount_recovered_fen, row.closed_on);
    if d.status == row.status && outcome_same {
        return Ok(());
    }
    let change = DisputeStatusChange {
        status: row.status,
        amount_recovered_fen: (row.status == DisputeStatus::Settled).then_some(row.amount_recovered_fen),
        closed_on: row.closed_on.filter(|_| row.status.is_final()),
    };
    planning::move_dispute_in(tx, actor, d.id, &change).await?;
    Ok(())
}

pub(super) async fn export(db: &impl ConnectionTrait, x: &ExportCtx) -> Result<Vec<Vec<String>>, StoreError> {
    let items = dispute::Entity::find()
        .filter(dispute::Column::CampaignId.eq(x.campaign_id))
        .order_by_asc(dispute::Column::ReceivedOn)
        .order_by_asc(dispute::Column::Id)
        .all(db)
        .await?;
    Ok(items
        .into_iter()
        .map(|d| {
            DisputeRow {
                venue: x.venue_name(d.venue_id),
                booth: d.booth_id.and_then(|b| x.booth_topic(b)),
                enterprise: d.enterprise_unit_id.map(|u| x.unit_name(u)),
                category: d.category,
                summary: d.summary,
                amount_claimed_fen: d.amount_claimed_fen,
                status: d.status,
                amount_recovered_fen: d.amount_recovered_fen,
                received_on: d.received_on,
                closed_on: d.closed_on,
            }
            .cells(x.lang)
        })
        .collect())
}
