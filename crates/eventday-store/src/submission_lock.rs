//! The figures lock of an accepted submission, on its own so that the write paths (scope, log
//! writer) can check it without depending on the submission workflow (which renders reports).

use crate::error::StoreError;
use crate::sql::statement;
use sea_orm::{ConnectionTrait, FromQueryResult};

/// Refuses a write of campaign `campaign_id`'s figures while its submission is accepted. Called
/// by [`crate::scope::ensure_venue_writable`] and the log writer inside their transactions.
///
/// # Errors
/// [`StoreError::SubmissionLocked`], database errors.
pub async fn ensure_campaign_writable(tx: &impl ConnectionTrait, campaign_id: i32) -> Result<(), StoreError> {
    #[derive(FromQueryResult)]
    struct Hit {
        n: i64,
    }
    let hit = Hit::find_by_statement(statement(
        tx.get_database_backend(),
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM submissions WHERE campaign_id = ? AND status = 'accepted'",
        vec![campaign_id.into()],
    ))
    .one(tx)
    .await?;
    if hit.is_some_and(|h| h.n > 0) {
        return Err(StoreError::SubmissionLocked { campaign_id });
    }
    Ok(())
}
