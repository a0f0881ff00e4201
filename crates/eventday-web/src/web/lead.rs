//! The sign-in page and the phone-first logging page for venue leads.

use super::i18n::{Lang, format_date};
use super::{PageError, PageResult, base, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use eventday_store::{planning, queries};
use minijinja::context;

type Page = Result<Html<String>, PageError>;

/// Sign-in (the form posts to the API with JavaScript).
pub async fn login(lang: Lang) -> Page {
    render("login.html", base(lang, lang.t("sign_in")))
}

/// Venues to choose from, grouped by campaign.
pub async fn choose(State(s): State<AppState>, lang: Lang) -> Page {
    let campaigns = queries::list_campaigns(&s.store).await.page(lang)?;
    let mut groups = Vec::new();
    for c in campaigns.iter().take(10) {
        let venues = planning::venues::list(&s.store, c.id).await.page(lang)?;
        groups.push(context! { c => sv(c), venues => sv(&venues) });
    }
    render("lead_choose.html", context! { groups => groups, ..base(lang, lang.t("choose_venue")) })
}

/// The logging page of one venue.
pub async fn log_page(State(s): State<AppState>, lang: Lang, ApiPath(id): ApiPath<i32>) -> Page {
    let venue = planning::venues::get(&s.store, id).await.page(lang)?;
    let c = planning::campaigns::get(&s.store, venue.campaign_id).await.page(lang)?;
    let materials = planning::materials::list(&s.store, c.id).await.page(lang)?;
    let zone = eventday_domain::time::parse_zone(&c.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let (start, end) =
        eventday_domain::time::day_bounds(c.date, zone).map_err(crate::AppError::BadRequest).page(lang)?;
    let data = serde_json::json!({
        "venue_id": venue.id,
        "day_start": start,
        "day_end": end,
        "materials": materials,
    });
    let title = format!("{} · {}", lang.t("lead_title"), venue.name);
    render(
        "lead.html",
        context! {
            venue => sv(&venue),
            campaign => sv(&c),
            campaign_date => format_date(lang, c.date),
            materials => sv(&materials),
            data => sv(&data),
            ..base(lang, &title)
        },
    )
}
