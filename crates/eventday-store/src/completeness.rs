//! Who has reported: for an organization and a year, one row per child organization (a city, or
//! a district directly under it) with its status, the time of its last log entry, key figures and
//! its submission, plus totals over the whole subtree and, once the cut-off the organization set
//! has passed, the districts that have not submitted with their organizers as contacts.
//!
//! Everything is read in a few statements over the subtree (a recursive walk that carries, for
//! each organization, the child of the root it lies under): the campaigns of the year with their
//! submission and venue counts, the last entry time from the `(campaign_id, created_at)` index,
//! and the figures from `venue_tallies` with the closing tallies applied, as every total does.

use crate::Store;
use crate::error::StoreError;
use crate::sql::statement;
use crate::submission::SubmissionStatus;
use chrono::{DateTime, Utc};
use eventday_domain::CampaignStatus;
use eventday_domain::totals::Figures;
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Value};
use serde::Serialize;
use std::collections::HashMap;

/// Largest page of rows one call returns.
pub const MAX_PAGE: u64 = 1_000;
/// Most districts the "not yet submitted" list holds (the count is always complete).
pub const MAX_OVERDUE: usize = 500;

/// Where a district stands in reporting its campaign of the year, from least to most advanced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportingStatus {
    /// No campaign for the year, or one without a log entry yet.
    NotStarted,
    /// Returned by the parent with a comment; the district works on it.
    Returned,
    /// Log entries are coming in.
    Logging,
    /// The day is over: the campaign is closed, or every venue's day submitted or accepted.
    DayClosed,
    /// Submitted to the parent, waiting for its decision.
    Submitted,
    /// Accepted by the parent.
    Accepted,
}

impl ReportingStatus {
    /// Every status, in order.
    pub const ALL: [ReportingStatus; 6] = [
        ReportingStatus::NotStarted,
        ReportingStatus::Returned,
        ReportingStatus::Logging,
        ReportingStatus::DayClosed,
        ReportingStatus::Submitted,
        ReportingStatus::Accepted,
    ];

    /// The stored/serialized spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ReportingStatus::NotStarted => "not_started",
            ReportingStatus::Returned => "returned",
            ReportingStatus::Logging => "logging",
            ReportingStatus::DayClosed => "day_closed",
            ReportingStatus::Submitted => "submitted",
            ReportingStatus::Accepted => "accepted",
        }
    }

    fn judge(
        submission: Option<SubmissionStatus>,
        campaign_closed: bool,
        venues_open: i64,
        venues: i64,
        entries: i64,
    ) -> Self {
        match submission {
            Some(SubmissionStatus::Accepted) => ReportingStatus::Accepted,
            Some(SubmissionStatus::Submitted) => ReportingStatus::Submitted,
            Some(SubmissionStatus::Returned) => ReportingStatus::Returned,
            None if campaign_closed || (venues > 0 && venues_open == 0) => ReportingStatus::DayClosed,
            None if entries > 0 => ReportingStatus::Logging,
            None => ReportingStatus::NotStarted,
        }
    }
}

/// How many districts are at each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCounts {
    /// Not started (no campaign, or no entry yet).
    pub not_started: i64,
    /// Returned.
    pub returned: i64,
    /// Logging.
    pub logging: i64,
    /// Day closed, not submitted.
    pub day_closed: i64,
    /// Submitted.
    pub submitted: i64,
    /// Accepted.
    pub accepted: i64,
}

impl StatusCounts {
    fn add(&mut self, s: ReportingStatus) {
        let slot = match s {
            ReportingStatus::NotStarted => &mut self.not_started,
            ReportingStatus::Returned => &mut self.returned,
            ReportingStatus::Logging => &mut self.logging,
            ReportingStatus::DayClosed => &mut self.day_closed,
            ReportingStatus::Submitted => &mut self.submitted,
            ReportingStatus::Accepted => &mut self.accepted,
        };
        *slot += 1;
    }
}

/// Totals over the whole subtree (every page carries them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletenessTotals {
    /// Child organizations (rows over all pages).
    pub children: i64,
    /// Districts (organizations without children) in the subtree.
    pub districts: i64,
    /// Districts at each status.
    pub by_status: StatusCounts,
    /// Log entries of the subtree's campaigns.
    pub log_entries: i64,
    /// Their figures (closing tallies applied).
    pub figures: Figures,
    /// The latest log entry stored in the subtree.
    pub last_entry_at: Option<DateTime<Utc>>,
}

/// One child organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletenessRow {
    /// Organization id (also the paging cursor).
    pub organization_id: i32,
    /// Name.
    pub name: String,
    /// Whether it has children (drill down: its own completeness).
    pub has_children: bool,
    /// Districts in its subtree (itself when it has no children).
    pub districts: i64,
    /// Its status: that of its own campaign of the year when it has one, otherwise the least
    /// advanced of its districts' (see [`ReportingStatus`] for the order).
    pub status: ReportingStatus,
    /// Its districts at each status.
    pub by_status: StatusCounts,
    /// Its own campaign of the year, if any.
    pub campaign_id: Option<i32>,
    /// The parent's comment when its own submission was returned.
    pub comment: Option<String>,
    /// Where its own submission's report PDF is, when it submitted.
    pub report_url: Option<String>,
    /// The latest log entry stored in its subtree.
    pub last_entry_at: Option<DateTime<Utc>>,
    /// Log entries of its subtree.
    pub log_entries: i64,
    /// Figures of its subtree (closing tallies applied).
    pub figures: Figures,
}

/// A district that has not submitted, with whom to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overdue {
    /// Organization id.
    pub organization_id: i32,
    /// Name.
    pub name: String,
    /// Its status.
    pub status: ReportingStatus,
    /// Its organizers (display name and login), the contacts.
    pub contacts: Vec<String>,
}

/// One page of completeness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletenessPage {
    /// Totals over the subtree.
    pub totals: CompletenessTotals,
    /// This page of child organizations, by name then id.
    pub rows: Vec<CompletenessRow>,
    /// Pass as `after` for the next page; null on the last.
    pub next_after: Option<i32>,
    /// The cut-off the organization set for the year.
    pub cutoff_at: Option<DateTime<Utc>>,
    /// Districts not submitted (nor accepted), listed once the cut-off has passed (at most
    /// [`MAX_OVERDUE`]; first page only).
    pub not_submitted: Vec<Overdue>,
    /// How many districts have not submitted (whether or not the cut-off passed).
    pub not_submitted_count: i64,
}

/// The subtree below `?` (the root excluded) with, for each organization, the child of the root
/// it lies under (`top`); depth-bounded like every walk of the tree.
const WALK: &str = "WITH RECURSIVE walk(id, top, depth) AS ( \
     SELECT id, id, 1 FROM organizations WHERE parent_id = ? \
     UNION ALL SELECT o.id, w.top, w.depth + 1 FROM organizations o JOIN walk w ON o.parent_id = w.id \
     WHERE w.depth < 32)";

#[derive(FromQueryResult)]
struct CampaignFact {
    top: i32,
    organization_id: i32,
    campaign_id: i32,
    campaign_status: String,
    submission_status: Option<String>,
    comment: Option<String>,
    venues: i64,
    venues_open: i64,
    last_entry_at: Option<DateTime<Utc>>,
}

#[derive(FromQueryResult)]
struct Leaf {
    top: i32,
    id: i32,
    name: String,
}

#[derive(FromQueryResult)]
struct Child {
    id: i32,
    name: String,
    has_children: i64,
}

#[derive(FromQueryResult)]
struct CampaignSums {
    campaign_id: i32,
    #[sea_orm(nested)]
    sums: crate::rollup::SumRow,
}

fn tally_sums(backend: DbBackend) -> String {
    let mut cols = vec!["log_entries"];
    cols.extend(crate::sums::FIGURE_COLUMNS);
    crate::sums::saturating_sums(backend, "s.", &cols)
}

/// One page of the completeness of `organization_id` for `year`: child organizations after
/// organization `after` (by name, then id), at most `limit`.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown organization, database errors.
pub async fn completeness(
    store: &Store,
    organization_id: i32,
    year: i32,
    after: Option<i32>,
    limit: u64,
) -> Result<CompletenessPage, StoreError> {
    crate::rollup::organization_name(store, organization_id).await?;
    let db = store.conn();
    let backend = db.get_database_backend();
    let root: Value = organization_id.into();

    // Every campaign of the year in the subtree, with what decides its status.
    let facts = CampaignFact::find_by_statement(statement(
        backend,
        &format!(
            "{WALK} SELECT w.top AS top, c.organization_id AS organization_id, c.id AS campaign_id, \
               c.status AS campaign_status, s.status AS submission_status, s.comment AS comment, \
               CAST((SELECT COUNT(*) FROM venues v WHERE v.campaign_id = c.id) AS BIGINT) AS venues, \
               CAST((SELECT COUNT(*) FROM venues v WHERE v.campaign_id = c.id AND v.day_status = 'open') AS BIGINT) \
                 AS venues_open, \
               (SELECT MAX(e.created_at) FROM log_entries e WHERE e.campaign_id = c.id) AS last_entry_at \
             FROM walk w JOIN campaigns c ON c.organization_id = w.id AND c.year = ? \
             LEFT JOIN submissions s ON s.campaign_id = c.id"
        ),
        vec![root.clone(), year.into()],
    ))
    .all(db)
    .await?;
    let sums: HashMap<i32, crate::rollup::SumRow> = CampaignSums::find_by_statement(statement(
        backend,
        &format!(
            "{WALK} SELECT s.campaign_id AS campaign_id, {} FROM walk w \
             JOIN campaigns c ON c.organization_id = w.id AND c.year = ? \
             JOIN venue_tallies s ON s.campaign_id = c.id GROUP BY s.campaign_id",
            tally_sums(backend)
        ),
        vec![root.clone(), year.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| (r.campaign_id, r.sums))
    .collect();
    let ids: Vec<i32> = facts.iter().map(|f| f.campaign_id).collect();
    let closing = crate::closing::per_campaign(&crate::closing::adjustments(db, &ids).await?);
    // Districts: organizations of the subtree without children.
    let leaves = Leaf::find_by_statement(statement(
        backend,
        &format!(
            "{WALK} SELECT w.top AS top, o.id AS id, o.name AS name FROM walk w \
             JOIN organizations o ON o.id = w.id \
             WHERE NOT EXISTS (SELECT 1 FROM organizations k WHERE k.parent_id = w.id) ORDER BY o.name, o.id"
        ),
        vec![root.clone()],
    ))
    .all(db)
    .await?;

    // Per organization: its campaign's status (a district has at most one campaign a year; with
    // several, the least advanced counts).
    let mut own: HashMap<i32, (ReportingStatus, &CampaignFact)> = HashMap::new();
    let mut totals = CompletenessTotals::default();
    let mut per_top: HashMap<i32, (i64, Figures, Option<DateTime<Utc>>)> = HashMap::new();
    for f in &facts {
        let s = sums.get(&f.campaign_id);
        let entries = s.map_or(0, |s| s.log_entries);
        let figures = closing
            .get(&f.campaign_id)
            .copied()
            .unwrap_or_default()
            .apply(s.map(crate::rollup::SumRow::figures).unwrap_or_default());
        let status = ReportingStatus::judge(
            f.submission_status.as_deref().and_then(|t| t.parse::<SubmissionStatus>().ok()),
            f.campaign_status == CampaignStatus::Closed.as_str(),
            f.venues_open,
            f.venues,
            entries,
        );
        own.entry(f.organization_id)
            .and_modify(|e| {
                if status < e.0 {
                    *e = (status, f);
                }
            })
            .or_insert((status, f));
        totals.log_entries = totals.log_entries.saturating_add(entries);
        totals.figures += figures;
        totals.last_entry_at = totals.last_entry_at.max(f.last_entry_at);
        let t = per_top.entry(f.top).or_default();
        t.0 = t.0.saturating_add(entries);
        t.1 += figures;
        t.2 = t.2.max(f.last_entry_at);
    }
    let mut by_top: HashMap<i32, (i64, StatusCounts, Option<ReportingStatus>)> = HashMap::new();
    let mut overdue_ids = Vec::new();
    for l in &leaves {
        let status = own.get(&l.id).map_or(ReportingStatus::NotStarted, |o| o.0);
        totals.districts += 1;
        totals.by_status.add(status);
        let e = by_top.entry(l.top).or_default();
        e.0 += 1;
        e.1.add(status);
        e.2 = Some(e.2.map_or(status, |s| s.min(status)));
        if status < ReportingStatus::Submitted {
            overdue_ids.push((l.id, l.name.clone(), status));
        }
    }

    // This page of children.
    let limit = i64::try_from(limit.clamp(1, MAX_PAGE)).unwrap_or(100);
    let (cursor, mut values) = match after {
        Some(a) => (
            "AND (o.name, o.id) > (SELECT o2.name, o2.id FROM organizations o2 WHERE o2.id = ?)",
            vec![root.clone(), a.into()],
        ),
        None => ("", vec![root.clone()]),
    };
    values.push(limit.into());
    let children = Child::find_by_statement(statement(
        backend,
        &format!(
            "SELECT o.id AS id, o.name AS name, \
               CAST(CASE WHEN EXISTS (SELECT 1 FROM organizations k WHERE k.parent_id = o.id) THEN 1 ELSE 0 END AS BIGINT) \
                 AS has_children \
             FROM organizations o WHERE o.parent_id = ? {cursor} ORDER BY o.name, o.id LIMIT ?"
        ),
        values,
    ))
    .all(db)
    .await?;
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    totals.children = Count::find_by_statement(statement(
        backend,
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM organizations WHERE parent_id = ?",
        vec![root],
    ))
    .one(db)
    .await?
    .map_or(0, |c| c.n);
    let next_after = (children.len() as i64 == limit).then(|| children.last().map(|c| c.id)).flatten();
    let rows = children
        .into_iter()
        .map(|c| {
            let mine = own.get(&c.id);
            let sub = by_top.get(&c.id).copied().unwrap_or_default();
            let t = per_top.get(&c.id).copied().unwrap_or_default();
            let status = mine.map(|m| m.0).or(sub.2).unwrap_or(ReportingStatus::NotStarted);
            let submitted = mine.and_then(|m| m.1.submission_status.as_ref()).is_some();
            CompletenessRow {
                organization_id: c.id,
                name: c.name,
                has_children: c.has_children > 0,
                districts: sub.0,
                status,
                by_status: sub.1,
                campaign_id: mine.map(|m| m.1.campaign_id),
                comment: mine
                    .filter(|m| m.0 == ReportingStatus::Returned)
                    .and_then(|m| m.1.comment.clone())
                    .filter(|c| !c.is_empty()),
                report_url: mine
                    .filter(|_| submitted)
                    .map(|m| format!("/api/v1/campaigns/{}/submission/report.pdf", m.1.campaign_id)),
                last_entry_at: t.2,
                log_entries: t.0,
                figures: t.1,
            }
        })
        .collect();

    let cutoff_at = crate::submission::cutoff(db, organization_id, year).await?;
    let not_submitted_count = i64::try_from(overdue_ids.len()).unwrap_or(i64::MAX);
    let due = cutoff_at.is_some_and(|c| Utc::now() >= c) && after.is_none();
    let not_submitted = if due {
        overdue_ids.truncate(MAX_OVERDUE);
        let contacts = contacts(db, &overdue_ids.iter().map(|o| o.0).collect::<Vec<_>>()).await?;
        overdue_ids
            .into_iter()
            .map(|(id, name, status)| Overdue {
                organization_id: id,
                name,
                status,
                contacts: contacts.get(&id).cloned().unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(CompletenessPage { totals, rows, next_after, cutoff_at, not_submitted, not_submitted_count })
}

/// The active organizers of each organization of `ids`, as "display name (login)".
async fn contacts(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Vec<String>>, StoreError> {
    use crate::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let mut out: HashMap<i32, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let users = user::Entity::find()
            .filter(user::Column::OrganizationId.is_in(chunk.iter().copied()))
            .filter(user::Column::Role.eq(eventday_domain::Role::Organizer))
            .filter(user::Column::Disabled.eq(false))
            .order_by_asc(user::Column::Id)
            .all(db)
            .await?;
        for u in users {
            out.entry(u.organization_id).or_default().push(format!("{} ({})", u.display_name, u.login));
        }
    }
    Ok(out)
}
