//! Evidence photos of a complaint case: taken at intake on the lead's phone (queued offline with
//! the case and sent once the case is stored) or added later on the organizers' case page. Each
//! is checked as every photo is ([`crate::log::judge_photo`]: size and type by the bytes), kept
//! in the database, and kept once per case: the same picture sent again (a retry after a lost
//! answer) answers the stored row instead of a second copy. Deleted by the case's purge.

use super::entity::complaint_case;
use crate::Store;
use crate::audit::{self, Action};
use crate::entities::case_evidence;
use crate::error::{ConstraintKind, StoreError};
use crate::log::{PhotoRejection, judge_photo};
use crate::planning::invalid;
use chrono::Utc;
use eventday_domain::photo;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// The most photos one case keeps (the intake page offers [`INTAKE_EVIDENCE`] of them; the
/// rest may be added on the case page).
pub const MAX_EVIDENCE_PER_CASE: u64 = 12;

/// The most photos the lead's intake page attaches to a case.
pub const INTAKE_EVIDENCE: usize = 4;

async fn same_photo(
    db: &impl ConnectionTrait,
    dispute_id: i32,
    sha256: &str,
) -> Result<Option<case_evidence::Model>, StoreError> {
    Ok(case_evidence::Entity::find()
        .filter(case_evidence::Column::DisputeId.eq(dispute_id))
        .filter(case_evidence::Column::Sha256.eq(sha256))
        .one(db)
        .await?
        .map(without_bytes))
}

fn without_bytes(mut m: case_evidence::Model) -> case_evidence::Model {
    m.bytes = Vec::new();
    m
}

/// Attaches a photo to case `dispute_id`, with its audit event (the row without its bytes), in
/// one transaction. The same picture already on the case is answered as it is (`false`): a
/// retried upload is stored once. Allowed after the day and after the report was signed (like
/// the case's steps); refused once the case's personal data was purged.
///
/// # Errors
/// `Ok(Err(_))` for a refused photo (too big, not a JPEG, PNG or WebP by its bytes);
/// [`StoreError::NotFound`] for an unknown case; [`StoreError::Invalid`] naming `file` for a
/// purged case or one that already has [`MAX_EVIDENCE_PER_CASE`] photos; database errors.
pub async fn add_evidence(
    store: &Store,
    actor: Option<i32>,
    dispute_id: i32,
    bytes: Vec<u8>,
) -> Result<Result<(case_evidence::Model, bool), PhotoRejection>, StoreError> {
    let content_type = match judge_photo(&bytes) {
        Ok(t) => t,
        Err(r) => return Ok(Err(r)),
    };
    let sha256 = photo::sha256_hex(&bytes);
    let tx = store.write_tx().await?;
    let case = complaint_case::Entity::find_by_id(dispute_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "case", id: dispute_id.to_string() })?;
    if case.purged_at.is_some() {
        return Err(invalid("file", "the personal data of this case was purged; no photos may be added"));
    }
    if let Some(row) = same_photo(&tx, dispute_id, &sha256).await? {
        return Ok(Ok((row, false)));
    }
    let count = case_evidence::Entity::find()
        .filter(case_evidence::Column::DisputeId.eq(dispute_id))
        .count(&tx)
        .await?;
    if count >= MAX_EVIDENCE_PER_CASE {
        return Err(invalid("file", format!("a case keeps at most {MAX_EVIDENCE_PER_CASE} photos")));
    }
    let inserted = case_evidence::ActiveModel {
        id: NotSet,
        dispute_id: Set(dispute_id),
        content_type: Set(content_type.to_owned()),
        size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(sha256.clone()),
        bytes: Set(bytes),
        created_by: Set(actor),
        created_at: Set(Utc::now()),
    }
    .insert(&tx)
    .await;
    let row = match inserted.map_err(StoreError::from) {
        Ok(row) => row,
        // The same picture stored by another request at the same moment: answer that one.
        Err(StoreError::Constraint { kind: ConstraintKind::Unique, .. }) => {
            drop(tx);
            return match same_photo(store.conn(), dispute_id, &sha256).await? {
                Some(row) => Ok(Ok((row, false))),
                None => Err(StoreError::Conflict("the photo was being stored by another request".into())),
            };
        }
        Err(e) => return Err(e),
    };
    audit::record(&tx, actor, Action::Create, "case_evidence", row.id, None, Some(&row)).await?;
    tx.commit().await?;
    Ok(Ok((without_bytes(row), true)))
}

/// The photos of case `dispute_id` (without their bytes), oldest first.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown case, database errors.
pub async fn list_evidence(store: &Store, dispute_id: i32) -> Result<Vec<case_evidence::Model>, StoreError> {
    let db = store.conn();
    complaint_case::Entity::find_by_id(dispute_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound { entity: "case", id: dispute_id.to_string() })?;
    let mut rows = case_evidence::Entity::find()
        .select_only()
        .columns([
            case_evidence::Column::Id,
            case_evidence::Column::DisputeId,
            case_evidence::Column::ContentType,
            case_evidence::Column::SizeBytes,
            case_evidence::Column::Sha256,
            case_evidence::Column::CreatedBy,
            case_evidence::Column::CreatedAt,
        ])
        .expr_as(Expr::val(Vec::<u8>::new()), "bytes")
        .filter(case_evidence::Column::DisputeId.eq(dispute_id))
        .order_by_asc(case_evidence::Column::Id)
        .into_model::<case_evidence::Model>()
        .all(db)
        .await?;
    rows.iter_mut().for_each(|r| r.bytes.clear());
    Ok(rows)
}

/// One photo with its bytes.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn get_evidence(store: &Store, id: i32) -> Result<case_evidence::Model, StoreError> {
    case_evidence::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "case evidence", id: id.to_string() })
}

/// Deletes every photo of case `dispute_id` inside `tx` (the purge's transaction); answers how
/// many there were.
pub(super) async fn delete_in(tx: &impl ConnectionTrait, dispute_id: i32) -> Result<u64, StoreError> {
    Ok(case_evidence::Entity::delete_many()
        .filter(case_evidence::Column::DisputeId.eq(dispute_id))
        .exec(tx)
        .await?
        .rows_affected)
}
