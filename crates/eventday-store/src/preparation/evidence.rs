//! Evidence on a checklist task (佐证材料): a photo or PDF kept in the database like log
//! photos, its type judged by its bytes, never by what the client declares.

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::{task, task_evidence};
use crate::error::StoreError;
use chrono::Utc;
use eventday_domain::photo;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::BTreeSet;

/// The longest file name kept (characters); longer ones are cut.
const MAX_FILE_NAME_CHARS: usize = 200;

/// Why an evidence file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceRejection {
    /// Bigger than [`photo::MAX_EVIDENCE_BYTES`].
    #[error("a file may be at most {} bytes", photo::MAX_EVIDENCE_BYTES)]
    TooLarge,
    /// Empty, or neither a JPEG, PNG or WebP photo nor a PDF by its bytes.
    #[error("only photos (JPEG, PNG, WebP) and PDF files are accepted (judged by content)")]
    Unsupported,
}

/// Attaches a file to a task, with its audit event, in a transaction of its own.
///
/// # Errors
/// `Ok(Err(_))` for a refused file; [`StoreError::NotFound`] for an unknown task; database errors.
pub async fn add_evidence(
    store: &Store,
    actor: Option<i32>,
    task_id: i32,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<Result<task_evidence::Model, EvidenceRejection>, StoreError> {
    if bytes.len() > photo::MAX_EVIDENCE_BYTES {
        return Ok(Err(EvidenceRejection::TooLarge));
    }
    let Some(content_type) = photo::sniff_evidence(&bytes) else {
        return Ok(Err(EvidenceRejection::Unsupported));
    };
    let tx = store.write_tx().await?;
    task::Entity::find_by_id(task_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "task", id: task_id.to_string() })?;
    // Only the last path segment, without control characters: a name to show, not a path.
    let name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let row = task_evidence::ActiveModel {
        id: NotSet,
        task_id: Set(task_id),
        file_name: Set(name.trim().to_owned()),
        content_type: Set(content_type.to_owned()),
        size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
        sha256: Set(photo::sha256_hex(&bytes)),
        bytes: Set(bytes),
        created_by: Set(actor),
        created_at: Set(Utc::now()),
    }
    .insert(&tx)
    .await?;
    audit::record(&tx, actor, Action::Create, "task_evidence", row.id, None, Some(&row)).await?;
    tx.commit().await?;
    Ok(Ok(row))
}

/// The evidence of the given tasks (without bytes), oldest first.
///
/// # Errors
/// Database errors.
pub async fn list_evidence(
    store: &Store,
    task_ids: &BTreeSet<i32>,
) -> Result<Vec<task_evidence::Model>, StoreError> {
    if task_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = task_evidence::Entity::find()
        .select_only()
        .columns([
            task_evidence::Column::Id,
            task_evidence::Column::TaskId,
            task_evidence::Column::FileName,
            task_evidence::Column::ContentType,
            task_evidence::Column::SizeBytes,
            task_evidence::Column::Sha256,
            task_evidence::Column::CreatedBy,
            task_evidence::Column::CreatedAt,
        ])
        .expr_as(Expr::val(Vec::<u8>::new()), "bytes")
        .filter(task_evidence::Column::TaskId.is_in(task_ids.iter().copied()))
        .order_by_asc(task_evidence::Column::Id)
        .into_model::<task_evidence::Model>()
        .all(store.conn())
        .await?;
    rows.iter_mut().for_each(|r| r.bytes.clear());
    Ok(rows)
}

/// One evidence file with its bytes.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn get_evidence(store: &Store, id: i32) -> Result<task_evidence::Model, StoreError> {
    task_evidence::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "evidence", id: id.to_string() })
}
