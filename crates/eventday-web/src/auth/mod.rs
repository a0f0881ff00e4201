//! Who may call what: sessions, API tokens, CSRF, and one access rule per route.
//!
//! # The rule mechanism
//!
//! Every route of the application is one [`RouteSpec`] in a table, made with [`route`]:
//!
//! ```text
//! documented!(Rule::Log(&[Target::Path(Entity::Venue, "id")]), submit_day)
//! ```
//!
//! API routes are declared with [`documented!`], which takes the method and path from the
//! handler's `#[utoipa::path]` (the only place they are written) and keeps its OpenAPI
//! operation for the document; pages, which have no operation, with [`route`].
//!
//! [`RouteSpec`] cannot be made without a [`Rule`], and [`crate::router`] builds the whole router
//! from [`crate::routes::table`] only, so a route without a rule does not compile. One layer,
//! [`rules::enforce`], runs before each handler (before its extractors, so an anonymous caller
//! gets 401 and not 422): it resolves the caller from an `Authorization: Bearer` token or the
//! session cookie (checking on every request that the user is not disabled), checks the CSRF
//! token of cookie-authenticated writes, resolves the rule's [`Target`] from the path, and
//! answers 401/403/404 itself. Handlers then take the caller with the [`Caller`] extractor.
//!
//! The end-to-end test `every_route_answers_every_role_as_its_rule_says` iterates
//! [`crate::route_table`] (the same table) and fails for any route it has no sample request and
//! expectation for, so a new route must also be added there.
//!
//! Rules (organizers' scope is their organization and its descendants):
//! - [`Rule::Public`] — anyone.
//! - [`Rule::Authenticated`] — any active user, for their own account (me, tokens, logout) or
//!   lists the handler filters to what the user may read.
//! - [`Rule::Organizer`] — any active organizer; the handler keeps to their organization tree.
//! - [`Rule::Read`] — organizers and viewers of the target's organization tree, leads with a venue
//!   in the target's campaign.
//! - [`Rule::Plan`] — organizers of the target's organization tree.
//! - [`Rule::Log`] — the target venue's leads, and organizers of its tree. Used for what leads
//!   write on the day: log entries, activities' figures, disputes and photos, day submission.
//!
//! A rule's targets name the rows it acts on: `Target::Path(Entity::Venue, "id")` for the path
//! parameter `id`, `Target::Body(Entity::Venue, "venue_id")` for a JSON body field (the layer
//! reads the body and hands it on). Each is located (organization, campaign, venue) by
//! `eventday_store::scope::locate`; all targets of one request must be in one campaign.
//!
//! To put a new route under the mechanism: add a `documented!(...)` (or, for a page,
//! `route(...)`) line to the module's `routes()`
//! with the narrowest rule; if its target is a new kind of row (`/things/{id}`), add an
//! [`Entity`] variant and its arm in `scope::locate`; add a sample request and expected
//! statuses per role to the enumeration test.

mod caller;
mod handlers;
mod invite;
pub(crate) mod rules;

pub use caller::{Caller, Credential};
pub(crate) use caller::{identify, session_set_cookie};
pub use eventday_store::scope::Entity;
pub(crate) use handlers::client_address;
pub(crate) use rules::documented;
pub use rules::{RouteInfo, RouteSpec, Rule, Target, route};

/// The account routes: login, logout, tokens, users, invitations and closing the day.
pub(crate) fn routes() -> Vec<RouteSpec> {
    let mut r = handlers::routes();
    r.extend(invite::routes());
    r
}

/// Cookie holding the session secret.
pub const SESSION_COOKIE: &str = "eventday_session";
