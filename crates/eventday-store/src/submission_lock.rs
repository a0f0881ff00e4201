//! What other modules read of submissions and cases without depending on the submission
//! workflow (which renders reports): the figures lock of an accepted submission (checked by the
//! write paths: scope, log writer), the figures a report was signed with (read by the report's
//! addendum) and whether a dispute is a complaint case (checked by the dispute's status moves).

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

/// The dispute figures a campaign's report was signed with: those of its submission while it is
/// submitted or accepted (a returned submission is being worked on again).
#[derive(Debug, Clone, PartialEq)]
pub struct Signed {
    /// When it was submitted.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The dispute figures then.
    pub disputes: eventday_domain::DisputeTotals,
}

/// The figures the campaign's report was signed with (see [`Signed`]), if any. Here rather
/// than with the submission workflow so that the report's addendum can read them without
/// depending on the workflow (which renders reports).
///
/// # Errors
/// A database error.
pub async fn signed_figures(store: &crate::Store, campaign_id: i32) -> Result<Option<Signed>, StoreError> {
    #[derive(FromQueryResult)]
    struct Row {
        status: String,
        figures: String,
        submitted_at: chrono::DateTime<chrono::Utc>,
    }
    let db = store.conn();
    let r = Row::find_by_statement(statement(
        db.get_database_backend(),
        "SELECT status, figures, submitted_at FROM submissions WHERE campaign_id = ?",
        vec![campaign_id.into()],
    ))
    .one(db)
    .await?;
    let Some(r) = r else { return Ok(None) };
    if r.status == "returned" {
        return Ok(None);
    }
    let totals: Option<eventday_domain::CampaignTotals> = serde_json::from_str(&r.figures).ok();
    Ok(totals.map(|t| Signed { at: r.submitted_at, disputes: t.disputes }))
}

/// Whether dispute `id` is a complaint case (its steps are recorded on the case, not by the
/// dispute's own status moves).
///
/// # Errors
/// A database error.
pub async fn is_case(db: &impl ConnectionTrait, id: i32) -> Result<bool, StoreError> {
    #[derive(FromQueryResult)]
    struct Hit {
        n: i64,
    }
    let hit = Hit::find_by_statement(statement(
        db.get_database_backend(),
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM complaint_cases WHERE dispute_id = ?",
        vec![id.into()],
    ))
    .one(db)
    .await?;
    Ok(hit.is_some_and(|h| h.n > 0))
}
