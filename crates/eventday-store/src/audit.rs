//! The audit trail: every write through the API records who, when, what and the before/after
//! state, inside the same transaction as the write itself.

use crate::Store;
use crate::entities::{audit_event, organization, user};
use crate::error::StoreError;
use chrono::Utc;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Something new.
    Create,
    /// A change.
    Update,
    /// A removal.
    Delete,
    /// An account disabled.
    Disable,
    /// An account enabled again.
    Enable,
    /// A password set by an administrator.
    ResetPassword,
    /// An API token revoked.
    Revoke,
    /// A lead submitted a venue's day.
    DaySubmit,
    /// An organizer accepted a venue's day (its figures are locked).
    DayAccept,
    /// An organizer reopened a venue's day.
    DayReopen,
    /// A log entry replaced by a correction (the correction itself is a `Create`).
    Correct,
    /// A log entry taken out of every total by a void.
    Void,
    /// A campaign submitted to its parent organization.
    Submit,
    /// A submission accepted by the parent (the campaign's figures are locked).
    Accept,
    /// A submission returned to the district with a comment.
    Return,
    /// An acceptance withdrawn by the parent (the figures unlocked).
    Withdraw,
    /// A consumer's full name and phone viewed on a case page.
    Reveal,
    /// Personal data removed after its retention period.
    Purge,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Disable => "disable",
            Action::Enable => "enable",
            Action::ResetPassword => "reset_password",
            Action::Revoke => "revoke",
            Action::DaySubmit => "day_submit",
            Action::DayAccept => "day_accept",
            Action::DayReopen => "day_reopen",
            Action::Correct => "correct",
            Action::Void => "void",
            Action::Submit => "submit",
            Action::Accept => "accept",
            Action::Return => "return",
            Action::Withdraw => "withdraw",
            Action::Reveal => "reveal",
            Action::Purge => "purge",
        }
    }
}

fn to_json<T: Serialize>(v: Option<&T>) -> Result<Option<String>, StoreError> {
    v.map(|v| serde_json::to_string(v).map_err(|e| StoreError::Db(sea_orm::DbErr::Json(e.to_string()))))
        .transpose()
}

/// Records one audit event inside `tx` (the caller's write transaction).
///
/// # Errors
/// A database error.
pub async fn record<T: Serialize>(
    tx: &impl ConnectionTrait,
    actor: Option<i32>,
    action: Action,
    entity: &str,
    entity_id: impl ToString,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), StoreError> {
    audit_event::ActiveModel {
        id: NotSet,
        at: Set(Utc::now()),
        user_id: Set(actor),
        action: Set(action.as_str().to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id.to_string()),
        before: Set(to_json(before)?),
        after: Set(to_json(after)?),
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// The largest page of audit events returned at once.
pub const MAX_AUDIT_PAGE: u64 = 1_000;

/// Whose audit events a reader may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditScope {
    /// Events whose actor belongs to one of these organizations.
    pub organizations: BTreeSet<i32>,
    /// Also events without an actor (written by the command line).
    pub unattributed: bool,
}

impl AuditScope {
    /// What an organizer of `organization_id` sees: events of users of that organization and its
    /// descendants, and, for a root organization (one without a parent), events without an actor.
    ///
    /// # Errors
    /// A database error.
    pub async fn of_organization(
        db: &impl ConnectionTrait,
        organization_id: i32,
    ) -> Result<Self, StoreError> {
        let organizations = crate::org_tree::organization_tree(db, organization_id).await?;
        let root = organization::Entity::find_by_id(organization_id)
            .one(db)
            .await?
            .is_some_and(|o| o.parent_id.is_none());
        Ok(AuditScope { organizations, unattributed: root })
    }
}

/// Audit events within `scope`, newest first, optionally for one entity kind and id.
///
/// # Errors
/// A database error.
pub async fn list(
    store: &Store,
    scope: &AuditScope,
    entity: Option<&str>,
    entity_id: Option<&str>,
    limit: u64,
) -> Result<Vec<audit_event::Model>, StoreError> {
    let actors = Query::select()
        .column(user::Column::Id)
        .from(user::Entity)
        .and_where(user::Column::OrganizationId.is_in(scope.organizations.iter().copied()))
        .to_owned();
    let mut visible = Condition::any().add(audit_event::Column::UserId.in_subquery(actors));
    if scope.unattributed {
        visible = visible.add(audit_event::Column::UserId.is_null());
    }
    let mut q = audit_event::Entity::find().filter(visible);
    if let Some(e) = entity {
        q = q.filter(audit_event::Column::Entity.eq(e));
    }
    if let Some(id) = entity_id {
        q = q.filter(audit_event::Column::EntityId.eq(id));
    }
    Ok(q.order_by_desc(audit_event::Column::Id)
        .limit(limit.clamp(1, MAX_AUDIT_PAGE))
        .all(store.conn())
        .await?)
}
