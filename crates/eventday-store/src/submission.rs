//! Submissions (报送): a district sends its finished campaign to its parent organization — the
//! figures as they stand, the summary report PDF generated at that moment, and a note. An
//! organizer of the parent (or of an ancestor of it) accepts the submission or returns it with a
//! comment; an accepted submission locks the campaign's figures (log entries, corrections,
//! activities' figures, disputes, closing tallies: every write that calls
//! [`crate::scope::ensure_venue_writable`] or goes through the log writer) until the accepting
//! level withdraws its acceptance. Every step is one transaction with its audit event.
//!
//! A return also reopens the venue days the district had accepted (each audited), and every step
//! is announced on the campaign's live feed (see [`crate::live::LiveSubmission`]).
//!
//! The states: (none) → `submitted` → `accepted` | `returned`; `returned` → `submitted` (the
//! district submits again); `accepted` → `submitted` (withdrawn: the parent may then accept again
//! or return it).

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::{campaign, organization, user};
use crate::error::StoreError;
use crate::live;
use crate::org_tree::organization_within;
use crate::sql::statement;
use chrono::{DateTime, Utc};
use eventday_domain::{Role, ValidationError};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    FromQueryResult, IntoActiveModel, QueryFilter, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Longest note or comment, in characters.
pub const MAX_TEXT: usize = 2_000;

/// Table `submissions` (one row per campaign: its latest state).
pub mod entity {
    use sea_orm::entity::prelude::*;

    /// A row of `submissions`.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "submissions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub campaign_id: i32,
        pub organization_id: i32,
        pub parent_organization_id: i32,
        pub status: eventday_domain::SubmissionStatus,
        pub client_id: String,
        pub note: String,
        pub comment: String,
        pub figures: String,
        pub report_sha256: String,
        pub report_size: i64,
        pub report_pdf: Vec<u8>,
        pub submitted_by: Option<i32>,
        pub submitted_at: DateTimeUtc,
        pub decided_by: Option<i32>,
        pub decided_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
    }

    /// No declared relations: joins are explicit in the store.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub use eventday_domain::SubmissionStatus;

/// A submission as shown (without the PDF's bytes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submission {
    /// The campaign submitted.
    pub campaign_id: i32,
    /// Its organization (the district).
    pub organization_id: i32,
    /// The organization it was submitted to.
    pub parent_organization_id: i32,
    /// submitted / accepted / returned.
    pub status: SubmissionStatus,
    /// The district's note.
    pub note: String,
    /// The parent's comment when it returned the submission (kept until the next return).
    pub comment: String,
    /// The campaign's totals when it was submitted.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub figures: serde_json::Value,
    /// SHA-256 (hex) of the report PDF generated at submission.
    pub report_sha256: String,
    /// Its size in bytes.
    pub report_size: i64,
    /// Who submitted.
    pub submitted_by: Option<i32>,
    /// When.
    pub submitted_at: DateTime<Utc>,
    /// Who accepted, returned or withdrew last.
    pub decided_by: Option<i32>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
}

impl Submission {
    fn of(m: &entity::Model) -> Self {
        Submission {
            campaign_id: m.campaign_id,
            organization_id: m.organization_id,
            parent_organization_id: m.parent_organization_id,
            status: m.status,
            note: m.note.clone(),
            comment: m.comment.clone(),
            figures: serde_json::from_str(&m.figures).unwrap_or(serde_json::Value::Null),
            report_sha256: m.report_sha256.clone(),
            report_size: m.report_size,
            submitted_by: m.submitted_by,
            submitted_at: m.submitted_at,
            decided_by: m.decided_by,
            decided_at: m.decided_at,
        }
    }
}

/// A campaign's place in reporting up the hierarchy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionState {
    /// The campaign.
    pub campaign_id: i32,
    /// Its organization.
    pub organization_id: i32,
    /// The organization it reports to; null for a top-level organization (nothing to submit to).
    pub parent_organization_id: Option<i32>,
    /// The latest submission; null when never submitted.
    pub submission: Option<Submission>,
    /// Whether the campaign's figures are locked (an accepted submission).
    pub locked: bool,
}

/// What a parent decides about a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// `submitted` → `accepted`: the figures are locked.
    Accept,
    /// `submitted` → `returned`, with the required comment.
    Return(String),
    /// `accepted` → `submitted`: the acceptance is withdrawn and the figures unlocked.
    Withdraw,
}

async fn find_campaign(db: &impl ConnectionTrait, campaign_id: i32) -> Result<campaign::Model, StoreError> {
    campaign::Entity::find_by_id(campaign_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })
}

async fn row(db: &impl ConnectionTrait, campaign_id: i32) -> Result<Option<entity::Model>, StoreError> {
    Ok(entity::Entity::find().filter(entity::Column::CampaignId.eq(campaign_id)).one(db).await?)
}

async fn parent_of(db: &impl ConnectionTrait, organization_id: i32) -> Result<Option<i32>, StoreError> {
    Ok(organization::Entity::find_by_id(organization_id).one(db).await?.and_then(|o| o.parent_id))
}

/// The submission state of a campaign.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, database errors.
pub async fn state(store: &Store, campaign_id: i32) -> Result<SubmissionState, StoreError> {
    let db = store.conn();
    let c = find_campaign(db, campaign_id).await?;
    let parent = parent_of(db, c.organization_id).await?;
    let submission = row(db, campaign_id).await?.map(|m| Submission::of(&m));
    Ok(SubmissionState {
        campaign_id,
        organization_id: c.organization_id,
        parent_organization_id: parent,
        locked: submission.as_ref().is_some_and(|s| s.status == SubmissionStatus::Accepted),
        submission,
    })
}

/// The report PDF stored with a campaign's submission; `None` when never submitted.
///
/// # Errors
/// Database errors.
pub async fn report_pdf(store: &Store, campaign_id: i32) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(row(store.conn(), campaign_id).await?.map(|m| m.report_pdf))
}

fn text_field(field: &str, text: &str, required: bool) -> Result<String, StoreError> {
    let t = text.trim();
    if required && t.is_empty() {
        return Err(ValidationError::field(field, "is required").into());
    }
    if t.chars().count() > MAX_TEXT {
        return Err(ValidationError::field(field, format!("must be at most {MAX_TEXT} characters")).into());
    }
    Ok(t.to_owned())
}

/// What a district sends: a note, and a client-made id so that a retried submission is stored
/// once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmitInput {
    /// The district's note to its parent.
    pub note: String,
    /// A client-made UUID; a retry with the same id answers the stored submission.
    pub client_id: Option<uuid::Uuid>,
}

/// Submits campaign `campaign_id` to its organization's parent: reads its totals, renders its
/// report PDF (Chinese), and stores both with the note, in one transaction with its audit
/// event. Allowed when never submitted or returned; a retry with the same `client_id` answers
/// the stored submission without writing.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign, [`StoreError::Invalid`] naming `note`,
/// [`StoreError::Conflict`] when the organization has no parent or the submission is already
/// submitted or accepted, database or rendering errors.
pub async fn submit(
    store: &Store,
    campaign_id: i32,
    input: &SubmitInput,
    actor: Option<i32>,
) -> Result<Submission, StoreError> {
    let note = text_field("note", &input.note, false)?;
    let client_id = input.client_id.map(|u| u.to_string()).unwrap_or_default();
    let c = find_campaign(store.conn(), campaign_id).await?;
    let Some(parent) = parent_of(store.conn(), c.organization_id).await? else {
        return Err(StoreError::Conflict(
            "this campaign's organization has no parent organization to submit to".into(),
        ));
    };
    if let Some(existing) = row(store.conn(), campaign_id).await?
        && !client_id.is_empty()
        && existing.client_id == client_id
    {
        return Ok(Submission::of(&existing));
    }
    // The figures and the report as they are now, read before the write transaction (rendering
    // takes tens of milliseconds and must not hold SQLite's write lock).
    let totals = crate::queries::campaign_summary(store, campaign_id).await?.totals;
    let figures =
        serde_json::to_string(&totals).map_err(|e| StoreError::Db(sea_orm::DbErr::Json(e.to_string())))?;
    let opts = eventday_report::RenderOptions { lang: eventday_domain::Lang::Zh, ..Default::default() };
    let pdf = crate::report_data::render_campaign(store, campaign_id, opts).await.map_err(|e| match e {
        crate::report_data::ReportFailure::Store(s) => s,
        crate::report_data::ReportFailure::Render(m) => StoreError::Io(m),
    })?;
    let sha = hex(&Sha256::digest(&pdf.pdf));
    let size = i64::try_from(pdf.pdf.len()).unwrap_or(i64::MAX);
    let now = Utc::now();

    let tx = store.write_tx().await?;
    lock_campaign(&tx, campaign_id).await?;
    let before = row(&tx, campaign_id).await?;
    if let Some(b) = &before {
        if !client_id.is_empty() && b.client_id == client_id {
            return Ok(Submission::of(b));
        }
        if b.status != SubmissionStatus::Returned {
            return Err(StoreError::Conflict(format!(
                "campaign {campaign_id} is already {}; it can be submitted again only once returned",
                b.status.as_str()
            )));
        }
    }
    let am = entity::ActiveModel {
        id: before.as_ref().map_or(NotSet, |b| Set(b.id)),
        campaign_id: Set(campaign_id),
        organization_id: Set(c.organization_id),
        parent_organization_id: Set(parent),
        status: Set(SubmissionStatus::Submitted),
        client_id: Set(client_id),
        note: Set(note),
        // The last return's comment stays visible until the parent decides again.
        comment: Set(before.as_ref().map(|b| b.comment.clone()).unwrap_or_default()),
        figures: Set(figures),
        report_sha256: Set(sha),
        report_size: Set(size),
        report_pdf: Set(pdf.pdf),
        submitted_by: Set(actor),
        submitted_at: Set(now),
        decided_by: Set(None),
        decided_at: Set(None),
        updated_at: Set(now),
    };
    let after = if before.is_some() { am.update(&tx).await? } else { am.insert(&tx).await? };
    let shown = Submission::of(&after);
    let notice = live_notice(&shown);
    let notified = live::notify_submission_in_tx(&tx, &notice).await?;
    audit::record(
        &tx,
        actor,
        Action::Submit,
        "submission",
        campaign_id,
        before.as_ref().map(Submission::of).as_ref(),
        Some(&shown),
    )
    .await?;
    tx.commit().await?;
    if !notified {
        live::publish_submission_local(store, notice);
    }
    Ok(shown)
}

fn live_notice(s: &Submission) -> live::LiveSubmission {
    live::LiveSubmission {
        campaign_id: s.campaign_id,
        organization_id: s.organization_id,
        parent_organization_id: s.parent_organization_id,
        status: s.status.as_str().to_owned(),
    }
}

/// Checks that `actor` may decide about a submission to `parent` from `district`: an organizer
/// of the parent organization or of one of its ancestors, and not of the district itself.
async fn check_decider(
    tx: &DatabaseTransaction,
    actor: Option<i32>,
    parent: i32,
    district: i32,
) -> Result<(), StoreError> {
    let Some(actor) = actor else { return Ok(()) };
    let Some(who) = user::Entity::find_by_id(actor).one(tx).await? else {
        return Err(StoreError::Forbidden("unknown acting user".into()));
    };
    if who.role != Role::Organizer {
        return Err(StoreError::Forbidden("only organizers decide about submissions".into()));
    }
    if who.organization_id == district || !organization_within(tx, who.organization_id, parent).await? {
        return Err(StoreError::Forbidden(
            "only an organizer of the organization submitted to (or above it) may decide about this submission"
                .into(),
        ));
    }
    Ok(())
}

/// Accepts, returns or withdraws the acceptance of campaign `campaign_id`'s submission, in one
/// transaction with its audit event.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown campaign or one never submitted,
/// [`StoreError::Forbidden`] for an actor who is not above the district,
/// [`StoreError::Invalid`] naming `comment` (a return needs one), [`StoreError::Conflict`] for
/// a move the state does not allow, database errors.
pub async fn decide(
    store: &Store,
    campaign_id: i32,
    decision: &Decision,
    actor: Option<i32>,
) -> Result<Submission, StoreError> {
    let comment = match decision {
        Decision::Return(c) => Some(text_field("comment", c, true)?),
        _ => None,
    };
    let tx = store.write_tx().await?;
    find_campaign(&tx, campaign_id).await?;
    lock_campaign(&tx, campaign_id).await?;
    let before = row(&tx, campaign_id)
        .await?
        .ok_or(StoreError::NotFound { entity: "submission", id: campaign_id.to_string() })?;
    check_decider(&tx, actor, before.parent_organization_id, before.organization_id).await?;
    let (from, to, action) = match decision {
        Decision::Accept => (SubmissionStatus::Submitted, SubmissionStatus::Accepted, Action::Accept),
        Decision::Return(_) => (SubmissionStatus::Submitted, SubmissionStatus::Returned, Action::Return),
        Decision::Withdraw => (SubmissionStatus::Accepted, SubmissionStatus::Submitted, Action::Withdraw),
    };
    if before.status != from {
        return Err(StoreError::Conflict(format!(
            "the submission of campaign {campaign_id} is {} and cannot become {}",
            before.status.as_str(),
            to.as_str()
        )));
    }
    let now = Utc::now();
    let shown_before = Submission::of(&before);
    let mut am = before.into_active_model();
    am.status = Set(to);
    // The parent's comment is what the venues' leads read as the reason their day was reopened.
    let day_reason: Option<String> =
        comment.as_deref().map(|c| c.chars().take(crate::scope::MAX_REOPEN_REASON_CHARS).collect());
    if let Some(c) = comment {
        am.comment = Set(c);
    }
    am.decided_by = Set(actor);
    am.decided_at = Set(Some(now));
    am.updated_at = Set(now);
    let after = Submission::of(&am.update(&tx).await?);
    audit::record(&tx, actor, action, "submission", campaign_id, Some(&shown_before), Some(&after)).await?;
    // A return reopens the campaign: every venue day the district had accepted is opened again
    // (each audited as a day reopened), so that the district can correct its figures.
    let mut reopened = false;
    if matches!(decision, Decision::Return(_)) {
        for v in crate::scope::venue_days(&tx, campaign_id).await? {
            if v.day_status == eventday_domain::DayStatus::Accepted {
                crate::scope::move_day_in(
                    &tx,
                    v.venue_id,
                    eventday_domain::DayStatus::Open,
                    day_reason.as_deref(),
                    actor,
                )
                .await?;
                reopened = true;
            }
        }
    }
    let notice = live_notice(&after);
    let notified = live::notify_submission_in_tx(&tx, &notice).await?;
    tx.commit().await?;
    if reopened {
        store.scope_cache().clear();
    }
    if !notified {
        live::publish_submission_local(store, notice);
    }
    Ok(after)
}

/// Serializes the submission steps of one campaign on PostgreSQL (a transaction-scoped advisory
/// lock keyed by the campaign), so that two concurrent submits cannot both insert. SQLite runs one
/// write transaction at a time already.
async fn lock_campaign(tx: &impl ConnectionTrait, campaign_id: i32) -> Result<(), StoreError> {
    if tx.get_database_backend() == sea_orm::DbBackend::Postgres {
        tx.execute_raw(statement(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7140032, ?)",
            vec![campaign_id.into()],
        ))
        .await?;
    }
    Ok(())
}

pub use crate::submission_lock::{Signed, ensure_campaign_writable, signed_figures};

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Sets the cut-off time after which organization `organization_id` lists its children that
/// have not submitted for `year` (with their contacts); audited.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown organization, database errors.
pub async fn set_cutoff(
    store: &Store,
    organization_id: i32,
    year: i32,
    cutoff_at: DateTime<Utc>,
    actor: Option<i32>,
) -> Result<DateTime<Utc>, StoreError> {
    let tx = store.write_tx().await?;
    organization::Entity::find_by_id(organization_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "organization", id: organization_id.to_string() })?;
    let before = cutoff(&tx, organization_id, year).await?;
    let backend = tx.get_database_backend();
    let now = Utc::now();
    if before.is_some() {
        tx.execute_raw(statement(
            backend,
            "UPDATE submission_cutoffs SET cutoff_at = ?, updated_at = ? WHERE organization_id = ? AND year = ?",
            vec![cutoff_at.into(), now.into(), organization_id.into(), year.into()],
        ))
        .await?;
    } else {
        tx.execute_raw(statement(
            backend,
            "INSERT INTO submission_cutoffs (organization_id, year, cutoff_at, updated_at) VALUES (?, ?, ?, ?)",
            vec![organization_id.into(), year.into(), cutoff_at.into(), now.into()],
        ))
        .await?;
    }
    #[derive(Serialize)]
    struct Cutoff {
        year: i32,
        cutoff_at: Option<DateTime<Utc>>,
    }
    audit::record(
        &tx,
        actor,
        if before.is_some() { Action::Update } else { Action::Create },
        "submission_cutoff",
        organization_id,
        Some(&Cutoff { year, cutoff_at: before }),
        Some(&Cutoff { year, cutoff_at: Some(cutoff_at) }),
    )
    .await?;
    tx.commit().await?;
    Ok(cutoff_at)
}

/// The cut-off organization `organization_id` set for `year`, if any.
///
/// # Errors
/// Database errors.
pub async fn cutoff(
    db: &impl ConnectionTrait,
    organization_id: i32,
    year: i32,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    #[derive(FromQueryResult)]
    struct Row {
        cutoff_at: DateTime<Utc>,
    }
    Ok(Row::find_by_statement(statement(
        db.get_database_backend(),
        "SELECT cutoff_at FROM submission_cutoffs WHERE organization_id = ? AND year = ?",
        vec![organization_id.into(), year.into()],
    ))
    .one(db)
    .await?
    .map(|r| r.cutoff_at))
}
