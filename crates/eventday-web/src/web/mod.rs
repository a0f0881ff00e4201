//! Server-rendered pages: the organizers' workspace, the floor-plan planner and the phone-first
//! logging page for venue leads, plus the static assets they use (embedded in the binary).
//!
//! Pages are rendered with minijinja (HTML auto-escaping on every `.html` template) from data
//! the store returns; the little JavaScript they carry talks to the JSON API through one helper
//! (`assets/web/app.js`) that adds the CSRF header. Every page route is listed once, in
//! [`routes`].

mod activities;
mod assets;
mod cases;
pub mod i18n;
pub(crate) mod invite_page;
mod lead;
mod lead_prep;
mod organizer;
mod photos;
mod planner;
mod rollup;
mod tallies;

use crate::auth::{Caller, Credential, Entity, RouteSpec, Rule, Target, route};
use crate::{AppError, AppState};
use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use i18n::{Lang, PageLang};
use minijinja::{Environment, Value, context};
use std::sync::LazyLock;

/// The page templates, embedded at build time.
#[derive(rust_embed::RustEmbed)]
#[folder = "templates/"]
struct Templates;

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for name in Templates::iter() {
        if let Some(file) = Templates::get(&name) {
            let source = String::from_utf8_lossy(&file.data).into_owned();
            if let Err(e) = env.add_template_owned(name.to_string(), source) {
                tracing::error!(template = %name, error = %e, "template does not compile");
            }
        }
    }
    env
});

fn page<H, T>(path: &'static str, rule: Rule, handler: H) -> RouteSpec
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    route(Method::GET, path, rule, handler)
}

const CAMPAIGN: &[Target] = &[Target::Path(Entity::Campaign, "id")];
const VENUE: &[Target] = &[Target::Path(Entity::Venue, "id")];
const ORGANIZATION: &[Target] = &[Target::Path(Entity::Organization, "id")];
const CASE: &[Target] = &[Target::Path(Entity::Dispute, "id")];

/// Every page and asset route with its access rule (see [`crate::auth`]): campaign pages for
/// those who may read the campaign, the planner for those who may read the venue (saving is the
/// API's `Plan` rule), the logging page for the venue's leads and organizers.
#[must_use]
pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        page("/", Rule::Public, organizer::index),
        page("/login", Rule::Public, lead::login),
        page("/assets/{*path}", Rule::Public, assets::serve),
        // At the root, so that its scope may cover /lead (a worker's scope is limited to its path).
        page("/lead-sw.js", Rule::Public, assets::lead_service_worker),
        page("/campaigns/{id}", Rule::Read(CAMPAIGN), organizer::dashboard),
        page("/campaigns/{id}/live", Rule::Read(CAMPAIGN), organizer::live),
        page("/campaigns/{id}/venues", Rule::Read(CAMPAIGN), organizer::venues),
        page("/campaigns/{id}/units", Rule::Read(CAMPAIGN), organizer::units),
        page("/campaigns/{id}/materials", Rule::Read(CAMPAIGN), organizer::materials),
        page("/campaigns/{id}/media", Rule::Read(CAMPAIGN), organizer::media),
        page("/campaigns/{id}/officials", Rule::Read(CAMPAIGN), organizer::officials),
        page("/campaigns/{id}/disputes", Rule::Read(CAMPAIGN), organizer::disputes),
        page("/campaigns/{id}/cases", Rule::Read(CAMPAIGN), cases::list),
        page("/disputes/{id}/case", Rule::Read(CASE), cases::case_page),
        page("/disputes/{id}/case/slip", Rule::Read(CASE), cases::slip),
        // A receipt's status page: anyone with the code (8 characters of 31, not guessable);
        // status only, no personal data.
        page("/case/{code}", Rule::Public, cases::status),
        page("/campaigns/{id}/tallies", Rule::Read(CAMPAIGN), tallies::tallies),
        page("/campaigns/{id}/activities", Rule::Read(CAMPAIGN), activities::activities),
        page("/campaigns/{id}/report", Rule::Read(CAMPAIGN), organizer::report),
        // A lead sees their venues' photos only (the handler filters).
        page("/campaigns/{id}/photos", Rule::Read(CAMPAIGN), photos::photos_page),
        page("/campaigns/{id}/tasks", Rule::Read(CAMPAIGN), organizer::tasks),
        page("/campaigns/{id}/tasks/print", Rule::Read(CAMPAIGN), organizer::task_table),
        page("/campaigns/{id}/clone", Rule::Read(CAMPAIGN), organizer::clone_page),
        page("/campaigns/{id}/messages", Rule::Read(CAMPAIGN), organizer::messages),
        page("/campaigns/{id}/check-in", Rule::Read(CAMPAIGN), organizer::check_in_sheet),
        page("/campaigns/{id}/check-in/print", Rule::Read(CAMPAIGN), organizer::sign_in_form),
        // The link a participant's QR code holds: the lead's phone camera opens it.
        page("/check-in/{id}/{participant}", Rule::Read(CAMPAIGN), lead_prep::check_in_link),
        // Invitations are made by those who plan the campaign.
        page("/campaigns/{id}/invitations", Rule::Plan(CAMPAIGN), organizer::invitations),
        // The parent's reporting page: its organizers and viewers (and those above it).
        page("/organizations/{id}/rollup", Rule::Read(ORGANIZATION), rollup::rollup),
        page("/organizations/{id}/rollup/live", Rule::Read(ORGANIZATION), rollup::rollup_live),
        page("/venues/{id}/plan", Rule::Read(VENUE), planner::plan),
        page("/venues/{id}/plan/print", Rule::Read(VENUE), planner::print),
        // The link on a lead's invitation card: the page, and accepting it.
        page("/invite/{token}", Rule::Public, invite_page::show),
        route(Method::POST, "/invite/{token}", Rule::Public, invite_page::accept),
        page("/lead", Rule::Authenticated, lead::choose),
        page("/lead/venues/{id}", Rule::Log(VENUE), lead::log_page),
        page("/lead/venues/{id}/case", Rule::Log(VENUE), cases::intake),
    ]
}

/// Who is looking at a page: the language, and the signed-in user if any.
pub struct Viewer {
    /// The page language.
    pub lang: Lang,
    /// The signed-in caller (pages behind a rule always have one).
    pub caller: Option<Caller>,
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = i18n::request_lang(parts);
        Ok(Viewer { lang, caller: parts.extensions.get::<Caller>().cloned() })
    }
}

/// What every page's layout needs: the language, its strings, the switch link, and for a
/// signed-in user their name and the session's CSRF token (which the pages' scripts send).
fn base(viewer: &Viewer, title: &str) -> Value {
    let lang = viewer.lang;
    let csrf = viewer.caller.as_ref().and_then(|c| match &c.credential {
        Credential::Session { csrf_token } => Some(csrf_token.clone()),
        Credential::Token => None,
    });
    let user = viewer.caller.as_ref().map(|c| {
        let p = &c.principal;
        if p.display_name.is_empty() { p.login.clone() } else { p.display_name.clone() }
    });
    context! {
        csrf_token => csrf,
        user => user,
        lang => lang.code(),
        other_lang => lang.other().code(),
        t => sv(lang.table()),
        title => title,
    }
}

/// Any serializable value as a template value.
fn sv<T: serde::Serialize>(v: T) -> Value {
    Value::from(minijinja::value::Serde(v))
}

/// The campaign navigation (key, href), for pages inside one campaign; organizers also see the
/// lead invitations.
fn campaign_nav(id: i32, viewer: &Viewer) -> Vec<(&'static str, String)> {
    let organizer =
        viewer.caller.as_ref().is_some_and(|c| c.principal.role == eventday_domain::Role::Organizer);
    [
        "dashboard",
        "tasks",
        "venues",
        "activities",
        "units",
        "materials",
        "media",
        "officials",
        "disputes",
        "tallies",
        "photos",
        "check_in",
        "messages",
        "report",
        "invitations",
    ]
    .into_iter()
    .filter(|k| organizer || !matches!(*k, "invitations" | "messages"))
    .map(|k| {
        let href = match k {
            "dashboard" => format!("/campaigns/{id}"),
            "check_in" => format!("/campaigns/{id}/check-in"),
            _ => format!("/campaigns/{id}/{k}"),
        };
        (k, href)
    })
    .collect()
}

/// Renders a template to HTML; a template fault is a 500 (logged by middleware).
fn render(name: &str, ctx: Value) -> Result<Html<String>, PageError> {
    let tmpl = ENV.get_template(name).map_err(internal)?;
    Ok(Html(tmpl.render(ctx).map_err(internal)?))
}

fn internal(e: minijinja::Error) -> PageError {
    PageError(AppError::Internal(std::sync::Arc::new(e)), Lang::Zh)
}

/// A page failure: the API error's status (and logged cause) with an HTML body.
pub struct PageError(AppError, Lang);

impl PageError {
    fn with(err: impl Into<AppError>, lang: Lang) -> Self {
        PageError(err.into(), lang)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let lang = self.1;
        let (mut parts, _) = self.0.into_response().into_parts();
        let html = error_html(parts.status, &Viewer { lang, caller: None });
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        parts.headers.remove(header::CONTENT_LENGTH);
        // Who is looking is known only outside the route: `browser_pages` renders it again.
        parts.extensions.insert(ErrorPage);
        Response::from_parts(parts, Body::from(html))
    }
}

/// Marks a response as the error page (to be rendered for the signed-in visitor, if any).
#[derive(Clone, Copy)]
struct ErrorPage;

/// The error page for a status: the sign-in link only for visitors who are not signed in.
fn error_html(status: StatusCode, viewer: &Viewer) -> String {
    let lang = viewer.lang;
    let message = match status {
        StatusCode::NOT_FOUND => lang.t("error_not_found"),
        StatusCode::FORBIDDEN => lang.t("error_forbidden"),
        _ => lang.t("error_other"),
    };
    let ctx =
        context! { message => message, status => status.as_u16(), ..base(viewer, lang.t("error_title")) };
    ENV.get_template("error.html")
        .and_then(|t| t.render(ctx))
        .unwrap_or_else(|_| "<!doctype html><title>error</title><p>error</p>".to_owned())
}

/// For a browser asking for a page (not the API): "log in first" becomes a redirect to the
/// sign-in page (coming back afterwards), and a refusal or a missing record an HTML page in
/// the visitor's language instead of the API's JSON, showing who is signed in. The `lang`
/// query choice is remembered too.
pub async fn browser_pages(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path();
    let wants_html = req.method() == Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/assets/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    let next_url = req.uri().path_and_query().map(|pq| pq.as_str().to_owned()).unwrap_or_default();
    let headers = if wants_html { req.headers().clone() } else { axum::http::HeaderMap::new() };
    let (parts, body) = req.into_parts();
    let lang = i18n::request_lang(&parts);
    let resp = i18n::remember_lang(axum::extract::Request::from_parts(parts, body), next).await;
    if !wants_html {
        return resp;
    }
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let is_error_page = resp.extensions().get::<ErrorPage>().is_some();
    match resp.status() {
        StatusCode::UNAUTHORIZED => {
            let to = format!("/login?next={}", urlencode(&next_url));
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST
            if !is_html || is_error_page =>
        {
            let status = resp.status();
            let (mut parts, _) = resp.into_parts();
            // A stale cookie or a bad token just means "not signed in" here.
            let caller = crate::auth::identify(&state, &headers).await.ok().flatten();
            let html = error_html(status, &Viewer { lang, caller });
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(html))
        }
        _ => resp,
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Adds the page language to a store or path error.
trait PageResult<T> {
    fn page(self, lang: Lang) -> Result<T, PageError>;
}

impl<T, E: Into<AppError>> PageResult<T> for Result<T, E> {
    fn page(self, lang: Lang) -> Result<T, PageError> {
        self.map_err(|e| PageError::with(e, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let names: Vec<String> = Templates::iter().map(|n| n.to_string()).collect();
        assert!(names.len() >= 10, "templates missing: {names:?}");
        for n in names {
            assert!(ENV.get_template(&n).is_ok(), "{n} does not compile");
        }
    }

    #[test]
    fn values_are_escaped_in_pages() {
        let viewer = Viewer { lang: Lang::Zh, caller: None };
        let ctx = context! { message => "<script>x</script>", status => 404, ..base(&viewer, "<b>") };
        let html = render("error.html", ctx).map(|h| h.0).unwrap_or_default();
        assert!(html.contains("&lt;script&gt;x&lt;"), "{html}");
        assert!(!html.contains("<script>x"));
        assert!(html.contains("&lt;b&gt;"));
    }
}
