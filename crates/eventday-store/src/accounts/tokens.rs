//! API tokens: made, listed, revoked, and checked on every request that carries one.

use super::{
    API_TOKEN_PREFIX, ApiTokenInfo, Principal, USER_CORE_COLUMNS, UserCore, principal_of, random_secret,
    secret_hash,
};
use crate::Store;
use crate::audit::{self, Action};
use crate::entities::api_token;
use crate::error::StoreError;
use chrono::{DateTime, Duration, Utc};
use eventday_domain::{FieldErrors, ValidationError, validate};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Set};

/// Creates an API token for a user; returns it with its secret (shown once).
///
/// # Errors
/// [`StoreError::Invalid`] for a bad name, database errors.
pub async fn create_api_token(
    store: &Store,
    user_id: i32,
    name: &str,
) -> Result<(ApiTokenInfo, String), StoreError> {
    let mut errors = FieldErrors::new();
    validate::name(&mut errors, "name", name, validate::MAX_NAME_CHARS);
    ValidationError::check(errors)?;
    let secret = format!("{API_TOKEN_PREFIX}{}", random_secret()?);
    let now = Utc::now();
    let tx = store.write_tx().await?;
    let t = api_token::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        user_id: Set(user_id),
        name: Set(name.trim().to_owned()),
        token_hash: Set(secret_hash(&secret)),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked: Set(false),
    }
    .insert(&tx)
    .await?;
    let info = ApiTokenInfo { id: t.id, name: t.name, created_at: t.created_at, last_used_at: None };
    audit::record(&tx, Some(user_id), Action::Create, "api_token", &info.id.to_string(), None, Some(&info))
        .await?;
    tx.commit().await?;
    Ok((info, secret))
}

/// A user's tokens that are not revoked.
///
/// # Errors
/// A database error.
pub async fn list_api_tokens(store: &Store, user_id: i32) -> Result<Vec<ApiTokenInfo>, StoreError> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::Revoked.eq(false))
        .order_by_asc(api_token::Column::Id)
        .all(store.conn())
        .await?
        .into_iter()
        .map(|t| ApiTokenInfo {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        })
        .collect())
}

/// Revokes one of the user's own tokens.
///
/// # Errors
/// [`StoreError::NotFound`] when the user has no such live token, database errors.
pub async fn revoke_api_token(store: &Store, user_id: i32, token_id: i32) -> Result<(), StoreError> {
    let tx = store.write_tx().await?;
    let res = api_token::Entity::update_many()
        .col_expr(api_token::Column::Revoked, Expr::val(true))
        .filter(api_token::Column::Id.eq(token_id))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::Revoked.eq(false))
        .exec(&tx)
        .await?;
    if res.rows_affected == 0 {
        return Err(StoreError::NotFound { entity: "api token", id: token_id.to_string() });
    }
    audit::record::<()>(&tx, Some(user_id), Action::Revoke, "api_token", &token_id.to_string(), None, None)
        .await?;
    tx.commit().await?;
    store.auth_cache().clear();
    Ok(())
}

/// The active user behind an API token secret: `None` when unknown, revoked, or the user is
/// disabled. Notes the last use at most once a minute (a write per request would serialize
/// SQLite). A found principal is reused for up to two seconds (see [`crate::auth_cache`]).
///
/// # Errors
/// A database error.
pub async fn authenticate_token(store: &Store, secret: &str) -> Result<Option<Principal>, StoreError> {
    #[derive(FromQueryResult)]
    struct Row {
        token_id: i32,
        last_used_at: Option<DateTime<Utc>>,
        #[sea_orm(nested)]
        user: UserCore,
    }
    let hash = secret_hash(secret);
    if let Some(p) = store.auth_cache().token(&hash) {
        return Ok(Some(p));
    }
    let db = store.conn();
    let Some(row) = Row::find_by_statement(crate::sql::statement(
        db.get_database_backend(),
        &format!(
            "SELECT t.id AS token_id, t.last_used_at AS last_used_at, {USER_CORE_COLUMNS} \
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND NOT t.revoked"
        ),
        vec![hash.clone().into()],
    ))
    .one(db)
    .await?
    else {
        return Ok(None);
    };
    let principal = principal_of(db, row.user).await?;
    let now = Utc::now();
    if principal.is_some() && row.last_used_at.is_none_or(|at| now - at > Duration::minutes(1)) {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::val(now))
            .filter(api_token::Column::Id.eq(row.token_id))
            .exec(db)
            .await?;
    }
    if let Some(p) = &principal {
        store.auth_cache().put_token(&hash, p.clone());
    }
    Ok(principal)
}
