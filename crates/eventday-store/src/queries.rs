//! Reads and writes used by the API, the CLI and the report.

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use eventday_domain::log::NewLogEntry;
use eventday_domain::totals::{CampaignTotals, Figures, MaterialInput, SummaryInput, VenueInput};
use eventday_domain::{CampaignStatus, UnitKind};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    Set, StatementBuilder,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Writes one log entry and its material quantities inside `tx`, with its audit event (the
/// log writer's batches write the same rows and events for the API). Used by CSV import and the
/// demo loader; no idempotency check here (see the API's log submission for that).
///
/// # Errors
/// Constraint or database errors.
pub async fn insert_log_entry(
    tx: &impl ConnectionTrait,
    actor: Option<i32>,
    campaign_id: i32,
    e: &NewLogEntry,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let row = insert_log_entry_row(tx, campaign_id, e, actor, now).await?;
    let id = row.id.clone();
    // The row and the materials just written: nothing to read back.
    let materials = e.materials.iter().filter_map(|(m, q)| Some((i32::try_from(*m).ok()?, *q))).collect();
    let after = crate::log::with_materials(row, materials);
    crate::audit::record(tx, actor, crate::audit::Action::Create, "log_entry", id, None, Some(&after)).await
}

/// Writes one log entry's row and its material quantities inside `tx`, without an audit event.
///
/// # Errors
/// Constraint or database errors.
pub async fn insert_log_entry_row(
    tx: &impl ConnectionTrait,
    campaign_id: i32,
    e: &NewLogEntry,
    author_user_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<log_entry::Model, StoreError> {
    let id = e.id.to_string();
    let row = log_entry::ActiveModel {
        id: Set(id.clone()),
        campaign_id: Set(campaign_id),
        venue_id: Set(to_i32(e.venue_id)?),
        booth_id: Set(e.booth_id.map(to_i32).transpose()?),
        activity_id: Set(e.activity_id.map(to_i32).transpose()?),
        recorded_at: Set(e.recorded_at),
        author_user_id: Set(author_user_id),
        author_name: Set(e.author_name.clone()),
        visitors: Set(e.figures.visitors),
        consultations: Set(e.figures.consultations),
        complaints_received: Set(e.figures.complaints_received),
        complaints_settled: Set(e.figures.complaints_settled),
        money_recovered_fen: Set(e.figures.money_recovered_fen),
        note: Set(e.note.clone()),
        content_hash: Set(e.content_hash()),
        created_at: Set(now),
        corrects: Set(None),
        reason: Set(String::new()),
        void: Set(false),
        superseded_by: Set(None),
    }
    .insert(tx)
    .await?;
    if !e.materials.is_empty() {
        let rows = e
            .materials
            .iter()
            .map(|(m, q)| {
                Ok(log_entry_material::ActiveModel {
                    log_entry_id: Set(id.clone()),
                    material_id: Set(to_i32(*m)?),
                    quantity: Set(*q),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        log_entry_material::Entity::insert_many(rows).exec(tx).await?;
    }
    Ok(row)
}

fn to_i32(v: i64) -> Result<i32, StoreError> {
    i32::try_from(v).map_err(|_| StoreError::NotFound { entity: "row", id: v.to_string() })
}

/// A campaign as listed.
#[derive(Debug, Clone, Serialize, FromQueryResult)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignListItem {
    /// Id.
    pub id: i32,
    /// Organization id.
    pub organization_id: i32,
    /// Organization name.
    pub organization: String,
    /// Year.
    pub year: i32,
    /// Event day.
    pub date: NaiveDate,
    /// Title.
    pub title: String,
    /// Theme.
    pub theme: String,
    /// Status.
    pub status: CampaignStatus,
}

/// Lists every campaign, newest day first.
///
/// # Errors
/// A database error.
pub async fn list_campaigns(store: &Store) -> Result<Vec<CampaignListItem>, StoreError> {
    let campaigns = campaign::Entity::find()
        .order_by_desc(campaign::Column::Date)
        .order_by_asc(campaign::Column::Id)
        .all(store.conn())
        .await?;
    let orgs: HashMap<i32, String> =
        organization::Entity::find().all(store.conn()).await?.into_iter().map(|o| (o.id, o.name)).collect();
    Ok(campaigns
        .into_iter()
        .map(|c| CampaignListItem {
            organization: orgs.get(&c.organization_id).cloned().unwrap_or_default(),
            id: c.id,
            organization_id: c.organization_id,
            year: c.year,
            date: c.date,
            title: c.title,
            theme: c.theme,
            status: c.status,
        })
        .collect())
}

/// The campaigns `who` may read (see [`crate::scope::readable_campaigns`]), newest day first:
/// what `GET /api/v1/campaigns` and the pages list.
///
/// # Errors
/// A database error.
pub async fn list_readable_campaigns(
    store: &Store,
    who: &crate::accounts::Principal,
) -> Result<Vec<CampaignListItem>, StoreError> {
    let readable = crate::scope::readable_campaigns(store, who).await?;
    Ok(list_campaigns(store).await?.into_iter().filter(|c| readable.contains(&c.id)).collect())
}

/// A campaign with its totals, per campaign and per venue.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignSummary {
    /// The campaign.
    pub campaign: CampaignListItem,
    /// Totals: per campaign, per venue, materials, media and disputes.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub totals: CampaignTotals,
    /// Each venue's day approval, so reports can mark figures not yet accepted.
    pub venue_days: Vec<crate::scope::VenueDay>,
}

/// `SUM(col)` as a `BIGINT` that cannot overflow (see [`crate::sums`]).
fn sum(backend: sea_orm::DbBackend, col: &str) -> Expr {
    Expr::cust(crate::sums::saturating_sum(backend, col))
}

#[derive(FromQueryResult)]
struct VenueSums {
    venue_id: i32,
    entries: i64,
    visitors: i64,
    consultations: i64,
    complaints_received: i64,
    complaints_settled: i64,
    money_recovered_fen: i64,
}

#[derive(FromQueryResult)]
struct MaterialSums {
    venue_id: i32,
    material_id: i32,
    quantity: i64,
}

async fn query_all<T: FromQueryResult>(
    store: &Store,
    stmt: &impl StatementBuilder,
) -> Result<Vec<T>, StoreError> {
    let db = store.conn();
    let built = db.get_database_backend().build(stmt);
    Ok(T::find_by_statement(built).all(db).await?)
}

/// Loads a campaign's figures and computes its totals (log entries are summed in SQL, per venue).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, database errors otherwise.
pub async fn campaign_summary(store: &Store, campaign_id: i32) -> Result<CampaignSummary, StoreError> {
    let db = store.conn();
    let c = campaign::Entity::find_by_id(campaign_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let org = organization::Entity::find_by_id(c.organization_id).one(db).await?;

    let venues = crate::views::campaign_venues(db, campaign_id).await?;
    let venue_ids: Vec<i32> = venues.iter().map(|v| v.id).collect();
    let sums = venue_sums(store, campaign_id).await?;
    let handed = handed_out(store, campaign_id).await?;

    let booths =
        booth::Entity::find().filter(booth::Column::VenueId.is_in(venue_ids.clone())).all(db).await?;
    let mut booths_per_venue: HashMap<i32, i64> = HashMap::new();
    for b in &booths {
        *booths_per_venue.entry(b.venue_id).or_insert(0) += 1;
    }

    let mut venue_inputs = Vec::with_capacity(venues.len());
    for v in &venues {
        let s = sums.get(&v.id);
        venue_inputs.push(VenueInput {
            id: i64::from(v.id),
            name: v.name.clone(),
            kind: v.kind,
            figures: s.map_or_else(Figures::default, |s| Figures {
                visitors: s.visitors,
                consultations: s.consultations,
                complaints_received: s.complaints_received,
                complaints_settled: s.complaints_settled,
                money_recovered_fen: s.money_recovered_fen,
            }),
            log_entries: s.map_or(0, |s| s.entries),
            booths: booths_per_venue.get(&v.id).copied().unwrap_or(0),
        });
    }

    let material_inputs = material_inputs(store, campaign_id, &handed).await?;

    let activities =
        activity::Entity::find().filter(activity::Column::VenueId.is_in(venue_ids)).all(db).await?;
    let participations = participation::Entity::find()
        .filter(participation::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?;
    let unit_ids: Vec<i32> = participations.iter().map(|p| p.unit_id).collect();
    let unit_kinds: HashMap<i32, UnitKind> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.kind))
        .collect();
    let media = media_coverage::Entity::find()
        .filter(media_coverage::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?;
    let disputes =
        dispute::Entity::find().filter(dispute::Column::CampaignId.eq(campaign_id)).all(db).await?;

    let input = SummaryInput {
        venues: venue_inputs,
        materials: material_inputs,
        activities: activities.iter().map(|a| (i64::from(a.venue_id), a.kind, a.participants)).collect(),
        participations: participations
            .iter()
            .map(|p| {
                (unit_kinds.get(&p.unit_id).copied().unwrap_or(UnitKind::Other), p.reconciliation_member)
            })
            .collect(),
        media: media.iter().map(|m| m.channel).collect(),
        disputes: disputes.iter().map(|d| (d.status, d.amount_claimed_fen, d.amount_recovered_fen)).collect(),
    };
    Ok(CampaignSummary {
        campaign: CampaignListItem {
            id: c.id,
            organization_id: c.organization_id,
            organization: org.map(|o| o.name).unwrap_or_default(),
            year: c.year,
            date: c.date,
            title: c.title,
            theme: c.theme,
            status: c.status,
        },
        totals: CampaignTotals::compute(&input),
        venue_days: crate::scope::venue_days(db, campaign_id).await?,
    })
}

/// A campaign's log figures summed per venue (in SQL), by venue id.
async fn venue_sums(store: &Store, campaign_id: i32) -> Result<HashMap<i32, VenueSums>, StoreError> {
    let backend = store.conn().get_database_backend();
    let sums: Vec<VenueSums> = query_all(
        store,
        Query::select()
            .column(Alias::new("venue_id"))
            .expr_as(
                Func::cast_as(Func::count(Expr::col(Alias::new("id"))), Alias::new("BIGINT")),
                Alias::new("entries"),
            )
            .expr_as(sum(backend, "visitors"), Alias::new("visitors"))
            .expr_as(sum(backend, "consultations"), Alias::new("consultations"))
            .expr_as(sum(backend, "complaints_received"), Alias::new("complaints_received"))
            .expr_as(sum(backend, "complaints_settled"), Alias::new("complaints_settled"))
            .expr_as(sum(backend, "money_recovered_fen"), Alias::new("money_recovered_fen"))
            .from(Alias::new("log_entries"))
            .and_where(Expr::col(Alias::new("campaign_id")).eq(campaign_id))
            .cond_where(crate::sums::counted("log_entries"))
            .group_by_col(Alias::new("venue_id")),
    )
    .await?;
    Ok(sums.into_iter().map(|s| (s.venue_id, s)).collect())
}

/// Materials handed out per venue and material, summed over a campaign's log entries.
async fn handed_out(store: &Store, campaign_id: i32) -> Result<Vec<MaterialSums>, StoreError> {
    let backend = store.conn().get_database_backend();
    query_all(
        store,
        Query::select()
            .expr_as(Expr::col((Alias::new("e"), Alias::new("venue_id"))), Alias::new("venue_id"))
            .expr_as(Expr::col((Alias::new("m"), Alias::new("material_id"))), Alias::new("material_id"))
            .expr_as(sum(backend, "quantity"), Alias::new("quantity"))
            .from_as(Alias::new("log_entry_materials"), Alias::new("m"))
            .join_as(
                sea_orm::JoinType::InnerJoin,
                Alias::new("log_entries"),
                Alias::new("e"),
                Expr::col((Alias::new("e"), Alias::new("id")))
                    .equals((Alias::new("m"), Alias::new("log_entry_id"))),
            )
            .and_where(Expr::col((Alias::new("e"), Alias::new("campaign_id"))).eq(campaign_id))
            .cond_where(crate::sums::counted("e"))
            .group_by_columns([
                (Alias::new("e"), Alias::new("venue_id")),
                (Alias::new("m"), Alias::new("material_id")),
            ]),
    )
    .await
}

/// A campaign's materials with their allocations and what was handed out, for the totals.
async fn material_inputs(
    store: &Store,
    campaign_id: i32,
    handed: &[MaterialSums],
) -> Result<Vec<MaterialInput>, StoreError> {
    let materials = material::Entity::find()
        .filter(material::Column::CampaignId.eq(campaign_id))
        .order_by_asc(material::Column::Id)
        .all(store.conn())
        .await?;
    let allocations = material_allocation::Entity::find()
        .filter(
            material_allocation::Column::MaterialId.is_in(materials.iter().map(|m| m.id).collect::<Vec<_>>()),
        )
        .all(store.conn())
        .await?;
    Ok(materials
        .iter()
        .map(|m| MaterialInput {
            id: i64::from(m.id),
            name: m.name.clone(),
            unit_label: m.unit_label.clone(),
            planned: m.planned,
            allocated: allocations
                .iter()
                .filter(|a| a.material_id == m.id)
                .map(|a| (i64::from(a.venue_id), a.quantity))
                .collect(),
            handed_out: handed
                .iter()
                .filter(|h| h.material_id == m.id)
                .map(|h| (i64::from(h.venue_id), h.quantity))
                .collect::<BTreeMap<_, _>>(),
        })
        .collect())
}
