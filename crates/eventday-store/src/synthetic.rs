//! A deterministic synthetic province for load and roll-up tests: a province, its cities, and
//! `N` districts, each with one campaign on the same day, 17 venues and about 50 log entries per
//! venue.
//!
//! This is the one place that writes without the store's per-entity write functions (see
//! [`crate::planning`]): it exists for volume, and its rows are plain multi-row inserts with no
//! audit events. Everything users enter goes through the write functions.
//!
//! Speed comes from multi-row inserts inside one transaction per chunk of districts (one commit
//! per chunk instead of one per row). Each district is written whole inside one chunk, so a run
//! that was interrupted can simply be started again: districts that already have their campaign
//! are skipped, and a complete tree is left as it is.

use crate::Store;
use crate::entities::*;
use crate::error::StoreError;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use eventday_domain::log::NewLogEntry;
use eventday_domain::time::{local_to_utc, parse_zone};
use eventday_domain::totals::Figures;
use eventday_domain::{CampaignStatus, DayStatus, ValidationError, VenueKind};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use std::collections::{BTreeMap, HashMap};

/// Districts per city in the generated tree.
pub const DISTRICTS_PER_CITY: u32 = 20;
/// Venues per district: one main venue and sixteen sub-venues, as in 2013.
pub const VENUES_PER_DISTRICT: u32 = 17;
/// Average log entries per venue (each venue gets 45 to 55).
pub const ENTRIES_PER_VENUE: u32 = 50;
/// Districts written per transaction.
const DISTRICTS_PER_CHUNK: usize = 50;
/// Rows per multi-row `INSERT` (16 columns × 1,500 rows stays under SQLite's 32,766 parameters).
const ROWS_PER_STATEMENT: usize = 1_500;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticSpec {
    /// Number of districts (1 to 100,000).
    pub districts: u32,
    /// Seed: the same seed and count give the same data.
    pub seed: u64,
    /// Campaign year; the day is 15 March of that year.
    pub year: i32,
}

impl SyntheticSpec {
    /// The province's name, which identifies the generated tree.
    #[must_use]
    pub fn province_name(&self) -> String {
        format!("合成省消费者委员会（{} 区，种子 {}，{} 年）", self.districts, self.seed, self.year)
    }
}

/// How far generation has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyntheticProgress {
    /// Districts written or found already present.
    pub districts_done: u32,
    /// Districts asked for.
    pub districts_total: u32,
    /// Log entries written in this run.
    pub entries_written: u64,
}

/// What a generation run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticOutcome {
    /// The province organization (the roll-up root).
    pub province_id: i32,
    /// Districts written in this run (0 when the tree was already complete).
    pub districts_written: u32,
    /// Venues written in this run.
    pub venues_written: u64,
    /// Log entries written in this run.
    pub entries_written: u64,
}

/// SplitMix64: tiny, fast and deterministic; statistical quality is plenty for test data.
struct Rng(u64);

impl Rng {
    /// Streams must not overlap: the state is a hash of (seed, stream), not a sum, so two
    /// districts never walk the same sequence.
    fn new(seed: u64, stream: u64) -> Self {
        Rng(mix(mix(seed) ^ stream.wrapping_add(0x632B_E59B_D9B4_E019)))
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }
    fn uuid(&mut self) -> uuid::Uuid {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next().to_le_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

/// The SplitMix64 finalizer.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn city_name(city: u32) -> String {
    format!("合成{:03}市消费者协会", city + 1)
}

fn district_name(district: u32) -> String {
    let city = district / DISTRICTS_PER_CITY;
    format!("合成{:03}市{:02}区消费者协会", city + 1, district % DISTRICTS_PER_CITY + 1)
}

fn venue_name(v: u32) -> String {
    if v == 0 { "主会场".to_owned() } else { format!("第{v:02}分会场") }
}

/// Finds the organization `name` under `parent`, creating it if missing.
async fn find_or_create_org(
    tx: &impl ConnectionTrait,
    name: &str,
    parent: Option<i32>,
    now: DateTime<Utc>,
) -> Result<i32, StoreError> {
    let mut q = organization::Entity::find().filter(organization::Column::Name.eq(name));
    q = match parent {
        Some(p) => q.filter(organization::Column::ParentId.eq(p)),
        None => q.filter(organization::Column::ParentId.is_null()),
    };
    if let Some(o) = q.one(tx).await? {
        return Ok(o.id);
    }
    let am = organization::ActiveModel {
        id: NotSet,
        name: Set(name.to_owned()),
        name_en: Set(None),
        parent_id: Set(parent),
        created_at: Set(now),
    };
    Ok(organization::Entity::insert(am).exec(tx).await?.last_insert_id)
}

/// Creates (or finds) the province, cities and district organizations; returns the province id
/// and the district organization ids in district order.
async fn organizations(
    store: &Store,
    spec: &SyntheticSpec,
    now: DateTime<Utc>,
) -> Result<(i32, Vec<i32>), StoreError> {
    let tx = store.write_tx().await?;
    let province = find_or_create_org(&tx, &spec.province_name(), None, now).await?;
    let cities = spec.districts.div_ceil(DISTRICTS_PER_CITY);
    let mut districts = Vec::with_capacity(spec.districts as usize);
    for c in 0..cities {
        let city = find_or_create_org(&tx, &city_name(c), Some(province), now).await?;
        let existing = children_by_name(&tx, city).await?;
        let range = c * DISTRICTS_PER_CITY..((c + 1) * DISTRICTS_PER_CITY).min(spec.districts);
        let missing: Vec<organization::ActiveModel> = range
            .clone()
            .map(district_name)
            .filter(|n| !existing.contains_key(n))
            .map(|n| organization::ActiveModel {
                id: NotSet,
                name: Set(n),
                name_en: Set(None),
                parent_id: Set(Some(city)),
                created_at: Set(now),
            })
            .collect();
        if !missing.is_empty() {
            organization::Entity::insert_many(missing).exec_without_returning(&tx).await?;
        }
        let ids = children_by_name(&tx, city).await?;
        for d in range {
            let id = ids
                .get(&district_name(d))
                .copied()
                .ok_or_else(|| StoreError::NotFound { entity: "organization", id: district_name(d) })?;
            districts.push(id);
        }
    }
    tx.commit().await?;
    Ok((province, districts))
}

/// Generates (or completes) the synthetic tree, calling `progress` after every chunk.
///
/// # Errors
/// [`StoreError::Invalid`] for a district count of 0 or above 100,000 or a year out of range;
/// database errors otherwise (chunks already committed stay, and a rerun completes the tree).
pub async fn generate(
    store: &Store,
    spec: &SyntheticSpec,
    mut progress: impl FnMut(&SyntheticProgress),
) -> Result<SyntheticOutcome, StoreError> {
    if spec.districts == 0 || spec.districts > 100_000 {
        return Err(ValidationError::field("synthetic_districts", "must be between 1 and 100000").into());
    }
    let date = NaiveDate::from_ymd_opt(spec.year, 3, 15)
        .filter(|_| (1980..=2200).contains(&spec.year))
        .ok_or_else(|| ValidationError::field("year", "must be between 1980 and 2200"))?;
    let zone = parse_zone("Asia/Shanghai").map_err(|e| ValidationError::field("timezone", e))?;
    let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let opens = local_to_utc(date, nine, zone).map_err(|e| ValidationError::field("date", e))?;

    let now = Utc::now();
    let (province_id, district_orgs) = organizations(store, spec, now).await?;
    let mut p = SyntheticProgress { districts_total: spec.districts, ..SyntheticProgress::default() };
    let mut outcome =
        SyntheticOutcome { province_id, districts_written: 0, venues_written: 0, entries_written: 0 };

    for (chunk_no, chunk) in district_orgs.chunks(DISTRICTS_PER_CHUNK).enumerate() {
        let first = chunk_no * DISTRICTS_PER_CHUNK;
        let tx = store.write_tx().await?;
        let done: Vec<i32> = campaign::Entity::find()
            .select_only()
            .column(campaign::Column::OrganizationId)
            .filter(campaign::Column::OrganizationId.is_in(chunk.iter().copied()))
            .filter(campaign::Column::Date.eq(date))
            .into_tuple()
            .all(&tx)
            .await?;
        let todo: Vec<(u32, i32)> = chunk
            .iter()
            .enumerate()
            .filter(|(_, org)| !done.contains(org))
            .map(|(i, org)| (u32::try_from(first + i).unwrap_or(u32::MAX), *org))
            .collect();
        if todo.is_empty() {
            tx.rollback().await?;
        } else {
            let written = write_districts(&tx, spec, &todo, date, opens, now).await?;
            tx.commit().await?;
            outcome.districts_written += u32::try_from(todo.len()).unwrap_or(u32::MAX);
            outcome.venues_written += written.0;
            outcome.entries_written += written.1;
            p.entries_written += written.1;
        }
        p.districts_done += u32::try_from(chunk.len()).unwrap_or(u32::MAX);
        progress(&p);
    }
    Ok(outcome)
}

/// Writes campaigns, venues and log entries for `todo` (district index, organization id);
/// returns (venues, entries) written.
/// The child organizations of `parent`, id by name.
async fn children_by_name(
    tx: &impl ConnectionTrait,
    parent: i32,
) -> Result<HashMap<String, i32>, StoreError> {
    Ok(organization::Entity::find()
        .filter(organization::Column::ParentId.eq(parent))
        .all(tx)
        .await?
        .into_iter()
        .map(|o| (o.name, o.id))
        .collect())
}

async fn write_districts(
    tx: &impl ConnectionTrait,
    spec: &SyntheticSpec,
    todo: &[(u32, i32)],
    date: NaiveDate,
    opens: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(u64, u64), StoreError> {
    let campaigns: Vec<campaign::ActiveModel> = todo
        .iter()
        .map(|(d, org)| campaign::ActiveModel {
            id: NotSet,
            organization_id: Set(*org),
            year: Set(spec.year),
            date: Set(date),
            timezone: Set("Asia/Shanghai".into()),
            title: Set(format!("{}{}年“3·15”活动", district_name(*d), spec.year)),
            theme: Set("消费与服务".into()),
            status: Set(CampaignStatus::Closed),
            // The schema's defaults (no undertaker or division code; names masked).
            undertaker: NotSet,
            division_code: NotSet,
            mask_official_names: NotSet,
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    campaign::Entity::insert_many(campaigns).exec_without_returning(tx).await?;
    let org_ids: Vec<i32> = todo.iter().map(|(_, o)| *o).collect();
    let campaign_of_org: HashMap<i32, i32> = campaign::Entity::find()
        .select_only()
        .column(campaign::Column::OrganizationId)
        .column(campaign::Column::Id)
        .filter(campaign::Column::OrganizationId.is_in(org_ids))
        .filter(campaign::Column::Date.eq(date))
        .into_tuple::<(i32, i32)>()
        .all(tx)
        .await?
        .into_iter()
        .collect();

    let (venue_count, venue_ids) = write_venues(tx, todo, &campaign_of_org, now).await?;
    let entries = write_log(tx, spec, todo, &campaign_of_org, &venue_ids, opens, now).await?;
    Ok((venue_count, entries))
}

/// The districts' venues; returns how many, and their ids by (campaign, name).
async fn write_venues(
    tx: &impl ConnectionTrait,
    todo: &[(u32, i32)],
    campaign_of_org: &HashMap<i32, i32>,
    now: DateTime<Utc>,
) -> Result<(u64, HashMap<(i32, String), i32>), StoreError> {
    let mut venues = Vec::with_capacity(todo.len() * VENUES_PER_DISTRICT as usize);
    for (d, org) in todo {
        let campaign_id = campaign_of_org
            .get(org)
            .copied()
            .ok_or_else(|| StoreError::NotFound { entity: "campaign", id: district_name(*d) })?;
        for v in 0..VENUES_PER_DISTRICT {
            venues.push(venue::ActiveModel {
                id: NotSet,
                campaign_id: Set(campaign_id),
                kind: Set(if v == 0 { VenueKind::Main } else { VenueKind::Sub }),
                name: Set(venue_name(v)),
                name_en: Set(None),
                host_unit: Set(format!("{}第{}工商所", district_name(*d), v + 1)),
                address: Set(format!("合成路{}号", v + 1)),
                lead_name: Set("xx".into()),
                width_m: Set(40.0),
                depth_m: Set(30.0),
                opens_at: Set("09:00".into()),
                closes_at: Set("17:00".into()),
                position: Set(i32::try_from(v).unwrap_or(0)),
                day_status: Set(if v % 4 == 0 { DayStatus::Accepted } else { DayStatus::Submitted }),
                accepted_at: Set((v % 4 == 0).then_some(now)),
                reopen_reason: Set(None),
                setting: NotSet,
                has_plan: NotSet,
            });
        }
    }
    let venue_count = venues.len() as u64;
    for chunk in venues.chunks(ROWS_PER_STATEMENT) {
        venue::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    let campaign_ids: Vec<i32> = campaign_of_org.values().copied().collect();
    let venue_ids: HashMap<(i32, String), i32> = venue::Entity::find()
        .select_only()
        .column(venue::Column::CampaignId)
        .column(venue::Column::Name)
        .column(venue::Column::Id)
        .filter(venue::Column::CampaignId.is_in(campaign_ids))
        .into_tuple::<(i32, String, i32)>()
        .all(tx)
        .await?
        .into_iter()
        .map(|(c, n, id)| ((c, n), id))
        .collect();

    Ok((venue_count, venue_ids))
}

/// About [`ENTRIES_PER_VENUE`] log entries per venue, deterministic per seed and district.
async fn write_log(
    tx: &impl ConnectionTrait,
    spec: &SyntheticSpec,
    todo: &[(u32, i32)],
    campaign_of_org: &HashMap<i32, i32>,
    venue_ids: &HashMap<(i32, String), i32>,
    opens: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut entries = 0u64;
    let mut batch: Vec<log_entry::ActiveModel> = Vec::with_capacity(ROWS_PER_STATEMENT);
    for (d, org) in todo {
        let campaign_id = campaign_of_org.get(org).copied().unwrap_or_default();
        let mut rng = Rng::new(spec.seed, u64::from(*d));
        for v in 0..VENUES_PER_DISTRICT {
            let venue_id = venue_ids
                .get(&(campaign_id, venue_name(v)))
                .copied()
                .ok_or_else(|| StoreError::NotFound { entity: "venue", id: venue_name(v) })?;
            let n = rng.range(i64::from(ENTRIES_PER_VENUE) - 5, i64::from(ENTRIES_PER_VENUE) + 5);
            let size = if v == 0 { 3 } else { 1 };
            for _ in 0..n {
                let received = rng.range(0, 3);
                let e = NewLogEntry {
                    id: rng.uuid(),
                    venue_id: i64::from(venue_id),
                    booth_id: None,
                    activity_id: None,
                    recorded_at: opens + Duration::seconds(rng.range(0, 8 * 3600 - 1)),
                    author_name: format!("{}负责人", venue_name(v)),
                    figures: Figures {
                        visitors: rng.range(5, 60) * size,
                        consultations: rng.range(0, 20) * size,
                        complaints_received: received,
                        complaints_settled: rng.range(0, received),
                        money_recovered_fen: rng.range(0, 50_000),
                    },
                    materials: BTreeMap::new(),
                    note: String::new(),
                };
                batch.push(log_entry::ActiveModel {
                    id: Set(e.id.to_string()),
                    campaign_id: Set(campaign_id),
                    venue_id: Set(venue_id),
                    booth_id: Set(None),
                    activity_id: Set(None),
                    recorded_at: Set(e.recorded_at),
                    author_user_id: Set(None),
                    content_hash: Set(e.content_hash()),
                    author_name: Set(e.author_name),
                    visitors: Set(e.figures.visitors),
                    consultations: Set(e.figures.consultations),
                    complaints_received: Set(e.figures.complaints_received),
                    complaints_settled: Set(e.figures.complaints_settled),
                    money_recovered_fen: Set(e.figures.money_recovered_fen),
                    note: Set(e.note),
                    created_at: Set(now),
                    corrects: Set(None),
                    reason: Set(String::new()),
                    void: Set(false),
                    superseded_by: Set(None),
                });
                if batch.len() == ROWS_PER_STATEMENT {
                    entries += batch.len() as u64;
                    log_entry::Entity::insert_many(std::mem::take(&mut batch))
                        .exec_without_returning(tx)
                        .await?;
                }
            }
        }
    }
    if !batch.is_empty() {
        entries += batch.len() as u64;
        log_entry::Entity::insert_many(batch).exec_without_returning(tx).await?;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_per_seed_and_stream() {
        let (mut a, mut b, mut c) = (Rng::new(7, 3), Rng::new(7, 3), Rng::new(8, 3));
        let xa: Vec<u64> = (0..5).map(|_| a.next()).collect();
        let xb: Vec<u64> = (0..5).map(|_| b.next()).collect();
        let xc: Vec<u64> = (0..5).map(|_| c.next()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
        let mut r = Rng::new(1, 1);
        assert!((0..1000).map(|_| r.range(45, 55)).all(|n| (45..=55).contains(&n)));
    }

    #[test]
    fn district_names_are_unique_within_their_city() {
        let names: std::collections::HashSet<String> = (0..100).map(district_name).collect();
        assert_eq!(names.len(), 100);
        assert_eq!(district_name(0), "合成001市01区消费者协会");
        assert_eq!(district_name(20), "合成002市01区消费者协会");
    }
}
