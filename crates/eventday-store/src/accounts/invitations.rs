//! One-time invitations that let a new lead choose a login and password for their venue.

use super::{
    InvitationInfo, InvitationProblem, InvitationView, NewUser, UserInfo, constant_time_eq, create_user,
    random_secret, secret_hash,
};
use crate::Store;
use crate::audit::{self, Action};
use crate::entities::{invitation, user, user_venue, venue};
use crate::error::StoreError;
use chrono::{DateTime, Duration, Utc};
use eventday_domain::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};
use serde::Serialize;

/// Creates a one-time invitation for a new lead of `venue_id`; returns it with its secret token
/// (shown once; only its hash is kept).
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown venue, database errors.
pub async fn create_invitation(
    store: &Store,
    venue_id: i32,
    created_by: i32,
    ttl: Duration,
) -> Result<(InvitationInfo, String), StoreError> {
    let token = random_secret()?;
    let now = Utc::now();
    let tx = store.write_tx().await?;
    if venue::Entity::find_by_id(venue_id).one(&tx).await?.is_none() {
        return Err(StoreError::NotFound { entity: "venue", id: venue_id.to_string() });
    }
    let inv = invitation::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        token_hash: Set(secret_hash(&token)),
        venue_id: Set(venue_id),
        created_by: Set(created_by),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        user_id: Set(None),
        revoked_at: Set(None),
    }
    .insert(&tx)
    .await?;
    let info = InvitationInfo { id: inv.id, venue_id, expires_at: inv.expires_at };
    audit::record(
        &tx,
        Some(created_by),
        Action::Create,
        "invitation",
        &info.id.to_string(),
        None,
        Some(&info),
    )
    .await?;
    tx.commit().await?;
    Ok((info, token))
}

/// Checks that `token` is the secret of invitation `id` (to render its QR code) and returns the
/// invitation's venue.
///
/// # Errors
/// [`StoreError::NotFound`] when it is not, database errors.
pub async fn invitation_venue_by_secret(store: &Store, id: i32, token: &str) -> Result<i32, StoreError> {
    invitation::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .filter(|i| constant_time_eq(&i.token_hash, &secret_hash(token)))
        .map(|i| i.venue_id)
        .ok_or(StoreError::NotFound { entity: "invitation", id: id.to_string() })
}

/// The venue an invitation belongs to.
///
/// # Errors
/// [`StoreError::NotFound`], database errors.
pub async fn invitation_venue(store: &Store, id: i32) -> Result<i32, StoreError> {
    invitation::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .map(|i| i.venue_id)
        .ok_or(StoreError::NotFound { entity: "invitation", id: id.to_string() })
}

/// What an invitation link leads to, or why it cannot be used.
///
/// # Errors
/// A database error.
pub async fn open_invitation(
    store: &Store,
    token: &str,
) -> Result<Result<InvitationView, InvitationProblem>, StoreError> {
    let Some(inv) = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(secret_hash(token)))
        .one(store.conn())
        .await?
    else {
        return Ok(Err(InvitationProblem::Unknown));
    };
    if inv.used_at.is_some() {
        return Ok(Err(InvitationProblem::Used));
    }
    if inv.revoked_at.is_some() {
        return Ok(Err(InvitationProblem::Revoked));
    }
    if inv.expires_at <= Utc::now() {
        return Ok(Err(InvitationProblem::Expired));
    }
    let venue_name =
        venue::Entity::find_by_id(inv.venue_id).one(store.conn()).await?.map(|v| v.name).unwrap_or_default();
    Ok(Ok(InvitationView { id: inv.id, venue_name, expires_at: inv.expires_at }))
}

/// Uses an invitation: creates the lead account for its venue with the chosen login and
/// password, and marks the invitation used (once, even under concurrent submissions).
///
/// # Errors
/// [`StoreError::Invalid`] for a bad login/password, [`StoreError::Constraint`] for a login in
/// use, database errors.
pub async fn accept_invitation(
    store: &Store,
    token: &str,
    login: &str,
    display_name: &str,
    password: String,
) -> Result<Result<UserInfo, InvitationProblem>, StoreError> {
    let view = match open_invitation(store, token).await? {
        Ok(v) => v,
        Err(p) => return Ok(Err(p)),
    };
    let venue_id = invitation_venue(store, view.id).await?;
    let new = NewUser {
        login: login.to_owned(),
        display_name: display_name.to_owned(),
        role: Role::Lead,
        organization_id: None,
        venue_ids: vec![venue_id],
        password,
    };
    let created_by = invitation::Entity::find_by_id(view.id).one(store.conn()).await?.map(|i| i.created_by);
    let info = create_user(store, new, created_by).await?;
    let tx = store.write_tx().await?;
    let marked = invitation::Entity::update_many()
        .col_expr(invitation::Column::UsedAt, Expr::val(Utc::now()))
        .col_expr(invitation::Column::UserId, Expr::val(info.id))
        .filter(invitation::Column::Id.eq(view.id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    if marked.rows_affected == 0 {
        // Someone used it in between: take back the account just made.
        tx.rollback().await?;
        user::Entity::delete_by_id(info.id).exec(store.conn()).await?;
        return Ok(Err(InvitationProblem::Used));
    }
    tx.commit().await?;
    Ok(Ok(info))
}

/// An invitation as listed for its campaign's organizers: where it stands, never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationListItem {
    /// Id.
    pub id: i32,
    /// The venue the new lead will run.
    pub venue_id: i32,
    /// Created.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: DateTime<Utc>,
    /// Valid until.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: DateTime<Utc>,
    /// When it was used, if it was.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub used_at: Option<DateTime<Utc>>,
    /// `unused`, `used`, `revoked` or `expired` (as of `now`).
    pub status: &'static str,
}

/// Every invitation for the venues of a campaign, newest first, with its status as of `now`.
///
/// # Errors
/// A database error.
pub async fn list_campaign_invitations(
    store: &Store,
    campaign_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<InvitationListItem>, StoreError> {
    let venue_ids: Vec<i32> = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .all(store.conn())
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    if venue_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = invitation::Entity::find()
        .filter(invitation::Column::VenueId.is_in(venue_ids))
        .order_by_desc(invitation::Column::CreatedAt)
        .order_by_desc(invitation::Column::Id)
        .all(store.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|i| {
            let status = if i.used_at.is_some() {
                "used"
            } else if i.revoked_at.is_some() {
                "revoked"
            } else if i.expires_at <= now {
                "expired"
            } else {
                "unused"
            };
            InvitationListItem {
                id: i.id,
                venue_id: i.venue_id,
                created_at: i.created_at,
                expires_at: i.expires_at,
                used_at: i.used_at,
                status,
            }
        })
        .collect())
}

/// Takes back an invitation that was not used: its link then opens nothing. Revoking one
/// already revoked (or expired) changes nothing more; audited with the acting user.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown invitation, [`StoreError::Conflict`] for one already
/// used (the lead's account exists: disable the account instead), database errors.
pub async fn revoke_invitation(
    store: &Store,
    id: i32,
    actor: Option<i32>,
) -> Result<InvitationInfo, StoreError> {
    let tx = store.write_tx().await?;
    let inv = invitation::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "invitation", id: id.to_string() })?;
    if inv.used_at.is_some() {
        return Err(StoreError::Conflict(format!(
            "invitation {id} was used; disable the lead's account instead"
        )));
    }
    let info = InvitationInfo { id: inv.id, venue_id: inv.venue_id, expires_at: inv.expires_at };
    if inv.revoked_at.is_none() {
        let before = inv.clone();
        let mut am = inv.into_active_model();
        am.revoked_at = Set(Some(Utc::now()));
        let after = am.update(&tx).await?;
        let shown = |m: &invitation::Model| serde_json::json!({ "id": m.id, "venue_id": m.venue_id, "revoked_at": m.revoked_at });
        audit::record(
            &tx,
            actor,
            Action::Revoke,
            "invitation",
            &id.to_string(),
            Some(&shown(&before)),
            Some(&shown(&after)),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(info)
}

/// The lead accounts (enabled) of each of `venue_ids` that has any, by venue: their display
/// names, else logins.
///
/// # Errors
/// A database error.
pub async fn venue_leads(
    store: &Store,
    venue_ids: &[i32],
) -> Result<std::collections::HashMap<i32, Vec<String>>, StoreError> {
    let links = user_venue::Entity::find()
        .filter(user_venue::Column::VenueId.is_in(venue_ids.iter().copied()))
        .all(store.conn())
        .await?;
    let users: std::collections::HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(links.iter().map(|l| l.user_id)))
        .filter(user::Column::Role.eq(Role::Lead))
        .filter(user::Column::Disabled.eq(false))
        .all(store.conn())
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut out: std::collections::HashMap<i32, Vec<String>> = std::collections::HashMap::new();
    for l in links {
        if let Some(u) = users.get(&l.user_id) {
            let name = if u.display_name.is_empty() { u.login.clone() } else { u.display_name.clone() };
            out.entry(l.venue_id).or_default().push(name);
        }
    }
    Ok(out)
}
