//! Roll-up of an organization and all its descendants for one year, computed in the database.
//!
//! The subtree is found with a recursive CTE over `organizations.parent_id`; figures are summed
//! in SQL over `venue_tallies`, the per-venue running sums of log entries that database triggers
//! keep exact (see the migration `m20261129_000007_venue_tallies`): a province of 3,000
//! districts sums 51,000 tally rows instead of 2.5 million entries. Districts come in pages ordered by
//! (parent name, name, campaign id) with a keyset cursor, and venue rows per page of districts:
//! a report over 3,000 districts × 17 venues never holds more than one page in memory.

use crate::Store;
use crate::error::StoreError;
use crate::sql::statement;
use chrono::NaiveDate;
use eventday_domain::totals::Figures;
use eventday_domain::{DayStatus, VenueKind};
use sea_orm::{DbBackend, FromQueryResult, Value};
use serde::Serialize;
use std::collections::HashMap;

/// Largest page of districts one call returns.
pub const MAX_PAGE: u64 = 1_000;

/// `?, ?, ?` for an `IN` list of `n` values.
fn marks(n: usize) -> String {
    vec!["?"; n.max(1)].join(", ")
}

// The subtree of organization `?` (the root included, depth-bounded), as a CTE named `tree`.
use crate::org_tree::SUBTREE_CTE as TREE;

/// The summed tallies (`s`, rows of `venue_tallies`) as `BIGINT` columns that cannot overflow
/// (see [`crate::sums`]).
fn tally_sums(backend: DbBackend) -> String {
    let mut cols = vec!["log_entries"];
    cols.extend(crate::sums::FIGURE_COLUMNS);
    crate::sums::saturating_sums(backend, "s.", &cols)
}

/// What a roll-up counts: every campaign logged so far, or only those whose submission the
/// parent accepted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Everything logged so far, whether submitted or not (the default).
    #[default]
    Logged,
    /// Only campaigns whose submission to the parent was accepted.
    Accepted,
}

impl Basis {
    /// Reads `logged` or `accepted`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "logged" | "all" => Some(Basis::Logged),
            "accepted" => Some(Basis::Accepted),
            _ => None,
        }
    }

    /// The spelling `parse` reads.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Logged => "logged",
            Basis::Accepted => "accepted",
        }
    }

    /// SQL restricting campaigns `c` to this basis (empty for every campaign).
    fn filter(self) -> &'static str {
        match self {
            Basis::Logged => "",
            Basis::Accepted => {
                " AND EXISTS (SELECT 1 FROM submissions sb WHERE sb.campaign_id = c.id AND sb.status = 'accepted')"
            }
        }
    }
}

/// Grand totals of a roll-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollupTotals {
    /// Campaigns (one per district) in the subtree for the year.
    pub districts: i64,
    /// Their venues.
    pub venues: i64,
    /// Venues whose day an organizer has not accepted yet (figures may still change).
    pub venues_unaccepted: i64,
    /// Their log entries.
    pub log_entries: i64,
    /// Summed figures.
    pub figures: Figures,
}

/// One district (a campaign of an organization in the subtree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollupDistrict {
    /// Campaign id (also the paging cursor).
    pub campaign_id: i32,
    /// Organization id.
    pub organization_id: i32,
    /// Organization name, e.g. "江汉区消费者协会".
    pub organization: String,
    /// Parent organization name (empty for a root).
    pub parent: String,
    /// Event day.
    pub date: NaiveDate,
    /// Campaign title.
    pub title: String,
    /// Venues.
    pub venues: i64,
    /// Venues whose day an organizer has not accepted yet.
    pub venues_unaccepted: i64,
    /// Log entries.
    pub log_entries: i64,
    /// Summed figures.
    pub figures: Figures,
}

/// One venue of a district, with its summed log entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollupVenue {
    /// Campaign (district) it belongs to.
    pub campaign_id: i32,
    /// Venue id.
    pub venue_id: i32,
    /// Name.
    pub name: String,
    /// Main venue or sub-venue.
    pub kind: VenueKind,
    /// Host unit.
    pub host_unit: String,
    /// Whether the organizer accepted the venue's figures.
    pub accepted: bool,
    /// Log entries.
    pub log_entries: i64,
    /// Summed figures.
    pub figures: Figures,
}

/// An entry count and the five figures summed (columns named as in `log_entries`).
#[derive(FromQueryResult)]
pub(crate) struct SumRow {
    pub(crate) log_entries: i64,
    visitors: i64,
    consultations: i64,
    complaints_received: i64,
    complaints_settled: i64,
    money_recovered_fen: i64,
}

impl SumRow {
    pub(crate) fn figures(&self) -> Figures {
        Figures {
            visitors: self.visitors,
            consultations: self.consultations,
            complaints_received: self.complaints_received,
            complaints_settled: self.complaints_settled,
            money_recovered_fen: self.money_recovered_fen,
        }
    }
}

#[derive(FromQueryResult)]
struct CampaignSumRow {
    campaign_id: i32,
    #[sea_orm(nested)]
    sums: SumRow,
}

#[derive(FromQueryResult)]
struct VenueSumRow {
    venue_id: i32,
    #[sea_orm(nested)]
    sums: SumRow,
}

#[derive(FromQueryResult)]
struct DistrictRow {
    campaign_id: i32,
    organization_id: i32,
    organization: String,
    parent: String,
    date: NaiveDate,
    title: String,
}

#[derive(FromQueryResult)]
struct VenueRow {
    campaign_id: i32,
    venue_id: i32,
    name: String,
    kind: VenueKind,
    host_unit: String,
    day_status: DayStatus,
}

#[derive(FromQueryResult)]
struct VenueCount {
    n: i64,
    unaccepted: i64,
}

/// `n` (venues) and `unaccepted` (venues whose day is not accepted) over `venues`.
const VENUE_COUNTS: &str = "CAST(COUNT(*) AS BIGINT) AS n, \
    CAST(COALESCE(SUM(CASE WHEN day_status = 'accepted' THEN 0 ELSE 1 END), 0) AS BIGINT) AS unaccepted";

#[derive(FromQueryResult)]
struct NameRow {
    name: String,
}

/// The name of an organization.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such organization.
pub async fn organization_name(store: &Store, organization_id: i32) -> Result<String, StoreError> {
    let db = store.conn();
    let st = statement(
        db.get_database_backend(),
        "SELECT name FROM organizations WHERE id = ?",
        vec![organization_id.into()],
    );
    NameRow::find_by_statement(st)
        .one(db)
        .await?
        .map(|r| r.name)
        .ok_or(StoreError::NotFound { entity: "organization", id: organization_id.to_string() })
}

#[derive(FromQueryResult)]
struct YearRow {
    year: Option<i32>,
}

/// The latest year, not after `up_to`, of a campaign run by `organization_id` or any of its
/// descendants; `None` when there is none.
///
/// # Errors
/// A database error.
pub async fn latest_campaign_year(
    store: &Store,
    organization_id: i32,
    up_to: i32,
) -> Result<Option<i32>, StoreError> {
    let db = store.conn();
    let st = statement(
        db.get_database_backend(),
        &format!(
            "{TREE} SELECT MAX(c.year) AS year FROM tree t JOIN campaigns c ON c.organization_id = t.id \
             WHERE c.year <= ?"
        ),
        vec![organization_id.into(), up_to.into()],
    );
    Ok(YearRow::find_by_statement(st).one(db).await?.and_then(|r| r.year))
}

/// Totals of every campaign of `year` run by `organization_id` or any of its descendants.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown organization, database errors otherwise.
pub async fn rollup_totals(
    store: &Store,
    organization_id: i32,
    year: i32,
) -> Result<RollupTotals, StoreError> {
    totals_in_chunks(store, organization_id, year, IDS_PER_QUERY, Basis::Logged).await
}

/// [`rollup_totals`] of the campaigns of `basis`.
///
/// # Errors
/// As [`rollup_totals`].
pub async fn rollup_totals_on(
    store: &Store,
    organization_id: i32,
    year: i32,
    basis: Basis,
) -> Result<RollupTotals, StoreError> {
    totals_in_chunks(store, organization_id, year, IDS_PER_QUERY, basis).await
}

/// [`rollup_totals`], reading tallies and venues for at most `per_query` campaigns at a time.
async fn totals_in_chunks(
    store: &Store,
    organization_id: i32,
    year: i32,
    per_query: usize,
    basis: Basis,
) -> Result<RollupTotals, StoreError> {
    organization_name(store, organization_id).await?;
    let db = store.conn();
    let backend = db.get_database_backend();
    // The subtree's campaigns first, then their tallies and venues by campaign id (indexed). In
    // one query with the recursive subtree, the planner cannot tell a district's one campaign
    // from a province's thousands, and reads every tally even for a district.
    let ids: Vec<i32> = CampaignId::find_by_statement(statement(
        backend,
        &format!(
            "{TREE} SELECT c.id AS id FROM tree t JOIN campaigns c ON c.organization_id = t.id AND c.year = ?{}",
            basis.filter()
        ),
        vec![organization_id.into(), year.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    let mut totals =
        RollupTotals { districts: i64::try_from(ids.len()).unwrap_or(i64::MAX), ..RollupTotals::default() };
    for chunk in ids.chunks(per_query.max(1)) {
        let values: Vec<Value> = chunk.iter().map(|&i| i.into()).collect();
        let in_chunk = marks(chunk.len());
        let sums = SumRow::find_by_statement(statement(
            backend,
            &format!(
                "SELECT {} FROM venue_tallies s WHERE s.campaign_id IN ({in_chunk})",
                tally_sums(backend)
            ),
            values.clone(),
        ))
        .one(db)
        .await?;
        let closing = crate::closing::adjustments(db, chunk).await?;
        let mut adjustment = eventday_domain::ClosingAdjustment::default();
        for a in closing.values() {
            adjustment += a.adjustment;
        }
        if let Some(s) = sums {
            totals.log_entries = totals.log_entries.saturating_add(s.log_entries);
            totals.figures += adjustment.apply(s.figures());
        } else {
            totals.figures += adjustment.apply(Figures::default());
        }
        if let Some(c) = VenueCount::find_by_statement(statement(
            backend,
            &format!("SELECT {VENUE_COUNTS} FROM venues WHERE campaign_id IN ({in_chunk})"),
            values,
        ))
        .one(db)
        .await?
        {
            totals.venues += c.n;
            totals.venues_unaccepted += c.unaccepted;
        }
    }
    Ok(totals)
}

/// Who was expected to report and who did: the districts (organizations without children) of the
/// subtree, and the last event day of the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RollupCoverage {
    /// Organizations at the bottom of the subtree (districts; the root itself when it has none).
    pub districts_expected: i64,
    /// Of them, those with a campaign in the year.
    pub districts_reporting: i64,
    /// The latest event day of the subtree's campaigns that year.
    pub last_date: Option<NaiveDate>,
}

/// [`RollupCoverage`] of `organization_id` for `year`.
///
/// # Errors
/// Database errors.
pub async fn rollup_coverage(
    store: &Store,
    organization_id: i32,
    year: i32,
) -> Result<RollupCoverage, StoreError> {
    #[derive(FromQueryResult)]
    struct Row {
        expected: i64,
        reporting: i64,
    }
    #[derive(FromQueryResult)]
    struct Last {
        last_date: Option<NaiveDate>,
    }
    let db = store.conn();
    let backend = db.get_database_backend();
    let row = Row::find_by_statement(statement(
        backend,
        &format!(
            "{TREE} SELECT CAST(COUNT(*) AS BIGINT) AS expected, \
               CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM campaigns c \
                 WHERE c.organization_id = t.id AND c.year = ?) THEN 1 ELSE 0 END), 0) AS BIGINT) AS reporting \
             FROM tree t WHERE NOT EXISTS (SELECT 1 FROM organizations o WHERE o.parent_id = t.id)"
        ),
        vec![organization_id.into(), year.into()],
    ))
    .one(db)
    .await?;
    let last = Last::find_by_statement(statement(
        backend,
        &format!(
            "{TREE} SELECT MAX(c.date) AS last_date FROM tree t \
             JOIN campaigns c ON c.organization_id = t.id AND c.year = ?"
        ),
        vec![organization_id.into(), year.into()],
    ))
    .one(db)
    .await?;
    Ok(RollupCoverage {
        districts_expected: row.as_ref().map_or(0, |r| r.expected),
        districts_reporting: row.as_ref().map_or(0, |r| r.reporting),
        last_date: last.and_then(|l| l.last_date),
    })
}

/// Campaign ids per `IN (...)` list: well under SQLite's and PostgreSQL's limits on bound values.
const IDS_PER_QUERY: usize = 1_000;

#[derive(FromQueryResult)]
struct CampaignId {
    id: i32,
}

/// One page of districts (campaigns of `year` in the subtree), ordered by parent name, name and
/// campaign id, starting after campaign `after` (a cursor from the previous page's last row).
///
/// # Errors
/// Database errors.
pub async fn rollup_districts(
    store: &Store,
    organization_id: i32,
    year: i32,
    after: Option<i32>,
    limit: u64,
) -> Result<Vec<RollupDistrict>, StoreError> {
    rollup_districts_on(store, organization_id, year, after, limit, Basis::Logged).await
}

/// [`rollup_districts`] of the campaigns of `basis`.
///
/// # Errors
/// Database errors.
pub async fn rollup_districts_on(
    store: &Store,
    organization_id: i32,
    year: i32,
    after: Option<i32>,
    limit: u64,
    basis: Basis,
) -> Result<Vec<RollupDistrict>, StoreError> {
    let db = store.conn();
    let backend = db.get_database_backend();
    let limit = i64::try_from(limit.clamp(1, MAX_PAGE)).unwrap_or(100);
    // The cursor names a campaign; its sort key is looked up so that the client need not echo
    // names back.
    let (cursor_sql, mut values): (&str, Vec<Value>) = match after {
        Some(_) => (
            "AND (COALESCE(p.name, ''), o.name, c.id) > ( \
               SELECT COALESCE(p2.name, ''), o2.name, c2.id FROM campaigns c2 \
               JOIN organizations o2 ON o2.id = c2.organization_id \
               LEFT JOIN organizations p2 ON p2.id = o2.parent_id WHERE c2.id = ?)",
            vec![organization_id.into(), year.into()],
        ),
        None => ("", vec![organization_id.into(), year.into()]),
    };
    if let Some(a) = after {
        values.push(a.into());
    }
    values.push(limit.into());
    let sql = format!(
        "{TREE} SELECT c.id AS campaign_id, o.id AS organization_id, o.name AS organization, \
           COALESCE(p.name, '') AS parent, c.date AS date, c.title AS title \
         FROM tree t JOIN campaigns c ON c.organization_id = t.id AND c.year = ? \
         JOIN organizations o ON o.id = c.organization_id \
         LEFT JOIN organizations p ON p.id = o.parent_id \
         WHERE 1 = 1 {cursor_sql}{} \
         ORDER BY COALESCE(p.name, ''), o.name, c.id LIMIT ?",
        basis.filter()
    );
    let rows = DistrictRow::find_by_statement(statement(backend, &sql, values)).all(db).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Value> = rows.iter().map(|r| r.campaign_id.into()).collect();
    let campaign_ids: Vec<i32> = rows.iter().map(|r| r.campaign_id).collect();
    let closing = crate::closing::per_campaign(&crate::closing::adjustments(db, &campaign_ids).await?);
    let n = ids.len();
    let sums: HashMap<i32, SumRow> = CampaignSumRow::find_by_statement(statement(
        backend,
        &format!(
            "SELECT s.campaign_id AS campaign_id, {} FROM venue_tallies s \
             WHERE s.campaign_id IN ({}) GROUP BY s.campaign_id",
            tally_sums(backend),
            marks(n)
        ),
        ids.clone(),
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| (r.campaign_id, r.sums))
    .collect();
    #[derive(FromQueryResult)]
    struct CampaignVenueCount {
        campaign_id: i32,
        #[sea_orm(nested)]
        counts: VenueCount,
    }
    let venues: HashMap<i32, VenueCount> = CampaignVenueCount::find_by_statement(statement(
        backend,
        &format!(
            "SELECT campaign_id, {VENUE_COUNTS} FROM venues \
             WHERE campaign_id IN ({}) GROUP BY campaign_id",
            marks(n)
        ),
        ids,
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| (r.campaign_id, r.counts))
    .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = sums.get(&r.campaign_id);
            let v = venues.get(&r.campaign_id);
            RollupDistrict {
                venues: v.map_or(0, |v| v.n),
                venues_unaccepted: v.map_or(0, |v| v.unaccepted),
                log_entries: s.map_or(0, |s| s.log_entries),
                figures: closing
                    .get(&r.campaign_id)
                    .copied()
                    .unwrap_or_default()
                    .apply(s.map(SumRow::figures).unwrap_or_default()),
                campaign_id: r.campaign_id,
                organization_id: r.organization_id,
                organization: r.organization,
                parent: r.parent,
                date: r.date,
                title: r.title,
            }
        })
        .collect())
}

/// The venues of the given campaigns with their summed log entries, ordered by campaign, then
/// venue position.
///
/// # Errors
/// Database errors.
pub async fn rollup_venues(store: &Store, campaign_ids: &[i32]) -> Result<Vec<RollupVenue>, StoreError> {
    if campaign_ids.is_empty() {
        return Ok(Vec::new());
    }
    let db = store.conn();
    let backend = db.get_database_backend();
    let ids: Vec<Value> = campaign_ids.iter().map(|&c| c.into()).collect();
    let list = marks(ids.len());
    let closing = crate::closing::adjustments(db, campaign_ids).await?;
    let sums: HashMap<i32, SumRow> = VenueSumRow::find_by_statement(statement(
        backend,
        &format!(
            "SELECT s.venue_id AS venue_id, {} FROM venue_tallies s \
             WHERE s.campaign_id IN ({list}) GROUP BY s.venue_id",
            tally_sums(backend)
        ),
        ids.clone(),
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| (r.venue_id, r.sums))
    .collect();
    let venues = VenueRow::find_by_statement(statement(
        backend,
        &format!(
            "SELECT campaign_id, id AS venue_id, name, kind, host_unit, day_status FROM venues \
             WHERE campaign_id IN ({list}) ORDER BY campaign_id, position, id"
        ),
        ids,
    ))
    .all(db)
    .await?;
    Ok(venues
        .into_iter()
        .map(|v| {
            let s = sums.get(&v.venue_id);
            RollupVenue {
                log_entries: s.map_or(0, |s| s.log_entries),
                figures: closing
                    .get(&v.venue_id)
                    .map(|a| a.adjustment)
                    .unwrap_or_default()
                    .apply(s.map(SumRow::figures).unwrap_or_default()),
                accepted: v.day_status == DayStatus::Accepted,
                campaign_id: v.campaign_id,
                venue_id: v.venue_id,
                name: v.name,
                kind: v.kind,
                host_unit: v.host_unit,
            }
        })
        .collect())
}

/// Reads a roll-up district by district, one page at a time, for reports that must not hold
/// thousands of districts in memory.
#[derive(Debug)]
pub struct RollupReader {
    store: Store,
    organization_id: i32,
    year: i32,
    page: u64,
    after: Option<i32>,
    done: bool,
    with_venues: bool,
    basis: Basis,
}

impl RollupReader {
    /// Starts reading the roll-up of `organization_id` for `year`, `page` districts at a time.
    #[must_use]
    pub fn new(store: &Store, organization_id: i32, year: i32, page: u64) -> Self {
        Self {
            store: store.clone(),
            organization_id,
            year,
            page: page.clamp(1, MAX_PAGE),
            after: None,
            done: false,
            with_venues: true,
            basis: Basis::Logged,
        }
    }

    /// Reads only the campaigns of `basis`.
    #[must_use]
    pub fn on(mut self, basis: Basis) -> Self {
        self.basis = basis;
        self
    }

    /// Reads districts with their sums only (no venue rows): the lists come back empty.
    #[must_use]
    pub fn without_venues(mut self) -> Self {
        self.with_venues = false;
        self
    }

    /// The next page of districts, each with its venues in order; `None` when all were read.
    ///
    /// # Errors
    /// Database errors.
    pub async fn next_page(&mut self) -> Result<Option<Vec<(RollupDistrict, Vec<RollupVenue>)>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let districts = rollup_districts_on(
            &self.store,
            self.organization_id,
            self.year,
            self.after,
            self.page,
            self.basis,
        )
        .await?;
        if (districts.len() as u64) < self.page {
            self.done = true;
        }
        let Some(last) = districts.last() else {
            return Ok(None);
        };
        self.after = Some(last.campaign_id);
        let ids: Vec<i32> = districts.iter().map(|d| d.campaign_id).collect();
        let mut venues: HashMap<i32, Vec<RollupVenue>> = HashMap::new();
        let rows = if self.with_venues { rollup_venues(&self.store, &ids).await? } else { Vec::new() };
        for v in rows {
            venues.entry(v.campaign_id).or_default().push(v);
        }
        Ok(Some(
            districts
                .into_iter()
                .map(|d| {
                    let vs = venues.remove(&d.campaign_id).unwrap_or_default();
                    (d, vs)
                })
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::synthetic::{self, SyntheticSpec};

    #[tokio::test]
    async fn totals_summed_over_several_chunks_of_campaigns_equal_the_totals_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}?mode=rwc", dir.path().join("r.db").display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let spec = SyntheticSpec { districts: 5, seed: 3, year: 2026 };
        let out = synthetic::generate(&store, &spec, |_| {}).await.unwrap();
        let whole =
            totals_in_chunks(&store, out.province_id, 2026, IDS_PER_QUERY, Basis::Logged).await.unwrap();
        assert_eq!((whole.districts, whole.venues), (5, 85));
        assert!(whole.log_entries > 5 * 17 * 40, "{whole:?}");
        // 5 campaigns in chunks of 2, 2 and 1.
        assert_eq!(totals_in_chunks(&store, out.province_id, 2026, 2, Basis::Logged).await.unwrap(), whole);
        assert_eq!(totals_in_chunks(&store, out.province_id, 2026, 1, Basis::Logged).await.unwrap(), whole);
    }
}
