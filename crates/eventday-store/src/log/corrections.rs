//! Corrections and voids of log entries: the one place that decides which entries count.
//!
//! A correction is a log entry of its own that names the entry it corrects (`corrects`) and a
//! reason; a void is a correction without figures. When a correction is stored, the corrected
//! entry gets `superseded_by` set to it, in the same transaction; nothing else of the corrected
//! entry changes. An entry **counts** when it is neither superseded nor a void (the rule is
//! [`crate::sums::counted_sql`] and [`crate::sums::counted`], beside the other sums): every sum over the log (venue tallies, kept by triggers with the same rule
//! since the migration `m20261201_000017_corrections`; the campaign summary; materials handed
//! out; live totals; exports' totals) takes only counted entries, so a correction's figures
//! replace the corrected ones everywhere and a void leaves nothing.
//!
//! Rules, checked in the write transaction: the corrected entry is stored, belongs to the same
//! venue, and is not corrected already (correct the correction instead: a chain, of which only
//! the last counts). A unique index on `corrects` backs the last rule against writers on other
//! instances. A venue whose day is accepted takes no entries at all, corrections included, so
//! after acceptance only reopening the day allows a correction.

use super::batch::Prepared;
use crate::audit::{self, Action};
use crate::entities::log_entry;
use crate::error::StoreError;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// Why each correction among `items` may not be written (in the write transaction, before the
/// insert). A retry of a stored correction passes: its target is superseded by itself.
pub(super) async fn refusals(
    tx: &impl ConnectionTrait,
    items: &[&Prepared],
) -> Result<HashMap<uuid::Uuid, StoreError>, StoreError> {
    let mut out = HashMap::new();
    let targets: Vec<String> =
        items.iter().filter_map(|p| p.correction.as_ref()).map(|c| c.corrects.to_string()).collect();
    if targets.is_empty() {
        return Ok(out);
    }
    let stored: HashMap<String, log_entry::Model> = log_entry::Entity::find()
        .filter(log_entry::Column::Id.is_in(targets))
        .all(tx)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    for p in items {
        let Some(c) = &p.correction else { continue };
        let id = p.entry.id.to_string();
        let field = |m: String| {
            let mut f = eventday_domain::FieldErrors::new();
            f.insert("corrects".into(), m);
            StoreError::Invalid(eventday_domain::ValidationError { fields: f })
        };
        let refusal = match stored.get(&c.corrects.to_string()) {
            None => Some(field(format!("no stored log entry {}", c.corrects))),
            Some(t) if t.venue_id != p.venue_id => {
                Some(field(format!("log entry {} belongs to another venue", c.corrects)))
            }
            Some(t) => match &t.superseded_by {
                Some(by) if *by != id => Some(StoreError::Conflict(format!(
                    "log entry {} was already corrected by {by}; correct that entry instead",
                    c.corrects
                ))),
                _ => None,
            },
        };
        if let Some(r) = refusal {
            out.insert(p.entry.id, r);
        }
    }
    Ok(out)
}

/// Marks the entries corrected by the just-created `created` as superseded, with an audit event
/// each (`correct`, or `void`), in the write transaction. An entry superseded meanwhile (by a
/// writer elsewhere) fails the whole transaction, which the writer then retries entry by entry.
pub(super) async fn apply(
    tx: &impl ConnectionTrait,
    created: &[&Prepared],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    for p in created {
        let Some(c) = &p.correction else { continue };
        let target = c.corrects.to_string();
        let id = p.entry.id.to_string();
        let done = log_entry::Entity::update_many()
            .col_expr(log_entry::Column::SupersededBy, Expr::value(id.clone()))
            .filter(log_entry::Column::Id.eq(target.clone()))
            .filter(log_entry::Column::SupersededBy.is_null())
            .exec(tx)
            .await?;
        if done.rows_affected != 1 {
            return Err(StoreError::Conflict(format!(
                "log entry {target} was corrected meanwhile; correct that correction instead"
            )));
        }
        let before = serde_json::json!({ "superseded_by": null });
        let after = serde_json::json!({ "superseded_by": id, "reason": c.reason, "at": now });
        let action = if c.void { Action::Void } else { Action::Correct };
        audit::record(tx, p.actor, action, "log_entry", &target, Some(&before), Some(&after)).await?;
    }
    Ok(())
}

/// The note of `e` as exports show it: a correction says what it corrects and why, a corrected
/// entry by which correction, so that both stay readable side by side in a spreadsheet.
#[must_use]
pub fn export_note(e: &log_entry::Model, lang: eventday_domain::Lang) -> String {
    let zh = lang == eventday_domain::Lang::Zh;
    let mut marks = Vec::new();
    if let Some(target) = &e.corrects {
        marks.push(match (zh, e.void) {
            (true, true) => format!("【作废 {target}：{}】", e.reason),
            (true, false) => format!("【更正 {target}：{}】", e.reason),
            (false, true) => format!("[voids {target}: {}]", e.reason),
            (false, false) => format!("[corrects {target}: {}]", e.reason),
        });
    }
    if let Some(by) = &e.superseded_by {
        marks.push(if zh {
            format!("【已被 {by} 更正，不计入合计】")
        } else {
            format!("[replaced by {by}; not counted]")
        });
    }
    marks.push(e.note.clone());
    marks.retain(|m| !m.is_empty());
    marks.join(" ")
}
