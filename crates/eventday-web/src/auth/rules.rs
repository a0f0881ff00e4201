//! Route specs with their access rules, and the one layer that enforces them.

use super::caller::{self, Caller, Credential};
use crate::openapi::{Access, RouteDoc};
use crate::{AppError, AppState};
use axum::RequestExt;
use axum::extract::{DefaultBodyLimit, RawPathParams, Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on};
use eventday_domain::Role;
use eventday_store::accounts::Principal;
use eventday_store::scope::{self, Entity, Location};
use tower_http::limit::RequestBodyLimitLayer;

/// Where a route's rule finds the rows it acts on: by a path parameter, or by a field of the JSON
/// body (a field that is missing or null names nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The row of this kind whose id is the named path parameter.
    Path(Entity, &'static str),
    /// The row of this kind whose id is the named top-level field of the JSON body.
    Body(Entity, &'static str),
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
    /// Read the targets: organizers and viewers of their organization tree, leads of their
    /// campaign.
    Read(&'static [Target]),
    /// Plan (change) the targets: organizers of their organization tree.
    Plan(&'static [Target]),
    /// Log the day at the targets' venue: its leads (every target must be at a venue they lead,
    /// or in their campaign with at least one at their venue) and organizers of the tree.
    Log(&'static [Target]),
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

impl Rule {
    /// What this rule adds to the OpenAPI operation of a route answering `method`: who may call
    /// it, in words, and the answers of [`enforce`], which runs before the handler.
    pub(crate) fn access(self, method: &Method) -> Access {
        let write = !matches!(*method, Method::GET | Method::HEAD);
        let mut answers = Vec::new();
        if self != Rule::Public {
            answers.push(("401", "not logged in, or the session or token is not (or no longer) valid"));
        }
        let forbidden = match (self, write) {
            (Rule::Public | Rule::Authenticated, false) | (Rule::Public, true) => None,
            (Rule::Authenticated, true) => {
                Some("a write with the session cookie but without its `X-CSRF-Token` (code `csrf`)")
            }
            (_, false) => Some("the caller's role or organization tree does not allow this"),
            (_, true) => Some(
                "the caller's role or organization tree does not allow this, or a write with the \
                 session cookie but without its `X-CSRF-Token` (code `csrf`)",
            ),
        };
        answers.extend(forbidden.map(|d| ("403", d)));
        if let Rule::Read(targets) | Rule::Plan(targets) | Rule::Log(targets) = self {
            if targets.iter().any(|t| matches!(t, Target::Path(..))) {
                answers.push(("400", "an id in the path is malformed"));
                answers.push(("404", "no row has the id in the path"));
            }
            if targets.iter().any(|t| matches!(t, Target::Body(..))) {
                answers.push(("422", "a field of the body names nothing that exists"));
            }
        }
        Access { public: self == Rule::Public, text: self.access_text(), answers }
    }

    /// Who may call a route under this rule, in words, with the rows it is judged by.
    fn access_text(self) -> String {
        let who = match self {
            Rule::Public => return "**Access:** anyone; no credentials needed.".to_owned(),
            Rule::Authenticated => "any active user (a session or an API token)",
            Rule::Organizer => "organizers (the answer keeps to their organization and its descendants)",
            Rule::Read(_) => {
                "organizers and viewers of the organization (or an ancestor) the target belongs to, and \
                 leads with a venue in the target's campaign"
            }
            Rule::Plan(_) => "organizers of the organization (or an ancestor) the target belongs to",
            Rule::Log(_) => {
                "leads of the target's venue, and organizers of the organization (or an ancestor) it \
                 belongs to"
            }
        };
        let targets = match self {
            Rule::Read(t) | Rule::Plan(t) | Rule::Log(t) => t
                .iter()
                .map(|t| match *t {
                    Target::Path(e, p) => {
                        format!("the {} `{p}` of the path", format!("{e:?}").to_lowercase())
                    }
                    Target::Body(e, f) => {
                        format!("the {} `{f}` of the body (when given)", format!("{e:?}").to_lowercase())
                    }
                })
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        if targets.is_empty() {
            format!("**Access:** {who}.")
        } else {
            format!("**Access:** {who}. Targets: {}.", targets.join(", "))
        }
    }
}

/// One route: method, full path, rule, handler and, for the JSON API, its OpenAPI part.
pub struct RouteSpec {
    /// What the route is, without its handler.
    pub info: RouteInfo,
    pub(crate) handler: MethodRouter<AppState>,
    /// The route's operation, read from its handler's `#[utoipa::path]` (API routes only).
    pub(crate) doc: Option<RouteDoc>,
}

/// A route's method, path and rule (what [`crate::route_table`] lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: Method,
    /// Full path pattern, e.g. `/api/v1/campaigns/{id}/summary`.
    pub path: String,
    /// Who may call it.
    pub rule: Rule,
}

/// Declares a route that has no OpenAPI operation (a page); API routes use [`documented!`].
pub fn route<H, T>(method: Method, path: &'static str, rule: Rule, handler: H) -> RouteSpec
where
    H: Handler<T, AppState>,
    T: 'static,
{
    // Only standard methods are used in the table; an unknown one would route nothing.
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    RouteSpec::new(
        method,
        path,
        rule,
        on(filter, handler).layer(RequestBodyLimitLayer::new(crate::BODY_LIMIT)),
    )
}

/// Declares a JSON API route whose method and path are those of its handler's
/// `#[utoipa::path]`, so that the route table, the router and the OpenAPI document cannot
/// disagree: `documented!(rule, module::handler)`, optionally with `limit = BYTES` for a body
/// bigger than [`crate::BODY_LIMIT`]. The handler may be named with up to three path segments.
macro_rules! documented {
    ($rule:expr, $h:ident $(, limit = $limit:expr)?) => {
        pastey::paste! {
            $crate::auth::RouteSpec::documented::<[<__path_ $h>], _, _>(
                $rule, $h, $crate::auth::rules::limit_or_default(&[$($limit)?]))
        }
    };
    ($rule:expr, $m:ident :: $h:ident $(, limit = $limit:expr)?) => {
        pastey::paste! {
            $crate::auth::RouteSpec::documented::<$m::[<__path_ $h>], _, _>(
                $rule, $m::$h, $crate::auth::rules::limit_or_default(&[$($limit)?]))
        }
    };
    ($rule:expr, $m1:ident :: $m2:ident :: $h:ident $(, limit = $limit:expr)?) => {
        pastey::paste! {
            $crate::auth::RouteSpec::documented::<$m1::$m2::[<__path_ $h>], _, _>(
                $rule, $m1::$m2::$h, $crate::auth::rules::limit_or_default(&[$($limit)?]))
        }
    };
}
pub(crate) use documented;

/// The body limit a [`documented!`] route was given, or [`crate::BODY_LIMIT`].
#[doc(hidden)]
#[must_use]
pub fn limit_or_default(given: &[usize]) -> usize {
    given.first().copied().unwrap_or(crate::BODY_LIMIT)
}

impl RouteSpec {
    /// A route from a ready method router (which must answer `method` only).
    #[must_use]
    pub fn new(method: Method, path: &str, rule: Rule, handler: MethodRouter<AppState>) -> Self {
        RouteSpec { info: RouteInfo { method, path: path.to_owned(), rule }, handler, doc: None }
    }

    /// The route of the handler whose `#[utoipa::path]` made `P` (see [`documented!`]); bodies
    /// up to `body_limit` bytes.
    #[must_use]
    pub fn documented<P, H, T>(rule: Rule, handler: H, body_limit: usize) -> Self
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + for<'t> utoipa::__dev::Tags<'t>,
        H: Handler<T, AppState>,
        T: 'static,
    {
        let doc = RouteDoc::of::<P>();
        let method = doc.method();
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let mut router = on(filter, handler);
        if body_limit != crate::BODY_LIMIT {
            router = router.layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(body_limit));
        }
        let router = router.layer(RequestBodyLimitLayer::new(body_limit));
        RouteSpec {
            info: RouteInfo { method, path: doc.path.clone(), rule },
            handler: router,
            doc: Some(doc),
        }
    }
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
        router = router.route(&spec.info.path, spec.handler.layer(layer));
    }
    router
}

fn param<'a>(params: &'a RawPathParams, name: &str) -> Result<&'a str, AppError> {
    params
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .ok_or_else(|| AppError::BadRequest(format!("the path has no {name}")))
}

fn not_found(entity: Entity, id: &str) -> AppError {
    let name = format!("{entity:?}").to_lowercase();
    AppError::NotFound(format!("{name} {} not found", id.chars().take(40).collect::<String>()))
}

/// Finds where each target belongs. Rows named in the path must exist (404) and have
/// well-formed ids (400); rows named in the body must exist (422 naming the field).
async fn resolve(
    state: &AppState,
    targets: &[Target],
    params: &RawPathParams,
    body: Option<&serde_json::Value>,
) -> Result<Vec<Location>, AppError> {
    let db = state.store.conn();
    let mut found = Vec::with_capacity(targets.len());
    for t in targets {
        match *t {
            Target::Path(entity, p) => {
                let id = param(params, p)?;
                if entity != Entity::LogEntry && id.parse::<i64>().is_err() {
                    return Err(AppError::BadRequest(format!("{p} in the path must be a whole number")));
                }
                let loc = scope::locate_cached(&state.store, entity, id).await?;
                found.push(loc.ok_or_else(|| not_found(entity, id))?);
            }
            Target::Body(entity, field) => {
                let Some(v) = body.and_then(|b| b.get(field)).filter(|v| !v.is_null()) else { continue };
                let id = v.as_i64().map(|n| n.to_string()).or_else(|| v.as_str().map(str::to_owned));
                let loc = match id {
                    Some(id) => scope::locate(db, entity, &id).await?,
                    None => None,
                };
                let loc = loc.ok_or_else(|| {
                    let mut f = eventday_domain::FieldErrors::new();
                    f.insert(field.to_owned(), "names nothing that exists".into());
                    AppError::Invalid(f)
                })?;
                found.push(loc);
            }
        }
    }
    // Rows of one request must belong to one campaign (e.g. a dispute's venue to the campaign
    // in the path).
    let campaigns: std::collections::BTreeSet<i32> = found.iter().filter_map(|l| l.campaign_id).collect();
    if campaigns.len() > 1 {
        return Err(AppError::BadRequest(
            "the rows named in this request belong to different campaigns".into(),
        ));
    }
    Ok(found)
}

/// Whether `who` may act on `locations` under `rule` (`Public`, `Authenticated` and
/// `Organizer` need none).
async fn allowed(
    state: &AppState,
    who: &Principal,
    rule: Rule,
    locations: &[Location],
) -> Result<bool, AppError> {
    let db = state.store.conn();
    if matches!(rule, Rule::Public | Rule::Authenticated) {
        return Ok(true);
    }
    if rule == Rule::Organizer {
        return Ok(who.role == Role::Organizer);
    }
    if locations.is_empty() {
        return Ok(false);
    }
    // Organizers and viewers act within their organization tree; usually every location is in
    // their own organization, which needs no query. Leads are judged by their venues instead.
    let mut in_tree = who.role != Role::Lead;
    let orgs: std::collections::BTreeSet<i32> = locations.iter().map(|l| l.organization_id).collect();
    if in_tree {
        for org in orgs {
            if !eventday_store::org_tree::organization_within(db, who.organization_id, org).await? {
                in_tree = false;
                break;
            }
        }
    }
    // The campaigns of a lead's venues, needed only for locations outside those venues.
    let needs_lead_campaigns = who.role == Role::Lead
        && locations.iter().any(|l| l.venue_id.is_none_or(|v| !who.venue_ids.contains(&v)));
    let mut lead_campaigns = std::collections::BTreeSet::new();
    if needs_lead_campaigns {
        for v in &who.venue_ids {
            if let Some(s) = scope::venue_scope(db, *v).await? {
                lead_campaigns.insert(s.campaign_id);
            }
        }
    }
    let own_venue = |l: &Location| l.venue_id.is_some_and(|v| who.venue_ids.contains(&v));
    let in_lead_campaign =
        |l: &Location| own_venue(l) || l.campaign_id.is_some_and(|c| lead_campaigns.contains(&c));
    Ok(match (rule, who.role) {
        (Rule::Read(_), Role::Organizer | Role::Viewer) => in_tree,
        (Rule::Read(_), Role::Lead) => locations.iter().all(in_lead_campaign),
        (Rule::Plan(_) | Rule::Log(_), Role::Organizer) => in_tree,
        (Rule::Log(_), Role::Lead) => {
            locations.iter().any(|l| l.venue_id.is_some())
                && locations.iter().all(|l| match l.venue_id {
                    Some(v) => who.venue_ids.contains(&v),
                    None => in_lead_campaign(l),
                })
        }
        _ => false,
    })
}

/// Reads a JSON body for the rule's `Body` targets and puts it back for the handler; `None`
/// when it is not JSON (the handler then refuses it itself).
async fn peek_json(req: Request) -> Result<(Request, Option<serde_json::Value>), AppError> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, crate::BODY_LIMIT)
        .await
        .map_err(|_| AppError::TooLarge(crate::error::too_large_message()))?;
    let value = serde_json::from_slice(&bytes).ok();
    Ok((Request::from_parts(parts, axum::body::Body::from(bytes)), value))
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
    let locations = match rule {
        Rule::Read(targets) | Rule::Plan(targets) | Rule::Log(targets) => {
            let params = req
                .extract_parts::<RawPathParams>()
                .await
                .map_err(|_| AppError::BadRequest("unreadable path".into()))?;
            let body = if targets.iter().any(|t| matches!(t, Target::Body(..))) {
                let (r, body) = peek_json(req).await?;
                req = r;
                body
            } else {
                None
            };
            resolve(&state, targets, &params, body.as_ref()).await?
        }
        Rule::Public | Rule::Authenticated | Rule::Organizer => Vec::new(),
    };
    if !allowed(&state, &caller.principal, rule, &locations).await? {
        return Err(AppError::Forbidden("your account may not do this (无权执行此操作)".into()));
    }
    // The API's `Actor` extractor reads this for the audit trail.
    req.extensions_mut().insert(crate::extract::ActorId(caller.principal.user_id));
    req.extensions_mut().insert::<Caller>(caller);
    Ok(next.run(req).await)
}
