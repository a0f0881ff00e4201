//! Users: creating, listing, disabling, new passwords; the first organization of a fresh
//! installation; the demo accounts.

use super::{NewUser, UserInfo, hash_password, random_password, user_info};
use crate::Store;
use crate::audit::{self, Action};
use crate::entities::{organization, session, user, user_venue, venue};
use crate::error::StoreError;
use chrono::Utc;
use eventday_domain::account::{check_login, check_password, normalize_login};
use eventday_domain::{FieldErrors, Role, ValidationError, validate};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};
use std::collections::BTreeSet;

/// Creates a user (validating login, password, role and scope) and audits it.
///
/// # Errors
/// [`StoreError::Invalid`] naming bad fields, [`StoreError::Constraint`] (unique) for a login in
/// use, database errors otherwise.
pub async fn create_user(store: &Store, new: NewUser, actor: Option<i32>) -> Result<UserInfo, StoreError> {
    let login = normalize_login(&new.login);
    let mut errors = FieldErrors::new();
    check_login(&mut errors, "login", &login);
    check_password(&mut errors, "password", &new.password);
    let display_name = if new.display_name.trim().is_empty() { login.clone() } else { new.display_name };
    validate::name(&mut errors, "display_name", &display_name, validate::MAX_NAME_CHARS);
    let venues = venue::Entity::find()
        .filter(venue::Column::Id.is_in(new.venue_ids.clone()))
        .all(store.conn())
        .await?;
    match new.role {
        Role::Lead if new.venue_ids.is_empty() => {
            errors.insert("venue_ids".into(), "a lead needs at least one venue".into());
        }
        Role::Lead if venues.len() != new.venue_ids.iter().collect::<BTreeSet<_>>().len() => {
            errors.insert("venue_ids".into(), "names a venue that does not exist".into());
        }
        Role::Organizer | Role::Viewer if !new.venue_ids.is_empty() => {
            errors.insert("venue_ids".into(), "only leads are scoped to venues".into());
        }
        _ => {}
    }
    let organization_id = match (new.organization_id, venues.first()) {
        (Some(o), _) => Some(o),
        (None, Some(v)) => crate::entities::campaign::Entity::find_by_id(v.campaign_id)
            .one(store.conn())
            .await?
            .map(|c| c.organization_id),
        (None, None) => None,
    };
    if organization_id.is_none() {
        errors.insert("organization_id".into(), "is required".into());
    }
    ValidationError::check(errors)?;
    let organization_id = organization_id.unwrap_or_default();
    if organization::Entity::find_by_id(organization_id).one(store.conn()).await?.is_none() {
        return Err(ValidationError::field("organization_id", "no such organization").into());
    }
    let password_hash = hash_password(new.password).await?;
    let now = Utc::now();
    let tx = store.write_tx().await?;
    let u = user::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        login: Set(login),
        password_hash: Set(password_hash),
        display_name: Set(display_name),
        role: Set(new.role),
        organization_id: Set(organization_id),
        disabled: Set(false),
        created_at: Set(now),
    }
    .insert(&tx)
    .await?;
    for v in new.venue_ids.iter().collect::<BTreeSet<_>>() {
        user_venue::ActiveModel { user_id: Set(u.id), venue_id: Set(*v) }.insert(&tx).await?;
    }
    let info = user_info(&tx, u).await?;
    audit::record(&tx, actor, Action::Create, "user", &info.id.to_string(), None, Some(&info)).await?;
    tx.commit().await?;
    Ok(info)
}

/// The top-level organization with this name, created (and audited) when there is none yet:
/// how a fresh installation gets its first organization.
///
/// # Errors
/// [`StoreError::Invalid`] for a bad name, database errors.
pub async fn ensure_root_organization(
    store: &Store,
    name: &str,
    actor: Option<i32>,
) -> Result<i32, StoreError> {
    let mut errors = FieldErrors::new();
    validate::name(&mut errors, "org_name", name, validate::MAX_NAME_CHARS);
    ValidationError::check(errors)?;
    let name = name.trim();
    let tx = store.write_tx().await?;
    let found = organization::Entity::find()
        .filter(organization::Column::Name.eq(name))
        .filter(organization::Column::ParentId.is_null())
        .one(&tx)
        .await?;
    if let Some(o) = found {
        return Ok(o.id);
    }
    let o = organization::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        name: Set(name.to_owned()),
        name_en: Set(None),
        parent_id: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&tx)
    .await?;
    audit::record(&tx, actor, Action::Create, "organization", o.id, None, Some(&o)).await?;
    tx.commit().await?;
    Ok(o.id)
}

/// Lists users, optionally only those of the given organizations, by login.
///
/// # Errors
/// A database error.
pub async fn list_users(
    store: &Store,
    organizations: Option<&BTreeSet<i32>>,
) -> Result<Vec<UserInfo>, StoreError> {
    let mut q = user::Entity::find().order_by_asc(user::Column::Login);
    if let Some(orgs) = organizations {
        q = q.filter(user::Column::OrganizationId.is_in(orgs.iter().copied()));
    }
    let mut out = Vec::new();
    for u in q.all(store.conn()).await? {
        out.push(user_info(store.conn(), u).await?);
    }
    Ok(out)
}

/// Finds a user by id.
///
/// # Errors
/// [`StoreError::NotFound`], or a database error.
pub async fn get_user(store: &Store, id: i32) -> Result<UserInfo, StoreError> {
    let u = user::Entity::find_by_id(id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "user", id: id.to_string() })?;
    user_info(store.conn(), u).await
}

/// Finds a user id by login name (normalized).
///
/// # Errors
/// [`StoreError::NotFound`], or a database error.
pub async fn user_id_by_login(store: &Store, login: &str) -> Result<i32, StoreError> {
    let login = normalize_login(login);
    user::Entity::find()
        .filter(user::Column::Login.eq(login.as_str()))
        .one(store.conn())
        .await?
        .map(|u| u.id)
        .ok_or(StoreError::NotFound { entity: "user", id: login })
}

/// Disables (or re-enables) a user. Disabling also ends their sessions; their API tokens are
/// refused from the next request on because every request checks the flag.
///
/// # Errors
/// [`StoreError::NotFound`], or a database error.
pub async fn set_user_disabled(
    store: &Store,
    user_id: i32,
    disabled: bool,
    actor: Option<i32>,
) -> Result<UserInfo, StoreError> {
    let tx = store.write_tx().await?;
    let u = user::Entity::find_by_id(user_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "user", id: user_id.to_string() })?;
    let before = u.disabled;
    let mut am = u.into_active_model();
    am.disabled = Set(disabled);
    let u = am.update(&tx).await?;
    if disabled {
        session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&tx).await?;
    }
    let action = if disabled { Action::Disable } else { Action::Enable };
    let (b, a) = (serde_json::json!({ "disabled": before }), serde_json::json!({ "disabled": disabled }));
    audit::record(&tx, actor, action, "user", &user_id.to_string(), Some(&b), Some(&a)).await?;
    let info = user_info(&tx, u).await?;
    tx.commit().await?;
    store.auth_cache().clear();
    Ok(info)
}

/// Sets a new password and ends the user's sessions.
///
/// # Errors
/// [`StoreError::Invalid`] for a too-short password, [`StoreError::NotFound`], database errors.
pub async fn set_password(
    store: &Store,
    user_id: i32,
    password: String,
    actor: Option<i32>,
) -> Result<(), StoreError> {
    let mut errors = FieldErrors::new();
    check_password(&mut errors, "password", &password);
    ValidationError::check(errors)?;
    let hash = hash_password(password).await?;
    let tx = store.write_tx().await?;
    let u = user::Entity::find_by_id(user_id)
        .one(&tx)
        .await?
        .ok_or(StoreError::NotFound { entity: "user", id: user_id.to_string() })?;
    let mut am = u.into_active_model();
    am.password_hash = Set(hash);
    am.update(&tx).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&tx).await?;
    audit::record::<()>(&tx, actor, Action::ResetPassword, "user", &user_id.to_string(), None, None).await?;
    tx.commit().await?;
    store.auth_cache().clear();
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Demo accounts

/// Credentials of a demo account created just now.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    /// Login.
    pub login: String,
    /// The generated password (to print once).
    pub password: String,
    /// Role.
    pub role: Role,
    /// Venue name for a lead.
    pub venue: Option<String>,
}

/// Makes sure the demo campaign has an organizer (`demo-organizer`) and one lead per venue
/// (`demo-lead-01`...), with random passwords; returns only the accounts created now.
///
/// # Errors
/// Database errors.
pub async fn ensure_demo_accounts(store: &Store, campaign_id: i32) -> Result<Vec<DemoAccount>, StoreError> {
    let c = crate::entities::campaign::Entity::find_by_id(campaign_id)
        .one(store.conn())
        .await?
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })?;
    let venues = crate::views::campaign_venues(store.conn(), campaign_id).await?;
    let mut wanted = vec![("demo-organizer".to_owned(), Role::Organizer, None)];
    for (i, v) in venues.iter().enumerate() {
        wanted.push((format!("demo-lead-{:02}", i + 1), Role::Lead, Some(v)));
    }
    let mut created = Vec::new();
    for (login, role, v) in wanted {
        if user_id_by_login(store, &login).await.is_ok() {
            continue;
        }
        let password = random_password()?;
        let new = NewUser {
            login: login.clone(),
            display_name: v.map_or_else(|| "示例组织者".to_owned(), |v| format!("{} 负责人", v.name)),
            role,
            organization_id: Some(c.organization_id),
            venue_ids: v.map(|v| v.id).into_iter().collect(),
            password: password.clone(),
        };
        create_user(store, new, None).await?;
        created.push(DemoAccount { login, password, role, venue: v.map(|v| v.name.clone()) });
    }
    Ok(created)
}
