//! Server-rendered pages: the organizers' workspace, the floor-plan planner and the phone-first
//! logging page for venue leads, plus the static assets they use (embedded in the binary).
//!
//! Pages are rendered with minijinja (HTML auto-escaping on every `.html` template) from data
//! the store returns; the little JavaScript they carry talks to the JSON API through one helper
//! (`assets/web/app.js`) that adds the CSRF header. Every page route is listed once, in
//! [`routes`].

mod assets;
pub mod i18n;
mod lead;
mod organizer;
mod planner;

use crate::{AppError, AppState};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use i18n::Lang;
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

/// One page route: path and handler.
pub struct PageRoute {
    /// The path, e.g. `/campaigns/{id}`.
    pub path: &'static str,
    /// The handler.
    pub handler: MethodRouter<AppState>,
}

fn p(path: &'static str, handler: MethodRouter<AppState>) -> PageRoute {
    PageRoute { path, handler }
}

/// Every page and asset route, in one list.
#[must_use]
pub fn routes() -> Vec<PageRoute> {
    vec![
        p("/", get(organizer::index)),
        p("/login", get(lead::login)),
        p("/campaigns/{id}", get(organizer::dashboard)),
        p("/campaigns/{id}/live", get(organizer::live)),
        p("/campaigns/{id}/venues", get(organizer::venues)),
        p("/campaigns/{id}/units", get(organizer::units)),
        p("/campaigns/{id}/materials", get(organizer::materials)),
        p("/campaigns/{id}/media", get(organizer::media)),
        p("/campaigns/{id}/officials", get(organizer::officials)),
        p("/campaigns/{id}/disputes", get(organizer::disputes)),
        p("/campaigns/{id}/report", get(organizer::report)),
        p("/venues/{id}/plan", get(planner::plan)),
        p("/venues/{id}/plan/print", get(planner::print)),
        p("/lead", get(lead::choose)),
        p("/lead/venues/{id}", get(lead::log_page)),
        p("/assets/{*path}", get(assets::serve)),
    ]
}

/// The pages' router, built from [`routes`]; `?lang=` choices are remembered in a cookie.
pub fn router() -> axum::Router<AppState> {
    routes()
        .into_iter()
        .fold(axum::Router::new(), |r, route| r.route(route.path, route.handler))
        .layer(axum::middleware::from_fn(i18n::remember_lang))
}

/// What every page's layout needs: the language, its strings and the switch link.
fn base(lang: Lang, title: &str) -> Value {
    context! {
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

/// The campaign navigation (key, href), for pages inside one campaign.
fn campaign_nav(id: i32) -> Vec<(&'static str, String)> {
    ["dashboard", "venues", "units", "materials", "media", "officials", "disputes", "report"]
        .into_iter()
        .map(|k| {
            let href =
                if k == "dashboard" { format!("/campaigns/{id}") } else { format!("/campaigns/{id}/{k}") };
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
        let message = if parts.status == StatusCode::NOT_FOUND {
            lang.t("error_not_found")
        } else {
            lang.t("error_other")
        };
        let ctx = context! { message => message, status => parts.status.as_u16(), ..base(lang, lang.t("error_title")) };
        let html = ENV
            .get_template("error.html")
            .and_then(|t| t.render(ctx))
            .unwrap_or_else(|_| "<!doctype html><title>error</title><p>error</p>".to_owned());
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        parts.headers.remove(header::CONTENT_LENGTH);
        Response::from_parts(parts, Body::from(html))
    }
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
        let ctx = context! { message => "<script>x</script>", status => 404, ..base(Lang::Zh, "<b>") };
        let html = render("error.html", ctx).map(|h| h.0).unwrap_or_default();
        assert!(html.contains("&lt;script&gt;x&lt;"), "{html}");
        assert!(!html.contains("<script>x"));
        assert!(html.contains("&lt;b&gt;"));
    }
}
