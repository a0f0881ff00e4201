//! The audit trail: every write through the API or the CLI leaves one `audit_events` row naming
//! the acting user (when there is one).

use crate::entities::audit_event;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;

/// Writes one audit event inside the caller's transaction; `before`/`after` are stored as JSON.
///
/// # Errors
/// A database error (or a value that cannot be serialized).
#[allow(clippy::too_many_arguments)] // one flat call per write reads better than a builder here
pub async fn record<T: Serialize>(
    tx: &impl ConnectionTrait,
    actor: Option<i32>,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&T>,
    after: Option<&T>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let json = |v: Option<&T>| {
        v.map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Db(sea_orm::DbErr::Json(e.to_string())))
    };
    audit_event::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        at: Set(at),
        user_id: Set(actor),
        action: Set(action.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id.to_owned()),
        before: Set(json(before)?),
        after: Set(json(after)?),
    }
    .insert(tx)
    .await?;
    Ok(())
}
