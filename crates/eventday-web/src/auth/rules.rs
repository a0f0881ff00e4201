//! Route specs with their access rules, and the one layer that enforces them.

use super::caller::{self, Caller, Credential};
use crate::{AppError, AppState};
use axum::RequestExt;
use axum::extract::{RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on};
use eventday_domain::Role;
use eventday_store::accounts::{self, Principal};
use eventday_store::{StoreError, scope};

/// What a route's path names, so its rule can find the organization, campaign and venue.
/// The `&'static str` is the path parameter holding the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `/campaigns/{id}/...`
    Campaign(&'static str),
    /// `/venues/{id}/...`
    Venue(&'static str),
    /// `/users/{id}/...`
    User(&'static str),
    /// `/invitations/{id}/...`
    Invitation(&'static str),
}

/// Who may call a route. See the module documentation of [`crate::auth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, logged in or not.
    Public,
    /// Any active user.
    Authenticated,
    /// Any active organizer (the handler keeps to their organization tree).
    Organizer,
    /// Read the target: organizers and viewers of its organization tree, leads of its campaign.
    Read(Target),
    /// Plan (change) the target: organizers of its organization tree.
    Plan(Target),
    /// Log the day at the target venue: its leads and organizers of its organization tree.
    Log(Target),
}

impl Rule {
    /// A short name for tables and test output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Rule::Public => "public",
            Rule::Authenticated => "authenticated",
            Rule::Organizer => "organizer",
            Rule::Read(_) => "read",
            Rule::Plan(_) => "plan",
            Rule::Log(_) => "log",
        }
    }
}

/// One route: method, full path, rule and handler.
pub struct RouteSpec {
    /// What the route is, without its handler.
    pub info: RouteInfo,
    pub(crate) handler: MethodRouter<AppState>,
}

/// A route's method, path and rule (what [`crate::route_table`] lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: Method,
    /// Full path pattern, e.g. `/api/v1/campaigns/{id}/summary`.
    pub path: &'static str,
    /// Who may call it.
    pub rule: Rule,
}

/// Declares a route; the only way to add one to the router.
pub fn route<H, T>(method: Method, path: &'static str, rule: Rule, handler: H) -> RouteSpec
where
    H: Handler<T, AppState>,
    T: 'static,
{
    // Only standard methods are used in the table; an unknown one would route nothing.
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    RouteSpec { info: RouteInfo { method, path, rule }, handler: on(filter, handler) }
}

/// Builds a router from specs, each behind [`enforce`] with its rule.
pub(crate) fn build(specs: Vec<RouteSpec>, state: &AppState) -> axum::Router<AppState> {
    let mut router = axum::Router::new();
    for spec in specs {
        let rule = spec.info.rule;
        let layer = axum::middleware::from_fn_with_state(
            state.clone(),
            move |s: State<AppState>, req: Request, next: Next| enforce(s, rule, req, next),
        );
        router = router.route(spec.info.path, spec.handler.layer(layer));
    }
    router
}

/// Where a target belongs.
#[derive(Debug, Clone, Copy)]
struct Resolved {
    organization_id: i32,
    campaign_id: Option<i32>,
    venue_id: Option<i32>,
}

fn param(params: &RawPathParams, name: &str) -> Result<i32, AppError> {
    params
        .iter()
        .find(|(k, _)| *k == name)
        .and_then(|(_, v)| v.parse::<i32>().ok())
        .ok_or_else(|| AppError::BadRequest(format!("{name} in the path must be a whole number")))
}

async fn resolve(state: &AppState, target: Target, params: &RawPathParams) -> Result<Resolved, AppError> {
    let db = state.store.conn();
    let venue = |id: i32| async move {
        scope::venue_scope(db, id).await?.ok_or(StoreError::NotFound { entity: "venue", id: id.to_string() })
    };
    Ok(match target {
        Target::Campaign(p) => {
            let id = param(params, p)?;
            let org = scope::campaign_organization(db, id)
                .await?
                .ok_or(StoreError::NotFound { entity: "campaign", id: id.to_string() })?;
            Resolved { organization_id: org, campaign_id: Some(id), venue_id: None }
        }
        Target::Venue(p) => {
            let v = venue(param(params, p)?).await?;
            Resolved {
                organization_id: v.organization_id,
                campaign_id: Some(v.campaign_id),
                venue_id: Some(v.venue_id),
            }
        }
        Target::Invitation(p) => {
            let v = venue(accounts::invitation_venue(&state.store, param(params, p)?).await?).await?;
            Resolved {
                organization_id: v.organization_id,
                campaign_id: Some(v.campaign_id),
                venue_id: Some(v.venue_id),
            }
        }
        Target::User(p) => {
            let u = accounts::get_user(&state.store, param(params, p)?).await?;
            Resolved { organization_id: u.organization_id, campaign_id: None, venue_id: None }
        }
    })
}

/// Whether `who` may act on `target` under `rule` (`Public`, `Authenticated` and `Organizer`
/// need no target).
async fn allowed(
    state: &AppState,
    who: &Principal,
    rule: Rule,
    target: Option<Resolved>,
) -> Result<bool, AppError> {
    let in_tree = |t: Resolved| async move {
        Ok::<_, AppError>(
            accounts::organization_tree(state.store.conn(), who.organization_id)
                .await?
                .contains(&t.organization_id),
        )
    };
    let leads_campaign = |t: Resolved| async move {
        for v in &who.venue_ids {
            if let Some(s) = scope::venue_scope(state.store.conn(), *v).await?
                && Some(s.campaign_id) == t.campaign_id
            {
                return Ok::<_, AppError>(true);
            }
        }
        Ok(false)
    };
    Ok(match (rule, who.role, target) {
        (Rule::Public | Rule::Authenticated, _, _) => true,
        (Rule::Organizer, role, _) => role == Role::Organizer,
        (_, _, None) => false,
        (Rule::Read(_), Role::Organizer | Role::Viewer, Some(t)) => in_tree(t).await?,
        (Rule::Read(_), Role::Lead, Some(t)) => leads_campaign(t).await?,
        (Rule::Plan(_) | Rule::Log(_), Role::Organizer, Some(t)) => in_tree(t).await?,
        (Rule::Log(_), Role::Lead, Some(t)) => t.venue_id.is_some_and(|v| who.venue_ids.contains(&v)),
        (Rule::Plan(_) | Rule::Log(_), _, Some(_)) => false,
    })
}

/// The enforcement layer: resolves the caller, checks CSRF and the route's rule, then runs the
/// handler with the [`Caller`] in the request extensions.
///
/// # Errors
/// 401 without valid credentials, 403 for a missing CSRF token or a denied rule, 404 when the
/// target does not exist, 400 for a malformed id in the path.
pub(crate) async fn enforce(
    State(state): State<AppState>,
    rule: Rule,
    mut req: Request,
    next: Next,
) -> Result<Response, AppError> {
    if rule == Rule::Public {
        // Stale or revoked credentials do not stop anyone from reaching a public page.
        if let Ok(Some(c)) = caller::identify(&state, req.headers()).await {
            req.extensions_mut().insert(c);
        }
        return Ok(next.run(req).await);
    }
    let caller = caller::identify(&state, req.headers()).await?;
    let Some(caller) = caller else {
        return Err(AppError::Unauthorized("log in first (请先登录)".into()));
    };
    if let Credential::Session { csrf_token } = &caller.credential
        && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
    {
        req = caller::check_csrf(req, csrf_token).await?;
    }
    let target = match rule {
        Rule::Read(t) | Rule::Plan(t) | Rule::Log(t) => {
            let params = req
                .extract_parts::<RawPathParams>()
                .await
                .map_err(|_| AppError::BadRequest("unreadable path".into()))?;
            Some(resolve(&state, t, &params).await?)
        }
        Rule::Public | Rule::Authenticated | Rule::Organizer => None,
    };
    if !allowed(&state, &caller.principal, rule, target).await? {
        return Err(AppError::Forbidden("your account may not do this (无权执行此操作)".into()));
    }
    req.extensions_mut().insert::<Caller>(caller);
    Ok(next.run(req).await)
}
