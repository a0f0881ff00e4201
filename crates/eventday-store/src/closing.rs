//! Closing tallies in the totals: a booth's or a venue's closing count replaces the log figures
//! of the same scope (see [`ClosingAdjustment`] for the rule). Every total (the campaign summary
//! behind the dashboard, API and report, the live totals and the roll-ups) applies the
//! adjustments read here on top of the summed log figures, so none counts anything twice.

use crate::error::StoreError;
use crate::sql::statement;
use crate::sums::{FIGURE_COLUMNS, counted_sql, saturating_sums};
use eventday_domain::totals::{ClosingAdjustment, Figures};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use std::collections::HashMap;

/// Values per `IN (...)` list.
const PER_QUERY: usize = 500;

fn marks(n: usize) -> String {
    vec!["?"; n.max(1)].join(", ")
}

#[derive(FromQueryResult)]
struct TallyRow {
    venue_id: i32,
    campaign_id: i32,
    booth_id: Option<i32>,
    visitors: i64,
    consultations: i64,
    complaints_received: i64,
    complaints_settled: i64,
    money_recovered_fen: i64,
}

#[derive(FromQueryResult)]
struct VenueSums {
    venue_id: i32,
    visitors: i64,
    consultations: i64,
    complaints_received: i64,
    complaints_settled: i64,
    money_recovered_fen: i64,
}

fn figures(v: i64, c: i64, r: i64, s: i64, m: i64) -> Figures {
    Figures {
        visitors: v,
        consultations: c,
        complaints_received: r,
        complaints_settled: s,
        money_recovered_fen: m,
    }
}

/// One venue's adjustment and its campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VenueAdjustment {
    /// The venue's campaign.
    pub campaign_id: i32,
    /// What the venue's tallies change.
    pub adjustment: ClosingAdjustment,
}

/// The adjustments of every venue with a closing tally among the campaigns `campaign_ids`, by
/// venue id (venues without a tally are not listed: their figures are their log figures).
///
/// # Errors
/// Database errors.
pub async fn adjustments(
    db: &impl ConnectionTrait,
    campaign_ids: &[i32],
) -> Result<HashMap<i32, VenueAdjustment>, StoreError> {
    let backend = db.get_database_backend();
    let mut out = HashMap::new();
    for chunk in campaign_ids.chunks(PER_QUERY) {
        let values: Vec<Value> = chunk.iter().map(|&c| c.into()).collect();
        let rows = TallyRow::find_by_statement(statement(
            backend,
            &format!(
                "SELECT t.venue_id AS venue_id, v.campaign_id AS campaign_id, t.booth_id AS booth_id, \
                   t.visitors AS visitors, t.consultations AS consultations, \
                   t.complaints_received AS complaints_received, t.complaints_settled AS complaints_settled, \
                   t.money_recovered_fen AS money_recovered_fen \
                 FROM closing_tallies t JOIN venues v ON v.id = t.venue_id \
                 WHERE v.campaign_id IN ({}) ORDER BY t.venue_id, t.id",
                marks(chunk.len())
            ),
            values,
        ))
        .all(db)
        .await?;
        if rows.is_empty() {
            continue;
        }
        // Per venue: its own tally, its booths' tallies, the booths counted.
        let mut per_venue: HashMap<i32, (i32, Option<Figures>, Figures, Vec<i32>)> = HashMap::new();
        for r in rows {
            let f = figures(
                r.visitors,
                r.consultations,
                r.complaints_received,
                r.complaints_settled,
                r.money_recovered_fen,
            );
            let e =
                per_venue.entry(r.venue_id).or_insert((r.campaign_id, None, Figures::default(), Vec::new()));
            match r.booth_id {
                None => e.1 = Some(f),
                Some(b) => {
                    e.2 += f;
                    e.3.push(b);
                }
            }
        }
        let whole: Vec<i32> = per_venue.iter().filter(|(_, v)| v.1.is_some()).map(|(id, _)| *id).collect();
        let booths: Vec<i32> =
            per_venue.values().filter(|v| v.1.is_none()).flat_map(|v| v.3.clone()).collect();
        let venue_logged = sums(
            db,
            "SELECT s.venue_id AS venue_id, {} FROM venue_tallies s WHERE s.venue_id IN ({}) GROUP BY s.venue_id",
            "s.",
            &whole,
        )
        .await?;
        // The booth figures a booth tally replaces: only entries that count (not replaced by a
        // correction, not voids), as everywhere else.
        let booth_sql = format!(
            "SELECT e.venue_id AS venue_id, {{}} FROM log_entries e WHERE e.booth_id IN ({{}}) AND {} \
             GROUP BY e.venue_id",
            counted_sql(backend, "e.")
        );
        let booth_logged = sums(db, &booth_sql, "e.", &booths).await?;
        for (venue_id, (campaign_id, own, booth_tallies, _)) in per_venue {
            let adjustment = ClosingAdjustment::of_venue(
                own,
                venue_logged.get(&venue_id).copied().unwrap_or_default(),
                booth_tallies,
                booth_logged.get(&venue_id).copied().unwrap_or_default(),
            );
            out.insert(venue_id, VenueAdjustment { campaign_id, adjustment });
        }
    }
    Ok(out)
}

/// Figures summed per venue by `sql` (`{}`: the sums, then the `IN` list) over `ids`.
async fn sums(
    db: &impl ConnectionTrait,
    sql: &str,
    prefix: &str,
    ids: &[i32],
) -> Result<HashMap<i32, Figures>, StoreError> {
    let backend = db.get_database_backend();
    let mut out: HashMap<i32, Figures> = HashMap::new();
    for chunk in ids.chunks(PER_QUERY) {
        let sql = sql.replacen("{}", &saturating_sums(backend, prefix, &FIGURE_COLUMNS), 1).replacen(
            "{}",
            &marks(chunk.len()),
            1,
        );
        let rows =
            VenueSums::find_by_statement(statement(backend, &sql, chunk.iter().map(|&i| i.into()).collect()))
                .all(db)
                .await?;
        for r in rows {
            *out.entry(r.venue_id).or_default() += figures(
                r.visitors,
                r.consultations,
                r.complaints_received,
                r.complaints_settled,
                r.money_recovered_fen,
            );
        }
    }
    Ok(out)
}

/// The adjustments of `adjustments` summed per campaign.
#[must_use]
pub fn per_campaign(adjustments: &HashMap<i32, VenueAdjustment>) -> HashMap<i32, ClosingAdjustment> {
    let mut out: HashMap<i32, ClosingAdjustment> = HashMap::new();
    for a in adjustments.values() {
        *out.entry(a.campaign_id).or_default() += a.adjustment;
    }
    out
}
