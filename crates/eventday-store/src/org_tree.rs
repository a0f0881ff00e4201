//! The organization tree (province -> city -> district): who lies under whom.
//!
//! Kept apart from [`crate::accounts`] and [`crate::audit`], which both need it, so that neither
//! imports the other.

use crate::entities::organization;
use crate::error::StoreError;
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult};
use std::collections::{BTreeSet, HashMap};

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
    // The depth bound guards against a cycle written by hand into the table.
    let hit = Hit::find_by_statement(crate::rollup::statement(
        db.get_database_backend(),
        "WITH RECURSIVE up(id, parent_id, depth) AS ( \
           SELECT id, parent_id, 0 FROM organizations WHERE id = ? \
           UNION ALL \
           SELECT o.id, o.parent_id, up.depth + 1 FROM organizations o JOIN up ON o.id = up.parent_id \
           WHERE up.depth < 64) \
         SELECT COUNT(*) AS n FROM up WHERE id = ?",
        vec![org.into(), root.into()],
    ))
    .one(db)
    .await?;
    Ok(hit.is_some_and(|h| h.n > 0))
}
