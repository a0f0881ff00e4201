//! The organization tree (province -> city -> district): who lies under whom, and the rules for
//! moving an organization to another parent.
//!
//! Every recursive walk of `organizations.parent_id` is bounded by [`MAX_DEPTH`], so even a cycle
//! written by hand into the table cannot make a query run forever.

use crate::entities::{organization, user};
use crate::error::StoreError;
use eventday_domain::ValidationError;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, Statement};
use std::collections::{BTreeSet, HashMap};

/// The deepest chain of parents any walk of the tree follows. Real trees are three or four
/// levels (province, city, district); moves that would close a cycle are refused, and this
/// bound keeps a cycle written by hand into the table from running a query forever.
pub const MAX_DEPTH: u32 = 32;

/// The subtree of organization `?` (the root included, each id once, at most [`MAX_DEPTH`]
/// levels deep) as a CTE named `tree(id)`: `{SUBTREE_CTE} SELECT ... FROM tree t ...`.
pub const SUBTREE_CTE: &str = "WITH RECURSIVE walk(id, depth) AS ( \
     SELECT id, 0 FROM organizations WHERE id = ? \
     UNION ALL SELECT o.id, w.depth + 1 FROM organizations o JOIN walk w ON o.parent_id = w.id \
     WHERE w.depth < 32), \
   tree(id) AS (SELECT DISTINCT id FROM walk)";

/// Every organization id in the tree under `root`, `root` included.
///
/// # Errors
/// A database error.
pub async fn organization_tree(db: &impl ConnectionTrait, root: i32) -> Result<BTreeSet<i32>, StoreError> {
    let orgs = organization::Entity::find().all(db).await?;
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for o in &orgs {
        if let Some(p) = o.parent_id {
            children.entry(p).or_default().push(o.id);
        }
    }
    let mut tree = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if tree.insert(id) {
            stack.extend(children.get(&id).into_iter().flatten().copied());
        }
    }
    Ok(tree)
}

/// Whether `org` is `root` or one of its descendants. Walks up from `org` (a tree is shallow:
/// province, city, district) instead of loading the whole tree, which holds thousands of
/// organizations for a province.
///
/// # Errors
/// A database error.
pub async fn organization_within(db: &impl ConnectionTrait, root: i32, org: i32) -> Result<bool, StoreError> {
    if root == org {
        return Ok(true);
    }
    #[derive(FromQueryResult)]
    struct Hit {
        n: i64,
    }
    // The depth bound (MAX_DEPTH) guards against a cycle written by hand into the table.
    // Numbered parameters (`$1` on PostgreSQL, `?1` on SQLite) so this module needs no helper
    // from the modules that use it.
    let backend = db.get_database_backend();
    let sql = "WITH RECURSIVE up(id, parent_id, depth) AS ( \
           SELECT id, parent_id, 0 FROM organizations WHERE id = $1 \
           UNION ALL \
           SELECT o.id, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id \
           WHERE up.depth < 32) \
         SELECT COUNT(*) AS n FROM up WHERE id = $2";
    let sql = if backend == DbBackend::Postgres { sql.to_owned() } else { sql.replace('$', "?") };
    let hit = Hit::find_by_statement(Statement::from_sql_and_values(backend, sql, [org.into(), root.into()]))
        .one(db)
        .await?;
    Ok(hit.is_some_and(|h| h.n > 0))
}

/// Checks that `actor` may give organization `org` (`None` when creating one) the parent
/// `new_parent`, and that the tree stays a tree. The rules:
/// - an organization is moved only by an organizer of its current parent or of an ancestor of
///   it (so nobody detaches their own organization); a top-level organization only by an
///   organizer of a top-level organization;
/// - only an organizer of a top-level organization may make an organization top-level;
/// - the new parent must lie in the actor's own tree;
/// - an organization cannot become its own ancestor (no cycles).
///
/// `actor` is `None` for the command line, which is trusted with the first two rules but not
/// with the last. Call inside the write transaction.
///
/// # Errors
/// [`StoreError::Forbidden`] for a move the actor may not make, [`StoreError::Invalid`] naming
/// `parent_id` for a cycle or an unknown parent, database errors.
pub async fn check_parent(
    db: &impl ConnectionTrait,
    actor: Option<i32>,
    org: Option<&organization::Model>,
    new_parent: Option<i32>,
) -> Result<(), StoreError> {
    let unchanged = org.is_some_and(|o| o.parent_id == new_parent);
    if let Some(p) = new_parent {
        if organization::Entity::find_by_id(p).one(db).await?.is_none() {
            return Err(ValidationError::field("parent_id", format!("no organization {p}")).into());
        }
        if let Some(o) = org
            && !unchanged
            && (o.id == p || organization_within(db, o.id, p).await?)
        {
            return Err(ValidationError::field(
                "parent_id",
                "would make the organization its own ancestor (a cycle)",
            )
            .into());
        }
    }
    let Some(actor) = actor else { return Ok(()) };
    if unchanged {
        return Ok(());
    }
    let Some(who) = user::Entity::find_by_id(actor).one(db).await? else {
        return Err(StoreError::Forbidden("unknown acting user".into()));
    };
    let own = who.organization_id;
    let own_is_root =
        organization::Entity::find_by_id(own).one(db).await?.is_some_and(|o| o.parent_id.is_none());
    let may_detach = match org.map(|o| o.parent_id) {
        // A move: only from above the organization's current place.
        Some(Some(current)) => organization_within(db, own, current).await?,
        Some(None) => own_is_root,
        None => true,
    };
    if !may_detach {
        return Err(StoreError::Forbidden(
            "only an organizer of the current parent organization (or above) may move it".into(),
        ));
    }
    let may_attach = match new_parent {
        Some(p) => organization_within(db, own, p).await?,
        None => own_is_root,
    };
    if !may_attach {
        return Err(StoreError::Forbidden(match new_parent {
            Some(_) => "the new parent organization is outside your organization tree".into(),
            None => "only an organizer of a top-level organization may make one top-level".into(),
        }));
    }
    Ok(())
}

/// Serializes changes of parents on PostgreSQL (a transaction-scoped advisory lock), so two
/// concurrent moves cannot each pass the cycle check and together close a cycle. SQLite runs
/// one write transaction at a time already.
///
/// # Errors
/// A database error.
pub async fn lock_tree(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("SELECT pg_advisory_xact_lock(7140031)").await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recursive_walks_stop_at_max_depth() {
        // The SQL is a literal (no format! at run time); this keeps it in step with the constant.
        assert!(SUBTREE_CTE.contains(&format!("w.depth < {MAX_DEPTH}")), "{SUBTREE_CTE}");
        let within = include_str!("org_tree.rs");
        assert!(within.contains(&format!("up.depth < {MAX_DEPTH}")));
    }
}
