//! Create, read, update and delete for everything organizers plan: the one write path of each
//! entity. Every write validates its input, checks the rules that need the database (one main
//! venue per campaign, booths inside the venue and not overlapping, references within the same
//! campaign), and records an audit event in the same transaction.
//!
//! Each resource module has the transaction-level writes `insert`, `change` and `remove`, which
//! the API, CSV import, the demo loader and campaign cloning all call, and `create`, `update` and
//! `delete`, which run one of them in a transaction of their own.

use crate::Store;
use crate::audit::{self, Action};
use crate::entities::*;
use crate::error::{ConstraintKind, StoreError};
use crate::scope::ensure_venue_writable;
use chrono::Utc;
use eventday_domain::inputs::*;
use eventday_domain::{
    CampaignStatus, DayStatus, DisputeStatus, FieldErrors, Rect, ValidationError, VenueKind,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use std::future::Future;

/// What a `save` did.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved<M> {
    /// A row was created.
    Created(M),
    /// An existing row was changed.
    Updated(M),
}

/// What a plannable resource adds to the shared create/update/delete code.
pub trait Resource {
    /// What clients send.
    type Input: Sync;
    /// The stored row.
    type Model: Serialize + Send + Sync;
    /// The row being written.
    type Active;
    /// The row to write; `existing` on update so that fields not in the input are kept.
    fn active(parent: i32, input: &Self::Input, existing: Option<&Self::Model>) -> Self::Active;
    /// The parent id of a stored row.
    fn parent_of(m: &Self::Model) -> i32;
    /// Rules that need the database; `existing` on update.
    fn check(
        _tx: &DatabaseTransaction,
        _parent: i32,
        _input: &Self::Input,
        _existing: Option<&Self::Model>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
    /// Rules that depend on who writes (`actor`; `None` for the command line); `existing` on
    /// update.
    fn check_actor(
        _tx: &DatabaseTransaction,
        _actor: Option<i32>,
        _input: &Self::Input,
        _existing: Option<&Self::Model>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
    /// Writes dependent rows (link tables) after the row itself.
    fn after(
        _tx: &DatabaseTransaction,
        _m: &Self::Model,
        _input: &Self::Input,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
    /// Refuses a delete that would lose data others depend on.
    fn before_delete(
        _tx: &DatabaseTransaction,
        _m: &Self::Model,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }
}

pub(crate) fn still_referenced(name: &str, id: i32, e: StoreError) -> StoreError {
    match e {
        StoreError::Constraint { kind: ConstraintKind::ForeignKey, detail } => StoreError::Conflict(format!(
            "{name} {id} is still referenced by other records and cannot be deleted ({detail})"
        )),
        other => other,
    }
}

/// An optional English name as stored: trimmed, and none when blank.
pub(crate) fn english_name(name: Option<&String>) -> Option<String> {
    name.map(|n| n.trim()).filter(|n| !n.is_empty()).map(str::to_owned)
}

pub(crate) fn invalid(field: &str, why: impl Into<String>) -> StoreError {
    StoreError::Invalid(ValidationError::field(field, why))
}

macro_rules! crud {
    ($(#[$doc:meta])* $m:ident, $res:ident, $e:ident, $name:literal
        $(, parent $pent:ident . $pcol:ident)? ; order $($ocol:ident)+) => {
        $(#[$doc])*
        pub mod $m {
            use super::*;

            /// Lists the rows (of one parent where the resource has one).
            ///
            /// # Errors
            /// [`StoreError::NotFound`] for an unknown parent, database errors.
            #[allow(unused_variables)]
            pub async fn list(store: &Store, parent: i32) -> Result<Vec<$e::Model>, StoreError> {
                let q = $e::Entity::find();
                $(
                    $pent::Entity::find_by_id(parent).one(store.conn()).await?.ok_or(
                        StoreError::NotFound { entity: stringify!($pent), id: parent.to_string() },
                    )?;
                    let q = q.filter($e::Column::$pcol.eq(parent));
                )?
                Ok(q $(.order_by_asc($e::Column::$ocol))+ .all(store.conn()).await?)
            }

            /// One row.
            ///
            /// # Errors
            /// [`StoreError::NotFound`], database errors.
            pub async fn get(store: &Store, id: i32) -> Result<$e::Model, StoreError> {
                find(store.conn(), id).await
            }

            async fn find(db: &impl ConnectionTrait, id: i32) -> Result<$e::Model, StoreError> {
                $e::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .ok_or(StoreError::NotFound { entity: $name, id: id.to_string() })
            }

            /// Validates and creates a row under `parent` inside `tx`, with its audit event. The
            /// one way a row is created, whatever the door (API, CSV, demo, clone).
            ///
            /// # Errors
            /// [`StoreError::NotFound`] for an unknown parent, [`StoreError::Invalid`] naming every
            /// bad field, [`StoreError::Constraint`] (e.g. a duplicate name), database errors.
            #[allow(unused_variables)]
            pub async fn insert(
                tx: &DatabaseTransaction,
                actor: Option<i32>,
                parent: i32,
                input: &<$res as Resource>::Input,
            ) -> Result<$e::Model, StoreError> {
                input.validate()?;
                $(
                    $pent::Entity::find_by_id(parent).one(tx).await?.ok_or(
                        StoreError::NotFound { entity: stringify!($pent), id: parent.to_string() },
                    )?;
                )?
                <$res as Resource>::check_actor(tx, actor, input, None).await?;
                <$res as Resource>::check(tx, parent, input, None).await?;
                let row = <$res as Resource>::active(parent, input, None).insert(tx).await?;
                <$res as Resource>::after(tx, &row, input).await?;
                audit::record(tx, actor, Action::Create, $name, row.id, None, Some(&row)).await?;
                Ok(row)
            }

            /// Validates and replaces a row inside `tx`, with its audit event (before and after).
            ///
            /// # Errors
            /// As [`insert`].
            pub async fn change(
                tx: &DatabaseTransaction,
                actor: Option<i32>,
                id: i32,
                input: &<$res as Resource>::Input,
            ) -> Result<$e::Model, StoreError> {
                input.validate()?;
                let before = find(tx, id).await?;
                let parent = <$res as Resource>::parent_of(&before);
                <$res as Resource>::check_actor(tx, actor, input, Some(&before)).await?;
                <$res as Resource>::check(tx, parent, input, Some(&before)).await?;
                let mut am = <$res as Resource>::active(parent, input, Some(&before));
                am.id = Set(id);
                let row = am.update(tx).await?;
                <$res as Resource>::after(tx, &row, input).await?;
                audit::record(tx, actor, Action::Update, $name, id, Some(&before), Some(&row)).await?;
                Ok(row)
            }

            /// Deletes a row inside `tx`, with its audit event; refused while something still
            /// refers to it.
            ///
            /// # Errors
            /// [`StoreError::NotFound`], [`StoreError::Conflict`] while referenced, database errors.
            pub async fn remove(tx: &DatabaseTransaction, actor: Option<i32>, id: i32) -> Result<(), StoreError> {
                let before = find(tx, id).await?;
                <$res as Resource>::before_delete(tx, &before).await?;
                $e::Entity::delete_by_id(id)
                    .exec(tx)
                    .await
                    .map_err(|e| still_referenced($name, id, e.into()))?;
                audit::record(tx, actor, Action::Delete, $name, id, Some(&before), None).await?;
                Ok(())
            }

            /// [`change`]s the row `id`, or [`insert`]s one under `parent` when `id` is `None`.
            ///
            /// # Errors
            /// As [`insert`].
            pub async fn save(
                tx: &DatabaseTransaction,
                actor: Option<i32>,
                parent: i32,
                id: Option<i32>,
                input: &<$res as Resource>::Input,
            ) -> Result<Saved<$e::Model>, StoreError> {
                match id {
                    Some(id) => change(tx, actor, id, input).await.map(Saved::Updated),
                    None => insert(tx, actor, parent, input).await.map(Saved::Created),
                }
            }

            /// [`insert`] in a transaction of its own.
            ///
            /// # Errors
            /// As [`insert`].
            pub async fn create(
                store: &Store,
                actor: Option<i32>,
                parent: i32,
                input: &<$res as Resource>::Input,
            ) -> Result<$e::Model, StoreError> {
                let tx = store.write_tx().await?;
                let row = insert(&tx, actor, parent, input).await?;
                tx.commit().await?;
                Ok(row)
            }

            /// [`change`] in a transaction of its own.
            ///
            /// # Errors
            /// As [`insert`].
            pub async fn update(
                store: &Store,
                actor: Option<i32>,
                id: i32,
                input: &<$res as Resource>::Input,
            ) -> Result<$e::Model, StoreError> {
                let tx = store.write_tx().await?;
                let row = change(&tx, actor, id, input).await?;
                tx.commit().await?;
                store.scope_cache().clear();
                Ok(row)
            }

            /// [`remove`] in a transaction of its own.
            ///
            /// # Errors
            /// As [`remove`].
            pub async fn delete(store: &Store, actor: Option<i32>, id: i32) -> Result<(), StoreError> {
                let tx = store.write_tx().await?;
                remove(&tx, actor, id).await?;
                tx.commit().await.map_err(|e| still_referenced($name, id, e.into()))?;
                store.scope_cache().clear();
                Ok(())
            }
        }
    };
}

pub(crate) async fn unit_exists(tx: &DatabaseTransaction, id: i32) -> Result<bool, StoreError> {
    Ok(unit::Entity::find_by_id(id).one(tx).await?.is_some())
}

pub(crate) async fn venues_of_campaign(
    tx: &DatabaseTransaction,
    campaign_id: i32,
    ids: &[i32],
    field: &str,
    e: &mut FieldErrors,
) -> Result<(), StoreError> {
    for v in ids {
        let found = venue::Entity::find_by_id(*v).one(tx).await?;
        if found.is_none_or(|f| f.campaign_id != campaign_id) {
            e.insert(format!("{field}.{v}"), format!("campaign {campaign_id} has no venue {v}"));
        }
    }
    Ok(())
}

// After `crud!`, which they use.

mod checklist;
mod org;
mod places;
mod records;

pub use checklist::*;
pub use org::*;
pub use places::*;
pub use records::*;
