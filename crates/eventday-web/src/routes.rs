//! The table of every route with its access rule: the router and the route-enumeration test are
//! both built from it (see [`crate::auth`]).

use crate::auth::{RouteInfo, RouteSpec};
use crate::{AppState, api, auth, ops, pages};

/// Every route of the application.
pub(crate) fn table() -> Vec<RouteSpec> {
    let mut t = pages::routes();
    t.extend(crate::web::routes());
    t.extend(api::routes().into_iter().map(RouteSpec::from));
    t.extend(auth::routes());
    t.extend(ops::routes());
    t
}

/// Every route's method, path and rule, in table order.
#[must_use]
pub fn route_table() -> Vec<RouteInfo> {
    table().into_iter().map(|s| s.info).collect()
}

/// The router of every route, each behind its rule.
pub(crate) fn build(state: &AppState) -> axum::Router<AppState> {
    crate::auth::rules::build(table(), state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn no_route_is_declared_twice() {
        let t = route_table();
        let distinct: BTreeSet<_> = t.iter().map(|r| (r.method.to_string(), r.path)).collect();
        assert_eq!(distinct.len(), t.len());
    }
}
