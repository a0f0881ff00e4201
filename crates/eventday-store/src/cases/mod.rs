//! Complaint cases (issue 22): a dispute taken at a booth with the consumer's consent, its
//! receipt code and public status, its workflow after the day (ODR with its 10-working-day
//! deadline, 12315 with its case number, settlement), the report's addendum, and the consumer's
//! personal data: sealed at rest, masked when shown, every full view audited, purged after the
//! organization's retention period.
//!
//! **Why a table beside the dispute.** A case is a dispute plus what only a case has. The dispute
//! row stays the statistic every total, page, CSV and report already counts (and is written by
//! the disputes' one write path, [`crate::planning::disputes::insert`]); `complaint_cases` holds
//! the intake (client id, receipt code, consent, sealed contact), the stage and the referral
//! details, keyed by the dispute's id; `case_steps` holds each step. Purging personal data then
//! touches only the case's own columns and free text, and every statistic stays.
//!
//! **One write function per step**: [`intake`], [`record_step`], [`add_evidence`] (a photo, from
//! the intake or the case page), [`reveal_contact`] (a view of the full phone, audited),
//! [`purge`] and [`set_retention`]; each validates, writes and records its
//! audit event in one transaction. Steps are recorded after the day too, also once the day was
//! accepted or the campaign submitted: outcomes arrive weeks later, and the report keeps the
//! figures it was signed with and lists the changes in its addendum ([`addendum`]).

mod entity;
mod evidence;
mod key;
mod scrub;

pub use entity::{case_setting, case_step, complaint_case};
pub use evidence::{INTAKE_EVIDENCE, MAX_EVIDENCE_PER_CASE, add_evidence, get_evidence, list_evidence};
pub use key::CaseKey;

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::{campaign, dispute, participation, unit, venue};
use crate::error::{ConstraintKind, StoreError};
use crate::planning::invalid;
use chrono::{DateTime, NaiveDate, Utc};
use eventday_domain::account::ThrottlePolicy;
use eventday_domain::cases::{self as rules, CaseIntake, CaseStepInput, Contact};
use eventday_domain::inputs::DisputeInput;
use eventday_domain::{CaseStage, DisputeTotals, workdays};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// The longest retention period an organization may set, in days (ten years).
pub const MAX_RETENTION_DAYS: i32 = 3_650;

/// One step as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepView {
    /// The stage the case moved to.
    pub stage: CaseStage,
    /// The day.
    pub on: NaiveDate,
    /// By what means.
    pub means: String,
    /// With what result.
    pub result: String,
    /// Money recovered, fen (settling).
    pub amount_recovered_fen: Option<i64>,
    /// The 12315 case number (referring to 12315).
    pub reference_12315: Option<String>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A case as the API and pages show it: the phone and name masked (see [`reveal_contact`] for
/// the full values).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    /// The dispute's id (the case's key).
    pub dispute_id: i32,
    /// Its campaign.
    pub campaign_id: i32,
    /// The venue where it was received.
    pub venue_id: i32,
    /// The booth, if any.
    pub booth_id: Option<i32>,
    /// The receipt code (the public status page is `/case/{code}`).
    pub code: String,
    /// Where it stands.
    pub stage: CaseStage,
    /// Whether the consumer consented to their name and phone being kept.
    pub consent: bool,
    /// The name, masked ("张*"); none when anonymous or purged.
    pub consumer_name_masked: Option<String>,
    /// The phone, masked ("138****1234"); none when anonymous or purged.
    pub consumer_phone_masked: Option<String>,
    /// The enterprise complained about (a unit).
    pub enterprise_unit_id: Option<i32>,
    /// Its name.
    pub enterprise: String,
    /// Whether the enterprise takes part in the reconciliation platform (ODR member) in this
    /// campaign.
    pub odr_member: bool,
    /// Category.
    pub category: String,
    /// What happened (empty after a purge).
    pub description: String,
    /// Amount in dispute, fen.
    pub amount_claimed_fen: i64,
    /// Money recovered, fen.
    pub amount_recovered_fen: i64,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// The day it ended.
    pub closed_on: Option<NaiveDate>,
    /// The day it was referred through ODR.
    pub odr_referred_on: Option<NaiveDate>,
    /// The enterprise's deadline: 10 working days after the referral.
    pub odr_deadline: Option<NaiveDate>,
    /// Whether the deadline table for that year is provisional (see [`workdays::table`]).
    pub odr_deadline_provisional: bool,
    /// Past its ODR deadline and still with the enterprise.
    pub overdue: bool,
    /// The 12315 case number.
    pub reference_12315: Option<String>,
    /// When the personal data was purged.
    pub purged_at: Option<DateTime<Utc>>,
    /// Every step, oldest first.
    pub steps: Vec<StepView>,
}

/// What the public status page shows: no name, phone, amount or description.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicStatus {
    /// The receipt code.
    pub code: String,
    /// Where it stands.
    pub stage: CaseStage,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// The enterprise's ODR deadline, when referred.
    pub odr_deadline: Option<NaiveDate>,
    /// The steps: stage and day only.
    pub steps: Vec<(CaseStage, NaiveDate)>,
}

/// What the audit trail keeps of a case: never the name or phone themselves.
#[derive(Debug, Clone, Serialize)]
struct Audited<'a> {
    code: &'a str,
    stage: CaseStage,
    consent: bool,
    has_name: bool,
    has_phone: bool,
    odr_deadline: Option<NaiveDate>,
    reference_12315: Option<&'a str>,
    purged: bool,
}

fn audited(m: &complaint_case::Model) -> Audited<'_> {
    Audited {
        code: &m.code,
        stage: m.stage,
        consent: m.consent,
        has_name: m.consumer_name_enc.is_some(),
        has_phone: m.consumer_phone_enc.is_some(),
        odr_deadline: m.odr_deadline,
        reference_12315: m.reference_12315.as_deref(),
        purged: m.purged_at.is_some(),
    }
}

fn aad(dispute_id: i32, field: &str) -> String {
    format!("complaint_cases:{dispute_id}:{field}")
}

/// Today in China (the ODR clock and retention run on the calendar there).
#[must_use]
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

async fn find_case(db: &impl ConnectionTrait, dispute_id: i32) -> Result<complaint_case::Model, StoreError> {
    complaint_case::Entity::find_by_id(dispute_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "case", id: dispute_id.to_string() })
}

async fn find_dispute(db: &impl ConnectionTrait, id: i32) -> Result<dispute::Model, StoreError> {
    dispute::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "dispute", id: id.to_string() })
}

async fn new_code(db: &impl ConnectionTrait) -> Result<String, StoreError> {
    for _ in 0..8 {
        let mut b = [0u8; rules::CODE_LEN];
        getrandom::fill(&mut b).map_err(|_| StoreError::Io("no randomness available".into()))?;
        let code = rules::code_from_bytes(b);
        if by_code(db, &code).await?.is_none() {
            return Ok(code);
        }
    }
    Err(StoreError::Conflict("could not make a free receipt code".into()))
}

async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<complaint_case::Model>, StoreError> {
    Ok(complaint_case::Entity::find().filter(complaint_case::Column::Code.eq(code)).one(db).await?)
}

async fn by_client_id(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<complaint_case::Model>, StoreError> {
    Ok(complaint_case::Entity::find().filter(complaint_case::Column::ClientId.eq(id)).one(db).await?)
}

/// Takes a complaint at venue `venue_id` as a case: validates (a name or phone only with
/// consent), writes its dispute through the disputes' write path and the case beside it with the
/// contact sealed, and records the audit events (without personal data), in one transaction. A
/// retry with the same `client_id` answers the stored case without writing (`false`).
///
/// # Errors
/// [`StoreError::Invalid`] naming every bad field (`code` when the receipt code is taken),
/// [`StoreError::NotFound`] for an unknown venue, [`StoreError::Conflict`] when the client id
/// belongs to a case of another venue, a locked day, database or encryption errors.
pub async fn intake(
    store: &Store,
    key: &CaseKey,
    actor: Option<i32>,
    venue_id: i32,
    input: &CaseIntake,
) -> Result<(CaseView, bool), StoreError> {
    let contact = input.validate()?;
    let client_id = input.client_id.to_string();
    if let Some(existing) = by_client_id(store.conn(), &client_id).await? {
        return again(store, key, &existing, venue_id).await;
    }
    let v = venue::Entity::find_by_id(venue_id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "venue", id: venue_id.to_string() })?;
    let c = campaign::Entity::find_by_id(v.campaign_id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: v.campaign_id.to_string() })?;
    let tx = store.write_tx().await?;
    if let Some(existing) = by_client_id(&tx, &client_id).await? {
        drop(tx);
        return again(store, key, &existing, venue_id).await;
    }
    let code = match input.code.as_deref().and_then(rules::parse_code) {
        Some(code) => {
            if by_code(&tx, &code).await?.is_some() {
                return Err(invalid("code", "this receipt code is already in use"));
            }
            code
        }
        None => new_code(&tx).await?,
    };
    let d = crate::planning::disputes::insert(
        &tx,
        actor,
        c.id,
        &DisputeInput {
            venue_id,
            booth_id: input.booth_id,
            enterprise_unit_id: input.enterprise_unit_id,
            category: input.category.clone(),
            summary: input.description.trim().to_owned(),
            amount_claimed_fen: input.amount_claimed_fen,
            received_on: input.received_on.unwrap_or(c.date),
        },
    )
    .await?;
    let Contact { name, phone } = contact;
    let now = Utc::now();
    let row = complaint_case::ActiveModel {
        dispute_id: Set(d.id),
        campaign_id: Set(c.id),
        client_id: Set(client_id),
        code: Set(code),
        stage: Set(CaseStage::Received),
        consent: Set(input.consent),
        consumer_name_enc: Set(name.map(|n| key.seal(&aad(d.id, "name"), &n)).transpose()?),
        consumer_phone_enc: Set(phone.map(|p| key.seal(&aad(d.id, "phone"), &p)).transpose()?),
        odr_referred_on: Set(None),
        odr_deadline: Set(None),
        reference_12315: Set(None),
        created_by: Set(actor),
        created_at: Set(now),
        updated_at: Set(now),
        purged_at: Set(None),
    }
    .insert(&tx)
    .await
    .map_err(|e| match StoreError::from(e) {
        StoreError::Constraint { kind: ConstraintKind::Unique, .. } => {
            invalid("client_id", "this case was stored by another request at the same moment; send it again")
        }
        other => other,
    })?;
    audit::record(&tx, actor, Action::Create, "case", d.id, None, Some(&audited(&row))).await?;
    tx.commit().await?;
    Ok((view(store, key, &row).await?, true))
}

async fn again(
    store: &Store,
    key: &CaseKey,
    existing: &complaint_case::Model,
    venue_id: i32,
) -> Result<(CaseView, bool), StoreError> {
    let shown = view(store, key, existing).await?;
    if shown.venue_id != venue_id {
        return Err(StoreError::Conflict("this client id belongs to a case of another venue".into()));
    }
    Ok((shown, false))
}

/// Records one step of case `dispute_id`: checks the move (illegal moves are named under
/// `stage`), computes the ODR deadline (10 working days, holidays and adjusted weekends
/// counted), keeps the 12315 number, moves the dispute's status and money recovered with it, and
/// records the audit events, in one transaction. Allowed after the day and after the report was
/// submitted (see the module documentation).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown case, [`StoreError::Invalid`] naming every bad field,
/// database errors.
pub async fn record_step(
    store: &Store,
    key: &CaseKey,
    actor: Option<i32>,
    dispute_id: i32,
    step: &CaseStepInput,
) -> Result<CaseView, StoreError> {
    let tx = store.write_tx().await?;
    let row = record_step_in(&tx, actor, dispute_id, step).await?;
    tx.commit().await?;
    view(store, key, &row).await
}

async fn record_step_in(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    dispute_id: i32,
    step: &CaseStepInput,
) -> Result<complaint_case::Model, StoreError> {
    let before = find_case(tx, dispute_id).await?;
    let d = find_dispute(tx, dispute_id).await?;
    step.validate(before.stage, d.received_on)?;
    let now = Utc::now();
    let reference =
        step.reference_12315.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    let mut am = before.clone().into_active_model();
    am.stage = Set(step.stage);
    am.updated_at = Set(now);
    if step.stage == CaseStage::ReferredOdr {
        am.odr_referred_on = Set(Some(step.on));
        am.odr_deadline = Set(workdays::odr_deadline(step.on));
    }
    if step.stage == CaseStage::Referred12315 {
        am.reference_12315 = Set(reference.clone());
    }
    let after = am.update(tx).await?;

    let status = step.stage.dispute_status();
    let mut dm = d.clone().into_active_model();
    dm.status = Set(status);
    if let Some(a) = step.amount_recovered_fen {
        dm.amount_recovered_fen = Set(a);
    }
    dm.closed_on = Set(status.is_final().then_some(step.on));
    dm.updated_at = Set(now);
    let d_after = dm.update(tx).await?;
    audit::record(tx, actor, Action::Update, "dispute", dispute_id, Some(&d), Some(&d_after)).await?;

    let s = case_step::ActiveModel {
        id: NotSet,
        dispute_id: Set(dispute_id),
        stage: Set(step.stage),
        on_date: Set(step.on),
        means: Set(step.means.trim().to_owned()),
        result: Set(step.result.trim().to_owned()),
        amount_recovered_fen: Set(step.amount_recovered_fen),
        reference_12315: Set(reference),
        recorded_by: Set(actor),
        recorded_at: Set(now),
    }
    .insert(tx)
    .await?;
    audit::record(tx, actor, Action::Create, "case_step", s.id, None, Some(&s)).await?;
    audit::record(
        tx,
        actor,
        Action::Update,
        "case",
        dispute_id,
        Some(&audited(&before)),
        Some(&audited(&after)),
    )
    .await?;
    Ok(after)
}

async fn view(store: &Store, key: &CaseKey, m: &complaint_case::Model) -> Result<CaseView, StoreError> {
    let db = store.conn();
    let d = find_dispute(db, m.dispute_id).await?;
    let steps = case_step::Entity::find()
        .filter(case_step::Column::DisputeId.eq(m.dispute_id))
        .order_by_asc(case_step::Column::Id)
        .all(db)
        .await?;
    let (enterprise, odr_member) = match d.enterprise_unit_id {
        Some(u) => {
            let name = unit::Entity::find_by_id(u).one(db).await?.map(|u| u.name).unwrap_or_default();
            let member = participation::Entity::find()
                .filter(participation::Column::CampaignId.eq(d.campaign_id))
                .filter(participation::Column::UnitId.eq(u))
                .one(db)
                .await?
                .is_some_and(|p| p.reconciliation_member);
            (name, member)
        }
        None => (String::new(), false),
    };
    let contact = open_contact(key, m)?;
    Ok(assemble(m, &d, steps, enterprise, odr_member, &contact, today()))
}

fn assemble(
    m: &complaint_case::Model,
    d: &dispute::Model,
    steps: Vec<case_step::Model>,
    enterprise: String,
    odr_member: bool,
    contact: &Contact,
    today: NaiveDate,
) -> CaseView {
    CaseView {
        dispute_id: m.dispute_id,
        campaign_id: m.campaign_id,
        venue_id: d.venue_id,
        booth_id: d.booth_id,
        code: m.code.clone(),
        stage: m.stage,
        consent: m.consent,
        consumer_name_masked: contact.name.as_deref().map(rules::mask_name),
        consumer_phone_masked: contact.phone.as_deref().map(rules::mask_phone),
        enterprise_unit_id: d.enterprise_unit_id,
        enterprise,
        odr_member,
        category: d.category.clone(),
        description: d.summary.clone(),
        amount_claimed_fen: d.amount_claimed_fen,
        amount_recovered_fen: d.amount_recovered_fen,
        received_on: d.received_on,
        closed_on: d.closed_on,
        odr_referred_on: m.odr_referred_on,
        odr_deadline: m.odr_deadline,
        odr_deadline_provisional: m
            .odr_referred_on
            .is_some_and(|r| workdays::provisional(chrono::Datelike::year(&r))),
        overdue: m.stage == CaseStage::ReferredOdr && m.odr_deadline.is_some_and(|dl| today > dl),
        reference_12315: m.reference_12315.clone(),
        purged_at: m.purged_at,
        steps: steps
            .into_iter()
            .map(|s| StepView {
                stage: s.stage,
                on: s.on_date,
                means: s.means,
                result: s.result,
                amount_recovered_fen: s.amount_recovered_fen,
                reference_12315: s.reference_12315,
                recorded_at: s.recorded_at,
            })
            .collect(),
    }
}

fn open_contact(key: &CaseKey, m: &complaint_case::Model) -> Result<Contact, StoreError> {
    Ok(Contact {
        name: m.consumer_name_enc.as_deref().map(|s| key.open(&aad(m.dispute_id, "name"), s)).transpose()?,
        phone: m
            .consumer_phone_enc
            .as_deref()
            .map(|s| key.open(&aad(m.dispute_id, "phone"), s))
            .transpose()?,
    })
}

/// Case `dispute_id`, masked.
///
/// # Errors
/// [`StoreError::NotFound`], database or decryption errors.
pub async fn get(store: &Store, key: &CaseKey, dispute_id: i32) -> Result<CaseView, StoreError> {
    let m = find_case(store.conn(), dispute_id).await?;
    view(store, key, &m).await
}

/// The cases of a campaign, masked, newest first.
///
/// # Errors
/// Database or decryption errors.
pub async fn list(store: &Store, key: &CaseKey, campaign_id: i32) -> Result<Vec<CaseView>, StoreError> {
    let rows = complaint_case::Entity::find()
        .filter(complaint_case::Column::CampaignId.eq(campaign_id))
        .order_by_desc(complaint_case::Column::DisputeId)
        .all(store.conn())
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // The cases' disputes, steps, enterprises and memberships in four queries, not four a case.
    let db = store.conn();
    let ids: Vec<i32> = rows.iter().map(|m| m.dispute_id).collect();
    let disputes: HashMap<i32, dispute::Model> = dispute::Entity::find()
        .filter(dispute::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let mut steps: HashMap<i32, Vec<case_step::Model>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for st in case_step::Entity::find()
            .filter(case_step::Column::DisputeId.is_in(chunk.iter().copied()))
            .order_by_asc(case_step::Column::Id)
            .all(db)
            .await?
        {
            steps.entry(st.dispute_id).or_default().push(st);
        }
    }
    let members: HashMap<i32, bool> = participation::Entity::find()
        .filter(participation::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.unit_id, p.reconciliation_member))
        .collect();
    let unit_ids: Vec<i32> = disputes.values().filter_map(|d| d.enterprise_unit_id).collect();
    let mut names: HashMap<i32, String> = HashMap::new();
    for chunk in unit_ids.chunks(500) {
        for u in unit::Entity::find().filter(unit::Column::Id.is_in(chunk.iter().copied())).all(db).await? {
            names.insert(u.id, u.name);
        }
    }
    let today = today();
    let mut out = Vec::with_capacity(rows.len());
    for m in &rows {
        let d = disputes
            .get(&m.dispute_id)
            .ok_or(StoreError::NotFound { entity: "dispute", id: m.dispute_id.to_string() })?;
        let (enterprise, odr_member) = match d.enterprise_unit_id {
            Some(u) => {
                (names.get(&u).cloned().unwrap_or_default(), members.get(&u).copied().unwrap_or(false))
            }
            None => (String::new(), false),
        };
        let contact = open_contact(key, m)?;
        let case_steps = steps.remove(&m.dispute_id).unwrap_or_default();
        out.push(assemble(m, d, case_steps, enterprise, odr_member, &contact, today));
    }
    Ok(out)
}

/// The full name and phone of case `dispute_id`, for the organizers' case page: the view is
/// recorded in the audit trail (who, when, which case; never the values).
///
/// # Errors
/// [`StoreError::NotFound`], database or decryption errors.
pub async fn reveal_contact(
    store: &Store,
    key: &CaseKey,
    actor: Option<i32>,
    dispute_id: i32,
) -> Result<Contact, StoreError> {
    let tx = store.write_tx().await?;
    let m = find_case(&tx, dispute_id).await?;
    let contact = open_contact(key, &m)?;
    #[derive(Serialize)]
    struct Viewed {
        viewed: &'static str,
        had_name: bool,
        had_phone: bool,
    }
    let what =
        Viewed { viewed: "contact", had_name: contact.name.is_some(), had_phone: contact.phone.is_some() };
    audit::record(&tx, actor, Action::Reveal, "case", dispute_id, None, Some(&what)).await?;
    tx.commit().await?;
    Ok(contact)
}

/// The public status of the case with receipt code `code` (as typed: case and spaces ignored);
/// `None` for a malformed or unknown code.
///
/// # Errors
/// A database error.
pub async fn public_status(store: &Store, code: &str) -> Result<Option<PublicStatus>, StoreError> {
    let Some(code) = rules::parse_code(code) else { return Ok(None) };
    let Some(m) = by_code(store.conn(), &code).await? else { return Ok(None) };
    let d = find_dispute(store.conn(), m.dispute_id).await?;
    let steps = case_step::Entity::find()
        .filter(case_step::Column::DisputeId.eq(m.dispute_id))
        .order_by_asc(case_step::Column::Id)
        .all(store.conn())
        .await?;
    Ok(Some(PublicStatus {
        code: m.code,
        stage: m.stage,
        received_on: d.received_on,
        odr_deadline: (m.stage == CaseStage::ReferredOdr).then_some(m.odr_deadline).flatten(),
        steps: steps.into_iter().map(|s| (s.stage, s.on_date)).collect(),
    }))
}

/// What a lookup of a receipt code from a client address answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// The case's public status.
    Found(PublicStatus),
    /// No case has this code; the miss was counted against the address.
    Unknown,
    /// The address looked up too many unknown codes lately: every lookup from it (of a known
    /// code too) waits this many seconds.
    Throttled {
        /// Seconds until the address may look up again.
        retry_after_secs: i64,
    },
}

/// The throttle key of the status page's lookups from a client address.
fn lookup_key(address: &str) -> String {
    format!("case-lookup:{address}")
}

/// The public status page's lookup of `code` from client `address`. The page is public and
/// relies on codes being unguessable, so lookups of unknown (or malformed) codes are counted per
/// address in the database, where every server instance sees them
/// ([`ThrottlePolicy::CASE_LOOKUP`]); a locked address is refused every lookup until the lock
/// ends. A known code never counts.
///
/// # Errors
/// A database error.
pub async fn lookup(store: &Store, code: &str, address: &str) -> Result<Lookup, StoreError> {
    let key = lookup_key(address);
    let now = Utc::now();
    if let Some(retry_after_secs) = crate::throttle::retry_after(store.conn(), &key, now).await? {
        return Ok(Lookup::Throttled { retry_after_secs });
    }
    if let Some(found) = public_status(store, code).await? {
        return Ok(Lookup::Found(found));
    }
    let tx = store.write_tx().await?;
    crate::throttle::count_failure(&tx, key, ThrottlePolicy::CASE_LOOKUP, now).await?;
    tx.commit().await?;
    Ok(Lookup::Unknown)
}

/// The retention period of an organization's consumers' personal data, in days.
///
/// # Errors
/// A database error.
pub async fn retention_days(db: &impl ConnectionTrait, organization_id: i32) -> Result<i32, StoreError> {
    Ok(case_setting::Entity::find_by_id(organization_id)
        .one(db)
        .await?
        .map_or(rules::DEFAULT_RETENTION_DAYS, |s| s.retention_days))
}

/// Sets an organization's retention period (0 to [`MAX_RETENTION_DAYS`] days), audited.
///
/// # Errors
/// [`StoreError::Invalid`] naming `retention_days`, [`StoreError::NotFound`] for an unknown
/// organization, database errors.
pub async fn set_retention(
    store: &Store,
    actor: Option<i32>,
    organization_id: i32,
    days: i32,
) -> Result<case_setting::Model, StoreError> {
    if !(0..=MAX_RETENTION_DAYS).contains(&days) {
        return Err(invalid("retention_days", format!("must be between 0 and {MAX_RETENTION_DAYS} days")));
    }
    let tx = store.write_tx().await?;
    crate::entities::organization::Entity::find_by_id(organization_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "organization", id: organization_id.to_string() })?;
    let before = case_setting::Entity::find_by_id(organization_id).one(&tx).await?;
    let am = case_setting::ActiveModel {
        organization_id: Set(organization_id),
        retention_days: Set(days),
        updated_at: Set(Utc::now()),
    };
    let after = if before.is_some() { am.update(&tx).await? } else { am.insert(&tx).await? };
    audit::record(
        &tx,
        actor,
        Action::Update,
        "case_settings",
        organization_id,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// What a purge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Cases whose personal data was removed.
    pub cases: usize,
}

/// Removes the personal data of every case received more than its organization's retention
/// period before `today`: the sealed name and phone, the description and the steps' result text
/// (free text may name people), and the evidence photos (deleted). The same free text is also
/// taken out of the case's earlier audit events, which recorded it when it was written: the
/// `summary` field of the before and after states of the dispute's events (entity `dispute`, its
/// id) and the `result` field of its steps' events (entity `case_step`, each step's id) are set
/// to `""`; every other field of those events, and every event, stays. The statistics stay: the
/// dispute's status, amounts and dates, the steps' stages, days and amounts, and the receipt
/// code. Each case purged is one transaction with its audit events (a `purge` of the case, and
/// of its photos when it had any: how many, never their bytes). Run by `eventday cases purge`
/// and at every start.
///
/// # Errors
/// A database error (cases purged before it stay purged).
pub async fn purge(store: &Store, actor: Option<i32>, today: NaiveDate) -> Result<Purged, StoreError> {
    let open = complaint_case::Entity::find()
        .filter(complaint_case::Column::PurgedAt.is_null())
        .order_by_asc(complaint_case::Column::DisputeId)
        .all(store.conn())
        .await?;
    let mut retention: std::collections::HashMap<i32, i64> = std::collections::HashMap::new();
    let mut done = Purged::default();
    for m in open {
        let Some(c) = campaign::Entity::find_by_id(m.campaign_id).one(store.conn()).await? else { continue };
        let days = match retention.get(&c.organization_id) {
            Some(d) => *d,
            None => {
                let d = i64::from(retention_days(store.conn(), c.organization_id).await?);
                retention.insert(c.organization_id, d);
                d
            }
        };
        let d = find_dispute(store.conn(), m.dispute_id).await?;
        if (today - d.received_on).num_days() <= days {
            continue;
        }
        let tx = store.write_tx().await?;
        let before = find_case(&tx, m.dispute_id).await?;
        if before.purged_at.is_some() {
            continue;
        }
        let now = Utc::now();
        let mut am = before.clone().into_active_model();
        am.consumer_name_enc = Set(None);
        am.consumer_phone_enc = Set(None);
        am.purged_at = Set(Some(now));
        am.updated_at = Set(now);
        let after = am.update(&tx).await?;
        if !d.summary.is_empty() {
            let mut dm = d.clone().into_active_model();
            dm.summary = Set(String::new());
            dm.updated_at = Set(now);
            dm.update(&tx).await?;
        }
        case_step::Entity::update_many()
            .col_expr(case_step::Column::Result, sea_orm::sea_query::Expr::value(""))
            .filter(case_step::Column::DisputeId.eq(m.dispute_id))
            .exec(&tx)
            .await?;
        let photos = evidence::delete_in(&tx, m.dispute_id).await?;
        let step_ids: Vec<String> = case_step::Entity::find()
            .filter(case_step::Column::DisputeId.eq(m.dispute_id))
            .all(&tx)
            .await?
            .iter()
            .map(|s| s.id.to_string())
            .collect();
        scrub::blank_audit_field(&tx, "dispute", &[m.dispute_id.to_string()], "summary").await?;
        scrub::blank_audit_field(&tx, "case_step", &step_ids, "result").await?;
        if photos > 0 {
            #[derive(Serialize)]
            struct PhotosPurged {
                photos_deleted: u64,
            }
            let what = PhotosPurged { photos_deleted: photos };
            audit::record(&tx, actor, Action::Purge, "case_evidence", m.dispute_id, None, Some(&what))
                .await?;
        }
        audit::record(
            &tx,
            actor,
            Action::Purge,
            "case",
            m.dispute_id,
            Some(&audited(&before)),
            Some(&audited(&after)),
        )
        .await?;
        tx.commit().await?;
        done.cases += 1;
    }
    Ok(done)
}

/// One change to a case since the report was signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The step's day.
    pub on: NaiveDate,
    /// The receipt code.
    pub code: String,
    /// Category.
    pub category: String,
    /// Where it moved.
    pub stage: CaseStage,
    /// Money recovered (settling).
    pub amount_recovered_fen: Option<i64>,
}

/// The dated addendum (补充说明) of a campaign whose report was signed (submitted to the parent):
/// the dispute figures as signed and as they are now, and every case step recorded since.
/// `None` when the report was never signed (or was returned) or nothing changed since.
///
/// # Errors
/// Database errors.
pub async fn addendum(
    store: &Store,
    campaign_id: i32,
) -> Result<Option<eventday_report::Addendum>, StoreError> {
    let Some(signed) = crate::submission_lock::signed_figures(store, campaign_id).await? else {
        return Ok(None);
    };
    let disputes =
        dispute::Entity::find().filter(dispute::Column::CampaignId.eq(campaign_id)).all(store.conn()).await?;
    let now = eventday_domain::CampaignTotals::dispute_totals(
        &disputes
            .iter()
            .map(|d| (d.status, d.amount_claimed_fen, d.amount_recovered_fen))
            .collect::<Vec<_>>(),
    );
    let ids: Vec<i32> = disputes.iter().map(|d| d.id).collect();
    let steps = case_step::Entity::find()
        .filter(case_step::Column::DisputeId.is_in(ids))
        .filter(case_step::Column::RecordedAt.gt(signed.at))
        .order_by_asc(case_step::Column::Id)
        .all(store.conn())
        .await?;
    if steps.is_empty() && now == signed.disputes {
        return Ok(None);
    }
    let mut changes = Vec::with_capacity(steps.len());
    for s in steps {
        let code = find_case(store.conn(), s.dispute_id).await?.code;
        let category =
            disputes.iter().find(|d| d.id == s.dispute_id).map(|d| d.category.clone()).unwrap_or_default();
        changes.push(eventday_report::AddendumChange {
            on: s.on_date,
            code,
            category,
            stage: s.stage,
            amount_recovered_fen: s.amount_recovered_fen,
        });
    }
    Ok(Some(eventday_report::Addendum {
        signed_on: signed.at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive(),
        as_of: today(),
        signed: summary(&signed.disputes),
        now: summary(&now),
        changes,
    }))
}

fn summary(t: &DisputeTotals) -> eventday_report::DisputeSummary {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    eventday_report::DisputeSummary {
        received: count(t.received),
        mediating: count(t.mediating),
        settled: count(t.settled),
        referred: count(t.referred),
        closed: count(t.closed),
        amount_claimed_fen: t.amount_claimed_fen,
        amount_recovered_fen: t.amount_recovered_fen,
    }
}

/// Puts the signed dispute figures back into a report and adds its addendum: the body of a
/// signed report keeps the figures it was signed with, and the addendum says what changed.
///
/// # Errors
/// Database errors.
pub async fn apply_addendum(
    store: &Store,
    campaign_id: i32,
    data: &mut eventday_report::ReportData,
) -> Result<(), StoreError> {
    if let Some(a) = addendum(store, campaign_id).await? {
        data.disputes = a.signed.clone();
        data.addendum = Some(a);
    }
    Ok(())
}
